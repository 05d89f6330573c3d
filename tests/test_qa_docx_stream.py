"""Issue 18: `glossary qa` reads a .docx a paragraph at a time (glossary/qa/docx_text.py,
lxml iterparse over the zip member) instead of loading it whole with python-docx
(a 4 MB .docx took 3.9 GB). The paragraphs and their text must be the ones python-docx
gave — the oracle below is the old reader, python-docx is kept for the tests only."""

from __future__ import annotations

import io
import random
import resource
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.enum.text import WD_BREAK
from docx.oxml import parse_xml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glossary.errors import FormatError
from glossary.qa import docx_text
from tests.zip_support import with_member_flags

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
ZWSP = "\u200b"


def python_docx_paragraphs(path: Path) -> list[str]:
    """The old reader: python-docx's body and table cells, merged cells once."""
    from docx.table import Table

    def walk(container: Any, seen: set[Any]) -> Any:
        for block in container.iter_inner_content():
            if isinstance(block, Table):
                for row in block.rows:
                    for cell in row.cells:
                        if cell._tc in seen:
                            continue
                        seen.add(cell._tc)
                        yield from walk(cell, seen)
            else:
                yield block.text

    return list(walk(docx.Document(str(path)), set()))


def _rich_document(path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Personal data policy")
    para = document.add_paragraph("ស្ថាប័ន" + ZWSP + "ត្រូវការពារ")
    run = para.add_run("ទិន្នន័យ")
    run.add_tab()
    run.add_text("ឯកជន")
    run.add_break()  # a line break: "\n"
    run.add_text("after the break")
    run.add_break(WD_BREAK.PAGE)  # a page break: nothing
    run.add_text("next page")
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).text = "term"
    table.cell(0, 1).text = "ព័ត៌មានបុគ្គល"
    table.cell(0, 1).merge(table.cell(0, 2))  # across: read once
    table.cell(1, 0).merge(table.cell(2, 0))  # down: the lower cell is skipped
    table.cell(1, 0).text = "merged down ទិន្នន័យឯកជន"
    table.cell(1, 1).text = "plain cell"
    inner = table.cell(2, 2).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "nested វិទ្យាសាស្ត្រទិន្នន័យ"
    inner.cell(0, 1).text = "nested two"
    document.add_paragraph("")
    body = document.element.body
    sect = body[-1]
    extras = [
        # a hyperlink's runs count
        f'<w:p {W_NS}><w:r><w:t xml:space="preserve">see </w:t></w:r><w:hyperlink>'
        '<w:r><w:t>AI models</w:t></w:r></w:hyperlink>'
        '<w:r><w:noBreakHyphen/><w:ptab/><w:cr/><w:t>end</w:t></w:r></w:p>',
        f'<w:p {W_NS}><w:r><w:t xml:space="preserve">  spaced  </w:t></w:r></w:p>',
    ]
    for xml in extras:
        sect.addprevious(parse_xml(xml))
    document.add_paragraph("AI models and data science.")
    document.save(path)


def test_paragraphs_are_the_ones_python_docx_gave(tmp_path: Path) -> None:
    path = tmp_path / "rich.docx"
    _rich_document(path)
    expected = python_docx_paragraphs(path)
    assert list(docx_text.paragraphs(path)) == expected
    assert "ទិន្នន័យ\tឯកជន\nafter the breaknext page" in expected[1]
    assert "merged down ទិន្នន័យឯកជន" in expected
    assert "see AI models-\t\nend" in expected


def test_qa_on_the_rich_document_gives_the_old_findings(qa_project: Path, cli) -> None:
    _rich_document(qa_project / "docs" / "rich.docx")
    result = cli("qa", "docs/rich.docx")
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert "docs/rich.docx:1:1: glossary-term: Personal data → ទិន្នន័យផ្ទាល់ខ្លួន" in lines
    assert any(line.startswith("docs/rich.docx:4:1: rejected-term: ព័ត៌មានបុគ្គល") for line in lines)
    assert any(":5:13: deprecated-term: ទិន្នន័យឯកជន" in line for line in lines)


def _zip(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


CONTENT_TYPES = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
    b'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    b'officedocument.wordprocessingml.document.main+xml"/></Types>')
RELS = (b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
        b'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        b'Target="word/document.xml"/></Relationships>')


@pytest.mark.parametrize(("members", "words"), [
    ({"a.txt": b"x"}, "not a Word .docx document"),
    ({"_rels/.rels": RELS}, "no main document part"),
    ({"_rels/.rels": RELS, "word/document.xml": b"<workbook/>"}, "not a Word document"),
    ({"_rels/.rels": RELS, "word/document.xml": b'<?xml version="1.0"?><!DOCTYPE d '
      b'[<!ENTITY a "aaaa">]><w:document ' + W_NS.encode() + b"/>"}, "declares a DTD"),
    ({"_rels/.rels": RELS, "word/document.xml": f"<w:document {W_NS}><w:body><w:p>"
      .encode()}, "not well-formed XML"),
])
def test_damaged_documents_are_refused(tmp_path: Path, members: dict[str, bytes],
                                       words: str) -> None:
    path = tmp_path / "bad.docx"
    _zip(path, members)
    with pytest.raises(FormatError, match=words):
        list(docx_text.paragraphs(path))


@pytest.mark.parametrize(("flags", "words"), [
    (0x1, "word/document.xml is encrypted"),
    (0x40, "word/document.xml is encrypted"),
    (0x20, "stored in a way the zip reader does not know"),
])
def test_parts_zipfile_cannot_open_are_refused(tmp_path: Path, flags: int,
                                               words: str) -> None:
    """A member flagged as encrypted made zipfile raise RuntimeError, and patched data
    NotImplementedError, when it was opened: refused from the directory instead."""
    path = tmp_path / "locked.docx"
    _zip(path, {"_rels/.rels": RELS, "word/document.xml":
                f"<w:document {W_NS}><w:body/></w:document>".encode()})
    path.write_bytes(with_member_flags(path.read_bytes(), "word/document.xml", flags))
    with pytest.raises(FormatError, match=words):
        list(docx_text.paragraphs(path))


def test_a_document_with_a_password_to_open_it_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "protected.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    with pytest.raises(FormatError, match="password to open it, or a Word 97-2003"):
        list(docx_text.paragraphs(path))


def write_big_docx(path: Path, paragraphs: int, every: int) -> int:
    """A .docx of ``paragraphs`` paragraphs (random words, so it compresses as text
    does, about 5 times); every ``every``-th holds a deprecated Khmer term."""
    rng = random.Random(18)
    words = ["policy", "review", "ការពារ", "ស្ថាប័ន", "report", "ឯកសារ", "system", "data"]
    head = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W_NS}>'
            "<w:body>").encode()
    count = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        with archive.open("word/document.xml", "w", force_zip64=True) as out:
            out.write(head)
            chunk = io.StringIO()
            for k in range(paragraphs):
                text = " ".join(rng.choices(words, k=12)) + f" {rng.getrandbits(64):x}"
                if k % every == 0:
                    text += " លុបទិន្នន័យឯកជន"
                    count += 1
                chunk.write(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
                if k % 1000 == 999:
                    out.write(chunk.getvalue().encode())
                    chunk = io.StringIO()
            out.write(chunk.getvalue().encode() + b"</w:body></w:document>")
    return count


def test_a_large_docx_is_checked_under_a_200_mb_cap(qa_project: Path) -> None:
    """Measured on this file (a 5.8 MB .docx of 46 MB of XML, 250,000 paragraphs):
    python-docx failed under this cap ("damaged .docx document: unknown error") and
    held 590 MB resident for twice as many paragraphs; the stream runs within 120 MB."""
    big = qa_project / "docs" / "big.docx"
    expected = write_big_docx(big, 250_000, 1000)
    with zipfile.ZipFile(big) as archive:
        assert archive.getinfo("word/document.xml").file_size > 40 * 1024 * 1024

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (200 << 20, 200 << 20))

    result = subprocess.run(
        [sys.executable, "-c", "from glossary.cli import main; main()", "qa", "docs/big.docx"],
        cwd=qa_project, capture_output=True, text=True, timeout=600, preexec_fn=cap)
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr
    assert result.returncode == 1, result.stderr
    lines = [line for line in result.stdout.splitlines() if ": deprecated-term: " in line]
    assert len(lines) == expected == 250
    assert all(": deprecated-term: ទិន្នន័យឯកជន → " in line for line in lines)
    assert lines[1].startswith("docs/big.docx:1001:")


# --- tracked changes and content controls: read as the document is once they are accepted

REVIEWER = 'w:author="Reviewer" w:date="2026-11-30T10:00:00Z"'
V_NS = 'xmlns:v="urn:schemas-microsoft-com:vml"'


def _document_xml(body: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W_NS} '
            f'{V_NS}><w:body>{body}<w:sectPr/></w:body></w:document>').encode()


def _tracked_docx(path: Path, body: str) -> None:
    _zip(path, {"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": RELS,
                "word/document.xml": _document_xml(body)})


def _p(inner: str, ppr: str = "") -> str:
    return f"<w:p>{ppr}{inner}</w:p>"


def _r(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


DELETED_MARK = f'<w:pPr><w:rPr><w:del w:id="9" {REVIEWER}/></w:rPr></w:pPr>'
TRACKED_BODY = "".join([
    # a term replaced with change tracking: the deletion is gone, the insertion is read
    _p(_r("ការប្រើប្រាស់ ") + f'<w:del w:id="1" {REVIEWER}><w:r><w:delText>ទិន្នន័យឯកជន'
       f'</w:delText></w:r></w:del><w:ins w:id="2" {REVIEWER}>{_r("ទិន្នន័យផ្ទាល់ខ្លួន")}'
       "</w:ins>"),
    # text moved from here ...
    _p(f'<w:moveFrom w:id="3" {REVIEWER}>{_r("moved ")}</w:moveFrom>{_r("stays")}'),
    # two paragraphs joined: the first one's mark was deleted
    _p(_r("first half, "), DELETED_MARK),
    _p(_r("second half")),
    # a content control around a paragraph, one inside a paragraph, custom XML, a smart
    # tag, a simple field, and a complex field whose code is not text
    f'<w:sdt><w:sdtPr><w:alias w:val="Title"/></w:sdtPr><w:sdtContent>{_p(_r("in a control"))}'
    "</w:sdtContent></w:sdt>",
    _p(f"<w:sdt><w:sdtContent>{_r('inline control,')}</w:sdtContent></w:sdt>"
       f'<w:customXml w:element="term"><w:smartTag w:element="place">{_r(" tagged,")}'
       f'</w:smartTag></w:customXml><w:fldSimple w:instr=" DATE ">{_r(" 2026,")}</w:fldSimple>'
       '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">'
       ' HYPERLINK "https://example.org" </w:instrText></w:r><w:r><w:fldChar '
       f'w:fldCharType="separate"/></w:r>{_r(" link")}<w:r><w:fldChar w:fldCharType="end"/>'
       "</w:r>"),
    # ... and moved here
    _p(f'<w:moveTo w:id="4" {REVIEWER}>{_r("moved here")}</w:moveTo>'),
    # a table: a deleted row, a row in a content control, a deleted cell
    "<w:tbl><w:tr><w:tc>" + _p(_r("kept row")) + "</w:tc></w:tr>"
    f'<w:tr><w:trPr><w:del w:id="5" {REVIEWER}/></w:trPr><w:tc>{_p(_r("deleted row"))}'
    "</w:tc></w:tr><w:sdt><w:sdtContent><w:tr><w:tc>" + _p(_r("row in a control"))
    + f'</w:tc><w:tc><w:tcPr><w:cellDel w:id="6" {REVIEWER}/></w:tcPr>'
    + _p(_r("deleted cell")) + "</w:tc></w:tr></w:sdtContent></w:sdt></w:tbl>",
    # a text box (the old VML form alone) follows its anchor paragraph
    _p(_r("anchor") + "<w:r><w:pict><v:shape><v:textbox><w:txbxContent>"
       + _p(_r("in a text box")) + "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"),
    # a paragraph wholly deleted, mark included, at the end: nothing is left of it
    _p(f'<w:del w:id="7" {REVIEWER}><w:r><w:delText>gone</w:delText></w:r></w:del>',
       DELETED_MARK),
])


def test_tracked_changes_are_read_as_accepted(tmp_path: Path) -> None:
    path = tmp_path / "tracked.docx"
    _tracked_docx(path, TRACKED_BODY)
    assert list(docx_text.paragraphs(path)) == [
        "ការប្រើប្រាស់ ទិន្នន័យផ្ទាល់ខ្លួន",
        "stays",
        "first half, second half",
        "in a control",
        "inline control, tagged, 2026, link",
        "moved here",
        "kept row",
        "row in a control",
        "anchor",
        "in a text box",
    ]
    # python-docx reads the same body otherwise: the insertion and the moved text are
    # missing, the deleted row and cell and the joined halves are there
    old = python_docx_paragraphs(path)
    assert "ការប្រើប្រាស់ " in old and "deleted row" in old and "first half, " in old


def test_a_deleted_term_is_not_flagged_and_an_inserted_one_is(qa_project: Path, cli) -> None:
    _tracked_docx(qa_project / "docs" / "reviewed.docx", "".join([
        TRACKED_BODY,
        # a reviewer's insertion that brings in a deprecated term
        _p(_r("ការពារ ") + f'<w:ins w:id="8" {REVIEWER}>{_r("ទិន្នន័យឯកជន")}</w:ins>'),
    ]))
    result = cli("qa", "docs/reviewed.docx")
    findings = [line for line in result.stdout.splitlines() if "-term:" in line]
    assert findings == [line for line in findings if line.startswith("docs/reviewed.docx:11:8:")]
    assert len(findings) == 1 and "deprecated-term: ទិន្នន័យឯកជន" in findings[0]
    assert result.exit_code == 1


def test_paragraphs_joined_in_review_still_pair_with_the_original(qa_project: Path,
                                                                 cli) -> None:
    """A reviewer joined two paragraphs of the translation (deleting the mark between
    them) to follow the English: the translation pairs with its original again."""
    (qa_project / "en.md").write_text("Personal data is protected.\n\nData science.\n",
                                      encoding="utf-8")
    _tracked_docx(qa_project / "km.docx", "".join([
        _p(_r("ទិន្នន័យ"), DELETED_MARK),
        _p(_r("ផ្ទាល់ខ្លួនត្រូវបានការពារ។")),
        _p(f'<w:del w:id="1" {REVIEWER}><w:r><w:delText>ព័ត៌មាន</w:delText></w:r></w:del>'
           f'<w:ins w:id="2" {REVIEWER}>{_r("វិទ្យាសាស្ត្រទិន្នន័យ")}</w:ins>'),
    ]))
    result = cli("qa", "--original", "en.md", "km.docx")
    assert "paired 2 paragraph(s)" in result.stderr, result.stderr
    assert result.stdout == "", result.stdout


def test_a_document_libreoffice_wrote_with_tracked_changes() -> None:
    """tests/data/docx/libreoffice-tracked.docx: LibreOffice 7.4 converted
    libreoffice-tracked.fodt (a term replaced, two paragraphs joined, with change
    tracking) to .docx; its markup is the one Word writes for the same edits."""
    path = Path(__file__).parent / "data" / "docx" / "libreoffice-tracked.docx"
    assert list(docx_text.paragraphs(path)) == [
        "ការប្រើប្រាស់ ទិន្នន័យផ្ទាល់ខ្លួន", "first half, second half", "Last paragraph."]


# --- footnotes and endnotes: read after the body

DOCUMENT_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    '2006/relationships"><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/><Relationship '
    'Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'endnotes" Target="/word/endnotes.xml"/></Relationships>')


def _notes(kind: str, notes: str) -> bytes:
    separators = "".join(f'<w:{kind} w:type="{t}" w:id="{i}"><w:p><w:r><w:{t}/></w:r></w:p>'
                         f"</w:{kind}>" for i, t in enumerate(("separator",
                                                                "continuationSeparator")))
    return f'<w:{kind}s {W_NS}>{separators}{notes}</w:{kind}s>'.encode()


def test_footnotes_and_endnotes_follow_the_body(qa_project: Path, cli) -> None:
    path = qa_project / "docs" / "notes.docx"
    _zip(path, {
        "[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": RELS,
        "word/_rels/document.xml.rels": DOCUMENT_RELS.encode(),
        "word/document.xml": _document_xml(
            _p(_r("ការពារទិន្នន័យ") + '<w:r><w:footnoteReference w:id="2"/></w:r>')
            + _p(_r("Second.") + '<w:r><w:endnoteReference w:id="2"/></w:r>')),
        "word/footnotes.xml": _notes("footnote", '<w:footnote w:id="2">' + _p(
            '<w:r><w:footnoteRef/></w:r>' + _r(" ទិន្នន័យឯកជន ត្រូវបានកំណត់។")) + "</w:footnote>"),
        "word/endnotes.xml": _notes("endnote", '<w:endnote w:id="2">'
                                    + _p(f"<w:ins w:id='5' {REVIEWER}>{_r('An endnote.')}</w:ins>")
                                    + "</w:endnote>"),
    })
    assert list(docx_text.paragraphs(path)) == [
        "ការពារទិន្នន័យ", "Second.", " ទិន្នន័យឯកជន ត្រូវបានកំណត់។", "An endnote."]
    result = cli("qa", "docs/notes.docx")
    assert "docs/notes.docx:3:2: deprecated-term: ទិន្នន័យឯកជន" in result.stdout, result.output


def test_footnotes_libreoffice_wrote() -> None:
    """tests/data/docx/libreoffice-notes.docx: LibreOffice 7.4 converted
    libreoffice-notes.fodt (a footnote and an endnote) to .docx."""
    path = Path(__file__).parent / "data" / "docx" / "libreoffice-notes.docx"
    assert list(docx_text.paragraphs(path)) == [
        "គោលការណ៍ការពារទិន្នន័យ នៅក្នុងប្រទេសកម្ពុជា។", "Second paragraph.",
        "\tទិន្នន័យឯកជន ត្រូវបានកំណត់នៅក្នុងផ្នែកទី ២។", "\tAn endnote."]


@pytest.mark.parametrize(("members", "words"), [
    ({"word/_rels/document.xml.rels": b"<Relationships"},
     "word/_rels/document.xml.rels cannot be read"),
    ({"word/_rels/document.xml.rels": DOCUMENT_RELS.encode(),
      "word/footnotes.xml": f"<w:document {W_NS}/>".encode()},
     "word/footnotes.xml does not hold Word's notes"),
    ({"word/_rels/document.xml.rels": DOCUMENT_RELS.encode(),
      "word/footnotes.xml": f"<w:footnotes {W_NS}><w:footnote>".encode()},
     "word/footnotes.xml is not well-formed XML"),
])
def test_damaged_notes_are_refused(tmp_path: Path, members: dict[str, bytes],
                                   words: str) -> None:
    path = tmp_path / "bad-notes.docx"
    _zip(path, {"_rels/.rels": RELS, "word/document.xml": _document_xml(_p(_r("body"))),
                **members})
    with pytest.raises(FormatError, match=words):
        list(docx_text.paragraphs(path))


MC_NS = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'


def _box(paragraphs: str) -> str:
    """A text box as Word 2010 and later write it: the box, then its copy for older
    readers, each holding the same paragraphs."""
    return (f"<w:r><mc:AlternateContent {MC_NS}><mc:Choice Requires=\"wps\"><w:drawing>"
            f"<w:txbxContent>{paragraphs}</w:txbxContent></w:drawing></mc:Choice>"
            f"<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>{paragraphs}"
            "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>"
            "</mc:AlternateContent></w:r>")


def test_a_text_box_is_read_once_after_its_anchor(tmp_path: Path) -> None:
    path = tmp_path / "boxes.docx"
    table = "<w:tbl><w:tr><w:tc>" + _p(_r("cell in a box")) + "</w:tc></w:tr></w:tbl>"
    _tracked_docx(path, "".join([
        _p(_r("first") + _box(_p(_r("box one")) + table + _p(_r("box two"), DELETED_MARK)
                              + _p(_r(" joined"))) + _r(" anchor")),
        # an anchor whose mark was deleted: its box waits for the paragraph it joins
        _p(_r("half, ") + _box(_p(_r("box three"))), DELETED_MARK),
        _p(_r("whole")),
        # in a deleted row, the box goes with its anchor
        f'<w:tbl><w:tr><w:trPr><w:del w:id="5" {REVIEWER}/></w:trPr><w:tc>'
        + _p(_r("gone") + _box(_p(_r("gone too")))) + "</w:tc></w:tr></w:tbl>",
        # not Word's: a box outside any paragraph is not read (and no error)
        "<w:txbxContent>" + _p(_r("stray")) + "</w:txbxContent>",
    ]))
    assert list(docx_text.paragraphs(path)) == [
        "first anchor", "box one", "cell in a box", "box two joined", "half, whole",
        "box three"]


def test_a_text_box_libreoffice_wrote() -> None:
    """tests/data/docx/libreoffice-box.docx: LibreOffice 7.4 converted
    libreoffice-box.fodt (a frame with two paragraphs) to .docx, as a text box and its
    fallback copy."""
    path = Path(__file__).parent / "data" / "docx" / "libreoffice-box.docx"
    assert list(docx_text.paragraphs(path)) == [
        "Anchor paragraph.", "ទិន្នន័យឯកជន in a box.", "Second line of the box.",
        "After the box."]


# --- any nesting of Word's elements: paragraphs or a FormatError, nothing else

_TAGS = ["w:p", "w:p", "w:r", "w:tbl", "w:tr", "w:tc", "w:sdtContent", "w:ins", "w:del",
         "w:txbxContent", "mc:Fallback", "w:pPr", "w:rPr", "w:tcPr", "w:trPr"]
_LEAVES = ['<w:t xml:space="preserve">ទិន្នន័យ x</w:t>', "<w:delText>gone</w:delText>",
           "<w:vMerge/>", "<w:cellDel/>", "<w:del/>", "<w:tab/>", "<w:br/>"]


NESTED_BODIES = st.lists(st.recursive(
    st.sampled_from(_LEAVES),
    lambda inner: st.builds(lambda tag, kids: f"<{tag}>{''.join(kids)}</{tag}>",
                            st.sampled_from(_TAGS), st.lists(inner, max_size=4)),
    max_leaves=30), max_size=6).map("".join)


@given(NESTED_BODIES)
@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_nesting_reads_without_an_error(tmp_path: Path, body: str) -> None:
    path = tmp_path / "nested.docx"
    _zip(path, {"_rels/.rels": RELS, "word/document.xml": (
        f'<w:document {W_NS} {MC_NS}><w:body>{body}</w:body></w:document>').encode()})
    texts = list(docx_text.paragraphs(path))
    assert all(not text.replace("ទិន្នន័យ x", "").strip("\t\n") for text in texts)
    assert len(texts) <= body.count("<w:p>")
