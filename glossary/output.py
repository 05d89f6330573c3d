"""Where every export and build output is written: one rule for every kind of target.

``with output.writer(path) as handle: ...`` writes to ``path`` according to what is
there already (decided once, here, and documented in the README under "Output files"):

* nothing, or a regular file: a temporary file beside it, flushed to disk (not for
  ``glossary build``'s derived outputs: see :func:`writer`), then renamed over it
  (atomic: a reader sees the old or the new file, never half of one; on any error the
  old file is left as it was). The file keeps its permissions.
* a symbolic link to a regular file (or to nothing): the file the link points to is
  replaced atomically, and the link stays a link.
* a character device (``/dev/null``, a terminal) or a FIFO (a named pipe): written
  through, as a shell's ``>`` would; never replaced by a regular file.
* a directory: refused (``cannot write DIR: it is a directory``); a block device or a
  socket: refused.

Every ``OSError`` on the way becomes an :class:`OutputError`, printed by the CLI as
``Error: cannot write PATH: reason (what to do)`` with exit code 2.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from glossary.errors import GlossaryError

#: What to do about each error a write can meet (errno → advice).
ADVICE = {
    errno.ENOSPC: "the disk is full; free some space or write elsewhere with -o",
    errno.EDQUOT: "the disk quota is used up; free some space or write elsewhere with -o",
    errno.EROFS: "the file system is read-only; write elsewhere with -o",
    errno.EACCES: "you may not write there; check the permissions or write elsewhere with -o",
    errno.EPERM: "you may not write there; check the permissions or write elsewhere with -o",
    errno.EISDIR: "give a file name, not a folder",
    errno.ENOTDIR: "a part of the path is a file, not a directory; check the path",
    errno.ENOENT: "a folder on the way does not exist; check the path",
    errno.EFBIG: "the file would be too large for this file system; write elsewhere",
    errno.EIO: "the device reported an input/output error; check the disk",
    errno.ENAMETOOLONG: "the name is too long; choose a shorter path",
    errno.ELOOP: "too many symbolic links; check the path",
    errno.ENXIO: "nothing is reading at the other end (a FIFO?); start the reader first",
    errno.EPIPE: "the reader went away before the output was complete",
}

#: Errors that say the write itself failed (not the reading that produced the data).
WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG, errno.EIO,
                          errno.EPIPE, errno.EACCES, errno.EPERM})


class OutputError(GlossaryError, OSError):
    """An output file cannot be written; the old file, if any, is unchanged. Also an
    OSError, so code that tolerates a failed write (the parse cache) still does."""


def cannot_write(path: Path | str, reason: str, hint: str | None = None) -> OutputError:
    return OutputError(f"cannot write {path}: {reason}", hint=hint)


def from_os_error(exc: OSError, path: Path | str) -> OutputError:
    """``exc`` as the one message every output error has."""
    if isinstance(exc, OutputError):  # already said, by a handler further in
        return exc
    reason = exc.strerror or str(exc)
    return cannot_write(path, reason.lower() if reason[:1].isupper() else reason,
                        ADVICE.get(exc.errno or 0, "check the path and try again"))


def new_file_mode(path: Path) -> int:
    """The permissions a write to ``path`` should leave: those of the file it replaces,
    or for a new file the usual 0666 less the umask (never mkstemp's private 0600)."""
    try:
        return path.stat().st_mode & 0o7777
    except (FileNotFoundError, NotADirectoryError):
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def replace_derived(tmp: str | Path, path: str | Path) -> None:
    """Put the finished file ``tmp`` in place of ``path`` atomically, for a file that
    can be made again (a build output, a cache, a site page): readers see the old file
    or the new one, never none.

    Where the old file is a regular file and Linux offers it, the two are *exchanged*
    (``renameat2(RENAME_EXCHANGE)``, Linux 3.15) and the old one, now at ``tmp``, is then
    removed. A plain rename over a file makes ext4 (its default ``auto_da_alloc``) start
    writing the new file's data to disk inside the rename, a guard for editors that
    replace a file without an fsync: 26 ms for a 25 MB file, ~80 ms of a one-edit
    ``glossary build`` at 10,000 concepts (135 MB of outputs). A file that can be made
    again needs no such guard: its data reaches the disk with the kernel's normal
    writeback. Anything else (no old file, a folder in its place, another system or
    file system without the call) is a plain ``os.replace``."""
    exchange = _exchange()
    if exchange is not None:
        try:
            regular = stat.S_ISREG(os.lstat(path).st_mode)
        except OSError:
            regular = False
        if regular and exchange(os.fsencode(tmp), os.fsencode(path)):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)  # the old file
            return
    os.replace(tmp, path)


_RENAME_EXCHANGE = 2  # <linux/fs.h>
_AT_FDCWD = -100


@functools.cache
def _exchange() -> Callable[[bytes, bytes], bool] | None:
    """``renameat2(RENAME_EXCHANGE)`` from the C library, as a function that says
    whether it exchanged the two names (None: not Linux, or no such call)."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        call = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    call.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                     ctypes.c_uint]
    call.restype = ctypes.c_int

    def exchange(first: bytes, second: bytes) -> bool:
        return call(_AT_FDCWD, first, _AT_FDCWD, second, _RENAME_EXCHANGE) == 0

    return exchange


def kind(path: Path) -> str:
    """What ``path`` is, following symbolic links: ``missing``, ``file``, ``directory``,
    ``device`` (character device), ``fifo``, ``block`` or ``socket``."""
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return "missing"
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISDIR(mode):
        return "directory"
    if stat.S_ISCHR(mode):
        return "device"
    if stat.S_ISFIFO(mode):
        return "fifo"
    if stat.S_ISBLK(mode):
        return "block"
    return "socket"


@contextlib.contextmanager
def writer(path: Path, *, durable: bool = True) -> Iterator[BinaryIO]:
    """A binary handle that writes ``path`` by the rules of this module's docstring.
    ``durable``: fsync before the rename, for a file a crash must not leave empty (an
    export, terms/). ``glossary build`` writes its outputs without: they are derived,
    as make's, Sphinx's or mkdocs' are, and its 16 fsyncs were 60 ms of a 1.1 s
    one-edit build at 10,000 concepts. The rename is atomic either way."""
    shown = path
    try:
        what = kind(path)
    except OSError as exc:
        raise from_os_error(exc, shown) from None
    if what == "directory":
        raise cannot_write(shown, "it is a directory", ADVICE[errno.EISDIR])
    if what in ("block", "socket"):
        raise cannot_write(shown, f"it is a {'block device' if what == 'block' else 'socket'}",
                           "write to a regular file, a FIFO or standard output (-o -)")
    if what in ("device", "fifo"):
        with _through(path, shown) as handle:
            yield handle
        return
    if path.is_symlink():  # replace what the link points to, keep the link
        path = Path(os.path.realpath(path))
    with _atomic(path, shown, durable) as handle:
        yield handle


@contextlib.contextmanager
def _through(path: Path, shown: Path) -> Iterator[BinaryIO]:
    """Write straight into a device or FIFO (no temporary file, nothing to replace)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CLOEXEC)
    except OSError as exc:
        raise from_os_error(exc, shown) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            try:
                yield handle
                handle.flush()
            except OSError as exc:
                if exc.errno not in WRITE_ERRNOS:
                    raise
                with contextlib.suppress(OSError):  # drop what is buffered; it failed
                    handle.close()
                raise from_os_error(exc, shown) from None
    except OSError as exc:  # the close's final flush
        raise from_os_error(exc, shown) from None


@contextlib.contextmanager
def _atomic(path: Path, shown: Path, durable: bool) -> Iterator[BinaryIO]:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = new_file_mode(path)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise from_os_error(exc, shown) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            try:
                yield handle
            except OSError as exc:
                if exc.errno not in WRITE_ERRNOS:
                    raise
                with contextlib.suppress(OSError):  # drop what is buffered; it failed
                    handle.close()
                raise from_os_error(exc, shown) from None
            try:
                handle.flush()
                os.fchmod(handle.fileno(), mode)
                if durable:
                    os.fsync(handle.fileno())
            except OSError as exc:
                raise from_os_error(exc, shown) from None
        try:
            if durable:
                os.replace(tmp, path)
            else:
                replace_derived(tmp, path)
        except OSError as exc:
            raise from_os_error(exc, shown) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` (see :func:`writer`)."""
    with writer(path) as handle:
        handle.write(data)


def write_text(path: Path, text: str) -> None:
    """Write ``text`` as UTF-8 to ``path`` (see :func:`writer`)."""
    write_bytes(path, text.encode("utf-8"))
