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
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Protocol

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
    out.write(pieces.head())
    for concept in concepts:
        out.write(pieces.piece(concept))
    out.write(pieces.tail())
