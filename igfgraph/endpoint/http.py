"""The HTTP side of ``igfgraph serve``: the Starlette app, request checks and the query page."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import ipaddress
from collections.abc import Iterable
from pathlib import Path

from igfgraph import __version__
from igfgraph.endpoint.local import LocalEndpoint
from igfgraph.endpoint.options import _LOOPBACK_NAMES, DEFAULT_HOST, MAX_URL_BYTES
from igfgraph.endpoint.worker import GRAPH_TYPES, TABLE_TYPES

_STATIC = Path(__file__).resolve().parent / "static"

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
        if media in TABLE_TYPES or media in GRAPH_TYPES:
            return False
    return False


async def _read_capped(request, limit: int) -> bytes | None:
    """Read a request body of at most ``limit`` bytes; ``None`` as soon as it is longer."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _host_name(header: str) -> str:
    """Return the name in a ``Host`` header, lower case, without port or IPv6 brackets."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1 : header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def allowed_host_names(bound: str, extra: Iterable[str] = ()) -> frozenset[str]:
    """Return the ``Host`` names a server bound to ``bound`` answers.

    Parameters
    ----------
    bound : str
        The address the server listens on (``127.0.0.2``, ``0.0.0.0``, ``::1``…).
    extra : iterable of str
        Names given with ``--allowed-host``.

    Returns
    -------
    frozenset of str
        The loopback names (``localhost``, ``127.0.0.1``, ``::1``), the bound address and
        the extra names, lower case, without brackets or ports.
    """
    return frozenset(_host_name(h) for h in (*_LOOPBACK_NAMES, bound, *extra) if h)


class _Gate:
    """ASGI middleware: refuse a foreign ``Host`` (400) and a request target over 64 KiB (414).

    Starlette's ``TrustedHostMiddleware`` cuts the header at the first colon, which
    breaks ``[::1]:8000``; this reads IPv6 literals as RFC 3986 writes them.
    """

    def __init__(self, app, allowed: frozenset[str]):
        self.app = app
        self.allowed = allowed

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or ())
        host = _host_name(headers.get(b"host", b"").decode("latin-1"))
        target = len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"")
        if host not in self.allowed:
            status, text = (
                400,
                "Invalid host header: this endpoint answers only "
                + ", ".join(sorted(self.allowed)),
            )
        elif target > MAX_URL_BYTES:
            status = 414
            text = (
                f"the request URL is longer than {MAX_URL_BYTES // 1024} KiB: send long "
                "queries by POST (application/sparql-query or a form)"
            )
        else:
            await self.app(scope, receive, send)
            return
        body = (text + "\n").encode("utf-8")
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"text/plain; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def create_app(endpoint: LocalEndpoint, *, allowed_hosts: Iterable[str] | None = None):
    """Return the Starlette application that serves ``endpoint``.

    Parameters
    ----------
    endpoint : LocalEndpoint
        The opened endpoint (see :meth:`LocalEndpoint.open`).
    allowed_hosts : iterable of str, optional
        ``Host`` names answered (see :func:`allowed_host_names`); others get 400, which
        stops DNS-rebinding pages from reaching the server. Default: the loopback names.

    Returns
    -------
    starlette.applications.Starlette
        The ASGI application.
    """
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
    from starlette.routing import Route

    from igfgraph.queries import QueryError, load_queries

    allowed = frozenset(allowed_hosts or allowed_host_names(DEFAULT_HOST))
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
        reply = await endpoint.arun_query(
            text,
            accept,
            default_graphs=form.getlist("default-graph-uri"),
            named_graphs=form.getlist("named-graph-uri"),
            client=request.client.host if request.client else "",
        )
        media = reply.media
        if media.startswith("text/") or media.endswith(("+json", "+xml")):
            media += "; charset=utf-8"
        headers = {"Vary": "Accept", **reply.headers} if reply.status == 200 else reply.headers
        return Response(reply.body, status_code=reply.status, media_type=media, headers=headers)

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
                raw = await _read_capped(request, endpoint.options.max_query_bytes)
                if raw is None:
                    return error(
                        413, f"the query is longer than {endpoint.options.max_query_bytes} bytes"
                    )
                try:
                    texts = [raw.decode("utf-8")]
                except UnicodeDecodeError:
                    return error(400, "the query is not UTF-8")
                form = params
            elif ctype in ("application/x-www-form-urlencoded", ""):
                from urllib.parse import parse_qs

                raw = await _read_capped(request, endpoint.options.max_query_bytes * 4)
                if raw is None:
                    return error(
                        413,
                        f"the request is longer than {endpoint.options.max_query_bytes * 4} bytes",
                    )
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
        params = tuple(sorted((k, v) for k, v in request.query_params.items() if k != "format"))
        if name not in load_queries():
            return error(404, f"no named query {name!r}; GET /queries lists them")
        # Rendering parses the template (tens of ms): in a thread, and remembered.
        loop = asyncio.get_running_loop()
        try:
            text = await loop.run_in_executor(None, _render, name, params)
        except QueryError as exc:
            return error(400, str(exc))
        if as_text:
            return PlainTextResponse(text)
        accept = _accept_list(request.headers.get("accept"))
        return await answer(request, text, accept, request.query_params)

    middleware = [Middleware(_Gate, allowed=allowed)]
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


@functools.lru_cache(maxsize=256)
def _render(name: str, params: tuple[tuple[str, str], ...]) -> str:
    """Return named query ``name`` filled with ``params`` (raises ``QueryError``)."""
    from igfgraph.queries import load_queries

    return load_queries()[name].render(dict(params))


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
        loader=jinja2.PackageLoader("igfgraph.endpoint", "templates"),
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
