"""The Linked Data site: a static page per entity, with its Turtle and JSON-LD beside it.

``igfgraph site --out DIR`` writes it; ``igfgraph all`` writes it into ``site/``.

* :mod:`~igfgraph.site.describe` — which entities have a page, where, and what each
  one's description (its triples and those of its qualified nodes) is;
* :mod:`~igfgraph.site.render` — the pages (Jinja2 templates, autoescape on), indexes,
  search page, content-negotiation maps and static files (:func:`render_site`,
  :func:`write_site`).
"""

from igfgraph.site.describe import ENTITY_KINDS, Entity, Triples, entities, site_path
from igfgraph.site.render import render_site, write_site

__all__ = [
    "ENTITY_KINDS",
    "Entity",
    "Triples",
    "entities",
    "render_site",
    "site_path",
    "write_site",
]
