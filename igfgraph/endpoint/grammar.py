r"""Refuse updates and ``SERVICE`` on the syntax tree of a real SPARQL 1.1 parser.

The parser is rdflib's (``rdflib.plugins.sparql.parser``, pyparsing over the SPARQL 1.1
grammar), which decodes ``\uXXXX`` escapes and reads strings, IRIs, prefixed names with
escaped characters and comments as the grammar says, so nothing in the text can hide a
keyword from it or fake one. The engine that then runs the query is Oxigraph's; where the
two disagree (a query Oxigraph would read but rdflib cannot), the query is refused.

The parser may be slow on hostile text, so :func:`check_query` is meant to run inside a
query worker, under its time limit and memory cap, never in the HTTP process.
"""

from __future__ import annotations

import functools

from igfgraph.exceptions import IGFGraphError

__all__ = ["Refused", "check_query"]

#: rdflib's names of the SPARQL Update operations, and the keyword each is written with.
_UPDATE_OPERATIONS = {
    "Load": "LOAD",
    "Clear": "CLEAR",
    "Drop": "DROP",
    "Create": "CREATE",
    "Add": "ADD",
    "Move": "MOVE",
    "Copy": "COPY",
    "InsertData": "INSERT DATA",
    "DeleteData": "DELETE DATA",
    "DeleteWhere": "DELETE WHERE",
    "Modify": "DELETE/INSERT",
}


class Refused(IGFGraphError):
    """A request the endpoint will not run.

    Parameters
    ----------
    status : int
        The HTTP status to answer with.
    message : str
        What the client is told, in plain words.
    """

    def __init__(self, status: int, message: str):
        self.status = status
        super().__init__(message)


def _nodes(tree):
    """Yield every node of a pyparsing / rdflib parse tree, without recursion."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, dict):  # rdflib's CompValue is an OrderedDict
            stack.extend(node.values())
        elif isinstance(node, list | tuple) or type(node).__name__ == "ParseResults":
            stack.extend(node)


def _syntax_error(exc: Exception) -> str:
    line = getattr(exc, "lineno", None)
    col = getattr(exc, "col", None)
    message = getattr(exc, "msg", None) or str(exc)
    if line is not None and col is not None:
        return f"{message} (line {line}, column {col})"
    return message


def check_query(text: str, *, allow_service: bool = False) -> None:
    r"""Refuse a query the endpoint must not run, on a real SPARQL 1.1 parse.

    The parse does not resolve prefixed names, so the ``PREFIX`` lines the endpoint puts
    before a query need not be parsed with it (they hold nothing else).

    Verdicts on short texts are remembered (512 of them), since clients send the same
    queries again and the parser takes 3-100 ms a query.

    Parameters
    ----------
    text : str
        The query text, as received.
    allow_service : bool, default False
        Accept ``SERVICE`` (federated query).

    Raises
    ------
    Refused
        403 for SPARQL Update (``INSERT``, ``DELETE``, ``WITH … DELETE``, ``LOAD``,
        ``CLEAR``…) and, unless allowed, for a query holding a ``SERVICE`` pattern
        anywhere (subqueries, ``OPTIONAL``, ``MINUS``, ``EXISTS``…); 400 for text that is
        neither a query nor an update to the parser, or nested deeper than it reads.
    """
    if len(text) <= _CACHED_CHARS:
        verdict = _cached_verdict(text, allow_service)
    else:
        verdict = _verdict(text, allow_service)
    if verdict is not None:
        raise Refused(*verdict)


#: Longest text whose verdict is remembered (so the cache holds at most 512 x 16 K chars).
_CACHED_CHARS = 16 * 1024


def _verdict(text: str, allow_service: bool) -> tuple[int, str] | None:
    """Return ``(status, message)`` for a query to refuse, ``None`` for one to run."""
    try:
        _check(text, allow_service)
    except Refused as exc:
        return exc.status, str(exc)
    return None


_cached_verdict = functools.lru_cache(maxsize=512)(_verdict)


def _check(text: str, allow_service: bool) -> None:
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        tree = parseQuery(text)
    except RecursionError:
        raise Refused(
            400, "the query is nested too deeply for this endpoint's SPARQL parser"
        ) from None
    except ParseBaseException as query_error:
        try:
            update = parseUpdate(text)
        except RecursionError:
            raise Refused(
                400, "the query is nested too deeply for this endpoint's SPARQL parser"
            ) from None
        except ParseBaseException:
            update = None
        if update is not None and update.get("request"):
            words = [_UPDATE_OPERATIONS.get(op.name, op.name) for op in update["request"]]
            detail = ", ".join(dict.fromkeys(words))
            raise Refused(
                403,
                f"this endpoint is read-only: {detail} is SPARQL Update, and updates are refused"
                + (" (LOAD would make the server fetch a URL)" if "LOAD" in words else ""),
            ) from None
        raise Refused(
            400,
            "SPARQL syntax error: "
            + _syntax_error(query_error)
            + " (this endpoint reads every query with a SPARQL 1.1 parser before it runs; "
            "what that parser cannot read is refused)",
        ) from None
    if allow_service:
        return
    for node in _nodes(tree):
        if getattr(node, "name", None) == "ServiceGraphPattern":
            raise Refused(
                403,
                "SERVICE (federated query) is refused: it would make this server fetch the "
                "URL it names. Run `igfgraph serve --allow-service` to allow it.",
            )
