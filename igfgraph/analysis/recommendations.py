"""The DCCG's recommendations as pairs of parties, and which of them no liaison realises yet."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import combinations

import pandas as pd

from igfgraph.analysis.graphs import model_of
from igfgraph.evidence import DEFAULT_EVIDENCE

__all__ = [
    "RECOMMENDATION_COLUMNS",
    "recommendation_parties",
    "unrealised_recommendations",
]

RECOMMENDATION_COLUMNS = [
    "recommendation",
    "title",
    "locator",
    "party_a",
    "party_b",
    "label_a",
    "label_b",
    "liaisons",
    "realised",
]


def _label(model, iri: str) -> str:
    body = model.bodies.get(iri)
    return body.name if body else iri


def recommendation_parties(source) -> pd.DataFrame:
    """List every recommendation with each party it names.

    Parameters
    ----------
    source : igfgraph.model.ReadModel, rdflib.Graph or pyoxigraph.Store

    Returns
    -------
    pandas.DataFrame
        One row per (recommendation, party): ``recommendation`` (IRI), ``title``,
        ``locator`` (where in the source), ``source`` (source title), ``party`` (IRI),
        ``label`` and ``member_kinds`` — for a modality node ("the Policy Networks"), the
        body kinds it stands for; empty for a single body. Sorted.
    """
    model = model_of(source)
    rows = [
        {
            "recommendation": r.iri,
            "title": r.title,
            "locator": r.locator,
            "source": r.source,
            "party": p.iri,
            "label": _label(model, p.iri),
            "member_kinds": p.member_kinds,
        }
        for r in model.recommendations
        for p in r.parties
    ]
    columns = ["recommendation", "title", "locator", "source", "party", "label", "member_kinds"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["recommendation", "party"]).reset_index(drop=True)


def unrealised_recommendations(source, evidence: Iterable[str] | None = None) -> pd.DataFrame:
    """Check each pair of parties a recommendation names against the recorded collaborations.

    A pair ``(p, q)`` is *realised* when some collaboration joins ``p`` or one of the
    bodies it stands for with ``q`` or one of the bodies it stands for (a collaboration
    with the modality node itself counts: DCAD's liaison with "the NRIs" realises
    DCs–NRIs).

    Parameters
    ----------
    source : igfgraph.model.ReadModel, rdflib.Graph or pyoxigraph.Store
    evidence : iterable of str, optional
        Evidence types of the collaborations counted
        (:data:`igfgraph.evidence.DEFAULT_EVIDENCE`: a co-presence
        at a main session is not working together).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`RECOMMENDATION_COLUMNS`, one row per recommendation and pair of
        named parties: ``liaisons`` counts the collaborations realising it and ``realised``
        is ``liaisons > 0``. Unrealised pairs first, then by recommendation and parties.
    """
    model = model_of(source)
    wanted = DEFAULT_EVIDENCE if evidence is None else tuple(evidence)
    links = [
        (model.bodies[c.a], model.bodies[c.b])
        for c in model.collaborations_with(wanted)
        if c.a in model.bodies and c.b in model.bodies
    ]
    rows = []
    for rec in model.recommendations:
        for p, q in combinations(rec.parties, 2):
            count = sum(
                1
                for x, y in links
                if (p.stands_for(x) and q.stands_for(y)) or (p.stands_for(y) and q.stands_for(x))
            )
            rows.append(
                {
                    "recommendation": rec.iri,
                    "title": rec.title,
                    "locator": rec.locator,
                    "party_a": p.iri,
                    "party_b": q.iri,
                    "label_a": _label(model, p.iri),
                    "label_b": _label(model, q.iri),
                    "liaisons": count,
                    "realised": count > 0,
                }
            )
    frame = pd.DataFrame(rows, columns=RECOMMENDATION_COLUMNS)
    return frame.sort_values(["realised", "recommendation", "party_a", "party_b"]).reset_index(
        drop=True
    )
