"""Page contexts: what each template gets, as named tuples (immutable).

Templates see only these objects (never model objects or SQL rows), so a template
cannot reach anything a page does not declare, and StrictUndefined turns a typo into
an error. :class:`PageInfo` is common to every page; the ``view`` of a page is one of
the ``*View`` classes below.

Named tuples rather than frozen dataclasses: every site build imports these ~30
classes, and Python 3.11 makes a named tuple class in ~0.06 ms where a frozen dataclass
takes ~0.5 ms (17 ms of each build, measured with ``python -X importtime``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from glossary.model import ReviewEvent

LANG_PREFIX = {"en": "", "km": "km/"}


class PageInfo:
    """Where a page is and how it links: every href on a page is relative, so the site
    works from any folder and from ``file://``. The derived paths are computed once."""

    __slots__ = ("template", "path", "lang", "nav", "out_path", "root", "base", "other_lang",
                 "switch_href")

    def __init__(self, template: str, path: str, lang: str, nav: str = "") -> None:
        self.template = template
        self.path = path  # language-neutral, e.g. "concepts/ai-model.html"
        self.lang = lang
        self.nav = nav  # which navigation item is current
        self.out_path = LANG_PREFIX[lang] + path
        self.root = "../" * self.out_path.count("/")  # to the site root (static/)
        self.base = "../" * path.count("/")  # to the root of this language's pages
        self.other_lang = "km" if lang == "en" else "en"
        self.switch_href = self.root + LANG_PREFIX[self.other_lang] + path  # counterpart

    def href(self, target: str) -> str:
        """A link to ``target`` (a language-neutral path) in this page's language."""
        return self.base + target

    def static(self, name: str) -> str:
        return self.root + "static/" + name

    def __repr__(self) -> str:
        return f"PageInfo({self.template!r}, {self.path!r}, {self.lang!r}, {self.nav!r})"


# --- shared pieces -------------------------------------------------------------------


class ConceptLink(NamedTuple):
    id: str
    path: str
    en: str
    km: str
    en_review: str = ""  # review state of the English headword ("" when none)
    km_review: str = ""  # review state of the Khmer headword

    def review(self, lang: str) -> str:
        return self.km_review if lang == "km" else self.en_review

    def label(self, lang: str) -> tuple[str, str]:
        """The concept's name in ``lang`` if it has one, else in the other language;
        returns ``(text, language of the text)``."""
        if lang == "km" and self.km:
            return self.km, "km"
        if self.en:
            return self.en, "en"
        if self.km:
            return self.km, "km"
        return self.id, "en"


class ReviewView(NamedTuple):
    state: str
    origin: str
    proposed_by: str | None
    proposed_on: date | None
    approved_by: str | None
    approved_on: date | None
    note: str | None
    history: tuple[ReviewEvent, ...] = ()  # each decision: who, when, from what


class RefView(NamedTuple):
    doc: str
    path: str  # the document's page with the section anchor
    label: str
    section_title: str | None
    note: str | None


class TermView(NamedTuple):
    text: str
    lang: str
    admin_status: str
    type: str
    pos: str
    dnt: bool
    context: str | None
    note: str | None
    review: ReviewView
    rationale: str | None = None  # why this term (how formed, what it avoids)


class ExampleView(NamedTuple):
    """A sentence pair that shows the concept's term in use."""

    en: str
    km: str


class DefinitionView(NamedTuple):
    text: str
    lang: str
    ref: RefView | None
    review: ReviewView


class LangView(NamedTuple):
    lang: str
    terms: tuple[TermView, ...]
    definition: DefinitionView | None


class DomainView(NamedTuple):
    id: str
    en: str
    km: str | None
    path: str = ""  # its page, domains/<id>.html


class SiteInfo(NamedTuple):
    """Who publishes the site ([tool.glossary]), for citations and the footer."""

    publisher: str | None = None
    contact: str | None = None
    site_url: str | None = None


# --- page views ------------------------------------------------------------------------


class ConceptView(NamedTuple):
    link: ConceptLink
    retired: bool
    languages: tuple[LangView, ...]  # en, km
    sources: tuple[RefView, ...]
    see_also: tuple[ConceptLink, ...]
    notes: tuple[str, ...]
    domains: tuple[DomainView, ...]
    last_changed: date | None = None  # the newest date in its review records
    entry_revision: str = ""  # a digest of everything the page shows
    feedback: str | None = None  # "Suggest a change" href, from [tool.glossary] feedback
    site: SiteInfo | None = None
    examples: tuple[ExampleView, ...] = ()

    def ordered(self, first: str) -> tuple[LangView, ...]:
        """The language sections, ``first`` first."""
        return tuple(sorted(self.languages, key=lambda v: v.lang != first))


class LetterNav(NamedTuple):
    heading: str
    path: str | None  # None: no entry under this letter
    entries: int


class LetterEntry(NamedTuple):
    text: str
    lang: str
    concept: ConceptLink
    preferred: bool
    admin_status: str
    review: str
    domains: tuple[str, ...] = ()


class LetterView(NamedTuple):
    script: str  # "en" or "km": the language of the terms listed
    heading: str  # "A", "ក", or "#" for everything else
    entries: tuple[LetterEntry, ...]
    letters: tuple[LetterNav, ...]
    domains: tuple[DomainView, ...] = ()  # for the domain filter


class ProgressPart(NamedTuple):
    state: str
    terms: int
    percent: float  # of the language's terms, for the bar's width


class LanguageProgress(NamedTuple):
    lang: str
    terms: int
    parts: tuple[ProgressPart, ...]


class DocumentLink(NamedTuple):
    id: str
    path: str
    short: str
    title: str
    title_km: str | None
    year: int | None
    concepts: int


class HomeView(NamedTuple):
    concepts: int
    progress: tuple[LanguageProgress, ...]
    en_letters: tuple[LetterNav, ...]
    km_letters: tuple[LetterNav, ...]
    documents: tuple[DocumentLink, ...]
    revision: str
    built_on: date | None
    has_changes: bool


class SectionView(NamedTuple):
    id: str
    anchor: str
    title: str
    title_km: str | None
    page: int | None
    concepts: Sequence[ConceptLink]  # a tuple, or pages.LinkRows


class DocumentView(NamedTuple):
    link: DocumentLink
    publisher: str | None
    edition: str | None
    url: str | None  # shown as text, never as a link (no external requests)
    sections: tuple[SectionView, ...]


class DocumentsView(NamedTuple):
    documents: tuple[DocumentLink, ...]


class BrowseView(NamedTuple):
    en_letters: tuple[LetterNav, ...]
    km_letters: tuple[LetterNav, ...]


class PrintRow(NamedTuple):
    concept: ConceptLink
    en: str
    en_review: str
    km: str
    km_review: str
    en_definition: str = ""
    km_definition: str = ""
    approved_by: str | None = None
    approved_on: date | None = None
    domains: tuple[str, ...] = ()  # the concept's domain ids, for the domain filter


class PrintView(NamedTuple):
    rows: tuple[PrintRow, ...]
    revision: str = ""
    last_changed: date | None = None  # the newest review date in the glossary
    approved_only: bool = False
    total: int = 0  # active concepts (the approved-only page says how many are left)
    rows_html: tuple[str, ...] = ()  # each row's HTML (Markup), from print_rows.py
    listed: int = 0  # how many rows the page lists (``rows`` may be left out: print_rows.py)
    domains: tuple[DomainView, ...] = ()  # every domain of the registry, for the filter


class DomainPageView(NamedTuple):
    domain: DomainView
    concepts: Sequence[ConceptLink]  # a tuple, or pages.LinkRows
    domains: tuple[DomainView, ...]  # every domain, for the list beside it


class DomainsView(NamedTuple):
    domains: tuple[tuple[DomainView, int], ...]  # each domain and its concept count


class Download(NamedTuple):
    name: str  # file name under downloads/
    path: str  # downloads/<name>
    format: str  # "CSV", "TBX" …
    purpose: str  # untranslated; the template translates it
    size: int


class DownloadsView(NamedTuple):
    files: tuple[Download, ...]
    revision: str
    last_changed: date | None
    missing: tuple[str, ...]  # formats the build did not produce
    left_out: tuple[str, ...] = ()  # approved-only formats of no entry (TBX, none approved)


class NotFoundView:
    """The 404 page shows nothing of the glossary (a class, not an empty named tuple,
    which would be false in a template; its ``repr`` is part of the page's key)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "NotFoundView()"


class SearchView(NamedTuple):
    concepts: int


class CheckView(NamedTuple):
    """``check.html``: a pasted text's glossary terms, found in the browser."""

    concepts: int


# --- the changes page ------------------------------------------------------------------


class ReviewStep(NamedTuple):
    """One side of a review change: "proposed", "approved by NAME on DATE"."""

    state: str
    by: str | None
    on: date | None


class ChangeEntry(NamedTuple):
    """One change of a concept (``kind`` as in :class:`glossary.versions.Change`)."""

    kind: str
    lang: str | None = None  # the language of the term or definition
    old: str | None = None  # the text before (term, definition, admin status)
    new: str | None = None  # the text now
    term: str | None = None  # the term whose review or status changed
    review_old: ReviewStep | None = None
    review_new: ReviewStep | None = None


class ConceptChanges(NamedTuple):
    concept: ConceptLink
    linked: bool  # False for a concept whose file was deleted: it has no page
    entries: tuple[ChangeEntry, ...]


class ChangesView(NamedTuple):
    """The changes since the last release tag, or why there are none to show.

    ``state``: ``release`` (compared), ``no-release``, ``no-repository``, ``no-git``,
    or ``unreadable`` (the glossary at the tag could not be read; ``detail`` says why).
    """

    state: str
    pattern: str  # which tags are releases, e.g. "v*"
    tag: str | None
    commit: str | None  # abbreviated
    tagged_on: date | None
    detail: str | None
    added: int
    retired: int
    removed: int
    changed: int  # concepts changed otherwise
    concepts: tuple[ConceptChanges, ...]  # in concept-id order
