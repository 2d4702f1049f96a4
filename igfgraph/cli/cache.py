"""``igfgraph cache``: the build cache (:mod:`igfgraph.cache`)."""

from __future__ import annotations

import click

from igfgraph.cli.common import cli


@cli.group("cache")
def cache_group() -> None:
    """Show or empty the cache of validated graphs (`info`, `clear`).

    Commands that read the graph build and validate it once per change of the data,
    the ontology, the shapes or igfgraph itself, and keep it here as an Oxigraph store.
    IGFGRAPH_CACHE_DIR names another folder; --no-cache skips it.
    """


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e5 else f"{n / 1e3:.1f} kB"


@cache_group.command("info")
def cache_info() -> None:
    """Show where the cache is and each cached graph: key, triples, data folder, size."""
    from igfgraph.cache import cache_dir, cache_enabled, cache_entries, cache_key

    entries = cache_entries()
    click.echo(f"cache folder: {cache_dir()}")
    if not cache_enabled():
        click.echo("cache: off (IGFGRAPH_NO_CACHE=1 or --no-cache)")
    current = cache_key()
    click.echo(f"entries: {len(entries)}, {_size(sum(e.size for e in entries))}")
    for e in entries:
        mark = " (shipped data, current)" if e.key == current else ""
        r = e.report
        click.echo(
            f"  {e.key[:16]}  {r.get('triples', '?')} triples  built {r.get('built', '?')} "
            f"in {r.get('build_seconds', '?')} s  {_size(e.size)}  {r.get('data', '?')}{mark}"
        )


@cache_group.command("clear")
def cache_clear() -> None:
    """Remove every cached graph (the next command rebuilds what it needs)."""
    from igfgraph.cache import cache_dir, clear_cache

    freed = clear_cache()
    click.echo(f"cleared {cache_dir()} ({_size(freed)} freed)")
