"""Cut a large TBX file into two well-formed documents, to read them on two cores.

A TBX body is a long run of sibling entries (``conceptEntry``, or ``termEntry`` in TBX
v2). Cut before one of them, near the chosen share of the file:

* the first half is the file up to the cut, then the file's end from the close of its
  last entry (``</body></text></tbx>``);
* the second half is the file's beginning up to its first entry (the root, the header,
  the open ``<text><body>``), then the file from the cut on.

Both are well-formed when the file is, and each entry is in exactly one half. Files in
UTF-8 without a document type declaration are cut; small files and others are read in
one piece. The cut is right only if every ``<`` before it starts a tag: no comment,
CDATA section or processing instruction between the XML declaration and the cut (in
one, a ``<conceptEntry`` could be text). The second half's reader checks that first
(:meth:`Halves.second_line_offset`, while the first half is being read). Whatever goes
wrong with the halves, the reader starts over on the whole file, so a cut never changes
a result or an error.
"""

from __future__ import annotations

import mmap
import re
from dataclasses import dataclass
from pathlib import Path

#: Below this size one process is quicker than two (starting the worker, passing back
#: what it read).
MIN_BYTES = 4 << 20

_FIRST = re.compile(rb"<(conceptEntry|termEntry)[\s>]")
# one regex pass is quicker than three finds: "<" is in every tag
_UNSAFE = re.compile(rb"<!--|<!\[CDATA\[|<\?")
_UTF8_DECLARATION = re.compile(rb"""^(?:\xef\xbb\xbf)?<\?xml[^>]*?encoding\s*=\s*["']"""
                               rb"""(?:utf-?8)["']""", re.IGNORECASE)
_DECLARATION = re.compile(rb"(?:\xef\xbb\xbf)?<\?xml[^>]*\?>")
_ANY_DECLARATION = re.compile(rb"^(?:\xef\xbb\xbf)?<\?xml[^>]*?encoding", re.IGNORECASE)


@dataclass(frozen=True)
class Halves:
    """Byte ranges ``(start, end)`` of the two documents."""

    first: tuple[tuple[int, int], ...]
    second: tuple[tuple[int, int], ...]

    def second_line_offset(self, path: Path) -> int | None:
        """What to add to a line of the second document to get the line in the file;
        None when the cut may not be where an entry starts (a comment, CDATA section or
        processing instruction before it: then the second document is not read).

        The worker calls this, not the process that cut the file: that one reads the
        first document, a prefix of the file and its end, which holds only real entries
        wherever the cut is (or does not parse)."""
        (_, first), (cut, _) = self.second
        try:
            with open(path, "rb") as handle, \
                    mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
                declaration = _DECLARATION.match(data[:4096])
                if _UNSAFE.search(data, declaration.end() if declaration else 0, cut + 1):
                    return None
                return _newlines(data, first, cut)
        except (OSError, ValueError):
            return None


def find_halves(path: Path, second_share: float, min_bytes: int = MIN_BYTES) -> Halves | None:
    """Where to cut ``path`` so that the second document holds about ``second_share``
    of it; None when the file is small or cannot be cut (see the module)."""
    try:
        with open(path, "rb") as handle:
            size = handle.seek(0, 2)
            if size < min_bytes:
                return None
            with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
                return _cut(data, size, second_share)
    except (OSError, ValueError):
        return None


def _cut(data: mmap.mmap, size: int, second_share: float) -> Halves | None:
    prolog = data[:4096]
    if prolog.startswith((b"\xff\xfe", b"\xfe\xff")) or b"<!DOCTYPE" in prolog.upper():
        return None
    if _ANY_DECLARATION.match(prolog) and not _UTF8_DECLARATION.match(prolog):
        return None
    found = _FIRST.search(data)
    if found is None or b"<!DOCTYPE" in data[:found.start()]:
        return None
    first = found.start()
    tag = found.group(1)
    opening, closing = b"<" + tag, b"</" + tag + b">"
    last_close = data.rfind(closing)
    if last_close < first:
        return None
    tail = last_close + len(closing)
    cut = data.find(opening, max(first + 1, int(size * (1 - second_share))))
    while cut != -1 and cut < last_close:
        if data[cut + len(opening):cut + len(opening) + 1] in (b" ", b"\t", b"\r", b"\n", b">"):
            before = data.rfind(closing, first, cut)
            if before != -1 and not data[before + len(closing):cut].strip():
                break
        cut = data.find(opening, cut + 1)
    else:
        return None
    return Halves(first=((0, cut), (tail, size)), second=((0, first), (cut, size)))


def _newlines(data: mmap.mmap, start: int, end: int, step: int = 1 << 22) -> int:
    return sum(data[at:min(at + step, end)].count(b"\n") for at in range(start, end, step))


class RangeReader:
    """A binary file object that reads the given byte ranges of a file, one after the
    other (what lxml's parser reads a half from)."""

    def __init__(self, path: Path, ranges: tuple[tuple[int, int], ...]) -> None:
        self._file = open(path, "rb")  # noqa: SIM115 - closed by close()
        self._ranges = list(ranges)

    def read(self, size: int = -1) -> bytes:
        while self._ranges:
            start, end = self._ranges[0]
            if start >= end:
                del self._ranges[0]
                continue
            count = end - start if size < 0 else min(size, end - start)
            self._file.seek(start)
            data = self._file.read(count)
            if not data:
                raise OSError(f"{self._file.name} became shorter while it was read")
            self._ranges[0] = (start + len(data), end)
            return data
        return b""

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> RangeReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
