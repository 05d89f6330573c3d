"""The site in a real browser: Debian's Chromium driven by Playwright (never
`playwright install`). Pages open as file:// URLs, as drafters open them from a shared
drive. Screenshots go to build/screenshots/ (the path is printed; run with -s to see it).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from glossary import khmer
from glossary.search import match_key
from tests.site_support import build_site, html_pages, make_project

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "build" / "screenshots"
WIDTHS = {"desktop": 1280, "phone": 390}


@pytest.fixture(scope="module")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM,
                              args=["--no-sandbox", "--disable-gpu",
                                    "--disable-background-networking"])
        yield b
        b.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(make_project(tmp_path_factory.mktemp("browser"), "rich"))


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(15000)
    requests: list[str] = []
    pg.on("request", lambda request: requests.append(request.url))
    pg.requests = requests
    yield pg
    context.close()


def url(site: Path, rel: str, query: str = "") -> str:
    return (site / rel).as_uri() + (f"?{query}" if query else "")


def search(page, query: str) -> list[str]:
    page.fill("#q", query)
    page.wait_for_function("document.getElementById('search-status').textContent !== ''"
                           " && document.getElementById('search-results')"
                           ".hasAttribute('data-complete')")
    return page.locator("#search-results a").evaluate_all("els => els.map(a => a.href)")


def test_search_an_english_word_and_open_the_concept(page, site):
    page.goto(url(site, "search.html"))
    hrefs = search(page, "Models")  # case- and plural-insensitive
    assert hrefs[0].endswith("/concepts/ai-model.html")
    page.locator("#search-results a").first.click()
    page.wait_for_url("**/concepts/ai-model.html")
    assert page.locator("h1").inner_text() == "AI model"


def test_search_a_two_code_point_khmer_substring(page, site):
    page.goto(url(site, "km/search.html"))
    hrefs = search(page, "ភា")  # in តម្លាភាព (transparency) and ភាពលម្អៀង…
    assert any(h.endswith("/km/concepts/transparency.html") for h in hrefs)
    page.locator("#search-results a[href$='transparency.html']").click()
    page.wait_for_url("**/km/concepts/transparency.html")
    assert page.locator("h1").inner_text() == "តម្លាភាព"
    assert page.locator("html").get_attribute("lang") == "km"


def test_khmer_search_ignores_zwsp_and_typing_order(page, site):
    page.goto(url(site, "search.html"))
    assert any(h.endswith("/concepts/transparency.html") for h in search(page, "ភ\u200bា"))
    # ស៊ី typed as vowel-then-shifter, and a ZWSP inside the word
    hits = search(page, "\u1798\u17c9\u17b6\u200b\u179f\u17b8\u17ca\u1793")
    assert hits and hits[0].endswith("/concepts/machine-learning.html")


def test_search_link_opens_with_results(page, site):
    page.goto(url(site, "search.html", "q=hallucinations"))
    page.wait_for_selector("#search-results a")
    assert page.input_value("#q") == "hallucinations"
    first = page.locator("#search-results a").first.get_attribute("href")
    assert first == "concepts/hallucination.html"
    page.goto(url(site, "km/search.html", "q=%E1%9E%8F%E1%9E%98%E1%9F%92%E1%9E%9B%E1%9E%B6"))
    page.wait_for_selector("#search-results a")
    assert page.locator("#search-results a").first.get_attribute("href") == \
        "concepts/transparency.html"
    assert page.locator("#search-noscript").is_hidden()


def test_home_search_box_leads_to_results(page, site):
    page.goto(url(site, "index.html"))
    page.fill("#home-q", "machine learning")
    page.press("#home-q", "Enter")
    page.wait_for_url("**/search.html?q=machine+learning")
    page.wait_for_selector("#search-results a")
    assert page.locator("#search-results a").first.get_attribute("href") == \
        "concepts/machine-learning.html"


def _vectors() -> list[str]:
    rows = [
        "\u179f\u17d2\u179a\u17d2\u178f\u17b8", "\u1798\u17c9\u17d2\u1799\u17b6\u1784",
        "\u1781\u17c2\u17d2\u1798\u179a", "\u1780\u17c6\u17bb", "\u1785\u17c6\u17b6",
        "\u179b\u17c1\u17b6\u1780", "\u1794\u17c1\u17b8", "\u179f\u17bb\u17b8",
        "\u179f\u17b8\u17bb", "\u1798\u17bb\u17b8", "\u1780\u178e\u17d2\u178a\u17b6\u179b",
        "\u1780\u17be\u17b6", "\u17a2\u200c\u17ca\u17b9\u1798", "\u17a2\u17ca\u200c\u17b9\u1798",
        "\u1785\u17bb\u17c7\u1788\u17c1\u17b6\u17d2\u1798\u17c7",
        "\u179f\u17b6\u179f\u17d2\u178a\u17b6\u17d2\u179a\u1785\u17b6\u179a\u17d2\u1799",
        "\u1780\u1794\u17bc\u17cc\u179a", "\u1780\u17dd\u17d2\u1780", "\u1780\u17d2\u17dd\u1780",
        "\u17a3", "\u17a4", "\u17d8", "\u1780\u17b4", "\u1780\u17b6\u17b6",
        "\u1797\u17b6\u179f\u17b6\u200b\u1781\u17d2\u1798\u17c2\u179a",
        "\u1786\u17d2\u1793\u17b6\u17c6\u17e2\u17e0\u17e2\u17e5",
        "\ufeff\u1781\u17c2\u17d2\u1798\u179a",
        "Translation Memory", "  large\u00a0 LANGUAGE\tmodels ", "",
    ]
    rng = random.Random(61)
    marks = [chr(c) for c in range(0x17B6, 0x17D4)] + ["\u17dd", "\u200b", "\u200c"]
    letters = [chr(c) for c in range(0x1780, 0x17B4)]
    for _ in range(400):
        text = ""
        for _ in range(rng.randint(1, 4)):
            text += rng.choice(letters)
            for _ in range(rng.randint(0, 4)):
                text += "\u17d2" + rng.choice(letters) if rng.random() < 0.3 else rng.choice(marks)
        rows.append(text)
    return rows


def test_query_keys_in_javascript_equal_python_search_key(page, site):
    page.goto(url(site, "search.html"))
    vectors = _vectors()
    js = page.evaluate("v => v.map(s => window.GlossaryKeys.searchKey(s))", vectors)
    assert js == [khmer.search_key(v) for v in vectors]
    english = ["Large Language Models", "policies", "biases", "classes", "analyses", "bias",
               "status", "AI systems", "Watches", "boxes", "data"]
    js_en = page.evaluate("v => v.map(s => window.GlossaryKeys.matchKey(s))", english)
    assert js_en == [match_key(v) for v in english]


def test_query_keys_in_javascript_equal_python_on_every_short_string(page, site):
    from tests.test_khmer import short_strings

    page.goto(url(site, "search.html"))
    texts = short_strings()
    js = page.evaluate("v => v.map(s => window.GlossaryKeys.searchKey(s))", texts)
    differ = [t for t, key in zip(texts, js, strict=True) if key != khmer.search_key(t)]
    assert differ == []


def test_language_switch_goes_to_the_counterpart_and_back(page, site):
    page.goto(url(site, "concepts/algorithmic-bias.html"))
    page.click("a.lang-switch")
    page.wait_for_url("**/km/concepts/algorithmic-bias.html")
    assert page.locator("html").get_attribute("lang") == "km"
    assert page.locator("h1").inner_text() == "ភាពលម្អៀងក្បួនដោះស្រាយ"
    page.click("a.lang-switch")
    page.wait_for_url("**/site/concepts/algorithmic-bias.html")
    assert page.locator("html").get_attribute("lang") == "en"


def test_opened_from_file_url_nothing_leaves_the_disk(page, site):
    for rel, query in (("index.html", ""), ("km/concepts/ai-model.html", ""),
                       ("search.html", "q=model"), ("print.html", ""),
                       ("km/letters/km-1780.html", "")):
        page.goto(url(site, rel, query))
        page.wait_for_load_state("load")
    assert page.requests and all(r.startswith("file://") for r in page.requests), page.requests


def _fonts_loaded(page) -> list[str]:
    page.evaluate("document.fonts.ready.then(() => true)")
    return page.evaluate(
        "Array.from(document.fonts).filter(f => f.status === 'loaded').map(f => f.family)")


def test_khmer_renders_with_the_bundled_font(page, site):
    page.goto(url(site, "km/concepts/ai-model.html"))
    loaded = [family.strip('"') for family in _fonts_loaded(page)]
    assert "Noto Sans Khmer" in loaded
    assert any(r.endswith("/static/fonts/NotoSansKhmer.woff2") for r in page.requests)
    style = page.evaluate("""() => {
        const el = document.querySelector('.term-text[lang=km]');
        const cs = getComputedStyle(el);
        return [cs.fontFamily, cs.lineHeight, cs.fontSize];
    }""")
    assert style[0].startswith('"Noto Sans Khmer"')


SHOT_PAGES = {"home": "index.html", "home-km": "km/index.html",
              "concept": "concepts/algorithmic-bias.html",
              "concept-km": "km/concepts/ai-model.html",
              "khmer-index": "km/letters/km-1780.html",
              "khmer-index-en": "letters/km-17a2.html"}


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_screenshots_fit_and_pass_axe(browser, site, width):
    from axe_playwright_python.sync_playwright import Axe

    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": WIDTHS[width], "height": 900})
    page = context.new_page()
    axe = Axe()
    problems = []
    try:
        for name, rel in SHOT_PAGES.items():
            page.goto(url(site, rel))
            _fonts_loaded(page)
            path = SHOTS / f"{name}-{width}.png"
            page.screenshot(path=str(path), full_page=True)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{rel} is wider than the {width} screen by {overflow}px"
            results = axe.run(page)
            for violation in results.response["violations"]:
                if violation["impact"] in ("serious", "critical"):
                    problems.append((rel, violation["id"], violation["help"],
                                     [n["target"] for n in violation["nodes"]][:3]))
    finally:
        context.close()
    print(f"\nscreenshots ({width}): {SHOTS}")
    assert problems == []


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(make_project(tmp_path_factory.mktemp("hostile-b"), "hostile", base=None))


def test_hostile_content_never_executes(browser, hostile):
    context = browser.new_context()
    context.add_init_script("window.__xss = undefined;")
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        targets = [url(hostile, p.relative_to(hostile).as_posix()) for p in html_pages(hostile)]
        targets += [url(hostile, "search.html", "q=script"), url(hostile, "search.html", "q=img"),
                    url(hostile, "km/search.html", "q=%3Cscript%3E")]
        for target in targets:
            page.goto(target)
            page.wait_for_load_state("load")
            page.mouse.move(5, 5)
            page.mouse.move(300, 300)
            assert page.evaluate("window.__xss") is None, target
        page.goto(url(hostile, "search.html", "q=probe"))
        page.wait_for_selector("#search-results a")
        shown = page.locator("#search-results").inner_text()
        assert "<script>window.__xss='term'</script> probe" in shown
        assert page.locator("#search-results script, #search-results img").count() == 0
        assert page.evaluate("window.__xss") is None
    finally:
        context.close()
    assert dialogs == [] and errors == []


def test_a_review_record_shows_its_note_and_each_decision_on_lines_of_their_own(
        browser, tmp_path):
    """A term's review note and each decision of its history are read line by line (they
    ran together in one paragraph: "…English 'bias')December 4, 2026: approved…")."""
    from datetime import date

    from glossary import review

    project = make_project(tmp_path, "rich")
    for state, by in (("approved", "Sok Dara"), ("rejected", "Chan Sophea")):
        review.decide(project / "terms", "transparency", state=state, by=by,
                      note=f"{state} at the meeting", today=date(2026, 3, 12))
    site = build_site(project)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(url(site, "concepts/transparency.html"))
    record = page.locator(".term .history").filter(has=page.locator(".review-event")).first
    boxes = [record.locator(sel).nth(i).bounding_box()
             for sel, i in ((".review-note", 0), (".review-event", 0), (".review-event", 1))]
    assert all(box is not None for box in boxes)
    for above, below in zip(boxes, boxes[1:], strict=False):
        assert below["y"] >= above["y"] + above["height"] - 1, (above, below)
    page.close()


def test_a_rejected_term_found_by_search_says_rejected(browser, tmp_path):
    """Search for a term a reviewer rejected: the badge beside it says rejected (in the
    page's language), not the admitted status the term still has."""
    import polib

    from glossary import review

    project = make_project(tmp_path, "rich")
    review.decide(project / "terms", "ai-model", state="rejected", by="Sok Dara", term=1)
    site = build_site(project)
    label = polib.pofile(str(ROOT / "locale" / "km" / "LC_MESSAGES" / "ui.po")).find(
        "rejected").msgstr
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    for rel, shown in (("search.html", "rejected"), ("km/search.html", label)):
        page.goto(url(site, rel))
        search(page, "គំរូ")
        first = page.locator("#search-results > li").first
        assert first.locator("a").get_attribute("href").endswith("concepts/ai-model.html")
        badge = first.locator(".hit-matched .badge")
        assert badge.inner_text() == shown
        assert "review-rejected" in badge.get_attribute("class")
    page.close()
