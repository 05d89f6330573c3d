"""The glossary as a translation catalog: which Khmer term answers which English term.

Pure functions over the model (no I/O), shared by the gettext export, the import review
and any other format that exchanges term pairs (TBX, CSV):

* :func:`pair_terms` decides, for each English term of a concept, the Khmer term that
  translates it. The rule, stable across exports: Khmer terms that are rejected,
  superseded or deprecated never pair (a deprecated term is an alternative the glossary
  advises against: it is listed among the entry's other Khmer terms, never offered as
  the translation); each English term (in file order, rejected and superseded ones
  skipped) takes the first unpaired Khmer term of the same ``type`` (fullForm, acronym
  …). So "AI model" gets the Khmer full form and "LLM" the Khmer acronym, and a term
  appended later never displaces an existing pair. An import's alternative to a
  term (a proposed term whose ``review_note`` starts with ``candidate:`` or ``conflict:``)
  pairs with nothing until a reviewer approves it: it is listed among the entry's other Khmer
  terms.
* :func:`entry_context` / :func:`parse_context` give the gettext message context of a
  pair: the concept id for its first English term, ``<id>#<n>`` for English term ``n``.
* :func:`fingerprint` hashes the English and Khmer text of a pair, so an import can tell
  whether the glossary changed since a file was exported.
* :class:`IncomingTerm` is the format-neutral shape of one term read back from any
  interchange file; :mod:`glossary.imports.proposals` compares a list of them with the
  glossary.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from itertools import chain
from operator import attrgetter
from typing import NamedTuple

from glossary.model import (
    AdminStatus,
    Concept,
    ConceptStatus,
    Glossary,
    Review,
    ReviewState,
    Term,
    format_ref,
)
from glossary.selection import select

FINGERPRINT_LENGTH = 12
CONFLICT_NOTE = "conflict:"  # how imports.proposals.apply marks an alternative to an approved term
CANDIDATE_NOTE = "candidate:"  # … and an alternative to a proposed term
PENDING_NOTES = (CONFLICT_NOTE, CANDIDATE_NOTE)


class Pair(NamedTuple):
    """English term ``en_index`` of a concept and the Khmer term that translates it."""

    en_index: int
    en: Term
    km_index: int | None
    km: Term | None


@dataclass(frozen=True, slots=True)
class IncomingTerm:
    """One term read back from an interchange file, whatever its format.

    ``concept_id`` and ``term_index`` (the index of the English term in the concept) are
    ``None`` when the file does not say; :mod:`glossary.review` then matches on
    ``en_text``. ``text`` is the incoming term in ``lang`` (normalized by the reader);
    ``fingerprint`` is the one exported with the entry, if any; ``fuzzy`` means the
    editor marked it as needing work; ``origin_file`` and ``line`` locate it, and
    ``context`` is the file's own msgctxt (evidence for a reviewer).
    """

    concept_id: str | None
    term_index: int | None
    lang: str
    text: str
    en_text: str
    fingerprint: str | None = None
    fuzzy: bool = False
    origin_file: str = ""
    line: int | None = None
    context: str | None = None  # the file's own message context (msgctxt), as written
    rationale: str | None = None  # why this text, when the file says (TBX, CSV, XLSX)


class CatalogEntry(NamedTuple):
    """One message of an exported catalog (format-neutral; PO and MO writers take it).
    A named tuple: a catalog of 100,000 entries is built in a fraction of a second."""

    context: str
    msgid: str
    msgstr: str
    comments: tuple[str, ...]
    fuzzy: bool
    fingerprint: str
    reference: str
    concept_id: str
    en_index: int
    km_index: int | None


_REJECTED = ReviewState.REJECTED
_APPROVED = ReviewState.APPROVED
_SUPERSEDED = AdminStatus.SUPERSEDED
_NOT_AS_KHMER = frozenset({AdminStatus.SUPERSEDED, AdminStatus.DEPRECATED})


def is_candidate(term: Term) -> bool:
    """Whether a term may answer (or be answered by) a term in the other language."""
    return term.review.state is not _REJECTED and term.admin_status is not _SUPERSEDED


def is_pending_alternative(term: Term) -> bool:
    """A proposed alternative (a candidate or a conflict) that an import added beside a
    term, awaiting a reviewer (see imports.proposals.apply)."""
    note = term.review.note
    return (note is not None and note.startswith(PENDING_NOTES)
            and term.review.state is ReviewState.PROPOSED)


def answers(km: Term) -> bool:
    """Whether a Khmer term may be paired as the translation of an English term: not
    rejected, superseded or deprecated, and not a pending alternative."""
    return (km.review.state is not _REJECTED and km.admin_status not in _NOT_AS_KHMER
            and not is_pending_alternative(km))


def pair_terms(concept: Concept) -> list[Pair]:
    """Pair each English term with its Khmer translation (see the module docstring)."""
    km_terms = concept.km.terms
    en_terms = concept.en.terms
    if len(en_terms) == 1:  # the common case: the first Khmer term that may answer
        en = en_terms[0]
        if en.review.state is _REJECTED or en.admin_status is _SUPERSEDED:
            return []
        for j, km in enumerate(km_terms):
            if km.type is en.type and answers(km):
                return [Pair(0, en, j, km)]
        return [Pair(0, en, None, None)]
    free = [(j, km) for j, km in enumerate(km_terms) if answers(km)]  # each asked once
    pairs: list[Pair] = []
    for i, en in enumerate(en_terms):
        if en.review.state is _REJECTED or en.admin_status is _SUPERSEDED:  # is_candidate
            continue
        kind = en.type
        for n, (j, km) in enumerate(free):  # a loop, not next(): 20 % of a call
            if km.type is kind:
                del free[n]
                pairs.append(Pair(i, en, j, km))
                break
        else:
            pairs.append(Pair(i, en, None, None))
    return pairs


def entry_context(concept_id: str, en_index: int) -> str:
    return concept_id if en_index == 0 else f"{concept_id}#{en_index}"


def parse_context(context: str) -> tuple[str, int] | None:
    """``"ai-model#1"`` → ``("ai-model", 1)``; ``"ai-model"`` → ``("ai-model", 0)``."""
    concept_id, sep, index = context.strip().partition("#")
    if not concept_id:
        return None
    if not sep:
        return concept_id, 0
    if not index.isdigit() or not index.isascii():
        return None
    return concept_id, int(index)


def entry_reference(concept_id: str) -> str:
    """A catalog entry's reference (PO ``#:``): the concept's file."""
    return f"terms/{concept_id}.toml"


_REFERENCE = re.compile(r"(?:^|/)terms/([^/\s:]+)\.toml(?::\d*)?$")


def reference_concept(references: str) -> str | None:
    """The concept an exported entry's reference names: ``"terms/ai-model.toml"`` (as
    a PO ``#:`` line, or po2csv's ``location`` column, keeps it) → ``"ai-model"``; None
    when no reference, or several different ones, name a concept file. Whether that
    concept exists is the caller's question."""
    found = {match[1] for part in references.split()
             if (match := _REFERENCE.search(part.replace("\\", "/"))) is not None}
    return found.pop() if len(found) == 1 else None


def fingerprint(en_text: str, km_text: str | None) -> str:
    """A short hash of an English term and its Khmer translation, as exported."""
    data = f"{en_text}\x1f{km_text or ''}".encode()
    return hashlib.blake2b(data, digest_size=FINGERPRINT_LENGTH // 2).hexdigest()


def _review_words(review: Review) -> str:
    details = [review.origin]
    if review.proposed_by:
        details.append(f"proposed by {review.proposed_by}")
    if review.approved_by:
        on = f" on {review.approved_on.isoformat()}" if review.approved_on else ""
        details.append(f"approved by {review.approved_by}{on}")
    return f"Khmer term: {review.state} ({'; '.join(details)})"


class _Comments:
    """Builds the translator comments of each entry, caching what entries share."""

    def __init__(self, glossary: Glossary) -> None:
        self.documents = {d.id: d for d in glossary.documents}
        self.domains = {d.id: d.en for d in glossary.domains}
        self._refs: dict[tuple[str, str, int | None], str] = {}
        self._domain_lines: dict[tuple[str, ...], str | None] = {}
        self._reviews: dict[tuple[object, ...], str] = {}

    def concept_lines(self, concept: Concept) -> tuple[list[str], list[str]]:
        """(lines before the term lines, lines after them) shared by a concept's entries."""
        head: list[str] = []
        if concept.en.definition is not None:
            head.append(f"Definition: {concept.en.definition.text}")
        domains = self._domain_lines.get(concept.domains, "")
        if domains == "":
            domains = self._domain_lines[concept.domains] = (
                "Domains: " + ", ".join(self.domains.get(d, d) for d in concept.domains)
                if concept.domains else None)
        if domains:
            head.append(domains)
        tail: list[str] = []
        if concept.sources:
            cache = self._refs
            parts = []
            for ref in concept.sources:
                key = (ref.doc, ref.section, ref.page)
                text = cache.get(key)
                if text is None:
                    text = cache[key] = format_ref(ref, self.documents.get(ref.doc))
                parts.append(text)
            tail.append("Sources: " + "; ".join(parts))
        for note in concept.notes:
            tail.append(f"Note: {note}")
        for example in concept.examples:
            tail.append(f"Example: {example.en} — {example.km}")
        return head, tail

    def review_line(self, review: Review) -> str:
        key = (review.state._value_, review.origin, review.proposed_by, review.approved_by,
               review.approved_on)
        text = self._reviews.get(key)
        if text is None:
            text = self._reviews[key] = _review_words(review)
        return text

    def entry(self, concept: Concept, pair: Pair, head: list[str], tail: list[str]
              ) -> tuple[str, ...]:
        en, km = pair.en, pair.km
        lines = [*head, f"English term: {en.admin_status} {en.type}",
                 self.review_line(km.review) if km is not None else _NO_KHMER]
        if km is not None and km.rationale:
            lines.append(f"Rationale: {km.rationale}")
        lines.extend(tail)
        if en.note or en.context or (km is not None and (km.note or km.context)):
            for term in (en, km):
                if term is not None and term.note:
                    lines.append(f"Note: {term.note}")
                if term is not None and term.context:
                    lines.append(f"Example: {term.context}")
        if en.dnt or (km is not None and km.dnt):
            lines.append(_DNT)
        km_terms = concept.km.terms
        if km_terms and (km is None or len(km_terms) > 1):
            others = [
                f"{t.text} ({t.admin_status}, {t.review.state})"
                for j, t in enumerate(km_terms)
                if j != pair.km_index and is_candidate(t)
            ]
            if others:
                lines.append("Other Khmer terms: " + "; ".join(others))
        return tuple(lines)


_NO_KHMER = "Khmer term: none yet (please propose one)"
_DNT = "Do not translate: keep this term in English in Khmer text."


def build_entries(glossary: Glossary) -> list[CatalogEntry]:
    """The catalog of a glossary: one entry per English term of each active concept, in
    concept-id order."""
    maker = EntryMaker(glossary)
    return [entry for concept in glossary.concepts for entry in maker.entries(concept)]


class EntryMaker:
    """The catalog entries of one concept at a time (what :func:`build_entries` makes
    for it), with the comments' shared parts cached."""

    def __init__(self, glossary: Glossary) -> None:
        self.comments = _Comments(glossary)

    def entries(self, concept: Concept) -> list[CatalogEntry]:
        found = pair_terms(concept) if concept.status is not ConceptStatus.RETIRED else []
        if not found:
            return []
        entries: list[CatalogEntry] = []
        append = entries.append
        entry_comments = self.comments.entry
        head, tail = self.comments.concept_lines(concept)
        blake2b = hashlib.blake2b
        size = FINGERPRINT_LENGTH // 2
        cid = concept.id
        for pair in found:
            km = pair.km
            approved = km is not None and km.review.state is _APPROVED
            km_text = km.text if km is not None else ""
            index = pair.en_index
            en_text = pair.en.text
            append(CatalogEntry(
                entry_context(cid, index),
                en_text,
                km_text,
                entry_comments(concept, pair, head, tail),
                bool(km_text) and not approved,
                blake2b(f"{en_text}\x1f{km_text}".encode(), digest_size=size).hexdigest(),
                entry_reference(cid),
                cid,
                index,
                pair.km_index,
            ))
        return entries


def approved_messages(glossary: Glossary) -> list[tuple[str, str, str]]:
    """``(context, English, Khmer)`` of every approved pair: what an MO file holds. The
    same messages as the entries of :func:`build_entries` that are translated and not
    fuzzy, without the comments."""
    out: list[tuple[str, str, str]] = []
    retired = ConceptStatus.RETIRED
    for concept in glossary.concepts:
        if concept.status is retired or all(
                t.review.state is not _APPROVED for t in concept.km.terms):
            continue  # nothing approved to pair (most concepts; cheaper than pairing)
        cid = concept.id
        for index, en, _, km in pair_terms(concept):
            if km is not None and km.review.state is _APPROVED and km.text:
                out.append((entry_context(cid, index), en.text, km.text))
    return out


# --------------------------------------------------------------------------- compendium


@dataclass(frozen=True, slots=True)
class Ambiguity:
    """An English term that several concepts translate differently: the compendium keeps
    the first (``chosen``, marked fuzzy) and names the others."""

    msgid: str
    chosen: str  # concept id
    others: tuple[tuple[str, str], ...]  # (concept id, Khmer term)


def compendium(entries: list[CatalogEntry]) -> tuple[list[CatalogEntry], list[Ambiguity]]:
    """A catalog keyed by the English term alone (no msgctxt), for ``msgmerge
    --compendium`` and plain ``gettext()``: one entry per English term. Entries with no
    Khmer term are left out. When several concepts give one English term the same Khmer
    term, one entry names them all; when they give different Khmer terms, the English
    term is *ambiguous*: the first concept's entry is kept, marked fuzzy (a translator
    must choose), and the others are listed in its comments and returned."""
    by_msgid: dict[str, list[CatalogEntry]] = {}
    for entry in entries:
        if entry.msgstr:
            by_msgid.setdefault(entry.msgid, []).append(entry)
    out: list[CatalogEntry] = []
    ambiguous: list[Ambiguity] = []
    for group in by_msgid.values():
        merged, ambiguity = merge_group(group[0], [(e.concept_id, e.msgstr) for e in group])
        out.append(merged)
        if ambiguity is not None:
            ambiguous.append(ambiguity)
    return out, ambiguous


def merge_group(first: CatalogEntry, members: list[tuple[str, str]]
                ) -> tuple[CatalogEntry, Ambiguity | None]:
    """The compendium entry of an English term: ``first`` (the first concept's entry)
    and every (concept id, Khmer term) that gives it, ``first``'s included."""
    ids = list(dict.fromkeys(cid for cid, _ in members))
    others = tuple((cid, text) for cid, text in members[1:] if text != first.msgstr)
    head = f"Concept: {', '.join(ids)}" if len(ids) > 1 else f"Concept: {first.concept_id}"
    comments = (head, *first.comments)
    fuzzy = first.fuzzy
    ambiguity = None
    if others:
        ambiguity = Ambiguity(first.msgid, first.concept_id, others)
        comments = (head, "Ambiguous English term: other concepts translate it as "
                    + "; ".join(f"{t} ({c})" for c, t in others), *first.comments)
        fuzzy = True
    return first._replace(context="", comments=comments, fuzzy=fuzzy), ambiguity


def project_entries(glossary: Glossary, level: str | None, as_compendium: bool = False
                    ) -> tuple[list[CatalogEntry], list[Ambiguity]]:
    """The entries of a catalog for other projects: Khmer terms reviewed to ``level``
    (see :mod:`glossary.selection`), entries without a Khmer term left out; with
    ``as_compendium``, :func:`compendium` of them. Also the English terms that several
    concepts translate differently (a compendium keeps the first, fuzzy)."""
    entries = [e for e in build_entries(select(glossary, level)) if e.msgstr]
    return compendium(entries) if as_compendium else (entries, [])


def compiled_messages(glossary: Glossary, level: str | None, as_compendium: bool = False
                      ) -> tuple[list[tuple[str | None, str, str]], list[Ambiguity]]:
    """The messages of an MO catalog for other projects, as (msgctxt, msgid, msgstr):
    :func:`project_entries`, less a compendium's ambiguous English terms. msgfmt leaves
    the compendium PO's fuzzy entry for such a term out of what it compiles, and so do
    we: a program's ``gettext("AI model")`` then stays English rather than getting one
    sense's Khmer term for the other."""
    entries, ambiguous = project_entries(glossary, level, as_compendium)
    left_out = {item.msgid for item in ambiguous}
    return [(e.context or None, e.msgid, e.msgstr) for e in entries
            if e.msgid not in left_out], ambiguous


class CompendiumIndex:
    """Every English term of a glossary with the (concept id, Khmer term) pairs that
    give it, in catalog order: what the compendium entries of one concept read of the
    others (an entry is written at the first concept that gives its English term, and
    names the others). Made from the pairs alone, without the comments.

    Only an English term that more than one term of the glossary spells can have a
    group of more than one concept, so only the concepts with such a term are paired
    here (:attr:`groups`); every other concept's entries stand alone. At 100,000
    concepts, nearly all of them alone, counting the English terms takes 0.13 s where
    pairing every concept took 0.35 s of each build. :meth:`counts` and
    :meth:`ambiguities` (``export po --compendium``) pair every concept."""

    def __init__(self, glossary: Glossary) -> None:
        retired = ConceptStatus.RETIRED
        self.active = [c for c in glossary.concepts if c.status is not retired]
        texts = list(map(_TEXT, chain.from_iterable(map(_EN_TERMS, self.active))))
        #: how many English terms of the active concepts spell each text
        self.spelled = Counter(texts)
        shared = {text for text, count in self.spelled.items() if count > 1} \
            if len(self.spelled) < len(texts) else set()
        self.groups, self.fuzzy, self.given = _groups(
            [c for c in self.active if not shared.isdisjoint(map(_TEXT, c.en.terms))]
            if shared else [])

    def context(self, concept: Concept) -> str:
        """What the piece of ``concept`` reads of other concepts: the groups of the
        English terms it gives that are not this concept alone (none, for most: their
        piece is keyed by the concept alone)."""
        mine = self.given.get(concept.id)
        if mine is None:  # no English term it gives is spelled twice
            return ""
        cid = concept.id
        found = [(msgid, group) for msgid in mine
                 if len(group := self.groups[msgid]) > 1 or group[0][0] != cid]
        return repr(found) if found else ""

    def entries(self, own: list[CatalogEntry]) -> list[CatalogEntry]:
        """The compendium entries a concept's catalog entries ``own`` start."""
        out: list[CatalogEntry] = []
        done: set[str] = set()
        for entry in own:
            if not entry.msgstr or entry.msgid in done:
                continue
            members = self.groups.get(entry.msgid)
            if members is None:
                if self.spelled.get(entry.msgid) != 1:
                    continue  # not an English term of this glossary
                members = [(entry.concept_id, entry.msgstr)]  # spelled once: alone
            elif members[0][0] != entry.concept_id:
                continue
            done.add(entry.msgid)
            out.append(merge_group(entry, members)[0])
        return out

    @cached_property
    def _every_group(self) -> tuple[Groups, dict[str, bool], dict[str, list[str]]]:
        return _groups(self.active)

    def counts(self) -> tuple[int, int]:
        """(entries, fuzzy entries) of the compendium, as :func:`compendium` makes it."""
        groups, fuzzy, _ = self._every_group
        ambiguous = {a.msgid for a in self.ambiguities()}
        return len(groups), sum(1 for msgid, fuzzy in fuzzy.items()
                                if fuzzy or msgid in ambiguous)

    def ambiguities(self) -> list[Ambiguity]:
        """What :func:`compendium` returns as ambiguous, from the groups alone."""
        out = []
        for msgid, members in self._every_group[0].items():
            first_id, first_text = members[0]
            others = tuple((cid, text) for cid, text in members[1:] if text != first_text)
            if others:
                out.append(Ambiguity(msgid, first_id, others))
        return out


_TEXT = attrgetter("text")
_EN_TERMS = attrgetter("en.terms")
Groups = dict[str, list[tuple[str, str]]]


def _groups(concepts: list[Concept]) -> tuple[Groups, dict[str, bool], dict[str, list[str]]]:
    """The compendium groups of ``concepts`` (active ones, in catalog order): each
    English term they pair with a Khmer term, with the (concept id, Khmer term) pairs
    that give it; whether its first entry is fuzzy; and the English terms each concept
    gives."""
    groups: Groups = {}
    fuzzy: dict[str, bool] = {}  # the first entry of each English term is fuzzy
    given: dict[str, list[str]] = {}  # concept id -> the English terms it gives
    for concept in concepts:
        cid = concept.id
        mine: list[str] = []
        for pair in pair_terms(concept):
            km = pair.km
            if km is not None and km.text:
                group = groups.setdefault(pair.en.text, [])
                if not group:
                    fuzzy[pair.en.text] = km.review.state is not _APPROVED
                group.append((cid, km.text))
                mine.append(pair.en.text)
        if mine:
            given[cid] = mine
    return groups, fuzzy, given
