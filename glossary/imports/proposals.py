"""Khmer proposals from an incoming file: compare them with the glossary, apply them.

Format-neutral: every importer (a returned PO; the translations in a TBX, CSV or XLSX,
through :mod:`glossary.imports.plan`) turns its file into a list of
:class:`~glossary.pairs.IncomingTerm` and calls the same functions. A reviewer's own
decisions (approve, reject) are :mod:`glossary.review`'s.

API
---
``compare(glossary, incoming) -> ReviewReport``
    Matches each incoming term to an English term of a concept — by ``concept_id`` and
    ``term_index`` when given, else by ``concept_id`` and ``en_text``, else (no or an
    unknown concept id) by ``en_text`` alone across all concepts — and finds the Khmer
    term paired with it (:func:`glossary.pairs.pair_terms`). Each becomes an
    :class:`Item` with an :class:`Outcome`:

    * ``new`` — the English term has no Khmer term yet: a new proposal;
    * ``changed`` — a different text for a Khmer term that is not approved;
    * ``unchanged`` — the same text (compared on :func:`glossary.khmer.search_key`);
    * ``conflict`` — see :class:`Conflict`: the term it targets is approved, the glossary
      changed since the file was exported (the entry's ``fingerprint`` differs from the
      current pair's), the concept is retired, the text was rejected before, or another
      entry of the file already targets the same term;
    * ``unknown`` — nothing in the glossary matches (or the match is ambiguous).

``apply(report, glossary, terms_dir, *, by, origin, today=None) -> ApplyResult``
    Writes the accepted changes through :mod:`glossary.source.edit` (comments and layout
    kept, each file written atomically). Call it under :func:`glossary.lock.terms_lock`
    with the glossary loaded under the same lock — or use ``import_terms``.
    Rules — nothing is ever lost, and no approved term is replaced:

    * ``new``: a ``[[km.terms]]`` table is appended: ``review = "proposed"``, ``origin``
      (e.g. ``"imported:glossary.po"``), ``proposed_by = by``, ``proposed_on = today``,
      the English term's ``type``; ``preferred`` when it answers the English preferred
      term and no Khmer preferred term exists, else ``admitted``; ``dnt = true`` when
      the text has no Khmer letters (an acronym kept in English).
    * ``changed``: the term's text is replaced in place (same index, so exported pairs
      stay stable) and its review record reset to proposed/origin/by/today. The earlier
      text is **kept**: it is appended as a copy of the old table with
      ``admin_status = "superseded"``, ``review = "rejected"`` and a ``review_note``
      saying what replaced it, when, from which file and who applied it. Superseded
      and rejected terms never pair again, so they do not come back in exports.
    * ``conflict`` on an approved term or a glossary changed since export: the incoming
      text is appended as an extra ``admitted``, ``proposed`` term with a
      ``review_note`` that starts with ``conflict:`` — for a reviewer to settle with
      ``glossary review approve|reject``. Until then it pairs with no English term in
      exports (it is listed among the entry's other Khmer terms). Other conflicts, ``unchanged`` and
      ``unknown`` write nothing. A text already present in the concept is never added
      twice.

``import_terms(settings, incoming, *, origin, apply_changes=False, by=None, today=None)``
    What an ``import`` command does for any format: load and validate ``terms/``,
    ``compare``, and with ``apply_changes`` (``by`` required) ``apply`` — all under the terms
    lock. Returns ``(report, ApplyResult | None)``.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from glossary import khmer
from glossary.config import Settings
from glossary.errors import ReviewError
from glossary.lock import terms_lock
from glossary.model import AdminStatus, Concept, ConceptStatus, Glossary, ReviewState
from glossary.pairs import (
    CONFLICT_NOTE,
    IncomingTerm,
    Pair,
    fingerprint,
    is_candidate,
    pair_terms,
)
from glossary.source.edit import ConceptEditor, concept_path

__all__ = [
    "ApplyResult", "Conflict", "IncomingTerm", "Item", "Outcome", "ReviewReport", "apply",
    "compare", "import_terms",
]


class Outcome(StrEnum):
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"
    UNKNOWN = "unknown"


class Conflict(StrEnum):
    APPROVED = "approved"  # the Khmer term it would replace is approved
    CHANGED_SINCE_EXPORT = "changed-since-export"  # fingerprint differs
    RETIRED = "retired"  # the concept is retired
    REJECTED_BEFORE = "rejected-before"  # the same text is a rejected term of the concept
    DUPLICATE = "duplicate"  # an earlier entry of the file targets the same term


APPLIED_CONFLICTS = frozenset({Conflict.APPROVED, Conflict.CHANGED_SINCE_EXPORT})


@dataclass(frozen=True)
class Item:
    """One incoming term and what it means for the glossary."""

    outcome: Outcome
    incoming: IncomingTerm
    reason: str
    concept_id: str | None = None
    en_index: int | None = None
    en_text: str | None = None
    km_index: int | None = None
    current: str | None = None  # the glossary's Khmer text it targets
    conflict: Conflict | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome.value,
            "conflict": self.conflict.value if self.conflict else None,
            "file": self.incoming.origin_file,
            "line": self.incoming.line,
            "concept": self.concept_id,
            "term": self.en_index,
            "en": self.en_text or self.incoming.en_text,
            "incoming": self.incoming.text,
            "current": self.current,
            "fuzzy": self.incoming.fuzzy,
            "reason": self.reason,
        }


@dataclass
class ReviewReport:
    items: list[Item] = field(default_factory=list)

    def of(self, outcome: Outcome) -> list[Item]:
        return [item for item in self.items if item.outcome is outcome]

    def counts(self) -> dict[str, int]:
        counts = {outcome.value: 0 for outcome in Outcome}
        for item in self.items:
            counts[item.outcome.value] += 1
        return counts

    @property
    def applicable(self) -> list[Item]:
        return [i for i in self.items if i.outcome in (Outcome.NEW, Outcome.CHANGED)
                or (i.outcome is Outcome.CONFLICT and i.conflict in APPLIED_CONFLICTS)]


# --------------------------------------------------------------------------- compare


class _Index:
    """English terms of the glossary by search key, for matching on ``en_text``."""

    def __init__(self, glossary: Glossary) -> None:
        self.glossary = glossary
        self._by_key: dict[str, list[tuple[str, int]]] | None = None
        self._pairs: dict[str, list[Pair]] = {}

    @property
    def by_key(self) -> dict[str, list[tuple[str, int]]]:
        """Built on first use: only entries without a known concept id need it."""
        if self._by_key is None:
            self._by_key = defaultdict(list)
            for concept in self.glossary.concepts:
                for i, term in enumerate(concept.en.terms):
                    if is_candidate(term):
                        self._by_key[khmer.search_key(term.text)].append((concept.id, i))
        return self._by_key

    def pairs(self, concept: Concept) -> list[Pair]:
        found = self._pairs.get(concept.id)
        if found is None:
            found = self._pairs[concept.id] = pair_terms(concept)
        return found


def _unknown(term: IncomingTerm, reason: str) -> Item:
    return Item(Outcome.UNKNOWN, term, reason)


def _locate(index: _Index, term: IncomingTerm) -> tuple[Concept, Pair] | Item:
    glossary = index.glossary
    concept = glossary.concept(term.concept_id) if term.concept_id else None
    if concept is not None and term.term_index is not None:
        for pair in index.pairs(concept):
            if pair.en_index == term.term_index:
                return concept, pair
        return _unknown(term, f"concept {concept.id} has no English term "
                        f"{term.term_index} to translate")
    key = khmer.search_key(term.en_text) if term.en_text else ""
    if concept is not None:
        pairs = index.pairs(concept)
        for pair in pairs:
            if not key or khmer.search_key(pair.en.text) == key:
                return concept, pair
        return _unknown(term, f"concept {concept.id} has no English term {term.en_text!r}")
    if not key:
        return _unknown(term, "no concept id and no English text to match")
    targets = index.by_key.get(key, [])
    if not targets:
        return _unknown(term, "no concept has this English term")
    if len(targets) > 1:
        ids = ", ".join(sorted({cid for cid, _ in targets}))
        return _unknown(term, f"ambiguous: the English term belongs to {ids}")
    concept_id, en_index = targets[0]
    concept = glossary.concept(concept_id)
    assert concept is not None
    for pair in index.pairs(concept):
        if pair.en_index == en_index:
            return concept, pair
    return _unknown(term, "no concept has this English term")  # pragma: no cover


def compare(glossary: Glossary, incoming: Iterable[IncomingTerm]) -> ReviewReport:
    """Classify each incoming term (see the module docstring)."""
    return _compare(glossary, incoming)


def _compare(glossary: Glossary, incoming: Iterable[IncomingTerm]) -> ReviewReport:
    index = _Index(glossary)
    report = ReviewReport()
    seen: dict[tuple[str, int], IncomingTerm] = {}
    for term in incoming:
        if term.lang != "km":
            report.items.append(_unknown(term, f"only Khmer terms are reviewed, not {term.lang}"))
            continue
        cleaned = khmer.clean_term(term.text)  # the boundary: no invisible or control chars
        if cleaned != term.text:
            if not cleaned:
                report.items.append(_unknown(term, "empty once invisible characters are removed"))
                continue
            term = dataclasses.replace(term, text=cleaned)
        if khmer.marks_without_base(term.text):
            report.items.append(_unknown(term, "a Khmer vowel or sign follows no consonant "
                                               "(type the consonant first: ខ្មែរ, not ែខ្មរ)"))
            continue
        located = _locate(index, term)
        if isinstance(located, Item):
            report.items.append(located)
            continue
        concept, pair = located
        km_text = pair.km.text if pair.km is not None else None
        common: dict[str, Any] = dict(
            concept_id=concept.id, en_index=pair.en_index, en_text=pair.en.text,
            km_index=pair.km_index, current=km_text)

        def conflict(kind: Conflict, reason: str, term: IncomingTerm = term,
                     common: dict[str, Any] = common) -> Item:
            return Item(Outcome.CONFLICT, term, reason, conflict=kind, **common)

        target = (concept.id, pair.en_index)
        if target in seen:
            first = seen[target]
            report.items.append(conflict(
                Conflict.DUPLICATE, f"line {first.line} of the file already targets this term"))
            continue
        seen[target] = term
        if concept.status is ConceptStatus.RETIRED:
            report.items.append(conflict(Conflict.RETIRED, "the concept is retired"))
            continue
        key = khmer.search_key(term.text) if term.text != km_text else ""
        if km_text is not None and (not key or khmer.search_key(km_text) == key):
            note = "same as the glossary"
            if pair.km is not None and pair.km.review.state is not ReviewState.APPROVED \
                    and not term.fuzzy:
                note += "; the editor cleared fuzzy: a reviewer can approve it"
            report.items.append(Item(Outcome.UNCHANGED, term, note, **common))
            continue
        rejected = [t for t in concept.km.terms if t.review.state is ReviewState.REJECTED
                    and khmer.search_key(t.text) == key]
        if rejected:
            report.items.append(conflict(Conflict.REJECTED_BEFORE,
                                         "this text was rejected before for this concept"))
            continue
        if term.en_text and term.en_text != pair.en.text \
                and khmer.search_key(term.en_text) != khmer.search_key(pair.en.text):
            report.items.append(conflict(
                Conflict.CHANGED_SINCE_EXPORT,
                f"the English term is now {pair.en.text!r}, not {term.en_text!r}"))
            continue
        if term.fingerprint and term.fingerprint != fingerprint(pair.en.text, km_text):
            now = f"now {pair.en.text!r} → {km_text!r}" if km_text else f"now {pair.en.text!r}"
            report.items.append(conflict(
                Conflict.CHANGED_SINCE_EXPORT, f"the glossary changed since the export ({now})"))
            continue
        if pair.km is None:
            report.items.append(Item(Outcome.NEW, term, "new Khmer proposal", **common))
        elif pair.km.review.state is ReviewState.APPROVED:
            who = pair.km.review.approved_by or "a reviewer"
            report.items.append(conflict(Conflict.APPROVED, f"the Khmer term is approved by {who}"))
        else:
            report.items.append(Item(Outcome.CHANGED, term, "changed proposal", **common))
    return report


# --------------------------------------------------------------------------- apply


@dataclass
class ApplyResult:
    written: list[Path] = field(default_factory=list)
    added: int = 0  # new proposals and conflict alternatives appended
    replaced: int = 0  # proposals replaced in place (the old text kept as superseded)
    skipped: list[str] = field(default_factory=list)  # why an applicable item wrote nothing


def _has_text(editor: ConceptEditor, text: str) -> bool:
    key = khmer.search_key(text)
    return any(khmer.search_key(str(t.get("text", ""))) == key for t in editor.terms("km"))


def _review_fields(by: str, origin: str, today: date) -> dict[str, Any]:
    return {"review": "proposed", "origin": origin, "proposed_by": by, "proposed_on": today}


def _apply_item(editor: ConceptEditor, concept: Concept, item: Item, *, by: str, origin: str,
                today: date, result: ApplyResult) -> None:
    text = item.incoming.text
    en = concept.en.terms[item.en_index or 0]
    where = f"{item.incoming.origin_file}:{item.incoming.line}"
    dnt = True if not khmer.has_khmer(text) else None
    if item.outcome is Outcome.CHANGED:
        assert item.km_index is not None and item.current is not None
        old = editor.term("km", item.km_index)
        if khmer.search_key(str(old.get("text", ""))) != khmer.search_key(item.current):
            raise ReviewError(
                f"km.terms[{item.km_index}] changed while the import was being reviewed",
                path=editor.path, hint="run the import again")
        copy = {name: value for name, value in old.unwrap().items()}
        earlier_note = copy.get("review_note")
        note = (f"superseded by {text!r} ({origin}, applied by {by} on {today.isoformat()})")
        copy.update(admin_status="superseded", review="rejected",
                    review_note=f"{earlier_note}; {note}" if earlier_note else note)
        editor.set_fields("km", item.km_index, text=text, dnt=dnt, approved_by=None,
                          approved_on=None, review_note=None,
                          rationale=item.incoming.rationale,  # the old one went with the old text
                          **_review_fields(by, origin, today))
        editor.append_term("km", copy)
        result.replaced += 1
        return
    if _has_text(editor, text):
        result.skipped.append(f"{where}: {text!r} is already a Khmer term of {concept.id}")
        return
    fields: dict[str, Any] = {"text": text, "type": en.type.value, "dnt": dnt,
                              "rationale": item.incoming.rationale}
    if item.outcome is Outcome.NEW:
        has_preferred = any(t.admin_status is AdminStatus.PREFERRED and is_candidate(t)
                            for t in concept.km.terms)
        preferred = en.admin_status is AdminStatus.PREFERRED and not has_preferred
        fields["admin_status"] = "preferred" if preferred else "admitted"
    else:
        fields["admin_status"] = "admitted"
        fields["review_note"] = (f"{CONFLICT_NOTE} {item.reason}; proposed instead of "
                                 f"{item.current!r} for {en.text!r}")
    fields.update(_review_fields(by, origin, today))
    editor.append_term("km", fields)
    result.added += 1


def apply(report: ReviewReport, glossary: Glossary, terms_dir: Path, *, by: str, origin: str,
          today: date | None = None, fold_coeng_da: bool = True) -> ApplyResult:
    """Write the report's applicable items to ``terms/`` (see the module docstring)."""
    if not by or not by.strip():
        raise ReviewError("applying an import needs the name of the person who accepts it",
                          hint="pass --by NAME")
    today = today or date.today()
    result = ApplyResult()
    by_concept: dict[str, list[Item]] = defaultdict(list)
    for item in report.applicable:
        if item.concept_id is not None:
            by_concept[item.concept_id].append(item)
    for concept_id in sorted(by_concept):
        concept = glossary.concept(concept_id)
        if concept is None:  # pragma: no cover - the report came from this glossary
            continue
        editor = ConceptEditor(concept_path(terms_dir, concept_id), fold_coeng_da=fold_coeng_da)
        for item in by_concept[concept_id]:
            _apply_item(editor, concept, item, by=by.strip(), origin=origin, today=today,
                        result=result)
        if editor.save():
            result.written.append(editor.path)
    return result


def import_terms(settings: Settings, incoming: Iterable[IncomingTerm], *, origin: str,
                 apply_changes: bool = False, by: str | None = None,
                 today: date | None = None) -> tuple[ReviewReport, ApplyResult | None]:
    """Compare incoming terms with ``terms/`` and, when asked, apply them (under the lock)."""
    from glossary import loader

    terms = list(incoming)
    if not apply_changes:
        loaded = loader.load_valid(settings)
        return compare(loaded.glossary, terms), None
    if not by or not by.strip():
        raise ReviewError("--apply needs the name of the person who accepts the changes",
                          hint="pass --by NAME")
    with terms_lock(settings.terms_dir, f"import ({origin})"):
        loaded = loader.load_valid(settings)
        report = compare(loaded.glossary, terms)
        result = apply(report, loaded.glossary, settings.terms_dir, by=by, origin=origin,
                       today=today, fold_coeng_da=settings.fold_coeng_da)
    return report, result
