"""Namespaces: the igfgraph ontology (closed), the instance base and the prefix table.

``IGF`` lists every term declared in ``ontology/igf.ttl``; ``tests/test_namespaces.py``
checks the two stay in step. Because ``_fail = True``, a misspelt term such as
``IGF.liaisesWIth`` raises ``AttributeError`` instead of minting a new IRI.
"""

from __future__ import annotations

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import (
    DCAT,
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SH,
    SKOS,
    VOID,
    XSD,
    DefinedNamespace,
)

__all__ = [
    "BASE",
    "ID",
    "IGF",
    "IGF_NS",
    "PREFIXES",
    "bind_prefixes",
]

IGF_NS = "https://w3id.org/igfgraph/ontology#"
BASE = "https://w3id.org/igfgraph/"
ID = Namespace(BASE + "id/")


class IGF(DefinedNamespace):
    """The igfgraph ontology, ``https://w3id.org/igfgraph/ontology#`` (``ontology/igf.ttl``)."""

    _NS = Namespace(IGF_NS)
    _fail = True

    # Classes: bodies
    Body: URIRef
    InternetGovernanceForum: URIRef
    Secretariat: URIRef
    MultistakeholderAdvisoryGroup: URIRef
    LeadershipPanel: URIRef
    CoordinationGroup: URIRef
    WorkingGroup: URIRef
    Programme: URIRef
    IntersessionalActivity: URIRef
    DynamicCoalition: URIRef
    BestPracticeForum: URIRef
    PolicyNetwork: URIRef
    NRI: URIRef
    NationalIGF: URIRef
    SubregionalIGF: URIRef
    RegionalIGF: URIRef
    YouthIGF: URIRef
    RelatedOrganization: URIRef
    Modality: URIRef
    # Classes: governance context
    Process: URIRef
    Instrument: URIRef
    # Classes: things bodies make, attend, are listed in
    Output: URIRef
    AnnualMeeting: URIRef
    Session: URIRef
    Theme: URIRef
    Recommendation: URIRef
    Liaison: URIRef
    ThematicFocus: URIRef
    Register: URIRef
    Source: URIRef
    Cycle: URIRef
    MeetingTrack: URIRef
    Region: URIRef
    UNRegionalGroup: URIRef
    # Concept schemes and their concepts
    ThemeScheme: URIRef
    LiaisonKindScheme: URIRef
    FormalLiaison: URIRef
    Collaboration: URIRef
    CoOrganisedSession: URIRef
    CoAuthoredOutput: URIRef
    Succession: URIRef
    CoPresence: URIRef
    EvidenceScheme: URIRef
    EvidenceStated: URIRef
    EvidenceCoOrganised: URIRef
    EvidenceCoAuthored: URIRef
    EvidenceCoPresence: URIRef
    BasisScheme: URIRef
    Stated: URIRef
    Curated: URIRef
    # Properties of bodies
    acronym: URIRef
    established: URIRef
    ended: URIRef
    toCurate: URIRef
    addressesTheme: URIRef
    liaisesWith: URIRef
    coordinates: URIRef
    accredits: URIRef
    supports: URIRef
    hosts: URIRef
    appoints: URIRef
    establishes: URIRef
    succeeds: URIRef
    mergedInto: URIRef
    mandates: URIRef
    convenes: URIRef
    recognises: URIRef
    memberKind: URIRef
    listedIn: URIRef
    notListedIn: URIRef
    listingUnknownIn: URIRef
    # Qualified liaisons and thematic focus
    party: URIRef
    liaisonKind: URIRef
    startYear: URIRef
    endYear: URIRef
    evidenceType: URIRef
    evidencedBy: URIRef
    focusOf: URIRef
    focusOn: URIRef
    body: URIRef  # deprecated in 0.2.0: focusOf
    theme: URIRef  # deprecated in 0.2.0: focusOn
    basis: URIRef
    # Yearly cycles and places
    cycleOf: URIRef
    activeIn: URIRef
    servesArea: URIRef
    regionalGroup: URIRef
    youthScope: URIRef
    # Meetings and sessions
    organizedBy: URIRef
    heldAt: URIRef
    participant: URIRef
    meetingNumber: URIRef
    year: URIRef
    hostCity: URIRef
    hostCountry: URIRef
    overarchingTheme: URIRef
    meetingFormat: URIRef
    sessionFormat: URIRef
    programmeTrack: URIRef
    inTrack: URIRef
    trackOf: URIRef
    # Recommendations
    recommends: URIRef
    # Provenance and places
    sourceLocator: URIRef
    confidence: URIRef
    iso3166Alpha2: URIRef
    # Datatypes
    Notation: URIRef


PREFIXES: dict[str, str] = {
    "igf": IGF_NS,
    "id": str(ID),
    "dcat": str(DCAT),
    "dcterms": str(DCTERMS),
    "foaf": str(FOAF),
    "org": str(ORG),
    "owl": str(OWL),
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "schema": str(SDO),
    "sh": str(SH),
    "skos": str(SKOS),
    "void": str(VOID),
    "xsd": str(XSD),
}


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the project's prefix table to ``graph`` (replacing rdflib's defaults).

    Parameters
    ----------
    graph : rdflib.Graph
        The graph to bind prefixes on.

    Returns
    -------
    rdflib.Graph
        The same graph, for chaining.
    """
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph
