"""Commands for the analyses: overlap, liaison gaps."""

from __future__ import annotations

from pathlib import Path

import click

from igfgraph.cli.common import cli, format_option, graph_options, load_store


@cli.command()
@graph_options
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    metavar="KIND",
    help="Only bodies of this kind (repeatable), e.g. dynamic-coalition.",
)
@format_option()
def overlap(data: Path | None, kinds: tuple[str, ...], fmt: str) -> None:
    """Pairwise thematic overlap of bodies: Jaccard of theme sets, with the shared themes."""
    from igfgraph.analysis import body_theme_graph, theme_overlap
    from igfgraph.sparql import format_frame

    frame = theme_overlap(body_theme_graph(load_store(data)), kinds=kinds or None)
    click.echo(format_frame(frame, fmt), nl=False)


@cli.command()
@graph_options
@click.option(
    "--min-overlap",
    type=click.FloatRange(0, 1),
    default=0.25,
    show_default=True,
    help="Smallest Jaccard overlap of theme sets.",
)
@click.option(
    "--max-hops",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Pairs within this many liaison hops are not gaps.",
)
@click.option(
    "--kind", "kinds", multiple=True, metavar="KIND", help="Only bodies of this kind (repeatable)."
)
@format_option()
def gaps(
    data: Path | None, min_overlap: float, max_hops: int, kinds: tuple[str, ...], fmt: str
) -> None:
    """Liaison gaps: bodies with thematic overlap and no recorded liaison, ranked with evidence."""
    from igfgraph.analysis import body_theme_graph, liaison_gaps, liaison_graph
    from igfgraph.sparql import format_frame

    store = load_store(data)
    frame = liaison_gaps(
        body_theme_graph(store),
        liaison_graph(store),
        min_overlap=min_overlap,
        max_hops=max_hops,
        kinds=kinds or None,
    )
    click.echo(format_frame(frame, fmt), nl=False)
