"""A map shown inline in a notebook (Jupyter, VS Code, Colab), in an isolated frame."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

import networkx as nx
from markupsafe import Markup

from igfgraph.maps.assets import template
from igfgraph.maps.prepare import title_and_description
from igfgraph.maps.render import render_html

__all__ = ["NotebookView", "show"]


@dataclass(frozen=True)
class NotebookView:
    """A map shown inline by Jupyter, VS Code or Colab (see :func:`show`).

    Attributes
    ----------
    html : str
        The map's self-contained page, as :func:`igfgraph.maps.render_html` writes it.
    height : int
        Height of the frame in CSS pixels.
    title : str
        Accessible name of the frame.
    """

    html: str
    height: int
    title: str

    def iframe(self) -> str:
        """Return the frame element that holds the page in its ``srcdoc`` attribute.

        Returns
        -------
        str
            An iframe (``templates/frame.html``) sandboxed to scripts and pop-ups (no
            same-origin access to the notebook, no forms, no top navigation), its page
            escaped into ``srcdoc``.
        """
        return template("frame.html").render(
            srcdoc=Markup(html.escape(self.html, quote=True)),
            title=Markup(html.escape(self.title, quote=True)),
            height=self.height,
        )

    def _repr_html_(self) -> str:
        return self.iframe()


def show(G: nx.Graph, *, height: int = 640, **kwargs: Any) -> NotebookView:
    """Show a map inline in a notebook, in an isolated frame (``srcdoc``).

    pyvis' own notebook mode writes a file and points an iframe at it, which shows a
    blank area wherever the notebook cannot serve that file (VS Code, Colab, exported
    notebooks). Here the whole page travels inside the cell output, so it works
    wherever HTML output does, offline, and the sandboxed frame keeps its script away
    from the notebook.

    Parameters
    ----------
    G : networkx.Graph
        The graph, as described in :func:`igfgraph.maps.render_html`.
    height : int, default 640
        Height of the frame in CSS pixels.
    **kwargs
        Passed on to :func:`igfgraph.maps.render_html` (``title``, ``description``,
        ``seed``, ``physics``).

    Returns
    -------
    NotebookView
        Displayed by Jupyter through its ``_repr_html_``; ``.html`` is the page.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_edge("a", "b", kind="liaison")
    >>> show(G, title="Two nodes").iframe().startswith("<iframe srcdoc=")
    True
    """
    page = render_html(G, **kwargs)
    title, _description = title_and_description(G, kwargs.get("title"), None)
    return NotebookView(html=page, height=int(height), title=title)
