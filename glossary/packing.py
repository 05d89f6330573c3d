"""Concepts, problems and incoming records as plain nested tuples, and back.

The tuples hold only str, int, bool, None and tuples, so :mod:`marshal` can carry them
from a worker process to its parent. Rebuilding the dataclasses from tuples costs a
fraction of what pickling them costs (pickle rebuilds each frozen dataclass through
its reduce protocol). ``unpack_concept(pack_concept(c)) == c`` for every concept.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from glossary.incoming import InConcept, InDefinition, InLang, InReview, InTerm
from glossary.model import (
    AdminStatus,
    Concept,
    ConceptStatus,
    Definition,
    LangSection,
    Review,
    ReviewState,
    SourceRef,
    Term,
    TermType,
    by_value,
)
from glossary.problems import Level, Problem

Packed = tuple[Any, ...]

_REVIEW_STATES = by_value(ReviewState)
_ADMIN = by_value(AdminStatus)
_TYPES = by_value(TermType)
_STATUS = by_value(ConceptStatus)
_LEVELS = {m.value: m for m in Level}


def _day(value: date | None) -> int | None:
    return None if value is None else value.toordinal()


def _undate(value: int | None) -> date | None:
    return None if value is None else date.fromordinal(value)


def _pack_review(r: Review) -> Packed:
    return (r.state.value, r.origin, r.proposed_by, _day(r.proposed_on), r.approved_by,
            _day(r.approved_on), r.note)


def _unpack_review(t: Packed) -> Review:
    return Review(_REVIEW_STATES[t[0]], t[1], t[2], _undate(t[3]), t[4], _undate(t[5]), t[6])


def _pack_ref(ref: SourceRef | None) -> Packed | None:
    return None if ref is None else (ref.doc, ref.section, ref.page, ref.note)


def _unpack_ref(t: Packed | None) -> SourceRef | None:
    return None if t is None else SourceRef(t[0], t[1], t[2], t[3])


def _pack_section(section: LangSection) -> Packed:
    d = section.definition
    definition = None if d is None else (d.text, _pack_ref(d.source), _pack_review(d.review))
    terms = tuple(
        (t.text, t.admin_status.value, t.type.value, t.pos, t.context, t.dnt, t.note,
         _pack_review(t.review))
        for t in section.terms
    )
    return (definition, terms)


def _unpack_section(t: Packed) -> LangSection:
    d = t[0]
    definition = None if d is None else Definition(d[0], _unpack_ref(d[1]), _unpack_review(d[2]))
    terms = tuple(
        Term(x[0], _ADMIN[x[1]], _TYPES[x[2]], x[3], x[4], x[5], x[6], _unpack_review(x[7]))
        for x in t[1]
    )
    return LangSection(definition, terms)


def pack_concept(c: Concept) -> Packed:
    return (c.id, c.domains, tuple(_pack_ref(r) for r in c.sources), c.see_also, c.notes,
            c.status.value, _pack_section(c.en), _pack_section(c.km))


def unpack_concept(t: Packed) -> Concept:
    sources = tuple(SourceRef(r[0], r[1], r[2], r[3]) for r in t[2])
    return Concept(t[0], t[1], sources, t[3], t[4], _STATUS[t[5]], _unpack_section(t[6]),
                   _unpack_section(t[7]))


def pack_problem(p: Problem) -> Packed:
    return (p.code, p.level.value, str(p.path), p.message, p.hint, p.keypath, p.line, p.column)


def unpack_problem(t: Packed) -> Problem:
    return Problem(t[0], _LEVELS[t[1]], Path(t[2]), t[3], t[4], t[5], t[6], t[7])


# --- incoming records (glossary.incoming), as read from an interchange file ------------


def _pack_in_review(r: InReview | None) -> Packed | None:
    if r is None:
        return None
    return (r.state and r.state.value, r.origin, r.proposed_by, _day(r.proposed_on),
            r.approved_by, _day(r.approved_on), r.note)


class _InReviews(dict[Packed, InReview]):
    """Unpacked review records, shared: most terms of a file carry the same one."""

    def __missing__(self, t: Packed) -> InReview:
        review = self[t] = InReview(t[0] and _REVIEW_STATES[t[0]], t[1], t[2], _undate(t[3]),
                                    t[4], _undate(t[5]), t[6])
        return review


def _pack_in_lang(lang: InLang) -> Packed:
    d = lang.definition
    definition = None if d is None else (d.text, _pack_ref(d.source), _pack_in_review(d.review))
    terms = tuple(
        (t.text, t.admin_status and t.admin_status.value, t.type and t.type.value, t.pos,
         t.context, t.dnt, t.note, _pack_in_review(t.review))
        for t in lang.terms
    )
    return (definition, terms)


def pack_incoming(c: InConcept) -> Packed:
    """An incoming record as tuples: ``unpack_incoming(pack_incoming(c)) == c``."""
    return (c.id, _pack_in_lang(c.en), _pack_in_lang(c.km), c.domains,
            None if c.sources is None else tuple(_pack_ref(r) for r in c.sources),
            c.see_also, c.notes, c.status and c.status.value, c.line)


class IncomingUnpacker:
    """Rebuilds incoming records from :func:`pack_incoming`'s tuples; the records it
    makes share equal review records (most terms of a file carry the same one)."""

    def __init__(self) -> None:
        self.reviews = _InReviews()

    def __call__(self, t: Packed) -> InConcept:
        return InConcept(t[0], self._lang(t[1]), self._lang(t[2]), t[3],
                         None if t[4] is None else tuple(SourceRef(*r) for r in t[4]),
                         t[5], t[6], t[7] and _STATUS[t[7]], t[8])

    def _lang(self, t: Packed) -> InLang:
        reviews = self.reviews
        d = t[0]
        definition = None if d is None else InDefinition(
            d[0], _unpack_ref(d[1]), None if d[2] is None else reviews[d[2]])
        return InLang(definition, tuple(
            InTerm(x[0], x[1] and _ADMIN[x[1]], x[2] and _TYPES[x[2]], x[3], x[4], x[5], x[6],
                   None if x[7] is None else reviews[x[7]])
            for x in t[1]))


def unpack_incoming(packed: list[Packed]) -> list[InConcept]:
    """Every record of ``packed``."""
    unpack = IncomingUnpacker()
    return [unpack(t) for t in packed]
