"""Commands that draw maps."""

from __future__ import annotations

from pathlib import Path

import click

from igfgraph.cli.common import cli, graph_options, load_store


@cli.command()
@graph_options
@click.option(
    "--view",
    type=click.Choice(["landscape"]),
    default="landscape",
    show_default=True,
    help="Which map.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="HTML file to write.",
)
def viz(data: Path | None, view: str, out: Path) -> None:
    """Draw an interactive map as one self-contained HTML file (works offline)."""
    from igfgraph.views import VIEWS
    from igfgraph.viz import write_html

    write_html(VIEWS[view](load_store(data)), out, title=f"IGF {view}")
    click.echo(f"wrote {out}", err=True)
