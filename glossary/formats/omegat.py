"""OmegaT glossary: a tab-separated UTF-8 text file, one line per English–Khmer pair.

OmegaT (the free CAT tool most Khmer volunteer translators use) reads a glossary as
lines of ``source<TAB>target<TAB>comment``; put the file in the project's
``glossary/`` folder. Each English term of an active concept with a Khmer translation
(the pairing of :func:`glossary.pairs.pair_terms`) gives one line; the comment names the
concept, the Khmer term's review state and the English definition. Tabs and line breaks
inside a field are written as single spaces (the format has no escape for them).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO

from glossary.formats.options import WriteOptions
from glossary.formats.pieces import key_of
from glossary.formats.pieces import write as write_pieces
from glossary.model import Concept, ConceptStatus, Glossary, ReviewState
from glossary.pairs import pair_terms

_BREAKS = re.compile(r"[\t\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+")


def field(text: str) -> str:
    """One field: no tab or line break can survive (they would split the line)."""
    return _BREAKS.sub(" ", text).strip()


def concept_rows(concept: Concept) -> Iterator[tuple[str, str, str]]:
    """``(English, Khmer, comment)`` of each paired term of a concept (none for a retired
    one)."""
    if concept.status is ConceptStatus.RETIRED:
        return
    definition = concept.en.definition.text if concept.en.definition else ""
    for pair in pair_terms(concept):
        km = pair.km
        if km is None or not km.text:
            continue
        state = km.review.state
        review = ("approved" if state is ReviewState.APPROVED
                  else f"{state.value}, not approved yet")
        comment = f"{concept.id} ({review})"
        if definition:
            comment += f": {definition}"
        yield field(pair.en.text), field(km.text), field(comment)


class OmegatPieces:
    """The OmegaT file as :mod:`~glossary.formats.pieces`: no head or tail, each
    concept's lines."""

    key = key_of("omegat")

    def head(self) -> bytes:
        return b""

    def piece(self, concept: Concept) -> bytes:
        return "".join("\t".join(line) + "\n" for line in concept_rows(concept)
                       ).encode("utf-8")

    def tail(self) -> bytes:
        return b""


def pieces(glossary: Glossary, options: WriteOptions | None = None) -> OmegatPieces:
    return OmegatPieces()


def write(glossary: Glossary, out: IO[bytes], options: WriteOptions | None = None) -> None:
    """Write the glossary file (UTF-8, no BOM, LF line ends)."""
    write_pieces(OmegatPieces(), glossary.concepts, out)
