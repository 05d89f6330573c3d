"""Write a whole concept as a ``terms/<id>.toml`` file in the canonical layout.

Used by imports that create concepts, and to update a concept an import changes:
:func:`rewrite_concept_file` replaces only the top-level values, definitions and term
tables that differ, so the rest of the file keeps its comments and layout (it falls back
to a canonical rewrite that keeps the leading comment block when the file's structure
is unusual). The layout is the one the README documents: top-level
keys, ``[[sources]]``, then ``[en.definition]``, ``[[en.terms]]``, ``[km.definition]``,
``[[km.terms]]``; fields at their default value are left out, except ``admin_status``,
``type``, ``review`` and ``origin`` which are always written. Reading the file back
with :mod:`glossary.source` gives the same :class:`~glossary.model.Concept`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from glossary import khmer
from glossary.model import (
    Concept,
    ConceptStatus,
    Definition,
    LangSection,
    Review,
    ReviewEvent,
    ReviewState,
    SourceRef,
    Term,
)
from glossary.output import write_text


def _ref(ref: SourceRef, inline: bool = False) -> Any:
    import tomlkit

    table = tomlkit.inline_table() if inline else tomlkit.table()
    table.append("doc", ref.doc)
    table.append("section", ref.section)
    if ref.page is not None:
        table.append("page", ref.page)
    if ref.note:
        table.append("note", ref.note)
    return table


def _review(table: Any, review: Review) -> None:
    table.add("review", review.state.value)
    table.add("origin", review.origin)
    for key in ("proposed_by", "proposed_on", "approved_by", "approved_on"):
        value = getattr(review, key)
        if value is not None:
            table.add(key, value)
    if review.note:
        table.add("review_note", review.note)
    if review.history:
        table.add("history", [history_entry(e) for e in review.history])


def history_entry(event: ReviewEvent) -> Any:
    """One review-history entry as an inline table (the order of the README)."""
    import tomlkit

    entry = tomlkit.inline_table()
    entry.update({"state": event.state, "by": event.by, "on": event.on, "via": event.via})
    if event.note:
        entry["note"] = event.note
    return entry


def _definition(definition: Definition) -> Any:
    import tomlkit

    table = tomlkit.table()
    table.add("text", definition.text)
    if definition.source is not None:
        table.add("source", _ref(definition.source, inline=True))
    _review(table, definition.review)
    return table


def _term(term: Term) -> Any:
    import tomlkit

    table = tomlkit.table()
    table.add("text", term.text)
    table.add("admin_status", term.admin_status.value)
    table.add("type", term.type.value)
    if term.pos != "noun":
        table.add("pos", term.pos)
    if term.context:
        table.add("context", term.context)
    if term.dnt:
        table.add("dnt", True)
    if term.note:
        table.add("note", term.note)
    if term.rationale:
        table.add("rationale", term.rationale)
    _review(table, term.review)
    return table


def _lang(section: LangSection) -> Any:
    import tomlkit

    table = tomlkit.table(is_super_table=True)
    if section.definition is not None:
        table.add("definition", _definition(section.definition))
    if section.terms:
        terms = tomlkit.aot()
        for term in section.terms:
            terms.append(_term(term))
        table.add("terms", terms)
    return table


def render_concept(concept: Concept, header: str | None = None) -> str:
    """The text of ``terms/<id>.toml`` for ``concept``. ``header``: leading comment lines
    (without ``#``); by default the English preferred term."""
    import tomlkit

    doc = tomlkit.document()
    if header is None:
        preferred = concept.en.preferred
        header = preferred.text if preferred is not None else concept.id
    for line in header.splitlines() or [""]:  # a comment line holds no control character
        doc.add(tomlkit.comment(khmer.one_line(line)))
    doc.add("id", concept.id)
    if concept.qa_context is not None:  # kept by imports that rewrite the file
        doc.add("qa_context", concept.qa_context.value)
    if concept.status is not ConceptStatus.ACTIVE:
        doc.add("status", concept.status.value)
    doc.add("domains", list(concept.domains))
    doc.add("see_also", list(concept.see_also))
    if concept.sources:
        doc.add(tomlkit.nl())
        sources = tomlkit.aot()
        for ref in concept.sources:
            sources.append(_ref(ref))
        doc.add("sources", sources)
    if concept.examples:
        doc.add(tomlkit.nl())
        examples = tomlkit.aot()
        for example in concept.examples:
            item = tomlkit.table()
            item.add("en", example.en)
            item.add("km", example.km)
            examples.append(item)
        doc.add("examples", examples)
    for code in ("en", "km"):
        section = concept.lang(code)
        if section.definition is not None or section.terms:
            doc.add(tomlkit.nl())
            doc.add(code, _lang(section))
    text = tomlkit.dumps(doc)
    if concept.notes:  # after see_also, the last line before them that starts with it
        at = text.index("\nsee_also = ") + 1
        at = text.index("\n", at) + 1
        text = text[:at] + f"notes = {toml_array(concept.notes)}\n" + text[at:]
    return text if text.endswith("\n") else text + "\n"


_TOML_ESCAPES = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r",
                 '"': '\\"', "\\": "\\\\"}
_TOML_ESCAPE_TABLE = str.maketrans({
    **{chr(c): f"\\u{c:04x}" for c in [*range(0x20), 0x7F]}, **_TOML_ESCAPES})


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string, escaped as tomlkit writes it (``\\" \\\\`` and
    the short escapes; other control characters and DEL as ``\\uXXXX``)."""
    return '"' + text.translate(_TOML_ESCAPE_TABLE) + '"'


def toml_array(values: Iterable[str]) -> str:
    """A one-line TOML array of strings, as tomlkit writes it, built in linear time:
    tomlkit builds a long array quadratically (20,000 notes took 25 s, a million more
    than 300 s while holding the terms/ lock)."""
    return "[" + ", ".join(toml_string(v) for v in values) + "]"


def leading_comment(text: str) -> str | None:
    """The comment block at the top of a concept file, without the ``#`` marks."""
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#"):
            break
        lines.append(stripped[1:].strip())
    return "\n".join(lines) if lines else None


def create_concept_file(terms_dir: Path, concept: Concept) -> Path:
    """Write a new ``terms/<id>.toml``; refuses to overwrite an existing file."""
    path = terms_dir / f"{concept.id}.toml"
    if path.exists():
        raise FileExistsError(path)
    write_text(path, render_concept(concept))
    return path


def _plain(value: Any) -> Any:
    return value.unwrap() if hasattr(value, "unwrap") else value


def _update(table: Any, new: Any) -> None:
    """Make tomlkit table ``table`` equal to ``new`` by replacing only what differs: the
    ``en`` and ``km`` sections key by key, their ``terms`` term by term."""
    for key in list(table.keys()):
        if key not in new:
            del table[key]
    for key, value in new.items():
        if key not in table:
            table[key] = value
        elif key in ("en", "km"):
            _update(table[key], value)
        elif key == "terms":
            terms, items = table[key], list(value)
            while len(terms) > len(items):
                del terms[len(terms) - 1]
            for i, item in enumerate(items):
                if i >= len(terms):
                    terms.append(item)
                elif _plain(terms[i]) != _plain(item):
                    terms[i] = item
        elif _plain(table[key]) != _plain(value):
            table[key] = value


def rewrite_concept_file(path: Path, concept: Concept, fold_coeng_da: bool = True) -> Path:
    """Write ``concept`` over its file, replacing only the values that differ; a file
    whose structure the update cannot follow is rewritten in the canonical layout, keeping
    its leading comment block. The result always reads back as ``concept``."""
    import tomlkit

    from glossary.source import concept_from_data, parse_toml, read_text

    old_text = read_text(path) if path.is_file() else ""
    canonical = render_concept(concept, leading_comment(old_text) if old_text else None)
    text = canonical
    if old_text:
        try:
            doc = tomlkit.parse(old_text)
            _update(doc, tomlkit.parse(canonical))
            candidate = tomlkit.dumps(doc)
            back, _, _ = concept_from_data(path, parse_toml(path, candidate), fold_coeng_da)
            if back == concept:
                text = candidate
        except Exception:  # any surprise: the canonical rewrite below is always right
            text = canonical
    write_text(path, text)
    return path


def kept_in_english(km: str) -> bool:
    """Whether ``glossary new`` writes its ``--km`` as kept in English (``dnt = true``): a
    term with no Khmer letter (AI, deepfake) once cleaned; nothing when it cleans away."""
    return bool(khmer.clean_term(km)) and not khmer.has_khmer(km)


def render_new_concept(
    concept_id: str, en: str, km: str | None, refs: list[SourceRef], domains: list[str],
    definition: str | None = None, definition_km: str | None = None, by: str | None = None,
    today: date | None = None, *, fold_coeng_da: bool = True,
) -> str:
    """The text of a new concept file, with comments that explain each field (its
    sources and language sections in the canonical layout of :func:`render_concept`).
    Every term and definition is a proposal of ``by`` (when given), made ``today``. A
    Khmer term without Khmer letters (AI, deepfake) is kept in English: ``dnt = true``."""
    import tomlkit

    doc = tomlkit.document()
    doc.add(tomlkit.comment(f"Concept {concept_id}: one file per concept; see the README, "
                            "'The terms/ format'."))
    doc.add("id", concept_id)
    doc.add("domains", domains)
    doc["domains"].comment("ids from terms/_domains.toml")
    doc.add("see_also", [])
    doc.add(tomlkit.nl())
    if refs:
        sources = tomlkit.aot()
        for ref in refs:
            sources.append(_ref(ref))
        doc.add("sources", sources)
    proposed = Review(ReviewState.PROPOSED, origin="human", proposed_by=by, proposed_on=today)
    fold = fold_coeng_da
    for code, text, meaning in (("en", en, definition), ("km", km, definition_km)):
        about = (Definition(khmer.normalize(meaning, fold_coeng_da=fold), review=proposed)
                 if meaning else None)
        dnt = code == "km" and text is not None and kept_in_english(text)
        terms = (Term(khmer.clean_term(text, fold_coeng_da=fold), dnt=dnt, review=proposed),
                 ) if text else ()  # the preferred term
        if about is not None or terms:
            doc.add(code, _lang(LangSection(about, terms)))
    return tomlkit.dumps(doc)
