"""The command that writes the Linked Data site."""

from __future__ import annotations

from pathlib import Path

import click

from igfgraph.cli.common import cli, emit, evidence_option, graph_options, load_store


@cli.command()
@graph_options
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Folder of the site (replaced as a whole: new, empty, or an earlier site).",
)
@evidence_option
def site(data, out: Path, evidence: tuple[str, ...]) -> None:
    """Write the Linked Data site: a page per entity with its Turtle and JSON-LD beside it.

    One page per body, theme, meeting, session, output, recommendation and source at the
    path of its IRI (id/dc/dc3/index.html, index.ttl, index.jsonld), an index per kind, a
    search page, and _redirects and .htaccess for content negotiation on a static host.
    A body's page is its liaison brief. Offline: no page loads anything from the network.
    """
    from igfgraph.site import write_site

    files = write_site(out, load_store(data), evidence=evidence)
    emit(f"igfgraph wrote the site ({len(files)} files) to {out}/\n")
