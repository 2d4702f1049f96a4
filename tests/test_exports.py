"""`igfgraph export`: every format reads back as what was built (issue 14, "Exports").

The fixture is the mini package plus one body with a non-ASCII name, no summary and no
established year, three themes, and a liaison with no start year: it must survive every
export.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pandas as pd
import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, PROV, RDF, SKOS

from tests.conftest import make_package

ROOT = Path(__file__).resolve().parent.parent
ID = "https://w3id.org/igfgraph/id/"
NAME = "Coalizão de São Tomé, Côte d'Ivoire e Türkiye"
SAO = ID + "dc/dc-sao"
SRC_A, SRC_B = ID + "source/src-a", ID + "source/src-b"


def _append(path: Path, line: str) -> None:
    with path.open("a", encoding="utf-8") as fh:
        fh.write(line + "\n")


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    folder = make_package(tmp_path_factory.mktemp("export") / "pkg")
    _append(
        folder / "bodies.csv", f'dc-sao,dynamic-coalition,"{NAME}",,,,,src-a,Annex B item 9,medium,'
    )
    for theme in ("connectivity", "privacy", "security"):
        _append(folder / "body_themes.csv", f"dc-sao,{theme},stated,src-a,Annex B item 9,")
    _append(
        folder / "liaisons.csv",
        "dc-sao-dc-a,dc-sao,dc-a,collaboration,,,They talk.,src-b,Heading,low,",
    )
    return folder


@pytest.fixture(scope="module")
def built(package):
    from igfgraph.pipeline import build_validated

    return build_validated(package).graph  # SHACL-valid: the injected rows are good data


@pytest.fixture(scope="module")
def model(built):
    from igfgraph.model import read_model

    return read_model(built)


@pytest.fixture(scope="module")
def files(built, model):
    from igfgraph.exports import EXPORT_FORMATS, export_files

    out = {}
    for fmt in EXPORT_FORMATS:
        out[fmt] = export_files(built, model, fmt, "igf", with_themes=(fmt != "graphml"))
    out["graphml-themes"] = export_files(built, model, "graphml", "igf", with_themes=True)
    return out


def _text(content) -> str:
    return content.decode("utf-8") if isinstance(content, bytes) else content


# ---------------------------------------------------------------- RDF


def test_the_fixture_body_is_in_the_graph(built):
    assert (URIRef(SAO), SKOS.prefLabel, Literal(NAME, lang="en")) in built


@pytest.mark.parametrize(
    ("fmt", "rdflib_format", "ox_format"),
    [
        ("ttl", "turtle", ox.RdfFormat.TURTLE),
        ("nt", "nt", ox.RdfFormat.N_TRIPLES),
        ("jsonld", "json-ld", ox.RdfFormat.JSON_LD),
    ],
)
def test_triples_formats_read_back_isomorphic(files, built, fmt, rdflib_format, ox_format):
    text = _text(files[fmt][f"igf.{fmt}"])
    assert NAME in text  # written as UTF-8, not escaped
    assert isomorphic(Graph().parse(data=text, format=rdflib_format), built)
    store = ox.Store()
    store.load(text.encode("utf-8"), ox_format)
    dumped = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    assert isomorphic(Graph().parse(data=dumped.decode("utf-8"), format="nt"), built)


def test_jsonld_context_is_compact_and_published_beside(files):
    doc = json.loads(files["jsonld"]["igf.jsonld"])
    beside = json.loads(files["jsonld"]["igf.context.jsonld"])
    assert beside["@context"] == doc["@context"]
    ctx = doc["@context"]
    assert ctx["igf"] == "https://w3id.org/igfgraph/ontology#"
    assert ctx["DynamicCoalition"] == "igf:DynamicCoalition"
    assert ctx["addressesTheme"] == {"@id": "igf:addressesTheme", "@type": "@id"}
    node = next(n for n in doc["@graph"] if n["@id"] == SAO)
    assert node["@type"] == "DynamicCoalition"
    assert sorted(node["addressesTheme"]) == [
        ID + f"theme/{t}" for t in ("connectivity", "privacy", "security")
    ]


def _expected_graphs(built) -> tuple[set, dict[str, set]]:
    """Hand rule, written independently of the exporter: subject → its sources."""
    default, named = set(), {}
    for s, p, o in built:
        sources = set(built.objects(s, PROV.wasDerivedFrom))
        for record in built.objects(s, URIRef("http://xmlns.com/foaf/0.1/isPrimaryTopicOf")):
            sources |= set(built.objects(record, PROV.wasDerivedFrom))
        if not sources:
            default.add((s, p, o))
        for src in sources:
            named.setdefault(str(src), set()).add((s, p, o))
    return default, named


@pytest.mark.parametrize(
    ("fmt", "rdflib_format", "ox_format"),
    [("trig", "trig", ox.RdfFormat.TRIG), ("nq", "nquads", ox.RdfFormat.N_QUADS)],
)
def test_quads_formats_keep_one_named_graph_per_source(files, built, fmt, rdflib_format, ox_format):
    text = _text(files[fmt][f"igf.{fmt}"])
    default, named = _expected_graphs(built)
    assert set(named) == {SRC_A, SRC_B}  # the mini package cites two sources
    # rdflib
    ds = Dataset()
    ds.parse(data=text, format=rdflib_format)
    got = {str(g.identifier): g for g in ds.graphs() if len(g)}
    default_id = str(ds.default_context.identifier)
    got_default = got.pop(default_id, Graph())
    assert set(got) == set(named)
    for name, graph in got.items():
        assert isomorphic(graph, _graph(named[name])), name
    assert isomorphic(got_default, _graph(default))
    union = Graph()
    for g in [got_default, *got.values()]:
        for t in g:
            union.add(t)
    assert isomorphic(union, built)
    # facts land where their source is: the injected liaison rests on src-b, the body on src-a
    liaison = URIRef(ID + "liaison/dc-sao-dc-a")
    assert (liaison, PROV.wasDerivedFrom, URIRef(SRC_B)) in got[SRC_B]
    assert (liaison, PROV.wasDerivedFrom, URIRef(SRC_B)) not in got[SRC_A]
    assert (URIRef(SAO), SKOS.prefLabel, Literal(NAME, lang="en")) in got[SRC_A]
    dc = URIRef("https://w3id.org/igfgraph/ontology#DynamicCoalition")
    assert (dc, RDF.type, OWL.Class) in got_default
    # pyoxigraph
    store = ox.Store()
    store.load(text.encode("utf-8"), ox_format)
    names = {str(g.value) for g in store.named_graphs()}
    assert names == set(named)
    for name in names:
        dumped = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(name))
        assert isomorphic(
            Graph().parse(data=dumped.decode("utf-8"), format="nt"), _graph(named[name])
        )
    dumped = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    assert isomorphic(Graph().parse(data=dumped.decode("utf-8"), format="nt"), _graph(default))


def _graph(triples) -> Graph:
    g = Graph()
    for t in triples:
        g.add(t)
    return g


# ---------------------------------------------------------------- networks


def _no_none(G: nx.Graph) -> None:
    for _, d in G.nodes(data=True):
        assert all(isinstance(v, (str, int, float, list)) and v is not None for v in d.values()), d
    for *_, d in G.edges(data=True):
        assert all(isinstance(v, (str, int, float)) for v in d.values()), d


def _edges(G) -> dict:
    return {(frozenset((u, v)), k): d for u, v, k, d in G.edges(keys=True, data=True)}


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_gephi_formats_read_back_with_the_same_nodes_edges_and_attributes(files, model, fmt):
    from igfgraph.analysis import centrality_network
    from igfgraph.exports import network_export

    content = files["graphml-themes" if fmt == "graphml" else "gexf"][f"igf.{fmt}"]
    G = (
        nx.read_graphml(io.BytesIO(content))
        if fmt == "graphml"
        else nx.read_gexf(io.BytesIO(content))
    )
    expected = network_export(model, with_themes=True).graph
    assert set(G.nodes) == set(expected.nodes)
    for n, d in expected.nodes(data=True):
        got = dict(G.nodes[n])
        got.pop("spells", None)
        assert got == d, n
    got_edges, want_edges = _edges(G), _edges(expected)
    if fmt == "gexf":  # GEXF adds an edge id and the timeline (start, end)
        for d in got_edges.values():
            assert d.pop("start", None) == d.get("start_year")
            assert d.pop("end", None) == d.get("end_year")
            d.pop("id")
    assert got_edges == want_edges
    _no_none(G)
    # the bodies and ties are those of the one centrality network, typed
    C = centrality_network(model)
    bodies = {n for n, d in G.nodes(data=True) if d["layer"] == "body"}
    assert bodies == set(C.nodes)
    for a, b, ties in C.edges(data="ties"):
        relations = {d["relation"] for u, v, d in G.edges(data=True) if {u, v} == {a, b}}
        assert relations == set(ties), (a, b)
    # the injected body: non-ASCII name, no summary or year, three themes joined
    sao = G.nodes[SAO]
    assert sao["name"] == NAME and sao["kind"] == "dynamic-coalition"
    assert sao["themes"] == "Connectivity; Privacy; Security" and sao["theme_count"] == 3
    assert "summary" not in sao and "established" not in sao
    (liaison,) = [d for u, v, d in G.edges(data=True) if {u, v} == {SAO, ID + "dc/dc-a"}]
    assert liaison["relation"] == "collaboration" and liaison["evidence"] == "stated"
    assert "start_year" not in liaison
    # themes as a second layer, joined by their basis
    assert G.nodes[ID + "theme/privacy"]["layer"] == "theme"
    assert G.number_of_edges(SAO, ID + "theme/privacy") == 1


def test_gexf_has_a_timeline_from_the_activity_rule(files, model):
    G = nx.read_gexf(io.BytesIO(files["gexf"]["igf.gexf"]))
    assert G.graph["mode"] == "dynamic"
    # DC-A: established 2010, listed 2022 → active every year 2010-2022 (the activity rule)
    dca = model.bodies[ID + "dc/dc-a"]
    active = [
        y for y in range(2006, model.latest_year() + 1) if dca.activity(y).outcome == "active"
    ]
    assert G.nodes[ID + "dc/dc-a"]["spells"] == [(min(active), max(active))]
    assert "spells" not in G.nodes[SAO]  # nothing dated: no spell, never a None
    starts = {d.get("start") for u, v, d in G.edges(data=True) if d["relation"] == "collaboration"}
    assert 2020 in starts and 2021 in starts


def test_graphml_without_themes_has_only_bodies(files):
    G = nx.read_graphml(io.BytesIO(files["graphml"]["igf.graphml"]))
    assert {d["layer"] for _, d in G.nodes(data=True)} == {"body"}


def test_csv_node_and_edge_lists(files):
    nodes = pd.read_csv(io.StringIO(files["csv"]["igf-nodes.csv"]), keep_default_na=False)
    edges = pd.read_csv(io.StringIO(files["csv"]["igf-edges.csv"]), keep_default_na=False)
    row = nodes.set_index("iri").loc[SAO]
    assert (
        row["name"] == NAME
        and row["established"] == ""
        and row["themes"] == "Connectivity; Privacy; Security"
    )
    assert set(edges["source"]) | set(edges["target"]) <= set(nodes["iri"])
    assert (
        "nan" not in files["csv"]["igf-nodes.csv"] and "None" not in files["csv"]["igf-edges.csv"]
    )
    sao_edges = edges[(edges["source"] == SAO) | (edges["target"] == SAO)]
    assert sorted(sao_edges["relation"]) == ["addresses"] * 3 + ["collaboration"]


# ---------------------------------------------------------------- workbook


def test_workbook_has_every_table(files, model):
    from igfgraph.exports import WORKBOOK_SHEETS, analysis_tables

    sheets = pd.read_excel(
        io.BytesIO(files["xlsx"]["igf.xlsx"]), sheet_name=None, keep_default_na=False
    )
    assert list(sheets) == ["README", *WORKBOOK_SHEETS]
    tables = analysis_tables(model)
    readme = sheets["README"].set_index("sheet")
    for name, frame in tables.items():
        assert list(sheets[name].columns) == list(frame.columns), name
        assert len(sheets[name]) == len(frame), name
        assert int(readme.loc[name, "rows"]) == len(frame)
    overlap = sheets["overlap"].set_index(["body_a", "body_b"])
    # DC-A {child rights, privacy, security} and the injected body {connectivity, privacy,
    # security}: 2 shared of 4 themes
    assert overlap.loc[(ID + "dc/dc-a", SAO), "jaccard"] == 0.5
    assert NAME in set(sheets["centrality"]["label"]) | set(sheets["communities"]["label"])


def test_workbook_text_is_never_a_formula():
    from openpyxl import load_workbook

    from igfgraph.exports import analysis_workbook

    data = analysis_workbook({"overlap": pd.DataFrame({"label": ['=HYPERLINK("x")', "São Tomé"]})})
    ws = load_workbook(io.BytesIO(data))["overlap"]
    assert ws["A2"].data_type == "s" and ws["A2"].value == '=HYPERLINK("x")'
    assert ws["A3"].value == "São Tomé"


# ---------------------------------------------------------------- bytes and command line


def test_every_export_is_byte_identical_in_another_process(files, package, tmp_path):
    code = (
        "import sys; from pathlib import Path\n"
        "from igfgraph.pipeline import build_validated\n"
        "from igfgraph.model import read_model\n"
        "from igfgraph.exports import EXPORT_FORMATS, export\n"
        "g = build_validated(sys.argv[1]).graph; m = read_model(g)\n"
        "for f in EXPORT_FORMATS:\n"
        "    export(g, m, f, Path(sys.argv[2]) / ('igf' + EXPORT_FORMATS[f]), with_themes=(f != 'graphml'))\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", code, str(package), str(tmp_path)], check=True, env=env)
    for fmt, written in files.items():
        if fmt == "graphml-themes":
            continue
        for name, content in written.items():
            raw = content.encode("utf-8") if isinstance(content, str) else content
            assert (tmp_path / name).read_bytes() == raw, name


def test_export_command_writes_beside_out(package, tmp_path):
    from click.testing import CliRunner

    from igfgraph.cli import cli

    runner = CliRunner()
    out = tmp_path / "dossier é" / "réseau.csv"
    out.parent.mkdir()
    result = runner.invoke(
        cli, ["export", "--data", str(package), "--format", "csv", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.parent.iterdir()) == ["réseau-edges.csv", "réseau-nodes.csv"]
    result = runner.invoke(cli, ["export", "--data", str(package), "--format", "pdf"])
    assert result.exit_code == 2 and "pdf" in result.output
