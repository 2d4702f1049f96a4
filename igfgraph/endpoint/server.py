"""A local, read-only SPARQL 1.1 endpoint over the graph (``igfgraph serve``).

* **Protocol.** ``GET`` and ``POST`` (form or ``application/sparql-query``) on ``/sparql``,
  as the SPARQL 1.1 Protocol says, with ``default-graph-uri`` and ``named-graph-uri``.
  Results are negotiated from ``Accept`` (or a ``format`` parameter): SPARQL JSON (the
  default), XML, CSV and TSV for SELECT and ASK; Turtle (the default), N-Triples, RDF/XML
  and JSON-LD for CONSTRUCT and DESCRIBE. The project's prefixes are predeclared.
* **Read-only and closed.** Each query is read by a SPARQL 1.1 parser
  (:mod:`igfgraph.endpoint.grammar`) in its worker: SPARQL Update (``LOAD`` and
  ``WITH … DELETE`` included) is refused with 403, and so is a query holding ``SERVICE``
  unless ``allow_service`` is set. On Linux the workers also run in a network namespace of
  their own, so no query can open a connection even if the check were fooled. The server
  answers only requests whose ``Host`` is a loopback name, the address it is bound to or
  a name given with ``allowed_hosts`` (no DNS rebinding).
* **Bounded.** Each query runs in a worker process under a time limit (``timeout``) and an
  address-space cap (``max_memory``); a result of more than ``max_rows`` rows or triples,
  or of more than ``max_bytes`` bytes, is refused (422). A free worker goes to the waiting
  client (by address) with the fewest queries running; at most ``max_queue`` queries wait,
  and past that the client with the most waiting is answered 503 with ``Retry-After``.
  A ``GET`` URL over 64 KiB is answered 414.
* **Mortal.** Workers are killed by the kernel when the server dies (``kill -9``
  included), and Ctrl-C stops a busy server at once.
* **Described.** ``/void`` (and ``/.well-known/void``) serves the graph's VoID description:
  licence, version, counts of triples and entities, and one class partition per class;
  ``GET /sparql`` without a query serves it with the SPARQL 1.1 Service Description.
* **Usable.** ``/`` is a query page that works offline (no CDN): a form, the named
  competency questions with their parameters (``/queries``, ``/queries/NAME``), and a
  results table.

The HTTP side is Starlette on uvicorn; the workers (``python -m igfgraph.endpoint``) hold
an Oxigraph store (opened read-only from disk, so a killed worker is replaced at once) or,
for the ``memory`` store, an rdflib graph.
"""

from __future__ import annotations

import logging
import signal
import socket
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from igfgraph.endpoint.http import _is_loopback, allowed_host_names, create_app
from igfgraph.endpoint.local import LocalEndpoint
from igfgraph.endpoint.options import _MAX_HEAD_BYTES, DEFAULT_HOST, DEFAULT_PORT, ServeOptions
from igfgraph.endpoint.pool import WorkerPool
from igfgraph.exceptions import InputError

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
    options = options or ServeOptions()
    sock = _bind(host, port)
    loopback = _is_loopback(host.strip("[]"))
    endpoint = None
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        endpoint = LocalEndpoint.open(store, data=data, options=options)
        bound = sock.getsockname()
        shown = f"[{bound[0]}]" if ":" in bound[0] else bound[0]
        base = f"http://{shown}:{bound[1]}"
        endpoint.describe(base)
        allowed = allowed_host_names(host, options.allowed_hosts)
        if not loopback:
            announce(
                f"warning: listening on {host}: anyone who can reach this machine can query "
                f"the endpoint; it answers the Host names {', '.join(sorted(allowed))} "
                "(add others with --allowed-host NAME)"
            )
        announce(f"igfgraph serve: SPARQL endpoint at {base}/sparql (query page {base}/)")
        app = create_app(endpoint, allowed_hosts=allowed)
        config = uvicorn.Config(
            app,
            log_level=log_level,
            lifespan="off",
            http="h11",
            h11_max_incomplete_event_size=_MAX_HEAD_BYTES,
            timeout_graceful_shutdown=2,
        )
        _Server(config, endpoint.pool).run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        sock.close()
        if endpoint is not None:
            endpoint.close()
    announce("igfgraph serve: stopped")


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _server_class():
    import uvicorn

    class Server(uvicorn.Server):
        """uvicorn's server, which stops the query workers as soon as it is told to stop."""

        def __init__(self, config, pool: WorkerPool):
            super().__init__(config)
            self.pool = pool

        def handle_exit(self, sig, frame) -> None:
            if not self.should_exit:
                # uvicorn's own shutdown lines ("Shutting down", "Finished server
                # process"): the server says "stopped" in one line instead.
                logging.getLogger("uvicorn.error").setLevel(logging.WARNING)
                # Killing the workers ends the running queries at once (answered 503), so
                # the graceful shutdown has nothing to wait for. Not in the signal handler
                # itself: the pool's lock may be held by the interrupted code.
                threading.Thread(target=self.pool.close, daemon=True).start()
            super().handle_exit(sig, frame)

    return Server


def _Server(config, pool: WorkerPool):  # noqa: N802 - a class made on first use
    return _server_class()(config, pool)
