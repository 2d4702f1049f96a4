"""The small library functions the notebooks call (hand-computed on the mini package)."""

from __future__ import annotations

import pytest

ID = "https://w3id.org/igfgraph/id/"


@pytest.fixture(scope="module")
def overlap(mini_built):
    from igfgraph.analysis import theme_network, theme_overlap
    from igfgraph.model import read_model

    B = theme_network(read_model(mini_built.graph))
    return B, theme_overlap(B)


def test_overlap_between_orients_and_ranks_the_pairs(overlap):
    from igfgraph.analysis import overlap_between

    _, frame = overlap
    got = overlap_between(frame, ["dynamic-coalition"], ["policy-network", "best-practice-forum"])
    # PN-X {connectivity, security}: DC-C {connectivity} 1/2, DC-B {child rights, security} 1/3,
    # DC-A {child rights, privacy, security} 1/4
    assert list(got["body_a"]) == [ID + "dc/dc-c", ID + "dc/dc-b", ID + "dc/dc-a"]
    assert set(got["body_b"]) == {ID + "pn/pn-x"} and set(got["kind_b"]) == {"policy-network"}
    assert list(got["jaccard"]) == pytest.approx([1 / 2, 1 / 3, 1 / 4])
    assert list(got["themes_a"]) == [1, 2, 3] and set(got["themes_b"]) == {2}
    assert overlap_between(frame, ["dynamic-coalition"], ["policy-network"], min_shared=2).empty


def test_overlap_matrix_is_symmetric_and_hand_computed(overlap):
    from igfgraph.plots import overlap_figure, overlap_matrix

    B, frame = overlap
    M = overlap_matrix(B, frame)
    assert set(M.index) == {ID + "dc/dc-a", ID + "dc/dc-b", ID + "dc/dc-c"}
    assert list(M.index) == list(M.columns)
    assert (
        M.loc[ID + "dc/dc-a", ID + "dc/dc-b"]
        == M.loc[ID + "dc/dc-b", ID + "dc/dc-a"]
        == pytest.approx(2 / 3)
    )
    assert M.loc[ID + "dc/dc-c", ID + "dc/dc-a"] == 0 and M.loc[ID + "dc/dc-c", ID + "dc/dc-c"] == 1
    assert M.attrs["labels"][ID + "dc/dc-a"] == "DC-A"
    fig = overlap_figure(M)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == [
        M.attrs["labels"][b] for b in M.index
    ]


def test_local_oxigraph_answers_on_loopback_and_stops(mini_built):
    from tests.servers import oxigraph_command, server_unavailable

    if oxigraph_command() is None:
        server_unavailable("the Oxigraph server is not installed: pip install oxigraph")
    from igfgraph.localserver import start_oxigraph
    from igfgraph.sparql import query_frame
    from igfgraph.stores import open_graph, push

    with start_oxigraph() as server:
        assert server.base.startswith("http://127.0.0.1:")
        assert push(mini_built.graph, server.store).triples == len(mini_built.graph)
        names = query_frame(
            open_graph(server.store),
            "SELECT ?n WHERE { ?d a igf:DynamicCoalition ; skos:prefLabel ?n } ORDER BY ?n",
        )
        assert list(names["n"]) == [
            "Dynamic Coalition A",
            "Dynamic Coalition B",
            "Dynamic Coalition C",
        ]
    assert server.process.poll() is not None and not server.folder.exists()
