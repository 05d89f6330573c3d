"""`glossary build`: the database, determinism, atomicity."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from glossary import pipeline
from glossary.errors import ValidationFailed
from glossary.store import write as store_write


def test_build_writes_database(cli, project: Path) -> None:
    result = cli("build")
    assert result.exit_code == 0, result.output
    assert "built 5 concepts" in result.stdout
    db = sqlite3.connect(project / "build" / "glossary.db")
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"concept", "term", "definition", "documents", "sections", "source_ref",
            "domains", "_terms_en_fts", "_terms_tri_fts", "_term_grams"} <= tables
    assert db.execute("SELECT count(*) FROM concept").fetchone()[0] == 5
    row = db.execute(
        "SELECT text, key, review, origin FROM term WHERE concept='hallucination' AND lang='km'"
    ).fetchone()
    assert row == ("ការប្រឌិតចម្លើយ", "ការប្រឌិតចម្លើយ", "proposed", "machine-assisted")
    refs = db.execute('SELECT doc, section FROM source_ref WHERE concept = ?',
                      ("hallucination",)).fetchall()
    assert refs == [("asean-genai-guide-2025", "risk.2")]
    assert "Traceback" not in result.output


def test_build_is_deterministic(settings) -> None:
    pipeline.build(settings, ["db"])
    first = settings.db_path.read_bytes()
    settings.db_path.unlink()
    pipeline.build(settings, ["db"])
    assert settings.db_path.read_bytes() == first


def test_interrupted_build_keeps_previous_database(settings, monkeypatch) -> None:
    pipeline.build(settings, ["db"])
    before = settings.db_path.read_bytes()

    def boom(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(store_write, "_insert", boom)
    (settings.cache_dir / "outputs.json").unlink()  # else the database is up to date
    with pytest.raises(KeyboardInterrupt):
        pipeline.build(settings, ["db"])
    assert settings.db_path.read_bytes() == before
    leftovers = [p.name for p in settings.build_dir.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_builds_wait_for_each_other(settings) -> None:
    """A build holds build/.glossary-build.lock; another waits instead of racing it."""
    import fcntl
    import threading

    from glossary.lock import BUILD_LOCK_NAME, build_lock

    done = threading.Event()
    with build_lock(settings.build_dir):
        worker = threading.Thread(target=lambda: (pipeline.build(settings, ["db"]), done.set()))
        worker.start()
        worker.join(timeout=1.0)
        assert not done.is_set()  # still waiting for the lock
        with open(settings.build_dir / BUILD_LOCK_NAME) as handle:  # and the lock is held
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                held = False
            except BlockingIOError:
                held = True
        assert held
    worker.join(timeout=60)
    assert done.is_set() and settings.db_path.is_file()


def test_build_refuses_invalid_glossary(settings, project: Path) -> None:
    path = project / "terms" / "transparency.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('doc = "asean-guide-2024"',
                                                            'doc = "nowhere"'),
                    encoding="utf-8")
    with pytest.raises(ValidationFailed):
        pipeline.build(settings, ["db"])
    assert not settings.db_path.exists()


def test_build_cli_syntax_error_is_an_input_error(cli, project: Path) -> None:
    path = project / "terms" / "transparency.toml"
    path.write_text("id = ", encoding="utf-8")
    result = cli("build")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: terms/transparency.toml:1:")


def test_build_cli_lists_validation_errors(cli, project: Path) -> None:
    path = project / "terms" / "transparency.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('see_also = [', 'see_also = ["nope", '),
                    encoding="utf-8")
    result = cli("build")
    assert result.exit_code == 1
    assert "run `glossary check`" in result.stderr
    assert "terms/transparency.toml:4: unknown-see-also" in result.stderr


def test_read_only_commands_never_modify_terms(cli, project: Path) -> None:
    def snapshot():
        # the git-ignored lock file the first command creates aside
        return {p: p.read_bytes() for p in sorted((project / "terms").iterdir())
                if p.name != ".glossary.lock"}

    before = snapshot()
    for args in (["check"], ["build"], ["search", "model"], ["export", "json"], ["stats"]):
        cli(*args)
    assert snapshot() == before


def test_unknown_target(cli) -> None:
    result = cli("build", "--only", "nothing")
    assert result.exit_code == 2
    assert "unknown build target" in result.stderr


def test_progress_is_quiet_when_piped(cli) -> None:
    result = cli("build")
    assert "reading terms/" not in result.output


def test_written_files_have_normal_permissions(cli, project):
    # files other projects take must be readable by them: not mkstemp's private 0600
    import os
    import stat

    old = os.umask(0o022)
    try:
        assert cli("build", "--only", "db").exit_code == 0
        for fmt in ("tbx", "csv", "po", "mo", "json"):
            assert cli("export", fmt, "-o", f"out.{fmt}").exit_code == 0, fmt
        assert cli("export", "po", "-o", "catalogs").exit_code == 0  # POT and PO in a folder
    finally:
        os.umask(old)
    written = [project / "build" / "glossary.db",
               *(project / f"out.{fmt}" for fmt in ("tbx", "csv", "json", "po", "mo")),
               *(p for p in (project / "catalogs").rglob("*") if p.is_file())]
    assert len(written) == 8
    for path in written:
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path


def test_build_timings_show_cpu_and_wall_per_output(cli) -> None:
    result = cli("build", "--timings")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()[1:]
    targets = [line for line in lines if line.startswith("  build/")]
    assert len(targets) == len(pipeline.TARGETS)
    assert all(re.search(r"\(cpu \d+\.\d\d s, wall \d+\.\d\d s\)$", line) for line in targets)
    assert re.fullmatch(r"  reading terms/: cpu \d+\.\d\d s, wall \d+\.\d\d s; "
                        r"in all: cpu \d+\.\d\d s, wall \d+\.\d\d s", lines[-1])
    plain = cli("build")
    assert "cpu" not in plain.stdout


def test_build_outputs_are_not_flushed_to_disk_but_exports_are(settings, monkeypatch) -> None:
    """``build`` writes derived files without an fsync (like make or Sphinx: a crash
    costs a rebuild); a file ``export -o`` writes is flushed before its rename."""
    import io
    import os

    from glossary import exporting, output
    from glossary.formats.options import WriteOptions

    synced: list[str] = []
    real = os.fsync

    def noting(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        real(fd)

    monkeypatch.setattr(os, "fsync", noting)
    pipeline.build(settings)
    assert (settings.build_dir / "glossary.tbx").is_file()
    assert synced == []
    out = settings.root / "mine.tbx"
    exporting.export_file(settings, "tbx", out, WriteOptions())
    assert len(synced) == 1 and synced[0].startswith(str(settings.root / ".mine.tbx."))
    with output.writer(settings.root / "terms-copy.txt") as handle:  # the default
        handle.write(b"x")
    assert len(synced) == 2
    exporting.export_file(settings, "tbx", io.BytesIO(), WriteOptions())  # a stream
    assert len(synced) == 2
