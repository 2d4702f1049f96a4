"""``report.md``: the findings of a run in plain language, with their limits."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from igfgraph.analysis.backtest import CHOICE_SPLIT, CLEAN, UNDATED, Backtest
from igfgraph.analysis.presence import without_session
from igfgraph.evidence import DEFAULT_EVIDENCE, EVIDENCE_TYPES, evidence_label
from igfgraph.kinds import DC, KINDS
from igfgraph.model import ReadModel

__all__ = ["Findings", "backtest_section", "render_report"]

#: the year whose sessions the report checks (the DCCG paper's Annex A)
SESSION_YEAR = 2021


def _counts(model: ReadModel) -> pd.DataFrame:
    rows = {
        "Dynamic Coalitions": len(model.of_kind(DC)),
        "Bodies (all kinds)": sum(1 for b in model.bodies.values() if KINDS[b.kind].is_body),
        "Themes": len(model.themes),
        "Liaisons (every evidence type)": len(model.collaborations),
        "Outputs": len(model.outputs),
        "Annual meetings": len(model.meetings),
        "Sessions": len(model.sessions),
        "Recommendations": len(model.recommendations),
        "Sources": len(model.sources),
    }
    return pd.DataFrame(sorted(rows.items()), columns=["what", "count"])


def _by_evidence(model: ReadModel, evidence: tuple[str, ...]) -> pd.DataFrame:
    rows = []
    for t in EVIDENCE_TYPES:
        mine = [c for c in model.collaborations if c.evidence == t]
        years = [c.first_year for c in mine if c.first_year is not None]
        rows.append(
            {
                "evidence": t,
                "liaisons": len(mine),
                "first year": str(min(years)) if years else "",
                "counted": "yes" if t in evidence else "no",
            }
        )
    return pd.DataFrame(rows)


def _basis(model: ReadModel) -> pd.DataFrame:
    counts: dict[str, int] = {}
    for f in model.focus:
        counts[f.basis] = counts.get(f.basis, 0) + 1
    return pd.DataFrame(sorted(counts.items()), columns=["basis of body–theme link", "links"])


def _esc(value) -> str:
    """Make a value safe inside Markdown: no HTML, no table breaks, one line."""
    text = " ".join(str(value).split())
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")


def _md(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "_(none)_"
    safe = frame.copy()
    for column in safe.columns:
        if pd.api.types.is_string_dtype(safe[column]) or safe[column].dtype == object:
            safe[column] = safe[column].map(_esc)
    return safe.to_markdown(index=False)


def _names(labels) -> str:
    labels = [_esc(label) for label in labels]
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]


@dataclass
class Findings:
    """Everything ``report.md`` reports on, computed by :func:`igfgraph.pipeline.run_all`.

    Attributes
    ----------
    overlap, gaps, centrality, communities, coverage, recommendations : pandas.DataFrame
        The outputs of the analyses of :mod:`igfgraph.analysis`.
    modularity : float
        Modularity of the community partition.
    backtest : igfgraph.analysis.backtest.Backtest, optional
        The back-test of the gap ranking (``None``: the data spans too few years; the
        report says so).
    """

    overlap: pd.DataFrame
    gaps: pd.DataFrame
    centrality: pd.DataFrame
    communities: pd.DataFrame
    coverage: pd.DataFrame
    recommendations: pd.DataFrame
    modularity: float
    backtest: Backtest | None = None


def render_report(
    model: ReadModel,
    findings: Findings,
    *,
    version: str,
    conforms: bool,
    files: list[str],
    min_overlap: float,
    max_hops: int,
    evidence: tuple[str, ...] = DEFAULT_EVIDENCE,
) -> str:
    """Render ``report.md``: one section per analysis, top findings in plain words, limits.

    Parameters
    ----------
    model : igfgraph.model.ReadModel
        The graph's facts (:func:`igfgraph.model.read_model`).
    findings : Findings
        The analyses' results.
    version : str
        Data package version.
    conforms : bool
        Result of SHACL validation.
    files : list of str
        Names of the files written beside the report.
    min_overlap, max_hops : float, int
        Parameters the gaps were computed with.
    evidence : tuple of str, default :data:`igfgraph.evidence.DEFAULT_EVIDENCE`
        Liaison evidence types the gaps, centrality and communities counted; the report
        says so at its head.

    Returns
    -------
    str
        Markdown; deterministic for the same inputs (no timestamps).
    """
    f = findings
    counts = _counts(model)
    basis = _basis(model)
    no_session = without_session(model, SESSION_YEAR)
    liaison_sources = sorted(
        {
            s.title
            for c in model.collaborations
            if c.evidence == "stated"
            for s in model.sources_of(c.iri)
        }
    )
    by_evidence = _by_evidence(model, evidence)
    counted = evidence_label(evidence)

    top_overlap = f.overlap.head(10)[
        ["label_a", "label_b", "shared", "jaccard", "skos_jaccard", "shared_themes"]
    ]
    top_gaps = f.gaps.head(20)[
        ["rank", "label_a", "label_b", "score", "jaccard", "shared_themes", "hops"]
    ].copy()
    top_gaps["hops"] = top_gaps["hops"].astype("object").where(top_gaps["hops"].notna(), "none")
    top_gaps["covered by a DCCG recommendation"] = [
        "yes" if r else "" for r in f.gaps.head(20)["recommended_by"]
    ]

    lines = [
        "# igfgraph report",
        "",
        f"Data package version {version}. SHACL validation: "
        + ("conforms." if conforms else "VIOLATIONS (see `igfgraph validate`)."),
        "",
        f"Liaison evidence counted in gaps, centrality and communities: {counted}.",
        "",
        "## What is in the graph",
        "",
        _md(counts),
        "",
        "Liaisons by evidence: *stated* ones come from a source that says two bodies work "
        "together; *co-organised*, *co-authored* and *co-presence* ones are derived from the "
        "sessions and outputs (co-presence: both took part in the same main session, a weak "
        "tie counted only with `--evidence co-presence`).",
        "",
        _md(by_evidence),
        "",
        _md(basis),
        "",
        "A *stated* link is one the source names; a *curated* link is our judgement from the "
        "source's description of the body. Filter on `igf:basis` to use only stated links.",
        "",
        "## Thematic overlap",
        "",
        f"{len(f.overlap)} pairs of bodies share at least one theme or a closely related one. "
        "`jaccard` is the share of their themes they have in common; `skos_jaccard` also counts "
        "sibling or parent/child themes as half a match; the other measures are in `overlap.csv`.",
    ]
    if not f.overlap.empty:
        first = f.overlap.iloc[0]
        lines += [
            "",
            f"The strongest overlap is between {_esc(first.label_a)} and {_esc(first.label_b)} "
            f"(Jaccard {first.jaccard:.2f}: {_esc(first.shared_themes)}).",
        ]
    lines += [
        "",
        _md(top_overlap.round(3)),
        "",
        "## Liaison gaps",
        "",
        f"{len(f.gaps)} gaps. {f.gaps.attrs.get('rule', '')} Hops are counted on recorded "
        "collaborations only, not on coordination by the DCCG. They are ranked by a "
        "Jaccard weighted by theme rarity and specificity (`score`): a shared rare, narrow theme counts more than a shared common or broad one."
        + (
            f" {f.gaps.attrs['unknown']} of the bodies in them have no dated evidence of activity in {f.gaps.attrs['year']} (activity unknown)."
            if f.gaps.attrs.get("unknown")
            else ""
        ),
        "",
    ]
    for row in f.gaps.head(3).itertuples(index=False):
        lines.append(f"- **{_esc(row.label_a)} and {_esc(row.label_b)}**: {_esc(row.evidence)}.")
    lines += [
        "",
        _md(top_gaps.round(3)),
        "",
    ]
    if f.backtest is not None:
        lines += [backtest_section(f.backtest), ""]
    else:
        lines += [
            "## Would the gap ranking have seen it coming? (back-test)",
            "",
            "Not run: the data spans too few years for a cut-off whose following years are "
            "in the data (`igfgraph backtest` says which).",
            "",
        ]
    lines += [
        "## The DCCG's recommendations (2022) against the recorded liaisons",
        "",
    ]
    unrealised = f.recommendations[~f.recommendations["realised"]]
    realised = f.recommendations[f.recommendations["realised"]]
    lines += [
        f"The recommendations of §1.iv name {len(f.recommendations)} pairs of parties; "
        f"{len(realised)} are realised by at least one recorded liaison, {len(unrealised)} by none.",
        "",
        _md(f.recommendations[["title", "locator", "label_a", "label_b", "liaisons", "realised"]]),
        "",
        "## Who connects the IGF: centrality and brokerage",
        "",
    ]
    linked = f.centrality[~f.centrality["isolate"]]
    isolates = f.centrality[f.centrality["isolate"]]
    if not linked.empty:
        top = linked.iloc[0]
        brokers = linked.sort_values(["constraint", "node"]).head(3)["label"].tolist()
        lines += [
            f"On the network of recorded collaborations and governance relations (succession and merger are not ties), {_esc(top.label)} has the highest "
            f"betweenness ({top.betweenness:.3f}, {top.degree} links). The strongest brokers — lowest "
            f"constraint in Burt's sense — are {_names(brokers)}.",
            "",
        ]
    nri_isolates = int(isolates["kind"].str.endswith("-igf").sum())
    lines += [
        f"{len(isolates)} bodies have no recorded link at all ({nri_isolates} of them national, regional "
        "or youth IGFs).",
        "",
        _md(linked.head(10)[["label", "kind", "degree", "betweenness", "eigenvector", "constraint",
                             "effective_size"]].round(3)),
        "",
        "## Communities",
        "",
    ]  # fmt: skip
    sizes = f.communities.groupby("community")["node"].count()
    big = f.communities[f.communities["community"] == 0]["label"].tolist()
    lines += [
        f"Louvain (seed 42) finds {len(sizes)} communities, {int((sizes > 1).sum())} with more than one "
        f"member; modularity {f.modularity:.3f}. The largest ({len(big)} members): {_names(sorted(big))}.",
        "",
        "## Coverage of the theme scheme",
        "",
    ]
    many = f.coverage[f.coverage["coverage"] == "many"]["label"].tolist()
    one = f.coverage[f.coverage["coverage"] == "one"]["label"].tolist()
    none = f.coverage[f.coverage["coverage"] == "none"]["label"].tolist()
    lines += [
        "Counting direct links only (a body linked to a narrower theme does not count for its "
        "broader one):",
        "",
        f"- addressed by many bodies (5 or more): {'; '.join(map(_esc, many)) or 'none'};",
        f"- addressed by one body only: {'; '.join(map(_esc, one)) or 'none'};",
        f"- addressed by no body directly: {'; '.join(map(_esc, none)) or 'none'}.",
        "",
        _md(
            f.coverage[
                ["label", "broader", "bodies", "dcs", "bpfs", "pns", "nris", "other", "coverage"]
            ]
        ),
        "",
        f"## Dynamic Coalitions active in {SESSION_YEAR} without an IGF {SESSION_YEAR} session",
        "",
        'Active as `ontology/README.md` defines it ("Active in a year"), as '
        f"`igfgraph query --name dcs-without-session --param year={SESSION_YEAR}` answers.",
        "",
        _md(no_session[["name"]]),
        "",
        (
            f"Not counted, their activity in {SESSION_YEAR} being unknown: "
            f"{_names(no_session.attrs['unknown'])}."
            if no_session.attrs["unknown"]
            else f"No coalition without a session was of unknown activity in {SESSION_YEAR}."
        ),
        "",
        "## Limits",
        "",
        "- *No recorded liaison* means none in our sources, not that the bodies never talk. "
        "Derived liaisons come from the sessions and outputs; stated liaisons from: "
        + ("; ".join(liaison_sources) if liaison_sources else "(none)")
        + ".",
        '- A link to a whole modality ("the NRIs", "the Policy Networks") is not counted as a '
        "pairwise liaison.",
        "- Bodies without recorded themes (all NRIs so far) are left out of overlap and gaps: their "
        "themes are unknown, which is not zero overlap.",
        "- Bodies inactive in the latest year of the data are left out of the gaps; `igfgraph gaps --as-of YEAR` looks at the bodies active in another year.",
        "- Theme links marked *curated* are our reading of the sources; see the table above.",
        "- The text measure (`text_cosine`) compares our own summaries; it is reported beside the "
        "theme measures and never mixed into the score.",
        "",
        "## Files",
        "",
        *[f"- `{name}`" for name in files],
        "",
    ]
    return "\n".join(lines)


def _ci(row, key: str, digits: int = 3) -> str:
    value, lo, hi = row[key], row[f"{key}_lo"], row[f"{key}_hi"]
    if pd.isna(value):
        return "–"
    return f"{value:.{digits}f} [{lo:.{digits}f}, {hi:.{digits}f}]"


def _pooled_table(pooled: pd.DataFrame, variant: str, cutoffs: str) -> pd.DataFrame:
    rows = pooled[(pooled["variant"] == variant) & (pooled["cutoffs"] == cutoffs)]
    return pd.DataFrame(
        {
            "predictor": rows["predictor"],
            "cut-offs": rows["years"],
            "positives": rows["positives"],
            "precision@k [95% interval]": [_ci(r, "precision_at_k") for _, r in rows.iterrows()],
            "× random [95% interval]": [_ci(r, "factor", 2) for _, r in rows.iterrows()],
            "precision@10": rows["precision_at_10"].round(3),
            "precision@20": rows["precision_at_20"].round(3),
            "AP": rows["average_precision"].round(3),
            "ROC AUC": rows["roc_auc"].round(3),
        }
    )


def _row(pooled: pd.DataFrame, name: str, variant: str, cutoffs: str):
    rows = pooled[
        (pooled["predictor"] == name)
        & (pooled["variant"] == variant)
        & (pooled["cutoffs"] == cutoffs)
    ]
    return rows.iloc[0] if len(rows) else None


def backtest_section(result: Backtest) -> str:
    """Write the back-test's section of ``report.md`` in plain words.

    Parameters
    ----------
    result : igfgraph.analysis.backtest.Backtest

    Returns
    -------
    str
        Markdown (a level-2 heading, findings, the tables and the winner's hits).
    """
    s, c, choice, pooled = result.settings, result.cutoffs, result.choice, result.pooled
    n_pos, n_cand = int(c["positives"].sum()), int(c["candidates"].sum())
    with_pos = int((c["positives"] > 0).sum())
    lines = [
        "## Would the gap ranking have seen it coming? (back-test)",
        "",
        f"For every year Y from {s['from']} to {s['to']} we rebuilt the graph as it was known at "
        "the end of Y — the bodies active in Y, and only the collaborations, sessions and theme "
        "links dated up to Y — and let each predictor rank the pairs of bodies not yet linked "
        f"({'any pair' if s['all_pairs'] else 'at least one Dynamic Coalition in each pair'}). "
        f"A pair counts as a hit if it first collaborated in the {s['horizon']} years after Y "
        f"(evidence counted: {_esc(s['evidence'])}). This is the test of Liben-Nowell and "
        "Kleinberg (2007); precision@k takes the top k pairs, k being the number that did link.",
        "",
        f"The test is small and uneven: {n_pos} later collaborations among {n_cand} candidate "
        f"pairs, spread over {with_pos} of {len(c)} cut-offs; the years before 2015 have none, "
        "and our curation has found few sessions of the early years (table below). "
        f"Intervals are seeded bootstraps ({s['bootstrap']} replicates, seed {s['seed']}): "
        "candidate pairs are resampled within a cut-off, and cut-offs, then pairs, for a pooled "
        "figure.",
        "",
    ]
    default = _row(pooled, choice["default"], CLEAN, "report")
    pa = _row(pooled, "pref-attachment", CLEAN, "common")
    win = _row(pooled, choice["winner"], CLEAN, "common")
    if win is not None:
        over_pa = (
            f"; preferential attachment (big bodies link with big bodies) reaches "
            f"{pa['precision_at_k']:.3f} ({pa['factor']:.2f}× random)"
            if pa is not None
            else ""
        )
        lines += [
            f"**Winner.** On the cut-offs where every predictor runs ({win['years']}), the best "
            f"predictor that uses only facts known at the time is *{_esc(win['label'])}*: "
            f"precision@k {_ci(win, 'precision_at_k')}, {_ci(win, 'factor', 2)} times "
            f"random{over_pa}. "
            + (
                "Its interval excludes random."
                if win["factor_lo"] > 1
                else "Its interval includes random: with so few positives this is not "
                "evidence of signal."
            ),
            "",
        ]
    lines += [
        f"**The default of `igfgraph gaps`** is chosen on the cut-offs up to {CHOICE_SPLIT} and "
        f"reported on the later ones: {_esc(choice['reason'])}."
        + (
            f" Best on the early cut-offs: {_esc(choice['chosen_on'])}."
            if choice["chosen_on"]
            else ""
        )
        + (
            f" The default on {default['years']}: {_esc(choice['reported'])}."
            if default is not None and choice["reported"]
            else ""
        ),
        "",
    ]
    gap_undated = _row(pooled, "gap-score", UNDATED, "report")
    if not choice["beats_random"]:
        lines += [
            "**What it means.** Nothing known at the time predicted the later collaborations "
            "better than chance with any confidence. The gap score's own signal, shared themes, "
            "can so far be tested only on theme descriptions written today"
            + (
                f" (on {gap_undated['years']}: {gap_undated['factor']:.2f}× random, interval "
                f"{gap_undated['factor_lo']:.2f}–{gap_undated['factor_hi']:.2f})"
                if gap_undated is not None and pd.notna(gap_undated["factor"])
                else ""
            )
            + ", which flatters it: a description written after two bodies began to work "
            "together may already mention what they share. Read `igfgraph gaps` as a list of "
            "pairs worth a look, each with its evidence, not as a forecast.",
            "",
        ]
    else:
        lines += [
            f"**What it means.** Ranking by {_esc(choice['default'])} put more of the later "
            "collaborations near the top than chance did, on the years it was chosen on; the "
            "later years show whether that held. The evidence in each gaps row still matters "
            "more than the rank.",
            "",
        ]
    cut = c.drop(columns=["learned_trained_on"]).copy()
    cut["random_precision"] = cut["random_precision"].round(4)
    lines += [
        "Cut-offs (sessions found: the sessions our curation recorded in that year):",
        "",
        _md(cut),
        "",
        "Pooled over every cut-off, predictors that use only dated facts (Katz with "
        f"β = {s['katz_beta']}):",
        "",
        _md(_pooled_table(pooled, CLEAN, "all")),
        "",
        "Separately, never pooled with the above — predictors that **use undated descriptions** "
        "(the curated body–theme links, written from today's descriptions: optimistic):",
        "",
        _md(_pooled_table(pooled, UNDATED, "all")),
        "",
        f"Hits of the winner ({_esc(choice['winner'])}): pairs it ranked in its top 20, "
        "whatever the order among ties, that went on to collaborate:",
        "",
        _md(result.hits.drop(columns=["body_a", "body_b"]).round(3)),
    ]
    return "\n".join(lines)
