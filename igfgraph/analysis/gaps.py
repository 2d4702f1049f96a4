"""Liaison gaps: bodies that work on the same themes but have no recorded collaboration.

The DCCG's 2022 paper (§1.iv) asks for more interaction between the Dynamic Coalitions
and the NRIs and for a network of DC liaisons with the Policy Networks and BPFs; a gap
is a pair of bodies whose theme sets overlap and which no recorded collaboration joins.
Gaps are computed by one function, :func:`liaison_gaps`, whatever asks (``igfgraph
gaps``, ``igfgraph all``, the report, the map); :func:`find_gaps` feeds it the read model.

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
from igfgraph.analysis.backtest import PREDICTORS, score_pairs
from igfgraph.analysis.networks import collaboration_network, lineage_pairs, theme_network
from igfgraph.analysis.overlap import OVERLAP_COLUMNS, theme_overlap
from igfgraph.csvio import LIST_SEPARATOR
from igfgraph.evidence import DEFAULT_EVIDENCE, evidence_label
from igfgraph.kinds import DC
from igfgraph.model import Body, ReadModel, Recommendation, read_model

__all__ = [
    "CONFIDENCE_LEVELS",
    "DEFAULT_MODEL",
    "GAP_COLUMNS",
    "covers",
    "find_gaps",
    "gap_rule",
    "gaps_from_store",
    "liaison_gaps",
]

GAP_COLUMNS = [
    "rank", "score", *OVERLAP_COLUMNS, "hops", "recommended_by", "evidence", "evidence_counted",
]  # fmt: skip
#: confidence levels, weakest first
CONFIDENCE_LEVELS = ("low", "medium", "high")

#: The predictor the gaps are ranked by (``igfgraph gaps --model NAME`` picks another),
#: chosen by ``igfgraph backtest`` on the cut-offs up to 2019 and reported on 2020 on
#: (:func:`igfgraph.analysis.backtest.choose_default`; ``tests/test_backtest.py`` checks
#: this constant against its choice on the shipped data). Shipped data of 2026-12-05,
#: horizon 3, evidence stated + co-organised + co-authored, seed 42, 500 replicates:
#: cut-offs 2006–2019 hold 9 positives among 2,070 candidate pairs. No clean predictor beats
#: random with an interval that excludes it: the best, co-presence at the same main
#: session, has pooled precision@k 0.031 [0.000, 0.125], 3.93× random [0.00, 11.00]. So
#: the simplest default stays: the gap score (the rarity-weighted Jaccard), whose clean
#: variant has no dated theme evidence yet (1.00× random, all pairs tied) and whose
#: variant on the undated theme descriptions reaches 6.65× random [0.00, 52.40] on
#: 2020–2022 (21 positives) — optimistic, since those descriptions were written later.
DEFAULT_MODEL = "gap-score"


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


def _evidence_text(row: dict, hops, neighbours: list[str] = ()) -> str:
    n = row["shared"]
    text = f"share {n} theme{'s' if n != 1 else ''} ({row['shared_themes']})"
    text += f"; Jaccard {row['jaccard']:.2f}"
    text += f", weighted {row['weighted_jaccard']:.2f}"
    text += "; no recorded liaison path" if pd.isna(hops) else f"; {hops} liaison hops apart"
    if neighbours:
        k = len(neighbours)
        text += f"; {k} shared collaborator{'s' if k != 1 else ''} ({', '.join(neighbours)})"
    if row["recommended_by"]:
        text += f"; covered by the DCCG recommendation: {row['recommended_by']}"
    return text


def _body(node: str, attrs: dict) -> Body:
    body = attrs.get("body")
    if isinstance(body, Body):
        return body
    return Body(
        iri=node,
        id=attrs.get("id", node),
        kind=attrs.get("kind", ""),
        name=attrs.get("label", node),
    )


def _latest(B: nx.Graph) -> int | None:
    years = [
        y
        for _n, d in B.nodes(data=True)
        if isinstance(d.get("body"), Body)
        for y in d["body"].evidence.activity_years()
    ]
    return max(years) if years else None


def liaison_gaps(
    B: nx.Graph,
    L: nx.Graph,
    *,
    min_overlap: float = 0.25,
    max_hops: int = 1,
    kinds: Iterable[str] | None = None,
    as_of: int | None = None,
    latest: int | None = None,
    min_confidence: str | None = None,
    recommendations: Iterable[Recommendation] | None = None,
    exclude: set[frozenset] | None = None,
    all_pairs: bool = False,
    body: str | None = None,
    text: bool = True,
) -> pd.DataFrame:
    """Rank the pairs of bodies that overlap thematically but are not linked (the one rule).

    The rule is stated in the module notes and returned by :func:`gap_rule`. The
    **score** is the rarity-weighted Jaccard (``weighted_jaccard``,
    :mod:`igfgraph.analysis.overlap`). Rows are ranked by score, then Jaccard, then
    shared count, then IRIs.

    Parameters
    ----------
    B : networkx.Graph
        Body × theme bipartite graph (:func:`igfgraph.analysis.theme_network`); a body
        node's ``body`` attribute (:class:`igfgraph.model.Body`) gives its activity,
        without one the body's activity is unknown.
    L : networkx.Graph
        Collaboration network on bodies (:func:`igfgraph.analysis.collaboration_network`).
    min_overlap : float, default 0.25
        Smallest Jaccard overlap (0–1).
    max_hops : int, default 1
        A pair within this many collaboration hops is not a gap.
    kinds : iterable of str, optional
        Only bodies of these kinds on both sides.
    as_of : int, optional
        Only bodies active in this year (:mod:`igfgraph.activity`).
    latest : int, optional
        Without ``as_of``: the latest year of the data, in which the bodies must not be
        inactive (default: the latest year of evidence in ``B``).
    min_confidence : {"low", "medium", "high"}, optional
        Only bodies recorded with at least this confidence.
    recommendations : iterable of igfgraph.model.Recommendation, optional
        Fill ``recommended_by`` with those covering each pair (:func:`covers`).
    exclude : set of frozenset, optional
        Pairs never reported (predecessor and successor:
        :func:`igfgraph.analysis.lineage_pairs`).
    all_pairs : bool, default False
        Drop the "at least one Dynamic Coalition" condition.
    body : str, optional
        IRI of one body: only its pairs (that body against all others).
    text : bool, default True
        Compute the TF-IDF ``text_cosine`` column.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`GAP_COLUMNS`: ``rank`` (1 = strongest), ``score``, the overlap
        columns, ``hops`` (``pandas.NA`` when unconnected), ``recommended_by``,
        ``evidence`` (one sentence) and ``evidence_counted`` (the evidence types of
        collaboration ``L`` counts, from ``L.graph["evidence"]``). ``frame.attrs`` holds
        ``rule`` (:func:`gap_rule`),
        ``year`` (the year the activity rule was asked about), ``unknown`` (how many
        bodies in the rows are of unknown activity that year) and ``left_out_unknown``
        (with ``as_of``: how many bodies of otherwise qualifying pairs were left out as of
        unknown activity).

    Raises
    ------
    ValueError
        ``min_overlap`` outside [0, 1], ``max_hops`` below 1, an unknown confidence or
        a ``body`` that is not a body of ``B``.

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
    if body is not None and (body not in B or B.nodes[body].get("bipartite") != 0):
        msg = f"not a body of the graph: {body}"
        raise ValueError(msg)
    wanted = set(kinds) if kinds is not None else None
    year = as_of if as_of is not None else latest if latest is not None else _latest(B)
    recs = list(recommendations or ())
    unknown: set[str] = set()
    left_out: set[str] = set()

    def keep(node: str) -> bool:
        b = _body(node, B.nodes[node])
        if wanted is not None and b.kind not in wanted:
            return False
        outcome = Activity.UNKNOWN if year is None else b.activity(year).outcome
        if as_of is not None and outcome is Activity.UNKNOWN:
            left_out.add(node)
            return False
        if outcome is Activity.INACTIVE:
            return False
        if min_confidence is not None:
            level = B.nodes[node].get("confidence") or "high"
            if CONFIDENCE_LEVELS.index(level) < CONFIDENCE_LEVELS.index(min_confidence):
                return False
        if outcome is Activity.UNKNOWN:
            unknown.add(node)
        return True

    exclude = exclude or set()
    counted = evidence_label(L.graph.get("evidence", DEFAULT_EVIDENCE))
    rows = []
    for row in theme_overlap(B, text=text).to_dict("records"):
        a, b = row["body_a"], row["body_b"]
        if body is not None and body not in (a, b):
            continue
        if row["jaccard"] < min_overlap - 1e-12 or frozenset((a, b)) in exclude:
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
        A, Bb = _body(a, B.nodes[a]), _body(b, B.nodes[b])
        row["score"] = row["weighted_jaccard"]
        row["hops"] = pd.NA if hops is None else hops
        row["recommended_by"] = LIST_SEPARATOR.join(
            sorted(r.citation for r in recs if covers(r, A, Bb) or covers(r, Bb, A))
        )
        common = sorted(set(L[a]) & set(L[b])) if a in L and b in L else []
        neighbours = sorted(str(L.nodes[z].get("label", z)) for z in common)
        row["evidence"] = _evidence_text(row, row["hops"], neighbours)
        row["evidence_counted"] = counted
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
            body=B.nodes[body].get("label", body) if body else None,
        ),
        year=year,
        unknown=len(unknown & in_rows),
        left_out_unknown=len(left_out),
    )
    return frame


def find_gaps(
    model: ReadModel,
    *,
    evidence: Iterable[str] | None = None,
    predictor: str = DEFAULT_MODEL,
    with_session_tracks: bool = False,
    **kwargs,
) -> pd.DataFrame:
    """Compute :func:`liaison_gaps` over the read model.

    Parameters
    ----------
    model : igfgraph.model.ReadModel
    evidence : iterable of str, optional
        Evidence types of the collaborations that close a gap
        (:data:`igfgraph.evidence.DEFAULT_EVIDENCE`).
    predictor : str, default :data:`DEFAULT_MODEL`
        What ranks the rows: ``gap-score`` (the rarity-weighted Jaccard) or another
        predictor of the back-test (:data:`igfgraph.analysis.backtest.PREDICTORS`, not
        ``learned``), scored as of the year the rows are for; ties keep the gap-score
        order. The rows are the same whichever ranks them.
    with_session_tracks : bool, default False
        Count the themes of the programme tracks of the sessions a body organised (up to
        ``as_of``) besides its own themes (:func:`igfgraph.analysis.theme_network`).
    **kwargs
        ``min_overlap``, ``max_hops``, ``kinds``, ``as_of``, ``min_confidence``,
        ``all_pairs``, ``body``, ``text`` of :func:`liaison_gaps`.

    Returns
    -------
    pandas.DataFrame
        As :func:`liaison_gaps`; the latest year is :meth:`ReadModel.latest_year`, the
        recommendations are the model's and predecessor–successor pairs are excluded.
        ``frame.attrs["model"]`` names the predictor; with another than ``gap-score`` the
        ``score`` column is its score and the rule says what ranks the rows.

    Raises
    ------
    ValueError
        As :func:`liaison_gaps`, or an unknown ``predictor``.
    """
    names = [p.name for p in PREDICTORS if p.name != "learned"]
    if predictor not in names:
        msg = f"unknown model {predictor!r}; choose from: {', '.join(names)}"
        raise ValueError(msg)
    frame = liaison_gaps(
        theme_network(model, session_tracks=with_session_tracks, as_of=kwargs.get("as_of")),
        collaboration_network(model, evidence),
        latest=model.latest_year(),
        recommendations=model.recommendations,
        exclude=lineage_pairs(model),
        **kwargs,
    )
    frame.attrs["model"] = predictor
    if frame.empty:
        return frame
    frame["evidence"] = [
        e + _session_text(model, a, b)
        for e, a, b in zip(frame["evidence"], frame["body_a"], frame["body_b"], strict=True)
    ]
    if predictor == "gap-score":
        return frame
    pairs = list(zip(frame["body_a"], frame["body_b"], strict=True))
    attrs = dict(frame.attrs)
    frame = frame.assign(
        score=score_pairs(model, pairs, predictor, attrs["year"], evidence=evidence),
        _order=range(len(frame)),
    )
    frame = frame.sort_values(["score", "_order"], ascending=[False, True], kind="stable")
    frame = frame.drop(columns="_order").reset_index(drop=True)
    frame["rank"] = range(1, len(frame) + 1)
    label = next(p.label for p in PREDICTORS if p.name == predictor)
    frame.attrs.update(attrs, rule=f"{attrs['rule']} Ranked by {label} (--model {predictor}).")
    return frame


def _session_text(model: ReadModel, a: str, b: str) -> str:
    """Say which main sessions both attended and which programme tracks both organised under."""
    main, tracks = [], set()
    for s in model.sessions:
        present = set(s.organisers) | set(s.participants)
        if s.type == "main-session" and a in present and b in present:
            main.append(s.year)
        if s.track and a in s.organisers and b in s.organisers:
            tracks.add(f"'{s.track}' ({s.year})")
    text = ""
    if main:
        years = ", ".join(str(y) for y in sorted(y for y in main if y is not None))
        text += f"; both at {len(main)} main session{'s' if len(main) != 1 else ''} ({years})"
    if tracks:
        text += f"; sessions under the same programme track {', '.join(sorted(tracks))}"
    return text


def gaps_from_store(source, **kwargs) -> pd.DataFrame:
    """Compute the gaps of a graph: :func:`find_gaps` over :func:`igfgraph.model.read_model`.

    Parameters
    ----------
    source : rdflib.Graph, pyoxigraph.Store or igfgraph.model.ReadModel
        The built graph, or its read model.
    **kwargs
        As :func:`find_gaps`.

    Returns
    -------
    pandas.DataFrame
        As :func:`liaison_gaps`.
    """
    model = source if isinstance(source, ReadModel) else read_model(source)
    return find_gaps(model, **kwargs)
