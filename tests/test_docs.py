"""Documentation tools read the ontology as its own document: pyLODE (pinned at 3.3.4, the
newest release that imports on Python 3.11) renders ontology/igf.ttl with the ontology's IRI
and title in the page header, and the shapes file says it is a shapes graph."""

from __future__ import annotations

import logging
from html.parser import HTMLParser
from pathlib import Path

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, SH

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology" / "igf.ttl"
SHAPES = ROOT / "ontology" / "shapes.ttl"
ONTOLOGY_IRI = "https://w3id.org/igfgraph/ontology"


class _Header(HTMLParser):
    """Collect the <title> and the text of the element with id="metadata" (pyLODE's header)."""

    def __init__(self) -> None:
        super().__init__()
        self.title = ""
        self.metadata: list[str] = []
        self.hrefs: list[str] = []
        self._in_title = False
        self._depth = 0  # > 0 while inside #metadata

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "title":
            self._in_title = True
        if self._depth:
            self._depth += 1
            if tag == "a" and attrs.get("href"):
                self.hrefs.append(attrs["href"])
        elif attrs.get("id") == "metadata":
            self._depth = 1

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if self._depth:
            self._depth -= 1

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self._depth and data.strip():
            self.metadata.append(data.strip())


def test_pylode_renders_the_ontology_with_its_own_iri_and_title(tmp_path):
    from pylode import OntPub

    html = OntPub(str(ONTOLOGY)).make_html()
    header = _Header()
    header.feed(html)
    title = str(Graph().parse(ONTOLOGY).value(URIRef(ONTOLOGY_IRI), DCTERMS.title))
    assert header.title.strip() == title
    assert title in header.metadata
    assert ONTOLOGY_IRI in header.metadata or ONTOLOGY_IRI in header.hrefs
    text = " ".join(header.metadata)
    assert "igfgraph developers" in text  # the creator agent's name, not a bare IRI
    assert "Scheme" not in header.title


def test_the_shapes_file_is_a_shapes_graph():
    g = Graph().parse(SHAPES)
    shapes = URIRef("https://w3id.org/igfgraph/shapes")
    assert (shapes, RDF.type, URIRef(str(SH) + "ShapesGraph")) in g  # SHACL 1.2; not in rdflib
    assert (shapes, RDF.type, OWL.Ontology) in g
    assert g.value(shapes, DCTERMS.title) == Literal("igfgraph SHACL shapes", lang="en")


def test_the_profile_describes_every_file_of_the_ontology_folder():
    from rdflib import Namespace

    prof = Namespace("http://www.w3.org/ns/dx/prof/")
    g = Graph().parse(ROOT / "ontology" / "profile.ttl")
    profile = URIRef("https://w3id.org/igfgraph/profile")
    assert (profile, RDF.type, prof.Profile) in g
    artifacts = {str(g.value(r, prof.hasArtifact)) for r in g.objects(profile, prof.hasResource)}
    for base in ("ontology", "schemes", "shapes", "alignments"):
        assert f"https://w3id.org/igfgraph/{base}" in artifacts
    assert all(g.value(r, prof.hasRole) is not None for r in g.objects(profile, prof.hasResource))


def test_importing_pylode_leaves_the_root_logger_alone():
    # pyLODE's import calls logging.basicConfig(level=DEBUG); igfgraph undoes it, so
    # `igfgraph docs` and `igfgraph all` print no library debug lines (a fresh process:
    # pyLODE may already be imported here)
    import subprocess
    import sys

    code = (
        "import logging\n"
        "from igfgraph.docs import _import_ontpub\n"
        "_import_ontpub()\n"
        "root = logging.getLogger()\n"
        "print(root.level, len(root.handlers))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == [str(logging.WARNING), "0"]
