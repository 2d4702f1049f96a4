"""Commands that draw maps."""

from __future__ import annotations

from pathlib import Path

import click

from igfgraph.cli.analyses import _split_kinds
from igfgraph.cli.common import cli, evidence_option, graph_options, load_store

VIEW_NAMES = ["landscape", "themes", "overlap", "gaps", "ego"]


@cli.command()
@graph_options
@click.option(
    "--view",
    type=click.Choice(VIEW_NAMES),
    default="landscape",
    show_default=True,
    help=(
        "Which map: landscape (every body, liaisons, gaps, recommended links), themes "
        "(bodies × themes), overlap (thematic overlap network), gaps (top-N liaison gaps "
        "and their shared themes) or ego (one body and its neighbourhood; needs --node)."
    ),
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="HTML file to write; its accessible table goes beside it as NAME-table.html.",
)
@click.option(
    "--node",
    metavar="BODY",
    help="ego: the body at the centre (an id, IRI, acronym, name or former name).",
)
@click.option(
    "--hops",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="ego: how many recorded links away neighbours may be.",
)
@click.option(
    "--top",
    type=click.IntRange(min=0),
    default=20,
    show_default=True,
    help="landscape, gaps: how many of the strongest liaison gaps to draw.",
)
@click.option(
    "--min-overlap",
    type=click.FloatRange(0.0, 1.0),
    default=0.25,
    show_default=True,
    help="landscape, overlap, gaps: smallest Jaccard overlap drawn.",
)
@click.option(
    "--max-hops",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="landscape, gaps: a pair within this many liaison hops is not a gap.",
)
@click.option(
    "--size-by",
    type=click.Choice(["degree", "betweenness"]),
    default="degree",
    show_default=True,
    help="landscape: the centrality (on recorded links) that sizes the bodies.",
)
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    metavar="KIND",
    callback=_split_kinds,  # an unknown kind is refused at once, before any build
    help="overlap: only bodies of this kind (repeatable), e.g. dynamic-coalition.",
)
@click.option("--title", default=None, help="Page title (default: the view's own).")
@click.option(
    "--physics/--no-physics",
    default=False,
    show_default=True,
    help="Keep the force simulation running in the page (the layout is precomputed).",
)
@evidence_option
def viz(
    data,
    view: str,
    out: Path,
    node: str | None,
    hops: int,
    top: int,
    min_overlap: float,
    max_hops: int,
    size_by: str,
    kinds: tuple[str, ...],
    title: str | None,
    physics: bool,
    evidence: tuple[str, ...],
) -> None:
    """Draw an interactive map and its accessible table (self-contained, offline HTML).

    The map has a search box, filters by kind, theme and year, and a card for each node
    (click it, or find it by keyboard); FILE-table.html lists the same nodes and links in
    sortable tables and works without JavaScript. Example: igfgraph viz --view ego
    --node dccg --hops 2 --out dccg.html
    """
    from igfgraph import views
    from igfgraph.maps import write_view

    if view == "ego" and not node:
        raise click.UsageError("--view ego needs --node ID (a data id such as dccg, or an IRI)")
    if view != "ego" and node:
        raise click.UsageError("--node applies to --view ego only")
    if node:  # resolved at once, from the tables, before any graph is built
        from igfgraph.cli.analyses import _resolve_body

        node = _resolve_body(data, node)
    source = load_store(data)
    if view == "landscape":
        G = views.landscape_view(
            source,
            top_gaps=top,
            min_overlap=min_overlap,
            max_hops=max_hops,
            centrality=size_by,
            evidence=evidence,
        )
    elif view == "themes":
        G = views.themes_view(source)
    elif view == "overlap":
        G = views.overlap_view(source, min_overlap=min_overlap, kinds=kinds)
    elif view == "gaps":
        G = views.gaps_view(
            source, top=top, min_overlap=min_overlap, max_hops=max_hops, evidence=evidence
        )
    else:
        try:
            G = views.ego_view(source, node, hops=hops, evidence=evidence)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--node") from exc
    files = write_view(G, out, title=title, physics=physics)
    click.echo(
        f"wrote {files.map} ({G.number_of_nodes()} nodes, {G.number_of_edges()} links) "
        f"and its table {files.table}",
        err=True,
    )
