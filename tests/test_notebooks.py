"""The notebooks: committed with outputs stripped, and executed top to bottom in a Jupyter
kernel (nbclient) against the library and the shipped data, without an error."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
NAMES = [
    "01-explore.ipynb",
    "02-thematic-overlap.ipynb",
    "03-liaison-gaps.ipynb",
    "04-sparql.ipynb",
]


def _committed(path: Path) -> str:
    """The notebook as git holds it (HEAD), else as on disk outside a git checkout."""
    if shutil.which("git") and (ROOT / ".git").exists():
        rel = path.relative_to(ROOT).as_posix()
        done = subprocess.run(
            ["git", "show", f"HEAD:{rel}"], cwd=ROOT, capture_output=True, check=False
        )
        if done.returncode == 0:
            return done.stdout.decode("utf-8")
    return path.read_text(encoding="utf-8")


def test_the_four_notebooks_are_there():
    assert [p.name for p in NOTEBOOKS] == NAMES


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_with_outputs_stripped(path):
    for text in (_committed(path), path.read_text(encoding="utf-8")):
        nb = json.loads(text)
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [] and cell["execution_count"] is None, cell["source"][
                    :80
                ]


def _outputs(nb) -> list[str]:
    texts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            texts.append(
                out.get("text", "") + data.get("text/plain", "") + data.get("text/html", "")
            )
            if "image/png" in data:
                texts.append("<image/png>")
    return texts


# what each notebook must show, besides running without an error
EXPECTED = {
    "01-explore.ipynb": ["facts without source", "Dynamic Coalition", "<iframe"],
    "02-thematic-overlap.ipynb": ["<image/png>", "shared_themes", "community"],
    "03-liaison-gaps.ipynb": ["rank", "realised", "<iframe"],
    "04-sparql.ipynb": ["dcs-without-session", "True"],
}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_executes_clean(path, tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    if path.name == "04-sparql.ipynb":
        from tests.servers import oxigraph_command, server_unavailable

        if oxigraph_command() is None:
            server_unavailable("the Oxigraph server is not installed: pip install oxigraph")
    nb = nbformat.read(path, as_version=4)
    env_path = os.environ.get("PYTHONPATH", "")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env_path) if p)
    try:
        client = nbclient.NotebookClient(
            nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
        )
        client.execute()  # raises CellExecutionError on the first failing cell
    finally:
        os.environ["PYTHONPATH"] = env_path
        if not env_path:
            del os.environ["PYTHONPATH"]
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == []
    text = "\n".join(_outputs(nb))
    for expected in EXPECTED[path.name]:
        assert expected in text, (path.name, expected)
    assert "Traceback" not in text
    if path.name == "01-explore.ipynb":
        assert (tmp_path / "landscape.html").exists() and (
            tmp_path / "landscape-table.html"
        ).exists()
    if path.name == "03-liaison-gaps.ipynb":
        assert (tmp_path / "gaps.html").exists()
