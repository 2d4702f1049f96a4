"""Issue 9's cross-checks: the same question gets the same answer wherever it is asked."""

from __future__ import annotations

import pandas as pd
import pytest

from igfgraph.activity import Activity
from igfgraph.model import read_model
from igfgraph.queries import named_query


@pytest.fixture(scope="module")
def shipped_model(shipped_store):
    return read_model(shipped_store)


def test_named_dcs_without_session_is_the_activity_rule_in_every_year(shipped_store, shipped_model):
    m = shipped_model
    years = {meeting.year for meeting in m.meetings.values()}
    query = named_query("dcs-without-session")
    for year in range(min(years) - 1, max(years) + 2):
        got = sorted(query.frame(shipped_store, {"year": str(year)})["dc"])
        expected = sorted(
            b.iri
            for b in m.of_kind("dynamic-coalition")
            if year in years
            and b.activity(year).outcome is Activity.ACTIVE
            and not any(
                s.year == year and b.iri in (*s.organisers, *s.participants) for s in m.sessions
            )
        )
        assert got == expected, year


@pytest.fixture(scope="module")
def all_outputs(tmp_path_factory):
    """``igfgraph all`` on the shipped data, once."""
    from igfgraph.pipeline import run_all

    out = tmp_path_factory.mktemp("all")
    run_all(out)
    return out


def _section(report: str, heading: str) -> list[str]:
    lines = report.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0].splitlines()
    return [
        line.strip("| ").strip() for line in lines if line.startswith("| ") and "---" not in line
    ]


def test_report_lists_the_named_querys_dcs_without_session_in_2021(
    all_outputs, shipped_store, shipped_model
):
    report = (all_outputs / "report.md").read_text(encoding="utf-8")
    names = _section(report, "Dynamic Coalitions active in 2021 without an IGF 2021 session")[1:]
    answer = named_query("dcs-without-session").frame(shipped_store, {"year": "2021"})
    assert (
        names
        == sorted(answer["name"])
        == [
            "Dynamic Coalition on Blockchain Technologies",
            "Dynamic Coalition on DNS Issues",
            "Dynamic Coalition on Innovative Approaches to Connecting the Unconnected",
            "Dynamic Coalition on the Internet of Things",
        ]
    )
    pub = shipped_model.bodies["https://w3id.org/igfgraph/id/dc/dc-pub"].name
    assert f"Not counted, their activity in 2021 being unknown: {pub}." in report


def test_report_gap_count_equals_gaps_rows_and_map_gap_edges(all_outputs, shipped_model):
    from igfgraph.views import landscape_view

    report = (all_outputs / "report.md").read_text(encoding="utf-8")
    count = int(report.split("## Liaison gaps\n\n", 1)[1].split(" gaps.", 1)[0])
    rows = pd.read_csv(all_outputs / "gaps.csv")
    V = landscape_view(shipped_model, top_gaps=None)
    gap_edges = {frozenset((u, v)) for u, v, k in V.edges(data="kind") if k == "gap"}
    assert count == len(rows) == len(gap_edges) > 0
    assert gap_edges == {frozenset(p) for p in zip(rows["body_a"], rows["body_b"], strict=True)}


@pytest.mark.parametrize(
    ("measure", "column"), [("degree", "degree_centrality"), ("betweenness", "betweenness")]
)
def test_map_node_sizes_are_centrality_csv(all_outputs, shipped_model, measure, column):
    from igfgraph.views import landscape_view

    table = pd.read_csv(all_outputs / "centrality.csv").set_index("node")[column]
    V = landscape_view(shipped_model, centrality=measure)
    scored = {n: d["centrality"] for n, d in V.nodes(data=True) if "centrality" in d}
    assert len(scored) > 50
    for node, value in scored.items():
        assert value == pytest.approx(table.get(node, 0.0), abs=1e-12), node
    # and the drawn size grows with it (10 + 30 * sqrt(score / largest score))
    ordered = sorted(scored, key=scored.get)
    sizes = [V.nodes[n]["size"] for n in ordered]
    assert sizes == sorted(sizes) and sizes[-1] > sizes[0]


def test_year_filter_2021_follows_the_activity_rule(shipped_model):
    from igfgraph.views import landscape_view

    m = shipped_model
    V = landscape_view(m)
    shown = {n for n, d in V.nodes(data=True) if 2021 in d.get("years", ())}
    greyed = {
        n for n, d in V.nodes(data=True) if d.get("activity", {}).get(2021, ("",))[0] == "unknown"
    }
    # every DC with a 2021 session (the DCCG paper's Annex A) and the DCCG, which organised
    # the 2021 DC main session, are shown
    annex_a = {b for s in m.sessions if s.year == 2021 for b in (*s.organisers, *s.participants)}
    dcs = {b for b in annex_a if m.bodies[b].kind == "dynamic-coalition"}
    assert len(dcs) >= 14
    for iri in ("dc/dc-civ", "dc/dc-dt", "dc/dc-ddht", "dc/dc-jobs", "body/dccg"):
        assert "https://w3id.org/igfgraph/id/" + iri in shown, iri
    assert dcs <= shown
    # every body whose data says it ended, or was left off a dated list, before 2021 (and
    # shows no activity since) is hidden
    for b in m.bodies.values():
        if b.iri not in V:
            continue
        unlisted = [y for y in b.evidence.not_listed_years() if y <= 2020]
        later = [y for y in b.evidence.activity_years() if unlisted and y >= max(unlisted)]
        if (b.ended is not None and b.ended < 2021) or (unlisted and not later):
            assert b.iri not in shown | greyed, b.id
    for gone in ("dc/dc-privacy", "dc/a2k-igf"):
        assert "https://w3id.org/igfgraph/id/" + gone not in shown | greyed
    # a body with no dates is shown as "activity unknown", never hidden, never active
    undated = [
        b for b in m.bodies.values() if b.iri in V and not b.evidence.activity_years()
        and not b.evidence.not_listed_years() and b.ended is None
    ]  # fmt: skip
    assert undated
    for b in undated:
        assert b.iri in greyed and b.iri not in shown, b.id
        assert "activity unknown" in " ".join(
            str(x)
            for label, items in V.nodes[b.iri]["card"]["fields"]
            if label.startswith("Activity")
            for x in items
        )


@pytest.mark.parametrize("name", ["nris-per-region", "body-liaisons", "dcs-by-theme"])
def test_iris_printed_in_tables_can_be_pasted_into_a_query(shipped_store, name):
    import re

    from igfgraph.sparql import query

    printed = named_query(name).run(shipped_store, {}).format("table")
    iris = set(re.findall(r"<https://[^>\s]+>|\b(?:id|igf):[\w./-]+", printed))
    assert any(i.startswith("<https://w3id.org/igfgraph/id/") for i in iris)
    for iri in sorted(iris):
        assert query(
            shipped_store, f"ASK {{ {{ {iri} ?p ?o }} UNION {{ ?s ?p {iri} }} }}"
        ).boolean, iri


def test_readme_library_snippet_gives_the_gaps_rows(all_outputs):
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    snippet = readme.split("## The library", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    scope: dict = {}
    exec(snippet, scope)  # noqa: S102 - our own README
    rows = pd.read_csv(all_outputs / "gaps.csv")
    assert list(scope["gaps"]["body_a"]) == list(rows["body_a"])
    assert list(scope["gaps"]["body_b"]) == list(rows["body_b"])
