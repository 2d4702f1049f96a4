"""SPARQL 1.1 over the graph, in the engine of the store that holds it.

rdflib stays the model API. :func:`query` runs a query where the graph lives: a pyoxigraph
store or an Oxigraph-backed rdflib graph (the default, see :mod:`igfgraph.stores`) in
Oxigraph's engine, which is 15-150x faster than rdflib's on this kind of graph; a graph on
a SPARQL server on that server; any other rdflib graph (the ``memory`` store) in rdflib's
own engine. Results come back as :class:`QueryResult`, which prints as a table, CSV, TSV,
Markdown or SPARQL 1.1 Query Results JSON, and turns into a pandas DataFrame.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from igfgraph.exceptions import QueryError
from igfgraph.namespaces import PREFIXES
from igfgraph.sparqltext import PROLOGUE, mask_sparql, query_form
from igfgraph.stores import Endpoint, parse_store, store_kind

if TYPE_CHECKING:
    import pandas as pd  # imported where used: `--help` and queries stay light

__all__ = [
    "PROLOGUE",
    "QueryResult",
    "format_frame",
    "mask_sparql",
    "query",
    "query_form",
    "query_frame",
    "to_store",
]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_UPDATE_FORMS = {
    "INSERT",
    "DELETE",
    "LOAD",
    "CLEAR",
    "CREATE",
    "DROP",
    "COPY",
    "MOVE",
    "ADD",
    "WITH",
}


def _user_position(message: str, offset: int) -> str:
    """Shift 'error at LINE:COL' back by the lines of the prologue we prepended."""
    if offset <= 0:
        return message
    return re.sub(
        r"error at (\d+):(\d+)",
        lambda m: f"error at {max(1, int(m.group(1)) - offset)}:{m.group(2)}",
        message,
    )


def _oxigraph_of(graph: Graph) -> ox.Store | None:
    store = graph.store
    if type(store).__name__ != "OxigraphStore" or graph.identifier != DATASET_DEFAULT_GRAPH_ID:
        return None
    return store._inner


def to_store(graph: Graph | ox.Store) -> ox.Store:
    """Return an Oxigraph store holding ``graph``, loading it only when needed.

    Parameters
    ----------
    graph : rdflib.Graph or pyoxigraph.Store
        A pyoxigraph store (returned as it is), a graph from
        :func:`igfgraph.stores.open_graph`, or any rdflib graph.

    Returns
    -------
    pyoxigraph.Store
        The graph's own store for an Oxigraph-backed graph (no copy); otherwise a new
        in-memory store holding the graph's triples in its default graph. A graph on a
        SPARQL server is the exception: it is returned as it is, since :func:`query`
        sends its queries to the server (copying a server's graph would defeat it).
    """
    if isinstance(graph, ox.Store):
        return graph
    inner = _oxigraph_of(graph)
    if inner is not None:
        return inner
    if store_kind(graph) == "sparql":
        return graph
    store = ox.Store()
    data = graph.serialize(format="nt", encoding="utf-8")
    store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES)
    return store


#: a local name that needs no escape in a SPARQL 1.1 / Turtle prefixed name
_PLAIN_LOCAL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")


def _compact(iri: str) -> str:
    r"""Write an IRI so that it can be pasted into a query: ``igf:Body`` or ``<…>``.

    A prefixed name is used only when its local part needs no escape (``id:dc/dc3`` would
    need ``id:dc\/dc3``, which some engines misread), else the full IRI in angle brackets.
    """
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(best):
            best, name = ns, prefix
    if best and _PLAIN_LOCAL.match(iri[len(best) :]):
        return f"{name}:{iri[len(best) :]}"
    return f"<{iri}>"


def _text(term, *, compact: bool) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return _compact(term.value) if compact else term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return term.value


@dataclass
class QueryResult:
    """The answer to a SPARQL query.

    Attributes
    ----------
    kind : {"select", "ask", "construct"}
        Query form (DESCRIBE answers as ``"construct"``).
    columns : list of str
        Projected variables (SELECT only).
    rows : list of list, or iterator of list
        One list of pyoxigraph terms (or ``None`` for unbound) per solution; a one-pass
        iterator, drawn as it is read, for :func:`query` with ``lazy=True``.
    boolean : bool or None
        The ASK answer.
    triples : str or None
        The CONSTRUCT/DESCRIBE graph as sorted N-Triples.
    """

    kind: str
    columns: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)
    boolean: bool | None = None
    triples: str | None = None

    def to_frame(self, *, compact: bool = False) -> pd.DataFrame:
        """Return the solutions as a DataFrame of strings (IRIs, lexical forms; ``""`` unbound).

        Parameters
        ----------
        compact : bool, default False
            Write IRIs as ``prefix:name`` with the project's prefix table where that parses
            without escapes, else as ``<IRI>``: either form can be pasted into a query.

        Returns
        -------
        pandas.DataFrame
            One column per variable (SELECT); one ``answer`` column (ASK); the
            ``subject``/``predicate``/``object`` of each triple (CONSTRUCT).
        """
        import pandas as pd

        if self.kind == "ask":
            return pd.DataFrame({"answer": [self.boolean]})
        if self.kind == "construct":
            rows = [line[:-2].split(" ", 2) for line in (self.triples or "").splitlines() if line]
            return pd.DataFrame(rows, columns=["subject", "predicate", "object"])
        data = [[_text(t, compact=compact) for t in row] for row in self.rows]
        return pd.DataFrame(data, columns=self.columns)

    def to_json(self) -> str:
        """Return SPARQL 1.1 Query Results JSON (:func:`igfgraph.results.write_results`).

        Raises
        ------
        QueryError
            For a CONSTRUCT or DESCRIBE result (a graph).
        """
        from igfgraph.results import write_results

        return write_results(self, "json")

    def pieces(self, fmt: str = "table") -> Iterator[str]:
        """Render the result piece by piece: :meth:`format`'s text, streamed where it can be.

        Parameters
        ----------
        fmt : {"table", "md", "json", "xml", "csv", "tsv", "nt"}
            As for :meth:`format`. ``json``, ``xml``, ``csv`` and ``tsv`` stream: the
            solutions are drawn from ``rows`` as the pieces are read
            (:func:`igfgraph.results.iter_results`), so a lazy result is never held
            whole. ``table`` and ``md`` need every row for their column widths and
            ``nt`` is sorted: those come as one piece, built in memory.

        Yields
        ------
        str
            Consecutive pieces; joined, they are ``format(fmt)``.

        Raises
        ------
        QueryError
            A format that does not fit the query form (before any piece), or the query
            failing part way (after the pieces before it).
        """
        from igfgraph.results import FORMATS, iter_results

        if self.kind != "construct" and fmt in FORMATS:
            yield from iter_results(self, fmt, cell=_spreadsheet_safe)
        else:
            yield self.format(fmt)

    def format(self, fmt: str = "table") -> str:
        """Render the result.

        Parameters
        ----------
        fmt : {"table", "md", "json", "xml", "csv", "tsv", "nt"}
            ``table`` and ``md`` are for reading (IRIs compacted with the project's
            prefixes); ``json``, ``xml``, ``csv`` and ``tsv`` are the W3C SPARQL results
            formats, written by :func:`igfgraph.results.write_results` as the endpoint
            writes them, except that CSV text cells a spreadsheet would run as formulas
            are neutralised (:func:`igfgraph.csvio.neutralise`; numbers are left alone);
            ``nt`` is for CONSTRUCT results.

        Returns
        -------
        str
            The rendered result.

        Raises
        ------
        QueryError
            A format that does not fit the query form.
        """
        from igfgraph.results import FORMATS, write_results

        if self.kind == "construct":
            if fmt in ("nt", "table", "ttl"):
                return self.triples or ""
            msg = f"a CONSTRUCT result is a graph: use --format nt, not {fmt}"
            raise QueryError(msg)
        if fmt in FORMATS:
            return write_results(self, fmt, cell=_spreadsheet_safe)
        return format_frame(self.to_frame(compact=fmt in ("table", "md")), fmt)


_XSD = "http://www.w3.org/2001/XMLSchema#"
#: numeric XSD datatypes (XML Schema 1.1 Part 2, §3.3 and §3.4): their values are numbers
_NUMERIC = {
    _XSD + name
    for name in (
        "integer decimal float double int long short byte nonNegativeInteger "
        "positiveInteger negativeInteger nonPositiveInteger unsignedLong unsignedInt "
        "unsignedShort unsignedByte"
    ).split()
}


def _is_number(term) -> bool:
    return isinstance(term, ox.Literal) and term.datatype.value in _NUMERIC


def _spreadsheet_safe(term, text: str) -> str:
    """Neutralise a CSV cell a spreadsheet would run as a formula, unless it is a number."""
    from igfgraph.csvio import neutralise

    return text if _is_number(term) else neutralise(text)


def format_frame(frame: pd.DataFrame, fmt: str, *, numeric: pd.DataFrame | None = None) -> str:
    """Render a DataFrame as ``table``, ``csv``, ``tsv``, ``md`` or ``json`` (records).

    Parameters
    ----------
    frame : pandas.DataFrame
        The rows.
    fmt : str
        Output format. ``table`` fits the terminal's width (``COLUMNS``, else the
        terminal, else 120 characters): long cells are cut and columns wrap into blocks;
        the other formats keep every character. ``csv`` and ``tsv`` neutralise text cells a
        spreadsheet would run as formulas (:func:`igfgraph.csvio.frame_to_csv`).
    numeric : pandas.DataFrame of bool, optional
        For ``csv``/``tsv``: string cells that are numbers, left as they are.

    Returns
    -------
    str
        The rendered rows, ending in a newline.

    Raises
    ------
    QueryError
        Unknown format.
    """
    if fmt in ("csv", "tsv"):
        from igfgraph.csvio import frame_to_csv

        return frame_to_csv(frame, "," if fmt == "csv" else "\t", numeric=numeric)
    if fmt == "json":
        return frame.to_json(orient="records", indent=2, force_ascii=False) + "\n"
    if fmt == "md":
        return frame.to_markdown(index=False) + "\n"
    if fmt == "table":
        if frame.empty:
            return "(no rows)\n" if len(frame.columns) else "(empty)\n"
        # fit the terminal: long cells are cut (with "..."), and columns that do not fit
        # side by side wrap into blocks below; csv, tsv, json and md stay complete
        width = shutil.get_terminal_size(fallback=(120, 24)).columns
        cell = max(12, min(60, width // 2))
        lines = frame.to_string(index=False, line_width=width, max_colwidth=cell).splitlines()
        return "".join(line.rstrip()[:width] + "\n" for line in lines)
    msg = f"unknown format {fmt!r}"
    raise QueryError(msg)


def _ox_term(term):
    """Convert an rdflib term to a pyoxigraph term (``None`` stays ``None``)."""
    if term is None:
        return None
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    msg = f"unexpected term in a query result: {term!r}"
    raise QueryError(msg)


def _lazy_rows(solutions, convert, offset: int):
    """Yield converted solutions, turning an engine's failure part way into a QueryError."""
    try:
        for solution in solutions:
            yield convert(solution)
    except QueryError:
        raise
    except Exception as exc:  # rdflib and Oxigraph fail mid-evaluation with many types
        msg = f"SPARQL error: {_user_position(str(exc), offset)}"
        raise QueryError(msg) from exc


def _from_oxigraph(result, *, lazy: bool = False, offset: int = 0) -> QueryResult:
    if isinstance(result, ox.QueryBoolean):
        return QueryResult("ask", boolean=bool(result))
    if isinstance(result, ox.QueryTriples | list):
        lines = sorted({f"{t.subject} {t.predicate} {t.object} ." for t in result})
        return QueryResult("construct", triples="".join(line + "\n" for line in lines))
    columns = [v.value for v in result.variables]
    if lazy:
        rows = _lazy_rows(result, lambda s: [s[c] for c in columns], offset)
        return QueryResult("select", columns=columns, rows=rows)
    rows = [[solution[c] for c in columns] for solution in result]
    return QueryResult("select", columns=columns, rows=rows)


def _from_rdflib(result, *, lazy: bool = False) -> QueryResult:
    if result.type == "ASK":
        return QueryResult("ask", boolean=bool(result.askAnswer))
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        triples = [ox.Triple(_ox_term(s), _ox_term(p), _ox_term(o)) for s, p, o in result.graph]
        return _from_oxigraph(triples)
    columns = [str(v) for v in result.vars]
    if lazy:
        rows = _lazy_rows(result, lambda row: [_ox_term(t) for t in row], 0)
        return QueryResult("select", columns=columns, rows=rows)
    rows = [[_ox_term(term) for term in row] for row in result]
    return QueryResult("select", columns=columns, rows=rows)


def query(
    source: Graph | ox.Store, text: str, *, prefixes: bool = True, lazy: bool = False
) -> QueryResult:
    """Run a SPARQL 1.1 query in the engine of the store that holds the graph.

    Parameters
    ----------
    source : rdflib.Graph or pyoxigraph.Store
        The graph: a pyoxigraph store or an Oxigraph-backed graph (Oxigraph's engine), a
        graph on a SPARQL server (the server answers), or any other rdflib graph (rdflib's
        engine). :func:`igfgraph.stores.open_graph` gives each kind; :func:`to_store`
        turns an rdflib graph into an Oxigraph store.
    text : str
        The query. SELECT, ASK, CONSTRUCT and DESCRIBE are accepted.
    prefixes : bool, default True
        Prepend the project's prefix table (``igf:``, ``skos:``, ``prov:``…), so queries
        need not declare them; a query's own PREFIX lines win.
    lazy : bool, default False
        Hand a SELECT's solutions back as a one-pass iterator (``rows``) that the engine
        fills as it is read, so that a result larger than memory can be streamed
        (:func:`igfgraph.results.iter_results`); an engine failing part way then raises
        :class:`QueryError` from the iterator. ASK and CONSTRUCT answers are whole
        either way (a CONSTRUCT graph is sorted, which needs all of it).

    Returns
    -------
    QueryResult
        The answer. Terms are pyoxigraph terms whatever the engine.

    Raises
    ------
    QueryError
        The query does not parse or fails while running.
    igfgraph.stores.StoreError
        The SPARQL server cannot be reached or failed.
    """
    form = query_form(text)
    if form in _UPDATE_FORMS:
        msg = (
            f"SPARQL error: {form} is an update; igfgraph runs read-only queries "
            "(SELECT, ASK, CONSTRUCT, DESCRIBE)"
        )
        raise QueryError(msg)
    full = (PROLOGUE + text) if prefixes else text
    if isinstance(source, Graph):
        inner = _oxigraph_of(source)
        if inner is not None:
            source = inner
    offset = full.count("\n") - text.count("\n")
    if isinstance(source, ox.Store):
        try:
            return _from_oxigraph(source.query(full), lazy=lazy, offset=offset)
        except (SyntaxError, ValueError, OSError) as exc:
            msg = f"SPARQL error: {_user_position(str(exc), offset)}"
            raise QueryError(msg) from exc
    if store_kind(source) == "sparql":
        endpoint = getattr(source.store, "endpoint", None)
        if endpoint is None:
            store = source.store
            spec = parse_store(f"sparql:{store.query_endpoint}")
            graph = None if source.identifier == DATASET_DEFAULT_GRAPH_ID else source.identifier
            endpoint = Endpoint(spec, graph=None if graph is None else str(graph))
        return _from_oxigraph(endpoint.query(full), lazy=lazy, offset=offset)
    try:
        return _from_rdflib(source.query(full), lazy=lazy)
    except QueryError:
        raise
    except Exception as exc:  # rdflib raises parser and evaluation errors of many types
        msg = f"SPARQL error: {exc}"
        raise QueryError(msg) from exc


def query_frame(source: Graph | ox.Store, text: str, *, compact: bool = False) -> pd.DataFrame:
    """Run a SELECT query and return its solutions as a DataFrame of strings.

    Parameters
    ----------
    source : rdflib.Graph or pyoxigraph.Store
        The graph to query.
    text : str
        A SELECT query (the project's prefixes are predeclared).
    compact : bool, default False
        Write IRIs as ``prefix:name``.

    Returns
    -------
    pandas.DataFrame
        One column per variable, values as strings (``""`` when unbound).

    Raises
    ------
    QueryError
        The query does not parse or fails.
    """
    return query(source, text).to_frame(compact=compact)
