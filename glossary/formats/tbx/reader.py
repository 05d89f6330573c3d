"""Read TBX v3 (DCA and DCT styles) and TBX v2 (``martif``, ``tig`` or ``ntig``) into
incoming records, one entry at a time.

The XML comes from :mod:`glossary.formats.tbx.safe_xml` (no DTD, no entities, no
network, entries size-bounded and cleared once read); this module turns each entry
element into an :class:`~glossary.imports.records.InConcept`, and
:mod:`glossary.formats.tbx.review` reads the review records of its terms and definitions.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from glossary import khmer, limits
from glossary.formats.options import ReadOptions
from glossary.formats.tbx import safe_xml
from glossary.formats.tbx.common import (
    ADMIN_IN,
    DEMOTED_NOTE,
    EXAMPLE_MARK,
    EXAMPLE_NOTE,
    GENERATOR,
    POS_IN,
    RATIONALE_PREFIX,
    REVIEW_NOTE_PREFIX,
    TYPE_IN,
    TYPED,
    XML_LANG,
    admin_status,
    concept_id,
    dnt_of,
    is_dnt_note,
)
from glossary.formats.tbx.review import EMPTY_REVIEW, ReviewParts, is_meta
from glossary.formats.tbx.safe_xml import NAMES, local
from glossary.imports.records import (
    InConcept,
    InDefinition,
    InLang,
    InReview,
    InTerm,
    ReadResult,
    lang_code,
    parse_ref,
)
from glossary.model import (
    PARTS_OF_SPEECH,
    AdminStatus,
    ConceptStatus,
    Example,
)

_ENTRY_TAGS = ("{*}conceptEntry", "{*}termEntry")
_HEADER_TAGS = ("{*}tbxHeader", "{*}martifHeader")
# a language section's term elements: termSec (v3), tig and ntig (v2)
_TERM_ELEMENTS = frozenset({"termSec", "tig", "ntig"})
# the children of a term element that are not data categories (_EntryReader.term)
_TERM_PARTS = frozenset({"term", "note", "transacGrp", "descripGrp", "termGrp", "termNoteGrp"})
# what a term's <note> is (_EntryReader.note_kind)
_DNT, _DEMOTED, _REVIEW_WORDS, _RATIONALE, _META, _NOTE = (
    "dnt", "demoted", "review words", "rationale", "meta", "note")


def _as_written(table: dict[str, Any]) -> dict[str, Any]:
    """The entries of ``table`` whose key :meth:`_EntryReader.text` returns as it is
    (ASCII, no spaces to fold): a leaf that holds one of these exactly means its value,
    looked up without the three calls of the full rule, which also folds spaces and case
    and counts what it does not know. Every term has three such values: reading the
    10,000-concept export took 0.54 s with the full rule for each, 0.52 s with this."""
    return {k: v for k, v in table.items() if k.isascii() and k == " ".join(k.split())}


_ADMIN_EXACT = _as_written(ADMIN_IN)  # _EntryReader.admin
_TYPE_EXACT = _as_written(TYPE_IN)  # _EntryReader.lookup(TYPE_IN, …)
_POS_EXACT = _as_written({p: p for p in PARTS_OF_SPEECH  # _EntryReader.part_of_speech
                          if p == p.lower() and POS_IN.get(p, p) == p})


class _EntryReader:
    """Turns one finished conceptEntry/termEntry element into an InConcept.

    The walk is the import's hot loop (some thirty elements per entry), so element
    names come from a cache keyed by the tag, leaf text is read inline, and review
    records are built once per distinct note (most terms of a file share one).
    """

    def __init__(self, result: ReadResult, default_lang: str | None, fold: bool) -> None:
        self.result = result
        self.own = result.own
        self.default_lang = default_lang
        self.fold = fold
        self.reviews: dict[str, InReview] = {}
        self._note_kinds: dict[str, str] = {}  # for self.own as it is now
        # of the current entry: its terms and definitions by language, example sentences
        self.terms: dict[str, list[InTerm]] = {"en": [], "km": []}
        self.definitions: dict[str, InDefinition] = {}
        # example sentences by language, made when an entry has one (few do)
        self.examples: dict[str, list[str]] | None = None
        self.lang = "en"  # of the language section being read

    def text(self, el: Any) -> str:
        if len(el):
            raw = "".join(el.itertext())
        else:
            raw = el.text
            if raw is None:
                return ""
        if not self.own:
            raw = " ".join(raw.split())
        if raw.isascii():
            return raw
        return khmer.normalize(raw, fold_coeng_da=self.fold)

    def note_text(self, el: Any) -> str:
        """:meth:`text` of a ``<note>``: in our own files, most are short ASCII leaves."""
        content = el.text
        if content is None or not self.own or len(el) or not content.isascii():
            return self.text(el)
        return content

    def skip(self, what: str) -> None:
        self.result.skipped[what] += 1

    def note_kind(self, content: str) -> str:
        """What a term's ``<note>`` is (one of the ``_NOTE`` kinds), decided once per
        distinct note: most notes of a file are the same few."""
        own = self.own
        if (own and content == "glossary:dnt=yes") or is_dnt_note(content):
            what = _DNT
        elif own and content == DEMOTED_NOTE:
            what = _DEMOTED
        elif own and content.startswith(REVIEW_NOTE_PREFIX):
            what = _REVIEW_WORDS
        elif content.startswith(RATIONALE_PREFIX):
            what = _RATIONALE  # the first one; a second is a plain note
        elif is_meta(content, own):
            what = _META
        else:
            what = _NOTE
        if len(self._note_kinds) >= 4096:
            self._note_kinds.clear()
        self._note_kinds[content] = what
        return what

    def entry(self, el: Any) -> InConcept | None:
        own = self.result.own
        if own != self.own:
            self._note_kinds.clear()
        self.own = own
        terms: dict[str, list[InTerm]] = {"en": [], "km": []}
        definitions: dict[str, InDefinition] = {}
        self.terms, self.definitions = terms, definitions
        domains: list[str] = []
        sources = []
        see_also: list[str] = []
        notes: list[str] = []
        status: ConceptStatus | None = None
        self.examples = None
        for child in el:
            name = NAMES[child.tag]
            if name == "langSec" or name == "langSet":
                self.lang_section(child)
                continue
            cat = (child.get("type") or name) if name in TYPED else name
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
                    see_also.append(concept_id(target) if target[0] == "_" else target)
                else:
                    self.skip("crossReference without a target")
            elif name == "note":
                text = self.text(child)
                if own and text.startswith("glossary:status="):
                    status = _enum(ConceptStatus, text[16:])
                elif own and text.startswith(EXAMPLE_NOTE["en"]):
                    self.example("en", text[len(EXAMPLE_NOTE["en"]):])
                elif own and text.startswith(EXAMPLE_NOTE["km"]):
                    self.example("km", text[len(EXAMPLE_NOTE["km"]):])
                else:
                    notes.append(text)
            elif name == "descripGrp":
                self.definition(child, None, concept_level=True)
            elif cat == "definition":
                self.definition((child,), lang_code(child.get(XML_LANG)), concept_level=True)
            else:
                self.skip(f"concept-level {cat}")
        en, km = terms["en"], terms["km"]
        if not (en or km or definitions):
            self.skip("entries with no English or Khmer term")
            return None
        raw_id = el.get("id")
        examples = self.concept_examples()
        return _new(InConcept, (
            concept_id(raw_id) if raw_id else None,
            _new(InLang, (definitions.get("en"), tuple(en))),
            _new(InLang, (definitions.get("km"), tuple(km))),
            tuple(domains) if (domains or own) else None,
            tuple(sources) if (sources or own) else None,
            tuple(see_also) if (see_also or own) else None,
            tuple(notes) if (notes or own) else None,
            status or (ConceptStatus.ACTIVE if own else None),
            el.sourceline,
            examples,
        ))

    def example(self, lang: str, sentence: str) -> None:
        """An example sentence of the entry being read, in ``lang``."""
        if self.examples is None:
            self.examples = {"en": [], "km": []}
        self.examples[lang].append(sentence)

    def concept_examples(self) -> tuple[Example, ...] | None:
        """Example ``n`` is the ``n``-th example sentence of each language."""
        if self.examples is None:  # most concepts
            return () if self.own else None
        en, km = self.examples["en"], self.examples["km"]
        if not en and not km:  # most concepts
            return () if self.own else None
        if len(en) != len(km):
            self.result.skip("example sentences without the other language",
                             abs(len(en) - len(km)))
        found = tuple(Example(e, k) for e, k in zip(en, km, strict=False) if e and k)
        if len(found) < min(len(en), len(km)):
            self.result.skip("empty example sentences", min(len(en), len(km)) - len(found))
        return found if (found or self.own) else None

    def lang_section(self, el: Any) -> None:
        tag = el.get(XML_LANG) or self.default_lang
        code = _lang_code(tag)
        if code is None:
            count = sum(1 for c in el if local(c) in _TERM_ELEMENTS)
            self.result.skip(f"terms in language {tag or '(none)'}", count)
            return
        terms = self.terms[code]
        self.lang = code
        for child in el:
            name = NAMES[child.tag]
            if name in _TERM_ELEMENTS:
                term = self.term(child)
                if term is not None:
                    terms.append(term)
                continue
            if name == "descripGrp":
                self.definition(child, code)
                continue
            cat = (child.get("type") or name) if name in TYPED else name
            if cat == "definition":
                self.definition((child,), code)
            else:
                self.skip(f"language-level {cat}")

    def definition(self, parts: Iterable[Any], code: str | None,
                   concept_level: bool = False) -> None:
        """The definition of ``parts``: a descripGrp (its children), or a lone
        definition element (in a tuple)."""
        text = None
        source = None
        review = None  # a ReviewParts, made for a transaction or a second review note
        meta = None  # the one glossary:review note of most definitions
        notes = self._note_kinds
        for child in parts:
            name = NAMES[child.tag]
            cat = (child.get("type") or name) if name in TYPED else name
            if cat == "definition":
                text = self.text(child)
                if concept_level and code is None:
                    code = lang_code(child.get(XML_LANG) or self.default_lang)
            elif cat == "source":
                source = parse_ref(self.text(child))
                if source is None:
                    self.skip("definition source not in 'doc §section' form")
            elif name == "transacGrp":
                if review is None:
                    review = self.review_parts(meta)
                    meta = None
                review.transaction(child)
            elif name == "note" and (  # is_meta(): the kind of a note, found once
                    notes.get(content := self.note_text(child)) or self.note_kind(content)
            ) is _META:
                if review is None and meta is None:  # the one review note of most
                    meta = content
                else:
                    review, meta = self.meta_note(content, review, meta)
            else:
                self.skip(f"definition {cat}")
        if text is None:
            return
        if code is None:
            self.skip("definitions in another language")
            return
        if code in self.definitions:
            self.skip("second definition in one language")
            return
        if review is None and meta is not None:  # most definitions: a shared review
            record = self.reviews.get(meta) or self.review(None, meta)
        else:
            record = self.review(review, meta)
        self.definitions[code] = _new(InDefinition, (text, source, record, None))

    def term(self, el: Any) -> InTerm | None:
        own = self.own
        names = NAMES
        text = note = admin = kind = pos = context = rationale = None
        admin_seen = demoted = False
        dnt = False if own else None
        review = None  # a ReviewParts, made when more than one review note is read
        meta = None  # the one glossary:review note of most terms
        notes = self._note_kinds
        kids = list(el)
        for child in kids:  # a group's children are spliced in after it
            name = names[child.tag]
            if name not in _TERM_PARTS:  # a data category: termNote (DCA) or its name (DCT)
                cat = (child.get("type") or name) if name in TYPED else name
                if cat == "administrativeStatus":
                    found = None if len(child) else _ADMIN_EXACT.get(child.text)
                    admin = found if found is not None else self.admin(child, cat)
                    admin_seen = True
                elif cat == "termType":
                    found = None if len(child) else _TYPE_EXACT.get(child.text)
                    kind = found if found is not None else self.lookup(TYPE_IN, child, cat)
                elif cat == "partOfSpeech":
                    found = None if len(child) else _POS_EXACT.get(child.text)
                    pos = found if found is not None else self.part_of_speech(child)
                elif cat == "context":
                    context = self.text(child)
                elif cat == "usageStatus":
                    if not admin_seen:
                        admin, admin_seen = self.admin(child, cat), True
                elif cat == "usageNote":  # "Avoid using this term" and the like
                    content = self.text(child)
                    if is_dnt_note(content):
                        dnt = True
                    elif content:
                        note = content if note is None else f"{note}\n{content}"
                elif (said := dnt_of(cat, self.text(child))) is not None:
                    dnt = said  # doNotTranslate, "translation needed: no" …
                else:
                    self.skip(f"term-level {cat}")
            elif name == "note":
                content = child.text  # note_text(), inline
                if content is None or not own or len(child) or not content.isascii():
                    content = self.text(child)
                what = notes.get(content) or self.note_kind(content)
                if what is _DNT:
                    dnt = True
                elif what is _DEMOTED:
                    demoted = True
                elif what is _REVIEW_WORDS:
                    pass  # the review state in words; the glossary:review note holds it
                elif what is _RATIONALE and rationale is None:
                    rationale = content[len(RATIONALE_PREFIX):]
                elif what is _META:
                    if review is None and meta is None:
                        meta = content
                    else:
                        review, meta = self.meta_note(content, review, meta)
                else:
                    note = content if note is None else f"{note}\n{content}"
            elif name == "term":
                text = child.text  # text(), inline for a leaf of our own files in ASCII
                if text is None or not own or len(child) or not text.isascii():
                    text = self.text(child)
            elif name == "transacGrp":
                if review is None:
                    review = self.review_parts(meta)
                    meta = None
                review.transaction(child)
            elif name == "descripGrp":
                found_context: list[str] = []
                self.term_group(child, found_context)
                if found_context:
                    context = found_context[-1]
            else:  # termGrp (ntig), termNoteGrp: their children next, in order
                at = kids.index(child) + 1
                kids[at:at] = list(child)
        if not text:
            self.skip("term elements with no text")
            return None
        if demoted:
            admin = AdminStatus.PREFERRED
        if review is None and meta is not None:  # most terms: a review shared by many
            record = self.reviews.get(meta) or self.review(None, meta)
        else:
            record = self.review(review, meta)
        return _new(InTerm, (text, admin, kind, pos, context, dnt, note, record, rationale,
                              None))

    def review(self, parts: ReviewParts | None, meta: str | None) -> InReview | None:
        """The review record of a term or definition: from its parts, else from its one
        review note (``meta``), else the empty record of our own files."""
        if parts is not None:
            return parts.build()
        if meta is None:
            return EMPTY_REVIEW if self.own else None
        return self.reviews.get(meta) or self.review_parts(meta).build()

    def meta_note(self, content: str, review: ReviewParts | None, meta: str | None
                  ) -> tuple[ReviewParts | None, str | None]:
        """Take a second (or later) glossary:… note of a term or definition: the first
        stays a plain string (``meta``, the common case of one review note, kept by the
        caller), a second one starts a :class:`ReviewParts` that collects them all.
        Returns (review, meta)."""
        if review is None:
            review = self.review_parts(meta)
        review.take(content)
        return review, None

    def review_parts(self, note: str | None) -> ReviewParts:
        """A review record's parts, from ``note`` (a glossary:… note) if there is one."""
        parts = ReviewParts(self)
        if note is not None:
            parts.take(note)
        return parts

    def term_group(self, grp: Any, context: list[str]) -> None:
        """A term-level descripGrp: a context sentence (the concept's example when a
        ``glossary:example`` note marks it in our own files) and its source."""
        sentence = None
        example = False
        for sub in grp:
            sub_name = local(sub)
            sub_cat = (sub.get("type") or sub_name) if sub_name in TYPED else sub_name
            if sub_cat == "context":
                sentence = self.text(sub)
            elif sub_name == "note" and self.own and self.text(sub) == EXAMPLE_MARK:
                example = True
            elif sub_cat != "source":
                self.skip(f"term-level {sub_cat}")
        if sentence is None:
            return
        if example:
            self.example(self.lang, sentence)
        else:
            context.append(sentence)

    def part_of_speech(self, el: Any) -> str:
        pos = self.text(el).lower()
        pos = POS_IN.get(pos, pos)
        if pos not in PARTS_OF_SPEECH:
            self.skip(f"partOfSpeech {pos!r} read as 'other'")
            pos = "other"
        return pos

    def admin(self, el: Any, cat: str) -> AdminStatus | None:
        value = self.text(el)
        found = admin_status(value)
        if found is None:
            self.skip(f"{cat} {value!r}")
        return found

    def lookup(self, table: dict[str, Any], el: Any, cat: str) -> Any:
        value = self.text(el)
        found = table.get(value)
        if found is None:
            self.skip(f"{cat} {value!r}")
        return found


def _enum(enum: Any, value: str | None) -> Any:
    try:
        return enum(value)
    except ValueError:
        return None


# A record made from a tuple of all its fields, without the namedtuples' own __new__ (a
# Python function, with defaults): 0.27 -> 0.11 us a record, eight records a concept;
# reading 2,000 concepts took 1,529 M instructions, 1,506 M so (callgrind).
_new = tuple.__new__

_lang_code = functools.lru_cache(maxsize=256)(lang_code)  # a file has a few languages


def read(path: Path, options: ReadOptions | None = None) -> ReadResult:
    """Read a TBX file (v3 DCA/DCT or v2) into incoming records.

    The file is parsed as a stream and each finished entry is dropped from the tree. With
    ``options.stream`` the records are produced while the caller iterates
    ``result.concepts`` (a parse error is raised then); ``result.own`` and
    ``result.skipped`` are complete once it has been consumed.
    """
    options = options or ReadOptions()
    result = ReadResult(path=path, format="tbx")
    limits.check_file(path, "tbx")  # a regular file within the size limit
    default_lang = safe_xml.check_root(path)

    records = _iter_entries(path, result, _EntryReader(result, default_lang,
                                                            options.fold_coeng_da))
    result.concepts = (records if options.stream  # type: ignore[assignment]
                       else list(records))
    return result


def _iter_entries(path: Path, result: ReadResult, reader: _EntryReader
                  ) -> Iterator[InConcept]:
    with safe_xml.errors_located(path):
        for name, el in safe_xml.elements(path, _HEADER_TAGS, _ENTRY_TAGS):
            if name in ("tbxHeader", "martifHeader"):
                result.own = any(
                    local(p) == "p" and p.get("type") == "generator"
                    and (p.text or "").strip() == GENERATOR for p in el.iter()
                )
                continue
            record = reader.entry(el)
            if record is not None:
                yield record
