"""Pages beyond the glossary's own: domains, the approved-only list, downloads and the
404 page (registered in ``glossary.site.build.EXTRA_PAGES``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from glossary.site import downloads, pages
from glossary.site.pages import SiteModel
from glossary.site.spec import BuildContext, PageSpec
from glossary.site.views import DownloadsView, NotFoundView


def domain_pages(model: SiteModel, ctx: BuildContext) -> Iterator[PageSpec]:
    listing, each = pages.domain_pages(model)
    yield PageSpec("domains.html", "domains/index.html", listing, nav="domains", index=True)
    for path, view in each:
        yield PageSpec("domain.html", path, view, nav="domains", index=True)


def approved_page(model: SiteModel, ctx: BuildContext) -> Iterator[PageSpec]:
    """``approved.html``: the approved Khmer terms only (an index that prints)."""
    yield PageSpec(
        "print.html", "approved.html",
        lambda: pages.print_view(model, "en", ctx.revision, approved_only=True),
        nav="approved",
        view_km=lambda: pages.print_view(model, "km", ctx.revision, approved_only=True),
        fingerprint=pages.whole_fingerprint(
            ctx.revision, ctx.settings.fold_coeng_da,
            lambda: pages.print_fingerprint(model, approved_only=True))
        + ctx.revision.encode())


def downloads_page(model: SiteModel, ctx: BuildContext) -> Iterator[PageSpec]:
    found, missing = downloads.collect(ctx.settings.build_dir)
    view = DownloadsView(tuple(d for d, _, _ in found), ctx.revision,
                         pages.glossary_date(model), tuple(missing))
    yield PageSpec("downloads.html", "downloads.html", view, nav="downloads")


def not_found_page(model: SiteModel, ctx: BuildContext) -> Iterator[PageSpec]:
    """``404.html``: what ``glossary serve`` answers for a page that does not exist."""
    yield PageSpec("404.html", "404.html", NotFoundView(), index=True)


def download_files(ctx: BuildContext) -> Iterator[tuple[str, Path, str]]:
    """The files the Downloads page links to: (path in the site, the file in build/, its
    signature: the key under which the site writes the copy)."""
    found, _ = downloads.collect(ctx.settings.build_dir)
    for download, path, signature in found:
        yield download.path, path, signature
