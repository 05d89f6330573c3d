"""The site's search page on the shipped glossary, in Chromium: the specification's
cases (tests/data/search_cases.toml, also run through the CLI), the same result lists
as the Python search on many queries, and what the page shows around the results."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from glossary import loader, pipeline, search
from glossary.config import load_settings
from tests.browser_support import launch, url
from tests.conftest import ROOT
from tests.search_support import Case, cases, check, deprecated_khmer_term

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def shipped_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("shipped-site")
    shutil.copytree(ROOT / "terms", project / "terms")
    (project / "pyproject.toml").write_text('[tool.glossary]\nterms = "terms"\n', "utf-8")
    settings = load_settings(cwd=project)
    pipeline.build(settings, ("site",))
    return settings.build_dir / "site"


@pytest.fixture(scope="module")
def page(shipped_site) -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        pg = browser.new_page(viewport={"width": 1366, "height": 900})
        pg.set_default_timeout(15000)
        yield pg
        browser.close()


def _type(page, query: str) -> None:
    page.fill("#q", query)
    page.wait_for_function("document.getElementById('search-status').textContent !== ''"
                           " && document.getElementById('search-results')"
                           ".hasAttribute('data-complete')")


def _ids(page, selector: str) -> list[str]:
    hrefs = page.locator(selector).evaluate_all("els => els.map(a => a.getAttribute('href'))")
    return [h.rsplit("/", 1)[-1].removesuffix(".html").replace(".html#", "#") for h in hrefs]


def _item_id(href: str) -> str:
    return href


@pytest.mark.parametrize("case", cases(), ids=lambda c: c.name)
def test_site_search_follows_the_specification(page, shipped_site, case: Case) -> None:
    rel = "km/search.html" if case.lang == "km" else "search.html"
    page.goto(url(shipped_site, rel))
    _type(page, case.query)
    ids = page.locator("#search-results > li > a").evaluate_all(
        "els => els.map(a => a.getAttribute('href'))")
    items = page.evaluate("""q => {
        const items = GlossarySearch.prepare(GLOSSARY_INDEX);
        const lang = document.documentElement.lang;
        const f = GlossarySearch.find(items, q, lang, 100);
        return [f.hits.map(h => h.item.id), f.total, f.suggestions.map(s => s.item.id),
                f.hits.map(h => h.item.path)];
    }""", case.query)
    # the page shows exactly what find() returned, linked to each item's page
    assert ids == [items[3][i] for i in range(len(items[3]))]
    suggested = page.locator("#search-suggest a").evaluate_all(
        "els => els.map(a => a.getAttribute('href'))")
    assert len(suggested) == len(items[2])
    check(case, items[0], items[1], items[2])


def _python(shipped_site: Path, query: str, lang: str):
    index = _INDEX.get(shipped_site)
    if index is None:
        project = shipped_site.parent.parent
        loaded = loader.load(load_settings(cwd=project))
        from glossary.site.pages import section_anchor

        index = _INDEX[shipped_site] = search.Index(
            search.index_items(loaded.glossary, section_anchor))
    found = search.find(index, query, lang=lang, limit=100)
    return ([h.item.id for h in found.hits], found.total,
            [s.item.id for s in found.suggestions], [h.term.text for h in found.hits],
            [h.term.status for h in found.hits])


_INDEX: dict[Path, search.Index] = {}


def _queries() -> list[str]:
    """Prefixes of real terms (each keystroke), misspellings, word orders, odd input."""
    import tomllib

    out: list[str] = []
    for name in ("ai-model", "human-in-the-loop", "personal-data", "transparency",
                 "large-language-model", "risk-based-approach", "deepfake"):
        data = tomllib.loads((ROOT / "terms" / f"{name}.toml").read_text(encoding="utf-8"))
        for lang in ("en", "km"):
            text = data[lang]["terms"][0]["text"]
            out += [text[:n] for n in range(1, len(text) + 1)]
    out += ["explainabilty", "fairnes", "privacy data", "data privacy", "AI-Act", "§B.2",
            "  ", "***", "ai ai", "ស្រ្តី", "ខែ្មរ", "GENAI", "nist", "2024", "២០២៤",
            "governance", "ethic", "oversight  HUMAN", "កំុ", "ឯកជន", "t", "ប",
            "transparent", "Accountabilities", "robustness", "robust", "compliant",
            "emergency", "usability", "ability", "openness", "business", "agency"]
    return out


def test_site_and_python_give_the_same_results(page, shipped_site) -> None:
    page.goto(url(shipped_site, "search.html"))
    queries = _queries()
    for lang in ("en", "km"):
        js = page.evaluate("""([qs, lang]) => {
            const items = GlossarySearch.prepare(GLOSSARY_INDEX);
            return qs.map(q => {
                const f = GlossarySearch.find(items, q, lang, 100);
                return [f.hits.map(h => h.item.id), f.total,
                        f.suggestions.map(s => s.item.id), f.hits.map(h => h.term.text),
                        f.hits.map(h => h.term.status)];
            });
        }""", [queries, lang])
        for query, got in zip(queries, js, strict=True):
            assert tuple(got) == _python(shipped_site, query, lang), (lang, query)
    keys = page.evaluate("qs => qs.map(q => GlossaryKeys.matchKey(q))", queries)
    assert keys == [search.match_key(q) for q in queries]
    folded = page.evaluate("qs => qs.map(q => GlossaryKeys.derived(GlossaryKeys.matchKey(q)))",
                           queries)
    assert folded == [search.derived(search.match_key(q)) for q in queries]


def test_misspelling_offers_did_you_mean_that_leads_to_the_concept(page, shipped_site):
    page.goto(url(shipped_site, "search.html"))
    _type(page, "halucination")
    assert "No results" in page.inner_text("#search-status")
    assert page.inner_text("#search-suggest").startswith("Did you mean:")
    page.click("#search-suggest a")
    page.wait_for_url("**/concepts/hallucination.html")
    assert page.inner_text("h1") == "hallucination"


def test_word_forms_and_order_find_human_in_the_loop(page, shipped_site):
    page.goto(url(shipped_site, "search.html"))
    for query in ("human in the loop", "oversight human"):
        _type(page, query)
        first = page.locator("#search-results > li > a").first.get_attribute("href")
        assert first == ("concepts/human-in-the-loop.html" if "loop" in query
                         else "concepts/human-oversight.html")


def test_khmer_with_a_space_finds_the_term(page, shipped_site):
    page.goto(url(shipped_site, "km/search.html"))
    _type(page, "ទិន្នន័យ ផ្ទាល់ខ្លួន")
    first = page.locator("#search-results > li > a").first
    assert first.get_attribute("href") == "concepts/personal-data.html"
    assert first.inner_text() == "ទិន្នន័យផ្ទាល់ខ្លួន"


def test_a_deprecated_term_found_says_it_is_deprecated(page, shipped_site):
    """A drafter who types a word to avoid sees the headword to use, and beside the word
    they typed, its status in the page's language."""
    import polib

    concept, text = deprecated_khmer_term()
    label = polib.pofile(str(ROOT / "locale" / "km" / "LC_MESSAGES" / "ui.po")).find(
        "deprecated").msgstr
    for rel, shown in (("search.html", "deprecated"), ("km/search.html", label)):
        page.goto(url(shipped_site, rel))
        _type(page, text)
        first = page.locator("#search-results > li").first
        assert first.locator("a").get_attribute("href") == f"concepts/{concept}.html"
        matched = first.locator(".hit-matched")
        assert text in matched.inner_text()
        assert matched.locator(".badge.admin-deprecated").inner_text() == shown
    _type(page, "human oversight")  # a headword: nothing more to say
    assert page.locator("#search-results > li").first.locator(".hit-matched").count() == 0


def test_many_results_say_how_many_are_shown_with_status(page, shipped_site):
    page.goto(url(shipped_site, "search.html"))
    _type(page, "a")
    status = page.inner_text("#search-status")
    total = int(status.split()[0])
    assert total > 100 and f"Showing the first 100 of {total}." in status
    assert page.locator("#search-results > li").count() == 100
    badges = page.locator("#search-results .hit-concept .hit-status .badge").evaluate_all(
        "els => els.map(e => e.textContent)")  # (off-screen results skip rendering)
    assert badges and set(badges) <= {"proposed", "approved", "draft", "rejected"}
    _type(page, "deepfake")
    assert page.inner_text("#search-status") == "3 results for “deepfake”."
    _type(page, "Artificial Intelligence Act")
    assert page.inner_text("#search-status") == \
        "1 result for “Artificial Intelligence Act”."
    assert page.locator("#search-results .kind-document").count() == 1


def test_query_kept_in_url_title_and_language_switch(page, shipped_site):
    page.goto(url(shipped_site, "search.html"))
    page.locator("#q").press_sequentially("model card")
    page.wait_for_function("location.search.includes('card')")
    assert "q=model+card" in page.url or "q=model%20card" in page.url
    assert page.title().startswith("Search: model card · ")
    page.click("a.lang-switch")
    page.wait_for_url("**/km/search.html?q=*")
    assert page.input_value("#q") == "model card"
    assert page.locator("#search-results > li > a").first.get_attribute("href") == \
        "concepts/model-card.html"
    assert "model card" in page.title()
    # Khmer page numbers are in Khmer digits
    _type(page, "a")
    status = page.inner_text("#search-status")
    assert any(d in status for d in "០១២៣៤៥៦៧៨៩") and not any(d in status for d in "0123456789")
    page.goto(url(shipped_site, "km/search.html", "q=" + quote("ឯកជន")))
    page.wait_for_selector("#search-results a")
    page.click("a.lang-switch")
    page.wait_for_url("**/site/search.html?q=*")
    assert page.input_value("#q") == "ឯកជន"
