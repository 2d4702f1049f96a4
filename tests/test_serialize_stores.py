"""The same graph gives the same bytes from any store: the build cache's Oxigraph store too.

Oxigraph hands every simple literal back typed ``xsd:string``; the serialiser and the site
write it as the simple literal it was built as, so ``igfgraph build`` and ``igfgraph all``
read the cached store and still write what the in-memory build wrote.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from rdflib import XSD, Graph, Literal, URIRef

from igfgraph.cli import cli
from igfgraph.serialize import plain_triples, serialize
from igfgraph.sparql import to_store
from igfgraph.stores import store_graph

EX = "http://example.org/"


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld"])
def test_an_oxigraph_backed_graph_serialises_as_the_memory_graph(mini_built, fmt):
    memory = mini_built.graph
    oxigraph = store_graph(to_store(memory))
    typed = [o for _s, _p, o in oxigraph if isinstance(o, Literal) and o.datatype == XSD.string]
    assert typed  # Oxigraph does type the simple literals: the case this guards
    assert serialize(oxigraph, fmt) == serialize(memory, fmt)
    assert "^^xsd:string" not in serialize(oxigraph, "ttl")


def test_plain_triples_makes_only_xsd_string_simple():
    s, p = URIRef(EX + "s"), URIRef(EX + "p")
    g = Graph()
    g.add((s, p, Literal("a", datatype=XSD.string)))
    g.add((s, p, Literal("b", lang="en")))
    g.add((s, p, Literal("2014", datatype=XSD.gYear)))
    objects = sorted((o for _s, _p, o in plain_triples(g)), key=str)
    assert [(str(o), o.datatype, o.language) for o in objects] == [
        ("2014", XSD.gYear, None),
        ("a", None, None),
        ("b", None, "en"),
    ]


def test_a_one_node_jsonld_document_lists_its_values_sorted():
    # the site writes one such document per entity; its value lists used to come out in
    # the store's order, which changed with Python's hash seed
    s, p = URIRef(EX + "s"), URIRef(EX + "p")
    names = ["c", "a", "d", "b"]
    forward, backward = Graph(), Graph()
    for name in names:
        forward.add((s, p, URIRef(EX + name)))
    for name in reversed(names):
        backward.add((s, p, URIRef(EX + name)))
    text = serialize(forward, "jsonld")
    assert text == serialize(backward, "jsonld")
    values = json.loads(text)[EX + "p"]
    assert [v["@id"] for v in values] == [EX + n for n in "abcd"]


def test_build_from_the_cache_is_the_in_memory_build(mini_package, tmp_path, monkeypatch):
    monkeypatch.setenv("IGFGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    runner = CliRunner()
    fresh = runner.invoke(cli, ["--no-cache", "build", "--data", str(mini_package)])
    monkeypatch.delenv("IGFGRAPH_NO_CACHE", raising=False)  # set by --no-cache above
    first = runner.invoke(cli, ["build", "--data", str(mini_package)])  # builds the cache
    again = runner.invoke(cli, ["build", "--data", str(mini_package)])  # opens it
    assert fresh.exit_code == first.exit_code == again.exit_code == 0, fresh.output
    assert list((tmp_path / "cache").iterdir())  # the cache was used
    assert fresh.stdout_bytes == first.stdout_bytes == again.stdout_bytes
    assert b'"^^xsd:string' not in fresh.stdout_bytes and b'"^^<http' not in fresh.stdout_bytes


def test_cached_text_is_made_once_per_entry(mini_package, tmp_path, monkeypatch):
    from igfgraph import cache
    from igfgraph.pipeline import validated_store

    monkeypatch.setenv("IGFGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("IGFGRAPH_NO_CACHE", raising=False)
    calls = []

    def make() -> str:
        calls.append(1)
        return f"text {len(calls)}\n"

    assert cache.cached_text(mini_package, "t.ttl", make) == "text 1\n"  # no entry: not kept
    cache.open_cached(mini_package, build=validated_store)
    assert cache.cached_text(mini_package, "t.ttl", make) == "text 2\n"  # made and kept
    assert cache.cached_text(mini_package, "t.ttl", make) == "text 2\n"  # read back
    entry = tmp_path / "cache" / cache.cache_key(mini_package)
    assert (entry / "derived" / "t.ttl").read_text() == "text 2\n" and len(calls) == 2
    monkeypatch.setenv("IGFGRAPH_NO_CACHE", "1")
    assert cache.cached_text(mini_package, "t.ttl", make) == "text 3\n"  # the cache is off
    with pytest.raises(ValueError, match="plain file name"):
        cache.cached_text(mini_package, "../x", make)
