"""The back-test of the gap ranking (igfgraph/analysis/backtest.py, issue #12).

A hand-made read model with known dated collaborations, every metric computed by hand;
leakage tests (facts dated after the cut-off change nothing as of the cut-off); the
undated variant kept apart; same seed, same bytes; the default of ``gaps`` is the
back-test's choice on the shipped data.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest

from igfgraph.activity import ActivityEvidence
from igfgraph.analysis.backtest import (
    CLEAN,
    FEATURES,
    UNDATED,
    DatedThemeLink,
    as_of,
    backtest,
    cutoff_metrics,
    pair_features,
    precision_at,
    predictor_names,
    score_pairs,
)
from igfgraph.model import Body, Collaboration, Focus, Meeting, ReadModel, Session, Theme
from igfgraph.sparql import format_frame

ID = "https://w3id.org/igfgraph/id/"
YEARS = tuple(range(2010, 2016))


def iri(x: str) -> str:
    return f"{ID}body/{x}"


def collab(a: str, b: str, year: int, evidence: str = "stated") -> Collaboration:
    return Collaboration(
        f"{ID}liaison/{a}-{b}-{year}", iri(a), iri(b), "Collaboration", evidence=evidence,
        first_year=year,
    )  # fmt: skip


@pytest.fixture
def hand() -> ReadModel:
    """DCs a, b, c, d and PN e, all active 2010–2015. Collaborations (stated): a–b 2010,
    b–c 2010, c–d 2012, a–c 2013, d–e 2014. Undated themes: a {t1}, c {t1, t2}, d {t2},
    e {t2}."""
    kinds = {"a": "dynamic-coalition", "b": "dynamic-coalition", "c": "dynamic-coalition",
             "d": "dynamic-coalition", "e": "policy-network"}  # fmt: skip
    bodies = {
        iri(x): Body(iri(x), x, k, x.upper(), evidence=ActivityEvidence(sessions=YEARS))
        for x, k in kinds.items()
    }
    themes = {f"{ID}theme/{t}": Theme(f"{ID}theme/{t}", t, t) for t in ("t1", "t2")}
    focus = tuple(
        Focus(iri(b), f"{ID}theme/{t}", "curated")
        for b, t in (("a", "t1"), ("c", "t1"), ("c", "t2"), ("d", "t2"), ("e", "t2"))
    )
    collabs = (
        collab("a", "b", 2010), collab("b", "c", 2010), collab("c", "d", 2012),
        collab("a", "c", 2013), collab("d", "e", 2014),
    )  # fmt: skip
    meetings = {f"{ID}meeting/{y}": Meeting(f"{ID}meeting/{y}", str(y), str(y), y) for y in YEARS}
    return ReadModel(
        bodies=bodies, themes=themes, focus=focus, collaborations=collabs, meetings=meetings
    )


def row(result, predictor: str, cutoff: int, variant: str = CLEAN) -> pd.Series:
    s = result.scores
    found = s[(s.predictor == predictor) & (s.cutoff == cutoff) & (s.variant == variant)]
    assert len(found) == 1
    return found.iloc[0]


def pooled(result, predictor: str, cutoffs: str = "all", variant: str = CLEAN) -> pd.Series:
    p = result.pooled
    found = p[(p.predictor == predictor) & (p.cutoffs == cutoffs) & (p.variant == variant)]
    assert len(found) == 1
    return found.iloc[0]


@pytest.fixture
def result(hand):
    return backtest(hand, start=2010, end=2011, horizon=2, seed=7, bootstrap=200)


def test_candidates_and_positives_by_hand(result):
    # as of 2011: 10 pairs, a–b and b–c linked → 8 candidates; positives first linked in
    # 2012–2013: c–d (2012), a–c (2013). As of 2010 (horizon 2011–2012): c–d only.
    c = result.cutoffs.set_index("cutoff")
    assert c.loc[2011, "candidates"] == 8 and c.loc[2011, "positives"] == 2
    assert c.loc[2010, "candidates"] == 8 and c.loc[2010, "positives"] == 1
    assert c.loc[2011, "horizon_end"] == 2013


def test_random_baseline_is_positives_over_candidates_exactly(result):
    r = row(result, "random", 2011)
    assert r.precision_at_k == r.random_precision == 2 / 8
    assert r.factor == 1.0
    assert r.precision_at_10 == 2 / 8  # 8 slots, all tied: the expectation is exact
    assert row(result, "random", 2010).precision_at_k == 1 / 8
    assert pooled(result, "random").precision_at_k == pytest.approx(5 / 24)  # (1·1/8 + 2·2/8)/3
    assert pooled(result, "random").factor == 1.0


def test_common_neighbours_every_metric_by_hand(result):
    # as of 2011 only a–c has a common neighbour (b): a–c scores 1, the other 7 score 0.
    # precision@2: a–c is a hit; the second slot goes to the 7 tied pairs, 1 of them a
    # positive (c–d): 1 + 1/7 hits → 4/7. Random 1/4 → factor 16/7.
    r = row(result, "common-neighbours", 2011)
    assert r.precision_at_k == pytest.approx(4 / 7)
    assert r.factor == pytest.approx(16 / 7)
    # AP (ties form one threshold): recall 1/2 at precision 1, then recall 1 at precision 2/8
    assert r.average_precision == pytest.approx(0.5 * 1 + 0.5 * 2 / 8)
    # AUC: a–c beats the 6 negatives (6), c–d ties them (6 × 1/2) → 9 of 12
    assert r.roc_auc == pytest.approx(9 / 12)
    assert r.recall_at_10 == 1.0  # 8 candidates: every positive is in the top 10
    # as of 2010 a–c is not a positive: the top slot misses
    assert row(result, "common-neighbours", 2010).precision_at_k == 0.0
    # pooled: hits (0 + 8/7) over slots (1 + 2); random (1/8 + 2·2/8)/3 = 5/24
    p = pooled(result, "common-neighbours")
    assert p.precision_at_k == pytest.approx(8 / 21)
    assert p.factor == pytest.approx((8 / 21) / (5 / 24))
    assert p.positives == 3


def test_features_by_hand(hand):
    snap = as_of(hand, 2011)
    f = pair_features(snap, [(iri("a"), iri("c")), (iri("c"), iri("d"))]).set_index("body_b")
    ac, cd = f.loc[iri("c")], f.loc[iri("d")]
    assert ac.common_neighbours == 1 and ac.adamic_adar == pytest.approx(1 / math.log(2))
    assert ac.pref_attachment == 1 * 1 and cd.pref_attachment == 1 * 0
    # Katz: walks a→c on the path a–b–c: 1 of length 2, 2 of length 4, 4 of length 6
    assert ac.katz == pytest.approx(0.05**2 + 2 * 0.05**4 + 4 * 0.05**6)
    # clean theme features: no dated theme link → 0; undated: a {t1}, c {t1, t2}: Jaccard 1/2
    assert ac.jaccard == 0.0
    undated = pair_features(snap, [(iri("a"), iri("c"))], undated=True).iloc[0]
    assert undated.jaccard == 0.5 and undated.shared_themes == 1


def test_metrics_without_ties_by_hand():
    scores = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4])
    labels = np.array([True, False, True, False, False, True])
    m = cutoff_metrics(scores, labels)
    assert m["precision_at_k"] == pytest.approx(2 / 3)  # top 3: hit, miss, hit
    assert m["random_precision"] == 0.5 and m["factor"] == pytest.approx(4 / 3)
    assert m["average_precision"] == pytest.approx((1 / 1 + 2 / 3 + 3 / 6) / 3)
    # AUC: positive ranks beat 3, 2 and 0 of the 3 negatives → 5/9
    assert m["roc_auc"] == pytest.approx(5 / 9)
    assert m["precision_at_10"] == 0.5  # 6 slots
    assert precision_at(scores, labels, 1) == 1.0


def test_an_oracle_gets_precision_one(result, hand):
    labels = np.array([True, False, False, True, False, False, False, False, False, True])
    m = cutoff_metrics(labels.astype(float), labels)
    assert m["precision_at_k"] == 1.0 and m["average_precision"] == 1.0 and m["roc_auc"] == 1.0
    # told the future of the fixture: its first collaborations in 2012–2013, as of 2011
    snap = as_of(hand, 2011)
    later = as_of(hand, 2013).collaborations
    cands = [p for p in _cands(snap) if not snap.collaborations.has_edge(*p)]
    oracle = np.array([float(later.has_edge(a, b)) for a, b in cands])
    assert oracle.sum() == row(result, "random", 2011).positives
    assert precision_at(oracle, oracle.astype(bool), int(oracle.sum())) == 1.0


def _cands(snap):
    return [(a, b) for i, a in enumerate(snap.active) for b in snap.active[i + 1 :]]


# ------------------------------------------------------------------------------- leakage


def _add(model: ReadModel, **kw) -> ReadModel:
    return dataclasses.replace(model, **kw)


def _features(model, year=2011, links=()):
    snap = as_of(model, year, theme_links=links)
    return pair_features(snap, _cands(snap)), pair_features(snap, _cands(snap), undated=True)


def test_a_later_collaboration_changes_no_feature_as_of_y(hand):
    before = _features(hand)
    later = _add(hand, collaborations=(*hand.collaborations, collab("a", "e", 2012),
                                       collab("b", "d", 2014, "co-organised")))  # fmt: skip
    for x, y in zip(before, _features(later), strict=True):
        pd.testing.assert_frame_equal(x, y)
    # the test can fail: the same collaboration dated 2011 changes them
    early = _add(hand, collaborations=(*hand.collaborations, collab("a", "e", 2011)))
    assert not before[0].equals(_features(early)[0])
    pairs = _cands(as_of(hand, 2011))
    for name in predictor_names(learned=False):
        assert np.array_equal(
            score_pairs(hand, pairs, name, 2011), score_pairs(later, pairs, name, 2011)
        )


def _main(year: int, *bodies: str) -> Session:
    return Session(
        f"{ID}session/main-{year}", f"main-{year}", "Main", "main-session", f"{ID}meeting/{year}",
        year, participants=tuple(iri(b) for b in bodies), track="Human Rights",
    )  # fmt: skip


def test_a_later_session_changes_no_feature_as_of_y(hand):
    before = _features(hand)
    later = _add(hand, sessions=(_main(2012, "a", "d", "e"),))
    for x, y in zip(before, _features(later), strict=True):
        pd.testing.assert_frame_equal(x, y)
    early = _add(hand, sessions=(_main(2011, "a", "d", "e"),))
    f = _features(early)[0].set_index(["body_a", "body_b"])
    assert f.loc[(iri("a"), iri("d")), "main_sessions"] == 1


def test_a_later_dated_theme_link_changes_no_feature_as_of_y(hand):
    before = _features(hand)
    late = (
        DatedThemeLink(iri("b"), f"{ID}theme/t1", 2012),
        DatedThemeLink(iri("a"), f"{ID}theme/t2", 2013),
    )
    for x, y in zip(before, _features(hand, links=late), strict=True):
        pd.testing.assert_frame_equal(x, y)
    early = (
        DatedThemeLink(iri("b"), f"{ID}theme/t1", 2011),
        DatedThemeLink(iri("a"), f"{ID}theme/t1", 2010),
    )
    f = _features(hand, links=early)[0].set_index(["body_a", "body_b"])
    assert f.loc[(iri("a"), iri("b")), "jaccard"] == 1.0  # both dated t1 by 2011: clean now


def test_later_facts_change_no_score_of_earlier_cut_offs(hand):
    # facts after the last horizon (2011 + 2 = 2013) change nothing in the tables
    base = backtest(hand, start=2010, end=2011, horizon=2, seed=3, bootstrap=50)
    later = _add(
        hand,
        collaborations=(*hand.collaborations, collab("a", "d", 2014), collab("b", "e", 2015)),
        sessions=(_main(2014, "a", "b", "c", "d", "e"),),
    )
    again = backtest(later, start=2010, end=2011, horizon=2, seed=3, bootstrap=50,
                     theme_links=(DatedThemeLink(iri("b"), f"{ID}theme/t2", 2014),))  # fmt: skip
    pd.testing.assert_frame_equal(base.scores, again.scores)
    pd.testing.assert_frame_equal(base.pooled, again.pooled)


def test_undated_features_never_reach_the_clean_table(hand, result):
    # removing every undated body–theme link leaves every clean figure as it was …
    bare = backtest(_add(hand, focus=()), start=2010, end=2011, horizon=2, seed=7, bootstrap=200)
    clean = result.pooled[result.pooled.variant == CLEAN].reset_index(drop=True)
    pd.testing.assert_frame_equal(
        clean, bare.pooled[bare.pooled.variant == CLEAN].reset_index(drop=True)
    )
    # … while the undated variant moves (a–c share t1, and a–c is a positive as of 2011)
    assert (
        row(result, "jaccard", 2011, UNDATED).precision_at_k
        > row(bare, "jaccard", 2011, UNDATED).precision_at_k
    )
    # theme predictors appear in both variants, the others only as clean
    undated = set(result.pooled[result.pooled.variant == UNDATED].predictor)
    assert undated == {"common-themes", "jaccard", "skos-jaccard", "gap-score",
                       "theme-adamic-adar", "theme-resource-allocation"}  # fmt: skip
    assert set(FEATURES) >= {"jaccard", "gap_score"}


# --------------------------------------------------------------------------- determinism


def test_same_seed_same_bytes(hand):
    from pathlib import Path

    from igfgraph.plots import backtest_plot
    from igfgraph.report import backtest_section

    def render(seed):
        r = backtest(hand, start=2010, end=2012, horizon=2, seed=seed, bootstrap=100)
        files = {
            name: format_frame(getattr(r, name), "csv")
            for name in ("cutoffs", "scores", "pooled", "hits")
        }
        files["md"] = backtest_section(r)
        files.update({p.name: b for p, b in backtest_plot(r, Path("bt"), write=False).items()})
        return files

    one, two = render(11), render(11)
    assert one.keys() == two.keys() and all(one[k] == two[k] for k in one)
    assert one["bt.png"].startswith(b"\x89PNG") and b"<svg" in one["bt.svg"]
    assert render(12)["scores"] != one["scores"]  # the seed does reach the intervals


def test_bad_settings_are_refused(hand):
    with pytest.raises(ValueError, match="horizon"):
        backtest(hand, horizon=0)
    with pytest.raises(ValueError, match="no cut-off"):
        backtest(hand, start=2014, end=2012)


# ---------------------------------------------------------------------- gaps --model, data


def test_gaps_model_choices_are_the_back_test_predictors():
    from igfgraph.cli.analyses import _MODELS

    assert _MODELS == predictor_names(learned=False)


def test_gaps_model_reranks_the_same_rows(hand):
    from igfgraph.analysis.gaps import find_gaps

    # every body on t1: the gaps are the unlinked pairs more than one hop apart
    model = _add(hand, focus=tuple(Focus(b, f"{ID}theme/t1", "curated") for b in hand.bodies))
    default = find_gaps(model, text=False, all_pairs=True)
    pa = find_gaps(model, text=False, all_pairs=True, predictor="pref-attachment")
    assert sorted(zip(default.body_a, default.body_b, strict=True)) == sorted(
        zip(pa.body_a, pa.body_b, strict=True)
    )
    # degrees as of 2015: a 2, b 2, c 3, d 2, e 1 → a–d 4, b–d 4, c–e 3, a–e 2, b–e 2
    got = [
        (a.rsplit("/", 1)[1], b.rsplit("/", 1)[1], s)
        for a, b, s in zip(pa.body_a, pa.body_b, pa.score, strict=True)
    ]
    assert got == [
        ("a", "d", 4.0),
        ("b", "d", 4.0),
        ("c", "e", 3.0),
        ("a", "e", 2.0),
        ("b", "e", 2.0),
    ]
    assert list(pa["rank"]) == [1, 2, 3, 4, 5]
    assert "Ranked by preferential attachment" in pa.attrs["rule"]
    assert default.attrs["model"] == "gap-score" and "Ranked by" not in default.attrs["rule"]
    with pytest.raises(ValueError, match="unknown model"):
        find_gaps(hand, predictor="learned")


@pytest.fixture(scope="module")
def shipped_result(shipped_store):
    from igfgraph.model import read_model

    return backtest(read_model(shipped_store))


def test_default_model_is_the_back_tests_choice_on_the_shipped_data(shipped_result):
    from igfgraph.analysis.gaps import DEFAULT_MODEL

    assert DEFAULT_MODEL == shipped_result.choice["default"]


def test_shipped_back_test_is_honest_about_its_size(shipped_result):
    c = shipped_result.cutoffs
    assert (c["positives"] <= c["candidates"]).all() and c["positives"].sum() > 0
    clean = shipped_result.pooled[shipped_result.pooled.variant == CLEAN]
    rand = clean[(clean.predictor == "random") & (clean.cutoffs == "all")].iloc[0]
    assert rand.factor == 1.0
    assert set(shipped_result.hits.columns) >= {"cutoff", "rank", "first_year", "evidence"}
