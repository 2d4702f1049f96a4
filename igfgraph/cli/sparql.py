"""Commands for SPARQL users: the named queries, loading a server, serving an endpoint."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from igfgraph.cli.common import cli, data_option, emit, out_option


@cli.command()
@click.argument("name", required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "md", "json"]),
    default="table",
    show_default=True,
    help="Output format of the list.",
)
@out_option
def queries(name: str | None, fmt: str, out: Path | None) -> None:
    """List the named competency questions, or show one (its parameters, columns and SPARQL).

    Run one with `igfgraph query --name NAME [--param k=v]`.
    """
    from igfgraph.queries import named_query, question_table
    from igfgraph.sparql import format_frame

    if name is not None:
        q = named_query(name)
        usage = "usage: igfgraph query --name " + q.name
        usage += "".join(f" --param {p.signature()}" for p in q.parameters)
        text = q.text if q.text.endswith("\n") else q.text + "\n"
        emit(f"{q.name}: {q.question}\n\n{usage}\nfile:  {q.path}\n\n{text}", out)
        return
    rows = question_table().to_dict("records")
    if fmt == "json":
        emit(json.dumps(rows, indent=2, ensure_ascii=False) + "\n", out)
        return
    if fmt == "md":
        import pandas as pd

        emit(format_frame(pd.DataFrame(rows), "md"), out)
        return
    lines = []
    for row in rows:
        lines += [row["name"], f"    {row['question']}"]
        if row["parameters"]:
            lines.append(f"    parameters: {row['parameters']}")
    emit("\n".join(lines) + "\n", out)


def _progress_bar():
    state: dict = {}

    def update(done: int, total: int, unit: str) -> None:
        bar = state.get("bar")
        if bar is None:
            label = "loading " + ("triples" if unit == "triples" else "N-Triples")
            bar = click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True)
            bar.__enter__()
            state["bar"] = bar
            state["done"] = 0
        bar.update(done - state["done"])
        state["done"] = done

    def close() -> None:
        if "bar" in state:
            state["bar"].__exit__(None, None, None)

    return update, close


@cli.command()
@data_option
@click.option(
    "--store",
    "store",
    required=True,
    metavar="STORE",
    help="sparql:URL (a SPARQL 1.1 server) or oxigraph:PATH (an on-disk store, rebuilt).",
)
@click.option(
    "--graph",
    "graph",
    metavar="IRI",
    default=None,
    help="Load into this named graph (default: the server's default graph).",
)
@click.option(
    "--method",
    type=click.Choice(["auto", "graph-store", "update"]),
    default="auto",
    show_default=True,
    help="Graph Store Protocol PUT, SPARQL Update, or the first the server supports.",
)
@click.option(
    "--chunk",
    "chunk",
    type=click.IntRange(min=1),
    default=5000,
    show_default=True,
    help="Triples per SPARQL Update request.",
)
def push(data: Path | None, store: str, graph: str | None, method: str, chunk: int) -> None:
    """Build and validate the graph, then load it into a store, replacing the previous load.

    A server's graph is replaced in one step where it allows (one Graph Store Protocol PUT,
    or SPARQL Update chunks into a staging graph moved into place by one request).
    Credentials come from IGFGRAPH_SPARQL_AUTH=user:password. Query the loaded graph with
    the same --store (and --graph).
    """
    from igfgraph.pipeline import build_validated
    from igfgraph.stores import push as run

    built = build_validated(data)
    update, close = _progress_bar()
    try:
        result = run(
            built.graph,
            store,
            graph_iri=graph,
            method=method,
            chunk_triples=chunk,
            progress=update,
        )
    finally:
        close()
    where = f"graph <{result.graph}>" if result.graph else "default graph"
    if result.method == "oxigraph":
        where = "store"
    click.echo(
        f"loaded {result.triples} triples into the {where} of {result.store} ({result.method})",
        err=True,
    )


@cli.command()
@data_option
@click.option(
    "--store",
    "store",
    default="oxigraph",
    show_default=True,
    metavar="STORE",
    help="oxigraph (built in a temporary folder), oxigraph:PATH (opened read-only) or memory.",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port (0: any)."
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=30.0,
    show_default=True,
    help="Seconds a query may run before it is stopped.",
)
@click.option(
    "--max-rows",
    type=click.IntRange(min=1),
    default=100_000,
    show_default=True,
    help="Largest result (rows or triples); larger ones are refused.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Worker processes (queries run at once).",
)
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=64 * 1024 * 1024,
    show_default=True,
    help="Largest answer in bytes; larger ones are refused.",
)
@click.option(
    "--max-memory",
    type=click.IntRange(min=0),
    default=1024,
    show_default=True,
    metavar="MIB",
    help="Address space of each query worker in MiB (0: no cap); a query past it is stopped.",
)
@click.option(
    "--max-queue",
    type=click.IntRange(min=0),
    default=64,
    show_default=True,
    help="Queries that may wait for a worker; past that the busiest client gets 503.",
)
@click.option(
    "--allowed-host",
    "allowed_hosts",
    multiple=True,
    metavar="NAME",
    help="Answer requests with this Host name too (repeatable; loopback names and the "
    "bound address are always answered).",
)
@click.option(
    "--allow-service",
    is_flag=True,
    help="Allow SERVICE (federated queries make the server fetch the URLs they name; "
    "the workers then keep the network).",
)
@click.option(
    "--no-network-isolation",
    is_flag=True,
    help="Serve even where the system cannot run the query workers without a network "
    "(only the SPARQL check then keeps queries off the network).",
)
@click.option("--quiet", is_flag=True, help="Do not log each request.")
def serve(
    data: Path | None,
    store: str,
    host: str,
    port: int,
    timeout: float,
    max_rows: int,
    workers: int,
    max_bytes: int,
    max_memory: int,
    max_queue: int,
    allowed_hosts: tuple[str, ...],
    allow_service: bool,
    no_network_isolation: bool,
    quiet: bool,
) -> None:
    """Serve the graph as a read-only SPARQL 1.1 endpoint with a query page (Ctrl-C stops).

    SPARQL 1.1 Protocol at /sparql (JSON, XML, CSV, TSV; Turtle for CONSTRUCT), the query
    page at /, the VoID description at /void. Updates, LOAD and SERVICE are refused; each
    query runs in a worker process without a network (Linux), stopped at --timeout or
    --max-memory.
    """
    from igfgraph.endpoint.options import ServeOptions
    from igfgraph.endpoint.server import serve as run

    options = ServeOptions(
        timeout=timeout,
        max_rows=max_rows,
        max_bytes=max_bytes,
        max_memory=max_memory * 1024 * 1024,
        workers=workers,
        max_queue=max_queue,
        allow_service=allow_service,
        isolate_network=not no_network_isolation,
        allowed_hosts=allowed_hosts,
    )
    run(
        store,
        data=data,
        host=host,
        port=port,
        options=options,
        log_level="warning" if quiet else "info",
        announce=lambda line: print(line, file=sys.stderr, flush=True),
    )
