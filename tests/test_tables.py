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
