"""Figures about a glossary: concepts, terms per language and review state, the Khmer
review per domain, coverage."""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass, field

from glossary.model import ConceptStatus, Glossary


@dataclass
class DomainReview:
    """One domain: its active concepts and their Khmer terms per review state."""

    domain: str
    concepts: int = 0
    km_terms: dict[str, int] = field(default_factory=dict)


@dataclass
class Stats:
    concepts: int = 0
    retired: int = 0
    terms: dict[str, dict[str, int]] = field(default_factory=dict)
    definitions: dict[str, int] = field(default_factory=dict)
    #: the definitions per language and review state (as ``terms``)
    definition_reviews: dict[str, dict[str, int]] = field(default_factory=dict)
    without_khmer: list[str] = field(default_factory=list)
    without_definition: list[str] = field(default_factory=list)
    coverage: list[dict[str, object]] = field(default_factory=list)
    #: per domain of the registry, in its order: its active concepts and their Khmer
    #: terms per review state (where review work stands, to plan it by domain)
    domains: list[DomainReview] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return dataclasses.asdict(self)


def compute(glossary: Glossary) -> Stats:
    stats = Stats()
    states = ("draft", "proposed", "approved", "rejected")
    for lang in ("en", "km"):
        stats.terms[lang] = dict.fromkeys(states, 0)
        stats.definitions[lang] = 0
        stats.definition_reviews[lang] = dict.fromkeys(states, 0)
    cited: Counter[tuple[str, str]] = Counter()
    per_domain = {d.id: DomainReview(d.id, 0, dict.fromkeys(states, 0))
                  for d in glossary.domains}
    for concept in glossary.concepts:
        if concept.status is ConceptStatus.RETIRED:
            stats.retired += 1
            continue
        stats.concepts += 1
        for lang in ("en", "km"):
            section = concept.lang(lang)
            for term in section.terms:
                stats.terms[lang][term.review.state.value] += 1
            if section.definition is not None:
                stats.definitions[lang] += 1
                stats.definition_reviews[lang][section.definition.review.state.value] += 1
        if not concept.km.terms:
            stats.without_khmer.append(concept.id)
        if concept.en.definition is None:
            stats.without_definition.append(concept.id)
        cited.update({(r.doc, r.section) for r in concept.sources})
        for domain in concept.domains:
            row = per_domain.get(domain)
            if row is not None:
                row.concepts += 1
                for term in concept.km.terms:
                    row.km_terms[term.review.state.value] += 1
    stats.domains = list(per_domain.values())
    for doc in glossary.documents:
        for part in doc.sections:
            stats.coverage.append({
                "doc": doc.id,
                "short": doc.short,
                "section": part.id,
                "title": part.title,
                "concepts": cited.get((doc.id, part.id), 0),
            })
    return stats
