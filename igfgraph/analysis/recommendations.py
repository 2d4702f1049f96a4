"""The DCCG's recommendations as pairs of parties, and which of them no liaison realises yet."""

from __future__ import annotations

from itertools import combinations

import pandas as pd
import pyoxigraph as ox
from rdflib import Graph, URIRef

from igfgraph.analysis.graphs import as_store
from igfgraph.ids import kind_of_class
from igfgraph.namespaces import IGF
from igfgraph.sparql import query_frame

__all__ = [
    "RECOMMENDATION_COLUMNS",
    "covering_recommendations",
    "recommendation_parties",
    "unrealised_recommendations",
]

_NRI_KINDS = ("national-igf", "subregional-igf", "regional-igf", "youth-igf")

_PARTIES = """
SELECT ?r ?title ?locator ?source ?party ?label ?member ?class WHERE {
  ?r a igf:Recommendation ; skos:prefLabel ?title ; igf:recommends ?party .
  OPTIONAL { ?r igf:sourceLocator ?locator }
  OPTIONAL { ?r prov:wasDerivedFrom/dcterms:title ?source }
  ?party skos:prefLabel ?label ; a ?class .
  OPTIONAL { ?party igf:memberKind ?member }
}
"""

_ALL_LIAISONS = """
SELECT ?l ?a ?b ?ca ?cb WHERE {
  ?l a igf:Liaison ; igf:party ?a, ?b . FILTER (STR(?a) < STR(?b))
  ?l igf:evidenceType ?evidence . FILTER (?evidence != igf:EvidenceCoPresence)
  ?a a ?ca . ?b a ?cb .
}
"""

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


def _member_kinds(member: str) -> tuple[str, ...]:
    if not member:
        return ()
    if URIRef(member) == IGF.NRI:
        return _NRI_KINDS
    kind = kind_of_class(URIRef(member))
    return (kind,) if kind else ()


def recommendation_parties(source: Graph | ox.Store) -> pd.DataFrame:
    """List every recommendation with each party it names.

    Parameters
    ----------
    source : rdflib.Graph or pyoxigraph.Store
        The built graph.

    Returns
    -------
    pandas.DataFrame
        One row per (recommendation, party): ``recommendation`` (IRI), ``title``,
        ``locator`` (where in the source), ``source`` (source title), ``party`` (IRI),
        ``label`` and ``member_kinds`` — for a modality node ("the Policy Networks"), the
        body kinds it stands for; empty for a single body. Sorted.
    """
    frame = query_frame(as_store(source), _PARTIES)
    frame["member_kinds"] = [_member_kinds(m) for m in frame["member"]]
    frame = frame.rename(columns={"r": "recommendation"}).drop(columns=["member", "class"])
    frame = frame.drop_duplicates(["recommendation", "party"])
    return frame.sort_values(["recommendation", "party"]).reset_index(drop=True)


def _stands_for(party: str, kinds: tuple, node: str, kind: str | None) -> bool:
    """Say whether a named party (a body, or a modality standing for ``kinds``) covers a node."""
    return node == party or (bool(kinds) and kind in kinds)


def covering_recommendations(
    recommendations: pd.DataFrame | None, attrs_a: dict, a: str, attrs_b: dict, b: str
) -> list[str]:
    """Return the recommendations that ask two bodies (or their modalities) to engage.

    A recommendation covers the pair ``(a, b)`` when it names two different parties,
    one standing for ``a`` and the other for ``b`` — the body itself, or the modality of
    its kind (the DCCG's "network of DC liaisons with the Policy Networks and BPFs"
    covers every DC–PN and DC–BPF pair).

    Parameters
    ----------
    recommendations : pandas.DataFrame or None
        :func:`recommendation_parties`.
    attrs_a, attrs_b : dict
        Node attributes of the two bodies (``kind`` is used).
    a, b : str
        Their IRIs.

    Returns
    -------
    list of str
        ``"title (locator, source)"`` of each covering recommendation, sorted.
    """
    if recommendations is None or recommendations.empty:
        return []
    found = set()
    for _rec, group in recommendations.groupby("recommendation", sort=True):
        parties = list(group.itertuples(index=False))
        for p, q in combinations(parties, 2):
            if (
                _stands_for(p.party, p.member_kinds, a, attrs_a.get("kind"))
                and _stands_for(q.party, q.member_kinds, b, attrs_b.get("kind"))
            ) or (
                _stands_for(p.party, p.member_kinds, b, attrs_b.get("kind"))
                and _stands_for(q.party, q.member_kinds, a, attrs_a.get("kind"))
            ):
                first = parties[0]
                where = ", ".join(x for x in (first.locator, first.source) if x)
                found.add(f"{first.title} ({where})" if where else first.title)
                break
    return sorted(found)


def unrealised_recommendations(source: Graph | ox.Store) -> pd.DataFrame:
    """Check each pair of parties a recommendation names against the recorded liaisons.

    A pair ``(p, q)`` is *realised* when some ``igf:Liaison`` joins ``p`` or one of the
    bodies it stands for with ``q`` or one of the bodies it stands for (a liaison with the
    modality node itself counts: DCAD's liaison with "the NRIs" realises DCs–NRIs).
    Liaisons of every evidence type count except co-presence (taking part in the same
    main session is not working together).

    Parameters
    ----------
    source : rdflib.Graph or pyoxigraph.Store
        The built graph.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`RECOMMENDATION_COLUMNS`, one row per recommendation and pair of
        named parties: ``liaisons`` counts the liaisons realising it and ``realised`` is
        ``liaisons > 0``. Unrealised pairs first, then by recommendation and parties.
    """
    store = as_store(source)
    recs = recommendation_parties(store)
    links = []
    for row in query_frame(store, _ALL_LIAISONS).itertuples(index=False):
        links.append((row.a, kind_of_class(URIRef(row.ca)), row.b, kind_of_class(URIRef(row.cb))))

    rows = []
    for rec, group in recs.groupby("recommendation", sort=True):
        parties = sorted(group.itertuples(index=False), key=lambda r: r.party)
        for p, q in combinations(parties, 2):
            count = sum(
                1
                for x, kx, y, ky in links
                if (
                    _stands_for(p.party, p.member_kinds, x, kx)
                    and _stands_for(q.party, q.member_kinds, y, ky)
                )
                or (
                    _stands_for(p.party, p.member_kinds, y, ky)
                    and _stands_for(q.party, q.member_kinds, x, kx)
                )
            )
            rows.append(
                {
                    "recommendation": rec,
                    "title": p.title,
                    "locator": p.locator,
                    "party_a": p.party,
                    "party_b": q.party,
                    "label_a": p.label,
                    "label_b": q.label,
                    "liaisons": count,
                    "realised": count > 0,
                }
            )
    frame = pd.DataFrame(rows, columns=RECOMMENDATION_COLUMNS)
    return frame.sort_values(["realised", "recommendation", "party_a", "party_b"]).reset_index(
        drop=True
    )
