"""TBX (ISO 30042): write TBX-Basic (DCA style), read TBX v3 (DCA, DCT) and TBX v2.

Writing streams the file a few entries at a time: each ``conceptEntry`` is serialized
by a small escaping writer (six times faster than building lxml elements for
``xmlfile``; the tests validate its output with RELAX NG and read it back). What
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
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from lxml import etree  # this module is imported only by the commands that use it

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


# XML 1.0 cannot hold these at all; a carriage return is kept as a character reference
# (a parser would turn a literal one into a line feed)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


_SPECIAL = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _esc(text: str) -> str:
    """Escape element text; drop characters XML 1.0 cannot carry."""
    if _SPECIAL.search(text) is None:  # the usual case: nothing to do
        return text
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    if not text.isascii() or not text.isprintable():
        text = _NOT_XML.sub("", text)
    return text


def _attr(text: str) -> str:
    return _esc(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


_INDENT = tuple("\n" + "  " * depth for depth in range(12))


class _EntryWriter:
    """Serializes one conceptEntry as indented TBX-Basic text (the elements and their
    order are the same as lxml would write; the RELAX NG tests check the result)."""

    def __init__(self, glossary: Glossary, exported: set[str]) -> None:
        self.glossary = glossary
        self.exported = exported
        self.labels = {d.id: d.en for d in glossary.domains}
        self.out: list[str] = []
        self.cache: dict[Any, str] = {}
        self.refs: dict[str, str] = {}

    def el(self, depth: int, tag: str, text: str, attrs: str = "") -> None:
        self.out.append(f"{_INDENT[depth]}<{tag}{attrs}>{_esc(text)}</{tag}>")

    def open(self, depth: int, tag: str, attrs: str = "") -> None:
        self.out.append(f"{_INDENT[depth]}<{tag}{attrs}>")

    def close(self, depth: int, tag: str) -> None:
        self.out.append(f"{_INDENT[depth]}</{tag}>")

    def transactions(self, depth: int, review: Review) -> None:
        key = (depth, review.proposed_by, review.proposed_on, review.approved_by,
               review.approved_on)
        block = self.cache.get(key)
        if block is None:  # few people and dates: each block is made once
            saved, self.out = self.out, []
            self._transactions(depth, review)
            block = self.cache[key] = "".join(self.out)
            self.out = saved
        if block:
            self.out.append(block)

    def _transactions(self, depth: int, review: Review) -> None:
        if review.proposed_by or review.proposed_on:
            self.open(depth, "transacGrp")
            self.el(depth + 1, "transac", "origination", ' type="transactionType"')
            if review.proposed_on:
                self.el(depth + 1, "date", review.proposed_on.isoformat())
            if review.proposed_by:
                self.el(depth + 1, "transacNote", review.proposed_by, ' type="responsibility"')
            self.close(depth, "transacGrp")
        if review.approved_by or review.approved_on:
            self.open(depth, "transacGrp")
            self.el(depth + 1, "transac", "modification", ' type="transactionType"')
            if review.approved_on:
                self.el(depth + 1, "date", review.approved_on.isoformat())
            if review.approved_by:
                self.el(depth + 1, "transacNote", review.approved_by, ' type="responsibility"')
            self.el(depth + 1, "note", "glossary:approval")
            self.close(depth, "transacGrp")

    def review_notes(self, depth: int, review: Review) -> None:
        key = (depth, review.state, review.origin)
        line = self.cache.get(key)
        if line is None:
            line = self.cache[key] = (f"{_INDENT[depth]}<note>glossary:review="
                                      f"{review.state.value}; origin={_esc(review.origin)}</note>")
        self.out.append(line)
        if review.note:
            self.el(depth, "note", f"glossary:review-note={review.note}")

    def term(self, depth: int, term: Term) -> None:
        inner = depth + 1
        key = (depth, term.admin_status, term.type, term.pos)
        notes = self.cache.get(key)
        if notes is None:  # the three termNotes take few distinct values: made once each
            pad = _INDENT[inner]
            notes = self.cache[key] = (
                f'{pad}<termNote type="administrativeStatus">{ADMIN_STATUS[term.admin_status]}'
                f'</termNote>{pad}<termNote type="termType">{term.type.value}</termNote>'
                f'{pad}<termNote type="partOfSpeech">{_esc(term.pos)}</termNote>')
        self.out.append(f"{_INDENT[depth]}<termSec>{_INDENT[inner]}<term>{_esc(term.text)}"
                        f"</term>{notes}")
        if term.context:
            self.el(inner, "descrip", term.context, ' type="context"')
        self.transactions(inner, term.review)
        if term.note:
            self.el(inner, "note", term.note)
        if term.dnt:
            self.el(inner, "note", "glossary:dnt=yes")
        self.review_notes(inner, term.review)
        self.close(depth, "termSec")

    def definition(self, depth: int, definition: Definition, lang: str | None = None) -> None:
        self.open(depth, "descripGrp")
        lang_attr = f' xml:lang="{lang}"' if lang else ""
        self.el(depth + 1, "descrip", definition.text, f' type="definition"{lang_attr}')
        if definition.source is not None:
            self.el(depth + 1, "admin", ref_text(definition.source), ' type="source"')
        self.transactions(depth + 1, definition.review)
        self.review_notes(depth + 1, definition.review)
        self.close(depth, "descripGrp")

    def reference(self, other: str) -> str:
        """The crossReference to concept ``other``, labelled with its English term."""
        line = self.refs.get(other)
        if line is None:
            target = self.glossary.concept(other)
            preferred = target.en.preferred if target is not None else None
            label = preferred.text if preferred else other
            line = self.refs[other] = (
                f'{_INDENT[4]}<ref type="crossReference" target="{_attr(xml_id(other))}">'
                f"{_esc(label)}</ref>")
        return line

    def concept(self, concept: Concept) -> str:
        self.out = []
        self.open(3, "conceptEntry", f' id="{_attr(xml_id(concept.id))}"')
        for domain in concept.domains:
            self.el(4, "descrip", self.labels.get(domain, domain), ' type="subjectField"')
        for lang in ("en", "km"):  # a definition in a language with no term yet
            section = concept.lang(lang)
            if section.definition is not None and not section.terms:
                self.definition(4, section.definition, lang)
        for ref in concept.sources:
            self.el(4, "admin", ref_text(ref), ' type="source"')
        for other in concept.see_also:
            if other in self.exported:
                self.out.append(self.reference(other))
        for note in concept.notes:
            self.el(4, "note", note)
        if concept.status is not ConceptStatus.ACTIVE:
            self.el(4, "note", f"glossary:status={concept.status.value}")
        for lang in ("en", "km"):
            section = concept.lang(lang)
            if not section.terms:
                continue
            self.open(4, "langSec", f' xml:lang="{lang}"')
            if section.definition is not None:
                self.definition(5, section.definition)
            for term in section.terms:
                self.term(5, term)
            self.close(4, "langSec")
        self.close(3, "conceptEntry")
        return "".join(self.out)


_HEAD = f"""<?xml version='1.0' encoding='UTF-8'?>
<tbx xmlns="{NS}" type="TBX-Basic" style="dca" xml:lang="en">
  <tbxHeader>
    <fileDesc>
      <titleStmt>
        <title>{TITLE}</title>
      </titleStmt>
      <sourceDesc>
        <p type="generator">{GENERATOR}</p>
      </sourceDesc>
    </fileDesc>
  </tbxHeader>
  <text>
    <body>"""
_TAIL = """
    </body>
  </text>
</tbx>
"""


def write(glossary: Glossary, out: IO[bytes], batch: int = 256) -> WriteReport:
    """Write ``glossary`` as TBX-Basic to a binary stream, a few entries at a time."""
    report = WriteReport()
    exported = {c.id for c in glossary.concepts if c.en.terms or c.km.terms}
    writer = _EntryWriter(glossary, exported)
    out.write(_HEAD.encode("utf-8"))
    pending: list[str] = []
    for concept in glossary.concepts:
        if concept.id not in exported:
            report.skipped += 1
            continue
        pending.append(writer.concept(concept))
        report.concepts += 1
        report.terms += len(concept.en.terms) + len(concept.km.terms)
        if len(pending) >= batch:
            out.write("".join(pending).encode("utf-8"))
            pending = []
    pending.append(_TAIL)
    out.write("".join(pending).encode("utf-8"))
    return report


# --------------------------------------------------------------------------- reading

_ENTRY_TAGS = ("{*}conceptEntry", "{*}termEntry")
_HEADER_TAGS = ("{*}tbxHeader", "{*}martifHeader")
# elements whose data category is their type attribute (DCA); in DCT it is the tag
_TYPED = frozenset({"descrip", "admin", "termNote", "ref", "xref", "transac", "transacNote",
                    "adminNote", "descripNote"})
_TERM_ELEMENTS = frozenset({"termSec", "tig", "ntig"})
_NAMES: dict[Any, str] = {}


def _local(el: Any) -> str:
    """The local name of an element's tag (cached: a file has few distinct tags)."""
    tag = el.tag
    name = _NAMES.get(tag)
    if name is None:
        name = tag.rpartition("}")[2] if isinstance(tag, str) else ""
        if isinstance(tag, str) and len(_NAMES) < 4096:
            _NAMES[tag] = name
    return name


def _category(el: Any, name: str) -> str:
    """The data category: ``type`` of a DCA element, the local name of a DCT element."""
    if name in _TYPED:
        return el.get("type") or name
    return name


class _EntryReader:
    """Turns one finished conceptEntry/termEntry element into an InConcept."""

    def __init__(self, result: ReadResult, default_lang: str | None, fold: bool) -> None:
        self.result = result
        self.own = result.own
        self.default_lang = default_lang
        self.fold = fold

    def text(self, el: Any) -> str:
        raw = el.text if len(el) == 0 else "".join(el.itertext())
        if raw is None:
            return ""
        if not self.own:
            raw = " ".join(raw.split())
        if raw.isascii():
            return raw
        return khmer.normalize(raw, fold_coeng_da=self.fold)

    def skip(self, what: str) -> None:
        self.result.skipped[what] += 1

    def entry(self, el: Any) -> InConcept | None:
        own = self.own = self.result.own
        langs: dict[str, dict[str, Any]] = {"en": {"terms": []}, "km": {"terms": []}}
        domains: list[str] = []
        sources = []
        see_also: list[str] = []
        notes: list[str] = []
        status: ConceptStatus | None = None
        for child in el:
            name = _local(child)
            if name == "langSec" or name == "langSet":
                self.lang_section(child, langs)
                continue
            cat = _category(child, name)
            if cat == "subjectField":
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
                if own and text.startswith("glossary:status="):
                    status = _enum(ConceptStatus, text[16:])
                else:
                    notes.append(text)
            elif name == "descripGrp":
                self.definition(child, langs, None, concept_level=True)
            elif cat == "definition":
                self.definition(child, langs, lang_code(child.get(XML_LANG)),
                                concept_level=True)
            else:
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
            count = sum(1 for c in el if _local(c) in _TERM_ELEMENTS)
            self.result.skip(f"terms in language {tag or '(none)'}", count)
            return
        terms = langs[code]["terms"]
        for child in el:
            name = _local(child)
            if name in _TERM_ELEMENTS:
                term = self.term(child)
                if term is not None:
                    terms.append(term)
                continue
            cat = _category(child, name)
            if name == "descripGrp" or cat == "definition":
                self.definition(child, langs, code)
            else:
                self.skip(f"language-level {cat}")

    def definition(self, el: Any, langs: dict[str, dict[str, Any]], code: str | None,
                   concept_level: bool = False) -> None:
        parts = list(el) if _local(el) == "descripGrp" else [el]
        text = None
        source = None
        review = _ReviewParts()
        for child in parts:
            name = _local(child)
            cat = _category(child, name)
            if cat == "definition":
                text = self.text(child)
                if concept_level and code is None:
                    code = lang_code(child.get(XML_LANG) or self.default_lang)
            elif cat == "source":
                source = parse_ref(self.text(child))
                if source is None:
                    self.skip("definition source not in 'doc §section' form")
            elif name == "transacGrp":
                review.transaction(child, self)
            elif name == "note" and review.meta(self.text(child), self.own):
                pass
            else:
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
                                            review=review.build(self.own))

    def term(self, el: Any) -> InTerm | None:
        own = self.own
        text = None
        values: dict[str, Any] = {"dnt": False} if own else {}
        review = _ReviewParts()
        note = None
        kids = list(el)
        i = 0
        while i < len(kids):
            child = kids[i]
            i += 1
            name = _local(child)
            if name == "term":
                text = self.text(child)
                continue
            if name == "termGrp" or name == "termNoteGrp":  # ntig; grouped notes
                kids[i:i] = list(child)
                continue
            if name == "transacGrp":
                review.transaction(child, self)
                continue
            if name == "note":
                content = self.text(child)
                if own and content == "glossary:dnt=yes":
                    values["dnt"] = True
                elif not review.meta(content, own):
                    note = content if note is None else f"{note}\n{content}"
                continue
            if name == "descripGrp":
                for sub in child:
                    sub_cat = _category(sub, _local(sub))
                    if sub_cat == "context":
                        values["context"] = self.text(sub)
                    elif sub_cat != "source":
                        self.skip(f"term-level {sub_cat}")
                continue
            cat = _category(child, name)
            if cat == "administrativeStatus":
                values["admin_status"] = self.lookup(_ADMIN_IN, child, cat)
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
            elif cat == "usageStatus":
                if "admin_status" not in values:
                    values["admin_status"] = self.lookup(_USAGE_IN, child, cat)
            else:
                self.skip(f"term-level {cat}")
        if not text:
            self.skip("term elements with no text")
            return None
        if not own:
            values = {k: v for k, v in values.items() if v is not None}
        return InTerm(text=text, note=note, review=review.build(own), **values)

    def lookup(self, table: dict[str, Any], el: Any, cat: str) -> Any:
        value = self.text(el)
        found = table.get(value)
        if found is None:
            self.skip(f"{cat} {value!r}")
        return found


_REVIEW_STATES = {s.value: s for s in ReviewState}


class _ReviewParts:
    """Collects a review record from transacGrps and glossary:… notes."""

    __slots__ = ("values",)

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def transaction(self, grp: Any, reader: _EntryReader) -> None:
        kind = person = day = None
        approval = False
        for child in grp:
            name = _local(child)
            cat = _category(child, name)
            if cat == "transactionType":
                kind = reader.text(child)
            elif cat == "responsibility":
                person = reader.text(child)
            elif name == "date":
                day = parse_date(reader.text(child))
                if day is None:
                    reader.skip("unreadable transaction dates")
            elif name == "note" and reader.text(child) == "glossary:approval":
                approval = True
        if kind == "origination":
            self.values.update(proposed_by=person, proposed_on=day)
        elif kind == "modification" and approval:
            self.values.update(approved_by=person, approved_on=day)

    def meta(self, text: str, own: bool) -> bool:
        if not own or not text.startswith("glossary:"):
            return False
        key, sep, value = text[9:].partition("=")
        if not sep:
            return False
        if key == "review":
            state, _, origin = value.partition("; origin=")
            self.values["state"] = _REVIEW_STATES.get(state)
            if origin:
                self.values["origin"] = origin
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


def read(path: Path, *, fold_coeng_da: bool = True, stream: bool = False) -> ReadResult:
    """Read a TBX file (v3 DCA/DCT or v2) into incoming records.

    The file is parsed as a stream and each finished entry is dropped from the tree. With
    ``stream=True`` the records are produced while the caller iterates
    ``result.concepts`` (a parse error is raised then); ``result.own`` and
    ``result.skipped`` are complete once it has been consumed.
    """
    result = ReadResult(path=path, format="tbx")
    default_lang = _check_root(path)
    records = _iter_entries(path, result, _EntryReader(result, default_lang, fold_coeng_da))
    result.concepts = records if stream else list(records)  # type: ignore[assignment]
    return result


def _iter_entries(path: Path, result: ReadResult, reader: _EntryReader) -> Iterator[InConcept]:
    try:
        with open(path, "rb") as handle:
            events = etree.iterparse(handle, events=("end",), tag=(*_HEADER_TAGS, *_ENTRY_TAGS),
                                     **_parser_options())
            for _event, el in events:
                name = _local(el)
                if name == "tbxHeader" or name == "martifHeader":
                    result.own = any(
                        _local(p) == "p" and p.get("type") == "generator"
                        and (p.text or "").strip() == GENERATOR for p in el.iter()
                    )
                else:
                    concept = reader.entry(el)
                    if concept is not None:
                        yield concept
                el.clear(keep_tail=False)
                parent = el.getparent()
                if parent is not None:
                    while el.getprevious() is not None:
                        del parent[0]
    except etree.XMLSyntaxError as exc:
        raise _xml_error(path, exc) from None
    except OSError as exc:
        raise FormatError(f"cannot read file: {exc.strerror or exc}", path=path) from None


def _parser_options() -> dict[str, Any]:
    return {"resolve_entities": False, "load_dtd": False, "no_network": True,
            "huge_tree": False, "remove_comments": True, "remove_pis": True}


def _check_root(path: Path) -> str | None:
    """Look at the root element only: refuse entity declarations and non-TBX files.
    Returns the document's default language (``xml:lang`` of the root)."""
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

