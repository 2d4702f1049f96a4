"""The worker pool of ``igfgraph serve``: query workers handed out fairly per client."""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import contextlib
import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

from igfgraph.endpoint.options import RETRY_AFTER_S
from igfgraph.exceptions import IGFGraphError

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
        # glibc reserves 64 MiB of address space per malloc arena and makes up to 8 per core
        # as threads contend: under load, Oxigraph's threads could push a worker past its
        # RLIMIT_AS cap while opening the store (abort, exit -6) with little memory in use.
        # Two arenas keep the cap a measure of memory, not of contention.
        env.setdefault("MALLOC_ARENA_MAX", "2")
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
