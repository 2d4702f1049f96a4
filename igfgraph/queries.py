"""Competency questions: named, parameterised SPARQL queries shipped in ``ontology/queries``.

Each ``NAME.rq`` file starts with a comment that says what it answers::

    # Question: Which Dynamic Coalitions work on a theme, counting its narrower themes?
    # Parameters:
    #   theme (id, optional): a theme id (themes.csv), e.g. human-rights
    # Columns:
    #   theme_id: id of the theme asked about
    #   ...
    # Any further comment lines are notes.

``Parameters: none`` when there are none. A parameter is declared as
``name (TYPE[, optional | , default VALUE]): description``. After the header come the file's
own ``PREFIX`` lines, so any SPARQL 1.1 processor runs the file as it is.

Each parameter is the variable ``$name`` and is bound by one line at the top of the outermost
``WHERE`` group, ``VALUES $name { TERM }``: the documented example (or default) for a required
parameter, ``UNDEF`` (match anything) for an optional one. That line is the binding
convention: to ask for another value, put it in place of ``TERM`` — by hand, with any tool, or
with :meth:`NamedQuery.render`, which writes the value given as an RDF term of its type (so a
value can never change the query's structure) and drops the line of an optional parameter
left out. Because the binding is inside the ``WHERE`` group, it reaches every pattern and
``FILTER`` of the query, projected or not:

=========== ================================================ ==============================
type        accepts                                          becomes
=========== ================================================ ==============================
``id``      a curated id (``dc-gender``); upper case folded  ``"dc-gender"``
``code``    a two-letter ISO 3166 code (``de``)              ``"DE"``
``string``  any text                                         ``"text"`` (escaped)
``integer`` ``-12``, ``3``                                   ``3``
``year``    four digits                                      ``2021`` (an ``xsd:integer``)
``iri``     ``<https://…>``, ``https://…`` or ``igf:name``   ``<https://…>``
=========== ================================================ ==============================

The name of a parameter is never used as ``?name`` (the same variable) elsewhere in the query
except as ``$name``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import Graph

from igfgraph.exceptions import QueryError
from igfgraph.namespaces import PREFIXES
from igfgraph.paths import queries_dir
from igfgraph.sparql import QueryResult, mask_sparql, query

if TYPE_CHECKING:
    import pandas as pd  # imported where used: `--help` and queries stay light

__all__ = [
    "PARAMETER_TYPES",
    "NamedQuery",
    "Parameter",
    "QueryParameterError",
    "load_queries",
    "named_query",
    "parse_params",
    "question_table",
    "run_named",
]

#: The types a parameter may be declared with.
PARAMETER_TYPES = ("id", "code", "string", "integer", "year", "iri")
_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s+\((?P<type>[a-z]+)"
    r"(?:,\s*(?:(?P<optional>optional)|default\s+(?P<default>[^)]+?)))?\)\s*:\s*(?P<text>.+)$"
)
_COLUMN = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*:\s*(?P<text>.+)$")
_DOLLAR = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_VALUES = re.compile(
    r"(?m)^(?P<indent>[ \t]*)VALUES[ \t]+\$(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"[ \t]*\{[^}\n]*\}[ \t]*\n"
)
_PREFIXED = re.compile(r"(?<![\w<$?:/#.-])([A-Za-z][\w.-]*):(?=[A-Za-z_])")
_IRI_FORBIDDEN = re.compile(r'[<>"{}|^`\\\x00-\x20]')
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class QueryParameterError(QueryError):
    """A named query asked for with a missing, unknown or malformed parameter."""


@dataclass(frozen=True)
class Parameter:
    """One parameter of a named query.

    Attributes
    ----------
    name : str
        Its name (``$name`` in the query, ``--param name=VALUE`` on the command line).
    type : str
        One of :data:`PARAMETER_TYPES`.
    description : str
        What it means, with an example.
    optional : bool
        Whether it may be left out (it then matches anything).
    default : str or None
        The value used when it is left out, if any.
    """

    name: str
    type: str
    description: str
    optional: bool = False
    default: str | None = None

    @property
    def required(self) -> bool:
        """Whether a value must be given."""
        return not self.optional and self.default is None

    def signature(self) -> str:
        """Return ``name=TYPE``, bracketed when optional, with the default if any."""
        text = f"{self.name}={self.type.upper()}"
        if self.default is not None:
            return f"[{text} (default {self.default})]"
        return f"[{text}]" if self.optional else text

    def term(self, value: str) -> str:
        """Write ``value`` as a SPARQL term of this parameter's type.

        Parameters
        ----------
        value : str
            The value as given on the command line.

        Returns
        -------
        str
            A SPARQL term: a literal or an IRI in angle brackets.

        Raises
        ------
        QueryParameterError
            The value does not fit the type.
        """
        value = value.strip()

        def bad(expected: str) -> QueryParameterError:
            return QueryParameterError(
                f"parameter {self.name}: {value!r} is not {expected} ({self.description})"
            )

        if self.type == "id":
            if not _ID.match(value.lower()):
                raise bad("an id (lower-case letters, digits and single hyphens)")
            return _string(value.lower())
        if self.type == "code":
            if not re.fullmatch(r"[A-Za-z]{2}", value):
                raise bad("a two-letter ISO 3166 code")
            return _string(value.upper())
        if self.type == "string":
            return _string(value)
        if self.type == "integer":
            if not re.fullmatch(r"[+-]?\d+", value):
                raise bad("an integer")
            return str(int(value))
        if self.type == "year":
            if not re.fullmatch(r"\d{4}", value):
                raise bad("a year of four digits")
            return str(int(value))  # years are xsd:integer (ontology 0.2.0)
        iri = _expand_iri(value)
        if iri is None:
            raise bad("an absolute IRI or a prefixed name such as igf:liaisesWith")
        return f"<{iri}>"


def _string(value: str) -> str:
    escaped = (
        value.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    return f'"{escaped}"'


def _expand_iri(value: str) -> str | None:
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    prefix, sep, local = value.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        value = PREFIXES[prefix] + local
    if _IRI_FORBIDDEN.search(value) or not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:\S", value):
        return None
    return value


@dataclass(frozen=True)
class NamedQuery:
    """A competency question and the SPARQL query that answers it.

    Attributes
    ----------
    name : str
        The file's name without ``.rq`` (``dcs-by-theme``).
    question : str
        The question in plain words.
    parameters : tuple of Parameter
        Its parameters, in the order declared.
    columns : tuple of (str, str)
        Each result column with what it holds.
    notes : str
        Further comment lines (may be empty).
    text : str
        The whole file, header included.
    path : pathlib.Path
        Where it was read from.
    """

    name: str
    question: str
    parameters: tuple[Parameter, ...]
    columns: tuple[tuple[str, str], ...]
    notes: str
    text: str
    path: Path

    def parameter(self, name: str) -> Parameter:
        """Return the parameter called ``name``.

        Parameters
        ----------
        name : str
            Its name.

        Returns
        -------
        Parameter
            The parameter.

        Raises
        ------
        QueryParameterError
            The query has no such parameter.
        """
        for p in self.parameters:
            if p.name == name:
                return p
        takes = ", ".join(p.name for p in self.parameters) or "no parameters"
        msg = f"query {self.name} has no parameter {name!r} (it takes: {takes})"
        raise QueryParameterError(msg)

    def usage(self) -> str:
        """Return how to call it: ``NAME name=TYPE [name=TYPE]``."""
        return " ".join([self.name, *(p.signature() for p in self.parameters)])

    def render(self, params: Mapping[str, str] | None = None) -> str:
        """Return the query with its parameters filled in.

        Parameters
        ----------
        params : mapping of str to str, optional
            Parameter values as text (``{"year": "2021"}``).

        Returns
        -------
        str
            The SPARQL query, with its own PREFIX lines: each parameter's ``VALUES $name``
            line holds the value given, or the default; the line of an optional parameter
            left out is dropped (the variable then matches anything).

        Raises
        ------
        QueryParameterError
            An unknown parameter, a missing required one, or a value of the wrong type.
        """
        params = dict(params or {})
        for name in params:
            self.parameter(name)
        terms: dict[str, str | None] = {}
        for p in self.parameters:
            value = params.get(p.name)
            if value is None or (value.strip() == "" and not p.required):
                value = p.default
            if value is None:
                if p.required:
                    msg = f"query {self.name} needs --param {p.name}=… ({p.type}): {p.description}"
                    raise QueryParameterError(msg)
                terms[p.name] = None
            else:
                terms[p.name] = p.term(value)
        masked = mask_sparql(self.text)
        out, last = [], 0
        for m in _VALUES.finditer(masked):
            out.append(self.text[last : m.start()])
            term = terms[m.group("name")]
            if term is not None:
                out.append(f"{m.group('indent')}VALUES ${m.group('name')} {{ {term} }}\n")
            last = m.end()
        out.append(self.text[last:])
        return "".join(out)

    def run(self, source: Graph | ox.Store, params: Mapping[str, str] | None = None) -> QueryResult:
        """Answer the question on ``source``.

        Parameters
        ----------
        source : rdflib.Graph or pyoxigraph.Store
            The graph, in any store (see :func:`igfgraph.sparql.query`).
        params : mapping of str to str, optional
            Parameter values.

        Returns
        -------
        QueryResult
            The answer; its columns are :attr:`columns`.

        Raises
        ------
        QueryParameterError
            Bad parameters.
        QueryError
            The query fails in that store.
        """
        return query(source, self.render(params), prefixes=False)

    def frame(
        self,
        source: Graph | ox.Store,
        params: Mapping[str, str] | None = None,
        *,
        compact: bool = False,
    ) -> pd.DataFrame:
        """Answer the question as a pandas DataFrame of strings.

        Parameters
        ----------
        source : rdflib.Graph or pyoxigraph.Store
            The graph.
        params : mapping of str to str, optional
            Parameter values.
        compact : bool, default False
            Write IRIs as ``prefix:name``.

        Returns
        -------
        pandas.DataFrame
            One column per entry of :attr:`columns` (``""`` where unbound).
        """
        return self.run(source, params).to_frame(compact=compact)


def _section_items(lines: list[str], pattern: re.Pattern, what: str, path: Path) -> list:
    items: list[re.Match] = []
    texts: list[str] = []
    for line in lines:
        if line.startswith("    ") and items:
            texts[-1] += " " + line.strip()
            continue
        m = pattern.match(line.strip())
        if not line.startswith("  ") or m is None:
            msg = f"{path.name}: malformed {what} line {line.strip()!r}"
            raise QueryError(msg)
        items.append(m)
        texts.append(m.group("text").strip())
    return list(zip(items, texts, strict=True))


def parse_query_file(path: Path) -> NamedQuery:
    """Read one ``.rq`` file and its header.

    Parameters
    ----------
    path : pathlib.Path
        The file.

    Returns
    -------
    NamedQuery
        The query.

    Raises
    ------
    QueryError
        A header that does not follow the format, ``$name`` used in the query without
        being declared (or declared and not used), a parameter without exactly one
        ``VALUES $name { … }`` line (``UNDEF`` for an optional one), or a prefixed name whose
        prefix the file does not declare.
    """
    text = path.read_text(encoding="utf-8")
    name = path.stem
    if not _NAME.match(name):
        msg = f"{path.name}: a query name is lower-case letters, digits and hyphens"
        raise QueryError(msg)
    header = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        header.append(line[1:].removeprefix(" ") if line.strip() != "#" else "")
    sections: dict[str, list[str]] = {"question": [], "parameters": [], "columns": []}
    notes: list[str] = []
    current = None
    for line in header:
        key, sep, rest = line.partition(":")
        if sep and key.lower() in sections and not line.startswith(" "):
            current = key.lower()
            if rest.strip() and (current != "parameters" or rest.strip() != "none"):
                sections[current].append(rest.strip() if current == "question" else rest)
            continue
        if current in ("parameters", "columns") and line.startswith("  "):
            sections[current].append(line)
        elif current == "question" and line.startswith("  "):
            sections["question"].append(line.strip())
        else:
            current = "notes"
            notes.append(line)
    question = " ".join(sections["question"]).strip()
    if not question:
        msg = f"{path.name}: the header must start with '# Question: …'"
        raise QueryError(msg)
    if not sections["columns"]:
        msg = f"{path.name}: the header must list the result columns under '# Columns:'"
        raise QueryError(msg)
    params = []
    for m, desc in _section_items(sections["parameters"], _PARAM, "parameter", path):
        if m.group("type") not in PARAMETER_TYPES:
            msg = f"{path.name}: parameter {m.group('name')} has unknown type {m.group('type')!r}"
            raise QueryError(msg)
        params.append(
            Parameter(
                name=m.group("name"),
                type=m.group("type"),
                description=desc,
                optional=m.group("optional") is not None,
                default=m.group("default").strip() if m.group("default") else None,
            )
        )
    columns = tuple(
        (m.group("name"), desc)
        for m, desc in _section_items(sections["columns"], _COLUMN, "column", path)
    )
    masked = mask_sparql(text)
    used = set(_DOLLAR.findall(masked))
    declared = {p.name for p in params}
    if used != declared:
        msg = (
            f"{path.name}: parameters declared ({', '.join(sorted(declared)) or 'none'}) "
            f"and used as $name ({', '.join(sorted(used)) or 'none'}) differ"
        )
        raise QueryError(msg)
    for p in params:
        if re.search(rf"\?{p.name}\b", masked):
            msg = f"{path.name}: ?{p.name} is the parameter ${p.name}: use another variable"
            raise QueryError(msg)
        lines = [m for m in _VALUES.finditer(masked) if m.group("name") == p.name]
        if len(lines) != 1:
            msg = (
                f"{path.name}: parameter {p.name} needs exactly one line "
                f"'VALUES ${p.name} {{ … }}' at the top of the WHERE group (found {len(lines)})"
            )
            raise QueryError(msg)
        undef = "UNDEF" in lines[0].group(0)
        if undef != (p.optional and p.default is None):
            want = "UNDEF" if p.optional else "its example or default value"
            msg = f"{path.name}: the VALUES line of parameter {p.name} must hold {want}"
            raise QueryError(msg)
    declared_prefixes = set(re.findall(r"(?im)^\s*PREFIX\s+([A-Za-z][\w.-]*)?:", masked))
    for used_prefix in sorted(set(_PREFIXED.findall(masked)) - declared_prefixes):
        msg = (
            f"{path.name}: the prefix {used_prefix}: is used but not declared; every named "
            "query carries its own PREFIX lines so any SPARQL processor can run it"
        )
        raise QueryError(msg)
    return NamedQuery(
        name=name,
        question=question,
        parameters=tuple(params),
        columns=columns,
        notes="\n".join(notes).strip(),
        text=text,
        path=path,
    )


@cache
def _load(folder: Path) -> dict[str, NamedQuery]:
    if not folder.is_dir():
        msg = f"no folder of named queries at {folder}"
        raise QueryError(msg)
    return {p.stem: parse_query_file(p) for p in sorted(folder.glob("*.rq"))}


def load_queries(folder: Path | str | None = None) -> dict[str, NamedQuery]:
    """Return every named query, by name (sorted).

    Parameters
    ----------
    folder : path-like, optional
        A folder of ``.rq`` files; the shipped ``ontology/queries`` when ``None``.

    Returns
    -------
    dict of str to NamedQuery
        The queries.

    Raises
    ------
    QueryError
        A file whose header does not follow the format.
    """
    return dict(_load(Path(folder) if folder is not None else queries_dir()))


def named_query(name: str, folder: Path | str | None = None) -> NamedQuery:
    """Return the named query ``name``.

    Parameters
    ----------
    name : str
        Its name (the file name without ``.rq``).
    folder : path-like, optional
        Where to look; the shipped queries when ``None``.

    Returns
    -------
    NamedQuery
        The query.

    Raises
    ------
    QueryError
        No query has that name (the message lists them).
    """
    queries = load_queries(folder)
    try:
        return queries[name]
    except KeyError:
        msg = f"no named query {name!r}; `igfgraph queries` lists them: {', '.join(queries)}"
        raise QueryError(msg) from None


def parse_params(pairs: Iterable[str]) -> dict[str, str]:
    """Turn ``name=value`` strings (``--param`` options) into a dictionary.

    Parameters
    ----------
    pairs : iterable of str
        Each ``name=value``; the value may be empty or contain ``=``.

    Returns
    -------
    dict of str to str
        The values by name.

    Raises
    ------
    QueryParameterError
        A pair without ``=``, or a name given twice.
    """
    params: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or not name:
            msg = f"--param takes name=value, not {pair!r}"
            raise QueryParameterError(msg)
        if name in params:
            msg = f"parameter {name} given twice"
            raise QueryParameterError(msg)
        params[name] = value
    return params


def run_named(
    source: Graph | ox.Store,
    name: str,
    params: Mapping[str, str] | None = None,
) -> QueryResult:
    """Answer the named question ``name`` on ``source``.

    Parameters
    ----------
    source : rdflib.Graph or pyoxigraph.Store
        The graph, in any store (see :func:`igfgraph.stores.open_graph`).
    name : str
        The query's name.
    params : mapping of str to str, optional
        Parameter values as text.

    Returns
    -------
    QueryResult
        The answer (``.to_frame()`` for a DataFrame).

    Raises
    ------
    QueryError
        Unknown query, bad parameters, or a failing query.
    """
    return named_query(name).run(source, params)


def question_table(folder: Path | str | None = None) -> pd.DataFrame:
    """List the named competency questions, one row each (what ``igfgraph queries`` prints).

    Parameters
    ----------
    folder : path-like, optional
        Folder of ``.rq`` files (default: ``ontology/queries``).

    Returns
    -------
    pandas.DataFrame
        Columns ``name``, ``question``, ``parameters`` (signatures such as ``year=YEAR``,
        space-separated) and ``columns`` (space-separated), sorted by name.
    """
    rows = [
        {
            "name": q.name,
            "question": q.question,
            "parameters": " ".join(p.signature() for p in q.parameters),
            "columns": " ".join(c for c, _ in q.columns),
        }
        for q in load_queries(folder).values()
    ]
    import pandas as pd

    return pd.DataFrame(rows, columns=["name", "question", "parameters", "columns"])
