"""Load and check the curated data package (``data/datapackage.json``) as tables.

The tables are checked *as tables* — types, patterns, enums, primary and foreign keys —
by `frictionless <https://framework.frictionlessdata.io/>`_ before any RDF is made,
so an error points at a file, a line and a column rather than at a triple.
"""

from __future__ import annotations

import codecs
import copy
import json
import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from igfgraph.csvio import LIST_SEPARATOR, CsvFormatError, Dialect, Record, parse_csv, read_text
from igfgraph.exceptions import UNREADABLE, VIOLATION, DataPackageError, InputError, Problem
from igfgraph.paths import default_data_dir

__all__ = ["Tables", "check_tables", "load_tables", "read_package_descriptor"]

DESCRIPTOR = "datapackage.json"

#: the tables the build reads; a data package without one of them cannot be built
REQUIRED_RESOURCES = frozenset(
    {
        "sources", "bodies", "body_names", "themes", "theme_labels", "concept_schemes",
        "external_concepts", "theme_mappings", "body_themes", "outputs", "output_creators",
        "regions", "nri_places", "cycles", "countries", "meetings", "sessions",
        "session_organizers", "session_participants", "liaisons", "relations", "recommendations",
        "recommendation_parties", "registers", "register_entries",
    }
)  # fmt: skip
#: frictionless error types that mean "cannot be read" rather than "breaks the schema"
_UNREADABLE = {
    "encoding-error",
    "source-error",
    "scheme-error",
    "format-error",
    "io-error",
    "package-error",
}


@dataclass
class Tables:
    """The data package read into memory.

    Attributes
    ----------
    folder : pathlib.Path
        The data folder.
    descriptor : dict
        The parsed ``datapackage.json``.
    frames : dict of str to pandas.DataFrame
        One frame per resource, every cell a ``str`` (``""`` when empty), rows sorted by
        primary key so the build never depends on the order of rows in the files.
    """

    folder: Path
    descriptor: dict
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.frames[name]

    def rows(self, name: str) -> list[tuple[int, dict[str, str]]]:
        """Return the rows of one table with their line numbers in the file.

        Parameters
        ----------
        name : str
            Resource name (``"bodies"``).

        Returns
        -------
        list of (int, dict)
            ``(line, row)`` pairs, sorted by primary key; ``line`` counts the header as 1.
        """
        return [(int(row.pop("_line")), row) for row in _records(self.frames[name])]

    @property
    def version(self) -> str:
        """The data package's ``version`` field (``"0.0.0"`` if absent)."""
        return str(self.descriptor.get("version", "0.0.0"))


def _records(frame: pd.DataFrame) -> list[dict]:
    """Return the rows of a frame as dicts, column order kept.

    Column lists zipped in Python: ``DataFrame.to_dict("records")`` boxes every cell one
    by one, which at 100 times the shipped data cost more than the build's own work.
    """
    names = list(frame.columns)
    columns = [frame[c].tolist() for c in names]
    return [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)]


def read_package_descriptor(folder: Path | str | None = None) -> tuple[Path, dict]:
    """Read ``datapackage.json`` from a data folder.

    Parameters
    ----------
    folder : path-like, optional
        The data folder; the shipped ``data/`` when ``None``.

    Returns
    -------
    (pathlib.Path, dict)
        The resolved folder and the parsed descriptor.

    Raises
    ------
    InputError
        The folder or its ``datapackage.json`` is missing or not valid JSON.
    """
    folder = Path(folder) if folder is not None else default_data_dir()
    path = folder / DESCRIPTOR
    if not folder.is_dir():
        msg = f"{folder}: no such data folder"
        raise InputError(msg)
    if not path.is_file():
        msg = f"{path}: missing (a data folder must hold a Frictionless datapackage.json)"
        raise InputError(msg)
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        msg = f"{path}: not valid JSON ({exc})"
        raise InputError(msg) from exc
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        msg = f"{path}: has no 'resources' list"
        raise InputError(msg)
    for i, res in enumerate(descriptor["resources"]):
        fields = res.get("schema", {}).get("fields") if isinstance(res, dict) else None
        if not (
            isinstance(res, dict)
            and isinstance(res.get("name"), str)
            and isinstance(res.get("path"), str)
            and isinstance(fields, list)
            and all(isinstance(f, dict) and isinstance(f.get("name"), str) for f in fields)
        ):
            msg = (
                f"{path}: resource {i + 1} needs a string 'name', a string 'path' and schema.fields"
            )
            raise InputError(msg)
    missing = sorted(REQUIRED_RESOURCES - {r["name"] for r in descriptor["resources"]})
    if missing:
        msg = f"{path}: resources missing from the descriptor: {', '.join(missing)}"
        raise InputError(msg)
    for res in descriptor["resources"]:
        try:
            dialect_of(descriptor, res)
            codecs.lookup(encoding_of(res))
        except (ValueError, LookupError, TypeError) as exc:
            msg = f"{path}: resource {res['name']!r}: {exc}"
            raise InputError(msg) from None
    # absolute, so that nothing later resolves a relative folder against another cwd
    return folder.resolve(), descriptor


def dialect_of(descriptor: dict, resource: dict) -> Dialect:
    """Return the CSV dialect of one resource of a data package.

    Parameters
    ----------
    descriptor : dict
        The parsed ``datapackage.json``.
    resource : dict
        One of its ``resources``.

    Returns
    -------
    Dialect
        The resource's ``dialect``, else the package's ``dialect`` (an igfgraph
        convenience: a default for every resource), else RFC 4180 (``,`` and ``"``).

    Raises
    ------
    ValueError
        A dialect igfgraph cannot read (see :meth:`igfgraph.csvio.Dialect.from_descriptor`).
    """
    return Dialect.from_descriptor(resource.get("dialect", descriptor.get("dialect")))


def encoding_of(resource: dict) -> str:
    """Return the declared ``encoding`` of a resource (``utf-8`` by default)."""
    encoding = resource.get("encoding", "utf-8")
    if not isinstance(encoding, str):
        msg = f"'encoding' must be a string, not {encoding!r}"
        raise TypeError(msg)
    return encoding


@dataclass
class _Table:
    """One table file read strictly: its header, its records, or the problem that stopped it."""

    header: list[str] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _read_table(folder: Path, descriptor: dict, res: dict) -> _Table:
    """Read one resource's file with the package's dialect: one reader for every check."""
    rel = res["path"]
    try:
        text = read_text(folder / rel, encoding_of(res))
    except UnicodeError as exc:
        return _Table(problems=[Problem(rel, None, None, str(exc), UNREADABLE)])
    except OSError as exc:
        return _Table(
            problems=[Problem(rel, None, None, f"cannot be read ({exc.strerror})", UNREADABLE)]
        )
    if not text.strip():
        return _Table(problems=[Problem(rel, None, None, "is empty (no header line)", UNREADABLE)])
    fields = [f["name"] for f in res["schema"]["fields"]]
    try:
        records = parse_csv(text, dialect_of(descriptor, res))
    except CsvFormatError as exc:
        column = fields[exc.field - 1] if 0 < exc.field <= len(fields) else None
        return _Table(problems=[Problem(rel, exc.line, column, exc.message)])
    header = records[0].fields
    problems = [
        Problem(rel, 1, c, "column missing from the header") for c in fields if c not in header
    ]
    for record in records[1:]:
        have, want = len(record.fields), len(header)
        if have < want:
            problems.append(
                Problem(
                    rel,
                    record.line,
                    header[have],
                    f"missing field: the line has {have} fields, the header {want}",
                )
            )
        elif have > want:
            problems.append(
                Problem(
                    rel,
                    record.line,
                    None,
                    f"extra field {want + 1} ({record.fields[want]!r}): the line has "
                    f"{have} fields, the header {want}",
                )
            )
    return _Table(header, records[1:], problems)


def check_tables(folder: Path | str | None = None) -> list[Problem]:
    """Check every table: as CSV first, then against its Table Schema with frictionless.

    Each file is read strictly in the package's dialect and encoding
    (:func:`igfgraph.csvio.parse_csv`); only when every file reads does frictionless
    check types, patterns, enums and keys, with the same dialect spelled out. Last come
    the checks a Table Schema cannot express (real IRIs and dates, SKOS cycles,
    self-relations, the list separator in names).

    Parameters
    ----------
    folder : path-like, optional
        The data folder (relative to the working folder, or absolute); the shipped
        ``data/`` when ``None``.

    Returns
    -------
    list of Problem
        Empty when the package is valid; otherwise one entry per error, naming the file,
        the line (header = line 1), the column and what is wrong. A file that cannot be
        decoded gives one :data:`~igfgraph.exceptions.UNREADABLE` problem, against itself.

    Raises
    ------
    InputError
        ``datapackage.json`` is missing or unreadable, or declares a dialect or encoding
        igfgraph cannot read.
    """
    folder, descriptor = read_package_descriptor(folder)
    problems: list[Problem] = []
    for res in descriptor["resources"]:
        rel = res["path"]
        target = folder / rel
        if not target.exists():
            problems.append(
                Problem(rel, None, None, "file is missing (datapackage.json lists it)", UNREADABLE)
            )
        elif not target.is_file():
            problems.append(Problem(rel, None, None, "is not a file", UNREADABLE))
        elif not os.access(target, os.R_OK):
            problems.append(
                Problem(rel, None, None, "cannot be read (permission denied)", UNREADABLE)
            )
    if problems:
        return problems
    # Our own strict reading first: a file that breaks RFC 4180 or cannot be decoded is
    # reported once, against itself, and frictionless (which would see it again through
    # every foreign key into it) never runs on it.
    read = {res["name"]: _read_table(folder, descriptor, res) for res in descriptor["resources"]}
    problems = [p for table in read.values() for p in table.problems]
    if problems:
        return problems

    from frictionless import Package  # slow import (≈1 s): only when checking

    try:
        report = Package(_frictionless_descriptor(descriptor), basepath=str(folder)).validate()
    except Exception as exc:  # frictionless raises its own FrictionlessException family
        return [
            Problem(DESCRIPTOR, None, None, f"cannot be read as a data package: {exc}", UNREADABLE)
        ]
    paths = {r["name"]: r["path"] for r in descriptor["resources"]}
    for task in report.tasks:
        file = paths.get(task.name, task.name)
        starts = [1] + [r.line for r in read[task.name].records] if task.name in read else []
        for error in task.errors:
            row = getattr(error, "row_number", None)
            column = getattr(error, "field_name", None)
            if error.type == "foreign-key":
                found = re.search(r'for "([^"]+)"', error.note or "")
                column = found.group(1) if found else column
            if row is not None:
                row = _physical_line(starts, row)
            kind = UNREADABLE if error.type in _UNREADABLE else VIOLATION
            problems.append(Problem(file, row, column, _message(error), kind))
    if not problems:
        problems = _semantic_problems(_frames(folder, descriptor, read))
    return problems


def _frictionless_descriptor(descriptor: dict) -> dict:
    """Return the descriptor as frictionless reads it: each resource with its dialect."""
    out = copy.deepcopy(descriptor)
    out.pop("dialect", None)  # the package-level default is ours, not the standard's
    for res, original in zip(out["resources"], descriptor["resources"], strict=True):
        res.pop("dialect", None)
        res["dialect"] = dialect_of(descriptor, original).descriptor()
    return out


def _physical_line(starts: list[int], row_number: int) -> int:
    """Map frictionless' row number (records, header = 1) to a line of the file."""
    return starts[row_number - 1] if 0 < row_number <= len(starts) else row_number


_URL_COLUMNS = {"url", "homepage"}
#: columns whose values become items of a multi-valued output cell (joined by "; ")
_LIST_ITEM_COLUMNS = {
    "bodies": ["name"],
    "body_names": ["value"],
    "themes": ["label"],
    "theme_labels": ["label"],
    "recommendations": ["title", "locator"],
    "sources": ["title"],
}
#: (table, column, column, what): links that must join two different bodies
_SELF_LINKS = [
    ("relations", "subject_id", "object_id", "a relation"),
    ("liaisons", "party_a", "party_b", "a liaison"),
]
_DATE_COLUMNS = {"issued": "sources", "as_of": "registers"}


def _valid_iri(value: str) -> bool:
    import pyoxigraph as ox

    try:
        ox.NamedNode(value)
    except ValueError:
        return False
    host = value.split("://", 1)[-1].split("/", 1)[0]
    return value.startswith(("http://", "https://")) and bool(host) and " " not in value


def _valid_partial_date(value: str) -> bool:
    parts = value.split("-")
    try:
        year, month, day = (
            int(parts[0]),
            int(parts[1]) if len(parts) > 1 else 1,
            int(parts[2]) if len(parts) > 2 else 1,
        )
        date(year, month, day)
    except (ValueError, IndexError):
        return False
    return True


def _semantic_problems(tables: Tables) -> list[Problem]:
    """Check what a Table Schema cannot: real IRIs, real dates, date order, SKOS cycles."""
    problems = []
    for res in tables.descriptor["resources"]:
        name, file = res["name"], res["path"]
        frame = tables.frames[name]
        for column in _URL_COLUMNS & set(frame.columns):
            for line, value in zip(frame["_line"], frame[column], strict=True):
                if value and not _valid_iri(value):
                    problems.append(
                        Problem(file, int(line), column, f"{value!r} is not a valid http(s) IRI")
                    )
        for column, table in _DATE_COLUMNS.items():
            if name == table and column in frame.columns:
                for line, value in zip(frame["_line"], frame[column], strict=True):
                    if value and not _valid_partial_date(value):
                        problems.append(
                            Problem(file, int(line), column, f"{value!r} is not a real date")
                        )
    files = {r["name"]: r["path"] for r in tables.descriptor["resources"]}
    separator = LIST_SEPARATOR.strip()
    for name, columns in _LIST_ITEM_COLUMNS.items():
        frame = tables.frames.get(name)
        for column in columns if frame is not None else []:
            for line, value in zip(frame["_line"], frame[column], strict=True):
                if separator in value:
                    problems.append(
                        Problem(
                            files[name],
                            int(line),
                            column,
                            f"{value!r} holds {separator!r}, which separates the values of "
                            "multi-valued cells in the outputs (shared_themes, addressed_by, "
                            "recommended_by); write ',' or '—' instead",
                        )
                    )
    for name, first, second, what in _SELF_LINKS:
        frame = tables.frames.get(name)
        if frame is None:
            continue
        for row in _records(frame):
            if row[first] and row[first] == row[second]:
                problems.append(
                    Problem(
                        files[name],
                        int(row["_line"]),
                        second,
                        f"{what} from {row[first]!r} to itself ({first} = {second})",
                    )
                )
    meetings = tables.frames.get("meetings")
    if meetings is not None:
        for row in _records(meetings):
            if row["start_date"] and row["end_date"] and row["end_date"] < row["start_date"]:
                problems.append(
                    Problem("meetings.csv", int(row["_line"]), "end_date", "ends before it starts")
                )
    sessions = tables.frames.get("sessions")
    if meetings is not None and sessions is not None and "date" in sessions.columns:
        years = dict(zip(meetings["id"], meetings["year"], strict=True))
        for row in _records(sessions):
            year = years.get(row["meeting_id"], "")
            if row["date"] and year and not row["date"].startswith(f"{int(year):04d}-"):
                problems.append(
                    Problem(
                        "sessions.csv",
                        int(row["_line"]),
                        "date",
                        f"{row['date']!r} is not in {year}, the year of {row['meeting_id']}",
                    )
                )
    organizers = tables.frames.get("session_organizers")
    if sessions is not None and organizers is not None:
        organised = set(organizers["session_id"])
        for row in _records(sessions):
            if row["id"] not in organised:
                problems.append(
                    Problem(
                        "sessions.csv",
                        int(row["_line"]),
                        "id",
                        f"session {row['id']!r} has no organiser in session_organizers.csv",
                    )
                )
    themes = tables.frames.get("themes")
    if themes is not None:
        broader = dict(zip(themes["id"], themes["broader_id"], strict=True))
        lines = dict(zip(themes["id"], themes["_line"], strict=True))
        for start in sorted(broader):
            seen, node = set(), start
            while broader.get(node) and node not in seen:
                seen.add(node)
                node = broader[node]
            if node == start and broader.get(start):
                problems.append(
                    Problem(
                        "themes.csv",
                        int(lines[start]),
                        "broader_id",
                        "skos:broader cycle back to itself",
                    )
                )
    return problems


def _message(error) -> str:
    """Say what a frictionless error means, in plain words, with the offending value."""
    note = getattr(error, "note", "") or ""
    cell = getattr(error, "cell", None)
    value = f"{cell!r}" if cell not in (None, "") else "the value"
    if error.type == "constraint-error":
        if '"required"' in note:
            return "required value is empty"
        if '"enum"' in note:
            allowed = note.split(" is ", 1)[-1]
            return f"{value} is not an allowed value; allowed: {allowed}"
        if '"pattern"' in note:
            return f"{value} does not match the pattern {note.split(' is ', 1)[-1]}"
        if '"unique"' in note:
            return f"{value} is used twice in a column that must be unique"
        return f"{value} breaks a constraint: {note}"
    if error.type == "type-error":
        return f"{value} is not of the expected type ({note})"
    if error.type == "primary-key":
        line = re.search(r"position (\d+)", note)
        where = f" on line {line.group(1)}" if line else ""
        return f"duplicate primary key: the same key is already used{where}"
    if error.type == "foreign-key":
        return f"dangling foreign key: {note}"
    if error.type == "missing-cell":
        return "missing cell: the row has fewer cells than the header"
    if error.type == "extra-cell":
        return f"extra cell {value}: the row has more cells than the header"
    return f"{error.title}: {note}" if note else error.message


def load_tables(folder: Path | str | None = None, *, check: bool = True) -> Tables:
    """Read the data package into :class:`Tables`, checking it first.

    Parameters
    ----------
    folder : path-like, optional
        The data folder; the shipped ``data/`` when ``None``.
    check : bool, default True
        Run :func:`check_tables` and raise on any problem.

    Returns
    -------
    Tables
        Every resource as a frame of strings, sorted by primary key.

    Raises
    ------
    InputError
        The package cannot be read.
    DataPackageError
        A table breaks its schema (only when ``check`` is true), or, even unchecked, a
        file cannot be read as CSV in its dialect and encoding (``.exit_code`` is 2 for
        an encoding error, 1 for a malformed line).
    """
    folder, descriptor = read_package_descriptor(folder)
    if check:
        problems = check_tables(folder)
        if problems:
            raise DataPackageError(problems)
    read = {res["name"]: _read_table(folder, descriptor, res) for res in descriptor["resources"]}
    problems = [p for table in read.values() for p in table.problems]
    if problems:
        raise DataPackageError(problems)
    return _frames(folder, descriptor, read)


def _frames(folder: Path, descriptor: dict, read: dict[str, _Table]) -> Tables:
    """Turn the tables read by :func:`_read_table` into sorted frames of strings."""
    tables = Tables(folder=folder, descriptor=descriptor)
    for res in descriptor["resources"]:
        table = read[res["name"]]
        fields = [f["name"] for f in res["schema"]["fields"]]
        missing = [f for f in fields if f not in table.header]
        if missing:
            raise DataPackageError(
                [Problem(res["path"], 1, c, "column missing from the header") for c in missing]
            )
        frame = pd.DataFrame([r.fields for r in table.records], columns=table.header, dtype=str)
        frame = frame.loc[:, ~frame.columns.duplicated()][fields].copy()
        frame["_line"] = [r.line for r in table.records]
        key = res["schema"].get("primaryKey") or fields[:1]
        key = [key] if isinstance(key, str) else list(key)
        tables.frames[res["name"]] = frame.sort_values([*key, "_line"], kind="stable").reset_index(
            drop=True
        )
    return tables
