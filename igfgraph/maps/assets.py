"""The files a map page is made of: templates, scripts and styles, and their CSP hashes.

The page and table templates (``templates/``, Jinja2 with autoescape on) and our scripts
and styles (``static/``) ship as package data; vis-network's script and style come from
inside the pyvis package. Every script is inlined, so the page loads nothing, and the
page's Content-Security-Policy allows exactly those scripts by their SHA-256 hash, which
:func:`content_security_policy` computes from the text as loaded, so a script edited in
its file can never be blocked by a stale hash.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
from importlib import resources
from typing import Any

import jinja2

__all__ = [
    "content_security_policy",
    "script_json",
    "static_text",
    "template",
    "vis_assets",
]

_VIS_DIR = ("templates", "lib", "vis-9.1.2")
_CLOSERS = {"js": "</script", "css": "</style"}


def _inlinable(text: str, kind: str, where: str) -> str:
    """Return text ready to inline in a ``kind`` element, or raise if it could break out."""
    # The HTML parser turns CRLF into LF before the CSP hash is checked; do it first.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lowered = text.lower()
    closer = _CLOSERS[kind]
    if closer in lowered or "<!--" in lowered:
        msg = f"{where} cannot be inlined safely (contains {closer!r} or '<!--')"
        raise RuntimeError(msg)
    return text


@functools.cache
def static_text(name: str) -> str:
    """Return one of the package's scripts or styles, ready to inline.

    Parameters
    ----------
    name : str
        A file of ``igfgraph/maps/static/``: ``map.js``, ``map.css``, ``table.js`` or
        ``table.css``.

    Returns
    -------
    str
        Its text with line ends normalised to LF.

    Raises
    ------
    FileNotFoundError
        If the package has no such file.
    RuntimeError
        If the text holds ``</script``, ``</style`` or ``<!--`` (it could end its element).
    """
    text = resources.files("igfgraph.maps").joinpath("static", name).read_text(encoding="utf-8")
    return _inlinable(text, name.rsplit(".", 1)[-1], f"igfgraph/maps/static/{name}")


@functools.cache
def vis_assets() -> tuple[str, str]:
    """Return the vis-network script and style that ship inside pyvis, ready to inline.

    Returns
    -------
    tuple of (str, str)
        The JavaScript (its source-map comment removed, so developer tools do not fetch
        a file that is not there) and the CSS, with LF line ends.

    Raises
    ------
    RuntimeError
        If either could end its element early (see :func:`static_text`).
    """
    folder = resources.files("pyvis").joinpath(*_VIS_DIR)
    js = folder.joinpath("vis-network.min.js").read_text(encoding="utf-8")
    css = folder.joinpath("vis-network.css").read_text(encoding="utf-8")
    js = _inlinable(js, "js", "vis-network JS in pyvis")
    css = _inlinable(css, "css", "vis-network CSS in pyvis")
    js = "\n".join(line for line in js.split("\n") if not line.startswith("//# sourceMappingURL="))
    return js, css


def content_security_policy(*scripts: str) -> str:
    """Return the page's Content-Security-Policy, allowing exactly ``scripts`` inline.

    Parameters
    ----------
    *scripts : str
        The texts of the page's inline scripts, exactly as the page holds them.

    Returns
    -------
    str
        A policy that loads nothing from anywhere (``default-src 'none'``), runs only
        those scripts (``'sha256-…'`` of each), allows inline styles and ``data:`` or
        ``blob:`` images (vis-network draws on a canvas) and no form or base URL.
    """
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() + "'"
        for s in scripts
    )
    return (
        "default-src 'none'; "
        f"script-src {hashes}; "
        "style-src 'unsafe-inline'; "
        "img-src data: blob:; "
        "base-uri 'none'; form-action 'none'"
    )


def script_json(value: Any) -> str:
    r"""Return JSON that is safe inside a JSON script element and in any HTML context.

    Parameters
    ----------
    value : Any
        A JSON-serialisable value (no NaN or infinity).

    Returns
    -------
    str
        Compact JSON with sorted keys, with ``<``, ``>``, ``&``, U+2028 and U+2029
        written as ``\u`` escapes, so no text in it can end the element.
    """
    text = json.dumps(
        value, ensure_ascii=False, allow_nan=False, sort_keys=True, separators=(",", ":")
    )
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("igfgraph.maps", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


def template(name: str) -> jinja2.Template:
    """Return one of the package's Jinja2 templates (autoescape on, undefined names fail).

    Parameters
    ----------
    name : str
        A file of ``igfgraph/maps/templates/``: ``map.html``, ``table.html`` or
        ``frame.html``.

    Returns
    -------
    jinja2.Template

    Raises
    ------
    jinja2.TemplateNotFound
        If the package has no such template.
    """
    return _environment().get_template(name)
