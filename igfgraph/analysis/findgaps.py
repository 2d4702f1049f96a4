"""The one gaps function: pairs of bodies that share themes but no recorded collaboration.

The rule every row obeys (:func:`gap_rule` prints it above a table):

* at least one Dynamic Coalition in every pair, unless ``all_pairs``;
* both bodies active in the year asked (``as_of``), or, by default, not inactive in the
  latest year of the data (:mod:`igfgraph.activity`; bodies of unknown activity are kept
  and counted, since a body the IGF still lists may not have a dated fact that year);
* Jaccard overlap of their theme sets at least ``min_overlap``;
* more than ``max_hops`` apart on the collaboration network (or not connected);
* never a predecessor and its successor (``succeeds``, ``mergedInto``).

A DCCG recommendation *covers* a pair only when it names a party of that pair: the body
itself, or — for a Dynamic Coalition — "the Dynamic Coalitions" (the DCCG recommends for
the coalitions it coordinates), and another party it names stands for the other body (the
body itself or the modality of its kind). "A network of DC liaisons with the PNs and BPFs"
thus covers DC–PN and DC–BPF pairs, never a BPF–PN pair.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx
import pandas as pd

from igfgraph.activity import Activity
from igfgraph.analysis.networks import collaboration_network, lineage_pairs, theme_network
from igfgraph.analysis.overlap import OVERLAP_COLUMNS, theme_overlap
from igfgraph.kinds import DC
from igfgraph.model import Body, ReadModel, Recommendation

__all__ = [
    "CONFIDENCE_LEVELS",
    "GAP_COLUMNS",
    "covers",
    "find_gaps",
    "gap_rule",
]

GAP_COLUMNS = ["rank", "score", *OVERLAP_COLUMNS, "hops", "recommended_by", "evidence"]
#: confidence levels, weakest first
CONFIDENCE_LEVELS = ("low", "medium", "high")


def covers(rec: Recommendation, a: Body, b: Body) -> bool:
    """Say whether a recommendation covers the pair ``a``–``b`` (see the module notes).

    Parameters
    ----------
    rec : igfgraph.model.Recommendation
    a, b : igfgraph.model.Body

    Returns
    -------
    bool
        True when two different parties stand one for ``a`` and one for ``b``, and at
        least one of those two names its body in person or is the DCs' modality standing
        for a coalition.
    """

    def names(party, body: Body) -> bool:
        return party.iri == body.iri or (body.kind == DC and DC in party.member_kinds)

    for p in rec.parties:
        for q in rec.parties:
            if p.iri != q.iri and p.stands_for(a) and q.stands_for(b):
                if names(p, a) or names(q, b):
                    return True
    return False


def gap_rule(
    *,
    min_overlap: float = 0.25,
    max_hops: int = 1,
    as_of: int | None = None,
    latest: int | None = None,
    all_pairs: bool = False,
    body: str | None = None,
) -> str:
    """Say in one sentence which pairs a gaps table holds (printed above every gaps output).

    Examples
    --------
    >>> gap_rule(latest=2025)  # doctest: +NORMALIZE_WHITESPACE
    'Gaps: pairs with at least one Dynamic Coalition, both not inactive in 2025 (the latest
    year of the data), Jaccard overlap >= 0.25, no recorded collaboration within 1 hop,
    never a predecessor and its successor.'
    """
    who = "any pair of bodies" if all_pairs else "pairs with at least one Dynamic Coalition"
    if body:
        who += f" that include {body}"
    when = (
        f"both active in {as_of}"
        if as_of is not None
        else f"both not inactive in {latest} (the latest year of the data)"
    )
    hop = "hop" if max_hops == 1 else "hops"
    return (
        f"Gaps: {who}, {when}, Jaccard overlap >= {min_overlap:g}, no recorded collaboration "
        f"within {max_hops} {hop}, never a predecessor and its successor."
    )


def _evidence_text(row: dict, hops) -> str:
    n = row["shared"]
    text = f"share {n} theme{'s' if n != 1 else ''} ({row['shared_themes']})"
    text += f"; Jaccard {row['jaccard']:.2f}"
    text += f", weighted {row['weighted_jaccard']:.2f}"
    text += "; no recorded liaison path" if pd.isna(hops) else f"; {hops} liaison hops apart"
    if row["recommended_by"]:
        text += f"; covered by the DCCG recommendation: {row['recommended_by']}"
    return text


def find_gaps(
    model: ReadModel,
    *,
    min_overlap: float = 0.25,
    max_hops: int = 1,
    kinds: Iterable[str] | None = None,
    as_of: int | None = None,
    min_confidence: str | None = None,
    all_pairs: bool = False,
    body: str | None = None,
    evidence: Iterable[str] | None = None,
    text: bool = True,
) -> pd.DataFrame:
    """Rank the liaison gaps of the read model (the rule: see the module notes).

    The **score** is the rarity-weighted Jaccard (``weighted_jaccard``,
    :mod:`igfgraph.analysis.overlap`). Rows are ranked by score, then Jaccard, then
    shared count, then IRIs.

    Parameters
    ----------
    model : igfgraph.model.ReadModel
    min_overlap : float, default 0.25
        Smallest Jaccard overlap (0–1).
    max_hops : int, default 1
        A pair within this many collaboration hops is not a gap.
    kinds : iterable of str, optional
        Only bodies of these kinds on both sides.
    as_of : int, optional
        Only bodies active in this year; by default bodies not inactive in the latest
        year of the data (:meth:`igfgraph.model.ReadModel.latest_year`).
    min_confidence : {"low", "medium", "high"}, optional
        Only bodies recorded with at least this confidence.
    all_pairs : bool, default False
        Drop the "at least one Dynamic Coalition" condition.
    body : str, optional
        IRI of one body: only its pairs (that body against all others).
    evidence : iterable of str, optional
        Evidence types of the collaborations that close a gap
        (:data:`igfgraph.analysis.networks.DEFAULT_EVIDENCE`).
    text : bool, default True
        Compute the TF-IDF ``text_cosine`` column.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`GAP_COLUMNS`. ``frame.attrs`` holds ``rule`` (:func:`gap_rule`),
        ``year`` (the year the activity rule was asked about) and ``unknown`` (how many
        bodies of unknown activity that year the rows may include).

    Raises
    ------
    ValueError
        ``min_overlap`` outside [0, 1], ``max_hops`` below 1, an unknown confidence or
        a ``body`` that is not a body of the model.
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
    if body is not None and body not in model.bodies:
        msg = f"not a body of the graph: {body}"
        raise ValueError(msg)
    wanted = set(kinds) if kinds is not None else None
    year = as_of if as_of is not None else model.latest_year()
    unknown: set[str] = set()

    def keep(node: str) -> bool:
        b = model.bodies[node]
        if wanted is not None and b.kind not in wanted:
            return False
        outcome = b.activity(year).outcome
        if outcome is Activity.INACTIVE or (as_of is not None and outcome is Activity.UNKNOWN):
            return False
        if min_confidence is not None:
            level = b.confidence or "high"
            if CONFIDENCE_LEVELS.index(level) < CONFIDENCE_LEVELS.index(min_confidence):
                return False
        if outcome is Activity.UNKNOWN:
            unknown.add(node)
        return True

    B = theme_network(model)
    L = collaboration_network(model, evidence)
    lineage = lineage_pairs(model)
    rows = []
    for row in theme_overlap(B, text=text).to_dict("records"):
        a, b = row["body_a"], row["body_b"]
        if body is not None and body not in (a, b):
            continue
        if row["jaccard"] < min_overlap - 1e-12 or frozenset((a, b)) in lineage:
            continue
        if not all_pairs and DC not in (row["kind_a"], row["kind_b"]):
            continue
        if not (keep(a) and keep(b)):
            continue
        try:
            hops = nx.shortest_path_length(L, a, b)
        except (nx.NetworkXNoPath, nx.NodeNotFound):
            hops = None
        if hops is not None and hops <= max_hops:
            continue
        A, Bb = model.bodies[a], model.bodies[b]
        row["score"] = row["weighted_jaccard"]
        row["hops"] = pd.NA if hops is None else hops
        row["recommended_by"] = "; ".join(
            sorted(
                r.citation for r in model.recommendations if covers(r, A, Bb) or covers(r, Bb, A)
            )
        )
        row["evidence"] = _evidence_text(row, row["hops"])
        rows.append(row)
    frame = pd.DataFrame(rows, columns=[c for c in GAP_COLUMNS if c != "rank"])
    frame["hops"] = pd.array(frame["hops"], dtype="Int64")
    frame = frame.sort_values(
        ["score", "jaccard", "shared", "body_a", "body_b"],
        ascending=[False, False, False, True, True],
    ).reset_index(drop=True)
    frame.insert(0, "rank", range(1, len(frame) + 1))
    frame = frame[GAP_COLUMNS]
    in_rows = set(frame["body_a"]) | set(frame["body_b"])
    frame.attrs.update(
        rule=gap_rule(
            min_overlap=min_overlap,
            max_hops=max_hops,
            as_of=as_of,
            latest=year,
            all_pairs=all_pairs,
            body=model.bodies[body].label if body else None,
        ),
        year=year,
        unknown=len(unknown & in_rows),
    )
    return frame
