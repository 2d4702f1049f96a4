"""Map views: networkx graphs ready for :mod:`igfgraph.viz`, built from the RDF graph.

A view decides *what* is shown (nodes, edges, tooltips); :mod:`igfgraph.viz` decides
*how* (style table, layout, offline HTML).
"""

from __future__ import annotations

import networkx as nx
import pyoxigraph as ox
from rdflib import Graph

from igfgraph.analysis.gaps import liaison_gaps
from igfgraph.analysis.graphs import (
    as_store,
    bodies_frame,
    body_theme_graph,
    governance_graph,
    liaison_graph,
)
from igfgraph.sparql import query_frame

__all__ = ["CROSS_REGIONAL", "KIND_NAMES", "NRI_KINDS", "VIEWS", "landscape_view"]

#: bodies.kind → the IGF's own name for that kind of body
KIND_NAMES = {
    "forum": "Internet Governance Forum",
    "secretariat": "IGF Secretariat",
    "advisory-group": "Multistakeholder Advisory Group",
    "leadership-panel": "Leadership Panel",
    "coordination-group": "Coordination group",
    "dynamic-coalition": "Dynamic Coalition",
    "best-practice-forum": "Best Practice Forum",
    "policy-network": "Policy Network",
    "national-igf": "National IGF",
    "subregional-igf": "Sub-regional IGF",
    "regional-igf": "Regional IGF",
    "youth-igf": "Youth IGF",
    "organization": "Related organisation",
    "modality": "Modality",
    "theme": "Theme",
    "nri-group": "NRIs of one UN regional group",
}

_SOURCES = """
SELECT DISTINCT ?body ?title WHERE {
  ?body prov:wasDerivedFrom ?source . ?source a igf:Source ; dcterms:title ?title .
}
"""


NRI_KINDS = frozenset({"national-igf", "subregional-igf", "regional-igf", "youth-igf"})
CROSS_REGIONAL = "https://w3id.org/igfgraph/id/region/cross-regional"

_NRI_GROUPS = """
SELECT ?nri ?group ?label WHERE {
  ?nri a ?c . ?c rdfs:subClassOf* igf:NRI .
  OPTIONAL { ?nri igf:regionalGroup ?group . ?group skos:prefLabel ?label }
}
"""


def _nri_groups(store: ox.Store) -> dict[str, tuple[str, str]]:
    """Map each NRI to its UN regional group node (IRI, label); cross-regional ones together."""
    groups = {}
    for row in query_frame(store, _NRI_GROUPS).itertuples(index=False):
        if row.group:
            groups[row.nri] = (row.group, row.label)
        else:
            groups[row.nri] = (CROSS_REGIONAL, "cross-regional")
    return groups


def landscape_view(
    source: Graph | ox.Store, *, top_gaps: int = 20, min_overlap: float = 0.25
) -> nx.Graph:
    """Build the landscape view: bodies, their themes, liaisons, coordination and gaps.

    National, regional and youth IGFs (NRIs) are drawn as one node per UN regional
    group (``kind="nri-group"``; cross-regional initiatives share one node), so the map
    stays readable with 160+ initiatives; their liaisons are drawn to their group.

    Parameters
    ----------
    source : rdflib.Graph or pyoxigraph.Store
        The built graph.
    top_gaps : int, default 20
        How many of the strongest liaison gaps to draw as dashed edges.
    min_overlap : float, default 0.25
        Jaccard threshold of the gaps drawn.

    Returns
    -------
    networkx.Graph
        Nodes: every ``igf:Body`` other than an NRI, one node per UN regional group of
        NRIs, and every theme some body addresses, with ``label``, ``kind``, ``title``
        (plain-text card: name, acronym, kind, summary, themes, sources) and ``size``.
        Edges with ``kind`` ``theme``, ``liaison``, ``coordinates`` or ``gap`` and a
        plain-text ``title``.
    """
    store = as_store(source)
    B = body_theme_graph(store)
    L = liaison_graph(store)
    bodies = bodies_frame(store).set_index("body")
    groups = _nri_groups(store)
    sources: dict[str, list[str]] = {}
    for row in query_frame(store, _SOURCES).itertuples(index=False):
        sources.setdefault(row.body, []).append(row.title)

    def node_of(n: str) -> str:
        return groups[n][0] if n in groups else n

    V = nx.Graph()
    members: dict[str, list[str]] = {}
    for nri, (group, _label) in sorted(groups.items()):
        members.setdefault(group, []).append(
            bodies.loc[nri, "label"] if nri in bodies.index else nri
        )
    for group, names in sorted(members.items()):
        label = next(lbl for g, lbl in groups.values() if g == group)
        card = [f"National, regional and youth IGFs: {label}", f"{len(names)} initiatives:"]
        card += sorted(names)
        V.add_node(
            group,
            label=f"NRIs: {label} ({len(names)})",
            kind="nri-group",
            title="\n".join(card),
            size=12 + min(len(names), 40),
        )
    for node, data in sorted(B.nodes(data=True)):
        if node in groups:
            continue
        if data["kind"] == "theme":
            if B.degree(node) == 0:
                continue
            names = sorted(B.nodes[b]["label"] for b in B[node])
            card = [
                f"Theme: {data['label']}",
                f"Addressed by {len(names)} bodies: {', '.join(names)}",
            ]
            V.add_node(
                node,
                label=data["label"],
                kind="theme",
                title="\n".join(card),
                size=8 + 2 * len(names),
            )
            continue
        row = bodies.loc[node]
        themes = sorted(B.nodes[t]["label"] for t in B[node])
        card = [row["name"]]
        if row["acronym"]:
            card.append(f"Acronym: {row['acronym']}")
        card.append(f"Kind: {KIND_NAMES.get(row['kind'], row['kind'])}")
        if row["summary"]:
            card += ["", row["summary"]]
        card += ["", "Themes: " + (", ".join(themes) if themes else "unknown (none recorded)")]
        if sources.get(node):
            card.append("Sources: " + "; ".join(sorted(set(sources[node]))))
        V.add_node(
            node,
            label=row["label"],
            kind=row["kind"],
            title="\n".join(card),
            size=12 + 2 * L.degree(node),
        )
    for a, b, data in sorted(L.edges(data=True)):
        u, v = node_of(a), node_of(b)
        if u != v and not V.has_edge(u, v):
            V.add_edge(u, v, kind="liaison", title="Liaison: " + ", ".join(data["kinds"]))
    for s, o, key in sorted(governance_graph(store).edges(keys=True)):
        if key == "coordinates" and s in V and o in V and not V.has_edge(s, o):
            V.add_edge(s, o, kind="coordinates", title="coordinates")
    for s, t, data in sorted(B.edges(data=True)):
        a, b = (s, t) if B.nodes[t].get("kind") == "theme" else (t, s)
        if a in V and b in V:
            V.add_edge(a, b, kind="theme", title=f"addresses theme ({data['basis']})")
    gaps = liaison_gaps(B, L, min_overlap=min_overlap).head(top_gaps)
    for row in gaps.itertuples(index=False):
        u, v = node_of(row.body_a), node_of(row.body_b)
        if u != v and not V.has_edge(u, v):
            V.add_edge(
                u,
                v,
                kind="gap",
                title=(
                    f"Liaison gap #{row.rank}: Jaccard {row.jaccard:.2f}; "
                    f"shared themes: {row.shared_themes}"
                ),
            )
    return V


#: view name → function(source) → networkx graph
VIEWS = {"landscape": landscape_view}
