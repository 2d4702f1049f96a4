"""Interactive maps: a networkx graph drawn as one self-contained, offline HTML page.

The package only renders: it takes a :class:`networkx.Graph` whose nodes and edges carry
display attributes (``label``, ``kind``, ``title``, ``card`` …, see :func:`render_html`)
and writes HTML. It knows nothing about RDF and computes no analysis; the views
(:mod:`igfgraph.views`) build the graphs.

Modules, one job each:

* :mod:`~igfgraph.maps.style` — the style table of node and edge kinds, legend glyphs;
* :mod:`~igfgraph.maps.prepare` — a graph's nodes and edges checked and sorted;
* :mod:`~igfgraph.maps.layout` — seeded positions when the nodes carry none;
* :mod:`~igfgraph.maps.render` — the map page (:func:`render_html`) and the writers
  (:func:`write_html`, :func:`write_view`);
* :mod:`~igfgraph.maps.table` — the accessible table beside the map
  (:func:`render_table_html`);
* :mod:`~igfgraph.maps.notebook` — a map inline in a notebook (:func:`show`);
* :mod:`~igfgraph.maps.assets` — the Jinja2 templates (``templates/``), scripts and
  styles (``static/``) and the Content-Security-Policy hashes computed from them.
"""

from __future__ import annotations

from igfgraph.maps.notebook import NotebookView, show
from igfgraph.maps.render import (
    ViewFiles,
    map_data,
    render_html,
    table_path,
    write_html,
    write_view,
)
from igfgraph.maps.style import STYLE, edge_style, node_style
from igfgraph.maps.table import render_table_html

__all__ = [
    "STYLE",
    "NotebookView",
    "ViewFiles",
    "edge_style",
    "map_data",
    "node_style",
    "render_html",
    "render_table_html",
    "show",
    "table_path",
    "write_html",
    "write_view",
]
