"""The model's derived values: the newest review date a catalog header carries."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from glossary.model import Concept, Definition, Glossary, LangSection, Review, Term

DAYS = st.one_of(st.none(), st.dates(date(2020, 1, 1), date(2030, 12, 31)))
REVIEWS = st.builds(Review, proposed_on=DAYS, approved_on=DAYS)
SECTIONS = st.builds(
    LangSection,
    definition=st.one_of(st.none(), st.builds(Definition, text=st.just("d"), review=REVIEWS)),
    terms=st.lists(st.builds(Term, text=st.sampled_from(["model", "គំរូ"]), review=REVIEWS),
                   max_size=3).map(tuple),
)
CONCEPTS = st.lists(st.builds(Concept, id=st.just("c"), en=SECTIONS, km=SECTIONS), max_size=5)


def _every_day(glossary: Glossary) -> list[date]:
    days = []
    for concept in glossary.concepts:
        for section in (concept.en, concept.km):
            reviews = [term.review for term in section.terms]
            if section.definition is not None:
                reviews.append(section.definition.review)
            for review in reviews:
                days += [d for d in (review.proposed_on, review.approved_on) if d is not None]
    return days


@given(CONCEPTS)
def test_the_newest_review_is_the_latest_date_of_any_term_or_definition(concepts) -> None:
    glossary = Glossary(tuple(concepts))
    assert glossary.newest_review == max(_every_day(glossary), default=None)


def test_a_definitions_approval_can_be_the_newest() -> None:
    older = Review(proposed_on=date(2025, 1, 2))
    newest = Review(proposed_on=date(2025, 1, 2), approved_on=date(2026, 3, 4))
    concept = Concept("c", en=LangSection(terms=(Term("model", review=older),)),
                      km=LangSection(definition=Definition("និយមន័យ", review=newest),
                                     terms=(Term("គំរូ", review=older),)))
    assert Glossary((concept,)).newest_review == date(2026, 3, 4)
