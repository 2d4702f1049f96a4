"""The main job: tables → validated graph → analyses → map and report, into one folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from igfgraph.analysis import (
    body_theme_graph,
    centrality,
    communities,
    gaps_from_store,
    governance_graph,
    theme_coverage,
    theme_overlap,
    unrealised_recommendations,
)
from igfgraph.build import BuildResult, build_graph
from igfgraph.exceptions import OutputError, ShapeViolationError
from igfgraph.fileio import write_atomic
from igfgraph.plots import body_theme_heatmap, overlap_heatmap
from igfgraph.report import Findings, render_report
from igfgraph.serialize import serialize
from igfgraph.sparql import format_frame, to_store
from igfgraph.tables import load_tables, read_package_descriptor
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
    tables: list[Path]
    figures: list[Path]

    def paths(self) -> list[Path]:
        """Return every path, in a fixed order."""
        return [
            self.graph,
            self.report,
            self.overlap,
            self.gaps,
            self.map,
            *self.tables,
            *self.figures,
        ]


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
        Table problems (``.problems`` lists each).
    ShapeViolationError
        SHACL violations of the built graph (a :class:`DataPackageError`).
    """
    built = build_graph(load_tables(data))
    problems = shacl_problems(built)
    if problems:
        raise ShapeViolationError(problems)
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
        ``igf.ttl`` (the validated graph), ``report.md``, ``overlap.csv``, ``gaps.csv``,
        ``map.html`` with its accessible table ``map-table.html``, ``centrality.csv``,
        ``communities.csv``, ``coverage.csv``, ``recommendations.csv`` and the heatmaps
        ``overlap-heatmap`` and ``themes-heatmap`` (PNG and SVG). Everything is rendered
        before anything is written; each file is written atomically; nothing is written
        when the data does not validate.

    Raises
    ------
    InputError, DataPackageError
        As :func:`build_validated`.
    """
    from igfgraph.maps import render_html, render_table_html, table_path
    from igfgraph.views import landscape_view

    out = Path(out)
    built = build_validated(data)
    store = to_store(built.graph)
    B = body_theme_graph(store)
    G = governance_graph(store)
    comm, modularity = communities(G)
    findings = Findings(
        overlap=theme_overlap(B),
        gaps=gaps_from_store(store, min_overlap=min_overlap, max_hops=max_hops),
        centrality=centrality(G),
        communities=comm,
        coverage=theme_coverage(B),
        recommendations=unrealised_recommendations(store),
        modularity=modularity,
    )
    version = str(read_package_descriptor(data)[1].get("version", "0.0.0"))
    tables = {
        "centrality.csv": findings.centrality,
        "communities.csv": findings.communities,
        "coverage.csv": findings.coverage,
        "recommendations.csv": findings.recommendations,
    }
    paths = Outputs(
        graph=out / "igf.ttl",
        report=out / "report.md",
        overlap=out / "overlap.csv",
        gaps=out / "gaps.csv",
        map=out / "map.html",
        tables=[out / name for name in tables],
        figures=[],
    )
    # Render everything first, check every target, then write: a failure while computing
    # leaves the folder as it was, and no target can turn out to be a folder half-way.
    files: dict[Path, str | bytes] = {
        paths.graph: serialize(built.graph, "ttl"),
        paths.overlap: format_frame(findings.overlap, "csv"),
        paths.gaps: format_frame(findings.gaps, "csv"),
        **{out / name: format_frame(frame, "csv") for name, frame in tables.items()},
    }
    figures = {
        **overlap_heatmap(B, findings.overlap, out / "overlap-heatmap", write=False),
        **body_theme_heatmap(B, out / "themes-heatmap", write=False),
    }
    files.update(figures)
    paths.figures = list(figures)
    landscape = landscape_view(store, min_overlap=min_overlap)
    map_table = table_path(paths.map)
    paths.tables.append(map_table)
    files[map_table] = render_table_html(landscape, title="IGF landscape", map_href=paths.map.name)
    files[paths.map] = render_html(landscape, title="IGF landscape", table_href=map_table.name)
    files[paths.report] = render_report(
        store,
        findings,
        version=version,
        conforms=True,
        files=[p.name for p in paths.paths()],
        min_overlap=min_overlap,
        max_hops=max_hops,
    )
    for path in files:
        if path.is_dir():
            raise OutputError(f"{path}: is a folder; igfgraph all writes a file there")
    # a fixed order: the map's table before the map that links to it, the report last
    last = [paths.map, paths.report]
    for path in [p for p in paths.paths() if p not in last] + last:
        write_atomic(path, files[path])
    return paths
