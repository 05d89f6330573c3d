"""The parse cache (glossary.source.cache through glossary.loader.load_checked): whatever
happened to terms/ between two commands, a warm load gives exactly the glossary, the
problems and the revision of a cold read."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glossary import loader, pipeline, source, validate
from glossary.config import load_settings
from glossary.errors import ValidationFailed
from glossary.source import cache as cache_mod
from tests.conftest import DATA, ROOT

BAD = DATA / "bad"


def cold(terms: Path) -> tuple:
    """What a read without any cache finds (the reference)."""
    result = source.load_glossary(terms)
    loaded = loader.load_checked(terms, cache_dir=None)
    assert loaded.glossary == result.glossary
    return loaded.glossary, loaded.problems, loaded.revision


def warm(terms: Path, cache_dir: Path) -> loader.Loaded:
    return loader.load_checked(terms, cache_dir=cache_dir)


def same_as_cold(terms: Path, cache_dir: Path) -> loader.Loaded:
    loaded = warm(terms, cache_dir)
    quick = loader.check_folder(terms, True, cache_dir)  # from the summary when it can
    glossary, problems, revision = cold(terms)
    assert quick == problems
    assert loaded.glossary == glossary
    assert [c.id for c in loaded.glossary.concepts] == [c.id for c in glossary.concepts]
    assert loaded.problems == problems
    assert loaded.revision == revision
    # the newest review date, from each file's entry, is the one every review gives
    assert loaded.glossary.newest_review == source.load_glossary(terms).glossary.newest_review
    return loaded


def backdate(path: Path, seconds: int = 60) -> None:
    """Make a file look older than the cache's "racy" window, as a file edited a while
    ago would be (tests edit files within milliseconds of each other)."""
    st_ = path.stat()
    os.utime(path, ns=(st_.st_atime_ns, st_.st_mtime_ns - seconds * 1_000_000_000))


def backdate_all(terms: Path) -> None:
    for path in terms.glob("*.toml"):
        backdate(path)


@pytest.fixture
def terms(tmp_path: Path) -> Path:
    dest = tmp_path / "terms"
    shutil.copytree(ROOT / "terms", dest)
    backdate_all(dest)
    return dest


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """Good files and broken ones (bad TOML, bad fields, unknown see-also …)."""
    dest = tmp_path / "mixed"
    shutil.copytree(DATA / "mini" / "terms", dest)
    for path in sorted(BAD.glob("*.toml"))[:12]:
        shutil.copy(path, dest / path.name)
    backdate_all(dest)
    return dest


def test_second_load_reads_nothing_and_equals_a_cold_read(terms: Path, tmp_path: Path):
    cache_dir = tmp_path / "cache"
    first = same_as_cold(terms, cache_dir)
    assert first.files_read == len(source.concept_paths(terms))
    second = same_as_cold(terms, cache_dir)
    assert second.files_read == 0


def test_broken_files_give_the_same_problems_from_the_cache(mixed: Path, tmp_path: Path):
    cache_dir = tmp_path / "cache"
    first = same_as_cold(mixed, cache_dir)
    assert first.problems, "the fixture should have problems"
    assert same_as_cold(mixed, cache_dir).files_read == 0


def test_check_answers_from_the_summary_when_nothing_changed(mixed: Path, tmp_path: Path,
                                                             monkeypatch):
    cache_dir = tmp_path / "cache"
    expected = same_as_cold(mixed, cache_dir).problems
    assert expected, "the fixture should have problems"

    def no_load(*args, **kwargs):
        raise AssertionError("check loaded concepts although nothing changed")

    monkeypatch.setattr(loader, "load_checked", no_load)
    assert loader.check_folder(mixed, True, cache_dir) == expected
    path = mixed / sorted(p.name for p in mixed.glob("[!_]*.toml"))[0]
    backdate(path, 30)  # a new signature: the summary no longer answers
    with pytest.raises(AssertionError, match="nothing changed"):
        loader.check_folder(mixed, True, cache_dir)


def test_the_scan_chooses_the_files_a_cold_read_chooses(terms: Path, tmp_path: Path):
    """Links to a concept file count, a link to nothing, a hidden file, the registry
    and a folder named like a concept do not; each chosen file has its signature."""
    outside = tmp_path / "elsewhere.toml"
    shutil.copy(terms / "fairness.toml", outside)
    (terms / "fairness.toml").rename(terms / "zz-moved.toml")
    (terms / "fairness.toml").symlink_to(outside)
    (terms / "gone.toml").symlink_to(tmp_path / "nothing.toml")
    (terms / ".#lock.toml").write_text("x", encoding="utf-8")
    (terms / "folder.toml").mkdir()
    scanned = loader._scan(terms)
    assert [name for name, _ in scanned] == [p.name for p in source.concept_paths(terms)]
    found = dict(scanned)
    assert "gone.toml" not in found and "folder.toml" not in found
    st_ = outside.stat()
    assert found["fairness.toml"] == (st_.st_size, st_.st_mtime_ns, st_.st_ino,
                                      st_.st_ctime_ns)
    assert all(sig is not None for sig in found.values())
    same_as_cold(terms, tmp_path / "cache")


def test_one_edit_rewrites_one_shard(terms: Path, tmp_path: Path):
    cache_dir = tmp_path / "cache"
    warm(terms, cache_dir)
    before = {p.name: p.stat().st_mtime_ns for p in cache_dir.glob("terms-*.pickle")}
    assert len(before) > 1
    path = terms / "fairness.toml"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    backdate(path)
    same_as_cold(terms, cache_dir)
    after = {p.name: p.stat().st_mtime_ns for p in cache_dir.glob("terms-*.pickle")}
    assert [n for n in after if after[n] != before.get(n)] == [
        cache_mod.CACHE_NAME.format(cache_mod.shard_of("fairness.toml"))]


def test_edit_is_seen(terms: Path, tmp_path: Path):
    cache_dir = tmp_path / "cache"
    warm(terms, cache_dir)
    path = terms / "fairness.toml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        'text = "fairness"', 'text = "fairness of outcomes"', 1), encoding="utf-8")
    loaded = same_as_cold(terms, cache_dir)
    assert loaded.files_read == 1
    assert loaded.glossary.concept("fairness").en.terms[0].text == "fairness of outcomes"


def test_same_size_edit_with_restored_mtime_is_seen(terms: Path, tmp_path: Path):
    """An edit that keeps the size and the modification time (a tool that restores
    mtime) still changes ctime: the file is read again."""
    cache_dir = tmp_path / "cache"
    warm(terms, cache_dir)
    path = terms / "fairness.toml"
    before = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace(
        'text = "fairness"', 'text = "fairnesz"', 1), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    loaded = same_as_cold(terms, cache_dir)
    assert loaded.glossary.concept("fairness").en.terms[0].text == "fairnesz"


def test_touch_delete_add_rename(terms: Path, tmp_path: Path):
    cache_dir = tmp_path / "cache"
    warm(terms, cache_dir)
    (terms / "fairness.toml").touch()
    same_as_cold(terms, cache_dir)
    (terms / "accuracy.toml").unlink()  # see-also links to it now dangle: cross-file
    loaded = same_as_cold(terms, cache_dir)
    assert any(p.code == "unknown-see-also" for p in loaded.problems)
    shutil.copy(terms / "privacy.toml", terms / "privacy-copy.toml")  # duplicate id
    loaded = same_as_cold(terms, cache_dir)
    assert any("privacy-copy" in str(p.path) for p in loaded.problems)
    (terms / "privacy-copy.toml").rename(terms / "privacy-again.toml")
    same_as_cold(terms, cache_dir)


def test_registry_change_reads_everything_again(terms: Path, tmp_path: Path):
    cache_dir = tmp_path / "cache"
    warm(terms, cache_dir)
    domains = terms / "_domains.toml"
    text = domains.read_text(encoding="utf-8")
    start = text.index('[[domains]]\nid = "privacy"')
    end = text.index("[[domains]]", start + 5)
    domains.write_text(text[:start] + text[end:], encoding="utf-8")  # drop a domain
    loaded = same_as_cold(terms, cache_dir)
    assert loaded.files_read == len(source.concept_paths(terms))
    assert any(p.code == "unknown-domain" for p in loaded.problems)


def test_settings_change_reads_everything_again(terms: Path, tmp_path: Path):
    cache_dir = tmp_path / "cache"
    loader.load_checked(terms, True, cache_dir=cache_dir)
    other = loader.load_checked(terms, False, cache_dir=cache_dir)
    assert other.files_read == len(source.concept_paths(terms))
    assert other.glossary == loader.load_checked(terms, False, cache_dir=None).glossary


@pytest.mark.parametrize("damage", [
    lambda data: data[: len(data) // 2],  # truncated
    lambda data: b"",  # empty
    lambda data: b"not a cache at all",  # not ours
    lambda data: data[:40] + bytes(200) + data[240:],  # corrupt in the middle
    lambda data: cache_mod._MAGIC + pickle.dumps(("other-key", {})),  # another version
])
def test_a_damaged_cache_is_a_cold_read(terms: Path, tmp_path: Path, damage):
    cache_dir = tmp_path / "cache"
    warm(terms, cache_dir)
    for path in cache_dir.glob("*.pickle"):  # every shard, and the summary
        path.write_bytes(damage(path.read_bytes()))
    loaded = same_as_cold(terms, cache_dir)
    assert loaded.files_read == len(source.concept_paths(terms))
    assert same_as_cold(terms, cache_dir).files_read == 0  # rewritten, whole again


def test_a_planted_pickle_cannot_run_code(terms: Path, tmp_path: Path):
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    marker = tmp_path / "ran"

    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    for path in [*cache_mod.shard_paths(cache_dir), cache_dir / cache_mod.SUMMARY_NAME]:
        path.write_bytes(cache_mod._MAGIC + pickle.dumps(Evil()))
    loaded = same_as_cold(terms, cache_dir)
    assert not marker.exists()
    assert loaded.cache_notice is not None and "damaged" in loaded.cache_notice


def test_cached_objects_are_the_model_objects_a_read_makes(terms: Path, tmp_path: Path):
    """What the cache gives back (made by its makers, not by ``__init__``) is the same
    model objects: equal, of the same class, frozen, hashable."""
    import dataclasses
    import io

    concepts = list(source.load_glossary(terms).glossary.concepts)
    buffer = io.BytesIO()
    cache_mod._Pickler(buffer, protocol=5).dump(concepts)
    back = cache_mod._Unpickler(io.BytesIO(buffer.getvalue())).load()
    assert back == concepts and len(back) > 10
    term = back[0].en.terms[0]
    assert type(term) is type(concepts[0].en.terms[0])
    assert hash(term) == hash(concepts[0].en.terms[0])
    with pytest.raises(dataclasses.FrozenInstanceError):
        term.text = "changed"  # type: ignore[misc]
    made = {type(obj).__name__ for c in back for obj in (c, c.en, c.km, *c.en.terms)}
    assert {"Concept", "LangSection", "Term"} <= made
    assert set(cache_mod._MAKERS) >= {"_make_Concept", "_make_Term", "_make_Review"}


def test_an_unwritable_cache_folder_is_no_error(terms: Path, tmp_path: Path):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be")
    same_as_cold(terms, blocker)
    assert blocker.read_text() == "a file where the cache folder should be"


def test_a_file_changed_just_now_is_not_trusted(terms: Path, tmp_path: Path):
    """Git's "racy" case: a file modified within the clock's resolution of being read
    could be modified again with the same signature, so it is read again next time."""
    cache_dir = tmp_path / "cache"
    path = terms / "fairness.toml"
    path.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")  # mtime: now
    warm(terms, cache_dir)
    assert warm(terms, cache_dir).files_read == 1


def test_git_checkout_of_another_revision(tmp_path: Path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    shutil.copytree(DATA / "mini" / "terms", repo / "terms")
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@x"}

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo, check=True, env=env, capture_output=True)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "one")
    first = sorted((repo / "terms").glob("*.toml"))[2]
    first.write_text(first.read_text(encoding="utf-8").replace(
        'review = "proposed"', 'review = "draft"', 1), encoding="utf-8")
    git("commit", "-qam", "two")
    cache_dir = tmp_path / "cache"
    backdate_all(repo / "terms")
    warm(repo / "terms", cache_dir)
    git("checkout", "-q", "HEAD~1")
    same_as_cold(repo / "terms", cache_dir)
    git("checkout", "-q", "-")
    same_as_cold(repo / "terms", cache_dir)


# -- the property: any sequence of edits, a warm read always equals a cold one ----------

EDITS = st.lists(st.tuples(
    st.sampled_from(["edit", "date", "break", "delete", "copy", "touch", "restore"]),
    st.integers(min_value=0, max_value=30),
), min_size=1, max_size=6)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(edits=EDITS)
def test_warm_equals_cold_after_any_edit_sequence(tmp_path_factory, edits):
    base = tmp_path_factory.mktemp("prop")
    terms = base / "terms"
    shutil.copytree(DATA / "mini" / "terms", terms)
    for path in sorted(BAD.glob("*.toml"))[:4]:
        shutil.copy(path, terms / path.name)
    originals = {p.name: p.read_bytes() for p in terms.glob("*.toml")}
    backdate_all(terms)
    cache_dir = base / "cache"
    warm(terms, cache_dir)
    for step, (action, n) in enumerate(edits):
        names = sorted(p.name for p in terms.glob("*.toml") if not p.name.startswith("_"))
        if not names:
            break
        path = terms / names[n % len(names)]
        if action == "edit":
            path.write_text(path.read_text(encoding="utf-8", errors="replace")
                            .replace("proposed", "draft", 1) + "\n# edited\n", encoding="utf-8")
        elif action == "date":  # a review date (twice in one term: a broken file)
            path.write_text(path.read_text(encoding="utf-8", errors="replace").replace(
                'review = "proposed"\n',
                f'review = "proposed"\nproposed_on = 2027-01-{n % 28 + 1:02d}\n', 1),
                encoding="utf-8")
        elif action == "break":
            path.write_text("id = \n", encoding="utf-8")
        elif action == "delete":
            path.unlink()
        elif action == "copy":
            shutil.copy(path, terms / f"copy-{step}-{path.name}")
        elif action == "touch":
            path.touch()
        elif action == "restore" and path.name in originals:
            path.write_bytes(originals[path.name])
        if step % 2:
            backdate_all(terms)  # some edits look old, others fresh
        same_as_cold(terms, cache_dir)


# -- the build through the cache ----------------------------------------------------------


def test_invalid_glossary_keeps_the_old_database(project: Path):
    settings_ = load_settings(cwd=project)
    pipeline.build(settings_, ("db",))
    before = settings_.db_path.read_bytes()
    (project / "terms" / "broken.toml").write_text('id = "other"\ndomains = []\n')
    with pytest.raises(ValidationFailed):
        pipeline.build(settings_, ("db",))
    assert settings_.db_path.read_bytes() == before
    assert not list(settings_.build_dir.glob(".*.tmp"))


def test_check_uses_the_cache_under_the_build_dir(project: Path, cli):
    settings_ = load_settings(cwd=project)
    assert not settings_.cache_dir.exists()
    first = cli("check")
    assert any(p.is_file() for p in cache_mod.shard_paths(settings_.cache_dir))
    assert cli("check").output == first.output
    assert validate.sort_problems(project_problems(settings_)) == project_problems(settings_)


def project_problems(settings_) -> list:
    return loader.load(settings_).problems
