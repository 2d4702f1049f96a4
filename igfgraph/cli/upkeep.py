"""Commands that keep the data current: ``extract`` and ``diff-register``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from igfgraph.cli.common import cli, data_option, emit, out_option


@cli.command()
@click.argument("document", type=click.Path(path_type=Path, dir_okay=False))
@data_option
@click.option(
    "--source-id",
    "source_id",
    metavar="ID",
    default=None,
    help="The document's id in sources.csv (default: the slug of its file name).",
)
@click.option(
    "--kind",
    type=click.Choice(["auto", "dc-list", "sessions"]),
    default="auto",
    show_default=True,
    help="What to look for; auto decides for each list or table.",
)
@click.option(
    "--meeting",
    metavar="ID",
    default=None,
    help="The meeting of the sessions (igf-2021); default: the nearest 'IGF YYYY' before "
    "each list, or the year of a session's date.",
)
@out_option
def extract(
    document: Path,
    data: Path | None,
    source_id: str | None,
    kind: str,
    meeting: str | None,
    out: Path | None,
) -> None:
    """Read DC entries and session listings from DOCUMENT into a change set (CSV).

    DOCUMENT is text, Markdown, HTML or PDF of at most 20 MB. Each candidate row gives
    the name, acronym or session title read, its locator (line, page or element path),
    the matched id, ``new`` (with a proposed id) or ``ambiguous`` (with its
    candidates), and the match score. Nothing in the data changes: review the file,
    then run ``igfgraph diff-register``.
    """
    from igfgraph.upkeep.extract import candidates_csv
    from igfgraph.upkeep.extract import extract as run

    rows = run(document, data=data, kind=kind, source_id=source_id, meeting=meeting)
    emit(candidates_csv(rows), out)
    counts = dict.fromkeys(("matched", "new", "ambiguous"), 0)
    for r in rows:
        counts[r.match if r.match in ("new", "ambiguous") else "matched"] += 1
    click.echo(
        f"{len(rows)} candidate(s): {counts['matched']} matched, {counts['new']} new, "
        f"{counts['ambiguous']} ambiguous",
        err=True,
    )


@cli.command("diff-register")
@click.argument("changes", type=click.Path(path_type=Path, dir_okay=False))
@data_option
@click.option("--register", "register", metavar="ID", default=None,
              help="Id of the new register (default: dc-list-AS_OF).")  # fmt: skip
@click.option("--as-of", "as_of", metavar="DATE", default=None,
              help="Date the list describes (YYYY, YYYY-MM or YYYY-MM-DD); "
                   "needed to apply a DC list.")  # fmt: skip
@click.option("--title", default=None, help="Title of the document (for a new source).")
@click.option("--url", default=None, help="Address of the document (for a new source).")
@click.option("--publisher", default=None, help="Publisher of the document (for a new source).")
@click.option(
    "--source-type",
    type=click.Choice(["paper", "web-page", "report", "resolution", "news"]),
    default="web-page",
    show_default=True,
    help="sources.type of a new source.",
)
@click.option("--apply", "apply", is_flag=True, help="Write the changes into the data folder.")
@out_option
def diff_register(
    changes: Path,
    data: Path | None,
    register: str | None,
    as_of: str | None,
    title: str | None,
    url: str | None,
    publisher: str | None,
    source_type: str,
    apply: bool,
    out: Path | None,
) -> None:
    """Say what CHANGES (a change set of ``igfgraph extract``) would change in the data.

    New bodies, DCs the document does not list (never deleted), renames, acronym
    changes, new sessions and the ambiguous rows to decide. With --apply (refused while
    a row is ambiguous) the document is added to sources.csv, a register with every DC
    listed or not-listed, the new rows in sorted order with their locators, and the
    summaries and themes of new bodies are marked to curate (validate warns about them):
    all tables are replaced together or none is. Exit 1 when nothing could be applied.
    """
    from igfgraph.upkeep.register import apply_changes, diff_register, read_changes

    rows = read_changes(changes)
    if not apply:
        emit(diff_register(rows, data).text(), out)
        return
    diff, written = apply_changes(
        rows, data, register=register, as_of=as_of, title=title, url=url,
        publisher=publisher, source_type=source_type,
    )  # fmt: skip
    text = diff.text() + f"applied: {len(written)} table(s) written\n"
    text += "".join(f"  {p}\n" for p in written)
    emit(text, out)
    sys.stdout.flush()
