"""TBX (ISO 30042): write TBX-Basic (DCA style), read TBX v3 (DCA, DCT) and TBX v2.

Writing streams one ``conceptEntry`` at a time through ``lxml.etree.xmlfile``. What
TBX-Basic has no data category for (review state, origin, do-not-translate, a review
note, a retired concept, who approved) travels in ``<note>`` elements of the form
``glossary:KEY=VALUE``; proposal and approval are ``transacGrp`` records
(origination / modification, responsibility = the person, date). Reading is a
streaming ``iterparse`` that clears each finished entry, and it is safe: no DTD
loading, no network, no entity expansion, and a document type declaration that
declares entities (billion laughs, external entities) is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from glossary import khmer
from glossary.errors import FormatError
from glossary.incoming import (
    InConcept,
    InDefinition,
    InLang,
    InReview,
    InTerm,
    ReadResult,
    lang_code,
    parse_date,
    parse_ref,
    ref_text,
)
from glossary.model import (
    PARTS_OF_SPEECH,
    AdminStatus,
    Concept,
    ConceptStatus,
    Definition,
    Glossary,
    Review,
    ReviewState,
    Term,
    TermType,
)

NS = "urn:iso:std:iso:30042:ed-2"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_LANG = f"{{{XML_NS}}}lang"
GENERATOR = "glossary"
TITLE = "Khmer–English glossary of AI governance terms"

ADMIN_STATUS = {
    AdminStatus.PREFERRED: "preferredTerm-admn-sts",
    AdminStatus.ADMITTED: "admittedTerm-admn-sts",
    AdminStatus.DEPRECATED: "deprecatedTerm-admn-sts",
    AdminStatus.SUPERSEDED: "supersededTerm-admn-sts",
}
_ADMIN_IN = {v: k for k, v in ADMIN_STATUS.items()} | {s.value: s for s in AdminStatus}
_USAGE_IN = {  # TBX-Min usageStatus
    "preferred": AdminStatus.PREFERRED, "admitted": AdminStatus.ADMITTED,
    "notRecommended": AdminStatus.DEPRECATED, "obsolete": AdminStatus.SUPERSEDED,
    "deprecated": AdminStatus.DEPRECATED, "superseded": AdminStatus.SUPERSEDED,
}
_TYPE_IN = {t.value: t for t in TermType} | {
    "entryTerm": TermType.FULL_FORM, "mainEntryTerm": TermType.FULL_FORM,
    "synonym": TermType.VARIANT, "initialism": TermType.ACRONYM,
    "abbreviatedForm": TermType.ABBREVIATION, "clippedTerm": TermType.SHORT_FORM,
    "phraseologicalUnit": TermType.PHRASE, "setPhrase": TermType.PHRASE,
}
_POS_IN = {"propernoun": "noun", "noun phrase": "noun"}

META = re.compile(r"^glossary:([a-z-]+)(?:=(.*))?$", re.S)

# --------------------------------------------------------------------------- writing


@dataclass
class WriteReport:
    concepts: int = 0
    terms: int = 0
    skipped: int = 0  # concepts with no term at all: TBX needs one per language section


def xml_id(concept_id: str) -> str:
    """An id that is an XML NCName: ids starting with a digit get a leading ``_``."""
    return f"_{concept_id}" if concept_id[:1].isdigit() else concept_id


def concept_id(value: str) -> str:
    return value[1:] if value.startswith("_") and value[1:2].isdigit() else value


def _sub(parent: Any, tag: str, text: str | None = None, **attrs: str) -> Any:
    from lxml import etree

    el = etree.SubElement(parent, tag, attrs)
    if text is not None:
        el.text = text
    return el


def _meta(parent: Any, key: str, value: str | None = None) -> None:
    _sub(parent, "note", f"glossary:{key}" if value is None else f"glossary:{key}={value}")


def _transactions(parent: Any, review: Review) -> None:
    if review.proposed_by or review.proposed_on:
        grp = _sub(parent, "transacGrp")
        _sub(grp, "transac", "origination", type="transactionType")
        if review.proposed_on:
            _sub(grp, "date", review.proposed_on.isoformat())
        if review.proposed_by:
            _sub(grp, "transacNote", review.proposed_by, type="responsibility")
    if review.approved_by or review.approved_on:
        grp = _sub(parent, "transacGrp")
        _sub(grp, "transac", "modification", type="transactionType")
        if review.approved_on:
            _sub(grp, "date", review.approved_on.isoformat())
        if review.approved_by:
            _sub(grp, "transacNote", review.approved_by, type="responsibility")
        _meta(grp, "approval")


def _review_notes(parent: Any, review: Review) -> None:
    _meta(parent, "review", review.state.value)
    _meta(parent, "origin", review.origin)
    if review.note:
        _meta(parent, "review-note", review.note)


def _term(parent: Any, term: Term) -> None:
    sec = _sub(parent, "termSec")
    _sub(sec, "term", term.text)
    _sub(sec, "termNote", ADMIN_STATUS[term.admin_status], type="administrativeStatus")
    _sub(sec, "termNote", term.type.value, type="termType")
    _sub(sec, "termNote", term.pos, type="partOfSpeech")
    if term.context:
        _sub(sec, "descrip", term.context, type="context")
    _transactions(sec, term.review)
    if term.note:
        _sub(sec, "note", term.note)
    if term.dnt:
        _meta(sec, "dnt", "yes")
    _review_notes(sec, term.review)


def _definition(parent: Any, definition: Definition, lang: str | None = None) -> None:
    grp = _sub(parent, "descripGrp")
    descrip = _sub(grp, "descrip", definition.text, type="definition")
    if lang is not None:
        descrip.set(XML_LANG, lang)
    if definition.source is not None:
        _sub(grp, "admin", ref_text(definition.source), type="source")
    _transactions(grp, definition.review)
    _review_notes(grp, definition.review)


def concept_element(concept: Concept, glossary: Glossary, exported: set[str]) -> Any:
    """One ``conceptEntry`` (elements without a namespace: the root declares it)."""
    from lxml import etree

    entry = etree.Element("conceptEntry", id=xml_id(concept.id))
    labels = {d.id: d.en for d in glossary.domains}
    for domain in concept.domains:
        _sub(entry, "descrip", labels.get(domain, domain), type="subjectField")
    for lang in ("en", "km"):  # a definition in a language with no term
        section = concept.lang(lang)
        if section.definition is not None and not section.terms:
            _definition(entry, section.definition, lang)
    for ref in concept.sources:
        _sub(entry, "admin", ref_text(ref), type="source")
    for other in concept.see_also:
        if other in exported:
            target = glossary.concept(other)
            preferred = target.en.preferred if target is not None else None
            _sub(entry, "ref", preferred.text if preferred else other, type="crossReference",
                 target=xml_id(other))
    for note in concept.notes:
        _sub(entry, "note", note)
    if concept.status is not ConceptStatus.ACTIVE:
        _meta(entry, "status", concept.status.value)
    for lang in ("en", "km"):
        section = concept.lang(lang)
        if not section.terms:
            continue
        sec = _sub(entry, "langSec")
        sec.set(XML_LANG, lang)
        if section.definition is not None:
            _definition(sec, section.definition)
        for term in section.terms:
            _term(sec, term)
    return entry


def write(glossary: Glossary, out: IO[bytes]) -> WriteReport:
    """Write ``glossary`` as TBX-Basic to a binary stream, one entry at a time."""
    from lxml import etree

    report = WriteReport()
    exported = {c.id for c in glossary.concepts if c.en.terms or c.km.terms}
    with etree.xmlfile(out, encoding="UTF-8") as xf:
        xf.write_declaration()
        root = {"type": "TBX-Basic", "style": "dca", XML_LANG: "en"}
        # binding the xml prefix explicitly keeps lxml from inventing ns0 for xml:lang
        with xf.element(f"{{{NS}}}tbx", root, nsmap={None: NS, "xml": XML_NS}):
            header = etree.Element("tbxHeader")
            file_desc = _sub(header, "fileDesc")
            _sub(_sub(file_desc, "titleStmt"), "title", TITLE)
            _sub(_sub(file_desc, "sourceDesc"), "p", GENERATOR, type="generator")
            etree.indent(header, space="  ", level=1)
            xf.write("\n  ", header, "\n  ")
            with xf.element("text"):
                xf.write("\n    ")
                with xf.element("body"):
                    for concept in glossary.concepts:
                        if concept.id not in exported:
                            report.skipped += 1
                            continue
                        entry = concept_element(concept, glossary, exported)
                        etree.indent(entry, space="  ", level=3)
                        xf.write("\n      ", entry)
                        report.concepts += 1
                        report.terms += len(concept.en.terms) + len(concept.km.terms)
                    xf.write("\n    ")
                xf.write("\n  ")
            xf.write("\n")
    out.write(b"\n")
    return report


# --------------------------------------------------------------------------- reading

_ENTRY_TAGS = ("{*}conceptEntry", "{*}termEntry")
_HEADER_TAGS = ("{*}tbxHeader", "{*}martifHeader")
# elements whose data category is their type attribute (DCA); in DCT it is the tag
_TYPED = frozenset({"descrip", "admin", "termNote", "ref", "xref", "transac", "transacNote",
                    "adminNote", "descripNote"})


def _local(el: Any) -> str:
    tag = el.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _category(el: Any) -> str:
    """The data category: ``type`` of a DCA element, the local name of a DCT element."""
    name = _local(el)
    if name in _TYPED:
        return el.get("type") or name
    return name


class _EntryReader:
    """Turns one finished conceptEntry/termEntry element into an InConcept."""

    def __init__(self, result: ReadResult, default_lang: str | None, fold: bool) -> None:
        self.result = result
        self.default_lang = default_lang
        self.fold = fold

    def text(self, el: Any) -> str:
        raw = "".join(el.itertext())
        if not self.result.own:
            raw = " ".join(raw.split())
        return khmer.normalize(raw, fold_coeng_da=self.fold)

    def skip(self, what: str) -> None:
        self.result.skip(what)

    def entry(self, el: Any) -> InConcept | None:
        own = self.result.own
        langs: dict[str, dict[str, Any]] = {"en": {"terms": []}, "km": {"terms": []}}
        domains: list[str] = []
        sources = []
        see_also: list[str] = []
        notes: list[str] = []
        status: ConceptStatus | None = None
        for child in el:
            name, cat = _local(child), _category(child)
            if name in ("langSec", "langSet"):
                self.lang_section(child, langs)
            elif cat == "subjectField":
                domains.append(self.text(child))
            elif cat == "source":
                ref = parse_ref(self.text(child))
                if ref is None:
                    self.skip("concept source not in 'doc §section' form")
                else:
                    sources.append(ref)
            elif cat == "crossReference":
                target = child.get("target")
                if target:
                    see_also.append(concept_id(target))
                else:
                    self.skip("crossReference without a target")
            elif name == "note":
                text = self.text(child)
                meta = META.match(text) if own else None
                if meta and meta.group(1) == "status":
                    status = _enum(ConceptStatus, meta.group(2))
                else:
                    notes.append(text)
            elif name == "descripGrp" or cat == "definition":
                self.definition(child, langs, lang_code(child.get(XML_LANG)) if name != "descripGrp"
                                else None, concept_level=True)
            elif name == "transacGrp":
                self.skip("concept-level transacGrp")
            elif isinstance(child.tag, str):
                self.skip(f"concept-level {cat}")
        en, km = self._lang(langs["en"]), self._lang(langs["km"])
        if not (en.terms or km.terms or en.definition or km.definition):
            self.skip("entries with no English or Khmer term")
            return None
        raw_id = el.get("id")
        return InConcept(
            id=concept_id(raw_id) if raw_id else None, en=en, km=km,
            domains=tuple(domains) if (domains or own) else None,
            sources=tuple(sources) if (sources or own) else None,
            see_also=tuple(see_also) if (see_also or own) else None,
            notes=tuple(notes) if (notes or own) else None,
            status=status or (ConceptStatus.ACTIVE if own else None),
            line=el.sourceline,
        )

    def _lang(self, data: dict[str, Any]) -> InLang:
        return InLang(definition=data.get("definition"), terms=tuple(data["terms"]))

    def lang_section(self, el: Any, langs: dict[str, dict[str, Any]]) -> None:
        tag = el.get(XML_LANG) or self.default_lang
        code = lang_code(tag)
        if code is None:
            count = sum(1 for c in el if _local(c) in ("termSec", "tig", "ntig"))
            self.result.skip(f"terms in language {tag or '(none)'}", count)
            return
        for child in el:
            name, cat = _local(child), _category(child)
            if name in ("termSec", "tig", "ntig"):
                term = self.term(child)
                if term is not None:
                    langs[code]["terms"].append(term)
            elif name == "descripGrp" or cat == "definition":
                self.definition(child, langs, code)
            elif isinstance(child.tag, str):
                self.skip(f"language-level {cat}")

    def definition(self, el: Any, langs: dict[str, dict[str, Any]], code: str | None,
                   concept_level: bool = False) -> None:
        parts = [el] if _local(el) != "descripGrp" else list(el)
        text = None
        source = None
        review = _ReviewParts()
        for child in parts:
            cat = _category(child)
            if cat == "definition":
                text = self.text(child)
                if concept_level and code is None:
                    code = lang_code(child.get(XML_LANG) or self.default_lang)
            elif cat == "source":
                source = parse_ref(self.text(child))
                if source is None:
                    self.skip("definition source not in 'doc §section' form")
            elif _local(child) == "transacGrp":
                review.transaction(child, self)
            elif _local(child) == "note" and review.meta(self.text(child), self.result.own):
                pass
            elif cat == "subjectField" and concept_level:
                self.skip("subjectField inside a descripGrp")
            elif isinstance(child.tag, str):
                self.skip(f"definition {cat}")
        if text is None:
            return
        if code is None:
            self.skip("definitions in another language")
            return
        target = langs[code]
        if "definition" in target:
            self.skip("second definition in one language")
            return
        target["definition"] = InDefinition(text=text, source=source,
                                            review=review.build(self.result.own))

    def term(self, el: Any) -> InTerm | None:
        own = self.result.own
        text = None
        values: dict[str, Any] = {}
        review = _ReviewParts()
        note = None
        children: list[Any] = []
        for child in el:  # ntig: term and termNotes sit in termGrp; termNoteGrp groups notes
            if _local(child) in ("termGrp", "termNoteGrp"):
                children.extend(child)
            else:
                children.append(child)
        for child in children:
            name, cat = _local(child), _category(child)
            if name == "term":
                text = self.text(child)
            elif cat == "administrativeStatus":
                values["admin_status"] = self.lookup(_ADMIN_IN, child, cat)
            elif cat == "usageStatus" and "admin_status" not in values:
                values["admin_status"] = self.lookup(_USAGE_IN, child, cat)
            elif cat == "termType":
                values["type"] = self.lookup(_TYPE_IN, child, cat)
            elif cat == "partOfSpeech":
                pos = self.text(child).lower()
                pos = _POS_IN.get(pos, pos)
                if pos not in PARTS_OF_SPEECH:
                    self.skip(f"partOfSpeech {pos!r} read as 'other'")
                    pos = "other"
                values["pos"] = pos
            elif cat == "context":
                values["context"] = self.text(child)
            elif name == "descripGrp":
                for sub in child:
                    if _category(sub) == "context":
                        values["context"] = self.text(sub)
                    elif isinstance(sub.tag, str) and _category(sub) != "source":
                        self.skip(f"term-level {_category(sub)}")
            elif name == "transacGrp":
                review.transaction(child, self)
            elif name == "note":
                content = self.text(child)
                meta = META.match(content) if own else None
                if meta and meta.group(1) == "dnt":
                    values["dnt"] = meta.group(2) == "yes"
                elif not review.meta(content, own):
                    note = content if note is None else f"{note}\n{content}"
            elif isinstance(child.tag, str):
                self.skip(f"term-level {cat}")
        if not text:
            self.skip("term elements with no text")
            return None
        if own:
            values.setdefault("context", None)
            values.setdefault("dnt", False)
        values = {k: v for k, v in values.items() if v is not None or own}
        return InTerm(text=text, note=note, review=review.build(own), **values)

    def lookup(self, table: dict[str, Any], el: Any, cat: str) -> Any:
        value = self.text(el)
        found = table.get(value)
        if found is None:
            self.skip(f"{cat} {value!r}")
        return found


class _ReviewParts:
    """Collects a review record from transacGrps and glossary:… notes."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def transaction(self, grp: Any, reader: _EntryReader) -> None:
        kind = person = day = None
        approval = False
        for child in grp:
            cat = _category(child)
            if cat == "transactionType":
                kind = reader.text(child)
            elif cat == "responsibility":
                person = reader.text(child)
            elif _local(child) == "date":
                day = parse_date(reader.text(child))
                if day is None:
                    reader.skip("unreadable transaction dates")
            elif _local(child) == "note" and reader.text(child) == "glossary:approval":
                approval = True
        if kind == "origination":
            self.values.update(proposed_by=person, proposed_on=day)
        elif kind == "modification" and approval:
            self.values.update(approved_by=person, approved_on=day)

    def meta(self, text: str, own: bool) -> bool:
        match = META.match(text) if own else None
        if match is None:
            return False
        key, value = match.group(1), match.group(2)
        if key == "review":
            self.values["state"] = _enum(ReviewState, value)
        elif key == "origin":
            self.values["origin"] = value
        elif key == "review-note":
            self.values["note"] = value
        else:
            return False
        return True

    def build(self, own: bool) -> InReview | None:
        values = {k: v for k, v in self.values.items() if v is not None}
        if not values and not own:
            return None
        return InReview(**values)


def _enum(enum: Any, value: str | None) -> Any:
    try:
        return enum(value)
    except ValueError:
        return None


def _xml_error(path: Path, exc: Any) -> FormatError:
    line, column = exc.position if exc.position else (None, None)
    message = re.sub(r"(, line \d+, column \d+)+$", "", str(exc.msg or exc).strip())
    return FormatError(f"not well-formed XML: {message}", path=path, line=line or None,
                       column=column or None, hint="fix the XML (an editor that checks "
                       "well-formedness helps), then import again")


def _refuse_entities(path: Path, root: Any) -> None:
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is None:
        return
    names = [e.name for e in dtd.iterentities()]
    if not names:
        return
    line = None
    try:
        with open(path, "rb") as handle:
            head = handle.read(1 << 20)
        at = head.find(b"<!ENTITY")
        line = head.count(b"\n", 0, at) + 1 if at >= 0 else None
    except OSError:
        pass
    raise FormatError(
        f"refused: the document type declaration declares entities ({', '.join(names[:5])})",
        path=path, line=line,
        hint="entity declarations can expand without bound or read local files; "
             "TBX does not need them: remove the <!DOCTYPE …[…]> block",
    )


def read(path: Path, *, fold_coeng_da: bool = True) -> ReadResult:
    """Read a TBX file (v3 DCA/DCT or v2) into incoming records, streaming."""
    from lxml import etree

    result = ReadResult(path=path, format="tbx")
    reader = _EntryReader(result, _check_root(path), fold_coeng_da)
    try:
        with open(path, "rb") as handle:
            events = etree.iterparse(handle, events=("end",), tag=(*_HEADER_TAGS, *_ENTRY_TAGS),
                                     **_parser_options())
            for _event, el in events:
                name = _local(el)
                if name in ("tbxHeader", "martifHeader"):
                    result.own = any(
                        _local(p) == "p" and p.get("type") == "generator"
                        and (p.text or "").strip() == GENERATOR for p in el.iter()
                    )
                else:
                    concept = reader.entry(el)
                    if concept is not None:
                        result.concepts.append(concept)
                el.clear(keep_tail=False)
                parent = el.getparent()
                if parent is not None:
                    while el.getprevious() is not None:
                        del parent[0]
    except etree.XMLSyntaxError as exc:
        raise _xml_error(path, exc) from None
    except OSError as exc:
        raise FormatError(f"cannot read file: {exc.strerror or exc}", path=path) from None
    return result


def _parser_options() -> dict[str, Any]:
    return {"resolve_entities": False, "load_dtd": False, "no_network": True,
            "huge_tree": False, "remove_comments": True, "remove_pis": True}


def _check_root(path: Path) -> str | None:
    """Look at the root element only: refuse entity declarations and non-TBX files.
    Returns the document's default language (``xml:lang`` of the root)."""
    from lxml import etree

    try:
        with open(path, "rb") as handle:
            for _event, root in etree.iterparse(handle, events=("start",), **_parser_options()):
                _refuse_entities(path, root)
                if _local(root) not in ("tbx", "martif"):
                    raise FormatError(f"not a TBX file: the root element is <{_local(root)}>",
                                      path=path, line=root.sourceline,
                                      hint="expected <tbx> (TBX v3) or <martif> (TBX v2)")
                return root.get(XML_LANG)  # type: ignore[no-any-return]
    except etree.XMLSyntaxError as exc:
        raise _xml_error(path, exc) from None
    except OSError as exc:
        raise FormatError(f"cannot read file: {exc.strerror or exc}", path=path) from None
    raise FormatError("not a TBX file: it has no root element", path=path)

