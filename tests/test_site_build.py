"""Building the site: CLI, determinism, incremental rebuilds, the writer, strictness."""

from __future__ import annotations

import shutil
import threading
import urllib.request
from pathlib import Path

import jinja2
import pytest
from markupsafe import escape

from glossary import loader, pipeline
from glossary.config import load_settings
from glossary.errors import GlossaryError
from glossary.site import manifest as site_manifest
from glossary.site.build import build_site as build_site_report
from glossary.site.i18n import load_language
from glossary.site.templating import Renderer, make_environment
from glossary.site.views import PageInfo
from glossary.site.writer import SiteError, SiteWriter
from tests.site_support import build_site, make_project, tree


class _Html:
    """An object that renders itself as HTML (``__html__``), as some libraries' do."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __html__(self) -> str:
        return f"<b>{escape(self.text)}</b>"


def test_glossary_build_writes_the_site(cli, project):
    result = cli("build")
    assert result.exit_code == 0, result.output
    assert "build/site" in result.output and "build/glossary.db" in result.output
    assert (project / "build/site/index.html").is_file()
    assert (project / "build/site/km/index.html").is_file()


def test_build_only_site(cli, project):
    result = cli("build", "--only", "site")
    assert result.exit_code == 0, result.output
    assert (project / "build/site/concepts/ai-model.html").is_file()
    assert not (project / "build/glossary.db").exists()


def test_same_input_same_bytes(tmp_path):
    one = build_site(make_project(tmp_path / "one", "rich"))
    two = build_site(make_project(tmp_path / "two", "rich"))
    assert tree(one) == tree(two)
    before = tree(one)
    settings = load_settings(cwd=tmp_path / "one")
    loaded = loader.load_valid(settings)
    shutil.rmtree(one)
    build_site_report(pipeline.RenderContext(loaded.glossary, settings, loaded.revision),
                      incremental=False)
    assert tree(one) == before


def test_build_date_only_with_source_date_epoch(tmp_path, monkeypatch):
    site = build_site(make_project(tmp_path / "p"))
    assert "built on" not in (site / "index.html").read_text(encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1744588800")  # 2025-04-14
    build_site(tmp_path / "p")
    assert "built on April 14, 2025" in (site / "index.html").read_text(encoding="utf-8")
    assert "១៤ មេសា ២០២៥" in (site / "km/index.html").read_text(encoding="utf-8")


def _report(project: Path):
    settings = load_settings(cwd=project)
    loaded = loader.load_valid(settings)
    return build_site_report(pipeline.RenderContext(loaded.glossary, settings, loaded.revision))


def test_rebuild_without_changes_renders_and_writes_nothing(tmp_path):
    project = make_project(tmp_path / "p", "rich")
    first = _report(project)
    assert len(first.stats.written) > 50
    second = _report(project)
    assert second.stats.written == []
    assert second.stats.skipped_render == second.pages + 1  # and search-index.js


def test_one_changed_concept_rewrites_only_the_pages_that_show_it(tmp_path):
    project = make_project(tmp_path / "p", "rich")
    _report(project)
    site = project / "build/site"
    untouched = site / "concepts/transparency.html"
    stamp = untouched.stat().st_mtime_ns
    path = project / "terms/hallucination.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Output of a generative AI system", "Output of a GenAI system"),
                    encoding="utf-8")
    report = _report(project)
    written = set(report.stats.written)
    assert {"concepts/hallucination.html", "km/concepts/hallucination.html"} <= written
    # the definition shows only on the concept's own pages and the print page (which
    # can include definitions); home, the approved-only page and Downloads show the
    # glossary's revision
    assert written - {"concepts/hallucination.html", "km/concepts/hallucination.html",
                      "index.html", "km/index.html", "print.html", "km/print.html",
                      "approved.html", "km/approved.html", "downloads.html",
                      "km/downloads.html"} == set()
    assert untouched.stat().st_mtime_ns == stamp


def test_renamed_term_updates_every_page_that_names_it(tmp_path):
    project = make_project(tmp_path / "p", "rich")
    _report(project)
    path = project / "terms/ai-model.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('text = "AI model"',
                                                             'text = "AI models"'),
                    encoding="utf-8")
    written = set(_report(project).stats.written)
    # its own pages, the concept that links to it, the indexes, print, document, search
    for rel in ("concepts/ai-model.html", "concepts/machine-learning.html",
                "letters/en-a.html", "print.html", "documents/asean-guide-2024.html",
                "search-index.js", "km/concepts/machine-learning.html"):
        assert rel in written, rel
    assert "concepts/transparency.html" not in written
    assert "AI models" in (project / "build/site/concepts/machine-learning.html").read_text(
        encoding="utf-8")


def test_removed_concept_loses_its_pages(tmp_path):
    project = make_project(tmp_path / "p", "rich")
    _report(project)
    (project / "terms/island-term.toml").unlink()
    report = _report(project)
    assert "concepts/island-term.html" in report.stats.removed
    assert not (project / "build/site/km/concepts/island-term.html").exists()


def test_a_deleted_page_is_written_again(tmp_path):
    project = make_project(tmp_path / "p")
    _report(project)
    page = project / "build/site/concepts/ai-model.html"
    page.unlink()
    assert "concepts/ai-model.html" in _report(project).stats.written
    assert page.is_file()


def test_writer_refuses_to_write_a_path_twice(tmp_path):
    tmp_path = tmp_path / "site"  # the manifest goes beside the site
    tmp_path.mkdir()
    writer = SiteWriter(tmp_path)
    writer.write("concepts/a.html", "one")
    with pytest.raises(SiteError, match="two pages would be written to concepts/a.html"):
        writer.write("concepts/a.html", "two")
    assert (tmp_path / "concepts/a.html").read_text() == "one"


def test_writer_refuses_paths_outside_the_site(tmp_path):
    writer = SiteWriter(tmp_path / "site")
    for bad in ("../escape.html", "/etc/passwd", "a/../../b.html", "a/./b.html", "a//b", ""):
        with pytest.raises(SiteError):
            writer.write(bad, "x")


def test_writer_skips_identical_bytes_and_keeps_a_manifest(tmp_path):
    tmp_path = tmp_path / "site"  # the manifest goes beside the site
    tmp_path.mkdir()
    writer = SiteWriter(tmp_path)
    writer.write("a.html", "same", key="k1")
    writer.finish()
    again = SiteWriter(tmp_path)
    again.write("a.html", "same", key="k2")
    assert again.stats.written == [] and again.stats.unchanged == 1
    assert SiteWriter(tmp_path).unchanged("a.html", "k1")
    assert not SiteWriter(tmp_path).unchanged("a.html", "other")


def test_writer_replaces_a_leftover_file_it_did_not_write(tmp_path):
    tmp_path = tmp_path / "site"  # the manifest goes beside the site
    tmp_path.mkdir()
    # a page half-written by a crashed build is not in the manifest: it is replaced
    (tmp_path / "concepts").mkdir()
    (tmp_path / "concepts/a.html").write_text("<html><bo")
    writer = SiteWriter(tmp_path)
    writer.write("concepts/a.html", "whole page", key="k")
    writer.write("concepts/b.html", "new page", key="k")
    writer.finish()
    assert (tmp_path / "concepts/a.html").read_text() == "whole page"
    assert (tmp_path / "concepts/b.html").read_text() == "new page"
    assert sorted(p.name for p in (tmp_path / "concepts").iterdir()) == ["a.html", "b.html"]


def test_writer_replaces_a_page_it_wrote_before_atomically(tmp_path):
    tmp_path = tmp_path / "site"  # the manifest goes beside the site
    tmp_path.mkdir()
    writer = SiteWriter(tmp_path)
    writer.write("a.html", "first", key="k1")
    writer.finish()
    page = tmp_path / "a.html"
    before = page.stat().st_ino
    again = SiteWriter(tmp_path)
    again.write("a.html", "second", key="k2")
    again.finish()
    # a new inode: readers holding the old file keep reading a whole page
    assert page.read_text() == "second" and page.stat().st_ino != before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_misspelt_attribute_is_located_in_its_template(tmp_path):
    renderer = Renderer({"en": load_language("en", None)})
    env = renderer.envs["en"]
    (tmp_path / "broken.html").write_text("<p>\n{{ view.nope }}</p>\n", encoding="utf-8")
    env.loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(tmp_path)), env.loader])
    with pytest.raises(SiteError, match="has no attribute 'nope'") as info:
        renderer.render(PageInfo("broken.html", "x.html", "en"), view=object())
    assert info.value.line == 2 and str(info.value.path).endswith("broken.html")


def test_strict_undefined_catches_a_missing_variable(tmp_path):
    env = make_environment(load_language("en", None))
    with pytest.raises(Exception, match="nope"):
        env.from_string("<p>{{ nope }}</p>").render()
    renderer = Renderer({"en": load_language("en", None)})
    page = PageInfo("concept.html", "concepts/x.html", "en")
    with pytest.raises(SiteError, match="concepts/x.html") as info:
        renderer.render(page, view=object())  # a view without the fields the page uses
    assert isinstance(info.value, GlossaryError)


def test_autoescape_is_on():
    env = make_environment(load_language("en", None))
    assert env.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"


def test_project_locale_overrides_the_packaged_catalog(tmp_path, cli, project):
    po = project / "locale/km/LC_MESSAGES/ui.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
                  '"Language: km\\n"\n\nmsgid "Search"\nmsgstr "រកមើល"\n', encoding="utf-8")
    assert cli("build", "--only", "site").exit_code == 0
    assert "រកមើល" in (project / "build/site/km/index.html").read_text(encoding="utf-8")


def test_broken_catalog_is_a_clear_error(cli, project):
    po = project / "locale/km/LC_MESSAGES/ui.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid "Search"\nmsgid "Browse"\nmsgstr "x"\n', encoding="utf-8")
    result = cli("build", "--only", "site")
    assert result.exit_code == 2
    assert "Error:" in result.output and "ui.po" in result.output


def test_serve_binds_to_loopback_and_serves_the_site(cli, project):
    from glossary.cli.site import make_server

    assert cli("build", "--only", "site").exit_code == 0
    server = make_server(project / "build/site", 0, quiet=True)
    host, port = server.server_address[:2]
    assert host == "127.0.0.1"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/km/index.html", timeout=10) as r:
            assert r.status == 200
            assert '<html lang="km">' in r.read().decode("utf-8")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_serve_without_a_site_says_what_to_do(cli):
    result = cli("serve", "--port", "0")
    assert result.exit_code == 2
    assert "Error: no site in" in result.output and "glossary build" in result.output


def test_the_manifest_is_kept_outside_the_published_site(tmp_path):
    site = build_site(make_project(tmp_path / "p"))
    assert not (site / ".manifest.json").exists()
    assert not [p for p in site.rglob(".*") if p.is_file()]
    assert (site.parent / ".site-manifest").is_file()


def test_a_tampered_manifest_never_deletes_outside_the_site(tmp_path):
    """Issue 18, 1: paths in the manifest are data; a build deletes only its own pages."""

    project = make_project(tmp_path / "p")
    site = build_site(project)
    victim = project / "terms" / "victim.txt"
    victim.write_text("keep me")
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me too")
    (site / "link").symlink_to(tmp_path)
    manifest = site.parent / ".site-manifest"
    old = site_manifest.load(manifest)
    forged = [rel + "\tk\td" for rel in (
        "../../terms/victim.txt", "../p/terms/victim.txt", str(outside),
        "concepts/../../terms/victim.txt", "link/outside.txt", "./x", "a\\..\\b")]
    manifest.write_bytes(site_manifest.dump([*old.lines, *forged], old.generation,
                                            old.folders))
    build_site(project)
    assert victim.read_text() == "keep me" and outside.read_text() == "keep me too"
    assert (site / "index.html").is_file()
