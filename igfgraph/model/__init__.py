"""The read model: every fact the analyses, report, views and CLI tables need, read once.

:func:`read_model` runs the queries of ``igfgraph/model/queries/`` (each with its own PREFIX
lines; they are the library's own reads, not competency questions, so ``igfgraph queries``
does not list them) and returns one typed, frozen :class:`ReadModel`. Nothing above this
layer writes SPARQL.
"""

from igfgraph.model.read import QUERIES, STATS_QUERIES, model_query, read_model, run_model_query
from igfgraph.model.types import (
    CENTRALITY_RELATIONS,
    LINEAGE_RELATIONS,
    Body,
    Collaboration,
    Focus,
    Listing,
    Meeting,
    Output,
    Party,
    ReadModel,
    Recommendation,
    Relation,
    Session,
    Theme,
    TrackTheme,
)

__all__ = [
    "CENTRALITY_RELATIONS",
    "LINEAGE_RELATIONS",
    "QUERIES",
    "STATS_QUERIES",
    "Body",
    "Collaboration",
    "Focus",
    "Listing",
    "Meeting",
    "Output",
    "Party",
    "ReadModel",
    "Recommendation",
    "Relation",
    "Session",
    "Theme",
    "TrackTheme",
    "model_query",
    "read_model",
    "run_model_query",
]
