"""The .gitignore keeps on-disk stores and notebook outputs out of commits (issue 9)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(
    shutil.which("git") is None or not (ROOT / ".git").exists(), reason="not a git checkout"
)
@pytest.mark.parametrize(
    "path",
    ["graph.db/000001.sst", "my-store.db/CURRENT", "notebooks/landscape.html",
     "notebooks/landscape-table.html", "notebooks/01-landscape.nbconvert.ipynb", "out/map.html"],
)  # fmt: skip
def test_ignored(path):
    result = subprocess.run(
        ["git", "check-ignore", "--no-index", "-q", path],
        cwd=ROOT,
        check=False,
        capture_output=True,
    )
    assert result.returncode == 0, path


def test_sources_are_not_ignored():
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    for path in (
        "igfgraph/model/queries/bodies.rq",
        "notebooks/01-explore.ipynb",
        "data/bodies.csv",
    ):
        result = subprocess.run(
            ["git", "check-ignore", "--no-index", "-q", path], cwd=ROOT, check=False
        )
        assert result.returncode == 1, path
