"""A small, bounded load test of ``igfgraph serve`` on loopback.

Usage: .venv/bin/python benchmarks/bench_serve_load.py [--requests 1000] [--clients 50]
       [--slow 20] [--timeout 5] [--root PATH]

Starts ``igfgraph serve --port 0 --quiet --timeout T`` (2 workers, the shipped data) from
the checkout at ``--root`` (default: this one; another checkout measures older code), then
prints, each phase bounded and everything sent to 127.0.0.1 only:

1. **Load**: ``--requests`` quick queries (a listing, an ASK, a named query with
   parameters, a count) from ``--clients`` concurrent clients: throughput, p50/p95/p99
   latency and the number of answers that were not 200.
2. **Fast behind slow**: ``--slow`` endless cross products from one client (127.0.0.1),
   each stopped at the time limit, then one quick ASK from another client (127.0.0.2):
   the ASK's latency, and how many slow queries were still unanswered when it came back.
3. **Hostile body**: the 48 KB escaped-quote body of issue 17 POSTed as
   ``application/sparql-query`` with a ``/void`` request beside it: both latencies.
4. **Ctrl-C**: SIGINT while both workers run endless queries: seconds until the server
   process is gone (capped at 60 s, then it is killed).
"""

from __future__ import annotations

import argparse
import http.client
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from _harness import ROOT

ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
QUICK = [
    "SELECT ?dc ?name WHERE { ?dc a igf:DynamicCoalition ; skos:prefLabel ?name } ORDER BY ?name",
    "ASK { ?x igf:liaisesWith ?y }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT ?m ?n WHERE { ?m a igf:AnnualMeeting ; igf:meetingNumber ?n } ORDER BY ?n",
]
NAMED = "/queries/dcs-without-session?year=2021&format=csv"


def start(root: Path, folder: Path, timeout: float) -> tuple[subprocess.Popen, str]:
    log = folder / "serve.log"
    env = dict(os.environ, PYTHONPATH=str(root))
    argv = [sys.executable, "-m", "igfgraph", "serve", "--port", "0", "--quiet"]
    argv += ["--timeout", str(timeout), "--store", f"oxigraph:{folder / 'store'}"]
    with log.open("wb") as out:
        process = subprocess.Popen(
            argv, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )  # a session of its own, so that Ctrl-C can be sent to its group as a terminal does
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and process.poll() is None:
        for line in log.read_text(errors="replace").splitlines():
            if "SPARQL endpoint at " in line:
                return process, line.split("SPARQL endpoint at ", 1)[1].split()[0]
        time.sleep(0.2)
    process.kill()
    raise SystemExit(f"the server did not start:\n{log.read_text(errors='replace')[-2000:]}")


def request(
    url: str, path: str, *, query: str | None = None, body: bytes | None = None,
    ctype: str = "application/x-www-form-urlencoded", source: str = "127.0.0.1",
    timeout: float = 600,
) -> tuple[int, float]:  # fmt: skip
    """Send one request; return (status, seconds). Status 0: the connection failed."""
    parts = urlsplit(url)
    assert parts.hostname == "127.0.0.1", "loopback only"
    started = time.perf_counter()
    conn = http.client.HTTPConnection(
        parts.hostname, parts.port, timeout=timeout, source_address=(source, 0)
    )
    try:
        if query is not None:
            body = urlencode({"query": query}).encode()
        if body is None:
            conn.request("GET", path)
        else:
            conn.request("POST", path, body, {"Content-Type": ctype})
        response = conn.getresponse()
        response.read()
        status = response.status
    except OSError:
        status = 0
    finally:
        conn.close()
    return status, time.perf_counter() - started


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def load(url: str, n: int, clients: int) -> None:
    def one(i: int) -> tuple[int, float]:
        if i % 5 == 4:
            return request(url, NAMED)
        return request(url, "/sparql", query=QUICK[i % len(QUICK)])

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        results = list(pool.map(one, range(n)))
    wall = time.perf_counter() - started
    times = [t for _s, t in results]
    bad = sum(s != 200 for s, _t in results)
    print(
        f"load: {n} requests, {clients} clients: {n / wall:.0f} requests/s, "
        f"p50 {percentile(times, 50) * 1000:.0f} ms, p95 {percentile(times, 95) * 1000:.0f} ms, "
        f"p99 {percentile(times, 99) * 1000:.0f} ms, {bad} not 200"
    )


def fast_behind_slow(url: str, slow: int) -> None:
    with ThreadPoolExecutor(slow + 1) as pool:
        slow_jobs = [pool.submit(request, url, "/sparql", query=ENDLESS) for _ in range(slow)]
        time.sleep(1)
        status, seconds = request(url, "/sparql", query="ASK {}", source="127.0.0.2")
        pending = sum(not f.done() for f in slow_jobs)
        slow_results = [f.result() for f in slow_jobs]
    codes = statistics.multimode(s for s, _t in slow_results)
    print(
        f"fast behind slow: ASK from another client answered {status} after {seconds:.2f} s "
        f"behind {slow} slow queries ({pending} still unanswered then; slow ones got {codes})"
    )


def hostile(url: str) -> None:
    body = ("'" + 24000 * "\\'").encode()
    base = url.removesuffix("/sparql")
    with ThreadPoolExecutor(2) as pool:
        bad = pool.submit(
            request, url, "/sparql", body=body, ctype="application/sparql-query", timeout=120
        )
        time.sleep(0.05)
        void = request(base, "/void", timeout=120)
        bad = bad.result()
    print(
        f"hostile 48 KB body: answered {bad[0]} after {bad[1]:.2f} s; "
        f"/void beside it: {void[0]} after {void[1]:.2f} s"
    )


def ctrl_c(process: subprocess.Popen, url: str) -> None:
    pool = ThreadPoolExecutor(4)
    for _ in range(4):
        pool.submit(request, url, "/sparql", query=ENDLESS, timeout=120)
    time.sleep(1.5)
    started = time.perf_counter()
    os.killpg(process.pid, signal.SIGINT)  # the whole group, as a terminal's Ctrl-C does
    try:
        process.wait(60)
        print(f"Ctrl-C on a busy server: gone after {time.perf_counter() - started:.2f} s")
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        print("Ctrl-C on a busy server: still running after 60 s (killed)")
    pool.shutdown(wait=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--slow", type=int, default=20)
    parser.add_argument("--timeout", type=float, default=5.0)
    parser.add_argument("--root", type=Path, default=ROOT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        process, url = start(args.root.resolve(), Path(tmp), args.timeout)
        try:
            print(f"igfgraph serve from {args.root}, --timeout {args.timeout:g}, 2 workers")
            load(url, args.requests, args.clients)
            fast_behind_slow(url, args.slow)
            hostile(url)
            ctrl_c(process, url)
            tail = (Path(tmp) / "serve.log").read_text(errors="replace")
            print(f"server log after Ctrl-C: {len(tail.splitlines())} lines, "
                  f"{tail.count('Traceback')} tracebacks")  # fmt: skip
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


if __name__ == "__main__":
    threading.current_thread().name = "bench"
    main()
