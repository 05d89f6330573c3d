"""Deflated blocks of an output, kept between runs: ``build/.cache/blocks/SLOT.bin``.

The XLSX workbook is a zip: its worksheet is deflated in blocks of a few dozen concepts
(:func:`glossary.formats.xlsx.package`), each keyed by the keys of its concepts' pieces
in the piece store (:mod:`glossary.piece_store`). :class:`KeptBlocks` hands back the
blocks the last run made, and keeps the ones this run used or made: a build after one
edit deflates one block instead of the whole sheet (10,000 concepts: 23.6 MB of XML,
~0.07 s; 100,000: ~0.7 s).

The file is valid for one *slot key* (the piece store's: the code, the settings, the
format and its options), and holds a CRC-32 of its contents (what a zip checks its
entries with; a 3 MB file is read and written each build): a file that is missing,
truncated, damaged, foreign or of another slot key is the same as an empty one, never an
error and never a wrong block. It is rewritten (a rename, no fsync) only when this run
made a block or left one unused, and a file that cannot be written is simply not.
"""

from __future__ import annotations

import zlib
from pathlib import Path

from glossary import textfile

DIR_NAME = "blocks"
_MAGIC = b"glossary-kept-blocks 2\n"
_KEY = 16  # bytes of a block's key
_LENGTH = 4  # bytes of a block's length
_DIGEST = 4


def _digest(body: bytes | memoryview) -> bytes:
    return zlib.crc32(body).to_bytes(_DIGEST, "big")


class KeptBlocks:
    """The blocks of one slot: :meth:`get` and item assignment, then :meth:`save`."""

    def __init__(self, cache_dir: Path, slot: str, slot_key: str) -> None:
        self.path = cache_dir / DIR_NAME / f"{slot}.bin"
        self.slot_key = slot_key.encode("ascii")
        self.old = self._read()
        self.used: dict[bytes, bytes] = {}
        self.made = 0

    def _read(self) -> dict[bytes, bytes]:
        try:
            data = textfile.read_build_file(self.path)
        except OSError:
            return {}
        start = len(_MAGIC) + len(self.slot_key) + 1
        if data[:start] != _MAGIC + self.slot_key + b"\n":
            return {}
        view = memoryview(data)
        body = view[start + _DIGEST:]
        if bytes(view[start:start + _DIGEST]) != _digest(body):
            return {}
        blocks: dict[bytes, bytes] = {}
        at = 0
        while at < len(body):
            key = bytes(body[at:at + _KEY])
            size = int.from_bytes(body[at + _KEY:at + _KEY + _LENGTH], "big")
            at += _KEY + _LENGTH
            if len(key) != _KEY or at + size > len(body):
                return {}
            blocks[key] = bytes(body[at:at + size])
            at += size
        return blocks

    def get(self, key: bytes) -> bytes | None:
        found = self.used.get(key)
        if found is None:
            found = self.old.get(key)
            if found is not None:
                self.used[key] = found
        return found

    def __setitem__(self, key: bytes, block: bytes) -> None:
        self.used[key] = block
        self.made += 1

    def save(self) -> None:
        """Keep the blocks this run used or made, when that is not what the file holds."""
        if not self.made and len(self.used) == len(self.old):
            return
        parts: list[bytes] = []
        for key, block in self.used.items():
            parts += (key, len(block).to_bytes(_LENGTH, "big"), block)
        body = b"".join(parts)
        textfile.write_build_bytes(self.path, [_MAGIC, self.slot_key, b"\n", _digest(body),
                                               body])
