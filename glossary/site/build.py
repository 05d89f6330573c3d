"""``build_site``: write the static bilingual site into ``build/site/``.

Layout (every page exists in English and, under ``km/``, in Khmer)::

    index.html                home: search box, counts, review progress, links
    browse.html               the A–Z and ក–អ letters
    letters/en-a.html …       English index, one page per letter
    letters/km-1780.html …    Khmer index, one page per initial letter (its code point)
    concepts/<id>.html        one page per concept, at a permanent URL from its id
    documents/index.html      the source documents
    documents/<id>.html       one page per document, its concepts by section
    print.html                the printable glossary
    search.html               search (JavaScript; works from file://)
    search-index.js           the search index, shared by both languages
    static/                   css, js, fonts

Incremental: each page is identified by a key (a digest of its view and of everything
global: templates, static files, interface catalogs). The writer's manifest remembers
the key a page was written from, so a page whose key has not changed is neither
rendered nor written; a changed page whose bytes come out the same is not rewritten.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Protocol

from glossary import __version__
from glossary.config import Settings
from glossary.model import Glossary
from glossary.site import pages, searchindex
from glossary.site.i18n import SITE_LANGUAGES, Language, load_language
from glossary.site.templating import STATIC, Renderer, static_files, template_files
from glossary.site.views import HomeView, PageInfo, SearchView
from glossary.site.writer import SiteWriter, WriteStats, digest

SEARCH_INDEX = "search-index.js"


class BuildContext(Protocol):
    """What a renderer gets from the pipeline (``glossary.pipeline.RenderContext``)."""

    @property
    def glossary(self) -> Glossary: ...

    @property
    def settings(self) -> Settings: ...

    @property
    def revision(self) -> str: ...


@dataclass(frozen=True)
class PageSpec:
    """A page to write: its template, language-neutral path, navigation item and view."""

    template: str
    path: str
    view: Any
    nav: str = ""
    view_km: Any = None  # when the Khmer page needs a view of its own (e.g. sorted in Khmer)

    def view_for(self, lang: str) -> Any:
        return self.view_km if lang == "km" and self.view_km is not None else self.view


#: Pages added by later features. Each function takes the site model and the build
#: context and yields PageSpecs, written in both languages like every other page.
#: Issue 5 (the "changes" page) plugs in here with a function yielding
#: ``PageSpec("changes.html", "changes.html", ChangesView(...), nav="changes")``; the
#: navigation shows "Changes" as soon as a build produces ``changes.html``.
EXTRA_PAGES: list[Callable[[pages.SiteModel, BuildContext], Iterable[PageSpec]]] = []


@dataclass
class SiteReport:
    root: Path
    pages: int
    stats: WriteStats


def _global_key(languages: dict[str, Language], has_changes: bool) -> str:
    """A digest of everything every page depends on besides its own view."""
    parts = [__version__.encode(), str(searchindex.INDEX_VERSION).encode(),
             b"changes" if has_changes else b""]
    for path in template_files():
        parts.append(path.name.encode() + b"\0" + path.read_bytes())
    for lang in languages.values():
        parts.append(lang.catalog_digest.encode())
    return digest(b"\0".join(parts))


def build_date() -> date | None:
    """The build date, only when SOURCE_DATE_EPOCH asks for one (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return None
    try:
        return datetime.fromtimestamp(int(epoch), tz=UTC).date()
    except (ValueError, OverflowError, OSError):
        return None


def _page_specs(model: pages.SiteModel, ctx: BuildContext,
                extra: list[PageSpec]) -> Iterator[PageSpec]:
    en_nav, km_nav, letter_pages = pages.letter_pages(model)
    doc_links = pages.document_links(model)
    has_changes = any(spec.path == "changes.html" for spec in extra)
    yield PageSpec("home.html", "index.html", HomeView(
        len(model.active), pages.progress(model), en_nav, km_nav, doc_links, ctx.revision,
        build_date(), has_changes), nav="home")
    yield PageSpec("browse.html", "browse.html", pages.browse_view(en_nav, km_nav), nav="browse")
    for path, view in letter_pages:
        yield PageSpec("letter.html", path, view, nav="browse")
    yield PageSpec("documents.html", "documents/index.html", pages.documents_view(doc_links),
                   nav="documents")
    for doc, link in zip(ctx.glossary.documents, doc_links, strict=True):
        yield PageSpec("document.html", link.path, pages.document_view(doc, link, model),
                       nav="documents")
    yield PageSpec("search.html", "search.html", SearchView(len(model.active)), nav="search")
    yield from extra


def build_site(ctx: BuildContext, *, incremental: bool = True) -> SiteReport:
    """Write the site into ``<build>/site``; return what was written."""
    out = ctx.settings.build_dir / "site"
    languages = {code: load_language(code, ctx.settings.locale_dir) for code in SITE_LANGUAGES}
    model = pages.site_model(ctx.glossary)
    extra = [spec for make in EXTRA_PAGES for spec in make(model, ctx)]
    has_changes = any(spec.path == "changes.html" for spec in extra)
    renderer = Renderer(languages, has_changes=has_changes)
    global_key = _global_key(languages, has_changes)
    writer = SiteWriter(out, incremental=incremental)

    for path in static_files():
        rel = "static/" + path.relative_to(STATIC).as_posix()
        writer.write(rel, path.read_bytes())
    writer.write(SEARCH_INDEX, searchindex.index_script(searchindex.index_rows(model.active)))

    count = 0

    def emit(spec: PageSpec) -> None:
        nonlocal count
        key = digest(f"{global_key}|{spec.template}|{spec.view!r}".encode())
        for lang in SITE_LANGUAGES:
            view = spec.view_for(lang)
            if view is not spec.view:
                key = digest(f"{global_key}|{spec.template}|{view!r}".encode())
            page = PageInfo(spec.template, spec.path, lang, spec.nav)
            count += 1
            if writer.unchanged(page.out_path, key):
                continue
            writer.write(page.out_path, renderer.render(page, view), key)

    for spec in _page_specs(model, ctx, extra):
        emit(spec)
    emit(PageSpec("print.html", "print.html", pages.print_view(model, "en"), nav="print",
                  view_km=pages.print_view(model, "km")))
    for concept in ctx.glossary.concepts:
        view = pages.concept_view(concept, model)
        emit(PageSpec("concept.html", view.link.path, view))
    stats = writer.finish()
    return SiteReport(out, count, stats)


def render(ctx: BuildContext) -> list[Path]:
    """The ``site`` renderer of ``glossary build``: returns the site folder."""
    report = build_site(ctx)
    return [report.root]
