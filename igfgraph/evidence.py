"""Collaborations typed by evidence: the four kinds, and the three the build derives.

A *collaboration* is an ``igf:Liaison`` between two bodies, typed by what it rests on
(``igf:evidenceType``, a concept of ``igf:EvidenceScheme``):

* ``stated`` — a source says the two worked together: the rows of ``liaisons.csv``;
* ``co-organised`` — both organised the same session (``session_organizers.csv``);
* ``co-authored`` — both created the same output (``output_creators.csv``);
* ``co-presence`` — both took part in (organised or joined) the same main session,
  without both organising it (``session_participants.csv`` and the organisers).

The last three are derived from the tables by :func:`derived_collaborations` at build
time, one per evidence type and pair of bodies, dated by the earliest session or output,
so they cannot drift from the rows they come from. Analyses count
:data:`DEFAULT_EVIDENCE` unless told otherwise: a main session of twelve coalitions
would otherwise make a twelve-body clique every year.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

from rdflib import URIRef

from igfgraph.namespaces import IGF

__all__ = [
    "DEFAULT_EVIDENCE",
    "DERIVED_KIND",
    "EVIDENCE",
    "EVIDENCE_TYPES",
    "DerivedCollaboration",
    "derived_collaborations",
    "evidence_label",
    "parse_evidence",
]

#: every evidence type, strongest first; the names are the concepts' ``skos:notation``
EVIDENCE_TYPES: tuple[str, ...] = ("stated", "co-organised", "co-authored", "co-presence")
#: what the analyses count when not told otherwise
DEFAULT_EVIDENCE: tuple[str, ...] = ("stated", "co-organised", "co-authored")
#: evidence type → its concept in ``igf:EvidenceScheme``
EVIDENCE: dict[str, URIRef] = {
    "stated": IGF.EvidenceStated,
    "co-organised": IGF.EvidenceCoOrganised,
    "co-authored": IGF.EvidenceCoAuthored,
    "co-presence": IGF.EvidenceCoPresence,
}
#: derived evidence type → the liaison kind (``igf:LiaisonKindScheme``) of its liaisons
DERIVED_KIND: dict[str, URIRef] = {
    "co-organised": IGF.CoOrganisedSession,
    "co-authored": IGF.CoAuthoredOutput,
    "co-presence": IGF.CoPresence,
}
_MAIN_SESSION = "main-session"


def parse_evidence(values: Iterable[str] | None) -> tuple[str, ...]:
    """Read a list of evidence types (names, or comma-separated names; ``all`` for every one).

    Parameters
    ----------
    values : iterable of str or None
        Such as ``["stated,co-organised"]`` or ``["all"]``; ``None`` or empty gives
        :data:`DEFAULT_EVIDENCE`.

    Returns
    -------
    tuple of str
        The types, in the order of :data:`EVIDENCE_TYPES`, without repeats.

    Raises
    ------
    ValueError
        A name that is not an evidence type (the message lists the allowed ones).

    Examples
    --------
    >>> parse_evidence(["co-presence,stated"])
    ('stated', 'co-presence')
    >>> parse_evidence(None) == DEFAULT_EVIDENCE
    True
    """
    names = [n.strip() for v in values or () for n in v.split(",") if n.strip()]
    if not names:
        return DEFAULT_EVIDENCE
    if "all" in names:
        return EVIDENCE_TYPES
    unknown = [n for n in names if n not in EVIDENCE_TYPES]
    if unknown:
        allowed = ", ".join(EVIDENCE_TYPES)
        msg = f"unknown evidence type {', '.join(map(repr, unknown))}; choose from: {allowed}, all"
        raise ValueError(msg)
    return tuple(t for t in EVIDENCE_TYPES if t in names)


def evidence_label(evidence: Iterable[str]) -> str:
    """Say which evidence types an analysis counted, for a header line or a column.

    Examples
    --------
    >>> evidence_label(("co-organised", "stated"))
    'stated, co-organised'
    """
    chosen = set(evidence)
    return ", ".join(t for t in EVIDENCE_TYPES if t in chosen)


@dataclass(frozen=True)
class DerivedCollaboration:
    """One derived collaboration: a pair of bodies, an evidence type and its evidence.

    Attributes
    ----------
    evidence : str
        ``"co-organised"``, ``"co-authored"`` or ``"co-presence"``.
    a, b : str
        Body ids, ``a < b``.
    items : tuple of (str, str, int or None, dict)
        The evidence, earliest first: ``("session" | "output", id, year, row)`` where
        ``row`` is the session's or output's table row (source, locator, confidence).
    table : str
        ``"sessions"`` or ``"outputs"``.
    line : int
        Line of the earliest item in that table (for error messages).
    """

    evidence: str
    a: str
    b: str
    items: tuple[tuple[str, str, int | None, dict[str, str]], ...]
    table: str
    line: int

    @property
    def first_year(self) -> int | None:
        """The earliest year of the evidence (``None`` when no item is dated)."""
        years = [year for _kind, _id, year, _row in self.items if year is not None]
        return min(years) if years else None

    @property
    def first_row(self) -> dict[str, str]:
        """Source, locator and confidence of the earliest item (the collaboration's own)."""
        row = self.items[0][3]
        return {k: row[k] for k in ("source_id", "locator", "confidence")}

    def description(self) -> str:
        """Say in a sentence what the collaboration is derived from."""
        ids = ", ".join(item_id for _kind, item_id, _year, _row in self.items)
        what = {
            "co-organised": "organised together",
            "co-authored": "created together",
            "co-presence": "both took part in",
        }[self.evidence]
        noun = "output" if self.table == "outputs" else "session"
        plural = "" if len(self.items) == 1 else "s"
        return f"Derived: {len(self.items)} {noun}{plural} {what} ({ids})."


def derived_collaborations(tables) -> list[DerivedCollaboration]:
    """Derive the co-organised, co-authored and co-presence collaborations from the tables.

    Parameters
    ----------
    tables : igfgraph.tables.Tables
        The data package (``sessions``, ``session_organizers``, ``session_participants``,
        ``outputs``, ``output_creators``, ``meetings`` and ``bodies`` are read).

    Returns
    -------
    list of DerivedCollaboration
        One per evidence type and unordered pair of bodies, sorted by evidence type (in
        the order of :data:`EVIDENCE_TYPES`) and pair. A session's year is its meeting's;
        an output's is its ``issued`` year, if any. Modalities ("the DCs") are never a
        party: they do not link two particular bodies.

        * co-organised: every pair of organisers of a session;
        * co-authored: every pair of creators of an output;
        * co-presence: every pair of bodies that organised or joined a session of type
          ``main-session``, except pairs that both organised it (those are co-organised).
    """
    modalities = {r["id"] for _line, r in tables.rows("bodies") if r["kind"] == "modality"}
    years = {r["id"]: int(r["year"]) for _line, r in tables.rows("meetings")}
    sessions = {r["id"]: (line, r) for line, r in tables.rows("sessions")}
    outputs = {r["id"]: (line, r) for line, r in tables.rows("outputs")}

    def members(table: str, key: str) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for _line, r in tables.rows(table):
            if r["body_id"] not in modalities:
                found.setdefault(r[key], []).append(r["body_id"])
        return {k: sorted(set(v)) for k, v in found.items()}

    organisers = members("session_organizers", "session_id")
    participants = members("session_participants", "session_id")
    creators = members("output_creators", "output_id")
    found: dict[tuple[str, str, str], list[tuple[str, str]]] = {}
    for session_id, orgs in organisers.items():
        for a, b in combinations(orgs, 2):
            found.setdefault(("co-organised", a, b), []).append(("session", session_id))
    for output_id, bodies in creators.items():
        for a, b in combinations(bodies, 2):
            found.setdefault(("co-authored", a, b), []).append(("output", output_id))
    for session_id, (_line, row) in sessions.items():
        if row["type"] != _MAIN_SESSION:
            continue
        orgs = set(organisers.get(session_id, ()))
        present = sorted(orgs | set(participants.get(session_id, ())))
        for a, b in combinations(present, 2):
            if not (a in orgs and b in orgs):
                found.setdefault(("co-presence", a, b), []).append(("session", session_id))

    result = []
    for (evidence, a, b), refs in found.items():
        items = []
        for kind, item_id in refs:
            if kind == "session":
                line, row = sessions[item_id]
                year = years.get(row["meeting_id"])
            else:
                line, row = outputs[item_id]
                year = int(row["issued"]) if row["issued"] else None
            items.append((kind, item_id, year, row, line))
        items.sort(key=lambda i: (i[2] is None, i[2] or 0, i[1]))
        result.append(
            DerivedCollaboration(
                evidence=evidence,
                a=a,
                b=b,
                items=tuple((k, i, y, r) for k, i, y, r, _line in items),
                table="sessions" if items[0][0] == "session" else "outputs",
                line=items[0][4],
            )
        )
    order = {t: n for n, t in enumerate(EVIDENCE_TYPES)}
    return sorted(result, key=lambda c: (order[c.evidence], c.a, c.b))
