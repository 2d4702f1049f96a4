"""Interactive map: a networkx graph drawn as one self-contained, offline HTML page.

This module only renders. It takes a :class:`networkx.Graph` whose nodes and edges
carry display attributes (``label``, ``kind``, ``title``, ``card`` …) and returns HTML. It
knows nothing about RDF and computes no analysis.

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
  U+2029 escaped; tooltips, node cards and search results are DOM elements filled with
  ``textContent``.

Around the network the page has a search box, a filter menu (node and link kinds,
theme, year), a node card (shown on click, or from the search box by keyboard) and a
legend that tells kinds apart by shape as well as colour. :func:`write_view` also
writes the accessible alternative: a sortable HTML table of the same nodes and links
with their cards, which works without JavaScript and is linked from the map.
:func:`show` renders a map inline in Jupyter, in an isolated ``<iframe srcdoc>``.

Nodes and edges are sorted and the layout is seeded, so the same graph always gives the
same bytes, whatever order it was built in.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import json
import math
import numbers
import os
import re
import urllib.parse
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

import jinja2
import networkx as nx
from markupsafe import Markup

from igfgraph.fileio import write_atomic, write_files

__all__ = [
    "STYLE",
    "NotebookView",
    "ViewFiles",
    "edge_style",
    "node_style",
    "render_html",
    "render_table_html",
    "show",
    "table_path",
    "write_html",
    "write_view",
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
        "process": {
            "label": "UN process",
            "shape": "ellipse",
            "color": "#5e3c99",
            "fill": "hollow",
            "size": 12,
        },
        "instrument": {
            "label": "Instrument (mandate)",
            "shape": "database",
            "color": "#3f007d",
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
#: Components up to this many nodes are decluttered (:func:`_declutter`): nodes closer
#: than ``_MIN_DISTANCE`` px are pushed apart, in at most ``_DECLUTTER_ROUNDS`` rounds.
_DECLUTTER_LIMIT = 1000
_DECLUTTER_ROUNDS = 40
_MIN_DISTANCE = 80.0
#: Layout scale: a connected component of n nodes spans about 2 * _SPACING * sqrt(n) px.
_SPACING = 60.0
_VIS_DIR = ("templates", "lib", "vis-9.1.2")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
#: Card links must be absolute http(s) URLs without spaces or control characters.
_SAFE_URL = re.compile(r"https?://[^\s\x00-\x1f\x7f]+", re.IGNORECASE)


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
    title: str | None = None,
    seed: int = 0,
    physics: bool = False,
    description: str | None = None,
    table_href: str | None = None,
) -> str:
    """Render a graph as a self-contained interactive HTML page.

    Parameters
    ----------
    G : networkx.Graph
        Any networkx graph class (directed graphs get arrows; multigraph edges are kept
        apart). Nodes are strings (IRIs). Node attributes, all optional:

        * ``label`` (str; default: the node id) and ``kind`` (a key of ``STYLE["node"]``);
        * ``title``: plain-text tooltip, newlines kept (default: the node id);
        * ``size`` (px) and ``x``, ``y`` (px; all nodes or none);
        * ``card``: the node's card, a mapping with ``name`` (str; default: the
          label), ``summary`` (str) and ``fields``, a sequence of ``(label, items)``;
          an item is a str, or a mapping with ``text`` and either ``href`` (an absolute
          http(s) URL, opened in a new tab on click; other schemes are dropped) or
          ``node`` (the id of another node of ``G``: a button that opens its card);
        * ``themes`` (iterable of str) and ``years`` (iterable of int): the values the
          theme and year filters match. A node *without* the attribute is not judged by
          that filter: it is shown when a neighbour it is linked to is shown;
        * ``aliases`` (iterable of str): more names the search box matches (acronyms,
          former names, data ids).

        Edges have ``kind`` (a key of ``STYLE["edge"]``) and optional ``title`` (plain
        text) and ``weight`` (scales the line width within its kind).
    title : str, optional
        Page title and heading (plain text). Default: ``G.graph["title"]``, else
        ``"igfgraph map"``.
    seed : int, optional
        Seed of the layout computed when nodes carry no coordinates.
    physics : bool, optional
        Keep vis-network's force simulation running in the page. Off by default: the
        precomputed layout is drawn at once.
    description : str, optional
        Plain text shown under the heading (newlines kept). Default:
        ``G.graph["description"]`` when set.
    table_href : str, optional
        Relative URL of the accessible table (:func:`render_table_html`); the map then
        links to it in its header and from each node card. :func:`write_view` sets it.

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
        If only some nodes have both ``x`` and ``y``; if ``x``, ``y``, ``size`` or
        ``weight`` is not a finite number; if a ``card`` is not a mapping or a ``year``
        not an integer.

    Notes
    -----
    Each connected component is laid out on its own, with
    ``networkx.spring_layout(seed=seed)`` below 500 nodes and a NumPy port of the same
    Fruchterman-Reingold scheme above (networkx needs SciPy there; beyond 2,000 nodes
    each node's repulsion is estimated from a seeded random sample of nodes). A component
    of n nodes spans about ``120 * sqrt(n)`` px; components are then packed in rows,
    largest first, around the origin.

    In the page, ``window.network`` is the ``vis.Network``, ``window.nodes`` and
    ``window.edges`` its DataSets, ``window.igfgraph`` has ``openNode(id)``,
    ``showCard(id)``, ``search(text)`` and ``applyFilters()``, and
    ``window.igfgraphReady`` turns ``true`` after the first draw (after stabilisation
    when ``physics`` is on).
    """
    from pyvis.network import Network  # imported here: pyvis pulls in IPython

    prepared = _prepare(G)
    node_ids, directed, edge_rows = prepared.node_ids, prepared.directed, prepared.edge_rows
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

    node_order = _legend_order(node_kinds, "node")
    edge_order = _legend_order(edge_kinds, "edge")
    payload = {
        "nodes": nodes,
        "edges": edges,
        "info": [_info_json(info) for info in prepared.infos],
        "edgeStyles": {kind: _vis_edge_style(kind) for kind in sorted(edge_kinds)},
        "kindLabels": [[kind, node_style(kind)["label"]] for kind in node_order],
        "edgeLabels": [[kind, edge_style(kind)["label"]] for kind in edge_order],
        "options": options,
    }
    title_text, description_text = _title_and_description(G, title, description)
    vis_js, vis_css = _vis_assets()
    page = _template("page").render(
        title=title_text,
        description=description_text,
        table_href=table_href,
        data_json=Markup(_script_json(payload)),
        vis_js=Markup(vis_js),
        vis_css=Markup(vis_css),
        app_js=Markup(_APP_JS),
        csp=_content_security_policy(vis_js, _APP_JS),
        node_legend=[_node_legend_entry(kind, node_kinds[kind]) for kind in node_order],
        edge_legend=[_edge_legend_entry(kind, edge_kinds[kind]) for kind in edge_order],
        themes=prepared.theme_values,
        years=prepared.year_values,
        n_nodes=len(nodes),
        n_edges=len(edges),
    )
    # A lone surrogate (possible in a Python str, impossible in UTF-8) becomes U+FFFD here
    # rather than an error when the page is written.
    return _LONE_SURROGATE.sub("\ufffd", page)


def render_table_html(
    G: nx.Graph,
    *,
    title: str | None = None,
    description: str | None = None,
    map_href: str | None = None,
) -> str:
    """Render the accessible alternative of a map: its nodes and links as HTML tables.

    One table lists every node with its card (name, kind, every card field, summary,
    the nodes it is linked to on the map, id); a second lists every link (from, to,
    kind, details, weight). The page works without JavaScript; a small inline script
    (allowed by hash, like the map's) adds sort buttons to the column headings and a
    row filter. Kinds are written out in words. Nothing is loaded from the network.

    Parameters
    ----------
    G : networkx.Graph
        The same graph as given to :func:`render_html` (same attributes).
    title : str, optional
        Title of the map; the page is titled "*title* — table". Default as
        :func:`render_html`.
    description : str, optional
        Plain text shown under the heading. Default as :func:`render_html`.
    map_href : str, optional
        Relative URL of the map, linked from the page.

    Returns
    -------
    str
        The HTML page, byte-identical for equal graphs. Node rows have the anchors
        ``#n0``, ``#n1``… in the order of the sorted node ids (the map's node cards link
        to them); rows are listed by kind (legend order), then name.

    Raises
    ------
    TypeError, ValueError
        As :func:`render_html`.
    """
    prepared = _prepare(G)
    title_text, description_text = _title_and_description(G, title, description)
    node_kinds = Counter(_kind(G.nodes[nid]) for nid in prepared.node_ids)
    edge_kinds = Counter(_kind(attrs) for *_, attrs in prepared.edge_rows)
    node_rank = {kind: i for i, kind in enumerate(_legend_order(node_kinds, "node"))}
    edge_rank = {kind: i for i, kind in enumerate(_legend_order(edge_kinds, "edge"))}
    labels = [_text(G.nodes[nid].get("label"), nid) for nid in prepared.node_ids]
    names = [
        info["card"]["name"] if info.get("card") else labels[i]
        for i, info in enumerate(prepared.infos)
    ]

    field_rank: dict[str, tuple[int, str]] = {}
    for info in prepared.infos:
        for position, (label, _items) in enumerate(info.get("card", {}).get("fields", [])):
            field_rank[label] = min(field_rank.get(label, (position, label)), (position, label))
    columns = sorted(field_rank, key=lambda label: field_rank[label])

    neighbours = _neighbour_lists(prepared, names)
    rows = []
    for i, nid in enumerate(prepared.node_ids):
        attrs = G.nodes[nid]
        info = prepared.infos[i]
        card = info.get("card", {})
        fields = dict(card.get("fields", []))
        summary = card.get("summary", "")
        if not card:
            tooltip = _text(attrs.get("title"), nid)
            summary = "" if tooltip in (labels[i], nid) else tooltip
        rows.append(
            {
                "anchor": f"n{i}",
                "name": names[i],
                "kind": node_style(_kind(attrs))["label"],
                "cells": [[_table_item(item) for item in fields.get(c, [])] for c in columns],
                "summary": summary,
                "links": neighbours[i],
                "id": nid,
                "order": (node_rank[_kind(attrs)], names[i].casefold(), names[i], i),
            }
        )
    rows.sort(key=lambda row: row["order"])

    index = prepared.index
    links = []
    for position, (u, v, _key, attrs) in enumerate(prepared.edge_rows):
        kind = _kind(attrs)
        weight = attrs.get("weight")
        links.append(
            {
                "anchor": f"e{position}",
                "from": (f"n{index[u]}", names[index[u]]),
                "to": (f"n{index[v]}", names[index[v]]),
                "kind": edge_style(kind)["label"],
                "title": _text(attrs.get("title"), ""),
                "weight": "" if weight is None else _format_number(_finite(weight, "weight")),
                "order": (edge_rank[kind], names[index[u]].casefold(), names[index[v]].casefold()),
            }
        )
    links.sort(key=lambda link: (link["order"], link["anchor"]))
    has_weights = any(link["weight"] for link in links)

    page = _template("table").render(
        title=title_text,
        description=description_text,
        map_href=map_href,
        columns=columns,
        rows=rows,
        links=links,
        has_weights=has_weights,
        directed=prepared.directed,
        table_js=Markup(_TABLE_JS),
        csp=_content_security_policy(_TABLE_JS),
    )
    return _LONE_SURROGATE.sub("\ufffd", page)


def write_html(G: nx.Graph, path: str | os.PathLike[str], **kwargs: Any) -> Path:
    """Render a graph with :func:`render_html` and write it atomically.

    The page goes to a temporary file in the target's folder, which then replaces the
    target with :func:`os.replace`: readers see either the old or the new page, never a
    half-written one. Nothing else is written (no ``lib/`` folder anywhere); use
    :func:`write_view` to write the accessible table beside the map.

    Parameters
    ----------
    G : networkx.Graph
        The graph, as described in :func:`render_html`.
    path : str or os.PathLike
        Where to write the page. Missing parent folders are created.
    **kwargs
        Passed on to :func:`render_html` (``title``, ``description``, ``seed``…).

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
    write_atomic(target, render_html(G, **kwargs))
    return target


class ViewFiles(NamedTuple):
    """The two files :func:`write_view` writes."""

    map: Path
    """The interactive map (``map.html``)."""
    table: Path
    """The accessible table beside it (``map-table.html``)."""


def table_path(path: str | os.PathLike[str]) -> Path:
    """Return where :func:`write_view` puts the table of the map at ``path``.

    Parameters
    ----------
    path : str or os.PathLike
        The map's file, e.g. ``out/map.html``.

    Returns
    -------
    pathlib.Path
        The same folder, the stem suffixed with ``-table``: ``out/map-table.html``.
    """
    target = Path(path)
    return target.with_name(f"{target.stem}-table{target.suffix or '.html'}")


def write_view(
    G: nx.Graph,
    path: str | os.PathLike[str],
    *,
    title: str | None = None,
    description: str | None = None,
    **kwargs: Any,
) -> ViewFiles:
    """Write a map and its accessible table beside it, each atomically.

    Parameters
    ----------
    G : networkx.Graph
        The graph, as described in :func:`render_html`.
    path : str or os.PathLike
        The map's file (``map.html``); the table goes to :func:`table_path` of it
        (``map-table.html``). Missing parent folders are created.
    title, description : str, optional
        As :func:`render_html`.
    **kwargs
        Passed on to :func:`render_html` (``seed``, ``physics``).

    Returns
    -------
    ViewFiles
        The paths of the map and of the table. The map links to the table (header and
        each node card) and the table back to the map, by relative URL.

    Raises
    ------
    TypeError, ValueError
        As :func:`render_html`; nothing is written then.
    OSError
        If the folder cannot be written.
    """
    target = Path(path)
    table = table_path(target)
    table_html = render_table_html(
        G, title=title, description=description, map_href=_relative_href(target)
    )
    map_html = render_html(
        G, title=title, description=description, table_href=_relative_href(table), **kwargs
    )
    # Both written before either is replaced; the table first, so the map never links
    # to a table that is not there yet.
    write_files({table: table_html, target: map_html})
    return ViewFiles(map=target, table=table)


@dataclass(frozen=True)
class NotebookView:
    """A map shown inline by Jupyter, VS Code or Colab (see :func:`show`).

    Attributes
    ----------
    html : str
        The map's self-contained page, as :func:`render_html` writes it.
    height : int
        Height of the frame in CSS pixels.
    title : str
        Accessible name of the frame.
    """

    html: str
    height: int
    title: str

    def iframe(self) -> str:
        """Return the ``<iframe>`` element that holds the page in ``srcdoc``.

        Returns
        -------
        str
            An iframe sandboxed to scripts and pop-ups (no same-origin access to the
            notebook, no forms, no top navigation), its page escaped into ``srcdoc``.
        """
        return (
            f'<iframe srcdoc="{html.escape(self.html, quote=True)}" '
            f'title="{html.escape(self.title, quote=True)}" '
            'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox" '
            'referrerpolicy="no-referrer" '
            f'style="width: 100%; height: {self.height}px; border: 1px solid #dddddd;">'
            "</iframe>"
        )

    def _repr_html_(self) -> str:
        return self.iframe()


def show(G: nx.Graph, *, height: int = 640, **kwargs: Any) -> NotebookView:
    """Show a map inline in a notebook, in an isolated ``<iframe srcdoc>``.

    pyvis' own notebook mode writes a file and points an iframe at it, which shows a
    blank area wherever the notebook cannot serve that file (VS Code, Colab, exported
    notebooks). Here the whole page travels inside the cell output, so it works
    wherever HTML output does, offline, and the sandboxed frame keeps its script away
    from the notebook.

    Parameters
    ----------
    G : networkx.Graph
        The graph, as described in :func:`render_html`.
    height : int, default 640
        Height of the frame in CSS pixels.
    **kwargs
        Passed on to :func:`render_html` (``title``, ``description``, ``seed``,
        ``physics``).

    Returns
    -------
    NotebookView
        Displayed by Jupyter through its ``_repr_html_``; ``.html`` is the page.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_edge("a", "b", kind="liaison")
    >>> show(G, title="Two nodes").iframe().startswith("<iframe srcdoc=")
    True
    """
    page = render_html(G, **kwargs)
    title, _description = _title_and_description(G, kwargs.get("title"), None)
    return NotebookView(html=page, height=int(height), title=title)


# --------------------------------------------------------------------------- files


def _relative_href(path: Path) -> str:
    """Return the URL of a file in the same folder, percent-encoded."""
    return urllib.parse.quote(path.name)


def _title_and_description(
    G: nx.Graph, title: str | None, description: str | None
) -> tuple[str, str]:
    if title is None:
        title = G.graph.get("title") or "igfgraph map"
    if description is None:
        description = G.graph.get("description")
    return _text(title, ""), _text(description, "")


# --------------------------------------------------------------------------- cards, facets


@dataclass
class _Prepared:
    """A graph's nodes and edges in output order, with their cards and facets checked."""

    node_ids: list[str]
    index: dict[str, int]
    directed: bool
    edge_rows: list[tuple[str, str, str, Mapping[str, Any]]]
    #: per node (same order): ``card`` (name, summary, fields with node links as
    #: indices), ``themes``, ``years``, ``aliases`` — each only when given
    infos: list[dict[str, Any]]
    theme_values: list[str]
    year_values: list[int]


def _prepare(G: nx.Graph) -> _Prepared:
    node_ids = sorted(G.nodes, key=_node_key)
    index = {nid: i for i, nid in enumerate(node_ids)}
    directed = G.is_directed()
    edge_rows = _sorted_edges(G, directed)
    infos = [_node_info(G.nodes[nid], nid, index) for nid in node_ids]
    themes = {t for info in infos for t in info.get("themes", ())}
    years = {y for info in infos for y in (*info.get("years", ()), *info.get("unknown", ()))}
    return _Prepared(
        node_ids=node_ids,
        index=index,
        directed=directed,
        edge_rows=edge_rows,
        infos=infos,
        theme_values=sorted(themes, key=lambda t: (t.casefold(), t)),
        year_values=sorted(years),
    )


def _node_info(attrs: Mapping[str, Any], nid: str, index: Mapping[str, int]) -> dict[str, Any]:
    info: dict[str, Any] = {}
    label = _text(attrs.get("label"), nid)
    if attrs.get("card") is not None:
        info["card"] = _card(attrs["card"], nid, label, index)
    if attrs.get("themes") is not None:
        info["themes"] = sorted({str(t) for t in _iterable(attrs["themes"], "themes", nid)})
    if attrs.get("years") is not None:
        info["years"] = sorted({_year(y, nid) for y in _iterable(attrs["years"], "years", nid)})
    if attrs.get("unknown_years") is not None:
        info["unknown"] = sorted(
            {_year(y, nid) for y in _iterable(attrs["unknown_years"], "unknown_years", nid)}
        )
    if attrs.get("aliases") is not None:
        info["aliases"] = sorted({str(a) for a in _iterable(attrs["aliases"], "aliases", nid)})
    return info


def _iterable(value: object, what: str, nid: str) -> Iterable[Any]:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        msg = f"{what} of node {nid!r} must be a list, got {value!r}"
        raise ValueError(msg)
    return value


def _year(value: object, nid: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        msg = f"years of node {nid!r} must be integers, got {value!r}"
        raise ValueError(msg)
    return int(value)


def _card(raw: object, nid: str, label: str, index: Mapping[str, int]) -> dict[str, Any]:
    """Check a node's card; node links become indices, unsafe or dangling links text."""
    if not isinstance(raw, Mapping):
        msg = f"card of node {nid!r} must be a mapping, got {type(raw).__name__}"
        raise ValueError(msg)
    card: dict[str, Any] = {
        "name": _text(raw.get("name"), label),
        "summary": _text(raw.get("summary"), ""),
        "fields": [],
    }
    for entry in raw.get("fields") or ():
        if isinstance(entry, str | bytes) or len(entry) != 2:
            msg = f"card fields of node {nid!r} must be (label, items) pairs, got {entry!r}"
            raise ValueError(msg)
        field, items = entry
        if isinstance(items, str | Mapping):
            items = [items]
        out = [_card_item(item, index) for item in items]
        if out:
            card["fields"].append([_text(field, ""), out])
    return card


def _card_item(item: object, index: Mapping[str, int]) -> dict[str, Any]:
    if not isinstance(item, Mapping):
        return {"t": _text(item, "")}
    record: dict[str, Any] = {"t": _text(item.get("text"), "")}
    href, node = item.get("href"), item.get("node")
    if isinstance(href, str) and _SAFE_URL.fullmatch(href):
        record["h"] = href
    elif isinstance(node, str) and node in index:
        record["n"] = index[node]
    return record


def _info_json(info: Mapping[str, Any]) -> dict[str, Any] | None:
    return dict(info) if info else None


def _table_item(item: Mapping[str, Any]) -> dict[str, Any]:
    """Return a card item as the table writes it: text, and an external or in-page link."""
    if "h" in item:
        return {"text": item["t"] or item["h"], "href": item["h"], "external": True}
    if "n" in item:
        return {"text": item["t"], "href": f"#n{item['n']}", "external": False}
    return {"text": item["t"], "href": None, "external": False}


def _neighbour_lists(prepared: _Prepared, labels: list[str]) -> list[list[dict[str, Any]]]:
    """For each node, the nodes it is linked to, grouped by link kind (legend label)."""
    grouped: list[dict[str, set[int]]] = [{} for _ in prepared.node_ids]
    index = prepared.index
    for u, v, _key, attrs in prepared.edge_rows:
        label = edge_style(_kind(attrs))["label"]
        a, b = index[u], index[v]
        if prepared.directed:
            grouped[a].setdefault(f"{label} (to)", set()).add(b)
            grouped[b].setdefault(f"{label} (from)", set()).add(a)
        else:
            grouped[a].setdefault(label, set()).add(b)
            grouped[b].setdefault(label, set()).add(a)
    out = []
    for groups in grouped:
        out.append(
            [
                {
                    "label": label,
                    "items": [
                        {"text": labels[k], "href": f"#n{k}"}
                        for k in sorted(members, key=lambda k: (labels[k].casefold(), k))
                    ],
                }
                for label, members in sorted(groups.items())
            ]
        )
    return out


def _format_number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


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
        # long names wrap onto several lines instead of running across their neighbours
        "widthConstraint": {"maximum": 170},
    }
    edges = options.setdefault("edges", {})
    edges["selectionWidth"] = 1.5
    edges["arrows"] = {"to": {"enabled": directed, "scaleFactor": 0.6}}
    interaction = options.setdefault("interaction", {})
    # Arrow keys pan and +/- zoom once the map has focus (Tab); never bound to the window,
    # so typing in the search box or a filter does not move the map.
    interaction.update(
        {
            "hover": True,
            "tooltipDelay": 150,
            "keyboard": {"enabled": True, "bindToWindow": False, "autoFocus": False},
        }
    )
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
def _template(name: str) -> jinja2.Template:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    return env.from_string({"page": _PAGE, "table": _TABLE_PAGE}[name])


# The application script. It is a constant: the page's Content-Security-Policy allows


# The application script. It is a constant: the page's Content-Security-Policy allows
# exactly this text and the vis-network library, by hash. Every string from the graph is
# put into the page with textContent (never innerHTML); card links get an href only when
# it is an http(s) URL, and are followed only on click.
_APP_JS = """
(function () {
  "use strict";
  window.igfgraphReady = false;
  var data = JSON.parse(document.getElementById("igfgraph-data").textContent);
  var has = Object.prototype.hasOwnProperty;
  var SAFE_URL = /^https?:\\/\\/[^\\s]+$/i;
  var MAX_RESULTS = 20;
  var MAX_LINKS = 50;
  function byId(id) { return document.getElementById(id); }
  function make(tag, text, className) {
    var el = document.createElement(tag);
    if (text !== undefined && text !== null) { el.textContent = text; }
    if (className) { el.className = className; }
    return el;
  }
  function tooltip(text) { return make("div", text, "igfgraph-tooltip"); }
  function clear(el) { while (el.firstChild) { el.removeChild(el.firstChild); } }

  var count = data.nodes.length;
  var ids = [], kinds = [], labels = [], titles = [], infos = data.info;
  var indexOf = new Map();
  var kindLabel = new Map(data.kindLabels);
  var edgeLabel = new Map(data.edgeLabels);
  var i, item, style, key;
  for (i = 0; i < count; i++) {
    item = data.nodes[i];
    ids.push(item.id);
    kinds.push(item.kind);
    labels.push(item.label);
    titles.push(item.title);
    indexOf.set(item.id, i);
    item.title = tooltip(item.title);
  }
  var adjacency = [];
  for (i = 0; i < count; i++) { adjacency.push([]); }
  var edgeFrom = [], edgeTo = [], edgeKinds = [];
  for (i = 0; i < data.edges.length; i++) {
    item = data.edges[i];
    style = has.call(data.edgeStyles, item.kind) ? data.edgeStyles[item.kind] : null;
    for (key in style) {
      if (has.call(style, key) && !has.call(item, key)) { item[key] = style[key]; }
    }
    if (typeof item.title === "string") { item.title = tooltip(item.title); }
    var a = indexOf.get(item.from), b = indexOf.get(item.to);
    edgeFrom.push(a);
    edgeTo.push(b);
    edgeKinds.push(item.kind);
    adjacency[a].push(i);
    if (b !== a) { adjacency[b].push(i); }
  }
  var directed = data.options.edges.arrows.to.enabled === true;

  var container = byId("igfgraph-network");
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, data.options);
  window.nodes = nodes;
  window.edges = edges;
  window.network = network;
  var frame = container.querySelector(".vis-network");
  if (frame) {
    frame.setAttribute("role", "application");
    frame.setAttribute("aria-roledescription", "network map");
    frame.setAttribute("aria-label",
      "Network map. Arrow keys move it, plus and minus zoom. " +
      "Use the search box or the table to reach a node.");
  }

  // ------------------------------------------------------------------ node card
  var card = byId("igfgraph-card");
  var cardName = byId("igfgraph-card-name");
  var cardKind = byId("igfgraph-card-kind");
  var cardSummary = byId("igfgraph-card-summary");
  var cardFields = byId("igfgraph-card-fields");
  var cardLinks = byId("igfgraph-card-links");
  var cardRow = byId("igfgraph-card-row");
  var tableLink = byId("igfgraph-table-link");
  var searchBox = byId("igfgraph-search");
  var current = -1;
  var returnFocus = null;

  function nodeButton(index, text) {
    var button = make("button", text || labels[index], "igfgraph-node-link");
    button.type = "button";
    button.addEventListener("click", function () { openNode(index, true); });
    return button;
  }
  function renderItem(entry) {
    if (has.call(entry, "h") && SAFE_URL.test(entry.h)) {
      var link = make("a", entry.t || entry.h, "igfgraph-external");
      link.href = entry.h;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      link.referrerPolicy = "no-referrer";
      link.appendChild(make("span", " (opens in a new tab)", "igfgraph-sr-only"));
      return link;
    }
    if (has.call(entry, "n") && entry.n >= 0 && entry.n < count) {
      return nodeButton(entry.n, entry.t);
    }
    return make("span", entry.t);
  }
  function addField(list, label, elements) {
    list.appendChild(make("dt", label));
    var dd = make("dd");
    if (elements.length === 1) {
      dd.appendChild(elements[0]);
    } else {
      var ul = make("ul");
      elements.forEach(function (el) {
        var li = make("li");
        li.appendChild(el);
        ul.appendChild(li);
      });
      dd.appendChild(ul);
    }
    list.appendChild(dd);
  }
  function neighbourGroups(index) {
    var groups = new Map();
    adjacency[index].forEach(function (e) {
      var other = edgeFrom[e] === index ? edgeTo[e] : edgeFrom[e];
      var label = edgeLabel.get(edgeKinds[e]) || edgeKinds[e];
      if (directed) { label += edgeFrom[e] === index ? " (to)" : " (from)"; }
      if (!groups.has(label)) { groups.set(label, new Set()); }
      groups.get(label).add(other);
    });
    return Array.from(groups.keys()).sort().map(function (label) {
      var members = Array.from(groups.get(label)).sort(function (x, y) {
        var p = labels[x].toLowerCase(), q = labels[y].toLowerCase();
        return p < q ? -1 : p > q ? 1 : x - y;
      });
      return [label, members];
    });
  }
  function showCard(index) {
    if (typeof index === "string") { index = indexOf.get(index); }
    if (index === undefined || index < 0 || index >= count) { return; }
    var info = infos[index] || {};
    var c = info.card || null;
    current = index;
    cardName.textContent = c ? c.name : labels[index];
    clear(cardKind);
    var glyph = kindGlyph.get(kinds[index]);
    if (glyph) { cardKind.appendChild(glyph.cloneNode(true)); }
    cardKind.appendChild(make("span", kindLabel.get(kinds[index]) || kinds[index] || "(no kind)"));
    var plain = titles[index] !== labels[index] && titles[index] !== ids[index];
    var summary = c ? c.summary : plain ? titles[index] : "";
    cardSummary.textContent = summary;
    cardSummary.hidden = !summary;
    clear(cardFields);
    if (c) {
      c.fields.forEach(function (field) {
        addField(cardFields, field[0], field[1].map(renderItem));
      });
    }
    addField(cardFields, "Id", [make("span", ids[index], "igfgraph-id")]);
    clear(cardLinks);
    var groups = neighbourGroups(index);
    groups.forEach(function (group) {
      var members = group[1];
      var elements = members.slice(0, MAX_LINKS).map(function (k) { return nodeButton(k); });
      if (members.length > MAX_LINKS) {
        var more = members.length - MAX_LINKS;
        elements.push(make("span", "and " + more + " more (see the table)"));
      }
      addField(cardLinks, group[0] + " (" + members.length + ")", elements);
    });
    byId("igfgraph-card-links-heading").hidden = groups.length === 0;
    if (cardRow && tableLink) { cardRow.href = tableLink.getAttribute("href") + "#n" + index; }
    card.hidden = false;
    card.setAttribute("data-node", ids[index]);
  }
  function closeCard(restoreFocus) {
    card.hidden = true;
    card.removeAttribute("data-node");
    current = -1;
    network.unselectAll();
    if (restoreFocus) {
      var target = returnFocus && document.body.contains(returnFocus) ? returnFocus : searchBox;
      returnFocus = null;
      if (target) { target.focus(); }
    }
  }
  function openNode(index, moveFocus) {
    if (typeof index === "string") { index = indexOf.get(index); }
    if (index === undefined || index < 0 || index >= count) { return; }
    if (nodeHidden[index]) {
      resetFilters();
      announce("Filters cleared to show " + labels[index] + ".");
    }
    if (moveFocus) {
      var active = document.activeElement;
      if (active && !card.contains(active)) { returnFocus = active; }
    }
    network.selectNodes([ids[index]]);
    network.focus(ids[index], {scale: Math.max(network.getScale(), 1), animation: false});
    showCard(index);
    if (moveFocus) { cardName.focus(); }
  }
  network.on("click", function (params) {
    if (params.nodes.length) {
      showCard(params.nodes[0]);
    } else if (!params.edges.length) {
      closeCard(false);
    }
  });
  byId("igfgraph-card-close").addEventListener("click", function () { closeCard(true); });
  card.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { event.preventDefault(); closeCard(true); }
  });

  // ------------------------------------------------------------------ search
  var results = byId("igfgraph-results");
  var searchStatus = byId("igfgraph-search-status");
  var haystacks = null;
  function fold(text) {
    return String(text).normalize("NFKD").replace(/[\\u0300-\\u036f]/g, "").toLowerCase();
  }
  function buildHaystacks() {
    haystacks = [];
    for (var k = 0; k < count; k++) {
      var info = infos[k] || {};
      var names = [labels[k], ids[k]];
      if (info.card) { names.push(info.card.name); }
      if (info.aliases) { names = names.concat(info.aliases); }
      haystacks.push([fold(labels[k]), fold(names.join("\\n"))]);
    }
  }
  function search(text) {
    var query = fold(text.trim());
    clear(results);
    if (!query) { searchStatus.textContent = ""; return []; }
    if (haystacks === null) { buildHaystacks(); }
    var found = [];
    for (var k = 0; k < count; k++) {
      var label = haystacks[k][0], all = haystacks[k][1];
      var rank = label === query ? 0 : label.indexOf(query) === 0 ? 1 :
        label.indexOf(query) > 0 ? 2 : all.indexOf(query) >= 0 ? 3 : -1;
      if (rank >= 0) { found.push([rank, label, k]); }
    }
    found.sort(function (x, y) {
      return x[0] - y[0] || (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : x[2] - y[2]);
    });
    found.slice(0, MAX_RESULTS).forEach(function (hit) {
      var li = make("li");
      var button = make("button", labels[hit[2]], "igfgraph-result");
      button.type = "button";
      var kindText = kindLabel.get(kinds[hit[2]]) || kinds[hit[2]];
      button.appendChild(make("span", " — " + kindText, "igfgraph-result-kind"));
      button.setAttribute("data-node", ids[hit[2]]);
      button.addEventListener("click", function () { openNode(hit[2], true); });
      li.appendChild(button);
      results.appendChild(li);
    });
    searchStatus.textContent = found.length === 0 ? "No match." :
      found.length + (found.length === 1 ? " match" : " matches") +
      (found.length > MAX_RESULTS ? ", the first " + MAX_RESULTS + " listed." : ".") +
      " Down arrow to go through them, Enter to open.";
    return found.map(function (hit) { return ids[hit[2]]; });
  }
  function resultButtons() {
    return Array.prototype.slice.call(results.querySelectorAll("button"));
  }
  searchBox.addEventListener("input", function () { search(searchBox.value); });
  searchBox.addEventListener("keydown", function (event) {
    var buttons = resultButtons();
    if (event.key === "ArrowDown" && buttons.length) {
      event.preventDefault();
      buttons[0].focus();
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (!buttons.length) { search(searchBox.value); buttons = resultButtons(); }
      if (buttons.length) { openNode(buttons[0].getAttribute("data-node"), true); }
    } else if (event.key === "Escape") {
      searchBox.value = "";
      search("");
    }
  });
  results.addEventListener("keydown", function (event) {
    var buttons = resultButtons();
    var at = buttons.indexOf(document.activeElement);
    if (at < 0) { return; }
    if (event.key === "ArrowDown") {
      event.preventDefault();
      buttons[Math.min(at + 1, buttons.length - 1)].focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      if (at === 0) { searchBox.focus(); } else { buttons[at - 1].focus(); }
    } else if (event.key === "Escape") {
      event.preventDefault();
      searchBox.focus();
    }
  });

  // ------------------------------------------------------------------ filters
  var kindOn = new Map(), edgeOn = new Map(), kindGlyph = new Map();
  var toggles = Array.prototype.slice.call(
    document.querySelectorAll("#igfgraph-legend input[type=checkbox]"));
  toggles.forEach(function (box) {
    var li = box.closest("li");
    var which = box.getAttribute("data-table") === "edge" ? edgeOn : kindOn;
    which.set(li.getAttribute("data-kind"), box.checked);
    if (which === kindOn) { kindGlyph.set(li.getAttribute("data-kind"), li.querySelector("svg")); }
    box.addEventListener("change", function () {
      which.set(li.getAttribute("data-kind"), box.checked);
      applyFilters();
    });
  });
  var themeSelect = byId("igfgraph-theme");
  var yearSelect = byId("igfgraph-year");
  var filterStatus = byId("igfgraph-filter-status");
  var nodeHidden = new Uint8Array(count);
  var nodeGrey = new Uint8Array(count);
  var edgeHidden = new Uint8Array(data.edges.length);
  function announce(text) { filterStatus.textContent = text; }
  function applyFilters() {
    var theme = themeSelect ? themeSelect.value : "";
    var year = yearSelect && yearSelect.value !== "" ? Number(yearSelect.value) : null;
    var state = new Uint8Array(count);  // 0 hidden, 1 matches, 2 not judged, 3 shown as context
    var k, info, s;
    for (k = 0; k < count; k++) {
      if (kindOn.get(kinds[k]) === false) { state[k] = 0; continue; }
      info = infos[k] || {};
      s = 1;
      if (theme !== "") {
        if (!info.themes) { s = 2; } else if (info.themes.indexOf(theme) < 0) { s = 0; }
      }
      if (s !== 0 && year !== null) {
        if (info.unknown && info.unknown.indexOf(year) >= 0) { s = 4; }
        else if (!info.years) { s = 2; } else if (info.years.indexOf(year) < 0) { s = 0; }
      }
      state[k] = s;
    }
    for (k = 0; k < count; k++) {
      if (state[k] !== 2) { continue; }
      state[k] = 0;
      for (var j = 0; j < adjacency[k].length; j++) {
        var e = adjacency[k][j], other = edgeFrom[e] === k ? edgeTo[e] : edgeFrom[e];
        if (state[other] === 1) { state[k] = 3; break; }
      }
    }
    var nodeChanges = [], edgeChanges = [], shownNodes = 0, shownEdges = 0, greyed = 0, hide, grey;
    for (k = 0; k < count; k++) {
      hide = state[k] === 0 ? 1 : 0;
      grey = state[k] === 4 ? 1 : 0;  // activity unknown that year: shown, greyed
      if (!hide) { shownNodes++; }
      if (grey) { greyed++; }
      if (hide !== nodeHidden[k] || grey !== nodeGrey[k]) {
        nodeHidden[k] = hide;
        nodeGrey[k] = grey;
        nodeChanges.push({id: ids[k], hidden: !!hide, opacity: grey ? 0.3 : 1});
      }
    }
    for (k = 0; k < edgeKinds.length; k++) {
      hide = edgeOn.get(edgeKinds[k]) === false ? 1 : 0;
      if (!hide && !nodeHidden[edgeFrom[k]] && !nodeHidden[edgeTo[k]]) { shownEdges++; }
      if (hide !== edgeHidden[k]) {
        edgeHidden[k] = hide;
        edgeChanges.push({id: "e" + k, hidden: !!hide});
      }
    }
    if (nodeChanges.length) { nodes.update(nodeChanges); }
    if (edgeChanges.length) { edges.update(edgeChanges); }
    announce("Showing " + shownNodes + " of " + count + " nodes and " + shownEdges + " of " +
      edgeKinds.length + " links." + (greyed ? " " + greyed + " greyed: activity unknown in " +
      year + "." : ""));
    return shownNodes;
  }
  function resetFilters() {
    toggles.forEach(function (box) {
      box.checked = true;
      var which = box.getAttribute("data-table") === "edge" ? edgeOn : kindOn;
      which.set(box.closest("li").getAttribute("data-kind"), true);
    });
    if (themeSelect) { themeSelect.value = ""; }
    if (yearSelect) { yearSelect.value = ""; }
    return applyFilters();
  }
  if (themeSelect) { themeSelect.addEventListener("change", applyFilters); }
  if (yearSelect) { yearSelect.addEventListener("change", applyFilters); }
  byId("igfgraph-reset").addEventListener("click", resetFilters);
  byId("igfgraph-fit").addEventListener("click", function () { network.fit({animation: false}); });

  window.igfgraph = {
    openNode: openNode,
    showCard: showCard,
    closeCard: closeCard,
    search: search,
    applyFilters: applyFilters,
    resetFilters: resetFilters
  };

  function ready() {
    window.igfgraphReady = true;
    container.setAttribute("data-ready", "true");
  }
  // The first fit knows node positions but not label sizes; fit again once drawn, so
  // labels at the edges are not cut, then report ready after that draw. Large maps skip
  // this: their labels are too small to show at that zoom anyway, and a draw is costly.
  function refitThenReady() {
    if (count > 2000) { ready(); return; }
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
<meta name="referrer" content="no-referrer">
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
a { color: #0b5cad; }
:focus-visible { outline: 3px solid #ffbf47; outline-offset: 1px; }
main { flex: 1; display: flex; min-height: 0; }
#igfgraph-network { flex: 1; position: relative; min-width: 0; }
#igfgraph-panel { width: 20rem; overflow-y: auto; padding: 0.25rem 0.75rem 0.75rem;
                  border-left: 1px solid #dddddd; background: #fafafa; }
#igfgraph-panel h2 { font-size: 0.95rem; margin: 0.75rem 0 0.25rem; }
#igfgraph-panel h3 { font-size: 0.85rem; margin: 0.5rem 0 0.25rem; }
#igfgraph-panel label.field { display: block; margin: 0.25rem 0 0.1rem; }
#igfgraph-panel input[type=search], #igfgraph-panel select { width: 100%; box-sizing: border-box;
                  font: inherit; padding: 0.2rem; }
#igfgraph-panel button { font: inherit; }
#igfgraph-results { list-style: none; margin: 0.25rem 0; padding: 0; }
#igfgraph-results button, .igfgraph-node-link { background: none; border: 0; padding: 0.1rem 0;
                  color: #0b5cad; text-decoration: underline; cursor: pointer; text-align: left; }
.igfgraph-result-kind { color: #666666; text-decoration: none; }
.status { color: #444444; margin: 0.25rem 0; min-height: 1em; }
.buttons { display: flex; gap: 0.5rem; margin: 0.5rem 0; }
#igfgraph-card { border: 1px solid #cccccc; background: #ffffff; padding: 0.25rem 0.6rem 0.5rem;
                 margin: 0.75rem 0; }
#igfgraph-card .head { display: flex; align-items: flex-start; gap: 0.5rem; }
#igfgraph-card .head h2 { flex: 1; margin: 0.4rem 0 0.2rem; font-size: 1.05rem; }
#igfgraph-card-kind { display: flex; align-items: center; gap: 0.4rem; margin: 0; color: #444444; }
#igfgraph-card-summary { white-space: pre-line; }
#igfgraph-card dl { margin: 0.25rem 0; }
#igfgraph-card dt { font-weight: 600; margin-top: 0.35rem; }
#igfgraph-card dd { margin: 0 0 0 0.75rem; overflow-wrap: anywhere; }
#igfgraph-card dd ul { margin: 0; padding-left: 1rem; }
.igfgraph-id { color: #666666; font-size: 0.85em; }
.igfgraph-sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden;
                    clip: rect(0 0 0 0); white-space: nowrap; }
#igfgraph-legend ul { list-style: none; margin: 0; padding: 0; }
#igfgraph-legend li label { display: flex; align-items: center; gap: 0.5rem; margin: 0.15rem 0; }
#igfgraph-legend .glyph { flex: none; }
#igfgraph-legend .count { color: #666666; margin-left: auto; }
#igfgraph-legend .summary { color: #666666; margin: 0.25rem 0; }
div.vis-tooltip { max-width: 28rem; white-space: normal; font: 13px/1.35 system-ui, sans-serif; }
.igfgraph-tooltip { white-space: pre-line; overflow-wrap: anywhere; }
@media (max-width: 700px) {
  main { flex-direction: column; }
  #igfgraph-network { min-height: 60vh; }
  #igfgraph-panel { width: auto; max-height: 40vh; border-left: 0;
                    border-top: 1px solid #dddddd; }
}
</style>
</head>
<body>
<header>
<h1 id="igfgraph-title">{{ title }}</h1>
{% if description %}<p id="igfgraph-description">{{ description }}</p>{% endif %}
{% if table_href %}<p><a id="igfgraph-table-link" href="{{ table_href }}">Table of these \
{{ n_nodes }} nodes and {{ n_edges }} links (accessible alternative to the map)</a></p>{% endif %}
</header>
<main>
<div id="igfgraph-network" role="region" aria-label="{{ title }}: network map"></div>
<aside id="igfgraph-panel" aria-label="Search, filters, node card and legend">
<section id="igfgraph-find" aria-labelledby="igfgraph-find-heading">
<h2 id="igfgraph-find-heading">Find a node</h2>
<label class="field" for="igfgraph-search">Name, acronym or id</label>
<input id="igfgraph-search" type="search" autocomplete="off" spellcheck="false"
 aria-describedby="igfgraph-search-status" aria-controls="igfgraph-results">
<p id="igfgraph-search-status" class="status" aria-live="polite"></p>
<ul id="igfgraph-results" aria-label="Search results"></ul>
</section>
<section id="igfgraph-card" hidden aria-labelledby="igfgraph-card-name">
<div class="head"><h2 id="igfgraph-card-name" tabindex="-1"></h2>
<button type="button" id="igfgraph-card-close" aria-label="Close the card">Close</button></div>
<p id="igfgraph-card-kind"></p>
<p id="igfgraph-card-summary"></p>
<dl id="igfgraph-card-fields"></dl>
<h3 id="igfgraph-card-links-heading">Linked on this map</h3>
<dl id="igfgraph-card-links"></dl>
{% if table_href %}<p><a id="igfgraph-card-row" href="{{ table_href }}">This node in the \
table</a></p>{% endif %}
</section>
<section id="igfgraph-filters" aria-labelledby="igfgraph-filters-heading">
<h2 id="igfgraph-filters-heading">Filter</h2>
{% if themes %}<label class="field" for="igfgraph-theme">Theme</label>
<select id="igfgraph-theme"><option value="">All themes</option>
{% for theme in themes %}<option value="{{ theme }}">{{ theme }}</option>
{% endfor %}</select>{% endif %}
{% if years %}<label class="field" for="igfgraph-year">Year (greyed: unknown)</label>
<select id="igfgraph-year"><option value="">Any year</option>
{% for year in years %}<option value="{{ year }}">{{ year }}</option>
{% endfor %}</select>{% endif %}
<div class="buttons"><button type="button" id="igfgraph-reset">Show everything</button>
<button type="button" id="igfgraph-fit">Fit map to window</button></div>
<p id="igfgraph-filter-status" class="status" aria-live="polite"></p>
</section>
<section id="igfgraph-legend" aria-labelledby="igfgraph-legend-heading">
<h2 id="igfgraph-legend-heading">Legend (untick to hide)</h2>
<p class="summary">{{ n_nodes }} nodes, {{ n_edges }} links</p>
{% if node_legend %}<h3>Nodes</h3>
<ul id="igfgraph-legend-nodes">
{% for entry in node_legend %}<li data-kind="{{ entry.kind }}">\
<label><input type="checkbox" data-table="node" checked>{{ entry.glyph }}\
<span class="label">{{ entry.label }}</span>\
<span class="count">{{ entry.count }}</span></label></li>
{% endfor %}</ul>{% endif %}
{% if edge_legend %}<h3>Links</h3>
<ul id="igfgraph-legend-edges">
{% for entry in edge_legend %}<li data-kind="{{ entry.kind }}">\
<label><input type="checkbox" data-table="edge" checked>{{ entry.glyph }}\
<span class="label">{{ entry.label }}</span>\
<span class="count">{{ entry.count }}</span></label></li>
{% endfor %}</ul>{% endif %}
</section>
</aside>
</main>
<noscript><p>This map needs JavaScript.{% if table_href %} The <a href="{{ table_href }}">table \
of the same nodes and links</a> does not.{% endif %}</p></noscript>
<script type="application/json" id="igfgraph-data">{{ data_json }}</script>
<script>{{ vis_js }}</script>
<script>{{ app_js }}</script>
</body>
</html>
"""

# The table page's script: sort buttons in the column headings and a row filter. The
# tables are complete without it.
_TABLE_JS = """
(function () {
  "use strict";
  var status = document.getElementById("igfgraph-table-status");
  function text(cell) { return cell ? cell.textContent.trim() : ""; }
  function compare(x, y, numeric) {
    if (numeric) {
      if (x === "" || y === "") { return x === y ? 0 : x === "" ? 1 : -1; }
      return Number(x) - Number(y);
    }
    return x.localeCompare(y, "en", {numeric: true, sensitivity: "base"});
  }
  var tables = document.querySelectorAll("table.igfgraph-sortable");
  Array.prototype.forEach.call(tables, function (table) {
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    heads.forEach(function (th, column) {
      var label = th.textContent;
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = label;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows).map(function (row, at) {
          return [text(row.cells[column]), at, row];
        });
        var numeric = rows.every(function (r) { return r[0] === "" || !isNaN(Number(r[0])); });
        rows.sort(function (a, b) {
          var c = compare(a[0], b[0], numeric);
          return (ascending ? c : -c) || a[1] - b[1];
        });
        rows.forEach(function (r) { body.appendChild(r[2]); });
        status.textContent = table.caption.textContent + ": sorted by " + label +
          (ascending ? ", ascending." : ", descending.");
      });
    });
  });
  var filter = document.getElementById("igfgraph-table-filter");
  document.getElementById("igfgraph-table-filter-box").hidden = false;
  filter.addEventListener("input", function () {
    var query = filter.value.trim().toLowerCase();
    var shown = 0, total = 0;
    var rows = document.querySelectorAll("table.igfgraph-sortable tbody tr");
    Array.prototype.forEach.call(rows, function (row) {
      var match = !query || row.textContent.toLowerCase().indexOf(query) >= 0;
      row.hidden = !match;
      total++;
      if (match) { shown++; }
    });
    status.textContent = query ?
      shown + " of " + total + " rows contain \\u201c" + filter.value.trim() + "\\u201d." : "";
  });
})();
"""

_TABLE_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{ csp }}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="igfgraph">
<title>{{ title }} — table</title>
<style>
body { font: 15px/1.45 system-ui, sans-serif; color: #1a1a1a; background: #ffffff;
       margin: 0 auto; padding: 0.5rem 1rem 2rem; max-width: 120rem; }
h1 { font-size: 1.4rem; margin: 0.5rem 0; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 0.5rem; }
.description { white-space: pre-line; color: #444444; }
a { color: #0b5cad; }
:focus-visible { outline: 3px solid #ffbf47; outline-offset: 1px; }
.wrap { overflow-x: auto; }
table { border-collapse: collapse; font-size: 0.9rem; }
caption { text-align: left; font-weight: 600; padding: 0.25rem 0; }
th, td { border: 1px solid #cccccc; padding: 0.3rem 0.45rem; text-align: left;
         vertical-align: top; }
thead th { background: #f0f0f0; position: sticky; top: 0; }
thead th button { font: inherit; font-weight: 600; background: none; border: 0; padding: 0;
                  cursor: pointer; text-align: left; color: inherit; }
thead th[aria-sort=ascending] button::after { content: " \\2191"; }
thead th[aria-sort=descending] button::after { content: " \\2193"; }
tbody th { font-weight: 600; min-width: 12rem; }
td ul { margin: 0; padding-left: 1rem; }
td.text { white-space: pre-line; min-width: 16rem; }
.id { color: #555555; font-size: 0.85em; overflow-wrap: anywhere; min-width: 14rem; }
#igfgraph-table-status { color: #444444; min-height: 1em; }
</style>
</head>
<body>
{%- macro one(item) -%}
{%- if item.href and item.external -%}<a href="{{ item.href }}" target="_blank" \
rel="noopener noreferrer">{{ item.text }}</a>
{%- elif item.href -%}<a href="{{ item.href }}">{{ item.text }}</a>
{%- else -%}{{ item.text }}{%- endif -%}
{%- endmacro -%}
{%- macro items(cell) -%}
{%- if cell|length > 1 -%}<ul>{% for item in cell %}<li>{{ one(item) }}</li>{% endfor %}</ul>
{%- elif cell -%}{{ one(cell[0]) }}{%- endif -%}
{%- endmacro %}
<header>
<h1 id="igfgraph-title">{{ title }} — table</h1>
{% if description %}<p class="description" id="igfgraph-description">{{ description }}</p>\
{% endif %}
<p>The same {{ rows|length }} nodes and {{ links|length }} links as the map, one row each. \
{% if map_href %}<a id="igfgraph-map-link" href="{{ map_href }}">Back to the map</a>.{% endif %}</p>
<p><a href="#igfgraph-nodes">Nodes</a> · <a href="#igfgraph-links">Links</a></p>
<p id="igfgraph-table-filter-box" hidden><label for="igfgraph-table-filter">Show only rows \
containing</label> <input id="igfgraph-table-filter" type="search" autocomplete="off"></p>
<p id="igfgraph-table-status" aria-live="polite"></p>
</header>
<main>
<h2 id="igfgraph-nodes">Nodes</h2>
<div class="wrap">
<table class="igfgraph-sortable" id="igfgraph-node-table">
<caption>Nodes ({{ rows|length }})</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Kind</th>\
{% for column in columns %}<th scope="col">{{ column }}</th>{% endfor %}\
<th scope="col">Summary</th><th scope="col">Linked on the map</th><th scope="col">Id</th>\
</tr></thead>
<tbody>
{% for row in rows %}<tr id="{{ row.anchor }}"><th scope="row">{{ row.name }}</th>\
<td>{{ row.kind }}</td>\
{% for cell in row.cells %}<td>{{ items(cell) }}</td>{% endfor %}\
<td class="text">{{ row.summary }}</td><td>\
{% for group in row.links %}{{ group.label }}: \
{% for item in group['items'] %}<a href="{{ item.href }}">{{ item.text }}</a>\
{% if not loop.last %}, {% endif %}{% endfor %}{% if not loop.last %}<br>{% endif %}\
{% endfor %}</td>\
<td class="id">{{ row.id }}</td></tr>
{% endfor %}</tbody>
</table>
</div>
<h2 id="igfgraph-links">Links</h2>
<div class="wrap">
<table class="igfgraph-sortable" id="igfgraph-link-table">
<caption>Links ({{ links|length }})</caption>
<thead><tr><th scope="col">{{ "From" if directed else "Node" }}</th>\
<th scope="col">{{ "To" if directed else "Other node" }}</th><th scope="col">Kind</th>\
<th scope="col">Details</th>{% if has_weights %}<th scope="col">Weight</th>{% endif %}</tr></thead>
<tbody>
{% for link in links %}<tr id="{{ link.anchor }}"><td><a href="#{{ link['from'][0] }}">\
{{ link['from'][1] }}</a></td><td><a href="#{{ link.to[0] }}">{{ link.to[1] }}</a></td>\
<td>{{ link.kind }}</td><td class="text">{{ link.title }}</td>\
{% if has_weights %}<td>{{ link.weight }}</td>{% endif %}</tr>
{% endfor %}</tbody>
</table>
</div>
</main>
<script>{{ table_js }}</script>
</body>
</html>
"""
