"""``glossary qa --annotate OUT.docx``: a copy of a Word document with each paragraph's
findings as a Word comment, where a reviewer works.

The paragraphs are numbered as :mod:`glossary.qa.docx_text` reads them (the findings'
line numbers): the parts are parsed whole here, keeping every node, and walked with
the reader's own rules (:func:`docx_text.walk` over lxml's ``iterwalk``). A comment
spans its whole paragraph; a finding about the whole file (line 0) goes on the first.
A finding in a footnote or endnote goes on the paragraph that cites the note, said so
("in its footnote"): Word takes comments inside notes, but LibreOffice 7.4 cannot open a
document that has one.

The comments join those the document has (``word/comments.xml``, ids after theirs) or
a new comments part, with its relationship and content type; every other zip member is
copied as it is. Nothing is dated, so the same input gives the same bytes. The source
is never written: the copy is written atomically to another path.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from lxml import etree

from glossary import limits, output
from glossary.errors import FormatError
from glossary.qa import docx_text
from glossary.qa.findings import Finding, format_text

__all__ = ["annotate", "comment_lines"]

_W = "{" + docx_text.W_NS + "}"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_COMMENTS_TYPE = docx_text.RELATIONSHIPS + "comments"
_COMMENTS_CONTENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
AUTHOR, INITIALS = "glossary qa", "QA"
#: The largest part parsed whole (the reader streams; an annotated copy needs the tree).
MAX_PART = 64 * limits.MB
#: Keep every node: the copy must be the document, comments added.
_PARSER: dict[str, Any] = {"resolve_entities": False, "load_dtd": False, "no_network": True,
                           "huge_tree": False}


def comment_lines(finding: Finding) -> str:
    """A finding as a comment shows it: its text form without the file and place."""
    return format_text(finding).removeprefix(finding.location + ": ")


def annotate(source: Path, findings: Sequence[Finding], out: Path) -> tuple[int, int]:
    """Write ``out``: ``source`` with a comment on each paragraph that has problems
    among ``findings`` (one comment per paragraph, a line per finding). Returns the
    comments and the findings they hold."""
    if out.resolve() == source.resolve():
        raise ValueError(f"{out}: the annotated copy cannot replace the document")
    by_line: dict[int, list[Finding]] = defaultdict(list)
    for finding in findings:
        if finding.is_problem:
            by_line[max(finding.line, 1)].append(finding)
    archive, parts = docx_text.open_document(source)
    with archive:
        main = parts[0][0]
        tree = _parse(source, archive, main)
        cites = _note_citations(tree)
        # each commented paragraph (its w:p elements) and its lines, in document order
        lines: dict[tuple[Any, ...], list[str]] = {}
        number = 0
        for name, root in parts:
            part = tree if name == main else _parse(source, archive, name)
            walked = docx_text.walk(source, name, root,
                                    etree.iterwalk(part, events=("start", "end")), clear=False)
            for _, paragraph in walked:
                number += 1
                if number not in by_line or not paragraph:
                    continue
                target, where = paragraph, ""
                if name != main:
                    target, where = _citing(paragraph[0], cites)
                if target:
                    lines.setdefault(target, []).extend(
                        where + comment_lines(finding) for finding in by_line[number])
        changed = _add_comments(source, archive, main, tree, list(lines.items()))
        _write(out, archive, changed)
    return len(lines), sum(len(found) for found in lines.values())


def _parse(source: Path, archive: zipfile.ZipFile, name: str) -> Any:
    info = archive.getinfo(name)
    if info.file_size > MAX_PART:
        raise FormatError(f"{name} unpacks to {info.file_size // limits.MB} MB; --annotate "
                          f"parses at most {MAX_PART // limits.MB} MB", path=source,
                          hint="check the document without --annotate, or split it")
    try:
        with archive.open(name) as handle:
            tree = etree.parse(handle, etree.XMLParser(**_PARSER))
    except etree.XMLSyntaxError as exc:
        raise FormatError(f"damaged .docx document: {name} is not well-formed XML ({exc})",
                          path=source, hint=docx_text.DAMAGED) from None
    docx_text.refuse_dtd(source, name, tree)
    return tree


_NOTE_REFERENCES = {_W + "footnoteReference": _W + "footnote",
                    _W + "endnoteReference": _W + "endnote"}


def _note_citations(tree: Any) -> dict[tuple[str, str], Any]:
    """(note tag, note id) → the body paragraph that cites the note."""
    cites: dict[tuple[str, str], Any] = {}
    for ref in tree.iter(*_NOTE_REFERENCES):
        paragraph = next(ref.iterancestors(docx_text.P), None)
        if paragraph is not None:
            cites.setdefault((_NOTE_REFERENCES[ref.tag], ref.get(_W + "id")), paragraph)
    return cites


def _citing(paragraph: Any, cites: dict[tuple[str, str], Any]) -> tuple[tuple[Any, ...], str]:
    """A note's paragraph → the body paragraph citing its note, and what to say."""
    note = next(paragraph.iterancestors(_W + "footnote", _W + "endnote"), None)
    cited = cites.get((note.tag, note.get(_W + "id"))) if note is not None else None
    if note is None or cited is None:
        return (), ""
    kind = "footnote" if note.tag == _W + "footnote" else "endnote"
    return (cited,), f"in its {kind}: "


def _add_comments(source: Path, archive: zipfile.ZipFile, main: str, tree: Any,
                  comments: list[tuple[tuple[Any, ...], list[str]]]) -> dict[str, bytes]:
    """The members to write anew (name → bytes): the main part with the comments'
    anchors, the comments part, and where a new one is declared."""
    if not comments:
        return {}
    folder, base = posixpath.split(main)
    rels_name = posixpath.join(folder, "_rels", base + ".rels")
    rels = _parse(source, archive, rels_name) if rels_name in archive.NameToInfo else \
        etree.ElementTree(etree.Element(f"{{{_PKG}}}Relationships", nsmap={None: _PKG}))
    changed: dict[str, bytes] = {}
    name = _comments_part(rels, folder)
    if name is not None and name in archive.NameToInfo:
        part = _parse(source, archive, name)
    else:
        name = _free_name(archive, posixpath.join(folder, "comments.xml"))
        part = etree.ElementTree(etree.Element(_W + "comments", nsmap={"w": docx_text.W_NS}))
        ids = {rel.get("Id") for rel in rels.getroot()}
        rel_id = next(f"rIdQa{n}" for n in range(1, len(ids) + 2) if f"rIdQa{n}" not in ids)
        etree.SubElement(rels.getroot(), f"{{{_PKG}}}Relationship", Id=rel_id,
                         Type=_COMMENTS_TYPE, Target=posixpath.relpath(name, folder or "."))
        changed[rels_name] = _serialize(rels)
        if "[Content_Types].xml" in archive.NameToInfo:
            changed["[Content_Types].xml"] = _declare(source, archive, name)
    existing = [int(c.get(_W + "id")) for c in part.getroot().iter(_W + "comment")
                if (c.get(_W + "id") or "").lstrip("-").isdigit()]
    next_id = max(existing, default=-1) + 1
    for paragraph, found in comments:
        _anchor(paragraph, str(next_id))
        comment = etree.SubElement(part.getroot(), _W + "comment",
                                   {_W + "id": str(next_id), _W + "author": AUTHOR,
                                    _W + "initials": INITIALS})
        for line in found:
            run = etree.SubElement(etree.SubElement(comment, _W + "p"), _W + "r")
            text = etree.SubElement(run, _W + "t")
            text.text = line
            text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        next_id += 1
    changed[name] = _serialize(part)
    changed[main] = _serialize(tree)
    return changed


def _comments_part(rels: Any, folder: str) -> str | None:
    for rel in rels.getroot():
        target = rel.get("Target", "")
        if rel.get("Type") == _COMMENTS_TYPE and rel.get("TargetMode") != "External" and target:
            return docx_text.part_name(folder, target)
    return None


def _free_name(archive: zipfile.ZipFile, name: str) -> str:
    stem, n = name.removesuffix(".xml"), 1
    while name in archive.NameToInfo:
        n += 1
        name = f"{stem}{n}.xml"
    return name


def _declare(source: Path, archive: zipfile.ZipFile, name: str) -> bytes:
    types = _parse(source, archive, "[Content_Types].xml")
    part_name = "/" + name
    if not any(o.get("PartName") == part_name for o in types.getroot()):
        etree.SubElement(types.getroot(), f"{{{_TYPES_NS}}}Override", PartName=part_name,
                         ContentType=_COMMENTS_CONTENT)
    return _serialize(types)


def _anchor(paragraphs: tuple[Any, ...], comment_id: str) -> None:
    """The comment's range from the first paragraph's content to the last's, and its
    mark at the end."""
    start = etree.Element(_W + "commentRangeStart", {_W + "id": comment_id})
    first, last = paragraphs[0], paragraphs[-1]
    head = first[0] if len(first) else None
    first.insert(1 if head is not None and head.tag == _W + "pPr" else 0, start)
    etree.SubElement(last, _W + "commentRangeEnd", {_W + "id": comment_id})
    run = etree.SubElement(last, _W + "r")
    etree.SubElement(run, _W + "commentReference", {_W + "id": comment_id})


def _serialize(tree: Any) -> bytes:
    """A part as Word writes one: its declaration, then the XML."""
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
            + etree.tostring(tree.getroot(), encoding="UTF-8"))


def _write(out: Path, archive: zipfile.ZipFile, changed: dict[str, bytes]) -> None:
    """The copy: each member as it was, or its new bytes; new members at the end."""
    with output.writer(out) as handle, zipfile.ZipFile(handle, "w") as copy:
        for info in archive.infolist():
            data = changed.pop(info.filename, None)
            copy.writestr(info, data if data is not None else archive.read(info.filename))
        for name, data in changed.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            copy.writestr(info, data)
