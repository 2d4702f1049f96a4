"""The scale benchmark: one table for the shipped data and synthetic data ×10, ×100, ….

Usage: python benchmarks/run.py [--scales 1 10 100] [--cap 600] [--query-cap 60]
       [--rdflib-budget 600] [--no-browser] [--only-report]

``make bench`` runs it (``make bench SCALES="1 10"`` for other scales). For each scale
(1 = the shipped ``data/``; N > 1 = ``igfgraph synth --scale N --seed 1`` into a temporary
folder) it measures, each command in a fresh process (a user's cold start counts) with its
own empty build cache:

- the synthetic package written (``igfgraph synth``);
- the cold build: the graph opened through an empty build cache (tables checked, graph
  built, SHACL-validated by the fast path, stored), with the time of each step;
- the cached open (in process, median of 3), and ``igfgraph validate`` (the command's wall);
- each named query in the default store (the build cache's Oxigraph store), with its ratio
  to raw pyoxigraph on the same triples and rdflib's memory store's ratio to it, all in the
  same run (rdflib skipped once it has used ``--rdflib-budget`` seconds), and each
  ``igfgraph query --name`` with a warm cache;
- each analysis command the CLI offers, each view of ``igfgraph viz`` written, and each
  view's first draw in headless Chromium (vis-network's first ``afterDrawing``; views
  above the aggregation threshold are drawn aggregated, as ``igfgraph viz`` writes them);
- ``igfgraph site`` and ``igfgraph docs``, ``igfgraph --help``, and ``igfgraph all`` cold,
  with the site, documentation and back-test inside it on their own lines;
- the peak RSS of every process, and the triple count.

Each step is stopped at ``--cap`` seconds ("not finished in N s"). The figures of each
scale go to ``benchmarks/results/scale-N.json`` after every step; the Markdown table of
every scale found there is printed and written, with the machine, versions, load and the
targets of issue 13, to ``benchmarks/RESULTS.md``. ``--only-report`` rewrites it from the
JSON files without measuring.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import _harness as h
from bench_sparql import PARAMS

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
RESULTS_MD = HERE / "RESULTS.md"
PROBE = HERE / "_probe.py"
SEED = 1
EGO_NODE = "dcad"  # a curated body: synth keeps the source rows, so it is there at every scale
VIEWS = ["landscape", "themes", "overlap", "gaps", "ego"]
NO_FORMAT = {"stats"}  # analyses are run with --format csv, to stdout


def analyses() -> list[str]:
    """The analysis commands of the CLI: those that print a table of the graph."""
    from igfgraph.cli import cli

    names = [
        "overlap",
        "gaps",
        "centrality",
        "communities",
        "coverage",
        "recommendations",
        "stats",
        "backtest",
    ]
    missing = [n for n in names if n not in cli.commands]
    if missing:
        raise SystemExit(f"run.py: the CLI has no {', '.join(missing)} command")
    return names


class Scale:
    """The measurements of one scale, saved after every step."""

    def __init__(self, scale: int, args) -> None:
        self.scale, self.args = scale, args
        self.path = RESULTS / f"scale-{scale}.json"
        self.figures: dict = {
            "scale": scale,
            "seed": None if scale == 1 else SEED,
            "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "load_start": h.loadavg(),
            "machine": h.machine(),
            "cap": args.cap,
            "query_cap": args.query_cap,
            "repeat": args.repeat,
            "rdflib_budget": args.rdflib_budget,
            "steps": {},
        }

    def save(self) -> None:
        RESULTS.mkdir(exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.figures, indent=1, ensure_ascii=False) + "\n")
        os.replace(tmp, self.path)

    def skip(self, key: str) -> bool:
        """Say whether to skip a step (``--skip``, or past ``--stop-at``), noting why."""
        reason = None
        for item in self.args.skip:
            k, _, why = item.partition("=")
            if key == k or key.startswith(f"{k}:"):
                reason = f"skipped: {why}" if why else "skipped (--skip)"
                break
        if reason is None and self.args.stop_at and dt.datetime.now(dt.UTC) >= self.args.stop_at:
            reason = f"not run (time was up at {self.args.stop_at:%H:%M} UTC)"
        if reason is not None:
            self.figures["steps"][key] = {"skipped": reason}
            self.save()
            print(f"  ×{self.scale} {key}: {reason}", flush=True)
        return reason is not None

    def step(self, key: str, value: dict) -> dict:
        self.figures["steps"][key] = value
        self.save()
        line = describe(value)
        print(f"  ×{self.scale} {key}: {line}", flush=True)
        return value


def describe(value: dict) -> str:
    if value.get("timed_out"):
        return f"not finished in {value['wall']:.0f} s"
    if value.get("returncode") not in (0, None):
        return f"failed (exit {value['returncode']}): {value.get('error', '')}"
    return f"{h.fmt_seconds(value.get('wall'))} wall, {h.fmt_bytes(value.get('max_rss'))}"


def command(argv: list[str], env: dict, cap: float, **extra) -> dict:
    """Run one command in a fresh process; return its figures."""
    r = h.run(argv, env=env, timeout=cap)
    value = {
        "argv": " ".join(argv[2:]) if argv[:2] == [sys.executable, "-m"] else " ".join(argv),
        "wall": r.wall,
        "cpu": r.cpu,
        "max_rss": r.max_rss,
        "returncode": r.returncode,
        "timed_out": r.timed_out,
        **extra,
    }
    if not r.ok and not r.timed_out:
        value["error"] = (r.stderr.strip().splitlines() or [""])[-1][:300]
    value["_stderr"] = r.stderr[-2000:]
    return value


def probe(task: str, env: dict, cap: float, folder: Path, *args: str) -> dict:
    """Run a task of ``_probe.py`` in a fresh process; its figures under ``inner``."""
    out = folder / f"{task}.json"
    out.unlink(missing_ok=True)
    value = command([sys.executable, str(PROBE), task, "--json", str(out), *args], env, cap)
    value["inner"] = json.loads(out.read_text()) if out.is_file() else {}
    return value


def write_and_draw(s: Scale, view: str, d: list[str], maps: Path, env: dict, browser) -> None:
    """``igfgraph viz --view VIEW`` in a fresh process, then its first draw in Chromium."""
    node = ["--node", EGO_NODE] if view == "ego" else []
    path = maps / f"{view}.html"
    argv = h.igfgraph("viz", *d, "--view", view, *node, "--out", str(path))
    value = command(argv, env, s.args.cap)
    m = re.search(r"\((\d+) nodes, (\d+) links\)", value["_stderr"])
    if m:
        value["nodes"], value["links"] = int(m.group(1)), int(m.group(2))
    if path.is_file():
        value["bytes"] = path.stat().st_size
    s.step(f"viz:{view}", value)
    if browser is not None and path.is_file():
        t0 = time.perf_counter()
        drawn = h.first_draw(browser, path, cap=min(s.args.cap, 300))
        drawn["wall"] = time.perf_counter() - t0
        drawn["timed_out"] = drawn["first_draw"] is None
        s.step(f"draw:{view}", drawn)


def measure_scale(scale: int, args, browser) -> None:
    from igfgraph.paths import default_data_dir
    from igfgraph.queries import load_queries

    s = Scale(scale, args)
    cap = args.cap
    print(f"\n=== ×{scale} (load {s.figures['load_start']}) ===", flush=True)
    with tempfile.TemporaryDirectory(prefix=f"igfgraph-bench-x{scale}-") as tmp:
        folder = Path(tmp)
        cache = folder / "cache"
        env = h.bench_env(cache)
        if scale == 1:
            data = default_data_dir()
        else:
            data = folder / "data"
            synth = s.step(
                "synth",
                command(
                    h.igfgraph("synth", "--scale", str(scale), "--seed", str(SEED), "--out",
                               str(data)),
                    env, cap,
                ),
            )  # fmt: skip
            if not synth["returncode"] == 0:
                return
        d = ["--data", str(data)]
        nt = folder / "graph.nt"

        cold = s.step("cold", probe("cold", env, cap, folder, *d))
        if cold["returncode"] != 0:
            return
        s.figures["triples"] = cold["inner"].get("triples")
        s.save()
        if not s.skip("open"):
            s.step("open", probe("open", env, cap, folder, *d, "--repeat", "3"))

        # the targets at scale first: queries, analyses, views; then the rest
        qcap = ["--cap", str(args.query_cap), "--repeat", str(args.repeat)]
        if not s.skip("queries"):
            s.step("queries", probe("queries", env, cap, folder, *d, "--nt", str(nt), *qcap))
        for name in analyses():
            if not s.skip(f"analysis:{name}"):
                fmt = [] if name in NO_FORMAT else ["--format", "csv"]
                s.step(f"analysis:{name}", command(h.igfgraph(name, *d, *fmt), env, cap))
        maps = folder / "maps"
        maps.mkdir()
        for view in VIEWS:
            if not s.skip(f"viz:{view}"):
                write_and_draw(s, view, d, maps, env, browser)
        if not s.skip("help"):
            helps = [command(h.igfgraph("--help"), env, cap) for _ in range(3)]
            s.step("help", sorted(helps, key=lambda v: v["wall"])[1])  # the median of three
        if not s.skip("validate"):
            s.step("validate", command(h.igfgraph("validate", *d), env, cap))
        for name in load_queries():
            if not s.skip(f"query-cli:{name}"):
                params = [
                    x for k, v in PARAMS.get(name, {}).items() for x in ("--param", f"{k}={v}")
                ]
                argv = h.igfgraph("query", "--name", name, *params, *d, "--format", "csv")
                argv += ["--timeout", f"{args.query_cap:g}"]  # the command's own time limit
                value = command(argv, env, cap)
                if value["returncode"] == 1 and "ran past the time limit" in value["_stderr"]:
                    value["timed_out"] = True  # stopped by --timeout, as a user would see it
                s.step(f"query-cli:{name}", value)
        if nt.is_file() and not s.skip("queries-rdflib"):
            budget = args.rdflib_budget
            s.step(
                "queries-rdflib",
                probe("queries-rdflib", env, budget, folder, "--nt", str(nt), *qcap),
            )
        if not s.skip("docs"):
            s.step("docs", command(h.igfgraph("docs", *d, "--out", str(folder / "docs")), env, cap))
        if not s.skip("site"):
            s.step("site", command(h.igfgraph("site", *d, "--out", str(folder / "site")), env, cap))
            shutil.rmtree(folder / "site", ignore_errors=True)
        if not s.skip("all"):
            # igfgraph all, cold: a cache of its own, left empty (all builds in memory anyway)
            env_all = h.bench_env(folder / "cache-all")
            s.step("all", probe("all", env_all, cap, folder, *d, "--out", str(folder / "all")))
    s.figures["load_end"] = h.loadavg()
    s.figures["finished"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    s.save()


# ------------------------------------------------------------------------------ the report


def _t(step: dict | None, key: str = "wall") -> str:
    """A step's time, or why there is none."""
    if not step:
        return "–"
    if step.get("skipped"):
        return step["skipped"]
    if step.get("timed_out"):
        return f"not finished in {step['wall']:.0f} s"
    if step.get("returncode") not in (0, None):
        return f"failed (exit {step['returncode']})"
    return h.fmt_seconds(step.get(key))


def _tr(step: dict | None) -> str:
    """Wall time and peak RSS of a command."""
    text = _t(step)
    if step and step.get("returncode") == 0 and step.get("cpu") is not None:
        text += f" (CPU {h.fmt_seconds(step['cpu'])})"
    if step and step.get("returncode") == 0 and step.get("max_rss"):
        text += f" · {h.fmt_bytes(step['max_rss'])}"
    return text


def _inner(step: dict | None, *keys: str):
    value = (step or {}).get("inner", {})
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _qt(value) -> float | None | str:
    if not value:
        return "missing"
    t = value["t"]
    return "failed" if t == "failed" else t


def rows_of(runs: dict[int, dict]) -> list[tuple[str, dict[int, str]]]:
    """The table's rows: a label and, per scale, a cell."""
    scales = sorted(runs)
    rows: list[tuple[str, dict[int, str]]] = []

    def row(label: str, fn) -> None:
        rows.append((label, {k: fn(runs[k]["steps"], runs[k]) for k in scales}))

    def section(label: str) -> None:
        rows.append((f"**{label}**", dict.fromkeys(scales, "")))

    row("triples", lambda st, r: f"{r['triples']:,}" if r.get("triples") else "–")
    row(
        "`synth` (write the package)",
        lambda st, r: _tr(st.get("synth")) if r["scale"] > 1 else "shipped data",
    )
    section("build and validation")
    row(
        "cold build, no cache (fresh process: tables, graph, SHACL, store)",
        lambda st, r: _tr(st.get("cold")),
    )
    parts = [
        ("read + check tables (of which frictionless checks)", "load_tables", "check_tables"),
        ("build the graph", "build_graph", None),
        ("load into Oxigraph", "to_store", None),
        ("SHACL, fast path (SPARQL constraints · core constraints)", "shacl_problems", None),
    ]
    for label, key, sub in parts:

        def cell(st, r, key=key, sub=sub):
            spent = _inner(st.get("cold"), "parts") or {}
            if key not in spent:
                return "–"
            text = h.fmt_seconds(spent[key])
            if sub and sub in spent:
                text += f" ({h.fmt_seconds(spent[sub])})"
            if key == "shacl_problems" and "sparql_results" in spent:
                sparql = h.fmt_seconds(spent["sparql_results"])
                core = h.fmt_seconds(spent.get("pyshacl_results"))
                text += f" ({sparql} · {core})"
            return text

        row(f"  {label}", cell)

    def rest(st, r):
        c = st.get("cold") or {}
        spent = _inner(c, "parts") or {}
        if c.get("returncode") != 0 or "shacl_problems" not in spent:
            return "–"
        keys = ("load_tables", "build_graph", "to_store", "shacl_problems")
        return h.fmt_seconds(c["wall"] - sum(spent.get(k, 0) for k in keys))

    row("  the rest (start-up, imports, cache key, writing the cache)", rest)
    row(
        "cached open (in process, median of 3)",
        lambda st, r: h.fmt_seconds(_inner(st.get("open"), "open", "wall")),
    )
    row("`igfgraph validate` (command wall)", lambda st, r: _tr(st.get("validate")))
    row("`igfgraph --help` (median of 3)", lambda st, r: _tr(st.get("help")))
    section(
        "named queries: default store · ÷ raw pyoxigraph · rdflib memory ÷ default"
        " · `igfgraph query --name` wall"
    )
    names = sorted(
        {q for r in runs.values() for q in (_inner(r["steps"].get("queries"), "queries") or {})}
    )
    for name in names:

        def qcell(st, r, name=name):
            q = (_inner(st.get("queries"), "queries") or {}).get(name, {})
            rd = (_inner(st.get("queries-rdflib"), "queries") or {}).get(name, {}).get("memory")
            default, raw = _qt(q.get("default")), _qt(q.get("pyoxigraph"))
            if default is None:
                qcap = r.get("query_cap", 60)
                raw_text = h.fmt_seconds(raw) if isinstance(raw, float) else f"> {qcap:g} s"
                return f"> {qcap:g} s · raw pyoxigraph {raw_text}"
            if not isinstance(default, float):
                return f"default {default}"
            raw = raw if isinstance(raw, float) else None
            text = f"{h.fmt_seconds(default)} · {h.fmt_ratio(default, raw)}"
            cap = st.get("queries-rdflib", {})
            if rd is None:
                budget = r.get("rdflib_budget") or cap.get("wall")
                text += (
                    f" · rdflib skipped (>{budget:.0f} s budget)"
                    if cap.get("timed_out")
                    else " · rdflib –"
                )
            else:
                memory = _qt(rd)
                if memory is None:
                    text += f" · rdflib > {r.get('query_cap', 60):g} s"
                elif isinstance(memory, float):
                    text += f" · {h.fmt_ratio(memory, default)}"
                else:
                    text += f" · rdflib {memory}"
            text += f" · {_t(st.get(f'query-cli:{name}'))}"
            rows_n = (q.get("default") or {}).get("rows")
            if rows_n is not None:
                text += f" ({rows_n:,} rows)"
            return text

        row(f"  {name}", qcell)
    row("  answers: default store vs raw pyoxigraph vs rdflib", answers)
    section("analyses (`igfgraph NAME --format csv`, warm cache, fresh process)")
    for name in sorted(
        {k.split(":", 1)[1] for r in runs.values() for k in r["steps"] if k.startswith("analysis:")}
    ):
        row(f"  {name}", lambda st, r, name=name: _tr(st.get(f"analysis:{name}")))
    section(
        "views (`igfgraph viz --view V`, warm cache) · nodes drawn · first draw in Chromium (ready)"
    )
    for view in VIEWS:

        def vcell(st, r, view=view):
            v, d = st.get(f"viz:{view}"), st.get(f"draw:{view}")
            text = _tr(v)
            if v and v.get("nodes") is not None:
                text += f" · {v['nodes']:,} nodes"
            if d:
                if d.get("first_draw") is None:
                    text += " · draw not finished"
                else:
                    text += (
                        f" · drawn {h.fmt_seconds(d['first_draw'])} ({h.fmt_seconds(d['ready'])})"
                    )
                    if d.get("errors"):
                        text += f" {d['errors']} errors"
            return text

        row(f"  {view}", vcell)
    section("whole commands")
    row("`igfgraph site` (warm cache)", lambda st, r: _tr(st.get("site")))
    row("`igfgraph docs` (warm cache)", lambda st, r: _tr(st.get("docs")))
    row("`igfgraph all`, cold (fresh process, no cache)", lambda st, r: _tr(st.get("all")))
    for part in ("site", "docs", "backtest"):
        row(
            f"  of which {part}",
            lambda st, r, part=part: part_of_all(st, part),
        )
    row("  today's outputs (the rest)", todays)
    row(
        "peak RSS, largest process",
        lambda st, r: h.fmt_bytes(max((v.get("max_rss") or 0) for v in st.values())),
    )
    row(
        "load average at start → end",
        lambda st, r: f"{r['load_start']} → {r.get('load_end', 'unfinished')}",
    )
    return rows


def answers(st: dict, r: dict) -> str:
    q = _inner(st.get("queries"), "queries") or {}
    rd = _inner(st.get("queries-rdflib"), "queries") or {}
    differ, compared = [], 0
    for name, by_store in q.items():
        fps = {
            s: v.get("fp") for s, v in {**by_store, **rd.get(name, {})}.items() if v and v.get("fp")
        }
        if len(fps) > 1:
            compared += 1
            if len(set(fps.values())) > 1:
                differ.append(name)
    if not compared:
        return "–"
    return "all agree" if not differ else "DIFFER: " + ", ".join(differ)


def part_of_all(st: dict, part: str) -> str:
    """The wall (and CPU) seconds ``igfgraph all`` spent in one part."""
    a = st.get("all") or {}
    if a.get("returncode") != 0:
        return "–"
    text = h.fmt_seconds((_inner(a, "parts") or {}).get(part))
    cpu = (_inner(a, "parts_cpu") or {}).get(part)
    if cpu is not None:
        text += f" (CPU {h.fmt_seconds(cpu)})"
    return text


def todays(st: dict, r: dict) -> str:
    a = st.get("all") or {}
    parts = _inner(a, "parts") or {}
    if a.get("returncode") != 0:
        return _t(a) if a else "–"
    text = h.fmt_seconds(a["wall"] - sum(parts.values()))
    cpu = _inner(a, "parts_cpu")
    if cpu:
        text += f" (CPU {h.fmt_seconds(a['cpu'] - sum(cpu.values()))})"
    return text


def todays_seconds(st: dict) -> float | None:
    a = st.get("all") or {}
    if a.get("returncode") != 0:
        return None
    return a["wall"] - sum((_inner(a, "parts") or {}).values())


def targets(runs: dict[int, dict]) -> list[list[str]]:
    """Each target of issue 13 with its figure: met, or missed by how much."""
    out: list[list[str]] = []

    def check(
        target: str,
        scale: int,
        figure: float | None,
        limit: float,
        *,
        unit="s",
        more_is_better=False,
        what="",
        step=None,
    ):
        label = f"×{scale}" + (f" ({what})" if what else "")
        if scale not in runs:
            out.append([target, f"×{scale}", "not measured", "–"])
            return
        if figure is None:
            reason = _t(step) if step else "not finished"
            out.append([target, label, reason, "missed" if step and step.get("wall") else "–"])
            return
        shown = (
            h.fmt_bytes(figure)
            if unit == "B"
            else (f"{figure:.0f}×" if unit == "×" else h.fmt_seconds(figure))
        )
        ok = figure >= limit if more_is_better else figure <= limit
        if ok:
            verdict = "met"
        elif more_is_better:
            verdict = f"missed: {figure / limit:.0%} of the target"
        else:
            over = h.fmt_bytes(figure - limit) if unit == "B" else h.fmt_seconds(figure - limit)
            verdict = f"missed by {figure / limit:.1f}× ({over} over)"
        if step and step.get("cpu") is not None and unit == "s":
            shown += f" (CPU {h.fmt_seconds(step['cpu'])})"
        out.append([target, label, shown, verdict])

    def st(scale):
        return runs[scale]["steps"] if scale in runs else {}

    def ok_wall(step):
        return step["wall"] if step and step.get("returncode") == 0 else None

    parts1 = _inner(st(1).get("cold"), "parts") or {}
    check("`validate`: ≤ 0.5 s of validation work (SHACL)", 1, parts1.get("shacl_problems"), 0.5)
    check("`all` cold ≤ 3 s wall for today's outputs", 1, todays_seconds(st(1)), 3)
    warm = [
        (k, v)
        for k, v in st(1).items()
        if k.startswith(("query-cli:", "analysis:", "viz:")) and "wall" in v
    ]
    if warm:
        k, v = max(warm, key=lambda kv: kv[1]["wall"])
        check("any graph command, warm cache ≤ 0.5 s (slowest)", 1, ok_wall(v), 0.5, what=k, step=v)
        k, v = min(warm, key=lambda kv: kv[1]["wall"])
        check("  (fastest graph command, warm cache)", 1, ok_wall(v), 0.5, what=k, step=v)
    check("`--help` ≤ 0.3 s", 1, ok_wall(st(1).get("help")), 0.3, step=st(1).get("help"))
    for scale in (1, 100):
        q = _inner(st(scale).get("queries"), "queries") or {}
        rd = _inner(st(scale).get("queries-rdflib"), "queries") or {}
        worst, worst_name, slowest_rd, rd_name = None, "", None, ""
        unfinished = []
        for name, v in q.items():
            d, raw = _qt(v.get("default")), _qt(v.get("pyoxigraph"))
            if d is None or raw is None:
                unfinished.append(name)
            if isinstance(d, float) and isinstance(raw, float) and raw > 0:
                if worst is None or d / raw > worst:
                    worst, worst_name = d / raw, name
            m = _qt(rd.get(name, {}).get("memory"))
            if isinstance(d, float) and isinstance(m, float) and d > 0:
                if slowest_rd is None or m / d < slowest_rd:
                    slowest_rd, rd_name = m / d, name
        if scale in runs:
            out.append(
                [
                    "named queries, default store within 1.5× of raw pyoxigraph (worst)",
                    f"×{scale} ({worst_name})",
                    (f"{worst:.2f}×" if worst is not None else "–")
                    + (
                        f"; not finished within {runs[scale].get('query_cap', 60):g} s: "
                        + ", ".join(unfinished)
                        if unfinished
                        else ""
                    ),
                    "met"
                    if worst is not None and worst <= 1.5 and not unfinished
                    else (f"missed by {worst / 1.5:.1f}×" if worst else "not measured"),
                ]
            )
            out.append(
                [
                    "named queries ≥ 20× faster than rdflib memory (least)",
                    f"×{scale} ({rd_name})" if rd_name else f"×{scale}",
                    f"{slowest_rd:.1f}×" if slowest_rd is not None else "rdflib not measured",
                    ("met" if slowest_rd >= 20 else f"missed: {slowest_rd:.1f}× of 20×")
                    if slowest_rd is not None
                    else "–",
                ]
            )
        else:
            out.append(
                ["named queries vs raw pyoxigraph and rdflib", f"×{scale}", "not measured", "–"]
            )
    s100 = st(100)
    check("×100 cold build ≤ 60 s", 100, ok_wall(s100.get("cold")), 60, step=s100.get("cold"))
    if 100 in runs:
        rss = max((v.get("max_rss") or 0) for v in s100.values())
        check("×100 peak RSS ≤ 2 GiB (largest process)", 100, rss, 2 * 2**30, unit="B")
        for k, v in sorted(s100.items()):
            if k.startswith("analysis:"):
                check(f"×100 analysis {k.split(':')[1]} ≤ 30 s", 100, ok_wall(v), 30, step=v)
        for view in VIEWS:
            v = s100.get(f"viz:{view}")
            check(f"×100 view {view} written ≤ 10 s", 100, ok_wall(v), 10, step=v)
            d = s100.get(f"draw:{view}")
            if d is None:
                out.append([f"×100 view {view} first drawn ≤ 2 s", "×100", "view not written", "–"])
            else:
                check(f"×100 view {view} first drawn ≤ 2 s", 100, d.get("first_draw"), 2)
    else:
        out.append(["×100 targets (cold build, RSS, analyses, views)", "×100", "not measured", "–"])
    return out


def report(scales: list[int] | None = None) -> str:
    runs = {}
    for path in sorted(RESULTS.glob("scale-*.json")):
        r = json.loads(path.read_text())
        if scales is None or r["scale"] in scales:
            runs[r["scale"]] = r
    if not runs:
        raise SystemExit("run.py: no results in benchmarks/results/ yet")
    order = sorted(runs)
    header = [
        "",
        *[f"×{k}" + (" (shipped data)" if k == 1 else f" (synth, seed {SEED})") for k in order],
    ]
    table = h.markdown_table(
        header, [[label, *[cells[k] for k in order]] for label, cells in rows_of(runs)]
    )
    first = runs[order[0]]
    m = first["machine"]
    lines = [
        "# Benchmark results",
        "",
        "Written by `benchmarks/run.py` (`make bench`); the figures of each scale are in",
        "`benchmarks/results/scale-N.json`. Nothing here is asserted by the tests.",
        "",
        "## Machine",
        "",
        f"- CPU: {m['cpu']}, {m['cores']} cores; RAM {h.fmt_bytes(m['ram_bytes'])}; {m['os']}",
        f"- Python {m['python']}; {m['chromium']}",
        "- " + ", ".join(f"{k} {v}" for k, v in m["versions"].items()),
        f"- igfgraph commit {m['commit']}",
        "- The machine is **shared** (2 cores, several engineers' builds and tests running at",
        "  the same time): wall times carry their load; the load averages at the start and",
        "  end of each scale are in the table, the CPU times in the JSON files.",
        "",
        "| scale | run started (UTC) | finished | load at start → end | commit |",
        "|---|---|---|---|---|",
    ]
    for k in order:
        r = runs[k]
        lines.append(
            f"| ×{k} | {r['started']} | {r.get('finished', 'unfinished')} | "
            f"{r['load_start']} → {r.get('load_end', '–')} | {r['machine']['commit']} |"
        )
    lines += [
        "",
        "## Figures",
        "",
        "Times are wall seconds, each command in a fresh process (interpreter start and imports",
        "included) with a build cache of its own: cold = empty, warm = built by the cold step.",
        "(CPU: user + system seconds of that process; on this shared machine the steadier",
        "figure.) `· N MiB` is the process's peak RSS. Queries: the median of "
        f"{first.get('repeat', 3)} runs in the default store (the build cache's Oxigraph store, as",
        "every command opens it), its ratio to raw pyoxigraph (`Store.query` on the same triples,",
        "rows read out), rdflib's memory store's time divided by the default store's, then the",
        "wall of `igfgraph query --name` with a warm cache. Views: the command's wall, the nodes",
        "drawn (aggregated above 2,000 as users get them), the time from navigation to",
        "vis-network's first `afterDrawing` in headless Chromium (layout precomputed), and in",
        "brackets until the map is ready (refitted, handlers attached).",
        "",
        table,
        "",
        "## Targets (issue 13)",
        "",
        h.markdown_table(["target", "scale", "figure", "verdict"], targets(runs)),
        "",
    ]
    notes = RESULTS / "targets-notes.md"
    if notes.is_file():
        lines += [notes.read_text().rstrip(), ""]
    stores = RESULTS / "stores.txt"
    if stores.is_file():
        lines += [
            "## Other stores",
            "",
            "`benchmarks/results/stores.txt` (Virtuoso and Fuseki against the embedded store),",
            "as its author wrote it:",
            "",
            "```",
            stores.read_text().rstrip(),
            "```",
            "",
        ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--cap", type=float, default=600.0, help="seconds allowed per step")
    parser.add_argument("--query-cap", type=float, default=60.0, help="seconds per query run")
    parser.add_argument("--repeat", type=int, default=3, help="runs per query (median)")
    parser.add_argument(
        "--rdflib-budget", type=float, default=600.0, help="seconds for rdflib in all"
    )
    parser.add_argument("--no-browser", action="store_true", help="skip the first draws")
    parser.add_argument(
        "--skip",
        nargs="*",
        default=[],
        metavar="STEP[=WHY]",
        help="steps to skip (site, all, analysis:backtest, …), with the reason to print",
    )
    parser.add_argument(
        "--stop-at",
        type=lambda text: dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC),
        default=None,
        metavar="YYYY-MM-DDTHH:MM",
        help="start no step after this time (UTC); the rest are marked not run",
    )
    parser.add_argument("--only-report", action="store_true", help="rewrite RESULTS.md only")
    args = parser.parse_args()
    if not args.only_report:
        browser = None
        if not args.no_browser:
            from tests.browser import CHROMIUM_PATH, Chromium

            browser = Chromium() if CHROMIUM_PATH.exists() else None
            if browser is None:
                print(f"(no Chromium at {CHROMIUM_PATH}: first draws skipped)")
        try:
            for scale in args.scales:
                measure_scale(scale, args, browser)
        finally:
            if browser is not None:
                browser.close()
    text = report()
    RESULTS_MD.write_text(text)
    print()
    print(text)


if __name__ == "__main__":
    main()
