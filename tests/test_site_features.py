"""Issue 16's site features in Chromium: downloads, the approved-only view after a
review, print (disclaimer, date, running header, 320 px), copy, cite and "Suggest a
change", domain filter, the 404 page of `serve`, and axe on every page type at 1366
and 390 px. Screenshots of each page type go to build/screenshots/ (printed)."""

from __future__ import annotations

import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.error import HTTPError

import pytest
from click.testing import CliRunner

from glossary import loader, pipeline
from glossary.cli import main
from glossary.config import load_settings
from tests.browser_support import launch, url
from tests.site_support import make_project

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "build" / "screenshots"
CONFIG = ('publisher = "Glossary Team"\ncontact = "terms@example.org"\n'
          'feedback = "mailto:terms@example.org?subject=Glossary%20{id}%20({revision})"\n'
          'site_url = "https://glossary.example.org/"\n')


def _project(dest: Path) -> Path:
    project = make_project(dest, "rich")
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8") + CONFIG, encoding="utf-8")
    pipeline.build(load_settings(cwd=project))  # every target: the downloads too
    return project


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _project(tmp_path_factory.mktemp("features"))


@pytest.fixture(scope="module")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


def site(project: Path) -> Path:
    return project / "build" / "site"


def test_a_download_link_downloads_the_csv(page, project):
    page.goto(url(site(project), "downloads.html"))
    rows = page.locator("table.downloads tbody tr").all_inner_texts()
    names = [r.split()[0] for r in rows]
    assert names[:7] == ["glossary.csv", "glossary.xlsx", "glossary.tbx", "glossary.json",
                         "glossary.pot", "glossary.km.po", "glossary.km.mo"]
    # then the copies for other tools (TBX v2, OmegaT, compendium) and approved-only ones
    assert "glossary-v2.tbx" in names[7:] and len(names) > 7
    assert all(("KB" in r or "MB" in r) for r in rows)
    with page.expect_download() as info:
        page.click("a[href='downloads/glossary.csv']")
    saved = Path(info.value.path())
    assert saved.read_bytes() == (project / "build/glossary.csv").read_bytes()


def test_approved_only_view_after_review_approve(page, tmp_path, monkeypatch):
    project = make_project(tmp_path / "p")  # the mini glossary: nothing approved yet
    pipeline.build(load_settings(cwd=project), ("site",))
    page.goto(url(site(project), "approved.html"))
    assert page.locator(".print-table").count() == 0
    assert "No Khmer term has been approved yet." in page.inner_text("main")
    page.goto(url(site(project), "concepts/transparency.html"))
    assert page.locator(".banner-proposal").is_visible()
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["review", "approve", "transparency", "--by", "Sok Dara"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    pipeline.build(load_settings(cwd=project), ("site",))
    page.goto(url(site(project), "approved.html"))
    rows = page.locator(".print-table tbody tr")
    assert rows.count() == 1
    assert "transparency" in rows.first.inner_text() and "Sok Dara" in rows.first.inner_text()
    assert rows.first.locator(".badge.review-approved").count() == 1
    page.goto(url(site(project), "concepts/transparency.html"))
    assert page.locator(".banner-proposal").count() == 0
    assert page.locator(".head-status .review-approved").count() >= 1


def test_the_printed_date_is_written_as_the_build_writes_dates(page, project):
    """The day a page is printed is filled in by the browser, in the page's language
    as babel writes dates for the rest of the site (Khmer month and digits on Khmer
    pages), also where the browser has no Khmer locale data of its own."""
    from datetime import date

    from glossary.site.i18n import load_language

    for lang, rel in (("en", "print.html"), ("km", "km/print.html"), ("km", "km/approved.html")):
        language = load_language(lang, None)
        before = language.format_date(date.today())
        page.goto(url(site(project), rel))
        shown = page.inner_text(".print-date")
        today = {before, language.format_date(date.today())}  # midnight may pass
        assert shown in today, (rel, shown, today)
    assert "ធ្នូ" in load_language("km", None).format_date(date(2026, 12, 3))


def test_print_shows_disclaimer_date_revision_and_running_header(page, project):
    page.goto(url(site(project), "print.html"))
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden() and page.locator(".no-print").first.is_hidden()
    disclaimer = page.locator(".print-notice .disclaimer")
    assert disclaimer.is_visible() and "proposals" in disclaimer.inner_text()
    meta = page.inner_text(".print-meta")
    revision = loader.load(load_settings(cwd=project)).revision
    assert f"Revision {revision}" in meta and "printed" in meta
    running = page.locator(".print-running")
    assert running.is_visible() and revision in running.inner_text()
    assert running.evaluate("el => getComputedStyle(el).position") == "fixed"
    assert page.locator(".print-def").first.is_hidden()
    page.emulate_media(media="screen")
    page.check("#with-definitions")  # works without JavaScript (CSS :has)
    assert page.locator(".print-def").first.is_visible()
    css = (site(project) / "static/css/site.css").read_text(encoding="utf-8")
    assert "@page {" in css


@pytest.mark.parametrize("rel", ["print.html", "km/print.html", "downloads.html"])
def test_print_and_downloads_fit_320_px(browser, project, rel):
    context = browser.new_context(viewport={"width": 320, "height": 700})
    page = context.new_page()
    try:
        page.goto(url(site(project), rel))
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0
        if "print" in rel:  # stacked rows: the review cell is on screen, under the terms
            cell = page.locator(".print-table tbody tr").first.locator("td").last
            box = cell.bounding_box()
            assert box is not None and box["x"] + box["width"] <= 320
            first = page.locator(".print-table tbody tr").first.locator("td").first
            assert first.get_attribute("lang") == ("km" if rel.startswith("km/") else "en")
    finally:
        context.close()


def test_copy_cite_and_suggest_a_change(browser, project):
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        page.goto(url(site(project), "concepts/ai-model.html"))
        button = page.locator("button.copy").first
        assert button.is_visible()
        button.click()
        page.wait_for_function("document.querySelector('button.copy.copied') !== null")
        assert page.evaluate("navigator.clipboard.readText()") == "AI model"
        page.click(".cite summary")
        citation = page.inner_text(".citation")
        assert "AI model" in citation and "Glossary Team" in citation
        assert "https://glossary.example.org/concepts/ai-model.html" in citation
        assert "revision" in citation
        href = page.get_attribute("a.suggest-change", "href")
        assert href.startswith("mailto:terms@example.org?subject=Glossary%20ai-model%20(")
        assert "terms@example.org" in page.inner_text(".site-footer")
    finally:
        context.close()


def test_domain_pages_and_filter(page, project):
    page.goto(url(site(project), "concepts/ai-model.html"))
    page.click(".domains a")
    page.wait_for_url("**/domains/machine-learning.html")
    assert "AI model" in page.inner_text(".entries")
    page.goto(url(site(project), "letters/en-a.html"))
    entries = page.locator(".entries > li")
    before = entries.count()
    page.select_option("#domain-filter", "machine-learning")
    shown = page.locator(".entries > li:not([hidden])")
    assert 0 < shown.count() < before or shown.count() == before
    for domains in shown.evaluate_all("els => els.map(e => e.dataset.domains)"):
        assert "machine-learning" in domains.split()


@pytest.mark.parametrize(("rel", "width"), [("print.html", 1366), ("km/print.html", 390)])
def test_the_printable_glossary_prints_one_domain(browser, project, rel, width):
    """A drafter prints the terms of one domain: the rows of the others are left out of
    the printout (a phone stacks rows as blocks: still left out), and its heading names
    the domain; "All domains" brings every row back."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        page.goto(url(site(project), rel))
        rows = page.locator(".print-table tbody tr")
        every = rows.count()
        heading = page.inner_text("h1")
        assert page.locator(".domain-filter").is_visible()
        page.select_option("#domain-filter", "machine-learning")
        label = page.locator("#domain-filter option:checked").inner_text()
        shown = page.locator(".print-table tbody tr:visible")
        kept = shown.evaluate_all("els => els.map(e => e.dataset.domains)")
        assert 0 < len(kept) < every
        assert all("machine-learning" in domains.split() for domains in kept)
        assert page.inner_text("h1") == f"{heading} — {label}"
        page.emulate_media(media="print")
        assert f"{heading} — {label} · " in page.inner_text(".print-running")
        assert page.locator(".print-table tbody tr:visible").count() == len(kept)
        assert page.locator(".domain-filter").is_hidden()  # the choice is not printed
        page.emulate_media(media="screen")
        page.select_option("#domain-filter", "")
        assert page.locator(".print-table tbody tr:visible").count() == every
        assert page.inner_text("h1") == heading
    finally:
        context.close()


@pytest.mark.parametrize("prefix", ["", "km/"])
def test_a_domain_page_links_to_the_printout_of_its_terms(page, project, prefix):
    page.goto(url(site(project), f"{prefix}domains/machine-learning.html"))
    listed = page.locator(".entries > li").count()
    page.click("a[href$='print.html?domain=machine-learning']")
    page.wait_for_url("**/print.html?domain=machine-learning")
    assert page.locator("#domain-filter").input_value() == "machine-learning"
    assert page.locator(".print-table tbody tr:visible").count() == listed
    label = page.locator("#domain-filter option:checked").inner_text()
    assert page.inner_text("h1").endswith(f" — {label}")
    # a link with an unknown or broken domain shows every row, and the page still works
    for asked in ("nope", "%E0%A4%A", "machine-learning%"):
        page.goto(url(site(project), f"{prefix}print.html") + f"?domain={asked}")
        assert page.locator("#domain-filter").input_value() == ""
        assert page.locator(".print-table tbody tr:visible").count() \
            == page.locator(".print-table tbody tr").count()
        assert page.locator(".print-date").inner_text()  # the script ran to its end


def test_serve_answers_a_missing_page_with_the_404_page(project):
    from glossary.cli.site import make_server

    server = make_server(site(project), 0, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        # a folder with no index page is not listed either (as on a static host)
        for path, lang in (("/nope.html", "en"), ("/km/concepts/nope.html", "km"),
                           ("/concepts/", "en"), ("/km/letters/", "km")):
            with pytest.raises(HTTPError) as info:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}")
            assert info.value.code == 404
            body = info.value.read().decode("utf-8")
            assert f'<html lang="{lang}">' in body and "static/css/site.css" in body
            assert "Directory listing" not in body
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/documents/") as r:
            assert r.status == 200 and "Directory listing" not in r.read().decode("utf-8")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/favicon.svg") as r:
            assert r.status == 200
    finally:
        server.shutdown()
        server.server_close()


PAGE_TYPES = {"home": "index.html", "concept": "concepts/ai-model.html",
              "concept-km": "km/concepts/ai-model.html", "search": "search.html?q=model",
              "search-km": "km/search.html?q=ai", "search-none": "search.html?q=halucination",
              "downloads": "downloads.html", "downloads-km": "km/downloads.html",
              "print": "print.html", "print-km": "km/print.html", "approved": "approved.html",
              "domains": "domains/index.html", "domain-km": "km/domains/machine-learning.html",
              "letter": "letters/en-a.html", "document": "documents/asean-guide-2024.html",
              "not-found": "404.html", "browse-km": "km/browse.html", "changes": "changes.html"}


@pytest.mark.parametrize("width", [1366, 390])
def test_every_page_type_passes_axe_and_fits(browser, project, width):
    from axe_playwright_python.sync_playwright import Axe

    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    axe = Axe()
    problems = []
    try:
        for name, rel in PAGE_TYPES.items():
            path, _, query = rel.partition("?")
            page.goto(url(site(project), path, query))
            page.evaluate("document.fonts.ready.then(() => true)")
            page.screenshot(path=str(SHOTS / f"feature-{name}-{width}.png"), full_page=True)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{rel} is wider than {width}px by {overflow}px"
            for violation in axe.run(page).response["violations"]:
                if violation["impact"] in ("serious", "critical"):
                    problems.append((rel, violation["id"], violation["help"],
                                     [n["target"] for n in violation["nodes"]][:3]))
    finally:
        context.close()
    print(f"\nscreenshots ({width}): {SHOTS}")
    assert problems == []
