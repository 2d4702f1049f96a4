"""Interactive map: a networkx graph drawn as one self-contained, offline HTML page.

This module only renders. It takes a :class:`networkx.Graph` whose nodes and edges
carry display attributes (``label``, ``kind``, ``title`` …) and returns HTML. It knows
nothing about RDF and computes no analysis.

The page is built on vis-network 9.1.2 as shipped inside the pyvis 0.3.2 package:

* pyvis supplies the node, edge and options lists (filled directly, never through
  ``Network.from_nx``, which is slower than quadratic);
* our own Jinja2 template (autoescape on) writes the page, so pyvis' template with its
  CDN links, Bootstrap and unescaped heading is never used;
* the vis-network JavaScript and CSS are inlined, and a Content-Security-Policy allows
  only those exact inline scripts (by hash), so the page makes no network request and
  an injected ``onerror=`` handler could not run even if escaping failed;
* every string from the graph travels as JSON inside a non-executable
  ``<script type="application/json">`` block with ``<``, ``>``, ``&``, U+2028 and
  U+2029 escaped, and tooltips are DOM elements filled with ``textContent``.

Nodes and edges are sorted and the layout is seeded, so the same graph always gives the
same bytes, whatever order it was built in.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import math
import numbers
import os
import re
import tempfile
from collections import Counter
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import networkx as nx
from markupsafe import Markup

__all__ = [
    "STYLE",
    "edge_style",
    "node_style",
    "render_html",
    "write_html",
]

#: The single style table of the map.
#:
#: ``STYLE["node"][kind]`` gives, for a node kind: ``label`` (legend text), ``shape``
#: (a vis-network shape), ``color`` (hex), ``fill`` (``"solid"`` or ``"hollow"``: a white
#: centre with a thick border), ``size`` (default size in px) and, for shapes that hold
#: their label inside, ``font_color``. No two kinds share the same shape *and* fill, so a
#: kind can be told apart without colour.
#:
#: ``STYLE["edge"][kind]`` gives ``label``, ``color``, ``width`` (px) and ``dashes``
#: (``False`` or a vis-network dash pattern ``[dash, gap]``). Two dashed kinds use different
#: patterns as well as different colours.
#:
#: Kinds missing from the table are drawn with :func:`node_style` / :func:`edge_style`'s
#: fallback (a grey, dashed-border dot; a grey dotted line) and listed in the legend under
#: their own name.
STYLE: dict[str, dict[str, dict[str, Any]]] = {
    "node": {
        "forum": {
            "label": "IGF (annual forum)",
            "shape": "star",
            "color": "#0b3d91",
            "fill": "solid",
            "size": 30,
        },
        "secretariat": {
            "label": "Secretariat",
            "shape": "box",
            "color": "#4a1486",
            "fill": "solid",
            "size": 18,
            "font_color": "#ffffff",
        },
        "advisory-group": {
            "label": "Multistakeholder Advisory Group",
            "shape": "ellipse",
            "color": "#6a51a3",
            "fill": "solid",
            "size": 18,
            "font_color": "#ffffff",
        },
        "leadership-panel": {
            "label": "Leadership Panel",
            "shape": "star",
            "color": "#8c510a",
            "fill": "hollow",
            "size": 22,
        },
        "coordination-group": {
            "label": "Coordination group",
            "shape": "diamond",
            "color": "#00798c",
            "fill": "hollow",
            "size": 18,
        },
        "dynamic-coalition": {
            "label": "Dynamic coalition",
            "shape": "triangle",
            "color": "#009e73",
            "fill": "solid",
            "size": 14,
        },
        "best-practice-forum": {
            "label": "Best practice forum",
            "shape": "triangleDown",
            "color": "#e69f00",
            "fill": "solid",
            "size": 14,
        },
        "policy-network": {
            "label": "Policy network",
            "shape": "diamond",
            "color": "#cc79a7",
            "fill": "solid",
            "size": 16,
        },
        "national-igf": {
            "label": "National IGF",
            "shape": "dot",
            "color": "#56b4e9",
            "fill": "solid",
            "size": 9,
        },
        "subregional-igf": {
            "label": "Subregional IGF",
            "shape": "hexagon",
            "color": "#2171b5",
            "fill": "hollow",
            "size": 12,
        },
        "regional-igf": {
            "label": "Regional IGF",
            "shape": "hexagon",
            "color": "#08519c",
            "fill": "solid",
            "size": 14,
        },
        "youth-igf": {
            "label": "Youth IGF",
            "shape": "dot",
            "color": "#d6336c",
            "fill": "hollow",
            "size": 9,
        },
        "nri-group": {
            "label": "Group of NRIs",
            "shape": "square",
            "color": "#4292c6",
            "fill": "solid",
            "size": 16,
        },
        "organization": {
            "label": "Organization",
            "shape": "square",
            "color": "#6e6e6e",
            "fill": "hollow",
            "size": 8,
        },
        "modality": {
            "label": "Modality",
            "shape": "triangle",
            "color": "#8c6d31",
            "fill": "hollow",
            "size": 12,
        },
        "theme": {
            "label": "Theme",
            "shape": "triangleDown",
            "color": "#b15928",
            "fill": "hollow",
            "size": 12,
        },
    },
    "edge": {
        "liaison": {"label": "Liaison", "color": "#3d3d3d", "width": 2.0, "dashes": False},
        "coordinates": {"label": "Coordinates", "color": "#9e9e9e", "width": 1.0, "dashes": False},
        "theme": {"label": "Works on theme", "color": "#d4d4d4", "width": 0.75, "dashes": False},
        "gap": {"label": "Gap (missing link)", "color": "#d55e00", "width": 2.0, "dashes": [8, 5]},
        "recommended": {
            "label": "Recommended link",
            "color": "#0072b2",
            "width": 2.0,
            "dashes": [2, 4],
        },
        "organizes": {"label": "Organizes", "color": "#1b7837", "width": 1.5, "dashes": False},
        "creator": {"label": "Created by", "color": "#762a83", "width": 1.5, "dashes": False},
    },
}

_DEFAULT_NODE_STYLE: dict[str, Any] = {
    "label": None,
    "shape": "dot",
    "color": "#9a9a9a",
    "fill": "hollow",
    "size": 10,
    "border_dashes": [3, 3],
}
_DEFAULT_EDGE_STYLE: dict[str, Any] = {
    "label": None,
    "color": "#9a9a9a",
    "width": 1.0,
    "dashes": [1, 3],
}

#: Below this many nodes the layout is ``networkx.spring_layout`` (its dense solver);
#: from here on networkx needs SciPy, so :func:`_spring_layout_numpy` takes over.
_NX_LAYOUT_LIMIT = 500
#: Up to this many nodes our own layout computes every pairwise repulsion; above it, each
#: node is pushed by a seeded random sample of the others.
_EXACT_REPULSION_LIMIT = 2000
_LAYOUT_ITERATIONS = 50
#: Layout scale: a connected component of n nodes spans about 2 * _SPACING * sqrt(n) px.
_SPACING = 60.0
_VIS_DIR = ("templates", "lib", "vis-9.1.2")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def node_style(kind: str | None) -> dict[str, Any]:
    """Return the style of a node kind, falling back to the default for unknown kinds.

    Parameters
    ----------
    kind : str or None
        A key of ``STYLE["node"]``; anything else (including ``None``) is unknown.

    Returns
    -------
    dict
        A new dict with ``label``, ``shape``, ``color``, ``fill`` and ``size`` (plus
        ``font_color`` or ``border_dashes`` where they apply). For an unknown kind the
        ``label`` is the kind itself (``"(no kind)"`` when empty).
    """
    style = STYLE["node"].get(kind) if isinstance(kind, str) else None
    if style is not None:
        return dict(style)
    fallback = dict(_DEFAULT_NODE_STYLE)
    fallback["label"] = str(kind) if kind else "(no kind)"
    return fallback


def edge_style(kind: str | None) -> dict[str, Any]:
    """Return the style of an edge kind, falling back to the default for unknown kinds.

    Parameters
    ----------
    kind : str or None
        A key of ``STYLE["edge"]``; anything else (including ``None``) is unknown.

    Returns
    -------
    dict
        A new dict with ``label``, ``color``, ``width`` and ``dashes``. For an unknown
        kind the ``label`` is the kind itself (``"(no kind)"`` when empty).
    """
    style = STYLE["edge"].get(kind) if isinstance(kind, str) else None
    if style is not None:
        return dict(style)
    fallback = dict(_DEFAULT_EDGE_STYLE)
    fallback["label"] = str(kind) if kind else "(no kind)"
    return fallback


def render_html(
    G: nx.Graph,
    *,
    title: str,
    seed: int = 0,
    physics: bool = False,
    description: str | None = None,
) -> str:
    """Render a graph as a self-contained interactive HTML page.

    Parameters
    ----------
    G : networkx.Graph
        Any networkx graph class (directed graphs get arrows; multigraph edges are kept
        apart). Nodes are strings (IRIs) with the attributes ``label`` (str, default: the
        node id), ``kind`` (a key of ``STYLE["node"]``), ``title`` (plain-text tooltip,
        newlines allowed; default: the node id), optional ``size`` (px) and optional
        ``x`` and ``y`` (px). Edges have ``kind`` (a key of ``STYLE["edge"]``) and
        optional ``title`` (plain text) and ``weight`` (scales the line width within its
        kind).
    title : str
        Page title and heading (plain text).
    seed : int, optional
        Seed of the layout computed when nodes carry no coordinates.
    physics : bool, optional
        Keep vis-network's force simulation running in the page. Off by default: the
        precomputed layout is drawn at once.
    description : str, optional
        Plain text shown under the heading (newlines kept).

    Returns
    -------
    str
        The HTML page. It loads nothing from the network and is byte-identical for equal
        graphs, whatever order their nodes and edges were added in.

    Raises
    ------
    TypeError
        If a node is not a string.
    ValueError
        If only some nodes have both ``x`` and ``y``, or if ``x``, ``y``, ``size`` or
        ``weight`` is not a finite number.

    Notes
    -----
    Each connected component is laid out on its own, with
    ``networkx.spring_layout(seed=seed)`` below 500 nodes and a NumPy port of the same
    Fruchterman-Reingold scheme above (networkx needs SciPy there; beyond 2,000 nodes
    each node's repulsion is estimated from a seeded random sample of nodes). A component
    of n nodes spans about ``120 * sqrt(n)`` px; components are then packed in rows,
    largest first, around the origin.

    In the page, ``window.network`` is the ``vis.Network``, ``window.nodes`` and
    ``window.edges`` its DataSets, and ``window.igfgraphReady`` turns ``true`` after the
    first draw (after stabilisation when ``physics`` is on).
    """
    from pyvis.network import Network  # imported here: pyvis pulls in IPython

    node_ids = sorted(G.nodes, key=_node_key)
    directed = G.is_directed()
    edge_rows = _sorted_edges(G, directed)
    positions = _positions(G, node_ids, edge_rows, seed)

    net = Network(directed=directed, cdn_resources="remote", heading="")
    node_kinds = Counter(_kind(G.nodes[nid]) for nid in node_ids)
    # vis-network groups are named by the kind's position in the sorted kinds, so no kind
    # string (even "__proto__") becomes an object key that vis-network interprets.
    kind_group = {kind: f"g{index}" for index, kind in enumerate(sorted(node_kinds))}
    for nid in node_ids:
        attrs = G.nodes[nid]
        kind = _kind(attrs)
        record: dict[str, Any] = {
            "id": nid,
            "label": _text(attrs.get("label"), nid),
            "title": _text(attrs.get("title"), nid),
            "kind": kind,
            "group": kind_group[kind],
            "x": positions[nid][0],
            "y": positions[nid][1],
        }
        if attrs.get("size") is not None:
            record["size"] = _finite(attrs["size"], f"size of node {nid!r}")
        net.nodes.append(record)
        net.node_ids.append(nid)
        net.node_map[nid] = record

    edge_kinds: Counter[str] = Counter()
    for index, (u, v, _key, attrs) in enumerate(edge_rows):
        kind = _kind(attrs)
        edge_kinds[kind] += 1
        record = {"id": f"e{index}", "from": u, "to": v, "kind": kind}
        if attrs.get("title") is not None:
            record["title"] = _text(attrs["title"], "")
        if attrs.get("weight") is not None:
            record["weight"] = _finite(attrs["weight"], f"weight of edge {u!r}-{v!r}")
        net.edges.append(record)
    _scale_widths(net.edges)

    net.toggle_physics(physics)
    net.options.edges.smooth.enabled = False
    net.options.edges.inherit_colors(False)
    net.toggle_hide_edges_on_drag(len(net.edges) > 5000)
    nodes, edges, _heading, _height, _width, options_json = net.get_network_data()
    options = _vis_options(json.loads(options_json), kind_group, directed, seed, physics)

    payload = {
        "nodes": nodes,
        "edges": edges,
        "edgeStyles": {kind: _vis_edge_style(kind) for kind in sorted(edge_kinds)},
        "options": options,
    }
    vis_js, vis_css = _vis_assets()
    page = _template().render(
        title=_text(title, ""),
        description=_text(description, ""),
        data_json=Markup(_script_json(payload)),
        vis_js=Markup(vis_js),
        vis_css=Markup(vis_css),
        app_js=Markup(_APP_JS),
        csp=_content_security_policy(vis_js, _APP_JS),
        node_legend=[
            _node_legend_entry(kind, node_kinds[kind]) for kind in _legend_order(node_kinds, "node")
        ],
        edge_legend=[
            _edge_legend_entry(kind, edge_kinds[kind]) for kind in _legend_order(edge_kinds, "edge")
        ],
        n_nodes=len(nodes),
        n_edges=len(edges),
    )
    # A lone surrogate (possible in a Python str, impossible in UTF-8) becomes U+FFFD here
    # rather than an error when the page is written.
    return _LONE_SURROGATE.sub("\ufffd", page)


def write_html(G: nx.Graph, path: str | os.PathLike[str], **kwargs: Any) -> Path:
    """Render a graph with :func:`render_html` and write it atomically.

    The page goes to a temporary file in the target's folder, which then replaces the
    target with :func:`os.replace`: readers see either the old or the new page, never a
    half-written one. Nothing else is written (no ``lib/`` folder anywhere).

    Parameters
    ----------
    G : networkx.Graph
        The graph, as described in :func:`render_html`.
    path : str or os.PathLike
        Where to write the page. Missing parent folders are created.
    **kwargs
        Passed on to :func:`render_html` (``title`` is required).

    Returns
    -------
    pathlib.Path
        ``path`` as a :class:`~pathlib.Path`.

    Raises
    ------
    TypeError, ValueError
        As :func:`render_html`; the target is then left untouched.
    OSError
        If the folder cannot be written; no temporary file is left behind.
    """
    target = Path(path)
    data = render_html(G, **kwargs).encode("utf-8")
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = target.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = 0o644
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return target


# --------------------------------------------------------------------------- graph → data


def _node_key(node: object) -> str:
    if not isinstance(node, str):
        msg = f"node ids must be strings (IRIs), got {type(node).__name__}: {node!r}"
        raise TypeError(msg)
    return node


def _sorted_edges(G: nx.Graph, directed: bool) -> list[tuple[str, str, str, Mapping[str, Any]]]:
    """Return ``(u, v, key, attrs)`` sorted; undirected ends are put in sorted order."""
    if G.is_multigraph():
        triples = ((u, v, repr(k), d) for u, v, k, d in G.edges(keys=True, data=True))
    else:
        triples = ((u, v, "", d) for u, v, d in G.edges(data=True))
    rows = []
    for u, v, key, attrs in triples:
        if not directed and v < u:
            u, v = v, u
        rows.append((u, v, key, attrs))
    rows.sort(key=lambda row: row[:3])
    return rows


def _kind(attrs: Mapping[str, Any]) -> str:
    kind = attrs.get("kind")
    return "" if kind is None else str(kind)


def _text(value: object, default: str) -> str:
    return default if value is None else str(value)


def _finite(value: object, what: str) -> int | float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        msg = f"{what} must be a number, got {value!r}"
        raise ValueError(msg)
    number = int(value) if isinstance(value, numbers.Integral) else float(value)
    if not math.isfinite(number):
        msg = f"{what} must be finite, got {value!r}"
        raise ValueError(msg)
    return number


def _scale_widths(edges: list[dict[str, Any]]) -> None:
    """Give weighted edges a width from 1x to 3x their kind's width, linear in weight."""
    ranges: dict[str, tuple[float, float]] = {}
    for edge in edges:
        if "weight" in edge:
            lo, hi = ranges.get(edge["kind"], (edge["weight"], edge["weight"]))
            ranges[edge["kind"]] = (min(lo, edge["weight"]), max(hi, edge["weight"]))
    for edge in edges:
        if "weight" not in edge:
            continue
        lo, hi = ranges[edge["kind"]]
        factor = 1.0 if hi == lo else 1.0 + 2.0 * (edge["weight"] - lo) / (hi - lo)
        edge["width"] = round(edge_style(edge["kind"])["width"] * factor, 2)


# --------------------------------------------------------------------------- layout


def _positions(
    G: nx.Graph, node_ids: list[str], edge_rows: list[tuple], seed: int
) -> dict[str, tuple[float, float]]:
    """Return the given ``x``/``y`` of every node, or a seeded layout when none has them."""
    given = [nid for nid in node_ids if "x" in G.nodes[nid] and "y" in G.nodes[nid]]
    if given and len(given) == len(node_ids):
        return {
            nid: (
                _finite(G.nodes[nid]["x"], f"x of node {nid!r}"),
                _finite(G.nodes[nid]["y"], f"y of node {nid!r}"),
            )
            for nid in node_ids
        }
    if given:
        msg = (
            f"{len(given)} of {len(node_ids)} nodes have x and y: give coordinates for "
            "every node or for none (then a layout is computed)"
        )
        raise ValueError(msg)
    if not node_ids:
        return {}
    canonical = nx.Graph()
    canonical.add_nodes_from(node_ids)
    canonical.add_edges_from(
        sorted({(u, v) if u < v else (v, u) for u, v, *_ in edge_rows if u != v})
    )
    components = sorted(
        (sorted(component) for component in nx.connected_components(canonical)),
        key=lambda component: (-len(component), component[0]),
    )
    return _packed([(c, _component_layout(canonical, c, seed)) for c in components])


def _component_layout(canonical: nx.Graph, nodes: list[str], seed: int) -> Any:
    """Lay out one connected component; centre it; half-extent ``_SPACING * sqrt(n)`` px."""
    import numpy as np

    n = len(nodes)
    if n == 1:
        return np.zeros((1, 2))
    sub = nx.Graph()
    sub.add_nodes_from(nodes)
    sub.add_edges_from(canonical.subgraph(nodes).edges)
    if n < _NX_LAYOUT_LIMIT:
        raw = nx.spring_layout(sub, seed=seed, weight=None, iterations=_LAYOUT_ITERATIONS)
        pos = np.array([raw[v] for v in nodes], dtype=float)
    else:
        index = {v: i for i, v in enumerate(nodes)}
        pairs = sorted((index[u], index[v]) for u, v in sub.edges)
        pos = _spring_layout_numpy(n, [u for u, _ in pairs], [v for _, v in pairs], seed)
    pos -= (pos.max(axis=0) + pos.min(axis=0)) / 2
    extent = float(np.abs(pos).max()) or 1.0
    return pos * (_SPACING * math.sqrt(n) / extent)


def _packed(placed: list[tuple[list[str], Any]]) -> dict[str, tuple[float, float]]:
    """Put component layouts side by side in rows (largest first), centred on the origin.

    Laying out components apart and packing them keeps isolated nodes from being pushed
    to the far corners while the main component shrinks to a knot in the middle.
    """
    import numpy as np

    gap = 2 * _SPACING
    sizes = [(float(np.ptp(pos[:, 0])) + gap, float(np.ptp(pos[:, 1])) + gap) for _, pos in placed]
    row_limit = max(max(w for w, _ in sizes), 1.5 * math.sqrt(sum(w * h for w, h in sizes)))
    x = y = row_height = 0.0
    centres = []
    for w, h in sizes:
        if x > 0 and x + w > row_limit:
            x, y, row_height = 0.0, y + row_height, 0.0
        centres.append((x + w / 2, y + h / 2))
        x += w
        row_height = max(row_height, h)
    width = max(cx + w / 2 for (cx, _), (w, _) in zip(centres, sizes, strict=True))
    height = y + row_height
    out: dict[str, tuple[float, float]] = {}
    for (nodes, pos), (cx, cy) in zip(placed, centres, strict=True):
        for v, (px, py) in zip(nodes, pos, strict=True):
            out[v] = (round(float(px + cx - width / 2), 1), round(float(py + cy - height / 2), 1))
    return out


def _spring_layout_numpy(n: int, src: list[int], dst: list[int], seed: int) -> Any:
    """Fruchterman-Reingold as in ``networkx.spring_layout``, in NumPy, for large graphs.

    Same forces, temperature and step rule as networkx' dense solver (repulsion
    ``k**2 / d``, attraction ``d**2 / k``, every node moves by the temperature, which cools
    linearly), computed in row blocks so memory stays linear. Above
    ``_EXACT_REPULSION_LIMIT`` nodes each node is repelled by a seeded random sample of
    nodes, scaled up to estimate the full sum.
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2))
    src_a = np.asarray(src, dtype=np.intp)
    dst_a = np.asarray(dst, dtype=np.intp)
    k2 = 1.0 / n
    k = math.sqrt(k2)
    temperature = 0.1
    cooling = temperature / (_LAYOUT_ITERATIONS + 1)
    samples = 48
    block = max(1, 1_000_000 // n)
    for _ in range(_LAYOUT_ITERATIONS):
        x, y = pos[:, 0], pos[:, 1]
        disp = np.empty((n, 2))
        if n <= _EXACT_REPULSION_LIMIT:
            for start in range(0, n, block):
                dx = x[start : start + block, None] - x[None, :]
                dy = y[start : start + block, None] - y[None, :]
                weight = k2 / np.maximum(dx * dx + dy * dy, 1e-8)
                disp[start : start + block, 0] = (dx * weight).sum(axis=1)
                disp[start : start + block, 1] = (dy * weight).sum(axis=1)
        else:
            partners = rng.integers(0, n, size=(n, samples))
            dx = x[:, None] - x[partners]
            dy = y[:, None] - y[partners]
            weight = (k2 * (n - 1) / samples) / np.maximum(dx * dx + dy * dy, 1e-8)
            disp[:, 0] = (dx * weight).sum(axis=1)
            disp[:, 1] = (dy * weight).sum(axis=1)
        if len(src_a):
            dx = x[src_a] - x[dst_a]
            dy = y[src_a] - y[dst_a]
            dist_k = np.sqrt(dx * dx + dy * dy) / k
            for axis, delta in ((0, dx * dist_k), (1, dy * dist_k)):
                disp[:, axis] -= np.bincount(src_a, weights=delta, minlength=n)
                disp[:, axis] += np.bincount(dst_a, weights=delta, minlength=n)
        length = np.maximum(np.hypot(disp[:, 0], disp[:, 1]), 0.01)
        pos += disp * (temperature / length)[:, None]
        temperature -= cooling
    return pos


# --------------------------------------------------------------------------- vis options


def _vis_options(
    base: dict[str, Any], kind_group: dict[str, str], directed: bool, seed: int, physics: bool
) -> dict[str, Any]:
    """Extend pyvis' options with our groups (one per node kind), fonts and interaction."""
    options = dict(base)
    options["autoResize"] = True
    options["layout"] = {"randomSeed": seed, "improvedLayout": False}
    options["groups"] = {group: _vis_node_style(kind) for kind, group in kind_group.items()}
    options["nodes"] = {
        "font": {"size": 14, "face": "system-ui, sans-serif", "color": "#1a1a1a"},
        "borderWidth": 1.5,
    }
    edges = options.setdefault("edges", {})
    edges["selectionWidth"] = 1.5
    edges["arrows"] = {"to": {"enabled": directed, "scaleFactor": 0.6}}
    interaction = options.setdefault("interaction", {})
    interaction.update({"hover": True, "tooltipDelay": 150, "keyboard": False})
    if physics:
        options["physics"].update(
            {"solver": "forceAtlas2Based", "forceAtlas2Based": {"gravitationalConstant": -60}}
        )
        options["physics"]["stabilization"]["iterations"] = 300
    return options


def _vis_node_style(kind: str) -> dict[str, Any]:
    style = node_style(kind)
    out: dict[str, Any] = {"shape": style["shape"], "size": style["size"]}
    if style["fill"] == "hollow":
        out["color"] = {
            "background": "#ffffff",
            "border": style["color"],
            "highlight": {"background": "#f2f2f2", "border": style["color"]},
            "hover": {"background": "#f2f2f2", "border": style["color"]},
        }
        out["borderWidth"] = 3
    else:
        out["color"] = style["color"]
    if "font_color" in style:
        out["font"] = {"color": style["font_color"]}
    if "border_dashes" in style:
        out["shapeProperties"] = {"borderDashes": style["border_dashes"]}
    return out


def _vis_edge_style(kind: str) -> dict[str, Any]:
    style = edge_style(kind)
    return {
        "color": {"color": style["color"], "highlight": style["color"], "hover": style["color"]},
        "width": style["width"],
        "dashes": style["dashes"],
    }


# --------------------------------------------------------------------------- legend


def _legend_order(counts: Counter[str], table: str) -> list[str]:
    """Known kinds in ``STYLE`` order, then unknown kinds sorted."""
    known = [kind for kind in STYLE[table] if kind in counts]
    return known + sorted(kind for kind in counts if kind not in STYLE[table])


def _node_legend_entry(kind: str, count: int) -> dict[str, Any]:
    style = node_style(kind)
    return {"kind": kind, "label": style["label"], "count": count, "glyph": _node_glyph(style)}


def _edge_legend_entry(kind: str, count: int) -> dict[str, Any]:
    style = edge_style(kind)
    dashes = " ".join(str(x) for x in style["dashes"]) if style["dashes"] else "none"
    glyph = Markup(
        '<svg class="glyph" width="36" height="14" viewBox="0 0 36 14" aria-hidden="true">'
        '<line x1="1" y1="7" x2="35" y2="7" stroke="{}" stroke-width="{}" '
        'stroke-dasharray="{}"/></svg>'
    ).format(style["color"], max(style["width"], 1.0), dashes)
    return {"kind": kind, "label": style["label"], "count": count, "glyph": glyph}


def _polygon(corners: int, radius: float, rotation: float, inner: float | None = None) -> str:
    points = []
    steps = corners * 2 if inner else corners
    for i in range(steps):
        r = inner if inner and i % 2 else radius
        angle = rotation + 2 * math.pi * i / steps
        points.append(f"{10 + r * math.cos(angle):.1f},{10 + r * math.sin(angle):.1f}")
    return " ".join(points)


_GLYPH_SHAPES: dict[str, str] = {
    "dot": '<circle cx="10" cy="10" r="7"',
    "circle": '<circle cx="10" cy="10" r="7"',
    "square": '<rect x="3" y="3" width="14" height="14"',
    "box": '<rect x="1" y="5" width="18" height="10" rx="3"',
    "ellipse": '<ellipse cx="10" cy="10" rx="9" ry="5.5"',
    "database": '<path d="M3 6a7 2.5 0 0 0 14 0v8a7 2.5 0 0 1-14 0zM3 6a7 2.5 0 0 1 14 0"',
    "diamond": '<polygon points="10,1.5 18.5,10 10,18.5 1.5,10"',
    "triangle": f'<polygon points="{_polygon(3, 9, -math.pi / 2)}"',
    "triangleDown": f'<polygon points="{_polygon(3, 9, math.pi / 2)}"',
    "hexagon": f'<polygon points="{_polygon(6, 8.5, 0)}"',
    "star": f'<polygon points="{_polygon(5, 9.5, -math.pi / 2, inner=4)}"',
}


def _node_glyph(style: dict[str, Any]) -> Markup:
    shape = Markup(_GLYPH_SHAPES.get(style["shape"], _GLYPH_SHAPES["dot"]))
    hollow = style["fill"] == "hollow"
    paint = Markup(' fill="{}" stroke="{}" stroke-width="{}"{}/>').format(
        "#ffffff" if hollow else style["color"],
        style["color"],
        "2.5" if hollow else "1",
        Markup(' stroke-dasharray="3 2"') if "border_dashes" in style else "",
    )
    return Markup(
        '<svg class="glyph" width="20" height="20" viewBox="0 0 20 20" aria-hidden="true">'
        "{}{}</svg>"
    ).format(shape, paint)


# --------------------------------------------------------------------------- page


def _script_json(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` element and in any HTML context."""
    text = json.dumps(
        value, ensure_ascii=False, allow_nan=False, sort_keys=True, separators=(",", ":")
    )
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


@functools.cache
def _vis_assets() -> tuple[str, str]:
    """Return the vis-network JS and CSS that ship inside pyvis, ready to inline."""
    folder = resources.files("pyvis").joinpath(*_VIS_DIR)
    js = folder.joinpath("vis-network.min.js").read_text(encoding="utf-8")
    css = folder.joinpath("vis-network.css").read_text(encoding="utf-8")
    # The HTML parser turns CRLF into LF before the CSP hash is checked; do it first.
    js = js.replace("\r\n", "\n").replace("\r", "\n")
    css = css.replace("\r\n", "\n").replace("\r", "\n")
    # A source-map comment would make developer tools fetch a file that is not there.
    js = "\n".join(line for line in js.split("\n") if not line.startswith("//# sourceMappingURL="))
    for name, text, closer in (("JS", js, "</script"), ("CSS", css, "</style")):
        lowered = text.lower()
        if closer in lowered or "<!--" in lowered:
            msg = f"vis-network {name} in pyvis cannot be inlined safely (contains {closer!r})"
            raise RuntimeError(msg)
    return js, css


def _content_security_policy(*scripts: str) -> str:
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() + "'"
        for s in scripts
    )
    return (
        "default-src 'none'; "
        f"script-src {hashes}; "
        "style-src 'unsafe-inline'; "
        "img-src data: blob:; "
        "base-uri 'none'; form-action 'none'"
    )


@functools.cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    return env.from_string(_PAGE)


# The application script. It is a constant: the page's Content-Security-Policy allows
# exactly this text and the vis-network library, by hash.
_APP_JS = """
(function () {
  "use strict";
  window.igfgraphReady = false;
  var data = JSON.parse(document.getElementById("igfgraph-data").textContent);
  var has = Object.prototype.hasOwnProperty;
  function tooltip(text) {
    var el = document.createElement("div");
    el.className = "igfgraph-tooltip";
    el.textContent = text;
    return el;
  }
  var i, item, style, key;
  for (i = 0; i < data.nodes.length; i++) {
    item = data.nodes[i];
    item.title = tooltip(item.title);
  }
  for (i = 0; i < data.edges.length; i++) {
    item = data.edges[i];
    style = has.call(data.edgeStyles, item.kind) ? data.edgeStyles[item.kind] : null;
    for (key in style) {
      if (has.call(style, key) && !has.call(item, key)) { item[key] = style[key]; }
    }
    if (typeof item.title === "string") { item.title = tooltip(item.title); }
  }
  var container = document.getElementById("igfgraph-network");
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, data.options);
  window.nodes = nodes;
  window.edges = edges;
  window.network = network;
  function ready() {
    window.igfgraphReady = true;
    container.setAttribute("data-ready", "true");
  }
  // The first fit knows node positions but not label sizes; fit again once drawn, so
  // labels at the edges are not cut, then report ready after that draw. Large maps skip
  // this: their labels are too small to show at that zoom anyway, and a draw is costly.
  function refitThenReady() {
    if (data.nodes.length > 2000) { ready(); return; }
    network.once("afterDrawing", ready);
    network.fit({animation: false});
    window.setTimeout(function () { network.redraw(); }, 0);
  }
  if (data.options.physics.enabled) {
    network.once("stabilizationIterationsDone", function () {
      network.once("afterDrawing", refitThenReady);
      network.redraw();
    });
  } else {
    network.once("afterDrawing", refitThenReady);
  }
})();
"""

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{ csp }}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="igfgraph">
<title>{{ title }}</title>
<style>{{ vis_css }}</style>
<style>
html, body { height: 100%; margin: 0; }
body { display: flex; flex-direction: column; font: 14px/1.4 system-ui, sans-serif;
       color: #1a1a1a; background: #ffffff; }
header { padding: 0.5rem 1rem; border-bottom: 1px solid #dddddd; }
header h1 { margin: 0; font-size: 1.3rem; }
header p { margin: 0.25rem 0 0; white-space: pre-line; color: #444444; }
main { flex: 1; display: flex; min-height: 0; }
#igfgraph-network { flex: 1; position: relative; min-width: 0; }
#igfgraph-legend { width: 16rem; overflow-y: auto; padding: 0.5rem 0.75rem;
                   border-left: 1px solid #dddddd; background: #fafafa; }
#igfgraph-legend h2 { font-size: 0.95rem; margin: 0.5rem 0 0.25rem; }
#igfgraph-legend ul { list-style: none; margin: 0; padding: 0; }
#igfgraph-legend li { display: flex; align-items: center; gap: 0.5rem; margin: 0.15rem 0; }
#igfgraph-legend .glyph { flex: none; }
#igfgraph-legend .count { color: #666666; margin-left: auto; }
#igfgraph-legend .summary { color: #666666; margin: 0.25rem 0; }
div.vis-tooltip { max-width: 28rem; white-space: normal; font: 13px/1.35 system-ui, sans-serif; }
.igfgraph-tooltip { white-space: pre-line; overflow-wrap: anywhere; }
@media (max-width: 700px) {
  main { flex-direction: column; }
  #igfgraph-legend { width: auto; max-height: 35vh; border-left: 0;
                     border-top: 1px solid #dddddd; }
}
</style>
</head>
<body>
<header>
<h1 id="igfgraph-title">{{ title }}</h1>
{% if description %}<p id="igfgraph-description">{{ description }}</p>{% endif %}
</header>
<main>
<div id="igfgraph-network" role="img" aria-label="{{ title }}: network map"></div>
<aside id="igfgraph-legend" aria-label="Legend">
<p class="summary">{{ n_nodes }} nodes, {{ n_edges }} links</p>
{% if node_legend %}<h2>Nodes</h2>
<ul id="igfgraph-legend-nodes">
{% for entry in node_legend %}<li data-kind="{{ entry.kind }}">{{ entry.glyph }}\
<span class="label">{{ entry.label }}</span><span class="count">{{ entry.count }}</span></li>
{% endfor %}</ul>{% endif %}
{% if edge_legend %}<h2>Links</h2>
<ul id="igfgraph-legend-edges">
{% for entry in edge_legend %}<li data-kind="{{ entry.kind }}">{{ entry.glyph }}\
<span class="label">{{ entry.label }}</span><span class="count">{{ entry.count }}</span></li>
{% endfor %}</ul>{% endif %}
</aside>
</main>
<noscript><p>This map needs JavaScript.</p></noscript>
<script type="application/json" id="igfgraph-data">{{ data_json }}</script>
<script>{{ vis_js }}</script>
<script>{{ app_js }}</script>
</body>
</html>
"""
