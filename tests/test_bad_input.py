"""Bad input gets a clear message naming file, line and column, a non-zero exit, no traceback."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from igfgraph.cli import cli
from igfgraph.exceptions import UNREADABLE, InputError
from igfgraph.tables import check_tables, load_tables
from tests.test_tables import edit


def set_cell(folder, table, index, column, value):
    def fn(rows):
        rows[index][column] = value
        return rows

    edit(folder, table, fn)


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


@pytest.mark.parametrize(
    ("table", "index", "column", "value", "message"),
    [
        ("bodies", 0, "homepage", "http://exa mple.org/a b", "is not a valid http(s) IRI"),
        ("sources", 1, "url", "https://example.org/%zz", "is not a valid http(s) IRI"),
        ("sources", 0, "issued", "2021-02-30", "is not a real date"),
        ("sources", 0, "issued", "2021-13-45", "does not match the pattern"),
        ("meetings", 0, "end_date", "2021-12-01", "ends before it starts"),
        ("bodies", 0, "established", "-5", "constraint"),
        ("bodies", 0, "established", "99999", "constraint"),
        ("bodies", 0, "name", "   ", "does not match the pattern"),
        ("bodies", 0, "name", "bell\aname", "does not match the pattern"),
        ("themes", 2, "broader_id", "child-rights", "skos:broader cycle"),
    ],
)
def test_bad_values_are_caught_with_their_place(mini_dir, table, index, column, value, message):
    set_cell(mini_dir, table, index, column, value)
    problems = check_tables(mini_dir)
    assert problems, f"{table}.{column} = {value!r} was accepted"
    first = problems[0]
    assert (first.file, first.column) == (f"{table}.csv", column)
    assert first.row is not None and first.row >= 2
    assert message in first.message or message in first.message.lower()
    result = run("validate", "--data", mini_dir)
    assert result.exit_code == 1


def test_signed_year_is_normalised(mini_dir):
    from igfgraph.build import build_graph
    from igfgraph.ids import iri

    set_cell(mini_dir, "cycles", 0, "year", "+2021")
    g = build_graph(load_tables(mini_dir)).graph
    assert (iri("cycle", "pn-x", "2021"), None, None) in g


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(resources=[]), "resources missing from the descriptor"),
        (
            lambda d: d.update(resources=[r for r in d["resources"] if r["name"] != "liaisons"]),
            "resources missing from the descriptor",
        ),
        (lambda d: d["resources"].append("liaisons"), "needs a string 'name'"),
        (
            lambda d: d["resources"][0].update(path=["sources.csv"]),
            "needs a string 'name', a string 'path'",
        ),
    ],
)
def test_malformed_descriptor_is_unreadable_input(mini_dir, mutate, message):
    path = mini_dir / "datapackage.json"
    descriptor = json.loads(path.read_text())
    mutate(descriptor)
    path.write_text(json.dumps(descriptor))
    with pytest.raises(InputError, match=message):
        check_tables(mini_dir)
    result = run("validate", "--data", mini_dir)
    assert result.exit_code == 2 and message in result.output


def test_unreadable_csv_is_exit_2(mini_dir):
    (mini_dir / "liaisons.csv").write_bytes(b"")
    problems = check_tables(mini_dir)
    assert problems and all(p.kind == UNREADABLE for p in problems)
    assert run("validate", "--data", mini_dir).exit_code == 2
    (mini_dir / "liaisons.csv").unlink()
    (mini_dir / "liaisons.csv").mkdir()
    assert [p.message for p in check_tables(mini_dir)] == ["is not a file"]


def test_line_numbers_count_physical_lines(mini_dir):
    # a quoted note with a newline pushes the following records one line down
    set_cell(mini_dir, "bodies", 0, "note", "two\nlines")
    set_cell(mini_dir, "bodies", 3, "confidence", "HIGH")
    problems = check_tables(mini_dir)
    text = (mini_dir / "bodies.csv").read_text().splitlines()
    assert [(p.row, p.column) for p in problems] == [(6, "confidence")]
    assert "HIGH" in text[6 - 1]


def test_shacl_violations_are_named_as_such(mini_dir):
    edit(mini_dir, "body_themes", lambda rows: [r for r in rows if r["body_id"] != "dc-c"])
    result = run("build", "--data", mini_dir)
    assert result.exit_code == 1
    assert "SHACL violation(s) in the built graph" in result.output


def test_gaps_reject_nan(mini_package):
    result = run("gaps", "--data", mini_package, "--min-overlap", "nan")
    assert result.exit_code == 2 and "not nan" in result.output


def test_all_writes_nothing_when_a_target_is_a_folder(mini_package, tmp_path):
    out = tmp_path / "out"
    (out / "map.html").mkdir(parents=True)
    (out / "igf.ttl").write_text("OLD")
    result = run("all", "--data", mini_package, "--out", out)
    assert result.exit_code == 1 and "is a folder" in result.output
    assert (out / "igf.ttl").read_text() == "OLD"
    assert sorted(p.name for p in out.iterdir()) == ["igf.ttl", "map.html"]


def test_report_escapes_markdown_and_html(mini_dir, tmp_path):
    set_cell(mini_dir, "bodies", 2, "name", "<script>alert(1)</script> C | D")  # dc-c
    result = run("all", "--data", mini_dir, "--out", tmp_path / "o")
    assert result.exit_code == 0, result.output
    report = (tmp_path / "o" / "report.md").read_text()
    assert "<script>" not in report
    assert "&lt;script&gt;alert(1)&lt;/script&gt; C \\| D" in report


def test_all_and_validate_exit_alike_on_an_encoding_error(mini_dir, tmp_path):
    # a UTF-16 bodies.csv: one problem, against bodies.csv alone, exit 2 from both commands
    path = mini_dir / "bodies.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    for args in (("validate",), ("all", "--out", tmp_path / "out")):
        result = run(*args, "--data", mini_dir)
        assert result.exit_code == 2, (args, result.output)
        named = {line.split(":")[0].strip() for line in result.output.splitlines()[1:]}
        assert named == {"bodies.csv"}, result.output
    assert not (tmp_path / "out").exists()


def test_all_and_validate_exit_alike_on_a_malformed_row(mini_dir, tmp_path):
    path = mini_dir / "themes.csv"
    path.write_text(
        path.read_text(encoding="utf-8")
        + 'capacity-building,"Capacity building and digital skills,"Developing…,,src-a,Summary,\n',
        encoding="utf-8",
    )
    for args in (("validate",), ("all", "--out", tmp_path / "out")):
        result = run(*args, "--data", mini_dir)
        assert result.exit_code == 1, (args, result.output)
        assert "themes.csv, line 7, column 'label': a quote closes this field" in result.output
