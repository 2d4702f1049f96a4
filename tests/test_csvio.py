"""The strict CSV reader: its C fast path must split exactly as the strict parser does.

``igfgraph.csvio.parse_csv`` hands a text to Python's :mod:`csv` module when that is sure
to agree and otherwise walks it with the strict RFC 4180 parser; on any text, in any
dialect, the records (line numbers and fields) or the error (line, field, message) must be
the same as the strict parser's alone.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import igfgraph.csvio as csvio
from igfgraph.csvio import CsvFormatError, Dialect, parse_csv

DIALECTS = [
    Dialect(),
    Dialect(delimiter=";"),
    Dialect(delimiter="\t", quote_char="'"),
    Dialect(skip_initial_space=True),
    Dialect(double_quote=False, escape_char="\\"),
]


def outcome(parse, text: str, dialect: Dialect):
    try:
        return ("ok", [(r.line, r.fields) for r in parse(text, dialect)])
    except CsvFormatError as exc:
        return ("error", exc.line, exc.field, exc.message)


def strict_only(text: str, dialect: Dialect):
    saved = csvio._parse_with_csv_module
    csvio._parse_with_csv_module = lambda text, dialect: None
    try:
        return parse_csv(text, dialect)
    finally:
        csvio._parse_with_csv_module = saved


@settings(max_examples=3000, deadline=None)
@given(
    text=st.text(alphabet="ab ,;\t\"'\\\n\r", max_size=24),
    dialect=st.sampled_from(DIALECTS),
)
def test_fast_path_agrees_with_the_strict_parser(text: str, dialect: Dialect):
    assert outcome(parse_csv, text, dialect) == outcome(strict_only, text, dialect)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a,b\n1,2\n", [(1, ["a", "b"]), (2, ["1", "2"])]),
        ('a,b\n"x\ny",2\n3,4', [(1, ["a", "b"]), (2, ["x\ny", "2"]), (4, ["3", "4"])]),
        ("a,b\r\n1,\r\n", [(1, ["a", "b"]), (2, ["1", ""])]),
        ('a,b\n"say ""hi""",2\n', [(1, ["a", "b"]), (2, ['say "hi"', "2"])]),
    ],
)
def test_records_and_their_lines(text: str, expected: list):
    assert [(r.line, r.fields) for r in parse_csv(text)] == expected


@pytest.mark.parametrize(
    ("text", "line", "field", "starts"),
    [
        ('a,b\nNa"me,2\n', 2, 1, "a quote inside a field that does not start with one"),
        ('a,b\n"x"y,2\n', 2, 1, "a quote closes this field before its end"),
        ('a,b\n1,"open\n', 2, 2, "a quote opens this field and is never closed"),
        ("a,b\n\n1,2\n", 2, 1, "blank line"),
    ],
)
def test_refusals_name_line_and_field(text: str, line: int, field: int, starts: str):
    with pytest.raises(CsvFormatError) as info:
        parse_csv(text)
    assert (info.value.line, info.value.field) == (line, field)
    assert info.value.message.startswith(starts)
