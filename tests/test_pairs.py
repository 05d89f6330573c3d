"""pair_terms: the path for a concept with one English term gives what the general
search gives."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from glossary.model import (
    AdminStatus,
    Concept,
    LangSection,
    Review,
    ReviewState,
    Term,
    TermType,
)
from glossary.pairs import CANDIDATE_NOTE, CONFLICT_NOTE, pair_terms

TERMS = st.builds(
    Term,
    text=st.sampled_from(["ឯកជនភាព", "ការលំអៀង", "ទិន្នន័យ", "គំរូ"]),
    admin_status=st.sampled_from(list(AdminStatus)),
    type=st.sampled_from([TermType.FULL_FORM, TermType.ACRONYM]),
    review=st.builds(Review, state=st.sampled_from(list(ReviewState)),
                     note=st.sampled_from([None, "", CANDIDATE_NOTE, CONFLICT_NOTE])),
)


@given(english=TERMS, khmer=st.lists(TERMS, max_size=4))
def test_one_english_term_pairs_as_the_general_search_does(english: Term,
                                                            khmer: list[Term]) -> None:
    """A rejected English term first sends the concept through the general search (it
    is never a candidate, so it adds no pair); the one English term's pair is the same
    either way, with the index it has in each concept."""
    km = LangSection(terms=tuple(khmer))
    alone = Concept("c", en=LangSection(terms=(english,)), km=km)
    rejected = Term("rejected", review=Review(state=ReviewState.REJECTED))
    general = Concept("c", en=LangSection(terms=(rejected, *alone.en.terms)), km=km)
    one = [(p.en, p.km_index, p.km) for p in pair_terms(alone)]
    many = [(p.en, p.km_index, p.km) for p in pair_terms(general)]
    assert one == many
    assert all(p.en_index == 0 for p in pair_terms(alone))
    assert all(p.en_index == 1 for p in pair_terms(general))
