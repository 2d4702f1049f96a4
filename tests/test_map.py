"""The real map (``igfgraph viz`` / ``map.html``) in headless Chromium, offline.

The number of nodes vis-network drew must equal a separate SPARQL count of what the
landscape view shows: every body (instances of subclasses of igf:Body) and every theme
some body addresses, with the NRIs drawn as one node per UN regional group
(cross-regional initiatives together), plus every modality that a recommendation names
together with a party it has no recorded liaison with (the dashed "recommended" link
needs it).
"""

from __future__ import annotations

import pytest

from igfgraph.maps import write_html
from igfgraph.sparql import query_frame
from igfgraph.views import landscape_view
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
  UNION
  { ?r a igf:Recommendation ; igf:recommends ?n, ?other . ?n a igf:Modality .
    FILTER (?n != ?other) FILTER NOT EXISTS { ?n igf:liaisesWith ?other } }
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
        # the bodies address (human-rights has none) + the modality "Dynamic Coalitions",
        # recommended to liaise with PN-X
        assert expected == 13
    assert_not_blank(page.screenshot(f"map-{which}.png", selector="#igfgraph-network"))


def test_cli_map_is_byte_identical(mini_package, tmp_path):
    from click.testing import CliRunner

    from igfgraph.cli import cli

    runner = CliRunner()
    for run in ("a", "b"):
        result = runner.invoke(
            cli, ["viz", "--data", str(mini_package), "--out", str(tmp_path / run / "map.html")]
        )
        assert result.exit_code == 0, result.output
    for name in ("map.html", "map-table.html"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
