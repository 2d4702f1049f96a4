"""The state behind one running endpoint: worker pool, limits, VoID and service description."""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from igfgraph.endpoint.options import DEFAULT_HOST, DEFAULT_PORT, ServeOptions
from igfgraph.endpoint.pool import Reply, WorkerPool
from igfgraph.exceptions import InputError

# --------------------------------------------------------------------------- endpoint


@dataclass
class LocalEndpoint:
    """The state behind one running endpoint: the worker pool, limits, VoID description.

    Use :meth:`open` (or :func:`serve`), and :meth:`close` when done.
    """

    pool: WorkerPool
    options: ServeOptions
    tempdir: str | None = None
    base_url: str = f"http://{DEFAULT_HOST}:{DEFAULT_PORT}"
    void_graph: object = None
    _close_hooks: list[Callable[[], None]] = field(default_factory=list)

    @classmethod
    def open(
        cls,
        store: str = "oxigraph",
        *,
        data: Path | str | None = None,
        options: ServeOptions | None = None,
        content=None,
    ) -> LocalEndpoint:
        """Prepare the graph for the workers and start them.

        Parameters
        ----------
        store : str, default "oxigraph"
            ``oxigraph`` (built from ``data`` into a temporary on-disk store),
            ``oxigraph:PATH`` (opened read-only; built there first if empty) or ``memory``
            (rdflib's engine). A ``sparql:`` store is already an endpoint and is refused.
        data : path-like, optional
            The data folder (the shipped data when ``None``).
        options : ServeOptions, optional
            Limits and switches.
        content : rdflib.Graph, optional
            An already built graph to serve instead of building one from ``data``.

        Returns
        -------
        LocalEndpoint
            Ready to answer.

        Raises
        ------
        InputError
            A ``sparql:`` store, or unreadable data.
        """
        from igfgraph.pipeline import validated_graph
        from igfgraph.stores import _content, _open_disk, parse_store

        options = options or ServeOptions()
        spec = parse_store(store)
        if spec.kind == "sparql":
            msg = f"{spec} is a SPARQL server already: query it directly, or serve a local store"
            raise InputError(msg)
        tempdir = tempfile.mkdtemp(prefix="igfgraph-serve-")
        try:
            if spec.kind == "memory":
                location = os.path.join(tempdir, "graph.nt")
                graph = _content(content, data, validated_graph)
                Path(location).write_bytes(graph.serialize(format="nt", encoding="utf-8"))
                kind = "memory"
            else:
                path = spec.path if spec.path is not None else Path(tempdir) / "store"
                disk = _open_disk(path, content, data, validated_graph)
                del disk
                location, kind = str(path), "oxigraph"
            pool = WorkerPool(
                kind,
                location,
                options.workers,
                isolate=options.isolate_network and not options.allow_service,
                max_memory=options.max_memory,
                max_queue=options.max_queue,
                logdir=tempdir,
            ).start()
        except BaseException:
            shutil.rmtree(tempdir, ignore_errors=True)
            raise
        return cls(pool=pool, options=options, tempdir=tempdir)

    def close(self) -> None:
        """Stop the workers and remove temporary files."""
        self.pool.close()
        if self.tempdir:
            shutil.rmtree(self.tempdir, ignore_errors=True)

    def _job(
        self,
        text: str,
        accept: Iterable[str],
        default_graphs: list[str] | None,
        named_graphs: list[str] | None,
        prologue: bool,
    ) -> dict | Reply:
        """Build a worker's job, or refuse what the HTTP process can tell in linear time."""
        if len(text.encode("utf-8")) > self.options.max_query_bytes:
            return Reply.error(
                413, f"the query is longer than {self.options.max_query_bytes} bytes"
            )
        graphs = (("default-graph-uri", default_graphs), ("named-graph-uri", named_graphs))
        for name, iris in graphs:
            for iri in iris or ():
                try:
                    ox.NamedNode(iri)
                except ValueError as exc:
                    return Reply.error(400, f"{name} {iri!r} is not an absolute IRI: {exc}")
        return {
            "query": text,
            "accept": list(accept),
            "max_rows": self.options.max_rows,
            "max_bytes": self.options.max_bytes,
            "allow_service": self.options.allow_service,
            "default_graphs": default_graphs or None,
            "named_graphs": named_graphs or None,
            "prologue": prologue,
        }

    def run_query(
        self,
        text: str,
        accept: Iterable[str] = (),
        *,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        prologue: bool = True,
        client: str = "",
    ) -> Reply:
        """Check and run one query, blocking.

        The grammar check (updates, ``SERVICE``) runs in the worker, under the time limit
        and the memory cap; here only the size and the graph IRIs are checked.

        Parameters
        ----------
        text : str
            The query.
        accept : iterable of str
            Acceptable media types, best first.
        default_graphs, named_graphs : list of str, optional
            The SPARQL Protocol's ``default-graph-uri`` and ``named-graph-uri``.
        prologue : bool, default True
            Predeclare the project's prefixes.
        client : str, default ""
            The client's address (a free worker goes to the client with the fewest running).

        Returns
        -------
        Reply
            The answer or a plain-text error.
        """
        job = self._job(text, accept, default_graphs, named_graphs, prologue)
        if isinstance(job, Reply):
            return job
        return self.pool.call(job, self.options.timeout, client=client)

    async def arun_query(
        self,
        text: str,
        accept: Iterable[str] = (),
        *,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        prologue: bool = True,
        client: str = "",
    ) -> Reply:
        """Check and run one query without blocking the event loop (see :meth:`run_query`)."""
        job = self._job(text, accept, default_graphs, named_graphs, prologue)
        if isinstance(job, Reply):
            return job
        return await self.pool.acall(job, self.options.timeout, client=client)

    # -- VoID and service description --------------------------------------------------
    def describe(self, base_url: str) -> None:
        """Build the VoID description once the endpoint's address is known.

        Parameters
        ----------
        base_url : str
            ``http://host:port`` the endpoint answers at.
        """
        from rdflib import Graph, Literal, URIRef
        from rdflib.namespace import RDF, VOID

        from igfgraph.namespaces import bind_prefixes

        self.base_url = base_url.rstrip("/")
        graph = bind_prefixes(Graph())
        reply = self.run_query(
            "CONSTRUCT { ?d ?p ?o } WHERE { ?d a void:Dataset ; ?p ?o }",
            ["application/n-triples"],
        )
        if reply.status == 200:
            graph.parse(data=reply.body.decode("utf-8"), format="nt")
        datasets = sorted(set(graph.subjects(RDF.type, VOID.Dataset)))
        reply = self.run_query(
            "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class",
            ["application/sparql-results+json"],
        )
        classes = []
        if reply.status == 200:
            for b in json.loads(reply.body)["results"]["bindings"]:
                if b["class"]["type"] == "uri":
                    classes.append((b["class"]["value"], int(b["n"]["value"])))
        for d in datasets:
            graph.add((d, VOID.sparqlEndpoint, URIRef(self.base_url + "/sparql")))
            for cls, n in sorted(classes):
                local = re.sub(r"[^A-Za-z0-9_-]", "-", cls.rsplit("#", 1)[-1].rsplit("/", 1)[-1])
                part = URIRef(f"{d}#class-{local}")
                graph.add((d, VOID.classPartition, part))
                graph.add((part, VOID["class"], URIRef(cls)))
                graph.add((part, VOID.entities, Literal(n)))
        self.void_graph = graph

    def void(self, media: str) -> tuple[str, bytes]:
        """Serialise the VoID description (Turtle unless another RDF format is asked for)."""
        return _rdf_out(self.void_graph, media)

    def service_description(self, media: str) -> tuple[str, bytes]:
        """Serialise the SPARQL 1.1 Service Description together with the VoID description."""
        from rdflib import Graph, URIRef
        from rdflib.namespace import RDF, VOID, Namespace

        from igfgraph.namespaces import bind_prefixes

        sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
        formats = Namespace("http://www.w3.org/ns/formats/")
        graph = bind_prefixes(Graph())
        graph.bind("sd", sd)
        for triple in self.void_graph:
            graph.add(triple)
        service = URIRef(self.base_url + "/sparql")
        graph.add((service, RDF.type, sd.Service))
        graph.add((service, sd.endpoint, service))
        graph.add((service, sd.supportedLanguage, sd.SPARQL11Query))
        for name in (
            "SPARQL_Results_JSON",
            "SPARQL_Results_XML",
            "SPARQL_Results_CSV",
            "SPARQL_Results_TSV",
            "Turtle",
            "N-Triples",
            "RDF_XML",
            "JSON-LD",
        ):
            graph.add((service, sd.resultFormat, formats[name]))
        for d in graph.subjects(RDF.type, VOID.Dataset):
            graph.add((service, sd.defaultDataset, d))
            graph.add((d, RDF.type, sd.Dataset))
        return _rdf_out(graph, media)


def _rdf_out(graph, media: str) -> tuple[str, bytes]:
    fmt = {
        "application/n-triples": ("nt", "application/n-triples"),
        "text/plain": ("nt", "application/n-triples"),
        "application/rdf+xml": ("xml", "application/rdf+xml"),
        "application/ld+json": ("json-ld", "application/ld+json"),
    }.get(media, ("turtle", "text/turtle"))
    return fmt[1] + "; charset=utf-8", graph.serialize(format=fmt[0], encoding="utf-8")
