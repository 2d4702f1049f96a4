"""``igfgraph extract``: DC entries and session listings read from documents (issue 15).

The DCCG paper is read from ``../shared/sources`` (beside the repository, as in CI); the
other documents are fixtures written for these tests (tests/fixtures/extract).
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from igfgraph.cli import cli
from igfgraph.resolve import AMBIGUOUS_THRESHOLD, MATCH_THRESHOLD
from igfgraph.upkeep.document import MAX_BYTES, DocumentError, read_document
from igfgraph.upkeep.extract import extract, parse_entry

ROOT = Path(__file__).resolve().parent.parent
PAPER = ROOT.parent / "shared" / "sources" / "dccg-paper-2022.txt"
FIX = ROOT / "tests" / "fixtures" / "extract"
DATA = ROOT / "data"

#: the paper's descriptions list: item -> (acronym as written, our id); hand-copied
PAPER_DCS = {
    1: ("DCAD", "dcad"), 2: ("DC-Blockchain", "dc-blockchain"), 3: ("", "dc-children"),
    4: ("DC3", "dc3"), 5: ("DC-CIV", "dc-civ"), 6: ("DC-DT", "dc-dt"),
    7: ("DC-DDHT", "dc-ddht"), 8: ("DC-DNSI", "dc-dnsi"), 9: ("DC-Gender", "dc-gender"),
    10: ("", "dc-unconnected"), 11: ("DC-Jobs", "dc-jobs"), 12: ("DC-IoT", "dc-iot"),
    13: ("IRPC", "irpc"), 14: ("IS3C", "is3c"), 15: ("DC-IUI", "dc-iui"), 16: ("DC-NN", "dc-nn"),
    17: ("DC-PR", "dc-pr"), 18: ("DC-PAL", "dc-pal"), 19: ("DC-SIG", "dc-sig"),
    20: ("DC-SIDS", "dc-sids"), 21: ("DC-Sustainability", "dc-sustainability"),
    22: ("YCIG", "ycig"),
}  # fmt: skip
#: Annex A: item -> (organiser as written, our id)
PAPER_SESSIONS = {
    1: ("DCAD", "dcad"), 2: ("DCCOS", "dc-children"), 3: ("DC3", "dc3"), 4: ("DC-CIV", "dc-civ"),
    5: ("DC-DDHT", "dc-ddht"), 6: ("DC-Gender", "dc-gender"), 7: ("DC-Jobs", "dc-jobs"),
    8: ("IRPC", "irpc"), 9: ("DC-ISSS", "is3c"), 10: ("DC-IUI", "dc-iui"), 11: ("DCNN", "dc-nn"),
    12: ("DCPR", "dc-pr"), 13: ("DC-PAL", "dc-pal"), 14: ("DC-SIG", "dc-sig"),
    15: ("DC-SIDS", "dc-sids"), 16: ("DC-Sustainability", "dc-sustainability"),
    17: ("YCIG", "ycig"), 18: ("DC on Data and Trust", "dc-dt"),
}  # fmt: skip


def paper() -> Path:
    if not PAPER.is_file():
        pytest.skip(f"the DCCG paper is not beside the repository ({PAPER})")
    return PAPER


def listed_in_march_2022() -> set[str]:
    with (DATA / "register_entries.csv").open(encoding="utf-8", newline="") as fh:
        return {
            r["body_id"]
            for r in csv.DictReader(fh)
            if r["register_id"] == "dc-list-2022-03" and r["status"] == "listed"
        }


@pytest.fixture(scope="module")
def paper_rows():
    return extract(paper(), data=DATA, source_id="dccg-paper-2022")


def test_paper_descriptions_list_all_22_matched(paper_rows):
    dcs = [r for r in paper_rows if r.kind == "dc"]
    assert [int(r.item) for r in dcs] == list(range(1, 23))
    assert {int(r.item): (r.acronym, r.match) for r in dcs} == PAPER_DCS
    assert not [r for r in dcs if r.match in ("new", "ambiguous")]
    assert {r.match for r in dcs} == listed_in_march_2022()  # 0 new, 0 missing
    assert len(listed_in_march_2022()) == 22
    # locators point at the lines, the prose is not copied
    assert dcs[0].locator == "line 129, item 1"
    assert all(r.locator.startswith("line ") for r in dcs)


def test_paper_annex_a_all_18_sessions_matched(paper_rows):
    sessions = [r for r in paper_rows if r.kind == "session"]
    assert [int(r.item) for r in sessions] == list(range(1, 19))
    assert {int(r.item): (r.organisers, r.organiser_ids) for r in sessions} == PAPER_SESSIONS
    assert {r.meeting for r in sessions} == {"igf-2021"}
    # each matched to the session the data already holds for that coalition at IGF 2021
    assert {r.match for r in sessions} == {f"igf-2021-{i}" for _w, i in PAPER_SESSIONS.values()}
    by_item = {int(r.item): r for r in sessions}
    assert by_item[2].title == "Regulate or prevent to protect children – a false dichotomy?"
    assert by_item[8].title.startswith("The IRPC Charter of Human Rights")
    assert by_item[18].title == "DC on Data and Trust"


def rows_of(name: str, **kw):
    return extract(FIX / name, data=DATA, source_id="test-doc", **kw)


def test_table_layout():
    rows = rows_of("table-list.md")
    assert [(r.name, r.acronym, r.match, r.locator) for r in rows] == [
        ("Dynamic Coalition on Accessibility and Disability", "DCAD", "dcad", "line 8, item 1"),
        ("Dynamic Coalition on Community Connectivity", "DC3", "dc3", "line 9, item 2"),
        ("Internet Standards, Security and Safety Coalition", "IS3C", "is3c", "line 10, item 3"),
        ("Dynamic Coalition on Public Access in Libraries", "DC-PAL", "dc-pal", "line 11, item 4"),
        ("Youth Coalition on Internet Governance", "YCIG", "ycig", "line 12, item 5"),
    ]


def test_html_list_page_headings_and_nested_paragraphs():
    rows = rows_of("dc-page.html")
    assert [(r.item, r.name, r.acronym, r.match, r.proposed_id, r.locator) for r in rows] == [
        ("", "Dynamic Coalition on Core Internet Values", "DC-CIV", "dc-civ", "",
         "body[1]/main[1]/h2[1]"),
        ("", "Dynamic Coalition on Ocean Cables", "", "new", "dc-ocean-cables",
         "body[1]/main[1]/h2[2]"),
        ("3", "Dynamic Coalition on Platform Responsibility", "DC-PR", "dc-pr", "",
         "body[1]/main[1]/ol[1]/li[1], item 3"),  # <ol start="3">
        ("4", "Youth Coalition on Internet Governance", "YCIG", "ycig", "",
         "body[1]/main[1]/ol[1]/li[2], item 4"),  # its second paragraph is not read
    ]  # fmt: skip


def test_renamed_coalition_matched_by_acronym():
    rows = rows_of("renamed.txt")
    got = [(r.item, r.name, r.acronym, r.match, r.how) for r in rows]
    assert got == [
        ("1", "Dynamic Coalition on Data Stewardship and Trust", "DC-DT", "dc-dt", "acronym"),
        ("2", "Dynamic Coalition on Network Neutrality", "DC-NetNeutrality", "dc-nn", "name"),
        ("3", "Dynamic Coalition on Core Internet Values", "DC-CIV", "dc-civ", "acronym"),
    ]


def test_new_coalition_gets_a_proposed_id():
    rows = rows_of("new-coalition.md")
    assert [(r.match, r.proposed_id, r.acronym) for r in rows] == [
        ("new", "dc-ucr", "DC-UCR"),
        ("dc-sig", "", "DC-SIG"),  # "Schools of": a fuzzy-free match by acronym
        ("dc-gender", "", "DC-Gender"),  # "ACR: name" layout
    ]
    assert float(rows[0].score) < AMBIGUOUS_THRESHOLD


def test_near_duplicates_are_ambiguous_with_candidates():
    blockchain, health, dnsi = rows_of("near-duplicate.txt")
    assert blockchain.match == "ambiguous"
    assert [c.split(" ")[0] for c in blockchain.candidates.split("; ")] == [
        "dc-blockchain",
        "dc-bas",
    ]
    assert health.match == "ambiguous"
    assert {"dc-ddht", "dc-dh"} <= {c.split(" ")[0] for c in health.candidates.split("; ")}
    assert AMBIGUOUS_THRESHOLD <= float(health.score) < MATCH_THRESHOLD
    assert not blockchain.proposed_id and not health.proposed_id
    assert (dnsi.match, dnsi.score) == ("dc-dnsi", "100")


def test_igf_2020_list_layout_with_spaced_acronym():
    rows = rows_of("igf-2020-list.txt")
    assert [r.item for r in rows] == [str(i) for i in range(1, 12)]
    by_item = {int(r.item): r for r in rows}
    assert (by_item[8].acronym, by_item[8].match) == (
        "DC-Connecting the Unconnected",
        "dc-unconnected",
    )
    assert (by_item[3].match, by_item[3].how) == ("dc-children", "former-acronym")
    assert by_item[11].match == "irpc"
    assert all(r.match not in ("new", "ambiguous") for r in rows)


def test_fuzzy_only_matches():
    rows = rows_of("fuzzy.txt")
    assert [(r.match, r.how, r.acronym) for r in rows] == [
        ("dcad", "fuzzy", ""),
        ("dc-pal", "fuzzy", ""),
    ]
    assert all(MATCH_THRESHOLD <= float(r.score) < 100 for r in rows)


def test_html_schedule_page():
    rows = rows_of("schedule.html")
    got = [(r.title, r.type, r.date, r.meeting, r.organiser_ids, r.match, r.proposed_id)
           for r in rows]  # fmt: skip
    assert got == [
        ("Public access evolutions – lessons from the last 20 years", "dc-session",
         "2023-10-11", "igf-2023", "dc-pal", "igf-2023-dc-pal", ""),
        ("Cables, clouds and community networks", "dc-session", "2023-10-12", "igf-2023",
         "dc3; dc-iot", "new", "igf-2023-dc3-2"),
        ("Schools of governance compare notes", "dc-session", "2023-10-12", "igf-2023",
         "dc-sig", "new", "igf-2023-dc-sig-2"),
        ("A session of an unknown group", "other", "2023-10-13", "igf-2023", "?",
         "ambiguous", ""),
    ]  # fmt: skip
    assert rows[1].locator == "body[1]/table[1]/tbody[1]/tr[2]"  # an element path
    assert rows[3].candidates == "organiser not matched"


def test_kind_forces_the_reading(tmp_path):
    rows = extract(paper(), data=DATA, source_id="dccg-paper-2022", kind="dc-list")
    assert {r.kind for r in rows} == {"dc"}
    rows = extract(paper(), data=DATA, source_id="dccg-paper-2022", kind="sessions")
    assert {r.kind for r in rows} == {"session"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dynamic Coalition on Network Neutrality (DC-NN)",
         ("Dynamic Coalition on Network Neutrality", "DC-NN")),
        ("DC-NN – Dynamic Coalition on Network Neutrality",
         ("Dynamic Coalition on Network Neutrality", "DC-NN")),
        ("Dynamic Coalition on Network Neutrality – DC-NN",
         ("Dynamic Coalition on Network Neutrality", "DC-NN")),
        ("Internet Standards, Security and Safety Coalition (IS3C): works on standards.",
         ("Internet Standards, Security and Safety Coalition", "IS3C")),
        ("DC on the Internet of things", ("DC on the Internet of things", "")),
        ("Descriptions of all currently active Dynamic Coalitions", None),
        ("DC3 is dedicated to fostering analysis of community networks.", None),
    ],
)  # fmt: skip
def test_entry_layouts(text, expected):
    assert parse_entry(text) == expected


def test_pdf_document(tmp_path):
    lines = ["Coalitions (a PDF written for the tests)", "1. Dynamic Coalition on DNS Issues (DC-DNSI)",
             "2. Youth Coalition on Internet Governance (YCIG)"]  # fmt: skip
    pdf = tmp_path / "list.pdf"
    pdf.write_bytes(_minimal_pdf(lines))
    rows = extract(pdf, data=DATA, source_id="test-pdf")
    assert [(r.match, r.item, r.locator) for r in rows] == [
        ("dc-dnsi", "1", "page 1, line 2, item 1"),
        ("ycig", "2", "page 1, line 3, item 2"),
    ]


def _minimal_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with one text line per item (Helvetica), offsets computed."""
    ops = ["BT", "/F1 11 Tf", "14 TL", "50 780 Td"]
    for line in lines:
        ops += [f"({line}) Tj", "T*"]
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


# --- bad documents: one line, non-zero exit, nothing written -----------------------------


def _huge(tmp_path: Path) -> Path:
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.truncate(MAX_BYTES + 1)  # sparse: no disk used
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda t: FIX / "empty.txt", "the document is empty"),
        (lambda t: FIX / "binary.txt", "NUL byte"),
        (lambda t: FIX / "broken.pdf", "not a readable PDF"),
        (_huge, "larger than the 20 MB igfgraph reads"),
        (lambda t: t / "missing.txt", "cannot read the document"),
    ],
    ids=["empty", "binary", "broken-pdf", "huge", "missing"],
)
def test_bad_documents_one_line_and_no_output(tmp_path, make, message):
    document = make(tmp_path)
    out = tmp_path / "changes.csv"
    result = CliRunner().invoke(cli, ["extract", str(document), "--out", str(out)])
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Error: {document}: ")
    assert message in lines[0]
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_html_with_no_entries_says_so(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>Nothing about coalitions here.</p></body></html>")
    result = CliRunner().invoke(cli, ["extract", str(page)])
    assert result.exit_code == 2
    assert "no Dynamic Coalition entry or session listing found" in result.stderr


def test_whitespace_only_document(tmp_path):
    blank = tmp_path / "blank.md"
    blank.write_text("\n   \n\t\n")
    with pytest.raises(DocumentError, match="holds no text"):
        read_document(blank)


def test_cli_output_is_deterministic(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    for out in (a, b):
        result = CliRunner().invoke(
            cli, ["extract", str(FIX / "schedule.html"), "--source-id", "x", "--out", str(out)]
        )
        assert result.exit_code == 0, result.stderr
    assert a.read_bytes() == b.read_bytes()
    rows = list(csv.DictReader(io.StringIO(a.read_text(encoding="utf-8"))))
    assert [r["match"] for r in rows] == ["igf-2023-dc-pal", "new", "new", "ambiguous"]
    assert "4 candidate(s): 1 matched, 2 new, 1 ambiguous" in result.stderr
    assert os.path.getsize(a) < 2000
