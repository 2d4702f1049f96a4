"""Thematic overlap of bodies: Jaccard similarity of their theme sets."""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx
import pandas as pd

__all__ = ["OVERLAP_COLUMNS", "theme_overlap"]

OVERLAP_COLUMNS = [
    "body_a",
    "body_b",
    "label_a",
    "label_b",
    "kind_a",
    "kind_b",
    "themes_a",
    "themes_b",
    "shared",
    "jaccard",
    "shared_themes",
]


def theme_overlap(B: nx.Graph, *, kinds: Iterable[str] | None = None) -> pd.DataFrame:
    r"""Pairwise thematic overlap of bodies on the body × theme bipartite graph.

    For bodies :math:`a, b` with theme sets :math:`T(a), T(b)` the Jaccard similarity is

    .. math:: J(a, b) = \\frac{|T(a) \\cap T(b)|}{|T(a) \\cup T(b)|}

    computed with :func:`networkx.algorithms.bipartite.overlap_weighted_projected_graph`
    (``jaccard=True``) on the body side of ``B``.

    Parameters
    ----------
    B : networkx.Graph
        Body × theme bipartite graph from :func:`igfgraph.analysis.body_theme_graph`
        (bodies ``bipartite=0`` with ``label``, ``kind``; themes ``bipartite=1``).
    kinds : iterable of str, optional
        Keep only bodies of these kinds (``"dynamic-coalition"``, ``"policy-network"``…).

    Returns
    -------
    pandas.DataFrame
        One row per unordered pair sharing at least one theme, columns
        :data:`OVERLAP_COLUMNS`: ``body_a < body_b`` (IRIs), labels and kinds, the size
        of each theme set, ``shared`` (count), ``jaccard`` (float in (0, 1]) and
        ``shared_themes`` (theme labels, sorted, joined by ``"; "``). Sorted by Jaccard
        (descending), shared count (descending), then ids. Bodies without themes
        ("themes unknown") never appear: no overlap is computed for them.

    References
    ----------
    .. [1] Jaccard, P. (1901), "Étude comparative de la distribution florale dans une
       portion des Alpes et du Jura", *Bull. Soc. Vaudoise Sci. Nat.* 37, 547–579.
    .. [2] Borgatti, S. P. and Halgin, D. S. (2011), "Analyzing affiliation networks",
       *The SAGE Handbook of Social Network Analysis*, 417–433.

    Examples
    --------
    >>> import networkx as nx
    >>> B = nx.Graph()
    >>> B.add_nodes_from(["a", "b"], bipartite=0, kind="dynamic-coalition")
    >>> B.add_nodes_from(["t1", "t2", "t3"], bipartite=1, kind="theme")
    >>> B.add_edges_from([("a", "t1"), ("a", "t2"), ("b", "t2"), ("b", "t3")])
    >>> float(theme_overlap(B)["jaccard"].iloc[0])
    0.3333333333333333
    """
    wanted = set(kinds) if kinds is not None else None
    bodies = sorted(
        n
        for n, d in B.nodes(data=True)
        if d.get("bipartite") == 0
        and B.degree(n) > 0
        and (wanted is None or d.get("kind") in wanted)
    )
    themes = [n for n, d in B.nodes(data=True) if d.get("bipartite") == 1]
    # project a subgraph: networkx projects onto every 2-hop neighbour, not only ``nodes``
    P = nx.bipartite.overlap_weighted_projected_graph(
        B.subgraph(bodies + themes), bodies, jaccard=True
    )
    rows = []
    for u, v, w in P.edges(data="weight"):
        a, b = sorted((u, v))
        shared = sorted(set(B[a]) & set(B[b]))
        rows.append(
            {
                "body_a": a,
                "body_b": b,
                "label_a": B.nodes[a].get("label", a),
                "label_b": B.nodes[b].get("label", b),
                "kind_a": B.nodes[a].get("kind", ""),
                "kind_b": B.nodes[b].get("kind", ""),
                "themes_a": B.degree(a),
                "themes_b": B.degree(b),
                "shared": len(shared),
                "jaccard": float(w),
                "shared_themes": "; ".join(sorted(B.nodes[t].get("label", t) for t in shared)),
            }
        )
    frame = pd.DataFrame(rows, columns=OVERLAP_COLUMNS)
    frame = frame.sort_values(
        ["jaccard", "shared", "body_a", "body_b"], ascending=[False, False, True, True]
    )
    return frame.reset_index(drop=True)
