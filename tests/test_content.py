"""The shipped glossary (terms/): coverage, completeness, review rules, Khmer consistency."""

from __future__ import annotations

from pathlib import Path

import pytest

from glossary import khmer, source, validate
from glossary.model import ConceptStatus, ReviewState

TERMS = Path(__file__).resolve().parent.parent / "terms"
ASEAN_GUIDES = ("asean-guide-2024", "asean-genai-guide-2025")

# English word in the preferred term → the Khmer element its preferred term must contain.
KEY_ELEMENTS = {
    "model": "គំរូ",
    "data": "ទិន្នន័យ",
    "risk": "ហានិភ័យ",
    "system": "ប្រព័ន្ធ",
    "governance": "អភិបាលកិច្ច",
    "generative": "បង្កើតថ្មី",
}
# Deliberate exceptions: (concept id, English word) → why the element is not used.
EXCEPTIONS: dict[tuple[str, str], str] = {}


@pytest.fixture(scope="module")
def loaded():
    return source.load_glossary(TERMS)


@pytest.fixture(scope="module")
def concepts(loaded):
    return [c for c in loaded.glossary.concepts if c.status is ConceptStatus.ACTIVE]


def test_shipped_glossary_passes_strict_check(loaded) -> None:
    problems = validate.validate(loaded)
    assert [p.format() for p in problems] == []


def test_size(concepts) -> None:
    assert len(concepts) >= 300


def test_every_asean_guide_section_is_cited(loaded, concepts) -> None:
    cited = {(r.doc, r.section) for c in concepts for r in c.sources}
    for doc_id in ASEAN_GUIDES:
        doc = loaded.glossary.document(doc_id)
        assert doc is not None
        missing = [s.id for s in doc.sections if (doc_id, s.id) not in cited]
        assert missing == [], f"{doc_id}: sections nobody cites: {missing}"


def test_every_concept_has_definition_and_asean_reference(concepts) -> None:
    asean = {"asean-guide-2024", "asean-genai-guide-2025", "asean-rai-roadmap-2025"}
    for concept in concepts:
        assert concept.en.definition is not None, concept.id
        assert concept.sources, concept.id
        assert any(r.doc in asean for r in concept.sources), concept.id


def test_every_concept_has_a_khmer_proposal(concepts) -> None:
    for concept in concepts:
        preferred = concept.km.preferred
        assert preferred is not None, concept.id
        assert khmer.has_khmer(preferred.text) or preferred.dnt, concept.id
        assert "\u200b" not in preferred.text, concept.id
    with_definition = sum(1 for c in concepts if c.km.definition is not None)
    assert with_definition >= 100


def test_no_term_is_approved_without_a_named_reviewer(concepts) -> None:
    for concept in concepts:
        for lang in ("en", "km"):
            section = concept.lang(lang)
            records = [t.review for t in section.terms]
            if section.definition is not None:
                records.append(section.definition.review)
            for review in records:
                if review.state is ReviewState.APPROVED:
                    assert review.approved_by and review.approved_on, concept.id


def test_machine_assisted_khmer_is_never_approved(concepts) -> None:
    for concept in concepts:
        for term in concept.km.terms:
            if term.review.origin == "machine-assisted":
                assert term.review.state is not ReviewState.APPROVED, concept.id


def test_most_concepts_have_see_also(concepts) -> None:
    linked = sum(1 for c in concepts if c.see_also)
    assert linked / len(concepts) >= 0.8


def _words(text: str) -> set[str]:
    return set(text.casefold().replace("-", " ").replace("/", " ").split())


@pytest.mark.parametrize("word", sorted(KEY_ELEMENTS))
def test_khmer_element_is_consistent(concepts, word: str) -> None:
    element = KEY_ELEMENTS[word]
    inconsistent = []
    for concept in concepts:
        en, km = concept.en.preferred, concept.km.preferred
        if en is None or km is None or word not in _words(en.text):
            continue
        if element not in km.text and (concept.id, word) not in EXCEPTIONS:
            inconsistent.append(f"{concept.id}: {en.text} → {km.text}")
    assert inconsistent == [], f"'{word}' should be '{element}' in: {inconsistent}"
