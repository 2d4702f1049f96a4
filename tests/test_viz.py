"""Tests of igfgraph.viz: the HTML as text, then the page drawn in headless Chromium."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys

import networkx as nx
import pytest

from igfgraph import viz
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
    assert set(NODE_KINDS) <= set(viz.STYLE["node"])
    assert set(EDGE_KINDS) <= set(viz.STYLE["edge"])
    for style in viz.STYLE["node"].values():
        assert re.fullmatch(r"#[0-9a-f]{6}", style["color"])
        assert style["shape"] and style["label"] and style["fill"] in {"solid", "hollow"}
    for style in viz.STYLE["edge"].values():
        assert re.fullmatch(r"#[0-9a-f]{6}", style["color"]) and style["label"]


def test_node_kinds_readable_without_colour():
    looks = [(s["shape"], s["fill"]) for s in viz.STYLE["node"].values()]
    assert len(set(looks)) == len(looks), "two node kinds differ only by colour"


def test_edge_styles_as_specified():
    edge = viz.STYLE["edge"]
    assert edge["liaison"]["dashes"] is False
    assert edge["coordinates"]["dashes"] is False
    assert edge["coordinates"]["width"] < edge["liaison"]["width"]
    assert edge["theme"]["width"] <= edge["coordinates"]["width"]
    assert edge["gap"]["dashes"] and edge["recommended"]["dashes"]
    assert edge["gap"]["color"] != edge["recommended"]["color"]
    assert edge["gap"]["dashes"] != edge["recommended"]["dashes"]


def test_unknown_kind_falls_back():
    node = viz.node_style("no-such-kind")
    assert node["label"] == "no-such-kind" and node["shape"] and node["color"]
    assert viz.node_style(None)["label"] == "(no kind)"
    assert viz.edge_style("no-such-kind")["label"] == "no-such-kind"
    assert viz.node_style("forum") == viz.STYLE["node"]["forum"]
    assert viz.node_style("forum") is not viz.STYLE["node"]["forum"]  # a copy

    G = small_graph()
    G.add_node(IRI + "x", label="X", kind="no-such-kind")
    G.add_node(IRI + "y", label="Y")  # no kind at all
    G.add_edge(IRI + "x", IRI + "y", kind="no-such-edge")
    html = viz.render_html(G, title="Fallback")
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
    assert viz.render_html(G, title="Map") == viz.render_html(G, title="Map")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_insertion_order_does_not_change_bytes(seed):
    G = xss_graph()
    assert viz.render_html(shuffled_copy(G, seed), title="Map") == viz.render_html(G, title="Map")


def test_same_bytes_under_different_hash_seeds():
    """Catches set/dict iteration leaking into the output (e.g. connected components)."""
    code = (
        "import hashlib, sys; sys.path.insert(0, '.');"
        "from tests.test_viz import xss_graph; from igfgraph import viz;"
        "G = xss_graph(); G.add_nodes_from(f'iso-{i}' for i in range(5));"
        "print(hashlib.sha256(viz.render_html(G, title='t').encode()).hexdigest())"
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
    html = viz.render_html(G, title="600")
    assert html == viz.render_html(shuffled_copy(G, 5), title="600")
    coords = {(n["x"], n["y"]) for n in data_block(html)["nodes"]}
    assert len(coords) > 590


def test_no_remote_resources():
    html = viz.render_html(small_graph(), title="Map", description="About")
    tags = re.findall(r"<(?:script|link|img|iframe|source)\b[^>]*>", html, re.I)
    for tag in tags:
        assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", tag, re.I), tag
    assert "<link" not in html
    vis_js, vis_css = viz._vis_assets()
    ours = html.replace(vis_js, "").replace(vis_css, "")
    assert "cdn" not in ours.lower()
    for host in ("cdnjs", "jsdelivr", "unpkg", "bootstrap", "googleapis"):
        assert host not in html.lower()
    assert "sourceMappingURL" not in html
    assert "default-src 'none'" in html.replace("&#39;", "'")


def test_no_random_ids_or_timestamps():
    html = viz.render_html(small_graph(), title="Map")
    vis_js, vis_css = viz._vis_assets()
    ours = html.replace(vis_js, "").replace(vis_css, "")
    assert not re.search(r"\d{4}-\d\d-\d\d", ours)
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", ours)
    data = data_block(html)
    assert [e["id"] for e in data["edges"]] == [f"e{i}" for i in range(len(data["edges"]))]
    assert [n["id"] for n in data["nodes"]] == sorted(n["id"] for n in data["nodes"])


def test_everything_escaped_in_the_html():
    html = viz.render_html(xss_graph(), title=NASTY, description=NASTY)
    # Only our three <script> elements open and close; nothing from the data does.
    ours = html.replace(viz._vis_assets()[0], "")
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
    text = viz._script_json(value)
    for raw in ("<", ">", "&", "\u2028", "\u2029"):
        assert raw not in text
    assert json.loads(text) == value


def test_lone_surrogate_does_not_break_writing(tmp_path):
    G = nx.Graph()
    G.add_node(IRI + "a", label="bad \ud800 label", kind="theme")
    path = viz.write_html(G, tmp_path / "map.html", title="t")
    assert "bad \ufffd label" in path.read_text(encoding="utf-8")


def test_given_coordinates_are_kept():
    G = small_graph()
    for i, node in enumerate(sorted(G)):
        G.nodes[node].update(x=i * 100, y=-i * 50.5)
    nodes = data_block(viz.render_html(G, title="t"))["nodes"]
    assert [(n["x"], n["y"]) for n in nodes] == [(i * 100, -i * 50.5) for i in range(len(G))]


def test_partial_coordinates_rejected():
    G = small_graph()
    G.nodes[IRI + "igf"].update(x=1, y=2)
    with pytest.raises(ValueError, match="every node or for none"):
        viz.render_html(G, title="t")


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
        viz.render_html(G, title="t")


def test_non_string_node_rejected():
    G = nx.Graph()
    G.add_node(1, label="one")
    with pytest.raises(TypeError, match="strings"):
        viz.render_html(G, title="t")


def test_directed_multigraph_keeps_parallel_edges_and_arrows():
    G = nx.MultiDiGraph()
    G.add_node("a", kind="forum")
    G.add_node("b", kind="secretariat")
    G.add_edge("b", "a", kind="liaison", weight=1)
    G.add_edge("b", "a", kind="liaison", weight=3)
    G.add_edge("a", "b", kind="organizes")
    data = data_block(viz.render_html(G, title="t"))
    assert [(e["from"], e["to"]) for e in data["edges"]] == [("a", "b"), ("b", "a"), ("b", "a")]
    assert data["options"]["edges"]["arrows"]["to"]["enabled"] is True
    widths = sorted(e["width"] for e in data["edges"] if e["kind"] == "liaison")
    base = viz.STYLE["edge"]["liaison"]["width"]
    assert widths == [base, 3 * base]


def test_import_does_not_load_pyvis():
    code = "import sys, igfgraph.viz; print('pyvis' in sys.modules)"
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

    result = viz.write_html(small_graph(), target, title="Map")

    assert result == target
    assert target.read_text(encoding="utf-8") == viz.render_html(small_graph(), title="Map")
    assert sorted(p.name for p in out.iterdir()) == ["map.html"]  # no temp file left
    assert list(cwd.iterdir()) == []  # no lib/ (or anything) in the working directory
    assert target.stat().st_mode & 0o777 == 0o640  # the old file's mode is kept


def test_write_html_creates_folders_and_readable_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = viz.write_html(small_graph(), "deep/er/map.html", title="Map")
    assert path.is_file() and path.stat().st_mode & 0o444 == 0o444
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deep"]


def test_write_html_failure_keeps_old_file(tmp_path, monkeypatch):
    target = tmp_path / "map.html"
    target.write_text("old page", encoding="utf-8")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(viz.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        viz.write_html(small_graph(), target, title="Map")
    assert target.read_text(encoding="utf-8") == "old page"
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]


def test_write_html_render_error_writes_nothing(tmp_path):
    G = nx.Graph()
    G.add_node(1)
    with pytest.raises(TypeError):
        viz.write_html(G, tmp_path / "map.html", title="Map")
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
    page = chromium.open(viz.write_html(G, tmp_path / "map.html", title="Small map"))
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
    kinds = list(viz.STYLE["node"])
    for i in range(600):
        G.add_node(f"{IRI}n{i:04d}", label=str(i), kind=kinds[i % len(kinds)])
    for i in range(1, 600):
        G.add_edge(f"{IRI}n{i:04d}", f"{IRI}n{(i * 7) % i:04d}", kind="theme")
    page = chromium.open(viz.write_html(G, tmp_path / "map.html", title="600"))
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
    page = chromium.open(viz.write_html(G, tmp_path / "xss.html", title=NASTY, description=NASTY))
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
    page = chromium.open(viz.write_html(small_graph(), tmp_path / "map.html", title="t"))
    tooltip = page.hover_node(IRI + "mag")
    assert tooltip.inner_text() == "MAG\nadvisory-group"
    assert tooltip.evaluate("el => el.getBoundingClientRect().height") > 25  # two lines


@pytest.mark.browser
def test_click_selects_node(chromium, tmp_path):
    page = chromium.open(viz.write_html(small_graph(), tmp_path / "map.html", title="t"))
    assert page.click_node(IRI + "eurodig") == [IRI + "eurodig"]
    assert_clean(page)


@pytest.mark.browser
def test_given_coordinates_are_drawn_there(chromium, tmp_path):
    G = small_graph()
    for i, node in enumerate(sorted(G)):
        G.nodes[node].update(x=i * 100, y=(i % 2) * 80)
    page = chromium.open(viz.write_html(G, tmp_path / "map.html", title="t"))
    positions = page.eval("network.getPositions()")
    assert {k: (v["x"], v["y"]) for k, v in positions.items()} == {
        node: (i * 100, (i % 2) * 80) for i, node in enumerate(sorted(G))
    }


@pytest.mark.browser
def test_physics_on_gets_ready(chromium, tmp_path):
    G = small_graph()
    page = chromium.open(viz.write_html(G, tmp_path / "map.html", title="t", physics=True))
    assert page.eval("network.physics.physicsEnabled") is True
    assert page.eval("network.body.nodeIndices.length") == G.number_of_nodes()
    assert_clean(page)


@pytest.mark.browser
def test_empty_and_single_node_graphs(chromium, tmp_path):
    empty = chromium.open(viz.write_html(nx.Graph(), tmp_path / "empty.html", title="Empty"))
    assert empty.eval("network.body.nodeIndices.length") == 0
    assert_clean(empty)
    G = nx.Graph()
    G.add_node(IRI + "igf", label="IGF", kind="forum")
    one = chromium.open(viz.write_html(G, tmp_path / "one.html", title="One"))
    assert one.eval("network.body.nodeIndices.length") == 1
    assert_clean(one)
