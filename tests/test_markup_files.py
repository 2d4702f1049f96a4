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
        found = markup_literals(path)
        if found:
            offenders[path.relative_to(ROOT).as_posix()] = found
    assert offenders == {}, "HTML/JS/CSS belongs in template or static files"


def test_endpoint_page_is_a_template_that_escapes(monkeypatch):
    import types

    from igfgraph.endpoint import http as serve

    nasty = {"name": 'x"><script>alert(1)</script>', "question": "<b>Which</b> & 'why'?"}
    monkeypatch.setattr(serve, "_queries_json", lambda: [nasty])
    endpoint = types.SimpleNamespace(
        pool=types.SimpleNamespace(triples=123),
        options=types.SimpleNamespace(timeout=4.0, max_rows=50),
    )
    page = serve._page(endpoint)
    assert (PACKAGE / "endpoint" / "templates" / "endpoint.html").is_file()
    assert "123 triples · queries stop after 4 s · at most 50 rows" in page
    assert "<script>alert" not in page and "<b>" not in page
    assert '<option value="x&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">' in page


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
