"""Start-up: `igfgraph --help` and every command's `--help` import none of the heavy modules.

Each help runs in its own Python process (a module imported by an earlier help would hide
one imported by a later one), which prints the top-level names of ``sys.modules``. The
commands are read from the click group, so a command added later is covered.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from igfgraph.cli import cli

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("pandas", "networkx", "pyvis", "matplotlib", "pyshacl", "sklearn")

SCRIPT = """
import json, sys
from igfgraph.cli import cli
try:
    cli.main(sys.argv[1:], prog_name="igfgraph", standalone_mode=False)
except SystemExit:
    pass
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


def command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command and subcommand of a click group, as argument tuples (the group first)."""
    found = [prefix]
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            found += command_paths(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


COMMANDS = command_paths(cli)


def test_every_command_is_listed():
    names = {c[0] for c in COMMANDS if c}
    assert {"validate", "query", "all", "cache", "serve"} <= names
    assert ("cache", "clear") in COMMANDS and ("cache", "info") in COMMANDS


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "igfgraph")
def test_help_imports_no_heavy_module(command: tuple[str, ...]):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, *command, "--help"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    help_text, _, modules_line = result.stdout.rstrip().rpartition("\n")
    assert "Usage:" in help_text
    modules = set(json.loads(modules_line))
    assert "igfgraph" in modules and "click" in modules  # the check sees real imports
    assert not modules & set(HEAVY), f"{' '.join(command)} --help imports {modules & set(HEAVY)}"
