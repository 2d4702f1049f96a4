"""Benchmark of the Linked Data site and of the landscape's labels (issue 14).

Run from the repository root::

    .venv/bin/python benchmarks/bench_site.py

Prints, for the shipped data: the time to build and validate the graph, to render the
site in memory (:func:`igfgraph.site.render_site`) and to write it
(:func:`igfgraph.site.write_site`), its number of files and bytes; then, in headless
Chromium at 1600×1000, the number of labels the landscape draws at its default zoom and
how many pairs of them overlap (vis-network's label boxes). Figures only.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import _harness  # noqa: F401  (puts this checkout on sys.path, for tests.browser)

LABEL_BOXES = """() => {
  const scale = network.getScale(), out = [];
  for (const id of network.body.nodeIndices) {
    const n = network.body.nodes[id];
    if (n.options.hidden || !n.labelModule.elementOptions.label) continue;
    if (n.options.font.size * scale < 5) continue;
    const s = n.labelModule.size;
    out.push([s.left * scale, s.top * scale, s.width * scale, s.height * scale]);
  }
  return out;
}"""


def main() -> None:
    from igfgraph.maps import render_html
    from igfgraph.model import read_model
    from igfgraph.pipeline import build_validated
    from igfgraph.site import render_site, write_site
    from igfgraph.sparql import to_store
    from igfgraph.views import landscape_view

    t = time.perf_counter()
    graph = build_validated().graph
    print(f"build and validate: {time.perf_counter() - t:.1f} s")
    model = read_model(to_store(graph))
    t = time.perf_counter()
    files = render_site(graph, model=model)
    print(
        f"render site: {time.perf_counter() - t:.1f} s, {len(files):,} files, "
        f"{sum(len(v.encode()) for v in files.values()) / 1e6:.1f} MB"
    )
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        write_site(Path(tmp) / "site", graph, model=model)
        print(f"render and write site: {time.perf_counter() - t:.1f} s")
        path = Path(tmp) / "map.html"
        path.write_text(render_html(landscape_view(model)), encoding="utf-8")
        try:
            from tests.browser import open_in_chromium

            with open_in_chromium(path, viewport=(1600, 1000)) as page:
                boxes = page.eval(LABEL_BOXES)
        except Exception as exc:  # noqa: BLE001 - no browser: figures of Python only
            print(f"no Chromium ({type(exc).__name__}); label overlaps not measured")
            return
    pairs = sum(
        1
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]) > 0.5
        and min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]) > 0.5
    )
    print(f"landscape at 1600x1000: {len(boxes)} labels drawn, {pairs} overlapping pairs")


if __name__ == "__main__":
    main()
