"""Centrality, brokerage and communities, against values worked out by hand.

The mini package's governance graph, read as simple undirected: liaisons DC-A–DC-B,
DC-B–PN-X, DCCG–Secretariat; the DCCG coordinates DC-A, DC-B, DC-C; the Secretariat
accredits the DC modality. Nine nodes (the two NRIs are isolates), seven edges:

    DC-C ─ DCCG ─ Secretariat ─ (DCs)          DCCG's neighbours: Secretariat, DC-A, DC-B, DC-C
            │  ╲
          DC-A ─ DC-B ─ PN-X

Betweenness (normalised by (n-1)(n-2)/2 = 28): the DCCG lies on 11 shortest paths, DC-B
on 5, the Secretariat on 5. Burt's constraint, p_ij = 1/deg(i):
DCCG = 1/16 + (1/4 + 1/12)^2 + (1/4 + 1/8)^2 + 1/16 = 0.37674; DC-B = (1/3 + 1/12)^2 +
1/9 + (1/3 + 1/6)^2 = 0.53472; DC-A = (1/2 + 1/8)^2 + (1/2 + 1/6)^2 = 0.83507;
Secretariat = 1/4 + 1/4 = 0.5; leaves = 1. Effective size n - 2t/n: DCCG 4 - 2/4 = 3.5,
DC-B 3 - 2/3, DC-A 2 - 1 = 1, Secretariat 2.
"""

from __future__ import annotations

import math

import networkx as nx
import pytest

from igfgraph.analysis import centrality, communities, governance_graph
from igfgraph.ids import iri as _iri


def iri(*parts: str) -> str:
    return str(_iri(*parts))


G_, A, B, C, X, S = (iri("body", "dccg"), iri("dc", "dc-a"), iri("dc", "dc-b"), iri("dc", "dc-c"),
                     iri("pn", "pn-x"), iri("body", "sec"))  # fmt: skip
M = iri("modality", "dynamic-coalitions")


@pytest.fixture(scope="module")
def table(mini_store):
    return centrality(governance_graph(mini_store)).set_index("node")


def test_degree_and_betweenness_by_hand(table):
    assert table.loc[[G_, B, A, S, C, X, M], "degree"].tolist() == [4, 3, 2, 2, 1, 1, 1]
    assert table.loc[G_, "degree_centrality"] == pytest.approx(4 / 8)
    assert table.loc[G_, "betweenness"] == pytest.approx(11 / 28)
    assert table.loc[B, "betweenness"] == pytest.approx(5 / 28)
    assert table.loc[S, "betweenness"] == pytest.approx(5 / 28)
    assert table.loc[A, "betweenness"] == 0
    assert table.index[0] == G_  # sorted by betweenness


def test_structural_holes_by_hand(table):
    assert table.loc[G_, "constraint"] == pytest.approx(
        1 / 16 + (1 / 4 + 1 / 12) ** 2 + (1 / 4 + 1 / 8) ** 2 + 1 / 16
    )
    assert table.loc[B, "constraint"] == pytest.approx(
        (1 / 3 + 1 / 12) ** 2 + 1 / 9 + (1 / 3 + 1 / 6) ** 2
    )
    assert table.loc[A, "constraint"] == pytest.approx((1 / 2 + 1 / 8) ** 2 + (1 / 2 + 1 / 6) ** 2)
    assert table.loc[S, "constraint"] == pytest.approx(0.5)
    assert table.loc[C, "constraint"] == pytest.approx(1.0)
    assert table.loc[[G_, B, A, S, C], "effective_size"].tolist() == pytest.approx(
        [3.5, 3 - 2 / 3, 1.0, 2.0, 1.0]
    )


def test_components_isolates_and_eigenvector(table):
    isolates = set(table.index[table["isolate"]])
    assert isolates == {iri("nri", "arab-igf"), iri("nri", "igf-pl")}
    assert math.isnan(table.loc[iri("nri", "igf-pl"), "constraint"])
    assert (table.loc[[G_, A, B, C, X, S, M], "component"] == 0).all()
    assert table["eigenvector"].idxmax() == G_


def test_louvain_on_two_triangles_by_hand():
    # two triangles joined by one edge: m = 7, each community has L_c = 3 and degree sum 7,
    # Q = 2 * (3/7 - (7/14)^2) = 0.357143
    H = nx.Graph([(1, 2), (2, 3), (1, 3), (4, 5), (5, 6), (4, 6), (3, 4)])
    frame, q = communities(H, seed=1)
    groups = frame.groupby("community")["node"].apply(set).tolist()
    assert sorted(groups, key=min) == [{1, 2, 3}, {4, 5, 6}]
    assert q == pytest.approx(2 * (3 / 7 - 0.25))


def test_communities_are_seeded_and_stable(mini_store):
    G = governance_graph(mini_store)
    first, q1 = communities(G, seed=7)
    second, q2 = communities(G, seed=7)
    assert first.equals(second) and q1 == q2
    assert set(first[first["size"] == 1]["node"]) >= {iri("nri", "arab-igf"), iri("nri", "igf-pl")}
