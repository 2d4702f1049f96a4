"""Analyses over networkx views of the graph: overlap and liaison gaps."""

from igfgraph.analysis.gaps import *  # noqa: F403
from igfgraph.analysis.gaps import __all__ as _gaps
from igfgraph.analysis.graphs import *  # noqa: F403
from igfgraph.analysis.graphs import __all__ as _graphs
from igfgraph.analysis.overlap import *  # noqa: F403
from igfgraph.analysis.overlap import __all__ as _overlap

__all__ = [*_gaps, *_graphs, *_overlap]
