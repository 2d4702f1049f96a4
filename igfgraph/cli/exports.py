"""Commands that export the graph for other tools and document the ontology."""

from __future__ import annotations

from pathlib import Path

import click

from igfgraph.cli.common import cli, emit, evidence_option, graph_options, load_store

EXPORT_CHOICES = ["ttl", "nt", "jsonld", "trig", "nq", "graphml", "gexf", "csv", "xlsx"]


@cli.command(name="export")
@graph_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_CHOICES),
    required=True,
    help=(
        "ttl, nt, jsonld (with its context beside it), trig or nq (one named graph per "
        "source); graphml or gexf (for Gephi; GEXF with a timeline); csv (node and edge "
        "lists, NAME-nodes.csv and NAME-edges.csv); xlsx (the analysis tables, one sheet each)."
    ),
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="File to write (default: igf.SUFFIX in the current folder); others go beside it.",
)
@click.option(
    "--with-themes",
    is_flag=True,
    help="graphml, gexf, csv: add the themes as a second layer of nodes.",
)
@evidence_option
def export_(data, fmt: str, out: Path | None, with_themes: bool, evidence) -> None:
    """Export the graph for Gephi, Excel and RDF tools (deterministic files).

    The networks are the one centrality network of `igfgraph centrality`: bodies as
    nodes (kind, years, themes, community as attributes), one edge per collaboration
    (evidence type, start year) or governance relation behind each tie.
    """
    from igfgraph.exports import EXPORT_FORMATS, export
    from igfgraph.model import read_model
    from igfgraph.sparql import to_store

    graph = load_store(data)
    model = read_model(to_store(graph))
    target = out if out is not None else Path(f"igf{EXPORT_FORMATS[fmt]}")
    written = export(graph, model, fmt, target, with_themes=with_themes, evidence=evidence)
    emit("".join(f"wrote {path}\n" for path in written))


@cli.command(name="docs")
@graph_options
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Output folder (replaced as a whole: new, empty, or an earlier docs output).",
)
def docs_(data, out: Path) -> None:
    """Document the ontology and the theme scheme: HTML pages and a class diagram.

    ontology.html (pyLODE), themes.html (the theme scheme), classes.dot and classes.svg
    (drawn by Graphviz dot; without it, the diagram is left out with a note).
    """
    from igfgraph.docs import write_docs
    from igfgraph.model import read_model
    from igfgraph.sparql import to_store

    written = write_docs(read_model(to_store(load_store(data))), out)
    if not any(p.name == "classes.svg" for p in written):
        click.echo(
            "note: Graphviz dot not found: classes.svg not drawn (classes.dot written)", err=True
        )
    emit("".join(f"wrote {path}\n" for path in written))
