"""Decisions by a named reviewer on one term or definition, and what awaits review.

:func:`decide` records a reviewer's decision (``approved`` or ``rejected``) on one term,
or on a language's definition, under the terms lock: it sets ``review``, and
``approved_by``/``approved_on`` (approval) or a ``review_note`` "rejected by NAME on
DATE" (rejection; an earlier approval is kept in the note). :func:`pending` lists the
terms or definitions in a review state (``glossary review list``); :func:`sheet_rows`
and :func:`import_sheet` are the review workbook's.

Incoming files (a returned PO, a TBX, CSV or XLSX) never decide: they add proposals
through :mod:`glossary.imports`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from glossary import selection
from glossary.errors import ReviewError
from glossary.imports import clean
from glossary.imports.report import short
from glossary.lock import terms_lock
from glossary.model import (
    ConceptStatus,
    Definition,
    Glossary,
    ReviewEvent,
    ReviewState,
    Term,
    same_person,
)
from glossary.pairs import PENDING_NOTES
from glossary.source.edit import ConceptEditor, concept_path

__all__ = ["Decision", "PendingTerm", "decide", "pending"]


@dataclass(frozen=True)
class Decision:
    path: Path
    lang: str
    index: int | None  # the term's index; None: the definition
    text: str
    previous: str
    state: str
    by: str  # the reviewer's name as recorded
    #: False when the term was in that state already and no note came with the decision:
    #: nothing was recorded (the approval keeps its reviewer and date)
    recorded: bool = True


def _reviewer(by: str) -> str:
    """The reviewer's name as recorded (:func:`glossary.imports.clean.person`: one line,
    its spaces folded); a ReviewError when there is none, or it holds a character that
    is not text."""
    return clean.person(by, "a review decision needs the reviewer's name")


def decide(terms_dir: Path, concept_id: str, *, state: str, by: str, lang: str = "km",
           term: int | None = 0, note: str | None = None, today: date | None = None,
           fold_coeng_da: bool = True, via: str = "glossary review") -> Decision:
    """Approve or reject one term, or (``term`` None) the language's definition (see
    the module docstring). Hold the terms lock."""
    if state not in (ReviewState.APPROVED.value, ReviewState.REJECTED.value):
        raise ReviewError(f"a review decision is approved or rejected, not {state!r}")
    by = _reviewer(by)
    today = today or date.today()
    with terms_lock(terms_dir, f"review {state} {concept_id}"):
        editor = ConceptEditor(concept_path(terms_dir, concept_id), fold_coeng_da=fold_coeng_da)
        if note is None and editor.entry(lang, term).get("review") == state:
            # the same decision again (a command run twice): recording it would move the
            # approval's date and add a history entry that says nothing new
            return Decision(editor.path, lang, term, editor.term_text(lang, term), state,
                            state, by, recorded=False)
        refusal = own_proposal(editor.entry(lang, term), state, by)
        if refusal:
            what = "definition" if term is None else f"term {term}"
            raise ReviewError(f"{lang} {what} {short(editor.term_text(lang, term), 41)!r}: "
                              f"{refusal}", path=editor.path,
                              hint="ask another reviewer to approve it, or reject it to "
                              "withdraw the proposal")
        decision = _decide(editor, state=state, by=by, lang=lang, term=term, note=note,
                           today=today, via=via)
        editor.save()
        return decision


def own_proposal(table: Any, state: str, by: str) -> str | None:
    """Why ``by`` may not take the decision ``state`` on the term or definition whose
    fields are ``table``: its proposer does not approve it (a second person decides on a
    proposal; withdrawing it by rejecting it is the proposer's right). None: they may."""
    proposer = table.get("proposed_by")
    if state == ReviewState.APPROVED.value and same_person(proposer, by):
        return f"{by} proposed it, and a proposal is approved by someone else"
    return None


def _decide(editor: ConceptEditor, *, state: str, by: str, lang: str, term: int | None,
            note: str | None, today: date, via: str) -> Decision:
    """Record one decision in ``editor`` (not saved): the state, and an entry in the
    term's (``term`` None: the definition's) review history (who, when, from what, and
    the note)."""
    table = editor.entry(lang, term)
    comment = note
    previous = str(table.get("review", "draft"))
    if state == ReviewState.APPROVED.value:
        earlier = str(table.get("review_note", ""))
        if note is None and earlier.startswith(PENDING_NOTES):  # the alternative is chosen
            note = "approved over an earlier " + earlier
        editor.set_review(lang, term, state=state, by=by, on=today, note=note)
    else:
        parts = []
        if previous == ReviewState.APPROVED.value and table.get("approved_by"):
            parts.append(f"was approved by {table.get('approved_by')} on "
                         f"{table.get('approved_on')}")
        parts.append(f"rejected by {by} on {today.isoformat()}" + (f": {note}" if note else ""))
        editor.set_fields(lang, term, review=state, approved_by=None, approved_on=None,
                          review_note="; ".join(parts))
    editor.add_history(lang, term, ReviewEvent(state, by, today, via, comment or None))
    return Decision(editor.path, lang, term, editor.term_text(lang, term), previous, state, by)


def comment(editor: ConceptEditor, *, by: str, lang: str, term: int | None, note: str,
            today: date, via: str) -> bool:
    """A reviewer's comment without a decision: an entry in the review history of a term
    (``term`` None: of the definition), no state changes. False when the same comment by
    the same person is there already."""
    table = editor.entry(lang, term)
    for entry in table.get("history", []):
        if entry.get("state") == "comment" and entry.get("by") == by \
                and entry.get("note") == note:
            return False
    editor.add_history(lang, term, ReviewEvent("comment", by, today, via, note))
    return True


@dataclass(frozen=True)
class PendingTerm:
    """A term (or, ``index`` None, a definition) in the review state asked for."""

    concept_id: str
    lang: str
    index: int | None
    text: str
    state: str
    admin_status: str
    origin: str
    proposed_by: str | None
    note: str | None
    history: tuple[ReviewEvent, ...] = ()  # who decided, when, from what
    rationale: str | None = None  # why this term (the proposer's or translator's words)

    def as_dict(self) -> dict[str, Any]:
        return {"concept": self.concept_id, "lang": self.lang, "term": self.index,
                "definition": self.index is None, "text": self.text, "state": self.state,
                "admin_status": self.admin_status,
                "origin": self.origin, "proposed_by": self.proposed_by, "note": self.note,
                "rationale": self.rationale,
                "history": [{"state": e.state, "by": e.by, "on": e.on.isoformat(),
                             "via": e.via, "note": e.note} for e in self.history]}


def pending(glossary: Glossary, *, state: str = "proposed", lang: str | None = None,
            definitions: bool = False, reviewer: str | None = None,
            domain: str | None = None) -> list[PendingTerm]:
    """Terms (``definitions``: the definitions instead) in review state ``state`` (of
    ``lang``, or both languages; of concepts in ``domain``, or all), by concept id; with
    ``reviewer``, only those that person did not propose (what they may approve). A
    ``domain`` that terms/_domains.toml does not have raises ConfigError (a typo would
    list nothing, as if nothing awaited review)."""
    if domain is not None:
        selection.known_domains(glossary, (domain,))
    out: list[PendingTerm] = []
    for concept in glossary.concepts:
        if concept.status is ConceptStatus.RETIRED or (
                domain is not None and domain not in concept.domains):
            continue
        for code in ("en", "km"):
            if lang is not None and code != lang:
                continue
            if definitions:
                found = concept.lang(code).definition
                if found is not None and found.review.state.value == state:
                    review = found.review
                    out.append(PendingTerm(concept.id, code, None, found.text, state, "",
                                           review.origin, review.proposed_by, review.note,
                                           review.history))
                continue
            for i, term in enumerate(concept.lang(code).terms):
                if term.review.state.value != state:
                    continue
                out.append(PendingTerm(concept.id, code, i, term.text, term.review.state.value,
                                       term.admin_status.value, term.review.origin,
                                       term.review.proposed_by, term.review.note,
                                       term.review.history, term.rationale))
    return [p for p in out if not same_person(p.proposed_by, reviewer)]


# --------------------------------------------------------------------------- the review workbook


def sheet_rows(glossary: Glossary, *, domain: str | None = None, state: str = "proposed",
               reviewer: str | None = None) -> list[dict[str, str]]:
    """One row per Khmer term in review state ``state`` (of concepts in ``domain``), with
    what a reviewer decides on: the English term it answers, definitions, the term's
    rationale, the alternatives, an example and the sources; after a concept's terms,
    its Khmer definition when that is in ``state`` (``term`` = ``definition``). With
    ``reviewer``, what that person proposed is left out (they may not approve it). An
    unknown ``domain`` raises ConfigError, as in :func:`pending`."""
    from glossary.formats.review_sheet import DEFINITION, row_check
    from glossary.pairs import pair_terms

    if domain is not None:
        selection.known_domains(glossary, (domain,))

    rows = []
    for concept in glossary.concepts:
        if concept.status is ConceptStatus.RETIRED:
            continue
        if domain is not None and domain not in concept.domains:
            continue
        answers = {p.km_index: p.en.text for p in pair_terms(concept) if p.km_index is not None}
        english = concept.en.preferred.text if concept.en.preferred else ""
        example = concept.examples[0] if concept.examples else None
        shared = {
            "concept": concept.id,
            "definition_en": concept.en.definition.text if concept.en.definition else "",
            "definition_km": concept.km.definition.text if concept.km.definition else "",
            "example_en": example.en if example else "",
            "example_km": example.km if example else "",
            "sources": "\n".join(f"{r.doc} §{r.section}" + (f", p. {r.page}" if r.page else "")
                                 for r in concept.sources),
        }
        for i, term in enumerate(concept.km.terms):
            if term.review.state.value != state or same_person(term.review.proposed_by,
                                                               reviewer):
                continue
            others = [f"{t.text} ({t.admin_status.value}, {t.review.state.value})"
                      for j, t in enumerate(concept.km.terms) if j != i]
            rows.append({
                **shared, "term": str(i), "khmer": term.text,
                "english": answers.get(i, english), "state": term.review.state.value,
                "admin_status": term.admin_status.value, "rationale": term.rationale or "",
                "alternatives": "\n".join(others),
                "check": row_check(concept.id, i, term.text),
            })
        definition = concept.km.definition
        if definition is not None and definition.review.state.value == state \
                and not same_person(definition.review.proposed_by, reviewer):
            rows.append({**shared, "term": DEFINITION, "khmer": definition.text,
                         "english": english, "state": state,
                         "check": row_check(concept.id, None, definition.text)})
    return rows


@dataclass(frozen=True)
class SheetOutcome:
    line: int
    concept: str
    index: int | None  # None: the concept's Khmer definition
    khmer: str
    outcome: str  # approved | rejected | comment | unchanged | refused
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.line, "concept": self.concept, "term": self.index,
                "definition": self.index is None, "khmer": self.khmer,
                "outcome": self.outcome, "detail": self.detail}


@dataclass
class SheetResult:
    outcomes: list[SheetOutcome]
    written: list[Path]
    by: str = ""  # the reviewer's name as recorded

    @property
    def refused(self) -> list[SheetOutcome]:
        return [o for o in self.outcomes if o.outcome == "refused"]


def import_sheet(settings: Any, path: Path, *, by: str, today: date | None = None
                 ) -> SheetResult:
    """Record the decisions of a filled-in review workbook as ``by``'s (date, file and
    comment in each term's review history). A row whose term changed since the sheet was
    made is refused; a decision already recorded is unchanged (so importing the same
    sheet again writes nothing)."""
    from glossary import loader
    from glossary.formats import review_sheet

    by = _reviewer(by)
    today = today or date.today()
    rows = review_sheet.read(path)
    via = f"review sheet {path.name}"
    outcomes: list[SheetOutcome] = []
    written: list[Path] = []
    with terms_lock(settings.terms_dir, f"review import ({path.name})"):
        glossary = loader.load(settings).glossary
        editors: dict[str, ConceptEditor] = {}
        for row in rows:
            def out(outcome: str, detail: str, row: review_sheet.SheetRow = row) -> None:
                outcomes.append(SheetOutcome(row.line, row.concept, row.index, row.khmer,
                                             outcome, detail))

            concept = glossary.concept(row.concept)
            target: Term | Definition | None = None
            if concept is not None:
                target = concept.km.definition if row.index is None else (
                    concept.km.terms[row.index] if row.index < len(concept.km.terms) else None)
            if concept is None or target is None:
                what = "Khmer definition" if row.index is None else f"km[{row.index}]"
                out("refused", f"{row.concept} {what} is not in the glossary (make a new "
                    "sheet)")
                continue
            if review_sheet.row_check(row.concept, row.index, row.khmer) != row.check:
                out("refused", "the row's locked cells were edited (make a new sheet)")
                continue
            if review_sheet.row_check(concept.id, row.index, target.text) != row.check:
                what = "definition" if row.index is None else "term"
                now = short(target.text, 81)
                out("refused", f"the {what} changed since the sheet was made (now "
                    f"{now!r}): make a new sheet")
                continue
            editor = editors.get(concept.id)
            if editor is None:
                editor = editors[concept.id] = ConceptEditor(
                    concept_path(settings.terms_dir, concept.id),
                    fold_coeng_da=settings.fold_coeng_da)
            state = {"approve": ReviewState.APPROVED, "reject": ReviewState.REJECTED}.get(
                row.decision)
            if state is None:
                if not row.comment:  # a history entry that says nothing, every import
                    out("refused", "the decision is comment but the comment cell is "
                        "empty: write the comment, or clear the decision")
                    continue
                if comment(editor, by=by, lang="km", term=row.index, note=row.comment,
                           today=today, via=via):
                    out("comment", row.comment)
                else:
                    out("unchanged", "the same comment is recorded already")
                continue
            if target.review.state is state:
                out("unchanged", f"already {state.value}")
                continue
            refusal = own_proposal(editor.entry("km", row.index), state.value, by)
            if refusal:
                out("refused", f"{refusal} (leave its decision to another reviewer)")
                continue
            _decide(editor, state=state.value, by=by, lang="km", term=row.index,
                    note=row.comment or None, today=today, via=via)
            out(state.value, f"{target.review.state.value} → {state.value} by {by}")
        for editor in editors.values():
            if editor.save():
                written.append(editor.path)
    return SheetResult(outcomes, written, by)
