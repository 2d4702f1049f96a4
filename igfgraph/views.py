"""Map views: networkx graphs ready for :mod:`igfgraph.maps`, built from the RDF graph.

A view decides *what* is shown (nodes, edges, tooltips, node cards, filter values);
:mod:`igfgraph.maps` decides *how* (style table, layout, offline HTML).

* :func:`landscape_view` — every body, coloured and shaped by kind, sized by a
  centrality on recorded links; liaisons and coordination solid, liaison gaps and links
  recommended but not recorded dashed; NRIs grouped per UN regional group.
* :func:`themes_view` — the body × theme bipartite graph.
* :func:`overlap_view` — bodies joined by their thematic overlap (Jaccard, thresholded).
* :func:`gaps_view` — the top-N liaison gaps with the themes each pair shares.
* :func:`ego_view` — one body, its neighbours within k hops on recorded links, its
  themes and outputs.

Every node carries a ``card`` (name, acronym, years, themes, liaisons, relations,
outputs, sources as links …), ``themes`` and ``years`` for the filters and ``aliases``
for the search box. Views larger than ``max_nodes`` are aggregated with
:func:`aggregate` so the browser never has to draw more than about 2,000 nodes.
"""

from __future__ import annotations

import math
import weakref
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import pandas as pd
import pyoxigraph as ox
from rdflib import Graph

from igfgraph.activity import Activity, Verdict, year_ranges
from igfgraph.analysis.gaps import find_gaps
from igfgraph.analysis.graphs import model_of
from igfgraph.analysis.network import betweenness, communities
from igfgraph.analysis.networks import centrality_network, collaboration_network, theme_network
from igfgraph.analysis.overlap import theme_overlap
from igfgraph.evidence import evidence_label, parse_evidence
from igfgraph.ids import local_name, year_of
from igfgraph.kinds import KINDS
from igfgraph.kinds import NRI_KINDS as _NRI_KINDS
from igfgraph.model import ReadModel
from igfgraph.resolve import Resolver

__all__ = [
    "CENTRALITIES",
    "CROSS_REGIONAL",
    "KIND_NAMES",
    "LINK_PREDICATES",
    "MAX_NODES",
    "NRI_KINDS",
    "VIEWS",
    "aggregate",
    "ego_view",
    "gaps_view",
    "landscape_view",
    "overlap_view",
    "resolve_node",
    "themes_view",
]

#: bodies.kind → the IGF's own name for that kind of body (igfgraph/kinds.py), and the
#: other kinds of node the views draw
KIND_NAMES = {
    **{k: v.label for k, v in KINDS.items()},
    "theme": "Theme",
    "output": "Output",
    "nri-group": "NRIs of one UN regional group",
}

NRI_KINDS = frozenset(_NRI_KINDS)
CROSS_REGIONAL = "https://w3id.org/igfgraph/id/region/cross-regional"
#: Views with more nodes than this are aggregated (:func:`aggregate`).
MAX_NODES = 2000
#: Centralities the landscape can size its nodes by.
CENTRALITIES = ("degree", "betweenness")

#: Recorded links between bodies (and modalities, UN processes, instruments): the
#: edges of the ego view and of the landscape's centrality. Predicate → (how the subject
#: reads it, how the object reads it).
LINK_PREDICATES: dict[str, tuple[str, str]] = {
    "liaisesWith": ("liaises with", "liaises with"),
    "coordinates": ("coordinates", "coordinated by"),
    "accredits": ("accredits", "accredited by"),
    "supports": ("supports", "supported by"),
    "hosts": ("hosts", "hosted by"),
    "appoints": ("appoints", "appointed by"),
    "establishes": ("established", "established by"),
    "succeeds": ("succeeds", "succeeded by"),
    "mergedInto": ("merged into", "absorbed"),
    "unitOf": ("unit of", "has as unit"),
    "mandates": ("mandates", "mandated by"),
    "convenes": ("convenes", "convened by"),
    "recognises": ("recognises", "recognised by"),
    "isPartOf": ("part of", "includes"),
}
_PREDICATE_IRIS = {
    "unitOf": "http://www.w3.org/ns/org#unitOf",
    "isPartOf": "http://purl.org/dc/terms/isPartOf",
}
_IGF = "https://w3id.org/igfgraph/ontology#"
_GROUP_PREFIX = "urn:igfgraph:group:"
_LIST_LIMIT = 8  # items per field in a tooltip (the card lists them all)

# --------------------------------------------------------------------------- the catalog


@dataclass
class _Catalog:
    """Everything the views draw, taken from the read model once."""

    model: ReadModel
    B: nx.Graph
    L: nx.Graph
    #: the one centrality network (:func:`igfgraph.analysis.centrality_network`)
    network: nx.Graph
    #: body / modality / process / instrument IRI → kind, name, label, acronym, summary, id
    entities: dict[str, dict[str, str]]
    #: theme IRI → label, definition, broader (list of labels)
    themes: dict[str, dict[str, Any]]
    #: (body, theme) → "stated" / "curated" (modalities included)
    focus: dict[tuple[str, str], str]
    #: (a, b, kind, start, end) with a < b; parties may be modalities
    liaisons: list[tuple[str, str, str, str, str]]
    #: (subject, predicate local name, object)
    relations: list[tuple[str, str, str]]
    sources: dict[str, list[tuple[str, str]]]
    #: output IRI → title, type, issued, url, creators (sorted list)
    outputs: dict[str, dict[str, Any]]
    established: dict[str, int]
    ended: dict[str, int]
    active: dict[str, set[int]]
    #: node → [(register title, register date or "")]
    listings: dict[str, list[tuple[str, str]]]
    other_names: dict[str, list[str]]
    homepages: dict[str, list[str]]
    #: recommendation IRI → (title, sorted parties)
    recommendations: dict[str, tuple[str, list[str]]]

    def gaps(self, **kwargs) -> pd.DataFrame:
        """Liaison gaps as ``igfgraph gaps`` computes them (:func:`igfgraph.analysis.find_gaps`)."""
        return find_gaps(self.model, evidence=self.L.graph["evidence"], **kwargs)

    #: NRI → (group IRI, group label)
    groups: dict[str, tuple[str, str]]
    areas: dict[str, list[str]]
    last_year: int
    #: the years the map's year filter offers: the annual meetings' first year to the last
    first_year: int = 0
    links: nx.Graph = field(default_factory=nx.Graph)
    #: the one resolver over the bodies' names (built on first use, :func:`_resolve`)
    resolver: Resolver | None = field(default=None, repr=False, compare=False)

    def kind(self, node: str) -> str:
        """Return the kind of a node (``"theme"``, ``"output"`` or an entity's kind)."""
        if node in self.entities:
            return self.entities[node]["kind"]
        if node in self.themes:
            return "theme"
        if node in self.outputs:
            return "output"
        return ""

    def label(self, node: str) -> str:
        """Return the short label of a node (acronym, else name)."""
        if node in self.entities:
            return self.entities[node]["label"]
        if node in self.themes:
            return self.themes[node]["label"]
        if node in self.outputs:
            return self.outputs[node]["title"]
        return node.rsplit("/", 1)[-1]

    def liaised(self, a: str, b: str) -> bool:
        """Return whether a liaison between ``a`` and ``b`` is recorded."""
        return self.links.has_edge(a, b) and "liaisesWith" in self.links.edges[a, b]["predicates"]


#: the last catalog made from a read model: (weak reference to the model, evidence, catalog).
#: The site draws an ego view for each of its ~250 bodies from one model; the catalog
#: (and its resolver) is taken from the model once for all of them.
_LAST_CATALOG: list[Any] = []


def _catalog(
    source: ReadModel | Graph | ox.Store, evidence: Iterable[str] | None = None
) -> _Catalog:
    counted = parse_evidence(evidence)
    if isinstance(source, ReadModel) and _LAST_CATALOG:
        ref, last_counted, cat = _LAST_CATALOG
        if ref() is source and last_counted == counted:
            return cat
    cat = _make_catalog(source, counted)
    if isinstance(source, ReadModel):
        _LAST_CATALOG[:] = [weakref.ref(source), counted, cat]
    return cat


def _make_catalog(source: ReadModel | Graph | ox.Store, counted) -> _Catalog:
    model = model_of(source)
    entities = {
        b.iri: {
            "kind": b.kind,
            "name": b.name,
            "label": b.label,
            "acronym": b.acronym,
            "summary": b.summary,
            "id": b.id,
        }
        for b in model.bodies.values()
    }
    themes = {
        t.iri: {
            "label": t.label,
            "definition": t.definition,
            "broader": [model.themes[t.broader].label] if t.broader in model.themes else [],
        }
        for t in model.themes.values()
    }
    focus = {(f.body, f.theme): f.basis for f in model.focus}
    liaisons = sorted(
        {
            (
                c.a,
                c.b,
                c.kind_label or "liaison",
                "" if c.first_year is None else str(c.first_year),
                "" if c.end_year is None else str(c.end_year),
            )
            for c in model.collaborations_with(counted)
        }
    )
    relations = sorted({(r.subject, r.predicate, r.object) for r in model.relations})
    sources = {
        node: sorted({(s.title, s.url) for s in model.sources_of(node)}) for node in model.cited
    }
    outputs = {
        o.iri: {
            "title": o.title,
            "type": o.type,
            "issued": o.issued_text,
            "url": o.url,
            "creators": list(o.creators),
        }
        for o in model.outputs
        if o.creators
    }
    established = {b.iri: b.established for b in model.bodies.values() if b.established}
    ended = {b.iri: b.ended for b in model.bodies.values() if b.ended}
    active = {b.iri: set(b.evidence.cycles) for b in model.bodies.values() if b.evidence.cycles}
    listings: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for x in model.listings:
        if x.status == "listed":
            listings[x.body].append((x.title, x.date))
    seen_years = {m.year for m in model.meetings.values()}
    seen_years |= set(established.values()) | set(ended.values())
    seen_years |= {y for years in active.values() for y in years}
    seen_years |= {x.year for x in model.listings if x.status == "listed" and x.year is not None}
    other_names = {b.iri: sorted({n for _t, n in b.other_names}) for b in model.bodies.values()}
    other_names.update({t.iri: sorted(t.other_labels) for t in model.themes.values()})
    groups = {
        b.iri: (b.regional_group, b.group_label)
        if b.regional_group
        else (CROSS_REGIONAL, "cross-regional or no UN group")
        for b in model.bodies.values()
        if b.kind in NRI_KINDS
    }
    cat = _Catalog(
        model=model,
        B=theme_network(model),
        L=collaboration_network(model, counted),
        network=centrality_network(model, counted),
        entities=entities,
        themes=themes,
        focus=focus,
        liaisons=liaisons,
        relations=relations,
        sources=sources,
        outputs=outputs,
        established=established,
        ended=ended,
        active=active,
        listings={k: sorted(v, key=lambda x: (x[1] or "9999", x[0])) for k, v in listings.items()},
        other_names={k: v for k, v in other_names.items() if v},
        homepages={b.iri: [b.homepage] for b in model.bodies.values() if b.homepage},
        recommendations={
            r.iri: (r.title, sorted(p.iri for p in r.parties)) for r in model.recommendations
        },
        groups=groups,
        areas={b.iri: list(b.areas) for b in model.bodies.values() if b.areas},
        last_year=max(seen_years) if seen_years else 0,
        first_year=min((m.year for m in model.meetings.values()), default=0),
    )
    links = nx.Graph()
    links.add_nodes_from(sorted(entities))
    for a, b, *_ in liaisons:
        _add_link(links, a, "liaisesWith", b)
    for s, p, o in relations:
        _add_link(links, s, p, o)
    cat.links = links
    return cat


def _add_link(links: nx.Graph, s: str, predicate: str, o: str) -> None:
    if s == o or s not in links or o not in links:
        return
    if not links.has_edge(s, o):
        links.add_edge(s, o, predicates=set(), triples=set())
    links.edges[s, o]["predicates"].add(predicate)
    links.edges[s, o]["triples"].add((s, predicate, o))


# --------------------------------------------------------------------------- cards


def _verdicts(cat: _Catalog, node: str) -> dict[int, Verdict]:
    """Return the one rule's verdict (:mod:`igfgraph.activity`) for each year of the map.

    Empty for a node that is not a body or when the data has no dated years.
    """
    body = cat.model.bodies.get(node)
    if body is None or not cat.first_year:
        return {}
    return {y: body.activity(y) for y in range(cat.first_year, cat.last_year + 1)}


def _activity_years(cat: _Catalog, node: str) -> tuple[list[int], list[int]]:
    """Years (of the map's range) a node was active, and years its activity is unknown.

    The map's year filter shows active nodes, greys those of unknown activity and hides
    inactive ones (it reads the ``activity`` attribute: :func:`_activity_attr`).
    """
    verdicts = _verdicts(cat, node)
    active = [y for y, v in verdicts.items() if v.outcome is Activity.ACTIVE]
    unknown = [y for y, v in verdicts.items() if v.outcome is Activity.UNKNOWN]
    return active, unknown


def _activity_attr(verdicts: dict[int, Verdict]) -> dict[int, tuple[str, str]]:
    """Return the map's ``activity`` attribute: ``{year: (outcome, reason)}``."""
    return {y: (v.outcome.value, v.reason) for y, v in verdicts.items()}


def _group_verdicts(cat: _Catalog, nris: list[str]) -> dict[int, Verdict]:
    """Return a group's verdict per year: active if a member is, else unknown if one is."""
    per_member = [_verdicts(cat, n) for n in nris]
    years = sorted({y for v in per_member for y in v})
    out: dict[int, Verdict] = {}
    for y in years:
        outcomes = Counter(v[y].outcome for v in per_member if y in v)
        n = len(nris)
        if outcomes[Activity.ACTIVE]:
            out[y] = Verdict(Activity.ACTIVE, f"{outcomes[Activity.ACTIVE]} of {n} active")
        elif outcomes[Activity.UNKNOWN]:
            reason = f"none known active; {outcomes[Activity.UNKNOWN]} of {n} unknown"
            out[y] = Verdict(Activity.UNKNOWN, reason)
        else:
            out[y] = Verdict(Activity.INACTIVE, f"none of {n} active")
    return out


def _years_of(cat: _Catalog, node: str) -> list[int]:
    """Years a node was active (:func:`_activity_years`)."""
    return _activity_years(cat, node)[0]


def _item(text: str, *, node: str | None = None, href: str | None = None) -> dict[str, str]:
    item = {"text": text}
    if node is not None:
        item["node"] = node
    if href:
        item["href"] = href
    return item


def _sources_field(cat: _Catalog, node: str) -> list[dict[str, str]]:
    return [_item(title, href=url or None) for title, url in cat.sources.get(node, ())]


def _entity_card(
    cat: _Catalog,
    node: str,
    drawn: Callable[[str], str],
    extra: list[tuple[str, list[Any]]] | None = None,
) -> dict[str, Any]:
    """Build the card of a body, modality, process or instrument.

    ``drawn(iri)`` gives the map node that stands for ``iri`` (itself, its NRI group…);
    card links point there.
    """
    entity = cat.entities[node]
    fields: list[tuple[str, list[Any]]] = []
    if entity["acronym"]:
        fields.append(("Acronym", [entity["acronym"]]))
    others = [n for n in cat.other_names.get(node, ()) if n != entity["acronym"]]
    if others:
        fields.append(("Other and former names", others))
    years: list[str] = []
    if node in cat.established:
        years.append(f"established {cat.established[node]}")
    if node in cat.ended:
        years.append(f"ended {cat.ended[node]}")
    if cat.active.get(node):
        years.append(f"yearly cycles {year_ranges(cat.active[node])}")
    for title, date in cat.listings.get(node, ()):
        years.append(f"listed in {title}" + (f" ({date})" if date else ""))
    if years:
        fields.append(("Years", years))
    active, unknown = _activity_years(cat, node)
    activity = [f"active {year_ranges(active)}"] if active else []
    activity += [f"activity unknown {year_ranges(unknown)}"] if unknown else []
    if activity:
        fields.append(("Activity (IGF years)", activity))
    if node in cat.groups:
        group, label = cat.groups[node]
        fields.append(("UN regional group", [_item(label, node=drawn(group))]))
    if cat.areas.get(node):
        fields.append(("Serves", cat.areas[node]))
    themes = sorted(
        ((t, basis) for (b, t), basis in cat.focus.items() if b == node),
        key=lambda tb: cat.themes[tb[0]]["label"].casefold() if tb[0] in cat.themes else tb[0],
    )
    if node in cat.B or themes:
        fields.append(
            (
                "Themes",
                [
                    _item(
                        cat.label(t) + (" (curated)" if basis == "curated" else ""),
                        node=drawn(t),
                    )
                    for t, basis in themes
                ]
                or ["none recorded"],
            )
        )
    liaisons = []
    for a, b, kind, start, end in cat.liaisons:
        if node not in (a, b):
            continue
        other = b if a == node else a
        when = f"{start}–{end}" if start and end else f"since {start}" if start else end
        text = f"{cat.label(other)} ({kind}" + (f", {when})" if when else ")")
        liaisons.append((cat.label(other).casefold(), text, drawn(other)))
    if liaisons:
        fields.append(("Liaisons", [_item(text, node=n) for _k, text, n in sorted(liaisons)]))
    relations = []
    for s, p, o in cat.relations:
        if p not in LINK_PREDICATES or node not in (s, o):
            continue
        as_subject, as_object = LINK_PREDICATES[p]
        other, verb = (o, as_subject) if s == node else (s, as_object)
        relations.append((verb, cat.label(other).casefold(), f"{verb} {cat.label(other)}", other))
    if relations:
        fields.append(
            ("Relations", [_item(text, node=drawn(o)) for *_k, text, o in sorted(relations)])
        )
    recommended = []
    for title, parties in cat.recommendations.values():
        if node not in parties:
            continue
        for other in parties:
            if other != node:
                status = "liaison recorded" if cat.liaised(node, other) else "no liaison recorded"
                recommended.append(
                    (
                        cat.label(other).casefold(),
                        title,
                        f"with {cat.label(other)}: \u201c{title}\u201d ({status})",
                        other,
                    )
                )
    if recommended:
        fields.append(
            (
                "Recommended links",
                [_item(text, node=drawn(o)) for *_k, text, o in sorted(recommended)],
            )
        )
    outputs = sorted(
        (out["issued"], out["title"], iri)
        for iri, out in cat.outputs.items()
        if node in out["creators"]
    )
    if outputs:
        fields.append(
            (
                "Outputs",
                [
                    _item(
                        title + (f" ({issued[:4]})" if issued else ""),
                        href=cat.outputs[iri]["url"] or None,
                        node=drawn(iri) if not cat.outputs[iri]["url"] else None,
                    )
                    for issued, title, iri in outputs
                ],
            )
        )
    fields += extra or []
    if cat.homepages.get(node):
        fields.append(("Homepage", [_item(url, href=url) for url in cat.homepages[node]]))
    if cat.sources.get(node):
        fields.append(("Sources", _sources_field(cat, node)))
    fields.append(("Data id", [entity["id"]]))
    return {
        "name": entity["name"],
        "summary": entity["summary"],
        "fields": fields,
        "kind_name": KIND_NAMES.get(entity["kind"], entity["kind"]),
    }


def _theme_card(
    cat: _Catalog, theme: str, bodies: Iterable[str], drawn: Callable[[str], str]
) -> dict[str, Any]:
    info = cat.themes[theme]
    fields: list[tuple[str, list[Any]]] = []
    if info["broader"]:
        fields.append(("Broader theme", info["broader"]))
    members = sorted(set(bodies), key=lambda b: (cat.label(b).casefold(), b))
    fields.append(
        (
            f"Addressed by ({len(members)})",
            [_item(cat.label(b), node=drawn(b)) for b in members] or ["no body recorded"],
        )
    )
    if cat.sources.get(theme):
        fields.append(("Sources", _sources_field(cat, theme)))
    fields.append(("Data id", [local_name(theme)]))
    return {
        "name": info["label"],
        "summary": info["definition"],
        "fields": fields,
        "kind_name": "Theme",
    }


def _output_card(cat: _Catalog, output: str, drawn: Callable[[str], str]) -> dict[str, Any]:
    out = cat.outputs[output]
    fields: list[tuple[str, list[Any]]] = []
    if out["type"]:
        fields.append(("Type", [out["type"]]))
    if out["issued"]:
        fields.append(("Issued", [out["issued"]]))
    fields.append(("Created by", [_item(cat.label(b), node=drawn(b)) for b in out["creators"]]))
    if out["url"]:
        fields.append(("Link", [_item(out["url"], href=out["url"])]))
    if cat.sources.get(output):
        fields.append(("Sources", _sources_field(cat, output)))
    fields.append(("Data id", [local_name(output)]))
    return {"name": out["title"], "summary": "", "fields": fields, "kind_name": "Output"}


def _tooltip(card: dict[str, Any]) -> str:
    """Write a short plain-text tooltip from a card: name, kind, acronym, themes, summary."""
    lines = [card["name"], card["kind_name"]]
    for label, items in card["fields"]:
        if label in ("Acronym", "Themes", "Liaisons", "Centrality") or label.startswith(
            ("Addressed by", "Initiatives", "Gap", "Overlap")
        ):
            texts = [i["text"] if isinstance(i, dict) else str(i) for i in items]
            more = f" … (+{len(texts) - _LIST_LIMIT})" if len(texts) > _LIST_LIMIT else ""
            lines.append(f"{label}: {', '.join(texts[:_LIST_LIMIT])}{more}")
    summary = card.get("summary") or ""
    if summary:
        lines += ["", summary if len(summary) <= 280 else summary[:279].rstrip() + "…"]
    lines += ["", "Click for the full card."]
    return "\n".join(lines)


def _card_attrs(card: dict[str, Any]) -> dict[str, Any]:
    """Return the node attributes the map reads from a card (``title`` and ``card``)."""
    public = {key: card[key] for key in ("name", "summary", "fields")}
    return {"title": _tooltip(card), "card": public}


def _entity_node(
    cat: _Catalog,
    node: str,
    drawn: Callable[[str], str],
    *,
    size: float,
    extra: list[tuple[str, list[Any]]] | None = None,
) -> dict[str, Any]:
    entity = cat.entities[node]
    card = _entity_card(cat, node, drawn, extra)
    attrs = {
        "label": entity["label"],
        "kind": entity["kind"],
        "size": round(size, 1),
        "aliases": _aliases(cat, node),
        **_card_attrs(card),
    }
    if node in cat.B or entity["kind"] not in ("modality", "process", "instrument"):
        attrs["themes"] = sorted(
            {cat.themes[t]["label"] for (b, t) in cat.focus if b == node and t in cat.themes}
        )
    verdicts = _verdicts(cat, node)
    attrs["years"] = [y for y, v in verdicts.items() if v.outcome is Activity.ACTIVE]
    if verdicts:
        attrs["activity"] = _activity_attr(verdicts)
    return attrs


def _aliases(cat: _Catalog, node: str) -> list[str]:
    entity = cat.entities.get(node, {})
    names = {entity.get("name", ""), entity.get("acronym", ""), entity.get("id", "")}
    return sorted(n for n in names | set(cat.other_names.get(node, ())) if n)


def _theme_node(
    cat: _Catalog, theme: str, bodies: Iterable[str], drawn: Callable[[str], str]
) -> dict[str, Any]:
    bodies = sorted(set(bodies))
    card = _theme_card(cat, theme, bodies, drawn)
    return {
        "label": cat.themes[theme]["label"],
        "kind": "theme",
        "size": 8 + 2 * min(len(bodies), 16),
        "themes": [cat.themes[theme]["label"]],
        "aliases": sorted({local_name(theme), *cat.other_names.get(theme, ())}),
        **_card_attrs(card),
    }


def _add_edge(V: nx.Graph, u: str, v: str, kind: str, title: str, **attrs: Any) -> None:
    """Add an edge unless a drawn one joins the pair: then add its text to that edge's."""
    if u == v or u not in V or v not in V:
        return
    if V.has_edge(u, v):
        edge = V.edges[u, v]
        if title not in edge["title"].split("\n"):
            edge["title"] += "\n" + title
        return
    V.add_edge(u, v, kind=kind, title=title, **attrs)


def _same(node: str) -> str:
    return node


def _bodies_of_theme(cat: _Catalog, theme: str) -> list[str]:
    return sorted(b for b in cat.B[theme] if b in cat.entities) if theme in cat.B else []


def _relation_title(cat: _Catalog, triples: Iterable[tuple[str, str, str]]) -> str:
    return "\n".join(
        f"{cat.label(s)} {LINK_PREDICATES[p][0]} {cat.label(o)}" for s, p, o in sorted(triples)
    )


def _liaison_title(cat: _Catalog, a: str, b: str, kind: str, start: str, end: str) -> str:
    when = f", {start}–{end}" if start and end else f", since {start}" if start else ""
    return f"Liaison: {cat.label(a)} – {cat.label(b)} ({kind}{when})"


# --------------------------------------------------------------------------- views


def landscape_view(
    source: ReadModel | Graph | ox.Store,
    *,
    top_gaps: int | None = 20,
    min_overlap: float = 0.25,
    max_hops: int = 1,
    centrality: str = "degree",
    max_nodes: int = MAX_NODES,
    evidence: Iterable[str] | None = None,
) -> nx.Graph:
    """Build the landscape view: every body, its themes, liaisons, coordination and gaps.

    National, regional and youth IGFs (NRIs) are drawn as one node per UN regional
    group (``kind="nri-group"``; cross-regional initiatives share one node), so the map
    stays readable with 160+ initiatives; their liaisons are drawn to their group.

    Parameters
    ----------
    source : rdflib.Graph or pyoxigraph.Store
        The built graph.
    top_gaps : int or None, default 20
        How many of the strongest liaison gaps to draw as dashed edges (``None``: all).
    min_overlap : float, default 0.25
        Jaccard threshold of the gaps drawn.
    max_hops : int, default 1
        Liaison distance within which a pair is not a gap.
    centrality : {"degree", "betweenness"}, default "degree"
        What sizes the bodies: their centrality on the one centrality network
        (:func:`igfgraph.analysis.centrality_network`, as ``igfgraph centrality`` and
        ``centrality.csv``), normalised as in networkx; each node keeps the value as
        ``centrality``. An NRI group is sized by its group centrality (Everett and
        Borgatti).
    max_nodes : int, default :data:`MAX_NODES`
        Aggregate the view (:func:`aggregate`) when it has more nodes than this.

    evidence : iterable of str, optional
        Liaison evidence types drawn and counted (:func:`igfgraph.evidence.parse_evidence`;
        default stated, co-organised, co-authored); the description names them.

    Returns
    -------
    networkx.Graph
        Nodes: every ``igf:Body`` other than an NRI, one node per UN regional group of
        NRIs, every theme some body addresses, and every modality named by a
        recommendation whose pair has no recorded liaison. Each has ``label``, ``kind``,
        ``size``, ``title`` (plain-text tooltip) and ``card`` (name, acronym, years,
        themes, liaisons, relations, recommended links, outputs, centrality, sources as
        links), plus ``themes``, ``years`` (active, by :mod:`igfgraph.activity`),
        ``activity`` (``{year: (outcome, reason)}`` for every year of the map, by the
        same rule: the year filter hides inactive nodes and greys unknown ones) and
        ``aliases`` for the filters and search.
        Edges with ``kind`` ``liaison`` (recorded, modalities included), ``recommended``
        (named together by an ``igf:Recommendation`` without a recorded liaison),
        ``gap`` (:func:`igfgraph.analysis.find_gaps`), ``coordinates`` and ``theme``,
        each with a plain-text ``title``; one edge per pair, the first kind in that
        order, its title listing the others. ``G.graph`` has ``title`` and
        ``description``.

    Raises
    ------
    ValueError
        Unknown ``centrality``, or ``min_overlap`` / ``max_hops`` out of range.

    References
    ----------
    .. [1] Freeman, L. C. (1978), "Centrality in social networks conceptual
       clarification", *Social Networks* 1(3), 215–239.
    .. [2] Everett, M. G. and Borgatti, S. P. (1999), "The centrality of groups and
       classes", *Journal of Mathematical Sociology* 23(3), 181–201.
    """
    if centrality not in CENTRALITIES:
        msg = f"centrality must be one of {', '.join(CENTRALITIES)}, got {centrality!r}"
        raise ValueError(msg)
    cat = _catalog(source, evidence)
    gaps = cat.gaps(min_overlap=min_overlap, max_hops=max_hops)
    gaps = gaps if top_gaps is None else gaps.head(top_gaps)

    def drawn(n: str) -> str:
        return cat.groups[n][0] if n in cat.groups else n

    # recommended pairs without a recorded liaison (on the raw nodes)
    recommended: dict[tuple[str, str], list[str]] = defaultdict(list)
    for title, parties in cat.recommendations.values():
        for i, a in enumerate(parties):
            for b in parties[i + 1 :]:
                if a in cat.entities and b in cat.entities and not cat.liaised(a, b):
                    recommended[(a, b)].append(title)

    scores = _centrality(cat, centrality)
    group_scores = _group_centrality(cat, centrality)
    top = max([*scores.values(), *group_scores.values(), 0.0])

    def sized(score: float) -> float:
        return 10 + 30 * math.sqrt(score / top) if top > 0 else 10.0

    measure = f"{centrality} centrality"

    def centrality_field(score: float, links: int) -> list[tuple[str, list[Any]]]:
        return [("Centrality", [f"{measure} {score:.3f} ({links} recorded links)"])]

    V = nx.Graph()
    members: dict[str, list[str]] = defaultdict(list)
    for nri, (group, _label) in sorted(cat.groups.items()):
        members[group].append(nri)
    for node in sorted(cat.entities):
        kind = cat.entities[node]["kind"]
        if node in cat.groups or kind in ("modality", "process", "instrument"):
            continue
        score = scores.get(node, 0.0)
        V.add_node(
            node,
            **_entity_node(
                cat,
                node,
                drawn,
                size=sized(score),
                extra=centrality_field(score, _degree(cat, node)),
            ),
            centrality=score,
        )
    for group, nris in sorted(members.items()):
        label = cat.groups[nris[0]][1]
        V.add_node(group, **_group_node(cat, group, label, nris, drawn, group_scores, sized))
    for (a, b), _titles in sorted(recommended.items()):
        for party in (a, b):
            if drawn(party) not in V:
                score = scores.get(party, 0.0)
                V.add_node(
                    party,
                    **_entity_node(
                        cat,
                        party,
                        drawn,
                        size=sized(score),
                        extra=centrality_field(score, _degree(cat, party)),
                    ),
                    centrality=score,
                )
    for theme in sorted(cat.themes):
        bodies = _bodies_of_theme(cat, theme)
        if bodies:
            V.add_node(theme, **_theme_node(cat, theme, bodies, drawn))

    for a, b, kind, start, end in cat.liaisons:
        _add_edge(V, drawn(a), drawn(b), "liaison", _liaison_title(cat, a, b, kind, start, end))
    for (a, b), titles in sorted(recommended.items()):
        for title in sorted(set(titles)):
            _add_edge(
                V,
                drawn(a),
                drawn(b),
                "recommended",
                f"Recommended, no liaison recorded: {cat.label(a)} – {cat.label(b)}: "
                f"\u201c{title}\u201d",
            )
    for row in gaps.itertuples(index=False):
        _add_edge(
            V,
            drawn(row.body_a),
            drawn(row.body_b),
            "gap",
            _gap_title(row),
        )
    for s, p, o in cat.relations:
        if p == "coordinates":
            _add_edge(V, drawn(s), drawn(o), "coordinates", _relation_title(cat, [(s, p, o)]))
    for (body, theme), basis in sorted(cat.focus.items()):
        if body in cat.B and theme in V:
            _add_edge(
                V,
                drawn(body),
                theme,
                "theme",
                f"{cat.label(body)} addresses {cat.label(theme)} ({basis})",
            )
    # communities of the one centrality network (as communities.csv) become the map's
    # regions: each of at least three drawn bodies is laid out as one shaded area
    frame, _modularity = communities(cat.network)
    community = {r["node"]: int(r["community"]) for r in frame.to_dict("records")}
    drawn_in: Counter[int] = Counter(community[n] for n in V if n in community)
    for n in V:
        c = community.get(n)
        if c is not None and drawn_in[c] >= 3:
            V.nodes[n]["region"] = f"Community {c + 1}"
    V.graph["title"] = "IGF landscape"
    V.graph["description"] = (
        "Every IGF body; national, regional and youth IGFs grouped per UN regional group. "
        f"Size: {measure} on recorded links (themes: number of bodies). Solid lines: "
        "recorded liaisons, coordination and themes; dashed: the "
        f"{len(gaps)} strongest liaison gaps (Jaccard \u2265 {min_overlap:g}) and links "
        "recommended but not recorded. Liaisons counted: "
        f"{evidence_label(cat.L.graph['evidence'])}. Shaded areas: communities of "
        "recorded links (Louvain, as communities.csv)."
    )
    return aggregate(V, max_nodes=max_nodes)


def _group_node(
    cat: _Catalog,
    group: str,
    label: str,
    nris: list[str],
    drawn: Callable[[str], str],
    group_scores: dict[str, float],
    sized: Callable[[float], float],
) -> dict[str, Any]:
    names = sorted((cat.label(n) for n in nris), key=str.casefold)
    fields: list[tuple[str, list[Any]]] = [(f"Initiatives ({len(names)})", names)]
    kinds = Counter(KIND_NAMES[cat.entities[n]["kind"]] for n in nris if n in cat.entities)
    fields.append(("Kinds", [f"{kind}: {n}" for kind, n in sorted(kinds.items())]))
    liaisons = sorted(
        {
            (cat.label(other).casefold(), f"{cat.label(mine)} – {cat.label(other)} ({kind})", other)
            for a, b, kind, *_ in cat.liaisons
            for mine, other in ((a, b), (b, a))
            if mine in nris and other not in nris
        }
    )
    if liaisons:
        fields.append(("Liaisons", [_item(t, node=drawn(o)) for _k, t, o in liaisons]))
    themes = sorted(
        {cat.themes[t]["label"] for (b, t) in cat.focus if b in nris and t in cat.themes}
    )
    years = sorted({y for n in nris for y in _years_of(cat, n)})
    verdicts = _group_verdicts(cat, nris)
    score = group_scores.get(group, 0.0)
    fields.append(("Centrality", [f"group centrality {score:.3f}"]))
    fields.append(("Data id", [local_name(group)]))
    card = {
        "name": f"National, regional and youth IGFs: {label}",
        "summary": f"{len(names)} initiatives of the {label} drawn as one node.",
        "fields": fields,
        "kind_name": KIND_NAMES["nri-group"],
    }
    return {
        "label": f"NRIs: {label} ({len(names)})",
        "kind": "nri-group",
        "size": round(sized(score), 1),
        "themes": themes,
        "years": years,
        **({"activity": _activity_attr(verdicts)} if verdicts else {}),
        "aliases": sorted({label, local_name(group), *names}),
        **_card_attrs(card),
    }


def _centrality(cat: _Catalog, measure: str) -> dict[str, float]:
    """Return the measure on the one centrality network (the values of ``centrality.csv``)."""
    if measure == "degree":
        return nx.degree_centrality(cat.network) if len(cat.network) > 1 else {}
    return betweenness(cat.network)[0]


def _degree(cat: _Catalog, node: str) -> int:
    return cat.network.degree(node) if node in cat.network else 0


def _group_centrality(cat: _Catalog, measure: str) -> dict[str, float]:
    members: dict[str, list[str]] = defaultdict(list)
    for nri, (group, _label) in sorted(cat.groups.items()):
        if nri in cat.network:
            members[group].append(nri)
    out = {}
    for group, nris in members.items():
        if len(nris) >= len(cat.network):
            out[group] = 0.0
        elif measure == "degree":
            out[group] = float(nx.group_degree_centrality(cat.network, nris))
        else:
            out[group] = float(nx.group_betweenness_centrality(cat.network, nris))
    return out


def _gap_title(row: Any) -> str:
    hops = "no liaison path" if pd.isna(row.hops) else f"{int(row.hops)} liaison hops apart"
    return (
        f"Liaison gap #{row.rank}: {row.label_a} – {row.label_b}: Jaccard {row.jaccard:.2f} "
        f"({row.shared} shared theme{'' if row.shared == 1 else 's'}: {row.shared_themes}); {hops}"
    )


def themes_view(source: ReadModel | Graph | ox.Store, *, max_nodes: int = MAX_NODES) -> nx.Graph:
    """Build the themes view: the body × theme bipartite graph.

    Parameters
    ----------
    source : rdflib.Graph or pyoxigraph.Store
        The built graph.
    max_nodes : int, default :data:`MAX_NODES`
        Aggregate the view (:func:`aggregate`) when it has more nodes than this.

    Returns
    -------
    networkx.Graph
        Every body with at least one recorded theme and every theme some body addresses
        (bodies without a theme are left out and counted in the description). Edges
        ``kind="theme"`` from body to theme, the title saying whether the theme is
        stated by the body or curated. Bodies are sized by their number of themes,
        themes by their number of bodies.
    """
    cat = _catalog(source)
    B = cat.B
    V = nx.Graph()
    bodies = sorted(n for n, d in B.nodes(data=True) if d.get("bipartite") == 0 and B.degree(n))
    themeless = sum(1 for n, d in B.nodes(data=True) if d.get("bipartite") == 0 and not B.degree(n))
    for body in bodies:
        V.add_node(body, **_entity_node(cat, body, _same, size=10 + 2 * B.degree(body)))
    for theme in sorted(cat.themes):
        members = _bodies_of_theme(cat, theme)
        if members:
            V.add_node(theme, **_theme_node(cat, theme, members, _same))
    for (body, theme), basis in sorted(cat.focus.items()):
        if body in V and theme in V:
            V.add_edge(
                body,
                theme,
                kind="theme",
                title=f"{cat.label(body)} addresses {cat.label(theme)} ({basis})",
            )
    V.graph["title"] = "IGF bodies and their themes"
    V.graph["description"] = (
        f"{len(bodies)} bodies and the themes they address (stated by the body, or curated). "
        f"{themeless} bodies with no recorded theme are not shown."
    )
    return aggregate(V, max_nodes=max_nodes)


def overlap_view(
    source: ReadModel | Graph | ox.Store,
    *,
    min_overlap: float = 0.25,
    kinds: Iterable[str] | None = None,
    max_nodes: int = MAX_NODES,
) -> nx.Graph:
    """Build the overlap view: bodies joined by the thematic overlap of their theme sets.

    Parameters
    ----------
    source : rdflib.Graph or pyoxigraph.Store
        The built graph.
    min_overlap : float, default 0.25
        Draw pairs whose Jaccard overlap (:func:`igfgraph.analysis.theme_overlap`) is
        at least this.
    kinds : iterable of str, optional
        Only bodies of these kinds (``"dynamic-coalition"`` …).
    max_nodes : int, default :data:`MAX_NODES`
        Aggregate the view (:func:`aggregate`) when it has more nodes than this.

    Returns
    -------
    networkx.Graph
        The bodies in at least one such pair; edges ``kind="overlap"`` with ``weight``
        (the Jaccard overlap: line width grows with it) and a title giving the shared
        themes and whether a liaison is recorded. Bodies are sized by their number of
        overlap partners.

    Raises
    ------
    ValueError
        ``min_overlap`` outside [0, 1].
    """
    if not 0.0 <= min_overlap <= 1.0:
        msg = f"min_overlap must be between 0 and 1, got {min_overlap}"
        raise ValueError(msg)
    cat = _catalog(source)
    frame = theme_overlap(cat.B, kinds=kinds)
    frame = frame[frame["jaccard"] >= min_overlap - 1e-12]
    partners: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for row in frame.itertuples(index=False):
        partners[row.body_a].append((row.body_b, row.jaccard))
        partners[row.body_b].append((row.body_a, row.jaccard))
    V = nx.Graph()
    for body in sorted(partners):
        pairs = sorted(partners[body], key=lambda p: (-p[1], cat.label(p[0]).casefold(), p[0]))
        extra = [
            (
                f"Overlaps ({len(pairs)})",
                [_item(f"{cat.label(o)} ({j:.2f})", node=o) for o, j in pairs],
            )
        ]
        V.add_node(body, **_entity_node(cat, body, _same, size=10 + 3 * len(pairs), extra=extra))
    for row in frame.itertuples(index=False):
        liaison = "liaison recorded" if cat.liaised(row.body_a, row.body_b) else "no liaison"
        union = row.themes_a + row.themes_b - row.shared
        V.add_edge(
            row.body_a,
            row.body_b,
            kind="overlap",
            weight=round(float(row.jaccard), 4),
            title=(
                f"Thematic overlap {row.label_a} – {row.label_b}: Jaccard {row.jaccard:.2f} "
                f"({row.shared} of {union} themes shared: {row.shared_themes}); {liaison}"
            ),
        )
    V.graph["title"] = "Thematic overlap of IGF bodies"
    V.graph["description"] = (
        f"{V.number_of_nodes()} bodies joined when the Jaccard overlap of their theme sets "
        f"is at least {min_overlap:g} ({V.number_of_edges()} pairs); thicker lines overlap "
        "more."
    )
    return aggregate(V, max_nodes=max_nodes)


def gaps_view(
    source: ReadModel | Graph | ox.Store,
    *,
    top: int = 20,
    min_overlap: float = 0.25,
    max_hops: int = 1,
    max_nodes: int = MAX_NODES,
    evidence: Iterable[str] | None = None,
) -> nx.Graph:
    """Build the gaps view: the top-N liaison gaps and the themes each pair shares.

    Parameters
    ----------
    source : rdflib.Graph or pyoxigraph.Store
        The built graph.
    top : int, default 20
        How many gaps (by rank of :func:`igfgraph.analysis.liaison_gaps`).
    min_overlap : float, default 0.25
        Jaccard threshold of a gap.
    max_hops : int, default 1
        Liaison distance within which a pair is not a gap.
    max_nodes : int, default :data:`MAX_NODES`
        Aggregate the view (:func:`aggregate`) when it has more nodes than this.

    evidence : iterable of str, optional
        Liaison evidence types drawn and counted (:func:`igfgraph.evidence.parse_evidence`;
        default stated, co-organised, co-authored); the description names them.

    Returns
    -------
    networkx.Graph
        The bodies of the top-``top`` gaps and the themes each pair shares. Edges:
        ``gap`` (dashed, ``weight`` the Jaccard overlap, title with rank, shared themes
        and liaison distance), ``theme`` from each body to the themes it shares in a
        drawn gap, and ``liaison`` where two drawn bodies have one.
    """
    cat = _catalog(source, evidence)
    gaps = cat.gaps(min_overlap=min_overlap, max_hops=max_hops).head(top)
    bodies: set[str] = set()
    shared: dict[str, set[str]] = defaultdict(set)
    per_body: dict[str, list[tuple[int, str, float]]] = defaultdict(list)
    for row in gaps.itertuples(index=False):
        common = set(cat.B[row.body_a]) & set(cat.B[row.body_b])
        for body, other in ((row.body_a, row.body_b), (row.body_b, row.body_a)):
            bodies.add(body)
            shared[body] |= common
            per_body[body].append((int(row.rank), other, float(row.jaccard)))
    V = nx.Graph()
    for body in sorted(bodies):
        items = [
            _item(f"#{rank} with {cat.label(other)}, Jaccard {j:.2f}", node=other)
            for rank, other, j in sorted(per_body[body])
        ]
        V.add_node(
            body,
            **_entity_node(
                cat,
                body,
                _same,
                size=12 + 4 * len(per_body[body]),
                extra=[(f"Gaps ({len(items)})", items)],
            ),
        )
    themes = sorted(set().union(*shared.values())) if shared else []
    for theme in themes:
        V.add_node(theme, **_theme_node(cat, theme, _bodies_of_theme(cat, theme), _same))
    for row in gaps.itertuples(index=False):
        _add_edge(V, row.body_a, row.body_b, "gap", _gap_title(row), weight=float(row.jaccard))
    for body in sorted(bodies):
        for theme in sorted(shared[body]):
            basis = cat.focus.get((body, theme), "stated")
            _add_edge(
                V, body, theme, "theme", f"{cat.label(body)} addresses {cat.label(theme)} ({basis})"
            )
    for a, b, kind, start, end in cat.liaisons:
        _add_edge(V, a, b, "liaison", _liaison_title(cat, a, b, kind, start, end))
    V.graph["title"] = "IGF liaison gaps"
    V.graph["description"] = (
        f"The {len(gaps)} strongest liaison gaps: pairs of bodies whose theme sets overlap "
        f"(Jaccard \u2265 {min_overlap:g}) with no recorded liaison within {max_hops} hop(s), "
        "and the themes they share. Liaisons counted: "
        f"{evidence_label(cat.L.graph['evidence'])}."
    )
    return aggregate(V, max_nodes=max_nodes)


def resolve_node(source: ReadModel | Graph | ox.Store, node: str) -> str:
    """Return the IRI of a body (or modality, process, instrument): id, IRI, acronym or name.

    Parameters
    ----------
    source : rdflib.Graph or pyoxigraph.Store
        The built graph.
    node : str
        A curated id (``"dccg"``), an IRI, an acronym, a name or a former name.

    Returns
    -------
    str
        The IRI.

    Raises
    ------
    igfgraph.resolve.UnknownBodyError
        No such body (also a ``ValueError``); the message suggests close ones.
    """
    return _resolve(_catalog(source), node)


def _resolve(cat: _Catalog, node: str) -> str:
    """Resolve ``node`` with the one resolver (:class:`igfgraph.resolve.Resolver`)."""
    if cat.resolver is not None:
        return cat.resolver.resolve(node).iri
    bodies = cat.model.bodies.values()
    names = [(b.id, "acronym", b.acronym) for b in bodies if b.acronym]
    names += [
        (b.id, "alt-name" if how == "alt" else "former-name", n)
        for b in bodies
        for how, n in b.other_names
    ]
    cat.resolver = Resolver(((b.id, b.kind, b.name, b.iri) for b in bodies), names)
    return cat.resolver.resolve(node).iri


def ego_view(
    source: ReadModel | Graph | ox.Store,
    node: str,
    *,
    hops: int = 1,
    max_nodes: int = MAX_NODES,
    evidence: Iterable[str] | None = None,
) -> nx.Graph:
    """Build the ego view: one body, its neighbours within ``hops``, its themes and outputs.

    Neighbours are counted on recorded links: liaisons (modalities included) and
    governance relations (:data:`LINK_PREDICATES`). NRIs are drawn one by one.

    Parameters
    ----------
    source : rdflib.Graph or pyoxigraph.Store
        The built graph.
    node : str
        The body at the centre: its data id (``"dccg"``) or IRI. Modalities, UN
        processes and instruments are accepted too.
    hops : int, default 1
        Largest distance, in recorded links, of the neighbours drawn.
    max_nodes : int, default :data:`MAX_NODES`
        Aggregate the view (:func:`aggregate`) when it has more nodes than this.

    evidence : iterable of str, optional
        Liaison evidence types drawn and counted (:func:`igfgraph.evidence.parse_evidence`;
        default stated, co-organised, co-authored); the description names them.

    Returns
    -------
    networkx.Graph
        The centre, every node within ``hops`` recorded links of it, the centre's themes
        and the outputs it created. Edges: ``liaison``, ``coordinates``, ``governance``
        (other relations, named in the title) among the drawn nodes, ``theme`` from the
        centre to its themes, ``creator`` from each output to its drawn creators. Sizes
        shrink with the distance from the centre; each card says that distance.

    Raises
    ------
    ValueError
        Unknown ``node`` or ``hops`` below 1.
    """
    if hops < 1:
        msg = f"hops must be at least 1, got {hops}"
        raise ValueError(msg)
    cat = _catalog(source, evidence)
    centre = _resolve(cat, node)
    distance = nx.single_source_shortest_path_length(cat.links, centre, cutoff=hops)
    name = cat.label(centre)
    V = nx.Graph()
    for other in sorted(distance):
        d = distance[other]
        where = "the centre of this map" if d == 0 else f"{d} recorded link(s) from {name}"
        V.add_node(
            other,
            **_entity_node(
                cat, other, _same, size=max(10.0, 40.0 - 10 * d), extra=[("Distance", [where])]
            ),
        )
    themes = sorted(t for (b, t) in cat.focus if b == centre and t in cat.themes)
    for theme in themes:
        V.add_node(theme, **_theme_node(cat, theme, _bodies_of_theme(cat, theme), _same))
    outputs = sorted(o for o, out in cat.outputs.items() if centre in out["creators"])
    for output in outputs:
        out = cat.outputs[output]
        card = _output_card(cat, output, _same)
        V.add_node(
            output,
            label=_short(out["title"]),
            kind="output",
            size=12,
            aliases=[local_name(output), out["title"]],
            **({"years": [y]} if (y := year_of(out["issued"])) is not None else {}),
            **_card_attrs(card),
        )
    for a, b, data in sorted(cat.links.subgraph(distance).edges(data=True)):
        predicates = data["predicates"]
        kind = (
            "liaison"
            if "liaisesWith" in predicates
            else "coordinates"
            if predicates == {"coordinates"}
            else "governance"
        )
        lines = [
            _liaison_title(cat, la, lb, k, s, e)
            for la, lb, k, s, e in cat.liaisons
            if {la, lb} == {a, b}
        ]
        lines += [
            _relation_title(cat, [t]) for t in sorted(data["triples"]) if t[1] != "liaisesWith"
        ]
        V.add_edge(a, b, kind=kind, title="\n".join(lines))
    for theme in themes:
        basis = cat.focus[(centre, theme)]
        V.add_edge(
            centre, theme, kind="theme", title=f"{name} addresses {cat.label(theme)} ({basis})"
        )
    for output in outputs:
        for creator in cat.outputs[output]["creators"]:
            if creator in V:
                V.add_edge(
                    output,
                    creator,
                    kind="creator",
                    title=f"{_short(cat.outputs[output]['title'])} created by {cat.label(creator)}",
                )
    V.graph["title"] = f"{cat.entities[centre]['name']}: neighbourhood"
    V.graph["description"] = (
        f"{cat.entities[centre]['name']}, the bodies within {hops} recorded link(s) of it "
        "(liaisons and governance relations), its themes and its outputs. Liaisons counted: "
        f"{evidence_label(cat.L.graph['evidence'])}."
    )
    return aggregate(V, max_nodes=max_nodes)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --------------------------------------------------------------------------- aggregation


def aggregate(
    G: nx.Graph, *, max_nodes: int = MAX_NODES, max_edges: int = 4 * MAX_NODES
) -> nx.Graph:
    """Collapse groups of nodes into one node each until at most ``max_nodes`` remain.

    A browser draws a few thousand nodes at once; beyond that a view is aggregated
    rather than sent whole. Nodes are grouped by their ``cluster`` attribute when they
    have one (e.g. a region), else by ``kind``; the largest groups are collapsed first,
    each into a node ``kind="group"`` whose card lists its members and whose ``aliases``
    hold every member's id, label and aliases (so the map's search finds a member and
    opens its group). Edges between groups
    are merged: one edge per pair, of the commonest kind, with ``weight`` the number of
    links it stands for; when there are more than ``max_edges`` edges, the lightest
    merged edges are left out (the description says how many).

    Parameters
    ----------
    G : networkx.Graph
        A view (as for :func:`igfgraph.maps.render_html`).
    max_nodes : int, default :data:`MAX_NODES`
        The most nodes the result may have (when the groups allow it).
    max_edges : int, default ``4 * MAX_NODES``
        The most edges the result may have, as far as merged edges can be dropped (edges
        between two nodes left as they are always stay).

    Returns
    -------
    networkx.Graph
        ``G`` itself when it is small enough, else a new graph (``networkx.DiGraph``
        when ``G`` is directed). Group ids are ``urn:igfgraph:group:{key}``.

    Raises
    ------
    ValueError
        ``max_nodes`` below 1.
    """
    if max_nodes < 1:
        msg = f"max_nodes must be at least 1, got {max_nodes}"
        raise ValueError(msg)
    if G.number_of_nodes() <= max_nodes:
        return G
    keys: dict[str, str] = {}
    members: dict[str, list[str]] = defaultdict(list)
    for node, data in G.nodes(data=True):
        key = str(data.get("cluster") or data.get("kind") or "other")
        keys[node] = key
        members[key].append(node)
    remaining = G.number_of_nodes()
    collapsed: set[str] = set()
    for key in sorted(members, key=lambda k: (-len(members[k]), k)):
        if remaining <= max_nodes:
            break
        if len(members[key]) > 1:
            collapsed.add(key)
            remaining -= len(members[key]) - 1

    def target(node: str) -> str:
        return _GROUP_PREFIX + keys[node] if keys[node] in collapsed else node

    A: nx.Graph = nx.DiGraph() if G.is_directed() else nx.Graph()
    A.graph.update(G.graph)
    for node, data in G.nodes(data=True):
        if keys[node] not in collapsed:
            A.add_node(node, **data)
    for key in sorted(collapsed):
        nodes = sorted(members[key])
        names = sorted(
            (str(G.nodes[n].get("label", n)) for n in nodes), key=lambda s: (s.casefold(), s)
        )
        kinds = Counter(str(G.nodes[n].get("kind", "")) for n in nodes)
        listed = names[:200] + ([f"… and {len(names) - 200} more"] if len(names) > 200 else [])
        themes = {t for n in nodes for t in G.nodes[n].get("themes", ())}
        years = {y for n in nodes for y in G.nodes[n].get("years", ())}
        card = {
            "name": f"{key}: {len(nodes):,} nodes",
            "summary": f"{len(nodes):,} nodes grouped into one so the map stays fast.",
            "fields": [
                ("Kinds", [f"{k or '(no kind)'}: {n:,}" for k, n in sorted(kinds.items())]),
                (f"Members ({len(nodes):,})", listed),
            ],
        }
        attrs: dict[str, Any] = {
            "label": f"{key} ({len(nodes):,})",
            "kind": "group",
            "size": round(20 + 3 * math.sqrt(len(nodes)), 1),
            "title": f"{card['name']}\n{card['summary']}",
            "card": card,
        }
        if themes:
            attrs["themes"] = sorted(themes)
        if years:
            attrs["years"] = sorted(years)
        # the search box finds a member by its name, aliases or id and opens its group
        attrs["aliases"] = sorted(
            {
                str(x)
                for n in nodes
                for x in (n, G.nodes[n].get("label", n), *G.nodes[n].get("aliases", ()))
            }
        )
        A.add_node(_GROUP_PREFIX + key, **attrs)
    merged: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    titles: dict[tuple[str, str], str] = {}
    for u, v, data in G.edges(data=True):
        a, b = target(u), target(v)
        if a == b:
            continue
        if (a, b) == (u, v):  # neither end collapsed: the edge is kept as it is
            A.add_edge(a, b, **data)
            continue
        pair = (a, b) if G.is_directed() or a < b else (b, a)
        merged[pair][str(data.get("kind", ""))] += 1
    pairs = sorted(
        (pair for pair in merged if not A.has_edge(*pair)),
        key=lambda pair: (-sum(merged[pair].values()), pair),
    )
    room = max(0, max_edges - A.number_of_edges())
    dropped = pairs[room:]
    for a, b in sorted(pairs[:room]):
        kinds = merged[(a, b)]
        kind = sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        total = sum(kinds.values())
        titles[(a, b)] = f"{total:,} links: " + ", ".join(
            f"{n:,} {k or '(no kind)'}" for k, n in sorted(kinds.items())
        )
        A.add_edge(a, b, kind=kind, weight=total, title=titles[(a, b)])
    description = A.graph.get("description", "")
    note = (
        f"{G.number_of_nodes():,} nodes are too many to draw at once: {len(collapsed)} groups "
        f"are collapsed, leaving {A.number_of_nodes():,}."
    )
    if dropped:
        hidden = sum(sum(merged[pair].values()) for pair in dropped)
        note += (
            f" The {len(dropped):,} lightest links between groups (standing for {hidden:,} "
            "links) are left out."
        )
    A.graph["description"] = (f"{description} " if description else "") + note
    A.graph["aggregated"] = {
        "nodes": G.number_of_nodes(),
        "groups": len(collapsed),
        "dropped_edges": len(dropped),
    }
    return A


#: view name → function(source, **options) → networkx graph
VIEWS: dict[str, Callable[..., nx.Graph]] = {
    "landscape": landscape_view,
    "themes": themes_view,
    "overlap": overlap_view,
    "gaps": gaps_view,
    "ego": ego_view,
}
