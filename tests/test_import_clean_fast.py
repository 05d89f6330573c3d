"""The fast paths of the cleaning boundary (glossary/imports/clean.py) against the rule
as it reads in full: every term, text, name and whole record comes out the same, or is
refused with the same words and place, on real Khmer strings, on raw (typed-order) Khmer
and on the edge cases (controls, separators, zero-width characters, long texts)."""

from __future__ import annotations

from collections.abc import Callable, Container
from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from glossary import khmer
from glossary.errors import FormatError
from glossary.imports import clean
from glossary.imports.clean import NAME_MAX, TERM_MAX, TEXT_MAX, Where, _check, lost_letters
from glossary.imports.records import InConcept, InDefinition, InLang, InReview, InTerm
from glossary.model import ReviewState, SourceRef
from tests.test_khmer import any_text

# --------------------------------------------------------------------------- the full rule
# (the boundary as it was written before its fast paths: every text checked, normalized
# and rebuilt, a place made for every field)


def slow_term(text: str, where: Where, fold: bool) -> str:
    _check(text, where, TERM_MAX * 4, "term")
    cleaned = khmer.clean_term(text, fold_coeng_da=fold)  # the project's coeng-da rule
    _check(cleaned, where, TERM_MAX, "term")
    return cleaned


def slow_text(value: str, where: Where, fold: bool, limit: int = TEXT_MAX) -> str:
    value = value.replace("\r\n", "\n")
    _check(value, where, limit, "text")
    return khmer.normalize(value, fold_coeng_da=fold)


def slow_name(value: str | None, where: Where) -> str | None:
    if value is None:
        return None
    _check(value, where, NAME_MAX, "name")
    return " ".join(value.split()) or None


def _slow_opt(value: str | None, where: Where, fold: bool) -> str | None:
    return slow_text(value, where, fold) if value is not None else None


def _slow_review(review: InReview | None, where: Where, fold: bool) -> InReview | None:
    if review is None:
        return None
    return review._replace(
        origin=slow_name(review.origin, where.field(f"{where.what} origin")),
        proposed_by=slow_name(review.proposed_by, where.field(f"{where.what} proposed_by")),
        approved_by=slow_name(review.approved_by, where.field(f"{where.what} approved_by")),
        note=_slow_opt(review.note, where.field(f"{where.what} review_note"), fold))


def _slow_ref(ref: SourceRef, where: Where, fold: bool) -> SourceRef:
    _check(ref.doc + ref.section, where, NAME_MAX, "reference")
    return SourceRef(ref.doc, ref.section, ref.page, _slow_opt(ref.note, where, fold))


def _own_line(where: Where, line: int | None) -> Where:
    return where if line is None else where._replace(line=line)


def _slow_lang(section: InLang, code: str, where: Where, fold: bool,
               skip: Callable[[str], None], known: Container[str]) -> InLang:
    definition = section.definition
    if definition is not None and not khmer.clean_term(definition.text):
        skip("definitions empty once invisible characters are removed")
        definition = None
    if definition is not None:  # a definition, a term: named on its own line if it has one
        at = _own_line(where, definition.line).field(f"{code} definition")
        text = slow_text(definition.text, at, fold,
                         limit=1 << 62 if definition.text in known else TEXT_MAX)
        if code == "km":
            lost_letters(text, at)
        definition = InDefinition(
            text=text,
            source=_slow_ref(definition.source, at, fold) if definition.source else None,
            review=_slow_review(definition.review, at, fold), line=definition.line)
    terms = []
    for i, item in enumerate(section.terms):
        at = _own_line(where, item.line).field(f"{code} term {i + 1}")
        cleaned = slow_term(item.text, at, fold)
        if code == "km":
            lost_letters(cleaned, at)
        if not cleaned:
            skip("terms empty once invisible characters are removed")
            continue
        terms.append(item._replace(
            text=cleaned, pos=slow_name(item.pos, at),
            context=_slow_opt(item.context, at.field(f"{code} term {i + 1} context"), fold),
            note=_slow_opt(item.note, at.field(f"{code} term {i + 1} note"), fold),
            rationale=_slow_opt(item.rationale, at.field(f"{code} term {i + 1} rationale"),
                                fold),
            review=_slow_review(item.review, at, fold)))
    return InLang(definition=definition, terms=tuple(terms))


def slow_concept(record: InConcept, path: Path | None, fold: bool,
                 skip: Callable[[str], None], known: Container[str]) -> InConcept:
    where = Where(path, record.line, "concept")
    if record.id is not None:
        _check(record.id, where.field("concept id"), NAME_MAX, "concept id")
    for key in ("domains", "see_also"):
        for value in getattr(record, key) or ():
            _check(value, where.field(key), NAME_MAX, key.replace("_", "-"))
    notes = record.notes
    if notes is not None:
        notes = tuple(t for t in (slow_text(n, where.field("concept note"), fold).strip()
                                  for n in notes) if t)
    sources = record.sources
    if sources is not None:
        sources = tuple(_slow_ref(r, where.field("sources"), fold) for r in sources)
    return record._replace(en=_slow_lang(record.en, "en", where, fold, skip, known),
                           km=_slow_lang(record.km, "km", where, fold, skip, known),
                           notes=notes, sources=sources)


# --------------------------------------------------------------------------- inputs

REAL_KHMER = ["បញ្ញាសិប្បនិម្មិត", "ទិន្នន័យ", "អភិបាលកិច្ច", "ម៉ូដែល", "ហានិភ័យ",
              "ប្រព័ន្ធ AI", "ការរៀនម៉ាស៊ីន", "ខ្មែរ"]
RAW_KHMER = ["ខែ្មរ", "\u1780\u17c1\u17b8", "\u1780\u17d2\u178a", "ក\u200bខ", "ក\u200cា"]
EDGES = ["", " ", "  a  b ", "\t", "a\nb", "a\r\nb", "a\rb", "\u00a0x\u202f", "\ufeff",
         "\u200b", "\u200d", "\u2060", "\u00ad", "\x1b[31m", "\x85", "\u2028", "\u202e",
         "\ufffe", "\uffff", "\ud800", "\u2061", "Ａ", "e\u0301", "=\u0338",
         "x" * (TERM_MAX + 1), "x" * (NAME_MAX + 1), "x" * (TERM_MAX * 4 + 1),
         "ក" * (TERM_MAX + 1), "ក" * (TERM_MAX * 4 + 1), "a" * (TEXT_MAX + 1),
         "ក\u200b" * (TERM_MAX // 2 + 1), "??", "?", "\ufffd"]
pieces = st.one_of(st.sampled_from(REAL_KHMER + RAW_KHMER + EDGES), any_text,
                   st.text(max_size=8))
texts = st.lists(pieces, max_size=4).map("".join)
maybe = st.one_of(st.none(), texts)
PROPS = settings(max_examples=400, deadline=None, database=None)


def _outcome(func: Callable[..., object], *args: object) -> object:
    try:
        return ("ok", func(*args))
    except FormatError as exc:
        return ("refused", str(exc), exc.path, exc.line, exc.hint)


WHERE = Where(Path("file.tbx"), 12, "km term 1")


@PROPS
@given(texts, st.booleans())
def test_term_agrees_with_the_full_rule(text: str, fold: bool) -> None:
    assert _outcome(clean.term, text, WHERE, fold) == \
        _outcome(slow_term, text, WHERE, fold)


@PROPS
@given(texts, st.booleans(), st.sampled_from([TEXT_MAX, 10, 1 << 62]))
def test_text_agrees_with_the_full_rule(value: str, fold: bool, limit: int) -> None:
    assert _outcome(clean.text, value, WHERE, fold, limit) == \
        _outcome(slow_text, value, WHERE, fold, limit)


@PROPS
@given(maybe)
def test_name_agrees_with_the_full_rule(value: str | None) -> None:
    assert _outcome(clean.name, value, WHERE) == \
        _outcome(slow_name, value, WHERE)


def test_edge_cases_and_real_khmer_agree_with_the_full_rule() -> None:
    for value in REAL_KHMER + RAW_KHMER + EDGES:
        for fold in (True, False):
            assert _outcome(clean.term, value, WHERE, fold) == \
                _outcome(slow_term, value, WHERE, fold), value
            assert _outcome(clean.text, value, WHERE, fold) == \
                _outcome(slow_text, value, WHERE, fold), value
        assert _outcome(clean.name, value, WHERE) == \
            _outcome(slow_name, value, WHERE), value


reviews = st.one_of(st.none(), st.builds(
    InReview, st.sampled_from([None, *ReviewState]), maybe, maybe,
    st.sampled_from([None, date(2026, 1, 31)]), maybe, st.none(), maybe))
own_lines = st.sampled_from([None, 9])  # a term's or definition's row (CSV, XLSX)
terms = st.builds(InTerm, texts, pos=maybe, context=maybe, note=maybe, review=reviews,
                  rationale=maybe, line=own_lines)
refs = st.builds(SourceRef, st.sampled_from(["doc", "doc\u202e", "d" * 199]),
                 st.sampled_from(["1", "2.3"]), st.sampled_from([None, 4]), maybe)
definitions = st.one_of(st.none(), st.builds(InDefinition, texts,
                                             st.one_of(st.none(), refs), reviews, own_lines))
langs = st.builds(InLang, definitions, st.lists(terms, max_size=3).map(tuple))
records = st.builds(
    InConcept, st.one_of(st.none(), st.sampled_from(["c-1", "c\x00", "x" * 201])),
    langs, langs, st.one_of(st.none(), st.lists(texts, max_size=2).map(tuple)),
    st.one_of(st.none(), st.lists(refs, max_size=2).map(tuple)),
    st.one_of(st.none(), st.lists(texts, max_size=2).map(tuple)),
    st.one_of(st.none(), st.lists(texts, max_size=2).map(tuple)),
    line=st.sampled_from([None, 7]))


@settings(max_examples=400, deadline=None, database=None)
@given(records, st.booleans(), st.booleans())
def test_a_whole_record_agrees_with_the_full_rule(record: InConcept, fold: bool,
                                                  known_definition: bool) -> None:
    known = {record.en.definition.text} if (known_definition and record.en.definition) \
        else set()
    fast_skips: list[str] = []
    slow_skips: list[str] = []
    path = Path("file.tbx")
    fast = _outcome(clean.concept, record, path, fold, fast_skips.append, known)
    slow = _outcome(slow_concept, record, path, fold, slow_skips.append, known)
    assert fast == slow
    if fast[0] == "ok":
        assert fast_skips == slow_skips


def test_a_record_of_stored_text_comes_back_as_it_is() -> None:
    # the common case of an export of the glossary: nothing to clean, nothing rebuilt
    review = InReview(state=ReviewState.PROPOSED, origin="human")
    record = InConcept(
        "c-1", InLang(InDefinition("a definition.", None, review),
                      (InTerm("data", pos="noun", review=review),)),
        InLang(InDefinition("និយមន័យ", None, review),
               (InTerm("ទិន្នន័យ", pos="noun", review=review),)),
        ("AI",), (), (), (), line=3)
    assert clean.concept(record, None) is record
    assert clean.concept(record, None) == slow_concept(record, None, True, print, ())


def test_a_cleaned_review_is_shared_but_a_refusal_names_each_place() -> None:
    bad = InReview(origin="a\u202eb")
    record = InConcept("c-1", InLang(None, (InTerm("x", review=bad),)))
    for line in (3, 9):  # the refusal is never remembered: each names its own line
        outcome = _outcome(clean.concept, record._replace(line=line), Path("f.tbx"))
        assert outcome[0] == "refused" and outcome[3] == line
        assert "en term 1 origin" in str(outcome[1])


def test_a_cleaned_review_is_remembered_per_fold_setting() -> None:
    review = InReview(note="\u1780\u17d2\u178a")  # a coeng-da: folded or kept
    record = InConcept("c-1", InLang(None, (InTerm("x", review=review),)))
    for fold in (True, False, True):
        got = clean.concept(record, None, fold).en.terms[0].review
        assert got == _slow_review(review, WHERE, fold)
    assert clean.concept(record, None, True).en.terms[0].review != \
        clean.concept(record, None, False).en.terms[0].review


STORED_TERMS = ["ទិន្នន័យ", " ទិន្នន័យ  ម៉ូដែល ", "\u1780\u17d2\u178a",  # a coeng-da: kept
                "ក\u17d2\u178aក", "ក" * TERM_MAX, "ក " * (TERM_MAX // 2), "ខ្មែរ\u00a0AI",
                "\u1780\u17c1\u17b8", "ក\u200bខ"]
DEFINITIONS = ["", " ", "   ", "a definition.", "និយមន័យ", " " * (TEXT_MAX + 1),
               "a" * TEXT_MAX, "a" * (TEXT_MAX + 1), "ក" * (TEXT_MAX + 1), "\u200b",
               "\u200b \u200b", "x\x00", "\u1780\u17d2\u178a" * 3]


def test_stored_terms_definitions_and_parts_of_speech_agree_with_the_full_rule() -> None:
    # the inline paths of _lang(): a printable term in the stored form (under either fold
    # setting, which clean_term() keeps), a definition looked at once
    # (empty, at and over the limit, the glossary's own), a known part of speech kept
    for fold in (True, False):
        for known_def in (False, True):
            for definition in DEFINITIONS:
                for pos in (None, "noun", " noun", "verb\u202e", "other"):
                    terms = tuple(InTerm(t, pos=pos) for t in STORED_TERMS)
                    record = InConcept("c-1", InLang(InDefinition(definition), terms),
                                       InLang(InDefinition(definition), terms), line=5)
                    known = {definition} if known_def else set()
                    fast_skips: list[str] = []
                    slow_skips: list[str] = []
                    fast = _outcome(clean.concept, record, Path("f.tbx"), fold,
                                    fast_skips.append, known)
                    slow = _outcome(slow_concept, record, Path("f.tbx"), fold,
                                    slow_skips.append, known)
                    assert fast == slow, (fold, known_def, definition, pos)
                    assert fast_skips == slow_skips
