"""Time the named queries in every store, on the shipped graph and on one 100x larger.

Usage: .venv/bin/python benchmarks/bench_sparql.py [--scale 100] [--repeat 3] [--cap 120]
       [--stores pyoxigraph,oxigraph,oxigraph-disk,memory,oxigraph-server,virtuoso]

For each graph it prints the median query time per store and named query, then the ratio
of each store's time to raw pyoxigraph's (``Store.query`` on a pyoxigraph store, rows
read out) and to rdflib's memory store, measured in the same run. Every run is capped
(default 120 s): it runs in a forked child that is killed at the cap and reported as
"> 120 s". Each store's answers are checked against raw pyoxigraph's (rows normalised and
sorted); a difference is printed.

The synthetic graph is the shipped graph copied ``--scale`` times: every instance IRI
(``…/id/…``) gets a copy suffix, while the ontology is kept once, so each copy is a
separate landscape and a query's answer grows with the copies (curated ids, such as
``dc-gender``, stay the same literals in every copy). The SPARQL servers (Oxigraph server
from PyPI, Virtuoso from Debian) are started on 127.0.0.1 when installed, as the tests
do (tests/servers.py), and skipped otherwise.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import multiprocessing
import statistics
import tempfile
import time
from pathlib import Path

from _harness import fmt_ratio, text_table
from _harness import fmt_seconds as fmt_time
from _harness import replicate_nt as synthetic

ALL_STORES = ["pyoxigraph", "oxigraph", "oxigraph-disk", "memory", "oxigraph-server", "virtuoso"]
LABELS = {
    "pyoxigraph": "pyoxigraph (raw)",
    "oxigraph": "oxigraph",
    "oxigraph-disk": "oxigraph:PATH",
    "memory": "memory (rdflib)",
    "oxigraph-server": "sparql: Oxigraph server",
    "virtuoso": "sparql: Virtuoso",
    "default": "default store (build cache)",
}
PARAMS = {
    "dcs-by-theme": {"theme": "human-rights"},
    "themes-of-body": {"body": "dc-gender"},
    "dcs-without-session": {"year": "2021"},
    "source-of-fact": {"subject": "id:dc/dc3"},
    "recommendations-and-bodies": {"body": "egm"},
}
VIRTUOSO_GRAPH = "https://w3id.org/igfgraph/bench"


def fingerprint(result) -> tuple[int, str]:
    import pyoxigraph as ox

    xsd_string = "http://www.w3.org/2001/XMLSchema#string"

    def term(t):
        if t is None:
            return ""
        if isinstance(t, ox.Literal) and not t.language and t.datatype.value == xsd_string:
            return f'"{t.value}"'
        return str(t)

    rows = sorted("\t".join(term(t) for t in row) for row in result.rows)
    return len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest()[:12]


# Filled in the parent before forking; the children read them.
SOURCES: dict = {}


def _raw(store, text):
    """Raw pyoxigraph: run the query and read every value out, nothing else."""
    result = store.query(text)
    variables = [v.value for v in result.variables]
    rows = [[s[v] for v in variables] for s in result]

    class R:
        pass

    r = R()
    r.rows = rows
    return r


def _child(conn, store_name: str, query_name: str, repeat: int) -> None:
    from igfgraph.queries import named_query
    from igfgraph.sparql import PROLOGUE

    q = named_query(query_name)
    text = q.render(PARAMS.get(query_name))
    source = SOURCES[store_name]
    if store_name == "oxigraph-disk":
        from igfgraph.stores import open_graph

        source = open_graph(f"oxigraph:{source}")
    elif store_name == "default":  # as every command opens it: the build cache of a folder
        from igfgraph.pipeline import open_graph

        source = open_graph(data=source)
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        if store_name == "pyoxigraph":
            result = _raw(source, PROLOGUE + text)
        else:
            result = q.run(source, PARAMS.get(query_name))
        times.append(time.perf_counter() - t0)
        conn.send(("partial", times[-1]))
    conn.send(("done", statistics.median(times), fingerprint(result)))


def measure(store_name: str, query_name: str, repeat: int, cap: float):
    """Median seconds (None when capped) and the answer's fingerprint."""
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(child, store_name, query_name, repeat))
    process.start()
    child.close()
    deadline = time.monotonic() + cap
    done = []
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not parent.poll(left):
                if done:  # at least one run finished within the cap: report its time
                    return statistics.median(done), None
                return None, None
            msg = parent.recv()
            if msg[0] == "partial":
                done.append(msg[1])
                deadline = time.monotonic() + cap  # each run has its own cap
            else:
                return msg[1], msg[2]
    except EOFError:
        return float("nan"), None
    finally:
        if process.is_alive():
            process.kill()
        process.join()


def print_table(title: str, header: list[str], rows: list[list[str]]) -> None:
    print(f"\n{title}")
    print(text_table(header, rows))


def prepare(nt: bytes, stores: list[str], workdir: Path, cap: float) -> dict[str, str]:
    """Load the graph into each store; return the time each took (or why it was skipped)."""
    import pyoxigraph as ox
    from rdflib import Graph

    from igfgraph.stores import open_graph, push

    notes: dict[str, str] = {}
    SOURCES.clear()
    rdflib_graph = None

    def timed(label, fn):
        t0 = time.perf_counter()
        value = fn()
        notes[label] = f"{time.perf_counter() - t0:.2f} s"
        return value

    if "pyoxigraph" in stores:

        def raw():
            store = ox.Store()
            store.bulk_load(nt, format=ox.RdfFormat.N_TRIPLES)
            return store

        SOURCES["pyoxigraph"] = timed("pyoxigraph", raw)
    needs_rdflib = {"memory", "oxigraph", "oxigraph-disk", "oxigraph-server", "virtuoso"}
    if needs_rdflib & set(stores):
        rdflib_graph = timed("rdflib parse", lambda: Graph().parse(data=nt, format="nt"))
    if "memory" in stores:
        SOURCES["memory"] = rdflib_graph
    if "oxigraph" in stores:
        SOURCES["oxigraph"] = timed(
            "oxigraph", lambda: open_graph("oxigraph", content=rdflib_graph)
        )
    if "oxigraph-disk" in stores:
        path = Path(tempfile.mkdtemp(dir=workdir)) / "store"
        built = timed(
            "oxigraph-disk build", lambda: open_graph(f"oxigraph:{path}", content=rdflib_graph)
        )
        del built
        gc.collect()
        timed("oxigraph-disk reopen", lambda: open_graph(f"oxigraph:{path}"))
        SOURCES["oxigraph-disk"] = str(path)
    if {"oxigraph-server", "virtuoso"} & set(stores):
        from tests import servers

        for name, server in start_servers(stores, workdir, notes):
            SERVERS.append(server)
            if name == "virtuoso":
                timed(
                    "virtuoso load",
                    lambda s=server: push(
                        rdflib_graph,
                        f"sparql:{s.extra['auth_url']}",
                        graph_iri=VIRTUOSO_GRAPH,
                        auth=servers.VIRTUOSO_AUTH,
                    ),
                )
                SOURCES[name] = open_graph(f"sparql:{server.url}", graph=VIRTUOSO_GRAPH)
            else:
                timed(
                    "oxigraph-server load", lambda s=server: push(rdflib_graph, f"sparql:{s.url}")
                )
                SOURCES[name] = open_graph(f"sparql:{server.url}")
    return notes


def start_servers(stores: list[str], workdir: Path, notes: dict[str, str]):
    """Start each SPARQL server among ``stores`` as the tests do (tests/servers.py).

    Yields ``(name, server)`` for the Oxigraph server and Virtuoso when asked for; a server
    that cannot start is skipped with the reason in ``notes[name]``.
    """
    import pytest

    from tests import servers

    for name, start in (
        ("oxigraph-server", servers.start_oxigraph),
        ("virtuoso", servers.start_virtuoso),
    ):
        if name not in stores:
            continue
        try:
            server = start(Path(tempfile.mkdtemp(dir=workdir)))
        except (pytest.skip.Exception, pytest.fail.Exception, RuntimeError) as exc:
            notes[name] = f"skipped: {str(exc).splitlines()[0]}"
            continue
        yield name, server


SERVERS: list = []


def run_graph(title: str, nt: bytes, stores: list[str], repeat: int, cap: float, workdir: Path):
    from igfgraph.queries import load_queries

    print(f"\n=== {title} ===")
    notes = prepare(nt, stores, workdir, cap)
    print("loading: " + "; ".join(f"{k} {v}" for k, v in notes.items()))
    present = [s for s in stores if s in SOURCES]
    names = list(load_queries())
    times: dict[tuple[str, str], float | None] = {}
    prints: dict[tuple[str, str], tuple | None] = {}
    for q in names:
        for s in present:
            t, fp = measure(s, q, repeat, cap)
            times[s, q], prints[s, q] = t, fp
        base = prints.get(("pyoxigraph", q))
        rows = base[0] if base else "?"
        line = "  ".join(f"{s} {fmt_time(times[s, q], cap)}" for s in present)
        print(f"  {q} ({rows} rows): {line}", flush=True)
    header = ["query", *[LABELS[s] for s in present]]
    print_table(
        f"{title}: median of {repeat} runs, each capped at {cap:g} s",
        header,
        [[q, *[fmt_time(times[s, q], cap) for s in present]] for q in names],
    )
    if "pyoxigraph" in present:
        print_table(
            f"{title}: time / raw pyoxigraph's",
            header,
            [
                [q, *[fmt_ratio(times[s, q], times["pyoxigraph", q]) for s in present]]
                for q in names
            ],
        )
    if "memory" in present:
        print_table(
            f"{title}: time / rdflib memory store's",
            header,
            [[q, *[fmt_ratio(times[s, q], times["memory", q]) for s in present]] for q in names],
        )
    differ = [
        f"{s}:{q}"
        for q in names
        for s in present
        if prints[s, q]
        and prints.get(("pyoxigraph", q))
        and prints[s, q] != prints["pyoxigraph", q]
    ]
    print("\nanswers: " + ("all stores agree" if not differ else "DIFFER in " + ", ".join(differ)))
    for server in SERVERS:
        server.stop()
    SERVERS.clear()
    SOURCES.clear()
    gc.collect()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100, help="copies in the synthetic graph")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cap", type=float, default=120.0, help="seconds allowed per run")
    parser.add_argument("--stores", default=",".join(ALL_STORES))
    parser.add_argument("--skip-shipped", action="store_true")
    args = parser.parse_args()
    stores = [s for s in args.stores.split(",") if s]
    unknown = set(stores) - set(ALL_STORES)
    if unknown:
        parser.error(f"unknown stores: {', '.join(sorted(unknown))}")

    from igfgraph.pipeline import build_validated
    from igfgraph.stores import _ntriples

    nt, count = _ntriples(build_validated().graph)
    with tempfile.TemporaryDirectory(prefix="igfgraph-bench-") as tmp:
        workdir = Path(tmp)
        if not args.skip_shipped:
            run_graph(
                f"shipped graph ({count:,} triples)", nt, stores, args.repeat, args.cap, workdir
            )
        big = synthetic(nt, args.scale)
        big_count = big.count(b"\n")
        run_graph(
            f"synthetic graph, {args.scale}x ({big_count:,} triples)",
            big,
            stores,
            args.repeat,
            args.cap,
            workdir,
        )


if __name__ == "__main__":
    main()
