"""The shipped glossary (terms/): coverage, completeness, review rules, Khmer consistency."""

from __future__ import annotations

from pathlib import Path

import pytest

from glossary import khmer, loader
from glossary.model import ConceptStatus, ReviewState

ROOT = Path(__file__).resolve().parent.parent
TERMS = ROOT / "terms"
CONVENTIONS = ROOT / "docs" / "khmer-conventions.md"
ASEAN_GUIDES = ("asean-guide-2024", "asean-genai-guide-2025")
ASEAN = {"asean-guide-2024", "asean-genai-guide-2025", "asean-rai-roadmap-2025"}
# Sources whose definitions the glossary also takes in (EU AI Act Art. 3, NIST, ISO …).
DEFINITION_SOURCES = {"eu-ai-act", "nist-ai-rmf-1.0", "nist-ai-600-1",
                      "nist-trustworthy-ai-glossary", "iso-iec-22989", "oecd-ai-recommendation",
                      "unesco-ai-ethics-2021"}


def _table(section_title: str) -> list[list[str]]:
    """The rows of the first Markdown table after a heading of the conventions."""
    text = CONVENTIONS.read_text(encoding="utf-8")
    start = text.index(section_title)
    rows = []
    for line in text[start:].splitlines()[1:]:
        if line.startswith("#") and rows:
            break
        if line.startswith("|") and not line.startswith("| ---"):
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows[1:]  # without the header row


# English word in the preferred term → the Khmer element its preferred term must contain,
# as docs/khmer-conventions.md states it (the document is the rule; this test holds
# the glossary to it).
KEY_ELEMENTS = {row[0].casefold(): row[1] for row in _table("## 1. One English element")}
# Deliberate exceptions: (concept id, English word) → why the element is not used.
EXCEPTIONS = {(row[0], row[1].casefold()): row[2] for row in _table("### Exceptions")}


@pytest.fixture(scope="module")
def loaded():
    return loader.load_checked(TERMS, cache_dir=None)  # what `glossary check` reads


@pytest.fixture(scope="module")
def concepts(loaded):
    return [c for c in loaded.glossary.concepts if c.status is ConceptStatus.ACTIVE]


def test_shipped_glossary_passes_strict_check(loaded) -> None:
    assert [p.format() for p in loaded.problems] == []


def test_size(concepts) -> None:
    assert len(concepts) >= 420


def test_every_asean_guide_section_is_cited(loaded, concepts) -> None:
    cited = {(r.doc, r.section) for c in concepts for r in c.sources}
    for doc_id in ASEAN_GUIDES:
        doc = loaded.glossary.document(doc_id)
        assert doc is not None
        missing = [s.id for s in doc.sections if (doc_id, s.id) not in cited]
        assert missing == [], f"{doc_id}: sections nobody cites: {missing}"


def test_every_concept_has_definition_and_a_source_of_record(concepts) -> None:
    """Each concept cites an ASEAN document, or a registered definition source it comes
    from (EU AI Act Article 3, NIST, ISO …); most cite an ASEAN document."""
    for concept in concepts:
        assert concept.en.definition is not None, concept.id
        assert concept.sources, concept.id
        assert any(r.doc in ASEAN | DEFINITION_SOURCES for r in concept.sources), concept.id
    asean = sum(1 for c in concepts if any(r.doc in ASEAN for r in c.sources))
    assert asean / len(concepts) >= 0.85


def test_every_concept_has_a_khmer_definition_and_an_example(concepts) -> None:
    for concept in concepts:
        assert concept.km.definition is not None, concept.id
        assert khmer.has_khmer(concept.km.definition.text), concept.id
        assert concept.examples, concept.id


def test_examples_use_the_terms(concepts) -> None:
    """The Khmer sentence shows the Khmer preferred term as written; the English one an
    English term of the concept."""
    for concept in concepts:
        km = concept.km.preferred
        en_terms = [t.text.casefold() for t in concept.en.terms]
        for example in concept.examples:
            assert km is not None and khmer.search_key(km.text) in khmer.search_key(
                example.km), f"{concept.id}: {example.km}"
            assert any(t in example.en.casefold() for t in en_terms), (
                f"{concept.id}: {example.en}")


def test_every_khmer_term_has_a_rationale(concepts) -> None:
    """The preferred term and every alternative say why (how formed, what avoided)."""
    missing = [f"{c.id} km[{i}]" for c in concepts for i, t in enumerate(c.km.terms)
               if not (t.rationale and t.rationale.strip())]
    assert missing == []


def test_alternatives_are_offered(concepts) -> None:
    """Most concepts show the reviewer more than one option."""
    with_alternatives = sum(1 for c in concepts if len(c.km.terms) >= 2)
    assert with_alternatives / len(concepts) >= 0.9


def test_modifiers_are_tagged_as_adjectives(concepts) -> None:
    by_id = {c.id: c for c in concepts}
    for cid, text in (("fail-safe", "fail-safe"), ("secure-and-resilient", None)):
        concept = by_id[cid]
        terms = [t for t in concept.en.terms if text is None or t.text == text]
        assert terms and all(t.pos == "adjective" for t in terms), cid


def test_headwords_for_risk_and_bias(concepts) -> None:
    by_id = {c.id: c for c in concepts}
    for cid, en in (("risk", "risk"), ("bias", "bias")):
        assert by_id[cid].en.preferred is not None
        assert by_id[cid].en.preferred.text == en


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


def test_the_conventions_table_is_read() -> None:
    """The element table of docs/khmer-conventions.md is what the next test holds the
    glossary to: it must have been found and parsed."""
    assert KEY_ELEMENTS["model"] == "គំរូ" and KEY_ELEMENTS["prompt"] == "ពាក្យជំរុញ"
    assert len(KEY_ELEMENTS) >= 20


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


def test_every_state_of_typing_a_khmer_term_finds_it(concepts) -> None:
    """A search box typed letter by letter: each prefix of every Khmer term, as its key,
    is part of the term's key (before the coeng rule of khmer.normalize, 11 of the
    20,023 states failed, each one a word typed up to a coeng)."""
    states = 0
    for concept in concepts:
        for term in concept.km.terms:
            whole = khmer.search_key(term.text)
            for n in range(1, len(term.text)):
                states += 1
                assert khmer.search_key(term.text[:n]) in whole, (concept.id, term.text[:n])
    assert states > 10_000
