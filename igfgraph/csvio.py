"""CSV in and out: one strict reader for the data tables, one safe writer for the outputs.

Reading follows RFC 4180 strictly, in the CSV dialect the data package declares
(``dialect`` of a resource, or of the package as a default for every resource; the
Frictionless CSV Dialect keys). Frictionless reads the same files with the same dialect,
so the two never disagree on where a field ends: a file this reader accepts is parsed
the same way by Python's :mod:`csv` (which frictionless uses), and a file it refuses is
never handed to frictionless. What it refuses, naming the line and the column:

- a quote closed inside a field (``"Capacity building,"Developing…``);
- a quote inside a field that does not start with one (``Na"me``);
- a quote opened and never closed;
- a blank line, or a record with more or fewer fields than the header.

Writing neutralises spreadsheet formulas (the OWASP CSV-injection rule): a text cell
that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
single quote, so Excel, LibreOffice or Google Sheets show it as text instead of running
it. Numbers (numeric columns, numeric SPARQL literals) are left as they are.
"""

from __future__ import annotations

import bisect
import codecs
import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd  # imported where used: a streamed query result does not need it

__all__ = [
    "FORMULA_STARTS",
    "LIST_SEPARATOR",
    "CsvFormatError",
    "Dialect",
    "Record",
    "frame_to_csv",
    "neutralise",
    "parse_csv",
    "read_text",
]

#: How igfgraph joins several values in one cell of its outputs (``shared_themes``,
#: ``addressed_by``, ``recommended_by``); the table check refuses ``;`` in the names,
#: labels and titles such cells are made of, so the cell splits back unambiguously.
LIST_SEPARATOR = "; "

#: First characters that make a spreadsheet read a cell as a formula (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: Frictionless CSV Dialect keys (Data Package v1, or under ``csv`` in v2) we honour.
_DIALECT_KEYS = {
    "delimiter": "delimiter",
    "quoteChar": "quote_char",
    "doubleQuote": "double_quote",
    "escapeChar": "escape_char",
    "skipInitialSpace": "skip_initial_space",
}
#: Keys we accept but that change nothing here (line ends are all accepted; header names
#: are compared as written).
_IGNORED_KEYS = {"lineTerminator", "caseSensitiveHeader", "csvddfVersion", "$schema"}


class CsvFormatError(ValueError):
    """A CSV text that breaks RFC 4180 or its dialect.

    Parameters
    ----------
    line : int
        Physical line (the first line is 1) where the problem is.
    field : int
        Position of the field (1 = the first) where the problem is.
    message : str
        What is wrong.
    """

    def __init__(self, line: int, field: int, message: str):
        self.line, self.field, self.message = line, field, message
        super().__init__(f"line {line}, field {field}: {message}")


@dataclass(frozen=True)
class Dialect:
    """How a CSV file is written (a Frictionless CSV Dialect).

    Attributes
    ----------
    delimiter : str
        One character between fields (``,``).
    quote_char : str
        One character that quotes a field (``"``).
    double_quote : bool
        A quote inside a quoted field is written twice.
    escape_char : str or None
        A character that makes the next one literal (none by default).
    skip_initial_space : bool
        Spaces after a delimiter are dropped.
    """

    delimiter: str = ","
    quote_char: str = '"'
    double_quote: bool = True
    escape_char: str | None = None
    skip_initial_space: bool = False

    @classmethod
    def from_descriptor(cls, dialect: dict | None) -> Dialect:
        """Read a Frictionless CSV Dialect (v1 keys, or v2 with the keys under ``csv``).

        Parameters
        ----------
        dialect : dict or None
            The ``dialect`` of a resource or package; ``None`` gives the RFC 4180 default.

        Returns
        -------
        Dialect

        Raises
        ------
        ValueError
            A key igfgraph does not support (``commentChar``, ``header: false``…) or a
            value of the wrong kind; the message names it.
        """
        if dialect is None:
            return cls()
        if not isinstance(dialect, dict):
            msg = "'dialect' must be an object"
            raise ValueError(msg)
        flat = {k: v for k, v in dialect.items() if k != "csv"}
        inner = dialect.get("csv", {})
        if not isinstance(inner, dict):
            msg = "'dialect.csv' must be an object"
            raise ValueError(msg)
        flat.update(inner)
        values = {}
        for key, value in flat.items():
            if key in _IGNORED_KEYS:
                continue
            if key == "header":
                if value is not True:
                    msg = "'header' must be true: every table starts with its header line"
                    raise ValueError(msg)
                continue
            if key not in _DIALECT_KEYS:
                msg = f"dialect key {key!r} is not supported (use {', '.join(_DIALECT_KEYS)})"
                raise ValueError(msg)
            values[_DIALECT_KEYS[key]] = value
        made = cls(**values)
        for name in ("delimiter", "quote_char"):
            char = getattr(made, name)
            if not (isinstance(char, str) and len(char) == 1 and char not in "\r\n"):
                msg = f"dialect {name} must be one character other than a line end, not {char!r}"
                raise ValueError(msg)
        if made.escape_char is not None and not (
            isinstance(made.escape_char, str) and len(made.escape_char) == 1
        ):
            msg = f"dialect escapeChar must be one character, not {made.escape_char!r}"
            raise ValueError(msg)
        if len({made.delimiter, made.quote_char, made.escape_char} - {None}) < (
            3 if made.escape_char else 2
        ):
            msg = "dialect delimiter, quoteChar and escapeChar must differ"
            raise ValueError(msg)
        for name in ("double_quote", "skip_initial_space"):
            if not isinstance(getattr(made, name), bool):
                msg = f"dialect {name} must be true or false"
                raise ValueError(msg)
        return made

    def descriptor(self) -> dict:
        """Return this dialect as Frictionless CSV Dialect keys, every one spelled out.

        Spelled out so that frictionless reads exactly this dialect instead of guessing
        one from the file (it would otherwise take a ``;``-separated table as valid).
        """
        return {
            key: getattr(self, attr)
            for key, attr in _DIALECT_KEYS.items()
            if getattr(self, attr) is not None
        }


@dataclass(frozen=True)
class Record:
    """One CSV record: the physical line it starts on and its fields."""

    line: int
    fields: list[str]


_LINE_END = re.compile(r"\r\n|\n|\r")


def _patterns(d: Dialect) -> tuple[re.Pattern, re.Pattern]:
    q, sep = re.escape(d.quote_char), re.escape(d.delimiter)
    esc = re.escape(d.escape_char) if d.escape_char else None
    inner = [f"[^{q}{esc or ''}]"]
    if d.double_quote:
        inner.append(f"{q}{q}")
    if esc:
        inner.append(f"{esc}.")
    quoted = re.compile(f"{q}((?:{'|'.join(inner)})*){q}", re.DOTALL)
    plain_inner = [f"[^{sep}{q}{esc or ''}\\r\\n]"] + ([f"{esc}[^\\r\\n]"] if esc else [])
    plain = re.compile(f"(?:{'|'.join(plain_inner)})*")
    return quoted, plain


def _parse_with_csv_module(text: str, d: Dialect) -> list[Record] | None:
    """Split ``text`` with Python's C :mod:`csv` reader when that is sure to agree.

    The strict parser below walks the text in Python (about a second per 100,000 rows);
    the :mod:`csv` module in ``strict`` mode does the same split in C, but it accepts two
    things the rules refuse (a quote inside a field that does not start with one, a blank
    line) and it does not say which fields were quoted. So its records are used only when
    no field holds a quote character and no record is empty; then both parsers give the
    same fields (a quoted field without an inner quote is the same string either way).
    Otherwise ``None``: the strict parser decides, with its precise message.
    """
    if d.escape_char is not None or d.skip_initial_space:
        return None  # the strict parser's reading of these differs in corner cases
    stream = io.StringIO(text, newline="")
    reader = csv.reader(
        stream,
        delimiter=d.delimiter,
        quotechar=d.quote_char,
        doublequote=d.double_quote,
        strict=True,
    )
    records: list[Record] = []
    quote = d.quote_char
    line = 1
    try:
        for fields in reader:
            if not fields or any(quote in f for f in fields):
                return None
            records.append(Record(line, fields))
            line = reader.line_num + 1
    except csv.Error:
        return None
    return records


def parse_csv(text: str, dialect: Dialect | None = None) -> list[Record]:
    """Split a CSV text into records, strictly (RFC 4180 in the given dialect).

    Parameters
    ----------
    text : str
        The whole file, decoded.
    dialect : Dialect, optional
        Delimiter, quote and escape characters (RFC 4180 defaults when ``None``).

    Returns
    -------
    list of Record
        Every record with the physical line it starts on (the header is line 1). A line
        end after the last record is optional.

    Raises
    ------
    CsvFormatError
        A quote closed inside a field or appearing inside an unquoted one, a quote never
        closed, a blank line; naming the line and the field. Runs in time linear in
        the text.
    """
    d = dialect or Dialect()
    fast = _parse_with_csv_module(text, d)
    if fast is not None:
        return fast
    quoted, plain = _patterns(d)
    starts = [0] + [m.end() for m in _LINE_END.finditer(text)]

    def line_of(pos: int) -> int:
        return bisect.bisect_right(starts, pos)

    records: list[Record] = []
    pos, n = 0, len(text)
    undouble = d.quote_char * 2
    while pos < n:
        first = pos
        fields: list[str] = []
        while True:
            if d.skip_initial_space and fields:
                while pos < n and text[pos] == " ":
                    pos += 1
            if pos < n and text[pos] == d.quote_char:
                m = quoted.match(text, pos)
                if m is None:
                    raise CsvFormatError(
                        line_of(pos),
                        len(fields) + 1,
                        "a quote opens this field and is never closed",
                    )
                value = m.group(1)
                if d.double_quote:
                    value = value.replace(undouble, d.quote_char)
                was_quoted = True
            else:
                m = plain.match(text, pos)
                value, was_quoted = m.group(0), False
            if d.escape_char:
                value = re.sub(re.escape(d.escape_char) + "(.)", r"\1", value, flags=re.DOTALL)
            fields.append(value)
            pos = m.end()
            if pos >= n:
                break
            char = text[pos]
            if char == d.delimiter:
                pos += 1
                continue
            if char in "\r\n":
                pos += 2 if text.startswith("\r\n", pos) else 1
                break
            where = (line_of(pos), len(fields))
            if was_quoted:
                raise CsvFormatError(
                    *where,
                    f"a quote closes this field before its end ({char!r} follows it); "
                    f"double a quote inside a quoted field ({undouble})",
                )
            raise CsvFormatError(
                *where,
                "a quote inside a field that does not start with one; quote the whole "
                f"field and double the quote ({d.quote_char}…{undouble}…{d.quote_char})",
            )
        if fields == [""] and text[first:pos].strip("\r\n") == "":
            raise CsvFormatError(line_of(first), 1, "blank line (delete it)")
        records.append(Record(line_of(first), fields))
    return records


def read_text(path: Path, encoding: str = "utf-8") -> str:
    """Read a table file as text, refusing what is not text in ``encoding``.

    Parameters
    ----------
    path : pathlib.Path
        The file.
    encoding : str, default "utf-8"
        Its declared encoding; a UTF-8 byte-order mark is dropped.

    Returns
    -------
    str

    Raises
    ------
    UnicodeError
        Bytes that are not ``encoding`` or a NUL character (a binary or UTF-16 file):
        the message names the line and says what to do.
    LookupError
        An encoding Python does not know.
    OSError
        The file cannot be read.
    """
    data = path.read_bytes()
    name = codecs.lookup(encoding).name
    if name.startswith("utf-8"):
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            msg = f"is UTF-16 text (it starts with a UTF-16 byte-order mark); save it as {encoding}"
            raise UnicodeError(msg)
        if b"\x00" in data:
            line = data[: data.index(b"\x00")].count(b"\n") + 1
            msg = f"holds a NUL byte on line {line}: a binary or UTF-16 file, not {encoding} text"
            raise UnicodeError(msg)
    try:
        text = data.decode("utf-8-sig" if name == "utf-8" else encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        msg = (
            f"is not {encoding} text: byte 0x{data[exc.start]:02x} on line {line} "
            f"cannot be decoded; save the file as {encoding}"
        )
        raise UnicodeError(msg) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        msg = f"holds a NUL character on line {line}: not a text table"
        raise UnicodeError(msg)
    return text


# ----------------------------------------------------------------------------- writing


def neutralise(value: str) -> str:
    """Make a text cell safe to open in a spreadsheet (OWASP CSV injection).

    Parameters
    ----------
    value : str
        A cell that is text (not a number).

    Returns
    -------
    str
        ``value`` with a leading ``'`` when it starts with ``=``, ``+``, ``-``, ``@``,
        a tab or a carriage return; otherwise ``value`` itself.

    Examples
    --------
    >>> neutralise("=SUM(A1:A9)")
    "'=SUM(A1:A9)"
    >>> neutralise("Child rights")
    'Child rights'
    """
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def frame_to_csv(
    frame: pd.DataFrame, sep: str = ",", *, numeric: pd.DataFrame | None = None
) -> str:
    r"""Render a DataFrame as CSV (or TSV), with every text cell neutralised.

    Parameters
    ----------
    frame : pandas.DataFrame
        The rows; the header is its column names.
    sep : str, default ","
        Field separator (``"\t"`` for TSV).
    numeric : pandas.DataFrame of bool, optional
        Same shape as ``frame``: cells known to be numbers although they are strings
        (numeric SPARQL literals), left as they are.

    Returns
    -------
    str
        RFC 4180 text with ``\n`` line ends. Cells of numeric columns and non-string
        cells are written as pandas writes them; every other cell (and each header name)
        goes through :func:`neutralise`.
    """
    import pandas as pd

    out = frame.copy()
    out.columns = [neutralise(str(c)) for c in frame.columns]
    for i in range(len(frame.columns)):
        series = frame.iloc[:, i]
        if pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_bool_dtype(series.dtype):
            continue
        keep = numeric.iloc[:, i].to_numpy() if numeric is not None else None
        out.iloc[:, i] = [
            v if not isinstance(v, str) or (keep is not None and keep[j]) else neutralise(v)
            for j, v in enumerate(series.tolist())
        ]
    buf = io.StringIO()
    out.to_csv(buf, index=False, sep=sep, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    return buf.getvalue()
