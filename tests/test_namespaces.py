"""igfgraph/namespaces.py and ontology/igf.ttl with ontology/schemes.ttl declare the same igf:
terms, and nothing else in ontology/ uses an igf: term that is not declared."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import OWL, SKOS

from igfgraph.namespaces import ID, IGF, IGF_NS, PREFIXES, bind_prefixes

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
ONTOLOGY = ONTOLOGY_DIR / "igf.ttl"
SCHEMES = ONTOLOGY_DIR / "schemes.ttl"

# What counts as declaring a term in igf.ttl.
TERM_TYPES = (
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    SKOS.ConceptScheme,
    SKOS.Concept,
    RDFS.Datatype,
)


def igf_names_in_python() -> set[str]:
    """The annotated names of class IGF (its terms), without private attributes."""
    return {name for name in IGF.__annotations__ if not name.startswith("_")}


def igf_names_in_ttl() -> set[str]:
    g = Graph().parse(ONTOLOGY).parse(SCHEMES)
    return {
        str(s)[len(IGF_NS) :]
        for t in TERM_TYPES
        for s in g.subjects(RDF.type, t)
        if isinstance(s, URIRef) and str(s).startswith(IGF_NS)
    }


def igf_iris_used(path: Path) -> set[str]:
    g = Graph().parse(path)
    return {
        str(x)[len(IGF_NS) :]
        for triple in g
        for x in triple
        if isinstance(x, URIRef) and str(x).startswith(IGF_NS)
    }


def test_python_and_ttl_declare_the_same_terms():
    python, ttl = igf_names_in_python(), igf_names_in_ttl()
    assert python == ttl, (
        f"only in namespaces.py: {sorted(python - ttl)}; only in igf.ttl: {sorted(ttl - python)}"
    )


def test_terms_resolve_to_the_namespace():
    for name in igf_names_in_python():
        assert getattr(IGF, name) == URIRef(IGF_NS + name)


def test_misspelt_term_raises():
    with pytest.raises(AttributeError):
        IGF.liaisesWIth  # noqa: B018


def test_no_current_terms_differ_only_in_case():
    # A pair differing only in case is a typo waiting to happen (and clashes on case-blind
    # file systems and in documentation anchors). 0.1.0's igf:body and igf:theme, twins of
    # igf:Body and igf:Theme, remain only as deprecated equivalents of focusOf and focusOn.
    g = Graph().parse(ONTOLOGY)
    current = {
        name
        for name in igf_names_in_python()
        if (URIRef(IGF_NS + name), OWL.deprecated, Literal(True)) not in g
    }
    by_lower: dict[str, set[str]] = {}
    for name in current:
        by_lower.setdefault(name.lower(), set()).add(name)
    assert not [v for v in by_lower.values() if len(v) > 1]
    for old, new in (("body", "focusOf"), ("theme", "focusOn")):
        assert (URIRef(IGF_NS + old), OWL.equivalentProperty, URIRef(IGF_NS + new)) in g


def test_prefix_table():
    assert PREFIXES["igf"] == IGF_NS
    assert PREFIXES["id"] == str(ID)
    g = bind_prefixes(Graph())
    assert dict(g.namespaces())["igf"] == URIRef(IGF_NS)


def test_namespace_matches_ontology_header():
    g = Graph().parse(ONTOLOGY)
    vann_uri = URIRef("http://purl.org/vocab/vann/preferredNamespaceUri")
    uri = g.value(URIRef(IGF_NS.rstrip("#")), vann_uri)
    assert str(uri) == IGF_NS


@pytest.mark.parametrize(
    "path",
    sorted(ONTOLOGY_DIR.glob("*.ttl")) + sorted((ONTOLOGY_DIR / "examples").glob("*.ttl")),
    ids=lambda p: p.name,
)
def test_files_use_only_declared_igf_terms(path: Path):
    unknown = igf_iris_used(path) - igf_names_in_python()
    assert not unknown, f"{path.name} uses igf: terms not in IGF: {sorted(unknown)}"
