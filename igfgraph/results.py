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
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from igfgraph.exceptions import QueryError

if TYPE_CHECKING:
    from igfgraph.sparql import QueryResult

__all__ = ["FORMATS", "MEDIA_TYPES", "write_results"]

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


def write_results(
    result: QueryResult, fmt: str, *, cell: Callable[[Any, str], str] | None = None
) -> str:
    """Write a SELECT or ASK answer as a SPARQL results document.

    Parameters
    ----------
    result : igfgraph.sparql.QueryResult
        The answer: its ``kind`` (``"select"`` or ``"ask"``), ``columns``, ``rows`` (lists
        of pyoxigraph terms, ``None`` for unbound) and ``boolean``.
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
        The document, ending in a line end.

    Raises
    ------
    QueryError
        For a CONSTRUCT or DESCRIBE answer (a graph), or an unknown format.
    """
    if result.kind not in ("select", "ask"):
        msg = f"a CONSTRUCT or DESCRIBE result is a graph: ask for Turtle or N-Triples, not {fmt}"
        raise QueryError(msg)
    if fmt == "json":
        return _json(result)
    if fmt == "xml":
        return _xml(result)
    if fmt == "csv":
        return _csv(result, cell)
    if fmt == "tsv":
        return _tsv(result, cell)
    msg = f"unknown results format {fmt!r}: use one of {', '.join(FORMATS)}"
    raise QueryError(msg)


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


def _json(result: QueryResult) -> str:
    if result.kind == "ask":
        doc: dict[str, Any] = {"head": {}, "boolean": bool(result.boolean)}
    else:
        bindings = [
            {c: _json_term(t) for c, t in zip(result.columns, row, strict=True) if t is not None}
            for row in result.rows
        ]
        doc = {"head": {"vars": list(result.columns)}, "results": {"bindings": bindings}}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


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


def _xml(result: QueryResult) -> str:
    out = ['<?xml version="1.0"?>', f"<sparql xmlns={quoteattr(_RESULTS_NS)}>", "<head>"]
    out += [f"<variable name={quoteattr(c)}/>" for c in result.columns]
    out.append("</head>")
    if result.kind == "ask":
        out.append(f"<boolean>{'true' if result.boolean else 'false'}</boolean>")
    else:
        out.append("<results>")
        for row in result.rows:
            out.append("<result>")
            out += [
                f"<binding name={quoteattr(c)}>{_xml_term(t)}</binding>"
                for c, t in zip(result.columns, row, strict=True)
                if t is not None
            ]
            out.append("</result>")
        out.append("</results>")
    out.append("</sparql>")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- CSV, TSV


def _plain(term: Any) -> str:
    """Return a term as the CSV format writes it: IRI, lexical form, or ``_:label``."""
    return "_:" + term.value if isinstance(term, ox.BlankNode) else term.value


def _table(result: QueryResult) -> tuple[list[str], Sequence[Sequence[Any]]]:
    if result.kind == "ask":
        return ["answer"], [[ox.Literal("true" if result.boolean else "false")]]
    return list(result.columns), result.rows


def _csv(result: QueryResult, cell: Callable[[Any, str], str] | None) -> str:
    columns, rows = _table(result)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        texts = []
        for term in row:
            if term is None:
                texts.append("")
            else:
                text = _plain(term)
                texts.append(cell(term, text) if cell is not None else text)
        writer.writerow(texts)
    return buf.getvalue()


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


def _tsv(result: QueryResult, cell: Callable[[Any, str], str] | None) -> str:
    columns, rows = _table(result)
    if result.kind == "ask":  # a bare true/false, as the CSV writes it
        return f"?answer\n{'true' if result.boolean else 'false'}\n"
    lines = ["\t".join("?" + c for c in columns)]
    lines += ["\t".join(_tsv_term(t, cell) for t in row) for row in rows]
    return "\n".join(lines) + "\n"
