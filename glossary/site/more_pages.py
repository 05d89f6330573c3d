"""Pages beyond the glossary's own: domains, the approved-only list, downloads, the
text check and the 404 page (registered in ``glossary.site.build.EXTRA_PAGES``)."""

from __future__ import annotations

import functools
from collections.abc import Iterator

from glossary.site import downloads, pages, print_pages
from glossary.site.pages import SiteModel
from glossary.site.spec import BuildContext, PageSpec
from glossary.site.views import (
    CheckView,
    DomainPageView,
    DomainsView,
    DownloadsView,
    NotFoundView,
)


def domain_pages(model: SiteModel, ctx: BuildContext) -> Iterator[PageSpec]:
    """The list of domains and a page per domain: index pages, their views made only
    when one of them has to be looked at (once for all)."""

    @functools.cache
    def views() -> tuple[DomainsView, dict[str, DomainPageView]]:
        listing, each = pages.domain_pages(model)
        return listing, dict(each)

    yield PageSpec("domains.html", "domains/index.html", lambda: views()[0], nav="domains",
                   index=True)
    for domain in model.domains.values():
        yield PageSpec("domain.html", domain.path,
                       lambda path=domain.path: views()[1][path], nav="domains", index=True)


def approved_page(model: SiteModel, ctx: BuildContext) -> Iterator[PageSpec]:
    """``approved.html``: the approved Khmer terms only (an index that prints)."""
    yield print_pages.print_spec(model, ctx, approved_only=True)


def downloads_page(model: SiteModel, ctx: BuildContext) -> Iterator[PageSpec]:
    found, missing, left_out = downloads.collect(ctx.settings.build_dir)
    yield PageSpec("downloads.html", "downloads.html",
                   lambda: DownloadsView(tuple(d for d, _, _ in found), ctx.revision,
                                         pages.glossary_date(model), tuple(missing),
                                         tuple(left_out)),
                   nav="downloads")


def check_page(model: SiteModel, ctx: BuildContext) -> Iterator[PageSpec]:
    """``check.html``: paste a text, see the glossary terms it uses and those to replace
    (``static/js/check.js``, on the search index)."""
    yield PageSpec("check.html", "check.html", CheckView(len(model.active)), nav="search",
                   index=True)


def not_found_page(model: SiteModel, ctx: BuildContext) -> Iterator[PageSpec]:
    """``404.html``: what ``glossary serve`` answers for a page that does not exist."""
    yield PageSpec("404.html", "404.html", NotFoundView(), index=True)
