r"""Thematic overlap of bodies, with each measure in its own column.

All measures are computed on the body × theme bipartite graph
(:func:`igfgraph.analysis.body_theme_graph`); for bodies :math:`a, b` with theme sets
:math:`A, B`:

``jaccard``
    :math:`|A \cap B| / |A \cup B|` (Jaccard 1901; the affiliation-network overlap of
    Borgatti & Halgin 2011, as :func:`networkx.bipartite.overlap_weighted_projected_graph`
    gives it, computed here from the sparse product :math:`M M^T`).
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

#: Rows of the TF-IDF matrix multiplied at once for ``text_cosine``.
_TEXT_BLOCK = 512

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


def _text_matrix(B: nx.Graph, bodies: list[str]):
    """TF-IDF rows of each body's text (scipy.sparse, L2-normalised), or ``None``."""
    texts = [str(B.nodes[b].get("text") or "") for b in bodies]
    if not any(t.strip() for t in texts):
        return None
    from sklearn.feature_extraction.text import TfidfVectorizer  # heavy import: only here

    try:
        return TfidfVectorizer(stop_words="english").fit_transform(texts).tocsr()
    except ValueError:  # only stop words: no vocabulary
        return None


def _candidate_pairs(B: nx.Graph, bodies: list[str], themes: list[str]):
    """Pairs of bodies that share a theme or a related one, by sparse products.

    Returns ``(i, j, shared)``: index arrays into ``bodies`` with ``i < j`` and the number
    of shared themes (the entry of :math:`M M^T`, with :math:`M` the body × theme
    incidence matrix), for every pair whose entry of :math:`M S M^T` is positive, where
    :math:`S` joins each theme to itself, its ``broader`` theme, its narrower ones and
    its siblings — exactly the pairs with ``jaccard > 0`` or ``skos_jaccard > 0``.
    """
    from scipy import sparse  # heavy import: only here

    t_index = {t: k for k, t in enumerate(themes)}
    rows, cols = [], []
    for i, b in enumerate(bodies):
        for t in B[b]:
            if t in t_index:
                rows.append(i)
                cols.append(t_index[t])
    shape = (len(bodies), len(themes))
    M = sparse.csr_matrix((np.ones(len(rows), dtype=np.int64), (rows, cols)), shape=shape)
    # S: theme t ~ u when equal, parent/child or siblings (the SKOS partial match)
    children: dict[str, list[int]] = {}
    s_rows, s_cols = list(range(len(themes))), list(range(len(themes)))
    for k, t in enumerate(themes):
        parent = B.nodes[t].get("broader")
        if parent is not None:
            children.setdefault(parent, []).append(k)
            if parent in t_index:
                s_rows += [k, t_index[parent]]
                s_cols += [t_index[parent], k]
    for group in children.values():
        for k in group:
            s_rows += [k] * len(group)
            s_cols += group
    S = sparse.csr_matrix(
        (np.ones(len(s_rows), dtype=np.int64), (s_rows, s_cols)), shape=(len(themes),) * 2
    )
    S.data[:] = 1  # duplicates summed above: keep it an incidence matrix
    shared = sparse.triu(M @ M.T, k=1).tocsr()
    related = sparse.triu(M @ S @ M.T, k=1).tocoo()
    keep = related.data > 0
    i, j = related.row[keep], related.col[keep]
    order = np.lexsort((j, i))
    i, j = i[order], j[order]
    counts = np.asarray(shared[i, j]).ravel() if len(i) else np.zeros(0, dtype=np.int64)
    return i, j, counts


def theme_overlap(
    B: nx.Graph, *, kinds: Iterable[str] | None = None, text: bool = True
) -> pd.DataFrame:
    r"""Pairwise thematic overlap of bodies, one column per measure (see the module notes).

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

    Notes
    -----
    The pairs are found by sparse matrix products (scipy.sparse), not by comparing every
    two bodies: with :math:`M` the body × theme incidence matrix, :math:`M M^T` holds the
    number of shared themes of every pair, and :math:`M S M^T`, with :math:`S` the theme
    relation of ``skos_jaccard`` (equal, parent/child, siblings), is positive exactly for
    the pairs this function returns; only the entries above the threshold (0) are kept,
    so time and memory grow with the number of overlapping pairs rather than with the
    square of the number of bodies. ``jaccard`` is :math:`|A \cap B| / |A \cup B|`
    computed from those counts with the same integer division as
    :func:`networkx.bipartite.overlap_weighted_projected_graph` (identical floats); the
    other measures are computed per returned pair as the module notes say.

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
    weights = theme_weights(B)
    ii, jj, counts = _candidate_pairs(B, bodies, themes)
    tfidf = _text_matrix(B, bodies) if text else None
    cosines = np.full(len(ii), float("nan"))
    if tfidf is not None and len(ii):
        # cosine of L2-normalised TF-IDF rows: (T T^T)[i, j], by blocks of rows so that
        # memory stays at one block; each entry is summed in the same order as the full
        # product (scipy's row-by-row sparse product), so the floats do not change
        for lo in range(0, len(bodies), _TEXT_BLOCK):
            sel = (ii >= lo) & (ii < lo + _TEXT_BLOCK)
            if sel.any():
                block = (tfidf[lo : lo + _TEXT_BLOCK] @ tfidf.T).tocsr()
                cosines[sel] = np.clip(np.asarray(block[ii[sel] - lo, jj[sel]]).ravel(), 0, 1)
    theme_sets = [set(B[b]) for b in bodies]
    rows = []
    for i, j, n_shared, cosine in zip(
        ii.tolist(), jj.tolist(), counts.tolist(), cosines, strict=True
    ):
        a, b = bodies[i], bodies[j]
        A, C = theme_sets[i], theme_sets[j]
        skos = _soft_jaccard(B, A, C)
        if not (n_shared or skos > 0):
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
                "shared": n_shared,
                # |A ∩ B| / |A ∪ B| as int / int, the division networkx's projection makes
                "jaccard": n_shared / (len(A) + len(C) - n_shared),
                "overlap_coefficient": n_shared / min(len(A), len(C)),
                "weighted_jaccard": min(
                    1.0,
                    math.fsum(weights[t] for t in shared) / math.fsum(weights[t] for t in A | C),
                ),
                "skos_jaccard": skos,
                # the indices of networkx.adamic_adar_index / resource_allocation_index
                # (common neighbours of two bodies = their shared themes), summed with
                # math.fsum so that the bytes do not depend on set iteration order
                "adamic_adar": math.fsum(1 / math.log(B.degree(t)) for t in shared),
                "resource_allocation": math.fsum(1 / B.degree(t) for t in shared),
                "text_cosine": float(cosine),
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
