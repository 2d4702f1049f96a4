"""Limits and switches of ``igfgraph serve``, and the endpoint's fixed constants."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
_LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
#: Longest request target (path and query string) answered; longer ones get 414.
MAX_URL_BYTES = 64 * 1024
#: Longest request head uvicorn reads before it gives up on a connection (400 and close).
_MAX_HEAD_BYTES = 1024 * 1024
#: Seconds a client told 503 (queue full) is asked to wait before trying again.
RETRY_AFTER_S = 5


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
