"""A local, read-only SPARQL 1.1 endpoint over the graph (``igfgraph serve``).

* **Protocol.** ``GET`` and ``POST`` (form or ``application/sparql-query``) on ``/sparql``,
  as the SPARQL 1.1 Protocol says, with ``default-graph-uri`` and ``named-graph-uri``.
  Results are negotiated from ``Accept`` (or a ``format`` parameter): SPARQL JSON (the
  default), XML, CSV and TSV for SELECT and ASK; Turtle (the default), N-Triples, RDF/XML
  and JSON-LD for CONSTRUCT and DESCRIBE. The project's prefixes are predeclared.
* **Read-only and closed.** SPARQL Update is refused (403), and so are ``SERVICE`` (a query
  would make the server fetch any URL, ``http://127.0.0.1:…`` included) and ``LOAD``,
  unless ``allow_service`` is set. The server binds to 127.0.0.1 unless told otherwise and
  then answers only requests addressed to a loopback name (no DNS rebinding).
* **Bounded.** Each query runs in a worker process, which is killed when the query runs
  past ``timeout`` seconds (a thread cannot be stopped); a result of more than
  ``max_rows`` rows or triples is refused. Both answer with a plain-text error.
* **Described.** ``/void`` (and ``/.well-known/void``) serves the graph's VoID description:
  licence, version, counts of triples and entities, and one class partition per class;
  ``GET /sparql`` without a query serves it with the SPARQL 1.1 Service Description.
* **Usable.** ``/`` is a query page that works offline (no CDN): a form, the named
  competency questions with their parameters (``/queries``, ``/queries/NAME``), and a
  results table.

The HTTP side is Starlette on uvicorn; the workers hold an Oxigraph store (opened
read-only from disk, so a killed worker is replaced at once) or, for the ``memory`` store,
an rdflib graph.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import io
import ipaddress
import json
import multiprocessing
import os
import queue
import re
import shutil
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from igfgraph import __version__
from igfgraph.exceptions import IGFGraphError, InputError
from igfgraph.sparql import PROLOGUE, QueryResult, mask_sparql, query_form

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "LocalEndpoint",
    "Refused",
    "ServeOptions",
    "check_query",
    "create_app",
    "serve",
]

DEFAULT_HOST = "127.0.0.1"
_STATIC = Path(__file__).resolve().parent / "static"
DEFAULT_PORT = 8000
_LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1", "[::1]")

# Media types by result kind, the first of each being the default.
_TABLE_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
_GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}
_TABLE_MEDIA = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
_FORMAT_PARAM = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "ttl": "text/turtle",
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "n-triples": "application/n-triples",
    "rdf": "application/rdf+xml",
    "rdfxml": "application/rdf+xml",
    "xmlrdf": "application/rdf+xml",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
}
_UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY")


class Refused(IGFGraphError):
    """A request the endpoint will not run.

    Parameters
    ----------
    status : int
        The HTTP status to answer with.
    message : str
        What the client is told, in plain words.
    """

    def __init__(self, status: int, message: str):
        self.status = status
        super().__init__(message)


@dataclass(frozen=True)
class ServeOptions:
    """Limits and switches of the endpoint.

    Attributes
    ----------
    timeout : float
        Seconds a query may run before its worker is killed (a request first waits up to
        ``max(timeout, 60)`` s for a free worker).
    max_rows : int
        Largest number of result rows (SELECT) or triples (CONSTRUCT, DESCRIBE).
    workers : int
        Worker processes, i.e. queries run at the same time.
    allow_service : bool
        Let queries use ``SERVICE`` (federation: the server then fetches the URLs named).
    max_query_bytes : int
        Largest query text accepted.
    """

    timeout: float = 30.0
    max_rows: int = 100_000
    workers: int = 2
    allow_service: bool = False
    max_query_bytes: int = 1_000_000


# --------------------------------------------------------------------------- checks

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _unescape(text: str) -> str:
    def one(m: re.Match) -> str:
        code = int(m.group(1) or m.group(2), 16)
        try:
            return chr(code)
        except ValueError:
            return "\ufffd"

    return _ESCAPE.sub(one, text)


def _keyword(masked: str, word: str) -> bool:
    return re.search(rf"(?<![\w:?$\-]){word}(?![\w:\-])", masked, re.IGNORECASE) is not None


def check_query(text: str, *, allow_service: bool = False) -> None:
    r"""Refuse a query the endpoint must not run.

    The check reads the query's tokens (strings, IRIs and comments are masked first, and
    ``\uXXXX`` escapes decoded, as a SPARQL parser would), so a keyword inside a literal
    does not count and an escaped keyword is still found.

    Parameters
    ----------
    text : str
        The query text, as received.
    allow_service : bool, default False
        Accept ``SERVICE``.

    Raises
    ------
    Refused
        403 for an update (``LOAD``, ``INSERT``…) sent as a query, and for ``SERVICE``
        unless allowed.
    """
    unescaped = _unescape(text)
    masked = mask_sparql(unescaped)
    word = query_form(unescaped)
    if word in _UPDATE_WORDS:
        raise Refused(
            403,
            f"this endpoint is read-only: {word} is SPARQL Update, and updates are refused"
            + (" (LOAD would make the server fetch a URL)" if word == "LOAD" else ""),
        )
    if not allow_service and _keyword(masked, "SERVICE"):
        raise Refused(
            403,
            "SERVICE (federated query) is refused: it would make this server fetch the URL "
            "it names. Run `igfgraph serve --allow-service` to allow it.",
        )


# --------------------------------------------------------------------------- workers


def _block_network(event: str, args) -> None:
    if event in ("socket.connect", "socket.getaddrinfo", "urllib.Request"):
        msg = "network access is disabled in an igfgraph query worker"
        raise PermissionError(msg)


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
        if table and media in _TABLE_TYPES:
            return _TABLE_MEDIA[_TABLE_TYPES[media]]
        if not table and media in _GRAPH_TYPES:
            return media
    return "application/sparql-results+json" if table else "text/turtle"


def _csv(result: QueryResult) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(result.columns)
    for row in result.rows:
        writer.writerow(
            [
                "" if t is None else ("_:" + t.value if isinstance(t, ox.BlankNode) else t.value)
                for t in row
            ]
        )
    return buf.getvalue()


def _tsv(result: QueryResult) -> str:
    lines = ["\t".join("?" + c for c in result.columns)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    attrs = ""
    if term.language:
        attrs = f" xml:lang={quoteattr(term.language)}"
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        attrs = f" datatype={quoteattr(term.datatype.value)}"
    return f"<literal{attrs}>{escape(term.value)}</literal>"


def _xml(result: QueryResult) -> str:
    out = [
        '<?xml version="1.0"?>',
        '<sparql xmlns="http://www.w3.org/2005/sparql-results#">',
        "<head>",
    ]
    out += [f"<variable name={quoteattr(c)}/>" for c in result.columns]
    out.append("</head>")
    if result.kind == "ask":
        out.append(f"<boolean>{'true' if result.boolean else 'false'}</boolean>")
    else:
        out.append("<results>")
        for row in result.rows:
            out.append("<result>")
            out += [
                f"<binding name={quoteattr(c)}>{_xml_term(t)}</binding>"
                for c, t in zip(result.columns, row, strict=True)
                if t is not None
            ]
            out.append("</result>")
        out.append("</results>")
    out.append("</sparql>")
    return "\n".join(out) + "\n"


def _graph_bytes(triples: list, media: str) -> bytes:
    from igfgraph.namespaces import PREFIXES

    fmt = _GRAPH_TYPES[media]
    # ``id:`` is left out: its local names hold a "/", which Turtle would have to escape.
    usable = {p: ns for p, ns in PREFIXES.items() if p != "id"}
    prefixes = usable if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
    if fmt == ox.RdfFormat.N_TRIPLES:
        lines = sorted({f"{t.subject} {t.predicate} {t.object} ." for t in triples})
        return "".join(line + "\n" for line in lines).encode("utf-8")
    return ox.serialize(triples, format=fmt, prefixes=prefixes)


def _evaluate(source, text: str, max_rows: int, default_graphs, named_graphs):
    """Run ``text`` on a worker's store: (kind, columns, rows or triples, boolean)."""
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
        rows = [[s[c] for c in columns] for s in islice(result, max_rows + 1)]
        return QueryResult("select", columns=columns, rows=rows), len(rows) > max_rows
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
    rows = [[_ox_term(t) for t in row] for row in islice(raw, max_rows + 1)]
    return QueryResult("select", columns=columns, rows=rows), len(rows) > max_rows


def _answer(source, job: dict) -> tuple:
    """Evaluate one job; return ``("ok", media, bytes)`` or ``("error", status, message)``."""
    text = job["query"]
    if job.get("prologue", True):
        text = PROLOGUE + text
    try:
        result, over = _evaluate(
            source, text, job["max_rows"], job.get("default_graphs"), job.get("named_graphs")
        )
    except Refused as exc:
        return ("error", exc.status, str(exc))
    except SyntaxError as exc:
        return ("error", 400, f"SPARQL syntax error: {exc}")
    except Exception as exc:  # noqa: BLE001 - any evaluation failure goes back to the client
        name = type(exc).__name__
        status = 400 if name in ("ParseException", "ParseSyntaxException") else 500
        return ("error", status, f"the query failed: {name}: {exc}")
    if over:
        limit = job["max_rows"]
        return (
            "error",
            422,
            f"the result has more than {limit} rows or triples, the limit of this endpoint: "
            "add LIMIT (or restart it with a larger --max-rows)",
        )
    if isinstance(result, list):
        media = _media_for("construct", job["accept"])
        return ("ok", media, _graph_bytes(result, media))
    media = _media_for(result.kind, job["accept"])
    kind = _TABLE_TYPES[media]
    if kind == "json":
        body = result.to_json()
    elif kind == "xml":
        body = _xml(result)
    elif result.kind == "ask":
        body = ("true" if result.boolean else "false") + "\n"
        media = "text/plain"
    else:
        body = _csv(result) if kind == "csv" else _tsv(result)
    return ("ok", media, body.encode("utf-8"))


def _worker_main(conn, kind: str, location: str) -> None:
    """Entry point of a worker process: open the store, then answer jobs until EOF."""
    sys.addaudithook(_block_network)
    try:
        source, size = _open_source(kind, location)
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which stops
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", size))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        conn.send(_answer(source, job))


@dataclass(eq=False)
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: object


class WorkerPool:
    """Worker processes that run queries; a worker past its time is killed and replaced.

    Parameters
    ----------
    kind : {"oxigraph", "memory"}
        What the workers open: an on-disk Oxigraph store (read-only) or an N-Triples file
        (parsed into rdflib).
    location : str
        The store folder or the file.
    size : int
        Number of workers.
    start_timeout : float, default 300
        Seconds a worker may take to open the store.
    """

    def __init__(self, kind: str, location: str, size: int, *, start_timeout: float = 300.0):
        self.kind = kind
        self.location = location
        self.size = max(1, size)
        self.start_timeout = start_timeout
        self.triples = 0
        self._ctx = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False

    def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(
            target=_worker_main, args=(child, self.kind, self.location), daemon=True
        )
        process.start()
        child.close()
        worker = _Worker(process, parent)
        if not parent.poll(self.start_timeout):
            self._kill(worker)
            msg = f"a query worker did not open the store within {self.start_timeout:g} s"
            raise IGFGraphError(msg)
        try:
            status, detail = parent.recv()
        except (EOFError, OSError) as exc:
            self._kill(worker)
            msg = "a query worker stopped while opening the store"
            raise IGFGraphError(msg) from exc
        if status != "ready":
            self._kill(worker)
            msg = f"a query worker cannot open the store: {detail}"
            raise IGFGraphError(msg)
        self.triples = detail
        with self._lock:
            self._all.add(worker)
        return worker

    def _kill(self, worker: _Worker) -> None:
        with contextlib.suppress(Exception):
            worker.process.kill()
        with contextlib.suppress(Exception):
            worker.process.join(5)
        with contextlib.suppress(Exception):
            worker.conn.close()
        with self._lock:
            self._all.discard(worker)

    def start(self) -> WorkerPool:
        """Start every worker (each opens the store) and return the pool."""
        for _ in range(self.size):
            self._idle.put(self._spawn())
        return self

    def _replace(self, worker: _Worker) -> None:
        self._kill(worker)
        if self._closed:
            return

        def respawn() -> None:
            try:
                self._idle.put(self._spawn())
            except IGFGraphError as exc:
                print(f"igfgraph serve: {exc}", file=sys.stderr)

        threading.Thread(target=respawn, daemon=True).start()

    def call(self, job: dict, timeout: float, wait: float | None = None) -> tuple:
        """Run one job on a free worker (blocking).

        Parameters
        ----------
        job : dict
            ``query``, ``accept`` (media types by preference), ``max_rows``, and optionally
            ``default_graphs``, ``named_graphs``, ``prologue``.
        timeout : float
            Seconds the query may run; its worker is killed (and replaced) past them.
        wait : float, optional
            Seconds to wait for a free worker first (default: ``timeout``, at least 60).

        Returns
        -------
        tuple
            ``("ok", media_type, body)`` or ``("error", status, message)``.
        """
        wait = max(timeout, 60.0) if wait is None else wait
        try:
            worker = self._idle.get(timeout=wait)
        except queue.Empty:
            return (
                "error",
                503,
                f"all {self.size} query workers stayed busy for {wait:g} s; try again later",
            )
        deadline = time.monotonic() + timeout
        try:
            worker.conn.send(job)
            if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                self._replace(worker)
                return (
                    "error",
                    503,
                    f"the query ran past the time limit of {timeout:g} s and was stopped",
                )
            reply = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            self._replace(worker)
            return ("error", 500, "the query worker stopped unexpectedly")
        self._idle.put(worker)
        return reply

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        with self._lock:
            workers = list(self._all)
        for worker in workers:
            with contextlib.suppress(Exception):
                worker.conn.send(None)
            self._kill(worker)


# --------------------------------------------------------------------------- endpoint


@dataclass
class LocalEndpoint:
    """The state behind one running endpoint: the worker pool, limits, VoID description.

    Use :meth:`open` (or :func:`serve`), and :meth:`close` when done.
    """

    pool: WorkerPool
    options: ServeOptions
    tempdir: str | None = None
    base_url: str = f"http://{DEFAULT_HOST}:{DEFAULT_PORT}"
    void_graph: object = None
    _close_hooks: list[Callable[[], None]] = field(default_factory=list)

    @classmethod
    def open(
        cls,
        store: str = "oxigraph",
        *,
        data: Path | str | None = None,
        options: ServeOptions | None = None,
        content=None,
    ) -> LocalEndpoint:
        """Prepare the graph for the workers and start them.

        Parameters
        ----------
        store : str, default "oxigraph"
            ``oxigraph`` (built from ``data`` into a temporary on-disk store),
            ``oxigraph:PATH`` (opened read-only; built there first if empty) or ``memory``
            (rdflib's engine). A ``sparql:`` store is already an endpoint and is refused.
        data : path-like, optional
            The data folder (the shipped data when ``None``).
        options : ServeOptions, optional
            Limits and switches.
        content : rdflib.Graph, optional
            An already built graph to serve instead of building one from ``data``.

        Returns
        -------
        LocalEndpoint
            Ready to answer.

        Raises
        ------
        InputError
            A ``sparql:`` store, or unreadable data.
        """
        from igfgraph.stores import _content, _open_disk, parse_store

        options = options or ServeOptions()
        spec = parse_store(store)
        if spec.kind == "sparql":
            msg = f"{spec} is a SPARQL server already: query it directly, or serve a local store"
            raise InputError(msg)
        tempdir = tempfile.mkdtemp(prefix="igfgraph-serve-")
        try:
            if spec.kind == "memory":
                location = os.path.join(tempdir, "graph.nt")
                graph = _content(content, data)
                Path(location).write_bytes(graph.serialize(format="nt", encoding="utf-8"))
                kind = "memory"
            else:
                path = spec.path if spec.path is not None else Path(tempdir) / "store"
                disk = _open_disk(path, content, data)
                del disk
                location, kind = str(path), "oxigraph"
            pool = WorkerPool(kind, location, options.workers).start()
        except BaseException:
            shutil.rmtree(tempdir, ignore_errors=True)
            raise
        return cls(pool=pool, options=options, tempdir=tempdir)

    def close(self) -> None:
        """Stop the workers and remove temporary files."""
        self.pool.close()
        if self.tempdir:
            shutil.rmtree(self.tempdir, ignore_errors=True)

    def run_query(
        self,
        text: str,
        accept: Iterable[str] = (),
        *,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        prologue: bool = True,
    ) -> tuple:
        """Check and run one query (blocking).

        Parameters
        ----------
        text : str
            The query.
        accept : iterable of str
            Acceptable media types, best first.
        default_graphs, named_graphs : list of str, optional
            The SPARQL Protocol's ``default-graph-uri`` and ``named-graph-uri``.
        prologue : bool, default True
            Predeclare the project's prefixes.

        Returns
        -------
        tuple
            ``("ok", media_type, body)`` or ``("error", status, message)``.
        """
        if len(text.encode("utf-8")) > self.options.max_query_bytes:
            return ("error", 413, f"the query is longer than {self.options.max_query_bytes} bytes")
        try:
            check_query(text, allow_service=self.options.allow_service)
        except Refused as exc:
            return ("error", exc.status, str(exc))
        job = {
            "query": text,
            "accept": list(accept),
            "max_rows": self.options.max_rows,
            "default_graphs": default_graphs or None,
            "named_graphs": named_graphs or None,
            "prologue": prologue,
        }
        return self.pool.call(job, self.options.timeout)

    # -- VoID and service description --------------------------------------------------
    def describe(self, base_url: str) -> None:
        """Build the VoID description once the endpoint's address is known.

        Parameters
        ----------
        base_url : str
            ``http://host:port`` the endpoint answers at.
        """
        from rdflib import Graph, Literal, URIRef
        from rdflib.namespace import RDF, VOID

        from igfgraph.namespaces import bind_prefixes

        self.base_url = base_url.rstrip("/")
        graph = bind_prefixes(Graph())
        status, media, body = self.run_query(
            "CONSTRUCT { ?d ?p ?o } WHERE { ?d a void:Dataset ; ?p ?o }",
            ["application/n-triples"],
        )
        if status == "ok":
            graph.parse(data=body.decode("utf-8"), format="nt")
        datasets = sorted(set(graph.subjects(RDF.type, VOID.Dataset)))
        status, media, body = self.run_query(
            "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class",
            ["application/sparql-results+json"],
        )
        classes = []
        if status == "ok":
            for b in json.loads(body)["results"]["bindings"]:
                if b["class"]["type"] == "uri":
                    classes.append((b["class"]["value"], int(b["n"]["value"])))
        for d in datasets:
            graph.add((d, VOID.sparqlEndpoint, URIRef(self.base_url + "/sparql")))
            for cls, n in sorted(classes):
                local = re.sub(r"[^A-Za-z0-9_-]", "-", cls.rsplit("#", 1)[-1].rsplit("/", 1)[-1])
                part = URIRef(f"{d}#class-{local}")
                graph.add((d, VOID.classPartition, part))
                graph.add((part, VOID["class"], URIRef(cls)))
                graph.add((part, VOID.entities, Literal(n)))
        self.void_graph = graph

    def void(self, media: str) -> tuple[str, bytes]:
        """Serialise the VoID description (Turtle unless another RDF format is asked for)."""
        return _rdf_out(self.void_graph, media)

    def service_description(self, media: str) -> tuple[str, bytes]:
        """Serialise the SPARQL 1.1 Service Description together with the VoID description."""
        from rdflib import Graph, URIRef
        from rdflib.namespace import RDF, VOID, Namespace

        from igfgraph.namespaces import bind_prefixes

        sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
        formats = Namespace("http://www.w3.org/ns/formats/")
        graph = bind_prefixes(Graph())
        graph.bind("sd", sd)
        for triple in self.void_graph:
            graph.add(triple)
        service = URIRef(self.base_url + "/sparql")
        graph.add((service, RDF.type, sd.Service))
        graph.add((service, sd.endpoint, service))
        graph.add((service, sd.supportedLanguage, sd.SPARQL11Query))
        for name in (
            "SPARQL_Results_JSON",
            "SPARQL_Results_XML",
            "SPARQL_Results_CSV",
            "SPARQL_Results_TSV",
            "Turtle",
            "N-Triples",
            "RDF_XML",
            "JSON-LD",
        ):
            graph.add((service, sd.resultFormat, formats[name]))
        for d in graph.subjects(RDF.type, VOID.Dataset):
            graph.add((service, sd.defaultDataset, d))
            graph.add((d, RDF.type, sd.Dataset))
        return _rdf_out(graph, media)


def _rdf_out(graph, media: str) -> tuple[str, bytes]:
    fmt = {
        "application/n-triples": ("nt", "application/n-triples"),
        "text/plain": ("nt", "application/n-triples"),
        "application/rdf+xml": ("xml", "application/rdf+xml"),
        "application/ld+json": ("json-ld", "application/ld+json"),
    }.get(media, ("turtle", "text/turtle"))
    return fmt[1] + "; charset=utf-8", graph.serialize(format=fmt[0], encoding="utf-8")


# --------------------------------------------------------------------------- HTTP


def _accept_list(header: str | None) -> list[str]:
    items = []
    for n, part in enumerate((header or "").split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        if not media:
            continue
        q = 1.0
        for p in params:
            if p.startswith("q="):
                with contextlib.suppress(ValueError):
                    q = float(p[2:])
        if q > 0:
            items.append((-q, n, media.lower()))
    return [m for _q, _n, m in sorted(items)]


def _prefers_html(accept: list[str]) -> bool:
    for media in accept:
        if media in ("text/html", "application/xhtml+xml"):
            return True
        if media in _TABLE_TYPES or media in _GRAPH_TYPES:
            return False
    return False


def _is_loopback(host: str) -> bool:
    if host in ("localhost",):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def create_app(endpoint: LocalEndpoint, *, loopback_only: bool = True):
    """Return the Starlette application that serves ``endpoint``.

    Parameters
    ----------
    endpoint : Endpoint
        The opened endpoint (see :meth:`LocalEndpoint.open`).
    loopback_only : bool, default True
        Answer only requests whose ``Host`` is a loopback name (127.0.0.1, localhost,
        ::1), which stops DNS-rebinding pages from reaching a local server.

    Returns
    -------
    starlette.applications.Starlette
        The ASGI application.
    """
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.middleware.trustedhost import TrustedHostMiddleware
    from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
    from starlette.routing import Route

    from igfgraph.queries import QueryError, load_queries

    page_headers = {
        "Content-Security-Policy": (
            "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
        ),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }

    def error(status: int, message: str) -> Response:
        return PlainTextResponse(message.rstrip("\n") + "\n", status_code=status)

    async def answer(request, text: str, accept: list[str], form) -> Response:
        fmt = (form.get("format") or "").strip().lower()
        if fmt in _FORMAT_PARAM:
            accept = [_FORMAT_PARAM[fmt]]
        elif "/" in fmt:  # a media type, as some clients (SPARQLWrapper) send
            accept = [fmt.split(";")[0].strip(), *accept]
        elif fmt:
            return error(400, f"unknown format {fmt!r}: use {', '.join(sorted(_FORMAT_PARAM))}")
        loop = asyncio.get_running_loop()
        reply = await loop.run_in_executor(
            None,
            lambda: endpoint.run_query(
                text,
                accept,
                default_graphs=form.getlist("default-graph-uri"),
                named_graphs=form.getlist("named-graph-uri"),
            ),
        )
        if reply[0] == "ok":
            media = reply[1]
            if media.startswith("text/") or media.endswith(("+json", "+xml")):
                media += "; charset=utf-8"
            return Response(reply[2], media_type=media, headers={"Vary": "Accept"})
        return error(reply[1], reply[2])

    async def sparql(request) -> Response:
        accept = _accept_list(request.headers.get("accept"))
        params = request.query_params
        if request.method == "GET":
            form = params
            texts = params.getlist("query")
            if params.getlist("update"):
                return error(403, "this endpoint is read-only: SPARQL Update is refused")
            if not texts:
                if _prefers_html(accept):
                    return HTMLResponse(_page(endpoint), headers=page_headers)
                media, body = endpoint.service_description(accept[0] if accept else "")
                return Response(body, media_type=media)
        else:
            ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if ctype == "application/sparql-update":
                return error(403, "this endpoint is read-only: SPARQL Update is refused")
            if ctype == "application/sparql-query":
                raw = await request.body()
                if len(raw) > endpoint.options.max_query_bytes:
                    return error(413, "the query is too long")
                try:
                    texts = [raw.decode("utf-8")]
                except UnicodeDecodeError:
                    return error(400, "the query is not UTF-8")
                form = params
            elif ctype in ("application/x-www-form-urlencoded", ""):
                from urllib.parse import parse_qs

                raw = await request.body()
                if len(raw) > endpoint.options.max_query_bytes * 4:
                    return error(413, "the request is too long")
                from starlette.datastructures import ImmutableMultiDict

                pairs = [
                    (k, v)
                    for k, values in parse_qs(raw.decode("utf-8", "replace"), True).items()
                    for v in values
                ]
                form = ImmutableMultiDict(pairs + list(params.multi_items()))
                if form.getlist("update"):
                    return error(403, "this endpoint is read-only: SPARQL Update is refused")
                texts = form.getlist("query")
            else:
                return error(415, f"unsupported Content-Type {ctype!r} for a SPARQL request")
        if len(texts) != 1:
            return error(400, "give exactly one query parameter")
        return await answer(request, texts[0], accept, form)

    async def page(request) -> Response:
        return HTMLResponse(_page(endpoint), headers=page_headers)

    async def script(request) -> Response:
        body = (_STATIC / "endpoint.js").read_bytes()
        return Response(body, media_type="text/javascript; charset=utf-8", headers=page_headers)

    async def style(request) -> Response:
        body = (_STATIC / "endpoint.css").read_bytes()
        return Response(body, media_type="text/css; charset=utf-8", headers=page_headers)

    async def void(request) -> Response:
        accept = _accept_list(request.headers.get("accept"))
        media, body = endpoint.void(accept[0] if accept else "text/turtle")
        return Response(body, media_type=media)

    async def queries(request) -> Response:
        return JSONResponse(_queries_json())

    async def named(request) -> Response:
        name = request.path_params["name"]
        as_text = name.endswith(".rq")
        name = name.removesuffix(".rq")
        params = {k: v for k, v in request.query_params.items() if k != "format"}
        try:
            q = load_queries()[name]
        except KeyError:
            return error(404, f"no named query {name!r}; GET /queries lists them")
        try:
            text = q.render(params)
        except QueryError as exc:
            return error(400, str(exc))
        if as_text:
            return PlainTextResponse(text)
        accept = _accept_list(request.headers.get("accept"))
        return await answer(request, text, accept, request.query_params)

    middleware = []
    if loopback_only:
        middleware.append(
            Middleware(
                TrustedHostMiddleware, allowed_hosts=["127.0.0.1", "localhost", "[::1]", "::1"]
            )
        )
    routes = [
        Route("/", page),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/query", sparql, methods=["GET", "POST"]),
        Route("/void", void),
        Route("/.well-known/void", void),
        Route("/queries", queries),
        Route("/queries/{name}", named),
        Route("/endpoint.js", script),
        Route("/endpoint.css", style),
    ]
    return Starlette(routes=routes, middleware=middleware)


def _queries_json() -> list[dict]:
    from igfgraph.queries import load_queries

    return [
        {
            "name": q.name,
            "question": q.question,
            "parameters": [
                {
                    "name": p.name,
                    "type": p.type,
                    "required": p.required,
                    "default": p.default,
                    "description": p.description,
                }
                for p in q.parameters
            ],
            "columns": [c for c, _ in q.columns],
        }
        for q in load_queries().values()
    ]


def _page(endpoint: LocalEndpoint) -> str:
    """Return the endpoint's query page (``templates/endpoint.html``, autoescaped)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("igfgraph", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    return env.get_template("endpoint.html").render(
        version=__version__,
        triples=endpoint.pool.triples,
        timeout=f"{endpoint.options.timeout:g}",
        max_rows=endpoint.options.max_rows,
        questions=_queries_json(),
        example=(
            "SELECT ?dc ?name WHERE {\n  ?dc a igf:DynamicCoalition ; skos:prefLabel ?name\n}\n"
            "ORDER BY ?name\nLIMIT 20"
        ),
    )


# --------------------------------------------------------------------------- running


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError as exc:
        sock.close()
        msg = f"cannot listen on {host}:{port}: {exc.strerror or exc}"
        raise InputError(msg) from exc
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def serve(
    store: str = "oxigraph",
    *,
    data: Path | str | None = None,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    options: ServeOptions | None = None,
    log_level: str = "info",
    announce: Callable[[str], None] | None = None,
) -> None:
    """Serve the graph as a read-only SPARQL 1.1 endpoint until interrupted.

    Parameters
    ----------
    store : str, default "oxigraph"
        ``oxigraph``, ``oxigraph:PATH`` or ``memory`` (see :meth:`LocalEndpoint.open`).
    data : path-like, optional
        The data folder (the shipped data when ``None``).
    host : str, default "127.0.0.1"
        Address to listen on. Anything but a loopback address lets other machines query
        the endpoint.
    port : int, default 8000
        Port (0: any free port; the address is announced).
    options : ServeOptions, optional
        Timeout, row limit, workers, SERVICE switch.
    log_level : str, default "info"
        uvicorn's log level (``"warning"`` hides the request log).
    announce : callable, optional
        Called with one line saying where the endpoint listens (default: print to stderr).

    Raises
    ------
    InputError
        The address cannot be bound, a ``sparql:`` store, or unreadable data.
    """
    import uvicorn

    announce = announce or (lambda line: print(line, file=sys.stderr, flush=True))
    sock = _bind(host, port)
    loopback = _is_loopback(host.strip("[]"))
    endpoint = None
    try:
        endpoint = LocalEndpoint.open(store, data=data, options=options)
        bound = sock.getsockname()
        shown = f"[{bound[0]}]" if ":" in bound[0] else bound[0]
        base = f"http://{shown}:{bound[1]}"
        endpoint.describe(base)
        if not loopback:
            announce(
                f"warning: listening on {host}: anyone who can reach this machine can query "
                "the endpoint"
            )
        announce(f"igfgraph serve: SPARQL endpoint at {base}/sparql (query page {base}/)")
        app = create_app(endpoint, loopback_only=loopback)
        config = uvicorn.Config(
            app, log_level=log_level, lifespan="off", timeout_graceful_shutdown=5
        )
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()
        if endpoint is not None:
            endpoint.close()
