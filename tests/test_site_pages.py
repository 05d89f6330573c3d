"""The static site: which pages exist, what they show, how they link (parsed HTML)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from glossary import khmer_collation, search
from tests.site_support import KHMER, build_site, html_pages, make_project, parse


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini glossary plus the rich concepts (badges, Khmer index words, retired)."""
    return build_site(make_project(tmp_path_factory.mktemp("rich"), "rich"))


def rel(site: Path, page: Path) -> str:
    return page.relative_to(site).as_posix()


def test_every_page_exists_in_english_and_khmer(site):
    english = {rel(site, p) for p in html_pages(site) if not rel(site, p).startswith("km/")}
    khmer_pages = {rel(site, p)[3:] for p in html_pages(site) if rel(site, p).startswith("km/")}
    assert english == khmer_pages
    for expected in ("index.html", "browse.html", "print.html", "search.html",
                     "documents/index.html", "documents/asean-guide-2024.html",
                     "concepts/algorithmic-bias.html", "concepts/retired-term.html",
                     "letters/en-a.html", "letters/km-1780.html", "letters/km-17a2.html"):
        assert expected in english, expected


def test_urls_never_contain_khmer(site):
    for page in html_pages(site):
        assert not KHMER.search(rel(site, page))
        for el in parse(page).root.iter():
            for name in ("href", "src"):
                assert not KHMER.search(el.attrs.get(name) or ""), (page, el.attrs)


def test_html_lang_and_language_switch(site):
    for page in html_pages(site):
        path = rel(site, page)
        lang = "km" if path.startswith("km/") else "en"
        doc = parse(page).root
        html = next(el for el in doc.iter() if el.tag == "html")
        assert html.attrs["lang"] == lang
        switch = [el for el in doc.iter() if "lang-switch" in (el.attrs.get("class") or "")]
        assert len(switch) == 1, path
        target = (page.parent / switch[0].attrs["href"]).resolve()
        counterpart = path[3:] if lang == "km" else "km/" + path
        assert target == (site / counterpart).resolve(), path
        assert switch[0].attrs["lang"] == switch[0].attrs["hreflang"] != lang


def test_every_khmer_run_on_an_english_page_is_marked(site):
    checked = 0
    for page in html_pages(site):
        if rel(site, page).startswith("km/"):
            continue
        tree = parse(page)
        for text, parent in tree.texts:
            if KHMER.search(text) and parent.tag not in ("title", "script"):
                assert parent.lang() == "km", (rel(site, page), text)
                checked += 1
    assert checked > 100


def test_every_relative_link_resolves(site):
    anchors: dict[Path, set[str]] = {}

    def ids(path: Path) -> set[str]:
        if path not in anchors:
            anchors[path] = {el.attrs["id"] for el in parse(path).root.iter() if "id" in el.attrs}
        return anchors[path]

    for page in html_pages(site):
        if page.name == "404.html":  # served for any address: links from <base href="/">
            continue
        for el in parse(page).root.iter():
            for name in ("href", "src"):
                value = el.attrs.get(name)
                if not value or value.startswith("#") and len(value) == 1:
                    continue
                parts = urlsplit(value)
                assert not parts.scheme and not parts.netloc, (page, value)
                target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
                assert target.is_file(), (rel(site, page), value)
                if parts.fragment and target.suffix == ".html":
                    assert parts.fragment in ids(target), (rel(site, page), value)


def test_no_external_url_anywhere(site):
    url = re.compile(r"""(?:href|src)\s*=\s*["']?\s*(?:https?:)?//""", re.I)
    for path in site.rglob("*"):
        if path.suffix in (".html", ".css", ".js"):
            text = path.read_text(encoding="utf-8")
            assert not url.search(text), path
            assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", text), path
            assert "@import" not in text, path


def test_concept_page_shows_terms_badges_history_and_sources(site):
    page = site / "concepts/algorithmic-bias.html"
    tree = parse(page)
    text = " ".join(tree.root.text().split())
    assert "algorithmic bias" in text and "machine bias" in text
    badges = [el.text() for el in tree.root.iter() if "badge" in (el.attrs.get("class") or "")]
    assert {"preferred", "deprecated", "approved", "proposed"} <= set(badges)
    assert "Approved by Sok Dara on April 14, 2025." in text
    assert "Proposed by glossary team on March 1, 2025." in text
    assert "Avoid: suggests the machine alone is at fault." in text
    assert "Audits look for algorithmic bias in hiring tools." in text
    hrefs = [el.attrs.get("href") for el in tree.root.iter() if el.tag == "a"]
    assert "../documents/asean-guide-2024.html#s-B.2" in hrefs
    assert "../documents/asean-genai-guide-2025.html#s-risk.6" in hrefs
    assert "../concepts/machine-learning.html" in hrefs  # see also
    km_text = " ".join(parse(site / "km/concepts/algorithmic-bias.html").root.text().split())
    assert "១៤ មេសា ២០២៥" in km_text  # babel's km date, in Khmer digits
    assert "អនុម័តដោយ Sok Dara" in km_text
    # the reviewer sees why the Khmer term was chosen, and the term in use
    assert "Why this term: Compound of the glossary's word for bias" in text
    assert "Regulators asked the bank to test its credit model for algorithmic bias." in text
    assert "ហេតុផលនៃការជ្រើសពាក្យនេះ៖ Compound of" in km_text
    km_example = "និយ័តករបានស្នើឲ្យធនាគារធ្វើតេស្តគំរូឥណទានរបស់ខ្លួន"
    assert km_text.index(km_example) < km_text.index("Regulators asked the bank")


def test_khmer_page_puts_khmer_first(site):
    doc = parse(site / "km/concepts/ai-model.html").root
    h1 = next(el for el in doc.iter() if el.tag == "h1")
    assert h1.text() == "គំរូបញ្ញាសិប្បនិម្មិត"
    sections = [el.attrs["id"] for el in doc.iter() if el.tag == "h2" and "id" in el.attrs]
    assert sections[:2] == ["lang-km", "lang-en"]


def entries(page: Path) -> list[str]:
    doc = parse(page).root
    out = []
    for li in doc.iter():
        if li.tag == "li" and "entry" in (li.attrs.get("class") or "").split():
            first = next(el for el in li.iter() if el.tag == "a")
            out.append(first.text())
    return out


def test_khmer_index_groups_by_initial_then_sorts_in_cldr_order(site):
    ka = entries(site / "letters/km-1780.html")
    assert ka == sorted(ka, key=khmer_collation.sort_key)
    # khmer.md's real ordering: កៅអី < កុំ < កោះ (code point order gets this wrong)
    assert ka.index("កៅអី") < ka.index("កុំ") < ka.index("កោះ")
    assert entries(site / "letters/km-1792.html") == ["ធរណី", "ធម៌"]
    # Independent vowels have headings of their own; អ keeps its words in CLDR order.
    assert entries(site / "letters/km-17a2.html") == ["អាហារ", "អ៊ីនធឺណិត"]
    assert entries(site / "letters/km-17a5.html") == ["ឥឡូវ"]
    assert entries(site / "letters/km-17a7.html") == ["ឧស្សាហកម្ម"]
    assert entries(site / "letters/km-17ab.html") == ["ឫស្សី"]
    assert entries(site / "letters/km-other.html") == ["AI", "ML"]
    # The letter bar follows khmer_collation.INDEX_HEADINGS: ឫ right after រ, vowels after អ.
    doc = parse(site / "letters/km-1780.html").root
    bar = next(el for el in doc.iter() if "letters-km" in (el.attrs.get("class") or ""))
    letters = [el.text() for el in bar.iter() if el.tag in ("a", "span")]
    order = [h for h in khmer_collation.INDEX_HEADINGS if h in letters]
    assert letters[:-1] == order and letters[-1] == "Other"
    assert letters.index("ឫ") == letters.index("រ") + 1


def test_english_index_is_case_insensitive(site):
    a = entries(site / "letters/en-a.html")
    assert a == sorted(a, key=str.casefold)
    assert {"AI", "AI model", "algorithmic bias", "artificial intelligence"} <= set(a)
    assert entries(site / "letters/en-m.html")[:2] == ["machine bias", "machine learning"]


def test_retired_concept_keeps_its_page_but_leaves_indexes_and_search(site):
    text = parse(site / "concepts/retired-term.html").root.text()
    assert "retired" in text
    for page in list((site / "letters").glob("*.html")) + [site / "print.html"]:
        assert "retired-term" not in page.read_text(encoding="utf-8"), page
    assert "retired-term" not in (site / "search-index.js").read_text(encoding="utf-8")


def test_document_page_lists_concepts_by_section_in_registry_order(site):
    doc = parse(site / "documents/asean-guide-2024.html").root
    sections = [el.attrs["id"] for el in doc.iter() if el.tag == "h2"]
    assert sections == ["s-A.4", "s-B.1", "s-B.2", "s-C.3"]
    section_lists = [el for el in doc.iter() if el.tag == "section"]
    b2 = next(s for s in section_lists if s.attrs.get("aria-labelledby") == "s-B.2")
    assert [a.attrs["href"] for a in b2.iter() if a.tag == "a"] == [
        "../concepts/algorithmic-bias.html"]


def test_printable_page_lists_every_preferred_term_and_hides_navigation(site):
    doc = parse(site / "print.html").root
    rows = [el for el in doc.iter() if el.tag == "tr"][1:]
    assert len(rows) == 16  # 17 concepts, one retired
    def cells(row):
        return [td for td in row.iter() if td.tag == "td"]

    def term(td):  # the cell's text without its (optional) definition
        return "".join(c if isinstance(c, str) else c.text() for c in td.children
                       if isinstance(c, str) or "print-def" not in c.attrs.get("class", ""))

    first = [term(td) for td in cells(rows[0])]
    assert first[:2] == ["AI model", "គំរូបញ្ញាសិប្បនិម្មិត"]
    km_rows = [el for el in parse(site / "km/print.html").root.iter() if el.tag == "tr"][1:]
    # Khmer pages put the Khmer column first, sorted in Khmer order
    khmer_column = [term(cells(r)[0]) for r in km_rows]
    assert khmer_column == sorted(khmer_column, key=khmer_collation.sort_key)
    css = (site / "static/css/site.css").read_text(encoding="utf-8")
    print_css = css[css.index("@media print"):]
    assert ".site-header" in print_css and "display: none" in print_css


def test_home_shows_counts_and_review_progress(site):
    doc = parse(site / "index.html").root
    text = " ".join(doc.text().split())
    assert "Concepts: 16" in text
    bars = [el for el in doc.iter() if el.attrs.get("class") == "bar"]
    assert len(bars) == 2
    segments = [el.attrs["class"] for el in bars[1].iter()]
    assert segments == ["seg seg-approved", "seg seg-proposed", "seg seg-draft"]
    assert "approved: 1" in bars[1].attrs["aria-label"]
    search = next(el for el in doc.iter() if el.tag == "form")
    assert search.attrs["action"] == "search.html" and search.attrs["method"] == "get"


def test_pages_work_without_javascript(site):
    """Every page but search and the text check is complete without JavaScript: its one
    script (site.js) only adds copy buttons, the domain filter and the print date to
    what is there."""
    for page in html_pages(site):
        scripts = [el for el in parse(page).root.iter() if el.tag == "script"]
        if page.name not in ("search.html", "check.html"):
            assert [el.attrs.get("src", "").rsplit("/", 1)[-1] for el in scripts] == \
                ["site.js"], page
    concept = parse(site / "concepts/ai-model.html").root
    copies = [el for el in concept.iter() if el.tag == "button"]
    assert copies and all("hidden" in el.attrs for el in copies)  # shown by site.js
    assert any(el.text() == "AI model" and "term-text" in el.attrs.get("class", "")
               for el in concept.iter())  # the term itself is plain, selectable text


def test_search_index_ships_python_keys(site):
    text = (site / "search-index.js").read_text(encoding="utf-8")
    assert text.startswith("window.GLOSSARY_INDEX = ") and text.endswith(";\n")
    data = json.loads(text[len("window.GLOSSARY_INDEX = "):-2])
    rows = {row[1]: row for row in data["items"]}
    assert "retired-term" not in rows
    row = rows["algorithmic-bias"]
    assert row[0] == "concept" and row[2] == "concepts/algorithmic-bias.html"
    terms = row[7]
    assert ["km", "", search.match_key("ភាពលម្អៀងក្បួនដោះស្រាយ"), 1] in terms
    # English keys are plural-folded the same way for terms and queries
    assert ["en", "", "algorithmic bias", 1] in terms
    assert search.match_key("algorithmic biases") == "algorithmic bias"
    assert search.match_key("Large Language Models") == "large language model"
    assert search.match_key("policies") == "policy"
    # documents and their sections are searchable too
    assert any(r[0] == "document" for r in data["items"])


def test_khmer_font_is_bundled_with_its_licence(site):
    font = site / "static/fonts/NotoSansKhmer.woff2"
    assert font.read_bytes()[:4] == b"wOF2"
    assert "SIL OPEN FONT LICENSE" in (site / "static/fonts/OFL.txt").read_text(encoding="utf-8")
    css = (site / "static/css/site.css").read_text(encoding="utf-8")
    assert 'url("../fonts/NotoSansKhmer.woff2") format("woff2")' in css
    assert "font-size: 1.1em" in css and "line-height: 1.8" in css
