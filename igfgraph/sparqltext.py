"""SPARQL as text: the project's prologue, and reading a query without running it.

The lowest layer of the SPARQL stack: :mod:`igfgraph.stores` (which sends queries to servers)
and :mod:`igfgraph.sparql` (which runs them) both read queries with these helpers, so neither
needs the other to know what a query is.
"""

from __future__ import annotations

import re

from igfgraph.namespaces import PREFIXES

__all__ = ["PROLOGUE", "mask_sparql", "query_form"]

#: The PREFIX lines :func:`igfgraph.sparql.query` puts before a query: the project's prefix table.
PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(PREFIXES.items()))

# The parts of a query whose characters are not syntax: strings (long ones first), IRIs
# and comments.
_OPAQUE = re.compile(
    r"'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n\r]*",
    re.DOTALL,
)


def mask_sparql(text: str) -> str:
    """Blank out the strings, IRIs and comments of a SPARQL text, keeping every offset.

    What is left are keywords, variables, prefixed names and punctuation, so a keyword
    or a ``$parameter`` can be found with a regular expression without being fooled by a
    literal or a comment holding the same characters.

    Parameters
    ----------
    text : str
        A SPARQL query or update.

    Returns
    -------
    str
        A string as long as ``text`` in which each string, IRI and comment is replaced
        by its first character (``"``, ``'``, ``<`` or ``#``) followed by spaces.
    """
    return _OPAQUE.sub(lambda m: m.group(0)[0] + " " * (len(m.group(0)) - 1), text)


_PROLOGUE_DECL = re.compile(r"(?is)^\s*(?:(?:PREFIX\s+[^\s:]*:|BASE)\s*<\s*)*")


def query_form(text: str) -> str | None:
    """Return the first keyword after the prologue (``SELECT``, ``CONSTRUCT``, ``INSERT``...).

    Parameters
    ----------
    text : str
        A SPARQL query or update.

    Returns
    -------
    str or None
        The keyword in upper case, or ``None`` when the text starts with something else.
    """
    masked = re.sub(r"#[^\n\r]*", " ", mask_sparql(text))
    first = re.match(r"\s*([A-Za-z]+)", _PROLOGUE_DECL.sub("", masked))
    return first.group(1).upper() if first else None
