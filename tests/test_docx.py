"""``glossary export docx``: the glossary as a Word document for the printed edition —
English–Khmer A–Z with every Khmer term's review state, then a Khmer index in
dictionary order — a valid package, the same bytes each time."""

from __future__ import annotations

import io
import posixpath
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from glossary import khmer_collation, loader, unsafe
from glossary.config import Settings, load_settings
from glossary.formats import WriteOptions, docx
from glossary.model import ConceptStatus, Glossary, ReviewState
from glossary.qa.docx_text import paragraph_text
from tests.conftest import write_concept

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _glossary(project: Path) -> Glossary:
    return loader.load_valid(load_settings(cwd=project)).glossary


def _document(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read("word/document.xml"))


def _tables(root: etree._Element) -> list[tuple[str, list[list[list[str]]]]]:
    """Each table with the text of the Heading 1 above it: its rows (header row left
    out), each a list of cells, each a list of paragraph texts."""
    found = []
    part = ""
    for element in root.find(f"{W}body"):
        if element.tag == f"{W}p":
            style = element.find(f"{W}pPr/{W}pStyle")
            if style is not None and style.get(f"{W}val") == "Heading1":
                part = paragraph_text(element)
        elif element.tag == f"{W}tbl":
            rows = element.findall(f"{W}tr")
            assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None  # repeats on each page
            found.append((part, [[[paragraph_text(p) for p in tc.findall(f"{W}p")]
                                  for tc in tr.findall(f"{W}tc")] for tr in rows[1:]]))
    return found


def _export(cli, path: Path, *args: str) -> None:
    result = cli("export", "docx", *args, "-o", str(path))
    assert result.exit_code == 0, result.output


def test_every_active_concept_is_a_row_a_to_z(cli, qa_project: Path) -> None:
    write_concept(qa_project, "old-term", """id = "old-term"
status = "retired"
domains = ["foundations"]

[[en.terms]]
text = "Aardvark term"
review = "proposed"
""")
    out = qa_project / "g.docx"
    _export(cli, out)
    glossary = _glossary(qa_project)
    rows = [row for part, table in _tables(_document(out)) if part.startswith("English")
            for row in table]
    active = [c for c in glossary.concepts if c.status is ConceptStatus.ACTIVE]
    assert len(rows) == len(active) and len(active) < len(glossary.concepts)
    shown = [row[0][0] for row in rows]  # the English preferred term heads its cell
    assert "Aardvark term" not in shown  # retired
    assert shown == sorted((c.en.preferred.text for c in active),
                           key=lambda t: (t.casefold(), t))
    assert shown[0][0].upper() == "A"


def test_khmer_terms_carry_their_state_and_keep_their_bytes(cli, qa_project: Path) -> None:
    out = qa_project / "g.docx"
    _export(cli, out)
    rows = {row[0][0]: row for part, table in _tables(_document(out))
            if part.startswith("English") for row in table}
    khmer = rows["personal data"][1]
    # term, then its state: the approved one names who approved it and when; the
    # deprecated one says so in both languages; the rejected proposal is not there
    assert khmer == ["ទិន្នន័យផ្ទាល់ខ្លួន", "បានអនុម័ត · approved: Test Reviewer, 2026-01-15",
                     "ទិន្នន័យឯកជន", "បានអនុម័ត · approved: Test Reviewer, 2026-01-15 — "
                     "មិនគួរប្រើ · deprecated"]
    assert "ព័ត៌មានបុគ្គល" not in str(rows)
    # every Khmer term written is the stored text, code point for code point
    glossary = _glossary(qa_project)
    for concept in glossary.concepts:
        wanted = [t.text for t in concept.km.terms if t.review.state is not ReviewState.REJECTED]
        cell = rows[concept.en.preferred.text][1]
        assert cell[0::2] == wanted
    definitions = rows["personal data"][2]
    assert definitions[0] == ("Any information relating to an identified or identifiable "
                              "natural person.")
    assert definitions[-1].startswith("Sources · ប្រភព: ASEAN Guide 2024 §B.2")


def _two_terms(project: Path) -> None:
    """Two concepts whose Khmer terms sort one way by code point and the other way in
    the dictionary (ដំ before ដោះ)."""
    for ident, en, km in (("risk-handling", "risk handling", "ការដោះស្រាយហានិភ័យ"),
                          ("language-processing", "language processing",
                           "ការដំណើរការភាសា")):
        write_concept(project, ident, f"""id = "{ident}"
domains = ["foundations"]

[[en.terms]]
text = "{en}"
review = "proposed"

[[km.terms]]
text = "{km}"
review = "proposed"
""")


def test_khmer_index_is_in_dictionary_order_under_its_letters(cli, qa_project: Path) -> None:
    _two_terms(qa_project)
    out = qa_project / "g.docx"
    _export(cli, out)
    root = _document(out)
    index = [row for part, table in _tables(root) if part.startswith("Khmer index")
             for row in table]
    pairs = [(row[0][0], row[1][0]) for row in index]
    glossary = _glossary(qa_project)
    usable = {(t.text, c.en.preferred.text) for c in glossary.concepts for t in c.km.terms
              if t.review.state is not ReviewState.REJECTED
              and t.admin_status.value in ("preferred", "admitted")}
    assert sorted(pairs) == sorted(usable)  # neither deprecated nor rejected terms
    assert ("ទិន្នន័យផ្ទាល់ខ្លួន", "personal data") in pairs
    assert pairs.index(("ការដំណើរការភាសា", "language processing")) < pairs.index(
        ("ការដោះស្រាយហានិភ័យ", "risk handling"))
    keys = [khmer_collation.sort_key(km) for km, _ in pairs]
    assert keys == sorted(keys)
    # the letters' headings: in the order of the Khmer alphabet, "#" (other) last
    headings, part = [], ""
    for element in root.find(f"{W}body"):
        style = element.find(f"{W}pPr/{W}pStyle")
        level = style.get(f"{W}val") if style is not None else ""
        if level == "Heading1":
            part = paragraph_text(element)
        elif level == "Heading2" and part.startswith("Khmer index"):
            headings.append(paragraph_text(element))
    order = [*khmer_collation.INDEX_HEADINGS, "#"]
    assert headings == sorted({khmer_collation.index_heading(km) for km, _ in pairs},
                              key=order.index)


def test_approved_only_and_a_domain_say_so_and_hold_only_that(cli, qa_project: Path) -> None:
    out = qa_project / "approved.docx"
    _export(cli, out, "--approved-only")
    root = _document(out)
    texts = [paragraph_text(p) for p in root.iter(f"{W}p")]
    assert "Approved Khmer terms only" in texts and "តែពាក្យខ្មែរដែលបានអនុម័ត" in texts
    states = [t for t in texts if " · " in t and t.split(" · ")[1].split(":")[0] in
              ("proposed", "draft", "approved")]
    assert states and all(" · approved" in t for t in states)

    # before any approval in a domain: the document says it holds no concept
    none = qa_project / "none.docx"
    _export(cli, none, "--approved-only", "--domain", "machine-learning")
    texts = [paragraph_text(p) for p in _document(none).iter(f"{W}p")]
    assert "No concept is in this export." in texts and _tables(_document(none)) == []

    part = qa_project / "ml.docx"
    _export(cli, part, "--domain", "machine-learning")
    rows = [row[0][0] for p, table in _tables(_document(part)) if p.startswith("English")
            for row in table]
    assert sorted(rows) == ["AI model", "machine learning"]
    texts = [paragraph_text(p) for p in _document(part).iter(f"{W}p")]
    assert "Domains: Machine learning" in texts


def test_the_package_is_whole_and_the_same_each_time(cli, project: Path) -> None:
    out = project / "g.docx"
    _export(cli, out)
    first = out.read_bytes()
    _export(cli, out)
    assert out.read_bytes() == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        names = set(archive.namelist())
        assert archive.testzip() is None
        parts = {name: etree.fromstring(archive.read(name)) for name in names}
    types = parts["[Content_Types].xml"]
    overrides = {o.get("PartName").lstrip("/") for o in types if o.get("PartName")}
    assert overrides and overrides <= names
    for name in [n for n in names if n.endswith(".rels")]:  # every link leads to a part
        base = posixpath.dirname(posixpath.dirname(name))
        for rel in parts[name]:
            assert posixpath.normpath(posixpath.join(base, rel.get("Target"))) in names
    body = parts["word/document.xml"].find(f"{W}body")
    assert body[-1].tag == f"{W}sectPr"
    for table in body.iter(f"{W}tbl"):  # every row has a cell per column of the grid
        width = len(table.findall(f"{W}tblGrid/{W}gridCol"))
        assert all(len(tr.findall(f"{W}tc")) == width for tr in table.iter(f"{W}tr"))
    # Khmer is a complex script to Word: its font and bold are the cs properties
    styles = parts["word/styles.xml"]
    fonts = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    assert fonts.get(f"{W}cs") == docx.KHMER_FONT
    assert all(b.getnext() is not None and b.getnext().tag == f"{W}bCs"
               for b in parts["word/document.xml"].iter(f"{W}b"))


@pytest.mark.parametrize(("text", "xml"), [
    ("a\nb", '<w:t xml:space="preserve">a</w:t><w:br/><w:t xml:space="preserve">b</w:t>'),
    ("a\tb", '<w:t xml:space="preserve">a</w:t><w:tab/><w:t xml:space="preserve">b</w:t>'),
    ("<&>", '<w:t xml:space="preserve">&lt;&amp;&gt;</w:t>'),
    ("x\u2028y", '<w:t xml:space="preserve">x</w:t><w:br/><w:t xml:space="preserve">y</w:t>'),
])
def test_breaks_and_markup_in_text_stay_text(text: str, xml: str) -> None:
    assert docx._text(text) == xml


def test_a_part_of_one_concept_and_no_khmer_term_is_still_a_document(settings: Settings
                                                                       ) -> None:
    glossary = loader.load_valid(settings).glossary
    one = Glossary(glossary.concepts[:1], glossary.documents, glossary.domains)
    stripped = Glossary(tuple(c.__class__(id=c.id, en=c.en) for c in glossary.concepts),
                        glossary.documents, glossary.domains)
    for each in (one, stripped):
        out = io.BytesIO()
        docx.write(each, out, WriteOptions())
        with zipfile.ZipFile(out) as archive:
            root = etree.fromstring(archive.read("word/document.xml"))
        headings = [paragraph_text(p) for p in root.iter(f"{W}p")
                    if (s := p.find(f"{W}pPr/{W}pStyle")) is not None
                    and s.get(f"{W}val") == "Heading1"]
        has_khmer = any(c.km.terms for c in each.concepts)
        assert headings == ["English–Khmer · អង់គ្លេស–ខ្មែរ"] + (
            ["Khmer index · លិបិក្រមខ្មែរ"] if has_khmer else [])


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)).filter(
    lambda c: unsafe.not_xml(c) is None)
    | st.sampled_from("\u1780\u17d2\u178f\u17b6\u200b<&>\t\n"), max_size=40)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_any_text_comes_back_from_its_paragraph(text: str) -> None:
    """Whatever a term or definition holds (Khmer, markup characters, tabs, line breaks)
    is one well-formed paragraph whose text, read as Word reads it, is the text with its
    line breaks as "\\n"."""
    xml = f'<w:body xmlns:w="{W[1:-1]}">{docx._p("Cell", docx._run(text))}</w:body>'
    paragraph = etree.fromstring(xml.encode("utf-8"))[0]
    assert paragraph_text(paragraph) == "\n".join(unsafe.split_lines(text))


def test_letters_are_the_sites() -> None:
    """An accented or lower-case initial goes under its letter, as on the site's A–Z
    pages; a digit under "#", last."""
    from glossary.model import Concept, LangSection, Term

    concepts = [Concept(id=i, en=LangSection(terms=(Term(t),)))
                for i, t in (("a", "Éthique"), ("b", "3D model"), ("c", "edge AI"))]
    assert [(letter, [c.id for c in group]) for letter, group
            in docx._by_english_letter(concepts)] == [("E", ["c", "a"]), ("#", ["b"])]
