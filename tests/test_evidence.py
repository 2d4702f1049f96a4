"""Collaborations typed by evidence: derived from sessions and outputs, counted as asked.

The derived collaborations are compared, pair for pair and year for year, with the
multi-organiser sessions and multi-creator outputs read straight from the CSV files
(not through :mod:`igfgraph.evidence`), on the shipped data and on a ``mini`` package
with hand-written sessions whose expected collaborations are worked out below.
"""

from __future__ import annotations

import csv
from itertools import combinations
from pathlib import Path

import pytest
from click.testing import CliRunner

from igfgraph.analysis import governance_graph, liaison_graph
from igfgraph.build import build_graph
from igfgraph.cli import cli
from igfgraph.evidence import DEFAULT_EVIDENCE, EVIDENCE_TYPES, parse_evidence
from igfgraph.ids import local_name
from igfgraph.paths import default_data_dir
from igfgraph.sparql import query_frame, to_store
from igfgraph.tables import check_tables, load_tables

_DERIVED = """
SELECT ?a ?b ?start ?item ?year WHERE {
  ?l igf:evidenceType/skos:notation ?notation ; igf:party ?a, ?b ; igf:evidencedBy ?item .
  FILTER (STR(?notation) = $evidence)  # notations are typed igf:Notation
  FILTER (STR(?a) < STR(?b))
  OPTIONAL { ?l igf:startYear ?start }
  OPTIONAL { ?item igf:heldAt/igf:year ?y1 }
  OPTIONAL { ?item dcterms:issued ?y2 }
  BIND (COALESCE(?y1, ?y2) AS ?year)
}
"""


def _rows(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _expected(folder: Path, evidence: str) -> set[tuple[str, str, str, int | None]]:
    """(a, b, item id, year) read straight from the CSVs: pairs of co-organisers or co-creators."""
    modalities = {r["id"] for r in _rows(folder, "bodies") if r["kind"] == "modality"}
    if evidence == "co-organised":
        years = {r["id"]: int(r["year"]) for r in _rows(folder, "meetings")}
        when = {r["id"]: years[r["meeting_id"]] for r in _rows(folder, "sessions")}
        links, key = _rows(folder, "session_organizers"), "session_id"
    else:
        when = {
            r["id"]: int(r["issued"]) if r["issued"] else None for r in _rows(folder, "outputs")
        }
        links, key = _rows(folder, "output_creators"), "output_id"
    members: dict[str, set[str]] = {}
    for r in links:
        if r["body_id"] not in modalities:
            members.setdefault(r[key], set()).add(r["body_id"])
    return {
        (a, b, item, when[item])
        for item, bodies in members.items()
        for a, b in combinations(sorted(bodies), 2)
    }


def _derived(store, evidence: str) -> set[tuple[str, str, str, int | None]]:
    frame = query_frame(store, _DERIVED.replace("$evidence", f'"{evidence}"'))
    return {
        (*_pair(r), local_name(r.item), int(r.year[:4]) if r.year else None)
        for r in frame.itertuples(index=False)
    }


def _pair(row) -> tuple[str, str]:
    a, b = sorted((local_name(row.a), local_name(row.b)))
    return a, b


def _first_years(store, evidence: str) -> dict[tuple[str, str], int | None]:
    frame = query_frame(store, _DERIVED.replace("$evidence", f'"{evidence}"'))
    return {_pair(r): int(r.start[:4]) if r.start else None for r in frame.itertuples(index=False)}


def _append(folder: Path, name: str, rows: list[dict[str, str]]) -> None:
    with (folder / f"{name}.csv").open("a", encoding="utf-8", newline="") as fh:
        fields = list(_rows(folder, name)[0]) if _rows(folder, name) else None
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writerows(rows)


@pytest.fixture(scope="module")
def joint_dir(tmp_path_factory) -> Path:
    """The mini package plus a 2020 meeting, joint sessions and coalitions at the main session.

    * m-2020-joint, organised by dc-a, dc-b and pn-x (2020);
    * m-2021-dc-a, now co-organised by dc-c;
    * m-2021-main (organised by dccg) joined by dc-c and pn-x.

    Expected, by hand: co-organised dc-a/dc-b 2020, dc-a/pn-x 2020, dc-b/pn-x 2020,
    dc-a/dc-c 2021; co-authored dc-a/dc-b 2020 (joint-report); co-presence dc-c/dccg,
    dccg/pn-x and dc-c/pn-x, all 2021.
    """
    from tests.conftest import make_package

    folder = make_package(tmp_path_factory.mktemp("joint"))
    _append(folder, "meetings", [{
        "id": "m-2020", "number": "15", "year": "2020", "name": "IGF 2020", "host_city": "",
        "host_country_id": "", "start_date": "2020-11-02", "end_date": "2020-11-17",
        "theme": "Internet for human resilience and solidarity", "format": "online",
        "source_id": "src-b", "locator": "Heading", "confidence": "high", "note": "",
    }])  # fmt: skip
    _append(folder, "sessions", [{
        "id": "m-2020-joint", "meeting_id": "m-2020", "title": "A joint session", "type": "dc-session",
        "date": "2020-11-10", "format": "round table", "track": "Trust", "source_id": "src-b",
        "locator": "Organizers", "confidence": "medium", "note": "",
    }])  # fmt: skip
    _append(folder, "session_organizers", [
        {"session_id": s, "body_id": b, "role": role, "source_id": "src-b", "locator": "Organizers"}
        for s, b, role in [
            ("m-2020-joint", "dc-a", ""), ("m-2020-joint", "dc-b", "co-organiser"),
            ("m-2020-joint", "pn-x", ""), ("m-2021-dc-a", "dc-c", "co-organiser"),
        ]
    ])  # fmt: skip
    _append(folder, "session_participants", [
        {"session_id": "m-2021-main", "body_id": b, "source_id": "src-a", "locator": "§2.ii"}
        for b in ("dc-c", "pn-x")
    ])  # fmt: skip
    return folder


@pytest.fixture(scope="module")
def joint_store(joint_dir):
    return to_store(build_graph(load_tables(joint_dir)).graph)


def test_hand_computed_collaborations(joint_store):
    assert _derived(joint_store, "co-organised") == {
        ("dc-a", "dc-b", "m-2020-joint", 2020),
        ("dc-a", "pn-x", "m-2020-joint", 2020),
        ("dc-b", "pn-x", "m-2020-joint", 2020),
        ("dc-a", "dc-c", "m-2021-dc-a", 2021),
    }
    assert _derived(joint_store, "co-authored") == {("dc-a", "dc-b", "joint-report", 2020)}
    assert _derived(joint_store, "co-presence") == {
        ("dc-c", "dccg", "m-2021-main", 2021),
        ("dccg", "pn-x", "m-2021-main", 2021),
        ("dc-c", "pn-x", "m-2021-main", 2021),
    }


@pytest.mark.parametrize("evidence", ["co-organised", "co-authored"])
def test_derived_equal_the_tables_on_the_mini_package(joint_dir, joint_store, evidence):
    expected = _expected(joint_dir, evidence)
    assert expected  # the fixture has joint sessions and a joint output
    assert _derived(joint_store, evidence) == expected
    first: dict[tuple[str, str], int | None] = {}
    for a, b, _item, year in expected:
        if year is not None and (first.get((a, b)) is None or year < first[(a, b)]):
            first[(a, b)] = year
        first.setdefault((a, b), None)
    assert _first_years(joint_store, evidence) == first


@pytest.mark.parametrize("evidence", ["co-organised", "co-authored"])
def test_derived_equal_the_tables_on_the_shipped_data(shipped_store, evidence):
    expected = _expected(default_data_dir(), evidence)
    assert _derived(shipped_store, evidence) == expected


def test_co_presence_has_no_shortcut_and_is_not_counted_by_default(joint_store):
    ask = query_frame(
        joint_store,
        """SELECT ?a WHERE { ?a dcterms:identifier "dc-c" ; igf:liaisesWith ?b .
                             ?b dcterms:identifier "pn-x" }""",
    )
    assert ask.empty
    default = liaison_graph(joint_store)
    every = liaison_graph(joint_store, EVIDENCE_TYPES)
    dc_c, pn_x = (f"https://w3id.org/igfgraph/id/{p}" for p in ("dc/dc-c", "pn/pn-x"))
    assert not default.has_edge(dc_c, pn_x)
    assert every.edges[dc_c, pn_x]["evidence"] == ["co-presence"]
    assert every.edges[dc_c, pn_x]["first_year"] == 2021
    assert default.graph["evidence"] == DEFAULT_EVIDENCE
    assert governance_graph(joint_store, ["stated"]).graph["evidence"] == ("stated",)


def test_edge_keeps_every_evidence_and_the_first_year(joint_store):
    L = liaison_graph(joint_store)
    dc_a, dc_b = (f"https://w3id.org/igfgraph/id/dc/{x}" for x in ("dc-a", "dc-b"))
    data = L.edges[dc_a, dc_b]
    assert data["evidence"] == ["co-authored", "co-organised", "stated"]
    assert data["first_year"] == 2020


def test_parse_evidence():
    assert parse_evidence(None) == ("stated", "co-organised", "co-authored")
    assert parse_evidence(["all"]) == EVIDENCE_TYPES
    assert parse_evidence(["co-presence", "stated,co-presence"]) == ("stated", "co-presence")
    with pytest.raises(ValueError, match="unknown evidence type 'friends'"):
        parse_evidence(["friends"])


def _csv(result) -> list[dict[str, str]]:
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(result.stdout.splitlines()))


def test_cli_gaps_evidence(joint_dir):
    runner = CliRunner()
    base = ["gaps", "--data", str(joint_dir), "--format", "csv"]
    default = _csv(runner.invoke(cli, base))
    pairs = {(r["label_a"], r["label_b"]) for r in default}
    # mini README: DC-C/PN-X is a gap; co-organising m-2021-dc-a now puts DC-C 1 hop from DC-A
    assert ("Dynamic Coalition C", "Policy Network X") in pairs
    assert {r["evidence_counted"] for r in default} == {"stated, co-organised, co-authored"}
    # with co-presence, DC-C and PN-X (both at the main session) are 1 hop apart: no gap left
    assert _csv(runner.invoke(cli, [*base, "--evidence", "all"])) == []
    # co-presence only (DC-C, DCCG and PN-X linked): the mini README's overlaps of 1/4 or
    # more with a DC are gaps again, except DC-C/PN-X (1 hop)
    only = _csv(runner.invoke(cli, [*base, "--evidence", "co-presence"]))
    assert {(r["label_a"], r["label_b"]) for r in only} == {
        ("DC-A", "Dynamic Coalition B"),  # 2/3
        ("Dynamic Coalition B", "Policy Network X"),  # 1/3
        ("DC-A", "Policy Network X"),  # 1/4
    }
    assert {r["evidence_counted"] for r in only} == {"co-presence"}


def test_cli_centrality_and_communities_evidence(joint_dir):
    runner = CliRunner()
    base = ["--data", str(joint_dir), "--format", "csv"]
    stated = _csv(runner.invoke(cli, ["centrality", *base, "--evidence", "stated"]))
    every = _csv(runner.invoke(cli, ["centrality", *base, "--evidence", "all"]))
    degree = {r["label"]: int(r["degree"]) for r in stated}
    degree_all = {r["label"]: int(r["degree"]) for r in every}
    # DC-C: the DCCG coordinates it (its modality liaison is no edge); with all evidence
    # also DC-A (co-organised) and PN-X (co-presence); the DCCG (co-presence too) once
    assert degree["Dynamic Coalition C"] == 1
    assert degree_all["Dynamic Coalition C"] == 3
    assert {r["evidence_counted"] for r in stated} == {"stated"}
    comm = _csv(runner.invoke(cli, ["communities", *base, "--evidence", "co-presence,stated"]))
    assert {r["evidence_counted"] for r in comm} == {"stated, co-presence"}


def test_cli_rejects_an_unknown_evidence_type(joint_dir):
    result = CliRunner().invoke(cli, ["gaps", "--data", str(joint_dir), "--evidence", "gossip"])
    assert result.exit_code == 2
    assert "unknown evidence type 'gossip'" in result.output
    assert "Traceback" not in result.output


def test_session_without_organiser_or_with_a_date_of_another_year(mini_dir):
    path = mini_dir / "session_organizers.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if "m-2021-main" not in line), encoding="utf-8")
    path = mini_dir / "sessions.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("2021-12-07", "2019-12-07"), encoding="utf-8"
    )
    problems = {(p.file, p.row, p.column): p.message for p in check_tables(mini_dir)}
    assert problems == {
        ("sessions.csv", 2, "date"): "'2019-12-07' is not in 2021, the year of m-2021",
        (
            "sessions.csv",
            3,
            "id",
        ): "session 'm-2021-main' has no organiser in session_organizers.csv",
    }


def test_stats_report_sessions_and_collaborations(joint_dir):
    rows = _csv(CliRunner().invoke(cli, ["stats", "--data", str(joint_dir), "--format", "csv"]))
    got = {(r["section"], r["item"]): int(r["count"]) for r in rows}
    assert got[("sessions", "IGF 2020 dc-session")] == 1
    assert got[("sessions", "IGF 2021 dc-session")] == 1
    assert got[("sessions", "IGF 2021 main-session")] == 1
    assert got[("collaborations", "co-organised (all years)")] == 4
    assert got[("collaborations", "co-organised first in 2020")] == 3
    assert got[("collaborations", "co-organised first in 2021")] == 1
    assert got[("collaborations", "co-presence first in 2021")] == 3
    assert got[("collaborations", "co-authored first in 2020")] == 1
    assert got[("collaborations", "stated (all years)")] == 4
    assert got[("source", "facts without source")] == 0


def test_ego_view_counts_co_presence_only_when_asked(joint_store):
    from igfgraph.views import ego_view

    pn_x = "https://w3id.org/igfgraph/id/pn/pn-x"
    default = ego_view(joint_store, "dc-c")
    every = ego_view(joint_store, "dc-c", evidence=["all"])
    # DC-C and PN-X only took part in the same main session
    assert pn_x not in default and pn_x in every
    assert default.graph["description"].endswith(
        "Liaisons counted: stated, co-organised, co-authored."
    )
    assert every.graph["description"].endswith(
        "Liaisons counted: stated, co-organised, co-authored, co-presence."
    )


def test_cli_viz_evidence(joint_dir, tmp_path):
    out = tmp_path / "ego.html"
    result = CliRunner().invoke(
        cli,
        ["viz", "--data", str(joint_dir), "--view", "ego", "--node", "dc-c", "--evidence", "all",
         "--out", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Liaisons counted: stated, co-organised, co-authored, co-presence." in out.read_text(
        encoding="utf-8"
    )
