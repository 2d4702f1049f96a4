"""``igfgraph serve``: SPARQL 1.1 Protocol for standard clients, read-only, bounded, described.

The endpoint runs as a real server process (tests/servers.py: ``igfgraph serve --port 0``
over the shipped data, with a 4 s time limit and 5,000 rows at most), and is queried with
SPARQLWrapper, rdflib's SPARQLStore and plain HTTP.
"""

from __future__ import annotations

import csv
import io
import json
import re
from urllib.error import HTTPError

import pytest
import requests
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, VOID
from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore
from SPARQLWrapper import CSV, JSON, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from igfgraph.build import DATASET
from igfgraph.endpoint.grammar import Refused, check_query
from tests import servers

igfgraph_endpoint = servers.igfgraph_endpoint

ID = "https://w3id.org/igfgraph/id/"
IGF = "https://w3id.org/igfgraph/ontology#"
DCS = f"PREFIX igf: <{IGF}> SELECT ?dc WHERE {{ ?dc a igf:DynamicCoalition }} ORDER BY ?dc"
#: Far past the endpoint's 4 s limit on any machine: a triple cross product of the graph.
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
HANG_GUARD_S = 120  # only so that a broken endpoint fails the test instead of hanging it


@pytest.fixture(scope="module")
def url(igfgraph_endpoint) -> str:
    return igfgraph_endpoint.url


@pytest.fixture(scope="module")
def base(url) -> str:
    return url.removesuffix("/sparql")


def post(url, **form):
    return requests.post(url, data=form, timeout=HANG_GUARD_S)


def wrapper(url, query, fmt=JSON, method="GET"):
    w = SPARQLWrapper(url)
    w.setQuery(query)
    w.setReturnFormat(fmt)
    w.setMethod(method)
    return w


# --------------------------------------------------------------------------- standard clients


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_json_and_xml(url, shipped_store, method):
    from igfgraph.sparql import query

    expected = [t.value for (t,) in query(shipped_store, DCS).rows]
    doc = wrapper(url, DCS, JSON, method).query().convert()
    assert doc["head"]["vars"] == ["dc"]
    assert [b["dc"]["value"] for b in doc["results"]["bindings"]] == expected
    assert len(expected) == 39
    xml = wrapper(url, DCS, XML, method).query().convert()
    uris = [n.firstChild.data for n in xml.getElementsByTagName("uri")]
    assert uris == expected


def test_sparqlwrapper_csv_tsv_and_typed_literals(url):
    q = (
        f"PREFIX igf: <{IGF}> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        "SELECT ?m ?name ?n WHERE { ?m igf:year 2021 ; "
        "skos:prefLabel ?name ; igf:meetingNumber ?n }"
    )
    rows = list(csv.reader(io.StringIO(wrapper(url, q, CSV).query().convert().decode())))
    assert rows == [["m", "name", "n"], [f"{ID}meeting/igf-2021", "IGF 2021", "16"]]
    tsv = wrapper(url, q, TSV).query().convert().decode().splitlines()
    assert tsv == [
        "?m\t?name\t?n",
        f'<{ID}meeting/igf-2021>\t"IGF 2021"@en\t"16"^^<http://www.w3.org/2001/XMLSchema#integer>',
    ]
    binding = wrapper(url, q).query().convert()["results"]["bindings"][0]
    assert binding["name"] == {"type": "literal", "value": "IGF 2021", "xml:lang": "en"}
    assert binding["n"]["datatype"] == "http://www.w3.org/2001/XMLSchema#integer"


def shortcut_pairs_from_tables() -> set[frozenset]:
    """Pairs linked by igf:liaisesWith, read from the CSVs: liaisons.csv (stated), and pairs
    of bodies (not modalities) that organised a session or created an output together."""
    from igfgraph.paths import default_data_dir

    def rows(name):
        with (default_data_dir() / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))

    modalities = {r["id"] for r in rows("bodies") if r["kind"] == "modality"}
    pairs = {frozenset((r["party_a"], r["party_b"])) for r in rows("liaisons")}
    for name, key in (("session_organizers", "session_id"), ("output_creators", "output_id")):
        groups: dict[str, set[str]] = {}
        for r in rows(name):
            if r["body_id"] not in modalities:
                groups.setdefault(r[key], set()).add(r["body_id"])
        pairs |= {frozenset((a, b)) for g in groups.values() for a in g for b in g if a < b}
    return pairs


def test_sparqlwrapper_ask_and_construct(url):
    assert wrapper(url, f"ASK {{ ?x <{IGF}liaisesWith> ?y }}").query().convert()["boolean"]
    q = f"CONSTRUCT {{ ?a <{IGF}liaisesWith> ?b }} WHERE {{ ?a <{IGF}liaisesWith> ?b }}"
    graph = Graph().parse(data=wrapper(url, q, TURTLE).query().convert(), format="turtle")
    # one shortcut each way per pair joined by a stated, co-organised or co-authored liaison
    assert len(graph) == 2 * len(shortcut_pairs_from_tables())
    assert (URIRef(ID + "body/dccg"), URIRef(IGF + "liaisesWith"), URIRef(ID + "body/mag")) in graph


def test_rdflib_sparqlstore(url, shipped_built):
    graph = Graph(SPARQLStore(url))
    rows = list(graph.query(DCS))
    assert len(rows) == 39 and str(rows[0][0]) == ID + "dc/a2k-igf"
    assert graph.query(f"ASK {{ ?x <{IGF}liaisesWith> ?y }}").askAnswer is True
    label = graph.value(
        URIRef(ID + "body/dccg"), URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")
    )
    assert label == Literal("Dynamic Coalitions Coordination Group", lang="en")
    meetings = list(graph.triples((None, RDF.type, URIRef(IGF + "AnnualMeeting"))))
    assert len(meetings) == 20


def test_content_negotiation_and_format_parameter(url):
    q = "SELECT ?x WHERE { VALUES ?x { 1 } }"
    got = requests.get(url, params={"query": q}, headers={"Accept": "text/csv"}, timeout=60)
    assert got.headers["content-type"].startswith("text/csv") and got.text == "x\r\n1\r\n"
    got = requests.get(url, params={"query": q, "format": "tsv"}, timeout=60)
    assert got.headers["content-type"].startswith("text/tab-separated-values")
    got = requests.get(url, params={"query": q}, timeout=60)  # no Accept: SPARQL JSON
    assert got.headers["content-type"].startswith("application/sparql-results+json")
    construct = "CONSTRUCT { <urn:a> <urn:b> 1 } WHERE {}"
    nt = requests.get(
        url, params={"query": construct}, headers={"Accept": "application/n-triples"}, timeout=60
    )
    assert nt.text == '<urn:a> <urn:b> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
    ttl = requests.get(url, params={"query": construct}, timeout=60)  # default: Turtle
    assert ttl.headers["content-type"].startswith("text/turtle")
    assert len(Graph().parse(data=ttl.text, format="turtle")) == 1
    body = requests.post(
        url,
        data=q.encode(),
        headers={
            "Content-Type": "application/sparql-query",
            "Accept": "application/sparql-results+xml",
        },
        timeout=60,
    )
    assert '<literal datatype="http://www.w3.org/2001/XMLSchema#integer">1</literal>' in body.text


def test_predeclared_prefixes(url):
    doc = requests.get(
        url, params={"query": "SELECT ?t WHERE { ?t a igf:Theme } LIMIT 1"}, timeout=60
    )
    assert doc.status_code == 200 and doc.json()["results"]["bindings"]


# --------------------------------------------------------------------------- refused


def test_updates_are_refused(url):
    for response in (
        post(url, update="INSERT DATA { <urn:a> <urn:b> <urn:c> }"),
        requests.post(
            url,
            data=b"CLEAR ALL",
            headers={"Content-Type": "application/sparql-update"},
            timeout=60,
        ),
        requests.get(url, params={"update": "CLEAR ALL"}, timeout=60),
        post(url, query="DROP ALL"),
    ):
        assert response.status_code == 403
        assert "read-only" in response.text
    with pytest.raises(HTTPError) as err:
        SPARQLUpdateStore(url, url).update("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert err.value.code == 403
    for request_method in ("urlencoded", "postdirectly"):
        w = wrapper(url, "INSERT DATA { <urn:a> <urn:b> <urn:c> }", method="POST")
        w.setRequestMethod(request_method)
        with pytest.raises(HTTPError) as err:
            w.query()
        assert err.value.code == 403
    assert post(url, query="ASK { <urn:a> <urn:b> <urn:c> }").json()["boolean"] is False


def test_load_is_refused(url, base):
    for response in (
        post(url, update=f"LOAD <{base}/void>"),
        post(url, query=f"LOAD <{base}/void>"),
        post(url, query=f"# a comment\nPREFIX x: <urn:x>\nLOAD <{base}/void> INTO GRAPH <urn:g>"),
    ):
        assert response.status_code == 403, response.text
    assert "LOAD" in response.text


def test_service_is_refused(url):
    own = f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} LIMIT 1"
    for q in (
        own,
        "SELECT * WHERE { ?x ?y ?z . service <http://127.0.0.1:1/>{ ?s ?p ?o } }",
        f"SELECT * WHERE {{ ?x ?y ?z .SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
    ):
        response = post(url, query=q)
        assert response.status_code == 403, q
        assert "SERVICE (federated query) is refused" in response.text
    with pytest.raises(HTTPError) as err:
        wrapper(url, own).query()
    assert err.value.code == 403 and b"SERVICE" in err.value.read()


@pytest.mark.parametrize(
    "q",
    [
        'SELECT ?x WHERE { BIND("SERVICE <http://127.0.0.1/>" AS ?x) }',
        "SELECT ?service WHERE { BIND(1 AS ?service) } # SERVICE <http://127.0.0.1/>",
        "PREFIX service: <urn:s:> SELECT ?x WHERE { ?x service:p 1 }",
        "SELECT ?x WHERE { ?x <http://example.org/SERVICE> 1 }",
    ],
)
def test_the_word_service_elsewhere_is_fine(q):
    check_query(q)


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ("SELECT * { SERVICE <http://127.0.0.1:8000/sparql> { ?s ?p ?o } }", "SERVICE"),
        ("select * { ?a ?b ?c OPTIONAL { Service <http://x/> {} } }", "SERVICE"),
        ("LOAD <http://127.0.0.1/x.ttl>", "LOAD"),
        ("BASE <http://x/> PREFIX a: <http://y/>\n insert data { <a> <b> <c> }", "INSERT"),
    ],
)
def test_check_query_refuses(q, message):
    with pytest.raises(Refused, match=message) as err:
        check_query(q)
    assert err.value.status == 403
    if message == "SERVICE":
        check_query(q, allow_service=True)


@pytest.mark.filterwarnings("ignore:.*query type:RuntimeWarning")
def test_malformed_query_is_a_400(url):
    response = post(url, query="SELEC ?x")
    assert response.status_code == 400 and "syntax" in response.text.lower()
    with pytest.raises(QueryBadFormed):
        wrapper(url, "SELEC ?x").query()
    assert requests.post(url, data={"query": ["a", "b"]}, timeout=60).status_code == 400
    assert requests.post(url, data={}, timeout=60).status_code == 400


def test_foreign_host_header_is_refused(url):
    response = requests.get(
        url, params={"query": "ASK {}"}, headers={"Host": "evil.example"}, timeout=60
    )
    assert response.status_code == 400


# --------------------------------------------------------------------------- bounded


def test_a_query_past_its_time_is_stopped(url):
    response = post(url, query=ENDLESS)
    assert response.status_code == 503
    assert f"ran past the time limit of {servers.ENDPOINT_TIMEOUT_S} s" in response.text
    w = wrapper(url, ENDLESS)
    w.setTimeout(HANG_GUARD_S)
    with pytest.raises(HTTPError) as err:  # SPARQLWrapper gets an error, not a hang
        w.query()
    assert err.value.code == 503 and b"time limit" in err.value.read()
    # the stopped worker was replaced: the endpoint still answers
    assert post(url, query="ASK {}").json() == {"head": {}, "boolean": True}


def test_results_over_the_cap_are_refused(url):
    big = post(url, query="SELECT * WHERE { ?s ?p ?o }")
    assert big.status_code == 422
    assert f"more than {servers.ENDPOINT_MAX_ROWS} rows" in big.text and "LIMIT" in big.text
    construct = post(url, query="CONSTRUCT WHERE { ?s ?p ?o }")
    assert construct.status_code == 422
    limited = post(url, query=f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT {servers.ENDPOINT_MAX_ROWS}")
    assert limited.status_code == 200
    assert len(limited.json()["results"]["bindings"]) == servers.ENDPOINT_MAX_ROWS


# --------------------------------------------------------------------------- described


def test_void_description(base, url, shipped_built):
    response = requests.get(f"{base}/void", timeout=60)
    assert response.headers["content-type"].startswith("text/turtle")
    void = Graph().parse(data=response.text, format="turtle")
    assert void.value(DATASET, DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    assert (
        str(void.value(DATASET, OWL.versionInfo))
        == json.loads(
            (
                servers.Path(__file__).resolve().parent.parent / "data" / "datapackage.json"
            ).read_text()
        )["version"]
    )
    assert int(void.value(DATASET, VOID.triples)) == len(shipped_built.graph)
    assert void.value(DATASET, VOID.sparqlEndpoint) == URIRef(url)
    partitions = {
        str(void.value(p, VOID["class"])): int(void.value(p, VOID.entities))
        for p in void.objects(DATASET, VOID.classPartition)
    }
    assert partitions[IGF + "DynamicCoalition"] == 39
    assert partitions[IGF + "AnnualMeeting"] == 20
    well_known = requests.get(
        f"{base}/.well-known/void", headers={"Accept": "application/n-triples"}, timeout=60
    )
    assert len(Graph().parse(data=well_known.text, format="nt")) == len(void)


def test_service_description(url):
    response = requests.get(url, headers={"Accept": "text/turtle"}, timeout=60)
    sd = Graph().parse(data=response.text, format="turtle")
    ns = "http://www.w3.org/ns/sparql-service-description#"
    service = URIRef(url)
    assert (service, RDF.type, URIRef(ns + "Service")) in sd
    assert sd.value(service, URIRef(ns + "defaultDataset")) == DATASET
    assert (DATASET, DCTERMS.license, None) in sd


def test_query_page_works_offline(base, url):
    for page in (
        requests.get(base + "/", timeout=60),
        requests.get(url, headers={"Accept": "text/html"}, timeout=60),
    ):
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert "default-src 'none'" in page.headers["content-security-policy"]
        html = page.text
        assert '<textarea id="query"' in html and "dcs-without-session" in html
        linked = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert linked and all(link.startswith("/") for link in linked), linked
    for asset in ("/endpoint.js", "/endpoint.css"):
        text = requests.get(base + asset, timeout=60).text
        assert "http://" not in text and "https://" not in text


def test_named_queries_over_http(base):
    listing = requests.get(f"{base}/queries", timeout=60).json()
    assert {q["name"] for q in listing} >= {"dcs-without-session", "source-of-fact"}
    year = next(q for q in listing if q["name"] == "dcs-without-session")["parameters"][0]
    assert (year["name"], year["type"], year["required"]) == ("year", "year", True)
    rows = requests.get(
        f"{base}/queries/dcs-without-session", params={"year": "2021", "format": "csv"}, timeout=60
    ).text.splitlines()
    assert (
        rows[0] == "dc,name,acronym,established" and len(rows) == 5
    )  # 4 coalitions (DC-PUB's activity in 2021 is unknown), see test_queries
    text = requests.get(
        f"{base}/queries/dcs-without-session.rq", params={"year": "2021"}, timeout=60
    )
    assert "  VALUES $year { 2021 }\n" in text.text  # an xsd:integer, bound inside WHERE
    missing = requests.get(f"{base}/queries/dcs-without-session", timeout=60)
    assert missing.status_code == 400 and "needs --param year" in missing.text
    assert requests.get(f"{base}/queries/nope", timeout=60).status_code == 404


# --------------------------------------------------------------------------- the page


@pytest.mark.browser
def test_query_page_in_chromium(base):
    from tests import browser

    browser.require_browser()
    from playwright.sync_api import expect, sync_playwright

    blocked, errors = [], []
    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=str(browser.CHROMIUM_PATH), args=browser.CHROMIUM_ARGS, headless=True
        )
        try:
            context = chromium.new_context(service_workers="block")

            def route(r):
                if r.request.url.startswith(base + "/"):
                    r.continue_()
                else:
                    blocked.append(r.request.url)
                    r.abort("blockedbyclient")

            context.route("**/*", route)
            page = context.new_page()
            page.on("console", lambda m: m.type == "error" and errors.append(m.text))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(base + "/", wait_until="load", timeout=60_000)
            page.wait_for_selector("body[data-ready=true]", timeout=60_000)
            page.click("#run")
            page.wait_for_selector("#results table tbody tr", timeout=60_000)
            assert page.locator("#results tbody tr").count() == 20  # the example: LIMIT 20
            page.select_option("#question", "dcs-without-session")
            page.fill("#params input[name=year]", "2021")
            page.click("#load")
            expect(page.locator("#query")).to_have_value(
                re.compile(r"VALUES \$year \{ 2021 \}"), timeout=60_000
            )
            page.click("#run")
            expect(page.locator("#status")).to_have_text(re.compile("^4 row"), timeout=60_000)
            headers = page.locator("#results th").all_text_contents()
            assert headers == ["dc", "name", "acronym", "established"]
            clean = list(errors)  # before the refused query, which the console reports as a 403
            page.fill("#query", "SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }")
            page.click("#run")
            page.wait_for_selector("#status.error", timeout=60_000)
            assert page.text_content("#status").startswith("403: SERVICE")
        finally:
            chromium.close()
    assert blocked == [] and clean == []
