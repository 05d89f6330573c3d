"""The glossary as a Word document (.docx), for the ministry's printed Glossary of AI terms.

Two parts, each under a heading of the document's outline (Word's navigation pane):

* **English–Khmer**: every active concept A–Z by its English preferred term, under a
  heading per letter, in a table of three columns: the English terms; the Khmer terms,
  each with its review state (and who approved it, when); the English and Khmer
  definitions and the sources. The header row repeats on every page.
* **Khmer index**: every Khmer term that is not rejected or deprecated, in Khmer
  dictionary order (:func:`glossary.khmer_collation.sort_key`) under its initial letter,
  with the English preferred term of its concept.

The labels are in both languages (the Khmer words of the site's own catalog). The text
is set in styles, so an editor changes the typeface of the whole document once, in
*Normal*: Latin in Times New Roman, Khmer in Khmer OS Siemreap (the typeface of
Cambodian government documents; Word uses another Khmer one where it is missing). Khmer
is a complex script to Word: its font, size and bold are the ``cs`` properties.

Deterministic: the same glossary and options give the same bytes (a fixed zip time; no
date but the revision). A character XML cannot hold is refused before anything is
written (``glossary.exporting.refuse_unsafe``). Written only (``glossary export docx``),
not a build target: a document for people, made when a printed edition is prepared.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import IO
from xml.sax.saxutils import escape, quoteattr

from glossary import khmer_collation, unsafe
from glossary.english_order import OTHER, en_letter, en_sort_key
from glossary.formats import zipped
from glossary.formats.options import WriteOptions
from glossary.model import (
    AdminStatus,
    Concept,
    ConceptStatus,
    Document,
    Glossary,
    ReviewState,
    Term,
    TermType,
    format_ref,
)

TITLE_EN = "Khmer–English AI Governance Glossary"
TITLE_KM = "សទ្ទានុក្រមខ្មែរ–អង់គ្លេស ស្តីពីអភិបាលកិច្ចបញ្ញាសិប្បនិម្មិត"
LATIN_FONT = "Times New Roman"
KHMER_FONT = "Khmer OS Siemreap"

#: Review states and administrative statuses in Khmer (the site's catalog).
_KM_WORDS = {"draft": "សេចក្តីព្រាង", "proposed": "បានស្នើ", "approved": "បានអនុម័ត",
             "rejected": "បានបដិសេធ", "deprecated": "មិនគួរប្រើ", "superseded": "មិនគួរប្រើ",
             "admitted": "ទទួលយក"}

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml"
_STAMP = datetime(1980, 1, 1)  # the zip's time for every entry: no clock in the file

# A4 portrait, margins of 2 cm: 9,638 twips of text width, shared by the columns.
_PAGE = '<w:pgSz w:w="11906" w:h="16838"/>' \
        '<w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" ' \
        'w:header="567" w:footer="567" w:gutter="0"/>'
_TERMS_COLUMNS = (2400, 2900, 4338)
_INDEX_COLUMNS = (4819, 4819)


def write(glossary: Glossary, out: IO[bytes], options: WriteOptions) -> None:
    """Write ``glossary`` (already selected by the options) as a .docx to ``out``."""
    parts = {
        "[Content_Types].xml": _content_types(),
        "_rels/.rels": _relationships([
            ("rId1", f"{_DOC_REL}/officeDocument", "word/document.xml"),
            ("rId2", f"{_PKG_REL}/metadata/core-properties", "docProps/core.xml")]),
        "docProps/core.xml": _core(),
        "word/_rels/document.xml.rels": _relationships([
            ("rId1", f"{_DOC_REL}/styles", "styles.xml"),
            ("rId2", f"{_DOC_REL}/footer", "footer1.xml")]),
        "word/styles.xml": _styles(),
        "word/footer1.xml": _footer(options.revision),
        "word/document.xml": _document(glossary, options),
    }
    entries = [zipped.Entry.of(name, text.encode("utf-8")) for name, text in parts.items()]
    out.writelines(zipped.write(entries, _STAMP))


# --- the document --------------------------------------------------------------------


def _document(glossary: Glossary, options: WriteOptions) -> str:
    active = [c for c in glossary.concepts if c.status is ConceptStatus.ACTIVE]
    body: list[str] = [
        _p("Title", _run(TITLE_EN)), _p("Title", _run(TITLE_KM)),
        *_front_matter(glossary, options, len(active)),
        _p("Heading1", _run("English–Khmer · អង់គ្លេស–ខ្មែរ"))]
    documents = {d.id: d for d in glossary.documents}
    if not active:  # e.g. --approved-only before any approval: say so, not a blank page
        body.append(_p("Normal", _run("No concept is in this export.")))
        body.append(_p("Normal", _run("គ្មានសញ្ញាណណាមួយក្នុងឯកសារនេះទេ។")))
    for letter, concepts in _by_english_letter(active):
        body.append(_p("Heading2", _run(letter)))
        rows = [_terms_row(c, documents) for c in concepts]
        body.append(_table(_TERMS_COLUMNS, ("English · អង់គ្លេស", "Khmer · ខ្មែរ",
                                            "Definition · និយមន័យ"), rows))
    index = _khmer_index(active)
    if index:
        body.append(_p("Heading1", _run("Khmer index · លិបិក្រមខ្មែរ")))
        for letter, pairs in index:
            body.append(_p("Heading2", _run(letter)))
            rows = [[[_p("Cell", _run(km))], [_p("Cell", _run(en))]] for km, en in pairs]
            body.append(_table(_INDEX_COLUMNS, ("Khmer · ខ្មែរ", "English · អង់គ្លេស"), rows))
    section = f'<w:sectPr><w:footerReference w:type="default" r:id="rId2"/>{_PAGE}</w:sectPr>'
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:document xmlns:w="{_W_NS}" xmlns:r="{_R_NS}"><w:body>'
            + "".join(body) + section + "</w:body></w:document>")


def _front_matter(glossary: Glossary, options: WriteOptions, count: int) -> Iterator[str]:
    """What the document holds, a line in English then one in Khmer each: the revision
    and number of concepts, which part of the glossary, what a review state means."""
    revision = options.revision
    yield _p("Subtitle", _run(f"Revision {revision} · " * bool(revision) + f"{count} concepts"))
    yield _p("Subtitle", _run(f"កំណែ {revision} · " * bool(revision) + f"សញ្ញាណ {count}"))
    if options.domains:
        labels = {d.id: d for d in glossary.domains}
        shown = [labels[d] for d in options.domains if d in labels]
        yield _p("Subtitle", _run("Domains: " + ", ".join(d.en for d in shown)))
        yield _p("Subtitle", _run("វិស័យ៖ " + ", ".join(d.km or d.en for d in shown)))
    if options.level == "approved":
        yield _p("Subtitle", _run("Approved Khmer terms only"))
        yield _p("Subtitle", _run("តែពាក្យខ្មែរដែលបានអនុម័ត"))
    else:
        yield _p("Subtitle", _run(
            "A Khmer term marked “proposed” has not been approved by a reviewer yet."))
        yield _p("Subtitle", _run(
            "ពាក្យខ្មែរដែលមានសម្គាល់ «បានស្នើ» មិនទាន់ត្រូវបានអ្នកពិនិត្យអនុម័តនៅឡើយទេ។"))


def _by_english_letter(concepts: list[Concept]) -> list[tuple[str, list[Concept]]]:
    """The concepts A–Z by their English preferred term, then their id (the site's
    order and letters, :mod:`glossary.english_order`); under ``#`` at the end, those
    whose term starts otherwise."""
    def english(concept: Concept) -> str:
        term = concept.en.preferred
        return term.text if term is not None else concept.id

    groups: dict[str, list[Concept]] = defaultdict(list)
    for concept in sorted(concepts, key=lambda c: (en_sort_key(english(c)), c.id)):
        groups[en_letter(english(concept)).upper()].append(concept)
    return sorted(groups.items(), key=lambda item: (item[0] == OTHER, item[0]))


def _khmer_index(concepts: list[Concept]) -> list[tuple[str, list[tuple[str, str]]]]:
    """(heading, [(Khmer term, English preferred term)]) in Khmer dictionary order."""
    order = {h: i for i, h in enumerate(khmer_collation.INDEX_HEADINGS)}
    found: list[tuple[tuple[int, ...], str, str, str]] = []
    for concept in concepts:
        english = concept.en.preferred
        for term in concept.km.terms:
            if _shown(term) and term.admin_status in (AdminStatus.PREFERRED,
                                                      AdminStatus.ADMITTED):
                found.append((khmer_collation.sort_key(term.text), term.text,
                              english.text if english is not None else concept.id,
                              concept.id))
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for _, km, en, _ in sorted(found):
        groups[khmer_collation.index_heading(km)].append((km, en))
    return sorted(groups.items(), key=lambda item: order.get(item[0], len(order)))


def _shown(term: Term) -> bool:
    return term.review.state is not ReviewState.REJECTED and bool(term.text)


def _terms_row(concept: Concept, documents: dict[str, Document]) -> list[list[str]]:
    """The three cells of a concept: English terms, Khmer terms, definitions."""
    en_preferred, km_preferred = concept.en.preferred, concept.km.preferred
    english = [_p("Cell", _run(t.text, bold=t is en_preferred)
                  + _status_runs(t))
               for t in concept.en.terms if _shown(t)]
    khmer: list[str] = []
    for term in concept.km.terms:
        if _shown(term):
            khmer.append(_p("Cell", _run(term.text, bold=term is km_preferred)))
            khmer.append(_p("Small", _run(_khmer_state(term))))
    definitions = [_p("Cell", _run(d.text)) for d in (concept.en.definition,
                                                     concept.km.definition) if d is not None]
    if concept.sources:
        refs = "; ".join(format_ref(r, documents.get(r.doc)) for r in concept.sources)
        definitions.append(_p("Small", _run(f"Sources · ប្រភព: {refs}")))
    return [cell or [_p("Cell", "")] for cell in (english, khmer, definitions)]


def _status_runs(term: Term) -> str:
    """An English term's kind, after it: an acronym, a deprecated term."""
    notes = []
    if term.type is not TermType.FULL_FORM:
        notes.append(term.type.value)
    if term.admin_status in (AdminStatus.DEPRECATED, AdminStatus.SUPERSEDED):
        notes.append(term.admin_status.value)
    return _run(f" ({', '.join(notes)})", small=True) if notes else ""


def _khmer_state(term: Term) -> str:
    """A Khmer term's review state in both languages (and who approved it, when), and
    its status when it is not a term to use."""
    review = term.review
    state = review.state.value
    text = f"{_KM_WORDS[state]} · {state}"
    if review.state is ReviewState.APPROVED and review.approved_by:
        text += f": {review.approved_by}"
        if review.approved_on:
            text += f", {review.approved_on.isoformat()}"
    status = term.admin_status
    if status in (AdminStatus.DEPRECATED, AdminStatus.SUPERSEDED):
        text += f" — {_KM_WORDS[status.value]} · {status.value}"
    return text


# --- WordprocessingML pieces -----------------------------------------------------------


def _text(text: str) -> str:
    """Runs' content for ``text``: line breaks as ``w:br``, tabs as ``w:tab``."""
    out: list[str] = []
    for i, line in enumerate(unsafe.split_lines(text)):
        if i:
            out.append("<w:br/>")
        for j, piece in enumerate(line.split("\t")):
            if j:
                out.append("<w:tab/>")
            if piece:
                out.append(f'<w:t xml:space="preserve">{escape(piece)}</w:t>')
    return "".join(out)


def _run(text: str, *, bold: bool = False, small: bool = False) -> str:
    props = ("<w:b/><w:bCs/>" if bold else "") + (
        '<w:color w:val="595959"/><w:sz w:val="16"/><w:szCs w:val="16"/>' if small else "")
    return f"<w:r>{f'<w:rPr>{props}</w:rPr>' if props else ''}{_text(text)}</w:r>"


def _p(style: str, runs: str) -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{runs}</w:p>'


def _cell(width: int, paragraphs: Iterable[str], head: bool = False) -> str:
    shade = '<w:shd w:val="clear" w:color="auto" w:fill="E7E6E6"/>' if head else ""
    return (f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shade}</w:tcPr>'
            + "".join(paragraphs) + "</w:tc>")


def _table(columns: tuple[int, ...], head: tuple[str, ...],
           rows: list[list[list[str]]]) -> str:
    """A table of fixed columns (twips): a header row repeated on every page, then the
    rows, each a list of cells, each a list of paragraphs."""
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in columns)
    out = [f'<w:tbl><w:tblPr><w:tblStyle w:val="GlossaryTable"/>'
           f'<w:tblW w:w="{sum(columns)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
           f'</w:tblPr><w:tblGrid>{grid}</w:tblGrid>',
           "<w:tr><w:trPr><w:tblHeader/></w:trPr>"
           + "".join(_cell(w, [_p("Cell", _run(h, bold=True))], head=True)
                     for w, h in zip(columns, head, strict=True)) + "</w:tr>"]
    for row in rows:
        out.append("<w:tr>"
                   + "".join(_cell(w, cell) for w, cell in zip(columns, row, strict=True))
                   + "</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


# --- the package's other parts -----------------------------------------------------------


def _content_types() -> str:
    overrides = {
        "/word/document.xml": f"{_MAIN}.document.main+xml",
        "/word/styles.xml": f"{_MAIN}.styles+xml",
        "/word/footer1.xml": f"{_MAIN}.footer+xml",
        "/docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
    }
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns='
            '"http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            + "".join(f'<Override PartName="{name}" ContentType="{kind}"/>'
                      for name, kind in overrides.items()) + "</Types>")


def _relationships(links: list[tuple[str, str, str]]) -> str:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{_PKG_REL}">'
            + "".join(f'<Relationship Id="{i}" Type="{kind}" Target="{target}"/>'
                      for i, kind, target in links) + "</Relationships>")


def _core() -> str:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:title>{escape(TITLE_EN)}</dc:title><dc:language>km</dc:language>"
            "</cp:coreProperties>")


def _footer(revision: str) -> str:
    label = f"{TITLE_EN} · {revision} · " if revision else f"{TITLE_EN} · "
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:ftr xmlns:w="{_W_NS}" xmlns:r="{_R_NS}"><w:p><w:pPr><w:pStyle w:val='
            f'"Small"/><w:jc w:val="center"/></w:pPr>{_run(label, small=True)}'
            '<w:fldSimple w:instr=" PAGE "><w:r><w:rPr><w:color w:val="595959"/>'
            '<w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr><w:t>1</w:t></w:r>'
            "</w:fldSimple></w:p></w:ftr>")


def _style(ident: str, name: str, props: str, run: str = "", *, based: str = "Normal",
           following: str = "") -> str:
    nxt = f'<w:next w:val="{following}"/>' if following else ""
    return (f'<w:style w:type="paragraph" w:styleId="{ident}"><w:name w:val={quoteattr(name)}/>'
            f'<w:basedOn w:val="{based}"/>{nxt}<w:qFormat/><w:pPr>{props}</w:pPr>'
            f"<w:rPr>{run}</w:rPr></w:style>")


def _styles() -> str:
    fonts = (f'<w:rFonts w:ascii="{LATIN_FONT}" w:hAnsi="{LATIN_FONT}" w:eastAsia='
             f'"{LATIN_FONT}" w:cs="{KHMER_FONT}"/>')
    borders = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="8C8C8C"/>'
                      for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    margins = "".join(f'<w:{side} w:w="{w}" w:type="dxa"/>'
                      for side, w in (("top", 57), ("left", 85), ("bottom", 57),
                                      ("right", 85)))
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:styles xmlns:w="{_W_NS}"><w:docDefaults><w:rPrDefault><w:rPr>{fonts}'
        '<w:sz w:val="22"/><w:szCs w:val="22"/>'
        '<w:lang w:val="en-GB" w:eastAsia="en-GB" w:bidi="km-KH"/></w:rPr></w:rPrDefault>'
        '<w:pPrDefault><w:pPr><w:spacing w:after="60" w:line="240" w:lineRule="auto"/>'
        "</w:pPr></w:pPrDefault></w:docDefaults>"
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
        "<w:qFormat/></w:style>"
        + _style("Title", "Title", '<w:spacing w:after="120"/><w:jc w:val="center"/>',
                 '<w:b/><w:bCs/><w:sz w:val="36"/><w:szCs w:val="36"/>')
        + _style("Subtitle", "Subtitle", '<w:spacing w:after="120"/><w:jc w:val="center"/>',
                 '<w:color w:val="404040"/>')
        + _style("Heading1", "heading 1", '<w:keepNext/><w:pageBreakBefore/>'
                 '<w:spacing w:before="240" w:after="120"/><w:outlineLvl w:val="0"/>',
                 '<w:b/><w:bCs/><w:sz w:val="32"/><w:szCs w:val="32"/>', following="Normal")
        + _style("Heading2", "heading 2", '<w:keepNext/><w:spacing w:before="240" '
                 'w:after="80"/><w:outlineLvl w:val="1"/>',
                 '<w:b/><w:bCs/><w:sz w:val="28"/><w:szCs w:val="28"/>', following="Normal")
        + _style("Cell", "Glossary Cell", '<w:spacing w:after="40"/>',
                 '<w:sz w:val="20"/><w:szCs w:val="20"/>')
        + _style("Small", "Glossary Note", '<w:spacing w:after="40"/>',
                 '<w:color w:val="595959"/><w:sz w:val="16"/><w:szCs w:val="16"/>')
        + '<w:style w:type="table" w:styleId="GlossaryTable"><w:name w:val="Glossary Table"/>'
        f"<w:tblPr><w:tblBorders>{borders}</w:tblBorders>"
        f"<w:tblCellMar>{margins}</w:tblCellMar></w:tblPr></w:style>"
        "</w:styles>")
