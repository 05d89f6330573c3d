"""Read the documents QA checks: PO/POT catalogs, plain text and Markdown, Word .docx.

Each reader turns a file into a :class:`Document`: text :class:`Segment` objects that
know how to turn an offset into a line and column, or, for PO catalogs, :class:`PoUnit`
entries (English msgid, Khmer msgstr forms).  polib and python-docx are imported only
when a file of that kind is read.  Bad input raises :class:`~glossary.errors.FormatError`
with the file, line and column where known.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from glossary import limits
from glossary.errors import FormatError, GlossaryError
from glossary.formats import po
from glossary.source import read_text

__all__ = ["Document", "PoUnit", "Segment", "kind_of", "read_document"]

PO_SUFFIXES = frozenset({".po", ".pot"})
DOCX_SUFFIXES = frozenset({".docx"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd"})


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


@dataclass(frozen=True, slots=True)
class PoUnit:
    """One translatable PO entry."""

    line: int  # the line of its msgstr
    msgctxt: str | None
    msgid: str
    msgid_plural: str | None
    msgstrs: tuple[str, ...]
    fuzzy: bool

    @property
    def english(self) -> tuple[str, ...]:
        return (self.msgid,) if self.msgid_plural is None else (self.msgid, self.msgid_plural)


@dataclass
class Document:
    path: Path
    kind: str  # "po", "text" or "docx"
    segments: list[Segment] = field(default_factory=list)
    entries: list[PoUnit] = field(default_factory=list)


def kind_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in PO_SUFFIXES:
        return "po"
    if suffix in DOCX_SUFFIXES:
        return "docx"
    return "text"


def read_document(path: Path) -> Document:
    """Read one file by its suffix: .po/.pot, .docx, anything else as UTF-8 text."""
    if not path.exists():
        raise FormatError("file not found", path=path, hint="check the path")
    if path.is_dir():
        raise FormatError("is a directory, not a file", path=path,
                          hint="name the files, e.g. docs/*.md")
    if path.suffix.lower() in (".doc", ".odt", ".rtf", ".pdf"):
        raise FormatError(f"cannot read {path.suffix} files", path=path,
                          hint="save the document as .docx, or export its text")
    kind = kind_of(path)
    if kind == "po":
        return Document(path, kind, entries=read_po(path))
    if kind == "docx":
        return Document(path, kind, segments=read_docx(path))
    text = _read_utf8(path)
    if path.suffix.lower() in MARKDOWN_SUFFIXES:
        text = blank_code_blocks(text)
    return Document(path, kind, segments=[Segment(text)])


def _read_utf8(path: Path) -> str:
    limits.check_file(path, "text")
    try:
        return read_text(path)
    except GlossaryError as exc:
        raise FormatError(exc.message, path=path, line=exc.line, column=exc.column,
                          hint=exc.hint) from exc


# --------------------------------------------------------------------------- Markdown

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def blank_code_blocks(text: str) -> str:
    """Replace the inside of fenced code blocks with spaces (lines and columns stay)."""
    lines = text.split("\n")
    fence: str | None = None
    for i, line in enumerate(lines):
        m = _FENCE.match(line)
        if fence is None:
            if m:
                fence = m.group(1)
            continue
        if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
            fence = None
            continue
        lines[i] = re.sub(r"\S", " ", line)
    return "\n".join(lines)


# --------------------------------------------------------------------------- PO

_CHARSET = re.compile(rb"charset=([A-Za-z0-9_.:-]+)")
_PO_LINE = re.compile(r"\(line (\d+)\)")


def _decode_po(path: Path) -> str:
    return po.decode(path, limits.read_file(path, "po"))


def read_po(path: Path) -> list[PoUnit]:
    """The translatable entries of a PO/POT file (header and obsolete entries skipped)."""
    import polib

    text = _decode_po(path)
    if not text.strip():
        return []
    try:
        joined = po.prejoin(text.replace("\r\n", "\n").replace("\r", "\n"), path)
        catalog = polib.pofile(joined if "\n" in joined else joined + "\n", encoding="utf-8")
    except (OSError, ValueError) as exc:
        message = str(exc)
        m = _PO_LINE.search(message)
        detail = message.split("):", 1)[1].strip() if "):" in message else ""
        raise FormatError(
            "malformed PO file" + (f": {detail}" if detail else ""), path=path,
            line=int(m.group(1)) if m else None,
            hint="check the quotes and keywords on that line; msgfmt -c tells more",
        ) from exc
    msgstr_lines = [i for i, line in enumerate(text.split("\n"), 1)
                    if line.startswith("msgstr")]
    units: list[PoUnit] = []
    for entry in catalog:
        if entry.obsolete or not entry.msgid:
            continue
        if entry.msgid_plural:
            forms = tuple(entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural))
        else:
            forms = (entry.msgstr,)
        k = bisect_right(msgstr_lines, entry.linenum - 1)
        line = msgstr_lines[k] if k < len(msgstr_lines) else entry.linenum
        units.append(PoUnit(line, entry.msgctxt, entry.msgid, entry.msgid_plural or None,
                            forms, "fuzzy" in entry.flags))
    return units


# --------------------------------------------------------------------------- .docx


def read_docx(path: Path) -> list[Segment]:
    """Every paragraph of the body, table cells included, in document order; the line
    of a segment is its paragraph number (1-based)."""
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    limits.check_file(path, "docx")
    try:
        with zipfile.ZipFile(path) as archive:  # refused from the zip's directory alone
            limits.check_zip(path, archive, "docx", limits.MAX_DOCX_UNCOMPRESSED)
    except (zipfile.BadZipFile, OSError) as exc:
        raise FormatError("not a Word .docx document (cannot open it as one)", path=path,
                          hint="save it as .docx (Word 2007 or later)") from exc
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise FormatError("not a Word .docx document (cannot open it as one)", path=path,
                          hint="save it as .docx (Word 2007 or later)") from exc
    except Exception as exc:  # lxml raises its own errors for damaged XML parts
        if type(exc).__module__.startswith(("lxml", "docx")):
            raise FormatError(f"damaged .docx document: {exc}", path=path) from exc
        raise
    segments: list[Segment] = []
    _walk(document, segments, set())
    return segments


def _walk(container: object, out: list[Segment], seen_cells: set[object]) -> None:
    from docx.table import Table

    for block in container.iter_inner_content():  # type: ignore[attr-defined]
        if isinstance(block, Table):
            for row in block.rows:
                for cell in row.cells:
                    if cell._tc in seen_cells:  # a merged cell appears once per column
                        continue
                    seen_cells.add(cell._tc)
                    _walk(cell, out, seen_cells)
        else:
            out.append(Segment(block.text, len(out) + 1, 1, newlines_advance=False))
