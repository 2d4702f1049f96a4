"""`igfgraph query --timeout SECONDS`: a query past its limit is stopped with a one-line error.

The timed-out runs are subprocesses: the limit ends the process (a query inside Oxigraph's
native code cannot be interrupted otherwise).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from igfgraph.cli import cli

ROOT = Path(__file__).resolve().parent.parent
CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # ~10^9 rows on mini


def igfgraph(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "igfgraph", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.parametrize("store", ["oxigraph", "memory"])
def test_a_query_past_its_time_limit_is_stopped(mini_package, store, tmp_path):
    out = tmp_path / "result.csv"
    args = ["query", "--data", str(mini_package), "--store", store, "--timeout", "1"]
    result = igfgraph(*args, "--format", "csv", "--out", str(out), CROSS)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "Error: the query ran past the time limit of 1 s and was stopped "
        "(raise it with --timeout SECONDS, 0 for none)"
    ]
    assert not out.exists() and list(tmp_path.iterdir()) == []  # nothing half-written


def test_no_limit_and_a_short_query(mini_package, mini_built):
    for limit in ("0", "30"):
        result = CliRunner().invoke(
            cli,
            ["query", "--data", str(mini_package), "--timeout", limit, "--format", "csv"]
            + ["SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"],
        )
        assert result.exit_code == 0, result.output
        assert result.output.splitlines() == ["n", str(len(mini_built.graph))]


def test_a_negative_limit_is_a_usage_error(mini_package):
    result = CliRunner().invoke(cli, ["query", "--timeout", "-1", "ASK {}"])
    assert result.exit_code == 2 and "--timeout" in result.output
