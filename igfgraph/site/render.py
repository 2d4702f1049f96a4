"""The Linked Data site: one static page per entity, with its Turtle and JSON-LD beside it.

:func:`render_site` returns every file of the site in memory; :func:`write_site` writes
them into a folder, all or nothing (:func:`igfgraph.fileio.write_folder`). Pages are
Jinja2 templates (``templates/``, autoescape on); scripts and styles are package data
(``static/``) copied into the site's ``static/`` folder with one copy of vis-network (from
the maps package, :func:`igfgraph.maps.assets.vis_assets`), so no page loads anything
from the network and every page's Content-Security-Policy allows scripts from the site
only. Strings from the data reach scripts only inside JSON data blocks
(:func:`igfgraph.maps.assets.script_json`) and are shown with ``textContent``.

Each body's page is its liaison brief: what it works on (basis and source), its sessions
per year, its outputs, its recorded collaborations, its nearest thematic neighbours
without a collaboration (rows of the one gaps ranking, :func:`igfgraph.analysis.find_gaps`,
with their evidence in words) and the DCCG recommendations that concern it, with a map
of its neighbourhood (:func:`igfgraph.views.ego_view`).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup
from rdflib import Graph, Literal, URIRef

from igfgraph.analysis import find_gaps
from igfgraph.evidence import evidence_label, parse_evidence
from igfgraph.fileio import write_folder
from igfgraph.ids import iri as mint_iri
from igfgraph.kinds import KINDS
from igfgraph.maps import map_data
from igfgraph.maps.assets import script_json, vis_assets
from igfgraph.model import Body, ReadModel, read_model
from igfgraph.namespaces import PREFIXES
from igfgraph.serialize import serialize
from igfgraph.site.describe import ENTITY_KINDS, Entity, Triples, entities
from igfgraph.sparql import to_store
from igfgraph.views import ego_view

__all__ = ["STATIC_FILES", "render_site", "write_site"]

#: the site's own scripts and styles (``igfgraph/site/static/``)
STATIC_FILES: tuple[str, ...] = ("site.css", "search.js", "neighbourhood.js")
#: at most this many nearest neighbours without a collaboration on a liaison brief
MAX_GAPS = 10
_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; base-uri 'none'; form-action 'none'"
)


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("igfgraph.site", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _static(name: str) -> str:
    text = resources.files("igfgraph.site").joinpath("static", name).read_text(encoding="utf-8")
    return text.replace("\r\n", "\n")


def _curie(iri: str) -> str:
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            best = prefix
    return f"{best}:{iri[len(PREFIXES[best]) :]}" if best else iri


class _Site:
    """What every page needs: the entities by IRI and relative links between pages."""

    def __init__(self, model: ReadModel, triples: Triples) -> None:
        self.model = model
        self.triples = triples
        self.entities = entities(model)
        self.by_iri = {e.iri: e for e in self.entities}
        # a qualified node's page is its entity's (a focus, liaison, cycle or record)
        self.owner: dict[str, str] = {}
        for e in self.entities:
            for q in triples.qualified_nodes(e.iri):
                self.owner.setdefault(str(q), e.iri)

    def page_of(self, iri: str) -> Entity | None:
        iri = str(iri)
        return self.by_iri.get(iri) or self.by_iri.get(self.owner.get(iri, ""))


class _Page:
    """Link helpers for one page at ``folder`` (``""`` for the site's root)."""

    def __init__(self, site: _Site, folder: str) -> None:
        self.site = site
        self.root = "../" * (folder.count("/") + 1) if folder else ""

    def href(self, path: str) -> str:
        return self.root + path

    def link(self, iri: str) -> dict[str, str] | None:
        e = self.site.page_of(str(iri))
        if e is None:
            return None
        return {"href": self.root + e.path + "/index.html", "label": e.label, "kind": e.kind}

    def links(self, iris: Iterable[str]) -> list[dict[str, str]]:
        found = [self.link(i) for i in iris]
        return sorted((x for x in found if x), key=lambda x: (x["label"].casefold(), x["href"]))

    def value(self, term) -> dict[str, Any]:
        """Return a statement's object for display: an entity link, a web link or text."""
        if isinstance(term, URIRef):
            found = self.link(str(term))
            if found:
                note = _curie(str(term))
                return {
                    "text": found["label"],
                    "href": found["href"],
                    "note": note,
                    "external": False,
                }
            text = str(term)
            if text.startswith(("http://", "https://")) and not text.startswith(PREFIXES["id"]):
                return {"text": _curie(text), "href": text, "external": True, "note": ""}
            return {"text": _curie(text), "href": "", "note": "", "external": False}
        if isinstance(term, Literal):
            note = term.language or (_curie(str(term.datatype)) if term.datatype else "")
            return {"text": str(term), "href": "", "note": note, "external": False}
        return {"text": str(term), "href": "", "note": "blank node", "external": False}


def _statements(page: _Page, site: _Site, iri: str) -> list[dict[str, Any]]:
    """Return the description's triples grouped by subject (the entity first), for the table."""
    groups = []
    for node in [URIRef(iri), *site.triples.qualified_nodes(iri)]:
        rows = sorted(
            ((_curie(str(p)), page.value(o)) for _s, p, o in site.triples.own(node)),
            key=lambda r: (r[0], r[1]["text"], r[1]["href"]),
        )
        groups.append({"node": _curie(str(node)), "rows": rows})
    return groups


def _sources(page: _Page, site: _Site, node: str) -> list[dict[str, str]]:
    return [page.link(s.iri) or {"href": "", "label": s.title} for s in site.model.sources_of(node)]


def _body_brief(
    page: _Page, site: _Site, body: Body, gaps: list[dict], counted: str
) -> dict[str, Any]:
    model = site.model
    themes = []
    for f in model.focus:
        if f.body != body.iri:
            continue
        theme = model.themes.get(f.theme)
        focus_iri = str(mint_iri("focus", body.id, theme.id)) if theme else ""
        themes.append(
            {
                "theme": page.link(f.theme) or {"href": "", "label": f.theme},
                "basis": f.basis,
                "sources": _sources(page, site, focus_iri) if focus_iri else [],
            }
        )
    themes.sort(key=lambda t: t["theme"]["label"].casefold())
    years: dict[Any, list[dict]] = {}
    for s in model.sessions:
        role = (
            "organiser"
            if body.iri in s.organisers
            else "participant"
            if body.iri in s.participants
            else ""
        )
        if role:
            years.setdefault(s.year, []).append(
                {"session": page.link(s.iri), "role": role, "type": s.type}
            )
    sessions = [
        {
            "year": y if y is not None else "year unknown",
            "sessions": sorted(v, key=lambda x: x["session"]["label"]),
        }
        for y, v in sorted(years.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))
    ]
    outputs = [
        {"output": page.link(o.iri), "issued": o.issued_text, "type": o.type}
        for o in model.outputs
        if body.iri in o.creators
    ]
    collaborations = []
    for c in model.collaborations:
        if body.iri not in (c.a, c.b):
            continue
        other = c.b if c.a == body.iri else c.a
        collaborations.append(
            {
                "other": page.link(other) or {"href": "", "label": other},
                "kind": c.kind_label or c.kind,
                "evidence": c.evidence,
                "years": _span(c.first_year, c.end_year),
                "sources": [page.link(s) or {"href": "", "label": s} for s in c.sources],
                "locator": c.locator,
            }
        )
    collaborations.sort(key=lambda x: (x["other"]["label"].casefold(), x["evidence"], x["kind"]))
    relations = []
    for r in model.relations:
        if body.iri == r.subject:
            relations.append(
                {"text": r.predicate, "other": page.link(r.object), "direction": "out"}
            )
        elif body.iri == r.object:
            relations.append(
                {"text": r.predicate, "other": page.link(r.subject), "direction": "in"}
            )
    relations = [r for r in relations if r["other"]]
    relations.sort(key=lambda r: (r["direction"], r["text"], r["other"]["label"].casefold()))
    neighbours = []
    for row in gaps:
        other = row["body_b"] if row["body_a"] == body.iri else row["body_a"]
        neighbours.append(
            {
                "other": page.link(other) or {"href": "", "label": other},
                "rank": int(row["rank"]),
                "score": f"{row['score']:.2f}",
                "evidence": _plain_evidence(row, site, other),
            }
        )
    recommendations = [
        {"rec": page.link(r.iri), "citation": r.citation,
         "as": sorted({("named in person" if p.iri == body.iri else "as one of "
                        + (site.model.bodies[p.iri].name if p.iri in site.model.bodies else p.iri))
                       for p in r.parties if p.stands_for(body)})}
        for r in model.recommendations
        if any(p.stands_for(body) for p in r.parties)
    ]  # fmt: skip
    listings = [
        {"register": page.link(x.register) or {"href": "", "label": x.title or x.register},
         "title": x.title, "status": x.status, "date": x.date}
        for x in model.listings if x.body == body.iri
    ]  # fmt: skip
    return {
        "body": body,
        "kind_label": KINDS[body.kind].label,
        "themes": themes,
        "sessions": sessions,
        "n_sessions": sum(len(y["sessions"]) for y in sessions),
        "outputs": sorted(outputs, key=lambda o: (o["issued"], o["output"]["label"])),
        "collaborations": collaborations,
        "relations": relations,
        "neighbours": neighbours,
        "counted": counted,
        "recommendations": recommendations,
        "listings": listings,
        "sources": _sources(page, site, body.iri),
    }


def _plain_evidence(row: Mapping[str, Any], site: _Site, other: str) -> str:
    """Say the gap's evidence in words: shared themes, overlap, distance, recommendation."""
    name = site.model.bodies[other].name if other in site.model.bodies else other
    n = int(row["shared"])
    text = (
        f"Both work on {n} of the same theme{'s' if n != 1 else ''} ({row['shared_themes']}); "
        f"{row['jaccard']:.0%} of the themes of the two together are shared"
    )
    hops = row["hops"]
    if hops is None or hops != hops or str(hops) == "<NA>":
        text += f", and no chain of recorded collaborations joins them to {name}."
    else:
        text += f", and {name} is {int(hops)} collaborations away."
    if row.get("recommended_by"):
        text += f" A DCCG recommendation covers the pair: {row['recommended_by']}."
    return text


def _span(first: int | None, last: int | None) -> str:
    if first is None and last is None:
        return ""
    if last is None:
        return f"since {first}"
    if first is None:
        return f"until {last}"
    return f"{first}–{last}" if first != last else str(first)


def _map_json(page: _Page, site: _Site, body: Body, evidence) -> str:
    G = ego_view(site.model, body.iri, evidence=evidence)
    data = map_data(G)
    data["hrefs"] = {n: found["href"] for n in G.nodes if (found := page.link(n))}
    data["centre"] = body.iri
    return script_json(data)


def _render(name: str, **context: Any) -> str:
    return _environment().get_template(name).render(csp=_CSP, kinds=ENTITY_KINDS, **context)


def render_site(
    graph: Graph,
    *,
    model: ReadModel | None = None,
    min_overlap: float = 0.25,
    max_hops: int = 1,
    evidence: Iterable[str] | None = None,
) -> dict[str, str]:
    """Render the Linked Data site in memory.

    Parameters
    ----------
    graph : rdflib.Graph
        The built, validated graph (any store).
    model : igfgraph.model.ReadModel, optional
        Its read model (read from ``graph`` when ``None``).
    min_overlap, max_hops : float, int
        The gaps rule's thresholds for the liaison briefs (:func:`igfgraph.analysis.find_gaps`).
    evidence : iterable of str, optional
        Collaboration evidence types counted (:func:`igfgraph.evidence.parse_evidence`).

    Returns
    -------
    dict of str to str
        Relative path → content, sorted by path: ``index.html``, ``search.html``, one index
        per kind (``bodies.html`` …), ``id/…/index.html``, ``index.ttl`` and
        ``index.jsonld`` per entity, ``_redirects`` and ``.htaccess`` (content
        negotiation on a static host) and ``static/``. Equal graphs give equal bytes.

    Raises
    ------
    ValueError
        An entity's IRI is not under the igfgraph instance base.
    """
    evidence = parse_evidence(evidence)
    if model is None:
        model = read_model(to_store(graph))
    site = _Site(model, Triples(graph))
    gaps = find_gaps(model, min_overlap=min_overlap, max_hops=max_hops, evidence=evidence)
    gap_rows: dict[str, list[dict]] = {}
    for row in gaps.to_dict("records"):
        for b in (row["body_a"], row["body_b"]):
            gap_rows.setdefault(b, []).append(row)
    counted = evidence_label(evidence)
    rule = str(gaps.attrs.get("rule", ""))
    files: dict[str, str] = {}
    by_kind: dict[str, list[Entity]] = {k: [] for k in ENTITY_KINDS}
    for e in site.entities:
        by_kind[e.kind].append(e)
        page = _Page(site, e.path)
        context: dict[str, Any] = {
            "page": page,
            "entity": e,
            "kind_title": ENTITY_KINDS[e.kind][0],
            "statements": _statements(page, site, e.iri),
            "extra": _extra(page, site, e),
        }
        if e.kind == "body":
            body = model.bodies[e.iri]
            context["brief"] = _body_brief(
                page, site, body, gap_rows.get(e.iri, [])[:MAX_GAPS], counted
            )
            context["rule"] = rule
            context["map_json"] = Markup(_map_json(page, site, body, evidence))
            html = _render("body.html", **context)
        else:
            html = _render("entity.html", **context)
        description = site.triples.description(e.iri)
        files[f"{e.path}/index.html"] = html
        files[f"{e.path}/index.ttl"] = serialize(description, "ttl")
        files[f"{e.path}/index.jsonld"] = serialize(description, "jsonld")
    root = _Page(site, "")
    for kind, (title, name) in ENTITY_KINDS.items():
        rows = [_index_row(root, site, e) for e in by_kind[kind]]
        files[name] = _render("kind.html", page=root, title=title, kind=kind, rows=rows)
    counts = [(title, name, len(by_kind[k])) for k, (title, name) in ENTITY_KINDS.items()]
    files["index.html"] = _render("index.html", page=root, counts=counts, n=len(site.entities))
    index = [
        [e.label, ENTITY_KINDS[e.kind][0], f"{e.path}/index.html", _aliases(site, e)]
        for e in site.entities
    ]
    files["search.html"] = _render("search.html", page=root, index_json=Markup(script_json(index)))
    files["_redirects"] = _render("_redirects.txt", entities=site.entities)
    files[".htaccess"] = _render("htaccess.txt")
    vis_js, vis_css = vis_assets()
    files["static/vis-network.min.js"] = vis_js
    files["static/vis-network.css"] = vis_css
    for name in STATIC_FILES:
        files[f"static/{name}"] = _static(name)
    return dict(sorted(files.items()))


def _aliases(site: _Site, e: Entity) -> str:
    if e.kind == "body":
        b = site.model.bodies[e.iri]
        return " ".join([b.id, b.acronym, *(n for _t, n in b.other_names)])
    if e.kind == "theme":
        t = site.model.themes[e.iri]
        return " ".join([t.id, *t.other_labels])
    return e.path.rsplit("/", 1)[-1]


def _index_row(page: _Page, site: _Site, e: Entity) -> dict[str, str]:
    detail = ""
    if e.kind == "body":
        b = site.model.bodies[e.iri]
        detail = KINDS[b.kind].label + (f" ({b.acronym})" if b.acronym else "")
    elif e.kind == "session":
        s = next(x for x in site.model.sessions if x.iri == e.iri)
        detail = f"{s.year or ''} {s.type}".strip()
    elif e.kind == "meeting":
        detail = str(site.model.meetings[e.iri].year)
    return {"href": e.path + "/index.html", "label": e.label, "detail": detail}


def _extra(page: _Page, site: _Site, e: Entity) -> list[dict[str, Any]]:
    """Sections of a non-body page, beyond its statements: who or what points at it."""
    m = site.model
    sections: list[dict[str, Any]] = []

    def add(title: str, iris: Iterable[str]) -> None:
        links = page.links(iris)
        if links:
            sections.append({"title": title, "links": links})

    if e.kind == "theme":
        add("Bodies that work on it", {f.body for f in m.focus if f.theme == e.iri})
        add("Narrower themes", {t.iri for t in m.themes.values() if t.broader == e.iri})
    elif e.kind == "meeting":
        add("Sessions", {s.iri for s in m.sessions if s.meeting == e.iri})
    elif e.kind == "session":
        s = next(x for x in m.sessions if x.iri == e.iri)
        add("Organised by", s.organisers)
        add("Other participants", s.participants)
    elif e.kind == "output":
        o = next(x for x in m.outputs if x.iri == e.iri)
        add("Created by", o.creators)
    elif e.kind == "recommendation":
        r = next(x for x in m.recommendations if x.iri == e.iri)
        add("Parties named", [p.iri for p in r.parties])
    elif e.kind == "source":
        add(
            "Facts about these are derived from it",
            {n for n, srcs in m.cited.items() if e.iri in srcs},
        )
    return sections


def write_site(out: Path | str | os.PathLike[str], graph: Graph, **kwargs: Any) -> list[Path]:
    """Render the site (:func:`render_site`) and write it into ``out``, all or nothing.

    Parameters
    ----------
    out : path-like
        The site's folder, replaced as a whole (new, empty or an earlier site).
    graph : rdflib.Graph
        The built, validated graph.
    **kwargs
        ``model``, ``min_overlap``, ``max_hops``, ``evidence`` of :func:`render_site`.

    Returns
    -------
    list of pathlib.Path
        The files written.

    Raises
    ------
    igfgraph.exceptions.OutputError
        ``out`` is a file or holds files the site does not write, or the disk is full;
        ``out`` is unchanged then.
    """
    return write_folder(out, render_site(graph, **kwargs), what="igfgraph site")
