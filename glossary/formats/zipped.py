"""A zip file made deterministically from entries already deflated, in blocks.

:mod:`zipfile` deflates an entry in one go, so a workbook whose worksheet changed by one
concept is deflated whole again (0.07 s of a one-edit build at 10,000 concepts, 23.6 MB
of XML; 0.7 s at 100,000). Here an entry's data is a row of *blocks*, each deflated on
its own (:func:`block`: a fresh compressor, ended by a sync flush, so it is byte-aligned
and does not end the stream), and :data:`END` ends the stream. A block depends on its
bytes alone, so a caller may keep the blocks of a long entry between runs and deflate
again only the blocks that changed; the file is the same bytes either way.

The zip has what :mod:`zipfile` wrote for the workbook: the entries in the order given,
each a local header (deflate, no data descriptor, the given time, no extra field) then
its data, then the central directory (made by Unix, permissions ``0600``) and its end
record. No ZIP64: an entry or the file past 4 GiB is refused.

Measured, the 10,000-concept worksheet in blocks of 64 concepts' rows: 2.97 MB where one
stream gave 2.94 MB (level 1, as :mod:`glossary.formats.xlsx` uses).
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from glossary.errors import FormatError

LEVEL = 1  # zlib's fastest; see glossary.formats.xlsx
_WBITS = -15  # raw deflate, as a zip holds it
_LIMIT = 0xFFFF_FFFF  # sizes and offsets without ZIP64
_VERSION = 20  # 2.0: deflate
_MADE_BY = (3 << 8) | _VERSION  # Unix
_PERMISSIONS = 0o600 << 16


def block(data: bytes | memoryview) -> bytes:
    """``data`` deflated as blocks another block may follow (byte-aligned, not final)."""
    if not data:
        return b""
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, _WBITS)
    return compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)


#: The last block of every entry: empty, final.
END = zlib.compressobj(LEVEL, zlib.DEFLATED, _WBITS).flush()


@dataclass(frozen=True)
class Entry:
    """One file of the zip: its name, its deflated data (a whole raw deflate stream, in
    parts: e.g. :func:`block` results, then :data:`END`), and the CRC-32 and length of
    the data before deflating."""

    name: str
    deflated: Sequence[bytes]
    crc: int
    size: int

    @classmethod
    def of(cls, name: str, data: bytes) -> Entry:
        """A small entry, deflated in one go."""
        compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, _WBITS)
        return cls(name, (compressor.compress(data) + compressor.flush(),), zlib.crc32(data),
                   len(data))


def _dos_time(stamp: datetime) -> tuple[int, int]:
    time = (stamp.hour << 11) | (stamp.minute << 5) | (stamp.second // 2)
    date = ((stamp.year - 1980) << 9) | (stamp.month << 5) | stamp.day
    return time, date


def write(entries: Sequence[Entry], stamp: datetime) -> list[bytes]:
    """The zip file's bytes, as chunks to write one after the other."""
    time, date = _dos_time(stamp)
    out: list[bytes] = []
    directory: list[bytes] = []
    offset = 0
    for entry in entries:
        name = entry.name.encode("utf-8")
        packed = sum(map(len, entry.deflated))
        if max(entry.size, packed, offset) > _LIMIT:
            raise FormatError(f"{entry.name} would be over 4 GiB, more than a zip without "
                              "ZIP64 holds", hint="export csv or json instead")
        fields = (0, 8, time, date, entry.crc, packed, entry.size, len(name), 0)
        header = struct.pack("<4s5H3L2H", b"PK\x03\x04", _VERSION, *fields)
        out += (header, name, *entry.deflated)
        directory += (struct.pack("<4s6H3L5H2L", b"PK\x01\x02", _MADE_BY, _VERSION,
                                  *fields, 0, 0, 0, _PERMISSIONS, offset), name)
        offset += len(header) + len(name) + packed
    size = sum(map(len, directory))
    if offset > _LIMIT:
        raise FormatError("the workbook would be over 4 GiB, more than a zip without "
                          "ZIP64 holds", hint="export csv or json instead")
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), size,
                      offset, 0)
    return [*out, *directory, end]
