"""What an incoming concept is matched and named by (:mod:`glossary.imports.plan`).

* :func:`preferred_term` — the English term a record is matched on, and
  :func:`match_key` — that term's key (:func:`glossary.khmer.search_key`);
* :func:`planned_text` — a term's text as the plan compares and keeps it (the boundary,
  :mod:`glossary.imports.clean`, has already normalized it);
* :func:`slugify` — the base of a fresh concept id made from an English term.
"""

from __future__ import annotations

import re
import unicodedata

from glossary import khmer
from glossary.imports.records import InConcept, InTerm
from glossary.model import AdminStatus

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
