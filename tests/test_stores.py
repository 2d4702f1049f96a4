"""Stores behind one rdflib Graph API: memory, oxigraph, oxigraph:PATH and sparql:URL.

The named queries must give the same answers in every store, compared after normalising:
rows sorted; literals compared by lexical form and datatype, with plain strings and
xsd:string taken as equal. The SPARQL servers (Oxigraph server, Virtuoso, igfgraph's own
endpoint) are started by the fixtures of tests/servers.py; a missing one skips its tests,
or fails them when IGFGRAPH_REQUIRE_SERVERS=1.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal

from igfgraph.cli import cli
from igfgraph.exceptions import InputError, QueryError
from igfgraph.queries import load_queries, named_query
from igfgraph.sparql import query, to_store
from igfgraph.stores import (
    Endpoint,
    StoreError,
    StoreSpec,
    open_graph,
    parse_store,
    push,
    store_holds_graph,
    store_kind,
)
from tests import servers
from tests.test_queries import EXAMPLE_PARAMS

oxigraph_server = servers.oxigraph_server
virtuoso_server = servers.virtuoso_server
igfgraph_endpoint = servers.igfgraph_endpoint

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
ID = "https://w3id.org/igfgraph/id/"


def canonical(result) -> tuple[list[str], list[tuple]]:
    """Columns and sorted rows; a literal is (lexical form, datatype or language)."""

    def term(t):
        if t is None:
            return None
        if isinstance(t, ox.NamedNode):
            return ("iri", t.value)
        if isinstance(t, ox.BlankNode):
            return ("bnode",)
        if t.language:
            return ("literal", t.value, "@" + t.language.lower())
        datatype = t.datatype.value
        return ("literal", t.value, None if datatype == XSD_STRING else datatype)

    rows = sorted((tuple(term(t) for t in row) for row in result.rows), key=repr)
    return result.columns, rows


# --------------------------------------------------------------------------- store names


@pytest.mark.parametrize(
    ("text", "spec"),
    [
        (None, StoreSpec("oxigraph")),
        ("memory", StoreSpec("memory")),
        ("Oxigraph", StoreSpec("oxigraph")),
        ("oxigraph:/tmp/igf", StoreSpec("oxigraph", path=Path("/tmp/igf"))),
        (
            "sparql:http://127.0.0.1:7878/query",
            StoreSpec(
                "sparql",
                url="http://127.0.0.1:7878/query",
                update_url="http://127.0.0.1:7878/update",
                store_url="http://127.0.0.1:7878/store",
            ),
        ),
        (
            "http://127.0.0.1:8890/sparql",
            StoreSpec(
                "sparql",
                url="http://127.0.0.1:8890/sparql",
                update_url="http://127.0.0.1:8890/sparql",
            ),
        ),
        (
            "sparql:http://h/ds/query,update=http://h/ds/update,store=none",
            StoreSpec("sparql", url="http://h/ds/query", update_url="http://h/ds/update"),
        ),
    ],
)
def test_store_names(text, spec):
    assert parse_store(text) == spec


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("postgres", "unknown store"),
        ("memory:x", "takes no location"),
        ("oxigraph:", "needs a folder"),
        ("sparql:ftp://x/q", "http"),
        ("sparql:http://user:pw@h/q", "IGFGRAPH_SPARQL_AUTH"),
        ("sparql:http://h/q,color=red", "unknown option"),
    ],
)
def test_bad_store_names(text, message):
    with pytest.raises(InputError, match=message):
        parse_store(text)


# --------------------------------------------------------------------------- local stores


def plain(term):
    if isinstance(term, Literal) and term.datatype is not None and str(term.datatype) == XSD_STRING:
        return Literal(str(term))
    return term


def test_memory_and_oxigraph_stores_are_rdflib_graphs(mini_built):
    memory = open_graph("memory", content=mini_built.graph)
    oxigraph = open_graph("oxigraph", content=mini_built.graph)
    assert isinstance(memory, Graph) and isinstance(oxigraph, Graph)
    assert (store_kind(memory), store_kind(oxigraph)) == ("memory", "oxigraph")
    assert len(memory) == len(oxigraph) == len(mini_built.graph)
    # the rdflib API reads Oxigraph's store (oxrdflib types plain literals as xsd:string)
    assert {tuple(map(plain, t)) for t in oxigraph} == set(mini_built.graph)
    inner = to_store(oxigraph)
    assert isinstance(inner, ox.Store) and to_store(oxigraph) is inner  # no copy


def test_open_graph_builds_from_data(mini_package):
    from igfgraph.pipeline import open_graph as open_validated

    graph = open_validated("oxigraph", data=mini_package)
    assert query(graph, "ASK { ?x igf:acronym 'TCG' }").boolean is True


def test_the_store_layer_does_not_build_it_is_given_a_builder(mini_package, tmp_path):
    # stores sits below the build: without content= or build= it refuses, naming both
    with pytest.raises(InputError, match="pass content= .* or build="):
        open_graph("oxigraph", data=mini_package)
    with pytest.raises(InputError, match="igfgraph.pipeline.open_graph"):
        open_graph(f"oxigraph:{tmp_path / 'empty'}", data=mini_package)
    calls = []

    def build(data):
        calls.append(data)
        return Graph()

    assert len(open_graph("memory", data=mini_package, build=build)) == 0
    assert calls == [mini_package]


def test_memory_store_runs_rdflib_engine(mini_built):
    memory = open_graph("memory", content=mini_built.graph)
    # rdflib answers; its result comes back as pyoxigraph terms like Oxigraph's
    result = query(memory, "SELECT ?dc WHERE { ?dc a igf:DynamicCoalition } ORDER BY ?dc")
    assert [t.value for (t,) in result.rows] == [ID + f"dc/dc-{x}" for x in "abc"]
    with pytest.raises(QueryError, match="SPARQL error"):
        query(memory, "SELEC ?x")


def test_disk_store_is_built_once_and_reopened(tmp_path, mini_package, shipped_built):
    path = tmp_path / "store"
    spec = f"oxigraph:{path}"
    assert not store_holds_graph(spec)
    from igfgraph.pipeline import validated_graph

    first = open_graph(spec, data=mini_package, build=validated_graph)
    size = len(first)
    assert store_holds_graph(spec) and path.is_dir()
    # reopened: the data given is not read, the store wins
    again = open_graph(spec, content=shipped_built.graph)
    assert len(again) == size
    assert query(again, "ASK { ?x igf:acronym 'TCG' }").boolean is True
    # push rebuilds it
    result = push(shipped_built.graph, spec)
    assert (result.method, result.triples) == ("oxigraph", len(shipped_built.graph))
    assert len(open_graph(spec)) == len(shipped_built.graph)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]  # no staging folder left


def test_disk_store_refuses_a_file(tmp_path):
    file = tmp_path / "file"
    file.write_text("x")
    with pytest.raises(InputError, match="not a folder"):
        open_graph(f"oxigraph:{file}")


def test_push_needs_a_lasting_store(mini_built):
    for store in ("memory", "oxigraph"):
        with pytest.raises(InputError, match="cannot push"):
            push(mini_built.graph, store)
    with pytest.raises(InputError, match="--graph"):
        open_graph("oxigraph", graph="https://example.org/g")


def test_unreachable_server_is_a_clear_error():
    port = servers.free_port()
    with pytest.raises(
        StoreError, match=f"cannot reach the SPARQL server at http://127.0.0.1:{port}"
    ):
        open_graph(f"sparql:http://127.0.0.1:{port}/query")


# --------------------------------------------------------------------------- the same answers


STORES = ["memory", "oxigraph", "oxigraph-disk", "oxigraph-server", "virtuoso", "igfgraph-serve"]


@pytest.fixture(scope="module")
def baseline(shipped_built):
    return open_graph("oxigraph", content=shipped_built.graph)


@pytest.fixture(scope="module")
def disk_graph(shipped_built, tmp_path_factory):
    return open_graph(
        f"oxigraph:{tmp_path_factory.mktemp('disk') / 'store'}", content=shipped_built.graph
    )


@pytest.fixture(params=STORES)
def any_store(request, shipped_built):
    name = request.param
    if name == "memory":
        return open_graph("memory", content=shipped_built.graph)
    if name == "oxigraph":
        return open_graph("oxigraph", content=shipped_built.graph)
    if name == "oxigraph-disk":
        return request.getfixturevalue("disk_graph")
    if name == "oxigraph-server":
        server = request.getfixturevalue("oxigraph_server")
        return open_graph(f"sparql:{server.url}")
    if name == "virtuoso":
        server = request.getfixturevalue("virtuoso_server")
        return open_graph(f"sparql:{server.url}", graph=servers.VIRTUOSO_GRAPH)
    server = request.getfixturevalue("igfgraph_endpoint")
    return open_graph(f"sparql:{server.url}")


@pytest.mark.parametrize("name", sorted(load_queries()))
def test_named_queries_agree_in_every_store(any_store, baseline, name):
    q = named_query(name)
    params = EXAMPLE_PARAMS.get(name, {})
    expected = canonical(q.run(baseline, params))
    assert expected[1], f"{name} answers nothing: a poor comparison"
    assert canonical(q.run(any_store, params)) == expected


def test_dcs_without_session_in_virtuoso_every_year(virtuoso_server, baseline):
    # the activity rule in one standard form that Virtuoso runs too (its earlier forms were
    # refused, SQ200, or ran out of its memory pool): the same coalitions as Oxigraph's in
    # every year of the annual meetings and the years either side
    remote = open_graph(f"sparql:{virtuoso_server.url}", graph=servers.VIRTUOSO_GRAPH)
    q = named_query("dcs-without-session")
    answered = 0
    for year in range(2005, 2027):
        expected = canonical(q.run(baseline, {"year": str(year)}))
        assert canonical(q.run(remote, {"year": str(year)})) == expected, year
        answered += bool(expected[1])
    assert answered >= 15  # most years have coalitions without a session: a real comparison


ACTIVITY_CASES = """
@prefix igf: <https://w3id.org/igfgraph/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix : <https://example.org/case/> .
:m2012 a igf:AnnualMeeting ; igf:year 2012 .
:m2010 a igf:AnnualMeeting ; igf:year 2010 .
:r2012 dcterms:date "2012-03-01"^^xsd:date .
:r2013 dcterms:date "2013-06-01"^^xsd:date .
:r2014 dcterms:date "2014-02-01"^^xsd:date .
:a a igf:DynamicCoalition ; skos:prefLabel "A gap between" ; igf:established 2010 ;
   igf:notListedIn :r2012 .
:oa dcterms:creator :a ; dcterms:issued "2014-05-01"^^xsd:date .
:b a igf:DynamicCoalition ; skos:prefLabel "B before and after" ; igf:established 2010 ;
   igf:listedIn :r2014 .
:c a igf:DynamicCoalition ; skos:prefLabel "C cycle in the year" ; igf:activeIn 2012 ;
   igf:notListedIn :r2012 .
:d a igf:DynamicCoalition ; skos:prefLabel "D gap after the year" ; igf:established 2010 ;
   igf:notListedIn :r2013 .
:od dcterms:creator :d ; dcterms:issued "2015"^^xsd:gYear .
:e a igf:DynamicCoalition ; skos:prefLabel "E founded later" ; igf:established 2013 .
:f a igf:DynamicCoalition ; skos:prefLabel "F had a session" ; igf:established 2008 ;
   igf:listedIn :r2014 .
:sf igf:heldAt :m2012 ; igf:participant :f .
:g a igf:DynamicCoalition ; skos:prefLabel "G unknown" ; igf:established 2008 .
:h a igf:DynamicCoalition ; skos:prefLabel "H ended" ; igf:established 2010 ; igf:ended 2011 ;
   igf:listedIn :r2014 .
:i a igf:DynamicCoalition ; skos:prefLabel "I session before, listing after" .
:si igf:organizedBy :i ; igf:heldAt :m2010 .
:i igf:listedIn :r2013 .
"""


def test_dcs_without_session_rule_cases_in_every_engine(virtuoso_server):
    # hand-made coalitions, one per row of the activity rule (igfgraph/activity.py). In 2012:
    # B (evidence before and after, no register leaving it out between), C (a cycle that
    # year, its not-listed register of that year notwithstanding) and I (a session in 2010, a
    # listing in 2013); not A or D (a not-listed register between, before or after the
    # year), E (founded later), F (a session there), G (unknown: no evidence after), H (ended).
    # In 2010: A, B, D, H founded that year, F (founded 2008, a session in 2012); not I (a
    # session there), G (unknown), C (no evidence before)
    graph = Graph().parse(data=ACTIVITY_CASES, format="turtle")
    target = servers.VIRTUOSO_GRAPH + "/activity-cases"
    push(graph, f"sparql:{virtuoso_server.extra['auth_url']}", graph_iri=target,
         auth=servers.VIRTUOSO_AUTH)  # fmt: skip
    engines = {
        "oxigraph": open_graph("oxigraph", content=graph),
        "memory": open_graph("memory", content=graph),
        "virtuoso": open_graph(f"sparql:{virtuoso_server.url}", graph=target),
    }
    q = named_query("dcs-without-session")
    expected = {
        "2012": ["B before and after", "C cycle in the year", "I session before, listing after"],
        "2010": [
            "A gap between",
            "B before and after",
            "D gap after the year",
            "F had a session",
            "H ended",
        ],  # fmt: skip
        "2011": [],  # no annual meeting that year
    }
    for engine, store in engines.items():
        for year, names in expected.items():
            got = [row[1].value for row in q.run(store, {"year": year}).rows]
            assert got == names, (engine, year)


def test_every_store_sees_the_whole_graph(any_store, shipped_built):
    n = query(any_store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0]
    assert int(n.value) == len(shipped_built.graph)
    ask = query(any_store, "ASK { ?x igf:liaisesWith ?y }")
    assert ask.kind == "ask" and ask.boolean is True
    construct = query(
        any_store,
        "CONSTRUCT { ?m igf:hostCity ?c } WHERE { ?m igf:hostCity ?c ; igf:year 2021 }",
    )
    assert construct.triples == (
        f'<{ID}meeting/igf-2021> <https://w3id.org/igfgraph/ontology#hostCity> "Katowice" .\n'
    )


def test_analyses_run_on_a_server(oxigraph_server, shipped_store):
    from igfgraph.analysis import body_theme_graph

    remote = open_graph(f"sparql:{oxigraph_server.url}")
    assert to_store(remote) is remote  # queries go to the server, nothing is copied
    a, b = body_theme_graph(remote), body_theme_graph(shipped_store)
    assert sorted(a.edges) == sorted(b.edges)


# --------------------------------------------------------------------------- push


GRAPH = "https://w3id.org/igfgraph/test/push"


def count(graph: Graph) -> int:
    return int(query(graph, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0].value)


def named_graphs(url: str) -> set[str]:
    endpoint = Endpoint(parse_store(f"sparql:{url}"))
    result = endpoint.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    return {s["g"].value for s in result}


def test_push_replaces_a_named_graph(oxigraph_server, mini_built, shipped_built):
    url = f"sparql:{oxigraph_server.url}"
    seen = []
    staged = push(
        mini_built.graph,
        url,
        graph_iri=GRAPH,
        method="update",
        chunk_triples=100,
        progress=lambda done, total, unit: seen.append((done, total, unit)),
    )
    assert (staged.method, staged.triples) == ("update-staged", len(mini_built.graph))
    assert seen[-1] == (len(mini_built.graph), len(mini_built.graph), "triples")
    assert count(open_graph(url, graph=GRAPH)) == len(mini_built.graph)
    put = push(shipped_built.graph, url, graph_iri=GRAPH)  # replaced, not merged
    assert put.method == "graph-store"
    assert count(open_graph(url, graph=GRAPH)) == len(shipped_built.graph)
    small = push(mini_built.graph, f"{url},store=none", graph_iri=GRAPH)
    assert small.method == "update"
    assert count(open_graph(url, graph=GRAPH)) == len(mini_built.graph)
    assert not any(g.startswith("urn:igfgraph:staging") for g in named_graphs(oxigraph_server.url))
    # the default graph, loaded by the fixture, was never touched
    assert count(open_graph(url)) == len(shipped_built.graph)


def test_a_failed_push_leaves_the_graph_as_it_was(
    oxigraph_server, mini_built, shipped_built, monkeypatch
):
    url = f"sparql:{oxigraph_server.url}"
    target = GRAPH + "/atomic"
    push(mini_built.graph, url, graph_iri=target)
    calls = {"insert": 0}
    original = Endpoint.update

    def flaky(self, text):
        if text.startswith("INSERT DATA"):
            calls["insert"] += 1
            if calls["insert"] > 1:
                raise StoreError("simulated failure")
        return original(self, text)

    monkeypatch.setattr(Endpoint, "update", flaky)
    with pytest.raises(StoreError, match="simulated"):
        push(shipped_built.graph, url, graph_iri=target, method="update", chunk_triples=1000)
    monkeypatch.undo()
    assert count(open_graph(url, graph=target)) == len(mini_built.graph)
    assert not any(g.startswith("urn:igfgraph:staging") for g in named_graphs(oxigraph_server.url))


def test_empty_graph_on_a_server_is_reported(oxigraph_server):
    with pytest.raises(StoreError, match="holds no triples: load it with `igfgraph push"):
        open_graph(f"sparql:{oxigraph_server.url}", graph="https://example.org/nothing")


def test_query_errors_from_a_server(oxigraph_server):
    with pytest.raises(QueryError, match="SPARQL error"):
        query(open_graph(f"sparql:{oxigraph_server.url}"), "SELEC ?x")


def test_virtuoso_loads_by_the_graph_store_protocol(virtuoso_server, mini_built, shipped_built):
    # Virtuoso's /sparql-auth has its Graph Store endpoint beside it: push replaces the named
    # graph in one PUT (seconds where SPARQL Update chunks took minutes at scale), and the
    # graph read back is the graph pushed, triple for triple
    url = f"sparql:{virtuoso_server.extra['auth_url']}"
    assert parse_store(url).store_url.endswith("/sparql-graph-crud-auth")
    target = servers.VIRTUOSO_GRAPH + "/push"
    first = push(shipped_built.graph, url, graph_iri=target, auth=servers.VIRTUOSO_AUTH)
    again = push(mini_built.graph, url, graph_iri=target, auth=servers.VIRTUOSO_AUTH)
    assert (first.method, again.method) == ("graph-store", "graph-store")
    remote = open_graph(f"sparql:{virtuoso_server.url}", graph=target)
    assert count(remote) == len(mini_built.graph)  # replaced, not merged
    back = query(remote, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").triples
    got = {tuple(map(plain, t)) for t in Graph().parse(data=back, format="nt")}
    assert got == {tuple(map(plain, t)) for t in mini_built.graph}
    # a graph above graph_store_triples goes by POSTs into a staging graph, then one MOVE
    # (one PUT of 900,000 triples deadlocked in Virtuoso): replaced, nothing left behind
    staged = push(shipped_built.graph, url, graph_iri=target, auth=servers.VIRTUOSO_AUTH,
                  graph_store_triples=5000)  # fmt: skip
    assert (staged.method, staged.triples) == ("graph-store-staged", len(shipped_built.graph))
    back = query(remote, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").triples
    got = {tuple(map(plain, t)) for t in Graph().parse(data=back, format="nt")}
    assert got == {tuple(map(plain, t)) for t in shipped_built.graph}
    assert not any(g.startswith("urn:igfgraph:staging") for g in named_graphs(virtuoso_server.url))
    # the fixture's graph, loaded the same way, answers every named query as Oxigraph does
    # (test_named_queries_agree_in_every_store); other graphs were not touched
    assert count(open_graph(f"sparql:{virtuoso_server.url}", graph=servers.VIRTUOSO_GRAPH)) == len(
        shipped_built.graph
    )


def test_virtuoso_needs_credentials_to_load(virtuoso_server, mini_built, monkeypatch):
    monkeypatch.delenv("IGFGRAPH_SPARQL_AUTH", raising=False)
    with pytest.raises(StoreError, match="IGFGRAPH_SPARQL_AUTH=user:password"):
        push(mini_built.graph, f"sparql:{virtuoso_server.extra['auth_url']}", graph_iri=GRAPH)
    with pytest.raises(StoreError, match="credentials were refused"):
        push(
            mini_built.graph,
            f"sparql:{virtuoso_server.extra['auth_url']}",
            graph_iri=GRAPH,
            auth="dba:wrong",
        )


# --------------------------------------------------------------------------- command line


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)

    return invoke


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_every_graph_command_takes_store(run, mini_package, tmp_path, store):
    stats = json.loads(
        run("stats", "--data", mini_package, "--store", store, "--format", "json").stdout
    )
    assert {(r["section"], r["item"]): r["count"] for r in stats}[
        ("class", "DynamicCoalition")
    ] == 3
    overlap = run("overlap", "--data", mini_package, "--store", store, "--format", "json")
    assert overlap.exit_code == 0 and json.loads(overlap.stdout)
    gaps = run("gaps", "--data", mini_package, "--store", store, "--format", "json")
    assert gaps.exit_code == 0 and json.loads(gaps.stdout)
    out = tmp_path / "map.html"
    assert run("viz", "--data", mini_package, "--store", store, "--out", out).exit_code == 0
    assert out.stat().st_size > 1000
    q = run("query", "ASK { ?x igf:acronym 'TCG' }", "--data", mini_package, "--store", store)
    assert q.stdout.split() == ["answer", "True"]


def test_store_wins_over_data(run, mini_package, tmp_path):
    path = tmp_path / "store"
    first = run("query", "SELECT (COUNT(*) AS ?n) {?s ?p ?o}", "--data", mini_package,
                "--store", f"oxigraph:{path}", "--format", "csv")  # fmt: skip
    assert first.exit_code == 0 and first.stderr == ""
    again = run("query", "SELECT (COUNT(*) AS ?n) {?s ?p ?o}", "--data", tmp_path / "elsewhere",
                "--store", f"oxigraph:{path}", "--format", "csv")  # fmt: skip
    assert again.exit_code == 0
    assert again.stdout == first.stdout  # the store's graph, not a build of --data
    assert "is not read: the graph comes from oxigraph:" in again.stderr


def test_cli_store_errors(run, mini_package):
    bad = run("stats", "--store", "nowhere")
    assert bad.exit_code == 2 and "unknown store 'nowhere'" in bad.output
    port = servers.free_port()
    down = run("stats", "--store", f"sparql:http://127.0.0.1:{port}/query")
    assert down.exit_code == 1 and "cannot reach the SPARQL server" in down.output
    assert "Traceback" not in down.output
    push_memory = run("push", "--data", mini_package, "--store", "memory")
    assert push_memory.exit_code == 2 and "cannot push" in push_memory.output


def test_cli_push_and_query_a_server(run, oxigraph_server, mini_package):
    url = f"sparql:{oxigraph_server.url}"
    graph = GRAPH + "/cli"
    pushed = run("push", "--data", mini_package, "--store", url, "--graph", graph)
    assert pushed.exit_code == 0, pushed.output
    assert f"into the graph <{graph}> of {url} (graph-store)" in pushed.stderr
    result = run("query", "--name", "body-liaisons", "--store", url, "--graph", graph,
                 "--format", "csv")  # fmt: skip
    assert result.stdout.splitlines()[1].startswith(f"{ID}body/sec,Test Secretariat,")
    gaps = json.loads(run("gaps", "--store", url, "--graph", graph, "--format", "json").stdout)
    assert {(g["label_a"], g["label_b"]) for g in gaps} == {
        ("Dynamic Coalition C", "Policy Network X"),
        ("DC-A", "Policy Network X"),
    }


def test_graph_source_is_path_like():
    import os

    from igfgraph.cli.common import GraphSource
    from igfgraph.paths import default_data_dir

    assert os.fspath(GraphSource(data=Path("some/data"), store="memory")) == "some/data"
    assert Path(GraphSource()) == default_data_dir()
