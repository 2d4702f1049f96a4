"""Coverage statistics of the graph: what is in it, how sure we are, what lacks a source."""

from __future__ import annotations

import pandas as pd
import pyoxigraph as ox
from rdflib import Graph

from igfgraph.analysis.graphs import as_store
from igfgraph.sparql import query_frame

__all__ = ["STATS_COLUMNS", "coverage_stats"]

STATS_COLUMNS = ["section", "item", "count"]

_PER_CLASS = """
SELECT ?item (COUNT(DISTINCT ?x) AS ?count) WHERE {
  ?x a ?class . ?class rdfs:isDefinedBy <https://w3id.org/igfgraph/ontology> .
  FILTER (STRSTARTS(STR(?x), "https://w3id.org/igfgraph/id/"))
  BIND (STRAFTER(STR(?class), "#") AS ?item)
} GROUP BY ?item
"""

_PER_YEAR = """
SELECT ?item (COUNT(DISTINCT ?x) AS ?count) WHERE {
  { ?x a igf:AnnualMeeting ; igf:year ?y . BIND ("annual meeting" AS ?what) }
  UNION { ?x a igf:Cycle ; igf:year ?y . BIND ("BPF/PN cycle" AS ?what) }
  UNION { ?x a igf:Session ; igf:heldAt/igf:year ?y . BIND ("session" AS ?what) }
  UNION { ?x igf:established ?y ; a/rdfs:subClassOf* igf:Body . BIND ("body established" AS ?what) }
  BIND (CONCAT(STR(?y), " ", ?what) AS ?item)
} GROUP BY ?item
"""

_CONFIDENCE = """
SELECT ?item (COUNT(DISTINCT ?x) AS ?count) WHERE { ?x igf:confidence ?item } GROUP BY ?item
"""

_UNSOURCED = """
SELECT DISTINCT ?x WHERE {
  ?x a ?class .
  FILTER (STRSTARTS(STR(?x), "https://w3id.org/igfgraph/id/"))
  FILTER (?class NOT IN (igf:Source, void:Dataset, dcat:Dataset, dcat:Catalog))
  FILTER NOT EXISTS { ?x a dcterms:Agent }  # publishers, named by the source that cites them
  FILTER NOT EXISTS { ?x rdfs:isDefinedBy ?vocabulary }  # concepts of ontology/schemes.ttl
  FILTER NOT EXISTS { ?x prov:wasDerivedFrom ?s }
  FILTER NOT EXISTS { ?record foaf:primaryTopic ?x ; prov:wasDerivedFrom ?s }
}
"""

_SESSIONS = """
SELECT ?item (COUNT(DISTINCT ?s) AS ?count) WHERE {
  ?s a igf:Session ; dcterms:type ?kind ; igf:heldAt/skos:prefLabel ?meeting .
  BIND (CONCAT(STR(?meeting), " ", ?kind) AS ?item)
} GROUP BY ?item
"""

_COLLABORATIONS = """
SELECT ?item (COUNT(DISTINCT ?l) AS ?count) WHERE {
  ?l a igf:Liaison ; igf:evidenceType/skos:notation ?notation .
  BIND (STR(?notation) AS ?evidence)  # skos:notation is typed igf:Notation
  OPTIONAL { ?l igf:startYear ?start }
  BIND (IF(BOUND(?start), CONCAT(" first in ", SUBSTR(STR(?start), 1, 4)), ", undated") AS ?when)
  VALUES ?per { "all" "year" }
  BIND (IF(?per = "all", CONCAT(?evidence, " (all years)"), CONCAT(?evidence, ?when)) AS ?item)
} GROUP BY ?item
"""

_NRI_REGIONS = """
SELECT ?item (COUNT(DISTINCT ?nri) AS ?count) WHERE {
  ?nri a/rdfs:subClassOf* igf:NRI .
  OPTIONAL { ?nri igf:regionalGroup/skos:prefLabel ?group }
  BIND (COALESCE(?group, "cross-regional or unknown") AS ?item)
} GROUP BY ?item
"""


def coverage_stats(source: Graph | ox.Store) -> pd.DataFrame:
    """Count what the graph holds, by class, year, confidence and UN region.

    Parameters
    ----------
    source : rdflib.Graph or pyoxigraph.Store
        The built graph.

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
    store = as_store(source)
    parts = []
    for section, text in (
        ("class", _PER_CLASS),
        ("year", _PER_YEAR),
        ("confidence", _CONFIDENCE),
        ("nri-region", _NRI_REGIONS),
        ("sessions", _SESSIONS),
        ("collaborations", _COLLABORATIONS),
    ):
        frame = query_frame(store, text)
        frame.insert(0, "section", section)
        parts.append(frame)
    unsourced = len(query_frame(store, _UNSOURCED))
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
