"""The shipped data against the DCCG paper (``../shared/sources/dccg-paper-2022.txt``).

Expected values are read off the paper by hand: Annex B lists 22 accredited DCs
(March 2022); Annex A lists the 18 DC sessions of IGF 2021, so four DCs of Annex B held
none (DC-Blockchain, DC-DNSI, the DC on Innovative Approaches to Connecting the
Unconnected and DC-IoT); §1.ii names one output published jointly by DC-NN and DC3;
§1.iii says the DCCG liaises with the IGF Secretariat and, through a MAG liaison, with
the MAG.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from igfgraph.sparql import query, query_frame

ROOT = Path(__file__).resolve().parent.parent
ID = "https://w3id.org/igfgraph/id/"

ANNEX_B = {
    "dcad", "dc-blockchain", "dc-children", "dc3", "dc-civ", "dc-dt", "dc-ddht", "dc-dnsi",
    "dc-gender", "dc-unconnected", "dc-jobs", "dc-iot", "irpc", "is3c", "dc-iui", "dc-nn",
    "dc-pr", "dc-pal", "dc-sig", "dc-sids", "dc-sustainability", "ycig",
}  # fmt: skip
NO_SESSION_2021 = {"dc-blockchain", "dc-dnsi", "dc-unconnected", "dc-iot"}


def ids(frame: pd.DataFrame, column: str) -> set[str]:
    return {v.rsplit("/", 1)[-1] for v in frame[column]}


def test_the_22_dcs_of_march_2022(shipped_store):
    frame = query_frame(
        shipped_store,
        """SELECT ?dc WHERE { ?dc a igf:DynamicCoalition ; igf:listedIn ?r .
                              ?r dcterms:identifier "dc-list-2022-03" }""",
    )
    assert len(frame) == 22
    assert ids(frame, "dc") == ANNEX_B


def test_dcs_without_an_igf_2021_session_are_those_missing_from_annex_a(shipped_store):
    frame = query_frame(
        shipped_store,
        """SELECT ?dc WHERE {
             ?dc a igf:DynamicCoalition ; igf:listedIn/dcterms:identifier "dc-list-2022-03" .
             FILTER NOT EXISTS { ?s a igf:Session ; igf:organizedBy ?dc ;
                                    igf:heldAt/igf:year 2021 } }""",
    )
    assert ids(frame, "dc") == NO_SESSION_2021


def test_18_dc_sessions_and_the_joint_main_session(shipped_store):
    sessions = query_frame(
        shipped_store,
        """SELECT ?s ?type ?org WHERE {
             ?s a igf:Session ; dcterms:type ?type ; igf:organizedBy ?org ;
                                       igf:heldAt/igf:year 2021 }""",
    )
    dc_sessions = sessions[sessions["type"] == "dc-session"]
    assert len(dc_sessions) == 18
    assert ids(dc_sessions, "org") == ANNEX_B - NO_SESSION_2021
    main = sessions[sessions["type"] == "main-session"]
    assert len(main) == 1 and ids(main, "org") == {"dccg"}
    participants = query_frame(
        shipped_store,
        f"SELECT ?p WHERE {{ <{main['s'].iloc[0]}> igf:participant ?p }}",
    )
    # the paper names none: the DCs as a modality; the coalitions a later page names are in
    # session_participants.csv, each with its own source
    rows = pd.read_csv(ROOT / "data" / "session_participants.csv", dtype=str)
    named = set(rows[rows["session_id"] == "igf-2021-dc-main-session"]["body_id"])
    assert "dynamic-coalitions" in named
    assert ids(participants, "p") == named


def test_outputs_with_two_creators(shipped_store):
    """The co-authored DC-NN/DC3 output, and the next-billion policy options, which the DCCG
    paper credits to DC-PAL and the IGF's own pages to its CENB programme."""
    frame = query_frame(
        shipped_store,
        """SELECT ?o (COUNT(?c) AS ?n) (GROUP_CONCAT(STR(?c); separator=" ") AS ?creators)
           WHERE { ?o a igf:Output ; dcterms:creator ?c } GROUP BY ?o HAVING (COUNT(?c) > 1)""",
    )
    assert sorted(
        sorted(c.rsplit("/", 1)[-1] for c in creators.split()) for creators in frame["creators"]
    ) == [["cenb", "dc-pal"], ["dc-nn", "dc3"]]


def test_bodies_the_dccg_liaises_with(shipped_store):
    frame = query_frame(
        shipped_store,
        """SELECT ?b WHERE { ?dccg dcterms:identifier "dccg" ; igf:liaisesWith ?b }""",
    )
    assert ids(frame, "b") == {"igf-secretariat", "mag"}


def test_dccg_coordinates_every_dc_of_2022(shipped_store):
    frame = query_frame(
        shipped_store, 'SELECT ?dc WHERE { ?g dcterms:identifier "dccg" ; igf:coordinates ?dc }'
    )
    assert ids(frame, "dc") >= ANNEX_B


def test_recommendations_name_modalities_not_members(shipped_store):
    frame = query_frame(
        shipped_store,
        """SELECT ?r (COUNT(DISTINCT ?p) AS ?n) (GROUP_CONCAT(STR(?p); separator=" ") AS ?parties)
           WHERE { ?r a igf:Recommendation ; igf:recommends ?p } GROUP BY ?r""",
    )
    assert len(frame) >= 6
    assert (frame["n"].astype(int) >= 2).all()
    network = [
        set(p.split()) for p in frame["parties"] if ID + "modality/policy-networks" in p.split()
    ]
    assert any(
        {ID + "modality/dynamic-coalitions", ID + "modality/best-practice-forums"} <= s
        for s in network
    )
    named = {p for ps in frame["parties"] for p in ps.split()}
    assert not any(p.startswith(ID + "dc/") for p in named)  # never expanded to members


def test_every_dc_has_summary_theme_and_source(shipped_store):
    frame = query_frame(
        shipped_store,
        """SELECT ?dc (COUNT(DISTINCT ?t) AS ?themes) (SAMPLE(?d) AS ?summary) WHERE {
             ?dc a igf:DynamicCoalition ; foaf:isPrimaryTopicOf/prov:wasDerivedFrom ?s ;
                 igf:addressesTheme ?t ;
                 dcterms:description ?d } GROUP BY ?dc""",
    )
    total = query_frame(shipped_store, "SELECT ?dc WHERE { ?dc a igf:DynamicCoalition }")
    assert len(frame) == len(total) >= 22
    assert (frame["themes"].astype(int) >= 1).all()


def test_iot_dc_and_is3c_share_iot_theme(shipped_store):
    frame = query_frame(
        shipped_store,
        """SELECT ?t WHERE { ?a dcterms:identifier "dc-iot" ; igf:addressesTheme ?t .
                             ?b dcterms:identifier "is3c" ; igf:addressesTheme ?t }""",
    )
    assert not frame.empty


def test_theme_scheme_size_and_alignment(shipped_store):
    n = int(query_frame(shipped_store, "SELECT (COUNT(?t) AS ?n) { ?t a igf:Theme }")["n"].iloc[0])
    assert 70 <= n <= 100  # issue 11: the scheme's second edition (about 70-100 concepts)
    assert query(
        shipped_store,
        "ASK { ?t a igf:Theme ;"
        " skos:closeMatch|skos:broadMatch|skos:exactMatch|skos:narrowMatch ?c }",
    ).boolean


def test_dataset_description(shipped_store):
    frame = query_frame(
        shipped_store,
        "SELECT ?triples ?licence ?version WHERE { ?d a void:Dataset ; void:triples ?triples ; "
        "dcterms:license ?licence ; owl:versionInfo ?version }",
    )
    assert len(frame) == 1 and int(frame["triples"].iloc[0]) > 1000


# -- data honesty -------------------------------------------------------------------------


def _csv_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "data").glob("*.csv")))


def test_no_personal_names_from_the_paper():
    text = _csv_text()
    for surname in ("Carvell", "Croll", "Doria", "Teleanu"):
        assert surname not in text


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


PAPER = Path(__file__).resolve().parents[2] / "shared" / "sources" / "dccg-paper-2022.txt"


@pytest.mark.skipif(not PAPER.exists(), reason="the DCCG paper lives in ../shared beside the repo")
def test_summaries_are_in_our_own_words():
    """No summary, definition or description repeats 8 consecutive words of the paper."""
    paper = _words(PAPER.read_text(encoding="utf-8"))
    grams = {tuple(paper[i : i + 8]) for i in range(len(paper) - 7)}
    from igfgraph.tables import load_tables

    tables = load_tables()
    texts = [
        *tables["bodies"]["summary"], *tables["themes"]["definition"],
        *tables["liaisons"]["description"], *tables["recommendations"]["summary"],
    ]  # fmt: skip
    copied = []
    for text in texts:
        w = _words(text)
        if any(tuple(w[i : i + 8]) in grams for i in range(len(w) - 7)):
            copied.append(text)
    assert copied == []


def test_readme_row_counts_match_the_tables():
    """data/README.md's table of tables gives each file's row count ("a / b" for two files)."""
    text = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| ([a-z_]+\.csv(?: / [a-z_]+\.csv)*) \| ([\d /]+) \|", text, re.M)
    assert len(rows) > 15
    for files, counts in rows:
        names = [f.strip() for f in files.split("/")]
        numbers = [int(c) for c in counts.split("/")]
        assert len(names) == len(numbers), files
        for name, number in zip(names, numbers, strict=True):
            frame = pd.read_csv(ROOT / "data" / name, dtype=str, keep_default_na=False)
            assert len(frame) == number, f"data/README.md says {name} has {number} rows"
