"""Network measures on the governance graph: centrality, brokerage, communities, components.

The governance graph (:func:`igfgraph.analysis.governance_graph`) is read here as a
simple undirected graph: two nodes are adjacent when any liaison or governance relation
(coordination, accreditation, support, unit, succession…) joins them in either
direction. Modality nodes ("the Dynamic Coalitions") and UN processes stay in the graph,
since relations such as "the Secretariat accredits the DCs" go through them.
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

from igfgraph.evidence import evidence_label

__all__ = [
    "BETWEENNESS_SAMPLES",
    "BETWEENNESS_SEED",
    "CENTRALITY_COLUMNS",
    "EXACT_BETWEENNESS_MAX_NODES",
    "betweenness",
    "centrality",
    "communities",
    "undirected",
]

#: Largest graph (in nodes) whose betweenness is computed exactly (Brandes, O(nm)); the
#: shipped data has about 270 nodes. Above it, betweenness is estimated from
#: :data:`BETWEENNESS_SAMPLES` source nodes drawn with :data:`BETWEENNESS_SEED`.
EXACT_BETWEENNESS_MAX_NODES = 1000
#: Number of source nodes sampled (networkx's ``k``) above the exact limit.
BETWEENNESS_SAMPLES = 500
#: Seed of the sample (networkx's ``seed``): the same graph gives the same estimate.
BETWEENNESS_SEED = 42

CENTRALITY_COLUMNS = [
    "node",
    "label",
    "kind",
    "degree",
    "degree_centrality",
    "betweenness",
    "eigenvector",
    "constraint",
    "effective_size",
    "component",
    "isolate",
    "evidence_counted",
]


def _counted(G: nx.Graph) -> str:
    """Name the liaison evidence types ``G`` was built with (``""`` for other graphs)."""
    evidence = G.graph.get("evidence")
    return evidence_label(evidence) if evidence is not None else ""


def undirected(G: nx.Graph) -> nx.Graph:
    """Collapse a (multi, directed) graph into a simple undirected graph, keeping node data.

    Parameters
    ----------
    G : networkx.Graph
        Any networkx graph.

    Returns
    -------
    networkx.Graph
        Same nodes and attributes; one edge per adjacent pair, no self-loops.
    """
    H = nx.Graph()
    H.add_nodes_from(sorted(G.nodes(data=True)))
    H.add_edges_from(sorted((min(u, v), max(u, v)) for u, v in G.edges() if u != v))
    return H


def _components(H: nx.Graph) -> dict[str, int]:
    comps = sorted((sorted(c) for c in nx.connected_components(H)), key=lambda c: (-len(c), c[0]))
    return {n: i for i, comp in enumerate(comps) for n in comp}


def betweenness(H: nx.Graph) -> tuple[dict, str]:
    """Normalised shortest-path betweenness, exact for small graphs, sampled for large ones.

    Parameters
    ----------
    H : networkx.Graph
        A simple graph.

    Returns
    -------
    (dict, str)
        Node → betweenness in [0, 1] (:func:`networkx.betweenness_centrality`,
        ``normalized=True``), and how it was computed: ``"exact"`` when ``H`` has at most
        :data:`EXACT_BETWEENNESS_MAX_NODES` nodes, else ``"sampled (k=500, seed=42)"``:
        Brandes' estimate from :data:`BETWEENNESS_SAMPLES` source nodes drawn with
        :data:`BETWEENNESS_SEED` (same graph, same values), rescaled by networkx to the
        whole graph.

    References
    ----------
    .. [1] Brandes, U. and Pich, C. (2007), "Centrality estimation in large networks",
       *International Journal of Bifurcation and Chaos* 17(7), 2303–2318.
    """
    if H.number_of_nodes() <= EXACT_BETWEENNESS_MAX_NODES:
        return nx.betweenness_centrality(H, normalized=True), "exact"
    values = nx.betweenness_centrality(
        H, k=BETWEENNESS_SAMPLES, normalized=True, seed=BETWEENNESS_SEED
    )
    return values, f"sampled (k={BETWEENNESS_SAMPLES}, seed={BETWEENNESS_SEED})"


def centrality(G: nx.Graph) -> pd.DataFrame:
    """Centrality and brokerage of every node of the governance graph.

    Parameters
    ----------
    G : networkx.Graph
        The governance graph (any networkx graph; read as simple undirected, see
        :func:`undirected`).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CENTRALITY_COLUMNS`: ``degree`` (neighbours), ``degree_centrality``
        (degree / (n − 1)), ``betweenness`` (normalised shortest-path betweenness,
        Freeman 1977; exact up to :data:`EXACT_BETWEENNESS_MAX_NODES` nodes, sampled
        with a fixed seed above, see :func:`betweenness`; the frame's
        ``attrs["betweenness"]`` says which), ``eigenvector`` (power iteration, ``NaN``
        if it does not converge),
        ``constraint`` and ``effective_size`` (Burt's structural holes: a low constraint and
        a large effective size mark a broker; ``NaN`` for isolates), ``component`` (0 =
        largest connected component), ``isolate`` (no link at all) and
        ``evidence_counted`` (the liaison evidence types the graph counts, from
        ``G.graph["evidence"]``, e.g. ``"stated, co-organised, co-authored"``). Sorted by
        betweenness, degree (descending), then node.

    References
    ----------
    .. [1] Freeman, L. C. (1977), "A set of measures of centrality based on betweenness",
       *Sociometry* 40(1), 35–41.
    .. [2] Bonacich, P. (1987), "Power and centrality: a family of measures",
       *American Journal of Sociology* 92(5), 1170–1182.
    .. [3] Burt, R. S. (1992), *Structural Holes: The Social Structure of Competition*,
       Harvard University Press; Burt, R. S. (1995), *Le capital social, les trous
       structuraux et l'entrepreneur*, Revue française de sociologie 36(4), 599–628.
    """
    H = undirected(G)
    if H.number_of_nodes() == 0:
        return pd.DataFrame(columns=CENTRALITY_COLUMNS)
    degree = nx.degree_centrality(H)
    between, method = betweenness(H)
    try:
        eigen = nx.eigenvector_centrality(H, max_iter=2000, tol=1e-10)
    except nx.PowerIterationFailedConvergence:
        eigen = {}
    constraint = nx.constraint(H)
    effective = nx.effective_size(H)
    component = _components(H)
    rows = [
        {
            "node": n,
            "label": d.get("label", n),
            "kind": d.get("kind", ""),
            "degree": H.degree(n),
            "degree_centrality": degree[n],
            "betweenness": between[n],
            "eigenvector": eigen.get(n, float("nan")),
            "constraint": constraint.get(n, float("nan")),
            "effective_size": effective.get(n, float("nan")),
            "component": component[n],
            "isolate": H.degree(n) == 0,
            "evidence_counted": _counted(G),
        }
        for n, d in H.nodes(data=True)
    ]
    frame = pd.DataFrame(rows, columns=CENTRALITY_COLUMNS)
    frame = frame.sort_values(["betweenness", "degree", "node"], ascending=[False, False, True])
    frame = frame.reset_index(drop=True)
    frame.attrs["betweenness"] = method
    return frame


def communities(G: nx.Graph, *, seed: int = 42, resolution: float = 1.0, weight: str | None = None):
    """Louvain communities of the governance graph, with a fixed seed, and their modularity.

    Parameters
    ----------
    G : networkx.Graph
        The governance graph (read as simple undirected, see :func:`undirected`), or any
        graph, e.g. an overlap network with a ``weight`` attribute.
    seed : int, default 42
        Seed of the Louvain method: the same seed gives the same partition.
    resolution : float, default 1.0
        Louvain resolution; larger values give more, smaller communities.
    weight : str, optional
        Edge attribute used as weight (``None``: unweighted).

    Returns
    -------
    (pandas.DataFrame, float)
        A frame with columns ``node``, ``label``, ``kind``, ``community`` (0 = largest;
        ties broken by the smallest node id; isolates are singleton communities),
        ``size`` and ``evidence_counted`` (as in :func:`centrality`), sorted by community
        then node; and the modularity of the partition
        (Newman 2006).

    References
    ----------
    .. [1] Blondel, V. D., Guillaume, J.-L., Lambiotte, R. and Lefebvre, E. (2008), "Fast
       unfolding of communities in large networks", *J. Stat. Mech.* P10008.
    .. [2] Newman, M. E. J. (2006), "Modularity and community structure in networks",
       *PNAS* 103(23), 8577–8582.
    """
    if weight is None:
        H = undirected(G)
    else:
        H = nx.Graph()
        H.add_nodes_from(sorted(G.nodes(data=True)))
        H.add_weighted_edges_from(
            sorted((min(u, v), max(u, v), d.get(weight, 1.0)) for u, v, d in G.edges(data=True)),
            weight=weight,
        )
    columns = ["node", "label", "kind", "community", "size", "evidence_counted"]
    if H.number_of_nodes() == 0:
        return pd.DataFrame(columns=columns), float("nan")
    parts = nx.community.louvain_communities(H, weight=weight, resolution=resolution, seed=seed)
    parts = sorted((sorted(p) for p in parts), key=lambda p: (-len(p), p[0]))
    modularity = nx.community.modularity(H, parts, weight=weight) if H.number_of_edges() else 0.0
    rows = [
        {
            "node": n,
            "label": H.nodes[n].get("label", n),
            "kind": H.nodes[n].get("kind", ""),
            "community": i,
            "size": len(p),
            "evidence_counted": _counted(G),
        }
        for i, p in enumerate(parts)
        for n in p
    ]
    return pd.DataFrame(rows, columns=columns), float(modularity)
