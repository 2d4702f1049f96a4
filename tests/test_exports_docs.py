"""`igfgraph docs`: the ontology page lists every class and property with its label and
definition (the HTML is parsed), the theme scheme page every theme, and the class diagram is
drawn offline by Graphviz (issue 14, "Ontology documentation")."""

from __future__ import annotations

import os
import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import OWL, RDF, RDFS, SKOS

ROOT = Path(__file__).resolve().parent.parent
IGF = "https://w3id.org/igfgraph/ontology#"
REQUIRE_ENV = "IGFGRAPH_REQUIRE_GRAPHVIZ"


def _need_dot() -> None:
    if shutil.which("dot") is None:
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"Graphviz dot is missing and {REQUIRE_ENV}=1 (apt-get install graphviz)")
        pytest.skip("Graphviz dot is not installed (apt-get install graphviz)")


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class _Entities(HTMLParser):
    """pyLODE's entity blocks: <div class="... entity" id=...> with <h3> label and <code> IRI."""

    def __init__(self) -> None:
        super().__init__()
        self.entities: dict[str, dict] = {}
        self._stack: list[str] = []
        self._current: dict | None = None
        self._depth = 0
        self._field: str | None = None
        self.external: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.external.append(attrs["src"])
        if tag in ("link", "img") and re.match(
            r"https?:", attrs.get("href") or attrs.get("src") or ""
        ):
            self.external.append(attrs.get("href") or attrs.get("src"))
        if self._current is not None:
            self._depth += 1
            if tag in ("h3", "code"):
                self._field = tag
        elif tag == "div" and "entity" in (attrs.get("class") or "").split():
            self._current = {"h3": "", "code": [], "text": ""}
            self._depth = 1

    def handle_endtag(self, tag):
        if self._current is None:
            return
        if tag == self._field:
            self._field = None
        self._depth -= 1
        if self._depth == 0:
            for iri in self._current["code"]:
                self.entities.setdefault(iri.strip(), self._current)
            self._current = None

    def handle_data(self, data):
        if self._current is None:
            return
        self._current["text"] += data
        if self._field == "h3":
            self._current["h3"] += data
        elif self._field == "code":
            self._current["code"].append(data)


@pytest.fixture(scope="module")
def docs(mini_built, tmp_path_factory):
    from igfgraph.docs import write_docs
    from igfgraph.model import read_model

    out = tmp_path_factory.mktemp("docs") / "docs"
    write_docs(read_model(mini_built.graph), out)
    return out


def test_ontology_page_lists_every_class_and_property_with_label_and_definition(docs):
    onto = Graph().parse(ROOT / "ontology" / "igf.ttl")
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    terms = sorted(
        {
            t
            for k in kinds
            for t in onto.subjects(RDF.type, k)
            if str(t).startswith(IGF) and str(t) != IGF
        }
    )
    assert len(terms) >= 31 + 33 + 16  # classes, object and datatype properties of igf.ttl
    parser = _Entities()
    parser.feed((docs / "ontology.html").read_text(encoding="utf-8"))
    assert parser.external == []
    for term in terms:
        entity = parser.entities.get(str(term))
        assert entity is not None, f"{term} is not on the page"
        label = onto.value(term, RDFS.label)
        definition = onto.value(term, SKOS.definition)
        assert label is not None and definition is not None, term  # the ontology's own rule
        assert _norm(entity["h3"]).startswith(_norm(str(label))), term
        assert _norm(str(definition)) in _norm(entity["text"]), term


class _Sections(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.sections: dict[str, str] = {}
        self._id: str | None = None
        self.external: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "img", "link") and (attrs.get("src") or attrs.get("href")):
            self.external.append(attrs.get("src") or attrs.get("href"))
        if tag == "section" and "concept" in (attrs.get("class") or ""):
            self._id = attrs["id"]
            self.sections[self._id] = ""

    def handle_endtag(self, tag):
        if tag == "section":
            self._id = None

    def handle_data(self, data):
        if self._id:
            self.sections[self._id] += data


def test_themes_page_lists_every_theme_of_the_scheme(docs, mini_built):
    from igfgraph.model import read_model

    model = read_model(mini_built.graph)
    parser = _Sections()
    parser.feed((docs / "themes.html").read_text(encoding="utf-8"))
    assert parser.external == []
    assert set(parser.sections) == {t.id for t in model.themes.values()}
    for t in model.themes.values():
        text = _norm(parser.sections[t.id])
        assert _norm(t.label) in text and _norm(t.definition) in text and t.iri in text
        if t.broader:
            assert _norm(model.themes[t.broader].label) in text


def test_class_diagram_is_drawn_offline(docs):
    _need_dot()
    svg = ET.parse(docs / "classes.svg").getroot()
    ns = {"s": "http://www.w3.org/2000/svg"}
    titles = {t.text for t in svg.iterfind(".//s:g[@class='node']/s:title", ns)}
    onto = Graph().parse(ROOT / "ontology" / "igf.ttl")
    classes = {
        str(c)[len(IGF) :] for c in onto.subjects(RDF.type, OWL.Class) if str(c).startswith(IGF)
    }
    assert classes <= titles
    edges = {t.text for t in svg.iterfind(".//s:g[@class='edge']/s:title", ns)}
    assert (
        "DynamicCoalition&#45;&gt;IntersessionalActivity" in edges
        or "DynamicCoalition->IntersessionalActivity" in edges
    )
    labels = {t.text for t in svg.iterfind(".//s:g[@class='edge']/s:text", ns)}
    assert {"addressesTheme", "heldAt", "focusOn"} <= labels
    assert "http" not in "".join(
        a for e in svg.iter() for k, a in e.attrib.items() if k.endswith("href")
    )


def test_docs_command_and_same_bytes(docs, mini_package, tmp_path):
    from click.testing import CliRunner

    from igfgraph.cli import cli

    result = CliRunner().invoke(
        cli, ["docs", "--data", str(mini_package), "--out", str(tmp_path / "d")]
    )
    assert result.exit_code == 0, result.output
    assert {p.name for p in (tmp_path / "d").iterdir()} >= {
        "ontology.html",
        "themes.html",
        "classes.dot",
    }
    for name in ("ontology.html", "themes.html", "classes.dot", "classes.svg"):
        if not (docs / name).exists():
            continue
        assert (tmp_path / "d" / name).read_bytes() == (docs / name).read_bytes(), name
