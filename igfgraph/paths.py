"""Where the shipped data package and ontology live.

In a source checkout (or an editable install) they are the top-level ``data/`` and
``ontology/`` folders; in an installed wheel they are copied into the package as
``igfgraph/_data`` and ``igfgraph/_ontology``. Nothing here reads ``../shared``.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "default_data_dir",
    "ontology_dir",
    "ontology_file",
    "queries_dir",
    "schemes_file",
    "shapes_file",
]

_PKG = Path(__file__).resolve().parent


def _first_existing(*candidates: Path) -> Path:
    for candidate in candidates:
        if candidate.exists():
            return candidate
    return candidates[0]


def default_data_dir() -> Path:
    """Return the data package shipped with igfgraph.

    Returns
    -------
    pathlib.Path
        Folder holding ``datapackage.json`` and the CSV tables.
    """
    return _first_existing(
        _PKG.parent / "data" / "datapackage.json", _PKG / "_data" / "datapackage.json"
    ).parent


def ontology_dir() -> Path:
    """Return the folder holding ``igf.ttl``, ``shapes.ttl`` and ``queries/``.

    Returns
    -------
    pathlib.Path
        The ontology folder.
    """
    return _first_existing(
        _PKG.parent / "ontology" / "igf.ttl", _PKG / "_ontology" / "igf.ttl"
    ).parent


def ontology_file() -> Path:
    """Return the path of ``igf.ttl``, the igfgraph ontology."""
    return ontology_dir() / "igf.ttl"


def schemes_file() -> Path:
    """Return the path of ``schemes.ttl``, the ontology's SKOS concept schemes."""
    return ontology_dir() / "schemes.ttl"


def shapes_file() -> Path:
    """Return the path of ``shapes.ttl``, the SHACL shapes."""
    return ontology_dir() / "shapes.ttl"


def queries_dir() -> Path:
    """Return the folder of named SPARQL queries (``*.rq``)."""
    return ontology_dir() / "queries"
