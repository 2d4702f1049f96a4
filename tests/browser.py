"""Headless-Chromium harness for every HTML test of igfgraph.

Use the module-scoped ``chromium`` fixture (one browser per test module) and open pages
with it. Bind the fixture to a module-level name (importing it by name would trip
ruff's F811 at every test that takes it)::

    from tests import browser

    chromium = browser.chromium  # module-scoped fixture

    @pytest.mark.browser
    def test_map(chromium, tmp_path):
        page = chromium.open(tmp_path / "map.html")
        assert page.blocked_requests == [] and page.console_errors == []
        browser.assert_not_blank(page.screenshot("map.png", selector="#igfgraph-network"))

Outside pytest fixtures (scripts, benchmarks) use ``with open_in_chromium(path) as page``.

Each page gets a fresh browser context (fresh storage; Playwright's ``launch`` already
uses a new temporary user-data dir per browser). Every request other than ``file:``,
``data:`` and ``blob:`` is aborted and recorded in ``blocked_requests``; console errors,
uncaught page errors and dialogs (dismissed at once, so an XSS ``alert`` is recorded
instead of hanging the test) are collected too.

When Chromium or Playwright is missing the tests skip with
:data:`MISSING_BROWSER`, or fail with it when ``IGFGRAPH_REQUIRE_BROWSER=1`` (CI).
No browser is ever downloaded: the Debian ``chromium`` package is used.
"""

from __future__ import annotations

import contextlib
import os
import struct
import time
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import pytest

CHROMIUM_PATH = Path("/usr/bin/chromium")
MISSING_BROWSER = f"headless Chromium not found at {CHROMIUM_PATH}: apt-get install chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
REPO_ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO_ROOT / "test-artifacts"
#: What the harness waits for after ``load`` on an igfgraph map.
READY = "window.igfgraphReady === true"
_ALLOWED_SCHEMES = ("file:", "data:", "blob:", "about:")


def browser_unavailable(detail: str | None = None) -> NoReturn:
    """Skip the test, or fail it when ``IGFGRAPH_REQUIRE_BROWSER=1`` (as CI sets)."""
    message = MISSING_BROWSER if detail is None else f"{MISSING_BROWSER} ({detail})"
    if os.environ.get("IGFGRAPH_REQUIRE_BROWSER") == "1":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def require_browser() -> None:
    """Check that Playwright and ``/usr/bin/chromium`` are there (else skip or fail)."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        browser_unavailable("the Python package playwright is not installed")
    if not (CHROMIUM_PATH.is_file() and os.access(CHROMIUM_PATH, os.X_OK)):
        browser_unavailable()


@dataclass
class PageResult:
    """One opened page and everything it did that a test may want to assert on."""

    page: Any
    url: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    blocked_requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    load_seconds: float = 0.0

    def eval(self, js: str, arg: Any = None) -> Any:
        """Evaluate a JavaScript expression or function in the page; return its value."""
        return self.page.evaluate(js, arg)

    def screenshot(self, name: str | os.PathLike[str], *, selector: str | None = None) -> bytes:
        """Save a PNG (of the page, or of one element) and return its bytes.

        A relative ``name`` is put under ``test-artifacts/`` at the repository root.
        """
        path = Path(name)
        if not path.is_absolute():
            path = ARTIFACTS / path
        path.parent.mkdir(parents=True, exist_ok=True)
        target = self.page.locator(selector) if selector else self.page
        return target.screenshot(path=str(path))

    def node_position(self, node_id: str) -> tuple[float, float]:
        """Viewport coordinates of a vis-network node (the view is centred on it first)."""
        return tuple(
            self.eval(
                """(id) => {
                  network.focus(id, {scale: 1, animation: false});
                  const p = network.canvasToDOM(network.getPositions([id])[id]);
                  const r = network.body.container.getBoundingClientRect();
                  return [r.left + p.x, r.top + p.y];
                }""",
                node_id,
            )
        )

    def click_node(self, node_id: str) -> list[str]:
        """Click a node with the mouse; return the ids vis-network then has selected."""
        x, y = self.node_position(node_id)
        self.page.mouse.click(x, y)
        self.page.wait_for_timeout(50)
        return self.eval("network.getSelectedNodes()")

    def card(self) -> dict[str, Any]:
        """The node card as the page shows it: hidden?, node id, name, kind, field labels."""
        return self.eval(
            """() => {
              const card = document.getElementById("igfgraph-card");
              return {
                hidden: card.hidden,
                node: card.getAttribute("data-node"),
                name: document.getElementById("igfgraph-card-name").textContent,
                kind: document.getElementById("igfgraph-card-kind").textContent,
                fields: Array.from(card.querySelectorAll("#igfgraph-card-fields > dt"))
                  .map(dt => dt.textContent),
              };
            }"""
        )

    def hover_node(self, node_id: str, *, timeout_ms: int = 3000) -> Any:
        """Hover a node until its tooltip shows; return the tooltip element handle."""
        x, y = self.node_position(node_id)
        self.page.mouse.move(x - 3, y - 3)
        self.page.mouse.move(x, y, steps=3)
        self.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=timeout_ms)
        return self.page.query_selector("div.vis-tooltip")

    def close(self) -> None:
        """Close the page's browser context."""
        self.page.context.close()


class Chromium:
    """A running headless Chromium; :meth:`open` gives each page its own context."""

    def __init__(self) -> None:
        from playwright.sync_api import sync_playwright

        self._manager = sync_playwright()
        self._playwright = self._manager.start()
        try:
            self.browser = self._playwright.chromium.launch(
                executable_path=str(CHROMIUM_PATH), args=CHROMIUM_ARGS, headless=True
            )
        except Exception:
            self._manager.__exit__(None, None, None)
            raise
        self._pages: list[PageResult] = []

    def open(
        self,
        path: str | os.PathLike[str],
        *,
        wait_for: str | None = READY,
        timeout_s: float = 60.0,
        viewport: tuple[int, int] = (1200, 800),
        javascript: bool = True,
        init_script: str | None = None,
    ) -> PageResult:
        """Open a local HTML file offline and wait for it to load (and for ``wait_for``).

        Parameters
        ----------
        path
            The HTML file.
        wait_for
            A JavaScript expression to wait for after ``load`` (default: the igfgraph map's
            ready flag); ``None`` to wait for ``load`` only.
        timeout_s
            Time allowed for loading plus ``wait_for``.
        viewport
            Width and height of the window in CSS pixels.
        javascript
            Run the page's scripts (``False``: check what works without JavaScript).
        init_script
            JavaScript run in the page before its own scripts (Playwright's
            ``add_init_script``), e.g. a benchmark's listener for the first draw.
        """
        context = self.browser.new_context(
            viewport={"width": viewport[0], "height": viewport[1]},
            service_workers="block",
            java_script_enabled=javascript,
        )
        if init_script is not None:
            context.add_init_script(init_script)
        page = context.new_page()
        result = PageResult(page=page, url=Path(path).resolve().as_uri())

        def route(route: Any) -> None:
            url = route.request.url
            if url.startswith(_ALLOWED_SCHEMES):
                route.continue_()
            else:
                result.blocked_requests.append(url)
                route.abort("blockedbyclient")

        def web_socket(ws: Any) -> None:
            result.blocked_requests.append(ws.url)
            ws.close()

        def dialog(d: Any) -> None:
            result.dialogs.append(f"{d.type}: {d.message}")
            d.dismiss()

        context.route("**/*", route)
        context.route_web_socket("**/*", web_socket)
        page.on(
            "console",
            lambda msg: msg.type == "error" and result.console_errors.append(msg.text),
        )
        page.on("pageerror", lambda exc: result.page_errors.append(str(exc)))
        page.on("dialog", dialog)
        context.on("page", lambda popup: result.blocked_requests.append(f"popup: {popup.url}"))
        self._pages.append(result)

        start = time.perf_counter()
        timeout_ms = timeout_s * 1000
        page.goto(result.url, wait_until="load", timeout=timeout_ms)
        if wait_for is not None:
            left = max(1.0, timeout_ms - (time.perf_counter() - start) * 1000)
            page.wait_for_function(wait_for, timeout=left, polling=50)
        result.load_seconds = time.perf_counter() - start
        return result

    def close(self) -> None:
        """Close every page, the browser and Playwright."""
        for result in self._pages:
            with contextlib.suppress(Exception):
                result.close()
        with contextlib.suppress(Exception):
            self.browser.close()
        self._manager.__exit__(None, None, None)


def start_chromium() -> Chromium:
    """Start Chromium, or skip/fail the calling test with a clear message."""
    require_browser()
    try:
        return Chromium()
    except Exception as exc:  # noqa: BLE001 - any launch failure means "no usable browser"
        browser_unavailable(f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")


@pytest.fixture(scope="module")
def chromium() -> Iterator[Chromium]:
    """One headless Chromium per test module."""
    browser = start_chromium()
    try:
        yield browser
    finally:
        browser.close()


@contextlib.contextmanager
def open_in_chromium(path: str | os.PathLike[str], **kwargs: Any) -> Iterator[PageResult]:
    """Start a browser, open one page (see :meth:`Chromium.open`), close both afterwards.

    Raises ``ImportError`` or Playwright's errors when no browser can be started (it
    does not skip: call :func:`require_browser` first inside tests).
    """
    browser = Chromium()
    try:
        yield browser.open(path, **kwargs)
    finally:
        browser.close()


# --------------------------------------------------------------------------- screenshots


def png_pixels(png: bytes) -> tuple[int, int, list[bytes]]:
    """Decode an 8-bit RGB/RGBA, non-interlaced PNG (what Chromium writes) with zlib.

    Returns width, height and the rows of raw pixel bytes.
    """
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        msg = "not a PNG"
        raise ValueError(msg)
    offset, idat, header = 8, [], None
    while offset < len(png):
        (length,) = struct.unpack(">I", png[offset : offset + 4])
        kind = png[offset + 4 : offset + 8]
        body = png[offset + 8 : offset + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        offset += 12 + length
    if header is None:
        msg = "PNG without IHDR"
        raise ValueError(msg)
    width, height, depth, colour, _comp, _filter, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        msg = f"unsupported PNG (bit depth {depth}, colour type {colour}, interlace {interlace})"
        raise ValueError(msg)
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        ftype = raw[start]
        line = bytearray(raw[start + 1 : start + 1 + stride])
        if ftype == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xFF
        elif ftype == 2:
            line = bytearray((a + b) & 0xFF for a, b in zip(line, prev, strict=True))
        elif ftype == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 0xFF
        elif ftype == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = prev[i]
                c = prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xFF
        rows.append(bytes(line))
        prev = line
    return width, height, rows


def colour_stats(png: bytes) -> tuple[int, float]:
    """Return (number of distinct colours, share of pixels in the commonest colour)."""
    width, height, rows = png_pixels(png)
    bpp = len(rows[0]) // width if rows and width else 3
    counts: Counter[bytes] = Counter()
    for row in rows:
        counts.update(row[i : i + bpp] for i in range(0, len(row), bpp))
    total = width * height
    return len(counts), (counts.most_common(1)[0][1] / total if total else 1.0)


def assert_not_blank(png: bytes, *, min_colours: int = 4, max_dominant: float = 0.999) -> None:
    """Fail unless the PNG has some drawing: several colours, not all one background."""
    colours, dominant = colour_stats(png)
    assert colours >= min_colours and dominant <= max_dominant, (
        f"screenshot looks blank: {colours} distinct colours, "
        f"{dominant:.2%} of pixels in the commonest one"
    )
