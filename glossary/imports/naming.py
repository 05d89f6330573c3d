"""What an incoming concept is matched and named by (:mod:`glossary.imports.plan`).

* :func:`preferred_term` — the English term a record is matched on, and
  :func:`match_key` — that term's key (:func:`glossary.khmer.search_key`);
* :func:`planned_text` — a term's text as the plan compares and keeps it (the boundary,
  :mod:`glossary.imports.clean`, has already normalized it);
* :func:`slugify` — the base of a fresh concept id made from an English term;
* :class:`ConceptFinder` — the existing concept an incoming record is.
"""

from __future__ import annotations

import re
import unicodedata

from glossary import khmer
from glossary.imports.records import InConcept, InTerm
from glossary.model import AdminStatus, Concept, Glossary

_ZERO_WIDTH_CHARS = "\u200b\u200c\u200d\u2060\ufeff"
_ZERO_WIDTH = dict.fromkeys(map(ord, _ZERO_WIDTH_CHARS))
_ANY_ZERO_WIDTH = re.compile(f"[{_ZERO_WIDTH_CHARS}]")
_PREFERRED = AdminStatus.PREFERRED


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")
    return slug or "concept"


def planned_text(text: str) -> str:
    """Zero-width characters dropped, runs of whitespace folded, ends stripped."""
    if not text.isascii() and _ANY_ZERO_WIDTH.search(text):
        text = text.translate(_ZERO_WIDTH)
    return " ".join(text.split())


def preferred_term(incoming: InConcept) -> InTerm | None:
    """The English term an incoming record is matched on (its key: :func:`match_key`):
    the first preferred one (or without a status), else the first."""
    terms = incoming.en.terms
    for term in terms:
        if term.admin_status is None or term.admin_status is _PREFERRED:
            return term
    return terms[0] if terms else None


def match_key(preferred: InTerm | None) -> str | None:
    return khmer.search_key(planned_text(preferred.text)) if preferred is not None else None


class ConceptFinder:
    """The concept of ``glossary`` an incoming record is: the one with its id, else the
    one whose English preferred term has the record's key (:func:`match_key`), else the
    one that has it as another English term (``model``: ai-model's short form), as a PO
    entry's msgid is matched. Several concepts: a string naming them (a conflict)."""

    def __init__(self, glossary: Glossary) -> None:
        self.glossary = glossary
        self.by_key: dict[str, list[str]] = {}
        for concept in glossary.concepts:
            preferred = concept.en.preferred
            if preferred is not None:
                self.by_key.setdefault(khmer.search_key(preferred.text), []).append(concept.id)
        self._other_terms: dict[str, list[str]] | None = None

    def match(self, incoming: InConcept, key: str | None) -> Concept | None | str:
        if incoming.id:
            found = self.glossary.concept(incoming.id)
            if found is not None:
                return found
        if key is None:
            return None
        ids = self.by_key.get(key) or self.other_terms().get(key, [])
        if len(ids) > 1:
            return "matches " + ", ".join(ids)
        return self.glossary.concept(ids[0]) if ids else None

    def other_terms(self) -> dict[str, list[str]]:
        """The concepts by the key of each English term that is not their preferred one,
        made on the first record that needs it (an export of ours matches by id)."""
        if self._other_terms is None:
            self._other_terms = {}
            for concept in self.glossary.concepts:
                preferred = concept.en.preferred
                for term in concept.en.terms:
                    if term is not preferred:
                        ids = self._other_terms.setdefault(khmer.search_key(term.text), [])
                        if concept.id not in ids:
                            ids.append(concept.id)
        return self._other_terms
