"""The map's looks: one style table of node and edge kinds, and the legend's glyphs.

:data:`STYLE` is the one place a kind's shape, colour, fill and size are set; the page's
vis-network groups (:func:`vis_node_style`, :func:`vis_edge_style`) and the legend's SVG
glyphs (:func:`node_legend_entry`, :func:`edge_legend_entry`, drawn by the ``glyphs.html``
template) are derived from it.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

from igfgraph.kinds import KINDS

__all__ = [
    "STYLE",
    "UNKNOWN_ACTIVITY",
    "edge_legend_entry",
    "edge_style",
    "legend_order",
    "node_legend_entry",
    "node_style",
    "vis_edge_style",
    "vis_node_style",
    "vis_unknown_activity_style",
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
#: The body kinds of :data:`igfgraph.kinds.KINDS` (the one kinds table) take their legend
#: ``label``, ``shape`` and ``fill`` from it; this table adds their colour and size.
#:
#: Kinds missing from the table are drawn with :func:`node_style` / :func:`edge_style`'s
#: fallback (a grey, dashed-border dot; a grey dotted line) and listed in the legend under
#: their own name.
STYLE: dict[str, dict[str, dict[str, Any]]] = {
    "node": {
        "forum": {
            "color": "#0b3d91",
            "size": 30,
        },
        "secretariat": {
            "color": "#4a1486",
            "size": 18,
            "font_color": "#ffffff",
        },
        "advisory-group": {
            "color": "#6a51a3",
            "size": 18,
            "font_color": "#ffffff",
        },
        "leadership-panel": {
            "color": "#8c510a",
            "size": 22,
        },
        "coordination-group": {
            "color": "#00798c",
            "size": 18,
        },
        "working-group": {
            "color": "#6a51a3",
            "size": 12,
        },
        "programme": {
            "color": "#00798c",
            "size": 14,
            "font_color": "#ffffff",
        },
        "dynamic-coalition": {
            "color": "#009e73",
            "size": 14,
        },
        "best-practice-forum": {
            "color": "#e69f00",
            "size": 14,
        },
        "policy-network": {
            "color": "#cc79a7",
            "size": 16,
        },
        "national-igf": {
            "color": "#56b4e9",
            "size": 9,
        },
        "subregional-igf": {
            "color": "#2171b5",
            "size": 12,
        },
        "regional-igf": {
            "color": "#08519c",
            "size": 14,
        },
        "youth-igf": {
            "color": "#d6336c",
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
            "color": "#6e6e6e",
            "size": 8,
        },
        "modality": {
            "color": "#8c6d31",
            "size": 12,
        },
        "process": {
            "color": "#5e3c99",
            "size": 12,
        },
        "instrument": {
            "color": "#3f007d",
            "size": 12,
        },
        "theme": {
            "label": "Theme",
            "shape": "triangleDown",
            "color": "#b15928",
            "fill": "hollow",
            "size": 12,
        },
        "output": {
            "label": "Output",
            "shape": "box",
            "color": "#35978f",
            "fill": "hollow",
            "size": 12,
        },
        "group": {
            "label": "Group of nodes",
            "shape": "circle",
            "color": "#525252",
            "fill": "solid",
            "size": 20,
            "font_color": "#ffffff",
        },
    },
    "edge": {
        "liaison": {"label": "Liaison", "color": "#3d3d3d", "width": 2.0, "dashes": False},
        "coordinates": {"label": "Coordinates", "color": "#9e9e9e", "width": 1.0, "dashes": False},
        "governance": {
            "label": "Governance relation",
            "color": "#8073ac",
            "width": 1.0,
            "dashes": False,
        },
        "theme": {"label": "Works on theme", "color": "#d4d4d4", "width": 0.75, "dashes": False},
        "overlap": {
            "label": "Thematic overlap",
            "color": "#1b9e77",
            "width": 1.5,
            "dashes": False,
        },
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

for _name, _kind in KINDS.items():
    STYLE["node"][_name] = {
        "label": _kind.label,
        "shape": _kind.shape,
        "fill": _kind.fill,
        **STYLE["node"][_name],
    }

#: How a node whose activity in the year chosen on the map is unknown is drawn: greyed,
#: never hidden and never drawn as an active one (:func:`vis_unknown_activity_style`).
UNKNOWN_ACTIVITY: dict[str, Any] = {
    "fill": "#eeeeee",
    "border": "#8c8c8c",
    "font_color": "#595959",
    "border_dashes": [4, 3],
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


def vis_node_style(kind: str) -> dict[str, Any]:
    """Return the vis-network group options that draw a node kind (shape, colours, font)."""
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


def vis_unknown_activity_style(kind: str) -> dict[str, Any]:
    """Return the vis-network group options that draw a node kind greyed out.

    The map's year filter draws a node whose activity in the chosen year is unknown in
    this style: its kind's shape and size, a light grey fill, a dashed grey border and
    dark grey text (it is told from an active node without colour, by the dashes).

    Parameters
    ----------
    kind : str
        A node kind (known to :data:`STYLE` or not).

    Returns
    -------
    dict
        vis-network group options.
    """
    style = node_style(kind)
    paint = {"background": UNKNOWN_ACTIVITY["fill"], "border": UNKNOWN_ACTIVITY["border"]}
    return {
        "shape": style["shape"],
        "size": style["size"],
        "color": {**paint, "highlight": dict(paint), "hover": dict(paint)},
        "borderWidth": 2,
        "font": {"color": UNKNOWN_ACTIVITY["font_color"]},
        "shapeProperties": {"borderDashes": UNKNOWN_ACTIVITY["border_dashes"]},
    }


def vis_edge_style(kind: str) -> dict[str, Any]:
    """Return the vis-network options that draw an edge kind (colour, width, dashes)."""
    style = edge_style(kind)
    return {
        "color": {"color": style["color"], "highlight": style["color"], "hover": style["color"]},
        "width": style["width"],
        "dashes": style["dashes"],
    }


# --------------------------------------------------------------------------- legend


def legend_order(counts: Counter[str], table: str) -> list[str]:
    """Known kinds in ``STYLE`` order, then unknown kinds sorted."""
    known = [kind for kind in STYLE[table] if kind in counts]
    return known + sorted(kind for kind in counts if kind not in STYLE[table])


def node_legend_entry(kind: str, count: int) -> dict[str, Any]:
    """Return a node kind's legend entry: kind, label, count and its glyph's drawing.

    Parameters
    ----------
    kind : str
        A node kind (known to :data:`STYLE` or not).
    count : int
        How many nodes of that kind the map has.

    Returns
    -------
    dict
        ``kind``, ``label``, ``count`` and ``glyph``: the SVG element (``tag`` and
        ``attrs``, a list of name/value pairs) and its paint (``fill``, ``stroke``,
        ``stroke_width``, ``dashed``), as the ``node_glyph`` macro of ``glyphs.html``
        draws it.
    """
    style = node_style(kind)
    tag, attrs = _GLYPH_SHAPES.get(style["shape"], _GLYPH_SHAPES["dot"])
    hollow = style["fill"] == "hollow"
    glyph = {
        "tag": tag,
        "attrs": attrs,
        "fill": "#ffffff" if hollow else style["color"],
        "stroke": style["color"],
        "stroke_width": "2.5" if hollow else "1",
        "dashed": "border_dashes" in style,
    }
    return {"kind": kind, "label": style["label"], "count": count, "glyph": glyph}


def edge_legend_entry(kind: str, count: int) -> dict[str, Any]:
    """Return an edge kind's legend entry: kind, label, count and its line's paint.

    Parameters
    ----------
    kind : str
        An edge kind (known to :data:`STYLE` or not).
    count : int
        How many edges of that kind the map has.

    Returns
    -------
    dict
        ``kind``, ``label``, ``count`` and ``glyph`` (``stroke``, ``stroke_width`` and
        ``dasharray``, ``"none"`` for a solid line), as the ``edge_glyph`` macro of
        ``glyphs.html`` draws it.
    """
    style = edge_style(kind)
    dashes = " ".join(str(x) for x in style["dashes"]) if style["dashes"] else "none"
    glyph = {
        "stroke": style["color"],
        "stroke_width": str(max(style["width"], 1.0)),
        "dasharray": dashes,
    }
    return {"kind": kind, "label": style["label"], "count": count, "glyph": glyph}


def _polygon(corners: int, radius: float, rotation: float, inner: float | None = None) -> str:
    points = []
    steps = corners * 2 if inner else corners
    for i in range(steps):
        r = inner if inner and i % 2 else radius
        angle = rotation + 2 * math.pi * i / steps
        points.append(f"{10 + r * math.cos(angle):.1f},{10 + r * math.sin(angle):.1f}")
    return " ".join(points)


#: vis-network shape → the SVG element that draws it in a 20×20 legend glyph
_GLYPH_SHAPES: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "dot": ("circle", [("cx", "10"), ("cy", "10"), ("r", "7")]),
    "circle": ("circle", [("cx", "10"), ("cy", "10"), ("r", "7")]),
    "square": ("rect", [("x", "3"), ("y", "3"), ("width", "14"), ("height", "14")]),
    "box": ("rect", [("x", "1"), ("y", "5"), ("width", "18"), ("height", "10"), ("rx", "3")]),
    "ellipse": ("ellipse", [("cx", "10"), ("cy", "10"), ("rx", "9"), ("ry", "5.5")]),
    "database": (
        "path",
        [("d", "M3 6a7 2.5 0 0 0 14 0v8a7 2.5 0 0 1-14 0zM3 6a7 2.5 0 0 1 14 0")],
    ),
    "diamond": ("polygon", [("points", "10,1.5 18.5,10 10,18.5 1.5,10")]),
    "triangle": ("polygon", [("points", _polygon(3, 9, -math.pi / 2))]),
    "triangleDown": ("polygon", [("points", _polygon(3, 9, math.pi / 2))]),
    "hexagon": ("polygon", [("points", _polygon(6, 8.5, 0))]),
    "star": ("polygon", [("points", _polygon(5, 9.5, -math.pi / 2, inner=4))]),
}
