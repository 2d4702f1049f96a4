"""One resolver for body arguments (igfgraph/resolve.py): id, IRI, acronym, former name or
name, from the tables alone, with "did you mean" for an unknown one."""

from __future__ import annotations

from pathlib import Path

import pytest

from igfgraph.exceptions import InputError
from igfgraph.resolve import Resolver, UnknownBodyError, resolver_for
from igfgraph.tables import load_tables

FROZEN = Path(__file__).resolve().parent / "data" / "frozen-2025"
DC3 = "https://w3id.org/igfgraph/id/dc/dc3"


@pytest.fixture(scope="module")
def r():
    return resolver_for(FROZEN)


@pytest.mark.parametrize(
    ("text", "how"),
    [
        ("dc3", "id"),
        ("DC3", "id"),  # the id wins over the acronym that reads the same
        (DC3, "iri"),
        (f"<{DC3}>", "iri"),
        ("id:dc/dc3", "iri"),
        ("dc/dc3", "iri"),
        ("Dynamic Coalition on Community Connectivity", "name"),
        ("  dynamic   coalition on COMMUNITY connectivity ", "name"),
    ],
)
def test_every_form_of_dc3(r, text, how):
    ref = r.resolve(text)
    assert (ref.id, ref.iri, ref.kind, ref.how) == ("dc3", DC3, "dynamic-coalition", how)


def test_acronyms_former_and_variant_names(r):
    assert (r.resolve("DCCOS").id, r.resolve("DCCOS").how) == ("dc-children", "former-acronym")
    child = r.resolve("Dynamic Coalition on Child Online Safety")
    assert (child.id, child.how) == ("dc-children", "former-name")
    assert (r.resolve("BPF Cybersecurity").id, r.resolve("BPF Cybersecurity").how) == (
        "bpf-cybersecurity",
        "alt-name",
    )
    economy = r.resolve("dc-digital economy")
    assert (economy.id, economy.how) == ("dc-digital-economy", "acronym")
    assert r.resolve("PNMA").id == "pnma" and r.resolve("PNMA").how == "id"
    assert r.resolve("IRPC").iri == "https://w3id.org/igfgraph/id/dc/irpc"


def test_unknown_gets_did_you_mean(r):
    with pytest.raises(UnknownBodyError) as exc:
        r.resolve("DC-Blokchain")
    message = str(exc.value)
    assert message.startswith("no body with id, IRI, acronym or name 'DC-Blokchain'; did you mean ")
    assert (
        message.split("did you mean ")[1].split(" or ")[0]
        == "dc-blockchain (Dynamic Coalition on Blockchain Technologies)"
    )
    assert isinstance(exc.value, InputError)
    with pytest.raises(UnknownBodyError, match=r"^no body with id, IRI, acronym or name 'qqqqqq'$"):
        r.resolve("qqqqqq")
    with pytest.raises(UnknownBodyError, match="did you mean"):
        r.resolve("https://w3id.org/igfgraph/id/dc/dc33")


def test_an_acronym_several_bodies_share_is_refused_naming_them(r):
    with pytest.raises(UnknownBodyError) as exc:
        r.resolve("CIGF")
    assert str(exc.value) == (
        "'CIGF' is the acronym of several bodies: Caribbean IGF (caribbean-igf), "
        "Commonwealth IGF (commonwealth-igf), Canadian IGF (igf-ca); give an id"
    )


def test_a_name_beats_a_variant_of_another_body(tmp_path):
    from tests.conftest import make_package

    folder = make_package(tmp_path / "pkg")
    names = (folder / "body_names.csv").read_text(encoding="utf-8").splitlines()
    header = names[0].split(",")
    row = dict.fromkeys(header, "")
    row.update(
        body_id="dc-a", type="alt-name", value="Dynamic Coalition B", source_id="src-a", locator="x"
    )
    (folder / "body_names.csv").write_text(
        "\n".join([*names, ",".join(row[h] for h in header)]) + "\n", encoding="utf-8"
    )
    resolver = Resolver.from_tables(load_tables(folder, check=False))
    assert resolver.resolve("Dynamic Coalition B").id == "dc-b"  # the name beats the variant
    assert resolver.resolve("dc-a").id == "dc-a"


def test_no_graph_is_built(monkeypatch):
    import igfgraph.build

    def boom(*_a, **_k):
        raise AssertionError("the resolver built a graph")

    monkeypatch.setattr(igfgraph.build, "build_graph", boom)
    assert Resolver.from_tables(load_tables(FROZEN, check=False)).resolve("DC3").id == "dc3"
