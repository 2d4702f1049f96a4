"""Where the graph lives: one rdflib ``Graph`` API over four kinds of store.

A store is named by a short string (the ``--store`` option of the command line):

``memory``
    rdflib's own in-memory store and SPARQL engine. The build and SHACL validation use it;
    pick it to check an answer against rdflib.
``oxigraph`` (the default)
    Embedded Oxigraph (pyoxigraph, through oxrdflib), in memory: the graph is built from the
    data tables and queries run in Oxigraph's engine.
``oxigraph:PATH``
    The same, on disk in the folder ``PATH``: the graph is built and stored the first time,
    and later runs reopen it at once (read-only). ``igfgraph push --store oxigraph:PATH``
    rebuilds it.
``sparql:URL``
    Any SPARQL 1.1 server: queries go to ``URL`` by the SPARQL 1.1 Protocol; loading
    (:func:`push`) uses the Graph Store Protocol where the server has it, else SPARQL Update.
    The update and Graph Store endpoints are guessed from ``URL`` (``…/query`` →
    ``…/update`` and ``…/store``, as Oxigraph and Fuseki name them; Virtuoso's authenticated
    ``…/sparql-auth`` takes updates itself and has its Graph Store endpoint at
    ``…/sparql-graph-crud-auth``; otherwise ``URL`` itself takes updates) and can be given
    after a comma:
    ``sparql:http://host/ds/query,update=http://host/ds/update,store=http://host/ds/data``
    (``store=none`` to load by SPARQL Update only). Credentials come from the environment
    variable ``IGFGRAPH_SPARQL_AUTH``: ``user:password`` (Basic or Digest, as the server
    asks) or ``Bearer TOKEN``.

pyoxigraph pitfalls avoided here: data goes into Oxigraph with its own N-Triples loader
(oxrdflib is fast only with the ``ox-*`` formats), and queries are passed as strings (oxrdflib
does not take rdflib's prepared queries and rdflib then falls back to its slow engine).
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from igfgraph import __version__
from igfgraph.exceptions import IGFGraphError, InputError, QueryError
from igfgraph.fileio import swap_folder
from igfgraph.sparqltext import query_form

__all__ = [
    "AUTH_ENV",
    "Builder",
    "DEFAULT_STORE",
    "Endpoint",
    "PushResult",
    "StoreError",
    "StoreSpec",
    "open_graph",
    "parse_store",
    "store_graph",
    "push",
    "store_holds_graph",
    "store_kind",
]

#: Environment variable holding credentials for a ``sparql:`` store.
AUTH_ENV = "IGFGRAPH_SPARQL_AUTH"
#: The store used when none is named.
DEFAULT_STORE = "oxigraph"
#: Triples per SPARQL Update request when loading by SPARQL Update.
CHUNK_TRIPLES = 5000
#: Largest graph loaded by one Graph Store PUT; larger ones go in POSTs of this size.
GRAPH_STORE_TRIPLES = 100_000
_KINDS = ("memory", "oxigraph", "sparql")
_USER_AGENT = f"igfgraph/{__version__}"
_TABLE_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.5"
_GRAPH_ACCEPT = "text/turtle, application/n-triples;q=0.9, application/rdf+xml;q=0.5"
_ANY_ACCEPT = f"{_TABLE_ACCEPT}, {_GRAPH_ACCEPT.replace('text/turtle', 'text/turtle;q=0.9')}"


class StoreError(IGFGraphError):
    """A store that cannot be opened, reached or loaded (the message says which and why)."""


#: ``progress(done, total, unit)``, called as a load advances (unit "triples" or "bytes").
ProgressCallback = Callable[[int, int, str], None]


# --------------------------------------------------------------------------- specs


@dataclass(frozen=True)
class StoreSpec:
    """A parsed ``--store`` value.

    Attributes
    ----------
    kind : {"memory", "oxigraph", "sparql"}
        The kind of store.
    path : pathlib.Path or None
        Folder of an on-disk Oxigraph store (``oxigraph:PATH``).
    url : str or None
        Query endpoint of a SPARQL server (``sparql:URL``).
    update_url : str or None
        Its SPARQL Update endpoint.
    store_url : str or None
        Its Graph Store Protocol endpoint; ``None`` when loading must use SPARQL Update.
    """

    kind: str
    path: Path | None = None
    url: str | None = None
    update_url: str | None = None
    store_url: str | None = None

    def __str__(self) -> str:
        if self.kind == "oxigraph" and self.path is not None:
            return f"oxigraph:{self.path}"
        if self.kind == "sparql":
            return f"sparql:{self.url}"
        return self.kind

    @property
    def holds_graph(self) -> bool:
        """Whether the store keeps its graph between runs (on disk or on a server)."""
        return self.kind == "sparql" or (self.kind == "oxigraph" and self.path is not None)


def _check_url(url: str, what: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        msg = f"{what} must be an http:// or https:// URL, not {url!r}"
        raise InputError(msg)
    if parts.username or parts.password:
        msg = (
            f"put no credentials in the {what} ({parts.hostname}): "
            f"set the environment variable {AUTH_ENV}=user:password instead"
        )
        raise InputError(msg)
    return url


def _sibling(url: str, last: str) -> str | None:
    parts = urlsplit(url)
    head, sep, tail = parts.path.rpartition("/")
    if not sep or tail != "query":
        return None
    return parts._replace(path=f"{head}/{last}").geturl()


def _virtuoso_crud(url: str) -> str | None:
    """Virtuoso's authenticated Graph Store endpoint beside its ``/sparql-auth``."""
    parts = urlsplit(url)
    head, sep, tail = parts.path.rpartition("/")
    if not sep or tail != "sparql-auth":
        return None
    return parts._replace(path=f"{head}/sparql-graph-crud-auth").geturl()


def parse_store(text: str | StoreSpec | None) -> StoreSpec:
    """Parse a store name: ``memory``, ``oxigraph``, ``oxigraph:PATH`` or ``sparql:URL``.

    Parameters
    ----------
    text : str or StoreSpec or None
        The store; ``None`` means :data:`DEFAULT_STORE`. A bare ``http(s)://`` URL is read
        as ``sparql:URL``.

    Returns
    -------
    StoreSpec
        The parsed store.

    Raises
    ------
    InputError
        An unknown kind, an empty path, or a URL that is not http(s).
    """
    if isinstance(text, StoreSpec):
        return text
    text = (text or DEFAULT_STORE).strip()
    if text.startswith(("http://", "https://")):
        text = "sparql:" + text
    kind, sep, rest = text.partition(":")
    kind = kind.lower()
    if kind not in _KINDS:
        msg = f"unknown store {text!r}: use memory, oxigraph, oxigraph:PATH or sparql:URL"
        raise InputError(msg)
    if kind == "memory":
        if sep:
            msg = "the memory store takes no location (use oxigraph:PATH for a store on disk)"
            raise InputError(msg)
        return StoreSpec("memory")
    if kind == "oxigraph":
        if not sep:
            return StoreSpec("oxigraph")
        if not rest.strip():
            msg = "oxigraph:PATH needs a folder, e.g. oxigraph:igf-store"
            raise InputError(msg)
        return StoreSpec("oxigraph", path=Path(rest.strip()).expanduser())
    url, *options = rest.strip().split(",")
    _check_url(url, "SPARQL endpoint URL")
    update_url = _sibling(url, "update") or url
    store_url = _sibling(url, "store") or _virtuoso_crud(url)
    for option in options:
        key, eq, value = option.partition("=")
        key, value = key.strip().lower(), value.strip()
        if not eq or key not in ("update", "store"):
            msg = f"unknown option {option!r} of the sparql store: use update=URL or store=URL"
            raise InputError(msg)
        if key == "update":
            update_url = _check_url(value, "update endpoint URL")
        elif value.lower() == "none":
            store_url = None
        else:
            store_url = _check_url(value, "Graph Store endpoint URL")
    return StoreSpec("sparql", url=url, update_url=update_url, store_url=store_url)


def _check_graph_iri(graph: str | None) -> str | None:
    if graph is None or graph == "":
        return None
    if any(c in graph for c in '<>"{}|^`\\ \t\n') or ":" not in graph:
        msg = f"not an absolute IRI for a named graph: {graph!r}"
        raise InputError(msg)
    return graph


# --------------------------------------------------------------------------- opening


def _oxigraph_graph(store: ox.Store) -> Graph:
    from oxrdflib import OxigraphStore

    from igfgraph.namespaces import bind_prefixes

    return bind_prefixes(
        Graph(store=OxigraphStore(store=store), identifier=DATASET_DEFAULT_GRAPH_ID)
    )


def store_graph(store: ox.Store) -> Graph:
    """Return an rdflib ``Graph`` over the default graph of a pyoxigraph store (no copy).

    Parameters
    ----------
    store : pyoxigraph.Store
        The store (read-only ones too, such as the build cache's, :mod:`igfgraph.cache`).

    Returns
    -------
    rdflib.Graph
        An Oxigraph-backed graph (oxrdflib) with igfgraph's prefixes bound.
    """
    return _oxigraph_graph(store)


def _load_into(store: ox.Store, graph: Graph) -> None:
    data = graph.serialize(format="nt", encoding="utf-8")
    store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES)


#: builds the graph from a data folder (``None``: the shipped data); the pipeline passes
#: one that validates it (:func:`igfgraph.pipeline.open_graph`)
Builder = Callable[[Path | str | None], Graph]


def _content(content: Graph | None, data: Path | str | None, build: Builder | None = None) -> Graph:
    if content is not None:
        return content
    if build is None:
        msg = (
            "the store holds no graph and none was given: pass content= (a built graph) or "
            "build= (e.g. igfgraph.pipeline.build_validated), or open it with "
            "igfgraph.pipeline.open_graph, which builds and validates the data"
        )
        raise InputError(msg)
    return build(data)


def _folder_has_store(path: Path) -> bool:
    if path.exists() and not path.is_dir():
        msg = f"{path}: not a folder, so not an Oxigraph store"
        raise InputError(msg)
    return path.is_dir() and any(path.iterdir())


def store_holds_graph(spec: str | StoreSpec | None) -> bool:
    """Whether opening ``spec`` reuses a graph it already holds instead of building one.

    Parameters
    ----------
    spec : str or StoreSpec or None
        The store.

    Returns
    -------
    bool
        True for a ``sparql:`` store and for an ``oxigraph:PATH`` folder that is not empty.
    """
    spec = parse_store(spec)
    if spec.kind == "sparql":
        return True
    return spec.path is not None and _folder_has_store(spec.path)


def _open_disk(
    path: Path, content: Graph | None, data: Path | str | None, build: Builder | None = None
) -> ox.Store:
    if _folder_has_store(path):
        try:
            store = ox.Store.read_only(str(path))
        except OSError as exc:
            msg = f"{path}: cannot open the Oxigraph store ({exc})"
            raise StoreError(msg) from exc
        if len(store):
            return store
        del store
        shutil.rmtree(path)
    graph = _content(content, data, build)
    path.mkdir(parents=True, exist_ok=True)
    try:
        store = ox.Store(str(path))
        _load_into(store, graph)
        store.flush()
    except OSError as exc:
        msg = f"{path}: cannot write the Oxigraph store ({exc})"
        raise StoreError(msg) from exc
    return store


def open_graph(
    store: str | StoreSpec | None = DEFAULT_STORE,
    *,
    data: Path | str | None = None,
    graph: str | None = None,
    content: Graph | None = None,
    build: Builder | None = None,
    check: bool = True,
    auth: str | None = None,
) -> Graph:
    """Open the igfgraph graph in a store, as an rdflib ``Graph``.

    Parameters
    ----------
    store : str or StoreSpec, default "oxigraph"
        ``memory``, ``oxigraph``, ``oxigraph:PATH`` or ``sparql:URL`` (see the module notes).
    data : path-like, optional
        Data folder the graph is built from, for a store that does not hold it yet (the
        shipped data when ``None``). A store that holds a graph (``sparql:``, a filled
        ``oxigraph:PATH``) ignores it.
    graph : str, optional
        For ``sparql:`` only: the named graph holding igfgraph (queries then use it as their
        default graph); the server's default graph when ``None``.
    content : rdflib.Graph, optional
        An already built graph to put in the store instead of building one from ``data``.
    build : callable, optional
        ``build(data) -> rdflib.Graph``: how to build the graph from ``data`` for a store
        that does not hold it yet. This module does not build (it sits below the build and
        validation); :func:`igfgraph.pipeline.open_graph` passes the validating builder.
    check : bool, default True
        For ``sparql:``: ask the server once, so that an unreachable server or an empty
        graph is reported here rather than by the first query.
    auth : str, optional
        For ``sparql:``: ``user:password`` or ``Bearer TOKEN`` (default: the environment
        variable ``IGFGRAPH_SPARQL_AUTH``).

    Returns
    -------
    rdflib.Graph
        The graph. Pass it to :func:`igfgraph.sparql.query` (which runs SPARQL in the
        store's own engine) or to any analysis; it is also a normal rdflib graph.

    Raises
    ------
    InputError
        A malformed store name or graph IRI, unreadable data, or a store to fill with
        neither ``content`` nor ``build``.
    StoreError
        The store cannot be opened, written or reached, or holds no triples.
    """
    spec = parse_store(store)
    graph = _check_graph_iri(graph)
    if graph is not None and spec.kind != "sparql":
        msg = f"--graph names a graph on a SPARQL server; the {spec.kind} store has one graph"
        raise InputError(msg)
    if spec.kind == "memory":
        return _content(content, data, build)
    if spec.kind == "oxigraph":
        if spec.path is None:
            ox_store = ox.Store()
            _load_into(ox_store, _content(content, data, build))
        else:
            ox_store = _open_disk(spec.path, content, data, build)
        return _oxigraph_graph(ox_store)
    endpoint = Endpoint(spec, graph=graph, auth=auth)
    if check and not endpoint.ask("ASK { ?s ?p ?o }"):
        where = f"graph <{graph}>" if graph else "default graph"
        msg = (
            f"the {where} of {spec.url} holds no triples: "
            f"load it with `igfgraph push --store {spec}" + (f" --graph {graph}`" if graph else "`")
        )
        raise StoreError(msg)
    return endpoint.rdflib_graph()


def store_kind(graph: Graph | ox.Store) -> str:
    """Say which engine answers SPARQL for ``graph``.

    Parameters
    ----------
    graph : rdflib.Graph or pyoxigraph.Store
        A graph from :func:`open_graph`, any rdflib graph, or a pyoxigraph store.

    Returns
    -------
    {"oxigraph", "sparql", "memory"}
        ``oxigraph`` for a pyoxigraph store or an oxrdflib-backed graph, ``sparql`` for a
        graph on a SPARQL server, ``memory`` for any other rdflib graph (rdflib's engine).
    """
    if isinstance(graph, ox.Store):
        return "oxigraph"
    store = graph.store
    if type(store).__name__ == "OxigraphStore":
        return "oxigraph"
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    if isinstance(store, SPARQLStore):
        return "sparql"
    return "memory"


# --------------------------------------------------------------------------- HTTP client


class _Body(io.RawIOBase):
    """A bytes body that reports how much of it the HTTP client has read."""

    def __init__(self, data: bytes, progress: ProgressCallback | None):
        self._data = memoryview(data)
        self._pos = 0
        self._progress = progress

    def __len__(self) -> int:
        return len(self._data)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = 0) -> int:
        base = {0: 0, 1: self._pos, 2: len(self._data)}[whence]
        self._pos = max(0, min(len(self._data), base + offset))
        return self._pos

    def readinto(self, buffer) -> int:
        chunk = self._data[self._pos : self._pos + len(buffer)]
        buffer[: len(chunk)] = chunk
        self._pos += len(chunk)
        if self._progress is not None and len(chunk):
            self._progress(self._pos, len(self._data), "bytes")
        return len(chunk)


def _credentials(value: str | None = None) -> tuple[str, str] | str | None:
    value = (os.environ.get(AUTH_ENV, "") if value is None else value).strip()
    if not value:
        return None
    if value.lower().startswith("bearer "):
        return value
    user, sep, password = value.partition(":")
    if not sep or not user:
        msg = f"{AUTH_ENV} must be user:password or 'Bearer TOKEN'"
        raise InputError(msg)
    return user, password


@dataclass
class Endpoint:
    """A client for one SPARQL 1.1 server (Protocol, Update and Graph Store Protocol).

    Parameters
    ----------
    spec : StoreSpec
        A ``sparql:`` store.
    graph : str, optional
        The named graph that holds igfgraph; queries use it as their default graph.
    timeout : float, default 600
        Seconds to wait for an answer.
    auth : str, optional
        ``user:password`` or ``Bearer TOKEN``; the environment variable
        ``IGFGRAPH_SPARQL_AUTH`` when ``None``.
    """

    spec: StoreSpec
    graph: str | None = None
    timeout: float = 600.0
    auth: str | None = field(default=None, repr=False)
    _auth: object = field(default=None, init=False, repr=False)
    _session: object = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        import requests

        if self.spec.kind != "sparql":
            msg = f"not a SPARQL store: {self.spec}"
            raise InputError(msg)
        self._session = requests.Session()
        self._session.headers["User-Agent"] = _USER_AGENT
        creds = _credentials(self.auth)
        if isinstance(creds, str):
            self._session.headers["Authorization"] = creds
            self._credentials = None
        else:
            self._credentials = creds

    # -- plumbing ---------------------------------------------------------------------
    def _send(self, method: str, url: str, *, body: Callable[[], object] | None = None, **kw):
        import requests
        from requests.auth import HTTPBasicAuth, HTTPDigestAuth

        def once():
            try:
                return self._session.request(
                    method,
                    url,
                    data=body() if body is not None else None,
                    auth=self._auth,
                    timeout=(10, self.timeout),
                    **kw,
                )
            except requests.exceptions.Timeout as exc:
                msg = f"{url}: no answer within {self.timeout:g} s"
                raise StoreError(msg) from exc
            except requests.exceptions.RequestException as exc:
                reason = str(exc.args[0]) if exc.args else type(exc).__name__
                msg = f"cannot reach the SPARQL server at {url}: {reason}"
                raise StoreError(msg) from exc

        response = once()
        if response.status_code == 401 and self._auth is None and self._credentials:
            challenge = response.headers.get("WWW-Authenticate", "").lower()
            user, password = self._credentials
            self._auth = (
                HTTPDigestAuth(user, password)
                if "digest" in challenge
                else HTTPBasicAuth(user, password)
            )
            response = once()
        if response.status_code == 401:
            hint = (
                "the credentials were refused"
                if self._credentials
                else f"it needs credentials: set {AUTH_ENV}=user:password"
            )
            msg = f"{url} answered 401 Unauthorized: {hint}"
            raise StoreError(msg)
        return response

    @staticmethod
    def _fail(response, what: str) -> StoreError:
        text = " ".join(response.text.split())[:600]
        return StoreError(
            f"{what} failed: {response.url} answered {response.status_code} "
            f"{response.reason}: {text}"
        )

    # -- SPARQL 1.1 Protocol -----------------------------------------------------------
    def _query(self, text: str):

        # Ask for the results the query form gives: some servers (Virtuoso) answer a
        # CONSTRUCT in SPARQL JSON (?s ?p ?o bindings) when JSON comes first.
        form_word = query_form(text)
        if form_word in ("SELECT", "ASK"):
            accept = _TABLE_ACCEPT
        elif form_word in ("CONSTRUCT", "DESCRIBE"):
            accept = _GRAPH_ACCEPT
        else:
            accept = _ANY_ACCEPT
        form = {"query": text}
        if self.graph:
            form["default-graph-uri"] = self.graph
        response = self._send(
            "POST",
            self.spec.url,
            body=lambda: form,
            headers={"Accept": accept},
        )
        if response.status_code >= 400:
            err = self._fail(response, "the query")
            if response.status_code == 400:
                raise QueryError(f"SPARQL error: {err}")
            raise err
        return _parse_answer(response.headers.get("Content-Type", ""), response.content)

    def query(self, text: str):
        """Send a query; return what pyoxigraph would.

        Parameters
        ----------
        text : str
            A complete SPARQL query (with its PREFIX lines).

        Returns
        -------
        pyoxigraph.QuerySolutions or pyoxigraph.QueryBoolean or list of pyoxigraph.Triple
            Solutions (SELECT), a boolean (ASK) or triples (CONSTRUCT, DESCRIBE).

        Raises
        ------
        QueryError
            The server refused the query as malformed (HTTP 400).
        StoreError
            The server cannot be reached, or failed.
        """
        return self._query(text)

    def ask(self, text: str) -> bool:
        """Send an ASK query and return its answer.

        Parameters
        ----------
        text : str
            The ASK query.

        Returns
        -------
        bool
            The answer.
        """
        return bool(self._query(text))

    def update(self, text: str) -> None:
        """Send a SPARQL 1.1 Update request.

        Parameters
        ----------
        text : str
            The update (one request; servers that run a request as one transaction apply
            all of it or none).

        Raises
        ------
        StoreError
            The server refused or failed the update.
        """
        form = {"update": text}
        response = self._send("POST", self.spec.update_url, body=lambda: form)
        if response.status_code >= 400:
            raise self._fail(response, "the update")

    def put_graph(
        self,
        data: bytes,
        progress: ProgressCallback | None = None,
        *,
        graph: str | None = None,
        add: bool = False,
    ) -> bool:
        """Replace the target graph with N-Triples ``data`` by the Graph Store Protocol (PUT).

        Parameters
        ----------
        data : bytes
            The graph as N-Triples.
        progress : callable, optional
            ``progress(done, total, "bytes")`` as the upload advances.
        graph : str, optional
            Another named graph to load instead of this client's graph.
        add : bool, default False
            Add the triples to the graph (POST) instead of replacing it (PUT).

        Returns
        -------
        bool
            True when the server took the graph; False when it has no Graph Store
            Protocol endpoint there (404, 405, 415, 501), so the caller can fall back.

        Raises
        ------
        StoreError
            Any other refusal or failure.
        """
        if not self.spec.store_url:
            return False
        graph = graph or self.graph
        target = f"graph={quote(graph, safe='')}" if graph else "default"
        sep = "&" if "?" in self.spec.store_url else "?"
        verb = "POST" if add else "PUT"
        response = self._send(
            verb,
            f"{self.spec.store_url}{sep}{target}",
            body=lambda: _Body(data, progress),
            headers={"Content-Type": "application/n-triples"},
        )
        if response.status_code in (404, 405, 415, 501):
            return False
        if response.status_code >= 400:
            raise self._fail(response, f"the Graph Store {verb}")
        return True

    def rdflib_graph(self) -> Graph:
        """Return an rdflib ``Graph`` over this server (rdflib's ``SPARQLUpdateStore``).

        Returns
        -------
        rdflib.Graph
            Reads and writes through rdflib; :func:`igfgraph.sparql.query` sends its
            queries through this client instead (``graph.store.endpoint``).
        """
        from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore

        from igfgraph.namespaces import bind_prefixes

        kwargs = {}
        if self._credentials:
            kwargs["auth"] = tuple(self._credentials)
        store = SPARQLUpdateStore(
            query_endpoint=self.spec.url,
            update_endpoint=self.spec.update_url,
            method="POST",
            returnFormat="json",
            **kwargs,
        )
        store.endpoint = self
        identifier = URIRef(self.graph) if self.graph else DATASET_DEFAULT_GRAPH_ID
        return bind_prefixes(Graph(store=store, identifier=identifier))


def _parse_answer(content_type: str, content: bytes):
    media = content_type.split(";")[0].strip().lower()
    if media in ("application/json", "application/sparql-results+json") and (
        media.endswith("+json") or b'"head"' in content[:2000]
    ):
        return _results(content, ox.QueryResultsFormat.JSON)
    if media in ("application/sparql-results+xml", "application/xml", "text/xml") and (
        b"sparql-results" in content[:2000]
    ):
        return _results(content, ox.QueryResultsFormat.XML)
    if media == "text/tab-separated-values":
        return _results(content, ox.QueryResultsFormat.TSV)
    fmt = {"text/plain": ox.RdfFormat.N_TRIPLES, "application/json": ox.RdfFormat.JSON_LD}.get(
        media
    ) or ox.RdfFormat.from_media_type(media)
    if fmt is None:
        msg = f"the SPARQL server answered in a format igfgraph cannot read: {content_type!r}"
        raise StoreError(msg)
    try:
        return [q.triple for q in ox.parse(content, format=fmt)]
    except (SyntaxError, ValueError) as exc:
        msg = f"the SPARQL server's {media} answer does not parse: {exc}"
        raise StoreError(msg) from exc


def _results(content: bytes, fmt):
    try:
        return ox.parse_query_results(content, format=fmt)
    except (SyntaxError, ValueError) as exc:
        msg = f"the SPARQL server's results do not parse: {exc}"
        raise StoreError(msg) from exc


# --------------------------------------------------------------------------- loading


@dataclass(frozen=True)
class PushResult:
    """What :func:`push` did.

    Attributes
    ----------
    store : str
        The store loaded.
    graph : str or None
        The named graph loaded; ``None`` for the default graph.
    triples : int
        Triples loaded.
    method : str
        ``"graph-store"`` (one Graph Store Protocol PUT), ``"graph-store-staged"`` (Graph
        Store POSTs into a staging graph, then one ``MOVE``), ``"update"`` (one SPARQL Update
        request), ``"update-staged"`` (chunks into a staging graph, then one ``MOVE``) or
        ``"oxigraph"`` (a new on-disk store swapped in for the old one).
    """

    store: str
    graph: str | None
    triples: int
    method: str


def _ntriples(graph: Graph) -> tuple[bytes, int]:
    store = ox.Store()
    _load_into(store, graph)
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    return data, len(store)


def _push_disk(path: Path, graph: Graph) -> PushResult:
    path = path.resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{path.name}.new-", dir=path.parent))
    try:
        store = ox.Store(str(fresh))
        _load_into(store, graph)
        store.flush()
        count = len(store)
        del store
        if path.exists() and not path.is_dir():
            msg = f"{path}: not a folder, so not an Oxigraph store"
            raise InputError(msg)
        swap_folder(fresh, path)
    except OSError as exc:
        shutil.rmtree(fresh, ignore_errors=True)
        msg = f"{path}: cannot write the Oxigraph store ({exc})"
        raise StoreError(msg) from exc
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    return PushResult(f"oxigraph:{path}", None, count, "oxigraph")


def _load_staged(endpoint: Endpoint, graph_iri: str | None, fill) -> bool:
    """Fill a fresh staging graph with ``fill(staging_iri)``, then ``MOVE`` it onto the target.

    The target is replaced in one step or not at all: when ``fill`` returns False (it gave
    up) or anything raises, the staging graph is dropped and the target is as it was.
    Returns whether the target was replaced.
    """
    staging = f"urn:igfgraph:staging:{uuid.uuid4()}"
    target = f"GRAPH <{graph_iri}>" if graph_iri else "DEFAULT"
    endpoint.update(f"DROP SILENT GRAPH <{staging}>")
    try:
        if not fill(staging):
            endpoint.update(f"DROP SILENT GRAPH <{staging}>")
            return False
        endpoint.update(f"MOVE SILENT GRAPH <{staging}> TO {target}")
    except BaseException:
        with contextlib.suppress(StoreError):
            endpoint.update(f"DROP SILENT GRAPH <{staging}>")
        raise
    return True


def _graph_store_staged(
    endpoint: Endpoint,
    data: bytes,
    graph_iri: str | None,
    size: int,
    progress: ProgressCallback | None,
) -> bool:
    """POST ``data`` in chunks into a staging graph, then ``MOVE`` it onto the target.

    Returns False, having changed nothing, when the server has no Graph Store endpoint.
    """
    if not endpoint.spec.store_url:
        return False
    lines = [line for line in data.split(b"\n") if line.strip()]

    def fill(staging: str) -> bool:
        for done in range(0, len(lines), size):
            chunk = b"\n".join(lines[done : done + size]) + b"\n"
            if not endpoint.put_graph(chunk, graph=staging, add=True):
                return False
            if progress is not None:
                progress(min(done + size, len(lines)), len(lines), "triples")
        return True

    return _load_staged(endpoint, graph_iri, fill)


def push(
    graph: Graph,
    store: str | StoreSpec,
    *,
    graph_iri: str | None = None,
    method: str = "auto",
    chunk_triples: int = CHUNK_TRIPLES,
    graph_store_triples: int = GRAPH_STORE_TRIPLES,
    progress: ProgressCallback | None = None,
    auth: str | None = None,
) -> PushResult:
    """Load ``graph`` into a store, replacing what the target graph held before.

    Parameters
    ----------
    graph : rdflib.Graph
        The graph to load (as built by :func:`igfgraph.pipeline.build_validated`).
    store : str or StoreSpec
        ``sparql:URL`` or ``oxigraph:PATH``.
    graph_iri : str, optional
        For ``sparql:``: load into this named graph; the server's default graph when
        ``None``. Queries given the same ``graph`` then see exactly this load.
    method : {"auto", "graph-store", "update"}, default "auto"
        ``graph-store``: one Graph Store Protocol PUT (the server replaces the graph in
        one step). ``update``: SPARQL Update; a graph larger than ``chunk_triples`` goes
        in chunks into a staging graph that one ``MOVE`` request then puts in place, so
        the target changes in one step on servers that run a request as a transaction
        and is left as it was when a chunk fails. ``auto``: the Graph Store Protocol when
        the server has it, else SPARQL Update.
    chunk_triples : int, default 5000
        Triples per SPARQL Update request (halved while the server refuses a request,
        as Virtuoso does near 5,000).
    graph_store_triples : int, default 100000
        A larger graph goes by the Graph Store Protocol in POSTs of this many triples into
        a staging graph that one SPARQL Update ``MOVE`` then puts in place (Virtuoso
        deadlocked on one PUT of 900,000 triples: "SR172: Transaction deadlocked").
    progress : callable, optional
        ``progress(done, total, unit)``, called as the load advances.
    auth : str, optional
        ``user:password`` or ``Bearer TOKEN`` (default: the environment variable
        ``IGFGRAPH_SPARQL_AUTH``).

    Returns
    -------
    PushResult
        What was loaded, where and how.

    Raises
    ------
    InputError
        A store that cannot be loaded (memory, in-memory oxigraph) or a bad IRI.
    StoreError
        The server refused or failed the load; the target graph is then unchanged where
        the server applies requests atomically.
    """
    spec = parse_store(store)
    graph_iri = _check_graph_iri(graph_iri)
    if method not in ("auto", "graph-store", "update"):
        msg = f"unknown load method {method!r}: use auto, graph-store or update"
        raise InputError(msg)
    if spec.kind == "oxigraph" and spec.path is not None:
        if graph_iri is not None:
            msg = "--graph names a graph on a SPARQL server; an oxigraph:PATH store has one graph"
            raise InputError(msg)
        return _push_disk(spec.path, graph)
    if spec.kind != "sparql":
        msg = f"cannot push to the {spec.kind} store: it lives only as long as one command; "
        msg += "use sparql:URL or oxigraph:PATH"
        raise InputError(msg)
    endpoint = Endpoint(spec, graph=graph_iri, auth=auth)
    data, count = _ntriples(graph)
    if method in ("auto", "graph-store"):
        if count <= graph_store_triples:
            if endpoint.put_graph(data, progress):
                return PushResult(str(spec), graph_iri, count, "graph-store")
        elif _graph_store_staged(endpoint, data, graph_iri, graph_store_triples, progress):
            return PushResult(str(spec), graph_iri, count, "graph-store-staged")
    if method == "graph-store":
        msg = f"{spec.url}: the server has no Graph Store Protocol endpoint"
        msg += f" at {spec.store_url}" if spec.store_url else " (store=none)"
        raise StoreError(msg)
    lines = [line for line in data.split(b"\n") if line.strip()]
    if len(lines) <= chunk_triples:
        body = b"\n".join(lines).decode("utf-8")
        inner = f"GRAPH <{graph_iri}> {{\n{body}\n}}" if graph_iri else body
        drop = f"DROP SILENT GRAPH <{graph_iri}>" if graph_iri else "CLEAR SILENT DEFAULT"
        try:
            endpoint.update(f"{drop} ;\nINSERT DATA {{\n{inner}\n}}")
        except StoreError:
            if len(lines) <= 50:
                raise
            chunk_triples = max(1, len(lines) // 2)  # too big for one request: stage it
        else:
            if progress is not None:
                progress(count, count, "triples")
            return PushResult(str(spec), graph_iri, count, "update")

    def fill(staging: str) -> bool:
        done, size = 0, chunk_triples
        while done < len(lines):
            chunk = lines[done : done + size]
            body = b"\n".join(chunk).decode("utf-8")
            try:
                endpoint.update(f"INSERT DATA {{ GRAPH <{staging}> {{\n{body}\n}} }}")
            except StoreError:
                # Some servers cap the size of one request (Virtuoso's SPARQL compiler runs
                # out of memory near 5,000 triples): halve the chunk and try again.
                if size <= 50:
                    raise
                size //= 2
                continue
            done += len(chunk)
            if progress is not None:
                progress(done, len(lines), "triples")
        return True

    _load_staged(endpoint, graph_iri, fill)
    return PushResult(str(spec), graph_iri, count, "update-staged")
