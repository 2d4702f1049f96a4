"""igfgraph: an open, sourced knowledge graph of the Internet Governance Forum.

The library's face: the handful of functions the README and the notebooks use, importable
from the package itself::

    import igfgraph

    graph = igfgraph.open_graph()              # the validated graph (pyoxigraph.Store)
    model = igfgraph.read_model(graph)         # one typed read model of its facts
    gaps = igfgraph.find_gaps(model)           # ranked liaison gaps (pandas.DataFrame)
    igfgraph.write_view(igfgraph.landscape_view(model), "landscape.html")

Each name is imported on first use (PEP 562), so ``import igfgraph`` and ``igfgraph
--help`` stay quick: pandas, networkx and the SHACL engine load only when a function
that needs them is called.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

#: Public name → module that defines it.
_EXPORTS = {
    "build_validated": "igfgraph.pipeline",
    "open_graph": "igfgraph.pipeline",
    "read_model": "igfgraph.model",
    "ReadModel": "igfgraph.model",
    "named_query": "igfgraph.queries",
    "run_named": "igfgraph.queries",
    "query_frame": "igfgraph.sparql",
    "find_gaps": "igfgraph.analysis",
    "centrality": "igfgraph.analysis",
    "centrality_network": "igfgraph.analysis",
    "theme_network": "igfgraph.analysis",
    "theme_overlap": "igfgraph.analysis",
    "landscape_view": "igfgraph.views",
    "ego_view": "igfgraph.views",
    "write_view": "igfgraph.maps",
    "show": "igfgraph.maps",
}

__all__ = ["__version__", *sorted(_EXPORTS)]


def __getattr__(name: str):
    try:
        module = _EXPORTS[name]
    except KeyError:
        msg = f"module 'igfgraph' has no attribute {name!r}"
        raise AttributeError(msg) from None
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
