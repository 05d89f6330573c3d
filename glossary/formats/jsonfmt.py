"""The whole glossary as one JSON document (schema in the README, "glossary export json")."""

from __future__ import annotations

import json
from typing import Any

from glossary.model import Concept, Definition, Glossary, LangSection, Review, SourceRef, Term

SCHEMA = "https://github.com/khmer-ai-glossary/glossary/schema/v1"


def _review(review: Review) -> dict[str, Any]:
    out: dict[str, Any] = {"state": review.state.value, "origin": review.origin}
    for name in ("proposed_by", "proposed_on", "approved_by", "approved_on", "note"):
        value = getattr(review, name)
        if value is not None:
            out[name] = value if isinstance(value, str) else value.isoformat()
    return out


def _ref(ref: SourceRef) -> dict[str, Any]:
    out: dict[str, Any] = {"doc": ref.doc, "section": ref.section}
    if ref.page is not None:
        out["page"] = ref.page
    if ref.note:
        out["note"] = ref.note
    return out


def _term(term: Term) -> dict[str, Any]:
    out: dict[str, Any] = {
        "text": term.text,
        "admin_status": term.admin_status.value,
        "type": term.type.value,
        "pos": term.pos,
        "dnt": term.dnt,
        "review": _review(term.review),
    }
    if term.context:
        out["context"] = term.context
    if term.note:
        out["note"] = term.note
    return out


def _definition(definition: Definition | None) -> dict[str, Any] | None:
    if definition is None:
        return None
    out: dict[str, Any] = {"text": definition.text, "review": _review(definition.review)}
    if definition.source is not None:
        out["source"] = _ref(definition.source)
    return out


def _lang(section: LangSection) -> dict[str, Any]:
    return {"definition": _definition(section.definition),
            "terms": [_term(t) for t in section.terms]}


def concept_dict(concept: Concept) -> dict[str, Any]:
    return {
        "id": concept.id,
        "status": concept.status.value,
        "domains": list(concept.domains),
        "sources": [_ref(r) for r in concept.sources],
        "see_also": list(concept.see_also),
        "notes": list(concept.notes),
        "en": _lang(concept.en),
        "km": _lang(concept.km),
    }


def glossary_dict(glossary: Glossary, revision: str | None = None) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "revision": revision,
        "concepts": [concept_dict(c) for c in glossary.concepts],
        "documents": [
            {
                "id": d.id, "short": d.short, "title": d.title, "title_km": d.title_km,
                "publisher": d.publisher, "year": d.year, "url": d.url, "edition": d.edition,
                "kind": d.kind,
                "sections": [
                    {"id": s.id, "title": s.title, "title_km": s.title_km, "page": s.page}
                    for s in d.sections
                ],
            }
            for d in glossary.documents
        ],
        "domains": [{"id": d.id, "en": d.en, "km": d.km} for d in glossary.domains],
    }


def write(glossary: Glossary, revision: str | None = None) -> str:
    """Serialize deterministically (sorted concepts, stable key order, final newline)."""
    return json.dumps(glossary_dict(glossary, revision), ensure_ascii=False, indent=2) + "\n"
