"""OmegaT glossary: a tab-separated UTF-8 text file, one line per English–Khmer pair.

OmegaT (the free CAT tool most Khmer volunteer translators use) reads a glossary as
lines of ``source<TAB>target<TAB>comment``; put the file in the project's
``glossary/`` folder. Each English term of an active concept with a Khmer translation
(the pairing of :func:`glossary.pairs.pair_terms`) gives one line; the comment names the
concept, the Khmer term's review state and the English definition. Tabs and line breaks
inside a field are written as single spaces (the format has no escape for them).

A glossary a translator sends back (OmegaT adds to the project's writable glossary as
they work) is read by :func:`read`: each line's source and target are an English and a
Khmer term, matched and reviewed like a row of a bilingual sheet.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from glossary import limits, textfile
from glossary.errors import FormatError
from glossary.formats import sheet_layout
from glossary.formats.options import ReadOptions, WriteOptions
from glossary.formats.pieces import key_of
from glossary.formats.pieces import write as write_pieces
from glossary.imports.records import ReadResult
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


#: The comment :func:`concept_rows` writes: the concept id, then the review state.
_OUR_COMMENT = re.compile(r"([a-z0-9]+(?:-[a-z0-9]+)*) \((?:approved|[a-z]+, not approved "
                          r"yet)\)(?::|$)")
#: The columns :func:`read` gives :func:`sheet_layout.read_rows` (a bilingual sheet's).
_COLUMNS = {"concept_id": "concept", "en": "English", "km": "Khmer"}


def read(path: Path, options: ReadOptions | None = None) -> ReadResult:
    """The term pairs of an OmegaT glossary (UTF-8, or UTF-16 with its byte order mark
    as Notepad saves "Unicode"; a ``#`` line is a comment, as in the header OmegaT
    writes). A comment in the form this module writes names the concept; any other
    comment is not imported (counted among the skipped)."""
    options = options or ReadOptions()
    text = textfile.decode(path, limits.read_file(path, "omegat"), error=FormatError,
                           utf16=True, hint="save the glossary as UTF-8 (OmegaT: a .txt or .utf8 "
                                "file written by OmegaT is UTF-8)")
    skipped: Counter[str] = Counter()
    result = sheet_layout.read_rows(_rows(text, skipped), path, "omegat",
                                    options.fold_coeng_da, _COLUMNS)
    if not result.concepts and skipped:
        raise FormatError("no line is a term pair (English<TAB>Khmer): not an OmegaT "
                          "glossary", path=path,
                          hint="`glossary export omegat` shows the layout")
    for reason, count in skipped.items():
        result.skip(reason, count)
    return result


def _rows(text: str, skipped: Counter[str]) -> Iterator[tuple[int, list[str]]]:
    yield 0, list(_COLUMNS.values())
    # lines end at LF (CR LF) only: str.splitlines() would also cut at U+2028, U+0085 …,
    # which belong to a term (and are refused there, with its line)
    for number, line in enumerate(text.split("\n"), 1):
        line = line.removesuffix("\r")
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) < 2 or not fields[0].strip() or not fields[1].strip():
            skipped["lines without both an English and a Khmer term"] += 1
            continue
        comment = fields[2].strip() if len(fields) > 2 else ""
        ours = _OUR_COMMENT.match(comment)
        if comment and ours is None:
            skipped["comments (third column), not imported"] += 1
        yield number, [ours[1] if ours else "", fields[0], fields[1]]
