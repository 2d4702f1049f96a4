"""Read a document (text, Markdown, HTML or PDF) into located blocks of text.

A block is one line of a text file, one element of an HTML page (a paragraph, heading,
list item or table row) or one line of a PDF page, with a *locator* saying where it is
(``line 113``, ``body/ol[1]/li[8]``, ``page 3, line 12``), so that a candidate row can
point at its place in the document instead of copying its prose.

Refused, with one line naming the file: a document larger than :data:`MAX_BYTES`, an
empty one, one with no text (a binary file, a PDF of scanned images), one that is not
UTF-8 text, and a PDF that cannot be parsed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from igfgraph.csvio import read_text
from igfgraph.exceptions import InputError

__all__ = ["MAX_BYTES", "Block", "DocumentError", "read_document"]

#: Largest document read, in bytes (20 MB): an IGF list, programme or report is far smaller.
MAX_BYTES = 20 * 1024 * 1024

#: list markers: a bullet, then perhaps an item number ("1.", "1)", "Item 1:", "(1)")
_BULLET = re.compile(r"^(?:[-*+•▪◦·●■□‣–]\s+)")
_NUMBER = re.compile(r"^(?:item\s+)?\(?(\d{1,3})\s*[.):]\s+|^(?:item\s+)(\d{1,3})\s+[-–—]\s+", re.I)
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*]))")
_MD_TABLE_RULE = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")

_BLOCK_TAGS = {
    "p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "dt", "dd", "caption",
    "blockquote", "pre", "figcaption", "title", "div", "section", "article", "td", "th",
}  # fmt: skip
_SKIP_TAGS = {"script", "style", "template", "noscript", "svg", "head"}
_VOID_TAGS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip


class DocumentError(InputError):
    """A document that cannot be read: empty, binary, too large, broken (one line)."""


@dataclass(frozen=True)
class Block:
    """One located piece of a document's text.

    Attributes
    ----------
    text : str
        The text, markup removed, spaces collapsed; a list marker is removed too.
    locator : str
        Where it is: ``line N`` (text, Markdown), ``page P, line N`` (PDF) or the
        element path (HTML, ``body/table[1]/tr[4]``).
    number : int or None
        The item number of a numbered list item (``1.``, ``Item 8``, an ``<ol>`` item).
    item : bool
        Whether the block is a list item (numbered or bulleted).
    cells : tuple of str or None
        The cells of a table row (Markdown ``| a | b |`` or HTML ``<tr>``).
    header : bool
        A heading (Markdown ``#``, HTML ``<h1>``…), or a table header row.
    container : str
        What groups it: the HTML list or table it belongs to, ``table@N`` for a Markdown
        table starting on line N, ``""`` otherwise.
    """

    text: str
    locator: str
    number: int | None = None
    item: bool = False
    cells: tuple[str, ...] | None = None
    header: bool = False
    container: str = ""


def _clean(text: str) -> str:
    text = _MD_LINK.sub(r"\1", text)
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|])", r"\1", text)  # Markdown escapes
    text = _MD_EMPHASIS.sub("", text)
    return re.sub(r"\s+", " ", text).strip()


def _marker(text: str) -> tuple[str, int | None, bool]:
    """Remove list markers: return the text, the item number and whether it was an item."""
    item = False
    m = _BULLET.match(text)
    if m:
        text, item = text[m.end() :], True
    text = _clean(text)  # the number may sit inside a link: "- [1. DCAD …](#)"
    m = _NUMBER.match(text)
    if m:
        return text[m.end() :].strip(), int(m.group(1) or m.group(2)), True
    return text, None, item


def _text_blocks(text: str, page: int | None = None) -> list[Block]:
    blocks: list[Block] = []
    table_start = 0
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        where = f"page {page}, line {n}" if page is not None else f"line {n}"
        if not line:
            table_start = 0
            continue
        if line.startswith("|") and line.count("|") >= 2:
            if _MD_TABLE_RULE.match(line):
                continue
            if not table_start:
                table_start = n
            cells = tuple(_clean(c) for c in line.strip("|").split("|"))
            blocks.append(
                Block(
                    " | ".join(cells),
                    where,
                    cells=cells,
                    header=n == table_start,
                    container=f"table@{table_start}",
                )
            )
            continue
        table_start = 0
        heading = line.startswith("#")
        if heading:
            line = line.lstrip("#").strip()
        body, number, item = _marker(line)
        if body:
            blocks.append(Block(body, where, number, item, header=heading))
    return blocks


class _HtmlBlocks(HTMLParser):
    """Collect the block elements of an HTML page, each with its element path."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._stack: list[tuple[str, str]] = []  # (tag, path)
        self._counts: list[dict[str, int]] = [{}]
        self._open: list[dict] = []  # open blocks: path, text parts, cells, kind
        self._skip = 0
        self._starts: dict[str, int] = {}  # path of an <ol> -> its first item number

    # -- structure
    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _VOID_TAGS:
            if tag == "br" and self._open:
                self._open[-1]["parts"].append(" ")
            return
        counts = self._counts[-1]
        counts[tag] = counts.get(tag, 0) + 1
        parent = self._stack[-1][1] if self._stack else ""
        path = f"{parent}/{tag}[{counts[tag]}]" if parent else f"{tag}[{counts[tag]}]"
        self._stack.append((tag, path))
        self._counts.append({})
        if tag in _SKIP_TAGS:
            self._skip += 1
            return
        if self._skip:
            return
        if tag in ("td", "th") and self._open and self._open[-1]["tag"] == "tr":
            self._open[-1]["cells"].append([])
            self._open[-1]["th"] = self._open[-1]["th"] and tag == "th"
            return
        if tag == "ol":
            start = dict(attrs).get("start")
            self._starts[path] = int(start) if start and start.isdigit() else 1
        inside = any(b["tag"] in ("li", "tr") for b in self._open)
        if inside and tag not in ("li", "tr"):
            if tag in _BLOCK_TAGS and self._open[-1]["tag"] == "li":
                self._open[-1]["parts"].append("\n")  # a new paragraph of the item
            return  # a paragraph or heading inside a list item or a row is part of it
        if tag in _BLOCK_TAGS and tag not in ("td", "th"):
            number = None
            container = parent
            if tag == "li" and len(self._stack) > 1 and self._stack[-2][0] == "ol":
                number = self._starts.get(parent, 1) + counts[tag] - 1
            if tag == "tr":
                container = next((p for t, p in reversed(self._stack) if t == "table"), parent)
            self._open.append(
                {"tag": tag, "path": path, "parts": [], "cells": [], "th": True,
                 "number": number, "container": container}
            )  # fmt: skip

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID_TAGS:
            return
        while self._stack:
            open_tag, _path = self._stack.pop()
            self._counts.pop()
            if open_tag in _SKIP_TAGS:
                self._skip -= 1
            elif not self._skip and self._open and self._open[-1]["path"] == _path:
                self._close(self._open.pop())
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._skip or not self._open:
            return
        block = self._open[-1]
        if block["tag"] == "tr" and block["cells"]:
            block["cells"][-1].append(data)
        else:
            block["parts"].append(data)

    def _close(self, block: dict) -> None:
        path = block["path"].removeprefix("html[1]/")
        if block["tag"] == "tr":
            cells = tuple(re.sub(r"\s+", " ", "".join(c)).strip() for c in block["cells"])
            if any(cells):
                self.blocks.append(
                    Block(" | ".join(cells), path, cells=cells, header=block["th"],
                          container=block["container"])
                )  # fmt: skip
            return
        joined = "".join(block["parts"])
        if block["tag"] == "li":  # the item's first paragraph: its name or title
            joined = next((part for part in joined.split("\n") if part.strip()), "")
        text = re.sub(r"\s+", " ", joined).strip()
        if not text:
            return
        if block["tag"] == "li":
            body, number, _item = _marker(text)
            self.blocks.append(
                Block(body, path, block["number"] or number, True, container=block["container"])
            )
        else:
            body, number, item = _marker(text)
            heading = block["tag"] in ("h1", "h2", "h3", "h4", "h5", "h6", "title", "caption")
            self.blocks.append(Block(body, path, number, item, header=heading))

    def close(self) -> None:
        super().close()
        while self._open:
            self._close(self._open.pop())


def _pdf_blocks(path: Path) -> list[Block]:
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings are not our one line

    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            raise DocumentError(f"{path}: the PDF is encrypted; save an unencrypted copy")
        blocks: list[Block] = []
        for number, page in enumerate(reader.pages, start=1):
            blocks += _text_blocks(page.extract_text() or "", page=number)
    except DocumentError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DocumentError(f"{path}: not a readable PDF ({reason})") from None
    return blocks


def _is_html(path: Path, text: str) -> bool:
    if path.suffix.lower() in (".html", ".htm", ".xhtml"):
        return True
    # sniff the opening tags by name (a document type declaration, <html>, or a <body>)
    head = text.lstrip()[:200].lower()
    if any(head.startswith("<" + tag) for tag in ("!doctype html", "html")):
        return True
    return "<" + "body" in text[:2000].lower()


def read_document(path: Path | str) -> list[Block]:
    """Read a document into located blocks of text.

    Parameters
    ----------
    path : path-like
        A text (``.txt``), Markdown (``.md``), HTML (``.html``, or text starting with
        an HTML document type declaration or root element) or PDF (``.pdf`` or ``%PDF-``
        at the start) file of at most :data:`MAX_BYTES` bytes. Text must be UTF-8.

    Returns
    -------
    list of Block
        In document order.

    Raises
    ------
    DocumentError
        The file is missing, larger than :data:`MAX_BYTES`, empty, binary (a NUL byte,
        bytes that are not UTF-8), a broken or encrypted PDF, or holds no text; the
        one-line message names the file.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DocumentError(f"{path}: cannot read the document ({exc.strerror})") from None
    if path.is_dir():
        raise DocumentError(f"{path}: is a folder, not a document")
    if size > MAX_BYTES:
        raise DocumentError(
            f"{path}: the document is {size / 1024 / 1024:.1f} MB, larger than the "
            f"{MAX_BYTES // 1024 // 1024} MB igfgraph reads"
        )
    if size == 0:
        raise DocumentError(f"{path}: the document is empty")
    with path.open("rb") as fh:
        magic = fh.read(5)
    if magic == b"%PDF-" or path.suffix.lower() == ".pdf":
        blocks = _pdf_blocks(path)
    else:
        try:
            text = read_text(path)
        except UnicodeError as exc:
            raise DocumentError(
                f"{path}: {exc} (a binary file is not a document igfgraph reads)"
            ) from None
        except OSError as exc:
            raise DocumentError(f"{path}: cannot read the document ({exc.strerror})") from None
        if _is_html(path, text):
            parser = _HtmlBlocks()
            parser.feed(text)
            parser.close()
            blocks = parser.blocks
        else:
            blocks = _text_blocks(text)
    if not blocks:
        raise DocumentError(f"{path}: the document holds no text")
    return blocks
