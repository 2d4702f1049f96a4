"""Liaison gaps: bodies that work on the same themes but have no recorded liaison.

The DCCG's 2022 paper (§1.iv) asks for more interaction between the Dynamic Coalitions
and the NRIs and for a network of DC liaisons with the Policy Networks and BPFs; a gap
is a pair of bodies whose theme sets overlap and which no recorded liaison joins. Each
row explains itself: the shared themes, every overlap measure, the liaison distance and
the DCCG recommendation that covers the pair, if any.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx
import pandas as pd
import pyoxigraph as ox
from rdflib import Graph

from igfgraph.analysis.graphs import as_store, body_theme_graph, governance_graph, liaison_graph
from igfgraph.analysis.overlap import OVERLAP_COLUMNS, theme_overlap
from igfgraph.analysis.recommendations import covering_recommendations, recommendation_parties
from igfgraph.csvio import LIST_SEPARATOR
from igfgraph.evidence import DEFAULT_EVIDENCE, evidence_label

__all__ = [
    "CONFIDENCE_LEVELS",
    "GAP_COLUMNS",
    "active_in",
    "current",
    "gaps_from_store",
    "liaison_gaps",
    "succession_pairs",
]

GAP_COLUMNS = [
    "rank", "score", *OVERLAP_COLUMNS, "hops", "recommended_by", "evidence", "evidence_counted",
]  # fmt: skip
#: confidence levels, weakest first
CONFIDENCE_LEVELS = ("low", "medium", "high")


def active_in(attrs: dict, year: int) -> bool:
    """Say whether a body was active in ``year``, from what the graph records.

    Parameters
    ----------
    attrs : dict
        A body node's attributes (:func:`igfgraph.analysis.bodies_frame` columns).
    year : int
        The year asked about.

    Returns
    -------
    bool
        Bodies with yearly cycles (BPFs, PNs) are active in the years of their cycles;
        others from ``established`` until ``ended`` (open-ended when not ended); a body
        whose founding year is unknown counts from the first dated register listing it.
        A body with none of these is not counted as active (we cannot tell).
    """
    ended = attrs.get("ended")
    if attrs.get("active_years"):
        return year in attrs["active_years"]
    if any(y == year and status == "not-listed" for y, status in attrs.get("registers", ())):
        return False  # a dated list of that year leaves it out
    start = attrs.get("established")
    listed = [y for y, status in attrs.get("registers", ()) if status == "listed" and y is not None]
    if start is None and listed:
        start = min(listed)
    if start is None:
        return False
    return start <= year and (ended is None or pd.isna(ended) or ended >= year)


def current(attrs: dict) -> bool:
    """Say whether a body is still active, as far as the graph records.

    Parameters
    ----------
    attrs : dict
        A body node's attributes (:func:`igfgraph.analysis.bodies_frame` columns).

    Returns
    -------
    bool
        False when the body has an ``ended`` year, or when the newest register that
        knows its status (undated registers count as the newest; registers dated before
        the body was established are ignored) does not list it; True otherwise.
    """
    ended = attrs.get("ended")
    if ended is not None and not pd.isna(ended):
        return False
    start = attrs.get("established")
    known = [
        status
        for year, status in attrs.get("registers", ())
        if status != "unknown" and not (year is not None and start is not None and year < start)
    ]
    return not known or known[-1] == "listed"


def succession_pairs(G: nx.MultiDiGraph) -> set[frozenset]:
    """Return the pairs linked by succession or merger (never reported as gaps).

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The governance graph (:func:`igfgraph.analysis.governance_graph`).

    Returns
    -------
    set of frozenset
        ``{a, b}`` for every ``igf:succeeds`` or ``igf:mergedInto`` edge.
    """
    return {frozenset((u, v)) for u, v, k in G.edges(keys=True) if k in ("succeeds", "mergedInto")}


def _evidence(row: dict, hops) -> str:
    n = row["shared"]
    text = f"share {n} theme{'s' if n != 1 else ''} ({row['shared_themes']})"
    text += f"; Jaccard {row['jaccard']:.2f}"
    text += f", weighted {row['weighted_jaccard']:.2f}"
    text += "; no recorded liaison path" if pd.isna(hops) else f"; {hops} liaison hops apart"
    if row["recommended_by"]:
        text += f"; covered by the DCCG recommendation: {row['recommended_by']}"
    return text


def liaison_gaps(
    B: nx.Graph,
    L: nx.Graph,
    *,
    min_overlap: float = 0.25,
    max_hops: int = 1,
    kinds: Iterable[str] | None = None,
    as_of: int | None = None,
    min_confidence: str | None = None,
    recommendations: pd.DataFrame | None = None,
    exclude: set[frozenset] | None = None,
    all_pairs: bool = False,
    text: bool = True,
) -> pd.DataFrame:
    """Rank pairs of bodies that overlap thematically but are not linked by liaisons.

    A candidate pair involves at least one Dynamic Coalition (DC–DC, DC–BPF, DC–PN,
    DC–NRI where the NRI has themes), or is covered by a DCCG recommendation that names
    one of the two bodies itself (a recommendation naming only modalities, such as "the
    Policy Networks and BPFs", widens the DC pairs it covers, not PN–BPF pairs); with
    ``all_pairs``, any pair. It is a *gap* when its Jaccard overlap is at least
    ``min_overlap`` and its distance on the liaison graph ``L`` is more than ``max_hops``
    (or there is no path). Hops are counted on recorded liaisons only: coordination by
    the DCCG would otherwise put every pair of DCs two hops apart.

    The **score** is the weighted Jaccard (``weighted_jaccard``, see
    :mod:`igfgraph.analysis.overlap`): shared rare and narrow themes count more than
    shared ubiquitous or broad ones. Rows are ranked by score, then Jaccard, then
    shared count, then ids.

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
        Only bodies of these kinds (``bodies.kind`` values) on both sides.
    as_of : int, optional
        Only bodies active in this year (:func:`active_in`); by default only bodies
        still active (:func:`current`): a closed body cannot take up a liaison.
    min_confidence : {"low", "medium", "high"}, optional
        Only bodies recorded with at least this confidence.
    recommendations : pandas.DataFrame, optional
        :func:`igfgraph.analysis.recommendation_parties`; fills ``recommended_by``.
    exclude : set of frozenset, optional
        Pairs never reported (predecessor and successor: :func:`succession_pairs`).
    all_pairs : bool, default False
        Consider every pair of bodies, not only those with a DC or a recommendation.
    text : bool, default True
        Compute the TF-IDF ``text_cosine`` column.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`GAP_COLUMNS`: ``rank`` (1 = strongest), ``score``, the overlap
        columns (``shared_themes`` is the evidence), ``hops`` (liaison distance,
        ``pandas.NA`` when unconnected), ``recommended_by`` (recommendation titles with
        their locator in the source, ``""`` if none), ``evidence`` (one sentence) and
        ``evidence_counted`` (the liaison evidence types ``L`` counts, from
        ``L.graph["evidence"]``).

    Raises
    ------
    ValueError
        ``min_overlap`` outside [0, 1], ``max_hops`` below 1 or an unknown confidence.

    References
    ----------
    .. [1] Dynamic Coalitions Coordination Group (2022), *How the Dynamic Coalitions
       strengthen the IGF*, paper to the IGF Expert Group Meeting, §1.iv.
    """
    if not 0.0 <= min_overlap <= 1.0:
        msg = f"min_overlap must be between 0 and 1, got {min_overlap}"
        raise ValueError(msg)
    if max_hops < 1:
        msg = f"max_hops must be at least 1, got {max_hops}"
        raise ValueError(msg)
    if min_confidence is not None and min_confidence not in CONFIDENCE_LEVELS:
        msg = (
            f"min_confidence must be one of {', '.join(CONFIDENCE_LEVELS)}, got {min_confidence!r}"
        )
        raise ValueError(msg)
    wanted = set(kinds) if kinds is not None else None

    def keep(node: str) -> bool:
        attrs = B.nodes[node]
        if wanted is not None and attrs.get("kind") not in wanted:
            return False
        if not (active_in(attrs, as_of) if as_of is not None else current(attrs)):
            return False
        if min_confidence is not None:
            level = attrs.get("confidence") or "high"
            if CONFIDENCE_LEVELS.index(level) < CONFIDENCE_LEVELS.index(min_confidence):
                return False
        return True

    overlap = theme_overlap(B, text=text)
    exclude = exclude or set()
    counted = evidence_label(L.graph.get("evidence", DEFAULT_EVIDENCE))
    rows = []
    for row in overlap.to_dict("records"):
        a, b = row["body_a"], row["body_b"]
        if row["jaccard"] < min_overlap - 1e-12 or not (keep(a) and keep(b)):
            continue
        if frozenset((a, b)) in exclude:
            continue
        covering = covering_recommendations(recommendations, B.nodes[a], a, B.nodes[b], b)
        if (
            not all_pairs
            and "dynamic-coalition" not in (row["kind_a"], row["kind_b"])
            and not covering
        ):
            continue
        try:
            hops = nx.shortest_path_length(L, a, b) if a in L and b in L else None
        except nx.NetworkXNoPath:
            hops = None
        if hops is not None and hops <= max_hops:
            continue
        row["score"] = row["weighted_jaccard"]
        row["hops"] = pd.NA if hops is None else hops
        row["recommended_by"] = LIST_SEPARATOR.join(covering)
        row["evidence"] = _evidence(row, row["hops"])
        row["evidence_counted"] = counted
        rows.append(row)
    frame = pd.DataFrame(rows, columns=[c for c in GAP_COLUMNS if c != "rank"])
    frame["hops"] = pd.array(frame["hops"], dtype="Int64")
    frame = frame.sort_values(
        ["score", "jaccard", "shared", "body_a", "body_b"],
        ascending=[False, False, False, True, True],
    ).reset_index(drop=True)
    frame.insert(0, "rank", range(1, len(frame) + 1))
    return frame[GAP_COLUMNS]


def gaps_from_store(
    source: Graph | ox.Store, evidence: Iterable[str] | None = None, **kwargs
) -> pd.DataFrame:
    """Compute :func:`liaison_gaps` straight from the graph, with recommendations and successions.

    Parameters
    ----------
    source : rdflib.Graph or pyoxigraph.Store
        The built graph.
    evidence : iterable of str, optional
        Liaison evidence types that close a gap (:func:`igfgraph.analysis.liaison_graph`;
        default stated, co-organised, co-authored).
    **kwargs
        Passed to :func:`liaison_gaps` (``min_overlap``, ``max_hops``, ``kinds``,
        ``as_of``, ``min_confidence``, ``all_pairs``, ``text``).

    Returns
    -------
    pandas.DataFrame
        As :func:`liaison_gaps`.
    """
    store = as_store(source)
    return liaison_gaps(
        body_theme_graph(store),
        liaison_graph(store, evidence),
        recommendations=recommendation_parties(store),
        exclude=succession_pairs(governance_graph(store)),
        **kwargs,
    )
