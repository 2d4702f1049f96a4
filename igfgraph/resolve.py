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

__all__ = [
    "AMBIGUOUS_THRESHOLD",
    "MATCH_THRESHOLD",
    "BodyRef",
    "Match",
    "Resolver",
    "UnknownBodyError",
    "acronym_key",
    "resolver_for",
    "topic_words",
]

#: how an argument matched, strongest first (an exact id beats a name that reads the same)
_HOW = ("id", "iri", "acronym", "name", "alt-name", "former-acronym", "former-name")
#: what an acronym read in a document is compared with, strongest first
_ACRONYM_HOW = ("acronym", "former-acronym", "alt-name", "id")
#: smallest RapidFuzz WRatio (0-100) for a suggestion
_SUGGEST_CUTOFF = 60
#: :meth:`Resolver.match`: a fuzzy score (RapidFuzz, 0-100, on the topic words of the names)
#: at or above this is a match
MATCH_THRESHOLD = 88
#: :meth:`Resolver.match`: a score at or above this and below :data:`MATCH_THRESHOLD` is
#: ambiguous (listed with its candidates for a person to decide); below it, a new body
AMBIGUOUS_THRESHOLD = 70
#: words every coalition name shares; left out when names are compared by their topic
_BOILERPLATE = re.compile(
    r"\b(?:dynamic|coalitions?|dc|igf|the|on|of|for|and|in|to|a|an|at|with)\b"
)


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


def acronym_key(text: str) -> str:
    """Return an acronym key: letters and digits only (``DC-NN``, ``DCNN`` and ``DC NN`` agree)."""
    return re.sub(r"[^0-9a-z]", "", _norm(text))


def topic_words(text: str) -> str:
    """Return the topic words of a name (``DC on the Internet of Things``: ``internet things``)."""
    words = re.sub(r"[^\w]+", " ", _norm(text).replace("’", "'").replace("'s ", " "))
    return re.sub(r"\s+", " ", _BOILERPLATE.sub(" ", words)).strip()


@dataclass(frozen=True)
class Match:
    """How a name (and acronym) read in a document matches the recorded bodies.

    Attributes
    ----------
    status : str
        ``"matched"`` (one body), ``"ambiguous"`` (several, or a fuzzy score between
        :data:`AMBIGUOUS_THRESHOLD` and :data:`MATCH_THRESHOLD`) or ``"new"``.
    id : str or None
        The matched body's id (``None`` unless ``status == "matched"``).
    score : float
        100 for an exact match of an id, acronym or name; else the best RapidFuzz
        ``token_sort_ratio``/``token_set_ratio`` (0-100) of the topic words.
    how : str
        What matched: a :class:`BodyRef` ``how``, ``"topic"`` (the same topic words) or
        ``"fuzzy"``; empty for a new body.
    candidates : tuple of (str, float)
        The closest bodies (id, score), best first, at most three.
    """

    status: str
    id: str | None
    score: float
    how: str
    candidates: tuple[tuple[str, float], ...] = ()


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
        self._compacts: dict[str, dict[str, set[str]]] = {}  # acronym key -> how -> ids
        self._topics: dict[str, set[str]] = {}  # topic words of a name -> ids
        self._words: dict[str, set[str]] = {}  # one topic word -> ids
        for key, hows in self._keys.items():
            for how, ids in hows.items():
                for body_id in ids:
                    if how in ("id", "acronym", "former-acronym", "alt-name"):
                        short = acronym_key(key)
                        self._compacts.setdefault(short, {}).setdefault(how, set()).add(body_id)
                    if how in ("name", "alt-name", "former-name"):
                        topic = topic_words(key)
                        if topic:
                            self._topics.setdefault(topic, set()).add(body_id)
                            for word in topic.split():
                                self._words.setdefault(word, set()).add(body_id)

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

    def match(
        self,
        name: str | None,
        acronym: str | None = None,
        *,
        kinds: Iterable[str] | None = None,
        fuzzy: bool = True,
    ) -> Match:
        """Match a body named in a document: by acronym, by name, then by fuzzy name.

        Parameters
        ----------
        name : str or None
            The name as the document writes it (``DC on the Internet of things``).
        acronym : str or None
            The short name the document gives (``DC-IoT``, ``DCNN``); hyphens, spaces
            and case do not matter.
        kinds : iterable of str, optional
            Only bodies of these ``bodies.kind`` values are candidates.
        fuzzy : bool, default True
            Compare names by RapidFuzz when nothing matches exactly.

        Returns
        -------
        Match
            ``matched`` when the acronym or the name (or its topic words, the name less
            "Dynamic Coalition", "DC", "on", "the"…) belongs to exactly one body, or
            when the best fuzzy score is at least :data:`MATCH_THRESHOLD` and no other
            body comes within 5 points of it; ``ambiguous`` when the acronym and the
            name point at different bodies, when several bodies share them, or when the
            best score lies between :data:`AMBIGUOUS_THRESHOLD` and
            :data:`MATCH_THRESHOLD` (or two bodies score alike); otherwise ``new``.
        """
        allowed = set(kinds) if kinds is not None else None

        def ok(ids: Iterable[str]) -> set[str]:
            return {i for i in ids if allowed is None or self._refs[i].kind in allowed}

        by_acronym: tuple[set[str], str] = (set(), "")
        if acronym and acronym_key(acronym):
            hits = self._compacts.get(acronym_key(acronym), {})
            for how in _ACRONYM_HOW:
                ids = ok(hits.get(how, ()))
                if ids:
                    by_acronym = (ids, how)
                    break
        by_name: tuple[set[str], str] = (set(), "")
        if name and name.strip():
            hits = self._keys.get(_norm(name), {})
            for how in _HOW:
                ids = ok(hits.get(how, ()))
                if ids:
                    by_name = (ids, how)
                    break
            if not by_name[0]:
                ids = ok(self._topics.get(topic_words(name), ()))
                if ids:
                    by_name = (ids, "topic")
            if not by_name[0] and not (acronym or "").strip():
                hits = self._compacts.get(acronym_key(name), {})  # a name that is an acronym
                for how in _ACRONYM_HOW:
                    ids = ok(hits.get(how, ()))
                    if ids:
                        by_name = (ids, how)
                        break
        exact = by_acronym[0] | by_name[0]
        if exact:
            if len(exact) == 1:
                how = by_acronym[1] or by_name[1]
                return Match(
                    "matched", next(iter(exact)), 100.0, how, ((next(iter(exact)), 100.0),)
                )
            cands = tuple((i, 100.0) for i in sorted(exact))
            return Match("ambiguous", None, 100.0, by_acronym[1] or by_name[1], cands)
        if not fuzzy or not name or not topic_words(name):
            return Match("new", None, 0.0, "")
        topic = topic_words(name)
        close, loose = self._fuzzy(topic, allowed)
        if close and close[0][1] >= MATCH_THRESHOLD:
            best_id, best = close[0]
            rivals = [c for c in loose if c[0] != best_id and c[1] >= best - 5]
            if not rivals:
                return Match("matched", best_id, best, "fuzzy", ((best_id, best),))
        cands = tuple(loose[:3])
        if cands:
            return Match("ambiguous", None, cands[0][1], "fuzzy", cands)
        return Match("new", None, close[0][1] if close else 0.0, "", ())

    def _fuzzy(
        self, topic: str, allowed: set[str] | None
    ) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
        """Score ``topic`` against every recorded name's topic words, best per body.

        Returns two lists of ``(id, score)``, best first: the word-order-free similarity
        (RapidFuzz ``token_sort_ratio``) of every body, and the bodies close enough to
        be confused with it: ``token_set_ratio`` (one name inside the other) or that
        score at least :data:`AMBIGUOUS_THRESHOLD`, or a shared distinctive word (one
        that at most three candidate bodies have in their names: "blockchain",
        "health").
        """
        words = set(topic.split())
        rare = set()
        for word in words:
            ids = {
                i
                for i in self._words.get(word, ())
                if allowed is None or self._refs[i].kind in allowed
            }
            if len(word) >= 4 and 0 < len(ids) <= 3:
                rare |= ids
        close: dict[str, float] = {}
        loose: dict[str, float] = {}
        for key, ids in self._topics.items():
            strict = round(fuzz.token_sort_ratio(topic, key), 1)
            lenient = max(strict, round(fuzz.token_set_ratio(topic, key), 1))
            for body_id in ids:
                if allowed is not None and self._refs[body_id].kind not in allowed:
                    continue
                close[body_id] = max(close.get(body_id, 0.0), strict)
                if lenient >= AMBIGUOUS_THRESHOLD or body_id in rare:
                    loose[body_id] = max(loose.get(body_id, 0.0), lenient)
        order = lambda kv: (-kv[1], kv[0])  # noqa: E731
        return sorted(close.items(), key=order), sorted(loose.items(), key=order)

    def ref(self, body_id: str) -> BodyRef:
        """Return the body with this id (``KeyError`` when there is none)."""
        return self._refs[body_id]

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
