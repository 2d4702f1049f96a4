"""Keeping the data current: read IGF documents into reviewed, sourced change sets.

- :mod:`igfgraph.upkeep.document` reads text, Markdown, HTML and PDF into located blocks;
- :mod:`igfgraph.upkeep.extract` finds DC entries and session listings in them and matches
  them to the data (``igfgraph extract``);
- :mod:`igfgraph.upkeep.register` compares a change set with the data and applies it
  (``igfgraph diff-register``).
"""
