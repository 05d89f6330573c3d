"""Two imports at once, and kill -9 during `import --apply`: no lost update, no lost text."""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from glossary import source

ROOT = Path(__file__).resolve().parent.parent
KILLS = int(os.environ.get("GLOSSARY_KILLS", "8"))


def _glossary(project: Path, *args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "glossary.cli.app_main", *args], cwd=project,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


def _finish(proc: subprocess.Popen) -> tuple[int, str, str]:
    out, err = proc.communicate()
    return proc.returncode, out, err


def _all_texts(terms: Path) -> set[str]:
    texts = set()
    for path in source.concept_paths(terms):
        loaded = source.load_concept_file(path)
        assert loaded.concept is not None, [p.format() for p in loaded.problems]
        for lang in ("en", "km"):
            texts.update(t.text for t in loaded.concept.lang(lang).terms)
    return texts


def _edited_po(po: str, concepts: list[str], suffix: str) -> str:
    """The exported catalog with the Khmer term of each concept in ``concepts`` changed."""
    for concept in concepts:
        pattern = re.compile(rf'(msgctxt "{re.escape(concept)}"\nmsgid "[^"]*"\nmsgstr ")([^"]*)"')
        po = pattern.sub(lambda m: f'{m.group(1)}{m.group(2)}{suffix}"', po, count=1)
    return po


@pytest.fixture
def big_project(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "terms", tmp_path / "terms")
    (tmp_path / "pyproject.toml").write_text('[tool.glossary]\nterms = "terms"\n', "utf-8")
    code, _, err = _finish(_glossary(tmp_path, "export", "po"))
    assert code == 0, err
    return tmp_path


def _catalog(project: Path) -> str:
    return (project / "locale" / "km" / "LC_MESSAGES" / "glossary.po").read_text("utf-8")


def _ids(project: Path) -> list[str]:
    return sorted(p.stem for p in source.concept_paths(project / "terms"))


def test_two_imports_at_once_never_lose_an_update(big_project: Path) -> None:
    ids = _ids(big_project)
    catalog = _catalog(big_project)
    rounds = 6
    for n in range(rounds):
        first, second = ids[n * 40: n * 40 + 20], ids[n * 40 + 20: n * 40 + 40]
        files = []
        for name, group in (("a", first), ("b", second)):
            path = big_project / f"{name}{n}.po"
            path.write_text(_edited_po(catalog, group, f"ក{n}{name}"), encoding="utf-8")
            files.append(path)
        procs = [_glossary(big_project, "import", "po", str(f), "--apply", "--by", "Reviewer")
                 for f in files]
        outcomes = [_finish(p)[::2] for p in procs]
        texts = (big_project / "terms").glob("*.toml")
        body = "\n".join(t.read_text("utf-8") for t in texts)
        for (code, err), name in zip(outcomes, "ab", strict=True):
            marker = f"ក{n}{name}"
            if code == 0:
                assert marker in body, f"round {n}: import {name} succeeded but its change is lost"
            else:
                assert code == 2 and "locked by another glossary command" in err, err
                assert marker not in body
        assert any(code == 0 for code, _ in outcomes)
    assert _finish(_glossary(big_project, "check"))[0] == 0


def test_kill_9_during_import_apply_loses_no_text(big_project: Path) -> None:
    ids = _ids(big_project)
    catalog = _catalog(big_project)
    rng = random.Random(3)
    before = _all_texts(big_project / "terms")
    path = big_project / "incoming.po"
    path.write_text(_edited_po(catalog, ids[:150], "ថ្មី"), encoding="utf-8")
    start = time.perf_counter()
    _finish(_glossary(big_project, "import", "po", str(path), "--format", "json"))
    duration = time.perf_counter() - start
    for _ in range(KILLS):
        proc = _glossary(big_project, "import", "po", str(path), "--apply", "--by", "Reviewer")
        time.sleep(rng.uniform(0.05, duration * 1.5))
        proc.send_signal(signal.SIGKILL)
        _finish(proc)
        after = _all_texts(big_project / "terms")  # every file parses
        assert before <= after, sorted(before - after)[:5]
        before = after
    leftovers = [p.name for p in (big_project / "terms").iterdir() if p.name.endswith(".tmp")]
    # a killed writer may leave a temporary file; it never replaces a concept file half-way
    for name in leftovers:
        assert name.startswith(".")
    code, _, err = _finish(
        _glossary(big_project, "import", "po", str(path), "--apply", "--by", "Reviewer"))
    assert code == 0, err
    assert _finish(_glossary(big_project, "check"))[0] == 0


def test_an_import_while_another_holds_the_lock_fails_clearly(big_project: Path) -> None:
    from glossary.lock import terms_lock

    ids = _ids(big_project)
    path = big_project / "held.po"
    path.write_text(_edited_po(_catalog(big_project), ids[:5], "ខ"), encoding="utf-8")
    before = {p.name: p.read_bytes() for p in (big_project / "terms").glob("*.toml")}
    with terms_lock(big_project / "terms", "a test holding the lock"):
        code, _, err = _finish(
            _glossary(big_project, "import", "po", str(path), "--apply", "--by", "Reviewer"))
    assert code == 2
    assert err.startswith("Error: ")
    assert "locked by another glossary command (pid " in err
    assert "wait for it to finish and try again" in err
    after = {p.name: p.read_bytes() for p in (big_project / "terms").glob("*.toml")}
    assert after == before
