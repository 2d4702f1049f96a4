"""Validation, build cache and start-up times on a data package (run on demand; prints figures).

Prints, with the triple count of the graph: the table checks, the build, SHACL validation by
the fast path (igfgraph.fastshacl: SPARQL constraints once each in Oxigraph, core
constraints in pySHACL) and by plain pySHACL (the reference; ``--no-pyshacl`` skips it, it
takes tens of seconds), a cold build into an empty cache, a cached open, and
``igfgraph --help`` in a fresh process. Each figure is the median of ``--repeat`` runs, as
wall time and as CPU time (user + system, children included): on a shared machine the
CPU time is the steadier measure of the work.

``--replicate N`` also times the fast path on the graph with its instance data copied N
times (every IRI under ``https://w3id.org/igfgraph/id/`` renamed per copy, the ontology
once): a rough check that validation grows linearly with the data, not with its square.

Usage: python benchmarks/bench_validate.py [--data DIR] [--repeat N] [--no-pyshacl]
       [--replicate N ...]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from _harness import ROOT, replicate_nt, timed


def replicated(graph, copies: int):
    """The graph with its instance data ``copies`` times (:func:`_harness.replicate_nt`)."""
    from rdflib import Graph

    nt = graph.serialize(format="nt", encoding="utf-8")
    return Graph().parse(data=replicate_nt(nt, copies), format="nt")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=None, help="data folder (default: shipped)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-pyshacl", action="store_true", help="skip the plain pySHACL run")
    parser.add_argument("--replicate", type=int, nargs="*", default=[], metavar="N")
    args = parser.parse_args()
    os.environ["IGFGRAPH_CACHE_DIR"] = tempfile.mkdtemp(prefix="igfgraph-bench-cache-")
    os.environ.pop("IGFGRAPH_NO_CACHE", None)

    from igfgraph import cache
    from igfgraph.build import build_graph
    from igfgraph.fastshacl import core_shapes, pyshacl_results, sparql_results
    from igfgraph.pipeline import open_graph, validated_store
    from igfgraph.sparql import to_store
    from igfgraph.tables import check_tables, load_tables
    from igfgraph.validate import read_shapes, shacl_problems

    r, rows = args.repeat, []
    data = args.data
    _, t, m = timed(lambda: check_tables(data), r)
    rows.append(("check tables (frictionless)", t, m))
    built, t, m = timed(lambda: build_graph(load_tables(data, check=False)), r)
    n = len(built.graph)
    rows.append(("read tables + build graph", t, m))
    shapes = read_shapes()
    store, t, m = timed(lambda: to_store(built.graph), r)
    rows.append(("load the graph into Oxigraph", t, m))
    _, t, m = timed(lambda: sparql_results(store, shapes), r)
    rows.append(("  fast: SPARQL constraints, once each (Oxigraph)", t, m))
    core = core_shapes(shapes)
    _, t, m = timed(lambda: pyshacl_results(built.graph, core, inplace=True), r)
    rows.append(("  fast: core constraints (pySHACL, no sh:sparql)", t, m))
    problems, t, m = timed(lambda: shacl_problems(built, shapes, store=store), r)
    rows.append((f"SHACL validation, fast path ({len(problems)} violations)", t, m))
    if not args.no_pyshacl:
        reference, t, m = timed(lambda: shacl_problems(built, shapes, engine="pyshacl"), 1)
        rows.append((f"SHACL validation, plain pySHACL ({len(reference)} violations)", t, m))
        assert reference == problems, "the fast path and pySHACL disagree"

    def cold():
        cache.clear_cache()
        return open_graph(data=data)

    _, t, m = timed(cold, r)
    rows.append(("cold build into the cache (tables, build, SHACL, store)", t, m))
    _, t, m = timed(lambda: open_graph(data=data), r)
    rows.append(("cached open (key + read-only store)", t, m))
    _, t, m = timed(lambda: cache.cache_key(data), r)
    rows.append(("  of which the cache key (SHA-256 of the inputs)", t, m))
    _, t, m = timed(lambda: validated_store(data), 1)
    rows.append(("--no-cache build (tables, build, SHACL)", t, m))

    for copies in args.replicate:
        big = replicated(built.graph, copies)
        big_store = to_store(big)
        label = f"×{copies} ({len(big)} triples)"
        _, t, m = timed(lambda: sparql_results(big_store, shapes), r)  # noqa: B023
        rows.append((f"  {label} fast: SPARQL constraints", t, m))
        _, t, m = timed(lambda: pyshacl_results(big, core, inplace=True), r)  # noqa: B023
        rows.append((f"  {label} fast: core constraints", t, m))

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "igfgraph", "--help"]
    _, t, m = timed(lambda: subprocess.run(cmd, env=env, capture_output=True, check=True), r)
    rows.append(("igfgraph --help (fresh process)", t, m))
    cache.clear_cache()

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    python = sys.version.split()[0]
    print(f"graph: {n} triples; python {python}; {os.cpu_count()} CPUs, load {load}")
    width = max(len(label) for label, *_ in rows)
    for label, t, m in rows:
        print(f"{label:<{width}}  {t:8.3f} s wall  {m:8.3f} s CPU")


if __name__ == "__main__":
    main()
