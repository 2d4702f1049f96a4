"""Typed networkx views of the graph, built from the read model (no SPARQL here).

* :func:`body_theme_graph` — the body × theme bipartite graph (networkx ``bipartite``
  convention: bodies ``bipartite=0``, themes ``bipartite=1``);
* :func:`liaison_graph` — bodies joined by recorded collaborations;
* :func:`governance_graph` — collaborations plus every directed governance and lineage
  relation, as a ``MultiDiGraph`` (centrality uses
  :func:`igfgraph.analysis.centrality_network`, which leaves lineage out).

Each function takes the read model (:class:`igfgraph.model.ReadModel`) or a graph, which
it reads into one (:func:`model_of`).
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from igfgraph.analysis.networks import body_attributes, collaboration_network, theme_network
from igfgraph.model import ReadModel, read_model

__all__ = [
    "body_theme_graph",
    "governance_graph",
    "liaison_graph",
    "model_of",
]


def model_of(source) -> ReadModel:
    """Return the read model of ``source`` (a :class:`ReadModel` is returned as it is).

    Parameters
    ----------
    source : igfgraph.model.ReadModel, rdflib.Graph or pyoxigraph.Store

    Returns
    -------
    igfgraph.model.ReadModel
    """
    return source if isinstance(source, ReadModel) else read_model(source)


def body_theme_graph(source) -> nx.Graph:
    """Build the body × theme bipartite graph (:func:`igfgraph.analysis.theme_network`).

    Parameters
    ----------
    source : igfgraph.model.ReadModel, rdflib.Graph or pyoxigraph.Store

    Returns
    -------
    networkx.Graph
        Bodies ``bipartite=0`` with :func:`igfgraph.analysis.body_attributes`; themes
        ``bipartite=1`` with ``kind="theme"``, ``label``, ``id``, ``broader``; edges with
        ``basis``. Bodies without themes are present with degree 0.

    References
    ----------
    .. [1] Borgatti, S. P. and Halgin, D. S., "Analyzing affiliation networks", in
       *The SAGE Handbook of Social Network Analysis* (2011), pp. 417–433.
    """
    return theme_network(model_of(source))


def liaison_graph(source, evidence: Iterable[str] | None = None) -> nx.Graph:
    """Build the graph of recorded collaborations between bodies.

    Parameters
    ----------
    source : igfgraph.model.ReadModel, rdflib.Graph or pyoxigraph.Store
    evidence : iterable of str, optional
        Evidence types counted (:data:`igfgraph.evidence.DEFAULT_EVIDENCE`).

    Returns
    -------
    networkx.Graph
        :func:`igfgraph.analysis.collaboration_network`: every body is a node; an edge
        joins two bodies with at least one collaboration and carries ``liaisons`` and
        ``collaborations`` (sorted IRIs), ``kinds`` and ``evidence``. Collaborations
        with a modality are not edges.
    """
    return collaboration_network(model_of(source), evidence)


def governance_graph(source, evidence: Iterable[str] | None = None) -> nx.MultiDiGraph:
    """Build the governance graph: collaborations (both directions) and directed relations.

    Parameters
    ----------
    source : igfgraph.model.ReadModel, rdflib.Graph or pyoxigraph.Store
    evidence : iterable of str, optional
        Evidence types of the collaborations drawn.

    Returns
    -------
    networkx.MultiDiGraph
        Bodies as nodes; edges keyed by relation name (``"liaison"``, ``"coordinates"``,
        ``"accredits"``…, and the lineage relations ``"succeeds"``, ``"mergedInto"``)
        with attribute ``kind``. Modalities, UN processes and instruments that a relation
        reaches are nodes too.
    """
    model = model_of(source)
    L = collaboration_network(model, evidence)
    G = nx.MultiDiGraph(evidence=L.graph["evidence"])
    G.add_nodes_from(L.nodes(data=True))
    for a, b in L.edges:
        G.add_edge(a, b, key="liaison", kind="liaison")
        G.add_edge(b, a, key="liaison", kind="liaison")
    for r in model.relations:
        for node in (r.subject, r.object):
            if node not in G:
                body = model.bodies.get(node)
                attrs = body_attributes(body) if body else {"kind": "unknown", "label": node}
                G.add_node(node, **attrs)
        G.add_edge(r.subject, r.object, key=r.predicate, kind=r.predicate)
    return G
