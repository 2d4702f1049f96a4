"""``report.md``: the findings of a run in plain language, with their limits."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pyoxigraph as ox

from igfgraph.evidence import DEFAULT_EVIDENCE, EVIDENCE_TYPES, evidence_label
from igfgraph.sparql import query_frame

__all__ = ["Findings", "render_report"]

_COUNTS = """
SELECT ?label (COUNT(DISTINCT ?x) AS ?n) WHERE {
  VALUES (?class ?label) {
    (igf:DynamicCoalition "Dynamic Coalitions") (igf:Body "Bodies (all kinds)")
    (igf:Theme "Themes") (igf:Liaison "Liaisons (every evidence type)") (igf:Output "Outputs")
    (igf:AnnualMeeting "Annual meetings") (igf:Session "Sessions")
    (igf:Recommendation "Recommendations") (igf:Source "Sources")
  }
  ?x a/rdfs:subClassOf* ?class .
} GROUP BY ?label ORDER BY ?label
"""

_BASIS = """
SELECT ?basis (COUNT(?f) AS ?n) WHERE { ?f a igf:ThematicFocus ; igf:basis/skos:prefLabel ?basis }
GROUP BY ?basis ORDER BY ?basis
"""

_NO_SESSION = """
SELECT ?name WHERE {
  ?dc a igf:DynamicCoalition ; skos:prefLabel ?name ; igf:listedIn ?reg .
  ?reg dcterms:identifier "dc-list-2022-03" .
  FILTER NOT EXISTS { ?s igf:organizedBy ?dc ; igf:heldAt/igf:year 2021 }
} ORDER BY ?name
"""

_LIAISON_SOURCES = """
SELECT DISTINCT ?title WHERE {
  ?l a igf:Liaison ; igf:evidenceType igf:EvidenceStated ; prov:wasDerivedFrom/dcterms:title ?title
} ORDER BY ?title
"""

_EVIDENCE = """
SELECT ?evidence ?l ?start WHERE {
  ?l a igf:Liaison ; igf:evidenceType/skos:notation ?notation .
  BIND (STR(?notation) AS ?evidence)  # skos:notation is typed igf:Notation
  OPTIONAL { ?l igf:startYear ?start }
}
"""


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
    """

    overlap: pd.DataFrame
    gaps: pd.DataFrame
    centrality: pd.DataFrame
    communities: pd.DataFrame
    coverage: pd.DataFrame
    recommendations: pd.DataFrame
    modularity: float


def render_report(
    store: ox.Store,
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
    store : pyoxigraph.Store
        The built graph, loaded for SPARQL.
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
    counts = query_frame(store, _COUNTS).rename(columns={"label": "what", "n": "count"})
    basis = query_frame(store, _BASIS).rename(
        columns={"basis": "basis of body–theme link", "n": "links"}
    )
    no_session = query_frame(store, _NO_SESSION)
    liaison_sources = query_frame(store, _LIAISON_SOURCES)["title"].tolist()
    liaisons = query_frame(store, _EVIDENCE)
    by_evidence = pd.DataFrame(
        [
            {
                "evidence": t,
                "liaisons": int(liaisons.loc[liaisons["evidence"] == t, "l"].nunique()),
                "first year": min(
                    (y[:4] for y in liaisons.loc[liaisons["evidence"] == t, "start"] if y),
                    default="",
                ),
                "counted": "yes" if t in evidence else "no",
            }
            for t in EVIDENCE_TYPES
        ]
    )
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
        f"{len(f.gaps)} pairs of active bodies, at least one of them a Dynamic Coalition, overlap by at "
        f"least {min_overlap} and have no recorded liaison within {max_hops} liaison {'hop' if max_hops == 1 else 'hops'} — hops are "
        "counted on liaisons only, not on coordination by the DCCG. They are ranked by a "
        "Jaccard weighted by theme rarity and specificity (`score`): a shared rare, narrow theme counts more than a shared common or broad one.",
        "",
    ]
    for row in f.gaps.head(3).itertuples(index=False):
        lines.append(f"- **{_esc(row.label_a)} and {_esc(row.label_b)}**: {_esc(row.evidence)}.")
    lines += [
        "",
        _md(top_gaps.round(3)),
        "",
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
            f"On the governance graph (liaisons and governance relations), {_esc(top.label)} has the highest "
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
        "## Dynamic Coalitions of March 2022 without an IGF 2021 session",
        "",
        _md(no_session),
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
        "- Closed bodies are left out of the gaps; `igfgraph gaps --as-of YEAR` looks at another year.",
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
