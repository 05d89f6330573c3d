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

from glossary.errors import FormatError
from glossary.qa import docx_text

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
        # a hyperlink's runs count; a tracked insertion's runs do not (as python-docx)
        f'<w:p {W_NS}><w:r><w:t xml:space="preserve">see </w:t></w:r><w:hyperlink>'
        '<w:r><w:t>AI models</w:t></w:r></w:hyperlink><w:ins><w:r><w:t>inserted</w:t></w:r>'
        '</w:ins><w:r><w:noBreakHyphen/><w:ptab/><w:cr/><w:t>end</w:t></w:r></w:p>',
        # a content control around a paragraph: not read (as python-docx)
        f'<w:sdt {W_NS}><w:sdtContent><w:p><w:r><w:t>in a control</w:t></w:r></w:p>'
        '</w:sdtContent></w:sdt>',
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
    assert "merged down ទិន្នន័យឯកជន" in expected and "in a control" not in expected
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
