"""``igfgraph synth``: write a synthetic data package for benchmarks at scale."""

from __future__ import annotations

from pathlib import Path

import click

from igfgraph.cli.common import cli, data_option


@cli.command()
@click.option(
    "--scale",
    type=float,
    default=10.0,
    show_default=True,
    help="How many times more bodies than the source data (themes grow by its square root).",
)
@click.option(
    "--seed", type=int, default=0, show_default=True, help="Random seed (same seed, same bytes)."
)
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    required=True,
    help="Folder to write the package into (new, empty, or an earlier synth output).",
)
@data_option
def synth(scale: float, seed: int, out: Path, data: Path | None) -> None:
    """Write a synthetic data package with the statistics of the real one, SCALE times larger.

    The curated rows are kept; synthetic bodies, themes, sessions, liaisons and outputs are
    added, drawn from the real ones' statistics, each citing the source row
    'synthetic-igfgraph'. Valid against the same schema and shapes; for benchmarks.

    \b
    Example:
      igfgraph synth --scale 10 --seed 1 --out synth-x10/
      igfgraph validate --data synth-x10/
    """  # noqa: D301
    from igfgraph.synth import write_synth

    click.echo(write_synth(out, scale, seed, data).text(), nl=False)
