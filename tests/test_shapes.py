"""The SHACL shapes in ontology/shapes.ttl, tested against the examples in ontology/examples/.

Each shape ``Snn-what`` has ``Snn-valid.ttl`` (must conform) and ``Snn-invalid-NN.ttl`` files
(must not conform, and must fail on shape ``Snn``). An invalid example that also breaks other
shapes says so on a line ``# Also violates: Smm-...``; no other shape may fail on it, so each
example shows one mistake. Examples are validated merged with ontology/igf.ttl, as the built
graph is, so ``sh:targetClass igf:Body`` reaches the subclasses of igf:Body.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pyshacl
import pytest
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, SH

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
ONTOLOGY = ONTOLOGY_DIR / "igf.ttl"
SHAPES = ONTOLOGY_DIR / "shapes.ttl"
SCHEMES = ONTOLOGY_DIR / "schemes.ttl"
EXAMPLES = ONTOLOGY_DIR / "examples"
SHAPES_NS = "https://w3id.org/igfgraph/shapes#"
SHAPES_IRI = URIRef("https://w3id.org/igfgraph/shapes")
SHAPES_VERSION_IRI = URIRef("https://w3id.org/igfgraph/shapes/0.2.0")

SHAPE_ID = re.compile(r"^S\d{2}-[a-z0-9]+(-[a-z0-9]+)*$")
EXAMPLE_NAME = re.compile(r"^(S\d{2})-(valid|invalid-\d{2})\.ttl$")
SHAPE_NUMBER = re.compile(r"\bS\d{2}\b")

VALID_EXAMPLES = sorted(EXAMPLES.glob("S*-valid.ttl"))
INVALID_EXAMPLES = sorted(EXAMPLES.glob("S*-invalid-*.ttl"))

# Predicates whose subject is a shape, and predicates whose object is a shape (SHACL 2.1).
SHAPE_SUBJECT_PREDICATES = (
    SH.path,
    SH.targetClass,
    SH.targetNode,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.property,
)
SHAPE_OBJECT_PREDICATES = (SH.property, SH.node, SH.qualifiedValueShape, SH["not"])


@cache
def shapes_graph() -> Graph:
    return Graph().parse(SHAPES)


@cache
def ontology_graph() -> Graph:
    return Graph().parse(ONTOLOGY).parse(SCHEMES)  # as the build merges them


def all_shapes(g: Graph) -> set:
    """Every node that is a shape: typed as one, targeted, with a path, or used as a shape."""
    shapes = set(g.subjects(RDF.type, SH.NodeShape)) | set(g.subjects(RDF.type, SH.PropertyShape))
    for p in SHAPE_SUBJECT_PREDICATES:
        shapes |= set(g.subjects(p, None))
    for p in SHAPE_OBJECT_PREDICATES:
        shapes |= set(g.objects(None, p))
    return shapes


def shape_by_number() -> dict[str, URIRef]:
    """Map "S01" to the shape IRI <...shapes#S01-dc-name>."""
    found: dict[str, list[URIRef]] = {}
    for shape in all_shapes(shapes_graph()):
        if isinstance(shape, URIRef) and str(shape).startswith(SHAPES_NS):
            local = str(shape)[len(SHAPES_NS) :]
            found.setdefault(local[:3], []).append(shape)
    duplicated = {n: s for n, s in found.items() if len(s) > 1}
    assert not duplicated, f"several shapes share a number: {duplicated}"
    return {n: s[0] for n, s in found.items()}


def validate(example: Path) -> tuple[bool, Graph, str]:
    data = Graph()
    data += ontology_graph()
    data.parse(example)
    conforms, results, text = pyshacl.validate(
        data, shacl_graph=shapes_graph(), inference="none", allow_warnings=False
    )
    return conforms, results, text


def failing_shapes(results: Graph) -> set:
    return {
        results.value(r, SH.sourceShape) for r in results.subjects(RDF.type, SH.ValidationResult)
    }


def number_of(example: Path) -> str:
    match = EXAMPLE_NAME.match(example.name)
    assert match, f"{example.name} is not named Snn-valid.ttl or Snn-invalid-NN.ttl"
    return match.group(1)


def also_violates(example: Path) -> set[str]:
    """Shape numbers listed on '# Also violates:' comment lines of an example."""
    numbers: set[str] = set()
    for line in example.read_text(encoding="utf-8").splitlines():
        if line.startswith("# Also violates:"):
            numbers |= set(SHAPE_NUMBER.findall(line))
    return numbers


# --- the examples ---------------------------------------------------------------------------


def test_examples_exist():
    assert VALID_EXAMPLES, f"no S*-valid.ttl in {EXAMPLES}"
    assert INVALID_EXAMPLES, f"no S*-invalid-*.ttl in {EXAMPLES}"


@pytest.mark.parametrize("example", VALID_EXAMPLES, ids=lambda p: p.stem)
def test_valid_example_conforms(example: Path):
    conforms, _, text = validate(example)
    assert conforms, text


@pytest.mark.parametrize("example", INVALID_EXAMPLES, ids=lambda p: p.stem)
def test_invalid_example_fails_on_its_shape(example: Path):
    shapes = shape_by_number()
    number = number_of(example)
    assert number in shapes, f"{example.name} names {number}, which is not a shape"
    conforms, results, text = validate(example)
    assert not conforms, f"{example.name} conforms but should fail on {shapes[number]}"
    failing = failing_shapes(results)
    assert shapes[number] in failing, f"{example.name} does not fail on {shapes[number]}:\n{text}"
    expected = {shapes[number]} | {shapes[n] for n in also_violates(example)}
    assert failing == expected, (
        f"{example.name} fails on {sorted(failing)}, expected {sorted(expected)} "
        f"(list extra shapes on a '# Also violates:' line)\n{text}"
    )


@pytest.mark.parametrize("example", VALID_EXAMPLES + INVALID_EXAMPLES, ids=lambda p: p.stem)
def test_example_starts_with_why(example: Path):
    first = example.read_text(encoding="utf-8").splitlines()[0]
    kind = "Valid" if example.name.endswith("-valid.ttl") else "Invalid"
    assert first.startswith(f"# {kind}: "), f"{example.name}: first line must be '# {kind}: why'"


@pytest.mark.parametrize("example", VALID_EXAMPLES + INVALID_EXAMPLES, ids=lambda p: p.stem)
def test_example_has_no_blank_nodes(example: Path):
    g = Graph().parse(example)
    assert not [t for t in g if any(isinstance(x, BNode) for x in t)]


def test_every_example_file_is_named_for_a_shape():
    shapes = shape_by_number()
    names = {p.name for p in EXAMPLES.glob("*.ttl")}
    bad = sorted(n for n in names if not EXAMPLE_NAME.match(n) or n[:3] not in shapes)
    assert not bad, f"example files not named Snn-valid/Snn-invalid-NN for an existing shape: {bad}"


def test_every_shape_has_valid_and_invalid_examples():
    valid = {number_of(p) for p in VALID_EXAMPLES}
    invalid = {number_of(p) for p in INVALID_EXAMPLES}
    shapes = shape_by_number()
    assert not sorted(set(shapes) - valid), "shapes without a valid example"
    assert not sorted(set(shapes) - invalid), "shapes without an invalid example"


def test_ontology_alone_conforms():
    conforms, _, text = pyshacl.validate(
        ontology_graph(), shacl_graph=shapes_graph(), inference="none"
    )
    assert conforms, text


# --- the shapes file ------------------------------------------------------------------------


def test_shapes_pass_meta_shacl():
    # pyshacl raises ReportableRuntimeError when the shapes do not validate against SHACL-SHACL.
    conforms, _, text = pyshacl.validate(Graph(), shacl_graph=shapes_graph(), meta_shacl=True)
    assert conforms, text


def test_shapes_header():
    g = shapes_graph()
    assert (SHAPES_IRI, RDF.type, OWL.Ontology) in g
    assert g.value(SHAPES_IRI, OWL.versionIRI) == SHAPES_VERSION_IRI
    assert g.value(SHAPES_IRI, OWL.versionInfo) is not None


def test_every_shape_is_named_and_numbered():
    shapes = all_shapes(shapes_graph())
    assert shapes
    for shape in shapes:
        assert isinstance(shape, URIRef), f"blank-node shape: {shape!r}"
        assert str(shape).startswith(SHAPES_NS), shape
        assert SHAPE_ID.match(str(shape)[len(SHAPES_NS) :]), f"not named Snn-what: {shape}"


def test_every_shape_has_a_target():
    # One shape, one rule: no shape only reachable through another, so sh:sourceShape is exact.
    g = shapes_graph()
    targets = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
    for shape in all_shapes(g):
        assert any(g.value(shape, t) is not None for t in targets), f"{shape} has no target"


def test_every_shape_and_constraint_has_an_english_message():
    g = shapes_graph()
    constraints = set(g.subjects(RDF.type, SH.SPARQLConstraint)) | set(g.objects(None, SH.sparql))
    for node in all_shapes(g) | constraints:
        messages = list(g.objects(node, SH.message))
        assert messages, f"{node} has no sh:message"
        assert all(isinstance(m, Literal) and m.language == "en" for m in messages), node


def test_sparql_constraints_are_named_after_their_shape():
    g = shapes_graph()
    for shape, constraint in g.subject_objects(SH.sparql):
        assert constraint == URIRef(f"{shape}-sparql"), f"{shape} -> {constraint}"


def test_blank_nodes_only_in_rdf_lists():
    g = shapes_graph()
    blanks = {x for t in g for x in (t[0], t[2]) if isinstance(x, BNode)}
    not_lists = [b for b in blanks if (b, RDF.first, None) not in g]
    assert not not_lists, f"blank nodes other than RDF list cells: {len(not_lists)}"
