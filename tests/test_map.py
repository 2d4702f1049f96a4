"""The real map (``igfgraph viz`` / ``map.html``) in headless Chromium, offline.

The number of nodes vis-network drew must equal a separate SPARQL count of what the
landscape view shows: every body (instances of subclasses of igf:Body) and every theme
some body addresses, with the NRIs drawn as one node per UN regional group
(cross-regional initiatives together).
"""

from __future__ import annotations

import pytest

from igfgraph.sparql import query_frame
from igfgraph.views import landscape_view
from igfgraph.viz import write_html
from tests import browser
from tests.browser import assert_not_blank

chromium = browser.chromium  # the module-scoped fixture

pytestmark = pytest.mark.browser

SHOWN = """
SELECT (COUNT(DISTINCT ?n) AS ?count) WHERE {
  { ?n a ?c . ?c rdfs:subClassOf* igf:Body .
    FILTER NOT EXISTS { ?n a ?k . ?k rdfs:subClassOf* igf:NRI } }
  UNION
  { ?b a ?c . ?c rdfs:subClassOf* igf:Body . ?b igf:addressesTheme ?n }
  UNION
  { ?x a ?k . ?k rdfs:subClassOf* igf:NRI .
    OPTIONAL { ?x igf:regionalGroup ?g } BIND (COALESCE(?g, "cross-regional") AS ?n) }
}
"""


def drawn_nodes(page) -> int:
    return page.eval("network.body.nodeIndices.length")


@pytest.mark.parametrize("which", ["mini", "shipped"])
def test_landscape_map_offline(which, chromium, request, tmp_path):
    store = request.getfixturevalue(f"{which}_store")
    path = write_html(landscape_view(store), tmp_path / "map.html", title="IGF landscape")
    page = chromium.open(path)
    assert page.blocked_requests == []
    assert page.console_errors == [] and page.page_errors == []
    assert page.dialogs == []
    expected = int(query_frame(store, SHOWN)["count"].iloc[0])
    assert drawn_nodes(page) == expected
    if which == "mini":
        # 6 bodies + 2 NRI groups (Eastern European Group, cross-regional) + the 4 themes
        # the bodies address (human-rights has none)
        assert expected == 12
    assert_not_blank(page.screenshot(f"map-{which}.png", selector="#igfgraph-network"))


def test_cli_map_is_byte_identical(mini_package, tmp_path):
    from click.testing import CliRunner

    from igfgraph.cli import cli

    runner = CliRunner()
    for name in ("a.html", "b.html"):
        result = runner.invoke(
            cli, ["viz", "--data", str(mini_package), "--out", str(tmp_path / name)]
        )
        assert result.exit_code == 0, result.output
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()
