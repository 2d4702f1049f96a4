"""What a query worker does to itself before it reads a query: no network, bounded, mortal.

Linux only, through the C library (Python 3.11 has no ``os.unshare``):

* :func:`die_with_parent` — ``prctl(PR_SET_PDEATHSIG, SIGKILL)``: the kernel kills the
  worker when the thread that started it ends, ``kill -9`` of the server included.
* :func:`cut_network` — ``unshare(CLONE_NEWNET)`` (with ``CLONE_NEWUSER`` first when not
  root): the worker moves to a network namespace of its own, which holds only a loopback
  interface that is down, so no socket it opens (Python's or the engine's own Rust
  client) can reach any address, the host's loopback services included. It must run
  while the process has a single thread.
* :func:`cap_memory` — ``setrlimit(RLIMIT_AS)``: past the cap an allocation fails, and the
  engine aborts the worker (the server reports it).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys

__all__ = ["IsolationError", "cap_memory", "cut_network", "die_with_parent"]

_PR_SET_PDEATHSIG = 1
_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000


class IsolationError(OSError):
    """The operating system refused to isolate the worker (the message says why)."""


def _libc():
    if not sys.platform.startswith("linux"):
        msg = f"network namespaces are a Linux feature (this is {sys.platform})"
        raise IsolationError(msg)
    return ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)


def die_with_parent(parent_pid: int) -> None:
    """Ask the kernel to SIGKILL this process when its parent ends (Linux).

    Parameters
    ----------
    parent_pid : int
        The server's process id; if the parent is already gone (the server died while
        this process started), exit at once.

    Raises
    ------
    IsolationError
        Not Linux, or ``prctl`` failed.
    """
    libc = _libc()
    if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        err = ctypes.get_errno()
        raise IsolationError(err, f"prctl(PR_SET_PDEATHSIG) failed: {os.strerror(err)}")
    if os.getppid() != parent_pid:
        os._exit(0)


def cut_network() -> None:
    """Move this process into a new, empty network namespace (Linux).

    Raises
    ------
    IsolationError
        Not Linux, or the kernel refused both ``unshare(CLONE_NEWNET)`` and
        ``unshare(CLONE_NEWUSER | CLONE_NEWNET)`` (unprivileged user namespaces switched
        off, or a seccomp policy of a container); the message names the error.
    """
    libc = _libc()
    if libc.unshare(_CLONE_NEWNET) == 0:
        return
    first = ctypes.get_errno()
    if libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET) == 0:
        return
    second = ctypes.get_errno()
    msg = (
        f"unshare(CLONE_NEWNET) failed ({os.strerror(first)}) and so did "
        f"unshare(CLONE_NEWUSER|CLONE_NEWNET) ({os.strerror(second)})"
    )
    raise IsolationError(second, msg)


def cap_memory(max_bytes: int) -> None:
    """Cap this process's address space at ``max_bytes`` (``RLIMIT_AS``).

    Parameters
    ----------
    max_bytes : int
        Bytes; 0 leaves the limit alone.

    Raises
    ------
    IsolationError
        The limit cannot be set (not a POSIX system, or above a hard limit).
    """
    if max_bytes <= 0:
        return
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (max_bytes, max_bytes))
    except (ImportError, ValueError, OSError) as exc:
        msg = f"cannot cap the worker's memory at {max_bytes} bytes: {exc}"
        raise IsolationError(msg) from exc
