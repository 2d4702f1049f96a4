"""Which entities the site has a page for, and what each one's description is.

An entity's *description* is its own triples (the entity as subject) plus the triples of
its qualified nodes: the nodes that say something about it and about nothing else of
its kind, namely its thematic foci (``igf:focusOf``), its liaisons (``igf:party``), its
cycles (``igf:cycleOf``) and its catalogue record (``foaf:isPrimaryTopicOf``), which
carries the sources, locators and confidence of its own rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import FOAF

from igfgraph.model import ReadModel
from igfgraph.namespaces import BASE, IGF
from igfgraph.serialize import plain_triples

__all__ = ["ENTITY_KINDS", "QUALIFIED_BY", "Entity", "Triples", "entities", "site_path"]

#: entity kind → (title of its index, file name of its index), in display order
ENTITY_KINDS: dict[str, tuple[str, str]] = {
    "body": ("Bodies", "bodies.html"),
    "theme": ("Themes", "themes.html"),
    "meeting": ("Annual meetings", "meetings.html"),
    "session": ("Sessions", "sessions.html"),
    "output": ("Outputs", "outputs.html"),
    "recommendation": ("DCCG recommendations", "recommendations.html"),
    "source": ("Sources", "sources.html"),
}
#: predicates by which a qualified node points at the entity it qualifies
QUALIFIED_BY: tuple[URIRef, ...] = (IGF.focusOf, IGF.party, IGF.cycleOf)


@dataclass(frozen=True)
class Entity:
    """One page of the site.

    Attributes
    ----------
    iri : str
        The entity's IRI, ``https://w3id.org/igfgraph/id/…``.
    kind : str
        A key of :data:`ENTITY_KINDS`.
    label : str
        Its name or title.
    path : str
        The folder of its page, the IRI's path (``id/dc/dc3``).
    sort : str
        Its sort key within its kind.
    """

    iri: str
    kind: str
    label: str
    path: str
    sort: str = ""


def site_path(iri: str) -> str:
    """Return the folder of an entity's page: the path of its IRI below the site's base.

    Parameters
    ----------
    iri : str
        An IRI under ``https://w3id.org/igfgraph/id/``.

    Returns
    -------
    str
        ``id/dc/dc3`` for ``https://w3id.org/igfgraph/id/dc/dc3``.

    Raises
    ------
    ValueError
        The IRI is not an igfgraph instance IRI, or a segment is not a plain name.

    Examples
    --------
    >>> site_path("https://w3id.org/igfgraph/id/dc/dc3")
    'id/dc/dc3'
    """
    if not iri.startswith(BASE + "id/"):
        msg = f"not an igfgraph instance IRI: {iri}"
        raise ValueError(msg)
    path = iri[len(BASE) :]
    if any(
        part in ("", ".", "..") or not part.replace("-", "").isalnum() for part in path.split("/")
    ):
        msg = f"an IRI whose path cannot be a folder: {iri}"
        raise ValueError(msg)
    return path


def entities(model: ReadModel) -> list[Entity]:
    """List the site's pages: every body, theme, meeting, session, output, recommendation, source.

    Parameters
    ----------
    model : igfgraph.model.ReadModel

    Returns
    -------
    list of Entity
        Sorted by kind (in :data:`ENTITY_KINDS` order), then name, then IRI.
    """
    rows: list[Entity] = []
    rows += [
        Entity(b.iri, "body", b.name, site_path(b.iri), b.name.casefold())
        for b in model.bodies.values()
    ]
    rows += [
        Entity(t.iri, "theme", t.label, site_path(t.iri), t.label.casefold())
        for t in model.themes.values()
    ]
    rows += [
        Entity(m.iri, "meeting", m.label, site_path(m.iri), f"{m.year:04d}")
        for m in model.meetings.values()
    ]
    rows += [
        Entity(
            s.iri, "session", s.title, site_path(s.iri), f"{s.year or 0:04d} {s.title.casefold()}"
        )
        for s in model.sessions
    ]
    rows += [
        Entity(o.iri, "output", o.title, site_path(o.iri), o.title.casefold())
        for o in model.outputs
    ]
    rows += [
        Entity(r.iri, "recommendation", r.title, site_path(r.iri), r.id)
        for r in model.recommendations
    ]
    rows += [
        Entity(s.iri, "source", s.title, site_path(s.iri), s.title.casefold())
        for s in model.sources.values()
    ]
    order = list(ENTITY_KINDS)
    return sorted(rows, key=lambda e: (order.index(e.kind), e.sort, e.iri))


class Triples:
    """The graph's triples indexed by subject, read once, to describe many entities.

    Parameters
    ----------
    graph : rdflib.Graph
        The built graph (any store).
    """

    def __init__(self, graph: Graph) -> None:
        self.by_subject: dict[URIRef, list[tuple]] = {}
        self.qualifiers: dict[URIRef, set[URIRef]] = {}
        for s, p, o in plain_triples(graph):  # "x", not "x"^^xsd:string, from any store
            self.by_subject.setdefault(s, []).append((s, p, o))
            if p in QUALIFIED_BY and isinstance(o, URIRef):
                self.qualifiers.setdefault(o, set()).add(s)
            elif p == FOAF.isPrimaryTopicOf:
                self.qualifiers.setdefault(s, set()).add(o)

    def qualified_nodes(self, iri: str) -> list[URIRef]:
        """Return the qualified nodes of an entity (foci, liaisons, cycles, record), sorted."""
        return sorted(self.qualifiers.get(URIRef(iri), ()))

    def own(self, node: str | URIRef) -> Iterable[tuple]:
        """Return the triples whose subject is ``node``."""
        return self.by_subject.get(URIRef(node), ())

    def description(self, iri: str) -> Graph:
        """Return an entity's description: its triples and those of its qualified nodes.

        Parameters
        ----------
        iri : str

        Returns
        -------
        rdflib.Graph
            A new in-memory graph.
        """
        g = Graph()
        for node in self._nodes(iri):
            for triple in self.own(node):
                g.add(triple)
        return g

    def _nodes(self, iri: str) -> Iterator[URIRef]:
        yield URIRef(iri)
        yield from self.qualified_nodes(iri)
