"""Which terms an export carries: ``--approved-only``, ``--min-review approved|proposed``
and ``--domain``.

A pure function over the model, applied once before any format writes (TBX, CSV, XLSX,
JSON, PO, MO, OmegaT, the build's downloads), so every format honours the same rule:

* Khmer terms and the Khmer definition are kept when their review state reaches the
  level (``approved``: approved only; ``proposed``: proposed or approved — drafts and
  rejected terms are left out);
* a concept is kept only when at least one of its Khmer terms is kept, with its English
  terms (except rejected ones) and its English definition: the English side is the
  source the Khmer term answers, whatever its own review state;
* retired concepts are left out.

With no level (the default) the glossary is exported whole.

``--domain`` (:func:`in_domains`) keeps the concepts of the domains named, before the
level is applied: a part of the glossary for a translator or another project.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from glossary.errors import ConfigError
from glossary.model import Concept, ConceptStatus, Glossary, LangSection, ReviewState

LEVELS: tuple[str, ...] = ("approved", "proposed")

ACCEPTED: dict[str, frozenset[ReviewState]] = {
    "approved": frozenset({ReviewState.APPROVED}),
    "proposed": frozenset({ReviewState.APPROVED, ReviewState.PROPOSED}),
}


def level(approved_only: bool = False, min_review: str | None = None) -> str | None:
    """The review level an export asked for (``--approved-only`` wins), or None."""
    if approved_only:
        return "approved"
    if min_review is not None and min_review not in ACCEPTED:
        raise ValueError(f"min_review must be one of {', '.join(LEVELS)}, not {min_review!r}")
    return min_review


def _concept(concept: Concept, accepted: frozenset[ReviewState]) -> Concept | None:
    if concept.status is ConceptStatus.RETIRED:
        return None
    km_terms = tuple(t for t in concept.km.terms if t.review.state in accepted)
    if not km_terms:
        return None
    km_def = concept.km.definition
    if km_def is not None and km_def.review.state not in accepted:
        km_def = None
    en_terms = tuple(t for t in concept.en.terms if t.review.state is not ReviewState.REJECTED)
    return replace(concept, en=LangSection(concept.en.definition, en_terms),
                   km=LangSection(km_def, km_terms))


def select(glossary: Glossary, min_review: str | None) -> Glossary:
    """The part of ``glossary`` reviewed at least to ``min_review`` (see the module
    docstring); the glossary itself when ``min_review`` is None."""
    if min_review is None:
        return glossary
    found = glossary.selections.get(min_review)
    if found is None:
        accepted = ACCEPTED[min_review]
        kept = [c for c in (_concept(c, accepted) for c in glossary.concepts) if c is not None]
        ids = {c.id for c in kept}
        kept = [replace(c, see_also=tuple(s for s in c.see_also if s in ids)) for c in kept]
        found = glossary.selections[min_review] = Glossary(tuple(kept), glossary.documents,
                                                           glossary.domains)
    return found


def known_domains(glossary: Glossary, domains: tuple[str, ...]) -> None:
    """Refuse a ``--domain`` that ``terms/_domains.toml`` does not have (a typo would
    give an empty export or list, as if the domain had nothing)."""
    ids = [d.id for d in glossary.domains]
    for domain in domains:
        if domain not in ids:
            raise ConfigError(f"unknown domain {domain!r}",
                              hint="use an id from terms/_domains.toml: " + ", ".join(ids))


def in_domains(glossary: Glossary, domains: tuple[str, ...]) -> Glossary:
    """The concepts of ``glossary`` in at least one of ``domains`` (each checked with
    :func:`known_domains`), their see-also links to concepts left out dropped, with the
    documents and domains of the registry; the glossary itself when ``domains`` is
    empty."""
    if not domains:
        return glossary
    known_domains(glossary, domains)
    wanted = set(domains)
    kept = [c for c in glossary.concepts if not wanted.isdisjoint(c.domains)]
    ids = {c.id for c in kept}
    kept = [c if ids.issuperset(c.see_also) else
            replace(c, see_also=tuple(s for s in c.see_also if s in ids)) for c in kept]
    return Glossary(tuple(kept), glossary.documents, glossary.domains)


@dataclass(frozen=True)
class Counts:
    concepts: int
    km_terms: int


def count(glossary: Glossary) -> Counts:
    return Counts(len(glossary.concepts), sum(len(c.km.terms) for c in glossary.concepts))


def empty_warning(what: str, min_review: str) -> str:
    """What to tell a user whose export at ``min_review`` holds nothing."""
    return (f"warning: {what} holds no Khmer term: none is {min_review} yet "
            f"(approve terms with `glossary review approve CONCEPT --by NAME`, "
            f"or export proposals with --min-review proposed)")
