"""The one table of body kinds: class, IRI segment, names, group and map shape of each.

Every ``bodies.kind`` value of the data package is a row of :data:`KINDS`. The build mints
classes and IRIs from it (:mod:`igfgraph.ids`), the analyses group kinds by it (DCs, BPFs,
PNs, NRIs), the report names kinds with it and the map draws each kind with its shape. The
enum of ``bodies.kind`` in ``data/datapackage.json`` lists the same values
(``tests/test_kinds.py`` checks that the two stay in step).

Groups (:data:`GROUPS`):

``igf``
    the Forum and its own organs (Secretariat, MAG, Leadership Panel, DCCG), the MAG's
    working groups and the Forum's own programmes and tracks (the "Next Billion(s)"
    intersessional programme, the Parliamentary and Youth Tracks);
``intersessional``
    the intersessional activities: Dynamic Coalitions, Best Practice Forums, Policy Networks;
``nri``
    National, Sub-regional, Regional and Youth IGF initiatives;
``context``
    what surrounds the IGF: related organisations, UN processes, instruments and the
    modality nodes that stand for a whole kind ("the Dynamic Coalitions").
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef

from igfgraph.namespaces import IGF

__all__ = [
    "BODY_KINDS",
    "DC",
    "GROUPS",
    "KINDS",
    "MODALITY_MEMBERS",
    "NRI_KINDS",
    "Kind",
    "kind",
    "kind_of_class",
    "kinds_in_group",
]


@dataclass(frozen=True)
class Kind:
    """One kind of body.

    Attributes
    ----------
    name : str
        The ``bodies.kind`` value, e.g. ``"dynamic-coalition"``.
    cls : rdflib.URIRef
        Its RDF class in the igfgraph ontology.
    segment : str
        The IRI segment of its instances (``…/id/{segment}/{id}``).
    label : str
        The IGF's own name for one such body ("Dynamic Coalition").
    plural : str
        The name of several ("Dynamic Coalitions").
    group : str
        One of :data:`GROUPS`.
    shape : str
        The vis-network shape that draws it on the map; no two kinds share shape and
        ``fill``, so a kind can be told apart without colour.
    fill : str
        ``"solid"`` or ``"hollow"`` (a white centre with a thick border).
    is_body : bool
        False for the modality nodes, UN processes and instruments: they are not
        ``igf:Body`` and never a party of a pairwise analysis (overlap, gaps).
    """

    name: str
    cls: URIRef
    segment: str
    label: str
    plural: str
    group: str
    shape: str
    fill: str
    is_body: bool = True


#: the groups of :class:`Kind`, in display order
GROUPS: tuple[str, ...] = ("igf", "intersessional", "nri", "context")

_ROWS = [
    # name, class, segment, label, plural, group, shape, fill
    ("forum", IGF.InternetGovernanceForum, "body", "Internet Governance Forum",
     "Internet Governance Forum", "igf", "star", "solid"),
    ("secretariat", IGF.Secretariat, "body", "IGF Secretariat", "IGF Secretariat", "igf",
     "box", "solid"),
    ("advisory-group", IGF.MultistakeholderAdvisoryGroup, "body",
     "Multistakeholder Advisory Group", "Multistakeholder Advisory Group", "igf", "ellipse",
     "solid"),
    ("leadership-panel", IGF.LeadershipPanel, "body", "Leadership Panel", "Leadership Panel",
     "igf", "star", "hollow"),
    ("coordination-group", IGF.CoordinationGroup, "body", "Coordination group",
     "Coordination groups", "igf", "diamond", "hollow"),
    ("working-group", IGF.WorkingGroup, "body", "Working group", "Working groups", "igf",
     "circle", "hollow"),
    ("programme", IGF.Programme, "body", "IGF programme", "IGF programmes", "igf",
     "database", "solid"),
    ("dynamic-coalition", IGF.DynamicCoalition, "dc", "Dynamic Coalition",
     "Dynamic Coalitions", "intersessional", "triangle", "solid"),
    ("best-practice-forum", IGF.BestPracticeForum, "bpf", "Best Practice Forum",
     "Best Practice Forums", "intersessional", "triangleDown", "solid"),
    ("policy-network", IGF.PolicyNetwork, "pn", "Policy Network", "Policy Networks",
     "intersessional", "diamond", "solid"),
    ("national-igf", IGF.NationalIGF, "nri", "National IGF", "National IGFs", "nri", "dot",
     "solid"),
    ("subregional-igf", IGF.SubregionalIGF, "nri", "Sub-regional IGF", "Sub-regional IGFs",
     "nri", "hexagon", "hollow"),
    ("regional-igf", IGF.RegionalIGF, "nri", "Regional IGF", "Regional IGFs", "nri",
     "hexagon", "solid"),
    ("youth-igf", IGF.YouthIGF, "nri", "Youth IGF", "Youth IGFs", "nri", "dot", "hollow"),
    ("modality", IGF.Modality, "modality", "Modality", "Modalities", "context", "triangle",
     "hollow", False),
    ("organization", IGF.RelatedOrganization, "body", "Related organisation",
     "Related organisations", "context", "square", "hollow"),
    ("process", IGF.Process, "process", "UN process", "UN processes", "context", "ellipse",
     "hollow", False),
    ("instrument", IGF.Instrument, "instrument", "Instrument", "Instruments", "context",
     "database", "hollow", False),
]  # fmt: skip

#: ``bodies.kind`` value → :class:`Kind`, in the order of the data package's enum
KINDS: dict[str, Kind] = {row[0]: Kind(*row) for row in _ROWS}

#: the kind of a Dynamic Coalition (the gaps rule: at least one in every pair)
DC = "dynamic-coalition"
#: the kinds that are bodies (``igf:Body``): all but modalities, UN processes and instruments
BODY_KINDS: tuple[str, ...] = tuple(k for k, v in KINDS.items() if v.is_body)
#: the four kinds of NRI
NRI_KINDS: tuple[str, ...] = tuple(k for k, v in KINDS.items() if v.group == "nri")

_BY_CLASS = {v.cls: k for k, v in KINDS.items()}

#: modality node id (``bodies.id`` of kind ``modality``) → the class of its members
#: (``igf:memberKind``): "the Dynamic Coalitions" stands for every ``igf:DynamicCoalition``
MODALITY_MEMBERS: dict[str, URIRef] = {
    **{
        KINDS[k].plural.lower().replace(" ", "-"): KINDS[k].cls
        for k in ("dynamic-coalition", "best-practice-forum", "policy-network")
    },
    "nris": IGF.NRI,
}


def kind(name: str) -> Kind:
    """Return the row of a ``bodies.kind`` value.

    Parameters
    ----------
    name : str
        A ``bodies.kind`` value.

    Returns
    -------
    Kind

    Raises
    ------
    KeyError
        Not a kind of the table (the message lists them).

    Examples
    --------
    >>> kind("policy-network").plural
    'Policy Networks'
    """
    try:
        return KINDS[name]
    except KeyError:
        msg = f"unknown body kind {name!r}; known kinds: {', '.join(KINDS)}"
        raise KeyError(msg) from None


def kind_of_class(cls: str | URIRef) -> str | None:
    """Return the ``bodies.kind`` value of an igf: class IRI, or ``None`` for another class.

    Examples
    --------
    >>> kind_of_class("https://w3id.org/igfgraph/ontology#YouthIGF")
    'youth-igf'
    """
    return _BY_CLASS.get(URIRef(str(cls)))


def kinds_in_group(group: str) -> tuple[str, ...]:
    """Return the kinds of one group (:data:`GROUPS`), in table order.

    Raises
    ------
    ValueError
        Not a group.

    Examples
    --------
    >>> kinds_in_group("intersessional")
    ('dynamic-coalition', 'best-practice-forum', 'policy-network')
    """
    if group not in GROUPS:
        msg = f"unknown kind group {group!r}; groups: {', '.join(GROUPS)}"
        raise ValueError(msg)
    return tuple(k for k, v in KINDS.items() if v.group == group)
