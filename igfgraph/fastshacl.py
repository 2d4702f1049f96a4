"""SHACL validation that scales with the graph: each SPARQL-based constraint runs once.

pySHACL evaluates a SPARQL-based constraint (``sh:sparql``) once per focus node, parsing
its query text each time with rdflib's grammar and running it in rdflib's engine; on the
shipped graph that is most of the validation time, and it grows with the focus nodes
times the graph. Here each such constraint runs **once over the whole graph** in Oxigraph,
with ``$this`` joined to the shape's targets instead of pre-bound to one node at a time,
and the core constraints (everything but ``sh:sparql``) run in pySHACL on the shapes
with their SPARQL constraints removed. pySHACL on the full shapes stays the reference:
``tests/test_fastshacl.py`` checks that both give the same results on every shape
example and on broken data.

The rewrite of a constraint's ``SELECT`` query (SHACL 1.0 §5.3 [1]_):

- ``sh:prefixes`` → ``PREFIX`` lines from the ``sh:declare`` values of the named node (as
  pySHACL reads them, with the ontologies' declarations);
- ``$PATH`` (property shapes) → the SPARQL property path of the shape's ``sh:path``;
- ``$this`` (the same variable as ``?this`` in SPARQL) is bound by a group that lists the
  shape's focus nodes, inserted first in the query's top-level group: ``sh:targetClass``
  (instances of the class or a subclass, ``rdf:type/rdfs:subClassOf*``; a shape that is
  itself an ``rdfs:Class`` targets its own instances), ``sh:targetNode``,
  ``sh:targetSubjectsOf`` and ``sh:targetObjectsOf``; ``?this`` is added to the
  projection when the query does not project it;
- a query that does not use ``$this`` runs once and its solutions apply to every focus
  node, as they would when pre-bound.

The join gives the same solutions as pre-binding for queries in which ``$this`` occurs in
the query's top-level group and its nested patterns (``FILTER``, ``OPTIONAL``, ``UNION``,
``NOT EXISTS``), which is the form of every constraint in ``ontology/shapes.ttl``. Shapes
this rewrite does not cover (a query with a sub-``SELECT``, SPARQL-based targets, a
shape with ``sh:sparql`` reached through another shape, ``$shapesGraph`` or
``$currentShape``) make :func:`validate_graph` fall back to pySHACL on the whole shapes
graph, so an answer is never approximate.

References
----------
.. [1] W3C, *Shapes Constraint Language (SHACL)*, Recommendation, 20 July 2017,
   §5 SPARQL-based Constraints.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD

from igfgraph.exceptions import InputError

__all__ = [
    "ShaclResult",
    "UnsupportedShapes",
    "core_shapes",
    "pyshacl_results",
    "sparql_constraints",
    "sparql_results",
    "validate_graph",
]

_SHAPE_LINKS = (SH.property, SH.node, SH.qualifiedValueShape, SH["not"])
_SHAPE_LISTS = (SH["or"], SH["and"], SH.xone)
_NESTED_SELECT = re.compile(r"\bSELECT\b", re.IGNORECASE)
_PATH_VAR = re.compile(r"([\s{}()])[$?]PATH\b")
_THIS_VAR = re.compile(r"[$?]this\b")
_UNSUPPORTED_VARS = re.compile(r"[$?](shapesGraph|currentShape)\b")
_HEAD = re.compile(
    r"\bSELECT\s+((?:DISTINCT|REDUCED)\s+)?(.*?)(\bWHERE\b\s*)?\{", re.IGNORECASE | re.DOTALL
)
_TARGET_VAR = "igfgraph_fast_target_"


class UnsupportedShapes(ValueError):
    """A shapes graph that the one-query rewrite does not cover (pySHACL then runs it)."""


@dataclass(frozen=True, order=True)
class ShaclResult:
    """One ``sh:ValidationResult``, in rdflib terms.

    Attributes
    ----------
    focus : rdflib term
        ``sh:focusNode``.
    shape : rdflib term
        ``sh:sourceShape``.
    path : rdflib term or None
        ``sh:resultPath`` (a property shape's ``sh:path``, or the constraint's ``?path``).
    severity : rdflib.URIRef
        ``sh:resultSeverity`` (``sh:Violation`` unless the shape says otherwise).
    message : str or None
        ``sh:resultMessage`` (the constraint's message with its variables filled in, else
        the shape's).
    """

    focus: object
    shape: object
    path: object
    severity: object
    message: str | None

    def key(self) -> tuple:
        """Return ``(focus, shape, path, severity)``: what identifies the result."""
        return (self.focus, self.shape, self.path, self.severity)


# --- reading the shapes ------------------------------------------------------------------------


def _sparql_path(shapes: Graph, node, *, top: bool = True) -> str:
    """SPARQL 1.1 property path of a SHACL path (SHACL §2.3.1)."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if not isinstance(node, BNode):
        msg = f"a property path cannot be {node!r}"
        raise UnsupportedShapes(msg)
    if (node, RDF.first, None) in shapes:
        text = " / ".join(_sparql_path(shapes, n, top=False) for n in Collection(shapes, node))
        return text if top else f"({text})"
    for predicate, template in (
        (SH.inversePath, "^{}"),
        (SH.zeroOrMorePath, "{}*"),
        (SH.oneOrMorePath, "{}+"),
        (SH.zeroOrOnePath, "{}?"),
    ):
        inner = shapes.value(node, predicate)
        if inner is not None:
            return template.format(_sparql_path(shapes, inner, top=False))
    alternatives = shapes.value(node, SH.alternativePath)
    if alternatives is not None:
        text = " | ".join(
            _sparql_path(shapes, n, top=False) for n in Collection(shapes, alternatives)
        )
        return f"({text})"
    msg = f"unknown property path {node!r}"
    raise UnsupportedShapes(msg)


def _prefixes(shapes: Graph, constraint) -> str:
    """``PREFIX`` lines of a constraint's ``sh:prefixes`` (SHACL §5.2.1), as pySHACL reads them."""
    ontologies = set(shapes.subjects(RDF.type, OWL.Ontology))
    every = {d for o in ontologies for d in shapes.objects(o, SH.declare)}
    declares = set()
    for node in shapes.objects(constraint, SH.prefixes):
        own = set(shapes.objects(node, SH.declare))
        declares |= own if own and node in ontologies else every | own
    lines = {}
    for declare in declares:
        prefix, namespace = shapes.value(declare, SH.prefix), shapes.value(declare, SH.namespace)
        if prefix is not None and namespace is not None:
            lines[str(prefix)] = f"PREFIX {prefix}: <{namespace}>\n"
    return "".join(lines[p] for p in sorted(lines))


def _sparql_term(term) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3()
    msg = f"a target node cannot be {term!r} in the one-query rewrite"
    raise UnsupportedShapes(msg)


def _targets(shapes: Graph, shape) -> str | None:
    """Return a group binding ``?this`` to each focus node of a shape (``None``: it has none)."""
    if (shape, SH.target, None) in shapes:
        msg = f"{shape}: SPARQL-based targets (sh:target) are not rewritten"
        raise UnsupportedShapes(msg)
    o = f"?{_TARGET_VAR}o"
    parts = []
    classes = set(shapes.objects(shape, SH.targetClass))
    if (shape, RDF.type, RDFS.Class) in shapes:
        classes.add(shape)
    for cls in sorted(classes):
        parts.append(f"{{ ?this <{RDF.type}>/<{RDFS.subClassOf}>* {_sparql_term(cls)} }}")
    nodes = sorted(shapes.objects(shape, SH.targetNode))
    if nodes:
        parts.append("{ VALUES ?this { " + " ".join(_sparql_term(n) for n in nodes) + " } }")
    for p in sorted(shapes.objects(shape, SH.targetSubjectsOf)):
        parts.append(f"{{ ?this {_sparql_term(p)} {o} }}")
    for p in sorted(shapes.objects(shape, SH.targetObjectsOf)):
        parts.append(f"{{ {o} {_sparql_term(p)} ?this }}")
    if not parts:
        return None
    return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(parts) + " } }"


@dataclass(frozen=True)
class _Constraint:
    shape: object
    node: object
    path: object  # the shape's sh:path, or None for a node shape
    severity: object
    messages: tuple[str, ...]  # the constraint's sh:message values
    shape_messages: tuple[str, ...]
    query: str  # the rewritten query (targets joined), or the plain one when $this is unused
    targets: str  # a query for the focus nodes
    uses_this: bool
    projects_this: bool


def _referenced_shapes(shapes: Graph) -> set:
    """Shapes reached through another shape (their focus nodes come from elsewhere)."""
    found = set()
    for p in _SHAPE_LINKS:
        found |= set(shapes.objects(None, p))
    for p in _SHAPE_LISTS:
        for head in shapes.objects(None, p):
            found |= set(Collection(shapes, head))
    return found


def _rewrite(select: str, targets: str) -> tuple[str, bool]:
    """Join ``targets`` into the top-level group of ``select``; project ``?this``."""
    head = _HEAD.search(select)
    if head is None:
        msg = "no SELECT … { in the query"
        raise UnsupportedShapes(msg)
    projection = head.group(2)
    projects = projection.strip() == "*" or bool(_THIS_VAR.search(projection))
    new_projection = projection if projects else f"?this {projection}"
    start, brace = head.start(2), head.end()
    rewritten = select[:start] + new_projection + (head.group(3) or "") + "{ " + targets + " "
    return rewritten + select[brace:], projects


def sparql_constraints(shapes: Graph) -> list[_Constraint]:
    """Read and rewrite every active SPARQL-based constraint of a shapes graph.

    Parameters
    ----------
    shapes : rdflib.Graph
        The shapes graph.

    Returns
    -------
    list
        One rewritten constraint per (shape, ``sh:sparql`` value), sorted.

    Raises
    ------
    UnsupportedShapes
        A constraint or shape the one-query rewrite does not cover (see the module notes).
    """
    referenced = _referenced_shapes(shapes)
    found = []
    for shape, node in sorted(shapes.subject_objects(SH.sparql)):
        if shapes.value(shape, SH.deactivated) == Literal(True):
            continue
        if shapes.value(node, SH.deactivated) == Literal(True):
            continue
        if shape in referenced:
            msg = f"{shape} has sh:sparql and is reached through another shape"
            raise UnsupportedShapes(msg)
        select = shapes.value(node, SH.select)
        if select is None:
            msg = f"{node} has no sh:select (SPARQL ASK constraints are not rewritten)"
            raise UnsupportedShapes(msg)
        select = str(select)
        if len(_NESTED_SELECT.findall(select)) != 1 or _UNSUPPORTED_VARS.search(select):
            msg = f"{node}: a sub-SELECT, $shapesGraph or $currentShape is not rewritten"
            raise UnsupportedShapes(msg)
        path = shapes.value(shape, SH.path)
        if path is not None:
            path_text = _sparql_path(shapes, path)
            select = _PATH_VAR.sub(lambda m, text=path_text: m.group(1) + text, select)
        targets = _targets(shapes, shape)
        if targets is None:
            continue  # no focus nodes, nothing to check
        uses_this = bool(_THIS_VAR.search(select))
        prefixes = _prefixes(shapes, node)
        if uses_this:
            query, projects = _rewrite(select, targets)
        else:
            query, projects = select, False
        found.append(
            _Constraint(
                shape=shape,
                node=node,
                path=path,
                severity=shapes.value(shape, SH.severity) or SH.Violation,
                messages=tuple(sorted(str(m) for m in shapes.objects(node, SH.message))),
                shape_messages=tuple(sorted(str(m) for m in shapes.objects(shape, SH.message))),
                query=prefixes + query,
                targets=prefixes + "SELECT ?this WHERE " + targets,
                uses_this=uses_this,
                projects_this=projects,
            )
        )
    return found


# --- running them ------------------------------------------------------------------------------


def _rdflib_term(term):
    """Convert a pyoxigraph term to rdflib."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value, datatype=None if datatype == str(XSD.string) else URIRef(datatype))


def _fill(message: str, values: dict) -> str:
    """Replace ``{?var}`` and ``{$var}`` by the value's text (pySHACL's rendering)."""
    for name, value in values.items():
        message = re.sub(r"\{[?$]" + re.escape(name) + r"\}", lambda _m, v=value: str(v), message)
    return message


def _results_of(constraint: _Constraint, focus, solution: dict) -> ShaclResult | None:
    values = dict(solution)
    failure = values.pop("failure", None)
    path = values.pop("path", None)
    value = values.pop("value", None)
    this = values.pop("this", None) if constraint.projects_this else None
    values.pop("this", None)
    if failure is None and path is None and value is None and this is None:
        return None  # pySHACL reports a solution only when it binds one of them
    if failure is not None:
        path, value, this = None, None, None
    if value is None and constraint.path is None:
        value = focus
    bound = dict(values)
    if failure is None:
        bound.update({k: v for k, v in (("this", this), ("path", path), ("value", value)) if v})
    messages = [m for m in constraint.messages if m not in constraint.shape_messages]
    messages = messages or list(constraint.shape_messages)
    message = _fill(messages[0], bound) if messages else None
    return ShaclResult(
        focus=this if this is not None else focus,
        shape=constraint.shape,
        path=path if path is not None else constraint.path,
        severity=constraint.severity,
        message=message,
    )


def _solutions(store: ox.Store, query: str) -> Iterable[dict]:
    result = store.query(query)
    names = [v.value for v in result.variables]
    for solution in result:
        yield {n: _rdflib_term(solution[n]) for n in names if solution[n] is not None}


def sparql_results(store: ox.Store, shapes: Graph) -> list[ShaclResult]:
    """Evaluate every SPARQL-based constraint once over the graph in ``store``.

    Parameters
    ----------
    store : pyoxigraph.Store
        The data graph in the store's default graph.
    shapes : rdflib.Graph
        The shapes graph.

    Returns
    -------
    list of ShaclResult
        Every validation result of the SPARQL-based constraints, sorted, without repeats.

    Raises
    ------
    UnsupportedShapes
        As :func:`sparql_constraints`.
    """
    found = set()
    for constraint in sparql_constraints(shapes):
        if constraint.uses_this:
            for solution in _solutions(store, constraint.query):
                result = _results_of(constraint, solution["this"], solution)
                if result is not None:
                    found.add(result)
            continue
        solutions = list(_solutions(store, constraint.query))
        if not solutions:
            continue
        for focus in (s["this"] for s in _solutions(store, constraint.targets)):
            for solution in solutions:
                result = _results_of(constraint, focus, solution)
                if result is not None:
                    found.add(result)
    return sorted(found, key=_sort_key)


def _sort_key(result: ShaclResult) -> tuple:
    return tuple("" if x is None else str(x) for x in (*result.key(), result.message))


def core_shapes(shapes: Graph) -> Graph:
    """Return a copy of ``shapes`` without its ``sh:sparql`` triples (the core constraints)."""
    core = Graph()
    for prefix, namespace in shapes.namespaces():
        core.bind(prefix, namespace, override=True)
    core += shapes
    core.remove((None, SH.sparql, None))
    return core


def _read_report(results: Graph) -> list[ShaclResult]:
    found = set()
    for node in results.subjects(RDF.type, SH.ValidationResult):
        message = results.value(node, SH.resultMessage)
        found.add(
            ShaclResult(
                focus=results.value(node, SH.focusNode),
                shape=results.value(node, SH.sourceShape),
                path=results.value(node, SH.resultPath),
                severity=results.value(node, SH.resultSeverity),
                message=None if message is None else str(message),
            )
        )
    return sorted(found, key=_sort_key)


def pyshacl_results(graph: Graph, shapes: Graph, *, inplace: bool = False) -> list[ShaclResult]:
    """Validate with pySHACL alone (the reference), as ``igfgraph`` has always called it.

    Parameters
    ----------
    graph : rdflib.Graph
        The data graph (ontology merged).
    shapes : rdflib.Graph
        The shapes graph.
    inplace : bool, default False
        Let pySHACL read ``graph`` without copying it first. Without inference and
        without SHACL rules (``sh:rule``) pySHACL adds nothing to the data graph, so
        this only saves the copy (a third of pySHACL's time on the shipped graph).

    Returns
    -------
    list of ShaclResult
        Every validation result, sorted.

    Raises
    ------
    InputError
        pySHACL cannot evaluate the shapes (e.g. a SPARQL constraint it rejects).
    """
    import pyshacl  # slow import: only when validating

    _conforms, report, _text = pyshacl.validate(
        graph,
        shacl_graph=shapes,
        inference="none",
        advanced=True,
        allow_warnings=True,
        inplace=inplace and (None, SH.rule, None) not in shapes,
    )
    if not isinstance(report, Graph):  # pySHACL returns its ValidationFailure
        msg = f"the SHACL shapes cannot be evaluated: {report}"
        raise InputError(msg)
    return _read_report(report)


def validate_graph(
    graph: Graph,
    shapes: Graph,
    *,
    store: ox.Store | None = None,
    engine: str = "fast",
) -> list[ShaclResult]:
    """Validate a graph against SHACL shapes: every validation result, of any severity.

    Parameters
    ----------
    graph : rdflib.Graph
        The data graph.
    shapes : rdflib.Graph
        The shapes graph.
    store : pyoxigraph.Store, optional
        The same graph in Oxigraph (loaded from ``graph`` when ``None``).
    engine : {"fast", "pyshacl"}, default "fast"
        ``fast``: SPARQL-based constraints once each in Oxigraph, core constraints in
        pySHACL (falls back to ``pyshacl`` for shapes the rewrite does not cover);
        ``pyshacl``: pySHACL alone (the reference).

    Returns
    -------
    list of ShaclResult
        Sorted, without repeats.

    Raises
    ------
    ValueError
        Unknown ``engine``.
    """
    if engine == "pyshacl":
        return pyshacl_results(graph, shapes)
    if engine != "fast":
        msg = f"unknown SHACL engine {engine!r} (fast or pyshacl)"
        raise ValueError(msg)
    try:
        constraints = sparql_constraints(shapes)
    except UnsupportedShapes:
        return pyshacl_results(graph, shapes)
    found = set(pyshacl_results(graph, core_shapes(shapes), inplace=True))
    if constraints:
        if store is None:
            store = ox.Store()
            data = graph.serialize(format="nt", encoding="utf-8")
            store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES)
        found |= set(sparql_results(store, shapes))
    return sorted(found, key=_sort_key)
