"""Typed networkx views of the RDF graph (no string hacking: each view is one SPARQL query).

* :func:`body_theme_graph` — the body × theme bipartite graph (networkx ``bipartite``
  convention: bodies ``bipartite=0``, themes ``bipartite=1``).
* :func:`body_output_graph`, :func:`body_meeting_graph` — bodies × outputs they created,
  bodies × annual meetings at which they organised a session (same convention).
* :func:`liaison_graph` — bodies joined by recorded liaisons (``igf:liaisesWith``) only.
  Links to a whole modality ("the NRIs") are left out: they are not pairwise liaisons.
* :func:`governance_graph` — liaisons plus directed governance relations (coordination,
  accreditation, support, units, succession), as a ``MultiDiGraph``.

Every body node carries the same attributes (see :func:`bodies_frame`), so analyses can
filter by kind, year and confidence without going back to RDF.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx
import pandas as pd
import pyoxigraph as ox
from rdflib import Graph, URIRef

from igfgraph.evidence import parse_evidence
from igfgraph.ids import kind_of_class, local_name, year_of
from igfgraph.sparql import query_frame, to_store

__all__ = [
    "as_store",
    "bodies_frame",
    "body_meeting_graph",
    "body_output_graph",
    "body_theme_graph",
    "governance_graph",
    "liaison_graph",
]

_BODIES = """
SELECT ?body ?class ?name ?acronym ?summary ?established ?ended ?confidence WHERE {
  ?body a ?class . ?class rdfs:subClassOf* igf:Body .
  FILTER (?class != igf:Body && ?class != igf:IntersessionalActivity && ?class != igf:NRI)
  ?body skos:prefLabel ?name .
  OPTIONAL { ?body igf:acronym ?acronym }
  OPTIONAL { ?body dcterms:description ?summary }
  OPTIONAL { ?body igf:established ?established }
  OPTIONAL { ?body igf:ended ?ended }
  OPTIONAL { ?record foaf:primaryTopic ?body ; igf:confidence ?confidence }
}
"""

_ACTIVE = """
SELECT ?body ?year WHERE { ?body igf:activeIn ?year }
"""

_LISTINGS = """
SELECT ?body ?status ?date WHERE {
  VALUES (?p ?status) { (igf:listedIn "listed") (igf:notListedIn "not-listed")
                        (igf:listingUnknownIn "unknown") }
  ?body ?p ?r . OPTIONAL { ?r dcterms:date ?date }
}
"""

_THEMES = """
SELECT ?body ?theme ?basis WHERE {
  ?focus a igf:ThematicFocus ; igf:focusOf ?body ; igf:focusOn ?theme ; igf:basis ?basis .
}
"""

_ALL_THEMES = """
SELECT ?theme ?label ?broader WHERE {
  ?theme a igf:Theme ; skos:prefLabel ?label . OPTIONAL { ?theme skos:broader ?broader }
}
"""

_OUTPUTS = """
SELECT ?output ?title ?body WHERE {
  ?output a igf:Output ; dcterms:title ?title ; dcterms:creator ?body
}
"""

_MEETINGS = """
SELECT ?meeting ?label ?body WHERE {
  ?s a igf:Session ; igf:organizedBy ?body ; igf:heldAt ?meeting . ?meeting skos:prefLabel ?label
}
"""

_LIAISONS = """
SELECT ?liaison ?a ?b ?kind ?evidence ?start WHERE {
  ?liaison a igf:Liaison ; igf:party ?a, ?b ; igf:liaisonKind ?kind ;
           igf:evidenceType/skos:notation ?notation .
  BIND (STR(?notation) AS ?evidence)  # skos:notation is typed igf:Notation
  OPTIONAL { ?liaison igf:startYear ?start }
  FILTER (STR(?a) < STR(?b))
}
"""

_RELATIONS = """
SELECT ?s ?p ?o WHERE {
  VALUES ?p { igf:coordinates igf:accredits igf:supports igf:hosts igf:appoints
              igf:establishes igf:succeeds igf:mergedInto org:unitOf }
  ?s ?p ?o .
}
"""

_OTHERS = """
SELECT ?x ?class ?name WHERE {
  VALUES ?class { igf:Modality igf:Process igf:Instrument }
  ?x a ?class ; skos:prefLabel ?name .
}
"""


def as_store(source: Graph | ox.Store) -> ox.Store:
    """Return an Oxigraph store for ``source`` (loading an rdflib graph once)."""
    return to_store(source) if isinstance(source, Graph) else source


def bodies_frame(source: Graph | ox.Store) -> pd.DataFrame:
    """Return one row per body (every instance of a subclass of ``igf:Body``).

    Parameters
    ----------
    source : rdflib.Graph or pyoxigraph.Store
        The built graph.

    Returns
    -------
    pandas.DataFrame
        Columns ``body`` (IRI), ``id`` (curated id), ``kind`` (``bodies.kind`` value),
        ``name``, ``acronym`` (``""`` if none), ``label`` (acronym, else name),
        ``summary``, ``text`` (name and summary, for text measures), ``established``
        and ``ended`` (year or ``None``), ``active_years`` (tuple of the years of its
        yearly cycles, BPFs and PNs), ``registers`` (its status on each register, as
        ``(year or None, "listed" | "not-listed" | "unknown")`` pairs, oldest first,
        undated last), ``listed_years`` (years of dated registers listing it) and
        ``confidence`` (``"high"``/``"medium"``/``"low"``
        or ``""``); sorted by ``body``. Modalities are not bodies and are absent.
    """
    store = as_store(source)
    frame = query_frame(store, _BODIES).drop_duplicates("body")
    active: dict[str, set[int]] = {}
    for row in query_frame(store, _ACTIVE).itertuples(index=False):
        active.setdefault(row.body, set()).add(int(row.year[:4]))
    listings: dict[str, set[tuple[int | None, str]]] = {}
    for row in query_frame(store, _LISTINGS).itertuples(index=False):
        listings.setdefault(row.body, set()).add((year_of(row.date), row.status))

    def order(item: tuple[int | None, str]) -> tuple:
        return (item[0] is None, item[0] or 0, item[1])  # undated registers last (the newest)

    frame["kind"] = [kind_of_class(URIRef(c)) or local_name(c) for c in frame["class"]]
    frame["id"] = [local_name(b) for b in frame["body"]]
    frame["label"] = [a or n for a, n in zip(frame["acronym"], frame["name"], strict=True)]
    frame["text"] = [
        f"{n}. {s}".strip() for n, s in zip(frame["name"], frame["summary"], strict=True)
    ]
    frame["established"] = [year_of(v) for v in frame["established"]]
    frame["ended"] = [year_of(v) for v in frame["ended"]]
    frame["active_years"] = [tuple(sorted(active.get(b, ()))) for b in frame["body"]]
    frame["registers"] = [tuple(sorted(listings.get(b, ()), key=order)) for b in frame["body"]]
    frame["listed_years"] = [
        tuple(sorted({y for y, st in regs if st == "listed" and y is not None}))
        for regs in frame["registers"]
    ]
    columns = [
        "body", "id", "kind", "name", "acronym", "label", "summary", "text",
        "established", "ended", "active_years", "registers", "listed_years", "confidence",
    ]  # fmt: skip
    return frame.sort_values("body")[columns].reset_index(drop=True)


def _add_bodies(G: nx.Graph, bodies: pd.DataFrame, **attrs) -> None:
    for row in bodies.to_dict("records"):
        body = row.pop("body")
        G.add_node(body, **row, **attrs)


def body_theme_graph(source: Graph | ox.Store) -> nx.Graph:
    """Build the body × theme bipartite graph.

    Parameters
    ----------
    source : rdflib.Graph or pyoxigraph.Store
        The built graph.

    Returns
    -------
    networkx.Graph
        Nodes are IRIs. Bodies carry ``bipartite=0`` and the columns of
        :func:`bodies_frame`; themes carry ``bipartite=1``, ``kind="theme"``, ``label``,
        ``id`` and ``broader`` (IRI of the SKOS broader theme, or ``None``). Every body
        is present, also those with no theme (degree 0: "themes unknown"), and every
        theme of the scheme, also those no body addresses. Edges carry ``basis``
        (``"stated"`` or ``"curated"``).

    References
    ----------
    .. [1] Borgatti, S. P. and Halgin, D. S., "Analyzing affiliation networks", in
       *The SAGE Handbook of Social Network Analysis* (2011), pp. 417–433.
    """
    store = as_store(source)
    G = nx.Graph()
    _add_bodies(G, bodies_frame(store), bipartite=0)
    for row in query_frame(store, _ALL_THEMES).itertuples(index=False):
        G.add_node(
            row.theme,
            bipartite=1,
            kind="theme",
            label=row.label,
            id=local_name(row.theme),
            broader=row.broader or None,
        )
    for row in query_frame(store, _THEMES).itertuples(index=False):
        if row.body not in G:
            continue  # a modality's themes are not a body's themes
        G.add_edge(row.body, row.theme, basis=local_name(row.basis).lower())
    return G


def _affiliation(store: ox.Store, text: str, kind: str, column: str, label: str) -> nx.Graph:
    G = nx.Graph()
    _add_bodies(G, bodies_frame(store), bipartite=0)
    for row in query_frame(store, text).to_dict("records"):
        if row["body"] not in G:
            continue
        G.add_node(
            row[column], bipartite=1, kind=kind, label=row[label], id=local_name(row[column])
        )
        G.add_edge(row["body"], row[column])
    return G


def body_output_graph(source: Graph | ox.Store) -> nx.Graph:
    """Build the body × output bipartite graph (``dcterms:creator``).

    Parameters
    ----------
    source : rdflib.Graph or pyoxigraph.Store
        The built graph.

    Returns
    -------
    networkx.Graph
        Bodies (``bipartite=0``, attributes of :func:`bodies_frame`) and outputs
        (``bipartite=1``, ``kind="output"``, ``label`` = title); an edge for each creator.
    """
    return _affiliation(as_store(source), _OUTPUTS, "output", "output", "title")


def body_meeting_graph(source: Graph | ox.Store) -> nx.Graph:
    """Build the body × annual meeting bipartite graph (bodies that organised a session there).

    Parameters
    ----------
    source : rdflib.Graph or pyoxigraph.Store
        The built graph.

    Returns
    -------
    networkx.Graph
        Bodies (``bipartite=0``) and meetings (``bipartite=1``, ``kind="meeting"``,
        ``label`` such as ``"IGF 2021"``); an edge when the body organised at least one
        session at the meeting.
    """
    return _affiliation(as_store(source), _MEETINGS, "meeting", "meeting", "label")


def liaison_graph(source: Graph | ox.Store, evidence: Iterable[str] | None = None) -> nx.Graph:
    """Build the graph of recorded liaisons (collaborations) between bodies.

    Parameters
    ----------
    source : rdflib.Graph or pyoxigraph.Store
        The built graph.
    evidence : iterable of str, optional
        The evidence types to count (:data:`igfgraph.evidence.EVIDENCE_TYPES`); by
        default :data:`igfgraph.evidence.DEFAULT_EVIDENCE` (stated, co-organised,
        co-authored: not co-presence).

    Returns
    -------
    networkx.Graph
        Every body is a node (attributes of :func:`bodies_frame`); an edge joins two
        bodies with at least one ``igf:Liaison`` of a counted evidence type and carries
        ``liaisons`` (sorted list of liaison IRIs), ``kinds`` (sorted kind names),
        ``evidence`` (sorted evidence types) and ``first_year`` (earliest start year,
        ``None`` if none is recorded). Liaisons with a modality are not edges: they do
        not link two particular bodies. ``G.graph["evidence"]`` is the tuple of
        evidence types counted.

    Raises
    ------
    ValueError
        An unknown evidence type.
    """
    counted = parse_evidence(evidence)
    store = as_store(source)
    G = nx.Graph(evidence=counted)
    _add_bodies(G, bodies_frame(store))
    for row in query_frame(store, _LIAISONS).itertuples(index=False):
        if row.a not in G or row.b not in G or row.evidence not in counted:
            continue
        start = year_of(row.start)
        if not G.has_edge(row.a, row.b):
            G.add_edge(row.a, row.b, liaisons=[], kinds=[], evidence=[], first_year=None)
        data = G.edges[row.a, row.b]
        data["liaisons"] = sorted({*data["liaisons"], row.liaison})
        data["kinds"] = sorted({*data["kinds"], local_name(row.kind)})
        data["evidence"] = sorted({*data["evidence"], row.evidence})
        if start is not None and (data["first_year"] is None or start < data["first_year"]):
            data["first_year"] = start
    return G


def governance_graph(
    source: Graph | ox.Store, evidence: Iterable[str] | None = None
) -> nx.MultiDiGraph:
    """Build the governance graph: liaisons (both directions) and directed relations.

    Parameters
    ----------
    source : rdflib.Graph or pyoxigraph.Store
        The built graph.
    evidence : iterable of str, optional
        The liaison evidence types to count, as :func:`liaison_graph` (default: stated,
        co-organised, co-authored); ``G.graph["evidence"]`` records them.

    Returns
    -------
    networkx.MultiDiGraph
        Bodies as nodes; edges keyed by relation name (``"liaison"``, ``"coordinates"``,
        ``"accredits"``, ``"supports"``, ``"succeeds"``, ``"mergedInto"``, ``"unitOf"``…)
        with attribute ``kind``. Relations to modalities, UN processes and instruments
        are kept; those nodes have ``kind`` ``"modality"``, ``"process"`` or
        ``"instrument"``.
    """
    store = as_store(source)
    L = liaison_graph(store, evidence)
    G = nx.MultiDiGraph(evidence=L.graph["evidence"])
    G.add_nodes_from(L.nodes(data=True))
    for a, b in L.edges:
        G.add_edge(a, b, key="liaison", kind="liaison")
        G.add_edge(b, a, key="liaison", kind="liaison")
    others = {r.x: r for r in query_frame(store, _OTHERS).itertuples(index=False)}
    for row in query_frame(store, _RELATIONS).itertuples(index=False):
        for node in (row.s, row.o):
            if node not in G:
                other = others.get(node)
                kind = (kind_of_class(URIRef(other[1])) if other else None) or "unknown"
                label = other[2] if other else local_name(node)
                G.add_node(node, kind=kind, label=label, name=label, id=local_name(node))
        name = local_name(row.p)
        G.add_edge(row.s, row.o, key=name, kind=name)
    return G
