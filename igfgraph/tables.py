"""Load and check the curated data package (``data/datapackage.json``) as tables.

The tables are checked *as tables* — types, patterns, enums, primary and foreign keys —
by `frictionless <https://framework.frictionlessdata.io/>`_ before any RDF is made,
so an error points at a file, a line and a column rather than at a triple.
"""

from __future__ import annotations

import csv
import json
import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

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
        frame = self.frames[name]
        return [
            (int(line), dict(row))
            for line, row in zip(
                frame["_line"], frame.drop(columns="_line").to_dict("records"), strict=True
            )
        ]

    @property
    def version(self) -> str:
        """The data package's ``version`` field (``"0.0.0"`` if absent)."""
        return str(self.descriptor.get("version", "0.0.0"))


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
    return folder, descriptor


def check_tables(folder: Path | str | None = None) -> list[Problem]:
    """Check every table against its Table Schema with frictionless.

    Parameters
    ----------
    folder : path-like, optional
        The data folder; the shipped ``data/`` when ``None``.

    Returns
    -------
    list of Problem
        Empty when the package is valid; otherwise one entry per error, naming the file,
        the line (header = line 1), the column and what is wrong.

    Raises
    ------
    InputError
        ``datapackage.json`` is missing or unreadable.
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

    from frictionless import Package  # slow import (≈1 s): only when checking

    old = Path.cwd()
    try:
        os.chdir(folder)  # frictionless resolves resource paths against the cwd
        report = Package(descriptor, basepath=str(folder)).validate()
    except Exception as exc:  # frictionless raises its own FrictionlessException family
        return [
            Problem(DESCRIPTOR, None, None, f"cannot be read as a data package: {exc}", UNREADABLE)
        ]
    finally:
        os.chdir(old)
    paths = {r["name"]: r["path"] for r in descriptor["resources"]}
    lines: dict[str, list[int]] = {}
    for task in report.tasks:
        file = paths.get(task.name, task.name)
        for error in task.errors:
            row = getattr(error, "row_number", None)
            column = getattr(error, "field_name", None)
            if error.type == "foreign-key":
                found = re.search(r'for "([^"]+)"', error.note or "")
                column = found.group(1) if found else column
            if row is not None:
                if file not in lines:
                    lines[file] = _record_lines(folder / file)
                row = _physical_line(lines[file], row)
            kind = UNREADABLE if error.type in _UNREADABLE else VIOLATION
            problems.append(Problem(file, row, column, _message(error), kind))
    if not problems:
        problems = _semantic_problems(load_tables(folder, check=False))
    return problems


def _record_lines(path: Path) -> list[int]:
    """Return the physical line on which each CSV record starts (record 0 = the header)."""
    starts = []
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            previous_end = 0
            for _ in reader:
                starts.append(previous_end + 1)
                previous_end = reader.line_num
    except (OSError, UnicodeDecodeError, csv.Error):
        return []
    return starts


def _physical_line(starts: list[int], row_number: int) -> int:
    """Map frictionless' row number (records, header = 1) to a line of the file."""
    return starts[row_number - 1] if 0 < row_number <= len(starts) else row_number


_URL_COLUMNS = {"url", "homepage"}
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
    meetings = tables.frames.get("meetings")
    if meetings is not None:
        for row in meetings.to_dict("records"):
            if row["start_date"] and row["end_date"] and row["end_date"] < row["start_date"]:
                problems.append(
                    Problem("meetings.csv", int(row["_line"]), "end_date", "ends before it starts")
                )
    sessions = tables.frames.get("sessions")
    if meetings is not None and sessions is not None and "date" in sessions.columns:
        years = dict(zip(meetings["id"], meetings["year"], strict=True))
        for row in sessions.to_dict("records"):
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
        for row in sessions.to_dict("records"):
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
        A table breaks its schema (only when ``check`` is true).
    """
    folder, descriptor = read_package_descriptor(folder)
    if check:
        problems = check_tables(folder)
        if problems:
            raise DataPackageError(problems)
    tables = Tables(folder=folder, descriptor=descriptor)
    for res in descriptor["resources"]:
        path = folder / res["path"]
        fields = [f["name"] for f in res["schema"]["fields"]]
        try:
            frame = pd.read_csv(
                path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8"
            )
        except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
            raise DataPackageError(
                [Problem(res["path"], None, None, f"cannot be read as CSV: {exc}")]
            ) from exc
        missing = [f for f in fields if f not in frame.columns]
        if missing:
            raise DataPackageError(
                [Problem(res["path"], 1, c, "column missing from the header") for c in missing]
            )
        frame = frame[fields].copy()
        starts = _record_lines(path)
        frame["_line"] = (
            starts[1 : len(frame) + 1] if len(starts) > len(frame) else range(2, len(frame) + 2)
        )
        key = res["schema"].get("primaryKey") or fields[:1]
        key = [key] if isinstance(key, str) else list(key)
        tables.frames[res["name"]] = frame.sort_values([*key, "_line"], kind="stable").reset_index(
            drop=True
        )
    return tables
