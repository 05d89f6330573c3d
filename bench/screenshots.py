"""Screenshots of the site's main pages at 1366 and 390 px (headless Chromium), for a
person to look at: python bench/screenshots.py [SITE] [OUT]."""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

PAGES = {"home": "index.html", "concept": "concepts/human-in-the-loop.html",
         "concept-km": "km/concepts/ai-model.html", "search": "search.html?q=model",
         "search-km": "km/search.html?q=%E1%9E%91%E1%9E%B7", "downloads": "downloads.html",
         "print": "print.html", "print-km": "km/print.html", "approved": "approved.html",
         "domain": "domains/data.html", "letter": "letters/en-m.html"}


def main() -> None:
    site = Path(sys.argv[1] if len(sys.argv) > 1 else "build/site").resolve()
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "build/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--no-sandbox", "--disable-gpu"])
        for width in (1366, 390):
            page = browser.new_page(viewport={"width": width, "height": 900})
            for name, rel in PAGES.items():
                path, _, query = rel.partition("?")
                page.goto((site / path).as_uri() + (f"?{query}" if query else ""))
                page.evaluate("document.fonts.ready.then(() => true)")
                page.screenshot(path=str(out / f"{name}-{width}.png"),
                                full_page=name not in ("print", "print-km", "letter"))
            page.emulate_media(media="print")
            page.goto((site / "print.html").as_uri())
            page.screenshot(path=str(out / f"print-media-{width}.png"))
            page.close()
        browser.close()
    print(out)


if __name__ == "__main__":
    main()
