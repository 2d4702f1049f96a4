"""Documentation of the ontology and the theme scheme, as offline HTML pages and a class diagram.

* ``ontology.html`` — pyLODE (:class:`pylode.OntPub`, pinned in ``pyproject.toml``) renders
  ``ontology/igf.ttl``: every class and property with its label and definition;
* ``themes.html`` — the theme scheme (``igf:ThemeScheme``), from the read model, through a
  Jinja2 template (pyLODE 3.3.4's vocabulary profile lists no SKOS concepts);
* ``classes.svg`` (and its source ``classes.dot``) — the main classes and the object
  properties between them, drawn by Graphviz ``dot`` (Debian's ``graphviz``) on this
  machine: no script from a network.

Every page is self-contained (styles inline, icons as ``data:`` URIs).
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
from pathlib import Path

import jinja2
from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

from igfgraph.exceptions import OutputError
from igfgraph.fileio import write_folder
from igfgraph.model import ReadModel
from igfgraph.namespaces import IGF_NS, PREFIXES
from igfgraph.paths import ontology_file

__all__ = ["DOCS_FILES", "class_diagram_dot", "docs_files", "render_dot", "write_docs"]

_THEME_SCHEME = URIRef(IGF_NS + "ThemeScheme")

#: the files :func:`docs_files` returns, in order (``classes.*`` only when Graphviz is found)
DOCS_FILES: tuple[str, ...] = ("ontology.html", "themes.html", "classes.dot", "classes.svg")


def _ontology_graph() -> Graph:
    return Graph().parse(ontology_file(), format="turtle")


def ontology_html(ontology: Path | None = None) -> str:
    """Render the ontology with pyLODE.

    Parameters
    ----------
    ontology : pathlib.Path, optional
        The Turtle file (default: the shipped ``ontology/igf.ttl``).

    Returns
    -------
    str
        pyLODE's HTML page (styles inline, no external script).
    """
    logging.getLogger().setLevel(max(logging.getLogger().level, logging.WARNING))
    return _OntPub(str(ontology or ontology_file()), sort_subjects=True).make_html()


class _SortedJsonLd(Graph):
    """A graph whose JSON-LD has its nodes and values sorted (rdflib's follow the hash seed)."""

    def serialize(self, *args, **kwargs):
        text = super().serialize(*args, **kwargs)
        if kwargs.get("format") != "json-ld" or not isinstance(text, str):
            return text
        return json.dumps(_sort_json(json.loads(text)), indent=2, ensure_ascii=False)


def _sort_json(value):
    if isinstance(value, dict):
        return {k: _sort_json(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        items = [_sort_json(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def _import_ontpub():
    """Import pyLODE's OntPub, undoing what its import does to the root logger.

    pyLODE 3 imports its "supermodel" profile, whose module calls
    ``logging.basicConfig(level=logging.DEBUG)``: from then on every library's debug and
    info messages (asyncio, pyLODE's own) went to the user's terminal. The root logger's
    level and handlers are put back as they were.
    """
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    try:
        from pylode import OntPub
    finally:
        for handler in list(root.handlers):
            if handler not in handlers:
                root.removeHandler(handler)
        root.setLevel(level)
    return OntPub


def _ontpub_class():
    OntPub = _import_ontpub()  # noqa: N806  (a class)

    class SortedOntPub(OntPub):
        """pyLODE's OntPub whose schema.org description (in the page head) is sorted."""

        def _make_schema_org(self):
            graph = _SortedJsonLd()
            for triple in super()._make_schema_org():
                graph.add(triple)
            return graph

    return SortedOntPub


def _OntPub(*args, **kwargs):  # noqa: N802  (stands for the class)
    return _ontpub_class()(*args, **kwargs)


def themes_html(model: ReadModel, *, ontology_href: str, diagram_href: str | None) -> str:
    """Render the theme scheme as one HTML page.

    Parameters
    ----------
    model : igfgraph.model.ReadModel
        Its ``themes`` (label, definition, broader, other labels) and ``focus``.
    ontology_href, diagram_href : str
        Links to the ontology page and the class diagram (``None``: no diagram).

    Returns
    -------
    str
        The page: the hierarchy, then one section per concept (IRI, notation, definition,
        other labels, broader and narrower concepts, how many bodies address it), sorted by
        label; text escaped.
    """
    counts: dict[str, int] = {}
    for f in model.focus:
        counts[f.theme] = counts.get(f.theme, 0) + 1
    themes = sorted(model.themes.values(), key=lambda t: (t.label.casefold(), t.iri))
    concepts = {
        t.iri: {
            "iri": t.iri, "id": t.id, "label": t.label, "definition": t.definition,
            "other_labels": sorted(t.other_labels), "bodies": counts.get(t.iri, 0),
            "narrower": [], "broader": None,
        }
        for t in themes
    }  # fmt: skip
    top = []
    for t in themes:
        c = concepts[t.iri]
        if t.broader in concepts:
            parent = concepts[t.broader]
            c["broader"] = {"id": parent["id"], "label": parent["label"]}
            parent["narrower"].append(c)
        else:
            top.append(c)
    ontology = _ontology_graph()
    from rdflib.namespace import SKOS

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("igfgraph", "templates"),
        autoescape=True,
        keep_trailing_newline=True,
    )
    return env.get_template("themes.html").render(
        title=str(ontology.value(_THEME_SCHEME, SKOS.prefLabel) or "igfgraph themes"),
        scheme_iri=str(_THEME_SCHEME),
        scheme_definition=str(ontology.value(_THEME_SCHEME, SKOS.definition) or ""),
        concepts=list(concepts.values()),
        top=top,
        ontology_href=ontology_href,
        diagram_href=diagram_href,
    )


def _short(term: URIRef) -> str:
    iri = str(term)
    if iri.startswith(IGF_NS):
        return iri[len(IGF_NS) :]
    for prefix, ns in sorted(PREFIXES.items(), key=lambda p: -len(p[1])):
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def _members(g: Graph, node) -> list[URIRef]:
    """Return a class expression's named classes: itself, or the members of an ``owl:unionOf``."""
    if isinstance(node, URIRef):
        return [node]
    if isinstance(node, BNode):
        for union in g.objects(node, OWL.unionOf):
            return [m for m in Collection(g, union) if isinstance(m, URIRef)]
    return []


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def class_diagram_dot(ontology: Graph | None = None) -> str:
    """Write the class diagram of the ontology in Graphviz's DOT language.

    Parameters
    ----------
    ontology : rdflib.Graph, optional
        The ontology (default: the shipped ``ontology/igf.ttl``).

    Returns
    -------
    str
        A ``digraph``: one box per ``igf:`` class, listing the datatype properties whose
        domain it is; grey boxes for the classes of other vocabularies it specialises;
        hollow arrows for ``rdfs:subClassOf``; a labelled arrow per object property from
        each class of its domain to each class of its range (unions unfolded) when both
        are named. Sorted, so the same ontology gives the same text.
    """
    g = ontology if ontology is not None else _ontology_graph()
    classes = sorted(c for c in g.subjects(RDF.type, OWL.Class) if str(c).startswith(IGF_NS))
    own = set(classes)
    fields: dict[URIRef, list[str]] = {c: [] for c in classes}
    for p in sorted(g.subjects(RDF.type, OWL.DatatypeProperty)):
        if not str(p).startswith(IGF_NS):
            continue
        for d in g.objects(p, RDFS.domain):
            for c in _members(g, d):
                if c in fields:
                    fields[c].append(_short(p))
    lines = [
        "digraph igf {",
        '  graph [rankdir=BT, fontname="Helvetica", fontsize=11, nodesep=0.25, ranksep=0.5];',
        '  node [shape=record, fontname="Helvetica", fontsize=10, style=filled, '
        'fillcolor="#eef4fb"];',
        '  edge [fontname="Helvetica", fontsize=9];',
    ]
    outside: set[URIRef] = set()
    edges: list[str] = []
    for c in classes:
        for sup in sorted(s for s in g.objects(c, RDFS.subClassOf) if isinstance(s, URIRef)):
            if sup not in own:
                outside.add(sup)
            edges.append(f"  {_quote(_short(c))} -> {_quote(_short(sup))} [arrowhead=empty];")
    for p in sorted(g.subjects(RDF.type, OWL.ObjectProperty)):
        if not str(p).startswith(IGF_NS):
            continue
        domains = sorted({m for d in g.objects(p, RDFS.domain) for m in _members(g, d)})
        ranges = sorted({m for r in g.objects(p, RDFS.range) for m in _members(g, r)})
        for d in domains:
            for r in ranges:
                if d in own and r in own:
                    edges.append(
                        f"  {_quote(_short(d))} -> {_quote(_short(r))} "
                        f'[label={_quote(_short(p))}, color="#1f5fa8", fontcolor="#1f5fa8"];'
                    )
    for c in classes:
        props = "\\l".join(fields[c]) + ("\\l" if fields[c] else "")
        label = "{" + _short(c) + ("|" + props if props else "") + "}"
        lines.append(f"  {_quote(_short(c))} [label={_quote(label)}];")
    for c in sorted(outside):
        lines.append(
            f'  {_quote(_short(c))} [shape=box, fillcolor="#eeeeee", fontcolor="#555555"];'
        )
    lines += sorted(set(edges))
    lines.append("}")
    return "\n".join(lines) + "\n"


def render_dot(dot: str) -> bytes | None:
    """Draw DOT text as SVG with Graphviz ``dot``.

    Returns
    -------
    bytes or None
        The SVG, or ``None`` when ``dot`` is not installed (``apt-get install graphviz``).

    Raises
    ------
    OutputError
        ``dot`` failed (its message is included).
    """
    exe = shutil.which("dot")
    if exe is None:
        return None
    done = subprocess.run(
        [exe, "-Tsvg"], input=dot.encode("utf-8"), capture_output=True, check=False
    )
    if done.returncode != 0:
        msg = f"graphviz dot failed: {done.stderr.decode('utf-8', 'replace').strip()}"
        raise OutputError(msg)
    return done.stdout


def docs_files(model: ReadModel) -> dict[str, str | bytes]:
    """Render the documentation in memory.

    Parameters
    ----------
    model : igfgraph.model.ReadModel
        The read model of the built graph (for the theme scheme).

    Returns
    -------
    dict of str to str or bytes
        ``ontology.html``, ``themes.html``, ``classes.dot`` and, when Graphviz is
        installed, ``classes.svg``.
    """
    dot = class_diagram_dot()
    svg = render_dot(dot)
    files: dict[str, str | bytes] = {
        "ontology.html": ontology_html(),
        "themes.html": themes_html(
            model, ontology_href="ontology.html", diagram_href="classes.svg" if svg else None
        ),
        "classes.dot": dot,
    }
    if svg is not None:
        files["classes.svg"] = svg
    return files


def write_docs(model: ReadModel, out: Path | str) -> list[Path]:
    """Write :func:`docs_files` into the folder ``out`` (replaced as a whole, atomically).

    Returns
    -------
    list of pathlib.Path
        The files written.

    Raises
    ------
    OutputError
        ``out`` holds other files, or cannot be written; nothing is changed then.
    """
    return write_folder(out, docs_files(model), what="igfgraph docs")
