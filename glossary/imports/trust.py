"""The trust rule of an import: what review record an incoming term or definition gets.

A file only proposes. "approved" or "rejected" in it is never taken as somebody's
decision: the term or definition comes in as a proposal whose note says what the file
claimed. The one exception is an import run with ``--decisions --by NAME``: it records
the file's approvals and rejections as NAME's, today, from that file (a row that names
another approver is still read as a proposal). An existing term's review record is never
changed by a plain import; a definition that an import of our own file rewords becomes
the proposal of who runs it (:meth:`Trust.reworded`).

:class:`Trust` is used by :mod:`glossary.imports.plan` for every record it builds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from glossary.imports.records import InReview, ReadResult
from glossary.model import Review, ReviewEvent, ReviewState, origin_is_valid, same_person


class Trust:
    """The review records one import gives, for the file ``result`` read.

    ``by``: who runs the import (the proposer of another tool's rows; with
    ``decisions``, the person whose decisions the file's approvals become).
    ``skip(reason)`` counts what the report lists under "skipped"."""

    def __init__(self, result: ReadResult, by: str | None, decisions: bool, today: date,
                 skip: Callable[[str], None]) -> None:
        self.result = result
        self.by = by
        self.decisions = decisions
        self.today = today
        self.skip = skip
        self.origin = f"imported:{result.path.name}"

    @property
    def own(self) -> bool:  # known once the file's header has been read
        return self.result.own

    def review(self, incoming: InReview | None) -> Review:
        """The review record of a new term or definition: a proposal (see
        :meth:`decided` for the one exception), with the file's provenance."""
        state, note = self.decided(incoming)
        if incoming is None:
            return Review(state=state, origin=self.origin, proposed_by=self.by)
        origin = self.origin
        if self.own and incoming.origin and origin_is_valid(incoming.origin):
            origin = incoming.origin
        review = Review(state=state, origin=origin,  # our own file: its record, as it is
                        proposed_by=incoming.proposed_by or (None if self.own else self.by),
                        proposed_on=incoming.proposed_on, note=note)
        if state in (ReviewState.APPROVED, ReviewState.REJECTED) and self.by:  # --decisions
            review = replace(review, history=(self.event(state),))
            if state is ReviewState.APPROVED:
                review = replace(review, approved_by=self.by, approved_on=self.today)
        return review

    def reworded(self, current: Review, was: str) -> Review:
        """The review record of a definition whose text an import of our own file
        rewrote: the new wording is a proposal of who runs the import (not of whoever
        proposed the earlier one), from this file, today; its note keeps the earlier
        text for the reviewer, and the history stays."""
        state = _DRAFT if current.state is _DRAFT else _PROPOSED
        return Review(state=state, origin=self.origin, proposed_by=self.by,
                      proposed_on=self.today, note=f"reworded in {self.result.path.name}; "
                      f"was: {was}", history=current.history)

    def _own_proposal(self, earlier: str | None) -> str:
        """The note of an approval in the file of a term ``by`` proposed: a proposal
        is approved by someone else (:func:`glossary.review.own_proposal`), so it stays
        one."""
        self.skip(f"approvals of {self.by}'s own proposals read as proposals (another "
                  "reviewer decides)")
        said = (f"the file {self.result.path.name} says approved; {self.by} proposed it, so "
                "it is not their decision (another reviewer decides)")
        return f"{said}; {earlier}" if earlier else said

    def event(self, state: ReviewState) -> ReviewEvent:
        """The review-history entry of a decision this import records (--decisions)."""
        assert self.by is not None
        return ReviewEvent(state.value, self.by, self.today,
                           f"glossary import --decisions {self.result.path.name}")

    def review_state(self, incoming: InReview | None) -> ReviewState:
        """The state :meth:`review` gives (a report asks it of every incoming term)."""
        if incoming is None:
            return _PROPOSED
        claimed = incoming.state
        if claimed is _PROPOSED:
            return _PROPOSED
        if claimed is _APPROVED or claimed is _REJECTED:
            return self.decided(incoming)[0]  # a claim: counted, perhaps a decision
        if claimed is _DRAFT and self.result.own:
            return _DRAFT
        return _PROPOSED  # what decided() gives, without its note

    def decided(self, incoming: InReview | None) -> tuple[ReviewState, str | None]:
        """The state and review note an incoming review record gives (the rule in the
        module's docstring)."""
        if incoming is None:
            return ReviewState.PROPOSED, None
        claimed = incoming.state
        earlier = incoming.note or None
        if claimed is ReviewState.DRAFT and self.own:
            return ReviewState.DRAFT, earlier
        if claimed not in (ReviewState.APPROVED, ReviewState.REJECTED):
            return ReviewState.PROPOSED, earlier
        who = incoming.approved_by
        if self.decisions and self.by and (who is None or same_person(who, self.by)):
            if claimed is _APPROVED and same_person(incoming.proposed_by, self.by):
                return ReviewState.PROPOSED, self._own_proposal(earlier)
            self.skip(f"decisions recorded as {self.by}'s: {claimed.value}")
            note = (f"{claimed.value} by {self.by} on {self.today.isoformat()} "
                    f"(glossary import --decisions, {self.result.path.name})")
            return claimed, note
        said = f"the file {self.result.path.name} says {claimed.value}"
        if who:
            said += f" by {who}"
        if incoming.approved_on:
            said += f" on {incoming.approved_on.isoformat()}"
        said += "; not a decision here (glossary review approve|reject --by NAME decides)"
        self.skip(f"{claimed.value} states in the file read as proposals (only "
                  "--decisions --by NAME records a decision)")
        return ReviewState.PROPOSED, f"{said}; {earlier}" if earlier else said

    def decision(self, current: Review, incoming: InReview | None) -> Review | None:
        """An existing term's or definition's review record after a ``--decisions``
        import, or None when nothing is decided (a plain import never changes it)."""
        if incoming is None or incoming.state not in (
                ReviewState.APPROVED, ReviewState.REJECTED) or incoming.state is current.state:
            return None
        if not self.decisions:  # said, so that a reviewer who filled in the column knows
            self.skip(f"{incoming.state.value} states in the file left unrecorded (only "
                      "--decisions --by NAME records a decision)")
            return None
        if incoming.state is _APPROVED and same_person(current.proposed_by, self.by):
            self._own_proposal(None)
            return None
        state, note = self.decided(incoming)
        if state is not incoming.state:
            return None
        history = (*current.history, self.event(state))
        if state is ReviewState.APPROVED:
            return replace(current, state=state, approved_by=self.by, approved_on=self.today,
                           note=note, history=history)
        return replace(current, state=state, approved_by=None, approved_on=None, note=note,
                       history=history)


# the states review_state() tests, looked up once (an enum member costs an attribute
# lookup on its class each time it is named)
_PROPOSED, _APPROVED, _REJECTED, _DRAFT = (
    ReviewState.PROPOSED, ReviewState.APPROVED, ReviewState.REJECTED, ReviewState.DRAFT)
