"""``glossary qa --extract``: the part of the glossary a document uses, for its translator.

A concept is *used* when its English term appears in the document's English text, or
any of its Khmer terms (good, proposed or deprecated) in the Khmer text.  The subset is
written as a PO catalog (msgctxt = concept id, msgid = English preferred term, msgstr =
Khmer reference term, ``fuzzy`` when that term is not approved, translator comments with
the definition, the other terms and the terms to avoid, and ``#:`` references to where
the document uses it) or as a CSV file (UTF-8 with a BOM, so spreadsheet programs read
the Khmer correctly).
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from glossary.errors import FormatError
from glossary.khmer import has_khmer
from glossary.model import AdminStatus, Concept, ReviewState
from glossary.output import write_text
from glossary.qa.readers import Document
from glossary.qa.reference import Reference

__all__ = ["EXTRACT_SUFFIXES", "Usage", "collect_usage", "render_csv", "render_po",
           "write_extract"]

EXTRACT_SUFFIXES: tuple[str, ...] = (".po", ".pot", ".csv")
MAX_REFERENCES = 10


@dataclass
class Usage:
    concept: str
    places: list[tuple[str, int]] = field(default_factory=list)
    count: int = 0

    def add(self, display: str, line: int) -> None:
        self.count += 1
        if (display, line) not in self.places:
            self.places.append((display, line))


def collect_usage(ref: Reference, docs: Iterable[tuple[Document, str]]) -> dict[str, Usage]:
    """Concept id -> where the documents use it, in order of first use."""
    usage: dict[str, Usage] = {}

    def note(concepts: Iterable[str], display: str, line: int) -> None:
        for concept in dict.fromkeys(concepts):
            usage.setdefault(concept, Usage(concept)).add(display, line)

    for doc, display in docs:
        if doc.kind == "po":
            for unit in doc.entries:
                for text in unit.english:
                    for en_hit in ref.find_english(text):
                        note(en_hit.concepts, display, unit.line)
                for form in unit.msgstrs:
                    for km_hit in ref.find_khmer(form):
                        note((e.concept for e in km_hit.entries), display, unit.line)
            continue
        for segment in doc.segments:
            for en_hit in ref.find_english(segment.text):
                note(en_hit.concepts, display, segment.locate(en_hit.start)[0])
            if not has_khmer(segment.text):
                continue
            for km_hit in ref.find_khmer(segment.text):
                note((e.concept for e in km_hit.entries), display,
                     segment.locate(km_hit.start)[0])
    return usage


def _ordered(ref: Reference, usage: dict[str, Usage]) -> list[Concept]:
    """The used concepts (all in ``ref.concepts``: its matchers know no other), by
    English headword."""
    return sorted((ref.concepts[c] for c in usage), key=lambda c: (_english(c).casefold(), c.id))


def _english(concept: Concept) -> str:
    term = concept.en.preferred
    return term.text if term is not None else concept.id


def _avoid(concept: Concept) -> list[str]:
    """Khmer terms the glossary deprecates, supersedes or rejected."""
    return [
        term.text for term in concept.km.terms
        if term.review.state is ReviewState.REJECTED
        or term.admin_status in (AdminStatus.DEPRECATED, AdminStatus.SUPERSEDED)
    ]


def _alternatives(ref: Reference, concept: Concept, main: str | None) -> list[str]:
    return [t.text for t in ref.good.get(concept.id, ()) if t.text != main]


def _po_string(text: str) -> str:
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
               .replace("\t", "\\t").replace("\r", "\\r"))
    return f'"{escaped}"'


def _comment(text: str) -> str:
    return " ".join(text.split())


def _revision_date() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).strftime("%Y-%m-%d %H:%M+0000")
    return "2000-01-01 00:00+0000"


def render_po(ref: Reference, usage: dict[str, Usage]) -> str:
    """The used concepts as a Khmer PO catalog (see the module docstring)."""
    header = (
        "Project-Id-Version: glossary extract\\n"
        f"PO-Revision-Date: {_revision_date()}\\n"
        "Last-Translator: glossary qa --extract\\n"
        "Language-Team: Khmer\\n"
        "Language: km\\n"
        "MIME-Version: 1.0\\n"
        "Content-Type: text/plain; charset=UTF-8\\n"
        "Content-Transfer-Encoding: 8bit\\n"
        "Plural-Forms: nplurals=1; plural=0;\\n"
    )
    lines = [
        "# Glossary terms used by the checked document(s), for their translator.",
        f"# Khmer terms count as reference from review state: {ref.min_review}.",
        'msgid ""',
        'msgstr ""',
        *(f'"{part}\\n"' for part in header.split("\\n") if part),
        "",
    ]
    for concept in _ordered(ref, usage):
        term = ref.best_khmer(concept.id)
        msgstr = term.text if term is not None else ""
        definition = concept.en.definition
        if definition is not None:
            lines.append(f"# {_comment(definition.text)}")
        if term is not None:
            lines.append(f"# Khmer review: {term.review.state}")
        others = _alternatives(ref, concept, msgstr)
        if others:
            lines.append(f"# Also admitted: {', '.join(others)}")
        avoid = _avoid(concept)
        if avoid:
            lines.append(f"# Avoid: {', '.join(avoid)}")
        places = usage[concept.id].places[:MAX_REFERENCES]
        if places:
            lines.append("#: " + " ".join(f"{p.replace(' ', '_')}:{n}" for p, n in places))
        if term is not None and term.review.state is not ReviewState.APPROVED:
            lines.append("#, fuzzy")
        lines += [f"msgctxt {_po_string(concept.id)}", f"msgid {_po_string(_english(concept))}",
                  f"msgstr {_po_string(msgstr)}", ""]
    return "\n".join(lines)


CSV_COLUMNS: tuple[str, ...] = (
    "concept", "en", "km", "km_review", "km_admitted", "km_avoid", "occurrences",
    "definition_en",
)


def render_csv(ref: Reference, usage: dict[str, Usage]) -> str:
    """The used concepts as CSV text (without the BOM; :func:`write_extract` adds it)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for concept in _ordered(ref, usage):
        term = ref.best_khmer(concept.id)
        main = term.text if term is not None else ""
        definition = concept.en.definition
        writer.writerow([
            concept.id, _english(concept), main, str(term.review.state) if term else "",
            "; ".join(_alternatives(ref, concept, main)), "; ".join(_avoid(concept)),
            usage[concept.id].count, definition.text if definition is not None else "",
        ])
    return buffer.getvalue()


def write_extract(ref: Reference, docs: Iterable[tuple[Document, str]], output: Path) -> int:
    """Write the subset to ``output`` (.po, .pot or .csv); return the number of concepts."""
    suffix = output.suffix.lower()
    if suffix not in EXTRACT_SUFFIXES:
        raise FormatError(f"cannot write {suffix or 'a file without a suffix'}", path=output,
                          hint="name the output OUT.po or OUT.csv")
    usage = collect_usage(ref, docs)
    if suffix == ".csv":
        write_text(output, "\ufeff" + render_csv(ref, usage))
    else:
        write_text(output, render_po(ref, usage))
    return len(usage)

