"""The data package is checked as tables: each broken fixture names file, line and column."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from igfgraph.exceptions import DataPackageError, InputError
from igfgraph.tables import check_tables, load_tables


def edit(folder: Path, table: str, fn) -> None:
    path = folder / f"{table}.csv"
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    fields = list(rows[0].keys())
    rows = fn(rows)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def test_mini_package_is_valid(mini_dir):
    assert check_tables(mini_dir) == []


def test_shipped_package_is_valid():
    assert check_tables() == []


def test_dc_without_a_name(mini_dir):
    def drop_name(rows):
        rows[1]["name"] = ""  # dc-b, line 3
        return rows

    edit(mini_dir, "bodies", drop_name)
    problems = check_tables(mini_dir)
    assert [(p.file, p.row, p.column) for p in problems] == [("bodies.csv", 3, "name")]


def test_unknown_theme_id(mini_dir):
    def bad_theme(rows):
        rows[0]["theme_id"] = "no-such-theme"
        return rows

    edit(mini_dir, "body_themes", bad_theme)
    problems = check_tables(mini_dir)
    assert len(problems) == 1
    assert (problems[0].file, problems[0].row) == ("body_themes.csv", 2)
    assert "no-such-theme" in problems[0].message or "foreign" in problems[0].message.lower()


def test_dangling_foreign_key(mini_dir):
    def bad_party(rows):
        rows[2]["party_b"] = "ghost"
        return rows

    edit(mini_dir, "liaisons", bad_party)
    problems = check_tables(mini_dir)
    assert [(p.file, p.row, p.column) for p in problems] == [("liaisons.csv", 4, "party_b")]
    assert "ghost" in problems[0].message


def test_duplicate_id(mini_dir):
    edit(mini_dir, "bodies", lambda rows: [*rows, dict(rows[0])])
    problems = check_tables(mini_dir)
    assert [(p.file, p.row) for p in problems] == [("bodies.csv", 11)]
    assert problems[0].message == "duplicate primary key: the same key is already used on line 2"


def test_bad_enum_and_pattern(mini_dir):
    def bad(rows):
        rows[0]["kind"] = "dynamic coalition"
        rows[1]["id"] = "DC B"
        return rows

    edit(mini_dir, "bodies", bad)
    problems = {(p.row, p.column): p.message for p in check_tables(mini_dir)}
    assert problems[(2, "kind")].startswith("'dynamic coalition' is not an allowed value")
    assert problems[(3, "id")].startswith("'DC B' does not match the pattern")


def test_missing_file_and_descriptor(mini_dir, tmp_path):
    (mini_dir / "outputs.csv").unlink()
    assert [(p.file, p.row) for p in check_tables(mini_dir)] == [("outputs.csv", None)]
    with pytest.raises(InputError, match="no such data folder"):
        check_tables(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="datapackage.json"):
        check_tables(tmp_path / "empty")
    (tmp_path / "empty" / "datapackage.json").write_text("{not json")
    with pytest.raises(InputError, match="not valid JSON"):
        check_tables(tmp_path / "empty")


def test_load_tables_raises_with_every_problem(mini_dir):
    edit(mini_dir, "bodies", lambda rows: [*rows, dict(rows[0])])
    with pytest.raises(DataPackageError) as info:
        load_tables(mini_dir)
    assert "bodies.csv, line 11" in str(info.value)


def test_rows_are_sorted_by_key_whatever_the_file_order(mini_dir):
    edit(mini_dir, "bodies", lambda rows: list(reversed(rows)))
    ids = [r["id"] for _, r in load_tables(mini_dir).rows("bodies")]
    assert ids == sorted(ids)


def test_every_row_of_shipped_data_names_source_and_locator():
    descriptor = json.loads(
        (Path(__file__).parent.parent / "data" / "datapackage.json").read_text()
    )
    tables = load_tables()
    for res in descriptor["resources"]:
        if res["name"] == "sources":
            continue  # the list of sources itself
        fields = {f["name"] for f in res["schema"]["fields"]}
        assert {"source_id", "locator"} <= fields, res["name"]
        frame = tables[res["name"]]
        assert (frame["source_id"] != "").all(), res["name"]
        assert (frame["locator"] != "").all(), res["name"]


# --- strict reading (issue 17) -------------------------------------------------------


def _append_line(folder: Path, table: str, line: str) -> int:
    """Append one raw line to a table; return its line number."""
    path = folder / f"{table}.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + line + "\n", encoding="utf-8")
    return text.count("\n") + 1


def test_quote_closed_inside_a_field_is_refused_with_its_line(mini_dir):
    # the row of the issue: the quote after "skills," closes the field half-way
    row = (
        'capacity-building,"Capacity building and digital skills,"Developing the skills '
        "people need online.,,src-a,Summary,"
    )
    line = _append_line(mini_dir, "themes", row)
    problems = check_tables(mini_dir)
    assert [(p.file, p.row, p.column) for p in problems] == [("themes.csv", line, "label")]
    assert "a quote closes this field before its end" in problems[0].message
    with pytest.raises(DataPackageError, match=f"themes.csv, line {line}, column 'label'"):
        load_tables(mini_dir)


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ('stray,Stray "quoted" label,,,src-a,Summary,', "label", "does not start with one"),
        ('open,"Never closed,,,src-a,Summary,', "label", "never closed"),
        ("short,Too few fields,,,src-a", "locator", "missing field: the line has 5 fields"),
        ("long,Too many,,,src-a,Summary,,extra", None, "extra field 8 ('extra')"),
    ],
)
def test_stray_quotes_and_field_counts_are_refused(mini_dir, row, column, message):
    line = _append_line(mini_dir, "themes", row)
    problems = check_tables(mini_dir)
    assert [(p.file, p.row, p.column) for p in problems] == [("themes.csv", line, column)]
    assert message in problems[0].message


def test_blank_line_inside_a_table_is_refused(mini_dir):
    path = mini_dir / "themes.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join([*lines[:2], "\n", *lines[2:]]), encoding="utf-8")
    assert [(p.file, p.row) for p in check_tables(mini_dir)] == [("themes.csv", 3)]


def _to_semicolons(folder: Path) -> None:
    for path in folder.glob("*.csv"):
        with path.open(newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
        with path.open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh, delimiter=";", lineterminator="\r\n").writerows(rows)


@pytest.mark.parametrize("where", ["package", "resource", "resource-v2"])
def test_semicolon_package_with_its_dialect_declared_validates(mini_dir, mini_package, where):
    _to_semicolons(mini_dir)
    path = mini_dir / "datapackage.json"
    descriptor = json.loads(path.read_text())
    if where == "package":
        descriptor["dialect"] = {"delimiter": ";"}
    else:
        for res in descriptor["resources"]:
            res["dialect"] = (
                {"delimiter": ";"} if where == "resource" else {"csv": {"delimiter": ";"}}
            )
    path.write_text(json.dumps(descriptor))
    assert check_tables(mini_dir) == []
    ours, reference = load_tables(mini_dir), load_tables(mini_package)
    for name, frame in reference.frames.items():
        assert ours[name].drop(columns="_line").equals(frame.drop(columns="_line")), name


def test_semicolon_package_without_its_dialect_is_refused_with_a_line(mini_dir):
    _to_semicolons(mini_dir)
    problems = check_tables(mini_dir)
    assert problems and all(p.file.endswith(".csv") for p in problems)
    assert any(p.row == 1 for p in problems)  # the header does not match the schema


def test_unsupported_dialect_is_unreadable_input(mini_dir):
    path = mini_dir / "datapackage.json"
    descriptor = json.loads(path.read_text())
    descriptor["resources"][1]["dialect"] = {"commentChar": "#"}
    path.write_text(json.dumps(descriptor))
    with pytest.raises(InputError, match="resource 'bodies': dialect key 'commentChar'"):
        check_tables(mini_dir)


@pytest.mark.parametrize(
    ("encode", "message"),
    [
        (lambda text: text.encode("utf-16"), "is UTF-16 text"),
        (lambda text: text.replace("Dynamic", "Dynàmic").encode("latin-1"), "byte 0xe0 on line 2"),
        (lambda text: bytes(range(1, 256)) * 4, "is not utf-8 text: byte 0x80 on line 2"),
        (lambda text: b"id,kind\n" + bytes(range(256)), "NUL byte on line 2"),
        (lambda text: text.encode("utf-16-le"), "NUL byte on line 1"),
    ],
    ids=["utf-16", "latin-1", "binary", "binary-nul", "utf-16-no-bom"],
)
def test_encoding_error_is_reported_once_against_its_file(mini_dir, encode, message):
    path = mini_dir / "bodies.csv"
    path.write_bytes(encode(path.read_text(encoding="utf-8")))
    problems = check_tables(mini_dir)
    assert [(p.file, p.row, p.kind) for p in problems] == [("bodies.csv", None, "unreadable")]
    assert message in problems[0].message


def test_self_relation_and_self_liaison_are_refused(mini_dir):
    line = _append_line(mini_dir, "relations", "sec,supports,sec,,,src-a,§1.iii,high,")
    problems = check_tables(mini_dir)
    assert [(p.file, p.row, p.column) for p in problems] == [("relations.csv", line, "object_id")]
    assert "a relation from 'sec' to itself" in problems[0].message
    line = _append_line(
        mini_dir, "liaisons", "dc-a-dc-a,dc-a,dc-a,collaboration,2020,,Alone.,src-a,§1.ii,high,"
    )
    problems = check_tables(mini_dir)
    assert ("liaisons.csv", line, "party_b") in [(p.file, p.row, p.column) for p in problems]


def test_relative_data_folder_with_spaces_and_non_ascii_from_its_parent(tmp_path, monkeypatch):
    from tests.conftest import make_package

    make_package(tmp_path / "données de test ñ")
    monkeypatch.chdir(tmp_path)
    assert check_tables("données de test ñ") == []
    assert load_tables(Path("données de test ñ")).folder == tmp_path / "données de test ñ"


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        ("themes", "label", "Capacity building; digital skills"),
        ("bodies", "name", "Coalition A; B"),
        ("recommendations", "title", "Liaise; report"),
    ],
)
def test_list_separator_is_refused_in_names_that_fill_multi_valued_cells(
    mini_dir, table, column, value
):
    from igfgraph.csvio import LIST_SEPARATOR

    def put(rows):
        rows[0][column] = value
        return rows

    edit(mini_dir, table, put)
    problems = check_tables(mini_dir)
    assert [(p.file, p.row, p.column) for p in problems] == [(f"{table}.csv", 2, column)]
    assert f"holds {LIST_SEPARATOR.strip()!r}, which separates the values" in problems[0].message
