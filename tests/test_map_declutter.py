"""A landscape that reads at a glance (issue 14): labels, filter re-fit, year slider, search.

Label boxes are measured in headless Chromium at 1600×1000 from vis-network's own label
modules (``node.labelModule.size``, in the map's pixels, times the view's scale).
Measured on the shipped data: 41 overlapping pairs among 113 labels before the
decluttering pass (``igfgraph.maps.layout._declutter_labels``), 0 after.
"""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests import browser

chromium = browser.chromium  # module-scoped fixture

VIEWPORT = (1600, 1000)
# vis-network draws no label whose font is smaller than drawThreshold px on screen
LABEL_BOXES = """() => {
  const scale = network.getScale(), out = [];
  const threshold = (network.body.nodes[network.body.nodeIndices[0]].options.scaling.label
    .drawThreshold) || 5;
  for (const id of network.body.nodeIndices) {
    const n = network.body.nodes[id];
    if (n.options.hidden || !n.labelModule.elementOptions.label) continue;
    if (n.options.font.size * scale < threshold) continue;
    const s = n.labelModule.size;
    out.push({id: id, kind: nodes.get(id).kind, label: nodes.get(id).label,
              box: [s.left * scale, s.top * scale, s.width * scale, s.height * scale]});
  }
  return {scale: scale, labels: out};
}"""


def overlapping(labels) -> list[tuple[str, str]]:
    pairs = []
    for i, a in enumerate(labels):
        ax, ay, aw, ah = a["box"]
        for b in labels[i + 1 :]:
            bx, by, bw, bh = b["box"]
            w = min(ax + aw, bx + bw) - max(ax, bx)
            h = min(ay + ah, by + bh) - max(ay, by)
            if w > 0.5 and h > 0.5:
                pairs.append((a["label"], b["label"]))
    return pairs


@pytest.fixture(scope="module")
def landscape(shipped_store, tmp_path_factory):
    from igfgraph.maps import render_html
    from igfgraph.model import read_model
    from igfgraph.views import landscape_view

    model = read_model(shipped_store)
    V = landscape_view(model)
    path = tmp_path_factory.mktemp("landscape") / "map.html"
    path.write_text(render_html(V, title="IGF landscape"), encoding="utf-8")
    return {"model": model, "view": V, "path": path}


# ------------------------------------------------------------------ the layout alone


@settings(max_examples=25, deadline=None)
@given(
    n=st.integers(2, 60),
    seed=st.integers(0, 10_000),
    words=st.lists(st.text("abcXYZ-", min_size=1, max_size=12), min_size=1, max_size=4),
)
def test_layout_leaves_no_two_label_boxes_overlapping(n, seed, words):
    from igfgraph.maps.layout import label_box, positions

    G = nx.gnm_random_graph(n, 2 * n, seed=seed)
    G = nx.relabel_nodes(G, {i: f"n{i:03d}" for i in G})
    for i, v in enumerate(sorted(G)):
        G.nodes[v]["label"] = " ".join(words * (1 + i % 3))
        G.nodes[v]["kind"] = ["dynamic-coalition", "secretariat", "theme"][i % 3]
    ids = sorted(G)
    pos = positions(G, ids, [(u, v, 0, {}) for u, v in sorted(G.edges)], seed)
    boxes = {v: label_box(G.nodes[v], v) for v in ids}
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            (ax, ay), (bx, by) = pos[a], pos[b]
            A = (ax + boxes[a][0], ay + boxes[a][1], ax + boxes[a][2], ay + boxes[a][3])
            B = (bx + boxes[b][0], by + boxes[b][1], bx + boxes[b][2], by + boxes[b][3])
            w = min(A[2], B[2]) - max(A[0], B[0])
            h = min(A[3], B[3]) - max(A[1], B[1])
            assert not (w > 0.2 and h > 0.2), (a, b, A, B)


# ------------------------------------------------------------------ in Chromium


@pytest.mark.browser
def test_landscape_default_zoom_no_overlap_every_dc_labelled(chromium, landscape):
    page = chromium.open(landscape["path"], viewport=VIEWPORT)
    measured = page.eval(LABEL_BOXES)
    labels = measured["labels"]
    assert overlapping(labels) == []
    dcs = {b.iri for b in landscape["model"].of_kind("dynamic-coalition")}
    drawn_dcs = {
        v for v, d in landscape["view"].nodes(data=True) if d["kind"] == "dynamic-coalition"
    }
    assert drawn_dcs == dcs and len(dcs) > 30
    labelled = {x["id"] for x in labels if x["kind"] == "dynamic-coalition" and x["label"]}
    assert labelled == dcs
    # every node of the view is labelled at that zoom, not only the DCs
    assert len(labels) == landscape["view"].number_of_nodes()
    assert page.console_errors == [] and page.blocked_requests == []


SHOWN_IN_VIEW = """() => {
  const r = network.body.container.getBoundingClientRect(), out = [];
  for (const id of network.body.nodeIndices) {
    if (network.body.nodes[id].options.hidden) continue;
    const p = network.canvasToDOM(network.getPositions([id])[id]);
    out.push(p.x >= 0 && p.y >= 0 && p.x <= r.width && p.y <= r.height);
  }
  return out;
}"""


@pytest.mark.browser
def test_filter_refits_the_view_to_what_it_shows(chromium, landscape):
    page = chromium.open(landscape["path"], viewport=VIEWPORT)
    before = page.eval("network.getScale()")
    page.page.select_option("#igfgraph-theme", label="Privacy and data protection")
    inside = page.eval(SHOWN_IN_VIEW)
    assert 0 < len(inside) < landscape["view"].number_of_nodes() and all(inside)
    assert page.eval("network.getScale()") > before  # zoomed in on the matches
    page.page.click("#igfgraph-reset")
    assert all(page.eval(SHOWN_IN_VIEW))


@pytest.mark.browser
def test_year_slider_plays_the_years_by_the_activity_rule(chromium, landscape):
    from igfgraph.activity import Activity

    page = chromium.open(landscape["path"], viewport=VIEWPORT)
    years = page.eval(
        "Array.from(document.querySelectorAll('#igfgraph-year option'))"
        ".map(o => o.value).filter(v => v)"
    )
    assert years[0] == "2006" and years[-1] == "2025"
    at = years.index("2015")
    page.page.fill("#igfgraph-year-slider", str(at))
    assert page.eval("document.getElementById('igfgraph-year').value") == "2015"
    assert page.eval("document.getElementById('igfgraph-year-shown').textContent") == "2015"
    state = page.eval(
        "Object.fromEntries(nodes.get().map(n => [n.id, n.hidden ? 'hidden' : "
        "(n.group.endsWith('u') ? 'grey' : 'shown')]))"
    )
    for body in landscape["model"].of_kind("dynamic-coalition"):
        outcome = body.activity(2015).outcome
        want = {Activity.ACTIVE: "shown", Activity.INACTIVE: "hidden", Activity.UNKNOWN: "grey"}
        assert state[body.iri] == want[outcome], body.id
    # Play steps on from the year shown, one year at a time, and can be paused
    page.page.click("#igfgraph-play")
    page.page.wait_for_function(
        "() => document.getElementById('igfgraph-year').value === '2017'", timeout=5000
    )
    page.page.click("#igfgraph-play")
    assert page.eval("document.getElementById('igfgraph-play').textContent") == "Play"
    assert page.console_errors == []


@pytest.mark.browser
def test_search_finds_members_of_an_aggregated_group(chromium, tmp_path):
    from igfgraph.maps import render_html
    from igfgraph.views import aggregate

    G = nx.Graph()
    for i in range(2039):
        G.add_node(f"dc{i}", label=f"Coalition {i:04d}", kind="dynamic-coalition",
                   aliases=[f"DC-{i:04d}"])  # fmt: skip
    G.add_node("t", label="Privacy", kind="theme")
    G.add_edges_from((f"dc{i}", "t") for i in range(0, 2039, 7))
    A = aggregate(G, max_nodes=2000)
    assert A.number_of_nodes() == 2
    path = tmp_path / "map.html"
    path.write_text(render_html(A), encoding="utf-8")
    page = chromium.open(path)
    group = "urn:igfgraph:group:dynamic-coalition"
    assert page.eval("igfgraph.search('Coalition 1234')") == [group]
    assert page.eval("igfgraph.search('dc-0007')") == [group]
    page.page.click("#igfgraph-results button")
    card = page.card()
    assert not card["hidden"] and card["node"] == group


def test_landscape_communities_are_regions(landscape):
    """Bodies of one community (communities.csv) sit together: a region of the map."""
    import math

    from igfgraph.analysis import centrality_network, communities
    from igfgraph.maps import map_data

    V, model = landscape["view"], landscape["model"]
    frame, _ = communities(centrality_network(model))
    community = dict(zip(frame["node"], frame["community"], strict=True))
    regions = {n: d["region"] for n, d in V.nodes(data=True) if d.get("region")}
    assert regions and all(r == f"Community {community[n] + 1}" for n, r in regions.items())
    data = map_data(V)
    pos = {n["id"]: (n["x"], n["y"]) for n in data["nodes"]}
    info = dict(zip([n["id"] for n in data["nodes"]], data["info"], strict=True))
    assert {n for n, i in info.items() if i.get("region")} == set(regions)
    within, across = [], []
    members = sorted(regions)
    for i, a in enumerate(members):
        for b in members[i + 1 :]:
            d = math.dist(pos[a], pos[b])
            (within if regions[a] == regions[b] else across).append(d)
    assert sum(within) / len(within) < 0.8 * sum(across) / len(across)
