"""The one definition of "active in year Y": active, inactive or unknown, from dated evidence.

The map's year filter, ``--as-of``, ``dcs-without-session``, the gaps default and the report
all ask this module (``ontology/README.md``, "Active in a year", states the rule for readers
of the graph). The rule is decided in this order; the first row that applies wins:

==========================================================================  ==========
case                                                                        outcome
==========================================================================  ==========
Y before the established year, or after the ended year                      inactive
evidence of activity in Y                                                    active
evidence of activity both before and after Y, no inactivity evidence
between them                                                                active
"not-listed" on a register dated ≤ Y, and no activity evidence between
that date and Y (both ends included)                                        inactive
anything else (before the first or after the last evidence, or no dated
evidence)                                                                   unknown
==========================================================================  ==========

*Evidence of activity* in a year: the established year, a session the body organised or
took part in at that year's annual meeting, a yearly cycle, an output it created issued
that year, a listing ("listed") on a register dated that year. *Evidence of inactivity*:
the ended year (every later year), "not-listed" on a dated register. A register status
"unknown" is evidence neither way, and an undated register is not dated evidence. One
refinement the table leaves open: an undated register known to be newer than every dated one
(the IGF's latest list of active DCs) that *lists* the body does not date any activity, but
it stops the "not-listed" row from calling the body inactive in the years after the newest
dated register (the listing may fall between); such a body is "unknown" there.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "Activity",
    "ActivityEvidence",
    "Verdict",
    "activity_in",
    "is_active",
    "year_ranges",
]


class Activity(enum.StrEnum):
    """The three outcomes of the rule."""

    ACTIVE = "active"
    INACTIVE = "inactive"
    UNKNOWN = "unknown"


#: register statuses (``register_entries.status``)
_STATUSES = ("listed", "not-listed", "unknown")


@dataclass(frozen=True)
class ActivityEvidence:
    """What the data records about when a body was active.

    Attributes
    ----------
    established, ended : int or None
        Years (``bodies.established``, ``bodies.ended``).
    sessions : tuple of int
        Years of the annual meetings at which it organised or took part in a session.
    cycles : tuple of int
        Years of its yearly cycles (BPFs, PNs).
    outputs : tuple of int
        Years in which outputs it created were issued.
    listings : tuple of (int or None, str)
        Its status on each register: (year of the register's date or ``None`` when
        undated, ``"listed"`` | ``"not-listed"`` | ``"unknown"``).
    undated_after : int or None
        The undated registers are newer than this year (the newest dated register's);
        ``None`` when their place in time is not known (they then count for nothing).

    Raises
    ------
    ValueError
        A listing status that is not one of the three.
    """

    established: int | None = None
    ended: int | None = None
    sessions: tuple[int, ...] = ()
    cycles: tuple[int, ...] = ()
    outputs: tuple[int, ...] = ()
    listings: tuple[tuple[int | None, str], ...] = ()
    undated_after: int | None = None

    def __post_init__(self) -> None:
        for _year, status in self.listings:
            if status not in _STATUSES:
                msg = f"register status must be one of {', '.join(_STATUSES)}, got {status!r}"
                raise ValueError(msg)

    def activity_years(self) -> dict[int, tuple[str, ...]]:
        """Return every year with evidence of activity, and what that evidence is.

        Returns
        -------
        dict of int to tuple of str
            Year → sorted names among ``"established"``, ``"session"``, ``"cycle"``,
            ``"output"``, ``"listed"``.
        """
        found: dict[int, set[str]] = {}
        pairs: list[tuple[int | None, str]] = [(self.established, "established")]
        pairs += [(y, "session") for y in self.sessions]
        pairs += [(y, "cycle") for y in self.cycles]
        pairs += [(y, "output") for y in self.outputs]
        pairs += [(y, "listed") for y, status in self.listings if status == "listed"]
        for year, what in pairs:
            if year is not None:
                found.setdefault(year, set()).add(what)
        return {y: tuple(sorted(found[y])) for y in sorted(found)}

    def not_listed_years(self) -> tuple[int, ...]:
        """Return the years of the dated registers that do not list the body, sorted."""
        return tuple(sorted({y for y, s in self.listings if s == "not-listed" and y is not None}))


@dataclass(frozen=True)
class Verdict:
    """The outcome of the rule for one body and year, with the row that decided it.

    Attributes
    ----------
    outcome : Activity
    reason : str
        The deciding evidence in plain words (for a map card, a report line or a test).
    """

    outcome: Activity
    reason: str


def activity_in(evidence: ActivityEvidence, year: int) -> Verdict:
    """Decide whether a body was active in ``year`` (see the module notes for the rule).

    Parameters
    ----------
    evidence : ActivityEvidence
        The body's dated evidence.
    year : int
        The year asked about.

    Returns
    -------
    Verdict
        Its ``outcome`` and the ``reason``.

    Examples
    --------
    >>> e = ActivityEvidence(established=2015, sessions=(2021,))
    >>> activity_in(e, 2018).outcome, activity_in(e, 2014).outcome, activity_in(e, 2023).outcome
    (<Activity.ACTIVE: 'active'>, <Activity.INACTIVE: 'inactive'>, <Activity.UNKNOWN: 'unknown'>)
    """
    e = evidence
    if e.established is not None and year < e.established:
        return Verdict(Activity.INACTIVE, f"established in {e.established}")
    if e.ended is not None and year > e.ended:
        return Verdict(Activity.INACTIVE, f"ended in {e.ended}")
    active = e.activity_years()
    if year in active:
        return Verdict(Activity.ACTIVE, f"{', '.join(active[year])} in {year}")
    before = [y for y in active if y < year]
    after = [y for y in active if y > year]
    unlisted = e.not_listed_years()
    if before and after:
        a, b = max(before), min(after)
        if not any(a < d < b for d in unlisted):
            return Verdict(Activity.ACTIVE, f"active in {a} and in {b}")
    later_listing = e.undated_after is not None and any(
        y is None and status == "listed" for y, status in e.listings
    )
    for d in sorted((d for d in unlisted if d <= year), reverse=True):
        if later_listing and year > e.undated_after:
            break  # listed on a newer, undated register: maybe active again in between
        if not any(d <= y <= year for y in active):
            return Verdict(Activity.INACTIVE, f"not listed on the register of {d}")
    if not active and not unlisted:
        return Verdict(Activity.UNKNOWN, "no dated evidence")
    if before and after:
        return Verdict(
            Activity.UNKNOWN, f"active in {max(before)} and {min(after)}, not listed between"
        )
    if later_listing and year > e.undated_after:
        return Verdict(Activity.UNKNOWN, "listed on an undated register newer than the dated ones")
    if before:
        return Verdict(Activity.UNKNOWN, f"no evidence after {max(before)}")
    if after:
        return Verdict(Activity.UNKNOWN, f"no evidence before {min(after)}")
    return Verdict(Activity.UNKNOWN, f"only registers after {year} that do not list it")


def is_active(evidence: ActivityEvidence, year: int) -> bool:
    """Say whether the rule gives ``active`` (unknown counts as not active)."""
    return activity_in(evidence, year).outcome is Activity.ACTIVE


def year_ranges(years: Iterable[int]) -> str:
    """Write years as sorted ranges.

    Parameters
    ----------
    years : iterable of int
        Years, in any order, repeats allowed.

    Returns
    -------
    str
        Runs of consecutive years as ``first–last`` (en dash), joined by ", ".

    Examples
    --------
    >>> year_ranges([2019, 2014, 2015, 2016, 2021])
    '2014–2016, 2019, 2021'
    >>> year_ranges([])
    ''
    """
    out: list[str] = []
    run: list[int] = []
    for year in sorted(set(years)):
        if run and year != run[-1] + 1:
            out.append(f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]))
            run = []
        run.append(year)
    if run:
        out.append(f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]))
    return ", ".join(out)
