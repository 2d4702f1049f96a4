"""`igfgraph --help` and each command's help: example blocks printed as written.

Click keeps a paragraph's line breaks only when a line holding just the backspace
character (``\\b``) precedes it; a raw docstring gives it a backslash and a ``b``
instead, which click prints (``\\b Typical use:``) before re-wrapping the examples.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from igfgraph.cli import cli

COMMANDS = sorted(cli.commands)


def kept_blocks(docstring: str) -> list[list[str]]:
    """The blocks of a docstring that click must print line by line (after a \\b line)."""
    blocks, current = [], None
    for line in docstring.splitlines():
        if line.strip() == "\b":
            current = []
            blocks.append(current)
        elif current is not None:
            if not line.strip():
                current = None
            else:
                current.append(line.strip())
    return blocks


def help_text(*args: str) -> str:
    result = CliRunner().invoke(cli, [*args, "--help"], terminal_width=80)
    assert result.exit_code == 0, result.output
    return result.output


def test_group_help_prints_the_typical_use_as_written():
    text = help_text()
    assert "\\b" not in text
    lines = [line.strip() for line in text.splitlines()]
    start = lines.index("Typical use:")
    assert lines[start + 1 : start + 4] == [
        "igfgraph all --out out/          build, validate, analyse, map and report",
        "igfgraph gaps --format md        liaison gaps, ranked, with evidence",
        "igfgraph query 'SELECT …'        SPARQL 1.1 over the graph",
    ]


@pytest.mark.parametrize("name", COMMANDS)
def test_command_help_keeps_its_example_blocks(name):
    docstring = cli.commands[name].callback.__doc__ or ""
    assert "\\b" not in docstring, f"{name}: a raw docstring gives click a literal \\b"
    text = help_text(name)
    assert "\\b" not in text
    lines = [line.strip() for line in text.splitlines()]
    for block in kept_blocks(docstring):
        start = lines.index(block[0])
        assert lines[start : start + len(block)] == block, name


def test_the_query_examples_are_printed_one_per_line():
    lines = [line.strip() for line in help_text("query").splitlines()]
    start = lines.index("Examples:")
    assert lines[start + 1] == "igfgraph query --name dcs-without-session --param year=2021"
