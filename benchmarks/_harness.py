"""What every benchmark shares: timing, fresh processes, the machine, tables, first draws.

The scripts in ``benchmarks/`` import this module by its bare name (``import _harness``):
run as ``python benchmarks/NAME.py``, their own folder is first on ``sys.path``. Importing
it also puts the repository root on ``sys.path``, so that ``igfgraph`` and ``tests.browser``
come from this checkout.

- :func:`timed`: median wall and CPU time of a few runs of a function, in this process;
- :func:`run`: one command in a fresh process, with its wall time, CPU time and peak RSS
  (:func:`os.wait4`'s resource usage of that child alone), bounded by a timeout;
- :func:`machine`: CPU, cores, RAM, load, Python and library versions, the commit;
- :func:`text_table`, :func:`markdown_table`, :func:`fmt_seconds`, :func:`fmt_ratio`;
- :func:`first_draw`: the time to vis-network's first ``afterDrawing`` of a map in
  headless Chromium (``tests/browser.py``'s harness).
"""

from __future__ import annotations

import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

#: Libraries whose versions a result names.
LIBRARIES = (
    "pyoxigraph",
    "rdflib",
    "pyshacl",
    "frictionless",
    "networkx",
    "numpy",
    "scipy",
    "pandas",
    "matplotlib",
    "scikit-learn",
    "jinja2",
    "click",
    "playwright",
)


def cpu_seconds() -> float:
    """User + system CPU seconds of this process and of its children that have ended."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def timed(fn, repeat: int = 1):
    """Run ``fn`` ``repeat`` times; return its last result, the median wall and CPU seconds.

    On a shared machine the CPU time (user + system, ended children included) is the
    steadier measure of the work; the wall time is what a user waits.
    """
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        c0, t0 = cpu_seconds(), time.perf_counter()
        result = fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(cpu_seconds() - c0)
    return result, statistics.median(walls), statistics.median(cpus)


@dataclass
class Run:
    """One command run in a fresh process."""

    argv: list[str]
    wall: float  # seconds, from start to exit
    cpu: float  # user + system seconds of the process (and the children it waited for)
    max_rss: int  # peak resident set size, bytes
    returncode: int | None  # None: stopped at the timeout
    stdout: str
    stderr: str

    @property
    def timed_out(self) -> bool:
        return self.returncode is None

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def run(
    argv: list[str],
    *,
    env: dict[str, str] | None = None,
    timeout: float | None = None,
    cwd: Path | None = None,
) -> Run:
    """Run ``argv`` in a fresh process (its own session); measure it; kill it at ``timeout``.

    The peak RSS and CPU time are the child's own (:func:`os.wait4`), not the maximum over
    every child this process ever had (``getrusage(RUSAGE_CHILDREN)``).
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(
            argv, env=env, cwd=cwd, stdout=out, stderr=err, start_new_session=True
        )
        deadline = None if timeout is None else start + timeout
        returncode: int | None = None
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                wall = time.perf_counter() - start
                returncode = os.waitstatus_to_exitcode(status)
                break
            if deadline is not None and time.perf_counter() > deadline:
                wall = time.perf_counter() - start
                os.killpg(process.pid, signal.SIGKILL)
                _pid, _status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.01)
        process.returncode = -9 if returncode is None else returncode  # reaped here
        out.seek(0)
        err.seek(0)
        return Run(
            argv=list(argv),
            wall=wall,
            cpu=usage.ru_utime + usage.ru_stime,
            max_rss=usage.ru_maxrss * 1024,  # KiB on Linux
            returncode=returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
        )


def igfgraph(*args: str) -> list[str]:
    """The argv of ``igfgraph ARGS`` run by this Python from this checkout."""
    return [sys.executable, "-m", "igfgraph", *args]


def bench_env(cache_dir: Path | str | None = None, **extra: str) -> dict[str, str]:
    """The environment of a measured process: this checkout first, its own cache folder."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), **extra}
    env.pop("IGFGRAPH_NO_CACHE", None)
    if cache_dir is not None:
        env["IGFGRAPH_CACHE_DIR"] = str(cache_dir)
    return env


_ID = "<https://w3id.org/igfgraph/id/"


def replicate_nt(nt: bytes, copies: int) -> bytes:
    """N-Triples with the instance data ``copies`` times, the ontology once.

    Every line that names an instance IRI (``https://w3id.org/igfgraph/id/…``) is copied,
    its instance IRIs given a copy suffix (``-c1``, ``-c2``, …; the first copy keeps them),
    so each copy is a separate landscape. A rough scale-up for engine checks; ``igfgraph
    synth`` writes data with the statistics of the real data.
    """
    once, replicated = [], []
    for line in nt.decode("utf-8").splitlines():
        if not line.strip():
            continue
        (replicated if _ID in line else once).append(line)
    pattern = re.compile(r"<https://w3id\.org/igfgraph/id/([^>]*)>")
    body = "\n".join(replicated)
    out = once + [body]
    for k in range(1, copies):
        out.append(pattern.sub(lambda m, k=k: f"{_ID}{m.group(1)}-c{k}>", body))
    return ("\n".join(out) + "\n").encode("utf-8")


# ----------------------------------------------------------------------------- the machine


def _proc(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def machine() -> dict[str, object]:
    """CPU model, cores, RAM (from /proc), OS, Python, library and Chromium versions, commit."""
    cpu = next(
        (line.split(":", 1)[1].strip() for line in _proc("/proc/cpuinfo").splitlines()
         if line.startswith("model name")),
        platform.processor() or "unknown",
    )  # fmt: skip
    mem = next(
        (int(line.split()[1]) * 1024 for line in _proc("/proc/meminfo").splitlines()
         if line.startswith("MemTotal:")),
        0,
    )  # fmt: skip
    versions = {}
    for name in ("igfgraph", *LIBRARIES):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    chromium = "not installed"
    try:
        from tests.browser import CHROMIUM_PATH

        chromium = subprocess.run(
            [str(CHROMIUM_PATH), "--version"], capture_output=True, text=True, timeout=30
        ).stdout.strip()
    except Exception:  # noqa: BLE001 - no browser: say so
        pass
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_bytes": mem,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "versions": versions,
        "chromium": chromium,
        "commit": commit,
    }


def loadavg() -> str:
    """The 1, 5 and 15 minute load averages, as ``uptime`` prints them."""
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


# ---------------------------------------------------------------------------- formatting


def fmt_seconds(t: float | None, cap: float | None = None) -> str:
    """``12.3 ms``, ``1.23 s``, ``> 120 s`` (``None``: stopped at ``cap``), ``failed`` (NaN)."""
    if t is None:
        return f"> {cap:g} s" if cap is not None else "–"
    if t != t:
        return "failed"
    if t < 1:
        return f"{t * 1000:.1f} ms" if t < 0.1 else f"{t * 1000:.0f} ms"
    return f"{t:.2f} s" if t < 100 else f"{t:.0f} s"


def fmt_bytes(n: float | None) -> str:
    """``512 MiB``, ``2.1 GiB``."""
    if n is None:
        return "–"
    return f"{n / 2**30:.2f} GiB" if n >= 2**30 else f"{n / 2**20:.0f} MiB"


def fmt_ratio(t: float | None, base: float | None) -> str:
    """``t / base`` as ``1.05×`` (``–`` when either is missing or failed)."""
    if t is None or base is None or t != t or base != base or base == 0:
        return "–"
    ratio = t / base
    return f"{ratio:.2f}×" if ratio >= 0.1 else f"{ratio:.2g}×"


def text_table(header: list[str], rows: list[list[str]]) -> str:
    """Columns aligned with spaces, a rule under the header (for a terminal)."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(lines)


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    """A GitHub-flavoured Markdown table (``|`` in a cell escaped)."""

    def cells(row: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in row) + " |"

    lines = [cells(header), "|" + "|".join("---" for _ in header) + "|"]
    lines += [cells(r) for r in rows]
    return "\n".join(lines)


# --------------------------------------------------------------------------- first draw

#: Installed before the page's own scripts: when map.js sets ``window.network``, listen for
#: vis-network's first ``afterDrawing`` and keep ``performance.now()`` then (milliseconds
#: since navigation started).
FIRST_DRAW_SCRIPT = """
(() => {
  let net;
  Object.defineProperty(window, "network", {
    configurable: true,
    get() { return net; },
    set(value) {
      net = value;
      window.__benchNetworkCreated = performance.now();
      value.once("afterDrawing", () => { window.__benchFirstDraw = performance.now(); });
    },
  });
})();
"""


def first_draw(browser, path: Path | str, *, cap: float = 120.0) -> dict[str, object]:
    """Open a map in headless Chromium; return when vis-network first drew it.

    Parameters
    ----------
    browser : tests.browser.Chromium
        A running browser (each page gets its own context).
    path : path-like
        The map's HTML file (as ``igfgraph viz`` writes it, layout precomputed).
    cap : float
        Seconds allowed for loading and drawing.

    Returns
    -------
    dict
        ``first_draw`` (seconds from navigation to the first ``afterDrawing``), ``created``
        (seconds to ``new vis.Network``), ``ready`` (seconds until ``igfgraphReady``,
        as Playwright saw it), ``nodes`` drawn, ``errors`` (console and page errors,
        blocked requests); ``first_draw`` is ``None`` when the cap was reached.
    """
    try:
        page = browser.open(path, timeout_s=cap, init_script=FIRST_DRAW_SCRIPT)
    except Exception as exc:  # noqa: BLE001 - Playwright's TimeoutError
        if "Timeout" not in type(exc).__name__:
            raise
        return {"first_draw": None, "created": None, "ready": None, "nodes": None, "errors": 0}
    try:
        figures = page.eval(
            "() => [window.__benchFirstDraw, window.__benchNetworkCreated,"
            " network.body.nodeIndices.length]"
        )
        errors = len(page.console_errors) + len(page.page_errors) + len(page.blocked_requests)
    finally:
        page.close()
    drawn, created, nodes = figures
    return {
        "first_draw": None if drawn is None else drawn / 1000,
        "created": None if created is None else created / 1000,
        "ready": page.load_seconds,
        "nodes": nodes,
        "errors": errors,
    }
