"""The fast SHACL path (igfgraph.fastshacl) against plain pySHACL, the reference.

On every shape example of ontology/examples/ (merged with the ontology, as tests/test_shapes.py
validates them) and on broken copies of the mini package's graph, both engines must give
the same validation results: the same (focus node, shape, path, severity) and the same
message, hence the same ``igfgraph validate`` report.
"""

from __future__ import annotations

import random
from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD

from igfgraph.build import BuildResult
from igfgraph.fastshacl import (
    UnsupportedShapes,
    core_shapes,
    sparql_constraints,
    validate_graph,
)
from igfgraph.namespaces import IGF
from igfgraph.validate import read_shapes, shacl_problems

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
EXAMPLES = sorted((ONTOLOGY_DIR / "examples").glob("S*.ttl"))
ID = "https://w3id.org/igfgraph/id/"


@cache
def shapes() -> Graph:
    return read_shapes()


@cache
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "igf.ttl").parse(ONTOLOGY_DIR / "schemes.ttl")


def both(graph: Graph, shapes_graph: Graph | None = None):
    shapes_graph = shapes_graph if shapes_graph is not None else shapes()
    return (
        validate_graph(graph, shapes_graph, engine="pyshacl"),
        validate_graph(graph, shapes_graph, engine="fast"),
    )


def test_every_sparql_constraint_is_rewritten():
    # no shape of ours falls back to pySHACL: each SPARQL constraint runs as one query
    # (26: with S03 as SPARQL, S58, S59 of the meeting tracks and S61 to-curate)
    constraints = sparql_constraints(shapes())
    assert len(constraints) == len(set(shapes().subject_objects(SH.sparql))) == 26
    assert all("SELECT DISTINCT ?this WHERE" in c.query or not c.uses_this for c in constraints)


def test_core_shapes_keep_everything_but_sparql():
    core = core_shapes(shapes())
    assert not list(core.triples((None, SH.sparql, None)))
    assert len(core) == len(shapes()) - len(list(shapes().triples((None, SH.sparql, None))))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_examples_agree_with_pyshacl(example: Path):
    graph = Graph()
    graph += ontology()
    graph.parse(example)
    reference, fast = both(graph)
    assert fast == reference
    if "-invalid-" in example.name:
        assert reference, f"{example.name} should fail"


def _mutations() -> dict:
    """Named edits of the mini graph, each breaking one or more SPARQL or core shapes."""

    def drop(predicate):
        return lambda g: g.remove((None, predicate, None))

    def drop_half(predicate):
        def edit(g):
            for i, t in enumerate(sorted(g.triples((None, predicate, None)))):
                if i % 2 == 0:
                    g.remove(t)

        return edit

    def swap_years(g):
        for s, _p, o in list(g.triples((None, IGF.established, None))):
            g.add((s, IGF.ended, Literal(int(str(o)[:4]) - 3, datatype=XSD.integer)))

    def disjoint(g):
        for s in list(g.subjects(RDF.type, IGF.DynamicCoalition))[:2]:
            g.add((s, RDF.type, IGF.Session))

    def stranger(g):
        g.add((URIRef(ID + "nobody"), IGF.addressesTheme, URIRef(ID + "no-theme")))
        g.add((URIRef(ID + "nobody"), IGF.organizedBy, Literal("a string")))

    return {
        "no-addressesTheme": drop(IGF.addressesTheme),  # S22
        "half-focusOf": drop_half(IGF.focusOf),  # S23 and core shapes
        "no-evidencedBy": drop(IGF.evidencedBy),  # S53, S54, S55
        "half-party": drop_half(IGF.party),
        "half-organizedBy": drop_half(IGF.organizedBy),
        "half-types": drop_half(RDF.type),
        "years-out-of-order": swap_years,  # S13
        "disjoint-classes": disjoint,  # S51
        "stranger": stranger,  # S48, S49
    }


@pytest.mark.parametrize("name", sorted(_mutations()))
def test_broken_graphs_agree_with_pyshacl(mini_built: BuildResult, name: str):
    graph = Graph()
    graph += mini_built.graph
    _mutations()[name](graph)
    reference, fast = both(graph)
    assert reference, f"{name} breaks no shape: the mutation tests nothing"
    assert fast == reference
    broken = BuildResult(graph, mini_built.origins)
    assert shacl_problems(broken, shapes()) == shacl_problems(broken, shapes(), engine="pyshacl")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_deletions_agree_with_pyshacl(mini_built: BuildResult, seed: int):
    rng = random.Random(seed)
    graph = Graph()
    graph += mini_built.graph
    data = sorted(t for t in graph if str(t[0]).startswith(ID))
    for triple in rng.sample(data, len(data) // 10):
        graph.remove(triple)
    reference, fast = both(graph)
    assert reference
    assert fast == reference


def test_mini_package_conforms_on_both(mini_built: BuildResult):
    reference, fast = both(mini_built.graph)
    assert [r for r in reference if r.severity == SH.Violation] == []
    assert fast == reference


def test_unsupported_shapes_fall_back_to_pyshacl(mini_built: BuildResult):
    # a sub-SELECT is not rewritten: the whole validation runs in pySHACL, same answer
    g = Graph()
    g += shapes()
    node = URIRef("https://w3id.org/igfgraph/shapes#S22-focus-shortcut-sparql")
    text = str(g.value(node, SH.select))
    g.set(
        (
            node,
            SH.select,
            Literal(
                text.replace("WHERE {", "WHERE { { SELECT $this { $this igf:focusOf ?any } } ", 1)
            ),
        )
    )
    with pytest.raises(UnsupportedShapes):
        sparql_constraints(g)
    graph = Graph()
    graph += mini_built.graph
    graph.remove((None, IGF.addressesTheme, None))
    reference, fast = both(graph, g)
    assert any(r.shape == URIRef(node.replace("-sparql", "")) for r in reference)
    assert fast == reference
