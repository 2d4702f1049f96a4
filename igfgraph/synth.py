"""Synthetic data packages with the statistics of the real one, for benchmarks at scale.

``igfgraph synth --scale N --seed S --out DIR`` writes a data package with the same tables,
the same ``datapackage.json`` schema and the same columns as the shipped one, valid against
the same table schema and SHACL shapes, with ``round(N × B)`` bodies where ``B`` is the
number of bodies in the source package (242 in the shipped data).

How it is made
--------------
The source package is kept whole (its rows keep their real sources) and synthetic bodies are
added until the scale is reached:

- **Bodies per kind.** The extra bodies are shared among the kinds that have many members
  (Dynamic Coalitions, BPFs, PNs, NRIs, UN organisations, processes, instruments) in
  proportion to their counts in the source; the singletons (the IGF, its secretariat, MAG,
  Leadership Panel, DCCG) and the modalities are not multiplied. Dynamic Coalitions take
  the rounding remainder, so the body count is exactly ``round(N × B)``.
- **Life cycle.** Each synthetic body draws a *template*, a real body of its kind, at
  random (a bootstrap), and takes its years of establishment and ending, its confidence,
  whether it has an acronym, its cycle years (BPFs, PNs), its statuses on the DC registers
  (DCs) and the area it serves (NRIs). Names, ids, acronyms and themes are new.
- **Themes.** The theme scheme grows sublinearly: ``round(T × sqrt(N))`` themes for ``T``
  source themes, the new ones narrower than a top concept drawn at random. A body takes as
  many themes as its template, drawn without replacement with weights equal to how many
  bodies address each theme in the source (a synthetic theme takes the weight of a source
  theme drawn at random).
- **Sessions per meeting, collaborations per body and year, outputs per body.** For every
  session, stated liaison, relation and output of its template (where the template is the
  first of its kind-multiplied parties), the synthetic body gets one of its own in the same
  meeting or years, of the same type; each other party that is a multiplied body is
  replaced by a synthetic body of the same kind drawn at random, and a singleton or
  modality stays. So co-organised sessions, co-authored outputs and liaisons keep their
  number per body and year, with new partners.

Every synthetic row names the source row ``synthetic-igfgraph`` (added to ``sources.csv``,
saying the rows are generated and by which scale and seed) and a locator naming the
generator and the template. Nothing personal is generated: bodies only.

The output is a function of the source package, ``scale`` and ``seed`` alone
(:class:`numpy.random.Generator` seeded with ``seed``, every draw in sorted order), so the
same arguments write byte-identical files.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from igfgraph.exceptions import InputError
from igfgraph.fileio import write_folder
from igfgraph.tables import Tables, load_tables

__all__ = ["MULTIPLIED_KINDS", "SYNTH_SOURCE", "SynthSummary", "synthesize", "write_synth"]

#: The source row every synthetic row cites.
SYNTH_SOURCE = "synthetic-igfgraph"

#: Kinds whose bodies are multiplied, with the short tag used in synthetic ids.
MULTIPLIED_KINDS: dict[str, str] = {
    "dynamic-coalition": "dc",
    "best-practice-forum": "bpf",
    "policy-network": "pn",
    "national-igf": "nigf",
    "subregional-igf": "sigf",
    "regional-igf": "rigf",
    "youth-igf": "yigf",
    "organization": "org",
    "process": "proc",
    "instrument": "inst",
}

_KIND_LABEL = {
    "dynamic-coalition": "Dynamic Coalition",
    "best-practice-forum": "Best Practice Forum",
    "policy-network": "Policy Network",
    "national-igf": "national IGF",
    "subregional-igf": "sub-regional IGF",
    "regional-igf": "regional IGF",
    "youth-igf": "youth IGF",
    "organization": "organisation",
    "process": "process",
    "instrument": "instrument",
}


@dataclass(frozen=True)
class SynthSummary:
    """What :func:`write_synth` wrote.

    Attributes
    ----------
    folder : pathlib.Path
        The package folder.
    rows : dict of str to int
        Rows per table (resource name → count).
    """

    folder: Path
    rows: dict[str, int]

    @property
    def bodies(self) -> int:
        """Number of bodies in the package."""
        return self.rows["bodies"]

    def text(self) -> str:
        """Say in one line per table what was written."""
        lines = [f"{self.folder}: synthetic data package"]
        lines += [f"  {name}: {count} rows" for name, count in self.rows.items()]
        return "\n".join(lines) + "\n"


def _records(tables: Tables, name: str) -> list[dict[str, str]]:
    return [row for _, row in tables.rows(name)]


class _Generator:
    """One run of the generator: the source tables, the random stream and the new rows."""

    def __init__(self, tables: Tables, scale: float, seed: int):
        self.t = tables
        self.scale = scale
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        self.rows: dict[str, list[dict[str, str]]] = {
            res["name"]: _records(tables, res["name"]) for res in tables.descriptor["resources"]
        }
        self.kind = {b["id"]: b["kind"] for b in self.rows["bodies"]}
        self.members: dict[str, list[str]] = defaultdict(list)  # kind → synthetic ids
        self.template: dict[str, str] = {}  # synthetic id → real template id
        self.counter: dict[str, int] = defaultdict(int)

    # -- helpers ------------------------------------------------------------------------
    def locator(self, table: str, template: str) -> str:
        return f"igfgraph synth, {table}, modelled on {template}"

    def new_id(self, prefix: str) -> str:
        self.counter[prefix] += 1
        return f"{prefix}-{self.counter[prefix]:05d}"

    def choice(self, items: list[str]) -> str:
        return items[int(self.rng.integers(len(items)))]

    def partner(self, real: str, own: str, taken: set[str]) -> str:
        """Pick a stand-in for the real party ``real``: a synthetic body of its kind, or itself."""
        kind = self.kind[real]
        pool = self.members.get(kind) if kind in MULTIPLIED_KINDS else None
        if not pool:
            return real
        for _ in range(8):
            pick = self.choice(pool)
            if pick != own and pick not in taken:
                return pick
        return real

    # -- the steps ----------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        real = self.rows["bodies"]
        target = round(self.scale * len(real))
        extra = target - len(real)
        per_kind = {k: sum(1 for b in real if b["kind"] == k) for k in MULTIPLIED_KINDS}
        per_kind = {k: n for k, n in per_kind.items() if n}
        total = sum(per_kind.values())
        counts = {k: math.floor(extra * n / total) for k, n in per_kind.items()}
        counts["dynamic-coalition"] = (
            counts.get("dynamic-coalition", 0) + extra - sum(counts.values())
        )
        return counts

    def themes(self) -> list[str]:
        themes = self.rows["themes"]
        target = round(len(themes) * math.sqrt(self.scale))
        tops = sorted(t["id"] for t in themes if not t["broader_id"])
        if not tops:
            raise InputError("themes.csv: no top concept to hang synthetic themes on")
        for _ in range(target - len(themes)):
            tid = self.new_id("syn-theme")
            n = self.counter["syn-theme"]
            themes.append(
                {
                    "id": tid,
                    "label": f"Synthetic theme {n}",
                    "definition": f"A generated theme ({n}) for benchmarks, not a real topic.",
                    "broader_id": self.choice(tops),
                    "source_id": SYNTH_SOURCE,
                    "locator": "igfgraph synth, themes",
                    "note": "",
                }
            )
        return [t["id"] for t in themes]

    def run(self) -> dict[str, list[dict[str, str]]]:
        r = self.rows
        r["sources"].append(
            {
                "id": SYNTH_SOURCE,
                "title": f"Synthetic rows generated by igfgraph synth (scale {self.scale:g}, "
                f"seed {self.seed})",
                "publisher": "igfgraph",
                "url": "",
                "issued": "",
                "type": "report",
                "note": "Not a real document: the rows citing it are generated for benchmarks "
                "from the statistics of the curated tables and describe no real body.",
            }
        )
        # theme weights: how many bodies address each theme in the source
        used = defaultdict(int)
        for bt in r["body_themes"]:
            used[bt["theme_id"]] += 1
        real_weights = [used[t["id"]] + 1 for t in r["themes"]]
        all_themes = self.themes()
        weights = np.array(
            [
                used[t] + 1 if t in used or not t.startswith("syn-") else self.choice(real_weights)
                for t in all_themes
            ],
            dtype=float,
        )
        weights /= weights.sum()

        by_kind = defaultdict(list)
        for b in r["bodies"]:
            by_kind[b["kind"]].append(b)
        # 1. the bodies
        new_bodies = []
        for kind, n in sorted(self.counts().items()):
            templates = sorted(by_kind[kind], key=lambda b: b["id"])
            tag = MULTIPLIED_KINDS[kind]
            for _ in range(n):
                tpl = templates[int(self.rng.integers(len(templates)))]
                sid = self.new_id(f"syn-{tag}")
                number = self.counter[f"syn-{tag}"]
                self.members[kind].append(sid)
                self.template[sid] = tpl["id"]
                new_bodies.append(
                    {
                        "id": sid,
                        "kind": kind,
                        "name": f"Synthetic {_KIND_LABEL[kind]} {number}",
                        "summary": "",
                        "established": tpl["established"],
                        "ended": tpl["ended"],
                        "homepage": "",
                        "source_id": SYNTH_SOURCE,
                        "locator": self.locator("bodies", tpl["id"]),
                        "confidence": tpl["confidence"],
                        "note": "Generated body: not a real one.",
                    }
                )
        r["bodies"].extend(new_bodies)

        def of(table: str, column: str) -> dict[str, list[dict[str, str]]]:
            index = defaultdict(list)
            for row in r[table]:
                index[row[column]].append(row)
            return index

        names = of("body_names", "body_id")
        body_themes = of("body_themes", "body_id")
        cycles = of("cycles", "body_id")
        entries = of("register_entries", "body_id")
        places = of("nri_places", "body_id")
        organisers = of("session_organizers", "session_id")
        participants = of("session_participants", "session_id")
        creators = of("output_creators", "output_id")
        sessions_of = defaultdict(list)
        for s in sorted(r["sessions"], key=lambda s: s["id"]):
            orgs = sorted(o["body_id"] for o in organisers[s["id"]])
            lead = [o for o in orgs if self.kind[o] in MULTIPLIED_KINDS]
            if lead:
                sessions_of[lead[0]].append((s, orgs))
        outputs_of = defaultdict(list)
        for o in sorted(r["outputs"], key=lambda o: o["id"]):
            made = sorted(c["body_id"] for c in creators[o["id"]])
            lead = [c for c in made if self.kind[c] in MULTIPLIED_KINDS]
            if lead:
                outputs_of[lead[0]].append((o, made))
        liaisons_of = defaultdict(list)
        for li in sorted(r["liaisons"], key=lambda li: li["id"]):
            lead = [p for p in (li["party_a"], li["party_b"]) if self.kind[p] in MULTIPLIED_KINDS]
            if lead:
                liaisons_of[lead[0]].append(li)
        relations_of = defaultdict(list)
        for rel in r["relations"]:
            ends = (rel["subject_id"], rel["object_id"])
            lead = [p for p in ends if self.kind[p] in MULTIPLIED_KINDS]
            if lead:
                relations_of[lead[0]].append(rel)
        session_numbers: dict[str, int] = defaultdict(int)
        relation_keys = {(x["subject_id"], x["predicate"], x["object_id"]) for x in r["relations"]}
        theme_ids = np.array(all_themes)

        new = defaultdict(list)
        for body in new_bodies:
            sid, tpl = body["id"], self.template[body["id"]]
            loc = self.locator
            if any(n["type"] == "acronym" for n in names[tpl]):
                new["body_names"].append(
                    {
                        "body_id": sid,
                        "type": "acronym",
                        "value": sid.upper(),
                        "until": "",
                        "source_id": SYNTH_SOURCE,
                        "locator": loc("body_names", tpl),
                        "note": "",
                    }
                )
            tpl_themes = body_themes[tpl]
            if tpl_themes:
                picks = self.rng.choice(
                    len(theme_ids), size=len(tpl_themes), replace=False, p=weights
                )
                for i, row in zip(sorted(int(p) for p in picks), tpl_themes, strict=True):
                    new["body_themes"].append(
                        {
                            "body_id": sid,
                            "theme_id": str(theme_ids[i]),
                            "basis": row["basis"],
                            "source_id": SYNTH_SOURCE,
                            "locator": loc("body_themes", tpl),
                            "note": "",
                        }
                    )
            for c in cycles[tpl]:
                new["cycles"].append(
                    {
                        "body_id": sid,
                        "year": c["year"],
                        "title": f"{body['name']}, {c['year']} cycle",
                        "source_id": SYNTH_SOURCE,
                        "locator": loc("cycles", tpl),
                        "confidence": c["confidence"],
                        "note": "",
                    }
                )
            for e in entries[tpl]:
                new["register_entries"].append(
                    {
                        "register_id": e["register_id"],
                        "body_id": sid,
                        "status": e["status"],
                        "item": "",
                        "source_id": SYNTH_SOURCE,
                        "locator": loc("register_entries", tpl),
                        "note": "",
                    }
                )
            for p in places[tpl]:
                new["nri_places"].append(
                    {
                        **p,
                        "body_id": sid,
                        "source_id": SYNTH_SOURCE,
                        "locator": loc("nri_places", tpl),
                        "note": "",
                    }
                )
            for s, orgs in sessions_of[tpl]:
                year = s["meeting_id"].removeprefix("igf-")
                base = f"igf-{year}-{sid}"
                session_numbers[base] += 1
                number = session_numbers[base]
                new_sid = base if number == 1 else f"{base}-{number}"
                new["sessions"].append(
                    {
                        **s,
                        "id": new_sid,
                        "title": f"Synthetic session of {body['name']} at IGF {year}",
                        "source_id": SYNTH_SOURCE,
                        "locator": loc("sessions", s["id"]),
                        "note": "",
                    }
                )
                taken = {sid}
                for o in orgs:
                    who = sid if o == tpl else self.partner(o, sid, taken)
                    if who in taken and who != sid:
                        continue
                    taken.add(who)
                    new["session_organizers"].append(
                        {
                            "session_id": new_sid,
                            "body_id": who,
                            "role": "",
                            "source_id": SYNTH_SOURCE,
                            "locator": loc("session_organizers", s["id"]),
                        }
                    )
                for p in sorted(x["body_id"] for x in participants[s["id"]]):
                    who = self.partner(p, sid, taken)
                    if who in taken:
                        continue
                    taken.add(who)
                    new["session_participants"].append(
                        {
                            "session_id": new_sid,
                            "body_id": who,
                            "source_id": SYNTH_SOURCE,
                            "locator": loc("session_participants", s["id"]),
                        }
                    )
            for o, made in outputs_of[tpl]:
                oid = self.new_id("syn-output")
                new["outputs"].append(
                    {
                        **o,
                        "id": oid,
                        "title": f"Synthetic output {self.counter['syn-output']}",
                        "url": "",
                        "source_id": SYNTH_SOURCE,
                        "locator": loc("outputs", o["id"]),
                        "note": "",
                    }
                )
                taken = set()
                for c in made:
                    who = sid if c == tpl else self.partner(c, sid, taken | {sid})
                    if who in taken:
                        continue
                    taken.add(who)
                    new["output_creators"].append(
                        {
                            "output_id": oid,
                            "body_id": who,
                            "source_id": SYNTH_SOURCE,
                            "locator": loc("output_creators", o["id"]),
                        }
                    )
            for li in liaisons_of[tpl]:
                a = sid if li["party_a"] == tpl else self.partner(li["party_a"], sid, set())
                b = sid if li["party_b"] == tpl else self.partner(li["party_b"], sid, set())
                if a == b:
                    continue
                new["liaisons"].append(
                    {
                        **li,
                        "id": self.new_id("syn-liaison"),
                        "party_a": a,
                        "party_b": b,
                        "description": "Generated liaison between two bodies.",
                        "source_id": SYNTH_SOURCE,
                        "locator": loc("liaisons", li["id"]),
                        "note": "",
                    }
                )
            for rel in relations_of[tpl]:
                s_, o_ = (
                    sid if end == tpl else self.partner(end, sid, set())
                    for end in (rel["subject_id"], rel["object_id"])
                )
                key = (s_, rel["predicate"], o_)
                if s_ == o_ or key in relation_keys:
                    continue
                relation_keys.add(key)
                new["relations"].append(
                    {
                        **rel,
                        "subject_id": s_,
                        "object_id": o_,
                        "source_id": SYNTH_SOURCE,
                        "locator": loc("relations", f"{rel['subject_id']} {rel['predicate']}"),
                        "note": "",
                    }
                )
        for name, rows in new.items():
            r[name].extend(rows)
        return r


def _csv_text(fields: list[str], rows: list[dict[str, str]], key: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(fields)
    for row in sorted(rows, key=lambda x: [x[k] for k in key]):
        writer.writerow([row[f] for f in fields])
    return buffer.getvalue()


def synthesize(scale: float, seed: int, data: Path | str | None = None) -> dict[str, str]:
    """Generate the files of a synthetic data package.

    Parameters
    ----------
    scale : float
        How many times more bodies than the source package (≥ 1); themes grow by
        ``sqrt(scale)``.
    seed : int
        Seed of :func:`numpy.random.default_rng`; the same seed gives the same bytes.
    data : path-like, optional
        The source package (default: the shipped data).

    Returns
    -------
    dict of str to str
        File name → content: every table of the package and ``datapackage.json``.

    Raises
    ------
    InputError
        ``scale`` below 1, a negative seed, or a source package that cannot be read.
    DataPackageError
        The source package breaks its own schema.
    """
    if not (scale >= 1 and math.isfinite(scale)):
        raise InputError(f"--scale must be a number ≥ 1, not {scale!r}")
    if seed < 0:
        raise InputError(f"--seed must be ≥ 0, not {seed}")
    tables = load_tables(data, check=False)
    rows = _Generator(tables, scale, seed).run()
    descriptor = json.loads(json.dumps(tables.descriptor))
    descriptor["name"] = "igfgraph-synthetic-data"
    descriptor["title"] = f"igfgraph: synthetic data package (scale {scale:g}, seed {seed})"
    descriptor["description"] = (
        "Generated by `igfgraph synth` from the curated tables: the curated rows plus "
        "synthetic bodies, themes, sessions, liaisons and outputs drawn from their "
        f"statistics. Synthetic rows cite the source {SYNTH_SOURCE!r}; they describe no "
        "real body. For benchmarks only."
    )
    files: dict[str, str] = {}
    for res in descriptor["resources"]:
        fields = [f["name"] for f in res["schema"]["fields"]]
        key = res["schema"].get("primaryKey") or fields[:1]
        key = [key] if isinstance(key, str) else list(key)
        files[res["path"]] = _csv_text(fields, rows[res["name"]], key)
    files["datapackage.json"] = json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"
    return dict(sorted(files.items()))


def write_synth(
    out: Path | str, scale: float, seed: int, data: Path | str | None = None
) -> SynthSummary:
    """Write a synthetic data package into the folder ``out`` (replaced whole, atomically).

    Parameters
    ----------
    out : path-like
        The output folder; it must be new, empty or an earlier synthetic package.
    scale, seed, data
        As for :func:`synthesize`.

    Returns
    -------
    SynthSummary
        The folder and the rows per table.

    Raises
    ------
    InputError, DataPackageError
        As for :func:`synthesize`.
    OutputError
        ``out`` is a file or holds files a data package does not have.
    """
    files = synthesize(scale, seed, data)
    write_folder(out, files, what="igfgraph synth")
    descriptor = json.loads(files["datapackage.json"])
    rows = {
        res["name"]: len(list(csv.reader(io.StringIO(files[res["path"]])))) - 1
        for res in descriptor["resources"]
    }
    return SynthSummary(Path(out), rows)
