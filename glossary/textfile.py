"""Reading text files: UTF-8 (a leading BOM dropped) with the line and column of the
first bad byte, so every reader reports a broken file the same way."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

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


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old or the new file, never half.
    The file keeps its permissions (a new file gets the usual 0666 less the umask)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
