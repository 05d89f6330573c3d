"""The whole glossary as one JSON document (schema in docs/exchange.md, "glossary export
json"): ``write`` and its inverse ``loads``, which gives a Glossary back (used
by ``glossary diff`` to compare two exports; JSON is not imported)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import IO, Any

from glossary.errors import FormatError
from glossary.formats.options import WriteOptions
from glossary.formats.pieces import key_of
from glossary.formats.pieces import write as write_pieces
from glossary.model import (
    AdminStatus,
    Concept,
    ConceptStatus,
    Definition,
    Document,
    Domain,
    Example,
    Glossary,
    LangSection,
    QAContext,
    Review,
    ReviewState,
    Section,
    SourceRef,
    Term,
    TermType,
)

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
    if term.rationale:
        out["rationale"] = term.rationale
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
    out = {
        "id": concept.id,
        "status": concept.status.value,
        "domains": list(concept.domains),
        "sources": [_ref(r) for r in concept.sources],
        "see_also": list(concept.see_also),
        "notes": list(concept.notes),
        "examples": [{"en": e.en, "km": e.km} for e in concept.examples],
        "en": _lang(concept.en),
        "km": _lang(concept.km),
    }
    if concept.qa_context is not None:
        out["qa_context"] = concept.qa_context.value
    return out


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


class JsonPieces:
    """The JSON document as :mod:`~glossary.formats.pieces`: the head (schema, revision,
    ``"concepts": [``), one concept object per piece, separated by commas, and the tail
    (the documents and domains)."""

    separator = b","

    def __init__(self, glossary: Glossary, revision: str | None = None) -> None:
        whole = json.dumps(glossary_dict(Glossary((), glossary.documents, glossary.domains),
                                         revision), ensure_ascii=False, indent=2) + "\n"
        before, found, after = whole.partition('"concepts": []')
        assert found, "glossary_dict has a concepts list"
        self._head = (before + '"concepts": [').encode("utf-8")
        self._tail = (("\n  ]" if glossary.concepts else "]") + after).encode("utf-8")
        self.key = key_of("json", SCHEMA)

    def head(self) -> bytes:
        return self._head

    def tail(self) -> bytes:
        return self._tail

    def piece(self, concept: Concept) -> bytes:
        """The concept's object as the whole document's ``indent=2`` would print it, at
        its depth (two levels in)."""
        text = json.dumps(concept_dict(concept), ensure_ascii=False, indent=2)
        return ("\n    " + text.replace("\n", "\n    ")).encode("utf-8")


def pieces(glossary: Glossary, options: WriteOptions | None = None) -> JsonPieces:
    return JsonPieces(glossary, (options or WriteOptions()).revision or None)


def write(glossary: Glossary, out: IO[bytes], options: WriteOptions | None = None) -> None:
    """The document as UTF-8 to a binary stream, with ``options.revision``: deterministic
    (concepts in order, stable key order, final newline), the same text as
    ``json.dumps(glossary_dict(…), ensure_ascii=False, indent=2)``."""
    write_pieces(pieces(glossary, options), glossary.concepts, out)


# --------------------------------------------------------------------------- reading


def _read_review(data: Any) -> Review:
    data = data if isinstance(data, dict) else {}

    def day(name: str) -> date | None:
        value = data.get(name)
        return date.fromisoformat(value) if isinstance(value, str) and value else None

    return Review(
        state=ReviewState(data.get("state", "draft")),
        origin=data.get("origin", "human"),
        proposed_by=data.get("proposed_by"),
        proposed_on=day("proposed_on"),
        approved_by=data.get("approved_by"),
        approved_on=day("approved_on"),
        note=data.get("note"),
    )


def _read_ref(data: Any) -> SourceRef | None:
    if not isinstance(data, dict):
        return None
    return SourceRef(doc=data["doc"], section=str(data["section"]), page=data.get("page"),
                     note=data.get("note"))


def _read_term(data: dict[str, Any]) -> Term:
    return Term(
        text=data["text"],
        admin_status=AdminStatus(data.get("admin_status", "preferred")),
        type=TermType(data.get("type", "fullForm")),
        pos=data.get("pos", "noun"),
        context=data.get("context"),
        dnt=bool(data.get("dnt", False)),
        note=data.get("note"),
        review=_read_review(data.get("review")),
        rationale=data.get("rationale"),
    )


def _read_lang(data: Any) -> LangSection:
    if not isinstance(data, dict):
        return LangSection()
    definition = None
    ddata = data.get("definition")
    if isinstance(ddata, dict):
        definition = Definition(text=ddata["text"], source=_read_ref(ddata.get("source")),
                                review=_read_review(ddata.get("review")))
    return LangSection(definition=definition,
                       terms=tuple(_read_term(t) for t in data.get("terms", [])))


def _read_concept(data: dict[str, Any]) -> Concept:
    return Concept(
        id=data["id"],
        domains=tuple(data.get("domains", [])),
        sources=tuple(r for r in (_read_ref(x) for x in data.get("sources", [])) if r),
        see_also=tuple(data.get("see_also", [])),
        notes=tuple(data.get("notes", [])),
        status=ConceptStatus(data.get("status", "active")),
        en=_read_lang(data.get("en")),
        km=_read_lang(data.get("km")),
        examples=tuple(Example(en=e["en"], km=e["km"]) for e in data.get("examples", [])
                       if isinstance(e, dict) and "en" in e and "km" in e),
        qa_context=QAContext(data["qa_context"]) if data.get("qa_context") else None,
    )


def loads(text: str, path: Path | None = None) -> tuple[Glossary, str | None]:
    """Parse a JSON export back into a Glossary and its revision (concepts and terms;
    documents and domains too). Raises FormatError for malformed input."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError(f"not valid JSON: {exc.msg}", path=path, line=exc.lineno,
                          column=exc.colno) from None
    if not isinstance(data, dict) or not isinstance(data.get("concepts"), list):
        raise FormatError("not a glossary JSON export (no \"concepts\" list)", path=path,
                          hint="make one with `glossary export json -o FILE`")
    try:
        concepts = tuple(sorted((_read_concept(c) for c in data["concepts"]),
                                key=lambda c: c.id))
        documents = tuple(
            Document(id=d["id"], short=d.get("short") or d["id"], title=d.get("title") or d["id"],
                     title_km=d.get("title_km"), publisher=d.get("publisher"),
                     year=d.get("year"), url=d.get("url"), edition=d.get("edition"),
                     kind=d.get("kind") or "reference",
                     sections=tuple(Section(id=s["id"], title=s.get("title") or s["id"],
                                            title_km=s.get("title_km"), page=s.get("page"))
                                    for s in d.get("sections", [])))
            for d in data.get("documents", [])
        )
        domains = tuple(Domain(id=d["id"], en=d.get("en") or d["id"], km=d.get("km"))
                        for d in data.get("domains", []))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise FormatError(f"unexpected glossary JSON: {type(exc).__name__}: {exc}", path=path,
                          hint="make one with `glossary export json -o FILE`") from None
    revision = data.get("revision")
    return (Glossary(concepts=concepts, documents=documents, domains=domains),
            revision if isinstance(revision, str) else None)
