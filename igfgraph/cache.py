"""Build once: the validated graph cached on disk as an Oxigraph store.

Every command that reads the graph used to check the tables, build the graph and run SHACL
first (seconds). The first one now leaves the validated graph in the user's cache folder as
an on-disk Oxigraph store beside a small build report (``report.json``); the next ones open
it read-only in milliseconds. The entry is named by a SHA-256 over

- every file of the data folder and its subfolders (``datapackage.json`` and the tables),
- every file of the ontology folder (``igf.ttl``, ``schemes.ttl``, ``shapes.ttl``, …),
- every file of the ``igfgraph`` package itself (the build code changes while the version
  number stays the same), and the versions of Python, pyoxigraph and rdflib,

so a changed CSV, ontology, shapes or source file builds a new entry; an entry is never
updated in place. Only a graph that passed the table checks and SHACL is cached; a build
that fails raises as it always did and leaves nothing behind.

Where: :func:`cache_dir` — ``$IGFGRAPH_CACHE_DIR`` if set, else the platform's user cache
folder (``platformdirs.user_cache_dir("igfgraph")``, e.g. ``~/.cache/igfgraph``).
``IGFGRAPH_NO_CACHE=1`` (the ``--no-cache`` option) builds in memory every time.

Two processes building the same entry at once: the first takes a lock file
(``<key>.lock``, :mod:`filelock`) and builds in a temporary folder that takes its final
name in one ``rename``; the second waits for the lock, then finds the entry and opens it.
A process killed mid-build leaves a temporary folder that the next build removes, never a
half-written entry.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from igfgraph import paths
from igfgraph.fileio import swap_folder

__all__ = [
    "CACHE_ENV",
    "KEEP_ENTRIES",
    "NO_CACHE_ENV",
    "CacheEntry",
    "cache_dir",
    "cache_enabled",
    "cache_entries",
    "cache_key",
    "cached_store_path",
    "cached_text",
    "clear_cache",
    "open_cached",
]

#: Environment variable naming the cache folder (tests point it at a temporary one).
CACHE_ENV = "IGFGRAPH_CACHE_DIR"
#: Environment variable that turns the cache off when set to 1 (``--no-cache``).
NO_CACHE_ENV = "IGFGRAPH_NO_CACHE"
#: Entries kept: a new build removes the oldest beyond this many.
KEEP_ENTRIES = 8
_STORE = "store"
_REPORT = "report.json"
_TMP_PREFIX = ".building-"
_LOCK_TIMEOUT = 600  # seconds to wait for another process's build


def cache_dir() -> Path:
    """Return the cache folder (``$IGFGRAPH_CACHE_DIR``, else the user cache folder)."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("igfgraph", appauthor=False))


def cache_enabled() -> bool:
    """Whether commands use the cache (``IGFGRAPH_NO_CACHE`` is not ``1``)."""
    return os.environ.get(NO_CACHE_ENV, "") not in ("1", "true", "yes")


def _hash_files(digest, label: str, folder: Path, *, recursive: bool) -> None:
    if not folder.is_dir():
        digest.update(f"{label}:missing\0".encode())
        return
    files = folder.rglob("*") if recursive else folder.iterdir()
    for path in sorted(p for p in files if p.is_file() and "__pycache__" not in p.parts):
        digest.update(f"{label}:{path.relative_to(folder).as_posix()}\0".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())


def _package_dir() -> Path:
    return Path(paths.__file__).resolve().parent


def cache_key(data: Path | str | None = None) -> str:
    """Return the cache key of a data folder with the current ontology, shapes and code.

    Parameters
    ----------
    data : path-like, optional
        The data folder (the shipped data when ``None``).

    Returns
    -------
    str
        64 hexadecimal digits (SHA-256; see the module notes for what goes in).

    Raises
    ------
    OSError
        A file cannot be read.
    """
    import rdflib

    folder = Path(data) if data is not None else paths.default_data_dir()
    digest = hashlib.sha256()
    versions = f"python {platform.python_version()} pyoxigraph {ox.__version__} "
    digest.update(f"{versions}rdflib {rdflib.__version__}\0".encode())
    _hash_files(digest, "data", folder, recursive=True)  # resources may sit in subfolders
    _hash_files(digest, "ontology", paths.ontology_dir(), recursive=True)
    _hash_files(digest, "package", _package_dir(), recursive=True)
    return digest.hexdigest()


@dataclass(frozen=True)
class CacheEntry:
    """One cached graph.

    Attributes
    ----------
    key : str
        Its :func:`cache_key`.
    path : pathlib.Path
        Its folder (``store/`` and ``report.json``).
    report : dict
        The build report: ``key``, ``data`` (the folder built), ``triples``,
        ``build_seconds``, ``igfgraph``, ``pyoxigraph`` (versions), ``built`` (UTC time).
    size : int
        Bytes on disk.
    """

    key: str
    path: Path
    report: dict
    size: int


def _entry(path: Path) -> CacheEntry | None:
    try:
        report = json.loads((path / _REPORT).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    size = sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return CacheEntry(path.name, path, report, size)


def cache_entries() -> list[CacheEntry]:
    """Return the complete entries of the cache, newest first."""
    root = cache_dir()
    if not root.is_dir():
        return []
    found = [_entry(p) for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")]
    entries = [e for e in found if e is not None]
    return sorted(entries, key=lambda e: (e.report.get("built", ""), e.key), reverse=True)


def clear_cache() -> int:
    """Remove every entry (and leftover temporary folders and locks) of the cache.

    Returns
    -------
    int
        Bytes freed.
    """
    root = cache_dir()
    if not root.is_dir():
        return 0
    freed = 0
    for path in root.iterdir():
        if path.is_dir():
            freed += sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
            shutil.rmtree(path, ignore_errors=True)
        elif path.suffix == ".lock":
            path.unlink(missing_ok=True)
    return freed


def _prune(root: Path, keep: str) -> None:
    for entry in cache_entries()[KEEP_ENTRIES:]:
        if entry.key != keep:
            shutil.rmtree(entry.path, ignore_errors=True)
    for path in root.glob(f"{_TMP_PREFIX}*"):  # left by a killed build (we hold no lock on it)
        if time.time() - path.stat().st_mtime > _LOCK_TIMEOUT:
            shutil.rmtree(path, ignore_errors=True)


def _build(root: Path, key: str, data: Path | str | None, build) -> None:
    start = time.perf_counter()
    store_in_memory = build(data)  # raises on bad tables or shapes: nothing is written
    seconds = time.perf_counter() - start
    tmp = Path(tempfile.mkdtemp(prefix=f"{_TMP_PREFIX}{key[:12]}-", dir=root))
    try:
        store = ox.Store(str(tmp / _STORE))
        store.bulk_extend(store_in_memory.quads_for_pattern(None, None, None, None))
        store.flush()
        triples = len(store)
        del store  # closes the database before the folder moves
        report = {
            "key": key,
            "data": str(Path(data).resolve() if data is not None else paths.default_data_dir()),
            "triples": triples,
            "build_seconds": round(seconds, 3),
            "igfgraph": _version(),
            "pyoxigraph": ox.__version__,
            "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        (tmp / _REPORT).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        swap_folder(tmp, root / key)  # one rename: the entry is whole or absent
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _version() -> str:
    from igfgraph import __version__

    return __version__


def cached_store_path(data: Path | str | None = None, *, build) -> Path:
    """Return the folder of the cached Oxigraph store of ``data``, building it first if needed.

    For processes that open the store themselves (the query workers of ``igfgraph serve``
    open it read-only). Parameters, errors: as :func:`open_cached`.

    Returns
    -------
    pathlib.Path
        The store's folder (open it with ``pyoxigraph.Store.read_only``).
    """
    from filelock import FileLock

    key = cache_key(data)
    root = cache_dir()
    path = root / key
    if not (path / _REPORT).is_file():
        root.mkdir(parents=True, exist_ok=True)
        with FileLock(str(root / f"{key}.lock"), timeout=_LOCK_TIMEOUT):
            if not (path / _REPORT).is_file():  # another process may have built it meanwhile
                _build(root, key, data, build)
                _prune(root, key)
    return path / _STORE


def open_cached(data: Path | str | None = None, *, build) -> ox.Store:
    """Open the cached validated graph of ``data``, building and caching it first if needed.

    Parameters
    ----------
    data : path-like, optional
        The data folder (the shipped data when ``None``).
    build : callable
        ``build(data) -> pyoxigraph.Store``: builds and validates the graph, raising on
        bad input (:func:`igfgraph.pipeline.validated_store`).

    Returns
    -------
    pyoxigraph.Store
        The graph, read-only, in its default graph.

    Raises
    ------
    Timeout
        Another process held the build lock for more than ten minutes
        (:class:`filelock.Timeout`).
    Exception
        Whatever ``build`` raises (nothing is cached then).
    """
    return ox.Store.read_only(str(cached_store_path(data, build=build)))


def cached_text(data: Path | str | None, name: str, make) -> str:
    """Return a text made from the cached graph of ``data``, made once and kept in its entry.

    For an output that is a function of the validated graph alone, such as its Turtle
    (``igfgraph all`` writes it as ``igf.ttl``): the first call makes it and stores it in
    the entry (``derived/NAME``, written atomically); later calls read it back. An entry's
    key covers the data, ontology, shapes and code, so the text cannot go stale.

    Parameters
    ----------
    data : path-like or None
        The data folder (the shipped data when ``None``), as given to :func:`open_cached`.
    name : str
        A file name for the text (letters, digits, ``.``, ``-``, ``_``; not starting with ``.``).
    make : callable
        ``make() -> str``: the text, made from the graph.

    Returns
    -------
    str
        The text; ``make()`` itself when the cache is off (``IGFGRAPH_NO_CACHE``) or the
        entry is missing (built meanwhile by nobody: nothing is stored then).

    Raises
    ------
    ValueError
        ``name`` is not a plain file name.
    """
    plain = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_"
    if not name or name.startswith(".") or name.strip(plain):
        raise ValueError(f"{name!r}: a plain file name")
    if not cache_enabled():
        return make()
    entry = cache_dir() / cache_key(data)
    path = entry / "derived" / name
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        pass
    text = make()
    if (entry / _REPORT).is_file():
        from igfgraph.exceptions import OutputError
        from igfgraph.fileio import write_atomic

        try:
            write_atomic(path, text)
        except (OSError, OutputError):  # a read-only or full cache: the text is still right
            pass
    return text
