"""Issue 9's cross-checks: the same question gets the same answer wherever it is asked."""

from __future__ import annotations

import pytest

from igfgraph.activity import Activity
from igfgraph.model import read_model
from igfgraph.queries import named_query


@pytest.fixture(scope="module")
def shipped_model(shipped_store):
    return read_model(shipped_store)


def test_named_dcs_without_session_is_the_activity_rule_in_every_year(shipped_store, shipped_model):
    m = shipped_model
    years = {meeting.year for meeting in m.meetings.values()}
    query = named_query("dcs-without-session")
    for year in range(min(years) - 1, max(years) + 2):
        got = sorted(query.frame(shipped_store, {"year": str(year)})["dc"])
        expected = sorted(
            b.iri
            for b in m.of_kind("dynamic-coalition")
            if year in years
            and b.activity(year).outcome is Activity.ACTIVE
            and not any(
                s.year == year and b.iri in (*s.organisers, *s.participants) for s in m.sessions
            )
        )
        assert got == expected, year
