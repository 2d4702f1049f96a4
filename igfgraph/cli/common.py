"""Shared pieces of the command line: the group, its error handling and common options."""

from __future__ import annotations

import functools
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import click

from igfgraph import __version__
from igfgraph.exceptions import DataPackageError, IGFGraphError, InputError

__all__ = [
    "TABLE_FORMATS",
    "GraphSource",
    "cli",
    "data_option",
    "emit",
    "emit_pieces",
    "evidence_option",
    "format_option",
    "graph_options",
    "load_store",
    "out_option",
    "store_options",
]

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
            ctx.exit(exc.exit_code)
        except IGFGraphError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(1)
        except OSError as exc:
            click.echo(f"Error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), err=True)
            ctx.exit(1)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:  # a bug of ours: say so plainly, without a traceback
            click.echo(
                f"Error: internal error ({type(exc).__name__}: {exc}). This is a bug in igfgraph; "
                "please report it with the command you ran.",
                err=True,
            )
            ctx.exit(3)


def data_option(f):
    """Add ``--data DIR``: the data package to read (default: the one shipped with igfgraph)."""
    return click.option(
        "--data",
        "data",
        type=click.Path(path_type=Path, file_okay=False),
        default=None,
        help="Data folder holding datapackage.json (default: the data shipped with igfgraph).",
    )(f)


@dataclass(frozen=True)
class GraphSource:
    """Where a command reads the graph from: ``--data``, ``--store`` and ``--graph`` in one value.

    :func:`graph_options` hands it to a command as its ``data`` argument and
    :func:`load_store` opens it. It is path-like (``os.fspath`` gives the data folder), so
    code written for a plain ``--data`` path keeps working.

    Attributes
    ----------
    data : pathlib.Path or None
        The data folder (``None``: the shipped data).
    store : str
        The store (``memory``, ``oxigraph``, ``oxigraph:PATH`` or ``sparql:URL``).
    graph : str or None
        The named graph on a ``sparql:`` store.
    """

    data: Path | None = None
    store: str = "oxigraph"
    graph: str | None = None

    def __fspath__(self) -> str:
        if self.data is not None:
            return os.fspath(self.data)
        from igfgraph.paths import default_data_dir

        return os.fspath(default_data_dir())


def store_options(f):
    """Add ``--store SPEC`` and ``--graph IRI`` (passed as ``store`` and ``graph``)."""
    f = click.option(
        "--graph",
        "graph",
        metavar="IRI",
        default=None,
        help="Named graph holding igfgraph on a sparql: store (default: its default graph).",
    )(f)
    return click.option(
        "--store",
        "store",
        metavar="STORE",
        default=None,
        help=(
            "Where the graph is: memory (rdflib), oxigraph (in memory, the default), "
            "oxigraph:PATH (on disk, built once) or sparql:URL (a SPARQL 1.1 server; "
            "credentials from IGFGRAPH_SPARQL_AUTH=user:password). Wins over --data."
        ),
    )(f)


def graph_options(f):
    """Add the options of every command that reads the built graph.

    ``--data DIR``, ``--store STORE`` and ``--graph IRI`` reach the command as one
    :class:`GraphSource` in its ``data`` argument; the command passes it to
    :func:`load_store`, so a new option here needs no change in any command.
    """

    @functools.wraps(f)
    def command(*args, data=None, store=None, graph=None, **kwargs):
        source = GraphSource(data=data, store=store or "oxigraph", graph=graph or None)
        return f(*args, data=source, **kwargs)

    return data_option(store_options(command))


def out_option(f):
    """Add ``--out FILE``: write the result to a file instead of standard output."""
    return click.option(
        "--out",
        "out",
        type=click.Path(path_type=Path, dir_okay=False),
        default=None,
        help="Write the result to this file (UTF-8, replaced atomically) instead of printing it.",
    )(f)


def emit(text: str, out: Path | None = None) -> None:
    """Print a command's result, or write it to ``out``: the same UTF-8 bytes either way.

    Standard output gets UTF-8 whatever the console's encoding (``PYTHONIOENCODING``, a
    Windows code page), so ``igfgraph build > f.ttl`` and ``igfgraph build --out f.ttl``
    give the same file.

    Parameters
    ----------
    text : str
        The result.
    out : pathlib.Path, optional
        A file to write instead (atomically, :func:`igfgraph.fileio.write_atomic`); a
        line on standard error says where it went.
    """
    if out is not None:
        from igfgraph.fileio import write_atomic

        write_atomic(out, text)
        click.echo(f"wrote {out}", err=True)
        return
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a text-only stream (some notebook or IDE consoles)
        sys.stdout.write(text)
        return
    buffer.write(text.encode("utf-8"))
    buffer.flush()


class StreamState:
    """What :func:`emit_pieces` has written so far, for a watchdog that ends the process.

    Attributes
    ----------
    atomic : igfgraph.fileio.AtomicFile or None
        The temporary file of ``--out`` while it is being written.
    started : bool
        Whether any piece went to standard output.
    """

    def __init__(self) -> None:
        self.atomic = None
        self.started = False


#: what is said when a streamed result on standard output stops part way
CUT = "the output above was cut short and is incomplete"


def emit_pieces(pieces, out: Path | None = None, state: StreamState | None = None) -> None:
    """Write a result that comes in pieces (a streamed query answer), as :func:`emit` would.

    Parameters
    ----------
    pieces : iterable of str
        The result, drawn one piece at a time and never held whole.
    out : pathlib.Path, optional
        A file to write instead, atomically (:func:`igfgraph.fileio.open_atomic`): if the
        pieces fail part way, no file is left and the previous one is untouched.
    state : StreamState, optional
        Filled as the pieces are written (for a watchdog).

    Raises
    ------
    IGFGraphError
        Whatever the pieces raise; on standard output, with :data:`CUT` appended when
        some pieces had already been written.
    """
    state = state if state is not None else StreamState()
    if out is not None:
        from igfgraph.fileio import open_atomic

        with open_atomic(out) as fh:
            state.atomic = fh
            for piece in pieces:
                fh.write(piece)
        state.atomic = None
        click.echo(f"wrote {out}", err=True)
        return
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    try:
        for piece in pieces:
            if buffer is None:  # a text-only stream (some notebook or IDE consoles)
                sys.stdout.write(piece)
                sys.stdout.flush()
            else:
                buffer.write(piece.encode("utf-8"))
                buffer.flush()  # what is written is out, should the watchdog end the process
            state.started = True
    except IGFGraphError as exc:
        if state.started:
            raise type(exc)(f"{exc}; {CUT}") from exc
        raise


def _split_evidence(ctx, param, values: tuple[str, ...]) -> tuple[str, ...]:
    from igfgraph.evidence import parse_evidence

    try:
        return parse_evidence(values)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


def evidence_option(f):
    """Add ``--evidence``: which evidence types of liaison the command counts."""
    return click.option(
        "--evidence",
        "evidence",
        multiple=True,
        metavar="TYPE[,TYPE…]",
        callback=_split_evidence,
        help=(
            "Liaison evidence to count: stated, co-organised, co-authored, co-presence, or all "
            "(comma-separated or repeated). Default: stated,co-organised,co-authored; "
            "co-presence (took part in the same main session) only when named."
        ),
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


def load_store(data: GraphSource | Path | None):
    """Open the graph a command reads, as an rdflib ``Graph`` in the chosen store.

    Parameters
    ----------
    data : GraphSource or pathlib.Path or None
        What :func:`graph_options` passed (a bare path or ``None`` means that data folder
        in the default store).

    Returns
    -------
    rdflib.Graph
        The graph (see :func:`igfgraph.stores.open_graph`); every analysis and
        :func:`igfgraph.sparql.query` take it.
    """
    from igfgraph.pipeline import open_graph
    from igfgraph.stores import parse_store, store_holds_graph

    source = data if isinstance(data, GraphSource) else GraphSource(data=data)
    spec = parse_store(source.store)
    if source.data is not None and store_holds_graph(spec):
        click.echo(f"note: --data {source.data} is not read: the graph comes from {spec}", err=True)
    return open_graph(spec, data=source.data, graph=source.graph)


def _no_cache(ctx, param, value: bool) -> bool:
    if value:  # read by igfgraph.cache, in this process and the ones it starts
        os.environ["IGFGRAPH_NO_CACHE"] = "1"
    return value


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="igfgraph")
@click.option(
    "--no-cache",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_no_cache,
    help=(
        "Build and validate the graph in memory instead of opening the cached build "
        "(the cache: `igfgraph cache info`; IGFGRAPH_NO_CACHE=1 does the same)."
    ),
)
def cli() -> None:
    """igfgraph: a sourced knowledge graph of the Internet Governance Forum and its bodies.

    \b
    Typical use:
      igfgraph all --out out/          build, validate, analyse, map and report
      igfgraph gaps --format md        liaison gaps, ranked, with evidence
      igfgraph query 'SELECT …'        SPARQL 1.1 over the graph
    """  # noqa: D301  (click needs a real \b line, not a raw string)
