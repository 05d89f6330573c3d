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
    * ``candidate`` — a different text for a Khmer term that is not approved: an
      alternative for a reviewer (never a replacement). When the text is already another
      established Khmer term of the concept (a translator who chose one of the entry's
      "Other Khmer terms"), the item's ``present`` gives its index: the file prefers that
      term, only a reviewer can make it preferred, and ``apply`` writes nothing for it;
    * ``unchanged`` — the same text (compared on :func:`glossary.khmer.search_key`), or
      a text an earlier import already added beside the term, awaiting review;
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
    * ``candidate``, and ``conflict`` on an approved term or a glossary changed since
      export: the incoming text is appended as an extra ``admitted``, ``proposed`` term
      whose ``review_note`` starts with ``candidate:`` (or ``conflict:``) and gives its
      evidence: the file and line, the file's msgctxt and English source text, and the
      term it differs from. The term already there is never touched: an import never
      supersedes, rejects or approves. Until a reviewer decides with ``glossary review
      approve|reject``, the alternative pairs with no English term in exports (it is
      listed among the entry's other Khmer terms). Other conflicts, ``unchanged`` and
      ``unknown`` write nothing. A text already present in the concept is never added
      twice, so applying the same file again writes nothing.

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
from functools import cached_property
from pathlib import Path
from typing import Any

from glossary import khmer
from glossary.config import Settings
from glossary.errors import ReviewError
from glossary.imports import clean
from glossary.lock import terms_lock
from glossary.model import AdminStatus, Concept, ConceptStatus, Glossary, ReviewState
from glossary.pairs import (
    CANDIDATE_NOTE,
    CONFLICT_NOTE,
    IncomingTerm,
    Pair,
    fingerprint,
    is_candidate,
    is_pending_alternative,
    pair_terms,
)
from glossary.source.edit import ConceptEditor, concept_path

__all__ = [
    "ApplyResult", "Conflict", "IncomingTerm", "Item", "Outcome", "ReviewReport", "apply",
    "compare", "evidence", "import_terms", "is_foreign",
]


class Outcome(StrEnum):
    NEW = "new"
    CANDIDATE = "candidate"
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
    count: int = 1  # how many entries of the file say the same (reported once)
    present: int | None = None  # the incoming text is already km[present] of the concept
    spacing_only: bool = False  # a candidate that differs from ``current`` only in spaces

    def as_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome.value,
            "conflict": self.conflict.value if self.conflict else None,
            "file": self.incoming.origin_file,
            "line": self.incoming.line,
            "msgctxt": self.incoming.context,
            "msgid": self.incoming.en_text,
            "concept": self.concept_id,
            "term": self.en_index,
            "en": self.en_text or self.incoming.en_text,
            "incoming": self.incoming.text,
            "current": self.current,
            "fuzzy": self.incoming.fuzzy,
            "reason": self.reason,
            "count": self.count,
            "present": self.present,
            "spacing_only": self.spacing_only,
        }


@dataclass
class ReviewReport:
    items: list[Item] = field(default_factory=list)
    entries: int = 0  # incoming terms compared (duplicates included)
    matched: int = 0  # … that matched a term of the glossary (by msgctxt or English)
    foreign: bool = False  # see :func:`is_foreign`
    match_english: bool = True  # entries without a concept id were matched by English

    @property
    def match_rate(self) -> float:
        return self.matched / self.entries if self.entries else 0.0

    def of(self, outcome: Outcome) -> list[Item]:
        return [item for item in self.items if item.outcome is outcome]

    def counts(self) -> dict[str, int]:
        counts = {outcome.value: 0 for outcome in Outcome}
        for item in self.items:
            counts[item.outcome.value] += 1
        return counts

    @property
    def applicable(self) -> list[Item]:
        """The items ``apply`` writes: not those whose text the concept already has."""
        return [i for i in self.items if i.present is None and (
            i.outcome in (Outcome.NEW, Outcome.CANDIDATE)
            or (i.outcome is Outcome.CONFLICT and i.conflict in APPLIED_CONFLICTS))]


# --------------------------------------------------------------------------- compare


class _Index:
    """English terms of the glossary by search key, for matching on ``en_text``."""

    def __init__(self, glossary: Glossary) -> None:
        self.glossary = glossary
        self._pairs: dict[str, list[Pair]] = {}

    @cached_property
    def by_key(self) -> dict[str, list[tuple[str, int]]]:
        """Built on first use: only entries without a known concept id need it."""
        by_key: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for concept in self.glossary.concepts:
            for i, term in enumerate(concept.en.terms):
                if is_candidate(term):
                    by_key[khmer.search_key(term.text)].append((concept.id, i))
        return by_key

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


def is_foreign(glossary: Glossary, incoming: list[IncomingTerm], report: ReviewReport) -> bool:
    """A foreign catalog: no entry carries a concept id of this glossary as its msgctxt,
    or fewer than half the entries match a term of the glossary."""
    if not incoming:
        return False
    own = sum(1 for t in incoming if t.concept_id and glossary.concept(t.concept_id))
    return own == 0 or report.matched * 2 < report.entries


def compare(glossary: Glossary, incoming: Iterable[IncomingTerm], *,
            match_english: bool = True, fold_coeng_da: bool = True) -> ReviewReport:
    """Classify each incoming term (see the module docstring). ``match_english=False``:
    an entry whose concept id is not one of the glossary's is ``unknown`` instead of
    being matched by its English text (for a foreign catalog). ``fold_coeng_da``: the
    project's setting, which the cleaned text keeps."""
    index = _Index(glossary)
    report = ReviewReport(match_english=match_english)
    seen: dict[tuple[str, int], IncomingTerm] = {}
    said: dict[tuple[str, int, str], int] = {}  # (target, text key) → its item's index
    repeats: dict[int, int] = defaultdict(int)
    for term in incoming:
        report.entries += 1
        if term.lang != "km":
            report.items.append(_unknown(term, f"only Khmer terms are reviewed, not {term.lang}"))
            continue
        # the boundary: no invisible or control chars
        cleaned = khmer.clean_term(term.text, fold_coeng_da=fold_coeng_da)
        if cleaned != term.text:
            if not cleaned:
                report.items.append(_unknown(term, "empty once invisible characters are removed"))
                continue
            term = dataclasses.replace(term, text=cleaned)
        if khmer.marks_without_base(term.text):
            report.items.append(_unknown(term, "a Khmer vowel or sign follows no consonant "
                                               "(type the consonant first: ខ្មែរ, not ែខ្មរ)"))
            continue
        if not match_english and not (term.concept_id and glossary.concept(term.concept_id)):
            report.items.append(_unknown(
                term, "a foreign catalog's entry (its msgctxt is no concept id of this "
                "glossary): not matched by English text without --match-english"))
            continue
        located = _locate(index, term)
        if isinstance(located, Item):
            report.items.append(located)
            continue
        report.matched += 1
        concept, pair = located
        same = (concept.id, pair.en_index, khmer.search_key(term.text))
        if same in said:  # the same text for the same term again: reported once
            repeats[said[same]] += 1
            continue
        said[same] = len(report.items)
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
            # only our own export marks a proposal fuzzy (its entries carry a fingerprint)
            if pair.km is not None and pair.km.review.state is not ReviewState.APPROVED \
                    and not term.fuzzy and term.fingerprint is not None:
                note += "; the editor cleared fuzzy: a reviewer can approve it"
            report.items.append(Item(Outcome.UNCHANGED, term, note, **common))
            continue
        rejected = [t for t in concept.km.terms if t.review.state is ReviewState.REJECTED
                    and khmer.search_key(t.text) == key]
        if rejected:
            report.items.append(conflict(Conflict.REJECTED_BEFORE,
                                         "this text was rejected before for this concept"))
            continue
        present = next((i for i, t in enumerate(concept.km.terms)
                        if khmer.search_key(t.text) == key), None)
        if present is not None and (pair.km is None
                                    or is_pending_alternative(concept.km.terms[present])):
            # e.g. a candidate added by an earlier import of this file
            report.items.append(Item(
                Outcome.UNCHANGED, term,
                f"already a Khmer term of the concept (km[{present}]), awaiting review",
                **common))
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
        # ``present``: the file prefers another established Khmer term of the concept
        # (one of the "Other Khmer terms" its comment lists) to the one paired here
        other = "" if present is None else (
            f"; it is already km[{present}] of the concept "
            f"({concept.km.terms[present].admin_status.value})")
        if pair.km is None:
            report.items.append(Item(Outcome.NEW, term, "new Khmer proposal", **common))
        elif pair.km.review.state is ReviewState.APPROVED:
            who = pair.km.review.approved_by or "a reviewer"
            report.items.append(Item(
                Outcome.CONFLICT, term, f"the Khmer term is approved by {who}{other}",
                conflict=Conflict.APPROVED, present=present, **common))
        else:
            spacing = _spacing_only(key, pair.km.text)
            report.items.append(Item(
                Outcome.CANDIDATE, term,
                f"differs from the proposed Khmer term{' only in spacing' * spacing}{other}",
                present=present, spacing_only=spacing, **common))
    for position, extra in repeats.items():
        item = report.items[position]
        report.items[position] = dataclasses.replace(
            item, count=extra + 1,
            reason=f"{item.reason} ({extra + 1} identical entries in the file)")
    return report


def _spacing_only(key: str, km_text: str) -> bool:
    """Whether an incoming text (its search key) and the glossary's differ only in where
    spaces fall (``ឯកជន ភាព`` for ``ឯកជនភាព``): Khmer puts spaces between phrases, not
    words, so a reviewer checks whether the space belongs."""
    return key.replace(" ", "") == khmer.search_key(km_text).replace(" ", "")


# --------------------------------------------------------------------------- apply


@dataclass
class ApplyResult:
    written: list[Path] = field(default_factory=list)
    added: int = 0  # new proposals, candidates and conflict alternatives appended
    skipped: list[str] = field(default_factory=list)  # why an applicable item wrote nothing


def _has_text(editor: ConceptEditor, text: str) -> bool:
    key = khmer.search_key(text)
    return any(khmer.search_key(str(t.get("text", ""))) == key for t in editor.terms("km"))


def evidence(item: Item) -> str:
    """Where an incoming text comes from, for the ``review_note`` of an alternative."""
    incoming = item.incoming
    where = incoming.origin_file + (f":{incoming.line}" if incoming.line else "")
    parts = [f"from {where}"]
    if incoming.context:
        parts.append(f"msgctxt {incoming.context!r}")
    if incoming.en_text:
        parts.append(f"English {incoming.en_text!r}")
    return ", ".join(parts)


def _apply_item(editor: ConceptEditor, concept: Concept, item: Item, *, by: str, origin: str,
                today: date, result: ApplyResult) -> None:
    text = item.incoming.text
    en = concept.en.terms[item.en_index or 0]
    where = f"{item.incoming.origin_file}:{item.incoming.line}"
    dnt = True if not khmer.has_khmer(text) else None
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
    elif item.outcome is Outcome.CANDIDATE:
        fields["admin_status"] = "admitted"
        fields["review_note"] = (f"{CANDIDATE_NOTE} an alternative to the proposed "
                                 f"{item.current!r} for {en.text!r} ({evidence(item)})")
    else:
        fields["admin_status"] = "admitted"
        fields["review_note"] = (f"{CONFLICT_NOTE} {item.reason}; proposed instead of "
                                 f"{item.current!r} for {en.text!r} ({evidence(item)})")
    fields.update(review="proposed", origin=origin, proposed_by=by, proposed_on=today)
    editor.append_term("km", fields)
    result.added += 1


def apply(report: ReviewReport, glossary: Glossary, terms_dir: Path, *, by: str, origin: str,
          today: date | None = None, fold_coeng_da: bool = True) -> ApplyResult:
    """Write the report's applicable items to ``terms/`` (see the module docstring)."""
    by = clean.person(by, "applying an import needs the name of the person who accepts it")
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
            _apply_item(editor, concept, item, by=by, origin=origin, today=today,
                        result=result)
        if editor.save():
            result.written.append(editor.path)
    return result


def import_terms(settings: Settings, incoming: Iterable[IncomingTerm], *, origin: str,
                 apply_changes: bool = False, by: str | None = None,
                 today: date | None = None, match_english: bool = False
                 ) -> tuple[ReviewReport, ApplyResult | None]:
    """Compare incoming terms with ``terms/`` and, when asked, apply them (under the lock).

    A foreign catalog (:func:`is_foreign`) is matched by concept id only, unless
    ``match_english``: its entries are not ours, and an English word of another
    program's interface is often another sense (image "transparency")."""
    from glossary import loader

    terms = list(incoming)
    if apply_changes and (not by or not by.strip()):
        raise ReviewError("--apply needs the name of the person who accepts the changes",
                          hint="pass --by NAME")

    def review_of(glossary: Glossary) -> ReviewReport:
        fold = settings.fold_coeng_da
        report = compare(glossary, terms, fold_coeng_da=fold)
        if is_foreign(glossary, terms, report):
            entries, matched = report.entries, report.matched
            if not match_english:
                report = compare(glossary, terms, match_english=False, fold_coeng_da=fold)
            report.foreign, report.entries, report.matched = True, entries, matched
        return report

    if not apply_changes:
        loaded = loader.load_valid(settings)
        return review_of(loaded.glossary), None
    assert by is not None
    with terms_lock(settings.terms_dir, f"import ({origin})"):
        loaded = loader.load_valid(settings)
        report = review_of(loaded.glossary)
        result = apply(report, loaded.glossary, settings.terms_dir, by=by, origin=origin,
                       today=today, fold_coeng_da=settings.fold_coeng_da)
    return report, result
