"""Analyses over networkx views of the graph.

* :mod:`~igfgraph.analysis.networks` — from the read model: the theme network, the
  collaboration network and the one centrality network;
* :mod:`~igfgraph.analysis.graphs` — typed networkx views of the graph;
* :mod:`~igfgraph.analysis.overlap` — thematic overlap, one column per measure;
* :mod:`~igfgraph.analysis.gaps` — ranked, explained liaison gaps;
* :mod:`~igfgraph.analysis.recommendations` — the DCCG's recommendations against liaisons;
* :mod:`~igfgraph.analysis.network` — centrality, brokerage, communities, components;
* :mod:`~igfgraph.analysis.coverage` — which themes many bodies address, and which none;
* :mod:`~igfgraph.analysis.presence` — who was active in a year without a session.
"""

from igfgraph.analysis.coverage import *  # noqa: F403
from igfgraph.analysis.coverage import __all__ as _coverage
from igfgraph.analysis.gaps import *  # noqa: F403
from igfgraph.analysis.gaps import __all__ as _gaps
from igfgraph.analysis.graphs import *  # noqa: F403
from igfgraph.analysis.graphs import __all__ as _graphs
from igfgraph.analysis.network import *  # noqa: F403
from igfgraph.analysis.network import __all__ as _network
from igfgraph.analysis.networks import *  # noqa: F403
from igfgraph.analysis.networks import __all__ as _networks
from igfgraph.analysis.overlap import *  # noqa: F403
from igfgraph.analysis.overlap import __all__ as _overlap
from igfgraph.analysis.presence import *  # noqa: F403
from igfgraph.analysis.presence import __all__ as _presence
from igfgraph.analysis.recommendations import *  # noqa: F403
from igfgraph.analysis.recommendations import __all__ as _recommendations

__all__ = [
    *_coverage, *_gaps, *_graphs, *_network, *_networks, *_overlap, *_presence,
    *_recommendations,
]  # fmt: skip
