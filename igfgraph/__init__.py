"""igfgraph: an open, sourced knowledge graph of the Internet Governance Forum."""

__version__ = "0.1.0"
