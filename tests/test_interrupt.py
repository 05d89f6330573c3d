"""kill -9 during `glossary build`: every output in build/ is the old or the new file, never
half (the database, updated in place in one transaction: the old or the new rows), and
the next build gives exactly what a build from nothing gives (the caches a killed build
left are never trusted wrongly)."""

from __future__ import annotations

import hashlib
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from synth import make_project  # noqa: E402

from tests import db_rows  # noqa: E402

KILLS = int(os.environ.get("GLOSSARY_KILLS", "8"))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _tree(build: Path) -> dict[str, str]:
    """Every output file in build/ and its digest (the site's manifest and the parse
    cache, which names the folder it was made for, aside); for the database, a digest
    of its content (rows and search answers; opening it rolls back the journal of an
    update that was killed, as any later reader or build does)."""
    return {str(p.relative_to(build)):
            hashlib.sha256(repr(db_rows.content(p)).encode()).hexdigest()
            if p.name == "glossary.db" else _digest(p)
            for p in sorted(build.rglob("*"))
            if p.is_file() and not p.name.endswith((".tmp", "-journal"))
            and p.name != ".site-manifest" and ".cache" not in p.relative_to(build).parts}


def _build(project: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "glossary.cli.app_main", "build"], cwd=project,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


@pytest.fixture(scope="module")
def projects(tmp_path_factory) -> tuple[Path, dict[str, str], dict[str, str], str]:
    base = tmp_path_factory.mktemp("interrupt")
    project = make_project(base / "p", 1500)
    assert subprocess.run([sys.executable, "-m", "glossary.cli.app_main", "build"],
                          cwd=project, check=False).returncode == 0
    old = _tree(project / "build")
    # the "new" glossary: one concept's section and Khmer term changed (its database,
    # document pages, index pages and search index change); built in a copy
    changed = project / "terms" / "concept-000007.toml"
    original = changed.read_text(encoding="utf-8")
    changed.write_text(_edited(original), encoding="utf-8")
    copy = base / "copy"
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns("build"))
    subprocess.run([sys.executable, "-m", "glossary.cli.app_main", "build"], cwd=copy,
                   check=True)
    new = _tree(copy / "build")
    assert old["glossary.db"] != new["glossary.db"]
    return project, old, new, original


def _edited(text: str) -> str:
    """The concept file with its first Khmer term lengthened and section B.1 made B.2."""
    edited, count = re.subn(r'(\[\[km\.terms\]\]\s*\ntext = "[^"]*)"', "\\1\u1780\"",
                            text, count=1)
    assert count == 1 and 'section = "B.1"' in edited
    return edited.replace('section = "B.1"', 'section = "B.2"')


def test_kill_9_during_build_never_leaves_half_a_database(projects) -> None:
    project, old, new, original = projects
    db = project / "build" / "glossary.db"
    rng = random.Random(5)
    start = time.perf_counter()
    probe = _build(project)
    probe.wait()
    duration = time.perf_counter() - start
    assert _tree(project / "build") == new
    changed = project / "terms" / "concept-000007.toml"
    edited = _edited(original)
    for _ in range(KILLS):
        # go back to the old glossary's outputs (after the first round, from what a
        # killed build left: the same files as a build from nothing), then kill a build
        # towards the new one
        changed.write_text(original, encoding="utf-8")
        assert _build(project).wait() == 0
        assert _tree(project / "build") == old
        changed.write_text(edited, encoding="utf-8")
        proc = _build(project)
        time.sleep(rng.uniform(0.05, duration))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        # every output file is whole: the old or the new version, never half written
        for name, digest in _tree(project / "build").items():
            assert digest in (old.get(name), new.get(name)), name
        conn = sqlite3.connect(db)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
    # a later build gives the new outputs, and cleans up the temporary files a killed
    # build left behind
    assert _build(project).wait() == 0
    assert _tree(project / "build") == new
    leftovers = [p.name for p in (project / "build").rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []
