"""The glossary as a table, one row per term: shared by the CSV and XLSX formats.

Layout (see the README, "glossary export csv"): the columns in :data:`COLUMNS`; a
concept's rows are consecutive; concept-level cells (``sources``, ``domains``,
``see_also``, ``concept_notes``, ``concept_status``) are filled on the concept's first
row only, a language's definition cells on that language's first row only. A row with
an empty ``term`` carries a definition (or concept data) that has no term to sit on.
Multi-valued concept cells hold one item per line (``sources``, ``concept_notes``) or
items separated by ``; `` (``domains``, ``see_also``): a note that itself contains a line
break comes back as two notes.

A term row's ``rationale`` says why that term was chosen. The concept's examples are
the ``example_en`` / ``example_km`` cells: example ``n`` on the concept's ``n``-th row
(rows with an empty ``term`` are added when a concept has more examples than rows), so
a sentence may hold line breaks and tabs, and each pair stays side by side. A line break
typed as CR LF (Excel on Windows) reads as LF in these cells: glossary text has no CR.
A date Excel re-wrote in its short form reads when it names one day (:func:`sheet_date`).
A file without these columns (written before they existed) is still ours; it says
nothing about rationales and examples.

Formula injection: a spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or
``@`` (and some treat a leading tab or carriage return the same way). On export every
such cell gets one leading apostrophe, and so does a cell that already starts with
apostrophes followed by one of those characters. On import exactly one leading
apostrophe is removed from a cell that starts with one or more apostrophes followed by
one of those characters, and from no other cell, so any text survives a round trip
unchanged while no cell is ever a live formula.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from operator import itemgetter
from pathlib import Path
from typing import Any

from glossary import khmer
from glossary.errors import FormatError
from glossary.formats import bilingual_sheet
from glossary.imports.records import (
    InConcept,
    InDefinition,
    InLang,
    InReview,
    InTerm,
    ReadResult,
    lang_code,
    parse_date,
    parse_ref,
    ref_text,
)
from glossary.model import (
    PARTS_OF_SPEECH,
    AdminStatus,
    Concept,
    ConceptStatus,
    Definition,
    Example,
    Review,
    ReviewState,
    Term,
    TermType,
)

COLUMNS: tuple[str, ...] = (
    "concept_id", "lang", "term", "admin_status", "review", "definition", "sources",
    "type", "pos", "dnt", "context", "note",
    "origin", "proposed_by", "proposed_on", "approved_by", "approved_on", "review_note",
    "definition_source", "definition_review", "definition_origin", "definition_proposed_by",
    "definition_proposed_on", "definition_approved_by", "definition_approved_on",
    "definition_review_note",
    "domains", "see_also", "concept_notes", "concept_status",
    "rationale", "example_en", "example_km",
)
REQUIRED: tuple[str, ...] = ("lang", "term")
LATER: tuple[str, ...] = ("rationale", "example_en", "example_km")  # optional in our files
_EXAMPLE_COLUMNS = ("example_en", "example_km")
_REVIEW_FIELDS = ("origin", "proposed_by", "proposed_on", "approved_by", "approved_on",
                  "review_note")

_LIVE = re.compile(r"^'*[=+\-@\t\r]")
_NEUTRALIZED = re.compile(r"^'+[=+\-@\t\r]")


def neutralize(cell: str) -> str:
    """Export: make a cell inert in a spreadsheet (see the module docstring)."""
    return "'" + cell if _LIVE.match(cell) else cell


def restore(cell: str) -> str:
    """Import: undo :func:`neutralize` exactly."""
    return cell[1:] if _NEUTRALIZED.match(cell) else cell


# --------------------------------------------------------------------------- writing


def _day(value: Any) -> str:
    return value.isoformat() if value is not None else ""


def _review_cells(review: Review, prefix: str = "") -> dict[str, str]:
    return {
        f"{prefix}review": review.state.value,
        f"{prefix}origin": review.origin,
        f"{prefix}proposed_by": review.proposed_by or "",
        f"{prefix}proposed_on": _day(review.proposed_on),
        f"{prefix}approved_by": review.approved_by or "",
        f"{prefix}approved_on": _day(review.approved_on),
        f"{prefix}review_note": review.note or "",
    }


def _definition_cells(definition: Definition | None) -> dict[str, str]:
    if definition is None:
        return {}
    cells = {"definition": definition.text,
             "definition_source": ref_text(definition.source) if definition.source else ""}
    cells.update(_review_cells(definition.review, "definition_"))
    return cells


def _term_cells(term: Term) -> dict[str, str]:
    cells = {
        "term": term.text, "admin_status": term.admin_status.value, "type": term.type.value,
        "pos": term.pos, "dnt": "yes" if term.dnt else "", "context": term.context or "",
        "note": term.note or "", "rationale": term.rationale or "",
    }
    cells.update(_review_cells(term.review))
    return cells


def concept_rows(concept: Concept) -> Iterator[dict[str, str]]:
    concept_cells = {
        "sources": "\n".join(ref_text(r) for r in concept.sources),
        "domains": "; ".join(concept.domains),
        "see_also": "; ".join(concept.see_also),
        "concept_notes": "\n".join(concept.notes),
        "concept_status": concept.status.value,
    }
    examples = concept.examples
    first = True
    n = 0  # the concept's row number: example n goes on row n
    for lang in ("en", "km"):
        section = concept.lang(lang)
        terms: Sequence[Term | None] = section.terms or ((None,) if section.definition else ())
        for i, term in enumerate(terms):
            row = {"concept_id": concept.id, "lang": lang}
            if term is not None:
                row.update(_term_cells(term))
            if i == 0:
                row.update(_definition_cells(section.definition))
            if first:
                row.update(concept_cells)
                first = False
            if n < len(examples):
                row.update(example_en=examples[n].en, example_km=examples[n].km)
            n += 1
            yield row
    if first:  # no term and no definition: one row still carries the concept data
        row = {"concept_id": concept.id, "lang": "en", **concept_cells}
        if examples:
            row.update(example_en=examples[0].en, example_km=examples[0].km)
        n = 1
        yield row
    for example in examples[n:]:  # more examples than rows: rows with no term
        yield {"concept_id": concept.id, "lang": "en", "example_en": example.en,
               "example_km": example.km}


#: The first characters a live cell can start with (see ``_LIVE``).
_LIVE_FIRST = frozenset("'=+-@\t\r")
_BLANK = dict.fromkeys(COLUMNS, "")
_CELLS = itemgetter(*COLUMNS)
_FIRST = itemgetter(slice(0, 1))


def table_rows(concept: Concept) -> list[list[str]]:
    """The neutralized rows of one concept, every column in :data:`COLUMNS` order: the
    CSV's piece of the concept, and the XLSX sheet's.

    The hot loop of every CSV and XLSX export (40 cells a term): the cells are taken in
    column order by one ``itemgetter`` over a row with every column, and
    :func:`neutralize` runs only on the rare row with a cell that starts like a formula
    (10,000 concepts: 0.7 s → 0.3 s of CPU, measured)."""
    out = []
    for row in concept_rows(concept):
        full = _BLANK.copy()
        full.update(row)
        values = _CELLS(full)
        if _LIVE_FIRST.isdisjoint(map(_FIRST, values)):  # the usual row: nothing to do
            out.append(list(values))
        else:
            out.append([neutralize(v) for v in values])
    return out


# --------------------------------------------------------------------------- reading


class _Cells:
    """One data row, by column name, with its location for error messages."""

    def __init__(self, values: dict[str, str], path: Path, line: int, fold: bool,
                 result: ReadResult) -> None:
        self.values, self.path, self.line, self.fold = values, path, line, fold
        self.result = result

    def has(self, name: str) -> bool:
        return name in self.values

    def raw(self, name: str) -> str | None:
        """The cell's text, or None when the column is missing."""
        return self.values.get(name)

    def text(self, name: str) -> str | None:
        value = self.values.get(name)
        if value is None:
            return None
        return khmer.normalize(value, fold_coeng_da=self.fold)

    def lines(self, name: str) -> str | None:
        """Text that may span lines: a CR LF line break reads as LF."""
        value = self.text(name)
        return value.replace("\r\n", "\n") if value and "\r" in value else value

    def fail(self, name: str, message: str, hint: str | None = None) -> FormatError:
        return FormatError(f"column {name}: {message}", path=self.path, line=self.line,
                           hint=hint)

    def choice(self, name: str, allowed: Iterable[str]) -> str | None:
        value = (self.values.get(name) or "").strip()
        if not value:
            return None
        allowed = tuple(allowed)
        if value not in allowed:
            raise self.fail(name, f"{value!r} is not allowed", "use " + ", ".join(allowed))
        return value

    def day(self, name: str) -> Any:
        value = (self.values.get(name) or "").strip()
        if not value:
            return None
        parsed = parse_date(value) if len(value) == 10 else None
        if parsed is not None:
            return parsed
        match = _SHEET_DATE.fullmatch(value)
        try:
            if match is None:
                raise ValueError(value)
            parsed = sheet_date(match)
        except ValueError:
            raise self.fail(name, f"{value!r} is not a date", "write it as 2026-01-31 (a "
                            "spreadsheet that changes dates: import the XLSX export, its "
                            "cells are text)") from None
        if parsed is None:
            self.result.skip("dates a spreadsheet re-wrote that could be day/month or "
                             "month/day, like 3/4/2026 (left out; dates are read from a "
                             "file only for its new terms)")
        return parsed

    def review(self, prefix: str, own: bool) -> InReview | None:
        names = [f"{prefix}review", *(f"{prefix}{f}" for f in _REVIEW_FIELDS)]
        if not any(self.has(n) for n in names):
            return None
        if not own and not any((self.values.get(n) or "").strip() for n in names):
            return None
        state = self.choice(f"{prefix}review", (s.value for s in ReviewState))
        return InReview(
            state=ReviewState(state) if state else None,
            origin=(self.values.get(f"{prefix}origin") or "").strip() or None,
            proposed_by=(self.values.get(f"{prefix}proposed_by") or "").strip() or None,
            proposed_on=self.day(f"{prefix}proposed_on"),
            approved_by=(self.values.get(f"{prefix}approved_by") or "").strip() or None,
            approved_on=self.day(f"{prefix}approved_on"),
            note=self.text(f"{prefix}review_note") or None,
        )


#: A date as a spreadsheet writes it when it saves a CSV (its locale's short date): day
#: and month in either order before a four-digit year, or the year first.
_SHEET_DATE = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})|(\d{4})([/.])(\d{1,2})\6(\d{1,2})")


def sheet_date(match: re.Match[str]) -> date | None:
    """The day a :data:`_SHEET_DATE` match names, or None when it could be two
    (``12/2/2026``: 12 February or 2 December): only a part above 12 says which is the
    day. ValueError when it names none (``2/30/2026``). Excel saves a CSV's ISO dates
    (``2026-01-31``) in this form."""
    if match[5]:
        year, month, day = int(match[5]), int(match[7]), int(match[8])
    else:
        first, second, year = int(match[1]), int(match[3]), int(match[4])
        if (first > 12 and second > 12) or not (first and second):
            raise ValueError(match[0])
        if first > 12:
            day, month = first, second
        elif second > 12 or first == second:
            month, day = first, second
        else:
            return None
    return date(year, month, day)


def is_table_header(header: Sequence[Any], columns: Mapping[str, str] | None = None) -> bool:
    """Whether a first row names the columns :func:`read_rows` reads: our layout's
    required ones, those ``columns`` maps, or a common bilingual header. A workbook's
    other sheets (a reviewer's notes, a pivot) do not."""
    names = [str(c).strip().lstrip("\ufeff") if c is not None else "" for c in header]
    if columns:
        return all(name in names for name in columns.values())
    return all(r in names for r in REQUIRED) or \
        bilingual_sheet.detect_columns(names) is not None


def find_sheet(workbook: Any, name: str, accepts: Callable[[Sequence[Any]], bool]) -> Any:
    """The sheet of an (openpyxl) workbook called ``name``; else the first whose first
    row ``accepts`` (a reviewer may rename a sheet, or add a sheet of notes in front of
    it); None when none does."""
    if name in workbook.sheetnames:
        return workbook[name]
    for sheet in workbook.worksheets:
        first = next(sheet.iter_rows(max_row=1, values_only=True), None)
        if first is not None and accepts(first):
            return sheet
    return None


def check_header(header: Sequence[str], path: Path) -> list[str]:
    names = [h.strip() for h in header]
    if names and names[0].startswith("\ufeff"):
        names[0] = names[0][1:]
    expected = "expected columns: " + ", ".join(COLUMNS[:7]) + ", … (see `glossary export csv`)"
    missing = [r for r in REQUIRED if r not in names]
    if missing:
        raise FormatError(f"bad header: missing column(s) {', '.join(missing)}", path=path,
                          line=1, hint=expected + "; for another layout name its columns "
                          "with --columns en=English,km=Khmer[,definition=…]")
    seen: set[str] = set()
    for i, name in enumerate(names, 1):
        if not name:  # a blank header (padding, an empty column): its cells are ignored
            continue
        if name in seen:
            raise FormatError(f"bad header: column {name!r} appears twice", path=path, line=1,
                              column=i, hint=expected)
        seen.add(name)
    return names


class _Builder:
    """Collects rows into InConcepts."""

    def __init__(self, concept_id: str | None, line: int) -> None:
        self.id = concept_id
        self.line = line
        self.concept: dict[str, Any] = {}
        self.langs: dict[str, dict[str, Any]] = {"en": {"terms": []}, "km": {"terms": []}}
        self.examples: list[Example] = []

    def build(self, own: bool, has_examples: bool = False) -> InConcept:
        def lang(code: str) -> InLang:
            data = self.langs[code]
            return InLang(definition=data.get("definition"), terms=tuple(data["terms"]))

        c = self.concept
        return InConcept(
            id=self.id, en=lang("en"), km=lang("km"), line=self.line,
            domains=c.get("domains", () if own else None),
            sources=c.get("sources", () if own else None),
            see_also=c.get("see_also", () if own else None),
            notes=c.get("notes", () if own else None),
            status=c.get("status", ConceptStatus.ACTIVE if own else None),
            examples=(tuple(self.examples) if (self.examples or (own and has_examples))
                      else None),
        )


def _split(value: str | None, sep: str) -> tuple[str, ...] | None:
    if value is None:
        return None
    return tuple(part.strip() for part in value.split(sep) if part.strip())


#: Columns only a review workbook (:mod:`glossary.formats.review_sheet`) has together.
_REVIEW_HEADER = frozenset({"concept", "term", "khmer", "english", "decision"})


def read_rows(
    records: Iterable[tuple[int, Sequence[Any]]], path: Path, fmt: str, fold: bool = True,
    columns: Mapping[str, str] | None = None,
) -> ReadResult:
    """Turn ``(line, cells)`` pairs (the header first) into incoming records.

    A file in another layout is read with ``columns`` (field → header, see
    :data:`~glossary.formats.bilingual_sheet.WIDE_FIELDS`), or without it when its
    header is a common bilingual one."""
    result = ReadResult(path=path, format=fmt)
    iterator = iter(records)
    first = next(iterator, None)
    if first is None:
        raise FormatError("the file is empty", path=path, line=1,
                          hint="export a file with `glossary export " + fmt + "` to start from")
    header = [str(c) if c is not None else "" for c in first[1]]
    if _REVIEW_HEADER.issubset(h.strip().lstrip("\ufeff") for h in header):
        raise FormatError("this is a review workbook (`glossary review sheet`), not a table "
                          "of terms", path=path, line=1,
                          hint="record its decisions with `glossary review import FILE --by "
                               "NAME`")
    index = (bilingual_sheet.mapped_columns(header, columns, path) if columns
             else None if all(r in [h.strip().lstrip("\ufeff") for h in header]
                              for r in REQUIRED)
             else bilingual_sheet.detect_columns(header))
    if index is not None:
        iterator = bilingual_sheet.widened(index, iterator, result)
        first = next(iterator)
        header = list(first[1])
    names = check_header(header, path)
    unknown = [n for n in names if n and n not in COLUMNS]
    for name in unknown:
        result.skip(f"unknown column {name!r}")
    own = result.own = all(name in names for name in COLUMNS if name not in LATER)
    has_examples = all(name in names for name in _EXAMPLE_COLUMNS)
    builders: list[_Builder] = []
    by_id: dict[str, _Builder] = {}
    current: _Builder | None = None
    for line, cells in iterator:
        values = [restore(str(c)) if c is not None else "" for c in cells]
        if not any(v.strip() for v in values):
            continue
        if len(values) > len(names) and any(v.strip() for v in values[len(names):]):
            raise FormatError(f"row has {len(values)} cells but the header has {len(names)}",
                              path=path, line=line, hint="quote cells that contain commas")
        row = _Cells({n: (values[i] if i < len(values) else "") for i, n in enumerate(names)
                      if n in COLUMNS}, path, line, fold, result)
        cid = (row.raw("concept_id") or "").strip() or None
        lang_tag = (row.raw("lang") or "").strip()
        code = lang_code(lang_tag)
        term = (row.text("term") or "").strip()
        if code is None:
            if lang_tag:
                result.skip(f"rows in language {lang_tag}")
                continue
            raise row.fail("lang", "is empty", "write en or km")
        admin = row.choice("admin_status", (s.value for s in AdminStatus))
        if cid is not None:
            builder = by_id.get(cid)
            if builder is None:
                builder = by_id[cid] = _Builder(cid, line)
                builders.append(builder)
        elif (current is None or current.id is not None
              or (code == "en" and admin in (None, "preferred") and term)):
            builder = _Builder(None, line)
            builders.append(builder)
        else:
            builder = current
        current = builder
        _concept_cells(builder, row, own)
        data = builder.langs[code]
        definition = (row.text("definition") or "").strip()
        if definition and "definition" not in data:
            source_text = (row.text("definition_source") or "").strip()
            source = parse_ref(source_text) if source_text else None
            if source_text and source is None:
                raise row.fail("definition_source", f"{source_text!r} is not a reference",
                               "write DOC §SECTION, e.g. asean-guide-2024 §B.2")
            data["definition"] = InDefinition(text=definition, source=source,
                                              review=row.review("definition_", own),
                                              line=line)
        if term:
            data["terms"].append(_term(row, term, admin, own))
        _example(builder, row, result)
    result.concepts = [b.build(own, has_examples) for b in builders]
    return result


def _concept_cells(builder: _Builder, row: _Cells, own: bool) -> None:
    c = builder.concept
    if c.get("_seen"):
        return
    c["_seen"] = True
    sources = row.text("sources")
    if sources is not None:
        refs = []
        for item in sources.split("\n"):
            if not item.strip():
                continue
            ref = parse_ref(item)
            if ref is None:
                raise row.fail("sources", f"{item.strip()!r} is not a reference",
                               "one per line: DOC §SECTION, e.g. asean-guide-2024 §B.2, p. 12")
            refs.append(ref)
        if refs or own:
            c["sources"] = tuple(refs)
    for name in ("domains", "see_also"):
        parts = _split(row.raw(name), ";")
        if parts is not None and (parts or own):
            c[name] = parts
    notes = row.text("concept_notes")
    if notes is not None:
        parts = tuple(n for n in notes.split("\n") if n.strip())
        if parts or own:
            c["notes"] = parts
    status = row.choice("concept_status", (s.value for s in ConceptStatus))
    if status:
        c["status"] = ConceptStatus(status)


def _example(builder: _Builder, row: _Cells, result: ReadResult) -> None:
    en, km = (row.lines(name) or "" for name in _EXAMPLE_COLUMNS)
    if en.strip() and km.strip():
        builder.examples.append(Example(en=en, km=km))
    elif en.strip() or km.strip():
        result.skip("examples without both an English and a Khmer sentence")


def _term(row: _Cells, text: str, admin: str | None, own: bool) -> InTerm:
    kind = row.choice("type", (t.value for t in TermType))
    pos = row.choice("pos", PARTS_OF_SPEECH)
    dnt_text = row.raw("dnt")
    dnt: bool | None = None
    if dnt_text is not None:
        value = dnt_text.strip().lower()
        if value not in ("", "yes", "no", "true", "false", "1", "0"):
            raise row.fail("dnt", f"{dnt_text!r} is not yes or no", "write yes, or leave empty")
        dnt = value in ("yes", "true", "1") if (value or own) else None
    context = row.text("context")
    note = row.text("note")
    rationale = row.lines("rationale")
    return InTerm(
        text=text,
        admin_status=AdminStatus(admin) if admin else None,
        type=TermType(kind) if kind else None,
        pos=pos,
        context=context or None,
        dnt=dnt,
        note=note or None,
        review=row.review("", own),
        rationale=(rationale or "") if rationale is not None else None,
        line=row.line,
    )
