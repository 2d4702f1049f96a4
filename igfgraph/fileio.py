"""Atomic file writes: a reader never sees a half-written output."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["write_atomic"]


def write_atomic(path: Path | str, data: str | bytes) -> Path:
    r"""Write ``data`` to ``path`` through a temporary file in the same folder.

    Parameters
    ----------
    path : path-like
        Target file; its folder is created if missing.
    data : str or bytes
        Content; ``str`` is written as UTF-8 with ``\\n`` line ends.

    Returns
    -------
    pathlib.Path
        The path written: a new file gets the usual permissions (0666 less the umask),
        a replaced file keeps its own.

    Raises
    ------
    OSError
        The folder cannot be created or written; the target is then left untouched.
    """
    path = Path(path)
    try:
        _write(path, data)
    except OSError as exc:  # name the file asked for, not the temporary one
        raise type(exc)(exc.errno, exc.strerror or str(exc), str(path)) from exc
    return path


def _write(path: Path, data: str | bytes) -> None:
    if path.is_dir():
        raise IsADirectoryError(21, "Is a folder, not a file", str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        mode = path.stat().st_mode & 0o777  # keep the permissions of the file we replace
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask  # what open() would give a new file
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
