"""The piece store: each output's per-concept pieces, kept between commands.

A whole-file output is a head, one piece per concept and a tail
(:mod:`glossary.formats.pieces`). Most of a warm ``glossary export`` or of a ``glossary
build`` after one edit used to go into making, again, the pieces of concepts that had
not changed. This store keeps them in ``build/.cache/pieces/``: a later run takes the
piece of every unchanged concept from the store and makes only the others.

**What a piece is keyed by.** A *slot* is one output: the format and its options
(``tbx`` version 2, ``approved_only`` …; the revision is not part of it: only heads
read it). A slot's files are valid for one *slot key*: a digest of the store's format,
the code that writes outputs (:func:`code_digest`), the parse cache's key (the tool's
reading code, settings and the registry files: :func:`glossary.source.cache.cache_key`)
and :attr:`Pieces.key` (what the pieces read besides their concept). Inside a slot, a
piece is found by a digest of the concept's file (``LoadedFile.digest``: the same bytes
give the same concept), the concept's see-also list as the export sees it (a selection
drops targets it leaves out), for pieces that read their see-also targets (TBX
cross-reference labels: ``Pieces.reads_see_also``) the digests of those targets' files,
and ``Pieces.context(concept)`` (what else the piece reads of other concepts, such as a
compendium's groups of English terms). A piece is therefore never reused
for a concept whose file, see-also targets or referenced labels changed.

**Layout: a pack and an index per slot** (:mod:`glossary.piece_pack`). ``pack`` holds
pieces one after the other
(:data:`PACK_MAGIC` and a random pack id first); ``index`` says which: the slot key, the
pack id, then the pieces of the last run *in its output's order* (16-byte key, offset,
length), with what :func:`replay` needs (an identity, the caller's record, the head,
the tail, the separator). A run reads both (two reads, and a dictionary built at C
speed), takes the pieces it finds as views of the pack (no copy), makes the others, and
*appends* only those to the pack (one ``O_APPEND`` write), then replaces the index. One
edit therefore writes one piece and an index, not the store. When the pack holds more
than twice the bytes its index uses (edits leave old pieces behind), or when there is
no usable pack, the run writes a new pack (a new id) with exactly its pieces, in order.

**Damage and concurrency.** An index or pack that is missing, truncated, damaged,
foreign, of another version or slot key, or whose pieces fall outside the pack, is the
same as an empty store: never an error, never a stale piece. Files are replaced by a
rename, so readers see whole files. Two commands at once: appends to one pack never
overlap (``O_APPEND``), and an index only ever names bytes its own run wrote or read
from the pack with its id; a pack replaced in between has another id, so that index is
ignored (pieces made again), never misread. A store that cannot be written (a read-only
build folder) is simply not written. Pieces no concept asked for (edited, deleted) are
left out of the index, and out of the pack at its next rewrite.

**Why (measured on the 10,000-concept synthetic project, 2 cores, whole processes):**
a warm ``glossary export tbx`` made 10,000 ``conceptEntry`` texts again on every run
(0.93 s of CPU in all, 1.6x ``csv2tbx``). Pieces kept in 32 shards per slot cut that to
0.32 s, but a one-edit ``glossary build`` still parsed 15 slots x 32 shards into
dictionaries piece by piece and hashed every concept once per slot (0.6 s of its CPU).
This layout reads an index and a pack per slot and takes a concept's key from its file's
digest; after one edit, the pieces around the edited ones are found without a step per
concept (:meth:`Slot._patched`).
See bench/RESULTS.md.
"""

from __future__ import annotations

import hashlib
import io
from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise
from pathlib import Path
from typing import IO, Any

from glossary import piece_pack, textfile
from glossary.formats import pieces as pieces_mod
from glossary.model import Concept
from glossary.outputs_state import code_digest  # the package's code, digested once
from glossary.piece_pack import (
    INDEX_MAGIC,
    INDEX_NAME,
    PACK_MAGIC,
    PACK_NAME,
    Index,
    Pack,
    Piece,
    Span,
    parse_index,
)

#: Bumped whenever the layout of the pack or the index changes.
STORE_FORMAT = 3  # 3: a separator is kept in front of each piece
DIR_NAME = "pieces"
#: A pack is rewritten when it holds more than twice the bytes its index uses, plus this.
_SLACK = 1 << 20


@dataclass(frozen=True)
class Source:
    """Where the pieces of one loaded ``terms/`` are kept, and what identifies each
    concept's content: its file digest (``LoadedFile.digest``), by concept id."""

    cache_dir: Path
    parse_key: str  # the parse cache's key (reading code, settings, registry files)
    digests: Mapping[str, str]  # concept id -> sha256 of its file
    #: concept id -> the see-also list its file has (an export may drop targets)
    see_also: Mapping[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    #: :meth:`keys_of` already worked out: (id of the sequence, neighbours) ->
    #: (the sequence, kept so that its id is not reused, its keys)
    lists: dict[tuple[int, bool], tuple[Sequence[Concept], list[bytes | None]]] = field(
        default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, loaded: Any, cache_dir: Path) -> Source | None:
        """The source of a :class:`glossary.loader.Loaded`; None when it has no parse
        key (a glossary not read through the cache)."""
        key = getattr(loaded, "parse_key", "")
        if not key:
            return None
        files = [f for f in loaded.result.files if f.concept is not None and f.digest]
        return cls(cache_dir, key, {f.concept.id: f.digest for f in files},
                   {f.concept.id: f.concept.see_also for f in files})

    @cached_property
    def bases(self) -> dict[str, bytes]:
        """Concept id -> the key of its piece when it has its file's see-also list: the
        first bytes of its file's digest (nothing to work out for most concepts)."""
        size = 2 * piece_pack.KEY_BYTES
        return {cid: bytes.fromhex(digest[:size]) for cid, digest in self.digests.items()}

    def _base(self, concept: Concept) -> bytes | None:
        cid = concept.id
        base = self.bases.get(cid)
        if base is None or concept.see_also == self.see_also.get(cid):  # as the file has it
            return base
        return _digest("\0".join((cid, self.digests[cid], "\x1f".join(concept.see_also))))

    def _with_neighbours(self, key: bytes, see_also: tuple[str, ...]) -> bytes:
        bases = self.bases
        return hashlib.blake2b(b"".join([key, *[bases.get(o, _UNKNOWN) for o in see_also]]),
                               digest_size=piece_pack.KEY_BYTES).digest()

    def keys_of(self, concepts: Sequence[Concept], neighbours: bool
                ) -> list[bytes | None]:
        """The key of each concept's piece, without context: None when its file is
        unknown (a concept made, never stored); with ``neighbours`` (the piece reads its
        see-also targets) their files' digests are part of it. Worked out once per
        sequence of concepts: the outputs of one build share it. A concept that has its file's
        see-also list (the very tuple: every concept as read) takes its base key without
        a call (100,000 concepts: 0.05 s instead of 0.5 s)."""
        known = self.lists.get((id(concepts), neighbours))
        if known is not None and known[0] is concepts:
            return known[1]
        if neighbours:
            plain = self.keys_of(concepts, False)
            keys = [key if key is None or not c.see_also else self._with_neighbours(
                key, c.see_also) for key, c in zip(plain, concepts, strict=True)]
        else:
            bases, see_also = self.bases, self.see_also
            keys = [bases.get(c.id) if see_also.get(c.id) is c.see_also else self._base(c)
                    for c in concepts]
        self.lists[(id(concepts), neighbours)] = (concepts, keys)
        return keys


_UNKNOWN = bytes(piece_pack.KEY_BYTES)  # a see-also target with no file


def _with_context(key: bytes, context: str) -> bytes:
    return _digest(key.hex() + context) if context else key


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"),
                           digest_size=piece_pack.KEY_BYTES).digest()


class Slot:
    """The stored pieces of one output (a format with its options)."""

    def __init__(self, source: Source, slot: str, pieces_key: str) -> None:
        self.source = source
        self.dir = source.cache_dir / DIR_NAME / slot
        digest = hashlib.sha256(f"{STORE_FORMAT}\0{code_digest()}\0{source.parse_key}\0"
                                f"{slot}\0{pieces_key}".encode())
        self.key = digest.hexdigest()
        self.index = piece_pack.read_index(self.dir, self.key)
        self.made: list[str] = []  # ids of the concepts whose piece was made
        self.complete = True  # False: a concept not from terms/ (nothing is saved)
        self.keys: list[bytes | None] = []  # this run's pieces: keys, in order …
        self.found: list[int] = []  # … where each is in the old index (-1: made) …
        self.changed: list[int] | None = None  # … or the positions made, all others kept
        self.lengths: array[int] = array("Q")  # … their lengths
        self.fresh: list[bytes] = []  # the made pieces, in order
        self.pack: Pack | None = None  # the pack this run took pieces from
        self.out: list[Piece] = []  # this run's pieces in order, runs of the pack joined

    def pieces(self, pieces: pieces_mod.Pieces, concepts: Sequence[Concept]) -> list[Piece]:
        """The concepts' pieces, in order: from the pack when it holds them, else made
        (and kept for :meth:`save`). Pieces that follow each other in the pack come as
        one span. A format with a separator (JSON's comma) has each non-empty piece
        kept with the separator in front (:func:`_opened` drops the first one), so that
        a run of pieces is one span there too. The pack stays open until :meth:`close`."""
        keys = self.source.keys_of(concepts, getattr(pieces, "reads_see_also", False))
        context = getattr(pieces, "context", None)
        if context is not None:
            keys = [key if key is None else _with_context(key, context(concept))
                    for key, concept in zip(keys, concepts, strict=True)]
        index = self.index
        pack = piece_pack.open_pack(self.dir / PACK_NAME, index) if index is not None else None
        separator: bytes = getattr(pieces, "separator", b"")
        self.keys, self.pack = keys, pack
        if index is not None and pack is not None:
            changed = _changed(index.key_blob, keys)
            if changed is not None:
                self.out = self._patched(pieces, concepts, changed, separator)
                return self.out
            old_keys = index.keys
            where = dict(zip(old_keys, range(len(old_keys)), strict=True))
            found = [where.get(key, -1) if key is not None else -1 for key in keys]
            offsets, lengths = index.offsets, index.lengths
        else:
            found = [-1] * len(keys)
            offsets = lengths = array("Q")
        out: list[Piece] = []
        sizes = array("Q")
        run_start = run_end = -1  # the run of the pack not yet in ``out``
        for concept, key, at in zip(concepts, keys, found, strict=True):
            if at >= 0:
                start, size = offsets[at], lengths[at]
                sizes.append(size)
                if start == run_end:
                    run_end += size
                    continue
                if run_end >= 0:
                    out.append(Span(run_start, run_end))
                run_start, run_end = start, start + size
                continue
            if run_end >= 0:
                out.append(Span(run_start, run_end))
                run_start = run_end = -1
            data = self._made(pieces, concept, key, separator)
            out.append(data)
            sizes.append(len(data))
        if run_end >= 0:
            out.append(Span(run_start, run_end))
        self.found, self.lengths, self.out = found, sizes, out
        return out

    def _made(self, pieces: pieces_mod.Pieces, concept: Concept, key: bytes | None,
              separator: bytes) -> bytes:
        data = pieces.piece(concept)
        if separator and data:
            data = separator + data
        if key is None:
            self.complete = False
        else:
            self.made.append(concept.id)
            self.fresh.append(data)
        return data

    def _patched(self, pieces: pieces_mod.Pieces, concepts: Sequence[Concept],
                 changed: list[int], separator: bytes) -> list[Piece]:
        """The pieces when the concepts are those of the index, in its order, but for
        the ``changed`` positions (one edit): spans of the pack between those, worked
        out from where the pack's runs break, without a step per concept (100,000
        concepts: ~5 ms per output instead of ~0.1 s)."""
        index = self.index
        assert index is not None
        offsets, ends = index.offsets, index.ends
        follows = _differing(ends.tobytes()[:-ends.itemsize], offsets.tobytes()[ends.itemsize:],
                             ends.itemsize)  # i: piece i + 1 is not right after piece i
        cuts = sorted({0, len(offsets), *changed, *(i + 1 for i in changed),
                       *(i + 1 for i in follows)})
        mine = set(changed)
        self.lengths = array("Q", index.lengths)
        out: list[Piece] = []
        for first, stop in pairwise(cuts):
            if first not in mine:
                out.append(Span(offsets[first], ends[stop - 1]))
                continue
            data = self._made(pieces, concepts[first], self.keys[first], separator)
            out.append(data)
            self.lengths[first] = len(data)
        self.changed = changed
        return out

    def _chunks(self, pieces: pieces_mod.Pieces) -> list[Piece]:
        """The whole output of :meth:`pieces`' result: head, pieces (with the separator
        between two non-empty ones), tail."""
        return [pieces.head(), *_opened(self.out, getattr(pieces, "separator", b"")),
                pieces.tail()]

    def write(self, pieces: pieces_mod.Pieces, out: IO[bytes]) -> None:
        """Write the output (:meth:`_chunks`) to ``out``."""
        chunks = self._chunks(pieces)
        if self.pack is None:
            out.writelines(chunks)  # type: ignore[arg-type]  # no span without a pack
        else:
            self.pack.write(chunks, out)

    def joined(self, pieces: pieces_mod.Pieces) -> bytes | bytearray:
        """What :meth:`write` writes, in one buffer."""
        chunks = self._chunks(pieces)
        if self.pack is None:
            return b"".join(chunks)  # type: ignore[arg-type]  # no span without a pack
        return self.pack.joined(chunks)

    def close(self) -> None:
        if self.pack is not None:
            self.pack.close()
            self.pack = None

    def save(self, ident: str = "-", pieces: pieces_mod.Pieces | None = None,
             record: bytes = b"") -> None:
        """Bring the store up to date with this run: append the made pieces to the pack
        (or write a new pack), then the index, which also keeps ``ident`` (the manifest
        identity, :func:`manifest_id`), ``record`` (what the caller reports) and the
        head, tail and separator of ``pieces`` for :func:`replay`. A store that cannot
        be written, or a run with a concept not from terms/, is left as it is."""
        if not self.complete:
            return
        keys: list[bytes] = self.keys  # type: ignore[assignment]
        head = pieces.head() if pieces is not None else b""
        tail = pieces.tail() if pieces is not None else b""
        separator: bytes = getattr(pieces, "separator", b"")
        old = self.index
        if (old is not None and self.pack is not None and not self.made
                and old.key_blob == b"".join(keys) and old.ident == ident.encode("ascii")
                and (old.record, old.head, old.tail, old.separator)
                == (record, head, tail, separator)):
            return  # the store already says exactly this
        placed = self._place()
        if placed is None:
            return
        pack_id, offsets = placed
        index = Index(pack_id, ident.encode("ascii"), record, head, tail, separator,
                      b"".join(keys), offsets, self.lengths)
        textfile.write_build_bytes(self.dir / INDEX_NAME, [index.encode(self.key)])

    def _place(self) -> tuple[bytes, array[int]] | None:
        """Where this run's pieces are in a pack: the old pack with the made pieces
        appended, or a new pack; (pack id, offsets), or None if nothing could be
        written."""
        old, pack, lengths = self.index, self.pack, self.lengths
        path = self.dir / PACK_NAME
        if old is not None and pack is not None:
            appended = b"".join(self.fresh)
            start = piece_pack.append(path, old.pack_id, appended) if appended else pack.size
            if start is not None and start + len(appended) <= 2 * sum(lengths) + _SLACK:
                if self.changed is not None:  # every other piece where it was
                    offsets = array("Q", old.offsets)
                    made = self.changed
                else:
                    offsets = array("Q", (0 if at < 0 else old.offsets[at]
                                          for at in self.found))
                    made = [i for i, at in enumerate(self.found) if at < 0]
                for i in made:
                    offsets[i] = start
                    start += lengths[i]
                return old.pack_id, offsets
        pack_id = piece_pack.new_pack_id()
        magic = PACK_MAGIC + pack_id + b"\n"
        chunks = [magic, *self.out]
        if not textfile.write_build_with(
                path, lambda out: pack.write(chunks, out) if pack is not None
                else out.writelines(chunks)):  # type: ignore[arg-type]  # no span then
            return None
        piece_pack.remove_others(self.dir)
        offsets = array("Q", [len(magic)])
        for length in lengths[:-1]:
            offsets.append(offsets[-1] + length)
        return pack_id, offsets[:len(lengths)]


def _changed(old: bytes, keys: list[bytes | None]) -> list[int] | None:
    """The positions where ``keys`` differ from the index's (``old``, one after the
    other), when they are as many and all known, and at most a quarter differ; else
    None (the pieces are looked up by key)."""
    if len(old) != len(keys) * piece_pack.KEY_BYTES or None in keys:
        return None
    new = b"".join(keys)  # type: ignore[arg-type]  # no None, just checked
    if len(new) != len(old):
        return None
    changed = _differing(new, old, piece_pack.KEY_BYTES)
    return changed if len(changed) <= len(keys) // 4 + 1 else None


def _differing(one: bytes, other: bytes, width: int) -> list[int]:
    """The positions of the ``width``-byte items that differ between two byte strings
    of the same length: halves compared at C speed, only the unequal ones split again
    (a few differences in 100,000 items: ~40 comparisons)."""
    found: list[int] = []
    todo = [(0, len(one) // width)]
    while todo:
        first, stop = todo.pop()
        if one[first * width:stop * width] == other[first * width:stop * width]:
            continue
        if stop - first == 1:
            found.append(first)
            continue
        middle = (first + stop) // 2
        todo += ((middle, stop), (first, middle))
    return found


def manifest_id(parse_key: str, slot: str, *inputs: object) -> str:
    """What an output depends on when terms/ did not change: the store's format, the
    code, the parse cache's key, the slot and the caller's ``inputs`` (the options with
    the revision, ``SOURCE_DATE_EPOCH``)."""
    digest = hashlib.sha256(f"{STORE_FORMAT}\0{code_digest()}\0{parse_key}\0{slot}\0"
                            f"{inputs!r}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


@dataclass
class Recorded:
    """An output as :func:`replay` found it: its chunks (head, pieces, tail), the
    caller's record, and the open pack the pieces are in. A context manager: the pack
    is closed at its end."""

    chunks: list[Piece]
    record: bytes
    pack: Pack

    def write(self, out: IO[bytes]) -> None:
        self.pack.write(self.chunks, out)

    def data(self) -> bytes:
        buffer = io.BytesIO()
        self.pack.write(self.chunks, buffer)
        return buffer.getvalue()

    def __enter__(self) -> Recorded:
        return self

    def __exit__(self, *exc: object) -> None:
        self.pack.close()


def replay(cache_dir: Path, slot: str, ident: str) -> Recorded | None:
    """The output recorded under ``ident`` in ``slot``, when the index and its pack
    are whole; else None (the caller makes the output as usual)."""
    folder = cache_dir / DIR_NAME / slot
    try:
        data = textfile.read_build_file(folder / INDEX_NAME)
    except OSError:
        return None
    slot_key = data[len(INDEX_MAGIC):len(INDEX_MAGIC) + 64]  # replay takes it as found
    if not slot_key.isalnum():
        return None
    index = parse_index(data, slot_key.decode("ascii"))
    if index is None or index.ident != ident.encode("ascii"):
        return None
    pack = piece_pack.open_pack(folder / PACK_NAME, index)
    if pack is None:
        return None
    spans: list[Piece] = []
    run_start = run_end = -1  # pieces that follow each other in the pack: one span
    for start, length in zip(index.offsets, index.lengths, strict=True):
        if not length:
            continue
        if start == run_end:
            run_end += length
        else:
            if run_end >= 0:
                spans.append(Span(run_start, run_end))
            run_start, run_end = start, start + length
    if run_end >= 0:
        spans.append(Span(run_start, run_end))
    return Recorded([index.head, *_opened(spans, index.separator), index.tail],
                    index.record, pack)


def _opened(chunks: list[Piece], separator: bytes) -> list[Piece]:
    """The pieces of a format with a separator, each kept with the separator in front
    (:meth:`Slot.pieces`), as the output has them: without the first non-empty one's.
    Why kept in front: a run of pieces that follow each other in the pack is then one
    span the kernel copies (10,000 JSON pieces, one span per piece and the separator
    written between: the whole pack was read and written again, ~30 ms a build)."""
    if not separator:
        return chunks
    for i, chunk in enumerate(chunks):
        if len(chunk):
            first = (Span(chunk.start + len(separator), chunk.stop)
                     if isinstance(chunk, Span) else chunk[len(separator):])
            return [*chunks[:i], first, *chunks[i + 1:]]
    return chunks


def slot_name(fmt: str, *options: object) -> str:
    """A slot's folder name: the format, and a digest of the options that change its
    pieces (never the revision)."""
    digest = hashlib.sha256(repr(options).encode()).hexdigest()[:12]
    return f"{fmt}-{digest}"


def joined(pieces: pieces_mod.Pieces, concepts: Sequence[Concept], source: Source,
           slot: str) -> tuple[bytes | bytearray, Slot]:
    """What :func:`write` writes, in one buffer, for a format that wraps it whole (the
    XLSX worksheet), and the slot (its pieces' lengths and keys)."""
    store = Slot(source, slot, pieces.key)
    try:
        store.pieces(pieces, concepts)
        data = store.joined(pieces)
        store.save("-", pieces)
    finally:
        store.close()
    return data, store


def write(pieces: pieces_mod.Pieces, concepts: Sequence[Concept], out: IO[bytes],
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
    try:
        store.pieces(pieces, concepts)
        store.write(pieces, out)
        ident, record = manifest if manifest is not None else ("-", b"")
        store.save(ident, pieces, record)
    finally:
        store.close()
    return store
