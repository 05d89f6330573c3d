"""The paragraphs of a Word .docx document, read as a stream for ``glossary qa``.

The main document part (``word/document.xml``, found through ``_rels/.rels``) is parsed
from the zip member with lxml's ``iterparse``; each paragraph is turned into text when
it ends and then cleared, with everything before it, so memory follows the largest
paragraph, not the document (python-docx built the whole tree: a 4 MB .docx took
3.9 GB).  The zip is refused from its directory first when it would unpack to more
than :data:`glossary.limits.MAX_DOCX_UNCOMPRESSED` or holds a zip bomb.

Which paragraphs, and their text, are python-docx's (what this module replaces):
paragraphs of the body and of table cells, nested tables included, in document order;
a cell merged into the one above (``vMerge`` continue) is skipped, and a cell spanning
columns is read once; paragraphs wrapped in other elements (content controls, tracked
insertions at block level, text boxes) are not read.  The text of a paragraph is that
of its runs and of the runs of its hyperlinks: ``w:t``, tab and ``ptab`` → ``\\t``, a
line break (``w:br`` of type textWrapping) and ``w:cr`` → ``\\n``, a page or column
break → nothing, a non-breaking hyphen → ``-``.
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from lxml import etree  # imported only when a .docx is read

from glossary import limits
from glossary.errors import FormatError

__all__ = ["paragraphs"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DOCUMENT, BODY, P, TBL, TR, TC = (_W + n for n in ("document", "body", "p", "tbl", "tr", "tc"))
_TCPR, _VMERGE, _R, _HYPERLINK = (_W + n for n in ("tcPr", "vMerge", "r", "hyperlink"))
_T, _TAB, _PTAB, _BR, _CR, _NBH = (_W + n for n in ("t", "tab", "ptab", "br", "cr",
                                                     "noBreakHyphen"))
_TYPE, _VAL = _W + "type", _W + "val"
_RELS = "_rels/.rels"
_OFFICE_DOCUMENT = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                    "officeDocument")
_NOT_DOCX = "not a Word .docx document (cannot open it as one)"
_SAVE_AS = "save it as .docx (Word 2007 or later)"
_OPTIONS: dict[str, Any] = {
    "resolve_entities": False, "load_dtd": False, "no_network": True, "huge_tree": False,
    "remove_comments": True, "remove_pis": True, "remove_blank_text": True,
    "collect_ids": False}


def paragraphs(path: Path) -> Iterator[str]:
    """The text of every paragraph, in order.  The file is opened and checked (a zip,
    within the limits, with a main document part) now; the paragraphs are read as
    they are taken, and a damaged part raises :class:`FormatError` then."""
    limits.check_file(path, "docx")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise FormatError(_NOT_DOCX, path=path, hint=_SAVE_AS) from exc
    try:
        limits.check_zip(path, archive, "docx", limits.MAX_DOCX_UNCOMPRESSED)
        member = archive.open(_main_part(path, archive))
    except BaseException:
        archive.close()
        raise
    return _read(path, archive, member)


def _main_part(path: Path, archive: zipfile.ZipFile) -> str:
    """The zip member of the main document part, from the package relationships."""
    try:
        with archive.open(_RELS) as handle:
            rels = etree.fromstring(handle.read(limits.MB + 1),
                                    etree.XMLParser(**_OPTIONS))
    except (KeyError, etree.XMLSyntaxError, zipfile.BadZipFile, zlib.error, OSError) as exc:
        raise FormatError(_NOT_DOCX, path=path, hint=_SAVE_AS) from exc
    for rel in rels:
        if rel.get("Type") == _OFFICE_DOCUMENT and rel.get("TargetMode") != "External":
            name = posixpath.normpath(rel.get("Target", "").lstrip("/"))
            if name in archive.NameToInfo:
                return name
    raise FormatError(_NOT_DOCX + ": it has no main document part", path=path, hint=_SAVE_AS)


def _run_text(run: Any) -> str:
    out = []
    for child in run:
        tag = child.tag
        if tag == _T:
            out.append(child.text or "")
        elif tag in (_TAB, _PTAB):
            out.append("\t")
        elif tag == _BR:
            out.append("\n" if child.get(_TYPE, "textWrapping") == "textWrapping" else "")
        elif tag == _CR:
            out.append("\n")
        elif tag == _NBH:
            out.append("-")
    return "".join(out)


def paragraph_text(p: Any) -> str:
    """The text of a ``w:p`` element (see the module docstring)."""
    out = []
    for child in p:
        if child.tag == _R:
            out.append(_run_text(child))
        elif child.tag == _HYPERLINK:
            out.extend(_run_text(r) for r in child if r.tag == _R)
    return "".join(out)


def _in_flow(stack: list[list[Any]]) -> bool:
    """True for a paragraph whose ancestors are the body, then table/row/cell triples
    (none of the cells merged into the one above)."""
    if len(stack) < 2 or stack[1][0] != BODY or (len(stack) - 2) % 3:
        return False
    for k in range(2, len(stack), 3):
        if (stack[k][0] != TBL or stack[k + 1][0] != TR or stack[k + 2][0] != TC
                or stack[k + 2][1]):
            return False
    return True


_CLEARED = frozenset({P, TBL, TR, TC})


def _read(path: Path, archive: zipfile.ZipFile, member: IO[bytes]) -> Iterator[str]:
    stack: list[list[Any]] = []  # [tag, merged-into-the-cell-above] of open elements
    try:
        with archive, member:
            for event, el in etree.iterparse(member, events=("start", "end"), **_OPTIONS):
                if event == "start":
                    if not stack:
                        _check_root(path, el)
                    stack.append([el.tag, False])
                    continue
                stack.pop()
                tag = el.tag
                if tag == P:
                    if _in_flow(stack):
                        yield paragraph_text(el)
                elif (tag == _VMERGE and len(stack) >= 2 and stack[-1][0] == _TCPR
                      and stack[-2][0] == TC and el.get(_VAL, "continue") == "continue"):
                    stack[-2][1] = True
                if tag in _CLEARED:
                    el.clear()
                    parent = el.getparent()
                    if parent is not None:
                        while el.getprevious() is not None:
                            del parent[0]
    except etree.XMLSyntaxError as exc:
        message = str(exc.msg or exc).strip()
        if "XML_PARSE_HUGE" in message or "too long" in message or "too large" in message:
            raise FormatError("a text in the document is too large for the XML reader "
                              "(over 10 MB in one piece)", path=path,
                              hint="split the paragraph") from None
        raise FormatError(f"damaged .docx document: its text part is not well-formed XML "
                          f"({message})", path=path, hint="open it in Word and save it again"
                          ) from None
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise FormatError(f"damaged .docx document: {exc}", path=path,
                          hint="open it in Word and save it again") from None
    except OSError as exc:
        raise FormatError(f"cannot read file: {exc.strerror or exc}", path=path) from None


def _check_root(path: Path, root: Any) -> None:
    if root.getroottree().docinfo.internalDTD is not None:
        raise FormatError("refused: the document part declares a DTD", path=path,
                          hint="Word never writes one; save the document from Word again")
    if root.tag != DOCUMENT:
        raise FormatError(_NOT_DOCX + ": its main part is not a Word document", path=path,
                          hint=_SAVE_AS)
