"""The endpoint's page in headless Chromium: what runs is what the user chose and filled in.

Regressions of issue 9: the page ran the text box (the example query) when a competency
question had been chosen and its parameters filled in, and showed ``@en`` after every
name in the results.
"""

from __future__ import annotations

import pytest
import requests

from tests import browser, servers

igfgraph_endpoint = servers.igfgraph_endpoint  # session fixture: `igfgraph serve` on a port
TIMEOUT_MS = 60_000


@pytest.fixture(scope="module")
def base(igfgraph_endpoint) -> str:
    return igfgraph_endpoint.url.removesuffix("/sparql")


def answer(base: str, query: str) -> dict:
    """The endpoint's own SPARQL JSON answer to ``query`` (what the page should show)."""
    response = requests.post(
        base + "/sparql",
        data={"query": query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=120,
    )
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
def page(base):
    browser.require_browser()
    from playwright.sync_api import sync_playwright

    blocked, errors = [], []
    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=str(browser.CHROMIUM_PATH), args=browser.CHROMIUM_ARGS, headless=True
        )
        try:
            context = chromium.new_context(service_workers="block")

            def route(r):
                if r.request.url.startswith(base + "/"):
                    r.continue_()
                else:
                    blocked.append(r.request.url)
                    r.abort("blockedbyclient")

            context.route("**/*", route)
            tab = context.new_page()
            tab.on("console", lambda m: m.type == "error" and errors.append(m.text))
            tab.on("pageerror", lambda e: errors.append(str(e)))
            tab.goto(base + "/", wait_until="load", timeout=TIMEOUT_MS)
            tab.wait_for_selector("body[data-ready=true]", timeout=TIMEOUT_MS)
            yield tab
        finally:
            chromium.close()
    assert blocked == [] and errors == []


def table(tab) -> tuple[list[str], list[list[str]], list[list[str | None]]]:
    """Headers, cell texts and cell languages of the results table."""
    heads = tab.locator("#results th").all_text_contents()
    cells = tab.eval_on_selector_all(
        "#results tbody tr",
        "rows => rows.map(r => Array.from(r.cells).map(c => [c.textContent, c.lang || null]))",
    )
    return (
        heads,
        [[t for t, _ in row] for row in cells],
        [[lang for _, lang in row] for row in cells],
    )


def values(doc: dict) -> list[list[str]]:
    names = doc["head"]["vars"]
    return [[b[n]["value"] if n in b else "" for n in names] for b in doc["results"]["bindings"]]


def wait_for_rows(tab) -> None:
    tab.wait_for_function(
        "() => document.getElementById('status').textContent.includes('row(s)')",
        timeout=TIMEOUT_MS,
    )


@pytest.mark.browser
def test_run_runs_the_chosen_question_with_its_parameters(page, base):
    example = page.input_value("#query")
    page.select_option("#question", "dcs-without-session")
    page.fill("#params input[name=year]", "2021")
    page.click("#run")  # no "Show its SPARQL" first
    wait_for_rows(page)
    text = requests.get(
        base + "/queries/dcs-without-session.rq", params={"year": "2021"}, timeout=120
    ).text
    expected = answer(base, text)
    heads, cells, _langs = table(page)
    assert heads == expected["head"]["vars"] == ["dc", "name", "acronym", "established"]
    assert cells == values(expected) and cells  # the question for 2021, not the example
    assert page.input_value("#query") == text != example  # the box shows what ran
    # another year, typed and run at once: the question runs with it
    page.fill("#params input[name=year]", "2012")
    page.click("#run")
    page.wait_for_function(
        "() => document.getElementById('query').value.includes('2012')",
        timeout=TIMEOUT_MS,
    )
    wait_for_rows(page)
    text_2012 = requests.get(
        base + "/queries/dcs-without-session.rq", params={"year": "2012"}, timeout=120
    ).text
    assert table(page)[1] == values(answer(base, text_2012))
    # a query typed into the box runs as typed, question chosen or not
    page.fill("#query", "SELECT ?x WHERE { VALUES ?x { 1 2 3 } }")
    page.click("#run")
    page.wait_for_function(
        "() => document.getElementById('status').textContent.startsWith('3 row')",
        timeout=TIMEOUT_MS,
    )
    assert table(page)[1] == [["1"], ["2"], ["3"]]


@pytest.mark.browser
def test_result_cells_show_names_without_language_tags(page, base):
    query = page.input_value("#query")  # the example: coalitions and their names
    page.click("#run")
    wait_for_rows(page)
    expected = answer(base, query)
    heads, cells, langs = table(page)
    assert heads == expected["head"]["vars"]
    assert cells == values(expected)
    name = heads.index("name")
    tagged = [b["name"].get("xml:lang") for b in expected["results"]["bindings"]]
    assert "en" in tagged  # the names are language-tagged literals…
    assert not any(row[name].endswith("@en") or " @" in row[name] for row in cells)  # …shown bare
    assert [row[name] for row in langs] == tagged  # the tag is the cell's lang attribute
