"""The in-memory model of the glossary: frozen dataclasses, no I/O.

Everything that reads or writes a format converts to and from these objects.
The vocabulary follows TBX (ISO 30042) where TBX has a word for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cache, cached_property
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from collections.abc import KeysView, Sequence


class AdminStatus(StrEnum):
    PREFERRED = "preferred"
    ADMITTED = "admitted"
    DEPRECATED = "deprecated"
    SUPERSEDED = "superseded"


class TermType(StrEnum):
    FULL_FORM = "fullForm"
    ACRONYM = "acronym"
    ABBREVIATION = "abbreviation"
    SHORT_FORM = "shortForm"
    VARIANT = "variant"
    PHRASE = "phrase"


class ReviewState(StrEnum):
    DRAFT = "draft"
    PROPOSED = "proposed"
    APPROVED = "approved"
    REJECTED = "rejected"


# Enum members as plain names: ``AdminStatus.PREFERRED`` goes through the enum's
# descriptor on every access, and ``preferred`` runs for every term of every output.
_PREFERRED = AdminStatus.PREFERRED
_REJECTED = ReviewState.REJECTED


class ConceptStatus(StrEnum):
    ACTIVE = "active"
    RETIRED = "retired"


class QAContext(StrEnum):
    """Where ``glossary qa`` checks a concept's terms: ``ai`` = only in AI context (a
    general word such as prompt, label, feature or security, which a software catalog
    uses in its everyday sense)."""

    AI = "ai"


E = TypeVar("E", bound=StrEnum)


@cache
def by_value(enum: type[E]) -> dict[str, E]:
    """``value → member`` of an enum of this module: a dict lookup, quicker in bulk
    reading than calling the enum (and None instead of an exception for a bad value)."""
    return {member.value: member for member in enum}


PARTS_OF_SPEECH: tuple[str, ...] = ("noun", "verb", "adjective", "adverb", "other")
ORIGINS: tuple[str, ...] = ("human", "machine-assisted")  # plus "imported:<file>"


def origin_is_valid(origin: str) -> bool:
    return origin in ORIGINS or (origin.startswith("imported:") and len(origin) > 9)


@dataclass(frozen=True, slots=True)
class ReviewEvent:
    """One decision in a term's review record: who, when, and from what (``via``: the
    command, or the file a decision came from)."""

    state: str  # approved | rejected | comment
    by: str
    on: date
    via: str
    note: str | None = None


def same_person(a: str | None, b: str | None) -> bool:
    """Whether two recorded names (both given) are one person's: equal once case and runs
    of spaces are folded ("Sok Dara" and "sok  dara")."""
    if not a or not b:
        return False
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


@dataclass(frozen=True, slots=True)
class Review:
    """Who proposed a text, who approved it and when; ``history``: every decision."""

    state: ReviewState = ReviewState.DRAFT
    origin: str = "human"
    proposed_by: str | None = None
    proposed_on: date | None = None
    approved_by: str | None = None
    approved_on: date | None = None
    note: str | None = None
    history: tuple[ReviewEvent, ...] = ()

    @property
    def self_approved(self) -> bool:
        """Approved by the person who proposed it: nobody else has reviewed it (a
        second person decides on a proposal, as in every review workflow)."""
        return self.state is ReviewState.APPROVED and same_person(self.approved_by,
                                                                  self.proposed_by)


@dataclass(frozen=True, slots=True)
class SourceRef:
    """A pointer into a registered document: ``doc`` and ``section`` ids."""

    doc: str
    section: str
    page: int | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Term:
    text: str
    admin_status: AdminStatus = AdminStatus.PREFERRED
    type: TermType = TermType.FULL_FORM
    pos: str = "noun"
    context: str | None = None
    dnt: bool = False
    note: str | None = None
    review: Review = field(default_factory=Review)
    rationale: str | None = None  # why this term: how it is formed, what it avoids


@dataclass(frozen=True, slots=True)
class Example:
    """A sentence that shows the concept's term in use, in English and in Khmer."""

    en: str
    km: str


@dataclass(frozen=True, slots=True)
class Definition:
    text: str
    source: SourceRef | None = None
    review: Review = field(default_factory=Review)


@dataclass(frozen=True, slots=True)
class LangSection:
    definition: Definition | None = None
    terms: tuple[Term, ...] = ()

    @property
    def preferred(self) -> Term | None:
        """The first preferred term that is not rejected, else the first term."""
        for term in self.terms:
            if (
                term.admin_status is _PREFERRED
                and term.review.state is not _REJECTED
            ):
                return term
        return self.terms[0] if self.terms else None


@dataclass(frozen=True, slots=True)
class Concept:
    id: str
    domains: tuple[str, ...] = ()
    sources: tuple[SourceRef, ...] = ()
    see_also: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    status: ConceptStatus = ConceptStatus.ACTIVE
    en: LangSection = field(default_factory=LangSection)
    km: LangSection = field(default_factory=LangSection)
    examples: tuple[Example, ...] = ()
    qa_context: QAContext | None = None  # None: QA checks the terms everywhere

    def lang(self, code: str) -> LangSection:
        if code == "en":
            return self.en
        if code == "km":
            return self.km
        raise KeyError(code)


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: str
    title_km: str | None = None
    page: int | None = None


@dataclass(frozen=True, slots=True)
class Document:
    id: str
    short: str
    title: str
    title_km: str | None = None
    publisher: str | None = None
    year: int | None = None
    url: str | None = None
    edition: str | None = None
    kind: str = "reference"
    sections: tuple[Section, ...] = ()

    def section(self, section_id: str) -> Section | None:
        for section in self.sections:
            if section.id == section_id:
                return section
        return None


@dataclass(frozen=True, slots=True)
class Domain:
    id: str
    en: str
    km: str | None = None


@dataclass(frozen=True)
class Glossary:
    concepts: tuple[Concept, ...] = ()
    documents: tuple[Document, ...] = ()
    domains: tuple[Domain, ...] = ()
    _by_id: dict[str, Concept] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {c.id: c for c in self.concepts})

    def concept(self, concept_id: str) -> Concept | None:
        return self._by_id.get(concept_id)

    @property
    def ids(self) -> KeysView[str]:
        """The ids of the concepts (a set-like view)."""
        return self._by_id.keys()

    @cached_property
    def selections(self) -> dict[str, Glossary]:
        """What :func:`glossary.selection.select` made of this glossary, by review level
        (a glossary never changes: a build selects the approved terms once, not once per
        output that carries them)."""
        return {}

    @cached_property
    def with_terms(self) -> frozenset[str]:
        """The ids of the concepts that have a term in either language (worked out once:
        each TBX output of a build asks, 100,000 concepts: 40 ms a time)."""
        return frozenset(c.id for c in self.concepts if c.en.terms or c.km.terms)

    @cached_property
    def newest_review(self) -> date | None:
        """The newest date a term or definition was proposed or approved (worked out
        once: every catalog header of a build reads it)."""
        return newest_review_of(self.concepts)

    @classmethod
    def read(cls, concepts: tuple[Concept, ...], documents: tuple[Document, ...],
             domains: tuple[Domain, ...], newest_review: date | None) -> Glossary:
        """A glossary whose reader already knows its newest review date (the parse
        cache keeps each file's: 100,000 concepts, 0.2 s less than going through every
        term's review)."""
        glossary = cls(concepts, documents, domains)
        object.__setattr__(glossary, "newest_review", newest_review)  # a cached_property
        return glossary

    def document(self, doc_id: str) -> Document | None:
        for doc in self.documents:
            if doc.id == doc_id:
                return doc
        return None


def newest_review_of(concepts: Sequence[Concept]) -> date | None:
    """The newest date a term or definition of ``concepts`` was proposed or approved."""
    reviews = [t.review for c in concepts for s in (c.en, c.km) for t in s.terms]
    reviews += [s.definition.review for c in concepts for s in (c.en, c.km)
                if s.definition is not None]
    distinct = {id(review): review for review in reviews}.values()  # read once shared
    return max((day for review in distinct  # (equal reviews are one object when read)
                for day in (review.proposed_on, review.approved_on) if day is not None),
               default=None)


def format_ref(ref: SourceRef, doc: Document | None) -> str:
    """A reference in readable form: ``ASEAN Guide 2024 §B.2, p. 12``."""
    name = doc.short if doc is not None else ref.doc
    text = f"{name} §{ref.section}"
    page = ref.page
    if page is None and doc is not None:
        section = doc.section(ref.section)
        page = section.page if section is not None else None
    if page is not None:
        text += f", p. {page}"
    return text
