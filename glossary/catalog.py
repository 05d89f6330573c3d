"""The glossary as a translation catalog: which Khmer term answers which English term.

Pure functions over the model (no I/O), shared by the gettext export, the import review
and any other format that exchanges term pairs (TBX, CSV):

* :func:`pair_terms` decides, for each English term of a concept, the Khmer term that
  translates it. The rule, stable across exports: Khmer terms that are rejected or
  superseded never pair; each English term (in file order, rejected ones skipped) takes
  the first unpaired Khmer term of the same ``type`` (fullForm, acronym …). So "AI model"
  gets the Khmer full form and "LLM" the Khmer acronym, and a term appended later (an
  import's alternative proposal) never displaces an existing pair.
* :func:`entry_context` / :func:`parse_context` give the gettext message context of a
  pair: the concept id for its first English term, ``<id>#<n>`` for English term ``n``.
* :func:`fingerprint` hashes the English and Khmer text of a pair, so an import can tell
  whether the glossary changed since a file was exported.
* :class:`IncomingTerm` is the format-neutral shape of one term read back from any
  interchange file; :mod:`glossary.review` compares a list of them with the glossary.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from glossary.model import (
    AdminStatus,
    Concept,
    ConceptStatus,
    Document,
    Glossary,
    ReviewState,
    Term,
    format_ref,
)

FINGERPRINT_LENGTH = 12


@dataclass(frozen=True, slots=True)
class Pair:
    """English term ``en_index`` of a concept and the Khmer term that translates it."""

    en_index: int
    en: Term
    km_index: int | None
    km: Term | None


@dataclass(frozen=True, slots=True)
class IncomingTerm:
    """One term read back from an interchange file, whatever its format.

    ``concept_id`` and ``term_index`` (the index of the English term in the concept) are
    ``None`` when the file does not say; :mod:`glossary.review` then matches on
    ``en_text``. ``text`` is the incoming term in ``lang`` (normalized by the reader);
    ``fingerprint`` is the one exported with the entry, if any; ``fuzzy`` means the
    editor marked it as needing work; ``origin_file`` and ``line`` locate it.
    """

    concept_id: str | None
    term_index: int | None
    lang: str
    text: str
    en_text: str
    fingerprint: str | None = None
    fuzzy: bool = False
    origin_file: str = ""
    line: int | None = None


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    """One message of an exported catalog (format-neutral; PO and MO writers take it)."""

    context: str
    msgid: str
    msgstr: str
    comments: tuple[str, ...]
    fuzzy: bool
    fingerprint: str
    reference: str
    concept_id: str
    en_index: int
    km_index: int | None


def is_candidate(term: Term) -> bool:
    """Whether a term may answer (or be answered by) a term in the other language."""
    return (
        term.review.state is not ReviewState.REJECTED
        and term.admin_status is not AdminStatus.SUPERSEDED
    )


def pair_terms(concept: Concept) -> list[Pair]:
    """Pair each English term with its Khmer translation (see the module docstring)."""
    used: set[int] = set()
    pairs: list[Pair] = []
    km_terms = concept.km.terms
    for i, en in enumerate(concept.en.terms):
        if not is_candidate(en):
            continue
        match: int | None = None
        for j, km in enumerate(km_terms):
            if j not in used and is_candidate(km) and km.type is en.type:
                match = j
                break
        if match is not None:
            used.add(match)
        pairs.append(Pair(i, en, match, km_terms[match] if match is not None else None))
    return pairs


def pair_for(concept: Concept, en_index: int) -> Pair | None:
    for pair in pair_terms(concept):
        if pair.en_index == en_index:
            return pair
    return None


def entry_context(concept_id: str, en_index: int) -> str:
    return concept_id if en_index == 0 else f"{concept_id}#{en_index}"


def parse_context(context: str) -> tuple[str, int] | None:
    """``"ai-model#1"`` → ``("ai-model", 1)``; ``"ai-model"`` → ``("ai-model", 0)``."""
    concept_id, sep, index = context.strip().partition("#")
    if not concept_id:
        return None
    if not sep:
        return concept_id, 0
    if not index.isdigit() or not index.isascii():
        return None
    return concept_id, int(index)


def fingerprint(en_text: str, km_text: str | None) -> str:
    """A short hash of an English term and its Khmer translation, as exported."""
    data = f"{en_text}\x1f{km_text or ''}".encode()
    return hashlib.sha256(data).hexdigest()[:FINGERPRINT_LENGTH]


def _review_words(term: Term) -> str:
    review = term.review
    words = [review.state.value]
    details = [review.origin]
    if review.proposed_by:
        details.append(f"proposed by {review.proposed_by}")
    if review.approved_by:
        on = f" on {review.approved_on.isoformat()}" if review.approved_on else ""
        details.append(f"approved by {review.approved_by}{on}")
    return f"{words[0]} ({'; '.join(details)})"


def _comments(
    concept: Concept, pair: Pair, documents: dict[str, Document], domains: dict[str, str]
) -> list[str]:
    lines: list[str] = []
    definition = concept.en.definition
    if definition is not None:
        lines.append(f"Definition: {definition.text}")
    if concept.domains:
        lines.append("Domains: " + ", ".join(domains.get(d, d) for d in concept.domains))
    en = pair.en
    lines.append(f"English term: {en.admin_status.value} {en.type.value}")
    if pair.km is None:
        lines.append("Khmer term: none yet (please propose one)")
    else:
        lines.append(f"Khmer term: {_review_words(pair.km)}")
    refs = [format_ref(ref, documents.get(ref.doc)) for ref in concept.sources]
    if refs:
        lines.append("Sources: " + "; ".join(refs))
    for note in concept.notes:
        lines.append(f"Note: {note}")
    for term in (en, pair.km):
        if term is not None and term.note:
            lines.append(f"Note: {term.note}")
        if term is not None and term.context:
            lines.append(f"Example: {term.context}")
    if en.dnt or (pair.km is not None and pair.km.dnt):
        lines.append("Do not translate: keep this term in English in Khmer text.")
    others = [
        f"{t.text} ({t.admin_status.value}, {t.review.state.value})"
        for j, t in enumerate(concept.km.terms)
        if j != pair.km_index and is_candidate(t)
    ]
    if others:
        lines.append("Other Khmer terms: " + "; ".join(others))
    return lines


def build_entries(glossary: Glossary, *, approved_only: bool = False) -> list[CatalogEntry]:
    """The catalog of a glossary: one entry per English term of each active concept, in
    concept-id order. ``approved_only`` keeps only pairs whose Khmer term is approved."""
    documents = {d.id: d for d in glossary.documents}
    domains = {d.id: d.en for d in glossary.domains}
    entries: list[CatalogEntry] = []
    for concept in glossary.concepts:
        if concept.status is ConceptStatus.RETIRED:
            continue
        for pair in pair_terms(concept):
            km = pair.km
            approved = km is not None and km.review.state is ReviewState.APPROVED
            if approved_only and not approved:
                continue
            km_text = km.text if km is not None else ""
            entries.append(CatalogEntry(
                context=entry_context(concept.id, pair.en_index),
                msgid=pair.en.text,
                msgstr=km_text,
                comments=tuple(_comments(concept, pair, documents, domains)),
                fuzzy=bool(km_text) and not approved,
                fingerprint=fingerprint(pair.en.text, km_text),
                reference=f"terms/{concept.id}.toml",
                concept_id=concept.id,
                en_index=pair.en_index,
                km_index=pair.km_index,
            ))
    return entries
