"""The rule "active in year Y" (igfgraph/activity.py): one test per row of issue 9's table,
in the table's order, plus properties checked with hypothesis."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from igfgraph.activity import Activity, ActivityEvidence, activity_in, is_active

A, N, U = Activity.ACTIVE, Activity.INACTIVE, Activity.UNKNOWN  # N: not active


def outcome(year: int, **evidence) -> Activity:
    return activity_in(ActivityEvidence(**evidence), year).outcome


# row 1: Y before the established year, or after the ended year -> inactive
def test_row1_before_established_or_after_ended_is_inactive():
    assert outcome(2014, established=2015, sessions=(2014,)) is N  # the year wins over a session
    assert outcome(2020, established=2006, ended=2019, listings=((2020, "listed"),)) is N
    assert outcome(2019, established=2006, ended=2019) is U  # the ended year itself is not after
    v = activity_in(ActivityEvidence(established=2006, ended=2010), 2011)
    assert v.reason == "ended in 2010"


# row 2: evidence of activity in Y -> active (each kind of evidence)
@pytest.mark.parametrize(
    "evidence",
    [
        {"established": 2021},
        {"sessions": (2021,)},
        {"cycles": (2021,)},
        {"outputs": (2021,)},
        {"listings": ((2021, "listed"),)},
    ],
)
def test_row2_evidence_in_the_year_is_active(evidence):
    assert outcome(2021, **evidence) is A


def test_row2_wins_over_a_not_listed_register_of_the_same_year():
    assert outcome(2020, sessions=(2020,), listings=((2020, "not-listed"),)) is A


# row 3: activity before and after Y, no inactivity evidence between -> active
def test_row3_activity_before_and_after_is_active():
    v = activity_in(ActivityEvidence(established=2015, sessions=(2021,)), 2018)
    assert (v.outcome, v.reason) == (A, "active in 2015 and in 2021")
    # not-listed between the two: the gap is not bridged
    assert outcome(2018, established=2015, sessions=(2021,), listings=((2020, "not-listed"),)) is U
    assert outcome(2018, established=2015, sessions=(2021,), listings=((2017, "not-listed"),)) is N


# row 4: "not-listed" on a register dated <= Y, no activity evidence between -> inactive
def test_row4_not_listed_earlier_without_later_activity_is_inactive():
    v = activity_in(ActivityEvidence(established=2006, listings=((2020, "not-listed"),)), 2021)
    assert (v.outcome, v.reason) == (N, "not listed on the register of 2020")
    assert outcome(2020, established=2006, listings=((2020, "not-listed"),)) is N
    # activity between that date and Y: row 4 does not apply (nothing after it: unknown)
    assert outcome(2022, listings=((2020, "not-listed"),), sessions=(2021,)) is U
    # a listed register after Y with the not-listed one before: row 4 still decides
    assert outcome(2021, listings=((2020, "not-listed"), (2022, "listed"))) is N


# row 5: an "unknown" register status is no evidence either way
def test_row5_unknown_status_is_no_evidence():
    assert outcome(2021, listings=((2021, "unknown"),)) is U
    assert outcome(2021, established=2015, listings=((2021, "unknown"),)) is U
    assert outcome(2018, established=2015, sessions=(2021,), listings=((2019, "unknown"),)) is A


# row 6: anything else -> unknown
def test_row6_anything_else_is_unknown():
    assert activity_in(ActivityEvidence(), 2021) == activity_in(ActivityEvidence(), 1990)
    assert activity_in(ActivityEvidence(), 2021).reason == "no dated evidence"
    v = activity_in(ActivityEvidence(established=2015), 2021)  # after the last evidence
    assert (v.outcome, v.reason) == (U, "no evidence after 2015")
    v = activity_in(ActivityEvidence(sessions=(2021,)), 2019)  # before the first, no founding year
    assert (v.outcome, v.reason) == (U, "no evidence before 2021")
    # an undated register is not dated evidence
    assert outcome(2024, established=2015, listings=((None, "listed"),)) is U
    assert outcome(2024, established=2015, listings=((None, "not-listed"),)) is U


def test_an_undated_newer_register_stops_the_not_listed_row_after_the_dated_ones():
    e = {"listings": ((2020, "not-listed"), (2022, "not-listed"), (None, "listed"))}
    assert outcome(2021, **e, undated_after=2022) is N  # before the newest dated register
    assert outcome(2022, **e, undated_after=2022) is N
    v = activity_in(ActivityEvidence(**e, undated_after=2022), 2025)
    assert (v.outcome, v.reason) == (U, "listed on an undated register newer than the dated ones")
    assert outcome(2025, **e) is N  # place in time unknown: it counts for nothing
    # not-listed on the undated register is no dated evidence of inactivity
    assert (
        outcome(2025, established=2015, listings=((None, "not-listed"),), undated_after=2022) is U
    )


def test_bad_status_is_refused():
    with pytest.raises(ValueError, match="listed, not-listed, unknown, got 'gone'"):
        ActivityEvidence(listings=((2020, "gone"),))


years = st.integers(2000, 2030)
listing = st.tuples(
    st.one_of(st.none(), years), st.sampled_from(["listed", "not-listed", "unknown"])
)
evidence = st.builds(
    ActivityEvidence,
    established=st.one_of(st.none(), years),
    ended=st.one_of(st.none(), years),
    sessions=st.lists(years, max_size=3).map(tuple),
    cycles=st.lists(years, max_size=3).map(tuple),
    outputs=st.lists(years, max_size=2).map(tuple),
    listings=st.lists(listing, max_size=4).map(tuple),
)


@given(evidence, years)
def test_unknown_statuses_and_undated_registers_never_change_the_outcome(e, year):
    kept = tuple((y, s) for y, s in e.listings if s != "unknown" and y is not None)
    # (no undated_after in these evidences: undated registers count for nothing)
    stripped = ActivityEvidence(e.established, e.ended, e.sessions, e.cycles, e.outputs, kept)
    assert activity_in(e, year).outcome is activity_in(stripped, year).outcome


@given(evidence, years)
def test_a_session_in_the_year_makes_active_unless_outside_the_lifetime(e, year):
    with_session = ActivityEvidence(
        e.established, e.ended, (*e.sessions, year), e.cycles, e.outputs, e.listings
    )
    outside = (e.established is not None and year < e.established) or (
        e.ended is not None and year > e.ended
    )
    assert is_active(with_session, year) is (not outside)
