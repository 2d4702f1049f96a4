"""The main job: tables → validated graph → analyses → map and report, into one folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from igfgraph.analysis import body_theme_graph, liaison_gaps, liaison_graph, theme_overlap
from igfgraph.build import BuildResult, build_graph
from igfgraph.exceptions import DataPackageError
from igfgraph.fileio import write_atomic
from igfgraph.report import render_report
from igfgraph.serialize import serialize
from igfgraph.sparql import format_frame, to_store
from igfgraph.tables import load_tables
from igfgraph.validate import shacl_problems

__all__ = ["Outputs", "build_validated", "run_all"]


@dataclass
class Outputs:
    """Paths written by :func:`run_all`."""

    graph: Path
    report: Path
    overlap: Path
    gaps: Path
    map: Path

    def paths(self) -> list[Path]:
        """Return every path, in a fixed order."""
        return [self.graph, self.report, self.overlap, self.gaps, self.map]


def build_validated(data: Path | str | None = None) -> BuildResult:
    """Check the tables, build the graph and validate it against the SHACL shapes.

    Parameters
    ----------
    data : path-like, optional
        Data folder; the shipped data when ``None``.

    Returns
    -------
    BuildResult
        The conforming graph.

    Raises
    ------
    InputError
        Unreadable input.
    DataPackageError
        Table problems or SHACL violations (``.problems`` lists each).
    """
    built = build_graph(load_tables(data))
    problems = shacl_problems(built)
    if problems:
        raise DataPackageError(problems)
    return built


def run_all(
    out: Path | str,
    data: Path | str | None = None,
    *,
    min_overlap: float = 0.25,
    max_hops: int = 1,
) -> Outputs:
    """Build, validate, analyse and draw: write every output into ``out``.

    Parameters
    ----------
    out : path-like
        Output folder (created if missing).
    data : path-like, optional
        Data folder; the shipped data when ``None``.
    min_overlap : float, default 0.25
        Jaccard threshold for liaison gaps.
    max_hops : int, default 1
        Liaison distance within which a pair is not a gap.

    Returns
    -------
    Outputs
        ``igf.ttl`` (the validated graph), ``report.md``, ``overlap.csv``, ``gaps.csv``
        and ``map.html``. Each file is written atomically; nothing is written when the
        data does not validate.

    Raises
    ------
    InputError, DataPackageError
        As :func:`build_validated`.
    """
    from igfgraph.views import landscape_view
    from igfgraph.viz import write_html

    out = Path(out)
    built = build_validated(data)
    store = to_store(built.graph)
    B = body_theme_graph(store)
    L = liaison_graph(store)
    overlap = theme_overlap(B)
    gaps = liaison_gaps(B, L, min_overlap=min_overlap, max_hops=max_hops)
    version = load_tables(data, check=False).version
    paths = Outputs(
        graph=out / "igf.ttl",
        report=out / "report.md",
        overlap=out / "overlap.csv",
        gaps=out / "gaps.csv",
        map=out / "map.html",
    )
    write_atomic(paths.graph, serialize(built.graph, "ttl"))
    write_atomic(paths.overlap, format_frame(overlap, "csv"))
    write_atomic(paths.gaps, format_frame(gaps, "csv"))
    write_html(landscape_view(store, min_overlap=min_overlap), paths.map, title="IGF landscape")
    report = render_report(
        store,
        overlap,
        gaps,
        version=version,
        conforms=True,
        files=[p.name for p in paths.paths()],
        min_overlap=min_overlap,
        max_hops=max_hops,
    )
    write_atomic(paths.report, report)
    return paths
