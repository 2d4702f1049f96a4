"""The DC registers on the shipped data: the latest list gives every Dynamic Coalition of the
data a status, and a status of "unknown" is only kept with a note that says what was searched
(issue #11, "Done when": the register)."""

from __future__ import annotations

import csv
from pathlib import Path

from igfgraph.sparql import query_frame

DATA = Path(__file__).resolve().parent.parent / "data"
LATEST = "dc-list-latest"


def _rows(table: str) -> list[dict[str, str]]:
    with (DATA / f"{table}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _dcs() -> set[str]:
    return {r["id"] for r in _rows("bodies") if r["kind"] == "dynamic-coalition"}


def test_latest_list_has_one_status_for_every_dc_in_the_data():
    entries = [r for r in _rows("register_entries") if r["register_id"] == LATEST]
    bodies = [r["body_id"] for r in entries]
    assert len(bodies) == len(set(bodies))  # one status each
    assert set(bodies) == _dcs()
    assert len(_dcs()) == 39


def test_every_unknown_names_what_was_searched():
    unknown = [r for r in _rows("register_entries") if r["status"] == "unknown"]
    assert unknown, "the cut-short lists still leave some coalitions unknown"
    for r in unknown:
        note = r["note"]
        assert "Searched 2026-12-05" in note, (r["register_id"], r["body_id"])
        assert "search tool" in note and "no complete copy" in note, r["body_id"]


def test_latest_list_statuses_as_curated():
    """Hand-counted from register_entries.csv: the 21 visible items, the 7 historical
    coalitions and the 11 that would fall after item 21 of our copy."""
    status = {
        r["body_id"]: r["status"] for r in _rows("register_entries") if r["register_id"] == LATEST
    }
    counts = {s: sum(1 for v in status.values() if v == s) for s in set(status.values())}
    assert counts == {"listed": 21, "not-listed": 7, "unknown": 11}
    assert {b for b, s in status.items() if s == "unknown"} == {
        "dc-iui", "dc-jobs", "dc-nn", "dc-oer", "dc-pal", "dc-pr", "dc-pub", "dc-sids",
        "dc-sig", "dc-sustainability", "ycig",
    }  # fmt: skip
    items = sorted(
        int(r["item"]) for r in _rows("register_entries")
        if r["register_id"] == LATEST and r["status"] == "listed"
    )  # fmt: skip
    assert items == list(range(1, 22))


def test_graph_gives_every_dc_a_status_on_the_latest_list(shipped_store):
    frame = query_frame(
        shipped_store,
        """SELECT ?id (COUNT(?r) AS ?n) WHERE {
             ?dc a igf:DynamicCoalition ; dcterms:identifier ?id .
             ?dc igf:listedIn|igf:notListedIn|igf:listingUnknownIn ?r .
             ?r dcterms:identifier "dc-list-latest" }
           GROUP BY ?id""",
    )
    assert set(frame["id"]) == _dcs()
    assert (frame["n"].astype(int) == 1).all()


def test_bodies_users_expect_are_modelled_with_their_kinds():
    """Issue #11, "Bodies users expect": hand-checked kinds, years and links."""
    bodies = {r["id"]: r for r in _rows("bodies")}
    got = {
        b: (bodies[b]["kind"], bodies[b]["established"], bodies[b]["ended"])
        for b in (
            "cenb", "parliamentary-track", "youth-track", "bpf-on-bpfs", "igfsa", "igf-tw",
            "mag-wg-strategy",
        )
    }  # fmt: skip
    assert got == {
        "cenb": ("programme", "2015", "2018"),
        "parliamentary-track": ("programme", "2019", ""),
        "youth-track": ("programme", "2022", ""),
        "bpf-on-bpfs": ("programme", "2020", "2020"),
        "igfsa": ("organization", "2014", ""),
        "igf-tw": ("national-igf", "2016", ""),
        "mag-wg-strategy": ("working-group", "", ""),
    }
    # the "BPF on BPFs" is a MAG review, not a BPF series: still 11 BPFs
    assert sum(1 for r in bodies.values() if r["kind"] == "best-practice-forum") == 11
    wgs = {r["id"] for r in bodies.values() if r["kind"] == "working-group"}
    units = {
        r["subject_id"]
        for r in _rows("relations")
        if r["predicate"] == "unit-of" and r["object_id"] == "mag"
    }
    assert len(wgs) == 7 and wgs <= units
    nris = {r["id"] for r in bodies.values() if r["kind"].endswith("-igf")}
    # 164 of the reference, Taiwan IGF, and the seven of the session-3 search (CURATION-LOG)
    assert len(nris) == 172
    added = {"igf-tw", "igf-dk", "igf-gr", "igf-mv"}
    added |= {"youth-igf-fr", "youth-igf-kh", "youth-igf-mm", "youth-igf-vn"}
    assert added <= nris
    # every NRI is placed (country or region, UN group) exactly once
    assert sorted(nris) == sorted(r["body_id"] for r in _rows("nri_places"))


def test_corrections_of_issue_11():
    cycles = {(r["body_id"], r["year"]): r for r in _rows("cycles")}
    assert cycles[("pnma", "2025")]["confidence"] == "medium"
    succession = {
        (r["party_a"], r["party_b"]) for r in _rows("liaisons") if r["kind"] == "succession"
    }
    assert {("bpf-cybersecurity", "bpf-csirts"), ("bpf-cybersecurity", "bpf-spam")} <= succession
    creators = {
        r["body_id"]: r["source_id"]
        for r in _rows("output_creators")
        if r["output_id"] == "dcpal-next-billion-policy-options"
    }
    assert creators == {"dc-pal": "dccg-paper-2022", "cenb": "igf-cenb-phase-iv"}
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    assert "no source presents the 2016 forum as its continuation" not in readme
