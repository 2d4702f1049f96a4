"""Load and check the curated data package (``data/datapackage.json``) as tables.

The tables are checked *as tables* — types, patterns, enums, primary and foreign keys —
by `frictionless <https://framework.frictionlessdata.io/>`_ before any RDF is made,
so an error points at a file, a line and a column rather than at a triple.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from igfgraph.exceptions import DataPackageError, InputError, Problem
from igfgraph.paths import default_data_dir

__all__ = ["Tables", "check_tables", "load_tables", "read_package_descriptor"]

DESCRIPTOR = "datapackage.json"


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
        rel = res.get("path", "?")
        if not (folder / rel).is_file():
            problems.append(Problem(rel, None, None, "file is missing (datapackage.json lists it)"))
    if problems:
        return problems

    from frictionless import Package  # slow import (≈1 s): only when checking

    old = Path.cwd()
    try:
        os.chdir(
            folder
        )  # frictionless resolves resource paths against the cwd ('trusted' mode off)
        report = Package(descriptor, basepath=str(folder)).validate()
    except Exception as exc:  # frictionless raises its own FrictionlessException family
        return [Problem(DESCRIPTOR, None, None, f"cannot be read as a data package: {exc}")]
    finally:
        os.chdir(old)
    paths = {r["name"]: r.get("path", r["name"]) for r in descriptor["resources"]}
    for task in report.tasks:
        file = paths.get(task.name, task.name)
        for error in task.errors:
            row = getattr(error, "row_number", None)
            column = getattr(error, "field_name", None)
            if error.type == "foreign-key":
                found = re.search(r'for "([^"]+)"', error.note or "")
                column = found.group(1) if found else column
            problems.append(Problem(file, row, column, _message(error)))
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
        frame["_line"] = range(2, len(frame) + 2)
        key = res["schema"].get("primaryKey") or fields[:1]
        key = [key] if isinstance(key, str) else list(key)
        tables.frames[res["name"]] = frame.sort_values([*key, "_line"], kind="stable").reset_index(
            drop=True
        )
    return tables
