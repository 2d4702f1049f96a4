"""SPARQL servers for the tests: the Oxigraph server, Virtuoso and ``igfgraph serve``.

Each server is started on 127.0.0.1 on a free port in a temporary folder, and stopped
(its whole process group, by id) when the session ends. Bind the session fixtures to
module-level names in a test module::

    from tests import servers

    oxigraph_server = servers.oxigraph_server  # session fixture: a Server
    virtuoso_server = servers.virtuoso_server

A missing server makes the test skip with a message saying what to install, or fail
when ``IGFGRAPH_REQUIRE_SERVERS=1`` (as ``.ci/run`` sets).

* Oxigraph: the ``oxigraph`` command from PyPI (``pip install oxigraph``, in the ``dev``
  extra): ``oxigraph serve --location DIR --bind 127.0.0.1:PORT``.
* Virtuoso: Debian's ``virtuoso-opensource`` (``virtuoso-t``), with a configuration
  written here that binds both its SQL and HTTP ports to 127.0.0.1 and raises
  ``ResultSetMaxRows`` (whose default, 10,000, silently truncates results). igfgraph loads
  it through the digest-authenticated ``/sparql-auth`` endpoint (user ``dba``, password
  ``dba`` in a fresh database; ``push`` PUTs the graph to the Graph Store endpoint beside it,
  ``/sparql-graph-crud-auth``) and queries the anonymous ``/sparql``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

import pytest
import requests

from igfgraph.localserver import free_port, oxigraph_command, stop_process_group

REQUIRE_ENV = "IGFGRAPH_REQUIRE_SERVERS"
MISSING_OXIGRAPH = (
    "the Oxigraph server is not installed: pip install oxigraph (it is in the dev extra)"
)
MISSING_VIRTUOSO = (
    "Virtuoso is not installed: apt-get install virtuoso-opensource (Debian), "
    "which provides virtuoso-t"
)
#: Named graph the tests load into Virtuoso (its default graph is the union of all graphs).
VIRTUOSO_GRAPH = "https://w3id.org/igfgraph/test-graph"
VIRTUOSO_AUTH = "dba:dba"


def server_unavailable(message: str) -> NoReturn:
    """Skip the test, or fail it when ``IGFGRAPH_REQUIRE_SERVERS=1`` (as CI sets)."""
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@dataclass
class Server:
    """A server process the tests started."""

    name: str
    process: subprocess.Popen
    url: str  # the SPARQL query endpoint
    folder: Path
    log: Path
    extra: dict = field(default_factory=dict)

    def stop(self) -> None:
        """Stop the server's process group (started in a session of its own)."""
        stop_process_group(self.process)

    def log_tail(self) -> str:
        """Return the end of the server's log, for failure messages."""
        try:
            return self.log.read_text(errors="replace")[-2000:]
        except OSError:
            return ""


def _start(name: str, argv: list[str], folder: Path, url: str, probe: str, wait_s: float) -> Server:
    log = folder / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            argv,
            cwd=folder,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(name, process, url, folder, log)
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        with contextlib.suppress(requests.RequestException):
            if requests.get(probe, timeout=5).status_code < 500:
                return server
        time.sleep(0.3)
    server.stop()
    raise RuntimeError(f"{name} did not start within {wait_s:g} s:\n{server.log_tail()}")


def start_oxigraph(folder: Path) -> Server:
    """Start ``oxigraph serve`` on a free loopback port, storing into ``folder``."""
    command = oxigraph_command()
    if command is None:
        server_unavailable(MISSING_OXIGRAPH)
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    argv = [command, "serve", "--location", str(folder / "db"), "--bind", f"127.0.0.1:{port}"]
    return _start("oxigraph", argv, folder, f"{base}/query", f"{base}/query?query=ASK%7B%7D", 60)


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {d}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
AllowOSCalls = 0

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {d}/vsp
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8
EnabledDavVSP = 0
HTTPProxyEnabled = 0

[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = 600
MaxQueryCostEstimationTime = 600
"""


def virtuoso_command() -> str | None:
    """Return ``virtuoso-t`` if Virtuoso is installed."""
    return shutil.which("virtuoso-t")


def start_virtuoso(folder: Path) -> Server:
    """Start Virtuoso with both ports on 127.0.0.1 and a fresh database in ``folder``."""
    command = virtuoso_command()
    if command is None:
        server_unavailable(MISSING_VIRTUOSO)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "vsp").mkdir(exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(d=folder, sql_port=sql_port, http_port=http_port))
    base = f"http://127.0.0.1:{http_port}"
    argv = [command, "+configfile", str(ini), "+foreground"]
    server = _start(
        "virtuoso", argv, folder, f"{base}/sparql", f"{base}/sparql?query=ASK%7B%7D", 120
    )
    server.extra.update(auth_url=f"{base}/sparql-auth", sql_port=sql_port)
    return server


@pytest.fixture(scope="session")
def shipped_graph(shipped_built):
    """The validated shipped graph (an rdflib graph)."""
    return shipped_built.graph


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory, shipped_built) -> Iterator[Server]:
    """An Oxigraph server holding the shipped graph in its default graph."""
    from igfgraph.stores import push

    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph-server"))
    try:
        push(shipped_built.graph, f"sparql:{server.url}")
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory, shipped_built) -> Iterator[Server]:
    """A Virtuoso server holding the shipped graph in :data:`VIRTUOSO_GRAPH`."""
    from igfgraph.stores import push

    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    try:
        push(
            shipped_built.graph,
            f"sparql:{server.extra['auth_url']}",
            graph_iri=VIRTUOSO_GRAPH,
            auth=VIRTUOSO_AUTH,
        )
        yield server
    finally:
        server.stop()


def start_endpoint(
    folder: Path, *args: str, reach: str | None = None, prefix: tuple[str, ...] = ()
) -> Server:
    """Start ``igfgraph serve --port 0 ARGS`` and read the address it announces.

    ``reach`` replaces the announced host in the server's URL (for a ``0.0.0.0`` bind,
    which the tests reach on ``127.0.0.1`` only); ``prefix`` is a command that runs the
    server (such as ``unshare …``).
    """
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "serve.log"
    argv = [*prefix, sys.executable, "-m", "igfgraph", "serve", "--port", "0", "--quiet", *args]
    with log.open("wb") as out:
        process = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    server = Server("igfgraph serve", process, "", folder, log)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and process.poll() is None:
        for line in log.read_text(errors="replace").splitlines():
            if "SPARQL endpoint at " in line:
                server.url = line.split("SPARQL endpoint at ", 1)[1].split()[0]
                if reach:
                    port = server.url.rsplit(":", 1)[1]
                    server.url = f"http://{reach}:{port}"
                with contextlib.suppress(requests.RequestException):
                    requests.get(server.url, params={"query": "ASK {}"}, timeout=30)
                    return server
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"igfgraph serve did not start:\n{server.log_tail()}")


#: Limits of the test endpoint: short enough for the timeout test, large enough for every
#: named query on the shipped data.
ENDPOINT_TIMEOUT_S = 4
ENDPOINT_MAX_ROWS = 5000
ENDPOINT_MAX_BYTES = 3_000_000


@pytest.fixture(scope="session")
def endpoint_store(tmp_path_factory, shipped_built) -> Path:
    """An on-disk Oxigraph store of the shipped graph, for ``serve --store oxigraph:PATH``.

    Built once, so that the tests that need an endpoint with other options start it in
    seconds (the workers open it read-only).
    """
    import pyoxigraph as ox

    path = tmp_path_factory.mktemp("endpoint-store") / "store"
    store = ox.Store(str(path))
    store.load(
        shipped_built.graph.serialize(format="nt", encoding="utf-8"),
        format=ox.RdfFormat.N_TRIPLES,
    )
    store.flush()
    del store
    return path


@pytest.fixture(scope="session")
def igfgraph_endpoint(tmp_path_factory) -> Iterator[Server]:
    """``igfgraph serve`` over the shipped data (Oxigraph workers), on a free port."""
    server = start_endpoint(
        tmp_path_factory.mktemp("igfgraph-serve"),
        "--timeout", str(ENDPOINT_TIMEOUT_S), "--max-rows", str(ENDPOINT_MAX_ROWS),
        "--max-bytes", str(ENDPOINT_MAX_BYTES),
    )  # fmt: skip
    try:
        yield server
    finally:
        server.stop()
