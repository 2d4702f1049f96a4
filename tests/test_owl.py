"""OWL 2 DL: HermiT loads the ontology alone and with the shipped data; the OWL API profile
check reports no violation; a Dynamic Coalition given a session's property, or typed as two
disjoint kinds, is inconsistent for the reasoner and rejected by SHACL with a message.

Needs Java (tests/owl.py says how it skips, and how CI makes the skip a failure).
"""

from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph

from tests import owl

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology" / "igf.ttl"
SCHEMES = ROOT / "ontology" / "schemes.ttl"
SHAPES = ROOT / "ontology" / "shapes.ttl"
FIXTURES = Path(__file__).resolve().parent / "data" / "owl"


def ontology_graphs() -> list[Graph]:
    graphs = [Graph().parse(ONTOLOGY)]
    if SCHEMES.exists():
        graphs.append(Graph().parse(SCHEMES))
    return graphs


def test_the_ontology_is_in_the_owl2_dl_profile():
    violations = owl.profile_violations(*ontology_graphs())
    assert violations == [], "\n".join(violations[:40])


def test_hermit_finds_the_ontology_consistent_with_no_unsatisfiable_class():
    consistent, unsatisfiable = owl.reason(*ontology_graphs())
    assert consistent
    assert unsatisfiable == []


def test_hermit_finds_the_shipped_data_consistent(shipped_built):
    consistent, unsatisfiable = owl.reason(shipped_built.graph)
    assert consistent, "HermiT: the ontology with the shipped data is inconsistent"
    assert unsatisfiable == []


def test_the_shipped_data_is_in_the_owl2_dl_profile(shipped_built):
    violations = owl.profile_violations(shipped_built.graph)
    assert violations == [], "\n".join(violations[:40])


@pytest.mark.parametrize(
    ("fixture", "shape"),
    [
        ("dc-held-at-a-meeting.ttl", "S48-igf-domain"),
        ("dc-and-policy-network.ttl", "S51-igf-disjoint"),
    ],
)
def test_a_wrong_dynamic_coalition_is_inconsistent_and_rejected_by_shacl(fixture, shape):
    data = Graph().parse(FIXTURES / fixture)
    consistent, _ = owl.reason(*ontology_graphs(), data)
    assert not consistent, f"HermiT accepts {fixture}"
    merged = Graph()
    for g in ontology_graphs():
        merged += g
    merged += data
    conforms, results, text = pyshacl.validate(
        merged, shacl_graph=Graph().parse(SHAPES), inference="none"
    )
    assert not conforms, f"SHACL accepts {fixture}"
    failing = {
        str(s).rsplit("#", 1)[-1] for s in results.objects(None, pyshacl.consts.SH_sourceShape)
    }
    assert shape in failing, text
    assert "Message:" in text
