"""The accessible alternative of a map: its nodes and links as HTML tables.

The page (``templates/table.html``, Jinja2 with autoescape on) works without JavaScript;
a small inline script (``static/table.js``, allowed by hash like the map's) adds sort
buttons to the column headings and a row filter.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

import networkx as nx
from markupsafe import Markup

from igfgraph.activity import year_ranges
from igfgraph.maps.assets import content_security_policy, static_text, template
from igfgraph.maps.prepare import (
    LONE_SURROGATE,
    Prepared,
    finite,
    format_number,
    kind_of,
    prepare,
    text,
    title_and_description,
)
from igfgraph.maps.style import edge_style, legend_order, node_style

__all__ = ["CELL_ITEMS", "render_table_html"]

#: A node-table cell lists this many items at most; the rest are in the row's card.
CELL_ITEMS = 5


def render_table_html(
    G: nx.Graph,
    *,
    title: str | None = None,
    description: str | None = None,
    map_href: str | None = None,
) -> str:
    """Render the accessible alternative of a map: its nodes and links as HTML tables.

    The node table has one row per node and the same columns for every map: name,
    kind, acronym, years, themes, liaisons, sources (a cell lists at most
    :data:`CELL_ITEMS` items, then says how many more the card has), and the node's
    full card (summary, every card field, the nodes it is linked to on the map, id)
    behind a disclosure (``details``) that opens on demand. Acronym, themes, liaisons
    and sources are the card fields labelled ``Acronym``, ``Themes``, ``Liaisons`` and
    ``Sources``; years are the node's ``years`` written as ranges (with ``activity``,
    the years it is active in, and its card lists the years of each outcome). A second
    table lists every link (from, to, kind, details, weight). The page works without
    JavaScript; a small inline script (allowed by hash, like the map's) adds sort
    buttons to the column headings (years sort by their first year), a row filter, and
    opens the card of the row a link points to. Kinds are written out in words. Nothing
    is loaded from the network.

    Parameters
    ----------
    G : networkx.Graph
        The same graph as given to :func:`igfgraph.maps.render_html` (same attributes).
    title : str, optional
        Title of the map; the page is titled "*title* — table". Default as
        :func:`igfgraph.maps.render_html`.
    description : str, optional
        Plain text shown under the heading. Default as :func:`igfgraph.maps.render_html`.
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
        As :func:`igfgraph.maps.render_html`.
    """
    prepared = prepare(G)
    title_text, description_text = title_and_description(G, title, description)
    node_kinds = Counter(kind_of(G.nodes[nid]) for nid in prepared.node_ids)
    edge_kinds = Counter(kind_of(attrs) for *_, attrs in prepared.edge_rows)
    node_rank = {kind: i for i, kind in enumerate(legend_order(node_kinds, "node"))}
    edge_rank = {kind: i for i, kind in enumerate(legend_order(edge_kinds, "edge"))}
    labels = [text(G.nodes[nid].get("label"), nid) for nid in prepared.node_ids]
    names = [
        info["card"]["name"] if info.get("card") else labels[i]
        for i, info in enumerate(prepared.infos)
    ]

    neighbours = _neighbour_lists(prepared, names)
    rows = []
    for i, nid in enumerate(prepared.node_ids):
        attrs = G.nodes[nid]
        info = prepared.infos[i]
        card = info.get("card", {})
        fields = [
            (label, [_table_item(item) for item in items])
            for label, items in card.get("fields", [])
        ]
        by_label = dict(fields)
        summary = card.get("summary", "")
        if not card:
            tooltip = text(attrs.get("title"), nid)
            summary = "" if tooltip in (labels[i], nid) else tooltip
        activity = info.get("activity")
        if activity is not None:
            years = [int(y) for y, (outcome, _reason) in activity.items() if outcome == "active"]
            fields.append(("Activity by year", _activity_items(activity)))
        else:
            years = info.get("years", [])
        rows.append(
            {
                "anchor": f"n{i}",
                "name": names[i],
                "kind": node_style(kind_of(attrs))["label"],
                "acronym": by_label.get("Acronym", []),
                "years": year_ranges(years),
                "years_sort": years[0] if years else "",
                "themes": by_label.get("Themes", []),
                "liaisons": by_label.get("Liaisons", []),
                "sources": by_label.get("Sources", []),
                "summary": summary,
                "fields": fields,
                "links": neighbours[i],
                "id": nid,
                "order": (node_rank[kind_of(attrs)], names[i].casefold(), names[i], i),
            }
        )
    rows.sort(key=lambda row: row["order"])

    index = prepared.index
    links = []
    for position, (u, v, _key, attrs) in enumerate(prepared.edge_rows):
        kind = kind_of(attrs)
        weight = attrs.get("weight")
        links.append(
            {
                "anchor": f"e{position}",
                "from": (f"n{index[u]}", names[index[u]]),
                "to": (f"n{index[v]}", names[index[v]]),
                "kind": edge_style(kind)["label"],
                "title": text(attrs.get("title"), ""),
                "weight": "" if weight is None else format_number(finite(weight, "weight")),
                "order": (edge_rank[kind], names[index[u]].casefold(), names[index[v]].casefold()),
            }
        )
    links.sort(key=lambda link: (link["order"], link["anchor"]))
    has_weights = any(link["weight"] for link in links)

    table_js = static_text("table.js")
    page = template("table.html").render(
        title=title_text,
        description=description_text,
        map_href=map_href,
        rows=rows,
        links=links,
        cell_items=CELL_ITEMS,
        has_weights=has_weights,
        directed=prepared.directed,
        table_css=Markup(static_text("table.css")),
        table_js=Markup(table_js),
        csp=content_security_policy(table_js),
    )
    return LONE_SURROGATE.sub("\ufffd", page)


def _activity_items(activity: Mapping[str, list[str]]) -> list[dict[str, Any]]:
    """Return the card's "Activity by year" items: the years of each outcome, as ranges."""
    items = []
    for outcome, words in (
        ("active", "active"),
        ("unknown", "activity unknown"),
        ("inactive", "inactive"),
    ):
        years = [int(y) for y, (found, _reason) in activity.items() if found == outcome]
        if years:
            items.append(
                {"text": f"{words}: {year_ranges(years)}", "href": None, "external": False}
            )
    return items


def _table_item(item: Mapping[str, Any]) -> dict[str, Any]:
    """Return a card item as the table writes it: text, and an external or in-page link."""
    if "h" in item:
        return {"text": item["t"] or item["h"], "href": item["h"], "external": True}
    if "n" in item:
        return {"text": item["t"], "href": f"#n{item['n']}", "external": False}
    return {"text": item["t"], "href": None, "external": False}


def _neighbour_lists(prepared: Prepared, labels: list[str]) -> list[list[dict[str, Any]]]:
    """For each node, the nodes it is linked to, grouped by link kind (legend label)."""
    grouped: list[dict[str, set[int]]] = [{} for _ in prepared.node_ids]
    index = prepared.index
    for u, v, _key, attrs in prepared.edge_rows:
        label = edge_style(kind_of(attrs))["label"]
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
