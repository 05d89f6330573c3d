"""Issue 18: readers (build, export, check, qa) hold terms/ shared — also on a fresh
project where no command has created terms/.glossary.lock yet, so the first import
can neither start while a reader reads nor be read half-applied. Processes, not
threads (within one process the read lock is a no-op while the write lock is held);
the steps are ordered by lines on pipes, never by sleeping."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from glossary import loader, lock
from glossary.config import load_settings
from glossary.lock import LOCK_NAME, remove_stale_temporaries, terms_read_lock

ROOT = Path(__file__).resolve().parent.parent

WRITER = """
import sys
from pathlib import Path
from glossary import lock
lock.notify = lambda message: print("waiting", flush=True)
terms = Path(sys.argv[1])
with lock.terms_lock(terms, "a test writer"):
    print("locked", flush=True)
    if sys.stdin.readline().strip() == "write":
        path = terms / "hallucination.toml"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace('text = "', 'text = "LATE ', 1), encoding="utf-8")
    print("released", flush=True)
"""


def _writer(terms: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", WRITER, str(terms)], cwd=ROOT,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)


def _finish(writer: subprocess.Popen[str]) -> None:
    writer.communicate(timeout=60)  # closes the pipes
    assert writer.returncode == 0


@pytest.fixture(autouse=True)
def _restore_notify():
    before = lock.notify
    yield
    lock.notify = before


def test_a_reader_on_a_fresh_project_makes_the_first_writer_wait(project: Path) -> None:
    terms = project / "terms"
    assert not (terms / LOCK_NAME).exists()  # no command has run here
    with terms_read_lock(terms):
        assert (terms / LOCK_NAME).is_file()  # the reader made it, and holds it shared
        writer = _writer(terms)
        assert writer.stdout is not None and writer.stdin is not None
        # the writer cannot take the lock while this reader holds it: it says so first
        assert writer.stdout.readline().strip() == "waiting"
        assert writer.poll() is None
    assert writer.stdout.readline().strip() == "locked"  # once the reader is done
    writer.stdin.write("nothing\n")
    writer.stdin.flush()
    assert writer.stdout.readline().strip() == "released"
    _finish(writer)


def test_a_reader_waits_for_a_writer_on_a_fresh_project(project: Path) -> None:
    terms = project / "terms"
    assert not (terms / LOCK_NAME).exists()
    writer = _writer(terms)
    assert writer.stdout is not None and writer.stdin is not None
    assert writer.stdout.readline().strip() == "locked"

    waiting = threading.Event()
    lock.notify = lambda message: waiting.set()
    result: dict[str, object] = {}

    def read() -> None:
        concepts = loader.load(load_settings(cwd=project)).glossary.concepts
        result["text"] = repr([c for c in concepts if c.id == "hallucination"])

    reader = threading.Thread(target=read)
    reader.start()
    assert waiting.wait(timeout=120), "the reader did not find the writer's lock"
    assert reader.is_alive() and "text" not in result  # blocked while the writer works
    writer.stdin.write("write\n")
    writer.stdin.flush()
    assert writer.stdout.readline().strip() == "released"
    reader.join(timeout=120)
    _finish(writer)
    assert "LATE " in str(result["text"])  # it read the finished write, not before it


@pytest.mark.parametrize("command", [["check"], ["export", "csv", "-o", "out.csv"]])
def test_glossary_commands_wait_for_a_writer(project: Path, command: list[str]) -> None:
    writer = _writer(project / "terms")
    assert writer.stdout is not None and writer.stdin is not None
    assert writer.stdout.readline().strip() == "locked"
    reader = subprocess.Popen([sys.executable, "-m", "glossary.cli.app_main", *command],
                              cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
    assert reader.stderr is not None
    said = reader.stderr.readline()
    assert "waiting for pid" in said and "a test writer" in said, said
    assert reader.poll() is None
    writer.stdin.write("write\n")
    writer.stdin.flush()
    _finish(writer)
    out, err = reader.communicate(timeout=120)
    assert reader.returncode == 0, err
    if command[0] == "export":
        assert "LATE " in (project / "out.csv").read_text(encoding="utf-8")


def test_the_lock_file_is_git_ignored() -> None:
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert LOCK_NAME in ignored


def test_stale_temporaries_are_removed_below_the_folder_and_nothing_else(tmp_path: Path
                                                                          ) -> None:
    """What a killed writer leaves (``.NAME.XXXX.tmp``) goes, at any depth; files that
    only look alike (no leading dot, a folder, a link) stay, and a link is not followed."""
    build = tmp_path / "build"
    deep = build / "site" / "concepts"
    deep.mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / ".theirs.1.tmp").write_text("not ours")
    stale = [build / ".glossary.tbx.abc.tmp", deep / ".c-1.html.42.tmp"]
    kept = [build / "glossary.tbx", deep / "c-1.html", build / "notes.tmp",
            build / ".hidden"]
    for path in stale + kept:
        path.write_text("x")
    (build / ".folder.tmp").mkdir()
    (build / ".link.1.tmp").symlink_to(outside / ".theirs.1.tmp")
    (build / "elsewhere").symlink_to(outside)
    (deep / ".top.tmp").write_text("x")

    assert remove_stale_temporaries(build, recursive=False) == 1
    assert not stale[0].exists() and stale[1].exists()
    assert remove_stale_temporaries(build) == 2
    assert not stale[1].exists() and not (deep / ".top.tmp").exists()
    assert all(path.exists() for path in kept)
    assert (build / ".folder.tmp").is_dir() and (build / ".link.1.tmp").is_symlink()
    assert (outside / ".theirs.1.tmp").read_text() == "not ours"
