"""Find Dynamic Coalition entries and session listings in a document, matched to the data.

The layouts read (each a list item, a heading, a line of its own or a table row):

- DC entries: ``Dynamic Coalition on X (ACR)``, ``DC on X (ACR)``, ``X Dynamic Coalition
  (ACR)``, ``X Coalition (ACR)``, ``ACR: name``, ``ACR – name``, ``name – ACR``, with or
  without an item marker (``1.``, ``•``, ``Item 8``) and with or without a description
  after them; tables with a name column (``Name``, ``Coalition``, ``Dynamic Coalition``)
  and perhaps a short-name column (``Acronym``, ``Short name``, ``Abbreviation``);
- sessions: ``N. ACR Title`` list items (the organiser first, as the DCCG paper's Annex A
  writes them) and schedule tables with a title column (``Title``, ``Session``) and an
  organiser column (``Organiser(s)``, ``Organized by``, ``Coalition``), perhaps with
  ``Type`` and ``Date`` columns.

With ``kind="auto"`` each list or table is read as DC entries or as sessions, whichever
reads more of its items. Every candidate names the place it was read (a locator, not the
text around it) and how it matches the data (:meth:`igfgraph.resolve.Resolver.match`).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from rapidfuzz import fuzz

from igfgraph.csvio import neutralise
from igfgraph.exceptions import InputError
from igfgraph.resolve import AMBIGUOUS_THRESHOLD, MATCH_THRESHOLD, Resolver, topic_words
from igfgraph.tables import Tables, load_tables
from igfgraph.upkeep.document import Block, read_document

__all__ = ["KINDS", "Candidate", "candidates_csv", "extract", "slug"]

#: values of ``--kind``
KINDS = ("auto", "dc-list", "sessions")
#: the body kinds a DC entry is matched against
DC_KINDS = ("dynamic-coalition",)
#: the body kinds that organise sessions
ORGANISER_KINDS = (
    "dynamic-coalition",
    "best-practice-forum",
    "policy-network",
    "coordination-group",
)

_DASH = r"\s+[-–—]\s+"
_ACR = r"[A-Z0-9][\w@&.+/'-]*(?:\s[\w@&.+/'-]+){0,5}"
_NAME_DC = r"(?:Dynamic\s+Coalition|DC)\s+(?:on|for|of)\s+[^()]+?"
_NAME_OTHER = r"[A-Z][^():]*?\s(?:Dynamic\s+)?Coalition(?:\s+(?:on|for)\s+[^()]+?)?"
_NAME = rf"(?:{_NAME_DC}|{_NAME_OTHER})"
_ENTRY_PATTERNS = (
    # name (ACR), perhaps followed by a description
    re.compile(rf"^(?P<name>{_NAME})\s*\((?P<acr>[^()]{{1,60}})\)(?:\s*[:.,;–—-].*)?$"),
    # ACR: name  /  ACR – name
    re.compile(rf"^(?P<acr>{_ACR})(?::\s+|{_DASH})(?P<name>{_NAME})(?:\s*\([^()]*\))?$"),
    # name – ACR
    re.compile(rf"^(?P<name>{_NAME}){_DASH}(?P<acr>{_ACR})$"),
    # name alone
    re.compile(rf"^(?P<name>{_NAME})$"),
)
_HEADER_NAME = ("name", "coalition", "dynamic coalition", "dc", "body", "full name")
_HEADER_ACR = ("acronym", "short name", "short", "abbreviation", "abbrev", "short form")
_HEADER_TITLE = ("title", "session", "session title", "event", "session name")
_HEADER_ORG = (
    "organiser", "organisers", "organizer", "organizers", "organised by", "organized by",
    "host", "hosts", "coalition", "coalitions", "dynamic coalition", "convener", "conveners",
)  # fmt: skip
_HEADER_TYPE = ("type", "session type", "format", "kind")
_HEADER_DATE = ("date", "day")
_HEADER_ITEM = ("no", "nr", "item", "number", "")
_YEAR = re.compile(r"\bIGF[\s-]?(20\d\d|19\d\d)\b")
_SPLIT_ORG = re.compile(r"\s*(?:;|,|/|\+|&|\band\b)\s*")


@dataclass(frozen=True)
class Candidate:
    """One row of a change set (the columns of ``changes.csv``, in this order).

    Attributes
    ----------
    kind : str
        ``dc`` (a Dynamic Coalition entry) or ``session``.
    item : str
        The item number the document gives it, if any.
    name, acronym : str
        For ``dc``: the name and short name as the document writes them.
    title, type, date, meeting : str
        For ``session``: its title, type (``sessions.type`` when the document says),
        date (``YYYY-MM-DD`` when the document gives one) and meeting id (``igf-YYYY``).
    organisers : str
        For ``session``: the organisers as the document writes them (``; ``-separated).
    organiser_ids : str
        For ``session``: their matched body ids, ``; ``-separated (``?`` for one not
        matched).
    locator : str
        Where it was found: ``line 113``, ``page 2, line 7`` or an element path,
        with ``item N`` when numbered.
    match : str
        The matched id (a body for ``dc``, a session for ``session``), ``new`` or
        ``ambiguous``.
    score : str
        Match score, 0-100 (100 for an exact match).
    how : str
        What matched (``acronym``, ``former-acronym``, ``name``, ``topic``, ``fuzzy``…).
    candidates : str
        For ``ambiguous``: the candidates, ``id (score)``, ``; ``-separated.
    proposed_id : str
        For ``new``: a proposed id (the slug of the acronym or name) to confirm.
    source_id : str
        The ``sources.id`` the document will have (``--source-id``).
    """

    kind: str
    item: str
    name: str
    acronym: str
    title: str
    type: str
    date: str
    meeting: str
    organisers: str
    organiser_ids: str
    locator: str
    match: str
    score: str
    how: str
    candidates: str
    proposed_id: str
    source_id: str


COLUMNS = tuple(f.name for f in fields(Candidate))


def slug(text: str) -> str:
    """Return an id made of ``text``: lower-case ASCII letters, digits and hyphens.

    Examples
    --------
    >>> slug("DC-Blockchain")
    'dc-blockchain'
    >>> slug("Dynamic Coalition on Ocean Cables")
    'dynamic-coalition-on-ocean-cables'
    """
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "body"


def _looks_like_acronym(text: str) -> bool:
    words = text.split()
    if not words or len(words) > 6 or len(text) > 40:
        return False
    first = words[0]
    return first[0].isupper() or first[0].isdigit() and any(c.isupper() for c in first)


def parse_entry(text: str) -> tuple[str, str] | None:
    """Read a DC entry: return ``(name, acronym)`` (acronym ``""`` if none), or ``None``."""
    text = text.strip().rstrip(":").strip()
    if len(text) > 400:
        return None
    for pattern in _ENTRY_PATTERNS:
        m = pattern.match(text)
        if not m:
            continue
        name = re.sub(r"\s+", " ", m.group("name")).strip(" ,.;:")
        acr = (m.groupdict().get("acr") or "").strip()
        if acr and not _looks_like_acronym(acr):
            if pattern is _ENTRY_PATTERNS[0]:
                acr = ""  # "(as at March 2022)": not an acronym
            else:
                continue
        if len(name.split()) > 14 or name.endswith(" Coalitions"):
            continue
        return name, acr
    return None


def _parse_session(text: str, resolver: Resolver) -> tuple[str, str, str] | None:
    """Read ``ACR Title``: return ``(organiser as written, body id, title)`` or ``None``."""
    text = text.strip()
    lead = re.match(r"^(?:the\s+)", text, re.I)
    body = text[lead.end() :] if lead else text
    tokens = body.split()
    for n in range(min(len(tokens), 10), 0, -1):
        prefix = " ".join(tokens[:n]).rstrip(":,–—-").strip()
        if not prefix:
            continue
        found = resolver.match(prefix, None, kinds=ORGANISER_KINDS, fuzzy=False)
        if found.status != "matched":
            continue
        rest = " ".join(tokens[n:]).lstrip(":–—- ").strip()
        if not rest or lead:  # "The IRPC Charter …": the organiser is part of the title
            return prefix, found.id or "", text
        if not (rest[0].isupper() or rest[0].isdigit() or rest[0] in "\"“‘'"):
            return None  # "DC3 is dedicated to…": prose, not a title
        return prefix, found.id or "", rest
    return None


def _header_index(cells: tuple[str, ...], names: tuple[str, ...]) -> int | None:
    for i, cell in enumerate(cells):
        if re.sub(r"[^a-z ]", "", cell.lower()).strip() in names:
            return i
    return None


def _groups(blocks: list[Block]) -> list[tuple[str, list[int]]]:
    """Split the blocks into lists, tables and loose lines: ``(what, block indexes)``."""
    groups: list[tuple[str, list[int]]] = []
    current: list[int] = []
    container = None
    last_number: int | None = None

    def close() -> None:
        nonlocal current
        if current:
            groups.append(("list", current))
        current = []

    tables: dict[str, list[int]] = {}
    for i, b in enumerate(blocks):
        if b.cells is not None:
            tables.setdefault(b.container, []).append(i)
            continue
        if not b.item:
            if b.header:
                close()
                last_number = None
            if parse_entry(b.text):  # an entry of its own: a heading or a line
                groups.append(("line", [i]))
            continue
        if b.container:  # HTML: one list per element
            if b.container != container:
                close()
            container = b.container
            current.append(i)
            continue
        if b.number is not None:
            if last_number is None or b.number != last_number + 1:
                close()
            last_number = b.number
        current.append(i)
    close()
    groups += [("table", idx) for idx in tables.values()]
    return sorted(groups, key=lambda g: g[1][0])


def _meeting_before(blocks: list[Block], index: int, meetings: set[str]) -> str:
    """Return the ``igf-YYYY`` of the nearest "IGF YYYY" mention at or before ``index``."""
    for b in reversed(blocks[: index + 1]):
        for year in reversed(_YEAR.findall(b.text)):
            if f"igf-{year}" in meetings:
                return f"igf-{year}"
    return ""


class _Extractor:
    def __init__(self, tables: Tables, source_id: str, meeting: str | None):
        self.tables = tables
        self.resolver = Resolver.from_tables(tables)
        self.source_id = source_id
        self.meeting = meeting
        self.meetings = {r["id"] for _l, r in tables.rows("meetings")}
        self.sessions: dict[tuple[str, str], list[tuple[str, str]]] = {}
        orgs: dict[str, list[str]] = {}
        for _l, r in tables.rows("session_organizers"):
            orgs.setdefault(r["session_id"], []).append(r["body_id"])
        self.session_ids = set()
        for _l, r in tables.rows("sessions"):
            self.session_ids.add(r["id"])
            for body in orgs.get(r["id"], []):
                self.sessions.setdefault((r["meeting_id"], body), []).append((r["id"], r["title"]))
        self.proposed: set[str] = set()
        self.body_ids = {r["id"] for _l, r in tables.rows("bodies")}

    # -- DC entries
    def dc(self, name: str, acr: str, block: Block) -> Candidate:
        found = self.resolver.match(name, acr or None, kinds=DC_KINDS)
        proposed = ""
        if found.status == "new":
            base = slug(acr) if acr else f"dc-{slug(topic_words(name))}"
            proposed = base
            n = 2
            while proposed in self.body_ids or proposed in self.proposed:
                proposed, n = f"{base}-{n}", n + 1
            self.proposed.add(proposed)
        return self._row(
            "dc", block, name=name, acronym=acr,
            match=found.id if found.status == "matched" else found.status,
            score=found.score, how=found.how,
            candidates="; ".join(f"{i} ({s:g})" for i, s in found.candidates)
            if found.status == "ambiguous" else "",
            proposed_id=proposed,
        )  # fmt: skip

    # -- sessions
    def session(
        self, block: Block, title: str, orgs: list[tuple[str, str]], stype: str, date: str,
        meeting: str,
    ) -> Candidate:  # fmt: skip
        ids = [i or "?" for _w, i in orgs]
        match, score, how, cands, proposed = "new", 0.0, "", "", ""
        first = ids[0] if ids else "?"
        if meeting and first != "?":
            known = self.sessions.get((meeting, first), [])
            scored = sorted(
                ((sid, round(max(fuzz.token_sort_ratio(title.casefold(), t.casefold()),
                                 fuzz.ratio(title.casefold(), t.casefold())), 1))
                 for sid, t in known),
                key=lambda s: (-s[1], s[0]),
            )  # fmt: skip
            if scored and scored[0][1] >= MATCH_THRESHOLD:
                match, score, how = scored[0][0], scored[0][1], "title"
            elif scored and scored[0][1] >= AMBIGUOUS_THRESHOLD:
                match, score, how = "ambiguous", scored[0][1], "title"
                cands = "; ".join(f"{s} ({v:g})" for s, v in scored[:3] if v >= AMBIGUOUS_THRESHOLD)
        if match == "new":
            if first == "?" or not meeting:
                match = "ambiguous"
                why = (
                    "organiser not matched" if first == "?" else "meeting unknown (give --meeting)"
                )
                cands = why
            else:
                base = f"{meeting}-{first}"
                proposed, n = base, 2
                while proposed in self.session_ids or proposed in self.proposed:
                    proposed, n = f"{base}-{n}", n + 1
                self.proposed.add(proposed)
        return self._row(
            "session", block, title=title, type=stype, date=date, meeting=meeting,
            organisers="; ".join(w for w, _i in orgs), organiser_ids="; ".join(ids),
            match=match, score=score, how=how, candidates=cands, proposed_id=proposed,
        )  # fmt: skip

    def organisers(self, cell: str) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        whole = self.resolver.match(cell, None, kinds=ORGANISER_KINDS, fuzzy=False)
        if whole.status == "matched":
            return [(cell.strip(), whole.id or "")]
        for part in _SPLIT_ORG.split(cell):
            part = part.strip()
            if part:
                m = self.resolver.match(part, None, kinds=ORGANISER_KINDS)
                out.append((part, m.id if m.status == "matched" else ""))
        return out

    def _row(self, kind: str, block: Block, **values) -> Candidate:
        score = values.pop("score", 0.0)
        locator = block.locator + (f", item {block.number}" if block.number is not None else "")
        base = dict.fromkeys(COLUMNS, "")
        base.update(values)
        base.update(
            kind=kind, item=str(block.number) if block.number is not None else "",
            locator=locator, score=f"{score:g}", source_id=self.source_id,
        )  # fmt: skip
        return Candidate(**base)

    # -- groups
    def group(self, blocks: list[Block], what: str, idx: list[int], kind: str) -> list[Candidate]:
        if what == "table":
            return self.table(blocks, idx, kind)
        entries = []
        sessions = []
        for i in idx:
            b = blocks[i]
            e = parse_entry(b.text)
            if e:
                entries.append((i, e))
            if what == "list":
                s = _parse_session(b.text, self.resolver)
                if s:
                    sessions.append((i, s))
        as_sessions = kind == "sessions" or (kind == "auto" and len(sessions) > len(entries))
        if as_sessions:
            meeting = self.meeting or _meeting_before(blocks, idx[0], self.meetings)
            return [
                self.session(blocks[i], title, [(w, bid)], "", "", meeting)
                for i, (w, bid, title) in sessions
            ]
        return [self.dc(name, acr, blocks[i]) for i, (name, acr) in entries]

    def table(self, blocks: list[Block], idx: list[int], kind: str) -> list[Candidate]:
        head = blocks[idx[0]]
        cells = head.cells or ()
        col = {
            "name": _header_index(cells, _HEADER_NAME),
            "acr": _header_index(cells, _HEADER_ACR),
            "title": _header_index(cells, _HEADER_TITLE),
            "org": _header_index(cells, _HEADER_ORG),
            "type": _header_index(cells, _HEADER_TYPE),
            "date": _header_index(cells, _HEADER_DATE),
            "item": _header_index(cells, _HEADER_ITEM),
        }
        rows = [_numbered(blocks[i], col["item"]) for i in idx[1:]]
        is_sessions = col["title"] is not None and col["org"] is not None
        is_dcs = col["name"] is not None and not is_sessions
        if not (is_sessions or is_dcs):  # no header: read each row as a line
            out = []
            for i in idx:
                e = parse_entry(" ".join(blocks[i].cells or ()))
                if e and kind != "sessions":
                    out.append(self.dc(e[0], e[1], blocks[i]))
            return out
        if is_dcs and kind != "sessions":
            out = []
            for b in rows:
                c = b.cells or ()
                name = c[col["name"]].strip() if col["name"] < len(c) else ""
                acr = (
                    c[col["acr"]].strip() if col["acr"] is not None and col["acr"] < len(c) else ""
                )
                if name:
                    out.append(self.dc(name, acr, b))
            return out
        if is_sessions and kind != "dc-list":
            out = []
            for b in rows:
                c = b.cells or ()

                def cell(key: str, c=c) -> str:
                    i = col[key]
                    return c[i].strip() if i is not None and i < len(c) else ""

                title = cell("title")
                if not title:
                    continue
                date = _iso_date(cell("date"))
                meeting = self.meeting or (
                    f"igf-{date[:4]}" if date and f"igf-{date[:4]}" in self.meetings
                    else _meeting_before(blocks, idx[0], self.meetings)
                )  # fmt: skip
                orgs = self.organisers(cell("org"))
                stype = _session_type(cell("type"))
                out.append(self.session(b, title, orgs, stype, date, meeting))
            return out
        return []


def _numbered(block: Block, column: int | None) -> Block:
    """Give a table row the item number its number column holds ("1", "1.", "#1")."""
    cells = block.cells or ()
    if column is None or column >= len(cells):
        return block
    m = re.fullmatch(r"#?\s*(\d{1,3})\s*[.)]?", cells[column].strip())
    if not m:
        return block
    return Block(block.text, block.locator, int(m.group(1)), block.item, block.cells,
                 block.header, block.container)  # fmt: skip


def _iso_date(text: str) -> str:
    m = re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", text)
    if m:
        return m.group(0)
    months = ("jan feb mar apr may jun jul aug sep oct nov dec").split()
    m = re.search(r"\b(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?\s+(\d{4})\b", text)
    if m and m.group(2).lower()[:3] in months:
        month = months.index(m.group(2).lower()[:3]) + 1
        return f"{m.group(3)}-{month:02d}-{int(m.group(1)):02d}"
    return ""


def _session_type(text: str) -> str:
    t = text.casefold()
    if "main" in t:
        return "main-session"
    if "dynamic coalition" in t or re.search(r"\bdc\b", t):
        return "dc-session"
    if "best practice" in t or "bpf" in t:
        return "bpf-session"
    if "policy network" in t or re.search(r"\bpn\b", t):
        return "pn-session"
    return "other" if t else ""


def extract(
    document: Path | str,
    *,
    data: Path | str | None = None,
    kind: str = "auto",
    source_id: str | None = None,
    meeting: str | None = None,
) -> list[Candidate]:
    """Read a document and return its candidate rows, in document order.

    Parameters
    ----------
    document : path-like
        Text, Markdown, HTML or PDF, at most :data:`igfgraph.upkeep.document.MAX_BYTES`.
    data : path-like, optional
        The data folder to match against (the shipped data when ``None``).
    kind : {"auto", "dc-list", "sessions"}
        What to look for; ``auto`` decides per list or table.
    source_id : str, optional
        The ``sources.id`` the document has or will have; the slug of its file name
        when ``None``.
    meeting : str, optional
        The meeting (``igf-2021``) of the sessions; otherwise the nearest "IGF YYYY"
        before each list, or the year of a session's date.

    Returns
    -------
    list of Candidate

    Raises
    ------
    igfgraph.upkeep.document.DocumentError
        The document cannot be read (empty, binary, too large, broken).
    igfgraph.exceptions.InputError
        An unknown ``kind`` or ``meeting``, a bad ``source_id``, or nothing found.
    """
    if kind not in KINDS:
        raise InputError(f"--kind must be one of {', '.join(KINDS)}, not {kind!r}")
    source = source_id or slug(Path(document).stem)
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", source):
        raise InputError(f"--source-id {source!r}: use lower-case letters, digits and hyphens")
    blocks = read_document(document)
    tables = load_tables(data, check=False)
    ex = _Extractor(tables, source, meeting)
    if meeting and meeting not in ex.meetings:
        raise InputError(f"--meeting {meeting!r} is not a meeting of meetings.csv")
    out: list[Candidate] = []
    for what, idx in _groups(blocks):
        out += ex.group(blocks, what, idx, kind)
    if not out:
        raise InputError(f"{document}: no Dynamic Coalition entry or session listing found")
    return out


def candidates_csv(rows: list[Candidate]) -> str:
    """Render candidate rows as ``changes.csv`` (RFC 4180, LF line ends, safe cells)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([neutralise(v) for v in asdict(row).values()])
    return buf.getvalue()
