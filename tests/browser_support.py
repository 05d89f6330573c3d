"""Chromium for the browser tests: Debian's /usr/bin/chromium driven by Playwright
(never `playwright install`; design §7)."""

from __future__ import annotations

from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def launch(p):  # p: a sync_playwright() instance
    return p.chromium.launch(executable_path=CHROMIUM, args=ARGS)


def url(site: Path, rel: str, query: str = "") -> str:
    return (site / rel).as_uri() + (f"?{query}" if query else "")
