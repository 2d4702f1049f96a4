"""One resolver for body arguments: an id, an IRI, an acronym, a former name or a name.

It reads the tables (``bodies.csv`` and ``body_names.csv``), not the graph, so a command can
check ``--node``/``--body`` at once, before it builds and validates anything, and answer an
unknown name with "did you mean …" (fuzzy matching by RapidFuzz).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

from igfgraph.exceptions import InputError
from igfgraph.ids import body_iri
from igfgraph.namespaces import ID
from igfgraph.tables import Tables, load_tables

__all__ = ["BodyRef", "Resolver", "UnknownBodyError", "resolver_for"]

#: how an argument matched, strongest first (an exact id beats a name that reads the same)
_HOW = ("id", "iri", "acronym", "name", "alt-name", "former-acronym", "former-name")
#: smallest RapidFuzz WRatio (0-100) for a suggestion
_SUGGEST_CUTOFF = 60


class UnknownBodyError(InputError, ValueError):
    """No body, or more than one, answers to the argument; the message suggests names."""


@dataclass(frozen=True)
class BodyRef:
    """A body an argument resolved to.

    Attributes
    ----------
    id, kind, name : str
        Its curated id, ``bodies.kind`` and name.
    iri : str
        Its IRI.
    how : str
        What the argument matched: ``"id"``, ``"iri"``, ``"acronym"``, ``"name"``,
        ``"alt-name"``, ``"former-acronym"`` or ``"former-name"``.
    """

    id: str
    kind: str
    name: str
    iri: str
    how: str


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"\s+", " ", text).strip()


class Resolver:
    """Resolve body arguments against a list of bodies and their other names.

    Parameters
    ----------
    bodies : iterable of (str, str, str, str)
        ``(id, kind, name, iri)`` of every body.
    names : iterable of (str, str, str)
        ``(id, type, value)``: the other names, with ``type`` one of ``"acronym"``,
        ``"alt-name"``, ``"former-acronym"``, ``"former-name"`` (``body_names.type``).

    See Also
    --------
    Resolver.from_tables : the resolver of a data package (before any graph is built).
    """

    def __init__(
        self,
        bodies: Iterable[tuple[str, str, str, str]],
        names: Iterable[tuple[str, str, str]] = (),
    ):
        self._refs: dict[str, BodyRef] = {}
        self._keys: dict[str, dict[str, set[str]]] = {}  # normalised text -> how -> ids
        self._display: dict[str, str] = {}  # normalised text -> text as written
        for body_id, kind, name, iri in bodies:
            self._refs[body_id] = BodyRef(body_id, kind, name, iri, "id")
            self._add(body_id, "id", body_id)
            self._add(name, "name", body_id)
        for body_id, how, value in names:
            if body_id in self._refs:
                self._add(value, how, body_id)
        self._iris = {ref.iri: ref.id for ref in self._refs.values()}

    @classmethod
    def from_tables(cls, tables: Tables) -> Resolver:
        """Build the resolver of a data package (``bodies`` and ``body_names`` are read)."""
        return cls(
            ((r["id"], r["kind"], r["name"], str(body_iri(r["kind"], r["id"])))
             for _line, r in tables.rows("bodies")),
            ((r["body_id"], r["type"], r["value"]) for _line, r in tables.rows("body_names")),
        )  # fmt: skip

    def _add(self, text: str, how: str, body_id: str) -> None:
        key = _norm(text)
        self._keys.setdefault(key, {}).setdefault(how, set()).add(body_id)
        self._display.setdefault(key, text)

    def _iri_id(self, text: str) -> str | None:
        t = text.strip().removeprefix("<").removesuffix(">")
        if t.startswith("id:"):
            t = str(ID) + t[3:]
        elif not t.startswith("http") and "/" in t:
            t = str(ID) + t  # "dc/dc3"
        return self._iris.get(t)

    def resolve(self, text: str) -> BodyRef:
        """Return the body an argument names.

        Parameters
        ----------
        text : str
            A curated id (``dc3``), an IRI (``https://w3id.org/igfgraph/id/dc/dc3``,
            ``<…>``, ``id:dc/dc3`` or ``dc/dc3``), an acronym (``DC3``), a name, a variant
            or a former name or acronym; case and spacing do not matter.

        Returns
        -------
        BodyRef

        Raises
        ------
        UnknownBodyError
            Nothing matches (the message offers up to three close names), or a name
            belongs to several bodies (the message names them).
        """
        found = self._iri_id(text)
        if found is not None:
            ref = self._refs[found]
            return BodyRef(ref.id, ref.kind, ref.name, ref.iri, "iri")
        hits = self._keys.get(_norm(text), {})
        for how in _HOW:
            ids = hits.get(how)
            if not ids:
                continue
            if len(ids) > 1:
                names = ", ".join(f"{self._refs[i].name} ({i})" for i in sorted(ids))
                what = how.replace("-", " ")
                msg = f"{text!r} is the {what} of several bodies: {names}; give an id"
                raise UnknownBodyError(msg)
            ref = self._refs[next(iter(ids))]
            return BodyRef(ref.id, ref.kind, ref.name, ref.iri, how)
        raise UnknownBodyError(self._unknown(text))

    def suggestions(self, text: str, limit: int = 3) -> list[str]:
        """Return up to ``limit`` close bodies, as ``"id (the name that matched)"``, best first."""
        scored = process.extract(
            _norm(text),
            list(self._keys),
            scorer=fuzz.WRatio,
            limit=None,
            score_cutoff=_SUGGEST_CUTOFF,
        )
        out: list[str] = []
        seen: set[str] = set()
        for key, _score, _index in sorted(scored, key=lambda s: (-s[1], s[0])):
            for how in _HOW:
                for body_id in sorted(self._keys[key].get(how, ())):
                    if body_id not in seen:
                        seen.add(body_id)
                        shown = self._display[key]
                        ref = self._refs[body_id]
                        name = shown if shown != body_id else ref.name
                        out.append(f"{body_id} ({name})")
            if len(out) >= limit:
                break
        return out[:limit]

    def _unknown(self, text: str) -> str:
        close = self.suggestions(text)
        hint = f"; did you mean {' or '.join(close)}?" if close else ""
        return f"no body with id, IRI, acronym or name {text!r}{hint}"


_CACHE: dict[str, Resolver] = {}


def resolver_for(data: Path | str | None = None) -> Resolver:
    """Return the resolver of a data folder (the shipped data when ``None``), read once.

    Raises
    ------
    igfgraph.exceptions.InputError
        The tables cannot be read.
    """
    key = str(Path(data).resolve()) if data is not None else ""
    if key not in _CACHE:
        _CACHE[key] = Resolver.from_tables(load_tables(data, check=False))
    return _CACHE[key]
