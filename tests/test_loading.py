"""Reading terms/ on two cores gives exactly what reading it in one process gives."""

from __future__ import annotations

import os
import shutil
import threading
from datetime import date
from pathlib import Path

import pytest

from glossary import forked, loading, packing, pipeline, source, store, store_write, validate
from glossary.config import load_settings
from glossary.errors import ValidationFailed
from glossary.model import (
    AdminStatus,
    Concept,
    ConceptStatus,
    Definition,
    LangSection,
    Review,
    ReviewState,
    SourceRef,
    Term,
    TermType,
)
from tests.conftest import DATA, ROOT

BAD = DATA / "bad"


def serial(terms: Path) -> tuple[source.LoadResult, list]:
    result = source.load_glossary(terms)
    return result, validate.validate(result)


def assert_same(terms: Path, **kwargs: bool) -> tuple[source.LoadResult, list]:
    expected, expected_problems = serial(terms)
    result, problems = loading.load_checked(terms, **kwargs)
    assert result.glossary == expected.glossary
    assert [c.id for c in result.glossary.concepts] == [c.id for c in expected.glossary.concepts]
    assert problems == expected_problems
    assert result.problems == expected.problems
    assert [(f.path, f.text, f.concept) for f in result.files] == [
        (f.path, f.text, f.concept) for f in expected.files
    ]
    return result, problems


def test_shipped_glossary_two_processes_equal_one(monkeypatch):
    started = spy_forks(monkeypatch)
    result, problems = assert_same(ROOT / "terms", parallel=True)
    assert started == [True]
    assert len(result.glossary.concepts) > 300
    assert not [p for p in problems if p.level.value == "error"]


@pytest.fixture
def mixed_terms(tmp_path: Path) -> Path:
    """The shipped glossary plus every broken file of tests/data/bad, interleaved, so
    both processes meet errors, warnings and unreadable files."""
    terms = tmp_path / "terms"
    shutil.copytree(ROOT / "terms", terms)
    for path in sorted(BAD.glob("*.toml")):
        shutil.copy(path, terms / path.name)
    # an id used twice, and an unknown see-also target across the halves
    shutil.copy(terms / "accountability.toml", terms / "zz-accountability-copy.toml")
    return terms


def test_broken_files_give_the_same_problems_in_both_modes(mixed_terms: Path):
    _, problems = assert_same(mixed_terms, parallel=True)
    codes = {p.code for p in problems}
    # the halves really met these: reading errors, local checks and cross-file checks
    assert {"toml-syntax", "encoding", "unknown-field", "duplicate-id",
            "unknown-see-also", "unknown-section", "not-normalized"} <= codes
    assert all(p.line is not None for p in problems if p.path.suffix == ".toml"
               and p.code not in {"missing-file"})


def test_worker_failure_falls_back_to_one_process(mixed_terms: Path, monkeypatch):
    parent = os.getpid()
    real = packing.pack_concept

    def fail_in_child(concept: Concept) -> tuple:
        if os.getpid() != parent:
            raise RuntimeError("simulated worker crash")
        return real(concept)

    monkeypatch.setattr(packing, "pack_concept", fail_in_child)
    started = spy_forks(monkeypatch)
    assert_same(mixed_terms, parallel=True)
    assert started == [True]


def test_no_worker_when_threads_run(mixed_terms: Path):
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not forked.can_fork()
        assert forked.start(lambda: None) is None
        assert_same(mixed_terms, parallel=True)
    finally:
        stop.set()
        thread.join()


def test_packing_round_trip_keeps_every_field():
    review = Review(ReviewState.APPROVED, "imported:x.po", "Sokha", date(2026, 1, 2), "Dara",
                    date(2026, 2, 3), "checked against §B.2")
    concept = Concept(
        id="full", domains=("ethics", "risk"),
        sources=(SourceRef("asean-guide-2024", "B.2", 12, "table 3"), SourceRef("d", "1")),
        see_also=("other",), notes=("a note", "ខ្មែរ"), status=ConceptStatus.RETIRED,
        en=LangSection(Definition("text", SourceRef("d", "2", None, None), review), (
            Term("AI", AdminStatus.ADMITTED, TermType.ACRONYM, "noun", "ctx", True, "n", review),
            Term("x", review=Review()),
        )),
        km=LangSection(None, (Term("បញ្ញាសិប្បនិម្មិត"),)),
    )
    assert packing.unpack_concept(packing.pack_concept(concept)) == concept
    for c in source.load_glossary(ROOT / "terms").glossary.concepts:
        assert packing.unpack_concept(packing.pack_concept(c)) == c


def spy_forks(monkeypatch) -> list[int]:
    started: list[int] = []
    real = forked.start

    def start(work):
        child = real(work)
        started.append(child is not None)
        return child

    monkeypatch.setattr(forked, "start", start)
    return started


def serial_database(settings, path: Path) -> bytes:
    loaded = pipeline.load(settings)
    store.write_database(loaded.glossary, path, revision=loaded.revision)
    return path.read_bytes()


def test_streamed_database_equals_one_process_database(project: Path, monkeypatch, tmp_path):
    settings = load_settings(cwd=project)
    started = spy_forks(monkeypatch)
    report = pipeline.build(settings, ("db",))
    assert started == [True]  # the writer child
    assert settings.db_path in report.outputs
    assert settings.db_path.read_bytes() == serial_database(settings, tmp_path / "one.db")
    assert not list(settings.build_dir.glob(".*.tmp"))


def test_streamed_database_from_two_readers_in_chunks(tmp_path: Path, monkeypatch):
    # the shipped glossary read by two processes (ids such as ai / ai-act sort
    # differently as file names), inserted in chunks of 50: the same bytes as one process
    shutil.copytree(ROOT / "terms", tmp_path / "terms")
    (tmp_path / "pyproject.toml").write_text('[tool.glossary]\nterms = "terms"\n')
    monkeypatch.setattr(loading, "PARALLEL_MIN_FILES", 100)
    monkeypatch.setattr(store_write, "INSERT_CHUNK", 50)
    settings = load_settings(cwd=tmp_path)
    started = spy_forks(monkeypatch)
    pipeline.build(settings, ("db", "csv"))
    assert started == [True, True]  # the reading worker and the writer child
    monkeypatch.setattr(loading, "PARALLEL_MIN_FILES", 10**9)
    assert settings.db_path.read_bytes() == serial_database(settings, tmp_path / "one.db")


def test_database_child_failure_is_redone_here(project: Path, monkeypatch):
    settings = load_settings(cwd=project)
    parent = os.getpid()
    real = store_write.DatabaseWriter.add
    calls: list[int] = []

    def fail_in_child(self, concepts):
        if os.getpid() != parent:
            raise OSError("simulated failure in the child")
        calls.append(1)
        return real(self, concepts)

    monkeypatch.setattr(store_write.DatabaseWriter, "add", fail_in_child)
    started = spy_forks(monkeypatch)
    pipeline.build(settings, ("db", "csv"))
    assert started == [True]
    assert calls == [1]  # done again in this process
    assert settings.db_path.is_file()
    assert not list(settings.build_dir.glob(".*.tmp"))


def test_invalid_glossary_stops_the_writer_and_keeps_the_old_database(project: Path):
    settings = load_settings(cwd=project)
    pipeline.build(settings, ("db",))
    before = settings.db_path.read_bytes()
    (project / "terms" / "broken.toml").write_text('id = "other"\ndomains = []\n')
    with pytest.raises(ValidationFailed):
        pipeline.build(settings, ("db",))
    assert settings.db_path.read_bytes() == before
    assert not list(settings.build_dir.glob(".*.tmp"))


def test_interrupted_read_stops_the_worker(mixed_terms: Path, monkeypatch):
    parent = os.getpid()
    real = source.load_concept_file
    children: list[forked.Child] = []
    real_start = forked.start

    def start(work):
        child = real_start(work)
        children.append(child)
        return child

    calls = []

    def interrupt(path, fold=True):
        if os.getpid() == parent:
            calls.append(path)
            if len(calls) == 20:  # while the worker reads its share
                raise KeyboardInterrupt
        return real(path, fold)

    monkeypatch.setattr(forked, "start", start)
    monkeypatch.setattr(source, "load_concept_file", interrupt)
    with pytest.raises(KeyboardInterrupt):
        loading.load_checked(mixed_terms, parallel=True)
    assert len(children) == 1
    assert children[0]._status is not None  # stopped and reaped, not left blocked
