"""Format-neutral records of what an interchange file says about concepts.

Every reader in ``glossary.formats`` (TBX, CSV, XLSX) turns its file into a
:class:`ReadResult` of :class:`InConcept` records. A field is ``None`` when the file
says nothing about it (a TBX file from another tool has no review record; a CSV may
lack a column), so an import compares only what the file carries. An empty string
or an empty tuple means the file says the field is empty.

When ``ReadResult.own`` is true (the file was written by ``glossary``, or a CSV has
every column), records are complete: ``None`` then means "empty" and an import may
clear a field. Records are named tuples: immutable like the model's frozen dataclasses,
and four times cheaper to make (a large TBX file makes a million of them). Readers
never decide ids, matching or defaults:
:mod:`glossary.imports.plan` does.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import NamedTuple

from glossary.model import (
    AdminStatus,
    ConceptStatus,
    Example,
    ReviewState,
    SourceRef,
    TermType,
)

# --------------------------------------------------------------------------- shared encodings

_REF = re.compile(
    r"^(?P<doc>[^\s§]+) §(?P<section>.+?)(?:, p\. (?P<page>\d+))?(?: — (?P<note>.*))?$", re.S
)


def ref_text(ref: SourceRef) -> str:
    """A reference as one line of text: ``doc §section, p. 12 — note`` (page, note optional)."""
    text = f"{ref.doc} §{ref.section}"
    if ref.page is not None:
        text += f", p. {ref.page}"
    if ref.note:
        text += f" — {ref.note}"
    return text


@functools.lru_cache(maxsize=4096)  # a file cites the same few sections over and over
def parse_ref(text: str) -> SourceRef | None:
    """The inverse of :func:`ref_text`; None when ``text`` is not in that form."""
    match = _REF.match(text.strip())
    if match is None:
        return None
    page = match.group("page")
    return SourceRef(
        doc=match.group("doc"), section=match.group("section"),
        page=int(page) if page is not None else None, note=match.group("note"),
    )


_DATE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})")


def parse_date(text: str) -> date | None:
    """``2026-01-31``, ``20260131`` or a timestamp starting with either; else None."""
    match = _DATE.match(text.strip())
    if match is None:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def lang_code(tag: str | None) -> str | None:
    """The glossary language of a BCP 47 tag: ``km-KH`` → ``km``, ``EN_us`` → ``en``."""
    if not tag:
        return None
    primary = tag.strip().replace("_", "-").split("-")[0].lower()
    return primary if primary in ("en", "km") else None


class InReview(NamedTuple):
    state: ReviewState | None = None
    origin: str | None = None
    proposed_by: str | None = None
    proposed_on: date | None = None
    approved_by: str | None = None
    approved_on: date | None = None
    note: str | None = None


class InTerm(NamedTuple):
    text: str
    admin_status: AdminStatus | None = None
    type: TermType | None = None
    pos: str | None = None
    context: str | None = None
    dnt: bool | None = None
    note: str | None = None
    review: InReview | None = None
    rationale: str | None = None
    line: int | None = None  # its own line, in a file with one row per term


class InDefinition(NamedTuple):
    text: str
    source: SourceRef | None = None
    review: InReview | None = None
    line: int | None = None  # its own line, in a file with one row per term


class InLang(NamedTuple):
    definition: InDefinition | None = None
    terms: tuple[InTerm, ...] = ()


class InConcept(NamedTuple):
    """One concept as read. ``domains`` holds ids or labels, as the file wrote them."""

    id: str | None
    en: InLang = InLang()
    km: InLang = InLang()
    domains: tuple[str, ...] | None = None
    sources: tuple[SourceRef, ...] | None = None
    see_also: tuple[str, ...] | None = None
    notes: tuple[str, ...] | None = None
    status: ConceptStatus | None = None
    line: int | None = None
    examples: tuple[Example, ...] | None = None  # en/km sentence pairs

    def lang(self, code: str) -> InLang:
        return self.en if code == "en" else self.km


@dataclass
class ReadResult:
    """What a reader found, and what it left out (``skipped``: reason → count)."""

    path: Path
    format: str
    concepts: list[InConcept] = field(default_factory=list)  # or a one-pass stream
    own: bool = False  # written by glossary: ids and review records can be trusted
    skipped: Counter[str] = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)

    def skip(self, reason: str, count: int = 1) -> None:
        self.skipped[reason] += count
