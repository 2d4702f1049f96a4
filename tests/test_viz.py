"""Tests of igfgraph.maps: the HTML as text, then the page drawn in headless Chromium."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from igfgraph import fileio, maps
from igfgraph.activity import year_ranges
from igfgraph.maps.assets import script_json, vis_assets
from tests import browser

chromium = browser.chromium  # module-scoped fixture: one headless Chromium for this file

XSS = "<img src=x onerror=alert(1)>"
NASTY = f"{XSS} </script><script>alert(2)</script> \"double\" 'single' & \u2028 \U0001f310"

NODE_KINDS = [
    "forum",
    "secretariat",
    "advisory-group",
    "leadership-panel",
    "coordination-group",
    "dynamic-coalition",
    "best-practice-forum",
    "policy-network",
    "national-igf",
    "subregional-igf",
    "regional-igf",
    "youth-igf",
    "nri-group",
    "organization",
    "modality",
    "theme",
]
EDGE_KINDS = ["liaison", "coordinates", "theme", "gap", "recommended", "organizes", "creator"]
IRI = "https://w3id.org/igfgraph/id/"


def small_graph() -> nx.Graph:
    """Seven IGF-like nodes of different kinds and seven edges of different kinds."""
    G = nx.Graph()
    nodes = [
        ("igf", "Internet Governance Forum", "forum"),
        ("mag", "MAG", "advisory-group"),
        ("dccg", "DC Coordination Group", "coordination-group"),
        ("dc-iot", "DC on Internet of Things", "dynamic-coalition"),
        ("bpf-cyber", "BPF Cybersecurity", "best-practice-forum"),
        ("eurodig", "EuroDIG", "regional-igf"),
        ("theme-access", "Access", "theme"),
    ]
    for slug, label, kind in nodes:
        G.add_node(IRI + slug, label=label, kind=kind, title=f"{label}\n{kind}")
    edges = [
        ("igf", "mag", "coordinates"),
        ("dccg", "dc-iot", "coordinates"),
        ("mag", "dccg", "liaison"),
        ("dc-iot", "theme-access", "theme"),
        ("bpf-cyber", "theme-access", "gap"),
        ("eurodig", "igf", "recommended"),
        ("eurodig", "bpf-cyber", "organizes"),
    ]
    for u, v, kind in edges:
        G.add_edge(IRI + u, IRI + v, kind=kind, title=f"{u} {kind} {v}")
    return G


def xss_graph() -> nx.Graph:
    G = small_graph()
    G.add_node(IRI + "evil\"'<>&", label=XSS, kind=XSS, title=NASTY)
    G.add_edge(IRI + "evil\"'<>&", IRI + "igf", kind="</script>", title=NASTY)
    return G


def data_block(html: str) -> dict:
    match = re.search(
        r'<script type="application/json" id="igfgraph-data">(.*?)</script>', html, re.S
    )
    assert match, "no data block"
    return json.loads(match.group(1))


def shuffled_copy(G: nx.Graph, seed: int) -> nx.Graph:
    rng = random.Random(seed)
    nodes = list(G.nodes(data=True))
    edges = list(G.edges(data=True))
    rng.shuffle(nodes)
    rng.shuffle(edges)
    H = G.__class__()
    for nid, attrs in nodes:
        H.add_node(nid, **dict(reversed(list(attrs.items()))))
    for u, v, attrs in edges:
        if rng.random() < 0.5:
            u, v = v, u
        H.add_edge(u, v, **attrs)
    return H


# --------------------------------------------------------------------------- style table


def test_style_table_has_every_kind():
    assert set(NODE_KINDS) <= set(maps.STYLE["node"])
    assert set(EDGE_KINDS) <= set(maps.STYLE["edge"])
    for style in maps.STYLE["node"].values():
        assert re.fullmatch(r"#[0-9a-f]{6}", style["color"])
        assert style["shape"] and style["label"] and style["fill"] in {"solid", "hollow"}
    for style in maps.STYLE["edge"].values():
        assert re.fullmatch(r"#[0-9a-f]{6}", style["color"]) and style["label"]


def test_node_kinds_readable_without_colour():
    looks = [(s["shape"], s["fill"]) for s in maps.STYLE["node"].values()]
    assert len(set(looks)) == len(looks), "two node kinds differ only by colour"


def test_edge_styles_as_specified():
    edge = maps.STYLE["edge"]
    assert edge["liaison"]["dashes"] is False
    assert edge["coordinates"]["dashes"] is False
    assert edge["coordinates"]["width"] < edge["liaison"]["width"]
    assert edge["theme"]["width"] <= edge["coordinates"]["width"]
    assert edge["gap"]["dashes"] and edge["recommended"]["dashes"]
    assert edge["gap"]["color"] != edge["recommended"]["color"]
    assert edge["gap"]["dashes"] != edge["recommended"]["dashes"]


def test_unknown_kind_falls_back():
    node = maps.node_style("no-such-kind")
    assert node["label"] == "no-such-kind" and node["shape"] and node["color"]
    assert maps.node_style(None)["label"] == "(no kind)"
    assert maps.edge_style("no-such-kind")["label"] == "no-such-kind"
    assert maps.node_style("forum") == maps.STYLE["node"]["forum"]
    assert maps.node_style("forum") is not maps.STYLE["node"]["forum"]  # a copy

    G = small_graph()
    G.add_node(IRI + "x", label="X", kind="no-such-kind")
    G.add_node(IRI + "y", label="Y")  # no kind at all
    G.add_edge(IRI + "x", IRI + "y", kind="no-such-edge")
    html = maps.render_html(G, title="Fallback")
    data = data_block(html)
    groups = data["options"]["groups"]
    by_id = {n["id"]: n for n in data["nodes"]}
    assert groups[by_id[IRI + "x"]["group"]]["shape"] == "dot"
    assert '<li data-kind="no-such-kind">' in html and '<li data-kind="no-such-edge">' in html
    assert "(no kind)" in html
    assert "no-such-edge" in data["edgeStyles"]


# --------------------------------------------------------------------------- HTML as text


def test_same_graph_twice_same_bytes():
    G = small_graph()
    assert maps.render_html(G, title="Map") == maps.render_html(G, title="Map")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_insertion_order_does_not_change_bytes(seed):
    G = xss_graph()
    assert maps.render_html(shuffled_copy(G, seed), title="Map") == maps.render_html(G, title="Map")


def test_same_bytes_under_different_hash_seeds():
    """Catches set/dict iteration leaking into the output (e.g. connected components)."""
    code = (
        "import hashlib, sys; sys.path.insert(0, '.');"
        "from tests.test_viz import xss_graph; from igfgraph import maps;"
        "G = xss_graph(); G.add_nodes_from(f'iso-{i}' for i in range(5));"
        "print(hashlib.sha256(maps.render_html(G, title='t').encode()).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            cwd=browser.REPO_ROOT,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(digests) == 1


def test_large_graph_layout_is_deterministic_and_spread():
    rng = random.Random(7)
    G = nx.Graph()
    for i in range(600):
        G.add_node(f"{IRI}n{i:04d}", label=str(i), kind="organization")
    for i in range(1, 600):
        G.add_edge(f"{IRI}n{i:04d}", f"{IRI}n{rng.randrange(i):04d}", kind="liaison")
    html = maps.render_html(G, title="600")
    assert html == maps.render_html(shuffled_copy(G, 5), title="600")
    coords = {(n["x"], n["y"]) for n in data_block(html)["nodes"]}
    assert len(coords) > 590


def test_no_remote_resources():
    html = maps.render_html(small_graph(), title="Map", description="About")
    tags = re.findall(r"<(?:script|link|img|iframe|source)\b[^>]*>", html, re.I)
    for tag in tags:
        assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", tag, re.I), tag
    assert "<link" not in html
    vis_js, vis_css = vis_assets()
    ours = html.replace(vis_js, "").replace(vis_css, "")
    assert "cdn" not in ours.lower()
    for host in ("cdnjs", "jsdelivr", "unpkg", "bootstrap", "googleapis"):
        assert host not in html.lower()
    assert "sourceMappingURL" not in html
    assert "default-src 'none'" in html.replace("&#39;", "'")


def test_no_random_ids_or_timestamps():
    html = maps.render_html(small_graph(), title="Map")
    vis_js, vis_css = vis_assets()
    ours = html.replace(vis_js, "").replace(vis_css, "")
    assert not re.search(r"\d{4}-\d\d-\d\d", ours)
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", ours)
    data = data_block(html)
    assert [e["id"] for e in data["edges"]] == [f"e{i}" for i in range(len(data["edges"]))]
    assert [n["id"] for n in data["nodes"]] == sorted(n["id"] for n in data["nodes"])


def test_everything_escaped_in_the_html():
    html = maps.render_html(xss_graph(), title=NASTY, description=NASTY)
    # Only our three <script> elements open and close; nothing from the data does.
    ours = html.replace(vis_assets()[0], "")
    assert ours.count("<script") == 3 and ours.lower().count("</script") == 3
    assert XSS not in html
    assert "<img" not in ours.lower()
    raw_json = html.split('id="igfgraph-data">', 1)[1].split("</script>", 1)[0]
    assert "\u2028" not in raw_json and "\u2029" not in raw_json
    data = data_block(html)
    evil = next(n for n in data["nodes"] if n["kind"] == XSS)
    assert evil["label"] == XSS and evil["title"] == NASTY and evil["id"] == IRI + "evil\"'<>&"
    assert any(e["kind"] == "</script>" and e["title"] == NASTY for e in data["edges"])


def test_script_json_escapes_html_breakers():
    value = {"s": "</script><!-- & \u2028\u2029 >"}
    text = script_json(value)
    for raw in ("<", ">", "&", "\u2028", "\u2029"):
        assert raw not in text
    assert json.loads(text) == value


def test_lone_surrogate_does_not_break_writing(tmp_path):
    G = nx.Graph()
    G.add_node(IRI + "a", label="bad \ud800 label", kind="theme")
    path = maps.write_html(G, tmp_path / "map.html", title="t")
    assert "bad \ufffd label" in path.read_text(encoding="utf-8")


def test_given_coordinates_are_kept():
    G = small_graph()
    for i, node in enumerate(sorted(G)):
        G.nodes[node].update(x=i * 100, y=-i * 50.5)
    nodes = data_block(maps.render_html(G, title="t"))["nodes"]
    assert [(n["x"], n["y"]) for n in nodes] == [(i * 100, -i * 50.5) for i in range(len(G))]


def test_partial_coordinates_rejected():
    G = small_graph()
    G.nodes[IRI + "igf"].update(x=1, y=2)
    with pytest.raises(ValueError, match="every node or for none"):
        maps.render_html(G, title="t")


@pytest.mark.parametrize(
    ("attr", "value"), [("size", float("nan")), ("size", "big"), ("x", float("inf"))]
)
def test_bad_numbers_rejected(attr, value):
    G = small_graph()
    if attr == "x":
        for node in G:
            G.nodes[node].update(x=0.0, y=0.0)
    G.nodes[IRI + "igf"][attr] = value
    with pytest.raises(ValueError, match=attr):
        maps.render_html(G, title="t")


def test_non_string_node_rejected():
    G = nx.Graph()
    G.add_node(1, label="one")
    with pytest.raises(TypeError, match="strings"):
        maps.render_html(G, title="t")


def test_directed_multigraph_keeps_parallel_edges_and_arrows():
    G = nx.MultiDiGraph()
    G.add_node("a", kind="forum")
    G.add_node("b", kind="secretariat")
    G.add_edge("b", "a", kind="liaison", weight=1)
    G.add_edge("b", "a", kind="liaison", weight=3)
    G.add_edge("a", "b", kind="organizes")
    data = data_block(maps.render_html(G, title="t"))
    assert [(e["from"], e["to"]) for e in data["edges"]] == [("a", "b"), ("b", "a"), ("b", "a")]
    assert data["options"]["edges"]["arrows"]["to"]["enabled"] is True
    widths = sorted(e["width"] for e in data["edges"] if e["kind"] == "liaison")
    base = maps.STYLE["edge"]["liaison"]["width"]
    assert widths == [base, 3 * base]


def test_import_does_not_load_pyvis():
    code = "import sys, igfgraph.maps; print('pyvis' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --------------------------------------------------------------------------- write_html


def test_write_html_is_atomic_and_leaves_no_lib(tmp_path, monkeypatch):
    cwd = tmp_path / "cwd"
    out = tmp_path / "out"
    cwd.mkdir()
    out.mkdir()
    monkeypatch.chdir(cwd)
    target = out / "map.html"
    target.write_text("old page", encoding="utf-8")
    os.chmod(target, 0o640)

    result = maps.write_html(small_graph(), target, title="Map")

    assert result == target
    assert target.read_text(encoding="utf-8") == maps.render_html(small_graph(), title="Map")
    assert sorted(p.name for p in out.iterdir()) == ["map.html"]  # no temp file left
    assert list(cwd.iterdir()) == []  # no lib/ (or anything) in the working directory
    assert target.stat().st_mode & 0o777 == 0o640  # the old file's mode is kept


def test_write_html_creates_folders_and_readable_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = maps.write_html(small_graph(), "deep/er/map.html", title="Map")
    assert path.is_file() and path.stat().st_mode & 0o444 == 0o444
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deep"]


def test_write_html_failure_keeps_old_file(tmp_path, monkeypatch):
    target = tmp_path / "map.html"
    target.write_text("old page", encoding="utf-8")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(fileio.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        maps.write_html(small_graph(), target, title="Map")
    assert target.read_text(encoding="utf-8") == "old page"
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]


def test_write_html_render_error_writes_nothing(tmp_path):
    G = nx.Graph()
    G.add_node(1)
    with pytest.raises(TypeError):
        maps.write_html(G, tmp_path / "map.html", title="Map")
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- in Chromium


def assert_clean(page: browser.PageResult) -> None:
    assert page.console_errors == []
    assert page.page_errors == []
    assert page.blocked_requests == []
    assert page.dialogs == []


@pytest.mark.browser
def test_harness_catches_requests_dialogs_and_errors(chromium, tmp_path):
    """The checks below mean something only if the harness does see these."""
    page_path = tmp_path / "bad.html"
    page_path.write_text(
        '<!DOCTYPE html><img src="https://example.invalid/pixel.png">'
        "<script>console.error('boom'); alert('xss');"
        "fetch('http://192.0.2.1/x').catch(function () {});</script>"
        "<script>throw new Error('kaboom');</script>",
        encoding="utf-8",
    )
    page = chromium.open(page_path, wait_for=None)
    page.page.wait_for_timeout(200)
    assert "https://example.invalid/pixel.png" in page.blocked_requests
    assert "http://192.0.2.1/x" in page.blocked_requests
    assert page.dialogs == ["alert: xss"]
    assert any("boom" in e for e in page.console_errors)
    assert any("kaboom" in e for e in page.page_errors)


@pytest.mark.browser
def test_blank_screenshot_is_detected(chromium, tmp_path):
    page_path = tmp_path / "blank.html"
    page_path.write_text("<!DOCTYPE html><title>blank</title><body></body>", encoding="utf-8")
    page = chromium.open(page_path, wait_for=None)
    with pytest.raises(AssertionError, match="blank"):
        browser.assert_not_blank(page.screenshot("harness-blank.png"))


@pytest.mark.browser
def test_small_graph_is_drawn_offline(chromium, tmp_path):
    G = small_graph()
    page = chromium.open(maps.write_html(G, tmp_path / "map.html", title="Small map"))
    assert page.eval("window.igfgraphReady") is True
    assert page.eval("network.body.nodeIndices.length") == G.number_of_nodes()
    assert page.eval("network.body.edgeIndices.length") == G.number_of_edges()
    assert page.eval("nodes.length") == G.number_of_nodes()
    assert_clean(page)
    browser.assert_not_blank(page.screenshot("viz-small.png", selector="#igfgraph-network"))
    legend = page.eval(
        "Array.from(document.querySelectorAll('#igfgraph-legend li')).map(li => li.dataset.kind)"
    )
    kinds = {d["kind"] for _, d in G.nodes(data=True)} | {d["kind"] for *_, d in G.edges(data=True)}
    assert set(legend) == kinds


@pytest.mark.browser
def test_all_nodes_in_view_at_first_draw(chromium, tmp_path):
    G = nx.Graph()
    kinds = list(maps.STYLE["node"])
    for i in range(600):
        G.add_node(f"{IRI}n{i:04d}", label=str(i), kind=kinds[i % len(kinds)])
    for i in range(1, 600):
        G.add_edge(f"{IRI}n{i:04d}", f"{IRI}n{(i * 7) % i:04d}", kind="theme")
    page = chromium.open(maps.write_html(G, tmp_path / "map.html", title="600"))
    assert page.eval("network.body.nodeIndices.length") == 600
    outside = page.eval(
        """() => {
          const box = network.body.container.getBoundingClientRect();
          const pos = network.getPositions();
          return Object.values(pos).map(p => network.canvasToDOM(p))
            .filter(p => p.x < 0 || p.y < 0 || p.x > box.width || p.y > box.height).length;
        }"""
    )
    assert outside == 0
    assert_clean(page)


@pytest.mark.browser
def test_xss_payload_renders_as_text(chromium, tmp_path):
    G = xss_graph()
    evil = IRI + "evil\"'<>&"
    page = chromium.open(maps.write_html(G, tmp_path / "xss.html", title=NASTY, description=NASTY))
    assert_clean(page)
    assert page.eval("network.body.nodeIndices.length") == G.number_of_nodes()
    assert page.eval("document.title") == NASTY
    assert page.eval("document.getElementById('igfgraph-title').textContent") == NASTY
    assert page.eval("document.getElementById('igfgraph-description').textContent") == NASTY
    assert page.eval("document.querySelectorAll('img, iframe, object, embed').length") == 0
    assert page.eval("document.scripts.length") == 3
    assert page.eval("(id) => nodes.get(id).label", evil) == XSS
    assert page.eval("(id) => nodes.get(id).title.textContent", evil) == NASTY
    assert page.eval("(id) => nodes.get(id).title.children.length", evil) == 0
    legend = page.eval(
        "Array.from(document.querySelectorAll('#igfgraph-legend li'))"
        ".map(li => [li.dataset.kind, li.querySelector('.label').textContent])"
    )
    assert [XSS, XSS] in legend and ["</script>", "</script>"] in legend

    tooltip = page.hover_node(evil)
    assert tooltip.text_content() == NASTY
    assert tooltip.eval_on_selector_all("*", "els => els.map(e => e.tagName)") == ["DIV"]
    assert page.dialogs == [] and page.page_errors == []
    page.screenshot("viz-xss.png")


@pytest.mark.browser
def test_tooltip_keeps_line_breaks(chromium, tmp_path):
    page = chromium.open(maps.write_html(small_graph(), tmp_path / "map.html", title="t"))
    tooltip = page.hover_node(IRI + "mag")
    assert tooltip.inner_text() == "MAG\nadvisory-group"
    assert tooltip.evaluate("el => el.getBoundingClientRect().height") > 25  # two lines


@pytest.mark.browser
def test_click_selects_node(chromium, tmp_path):
    page = chromium.open(maps.write_html(small_graph(), tmp_path / "map.html", title="t"))
    assert page.click_node(IRI + "eurodig") == [IRI + "eurodig"]
    assert_clean(page)


@pytest.mark.browser
def test_given_coordinates_are_drawn_there(chromium, tmp_path):
    G = small_graph()
    for i, node in enumerate(sorted(G)):
        G.nodes[node].update(x=i * 100, y=(i % 2) * 80)
    page = chromium.open(maps.write_html(G, tmp_path / "map.html", title="t"))
    positions = page.eval("network.getPositions()")
    assert {k: (v["x"], v["y"]) for k, v in positions.items()} == {
        node: (i * 100, (i % 2) * 80) for i, node in enumerate(sorted(G))
    }


@pytest.mark.browser
def test_physics_on_gets_ready(chromium, tmp_path):
    G = small_graph()
    page = chromium.open(maps.write_html(G, tmp_path / "map.html", title="t", physics=True))
    assert page.eval("network.physics.physicsEnabled") is True
    assert page.eval("network.body.nodeIndices.length") == G.number_of_nodes()
    assert_clean(page)


@pytest.mark.browser
def test_empty_and_single_node_graphs(chromium, tmp_path):
    empty = chromium.open(maps.write_html(nx.Graph(), tmp_path / "empty.html", title="Empty"))
    assert empty.eval("network.body.nodeIndices.length") == 0
    assert_clean(empty)
    G = nx.Graph()
    G.add_node(IRI + "igf", label="IGF", kind="forum")
    one = chromium.open(maps.write_html(G, tmp_path / "one.html", title="One"))
    assert one.eval("network.body.nodeIndices.length") == 1
    assert_clean(one)


# --------------------------------------------------------------------------- cards, facets


def card_graph() -> nx.Graph:
    """small_graph with cards, filter values and search aliases on some nodes."""
    G = small_graph()
    G.nodes[IRI + "dc-iot"].update(
        card={
            "name": "Dynamic Coalition on the Internet of Things",
            "summary": "Works on IoT.\nSecond line.",
            "fields": [
                ("Acronym", "DC-IoT"),
                ("Themes", [{"text": "Access", "node": IRI + "theme-access"}]),
                ("Liaisons", [{"text": "Gone", "node": IRI + "not-on-this-map"}]),
                (
                    "Sources",
                    [
                        {"text": "IGF page", "href": "https://www.intgovforum.org/dc-iot"},
                        {"text": "bad link", "href": "javascript:alert(1)"},
                        {"text": "relative", "href": "/etc/passwd"},
                    ],
                ),
            ],
        },
        themes=["Access"],
        years=[2015, 2014, 2015],
        aliases=["IoT coalition", "dc-iot"],
    )
    G.nodes[IRI + "theme-access"].update(themes=["Access"])
    G.nodes[IRI + "bpf-cyber"].update(themes=["Security"], years=[2016])
    G.nodes[IRI + "mag"].update(themes=[], years=[])
    return G


def test_cards_and_facets_in_the_data_block():
    data = data_block(maps.render_html(card_graph(), title="t"))
    ids = [n["id"] for n in data["nodes"]]
    info = dict(zip(ids, data["info"], strict=True))
    card = info[IRI + "dc-iot"]["card"]
    assert card["name"] == "Dynamic Coalition on the Internet of Things"
    assert card["fields"] == [
        ["Acronym", [{"t": "DC-IoT"}]],
        ["Themes", [{"t": "Access", "n": ids.index(IRI + "theme-access")}]],
        ["Liaisons", [{"t": "Gone"}]],  # a node not on the map: plain text
        [
            "Sources",
            [
                {"t": "IGF page", "h": "https://www.intgovforum.org/dc-iot"},
                {"t": "bad link"},  # only http(s) URLs become links
                {"t": "relative"},
            ],
        ],
    ]
    assert info[IRI + "dc-iot"]["years"] == [2014, 2015]
    assert info[IRI + "dc-iot"]["aliases"] == ["IoT coalition", "dc-iot"]
    assert info[IRI + "mag"] == {"themes": [], "years": []}
    assert info[IRI + "igf"] is None
    assert data["kindLabels"][0] == ["forum", "Internet Governance Forum"]


def test_filter_menu_lists_themes_and_years():
    html = maps.render_html(card_graph(), title="t")
    assert re.findall(r'<option value="([^"]*)">', html) == [
        "",
        "Access",
        "Security",
        "",
        "2014",
        "2015",
        "2016",
    ]
    plain = maps.render_html(small_graph(), title="t")
    assert 'id="igfgraph-theme"' not in plain and 'id="igfgraph-year"' not in plain


@pytest.mark.parametrize(
    ("attrs", "message"),
    [
        ({"card": "just text"}, "card of node"),
        ({"card": {"fields": ["oops"]}}, "label, items"),
        ({"years": [2020.5]}, "integers"),
        ({"years": "2020"}, "must be a list"),
        ({"themes": "Access"}, "must be a list"),
    ],
)
def test_bad_cards_and_facets_rejected(attrs, message):
    G = small_graph()
    G.nodes[IRI + "igf"].update(attrs)
    with pytest.raises(ValueError, match=message):
        maps.render_html(G, title="t")


def test_title_and_description_default_to_the_graph():
    G = small_graph()
    G.graph.update(title="From the graph", description="Said by the view")
    html = maps.render_html(G)
    assert "<title>From the graph</title>" in html and "Said by the view" in html
    assert "<title>Given</title>" in maps.render_html(G, title="Given")
    assert "<title>igfgraph map</title>" in maps.render_html(small_graph())


# --------------------------------------------------------------------------- table, write_view


def test_table_html_lists_every_node_and_link():
    G = card_graph()
    html = maps.render_table_html(G, title="Map", map_href="map.html")
    assert html.count('<tr id="n') == G.number_of_nodes()
    assert html.count('<tr id="e') == G.number_of_edges()
    heads = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', html)
    assert heads == [
        "Name", "Kind", "Acronym", "Years", "Themes", "Liaisons", "Sources", "Card",
        "Node", "Other node", "Kind", "Details",
    ]  # fmt: skip
    # rows by kind (legend order), the card's links kept: in-page for nodes, external
    # (new tab) for http(s) only
    names = re.findall(r'<th scope="row">([^<]*)</th>', html)
    assert names[:3] == ["Internet Governance Forum", "MAG", "DC Coordination Group"]
    index = sorted(G).index(IRI + "theme-access")
    assert f'<a href="#n{index}">Access</a>' in html
    assert (
        '<a href="https://www.intgovforum.org/dc-iot" target="_blank" '
        'rel="noopener noreferrer">IGF page</a>'
    ) in html
    assert "javascript:" not in html and 'href="/etc/passwd"' not in html
    assert '<a id="igfgraph-map-link" href="map.html">' in html
    assert "default-src 'none'" in html.replace("&#39;", "'")
    assert html == maps.render_table_html(shuffled_copy(G, 3), title="Map", map_href="map.html")


def test_table_html_escapes_everything():
    html = maps.render_table_html(xss_graph(), title=NASTY, description=NASTY)
    assert XSS not in html
    assert html.count("<script") == 1 and html.lower().count("</script") == 1
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_write_view_writes_map_and_table(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    files = maps.write_view(card_graph(), "out/my map.html", title="Map")
    assert files == maps.ViewFiles(map=Path("out/my map.html"), table=Path("out/my map-table.html"))
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "my map-table.html",
        "my map.html",
    ]
    page = files.map.read_text(encoding="utf-8")
    table = files.table.read_text(encoding="utf-8")
    assert 'href="my%20map-table.html"' in page and 'href="my%20map.html"' in table
    assert page == maps.render_html(card_graph(), title="Map", table_href="my%20map-table.html")
    assert maps.table_path("x/map.html") == Path("x/map-table.html")
    assert maps.table_path("map") == Path("map-table.html")


def test_write_view_render_error_writes_nothing(tmp_path):
    G = small_graph()
    G.nodes[IRI + "igf"]["card"] = 42
    with pytest.raises(ValueError):
        maps.write_view(G, tmp_path / "map.html", title="t")
    assert list(tmp_path.iterdir()) == []


def test_show_puts_the_page_in_a_sandboxed_srcdoc():
    view = maps.show(xss_graph(), title=NASTY, height=500)
    assert view.html == maps.render_html(xss_graph(), title=NASTY)
    frame = view._repr_html_()
    assert frame.startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;')
    assert 'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox"' in frame
    assert "allow-same-origin" not in frame
    assert "height: 500px" in frame
    # the only raw markup is the iframe itself: no quote, tag or script of the page leaks
    assert frame.count("<") == 2 and frame.count('"') == 10
    assert html_unescape(frame.split('srcdoc="', 1)[1].split('"', 1)[0]) == view.html


def html_unescape(text: str) -> str:
    import html

    return html.unescape(text)


# --------------------------------------------------------------------------- skip or fail


def test_missing_browser_skips_with_a_message(monkeypatch, tmp_path):
    monkeypatch.setattr(browser, "CHROMIUM_PATH", tmp_path / "no-chromium")
    monkeypatch.delenv("IGFGRAPH_REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception, match="headless Chromium not found"):
        browser.require_browser()


def test_missing_browser_fails_in_ci(monkeypatch, tmp_path):
    monkeypatch.setattr(browser, "CHROMIUM_PATH", tmp_path / "no-chromium")
    monkeypatch.setenv("IGFGRAPH_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match="apt-get install chromium"):
        browser.require_browser()


def test_ci_script_requires_the_browser():
    lines = (browser.REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert lines.index("export IGFGRAPH_REQUIRE_BROWSER=1") < lines.index("make test")


# --------------------------------------------------------------------------- cards in Chromium


@pytest.mark.browser
def test_click_shows_card_with_safe_links(chromium, tmp_path):
    G = card_graph()
    page = chromium.open(maps.write_view(G, tmp_path / "map.html", title="t").map)
    assert page.card()["hidden"] is True
    assert page.click_node(IRI + "dc-iot") == [IRI + "dc-iot"]
    card = page.card()
    assert card == {
        "hidden": False,
        "node": IRI + "dc-iot",
        "name": "Dynamic Coalition on the Internet of Things",
        "kind": "Dynamic Coalition",
        "fields": ["Acronym", "Themes", "Liaisons", "Sources", "Id"],
    }
    links = page.eval(
        "Array.from(document.querySelectorAll('#igfgraph-card a.igfgraph-external'))"
        ".map(a => a.getAttribute('href'))"
    )
    assert links == ["https://www.intgovforum.org/dc-iot"]
    # the kind is shown by the legend's shape too, not by colour alone
    assert page.eval("document.querySelector('#igfgraph-card-kind svg polygon') !== null")
    linked = page.eval(
        "Array.from(document.querySelectorAll('#igfgraph-card-links dt')).map(d => d.textContent)"
    )
    assert linked == ["Coordinates (1)", "Works on theme (1)"]
    # a click on a card's node link opens that node's card
    page.page.click("#igfgraph-card-fields button.igfgraph-node-link")
    assert page.card()["node"] == IRI + "theme-access"
    page.page.mouse.click(5, 300)  # empty map: the card closes
    assert page.card()["hidden"] is True
    assert_clean(page)


@pytest.mark.browser
def test_filters_follow_neighbours_and_reset(chromium, tmp_path):
    page = chromium.open(maps.write_view(card_graph(), tmp_path / "map.html", title="t").map)
    visible = "() => network.body.nodeIndices.slice().sort()"
    page.page.select_option("#igfgraph-theme", "Access")
    # DC-IoT and the theme match; DCCG has no themes attribute and is DC-IoT's neighbour
    assert page.eval(visible) == sorted(IRI + n for n in ("dc-iot", "theme-access", "dccg"))
    page.page.select_option("#igfgraph-year", "2016")
    assert page.eval(visible) == []
    assert page.eval("document.getElementById('igfgraph-filter-status').textContent") == (
        "Showing 0 of 7 nodes and 0 of 7 links."
    )
    # opening a hidden node from the search box clears the filters
    assert page.eval("igfgraph.search('iot coalition')") == [IRI + "dc-iot"]
    page.page.click("#igfgraph-results button")
    assert page.eval("network.body.nodeIndices.length") == 7
    assert page.card()["node"] == IRI + "dc-iot"
    assert_clean(page)


@pytest.mark.browser
def test_xss_in_cards_stays_text(chromium, tmp_path):
    G = xss_graph()
    evil = IRI + "evil\"'<>&"
    G.nodes[evil]["card"] = {
        "name": XSS,
        "summary": NASTY,
        "fields": [
            (XSS, [XSS, {"text": XSS, "href": "javascript:alert(3)"}, {"text": XSS, "node": evil}])
        ],
    }
    G.nodes[evil]["aliases"] = [NASTY]
    page = chromium.open(maps.write_view(G, tmp_path / "xss.html", title=NASTY).map)
    page.click_node(evil)
    assert page.card()["name"] == XSS and page.card()["fields"] == [XSS, "Id"]
    assert page.eval("document.getElementById('igfgraph-card-summary').textContent") == NASTY
    assert page.eval("document.querySelectorAll('#igfgraph-card a.igfgraph-external').length") == 0
    page.page.click("#igfgraph-card-fields button.igfgraph-node-link")
    assert page.eval("igfgraph.search('onerror')") == [evil]
    assert page.eval("document.querySelectorAll('img, iframe, object, embed').length") == 0
    page.page.click("#igfgraph-results button")
    assert_clean(page)
    table = chromium.open(tmp_path / "xss-table.html", wait_for=None)
    assert_clean(table)
    assert table.eval("document.querySelectorAll('img').length") == 0


@pytest.mark.browser
def test_table_sorts_and_works_without_javascript(chromium, tmp_path):
    G = card_graph()
    files = maps.write_view(G, tmp_path / "map.html", title="t")
    names = "() => Array.from(document.querySelectorAll('#igfgraph-node-table tbody th')).map(t => t.textContent)"
    plain = chromium.open(files.table, wait_for=None, javascript=False)
    assert len(plain.eval(names)) == 7
    assert plain.eval("document.querySelectorAll('thead button').length") == 0
    assert plain.eval("document.getElementById('igfgraph-table-filter-box').hidden") is True

    page = chromium.open(files.table, wait_for=None)
    assert_clean(page)
    unsorted = page.eval(names)
    page.page.click("#igfgraph-node-table thead th:first-child button")
    assert page.eval(names) == sorted(unsorted, key=str.casefold)
    assert (
        page.eval(
            "document.querySelector('#igfgraph-node-table thead th').getAttribute('aria-sort')"
        )
        == "ascending"
    )
    page.page.keyboard.press("Enter")  # the focused heading button, again: descending
    assert page.eval(names) == sorted(unsorted, key=str.casefold, reverse=True)
    page.page.fill("#igfgraph-table-filter", "coalition")
    shown = page.eval(
        "Array.from(document.querySelectorAll('#igfgraph-node-table tbody tr'))"
        ".filter(r => !r.hidden).map(r => r.querySelector('th').textContent)"
    )
    # the two names, and the theme whose row links to the coalition
    assert shown == [  # still in descending order of name
        "Dynamic Coalition on the Internet of Things",
        "DC Coordination Group",
        "Access",
    ]
    status = page.eval("document.getElementById('igfgraph-table-status').textContent")
    assert status == "5 of 14 rows contain \u201ccoalition\u201d."  # 3 nodes, 2 links
    assert_clean(page)


@pytest.mark.browser
def test_show_renders_inside_a_sandboxed_frame(chromium, tmp_path):
    G = card_graph()
    wrapper = tmp_path / "notebook.html"
    wrapper.write_text(
        "<!DOCTYPE html><title>notebook</title>" + maps.show(G, title="Inline")._repr_html_(),
        encoding="utf-8",
    )
    page = chromium.open(wrapper, wait_for=None)
    frame = page.page.frames[1]
    frame.wait_for_function(browser.READY, timeout=30_000, polling=50)
    assert frame.evaluate("network.body.nodeIndices.length") == G.number_of_nodes()
    assert frame.evaluate("window.origin") == "null"  # isolated from the notebook
    assert frame.evaluate("document.title") == "Inline"
    browser.assert_not_blank(page.screenshot("viz-notebook.png"))
    assert_clean(page)


@pytest.mark.browser
def test_aggregated_large_view_draws(chromium, tmp_path):
    from igfgraph.views import aggregate

    G = nx.Graph()
    for i in range(3000):
        G.add_node(f"{IRI}n{i:05d}", label=str(i), kind="national-igf", cluster=f"c{i % 40}")
    for i in range(1, 3000):
        G.add_edge(f"{IRI}n{i:05d}", f"{IRI}n{(i * 7) % i:05d}", kind="liaison")
    A = aggregate(G)
    assert 1000 < A.number_of_nodes() <= 2000
    page = chromium.open(maps.write_html(A, tmp_path / "big.html", title="big"))
    assert page.eval("network.body.nodeIndices.length") == A.number_of_nodes()
    assert_clean(page)


# --------------------------------------------------------------------------- table rows


TABLE_HEADS = ["Name", "Kind", "Acronym", "Years", "Themes", "Liaisons", "Sources", "Card"]
ROWS_JS = """() => Array.from(document.querySelectorAll('#igfgraph-node-table tbody tr')).map(r => ({
  id: r.id,
  cells: Array.from(r.children).slice(0, 7).map(c => c.innerText.trim()),
  open: r.querySelector('details').open,
  height: r.getBoundingClientRect().height,
}))"""


def test_table_years_are_written_as_ranges():
    assert year_ranges([2019, 2014, 2015, 2016, 2021, 2015]) == "2014–2016, 2019, 2021"
    assert year_ranges([]) == ""


def test_table_long_cells_list_the_first_items_only():
    G = card_graph()
    liaisons = [{"text": f"Body {i}", "node": IRI + "mag"} for i in range(8)]
    G.nodes[IRI + "dc-iot"]["card"]["fields"][2] = ("Liaisons", liaisons)
    html = maps.render_table_html(G, title="t")
    row = re.search(r'<tr id="n1">(.*?)</tr>', html, re.S).group(1)
    cell, card = row.split('<td class="card">')
    assert cell.count("Body ") == maps.table.CELL_ITEMS == 5
    assert 'Body 4</a>; </li><li class="more">and 3 more in the card</li></ul>' in cell
    assert card.count("Body ") == 8  # the card lists them all


@pytest.mark.browser
def test_table_one_row_per_node_with_fixed_columns_and_card_behind_details(chromium, tmp_path):
    G = card_graph()
    files = maps.write_view(G, tmp_path / "map.html", title="t")
    index = sorted(G).index(IRI + "dc-iot")
    for javascript in (False, True):
        page = chromium.open(files.table, wait_for=None, javascript=javascript)
        heads = page.eval(
            "Array.from(document.querySelectorAll('#igfgraph-node-table thead th'))"
            ".map(th => th.textContent)"
        )
        assert heads == TABLE_HEADS
        rows = page.eval(ROWS_JS)
        assert len(rows) == G.number_of_nodes()
        assert not any(row["open"] for row in rows)  # every card closed at first
        assert max(row["height"] for row in rows) < 100  # three lines at most
        dc = next(row for row in rows if row["id"] == f"n{index}")
        assert dc["cells"] == [
            "Dynamic Coalition on the Internet of Things",
            "Dynamic Coalition",
            "DC-IoT",
            "2014–2015",
            "Access",
            "Gone",
            "IGF page; bad link; relative",
        ]
        # the card opens by keyboard or click, with or without JavaScript
        page.page.focus(f"#n{index} summary")
        page.page.keyboard.press("Enter")
        card = page.eval(
            """(id) => { const d = document.getElementById(id).querySelector('details');
                 return [d.open, Array.from(d.querySelectorAll('dt')).map(t => t.textContent),
                         d.querySelector('p.text').textContent]; }""",
            f"n{index}",
        )
        assert card == [
            True,
            ["Acronym", "Themes", "Liaisons", "Sources", "Id", "Coordinates (1)",
             "Works on theme (1)"],
            "Works on IoT.\nSecond line.",
        ]  # fmt: skip
        assert page.eval(
            f"document.querySelector('#n{index}').getBoundingClientRect().height"
        ) > max(row["height"] for row in rows)
        assert_clean(page)

    page = chromium.open(files.table, wait_for=None)
    # the Card column has no sort button; Years sorts by first year, empty years last
    assert page.eval("document.querySelectorAll('thead th[data-nosort] button').length") == 0
    page.page.click("#igfgraph-node-table thead th:nth-child(4) button")
    names = page.eval(
        "Array.from(document.querySelectorAll('#igfgraph-node-table tbody th'))"
        ".map(t => t.textContent)"
    )
    assert names[:2] == ["Dynamic Coalition on the Internet of Things", "BPF Cybersecurity"]
    # a link to a row (the map's card links so) opens that row's card
    access = sorted(G).index(IRI + "theme-access")
    page.eval(f"location.hash = 'n{access}'")
    page.page.wait_for_function(f"document.querySelector('#n{access} details').open")
    opened = chromium.open(str(files.table), wait_for=None)
    opened.page.goto(files.table.resolve().as_uri() + f"#n{index}")
    assert opened.eval(f"document.querySelector('#n{index} details').open") is True
    assert_clean(page)
    assert_clean(opened)


# --------------------------------------------------------------------------- activity in a year


class Verdict:
    """Stands for a verdict of the activity rule: an ``outcome`` and a ``reason``."""

    def __init__(self, outcome: str, reason: str) -> None:
        self.outcome, self.reason = outcome, reason


def activity_graph() -> nx.Graph:
    """Bodies active, inactive and of unknown activity in 2021, and a theme between them."""
    G = nx.Graph()
    dcs = {
        "dc-on": {2020: "active", 2021: ("active", "held a session at IGF 2021")},
        "dc-unknown": {2021: Verdict("unknown", "no dated evidence after 2019")},
        "dc-ended": {2020: "active", 2021: ("inactive", "ended in 2020")},
        "dc-nodates": {},
    }
    for slug, activity in dcs.items():
        G.add_node(IRI + slug, label=slug, kind="dynamic-coalition", activity=activity)
    G.add_node(IRI + "bpf-old", label="bpf-old", kind="best-practice-forum", years=[2020])
    G.add_node(IRI + "theme", label="theme", kind="theme")
    for slug in (*dcs, "bpf-old"):
        G.add_edge(IRI + slug, IRI + "theme", kind="theme")
    return G


def test_activity_in_the_data_block_and_the_year_menu():
    html = maps.render_html(activity_graph(), title="t")
    data = data_block(html)
    info = dict(zip([n["id"] for n in data["nodes"]], data["info"], strict=True))
    assert info[IRI + "dc-on"]["activity"] == {
        "2020": ["active", ""],
        "2021": ["active", "held a session at IGF 2021"],
    }
    assert info[IRI + "dc-unknown"]["activity"] == {
        "2021": ["unknown", "no dated evidence after 2019"]
    }
    assert info[IRI + "dc-nodates"]["activity"] == {}
    assert re.findall(r'<option value="(\d+)">', html) == ["2020", "2021"]
    groups = data["options"]["groups"]
    dc_group = next(n["group"] for n in data["nodes"] if n["id"] == IRI + "dc-on")
    assert groups[dc_group + "u"]["shape"] == groups[dc_group]["shape"] == "triangle"
    assert groups[dc_group + "u"]["shapeProperties"] == {"borderDashes": [4, 3]}
    assert 'id="igfgraph-year-hint"' in html and 'id="igfgraph-card-activity"' in html
    # without activity the page has neither
    plain = maps.render_html(card_graph(), title="t")
    assert 'id="igfgraph-year-hint"' not in plain and 'id="igfgraph-card-activity"' not in plain


@pytest.mark.parametrize(
    ("activity", "message"),
    [
        ([2021], "must be a mapping"),
        ({2021: "sleeping"}, "must be one of active, inactive, unknown"),
        ({"2021": "active"}, "integers"),
        ({2021: ("active",)}, "must be one of"),
    ],
)
def test_bad_activity_rejected(activity, message):
    G = small_graph()
    G.nodes[IRI + "igf"]["activity"] = activity
    with pytest.raises(ValueError, match=message):
        maps.render_html(G, title="t")


def test_table_years_are_the_active_ones():
    html = maps.render_table_html(activity_graph(), title="t")
    on = sorted(activity_graph()).index(IRI + "dc-on")
    row = re.search(rf'<tr id="n{on}">(.*?)</tr>', html, re.S).group(1)
    assert '<td data-sort="2020">2020–2021</td>' in row
    assert "<dt>Activity by year</dt><dd>active: 2020–2021</dd>" in row
    ended = sorted(activity_graph()).index(IRI + "dc-ended")
    row = re.search(rf'<tr id="n{ended}">(.*?)</tr>', html, re.S).group(1)
    assert '<td data-sort="2020">2020</td>' in row
    assert "<li>active: 2020</li><li>inactive: 2021</li>" in row


@pytest.mark.browser
def test_unknown_activity_is_greyed_never_hidden_never_active(chromium, tmp_path):
    G = activity_graph()
    page = chromium.open(maps.write_view(G, tmp_path / "map.html", title="t").map)
    visible = "() => network.body.nodeIndices.slice().sort()"
    drawn = """(id) => { const o = network.body.nodes[id].options;
        return [o.color.background, o.shapeProperties.borderDashes,
                network.body.nodes[id].labelModule.fontOptions.color]; }"""
    card_activity = """() => { const p = document.getElementById('igfgraph-card-activity');
        return [p.hidden, p.textContent, p.getAttribute('data-activity')]; }"""
    on_fill = page.eval(drawn, IRI + "dc-on")
    assert on_fill == [viz_colour("dynamic-coalition"), False, "#1a1a1a"]
    # no year chosen: everything drawn as itself, no activity in the card
    assert len(page.eval(visible)) == G.number_of_nodes()
    assert page.eval(drawn, IRI + "dc-unknown") == on_fill
    page.click_node(IRI + "dc-unknown")
    assert page.eval(card_activity) == [True, "", None]

    page.page.select_option("#igfgraph-year", "2021")
    shown = ["dc-on", "dc-unknown", "dc-nodates", "theme"]  # dc-ended and bpf-old hidden
    assert page.eval(visible) == sorted(IRI + n for n in shown)
    assert page.eval(drawn, IRI + "dc-on") == on_fill
    for slug in ("dc-unknown", "dc-nodates"):
        assert page.eval(drawn, IRI + slug) == ["#eeeeee", [4, 3], "#595959"], slug
    assert page.eval(drawn, IRI + "theme")[0] != "#eeeeee"  # context, not judged
    assert page.eval("document.getElementById('igfgraph-filter-status').textContent") == (
        "Showing 4 of 6 nodes and 3 of 5 links. 2 of them greyed: activity unknown in 2021."
    )
    # the open card follows the filter; then other cards
    assert page.eval(card_activity) == [
        False,
        "In 2021: activity unknown (no dated evidence after 2019)",
        "unknown",
    ]
    page.click_node(IRI + "dc-nodates")
    assert page.eval(card_activity) == [False, "In 2021: activity unknown", "unknown"]
    page.click_node(IRI + "dc-on")
    assert page.eval(card_activity) == [
        False,
        "In 2021: active (held a session at IGF 2021)",
        "active",
    ]
    browser.assert_not_blank(page.screenshot("viz-activity-2021.png", selector="#igfgraph-network"))

    # 2020: dc-unknown and dc-ended change places; bpf-old (years only) is back
    page.page.select_option("#igfgraph-year", "2020")
    assert page.eval(visible) == sorted(IRI + n for n in (*shown, "dc-ended", "bpf-old"))
    assert page.eval(drawn, IRI + "dc-ended") == on_fill
    assert page.eval(drawn, IRI + "dc-unknown") == ["#eeeeee", [4, 3], "#595959"]
    # back to any year: nothing greyed
    page.page.select_option("#igfgraph-year", "")
    assert page.eval(drawn, IRI + "dc-unknown") == on_fill
    assert page.eval(card_activity) == [True, "", None]
    assert_clean(page)


def viz_colour(kind: str) -> str:
    return maps.STYLE["node"][kind]["color"]
