"""The main job: tables → validated graph → analyses → map and report, into one folder."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph

from igfgraph.exceptions import ShapeViolationError
from igfgraph.stores import open_graph as _open_store

if TYPE_CHECKING:
    from igfgraph.build import BuildResult

# The table checks and the build (pandas, frictionless), SHACL, the analyses, plots and
# report (networkx, matplotlib) are imported where they are used, so that a command that
# only opens the cached graph does not pay for them.

__all__ = [
    "Outputs",
    "build_validated",
    "open_graph",
    "render_all",
    "run_all",
    "validated_graph",
    "validated_store",
]


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
    site: Path | None = None

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
            *([self.site / "index.html"] if self.site else []),
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
    from igfgraph.build import build_graph
    from igfgraph.tables import load_tables
    from igfgraph.validate import shacl_problems

    built = build_graph(load_tables(data))
    problems = shacl_problems(built)
    if problems:
        raise ShapeViolationError(problems)
    return built


def validated_graph(data: Path | str | None = None) -> Graph:
    """Return the graph of a data folder, built and SHACL-validated (the stores' builder).

    Raises
    ------
    DataPackageError, InputError, ShapeViolationError
        As :func:`build_validated`.
    """
    return build_validated(data).graph  # a graph that breaks the shapes is not analysed


def validated_store(data: Path | str | None = None):
    """Check the tables, build the graph, validate it: the graph in an in-memory Oxigraph store.

    The cache's builder (:func:`igfgraph.cache.open_cached`): SHACL runs on the store that
    is returned, so the graph is loaded into Oxigraph once.

    Returns
    -------
    pyoxigraph.Store
        The conforming graph in the store's default graph.

    Raises
    ------
    DataPackageError, InputError, ShapeViolationError
        As :func:`build_validated`.
    """
    from igfgraph.build import build_graph
    from igfgraph.sparql import to_store
    from igfgraph.tables import load_tables
    from igfgraph.validate import shacl_problems

    built = build_graph(load_tables(data))
    store = to_store(built.graph)
    problems = shacl_problems(built, store=store)
    if problems:
        raise ShapeViolationError(problems)
    return store


def open_graph(store=None, *, data: Path | str | None = None, **kwargs) -> Graph:
    """Open the graph in a store, building and validating it from ``data`` when needed.

    :func:`igfgraph.stores.open_graph` with :func:`validated_graph` as its builder: the
    store layer does not build, so this is the call to use from a script or notebook.
    The default store (``oxigraph``, in memory) comes from the build cache
    (:mod:`igfgraph.cache`): built and validated once per change of the data, ontology,
    shapes or code, then opened read-only in milliseconds (``IGFGRAPH_NO_CACHE=1``:
    built in memory every time).

    Parameters
    ----------
    store : str or igfgraph.stores.StoreSpec, optional
        ``memory``, ``oxigraph`` (the default), ``oxigraph:PATH`` or ``sparql:URL``.
    data : path-like, optional
        The data folder (the shipped data when ``None``).
    **kwargs
        ``graph``, ``content``, ``check``, ``auth`` of :func:`igfgraph.stores.open_graph`.

    Returns
    -------
    rdflib.Graph
        The graph.

    Raises
    ------
    InputError, StoreError, DataPackageError, ShapeViolationError
        As :func:`igfgraph.stores.open_graph` and :func:`build_validated`.
    """
    from igfgraph import cache
    from igfgraph.stores import DEFAULT_STORE, parse_store, store_graph

    spec = parse_store(DEFAULT_STORE if store is None else store)
    plain = not kwargs.get("content") and not kwargs.get("graph")
    if spec.kind == "oxigraph" and spec.path is None and plain and cache.cache_enabled():
        return store_graph(cache.open_cached(data, build=validated_store))
    return _open_store(
        DEFAULT_STORE if store is None else store, data=data, build=validated_graph, **kwargs
    )


def _backtest(model, evidence):
    """Run the back-test of the gap ranking; None when the data spans too few years for one."""
    from igfgraph.analysis.backtest import backtest

    try:
        return backtest(model, evidence=evidence)
    except ValueError:  # no cut-off whose horizon lies in the data
        return None


def render_all(
    data: Path | str | None = None,
    *,
    min_overlap: float = 0.25,
    max_hops: int = 1,
    evidence: Iterable[str] | None = None,
) -> dict[str, str | bytes]:
    """Build, validate, analyse and draw, in memory: every output of :func:`run_all`.

    Parameters
    ----------
    data : path-like, optional
        Data folder; the shipped data when ``None``.
    min_overlap : float, default 0.25
        Jaccard threshold for liaison gaps.
    max_hops : int, default 1
        Liaison distance within which a pair is not a gap.
    evidence : iterable of str, optional
        Liaison evidence types counted by the gaps, centrality, communities and map
        (:func:`igfgraph.evidence.parse_evidence`; default stated, co-organised,
        co-authored). The report and the tables say which.

    Returns
    -------
    dict of str to str or bytes
        File name → content, in the order of :meth:`Outputs.paths`.

    Raises
    ------
    InputError, DataPackageError
        As :func:`build_validated`.
    """
    from igfgraph import cache
    from igfgraph.analysis import (
        centrality,
        centrality_network,
        communities,
        find_gaps,
        theme_coverage,
        theme_network,
        theme_overlap,
        unrealised_recommendations,
    )
    from igfgraph.docs import docs_files
    from igfgraph.evidence import parse_evidence
    from igfgraph.maps import render_html, render_table_html, table_path
    from igfgraph.model import read_model
    from igfgraph.plots import backtest_plot, body_theme_heatmap, overlap_heatmap
    from igfgraph.report import Findings, render_report
    from igfgraph.serialize import serialize
    from igfgraph.site import render_site
    from igfgraph.sparql import format_frame, to_store
    from igfgraph.tables import read_package_descriptor
    from igfgraph.views import landscape_view

    evidence = parse_evidence(evidence)
    graph = open_graph(data=data)  # the build cache's graph (built on a miss or --no-cache)
    model = read_model(to_store(graph))  # every consumer below reads this one model
    B = theme_network(model)
    G = centrality_network(model, evidence)
    comm, modularity = communities(G)
    findings = Findings(
        overlap=theme_overlap(B),
        gaps=find_gaps(model, min_overlap=min_overlap, max_hops=max_hops, evidence=evidence),
        centrality=centrality(G),
        communities=comm,
        coverage=theme_coverage(B),
        recommendations=unrealised_recommendations(model),  # never by co-presence
        modularity=modularity,
        backtest=_backtest(model, evidence),  # its own step: the gap ranking tested
    )
    version = str(read_package_descriptor(data)[1].get("version", "0.0.0"))
    tables = {
        "centrality.csv": findings.centrality,
        "communities.csv": findings.communities,
        "coverage.csv": findings.coverage,
        "recommendations.csv": findings.recommendations,
    }
    files: dict[str, str | bytes] = {
        "igf.ttl": cache.cached_text(data, "igf.ttl", lambda: serialize(graph, "ttl")),
        "overlap.csv": format_frame(findings.overlap, "csv"),
        "gaps.csv": format_frame(findings.gaps, "csv"),
        **{name: format_frame(frame, "csv") for name, frame in tables.items()},
    }
    if findings.backtest is not None:
        files["backtest.csv"] = format_frame(findings.backtest.pooled, "csv")
        files["backtest-cutoffs.csv"] = format_frame(findings.backtest.cutoffs, "csv")
        files["backtest-hits.csv"] = format_frame(findings.backtest.hits, "csv")
    map_name = "map.html"
    table_name = table_path(map_name).name
    landscape = landscape_view(model, min_overlap=min_overlap, max_hops=max_hops, evidence=evidence)
    files[table_name] = render_table_html(landscape, title="IGF landscape", map_href=map_name)
    figures = {
        **overlap_heatmap(B, findings.overlap, Path("overlap-heatmap"), write=False),
        **body_theme_heatmap(B, Path("themes-heatmap"), write=False),
    }
    if findings.backtest is not None:
        figures.update(backtest_plot(findings.backtest, Path("backtest"), write=False))
    files.update({path.name: content for path, content in figures.items()})
    files[map_name] = render_html(landscape, title="IGF landscape", table_href=table_name)
    files.update(docs_files(model))  # ontology.html, themes.html, classes.dot/.svg
    names = ["igf.ttl", "report.md", "overlap.csv", "gaps.csv", map_name, *tables, table_name]
    names += [n for n in files if n not in names]
    site = render_site(
        graph, model=model, min_overlap=min_overlap, max_hops=max_hops, evidence=evidence
    )
    files.update({f"site/{name}": content for name, content in site.items()})
    site_names = [f"site/{name}" for name in site]
    files["report.md"] = render_report(
        model,
        findings,
        version=version,
        conforms=True,
        files=[*names, "site/ (the Linked Data site: site/index.html)"],
        min_overlap=min_overlap,
        max_hops=max_hops,
        evidence=evidence,
    )
    return {name: files[name] for name in [*names, *site_names]}


def run_all(
    out: Path | str,
    data: Path | str | None = None,
    *,
    min_overlap: float = 0.25,
    max_hops: int = 1,
    evidence: Iterable[str] | None = None,
) -> Outputs:
    """Build, validate, analyse and draw: write every output into ``out``, all or nothing.

    Parameters
    ----------
    out : path-like
        Output folder (created if missing). It is replaced as a whole, so it must hold
        nothing but the outputs of an earlier run (or be new or empty).
    data : path-like, optional
        Data folder; the shipped data when ``None``.
    min_overlap : float, default 0.25
        Jaccard threshold for liaison gaps.
    max_hops : int, default 1
        Liaison distance within which a pair is not a gap.
    evidence : iterable of str, optional
        Liaison evidence types counted (as :func:`render_all`).

    Returns
    -------
    Outputs
        ``igf.ttl`` (the validated graph), ``report.md``, ``overlap.csv``, ``gaps.csv``,
        ``map.html`` with its accessible table ``map-table.html``, ``centrality.csv``,
        ``communities.csv``, ``coverage.csv``, ``recommendations.csv``, the back-test of the
        gap ranking (``backtest.csv`` pooled, ``backtest-cutoffs.csv``, ``backtest-hits.csv``),
        the figures ``overlap-heatmap``, ``themes-heatmap`` and ``backtest`` (PNG and SVG),
        the documentation of :func:`igfgraph.docs.docs_files` (``ontology.html``,
        ``themes.html``, the class diagram ``classes.dot`` and, with Graphviz,
        ``classes.svg``) and the Linked Data site in ``site/``
        (:func:`igfgraph.site.render_site`).

    Raises
    ------
    InputError, DataPackageError
        As :func:`build_validated`; nothing is written then.
    OutputError
        ``out`` is a file, holds other files, or the disk is full; ``out`` is unchanged.

    Notes
    -----
    Everything is rendered in memory first, then written into a temporary sibling of
    ``out`` that takes its place in one step (:func:`igfgraph.fileio.write_folder`):
    interrupted at any point (Ctrl-C, ``kill -9``, a full disk), ``out`` holds the
    previous output whole or the new one whole, never a mix.
    """
    from igfgraph.fileio import write_folder

    files = render_all(data, min_overlap=min_overlap, max_hops=max_hops, evidence=evidence)
    out = Path(out)
    write_folder(out, files, what="igfgraph all")
    figures = [out / n for n in files if n.endswith((".png", ".svg", ".dot", ".html"))]
    figures = [p for p in figures if p.name not in ("map.html", "map-table.html")]
    return Outputs(
        graph=out / "igf.ttl",
        report=out / "report.md",
        overlap=out / "overlap.csv",
        gaps=out / "gaps.csv",
        map=out / "map.html",
        tables=[
            out / n
            for n in ("centrality.csv", "communities.csv", "coverage.csv", "recommendations.csv")
        ]
        + [out / "map-table.html"],
        figures=figures,
        site=out / "site",
    )
