"""The print pages, made from the whole glossary and showing its revision, are keyed by
the revision (a content hash of every file in terms/) when the build has one: a build
no longer reads every concept to learn that they changed, and an edit still rewrites
them exactly as a clean build writes them. The search index keeps its fingerprint: a
definition edit leaves it as it was, and then it is not made again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from glossary import pipeline
from glossary.config import load_settings
from glossary.site import manifest as site_manifest
from glossary.site import print_pages
from glossary.site.writer import MANIFEST
from tests.site_support import tree


@pytest.fixture
def fingerprinted(monkeypatch) -> list[str]:
    """The print fingerprints a build computes."""
    calls: list[str] = []
    for name in ("print_fingerprint",):
        real = getattr(print_pages, name)

        def spy(*args, real=real, name=name, **kwargs):
            calls.append(name)
            return real(*args, **kwargs)

        monkeypatch.setattr(print_pages, name, spy)
    return calls


def test_whole_glossary_pages_follow_the_revision(project: Path, tmp_path: Path,
                                                   fingerprinted) -> None:
    settings = load_settings(cwd=project)
    site = settings.build_dir / "site"
    pipeline.build(settings, ["site"])
    manifest = site_manifest.load(settings.build_dir / MANIFEST).lines
    assert manifest
    pipeline.build(settings, ["site"])  # nothing changed: the same keys, nothing written
    assert site_manifest.load(settings.build_dir / MANIFEST).lines == manifest
    before = tree(site)
    path = project / "terms" / "transparency.toml"
    text = path.read_text(encoding="utf-8")
    assert 'text = "transparency"' in text
    path.write_text(text.replace('text = "transparency"', 'text = "openness of AI"', 1),
                    encoding="utf-8")
    pipeline.build(settings, ["site"])
    assert fingerprinted == []
    after = tree(site)
    for name in ("print.html", "km/print.html", "search-index.js"):
        assert after[name] != before[name]
    assert "openness of AI" in after["search-index.js"].decode("utf-8")
    assert "openness of AI" in after["print.html"].decode("utf-8")
    clean = tmp_path / "clean"
    shutil.copytree(project, clean, ignore=shutil.ignore_patterns("build"))
    pipeline.build(load_settings(cwd=clean), ["site"])
    assert after == tree(clean / "build" / "site")


def test_the_reading_setting_is_part_of_the_key() -> None:
    on = print_pages.whole_fingerprint("3f2a9c1d0e4b", True, lambda: b"unused")
    off = print_pages.whole_fingerprint("3f2a9c1d0e4b", False, lambda: b"unused")
    other = print_pages.whole_fingerprint("3f2a9c1d0e4c", True, lambda: b"unused")
    assert len({on, off, other}) == 3


def test_without_a_revision_the_content_is_read() -> None:
    assert print_pages.whole_fingerprint("", True, lambda: b"every concept") == b"every concept"


def test_a_definition_edit_does_not_remake_the_search_index(project: Path,
                                                          monkeypatch) -> None:
    from glossary.site import searchindex

    settings = load_settings(cwd=project)
    pipeline.build(settings, ["site"])
    made: list[int] = []
    real = searchindex.index_pieces
    monkeypatch.setattr(searchindex, "index_pieces",
                        lambda *a, **k: made.append(1) or real(*a, **k))
    path = project / "terms" / "transparency.toml"
    text = path.read_text(encoding="utf-8")
    old = text.split("[en.definition]", 1)[1].split('text = "', 1)[1].split('"', 1)[0]
    path.write_text(text.replace(old, "A new definition of transparency.", 1),
                    encoding="utf-8")
    pipeline.build(settings, ["site"])
    assert made == []
    site = settings.build_dir / "site"
    assert "A new definition of transparency." in (site / "print.html").read_text("utf-8")
