"""The query worker: check a query on its grammar, run it, serialise the answer, bounded.

Runs in a process of its own (see :mod:`igfgraph.endpoint.__main__`), which has already
left the network and capped its memory. It opens the store read-only and then answers
jobs from the server, one at a time, over a :class:`multiprocessing.connection.Connection`
on a socket pair: a job is a JSON object; a reply is a JSON header, followed for an
answer by one message holding the body.
"""

from __future__ import annotations

import json
from itertools import islice

import pyoxigraph as ox

from igfgraph.endpoint.grammar import Refused, check_query
from igfgraph.results import MEDIA_TYPES as TABLE_MEDIA
from igfgraph.results import iter_results
from igfgraph.sparql import PROLOGUE, QueryResult

__all__ = ["GRAPH_TYPES", "TABLE_MEDIA", "TABLE_TYPES", "answer", "run"]

# Media types by result kind, the first of each being the default.
TABLE_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}


def _open_source(kind: str, location: str):
    if kind == "memory":
        from rdflib import Graph
        from rdflib.plugins import sparql as rdflib_sparql

        rdflib_sparql.SPARQL_LOAD_GRAPHS = False
        graph = Graph()
        graph.parse(location, format="nt")
        return graph, len(graph)
    store = ox.Store.read_only(location)
    return store, len(store)


def _media_for(kind: str, accept: list[str]) -> str:
    table = kind != "construct"
    for media in accept:
        if table and media in TABLE_TYPES:
            return TABLE_MEDIA[TABLE_TYPES[media]]
        if not table and media in GRAPH_TYPES:
            return media
    return "application/sparql-results+json" if table else "text/turtle"


def _graph_bytes(triples: list, media: str) -> bytes:
    from igfgraph.namespaces import PREFIXES

    fmt = GRAPH_TYPES[media]
    # ``id:`` is left out: its local names hold a "/", which Turtle would have to escape.
    usable = {p: ns for p, ns in PREFIXES.items() if p != "id"}
    prefixes = usable if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
    if fmt == ox.RdfFormat.N_TRIPLES:
        lines = sorted({f"{t.subject} {t.predicate} {t.object} ." for t in triples})
        return "".join(line + "\n" for line in lines).encode("utf-8")
    return ox.serialize(triples, format=fmt, prefixes=prefixes)


class _Capped:
    """A one-pass iterator over at most ``limit`` rows that notes whether there were more."""

    def __init__(self, rows, limit: int) -> None:
        self._rows, self._limit, self.over = iter(rows), limit, False

    def __iter__(self):
        for n, row in enumerate(self._rows):
            if n >= self._limit:
                self.over = True
                return
            yield row


def _evaluate(source, text: str, max_rows: int, default_graphs, named_graphs):
    """Run ``text`` on a worker's store: (an answer, whether it is over ``max_rows``).

    A SELECT answer's rows are drawn lazily by the writer (:class:`_Capped`), which
    notes when there are more than ``max_rows``; a graph is a list of at most
    ``max_rows + 1`` triples (sorted before it is written).
    """
    if isinstance(source, ox.Store):
        kwargs = {}
        if default_graphs:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        if named_graphs:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        result = source.query(text, **kwargs)
        if isinstance(result, ox.QueryBoolean):
            return QueryResult("ask", boolean=bool(result)), False
        if isinstance(result, ox.QueryTriples):
            triples = list(islice(result, max_rows + 1))
            return triples, len(triples) > max_rows
        columns = [v.value for v in result.variables]
        rows = _Capped(([s[c] for c in columns] for s in result), max_rows)
        return QueryResult("select", columns=columns, rows=rows), False
    from igfgraph.sparql import _from_rdflib, _ox_term

    if default_graphs or named_graphs:
        raise Refused(400, "default-graph-uri and named-graph-uri need the oxigraph store")
    raw = source.query(text)
    if raw.type in ("CONSTRUCT", "DESCRIBE"):
        triples = [
            ox.Triple(_ox_term(s), _ox_term(p), _ox_term(o))
            for s, p, o in islice(raw.graph, max_rows + 1)
        ]
        return triples, len(triples) > max_rows
    if raw.type == "ASK":
        return _from_rdflib(raw), False
    columns = [str(v) for v in raw.vars]
    rows = _Capped(([_ox_term(t) for t in row] for row in raw), max_rows)
    return QueryResult("select", columns=columns, rows=rows), False


def answer(source, job: dict) -> tuple[dict, bytes]:
    """Check and evaluate one job.

    Parameters
    ----------
    source : pyoxigraph.Store or rdflib.Graph
        The worker's store.
    job : dict
        ``query``, ``accept`` (media types, best first), ``max_rows``, ``max_bytes``,
        ``allow_service``, and optionally ``default_graphs``, ``named_graphs`` (IRIs) and
        ``prologue`` (predeclare the project's prefixes, default true).

    Returns
    -------
    tuple of (dict, bytes)
        A header, ``{"status": "ok", "media": TYPE}`` with the body, or
        ``{"status": "error", "code": HTTP_STATUS, "message": TEXT}`` with ``b""``.
    """

    def error(code: int, message: str) -> tuple[dict, bytes]:
        return {"status": "error", "code": code, "message": message}, b""

    prologue = PROLOGUE if job.get("prologue", True) else ""
    try:
        check_query(job["query"], allow_service=job["allow_service"])
        result, over = _evaluate(
            source,
            prologue + job["query"],
            job["max_rows"],
            job.get("default_graphs"),
            job.get("named_graphs"),
        )
        if not over:  # a SELECT is evaluated here, as the writer draws its rows
            media, body = _serialise(result, job["accept"], job["max_bytes"])
            over = isinstance(getattr(result, "rows", None), _Capped) and result.rows.over
    except Refused as exc:
        return error(exc.status, str(exc))
    except SyntaxError as exc:
        return error(400, f"SPARQL syntax error: {exc}")
    except MemoryError:
        return error(503, _OUT_OF_MEMORY)
    except RecursionError:
        return error(400, "the query is nested too deeply for this endpoint")
    except Exception as exc:  # noqa: BLE001 - any evaluation failure goes back to the client
        name = type(exc).__name__
        status = 400 if name in ("ParseException", "ParseSyntaxException") else 500
        return error(status, f"the query failed: {name}: {exc}")
    if over:
        limit = job["max_rows"]
        return error(
            422,
            f"the result has more than {limit} rows or triples, the limit of this endpoint: "
            "add LIMIT (or restart it with a larger --max-rows)",
        )
    if len(body) > job["max_bytes"]:
        return error(
            422,
            f"the answer is larger than {job['max_bytes']} bytes, the limit of this endpoint: "
            "ask for fewer or shorter values (or restart it with a larger --max-bytes)",
        )
    return {"status": "ok", "media": media}, body


_OUT_OF_MEMORY = (
    "the query needed more memory than a query worker may use (--max-memory) and was "
    "stopped: narrow it (fewer joined patterns, a LIMIT before ORDER BY)"
)


def _serialise(result, accept: list[str], max_bytes: int | None = None) -> tuple[str, bytes]:
    """Write the answer; a SELECT's pieces stop once past ``max_bytes`` (then refused).

    The reply goes to the server whole, since its status (200, or 422 over a limit)
    is known only at the end: the worker holds at most ``max_bytes`` and one piece of
    :func:`igfgraph.results.iter_results`, never the rows as a list.
    """
    if isinstance(result, list):
        media = _media_for("construct", accept)
        return media, _graph_bytes(result, media)
    media = _media_for(result.kind, accept)
    body = bytearray()
    for piece in iter_results(result, TABLE_TYPES[media]):
        body += piece.encode("utf-8")
        if max_bytes is not None and len(body) > max_bytes:
            break
    return media, bytes(body)


def run(conn, config: dict) -> None:
    """Open the store, say so, then answer jobs until the server closes the connection.

    Parameters
    ----------
    conn : multiprocessing.connection.Connection
        The worker's end of the socket pair.
    config : dict
        ``kind`` (``oxigraph`` or ``memory``) and ``location`` of the store.
    """
    try:
        source, size = _open_source(config["kind"], config["location"])
        check_query("ASK {}")  # load the parser now, not on the first query
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which stops
        reason = f"{type(exc).__name__}: {exc}"
        conn.send_bytes(json.dumps({"status": "failed", "reason": reason}).encode())
        return
    conn.send_bytes(json.dumps({"status": "ready", "triples": size}).encode())
    while True:
        try:
            raw = conn.recv_bytes()
        except (EOFError, OSError):
            return
        header, body = answer(source, json.loads(raw))
        conn.send_bytes(json.dumps(header).encode())
        if header["status"] == "ok":
            conn.send_bytes(body)
