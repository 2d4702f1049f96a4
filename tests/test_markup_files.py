"""HTML, JavaScript and CSS live in template and static files, never in Python strings.

Every string literal under ``igfgraph/`` (docstrings and f-string parts included) is read
with :mod:`ast`; none may hold ``<script``, ``<style``, ``<html`` or a Jinja ``{%`` tag.
The map's scripts and styles are package files, and the page's Content-Security-Policy
hashes are those of the files as shipped.
"""

from __future__ import annotations

import ast
import base64
import hashlib
from pathlib import Path

import pytest

from igfgraph import maps
from igfgraph.maps import assets

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "igfgraph"
MARKERS = ("<script", "<style", "<html", "{%")
#: Modules still holding a page in a Python string, each with the reason. The endpoint's
#: page is moved into a template by the endpoint work (issue 9); remove the entry then
#: (the test fails while an entry is stale).
KNOWN_EXCEPTIONS = {
    "igfgraph/serve.py": "the SPARQL endpoint's page, moved to a template by the endpoint work",
}


def markup_literals(path: Path) -> list[tuple[int, str]]:
    """(line, marker) of every string literal in ``path`` that holds a marker."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            lowered = node.value.lower()
            found += [(node.lineno, marker) for marker in MARKERS if marker in lowered]
    return sorted(found)


def test_the_scan_finds_markup_in_a_string(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""Doc."""\nPAGE = "<!DOCTYPE html><HTML>"\nJS = f"<Script>{1}"\n'
        "CSS = '''\n<style>'''\nTPL = '{% if x %}'\nOK = '</script>' + '<div>'\n",
        encoding="utf-8",
    )
    assert markup_literals(sample) == [(2, "<html"), (3, "<script"), (4, "<style"), (6, "{%")]


def test_no_markup_in_python_strings():
    offenders = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        found = markup_literals(path)
        if found and relative not in KNOWN_EXCEPTIONS:
            offenders[relative] = found
    assert offenders == {}, "HTML/JS/CSS belongs in template or static files"


@pytest.mark.parametrize("relative", sorted(KNOWN_EXCEPTIONS))
def test_known_exceptions_are_not_stale(relative):
    path = ROOT / relative
    assert path.is_file() and markup_literals(path), (
        f"{relative} no longer holds markup: remove it from KNOWN_EXCEPTIONS"
    )


def test_map_templates_and_static_files_ship_with_the_package():
    folder = PACKAGE / "maps"
    for name in ("map.html", "table.html", "glyphs.html", "frame.html"):
        assert (folder / "templates" / name).is_file(), name
    for name in ("map.js", "map.css", "table.js", "table.css"):
        assert (folder / "static" / name).is_file(), name
        assert assets.static_text(name) == (folder / "static" / name).read_text(encoding="utf-8")


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_csp_hashes_are_those_of_the_shipped_files():
    import networkx as nx

    G = nx.Graph()
    G.add_edge("a", "b", kind="liaison")
    page = maps.render_html(G).replace("&#39;", "'")
    table = maps.render_table_html(G).replace("&#39;", "'")
    map_js = (PACKAGE / "maps" / "static" / "map.js").read_text(encoding="utf-8")
    table_js = (PACKAGE / "maps" / "static" / "table.js").read_text(encoding="utf-8")
    vis_js = assets.vis_assets()[0]
    assert f"script-src {sha256(vis_js)} {sha256(map_js)};" in page
    assert f"<script>{map_js}</script>" in page
    assert f"script-src {sha256(table_js)};" in table
    assert f"<script>{table_js}</script>" in table


def test_a_script_that_could_end_its_element_is_refused():
    with pytest.raises(RuntimeError, match="cannot be inlined"):
        assets._inlinable("var s = '</SCRIPT>';", "js", "test.js")
    assert assets._inlinable("a\r\nb\rc", "css", "t.css") == "a\nb\nc"
