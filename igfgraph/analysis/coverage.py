"""Coverage of the theme scheme: which themes many bodies address, and which none."""

from __future__ import annotations

import networkx as nx
import pandas as pd

from igfgraph.csvio import LIST_SEPARATOR
from igfgraph.kinds import NRI_KINDS

__all__ = ["COVERAGE_COLUMNS", "KIND_GROUPS", "theme_coverage"]

#: column of the coverage table → the ``bodies.kind`` values it counts
KIND_GROUPS = {
    "dcs": ("dynamic-coalition",),
    "bpfs": ("best-practice-forum",),
    "pns": ("policy-network",),
    "nris": NRI_KINDS,
}

COVERAGE_COLUMNS = [
    "theme",
    "label",
    "broader",
    "bodies",
    *KIND_GROUPS,
    "other",
    "coverage",
    "addressed_by",
]


def theme_coverage(B: nx.Graph, *, many: int = 5) -> pd.DataFrame:
    """Count, for each theme, the bodies that address it and their kinds.

    Parameters
    ----------
    B : networkx.Graph
        Body × theme bipartite graph (:func:`igfgraph.analysis.body_theme_graph`).
    many : int, default 5
        From how many bodies a theme counts as covered by ``"many"``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COVERAGE_COLUMNS`: ``theme`` (IRI), ``label``, ``broader`` (label
        of the broader theme, ``""`` for a top concept), ``bodies`` (count), ``dcs``,
        ``bpfs``, ``pns``, ``nris``, ``other`` (counts per kind of body), ``coverage``
        (``"none"``, ``"one"``, ``"several"`` for 2 to ``many`` − 1, ``"many"``) and
        ``addressed_by`` (labels, sorted, ``"; "``-joined). Sorted by ``bodies``
        (descending), then label.
    """
    rows = []
    for t, d in B.nodes(data=True):
        if d.get("bipartite") != 1:
            continue
        kinds = [B.nodes[b].get("kind", "") for b in B[t]]
        counts = {col: sum(k in members for k in kinds) for col, members in KIND_GROUPS.items()}
        n = len(kinds)
        broader = d.get("broader")
        rows.append(
            {
                "theme": t,
                "label": d.get("label", t),
                "broader": B.nodes[broader].get("label", "") if broader in B else "",
                "bodies": n,
                **counts,
                "other": n - sum(counts.values()),
                "coverage": "none"
                if n == 0
                else "one"
                if n == 1
                else "several"
                if n < many
                else "many",
                "addressed_by": LIST_SEPARATOR.join(
                    sorted(B.nodes[b].get("label", b) for b in B[t])
                ),
            }
        )
    frame = pd.DataFrame(rows, columns=COVERAGE_COLUMNS)
    return frame.sort_values(["bodies", "label"], ascending=[False, True]).reset_index(drop=True)
