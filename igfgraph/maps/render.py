"""The map page: a networkx graph drawn as one self-contained, offline HTML page.

This module only renders. It takes a :class:`networkx.Graph` whose nodes and edges carry
display attributes (``label``, ``kind``, ``title``, ``card`` …) and returns HTML. It knows
nothing about RDF and computes no analysis.

The page is built on vis-network 9.1.2 as shipped inside the pyvis 0.3.2 package:

* pyvis supplies the node, edge and options lists (filled directly, never through
  ``Network.from_nx``, which is slower than quadratic);
* our own Jinja2 template (``templates/map.html``, autoescape on) writes the page, so
  pyvis' template with its CDN links, Bootstrap and unescaped heading is never used;
* the vis-network script and style and our own (``static/map.js``, ``static/map.css``)
  are inlined, and a Content-Security-Policy allows only those exact inline scripts (by
  hash), so the page makes no network request and an injected ``onerror=`` handler could
  not run even if escaping failed;
* every string from the graph travels as JSON inside a non-executable JSON script block
  with ``<``, ``>``, ``&``, U+2028 and U+2029 escaped; tooltips, node cards and search
  results are DOM elements filled with ``textContent``.

Around the network the page has a search box, a filter menu (node and link kinds, theme,
year), a node card (shown on click, or from the search box by keyboard) and a legend that
tells kinds apart by shape as well as colour. :func:`write_view` also writes the
accessible alternative (:func:`igfgraph.maps.table.render_table_html`), linked from the map.

Nodes and edges are sorted and the layout is seeded, so the same graph always gives the
same bytes, whatever order it was built in.
"""

from __future__ import annotations

import json
import os
import urllib.parse
from collections import Counter
from pathlib import Path
from typing import Any, NamedTuple

import networkx as nx
from markupsafe import Markup

from igfgraph.fileio import write_atomic, write_files
from igfgraph.maps.assets import (
    content_security_policy,
    script_json,
    static_text,
    template,
    vis_assets,
)
from igfgraph.maps.layout import positions as layout_positions
from igfgraph.maps.prepare import (
    LONE_SURROGATE,
    finite,
    info_json,
    kind_of,
    prepare,
    text,
    title_and_description,
)
from igfgraph.maps.style import (
    edge_legend_entry,
    edge_style,
    legend_order,
    node_legend_entry,
    node_style,
    vis_edge_style,
    vis_node_style,
    vis_unknown_activity_style,
)
from igfgraph.maps.table import render_table_html

__all__ = ["ViewFiles", "map_data", "render_html", "table_path", "write_html", "write_view"]


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
        * ``activity``: a mapping of year (int) to the node's activity that year,
          ``"active"``, ``"inactive"`` or ``"unknown"``, or an ``(outcome, reason)``
          pair (or an object with ``outcome`` and ``reason``, such as a verdict of the
          activity rule), the reason in plain words. It replaces ``years`` for the year
          filter: with a year chosen, an active node is shown, an inactive one hidden,
          and one whose activity is unknown (or not given for that year) is shown
          greyed, with "activity unknown" in its card — never hidden, never drawn as
          active. The table's years are then the active ones;
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
        ``weight`` is not a finite number; if a ``card`` is not a mapping, a ``year``
        not an integer or an ``activity`` not one of the three outcomes.

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
    built = _build(G, seed=seed, physics=physics)
    prepared, payload = built.prepared, built.payload
    node_kinds, edge_kinds, has_activity = built.node_kinds, built.edge_kinds, built.has_activity
    node_order, edge_order = built.node_order, built.edge_order
    nodes, edges = payload["nodes"], payload["edges"]
    title_text, description_text = title_and_description(G, title, description)
    vis_js, vis_css = vis_assets()
    app_js = static_text("map.js")
    page = template("map.html").render(
        title=title_text,
        description=description_text,
        table_href=table_href,
        data_json=Markup(script_json(payload)),
        vis_js=Markup(vis_js),
        vis_css=Markup(vis_css),
        map_css=Markup(static_text("map.css")),
        app_js=Markup(app_js),
        csp=content_security_policy(vis_js, app_js),
        node_legend=[node_legend_entry(kind, node_kinds[kind]) for kind in node_order],
        edge_legend=[edge_legend_entry(kind, edge_kinds[kind]) for kind in edge_order],
        themes=prepared.theme_values,
        years=prepared.year_values,
        has_activity=has_activity,
        n_nodes=len(nodes),
        n_edges=len(edges),
    )
    # A lone surrogate becomes U+FFFD here rather than an error when the page is written.
    return LONE_SURROGATE.sub("\ufffd", page)


class _Built(NamedTuple):
    prepared: Any
    payload: dict[str, Any]
    node_kinds: Counter[str]
    edge_kinds: Counter[str]
    node_order: list[str]
    edge_order: list[str]
    has_activity: bool


def map_data(G: nx.Graph, *, seed: int = 0, physics: bool = False) -> dict[str, Any]:
    """Return what a page needs to draw ``G`` with vis-network: nodes, edges and options.

    The data block of :func:`render_html`, for a page that loads vis-network itself (the
    Linked Data site's neighbourhood maps share one copy of the script).

    Parameters
    ----------
    G : networkx.Graph
        As :func:`render_html`.
    seed : int, optional
        Seed of the layout computed when nodes carry no coordinates.
    physics : bool, optional
        As :func:`render_html`.

    Returns
    -------
    dict
        ``nodes`` (with ``x``, ``y``, ``group``), ``edges``, ``info`` (cards), ``edgeStyles``
        (vis-network style per edge kind, to merge into each edge), ``kindLabels``,
        ``edgeLabels`` and ``options`` (vis-network options, one group per node kind).
        Equal graphs give equal data.

    Raises
    ------
    TypeError, ValueError
        As :func:`render_html`.
    """
    return _build(G, seed=seed, physics=physics).payload


def _build(G: nx.Graph, *, seed: int, physics: bool) -> _Built:
    from pyvis.network import Network  # imported here: pyvis pulls in IPython

    prepared = prepare(G)
    node_ids, directed, edge_rows = prepared.node_ids, prepared.directed, prepared.edge_rows
    positions = layout_positions(G, node_ids, edge_rows, seed)

    net = Network(directed=directed, cdn_resources="remote", heading="")
    node_kinds = Counter(kind_of(G.nodes[nid]) for nid in node_ids)
    # vis-network groups are named by the kind's position in the sorted kinds, so no kind
    # string (even "__proto__") becomes an object key that vis-network interprets.
    kind_group = {kind: f"g{index}" for index, kind in enumerate(sorted(node_kinds))}
    for nid in node_ids:
        attrs = G.nodes[nid]
        kind = kind_of(attrs)
        record: dict[str, Any] = {
            "id": nid,
            "label": text(attrs.get("label"), nid),
            "title": text(attrs.get("title"), nid),
            "kind": kind,
            "group": kind_group[kind],
            "x": positions[nid][0],
            "y": positions[nid][1],
        }
        if attrs.get("size") is not None:
            record["size"] = finite(attrs["size"], f"size of node {nid!r}")
        net.nodes.append(record)
        net.node_ids.append(nid)
        net.node_map[nid] = record

    edge_kinds: Counter[str] = Counter()
    for index, (u, v, _key, attrs) in enumerate(edge_rows):
        kind = kind_of(attrs)
        edge_kinds[kind] += 1
        record = {"id": f"e{index}", "from": u, "to": v, "kind": kind}
        if attrs.get("title") is not None:
            record["title"] = text(attrs["title"], "")
        if attrs.get("weight") is not None:
            record["weight"] = finite(attrs["weight"], f"weight of edge {u!r}-{v!r}")
        net.edges.append(record)
    _scale_widths(net.edges)

    net.toggle_physics(physics)
    net.options.edges.smooth.enabled = False
    net.options.edges.inherit_colors(False)
    net.toggle_hide_edges_on_drag(len(net.edges) > 5000)
    nodes, edges, _heading, _height, _width, options_json = net.get_network_data()
    options = _vis_options(json.loads(options_json), kind_group, directed, seed, physics)
    has_activity = any("activity" in info for info in prepared.infos)
    if has_activity:
        # the greyed twin of each kind's group: "g3" → "g3u" (activity unknown that year).
        # vis-network keeps a property the new group does not set when a node changes
        # group, so each kind's group spells out whatever its twin sets.
        for kind, group in kind_group.items():
            base = options["groups"][group]
            base.setdefault("borderWidth", options["nodes"]["borderWidth"])
            base.setdefault("font", {}).setdefault("color", options["nodes"]["font"]["color"])
            base.setdefault("shapeProperties", {}).setdefault("borderDashes", False)
            options["groups"][f"{group}u"] = vis_unknown_activity_style(kind)

    node_order = legend_order(node_kinds, "node")
    edge_order = legend_order(edge_kinds, "edge")
    payload: dict[str, Any] = {
        "nodes": nodes,
        "edges": edges,
        "info": [info_json(info) for info in prepared.infos],
        "edgeStyles": {kind: vis_edge_style(kind) for kind in sorted(edge_kinds)},
        "kindLabels": [[kind, node_style(kind)["label"]] for kind in node_order],
        "edgeLabels": [[kind, edge_style(kind)["label"]] for kind in edge_order],
        "options": options,
    }
    return _Built(prepared, payload, node_kinds, edge_kinds, node_order, edge_order, has_activity)


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


# --------------------------------------------------------------------------- helpers


def _relative_href(path: Path) -> str:
    """Return the URL of a file in the same folder, percent-encoded."""
    return urllib.parse.quote(path.name)


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


def _vis_options(
    base: dict[str, Any], kind_group: dict[str, str], directed: bool, seed: int, physics: bool
) -> dict[str, Any]:
    """Extend pyvis' options with our groups (one per node kind), fonts and interaction."""
    options = dict(base)
    options["autoResize"] = True
    options["layout"] = {"randomSeed": seed, "improvedLayout": False}
    options["groups"] = {group: vis_node_style(kind) for kind, group in kind_group.items()}
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
