"""Overlap by sparse products equals the pairwise networkx projection it replaced.

``reference_overlap`` is the former implementation (networkx's
``overlap_weighted_projected_graph`` plus a loop over every two bodies), kept here as the
oracle: on a hand-made graph with hand-computed Jaccard values, on the shipped data and on
a synthetic package, the sparse version returns the same frame, float for float.
"""

from __future__ import annotations

import math
from itertools import combinations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from igfgraph.analysis import body_theme_graph
from igfgraph.analysis.overlap import (
    OVERLAP_COLUMNS,
    _soft_jaccard,
    theme_overlap,
    theme_weights,
)
from igfgraph.csvio import LIST_SEPARATOR


def reference_overlap(B: nx.Graph, *, kinds=None, text=True) -> pd.DataFrame:
    """The pairwise implementation theme_overlap had before the sparse product."""
    wanted = set(kinds) if kinds is not None else None
    bodies = sorted(
        n
        for n, d in B.nodes(data=True)
        if d.get("bipartite") == 0
        and B.degree(n) > 0
        and (wanted is None or d.get("kind") in wanted)
    )
    themes = [n for n, d in B.nodes(data=True) if d.get("bipartite") == 1]
    P = nx.bipartite.overlap_weighted_projected_graph(
        B.subgraph(bodies + themes), bodies, jaccard=True
    )
    weights = theme_weights(B)
    cosines = {}
    texts = [str(B.nodes[b].get("text") or "") for b in bodies]
    if text and any(t.strip() for t in texts):
        from sklearn.feature_extraction.text import TfidfVectorizer

        matrix = TfidfVectorizer(stop_words="english").fit_transform(texts)
        sims = (matrix @ matrix.T).toarray()
        index = {b: i for i, b in enumerate(bodies)}
        cosines = {
            (a, b): float(np.clip(sims[index[a], index[b]], 0.0, 1.0))
            for a, b in combinations(bodies, 2)
        }
    rows = []
    for a, b in combinations(bodies, 2):
        A, C = set(B[a]), set(B[b])
        skos = _soft_jaccard(B, A, C)
        if not (A & C or skos > 0):
            continue
        shared = A & C
        rows.append(
            {
                "body_a": a,
                "body_b": b,
                "label_a": B.nodes[a].get("label", a),
                "label_b": B.nodes[b].get("label", b),
                "kind_a": B.nodes[a].get("kind", ""),
                "kind_b": B.nodes[b].get("kind", ""),
                "themes_a": len(A),
                "themes_b": len(C),
                "shared": len(shared),
                "jaccard": float(P.edges[a, b]["weight"]) if P.has_edge(a, b) else 0.0,
                "overlap_coefficient": len(shared) / min(len(A), len(C)),
                "weighted_jaccard": min(
                    1.0,
                    math.fsum(weights[t] for t in shared) / math.fsum(weights[t] for t in A | C),
                ),
                "skos_jaccard": skos,
                "adamic_adar": math.fsum(1 / math.log(B.degree(t)) for t in shared),
                "resource_allocation": math.fsum(1 / B.degree(t) for t in shared),
                "text_cosine": cosines.get((a, b), float("nan")),
                "shared_themes": LIST_SEPARATOR.join(
                    sorted(B.nodes[t].get("label", t) for t in shared)
                ),
            }
        )
    frame = pd.DataFrame(rows, columns=OVERLAP_COLUMNS)
    frame = frame.sort_values(
        ["jaccard", "weighted_jaccard", "skos_jaccard", "body_a", "body_b"],
        ascending=[False, False, False, True, True],
    )
    return frame.reset_index(drop=True)


def hand_graph() -> nx.Graph:
    """Five bodies, two top themes with children; x has no theme (never paired)."""
    B = nx.Graph()
    for b, kind, text in [
        ("a", "dynamic-coalition", "internet rights and principles"),
        ("b", "dynamic-coalition", "rights of children online"),
        ("c", "policy-network", "meaningful access and connectivity"),
        ("d", "best-practice-forum", "cybersecurity norms"),
        ("x", "dynamic-coalition", "no themes"),
    ]:
        B.add_node(b, bipartite=0, kind=kind, label=b.upper(), text=text)
    B.add_node("rights", bipartite=1, label="Rights", broader=None)
    B.add_node("access", bipartite=1, label="Access", broader=None)
    for t, parent in [
        ("r1", "rights"),
        ("r2", "rights"),
        ("r3", "rights"),
        ("a1", "access"),
        ("s1", "security"),
    ]:
        B.add_node(t, bipartite=1, label=t.upper(), broader=parent)
    B.add_edges_from(
        [
            ("a", "r1"),
            ("a", "r2"),
            ("a", "a1"),
            ("b", "r2"),
            ("b", "r3"),
            ("c", "a1"),
            ("c", "access"),
            ("d", "s1"),
        ]
    )
    return B


def test_hand_made_graph_jaccard_by_hand():
    frame = theme_overlap(hand_graph()).set_index(["body_a", "body_b"])
    # a={r1,r2,a1}, b={r2,r3}, c={a1,access}, d={s1}
    assert frame.loc[("a", "b"), "jaccard"] == 1 / 4  # {r2} / {r1,r2,r3,a1}
    assert frame.loc[("a", "b"), "shared"] == 1
    assert frame.loc[("a", "c"), "jaccard"] == 1 / 4  # {a1} / {r1,r2,a1,access}
    assert frame.loc[("a", "c"), "overlap_coefficient"] == 1 / 2
    # b and c share nothing and no theme of b is related to one of c: absent
    assert ("b", "c") not in frame.index
    # d's only theme has no relative among the others: d is in no pair, nor is x
    members = set(frame.index.get_level_values(0)) | set(frame.index.get_level_values(1))
    assert members == {"a", "b", "c"}
    assert len(frame) == 2


def test_siblings_without_a_shared_theme_are_a_pair():
    B = nx.Graph()
    B.add_nodes_from(["p", "q"], bipartite=0, kind="dynamic-coalition")
    B.add_node("top", bipartite=1, broader=None)
    B.add_node("t1", bipartite=1, broader="top")
    B.add_node("t2", bipartite=1, broader="top")
    B.add_edges_from([("p", "t1"), ("q", "t2")])
    frame = theme_overlap(B, text=False)
    assert list(
        frame[["body_a", "body_b", "jaccard", "skos_jaccard"]].itertuples(index=False, name=None)
    ) == [("p", "q", 0.0, 0.5 / (2 - 0.5))]


def assert_same(new: pd.DataFrame, old: pd.DataFrame):
    assert list(new.columns) == list(old.columns)
    assert len(new) == len(old)
    pd.testing.assert_frame_equal(new, old, check_exact=True, check_dtype=False)


def test_equal_to_the_pairwise_version_on_the_hand_graph():
    B = hand_graph()
    assert_same(theme_overlap(B), reference_overlap(B))
    assert_same(
        theme_overlap(B, kinds=["dynamic-coalition"]),
        reference_overlap(B, kinds=["dynamic-coalition"]),
    )


@pytest.fixture(scope="module")
def shipped_B():
    from igfgraph.build import build_graph
    from igfgraph.sparql import to_store
    from igfgraph.tables import load_tables

    return body_theme_graph(to_store(build_graph(load_tables()).graph))


def test_equal_to_the_pairwise_version_on_the_shipped_data(shipped_B):
    new, old = theme_overlap(shipped_B), reference_overlap(shipped_B)
    assert len(new) > 100
    assert_same(new, old)
    for kinds in (["dynamic-coalition"], ["policy-network", "best-practice-forum"]):
        assert_same(
            theme_overlap(shipped_B, kinds=kinds, text=False),
            reference_overlap(shipped_B, kinds=kinds, text=False),
        )


def test_equal_to_the_pairwise_version_on_a_synthetic_package(tmp_path):
    from igfgraph.build import build_graph
    from igfgraph.sparql import to_store
    from igfgraph.synth import write_synth
    from igfgraph.tables import load_tables

    folder = write_synth(tmp_path / "s", 3, 4).folder
    B = body_theme_graph(to_store(build_graph(load_tables(folder, check=False)).graph))
    assert_same(theme_overlap(B), reference_overlap(B))


def test_betweenness_exact_below_the_limit_sampled_above(monkeypatch):
    from igfgraph.analysis import network

    G = nx.path_graph(7)  # exact by hand: node i lies on i*(6-i) of the 15 pairs' paths
    values, how = network.betweenness(G)
    assert how == "exact"
    assert values == pytest.approx({i: i * (6 - i) / 15 for i in range(7)})
    big = nx.barabasi_albert_graph(60, 2, seed=1)
    monkeypatch.setattr(network, "EXACT_BETWEENNESS_MAX_NODES", 50)
    monkeypatch.setattr(network, "BETWEENNESS_SAMPLES", 20)
    values, how = network.betweenness(big)
    assert how == "sampled (k=20, seed=42)"
    assert values == nx.betweenness_centrality(big, k=20, normalized=True, seed=42)
    assert values != nx.betweenness_centrality(big, normalized=True)  # an estimate
    assert network.betweenness(big)[0] == values  # same seed, same values
    frame = network.centrality(big)
    assert frame.attrs["betweenness"] == "sampled (k=20, seed=42)"
    assert (
        dict(zip(frame["node"], frame["betweenness"], strict=True))
        == network.betweenness(network.undirected(big))[0]
    )
