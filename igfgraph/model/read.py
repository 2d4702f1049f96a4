"""Read the model from the graph: one pass of the queries in ``igfgraph/model/queries/``."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd
import pyoxigraph as ox
from rdflib import Graph

from igfgraph.activity import ActivityEvidence
from igfgraph.ids import local_name, year_of
from igfgraph.kinds import NRI_KINDS, kind_of_class
from igfgraph.model.types import (
    Body,
    Collaboration,
    Focus,
    Listing,
    Meeting,
    Output,
    Party,
    ReadModel,
    Recommendation,
    Relation,
    Session,
    Source,
    Theme,
    TrackTheme,
)
from igfgraph.namespaces import IGF
from igfgraph.sparql import query, to_store

__all__ = ["QUERIES", "STATS_QUERIES", "model_query", "read_model", "run_model_query"]

_DIR = Path(__file__).resolve().parent / "queries"
#: the read model's queries, by name (file stem), in reading order
QUERIES: tuple[str, ...] = (
    "bodies", "names", "themes", "focus", "collaborations", "relations", "listings",
    "meetings", "sessions", "cycles", "outputs", "recommendations", "sources", "places",
    "tracks",
)  # fmt: skip


#: the queries behind ``igfgraph stats`` (counts over the whole graph, not the model)
STATS_QUERIES: tuple[str, ...] = (
    "stats-classes", "stats-years", "stats-confidence", "stats-unsourced", "stats-nri-regions",
    "stats-sessions", "stats-collaborations",
)  # fmt: skip


@cache
def model_query(name: str) -> str:
    """Return the text of one of the read model's queries (with its own PREFIX lines).

    Parameters
    ----------
    name : str
        One of :data:`QUERIES` or :data:`STATS_QUERIES`.

    Returns
    -------
    str
        The SPARQL text of ``igfgraph/model/queries/{name}.rq``.

    Raises
    ------
    KeyError
        Not a query of the read model.
    """
    if name not in QUERIES + STATS_QUERIES:
        msg = f"no read-model query {name!r}; the queries are: {', '.join(QUERIES + STATS_QUERIES)}"
        raise KeyError(msg)
    return (_DIR / f"{name}.rq").read_text(encoding="utf-8")


def run_model_query(source, name: str) -> pd.DataFrame:
    """Run one of the model's queries and return its solutions as a frame of strings.

    Parameters
    ----------
    source : rdflib.Graph or pyoxigraph.Store
    name : str
        One of :data:`QUERIES` or :data:`STATS_QUERIES`.

    Returns
    -------
    pandas.DataFrame
        One column per variable (``""`` when unbound).
    """
    store = to_store(source) if isinstance(source, Graph) else source
    return query(store, model_query(name), prefixes=False).to_frame()


def _rows(store, name: str) -> list[dict[str, str]]:
    return run_model_query(store, name).to_dict("records")


def _int(value: str) -> int | None:
    return year_of(value) if value else None


def _member_kinds(member: str) -> tuple[str, ...]:
    if not member:
        return ()
    if member == str(IGF.NRI):
        return NRI_KINDS
    kind = kind_of_class(member)
    return (kind,) if kind else ()


def read_model(source: Graph | ox.Store) -> ReadModel:
    """Read every fact the consumers need from the graph, once.

    Parameters
    ----------
    source : rdflib.Graph or pyoxigraph.Store
        The built graph (:func:`igfgraph.stores.open_graph`, a
        :class:`igfgraph.build.BuildResult`'s ``graph``, or an Oxigraph store).

    Returns
    -------
    ReadModel
        Bodies (every kind of :data:`igfgraph.kinds.KINDS`) with their names, years and
        dated activity evidence; themes; thematic focus; collaborations (every evidence
        type); session tracks mapped to themes, dated; governance and lineage relations;
        register listings; meetings; sessions with their organisers and participants;
        outputs with their creators; the DCCG's recommendations with their parties. Every
        collection is sorted, so two reads of the same graph are equal.

    Raises
    ------
    igfgraph.exceptions.QueryError
        A query fails in the store's engine.
    """
    store = to_store(source) if isinstance(source, Graph) else source
    rows = {name: _rows(store, name) for name in QUERIES}

    names: dict[str, dict[str, set[str]]] = {}
    for r in rows["names"]:
        names.setdefault(r["body"], {}).setdefault(r["type"], set()).add(r["value"])

    meetings = {
        r["meeting"]: Meeting(r["meeting"], r["id"], r["label"], int(r["year"]))
        for r in sorted(rows["meetings"], key=lambda r: r["meeting"])
    }

    sessions_by: dict[str, dict] = {}
    for r in rows["sessions"]:
        s = sessions_by.setdefault(
            r["session"], {"row": r, "organiser": set(), "participant": set()}
        )
        if r["body"]:
            s[r["role"]].add(r["body"])
    sessions = tuple(
        Session(
            iri=iri,
            id=s["row"]["id"],
            title=s["row"]["title"],
            type=s["row"]["type"],
            meeting=s["row"]["meeting"],
            year=meetings[s["row"]["meeting"]].year if s["row"]["meeting"] in meetings else None,
            organisers=tuple(sorted(s["organiser"])),
            participants=tuple(sorted(s["participant"] - s["organiser"])),
            track=s["row"].get("track", ""),
        )
        for iri, s in sorted(sessions_by.items())
    )

    outputs_by: dict[str, dict] = {}
    for r in rows["outputs"]:
        o = outputs_by.setdefault(r["output"], {"row": r, "creators": set()})
        if r["creator"]:
            o["creators"].add(r["creator"])
    outputs = tuple(
        Output(
            iri=iri,
            id=o["row"]["id"],
            title=o["row"]["title"],
            type=o["row"]["type"],
            issued=_int(o["row"]["issued"]),
            creators=tuple(sorted(o["creators"])),
            issued_text=o["row"]["issued"],
            url=o["row"]["url"],
        )
        for iri, o in sorted(outputs_by.items())
    )

    listings = tuple(
        sorted(
            {
                Listing(
                    r["body"], r["register"], r["status"], _int(r["date"]), r["title"], r["date"]
                )
                for r in rows["listings"]
            },
            key=lambda x: (x.body, x.year is None, x.year or 0, x.register),
        )
    )

    # dated evidence of activity, per body
    ev_sessions: dict[str, set[int]] = {}
    for s in sessions:
        for b in (*s.organisers, *s.participants):
            if s.year is not None:
                ev_sessions.setdefault(b, set()).add(s.year)
    ev_outputs: dict[str, set[int]] = {}
    for o in outputs:
        for b in o.creators:
            if o.issued is not None:
                ev_outputs.setdefault(b, set()).add(o.issued)
    ev_cycles: dict[str, set[int]] = {}
    for r in rows["cycles"]:
        ev_cycles.setdefault(r["body"], set()).add(int(r["year"]))
    newest_dated = max((x.year for x in listings if x.year is not None), default=None)
    ev_listings: dict[str, list[tuple[int | None, str]]] = {}
    for x in listings:
        ev_listings.setdefault(x.body, []).append((x.year, x.status))

    groups: dict[str, tuple[str, str]] = {}
    areas: dict[str, set[str]] = {}
    for r in rows["places"]:
        if r["group"]:
            groups[r["body"]] = (r["group"], r["group_label"])
        if r["area"]:
            areas.setdefault(r["body"], set()).add(r["area"])

    bodies: dict[str, Body] = {}
    for r in sorted(rows["bodies"], key=lambda r: r["body"]):
        kind = kind_of_class(r["class"])
        if kind is None or r["body"] in bodies:
            continue
        iri = r["body"]
        other = names.get(iri, {})
        established, ended = _int(r["established"]), _int(r["ended"])
        bodies[iri] = Body(
            iri=iri,
            id=r["id"],
            kind=kind,
            name=r["name"],
            acronym=min(other.get("acronym", {""})),
            other_names=tuple(sorted((t, n) for t in ("alt", "former") for n in other.get(t, ()))),
            summary=r["summary"],
            confidence=r["confidence"],
            homepage=r["homepage"],
            established=established,
            ended=ended,
            evidence=ActivityEvidence(
                established=established,
                ended=ended,
                sessions=tuple(sorted(ev_sessions.get(iri, ()))),
                cycles=tuple(sorted(ev_cycles.get(iri, ()))),
                outputs=tuple(sorted(ev_outputs.get(iri, ()))),
                listings=tuple(ev_listings.get(iri, ())),
                undated_after=newest_dated,
            ),
            regional_group=groups.get(iri, (None, ""))[0],
            group_label=groups.get(iri, (None, ""))[1],
            areas=tuple(sorted(areas.get(iri, ()))),
        )

    themes = {
        r["theme"]: Theme(
            r["theme"],
            r["id"],
            r["label"],
            r["broader"] or None,
            r["definition"],
            tuple(
                sorted({n for t in ("alt", "former") for n in names.get(r["theme"], {}).get(t, ())})
            ),
        )
        for r in sorted(rows["themes"], key=lambda r: r["theme"])
    }
    focus = tuple(
        sorted(
            {
                Focus(r["body"], r["theme"], local_name(r["basis"]).lower())
                for r in rows["focus"]
                if r["body"] in bodies
            },
            key=lambda f: (f.body, f.theme),
        )
    )

    track_themes = tuple(
        sorted(
            {
                TrackTheme(
                    body=r["body"],
                    theme=r["theme"],
                    year=int(r["year"]),
                    track=r["track"],
                    label=r["label"],
                    relation=local_name(r["relation"]),
                    session=r["session"],
                )
                for r in rows["tracks"]
                if r["body"] in bodies and r["theme"] in themes
            },
            key=lambda x: (x.body, x.year, x.theme, x.track, x.session),
        )
    )

    collab_by: dict[str, dict] = {}
    for r in rows["collaborations"]:
        c = collab_by.setdefault(r["liaison"], {"row": r, "sources": set()})
        if r["source"]:
            c["sources"].add(r["source"])
    collaborations = tuple(
        Collaboration(
            iri=iri,
            a=c["row"]["a"],
            b=c["row"]["b"],
            kind=local_name(c["row"]["kind"]),
            kind_label=c["row"]["kind_label"],
            evidence=c["row"]["evidence"] or "stated",
            first_year=_int(c["row"]["start"]),
            end_year=_int(c["row"]["end"]),
            sources=tuple(sorted(c["sources"])),
            locator=c["row"]["locator"],
        )
        for iri, c in sorted(collab_by.items())
    )

    relations = tuple(
        sorted({Relation(r["s"], local_name(r["p"]), r["o"]) for r in rows["relations"]},
               key=lambda x: (x.subject, x.predicate, x.object))
    )  # fmt: skip

    recs: dict[str, dict] = {}
    for r in rows["recommendations"]:
        rec = recs.setdefault(r["r"], {"row": r, "parties": {}})
        if r["party"]:
            rec["parties"][r["party"]] = _member_kinds(r["member"])
    recommendations = tuple(
        Recommendation(
            iri=iri,
            id=rec["row"]["id"],
            title=rec["row"]["title"],
            locator=rec["row"]["locator"],
            source=rec["row"]["source"],
            parties=tuple(Party(p, k) for p, k in sorted(rec["parties"].items())),
        )
        for iri, rec in sorted(recs.items())
    )

    sources: dict[str, Source] = {}
    cited: dict[str, set[str]] = {}
    for r in rows["sources"]:
        sources.setdefault(r["source"], Source(r["source"], r["id"], r["title"], r["url"]))
        if r["node"]:
            cited.setdefault(r["node"], set()).add(r["source"])

    return ReadModel(
        bodies=bodies,
        themes=themes,
        focus=focus,
        track_themes=track_themes,
        collaborations=collaborations,
        relations=relations,
        listings=listings,
        meetings=meetings,
        sessions=sessions,
        outputs=outputs,
        recommendations=recommendations,
        sources=dict(sorted(sources.items())),
        cited={k: tuple(sorted(v)) for k, v in sorted(cited.items())},
    )
