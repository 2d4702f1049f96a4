"""The Linked Data site (issue 14): a page per entity, its Turtle, links, offline, escaped.

The site is rendered from a copy of the mini package with one more Dynamic Coalition whose
name and summary are XSS payloads, and (for the counts, the descriptions and the links)
from the shipped data.
"""

from __future__ import annotations

import csv
import html.parser
import json
import urllib.parse
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from tests import browser
from tests.conftest import make_package

chromium = browser.chromium  # module-scoped fixture

ROOT = Path(__file__).resolve().parent.parent
XSS_NAME = '<script>alert("name")</script><img src=x onerror=alert("img")>'
XSS_SUMMARY = "</script><script>alert(1)</script> & <b>bold</b>"
#: data table → (page kind, IRI segment of a row; None: the body's kind decides)
TABLES = {
    "bodies": "body",
    "themes": "theme",
    "meetings": "meeting",
    "sessions": "session",
    "outputs": "output",
    "recommendations": "recommendation",
    "sources": "source",
}
# The description of an entity, written independently of igfgraph.site: its own triples and
# those of the nodes that qualify it (foci, liaisons, cycles) and of its catalogue record.
DESCRIBE = """
PREFIX igf: <https://w3id.org/igfgraph/ontology#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
CONSTRUCT { ?n ?p ?o } WHERE {
  { BIND($e AS ?n) }
  UNION { ?n igf:focusOf $e } UNION { ?n igf:party $e } UNION { ?n igf:cycleOf $e }
  UNION { $e foaf:isPrimaryTopicOf ?n }
  ?n ?p ?o
}
"""


def rows(folder: Path, table: str) -> list[dict[str, str]]:
    with (folder / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def expected_pages(folder: Path) -> dict[str, set[str]]:
    """Page folders per kind, from the data tables alone (segments from the kinds table)."""
    from igfgraph.kinds import KINDS

    pages: dict[str, set[str]] = {}
    for table, kind in TABLES.items():
        for r in rows(folder, table):
            segment = KINDS[r["kind"]].segment if table == "bodies" else kind
            pages.setdefault(kind, set()).add(f"id/{segment}/{r['id']}")
    return pages


def add_xss_body(folder: Path) -> None:
    with (folder / "bodies.csv").open("a", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerow(
            ["dc-xss", "dynamic-coalition", XSS_NAME, XSS_SUMMARY, "2015", "", "", "src-a",
             "Annex B item 9", "high", ""]
        )  # fmt: skip
    with (folder / "body_themes.csv").open("a", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["dc-xss", "privacy", "stated", "src-a", "Annex B item 9", ""])
        w.writerow(["dc-xss", "child-rights", "stated", "src-a", "Annex B item 9", ""])


@pytest.fixture(scope="module")
def mini_site(tmp_path_factory):
    from igfgraph.pipeline import build_validated
    from igfgraph.site import render_site, write_site

    base = tmp_path_factory.mktemp("site")
    data = make_package(base / "data")
    add_xss_body(data)
    graph = build_validated(data).graph
    out = base / "site"
    write_site(out, graph)
    return {"data": data, "graph": graph, "out": out, "files": render_site(graph)}


@pytest.fixture(scope="module")
def shipped_site(shipped_built):
    from igfgraph.site import render_site

    return render_site(shipped_built.graph)


def page_folders(files) -> dict[str, str]:
    return {name[: -len("/index.html")]: name for name in files if name.endswith("/index.html")}


# ------------------------------------------------------------------ one page per entity


def test_one_page_per_entity_of_each_kind_mini(mini_site):
    expected = expected_pages(mini_site["data"])
    assert len(expected["body"]) == 10 and "id/dc/dc-xss" in expected["body"]
    folders = set(page_folders(mini_site["files"]))
    assert folders == set().union(*expected.values())
    for kind, pages in expected.items():
        index = mini_site["files"][{"body": "bodies.html", "theme": "themes.html",
                                     "meeting": "meetings.html", "session": "sessions.html",
                                     "output": "outputs.html",
                                     "recommendation": "recommendations.html",
                                     "source": "sources.html"}[kind]]  # fmt: skip
        assert index.count('/index.html">') == len(pages), kind
        assert f"<p>{len(pages)} pages.</p>" in index


def test_one_page_per_entity_of_each_kind_shipped(shipped_site):
    expected = expected_pages(ROOT / "data")
    counts = {k: len(v) for k, v in expected.items()}
    # the rows of the shipped tables, per kind
    assert counts == {k: len(rows(ROOT / "data", t)) for t, k in TABLES.items()}
    assert set(page_folders(shipped_site)) == set().union(*expected.values())
    for folder in page_folders(shipped_site):
        assert f"{folder}/index.ttl" in shipped_site and f"{folder}/index.jsonld" in shipped_site


# ------------------------------------------------------------------ descriptions


def check_descriptions(files, graph) -> int:
    import pyoxigraph as ox

    from igfgraph.sparql import to_store

    store = to_store(graph)
    checked = 0
    for folder in page_folders(files):
        iri = URIRef("https://w3id.org/igfgraph/" + folder)
        found = store.query(DESCRIBE.replace("$e", f"<{iri}>"))
        want = Graph().parse(data=found.serialize(format=ox.RdfFormat.N_TRIPLES), format="nt")
        ttl = Graph().parse(data=files[f"{folder}/index.ttl"], format="turtle")
        jsonld = Graph().parse(data=files[f"{folder}/index.jsonld"], format="json-ld")
        assert len(want) > 0, folder
        assert isomorphic(ttl, want), folder
        assert isomorphic(jsonld, want), folder
        checked += 1
    return checked


def test_turtle_is_the_description_mini(mini_site):
    files = mini_site["files"]
    assert check_descriptions(files, mini_site["graph"]) == len(page_folders(files))
    # by hand: DC A is described with its record, its three foci and its two liaisons
    g = Graph().parse(data=files["id/dc/dc-a/index.ttl"], format="turtle")
    base = "https://w3id.org/igfgraph/id/"
    assert {str(s) for s in g.subjects()} == {
        base + "dc/dc-a", base + "record/dc/dc-a",
        base + "focus/dc-a/child-rights", base + "focus/dc-a/privacy",
        base + "focus/dc-a/security",
        base + "liaison/co-authored/dc-a/dc-b", base + "liaison/dc-a-dc-b",
    }  # fmt: skip


def test_turtle_is_the_description_shipped(shipped_site, shipped_built):
    assert check_descriptions(shipped_site, shipped_built.graph) > 1000


# ------------------------------------------------------------------ links


class Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append((tag, value))


def broken_links(files) -> tuple[list[str], int, int]:
    broken, internal, pages = [], 0, 0
    for name, content in files.items():
        if not name.endswith(".html"):
            continue
        pages += 1
        parser = Links()
        parser.feed(content)
        for tag, href in parser.links:
            parts = urllib.parse.urlsplit(href)
            if parts.scheme in ("http", "https"):
                assert tag == "a", f"{name}: {tag} loads {href} from the network"
                continue
            assert not parts.scheme and not parts.netloc, f"{name}: {href}"
            if not parts.path:
                continue
            internal += 1
            target = urllib.parse.urljoin("http://site/" + name, urllib.parse.unquote(parts.path))
            target = target[len("http://site/") :]
            if target not in files:
                broken.append(f"{name} → {href}")
    return broken, internal, pages


def test_no_broken_internal_links_mini(mini_site):
    broken, internal, pages = broken_links(mini_site["files"])
    assert broken == []
    assert pages == len(page_folders(mini_site["files"])) + 9 and internal > 500


def test_no_broken_internal_links_shipped(shipped_site):
    broken, internal, _pages = broken_links(shipped_site)
    assert broken == [] and internal > 20_000


def test_written_as_rendered_and_deterministic(mini_site):
    from igfgraph.site import render_site

    out = mini_site["out"]
    written = {
        p.relative_to(out).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }
    assert written == mini_site["files"]
    assert render_site(mini_site["graph"]) == mini_site["files"]


def test_content_negotiation_maps(mini_site):
    files = mini_site["files"]
    redirects = files["_redirects"].splitlines()
    for folder in page_folders(files):
        assert f"/{folder}.ttl /{folder}/index.ttl 200" in redirects
        assert f"/{folder}.jsonld /{folder}/index.jsonld 200" in redirects
    htaccess = files[".htaccess"]
    assert "RewriteCond %{HTTP_ACCEPT} text/turtle" in htaccess
    assert "AddType application/ld+json" in htaccess


def test_liaison_brief_of_dc_a(mini_site):
    page = mini_site["files"]["id/dc/dc-a/index.html"]
    brief = page.split('id="themes"', 1)[1]
    # themes with basis and source, sessions per year, outputs, collaborations
    assert "Privacy</a></td><td>stated by the body or its source</td>" in brief
    assert "Security</a></td><td>curated by us from its description</td>" in brief
    assert "<dt>2021 <span" in brief and "Session of DC A</a>" in brief
    assert "A joint report</a> (2020)" in brief
    collaborations = brief.split('id="collaborations"', 1)[1].split('id="gaps"', 1)[0]
    assert collaborations.count("Dynamic Coalition B</a>") == 2  # stated and co-authored
    # nearest neighbour without a collaboration: the XSS coalition (same two themes), escaped
    gaps = brief.split('id="gaps"', 1)[1].split('id="recommendations"', 1)[0]
    assert "&lt;script&gt;alert(&#34;name&#34;)&lt;/script&gt;" in gaps
    assert "<script>alert" not in page
    assert "no chain of recorded collaborations" in gaps
    recs = brief.split('id="recommendations"', 1)[1].split('id="statements"', 1)[0]
    assert "Coalitions and networks</a>" in recs


def test_cli_site_and_all_write_it(mini_site, tmp_path):
    from click.testing import CliRunner

    from igfgraph.cli import cli

    result = CliRunner().invoke(
        cli, ["site", "--data", str(mini_site["data"]), "--out", str(tmp_path / "s")]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "s" / "id" / "dc" / "dc-xss" / "index.ttl").is_file()
    assert (tmp_path / "s" / "index.html").read_text(encoding="utf-8") == (
        mini_site["files"]["index.html"]
    )
    result = CliRunner().invoke(
        cli, ["all", "--data", str(mini_site["data"]), "--out", str(tmp_path / "all")]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "all" / "site" / "id" / "dc" / "dc-a" / "index.html").read_text(
        encoding="utf-8"
    ) == mini_site["files"]["id/dc/dc-a/index.html"]


# ------------------------------------------------------------------ in Chromium

BROWSER_PAGES = [
    "index.html",
    "search.html",
    "bodies.html",
    "id/dc/dc-a/index.html",
    "id/dc/dc-xss/index.html",
    "id/theme/privacy/index.html",
    "id/meeting/m-2021/index.html",
    "id/session/m-2021-dc-a/index.html",
    "id/output/joint-report/index.html",
    "id/recommendation/coalitions-and-networks/index.html",
    "id/source/src-a/index.html",
]


@pytest.mark.browser
@pytest.mark.parametrize("name", BROWSER_PAGES)
def test_page_offline_and_clean_in_chromium(chromium, mini_site, name):
    path = mini_site["out"] / name
    scripted = name == "search.html" or name.startswith("id/dc/")
    page = chromium.open(path, wait_for="window.siteReady === true" if scripted else None)
    assert page.blocked_requests == []
    assert page.console_errors == [] and page.page_errors == [] and page.dialogs == []
    if name.startswith("id/dc/"):
        drawn = page.eval("window.network.body.nodeIndices.length")
        assert drawn >= 2


@pytest.mark.browser
def test_xss_payloads_render_as_text(chromium, mini_site):
    page = chromium.open(mini_site["out"] / "id/dc/dc-xss/index.html",
                         wait_for="window.siteReady === true")  # fmt: skip
    assert page.eval("document.querySelector('h1').textContent") == XSS_NAME
    assert page.eval("document.querySelector('dl.facts dd').textContent") == XSS_SUMMARY
    assert page.eval("document.querySelectorAll('main img, main b').length") == 0
    assert page.eval("Array.from(document.scripts).filter(s => !s.src && s.type !== "
                     "'application/json').length") == 0  # fmt: skip
    assert page.dialogs == [] and page.page_errors == []
    # the map's label of the centre is the name as text
    labels = page.eval("window.network.body.data.nodes.get().map(n => n.label)")
    assert XSS_NAME in labels
    # search finds it and shows the name as text
    search = chromium.open(mini_site["out"] / "search.html", wait_for="window.siteReady === true")
    found = search.eval("window.siteSearch('script')")
    assert found == ["id/dc/dc-xss/index.html"]
    assert search.eval("document.querySelector('#site-results a').textContent") == XSS_NAME
    assert search.eval("document.querySelectorAll('#site-results img').length") == 0
    assert search.dialogs == [] and search.blocked_requests == []
    # a search result opens its page
    search.page.click("#site-results a")
    search.page.wait_for_load_state("load")
    assert search.page.url.endswith("/id/dc/dc-xss/index.html")
    assert json.loads(json.dumps(search.blocked_requests)) == []
