"""Overlap and liaison gaps on the mini package, against values worked out by hand.

The expected numbers are derived in tests/data/mini/README.md:
theme sets DC-A {child-rights, privacy, security}, DC-B {child-rights, security},
DC-C {connectivity}, PN-X {connectivity, security}; liaisons DC-A–DC-B, DC-B–PN-X,
DCCG–Secretariat (DC-C's liaison with the whole DC modality is not pairwise).
"""

from __future__ import annotations

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
