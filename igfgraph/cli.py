"""The ``igfgraph`` command line: thin over the library; every command is parse → call → print.

Errors become a message on stderr and an exit code, never a traceback:
1 for data that breaks its schema or shapes (and other expected failures),
2 for input that cannot be read at all.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from igfgraph import __version__
from igfgraph.exceptions import DataPackageError, IGFGraphError, InputError

__all__ = ["cli", "main"]

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


def _store(data: Path | None):
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


@cli.command()
@data_option
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write the graph to this file (default: standard output).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["ttl", "jsonld", "nt"]),
    default="ttl",
    show_default=True,
    help="RDF serialisation.",
)
def build(data: Path | None, out: Path | None, fmt: str) -> None:
    """Build the validated RDF graph from the data tables (deterministic output)."""
    from igfgraph.pipeline import build_validated
    from igfgraph.serialize import serialize

    text = serialize(build_validated(data).graph, fmt)
    if out is None:
        click.echo(text, nl=False)
    else:
        from igfgraph.fileio import write_atomic

        write_atomic(out, text)
        click.echo(f"wrote {out}", err=True)


@cli.command()
@data_option
def validate(data: Path | None) -> None:
    """Check the tables against their schema, then the graph against the SHACL shapes.

    Exit status: 0 conforms, 1 violations (each listed with file, line, column or focus
    node, and the message), 2 unreadable input.
    """
    from igfgraph.validate import validate as run

    report = run(data)
    click.echo(report.text(), nl=False)
    sys.exit(0 if report.conforms else 1)


@cli.command()
@click.argument("query_or_file")
@data_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json", "md", "nt"]),
    default="table",
    show_default=True,
    help="Output format (json = SPARQL 1.1 Query Results JSON; nt for CONSTRUCT).",
)
def query(query_or_file: str, data: Path | None, fmt: str) -> None:
    """Run a SPARQL 1.1 SELECT, ASK or CONSTRUCT query (text, a .rq file, or - for stdin).

    The prefixes igf:, skos:, dcterms:, prov:, org:, schema:, rdfs:, xsd: … are predeclared.
    """
    from igfgraph.sparql import query as run

    if query_or_file == "-":
        text = sys.stdin.read()
    elif query_or_file.endswith((".rq", ".sparql")) or (
        len(query_or_file) < 4096 and Path(query_or_file).is_file()
    ):
        path = Path(query_or_file)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{path}: cannot read the query ({exc})") from exc
    else:
        text = query_or_file
    click.echo(run(_store(data), text).format(fmt), nl=False)


@cli.command()
@data_option
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

    frame = theme_overlap(body_theme_graph(_store(data)), kinds=kinds or None)
    click.echo(format_frame(frame, fmt), nl=False)


@cli.command()
@data_option
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

    store = _store(data)
    frame = liaison_gaps(
        body_theme_graph(store),
        liaison_graph(store),
        min_overlap=min_overlap,
        max_hops=max_hops,
        kinds=kinds or None,
    )
    click.echo(format_frame(frame, fmt), nl=False)


@cli.command()
@data_option
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

    write_html(VIEWS[view](_store(data)), out, title=f"IGF {view}")
    click.echo(f"wrote {out}", err=True)


@cli.command()
@data_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json", "md"]),
    default="table",
    show_default=True,
    help="Output format.",
)
def stats(data: Path | None, fmt: str) -> None:
    """Coverage: counts per class and year, per confidence, unsourced facts, NRIs per region."""
    from igfgraph.sparql import format_frame
    from igfgraph.stats import coverage_stats

    click.echo(format_frame(coverage_stats(_store(data)), fmt), nl=False)


@cli.command(name="all")
@data_option
@click.option(
    "--out", type=click.Path(path_type=Path, file_okay=False), required=True, help="Output folder."
)
def all_(data: Path | None, out: Path) -> None:
    """Build, validate, analyse and draw: igf.ttl, report.md, overlap.csv, gaps.csv, map.html."""
    from igfgraph.pipeline import run_all

    outputs = run_all(out, data)
    click.echo(f"igfgraph wrote {len(outputs.paths())} files to {out}/:")
    for path in outputs.paths():
        click.echo(f"  {path}")


def main() -> None:
    """Entry point of the ``igfgraph`` console script."""
    cli(prog_name="igfgraph")
