"""The one gaps function and the one centrality network (igfgraph/analysis/findgaps.py,
networks.py): a hand-made read model with hand-computed answers, and the frozen data package
against the outputs of 93e0179."""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from igfgraph.activity import Activity, ActivityEvidence
from igfgraph.analysis.gaps import GAP_COLUMNS, covers, find_gaps
from igfgraph.analysis.networks import centrality_network, collaboration_network, theme_network
from igfgraph.model import (
    Body,
    Collaboration,
    Focus,
    Party,
    ReadModel,
    Recommendation,
    Relation,
    Theme,
    read_model,
)

ROOT = Path(__file__).resolve().parent.parent
FROZEN = ROOT / "tests" / "data" / "frozen-2025"
BASELINE = ROOT / "tests" / "data" / "frozen-2025-out"
ID = "https://w3id.org/igfgraph/id/"


def body(id_, kind, **kw):
    seg = {"dynamic-coalition": "dc", "policy-network": "pn", "best-practice-forum": "bpf"}.get(
        kind, "body"
    )
    ev = ActivityEvidence(
        established=kw.pop("established", 2010),
        ended=kw.get("ended"),
        sessions=kw.pop("sessions", (2025,)),
    )
    return Body(iri=f"{ID}{seg}/{id_}", id=id_, kind=kind, name=id_.upper(), evidence=ev, **kw)


def theme(id_, broader=None):
    return Theme(f"{ID}theme/{id_}", id_, id_, f"{ID}theme/{broader}" if broader else None)


@pytest.fixture
def hand():
    """DC-A {t1,t2,t3}, DC-B {t1,t3}, DC-C {t4}, PN-X {t3,t4}, BPF-Y {t3,t4}, DC-OLD {t4} (ended
    2015), DC-NEW {t4} succeeds DC-C; collaborations DC-A–DC-B (stated), DC-B–PN-X
    (co-presence only)."""
    bodies = [
        body("dc-a", "dynamic-coalition"),
        body("dc-b", "dynamic-coalition"),
        body("dc-c", "dynamic-coalition"),
        body("pn-x", "policy-network"),
        body("bpf-y", "best-practice-forum"),
        body("dc-old", "dynamic-coalition", established=2006, ended=2015, sessions=()),
        body("dc-new", "dynamic-coalition"),
        body("dcs", "modality", established=None, sessions=()),
    ]
    B = {b.id: b for b in bodies}
    themes = [theme("t1"), theme("t2"), theme("t3"), theme("t4")]
    T = {t.id: t for t in themes}
    focus = [
        Focus(B[b].iri, T[t].iri, "stated")
        for b, ts in {"dc-a": "t1 t2 t3", "dc-b": "t1 t3", "dc-c": "t4", "pn-x": "t3 t4",
                      "bpf-y": "t3 t4", "dc-old": "t4", "dc-new": "t4"}.items()
        for t in ts.split()
    ]  # fmt: skip
    collabs = [
        Collaboration(f"{ID}liaison/ab", B["dc-a"].iri, B["dc-b"].iri, "Collaboration"),
        Collaboration(
            f"{ID}liaison/bx", B["dc-b"].iri, B["pn-x"].iri, "CoPresence", evidence="co-presence"
        ),
    ]
    relations = [Relation(B["dc-new"].iri, "succeeds", B["dc-c"].iri)]
    rec = Recommendation(
        f"{ID}recommendation/net", "net", "Network of DC liaisons", "§1.iv para 5", "paper",
        parties=tuple(Party(f"{ID}modality/{m}", (k,)) for m, k in
                      (("bpfs", "best-practice-forum"), ("dcs", "dynamic-coalition"), ("pns", "policy-network"))),
    )  # fmt: skip
    return ReadModel(
        bodies={b.iri: b for b in sorted(bodies, key=lambda b: b.iri)},
        themes={t.iri: t for t in themes},
        focus=tuple(focus),
        collaborations=tuple(collabs),
        relations=tuple(relations),
        recommendations=(rec,),
    )


def pairs(frame):
    return [
        (a.rsplit("/", 1)[1], b.rsplit("/", 1)[1])
        for a, b in zip(frame.body_a, frame.body_b, strict=True)
    ]


def test_hand_model_gaps(hand):
    gaps = find_gaps(hand, text=False, as_of=2025)
    # Jaccard: C/X 1/2, C/Y 1/2, B/X 1/3, B/Y 1/3, A/X 1/4, A/Y 1/4, NEW/X 1/2, NEW/Y 1/2,
    # C/NEW 1 (lineage: never), X/Y 1 (no DC: out), OLD ended 2015 (inactive: out).
    # Hops on stated collaborations only: A-B 1 (not a gap); B-X: the co-presence tie does
    # not count by default, so B/X and A/X are unconnected.
    assert sorted(pairs(gaps)) == sorted([
        ("dc-c", "pn-x"), ("bpf-y", "dc-c"), ("dc-b", "pn-x"), ("bpf-y", "dc-b"),
        ("dc-a", "pn-x"), ("bpf-y", "dc-a"), ("dc-new", "pn-x"), ("bpf-y", "dc-new"),
    ])  # fmt: skip
    assert list(gaps.columns) == GAP_COLUMNS
    assert (
        gaps["recommended_by"].str.startswith("Network of DC liaisons (§1.iv para 5, paper)").all()
    )
    # counting co-presence closes B/X (1 hop) and A/X (2 hops > 1: still a gap)
    with_presence = find_gaps(hand, text=False, as_of=2025, evidence=["stated", "co-presence"])
    assert ("dc-b", "pn-x") not in pairs(with_presence) and ("dc-a", "pn-x") in pairs(with_presence)
    row = with_presence[
        with_presence.body_a.str.endswith("dc-a") & with_presence.body_b.str.endswith("pn-x")
    ]
    assert int(row["hops"].iloc[0]) == 2
    # all pairs: BPF-Y/PN-X appears, and the DC liaison network does not cover it
    every = find_gaps(hand, text=False, as_of=2025, all_pairs=True)
    xy = every[every.body_a.str.endswith("bpf-y") & every.body_b.str.endswith("pn-x")]
    assert len(xy) == 1 and xy["recommended_by"].iloc[0] == ""
    assert "any pair of bodies" in every.attrs["rule"]


def test_body_option_keeps_that_body_against_all_others(hand):
    everything = find_gaps(hand, text=False, as_of=2025)
    c = hand.bodies[f"{ID}dc/dc-c"]
    mine = find_gaps(hand, text=False, as_of=2025, body=c.iri)
    assert pairs(mine) == [p for p in pairs(everything) if "dc-c" in p]
    assert "that include DC-C" in mine.attrs["rule"]
    with pytest.raises(ValueError, match="not a body of the graph"):
        find_gaps(hand, body=f"{ID}dc/nope")


def test_as_of_takes_only_active_bodies_and_the_default_keeps_unknown_ones(hand):
    # in 2030 every body is unknown (last evidence 2025): --as-of drops them all
    assert find_gaps(hand, text=False, as_of=2030).empty
    # the default asks the latest year of the data (2025 here): all active
    default = find_gaps(hand, text=False)
    assert default.attrs["year"] == 2025 and default.attrs["unknown"] == 0
    assert pairs(default) == pairs(find_gaps(hand, text=False, as_of=2025))


def test_covers_needs_a_party_of_the_pair(hand):
    rec = hand.recommendations[0]
    get = lambda i: next(b for b in hand.bodies.values() if b.id == i)  # noqa: E731
    assert covers(rec, get("dc-a"), get("pn-x")) and covers(rec, get("pn-x"), get("dc-a"))
    assert covers(rec, get("dc-a"), get("bpf-y"))
    assert not covers(rec, get("bpf-y"), get("pn-x")) and not covers(rec, get("pn-x"), get("bpf-y"))
    assert not covers(rec, get("dc-a"), get("dc-b"))  # one party ("the DCs") cannot be both
    named = Recommendation(
        "r",
        "r",
        "t",
        parties=(Party(get("bpf-y").iri), Party(f"{ID}modality/pns", ("policy-network",))),
    )
    assert covers(named, get("bpf-y"), get("pn-x"))  # names the BPF in person


def test_centrality_network_of_the_hand_model(hand):
    G = centrality_network(hand)
    # stated collaboration A-B only; succession is not a tie; modality has no tie
    assert sorted(tuple(sorted(x.rsplit("/", 1)[1] for x in e)) for e in G.edges) == [
        ("dc-a", "dc-b")
    ]
    assert "https://w3id.org/igfgraph/id/body/dcs" not in G  # a modality no relation reaches
    assert G.edges[f"{ID}dc/dc-a", f"{ID}dc/dc-b"]["ties"] == ["collaboration"]


# --- the frozen data package -------------------------------------------------------------


@pytest.fixture(scope="module")
def frozen():
    from igfgraph.build import build_graph
    from igfgraph.tables import load_tables

    return read_model(build_graph(load_tables(FROZEN)).graph)


def test_frozen_gaps_equal_the_baseline_less_the_row_outside_the_rule(frozen):
    new = find_gaps(frozen)
    old = pd.read_csv(BASELINE / "gaps.csv", keep_default_na=False, dtype={"hops": str})
    # 93e0179 wrote 41 rows; the BPF Cybersecurity - PNMA row had no DC (issue 9): dropped
    outside = old[(old.kind_a != "dynamic-coalition") & (old.kind_b != "dynamic-coalition")]
    assert pairs(outside) == [("bpf-cybersecurity", "pnma")]
    kept = old.drop(outside.index).reset_index(drop=True)
    kept["rank"] = range(1, len(kept) + 1)
    assert len(new) == 40
    assert pairs(new) == pairs(kept)
    assert list(new["recommended_by"]) == list(kept["recommended_by"])
    for col in ("score", "jaccard", "weighted_jaccard", "skos_jaccard", "text_cosine"):
        assert new[col].tolist() == pytest.approx(kept[col].astype(float).tolist(), abs=1e-15), col


@pytest.mark.parametrize(
    "settings",
    [
        {},
        {"as_of": 2021},
        {"as_of": 2022},
        {"max_hops": 2},
        {"min_overlap": 0.4},
        {"all_pairs": True},
    ],
)
def test_every_frozen_gaps_row_obeys_the_rule(frozen, settings):
    gaps = find_gaps(frozen, text=False, **settings)
    L = collaboration_network(frozen)
    lineage = {frozenset((r.subject, r.object)) for r in frozen.relations if r.lineage}
    year = settings.get("as_of", frozen.latest_year())
    for r in gaps.itertuples():
        a, b = frozen.bodies[r.body_a], frozen.bodies[r.body_b]
        if not settings.get("all_pairs"):
            assert "dynamic-coalition" in (a.kind, b.kind)
        assert r.jaccard >= settings.get("min_overlap", 0.25) - 1e-12
        assert frozenset((a.iri, b.iri)) not in lineage
        for x in (a, b):
            outcome = x.activity(year).outcome
            assert (
                outcome is Activity.ACTIVE
                if "as_of" in settings
                else outcome is not Activity.INACTIVE
            )
        hops = nx.shortest_path_length(L, a.iri, b.iri) if nx.has_path(L, a.iri, b.iri) else None
        assert hops is None or hops > settings.get("max_hops", 1)
        assert (r.recommended_by != "") == any(
            covers(x, a, b) or covers(x, b, a) for x in frozen.recommendations
        )


def test_frozen_centrality_network_from_the_csv_tables(frozen):
    def read(table):
        with (FROZEN / f"{table}.csv").open(encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))

    kind = {r["id"]: r["kind"] for r in read("bodies")}
    context = {"modality", "process", "instrument"}
    expected = set()
    for r in read("liaisons"):
        if r["kind"] == "succession":
            continue  # lineage, not partnership
        if kind[r["party_a"]] not in context and kind[r["party_b"]] not in context:
            expected.add(frozenset((r["party_a"], r["party_b"])))
    for r in read("relations"):
        if r["predicate"] not in ("succeeds", "merged-into") and r["subject_id"] != r["object_id"]:
            expected.add(frozenset((r["subject_id"], r["object_id"])))
    G = centrality_network(frozen)
    got = {frozenset(x.rsplit("/", 1)[1] for x in e) for e in G.edges}
    assert got == expected
    # every body is a node; modalities, processes, instruments only when a relation reaches them
    reached = {x for e in expected for x in e}
    assert {d["id"] for _n, d in G.nodes(data=True)} == {
        i for i, k in kind.items() if k not in context or i in reached
    }
    B = theme_network(frozen)
    assert B.number_of_edges() == len(read("body_themes"))
