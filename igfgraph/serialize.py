"""Deterministic serialisation: the same graph gives byte-identical Turtle, N-Triples and JSON-LD.

rdflib's serialisers iterate a store whose order depends on Python's per-process hash
seed; here subjects, predicates and objects are sorted, and JSON-LD is normalised
(``@graph`` sorted by ``@id``, every value list sorted) before it is printed.
"""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import Graph

from igfgraph.fileio import write_atomic
from igfgraph.namespaces import PREFIXES, bind_prefixes

__all__ = ["FORMATS", "serialize", "write_graph"]

#: format name → file suffix
FORMATS = {"ttl": ".ttl", "nt": ".nt", "jsonld": ".jsonld"}


def _turtle(graph: Graph) -> str:
    g = bind_prefixes(Graph())
    for triple in graph:
        g.add(triple)
    text = g.serialize(format="turtle")
    head, _, body = text.partition("\n\n")
    prefixes = sorted(line for line in head.splitlines() if line.startswith("@prefix"))
    return "\n".join(prefixes) + "\n\n" + body.rstrip("\n") + "\n"


def _ntriples(graph: Graph) -> str:
    lines = sorted({line for line in graph.serialize(format="nt").splitlines() if line.strip()})
    return "\n".join(lines) + "\n"


def _sort_value(value):
    if isinstance(value, dict):
        return {k: _sort_value(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_sort_value(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def _jsonld(graph: Graph, context: dict | None = None) -> str:
    context = dict(sorted(PREFIXES.items())) if context is None else context
    doc = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=False))
    if isinstance(doc, list):
        doc = {"@context": context, "@graph": doc}
    nodes = doc.get("@graph", [])
    doc["@graph"] = sorted((_sort_value(n) for n in nodes), key=lambda n: n.get("@id", ""))
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


_WRITERS = {"ttl": _turtle, "nt": _ntriples, "jsonld": _jsonld}


def serialize(graph: Graph, fmt: str = "ttl", *, context: dict | None = None) -> str:
    """Serialise ``graph`` deterministically.

    Parameters
    ----------
    graph : rdflib.Graph
        The graph (without blank nodes, as igfgraph builds it).
    fmt : {"ttl", "nt", "jsonld"}
        Turtle, N-Triples (sorted lines) or JSON-LD (sorted ``@graph``).
    context : dict, optional
        JSON-LD only: the ``@context`` (default: the prefixes of
        :data:`igfgraph.namespaces.PREFIXES`).

    Returns
    -------
    str
        The document; equal graphs give equal strings in any process.

    Raises
    ------
    ValueError
        Unknown format.
    """
    try:
        writer = _WRITERS[fmt]
    except KeyError:
        msg = f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}"
        raise ValueError(msg) from None
    return writer(graph, context) if fmt == "jsonld" else writer(graph)


def write_graph(graph: Graph, path: Path | str, fmt: str | None = None) -> Path:
    """Serialise ``graph`` to ``path`` atomically.

    Parameters
    ----------
    graph : rdflib.Graph
        The graph.
    path : path-like
        Output file.
    fmt : {"ttl", "nt", "jsonld"}, optional
        Format; guessed from the suffix when ``None`` (default Turtle).

    Returns
    -------
    pathlib.Path
        The file written.
    """
    path = Path(path)
    if fmt is None:
        fmt = {v: k for k, v in FORMATS.items()}.get(path.suffix, "ttl")
    return write_atomic(path, serialize(graph, fmt))
