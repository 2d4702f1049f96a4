"""The read model (igfgraph/model): its facts checked against the frozen data package
(counts per kind and per table, read straight from the CSV files) and against hand-checked
rows; its queries are the library's own (own PREFIX lines, not competency questions)."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from igfgraph.activity import Activity
from igfgraph.kinds import KINDS
from igfgraph.model import QUERIES, STATS_QUERIES, model_query, read_model

ROOT = Path(__file__).resolve().parent.parent
FROZEN = ROOT / "tests" / "data" / "frozen-2025"
ID = "https://w3id.org/igfgraph/id/"


def rows(table: str) -> list[dict[str, str]]:
    with (FROZEN / f"{table}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def model():
    from igfgraph.build import build_graph
    from igfgraph.tables import load_tables

    return read_model(build_graph(load_tables(FROZEN)).graph)


def test_bodies_per_kind_equal_the_table(model):
    assert Counter(b.kind for b in model.bodies.values()) == Counter(
        r["kind"] for r in rows("bodies")
    )
    # the figures data/README.md gives for this snapshot
    counts = Counter(b.kind for b in model.bodies.values())
    assert len(model.bodies) == 242
    assert (
        counts["dynamic-coalition"],
        counts["best-practice-forum"],
        counts["policy-network"],
    ) == (39, 11, 4)
    assert (
        sum(counts[k] for k in ("national-igf", "subregional-igf", "regional-igf", "youth-igf"))
        == 164
    )
    assert set(counts) <= set(KINDS)


def test_every_table_is_read_whole(model):
    assert len(model.themes) == len(rows("themes")) == 40
    assert len(model.focus) == len(rows("body_themes")) == 87
    stated = [c for c in model.collaborations if c.evidence == "stated"]
    assert len(stated) == len(rows("liaisons")) == 25
    # the others are derived by the build from sessions and outputs (igfgraph/evidence.py)
    from igfgraph.evidence import derived_collaborations
    from igfgraph.tables import load_tables

    derived = {(d.evidence, d.a, d.b) for d in derived_collaborations(load_tables(FROZEN))}
    got = {
        (c.evidence, c.a.rsplit("/", 1)[1], c.b.rsplit("/", 1)[1])
        for c in model.collaborations
        if c.evidence != "stated"
    }
    assert got == derived and ("co-authored", "dc-nn", "dc3") in got
    assert len(model.relations) == len(rows("relations")) == 58
    assert len(model.listings) == len(rows("register_entries")) == 117
    assert len(model.meetings) == len(rows("meetings")) == 20
    assert len(model.sessions) == len(rows("sessions")) == 26
    assert sum(len(s.participants) for s in model.sessions) == len(rows("session_participants"))
    assert len(model.outputs) == len(rows("outputs")) == 16
    assert sum(len(o.creators) for o in model.outputs) == len(rows("output_creators")) == 17
    assert len(model.recommendations) == len(rows("recommendations")) == 7
    assert (
        sum(len(r.parties) for r in model.recommendations)
        == len(rows("recommendation_parties"))
        == 21
    )
    names = Counter(r["type"] for r in rows("body_names"))
    assert sum(1 for b in model.bodies.values() if b.acronym) == names["acronym"]
    assert (
        sum(len(b.other_names) for b in model.bodies.values())
        == len(rows("body_names")) - names["acronym"]
    )
    cycles = Counter(r["body_id"] for r in rows("cycles"))
    assert {
        b.id: len(b.evidence.cycles) for b in model.bodies.values() if b.evidence.cycles
    } == dict(cycles)


def test_hand_checked_facts(model):
    dc3 = model.bodies[ID + "dc/dc3"]
    assert (dc3.id, dc3.kind, dc3.acronym, dc3.established, dc3.ended) == (
        "dc3",
        "dynamic-coalition",
        "DC3",
        2016,
        None,
    )
    assert dc3.evidence.sessions == (2021,)
    assert dc3.evidence.listings == ((2020, "listed"), (2022, "listed"), (None, "listed"))
    assert dc3.evidence.undated_after == 2022
    fop = model.bodies[ID + "dc/fop-dc"]
    assert (fop.established, fop.ended) == (2006, 2009)
    # DC-NN and DC3 co-authored one output (data/README.md)
    both = [o for o in model.outputs if len(o.creators) > 1]
    assert [o.creators for o in both] == [(ID + "dc/dc-nn", ID + "dc/dc3")]
    # the liaison-network recommendation names the three modalities
    rec = next(r for r in model.recommendations if r.id == "dccg-2022-liaison-network")
    assert [(p.iri.rsplit("/", 1)[1], p.member_kinds) for p in rec.parties] == [
        ("best-practice-forums", ("best-practice-forum",)),
        ("dynamic-coalitions", ("dynamic-coalition",)),
        ("policy-networks", ("policy-network",)),
    ]
    assert rec.locator == "§1.iv para 5"
    # every curated liaison is stated; the build derives the co-authored one from the output
    assert {c.evidence for c in model.collaborations} == {"stated", "co-authored"}
    assert all(c.sources for c in model.collaborations)
    lineage = sorted(
        (r.subject.rsplit("/", 1)[1], r.predicate, r.object.rsplit("/", 1)[1])
        for r in model.relations
        if r.lineage
    )
    assert lineage == [
        ("dce", "succeeds", "pne"),
        ("fop-dc", "mergedInto", "irpc"),
        ("ibr-dc", "mergedInto", "irpc"),
        ("odet", "succeeds", "oset"),
    ]


def test_activity_of_the_dcs_in_2021(model):
    dcs = model.of_kind("dynamic-coalition")
    assert len(dcs) == 39
    counts = model.activity_counts(2021, ["dynamic-coalition"])
    assert counts == {Activity.ACTIVE: 22, Activity.INACTIVE: 16, Activity.UNKNOWN: 1}
    unknown = [b.id for b in dcs if b.activity(2021).outcome is Activity.UNKNOWN]
    assert unknown == ["dc-pub"]  # listed in 2020, not listed in March 2022: we cannot tell 2021
    # every DC with a 2021 session (Annex A) is active in 2021
    with_session = {
        b for s in model.sessions if s.year == 2021 for b in (*s.organisers, *s.participants)
    }
    for iri in with_session & {b.iri for b in dcs}:
        assert model.bodies[iri].activity(2021).outcome is Activity.ACTIVE, iri
    assert model.latest_year() == 2025


def test_reading_twice_gives_equal_models(model):
    from igfgraph.build import build_graph
    from igfgraph.tables import load_tables

    assert read_model(build_graph(load_tables(FROZEN)).graph) == model


def test_queries_declare_their_own_prefixes_and_are_not_competency_questions():
    from igfgraph.queries import load_queries

    named = set(load_queries())
    for name in QUERIES + STATS_QUERIES:
        text = model_query(name)
        assert text.startswith("# Read model"), name
        used = set(re.findall(r"\b([a-z]+):[A-Za-z]", re.sub(r"<[^>]*>|#[^\n]*", "", text)))
        declared = set(re.findall(r"PREFIX (\w+):", text))
        assert used <= declared, (name, used - declared)
        assert name not in named
    assert sorted(p.stem for p in (ROOT / "igfgraph" / "model" / "queries").glob("*.rq")) == sorted(
        QUERIES + STATS_QUERIES
    )
    with pytest.raises(KeyError, match="the queries are: bodies, names"):
        model_query("nope")


def test_sources_places_and_details(model):
    assert len(model.sources) == len(rows("sources")) == 343
    # every body and every collaboration cites at least one source
    for iri in [*model.bodies, *(c.iri for c in model.collaborations)]:
        assert model.sources_of(iri), iri
    dc3 = model.sources_of(ID + "dc/dc3")
    assert "dccg-paper-2022" in {s.id for s in dc3}
    places = {r["body_id"]: r for r in rows("nri_places")}
    nris = [b for b in model.bodies.values() if b.group == "nri"]
    assert len(nris) == len(places) == 164
    for b in nris:
        group = places[b.id]["un_group_id"]
        assert b.regional_group == (ID + "region/" + group if group else None), b.id
    assert sum(1 for b in nris if b.regional_group is None) == 6  # the cross-regional ones
    assert all(t.definition for t in model.themes.values())
    assert sum(1 for o in model.outputs if o.url) == sum(1 for r in rows("outputs") if r["url"])
    titles = {r["id"]: r["title"] for r in rows("registers")}
    assert {x.title for x in model.listings} == set(titles.values())
    labels = {c.kind_label for c in model.collaborations}
    assert labels == {"co-authored output", "collaboration", "formal liaison", "succession"}


def test_themes_regions_and_countries_have_identifiers_like_bodies():
    from igfgraph.build import build_graph
    from igfgraph.sparql import query, to_store
    from igfgraph.tables import load_tables

    store = to_store(build_graph(load_tables(FROZEN)).graph)
    for table, cls in (("themes", "igf:Theme"), ("regions", "?c"), ("countries", "schema:Country")):
        ids = {r["id"] for r in rows(table)}
        segment = {"themes": "theme", "regions": "region", "countries": "country"}[table]
        got = query(
            store,
            f"SELECT ?x ?id WHERE {{ ?x a {cls} ; dcterms:identifier ?id . "
            f'FILTER STRSTARTS(STR(?x), "{ID}{segment}/") }}',
        ).to_frame()
        assert set(got["id"]) == ids, table
        assert all(x.endswith("/" + i) for x, i in zip(got["x"], got["id"], strict=True))
    # so a region is found by its id, as a body is
    answer = query(
        store, 'SELECT ?n WHERE { ?r dcterms:identifier "african-group" ; skos:prefLabel ?n }'
    )
    assert [r[0].value for r in answer.rows] == ["African Group"]
