"""The map views (igfgraph.views): what each one shows, then every view in headless Chromium.

Expected values on the ``mini`` package are worked out by hand (tests/data/mini/README.md);
in the browser, the number of nodes vis-network drew is compared with a count made
separately (SPARQL, or the analysis functions) from the graph.
"""

from __future__ import annotations

import json
import re

import networkx as nx
import pytest
from click.testing import CliRunner

from igfgraph import maps, views
from igfgraph.analysis import body_theme_graph, liaison_gaps, liaison_graph
from igfgraph.build import build_graph
from igfgraph.cli import cli
from igfgraph.sparql import query_frame, to_store
from igfgraph.tables import load_tables
from tests import browser
from tests.test_map import SHOWN
from tests.test_tables import edit
from tests.test_viz import TABLE_HEADS

chromium = browser.chromium  # module-scoped fixture

ID = "https://w3id.org/igfgraph/id/"
DC_A, DC_B, DC_C = ID + "dc/dc-a", ID + "dc/dc-b", ID + "dc/dc-c"
PN_X, DCCG, SEC = ID + "pn/pn-x", ID + "body/dccg", ID + "body/sec"
DCS = ID + "modality/dynamic-coalitions"
EEG, CROSS = ID + "region/eastern-european-group", views.CROSS_REGIONAL
T = {t: ID + "theme/" + t for t in ("child-rights", "privacy", "security", "connectivity")}
REPORT = ID + "output/joint-report"

XSS = "<img src=x onerror=alert(1)>"
EVIL_SUMMARY = "Ends here </script><script>alert(2)</script> \"double\" 'single' & more"


def edges(G: nx.Graph) -> set[tuple[str, str, str]]:
    return {(*sorted((u, v)), d["kind"]) for u, v, d in G.edges(data=True)}


def field(G: nx.Graph, node: str, label: str) -> list:
    return dict(G.nodes[node]["card"]["fields"])[label]


def texts(items: list) -> list[str]:
    return [i["text"] if isinstance(i, dict) else i for i in items]


# --------------------------------------------------------------------------- landscape


def test_landscape_nodes_and_edges_on_mini(mini_store):
    V = views.landscape_view(mini_store)
    assert set(V) == {DC_A, DC_B, DC_C, PN_X, DCCG, SEC, EEG, CROSS, DCS, *T.values()}
    assert edges(V) == {
        (DCCG, SEC, "liaison"),
        (DC_A, DC_B, "liaison"),
        (DC_B, PN_X, "liaison"),
        (DC_C, DCS, "liaison"),  # a liaison with a modality, drawn since the modality is
        (DCS, PN_X, "recommended"),  # recommended together, no liaison recorded
        (DC_C, PN_X, "gap"),  # gap #1, Jaccard 0.5
        (DC_A, PN_X, "gap"),  # gap #2, Jaccard 0.25
        (DCCG, DC_A, "coordinates"),
        (DCCG, DC_B, "coordinates"),
        (DCCG, DC_C, "coordinates"),
        (DC_A, T["child-rights"], "theme"),
        (DC_A, T["privacy"], "theme"),
        (DC_A, T["security"], "theme"),
        (DC_B, T["child-rights"], "theme"),
        (DC_B, T["security"], "theme"),
        (DC_C, T["connectivity"], "theme"),
        (PN_X, T["connectivity"], "theme"),
        (PN_X, T["security"], "theme"),
    }
    assert V.nodes[DCS]["kind"] == "modality" and V.nodes[EEG]["kind"] == "nri-group"
    assert "Coalitions and networks" in V.edges[DCS, PN_X]["title"]
    assert V.edges[DC_C, PN_X]["title"].startswith("Liaison gap #1: Dynamic Coalition C")
    assert V.graph["title"] == "IGF landscape" and "NRIs" not in V.graph["title"]


def test_landscape_sized_by_degree_centrality(mini_store):
    # the one centrality network: DCCG–{DC-A, DC-B, DC-C, Secretariat}; DC-B–{DC-A, PN-X};
    # the Secretariat accredits the DC modality. DC-C's liaison with the modality is not a
    # tie (it links no two bodies). 9 nodes (6 bodies, 2 NRIs, the modality a relation
    # reaches): degree centrality = degree / 8.
    V = views.landscape_view(mini_store)
    assert field(V, DCCG, "Centrality") == ["degree centrality 0.500 (4 recorded links)"]
    assert field(V, DC_B, "Centrality") == ["degree centrality 0.375 (3 recorded links)"]
    assert V.nodes[DCCG]["size"] == 40.0  # the most central: 10 + 30
    assert V.nodes[DCCG]["size"] > V.nodes[DC_B]["size"] > V.nodes[DC_A]["size"]
    assert V.nodes[DC_A]["size"] == V.nodes[SEC]["size"] > V.nodes[DC_C]["size"]
    assert V.nodes[DC_B]["centrality"] == 3 / 8
    # NRIs have no links: their groups get group degree centrality 0, the smallest size
    assert V.nodes[EEG]["size"] == V.nodes[CROSS]["size"] == 10.0

    B = views.landscape_view(mini_store, centrality="betweenness")
    # DCCG lies on every shortest path from DC-A, DC-B, DC-C to the Secretariat …
    assert B.nodes[DCCG]["size"] == 40.0
    assert field(B, DC_A, "Centrality") == ["betweenness centrality 0.000 (2 recorded links)"]
    with pytest.raises(ValueError, match="centrality"):
        views.landscape_view(mini_store, centrality="pagerank")


def test_landscape_card_of_a_body(mini_store):
    V = views.landscape_view(mini_store)
    card = V.nodes[DC_A]["card"]
    assert card["name"] == "Dynamic Coalition A"
    assert card["summary"] == "Works on privacy and children."
    labels = [label for label, _ in card["fields"]]
    assert labels == [
        "Acronym",
        "Other and former names",
        "Years",
        "Activity (IGF years)",
        "Themes",
        "Liaisons",
        "Relations",
        "Outputs",
        "Centrality",
        "Sources",
        "Data id",
    ]
    # the map's years are those of the annual meetings (mini: 2021) to the last of the data
    assert field(V, DC_A, "Activity (IGF years)") == ["active 2021–2022"]
    assert field(V, DC_C, "Activity (IGF years)") == ["activity unknown 2021–2022"]
    assert field(V, DC_A, "Acronym") == ["DC-A"]
    assert field(V, DC_A, "Other and former names") == ["Old Coalition A"]
    assert field(V, DC_A, "Years") == [
        "established 2010",
        "listed in Test list of coalitions (2022-03)",
    ]
    assert field(V, DC_A, "Themes") == [
        {"text": "Child rights", "node": T["child-rights"]},
        {"text": "Privacy", "node": T["privacy"]},
        {"text": "Security (curated)", "node": T["security"]},
    ]
    assert field(V, DC_A, "Liaisons") == [
        # derived from the joint report, and stated in liaisons.csv
        {"text": "Dynamic Coalition B (co-authored output, since 2020)", "node": DC_B},
        {"text": "Dynamic Coalition B (collaboration, since 2020)", "node": DC_B},
    ]
    assert field(V, DC_A, "Relations") == [{"text": "coordinated by TCG", "node": DCCG}]
    assert texts(field(V, DC_A, "Outputs")) == ["A joint report (2020)"]
    assert field(V, DC_A, "Sources") == [{"text": "A test paper"}]  # no URL: plain text
    assert field(V, DC_A, "Data id") == ["dc-a"]
    # PN-X's source has a URL: a link, opened only on click
    assert field(V, PN_X, "Sources") == [
        {"text": "A test web page", "href": "https://example.org/page"}
    ]
    assert V.nodes[DC_A]["aliases"] == ["DC-A", "Dynamic Coalition A", "Old Coalition A", "dc-a"]
    assert V.nodes[DC_A]["themes"] == ["Child rights", "Privacy", "Security"]
    # the one activity rule (igfgraph/activity.py): DC-A held a 2021 session and is on the
    # 2022 list; PN-X has yearly cycles; DC-C has no dated evidence: activity unknown
    assert V.nodes[DC_A]["years"] == [2021, 2022]
    assert {y: o for y, (o, _r) in V.nodes[DC_A]["activity"].items()} == {
        2021: "active",
        2022: "active",
    }
    assert V.nodes[PN_X]["years"] == [2021, 2022]  # its yearly cycles
    assert V.nodes[DC_C]["years"] == [] and {o for o, _r in V.nodes[DC_C]["activity"].values()} == {
        "unknown"
    }
    # the DCCG organised the 2021 main session; nothing dated after it
    assert (V.nodes[DCCG]["years"], V.nodes[DCCG]["activity"][2022][0]) == ([2021], "unknown")
    assert "years" not in V.nodes[T["privacy"]]  # follows its bodies
    tooltip = V.nodes[DC_A]["title"].split("\n")
    assert tooltip[:3] == ["Dynamic Coalition A", "Dynamic Coalition", "Acronym: DC-A"]


def test_landscape_cards_of_groups_themes_modalities(mini_store):
    V = views.landscape_view(mini_store)
    assert (
        V.nodes[CROSS]["card"]["name"]
        == "National, regional and youth IGFs: cross-regional or no UN group"
    )
    assert field(V, CROSS, "Initiatives (1)") == ["Arab IGF"]
    # the Arab IGF: founded 2012, nothing dated since: activity unknown in the map's years
    assert V.nodes[CROSS]["years"] == [] and {
        o for o, _r in V.nodes[CROSS]["activity"].values()
    } == {"unknown"}
    assert V.nodes[EEG]["label"] == "NRIs: Eastern European Group (1)"
    assert field(V, T["security"], "Addressed by (3)") == [
        {"text": "DC-A", "node": DC_A},
        {"text": "Dynamic Coalition B", "node": DC_B},
        {"text": "Policy Network X", "node": PN_X},
    ]
    assert V.nodes[T["security"]]["card"]["summary"] == "Safety of networks and users."
    assert field(V, DCS, "Recommended links") == [
        {
            "text": "with Policy Network X: \u201cCoalitions and networks\u201d "
            "(no liaison recorded)",
            "node": PN_X,
        }
    ]


def test_table_columns_are_fixed_and_count_labels_stay_in_the_card(mini_store):
    V = views.landscape_view(mini_store)
    html = maps.render_table_html(V)
    node_table = html.split('id="igfgraph-node-table"', 1)[1].split("</table>", 1)[0]
    heads = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', node_table)
    assert heads == TABLE_HEADS
    # the labels that used to become columns are the theme's and the group's card fields
    assert "<dt>Addressed by (3)</dt>" in node_table
    assert "<dt>Initiatives (1)</dt>" in node_table
    assert node_table.count("<tr id=") == V.number_of_nodes()
    assert node_table.count("<details>") == V.number_of_nodes()


def test_landscape_renders_with_its_description(mini_store):
    html = maps.render_html(views.landscape_view(mini_store))
    assert "<title>IGF landscape</title>" in html
    assert "the 2 strongest liaison gaps" in html


# --------------------------------------------------------------------------- other views


def test_themes_view(mini_store):
    V = views.themes_view(mini_store)
    assert set(V) == {DC_A, DC_B, DC_C, PN_X, *T.values()}
    assert {(u, v) for u, v, k in edges(V) if k == "theme"} == {
        tuple(sorted(p))
        for p in [
            (DC_A, T["child-rights"]),
            (DC_A, T["privacy"]),
            (DC_A, T["security"]),
            (DC_B, T["child-rights"]),
            (DC_B, T["security"]),
            (DC_C, T["connectivity"]),
            (PN_X, T["connectivity"]),
            (PN_X, T["security"]),
        ]
    }
    assert {k for *_, k in edges(V)} == {"theme"}
    assert V.edges[DC_A, T["security"]]["title"] == "DC-A addresses Security (curated)"
    # DCCG, Secretariat and the two NRIs have no theme
    assert "4 bodies with no recorded theme are not shown" in V.graph["description"]
    assert V.nodes[T["security"]]["size"] > V.nodes[T["privacy"]]["size"]


@pytest.mark.parametrize(
    ("threshold", "kinds", "pairs"),
    [
        (0.25, None, {(DC_A, DC_B): 0.6667, (DC_C, PN_X): 0.5, (DC_B, PN_X): 0.3333,
                      (DC_A, PN_X): 0.25}),
        (0.4, None, {(DC_A, DC_B): 0.6667, (DC_C, PN_X): 0.5}),
        (0.6, None, {(DC_A, DC_B): 0.6667}),
        (0.25, ["dynamic-coalition"], {(DC_A, DC_B): 0.6667}),
        (0.9, None, {}),
    ],
)  # fmt: skip
def test_overlap_view(mini_store, threshold, kinds, pairs):
    V = views.overlap_view(mini_store, min_overlap=threshold, kinds=kinds)
    assert {tuple(sorted((u, v))): w for u, v, w in V.edges(data="weight")} == pairs
    assert set(V) == {n for pair in pairs for n in pair}
    assert {d["kind"] for *_, d in V.edges(data=True)} <= {"overlap"}


def test_overlap_view_titles_and_cards(mini_store):
    V = views.overlap_view(mini_store)
    assert V.edges[DC_A, DC_B]["title"] == (
        "Thematic overlap DC-A – Dynamic Coalition B: Jaccard 0.67 "
        "(2 of 3 themes shared: Child rights; Security); liaison recorded"
    )
    assert "no liaison" in V.edges[DC_C, PN_X]["title"]
    assert texts(field(V, PN_X, "Overlaps (3)")) == [
        "Dynamic Coalition C (0.50)",
        "Dynamic Coalition B (0.33)",
        "DC-A (0.25)",
    ]
    with pytest.raises(ValueError, match="min_overlap"):
        views.overlap_view(mini_store, min_overlap=1.5)


def test_gaps_view(mini_store):
    V = views.gaps_view(mini_store)
    assert set(V) == {DC_A, DC_C, PN_X, T["connectivity"], T["security"]}
    assert edges(V) == {
        (DC_C, PN_X, "gap"),
        (DC_A, PN_X, "gap"),
        (DC_C, T["connectivity"], "theme"),
        (PN_X, T["connectivity"], "theme"),
        (DC_A, T["security"], "theme"),
        (PN_X, T["security"], "theme"),
    }
    assert V.edges[DC_A, PN_X]["title"] == (
        "Liaison gap #2: DC-A – Policy Network X: Jaccard 0.25 (1 shared theme: Security); "
        "2 liaison hops apart"
    )
    assert V.edges[DC_C, PN_X]["title"].endswith("no liaison path")
    assert V.edges[DC_C, PN_X]["weight"] == 0.5
    assert texts(field(V, PN_X, "Gaps (2)")) == [
        "#1 with Dynamic Coalition C, Jaccard 0.50",
        "#2 with DC-A, Jaccard 0.25",
    ]
    top1 = views.gaps_view(mini_store, top=1)
    assert set(top1) == {DC_C, PN_X, T["connectivity"]}
    assert set(views.gaps_view(mini_store, max_hops=2)) == {DC_C, PN_X, T["connectivity"]}


@pytest.mark.parametrize(
    ("hops", "expected"),
    [
        # DC-B; its liaisons DC-A and PN-X; DCCG coordinates it; its themes; its output
        (1, {DC_B, DC_A, PN_X, DCCG, T["child-rights"], T["security"], REPORT}),
        # + via DCCG: the Secretariat (liaison) and DC-C (coordinated)
        (2, {DC_B, DC_A, PN_X, DCCG, T["child-rights"], T["security"], REPORT, SEC, DC_C}),
        # + the DC modality (accredited by the Secretariat, liaising with DC-C)
        (3, {DC_B, DC_A, PN_X, DCCG, T["child-rights"], T["security"], REPORT, SEC, DC_C, DCS}),
    ],
)
def test_ego_view(mini_store, hops, expected):
    V = views.ego_view(mini_store, "dc-b", hops=hops)
    assert set(V) == expected
    assert V.nodes[DC_B]["size"] == 40.0
    assert field(V, DC_B, "Distance") == ["the centre of this map"]
    assert field(V, DC_A, "Distance") == ["1 recorded link(s) from Dynamic Coalition B"]
    assert V.edges[REPORT, DC_A]["kind"] == "creator"  # both creators are drawn
    assert V.edges[DCCG, DC_B]["kind"] == "coordinates"
    assert V.edges[DC_A, DC_B]["kind"] == "liaison"
    assert V.graph["title"] == "Dynamic Coalition B: neighbourhood"


def test_ego_view_by_iri_and_errors(mini_store):
    assert set(views.ego_view(mini_store, DC_B)) == set(views.ego_view(mini_store, "dc-b"))
    assert views.resolve_node(mini_store, "dccg") == DCCG
    with pytest.raises(ValueError, match="did you mean .*dccg"):
        views.ego_view(mini_store, "dcc")
    with pytest.raises(ValueError, match="hops"):
        views.ego_view(mini_store, "dc-b", hops=0)
    V = views.ego_view(mini_store, "sec", hops=1)
    assert set(V) == {SEC, DCCG, DCS}
    assert V.edges[SEC, DCS]["kind"] == "governance"
    assert V.edges[SEC, DCS]["title"] == "Test Secretariat accredits Dynamic Coalitions"


# --------------------------------------------------------------------------- aggregation


def big_graph(n: int) -> nx.Graph:
    G = nx.Graph()
    for i in range(n):
        G.add_node(
            f"{ID}n{i:05d}",
            label=f"Node {i}",
            kind="national-igf" if i % 10 else "dynamic-coalition",
            cluster=f"region {i % 7}" if i % 10 else None,
            themes=[f"theme {i % 3}"],
        )
    for i in range(1, n):
        G.add_edge(f"{ID}n{i:05d}", f"{ID}n{(i * 7) % i:05d}", kind="liaison")
    return G


def test_aggregate_small_graph_unchanged():
    G = big_graph(50)
    assert views.aggregate(G, max_nodes=50) is G


def test_aggregate_collapses_largest_groups_first():
    G = big_graph(300)
    A = views.aggregate(G, max_nodes=200)
    assert A.number_of_nodes() <= 200
    groups = sorted(n for n, d in A.nodes(data=True) if d["kind"] == "group")
    # 270 NRIs in 7 regions of 38 or 39 nodes: collapsing the three largest (39 each,
    # ties by name) takes 300 nodes to 300 - 3 * 38 = 186
    assert A.number_of_nodes() == 186
    assert groups == [f"urn:igfgraph:group:region {r}" for r in (1, 2, 4)]
    kept = [n for n in A if not n.startswith("urn:")]
    assert all(G.nodes[n] == A.nodes[n] for n in kept)
    # every original link is still counted once: kept as is, or in a merged edge's weight
    inside = sum(
        1
        for u, v in G.edges
        if G.nodes[u].get("cluster") is not None
        and G.nodes[u]["cluster"] == G.nodes[v].get("cluster")
        and "urn:igfgraph:group:" + G.nodes[u]["cluster"] in A
    )
    assert sum(d.get("weight", 1) for *_, d in A.edges(data=True)) + inside == G.number_of_edges()
    card = A.nodes[groups[0]]["card"]
    assert card["fields"][0] == ("Kinds", ["national-igf: 39"])
    assert A.nodes[groups[0]]["themes"] == ["theme 0", "theme 1", "theme 2"]
    assert "collapsed" in A.graph["description"]
    with pytest.raises(ValueError, match="max_nodes"):
        views.aggregate(G, max_nodes=0)


def test_aggregate_renders_deterministically():
    A = views.aggregate(big_graph(300), max_nodes=200)
    assert maps.render_html(A, title="t") == maps.render_html(
        views.aggregate(big_graph(300), max_nodes=200), title="t"
    )


# --------------------------------------------------------------------------- CLI, bytes


@pytest.mark.parametrize(
    "args",
    [
        ["--view", "landscape"],
        ["--view", "themes"],
        ["--view", "overlap", "--min-overlap", "0.3"],
        ["--view", "gaps", "--top", "1"],
        ["--view", "ego", "--node", "dc-b", "--hops", "2"],
    ],
    ids=lambda a: a[1],
)
def test_cli_views_are_byte_identical_and_write_their_table(mini_package, tmp_path, args):
    runner = CliRunner()
    for name in ("a", "b"):
        result = runner.invoke(
            cli,
            ["viz", "--data", str(mini_package), *args, "--out", str(tmp_path / f"{name}.html")],
        )
        assert result.exit_code == 0, result.output
        assert f"and its table {tmp_path / f'{name}-table.html'}" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "a-table.html",
        "a.html",
        "b-table.html",
        "b.html",
    ]
    a, b = (tmp_path / "a.html").read_text(), (tmp_path / "b.html").read_text()
    assert a.replace("a-table.html", "b-table.html") == b
    ta, tb = (tmp_path / "a-table.html").read_text(), (tmp_path / "b-table.html").read_text()
    assert ta.replace('href="a.html"', 'href="b.html"') == tb
    assert 'href="a-table.html"' in a and 'href="a.html"' in ta


def test_cli_ego_needs_a_known_node(mini_package, tmp_path):
    runner = CliRunner()
    out = str(tmp_path / "m.html")
    result = runner.invoke(cli, ["viz", "--data", str(mini_package), "--view", "ego", "--out", out])
    assert result.exit_code == 2 and "--view ego needs --node" in result.output
    result = runner.invoke(
        cli, ["viz", "--data", str(mini_package), "--view", "ego", "--node", "dcc", "--out", out]
    )
    assert result.exit_code == 2 and "dccg (Test Coordination Group)" in result.output
    result = runner.invoke(
        cli, ["viz", "--data", str(mini_package), "--view", "themes", "--node", "dcc", "--out", out]
    )
    assert result.exit_code == 2 and "--node applies to --view ego only" in result.output
    assert list(tmp_path.iterdir()) == []


def test_same_data_shuffled_rows_same_bytes(mini_dir, mini_package):
    """Same data, rows in another order → byte-identical map and table for every view."""
    for table in ("bodies", "body_themes", "liaisons", "relations", "themes"):
        edit(mini_dir, table, lambda rows: list(reversed(rows)))
    stores = [to_store(build_graph(load_tables(p)).graph) for p in (mini_package, mini_dir)]
    for name, fn in views.VIEWS.items():
        kwargs = {"node": "dc-b", "hops": 2} if name == "ego" else {}
        a, b = (fn(s, **kwargs) for s in stores)
        assert maps.render_html(a) == maps.render_html(b), name
        assert maps.render_table_html(a) == maps.render_table_html(b), name


# --------------------------------------------------------------------------- in Chromium

ACCESSIBILITY = ID + "dc/dcad"

TWO_THEMES = """
SELECT (COUNT(DISTINCT ?n) AS ?count) WHERE {
  { ?n a ?c . ?c rdfs:subClassOf* igf:Body . ?n igf:addressesTheme ?t }
  UNION
  { ?b a ?c . ?c rdfs:subClassOf* igf:Body . ?b igf:addressesTheme ?n }
}
"""

OVERLAP_PAIRS = """
SELECT ?a ?b WHERE {
  { SELECT ?a ?b (COUNT(DISTINCT ?t) AS ?shared) WHERE {
      ?a a ?ca . ?ca rdfs:subClassOf* igf:Body . ?b a ?cb . ?cb rdfs:subClassOf* igf:Body .
      ?a igf:addressesTheme ?t . ?b igf:addressesTheme ?t . FILTER (STR(?a) < STR(?b))
    } GROUP BY ?a ?b }
  { SELECT ?a (COUNT(DISTINCT ?ta) AS ?na) WHERE { ?a igf:addressesTheme ?ta } GROUP BY ?a }
  { SELECT ?b (COUNT(DISTINCT ?tb) AS ?nb) WHERE { ?b igf:addressesTheme ?tb } GROUP BY ?b }
  FILTER (?shared / (?na + ?nb - ?shared) >= 0.25)
}
"""

SHARED = """
SELECT DISTINCT ?t WHERE { <{a}> igf:addressesTheme ?t . <{b}> igf:addressesTheme ?t }
"""

NEIGHBOURS = """
SELECT (COUNT(DISTINCT ?n) AS ?count) WHERE {
  VALUES ?p { igf:liaisesWith igf:coordinates igf:accredits igf:supports igf:hosts
              igf:appoints igf:establishes igf:succeeds igf:mergedInto org:unitOf
              igf:mandates igf:convenes igf:recognises dcterms:isPartOf }
  { BIND (<{c}> AS ?n) }
  UNION { <{c}> ?p ?n } UNION { ?n ?p <{c}> }
  UNION { <{c}> igf:addressesTheme ?n }
  UNION { ?n a igf:Output ; dcterms:creator <{c}> }
}
"""


def separate_count(store, view: str, centre: str) -> tuple[int, int | None]:
    """Nodes (and, where easy, links) of a view, counted without igfgraph.views."""

    def one(text: str) -> int:
        return int(query_frame(store, text)["count"].iloc[0])

    if view == "landscape":
        return one(SHOWN), None
    if view == "themes":
        links = int(
            query_frame(
                store,
                "SELECT (COUNT(*) AS ?count) WHERE { ?b a ?c . ?c rdfs:subClassOf* igf:Body . "
                "?b igf:addressesTheme ?t }",
            )["count"].iloc[0]
        )
        return one(TWO_THEMES), links
    if view == "overlap":
        pairs = query_frame(store, OVERLAP_PAIRS)
        return len(set(pairs["a"]) | set(pairs["b"])), len(pairs)
    if view == "gaps":
        gaps = liaison_gaps(body_theme_graph(store), liaison_graph(store)).head(20)
        themes = set()
        for a, b in zip(gaps["body_a"], gaps["body_b"], strict=True):
            themes |= set(query_frame(store, SHARED.replace("{a}", a).replace("{b}", b))["t"])
        return len(set(gaps["body_a"]) | set(gaps["body_b"])) + len(themes), None
    return one(NEIGHBOURS.replace("{c}", centre)), None


def build_view(store, view: str, centre: str) -> nx.Graph:
    return views.ego_view(store, centre) if view == "ego" else views.VIEWS[view](store)


def assert_clean(page) -> None:
    assert page.console_errors == []
    assert page.page_errors == []
    assert page.blocked_requests == []
    assert page.dialogs == []


VIEW_NAMES = ["landscape", "themes", "overlap", "gaps", "ego"]


@pytest.mark.browser
@pytest.mark.parametrize("view", VIEW_NAMES)
@pytest.mark.parametrize("which", ["mini", "shipped"])
def test_view_in_chromium(which, view, chromium, request, tmp_path):
    store = request.getfixturevalue(f"{which}_store")
    centre = DC_B if which == "mini" else ACCESSIBILITY
    V = build_view(store, view, centre)
    files = maps.write_view(V, tmp_path / f"{view}.html")
    page = chromium.open(files.map)
    assert_clean(page)
    nodes, links = separate_count(store, view, centre)
    assert page.eval("network.body.nodeIndices.length") == nodes == V.number_of_nodes()
    if links is not None:
        assert page.eval("network.body.edgeIndices.length") == links
    # click the biggest body on the map: its card opens
    target = max(
        (n for n, d in V.nodes(data=True) if d["kind"] not in ("theme", "output")),
        key=lambda n: (V.nodes[n]["size"], n),
    )
    assert page.click_node(target) == [target]
    card = page.card()
    assert card["hidden"] is False and card["node"] == target
    assert card["name"] == V.nodes[target]["card"]["name"]
    assert card["fields"][: len(V.nodes[target]["card"]["fields"])] == [
        label for label, _ in V.nodes[target]["card"]["fields"]
    ]
    browser.assert_not_blank(
        page.screenshot(f"views-{which}-{view}.png", selector="#igfgraph-network")
    )
    page.screenshot(f"views-{which}-{view}-page.png")
    assert_clean(page)

    table = chromium.open(files.table, wait_for=None)
    assert_clean(table)
    assert table.eval("document.querySelectorAll('#igfgraph-node-table tbody tr').length") == nodes
    assert (
        table.eval("document.querySelectorAll('#igfgraph-link-table tbody tr').length")
        == V.number_of_edges()
    )
    # one row per node, the same columns for every view (no column per card label such
    # as "Addressed by (6)"), each row a few lines tall with its card closed
    heads = table.eval(
        "Array.from(document.querySelectorAll('#igfgraph-node-table thead th')).map(t => t.textContent)"
    )
    assert heads == TABLE_HEADS
    heights = table.eval(
        "Array.from(document.querySelectorAll('#igfgraph-node-table tbody tr'))"
        ".map(r => r.getBoundingClientRect().height)"
    )
    assert max(heights) < 400  # half the 800 px window (rows were a screen tall)


@pytest.mark.browser
def test_landscape_filters_on_mini(chromium, mini_store, tmp_path):
    page = chromium.open(maps.write_view(views.landscape_view(mini_store), tmp_path / "m.html").map)
    visible = "() => network.body.nodeIndices.slice().sort()"
    page.page.select_option("#igfgraph-theme", "Security")
    # the three bodies working on security, the theme, and the modality recommended to
    # PN-X (it has no themes of its own, so it follows a shown neighbour)
    assert page.eval(visible) == sorted([DC_A, DC_B, PN_X, T["security"], DCS])
    status = page.eval("document.getElementById('igfgraph-filter-status').textContent")
    assert status.startswith("Showing 5 of 13 nodes")
    page.page.select_option("#igfgraph-theme", "")
    page.page.select_option("#igfgraph-year", "2022")
    # 2022: DC-A, DC-B (listed), PN-X (cycle) active; nobody inactive; DC-C, the DCCG, the
    # Secretariat, the modality and both NRI groups are of unknown activity: shown, greyed
    assert page.eval("network.body.nodeIndices.length") == 13
    greyed = "() => nodes.get({filter: n => /u$/.test(n.group)}).map(n => n.id).sort()"
    assert page.eval(greyed) == sorted([DC_C, DCCG, SEC, DCS, EEG, CROSS])
    status = page.eval("document.getElementById('igfgraph-filter-status').textContent")
    assert status.endswith("6 of them greyed: activity unknown in 2022.")
    page.page.select_option("#igfgraph-year", "")
    assert page.eval(greyed) == []
    page.page.click("#igfgraph-reset")
    page.page.uncheck("#igfgraph-legend-nodes li[data-kind=theme] input")
    assert page.eval("network.body.nodeIndices.length") == 13 - 4
    page.page.uncheck("#igfgraph-legend-edges li[data-kind=gap] input")
    assert page.eval("() => edges.get({filter: e => !e.hidden}).length") == 18 - 2
    assert_clean(page)


@pytest.mark.browser
def test_search_and_card_by_keyboard(chromium, mini_store, tmp_path):
    page = chromium.open(maps.write_view(views.landscape_view(mini_store), tmp_path / "m.html").map)
    keyboard = page.page.keyboard
    page.page.focus("#igfgraph-search")
    keyboard.type("old coalition")  # a former name of DC-A
    results = page.eval(
        "Array.from(document.querySelectorAll('#igfgraph-results button'))"
        ".map(b => b.getAttribute('data-node'))"
    )
    assert results == [DC_A]
    keyboard.press("ArrowDown")
    assert page.eval("document.activeElement.getAttribute('data-node')") == DC_A
    keyboard.press("Enter")
    assert page.card()["name"] == "Dynamic Coalition A"
    assert page.eval("document.activeElement.id") == "igfgraph-card-name"
    assert page.eval("network.getSelectedNodes()") == [DC_A]
    # Tab through the card to the theme "Privacy" and open it with Enter
    for _ in range(20):
        keyboard.press("Tab")
        if page.eval("document.activeElement.textContent") == "Privacy":
            break
    keyboard.press("Enter")
    assert page.card()["name"] == "Privacy" and page.card()["node"] == T["privacy"]
    keyboard.press("Escape")
    assert page.card()["hidden"] is True
    assert page.eval("document.activeElement.getAttribute('data-node')") == DC_A
    # Enter in the search box opens the best match at once
    page.page.fill("#igfgraph-search", "")
    page.page.focus("#igfgraph-search")
    keyboard.type("TCG")
    keyboard.press("Enter")
    assert page.card()["node"] == DCCG
    assert_clean(page)


@pytest.mark.browser
def test_card_links_to_sources_and_table_row(chromium, mini_store, tmp_path):
    V = views.landscape_view(mini_store)
    files = maps.write_view(V, tmp_path / "m.html")
    page = chromium.open(files.map)
    page.click_node(PN_X)
    link = page.eval(
        """() => { const a = document.querySelector('#igfgraph-card a.igfgraph-external');
                   return [a.href, a.target, a.rel, a.textContent]; }"""
    )
    assert link == [
        "https://example.org/page",
        "_blank",
        "noopener noreferrer",
        "A test web page (opens in a new tab)",
    ]
    row = page.eval("document.getElementById('igfgraph-card-row').getAttribute('href')")
    index = sorted(V).index(PN_X)
    assert row == f"m-table.html#n{index}"
    assert page.blocked_requests == []  # the link is there, nothing was fetched
    table = chromium.open(files.table, wait_for=None)
    assert table.eval(f"document.getElementById('n{index}').querySelector('th').textContent") == (
        "Policy Network X"
    )


@pytest.fixture
def evil_store(mini_dir):
    """The mini package with an XSS name, and a description holding </script> and quotes."""

    def poison(rows):
        for row in rows:
            if row["id"] == "dc-c":
                row["name"] = XSS
                row["summary"] = EVIL_SUMMARY
        return rows

    edit(mini_dir, "bodies", poison)
    return to_store(build_graph(load_tables(mini_dir)).graph)


@pytest.mark.browser
@pytest.mark.parametrize("view", VIEW_NAMES)
def test_xss_body_renders_as_text(view, evil_store, chromium, tmp_path):
    V = build_view(evil_store, view, DC_C)
    assert V.nodes[DC_C]["label"] == XSS
    files = maps.write_view(V, tmp_path / "evil.html")
    html = files.map.read_text(encoding="utf-8") + files.table.read_text(encoding="utf-8")
    assert XSS not in html and "<script>alert" not in html
    page = chromium.open(files.map)
    assert_clean(page)
    assert page.eval("network.body.nodeIndices.length") == V.number_of_nodes()
    assert page.eval("(id) => nodes.get(id).label", DC_C) == XSS
    page.click_node(DC_C)
    card = page.card()
    assert card["name"] == XSS
    assert page.eval("document.getElementById('igfgraph-card-summary').textContent") == (
        EVIL_SUMMARY
    )
    assert page.eval("document.querySelectorAll('img, iframe, object, embed').length") == 0
    assert page.eval("document.scripts.length") == 3
    browser.assert_not_blank(page.screenshot(f"views-xss-{view}.png", selector="#igfgraph-network"))
    assert_clean(page)
    table = chromium.open(files.table, wait_for=None)
    assert_clean(table)
    assert table.eval("document.querySelectorAll('img').length") == 0
    names = table.eval(
        "Array.from(document.querySelectorAll('#igfgraph-node-table tbody th')).map(t => t.textContent)"
    )
    assert XSS in names


def test_views_json_has_no_raw_markup(evil_store):
    html = maps.render_html(views.landscape_view(evil_store))
    data = re.search(r'id="igfgraph-data">(.*?)</script>', html, re.S).group(1)
    assert "<" not in data and ">" not in data
    node = next(n for n in json.loads(data)["nodes"] if n["id"] == DC_C)
    assert node["label"] == XSS


def test_aggregate_drops_only_the_lightest_merged_edges():
    G = big_graph(300)
    full = views.aggregate(G, max_nodes=200)
    merged = sorted(d["weight"] for *_, d in full.edges(data=True) if "weight" in d)
    assert len(merged) == 3  # links from the three collapsed regions to other nodes
    capped = views.aggregate(G, max_nodes=200, max_edges=full.number_of_edges() - 2)
    assert set(capped) == set(full)
    assert capped.number_of_edges() == full.number_of_edges() - 2
    missing = set(map(frozenset, full.edges)) - set(map(frozenset, capped.edges))
    assert sorted(full.edges[tuple(e)]["weight"] for e in missing) == merged[:2]
    assert capped.graph["aggregated"] == {"nodes": 300, "groups": 3, "dropped_edges": 2}
    assert "The 2 lightest links between groups" in capped.graph["description"]
    # edges between nodes left as they are always stay, whatever max_edges says
    assert views.aggregate(G, max_nodes=200, max_edges=0).number_of_edges() == 182
