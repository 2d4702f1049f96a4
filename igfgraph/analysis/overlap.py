r"""Thematic overlap of bodies, with each measure in its own column.

All measures are computed on the body × theme bipartite graph
(:func:`igfgraph.analysis.body_theme_graph`); for bodies :math:`a, b` with theme sets
:math:`A, B`:

``jaccard``
    :math:`|A \cap B| / |A \cup B|` (Jaccard 1901; the affiliation-network overlap of
    Borgatti & Halgin 2011, via :func:`networkx.bipartite.overlap_weighted_projected_graph`).
``overlap_coefficient``
    :math:`|A \cap B| / \min(|A|, |B|)` (Szymkiewicz–Simpson): 1 when one body's themes are
    a subset of the other's.
``weighted_jaccard``
    Jaccard with each theme weighted by its rarity and specificity,
    :math:`w(t) = \sigma(t)\,(\ln\frac{1+N}{1+n_t} + 1)` — the smoothed inverse document
    frequency of scikit-learn, where :math:`N` is the number of bodies with themes and
    :math:`n_t` the number addressing :math:`t`, times :math:`\sigma(t) =` 0.5 for a top
    concept of the scheme (a broad field such as "Economic") and 1 for a narrower one:
    :math:`\sum_{A \cap B} w / \sum_{A \cup B} w`. Rare and specific shared themes weigh
    more than ubiquitous or broad ones. **This is the score the gap ranking uses.**
``skos_jaccard``
    A SKOS-aware Jaccard: two themes match with similarity 1 when equal and **0.5** when one
    is the other's ``skos:broader`` or both share the same broader concept (siblings),
    else 0. The soft intersection is the mean of the best matches both ways,

    .. math::
        I = \tfrac12 \Big(\sum_{t \in A} \max_{u \in B} s(t,u)
            + \sum_{u \in B} \max_{t \in A} s(t,u)\Big)

    and the score :math:`I / (|A| + |B| - I)`, which equals ``jaccard`` when no
    partial matches exist.
``adamic_adar``, ``resource_allocation``
    :math:`\sum_{t \in A \cap B} 1/\ln n_t` and :math:`\sum_{t \in A \cap B} 1/n_t`
    on the bipartite graph (Adamic & Adar 2003; Zhou, Lü & Zhang 2009): the indices of
    :func:`networkx.adamic_adar_index` / :func:`networkx.resource_allocation_index`, whose
    common neighbours of two bodies are exactly their shared themes (summed here with
    :func:`math.fsum`, so the bytes do not depend on set order). Unbounded.
``text_cosine``
    Cosine similarity of TF-IDF vectors of each body's name and summary (scikit-learn,
    English stop words). A *text* signal, reported beside the theme measures and never
    mixed into them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from itertools import combinations

import networkx as nx
import numpy as np
import pandas as pd

from igfgraph.csvio import LIST_SEPARATOR

__all__ = [
    "OVERLAP_COLUMNS",
    "SKOS_PARTIAL",
    "TOP_CONCEPT_FACTOR",
    "overlap_between",
    "theme_overlap",
    "theme_weights",
]

#: Similarity of two distinct themes that are parent/child or siblings in the SKOS scheme.
SKOS_PARTIAL = 0.5
#: Weight factor of a top concept (no skos:broader) in ``weighted_jaccard``.
TOP_CONCEPT_FACTOR = 0.5

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
    "overlap_coefficient",
    "weighted_jaccard",
    "skos_jaccard",
    "adamic_adar",
    "resource_allocation",
    "text_cosine",
    "shared_themes",
]


def theme_weights(B: nx.Graph) -> dict[str, float]:
    r"""Return the weight of every theme, :math:`\sigma(t)\,(\ln\frac{1+N}{1+n_t} + 1)`.

    Parameters
    ----------
    B : networkx.Graph
        Body × theme bipartite graph.

    Returns
    -------
    dict of str to float
        Theme IRI → weight; :math:`N` counts bodies with at least one theme,
        :math:`n_t` the bodies addressing theme :math:`t`, and :math:`\sigma(t)` is
        :data:`TOP_CONCEPT_FACTOR` for a top concept (no ``broader``), else 1.
    """
    n_bodies = sum(1 for n, d in B.nodes(data=True) if d.get("bipartite") == 0 and B.degree(n) > 0)
    return {
        t: (1.0 if d.get("broader") else TOP_CONCEPT_FACTOR)
        * (math.log((1 + n_bodies) / (1 + B.degree(t))) + 1.0)
        for t, d in B.nodes(data=True)
        if d.get("bipartite") == 1
    }


def _skos_similarity(B: nx.Graph, t: str, u: str) -> float:
    if t == u:
        return 1.0
    bt, bu = B.nodes[t].get("broader"), B.nodes[u].get("broader")
    if bt == u or bu == t or (bt is not None and bt == bu):
        return SKOS_PARTIAL
    return 0.0


def _soft_jaccard(B: nx.Graph, A: set[str], C: set[str]) -> float:
    # math.fsum is exactly rounded: the result does not depend on set iteration order
    left = math.fsum(max(_skos_similarity(B, t, u) for u in C) for t in A)
    right = math.fsum(max(_skos_similarity(B, t, u) for t in A) for u in C)
    inter = (left + right) / 2
    return min(1.0, inter / (len(A) + len(C) - inter))


def _text_cosines(B: nx.Graph, bodies: list[str]) -> dict[tuple[str, str], float]:
    texts = [str(B.nodes[b].get("text") or "") for b in bodies]
    if not any(t.strip() for t in texts):
        return {}
    from sklearn.feature_extraction.text import TfidfVectorizer  # heavy import: only here

    try:
        matrix = TfidfVectorizer(stop_words="english").fit_transform(texts)
    except ValueError:  # only stop words: no vocabulary
        return {}
    sims = (matrix @ matrix.T).toarray()
    index = {b: i for i, b in enumerate(bodies)}
    return {
        (a, b): float(np.clip(sims[index[a], index[b]], 0.0, 1.0))
        for a, b in combinations(bodies, 2)
    }


def theme_overlap(
    B: nx.Graph, *, kinds: Iterable[str] | None = None, text: bool = True
) -> pd.DataFrame:
    """Pairwise thematic overlap of bodies, one column per measure (see the module notes).

    Parameters
    ----------
    B : networkx.Graph
        Body × theme bipartite graph from :func:`igfgraph.analysis.body_theme_graph`
        (bodies ``bipartite=0`` with ``label``, ``kind``, ``text``; themes ``bipartite=1``
        with ``label`` and ``broader``).
    kinds : iterable of str, optional
        Keep only bodies of these kinds (``"dynamic-coalition"``, ``"policy-network"``…).
        Theme rarity and Adamic–Adar always count every body of ``B``.
    text : bool, default True
        Compute ``text_cosine`` (TF-IDF); ``NaN`` when false.

    Returns
    -------
    pandas.DataFrame
        One row per unordered pair with ``jaccard > 0`` or ``skos_jaccard > 0``, columns
        :data:`OVERLAP_COLUMNS`: ``body_a < body_b`` (IRIs), labels and kinds, the size of
        each theme set, ``shared`` (count), the measures (floats; all but
        ``adamic_adar`` and ``resource_allocation`` lie in [0, 1]) and ``shared_themes``
        (theme labels, sorted, joined by ``"; "``). Sorted by ``jaccard``,
        ``weighted_jaccard``, ``skos_jaccard`` (descending), then ids. Bodies without
        themes ("themes unknown") never appear.

    References
    ----------
    .. [1] Jaccard, P. (1901), "Étude comparative de la distribution florale dans une
       portion des Alpes et du Jura", *Bull. Soc. Vaudoise Sci. Nat.* 37, 547–579.
    .. [2] Borgatti, S. P. and Halgin, D. S. (2011), "Analyzing affiliation networks",
       *The SAGE Handbook of Social Network Analysis*, 417–433.
    .. [3] Adamic, L. A. and Adar, E. (2003), "Friends and neighbors on the Web",
       *Social Networks* 25(3), 211–230.
    .. [4] Zhou, T., Lü, L. and Zhang, Y.-C. (2009), "Predicting missing links via local
       information", *Eur. Phys. J. B* 71, 623–630.

    Examples
    --------
    >>> import networkx as nx
    >>> B = nx.Graph()
    >>> B.add_nodes_from(["a", "b"], bipartite=0, kind="dynamic-coalition")
    >>> B.add_nodes_from(["t1", "t2", "t3"], bipartite=1, kind="theme")
    >>> B.add_edges_from([("a", "t1"), ("a", "t2"), ("b", "t2"), ("b", "t3")])
    >>> float(theme_overlap(B, text=False)["jaccard"].iloc[0])
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
    weights = theme_weights(B)
    cosines = _text_cosines(B, bodies) if text else {}
    pairs = []
    for a, b in combinations(bodies, 2):
        A, C = set(B[a]), set(B[b])
        skos = _soft_jaccard(B, A, C)
        if A & C or skos > 0:
            pairs.append((a, b, A, C, skos))
    # the indices of networkx.adamic_adar_index / resource_allocation_index (common
    # neighbours of two bodies = their shared themes), summed with math.fsum so that the
    # bytes of the output do not depend on set iteration order
    aa = {(a, b): math.fsum(1 / math.log(B.degree(t)) for t in A & C) for a, b, A, C, _ in pairs}
    ra = {(a, b): math.fsum(1 / B.degree(t) for t in A & C) for a, b, A, C, _ in pairs}
    rows = []
    for a, b, A, C, skos in pairs:
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
                "adamic_adar": float(aa[a, b]),
                "resource_allocation": float(ra[a, b]),
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


def overlap_between(
    overlap: pd.DataFrame, kinds: Iterable[str], others: Iterable[str], *, min_shared: int = 1
) -> pd.DataFrame:
    """Keep the pairs of :func:`theme_overlap` that join a body of ``kinds`` to one of ``others``.

    Parameters
    ----------
    overlap : pandas.DataFrame
        :func:`theme_overlap` (columns :data:`OVERLAP_COLUMNS`).
    kinds, others : iterable of str
        Body kinds on either side (``("dynamic-coalition",)`` and
        ``("best-practice-forum", "policy-network")``: what the DCs share with the BPFs
        and PNs).
    min_shared : int, default 1
        Smallest number of shared themes.

    Returns
    -------
    pandas.DataFrame
        The matching rows, oriented so that the ``kinds`` side is ``body_a`` (labels, kinds
        and theme counts swapped with it), sorted by ``shared`` then ``jaccard``
        (descending), then ``label_a`` and ``label_b``.
    """
    kinds, others = set(kinds), set(others)
    forward = overlap["kind_a"].isin(kinds) & overlap["kind_b"].isin(others)
    backward = overlap["kind_b"].isin(kinds) & overlap["kind_a"].isin(others) & ~forward
    swapped = overlap[backward].rename(columns=_SWAP)[overlap.columns]
    rows = pd.concat([overlap[forward], swapped], ignore_index=True)
    rows = rows[rows["shared"] >= min_shared]
    return rows.sort_values(
        ["shared", "jaccard", "label_a", "label_b"], ascending=[False, False, True, True]
    ).reset_index(drop=True)


_SWAP = {
    f"{name}_{x}": f"{name}_{y}"
    for name in ("body", "label", "kind", "themes", "n_themes")
    for x, y in (("a", "b"), ("b", "a"))
}
