"""From the glossary to page views: which pages exist, where, and what each shows.

Paths are built from ids only (never from Khmer text): ``concepts/<concept-id>.html``,
``documents/<doc-id>.html``, ``letters/en-a.html``, ``letters/km-1780.html`` (the code
point of the Khmer letter). The Khmer pages live under ``km/`` with the same paths.
"""

from __future__ import annotations

import hashlib
import marshal
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, overload
from urllib.parse import quote

from glossary.config import SiteSettings
from glossary.english_order import en_letter
from glossary.model import (
    Concept,
    ConceptStatus,
    Definition,
    Document,
    Glossary,
    Review,
    ReviewState,
    SourceRef,
    format_ref,
    newest_review_of,
)
from glossary.site.letters import km_heading, letter_path
from glossary.site.sort_keys import KmSortKeys
from glossary.site.views import (
    ConceptLink,
    ConceptView,
    DefinitionView,
    DocumentLink,
    DocumentView,
    DomainPageView,
    DomainsView,
    DomainView,
    ExampleView,
    LanguageProgress,
    LangView,
    PrintRow,
    ProgressPart,
    RefView,
    ReviewView,
    SectionView,
    SiteInfo,
    TermView,
)
from glossary.site.writer import SiteError

_SAFE = re.compile(r"[a-z0-9][a-z0-9._-]*\Z")
_ANCHOR_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
PROGRESS_STATES: tuple[str, ...] = ("approved", "proposed", "draft", "rejected")


def safe_name(ident: str, what: str) -> str:
    """``ident`` as a file name; refuses anything that is not a lowercase ASCII slug."""
    if not _SAFE.match(ident) or ".." in ident:
        raise SiteError(f"{what} id {ident!r} cannot be used in a URL",
                        hint="ids are lowercase ASCII slugs, e.g. training-data")
    return ident


#: A concept's page in the site (:func:`concept_path` checks the id first).
CONCEPT_PAGE = "concepts/{}.html"


def concept_path(concept_id: str) -> str:
    return CONCEPT_PAGE.format(safe_name(concept_id, "concept"))


def document_path(doc_id: str) -> str:
    return f"documents/{safe_name(doc_id, 'document')}.html"


def section_anchor(section_id: str) -> str:
    """The HTML id of a section on its document's page, e.g. ``s-B.2``. Characters
    outside ``[A-Za-z0-9._-]`` become ``-`` plus a short digest, so anchors never clash."""
    safe = _ANCHOR_UNSAFE.sub("-", section_id)
    if safe != section_id:
        safe += "-" + hashlib.blake2b(section_id.encode(), digest_size=3).hexdigest()
    return "s-" + safe


# --- the site model ------------------------------------------------------------------


@dataclass
class SiteModel:
    """Everything several pages share, computed once per build."""

    glossary: Glossary
    active: list[Concept]
    links: Mapping[str, ConceptLink]
    domains: dict[str, DomainView]
    documents: dict[str, Document]
    site: SiteInfo = field(default_factory=SiteInfo)
    feedback: str | None = None  # [tool.glossary] feedback, with {id} {revision} {term}
    #: :func:`khmer_collation.sort_key` as bytes ordered like it, computed once per text
    #: (and kept between builds when the builder gives a cache: :mod:`sort_keys`)
    km_keys: KmSortKeys = field(default_factory=KmSortKeys)
    _changed: dict[str, date | None] = field(default_factory=dict)
    _newest: list[date | None] = field(default_factory=list)
    _print_rows: dict[bool, list[tuple[Concept, Any, Any]]] = field(default_factory=dict)
    _print_view_rows: dict[bool, list[PrintRow]] = field(default_factory=dict)
    _cited: dict[tuple[str, str], list[str]] | None = None
    _en_rank: dict[str, int] | None = None

    @property
    def en_rank(self) -> dict[str, int]:
        """Each active concept's place in English order (of its English headword, else
        its id; then its id): the order of the domain and document pages."""
        if self._en_rank is None:
            names = []
            for concept in self.active:  # en_sort_key's tuple, flat (10,000: 13 -> 7 ms)
                en = concept.en.preferred
                text = (en.text if en else "") or concept.id
                names.append((text.casefold(), text, concept.id))
            names.sort()
            self._en_rank = {name[2]: place for place, name in enumerate(names)}
        return self._en_rank

    @property
    def cited(self) -> dict[tuple[str, str], list[str]]:
        """(document, section) → the active concepts that cite it, in glossary order
        (made when a page first asks: a build after one edit may need none)."""
        if self._cited is None:
            cited: dict[tuple[str, str], list[str]] = defaultdict(list)
            for concept in self.active:
                seen: set[tuple[str, str]] = set()
                for ref in _refs_of(concept):
                    key = (ref.doc, ref.section)
                    if key not in seen:
                        seen.add(key)
                        cited[key].append(concept.id)
            self._cited = dict(cited)
        return self._cited

    def last_changed(self, concept: Concept) -> date | None:
        """The newest date in the concept's review records (proposed or approved:
        :func:`newest_review_of`), computed once per concept in a build."""
        if concept.id not in self._changed:
            self._changed[concept.id] = newest_review_of((concept,))
        return self._changed[concept.id]

    def km_texts(self) -> set[str]:
        """Every Khmer term of the glossary, and the Khmer titles of its documents and
        sections, which the search index orders too (the sort keys worth keeping)."""
        texts = {t.text for c in self.glossary.concepts for t in c.km.terms}
        for doc in self.glossary.documents:
            texts.update(t for t in (doc.title_km, *(s.title_km for s in doc.sections)) if t)
        return texts


class Links(Mapping[str, ConceptLink]):
    """Concept id → its :class:`ConceptLink`, each made when first asked for (a build
    after one edit asks for a few)."""

    def __init__(self, glossary: Glossary) -> None:
        self._glossary = glossary
        self._made: dict[str, ConceptLink] = {}

    def __getitem__(self, concept_id: str) -> ConceptLink:
        link = self._made.get(concept_id)
        if link is None:
            concept = self._glossary.concept(concept_id)
            if concept is None:
                raise KeyError(concept_id)
            link = self._made[concept_id] = _link(concept)
        return link

    def __contains__(self, concept_id: object) -> bool:
        return isinstance(concept_id, str) and (
            concept_id in self._made or self._glossary.concept(concept_id) is not None)

    def __iter__(self) -> Iterator[str]:
        return (c.id for c in self._glossary.concepts)

    def __len__(self) -> int:
        return len(self._glossary.concepts)


class LinkRows(Sequence[ConceptLink]):
    """The links of a listing page's concepts (``ids``), each made when it is asked for:
    a page patched after an edit (:mod:`glossary.site.listing_rows`) renders the rows
    that changed, and needs only the ids of the others. At 10,000 concepts, making every
    concept's link for the domain and document pages took 30 ms of a term edit's build."""

    __slots__ = ("ids", "_links")

    def __init__(self, ids: tuple[str, ...], links: Mapping[str, ConceptLink]) -> None:
        self.ids = ids
        self._links = links

    @classmethod
    def joined(cls, parts: Sequence[LinkRows]) -> LinkRows:
        """The rows of ``parts``, one after the other (made from the same links)."""
        return cls(tuple(cid for part in parts for cid in part.ids),
                   parts[0]._links if parts else {})

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, index: int) -> ConceptLink: ...

    @overload
    def __getitem__(self, index: slice) -> LinkRows: ...

    def __getitem__(self, index: int | slice) -> ConceptLink | LinkRows:
        if isinstance(index, slice):
            return LinkRows(self.ids[index], self._links)
        return self._links[self.ids[index]]

    def __iter__(self) -> Iterator[ConceptLink]:
        links = self._links
        return (links[cid] for cid in self.ids)

    def __repr__(self) -> str:  # every link: what a page shows, if ever a key
        return f"LinkRows({tuple(self)!r})"


def _link(concept: Concept) -> ConceptLink:
    en = concept.en.preferred
    km = concept.km.preferred
    return ConceptLink(concept.id, concept_path(concept.id), en.text if en else "",
                       km.text if km else "", en.review.state.value if en else "",
                       km.review.state.value if km else "")


def domain_path(domain_id: str) -> str:
    return f"domains/{safe_name(domain_id, 'domain')}.html"


def site_model(glossary: Glossary, settings: SiteSettings | None = None,
               km_keys: KmSortKeys | None = None) -> SiteModel:
    settings = settings or SiteSettings()
    active = [c for c in glossary.concepts if c.status is not ConceptStatus.RETIRED]
    domains = {d.id: DomainView(d.id, d.en, d.km, domain_path(d.id)) for d in glossary.domains}
    documents = {d.id: d for d in glossary.documents}
    for doc in glossary.documents:
        document_path(doc.id)  # refuse unsafe document ids early
    site = SiteInfo(settings.publisher, settings.contact, settings.site_url)
    return SiteModel(glossary, active, Links(glossary), domains, documents, site=site,
                     feedback=settings.feedback, km_keys=km_keys or KmSortKeys())


def _refs_of(concept: Concept) -> Iterator[SourceRef]:
    yield from concept.sources
    for section in (concept.en, concept.km):
        if section.definition is not None and section.definition.source is not None:
            yield section.definition.source


# --- concept pages -------------------------------------------------------------------


def _review(review: Review) -> ReviewView:
    return ReviewView(review.state.value, review.origin, review.proposed_by, review.proposed_on,
                      review.approved_by, review.approved_on, review.note,
                      tuple(review.history))


def _ref(ref: SourceRef, model: SiteModel) -> RefView:
    doc = model.documents.get(ref.doc)
    section = doc.section(ref.section) if doc is not None else None
    path = document_path(ref.doc) + "#" + section_anchor(ref.section)
    return RefView(ref.doc, path, format_ref(ref, doc), section.title if section else None,
                   ref.note)


def _definition(definition: Definition | None, lang: str,
                model: SiteModel) -> DefinitionView | None:
    if definition is None:
        return None
    ref = _ref(definition.source, model) if definition.source is not None else None
    return DefinitionView(definition.text, lang, ref, _review(definition.review))


def concept_view(concept: Concept, model: SiteModel) -> ConceptView:
    languages = []
    for lang in ("en", "km"):
        section = concept.lang(lang)
        terms = tuple(
            TermView(t.text, lang, t.admin_status.value, t.type.value, t.pos, t.dnt, t.context,
                     t.note, _review(t.review), t.rationale)
            for t in section.terms
        )
        languages.append(LangView(lang, terms, _definition(section.definition, lang, model)))
    see_also = tuple(model.links[i] for i in concept.see_also if i in model.links)
    domains = tuple(model.domains.get(d) or DomainView(d, d, None) for d in concept.domains)
    revision = entry_revision(concept, model)
    link = model.links[concept.id]
    return ConceptView(
        link, concept.status is ConceptStatus.RETIRED, tuple(languages),
        tuple(_ref(r, model) for r in concept.sources), see_also, concept.notes, domains,
        model.last_changed(concept), revision, _feedback(model.feedback, link, revision),
        model.site, tuple(ExampleView(e.en, e.km) for e in concept.examples),
    )


def entry_revision(concept: Concept, model: SiteModel) -> str:
    """A short digest of everything the concept's page shows: its revision."""
    return hashlib.blake2b(concept_fingerprint(concept, model), digest_size=4).hexdigest()


def _feedback(template: str | None, link: ConceptLink, revision: str) -> str | None:
    """The "Suggest a change" address: ``{id}``, ``{revision}``, ``{term}`` filled in
    (URL-encoded). Only mailto:, http: and https: addresses are used."""
    if not template or not template.lower().startswith(("mailto:", "https:", "http:")):
        return None
    values = {"id": link.id, "revision": revision, "term": link.en or link.km}
    return re.sub(r"\{(id|revision|term)\}", lambda m: quote(values[m.group(1)], safe=""),
                  template)


def _review_fields(r: Review) -> tuple[object, ...]:
    fields: tuple[object, ...] = (
        r.state.value, r.origin, r.proposed_by,
        r.proposed_on.toordinal() if r.proposed_on else None, r.approved_by,
        r.approved_on.toordinal() if r.approved_on else None, r.note)
    if r.history:  # only then: an entry's revision (shown on its page) stays as it was
        fields += (tuple((e.state, e.by, e.on.toordinal(), e.via, e.note)
                         for e in r.history),)
    return fields


def links_fingerprint(concept: Concept, model: SiteModel) -> bytes:
    """What a concept's pages show of other concepts (the names of its see-also
    concepts): with the digest of its file and :func:`registry_fingerprint`, its pages'
    key, cheaper than :func:`concept_fingerprint`."""
    links = model.links
    return marshal.dumps(tuple((i, links[i].en, links[i].km) for i in concept.see_also
                               if i in links), 2)


def registry_fingerprint(model: SiteModel) -> bytes:
    """What every concept page may show besides its concept and its see-also names: the
    documents and sections, the domains, the site's settings."""
    return repr((model.glossary.documents, model.glossary.domains, model.site,
                 model.feedback)).encode()


def concept_fingerprint(concept: Concept, model: SiteModel) -> bytes:
    """Everything a concept's pages show, as bytes: the concept and what it links to (the
    names of its see-also concepts, document and section titles, domain labels). Much
    cheaper than building the page's view, so an unchanged page costs almost nothing."""

    def ref(r: SourceRef | None) -> tuple[object, ...] | None:
        if r is None:
            return None
        doc = model.documents.get(r.doc)
        section = doc.section(r.section) if doc is not None else None
        return (r.doc, r.section, r.page, r.note, doc.short if doc else None,
                section.title if section else None, section.page if section else None)

    parts: list[Any] = [concept.id, concept.status.value, concept.notes,
                           tuple(ref(r) for r in concept.sources),
                           tuple((e.en, e.km) for e in concept.examples)]
    for section in (concept.en, concept.km):
        d = section.definition
        parts.append((d.text, ref(d.source), _review_fields(d.review)) if d else None)
        parts.append(tuple((t.text, t.admin_status.value, t.type.value, t.pos, t.context, t.dnt,
                            t.note, t.rationale, _review_fields(t.review))
                           for t in section.terms))
    links = model.links
    parts.append(tuple((i, links[i].en, links[i].km) for i in concept.see_also if i in links))
    domains = model.domains
    parts.append(tuple((d, domains[d].en, domains[d].km) if d in domains else (d,)
                       for d in concept.domains))
    parts.append((model.site.publisher, model.site.contact, model.site.site_url,
                  model.feedback))
    # marshal version 2: from version 3 on, the bytes depend on reference counts (an
    # object referred to more than once is written as a back-reference), so the same
    # concept read fresh or from the parse cache would give different fingerprints
    return marshal.dumps(tuple(parts), 2)


# --- where a concept is listed ----------------------------------------------------


def placement(concept: Concept) -> str:
    """A digest of what decides which index pages list ``concept`` and what the pages
    that count the concepts show of it: its status, the index heading of each of its
    terms, each term's review state, the documents and sections it cites and its
    domains. While it stays the same, an edit of the concept changes only the rows of
    the pages it is on (:func:`index_pages_of`); the letter bars, the review progress
    and the counts of the documents and domains stay as they were."""
    parts: list[Any] = [concept.status.value, sorted({(r.doc, r.section)
                                                      for r in _refs_of(concept)}),
                        sorted(set(concept.domains))]
    for script, heading_of in (("en", en_letter), ("km", km_heading)):
        terms = concept.lang(script).terms
        parts.append(sorted((heading_of(t.text), t.review.state.value) for t in terms))
    return hashlib.blake2b(marshal.dumps(tuple(parts), 2), digest_size=16).hexdigest()


def index_pages_of(concept: Concept, model: SiteModel) -> set[str]:
    """The paths of the index pages that list ``concept`` (none when it is retired):
    the letter pages of its terms, the pages of the documents it cites and of its
    domains."""
    if concept.status is ConceptStatus.RETIRED:
        return set()
    found = {letter_path(script, heading_of(t.text))
             for script, heading_of in (("en", en_letter), ("km", km_heading))
             for t in concept.lang(script).terms}
    found.update(document_path(r.doc) for r in _refs_of(concept) if r.doc in model.documents)
    found.update(model.domains[d].path for d in concept.domains if d in model.domains)
    return found


# --- home, documents, print ----------------------------------------------------------


def progress(model: SiteModel) -> tuple[LanguageProgress, ...]:
    """How many terms of each language are in each review state. Counted by the enum
    member, named by its value once at the end (``.value`` goes through the enum's
    descriptor: 17 ms for the 30,000 terms of 10,000 concepts, 7 ms without)."""
    out = []
    for lang in ("en", "km"):
        by_member = Counter([term.review.state for concept in model.active
                             for term in concept.lang(lang).terms])
        counts: Counter[str] = Counter({state.value: n for state, n in by_member.items()})
        total = sum(counts.values())
        parts = tuple(
            ProgressPart(state, counts[state],
                         round(100 * counts[state] / total, 1) if total else 0.0)
            for state in PROGRESS_STATES
            if counts[state] or state != ReviewState.REJECTED.value
        )
        out.append(LanguageProgress(lang, total, parts))
    return tuple(out)


def document_links(model: SiteModel) -> tuple[DocumentLink, ...]:
    out = []
    for doc in model.glossary.documents:
        ids: set[str] = set()
        for section in doc.sections:
            ids.update(model.cited.get((doc.id, section.id), ()))
        out.append(DocumentLink(doc.id, document_path(doc.id), doc.short, doc.title,
                                doc.title_km, doc.year, len(ids)))
    return tuple(out)


def document_view(doc: Document, link: DocumentLink, model: SiteModel) -> DocumentView:
    sections = []
    for section in doc.sections:
        ids = model.cited.get((doc.id, section.id), [])
        concepts = LinkRows(tuple(sorted(ids, key=model.en_rank.__getitem__)), model.links)
        sections.append(SectionView(section.id, section_anchor(section.id), section.title,
                                    section.title_km, section.page, concepts))
    return DocumentView(link, doc.publisher, doc.edition, doc.url, tuple(sections))


def set_glossary_date(model: SiteModel, newest: date | None) -> None:
    """Give :func:`glossary_date` its answer, known from the last build's state."""
    model._newest[:] = [newest]


def glossary_date(model: SiteModel) -> date | None:
    """The newest review date in the glossary: the date printed pages carry (a build
    stays deterministic: no clock is read)."""
    if not model._newest:
        model._newest.append(max((d for c in model.active
                                  if (d := model.last_changed(c)) is not None), default=None))
    return model._newest[0]


# --- domains -------------------------------------------------------------------------


def domain_pages(model: SiteModel) -> tuple[DomainsView, list[tuple[str, DomainPageView]]]:
    """The list of domains and one page per domain (its active concepts, A–Z)."""
    members: dict[str, list[str]] = defaultdict(list)
    for concept in model.active:
        for d in concept.domains:
            if d in model.domains:
                members[d].append(concept.id)
    every = tuple(model.domains.values())
    rank = model.en_rank.__getitem__
    out = []
    for ident, view in model.domains.items():
        links = LinkRows(tuple(sorted(members.get(ident, []), key=rank)), model.links)
        out.append((view.path, DomainPageView(view, links, every)))
    return DomainsView(tuple((v, len(members.get(k, []))) for k, v in model.domains.items())), out
