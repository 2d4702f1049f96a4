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

import asyncio
import collections
import concurrent.futures
import contextlib
import functools
import ipaddress
import json
import logging
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox

from igfgraph import __version__
from igfgraph.endpoint.grammar import Refused, check_query
from igfgraph.endpoint.worker import GRAPH_TYPES, TABLE_TYPES
from igfgraph.exceptions import IGFGraphError, InputError

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "MAX_URL_BYTES",
    "LocalEndpoint",
    "Refused",
    "ServeOptions",
    "WorkerPool",
    "check_query",
    "create_app",
    "serve",
]

DEFAULT_HOST = "127.0.0.1"
_STATIC = Path(__file__).resolve().parent / "static"
DEFAULT_PORT = 8000
_LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
#: Longest request target (path and query string) answered; longer ones get 414.
MAX_URL_BYTES = 64 * 1024
#: Longest request head uvicorn reads before it gives up on a connection (400 and close).
_MAX_HEAD_BYTES = 1024 * 1024
#: Seconds a client told 503 (queue full) is asked to wait before trying again.
RETRY_AFTER_S = 5

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
    max_bytes : int
        Largest answer body, in bytes.
    max_memory : int
        Address space of each worker process, in bytes (``RLIMIT_AS``; 0: no cap).
    workers : int
        Worker processes, i.e. queries run at the same time.
    max_queue : int
        Queries that may wait for a worker; past that the client with the most waiting
        queries is answered 503 with ``Retry-After``.
    allow_service : bool
        Let queries use ``SERVICE`` (federation: the server then fetches the URLs named,
        and the workers keep the network).
    isolate_network : bool
        Run the workers without a network (Linux network namespace). When the system
        cannot, the server refuses to start unless this is switched off.
    max_query_bytes : int
        Largest query text accepted.
    allowed_hosts : tuple of str
        ``Host`` names answered besides the loopback names and the bound address.
    """

    timeout: float = 30.0
    max_rows: int = 100_000
    max_bytes: int = 64 * 1024 * 1024
    max_memory: int = 1024 * 1024 * 1024
    workers: int = 2
    max_queue: int = 64
    allow_service: bool = False
    isolate_network: bool = True
    max_query_bytes: int = 1_000_000
    allowed_hosts: tuple[str, ...] = ()


# --------------------------------------------------------------------------- workers


@dataclass(eq=False)
class _Worker:
    process: subprocess.Popen
    conn: Connection


@dataclass(eq=False)
class _Ticket:
    """One job, waiting for a worker or running; ``result`` receives its :class:`Reply`."""

    client: str
    job: dict
    timeout: float
    result: concurrent.futures.Future = field(default_factory=concurrent.futures.Future)


@dataclass(frozen=True)
class Reply:
    """The answer to one query: an HTTP status, a media type, a body and extra headers."""

    status: int
    media: str
    body: bytes
    headers: dict = field(default_factory=dict)

    @classmethod
    def error(cls, status: int, message: str, headers: dict | None = None) -> Reply:
        """Return a plain-text error reply."""
        body = (message.rstrip("\n") + "\n").encode("utf-8")
        return cls(status, "text/plain", body, headers or {})


class WorkerPool:
    """Worker processes that run queries, handed out fairly; a worker past its time is killed.

    Each worker is ``python -m igfgraph.endpoint``, started by one long-lived thread (the
    kernel's parent-death signal follows the thread that started a process), talking over
    a socket pair. No :mod:`multiprocessing` process or resource tracker is involved. One
    more worker than ``size`` is started and kept on standby, so that a worker killed at
    its time or memory limit is replaced at once rather than after a store opening.

    Requests that find no free worker wait in one queue per client address; a worker that
    comes free takes the oldest request of the waiting client with the fewest queries
    running (among equals, the one served longest ago), so one client's backlog delays
    another client's query by at most the first query to end. At most
    ``max_queue`` requests wait: a new one past that displaces the newest request of the
    client with the most waiting (that one is answered 503 with ``Retry-After``), unless
    the newcomer's client has as many waiting itself, and then it is the one refused.

    Parameters
    ----------
    kind : {"oxigraph", "memory"}
        What the workers open: an on-disk Oxigraph store (read-only) or an N-Triples file
        (parsed into rdflib).
    location : str
        The store folder or the file.
    size : int
        Number of workers.
    isolate : bool, default True
        Start the workers without a network; refuse to start when the system cannot.
    max_memory : int, default 1 GiB
        Address-space cap of each worker, in bytes (0: none).
    max_queue : int, default 64
        Requests that may wait for a worker.
    logdir : str, optional
        Folder for the workers' standard error (default: discarded).
    start_timeout : float, default 300
        Seconds a worker may take to open the store.
    """

    def __init__(
        self,
        kind: str,
        location: str,
        size: int,
        *,
        isolate: bool = True,
        max_memory: int = 1024 * 1024 * 1024,
        max_queue: int = 64,
        logdir: str | None = None,
        start_timeout: float = 300.0,
    ):
        self.kind = kind
        self.location = location
        self.size = max(1, size)
        self.isolate = isolate
        self.max_memory = max_memory
        self.max_queue = max(0, max_queue)
        self.logdir = logdir
        self.start_timeout = start_timeout
        self.triples = 0
        self._lock = threading.Lock()
        self._idle: list[_Worker] = []
        self._all: set[_Worker] = set()
        self._waiting: dict[str, collections.deque[_Ticket]] = {}
        self._closed = False
        self._spare: _Worker | None = None  # started, waiting to replace a killed worker
        self._missing = 0  # workers killed and not replaced yet
        self._running: collections.Counter[str] = collections.Counter()  # queries by client
        self._served: dict[str, int] = {}  # client: number of the last grant to it
        self._grants = 0
        self._spawns: queue.Queue = queue.Queue()
        self._spawner = threading.Thread(target=self._spawn_loop, name="igfgraph-spawner")
        self._spawner.daemon = True
        self._spawner.start()
        self._executor = concurrent.futures.ThreadPoolExecutor(
            max_workers=self.size + 2, thread_name_prefix="igfgraph-query"
        )
        self._count = 0

    # -- starting and stopping workers ----------------------------------------------------
    def _spawn_loop(self) -> None:
        while True:
            future = self._spawns.get()
            if future is None:
                return
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(self._start_one())
            except BaseException as exc:  # noqa: BLE001 - handed to the waiting caller
                future.set_exception(exc)

    def _start_one(self) -> _Worker:
        if os.name != "posix":
            msg = "igfgraph serve needs a POSIX system (Linux, macOS); on Windows use WSL"
            raise IGFGraphError(msg)
        if self._closed:
            raise IGFGraphError("the server is stopping")
        ours, theirs = socket.socketpair()
        config = {
            "fd": theirs.fileno(),
            "parent": os.getpid(),
            "isolate": self.isolate,
            "max_memory": self.max_memory,
            "kind": self.kind,
            "location": self.location,
        }
        self._count += 1
        log = subprocess.DEVNULL
        if self.logdir:
            log = open(os.path.join(self.logdir, f"worker-{self._count}.log"), "wb")  # noqa: SIM115
        env = dict(os.environ)
        # The worker imports the igfgraph this server runs, wherever it was imported from.
        root = str(Path(__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        try:
            process = subprocess.Popen(
                [sys.executable, "-m", "igfgraph.endpoint", json.dumps(config)],
                pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=log,
                env=env,
                close_fds=True,
            )
        finally:
            theirs.close()
            if log is not subprocess.DEVNULL:
                log.close()
        conn = Connection(ours.detach())
        worker = _Worker(process, conn)
        with self._lock:
            self._all.add(worker)
        try:
            if not conn.poll(self.start_timeout):
                msg = f"a query worker did not open the store within {self.start_timeout:g} s"
                raise IGFGraphError(msg)
            header = json.loads(conn.recv_bytes(1 << 20))
        except (EOFError, OSError) as exc:
            self._kill(worker)
            if self._closed:
                raise IGFGraphError("the server is stopping") from exc
            msg = "a query worker stopped while opening the store"
            with contextlib.suppress(subprocess.TimeoutExpired):
                if worker.process.wait(5) != 0 and self.max_memory:
                    msg += (
                        f" (exit code {worker.process.returncode}); if --max-memory "
                        f"({self.max_memory // 2**20} MiB) is too small for the store, raise it"
                    )
            raise IGFGraphError(msg) from exc
        except BaseException:
            self._kill(worker)
            raise
        if header["status"] == "isolation":
            self._kill(worker)
            msg = (
                f"cannot start query workers without a network: {header['reason']}. "
                "On this system a query could open network connections if the SPARQL check "
                "were fooled; to serve anyway, pass --no-network-isolation (or "
                "--allow-service, which needs the network)"
            )
            raise IGFGraphError(msg)
        if header["status"] != "ready":
            self._kill(worker)
            msg = f"a query worker cannot open the store: {header.get('reason')}"
            if "MemoryError" in str(header.get("reason")):
                msg += f" (--max-memory is {self.max_memory // 2**20} MiB: raise it)"
            raise IGFGraphError(msg)
        self.triples = header["triples"]
        return worker

    def _spawn(self) -> concurrent.futures.Future:
        future: concurrent.futures.Future = concurrent.futures.Future()
        self._spawns.put(future)
        return future

    def _kill(self, worker: _Worker) -> None:
        with contextlib.suppress(Exception):
            worker.process.kill()
        with contextlib.suppress(Exception):
            worker.process.wait(5)
        with contextlib.suppress(Exception):
            worker.conn.close()
        with self._lock:
            self._all.discard(worker)

    def start(self) -> WorkerPool:
        """Start every worker (each opens the store) and return the pool.

        Raises
        ------
        IGFGraphError
            A worker cannot open the store, or cannot be cut off from the network.
        """
        try:
            futures = [self._spawn() for _ in range(self.size + 1)]
            for future in futures[:-1]:
                self._release(future.result())
            self._spare = futures[-1].result()
        except BaseException:
            self.close()
            raise
        return self

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker; the standby takes its place at once, and a new standby starts."""
        self._kill(worker)
        with self._lock:
            if self._closed:
                return
            spare, self._spare = self._spare, None
            if spare is None:
                self._missing += 1
        if spare is not None:
            self._release(spare)

        def done(future: concurrent.futures.Future) -> None:
            if future.exception() is not None:
                if not self._closed:
                    print(f"igfgraph serve: {future.exception()}", file=sys.stderr, flush=True)
                return
            new = future.result()
            with self._lock:
                standby = self._missing == 0 and self._spare is None and not self._closed
                if standby:
                    self._spare = new
                elif self._missing:
                    self._missing -= 1
            if not standby:
                self._release(new)

        self._spawn().add_done_callback(done)

    # -- handing workers out ----------------------------------------------------------------
    def _submit(self, client: str, job: dict, timeout: float) -> _Ticket:
        """Queue one job; a free worker starts it at once, else the job waits its turn."""
        ticket = _Ticket(client, job, timeout)
        shed = None
        start = None
        with self._lock:
            if self._closed:
                ticket.result.set_result(Reply.error(503, "the server is stopping"))
                return ticket
            if self._idle and not self._waiting:
                ticket.result.set_running_or_notify_cancel()
                self._grant(client)
                start = self._idle.pop()
            else:
                waiting = sum(len(d) for d in self._waiting.values())
                if waiting >= self.max_queue:
                    mine = len(self._waiting.get(client, ()))
                    fullest = max(self._waiting, key=lambda c: len(self._waiting[c]), default=None)
                    if fullest is None or len(self._waiting[fullest]) <= mine + 1:
                        ticket.result.set_result(self._full())
                        return ticket
                    shed = self._waiting[fullest].pop()
                    if not self._waiting[fullest]:
                        del self._waiting[fullest]
                self._waiting.setdefault(client, collections.deque()).append(ticket)
        if shed is not None and shed.result.set_running_or_notify_cancel():
            shed.result.set_result(self._full())
        if start is not None:
            self._executor.submit(self._drive, start, ticket)
        return ticket

    def _grant(self, client: str) -> None:
        """Count a worker given to ``client`` (the lock is held)."""
        self._running[client] += 1
        self._grants += 1
        self._served[client] = self._grants
        if len(self._served) > 4096:  # forget clients with nothing under way
            busy = set(self._waiting) | set(self._running)
            self._served = {c: n for c, n in self._served.items() if c in busy}

    def _ungrant(self, client: str) -> None:
        """Count a query of ``client`` ended (the lock is held)."""
        self._running[client] -= 1
        if self._running[client] <= 0:
            del self._running[client]

    def _next(self) -> _Ticket | None:
        """Take the next waiting job (the lock is held).

        It is the oldest job of the waiting client with the fewest queries running, and
        among those of the client served longest ago (or never).
        """
        while self._waiting:
            client = min(
                self._waiting,
                key=lambda c: (self._running.get(c, 0), self._served.get(c, -1)),
            )
            tickets = self._waiting.pop(client)
            ticket = tickets.popleft()
            if tickets:
                self._waiting[client] = tickets
            if ticket.result.set_running_or_notify_cancel():  # else it gave up waiting
                self._grant(client)
                return ticket
        return None

    def _full(self) -> Reply:
        return Reply.error(
            503,
            f"the server is busy: all {self.size} query workers are running and "
            f"{self.max_queue} queries wait; try again in a few seconds",
            {"Retry-After": str(RETRY_AFTER_S)},
        )

    def _release(self, worker: _Worker) -> None:
        """Put a new or standby worker to work on the next waiting job, or make it idle."""
        with self._lock:
            if self._closed:
                ticket, closing = None, True
            else:
                ticket, closing = self._next(), False
                if ticket is None:
                    self._idle.append(worker)
        if closing:
            self._kill(worker)
        elif ticket is not None:
            self._executor.submit(self._drive, worker, ticket)

    def _drive(self, worker: _Worker, ticket: _Ticket) -> None:
        """Run jobs on ``worker`` in this thread, the next waiting one after each, until none."""
        while True:
            try:
                reply, alive = self._run_on(worker, ticket.job, ticket.timeout)
            except Exception as exc:  # noqa: BLE001 - never leave a client without an answer
                reply, alive = Reply.error(500, f"the endpoint failed: {exc}"), False
            following = None
            with self._lock:
                self._ungrant(ticket.client)
                if alive and not self._closed:
                    following = self._next()
                    if following is None:
                        self._idle.append(worker)
            ticket.result.set_result(reply)
            if not alive or self._closed:
                self._replace(worker)  # kills it; the standby takes the next job
                return
            if following is None:
                return
            ticket = following

    # -- running a job ----------------------------------------------------------------------
    def _run_on(self, worker: _Worker, job: dict, timeout: float) -> tuple[Reply, bool]:
        """Run one job; return the reply and whether the worker may run another."""
        try:
            worker.conn.send_bytes(json.dumps(job).encode("utf-8"))
            if not worker.conn.poll(timeout):
                message = f"the query ran past the time limit of {timeout:g} s and was stopped"
                return Reply.error(503, message), False
            header = json.loads(worker.conn.recv_bytes(1 << 20))
            body = b""
            if header["status"] == "ok":
                body = worker.conn.recv_bytes(job["max_bytes"] + 1)
        except (EOFError, OSError):
            return self._died(worker), False
        if header["status"] == "ok":
            return Reply(200, header["media"], body), True
        return Reply.error(header["code"], header["message"]), True

    def _died(self, worker: _Worker) -> Reply:
        """Say why a worker stopped in the middle of a query (it is replaced by the caller)."""
        if self._closed:
            return Reply.error(503, "the server is stopping", {"Connection": "close"})
        try:
            code = worker.process.wait(5)
        except subprocess.TimeoutExpired:
            code = None
        if code is not None and code < 0 and -code in (signal.SIGABRT, signal.SIGSEGV):
            limit = self.max_memory / 2**20
            return Reply.error(
                503,
                f"the query needed more memory than a query worker may use ({limit:g} MiB, "
                "--max-memory) and was stopped: narrow it (fewer joined patterns, a LIMIT, "
                "no ORDER BY over a cross product)",
            )
        return Reply.error(500, "the query worker stopped unexpectedly")

    def _withdraw(self, ticket: _Ticket) -> bool:
        """Drop a job that gave up waiting; ``False`` when it has started already."""
        if not ticket.result.cancel():
            return False
        with self._lock:
            tickets = self._waiting.get(ticket.client)
            if tickets is not None and ticket in tickets:
                tickets.remove(ticket)
                if not tickets:
                    del self._waiting[ticket.client]
        return True

    def call(
        self, job: dict, timeout: float, *, client: str = "", wait: float | None = None
    ) -> Reply:
        """Run one job on a worker, blocking.

        Parameters
        ----------
        job : dict
            See :func:`igfgraph.endpoint.worker.answer`.
        timeout : float
            Seconds the query may run; its worker is killed (and replaced) past them.
        client : str, default ""
            The client's address (a free worker goes to the client with the fewest
            queries running).
        wait : float, optional
            Seconds to wait for a free worker first (default: ``timeout``, at least 60).

        Returns
        -------
        Reply
            The answer, or an error (503 when no worker came free, the queue is full, or
            the query ran past its time or memory).
        """
        wait = max(timeout, 60.0) if wait is None else wait
        ticket = self._submit(client, job, timeout)
        try:
            return ticket.result.result(wait)
        except concurrent.futures.TimeoutError:
            if self._withdraw(ticket):
                return self._waited(wait)
            return ticket.result.result()

    async def acall(
        self, job: dict, timeout: float, *, client: str = "", wait: float | None = None
    ) -> Reply:
        """Run one job on a worker without blocking the event loop (see :meth:`call`)."""
        wait = max(timeout, 60.0) if wait is None else wait
        ticket = self._submit(client, job, timeout)
        result = asyncio.wrap_future(ticket.result)
        try:
            done, _ = await asyncio.wait([result], timeout=wait)
            if not done:
                if self._withdraw(ticket):
                    return self._waited(wait)
                return await result
            return result.result()
        except asyncio.CancelledError:  # the client went away
            self._withdraw(ticket)
            raise

    def _waited(self, wait: float) -> Reply:
        return Reply.error(
            503,
            f"all {self.size} query workers stayed busy for {wait:g} s; try again later",
            {"Retry-After": str(RETRY_AFTER_S)},
        )

    def close(self) -> None:
        """Stop every worker at once (they only read), and answer waiting requests 503."""
        with self._lock:
            self._closed = True
            workers = list(self._all)
            waiting = [t for d in self._waiting.values() for t in d]
            self._waiting.clear()
            self._idle.clear()
        for ticket in waiting:
            if ticket.result.set_running_or_notify_cancel():
                ticket.result.set_result(Reply.error(503, "the server is stopping"))
        for worker in workers:
            with contextlib.suppress(Exception):
                worker.process.kill()
        for worker in workers:
            self._kill(worker)
        self._spawns.put(None)
        self._executor.shutdown(wait=False, cancel_futures=True)


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
        from igfgraph import cache
        from igfgraph.pipeline import validated_graph, validated_store
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
                graph = _content(content, data, validated_graph)
                Path(location).write_bytes(graph.serialize(format="nt", encoding="utf-8"))
                kind = "memory"
            elif spec.path is None and content is None and cache.cache_enabled():
                # the build cache's store: built once, opened read-only by each worker
                store_path = cache.cached_store_path(data, build=validated_store)
                location, kind = str(store_path), "oxigraph"
            else:
                path = spec.path if spec.path is not None else Path(tempdir) / "store"
                disk = _open_disk(path, content, data, validated_graph)
                del disk
                location, kind = str(path), "oxigraph"
            pool = WorkerPool(
                kind,
                location,
                options.workers,
                isolate=options.isolate_network and not options.allow_service,
                max_memory=options.max_memory,
                max_queue=options.max_queue,
                logdir=tempdir,
            ).start()
        except BaseException:
            shutil.rmtree(tempdir, ignore_errors=True)
            raise
        return cls(pool=pool, options=options, tempdir=tempdir)

    def close(self) -> None:
        """Stop the workers and remove temporary files."""
        self.pool.close()
        if self.tempdir:
            shutil.rmtree(self.tempdir, ignore_errors=True)

    def _job(
        self,
        text: str,
        accept: Iterable[str],
        default_graphs: list[str] | None,
        named_graphs: list[str] | None,
        prologue: bool,
    ) -> dict | Reply:
        """Build a worker's job, or refuse what the HTTP process can tell in linear time."""
        if len(text.encode("utf-8")) > self.options.max_query_bytes:
            return Reply.error(
                413, f"the query is longer than {self.options.max_query_bytes} bytes"
            )
        graphs = (("default-graph-uri", default_graphs), ("named-graph-uri", named_graphs))
        for name, iris in graphs:
            for iri in iris or ():
                try:
                    ox.NamedNode(iri)
                except ValueError as exc:
                    return Reply.error(400, f"{name} {iri!r} is not an absolute IRI: {exc}")
        return {
            "query": text,
            "accept": list(accept),
            "max_rows": self.options.max_rows,
            "max_bytes": self.options.max_bytes,
            "allow_service": self.options.allow_service,
            "default_graphs": default_graphs or None,
            "named_graphs": named_graphs or None,
            "prologue": prologue,
        }

    def run_query(
        self,
        text: str,
        accept: Iterable[str] = (),
        *,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        prologue: bool = True,
        client: str = "",
    ) -> Reply:
        """Check and run one query, blocking.

        The grammar check (updates, ``SERVICE``) runs in the worker, under the time limit
        and the memory cap; here only the size and the graph IRIs are checked.

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
        client : str, default ""
            The client's address (a free worker goes to the client with the fewest running).

        Returns
        -------
        Reply
            The answer or a plain-text error.
        """
        job = self._job(text, accept, default_graphs, named_graphs, prologue)
        if isinstance(job, Reply):
            return job
        return self.pool.call(job, self.options.timeout, client=client)

    async def arun_query(
        self,
        text: str,
        accept: Iterable[str] = (),
        *,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        prologue: bool = True,
        client: str = "",
    ) -> Reply:
        """Check and run one query without blocking the event loop (see :meth:`run_query`)."""
        job = self._job(text, accept, default_graphs, named_graphs, prologue)
        if isinstance(job, Reply):
            return job
        return await self.pool.acall(job, self.options.timeout, client=client)

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
        reply = self.run_query(
            "CONSTRUCT { ?d ?p ?o } WHERE { ?d a void:Dataset ; ?p ?o }",
            ["application/n-triples"],
        )
        if reply.status == 200:
            graph.parse(data=reply.body.decode("utf-8"), format="nt")
        datasets = sorted(set(graph.subjects(RDF.type, VOID.Dataset)))
        reply = self.run_query(
            "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class",
            ["application/sparql-results+json"],
        )
        classes = []
        if reply.status == 200:
            for b in json.loads(reply.body)["results"]["bindings"]:
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
