"""Networks built from the read model (pure networkx; no SPARQL).

* :func:`theme_network` — the body × theme bipartite graph that overlap and gaps measure;
* :func:`collaboration_network` — bodies joined by recorded collaborations (the liaison
  distance of the gaps);
* :func:`centrality_network` — **the one network of centrality**: the map's node sizes,
  ``igfgraph centrality``, communities and the report all use it.

Every body node carries the same attributes (:func:`body_attributes`).
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from igfgraph.evidence import parse_evidence
from igfgraph.kinds import KINDS
from igfgraph.model import CENTRALITY_RELATIONS, Body, ReadModel

__all__ = [
    "LINEAGE_KINDS",
    "body_attributes",
    "centrality_network",
    "collaboration_network",
    "lineage_pairs",
    "theme_network",
]

#: liaison kinds that record lineage, not partnership (never a tie of centrality)
LINEAGE_KINDS: tuple[str, ...] = ("Succession",)


def body_attributes(body: Body) -> dict:
    """Return the node attributes of a body in every network.

    Returns
    -------
    dict
        ``id``, ``kind``, ``name``, ``acronym``, ``label`` (acronym, else name),
        ``summary``, ``text`` (name and summary, for the text measure), ``established``
        and ``ended`` (years or ``None``), ``active_years`` (years of its cycles),
        ``registers`` (``(year or None, status)`` on each register, oldest first, undated
        last), ``listed_years`` (years of dated registers listing it), ``confidence`` and
        ``body`` (the :class:`igfgraph.model.Body` itself, with its activity evidence).
    """
    listings = body.evidence.listings
    return {
        "id": body.id,
        "kind": body.kind,
        "name": body.name,
        "acronym": body.acronym,
        "label": body.label,
        "summary": body.summary,
        "text": f"{body.name}. {body.summary}".strip(),
        "established": body.established,
        "ended": body.ended,
        "active_years": body.evidence.cycles,
        "registers": listings,
        "listed_years": tuple(sorted({y for y, s in listings if s == "listed" and y is not None})),
        "confidence": body.confidence,
        "body": body,
    }


def _bodies(model: ReadModel) -> list[Body]:
    return [b for b in model.bodies.values() if KINDS[b.kind].is_body]


def theme_network(
    model: ReadModel, *, session_tracks: bool = False, as_of: int | None = None
) -> nx.Graph:
    """Build the body × theme bipartite graph.

    Parameters
    ----------
    model : igfgraph.model.ReadModel
    session_tracks : bool, default False
        Also join a body to the themes of the programme tracks of the sessions it
        organised (:attr:`igfgraph.model.ReadModel.track_themes`), where no thematic focus
        already joins them; such edges carry ``basis="session-track"`` and ``years`` (the
        meeting years, sorted).
    as_of : int, optional
        With ``session_tracks``, count only tracks of meetings up to this year.

    Returns
    -------
    networkx.Graph
        Nodes are IRIs. Bodies (every kind that is a body: not modalities, UN processes
        or instruments) carry ``bipartite=0`` and :func:`body_attributes`; themes carry
        ``bipartite=1``, ``kind="theme"``, ``label``, ``id`` and ``broader`` (IRI or
        ``None``). Bodies without themes are present with degree 0 ("themes unknown");
        so is every theme of the scheme. Edges carry ``basis`` (``"stated"`` or
        ``"curated"``, or ``"session-track"`` for one added by ``session_tracks``).
        ``G.graph["session_tracks"]`` says whether session tracks were counted.
    """
    G = nx.Graph()
    for b in _bodies(model):
        G.add_node(b.iri, bipartite=0, **body_attributes(b))
    for t in model.themes.values():
        G.add_node(t.iri, bipartite=1, kind="theme", label=t.label, id=t.id, broader=t.broader)
    for f in model.focus:
        if f.body in G and f.theme in G:
            G.add_edge(f.body, f.theme, basis=f.basis)
    G.graph["session_tracks"] = session_tracks
    if session_tracks:
        years: dict[tuple[str, str], set[int]] = {}
        for t in model.track_themes:
            if t.body in G and t.theme in G and (as_of is None or t.year <= as_of):
                years.setdefault((t.body, t.theme), set()).add(t.year)
        for (body, theme), ys in sorted(years.items()):
            if not G.has_edge(body, theme):
                G.add_edge(body, theme, basis="session-track", years=tuple(sorted(ys)))
    return G


def collaboration_network(model: ReadModel, evidence: Iterable[str] | None = None) -> nx.Graph:
    """Build the graph of recorded collaborations between two bodies.

    Parameters
    ----------
    model : igfgraph.model.ReadModel
    evidence : iterable of str, optional
        Evidence types counted (:func:`igfgraph.evidence.parse_evidence`;
        :data:`igfgraph.evidence.DEFAULT_EVIDENCE` when None: not co-presence).

    Returns
    -------
    networkx.Graph
        Every body is a node (:func:`body_attributes`); an edge joins two bodies with at
        least one collaboration of those evidence types and carries ``collaborations``
        (sorted IRIs; also as ``liaisons``), ``kinds`` and ``evidence`` (sorted names) and
        ``first_year`` (earliest recorded start, or ``None``); ``G.graph["evidence"]`` is the
        tuple of evidence types counted.
        A collaboration with a modality ("the NRIs") is not an edge: it does not link two
        particular bodies.
    """
    wanted = parse_evidence(evidence)
    G = nx.Graph(evidence=wanted)
    for b in _bodies(model):
        G.add_node(b.iri, **body_attributes(b))
    for c in model.collaborations_with(wanted):
        if c.a not in G or c.b not in G:
            continue
        if not G.has_edge(c.a, c.b):
            G.add_edge(c.a, c.b, collaborations=[], kinds=[], evidence=[], first_year=None)
        data = G.edges[c.a, c.b]
        data["collaborations"] = data["liaisons"] = sorted({*data["collaborations"], c.iri})
        data["kinds"] = sorted({*data["kinds"], c.kind})
        data["evidence"] = sorted({*data["evidence"], c.evidence})
        if c.first_year is not None and (
            data["first_year"] is None or c.first_year < data["first_year"]
        ):
            data["first_year"] = c.first_year
    return G


def centrality_network(model: ReadModel, evidence: Iterable[str] | None = None) -> nx.Graph:
    """Build the one network that centrality, communities and the map's node sizes use.

    Its ties are the recorded collaborations between two bodies (stated liaisons,
    co-organised sessions and co-authored outputs by default; see
    :func:`collaboration_network`) and the governance relations
    :data:`igfgraph.model.CENTRALITY_RELATIONS` (``coordinates``, ``accredits``,
    ``supports``, ``hosts``, ``appoints``, ``establishes``, ``mandates``, ``convenes``,
    ``recognises``, ``org:unitOf``, ``dcterms:isPartOf``), read as undirected. The
    lineage relations ``succeeds`` and ``mergedInto`` are not ties, nor a liaison whose
    only kind is a succession (:data:`LINEAGE_KINDS`): a predecessor is not a partner.

    Parameters
    ----------
    model : igfgraph.model.ReadModel
    evidence : iterable of str, optional
        Evidence types of the collaborations counted (:data:`igfgraph.evidence.DEFAULT_EVIDENCE`).

    Returns
    -------
    networkx.Graph
        Simple and undirected, nodes added in sorted order: every body, plus each
        modality, UN process or instrument that a governance relation reaches (kinds
        ``"modality"``, ``"process"``, ``"instrument"``). Edges carry ``ties``, the sorted
        names of what joins the pair (``"collaboration"`` and/or relation names).
    """
    C = collaboration_network(model, evidence)
    ties: dict[tuple[str, str], set[str]] = {}
    for a, b, kinds in C.edges(data="kinds"):
        if set(kinds) <= set(LINEAGE_KINDS):
            continue  # a handover recorded as a liaison is lineage too
        ties.setdefault((min(a, b), max(a, b)), set()).add("collaboration")
    extra: set[str] = set()
    for r in model.relations:
        if r.predicate not in CENTRALITY_RELATIONS or r.subject == r.object:
            continue
        for node in (r.subject, r.object):
            if node not in C:
                extra.add(node)
        ties.setdefault((min(r.subject, r.object), max(r.subject, r.object)), set()).add(
            r.predicate
        )
    nodes = {n: dict(d) for n, d in C.nodes(data=True)}  # (copies: edits stay here)
    for node in extra:
        body = model.bodies.get(node)
        if body is not None:
            nodes[node] = body_attributes(body)
        else:  # not a node the model knows: keep it visible rather than drop the tie
            nodes[node] = {"id": node.rsplit("/", 1)[-1], "kind": "unknown", "label": node}
    G = nx.Graph(evidence=C.graph["evidence"])
    G.add_nodes_from(sorted(nodes.items()))
    G.add_edges_from((a, b, {"ties": sorted(t)}) for (a, b), t in sorted(ties.items()))
    return G


def lineage_pairs(model: ReadModel) -> set[frozenset]:
    """Return the pairs joined by succession or merger (never a gap, never a tie).

    Returns
    -------
    set of frozenset
        ``{a, b}`` for every ``igf:succeeds`` or ``igf:mergedInto`` relation.
    """
    return {frozenset((r.subject, r.object)) for r in model.relations if r.lineage}
