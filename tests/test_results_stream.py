"""Query results streamed to the output: pieces before an error are out, --out is all or nothing.

The writer (:func:`igfgraph.results.iter_results`) draws solutions lazily; the CLI streams
them to standard output or into the temporary file of ``--out``; the endpoint's worker
streams them into a buffer bounded by its row and byte caps.
"""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import RDF, Namespace

from igfgraph import results
from igfgraph.cli import cli
from igfgraph.cli.common import CUT, emit_pieces
from igfgraph.endpoint.worker import answer
from igfgraph.exceptions import QueryError
from igfgraph.fileio import open_atomic
from igfgraph.results import iter_results, write_results
from igfgraph.sparql import QueryResult
from tests.test_query_timeout import igfgraph

ROOT = Path(__file__).resolve().parent.parent
EX = "http://example.org/"
IGF = Namespace("https://w3id.org/igfgraph/ontology#")


class Boom(QueryError):
    """Stands in for a query failing part way."""


def failing_rows(n: int):
    """Yield ``n`` rows, then fail as an engine would."""
    for i in range(n):
        yield [ox.NamedNode(f"{EX}s{i}"), ox.Literal(str(i))]
    raise Boom("the engine failed at row " + str(n))


def failing(n: int) -> QueryResult:
    return QueryResult("select", columns=["s", "i"], rows=failing_rows(n))


def test_the_first_rows_are_written_before_the_error(monkeypatch):
    monkeypatch.setattr(results, "CHUNK_ROWS", 2)
    pieces = iter_results(failing(5), "csv")
    written = []
    with pytest.raises(Boom, match="at row 5"):
        for piece in pieces:
            written.append(piece)
    # the header, then rows 0-1 and 2-3 in two pieces; row 4 was pending when it failed
    assert written == ["s,i\r\n", f"{EX}s0,0\r\n{EX}s1,1\r\n", f"{EX}s2,2\r\n{EX}s3,3\r\n"]


def test_stdout_gets_the_first_rows_and_the_error_says_it_was_cut(monkeypatch):
    monkeypatch.setattr(results, "CHUNK_ROWS", 1)
    out = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(out, encoding="utf-8"))
    with pytest.raises(Boom) as err:
        emit_pieces(iter_results(failing(3), "tsv"))
    assert out.getvalue().decode() == (f'?s\t?i\n<{EX}s0>\t"0"\n<{EX}s1>\t"1"\n<{EX}s2>\t"2"\n')
    assert str(err.value) == f"the engine failed at row 3; {CUT}"


def test_no_out_file_remains_when_the_rows_fail(tmp_path, monkeypatch):
    monkeypatch.setattr(results, "CHUNK_ROWS", 1)
    target = tmp_path / "rows.csv"
    seen = []
    with pytest.raises(Boom):
        with open_atomic(target) as fh:
            for piece in iter_results(failing(4), "csv"):
                fh.write(piece)
                seen.append(piece)
                assert fh.temp.exists() and not target.exists()
    assert "".join(seen) == "s,i\r\n" + "".join(f"{EX}s{i},{i}\r\n" for i in range(4))
    assert list(tmp_path.iterdir()) == []
    # an earlier file is left as it was
    target.write_text("old\n")
    with pytest.raises(Boom):
        emit_pieces(iter_results(failing(2), "json"), target)
    assert target.read_text() == "old\n" and list(tmp_path.iterdir()) == [target]


def test_open_atomic_replaces_the_file_on_success(tmp_path):
    target = tmp_path / "sub" / "a.tsv"
    with open_atomic(target) as fh:
        assert fh.write("é\n") == 3 and not target.exists()
        fh.write(b"x\n")
    assert target.read_bytes() == "é\nx\n".encode() and os.listdir(target.parent) == ["a.tsv"]


@pytest.mark.parametrize("rows", [0, 1, 2, 5])
def test_streamed_json_is_the_json_module_s_document(monkeypatch, rows):
    monkeypatch.setattr(results, "CHUNK_ROWS", 2)
    terms = [[ox.NamedNode(f"{EX}s{i}"), None if i % 2 else ox.Literal("x")] for i in range(rows)]
    text = write_results(QueryResult("select", columns=["s", "o"], rows=iter(terms)), "json")
    doc = json.loads(text)
    assert len(doc["results"]["bindings"]) == rows
    assert text == json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def cross_store(n: int) -> ox.Store:
    """A hand-made graph: ``n`` subjects, each typed ex:T and labelled."""
    store = ox.Store()
    for i in range(n):
        s = ox.NamedNode(f"{EX}s{i}")
        store.add(ox.Quad(s, ox.NamedNode(f"{EX}p"), ox.NamedNode(f"{EX}T")))
        store.add(ox.Quad(s, ox.NamedNode(f"{EX}label"), ox.Literal(f"thing {i}")))
    return store


CROSS2 = f"SELECT ?a ?b WHERE {{ ?a <{EX}p> <{EX}T> . ?b <{EX}p> <{EX}T> }}"


def job(query: str, accept: str, max_rows: int = 10_000, max_bytes: int = 10**8) -> dict:
    return {
        "query": query,
        "accept": [accept],
        "max_rows": max_rows,
        "max_bytes": max_bytes,
        "allow_service": False,
        "prologue": False,
    }


@pytest.mark.parametrize("accept", ["text/csv", "application/sparql-results+json"])
def test_the_endpoint_worker_streams_a_cross_product_within_its_caps(accept):
    store = cross_store(40)  # 40 × 40 = 1,600 rows
    header, body = answer(store, job(CROSS2, accept))
    assert header == {"status": "ok", "media": accept}
    if accept == "text/csv":
        lines = body.decode().split("\r\n")
        assert lines[0] == "a,b" and lines[-1] == "" and len(lines) == 1 + 1600 + 1
        assert len(set(lines[1:-1])) == 1600
    else:
        assert len(json.loads(body)["results"]["bindings"]) == 1600
    exact, _ = answer(store, job(CROSS2, accept, max_rows=1600))
    assert exact["status"] == "ok"
    over, empty = answer(store, job(CROSS2, accept, max_rows=1599))
    assert over["code"] == 422 and "more than 1599 rows" in over["message"] and empty == b""
    big, _ = answer(store, job(CROSS2, accept, max_bytes=1000))
    assert big["code"] == 422 and "larger than 1000 bytes" in big["message"]


@pytest.mark.parametrize("store", ["oxigraph", "memory"])
@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "xml"])
def test_cli_cross_product_row_counts(mini_package, mini_built, store, fmt, tmp_path):
    dcs = len(set(mini_built.graph.subjects(RDF.type, IGF.DynamicCoalition)))
    assert dcs >= 2
    q = "SELECT ?a ?b WHERE { ?a a igf:DynamicCoalition . ?b a igf:DynamicCoalition }"
    out = tmp_path / f"x.{fmt}"
    args = ["query", "--data", str(mini_package), "--store", store, "--format", fmt]
    result = CliRunner().invoke(cli, [*args, "--out", str(out), q])
    assert result.exit_code == 0, result.output
    text = out.read_bytes().decode("utf-8")
    stdout = CliRunner().invoke(cli, [*args, q])
    assert stdout.exit_code == 0 and stdout.stdout_bytes == out.read_bytes()  # the same bytes
    if fmt == "csv":
        rows = text.split("\r\n")[1:-1]
    elif fmt == "tsv":
        rows = text.split("\n")[1:-1]
    elif fmt == "json":
        rows = json.loads(text)["results"]["bindings"]
    else:
        rows = text.split("<result>")[1:]
    assert len(rows) == dcs * dcs


CROSS3 = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # ~10^9 rows on mini


def test_a_timeout_mid_stream(mini_package, tmp_path):
    base = ["query", "--data", str(mini_package), "--timeout", "2", "--format", "csv"]
    out = tmp_path / "rows.csv"
    to_file = igfgraph(*base, "--out", str(out), CROSS3)
    assert to_file.returncode == 1 and to_file.stdout == ""
    assert to_file.stderr.strip().splitlines() == [
        "Error: the query ran past the time limit of 2 s and was stopped "
        "(raise it with --timeout SECONDS, 0 for none)"
    ]
    assert list(tmp_path.iterdir()) == []  # nothing half-written, no temporary file
    to_stdout = igfgraph(*base, CROSS3)
    assert to_stdout.returncode == 1
    lines = to_stdout.stdout.split("\n")
    assert lines[0] == "a,b,c,d,e,f,g,h,i" and len(lines) > 1000  # rows were streamed
    assert to_stdout.stderr.strip().splitlines() == [
        "Error: the query ran past the time limit of 2 s and was stopped "
        f"(raise it with --timeout SECONDS, 0 for none); {CUT}"
    ]
