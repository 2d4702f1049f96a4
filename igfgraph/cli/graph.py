"""Commands that build, check, query and summarise the graph."""

from __future__ import annotations

import os
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

import click

from igfgraph.cli.common import (
    CUT,
    StreamState,
    cli,
    data_option,
    emit,
    emit_pieces,
    evidence_option,
    graph_options,
    load_store,
    out_option,
)
from igfgraph.exceptions import InputError


@cli.command()
@data_option
@out_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["ttl", "jsonld", "nt"]),
    default="ttl",
    show_default=True,
    help="RDF serialisation.",
)
def build(data: Path | None, out: Path | None, fmt: str) -> None:
    """Build the validated RDF graph from the data tables (deterministic output).

    The graph comes from the build cache when it holds this data (built into it otherwise,
    or in memory with --no-cache), its serialisation too once made: the same bytes either
    way.
    """
    from igfgraph.cache import cached_text
    from igfgraph.pipeline import open_graph
    from igfgraph.serialize import serialize

    emit(cached_text(data, f"graph.{fmt}", lambda: serialize(open_graph(data=data), fmt)), out)


@cli.command()
@data_option
@out_option
def validate(data: Path | None, out: Path | None) -> None:
    """Check the tables against their schema, then the graph against the SHACL shapes.

    Exit status: 0 conforms, 1 violations (each listed with file, line, column or focus
    node, and the message), 2 unreadable input.
    """
    from igfgraph.validate import validate as run

    report = run(data)
    emit(report.text(), out)
    sys.exit(report.exit_code)


def _is_file(text: str) -> bool:
    """Say whether a query argument names an existing file (a long query is not a path)."""
    if "{" in text or "\n" in text:
        return False
    try:
        return Path(text).is_file()
    except (OSError, ValueError):  # name too long, NUL byte
        return False


@cli.command()
@click.argument("query_or_file", required=False)
@click.option(
    "--name",
    "name",
    metavar="NAME",
    default=None,
    help="Run the named query NAME instead (`igfgraph queries` lists them).",
)
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A parameter of the named query (repeatable), e.g. --param year=2021.",
)
@graph_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "md", "json", "xml", "csv", "tsv", "nt"]),
    default="table",
    show_default=True,
    help="Output format: json, xml, csv, tsv are the W3C SPARQL results formats, as the "
    "endpoint writes them, streamed as the query runs (any size); table and md are built "
    "in memory (column widths need every row); nt (CONSTRUCT) is sorted, in memory.",
)
@click.option(
    "--timeout",
    "timeout",
    type=click.FloatRange(min=0),
    default=30.0,
    show_default=True,
    metavar="SECONDS",
    help="Stop the query after this many seconds with an error (0: no limit). Opening or "
    "building the graph does not count.",
)
@out_option
def query(
    query_or_file: str | None,
    name: str | None,
    params: tuple[str, ...],
    data,
    fmt: str,
    timeout: float,
    out: Path | None,
) -> None:
    """Run a SPARQL 1.1 SELECT, ASK or CONSTRUCT query (text, a .rq file, - for stdin, or --name).

    The prefixes igf:, skos:, dcterms:, prov:, org:, schema:, rdfs:, xsd: … are predeclared.
    The query runs in the engine of --store: Oxigraph by default, rdflib for memory, the
    server for sparql:URL.

    \b
    Examples:
      igfgraph query --name dcs-without-session --param year=2021
      igfgraph query 'SELECT ?dc WHERE { ?dc a igf:DynamicCoalition }' --format csv
    """  # noqa: D301  (click needs a real \b line, not a raw string)
    from igfgraph.queries import named_query, parse_params
    from igfgraph.sparql import query as run

    if name is not None:
        if query_or_file is not None:
            raise click.UsageError("give a query or --name NAME, not both")
        text = named_query(name).render(parse_params(params))
    elif params:
        raise click.UsageError("--param goes with --name NAME")
    elif query_or_file is None:
        raise click.UsageError("give a query (text, a .rq file or -) or --name NAME")
    elif query_or_file == "-":
        text = sys.stdin.read()
    elif query_or_file.endswith((".rq", ".sparql")) or _is_file(query_or_file):
        path = Path(query_or_file)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{path}: cannot read the query ({exc})") from exc
    else:
        text = query_or_file
    from igfgraph.results import FORMATS

    graph = load_store(data)
    state = StreamState()
    with _time_limit(timeout, state):
        result = run(graph, text, lazy=fmt in FORMATS)
        emit_pieces(result.pieces(fmt), out, state)


@contextmanager
def _time_limit(seconds: float, state: StreamState):
    """End the process with a one-line error if the block runs longer than ``seconds``.

    The query may be running inside Oxigraph's native code, where no Python exception can
    reach it; a watchdog thread ends the process instead (exit 1). The result streams
    while the query runs: an ``--out`` file is then removed (nothing half-written); on
    standard output, the error says that what was printed is cut short. ``0`` means no
    limit.
    """
    if not seconds:
        yield
        return

    def stop() -> None:
        atomic = state.atomic
        if atomic is not None:
            atomic.discard()
        cut = f"; {CUT}" if state.started else ""
        sys.stderr.write(
            f"Error: the query ran past the time limit of {seconds:g} s and was stopped "
            f"(raise it with --timeout SECONDS, 0 for none){cut}\n"
        )
        sys.stderr.flush()
        os._exit(1)

    timer = threading.Timer(seconds, stop)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


@cli.command()
@graph_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json", "md"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@out_option
def stats(data, fmt: str, out: Path | None) -> None:
    """Coverage: counts per class and year, per confidence, unsourced facts, NRIs per region."""
    from igfgraph.sparql import format_frame
    from igfgraph.stats import coverage_stats

    emit(format_frame(coverage_stats(load_store(data)), fmt), out)


@cli.command(name="all")
@data_option
@click.option(
    "--out", type=click.Path(path_type=Path, file_okay=False), required=True, help="Output folder."
)
@evidence_option
def all_(data: Path | None, out: Path, evidence: tuple[str, ...]) -> None:
    """Build, validate, analyse and draw: igf.ttl, report.md, overlap.csv, gaps.csv, map.html.

    OUT is replaced as a whole, in one step, once every file is ready: interrupted or
    out of disk, it holds the previous output or the new one, never a mix. It must be a
    new folder, an empty one, or the output of an earlier run.
    """
    from igfgraph.pipeline import run_all

    outputs = run_all(out, data, evidence=evidence)
    lines = [f"igfgraph wrote {len(outputs.paths())} files to {out}/:"]
    lines += [f"  {path}" for path in outputs.paths()]
    emit("\n".join(lines) + "\n")
