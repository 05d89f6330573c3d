"""The one cleaning boundary for incoming text: every importer (PO, TBX, CSV, XLSX) and
``glossary new`` pass what they read through here before it can reach ``terms/``.

* **Cleaned** (silently, as a typist would expect): Unicode and Khmer normalization
  (:func:`glossary.khmer.normalize`); in a term, zero-width characters are removed, a
  no-break space, tab or line break becomes a space, and runs of spaces fold
  (:func:`glossary.khmer.clean_term`); in longer text (definitions, notes, contexts),
  ``\\r\\n`` becomes ``\\n``.
* **Refused** with the file, line (or row, entry) and field: C0 and C1 control characters
  (U+0085 NEXT LINE too), U+2028 / U+2029, bidirectional embeddings, overrides, isolates
  and marks, noncharacters (U+FFFF …), lone surrogates and invisible operators
  (:func:`glossary.khmer.refused_chars`); a term longer than :data:`TERM_MAX` or a text
  longer than :data:`TEXT_MAX` characters. A refusal stops the import before anything is
  written, so ``terms/`` is unchanged and ``glossary check`` stays clean.
* **Evidence** (a PO entry's msgctxt and msgid, quoted in a review note) is never a
  reason to refuse a file: :func:`evidence` shows a refused character as ``<U+XXXX>``.
"""

from __future__ import annotations

from collections.abc import Callable, Container
from pathlib import Path
from typing import NamedTuple

from glossary import khmer
from glossary.errors import FormatError
from glossary.imports.records import InConcept, InDefinition, InLang, InReview
from glossary.model import SourceRef

TERM_MAX = 200  # characters: the longest term of the shipped glossary has 57
TEXT_MAX = 5_000  # definitions, notes, contexts: the longest definition has 322
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
                      "are not text), then import again")
    if len(text) > limit:
        raise _refuse(where, f"is {len(text):,} characters long; a {kind} has at most "
                      f"{limit:,}", f"shorten it, or check the {kind} column of that row")


def term(text: str, where: Where, fold_coeng_da: bool = True) -> str:
    """A term as stored, or a located refusal (see the module docstring)."""
    _check(text, where, max(TERM_MAX * 4, TERM_MAX), "term")  # before folding: bounded work
    cleaned = khmer.clean_term(khmer.normalize(text, fold_coeng_da=fold_coeng_da))
    _check(cleaned, where, TERM_MAX, "term")
    return cleaned


def khmer_term(text: str, where: Where, fold_coeng_da: bool = True) -> str:
    """A Khmer term typed by a person (``glossary new --km``): :func:`term`, and a vowel or
    sign that follows no consonant (ែខ្មរ typed as it is seen, for ខ្មែរ) is refused, as the
    PO review refuses it, rather than stored to show a dotted circle."""
    cleaned = term(text, where, fold_coeng_da)
    found = khmer.marks_without_base(cleaned)
    if found:
        raise _refuse(where, f"{khmer.char_name(cleaned[found[0]])} at character "
                      f"{found[0] + 1} follows no consonant",
                      "type the consonant first, then its vowel or sign (ខ្មែរ, not ែខ្មរ)")
    return cleaned


def text(value: str, where: Where, fold_coeng_da: bool = True, limit: int = TEXT_MAX) -> str:
    """A definition, note or context as stored, or a located refusal."""
    value = value.replace("\r\n", "\n")
    _check(value, where, limit, "text")
    return khmer.normalize(value, fold_coeng_da=fold_coeng_da)


def name(value: str | None, where: Where) -> str | None:
    """A person's name or an origin: one line."""
    if value is None:
        return None
    _check(value, where, NAME_MAX, "name")
    return " ".join(value.split()) or None


def evidence(value: str | None) -> str | None:
    """A file's own words quoted as evidence: refused characters shown, never refused."""
    if value is None:
        return None
    shown = "".join(f"<U+{ord(c):04X}>" if khmer.refused_chars(c) else c for c in value)
    return shown[:TERM_MAX * 2]


# --------------------------------------------------------------------------- records


def _opt(value: str | None, where: Where, fold: bool) -> str | None:
    return text(value, where, fold) if value is not None else None


def _review(review: InReview | None, where: Where, fold: bool) -> InReview | None:
    if review is None:
        return None
    return review._replace(
        origin=name(review.origin, where.field(f"{where.what} origin")),
        proposed_by=name(review.proposed_by, where.field(f"{where.what} proposed_by")),
        approved_by=name(review.approved_by, where.field(f"{where.what} approved_by")),
        note=_opt(review.note, where.field(f"{where.what} review_note"), fold))


def _ref(ref: SourceRef, where: Where, fold: bool) -> SourceRef:
    _check(ref.doc + ref.section, where, NAME_MAX, "reference")
    return SourceRef(ref.doc, ref.section, ref.page, _opt(ref.note, where, fold))


def _lang(section: InLang, code: str, where: Where, fold: bool,
          skip: Callable[[str], None], known: Container[str]) -> InLang:
    definition = section.definition
    if definition is not None and not khmer.clean_term(definition.text):
        skip("definitions empty once invisible characters are removed")
        definition = None
    if definition is not None:
        at = where.field(f"{code} definition")
        definition = InDefinition(  # a definition the glossary holds already is no news
            text=text(definition.text, at, fold,
                      limit=_NO_LIMIT if definition.text in known else TEXT_MAX),
            source=_ref(definition.source, at, fold) if definition.source else None,
            review=_review(definition.review, at, fold))
    terms = []
    for i, item in enumerate(section.terms):
        at = where.field(f"{code} term {i + 1}")
        cleaned = term(item.text, at, fold)
        if not cleaned:
            skip("terms empty once invisible characters are removed")
            continue
        terms.append(item._replace(
            text=cleaned,
            pos=name(item.pos, at),
            context=_opt(item.context, at.field(f"{code} term {i + 1} context"), fold),
            note=_opt(item.note, at.field(f"{code} term {i + 1} note"), fold),
            review=_review(item.review, at, fold)))
    return InLang(definition=definition, terms=tuple(terms))


def _ignore(reason: str) -> None:
    pass


def concept(record: InConcept, path: Path | None, fold_coeng_da: bool = True,
            skip: Callable[[str], None] = _ignore, known: Container[str] = ()) -> InConcept:
    """Every text of an incoming concept record, cleaned or refused (with its place);
    a term or definition that is empty once cleaned is dropped (``skip(reason)``). The
    length limit spares a definition in ``known`` (the glossary's own: an export of a
    long definition comes back unchanged)."""
    where = Where(path, record.line, "concept")
    fold = fold_coeng_da
    if record.id is not None:
        _check(record.id, where.field("concept id"), NAME_MAX, "concept id")
    lists: dict[str, tuple[str, ...] | None] = {}
    for key in ("domains", "see_also"):
        values = getattr(record, key)
        if values is not None:
            for value in values:
                _check(value, where.field(key), NAME_MAX, key.replace("_", "-"))
            lists[key] = values
    notes = record.notes
    if notes is not None:
        notes = tuple(t for t in (text(n, where.field("concept note"), fold).strip()
                                  for n in notes) if t)
    sources = record.sources
    if sources is not None:
        sources = tuple(_ref(r, where.field("sources"), fold) for r in sources)
    return record._replace(
        en=_lang(record.en, "en", where, fold, skip, known),
        km=_lang(record.km, "km", where, fold, skip, known),
        notes=notes, sources=sources)
