"""The one table of body kinds (igfgraph/kinds.py) against the data package, the ontology,
the IRIs the build mints and the map's style table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph

from igfgraph import kinds
from igfgraph.ids import BODY_KINDS, body_iri, kind_of_class
from igfgraph.namespaces import IGF

ROOT = Path(__file__).resolve().parent.parent


def _enum() -> list[str]:
    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    bodies = next(r for r in package["resources"] if r["name"] == "bodies")
    field = next(f for f in bodies["schema"]["fields"] if f["name"] == "kind")
    return field["constraints"]["enum"]


def test_table_lists_exactly_the_kinds_of_the_data_package_in_its_order():
    assert list(kinds.KINDS) == _enum()


def test_every_class_is_declared_in_the_ontology_and_is_a_body_or_context_class():
    onto = Graph().parse(ROOT / "ontology" / "igf.ttl")
    for k in kinds.KINDS.values():
        assert (k.cls, RDF.type, OWL.Class) in onto, k.name
        assert list(onto.transitive_objects(k.cls, RDFS.subClassOf)), k.name


def test_hand_checked_rows():
    dc = kinds.kind("dynamic-coalition")
    assert (dc.cls, dc.segment, dc.label, dc.plural, dc.group, dc.shape) == (
        IGF.DynamicCoalition, "dc", "Dynamic Coalition", "Dynamic Coalitions",
        "intersessional", "triangle",
    )  # fmt: skip
    assert (
        str(body_iri("youth-igf", "youth-igf-pl"))
        == "https://w3id.org/igfgraph/id/nri/youth-igf-pl"
    )
    assert kinds.NRI_KINDS == ("national-igf", "subregional-igf", "regional-igf", "youth-igf")
    assert kinds.kinds_in_group("igf") == (
        "forum", "secretariat", "advisory-group", "leadership-panel", "coordination-group",
        "working-group", "programme",
    )  # fmt: skip


def test_groups_partition_the_kinds():
    together = [k for g in kinds.GROUPS for k in kinds.kinds_in_group(g)]
    assert sorted(together) == sorted(kinds.KINDS)


def test_ids_reads_the_table():
    assert BODY_KINDS == {k: (v.cls, v.segment) for k, v in kinds.KINDS.items()}
    for name, k in kinds.KINDS.items():
        assert kind_of_class(k.cls) == name
    assert kind_of_class(IGF.Theme) is None


def test_no_two_kinds_share_shape_and_fill():
    seen = {(k.shape, k.fill) for k in kinds.KINDS.values()}
    assert len(seen) == len(kinds.KINDS)


def test_unknown_kind_and_group_name_the_choices():
    with pytest.raises(KeyError, match="known kinds: forum, secretariat"):
        kinds.kind("coalition")
    with pytest.raises(ValueError, match="groups: igf, intersessional, nri, context"):
        kinds.kinds_in_group("un")


def test_modalities_processes_and_instruments_are_not_bodies():
    onto = Graph().parse(ROOT / "ontology" / "igf.ttl")
    for k in kinds.KINDS.values():
        is_body = IGF.Body in set(onto.transitive_objects(k.cls, RDFS.subClassOf))
        assert k.is_body is is_body, k.name
    assert set(kinds.KINDS) - set(kinds.BODY_KINDS) == {"modality", "process", "instrument"}
