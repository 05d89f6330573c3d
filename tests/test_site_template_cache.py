"""Compiled templates kept between builds (``glossary/site/template_cache.py``): a
build after an edit compiles no template, and a changed catalog, a changed template or
a damaged cache file gives the pages of a clean build (compiled again, never stale)."""

from __future__ import annotations

import shutil
from pathlib import Path

import jinja2
import pytest

from glossary import pipeline
from glossary.config import load_settings
from glossary.site import template_cache, templating
from glossary.site.i18n import PACKAGE_LOCALE
from tests.site_support import clean_site, tree

BROWSE_KM = "រុករក"
LANGS: list[str] = []  # the language of each template in ``compiled``  # the Khmer of "Browse", folded into km/browse.html when compiled


@pytest.fixture
def compiled(monkeypatch) -> list[str]:
    """The templates jinja2 compiles (the others come from the cache), by name; the
    language of each is in ``compiled_in``."""
    names: list[str] = []
    real = jinja2.Environment.compile

    def spy(self, source, name=None, filename=None, raw=False, defer_init=False):  # type: ignore[no-untyped-def]
        names.append(name)
        cache = self.bytecode_cache
        LANGS.append(cache.lang if cache is not None else "")
        return real(self, source, name, filename, raw, defer_init)

    LANGS.clear()

    monkeypatch.setattr(jinja2.Environment, "compile", spy)
    return names


def _edit_definition(project: Path, text: str = "openness of AI") -> None:
    path = project / "terms" / "transparency.toml"
    old = path.read_text(encoding="utf-8")
    before = 'text = "transparency"' if 'text = "transparency"' in old else \
        'text = "openness of AI"'
    assert before in old
    path.write_text(old.replace(before, f'text = "{text}"', 1), encoding="utf-8")


def _cache_files(project: Path) -> list[Path]:
    return sorted((load_settings(cwd=project).cache_dir / template_cache.DIRECTORY).glob("*"))


def test_a_build_after_an_edit_compiles_no_template(project: Path, tmp_path: Path,
                                                     compiled: list[str]) -> None:
    settings = load_settings(cwd=project)
    pipeline.build(settings, ["site"])
    assert "concept.html" in compiled and "print.html" in compiled
    names = {p.name.split("-")[0] for p in _cache_files(project)}
    assert names == {"en", "km"}
    compiled.clear()
    _edit_definition(project)
    pipeline.build(settings, ["site"])
    assert compiled == []
    assert b"openness of AI" in (settings.build_dir / "site" / "print.html").read_bytes()
    assert tree(settings.build_dir / "site") == clean_site(project, tmp_path / "clean")


def test_a_changed_interface_catalog_compiles_the_khmer_templates_again(
        project: Path, tmp_path: Path, compiled: list[str]) -> None:
    po = project / "locale" / "km" / "LC_MESSAGES" / "ui.po"
    po.parent.mkdir(parents=True)
    shutil.copy(PACKAGE_LOCALE / "km" / "LC_MESSAGES" / "ui.po", po)
    settings = load_settings(cwd=project)
    pipeline.build(settings, ["site"])
    browse = settings.build_dir / "site" / "km" / "browse.html"
    assert f"<title>{BROWSE_KM}".encode() in browse.read_bytes()
    text = po.read_text(encoding="utf-8")
    assert f'msgid "Browse"\nmsgstr "{BROWSE_KM}"' in text
    po.write_text(text.replace(f'msgid "Browse"\nmsgstr "{BROWSE_KM}"',
                               'msgid "Browse"\nmsgstr "រុករកពាក្យ"'), encoding="utf-8")
    compiled.clear()
    pipeline.build(settings, ["site"])
    assert "browse.html" in compiled
    assert "<title>រុករកពាក្យ".encode() in browse.read_bytes()
    assert tree(settings.build_dir / "site") == clean_site(project, tmp_path / "clean")


def test_an_edited_template_is_compiled_again(project: Path, tmp_path: Path, monkeypatch,
                                              compiled: list[str]) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(templating.TEMPLATES, templates)
    monkeypatch.setattr(templating, "TEMPLATES", templates)
    settings = load_settings(cwd=project / ".")
    pipeline.build(settings, ["site"])
    browse = templates / "browse.html"
    text = browse.read_text(encoding="utf-8")
    browse.write_text(text.replace("<h1>", '<h1 class="edited">', 1), encoding="utf-8")
    compiled.clear()
    pipeline.build(settings, ["site"])
    assert compiled == ["browse.html", "browse.html"]  # one per language
    for rel in ("browse.html", "km/browse.html"):
        assert b'<h1 class="edited">' in (settings.build_dir / "site" / rel).read_bytes()
    assert tree(settings.build_dir / "site") == clean_site(project, tmp_path / "clean")


@pytest.mark.parametrize("damage", ["empty", "truncated", "flipped", "garbage",
                                    "other-language", "unwritable"])
def test_a_damaged_cache_is_compiled_again(project: Path, tmp_path: Path,
                                           compiled: list[str], damage: str) -> None:
    settings = load_settings(cwd=project)
    pipeline.build(settings, ["site"])
    files = _cache_files(project)
    assert files
    for path in files:
        raw = path.read_bytes()
        if damage == "empty":
            path.write_bytes(b"")
        elif damage == "truncated":
            path.write_bytes(raw[: len(raw) // 2])
        elif damage == "flipped":  # one byte of the compiled code changed
            path.write_bytes(raw[:-10] + bytes([raw[-10] ^ 0x55]) + raw[-9:])
        elif damage == "garbage":
            path.write_bytes(b"\x80\x04not a template" * 10)
        elif damage == "other-language" and path.name.startswith("km-"):
            shutil.copy(path.with_name("en-" + path.name[3:]), path)
    if damage == "unwritable":  # the cache folder cannot be made: no error, no cache
        shutil.rmtree(files[0].parent)
        files[0].parent.write_text("a file where the folder was", encoding="utf-8")
    compiled.clear()
    LANGS.clear()
    _edit_definition(project)
    pipeline.build(settings, ["site"])
    assert "concept.html" in compiled and "km" in LANGS  # compiled again, not taken
    if damage == "other-language":
        assert set(LANGS) == {"km"}
    assert tree(settings.build_dir / "site") == clean_site(project, tmp_path / "clean")
    if damage != "unwritable":  # the files were made good again
        compiled.clear()
        _edit_definition(project, "openness of AI systems")
        pipeline.build(settings, ["site"])
        assert compiled == []
