"""`glossary qa KM.docx --annotate OUT.docx`: a copy of the document with each
paragraph's findings as a Word comment (glossary/qa/annotate.py). The copy is read back
with python-docx (an independent reader of Word's comments) and with qa itself."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from lxml import etree

from glossary.qa.annotate import annotate
from tests.test_qa_docx_stream import (
    CONTENT_TYPES,
    DELETED_MARK,
    DOCUMENT_RELS,
    MC_NS,
    NESTED_BODIES,
    RELS,
    REVIEWER,
    TRACKED_BODY,
    W_NS,
    _document_xml,
    _notes,
    _p,
    _r,
    _zip,
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DEPRECATED = "ទិន្នន័យឯកជន"
REJECTED = "ព័ត៌មានបុគ្គល"


def _reviewed(path: Path) -> None:
    """The tracked-changes document, and a paragraph with two problems."""
    _zip(path, {"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": RELS,
                "word/document.xml": _document_xml(TRACKED_BODY + _p(
                    _r("ការពារ ") + f'<w:ins w:id="8" {REVIEWER}>{_r(DEPRECATED)}</w:ins>'
                    + _r(f" និង {REJECTED}")))})


def _commented(path: Path) -> list[tuple[str, str]]:
    """(commented paragraph's text, comment text) for each comment in the main part."""
    document = docx.Document(str(path))
    comments = {c.comment_id: c for c in document.comments}
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    out = []
    paragraphs = list(root.iter(W + "p"))
    for start in root.iter(W + "commentRangeStart"):
        ident = start.get(W + "id")
        first = paragraphs.index(next(start.iterancestors(W + "p")))
        end = next(e for e in root.iter(W + "commentRangeEnd") if e.get(W + "id") == ident)
        last = paragraphs.index(next(end.iterancestors(W + "p")))
        text = "".join(t.text or "" for p in paragraphs[first:last + 1] for t in p.iter(W + "t"))
        out.append((text, comments[int(ident)].text))
    return out


def test_a_paragraph_gets_its_findings_as_one_comment(qa_project: Path, cli) -> None:
    source = qa_project / "docs" / "reviewed.docx"
    _reviewed(source)
    before = source.read_bytes()
    result = cli("qa", "docs/reviewed.docx", "--annotate", "reviewed-qa.docx")
    assert result.exit_code == 1, result.output
    assert "wrote reviewed-qa.docx (1 comment(s) holding 2 finding(s))" in result.stderr
    assert source.read_bytes() == before  # the document itself is never written
    out = qa_project / "reviewed-qa.docx"
    [(text, comment)] = _commented(out)
    assert text == f"ការពារ {DEPRECATED} និង {REJECTED}"  # the insertion is in the text
    assert comment.splitlines() == [
        f"deprecated-term: {DEPRECATED} → ទិន្នន័យផ្ទាល់ខ្លួន  [for personal-data]",
        f"rejected-term: {REJECTED} → ទិន្នន័យផ្ទាល់ខ្លួន  [for personal-data]"]
    assert [c.author for c in docx.Document(str(out)).comments] == ["glossary qa"]
    # the copy checks as the document does: comments are not text, numbering unchanged
    again = cli("qa", "reviewed-qa.docx")
    assert again.stdout.replace("reviewed-qa.docx", "docs/reviewed.docx") == result.stdout
    # the same input gives the same bytes
    assert cli("qa", "docs/reviewed.docx", "--annotate", "second.docx").exit_code == 1
    assert (qa_project / "second.docx").read_bytes() == out.read_bytes()


def test_the_other_parts_are_copied_as_they_were(qa_project: Path, cli) -> None:
    source = qa_project / "docs" / "reviewed.docx"
    _reviewed(source)
    cli("qa", "docs/reviewed.docx", "--annotate", "out.docx")
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(qa_project / "out.docx") as new:
        changed = {name for name in new.namelist()
                   if name not in old.namelist() or new.read(name) != old.read(name)}
        assert changed == {"word/document.xml", "word/comments.xml",
                           "word/_rels/document.xml.rels", "[Content_Types].xml"}
        types = new.read("[Content_Types].xml").decode()
        assert 'PartName="/word/comments.xml"' in types
        assert "relationships/comments" in new.read("word/_rels/document.xml.rels").decode()


def test_a_reviewers_comments_are_kept(qa_project: Path, cli) -> None:
    document = docx.Document()
    first = document.add_paragraph("ការពារ")
    document.add_comment(first.runs, text="ពិនិត្យឡើងវិញ", author="Sok Dara", initials="SD")
    document.add_paragraph(f"ប្រើ {DEPRECATED} នៅទីនេះ")
    document.save(qa_project / "km.docx")
    assert cli("qa", "km.docx", "--annotate", "km-qa.docx").exit_code == 1
    comments = docx.Document(str(qa_project / "km-qa.docx")).comments
    assert [(c.author, c.text) for c in comments] == [
        ("Sok Dara", "ពិនិត្យឡើងវិញ"),
        ("glossary qa", f"deprecated-term: {DEPRECATED} → ទិន្នន័យផ្ទាល់ខ្លួន  "
                        "[for personal-data]")]
    assert len({c.comment_id for c in comments}) == 2


def test_a_finding_in_a_footnote_goes_on_the_paragraph_citing_it(qa_project: Path,
                                                                cli) -> None:
    _zip(qa_project / "notes.docx", {
        "[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": RELS,
        "word/_rels/document.xml.rels": DOCUMENT_RELS.encode(),
        "word/document.xml": _document_xml(
            _p(_r("ការពារ")) + _p(_r("គោលការណ៍") + '<w:r><w:footnoteReference w:id="2"/></w:r>')),
        "word/footnotes.xml": _notes("footnote", '<w:footnote w:id="2">'
                                     + _p(_r(DEPRECATED)) + "</w:footnote>"),
        "word/endnotes.xml": _notes("endnote", ""),
    })
    assert cli("qa", "notes.docx", "--annotate", "notes-qa.docx").exit_code == 1
    assert _commented(qa_project / "notes-qa.docx") == [
        ("គោលការណ៍", f"in its footnote: deprecated-term: {DEPRECATED} → "
                     "ទិន្នន័យផ្ទាល់ខ្លួន  [for personal-data]")]
    with zipfile.ZipFile(qa_project / "notes-qa.docx") as archive:
        assert b"comment" not in archive.read("word/footnotes.xml")


def test_findings_about_the_whole_translation_go_on_its_first_paragraph(qa_project: Path,
                                                                        cli) -> None:
    (qa_project / "en.md").write_text("Personal data.\n\nData science.\n\nThird.\n",
                                      encoding="utf-8")
    _zip(qa_project / "km.docx", {"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": RELS,
                                  "word/document.xml": _document_xml(
        _p(_r("ការពារ"), DELETED_MARK) + _p(_r("។")))})
    result = cli("qa", "--original", "en.md", "km.docx", "--annotate", "km-qa.docx")
    assert "they do not pair" in result.stderr
    [(text, comment)] = _commented(qa_project / "km-qa.docx")
    assert text == "ការពារ។"  # the comment spans both paragraphs joined in review
    found = sorted(line.split(" → ")[0] for line in comment.splitlines())
    assert found == ["missing-term: Data science", "missing-term: Personal data"]


@pytest.mark.parametrize(("args", "says"), [
    (["docs/english.md", "--annotate", "x.docx"], "--annotate comments one .docx FILE"),
    (["a.docx", "b.docx", "--annotate", "x.docx"], "--annotate comments one .docx FILE"),
    (["a.docx", "--annotate", "x.odt"], "--annotate writes a Word document: name it x.docx"),
    (["a.docx", "--annotate", "a.docx"], "--annotate would write over a.docx"),
])
def test_annotate_is_refused_where_it_cannot_work(qa_project: Path, cli, args: list[str],
                                                  says: str) -> None:
    _reviewed(qa_project / "a.docx")
    result = cli("qa", *args)
    assert result.exit_code == 2
    assert says in result.output


@given(NESTED_BODIES)
@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_comment_on_every_paragraph_changes_no_text(tmp_path: Path, body: str) -> None:
    """Any nesting of Word's elements, every paragraph commented: the copy reads as the
    document does (same paragraphs, same text: a comment is not text)."""
    from glossary.qa import docx_text
    from glossary.qa.findings import Finding, Severity

    source, out = tmp_path / "nested.docx", tmp_path / "nested-qa.docx"
    _zip(source, {"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": RELS,
                  "word/document.xml": f"<w:document {W_NS} {MC_NS}><w:body>{body}"
                                       "</w:body></w:document>".encode()})
    texts = list(docx_text.paragraphs(source))
    findings = [Finding(str(source), n, 1, "deprecated-term", "x", "y", Severity.WARNING,
                        "c", "m") for n in range(len(texts) + 1)]
    made, _ = annotate(source, findings, out)
    assert list(docx_text.paragraphs(out)) == texts
    assert made == len(texts)  # one comment a paragraph (line 0 joins the first)
