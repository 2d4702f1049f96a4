"""The one place that mints IRIs from curated ids.

Instances live under ``https://w3id.org/igfgraph/id/{segment}/{id}``; ``id`` is the
curated ``id`` column of the data (never computed from a display name).
"""

from __future__ import annotations

import re
import unicodedata

from rdflib import URIRef

from igfgraph.kinds import KINDS
from igfgraph.kinds import kind_of_class as _kind_of_class
from igfgraph.namespaces import ID

__all__ = [
    "BODY_KINDS",
    "ID_PATTERN",
    "body_class",
    "body_iri",
    "iri",
    "kind_of_class",
    "local_name",
    "slug",
    "year_of",
]

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

#: body kind (``bodies.kind``) → (RDF class, IRI segment), read from :data:`igfgraph.kinds.KINDS`
BODY_KINDS: dict[str, tuple[URIRef, str]] = {k: (v.cls, v.segment) for k, v in KINDS.items()}


def iri(segment: str, *ids: str) -> URIRef:
    """Mint the IRI of an instance.

    Parameters
    ----------
    segment : str
        The kind of thing, e.g. ``"theme"``, ``"source"``, ``"liaison"``.
    *ids : str
        One curated id, or several for a link node (``iri("focus", "dc3", "community-networks")``).

    Returns
    -------
    rdflib.URIRef
        ``https://w3id.org/igfgraph/id/{segment}/{id}[/{id}…]``.

    Raises
    ------
    ValueError
        An id is not lower-case ASCII letters, digits and single hyphens.

    Examples
    --------
    >>> str(iri("theme", "child-rights"))
    'https://w3id.org/igfgraph/id/theme/child-rights'
    """
    for part in (segment, *ids):
        if not ID_PATTERN.match(part):
            msg = f"not a valid igfgraph id: {part!r} (use lower-case letters, digits and hyphens)"
            raise ValueError(msg)
    return ID["/".join((segment, *ids))]


def body_class(kind: str) -> URIRef:
    """Return the RDF class for a ``bodies.kind`` value.

    Parameters
    ----------
    kind : str
        A value of the ``kind`` enum of ``bodies.csv``.

    Returns
    -------
    rdflib.URIRef
        The igf: class.

    Raises
    ------
    KeyError
        Unknown kind.
    """
    return BODY_KINDS[kind][0]


def kind_of_class(cls: URIRef) -> str | None:
    """Return the ``bodies.kind`` value for an igf: class, or ``None``."""
    return _kind_of_class(cls)


def body_iri(kind: str, body_id: str) -> URIRef:
    """Return the IRI of a body, e.g. ``…/id/dc/dc3`` for a Dynamic Coalition.

    Parameters
    ----------
    kind : str
        A value of the ``kind`` enum of ``bodies.csv``.
    body_id : str
        The curated id.

    Returns
    -------
    rdflib.URIRef
        The body's IRI.
    """
    return iri(BODY_KINDS[kind][1], body_id)


def slug(text: str) -> str:
    """Turn a name into an id segment: ASCII lower case, runs of other characters a hyphen.

    Used for the agents that publish sources (``id/agent/{slug}``), which the tables name
    but do not give an id.

    Raises
    ------
    ValueError
        Nothing of ``text`` is left (no letter or digit).

    Examples
    --------
    >>> slug("Geneva Internet Platform / DiploFoundation")
    'geneva-internet-platform-diplofoundation'
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    out = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    if not out:
        msg = f"no id can be made from {text!r}"
        raise ValueError(msg)
    return out


def local_name(iri: str) -> str:
    """Return the last segment of an IRI (after ``#`` or the last ``/``): the curated id.

    Examples
    --------
    >>> local_name("https://w3id.org/igfgraph/id/dc/dc3")
    'dc3'
    """
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def year_of(value: str) -> int | None:
    """Return the year of an ``xsd:integer`` year or an ``xsd:date``/``xsd:gYear`` lexical form.

    ``None`` for an empty or undated value.

    Examples
    --------
    >>> year_of("2021-12-06"), year_of("")
    (2021, None)
    """
    head = value[:4]
    return int(head) if len(head) == 4 and head.isdigit() else None
