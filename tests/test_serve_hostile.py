"""``igfgraph serve`` under attack: one regression test per hole of issue 17.

Every server here listens on loopback (one test binds ``0.0.0.0`` and is reached on
127.0.0.1 only), and every ``SERVICE`` IRI names a listener of this test on 127.0.0.1: no
traffic leaves the machine. The servers other than the session one open a store built
once (``--store oxigraph:PATH``), so they start in seconds.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
import requests

from igfgraph.endpoint.grammar import Refused, check_query
from tests import servers

igfgraph_endpoint = servers.igfgraph_endpoint
endpoint_store = servers.endpoint_store

HANG_GUARD_S = 120  # only so that a broken endpoint fails the test instead of hanging it
#: Far past a 4 s limit on any machine: a triple cross product of the graph.
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
#: Grows by gigabytes a second in Oxigraph (issue 17): a sort of the graph's cross product.
MEMORY_BOMB = "SELECT * WHERE {?a ?b ?c . ?d ?e ?f} ORDER BY ?c ?f LIMIT 1"


@pytest.fixture(scope="module")
def url(igfgraph_endpoint) -> str:
    return igfgraph_endpoint.url


class Listener:
    """A loopback TCP listener that records every connection made to it."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            conn.close()

    def close(self):
        self._stop.set()
        self._thread.join(5)
        self.sock.close()


@pytest.fixture
def listener():
    got = Listener()
    try:
        yield got
    finally:
        got.close()


def bypass_family(port: int) -> list[str]:
    """The bypass of issue 17 and its variants, each with SERVICE to ``port`` on loopback."""
    target = f"<http://127.0.0.1:{port}/anything>"
    return [
        # the query of the issue: the escaped quote in a prefixed name
        f"SELECT * WHERE {{ BIND(igf:x\\' AS ?q) SERVICE {target} {{ ?x ?y ?w }} "
        "FILTER(?q != 'z') }",
        # other escapes in local names that look like strings or comments to a scanner
        f'SELECT * WHERE {{ BIND(igf:x\\\' AS ?q) BIND("\\"" AS ?r) SERVICE {target} {{ ?x ?y ?w }} }}',
        # comments holding quotes, and a quote closed on the next line
        f"SELECT * WHERE {{ # it's a comment\n SERVICE {target} {{ ?x ?y ?w }} }} # '",
        f'SELECT * WHERE {{ ?x ?y ?w . # "\n SERVICE {target} {{ ?x ?y ?w }} }}',
        # case and \u escapes of the keyword
        f"select * where {{ sErViCe {target} {{ ?x ?y ?w }} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE {target} {{ ?x ?y ?w }} }}",
        f"SELECT * WHERE {{ SERVIC\\u0045 SILENT {target} {{ ?x ?y ?w }} }}",
        # strings and IRIs holding the word, beside a real SERVICE
        f'SELECT * WHERE {{ BIND("SERVICE" AS ?s) SERVICE {target} {{ ?x ?y ?w }} }}',
        f"SELECT * WHERE {{ BIND('''it's \"SERVICE\"''' AS ?s) SERVICE {target} {{ ?x ?y ?w }} }}",
        f"SELECT * WHERE {{ ?x <http://example.org/SERVICE> ?w . SERVICE {target} {{ ?x ?y ?w }} }}",
        # nested: subqueries, OPTIONAL, MINUS, EXISTS, UNION, GRAPH
        f"SELECT * WHERE {{ {{ SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE {target} "
        "{ ?x ?y ?w } } } } } }",
        f"SELECT * WHERE {{ ?a ?b ?c OPTIONAL {{ SERVICE SILENT {target} {{ ?x ?y ?w }} }} }}",
        f"SELECT * WHERE {{ ?a ?b ?c MINUS {{ SERVICE {target} {{ ?a ?y ?w }} }} }}",
        f"SELECT * WHERE {{ ?a ?b ?c FILTER EXISTS {{ SERVICE {target} {{ ?a ?y ?w }} }} }}",
        f"SELECT * WHERE {{ {{ ?a ?b ?c }} UNION {{ GRAPH ?g {{ SERVICE {target} {{ ?a ?y ?w }} }} }} }}",
        # the IRI from a variable, and the other query forms
        f"SELECT * WHERE {{ VALUES ?svc {{ {target} }} SERVICE ?svc {{ ?x ?y ?w }} }}",
        f"ASK {{ SERVICE {target} {{ ?x ?y ?w }} }}",
        f"CONSTRUCT {{ ?x ?y ?w }} WHERE {{ SERVICE {target} {{ ?x ?y ?w }} }}",
        f"DESCRIBE ?x WHERE {{ SERVICE {target} {{ ?x ?y ?w }} }}",
    ]


def unreadable_family(port: int) -> list[str]:
    """Valid SPARQL that rdflib's parser cannot read (Oxigraph can): refused with 400."""
    target = f"<http://127.0.0.1:{port}/anything>"
    return [
        # an escaped '#' in a local name, which rdflib takes for a comment
        f"SELECT * WHERE {{ BIND(igf:x\\# AS ?q) SERVICE {target} {{ ?x ?y ?w }} }}",
    ]


# --------------------------------------------------------------------------- hole 1: SERVICE


def test_the_bypass_family_is_refused_and_nothing_connects(url, listener):
    for q in bypass_family(listener.port):
        for response in (
            requests.get(url, params={"query": q}, timeout=HANG_GUARD_S),
            requests.post(url, data={"query": q}, timeout=HANG_GUARD_S),
            requests.post(
                url,
                data=q.encode(),
                headers={"Content-Type": "application/sparql-query"},
                timeout=HANG_GUARD_S,
            ),
        ):
            assert response.status_code == 403, (q, response.text)
            assert "SERVICE (federated query) is refused" in response.text, q
    for q in unreadable_family(listener.port):
        response = requests.post(url, data={"query": q}, timeout=HANG_GUARD_S)
        assert response.status_code == 400, (q, response.text)
        assert "SPARQL 1.1 parser" in response.text
    assert listener.connections == 0


def test_the_grammar_check_reads_the_family():
    """The check itself, outside any server: every variant is a SERVICE, found as such."""
    for q in bypass_family(9):
        with pytest.raises(Refused, match="SERVICE") as err:
            check_query(q)
        assert err.value.status == 403
        check_query(q, allow_service=True)  # a valid query all the same
    for q in unreadable_family(9):
        with pytest.raises(Refused, match="syntax error") as err:
            check_query(q, allow_service=True)
        assert err.value.status == 400


@pytest.mark.parametrize(
    ("q", "status", "words"),
    [
        ("WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", 403, "DELETE/INSERT"),
        ("WITH <urn:g> INSERT { <urn:a> <urn:b> ?o } WHERE { ?s ?p ?o }", 403, "DELETE/INSERT"),
        ("DELETE WHERE { ?s ?p ?o }", 403, "DELETE WHERE"),
        ("CLEAR DEFAULT ; LOAD <http://127.0.0.1:9/x.ttl>", 403, "CLEAR, LOAD"),
        ("# LOAD\nPREFIX x: <urn:x#> INSERT DATA { x:a x:b 'SELECT' }", 403, "INSERT DATA"),
        ("CREATE SILENT GRAPH <urn:g>", 403, "CREATE"),
        ("SELECT * WHERE { ?s ?p ?o", 400, "syntax error"),
        ("SELECT * WHERE " + "{" * 50_000 + "}" * 50_000, 400, "nested too deeply"),
        ("SELECT * WHERE { << ?s ?p ?o >> ?q ?r }", 400, "SPARQL 1.1 parser"),
    ],
)
def test_updates_and_unreadable_queries(url, q, status, words):
    response = requests.post(url, data={"query": q}, timeout=HANG_GUARD_S)
    assert response.status_code == status, response.text
    assert words in response.text
    if status == 403:
        assert "read-only" in response.text


def test_workers_have_no_network_even_for_the_engine(listener, tmp_path):
    """Defence in depth: past the grammar check, Oxigraph's own HTTP client cannot connect."""
    code = (
        "import sys, pyoxigraph as ox\n"
        "from igfgraph.endpoint.isolation import cut_network\n"
        "cut_network()\n"
        "store = ox.Store()\n"
        "try:\n"
        f"    list(store.query('SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/x> "
        "{ ?s ?p ?o } }'))\n"
        "except OSError as exc:\n"
        "    print('refused:', exc)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=HANG_GUARD_S
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("refused:"), run.stdout
    control = code.replace("cut_network()\n", "")  # the same without the namespace connects
    subprocess.run([sys.executable, "-c", control], capture_output=True, timeout=HANG_GUARD_S)
    deadline = time.monotonic() + HANG_GUARD_S
    while listener.connections == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert listener.connections >= 1


#: Runs a command where the kernel refuses new network namespaces: a user namespace of its
#: own whose limit of network namespaces is 0 (a real refusal, ENOSPC, as a locked-down
#: system gives).
NO_NAMESPACES = (
    "unshare", "--user", "--map-root-user", "sh", "-c",
    'echo 0 > /proc/sys/user/max_net_namespaces && exec "$@"', "sh",
)  # fmt: skip


def _namespaces_can_be_refused() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run([*NO_NAMESPACES, "true"], capture_output=True, timeout=60)
    return probe.returncode == 0


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="network namespaces: Linux")
def test_no_isolation_no_start_unless_asked(tmp_path, endpoint_store):
    if not _namespaces_can_be_refused():
        pytest.skip("unshare --user is not available here to make the kernel refuse")
    store = f"oxigraph:{endpoint_store}"
    refused = subprocess.run(
        [*NO_NAMESPACES, sys.executable, "-m", "igfgraph", "serve", "--port", "0",
         "--store", store],
        capture_output=True, text=True, timeout=HANG_GUARD_S,
    )  # fmt: skip
    assert refused.returncode == 1, refused.stderr
    assert "cannot start query workers without a network" in refused.stderr
    assert "No space left on device" in refused.stderr  # the kernel's own reason
    assert "--no-network-isolation" in refused.stderr and "Traceback" not in refused.stderr
    server = servers.start_endpoint(
        tmp_path, "--store", store, "--no-network-isolation", prefix=NO_NAMESPACES
    )
    try:
        response = requests.get(server.url, params={"query": "ASK {}"}, timeout=HANG_GUARD_S)
        assert response.status_code == 200 and response.json()["boolean"] is True
        service = f"SELECT * WHERE {{ SERVICE <{server.url}> {{ ?s ?p ?o }} }}"
        assert requests.post(server.url, data={"query": service}, timeout=60).status_code == 403
    finally:
        server.stop()


class _FakeSparql(BaseHTTPRequestHandler):
    """A SPARQL endpoint on loopback that answers every query with one binding."""

    seen: list[str] = []

    def do_GET(self):  # noqa: N802 - http.server's name
        self.seen.append(self.path)
        self._answer()

    def do_POST(self):  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        self.seen.append(self.rfile.read(length).decode("utf-8", "replace"))
        self._answer()

    def _answer(self):
        body = json.dumps(
            {
                "head": {"vars": ["w"]},
                "results": {"bindings": [{"w": {"type": "literal", "value": "federated"}}]},
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_allow_service_keeps_federation_working(tmp_path, endpoint_store):
    fake = ThreadingHTTPServer(("127.0.0.1", 0), _FakeSparql)
    threading.Thread(target=fake.serve_forever, daemon=True).start()
    server = servers.start_endpoint(
        tmp_path, "--store", f"oxigraph:{endpoint_store}", "--allow-service", "--timeout", "20"
    )
    try:
        q = f"SELECT ?w WHERE {{ SERVICE <http://127.0.0.1:{fake.server_port}/sparql> {{ ?x ?y ?w }} }}"
        response = requests.post(server.url, data={"query": q}, timeout=HANG_GUARD_S)
        assert response.status_code == 200, response.text
        bindings = response.json()["results"]["bindings"]
        assert bindings == [{"w": {"type": "literal", "value": "federated"}}]
        assert _FakeSparql.seen  # the request reached the loopback endpoint
        update = requests.post(server.url, data={"query": "LOAD <urn:x>"}, timeout=HANG_GUARD_S)
        assert update.status_code == 403  # updates stay refused
    finally:
        server.stop()
        fake.shutdown()
        fake.server_close()


# --------------------------------------------------------------------------- hole 2: slow checks


def test_the_escaped_quote_body_does_not_freeze_the_server(url, base_of=None):
    base = url.removesuffix("/sparql")
    body = ("'" + 24000 * "\\'").encode()
    assert len(body) == 48001
    results = {}

    def hostile():
        results["hostile"] = requests.post(
            url,
            data=body,
            headers={"Content-Type": "application/sparql-query"},
            timeout=HANG_GUARD_S,
        )

    thread = threading.Thread(target=hostile)
    thread.start()
    results["void"] = requests.get(base + "/void", timeout=HANG_GUARD_S)
    thread.join(HANG_GUARD_S)
    assert results["void"].status_code == 200 and "void:Dataset" in results["void"].text
    # 400 (not 503): the worker parsed it and refused it well inside the 4 s limit
    assert results["hostile"].status_code == 400, results["hostile"].text
    assert "syntax error" in results["hostile"].text


# --------------------------------------------------------------------------- hole 3: memory, bytes


def test_the_memory_bomb_is_stopped_under_the_cap(url):
    response = requests.post(url, data={"query": MEMORY_BOMB}, timeout=HANG_GUARD_S)
    assert response.status_code == 503, response.text
    assert "more memory than a query worker may use (1024 MiB, --max-memory)" in response.text
    after = requests.post(url, data={"query": "ASK { ?s ?p ?o }"}, timeout=HANG_GUARD_S)
    assert after.status_code == 200 and after.json()["boolean"] is True


def test_a_memory_cap_too_small_for_the_store_is_named(endpoint_store):
    run = subprocess.run(
        [sys.executable, "-m", "igfgraph", "serve", "--port", "0",
         "--store", f"oxigraph:{endpoint_store}", "--max-memory", "100"],
        capture_output=True, text=True, timeout=HANG_GUARD_S,
    )  # fmt: skip
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert run.stderr.startswith("Error: a query worker stopped while opening the store")
    assert "if --max-memory (100 MiB) is too small for the store, raise it" in run.stderr


def test_answers_over_the_byte_cap_are_refused(url):
    # one row, a few megabytes: the rows cap does not see it
    q = (
        "SELECT (GROUP_CONCAT(CONCAT(STR(?s), STR(?o))) AS ?x) "
        "WHERE { ?s ?p ?o . VALUES ?k { 1 2 3 4 5 6 7 8 } }"
    )
    response = requests.post(url, data={"query": q, "format": "csv"}, timeout=HANG_GUARD_S)
    assert response.status_code == 422, response.text[:200]
    assert f"larger than {servers.ENDPOINT_MAX_BYTES} bytes" in response.text
    assert "--max-bytes" in response.text
    small = requests.post(
        url, data={"query": q.replace("1 2 3 4 5 6 7 8", "1"), "format": "csv"}, timeout=60
    )
    assert small.status_code == 200 and len(small.content) < servers.ENDPOINT_MAX_BYTES


# --------------------------------------------------------------------------- smaller items


def test_invalid_default_graph_uri_is_a_400(url):
    for name in ("default-graph-uri", "named-graph-uri"):
        response = requests.get(
            url, params={"query": "ASK {}", name: "not an iri"}, timeout=HANG_GUARD_S
        )
        assert response.status_code == 400, response.text
        assert f"{name} 'not an iri' is not an absolute IRI" in response.text
    good = requests.get(
        url,
        params={"query": "ASK { ?s ?p ?o }", "default-graph-uri": "urn:nothing"},
        timeout=HANG_GUARD_S,
    )
    assert good.status_code == 200 and good.json()["boolean"] is False  # an empty graph


def test_a_get_url_over_64_kib_is_a_414(url):
    q = "ASK {} # " + "x" * (65 * 1024)
    response = requests.get(url, params={"query": q}, timeout=HANG_GUARD_S)
    assert response.status_code == 414
    assert "POST" in response.text
    below = requests.get(url, params={"query": "ASK {} # " + "x" * 60_000}, timeout=60)
    assert below.status_code == 200


def test_bodies_over_the_size_cap_are_a_413_without_being_read_whole(url):
    body = b"ASK {} #" + b"x" * 5_000_000

    def chunks():  # no Content-Length: the server counts while it reads
        for i in range(0, len(body), 65536):
            yield body[i : i + 65536]

    for data in (body, chunks()):
        response = requests.post(
            url,
            data=data,
            headers={"Content-Type": "application/sparql-query"},
            timeout=HANG_GUARD_S,
        )
        assert response.status_code == 413
        assert response.text == "the query is longer than 1000000 bytes\n"
    form = requests.post(url, data={"query": body.decode()}, timeout=HANG_GUARD_S)
    assert form.status_code == 413 and "longer than 4000000 bytes" in form.text


def _post_from(source: str, url: str, query: str) -> tuple[int, dict, str]:
    """POST a query from the loopback address ``source`` (another client to the server)."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(
        parts.hostname, parts.port, timeout=HANG_GUARD_S, source_address=(source, 0)
    )
    try:
        conn.request(
            "POST",
            parts.path,
            urlencode({"query": query}),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        response = conn.getresponse()
        headers = {k.lower(): v for k, v in response.getheaders()}
        return response.status, headers, response.read().decode()
    finally:
        conn.close()


def test_a_fast_query_is_not_starved_by_slow_ones(url):
    """Round robin across clients: another client's ASK runs before a backlog of slow ones.

    The session server has 2 workers and a 4 s limit; one client sends 6 endless queries
    (2 run, 4 wait), then a second client (127.0.0.2) sends an ASK. First come, first
    served, the ASK would wait for all six; here it is answered while slow ones are
    still waiting.
    """
    pool = ThreadPoolExecutor(7)
    try:
        slow = [pool.submit(_post_from, "127.0.0.1", url, ENDLESS) for _ in range(6)]
        time.sleep(1)  # let them queue (not a timing assertion)
        fast = pool.submit(_post_from, "127.0.0.2", url, "ASK { ?s ?p ?o }")
        status, _headers, body = fast.result(HANG_GUARD_S)
        pending = sum(not f.done() for f in slow)
        assert status == 200 and json.loads(body)["boolean"] is True
        assert pending >= 1, "the fast query waited for every slow one"
        assert [f.result(HANG_GUARD_S)[0] for f in slow] == [503] * 6  # all time out
    finally:
        pool.shutdown(wait=True)


def test_a_full_queue_answers_503_with_retry_after(tmp_path, endpoint_store):
    server = servers.start_endpoint(
        tmp_path, "--store", f"oxigraph:{endpoint_store}",
        "--workers", "1", "--max-queue", "2", "--timeout", "3",
    )  # fmt: skip
    pool = ThreadPoolExecutor(6)
    try:
        flood = [pool.submit(_post_from, "127.0.0.1", server.url, ENDLESS) for _ in range(4)]
        time.sleep(1)
        other = pool.submit(_post_from, "127.0.0.2", server.url, "ASK {}")
        results = [f.result(HANG_GUARD_S) for f in flood]
        refused = [r for r in results if r[0] == 503 and "retry-after" in r[1]]
        # one run (timed out: no Retry-After), two waited, one was refused at once; the
        # second client then displaced the first client's newest waiting query
        assert len(refused) == 2, results
        assert all(r[1]["retry-after"] == "5" and "busy" in r[2] for r in refused)
        status, _h, body = other.result(HANG_GUARD_S)
        assert status == 200 and json.loads(body)["boolean"] is True
    finally:
        pool.shutdown(wait=True)
        server.stop()


# --------------------------------------------------------------------------- hole 4: Host


def test_a_foreign_host_is_refused_on_every_bind(tmp_path, endpoint_store):
    server = servers.start_endpoint(
        tmp_path, "--store", f"oxigraph:{endpoint_store}", "--host", "0.0.0.0",
        "--allowed-host", "igf.example", reach="127.0.0.1",
    )  # fmt: skip
    try:
        ask = {"query": "ASK {}"}
        evil = requests.get(
            server.url, params=ask, headers={"Host": "evil.example"}, timeout=HANG_GUARD_S
        )
        assert evil.status_code == 400 and "Invalid host header" in evil.text
        assert "evil" not in evil.text and "boolean" not in evil.text
        for host in ("igf.example", "IGF.example:8000", "localhost", "127.0.0.1:1", "[::1]:80"):
            ok = requests.get(server.url, params=ask, headers={"Host": host}, timeout=60)
            assert ok.status_code == 200, host
        log = server.log_tail()
        assert "warning: listening on 0.0.0.0" in log and "--allowed-host" in log
    finally:
        server.stop()


def test_a_second_loopback_address_answers_its_own_host(tmp_path, endpoint_store):
    server = servers.start_endpoint(
        tmp_path, "--store", f"oxigraph:{endpoint_store}", "--host", "127.0.0.2"
    )
    try:
        assert server.url.startswith("http://127.0.0.2:")
        response = requests.get(server.url, params={"query": "ASK {}"}, timeout=HANG_GUARD_S)
        assert response.status_code == 200 and response.json()["boolean"] is True
        evil = requests.get(
            server.url, params={"query": "ASK {}"}, headers={"Host": "evil.example"}, timeout=60
        )
        assert evil.status_code == 400
    finally:
        server.stop()


# --------------------------------------------------------------------------- hole 5: lifecycle


def _children(pid: int) -> dict[int, str]:
    """Return the processes whose parent is ``pid``, with their command lines."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found[int(entry.name)] = cmdline
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait_until(condition, limit: float = HANG_GUARD_S) -> bool:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc (Linux)")
def test_kill_9_of_the_server_leaves_no_worker(tmp_path, endpoint_store):
    server = servers.start_endpoint(
        tmp_path, "--store", f"oxigraph:{endpoint_store}", "--timeout", "60"
    )
    pool = ThreadPoolExecutor(2)
    try:
        children = _children(server.process.pid)
        assert len(children) == 3, children  # two workers and the standby, nothing else
        assert all("-m igfgraph.endpoint " in c for c in children.values()), children
        assert not any("resource_tracker" in c for c in children.values())
        busy = [pool.submit(_post_from, "127.0.0.1", server.url, ENDLESS) for _ in range(2)]
        time.sleep(1)  # both workers are running a query
        os.kill(server.process.pid, signal.SIGKILL)
        server.process.wait(HANG_GUARD_S)
        assert _wait_until(lambda: not any(_alive(p) for p in children))
        for f in busy:
            with pytest.raises(Exception):  # noqa: B017 - the connection was cut
                f.result(HANG_GUARD_S)
    finally:
        pool.shutdown(wait=True)
        server.stop()


def test_ctrl_c_stops_a_busy_server_at_once(tmp_path, endpoint_store):
    server = servers.start_endpoint(
        tmp_path, "--store", f"oxigraph:{endpoint_store}", "--timeout", "60"
    )
    pool = ThreadPoolExecutor(6)
    try:
        children = _children(server.process.pid)
        busy = [pool.submit(_post_from, "127.0.0.1", server.url, ENDLESS) for _ in range(6)]
        time.sleep(1)
        os.kill(server.process.pid, signal.SIGINT)
        assert server.process.wait(HANG_GUARD_S) == 0
        for f in busy:  # every request got an answer: the server is stopping
            status, _h, body = f.result(HANG_GUARD_S)
            assert status == 503 and "stopping" in body
        log = server.log.read_text()
        assert "Traceback" not in log and "Error" not in log, log
        assert log.rstrip().splitlines()[-1] == "igfgraph serve: stopped"
        assert _wait_until(lambda: not any(_alive(p) for p in children))
    finally:
        pool.shutdown(wait=True)
        server.stop()
