"""Heatmaps of the analyses (matplotlib), written as PNG and SVG with reproducible bytes.

SVG ids are salted with a fixed ``svg.hashsalt`` and no file carries a date, so the same
data gives the same bytes.
"""

from __future__ import annotations

import io
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from igfgraph.analysis.network import communities
from igfgraph.fileio import write_atomic

__all__ = [
    "body_theme_heatmap",
    "figure_files",
    "overlap_figure",
    "overlap_heatmap",
    "overlap_matrix",
    "save_figure",
]

_SALT = "igfgraph"


def figure_files(fig, stem: Path | str) -> dict[Path, bytes]:
    """Render a matplotlib figure as PNG and SVG bytes, reproducibly (no date, fixed SVG salt).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure.
    stem : path-like
        Output path without suffix.

    Returns
    -------
    dict of pathlib.Path to bytes
        ``stem.png`` and ``stem.svg`` with their content (nothing is written).
    """
    import matplotlib as mpl

    stem = Path(stem)
    files = {}
    with mpl.rc_context({"svg.hashsalt": _SALT, "svg.fonttype": "path"}):
        for fmt, metadata in (
            ("png", {"Software": None}),
            ("svg", {"Date": None, "Creator": None}),
        ):
            buf = io.BytesIO()
            fig.savefig(buf, format=fmt, metadata=metadata, dpi=100, bbox_inches="tight")
            files[stem.with_suffix(f".{fmt}")] = buf.getvalue()
    return files


def save_figure(fig, stem: Path | str) -> list[Path]:
    """Write a matplotlib figure as ``stem.png`` and ``stem.svg``, atomically and reproducibly.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure.
    stem : path-like
        Output path without suffix.

    Returns
    -------
    list of pathlib.Path
        The PNG and SVG paths.
    """
    return [write_atomic(path, data) for path, data in figure_files(fig, stem).items()]


def _short(label: str, limit: int = 40) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _heatmap(matrix: np.ndarray, rows: list[str], cols: list[str], title: str, label: str):
    from matplotlib.figure import Figure

    height = max(4.0, 0.22 * len(rows) + 1.5)
    width = max(5.0, 0.22 * len(cols) + 3.0)
    fig = Figure(figsize=(width, height))
    ax = fig.add_subplot()
    image = ax.imshow(
        matrix, cmap="viridis", vmin=0.0, vmax=1.0, aspect="auto", interpolation="nearest"
    )
    ax.set_xticks(range(len(cols)), [_short(c) for c in cols], rotation=90, fontsize=7)
    ax.set_yticks(range(len(rows)), [_short(r) for r in rows], fontsize=7)
    ax.set_title(title, fontsize=10)
    fig.colorbar(image, ax=ax, label=label, shrink=0.6)
    return fig


def overlap_matrix(
    B: nx.Graph, overlap: pd.DataFrame, *, kinds=("dynamic-coalition",), seed: int = 42
) -> pd.DataFrame:
    """Return the body × body Jaccard overlap matrix, bodies ordered by overlap community.

    Communities are Louvain communities (seeded) of the overlap network weighted by
    Jaccard, so blocks of bodies working on the same themes sit together.

    Parameters
    ----------
    B : networkx.Graph
        Body × theme bipartite graph (labels and kinds of the bodies).
    overlap : pandas.DataFrame
        :func:`igfgraph.analysis.theme_overlap` (``body_a``, ``body_b``, ``jaccard``).
    kinds : tuple of str, default ("dynamic-coalition",)
        Which bodies (those with at least one theme).
    seed : int, default 42
        Louvain seed.

    Returns
    -------
    pandas.DataFrame
        Square, symmetric, values in [0, 1] (1 on the diagonal); index and columns are the
        bodies' IRIs in community order; ``frame.attrs["labels"]`` maps IRI → label.
    """
    bodies = sorted(n for n, d in B.nodes(data=True) if d.get("kind") in kinds and B.degree(n) > 0)
    P = nx.Graph()
    P.add_nodes_from((b, B.nodes[b]) for b in bodies)
    for row in overlap.itertuples(index=False):
        if row.body_a in P and row.body_b in P and row.jaccard > 0:
            P.add_edge(row.body_a, row.body_b, weight=row.jaccard)
    parts, _ = communities(P, seed=seed, weight="weight")
    order = parts.sort_values(["community", "label", "node"])["node"].tolist() if len(parts) else []
    index = {b: i for i, b in enumerate(order)}
    matrix = np.eye(len(order))
    for u, v, w in P.edges(data="weight"):
        matrix[index[u], index[v]] = matrix[index[v], index[u]] = w
    frame = pd.DataFrame(matrix, index=order, columns=order)
    frame.attrs["labels"] = {b: B.nodes[b].get("label", b) for b in order}
    return frame


def overlap_figure(matrix: pd.DataFrame):
    """Draw an :func:`overlap_matrix` as a heatmap.

    Returns
    -------
    matplotlib.figure.Figure
        The figure (not attached to pyplot; a notebook shows it inline).
    """
    labels = [matrix.attrs.get("labels", {}).get(b, b) for b in matrix.index]
    return _heatmap(
        matrix.to_numpy(),
        labels,
        labels,
        "Thematic overlap (Jaccard), ordered by community",
        "Jaccard",
    )


def overlap_heatmap(
    B: nx.Graph,
    overlap: pd.DataFrame,
    stem: Path | str,
    *,
    kinds=("dynamic-coalition",),
    seed: int = 42,
    write: bool = True,
):
    """Draw the body × body Jaccard overlap matrix (:func:`overlap_matrix`) to files.

    Parameters
    ----------
    B : networkx.Graph
        Body × theme bipartite graph (labels and kinds of the bodies).
    overlap : pandas.DataFrame
        :func:`igfgraph.analysis.theme_overlap` (``body_a``, ``body_b``, ``jaccard``).
    stem : path-like
        Output path without suffix (``stem.png`` and ``stem.svg`` are written).
    kinds : tuple of str, default ("dynamic-coalition",)
        Which bodies to draw (those with at least one theme).
    seed : int, default 42
        Louvain seed.
    write : bool, default True
        Write the files; when false, return their content instead.

    Returns
    -------
    list of pathlib.Path or dict of pathlib.Path to bytes
        The PNG and SVG written, or (``write=False``) their paths and content.
    """
    fig = overlap_figure(overlap_matrix(B, overlap, kinds=kinds, seed=seed))
    return save_figure(fig, stem) if write else figure_files(fig, stem)


def body_theme_heatmap(B: nx.Graph, stem: Path | str, *, kinds=None, write: bool = True):
    """Draw the body × theme incidence matrix (bodies with themes; themes any body addresses).

    Parameters
    ----------
    B : networkx.Graph
        Body × theme bipartite graph.
    stem : path-like
        Output path without suffix.
    kinds : iterable of str, optional
        Only bodies of these kinds.
    write : bool, default True
        Write the files; when false, return their content instead.

    Returns
    -------
    list of pathlib.Path or dict of pathlib.Path to bytes
        The PNG and SVG written, or (``write=False``) their paths and content.
    """
    wanted = set(kinds) if kinds is not None else None
    bodies = sorted(
        (n for n, d in B.nodes(data=True) if d.get("bipartite") == 0 and B.degree(n) > 0
         and (wanted is None or d.get("kind") in wanted)),
        key=lambda n: (B.nodes[n].get("kind", ""), B.nodes[n].get("label", n)),
    )  # fmt: skip
    themes = sorted(
        (n for n, d in B.nodes(data=True) if d.get("bipartite") == 1 and B.degree(n) > 0),
        key=lambda n: B.nodes[n].get("label", n),
    )
    col = {t: i for i, t in enumerate(themes)}
    matrix = np.zeros((len(bodies), len(themes)))
    for i, b in enumerate(bodies):
        for t in B[b]:
            if t in col:
                matrix[i, col[t]] = 1.0
    fig = _heatmap(
        matrix,
        [B.nodes[b].get("label", b) for b in bodies],
        [B.nodes[t].get("label", t) for t in themes],
        "Bodies × themes",
        "addresses",
    )
    return save_figure(fig, stem) if write else figure_files(fig, stem)


def backtest_plot(result, stem: Path | str, *, write: bool = True):
    """Draw precision@k (k = positives) per predictor per cut-off, with bootstrap intervals.

    One panel per variant: the clean predictors (facts dated no later than the cut-off)
    and those that read undated theme descriptions, never mixed. The random predictor's
    expected precision is the grey line.

    Parameters
    ----------
    result : igfgraph.analysis.backtest.Backtest
        The back-test.
    stem : path-like
        Output path without suffix.
    write : bool, default True
        Write the files; when false, return their content instead.

    Returns
    -------
    list of pathlib.Path or dict of pathlib.Path to bytes
        The PNG and SVG written, or (``write=False``) their paths and content.
    """
    from matplotlib.figure import Figure

    from igfgraph.analysis.backtest import CLEAN, UNDATED

    scores = result.scores[result.scores["positives"] > 0]
    cut = result.cutoffs[result.cutoffs["positives"] > 0]
    fig = Figure(figsize=(11.0, 8.0))
    axes = fig.subplots(2, 1, sharex=True)
    for ax, variant in zip(axes, (CLEAN, UNDATED), strict=True):
        rows = scores[(scores["variant"] == variant) & (scores["predictor"] != "random")]
        names = list(dict.fromkeys(rows["predictor"]))
        width = 0.8 / max(1, len(names))
        for i, name in enumerate(names):
            mine = rows[rows["predictor"] == name]
            x = mine["cutoff"].to_numpy(dtype=float) - 0.4 + (i + 0.5) * width
            y = mine["precision_at_k"].to_numpy(dtype=float)
            err = np.vstack(
                [
                    y - mine["precision_at_k_lo"].to_numpy(float),
                    mine["precision_at_k_hi"].to_numpy(float) - y,
                ]
            )
            ax.errorbar(
                x, y, yerr=np.clip(err, 0, None), fmt="o", ms=3, lw=0.8, capsize=1.5, label=name
            )
        ax.step(
            cut["cutoff"].to_numpy(float),
            cut["random_precision"].to_numpy(float),
            where="mid",
            color="grey",
            lw=1.5,
            label="random (expected)",
        )
        ax.set_ylim(-0.02, 1.02)
        ax.set_ylabel("precision@k (k = positives)")
        ax.set_title(
            "Clean predictors (facts dated up to the cut-off)"
            if variant == CLEAN
            else "Predictors that use undated theme descriptions (optimistic)",
            fontsize=10,
        )
        ax.legend(fontsize=6, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    axes[-1].set_xlabel("cut-off year (collaborations predicted in the following years)")
    if len(cut):
        axes[-1].set_xticks(cut["cutoff"].to_numpy(int))
    fig.suptitle(
        "Back-test of the gap ranking: 95% bootstrap intervals (pairs resampled)", fontsize=11
    )
    return save_figure(fig, stem) if write else figure_files(fig, stem)
