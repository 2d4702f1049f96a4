"""A SPARQL server of one's own on loopback: ``oxigraph serve`` started and stopped from Python.

For notebooks and demonstrations of querying a *remote* endpoint without one: the Oxigraph
server (``pip install oxigraph``, in the ``dev`` extra) listens on ``127.0.0.1`` only, on a
free port, storing into a temporary folder that :meth:`LocalOxigraph.stop` removes.
:func:`igfgraph.stores.push` loads the graph into it and ``sparql:`` stores query it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from igfgraph.exceptions import IGFGraphError

__all__ = ["LocalOxigraph", "free_port", "oxigraph_command", "start_oxigraph", "stop_process_group"]


def oxigraph_command() -> str | None:
    """Return the ``oxigraph`` server command beside this Python, or on ``PATH`` (else None)."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("oxigraph")


@dataclass
class LocalOxigraph:
    """An ``oxigraph serve`` process on loopback (a context manager: it stops on exit).

    Attributes
    ----------
    base : str
        ``http://127.0.0.1:PORT``.
    process : subprocess.Popen
    folder : pathlib.Path
        Its temporary storage, removed by :meth:`stop`.
    """

    base: str
    process: subprocess.Popen
    folder: Path
    _stopped: bool = field(default=False, repr=False)

    @property
    def query_url(self) -> str:
        """The SPARQL 1.1 query endpoint (``BASE/query``)."""
        return f"{self.base}/query"

    @property
    def store(self) -> str:
        """The ``sparql:`` store name for :func:`igfgraph.stores.open_graph` and ``push``."""
        return f"sparql:{self.query_url}"

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 15 s) and remove its folder."""
        if self._stopped:
            return
        stop_process_group(self.process)
        shutil.rmtree(self.folder, ignore_errors=True)
        self._stopped = True

    def __enter__(self) -> LocalOxigraph:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def stop_process_group(process: subprocess.Popen, wait_s: float = 15.0) -> None:
    """Stop a process started in a session of its own: SIGTERM to its group, then SIGKILL.

    Parameters
    ----------
    process : subprocess.Popen
        Started with ``start_new_session=True``.
    wait_s : float
        Seconds to wait after each signal.
    """
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(wait_s)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(wait_s)


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_oxigraph(*, wait_s: float = 60.0) -> LocalOxigraph:
    """Start ``oxigraph serve`` on a free port of ``127.0.0.1``, in a temporary folder.

    Parameters
    ----------
    wait_s : float, default 60
        Seconds to wait for the server to answer ``ASK {}``.

    Returns
    -------
    LocalOxigraph
        The running server; call :meth:`LocalOxigraph.stop` (or use ``with``) when done.

    Raises
    ------
    igfgraph.exceptions.IGFGraphError
        The ``oxigraph`` command is not installed (``pip install oxigraph``) or the server
        did not answer in time (its log is in the message).
    """
    command = oxigraph_command()
    if command is None:
        msg = "the Oxigraph server is not installed: pip install oxigraph (in igfgraph's dev extra)"
        raise IGFGraphError(msg)
    folder = Path(tempfile.mkdtemp(prefix="igfgraph-oxigraph-"))
    port = free_port()
    log = (folder / "server.log").open("wb")
    argv = [command, "serve", "--location", str(folder / "db"), "--bind", f"127.0.0.1:{port}"]
    process = subprocess.Popen(
        argv, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    log.close()
    server = LocalOxigraph(f"http://127.0.0.1:{port}", process, folder)
    deadline = time.monotonic() + wait_s
    probe = f"{server.query_url}?query=ASK%7B%7D"
    while time.monotonic() < deadline and process.poll() is None:
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(probe, timeout=5) as answer:  # noqa: S310 (loopback)
                if answer.status < 500:
                    return server
        time.sleep(0.3)
    text = (folder / "server.log").read_text(errors="replace")[-2000:]
    server.stop()
    msg = f"the Oxigraph server did not start within {wait_s:g} s:\n{text}"
    raise IGFGraphError(msg)
