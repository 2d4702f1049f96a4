"""SPARQL query results in the W3C formats: one writer for the command line and the endpoint.

``igfgraph query --format json|xml|csv|tsv`` and ``igfgraph serve`` (for a client that
asks for that media type) write a SELECT or ASK answer with :func:`write_results`, so
the same query gives the same document wherever it is asked. The formats are those of
the W3C Recommendations of 21 March 2013:

* ``json`` — SPARQL 1.1 Query Results JSON Format (``application/sparql-results+json``);
* ``xml`` — SPARQL Query Results XML Format, Second Edition
  (``application/sparql-results+xml``);
* ``csv`` — SPARQL 1.1 Query Results CSV Format (``text/csv``): RFC 4180, CRLF line
  ends, each term as its plain value (IRI, lexical form, ``_:label``), unbound empty;
* ``tsv`` — SPARQL 1.1 Query Results TSV Format (``text/tab-separated-values``): the
  header names the variables with ``?``, each term in SPARQL/N-Triples syntax, LF ends.

CSV and TSV are defined for SELECT only; an ASK answer is written there as one column,
``answer``, holding ``true`` or ``false``. A CONSTRUCT or DESCRIBE answer is a graph, not
a results table, and is refused (:class:`~igfgraph.exceptions.QueryError`).

Streaming: :func:`iter_results` writes the document piece by piece as it draws the
solutions from an iterator (one piece per :data:`CHUNK_ROWS` solutions), so a result
larger than memory (a cross product) goes to a file or socket without ever being held
whole; all four formats stream. :func:`write_results` joins those pieces into one string
(the same bytes). A solution iterator that raises part way has already handed out the
pieces before it: the caller decides what a cut document means (``igfgraph query`` says
so on standard error and leaves no ``--out`` file).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from igfgraph.exceptions import QueryError


class QueryResult(Protocol):
    """What the writers read of a query result (:class:`igfgraph.sparql.QueryResult` has it).

    A structural type, so that this module, below :mod:`igfgraph.sparql`, never imports it.
    """

    kind: str  # "select", "ask" or "construct"
    columns: list[str]
    rows: Iterable[list]  # one list of pyoxigraph terms (None: unbound) per solution
    boolean: bool | None


__all__ = ["CHUNK_ROWS", "FORMATS", "MEDIA_TYPES", "iter_results", "write_results"]

#: format name → its media type
MEDIA_TYPES: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
FORMATS: tuple[str, ...] = tuple(MEDIA_TYPES)
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RESULTS_NS = "http://www.w3.org/2005/sparql-results#"
#: solutions written per piece of :func:`iter_results`
CHUNK_ROWS = 1000


def write_results(
    result: QueryResult, fmt: str, *, cell: Callable[[Any, str], str] | None = None
) -> str:
    """Write a SELECT or ASK answer as a SPARQL results document.

    Parameters
    ----------
    result : igfgraph.sparql.QueryResult
        The answer: its ``kind`` (``"select"`` or ``"ask"``), ``columns``, ``rows`` (lists
        of pyoxigraph terms, ``None`` for unbound; any iterable) and ``boolean``.
    fmt : {"json", "xml", "csv", "tsv"}
        The format (see the module notes; :data:`MEDIA_TYPES` gives each media type).
    cell : callable, optional
        For ``csv`` and ``tsv``: ``cell(term, text)`` returns the text written for a
        bound term (its value in CSV; a literal's lexical form in TSV), e.g. to
        neutralise a value a spreadsheet would run as a formula. Default: the text as
        the Recommendation gives it.

    Returns
    -------
    str
        The document, ending in a line end: the pieces of :func:`iter_results` joined.

    Raises
    ------
    QueryError
        For a CONSTRUCT or DESCRIBE answer (a graph), or an unknown format.
    """
    return "".join(iter_results(result, fmt, cell=cell))


def iter_results(
    result: QueryResult, fmt: str, *, cell: Callable[[Any, str], str] | None = None
) -> Iterator[str]:
    """Write a SELECT or ASK answer piece by piece, drawing the solutions lazily.

    Parameters
    ----------
    result : igfgraph.sparql.QueryResult
        As for :func:`write_results`; its ``rows`` may be a one-pass iterator (e.g. from
        :func:`igfgraph.sparql.query` with ``lazy=True``), read once, in order, and
        never held whole.
    fmt : {"json", "xml", "csv", "tsv"}
        The format.
    cell : callable, optional
        As for :func:`write_results`.

    Yields
    ------
    str
        Consecutive pieces of the document: the header, then the text of up to
        :data:`CHUNK_ROWS` solutions at a time, then the closing text. Joined, they are
        the document :func:`write_results` returns, byte for byte. Memory stays that of
        one piece, whatever the number of solutions.

    Raises
    ------
    QueryError
        For a CONSTRUCT or DESCRIBE answer, or an unknown format, before any piece.
    Exception
        Whatever the solution iterator raises (a query failing or stopped part way),
        after the pieces written before it.
    """
    if result.kind not in ("select", "ask"):
        msg = f"a CONSTRUCT or DESCRIBE result is a graph: ask for Turtle or N-Triples, not {fmt}"
        raise QueryError(msg)
    writers = {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}
    if fmt not in writers:
        msg = f"unknown results format {fmt!r}: use one of {', '.join(FORMATS)}"
        raise QueryError(msg)
    if fmt in ("csv", "tsv"):
        return writers[fmt](result, cell)
    return writers[fmt](result)


def _batches(rows: Iterable[Any]) -> Iterator[list[Any]]:
    """Yield the rows in lists of at most :data:`CHUNK_ROWS`."""
    batch: list[Any] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= CHUNK_ROWS:
            yield batch
            batch = []
    if batch:
        yield batch


# --------------------------------------------------------------------------- JSON


def _json_term(term: Any) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != _XSD_STRING:
        out["datatype"] = term.datatype.value
    return out


def _dumps(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def _json(result: QueryResult) -> Iterator[str]:
    # The pieces are those ``json.dumps(doc, indent=2)`` writes for the whole document:
    # each binding is dumped alone and indented to its depth (three levels, six spaces).
    if result.kind == "ask":
        yield _dumps({"head": {}, "boolean": bool(result.boolean)}) + "\n"
        return
    columns = list(result.columns)
    empty = _dumps({"head": {"vars": columns}, "results": {"bindings": []}})
    opening, closing = empty.rsplit("[]", 1)
    first = True
    for batch in _batches(result.rows):
        texts = []
        for row in batch:
            binding = {c: _json_term(t) for c, t in zip(columns, row, strict=True) if t is not None}
            texts.append("      " + _dumps(binding).replace("\n", "\n      "))
        yield (opening + "[\n" if first else ",\n") + ",\n".join(texts)
        first = False
    yield (opening + "[]" if first else "\n    ]") + closing + "\n"


# --------------------------------------------------------------------------- XML


def _xml_term(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    attrs = ""
    if term.language:
        attrs = f" xml:lang={quoteattr(term.language)}"
    elif term.datatype.value != _XSD_STRING:
        attrs = f" datatype={quoteattr(term.datatype.value)}"
    return f"<literal{attrs}>{escape(term.value)}</literal>"


def _xml(result: QueryResult) -> Iterator[str]:
    out = ['<?xml version="1.0"?>', f"<sparql xmlns={quoteattr(_RESULTS_NS)}>", "<head>"]
    out += [f"<variable name={quoteattr(c)}/>" for c in result.columns]
    out.append("</head>")
    if result.kind == "ask":
        out.append(f"<boolean>{'true' if result.boolean else 'false'}</boolean>")
        out.append("</sparql>")
        yield "\n".join(out) + "\n"
        return
    out.append("<results>")
    yield "\n".join(out) + "\n"
    names = [quoteattr(c) for c in result.columns]
    for batch in _batches(result.rows):
        out = []
        for row in batch:
            out.append("<result>")
            out += [
                f"<binding name={name}>{_xml_term(t)}</binding>"
                for name, t in zip(names, row, strict=True)
                if t is not None
            ]
            out.append("</result>")
        yield "\n".join(out) + "\n"
    yield "</results>\n</sparql>\n"


# --------------------------------------------------------------------------- CSV, TSV


def _plain(term: Any) -> str:
    """Return a term as the CSV format writes it: IRI, lexical form, or ``_:label``."""
    return "_:" + term.value if isinstance(term, ox.BlankNode) else term.value


def _csv(result: QueryResult, cell: Callable[[Any, str], str] | None) -> Iterator[str]:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    if result.kind == "ask":
        writer.writerows([["answer"], ["true" if result.boolean else "false"]])
        yield buf.getvalue()
        return
    writer.writerow(result.columns)
    yield buf.getvalue()
    for batch in _batches(result.rows):
        buf.seek(0)
        buf.truncate()
        for row in batch:
            texts = []
            for term in row:
                if term is None:
                    texts.append("")
                else:
                    text = _plain(term)
                    texts.append(cell(term, text) if cell is not None else text)
            writer.writerow(texts)
        yield buf.getvalue()


def _tsv_term(term: Any, cell: Callable[[Any, str], str] | None) -> str:
    if term is None:
        return ""
    if cell is not None and isinstance(term, ox.Literal):
        text = cell(term, term.value)
        if text != term.value:  # the same kind of literal, with the text the hook gave
            if term.language:
                term = ox.Literal(text, language=term.language)
            else:
                term = ox.Literal(text, datatype=term.datatype)
    return str(term)


def _tsv(result: QueryResult, cell: Callable[[Any, str], str] | None) -> Iterator[str]:
    if result.kind == "ask":  # a bare true/false, as the CSV writes it
        yield f"?answer\n{'true' if result.boolean else 'false'}\n"
        return
    yield "\t".join("?" + c for c in result.columns) + "\n"
    for batch in _batches(result.rows):
        yield "".join("\t".join(_tsv_term(t, cell) for t in row) + "\n" for row in batch)
