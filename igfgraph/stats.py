"""Coverage statistics of the graph: what is in it, how sure we are, what lacks a source."""

from __future__ import annotations

import pandas as pd

from igfgraph.model import run_model_query

__all__ = ["STATS_COLUMNS", "coverage_stats"]

STATS_COLUMNS = ["section", "item", "count"]


def coverage_stats(source) -> pd.DataFrame:
    """Count what the graph holds, by class, year, confidence and UN region.

    Parameters
    ----------
    source : rdflib.Graph or pyoxigraph.Store
        The built graph (its queries are ``igfgraph/model/queries/stats-*.rq``).

    Returns
    -------
    pandas.DataFrame
        Columns ``section``, ``item``, ``count`` (int). Sections: ``class`` (instances
        per igf: class), ``year`` (meetings, BPF/PN cycles, sessions and bodies
        established per year), ``confidence`` (facts per confidence level), ``source``
        (one row, ``facts without source``: every resource under the ``id/`` namespace,
        catalogue records included, that neither has ``prov:wasDerivedFrom`` itself nor is
        the ``foaf:primaryTopic`` of a record that has one; 0 on the shipped data),
        ``nri-region`` (NRIs per UN regional group), ``sessions`` (sessions per meeting and
        kind, e.g. ``IGF 2021 dc-session``) and ``collaborations`` (liaisons per evidence
        type, in all and by first year, e.g. ``co-organised first in 2021``; ``undated`` when
        no year is recorded, e.g. ``stated, undated``). Publishers (``dcterms:Agent``, named
        by the source that cites them) and the concepts of ``ontology/schemes.ttl`` are
        vocabulary, not facts, and are not counted. Sorted by section, then item.
    """
    parts = []
    for section, name in (
        ("class", "stats-classes"),
        ("year", "stats-years"),
        ("confidence", "stats-confidence"),
        ("nri-region", "stats-nri-regions"),
        ("sessions", "stats-sessions"),
        ("collaborations", "stats-collaborations"),
    ):
        frame = run_model_query(source, name)
        frame.insert(0, "section", section)
        parts.append(frame)
    unsourced = len(run_model_query(source, "stats-unsourced"))
    parts.append(
        pd.DataFrame([{"section": "source", "item": "facts without source", "count": unsourced}])
    )
    frame = pd.concat(parts, ignore_index=True)
    frame["count"] = frame["count"].astype(int)
    order = {
        "class": 0,
        "year": 1,
        "confidence": 2,
        "source": 3,
        "nri-region": 4,
        "sessions": 5,
        "collaborations": 6,
    }
    frame = frame.sort_values(
        ["section", "item"], key=lambda s: s.map(order) if s.name == "section" else s
    )
    return frame[STATS_COLUMNS].reset_index(drop=True)
