"""The typed facts of the read model (frozen dataclasses; every node is keyed by its IRI)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from igfgraph.activity import Activity, ActivityEvidence, Verdict, activity_in
from igfgraph.kinds import KINDS

__all__ = [
    "CENTRALITY_RELATIONS",
    "LINEAGE_RELATIONS",
    "Body",
    "Collaboration",
    "Focus",
    "Listing",
    "Meeting",
    "Output",
    "Party",
    "ReadModel",
    "Recommendation",
    "Relation",
    "Session",
    "Source",
    "Theme",
]

#: governance relations that are ties of the centrality network (local names)
CENTRALITY_RELATIONS: tuple[str, ...] = (
    "coordinates", "accredits", "supports", "hosts", "appoints", "establishes", "mandates",
    "convenes", "recognises", "unitOf", "isPartOf",
)  # fmt: skip
#: lineage relations: recorded, but a predecessor is not a tie
LINEAGE_RELATIONS: tuple[str, ...] = ("succeeds", "mergedInto")


@dataclass(frozen=True)
class Body:
    """A body (any kind of :data:`igfgraph.kinds.KINDS`, modalities and UN context included).

    Attributes
    ----------
    iri, id, kind : str
        Its IRI, curated id and ``bodies.kind`` value.
    name : str
        Its English name (``skos:prefLabel``).
    acronym : str
        Its acronym, ``""`` when it has none.
    other_names : tuple of (str, str)
        ``(type, name)`` with type ``"alt"`` (variant) or ``"former"`` (former name or
        acronym), sorted.
    summary, confidence, homepage : str
        ``""`` when not recorded.
    established, ended : int or None
        Years.
    evidence : ActivityEvidence
        Its dated evidence of activity and inactivity (:mod:`igfgraph.activity`).
    regional_group : str or None
        For an NRI, the IRI of its UN regional group (``None``: cross-regional or unknown).
    group_label : str
        That group's name.
    areas : tuple of str
        For an NRI, names of the countries or regions it serves, sorted.
    """

    iri: str
    id: str
    kind: str
    name: str
    acronym: str = ""
    other_names: tuple[tuple[str, str], ...] = ()
    summary: str = ""
    confidence: str = ""
    homepage: str = ""
    established: int | None = None
    ended: int | None = None
    evidence: ActivityEvidence = field(default_factory=ActivityEvidence)
    regional_group: str | None = None
    group_label: str = ""
    areas: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The short label: the acronym, else the name."""
        return self.acronym or self.name

    @property
    def group(self) -> str:
        """The kind's group (``"igf"``, ``"intersessional"``, ``"nri"``, ``"context"``)."""
        return KINDS[self.kind].group

    def activity(self, year: int) -> Verdict:
        """Active, inactive or unknown in ``year`` (:func:`igfgraph.activity.activity_in`)."""
        return activity_in(self.evidence, year)


@dataclass(frozen=True)
class Theme:
    """A concept of our theme scheme (``broader`` is the IRI of its broader concept or None)."""

    iri: str
    id: str
    label: str
    broader: str | None = None
    definition: str = ""
    other_labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class Source:
    """A source the data cites (``sources.csv``)."""

    iri: str
    id: str
    title: str
    url: str = ""


@dataclass(frozen=True)
class Focus:
    """A body addresses a theme, on a ``basis``: ``"stated"`` or ``"curated"``."""

    body: str
    theme: str
    basis: str


@dataclass(frozen=True)
class TrackTheme:
    """A body organised a session filed under a programme track mapped to one of our themes.

    Dated evidence of the themes a body worked on, kept apart from :class:`Focus`
    (``track_themes.csv``; the analyses use it only with ``--with-session-tracks``).

    Attributes
    ----------
    body, theme, session, track : str
        IRIs of the organising body, our theme, the session and the programme track.
    year : int
        Year of the meeting whose programme has the track.
    label : str
        The track as published.
    relation : str
        The SKOS mapping property, read "track REL theme": ``"exactMatch"``,
        ``"closeMatch"``, ``"broadMatch"`` or ``"narrowMatch"``.
    """

    body: str
    theme: str
    year: int
    track: str
    label: str
    relation: str
    session: str


@dataclass(frozen=True)
class Collaboration:
    """A recorded collaboration (``igf:Liaison``) between two parties, ``a < b`` (IRIs).

    Attributes
    ----------
    iri, a, b : str
    kind : str
        Local name of its liaison kind (``"FormalLiaison"``, ``"Collaboration"``…).
    kind_label : str
        The kind's label ("formal liaison", …).
    evidence : str
        What it rests on: ``"stated"`` (a source says so: every curated liaison),
        ``"co-organised"``, ``"co-authored"`` or ``"co-presence"`` (derived ones).
    first_year, end_year : int or None
    sources : tuple of str
        IRIs of its sources, sorted.
    locator : str
        Where in the source (``""`` when not recorded).
    """

    iri: str
    a: str
    b: str
    kind: str
    kind_label: str = ""
    evidence: str = "stated"
    first_year: int | None = None
    end_year: int | None = None
    sources: tuple[str, ...] = ()
    locator: str = ""


@dataclass(frozen=True)
class Relation:
    """A directed relation ``subject predicate object``; ``predicate`` is a local name."""

    subject: str
    predicate: str
    object: str

    @property
    def lineage(self) -> bool:
        """True for succession and merger (:data:`LINEAGE_RELATIONS`)."""
        return self.predicate in LINEAGE_RELATIONS


@dataclass(frozen=True)
class Listing:
    """A body's status on a register (``year`` of the register's date, None if undated).

    ``title`` is the register's title, ``date`` its date as written (``""`` if undated).
    """

    body: str
    register: str
    status: str
    year: int | None
    title: str = ""
    date: str = ""


@dataclass(frozen=True)
class Meeting:
    """An annual meeting."""

    iri: str
    id: str
    label: str
    year: int


@dataclass(frozen=True)
class Session:
    """A session at an annual meeting, with its organisers and other participants (IRIs).

    ``track`` is the programme track it was filed under, as published (``""`` if none).
    """

    iri: str
    id: str
    title: str
    type: str
    meeting: str
    year: int | None
    organisers: tuple[str, ...] = ()
    participants: tuple[str, ...] = ()
    track: str = ""


@dataclass(frozen=True)
class Output:
    """An output, the year it was issued and the bodies that created it."""

    iri: str
    id: str
    title: str
    type: str
    issued: int | None
    creators: tuple[str, ...] = ()
    issued_text: str = ""
    url: str = ""


@dataclass(frozen=True)
class Party:
    """A party a recommendation names: a body, or a modality standing for ``member_kinds``."""

    iri: str
    member_kinds: tuple[str, ...] = ()

    def stands_for(self, body: Body) -> bool:
        """Say whether this party is ``body`` or a modality standing for its kind."""
        return body.iri == self.iri or body.kind in self.member_kinds


@dataclass(frozen=True)
class Recommendation:
    """A DCCG recommendation and the parties it names."""

    iri: str
    id: str
    title: str
    locator: str = ""
    source: str = ""
    parties: tuple[Party, ...] = ()

    @property
    def citation(self) -> str:
        """``"title (locator, source)"``."""
        where = ", ".join(x for x in (self.locator, self.source) if x)
        return f"{self.title} ({where})" if where else self.title


@dataclass(frozen=True)
class ReadModel:
    """Every fact the analyses, report, views and CLI tables read, read once from the graph.

    Attributes
    ----------
    bodies : dict of str to Body
        By IRI, sorted by IRI.
    themes : dict of str to Theme
        By IRI, sorted by IRI.
    focus : tuple of Focus
    track_themes : tuple of TrackTheme
        Themes of the programme tracks of the sessions each body organised, dated.
    collaborations : tuple of Collaboration
    relations : tuple of Relation
    listings : tuple of Listing
    meetings : dict of str to Meeting
    sessions : tuple of Session
    outputs : tuple of Output
    recommendations : tuple of Recommendation
    sources : dict of str to Source
        By IRI.
    cited : dict of str to tuple of str
        Node IRI → IRIs of the sources its facts are derived from (``prov:wasDerivedFrom``).
    """

    bodies: dict[str, Body]
    themes: dict[str, Theme]
    focus: tuple[Focus, ...] = ()
    track_themes: tuple[TrackTheme, ...] = ()
    collaborations: tuple[Collaboration, ...] = ()
    relations: tuple[Relation, ...] = ()
    listings: tuple[Listing, ...] = ()
    meetings: dict[str, Meeting] = field(default_factory=dict)
    sessions: tuple[Session, ...] = ()
    outputs: tuple[Output, ...] = ()
    recommendations: tuple[Recommendation, ...] = ()
    sources: dict[str, Source] = field(default_factory=dict)
    cited: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def sources_of(self, node: str) -> list[Source]:
        """Return the sources cited on a node, sorted by title."""
        return sorted(
            (self.sources[s] for s in self.cited.get(node, ()) if s in self.sources),
            key=lambda s: (s.title, s.iri),
        )

    def of_kind(self, *kinds: str) -> list[Body]:
        """Return the bodies of these kinds, sorted by IRI."""
        return [b for b in self.bodies.values() if b.kind in kinds]

    def themes_of(self, body: str) -> set[str]:
        """Return the theme IRIs a body addresses."""
        return {f.theme for f in self.focus if f.body == body}

    def collaborations_with(self, evidence: Iterable[str] | None = None) -> Iterator[Collaboration]:
        """Yield the collaborations resting on the given evidence types (all when None)."""
        wanted = None if evidence is None else set(evidence)
        for c in self.collaborations:
            if wanted is None or c.evidence in wanted:
                yield c

    def latest_year(self) -> int:
        """Return the latest year of the data: of the annual meetings, else of any dated evidence.

        Raises
        ------
        ValueError
            Nothing in the data is dated.
        """
        years = [m.year for m in self.meetings.values()]
        for b in self.bodies.values():
            years += list(b.evidence.activity_years())
        if not years:
            msg = "the data has no dated fact, so it has no latest year"
            raise ValueError(msg)
        return max(years)

    def activity_counts(self, year: int, kinds: Iterable[str] | None = None) -> dict[Activity, int]:
        """Count bodies (of ``kinds``, all when None) per outcome of the activity rule."""
        wanted = None if kinds is None else set(kinds)
        counts = dict.fromkeys(Activity, 0)
        for b in self.bodies.values():
            if wanted is None or b.kind in wanted:
                counts[b.activity(year).outcome] += 1
        return counts
