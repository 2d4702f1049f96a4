"""Compare a change set (``changes.csv`` of ``igfgraph extract``) with the data; apply it.

:func:`diff_register` says what would change: new bodies, DCs the document does not list
(reported, never deleted), renames (a body matched by its acronym under a name none of
its recorded names has), acronym changes, new sessions, and the ambiguous rows a person
must decide (by writing an id or ``new`` into their ``match`` cell). :func:`apply_changes`
writes it: the document into ``sources.csv``, a ``registers.csv`` row with its as-of
date, a register entry for every DC (listed or not-listed), the new rows in each
table's sorted place with the document as source and their locators, and a ``to-curate``
mark (``curation.csv``) for the summary and themes of each new body, which the SHACL
shapes report as a warning until a person fills them. All tables are replaced together
(:func:`igfgraph.fileio.write_files`): all rows or none.
"""

from __future__ import annotations

import bisect
import csv
import io
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from igfgraph.csvio import CsvFormatError, parse_csv, read_text
from igfgraph.exceptions import IGFGraphError, InputError
from igfgraph.fileio import write_files
from igfgraph.paths import default_data_dir
from igfgraph.resolve import acronym_key, topic_words
from igfgraph.tables import check_tables, read_package_descriptor
from igfgraph.upkeep.extract import COLUMNS

__all__ = ["ChangeSetError", "Diff", "apply_changes", "diff_register", "read_changes"]

_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
_DATE = re.compile(r"[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?")
#: ``how`` values that mean the body was found by a short name, not by its name
_BY_ACRONYM = {"acronym", "former-acronym", "alt-name", "id"}


class ChangeSetError(IGFGraphError):
    """A change set that cannot be applied as it stands (ambiguous rows, missing options)."""


@dataclass
class Diff:
    """What a change set would change in the data.

    Attributes
    ----------
    listed : list of (str, dict)
        ``(body id, row)`` of every DC the document lists, matched or new.
    new_bodies, ambiguous, new_sessions : list of dict
        Candidate rows (``changes.csv`` columns).
    not_listed : list of str
        Ids of the DCs of the data the document does not list.
    renames : list of (str, str, str)
        ``(id, recorded name, name in the document)``.
    spellings : list of (str, str, str)
        ``(id, recorded name, name in the document)`` matched only by fuzzy match.
    acronym_changes : list of (str, str, str)
        ``(id, recorded acronym or "", acronym in the document)``.
    """

    listed: list[tuple[str, dict]] = field(default_factory=list)
    new_bodies: list[dict] = field(default_factory=list)
    ambiguous: list[dict] = field(default_factory=list)
    new_sessions: list[dict] = field(default_factory=list)
    not_listed: list[str] = field(default_factory=list)
    renames: list[tuple[str, str, str]] = field(default_factory=list)
    spellings: list[tuple[str, str, str]] = field(default_factory=list)
    acronym_changes: list[tuple[str, str, str]] = field(default_factory=list)
    has_dc_list: bool = False

    def text(self) -> str:
        """Return the report, one section per kind of change."""
        out = []

        def section(title: str, lines: list[str]) -> None:
            out.append(f"{title}: {len(lines)}")
            out.extend(f"  {line}" for line in lines)

        if self.has_dc_list:
            section("DCs listed", [f"{i} ({r['locator']})" for i, r in self.listed])
            section(
                "new bodies",
                [f"{r['proposed_id']}: {r['name']} ({r['acronym'] or 'no acronym'}) "
                 f"[{r['locator']}]" for r in self.new_bodies],
            )  # fmt: skip
            section("DCs not listed (reported, never deleted)", self.not_listed)
            section("renames", [f"{i}: {old!r} -> {new!r}" for i, old, new in self.renames])
            section(
                "acronym changes",
                [f"{i}: {old or '(none)'} -> {new}" for i, old, new in self.acronym_changes],
            )
            section(
                "other spellings (fuzzy matches, not applied)",
                [f"{i}: {old!r} read as {new!r}" for i, old, new in self.spellings],
            )
        section(
            "new sessions",
            [f"{r['proposed_id']}: {r['title']} ({r['organiser_ids']}) [{r['locator']}]"
             for r in self.new_sessions],
        )  # fmt: skip
        section(
            "ambiguous (decide: write an id or 'new' into the match cell)",
            [f"{r['kind']} {r['name'] or r['title']} [{r['locator']}]: {r['candidates']}"
             for r in self.ambiguous],
        )  # fmt: skip
        return "\n".join(out) + "\n"


# ----------------------------------------------------------------------------- reading


def read_changes(path: Path | str) -> list[dict]:
    """Read ``changes.csv`` strictly.

    Raises
    ------
    igfgraph.exceptions.InputError
        Not readable, not RFC 4180, a header other than the extract columns, or a row
        with an unknown kind or a malformed id; the message names the file, line and column.
    """
    path = Path(path)
    try:
        text = read_text(path)
        records = parse_csv(text)
    except (UnicodeError, OSError) as exc:
        raise InputError(f"{path}: {exc}") from None
    except CsvFormatError as exc:
        raise InputError(f"{path}: {exc}") from None
    if not records or tuple(records[0].fields) != COLUMNS:
        raise InputError(f"{path}, line 1: the header must be {','.join(COLUMNS)}")
    rows = []
    for rec in records[1:]:
        if len(rec.fields) != len(COLUMNS):
            raise InputError(
                f"{path}, line {rec.line}: {len(rec.fields)} fields, expected {len(COLUMNS)}"
            )
        row = dict(zip(COLUMNS, rec.fields, strict=True))
        row["_line"] = rec.line

        def bad(column: str, what: str, row=row) -> InputError:
            return InputError(f"{path}, line {row['_line']}, column {column!r}: {what}")

        if row["kind"] not in ("dc", "session"):
            raise bad("kind", f"must be dc or session, not {row['kind']!r}")
        if row["match"] not in ("new", "ambiguous") and not _ID.fullmatch(row["match"]):
            raise bad("match", f"must be an id, new or ambiguous, not {row['match']!r}")
        if row["match"] == "new" and not _ID.fullmatch(row["proposed_id"]):
            raise bad("proposed_id", f"a new row needs an id, not {row['proposed_id']!r}")
        if not _ID.fullmatch(row["source_id"]):
            raise bad("source_id", f"not an id: {row['source_id']!r}")
        if not row["locator"].strip():
            raise bad("locator", "is empty")
        rows.append(row)
    return rows


@dataclass
class _Table:
    path: Path
    header: list[str]
    rows: list[list[str]]
    key: list[str]

    @classmethod
    def read(cls, folder: Path, resource: dict) -> _Table:
        path = folder / resource["path"]
        records = parse_csv(read_text(path))
        return cls(
            path,
            records[0].fields,
            [r.fields for r in records[1:]],
            list(resource["schema"].get("primaryKey", [])),
        )

    def dicts(self) -> list[dict]:
        return [dict(zip(self.header, r, strict=True)) for r in self.rows]

    def _k(self, row: list[str]) -> tuple[str, ...]:
        return tuple(row[self.header.index(k)] for k in self.key)

    def insert(self, values: dict) -> None:
        row = [str(values.get(h, "") or "") for h in self.header]
        keys = [self._k(r) for r in self.rows]
        new = self._k(row)
        if new in keys:
            raise ChangeSetError(f"{self.path.name}: a row with key {new} already exists")
        self.rows.insert(bisect.bisect_left(keys, new), row)

    def text(self) -> str:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(self.header)
        writer.writerows(self.rows)
        return buf.getvalue()


def _load(folder: Path) -> dict[str, _Table]:
    _path, descriptor = read_package_descriptor(folder)
    return {r["name"]: _Table.read(folder, r) for r in descriptor["resources"]}


# ----------------------------------------------------------------------------- diff


def diff_register(changes: list[dict], data: Path | str | None = None) -> Diff:
    """Compare a change set with the data.

    Parameters
    ----------
    changes : list of dict
        Rows of :func:`read_changes`.
    data : path-like, optional
        The data folder (the shipped one when ``None``).

    Returns
    -------
    Diff

    Raises
    ------
    igfgraph.exceptions.InputError
        A row matched to an id the data does not have.
    """
    folder = Path(data) if data is not None else default_data_dir()
    tables = _load(folder)
    bodies = {r["id"]: r for r in tables["bodies"].dicts()}
    names: dict[str, list[dict]] = {}
    for r in tables["body_names"].dicts():
        names.setdefault(r["body_id"], []).append(r)
    sessions = {r["id"] for r in tables["sessions"].dicts()}
    diff = Diff()
    seen: set[str] = set()
    for row in changes:
        if row["match"] == "ambiguous":
            diff.ambiguous.append(row)
            continue
        if row["kind"] == "session":
            if row["match"] == "new":
                diff.new_sessions.append(row)
            elif row["match"] not in sessions:
                raise InputError(f"line {row['_line']}: no session {row['match']!r} in the data")
            continue
        diff.has_dc_list = True
        if row["match"] == "new":
            if row["proposed_id"] in bodies:
                raise InputError(
                    f"line {row['_line']}, column 'proposed_id': {row['proposed_id']!r} is "
                    "already a body; match the row to it or choose another id"
                )
            diff.new_bodies.append(row)
            diff.listed.append((row["proposed_id"], row))
            continue
        body_id = row["match"]
        if body_id not in bodies:
            raise InputError(f"line {row['_line']}, column 'match': no body {body_id!r}")
        if body_id in seen:
            continue
        seen.add(body_id)
        diff.listed.append((body_id, row))
        recorded = [bodies[body_id]["name"]] + [
            n["value"] for n in names.get(body_id, []) if n["type"] in ("alt-name", "former-name")
        ]
        topics = {topic_words(n) for n in recorded}
        name = row["name"].strip()
        if name and topic_words(name) not in topics:
            if row["how"] in _BY_ACRONYM:
                diff.renames.append((body_id, bodies[body_id]["name"], name))
            else:
                diff.spellings.append((body_id, bodies[body_id]["name"], name))
        acr = row["acronym"].strip()
        shorts = {acronym_key(body_id)} | {
            acronym_key(n["value"])
            for n in names.get(body_id, [])
            if n["type"] in ("acronym", "former-acronym", "alt-name")
        }
        if acr and acronym_key(acr) not in shorts:
            current = next(
                (n["value"] for n in names.get(body_id, []) if n["type"] == "acronym"), ""
            )
            diff.acronym_changes.append((body_id, current, acr))
    if diff.has_dc_list:
        listed = {i for i, _r in diff.listed}
        diff.not_listed = sorted(
            i for i, r in bodies.items() if r["kind"] == "dynamic-coalition" and i not in listed
        )
    return diff


# ----------------------------------------------------------------------------- apply


def _span(rows: list[dict]) -> str:
    items = [int(r["item"]) for r in rows if r["item"].isdigit()]
    if items and len(items) == len(rows):
        return f"items {min(items)}-{max(items)}" if len(items) > 1 else f"item {items[0]}"
    return f"{rows[0]['locator']} to {rows[-1]['locator']}" if rows else ""


def apply_changes(
    changes: list[dict],
    data: Path | str | None = None,
    *,
    register: str | None = None,
    as_of: str | None = None,
    title: str | None = None,
    url: str | None = None,
    publisher: str | None = None,
    source_type: str = "web-page",
) -> tuple[Diff, list[Path]]:
    """Apply a change set to the data, all tables at once.

    Parameters
    ----------
    changes : list of dict
        Rows of :func:`read_changes`, none of them ``ambiguous``.
    data : path-like, optional
        The data folder to change (the shipped one when ``None``).
    register : str, optional
        Id of the new register (``dc-list-<as_of>`` when ``None``); only for a DC list.
    as_of : str, optional
        Date or year the list describes (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``);
        required for a DC list.
    title, url, publisher, source_type : str, optional
        The document's ``sources.csv`` row, when the source is new (``title`` required then).

    Returns
    -------
    (Diff, list of pathlib.Path)
        What changed and the tables written.

    Raises
    ------
    ChangeSetError
        Ambiguous rows left, a missing ``as_of`` or ``title``, a register id in use.
    igfgraph.exceptions.OutputError
        A table could not be written: then none was replaced.
    """
    folder = Path(data) if data is not None else default_data_dir()
    diff = diff_register(changes, folder)
    if diff.ambiguous:
        raise ChangeSetError(
            f"{len(diff.ambiguous)} ambiguous row(s) (first: line {diff.ambiguous[0]['_line']}):"
            " write an id or 'new' into their match cell first; nothing was changed"
        )
    tables = _load(folder)
    if "curation" not in tables:
        raise ChangeSetError(f"{folder}: the data package has no 'curation' table")
    sources = {r["source_id"] for r in changes}
    if len(sources) != 1:
        raise ChangeSetError(f"a change set must come from one source, not {sorted(sources)}")
    source = sources.pop()
    year = as_of[:4] if as_of else ""
    known_sources = {r["id"] for r in tables["sources"].dicts()}
    if source not in known_sources:
        if not title:
            raise ChangeSetError(f"source {source!r} is new: give its --title (and --url)")
        if as_of and not _DATE.fullmatch(as_of):
            raise ChangeSetError(f"--as-of {as_of!r}: use YYYY, YYYY-MM or YYYY-MM-DD")
        tables["sources"].insert(
            {"id": source, "title": title, "publisher": publisher or "", "url": url or "",
             "issued": as_of or "", "type": source_type,
             "note": "Added by igfgraph diff-register --apply."}
        )  # fmt: skip
    changed = {"sources"} if source not in known_sources else set()
    bodies = {r["id"]: r for r in tables["bodies"].dicts()}
    if diff.has_dc_list:
        if not as_of or not _DATE.fullmatch(as_of):
            raise ChangeSetError("a DC list needs its --as-of date (YYYY, YYYY-MM or YYYY-MM-DD)")
        register = register or f"dc-list-{as_of}"
        if not _ID.fullmatch(register):
            raise ChangeSetError(
                f"--register {register!r}: use lower-case letters, digits, hyphens"
            )
        if register in {r["id"] for r in tables["registers"].dicts()}:
            raise ChangeSetError(f"register {register!r} already exists in registers.csv")
        dc_rows = [r for _i, r in diff.listed]
        span = _span(dc_rows)
        tables["registers"].insert(
            {"id": register, "title": title or f"List of Dynamic Coalitions as of {as_of}",
             "as_of": as_of, "source_id": source, "locator": span,
             "note": f"{len(diff.listed)} coalitions listed; added by igfgraph diff-register."}
        )  # fmt: skip
        for row in diff.new_bodies:
            new_id = row["proposed_id"]
            tables["bodies"].insert(
                {"id": new_id, "kind": "dynamic-coalition", "name": row["name"],
                 "source_id": source, "locator": row["locator"], "confidence": "medium",
                 "note": "Added from a DC list by igfgraph diff-register; summary and themes "
                         "to curate."}
            )  # fmt: skip
            bodies[new_id] = {"id": new_id, "kind": "dynamic-coalition"}
            if row["acronym"]:
                tables["body_names"].insert(
                    {"body_id": new_id, "type": "acronym", "value": row["acronym"],
                     "source_id": source, "locator": row["locator"]}
                )  # fmt: skip
            for aspect in ("summary", "themes"):
                tables["curation"].insert(
                    {"body_id": new_id, "aspect": aspect, "status": "to-curate",
                     "source_id": source, "locator": row["locator"]}
                )  # fmt: skip
        by_id = dict(diff.listed)
        for body_id in sorted(i for i, r in bodies.items() if r["kind"] == "dynamic-coalition"):
            row = by_id.get(body_id)
            tables["register_entries"].insert(
                {"register_id": register, "body_id": body_id,
                 "status": "listed" if row else "not-listed",
                 "item": row["item"] if row else "", "source_id": source,
                 "locator": row["locator"] if row else span,
                 "note": "" if row else "Not in this list."}
            )  # fmt: skip
        _renames(tables, diff, source, by_id, year)
        changed |= {"registers", "register_entries", "bodies", "body_names", "curation"}
    for row in diff.new_sessions:
        orgs = [o for o in row["organiser_ids"].split("; ") if o]
        if not row["meeting"] or "?" in orgs or not orgs:
            raise ChangeSetError(
                f"line {row['_line']}: a new session needs its meeting and matched organisers"
            )
        kind = bodies.get(orgs[0], {}).get("kind", "")
        stype = row["type"] or {
            "dynamic-coalition": "dc-session",
            "best-practice-forum": "bpf-session",
            "policy-network": "pn-session",
        }.get(kind, "other")
        tables["sessions"].insert(
            {"id": row["proposed_id"], "meeting_id": row["meeting"], "title": row["title"],
             "type": stype, "date": row["date"], "source_id": source,
             "locator": row["locator"], "confidence": "medium",
             "note": "Added from a programme by igfgraph diff-register; to review."}
        )  # fmt: skip
        for org in orgs:
            tables["session_organizers"].insert(
                {"session_id": row["proposed_id"], "body_id": org, "source_id": source,
                 "locator": row["locator"]}
            )  # fmt: skip
        changed |= {"sessions", "session_organizers"}
    files = {tables[name].path: tables[name].text() for name in sorted(changed)}
    _check_before_writing(folder, tables, files)
    return diff, write_files(files)


def _check_before_writing(folder: Path, tables: dict[str, _Table], files: dict) -> None:
    """Check the changed package as tables in a temporary copy; refuse if it breaks."""
    with tempfile.TemporaryDirectory(prefix="igfgraph-apply-") as tmp:
        copy = Path(tmp)
        shutil.copy(folder / "datapackage.json", copy / "datapackage.json")
        for table in tables.values():
            target = copy / table.path.relative_to(folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            if table.path in files:
                target.write_text(files[table.path], encoding="utf-8")
            else:
                shutil.copy(table.path, target)
        problems = check_tables(copy)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise ChangeSetError(
            f"the change set would break the tables: {problems[0]}{more}; nothing was changed"
        )


def _renames(tables: dict[str, _Table], diff: Diff, source: str, by_id: dict, year: str) -> None:
    bodies = tables["bodies"]
    for body_id, old, new in diff.renames:
        row = next(r for r in bodies.rows if r[0] == body_id)
        row[bodies.header.index("name")] = new
        tables["body_names"].insert(
            {"body_id": body_id, "type": "former-name", "value": old, "until": year,
             "source_id": source, "locator": by_id[body_id]["locator"],
             "note": "Earlier name; the listed document gives the new one."}
        )  # fmt: skip
    names = tables["body_names"]
    for body_id, old, new in diff.acronym_changes:
        if old:
            names.rows = [
                r for r in names.rows if not (r[0] == body_id and r[1] == "acronym" and r[2] == old)
            ]
            names.insert(
                {"body_id": body_id, "type": "former-acronym", "value": old, "until": year,
                 "source_id": source, "locator": by_id[body_id]["locator"],
                 "note": "Acronym before the listed document."}
            )  # fmt: skip
        names.insert(
            {"body_id": body_id, "type": "acronym", "value": new, "source_id": source,
             "locator": by_id[body_id]["locator"]}
        )  # fmt: skip
