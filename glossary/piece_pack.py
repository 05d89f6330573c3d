"""The two files of one slot of the piece store (:mod:`glossary.piece_store`): the
``pack`` of pieces and its ``index``, how they are read, checked and written, and how
pieces go from the pack into an output file. What a piece is and when one is reused is
the store's business; this module only knows bytes and offsets."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import io
import os
import stat
import sys
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import IO

from glossary import textfile

PACK_MAGIC = b"glossary-piece-pack 2\n"
INDEX_MAGIC = b"glossary-piece-index 2 " + sys.byteorder.encode("ascii") + b"\n"
PACK_NAME = "pack"
INDEX_NAME = "index"
KEY_BYTES = 16
_LENGTH_BYTES = 4
ID_BYTES = 16  # hex digits of a pack id


def new_pack_id() -> bytes:
    """A fresh, random pack id (an index names the pack it was written for)."""
    return os.urandom(ID_BYTES // 2).hex().encode("ascii")


@dataclass(frozen=True, slots=True)
class Span:
    """Bytes ``start:stop`` of the open pack (pieces taken from it, not read)."""

    start: int
    stop: int

    def __len__(self) -> int:
        return self.stop - self.start


#: A chunk of an output: bytes made by this run, or a span of the pack.
Piece = bytes | memoryview | Span


@dataclass(frozen=True)
class Index:
    """A slot's index: which pieces of which pack, in the last run's order."""

    pack_id: bytes
    ident: bytes  # the manifest identity (:func:`manifest_id`), or b"-"
    record: bytes
    head: bytes
    tail: bytes
    separator: bytes
    key_blob: bytes  # the pieces' keys, KEY_BYTES each, one after the other
    offsets: array[int]
    lengths: array[int]

    @property
    def keys(self) -> list[bytes]:
        blob = self.key_blob
        return [blob[i:i + KEY_BYTES] for i in range(0, len(blob), KEY_BYTES)]

    @cached_property
    def ends(self) -> array[int]:
        """Where each piece ends in the pack."""
        return array("Q", map(int.__add__, self.offsets, self.lengths))

    def encode(self, slot_key: str) -> bytes:
        count = len(self.key_blob) // KEY_BYTES
        parts: list[bytes] = [INDEX_MAGIC, slot_key.encode("ascii"), b"\n", self.pack_id,
                              b"\n", self.ident, b"\n", str(count).encode(), b"\n"]
        for data in (self.record, self.head, self.tail, self.separator):
            parts += (len(data).to_bytes(_LENGTH_BYTES, "big"), data)
        parts += (self.key_blob, self.offsets.tobytes(), self.lengths.tobytes())
        return b"".join(parts)


def _chunk(data: bytes, at: int) -> tuple[bytes, int] | None:
    end = at + _LENGTH_BYTES
    if end > len(data):
        return None
    stop = end + int.from_bytes(data[at:end], "big")
    return (data[end:stop], stop) if stop <= len(data) else None


def parse_index(data: bytes, slot_key: str) -> Index | None:
    """The index in ``data``, or None when it is not a whole index of this slot key
    (damaged, truncated, foreign, other version or byte order)."""
    head = INDEX_MAGIC + slot_key.encode("ascii") + b"\n"
    if not data.startswith(head):
        return None
    lines = data[len(head):].split(b"\n", 3)
    if len(lines) != 4 or len(lines[0]) != ID_BYTES or not lines[2].isdigit():
        return None
    pack_id, ident, count, rest = lines[0], lines[1], int(lines[2]), lines[3]
    chunks: list[bytes] = []
    at = 0
    for _ in range(4):
        found = _chunk(rest, at)
        if found is None:
            return None
        chunks.append(found[0])
        at = found[1]
    numbers = rest[at + count * KEY_BYTES:]
    offsets, lengths = array("Q"), array("Q")
    if len(numbers) != count * (offsets.itemsize + lengths.itemsize):
        return None
    offsets.frombytes(numbers[:count * offsets.itemsize])
    lengths.frombytes(numbers[count * offsets.itemsize:])
    record, head, tail, separator = chunks
    return Index(pack_id, ident, record, head, tail, separator,
                 rest[at:at + count * KEY_BYTES], offsets, lengths)


class Pack:
    """An open pack. Its pieces are not read into memory: :meth:`write` has the kernel
    copy them into the output file (:func:`os.copy_file_range`), or reads just them
    when the output is not a regular file. Why: a one-edit build reads and writes every
    whole-file output, ~100 MB at 10,000 concepts; reading the packs into memory, then
    joining and writing the pieces, cost 0.03 s per 20 MB more than the kernel's copy
    (measured: 21.7 MB, 0.032-0.040 s against 0.007-0.016 s)."""

    def __init__(self, fd: int, size: int) -> None:
        self.fd = fd
        self.size = size

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self.fd)

    def read(self, span: Span) -> bytes:
        """The bytes of ``span``; OSError when the pack is shorter than it was."""
        parts = []
        at = span.start
        while at < span.stop:
            part = os.pread(self.fd, span.stop - at, at)
            if not part:
                raise OSError(errno.EIO, "a piece store pack shrank while it was read")
            parts.append(part)
            at += len(part)
        return b"".join(parts)

    def _gathered(self, chunks: Iterable[Piece]) -> list[Piece]:
        """``chunks``, with their spans as views of the whole pack read once when there
        are many (pieces scattered over the pack by many edits): one read beats a
        system call per piece (10,000 one-piece spans: 0.1 s of copy_file_range calls)."""
        chunks = list(chunks)
        if sum(isinstance(chunk, Span) for chunk in chunks) > _MANY_SPANS:
            whole = memoryview(self.read(Span(0, self.size)))
            chunks = [whole[c.start:c.stop] if isinstance(c, Span) else c for c in chunks]
        return chunks

    def joined(self, chunks: Iterable[Piece]) -> bytearray:
        """``chunks`` in one buffer, each span read straight into its place: for an output
        a format wraps whole (the XLSX worksheet, 237 MB at 100,000 concepts: read, joined
        and copied into a ``BytesIO`` 0.41 s, read into place 0.18 s; the workbook of a
        one-edit build took 0.41-0.48 s, now 0.36-0.40 s)."""
        chunks = self._gathered(chunks)
        data = bytearray(sum(map(len, chunks)))
        view = memoryview(data)
        at = 0
        for chunk in chunks:
            end = at + len(chunk)
            if isinstance(chunk, Span):
                done = 0
                while at + done < end:
                    got = _read_into(self.fd, view[at + done:end], chunk.start + done)
                    if not got:
                        raise OSError(errno.EIO, "a piece store pack shrank while it was read")
                    done += got
            else:
                view[at:end] = chunk
            at = end
        return data

    def write(self, chunks: Iterable[Piece], out: IO[bytes]) -> None:
        """Write ``chunks`` to ``out`` in order: bytes as they are, spans copied from
        the pack (by the kernel when ``out`` is a regular file it may copy into)."""
        chunks = self._gathered(chunks)
        target = _copy_target(out)
        copied_to = None  # the descriptor the kernel copied into, if it did
        batch: list[bytes | memoryview] = []
        for chunk in chunks:
            if not isinstance(chunk, Span):
                batch.append(chunk)
                if len(batch) >= 512:  # a few hundred pieces per write: bounded memory
                    out.write(b"".join(batch))
                    batch.clear()
                continue
            if batch:
                out.write(b"".join(batch))
                batch.clear()
            if target is not None:
                out.flush()
                at = self._copy(chunk, target)
                copied_to = target
                if at == chunk.stop:
                    continue
                target = None  # the kernel cannot copy here: read what is left
                chunk = Span(at, chunk.stop)
            out.write(self.read(chunk))
        if batch:
            out.write(b"".join(batch))
        if copied_to is not None:  # the handle learns where the kernel left the offset
            out.flush()
            out.seek(os.lseek(copied_to, 0, os.SEEK_CUR))

    def _copy(self, span: Span, target: int) -> int:
        """Copy ``span`` to ``target`` at its offset; where it stopped (``span.stop``,
        or earlier when the file systems do not allow it)."""
        at = span.start
        while at < span.stop:
            try:
                done = os.copy_file_range(self.fd, target, span.stop - at, at)
            except OSError as exc:
                if exc.errno in _NO_COPY:
                    return at
                raise
            if not done:
                raise OSError(errno.EIO, "a piece store pack shrank while it was read")
            at += done
        return at


def _read_into(fd: int, view: memoryview, offset: int) -> int:
    """Read from ``offset`` of ``fd`` into ``view``; how many bytes came (``os.preadv``;
    where the system has none, ``os.pread`` and a copy)."""
    if hasattr(os, "preadv"):
        return os.preadv(fd, [view], offset)
    data = os.pread(fd, len(view), offset)
    view[:len(data)] = data
    return len(data)


#: More spans than this in one output: the pack is read once instead (:meth:`Pack.write`).
_MANY_SPANS = 256
#: copy_file_range cannot copy between these files: read and write instead.
_NO_COPY = frozenset({errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP,
                      errno.EBADF, errno.EPERM, errno.ETXTBSY})


def _copy_target(out: IO[bytes]) -> int | None:
    """The descriptor of ``out`` when the kernel may copy into it: a regular file not
    opened for appending; else None (a pipe, a terminal, a buffer in memory)."""
    if not hasattr(os, "copy_file_range"):
        return None
    try:
        fd = out.fileno()
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        if fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_APPEND:
            return None
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        return None
    return fd


def open_pack(path: Path, index: Index) -> Pack | None:
    """The pack an index names, open; None when it is missing, not that pack, or too
    short for the index's pieces."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    pack = Pack(fd, 0)
    try:
        magic = PACK_MAGIC + index.pack_id + b"\n"
        st = os.fstat(fd)
        size = st.st_size
        if stat.S_ISREG(st.st_mode) and os.pread(fd, len(magic), 0) == magic and (
                not index.key_blob or max(index.ends) <= size):
            pack.size = size
            return pack
    except OSError:
        pass
    pack.close()
    return None


def append(path: Path, pack_id: bytes, data: bytes) -> int | None:
    """Append ``data`` to the pack at ``path`` in one ``O_APPEND`` write; the offset it
    landed at, or None (the file is not that pack any more, or cannot be written)."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        magic = PACK_MAGIC + pack_id + b"\n"
        if os.pread(fd, len(magic), 0) != magic or os.write(fd, data) != len(data):
            return None
        return os.lseek(fd, 0, os.SEEK_CUR) - len(data)
    except OSError:
        return None
    finally:
        os.close(fd)


def remove_others(folder: Path) -> None:
    """Remove what else a slot's folder holds (an earlier layout's files: 32 shards and a
    manifest per slot, as large as the pack); temporary files of runs in progress (their
    names start with a dot) are left alone."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if name not in (PACK_NAME, INDEX_NAME) and not name.startswith("."):
            with contextlib.suppress(OSError):
                (folder / name).unlink()


def read_index(folder: Path, slot_key: str) -> Index | None:
    try:
        data = textfile.read_build_file(folder / INDEX_NAME)
    except OSError:  # missing, unreadable, a directory …: no pieces
        return None
    return parse_index(data, slot_key)
