"""The command line, through click's CliRunner: output and exit codes 0 / 1 / 2."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from igfgraph.cli import cli
from tests.test_tables import edit


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args, input=None):
        return runner.invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)

    return invoke


def test_every_command_has_help(run):
    for name in cli.commands:
        result = run(name, "--help")
        assert result.exit_code == 0, name
        assert "Usage:" in result.output
    assert run("--help").exit_code == 0


def test_validate_conforms(run, mini_package):
    result = run("validate", "--data", mini_package)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("conforms")


def test_validate_table_violation_exit_1(run, mini_dir):
    def drop(rows):
        rows[0]["name"] = ""
        return rows

    edit(mini_dir, "bodies", drop)
    result = run("validate", "--data", mini_dir)
    assert result.exit_code == 1
    assert "bodies.csv, line 2, column 'name'" in result.output


def test_validate_shacl_violation_exit_1(run, mini_dir):
    # A DC with no theme passes the table schema but not the shapes.
    edit(mini_dir, "body_themes", lambda rows: [r for r in rows if r["body_id"] != "dc-c"])
    result = run("validate", "--data", mini_dir)
    assert result.exit_code == 1
    assert "bodies.csv, line 4" in result.output  # dc-c is made by line 4 of bodies.csv


def test_unreadable_input_exit_2(run, tmp_path):
    result = run("validate", "--data", tmp_path / "nowhere")
    assert result.exit_code == 2
    assert "no such data folder" in result.output
    assert "Traceback" not in result.output


def test_build_formats_and_out(run, mini_package, tmp_path):
    for fmt in ("ttl", "nt", "jsonld"):
        result = run("build", "--data", mini_package, "--format", fmt)
        assert result.exit_code == 0
        assert "dc-a" in result.output
    out = tmp_path / "g.ttl"
    assert run("build", "--data", mini_package, "--out", out).exit_code == 0
    assert out.read_text().startswith("@prefix")
    json.loads(run("build", "--data", mini_package, "--format", "jsonld").output)


def test_build_refuses_invalid_data_and_writes_nothing(run, mini_dir, tmp_path):
    edit(mini_dir, "body_themes", lambda rows: [r for r in rows if r["body_id"] != "dc-c"])
    out = tmp_path / "g.ttl"
    result = run("build", "--data", mini_dir, "--out", out)
    assert result.exit_code == 1
    assert not out.exists()


def test_query_select_formats(run, mini_package):
    q = "SELECT ?b WHERE { ?b a igf:DynamicCoalition } ORDER BY ?b"
    table = run("query", q, "--data", mini_package)
    assert table.exit_code == 0
    assert "<https://w3id.org/igfgraph/id/dc/dc-a>" in table.output  # a form a query parses
    csv_out = run("query", q, "--data", mini_package, "--format", "csv").output.splitlines()
    assert csv_out == ["b", *[f"https://w3id.org/igfgraph/id/dc/dc-{x}" for x in "abc"]]
    doc = json.loads(run("query", q, "--data", mini_package, "--format", "json").output)
    assert doc["head"]["vars"] == ["b"]
    assert doc["results"]["bindings"][0]["b"] == {
        "type": "uri",
        "value": "https://w3id.org/igfgraph/id/dc/dc-a",
    }


def test_query_ask_construct_file_and_stdin(run, mini_package, tmp_path):
    ask = run("query", "ASK { ?x igf:liaisesWith ?y }", "--data", mini_package, "--format", "json")
    assert json.loads(ask.output) == {"head": {}, "boolean": True}
    rq = tmp_path / "q.rq"
    rq.write_text("CONSTRUCT { ?a igf:liaisesWith ?b } WHERE { ?a igf:liaisesWith ?b }")
    nt = run("query", rq, "--data", mini_package, "--format", "nt")
    assert nt.exit_code == 0 and len(nt.output.splitlines()) == 8
    stdin = run(
        "query", "-", "--data", mini_package, "--format", "csv", input="SELECT (1 AS ?one) {}"
    )
    assert stdin.output.splitlines() == ["one", "1"]


def test_query_syntax_error_exit_1(run, mini_package):
    result = run("query", "SELEC ?x", "--data", mini_package)
    assert result.exit_code == 1
    assert "SPARQL error" in result.output


def test_overlap_and_gaps(run, mini_package):
    overlap = run("overlap", "--data", mini_package, "--format", "json")
    rows = json.loads(overlap.output)
    assert len(rows) == 4
    assert rows[0]["label_a"] == "DC-A" and rows[0]["jaccard"] == pytest.approx(2 / 3)
    gaps = json.loads(run("gaps", "--data", mini_package, "--format", "json").output)
    assert [(g["rank"], g["label_a"], g["label_b"]) for g in gaps] == [
        (1, "Dynamic Coalition C", "Policy Network X"),
        (2, "DC-A", "Policy Network X"),
    ]
    two = json.loads(
        run("gaps", "--data", mini_package, "--max-hops", "2", "--format", "json").output
    )
    assert len(two) == 1
    md = run("gaps", "--data", mini_package, "--format", "md").output
    rule, table = md.split("\n\n", 1)
    # the rule every row obeys, printed above the table
    assert rule == (
        "Gaps: pairs with at least one Dynamic Coalition, both not inactive in 2022 (the latest "
        "year of the data), Jaccard overlap >= 0.25, no recorded collaboration within 1 hop, "
        "never a predecessor and its successor. 1 body in these rows is of unknown activity."
    )
    assert table.startswith("|") and "Connectivity" in table
    dc_c = json.loads(
        run(
            "gaps", "--data", mini_package, "--body", "Dynamic Coalition C", "--format", "json"
        ).output
    )
    assert [(g["label_a"], g["label_b"]) for g in dc_c] == [
        ("Dynamic Coalition C", "Policy Network X")
    ]
    unknown = run("gaps", "--data", mini_package, "--body", "dcc")
    assert unknown.exit_code == 2 and "did you mean" in unknown.output
    assert (
        run("gaps", "--data", mini_package, "--min-overlap", "2").exit_code == 2
    )  # click usage error


def test_all_writes_every_output(run, mini_package, tmp_path):
    out = tmp_path / "out"
    result = run("all", "--data", mini_package, "--out", out)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "centrality.csv", "classes.dot", "classes.svg", "communities.csv", "coverage.csv", "gaps.csv", "igf.ttl",
        "map-table.html", "map.html", "ontology.html", "overlap-heatmap.png", "overlap-heatmap.svg", "overlap.csv",
        "recommendations.csv", "report.md", "site", "themes-heatmap.png", "themes-heatmap.svg", "themes.html",
    ]  # fmt: skip
    assert (out / "site" / "id" / "dc" / "dc-a" / "index.ttl").is_file()
    report = (out / "report.md").read_text()
    assert "## Liaison gaps" in report and "Dynamic Coalition C" in report
    evidence = "Liaison evidence counted in gaps, centrality and communities: stated, co-organised, co-authored."
    assert evidence in report
    # mini: 4 stated liaisons, and the joint report of DC-A and DC-B (2020) is co-authored
    assert re.search(r"\| stated +\| +4 \| +2016 \| yes", report)
    assert re.search(r"\| co-authored +\| +1 \| +2020 \| yes", report)
    assert re.search(r"\| co-presence +\| +0 \| +\| no", report)
    gaps = (out / "gaps.csv").read_text().splitlines()
    assert len(gaps) == 3  # header + the two gaps worked out by hand
    assert gaps[0].endswith(",evidence_counted")
    assert all(g.endswith(',"stated, co-organised, co-authored"') for g in gaps[1:])


def test_all_twice_gives_identical_bytes(run, mini_package, tmp_path):
    for name in ("a", "b"):
        assert run("all", "--data", mini_package, "--out", tmp_path / name).exit_code == 0
    a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file())
    assert a == b and len(a) > 80  # the site's files included
    for path in a:
        assert (tmp_path / "a" / path).read_bytes() == (tmp_path / "b" / path).read_bytes(), path


def test_python_dash_m(mini_package):
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "igfgraph", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.startswith("igfgraph, version")


def test_every_command_is_documented_in_the_readme():
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for name in cli.commands:
        assert f"igfgraph {name}" in readme, name


def test_stats_on_mini(run, mini_package):
    rows = json.loads(run("stats", "--data", mini_package, "--format", "json").output)
    by = {(r["section"], r["item"]): r["count"] for r in rows}
    assert by[("source", "facts without source")] == 0
    assert by[("class", "DynamicCoalition")] == 3
    assert by[("nri-region", "Eastern European Group")] == 1
    assert by[("nri-region", "cross-regional or unknown")] == 1
    assert by[("year", "2021 BPF/PN cycle")] == 1 and by[("year", "2022 BPF/PN cycle")] == 1
    assert by[("confidence", "medium")] == 3  # pn-x, liaison dc-b-pn-x, cycle 2022


def test_outputs_are_readable_by_others(run, mini_package, tmp_path):
    import os
    import stat

    old = os.umask(0o022)
    try:
        assert run("all", "--data", mini_package, "--out", tmp_path / "o").exit_code == 0
    finally:
        os.umask(old)
    for path in (tmp_path / "o").rglob("*"):
        want = 0o755 if path.is_dir() else 0o644  # the site's folders
        assert stat.S_IMODE(path.stat().st_mode) == want, path.name


def test_analysis_csv_is_identical_across_hash_seeds(mini_package):
    import subprocess
    import sys

    outs = set()
    for seed in ("1", "2"):
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "igfgraph",
                "gaps",
                "--data",
                str(mini_package),
                "--format",
                "csv",
            ],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
        ).stdout
        out += subprocess.run(
            [
                sys.executable,
                "-m",
                "igfgraph",
                "overlap",
                "--data",
                str(mini_package),
                "--format",
                "csv",
            ],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
        ).stdout
        outs.add(out)
    assert len(outs) == 1


def test_query_errors_speak_of_the_users_query(run, mini_package):
    result = run("query", "SELECT ?x WHERE { ?x ?y }", "--data", mini_package)
    assert result.exit_code == 1 and "error at 1:" in result.output
    update = run("query", "INSERT DATA { <a:b> <a:c> <a:d> }", "--data", mini_package)
    assert update.exit_code == 1 and "INSERT is an update" in update.output
    long_query = "SELECT ?x WHERE { ?x a igf:DynamicCoalition } # " + "x" * 400
    assert run("query", long_query, "--data", mini_package, "--format", "csv").exit_code == 0


def test_tables_fit_the_terminal_and_other_formats_stay_complete(run, mini_package, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    table = run("overlap", "--data", mini_package).output
    assert max(len(line) for line in table.splitlines()) <= 60
    assert "shared_themes" in table  # wrapped into a block below, not dropped
    monkeypatch.setenv("COLUMNS", "20")
    narrow = run("query", "SELECT ?n WHERE { ?b skos:prefLabel ?n }", "--data", mini_package).output
    assert max(len(line) for line in narrow.splitlines()) <= 20
    assert "..." in narrow  # a long name is cut
    csv_out = run(
        "query",
        "SELECT ?n WHERE { ?b skos:prefLabel ?n }",
        "--data",
        mini_package,
        "--format",
        "csv",
    ).output
    assert "Test Coordination Group" in csv_out.splitlines()  # complete


@pytest.mark.parametrize("data", ["data", "./data"])
def test_validate_relative_data_from_the_repo_root(run, monkeypatch, data):
    from pathlib import Path

    monkeypatch.chdir(Path(__file__).resolve().parent.parent)
    result = run("validate", "--data", data)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("conforms")


def test_relative_folders_with_spaces_and_non_ascii_from_their_parent(run, tmp_path, monkeypatch):
    from tests.conftest import make_package

    make_package(tmp_path / "données IGF ñ")
    monkeypatch.chdir(tmp_path)
    assert run("validate", "--data", "données IGF ñ").exit_code == 0
    result = run("build", "--data", "données IGF ñ", "--out", "sortie ü/graphe é.ttl")
    assert result.exit_code == 0, result.output
    assert (
        (tmp_path / "sortie ü" / "graphe é.ttl").read_text(encoding="utf-8").startswith("@prefix")
    )


def test_redirected_stdout_is_utf8_whatever_the_console(tmp_path):
    """`PYTHONIOENCODING=cp1252 igfgraph build > f.ttl` gives the bytes of `--out f.ttl`."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root), "PYTHONIOENCODING": "cp1252"}
    command = [sys.executable, "-m", "igfgraph", "build"]
    with (tmp_path / "f.ttl").open("wb") as redirected:
        piped = subprocess.Popen(command, stdout=redirected, stderr=subprocess.PIPE, env=env)
        written = subprocess.Popen(
            [*command, "--out", tmp_path / "out.ttl"], stderr=subprocess.PIPE, env=env
        )
        assert piped.wait(timeout=600) == 0, piped.stderr.read().decode()
        assert written.wait(timeout=600) == 0, written.stderr.read().decode()
    data = (tmp_path / "f.ttl").read_bytes()
    assert data == (tmp_path / "out.ttl").read_bytes()
    assert ".ভারত" in data.decode("utf-8")  # a source's note names India's Bengali domain
    # a result with characters cp1252 lacks, printed on such a console
    text = "SELECT ?x WHERE { VALUES ?x { 'বাংলা ✓ — ﬁ' } }"
    out = subprocess.run(
        [*command[:-1], "query", text, "--format", "csv"],
        capture_output=True,
        env=env,
        check=True,
    )
    assert out.stdout.decode("utf-8") == "x\r\nবাংলা ✓ — ﬁ\r\n"  # SPARQL CSV: RFC 4180 line ends


@pytest.mark.parametrize(
    "args",
    [
        ("build", "--format", "nt"),
        ("validate",),
        ("query", "SELECT ?b WHERE { ?b a igf:DynamicCoalition } ORDER BY ?b", "--format", "csv"),
        ("stats", "--format", "csv"),
        ("overlap", "--format", "csv"),
        ("gaps", "--format", "json"),
        ("recommendations", "--format", "csv"),
        ("centrality", "--format", "md"),
        ("communities", "--format", "csv"),
        ("coverage", "--format", "csv"),
        ("queries", "--format", "json"),
        ("queries", "dcs-without-session"),
    ],
    ids=lambda a: "-".join(a[:2]) if a[0] == "queries" else a[0],
)
def test_every_printing_command_takes_out(run, mini_package, tmp_path, args):
    data = () if args[0] == "queries" else ("--data", mini_package)
    printed = run(*args, *data)
    assert printed.exit_code == 0, printed.output
    target = tmp_path / "résultat 1.txt"
    written = run(*args, *data, "--out", target)
    assert written.exit_code == 0, written.output
    assert written.stdout == ""
    assert f"wrote {target}" in written.stderr
    assert target.read_bytes() == printed.stdout_bytes and printed.stdout_bytes
