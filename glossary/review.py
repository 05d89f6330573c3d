"""Decisions by a named reviewer on one term, and what awaits review.

API
---
``decide(terms_dir, concept_id, *, state, by, lang="km", term=0, note=None, today=None)``
    A reviewer's decision (``approved`` or ``rejected``) on one term, under the terms
    lock: sets ``review``,
    ``approved_by``/``approved_on`` (approval) or a ``review_note`` "rejected by NAME on
    DATE" (rejection; an earlier approval is kept in the note).

``pending(glossary, *, state="proposed", lang=None) -> list[PendingTerm]``
    The terms in a review state, for ``glossary review list``.

Incoming files (a returned PO, a TBX, CSV or XLSX) never decide: they add proposals
through :mod:`glossary.imports`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from glossary.errors import ReviewError
from glossary.lock import terms_lock
from glossary.model import ConceptStatus, Glossary, ReviewState
from glossary.pairs import CONFLICT_NOTE
from glossary.source.edit import ConceptEditor, concept_path

__all__ = ["Decision", "PendingTerm", "decide", "pending"]


@dataclass(frozen=True)
class Decision:
    path: Path
    lang: str
    index: int
    text: str
    previous: str
    state: str


def decide(terms_dir: Path, concept_id: str, *, state: str, by: str, lang: str = "km",
           term: int = 0, note: str | None = None, today: date | None = None,
           fold_coeng_da: bool = True) -> Decision:
    """Approve or reject one term (see the module docstring). Hold the terms lock."""
    if state not in (ReviewState.APPROVED.value, ReviewState.REJECTED.value):
        raise ReviewError(f"a review decision is approved or rejected, not {state!r}")
    if not by or not by.strip():
        raise ReviewError("a review decision needs the reviewer's name", hint="pass --by NAME")
    by = by.strip()
    today = today or date.today()
    with terms_lock(terms_dir, f"review {state} {concept_id}"):
        return _decide(terms_dir, concept_id, state=state, by=by, lang=lang, term=term,
                       note=note, today=today, fold_coeng_da=fold_coeng_da)


def _decide(terms_dir: Path, concept_id: str, *, state: str, by: str, lang: str, term: int,
            note: str | None, today: date, fold_coeng_da: bool) -> Decision:
    editor = ConceptEditor(concept_path(terms_dir, concept_id), fold_coeng_da=fold_coeng_da)
    table = editor.term(lang, term)
    previous = str(table.get("review", "draft"))
    if state == ReviewState.APPROVED.value:
        earlier = str(table.get("review_note", ""))
        if note is None and earlier.startswith(CONFLICT_NOTE):  # the conflict is settled
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
    editor.save()
    return Decision(editor.path, lang, term, editor.term_text(lang, term), previous, state)


@dataclass(frozen=True)
class PendingTerm:
    concept_id: str
    lang: str
    index: int
    text: str
    state: str
    admin_status: str
    origin: str
    proposed_by: str | None
    note: str | None

    def as_dict(self) -> dict[str, Any]:
        return {"concept": self.concept_id, "lang": self.lang, "term": self.index,
                "text": self.text, "state": self.state, "admin_status": self.admin_status,
                "origin": self.origin, "proposed_by": self.proposed_by, "note": self.note}


def pending(glossary: Glossary, *, state: str = "proposed", lang: str | None = None
            ) -> list[PendingTerm]:
    """Terms in review state ``state`` (of ``lang``, or both languages), by concept id."""
    out: list[PendingTerm] = []
    for concept in glossary.concepts:
        if concept.status is ConceptStatus.RETIRED:
            continue
        for code in ("en", "km"):
            if lang is not None and code != lang:
                continue
            for i, term in enumerate(concept.lang(code).terms):
                if term.review.state.value != state:
                    continue
                out.append(PendingTerm(concept.id, code, i, term.text, term.review.state.value,
                                       term.admin_status.value, term.review.origin,
                                       term.review.proposed_by, term.review.note))
    return out
