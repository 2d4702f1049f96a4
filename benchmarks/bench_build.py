"""Time each stage of the main job on the shipped data (run on demand; prints figures).

Usage: .venv/bin/python benchmarks/bench_build.py [--repeat N]
"""

from __future__ import annotations

import argparse
import tracemalloc

import _harness

GAP_QUERY = """
SELECT ?a ?b (COUNT(?t) AS ?shared) WHERE {
  ?a igf:addressesTheme ?t . ?b igf:addressesTheme ?t .
  FILTER (STR(?a) < STR(?b))
  FILTER NOT EXISTS { ?a igf:liaisesWith ?b }
} GROUP BY ?a ?b ORDER BY DESC(?shared) ?a ?b
"""


def timed(fn, repeat):
    """The result and the median wall time (:func:`_harness.timed`)."""
    result, wall, _cpu = _harness.timed(fn, repeat)
    return result, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from igfgraph.analysis import body_theme_graph, liaison_gaps, liaison_graph
    from igfgraph.build import build_graph
    from igfgraph.serialize import serialize
    from igfgraph.sparql import query, to_store
    from igfgraph.tables import check_tables, load_tables
    from igfgraph.validate import shacl_problems

    r = args.repeat
    rows = []
    _, t = timed(check_tables, r)
    rows.append(("check tables (frictionless)", t))
    tables, t = timed(lambda: load_tables(check=False), r)
    rows.append(("read tables (pandas)", t))
    built, t = timed(lambda: build_graph(tables), r)
    rows.append((f"build graph ({len(built.graph)} triples)", t))
    _, t = timed(lambda: shacl_problems(built), r)
    rows.append(("SHACL validation (pySHACL)", t))
    for fmt in ("ttl", "nt", "jsonld"):
        _, t = timed(lambda fmt=fmt: serialize(built.graph, fmt), r)
        rows.append((f"serialise {fmt}", t))
    store, t = timed(lambda: to_store(built.graph), r)
    rows.append(("load into Oxigraph", t))
    res, t = timed(lambda: query(store, GAP_QUERY), r)
    rows.append((f"gap query, Oxigraph ({len(res.rows)} rows)", t))
    from igfgraph.sparql import PROLOGUE

    rd, t = timed(lambda: list(built.graph.query(PROLOGUE + GAP_QUERY)), 1)
    rows.append((f"gap query, rdflib engine ({len(rd)} rows, 1 run)", t))
    gaps, t = timed(lambda: liaison_gaps(body_theme_graph(store), liaison_graph(store)), r)
    rows.append((f"liaison_gaps incl. graph views ({len(gaps)} gaps)", t))

    tracemalloc.start()
    build_graph(load_tables(check=False))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    width = max(len(name) for name, _ in rows)
    print(f"median of {r} runs")
    for name, t in rows:
        print(f"{name:<{width}}  {t * 1000:9.1f} ms")
    print(f"{'peak Python memory while building':<{width}}  {peak / 2**20:9.1f} MiB")


if __name__ == "__main__":
    main()
