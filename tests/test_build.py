"""Tables → RDF: entities, shortcuts, provenance, no blank nodes, deterministic bytes."""

from __future__ import annotations

import csv
import random
import subprocess
import sys

from rdflib import BNode, Literal
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS, VOID

from igfgraph.build import DATASET, build_graph
from igfgraph.ids import iri
from igfgraph.namespaces import IGF
from igfgraph.serialize import serialize
from igfgraph.tables import load_tables
from tests.conftest import make_package


def test_entities_and_classes(mini_built):
    g = mini_built.graph
    dc_a = iri("dc", "dc-a")
    assert (dc_a, RDF.type, IGF.DynamicCoalition) in g
    assert g.value(dc_a, SKOS.prefLabel) == Literal("Dynamic Coalition A", lang="en")
    assert g.value(dc_a, IGF.acronym) == Literal("DC-A")
    assert g.value(dc_a, IGF.established) == Literal(2010)
    assert (dc_a, SKOS.hiddenLabel, Literal("Old Coalition A", lang="en")) in g
    assert (iri("modality", "dynamic-coalitions"), IGF.memberKind, IGF.DynamicCoalition) in g


def test_liaisons_are_qualified_and_symmetric(mini_built):
    g = mini_built.graph
    node = iri("liaison", "dc-a-dc-b")
    assert set(g.objects(node, IGF.party)) == {iri("dc", "dc-a"), iri("dc", "dc-b")}
    assert g.value(node, IGF.liaisonKind) == IGF.Collaboration
    assert (iri("dc", "dc-a"), IGF.liaisesWith, iri("dc", "dc-b")) in g
    assert (iri("dc", "dc-b"), IGF.liaisesWith, iri("dc", "dc-a")) in g
    # one shortcut pair per pair of parties: dc-a/dc-b is both stated and co-authored
    pairs = {
        frozenset(g.objects(node, IGF.party))
        for node in g.subjects(RDF.type, IGF.Liaison)
        if g.value(node, IGF.evidenceType) != IGF.EvidenceCoPresence
    }
    assert len(pairs) == 4
    assert len(list(g.triples((None, IGF.liaisesWith, None)))) == 2 * len(pairs)


def test_theme_focus_records_basis(mini_built):
    g = mini_built.graph
    focus = iri("focus", "dc-a", "security")
    assert g.value(focus, IGF.basis) == IGF.Curated
    assert g.value(focus, PROV.wasDerivedFrom) == iri("source", "src-a")
    assert (iri("dc", "dc-a"), IGF.addressesTheme, iri("theme", "security")) in g
    assert (iri("theme", "human-rights"), SKOS.narrower, iri("theme", "privacy")) in g
    assert (IGF.ThemeScheme, SKOS.hasTopConcept, iri("theme", "connectivity")) in g


def test_joint_output_has_two_creators(mini_built):
    creators = set(mini_built.graph.objects(iri("output", "joint-report"), DCTERMS.creator))
    assert creators == {iri("dc", "dc-a"), iri("dc", "dc-b")}


def test_main_session_organised_by_coordination_group(mini_built):
    g = mini_built.graph
    s = iri("session", "m-2021-main")
    assert g.value(s, IGF.organizedBy) == iri("body", "dccg")
    assert g.value(s, IGF.participant) == iri("modality", "dynamic-coalitions")


def test_register_status(mini_built):
    g = mini_built.graph
    assert (iri("dc", "dc-a"), IGF.listedIn, iri("register", "list-2022")) in g
    assert (iri("dc", "dc-c"), IGF.listingUnknownIn, iri("register", "list-2022")) in g


def test_no_blank_nodes(mini_built):
    assert not any(isinstance(t, BNode) for triple in mini_built.graph for t in triple)


def test_every_minted_entity_has_a_source(mini_built):
    g = mini_built.graph
    for node in mini_built.origins:
        if (node, RDF.type, IGF.Source) in g:
            continue
        assert g.value(node, PROV.wasDerivedFrom) is not None, node


def test_origins_point_at_rows(mini_built):
    assert mini_built.origins[iri("dc", "dc-b")] == ("bodies.csv", 3)
    assert mini_built.origins[iri("liaison", "dccg-sec")] == ("liaisons.csv", 5)


def test_dataset_description_counts(mini_built):
    g = mini_built.graph
    assert int(g.value(DATASET, VOID.triples)) == len(g)
    assert int(g.value(DATASET, VOID.entities)) > 30
    assert set(g.objects(DATASET, DCTERMS.source)) == {
        iri("source", "src-a"),
        iri("source", "src-b"),
    }


def shuffle_csvs(folder, seed):
    rnd = random.Random(seed)
    for path in folder.glob("*.csv"):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        body = lines[1:]
        rnd.shuffle(body)
        path.write_text("".join(lines[:1] + body), encoding="utf-8")
        # the result must still be a valid CSV with the same rows
        with path.open(newline="") as fh:
            assert len(list(csv.reader(fh))) == len(lines)


def test_shuffled_rows_give_identical_bytes(tmp_path, mini_built):
    folder = make_package(tmp_path / "shuffled")
    shuffle_csvs(folder, seed=7)
    other = build_graph(load_tables(folder)).graph
    for fmt in ("ttl", "nt", "jsonld"):
        assert serialize(other, fmt) == serialize(mini_built.graph, fmt), fmt


def test_identical_bytes_across_processes(mini_package):
    script = (
        "import sys, hashlib;"
        "from igfgraph.build import build_graph; from igfgraph.tables import load_tables;"
        "from igfgraph.serialize import serialize;"
        f"g = build_graph(load_tables({str(mini_package)!r})).graph;"
        "print([hashlib.sha256(serialize(g, f).encode()).hexdigest()"
        " for f in ('ttl', 'nt', 'jsonld')])"
    )
    outs = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": str(seed), "PATH": ""},
        ).stdout
        for seed in (1, 2, 3)
    }
    assert len(outs) == 1
