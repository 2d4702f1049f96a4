"""The named competency queries (ontology/queries/*.rq): headers, parameters, and answers.

Expected answers on the shipped data are read off the tables (data/*.csv) and, where the
DCCG paper is the source, agree with tests/test_shipped_data.py (four DCs of Annex B held
no session at IGF 2021; DC-NN and DC3 wrote one output together; the DCCG liaises with the
Secretariat and the MAG). Edge cases the shipped data cannot show use the mini package
(tests/data/mini/README.md).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from igfgraph.cli import cli
from igfgraph.exceptions import QueryError
from igfgraph.kinds import KINDS
from igfgraph.queries import (
    PARAMETER_TYPES,
    QueryParameterError,
    load_queries,
    named_query,
    parse_params,
    parse_query_file,
    run_named,
)
from igfgraph.sparql import query

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
ID = "https://w3id.org/igfgraph/id/"
IGF = "https://w3id.org/igfgraph/ontology#"

REQUIRED_QUESTIONS = {
    "dcs-by-theme",
    "themes-of-body",
    "body-liaisons",
    "dcs-without-session",
    "outputs-with-several-creators",
    "shared-themes-no-liaison",
    "nris-per-region",
    "meetings-by-host-country",
    "dcs-renamed-or-closed",
    "source-of-fact",
    "recommendations-and-bodies",
}
#: One set of parameters per query that exercises it (used here and in test_stores.py).
EXAMPLE_PARAMS = {
    "dcs-by-theme": {"theme": "human-rights"},
    "themes-of-body": {"body": "dc-gender"},
    "body-liaisons": {},
    "dcs-without-session": {"year": "2021"},
    "meetings-by-host-country": {},
    "source-of-fact": {"subject": "id:dc/dc3"},
    "recommendations-and-bodies": {"body": "egm"},
    "shared-themes-no-liaison": {"min": "1"},
}


def table(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / f"{name}.csv", dtype=str, keep_default_na=False)


def local(iri: str) -> str:
    return iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def answer(store, name: str, **params) -> pd.DataFrame:
    return named_query(name).frame(store, params)


# --------------------------------------------------------------------------- the files


def test_the_issue_questions_are_all_there():
    assert REQUIRED_QUESTIONS <= set(load_queries())


@pytest.mark.parametrize("name", sorted(load_queries()))
def test_header_declares_question_parameters_and_columns(name, shipped_store):
    q = named_query(name)
    text = q.path.read_text(encoding="utf-8")
    assert text.startswith("# Question: ")
    assert q.question.endswith("?")
    assert q.columns and all(desc for _, desc in q.columns)
    assert all(p.type in PARAMETER_TYPES and p.description for p in q.parameters)
    result = q.run(shipped_store, EXAMPLE_PARAMS.get(name))
    assert result.kind == "select"
    assert result.columns == [c for c, _ in q.columns]
    assert result.rows, f"{name} answers nothing on the shipped data"


def test_a_file_must_declare_the_parameters_it_uses(tmp_path):
    bad = tmp_path / "bad.rq"
    bad.write_text("# Question: What?\n# Columns:\n#   x: x\nSELECT ?x WHERE { ?x ?p $y }\n")
    with pytest.raises(QueryError, match="differ"):
        parse_query_file(bad)
    clash = tmp_path / "clash.rq"
    clash.write_text(
        "# Question: What?\n# Parameters:\n#   y (id): an id\n# Columns:\n#   y: y\n"
        'SELECT ?y WHERE { VALUES $y { "a" } ?y ?p $y }\n'
    )
    with pytest.raises(QueryError, match=r"\?y is the parameter"):
        parse_query_file(clash)
    headless = tmp_path / "headless.rq"
    headless.write_text("SELECT ?x WHERE { ?x ?p ?o }\n")
    with pytest.raises(QueryError, match="Question"):
        parse_query_file(headless)


# --------------------------------------------------------------------------- parameters


def test_parameters_become_terms_of_their_type():
    q = named_query("dcs-without-session")
    assert "  VALUES $year { 2021 }\n" in q.render({"year": "2021"})  # an xsd:integer
    assert '"DC-GENDER"' not in named_query("themes-of-body").render({"body": "DC-Gender"})
    assert '"dc-gender"' in named_query("themes-of-body").render({"body": "DC-Gender"})
    assert 'VALUES $country { "BR" }' in named_query("meetings-by-host-country").render(
        {"country": "br"}
    )
    rendered = named_query("source-of-fact").render(
        {"subject": "id:dc/dc3", "predicate": "igf:liaisesWith"}
    )
    assert f"<{ID}dc/dc3>" in rendered and f"<{IGF}liaisesWith>" in rendered
    assert "<https://example.org/x>" in named_query("source-of-fact").render(
        {"subject": "<https://example.org/x>"}
    )


def test_optional_parameter_left_out_matches_anything():
    text = named_query("dcs-by-theme").render()
    assert "VALUES $theme" not in text and "STR(?topic_notation) = STR($theme))" in text


def test_defaults_apply():
    assert 'VALUES $body { "dccg" }' in named_query("body-liaisons").render()
    assert "VALUES $min { 2 }" in named_query("shared-themes-no-liaison").render()


# --------------------------------------------------------------------------- any processor


def _raw_rows(engine: str, graph, text: str) -> list[tuple[str, ...]]:
    """Run a query text as it is, with no prefixes predeclared, in pyoxigraph or rdflib."""
    if engine == "pyoxigraph":
        return sorted(tuple("" if t is None else t.value for t in row) for row in graph.query(text))
    return sorted(tuple("" if t is None else str(t) for t in row) for row in graph.query(text))


@pytest.fixture(scope="module")
def raw_graphs(shipped_built, shipped_store):
    from rdflib import Graph

    plain = Graph()  # no bound prefixes: rdflib would otherwise resolve igf: itself
    for triple in shipped_built.graph:
        plain.add(triple)
    return {"pyoxigraph": shipped_store, "rdflib": plain}  # Store.query: no prefixes added


@pytest.mark.parametrize("engine", ["pyoxigraph", "rdflib"])
@pytest.mark.parametrize("name", sorted(load_queries()))
def test_every_file_runs_as_it_is_in_any_processor(name, engine, raw_graphs, shipped_store):
    q = named_query(name)
    text = q.path.read_text(encoding="utf-8")  # no project prefixes prepended
    rows = _raw_rows(engine, raw_graphs[engine], text)
    assert rows, f"{name} as shipped answers nothing in {engine}"
    # The file as it is gives the answer of its documented example (or default) values.
    example = {
        p.name: m.group(1)
        for p in q.parameters
        if (m := re.search(rf"VALUES \${p.name} \{{ (.+?) \}}", text)) and m.group(1) != "UNDEF"
    }
    expected = query(shipped_store, q.render({k: _as_param(v) for k, v in example.items()}))
    assert rows == sorted(tuple("" if t is None else t.value for t in row) for row in expected.rows)


def _as_param(term: str) -> str:
    return term.strip('"').removeprefix("<").removesuffix(">")


@pytest.mark.parametrize("engine", ["pyoxigraph", "rdflib"])
def test_a_parameter_is_bound_by_its_values_line_even_when_not_projected(engine, raw_graphs):
    # $body is not a result column of themes-of-body: binding it must still select the body.
    text = named_query("themes-of-body").path.read_text(encoding="utf-8")
    bound = text.replace('VALUES $body { "dc-gender" }', 'VALUES $body { "pnai" }')
    themes = {row[0] for row in _raw_rows(engine, raw_graphs[engine], bound)}
    expected = set(table("body_themes").query("body_id == 'pnai'")["theme_id"])
    assert themes == expected and expected


@pytest.mark.parametrize("engine", ["pyoxigraph", "rdflib"])
def test_a_year_bound_by_hand_works_whatever_its_datatype(engine, raw_graphs):
    text = named_query("dcs-without-session").path.read_text(encoding="utf-8")
    answers = []
    for term in ("2021", '"2021"', '"2021"^^xsd:gYear'):
        bound = text.replace("VALUES $year { 2021 }", f"VALUES $year {{ {term} }}")
        answers.append(_raw_rows(engine, raw_graphs[engine], bound))
    assert (
        answers[0] == answers[1] == answers[2] and len(answers[0]) == 4
    )  # as the report (issue 9: DC-PUB is no longer counted)


def test_every_file_declares_its_prefixes(tmp_path):
    bad = tmp_path / "bad.rq"
    bad.write_text("# Question: What?\n# Columns:\n#   x: x\nSELECT ?x WHERE { ?x a igf:Body }\n")
    with pytest.raises(QueryError, match="prefix igf: is used but not declared"):
        parse_query_file(bad)
    unbound = tmp_path / "unbound.rq"
    unbound.write_text(
        "# Question: What?\n# Parameters:\n#   y (id): an id\n# Columns:\n#   x: x\n"
        "SELECT ?x WHERE { ?x ?p $y }\n"
    )
    with pytest.raises(QueryError, match=r"VALUES \$y"):
        parse_query_file(unbound)


@pytest.mark.parametrize(
    ("name", "params", "message"),
    [
        ("dcs-without-session", {}, "needs --param year"),
        ("dcs-without-session", {"year": "21"}, "not a year"),
        ("dcs-without-session", {"yaer": "2021"}, "has no parameter 'yaer'"),
        ("shared-themes-no-liaison", {"min": "two"}, "not an integer"),
        ("themes-of-body", {"body": "dc gender"}, "not an id"),
        ("meetings-by-host-country", {"country": "BRA"}, "two-letter"),
        ("source-of-fact", {"subject": "not an iri"}, "not an absolute IRI"),
        ("source-of-fact", {"subject": "x:y> . } #"}, "not an absolute IRI"),
    ],
)
def test_bad_parameters_are_refused(name, params, message):
    with pytest.raises(QueryParameterError, match=message):
        named_query(name).render(params)


def test_a_string_parameter_cannot_change_the_query(tmp_path, shipped_store):
    path = tmp_path / "by-label.rq"
    path.write_text(
        "# Question: Which body has this exact name?\n# Parameters:\n#   label (string): a name\n"
        "# Columns:\n#   b: the body\n"
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        'SELECT ?b WHERE {\n  VALUES $label { "x" }\n  ?b skos:prefLabel ?l FILTER (STR(?l) = $label) }\n'
    )
    q = parse_query_file(path)
    evil = '" ) } SELECT * WHERE { ?s ?p ?o } #'
    text = q.render({"label": evil})
    assert query(shipped_store, text).rows == []
    found = query(shipped_store, q.render({"label": "IGF Secretariat"})).rows
    assert [t.value for (t,) in found] == [ID + "body/igf-secretariat"]


def test_parse_params():
    assert parse_params(["a=1", "b=x=y", "c="]) == {"a": "1", "b": "x=y", "c": ""}
    with pytest.raises(QueryParameterError):
        parse_params(["novalue"])
    with pytest.raises(QueryParameterError, match="twice"):
        parse_params(["a=1", "a=2"])


def test_unknown_query_lists_the_names():
    with pytest.raises(QueryError, match="dcs-by-theme"):
        named_query("no-such-question")


# --------------------------------------------------------------------------- answers, shipped


def themes_below(theme: str) -> set[str]:
    themes = table("themes")
    below, frontier = {theme}, {theme}
    while frontier:
        frontier = set(themes.loc[themes["broader_id"].isin(frontier), "id"]) - below
        below |= frontier
    return below


def themes_below_inverse(theme: str) -> set[str]:
    """The theme and every broader theme above it."""
    broader = dict(zip(table("themes")["id"], table("themes")["broader_id"], strict=True))
    out = {theme}
    while broader.get(theme):
        theme = broader[theme]
        out.add(theme)
    return out


def test_dcs_by_theme_counts_narrower_themes(shipped_store):
    frame = answer(shipped_store, "dcs-by-theme", theme="human-rights")
    bodies, links = table("bodies"), table("body_themes")
    dcs = set(bodies.loc[bodies["kind"] == "dynamic-coalition", "id"])
    below = themes_below("human-rights")
    expected = {
        (r.body_id, r.theme_id)
        for r in links.itertuples()
        if r.body_id in dcs and r.theme_id in below
    }
    assert {(local(d), v) for d, v in zip(frame["dc"], frame["via"], strict=True)} == expected
    assert set(frame["theme_id"]) == {"human-rights"}
    assert ("dc-children", "child-rights") in expected  # a narrower theme counts
    everything = answer(shipped_store, "dcs-by-theme")
    # one row per DC, theme and the DC's own theme it is reached through (issue 11's
    # three-level scheme and body themes: 219)
    ancestors = {th: themes_below_inverse(th) for th in set(links["theme_id"])}
    expected_rows = {
        (r.body_id, up, r.theme_id)
        for r in links.itertuples()
        if r.body_id in dcs
        for up in ancestors[r.theme_id]
    }
    assert len(everything) == len(expected_rows) == 219
    assert {"human-rights", "child-rights"} <= set(everything["theme_id"])


def test_themes_of_a_body(shipped_store):
    frame = answer(shipped_store, "themes-of-body", body="dc-gender")
    assert frame.to_dict("records") == [
        {
            "theme_id": theme,
            "theme_label": label,
            "basis": IGF + "Stated",
            "source": ID + "source/dccg-paper-2022",
            "locator": "Annex B item 9",
        }
        for theme, label in [
            ("capacity-building", "Capacity building and digital skills"),
            ("content-policy", "Content policy and moderation"),
            ("freedom-of-expression", "Freedom of expression"),
            ("gender", "Gender equality"),
            ("inclusive-participation", "Inclusive participation in Internet governance"),
            ("meaningful-access", "Universal and meaningful access"),
            ("privacy", "Privacy and data protection"),
        ]
    ]  # the seven themes Annex B item 9 of the paper names (issue 11's body themes)
    assert answer(shipped_store, "themes-of-body", body="dccg").empty  # no themes recorded
    assert "e.g. dc-gender" in named_query("themes-of-body").parameters[0].description


def joint_pairs_from_tables() -> dict[frozenset, set[str]]:
    """Pairs of bodies that organised a session or created an output together, with how."""
    kinds = dict(zip(table("bodies")["id"], table("bodies")["kind"], strict=True))
    pairs: dict[frozenset, set[str]] = {}
    for name, key, evidence in (
        ("session_organizers", "session_id", "co-organised"),
        ("output_creators", "output_id", "co-authored"),
    ):
        rows = table(name)
        rows = rows[[kinds[b] != "modality" for b in rows["body_id"]]]
        for _item, bodies in rows.groupby(key)["body_id"]:
            for a in bodies:
                for b in bodies:
                    if a < b:
                        pairs.setdefault(frozenset((a, b)), set()).add(evidence)
    return pairs


def test_bodies_the_dccg_liaises_with(shipped_store):
    frame = answer(shipped_store, "body-liaisons")
    got = [(local(p), local(k), e) for p, k, e in frame[["partner", "kind", "evidence"]].values]
    # the two formal liaisons of the table, and the 2018 DC main session it organised with the MAG
    assert got == [
        ("igf-secretariat", "FormalLiaison", "stated"),
        ("mag", "CoOrganisedSession", "co-organised"),
        ("mag", "FormalLiaison", "stated"),
    ]
    assert list(frame["partner_name"]) == [
        "IGF Secretariat",
        "Multistakeholder Advisory Group",
        "Multistakeholder Advisory Group",
    ]
    dcad = answer(shipped_store, "body-liaisons", body="dcad")
    stated = {"igf-secretariat", "nris"}  # liaisons.csv; a modality too
    joint = {next(iter(p - {"dcad"})) for p in joint_pairs_from_tables() if "dcad" in p}
    assert joint  # DCAD co-organised sessions with other coalitions
    assert {local(p) for p in dcad["partner"]} == stated | joint
    assert "co-presence" not in set(dcad["evidence"])


NO_SESSION_2021 = {
    # the four DCs of Annex B with no session at IGF 2021 (see test_shipped_data.py). DC-PUB,
    # on the 2020 list and off the March 2022 one, is of unknown activity in 2021 (the one rule
    # of igfgraph/activity.py): not an answer. Coalitions absent from both the 2020 and the 2022
    # lists (the 2006 coalitions, DC-DH, DC-G4P, DC-Digital Economy) are inactive in 2021.
    "dc-blockchain", "dc-dnsi", "dc-unconnected", "dc-iot",
}  # fmt: skip


def test_dcs_without_a_session_at_igf_2021(shipped_store):
    frame = answer(shipped_store, "dcs-without-session", year="2021")
    assert {local(d) for d in frame["dc"]} == NO_SESSION_2021
    bodies = table("bodies").set_index("id")
    for dc in NO_SESSION_2021:  # established by 2021 or unknown, and not known to have ended
        assert bodies.loc[dc, "established"] in ("",) or int(bodies.loc[dc, "established"]) <= 2021
        assert bodies.loc[dc, "ended"] == ""
    assert "fop-dc" not in {local(d) for d in frame["dc"]}  # ended 2009


def test_dcs_without_a_session_in_a_year_without_meeting(shipped_store):
    assert answer(shipped_store, "dcs-without-session", year="2030").empty


def test_outputs_with_more_than_one_creator(shipped_store):
    # the co-authored DC-NN/DC3 output, and the next-billion policy options that the DCCG
    # paper credits to DC-PAL and the IGF's pages to its own CENB programme
    frame = answer(shipped_store, "outputs-with-several-creators")
    policy_options = "Policy options for connecting and enabling the next billion"
    assert frame.to_dict("records") == [
        {
            "output": ID + f"output/{output}",
            "title": title,
            "creators": "2",
            "creator": ID + creator,
            "creator_name": name,
        }
        for output, title, creator, name in [
            ("dcpal-next-billion-policy-options", policy_options, "body/cenb",
             "Policy Options for Connecting and Enabling the Next Billion(s)"),
            ("dcpal-next-billion-policy-options", policy_options, "dc/dc-pal",
             "Dynamic Coalition on Public Access in Libraries"),
            ("internet-openness-in-crisis", "The Value of Internet Openness in Times of Crisis",
             "dc/dc-nn", "Dynamic Coalition on Network Neutrality"),
            ("internet-openness-in-crisis", "The Value of Internet Openness in Times of Crisis",
             "dc/dc3", "Dynamic Coalition on Community Connectivity"),
        ]
    ]  # fmt: skip
    creators = table("output_creators").groupby("output_id")["body_id"].nunique()
    assert list(creators[creators > 1].index) == [
        "dcpal-next-billion-policy-options",
        "internet-openness-in-crisis",
    ]


def shared_pairs_from_tables(minimum: int) -> set[tuple[str, str, int]]:
    links, bodies = table("body_themes"), table("bodies")
    kind = dict(zip(bodies["id"], bodies["kind"], strict=True))
    themes = links.groupby("body_id")["theme_id"].apply(set).to_dict()
    liaisons = table("liaisons")
    linked = {frozenset(p) for p in zip(liaisons["party_a"], liaisons["party_b"], strict=True)}
    linked |= set(joint_pairs_from_tables())  # co-organised and co-authored: no co-presence
    pairs = set()
    for a in themes:
        for b in themes:
            shared = len(themes[a] & themes[b])
            key = (f"{KINDS[kind[a]].segment}/{a}", f"{KINDS[kind[b]].segment}/{b}")  # IRI order
            if a != b and shared >= minimum and frozenset((a, b)) not in linked:
                pairs.add((a, b, shared) if key[0] < key[1] else (b, a, shared))
    return pairs


def test_bodies_sharing_themes_without_liaison(shipped_store):
    frame = answer(shipped_store, "shared-themes-no-liaison")
    got = {(local(a), local(b), int(n)) for a, b, n in frame[["a", "b", "shared"]].values}
    assert {
        ("bpf-data-new-tech", "dc-daig", 2),
        ("bpf-data-new-tech", "pnai", 2),
        ("dc-daig", "pnai", 2),
    } <= got  # DC-IoT and IS3C share two themes too, but organised sessions together
    assert ("dc-iot", "is3c", 2) not in got
    assert got == shared_pairs_from_tables(2)  # issue 11's body themes add more such pairs
    one = answer(shipped_store, "shared-themes-no-liaison", min="1")
    # 89 pairs, 88 once co-organised sessions linked DC-IoT and IS3C; issue #11 adds the CENB
    # programme's 4 pairs on meaningful access (BPF Gender, DC-Connecting the Unconnected, DC3,
    # PNMA) and removes 2, the Cybersecurity BPF now linked with the CSIRT and spam BPFs
    assert len(one) == len(shared_pairs_from_tables(1))
    assert {(local(a), local(b), int(n)) for a, b, n in one[["a", "b", "shared"]].values} == (
        shared_pairs_from_tables(1)
    )
    assert answer(shipped_store, "shared-themes-no-liaison", min="3").empty


def test_nris_per_un_regional_group(shipped_store):
    frame = answer(shipped_store, "nris-per-region")
    rows = {
        local(g) if g else "": tuple(int(x) for x in r)
        for g, *r in frame[["group", "nris", "national", "subregional", "regional", "youth"]].values
    }
    assert rows == {
        "african-group": (63, 41, 6, 1, 15),
        "grulac": (29, 21, 2, 1, 5),
        "asia-pacific-group": (28, 14, 2, 1, 11),
        "weog": (25, 19, 0, 0, 6),
        "eastern-european-group": (20, 14, 1, 0, 5),
        "": (7, 1, 2, 3, 1),  # cross-regional, or no UN group (Taiwan IGF)
    }
    places = table("nri_places")
    by_group = places.groupby("un_group_id")["body_id"].nunique().to_dict()
    assert {g: n for g, (n, *_r) in rows.items()} == by_group
    assert sum(n for n, *_r in rows.values()) == len(places) == 172


def test_meetings_by_host_country(shipped_store):
    frame = answer(shipped_store, "meetings-by-host-country")
    meetings = table("meetings")
    hosted = meetings[meetings["host_country_id"] != ""]
    assert len(frame) == len(hosted) == 19  # IGF 2020 was online
    assert "2020" not in set(frame["year"])
    brazil = answer(shipped_store, "meetings-by-host-country", country="br")
    assert brazil[["country_name", "year", "city"]].values.tolist() == [
        ["Brazil", "2007", "Rio de Janeiro"],
        ["Brazil", "2015", "João Pessoa"],
    ]
    assert answer(shipped_store, "meetings-by-host-country", country="ZZ").empty


def test_dcs_renamed_or_closed(shipped_store):
    frame = answer(shipped_store, "dcs-renamed-or-closed")
    got = {(local(d), c, x) for d, c, x in frame[["dc", "change", "detail"]].values}
    assert got == {
        ("dc-children", "renamed", "DCCOS"),
        ("dc-children", "renamed", "Dynamic Coalition on Child Online Safety"),
        ("fop-dc", "closed", "2009"),
        ("fop-dc", "merged", "Internet Rights and Principles Coalition"),
        ("ibr-dc", "closed", "2009"),
        ("ibr-dc", "merged", "Internet Rights and Principles Coalition"),
        ("is3c", "renamed", "DC-ISSS"),
        ("is3c", "renamed", "Dynamic Coalition on Internet Standards, Security and Safety"),
    }
    names = table("body_names")
    former = names[names["type"].isin(["former-name", "former-acronym"])]
    bodies = table("bodies")
    dcs = set(bodies.loc[bodies["kind"] == "dynamic-coalition", "id"])
    assert {(r.body_id, r.value) for r in former.itertuples() if r.body_id in dcs} == {
        (d, x) for d, c, x in got if c == "renamed"
    }


def test_source_of_a_liaison_is_the_liaison_record(shipped_store):
    frame = answer(
        shipped_store, "source-of-fact", subject="id:dc/dc3", predicate="igf:liaisesWith"
    )
    # the curated (stated) liaison and the one derived from their joint output; not the
    # co-presence at the 2016 DC main session, which writes no shortcut
    assert frame.to_dict("records") == [
        {
            "property": IGF + "liaisesWith",
            "value": ID + "dc/dc-nn",
            "via": ID + via,
            "source": ID + "source/dcnn-2020-report",
            "source_title": "Dynamic Coalition on Net Neutrality 2020 yearly report",
            "locator": "yearly report 2020",
        }
        for via in ("liaison/co-authored/dc-nn/dc3", "liaison/dc-nn-dc3-openness-book")
    ]


def test_source_of_every_fact_about_a_body(shipped_store):
    frame = answer(shipped_store, "source-of-fact", subject="id:dc/dc3")
    by_property = frame.groupby("property")["via"].apply(set).to_dict()
    assert by_property[IGF + "addressesTheme"] == {
        ID + "focus/dc3/community-networks",
        ID + "focus/dc3/telecom-infrastructure",  # issue 11: curated from Annex B item 4
    }
    assert by_property[IGF + "established"] == {ID + "record/dc/dc3"}  # its catalogue record
    assert set(frame.loc[frame["property"] == IGF + "established", "value"]) == {"2016"}
    assert "http://www.w3.org/ns/prov#wasDerivedFrom" not in by_property
    assert (frame["source"] != "").all()


def test_source_of_a_cycle_year(shipped_store):
    frame = answer(shipped_store, "source-of-fact", subject="id:pn/pnai", predicate="igf:activeIn")
    cycles = table("cycles")
    pnai = cycles[cycles["body_id"] == "pnai"]
    assert sorted(zip(frame["value"], map(local, frame["source"]), strict=True)) == sorted(
        zip(pnai["year"], pnai["source_id"], strict=True)
    )
    assert {local(v) for v in frame["via"]} == set(pnai["year"])


def test_recommendations_and_the_bodies_they_name(shipped_store):
    frame = answer(shipped_store, "recommendations-and-bodies")
    parties = table("recommendation_parties")
    assert {(local(r), local(p)) for r, p in frame[["recommendation", "party"]].values} == set(
        zip(parties["recommendation_id"], parties["body_id"], strict=True)
    )
    egm = answer(shipped_store, "recommendations-and-bodies", body="egm")
    assert {local(r) for r in egm["recommendation"]} == {
        "dccg-2022-implement-2021-proposals",
        "dccg-2022-network-supports-consultations",
    }
    assert {local(p) for p in egm["party"]} == {  # every party of those two
        "dccg", "egm", "igf-secretariat", "mag", "dynamic-coalitions", "leadership-panel", "oset",
    }  # fmt: skip


# --------------------------------------------------------------------------- mini fixture


def test_mini_dc_reached_through_two_narrower_themes(mini_store):
    frame = answer(mini_store, "dcs-by-theme", theme="human-rights")
    assert [(local(d), v) for d, v in frame[["dc", "via"]].values] == [
        ("dc-a", "child-rights"),
        ("dc-a", "privacy"),
        ("dc-b", "child-rights"),
    ]
    assert list(frame["acronym"]) == ["DC-A", "DC-A", ""]  # DC-B has none


def test_mini_session_and_unknown_founding_year(mini_store):
    frame = answer(mini_store, "dcs-without-session", year="2021")
    # DC-A organised a session; DC-B (founded 2012, listed 2022) was active; DC-C has no
    # founding year and an "unknown" register status: its activity in 2021 is unknown
    assert [(local(d), e) for d, e in frame[["dc", "established"]].values] == [("dc-b", "2012")]


def test_mini_liaison_with_a_modality_and_pairs_already_liaising(mini_store):
    frame = answer(mini_store, "body-liaisons", body="dc-c")
    assert frame[["partner_name", "since"]].values.tolist() == [["Dynamic Coalitions", ""]]
    assert local(frame["kind"][0]) == "Collaboration"
    # DC-A and DC-B share two themes but liaise: no pair shares two themes without liaison
    assert answer(mini_store, "shared-themes-no-liaison").empty
    one = answer(mini_store, "shared-themes-no-liaison", min="1")
    assert [(local(a), local(b), n) for a, b, n in one[["a", "b", "shared"]].values] == [
        ("dc-a", "pn-x", "1"),
        ("dc-c", "pn-x", "1"),
    ]


def test_mini_outputs_nris_renames_and_recommendations(mini_store):
    out = answer(mini_store, "outputs-with-several-creators")
    assert [local(c) for c in out["creator"]] == ["dc-a", "dc-b"]
    nris = answer(mini_store, "nris-per-region")
    assert nris[["group_name", "nris", "national", "regional"]].values.tolist() == [
        ["", "1", "0", "1"],  # the Arab IGF: cross-regional
        ["Eastern European Group", "1", "1", "0"],
    ]
    renamed = answer(mini_store, "dcs-renamed-or-closed")
    assert renamed[["change", "detail"]].values.tolist() == [["renamed", "Old Coalition A"]]
    recs = answer(mini_store, "recommendations-and-bodies", body="pn-x")
    assert [local(p) for p in recs["party"]] == ["dynamic-coalitions", "pn-x"]
    meetings = answer(mini_store, "meetings-by-host-country", country="pl")
    assert meetings[["name", "city"]].values.tolist() == [["IGF 2021", "Katowice"]]


def test_mini_sources(mini_store):
    frame = answer(
        mini_store, "source-of-fact", subject="id:dc/dc-a", predicate="igf:addressesTheme"
    )
    assert [
        (local(v), local(s), loc) for v, s, loc in frame[["value", "source", "locator"]].values
    ] == [
        ("child-rights", "src-a", "Annex B item 1"),
        ("privacy", "src-a", "Annex B item 1"),
        ("security", "src-a", "Annex B item 1"),
    ]
    themes = answer(mini_store, "themes-of-body", body="dc-a")
    assert [(t, local(b)) for t, b in themes[["theme_id", "basis"]].values] == [
        ("child-rights", "Stated"),
        ("privacy", "Stated"),
        ("security", "Curated"),
    ]


def test_run_named_gives_a_query_result(mini_store):
    result = run_named(mini_store, "body-liaisons")
    doc = json.loads(result.to_json())
    assert doc["head"]["vars"] == [
        "partner", "partner_name", "kind", "evidence", "since", "until", "liaison",
    ]  # fmt: skip
    binding = doc["results"]["bindings"][0]
    assert binding["partner"] == {"type": "uri", "value": ID + "body/sec"}
    assert binding["since"] == {
        "type": "literal",
        "value": "2016",
        "datatype": "http://www.w3.org/2001/XMLSchema#integer",
    }


# --------------------------------------------------------------------------- command line


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args, input=None):
        return runner.invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)

    return invoke


def test_cli_lists_the_questions(run):
    result = run("queries")
    assert result.exit_code == 0
    for name, q in load_queries().items():
        assert name in result.output and q.question in result.output
    rows = json.loads(run("queries", "--format", "json").output)
    assert {r["name"] for r in rows} == set(load_queries())
    assert next(r for r in rows if r["name"] == "dcs-without-session")["parameters"] == (
        "year=YEAR"
    )
    shown = run("queries", "dcs-without-session")
    assert "--param year=YEAR" in shown.output and "FILTER NOT EXISTS" in shown.output
    assert run("queries", "nope").exit_code == 1


def test_cli_runs_a_named_query(run, mini_package):
    result = run(
        "query", "--name", "dcs-without-session", "--param", "year=2021",
        "--data", mini_package, "--format", "csv",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "dc,name,acronym,established",
        f"{ID}dc/dc-b,Dynamic Coalition B,,2012",
    ]  # DC-C's activity in 2021 is unknown (see test_mini_session_and_unknown_founding_year)
    doc = json.loads(
        run("query", "--name", "body-liaisons", "--data", mini_package, "--format", "json").output
    )
    assert doc["results"]["bindings"][0]["partner_name"]["value"] == "Test Secretariat"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--name", "dcs-without-session"], 1, "needs --param year"),
        (["--name", "dcs-without-session", "--param", "year"], 1, "name=value"),
        (["--name", "nope"], 1, "no named query 'nope'"),
        (["SELECT * {}", "--name", "body-liaisons"], 2, "not both"),
        (["SELECT * {}", "--param", "a=b"], 2, "--param goes with --name"),
        ([], 2, "give a query"),
    ],
)
def test_cli_named_query_errors(run, mini_package, args, code, message):
    result = run("query", *args, "--data", mini_package)
    assert result.exit_code == code
    assert message in result.output
    assert "Traceback" not in result.output
