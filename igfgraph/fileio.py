"""Atomic outputs: a reader never sees a half-written file, nor a folder half old, half new.

Every file igfgraph writes goes through this module:

- :func:`write_atomic` writes one file: a temporary file beside it, flushed to disk,
  renamed over the target.
- :func:`open_atomic` is the same for a file written piece by piece (a streamed query
  result): the pieces go into the temporary file, which is renamed over the target only
  when the block ends without an error; otherwise it is removed.
- :func:`write_files` writes several files into a folder shared with other files (a map
  and its table): every temporary file is written first, then they are renamed in the
  given order with Ctrl-C and ``SIGTERM`` held back, so only a ``SIGKILL`` or a power
  cut in the microseconds between two renames can leave one old and one new.
- :func:`write_folder` writes a folder igfgraph owns (``igfgraph all --out DIR``): the
  files go into a temporary sibling folder, which then takes the place of the old one
  in one step (``renameat2(RENAME_EXCHANGE)`` on Linux; elsewhere two renames with the
  signals held back, and the next run puts the old folder back if a ``SIGKILL`` fell
  between them). Interrupted at any point, ``DIR`` holds the previous output whole or
  the new one whole.
- :func:`swap_folder` is that last step alone, for a folder made some other way (the
  on-disk Oxigraph store of ``igfgraph push``).

A full disk (or quota) is an :class:`~igfgraph.exceptions.OutputError` of one line that
names the target; the previous output is then untouched and no temporary file is left.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path

from igfgraph.exceptions import OutputError

__all__ = ["open_atomic", "swap_folder", "write_atomic", "write_files", "write_folder"]

#: errors that mean the disk (or the user's quota) is full
_FULL = {errno.ENOSPC, errno.EDQUOT}
#: marks our temporary siblings: ``.NAME.igfgraph-new-PID-XXXX`` / ``-old-``
_TAG = "igfgraph"


def _payload(data: str | bytes) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def _new_file_mode() -> int:
    return 0o666 & ~_umask()  # what open() gives a new file


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # a platform that cannot open folders (Windows): nothing to sync
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_temp(path: Path, payload: bytes) -> Path:
    """Write ``payload`` to a new temporary file beside ``path``; return its path."""
    try:
        mode = path.stat().st_mode & 0o777  # keep the permissions of the file we replace
    except FileNotFoundError:
        mode = _new_file_mode()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def _output_error(exc: OSError, target: Path, what: str) -> OutputError:
    """Turn an ``OSError`` into a one-line :class:`OutputError` naming ``target``."""
    if exc.errno in _FULL:
        reason = "no space left on the device" if exc.errno == errno.ENOSPC else "disk quota full"
    else:
        reason = (exc.strerror or str(exc)).lower()
    return OutputError(f"{target}: cannot write {what}: {reason}; nothing was replaced")


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold back SIGINT and SIGTERM until the block ends, then deliver them.

    A handler that only notes the signal stands in for the usual one (blocking the
    signal with ``pthread_sigmask`` would not do: the kernel hands a process-wide
    signal to any other thread that does not block it, numpy's for instance).
    """
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread receives Python signal handlers
        return
    caught: list[int] = []
    previous = {}
    for sig in (signal.SIGINT, signal.SIGTERM):
        if signal.getsignal(sig) is None:  # a handler set outside Python: leave it alone
            continue
        try:
            previous[sig] = signal.signal(sig, lambda signum, _frame: caught.append(signum))
        except (ValueError, OSError):  # not settable here
            pass
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for sig in dict.fromkeys(caught):
            signal.raise_signal(sig)  # now, with the usual handler


def write_atomic(path: Path | str, data: str | bytes) -> Path:
    r"""Write ``data`` to ``path`` through a temporary file in the same folder.

    Parameters
    ----------
    path : path-like
        Target file; its folder is created if missing.
    data : str or bytes
        Content; ``str`` is written as UTF-8 with ``\n`` line ends.

    Returns
    -------
    pathlib.Path
        The path written: a new file gets the usual permissions (0666 less the umask),
        a replaced file keeps its own.

    Raises
    ------
    OutputError
        The disk is full, or the target is a folder; the target is then untouched.
    OSError
        The folder cannot be created or written (naming ``path``, not the temporary
        file); the target is then untouched.
    """
    return write_files({path: data})[0]


class AtomicFile:
    """A binary file being written by :func:`open_atomic`.

    Attributes
    ----------
    target : pathlib.Path
        The file it will replace.
    temp : pathlib.Path
        The temporary file beside it that receives the bytes.
    """

    def __init__(self, target: Path, temp: Path, fh) -> None:
        self.target, self.temp, self._fh = target, temp, fh

    def write(self, data: str | bytes) -> int:
        """Append ``data`` (``str`` as UTF-8); return the number of bytes written.

        Raises
        ------
        OutputError
            The disk is full (the target is untouched, the temporary file removed when
            the block ends).
        """
        payload = _payload(data)
        try:
            self._fh.write(payload)
        except OSError as exc:
            if exc.errno in _FULL:
                raise _output_error(exc, self.target, "the file") from None
            raise
        return len(payload)

    def discard(self) -> None:
        """Remove the temporary file now (safe from a watchdog thread about to end the process)."""
        with contextlib.suppress(OSError):
            os.unlink(self.temp)


@contextlib.contextmanager
def open_atomic(path: Path | str) -> Iterator[AtomicFile]:
    """Write a file piece by piece, replacing ``path`` only if the whole block succeeds.

    Parameters
    ----------
    path : path-like
        Target file; its folder is created if missing.

    Yields
    ------
    AtomicFile
        Its ``write(str | bytes)`` appends to a temporary file beside ``path``
        (``.NAME.XXXX.tmp``). When the block ends normally the file is flushed to disk and
        renamed over ``path`` (a new file gets 0666 less the umask, a replaced one keeps
        its permissions), with Ctrl-C held back during the rename; when it raises, the
        temporary file is removed and ``path`` is as it was.

    Raises
    ------
    OutputError
        The target is a folder, or the disk is full; the target is then untouched.
    OSError
        The folder cannot be created or written (naming ``path``).
    """
    target = Path(path)
    if target.is_dir():
        raise OutputError(f"{target}: is a folder, not a file")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            mode = target.stat().st_mode & 0o777
        except FileNotFoundError:
            mode = _new_file_mode()
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        if exc.errno in _FULL:
            raise _output_error(exc, target, "the file") from None
        raise type(exc)(exc.errno, exc.strerror or str(exc), str(target)) from exc
    temp = Path(tmp)
    try:
        with os.fdopen(fd, "wb", buffering=1 << 16) as fh:
            yield AtomicFile(target, temp, fh)
            try:
                fh.flush()
                os.fsync(fh.fileno())
            except OSError as exc:
                if exc.errno in _FULL:
                    raise _output_error(exc, target, "the file") from None
                raise
        os.chmod(temp, mode)
        with _signals_held():
            os.replace(temp, target)
            _fsync_dir(target.parent)
    finally:
        temp.unlink(missing_ok=True)


def write_files(files: Mapping[Path | str, str | bytes]) -> list[Path]:
    """Write several files, each atomically, all rendered before any is replaced.

    Parameters
    ----------
    files : mapping of path-like to str or bytes
        Target → content, in the order the targets are to be replaced (put a file that
        links to another after it). Folders are created if missing.

    Returns
    -------
    list of pathlib.Path
        The targets, in order.

    Raises
    ------
    OutputError
        A target is a folder, or the disk is full: nothing is replaced then.
    OSError
        Another error while writing the temporary files: nothing is replaced then.
    """
    targets = [Path(p) for p in files]
    for path in targets:
        if path.is_dir():
            raise OutputError(f"{path}: is a folder, not a file")
    temps: list[Path] = []
    try:
        for path, data in zip(targets, files.values(), strict=True):
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                temps.append(_write_temp(path, _payload(data)))
            except OSError as exc:
                if exc.errno in _FULL:
                    raise _output_error(exc, path, "the file") from None
                raise type(exc)(exc.errno, exc.strerror or str(exc), str(path)) from exc
        with _signals_held():
            for tmp, path in zip(temps, targets, strict=True):
                os.replace(tmp, path)
            for folder in dict.fromkeys(p.parent for p in targets):
                _fsync_dir(folder)
    finally:
        for tmp in temps:
            tmp.unlink(missing_ok=True)
    return targets


# --------------------------------------------------------------------------- folders


def _libc_exchange() -> object | None:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        func = libc.renameat2
    except (OSError, AttributeError):
        return None
    func.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    func.restype = ctypes.c_int
    return func


_RENAMEAT2 = _libc_exchange() if os.name == "posix" else None
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2``); return False where unsupported."""
    if _RENAMEAT2 is None:
        return False
    result = _RENAMEAT2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False  # the file system or kernel cannot exchange: fall back
    raise OSError(err, os.strerror(err), str(b))


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def _leftovers(target: Path) -> Iterator[tuple[str, Path]]:
    """Yield (``new`` or ``old``, path) of temporary siblings left by dead runs."""
    prefix = f".{target.name}.{_TAG}-"
    with contextlib.suppress(OSError):
        for entry in target.parent.iterdir():
            if not entry.name.startswith(prefix):
                continue
            kind, _, rest = entry.name[len(prefix) :].partition("-")
            pid = rest.split("-", 1)[0]
            if kind not in ("new", "old") or not pid.isdigit():
                continue
            # a dead run's, or an interrupted one of this process (never two at once)
            if int(pid) == os.getpid() or not _pid_alive(int(pid)):
                yield kind, entry


def _recover(target: Path) -> None:
    """Undo what a killed run left: put back an old folder moved aside, drop temporaries."""
    left = sorted(_leftovers(target), key=lambda kv: kv[1].name)
    for kind, path in left:
        if kind == "old" and not os.path.lexists(target):
            os.rename(path, target)  # killed between the two renames of the fallback
    for _kind, path in left:
        if path.exists():
            shutil.rmtree(path, ignore_errors=True)


def _sibling(target: Path, kind: str) -> Path:
    return Path(
        tempfile.mkdtemp(prefix=f".{target.name}.{_TAG}-{kind}-{os.getpid()}-", dir=target.parent)
    )


def swap_folder(fresh: Path | str, target: Path | str) -> None:
    """Put the folder ``fresh`` in the place of ``target`` in one step, removing the old one.

    Parameters
    ----------
    fresh : path-like
        A complete folder, a sibling of ``target`` (same file system).
    target : path-like
        The folder to replace; it may be missing.

    Raises
    ------
    OutputError
        ``target`` exists and is not a folder.
    OSError
        The rename failed; ``target`` is then as it was.

    Notes
    -----
    On Linux the two folders are exchanged by ``renameat2(RENAME_EXCHANGE)``: at every
    moment ``target`` is the old folder or the new one. Where that call is missing
    (macOS, Windows, some file systems), the old folder is renamed aside and the new
    one into place with Ctrl-C held back; a ``SIGKILL`` between the two leaves
    ``target`` missing and the old folder aside, which the next :func:`write_folder`
    on the same target puts back.
    """
    fresh, target = Path(fresh), Path(target)
    if not os.path.lexists(target):
        os.rename(fresh, target)
        _fsync_dir(target.parent)
        return
    if not target.is_dir() or target.is_symlink():
        raise OutputError(f"{target}: is not a folder")
    old, swapped = None, False
    try:
        with _signals_held():
            if _exchange(fresh, target):
                old, swapped = fresh, True
            else:
                old = target.with_name(
                    f".{target.name}.{_TAG}-old-{os.getpid()}-{fresh.name.rsplit('-', 1)[-1]}"
                )
                os.rename(target, old)
                try:
                    os.rename(fresh, target)
                except BaseException:
                    os.rename(old, target)
                    raise
                swapped = True
            _fsync_dir(target.parent)
    finally:  # also when a Ctrl-C held back during the swap arrives now
        if swapped and old is not None:
            shutil.rmtree(old, ignore_errors=True)


def write_folder(
    target: Path | str, files: Mapping[str, str | bytes], *, what: str = "igfgraph"
) -> list[Path]:
    """Replace the folder ``target`` by one holding exactly ``files``, all or nothing.

    Parameters
    ----------
    target : path-like
        The output folder (created with its parents if missing). A symbolic link is
        followed: the folder it points to is replaced and the link kept.
    files : mapping of str to str or bytes
        File name → content (``str`` written as UTF-8). A name may be a relative path
        of names joined by ``/`` (``id/dc/dc3/index.html``): its folders are made.
    what : str, default "igfgraph"
        The command, named in errors.

    Returns
    -------
    list of pathlib.Path
        The files written, in the order of ``files``, under ``target``.

    Raises
    ------
    OutputError
        ``target`` is a file, holds something other than files named in ``files`` (it
        would be deleted: give a folder of its own), or the disk is full. Nothing is
        changed then.
    OSError
        Any other error while writing; ``target`` is then as it was.

    Notes
    -----
    The files are written (and flushed to disk) into a temporary sibling folder
    ``.NAME.igfgraph-new-PID-XXXX``, which :func:`swap_folder` then puts in place.
    Interrupted by Ctrl-C, ``SIGTERM`` or ``SIGKILL`` at any point, ``target`` holds
    the previous output whole or the new one whole, never a mix; temporaries left by a
    killed run are removed by the next run.
    """
    given = Path(target)
    target = Path(os.path.realpath(target))
    names = list(files)
    for name in names:
        parts = name.split("/")
        if any(part in ("", ".", "..") or "\\" in part for part in parts):
            raise ValueError(f"{name!r}: a file name or a relative path of names joined by '/'")
    tops = {name.split("/", 1)[0] for name in names}
    top_files = {name for name in names if "/" not in name}
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _recover(target)
    except OSError as exc:
        raise _output_error(exc, target, "the output folder") from None
    if os.path.lexists(target):
        if not target.is_dir():
            raise OutputError(f"{target}: is a file; {what} writes a folder there")
        entries = sorted(os.listdir(target))
        folders = [e for e in entries if e in top_files and (target / e).is_dir()]
        if folders:
            raise OutputError(
                f"{target / folders[0]}: is a folder; {what} writes a file there "
                "(nothing was changed)"
            )
        foreign = [e for e in entries if e not in tops]
        if foreign:
            shown = ", ".join(foreign[:5]) + (", …" if len(foreign) > 5 else "")
            raise OutputError(
                f"{target}: holds {len(foreign)} entr{'y' if len(foreign) == 1 else 'ies'} "
                f"{what} does not write ({shown}); {what} replaces the whole folder, so "
                "give it a new or empty folder of its own (nothing was changed)"
            )
        mode = target.stat().st_mode & 0o7777  # keep the permissions of the folder replaced
    else:
        mode = 0o777 & ~_umask()  # what mkdir() gives a new folder
    fresh: Path | None = None
    try:
        fresh = _sibling(target, "new")
        os.chmod(fresh, mode)
        file_mode = _new_file_mode()
        for name, data in files.items():
            if "/" in name:
                (fresh / name).parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(fresh / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, file_mode)
            with os.fdopen(fd, "wb") as fh:
                fh.write(_payload(data))
                fh.flush()
                os.fsync(fh.fileno())
        _fsync_dir(fresh)
        swap_folder(fresh, target)
        fresh = None
    except OSError as exc:
        if exc.errno in _FULL:
            raise _output_error(exc, target, "the output folder") from None
        raise
    finally:
        if fresh is not None:
            shutil.rmtree(fresh, ignore_errors=True)
    return [given / name for name in names]
