"""Reading text files: UTF-8 (a leading BOM dropped) with the line and column of the
first bad byte, so every reader reports a broken file the same way; and reading and
writing the build data under build/ (caches, state) that can be made again."""

from __future__ import annotations

import codecs
import contextlib
import errno
import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

from glossary.errors import GlossaryError
from glossary.output import replace_derived

BOM = b"\xef\xbb\xbf"


#: How a zip archive starts (an .xlsx, a .docx).
ZIP = b"PK\x03\x04"
#: How UTF-16 text starts: Excel's "Unicode Text (*.txt)" (how older Excel saves Khmer)
#: and Windows Notepad's "Unicode" are UTF-16 with a byte order mark.
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


_NAMES = {"utf-8": "UTF-8", "utf-16": "UTF-16"}


def byte_position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column of byte ``offset`` in ``data``."""
    line = data.count(b"\n", 0, offset) + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return line, column


def decode(
    path: Path, data: bytes, *, error: type[GlossaryError], hint: str, encoding: str = "utf-8",
    utf16: bool = False,
) -> str:
    """``data`` as text; ``error`` (with path, line, column and ``hint``) if it is not.
    ``utf16``: text that starts with a UTF-16 byte order mark is read as UTF-16 (a
    sheet or a glossary saved by Excel or Notepad)."""
    if utf16 and data.startswith(UTF16_BOMS):
        encoding = "utf-16"
    if data.startswith(ZIP):  # the bytes would be reported as not UTF-8 at some column
        raise error("is a zip archive (an Excel workbook or a Word document?), not text",
                    path=path, line=1, hint=hint)
    if data.startswith(BOM):
        data = data[len(BOM):]
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        if encoding == "utf-8":
            line, column = byte_position(data, exc.start)
        else:  # a character is more than one byte: count in the text before the error
            before = data[:exc.start].decode(encoding, errors="replace")
            line = before.count("\n") + 1
            column = len(before) - (before.rfind("\n") + 1) + 1
        raise error(
            f"not valid {_NAMES.get(encoding, encoding)} "
            f"(byte 0x{data[exc.start]:02x})",
            path=path, line=line, column=column, hint=hint,
        ) from None


def read_build_file(path: Path) -> bytes:
    """The bytes of a file the tool keeps under build/ (a cache or state file), read
    only when it is a regular file: a FIFO, a device or a folder found in its place
    raises OSError, as a missing file does, instead of blocking or flooding the read."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        with open(fd, "rb", closefd=False) as handle:
            return handle.read()
    finally:
        os.close(fd)


def file_signature(path: Path | int) -> list[int] | None:
    """What tells that a file (a path, or an open descriptor) changed without reading
    it, as the parse cache has it: size, modification time, inode, change time (None
    when it cannot be found)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns]


def write_build_data(path: Path, text: str) -> bool:
    """Write build data that can be made again (a cache or state file under build/):
    see :func:`write_build_bytes`."""
    return write_build_bytes(path, [text.encode("utf-8")])


def write_build_bytes(path: Path, chunks: Iterable[bytes | memoryview]) -> bool:
    """Write ``chunks`` to ``path``, data that can be made again (a cache or state file
    under build/): see :func:`write_build_with`."""
    return write_build_with(path, lambda handle: handle.writelines(chunks))


def write_build_with(path: Path, fill: Callable[[BinaryIO], object]) -> bool:
    """Write ``path`` with ``fill(handle)``, data that can be made again (a cache or
    state file under build/): a temporary file beside it, then a rename, so a reader
    sees the old or the new bytes, never half of them. No fsync, and an OSError is not
    an error (False): losing such a file only costs recomputing it."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as handle:
            fill(handle)
        replace_derived(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        return False
    return True
