"""Exports for analysts' tools: RDF with provenance, Gephi networks, CSV lists, an Excel workbook.

* RDF: Turtle, N-Triples, JSON-LD with a compact context (:func:`jsonld_context`, also
  written beside the document), and TriG / N-Quads with **one named graph per source**
  (:func:`source_dataset`), so that where each fact comes from survives in tools that keep
  graphs apart;
* networks (:func:`export_network`): GraphML and GEXF for Gephi, and CSV node and edge
  lists, from **the one centrality network** (:func:`igfgraph.analysis.centrality_network`):
  its nodes, and one typed edge per collaboration or governance relation behind each of its
  ties; themes as an optional second layer of nodes;
* an Excel workbook of the analysis tables (:func:`analysis_workbook`).

Every writer gives byte-identical output for the same graph, and writes through
:mod:`igfgraph.fileio` (atomic).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pandas as pd
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import FOAF, OWL, PROV, RDF

from igfgraph.analysis import (
    centrality,
    centrality_network,
    communities,
    find_gaps,
    theme_coverage,
    theme_network,
    theme_overlap,
    unrealised_recommendations,
)
from igfgraph.csvio import frame_to_csv
from igfgraph.evidence import parse_evidence
from igfgraph.fileio import write_files
from igfgraph.kinds import KINDS
from igfgraph.model import ReadModel
from igfgraph.namespaces import IGF_NS, PREFIXES, bind_prefixes
from igfgraph.serialize import serialize

__all__ = [
    "EXPORT_FORMATS",
    "NETWORK_FORMATS",
    "RDF_FORMATS",
    "Export",
    "analysis_tables",
    "analysis_workbook",
    "export",
    "export_files",
    "export_network",
    "jsonld_context",
    "network_frames",
    "source_dataset",
]

#: RDF formats and their file suffixes
RDF_FORMATS: dict[str, str] = {
    "ttl": ".ttl",
    "nt": ".nt",
    "jsonld": ".jsonld",
    "trig": ".trig",
    "nq": ".nq",
}
#: network formats and their file suffixes (``csv`` writes two files)
NETWORK_FORMATS: dict[str, str] = {"graphml": ".graphml", "gexf": ".gexf", "csv": ".csv"}
#: every format of ``igfgraph export``
EXPORT_FORMATS: dict[str, str] = {**RDF_FORMATS, **NETWORK_FORMATS, "xlsx": ".xlsx"}

#: the year the IGF first met: the GEXF timeline starts there
FIRST_YEAR = 2006
#: a fixed timestamp for the workbook's parts (zip entries and document properties)
_FIXED_DATE = (1980, 1, 1, 0, 0, 0)
_FIXED_W3CDTF = "1980-01-01T00:00:00Z"


# --------------------------------------------------------------------------- RDF


def jsonld_context(graph: Graph) -> dict:
    """Return the compact JSON-LD context of igfgraph.

    Parameters
    ----------
    graph : rdflib.Graph
        A graph holding the ontology (the built graph does).

    Returns
    -------
    dict
        The prefixes of :data:`igfgraph.namespaces.PREFIXES`, and one term per class and
        property of the ``igf:`` ontology, named by its local name (``DynamicCoalition``,
        ``addressesTheme``); object properties carry ``"@type": "@id"``. Sorted by key.
    """
    context: dict[str, object] = dict(PREFIXES)
    kinds = (
        (OWL.Class, None),
        (OWL.ObjectProperty, "@id"),
        (OWL.DatatypeProperty, None),
        (OWL.AnnotationProperty, None),
    )
    for cls, coerce in kinds:
        for term in graph.subjects(RDF.type, cls):
            iri = str(term)
            if not iri.startswith(IGF_NS) or len(iri) == len(IGF_NS):
                continue
            name = iri[len(IGF_NS) :]
            if name in context or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name):
                continue
            context[name] = {"@id": f"igf:{name}", "@type": coerce} if coerce else f"igf:{name}"
    return dict(sorted(context.items()))


def _sources_of(graph: Graph, subject) -> list[URIRef]:
    found = set(graph.objects(subject, PROV.wasDerivedFrom))
    for record in graph.objects(subject, FOAF.isPrimaryTopicOf):
        found.update(graph.objects(record, PROV.wasDerivedFrom))
    return sorted(s for s in found if isinstance(s, URIRef))


def source_dataset(graph: Graph) -> Dataset:
    """Split the graph into one named graph per source.

    A triple goes into the graph named by each source of its subject: the subject's own
    ``prov:wasDerivedFrom`` (a record of a fact: a liaison, focus, session…) or that of its
    catalogue record (``foaf:isPrimaryTopicOf``; ``ontology/README.md``, "Provenance sits on
    records"). A subject with several sources has its triples in each of their graphs. The
    triples of a subject with no source (the ontology, the schemes, the dataset description)
    stay in the default graph. The union of all graphs is the built graph.

    Parameters
    ----------
    graph : rdflib.Graph
        The built graph.

    Returns
    -------
    rdflib.Dataset
        The default graph and one named graph per ``igf:Source`` IRI cited.
    """
    ds = Dataset()
    bind_prefixes(ds)
    cache: dict = {}
    for s, p, o in graph:
        if s not in cache:
            cache[s] = _sources_of(graph, s)
        names = cache[s]
        if not names:
            ds.default_graph.add((s, p, o))
        for name in names:
            ds.graph(name).add((s, p, o))
    return ds


def _named(ds: Dataset) -> list[tuple[str, Graph]]:
    default = ds.default_graph.identifier
    graphs = [(str(g.identifier), g) for g in ds.graphs() if g.identifier != default]
    return sorted((name, g) for name, g in graphs if len(g))


def _trig(ds: Dataset) -> str:
    graphs = [("", ds.default_graph), *_named(ds)]
    prefixes: set[str] = set()
    parts = []
    for name, g in graphs:
        if not len(g):
            continue
        head, _, body = serialize(g, "ttl").partition("\n\n")
        prefixes.update(line for line in head.splitlines() if line.startswith("@prefix"))
        body = body.strip("\n")
        if name:
            indented = "\n".join(f"    {line}" if line else "" for line in body.splitlines())
            body = f"<{name}> {{\n{indented}\n}}"
        parts.append(body)
    return "\n".join(sorted(prefixes)) + "\n\n" + "\n\n".join(parts) + "\n"


def _nquads(ds: Dataset) -> str:
    lines = set(serialize(ds.default_graph, "nt").splitlines()) if len(ds.default_graph) else set()
    for name, g in _named(ds):
        for line in serialize(g, "nt").splitlines():
            if line.strip():
                lines.add(f"{line[:-2].rstrip()} <{name}> .")
    return "\n".join(sorted(line for line in lines if line.strip())) + "\n"


def rdf_document(graph: Graph, fmt: str) -> str:
    """Serialise the graph in one of :data:`RDF_FORMATS`, deterministically.

    Parameters
    ----------
    graph : rdflib.Graph
        The built graph.
    fmt : {"ttl", "nt", "jsonld", "trig", "nq"}
        ``jsonld`` uses the compact context of :func:`jsonld_context` (inline, so the
        document parses offline); ``trig`` and ``nq`` keep one named graph per source
        (:func:`source_dataset`).

    Returns
    -------
    str

    Raises
    ------
    ValueError
        Not an RDF format.
    """
    if fmt in ("ttl", "nt"):
        return serialize(graph, fmt)
    if fmt == "jsonld":
        return serialize(graph, "jsonld", context=jsonld_context(graph))
    if fmt == "trig":
        return _trig(source_dataset(graph))
    if fmt == "nq":
        return _nquads(source_dataset(graph))
    msg = f"unknown RDF format {fmt!r}; choose one of {', '.join(RDF_FORMATS)}"
    raise ValueError(msg)


# --------------------------------------------------------------------------- networks


def _years(values: Iterable[int]) -> str:
    return ";".join(str(y) for y in sorted(set(values)))


def _spells(years: list[int]) -> list[tuple[int, int]]:
    """Return runs of consecutive years as GEXF spells ``(start, end)`` (end year included)."""
    spells: list[list[int]] = []
    for y in sorted(years):
        if spells and y == spells[-1][1] + 1:
            spells[-1][1] = y
        else:
            spells.append([y, y])
    return [(a, b) for a, b in spells]


def _flat(values: dict) -> dict:
    """Drop ``None`` and empty strings: GraphML and GEXF attributes are strings and numbers."""
    return {k: v for k, v in values.items() if v is not None and v != ""}


def _body_node(model: ReadModel, iri: str, attrs: dict, last_year: int) -> dict:
    body = model.bodies.get(iri)
    if body is None:  # a node the model does not know (kept by the centrality network)
        return _flat({"identifier": attrs.get("id", ""), "kind": attrs.get("kind", "unknown"),
                      "label": attrs.get("label", iri), "layer": "body"})  # fmt: skip
    themes = sorted(model.themes[t].label for t in model.themes_of(iri) if t in model.themes)
    active = [y for y in range(FIRST_YEAR, last_year + 1) if body.activity(y).outcome == "active"]
    return _flat(
        {
            "identifier": body.id,
            "kind": body.kind,
            "kind_label": KINDS[body.kind].label if body.kind in KINDS else body.kind,
            "group": body.group if body.kind in KINDS else "",
            "label": body.label,
            "name": body.name,
            "acronym": body.acronym,
            "summary": body.summary,
            "confidence": body.confidence,
            "homepage": body.homepage,
            "established": body.established,
            "ended": body.ended,
            "first_active": min(active) if active else None,
            "last_active": max(active) if active else None,
            "active_years": _years(active),
            "themes": "; ".join(themes),
            "theme_count": len(themes),
            "layer": "body",
        }
    )


@dataclass(frozen=True)
class Export:
    """A network ready to write: nodes and typed edges with flat attributes.

    Attributes
    ----------
    graph : networkx.MultiGraph
        Nodes keyed by IRI; edges keyed by the IRI of the collaboration, or
        ``"{predicate}:{subject}>{object}"`` for a relation, or ``"focus:{theme}"``.
    spells : dict of str to list of (int, int)
        Per node, the runs of years in which the activity rule says it was active.
    """

    graph: nx.MultiGraph
    spells: dict[str, list[tuple[int, int]]]


def network_export(
    model: ReadModel, *, evidence: Iterable[str] | None = None, with_themes: bool = False
) -> Export:
    """Build the exported network from the one centrality network.

    Parameters
    ----------
    model : igfgraph.model.ReadModel
    evidence : iterable of str, optional
        Collaboration evidence counted (:func:`igfgraph.evidence.parse_evidence`).
    with_themes : bool, default False
        Add the themes as a second layer of nodes (``layer="theme"``), joined to the bodies
        that address them by ``relation="addresses"`` edges carrying the ``basis``.

    Returns
    -------
    Export
        Every node of :func:`igfgraph.analysis.centrality_network` with ``identifier``
        (the curated id), ``kind``,
        ``kind_label``, ``group``, ``label``, ``name``, ``acronym``, ``summary``,
        ``confidence``, ``homepage``, ``established``, ``ended``, ``first_active``,
        ``last_active``, ``active_years`` (years joined by ``;``), ``themes`` (labels joined
        by ``"; "``), ``theme_count``, ``community`` (Louvain, seed 42) and ``layer``; an
        attribute with no value is left out (never ``None``). For each tie, one edge per
        collaboration behind it (``relation="collaboration"``, ``kind``, ``evidence``,
        ``start_year``, ``end_year``) and per governance relation (``relation`` = its
        name, ``subject`` and ``object`` the ids of its ends, as the edges are
        undirected like the centrality network).
    """
    evidence = parse_evidence(evidence)
    C = centrality_network(model, evidence)
    comm, _ = communities(C)
    community = dict(zip(comm["node"], comm["community"], strict=True))
    last = model.latest_year()
    G = nx.MultiGraph()
    spells: dict[str, list[tuple[int, int]]] = {}
    for n, attrs in C.nodes(data=True):
        data = _body_node(model, n, attrs, last)
        data["community"] = int(community[n])
        G.add_node(n, **data)
        years = data.get("active_years", "")
        spells[n] = _spells([int(y) for y in years.split(";")]) if years else []
    ids = {n: d.get("identifier", n) for n, d in G.nodes(data=True)}
    pairs = {(min(a, b), max(a, b)): set(t) for a, b, t in C.edges(data="ties")}
    wanted = set(evidence)
    for c in model.collaborations:
        key = (min(c.a, c.b), max(c.a, c.b))
        if c.evidence not in wanted or "collaboration" not in pairs.get(key, ()):
            continue
        G.add_edge(*key, key=c.iri, **_flat({
            "relation": "collaboration", "kind": c.kind, "kind_label": c.kind_label,
            "evidence": c.evidence, "start_year": c.first_year, "end_year": c.end_year,
        }))  # fmt: skip
    for r in model.relations:
        key = (min(r.subject, r.object), max(r.subject, r.object))
        if r.predicate not in pairs.get(key, ()):
            continue
        G.add_edge(
            *key,
            key=f"{r.predicate}:{r.subject}>{r.object}",
            relation=r.predicate,
            subject=ids[r.subject],
            object=ids[r.object],
        )
    if with_themes:
        B = theme_network(model)
        for t in sorted(model.themes.values(), key=lambda t: t.iri):
            broader = model.themes.get(t.broader) if t.broader else None
            G.add_node(t.iri, **_flat({
                "identifier": t.id, "kind": "theme", "kind_label": "theme", "label": t.label,
                "name": t.label, "summary": t.definition,
                "broader": broader.label if broader else "", "layer": "theme",
            }))  # fmt: skip
            spells[t.iri] = []
        for body, theme, basis in sorted(B.edges(data="basis")):
            if B.nodes[body].get("bipartite") == 1:
                body, theme = theme, body
            if body in G:
                G.add_edge(body, theme, key=f"focus:{theme}", relation="addresses", basis=basis)
    return Export(graph=G, spells=spells)


def network_frames(export: Export) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the node and edge lists of an exported network.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        Nodes: ``iri`` then the node attributes (blank when missing); edges: ``source``,
        ``target`` (IRIs), ``key`` then the edge attributes. Rows sorted.
    """
    G = export.graph
    node_cols = sorted({k for _, d in G.nodes(data=True) for k in d})
    nodes = pd.DataFrame(
        [{"iri": n, **d} for n, d in sorted(G.nodes(data=True))], columns=["iri", *node_cols]
    )
    edge_cols = sorted({k for *_, d in G.edges(keys=True, data=True) for k in d})
    rows = sorted(
        ({"source": u, "target": v, "key": k, **d} for u, v, k, d in G.edges(keys=True, data=True)),
        key=lambda r: (r["source"], r["target"], r["key"]),
    )
    edges = pd.DataFrame(rows, columns=["source", "target", "key", *edge_cols])
    for frame in (nodes, edges):
        for col in frame.columns:
            if not pd.api.types.is_numeric_dtype(frame[col]):
                frame[col] = frame[col].astype(object).where(frame[col].notna(), "")
            elif frame[col].isna().any():  # whole numbers with gaps: blank, not "nan" or 2010.0
                frame[col] = frame[col].astype("Int64").astype(object).where(frame[col].notna(), "")
    return nodes, edges


def _sorted_copy(export: Export, *, dynamic: bool) -> nx.MultiGraph:
    G = export.graph
    H = nx.MultiGraph()
    for n, d in sorted(G.nodes(data=True)):
        data = dict(d)
        if dynamic and export.spells.get(n):
            data["spells"] = export.spells[n]
        H.add_node(n, **data)
    for u, v, k, d in sorted(G.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        data = dict(d)
        if dynamic and "start_year" in data:
            data["start"] = data["start_year"]
            if "end_year" in data:
                data["end"] = data["end_year"]
        H.add_edge(u, v, key=k, **data)
    return H


def _graphml(export: Export) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(_sorted_copy(export, dynamic=False), buffer, encoding="utf-8")
    return buffer.getvalue()


def _gexf(export: Export) -> bytes:
    buffer = io.BytesIO()
    H = _sorted_copy(export, dynamic=True)
    for i, (*_, d) in enumerate(H.edges(keys=True, data=True)):
        d["id"] = str(i)
    writer = nx.readwrite.gexf.GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    writer.add_graph(H)
    # no <meta lastmodifieddate>: the file must not change with the day it was written
    for meta in [e for e in writer.xml if e.tag.rsplit("}", 1)[-1] == "meta"]:
        writer.xml.remove(meta)
    writer.write(buffer)
    return buffer.getvalue()


def export_network(export: Export, fmt: str) -> dict[str, str | bytes]:
    """Render an exported network.

    Parameters
    ----------
    export : Export
        From :func:`network_export`.
    fmt : {"graphml", "gexf", "csv"}
        GraphML; GEXF 1.2 with a timeline (each node's spells of activity, each
        collaboration's start and end year: Gephi's timeline plays them); or CSV node and
        edge lists.

    Returns
    -------
    dict of str to str or bytes
        File-name suffix → content: ``""`` for GraphML and GEXF; ``"-nodes"`` and
        ``"-edges"`` for CSV.
    """
    if fmt == "graphml":
        return {"": _graphml(export)}
    if fmt == "gexf":
        return {"": _gexf(export)}
    if fmt == "csv":
        nodes, edges = network_frames(export)
        return {"-nodes": frame_to_csv(nodes), "-edges": frame_to_csv(edges)}
    msg = f"unknown network format {fmt!r}; choose one of {', '.join(NETWORK_FORMATS)}"
    raise ValueError(msg)


# --------------------------------------------------------------------------- workbook

#: the workbook's sheets after README: name → what it holds
WORKBOOK_SHEETS: dict[str, str] = {
    "overlap": "Pairwise thematic overlap of bodies (Jaccard and other measures), shared themes.",
    "gaps": "Liaison gaps, ranked: overlapping pairs with no liaison close by, with the evidence.",
    "centrality": "Degree, betweenness, eigenvector, Burt's constraint on the centrality network.",
    "communities": "Louvain communities (seed 42) of the centrality network.",
    "coverage": "Themes addressed by many bodies, one, or none.",
    "recommendations": "The DCCG's recommendations against the recorded liaisons (realised?).",
}


def analysis_tables(
    model: ReadModel,
    *,
    min_overlap: float = 0.25,
    max_hops: int = 1,
    evidence: Iterable[str] | None = None,
) -> dict[str, pd.DataFrame]:
    """Compute the analysis tables ``igfgraph all`` writes, by the same functions.

    Parameters
    ----------
    model : igfgraph.model.ReadModel
    min_overlap : float, default 0.25
        Jaccard threshold of the gaps.
    max_hops : int, default 1
        Liaison distance within which a pair is not a gap.
    evidence : iterable of str, optional
        Evidence types counted (:func:`igfgraph.evidence.parse_evidence`).

    Returns
    -------
    dict of str to pandas.DataFrame
        The tables of :data:`WORKBOOK_SHEETS`, in that order.
    """
    evidence = parse_evidence(evidence)
    B = theme_network(model)
    G = centrality_network(model, evidence)
    tables = {
        "overlap": theme_overlap(B),
        "gaps": find_gaps(model, min_overlap=min_overlap, max_hops=max_hops, evidence=evidence),
        "centrality": centrality(G),
        "communities": communities(G)[0],
        "coverage": theme_coverage(B),
        "recommendations": unrealised_recommendations(model),
    }
    return {name: tables[name] for name in WORKBOOK_SHEETS}


def _cell(value):
    if isinstance(value, (list, tuple, set, frozenset)):
        return "; ".join(str(v) for v in value)
    return value


def _readme(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    rows = [
        {"sheet": "README", "rows": "", "what it holds": (
            "igfgraph analysis tables, computed from the validated graph by the same functions "
            "as `igfgraph all` (its CSV files). Every row of the data names its source; see "
            "the graph (igf.ttl) for the sources of each fact.")},
    ]  # fmt: skip
    rows += [
        {"sheet": name, "rows": str(len(frame)), "what it holds": WORKBOOK_SHEETS[name]}
        for name, frame in tables.items()
    ]
    return pd.DataFrame(rows, columns=["sheet", "rows", "what it holds"])


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed timestamps (and fixed document dates) so its bytes repeat."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in sorted(src.infolist(), key=lambda i: src.infolist().index(i)):
            payload = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                payload = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                    rb"\g<1>" + _FIXED_W3CDTF.encode() + rb"\g<2>",
                    payload,
                )
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_DATE)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, payload)
    return out.getvalue()


def analysis_workbook(tables: dict[str, pd.DataFrame]) -> bytes:
    """Write the analysis tables as one Excel workbook, one sheet each, after a README sheet.

    Parameters
    ----------
    tables : dict of str to pandas.DataFrame
        From :func:`analysis_tables`.

    Returns
    -------
    bytes
        The ``.xlsx`` file (openpyxl). Lists are joined by ``"; "``; text is never a
        formula (a cell starting with ``=`` stays text); same tables, same bytes.
    """
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        sheets = {"README": _readme(tables), **tables}
        for name, frame in sheets.items():
            frame = frame.map(_cell) if len(frame) else frame
            frame.to_excel(writer, sheet_name=name, index=False)
            ws = writer.sheets[name]
            for row in ws.iter_rows():
                for cell in row:
                    if cell.data_type == "f":  # text that looks like a formula stays text
                        cell.data_type = "s"
            ws.freeze_panes = "A2"
    return _normalise_zip(buffer.getvalue())


# --------------------------------------------------------------------------- one entry point


def export_files(
    graph: Graph,
    model: ReadModel,
    fmt: str,
    stem: str = "igf",
    *,
    with_themes: bool = False,
    evidence: Iterable[str] | None = None,
) -> dict[str, str | bytes]:
    """Render one export in memory.

    Parameters
    ----------
    graph : rdflib.Graph
        The built graph.
    model : igfgraph.model.ReadModel
        Its read model (:func:`igfgraph.model.read_model`).
    fmt : str
        One of :data:`EXPORT_FORMATS`.
    stem : str, default "igf"
        File name without suffix.
    with_themes : bool, default False
        Networks: add the themes as a second layer of nodes.
    evidence : iterable of str, optional
        Collaboration evidence counted by the networks and the workbook.

    Returns
    -------
    dict of str to str or bytes
        File name → content: one file, save ``jsonld`` (the document and its context,
        ``{stem}.context.jsonld``) and ``csv`` (``{stem}-nodes.csv``, ``{stem}-edges.csv``).

    Raises
    ------
    ValueError
        Unknown format.
    """
    if fmt not in EXPORT_FORMATS:
        msg = f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}"
        raise ValueError(msg)
    if fmt in RDF_FORMATS:
        files: dict[str, str | bytes] = {f"{stem}{RDF_FORMATS[fmt]}": rdf_document(graph, fmt)}
        if fmt == "jsonld":
            import json

            context = {"@context": jsonld_context(graph)}
            files[f"{stem}.context.jsonld"] = (
                json.dumps(context, indent=2, ensure_ascii=False) + "\n"
            )
        return files
    if fmt == "xlsx":
        return {f"{stem}.xlsx": analysis_workbook(analysis_tables(model, evidence=evidence))}
    net = network_export(model, evidence=evidence, with_themes=with_themes)
    suffix = NETWORK_FORMATS[fmt]
    return {f"{stem}{part}{suffix}": content for part, content in export_network(net, fmt).items()}


def export(
    graph: Graph,
    model: ReadModel,
    fmt: str,
    out: Path | str,
    *,
    with_themes: bool = False,
    evidence: Iterable[str] | None = None,
) -> list[Path]:
    """Write one export beside ``out`` (its folder), atomically.

    Parameters
    ----------
    graph, model, fmt, with_themes, evidence
        As :func:`export_files`.
    out : path-like
        The main file; its stem names the others (a JSON-LD context, CSV node and edge
        lists) in the same folder.

    Returns
    -------
    list of pathlib.Path
        The files written.

    Raises
    ------
    ValueError
        Unknown format.
    igfgraph.exceptions.OutputError
        A file cannot be written (nothing is half-written).
    """
    out = Path(out)
    stem = (
        out.name[: -len(EXPORT_FORMATS[fmt])]
        if out.name.endswith(EXPORT_FORMATS.get(fmt, "\0"))
        else out.stem
    )
    files = export_files(graph, model, fmt, stem, with_themes=with_themes, evidence=evidence)
    return write_files({out.parent / name: content for name, content in files.items()})
