"""Tables → RDF: one ``_add_<table>`` step per table of the data package.

Every row becomes triples about an entity minted by :mod:`igfgraph.ids`. Provenance sits on
records, never on the bodies, places or documents themselves: a qualified fact node
(``igf:Liaison``, ``igf:ThematicFocus``, ``igf:Cycle``, ``igf:Session``, ``igf:Recommendation``,
``igf:Register``) is a record of its fact and carries ``prov:wasDerivedFrom`` its source and
``igf:sourceLocator`` where in that source; an entity's own row is described by a
``dcat:CatalogRecord`` (``…/id/record/{segment}/{id}``, ``foaf:primaryTopic`` the entity) that
carries them (:meth:`_Builder.record`); the dataset is the ``dcat:Catalog`` of the records.
The build also writes the shortcuts of the qualified nodes (``igf:liaisesWith`` in both
directions, ``igf:addressesTheme``, ``igf:activeIn``). Countries link to Wikidata with
``schema:sameAs``. The result holds the ontology too, so ``rdfs:subClassOf`` paths work in
SPARQL against the one file.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, SDO, SKOS, VOID, XSD

from igfgraph.evidence import DERIVED_KIND as _DERIVED_KIND
from igfgraph.evidence import EVIDENCE, derived_collaborations
from igfgraph.exceptions import DataPackageError, InputError, Problem
from igfgraph.ids import body_class, body_iri, iri, slug
from igfgraph.kinds import MODALITY_MEMBERS
from igfgraph.namespaces import BASE, IGF, IGF_NS, bind_prefixes
from igfgraph.paths import ontology_file, schemes_file
from igfgraph.tables import Tables

__all__ = ["DATASET", "BuildResult", "build_graph", "read_ontology"]

#: IRI of the dataset description (VoID / DCAT) written into every build.
DATASET = URIRef(BASE + "id/dataset/igfgraph")

_LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")
_LIAISON_KIND = {
    "formal-liaison": IGF.FormalLiaison,
    "collaboration": IGF.Collaboration,
    "co-organised-session": IGF.CoOrganisedSession,
    "co-authored-output": IGF.CoAuthoredOutput,
    "succession": IGF.Succession,
}
_BASIS = {"stated": IGF.Stated, "curated": IGF.Curated}
_RELATION = {
    "coordinates": IGF.coordinates,
    "accredits": IGF.accredits,
    "supports": IGF.supports,
    "hosts": IGF.hosts,
    "appoints": IGF.appoints,
    "establishes": IGF.establishes,
    "succeeds": IGF.succeeds,
    "unit-of": ORG.unitOf,
    "merged-into": IGF.mergedInto,
    "mandates": IGF.mandates,
    "part-of": DCTERMS.isPartOf,
    "convenes": IGF.convenes,
    "recognises": IGF.recognises,
}
_ID_ROOT = BASE + "id/"
_RECORD_ROOT = BASE + "id/record/"
_REGION_CLASS = {"un-regional-group": IGF.UNRegionalGroup, "geographic-region": IGF.Region}
_LISTING = {"listed": IGF.listedIn, "not-listed": IGF.notListedIn, "unknown": IGF.listingUnknownIn}
_NAME_PREDICATE = {
    "acronym": IGF.acronym,
    "alt-name": SKOS.altLabel,
    "former-name": SKOS.hiddenLabel,
    "former-acronym": SKOS.hiddenLabel,
}


@dataclass
class BuildResult:
    """A built graph and where each entity came from.

    Attributes
    ----------
    graph : rdflib.Graph
        Ontology + instance data + dataset description.
    origins : dict of rdflib.URIRef to (str, int)
        For each minted entity, the table file and line that created it, so a SHACL
        violation on a focus node can be reported as ``bodies.csv, line 7``.
    """

    graph: Graph
    origins: dict[URIRef, tuple[str, int]] = field(default_factory=dict)


def read_ontology(path: Path | None = None) -> Graph:
    """Parse the igfgraph ontology (``ontology/igf.ttl`` and its ``ontology/schemes.ttl``).

    Parameters
    ----------
    path : pathlib.Path, optional
        Another Turtle file to use instead of the shipped ontology and schemes.

    Returns
    -------
    rdflib.Graph
        The ontology's triples.

    Raises
    ------
    InputError
        The file is missing or not valid Turtle.
    """
    paths = [path] if path is not None else [ontology_file(), schemes_file()]
    graph = Graph()
    for one in paths:
        try:
            graph.parse(one, format="turtle")
        except (OSError, SyntaxError, ValueError) as exc:  # rdflib raises BadSyntax
            msg = f"{one}: cannot read the ontology ({exc})"
            raise InputError(msg) from exc
    return graph


def _year(value: str) -> Literal | None:
    # Years are xsd:integer (ontology 0.2.0), so FILTER (?year <= 2021) works in every engine.
    # The table schema checked it is an integer in 1900–2100; "+2014" or "02014" become 2014.
    return Literal(int(value)) if value else None


def _date(value: str) -> Literal | None:
    if not value:
        return None
    datatype = {10: XSD.date, 7: XSD.gYearMonth, 4: XSD.gYear}.get(len(value), XSD.string)
    return Literal(value, datatype=datatype)


def _en(value: str) -> Literal | None:
    return Literal(value, lang="en") if value else None


class _Builder:
    """Holds the graph under construction and the lookup tables between steps."""

    def __init__(self, tables: Tables, ontology: Graph):
        self.tables = tables
        self.g = bind_prefixes(Graph())
        for triple in ontology:
            self.g.add(triple)
        self.origins: dict[URIRef, tuple[str, int]] = {}
        self.bodies: dict[str, URIRef] = {}
        self.problems: list[Problem] = []
        self.records: set[URIRef] = set()

    # -- helpers -------------------------------------------------------------------------
    def add(self, s: URIRef, p: URIRef, o) -> None:
        if o is not None:
            self.g.add((s, p, o))

    def mint(self, node: URIRef, table: str, line: int) -> URIRef:
        self.origins.setdefault(node, (f"{table}.csv", line))
        return node

    def record(self, entity: URIRef, table: str | None = None, line: int = 0) -> URIRef:
        """Return the catalogue record describing ``entity`` (made on first use).

        The record ``…/id/record/{segment}/{id}`` is a ``dcat:CatalogRecord`` whose
        ``foaf:primaryTopic`` is the entity (and the entity ``foaf:isPrimaryTopicOf`` it, the
        inverse, which the shapes follow); sources, locator, confidence and notes of the
        entity's rows go on it, so the entity is never a ``prov:Entity`` derived from a page.
        """
        rec = URIRef(str(entity).replace(_ID_ROOT, _RECORD_ROOT, 1))
        if rec not in self.records:
            self.records.add(rec)
            self.add(rec, RDF.type, DCAT.CatalogRecord)
            self.add(rec, FOAF.primaryTopic, entity)
            self.add(entity, FOAF.isPrimaryTopicOf, rec)
        if table is not None:
            self.mint(rec, table, line)
        return rec

    def agent(self, name: str) -> URIRef | None:
        """Return the agent node ``id/agent/{slug}`` named ``name`` (publishers of sources)."""
        if not name:
            return None
        a = iri("agent", slug(name))
        self.add(a, RDF.type, DCTERMS.Agent)
        self.add(a, RDF.type, FOAF.Agent)
        self.add(a, FOAF.name, Literal(name))
        return a

    def describe(self, entity: URIRef, row: dict[str, str], table: str, line: int) -> None:
        """Cite the source of an entity's own row on its catalogue record."""
        self.cite(self.record(entity, table, line), row)

    def cite(self, node: URIRef, row: dict[str, str], *, locator: bool = True) -> None:
        self.add(node, PROV.wasDerivedFrom, iri("source", row["source_id"]))
        if locator:
            self.add(
                node, IGF.sourceLocator, Literal(row["locator"]) if row.get("locator") else None
            )
        if row.get("confidence"):
            self.add(node, IGF.confidence, Literal(row["confidence"]))
        if row.get("note"):
            self.add(node, SKOS.editorialNote, _en(row["note"]))

    def body(self, table: str, line: int, column: str, body_id: str) -> URIRef:
        try:
            return self.bodies[body_id]
        except KeyError:  # foreign keys are checked by frictionless; this guards check=False
            self.problems.append(
                Problem(f"{table}.csv", line, column, f"unknown body id {body_id!r}")
            )
            return iri("body", body_id)

    # -- one step per table ----------------------------------------------------------------
    def sources(self) -> None:
        for line, r in self.tables.rows("sources"):
            s = self.mint(iri("source", r["id"]), "sources", line)
            self.add(s, RDF.type, IGF.Source)
            self.add(s, DCTERMS.identifier, Literal(r["id"]))
            self.add(s, DCTERMS.title, Literal(r["title"]))
            self.add(s, DCTERMS.publisher, self.agent(r["publisher"]))
            self.add(s, SDO.url, URIRef(r["url"]) if r["url"] else None)
            self.add(s, DCTERMS.issued, _date(r["issued"]))
            self.add(s, DCTERMS.type, iri("source-type", r["type"]))  # a concept (schemes.ttl)
            self.add(s, SKOS.editorialNote, _en(r["note"]))

    def bodies_(self) -> None:
        for line, r in self.tables.rows("bodies"):
            b = self.mint(body_iri(r["kind"], r["id"]), "bodies", line)
            self.bodies[r["id"]] = b
            self.add(b, RDF.type, body_class(r["kind"]))
            self.add(b, DCTERMS.identifier, Literal(r["id"]))
            self.add(b, SKOS.prefLabel, _en(r["name"]))
            self.add(b, DCTERMS.description, _en(r["summary"]))
            self.add(b, IGF.established, _year(r["established"]))
            self.add(b, IGF.ended, _year(r["ended"]))
            self.add(b, FOAF.homepage, URIRef(r["homepage"]) if r["homepage"] else None)
            self.describe(b, r, "bodies", line)
        for body_id, cls in MODALITY_MEMBERS.items():
            if body_id in self.bodies:
                self.add(self.bodies[body_id], IGF.memberKind, cls)

    def body_names(self) -> None:
        for line, r in self.tables.rows("body_names"):
            b = self.body("body_names", line, "body_id", r["body_id"])
            value = Literal(r["value"]) if r["type"] == "acronym" else _en(r["value"])
            self.add(b, _NAME_PREDICATE[r["type"]], value)
            self.add(self.record(b), PROV.wasDerivedFrom, iri("source", r["source_id"]))

    def themes(self) -> None:
        self.add(IGF.ThemeScheme, RDF.type, SKOS.ConceptScheme)
        for line, r in self.tables.rows("themes"):
            t = self.mint(iri("theme", r["id"]), "themes", line)
            self.add(t, RDF.type, IGF.Theme)
            self.add(t, SKOS.inScheme, IGF.ThemeScheme)
            self.add(t, SKOS.prefLabel, _en(r["label"]))
            self.add(t, SKOS.definition, _en(r["definition"]))
            self.add(t, SKOS.notation, Literal(r["id"], datatype=IGF.Notation))
            self.add(t, DCTERMS.identifier, Literal(r["id"]))  # like bodies (issue 9)
            if r["broader_id"]:
                self.add(t, SKOS.broader, iri("theme", r["broader_id"]))
                self.add(iri("theme", r["broader_id"]), SKOS.narrower, t)
            else:
                self.add(t, SKOS.topConceptOf, IGF.ThemeScheme)
                self.add(IGF.ThemeScheme, SKOS.hasTopConcept, t)
            self.describe(t, r, "themes", line)
        for _line, r in self.tables.rows("theme_labels"):
            predicate = SKOS.altLabel if r["type"] == "alt" else SKOS.hiddenLabel
            self.add(iri("theme", r["theme_id"]), predicate, _en(r["label"]))
        for line, r in self.tables.rows("concept_schemes"):
            s = self.mint(iri("scheme", r["id"]), "concept_schemes", line)
            self.add(s, RDF.type, SKOS.ConceptScheme)
            self.add(s, DCTERMS.title, _en(r["title"]))
            self.add(s, SKOS.prefLabel, _en(r["title"]))
            self.add(s, DCTERMS.publisher, self.agent(r["publisher"]))
            self.add(s, SDO.url, URIRef(r["url"]) if r["url"] else None)
            self.describe(s, r, "concept_schemes", line)
        for line, r in self.tables.rows("external_concepts"):
            c = self.mint(iri("concept", r["id"]), "external_concepts", line)
            self.add(c, RDF.type, SKOS.Concept)
            self.add(c, SKOS.inScheme, iri("scheme", r["scheme_id"]))
            # we record an outside taxonomy's concepts without its hierarchy: each is a top one
            self.add(c, SKOS.topConceptOf, iri("scheme", r["scheme_id"]))
            self.add(iri("scheme", r["scheme_id"]), SKOS.hasTopConcept, c)
            self.add(c, SKOS.prefLabel, _en(r["label"]))
            self.add(c, SDO.url, URIRef(r["url"]) if r["url"] else None)
            self.describe(c, r, "external_concepts", line)
        for _line, r in self.tables.rows("theme_mappings"):
            self.add(
                iri("theme", r["theme_id"]), SKOS[r["relation"]], iri("concept", r["concept_id"])
            )

    def body_themes(self) -> None:
        for line, r in self.tables.rows("body_themes"):
            b = self.body("body_themes", line, "body_id", r["body_id"])
            t = iri("theme", r["theme_id"])
            f = self.mint(iri("focus", r["body_id"], r["theme_id"]), "body_themes", line)
            self.add(f, RDF.type, IGF.ThematicFocus)
            self.add(f, IGF.focusOf, b)
            self.add(f, IGF.focusOn, t)
            self.add(f, IGF.basis, _BASIS[r["basis"]])
            self.cite(f, r)
            self.add(b, IGF.addressesTheme, t)

    def outputs(self) -> None:
        for line, r in self.tables.rows("outputs"):
            o = self.mint(iri("output", r["id"]), "outputs", line)
            self.add(o, RDF.type, IGF.Output)
            self.add(o, DCTERMS.identifier, Literal(r["id"]))
            self.add(o, DCTERMS.title, Literal(r["title"]))
            self.add(o, DCTERMS.type, iri("output-type", r["type"]))  # a concept (schemes.ttl)
            self.add(o, DCTERMS.issued, _date(r["issued"]))  # a date (xsd:gYear), not a year
            self.add(o, SDO.url, URIRef(r["url"]) if r["url"] else None)
            self.describe(o, r, "outputs", line)
        for line, r in self.tables.rows("output_creators"):
            o = iri("output", r["output_id"])
            self.add(
                o, DCTERMS.creator, self.body("output_creators", line, "body_id", r["body_id"])
            )
            self.add(self.record(o), PROV.wasDerivedFrom, iri("source", r["source_id"]))

    def places_and_meetings(self) -> None:
        for line, r in self.tables.rows("regions"):
            reg = self.mint(iri("region", r["id"]), "regions", line)
            self.add(reg, RDF.type, _REGION_CLASS[r["type"]])
            self.add(reg, DCTERMS.identifier, Literal(r["id"]))
            self.add(reg, SKOS.prefLabel, _en(r["name"]))
            self.describe(reg, r, "regions", line)
        for line, r in self.tables.rows("countries"):
            c = self.mint(iri("country", r["id"]), "countries", line)
            self.add(c, RDF.type, SDO.Country)
            self.add(c, DCTERMS.identifier, Literal(r["id"]))
            self.add(c, SKOS.prefLabel, _en(r["name"]))
            self.add(c, IGF.iso3166Alpha2, Literal(r["iso_alpha2"]))
            if r["wikidata"]:
                wikidata = URIRef("http://www.wikidata.org/entity/" + r["wikidata"])
                self.add(c, SDO.sameAs, wikidata)  # not skos:exactMatch: a country is no Concept
            self.describe(c, r, "countries", line)
        for line, r in self.tables.rows("nri_places"):
            b = self.body("nri_places", line, "body_id", r["body_id"])
            if r["country_id"]:
                self.add(b, IGF.servesArea, iri("country", r["country_id"]))
            if r["region_id"]:
                self.add(b, IGF.servesArea, iri("region", r["region_id"]))
            if r["un_group_id"]:
                self.add(b, IGF.regionalGroup, iri("region", r["un_group_id"]))
            self.add(b, IGF.youthScope, Literal(r["scope"]) if r["scope"] else None)
            self.add(self.record(b), PROV.wasDerivedFrom, iri("source", r["source_id"]))
        for line, r in self.tables.rows("meetings"):
            m = self.mint(iri("meeting", r["id"]), "meetings", line)
            self.add(m, RDF.type, IGF.AnnualMeeting)
            self.add(m, DCTERMS.identifier, Literal(r["id"]))
            self.add(m, SKOS.prefLabel, _en(r["name"]))
            self.add(m, IGF.meetingNumber, Literal(int(r["number"])))
            self.add(m, IGF.year, _year(r["year"]))
            self.add(m, IGF.hostCity, Literal(r["host_city"]) if r["host_city"] else None)
            if r["host_country_id"]:
                self.add(m, IGF.hostCountry, iri("country", r["host_country_id"]))
            self.add(m, SDO.startDate, _date(r["start_date"]))
            self.add(m, SDO.endDate, _date(r["end_date"]))
            self.add(m, IGF.overarchingTheme, _en(r["theme"]))
            self.add(m, IGF.meetingFormat, Literal(r["format"]))
            self.describe(m, r, "meetings", line)
        for line, r in self.tables.rows("sessions"):
            s = self.mint(iri("session", r["id"]), "sessions", line)
            self.add(s, RDF.type, IGF.Session)
            self.add(s, DCTERMS.identifier, Literal(r["id"]))
            self.add(s, DCTERMS.title, Literal(r["title"]))
            self.add(s, DCTERMS.type, Literal(r["type"]))
            self.add(s, IGF.heldAt, iri("meeting", r["meeting_id"]))
            self.add(s, SDO.startDate, _date(r["date"]))
            self.add(s, IGF.sessionFormat, Literal(r["format"]) if r["format"] else None)
            self.add(s, IGF.programmeTrack, Literal(r["track"]) if r["track"] else None)
            self.cite(s, r)
        for line, r in self.tables.rows("session_organizers"):
            s = iri("session", r["session_id"])
            self.add(
                s, IGF.organizedBy, self.body("session_organizers", line, "body_id", r["body_id"])
            )
            self.add(s, PROV.wasDerivedFrom, iri("source", r["source_id"]))
        for line, r in self.tables.rows("session_participants"):
            s = iri("session", r["session_id"])
            self.add(
                s, IGF.participant, self.body("session_participants", line, "body_id", r["body_id"])
            )
            self.add(s, PROV.wasDerivedFrom, iri("source", r["source_id"]))

    def cycles(self) -> None:
        for line, r in self.tables.rows("cycles"):
            b = self.body("cycles", line, "body_id", r["body_id"])
            c = self.mint(iri("cycle", r["body_id"], str(int(r["year"]))), "cycles", line)
            self.add(c, RDF.type, IGF.Cycle)
            self.add(c, IGF.cycleOf, b)
            self.add(c, IGF.year, _year(r["year"]))
            self.add(c, DCTERMS.title, _en(r["title"]))
            self.cite(c, r)
            self.add(b, IGF.activeIn, _year(r["year"]))

    def links(self) -> None:
        for line, r in self.tables.rows("liaisons"):
            node = self.mint(iri("liaison", r["id"]), "liaisons", line)
            a = self.body("liaisons", line, "party_a", r["party_a"])
            b = self.body("liaisons", line, "party_b", r["party_b"])
            self.add(node, RDF.type, IGF.Liaison)
            self.add(node, IGF.party, a)
            self.add(node, IGF.party, b)
            self.add(node, IGF.liaisonKind, _LIAISON_KIND[r["kind"]])
            self.add(node, IGF.startYear, _year(r["start_year"]))
            self.add(node, IGF.endYear, _year(r["end_year"]))
            self.add(node, DCTERMS.description, _en(r["description"]))
            self.cite(node, r)
            self.add(a, IGF.liaisesWith, b)
            self.add(b, IGF.liaisesWith, a)
        for line, r in self.tables.rows("relations"):
            s = self.body("relations", line, "subject_id", r["subject_id"])
            o = self.body("relations", line, "object_id", r["object_id"])
            self.add(s, _RELATION[r["predicate"]], o)
            self.add(self.record(s), PROV.wasDerivedFrom, iri("source", r["source_id"]))

    def collaborations(self) -> None:
        """Type each liaison by its evidence; derive co-organised, co-authored, co-presence ones.

        A curated liaison (``liaisons.csv``) is ``stated``. The others are derived here,
        one ``igf:Liaison`` per evidence type and pair of bodies, so they cannot drift from
        the rows they come from (:func:`derived_collaborations`).
        """
        for _line, r in self.tables.rows("liaisons"):
            self.add(iri("liaison", r["id"]), IGF.evidenceType, IGF.EvidenceStated)
        for c in derived_collaborations(self.tables):
            node = self.mint(iri("liaison", c.evidence, c.a, c.b), c.table, c.line)
            a = self.body(c.table, c.line, "body_id", c.a)
            b = self.body(c.table, c.line, "body_id", c.b)
            self.add(node, RDF.type, IGF.Liaison)
            self.add(node, IGF.party, a)
            self.add(node, IGF.party, b)
            self.add(node, IGF.liaisonKind, _DERIVED_KIND[c.evidence])
            self.add(node, IGF.evidenceType, EVIDENCE[c.evidence])
            self.add(node, IGF.startYear, _year(str(c.first_year) if c.first_year else ""))
            self.add(node, DCTERMS.description, _en(c.description()))
            self.cite(node, c.first_row)
            for kind, item_id, _item_year, row in c.items:
                self.add(node, IGF.evidencedBy, iri(kind, item_id))
                self.add(node, PROV.wasDerivedFrom, iri("source", row["source_id"]))
            if c.evidence != "co-presence":  # a weak tie: no shortcut (S27)
                self.add(a, IGF.liaisesWith, b)
                self.add(b, IGF.liaisesWith, a)

    def recommendations(self) -> None:
        for line, r in self.tables.rows("recommendations"):
            rec = self.mint(iri("recommendation", r["id"]), "recommendations", line)
            self.add(rec, RDF.type, IGF.Recommendation)
            self.add(rec, DCTERMS.identifier, Literal(r["id"]))
            self.add(rec, SKOS.prefLabel, _en(r["title"]))
            self.add(rec, DCTERMS.description, _en(r["summary"]))
            self.cite(rec, r)
        for line, r in self.tables.rows("recommendation_parties"):
            rec = iri("recommendation", r["recommendation_id"])
            self.add(
                rec,
                IGF.recommends,
                self.body("recommendation_parties", line, "body_id", r["body_id"]),
            )

    def registers(self) -> None:
        for line, r in self.tables.rows("registers"):
            reg = self.mint(iri("register", r["id"]), "registers", line)
            self.add(reg, RDF.type, IGF.Register)
            self.add(reg, DCTERMS.identifier, Literal(r["id"]))
            self.add(reg, DCTERMS.title, _en(r["title"]))
            self.add(reg, DCTERMS.date, _date(r["as_of"]))
            self.cite(reg, r)
        for line, r in self.tables.rows("register_entries"):
            b = self.body("register_entries", line, "body_id", r["body_id"])
            self.add(b, _LISTING[r["status"]], iri("register", r["register_id"]))

    def dataset(self) -> None:
        d = DATASET
        g = self.g
        desc = self.tables.descriptor
        self.add(d, RDF.type, VOID.Dataset)
        self.add(d, RDF.type, DCAT.Dataset)
        self.add(d, DCTERMS.title, _en(desc.get("title", "igfgraph")))
        self.add(d, DCTERMS.description, _en(desc.get("description", "")))
        self.add(d, DCTERMS.license, _LICENCE)
        self.add(d, OWL.versionInfo, Literal(self.tables.version))
        self.add(d, URIRef(str(DCAT) + "version"), Literal(self.tables.version))  # DCAT 3
        self.add(d, VOID.uriSpace, Literal(BASE + "id/"))
        self.add(d, VOID.vocabulary, URIRef(IGF_NS))
        self.add(d, DCTERMS.conformsTo, URIRef(IGF_NS.rstrip("#")))
        for s in sorted(set(g.subjects(RDF.type, IGF.Source))):
            self.add(d, DCTERMS.source, s)
        self.add(d, RDF.type, DCAT.Catalog)
        for rec in sorted(self.records):
            self.add(d, DCAT.record, rec)
        entities = {
            s
            for s in g.subjects()
            if isinstance(s, URIRef) and str(s).startswith(_ID_ROOT) and s not in self.records
        }
        entities.discard(d)
        self.add(d, VOID.entities, Literal(len(entities)))
        self.add(d, VOID.triples, Literal(0))  # placeholder; replaced below by the final count
        g.set((d, VOID.triples, Literal(len(g))))

    def run(self) -> BuildResult:
        steps: Iterable = (
            self.sources,
            self.bodies_,
            self.body_names,
            self.themes,
            self.body_themes,
            self.outputs,
            self.places_and_meetings,
            self.cycles,
            self.links,
            self.collaborations,
            self.recommendations,
            self.registers,
            self.dataset,
        )
        for step in steps:
            step()
        if self.problems:
            raise DataPackageError(self.problems)
        return BuildResult(self.g, self.origins)


def build_graph(tables: Tables, *, ontology: Graph | None = None) -> BuildResult:
    """Build the knowledge graph from checked tables.

    Parameters
    ----------
    tables : Tables
        The data package, as returned by :func:`igfgraph.tables.load_tables`.
    ontology : rdflib.Graph, optional
        The ontology to merge in; the shipped ``ontology/igf.ttl`` when ``None``.

    Returns
    -------
    BuildResult
        The graph (ontology + data + VoID/DCAT description, no blank nodes) and the
        origin (file, line) of every minted entity.

    Raises
    ------
    DataPackageError
        A row points at a body that does not exist (only reachable when the tables
        were loaded with ``check=False``).
    """
    return _Builder(tables, ontology if ontology is not None else read_ontology()).run()
