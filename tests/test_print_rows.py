"""The printable glossary after one edit: only the edited concept's rows are rendered,
the others are taken from the last build's page, and the page is a clean build's."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from glossary import pipeline
from glossary.config import load_settings
from glossary.site import print_pages, print_rows
from glossary.site.manifest import checksum
from glossary.site.templating import Renderer
from tests.conftest import add_openness


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


def test_a_patched_page_is_the_same_where_the_kernel_cannot_copy(
        project: Path, tmp_path: Path, rendered, monkeypatch) -> None:
    """The old page's runs are copied by ``os.copy_file_range``; where it fails (another
    system, a file system without it) they are read and written: the same bytes."""
    settings = load_settings(cwd=project)
    pipeline.build(settings, ["site"])
    before = (settings.build_dir / "site" / "print.html").stat().st_ino

    def refuse(*args: object) -> int:
        raise OSError(38, "not here")

    monkeypatch.setattr(os, "copy_file_range", refuse, raising=False)
    _edit(project)
    rendered.clear()
    pipeline.build(settings, ["site"])
    assert dict(rendered) == {"print.html": 1, "km/print.html": 1}  # patched
    site = settings.build_dir / "site"
    assert (site / "print.html").stat().st_ino != before  # replaced, not changed in place
    assert _pages(site) == _pages(_clean_site(project, tmp_path))


@pytest.mark.parametrize("damage", ["page", "same-size", "state", "keys", "damaged-keys",
                                    "lengths", "not-lengths", "fewer-ids"])
def test_rows_are_reused_only_from_the_page_they_were_made_for(
        project: Path, tmp_path: Path, rendered, damage: str) -> None:
    settings = load_settings(cwd=project)
    pipeline.build(settings, ["site"])
    page = settings.build_dir / "site" / "print.html"
    state = settings.cache_dir / print_rows.STATE_NAME
    if damage == "page":  # edited by hand: its rows are not ours any more
        page.write_bytes(page.read_bytes().replace(b"</tr>\n", b"</tr>\n<!-- x -->", 1))
    elif damage == "same-size":  # one byte changed, the size and mtime as they were
        stat = page.stat()
        raw = page.read_bytes()
        at = raw.index(b"</tr>") - 1
        page.write_bytes(raw[:at] + (b"x" if raw[at:at + 1] != b"x" else b"y") + raw[at + 1:])
        os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    elif damage == "state":
        state.write_text("{not json", encoding="utf-8")
    elif damage in ("lengths", "not-lengths", "fewer-ids"):  # sound files, odd entries
        head, _, body = state.read_bytes().partition(b"\n")
        data = json.loads(body)
        entry = data["pages"]["print.html"]
        first, _, rest = entry["lengths"].partition("\n")
        if damage == "lengths":  # rows that do not add up to the page's
            entry["lengths"] = f"{int(first) + 1}\n{rest}"
        elif damage == "not-lengths":
            entry["lengths"] = f"many\n{rest}"
        else:
            entry["ids"] = entry["ids"].partition("\n")[2]
        body = json.dumps(data).encode()
        state.write_bytes(checksum(body).encode() + b"\n" + body)
    else:
        head, _, body = state.read_bytes().partition(b"\n")
        assert head == checksum(body).encode()
        data = json.loads(body)
        keys = data["pages"]["print.html"]["keys"].split("\n")
        data["pages"]["print.html"]["keys"] = "\n".join(reversed(keys))
        if damage == "keys":  # the keys of another page, in a sound file
            data["pages"]["print.html"]["digest"] = "0" * 32
            data["pages"]["print.html"]["stat"] = [1, 2, 3, 4]
            body = json.dumps(data).encode()
            state.write_bytes(checksum(body).encode() + b"\n" + body)
        else:  # the same file, changed: its checksum no longer matches
            state.write_bytes(head + b"\n" + json.dumps(data).encode())
    rendered.clear()
    _edit(project)
    pipeline.build(settings, ["site"])
    assert dict(rendered)["print.html"] > 1  # every row rendered again
    assert _pages(settings.build_dir / "site") == _pages(_clean_site(project, tmp_path))


def _approve(project: Path) -> None:
    path = project / "terms" / "hallucination.toml"
    text = path.read_text(encoding="utf-8")
    old = ('text = "ការប្រឌិតចម្លើយ"\nadmin_status = "preferred"\ntype = "fullForm"\n'
           'review = "proposed"\n')
    assert old in text
    path.write_text(text.replace(old, old.replace(
        'review = "proposed"\n',
        'review = "approved"\napproved_by = "Sokha Chan"\napproved_on = 2026-11-30\n')),
        encoding="utf-8")


KM_DEFINITION = "លទ្ធផលរបស់ប្រព័ន្ធបញ្ញាសិប្បនិម្មិតបង្កើតថ្មី"  # hallucination's, proposed


def _approve_definition(project: Path) -> None:
    path = project / "terms" / "hallucination.toml"
    text = path.read_text(encoding="utf-8")
    at = text.index("[km.definition]")
    old = 'review = "proposed"\n'
    assert text.index(old, at) < text.index("[[km.terms]]", at)
    path.write_text(text[:at] + text[at:].replace(old, 'review = "approved"\napproved_by = '
                                                  '"Sokha Chan"\napproved_on = 2026-12-01\n', 1),
                    encoding="utf-8")


def test_the_approved_list_shows_a_khmer_definition_once_it_is_approved(
        project: Path, tmp_path: Path) -> None:
    """The approved list holds what the approved downloads hold: a Khmer definition
    that is still a proposal is not printed beside an approved term; the full glossary
    prints it."""
    _approve(project)
    settings = load_settings(cwd=project)
    pipeline.build(settings, ["site"])
    site = settings.build_dir / "site"
    for name in ("approved.html", "km/approved.html"):
        assert "ការប្រឌិតចម្លើយ" in (site / name).read_text("utf-8")
        assert KM_DEFINITION not in (site / name).read_text("utf-8"), name
    assert KM_DEFINITION in (site / "print.html").read_text("utf-8")
    _approve_definition(project)
    pipeline.build(settings, ["site"])
    for name in ("approved.html", "km/approved.html"):
        assert KM_DEFINITION in (site / name).read_text("utf-8"), name


def _move(project: Path) -> None:  # the English term now sorts last, the Khmer first
    path = project / "terms" / "transparency.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('text = "transparency"', 'text = "zz transparency"', 1)
                    .replace('text = "តម្លាភាព"', 'text = "ក តម្លាភាព"', 1), encoding="utf-8")


def _retire(project: Path) -> None:
    path = project / "terms" / "hallucination.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('id = "hallucination"\n',
                                 'id = "hallucination"\nstatus = "retired"\n', 1),
                    encoding="utf-8")


def _add_and_remove(project: Path) -> None:
    add_openness(project)
    (project / "terms" / "hallucination.toml").unlink()


@pytest.mark.parametrize("change", [_approve, _approve_definition, _move, _retire,
                                    _add_and_remove],
                         ids=["approve", "approve-definition", "move", "retire",
                              "add-and-remove"])
def test_the_last_page_is_patched_where_concepts_changed(project: Path, tmp_path: Path,
                                                          rendered, change,
                                                          monkeypatch) -> None:
    """Only the rows of the concepts whose file changed are made and rendered (no page
    is made whole); they go where they sort (a row that moved, an added, a removed or
    retired concept, a Khmer term approved: on the approved list), and each page is a
    clean build's."""
    if change is not _approve:
        _approve(project)  # the approved list has a row
    settings = load_settings(cwd=project)
    pipeline.build(settings, ["site"])
    rendered.clear()
    change(project)
    whole: list[str] = []
    real = print_pages.print_view
    monkeypatch.setattr(print_pages, "print_view",
                        lambda *a, **k: whole.append("made") or real(*a, **k))
    pipeline.build(settings, ["site"])
    assert whole == []
    assert all(n <= 1 for _, n in rendered), rendered
    site = settings.build_dir / "site"
    clean = _clean_site(project, tmp_path)
    for name in ("print.html", "km/print.html", "approved.html", "km/approved.html"):
        assert (site / name).read_bytes() == (clean / name).read_bytes(), name
