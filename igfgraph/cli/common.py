"""Shared pieces of the command line: the group, its error handling and common options."""

from __future__ import annotations

from pathlib import Path

import click

from igfgraph import __version__
from igfgraph.exceptions import DataPackageError, IGFGraphError, InputError

__all__ = ["TABLE_FORMATS", "cli", "data_option", "format_option", "graph_options", "load_store"]

TABLE_FORMATS = ["table", "csv", "json", "md"]


class _Group(click.Group):
    """A click group that turns library errors into messages and exit codes."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except InputError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(2)
        except DataPackageError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(1)
        except IGFGraphError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(1)
        except OSError as exc:
            click.echo(f"Error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), err=True)
            ctx.exit(1)


def data_option(f):
    """Add ``--data DIR``: the data package to read (default: the one shipped with igfgraph)."""
    return click.option(
        "--data",
        "data",
        type=click.Path(path_type=Path, file_okay=False),
        default=None,
        help="Data folder holding datapackage.json (default: the data shipped with igfgraph).",
    )(f)


def graph_options(f):
    """Add the options of every command that reads the built graph (today: ``--data DIR``)."""
    return data_option(f)


def format_option(choices=TABLE_FORMATS, default="table"):
    """Add ``--format``: how tabular results are printed."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=default,
        show_default=True,
        help="Output format.",
    )


def load_store(data: Path | None):
    """Build the graph from ``data`` (or the shipped data) and load it into Oxigraph."""
    from igfgraph.build import load_graph
    from igfgraph.sparql import to_store

    return to_store(load_graph(data))


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="igfgraph")
def cli() -> None:
    r"""igfgraph: a sourced knowledge graph of the Internet Governance Forum and its bodies.

    \b
    Typical use:
      igfgraph all --out out/          build, validate, analyse, map and report
      igfgraph gaps --format md        liaison gaps, ranked, with evidence
      igfgraph query 'SELECT …'        SPARQL 1.1 over the graph
    """
