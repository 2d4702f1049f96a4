"""Shared fixtures: the hand-sized ``mini`` data package and the shipped data, built once."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

# The build cache (igfgraph.cache) of the tests: one temporary folder per test session,
# never the user's; subprocesses started by tests inherit it.
os.environ["IGFGRAPH_CACHE_DIR"] = tempfile.mkdtemp(prefix="igfgraph-test-cache-")
atexit.register(shutil.rmtree, os.environ["IGFGRAPH_CACHE_DIR"], True)
os.environ.pop("IGFGRAPH_NO_CACHE", None)

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "data" / "mini"
DESCRIPTOR = ROOT / "data" / "datapackage.json"


def make_package(folder: Path, source: Path = MINI) -> Path:
    """Copy a fixture's CSVs and the shipped datapackage.json into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for csv in sorted(source.glob("*.csv")):
        shutil.copy(csv, folder / csv.name)
    shutil.copy(DESCRIPTOR, folder / "datapackage.json")
    return folder


@pytest.fixture
def mini_dir(tmp_path: Path) -> Path:
    """A fresh, writable copy of the mini package (tests may break it)."""
    return make_package(tmp_path / "mini")


@pytest.fixture(scope="session")
def mini_package(tmp_path_factory) -> Path:
    """A read-only copy of the mini package shared by the session."""
    return make_package(tmp_path_factory.mktemp("mini-shared"))


@pytest.fixture(scope="session")
def mini_built(mini_package):
    """The mini package built (ontology merged), not validated."""
    from igfgraph.build import build_graph
    from igfgraph.tables import load_tables

    return build_graph(load_tables(mini_package))


@pytest.fixture(scope="session")
def mini_store(mini_built):
    from igfgraph.sparql import to_store

    return to_store(mini_built.graph)


@pytest.fixture(scope="session")
def shipped_built():
    """The shipped data, built and SHACL-validated once per session."""
    from igfgraph.pipeline import build_validated

    return build_validated()


@pytest.fixture(scope="session")
def shipped_store(shipped_built):
    from igfgraph.sparql import to_store

    return to_store(shipped_built.graph)


@pytest.fixture(scope="session")
def synth_x2(tmp_path_factory) -> Path:
    """A synthetic package twice the shipped data's size (`igfgraph synth --scale 2 --seed 7`)."""
    from igfgraph.synth import write_synth

    return write_synth(tmp_path_factory.mktemp("synth") / "x2", 2, 7).folder
