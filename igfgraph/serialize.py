"""Deterministic serialisation: the same graph gives byte-identical Turtle, N-Triples and JSON-LD.

rdflib's serialisers iterate a store whose order depends on Python's per-process hash
seed; here subjects, predicates and objects are sorted, and JSON-LD is normalised
(``@graph`` sorted by ``@id``, every value list sorted) before it is printed.

A literal typed ``xsd:string`` is written as the simple literal it is (RDF 1.1 Concepts
§3.3: every simple literal has the datatype ``xsd:string``): Oxigraph, which holds the
cached graph (:mod:`igfgraph.cache`), hands every simple literal back typed, and the
same graph must give the same bytes from any store.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from rdflib import XSD, Graph, Literal

from igfgraph.fileio import write_atomic
from igfgraph.namespaces import PREFIXES, bind_prefixes

__all__ = ["FORMATS", "plain_triples", "serialize", "write_graph"]

#: format name → file suffix
FORMATS = {"ttl": ".ttl", "nt": ".nt", "jsonld": ".jsonld"}


def plain_triples(graph: Graph) -> Iterator[tuple]:
    """Yield the triples of ``graph``, each ``xsd:string`` literal written as a simple one.

    Parameters
    ----------
    graph : rdflib.Graph
        Any graph (an Oxigraph-backed one types every simple literal ``xsd:string``).

    Yields
    ------
    tuple of rdflib terms
        ``(subject, predicate, object)``; a literal of datatype ``xsd:string`` becomes the
        equal simple literal (RDF 1.1 Concepts §3.3), so that it prints as it was built.
    """
    string = XSD.string
    for s, p, o in graph:
        if type(o) is Literal and o.datatype == string:
            o = Literal(str(o))
        yield s, p, o


def _plain(graph: Graph, target: Graph | None = None) -> Graph:
    """Copy ``graph`` into an in-memory graph, each ``xsd:string`` literal made simple."""
    g = Graph() if target is None else target
    add = g.add
    for triple in plain_triples(graph):
        add(triple)
    return g


def _plain_if_typed(graph: Graph) -> Graph:
    """Return ``graph`` itself when it holds no ``xsd:string`` literal, else a plain copy."""
    string = XSD.string
    if any(type(o) is Literal and o.datatype == string for o in graph.objects()):
        return _plain(graph)
    return graph


def _turtle(graph: Graph) -> str:
    g = _plain(graph, bind_prefixes(Graph()))
    text = g.serialize(format="turtle")
    head, _, body = text.partition("\n\n")
    prefixes = sorted(line for line in head.splitlines() if line.startswith("@prefix"))
    return "\n".join(prefixes) + "\n\n" + body.rstrip("\n") + "\n"


def _ntriples(graph: Graph) -> str:
    text = _plain_if_typed(graph).serialize(format="nt")
    lines = sorted({line for line in text.splitlines() if line.strip()})
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
    text = _plain_if_typed(graph).serialize(format="json-ld", context=context, auto_compact=False)
    doc = json.loads(text)
    if isinstance(doc, list):
        doc = {"@context": context, "@graph": doc}
    elif "@graph" not in doc:  # one node, printed at the top: its value lists sorted too
        doc = {k: v if k == "@context" else _sort_value(v) for k, v in doc.items()}
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
