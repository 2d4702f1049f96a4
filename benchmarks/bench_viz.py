"""Benchmark of igfgraph.maps: render time, file sizes and time to first interactive draw.

Run from the repository root::

    .venv/bin/python benchmarks/bench_viz.py            # 300, 3,000 and 30,000 nodes
    .venv/bin/python benchmarks/bench_viz.py 300 3000   # chosen sizes
    .venv/bin/python benchmarks/bench_viz.py --no-views # skip the views of the shipped data

For each synthetic graph (about two edges per node, every node and edge kind of the style
table, a card, themes and years on every node, no coordinates, so the seeded layout is
part of the render time) it prints:

* ``render``: Python time of :func:`igfgraph.maps.render_html` (layout included);
* ``map`` and ``table``: sizes of the map and of its accessible table;
* ``first draw``: time from navigation to vis-network's first ``afterDrawing`` in
  headless Chromium (``/usr/bin/chromium``, offline; :func:`_harness.first_draw`), and in
  brackets until the page is interactive (``window.igfgraphReady``: drawn, fitted,
  handlers attached), capped at ``--cap`` seconds (``> 120 s``);
* the same for the graph aggregated by :func:`igfgraph.views.aggregate` to at most
  2,000 nodes (what every view does above that size), when it is larger.

Then the five views of the shipped data (``igfgraph viz --view …``), built, rendered and
drawn the same way. Figures only: nothing is asserted.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import networkx as nx
from _harness import first_draw

from igfgraph import maps, views
from tests.browser import CHROMIUM_PATH, Chromium


def synthetic_graph(n: int, seed: int = 0) -> nx.Graph:
    """A graph of ``n`` IRI nodes with about ``2 n`` edges, with hubs like the real map."""
    rng = random.Random(seed)
    node_kinds = list(maps.STYLE["node"])
    edge_kinds = list(maps.STYLE["edge"])
    G = nx.Graph()
    ids = [f"https://w3id.org/igfgraph/id/node-{i:06d}" for i in range(n)]
    clusters = max(1, n // 60)
    for i, nid in enumerate(ids):
        kind = node_kinds[i % len(node_kinds)]
        G.add_node(
            nid,
            label=f"Node {i}",
            kind=kind,
            title=f"Node {i}\n{kind}\n{nid}",
            cluster=f"cluster {i % clusters}",
            themes=[f"Theme {i % 37}"],
            years=[2006 + i % 20],
            card={
                "name": f"Synthetic node number {i}",
                "summary": "A node of the benchmark graph.",
                "fields": [
                    ("Themes", [f"Theme {i % 37}"]),
                    ("Sources", [{"text": "Source", "href": f"https://example.org/{i}"}]),
                ],
            },
        )
    hubs = ids[: max(1, n // 50)]
    for i, nid in enumerate(ids[1:], start=1):
        targets = {rng.choice(hubs), ids[rng.randrange(i)]}
        for target in sorted(targets):
            if target != nid:
                G.add_edge(nid, target, kind=edge_kinds[rng.randrange(len(edge_kinds))])
    return G


def measure(G: nx.Graph, name: str, folder: Path, browser: Chromium | None, cap: float) -> str:
    """Render ``G`` with its table, open it, and return one formatted line of figures."""
    start = time.perf_counter()
    page_html = maps.render_html(G, table_href=f"{name}-table.html")
    render_s = time.perf_counter() - start
    table_html = maps.render_table_html(G, map_href=f"{name}.html")
    path = folder / f"{name}.html"
    path.write_text(page_html, encoding="utf-8")
    map_mb = len(page_html.encode("utf-8")) / 1e6
    table_mb = len(table_html.encode("utf-8")) / 1e6
    draw = "n/a"
    if browser is not None:
        d = first_draw(browser, path, cap=cap)
        if d["first_draw"] is None:
            draw = f"> {cap:.0f} s"
        else:
            draw = f"{d['first_draw']:.1f} s ({d['ready']:.1f} s)"
            if d["nodes"] != G.number_of_nodes() or d["errors"]:
                draw += f" (drawn {d['nodes']}, {d['errors']} errors or blocked requests)"
    return (
        f"{G.number_of_nodes():>7,} {G.number_of_edges():>7,} {render_s:>8.2f} s "
        f"{map_mb:>6.1f} MB {table_mb:>6.1f} MB {draw:>18}"
    )


HEADER = (
    f"{'nodes':>7} {'edges':>7} {'render':>10} {'map':>9} {'table':>9} {'first draw (ready)':>18}"
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[300, 3_000, 30_000])
    parser.add_argument("--cap", type=float, default=120.0, help="seconds per browser run")
    parser.add_argument(
        "--no-views", action="store_true", help="skip the views of the shipped data"
    )
    args = parser.parse_args(argv)

    browser = Chromium() if CHROMIUM_PATH.exists() else None
    if browser is None:
        print(f"(no browser at {CHROMIUM_PATH}: first-draw times skipped)")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            print("Synthetic graphs, drawn whole, then aggregated to <= 2,000 nodes")
            print(f"{'graph':<12} {HEADER}")
            print("-" * (13 + len(HEADER)))
            for n in args.sizes:
                G = synthetic_graph(n)
                line = measure(G, f"synthetic-{n}", folder, browser, args.cap)
                print(f"{'whole':<12} {line}", flush=True)
                if n > views.MAX_NODES:
                    start = time.perf_counter()
                    A = views.aggregate(G)
                    aggregate_s = time.perf_counter() - start
                    line = measure(A, f"aggregated-{n}", folder, browser, args.cap)
                    print(
                        f"{'aggregated':<12} {line}  (aggregate: {aggregate_s:.2f} s)", flush=True
                    )
            if not args.no_views:
                from igfgraph.pipeline import build_validated
                from igfgraph.sparql import to_store

                store = to_store(build_validated().graph)
                print()
                print("Views of the shipped data (build = view function, from the store)")
                print(f"{'view':<12} {HEADER} {'build':>8}")
                print("-" * (22 + len(HEADER)))
                for name, fn in views.VIEWS.items():
                    start = time.perf_counter()
                    V = fn(store, "dcad") if name == "ego" else fn(store)
                    build_s = time.perf_counter() - start
                    line = measure(V, name, folder, browser, args.cap)
                    print(f"{name:<12} {line} {build_s:>6.2f} s", flush=True)
    finally:
        if browser is not None:
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
