"""The database after an edit: updated in place, one transaction, the rows and search
answers of a clean build; anything odd builds it whole; an interruption keeps the old."""

from __future__ import annotations

import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
from array import array
from pathlib import Path

import pytest

from glossary import pipeline
from glossary.config import load_settings
from glossary.store import update
from tests import db_rows

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from synth import make_project  # noqa: E402


@pytest.fixture
def synth(tmp_path: Path) -> Path:
    project = make_project(tmp_path / "p", 60)
    pipeline.build(load_settings(cwd=project), ["db"])
    return project


def _db(project: Path) -> Path:
    return project / "build" / "glossary.db"


def _clean(project: Path, tmp_path: Path) -> dict[str, object]:
    """The content of a database built whole from the same terms/."""
    clean = tmp_path / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    shutil.copytree(project, clean, ignore=shutil.ignore_patterns("build"))
    pipeline.build(load_settings(cwd=clean), ["db"])
    return db_rows.content(_db(clean))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _first_km_term(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return re.search(r'\[\[km\.terms\]\]\ntext = "([^"]+)"', text).group(1)


def _unreferenced(terms: Path) -> Path:
    """A concept no other concept's see_also names (it can be deleted)."""
    texts = {p: p.read_text(encoding="utf-8") for p in sorted(terms.glob("concept-*.toml"))}
    for path in reversed(texts):
        if not any(f'"{path.stem}"' in text for other, text in texts.items() if other != path):
            return path
    raise AssertionError("every concept is referenced")


def _copy(terms: Path, source: str, name: str) -> Path:
    """A new concept ``name``: a copy of ``source`` with its own id and English terms."""
    number = str(int(source.rsplit("-", 1)[1]))
    text = (terms / f"{source}.toml").read_text(encoding="utf-8").replace(source, name)
    text = text.replace(f' {number}"', f' {number} {name}"')
    path = terms / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _build(project: Path) -> str:
    report = pipeline.build(load_settings(cwd=project), ["db"])
    return {t.name: t.status for t in report.targets}["db"]


def test_edits_update_the_database_in_place_to_a_clean_builds_rows(synth: Path,
                                                                  tmp_path: Path) -> None:
    terms = synth / "terms"
    inode = _db(synth).stat().st_ino
    # a Khmer term changed (posting lists), a definition, a new term, a new concept
    # between two others, a concept deleted
    path = terms / "concept-000003.toml"
    _edit(path, _first_km_term(path), "ការប្រឌិតចម្លើយ")
    _edit(terms / "concept-000005.toml", '[en.definition]\ntext = "',
          '[en.definition]\ntext = "Edited. ')
    text = (terms / "concept-000007.toml").read_text(encoding="utf-8")
    (terms / "concept-000007.toml").write_text(text + '\n[[km.terms]]\ntext = "ទិន្នន័យ"\n'
                                               'review = "proposed"\norigin = "human"\n',
                                               encoding="utf-8")
    new = _copy(terms, "concept-000010", "concept-000010-b")
    _unreferenced(terms).unlink()
    assert _build(synth) == "written"
    assert _db(synth).stat().st_ino == inode  # updated, not replaced
    assert db_rows.content(_db(synth)) == _clean(synth, tmp_path)
    # a second round of edits on the updated database, back to the first texts
    path.write_text(path.read_text(encoding="utf-8").replace("ការប្រឌិតចម្លើយ", "ទិន្នន័យភាព"),
                    encoding="utf-8")
    new.unlink()
    assert _build(synth) == "written"
    assert _db(synth).stat().st_ino == inode
    assert db_rows.content(_db(synth)) == _clean(synth, tmp_path)


def test_khmer_search_after_an_update_finds_the_new_term(synth: Path) -> None:
    from glossary import store

    path = synth / "terms" / "concept-000004.toml"
    _edit(path, _first_km_term(path), "សាកល្បងថ្មី")
    _build(synth)
    conn = store.open_database(_db(synth))
    for query in ("សាកល្បងថ្មី", "សាក", "ថ្មី", "សា"):
        assert "concept-000004" in [h.concept for h in store.search(conn, query, limit=200)], query
    conn.close()


@pytest.mark.parametrize("damage", ["garbage", "build_key", "schema", "no_digests",
                                    "truncated", "missing", "posting"])
def test_an_odd_database_is_built_whole(synth: Path, tmp_path: Path, damage: str) -> None:
    """What the update itself refuses (the build refuses any database touched since it
    wrote it before that, see the next test)."""
    from glossary import loader, store

    db = _db(synth)
    conn = sqlite3.connect(db)
    key = conn.execute("SELECT value FROM meta WHERE key = 'build_key'").fetchone()[0]
    conn.close()
    if damage == "garbage":
        db.write_bytes(b"not a database at all" * 100)
    elif damage == "truncated":
        db.write_bytes(db.read_bytes()[:8192])
    elif damage == "missing":
        db.unlink()
    else:
        conn = sqlite3.connect(db)
        if damage == "build_key":
            conn.execute("UPDATE meta SET value = 'other' WHERE key = 'build_key'")
        elif damage == "schema":
            conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
        elif damage == "posting":  # a term the table does not have, where "ក" goes
            conn.execute("UPDATE _term_grams SET terms = ? WHERE gram = 'ក'",
                         (array("I", [999_999]).tobytes(),))
        else:
            conn.execute("DROP TABLE _concept_digest")
        conn.commit()
        conn.close()
    inode = db.stat().st_ino if db.exists() else None
    path = synth / "terms" / "concept-000002.toml"
    _edit(path, _first_km_term(path), "ការប្រឌិត")
    settings = load_settings(cwd=synth)
    loaded = loader.load_valid(settings)
    digests = {f.concept.id: f.digest for f in loaded.result.files if f.concept}
    assert update.update_database(loaded.glossary, db, revision=loaded.revision,
                                 digests=digests, build_key=key) is None
    store.write_database(loaded.glossary, db, revision=loaded.revision, digests=digests,
                         build_key=key, in_place=True)
    assert db.stat().st_ino != inode  # a new file, moved into place
    clean = _clean(synth, tmp_path)
    got = db_rows.content(db)
    assert got["term"] == clean["term"] and got["_term_grams"] == clean["_term_grams"]


def test_a_database_edited_by_hand_is_built_whole(synth: Path, tmp_path: Path) -> None:
    """Rows changed by hand (Datasette, sqlite3) are not kept by an update in place: the
    file is not the one the last build left, so it is built whole."""
    db = _db(synth)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE term SET text = 'edited by hand' WHERE concept = 'concept-000009'")
    conn.commit()
    conn.close()
    inode = db.stat().st_ino
    path = synth / "terms" / "concept-000002.toml"
    _edit(path, _first_km_term(path), "ការប្រឌិត")
    assert _build(synth) == "written"
    assert db.stat().st_ino != inode
    assert db_rows.content(db) == _clean(synth, tmp_path)


def test_no_room_between_two_concepts_builds_it_whole(synth: Path, tmp_path: Path) -> None:
    """More new concepts between two neighbours than free term ids: built whole."""
    terms = synth / "terms"
    for i in range(20):
        _copy(terms, "concept-000010", f"concept-000010-{i:02d}")
    inode = _db(synth).stat().st_ino
    assert _build(synth) == "written"
    assert _db(synth).stat().st_ino != inode
    assert db_rows.content(_db(synth)) == _clean(synth, tmp_path)


def test_an_exception_mid_update_keeps_the_previous_database(synth: Path,
                                                             monkeypatch) -> None:
    before = db_rows.content(_db(synth))
    path = synth / "terms" / "concept-000003.toml"
    _edit(path, _first_km_term(path), "ការប្រឌិត")

    def boom(*args, **kwargs):
        raise RuntimeError("interrupted after the deletes")

    monkeypatch.setattr(update, "insert_rows", boom)
    with pytest.raises(RuntimeError):
        _build(synth)
    assert db_rows.content(_db(synth)) == before
    monkeypatch.undo()
    assert _build(synth) == "written"
    assert db_rows.content(_db(synth)) != before


KILL_AFTER_GRAMS = """
import os, signal, sys
from glossary.store import update
from glossary.cli import run as main
real = update._update_grams
def killed(conn, *args):
    real(conn, *args)
    conn.execute("PRAGMA cache_size = 1")  # push the changed pages into the file
    conn.execute("UPDATE meta SET value = value")
    os.kill(os.getpid(), signal.SIGKILL)
update._update_grams = killed
sys.argv = ["glossary", "build", "--only", "db"]
main()
"""


def test_kill_9_mid_update_keeps_the_previous_database(synth: Path) -> None:
    before = db_rows.content(_db(synth))
    path = synth / "terms" / "concept-000003.toml"
    _edit(path, _first_km_term(path), "ការប្រឌិត")
    proc = subprocess.run([sys.executable, "-c", KILL_AFTER_GRAMS], cwd=synth,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False,
                          capture_output=True)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert db_rows.content(_db(synth)) == before  # the journal is rolled back
    assert _build(synth) == "written"
    assert db_rows.content(_db(synth)) != before


def test_a_concept_without_a_digest_is_always_written(tmp_path: Path) -> None:
    """A library caller may give digests for some concepts only: a concept without one
    (here a new one, and one the database has) is never taken for kept, and the updated
    database holds the rows a whole build of the same glossary holds."""
    import dataclasses

    from glossary import loader
    from glossary.store.write import write_database

    project = make_project(tmp_path / "p", 12)
    loaded = loader.load(load_settings(cwd=project))
    glossary = loaded.glossary
    digests = {f.concept.id: f.digest for f in loaded.result.files if f.concept is not None}
    path = tmp_path / "g.db"
    write_database(glossary, path, digests=digests, build_key="k")
    first, second = glossary.concepts[:2]
    new = dataclasses.replace(first, id="concept-new")
    changed = dataclasses.replace(second, notes=("edited, and no digest given",))
    edited = dataclasses.replace(glossary, concepts=(first, changed, new,
                                                     *glossary.concepts[2:]))
    inode = path.stat().st_ino
    given = {cid: d for cid, d in digests.items() if cid != second.id}
    write_database(edited, path, digests=given, build_key="k", in_place=True)
    assert path.stat().st_ino == inode  # updated in place
    whole = tmp_path / "whole.db"
    write_database(edited, whole, digests=given, build_key="k")
    assert db_rows.content(path) == db_rows.content(whole)
