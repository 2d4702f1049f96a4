"""Time ``igfgraph extract`` and ``diff-register`` (run on demand; prints figures).

Reads the DCCG paper (``../shared/sources/dccg-paper-2022.txt``) and a synthetic list of
N entries (every recorded DC name, repeated) to see how matching scales.

Usage: .venv/bin/python benchmarks/bench_extract.py [--repeat N] [--entries N]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import _harness

PAPER = _harness.ROOT.parent / "shared" / "sources" / "dccg-paper-2022.txt"


def timed(fn, repeat):
    """The result and the median wall time (:func:`_harness.timed`)."""
    result, wall, _cpu = _harness.timed(fn, repeat)
    return result, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--entries", type=int, default=1000)
    args = parser.parse_args()

    from igfgraph.tables import load_tables
    from igfgraph.upkeep.extract import candidates_csv, extract
    from igfgraph.upkeep.register import diff_register, read_changes

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if PAPER.is_file():
            rows, t = timed(lambda: extract(PAPER, source_id="dccg-paper-2022"), args.repeat)
            print(f"extract DCCG paper: {len(rows)} candidates in {t * 1000:.0f} ms (median)")
            changes = folder / "paper.csv"
            changes.write_text(candidates_csv(rows))
            _diff, t = timed(lambda: diff_register(read_changes(changes)), args.repeat)
            print(f"diff-register DCCG paper: {t * 1000:.0f} ms (median)")
        names = [
            r["name"]
            for _l, r in load_tables(check=False).rows("bodies")
            if r["kind"] == "dynamic-coalition"
        ]
        lines = [f"{i + 1}. {names[i % len(names)]}s" for i in range(args.entries)]  # fuzzy
        doc = folder / "list.txt"
        doc.write_text("\n".join(lines) + "\n")
        rows, t = timed(lambda: extract(doc, source_id="synthetic"), args.repeat)
        print(
            f"extract {args.entries} fuzzy entries: {len(rows)} candidates in "
            f"{t * 1000:.0f} ms (median), {t / max(len(rows), 1) * 1e6:.0f} µs per entry"
        )


if __name__ == "__main__":
    main()
