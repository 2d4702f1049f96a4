"""igfgraph.results: SPARQL results in JSON, XML, CSV and TSV, checked by hand and by rdflib."""

from __future__ import annotations

import io

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.query import Result

from igfgraph.exceptions import QueryError
from igfgraph.results import FORMATS, MEDIA_TYPES, write_results
from igfgraph.sparql import QueryResult

XSD = "http://www.w3.org/2001/XMLSchema#"
DC = "https://w3id.org/igfgraph/id/dc/dc-x"
TRICKY = 'a "quoted", two-line\nname\twith a tab'


def select() -> QueryResult:
    rows = [
        [ox.NamedNode(DC), ox.Literal("DC on X", language="en"), ox.Literal("2014", datatype=ox.NamedNode(XSD + "integer"))],
        [ox.BlankNode("b0"), ox.Literal(TRICKY), None],
    ]  # fmt: skip
    return QueryResult("select", columns=["dc", "name", "year"], rows=rows)


def ask(value: bool) -> QueryResult:
    return QueryResult("ask", boolean=value)


def test_csv_is_rfc4180_with_plain_values():
    assert write_results(select(), "csv") == (
        f'dc,name,year\r\n{DC},DC on X,2014\r\n_:b0,"a ""quoted"", two-line\nname\twith a tab",\r\n'
    )


def test_tsv_writes_terms_in_sparql_syntax():
    assert write_results(select(), "tsv") == (
        "?dc\t?name\t?year\n"
        f'<{DC}>\t"DC on X"@en\t"2014"^^<{XSD}integer>\n'
        '_:b0\t"a \\"quoted\\", two-line\\nname\\twith a tab"\t\n'
    )


def test_json_and_xml_by_hand():
    assert write_results(select(), "json").startswith('{\n  "head": {\n    "vars": [')
    xml = write_results(select(), "xml")
    assert '<binding name="name"><literal xml:lang="en">DC on X</literal></binding>' in xml
    assert f'<literal datatype="{XSD}integer">2014</literal>' in xml
    assert xml.count("<binding") == 5  # the unbound ?year of the second row is left out


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_rdflib_reads_back_what_was_written(fmt):
    parsed = Result.parse(io.StringIO(write_results(select(), fmt)), format=fmt)
    assert [str(v) for v in parsed.vars] == ["dc", "name", "year"]
    rows = [tuple(row) for row in parsed]
    if fmt == "csv":  # lossy by design: plain values
        assert rows[0] == (URIRef(DC), Literal("DC on X"), Literal("2014"))
        assert rows[1][1] == Literal(TRICKY)
    else:
        assert rows[0] == (
            URIRef(DC),
            Literal("DC on X", lang="en"),
            Literal("2014", datatype=URIRef(XSD + "integer")),
        )
        assert isinstance(rows[1][0], BNode) and rows[1][1] == Literal(TRICKY)
        assert rows[1][2] is None


@pytest.mark.parametrize("value", [True, False])
def test_ask_in_every_format(value):
    word = "true" if value else "false"
    assert write_results(ask(value), "csv") == f"answer\r\n{word}\r\n"
    assert write_results(ask(value), "tsv") == f"?answer\n{word}\n"
    for fmt in ("json", "xml"):
        assert (
            Result.parse(io.StringIO(write_results(ask(value), fmt)), format=fmt).askAnswer is value
        )


def test_csv_and_tsv_cells_can_be_rewritten():
    text = write_results(select(), "csv", cell=lambda term, text: text.upper())
    assert text.splitlines()[1] == f"{DC.upper()},DC ON X,2014"
    tsv = write_results(select(), "tsv", cell=lambda term, text: "'" + text)
    # only literals are rewritten, and stay literals of their language or datatype
    assert tsv.splitlines()[1] == f'<{DC}>\t"\'DC on X"@en\t"\'2014"^^<{XSD}integer>'


def test_graphs_and_unknown_formats_are_refused():
    with pytest.raises(QueryError, match="is a graph"):
        write_results(QueryResult("construct", triples=""), "json")
    with pytest.raises(QueryError, match="unknown results format 'html'"):
        write_results(select(), "html")
    assert FORMATS == ("json", "xml", "csv", "tsv")
    assert MEDIA_TYPES["tsv"] == "text/tab-separated-values"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind", ["select", "ask"])
def test_the_cli_and_the_endpoint_write_the_same_document(fmt, kind):
    from igfgraph.endpoint.worker import _serialise

    result = select() if kind == "select" else ask(True)
    media, body = _serialise(result, [MEDIA_TYPES[fmt]])  # what the endpoint sends
    assert media == MEDIA_TYPES[fmt]
    assert body.decode("utf-8") == result.format(fmt) == write_results(result, fmt)  # the CLI's
