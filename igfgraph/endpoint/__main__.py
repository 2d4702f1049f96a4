"""Entry point of a query worker: ``python -m igfgraph.endpoint CONFIG_JSON``.

Started by :class:`igfgraph.endpoint.pool.WorkerPool`, never by hand. The worker binds itself to
the server's life, leaves the network (unless the server allows ``SERVICE``) and caps its
memory, all before it imports the engine or starts a thread, then answers queries on the
socket it was given.
"""

from __future__ import annotations

import json
import os
import signal
import sys


def _main() -> None:
    config = json.loads(sys.argv[1])
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    from multiprocessing.connection import Connection

    from igfgraph.endpoint.isolation import (
        IsolationError,
        cap_memory,
        cut_network,
        die_with_parent,
    )

    conn = Connection(config["fd"])
    try:
        die_with_parent(config["parent"])
    except IsolationError as exc:
        if config["isolate"]:
            conn.send_bytes(json.dumps({"status": "isolation", "reason": str(exc)}).encode())
            return
    try:
        if config["isolate"]:
            cut_network()
        cap_memory(config["max_memory"])
    except IsolationError as exc:
        conn.send_bytes(json.dumps({"status": "isolation", "reason": str(exc)}).encode())
        return
    from igfgraph.endpoint.worker import run

    run(conn, config)


if __name__ == "__main__":
    try:
        _main()
    except (EOFError, BrokenPipeError, ConnectionResetError):
        os._exit(0)
