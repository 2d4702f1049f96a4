"""Liaison gaps: bodies that share themes but have no recorded liaison between them."""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx
import pandas as pd

from igfgraph.analysis.overlap import OVERLAP_COLUMNS, theme_overlap

__all__ = ["GAP_COLUMNS", "liaison_gaps"]

GAP_COLUMNS = ["rank", *OVERLAP_COLUMNS, "hops"]


def liaison_gaps(
    B: nx.Graph,
    L: nx.Graph,
    *,
    min_overlap: float = 0.25,
    max_hops: int = 1,
    kinds: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Rank pairs of bodies that overlap thematically but are not linked by liaisons.

    A pair is a *gap* when the Jaccard overlap of its theme sets is at least
    ``min_overlap`` and its distance on the liaison graph ``L`` is more than
    ``max_hops`` (or there is no path). Hops are counted on recorded liaisons only:
    coordination by the DCCG would otherwise put every pair of DCs two hops apart.

    Parameters
    ----------
    B : networkx.Graph
        Body × theme bipartite graph (:func:`igfgraph.analysis.body_theme_graph`).
    L : networkx.Graph
        Liaison graph on bodies (:func:`igfgraph.analysis.liaison_graph`).
    min_overlap : float, default 0.25
        Smallest Jaccard overlap (0–1) for a pair to count.
    max_hops : int, default 1
        A pair within this many liaison hops is not a gap; 1 means "no direct liaison".
    kinds : iterable of str, optional
        Only consider bodies of these kinds.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`GAP_COLUMNS`: ``rank`` (1 = strongest), the overlap columns of
        :func:`igfgraph.analysis.theme_overlap` (``shared_themes`` is the evidence) and
        ``hops`` (liaison distance, ``pandas.NA`` when unconnected). Ranked by Jaccard,
        then number of shared themes, then ids.

    Raises
    ------
    ValueError
        ``min_overlap`` outside [0, 1] or ``max_hops`` below 1.
    """
    if not 0.0 <= min_overlap <= 1.0:
        msg = f"min_overlap must be between 0 and 1, got {min_overlap}"
        raise ValueError(msg)
    if max_hops < 1:
        msg = f"max_hops must be at least 1, got {max_hops}"
        raise ValueError(msg)
    overlap = theme_overlap(B, kinds=kinds)
    overlap = overlap[overlap["jaccard"] >= min_overlap - 1e-12]
    hops: list = []
    keep: list[bool] = []
    for a, b in zip(overlap["body_a"], overlap["body_b"], strict=True):
        try:
            d = nx.shortest_path_length(L, a, b) if a in L and b in L else None
        except nx.NetworkXNoPath:
            d = None
        hops.append(pd.NA if d is None else d)
        keep.append(d is None or d > max_hops)
    mask = pd.Series(keep, index=overlap.index, dtype=bool)
    frame = overlap.assign(hops=pd.array(hops, dtype="Int64")).loc[mask].reset_index(drop=True)
    frame.insert(0, "rank", range(1, len(frame) + 1))
    return frame[GAP_COLUMNS]
