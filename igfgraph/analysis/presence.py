"""Who was active in a year but held no session at that year's annual meeting."""

from __future__ import annotations

import pandas as pd

from igfgraph.activity import Activity
from igfgraph.kinds import DC
from igfgraph.model import ReadModel

__all__ = ["without_session"]


def without_session(model: ReadModel, year: int, kind: str = DC) -> pd.DataFrame:
    """List the bodies of a kind active in ``year`` that had no session at its meeting.

    The answer of the named question ``dcs-without-session`` (for Dynamic Coalitions),
    from the read model: "active" is the one rule of :mod:`igfgraph.activity`; a body
    "has a session" when it organised one or is named as a participant.

    Parameters
    ----------
    model : igfgraph.model.ReadModel
    year : int
        The year of the annual meeting.
    kind : str, default "dynamic-coalition"
        A ``bodies.kind`` value.

    Returns
    -------
    pandas.DataFrame
        Columns ``body`` (IRI), ``name``, ``acronym``, ``established`` (``None`` when
        unknown), sorted by name; empty when no meeting was held that year.
        ``frame.attrs["unknown"]`` lists the names of the bodies of unknown activity that
        year with no session (not counted), sorted.
    """
    held = any(m.year == year for m in model.meetings.values())
    present = {
        b for s in model.sessions if s.year == year for b in (*s.organisers, *s.participants)
    }
    rows, unknown = [], []
    for b in model.of_kind(kind):
        if not held or b.iri in present:
            continue
        outcome = b.activity(year).outcome
        if outcome is Activity.ACTIVE:
            rows.append(
                {"body": b.iri, "name": b.name, "acronym": b.acronym, "established": b.established}
            )
        elif outcome is Activity.UNKNOWN:
            unknown.append(b.name)
    frame = pd.DataFrame(rows, columns=["body", "name", "acronym", "established"])
    frame = frame.sort_values(["name", "body"]).reset_index(drop=True)
    frame.attrs["unknown"] = sorted(unknown)
    return frame
