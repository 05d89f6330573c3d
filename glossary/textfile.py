"""Reading text files: UTF-8 (a leading BOM dropped) with the line and column of the
first bad byte, so every reader reports a broken file the same way."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from glossary.errors import GlossaryError

BOM = b"\xef\xbb\xbf"


def byte_position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column of byte ``offset`` in ``data``."""
    line = data.count(b"\n", 0, offset) + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return line, column


def decode(
    path: Path, data: bytes, *, error: type[GlossaryError], hint: str, encoding: str = "utf-8"
) -> str:
    """``data`` as text; ``error`` (with path, line, column and ``hint``) if it is not."""
    if data.startswith(BOM):
        data = data[len(BOM):]
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line, column = byte_position(data, exc.start)
        raise error(
            f"not valid {'UTF-8' if encoding == 'utf-8' else encoding} "
            f"(byte 0x{data[exc.start]:02x})",
            path=path, line=line, column=column, hint=hint,
        ) from None


def new_file_mode(path: Path) -> int:
    """The permissions a write to ``path`` should leave: those of the file it replaces,
    or for a new file the usual 0666 less the umask (never mkstemp's private 0600)."""
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextlib.contextmanager
def atomic_writer(path: Path) -> Iterator[BinaryIO]:
    """A binary handle on a temporary file beside ``path``; when the block ends without
    an exception the file is flushed to disk and renamed over ``path``, so readers see
    the old or the new file, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = new_file_mode(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_writer`)."""
    with atomic_writer(path) as handle:
        handle.write(data)


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` as UTF-8 to ``path`` atomically; the file keeps its permissions."""
    atomic_write_bytes(path, text.encode("utf-8"))
