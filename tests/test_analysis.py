"""Overlap and liaison gaps on the mini package, against values worked out by hand.

The expected numbers are derived in tests/data/mini/README.md:
theme sets DC-A {child-rights, privacy, security}, DC-B {child-rights, security},
DC-C {connectivity}, PN-X {connectivity, security}; liaisons DC-A–DC-B, DC-B–PN-X,
DCCG–Secretariat (DC-C's liaison with the whole DC modality is not pairwise).
"""

from __future__ import annotations

import math

import networkx as nx
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from igfgraph.analysis import body_theme_graph, liaison_gaps, liaison_graph, theme_overlap
from igfgraph.ids import iri as _iri


def iri(*parts: str) -> str:
    return str(_iri(*parts))


A, B_, C, X = (iri("dc", "dc-a"), iri("dc", "dc-b"), iri("dc", "dc-c"), iri("pn", "pn-x"))


@pytest.fixture(scope="module")
def graphs(mini_store):
    return body_theme_graph(mini_store), liaison_graph(mini_store)


def pairs(frame: pd.DataFrame) -> dict[tuple[str, str], float]:
    return {(r.body_a, r.body_b): r.jaccard for r in frame.itertuples()}


def test_bipartite_graph_shape(graphs):
    B, _ = graphs
    bodies = {n for n, d in B.nodes(data=True) if d["bipartite"] == 0}
    themes = {n for n, d in B.nodes(data=True) if d["bipartite"] == 1}
    assert len(bodies) == 8  # the modality is not a body; the two NRIs are
    assert len(themes) == 5
    assert B.number_of_edges() == 8
    assert B.degree(iri("body", "dccg")) == 0  # themes unknown
    assert B.edges[A, iri("theme", "security")]["basis"] == "curated"


def test_liaison_graph_excludes_modality_links(graphs):
    _, L = graphs
    assert sorted(tuple(sorted(e)) for e in L.edges) == sorted(
        [
            tuple(sorted((A, B_))),
            tuple(sorted((B_, X))),
            tuple(sorted((iri("body", "dccg"), iri("body", "sec")))),
        ]
    )
    assert L.degree(C) == 0


def test_overlap_values_by_hand(graphs):
    B, _ = graphs
    got = pairs(theme_overlap(B))
    assert got == pytest.approx({(A, B_): 2 / 3, (C, X): 1 / 2, (B_, X): 1 / 3, (A, X): 1 / 4})
    frame = theme_overlap(B)
    first = frame.iloc[0]
    assert (first.body_a, first.body_b, first.shared) == (A, B_, 2)
    assert first.shared_themes == "Child rights; Security"
    assert list(frame["jaccard"]) == sorted(frame["jaccard"], reverse=True)


def test_overlap_kind_filter(graphs):
    B, _ = graphs
    got = pairs(theme_overlap(B, kinds=["dynamic-coalition"]))
    assert got == pytest.approx({(A, B_): 2 / 3})


def test_gaps_by_hand(graphs):
    B, L = graphs
    gaps = liaison_gaps(B, L, min_overlap=0.25, max_hops=1)
    assert [(r.rank, r.body_a, r.body_b) for r in gaps.itertuples()] == [(1, C, X), (2, A, X)]
    assert gaps["jaccard"].tolist() == pytest.approx([0.5, 0.25])
    assert pd.isna(gaps.loc[0, "hops"]) and gaps.loc[1, "hops"] == 2
    assert gaps.loc[0, "shared_themes"] == "Connectivity"


def test_gaps_max_hops_and_threshold(graphs):
    B, L = graphs
    assert [
        (r.body_a, r.body_b) for r in liaison_gaps(B, L, min_overlap=0.25, max_hops=2).itertuples()
    ] == [(C, X)]
    assert [(r.body_a, r.body_b) for r in liaison_gaps(B, L, min_overlap=0.3).itertuples()] == [
        (C, X)
    ]
    assert liaison_gaps(B, L, min_overlap=0.75).empty


def test_gaps_reject_bad_parameters(graphs):
    B, L = graphs
    with pytest.raises(ValueError, match="min_overlap"):
        liaison_gaps(B, L, min_overlap=1.5)
    with pytest.raises(ValueError, match="max_hops"):
        liaison_gaps(B, L, max_hops=0)


# -- properties --------------------------------------------------------------------------


@st.composite
def bipartite(draw):
    n_bodies = draw(st.integers(2, 7))
    n_themes = draw(st.integers(1, 6))
    B = nx.Graph()
    bodies = [f"b{i}" for i in range(n_bodies)]
    themes = [f"t{i}" for i in range(n_themes)]
    B.add_nodes_from(bodies, bipartite=0, kind="dynamic-coalition")
    for t in themes:
        B.add_node(t, bipartite=1, kind="theme", label=t)
    for b in bodies:
        for t in draw(st.lists(st.sampled_from(themes), unique=True, max_size=n_themes)):
            B.add_edge(b, t)
    L = nx.Graph()
    L.add_nodes_from(bodies)
    for a, b in draw(
        st.lists(st.tuples(st.sampled_from(bodies), st.sampled_from(bodies)), max_size=5)
    ):
        if a != b:
            L.add_edge(a, b)
    return B, L


@settings(max_examples=60, deadline=None)
@given(bipartite())
def test_overlap_is_symmetric_and_bounded(graphs_):
    B, _ = graphs_
    frame = theme_overlap(B)
    assert ((frame["jaccard"] > 0) & (frame["jaccard"] <= 1)).all()
    assert (frame["body_a"] < frame["body_b"]).all()
    for r in frame.itertuples():
        ta, tb = set(B[r.body_a]), set(B[r.body_b])
        assert r.jaccard == pytest.approx(len(ta & tb) / len(ta | tb))


@settings(max_examples=60, deadline=None)
@given(bipartite())
def test_adding_a_liaison_removes_the_gap(graphs_):
    B, L = graphs_
    gaps = liaison_gaps(B, L, min_overlap=0.0)
    if gaps.empty:
        return
    a, b = gaps.iloc[0][["body_a", "body_b"]]
    L2 = L.copy()
    L2.add_edge(a, b)
    after = liaison_gaps(B, L2, min_overlap=0.0)
    assert not ((after["body_a"] == a) & (after["body_b"] == b)).any()


@settings(max_examples=40, deadline=None)
@given(bipartite(), st.permutations(list(range(7))))
def test_renaming_ids_keeps_scores(graphs_, perm):
    B, L = graphs_
    mapping = {f"b{i}": f"z{perm[i]}" for i in range(7)}
    B2, L2 = nx.relabel_nodes(B, mapping), nx.relabel_nodes(L, mapping)
    before = sorted(liaison_gaps(B, L, min_overlap=0.0)["jaccard"].round(12))
    after = sorted(liaison_gaps(B2, L2, min_overlap=0.0)["jaccard"].round(12))
    assert before == after


@settings(max_examples=30, deadline=None)
@given(bipartite())
def test_results_identical_across_runs(graphs_):
    B, L = graphs_
    pd.testing.assert_frame_equal(
        liaison_gaps(B, L, min_overlap=0.0), liaison_gaps(B, L, min_overlap=0.0)
    )


# -- every overlap measure, by hand (weights: N = 4 bodies with themes; n_t = bodies per theme:
#    child-rights 2, privacy 1, security 3, connectivity 2; w(t) = s(t) (ln(5 / (1 + n_t)) + 1),
#    s = 0.5 for the top concepts security and connectivity, 1 for child-rights and privacy) ----

W = {
    "cr": math.log(5 / 3) + 1,
    "pr": math.log(5 / 2) + 1,
    "se": 0.5 * (math.log(5 / 4) + 1),
    "co": 0.5 * (math.log(5 / 3) + 1),
}


def test_every_measure_by_hand(graphs):
    B, _ = graphs
    frame = theme_overlap(B).set_index(["body_a", "body_b"])
    ab, cx, bx, ax = frame.loc[(A, B_)], frame.loc[(C, X)], frame.loc[(B_, X)], frame.loc[(A, X)]
    # overlap coefficient: shared / size of the smaller set
    assert [ab.overlap_coefficient, cx.overlap_coefficient, bx.overlap_coefficient, ax.overlap_coefficient] == [
        1.0, 1.0, 0.5, 0.5,
    ]  # fmt: skip
    # rarity-weighted Jaccard
    assert ab.weighted_jaccard == pytest.approx((W["cr"] + W["se"]) / (W["cr"] + W["pr"] + W["se"]))
    assert cx.weighted_jaccard == pytest.approx(W["co"] / (W["co"] + W["se"]))  # 0.5526
    assert bx.weighted_jaccard == pytest.approx(W["se"] / (W["cr"] + W["se"] + W["co"]))
    assert ax.weighted_jaccard == pytest.approx(W["se"] / sum(W.values()))  # 0.1276
    # SKOS-aware: child-rights and privacy are siblings (both narrower than human-rights) = 0.5;
    # A/B: I = ((1 + 0.5 + 1) + (1 + 1)) / 2 = 2.25, score = 2.25 / (3 + 2 - 2.25) = 0.8182
    assert ab.skos_jaccard == pytest.approx(2.25 / 2.75)
    assert (cx.skos_jaccard, bx.skos_jaccard, ax.skos_jaccard) == pytest.approx((0.5, 1 / 3, 0.25))
    # Adamic-Adar and resource allocation over shared themes, degrees counted in B
    assert ab.adamic_adar == pytest.approx(1 / math.log(2) + 1 / math.log(3))
    assert ab.resource_allocation == pytest.approx(1 / 2 + 1 / 3)
    assert (
        cx.resource_allocation,
        bx.resource_allocation,
        ax.resource_allocation,
    ) == pytest.approx((1 / 2, 1 / 3, 1 / 3))
    assert frame["text_cosine"].between(0, 1).all()


def test_text_cosine_is_a_separate_signal():
    B = nx.Graph()
    B.add_node("a", bipartite=0, kind="dynamic-coalition", text="community networks in rural areas")
    B.add_node("b", bipartite=0, kind="dynamic-coalition", text="community networks in rural areas")
    B.add_node("c", bipartite=0, kind="dynamic-coalition", text="blockchain smart contracts")
    B.add_node("t", bipartite=1, kind="theme")
    B.add_edges_from([("a", "t"), ("b", "t"), ("c", "t")])
    frame = theme_overlap(B).set_index(["body_a", "body_b"])
    assert frame.loc[("a", "b"), "text_cosine"] == pytest.approx(1.0)
    assert frame.loc[("a", "c"), "text_cosine"] == pytest.approx(0.0)
    assert (frame["jaccard"] == 1.0).all()  # the theme measure does not see the text


def test_gap_rows_explain_themselves(mini_store):
    from igfgraph.analysis import gaps_from_store

    gaps = gaps_from_store(mini_store)
    assert [(r.body_a, r.body_b) for r in gaps.itertuples()] == [(C, X), (A, X)]
    assert gaps["score"].tolist() == pytest.approx(
        [W["co"] / (W["co"] + W["se"]), W["se"] / sum(W.values())]
    )
    # the recommendation names the DC modality and PN-X itself: it covers both pairs
    assert (gaps["recommended_by"] == "Coalitions and networks (§1.iv para 4, A test paper)").all()
    assert gaps.loc[0, "evidence"].startswith("share 1 theme (Connectivity); Jaccard 0.50")
    assert "no recorded liaison path" in gaps.loc[0, "evidence"]
    assert "2 liaison hops apart" in gaps.loc[1, "evidence"]


def test_gaps_as_of_and_confidence(mini_store):
    from igfgraph.analysis import gaps_from_store

    # 2021: DC-C's founding year is unknown and no dated list shows it, so it is left out
    assert [(r.body_a, r.body_b) for r in gaps_from_store(mini_store, as_of=2021).itertuples()] == [
        (A, X)
    ]
    assert gaps_from_store(mini_store, as_of=2023).empty  # PN-X's cycles are 2021 and 2022
    assert gaps_from_store(mini_store, min_confidence="high").empty  # PN-X is medium
    assert len(gaps_from_store(mini_store, min_confidence="medium")) == 2


def test_gaps_never_pair_predecessor_and_successor(graphs):
    from igfgraph.analysis import lineage_pairs
    from igfgraph.model import ReadModel, Relation

    B, L = graphs
    model = ReadModel(
        bodies={}, themes={}, relations=(Relation(X, "succeeds", C), Relation(A, "coordinates", B_))
    )
    assert lineage_pairs(model) == {frozenset((C, X))}
    gaps = liaison_gaps(B, L, exclude=lineage_pairs(model))
    assert [(r.body_a, r.body_b) for r in gaps.itertuples()] == [(A, X)]


def test_the_old_activity_cases_under_the_one_rule():
    # the cases the former active_in/current helpers decided, now asked of igfgraph/activity.py
    from igfgraph.activity import Activity, ActivityEvidence, activity_in

    def outcome(year, **kw):
        return activity_in(ActivityEvidence(**kw), year).outcome

    bpf = {"established": 2016, "ended": 2017, "cycles": (2016, 2017)}
    assert [outcome(y, **bpf) for y in (2015, 2016, 2018)] == [
        Activity.INACTIVE, Activity.ACTIVE, Activity.INACTIVE,
    ]  # fmt: skip
    dc = {"established": 2010, "listings": ((2022, "listed"),)}
    assert outcome(2010, **dc) is Activity.ACTIVE and outcome(2009, **dc) is Activity.INACTIVE
    assert outcome(2016, **dc) is Activity.ACTIVE  # between its founding and a listing
    delisted = {"listings": ((2020, "listed"), (2022, "not-listed"), (None, "unknown"))}
    assert outcome(2022, **delisted) is Activity.INACTIVE
    assert outcome(2021, **delisted) is Activity.UNKNOWN  # was counted active before
    newer = {"established": 2023, "listings": ((2022, "not-listed"),)}
    assert outcome(2023, **newer) is Activity.ACTIVE  # a list from before its founding says nothing
    assert outcome(2010, ended=2009) is Activity.INACTIVE


def test_unrealised_recommendations(mini_store):
    from igfgraph.analysis import unrealised_recommendations

    frame = unrealised_recommendations(mini_store)
    assert len(frame) == 1
    row = frame.iloc[0]
    # DC-B (a DC) has a liaison with PN-X: the pair "the DCs" / PN-X is realised once
    assert (row.label_a, row.label_b, row.liaisons, row.realised) == (
        "Dynamic Coalitions",
        "Policy Network X",
        1,
        True,
    )


def test_coverage_by_hand(graphs):
    from igfgraph.analysis import theme_coverage

    B, _ = graphs
    frame = theme_coverage(B).set_index("label")
    assert frame.loc["Security", ["bodies", "dcs", "pns", "coverage"]].tolist() == [
        3,
        2,
        1,
        "several",
    ]
    assert frame.loc["Privacy", ["bodies", "coverage", "broader"]].tolist() == [
        1,
        "one",
        "Human rights",
    ]
    assert frame.loc["Human rights", ["bodies", "coverage"]].tolist() == [0, "none"]
    assert frame.loc["Connectivity", "addressed_by"] == "Dynamic Coalition C; Policy Network X"


@settings(max_examples=40, deadline=None)
@given(bipartite())
def test_all_measures_symmetric_and_bounded(graphs_):
    B, _ = graphs_
    frame = theme_overlap(B, text=False)
    for column in ("jaccard", "overlap_coefficient", "weighted_jaccard", "skos_jaccard"):
        assert frame[column].between(0, 1).all(), column
    assert (frame["skos_jaccard"] >= frame["jaccard"] - 1e-12).all()
    flipped = nx.relabel_nodes(B, {n: f"~{n}" for n in B})  # reverses nothing, but renames every id
    assert sorted(theme_overlap(flipped, text=False)["weighted_jaccard"].round(12)) == sorted(
        frame["weighted_jaccard"].round(12)
    )


def test_adamic_adar_and_resource_allocation_match_networkx(graphs):
    B, _ = graphs
    frame = theme_overlap(B, text=False)
    pairs = list(zip(frame["body_a"], frame["body_b"], strict=True))
    aa = {(u, v): p for u, v, p in nx.adamic_adar_index(B, pairs)}
    ra = {(u, v): p for u, v, p in nx.resource_allocation_index(B, pairs)}
    for row in frame.itertuples():
        assert row.adamic_adar == pytest.approx(aa[row.body_a, row.body_b])
        assert row.resource_allocation == pytest.approx(ra[row.body_a, row.body_b])
