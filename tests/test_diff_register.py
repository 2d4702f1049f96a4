"""``igfgraph diff-register``: what a change set would change, and ``--apply`` (issue 15)."""

from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from igfgraph import fileio
from igfgraph.cli import cli
from igfgraph.upkeep.extract import candidates_csv, extract
from igfgraph.upkeep.register import ChangeSetError, apply_changes, diff_register, read_changes
from igfgraph.validate import validate

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
PAPER = ROOT.parent / "shared" / "sources" / "dccg-paper-2022.txt"
FIX = ROOT / "tests" / "fixtures" / "extract"


def changes_file(tmp_path: Path, document: Path, source_id: str, data: Path = DATA) -> Path:
    path = tmp_path / f"{source_id}.csv"
    path.write_text(candidates_csv(extract(document, data=data, source_id=source_id)))
    return path


def snapshot(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def rows(folder: Path, table: str) -> list[dict]:
    with (folder / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    return folder


def test_paper_diff_zero_new_zero_missing(tmp_path):
    if not PAPER.is_file():
        pytest.skip(f"the DCCG paper is not beside the repository ({PAPER})")
    diff = diff_register(read_changes(changes_file(tmp_path, PAPER, "dccg-paper-2022")), DATA)
    assert len(diff.listed) == 22
    assert diff.new_bodies == [] and diff.ambiguous == [] and diff.new_sessions == []
    assert diff.renames == [] and diff.acronym_changes == [] and diff.spellings == []
    march = {
        r["body_id"]: r["status"]
        for r in rows(DATA, "register_entries")
        if r["register_id"] == "dc-list-2022-03"
    }
    assert set(diff.not_listed) == {b for b, s in march.items() if s != "listed"}
    assert {b for b, _r in diff.listed} == {b for b, s in march.items() if s == "listed"}


def test_renames_and_acronym_changes(tmp_path):
    diff = diff_register(read_changes(changes_file(tmp_path, FIX / "renamed.txt", "t")), DATA)
    assert diff.renames == [
        ("dc-dt", "Dynamic Coalition on Data and Trust",
         "Dynamic Coalition on Data Stewardship and Trust"),
    ]  # fmt: skip
    assert diff.acronym_changes == [("dc-nn", "DC-NN", "DC-NetNeutrality")]
    assert len(diff.not_listed) == 39 + 0 - 3
    text = diff.text()
    assert "renames: 1\n  dc-dt: 'Dynamic Coalition on Data and Trust' -> " in text
    assert "acronym changes: 1\n  dc-nn: DC-NN -> DC-NetNeutrality" in text


def test_fuzzy_matches_are_reported_not_applied(tmp_path):
    diff = diff_register(read_changes(changes_file(tmp_path, FIX / "fuzzy.txt", "t")), DATA)
    assert [s[0] for s in diff.spellings] == ["dcad", "dc-pal"]
    assert diff.renames == []


def test_diff_changes_nothing(tmp_path, data_copy):
    before = snapshot(data_copy)
    changes = changes_file(tmp_path, FIX / "new-coalition.md", "test-new", data_copy)
    result = CliRunner().invoke(cli, ["diff-register", str(changes), "--data", str(data_copy)])
    assert result.exit_code == 0, result.stderr
    assert "new bodies: 1\n  dc-ucr: Dynamic Coalition on Undersea Cables" in result.stdout
    assert "DCs not listed (reported, never deleted): 37" in result.stdout
    assert snapshot(data_copy) == before


def test_apply_refuses_ambiguous_rows(tmp_path, data_copy):
    before = snapshot(data_copy)
    changes = changes_file(tmp_path, FIX / "near-duplicate.txt", "test-dup", data_copy)
    result = CliRunner().invoke(
        cli,
        ["diff-register", str(changes), "--data", str(data_copy), "--apply", "--as-of", "2024",
         "--title", "t"],
    )  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "Error: 2 ambiguous row(s) (first: line 2): write an id or 'new' into their match "
        "cell first; nothing was changed"
    ]
    assert snapshot(data_copy) == before


def test_apply_then_validate(tmp_path, data_copy):
    runner = CliRunner()
    # 1. a DC list with a new coalition
    changes = changes_file(tmp_path, FIX / "new-coalition.md", "test-new-list", data_copy)
    result = runner.invoke(
        cli,
        ["diff-register", str(changes), "--data", str(data_copy), "--apply", "--as-of",
         "2024-06", "--title", "Newly accredited coalitions (test)", "--url",
         "https://example.org/dc-list"],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "applied: 6 table(s) written" in result.stdout
    bodies = rows(data_copy, "bodies")
    ids = [r["id"] for r in bodies]
    assert ids == sorted(ids) and "dc-ucr" in ids
    new = next(r for r in bodies if r["id"] == "dc-ucr")
    assert (new["name"], new["source_id"], new["locator"], new["summary"]) == (
        "Dynamic Coalition on Undersea Cables and Resilience",
        "test-new-list",
        "line 5",
        "",
    )
    source = next(r for r in rows(data_copy, "sources") if r["id"] == "test-new-list")
    assert (source["title"], source["url"], source["issued"]) == (
        "Newly accredited coalitions (test)",
        "https://example.org/dc-list",
        "2024-06",
    )
    register = next(r for r in rows(data_copy, "registers") if r["id"] == "dc-list-2024-06")
    assert (register["as_of"], register["source_id"]) == ("2024-06", "test-new-list")
    entries = [
        r for r in rows(data_copy, "register_entries") if r["register_id"] == "dc-list-2024-06"
    ]
    dcs = [r["id"] for r in bodies if r["kind"] == "dynamic-coalition"]
    assert sorted(e["body_id"] for e in entries) == sorted(dcs) and len(dcs) == 40
    listed = {e["body_id"]: e["locator"] for e in entries if e["status"] == "listed"}
    assert listed == {"dc-ucr": "line 5", "dc-sig": "line 7", "dc-gender": "line 8"}
    assert {(r["body_id"], r["aspect"], r["status"]) for r in rows(data_copy, "curation")} == {
        ("dc-ucr", "summary", "to-curate"),
        ("dc-ucr", "themes", "to-curate"),
    }
    assert ("dc-ucr", "acronym", "DC-UCR") in {
        (r["body_id"], r["type"], r["value"]) for r in rows(data_copy, "body_names")
    }

    # 2. a programme with new sessions (the ambiguous row removed by the curator)
    changes = changes_file(tmp_path, FIX / "schedule.html", "test-programme", data_copy)
    lines = changes.read_text().splitlines(keepends=True)
    changes.write_text("".join(line for line in lines if ",ambiguous," not in line))
    result = runner.invoke(
        cli,
        ["diff-register", str(changes), "--data", str(data_copy), "--apply", "--title",
         "Coalition sessions (test)"],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    sessions = {r["id"]: r for r in rows(data_copy, "sessions")}
    assert sessions["igf-2023-dc3-2"]["title"] == "Cables, clouds and community networks"
    assert sessions["igf-2023-dc3-2"]["date"] == "2023-10-12"
    assert sessions["igf-2023-dc3-2"]["locator"] == "body[1]/table[1]/tbody[1]/tr[2]"
    organisers = {(r["session_id"], r["body_id"]) for r in rows(data_copy, "session_organizers")}
    assert {("igf-2023-dc3-2", "dc3"), ("igf-2023-dc3-2", "dc-iot"),
            ("igf-2023-dc-sig-2", "dc-sig")} <= organisers  # fmt: skip

    # 3. a rename and an acronym change
    changes = changes_file(tmp_path, FIX / "renamed.txt", "test-renamed", data_copy)
    result = runner.invoke(
        cli,
        ["diff-register", str(changes), "--data", str(data_copy), "--apply", "--as-of", "2025",
         "--register", "dc-list-test-2025", "--title", "Renamed coalitions (test)"],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    dt = next(r for r in rows(data_copy, "bodies") if r["id"] == "dc-dt")
    assert dt["name"] == "Dynamic Coalition on Data Stewardship and Trust"
    names = {
        (r["body_id"], r["type"], r["value"], r["until"]) for r in rows(data_copy, "body_names")
    }
    assert ("dc-dt", "former-name", "Dynamic Coalition on Data and Trust", "2025") in names
    assert ("dc-nn", "acronym", "DC-NetNeutrality", "") in names
    assert ("dc-nn", "former-acronym", "DC-NN", "2025") in names
    assert not [n for n in names if n[:3] == ("dc-nn", "acronym", "DC-NN")]

    # the package validates: conforms, the marks to curate listed as warnings, exit 0
    result = runner.invoke(cli, ["validate", "--data", str(data_copy)])
    assert result.exit_code == 0, result.stdout
    assert result.stdout.startswith("conforms:")
    assert "2 warning(s) (not violations):" in result.stdout
    assert "id:dc/dc-ucr: To curate: summary" in result.stdout
    assert "id:dc/dc-ucr: To curate: themes" in result.stdout


def test_the_mark_to_curate_is_what_spares_a_dc_without_themes(mini_dir):
    """On the mini package: dc-c loses its themes; marked, it warns; unmarked, it violates."""
    themes = (mini_dir / "body_themes.csv").read_text().splitlines(keepends=True)
    (mini_dir / "body_themes.csv").write_text(
        "".join(t for t in themes if not t.startswith("dc-c,"))
    )
    (mini_dir / "curation.csv").write_text(
        "body_id,aspect,status,source_id,locator,note\n"
        "dc-c,themes,to-curate,src-a,Annex B item 3,\n"
    )
    report = validate(mini_dir)
    assert report.conforms and report.exit_code == 0
    assert [str(w) for w in report.warnings] == [
        "bodies.csv, line 4: id:dc/dc-c: To curate: themes (data/curation.csv); write it, "
        "then remove the mark. [shape S61-to-curate]"
    ]
    (mini_dir / "curation.csv").write_text("body_id,aspect,status,source_id,locator,note\n")
    report = validate(mini_dir)
    assert not report.conforms and report.warnings == []
    assert [(p.file, p.row) for p in report.problems] == [("bodies.csv", 4)]
    assert "[shape S03-dc-theme]" in report.problems[0].message


def test_apply_is_atomic(tmp_path, data_copy, monkeypatch):
    changes = read_changes(changes_file(tmp_path, FIX / "new-coalition.md", "test-new", data_copy))
    before = snapshot(data_copy)
    real = fileio._write_temp
    calls = []

    def failing(path, payload):
        calls.append(path.name)
        if len(calls) == 3:  # the third table of six: two temporary files already written
            raise OSError(28, "No space left on device")
        return real(path, payload)

    monkeypatch.setattr(fileio, "_write_temp", failing)
    with pytest.raises(fileio.OutputError, match="no space left on the device; nothing was"):
        apply_changes(changes, data_copy, as_of="2024", title="t")
    assert len(calls) == 3
    assert snapshot(data_copy) == before  # no table changed, no temporary file left


def test_apply_refuses_rows_that_break_the_tables(tmp_path, data_copy):
    path = changes_file(tmp_path, FIX / "new-coalition.md", "test-new", data_copy)
    path.write_text(path.read_text().replace("Cables and Resilience", "Cables; Resilience"))
    before = snapshot(data_copy)
    result = CliRunner().invoke(
        cli,
        ["diff-register", str(path), "--data", str(data_copy), "--apply", "--as-of", "2024",
         "--title", "t"],
    )  # fmt: skip
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    # the new body's line: where its id sorts among the package's bodies (header = line 1)
    import csv

    with (data_copy / "bodies.csv").open(encoding="utf-8", newline="") as f:
        ids = sorted([r["id"] for r in csv.DictReader(f)] + ["dc-ucr"])
    where = ids.index("dc-ucr") + 2
    assert line.startswith(
        f"Error: the change set would break the tables: bodies.csv, line {where}, column 'name'"
    )
    assert line.endswith("nothing was changed")
    assert snapshot(data_copy) == before


def test_apply_needs_as_of_and_title(tmp_path, data_copy):
    changes = read_changes(changes_file(tmp_path, FIX / "new-coalition.md", "test-new", data_copy))
    before = snapshot(data_copy)
    with pytest.raises(ChangeSetError, match="give its --title"):
        apply_changes(changes, data_copy, as_of="2024")
    with pytest.raises(ChangeSetError, match="needs its --as-of date"):
        apply_changes(changes, data_copy, title="t")
    assert snapshot(data_copy) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("kind,name\ndc,x\n", "line 1: the header must be kind,item,"),
        (None, "line 2, column 'match': must be an id, new or ambiguous, not 'Not An Id'"),
        ("", "line 1: the header must be"),
    ],
    ids=["header", "bad-match", "empty"],
)
def test_bad_change_sets(tmp_path, content, message):
    path = tmp_path / "changes.csv"
    if content is None:
        good = changes_file(tmp_path, FIX / "fuzzy.txt", "t").read_text().splitlines()
        good[1] = good[1].replace(",dcad,", ",Not An Id,")
        content = "\n".join(good) + "\n"
    path.write_text(content)
    result = CliRunner().invoke(cli, ["diff-register", str(path)])
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"Error: {path}, line ")
    assert message in line
