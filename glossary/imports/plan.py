"""Planning an import of an interchange file (TBX, CSV, XLSX) against the glossary.

``plan()`` compares the incoming records a format reader produced
(:mod:`glossary.imports.records`) with the glossary: each incoming concept is matched by
concept id, else by its English preferred term (on :func:`glossary.khmer.search_key`);
each incoming term by its text within its language. The result lists what would be
added, changed, or is in conflict (a change to an approved term or definition: never
applied), and what was skipped (:mod:`glossary.imports.apply` writes it). An import
adds and changes; it never deletes a term, a definition or a concept. A file written by
another tool only adds: new concepts, new terms, definitions and term contexts or notes
where ours are empty, domains and references to our lists; where it differs from what
we have, ours is kept and the report counts it under "skipped" (another definition is a
conflict that quotes it, for a reviewer).

New concepts keep the file's id when the file was written by ``glossary`` and the id is
a free, safe slug; otherwise they get a fresh id: the slug of the English term, made
unique. Terms and definitions from another tool's file get ``review = "proposed"`` and
``origin = "imported:<file name>"``, proposed by the person the file names, else by
``--by NAME``.

Review states in a file are claims, not decisions: see the trust rule,
:mod:`glossary.imports.trust`.

The Khmer translations of English terms the glossary already has go through the shared
review of the PO import (:mod:`glossary.imports.proposals`: a new proposal, a candidate
or a conflict; an approved term is never replaced). Everything else an interchange file
carries — new concepts, English terms, definitions, domains, sources, see-also, notes,
term attributes and review records — is compared here, field by field.
:mod:`glossary.imports.run` runs it (reading, planning and, under the terms lock, applying).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date
from typing import Any

from glossary import collector, khmer, validate
from glossary.imports import clean, pairing, proposals
from glossary.imports.naming import (
    ConceptFinder,
    match_key,
    planned_text,
    preferred_term,
    slugify,
)
from glossary.imports.proposals import Outcome
from glossary.imports.records import InConcept, InDefinition, InTerm, ReadResult
from glossary.imports.report import (
    Change,
    ImportPlan,
    describe_diff,
    fmt_value,
    review_changes,
    short,
)
from glossary.imports.trust import Trust
from glossary.model import (
    AdminStatus,
    Concept,
    ConceptStatus,
    Definition,
    Example,
    Glossary,
    LangSection,
    ReviewState,
    SourceRef,
    Term,
    TermType,
)
from glossary.pairs import IncomingTerm

# --------------------------------------------------------------------------- planning


class _Planner:
    def __init__(self, glossary: Glossary, result: ReadResult, by: str | None,
                 taken: set[str], keep: bool, decisions: bool = False,
                 today: date | None = None) -> None:
        self.glossary = glossary
        self.result = result
        self.keep = keep
        self.links: list[tuple[int, tuple[str, ...]]] = []  # see-also of new concepts
        self.sections = {(d.id, s.id) for d in glossary.documents for s in d.sections}
        self.plan = ImportPlan(result.path, result.format, result.own)
        self.taken = set(taken) | {c.id for c in glossary.concepts}
        self.finder = ConceptFinder(glossary)
        self.domains: dict[str, str] = {}
        # what the report counts under "skipped" for a domain or a section we do not have
        self.unknown: dict[object, str] = {}
        for domain in glossary.domains:
            for label in (domain.id, domain.en, domain.km):
                if label:
                    self.domains.setdefault(label.casefold(), domain.id)
        # a file's id -> the id its new concept got, where they differ (kept ids mapped to
        # themselves: finish() of a 100,000-concept report took 0.28 s with them, 0.14 s)
        self.id_map: dict[str, str] = {}
        self.new_keys: set[str] = set()
        self.incoming_terms: list[IncomingTerm] = []  # translations for imports.proposals
        self.unchanged: set[str] = set()
        self.definitions = {s.definition.text for c in glossary.concepts
                            for s in (c.en, c.km) if s.definition is not None}
        trust = Trust(result, by, decisions, today or date.today(), self.skip)
        self.review = trust.review
        self.review_state = trust.review_state
        self.decision = trust.decision
        self.reworded = trust.reworded

    @property
    def own(self) -> bool:  # known once the file's header has been read
        return self.result.own

    def skip(self, reason: str) -> None:
        self.plan.skipped[reason] += 1

    # -- building model objects from incoming records

    def term(self, incoming: InTerm, first: bool, lang: str) -> Term:
        default_status = AdminStatus.PREFERRED if first else AdminStatus.ADMITTED
        text = planned_text(incoming.text)
        dnt = incoming.dnt
        if lang == "km" and not khmer.has_khmer(text):  # an acronym kept in English (or
            dnt = True  # `check` would refuse a "Khmer" term without Khmer letters)
        elif dnt is None:
            dnt = False
        return Term(
            text=text,
            admin_status=incoming.admin_status or default_status,
            type=incoming.type or TermType.FULL_FORM,
            pos=incoming.pos or "noun",
            context=self.context(incoming.context, lang),
            dnt=dnt,
            note=incoming.note or None,
            review=self.review(incoming.review),
            rationale=incoming.rationale or None,
        )

    def context(self, value: str | None, lang: str) -> str | None:
        """A term's context as planned: a Khmer term's context in Latin letters alone (a
        column shifted in a damaged file, or English typed in the wrong cell) is left out
        and counted, since `check` refuses a Khmer field with Latin and no Khmer letters."""
        if (value and lang == "km" and not khmer.has_khmer(value)
                and khmer.has_latin_letters(value)):
            self.skip("Khmer term contexts without Khmer letters")
            return None
        return value or None

    def ref(self, ref: SourceRef | None) -> SourceRef | None:
        if ref is None:
            return None
        place = (ref.doc, ref.section)
        if place not in self.sections:
            reason = self.unknown.get(place)  # a file cites the same few sections
            if reason is None:
                reason = self.unknown[place] = \
                    f"references to unregistered {ref.doc} §{ref.section}"
            self.plan.skipped[reason] += 1
            return None
        return ref

    def definition(self, incoming: InDefinition | None) -> Definition | None:
        if incoming is None:
            return None
        return Definition(text=incoming.text, source=self.ref(incoming.source),
                          review=self.review(incoming.review))

    def domain_ids(self, values: Iterable[str]) -> tuple[str, ...]:
        out: list[str] = []
        for value in values:
            found = self.domains.get(value.casefold())
            if found is None:
                reason = self.unknown.get(value)  # a file names the same few domains
                if reason is None:
                    reason = self.unknown[value] = f"unknown domain {value!r}"
                self.plan.skipped[reason] += 1
            elif found not in out:
                out.append(found)
        return tuple(out)

    def refs(self, values: Iterable[SourceRef]) -> tuple[SourceRef, ...]:
        return tuple([r for r in map(self.ref, values) if r is not None])

    # -- matching

    def fresh_id(self, wanted: str | None, preferred: str | None) -> str:
        """The id of a new concept: the file's own (``wanted``) when it can be kept,
        else a slug of its English preferred term, made unique."""
        if (self.result.own and wanted and validate.id_problem(wanted) is None
                and wanted not in self.taken):
            return wanted
        base = slugify(preferred or "concept")
        if validate.id_problem(base) is not None:
            base = f"{base}-term"[:60]
        candidate, n = base, 2
        while candidate in self.taken:
            candidate, n = f"{base}-{n}", n + 1
        return candidate

    # -- the plan

    def new_concept(self, incoming: InConcept, key: str | None,
                    preferred: InTerm | None) -> None:
        """Add ``incoming`` as a new concept, unless it has no English term or an earlier
        new entry had its English term. ``preferred``: its English preferred term
        (:func:`.naming.preferred_term`); ``key``, the key of that term's text."""
        if not incoming.en.terms or key is None:
            self.skip("new concepts without an English term")
            return
        wanted = incoming.id
        if not (self.result.own and wanted) and key in self.new_keys:
            self.skip("entries repeating the English term of an earlier new entry")
            return
        self.new_keys.add(key)
        cid = self.fresh_id(wanted, preferred.text if preferred else None)
        self.taken.add(cid)
        if wanted and cid != wanted:
            self.id_map[wanted] = cid
        elif wanted and self.id_map:  # kept after all (an earlier entry was renamed)
            self.id_map.pop(wanted, None)
        if self.keep:
            concept = self.build(cid, incoming)
            self.plan.new.append(concept)
            see_also = concept.see_also
            en, km = concept.en.preferred, concept.km.preferred
            en_name, km_name = (en.text if en else None), (km.text if km else None)
        else:  # a report only: the same checks and names, without the model objects
            see_also = tuple(incoming.see_also or ())
            en_name, km_name = self.checked_names(incoming)
        new_ids = self.plan.new_ids
        new_ids.append(cid)
        if see_also:
            self.links.append((len(new_ids) - 1, see_also))
        self.plan.changes.append(tuple.__new__(Change, (  # Change(…), without its __new__
            "added", cid, "new concept",
            (en_name or "") + (f" / {km_name}" if km_name is not None else ""),
            incoming.line)))

    def build(self, cid: str, incoming: InConcept) -> Concept:
        """The new concept an incoming record becomes."""

        def lang(code: str) -> LangSection:
            section = incoming.lang(code)
            return LangSection(
                definition=self.definition(section.definition),
                terms=tuple(self.term(t, i == 0, code) for i, t in enumerate(section.terms)),
            )

        return Concept(
            id=cid,
            domains=self.domain_ids(incoming.domains or ()),
            sources=self.refs(incoming.sources or ()),
            see_also=tuple(incoming.see_also or ()),  # resolved in finish()
            notes=tuple(incoming.notes or ()),
            status=incoming.status or ConceptStatus.ACTIVE,
            en=lang("en"), km=lang("km"),
            examples=tuple(incoming.examples or ()),
        )

    def checked_names(self, incoming: InConcept) -> tuple[str | None, str | None]:
        """What :meth:`build` would count as skipped, and the English and Khmer preferred
        terms it would give (``LangSection.preferred``), without building anything. A
        test checks that reports with and without ``keep`` are the same."""
        if incoming.domains:
            self.domain_ids(incoming.domains)
        for ref in incoming.sources or ():
            self.ref(ref)
        review_state = self.review_state
        names: list[str | None] = []
        for section in (incoming.en, incoming.km):
            definition = section.definition
            if definition is not None:
                if definition.source is not None:
                    self.ref(definition.source)
                review = definition.review
                if review is not None and review.state is not _PROPOSED_STATE:
                    review_state(review)  # a claim, a draft: the trust rule counts it
            chosen = None
            first = True
            for term in section.terms:  # every state counted (the trust rule's skips)
                review = term.review  # none, or a proposal (most): proposed, not counted
                rejected = not (review is None or review.state is _PROPOSED_STATE) \
                    and review_state(review) is _REJECTED
                if chosen is None and not rejected:
                    admin = term.admin_status  # None: preferred if first, else admitted
                    if admin is _PREFERRED or (admin is None and first):
                        chosen = term
                first = False
            if chosen is None and section.terms:
                chosen = section.terms[0]
            names.append(planned_text(chosen.text) if chosen is not None else None)
        return names[0], names[1]

    def merge(self, existing: Concept, incoming: InConcept) -> None:
        current = self.plan.updated.get(existing.id, existing)
        changes: list[Change] = []

        def note(kind: str, what: str, detail: str, line: int | None = None) -> None:
            changes.append(Change(kind, existing.id, what, detail, line or incoming.line))

        updates: dict[str, Any] = {}
        fields: list[tuple[str, Any, Callable[[Any], Any]]] = [
            ("domains", incoming.domains, self.domain_ids),
            ("sources", incoming.sources, self.refs),
            ("see_also", incoming.see_also, tuple),
            ("notes", incoming.notes, tuple),
            ("status", incoming.status, lambda v: v),
            ("examples", incoming.examples, tuple),
        ]
        for name, value, convert in fields:
            if value is None:
                continue
            new = convert(value)
            old = getattr(current, name)
            if name == "see_also":
                new = tuple(self.id_map.get(v, v) for v in new)
            if not self.own:  # another tool's file adds to our lists, never replaces them
                if name == "status":
                    continue
                if name == "examples" and old:  # only where we have none
                    if new and new != old:
                        self.skip("examples that differ from ours (ours kept)")
                    continue
                new = tuple(old) + tuple(v for v in new if v not in old)
            if new != old:
                updates[name] = new
                show = _fmt_examples if name == "examples" else fmt_value
                note("changed", name, f"{show(old)} → {show(new)}")
        for code in ("en", "km"):
            section = current.lang(code)
            reviewed = self.translations(current, incoming) if code == "km" else frozenset()
            merged = self.merge_lang(code, section, incoming.lang(code), note, reviewed)
            if merged != section:
                updates[code] = merged
        self.plan.changes.extend(changes)
        applied = [c for c in changes if c.kind != "conflict"]
        if updates and applied:
            self.plan.updated[existing.id] = replace(current, **updates)
        elif not changes:
            self.unchanged.add(existing.id)

    def merge_lang(self, code: str, section: LangSection, incoming: Any,
                   note: Callable[..., None],
                   reviewed: frozenset[int] = frozenset()) -> LangSection:
        definition = section.definition
        if incoming.definition is not None:
            if definition is None:
                new = self.definition(incoming.definition)
                assert new is not None
                definition = new
                note("added", f"{code} definition", short(new.text))
            elif not self.own:
                theirs = incoming.definition.text
                if " ".join(theirs.split()) != " ".join(definition.text.split()):
                    # never applied (one definition per language: ours stays), but shown
                    # in full, so that a translator's rewording reaches a reviewer
                    note("conflict", f"{code} definition", "the file has another definition "
                         f"(ours kept: a reviewer decides): {theirs}",
                         incoming.definition.line)
            else:
                source = self.ref(incoming.definition.source)
                revised = replace(definition, text=incoming.definition.text,
                                  source=source if (self.own or source) else
                                  definition.source)
                decided = self.decision(definition.review, incoming.definition.review)
                if decided is not None and revised == definition:
                    revised = replace(revised, review=decided)
                if revised != definition:
                    detail = describe_diff(definition, revised, ("text", "source", "review"))
                    if definition.review.state is ReviewState.APPROVED and decided is None:
                        note("conflict", f"{code} definition",
                             f"approved by {definition.review.approved_by}; the file has {detail}")
                    else:
                        if revised.text != definition.text:  # another wording, another author
                            revised = replace(revised, review=self.reworded(
                                definition.review, definition.text))
                        definition = revised
                        note("changed", f"{code} definition", detail)
        terms = list(section.terms)
        keys = {khmer.search_key(t.text): i for i, t in enumerate(terms)}
        for position, inc in enumerate(incoming.terms):
            if position in reviewed:  # a translation: imports.proposals decides
                continue
            text = planned_text(inc.text)
            index = keys.get(khmer.search_key(text))
            if index is None:
                term = self.term(inc, not terms, code)
                keys[khmer.search_key(text)] = len(terms)
                terms.append(term)
                note("added", f"{code} term {text!r}", term.admin_status.value, inc.line)
                continue
            old = terms[index]
            candidate = self.merged_term(old, inc, code)
            decided = self.decision(old.review, inc.review)
            if decided is not None and candidate == old:  # a decision alone, never mixed
                candidate = replace(old, review=decided)
                old_approved = False
            else:
                old_approved = old.review.state is ReviewState.APPROVED
            if candidate == old:
                continue
            detail = describe_diff(old, candidate, ("text", "admin_status", "type", "pos",
                                                    "context", "dnt", "note", "rationale",
                                                    "review"))
            if old_approved:
                note("conflict", f"{code} term {old.text!r}",
                     f"approved by {old.review.approved_by}; the file has {detail}", inc.line)
            else:
                terms[index] = candidate
                note("changed", f"{code} term {old.text!r}", detail, inc.line)
        return LangSection(definition=definition, terms=tuple(terms))

    def translations(self, existing: Concept, incoming: InConcept) -> frozenset[int]:
        """Hand the incoming Khmer terms that translate an English term (and differ from
        every Khmer term the concept has) to :func:`glossary.imports.proposals.compare`, as the PO
        import does; return their positions. An entry without English terms offers its
        first Khmer term as the translation of the concept's first English term (like a
        PO entry).

        Another tool's file (a partner's glossary, an OmegaT glossary) also hands over a
        translation the concept already has as another of its Khmer terms, so the report
        can say the file prefers it (nothing is written for it); our own layout lists
        every Khmer term of the concept, each in its place, and is not asked. Which Khmer
        term translates which English term is :func:`glossary.imports.pairing.offered`'s
        (by row in another tool's file)."""
        km = incoming.km.terms
        if not km:
            return frozenset()
        have = {khmer.search_key(t.text) for t in existing.km.terms}
        if self.own and all(khmer.search_key(planned_text(t.text)) in have for t in km):
            return frozenset()  # nothing new to translate (the usual case): no pairing
        positions = []
        for position, en_text in pairing.offered(existing.id, incoming, not self.own):
            text = planned_text(km[position].text)
            if khmer.search_key(text) not in have:
                positions.append(position)
            elif self.own:
                continue
            self.incoming_terms.append(IncomingTerm(
                concept_id=existing.id, term_index=None, lang="km", text=text,
                en_text=en_text, origin_file=self.result.path.name,
                line=km[position].line or incoming.line,
                rationale=km[position].rationale or None))
        return frozenset(positions)

    def merged_term(self, old: Term, inc: InTerm, code: str = "en") -> Term:
        values: dict[str, Any] = {}
        if not self.own:  # another tool's file only fills what we left empty
            for name in ("context", "note", "rationale"):
                if getattr(old, name) is None and getattr(inc, name):
                    values[name] = getattr(inc, name)
            if "context" in values:
                values["context"] = self.context(values["context"], code)
            if any(getattr(inc, n) not in (None, getattr(old, n))
                   for n in ("admin_status", "type", "pos")):
                self.skip("term attributes that differ from ours (ours kept)")
            return replace(old, **values)
        for name in ("admin_status", "type", "pos"):
            value = getattr(inc, name)
            if value is not None:
                values[name] = value
        for name in ("context", "note"):
            value = getattr(inc, name)
            if value is not None or self.own:
                values[name] = value or None
        if "context" in values and values["context"] != old.context:
            values["context"] = self.context(values["context"], code)
        if inc.rationale is not None:  # None: the file has no place for it (an older CSV)
            values["rationale"] = inc.rationale or None
        if inc.dnt is not None and not (code == "km" and not khmer.has_khmer(old.text)):
            values["dnt"] = inc.dnt
        return replace(old, **values)  # the review record: only a decision changes it

    def finish(self) -> ImportPlan:
        """Resolve the see-also links of new concepts (they may point forward); a link
        of a changed concept to a concept that does not exist is dropped and counted."""
        known = {c.id for c in self.glossary.concepts}
        known.update(self.plan.new_ids)
        id_map = self.id_map
        for cid, concept in list(self.plan.updated.items()):
            kept = tuple(link for link in concept.see_also if link in known)
            if kept == concept.see_also:
                continue
            self.skip("see-also links to unknown concepts")
            concept = replace(concept, see_also=kept)
            if concept == self.glossary.concept(cid):  # nothing else changed
                del self.plan.updated[cid]
                self.plan.changes = [c for c in self.plan.changes if c.concept != cid]
                self.unchanged.add(cid)
            else:
                self.plan.updated[cid] = concept
                old = self.glossary.concept(cid)
                before = old.see_also if old is not None else ()
                self.plan.changes = [
                    c if not (c.concept == cid and c.what == "see_also") else
                    c._replace(detail=f"{fmt_value(before)} → {fmt_value(kept)}")
                    for c in self.plan.changes if not (
                        c.concept == cid and c.what == "see_also" and kept == before)]
        if not self.keep:  # a report: only the links that lead nowhere count
            targets = [other for _, links in self.links for other in links]
            unknown = len(targets) - sum(map(known.__contains__, map(
                id_map.get, targets, targets) if id_map else targets))
            if unknown:
                self.plan.skipped["see-also links to unknown concepts"] += unknown
            return self.plan
        resolved: dict[int, tuple[str, ...]] = {}
        for index, links in self.links:
            found: list[str] = []
            for other in links:
                target = id_map.get(other, other)
                if target in known:
                    found.append(target)
                else:
                    self.skip("see-also links to unknown concepts")
            resolved[index] = tuple(found)
        self.plan.new = [replace(c, see_also=resolved[i]) if i in resolved else c
                         for i, c in enumerate(self.plan.new)]
        return self.plan


def _fmt_examples(examples: tuple[Example, ...]) -> str:
    if not examples:
        return "(none)"
    return "; ".join(short(f"{e.en} / {e.km}", 50) for e in examples)


_PREFERRED = AdminStatus.PREFERRED  # the members the loops above test, looked up once
_REJECTED = ReviewState.REJECTED
_PROPOSED_STATE = ReviewState.PROPOSED


def plan(glossary: Glossary, result: ReadResult, *, by: str | None = None,
         taken: Iterable[str] = (), keep: bool = True, decisions: bool = False,
         today: date | None = None, fold_coeng_da: bool = True) -> ImportPlan:
    """Compare incoming records with ``glossary``; nothing is written. ``result.concepts``
    may be a stream (it is consumed once). With ``keep=False`` new concepts are counted
    and reported but not kept, so a report on a large file needs little memory.
    ``decisions`` (with ``by``): the file's approvals and rejections are ``by``'s
    decisions (see :class:`glossary.imports.trust.Trust`); otherwise the file only proposes."""
    planner = _Planner(glossary, result, by, set(taken), keep, decisions, today)
    concepts = result.concepts
    # No cyclic collection meanwhile: the records are acyclic and die young, yet a file
    # of 100,000 concepts set off 628 collections (0.14 s), three of them full ones
    # walking every change planned so far. What the plan keeps (its changes, ids, links)
    # then joins the oldest generation (settle) rather than being walked by the next
    # young collections: 0.1 s more at 100,000 concepts (8.8 -> 8.7 s, measured).
    path, skip, known = result.path, planner.skip, planner.definitions
    cleaned, find, new = clean.concept, planner.finder.match, planner.new_concept
    with collector.paused(settle=True):
        try:
            for record in concepts:
                incoming = cleaned(record, path, fold_coeng_da, skip, known)  # the one
                preferred = preferred_term(incoming)  # cleaning boundary
                key = match_key(preferred)
                match = find(incoming, key)
                if match is None:
                    new(incoming, key, preferred)
                elif isinstance(match, str):
                    planner.plan.changes.append(Change(
                        "conflict", "-", f"entry {incoming.id or '(no id)'}",
                        f"its English term {match}: cannot tell which", incoming.line))
                else:
                    planner.merge(match, incoming)
        finally:  # a refusal mid-stream: the reader's file is closed now, not by the gc
            close = getattr(concepts, "close", None)
            if close is not None:
                close()
    done = planner.finish()
    done.review = proposals.compare(glossary, planner.incoming_terms,
                                    fold_coeng_da=fold_coeng_da)
    done.changes.extend(review_changes(done.review))
    done.unchanged = len(planner.unchanged - {c.concept for c in done.changes}
                         if planner.unchanged else ())
    for item in done.review.of(Outcome.UNKNOWN):
        done.skipped[f"Khmer terms not matched: {item.reason}"] += 1
    done.own = result.own
    done.skipped.update(result.skipped)  # complete once the stream is consumed
    return done
