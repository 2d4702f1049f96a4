"""The map's layout: seeded positions for a graph whose nodes carry no coordinates.

Each connected component is laid out on its own, with ``networkx.spring_layout`` below
500 nodes and a NumPy port of the same Fruchterman-Reingold scheme above (networkx needs
SciPy there; beyond 2,000 nodes each node's repulsion is estimated from a seeded random
sample of nodes). Small components are decluttered (nodes closer than 80 px pushed
apart); the components are then packed in rows, largest first, around the origin. The
same graph and seed always give the same positions, whatever order the graph was built in.

Maps of up to 200 nodes (the landscape, ego and gaps views) then get a label pass
(:func:`_declutter_labels`): each node's box, with its label as vis-network wraps it,
is pushed apart from the others until no two overlap, so every label can be drawn at
the default zoom. Larger maps skip it (it is quadratic and converges slowly there).
"""

from __future__ import annotations

import math
from typing import Any

import networkx as nx

from igfgraph.maps.prepare import finite

__all__ = ["positions"]

#: Below this many nodes the layout is ``networkx.spring_layout`` (its dense solver);
#: from here on networkx needs SciPy, so :func:`_spring_layout_numpy` takes over.
_NX_LAYOUT_LIMIT = 500
#: Up to this many nodes our own layout computes every pairwise repulsion; above it, each
#: node is pushed by a seeded random sample of the others.
_EXACT_REPULSION_LIMIT = 2000
_LAYOUT_ITERATIONS = 50
#: Components up to this many nodes are decluttered (:func:`_declutter`): nodes closer
#: than ``_MIN_DISTANCE`` px are pushed apart, in at most ``_DECLUTTER_ROUNDS`` rounds.
_DECLUTTER_LIMIT = 1000
_DECLUTTER_ROUNDS = 40
_MIN_DISTANCE = 80.0
#: Layout scale: a connected component of n nodes spans about 2 * _SPACING * sqrt(n) px.
_SPACING = 60.0


def positions(
    G: nx.Graph, node_ids: list[str], edge_rows: list[tuple], seed: int
) -> dict[str, tuple[float, float]]:
    """Return the given ``x``/``y`` of every node, or a seeded layout when none has them.

    Parameters
    ----------
    G : networkx.Graph
        The graph; its nodes' ``x`` and ``y`` attributes (px) are used when every node
        has both.
    node_ids : list of str
        The nodes, sorted.
    edge_rows : list of tuple
        The edges as ``(u, v, key, attrs)``, sorted.
    seed : int
        Seed of the layout.

    Returns
    -------
    dict of str to (float, float)
        Node → (x, y) in px, rounded to 0.1 px for a computed layout.

    Raises
    ------
    ValueError
        If only some nodes have coordinates, or one is not a finite number.
    """
    given = [nid for nid in node_ids if "x" in G.nodes[nid] and "y" in G.nodes[nid]]
    if given and len(given) == len(node_ids):
        return {
            nid: (
                finite(G.nodes[nid]["x"], f"x of node {nid!r}"),
                finite(G.nodes[nid]["y"], f"y of node {nid!r}"),
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
    # nodes of one region (e.g. a community) are pulled together by a hub of their own,
    # so each region is laid out as one area; the hubs are not drawn
    regions: dict[str, list[str]] = {}
    for nid in node_ids:
        if G.nodes[nid].get("region"):
            regions.setdefault(str(G.nodes[nid]["region"]), []).append(nid)
    hubs = []
    for name, members in sorted(regions.items()):
        if len(members) > 1:
            hub = f"{_HUB}{name}"
            hubs.append(hub)
            canonical.add_edges_from((hub, m) for m in members)
    components = sorted(
        (sorted(component) for component in nx.connected_components(canonical)),
        key=lambda component: (-len(component), component[0]),
    )
    placed = _packed([(c, _component_layout(canonical, c, seed)) for c in components])
    for hub in hubs:
        del placed[hub]
    if len(node_ids) <= _LABEL_DECLUTTER_LIMIT:
        placed = _declutter_labels(placed, {nid: label_box(G.nodes[nid], nid) for nid in node_ids})
    return placed


#: Prefix of the layout's hub nodes, one per region (never a node id: ids are IRIs)
_HUB = "\x00region:"
#: The map's font (px) and the width (px) at which vis-network wraps a label
#: (``widthConstraint.maximum`` in :func:`igfgraph.maps.render.render_html`).
FONT_SIZE = 14
LABEL_WIDTH = 170
#: Shapes that draw their label inside (vis-network); the others draw it below.
_LABEL_INSIDE = frozenset({"box", "ellipse", "database", "circle", "text"})
#: Label decluttering (:func:`_declutter_labels`) runs on maps up to this many nodes.
_LABEL_DECLUTTER_LIMIT = 200
_LABEL_ROUNDS = 800
_LABEL_PAD = 4.0


def _char_width(ch: str) -> float:
    """Return a generous width (px, at :data:`FONT_SIZE`) of one character of a sans font."""
    if ch == " ":
        return 4.5
    if ch in "il.,:;'!|()[]jtfI":
        return 5.0
    if ch in "mwMW@%":
        return 13.0
    if ch.isupper() or ch.isdigit() or not ch.isascii():
        return 10.0
    return 8.0


def _text_width(text: str) -> float:
    return sum(_char_width(ch) for ch in text)


def label_box(attrs: dict[str, Any], nid: str) -> tuple[float, float, float, float]:
    """Return the box a node and its label take, relative to the node's centre (px).

    The label is wrapped at :data:`LABEL_WIDTH` as vis-network wraps it (at spaces) and
    measured with generous character widths, so the box is at least the drawn one.

    Parameters
    ----------
    attrs : dict
        The node's attributes (``label``, ``kind``, ``size``).
    nid : str
        The node id (the label when there is none).

    Returns
    -------
    tuple of float
        ``(left, top, right, bottom)`` offsets from the node's centre.
    """
    from igfgraph.maps.prepare import kind_of, text
    from igfgraph.maps.style import node_style

    label = text(attrs.get("label"), nid)
    lines: list[float] = []
    for paragraph in label.split("\n"):
        width = 0.0
        for word in paragraph.split(" "):
            w = _text_width(word)
            if width and width + _char_width(" ") + w > LABEL_WIDTH:
                lines.append(width)
                width = w
            else:
                width = width + (_char_width(" ") if width else 0.0) + w
        lines.append(width)
    width = min(max(lines), LABEL_WIDTH) if label else 0.0
    height = len(lines) * (FONT_SIZE + 4) if label else 0.0
    style = node_style(kind_of(attrs))
    given = attrs.get("size")
    size = finite(given, f"size of node {nid!r}") if given is not None else 0.0
    size = size or float(style.get("size") or 25)
    if style.get("shape") in _LABEL_INSIDE:
        half_w = width * (0.75 if style.get("shape") == "ellipse" else 0.5) + 8
        half_h = height * (0.75 if style.get("shape") == "ellipse" else 0.5) + 8
        if style.get("shape") == "circle":  # vis: a circle round the label, at least `size`
            half_w = half_h = max(half_w, half_h, size)
        elif style.get("shape") == "database":  # vis: a cylinder as tall as it is wide
            half_w = half_h = max(width, height) / 2 + 12
        return (-half_w, -half_h, half_w, half_h)
    half = max(size, width / 2)
    return (-half, -size, half, size + 4 + height)


def _declutter_labels(
    placed: dict[str, tuple[float, float]], boxes: dict[str, tuple[float, float, float, float]]
) -> dict[str, tuple[float, float]]:
    """Move nodes apart until no two node-and-label boxes (:func:`label_box`) overlap.

    Labels are drawn at a fixed size in the map's own pixels, so boxes that do not
    overlap here do not overlap at any zoom. Each round pushes every overlapping pair
    apart along the axis where they overlap least, each by half the overlap; the rest
    of the layout is left alone. Deterministic (ties split by node order).
    """
    import numpy as np

    ids = sorted(placed)
    n = len(ids)
    if n < 2:
        return placed
    pos = np.array([placed[i] for i in ids], dtype=float)
    off = np.array([boxes[i] for i in ids], dtype=float)
    off[:, :2] -= _LABEL_PAD / 2
    off[:, 2:] += _LABEL_PAD / 2
    order = np.arange(n, dtype=float)
    tie = np.sign(order[:, None] - order[None, :])
    for _ in range(_LABEL_ROUNDS):
        left, top = pos[:, 0] + off[:, 0], pos[:, 1] + off[:, 1]
        right, bottom = pos[:, 0] + off[:, 2], pos[:, 1] + off[:, 3]
        ox = np.minimum(right[:, None], right[None, :]) - np.maximum(left[:, None], left[None, :])
        oy = np.minimum(bottom[:, None], bottom[None, :]) - np.maximum(top[:, None], top[None, :])
        hit = (ox > 0) & (oy > 0)
        np.fill_diagonal(hit, False)
        if not hit.any():
            break
        cx, cy = (left + right) / 2, (top + bottom) / 2
        sx = np.sign(cx[:, None] - cx[None, :])
        sy = np.sign(cy[:, None] - cy[None, :])
        sx = np.where(sx == 0, tie, sx)
        sy = np.where(sy == 0, tie, sy)
        along_x = hit & (ox <= oy)
        along_y = hit & (ox > oy)
        dx = np.where(along_x, sx * (ox / 2 + 0.5), 0.0).sum(axis=1)
        dy = np.where(along_y, sy * (oy / 2 + 0.5), 0.0).sum(axis=1)
        pos[:, 0] += dx * 0.9
        pos[:, 1] += dy * 0.9
    return {
        nid: (round(float(x), 1), round(float(y), 1)) for nid, (x, y) in zip(ids, pos, strict=True)
    }


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
    pos = pos * (_SPACING * math.sqrt(n) / extent)
    return _declutter(pos) if n <= _DECLUTTER_LIMIT else pos


def _declutter(pos: Any) -> Any:
    """Push apart nodes closer than ``_MIN_DISTANCE`` px, keeping the layout's shape.

    Force-directed layouts pack the hubs of a graph like ours (a coordination group
    linked to every coalition, themes shared by dozens of bodies) into a knot where
    labels overprint each other. Each round moves every too-close pair apart along the
    line between them, by half the missing distance each; the rest of the layout is
    left alone. Deterministic: coincident nodes are split along a fixed direction.
    """
    import numpy as np

    pos = pos.copy()
    n = len(pos)
    jitter = np.stack([np.cos(np.arange(n)), np.sin(np.arange(n))], axis=1) * 1e-3
    for _ in range(_DECLUTTER_ROUNDS):
        diff = pos[:, None, :] - pos[None, :, :]
        dist = np.sqrt((diff**2).sum(axis=2))
        np.fill_diagonal(dist, np.inf)
        missing = np.clip(_MIN_DISTANCE - dist, 0.0, None)
        if float(missing.max()) < 0.5:
            break
        safe = np.where(dist > 1e-9, dist, 1.0)
        unit = np.where((dist > 1e-9)[:, :, None], diff / safe[:, :, None], jitter[:, None, :])
        pos += (unit * (missing / 2)[:, :, None]).sum(axis=1) * 0.5
    return pos


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
