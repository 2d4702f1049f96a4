"""Validation in two layers: the tables against their Table Schema, then the graph against SHACL.

Non-conformance is a *result* (:class:`ValidationReport`), not an exception; exceptions
are kept for input that cannot be read (as pySHACL does). Exit codes of
``igfgraph validate``: 0 conforms, 1 violations, 2 unreadable input.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import SH

from igfgraph.build import BuildResult, build_graph
from igfgraph.exceptions import UNREADABLE, InputError, Problem
from igfgraph.paths import shapes_file
from igfgraph.tables import check_tables, load_tables

__all__ = ["ValidationReport", "read_shapes", "shacl_problems", "validate"]


@dataclass
class ValidationReport:
    """What validation found.

    Attributes
    ----------
    conforms : bool
        True when the tables are valid and the graph conforms to the shapes.
    problems : list of Problem
        Table problems first (file, line, column), then SHACL violations (the file and
        line of the row that made the focus node, when known, and the shape's message).
    stage : {"tables", "shacl"}
        The last stage that ran (SHACL does not run on broken tables).
    """

    conforms: bool
    problems: list[Problem] = field(default_factory=list)
    stage: str = "shacl"
    warnings: list[Problem] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """Exit status of ``igfgraph validate``: 0 conforms, 1 violations, 2 unreadable input."""
        if self.conforms:
            return 0
        return 2 if any(p.kind == UNREADABLE for p in self.problems) else 1

    def text(self) -> str:
        """Return a human-readable summary, one problem per line."""
        if self.conforms:
            text = "conforms: tables match their schema and the graph satisfies every SHACL shape\n"
            if self.warnings:
                text += f"{len(self.warnings)} warning(s) (not violations):\n"
                text += "".join(f"  {p}\n" for p in self.warnings)
            return text
        stage = "table schema" if self.stage == "tables" else "SHACL shapes"
        lines = [f"{len(self.problems)} violation(s) of the {stage}:"]
        lines += [f"  {p}" for p in self.problems]
        return "\n".join(lines) + "\n"


def read_shapes(path: Path | None = None) -> Graph:
    """Parse the SHACL shapes (``ontology/shapes.ttl``).

    Parameters
    ----------
    path : pathlib.Path, optional
        Another shapes file.

    Returns
    -------
    rdflib.Graph
        The shapes graph.

    Raises
    ------
    InputError
        Missing or unparsable file.
    """
    path = path or shapes_file()
    g = Graph()
    try:
        g.parse(path, format="turtle")
    except (OSError, SyntaxError, ValueError) as exc:
        msg = f"{path}: cannot read the SHACL shapes ({exc})"
        raise InputError(msg) from exc
    return g


def _short(term) -> str:
    text = str(term)
    return text.replace("https://w3id.org/igfgraph/id/", "id:").replace(
        "https://w3id.org/igfgraph/ontology#", "igf:"
    )


def shacl_problems(
    built: BuildResult,
    shapes: Graph | None = None,
    *,
    engine: str = "fast",
    store=None,
    severity: URIRef = SH.Violation,
    warnings: list[Problem] | None = None,
) -> list[Problem]:
    """Validate a built graph against the SHACL shapes.

    Parameters
    ----------
    built : BuildResult
        The graph and the origins of its entities (:func:`igfgraph.build.build_graph`).
    shapes : rdflib.Graph, optional
        Shapes graph; the shipped ``ontology/shapes.ttl`` when ``None``.
    engine : {"fast", "pyshacl"}, default "fast"
        ``fast``: each SPARQL-based constraint once over the graph in Oxigraph and the
        core constraints in pySHACL (:func:`igfgraph.fastshacl.validate_graph`, which
        gives the same results); ``pyshacl``: pySHACL alone, the reference.
    store : pyoxigraph.Store, optional
        The same graph already in Oxigraph (the fast engine loads one otherwise).
    severity : rdflib.URIRef, default ``sh:Violation``
        The severity of the results to return.
    warnings : list, optional
        A list to which the results of severity ``sh:Warning`` are appended, sorted
        (the "to curate" marks), from the same run.

    Returns
    -------
    list of Problem
        One per ``sh:ValidationResult`` of that severity: located at the file and
        line that created the focus node (``bodies.csv, line 7``) when known, else at
        ``graph``; the message names the focus node, the path and the shape's
        ``sh:message``. Sorted.

    References
    ----------
    .. [1] W3C, *Shapes Constraint Language (SHACL)*, Recommendation, 20 July 2017.
    """
    from igfgraph.fastshacl import validate_graph

    shapes = shapes if shapes is not None else read_shapes()
    problems, warned = [], []
    for result in validate_graph(built.graph, shapes, store=store, engine=engine):
        level = result.severity
        if level not in (severity, SH.Warning):
            continue
        focus, path, shape = result.focus, result.path, result.shape
        message = result.message or "violates a shape"
        file, line = (
            built.origins.get(focus, ("graph", None))
            if isinstance(focus, URIRef)
            else ("graph", None)
        )
        detail = f"{_short(focus)}: {message}"
        if path is not None:
            detail += f" (path {_short(path)})"
        if isinstance(shape, URIRef):
            detail += f" [shape {shape.split('#')[-1]}]"
        if level == severity:
            problems.append(Problem(file, line, None, detail))
        if level == SH.Warning:
            warned.append(Problem(file, line, None, detail))
    if warnings is not None:
        warnings += sorted(set(warned), key=lambda p: (p.file, p.row or 0, p.message))
    return sorted(set(problems), key=lambda p: (p.file, p.row or 0, p.message))


def validate(data: Path | str | None = None, *, shapes: Graph | None = None) -> ValidationReport:
    """Validate a data package: table schema first, then SHACL on the built graph.

    Parameters
    ----------
    data : path-like, optional
        Data folder holding ``datapackage.json``; the shipped data when ``None``.
    shapes : rdflib.Graph, optional
        Shapes graph; the shipped shapes when ``None``.

    Returns
    -------
    ValidationReport
        ``conforms`` and every problem found.

    Raises
    ------
    InputError
        The data package, the ontology or the shapes cannot be read at all.
    """
    problems = check_tables(data)
    if problems:
        return ValidationReport(False, problems, stage="tables")
    built = build_graph(load_tables(data, check=False))
    warnings: list[Problem] = []
    problems = shacl_problems(built, shapes, warnings=warnings)
    return ValidationReport(not problems, problems, stage="shacl", warnings=warnings)
