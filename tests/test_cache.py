"""The build cache (igfgraph.cache): built once, opened read-only, invalidated by any change.

Every test points IGFGRAPH_CACHE_DIR at its own empty folder.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from igfgraph import cache, paths
from igfgraph.cli import cli
from igfgraph.exceptions import ShapeViolationError
from igfgraph.pipeline import open_graph, validated_store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def cache_folder(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_ENV, str(folder))
    monkeypatch.delenv(cache.NO_CACHE_ENV, raising=False)
    return folder


class CountingBuilder:
    """validated_store, counting its calls."""

    def __init__(self):
        self.calls = 0

    def __call__(self, data):
        self.calls += 1
        return validated_store(data)


def triples(store: ox.Store) -> set[str]:
    return {str(q.triple) for q in store.quads_for_pattern(None, None, None, None)}


def entries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.exists() else []


def test_built_once_then_opened(cache_folder, mini_package, mini_built):
    build = CountingBuilder()
    first = cache.open_cached(mini_package, build=build)
    second = cache.open_cached(mini_package, build=build)
    assert build.calls == 1
    expected = {f"{s.n3()} {p.n3()} {o.n3()}" for s, p, o in mini_built.graph}
    assert len(first) == len(second) == len(mini_built.graph)
    assert triples(second) == triples(validated_store(mini_package))
    assert len(expected) == len(triples(second))
    key = cache.cache_key(mini_package)
    assert entries(cache_folder) == [key]
    report = json.loads((cache_folder / key / "report.json").read_text())
    assert report["key"] == key and report["triples"] == len(mini_built.graph)
    assert report["data"] == str(Path(mini_package).resolve())


def test_cached_store_is_read_only(cache_folder, mini_package):
    store = cache.open_cached(mini_package, build=validated_store)
    with pytest.raises(RuntimeError, match="read-write"):
        store.add(ox.Quad(ox.NamedNode("urn:x"), ox.NamedNode("urn:y"), ox.Literal("z")))


def test_open_graph_uses_the_cache_unless_disabled(cache_folder, mini_package, monkeypatch):
    graph = open_graph(data=mini_package)
    assert entries(cache_folder) == [cache.cache_key(mini_package)]
    assert type(graph.store).__name__ == "OxigraphStore"
    shutil.rmtree(cache_folder)
    monkeypatch.setenv(cache.NO_CACHE_ENV, "1")
    assert len(open_graph(data=mini_package)) == len(graph)
    assert not cache_folder.exists()


def test_a_changed_csv_builds_a_new_entry(cache_folder, mini_dir):
    build = CountingBuilder()
    cache.open_cached(mini_dir, build=build)
    bodies = mini_dir / "bodies.csv"
    bodies.write_text(bodies.read_text().replace("Dynamic Coalition A", "Coalition Renamed"))
    store = cache.open_cached(mini_dir, build=build)
    assert build.calls == 2
    assert len(entries(cache_folder)) == 2
    names = {str(q.object.value) for q in store.quads_for_pattern(None, None, None, None)}
    assert "Coalition Renamed" in names and "Dynamic Coalition A" not in names


@pytest.fixture
def ontology_copy(tmp_path, monkeypatch) -> Path:
    copy = tmp_path / "ontology"
    shutil.copytree(paths.ontology_dir(), copy)
    monkeypatch.setattr(paths, "ontology_dir", lambda: copy)
    return copy


def test_a_changed_ontology_builds_a_new_entry(cache_folder, mini_package, ontology_copy):
    build = CountingBuilder()
    before = cache.open_cached(mini_package, build=build)
    with (ontology_copy / "igf.ttl").open("a", encoding="utf-8") as f:
        f.write(
            "\n<https://w3id.org/igfgraph/ontology#Body> "
            '<http://www.w3.org/2000/01/rdf-schema#comment> "cache test"@fr .\n'
        )
    after = cache.open_cached(mini_package, build=build)
    assert build.calls == 2
    comment = (
        "<https://w3id.org/igfgraph/ontology#Body> "
        '<http://www.w3.org/2000/01/rdf-schema#comment> "cache test"@fr'
    )
    assert comment in triples(after) - triples(before)


BROKEN_SHAPE = """
<https://w3id.org/igfgraph/shapes#S99-cache-test>
    a <http://www.w3.org/ns/shacl#PropertyShape> ;
    <http://www.w3.org/ns/shacl#targetClass> <https://w3id.org/igfgraph/ontology#DynamicCoalition> ;
    <http://www.w3.org/ns/shacl#path> <https://w3id.org/igfgraph/ontology#noSuchProperty> ;
    <http://www.w3.org/ns/shacl#minCount> 1 ;
    <http://www.w3.org/ns/shacl#message> "cache test: every DC needs igf:noSuchProperty"@en .
"""


def test_changed_shapes_are_applied_and_nothing_is_cached_on_failure(
    cache_folder, mini_package, ontology_copy
):
    build = CountingBuilder()
    cache.open_cached(mini_package, build=build)
    assert len(entries(cache_folder)) == 1
    with (ontology_copy / "shapes.ttl").open("a", encoding="utf-8") as f:
        f.write(BROKEN_SHAPE)
    with pytest.raises(ShapeViolationError, match="S99-cache-test"):
        cache.open_cached(mini_package, build=build)
    assert build.calls == 2
    assert len(entries(cache_folder)) == 1  # no entry for the failed build, no temporary folder


def test_a_changed_source_file_changes_the_key(tmp_path, monkeypatch, mini_package):
    package = tmp_path / "igfgraph"
    shutil.copytree(ROOT / "igfgraph", package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "_package_dir", lambda: package)
    before = cache.cache_key(mini_package)
    assert cache.cache_key(mini_package) == before
    build = package / "build.py"
    build.write_text(build.read_text() + "\n# a change to the build code\n")
    assert cache.cache_key(mini_package) != before


def test_two_concurrent_builders(tmp_path, mini_package):
    folder, log = tmp_path / "cache", tmp_path / "builds.log"
    script = textwrap.dedent(
        f"""
        from igfgraph import cache
        from igfgraph.pipeline import validated_store

        def build(data):
            with open({str(log)!r}, "a") as f:
                f.write("built\\n")
            return validated_store(data)

        print(len(cache.open_cached({str(mini_package)!r}, build=build)))
        """
    )
    env = {**os.environ, cache.CACHE_ENV: str(folder), "PYTHONPATH": str(ROOT)}
    env.pop(cache.NO_CACHE_ENV, None)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [o[1].decode() for o in outs]
    counts = {o[0].decode().strip() for o in outs}
    assert len(counts) == 1 and int(counts.pop()) > 1000
    assert log.read_text() == "built\n"  # the second waited for the lock and opened the first's
    assert [p.name for p in folder.iterdir() if p.is_dir()] == [cache.cache_key(mini_package)]


def test_cache_info_and_clear(cache_folder, mini_package):
    runner = CliRunner()
    cache.open_cached(mini_package, build=validated_store)
    key = cache.cache_key(mini_package)
    info = runner.invoke(cli, ["cache", "info"])
    assert info.exit_code == 0, info.output
    assert f"cache folder: {cache_folder}" in info.output
    assert "entries: 1" in info.output and key[:16] in info.output
    cleared = runner.invoke(cli, ["cache", "clear"])
    assert cleared.exit_code == 0 and "cleared" in cleared.output
    assert entries(cache_folder) == []
    assert "entries: 0" in runner.invoke(cli, ["cache", "info"]).output


def test_no_cache_option_builds_in_memory(cache_folder, mini_package, monkeypatch):
    result = CliRunner().invoke(
        cli,
        ["--no-cache", "query", "--data", str(mini_package), "ASK { ?s ?p ?o }"],
    )
    monkeypatch.delenv(cache.NO_CACHE_ENV, raising=False)  # the option set it in this process
    assert result.exit_code == 0, result.output
    assert not cache_folder.exists() or entries(cache_folder) == []


def test_unknown_node_is_reported_before_any_build(cache_folder, mini_package, tmp_path):
    args = ["viz", "--data", str(mini_package), "--view", "ego", "--node", "no-such-body"]
    result = CliRunner().invoke(cli, [*args, "--out", str(tmp_path / "ego.html")])
    assert result.exit_code != 0 and "no-such-body" in result.output
    assert not cache_folder.exists() or entries(cache_folder) == []


@pytest.mark.parametrize(
    ("args", "word"),
    [
        (["gaps", "--body", "no-such-body"], "no-such-body"),
        (["overlap", "--kinds", "no-such-kind"], "no-such-kind"),
        (["viz", "--view", "overlap", "--kind", "no-such-kind"], "no-such-kind"),
        (["viz", "--view", "no-such-view"], "no-such-view"),
    ],
)
def test_bad_arguments_are_reported_before_any_build(
    cache_folder, mini_package, tmp_path, args, word
):
    if args[0] == "viz":
        args = [*args, "--out", str(tmp_path / "map.html")]
    result = CliRunner().invoke(cli, [*args, "--data", str(mini_package)])
    assert result.exit_code != 0 and word in result.output
    assert not cache_folder.exists() or entries(cache_folder) == []


def test_files_in_data_subfolders_are_part_of_the_key(mini_dir):
    # a data package may keep its tables in subfolders ("path": "tables/bodies.csv")
    before = cache.cache_key(mini_dir)
    (mini_dir / "tables").mkdir()
    (mini_dir / "tables" / "extra.csv").write_text("a,b\n1,2\n")
    after = cache.cache_key(mini_dir)
    assert after != before
    (mini_dir / "tables" / "extra.csv").write_text("a,b\n1,3\n")
    assert cache.cache_key(mini_dir) not in (before, after)
