"""The paragraphs of a Word .docx document, read as a stream for ``glossary qa``.

The main document part (``word/document.xml``, found through ``_rels/.rels``) is parsed
from the zip member with lxml's ``iterparse``; each paragraph is turned into text when
it ends and then cleared, with everything before it, so memory follows the largest
paragraph, not the document (python-docx built the whole tree: a 4 MB .docx took
3.9 GB).  The zip is refused from its directory first when it would unpack to more
than :data:`glossary.limits.MAX_DOCX_UNCOMPRESSED` or holds a zip bomb.

Which paragraphs: those of the body and of table cells, nested tables included, in
document order, then those of the footnotes and of the endnotes (their parts are found
through the main part's relationships; Word's separator notes are not text), as the
document reads once its tracked changes are accepted (what will be
published, and what Word shows under "No Markup"):

* text inserted with change tracking (``w:ins``) or moved there (``w:moveTo``) is read;
  deleted text (``w:del``, ``w:delText``) and text moved away (``w:moveFrom``) is not;
* a paragraph whose mark was deleted joins the next one, and a deleted table row or cell
  is left out;
* content controls (``w:sdt``), custom XML, smart tags and simple fields are read through,
  around paragraphs, rows, cells or runs; a field's code (``w:instrText``) is not text;
* a cell merged into the one above (``vMerge`` continue) is skipped, and a cell spanning
  columns is read once.

A text box's paragraphs (``w:txbxContent``, tables included) follow its anchor paragraph;
Word keeps a second copy of each box for older readers (``mc:Fallback``), which is not
read again.  Headers, footers and comments are not read.  The text of a
paragraph is that of its runs: ``w:t``, tab and ``ptab`` → ``\\t``, a line break (``w:br``
of type textWrapping) and ``w:cr`` → ``\\n``, a page or column break → nothing, a
non-breaking hyphen → ``-``.  Without tracked changes or content controls, this is
python-docx's reading (what this module replaced, and what its tests compare with).
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from lxml import etree  # imported only when a .docx is read

from glossary import limits
from glossary.errors import FormatError

__all__ = ["DOCUMENT", "P", "RELATIONSHIPS", "W_NS", "main_part", "note_parts",
           "open_document", "paragraph_text", "paragraphs", "part_name", "refuse_dtd", "walk"]

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = "{" + W_NS + "}"
DOCUMENT, BODY, P, TBL, TR, TC = (_W + n for n in ("document", "body", "p", "tbl", "tr", "tc"))
FOOTNOTES, FOOTNOTE, ENDNOTES, ENDNOTE = (_W + n for n in ("footnotes", "footnote", "endnotes",
                                                            "endnote"))
#: Each part's root and the elements under it whose paragraphs are text (a note of
#: another type than "normal" is one of Word's separators).
_FLOWS = {DOCUMENT: BODY, FOOTNOTES: FOOTNOTE, ENDNOTES: ENDNOTE}
_TCPR, _TRPR, _PPR, _RPR, _VMERGE, _R = (_W + n for n in ("tcPr", "trPr", "pPr", "rPr",
                                                          "vMerge", "r"))
_DEL, _MOVE_FROM, _CELL_DEL = _W + "del", _W + "moveFrom", _W + "cellDel"
#: Elements read through, inside a paragraph (around runs): a hyperlink, tracked
#: insertions and moves, content controls, smart tags, custom XML, simple fields and
#: bidirectional embeddings.
_INLINE = frozenset(_W + n for n in ("hyperlink", "ins", "moveTo", "sdt", "sdtContent",
                                     "smartTag", "customXml", "fldSimple", "dir", "bdo"))
_TXBX = _W + "txbxContent"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
#: Elements read through around paragraphs, tables, rows and cells: content controls
#: and custom XML.
_AROUND = frozenset(_W + n for n in ("sdt", "sdtContent", "customXml"))
_T, _TAB, _PTAB, _BR, _CR, _NBH = (_W + n for n in ("t", "tab", "ptab", "br", "cr",
                                                     "noBreakHyphen"))
_TYPE, _VAL = _W + "type", _W + "val"
_RELS = "_rels/.rels"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_OFFICE_DOCUMENT = RELATIONSHIPS + "officeDocument"
_NOTES = ((RELATIONSHIPS + "footnotes", FOOTNOTES), (RELATIONSHIPS + "endnotes", ENDNOTES))
DAMAGED = "open it in Word and save it again"
_NOT_DOCX = "not a Word .docx document (cannot open it as one)"
_SAVE_AS = "save it as .docx (Word 2007 or later)"
_OPTIONS: dict[str, Any] = {
    "resolve_entities": False, "load_dtd": False, "no_network": True, "huge_tree": False,
    "remove_comments": True, "remove_pis": True, "remove_blank_text": True,
    "collect_ids": False}


def paragraphs(path: Path) -> Iterator[str]:
    """The text of every paragraph, in order: the body's, the footnotes', the endnotes'.
    The file is opened and checked now (:func:`open_document`); the paragraphs are read
    as they are taken, and a damaged part raises :class:`FormatError` then."""
    archive, parts = open_document(path)
    return _read_parts(path, archive, parts)


def open_document(path: Path) -> tuple[zipfile.ZipFile, list[tuple[str, str]]]:
    """The document's zip, checked (a zip within the limits, with a main document
    part), and the parts whose paragraphs are text, as (zip member, root tag): the main
    part, then its footnotes and endnotes. The caller closes the zip."""
    limits.check_file(path, "docx")
    try:
        archive = limits.open_zip(path, "docx")
    except zipfile.BadZipFile as exc:
        raise FormatError(_NOT_DOCX, path=path, hint=_SAVE_AS) from exc
    try:
        limits.check_zip(path, archive, "docx", limits.MAX_DOCX_UNCOMPRESSED)
        main = main_part(path, archive)
        return archive, [(main, DOCUMENT), *note_parts(path, archive, main)]
    except BaseException:
        archive.close()
        raise


def _relationships(archive: zipfile.ZipFile, name: str) -> Any:
    with archive.open(name) as handle:
        return etree.fromstring(handle.read(limits.MB + 1), etree.XMLParser(**_OPTIONS))


def main_part(path: Path, archive: zipfile.ZipFile) -> str:
    """The zip member of the main document part, from the package relationships."""
    try:
        rels = _relationships(archive, _RELS)
    except (KeyError, etree.XMLSyntaxError, zipfile.BadZipFile, zlib.error, OSError) as exc:
        raise FormatError(_NOT_DOCX, path=path, hint=_SAVE_AS) from exc
    for rel in rels:
        if rel.get("Type") == _OFFICE_DOCUMENT and rel.get("TargetMode") != "External":
            name = part_name("", rel.get("Target", ""))
            if name in archive.NameToInfo:
                return name
    raise FormatError(_NOT_DOCX + ": it has no main document part", path=path, hint=_SAVE_AS)


def part_name(folder: str, target: str) -> str:
    """The zip member a relationship's ``target`` names, from a part in ``folder``: an
    absolute target from the package's root, a relative one from the folder."""
    return posixpath.normpath(target.lstrip("/") if target.startswith("/")
                              else posixpath.join(folder, target))


def note_parts(path: Path, archive: zipfile.ZipFile, main: str) -> list[tuple[str, str]]:
    """The footnotes and endnotes parts (zip member, root tag), from the main part's
    relationships; none when it has none."""
    folder, name = posixpath.split(main)
    rels_name = posixpath.join(folder, "_rels", name + ".rels")
    if rels_name not in archive.NameToInfo:
        return []
    try:
        rels = _relationships(archive, rels_name)
    except (etree.XMLSyntaxError, zipfile.BadZipFile, zlib.error, OSError) as exc:
        raise FormatError(f"damaged .docx document: {rels_name} cannot be read", path=path,
                          hint=DAMAGED) from exc
    parts = []
    for kind, root in _NOTES:
        for rel in rels:
            target = rel.get("Target", "")
            if rel.get("Type") == kind and rel.get("TargetMode") != "External" and target:
                member = part_name(folder, target)
                if member in archive.NameToInfo:
                    parts.append((member, root))
                    break
    return parts


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
    out: list[str] = []
    _inline_text(p, out)
    return "".join(out)


def _inline_text(parent: Any, out: list[str]) -> None:
    for child in parent:
        if child.tag == _R:
            out.append(_run_text(child))
        elif child.tag in _INLINE:
            _inline_text(child, out)


def _in_flow(stack: list[list[Any]], in_box: bool) -> bool:
    """True for a paragraph whose ancestors are the body, then table/row/cell triples
    (no row or cell deleted, no cell merged into the one above), content controls and
    custom XML aside; or a note's (not a separator), likewise; or a text box's, whose
    anchor paragraph is such a paragraph, inside table/row/cell triples in the box
    (``in_box``: an ancestor is a text box)."""
    if len(stack) < 2 or stack[1][0] != _FLOWS.get(stack[0][0]) or stack[1][1]:
        return False
    if not in_box:
        return _tables_only(stack[2:])
    tags = [entry[0] for entry in stack]
    if _FALLBACK in tags or P not in tags:  # a box belongs in a paragraph's run
        return False
    box = len(tags) - 1 - tags[::-1].index(_TXBX)
    return _tables_only(stack[2:tags.index(P)]) and _tables_only(stack[box + 1:])


def _tables_only(levels: list[list[Any]]) -> bool:
    levels = [entry for entry in levels if entry[0] not in _AROUND]
    if len(levels) % 3:
        return False
    for k in range(0, len(levels), 3):
        table, row, cell = levels[k:k + 3]
        if table[0] != TBL or row[0] != TR or cell[0] != TC or row[1] or cell[1]:
            return False
    return True


def _mark_removed(stack: list[list[Any]], tag: str, el: Any) -> None:
    """Flag the open element that ``el`` (just ended, its parent on top of ``stack``)
    removes once changes are accepted: a cell merged into the one above or deleted, a
    deleted row, a paragraph whose mark was deleted or moved away (it joins the next)."""
    if len(stack) < 2:
        return
    parent, owner = stack[-1][0], stack[-2]
    if parent == _TCPR and owner[0] == TC:
        if tag == _CELL_DEL or (tag == _VMERGE and el.get(_VAL, "continue") == "continue"):
            owner[1] = True
    elif parent == _TRPR and owner[0] == TR and tag == _DEL:
        owner[1] = True
    elif (parent == _RPR and owner[0] == _PPR and len(stack) >= 3 and stack[-3][0] == P
          and tag in (_DEL, _MOVE_FROM)):
        stack[-3][1] = True


_CLEARED = frozenset({P, TBL, TR, TC, FOOTNOTE, ENDNOTE})
_NOTE_TAGS = frozenset({FOOTNOTE, ENDNOTE})
_MARKS = frozenset({_VMERGE, _CELL_DEL, _DEL, _MOVE_FROM})


def walk(path: Path, name: str, root: str, events: Iterable[tuple[str, Any]],
         clear: bool) -> Iterator[tuple[str, tuple[Any, ...]]]:
    """Each paragraph of a part (``name``, whose root element is ``root``: the main
    document or a notes part) as its text and its ``w:p`` elements (more than one where
    paragraphs were joined by a deleted mark), from the
    part's start and end ``events`` (lxml's ``iterparse`` over the file, or ``iterwalk``
    over a parsed tree); ``clear``: free each paragraph, table and note once read (an
    element given is then cleared when the next is asked for)."""
    # [tag, removed] of the open elements: removed is a merged or deleted cell, a deleted
    # row, a separator note, or a paragraph whose mark was deleted (its text waits in
    # ``joined``, or in ``box_joined`` in a text box, whose paragraphs wait in ``boxed``
    # until their anchor paragraph is given)
    stack: list[list[Any]] = []
    joined = box_joined = ""
    elements: list[Any] = []  # the paragraphs of ``joined``
    box_elements: list[Any] = []
    boxed: list[tuple[str, tuple[Any, ...]]] = []
    boxes = 0  # text boxes open
    for event, el in events:
        if event == "start":
            if not stack:
                _check_root(path, el, root, name)
            stack.append([el.tag, el.tag in _NOTE_TAGS and el.get(_TYPE, "normal") != "normal"])
            boxes += el.tag == _TXBX
            continue
        _, removed = stack.pop()
        tag = el.tag
        boxes -= tag == _TXBX
        if tag == P and _in_flow(stack, boxes > 0):
            if boxes:
                box_joined += paragraph_text(el)
                box_elements.append(el)
                if not removed:
                    boxed.append((box_joined, tuple(box_elements)))
                    box_joined, box_elements = "", []
            else:
                joined += paragraph_text(el)
                elements.append(el)
                if not removed:
                    yield joined, tuple(elements)
                    yield from boxed
                    joined, elements, boxed = "", [], []
        elif tag in _MARKS:
            _mark_removed(stack, tag, el)
        if clear and tag in _CLEARED:
            el.clear()
            parent = el.getparent()
            if parent is not None:
                while el.getprevious() is not None:
                    del parent[0]
    if joined:  # the last paragraph's mark was deleted: nothing follows
        yield joined, tuple(elements)
    yield from boxed
    if box_joined:
        yield box_joined, tuple(box_elements)


def _read_parts(path: Path, archive: zipfile.ZipFile,
                parts: list[tuple[str, str]]) -> Iterator[str]:
    with archive:
        for name, root in parts:
            yield from _read(path, archive, name, root)


def _read(path: Path, archive: zipfile.ZipFile, name: str, root: str) -> Iterator[str]:
    try:
        with archive.open(name) as member:
            events = etree.iterparse(member, events=("start", "end"), **_OPTIONS)
            for text, _ in walk(path, name, root, events, clear=True):
                yield text
    except etree.XMLSyntaxError as exc:
        message = str(exc.msg or exc).strip()
        if "Excessive depth" in message:
            raise FormatError(f"refused: {name} nests elements more than 256 deep "
                              "(Word never does)", path=path, hint=DAMAGED) from None
        if "XML_PARSE_HUGE" in message or "too long" in message or "too large" in message:
            raise FormatError("a text in the document is too large for the XML reader "
                              "(over 10 MB in one piece)", path=path,
                              hint="split the paragraph") from None
        raise FormatError(f"damaged .docx document: {name} is not well-formed XML "
                          f"({message})", path=path, hint=DAMAGED) from None
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise FormatError(f"damaged .docx document: {exc}", path=path, hint=DAMAGED) from None
    except OSError as exc:
        raise FormatError(f"cannot read file: {exc.strerror or exc}", path=path) from None


def refuse_dtd(path: Path, name: str, tree: Any) -> None:
    """Refuse the part ``name`` (its parsed ``tree``) when it declares a DTD."""
    if tree.docinfo.internalDTD is not None:
        raise FormatError(f"refused: {name} declares a DTD", path=path,
                          hint="Word never writes one; save the document from Word again")


def _check_root(path: Path, el: Any, root: str, name: str) -> None:
    refuse_dtd(path, name, el.getroottree())
    if el.tag != root:
        if root == DOCUMENT:
            raise FormatError(_NOT_DOCX + ": its main part is not a Word document", path=path,
                              hint=_SAVE_AS)
        raise FormatError(f"damaged .docx document: {name} does not hold Word's notes",
                          path=path, hint=DAMAGED)
