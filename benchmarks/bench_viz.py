"""Benchmark of igfgraph.viz: render time, page size and time to first draw.

Run from the repository root::

    .venv/bin/python benchmarks/bench_viz.py            # 300, 3,000 and 30,000 nodes
    .venv/bin/python benchmarks/bench_viz.py 300 3000   # chosen sizes

For each synthetic graph (about two edges per node, every node and edge kind of the style
table, no coordinates, so the seeded layout is part of the render time) it prints the
Python render time, the HTML size, and the time from navigation until
``window.igfgraphReady`` in headless Chromium (``/usr/bin/chromium``, offline). Each
browser run is capped at ``--cap`` seconds (default 120) and printed as ``> 120 s`` when
the cap is hit.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from igfgraph import viz  # noqa: E402
from tests.browser import CHROMIUM_PATH, Chromium  # noqa: E402


def synthetic_graph(n: int, seed: int = 0) -> nx.Graph:
    """A graph of ``n`` IRI nodes with about ``2 n`` edges, with hubs like the real map."""
    rng = random.Random(seed)
    node_kinds = list(viz.STYLE["node"])
    edge_kinds = list(viz.STYLE["edge"])
    G = nx.Graph()
    ids = [f"https://w3id.org/igfgraph/id/node-{i:06d}" for i in range(n)]
    for i, nid in enumerate(ids):
        kind = node_kinds[i % len(node_kinds)]
        G.add_node(nid, label=f"Node {i}", kind=kind, title=f"Node {i}\n{kind}\n{nid}")
    hubs = ids[: max(1, n // 50)]
    for i, nid in enumerate(ids[1:], start=1):
        targets = {rng.choice(hubs), ids[rng.randrange(i)]}
        for target in sorted(targets):
            if target != nid:
                G.add_edge(nid, target, kind=edge_kinds[rng.randrange(len(edge_kinds))])
    return G


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[300, 3_000, 30_000])
    parser.add_argument("--cap", type=float, default=120.0, help="seconds per browser run")
    args = parser.parse_args(argv)

    browser = Chromium() if CHROMIUM_PATH.exists() else None
    if browser is None:
        print(f"(no browser at {CHROMIUM_PATH}: first-draw times skipped)")
    header = f"{'nodes':>7} {'edges':>7} {'render (Python)':>16} {'HTML':>9} {'first draw':>11}"
    print(header)
    print("-" * len(header))
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for n in args.sizes:
                G = synthetic_graph(n)
                start = time.perf_counter()
                html = viz.render_html(G, title=f"Synthetic graph, {n} nodes")
                render_s = time.perf_counter() - start
                path = Path(tmp) / f"bench-{n}.html"
                path.write_text(html, encoding="utf-8")
                size_mb = len(html.encode("utf-8")) / 1e6
                draw = "n/a"
                if browser is not None:
                    try:
                        page = browser.open(path, timeout_s=args.cap)
                        draw = f"{page.load_seconds:.1f} s"
                        drawn = page.eval("network.body.nodeIndices.length")
                        if drawn != n or page.console_errors or page.blocked_requests:
                            draw += (
                                f" (drawn {drawn}, {len(page.console_errors)} console errors,"
                                f" {len(page.blocked_requests)} blocked requests)"
                            )
                        page.close()
                    except Exception as exc:  # noqa: BLE001 - Playwright's TimeoutError
                        if "Timeout" not in type(exc).__name__:
                            raise
                        draw = f"> {args.cap:.0f} s"
                print(
                    f"{n:>7,} {G.number_of_edges():>7,} {render_s:>14.2f} s "
                    f"{size_mb:>6.1f} MB {draw:>11}",
                    flush=True,
                )
    finally:
        if browser is not None:
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
