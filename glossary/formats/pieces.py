"""Whole-file outputs cut along concepts: a head, one piece per concept, a tail.

Most outputs (TBX, PO, CSV, JSON, the XLSX sheet …) are a fixed head, then the
concepts one after the other in the glossary's order, then a fixed tail. A format that
is written that way offers ``pieces(glossary, options) -> Pieces``; its ``write`` is then
:func:`write` of those pieces. The point of the cut: a concept's piece depends only on
that concept and on :attr:`Pieces.key`, so a piece made for an unchanged concept can be
reused by a later run instead of being made again (``glossary build`` after one edit).

Rule for a format: :meth:`Pieces.piece` reads nothing of the glossary but the concept
it is given and what :attr:`Pieces.key` stands for (the format, its options and any
glossary-wide data it looks at, such as the set of concepts a cross-reference may
point to). Break the rule and a reused piece is stale; the incremental-build tests
(edits, then a comparison with a clean build) are there to catch it.

Optional members, read with ``getattr``:

* ``reads_see_also: bool``: a piece reads the concepts its concept's see-also list
  names (TBX writes their English terms as cross-reference labels). A store of pieces
  (:mod:`glossary.piece_store`) then keys a piece by those concepts' files too.
* ``context(concept) -> str``: what else a piece reads of *other* concepts, for this
  one concept (a compendium entry lists the other concepts that give its English term).
  The store keys a piece by the concept's file, this string and :attr:`Pieces.key`, so
  an edit elsewhere invalidates only the pieces that read it.
* ``separator: bytes``: written between two non-empty pieces (JSON's comma).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sized
from typing import IO, Protocol, TypeVar

from glossary.model import Concept


class Pieces(Protocol):
    """One output file as head + a piece per concept + tail (bytes, UTF-8 for text)."""

    #: A digest of everything besides the concept that :meth:`piece` reads: the format,
    #: its options, the glossary-wide context. Equal keys and equal concepts give equal
    #: pieces.
    key: str

    def head(self) -> bytes: ...

    def piece(self, concept: Concept) -> bytes:
        """The bytes of one concept (empty when the format leaves it out)."""
        ...

    def tail(self) -> bytes: ...


def write(pieces: Pieces, concepts: Iterable[Concept], out: IO[bytes]) -> None:
    """Write the whole file: head, each concept's piece in order, tail."""
    batch: list[bytes] = []
    for data in chunks(pieces, map(pieces.piece, concepts)):
        batch.append(data)
        if len(batch) >= 512:  # a few hundred pieces per write: few calls, bounded memory
            out.write(b"".join(batch))
            batch.clear()
    out.write(b"".join(batch))


Chunk = TypeVar("Chunk", bound=Sized)


def chunks(pieces: Pieces, made: Iterable[Chunk]) -> Iterator[bytes | Chunk]:
    """The whole file from its pieces already made (``made``, in order; anything with
    a length, such as the piece store's spans of its pack): head, the non-empty pieces
    with ``pieces.separator`` between two of them, tail."""
    separator: bytes = getattr(pieces, "separator", b"")
    yield pieces.head()
    first = True
    for data in made:
        if not len(data):
            continue
        if separator and not first:
            yield separator
        first = False
        yield data
    yield pieces.tail()


def key_of(*parts: object) -> str:
    """A :attr:`Pieces.key` from what the pieces read besides the concept (``repr`` of
    each part: plain strings, numbers, tuples of them and the model's dataclasses)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(repr(part).encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()
