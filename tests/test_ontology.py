"""The ontology ontology/igf.ttl (and ontology/alignments.ttl): header, annotations, structure."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib import namespace as rdfns
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, SKOS, Namespace

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
ONTOLOGY = ONTOLOGY_DIR / "igf.ttl"
ALIGNMENTS = ONTOLOGY_DIR / "alignments.ttl"
SCHEMES = ONTOLOGY_DIR / "schemes.ttl"

IGF = Namespace("https://w3id.org/igfgraph/ontology#")
VANN = Namespace("http://purl.org/vocab/vann/")
# Plain namespaces: rdflib's closed SDO and XSD warn when pytest probes module attributes.
SDO = Namespace(str(rdfns.SDO))
XSD = Namespace(str(rdfns.XSD))
ONTOLOGY_IRI = URIRef("https://w3id.org/igfgraph/ontology")
VERSION_IRI = URIRef("https://w3id.org/igfgraph/ontology/0.2.0")
PRIOR_VERSION_IRI = URIRef("https://w3id.org/igfgraph/ontology/0.1.0")
CC_BY = URIRef("https://creativecommons.org/licenses/by/4.0/")
CREATED = Literal("2026-11-30", datatype=XSD.date)
RELEASE_DATE = Literal("2026-12-05", datatype=XSD.date)

TERM_TYPES = (
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    SKOS.ConceptScheme,
    SKOS.Concept,
    RDFS.Datatype,
)
PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)

# Properties whose values may be of one of two classes. OWL can say so only with an anonymous
# owl:unionOf (blank nodes), so they have no rdfs:range; their scope note names both classes,
# and the shapes check the values.
RANGE_IN_SCOPE_NOTE = {
    IGF.liaisesWith: ("igf:Body", "igf:Modality"),
    IGF.party: ("igf:Body", "igf:Modality"),
    IGF.participant: ("igf:Body", "igf:Modality"),
    IGF.recommends: ("igf:Body", "igf:Modality"),
    IGF.coordinates: ("igf:Body", "igf:Modality"),
    IGF.accredits: ("igf:Body", "igf:Modality"),
    IGF.supports: ("igf:Body", "igf:Modality"),
    IGF.recognises: ("igf:Body", "igf:Modality"),
    IGF.convenes: ("igf:Body", "igf:Process"),
    IGF.servesArea: ("schema:Country", "igf:Region"),
    IGF.evidencedBy: ("igf:Session", "igf:Output"),
    IGF.organizedBy: ("igf:Body", "igf:Modality"),
}

# The reuse the model is built on (the brief for igf.ttl).
EXPECTED_SUBCLASSES = [
    (IGF.Body, ORG.Organization),
    (IGF.InternetGovernanceForum, IGF.Body),
    (IGF.Secretariat, IGF.Body),
    (IGF.Secretariat, ORG.OrganizationalUnit),
    (IGF.MultistakeholderAdvisoryGroup, IGF.Body),
    (IGF.MultistakeholderAdvisoryGroup, ORG.OrganizationalUnit),
    (IGF.LeadershipPanel, IGF.Body),
    (IGF.LeadershipPanel, ORG.OrganizationalUnit),
    (IGF.CoordinationGroup, IGF.Body),
    (IGF.IntersessionalActivity, IGF.Body),
    (IGF.IntersessionalActivity, ORG.OrganizationalCollaboration),
    (IGF.DynamicCoalition, IGF.IntersessionalActivity),
    (IGF.BestPracticeForum, IGF.IntersessionalActivity),
    (IGF.PolicyNetwork, IGF.IntersessionalActivity),
    (IGF.NRI, IGF.Body),
    (IGF.NationalIGF, IGF.NRI),
    (IGF.SubregionalIGF, IGF.NRI),
    (IGF.RegionalIGF, IGF.NRI),
    (IGF.YouthIGF, IGF.NRI),
    (IGF.RelatedOrganization, IGF.Body),
    (IGF.Modality, PROV.Collection),
    (IGF.Output, PROV.Entity),
    (IGF.Output, SDO.CreativeWork),
    (IGF.AnnualMeeting, SDO.Event),
    (IGF.Session, SDO.Event),
    (IGF.Theme, SKOS.Concept),
    (IGF.Recommendation, PROV.Entity),
    (IGF.Register, PROV.Entity),
    (IGF.Source, PROV.Entity),
    (IGF.Instrument, PROV.Entity),
    (IGF.Region, SDO.Place),
    (IGF.UNRegionalGroup, IGF.Region),
]
EXPECTED_SUBPROPERTIES = [
    (IGF.acronym, SKOS.altLabel),
    (IGF.addressesTheme, DCTERMS.subject),
    (IGF.liaisesWith, ORG.linkedTo),
    (IGF.coordinates, ORG.linkedTo),
    (IGF.heldAt, SDO.superEvent),
]
YEAR_PROPERTIES = [
    IGF.established,
    IGF.ended,
    IGF.startYear,
    IGF.endYear,
    IGF.year,
    IGF.activeIn,
]
CONCEPT_SCHEMES = {
    IGF.LiaisonKindScheme: {
        IGF.FormalLiaison,
        IGF.Collaboration,
        IGF.CoOrganisedSession,
        IGF.CoAuthoredOutput,
        IGF.Succession,
        IGF.CoPresence,
    },
    IGF.BasisScheme: {IGF.Stated, IGF.Curated},
    IGF.EvidenceScheme: {
        IGF.EvidenceStated,
        IGF.EvidenceCoOrganised,
        IGF.EvidenceCoAuthored,
        IGF.EvidenceCoPresence,
    },
}


@cache
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY)


@cache
def schemes() -> Graph:
    return Graph().parse(SCHEMES)


@cache
def vocabulary() -> Graph:
    """The ontology and its concept schemes, as the build merges them."""
    return Graph().parse(ONTOLOGY).parse(SCHEMES)


def declared_terms(g: Graph) -> set[URIRef]:
    return {
        s
        for t in TERM_TYPES
        for s in g.subjects(RDF.type, t)
        if isinstance(s, URIRef) and s.startswith(str(IGF))
    }


def properties(g: Graph) -> set[URIRef]:
    return {s for t in PROPERTY_TYPES for s in g.subjects(RDF.type, t) if s.startswith(str(IGF))}


TERMS = sorted(declared_terms(vocabulary()))
PROPERTIES = sorted(properties(ontology()))


def local(term: URIRef) -> str:
    return term.removeprefix(str(IGF))


# --- header ---------------------------------------------------------------------------------


def test_ontology_parses_and_is_not_empty():
    assert len(ontology()) > 100


def test_header():
    g = ontology()
    o = ONTOLOGY_IRI
    assert (o, RDF.type, OWL.Ontology) in g
    assert g.value(o, OWL.versionIRI) == VERSION_IRI
    assert g.value(o, OWL.versionInfo) == Literal("0.2.0")
    assert g.value(o, OWL.priorVersion) == PRIOR_VERSION_IRI
    assert g.value(o, DCTERMS.license) == CC_BY
    assert g.value(o, DCTERMS.created) == CREATED
    assert g.value(o, DCTERMS.modified) == RELEASE_DATE
    creator = g.value(o, DCTERMS.creator)
    assert isinstance(creator, URIRef) and (creator, RDF.type, FOAF.Organization) in g
    assert g.value(creator, FOAF.name) == Literal("igfgraph developers")
    assert g.value(o, DCTERMS.publisher) == creator
    contributor = g.value(o, DCTERMS.contributor)
    assert g.value(contributor, FOAF.name) is not None
    assert g.value(o, DCTERMS.rights).language == "en"
    assert g.value(o, FOAF.page) is not None
    notes = sorted(str(n) for n in g.objects(o, SKOS.changeNote))
    assert [n[:30] for n in notes] == [
        "2026-11-30, version 0.1.0: fir",
        "2026-12-05, version 0.2.0: yea",
    ]
    assert g.value(o, SKOS.example) is not None
    assert g.value(o, VANN.preferredNamespacePrefix) == Literal("igf")
    assert g.value(o, VANN.preferredNamespaceUri) == Literal(str(IGF))
    for p in (DCTERMS.title, DCTERMS.description):
        value = g.value(o, p)
        assert isinstance(value, Literal) and value.language == "en", p


def test_version_iri_carries_version_info():
    g = ontology()
    assert str(g.value(ONTOLOGY_IRI, OWL.versionIRI)).endswith(
        "/" + str(g.value(ONTOLOGY_IRI, OWL.versionInfo))
    )


def test_no_blank_nodes():
    bnodes = [t for t in ontology() if any(isinstance(x, BNode) for x in t)]
    assert not bnodes, f"{len(bnodes)} triples with blank nodes, e.g. {bnodes[:3]}"


# --- every term -----------------------------------------------------------------------------


@pytest.mark.parametrize("term", TERMS, ids=local)
def test_term_is_annotated(term: URIRef):
    g = vocabulary()
    labels = [x for x in g.objects(term, RDFS.label) if getattr(x, "language", None) == "en"]
    definitions = [
        x for x in g.objects(term, SKOS.definition) if getattr(x, "language", None) == "en"
    ]
    assert len(labels) == 1, f"{local(term)}: needs exactly one rdfs:label@en"
    assert len(definitions) == 1, f"{local(term)}: needs exactly one skos:definition@en"
    assert g.value(term, RDFS.isDefinedBy) == ONTOLOGY_IRI, local(term)


def test_labels_are_unique():
    g = vocabulary()
    seen: dict[str, URIRef] = {}
    for term in TERMS:
        label = str(g.value(term, RDFS.label)).lower()
        assert label not in seen, f"{local(term)} and {local(seen[label])} share '{label}'"
        seen[label] = term


def test_term_kinds_do_not_overlap():
    g = vocabulary()
    for term in TERMS:
        kinds = {t for t in TERM_TYPES if (term, RDF.type, t) in g}
        assert len(kinds) == 1, f"{local(term)} is declared as {sorted(kinds)}"


def test_every_igf_iri_used_is_declared():
    g = vocabulary()
    used = {x for t in g for x in t if isinstance(x, URIRef) and x.startswith(str(IGF))}
    assert used <= set(TERMS), f"undeclared igf: terms used: {sorted(used - set(TERMS))}"


# --- properties -----------------------------------------------------------------------------


@pytest.mark.parametrize("prop", PROPERTIES, ids=local)
def test_property_has_domain_or_scope_note_and_range(prop: URIRef):
    g = ontology()
    has_domain = g.value(prop, RDFS.domain) is not None
    has_scope_note = g.value(prop, SKOS.scopeNote) is not None
    assert has_domain or has_scope_note, f"{local(prop)}: needs rdfs:domain or skos:scopeNote"
    if prop in RANGE_IN_SCOPE_NOTE:
        assert g.value(prop, RDFS.range) is None, local(prop)
        note = str(g.value(prop, SKOS.scopeNote))
        assert all(c in note for c in RANGE_IN_SCOPE_NOTE[prop]), local(prop)
    else:
        assert g.value(prop, RDFS.range) is not None, f"{local(prop)}: needs rdfs:range"


def test_domains_and_ranges_are_single():
    g = ontology()
    for prop in PROPERTIES:
        assert len(list(g.objects(prop, RDFS.domain))) <= 1, local(prop)
        assert len(list(g.objects(prop, RDFS.range))) <= 1, local(prop)


def test_liaises_with_is_symmetric_and_under_org_linked_to():
    g = ontology()
    assert (IGF.liaisesWith, RDF.type, OWL.SymmetricProperty) in g
    assert (IGF.liaisesWith, RDF.type, OWL.ObjectProperty) in g
    assert (IGF.liaisesWith, RDFS.subPropertyOf, ORG.linkedTo) in g


@pytest.mark.parametrize("prop", YEAR_PROPERTIES, ids=local)
def test_year_properties_are_integers(prop: URIRef):
    g = ontology()
    assert (prop, RDF.type, OWL.DatatypeProperty) in g
    assert g.value(prop, RDFS.range) == XSD.integer


def test_acronym_is_an_annotation_property_under_skos_alt_label():
    # skos:altLabel is an annotation property; a data property may not specialise it in OWL 2 DL.
    assert (IGF.acronym, RDF.type, OWL.AnnotationProperty) in ontology()
    assert (IGF.acronym, RDFS.subPropertyOf, SKOS.altLabel) in ontology()


def test_meeting_number_is_integer():
    assert ontology().value(IGF.meetingNumber, RDFS.range) == XSD.integer


@pytest.mark.parametrize(
    ("sub", "sup"),
    EXPECTED_SUBPROPERTIES,
    ids=[f"{local(a)}-{b}" for a, b in EXPECTED_SUBPROPERTIES],
)
def test_expected_subproperties(sub: URIRef, sup: URIRef):
    assert (sub, RDFS.subPropertyOf, sup) in ontology()


# --- classes and concept schemes ------------------------------------------------------------


@pytest.mark.parametrize(
    ("sub", "sup"), EXPECTED_SUBCLASSES, ids=[f"{local(a)}-{b}" for a, b in EXPECTED_SUBCLASSES]
)
def test_expected_subclasses(sub: URIRef, sup: URIRef):
    assert (sub, RDFS.subClassOf, sup) in ontology()


def test_every_class_below_body_is_a_body():
    g = ontology()
    bodies = set(g.transitive_subjects(RDFS.subClassOf, IGF.Body))
    expected = {
        IGF.Body,
        IGF.InternetGovernanceForum,
        IGF.Secretariat,
        IGF.MultistakeholderAdvisoryGroup,
        IGF.LeadershipPanel,
        IGF.CoordinationGroup,
        IGF.IntersessionalActivity,
        IGF.DynamicCoalition,
        IGF.BestPracticeForum,
        IGF.PolicyNetwork,
        IGF.NRI,
        IGF.NationalIGF,
        IGF.SubregionalIGF,
        IGF.RegionalIGF,
        IGF.YouthIGF,
        IGF.RelatedOrganization,
        IGF.WorkingGroup,  # issue 11: the MAG working groups
        IGF.Programme,  # issue 11: CENB, the Parliamentary and Youth Tracks
    }
    assert bodies == expected
    for other in (IGF.Modality, IGF.Process, IGF.Instrument):
        assert (other, OWL.disjointWith, IGF.Body) in g


def test_the_ontology_file_documents_only_the_ontology():
    # Concept schemes live in schemes.ttl, so documentation tools take the ontology's own IRI
    # and title for the document (pyLODE took a concept scheme's before).
    g = ontology()
    assert not list(g.subjects(RDF.type, SKOS.ConceptScheme))
    assert not list(g.subjects(RDF.type, SKOS.Concept))
    assert list(g.subjects(RDF.type, OWL.Ontology)) == [ONTOLOGY_IRI]


def test_concept_schemes_have_labels_and_top_concepts():
    g = schemes()
    for scheme in g.subjects(RDF.type, SKOS.ConceptScheme):
        assert g.value(scheme, SKOS.prefLabel).language == "en", scheme
        if scheme != IGF.ThemeScheme:  # its concepts are built from data/themes.csv
            assert list(g.objects(scheme, SKOS.hasTopConcept)), scheme
    for concept in g.subjects(RDF.type, SKOS.Concept):
        notation = g.value(concept, SKOS.notation)
        assert notation is None or notation.datatype == IGF.Notation, concept


def test_theme_scheme_is_a_concept_scheme_without_concepts():
    g = schemes()
    assert (IGF.ThemeScheme, RDF.type, SKOS.ConceptScheme) in g
    # Its concepts are instance data (data/themes.csv), not ontology terms.
    assert not list(g.subjects(SKOS.inScheme, IGF.ThemeScheme))


@pytest.mark.parametrize("scheme", sorted(CONCEPT_SCHEMES), ids=local)
def test_concept_scheme(scheme: URIRef):
    g = schemes()
    assert (scheme, RDF.type, SKOS.ConceptScheme) in g
    concepts = CONCEPT_SCHEMES[scheme]
    assert set(g.subjects(SKOS.inScheme, scheme)) == concepts
    assert set(g.objects(scheme, SKOS.hasTopConcept)) == concepts
    for concept in concepts:
        assert (concept, RDF.type, SKOS.Concept) in g
        assert (concept, SKOS.topConceptOf, scheme) in g
        pref = g.value(concept, SKOS.prefLabel)
        assert isinstance(pref, Literal) and pref.language == "en", local(concept)


# --- alignments -----------------------------------------------------------------------------


def test_alignments_parse_and_declare_nothing_new():
    if not ALIGNMENTS.exists():
        pytest.skip("no ontology/alignments.ttl")
    g = Graph().parse(ALIGNMENTS)
    assert g.value(URIRef("https://w3id.org/igfgraph/alignments"), OWL.versionIRI) is not None
    assert not [t for t in g if any(isinstance(x, BNode) for x in t)]
    igf_subjects = {s for s in g.subjects() if s.startswith(str(IGF))}
    assert igf_subjects, "alignments.ttl aligns no igf: term"
    assert igf_subjects <= set(TERMS), sorted(igf_subjects - set(TERMS))
    typed = [s for s in g.subjects(RDF.type, None) if s.startswith(str(IGF))]
    assert not typed, f"alignments.ttl must not declare igf: terms: {typed}"
