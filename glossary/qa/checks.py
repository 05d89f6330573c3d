"""The QA checks: from a read :class:`~glossary.qa.readers.Document` to findings.

PO catalogs (English msgid, Khmer msgstr):

* ``missing-term`` -- the msgid (or msgid_plural) uses a glossary term whose concept has
  reference Khmer terms, and a non-empty msgstr form contains none of them;
* ``deprecated-term`` / ``rejected-term`` -- the msgstr uses a Khmer term the glossary
  deprecates, supersedes or rejected (with the reference term to use instead).

Text, Markdown and .docx: the same two Khmer rules on every segment, and
``glossary-term`` notes listing the glossary terms found in English text with their
Khmer equivalent (once per concept and file, with the number of occurrences).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from glossary.khmer import has_khmer
from glossary.model import AdminStatus, Term
from glossary.pairs import pair_terms
from glossary.qa.findings import Finding, Severity
from glossary.qa.readers import Document, PoUnit, Segment
from glossary.qa.reference import EnHit, KmEntry, KmHit, Reference, Role
from glossary.qa.scope import CheckOptions, Scope, mask

__all__ = ["bad_term", "check_document", "missing_finding", "missing_terms",
           "present_concepts", "scoped", "suggestion"]


def check_document(ref: Reference, doc: Document, display: str,
                   options: CheckOptions | None = None) -> list[Finding]:
    """All findings for one document; ``display`` is the path as the user wrote it."""
    scope = Scope(options or CheckOptions(), ref.concepts)
    if doc.kind == "po":
        findings = [f for unit in doc.entries
                    if scope.options.include_fuzzy or not unit.fuzzy
                    for f in _check_po_unit(ref, unit, display, scope)]
    else:
        findings = [f for f in _check_segments(ref, doc.segments, display)
                    if scope.in_domain(f.concept)]
    findings.sort(key=lambda f: (f.line, f.column or 0, f.rule, f.found))
    return findings


# --------------------------------------------------------------------------- PO


_KHMER_GAP = re.compile(r"(?<=[\u1780-\u17ff]) +(?=[\u1780-\u17ff])")


def scoped(hits: list[EnHit], scope: Scope) -> list[EnHit]:
    """The English hits that count in this entry (see :mod:`glossary.qa.scope`)."""
    # the context comes from every term the msgid uses; --domain only filters the report
    ai_context = scope.options.ai_context or any(
        not scope.limited(e.concept, e.term.text, e.term.type) for h in hits for e in h.entries)
    hits = [replace(h, entries=tuple(
        e for e in h.entries if scope.in_domain(e.concept)
        and (ai_context or not scope.limited(e.concept, e.term.text, e.term.type))))
        for h in hits]
    return [h for h in hits if h.entries]


def suggestion(ref: Reference, hit: EnHit, concept: str) -> Term:
    """The reference Khmer term that answers the English term found: the Khmer term
    paired with it (a short form's own Khmer short form), else the concept's first."""
    good = ref.good[concept]
    found = {e.term.text for e in hit.entries if e.concept == concept}
    for pair in pair_terms(ref.concepts[concept]):
        if pair.en.text in found and pair.km is not None and pair.km in good:
            return pair.km
    return good[0]


def missing_terms(ref: Reference, en_hits: list[EnHit], form: str, km_hits: list[KmHit]
                  ) -> list[tuple[EnHit, str]]:
    """The English hits (already scoped) whose concepts' reference Khmer terms are all
    absent from the Khmer text ``form`` (``km_hits``: its Khmer terms found), each with
    the concept to suggest a term of."""
    if not en_hits:
        return []
    present = present_concepts(ref, form, km_hits)
    out = []
    for en_hit in en_hits:
        required = [c for c in en_hit.concepts if ref.good.get(c)]
        if required and not any(c in present for c in required):
            out.append((en_hit, required[0]))
    return out


def present_concepts(ref: Reference, form: str, km_hits: list[KmHit]) -> set[str]:
    """The concepts a Khmer text writes a reference term of (``km_hits``: the terms
    found in it), a term with a space inside included (``ការ អ៊ិនគ្រីប``)."""
    present = {e.concept for hit in km_hits for e in hit.entries if e.role is Role.GOOD}
    if _KHMER_GAP.search(form):
        present |= {e.concept for hit in ref.find_khmer(_KHMER_GAP.sub("", form))
                    for e in hit.entries if e.role is Role.GOOD}
    return present


def missing_finding(ref: Reference, en_hit: EnHit, concept: str, display: str, line: int,
                    what: str) -> Finding:
    """A ``missing-term`` finding: ``what`` says where the English term is and what
    lacks the Khmer one (the message's first part)."""
    terms = ", ".join(t.text for t in ref.good[concept])
    return Finding(display, line, None, "missing-term", en_hit.found,
                   suggestion(ref, en_hit, concept).text, Severity.WARNING, concept,
                   f"{what} none of its {ref.min_review} Khmer terms: {terms}")


def _check_po_unit(ref: Reference, unit: PoUnit, display: str, scope: Scope
                   ) -> list[Finding]:
    en_hits: list[EnHit] = []
    for text in unit.english:
        en_hits.extend(ref.find_english(mask(text)))
    en_hits = scoped(en_hits, scope)
    mentioned = {c for hit in en_hits for c in hit.concepts}
    out: list[Finding] = []
    seen: set[tuple[str, str, str]] = set()

    def add(finding: Finding) -> None:
        key = (finding.rule, finding.concept, finding.found)
        if key not in seen:
            seen.add(key)
            out.append(finding)

    fuzzy = " (fuzzy entry)" if unit.fuzzy else ""
    for form in unit.msgstrs:
        if not form.strip():
            continue
        km_hits = ref.find_khmer(form)
        for hit in km_hits:
            # a Khmer term deprecated for a concept counts only where the msgid
            # mentions that concept (ពាក្យបញ្ជា is wrong for "prompt", right for "command")
            finding = bad_term(ref, hit, display, unit.line, None, mentioned)
            if finding is not None:
                add(replace(finding, message=finding.message + fuzzy,
                            msgctxt=unit.msgctxt, msgid=unit.msgid))
        for en_hit, concept in missing_terms(ref, en_hits, form, km_hits):
            finding = missing_finding(
                ref, en_hit, concept, display, unit.line,
                f"the msgid uses {en_hit.found!r} ({concept}); the msgstr has")
            add(replace(finding, message=finding.message + fuzzy, msgctxt=unit.msgctxt,
                        msgid=unit.msgid))
    return out


# --------------------------------------------------------------------------- Khmer terms


def bad_term(ref: Reference, hit: KmHit, display: str, line: int, column: int | None,
             mentioned: set[str] | None = None) -> Finding | None:
    """The finding for a deprecated or rejected Khmer term, if ``hit`` is one. In a PO
    entry (``mentioned``: the concepts its msgid mentions) only a term of a mentioned
    concept counts, and not where the same text is a good term of a mentioned concept;
    elsewhere (None) a text that is a good term of any concept has no finding, since
    only the context could tell."""
    bad = [e for e in hit.entries if e.role in (Role.DEPRECATED, Role.REJECTED)
           and (mentioned is None or e.concept in mentioned)]
    good = [e.concept for e in hit.entries if e.role is Role.GOOD]
    if not bad or (good and (mentioned is None or any(c in mentioned for c in good))):
        return None
    entry: KmEntry = bad[0]
    use = ref.suggestion(entry.concept)
    if use is not None:
        suggestion: str | None = use.text
        advice = f"use {use.text}"
    else:
        fallback = ref.best_khmer(entry.concept)
        suggestion = fallback.text if fallback is not None else None
        advice = (f"no {ref.min_review} term yet; the current proposal is {fallback.text} "
                  f"({fallback.review.state})" if fallback is not None
                  else f"no {ref.min_review} term yet")
    if entry.role is Role.REJECTED:
        rule, severity = "rejected-term", Severity.ERROR
        what = "rejected in review"
    else:
        rule, severity = "deprecated-term", Severity.WARNING
        what = ("superseded" if entry.term.admin_status is AdminStatus.SUPERSEDED
                else "deprecated")
    return Finding(
        display, line, column, rule, hit.found, suggestion, severity, entry.concept,
        f"{entry.term.text} is {what} for {entry.concept}; {advice}",
    )


# --------------------------------------------------------------------------- text


@dataclass
class _Listed:
    hit: EnHit
    concept: str
    line: int
    column: int
    count: int = 1


def _check_segments(ref: Reference, segments: Iterable[Segment], display: str) -> list[Finding]:
    out: list[Finding] = []
    listed: dict[str, _Listed] = {}
    for segment in segments:
        khmer_hits = ref.find_khmer(segment.text) if has_khmer(segment.text) else []
        for km_hit in khmer_hits:
            line, column = segment.locate(km_hit.start)
            finding = bad_term(ref, km_hit, display, line, column)
            if finding is not None:
                out.append(finding)
        for en_hit in ref.find_english(segment.text):
            for concept in en_hit.concepts:
                seen = listed.get(concept)
                if seen is not None:
                    seen.count += 1
                    continue
                line, column = segment.locate(en_hit.start)
                listed[concept] = _Listed(en_hit, concept, line, column)
    for item in listed.values():
        out.append(_glossary_term(ref, item, display))
    return out


def _glossary_term(ref: Reference, item: _Listed, display: str) -> Finding:
    concept = ref.concepts[item.concept]
    km = ref.best_khmer(item.concept)
    english = concept.en.preferred.text if concept.en.preferred is not None else item.concept
    khmer_part = "no Khmer term yet" if km is None else f"Khmer {km.text} ({km.review.state})"
    times = f"; {item.count} occurrences" if item.count > 1 else ""
    return Finding(
        display, item.line, item.column, "glossary-term", item.hit.found,
        km.text if km is not None else None, Severity.INFO, item.concept,
        f"{english} ({item.concept}): {khmer_part}{times}",
    )
