"""`igfgraph synth`: valid, at its scale, reproducible, every row sourced, real statistics."""

from __future__ import annotations

import csv
import io
import math
from collections import Counter

import pytest
from click.testing import CliRunner

from igfgraph.cli import cli
from igfgraph.paths import default_data_dir
from igfgraph.synth import MULTIPLIED_KINDS, SYNTH_SOURCE, synthesize
from igfgraph.tables import load_tables


def rows(files: dict[str, str], name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(files[name])))


@pytest.fixture(scope="module")
def real():
    t = load_tables(check=False)
    return {name: [r for _, r in t.rows(name)] for name in t.frames}


def test_synth_x2_validates_with_the_cli(synth_x2):
    result = CliRunner().invoke(cli, ["validate", "--data", str(synth_x2)])
    assert result.exit_code == 0, result.output
    assert "conforms" in result.output
    bodies = rows({"b": (synth_x2 / "bodies.csv").read_text(encoding="utf-8")}, "b")
    real = (default_data_dir() / "bodies.csv").read_text(encoding="utf-8").count("\n") - 1
    assert len(bodies) == 2 * real


@pytest.mark.parametrize("scale", [1.5, 2, 3.7, 10])
def test_hits_its_scale_within_5_percent(scale, real):
    files = synthesize(scale, 3)
    bodies = rows(files, "bodies.csv")
    assert abs(len(bodies) - scale * len(real["bodies"])) <= 0.05 * scale * len(real["bodies"])
    assert len({b["id"] for b in bodies}) == len(bodies)
    # every multiplied kind grows with the scale, the singletons do not
    real_kinds = Counter(b["kind"] for b in real["bodies"])
    kinds = Counter(b["kind"] for b in bodies)
    multiplied = sum(n for k, n in real_kinds.items() if k in MULTIPLIED_KINDS)
    extra = round(scale * len(real["bodies"])) - len(real["bodies"])
    for kind, n in real_kinds.items():
        if kind in MULTIPLIED_KINDS and kind != "dynamic-coalition":
            assert kinds[kind] == n + math.floor(extra * n / multiplied)
        elif kind not in MULTIPLIED_KINDS:
            assert kinds[kind] == n
    # themes grow as the square root of the scale
    assert len(rows(files, "themes.csv")) == round(len(real["themes"]) * math.sqrt(scale))


def test_byte_identical_for_a_seed_and_different_for_another():
    a, b, c = synthesize(3, 11), synthesize(3, 11), synthesize(3, 12)
    assert a == b
    assert a["bodies.csv"] != c["bodies.csv"]
    assert a["body_themes.csv"] != c["body_themes.csv"]


def test_the_cli_writes_the_same_bytes(tmp_path):
    out = tmp_path / "pkg"
    result = CliRunner().invoke(cli, ["synth", "--scale", "2", "--seed", "5", "--out", str(out)])
    assert result.exit_code == 0, result.output
    real = (default_data_dir() / "bodies.csv").read_text(encoding="utf-8").count("\n") - 1
    assert f"bodies: {2 * real} rows" in result.output
    files = synthesize(2, 5)
    assert sorted(p.name for p in out.iterdir()) == sorted(files)
    for name, text in files.items():
        assert (out / name).read_bytes() == text.encode("utf-8")


@pytest.mark.parametrize("args", [["--scale", "0.5"], ["--scale", "nan"], ["--seed", "-1"]])
def test_bad_arguments_are_refused_without_writing(tmp_path, args):
    out = tmp_path / "pkg"
    result = CliRunner().invoke(cli, ["synth", *args, "--out", str(out)])
    assert result.exit_code == 2
    assert "Error:" in result.output and "Traceback" not in result.output
    assert not out.exists()


def test_every_row_is_sourced_and_the_real_rows_kept(real):
    files = synthesize(4, 1)
    sources = {s["id"]: s for s in rows(files, "sources.csv")}
    assert "Not a real document" in sources[SYNTH_SOURCE]["note"]
    for name in real:
        path = f"{name}.csv"
        got = rows(files, path)
        real_keys = {tuple(r.values()) for r in real[name]}
        assert real_keys <= {tuple(r.values()) for r in got}, name  # curated rows kept as they are
        for r in got:
            if "source_id" in r and tuple(r.values()) not in real_keys:
                assert r["source_id"] == SYNTH_SOURCE, (name, r)
                assert r["locator"].startswith("igfgraph synth, "), (name, r)


def test_statistics_follow_the_real_data(real):
    scale = 10
    files = synthesize(scale, 2)
    bodies = rows(files, "bodies.csv")
    kind = {b["id"]: b["kind"] for b in bodies}
    synthetic = {b["id"] for b in bodies if b["source_id"] == SYNTH_SOURCE}

    def themes_per_dc(table, ids):
        per = Counter(r["body_id"] for r in table if r["body_id"] in ids)
        return sum(per.values()) / len(ids)

    real_dcs = {b["id"] for b in real["bodies"] if b["kind"] == "dynamic-coalition"}
    syn_dcs = {i for i in synthetic if kind[i] == "dynamic-coalition"}
    real_mean = themes_per_dc(real["body_themes"], real_dcs)
    syn_mean = themes_per_dc(rows(files, "body_themes.csv"), syn_dcs)
    assert abs(syn_mean - real_mean) < 0.25 * real_mean
    # sessions per meeting grow with the scale (each meeting keeps its share, roughly)
    per_meeting_real = Counter(s["meeting_id"] for s in real["sessions"])
    per_meeting = Counter(s["meeting_id"] for s in rows(files, "sessions.csv"))
    total_real, total = sum(per_meeting_real.values()), sum(per_meeting.values())
    assert 0.6 * scale < total / total_real < 1.4 * scale
    for meeting, n in per_meeting_real.items():
        if n >= 10:
            assert 0.3 * scale < per_meeting[meeting] / n < 2 * scale, meeting
    # collaborations: co-organised sessions and liaisons of synthetic bodies exist, with
    # synthetic partners, never with themselves
    organisers = Counter(r["session_id"] for r in rows(files, "session_organizers.csv"))
    assert sum(1 for s, n in organisers.items() if n > 1 and "syn-" in s) > 0
    liaisons = [r for r in rows(files, "liaisons.csv") if r["source_id"] == SYNTH_SOURCE]
    assert len(liaisons) > 5 * len(real["liaisons"])
    assert all(r["party_a"] != r["party_b"] for r in liaisons)
    # outputs per body and register entries of synthetic DCs (one per register)
    assert len(rows(files, "outputs.csv")) > 5 * len(real["outputs"])
    entries = Counter(r["body_id"] for r in rows(files, "register_entries.csv"))
    assert all(entries[i] == len(real["registers"]) for i in syn_dcs)
