r"""Back-test of the liaison-gap ranking on the IGF's own history (would it have seen it coming?).

The temporal link-prediction protocol of Liben-Nowell and Kleinberg (2007), run on the
IGF's own history. For every cut-off year :math:`Y`:

* **as of the end of Y** (:func:`as_of`): the bodies active in :math:`Y` (the one rule of
  :mod:`igfgraph.activity`; bodies of unknown activity are left out, as ``gaps --as-of``
  does), the collaborations of the counted evidence types dated :math:`\le Y`, the
  sessions of the meetings :math:`\le Y`, and the dated theme links :math:`\le Y`;
* **candidates**: pairs of those bodies with no collaboration by :math:`Y`, following the
  gaps rule (at least one Dynamic Coalition unless ``all_pairs``; never a predecessor and
  its successor). A pair whose only collaborations are undated is left out: nobody can
  say whether it was linked by :math:`Y`;
* **positives**: candidates whose first collaboration falls in :math:`Y+1 \dots Y+N`.

**No leakage.** Every feature of a pair as of :math:`Y` is a function of :func:`as_of`
alone, which keeps only facts dated :math:`\le Y`. The curated body–theme links
(``body_themes.csv``) are undated: they were written from today's descriptions. Predictors
that read them form a separate variant, :data:`UNDATED` ("uses undated descriptions"),
reported beside the clean one and never pooled with it. Dated theme links (a session
filed under a programme track mapped to a concept of our scheme, dated by its meeting)
are clean; :func:`dated_theme_links` turns such a mapping into links.

**Predictors** (:data:`PREDICTORS`): random; preferential attachment, common neighbours,
Adamic–Adar and Katz (:data:`KATZ_BETA`, paths up to :data:`KATZ_MAX_LENGTH` steps) on
the collaboration network; common themes, Jaccard, SKOS-aware Jaccard, the gap score
(rarity-weighted Jaccard), Adamic–Adar and resource allocation on the body–theme graph
(:func:`igfgraph.analysis.theme_overlap`, the measures ``gaps`` uses); co-presence at the
same main session and under the same programme track; and a logistic regression on the
clean features, trained only on earlier cut-offs whose horizon has closed by :math:`Y`.

**Metrics** (:func:`cutoff_metrics`): precision@k for k = the number of positives, 10 and
20 (ties at the cut are shared out: a tied group contributes its share of positives, so
a predictor that gives every pair the same score scores exactly positives / candidates,
the random predictor's expected precision), the factor over random, recall@10 and @20,
average precision and ROC AUC (scikit-learn). Pooled figures sum hits and slots over the
cut-offs (precision, factor, recall) and average AP and AUC over the cut-offs with
positives. Intervals are seeded percentile bootstraps (:data:`BOOTSTRAP` replicates): a
cut-off's resample the candidate pairs; a pooled figure's resample the cut-offs, then the
pairs within each.

References
----------
.. [1] Liben-Nowell, D. and Kleinberg, J. (2007), "The link-prediction problem for social
   networks", *JASIST* 58(7), 1019–1031.
.. [2] Katz, L. (1953), "A new status index derived from sociometric analysis",
   *Psychometrika* 18(1), 39–43.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd

from igfgraph.activity import Activity
from igfgraph.analysis.networks import lineage_pairs, theme_network
from igfgraph.analysis.overlap import theme_overlap
from igfgraph.evidence import evidence_label, parse_evidence
from igfgraph.kinds import DC, KINDS
from igfgraph.model import ReadModel

__all__ = [
    "BOOTSTRAP",
    "CHOICE_SPLIT",
    "CLEAN",
    "DEFAULT_HORIZON",
    "FEATURES",
    "KATZ_BETA",
    "KATZ_MAX_LENGTH",
    "PREDICTORS",
    "UNDATED",
    "AsOf",
    "Backtest",
    "DatedThemeLink",
    "Predictor",
    "as_of",
    "backtest",
    "choose_default",
    "cutoff_metrics",
    "dated_theme_links",
    "pair_features",
    "precision_at",
    "predictor_names",
    "score_pairs",
]

#: the clean variant: every fact dated no later than the cut-off
CLEAN = "clean"
#: the variant whose predictors read undated body–theme links (today's descriptions)
UNDATED = "uses undated descriptions"
#: Katz's attenuation β and the longest path counted (Σ_{l=1..L} β^l A^l)
KATZ_BETA = 0.05
KATZ_MAX_LENGTH = 6
#: bootstrap replicates of every interval
BOOTSTRAP = 500
#: the default predictor of ``gaps`` is chosen on cut-offs up to this year, reported after it
CHOICE_SPLIT = 2019
#: years after the cut-off in which a first collaboration counts as a positive
DEFAULT_HORIZON = 3

#: feature columns of :func:`pair_features`, as of the cut-off
FEATURES: tuple[str, ...] = (
    "pref_attachment", "common_neighbours", "adamic_adar", "katz",
    "shared_themes", "jaccard", "skos_jaccard", "gap_score", "theme_adamic_adar",
    "theme_resource_allocation", "main_sessions", "tracks",
)  # fmt: skip


@dataclass(frozen=True)
class Predictor:
    """A predictor of the back-test: the feature it ranks by, and what it reads.

    Attributes
    ----------
    name : str
        Its name on the command line (``gaps --model NAME``).
    label : str
        Its name in words.
    feature : str or None
        The column of :func:`pair_features` it ranks by; ``None`` for ``random`` (one
        score for every pair) and ``learned``.
    themes : bool
        Reads the body–theme graph: run once on dated links only (:data:`CLEAN`) and once
        adding the undated ones (:data:`UNDATED`).
    """

    name: str
    label: str
    feature: str | None
    themes: bool = False


PREDICTORS: tuple[Predictor, ...] = (
    Predictor("random", "random", None),
    Predictor("pref-attachment", "preferential attachment (degree product)", "pref_attachment"),
    Predictor("common-neighbours", "common neighbours", "common_neighbours"),
    Predictor("adamic-adar", "Adamic–Adar (collaborations)", "adamic_adar"),
    Predictor("katz", f"Katz (β = {KATZ_BETA})", "katz"),
    Predictor("common-themes", "common themes", "shared_themes", True),
    Predictor("jaccard", "Jaccard (themes)", "jaccard", True),
    Predictor("skos-jaccard", "SKOS-aware Jaccard (themes)", "skos_jaccard", True),
    Predictor("gap-score", "gap score (rarity-weighted Jaccard)", "gap_score", True),
    Predictor("theme-adamic-adar", "Adamic–Adar (body–theme graph)", "theme_adamic_adar", True),
    Predictor(
        "theme-resource-allocation",
        "resource allocation (body–theme graph)",
        "theme_resource_allocation",
        True,
    ),
    Predictor("same-main-session", "co-presence at the same main session", "main_sessions"),
    Predictor("same-track", "sessions under the same programme track", "tracks"),
    Predictor("learned", "logistic regression on the clean features", None),
)
_BY_NAME = {p.name: p for p in PREDICTORS}
#: features given to the learned predictor (log1p of the unbounded ones, then standardised)
_LOG_FEATURES = {
    "pref_attachment", "common_neighbours", "adamic_adar", "katz", "shared_themes",
    "theme_adamic_adar", "theme_resource_allocation", "main_sessions", "tracks",
}  # fmt: skip


def predictor_names(*, learned: bool = True) -> list[str]:
    """Return the predictors' names, in the order of :data:`PREDICTORS`."""
    return [p.name for p in PREDICTORS if learned or p.name != "learned"]


@dataclass(frozen=True)
class DatedThemeLink:
    """A body addresses a theme, on evidence dated ``year`` (clean as of any later cut-off).

    Attributes
    ----------
    body, theme : str
        IRIs.
    year : int
    via : str
        What dates it (e.g. the session's IRI).
    """

    body: str
    theme: str
    year: int
    via: str = ""


def dated_theme_links(
    model: ReadModel, track_concepts: Mapping[tuple[int, str], Iterable[str]] | None = None
) -> tuple[DatedThemeLink, ...]:
    """Date body–theme links by the sessions a body organised under a programme track.

    Parameters
    ----------
    model : igfgraph.model.ReadModel
    track_concepts : mapping of (int, str) to iterable of str, optional
        ``(meeting year, track as published)`` → IRIs of the concepts of our scheme that
        track stands for (a curated session-track → concept table). ``None``: no such
        table, no dated links.

    Returns
    -------
    tuple of DatedThemeLink
        One per organiser, concept and session, sorted; the year is the meeting's.
    """
    if not track_concepts:
        return ()
    links = set()
    for s in model.sessions:
        if s.year is None or not s.track:
            continue
        for theme in track_concepts.get((s.year, s.track), ()):
            for body in s.organisers:
                links.add(DatedThemeLink(body, theme, s.year, s.iri))
    return tuple(sorted(links, key=lambda x: (x.year, x.body, x.theme, x.via)))


@dataclass(frozen=True)
class AsOf:
    """The graph as known at the end of a year: everything a feature may read.

    Attributes
    ----------
    year : int
    active : tuple of str
        IRIs of the bodies active in ``year``, sorted.
    collaborations : networkx.Graph
        Every body; an edge per pair with a collaboration of the counted evidence dated
        ``<= year``.
    themes : networkx.Graph
        Body × theme graph of the dated theme links ``<= year`` (:data:`CLEAN`).
    themes_undated : networkx.Graph
        The same plus the undated curated and stated links (:data:`UNDATED`).
    main_sessions : dict of frozenset to int
        Pair → number of main sessions of meetings ``<= year`` both organised or joined.
    tracks : dict of frozenset to int
        Pair → number of (year, programme track) ``<= year`` under which both organised a
        session.
    """

    year: int
    active: tuple[str, ...]
    collaborations: nx.Graph
    themes: nx.Graph
    themes_undated: nx.Graph
    main_sessions: dict[frozenset, int] = field(default_factory=dict)
    tracks: dict[frozenset, int] = field(default_factory=dict)


def _bodies(model: ReadModel) -> list[str]:
    return [b.iri for b in model.bodies.values() if KINDS[b.kind].is_body]


def as_of(
    model: ReadModel,
    year: int,
    *,
    evidence: Iterable[str] | None = None,
    theme_links: Iterable[DatedThemeLink] = (),
) -> AsOf:
    """Build the graph as known at the end of ``year`` (only facts dated ``<= year``).

    Parameters
    ----------
    model : igfgraph.model.ReadModel
    year : int
        The cut-off.
    evidence : iterable of str, optional
        Evidence types of the collaborations (default
        :data:`igfgraph.evidence.DEFAULT_EVIDENCE`).
    theme_links : iterable of DatedThemeLink
        Dated body–theme links (:func:`dated_theme_links`).

    Returns
    -------
    AsOf
    """
    wanted = parse_evidence(evidence)
    bodies = _bodies(model)
    known = set(bodies)
    active = tuple(
        sorted(b for b in bodies if model.bodies[b].activity(year).outcome is Activity.ACTIVE)
    )
    C = nx.Graph()
    C.add_nodes_from(sorted(bodies))
    for c in model.collaborations_with(wanted):
        if c.a in known and c.b in known and c.first_year is not None and c.first_year <= year:
            C.add_edge(c.a, c.b)
    full = theme_network(model)
    dated = full.copy()
    dated.remove_edges_from(list(full.edges()))
    undated = full.copy()
    for link in theme_links:
        if link.year <= year and link.body in full and link.theme in full:
            dated.add_edge(link.body, link.theme, basis="dated")
            undated.add_edge(link.body, link.theme, basis="dated")
    main: dict[frozenset, int] = {}
    tracks: dict[frozenset, set] = {}
    for s in model.sessions:
        if s.year is None or s.year > year:
            continue
        if s.type == "main-session":
            present = sorted(set(s.organisers) | set(s.participants))
            for i, a in enumerate(present):
                for b in present[i + 1 :]:
                    key = frozenset((a, b))
                    main[key] = main.get(key, 0) + 1
        if s.track:
            orgs = sorted(s.organisers)
            for i, a in enumerate(orgs):
                for b in orgs[i + 1 :]:
                    tracks.setdefault(frozenset((a, b)), set()).add((s.year, s.track))
    return AsOf(
        year=year,
        active=active,
        collaborations=C,
        themes=dated,
        themes_undated=undated,
        main_sessions=main,
        tracks={k: len(v) for k, v in tracks.items()},
    )


def _katz(C: nx.Graph) -> tuple[dict[str, int], np.ndarray]:
    nodes = list(C.nodes())
    index = {n: i for i, n in enumerate(nodes)}
    A = nx.to_numpy_array(C, nodelist=nodes)
    total = np.zeros_like(A)
    power = np.eye(len(nodes))
    for length in range(1, KATZ_MAX_LENGTH + 1):
        power = power @ A
        total += KATZ_BETA**length * power
    return index, total


def _theme_measures(B: nx.Graph) -> dict[tuple[str, str], dict]:
    frame = theme_overlap(B, text=False)
    return {
        (r["body_a"], r["body_b"]): r
        for r in frame[
            ["body_a", "body_b", "shared", "jaccard", "skos_jaccard", "weighted_jaccard",
             "adamic_adar", "resource_allocation"]
        ].to_dict("records")
    }  # fmt: skip


def pair_features(
    snapshot: AsOf, pairs: Sequence[tuple[str, str]], *, undated: bool = False
) -> pd.DataFrame:
    """Compute every feature of :data:`FEATURES` for some pairs, as of the snapshot's year.

    Parameters
    ----------
    snapshot : AsOf
        The graph as of the cut-off (:func:`as_of`); nothing else is read.
    pairs : sequence of (str, str)
        Body IRIs, ``a < b``.
    undated : bool, default False
        Theme features on :attr:`AsOf.themes_undated` instead of the dated links only.

    Returns
    -------
    pandas.DataFrame
        ``body_a``, ``body_b`` and one float column per feature, in the order of ``pairs``.
    """
    C = snapshot.collaborations
    index, katz = _katz(C)
    themes = _theme_measures(snapshot.themes_undated if undated else snapshot.themes)
    rows = []
    for a, b in pairs:
        common = sorted(set(C[a]) & set(C[b])) if a in C and b in C else []
        t = themes.get((a, b)) or {}
        key = frozenset((a, b))
        rows.append(
            {
                "body_a": a,
                "body_b": b,
                "pref_attachment": float(C.degree(a) * C.degree(b)) if a in C and b in C else 0.0,
                "common_neighbours": float(len(common)),
                "adamic_adar": math.fsum(1 / math.log(C.degree(z)) for z in common),
                "katz": float(katz[index[a], index[b]]) if a in index and b in index else 0.0,
                "shared_themes": float(t.get("shared", 0)),
                "jaccard": float(t.get("jaccard", 0.0)),
                "skos_jaccard": float(t.get("skos_jaccard", 0.0)),
                "gap_score": float(t.get("weighted_jaccard", 0.0)),
                "theme_adamic_adar": float(t.get("adamic_adar", 0.0)),
                "theme_resource_allocation": float(t.get("resource_allocation", 0.0)),
                "main_sessions": float(snapshot.main_sessions.get(key, 0)),
                "tracks": float(snapshot.tracks.get(key, 0)),
            }
        )
    return pd.DataFrame(rows, columns=["body_a", "body_b", *FEATURES])


def score_pairs(
    model: ReadModel,
    pairs: Sequence[tuple[str, str]],
    predictor: str,
    year: int,
    *,
    evidence: Iterable[str] | None = None,
    undated: bool = True,
) -> np.ndarray:
    """Score pairs by one predictor as of ``year`` (what ``gaps --model NAME`` ranks by).

    Parameters
    ----------
    model : igfgraph.model.ReadModel
    pairs : sequence of (str, str)
        Body IRIs, ``a < b``.
    predictor : str
        A name of :func:`predictor_names` other than ``learned``.
    year : int
        Facts dated up to this year.
    evidence : iterable of str, optional
        Evidence types of the collaborations.
    undated : bool, default True
        Theme features read the undated links too (today's ranking has no future to leak).

    Returns
    -------
    numpy.ndarray of float, shape (len(pairs),)
        Higher ranks first; ``random`` gives every pair 0.

    Raises
    ------
    ValueError
        An unknown predictor, or ``learned`` (it is trained by the back-test only).
    """
    if predictor not in _BY_NAME or predictor == "learned":
        msg = (
            f"unknown model {predictor!r}; choose from: {', '.join(predictor_names(learned=False))}"
        )
        raise ValueError(msg)
    p = _BY_NAME[predictor]
    if p.feature is None:
        return np.zeros(len(pairs))
    frame = pair_features(as_of(model, year, evidence=evidence), pairs, undated=undated)
    return frame[p.feature].to_numpy(dtype=float)


# ----------------------------------------------------------------------------- metrics


def precision_at(scores: np.ndarray, labels: np.ndarray, k: int) -> float:
    """Return the expected precision of the top ``k`` pairs, ties at the cut shared out.

    When the k-th score is tied, the tied group fills the remaining slots with its share
    of positives (the expectation over random orders within the tie), so a constant score
    gives exactly ``labels.mean()``.

    Parameters
    ----------
    scores : numpy.ndarray of float, shape (n,)
    labels : numpy.ndarray of bool, shape (n,)
    k : int
        ``1 <= k``; more than ``n`` counts ``n`` slots.

    Returns
    -------
    float
        Expected hits in the top k / k (``nan`` when ``k`` or ``n`` is 0).

    Examples
    --------
    >>> import numpy as np
    >>> precision_at(np.array([3.0, 2.0, 2.0, 1.0]), np.array([True, False, True, False]), 2)
    0.75
    """
    hits, slots = _hits_at(scores, labels, k)
    return hits / slots if slots else float("nan")


def _hits_at(scores: np.ndarray, labels: np.ndarray, k: int) -> tuple[float, int]:
    n = len(scores)
    k = min(k, n)
    if k <= 0:
        return 0.0, 0
    kth = np.sort(scores)[::-1][k - 1]
    above = scores > kth
    tied = scores == kth
    n_above = int(above.sum())
    hits = float(labels[above].sum()) + (k - n_above) * float(labels[tied].sum()) / float(
        tied.sum()
    )
    return hits, k


def cutoff_metrics(scores: np.ndarray, labels: np.ndarray) -> dict[str, float]:
    """Every metric of one predictor on one cut-off.

    Parameters
    ----------
    scores : numpy.ndarray of float, shape (n,)
    labels : numpy.ndarray of bool, shape (n,)
        True for the positives.

    Returns
    -------
    dict of str to float
        ``k`` (positives), ``hits_at_k``, ``precision_at_k``, ``random_precision``
        (positives / candidates), ``factor`` (precision@k over random), ``precision_at_10``,
        ``precision_at_20``, ``recall_at_10``, ``recall_at_20``, ``average_precision``,
        ``roc_auc`` (``nan`` where undefined: no positive, or no negative).
    """
    from sklearn.metrics import average_precision_score, roc_auc_score

    labels = np.asarray(labels, dtype=bool)
    scores = np.asarray(scores, dtype=float)
    n, k = len(labels), int(labels.sum())
    nan = float("nan")
    out = {"k": float(k), "random_precision": k / n if n else nan}
    hits, _ = _hits_at(scores, labels, k)
    out["hits_at_k"] = hits if k else nan
    out["precision_at_k"] = hits / k if k else nan
    out["factor"] = out["precision_at_k"] / out["random_precision"] if k else nan
    for m in (10, 20):
        h, slots = _hits_at(scores, labels, m)
        out[f"precision_at_{m}"] = h / slots if slots else nan
        out[f"recall_at_{m}"] = h / k if k else nan
    both = 0 < k < n
    out["average_precision"] = float(average_precision_score(labels, scores)) if both else nan
    out["roc_auc"] = float(roc_auc_score(labels, scores)) if both else nan
    return out


# ------------------------------------------------------------------------------ protocol


@dataclass
class _Cutoff:
    year: int
    horizon_end: int
    pairs: list[tuple[str, str]]
    labels: np.ndarray
    first: dict[tuple[str, str], tuple[int, list]]
    clean: pd.DataFrame
    undated: pd.DataFrame
    sessions: int
    scores: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)


@dataclass
class Backtest:
    """The back-test's tables (:func:`backtest`).

    Attributes
    ----------
    cutoffs : pandas.DataFrame
        Per cut-off: ``cutoff``, ``horizon_end``, ``sessions_found`` (sessions recorded in
        that year: the curation coverage), ``candidates``, ``positives``,
        ``random_precision``, ``learned_trained_on`` (the cut-offs the learned predictor was
        trained on, ``""`` when it has no training data).
    scores : pandas.DataFrame
        Per predictor, variant and cut-off: the metrics of :func:`cutoff_metrics`, with
        ``precision_at_k_lo``/``_hi`` and ``factor_lo``/``_hi`` (bootstrap over pairs).
    pooled : pandas.DataFrame
        Per predictor, variant and set of cut-offs (``all``: every cut-off where the
        predictor runs; ``common``: those where the learned predictor runs too;
        ``choice``: those up to :data:`CHOICE_SPLIT`; ``report``: those after it): pooled
        metrics with bootstrap intervals (cut-offs, then pairs, resampled).
    hits : pandas.DataFrame
        The winner's hits: pairs it ranked in its top 20 at a cut-off (whatever the order
        within ties) that collaborated in the horizon, with ``rank``, ``first_year`` and
        ``evidence``.
    choice : dict
        :func:`choose_default`.
    settings : dict
        ``from``, ``to``, ``horizon``, ``evidence``, ``all_pairs``, ``seed``,
        ``bootstrap``, ``katz_beta``.
    """

    cutoffs: pd.DataFrame
    scores: pd.DataFrame
    pooled: pd.DataFrame
    hits: pd.DataFrame
    choice: dict
    settings: dict


def _candidates(
    model: ReadModel,
    snapshot: AsOf,
    first: dict[frozenset, tuple[int | None, list]],
    exclude: set[frozenset],
    all_pairs: bool,
) -> list[tuple[str, str]]:
    out = []
    active = snapshot.active
    for i, a in enumerate(active):
        for b in active[i + 1 :]:
            key = frozenset((a, b))
            if key in exclude:
                continue
            if not all_pairs and DC not in (model.bodies[a].kind, model.bodies[b].kind):
                continue
            if key in first:
                year = first[key][0]
                if year is None or year <= snapshot.year:
                    continue  # linked by Y, or linked at an unknown date
            out.append((a, b))
    return out


def _first_collaborations(model: ReadModel, evidence) -> dict[frozenset, tuple[int | None, list]]:
    """Pair → (first year, or None when any collaboration is undated; the collaborations)."""
    found: dict[frozenset, list] = {}
    for c in model.collaborations_with(evidence):
        found.setdefault(frozenset((c.a, c.b)), []).append(c)
    out = {}
    for key, cs in found.items():
        years = [c.first_year for c in cs]
        first = None if any(y is None for y in years) else min(years)
        out[key] = (first, sorted(cs, key=lambda c: (c.first_year or 0, c.iri)))
    return out


def _design(frame: pd.DataFrame) -> np.ndarray:
    cols = []
    for f in FEATURES:
        v = frame[f].to_numpy(dtype=float)
        cols.append(np.log1p(np.maximum(v, 0)) if f in _LOG_FEATURES else v)
    return np.column_stack(cols)


def _learned(train: list[_Cutoff], test: _Cutoff, seed: int) -> np.ndarray | None:
    if not train:
        return None
    X = np.vstack([_design(c.clean) for c in train])
    y = np.concatenate([c.labels for c in train])
    if y.sum() < 2 or y.all():
        return None
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    model = make_pipeline(
        StandardScaler(),
        LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000, random_state=seed),
    )
    model.fit(X, y)
    return model.decision_function(_design(test.clean))


def _variants() -> list[tuple[str, str]]:
    rows = []
    for p in PREDICTORS:
        rows.append((p.name, CLEAN))
        if p.themes:
            rows.append((p.name, UNDATED))
    return rows


def _hits_rows(S: np.ndarray, Y: np.ndarray, k: np.ndarray, desc: np.ndarray) -> np.ndarray:
    """Tie-aware hits in the top ``k[r]`` of each row (``desc``: each row sorted, descending)."""
    n = S.shape[1]
    kk = np.minimum(k, n).astype(int)
    out = np.zeros(len(S))
    rows = np.flatnonzero(kk > 0)
    if not len(rows):
        return out
    kth = desc[rows, kk[rows] - 1][:, None]
    s, y = S[rows], Y[rows]
    above, tied = s > kth, s == kth
    out[rows] = (y & above).sum(1) + (kk[rows] - above.sum(1)) * (y & tied).sum(1) / tied.sum(1)
    return out


def _replicate_stats(
    scores: np.ndarray, labels: np.ndarray, draws: np.ndarray
) -> dict[str, np.ndarray]:
    """Per pair-resample (rows of ``draws``): hits@k, k, expected random hits, hits@10, @20."""
    S, Y = scores[draws], labels[draws]
    n = draws.shape[1]
    k = Y.sum(1).astype(float)
    desc = -np.sort(-S, axis=1)
    return {
        "k": k,
        "rand": k * k / n if n else np.zeros(len(draws)),
        "hits": _hits_rows(S, Y, k, desc),
        "h10": _hits_rows(S, Y, np.full(len(draws), 10), desc),
        "h20": _hits_rows(S, Y, np.full(len(draws), 20), desc),
    }


def _interval(values: np.ndarray) -> tuple[float, float]:
    values = values[np.isfinite(values)]
    if not len(values):
        return float("nan"), float("nan")
    lo, hi = np.percentile(values, [2.5, 97.5])
    return float(lo), float(hi)


def backtest(
    model: ReadModel,
    *,
    start: int | None = None,
    end: int | None = None,
    horizon: int = DEFAULT_HORIZON,
    evidence: Iterable[str] | None = None,
    all_pairs: bool = False,
    seed: int = 42,
    theme_links: Iterable[DatedThemeLink] = (),
    bootstrap: int = BOOTSTRAP,
) -> Backtest:
    """Run the back-test (see the module notes) over the cut-offs ``start`` … ``end``.

    Parameters
    ----------
    model : igfgraph.model.ReadModel
    start, end : int, optional
        First and last cut-off; by default from the first year of a meeting to the latest
        year of the data minus ``horizon`` (so every cut-off's horizon is in the data).
    horizon : int, default 3
        Years after the cut-off in which a first collaboration is a positive.
    evidence : iterable of str, optional
        Evidence types of the collaborations, for training and for positives (default
        :data:`igfgraph.evidence.DEFAULT_EVIDENCE`: not co-presence).
    all_pairs : bool, default False
        Candidates need not include a Dynamic Coalition.
    seed : int, default 42
        Seeds the bootstrap and the learned predictor (same seed, same bytes).
    theme_links : iterable of DatedThemeLink
        Dated body–theme links (:func:`dated_theme_links`).
    bootstrap : int, default :data:`BOOTSTRAP`
        Replicates of each interval.

    Returns
    -------
    Backtest

    Raises
    ------
    ValueError
        ``horizon`` below 1, ``start`` after ``end``, or no cut-off.
    """
    if horizon < 1:
        msg = f"horizon must be at least 1, got {horizon}"
        raise ValueError(msg)
    wanted = parse_evidence(evidence)
    latest = model.latest_year()
    years = sorted(m.year for m in model.meetings.values())
    start = start if start is not None else (years[0] if years else latest - horizon)
    end = end if end is not None else latest - horizon
    if start > end:
        msg = f"no cut-off: from {start} to {end} (the latest year of the data is {latest})"
        raise ValueError(msg)
    theme_links = tuple(theme_links)
    first = _first_collaborations(model, wanted)
    exclude = lineage_pairs(model)
    sessions_in: dict[int, int] = {}
    for s in model.sessions:
        if s.year is not None:
            sessions_in[s.year] = sessions_in.get(s.year, 0) + 1

    cutoffs: list[_Cutoff] = []
    for year in range(start, end + 1):
        snap = as_of(model, year, evidence=wanted, theme_links=theme_links)
        pairs = _candidates(model, snap, first, exclude, all_pairs)
        horizon_end = min(year + horizon, latest)
        labels = np.array(
            [
                frozenset(p) in first and year < (first[frozenset(p)][0] or 0) <= horizon_end
                for p in pairs
            ],
            dtype=bool,
        )
        cutoffs.append(
            _Cutoff(
                year=year,
                horizon_end=horizon_end,
                pairs=pairs,
                labels=labels,
                first={p: first[frozenset(p)] for p, y in zip(pairs, labels, strict=True) if y},
                clean=pair_features(snap, pairs),
                undated=pair_features(snap, pairs, undated=True),
                sessions=sessions_in.get(year, 0),
            )
        )

    trained_on: dict[int, str] = {}
    for c in cutoffs:
        for p in PREDICTORS:
            if p.feature is None and p.name == "random":
                c.scores[p.name, CLEAN] = np.zeros(len(c.pairs))
            elif p.feature is not None:
                c.scores[p.name, CLEAN] = c.clean[p.feature].to_numpy(dtype=float)
                if p.themes:
                    c.scores[p.name, UNDATED] = c.undated[p.feature].to_numpy(dtype=float)
        train = [t for t in cutoffs if t.year + horizon <= c.year and len(t.pairs)]
        learned = _learned(train, c, seed) if len(c.pairs) else None
        if learned is not None:
            c.scores["learned", CLEAN] = learned
            trained_on[c.year] = f"{train[0].year}–{train[-1].year}"

    rng = np.random.default_rng(seed)
    draws = {
        c.year: rng.integers(0, len(c.pairs), size=(bootstrap, len(c.pairs)))
        if len(c.pairs)
        else np.zeros((bootstrap, 0), dtype=int)
        for c in cutoffs
    }
    variants = _variants()
    label_of = {p.name: p.label for p in PREDICTORS}
    score_rows = []
    reps: dict[tuple[str, str, int], dict[str, np.ndarray]] = {}
    point: dict[tuple[str, str, int], dict[str, float]] = {}
    for name, variant in variants:
        for c in cutoffs:
            s = c.scores.get((name, variant))
            if s is None or not len(c.pairs):
                continue
            m = cutoff_metrics(s, c.labels)
            m["n"] = len(c.pairs)
            point[name, variant, c.year] = m
            st = _replicate_stats(s, c.labels, draws[c.year])
            reps[name, variant, c.year] = st
            with np.errstate(invalid="ignore", divide="ignore"):
                prec = np.where(st["k"] > 0, st["hits"] / np.maximum(st["k"], 1), np.nan)
                fac = np.where(
                    st["rand"] > 0, st["hits"] / np.where(st["rand"] > 0, st["rand"], 1), np.nan
                )
            plo, phi = _interval(prec) if m["k"] else (float("nan"),) * 2
            flo, fhi = _interval(fac) if m["k"] else (float("nan"),) * 2
            score_rows.append(
                {
                    "predictor": name,
                    "label": label_of[name],
                    "variant": variant,
                    "cutoff": c.year,
                    "candidates": len(c.pairs),
                    "positives": int(m["k"]),
                    "precision_at_k": m["precision_at_k"],
                    "precision_at_k_lo": plo,
                    "precision_at_k_hi": phi,
                    "random_precision": m["random_precision"],
                    "factor": m["factor"],
                    "factor_lo": flo,
                    "factor_hi": fhi,
                    "precision_at_10": m["precision_at_10"],
                    "precision_at_20": m["precision_at_20"],
                    "recall_at_10": m["recall_at_10"],
                    "recall_at_20": m["recall_at_20"],
                    "average_precision": m["average_precision"],
                    "roc_auc": m["roc_auc"],
                }
            )
    scores = pd.DataFrame(score_rows)

    common = [c.year for c in cutoffs if ("learned", CLEAN) in c.scores]
    sets = {
        "all": None,
        "common": common,
        "choice": [c.year for c in cutoffs if c.year <= CHOICE_SPLIT],
        "report": [c.year for c in cutoffs if c.year > CHOICE_SPLIT],
    }
    pool_rng = np.random.default_rng(seed + 1)
    pooled_rows = []
    for set_name, chosen in sets.items():
        for name, variant in variants:
            ys = [
                c.year
                for c in cutoffs
                if (name, variant, c.year) in point and (chosen is None or c.year in chosen)
            ]
            if not ys:
                continue
            pooled_rows.append(
                _pooled_row(
                    name, label_of[name], variant, set_name, ys, point, reps, pool_rng, bootstrap
                )
            )
    pooled = pd.DataFrame(pooled_rows)
    choice = choose_default(pooled)
    hits = _hits(model, cutoffs, choice["winner"])
    cut_frame = pd.DataFrame(
        [
            {
                "cutoff": c.year,
                "horizon_end": c.horizon_end,
                "sessions_found": c.sessions,
                "candidates": len(c.pairs),
                "positives": int(c.labels.sum()),
                "random_precision": (c.labels.sum() / len(c.pairs))
                if len(c.pairs)
                else float("nan"),
                "learned_trained_on": trained_on.get(c.year, ""),
            }
            for c in cutoffs
        ]
    )
    settings = {
        "from": start,
        "to": end,
        "horizon": horizon,
        "evidence": evidence_label(wanted),
        "all_pairs": all_pairs,
        "seed": seed,
        "bootstrap": bootstrap,
        "katz_beta": KATZ_BETA,
        "dated_theme_links": len(theme_links),
    }
    return Backtest(cut_frame, scores, pooled, hits, choice, settings)


def _pooled_row(name, label, variant, set_name, ys, point, reps, rng, bootstrap) -> dict:
    k = sum(point[name, variant, y]["k"] for y in ys)
    hits = sum(point[name, variant, y]["hits_at_k"] for y in ys if point[name, variant, y]["k"])
    rand = sum(
        point[name, variant, y]["k"] * point[name, variant, y]["random_precision"] for y in ys
    )
    n = {y: point[name, variant, y] for y in ys}
    prec = hits / k if k else float("nan")
    factor = hits / rand if rand else float("nan")
    # bootstrap: resample cut-offs, then one pair-resample of each drawn cut-off
    picks = rng.integers(0, len(ys), size=(bootstrap, len(ys)))
    which = rng.integers(0, bootstrap, size=(bootstrap, len(ys)))
    H = np.array([reps[name, variant, y]["hits"] for y in ys])
    K = np.array([reps[name, variant, y]["k"] for y in ys])
    R = np.array([reps[name, variant, y]["rand"] for y in ys])
    h = H[picks, which].sum(axis=1)
    kk = K[picks, which].sum(axis=1)
    rr = R[picks, which].sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        plo, phi = _interval(np.where(kk > 0, h / np.maximum(kk, 1), np.nan))
        flo, fhi = _interval(np.where(rr > 0, h / np.where(rr > 0, rr, 1), np.nan))

    def mean(key: str) -> float:
        values = [m[key] for m in n.values() if np.isfinite(m[key])]
        return float(np.mean(values)) if values else float("nan")

    def at(m: int) -> float:
        slots = sum(min(m, v["n"]) for v in n.values())
        got = sum(v[f"precision_at_{m}"] * min(m, v["n"]) for v in n.values() if v["n"])
        return got / slots if slots else float("nan")

    return {
        "predictor": name,
        "label": label,
        "variant": variant,
        "cutoffs": set_name,
        "years": f"{ys[0]}–{ys[-1]}" if len(ys) > 1 else str(ys[0]),
        "n_cutoffs": len(ys),
        "positives": int(k),
        "hits_at_k": hits,
        "precision_at_k": prec,
        "precision_at_k_lo": plo,
        "precision_at_k_hi": phi,
        "random_precision": rand / k if k else float("nan"),
        "factor": factor,
        "factor_lo": flo,
        "factor_hi": fhi,
        "precision_at_10": at(10),
        "precision_at_20": at(20),
        "recall_at_20": (
            sum(v["recall_at_20"] * v["k"] for v in n.values() if v["k"]) / k if k else float("nan")
        ),
        "average_precision": mean("average_precision"),
        "roc_auc": mean("roc_auc"),
    }


def _best(pooled: pd.DataFrame, cutoffs: str, exclude: Iterable[str]) -> pd.Series | None:
    rows = pooled[
        (pooled["cutoffs"] == cutoffs)
        & (pooled["variant"] == CLEAN)
        & ~pooled["predictor"].isin(list(exclude))
        & pooled["precision_at_k"].notna()
    ].copy()
    if rows.empty:
        return None
    rows["_ap"] = rows["average_precision"].fillna(-1)
    rows = rows.sort_values(
        ["precision_at_k", "factor", "_ap", "predictor"], ascending=[False, False, False, True]
    )
    return rows.iloc[0]


def _figures(row: pd.Series) -> str:
    return (
        f"pooled precision@k {row['precision_at_k']:.3f} "
        f"[{row['precision_at_k_lo']:.3f}, {row['precision_at_k_hi']:.3f}], "
        f"{row['factor']:.2f}× random [{row['factor_lo']:.2f}, {row['factor_hi']:.2f}], "
        f"cut-offs {row['years']}, {row['positives']} positives"
    )


def choose_default(pooled: pd.DataFrame) -> dict:
    """Choose the predictor ``gaps`` ranks by, and name the back-test's winner.

    The **default** is chosen on the ``choice`` cut-offs (up to :data:`CHOICE_SPLIT`): the
    best clean predictor other than ``random`` and ``learned`` (``gaps`` does not train)
    by pooled precision@k, then factor, then AP, then name, if the lower end of its
    factor interval is above 1; otherwise ``gap-score`` (the ranking ``gaps`` has always
    used, the simplest) stays. The **winner** is the best clean predictor, ``learned``
    included, on the ``common`` cut-offs (those where every predictor runs); its hits are
    listed.

    Parameters
    ----------
    pooled : pandas.DataFrame
        :attr:`Backtest.pooled`.

    Returns
    -------
    dict
        ``default``, ``beats_random`` (the default's case), ``chosen_on`` (figures of the
        best predictor on the choice cut-offs), ``reported`` (the default's figures on
        the ``report`` cut-offs), ``winner``, ``winner_figures`` and ``reason`` (words).
    """
    best = _best(pooled, "choice", ["random", "learned"])
    win = _best(pooled, "common", ["random"])
    winner = win["predictor"] if win is not None else "gap-score"
    if best is None:
        default, beats, chosen = "gap-score", False, ""
        reason = "no cut-off up to the split has positives: nothing to choose on"
    else:
        beats = bool(np.isfinite(best["factor_lo"]) and best["factor_lo"] > 1.0)
        chosen = f"{best['predictor']}: {_figures(best)}"
        default = best["predictor"] if beats else "gap-score"
        if beats:
            reason = f"{best['predictor']} is the best on the cut-offs up to {CHOICE_SPLIT}"
        else:
            reason = (
                f"no clean predictor beats random with an interval that excludes it on the "
                f"cut-offs up to {CHOICE_SPLIT}; the simplest default, the gap score, stays"
            )
    rep = pooled[
        (pooled["cutoffs"] == "report")
        & (pooled["variant"] == CLEAN)
        & (pooled["predictor"] == default)
    ]
    return {
        "default": default,
        "beats_random": beats,
        "chosen_on": chosen,
        "reported": _figures(rep.iloc[0]) if len(rep) and rep.iloc[0]["positives"] else "",
        "winner": winner,
        "winner_figures": _figures(win) if win is not None else "",
        "reason": reason,
    }


def _hits(model: ReadModel, cutoffs: list[_Cutoff], winner: str, top: int = 20) -> pd.DataFrame:
    rows = []
    for c in cutoffs:
        s = c.scores.get((winner, CLEAN))
        if s is None:
            continue
        for i, (pair, label) in enumerate(zip(c.pairs, c.labels, strict=True)):
            if not label:
                continue
            rank = int((s > s[i]).sum()) + 1
            tied = int((s == s[i]).sum())
            if rank + tied - 1 > top:
                continue  # not in the top ``top`` whatever the order within its tie
            year, collabs = c.first[pair]
            a, b = model.bodies[pair[0]], model.bodies[pair[1]]
            rows.append(
                {
                    "cutoff": c.year,
                    "rank": rank,
                    "tied_with": tied - 1,
                    "score": float(s[i]),
                    "label_a": a.label,
                    "label_b": b.label,
                    "first_year": year,
                    "evidence": "; ".join(
                        f"{x.evidence} {x.first_year} ({x.iri.rsplit('/', 1)[-1]})"
                        for x in collabs
                        if x.first_year is not None and x.first_year <= c.horizon_end
                    ),
                    "body_a": pair[0],
                    "body_b": pair[1],
                }
            )
    columns = ["cutoff", "rank", "tied_with", "score", "label_a", "label_b", "first_year",
               "evidence", "body_a", "body_b"]  # fmt: skip
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["cutoff", "rank", "label_a", "label_b"]).reset_index(drop=True)
