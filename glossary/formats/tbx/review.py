"""A term's or a definition's review record as a TBX file carries it.

Our own files write it as ``glossary:review=…``, ``glossary:origin=…`` and
``glossary:review-note=…`` notes, with who proposed and who approved as transacGrps
(origination; modification with a ``glossary:approval`` note); other files have only the
transacGrps. :class:`ReviewParts` collects these from the elements the entry reader
(:mod:`glossary.formats.tbx.reader`) hands it.
"""

from __future__ import annotations

from typing import Any, Protocol

from glossary.formats.tbx.common import TYPED
from glossary.formats.tbx.safe_xml import local
from glossary.imports.records import InReview, parse_date
from glossary.model import ReviewState, by_value


class Reader(Protocol):
    """What :class:`ReviewParts` reads through: the entry reader."""

    own: bool  # the file was written by glossary (its glossary:… notes are ours)
    reviews: dict[str, InReview]  # records already made, by their one review note

    def text(self, el: Any) -> str: ...

    def skip(self, what: str) -> None: ...


_REVIEW_STATES = by_value(ReviewState)
EMPTY_REVIEW = InReview()


class ReviewParts:
    """Collects a review record from transacGrps and glossary:… notes.

    The common case, one ``glossary:review=…`` note and nothing else, is read once
    per distinct note and its (immutable) InReview shared."""

    __slots__ = ("reader", "values", "notes")

    def __init__(self, reader: Reader) -> None:
        self.reader = reader
        self.values: dict[str, Any] | None = None
        self.notes: list[str] = []

    def _values(self) -> dict[str, Any]:
        if self.values is None:
            self.values = {}
            for text in self.notes:
                _read_meta(text, self.values)
            self.notes = []
        return self.values

    def transaction(self, grp: Any) -> None:
        reader = self.reader
        kind = person = day = None
        approval = False
        for child in grp:
            name = local(child)
            cat = (child.get("type") or name) if name in TYPED else name
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
            self._values().update(proposed_by=person, proposed_on=day)
        elif kind == "modification" and approval:
            self._values().update(approved_by=person, approved_on=day)

    def take(self, text: str) -> None:
        """Take a ``glossary:key=value`` review note (see :func:`is_meta`)."""
        if self.values is None:
            self.notes.append(text)
        else:
            _read_meta(text, self.values)

    def build(self) -> InReview | None:
        own = self.reader.own
        if self.values is None:
            notes = self.notes
            if not notes:
                return EMPTY_REVIEW if own else None
            if len(notes) == 1:
                cache = self.reader.reviews
                found = cache.get(notes[0])
                if found is None:
                    found = cache[notes[0]] = InReview(
                        **{k: v for k, v in self._values().items() if v is not None})
                return found
        values = {k: v for k, v in self._values().items() if v is not None}
        return InReview(**values) if (values or own) else None


_META_KEYS = frozenset({"review", "origin", "review-note"})


def is_meta(text: str, own: bool) -> bool:
    """A ``glossary:key=value`` note of a review record, in a file written by glossary."""
    if not own or not text.startswith("glossary:"):
        return False
    key = text[9:].partition("=")
    return bool(key[1]) and key[0] in _META_KEYS


def _read_meta(text: str, values: dict[str, Any]) -> None:
    key, _, value = text[9:].partition("=")
    if key == "review":
        state, _, origin = value.partition("; origin=")
        values["state"] = _REVIEW_STATES.get(state)
        if origin:
            values["origin"] = origin
    elif key == "origin":
        values["origin"] = value
    else:  # review-note
        values["note"] = value
