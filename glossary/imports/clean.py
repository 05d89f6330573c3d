"""The one cleaning boundary for incoming text: every importer (PO, TBX, CSV, XLSX) and
``glossary new`` pass what they read through here before it can reach ``terms/``.

* **Cleaned** (silently, as a typist would expect): Unicode and Khmer normalization
  (:func:`glossary.khmer.normalize`); in a term, zero-width characters are removed, a
  no-break space, tab or line break becomes a space, and runs of spaces fold
  (:func:`glossary.khmer.clean_term`); in longer text (definitions, notes, contexts,
  a term's rationale),
  ``\\r\\n`` becomes ``\\n``.
* **Refused** with the file, line (or row, entry) and field: C0 and C1 control characters
  (U+0085 NEXT LINE too), U+2028 / U+2029, bidirectional embeddings, overrides, isolates
  and marks, noncharacters (U+FFFF …), lone surrogates and invisible operators
  (:func:`glossary.khmer.refused_chars`); a term longer than :data:`TERM_MAX` or a text
  longer than :data:`TEXT_MAX` characters; Khmer text whose letters an encoding lost
  (:func:`lost_letters`). A refusal stops the import before anything is
  written, so ``terms/`` is unchanged and ``glossary check`` stays clean.
* **Evidence** (a PO entry's msgctxt and msgid, quoted in a review note) is never a
  reason to refuse a file: :func:`evidence` shows a refused character as ``<U+XXXX>``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container
from pathlib import Path
from typing import NamedTuple

from glossary import khmer
from glossary.errors import FormatError, ReviewError
from glossary.imports.records import InConcept, InDefinition, InLang, InReview
from glossary.model import PARTS_OF_SPEECH, SourceRef

TERM_MAX = 200  # characters: the longest term of the shipped glossary has 57
TEXT_MAX = 5_000  # definitions, notes, contexts, rationales: the longest definition has 322
NAME_MAX = 200  # a person's name in a review record, an origin
_NO_LIMIT = 1 << 62


class Where(NamedTuple):
    """Where a text comes from, for the message of a refusal (a named tuple: one is
    made per field of every incoming record, so it must be cheap)."""

    path: Path | None
    line: int | None = None
    what: str = "text"

    def field(self, what: str) -> Where:
        return Where(self.path, self.line, what)


def _refuse(where: Where, message: str, hint: str) -> FormatError:
    return FormatError(f"{where.what}: {message}", path=where.path, line=where.line, hint=hint)


def _check(text: str, where: Where, limit: int, kind: str) -> None:
    found = khmer.refused_chars(text)
    if found:
        at, ch = found[0]
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        raise _refuse(where, f"contains {khmer.char_name(ch)} at character {at + 1}{more}",
                      "remove it from the file (control, bidi and separator characters "
                      "are not text), then import again" if where.path is not None else
                      "remove it: control, bidi and separator characters are not text")
    if len(text) > limit:
        raise _refuse(where, f"is {len(text):,} characters long; a {kind} has at most "
                      f"{limit:,}", f"shorten it, or check the {kind} column of that row")


def _fine(text: str, limit: int) -> bool:
    """Whether :func:`_check` passes ``text``, at C speed: a printable text has no refused
    character (see :func:`glossary.khmer.refused_chars`). False means "ask _check"."""
    return len(text) <= limit and text.isprintable()


def term(text: str, where: Where, fold_coeng_da: bool = True) -> str:
    """A term as stored, or a located refusal (see the module docstring)."""
    if text.isascii() and len(text) <= TERM_MAX and text.isprintable():
        return " ".join(text.split())  # what the rule below gives printable ASCII
    _check(text, where, max(TERM_MAX * 4, TERM_MAX), "term")  # before folding: bounded work
    cleaned = khmer.clean_term(text, fold_coeng_da=fold_coeng_da)
    _check(cleaned, where, TERM_MAX, "term")
    return cleaned


def lost_letters(text: str, where: Where) -> None:
    """Refuse Khmer text whose letters a wrong encoding replaced: Excel's "CSV (Comma
    delimited)" writes a Windows code page, which has no Khmer letters, and puts ``?`` for
    each one (ភាព → ``???``); a decoder that gives up puts U+FFFD. Two question marks in a
    row, a text of question marks alone, or U+FFFD is never Khmer."""
    if ("?" in text or "\ufffd" in text) and (
            "??" in text or "\ufffd" in text or not text.strip("? ")):
        raise _refuse(where, f"is {text[:40]!r}: question marks where Khmer letters were",
                      "the file was saved in an encoding without Khmer letters (a "
                      "Windows code page, as Excel's 'CSV (Comma delimited)' writes): save "
                      "it as UTF-8 ('CSV UTF-8' in Excel), then import again"
                      if where.path is not None
                      else "type the Khmer letters (a terminal or shell without Khmer "
                      "sends question marks)")


#: A Khmer term kept in English (AI, GenAI, deepfake, 3D): ASCII letters and digits, with
#: spaces, hyphens, dots or slashes between them. Text typed in a legacy Khmer font such
#: as Limon maps its letters to Latin-1 and to punctuation ([ ] ; ' | ...), which this
#: does not take.
_ENGLISH = re.compile(r"[A-Za-z0-9]+(?:[ ./-][A-Za-z0-9]+)*")


def khmer_term(text: str, where: Where, fold_coeng_da: bool = True) -> str:
    """A Khmer term typed by a person (``glossary new --km``): :func:`term`, and a vowel or
    sign that follows no consonant (ែខ្មរ typed as it is seen, for ខ្មែរ) is refused, as the
    PO review refuses it, rather than stored to show a dotted circle."""
    cleaned = term(text, where, fold_coeng_da)
    lost_letters(cleaned, where)
    if cleaned and not khmer.has_khmer(cleaned) and not _ENGLISH.fullmatch(cleaned):
        raise _refuse(where, f"is {cleaned!r}: no Khmer letters, and not an English word or "
                      "acronym kept in English", "typed in a legacy font such as Limon? retype "
                      "it in Unicode Khmer")
    found = khmer.marks_without_base(cleaned)
    if found:
        raise _refuse(where, f"{khmer.char_name(cleaned[found[0]])} at character "
                      f"{found[0] + 1} follows no consonant",
                      "type the consonant first, then its vowel or sign (ខ្មែរ, not ែខ្មរ)")
    return cleaned


def text(value: str, where: Where, fold_coeng_da: bool = True, limit: int = TEXT_MAX) -> str:
    """A definition, note or context as stored, or a located refusal."""
    if not _fine(value, limit):  # printable text has no \r\n to replace
        value = value.replace("\r\n", "\n")
        _check(value, where, limit, "text")
    return khmer.normalize(value, fold_coeng_da=fold_coeng_da)


def name(value: str | None, where: Where) -> str | None:
    """A person's name or an origin: one line."""
    if value is None:
        return None
    if not _fine(value, NAME_MAX):
        _check(value, where, NAME_MAX, "name")
    return " ".join(value.split()) or None


def person(value: str | None, missing: str) -> str:
    """The name a decision or an accepted import is recorded under (``--by``):
    :func:`name`, normalized, and required. A ReviewError says ``missing`` when there is none, or
    which character is not text (a control or bidi character, a noncharacter)."""
    try:
        found = name(value, Where(None, None, "--by"))
    except FormatError as exc:
        raise ReviewError(exc.message, hint="pass the name as plain text") from exc
    if found is None:
        raise ReviewError(missing, hint="pass --by NAME")
    return khmer.normalize(found)  # as terms/ stores it, so the name said is the one kept


def evidence(value: str | None) -> str | None:
    """A file's own words quoted as evidence: refused characters shown, never refused."""
    if value is None:
        return None
    shown = "".join(f"<U+{ord(c):04X}>" if khmer.refused_chars(c) else c for c in value)
    return shown[:TERM_MAX * 2]


# --------------------------------------------------------------------------- records
#
# concept() runs on every record of a file (a million texts in a file of 100,000
# concepts). The rules are the functions above; the helpers below only skip work whose
# result is known: a text that _fine() passes is not checked again, a Where is made only
# when a rule must refuse (the helper then asks the rule, which raises with the place), a
# review record is cleaned once per distinct record (most terms of a file share a few),
# and a record whose texts come out unchanged is returned as it is. In _lang() the
# definition and each term's part of speech take that path inline, and the name of the
# field (an f-string) is made only when the rule must look again: cleaning the records
# of the 10,000-concept export took 0.18 s with a helper call each, 0.14 s so. Each text
# is looked at once: a definition is checked and normalized once (the emptiness test
# reuses that normalization), a printable Khmer term in the stored form is not handed
# to clean_term(), and a part of speech the model knows is kept as it is: 7.3 -> 5.5 us
# a record of that export (tests/test_import_clean_fast.py holds them to the full rule).


def _text_at(value: str, where: Where, what: str, fold: bool, limit: int = TEXT_MAX) -> str:
    """:func:`text` of ``value`` at ``where.field(what)``."""
    if _fine(value, limit):
        return khmer.normalize(value, fold_coeng_da=fold)
    return text(value, where.field(what), fold, limit)


def _name_at(value: str | None, where: Where, what: str) -> str | None:
    """:func:`name` of ``value`` at ``where.field(what)``."""
    if value is None:
        return None
    if _fine(value, NAME_MAX):
        return " ".join(value.split()) or None
    return name(value, where.field(what))


def _term_at(value: str, where: Where, code: str, number: int, fold: bool) -> str:
    """:func:`term` of ``value``, the ``number``-th term in language ``code`` (a place
    named only for a refusal)."""
    if value.isascii() and len(value) <= TERM_MAX and value.isprintable():
        return " ".join(value.split())
    if len(value) <= TERM_MAX and value.isprintable() \
            and khmer.normalize(value, fold_coeng_da=fold) == value:
        # printable and in the stored form (most Khmer terms of a file): clean_term() would
        # only fold its spaces, and what that gives is printable and no longer than the
        # text: one check instead of three
        return " ".join(value.split())
    if _fine(value, TERM_MAX * 4):
        cleaned = khmer.clean_term(value, fold_coeng_da=fold)
        if _fine(cleaned, TERM_MAX):
            return cleaned
    return term(value, where.field(f"{code} term {number}"), fold)


# cleaned review records, by the fold setting they were cleaned with
_REVIEWS: dict[bool, dict[InReview, InReview]] = {True: {}, False: {}}


def _review(review: InReview | None, where: Where, what: str, fold: bool
            ) -> InReview | None:
    if review is None:
        return None
    cleaned = _REVIEWS[fold]
    found = cleaned.get(review)
    if found is None:  # cleaned once; a refusal raises and is not kept
        found = review._replace(
            origin=_name_at(review.origin, where, f"{what} origin"),
            proposed_by=_name_at(review.proposed_by, where, f"{what} proposed_by"),
            approved_by=_name_at(review.approved_by, where, f"{what} approved_by"),
            note=None if review.note is None else _text_at(review.note, where,
                                                           f"{what} review_note", fold))
        if found == review:
            found = review
        if len(cleaned) >= 4096:
            cleaned.clear()
        cleaned[review] = found
    return found


def _ref(ref: SourceRef, where: Where, what: str, fold: bool) -> SourceRef:
    place = ref.doc + ref.section
    if not (len(place) <= NAME_MAX and place.isprintable()):  # _fine(), inline
        _check(place, where.field(what), NAME_MAX, "reference")
    if ref.note is None:  # most references: nothing more to clean
        return ref
    note = _text_at(ref.note, where, what, fold)
    return ref if note == ref.note else SourceRef(ref.doc, ref.section, ref.page, note)


# The parts of speech a term may have, which name() returns as they are: a term's part
# of speech is one of them in most files, kept without a look at its characters.
_PLAIN_POS = frozenset(p for p in PARTS_OF_SPEECH
                       if len(p) <= NAME_MAX and p.isprintable() and " ".join(p.split()) == p)


def _lang(section: InLang, code: str, where: Where, fold: bool,
          skip: Callable[[str], None], known: Container[str]) -> InLang:
    definition = section.definition
    reviews = _REVIEWS[fold]
    if definition is not None:
        value, source, review, line = definition
        at = where if line is None else Where(where.path, line, where.what)
        if value.isprintable():  # the common case: one look at it, one normalization
            cleaned = khmer.normalize(value, fold_coeng_da=fold)
            # empty once cleaned, as clean_term() would tell (folding coeng-da or not
            # changes no space); the length limit spares the glossary's own definitions
            empty = cleaned == "" or cleaned.isspace()
            if not empty and len(value) > TEXT_MAX and value not in known:
                cleaned = text(value, at.field(f"{code} definition"), fold)  # refused
        else:
            empty = not khmer.clean_term(value)
            if not empty:
                cleaned = text(value, at.field(f"{code} definition"), fold,
                               _NO_LIMIT if value in known else TEXT_MAX)
        if empty:
            skip("definitions empty once invisible characters are removed")
            definition = None
        else:
            if code == "km":
                lost_letters(cleaned, at.field("km definition"))
            if source:
                source = _ref(source, at, f"{code} definition", fold)
            if review is not None:
                review = reviews.get(review) or _review(review, at, f"{code} definition",
                                                        fold)
            if (cleaned != value or source != definition.source
                    or review != definition.review):
                definition = InDefinition(cleaned, source, review, line)
    terms = []
    changed = definition is not section.definition
    for i, item in enumerate(section.terms):
        value, _admin, _kind, pos, context, _dnt, note, review, rationale, line = item
        at = where if line is None else Where(where.path, line, where.what)
        if value.isascii() and len(value) <= TERM_MAX and value.isprintable():
            cleaned = " ".join(value.split())  # what _term_at() gives: the common case inline
        else:
            cleaned = _term_at(value, at, code, i + 1, fold)
        if code == "km":
            lost_letters(cleaned, at.field(f"km term {i + 1}"))
        if not cleaned:
            skip("terms empty once invisible characters are removed")
            changed = True
            continue
        same = cleaned == value
        if pos is not None and pos not in _PLAIN_POS:  # _name_at(), the common case inline
            if len(pos) <= NAME_MAX and pos.isprintable():
                folded = " ".join(pos.split()) or None
            else:
                folded = name(pos, at.field(f"{code} term {i + 1}"))
            if folded != pos:
                pos, same = folded, False
        if context is not None:
            value = _text_at(context, at, f"{code} term {i + 1} context", fold)
            if value != context:
                context, same = value, False
        if note is not None:
            value = _text_at(note, at, f"{code} term {i + 1} note", fold)
            if value != note:
                note, same = value, False
        if rationale is not None:
            value = _text_at(rationale, at, f"{code} term {i + 1} rationale", fold)
            if value != rationale:
                rationale, same = value, False
        if review is not None:
            value_review = reviews.get(review) or _review(
                review, at, f"{code} term {i + 1}", fold)
            if value_review != review:
                review, same = value_review, False
        if not same:
            item = item._replace(text=cleaned, pos=pos, context=context, note=note,
                                 rationale=rationale, review=review)
            changed = True
        terms.append(item)
    if not changed:
        return section
    return InLang(definition=definition, terms=tuple(terms))


def _ignore(reason: str) -> None:
    pass


def concept(record: InConcept, path: Path | None, fold_coeng_da: bool = True,
            skip: Callable[[str], None] = _ignore, known: Container[str] = ()) -> InConcept:
    """Every text of an incoming concept record, cleaned or refused (with its place);
    a term or definition that is empty once cleaned is dropped (``skip(reason)``). The
    length limit spares a definition in ``known`` (the glossary's own: an export of a
    long definition comes back unchanged)."""
    where = tuple.__new__(Where, (path, record.line, "concept"))  # Where(…) without its
    # Python __new__ and defaults: 0.16 us less a record
    fold = fold_coeng_da
    if record.id is not None and not _fine(record.id, NAME_MAX):
        _check(record.id, where.field("concept id"), NAME_MAX, "concept id")
    for value in record.domains or ():
        if not (len(value) <= NAME_MAX and value.isprintable()):  # _fine(), inline
            _check(value, where.field("domains"), NAME_MAX, "domains")
    for value in record.see_also or ():
        if not (len(value) <= NAME_MAX and value.isprintable()):
            _check(value, where.field("see_also"), NAME_MAX, "see-also")
    notes = record.notes
    if notes:
        notes = tuple(t for t in (_text_at(n, where, "concept note", fold).strip()
                                  for n in notes) if t)
    sources = record.sources
    if sources:
        sources = tuple([_ref(r, where, "sources", fold) for r in sources])
    en = _lang(record.en, "en", where, fold, skip, known)
    km = _lang(record.km, "km", where, fold, skip, known)
    if en is record.en and km is record.km and notes == record.notes \
            and sources == record.sources:
        return record
    return record._replace(en=en, km=km, notes=notes, sources=sources)
