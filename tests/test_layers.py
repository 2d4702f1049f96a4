"""Layers, one way down (issue 9): the import-linter contract in pyproject.toml holds, covers
every module of the package, and fails when a module imports one above it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.skipif(
    not LINT.exists(), reason="import-linter is not installed (dev extra)"
)


def run_lint(cwd: Path, package_parent: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(package_parent)}
    return subprocess.run(
        [str(LINT), "--no-cache"], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


def layers() -> list[list[str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = config["tool"]["importlinter"]["contracts"]
    return [[m.strip() for m in layer.replace("|", ":").split(":")] for layer in contract["layers"]]


def test_the_layer_contract_is_kept():
    result = run_lint(ROOT, ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_every_module_of_the_package_sits_in_a_layer():
    listed = {m for layer in layers() for m in layer}
    package = ROOT / "igfgraph"
    modules = {
        f"igfgraph.{p.stem}" for p in package.glob("*.py") if p.stem not in ("__init__", "__main__")
    }
    modules |= {f"igfgraph.{p.parent.name}" for p in package.glob("*/__init__.py")}
    assert modules == listed


def test_an_upward_import_breaks_the_contract(tmp_path):
    shutil.copytree(
        ROOT / "igfgraph", tmp_path / "igfgraph", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    stores = tmp_path / "igfgraph" / "stores.py"
    stores.write_text(
        stores.read_text(encoding="utf-8")
        + "\n\ndef _up():\n    from igfgraph.pipeline import build_validated\n\n    return build_validated\n",
        encoding="utf-8",
    )
    result = run_lint(tmp_path, tmp_path)
    assert result.returncode == 1
    assert "BROKEN" in result.stdout and "igfgraph.stores -> igfgraph.pipeline" in result.stdout


def _string_constants(path: Path) -> list[str]:
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]


def test_no_sparql_text_in_the_analysis_views_or_report():
    import re

    sparql = re.compile(r"\b(SELECT|CONSTRUCT|ASK)\b[\s\S]*\bWHERE\b")
    modules = [*sorted((ROOT / "igfgraph" / "analysis").glob("*.py")), ROOT / "igfgraph" / "views.py",
               ROOT / "igfgraph" / "report.py", ROOT / "igfgraph" / "stats.py"]  # fmt: skip
    for path in modules:
        found = [s for s in _string_constants(path) if sparql.search(s)]
        assert not found, (path.name, found[:1])
    # the read model's queries live in .rq files of their own
    assert len(list((ROOT / "igfgraph" / "model" / "queries").glob("*.rq"))) >= 14
