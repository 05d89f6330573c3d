"""Hostile glossary content is shown as text: no markup, script or javascript: link."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.site_support import build_site, html_pages, make_project, parse

OUR_SCRIPTS = {"search-index.js", "khmer-key.js", "search.js", "site.js", "check.js"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(make_project(tmp_path_factory.mktemp("hostile"), "hostile", base=None))


def test_payloads_are_text_not_markup(site):
    pages = html_pages(site)
    assert len(pages) > 10
    for page in pages:
        doc = parse(page).root
        for el in doc.iter():
            assert el.tag not in ("img", "svg", "iframe", "object", "embed", "b"), (page, el.tag)
            for name, value in el.attrs.items():
                assert not name.startswith("on"), (page, el.tag, name)
                assert not (value or "").strip().lower().startswith("javascript:"), (page, name)
            if el.tag == "script":
                src = el.attrs.get("src")
                if src is None:
                    assert el.attrs.get("type") == "application/json", page
                    json.loads(el.text())
                else:
                    assert src.rsplit("/", 1)[-1] in OUR_SCRIPTS, page


def test_payloads_are_visible_as_typed(site):
    text = parse(site / "concepts/xss-probe.html").root.text()
    assert "<script>window.__xss='term'</script> probe" in text
    assert "\"><img src=x onerror=\"window.__xss='definition'\">" in text
    assert "javascript:window.__xss='note'" in text
    doc = parse(site / "documents/evil-doc.html").root
    assert "javascript:window.__xss='url'" in doc.text()  # the address, shown as text
    assert not any(el.tag == "a" and "javascript" in (el.attrs.get("href") or "")
                   for el in doc.iter())


def test_search_index_cannot_close_a_script_or_start_markup(site):
    text = (site / "search-index.js").read_text(encoding="utf-8")
    assert "<" not in text and ">" not in text
    data = json.loads(text[len("window.GLOSSARY_INDEX = "):-2])
    assert data["items"][0][3] == "<script>window.__xss='term'</script> probe"
