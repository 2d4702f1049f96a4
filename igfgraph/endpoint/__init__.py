"""The query side of ``igfgraph serve``: the grammar check and the isolated query workers.

The HTTP side is :mod:`igfgraph.endpoint.http` (the app), :mod:`~igfgraph.endpoint.pool`
(the workers, handed out fairly), :mod:`~igfgraph.endpoint.local` (one running endpoint's
state and VoID) and :mod:`~igfgraph.endpoint.server` (``serve``). Each query runs in a
worker process (:mod:`igfgraph.endpoint.worker`) that has no network of its own, a capped
address space and dies with the server; the worker checks the query on a real SPARQL parse
(:mod:`igfgraph.endpoint.grammar`) before the engine sees it. This package imports
nothing heavy, so that a worker can cut itself off before any thread starts.
"""
