"""The piece store: each output's per-concept pieces, kept between commands.

A whole-file output is a head, one piece per concept and a tail
(:mod:`glossary.formats.pieces`). Most of a warm ``glossary export`` or of a ``glossary
build`` after one edit used to go into making, again, the pieces of concepts that had
not changed. This store keeps them in ``build/.cache/pieces/``: a later run takes the
piece of every unchanged concept from the store and makes only the others.

**What a piece is keyed by.** A *slot* is one output: the format and its options
(``tbx`` version 2, ``approved_only`` …; the revision is not part of it: only heads
read it). A slot's shards are valid for one *slot key*: a digest of the store's format,
the code that writes outputs (:func:`code_digest`), the parse cache's key (the tool's
reading code, settings and the registry files: :func:`glossary.source.cache.cache_key`)
and :attr:`Pieces.key` (what the pieces read besides their concept). Inside a slot, a
piece is found by a digest of the concept's file (``LoadedFile.digest``: the same bytes
give the same concept), the concept's see-also list as the export sees it (a selection
drops targets it leaves out) and ``Pieces.context(concept)`` (what the piece reads of
other concepts, such as TBX cross-reference labels). A piece is therefore never reused
for a concept whose file, see-also targets or referenced labels changed.

**Layout.** :data:`SHARDS` files per slot, chosen by the first byte of a piece's key,
so that one edit rewrites one small file. A shard is our own plain format, no pickle:
:data:`MAGIC`, the slot key (64 hex digits) and a newline, then records of a 16-byte
piece key, a 4-byte big-endian length and the piece's bytes. A shard that is missing,
truncated, damaged, foreign, of another version or another slot key is the same as an
empty one: never an error, never a stale piece. Shards are replaced atomically
(:func:`glossary.textfile.atomic_write_bytes`), so two commands running at once each
read whole shards (the last to finish wins; its pieces are as good as the other's). A
store that cannot be written (a read-only build folder) is simply not written. Pieces
no concept asked for in a run (edited, deleted) are dropped when the shard is saved.

**Manifest.** After an export, a slot also keeps ``manifest``: an identity (the store's
format, the code, the parse cache's key, the options with the revision,
``SOURCE_DATE_EPOCH``), what the caller reports (counts), the head, the tail, the
separator and the pieces' keys in order. When no file of ``terms/`` changed since the
last full check (:func:`glossary.loader.unchanged`), the same export is written again
from it (:func:`replay`) without loading a concept; a manifest whose identity, pieces or
bytes do not match is ignored.

**Why (measured on the 10,000-concept synthetic project, 2 cores, whole processes):**
a warm ``glossary export tbx`` made 10,000 ``conceptEntry`` texts again on every run and
walked every string for characters XML cannot hold (0.93 s of CPU in all, 1.6x
``csv2tbx``); a warm ``export po`` built every catalog entry and its comments again
(0.94 s, 1.2x ``csv2po``). With the store and its manifests: 0.32 s and 0.33 s of CPU
(0.46x and 0.40x the peers; 100,000 concepts, ``export tbx``: 9.5 s -> 2.0 s, 0.29x).
``glossary build`` of the outputs made of pieces after one edit: 6.6-7.0 s of CPU
before, 2.0-2.2 s after (most of the rest is reading ``terms/`` and the fsyncs). Reading
a piece is a dictionary look-up in a shard read with one ``read_bytes`` (views, no
copy). See bench/RESULTS.md.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from glossary import outputs_state, textfile
from glossary.formats import pieces as pieces_mod
from glossary.model import Concept

#: Bumped whenever the layout of a shard changes.
STORE_FORMAT = 1
MAGIC = b"glossary-piece-store 1\n"
SHARDS = 32
DIR_NAME = "pieces"
_KEY_BYTES = 16
_LENGTH_BYTES = 4


@dataclass(frozen=True)
class Source:
    """Where the pieces of one loaded ``terms/`` are kept, and what identifies each
    concept's content: its file digest (``LoadedFile.digest``), by concept id."""

    cache_dir: Path
    parse_key: str  # the parse cache's key (reading code, settings, registry files)
    digests: Mapping[str, str]  # concept id -> sha256 of its file

    @classmethod
    def of(cls, loaded: Any, cache_dir: Path) -> Source | None:
        """The source of a :class:`glossary.loader.Loaded`; None when it has no parse
        key (a glossary not read through the cache)."""
        key = getattr(loaded, "parse_key", "")
        if not key:
            return None
        digests = {f.concept.id: f.digest for f in loaded.result.files
                   if f.concept is not None and f.digest}
        return cls(cache_dir, key, digests)


code_digest = outputs_state.code_digest  # the package's code, digested once per process


def shard_of(key: bytes) -> int:
    return key[0] % SHARDS


#: A piece as read from a shard: a view into the shard's bytes (no copy).
Piece = bytes | memoryview


def parse_shard(data: bytes, slot_key: str) -> dict[bytes, Piece]:
    """The pieces of one shard file (views into ``data``); empty when it is not a whole
    shard of this slot key (damaged, truncated, foreign, other version)."""
    head = MAGIC + slot_key.encode("ascii") + b"\n"
    if not data.startswith(head):
        return {}
    out: dict[bytes, Piece] = {}
    view = memoryview(data)
    at, end = len(head), len(data)
    while at < end:
        start = at + _KEY_BYTES + _LENGTH_BYTES
        if start > end:
            return {}
        length = int.from_bytes(view[at + _KEY_BYTES:start], "big")
        stop = start + length
        if stop > end:
            return {}
        out[bytes(view[at:at + _KEY_BYTES])] = view[start:stop]
        at = stop
    return out


def format_shard(pieces: Mapping[bytes, Piece], slot_key: str) -> bytes:
    parts: list[Piece] = [MAGIC, slot_key.encode("ascii"), b"\n"]
    for key, data in pieces.items():
        parts += (key, len(data).to_bytes(_LENGTH_BYTES, "big"), data)
    return b"".join(parts)


class Slot:
    """The stored pieces of one output (a format with its options)."""

    def __init__(self, source: Source, slot: str, pieces_key: str) -> None:
        self.source = source
        self.dir = source.cache_dir / DIR_NAME / slot
        digest = hashlib.sha256(f"{STORE_FORMAT}\0{code_digest()}\0{source.parse_key}\0"
                                f"{slot}\0{pieces_key}".encode())
        self.key = digest.hexdigest()
        self.stored: list[dict[bytes, Piece]] = [self._read(i) for i in range(SHARDS)]
        self.used: list[dict[bytes, Piece]] = [{} for _ in range(SHARDS)]
        self.made = 0
        self.reused = 0
        self.order: list[bytes] = []  # every piece's key, in the output's order
        self.complete = True  # False: a piece of a concept not from terms/ (no manifest)

    def _path(self, shard: int) -> Path:
        return self.dir / f"{shard:02d}.pieces"

    def _read(self, shard: int) -> dict[bytes, Piece]:
        try:
            data = self._path(shard).read_bytes()
        except OSError:  # missing, unreadable, a directory …: no pieces
            return {}
        return parse_shard(data, self.key)

    def piece_key(self, concept: Concept, context: str) -> bytes | None:
        """The key of ``concept``'s piece, or None when its file is unknown (a concept
        that did not come from ``terms/``: made, never stored)."""
        file_digest = self.source.digests.get(concept.id)
        if file_digest is None:
            return None
        text = "\0".join((concept.id, file_digest, "\x1f".join(concept.see_also), context))
        return hashlib.blake2b(text.encode("utf-8", "surrogatepass"),
                               digest_size=_KEY_BYTES).digest()

    def maker(self, pieces: pieces_mod.Pieces) -> Any:
        """A function concept -> piece: from the store when it holds it, else made
        (and kept for :meth:`save`)."""
        context = getattr(pieces, "context", None)
        stored, used = self.stored, self.used
        make = pieces.piece

        def piece(concept: Concept) -> Piece:
            key = self.piece_key(concept, context(concept) if context is not None else "")
            if key is None:
                self.complete = False
                return make(concept)
            self.order.append(key)
            shard = shard_of(key)
            data = stored[shard].get(key)
            if data is None:
                data = make(concept)
                self.made += 1
            else:
                self.reused += 1
            used[shard][key] = data
            return data

        return piece

    def save(self) -> None:
        """Write the shards whose pieces changed (new ones, or ones no longer asked
        for); a store that cannot be written is left as it is."""
        for shard in range(SHARDS):
            old, new = self.stored[shard], self.used[shard]
            if old.keys() == new.keys():
                continue
            try:
                self.dir.mkdir(parents=True, exist_ok=True)
                textfile.atomic_write_bytes(self._path(shard), format_shard(new, self.key))
            except OSError:
                return
            self.stored[shard] = new


    def save_manifest(self, ident: str, pieces: pieces_mod.Pieces, record: bytes) -> None:
        """Remember how the output just written is made (head, the pieces' keys in
        order, tail) under ``ident`` (:func:`manifest_id`), with the caller's ``record``
        (what it reports, such as counts): :func:`replay` writes it again without
        loading a concept."""
        if not self.complete:
            return
        parts = [MANIFEST_MAGIC, self.key.encode("ascii"), b"\n", ident.encode("ascii"),
                 b"\n"]
        separator: bytes = getattr(pieces, "separator", b"")
        for data in (record, pieces.head(), pieces.tail(), separator):
            parts += (len(data).to_bytes(_LENGTH_BYTES, "big"), data)
        parts += self.order
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            textfile.atomic_write_bytes(self.dir / MANIFEST_NAME, b"".join(parts))
        except OSError:
            pass


MANIFEST_MAGIC = b"glossary-piece-manifest 1\n"
MANIFEST_NAME = "manifest"


def manifest_id(parse_key: str, slot: str, *inputs: object) -> str:
    """What an output depends on when terms/ did not change: the store's format, the
    code, the parse cache's key, the slot and the caller's ``inputs`` (the options with
    the revision, ``SOURCE_DATE_EPOCH``)."""
    digest = hashlib.sha256(f"{STORE_FORMAT}\0{code_digest()}\0{parse_key}\0{slot}\0"
                            f"{inputs!r}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _chunk(data: bytes, at: int) -> tuple[bytes, int] | None:
    end = at + _LENGTH_BYTES
    if end > len(data):
        return None
    stop = end + int.from_bytes(data[at:end], "big")
    return (data[end:stop], stop) if stop <= len(data) else None


def replay(cache_dir: Path, slot: str, ident: str) -> tuple[list[Piece], bytes] | None:
    """The output recorded under ``ident`` in ``slot`` (its chunks: head, pieces,
    tail) and its record, when the manifest and every piece are there; else None (the
    caller makes the output as usual)."""
    folder = cache_dir / DIR_NAME / slot
    try:
        data = (folder / MANIFEST_NAME).read_bytes()
    except OSError:
        return None
    lines = data.split(b"\n", 3)
    if len(lines) != 4 or lines[0] + b"\n" != MANIFEST_MAGIC or lines[2] != ident.encode():
        return None
    slot_key = lines[1].decode("ascii", "replace")
    rest = lines[3]
    chunks: list[bytes] = []
    at = 0
    for _ in range(4):
        found = _chunk(rest, at)
        if found is None:
            return None
        chunks.append(found[0])
        at = found[1]
    record, head, tail, separator = chunks
    keys = rest[at:]
    if len(keys) % _KEY_BYTES:
        return None
    shards: dict[int, dict[bytes, Piece]] = {}
    out: list[Piece] = [head]
    for start in range(0, len(keys), _KEY_BYTES):
        key = keys[start:start + _KEY_BYTES]
        shard = shard_of(key)
        pieces = shards.get(shard)
        if pieces is None:
            try:
                pieces = parse_shard((folder / f"{shard:02d}.pieces").read_bytes(), slot_key)
            except OSError:
                return None
            shards[shard] = pieces
        piece = pieces.get(key)
        if piece is None:
            return None
        if piece:
            if separator and len(out) > 1:
                out.append(separator)
            out.append(piece)
    out.append(tail)
    return out, record


def slot_name(fmt: str, *options: object) -> str:
    """A slot's folder name: the format, and a digest of the options that change its
    pieces (never the revision)."""
    digest = hashlib.sha256(repr(options).encode()).hexdigest()[:12]
    return f"{fmt}-{digest}"


def write(pieces: pieces_mod.Pieces, concepts: Iterable[Concept], out: IO[bytes],
          source: Source | None, slot: str,
          manifest: tuple[str, bytes] | None = None) -> Slot | None:
    """:func:`glossary.formats.pieces.write`, with the pieces of unchanged concepts
    taken from the store of ``source`` (and the store brought up to date). Without a
    source: every piece made, nothing stored. ``manifest``: (ident, record) to remember
    for :func:`replay`."""
    if source is None:
        pieces_mod.write(pieces, concepts, out)
        return None
    store = Slot(source, slot, pieces.key)
    pieces_mod.write(pieces, concepts, out, store.maker(pieces))
    store.save()
    if manifest is not None:
        store.save_manifest(manifest[0], pieces, manifest[1])
    return store
