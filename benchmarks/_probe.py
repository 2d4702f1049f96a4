"""Measurements that run inside a fresh process started by ``benchmarks/run.py``.

Usage: python benchmarks/_probe.py TASK --json FILE [--data DIR] [options]

Each task writes its figures to ``--json`` (JSON, rewritten after each step, so that a
process stopped at its time limit leaves what it finished). Tasks:

``cold``
    Open the graph through the build cache, which must be empty: the tables checked, the
    graph built, validated and stored (:func:`igfgraph.pipeline.open_graph`), with a timer
    around each step (``parts``).
``open``
    The same call with the cache warm (median of ``--repeat``).
``stages``
    The steps of a build one by one, each ``--repeat`` times, outside the cache: table
    checks (frictionless), reading the tables and building the graph, loading it into
    Oxigraph, and the SHACL validation of the fast path (:mod:`igfgraph.fastshacl`) with its
    two parts.
``queries``
    Each named query through the default store (the cached Oxigraph store, as every
    command opens it) and in raw pyoxigraph on the same triples (dumped from the cache to
    ``--nt`` as N-Triples, for ``queries-rdflib`` too), in forked children capped at
    ``--cap`` seconds (``bench_sparql.measure``).
``queries-rdflib``
    The same in rdflib's memory store (parsing ``--nt`` first), each query capped at
    ``--cap``, written after each query.
``all``
    ``igfgraph all --data DIR --out OUT`` through the command-line entry point, with a timer
    around the site, the documentation and the back-test, so that their share of the
    command's wall time (measured by the caller) can be given on their own lines.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
import time
from pathlib import Path

import _harness  # noqa: F401  (puts the checkout on sys.path)


class Figures(dict):
    """A dict written to its JSON file after every change."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def __setitem__(self, key, value) -> None:
        super().__setitem__(key, value)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self, indent=1))
        os.replace(tmp, self.path)


def timers(out: Figures, targets: dict[tuple[object, str], str]) -> dict[str, float]:
    """Wrap each ``module.name`` with a timer adding its seconds to ``out["parts"][part]``.

    The wrapped functions must be looked up by name at call time (module globals, or
    imports inside the calling function), as the pipeline's are.
    """
    spent: dict[str, float] = {}
    spent_cpu: dict[str, float] = {}

    for (module, name), part in targets.items():
        fn = getattr(module, name)

        def wrapper(*a, __fn=fn, __part=part, **k):
            t0, c0 = time.perf_counter(), time.process_time()
            try:
                return __fn(*a, **k)
            finally:
                spent[__part] = spent.get(__part, 0.0) + time.perf_counter() - t0
                spent_cpu[__part] = spent_cpu.get(__part, 0.0) + time.process_time() - c0
                out["parts_cpu"] = spent_cpu
                out["parts"] = spent

        setattr(module, name, functools.wraps(fn)(wrapper))
    out["parts"] = spent
    return spent


def cold(args, out: Figures) -> None:
    import igfgraph.build
    import igfgraph.fastshacl
    import igfgraph.sparql
    import igfgraph.tables
    import igfgraph.validate
    from igfgraph import cache
    from igfgraph.pipeline import open_graph

    assert not cache.cache_entries(), f"the cache {cache.cache_dir()} is not empty"
    # the pipeline imports these from their modules when it runs: time them there
    timers(
        out,
        {
            (igfgraph.tables, "load_tables"): "load_tables",
            (igfgraph.tables, "check_tables"): "check_tables",
            (igfgraph.build, "build_graph"): "build_graph",
            (igfgraph.sparql, "to_store"): "to_store",
            (igfgraph.validate, "shacl_problems"): "shacl_problems",
            (igfgraph.fastshacl, "sparql_results"): "sparql_results",
            (igfgraph.fastshacl, "pyshacl_results"): "pyshacl_results",
        },
    )
    graph, wall, cpu = _harness.timed(lambda: open_graph(data=args.data))
    out["cold"] = {"wall": wall, "cpu": cpu}
    out["triples"] = len(graph)


def warm(args, out: Figures) -> None:
    from igfgraph.pipeline import open_graph

    graph, wall, cpu = _harness.timed(lambda: open_graph(data=args.data), args.repeat)
    out["open"] = {"wall": wall, "cpu": cpu}
    out["triples"] = len(graph)


def stages(args, out: Figures) -> None:
    from igfgraph.build import build_graph
    from igfgraph.fastshacl import core_shapes, pyshacl_results, sparql_results
    from igfgraph.sparql import to_store
    from igfgraph.tables import check_tables, load_tables
    from igfgraph.validate import read_shapes, shacl_problems

    r, data = args.repeat, args.data
    _, w, c = _harness.timed(lambda: check_tables(data), r)
    out["check_tables"] = {"wall": w, "cpu": c}
    built, w, c = _harness.timed(lambda: build_graph(load_tables(data, check=False)), r)
    out["build_graph"] = {"wall": w, "cpu": c}
    out["triples"] = len(built.graph)
    shapes = read_shapes()
    store, w, c = _harness.timed(lambda: to_store(built.graph), r)
    out["to_store"] = {"wall": w, "cpu": c}
    problems, w, c = _harness.timed(lambda: shacl_problems(built, shapes, store=store), r)
    out["shacl"] = {"wall": w, "cpu": c, "violations": len(problems)}
    _, w, c = _harness.timed(lambda: sparql_results(store, shapes), r)
    out["shacl_sparql"] = {"wall": w, "cpu": c}
    core = core_shapes(shapes)
    _, w, c = _harness.timed(lambda: pyshacl_results(built.graph, core, inplace=True), r)
    out["shacl_core"] = {"wall": w, "cpu": c}


def _measure_all(stores: list[str], args, out: Figures) -> None:
    import bench_sparql

    from igfgraph.queries import load_queries

    results = {}
    for name in load_queries():
        for store in stores:
            t, fp = bench_sparql.measure(store, name, args.repeat, args.cap)
            results.setdefault(name, {})[store] = {
                "t": t if t is None or t == t else "failed",
                "rows": fp[0] if fp else None,
                "fp": fp[1] if fp else None,
            }
            out["queries"] = results  # written after each query


def queries(args, out: Figures) -> None:
    import bench_sparql
    import pyoxigraph as ox

    from igfgraph.pipeline import open_graph

    cached = open_graph(data=args.data).store._inner  # the cache is warm: only opened
    with open(args.nt, "wb") as f:
        cached.dump(f, format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    del cached
    raw = ox.Store()
    raw.bulk_load(path=args.nt, format=ox.RdfFormat.N_TRIPLES)
    out["raw_triples"] = len(raw)
    bench_sparql.SOURCES.clear()
    bench_sparql.SOURCES["pyoxigraph"] = raw
    bench_sparql.SOURCES["default"] = args.data
    _measure_all(["pyoxigraph", "default"], args, out)


def queries_rdflib(args, out: Figures) -> None:
    import bench_sparql
    from rdflib import Graph

    graph, wall, cpu = _harness.timed(lambda: Graph().parse(args.nt, format="nt"))
    out["parse"] = {"wall": wall, "cpu": cpu, "triples": len(graph)}
    bench_sparql.SOURCES.clear()
    bench_sparql.SOURCES["memory"] = graph
    list(graph.query("ASK { ?s ?p ?o }"))  # the SPARQL parser and engine loaded once
    _measure_all(["memory"], args, out)


def all_(args, out: Figures) -> None:
    import igfgraph.docs
    import igfgraph.pipeline
    import igfgraph.plots
    import igfgraph.site

    timers(
        out,
        {
            (igfgraph.site, "render_site"): "site",
            (igfgraph.docs, "docs_files"): "docs",
            (igfgraph.pipeline, "_backtest"): "backtest",
            (igfgraph.plots, "backtest_plot"): "backtest",
        },
    )
    from igfgraph.cli import cli

    argv = ["all", "--out", str(args.out)]
    if args.data:
        argv += ["--data", str(args.data)]
    cli(argv, prog_name="igfgraph")


TASKS = {
    "cold": cold,
    "open": warm,
    "stages": stages,
    "queries": queries,
    "queries-rdflib": queries_rdflib,
    "all": all_,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("task", choices=sorted(TASKS))
    parser.add_argument("--json", type=Path, required=True)
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--nt", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--cap", type=float, default=60.0)
    args = parser.parse_args()
    out = Figures(args.json)
    TASKS[args.task](args, out)


if __name__ == "__main__":
    sys.exit(main())
