"""The ``igfgraph`` command line: thin over the library; every command is parse → call → print.

Errors become a message on stderr and an exit code, never a traceback:
1 for data that breaks its schema or shapes (and other expected failures),
2 for input that cannot be read at all.
"""

from igfgraph.cli import (  # noqa: F401  (registers the commands)
    analyses,
    cache,
    exports,
    graph,
    maps,
    site,
    sparql,
    synth,
    upkeep,
)
from igfgraph.cli.common import cli

__all__ = ["cli", "main"]


def main() -> None:
    """Entry point of the ``igfgraph`` console script."""
    cli(prog_name="igfgraph")
