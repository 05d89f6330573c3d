"""A Khmer translation checked against its English original, paragraph by paragraph.

The ministry translates documents (the ASEAN guides) from English .docx into Khmer
.docx; a translator keeps the paragraphs, headings and table cells of the original. So
the two documents are read side by side, their non-empty paragraphs paired in order,
each file streamed (one paragraph of each in memory).

* **They pair** (as many paragraphs in each): every Khmer paragraph is checked against
  its English one as a PO entry is (:mod:`glossary.qa.checks`, with the same precision
  rules): ``missing-term`` where the English uses a glossary term and the Khmer has none
  of its reference terms, ``deprecated-term`` / ``rejected-term`` for the concepts the
  English mentions. Each finding names the English paragraph (``original``).
* **They do not pair** (a paragraph was split, merged, added or left out): what can
  still be said of the whole translation is. ``missing-term`` once per concept the
  original uses that the translation never writes a reference term of (line 0: the
  whole file; the first English occurrence as ``original``), and deprecated or rejected
  terms as in any Khmer text.

Equal counts are taken as the pairing, as a bilingual file's segments are; the report
says how many paragraphs were paired, and each finding quotes its English paragraph, so
a stretch the translator restructured shows as such.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import zip_longest

from glossary.khmer import has_khmer
from glossary.qa.checks import (
    bad_term,
    missing_finding,
    missing_terms,
    present_concepts,
    scoped,
)
from glossary.qa.findings import Finding
from glossary.qa.readers import Document, Segment
from glossary.qa.reference import EnHit, KmHit, Reference
from glossary.qa.scope import CheckOptions, Scope

__all__ = ["Pairing", "check_translation"]


@dataclass
class Pairing:
    """What a check of a translation found, and whether its paragraphs paired."""

    findings: list[Finding]
    original_paragraphs: int
    translation_paragraphs: int
    khmer_paragraphs: int = 0  # of the translation's, those with Khmer text

    def notes(self, original: str, translation: str) -> tuple[str, ...]:
        """How the two files were compared, and a warning when the translation has no
        Khmer text at all (the files given the wrong way round)."""
        notes: tuple[str, ...] = (self.note(original, translation),)
        if self.translation_paragraphs and not self.khmer_paragraphs:
            notes += (f"warning: {translation} has no Khmer text; give the Khmer "
                      f"translation as FILE and its English original as --original",)
        return notes

    @property
    def paired(self) -> bool:
        return self.original_paragraphs == self.translation_paragraphs

    def note(self, original: str, translation: str) -> str:
        """One line for the user: how the two files were compared."""
        if self.paired:
            return (f"paired {self.original_paragraphs} paragraph(s) of {original} with "
                    f"{translation}, in order")
        return (f"{original} has {self.original_paragraphs} paragraph(s) and {translation} "
                f"{self.translation_paragraphs}: they do not pair, so only the terms the "
                "whole translation lacks are reported (keep the original's paragraphs "
                "to have each one checked)")


@dataclass
class _Used:
    """A glossary term of the original, tallied for the whole-file comparison."""

    hit: EnHit
    line: int
    text: str
    count: int = 1


@dataclass
class _Tally:
    used: dict[tuple[str, ...], _Used] = field(default_factory=dict)
    present: set[str] = field(default_factory=set)


def _paragraphs(segments: Iterable[Segment]) -> Iterator[Segment]:
    return (s for s in segments if s.text.strip())


def check_translation(ref: Reference, original: Document, translation: Document,
                      shown_original: str, shown: str,
                      options: CheckOptions | None = None) -> Pairing:
    """Check ``translation`` (Khmer) against ``original`` (English); ``shown_*``: the
    paths as the user wrote them."""
    scope = Scope(options or CheckOptions(), ref.concepts)
    paired: list[Finding] = []
    alone: list[Finding] = []  # the Khmer text's own findings, for the unpaired report
    tally = _Tally()
    counts = [0, 0, 0]  # paragraphs: the original's, the translation's, with Khmer
    for en, km in zip_longest(_paragraphs(original.segments),
                              _paragraphs(translation.segments)):
        en_hits: list[EnHit] = []
        if en is not None:
            counts[0] += 1
            en_hits = scoped(ref.find_english(en.text), scope)
            _count(tally, en_hits, en.line, en.text)
        if km is None:
            continue
        counts[1] += 1
        khmer = has_khmer(km.text)
        counts[2] += khmer
        km_hits = ref.find_khmer(km.text) if khmer else []
        tally.present |= present_concepts(ref, km.text, km_hits)
        for hit in km_hits:
            line, column = km.locate(hit.start)
            finding = bad_term(ref, hit, shown, line, column)
            if finding is not None and scope.in_domain(finding.concept):
                alone.append(finding)
        if en is not None:
            paired.extend(_pair(ref, en, km, en_hits, km_hits, shown_original, shown))
    if counts[0] == counts[1]:
        findings = paired
    else:
        findings = alone + _whole(ref, tally, shown_original, shown)
    findings.sort(key=lambda f: (f.line, f.column or 0, f.rule, f.found))
    return Pairing(findings, counts[0], counts[1], counts[2])


def _count(tally: _Tally, en_hits: list[EnHit], line: int, text: str) -> None:
    for hit in en_hits:
        required = tuple(hit.concepts)
        seen = tally.used.get(required)
        if seen is None:
            tally.used[required] = _Used(hit, line, text)
        else:
            seen.count += 1


def _pair(ref: Reference, en: Segment, km: Segment, en_hits: list[EnHit],
          km_hits: list[KmHit], shown_original: str, shown: str) -> list[Finding]:
    """The findings of one Khmer paragraph against its English one."""
    where = f"{shown_original}:{en.line}"
    mentioned = {c for hit in en_hits for c in hit.concepts}
    out: list[Finding] = []
    seen: set[tuple[str, str, str]] = set()
    for hit in km_hits:
        line, column = km.locate(hit.start)
        finding = bad_term(ref, hit, shown, line, column, mentioned)
        if finding is not None:
            out.append(replace(finding, msgid=en.text, original=where))
    for en_hit, concept in missing_terms(ref, en_hits, km.text, km_hits):
        finding = missing_finding(ref, en_hit, concept, shown, km.line,
                                  f"the English ({where}) uses {en_hit.found!r} "
                                  f"({concept}); this paragraph has")
        out.append(replace(finding, msgid=en.text, original=where))
    unique = []
    for finding in out:
        key = (finding.rule, finding.concept, finding.found)
        if key not in seen:
            seen.add(key)
            unique.append(finding)
    return unique


def _whole(ref: Reference, tally: _Tally, shown_original: str, shown: str
           ) -> list[Finding]:
    """``missing-term`` for each concept the original uses whose reference Khmer terms
    the translation never writes."""
    out = []
    for required, used in tally.used.items():
        wanted = [c for c in required if ref.good.get(c)]
        if not wanted or not tally.present.isdisjoint(wanted):
            continue
        where = f"{shown_original}:{used.line}"
        times = f"{used.count} times, first at {where}" if used.count > 1 else f"at {where}"
        finding = missing_finding(ref, used.hit, wanted[0], shown, 0,
                                  f"the original uses {used.hit.found!r} ({wanted[0]}) "
                                  f"{times}; the translation has")
        out.append(replace(finding, msgid=used.text, original=where))
    return out
