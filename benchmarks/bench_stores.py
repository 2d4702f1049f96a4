"""Load time per store, and whether each store answers every named query as Oxigraph does.

Usage: python benchmarks/bench_stores.py [--scale 10] [--seed 1] [--repeat 1] [--cap 120]
       [--stores oxigraph,memory,oxigraph-server,virtuoso] [--memory-max-triples 200000]

For the shipped graph (x1) and for a synthetic package ``igfgraph synth --scale N --seed S``
built into a graph (the graph as built, without SHACL validation), it prints the triple
count, the time to load the graph into each store, then one table "query x store": for each
named query (``ontology/queries``, the competency questions that tests/test_stores.py
compares), each store's median time and whether its normalised answer (rows sorted;
plain literals and xsd:string taken as equal) is the same as Oxigraph's (``yes``/``NO``).
A run is capped at ``--cap`` seconds in a forked child (the harness of bench_sparql.py).

Stores: embedded Oxigraph (the reference), rdflib's memory store (skipped above
``--memory-max-triples``: its engine takes minutes per query there), the Oxigraph server and
Virtuoso, both loaded by ``igfgraph push`` (the Graph Store HTTP Protocol) and started on
127.0.0.1 as the tests start them (tests/servers.py). Virtuoso is also timed loading by
SPARQL Update (``method="update"``) on the shipped graph, for comparison. No Fuseki: it is
neither installed nor installable here (no Debian package).
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_sparql  # noqa: E402  (the forked, capped timing harness and its formats)

ALL_STORES = ["oxigraph", "memory", "oxigraph-server", "virtuoso"]
LABELS = {
    "oxigraph": "oxigraph",
    "memory": "memory (rdflib)",
    "oxigraph-server": "Oxigraph server",
    "virtuoso": "Virtuoso",
}
GRAPH = "https://w3id.org/igfgraph/bench-stores"


def graph_of(data: Path | None):
    """Build the graph of a data package (the shipped one when ``None``), unvalidated."""
    from igfgraph.build import build_graph
    from igfgraph.tables import load_tables

    return build_graph(load_tables(data, check=False)).graph


def load(graph, stores: list[str], workdir: Path, memory_max: int, servers_out: list) -> dict:
    """Put ``graph`` in each store; return {store: seconds or a reason it was skipped}."""

    from igfgraph.stores import open_graph, push
    from tests import servers

    notes: dict[str, str] = {}
    bench_sparql.SOURCES.clear()

    def timed(label, fn):
        t0 = time.perf_counter()
        value = fn()
        notes[label] = f"{time.perf_counter() - t0:.2f} s"
        return value

    bench_sparql.SOURCES["oxigraph"] = timed(
        "oxigraph", lambda: open_graph("oxigraph", content=graph)
    )
    if "memory" in stores:
        if len(graph) <= memory_max:
            bench_sparql.SOURCES["memory"] = graph  # already in rdflib's memory store
            notes["memory"] = "0 s (the built graph)"
        else:
            notes["memory"] = f"skipped: {len(graph):,} triples > --memory-max-triples"
    for name, server in bench_sparql.start_servers(stores, workdir, notes):
        servers_out.append(server)
        if name == "virtuoso":
            target = f"sparql:{server.extra['auth_url']}"
            auth = servers.VIRTUOSO_AUTH
            if len(graph) <= 50_000:
                timed(
                    "virtuoso by SPARQL Update",
                    lambda t=target, a=auth: push(
                        graph, t, graph_iri=GRAPH, auth=a, method="update"
                    ),
                )
            result = timed(
                "virtuoso", lambda t=target, a=auth: push(graph, t, graph_iri=GRAPH, auth=a)
            )
            notes["virtuoso"] += f" ({result.method})"
            bench_sparql.SOURCES[name] = open_graph(f"sparql:{server.url}", graph=GRAPH)
        else:
            result = timed("oxigraph-server", lambda s=server: push(graph, f"sparql:{s.url}"))
            notes["oxigraph-server"] += f" ({result.method})"
            bench_sparql.SOURCES[name] = open_graph(f"sparql:{server.url}")
    return notes


def run(title: str, graph, stores: list[str], args, workdir: Path) -> list[str]:
    """Print one graph's load times and query table; return the queries that differ."""
    from igfgraph.queries import load_queries

    print(f"\n=== {title}: {len(graph):,} triples ===", flush=True)
    started: list = []
    try:
        notes = load(graph, stores, workdir, args.memory_max_triples, started)
        print("load: " + "; ".join(f"{k} {v}" for k, v in notes.items()), flush=True)
        present = [s for s in stores if s in bench_sparql.SOURCES]
        names = list(load_queries())
        rows, differ = [], []
        for q in names:
            measured = {s: bench_sparql.measure(s, q, args.repeat, args.cap) for s in present}
            base = measured["oxigraph"][1]
            cells = []
            for s in present:
                t, fp = measured[s]
                if s == "oxigraph":
                    same = f"{base[0]} rows" if base else "?"
                elif fp is None or base is None:
                    same = "?"
                elif fp == base:
                    same = "yes"
                else:
                    same = f"NO ({fp[0]} rows)"
                    differ.append(f"{s}:{q}")
                cells.append(f"{same}, {bench_sparql.fmt_time(t, args.cap)}")
            rows.append([q, *cells])
            print(
                f"  {q}: " + "; ".join(f"{s} {c}" for s, c in zip(present, cells, strict=True)),
                flush=True,
            )
        bench_sparql.print_table(
            f"{title} ({len(graph):,} triples): same answers as Oxigraph? and median time "
            f"of {args.repeat} run(s), each capped at {args.cap:g} s",
            ["query", *[LABELS[s] for s in present]],
            rows,
        )
        print(
            "answers: " + ("every store agrees" if not differ else "DIFFER: " + ", ".join(differ))
        )
        return differ
    finally:
        for server in started:
            server.stop()
        bench_sparql.SOURCES.clear()
        gc.collect()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=10, help="synth scale (default 10)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--cap", type=float, default=120.0, help="seconds allowed per run")
    parser.add_argument("--stores", default=",".join(ALL_STORES))
    parser.add_argument("--memory-max-triples", type=int, default=200_000)
    parser.add_argument("--skip-shipped", action="store_true")
    args = parser.parse_args()
    stores = [s for s in args.stores.split(",") if s]
    if set(stores) - set(ALL_STORES) or "oxigraph" not in stores:
        parser.error(f"--stores: a list from {', '.join(ALL_STORES)}, oxigraph included")

    import platform

    import pyoxigraph
    import rdflib

    from igfgraph.synth import write_synth

    print(
        f"machine: {platform.machine()}, {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, pyoxigraph {pyoxigraph.__version__}, "
        f"rdflib {rdflib.__version__}"
    )
    with tempfile.TemporaryDirectory(prefix="igfgraph-bench-stores-") as tmp:
        workdir = Path(tmp)
        if not args.skip_shipped:
            run("shipped data (x1)", graph_of(None), stores, args, workdir)
        t0 = time.perf_counter()
        write_synth(workdir / "synth", args.scale, args.seed)
        graph = graph_of(workdir / "synth")
        print(f"\nsynth x{args.scale:g} (seed {args.seed}) generated and built in "
              f"{time.perf_counter() - t0:.1f} s")  # fmt: skip
        run(f"synth x{args.scale:g}, seed {args.seed}", graph, stores, args, workdir)


if __name__ == "__main__":
    main()
