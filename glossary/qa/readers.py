"""Read the documents QA checks: PO/POT catalogs, plain text and Markdown, Word .docx.

Each reader turns a file into a :class:`Document`: text :class:`Segment` objects that
know how to turn an offset into a line and column, or, for PO catalogs, :class:`PoUnit`
entries (English msgid, Khmer msgstr forms).  PO catalogs are read by
:mod:`glossary.qa.po_entries`, .docx documents by :mod:`glossary.qa.docx_text`.  Bad
input raises :class:`~glossary.errors.FormatError` with the file, line and column where
known.

The segments and entries of a document are *streamed*: produced one at a time while
the checks consume them, so memory is bounded by the largest paragraph or entry, not
by the file (issue 18: the whole-file reader held about 100 times the file, 1.75 GB
for 20 MB of text).  A text or Markdown file is read line by line and cut into
paragraphs (runs of lines ended by a blank line, at most :data:`MAX_SEGMENT` characters,
cut at a line end beyond that); a .docx yields one paragraph at a time.  A stream can
be iterated once; the file is checked (existence, kind, size limit) when the document
is made, and decoding errors are raised, located, while it is read.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from glossary import limits
from glossary.errors import FormatError
from glossary.formats import po
from glossary.qa import po_entries
from glossary.qa.po_entries import PoUnit
from glossary.textfile import BOM

__all__ = ["Document", "PoUnit", "Segment", "read_document"]

PO_SUFFIXES = frozenset({".po", ".pot"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd"})
#: The longest text segment (characters): a paragraph longer than this is cut at the
#: end of a line, so a file without blank lines is still read in bounded pieces.
MAX_SEGMENT = 256 * 1024
_TEXT_HINT = "save the file as UTF-8; text typed in a legacy Khmer font needs converting"


@dataclass(frozen=True)
class Segment:
    """A piece of text and where it starts.  In text files newlines advance the line;
    in a .docx paragraph the line is the paragraph number and columns run on."""

    text: str
    line: int = 1
    column: int = 1
    newlines_advance: bool = True
    _newlines: list[int] = field(default_factory=list, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.newlines_advance:
            self._newlines.extend(m.start() for m in re.finditer("\n", self.text))

    def locate(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of ``text[offset]``; columns count code points."""
        if not self.newlines_advance or not self._newlines:
            return self.line, self.column + offset
        before = bisect_left(self._newlines, offset)
        if before == 0:
            return self.line, self.column + offset
        return self.line + before, offset - self._newlines[before - 1]


@dataclass
class Document:
    """A file being read: ``segments`` (text, .docx) or ``entries`` (PO), each a stream
    that can be iterated once."""

    path: Path
    kind: str  # "po", "text" or "docx"
    segments: Iterable[Segment] = ()
    entries: Iterable[PoUnit] = ()


def read_document(path: Path) -> Document:
    """Read one file by its suffix: .po/.pot, .docx, anything else as UTF-8 text."""
    suffix = path.suffix.lower()
    if not path.exists():
        raise FormatError("file not found", path=path, hint="check the path")
    if path.is_dir():
        raise FormatError("is a directory, not a file", path=path,
                          hint="name the files, e.g. docs/*.md")
    if suffix in (".doc", ".odt", ".rtf", ".pdf"):
        raise FormatError(f"cannot read {path.suffix} files", path=path,
                          hint="save the document as .docx, or export its text")
    if suffix == ".mo":
        try:
            with path.open("rb") as handle:
                po.refuse_mo(path, handle.read(4))
        except OSError as exc:
            raise FormatError(f"cannot read file: {exc.strerror}", path=path) from exc
    if suffix in PO_SUFFIXES:
        return Document(path, "po", entries=read_po(path))
    if suffix == ".docx":
        return Document(path, "docx", segments=read_docx(path))
    limits.check_file(path, "text")
    return Document(path, "text", segments=read_text_segments(
        path, markdown=suffix in MARKDOWN_SUFFIXES))


def _lines(path: Path) -> Iterator[str]:
    """The lines of a UTF-8 file without their ``\\n``, decoded one at a time; a leading
    BOM is dropped; at most the size limit of text input is read."""
    budget = limits.MAX_FILE["text"]
    with limits.open_input(path) as handle:
        for number, raw in enumerate(handle, 1):
            budget -= len(raw)
            if budget < 0:
                raise FormatError("is over the limit for TEXT input "
                                  f"({limits.MAX_FILE['text'] // limits.MB} MB)", path=path,
                                  hint="split the file (see \"Limits\" in the README)")
            if number == 1 and raw.startswith(BOM):
                raw = raw[len(BOM):]
            if raw.endswith(b"\n"):
                raw = raw[:-1]
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                column = len(raw[:exc.start].decode("utf-8", "replace")) + 1
                raise FormatError(f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})", path=path,
                                  line=number, column=column, hint=_TEXT_HINT) from None


def read_text_segments(path: Path, *, markdown: bool = False) -> Iterator[Segment]:
    """The paragraphs of a text (or Markdown) file, each with the line it starts on;
    in Markdown the inside of fenced code blocks is blanked (lines and columns stay)."""
    lines: Iterable[str] = _lines(path)
    if markdown:
        lines = blank_code_lines(lines)
    pending: list[str] = []
    size = 0
    first = 1
    number = 0
    for number, line in enumerate(lines, 1):
        pending.append(line)
        size += len(line) + 1
        if not line.strip() or size > MAX_SEGMENT:
            yield Segment("\n".join(pending) + "\n", first)
            pending, size, first = [], 0, number + 1
    if pending:
        yield Segment("\n".join(pending), first)


# --------------------------------------------------------------------------- Markdown

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def blank_code_lines(lines: Iterable[str]) -> Iterator[str]:
    """The lines with the inside of fenced code blocks replaced by spaces."""
    fence: str | None = None
    for line in lines:
        m = _FENCE.match(line)
        if fence is None:
            if m:
                fence = m.group(1)
            yield line
            continue
        if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
            fence = None
            yield line
            continue
        yield re.sub(r"\S", " ", line)


# --------------------------------------------------------------------------- PO

def read_po(path: Path) -> Iterator[PoUnit]:
    """The translatable entries of a PO/POT file (header and obsolete entries skipped),
    read one at a time (:mod:`glossary.qa.po_entries`); the file is checked (kind, size
    limit, MO magic, charset) now, a malformed entry is refused when it is reached."""
    units = po_entries.read_units(path)
    first = next(units, None)  # opens and checks the file, reads up to the first entry
    return (u for u in itertools.chain([] if first is None else [first], units)
            if not u.obsolete and u.msgid)


# --------------------------------------------------------------------------- .docx


def read_docx(path: Path) -> Iterator[Segment]:
    """Every paragraph of the body, table cells included, in document order, then of the
    footnotes and endnotes; the line of a segment is its paragraph number (1-based).
    The document is opened (and refused if it is no .docx or too large) now; its
    paragraphs are read one at a time (:mod:`glossary.qa.docx_text`)."""
    from glossary.qa import docx_text

    return (Segment(text, number, 1, newlines_advance=False)
            for number, text in enumerate(docx_text.paragraphs(path), 1))
