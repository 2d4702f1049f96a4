"""A graph's nodes and edges checked and put in output order, before any HTML is written.

:func:`prepare` sorts nodes and edges (so the same graph gives the same bytes whatever
order it was built in) and checks the display attributes the renderers read: each node's
``card``, ``themes``, ``years``, ``activity`` and ``aliases``. Bad values raise
:class:`ValueError` (or :class:`TypeError` for a node that is not a string) before
anything is written.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx

__all__ = [
    "ACTIVITY_OUTCOMES",
    "LONE_SURROGATE",
    "Prepared",
    "finite",
    "format_number",
    "info_json",
    "kind_of",
    "prepare",
    "text",
    "title_and_description",
]

#: A lone surrogate (possible in a Python str, impossible in UTF-8): written as U+FFFD.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
#: The outcomes of "active in year Y" a node's ``activity`` may give (the rule itself is
#: decided upstream, before the map: ``ontology/README.md``, "Active in a year").
ACTIVITY_OUTCOMES = ("active", "inactive", "unknown")
#: Card links must be absolute http(s) URLs without spaces or control characters.
_SAFE_URL = re.compile(r"https?://[^\s\x00-\x1f\x7f]+", re.IGNORECASE)


@dataclass
class Prepared:
    """A graph's nodes and edges in output order, with their cards and facets checked."""

    node_ids: list[str]
    index: dict[str, int]
    directed: bool
    edge_rows: list[tuple[str, str, str, Mapping[str, Any]]]
    #: per node (same order): ``card`` (name, summary, fields with node links as
    #: indices), ``themes``, ``years``, ``aliases``, ``activity`` (year as a string →
    #: [outcome, reason]) — each only when given
    infos: list[dict[str, Any]]
    theme_values: list[str]
    year_values: list[int]


def prepare(G: nx.Graph) -> Prepared:
    """Sort a graph's nodes and edges and check the display attributes of its nodes.

    Parameters
    ----------
    G : networkx.Graph
        Any networkx graph class, with the node attributes described in
        :func:`igfgraph.maps.render_html`.

    Returns
    -------
    Prepared
        Nodes sorted by id, edges by their ends (and key), each node's checked card and
        facets, and the theme and year values of the filter menu.

    Raises
    ------
    TypeError
        If a node is not a string.
    ValueError
        If a ``card`` is not a mapping of the documented shape, ``themes``, ``years`` or
        ``aliases`` not a list, a year not an integer, or ``activity`` not a mapping of
        years to one of :data:`ACTIVITY_OUTCOMES` (or an ``(outcome, reason)`` pair).
    """
    node_ids = sorted(G.nodes, key=_node_key)
    index = {nid: i for i, nid in enumerate(node_ids)}
    directed = G.is_directed()
    edge_rows = _sorted_edges(G, directed)
    infos = [_node_info(G.nodes[nid], nid, index) for nid in node_ids]
    themes = {t for info in infos for t in info.get("themes", ())}
    years = {y for info in infos for y in info.get("years", ())}
    years |= {int(y) for info in infos for y in info.get("activity", ())}
    return Prepared(
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
    label = text(attrs.get("label"), nid)
    if attrs.get("card") is not None:
        info["card"] = _card(attrs["card"], nid, label, index)
    if attrs.get("themes") is not None:
        info["themes"] = sorted({str(t) for t in _iterable(attrs["themes"], "themes", nid)})
    if attrs.get("years") is not None:
        info["years"] = sorted({_year(y, nid) for y in _iterable(attrs["years"], "years", nid)})
    if attrs.get("aliases") is not None:
        info["aliases"] = sorted({str(a) for a in _iterable(attrs["aliases"], "aliases", nid)})
    if attrs.get("activity") is not None:
        info["activity"] = _activity(attrs["activity"], nid)
    if attrs.get("region"):
        info["region"] = text(attrs["region"], "")
    return info


def _activity(raw: object, nid: str) -> dict[str, list[str]]:
    """Check a node's activity per year; return ``{"2021": [outcome, reason]}`` (JSON keys)."""
    if not isinstance(raw, Mapping):
        msg = f"activity of node {nid!r} must be a mapping of year to outcome, got {raw!r}"
        raise ValueError(msg)
    out: dict[int, list[str]] = {}
    for year, value in raw.items():
        if isinstance(value, str):
            outcome, reason = value, ""
        elif isinstance(value, Sequence) and len(value) == 2:
            outcome, reason = value
        else:
            outcome, reason = getattr(value, "outcome", None), getattr(value, "reason", "")
        if str(outcome) not in ACTIVITY_OUTCOMES:
            msg = (
                f"activity of node {nid!r} in {year!r} must be one of "
                f"{', '.join(ACTIVITY_OUTCOMES)} (or an (outcome, reason) pair), got {value!r}"
            )
            raise ValueError(msg)
        out[_year(year, nid)] = [str(outcome), text(reason, "")]
    return {str(year): out[year] for year in sorted(out)}


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
        "name": text(raw.get("name"), label),
        "summary": text(raw.get("summary"), ""),
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
            card["fields"].append([text(field, ""), out])
    return card


def _card_item(item: object, index: Mapping[str, int]) -> dict[str, Any]:
    if not isinstance(item, Mapping):
        return {"t": text(item, "")}
    record: dict[str, Any] = {"t": text(item.get("text"), "")}
    href, node = item.get("href"), item.get("node")
    if isinstance(href, str) and _SAFE_URL.fullmatch(href):
        record["h"] = href
    elif isinstance(node, str) and node in index:
        record["n"] = index[node]
    return record


def info_json(info: Mapping[str, Any]) -> dict[str, Any] | None:
    """Return a node's checked card and facets as the page's data carries them (or None)."""
    return dict(info) if info else None


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


def kind_of(attrs: Mapping[str, Any]) -> str:
    """Return the ``kind`` attribute of a node or edge as a string (``""`` when missing)."""
    kind = attrs.get("kind")
    return "" if kind is None else str(kind)


def text(value: object, default: str) -> str:
    """Return ``value`` as a string, or ``default`` when it is ``None``."""
    return default if value is None else str(value)


def finite(value: object, what: str) -> int | float:
    """Return a finite int or float, or raise ValueError naming ``what`` (bools refused)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        msg = f"{what} must be a number, got {value!r}"
        raise ValueError(msg)
    number = int(value) if isinstance(value, numbers.Integral) else float(value)
    if not math.isfinite(number):
        msg = f"{what} must be finite, got {value!r}"
        raise ValueError(msg)
    return number


def format_number(value: float) -> str:
    """Write a number for a table cell: ``%g`` for floats, as is for integers."""
    return f"{value:g}" if isinstance(value, float) else str(value)


def title_and_description(
    G: nx.Graph, title: str | None, description: str | None
) -> tuple[str, str]:
    """Return the page's title and description: as given, else from ``G.graph``."""
    if title is None:
        title = G.graph.get("title") or "igfgraph map"
    if description is None:
        description = G.graph.get("description")
    return text(title, ""), text(description, "")
