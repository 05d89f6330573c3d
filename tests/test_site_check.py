"""The site's "Check a text" page (check.html) on the shipped glossary, in Chromium: the
glossary terms a pasted paragraph uses, and the terms to replace in it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from glossary import pipeline
from glossary.config import load_settings
from glossary.qa import CheckOptions, check_paths, load_reference
from tests.browser_support import launch, url
from tests.conftest import ROOT
from tests.search_support import deprecated_khmer_term

pytestmark = pytest.mark.browser
ZWSP = "\u200b"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("check-site")
    shutil.copytree(ROOT / "terms", project / "terms")
    (project / "pyproject.toml").write_text('[tool.glossary]\nterms = "terms"\n', "utf-8")
    pipeline.build(load_settings(cwd=project), ("site",))
    return project


@pytest.fixture(scope="module")
def page(project: Path) -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        pg = browser.new_page(viewport={"width": 1000, "height": 900})
        pg.set_default_timeout(15000)
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        yield pg
        assert errors == []
        browser.close()


def _check(page, project: Path, text: str, lang: str = "en") -> dict[str, list]:
    rel = "check.html" if lang == "en" else "km/check.html"
    page.goto(url(project / "build" / "site", rel))
    page.fill("#check-text", text)
    page.wait_for_function("document.body.hasAttribute('data-checked')")

    def rows(selector: str) -> list[tuple[str, str]]:
        items = page.locator(f"{selector} li")
        return [(items.nth(i).locator("a").get_attribute("href").rsplit("/", 1)[-1]
                 .removesuffix(".html"), items.nth(i).text_content())
                for i in range(items.count())]

    return {"status": [page.text_content("#check-status")],
            "replace": rows("#check-replace"), "used": rows("#check-used")}


SENTENCES = [
    "Organisations should carry out risk assessments before deploying an AI system, "
    "with human oversight and transparency.",
    "Generative AI models can hallucinate, so providers publish model cards and red-team "
    "their large language models.",
    "Personal data protection and privacy by design reduce the risk of re-identification.",
    "An incident response plan names who reports a serious incident to the regulator.",
]


@pytest.mark.parametrize("text", SENTENCES)
def test_english_text_lists_the_concepts_qa_lists(page, project: Path, tmp_path: Path,
                                                   text: str) -> None:
    """The page finds, in the same order, the concepts `glossary qa` lists for the same
    text (glossary-term notes), and says how many."""
    path = tmp_path / "text.txt"
    path.write_text(text, encoding="utf-8")
    ref = load_reference(load_settings(cwd=project), "proposed")
    listed = [f.concept for f in check_paths(ref, [path], CheckOptions()).findings
              if f.rule == "glossary-term"]
    found = _check(page, project, text)
    assert [cid for cid, _ in found["used"]] == listed and listed
    assert found["replace"] == []
    assert found["status"] == [f"Glossary terms found: {len(listed)}. To replace: 0."]


def test_khmer_text_flags_a_deprecated_term_with_the_term_to_use(page, project: Path
                                                                  ) -> None:
    concept, deprecated = deprecated_khmer_term()
    # a good term with zero-width spaces inside, the deprecated one twice
    text = f"{deprecated}នៃការវាយ{ZWSP}តម្លៃ{ZWSP}ហានិភ័យ ត្រូវពិនិត្យ។ {deprecated}"
    found = _check(page, project, text, "km")
    assert [cid for cid, _ in found["replace"]] == [concept]
    row = found["replace"][0][1]
    assert row.startswith(deprecated) and "×២" in row  # twice, in Khmer digits
    preferred = page.locator("#check-replace .check-use").text_content()
    assert preferred and preferred != deprecated
    # the longest match wins: risk assessment, not risk
    assert [cid for cid, _ in found["used"]] == ["risk-assessment"]
    assert found["status"] == ["ពាក្យក្នុងសទ្ទានុក្រមដែលរកឃើញ៖ ១។ ពាក្យដែលត្រូវជំនួស៖ ១។"]


def test_a_deprecated_term_that_another_concept_uses_is_not_flagged(page, project: Path
                                                                     ) -> None:
    """ការរើសអើង is deprecated for bias and the term of discrimination: the text
    alone cannot tell which is meant."""
    bias = (project / "terms" / "bias.toml").read_text(encoding="utf-8")
    assert 'text = "ការរើសអើង"' in bias
    found = _check(page, project, "ការរើសអើងក្នុងការជ្រើសរើសបុគ្គលិក")
    assert found["replace"] == []
    assert "discrimination" in [cid for cid, _ in found["used"]]


@pytest.mark.parametrize("text", [
    "ក្ហានិភ័យ",  # the term would start on a subscript (after a coeng)
    "ហានិភ័យ្ក",  # it would end before a coeng: the cluster goes on
    "ហានិភ័យិ",  # it would end before a vowel sign
])
def test_a_khmer_term_never_matches_inside_a_cluster(page, project: Path, text: str) -> None:
    found = _check(page, project, text)
    assert found["used"] == [] and found["replace"] == []
    assert found["status"] == ["No glossary term in this text."]
    assert page.locator("#check-used").locator("xpath=..").get_attribute("hidden") is not None


def test_an_empty_text_shows_nothing_and_the_page_links_from_search(page, project: Path
                                                                     ) -> None:
    found = _check(page, project, "  \n ")
    assert found == {"status": [""], "replace": [], "used": []}
    page.goto(url(project / "build" / "site", "search.html"))
    page.click("text=Check a whole text for glossary terms")
    page.wait_for_url("**/check.html")  # and its load: the click returns before it
    assert page.locator("#check-noscript").is_hidden()


def test_hostile_terms_are_shown_as_text(page, tmp_path: Path) -> None:
    """Terms that look like markup (tests/data/site/hostile) come out as text: the page
    builds its lists with textContent, so nothing typed or stored runs."""
    from tests.site_support import build_site, make_project

    site = build_site(make_project(tmp_path, "hostile", base=None))
    page.goto(url(site, "check.html"))
    page.fill("#check-text", "<script>window.__xss='term'</script> probe, and "
              "ការសាកល្បង<script>window.__xss='km'</script>")
    page.wait_for_function("document.body.hasAttribute('data-checked')")
    shown = page.locator("#check-used li").all_text_contents()
    assert any("<script>window.__xss='term'</script> probe" in s for s in shown)
    assert page.evaluate("window.__xss") is None
    assert page.locator("#check-used script, #check-used img").count() == 0
