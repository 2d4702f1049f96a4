"""The library's face: ``igfgraph`` exports what the README and notebooks use, lazily."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import igfgraph

ROOT = Path(__file__).resolve().parents[1]


def test_every_exported_name_is_the_defining_modules_object():
    for name, module in igfgraph._EXPORTS.items():
        assert getattr(igfgraph, name) is getattr(importlib.import_module(module), name), name
    assert set(igfgraph.__all__) == {"__version__", *igfgraph._EXPORTS}


def test_an_unknown_name_is_an_attribute_error():
    try:
        igfgraph.no_such_function  # noqa: B018
    except AttributeError as exc:
        assert "no_such_function" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("expected AttributeError")


def test_importing_the_package_loads_nothing_heavy():
    code = "import sys, json, igfgraph; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(json.loads(out.stdout))
    assert not loaded & {"pandas", "networkx", "pyshacl", "rdflib", "pyoxigraph", "matplotlib"}


def test_the_readme_and_notebooks_import_only_names_that_exist():
    texts = [(ROOT / "README.md").read_text(encoding="utf-8")]
    for nb in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        texts += ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    imported = []
    for text in texts:
        for line in text.splitlines():
            line = line.strip()
            if line.startswith("from igfgraph") and " import " in line:
                module, names = line[5:].split(" import ", 1)
                for name in names.strip("()").split(","):
                    imported.append((module.strip(), name.split(" as ")[0].strip()))
    assert imported, "expected the README to show the library"
    for module, name in imported:
        assert hasattr(importlib.import_module(module), name), f"{module}.{name}"
