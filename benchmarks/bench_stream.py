"""Peak memory of writing a large SELECT answer: materialised (the previous writer) vs streamed.

Usage: .venv/bin/python benchmarks/bench_stream.py [--rows 10000000] [--fmt csv]
       [--out /dev/null]

A hand-made graph of ``ceil(sqrt(ROWS))`` subjects is crossed with itself
(``SELECT ?a ?b WHERE { ?a ex:p ex:T . ?b ex:p ex:T }``, LIMIT ROWS) and the answer is
written to ``--out`` in two ways, each in a fresh child process:

* ``old``  — what ``igfgraph query`` did before: every solution read into a list
  (``igfgraph.sparql.query``), the whole document built as one string
  (``igfgraph.results.write_results``), then written;
* ``new``  — what it does now: the solutions drawn lazily (``query(..., lazy=True)``)
  and each piece of ``igfgraph.results.iter_results`` written as it comes.

For each it prints the wall and CPU time, the bytes written and the child's peak resident
set size (``ru_maxrss``), with the baseline of a child that only builds the graph. Both
write the same bytes (checked by a SHA-256 when ``--out`` is a file).
"""

from __future__ import annotations

import argparse
import hashlib
import math
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

EX = "http://example.org/"


def _store(rows: int):
    import pyoxigraph as ox

    n = math.isqrt(rows - 1) + 1 if rows > 1 else 1
    store = ox.Store()
    p, t = ox.NamedNode(EX + "p"), ox.NamedNode(EX + "T")
    store.extend([ox.Quad(ox.NamedNode(f"{EX}s{i}"), p, t) for i in range(n)])
    return store


def _query(rows: int) -> str:
    return f"SELECT ?a ?b WHERE {{ ?a <{EX}p> <{EX}T> . ?b <{EX}p> <{EX}T> }} LIMIT {rows}"


def _child(mode: str, rows: int, fmt: str, out: str, pipe_w: int) -> None:
    from igfgraph.results import iter_results, write_results
    from igfgraph.sparql import query

    store = _store(rows)
    start, cpu = time.perf_counter(), time.process_time()
    digest, size = hashlib.sha256(), 0
    with open(out, "wb") as fh:
        if mode == "old":
            data = write_results(query(store, _query(rows), prefixes=False), fmt).encode()
            fh.write(data)
            digest.update(data)
            size = len(data)
        elif mode == "new":
            for piece in iter_results(query(store, _query(rows), prefixes=False, lazy=True), fmt):
                data = piece.encode()
                fh.write(data)
                digest.update(data)
                size += len(data)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    os.write(pipe_w, f"{wall} {cpu} {size} {peak} {digest.hexdigest()}".encode())
    os._exit(0)


def run(mode: str, rows: int, fmt: str, out: str) -> list[str]:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        try:
            _child(mode, rows, fmt, out, write)
        finally:
            os._exit(1)
    os.close(write)
    os.waitpid(pid, 0)
    with os.fdopen(read, "rb") as fh:
        return fh.read().decode().split()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--fmt", choices=["csv", "tsv", "json", "xml"], default="csv")
    parser.add_argument("--out", default=os.devnull)
    args = parser.parse_args()
    print(f"{args.rows:,} rows of a cross product as {args.fmt} to {args.out}")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'writer':<10} {'wall s':>8} {'cpu s':>8} {'bytes':>14} {'peak RSS MiB':>13}")
    digests = {}
    for mode in ("baseline", "new", "old"):
        wall, cpu, size, peak, digest = run(mode, args.rows, args.fmt, args.out)
        digests[mode] = digest
        print(
            f"{mode:<10} {float(wall):>8.2f} {float(cpu):>8.2f} {int(size):>14,} "
            f"{int(peak) / 1024:>13.1f}"
        )
    print("same bytes:", digests["old"] == digests["new"])


if __name__ == "__main__":
    main()
