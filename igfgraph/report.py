"""``report.md``: the findings of a run in plain language, with their limits."""

from __future__ import annotations

import pandas as pd
import pyoxigraph as ox

from igfgraph.sparql import query_frame

__all__ = ["render_report"]

_COUNTS = """
SELECT ?label (COUNT(DISTINCT ?x) AS ?n) WHERE {
  VALUES (?class ?label) {
    (igf:DynamicCoalition "Dynamic Coalitions") (igf:Body "Bodies (all kinds)")
    (igf:Theme "Themes") (igf:Liaison "Recorded liaisons") (igf:Output "Outputs")
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
  FILTER NOT EXISTS { ?s igf:organizedBy ?dc ; igf:heldAt/igf:year "2021"^^xsd:gYear }
} ORDER BY ?name
"""

_RECOMMENDATIONS = """
SELECT ?title (GROUP_CONCAT(?party; separator=", ") AS ?parties) ?locator WHERE {
  ?r a igf:Recommendation ; skos:prefLabel ?title ; igf:recommends/skos:prefLabel ?party .
  OPTIONAL { ?r igf:sourceLocator ?locator }
} GROUP BY ?title ?locator ORDER BY ?locator ?title
"""

_LIAISON_SOURCES = """
SELECT DISTINCT ?title WHERE {
  ?l a igf:Liaison ; prov:wasDerivedFrom/dcterms:title ?title
} ORDER BY ?title
"""


def _md(frame: pd.DataFrame) -> str:
    return frame.to_markdown(index=False) if not frame.empty else "_(none)_"


def render_report(
    store: ox.Store,
    overlap: pd.DataFrame,
    gaps: pd.DataFrame,
    *,
    version: str,
    conforms: bool,
    files: list[str],
    min_overlap: float,
    max_hops: int,
) -> str:
    """Render ``report.md``.

    Parameters
    ----------
    store : pyoxigraph.Store
        The built graph, loaded for SPARQL.
    overlap : pandas.DataFrame
        Output of :func:`igfgraph.analysis.theme_overlap`.
    gaps : pandas.DataFrame
        Output of :func:`igfgraph.analysis.liaison_gaps`.
    version : str
        Data package version.
    conforms : bool
        Result of SHACL validation.
    files : list of str
        Names of the files written beside the report.
    min_overlap, max_hops : float, int
        Parameters the gaps were computed with.

    Returns
    -------
    str
        Markdown; deterministic for the same inputs (no timestamps).
    """
    counts = query_frame(store, _COUNTS).rename(columns={"label": "what", "n": "count"})
    basis = query_frame(store, _BASIS).rename(
        columns={"basis": "basis of body–theme link", "n": "links"}
    )
    no_session = query_frame(store, _NO_SESSION)
    recs = query_frame(store, _RECOMMENDATIONS)
    liaison_sources = query_frame(store, _LIAISON_SOURCES)["title"].tolist()

    top_overlap = overlap.head(10)[
        ["label_a", "label_b", "shared", "jaccard", "shared_themes"]
    ].copy()
    top_overlap["jaccard"] = top_overlap["jaccard"].round(3)
    top_gaps = gaps.head(20)[
        ["rank", "label_a", "label_b", "jaccard", "shared_themes", "hops"]
    ].copy()
    top_gaps["jaccard"] = top_gaps["jaccard"].round(3)
    top_gaps["hops"] = top_gaps["hops"].astype("object").where(top_gaps["hops"].notna(), "none")

    lines = [
        "# igfgraph report",
        "",
        f"Data package version {version}. SHACL validation: "
        + ("conforms." if conforms else "VIOLATIONS (see `igfgraph validate`)."),
        "",
        "## What is in the graph",
        "",
        _md(counts),
        "",
        _md(basis),
        "",
        "A *stated* link is one the source names; a *curated* link is our judgement from the "
        "source's description of the body. Filter on `igf:basis` to use only stated links.",
        "",
        "## Thematic overlap",
        "",
        f"{len(overlap)} pairs of bodies share at least one theme. Overlap is the Jaccard "
        "similarity of their theme sets (shared themes ÷ all themes of the two). The ten "
        "strongest pairs:",
        "",
        _md(top_overlap),
        "",
        "## Liaison gaps",
        "",
        f"{len(gaps)} pairs overlap by at least {min_overlap} and have no recorded liaison "
        f"within {max_hops} hop(s) — hops are counted on liaisons only, not on coordination by "
        "the DCCG. The strongest, with the shared themes as evidence:",
        "",
        _md(top_gaps),
        "",
        "## Dynamic Coalitions of March 2022 without an IGF 2021 session",
        "",
        _md(no_session),
        "",
        "## The DCCG's recommendations (2022) and the bodies they name",
        "",
        _md(recs),
        "",
        "## Limits",
        "",
        "- *No recorded liaison* means none in our sources, not that the bodies never talk. "
        "Liaisons come from: "
        + ("; ".join(liaison_sources) if liaison_sources else "(none)")
        + ".",
        '- A link to a whole modality ("the NRIs", "the Policy Networks") is not counted as a '
        "pairwise liaison.",
        "- Bodies without recorded themes are left out of overlap and gaps (themes unknown, "
        "not zero overlap).",
        "- Theme links marked *curated* are our reading of the sources; see the table above.",
        "",
        "## Files",
        "",
        *[f"- `{name}`" for name in files],
        "",
    ]
    return "\n".join(lines)
