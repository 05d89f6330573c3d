"""What the tool keeps under build/ (caches, state, the site's manifest and journal)
replaced by things that are not files: every command still finishes, reads them as
missing, and writes what a clean build writes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

#: The outputs compared with a clean build (the site's changes page depends on git).
COMPARED = ("glossary.pot", "km/glossary.po", "glossary.tbx", "glossary-v2.tbx",
            "glossary.csv", "glossary.json", "glossary.omegat.txt", "glossary.xlsx",
            "glossary-compendium.km.po", "site/index.html", "site/km/print.html")


def _run(project: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "glossary.cli.app_main", *args],
                          cwd=project, capture_output=True, timeout=120, check=False)


MANIFEST = ".site-manifest"
JOURNAL = ".cache/site-writes.journal"


def _kept_files(build: Path) -> list[Path]:
    """Every file a build keeps for the next one, and the site's journal (which exists
    only while a build runs, or after one was interrupted)."""
    kept = [p for p in (build / ".cache").rglob("*") if p.is_file()]
    kept += [build / MANIFEST, build / JOURNAL]
    return sorted(set(kept))


@pytest.mark.parametrize("plant", ["fifo", "folder", "device"])
def test_caches_that_are_not_files_are_read_as_missing(project: Path, tmp_path: Path,
                                                       plant: str) -> None:
    assert _run(project, "build").returncode == 0
    build = project / "build"
    clean = {name: (build / name).read_bytes() for name in COMPARED}
    kept = _kept_files(build)
    assert len(kept) > 20, kept  # the parse cache, the piece store, the site's state …
    for path in kept:
        if plant == "folder" and path.name == MANIFEST:
            continue  # see the test below
        path.unlink(missing_ok=True)
        if plant == "fifo":
            os.mkfifo(path)  # a read would wait for a writer forever
        elif plant == "folder":
            path.mkdir()
        else:
            path.symlink_to("/dev/zero")  # a read would never end
    edited = project / "terms" / "hallucination.toml"
    edited.write_text(edited.read_text(encoding="utf-8").replace(
        'text = "', 'text = "Edited. ', 1), encoding="utf-8")
    done = _run(project, "build")
    assert done.returncode == 0, done.stderr.decode()
    assert b"Traceback" not in done.stderr
    checked = _run(project, "check")
    assert checked.returncode == 0, checked.stderr.decode()
    exported = _run(project, "export", "tbx", "-o", "-")
    assert exported.returncode == 0, exported.stderr.decode()
    # the same bytes as a clean build of the edited glossary
    fresh = tmp_path / "fresh"
    shutil.copytree(project / "terms", fresh / "terms")
    shutil.copy(project / "pyproject.toml", fresh / "pyproject.toml")
    assert _run(fresh, "build").returncode == 0
    for name in COMPARED:
        assert (build / name).read_bytes() == (fresh / "build" / name).read_bytes(), name
    assert exported.stdout == (fresh / "build" / "glossary.tbx").read_bytes()
    assert (build / "glossary.tbx").read_bytes() != clean["glossary.tbx"]  # it was redone


def test_a_folder_in_place_of_the_sites_manifest_is_a_clear_error(project: Path) -> None:
    """The tool never deletes a folder it did not make: it says what is in the way."""
    assert _run(project, "build").returncode == 0
    manifest = project / "build" / MANIFEST
    manifest.unlink()
    manifest.mkdir()
    (manifest / "notes.txt").write_text("mine", encoding="utf-8")
    done = _run(project, "build")
    assert done.returncode != 0
    stderr = done.stderr.decode()
    assert "Traceback" not in stderr
    assert MANIFEST in stderr and "remove that folder" in stderr, stderr
    assert (manifest / "notes.txt").read_text(encoding="utf-8") == "mine"
