"""One exception tree for igfgraph: every library error derives from :class:`IGFGraphError`."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "UNREADABLE",
    "VIOLATION",
    "DataPackageError",
    "IGFGraphError",
    "InputError",
    "OutputError",
    "Problem",
    "QueryError",
    "ShapeViolationError",
]


class IGFGraphError(Exception):
    """Base class of every error igfgraph raises on purpose."""


#: :attr:`Problem.kind` of input that cannot be read at all (``igfgraph validate`` exits 2)
UNREADABLE = "unreadable"
#: :attr:`Problem.kind` of data that breaks its schema or shapes (``igfgraph validate`` exits 1)
VIOLATION = "violation"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, located as precisely as we can.

    Attributes
    ----------
    file : str
        The file, relative to the data folder when it is one of its tables (``bodies.csv``).
    row : int or None
        Line number in the file (the header is line 1), when the problem is in one row.
    column : str or None
        Column (field) name, when the problem is in one cell.
    message : str
        What is wrong, in plain words.
    kind : str
        :data:`VIOLATION` (the default) or :data:`UNREADABLE`.
    """

    file: str
    row: int | None
    column: str | None
    message: str
    kind: str = field(default=VIOLATION, compare=False)

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", line {self.row}"
        if self.column:
            where += f", column {self.column!r}"
        return f"{where}: {self.message}"


class InputError(IGFGraphError):
    """Input that cannot be read at all (missing folder, unparsable JSON or Turtle)."""


class DataPackageError(IGFGraphError):
    """The data tables break their schema: types, keys, foreign keys, enums.

    Parameters
    ----------
    problems : list of Problem
        Every problem found, sorted by file and line.
    """

    what = "problem(s) in the data tables"

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(
            problems, key=lambda p: (p.file, p.row or 0, p.column or "", p.message)
        )
        lines = "\n".join(f"  {p}" for p in self.problems[:50])
        more = len(self.problems) - 50
        if more > 0:
            lines += f"\n  … and {more} more"
        super().__init__(f"{len(self.problems)} {self.what}:\n{lines}")

    @property
    def exit_code(self) -> int:
        """Exit status of a command that stops on these problems.

        Returns
        -------
        int
            2 when any problem is :data:`UNREADABLE` input, else 1: the same as
            ``igfgraph validate`` gives for the same data.
        """
        return 2 if any(p.kind == UNREADABLE for p in self.problems) else 1


class ShapeViolationError(DataPackageError):
    """The built graph violates the SHACL shapes (``.problems`` lists each violation)."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems)
        self.args = (
            str(self).replace(
                "problem(s) in the data tables", "SHACL violation(s) in the built graph", 1
            ),
        )

    def __str__(self) -> str:
        return (
            super()
            .__str__()
            .replace("problem(s) in the data tables", "SHACL violation(s) in the built graph", 1)
        )


class OutputError(IGFGraphError):
    """An output cannot be written where it was asked for."""


class QueryError(IGFGraphError):
    """A SPARQL query that cannot be parsed or run."""
