"""The printable glossary after one edit: only the edited concept's rows are rendered,
the others are taken from the last build's page, and the page is a clean build's."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from glossary import pipeline
from glossary.config import load_settings
from glossary.site import print_rows
from glossary.site.templating import Renderer


@pytest.fixture
def rendered(monkeypatch) -> list[tuple[str, int]]:
    """(page, number of rows) for every call that renders print rows."""
    calls: list[tuple[str, int]] = []
    real = Renderer.render_rows

    def spy(self, page, rows):
        calls.append((page.out_path, len(rows)))
        return real(self, page, rows)

    monkeypatch.setattr(Renderer, "render_rows", spy)
    return calls


def _edit(project: Path) -> None:
    path = project / "terms" / "transparency.toml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        'text = "transparency"', 'text = "openness of AI"', 1), encoding="utf-8")


def _clean_site(project: Path, tmp_path: Path) -> Path:
    clean = tmp_path / "clean"
    shutil.copytree(project, clean, ignore=shutil.ignore_patterns("build"))
    pipeline.build(load_settings(cwd=clean), ["site"])
    return clean / "build" / "site"


def _pages(site: Path) -> dict[str, bytes]:
    return {name: (site / name).read_bytes() for name in ("print.html", "km/print.html")}


def test_an_edit_renders_only_its_rows(project: Path, tmp_path: Path, rendered) -> None:
    settings = load_settings(cwd=project)
    pipeline.build(settings, ["site"])
    total = dict(rendered)["print.html"]
    assert total >= 4 and dict(rendered)["km/print.html"] == total
    rendered.clear()
    _edit(project)
    pipeline.build(settings, ["site"])
    assert dict(rendered) == {"print.html": 1, "km/print.html": 1}
    assert b"openness of AI" in (settings.build_dir / "site" / "print.html").read_bytes()
    assert _pages(settings.build_dir / "site") == _pages(_clean_site(project, tmp_path))


@pytest.mark.parametrize("damage", ["page", "state", "keys"])
def test_rows_are_reused_only_from_the_page_they_were_made_for(
        project: Path, tmp_path: Path, rendered, damage: str) -> None:
    settings = load_settings(cwd=project)
    pipeline.build(settings, ["site"])
    page = settings.build_dir / "site" / "print.html"
    state = settings.cache_dir / print_rows.STATE_NAME
    if damage == "page":  # edited by hand: its rows are not ours any more
        page.write_bytes(page.read_bytes().replace(b"</tr>\n", b"</tr>\n<!-- x -->", 1))
    elif damage == "state":
        state.write_text("{not json", encoding="utf-8")
    else:  # keys of another page
        data = json.loads(state.read_text(encoding="utf-8"))
        data["pages"]["print.html"]["keys"].reverse()
        data["pages"]["print.html"]["digest"] = "0" * 32
        state.write_text(json.dumps(data), encoding="utf-8")
    rendered.clear()
    _edit(project)
    pipeline.build(settings, ["site"])
    assert dict(rendered)["print.html"] > 1  # every row rendered again
    assert _pages(settings.build_dir / "site") == _pages(_clean_site(project, tmp_path))
