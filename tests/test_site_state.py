"""What the last site build was made from (``glossary/site/state.py``): after one edit
only the edited concept (and the concepts that link to it) are looked at, the index
pages are left alone when no term changed, and every change the state does not see
(a domain or document, a catalog, a template, a damaged state, an interrupted build)
still ends with the bytes of a clean build."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from glossary import pipeline
from glossary.config import load_settings
from glossary.site import build as site_build
from glossary.site import letters as site_letters
from glossary.site import manifest as site_manifest
from glossary.site import pages, state, templating
from glossary.site.i18n import PACKAGE_LOCALE
from glossary.site.writer import SiteWriter
from tests.conftest import add_openness
from tests.site_support import tree
from tests.test_pieces import EDITS, _apply, make_project

DEFINITION = ("text = \"The principle that people affected by an AI system are told",
              "text = \"The principle that everyone affected by an AI system is told")


@pytest.fixture
def looked_at(monkeypatch) -> dict[str, list[str]]:
    """Which concepts got a page key computed, and whether the index pages were made."""
    calls: dict[str, list[str]] = {"concepts": [], "letters": []}
    real_links, real_letters = pages.links_fingerprint, site_letters.letter_pages

    def links(concept, model):  # type: ignore[no-untyped-def]
        calls["concepts"].append(concept.id)
        return real_links(concept, model)

    def letters(model, fingerprints=None, only=None):  # type: ignore[no-untyped-def]
        calls["letters"].append("made")
        return real_letters(model, fingerprints, only)

    monkeypatch.setattr(pages, "links_fingerprint", links)
    monkeypatch.setattr(site_letters, "letter_pages", letters)
    return calls


def _assert_clean(project: Path, tmp_path: Path) -> None:
    clean = tmp_path / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    shutil.copytree(project, clean, ignore=shutil.ignore_patterns("build"))
    pipeline.build(load_settings(cwd=clean), ["site"])
    assert tree(project / "build" / "site") == tree(clean / "build" / "site")


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _build(project: Path) -> None:
    pipeline.build(load_settings(cwd=project), ["site"])


def test_a_definition_edit_looks_at_one_concept(project: Path, tmp_path: Path,
                                                looked_at: dict[str, list[str]]) -> None:
    _build(project)
    assert sorted(looked_at["concepts"]) == sorted(p.stem for p in
                                                   (project / "terms").glob("[!_]*.toml"))
    assert looked_at["letters"]
    looked_at["concepts"].clear()
    looked_at["letters"].clear()
    _replace(project / "terms" / "transparency.toml", *DEFINITION)
    _build(project)
    assert looked_at == {"concepts": ["transparency"], "letters": []}
    site = project / "build" / "site"
    assert b"everyone affected" in (site / "concepts" / "transparency.html").read_bytes()
    assert b"everyone affected" in (site / "print.html").read_bytes()
    _assert_clean(project, tmp_path)
    looked_at["concepts"].clear()
    looked_at["letters"].clear()
    _build(project)  # nothing changed: nothing looked at
    assert looked_at == {"concepts": [], "letters": []}


def test_a_concept_page_removed_by_hand_is_made_again_after_an_edit(
        project: Path, tmp_path: Path, looked_at: dict[str, list[str]]) -> None:
    """The pages of unchanged concepts are kept only while both are there: one removed
    by hand brings back both of its concept's pages, and nothing else is looked at."""
    _build(project)
    site = project / "build" / "site"
    (site / "km" / "concepts" / "hallucination.html").unlink()
    looked_at["concepts"].clear()
    _replace(project / "terms" / "transparency.toml", *DEFINITION)
    _build(project)
    assert sorted(looked_at["concepts"]) == ["hallucination", "transparency"]
    assert (site / "km" / "concepts" / "hallucination.html").is_file()
    _assert_clean(project, tmp_path)


def test_a_renamed_term_remakes_the_index_and_the_pages_that_link_to_it(
        project: Path, tmp_path: Path, looked_at: dict[str, list[str]]) -> None:
    _build(project)
    looked_at["concepts"].clear()
    looked_at["letters"].clear()
    _replace(project / "terms" / "machine-learning.toml", 'text = "machine learning"',
             'text = "statistical learning"')
    _build(project)
    # ai-model and artificial-intelligence name it in their see-also lists
    assert sorted(looked_at["concepts"]) == ["ai-model", "artificial-intelligence",
                                             "machine-learning"]
    assert looked_at["letters"] == ["made"]
    site = project / "build" / "site"
    assert b"statistical learning" in (site / "concepts" / "ai-model.html").read_bytes()
    assert b"statistical learning" in (site / "letters" / "en-s.html").read_bytes()
    assert b"statistical learning" in (site / "search-index.js").read_bytes()
    _assert_clean(project, tmp_path)


def _domain_label(project: Path) -> None:
    _replace(project / "terms" / "_domains.toml", 'en = "Machine learning"',
             'en = "Learning machines"')


def _section_title(project: Path) -> None:
    _replace(project / "terms" / "_sources.toml", 'title = "Fairness and Equity"',
             'title = "Fairness, equity and non-discrimination"')


def _catalog(project: Path) -> None:
    po = project / "locale" / "km" / "LC_MESSAGES" / "ui.po"
    _replace(po, 'msgid "Browse"\nmsgstr "រុករក"', 'msgid "Browse"\nmsgstr "រុករកពាក្យ"')


def _removed(project: Path) -> None:
    (project / "terms" / "ai-model.toml").unlink()
    _replace(project / "terms" / "machine-learning.toml",
             'see_also = ["artificial-intelligence", "ai-model"]',
             'see_also = ["artificial-intelligence"]')


def _added(project: Path) -> None:
    add_openness(project)


CHANGES: dict[str, Callable[[Path], None]] = {
    "domain label": _domain_label, "section title": _section_title,
    "interface catalog": _catalog, "concept removed": _removed, "concept added": _added,
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_changes_beside_the_concepts_end_as_a_clean_build(project: Path, tmp_path: Path,
                                                          change: str) -> None:
    po = project / "locale" / "km" / "LC_MESSAGES" / "ui.po"
    po.parent.mkdir(parents=True)
    shutil.copy(PACKAGE_LOCALE / "km" / "LC_MESSAGES" / "ui.po", po)
    _build(project)
    before = tree(project / "build" / "site")
    CHANGES[change](project)
    _build(project)
    assert tree(project / "build" / "site") != before
    _assert_clean(project, tmp_path)


def test_an_edited_template_ends_as_a_clean_build(project: Path, tmp_path: Path,
                                                  monkeypatch) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(templating.TEMPLATES, templates)
    monkeypatch.setattr(templating, "TEMPLATES", templates)
    _build(project)
    _replace(templates / "letter.html", "<h1", '<h1 data-edited="yes"')
    _replace(project / "terms" / "transparency.toml", *DEFINITION)
    _build(project)
    assert b'data-edited="yes"' in (project / "build" / "site" / "letters" /
                                    "en-t.html").read_bytes()
    _assert_clean(project, tmp_path)


@pytest.mark.parametrize("damage", ["garbage", "digest", "generation", "shape", "uneven",
                                    "stale", "missing"])
def test_a_damaged_state_is_never_trusted(project: Path, tmp_path: Path, damage: str,
                                          looked_at: dict[str, list[str]]) -> None:
    _build(project)
    path = project / "build" / ".cache" / state.STATE_NAME
    raw = path.read_bytes()
    head, _, body = raw.partition(b"\n")
    if damage == "garbage":
        path.write_bytes(b"\x00\xffnot a state")
    elif damage == "digest":  # a byte changed: the digest no longer matches
        path.write_bytes(raw.replace(b'"index":"', b'"index":"0', 1))
    elif damage == "generation":  # a state saved by another build than the manifest's
        body = body.replace(b'"generation":"', b'"generation":"0', 1)
        path.write_bytes(state.digest(body).encode() + b"\n" + body)
    elif damage == "shape":
        body = b'{"version":%d,"generation":[],"concepts":"x"}' % state.STATE_VERSION
        path.write_bytes(state.digest(body).encode() + b"\n" + body)
    elif damage == "uneven":  # a sound file with one file digest fewer than ids
        data = json.loads(body)
        data["concepts"]["files"] = data["concepts"]["files"].partition("\n")[2]
        body = json.dumps(data).encode()
        path.write_bytes(state.digest(body).encode() + b"\n" + body)
    elif damage == "stale":  # the state of an older glossary, kept after a newer build
        old = raw
        _replace(project / "terms" / "transparency.toml", *DEFINITION)
        _build(project)
        path.write_bytes(old)
        _replace(project / "terms" / "transparency.toml", DEFINITION[1], DEFINITION[0])
    elif damage == "missing":
        path.unlink()
    looked_at["concepts"].clear()
    if damage != "stale":
        _replace(project / "terms" / "transparency.toml", *DEFINITION)
    _build(project)
    assert len(looked_at["concepts"]) == 5  # the long way: every concept looked at
    _assert_clean(project, tmp_path)


def test_an_interrupted_build_is_not_trusted_after_a_revert(project: Path, tmp_path: Path,
                                                            monkeypatch) -> None:
    """A build that wrote a page and then failed: the manifest still has the old key, so
    without the journal, reverting the edit would keep the interrupted build's page."""
    _build(project)
    concept = project / "terms" / "transparency.toml"
    _replace(concept, *DEFINITION)
    real = SiteWriter.write

    def fail_after_concepts(self, rel, data, key="", identity=""):  # type: ignore[no-untyped-def]
        real(self, rel, data, key, identity)
        if rel == "km/concepts/transparency.html":
            raise KeyboardInterrupt

    monkeypatch.setattr(SiteWriter, "write", fail_after_concepts)
    with pytest.raises(KeyboardInterrupt):
        _build(project)
    monkeypatch.setattr(SiteWriter, "write", real)
    assert b"everyone affected" in (project / "build" / "site" / "concepts" /
                                    "transparency.html").read_bytes()
    assert (project / "build" / ".cache" / site_build.JOURNAL).is_file()
    _replace(concept, DEFINITION[1], DEFINITION[0])  # back to what the manifest knows
    _build(project)
    assert b"everyone affected" not in (project / "build" / "site" / "concepts" /
                                        "transparency.html").read_bytes()
    assert not (project / "build" / ".cache" / site_build.JOURNAL).exists()
    _assert_clean(project, tmp_path)


def test_only_a_stopped_site_build_has_its_pages_searched_for_temporaries(
        project: Path, monkeypatch) -> None:
    """A build killed between writing a page's temporary file and putting it in place
    leaves the file: the next build removes it (its journal says the site was being
    written). After a build that ended, the site holds none, and its files are not
    walked for them."""
    from glossary import lock, output
    from glossary.site.writer import left_no_temporaries

    site, cache = project / "build" / "site", project / "build" / ".cache"
    assert not left_no_temporaries(site, cache)  # no site yet
    _build(project)
    assert left_no_temporaries(site, cache)
    _replace(project / "terms" / "transparency.toml", *DEFINITION)
    real = output.replace_derived

    def killed(tmp, path):  # type: ignore[no-untyped-def]
        if str(path).endswith("concepts/transparency.html"):
            raise KeyboardInterrupt
        real(tmp, path)

    monkeypatch.setattr(output, "replace_derived", killed)
    with pytest.raises(KeyboardInterrupt):
        _build(project)
    monkeypatch.setattr(output, "replace_derived", real)
    left = [p.name for p in (site / "concepts").iterdir() if p.name.endswith(".tmp")]
    assert left and not left_no_temporaries(site, cache)
    walked: list[list[Path]] = []
    real_remove = lock.remove_stale_temporaries

    def remove(folder, **kwargs):  # type: ignore[no-untyped-def]
        walked.append(list(kwargs.get("skip", ())))
        return real_remove(folder, **kwargs)

    monkeypatch.setattr(pipeline, "remove_stale_temporaries", remove)
    _build(project)
    assert not [p for p in site.rglob("*") if p.name.endswith(".tmp")]
    _build(project)
    assert walked == [[], [site]]  # the site is skipped once a build ended cleanly
    shutil.rmtree(cache)  # the journal with it: nothing vouches for the site any more
    assert not left_no_temporaries(site, cache)


def _manifest_damage(project: Path, damage: str) -> None:
    path = project / "build" / site_manifest.MANIFEST
    raw = path.read_bytes()
    if damage == "truncated":
        path.write_bytes(raw[:len(raw) // 2])
    elif damage == "corrupt":  # one byte of a key changed: the digest no longer matches
        at = raw.rindex(b"\t") + 1
        path.write_bytes(raw[:at] + (b"0" if raw[at:at + 1] != b"0" else b"1") + raw[at + 1:])
    elif damage == "foreign":
        path.write_bytes(b'{"version": 2, "generation": "x", "files": {}}\n')
    elif damage == "version":  # a sound manifest of another version
        head, _, rest = raw.partition(b"\n")
        path.write_bytes(head.replace(b" %d " % site_manifest.VERSION, b" 99 ", 1)
                         + b"\n" + rest)
    elif damage == "missing":
        path.unlink()
    elif damage == "page added by hand":  # its folder changed: each page looked at
        (project / "build" / "site" / "concepts" / "mine.html").write_text("mine")


@pytest.mark.parametrize("damage", ["none", "truncated", "corrupt", "foreign", "version",
                                    "missing", "page added by hand"])
def test_a_damaged_manifest_means_a_whole_build(project: Path, tmp_path: Path, damage: str,
                                               looked_at: dict[str, list[str]],
                                               monkeypatch) -> None:
    """After one edit the concept pages are kept all at once (no page checked one by
    one), unless the manifest is damaged (every page looked at: a whole build) or a
    concept folder changed since (each page checked against the manifest)."""
    _build(project)
    _manifest_damage(project, damage)
    one_by_one: list[int] = []
    real = SiteWriter.keep_many
    monkeypatch.setattr(SiteWriter, "keep_many",
                        lambda self, rels: one_by_one.append(len(rels)) or real(self, rels))
    looked_at["concepts"].clear()
    _replace(project / "terms" / "transparency.toml", *DEFINITION)
    _build(project)
    if damage in ("none", "page added by hand"):
        assert looked_at["concepts"] == ["transparency"]
        assert bool(one_by_one) == (damage != "none")
    else:
        assert len(looked_at["concepts"]) == 5
    assert site_manifest.load(project / "build" / site_manifest.MANIFEST).lines
    if damage == "page added by hand":  # not the site's: left alone
        (project / "build" / "site" / "concepts" / "mine.html").unlink()
    _assert_clean(project, tmp_path)


#: The index pages that list the concept ``transparency`` of the mini glossary
TRANSPARENCY_PAGES = {"letters/en-t.html", "letters/km-178f.html",
                      "documents/asean-guide-2024.html", "domains/transparency.html",
                      "domains/ethics.html"}


@pytest.mark.parametrize("edit, placed", [
    (('text = "តម្លាភាព"', 'text = "តម្លាភាពពេញលេញ"'), True),  # the same letter
    (('text = "transparency"', 'text = "transparency principle"'), True),
    (('text = "តម្លាភាព"', 'text = "ភាពថ្លាថ្លៃ"'), False),  # another Khmer letter
    (('domains = ["transparency", "ethics"]', 'domains = ["transparency"]'), False),
    (('type = "fullForm"\nreview = "proposed"', 'type = "fullForm"\nreview = "rejected"'),
     False),  # the review progress counts it elsewhere
], ids=["khmer-same-letter", "english-same-letter", "khmer-other-letter", "domain-left",
        "review"])
def test_an_edit_that_keeps_a_concepts_place_looks_at_its_index_pages_only(
        project: Path, tmp_path: Path, monkeypatch, edit: tuple[str, str],
        placed: bool) -> None:
    """A term edit that leaves the concept under the same letters, citing the same
    sections, in the same domains, with the same review states: the index pages that
    list it are looked at, every other is kept, and so are the counts. Any other edit
    looks at every index page. Either way, the bytes of a clean build."""
    looked: list[set[str]] = []
    real = site_build._placed_index_specs

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        found = real(*args, **kwargs)
        if found is not None:
            looked.append({spec.path for spec in found[1]})
        return found

    monkeypatch.setattr(site_build, "_placed_index_specs", spy)
    _build(project)
    _replace(project / "terms" / "transparency.toml", *edit)
    _build(project)
    assert looked == ([TRANSPARENCY_PAGES] if placed else [])
    _assert_clean(project, tmp_path)


#: The edits of ``tests.test_pieces``, with English texts under the letters of the mini
#: glossary's headwords (a, h, m, t) too, so that many edits keep a concept's place
SITE_OPS = st.lists(st.tuples(
    st.sampled_from(EDITS), st.integers(0, 10),
    st.sampled_from(["a term", "hallucinated answer", "model card", "transparent",
                     "bias audit", "risk & <safety>"])), min_size=1, max_size=4)


@hypothesis_settings(max_examples=10, deadline=None,
                     suppress_health_check=[HealthCheck.too_slow])
@given(ops=SITE_OPS)
def test_a_site_built_after_each_random_edit_ends_as_a_clean_build(ops) -> None:
    """Headwords, definitions, reviews and see-also lists edited, concepts added and
    deleted, with a site build after each edit (each taking the way the state allows:
    kept pages, the index pages of the edited concepts only, or every index page): the
    last site is the one a clean build makes."""
    with tempfile.TemporaryDirectory() as scratch:
        project = make_project(Path(scratch) / "project")
        config = load_settings(cwd=project)
        _build(project)
        for step, (op, pick, text) in enumerate(ops):
            _apply(config, op, pick, text, step)
            _build(project)
        _assert_clean(project, Path(scratch))


def test_an_index_page_removed_by_hand_is_made_again_by_a_placed_edit(
        project: Path, tmp_path: Path) -> None:
    """An edit that keeps its concept's place keeps the other index pages only while the
    site's list of pages vouches for each: one removed by hand since is made again."""
    _build(project)
    site = project / "build" / "site"
    (site / "km" / "letters" / "en-a.html").unlink()
    _replace(project / "terms" / "transparency.toml", 'text = "តម្លាភាព"',
             'text = "តម្លាភាពពេញលេញ"')
    _build(project)
    assert (site / "km" / "letters" / "en-a.html").is_file()
    _assert_clean(project, tmp_path)
