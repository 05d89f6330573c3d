"""`glossary build` redoes only what changed, and ends with the bytes of a clean build
(the database: the rows of a clean build, updated in place)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from glossary import pipeline
from glossary.config import load_settings
from glossary.outputs_state import STATE_NAME
from tests import db_rows

OUTPUT_TARGETS = [t for t in pipeline.TARGETS if t not in pipeline.SELF_INCREMENTAL]


def tree(build: Path) -> dict[str, object]:
    """Every output file (build data — the parse cache, the output state, the site's
    manifest — aside): its bytes, and for the database its content (rows, search
    answers), which an update in place keeps equal to a clean build's."""
    return {str(p.relative_to(build)): db_rows.content(p) if p.name == "glossary.db"
            else p.read_bytes() for p in sorted(build.rglob("*"))
            if p.is_file() and ".cache" not in p.relative_to(build).parts
            and p.name not in (".manifest.json", ".site-manifest")}


def statuses(report: pipeline.BuildReport) -> dict[str, str]:
    return {t.name: t.status for t in report.targets}


def test_a_second_build_writes_nothing(project: Path) -> None:
    settings = load_settings(cwd=project)
    first = pipeline.build(settings)
    assert all(s == "written" for n, s in statuses(first).items() if n != "site")
    mtimes = {p: p.stat().st_mtime_ns for p in settings.build_dir.rglob("*") if p.is_file()
              and ".cache" not in p.parts and not p.name.startswith(".")}
    second = pipeline.build(settings)
    assert {n: s for n, s in statuses(second).items() if n != "site"} == {
        n: "unchanged" for n in OUTPUT_TARGETS}
    assert statuses(second)["site"].startswith("0 files written")
    assert {p: p.stat().st_mtime_ns for p in mtimes} == mtimes


def test_an_edit_rebuilds_to_the_bytes_of_a_clean_build(project: Path, tmp_path: Path) -> None:
    settings = load_settings(cwd=project)
    pipeline.build(settings)
    path = project / "terms" / "transparency.toml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        'text = "transparency"', 'text = "openness of AI"', 1), encoding="utf-8")
    report = pipeline.build(settings)
    assert statuses(report)["db"] == "written"
    assert "unchanged" in statuses(report)["site"]
    clean = tmp_path / "clean"
    shutil.copytree(project, clean, ignore=shutil.ignore_patterns("build"))
    pipeline.build(load_settings(cwd=clean))
    assert tree(settings.build_dir) == tree(clean / "build")


def test_a_touched_or_deleted_output_is_written_again(project: Path) -> None:
    settings = load_settings(cwd=project)
    pipeline.build(settings)
    (settings.build_dir / "glossary.csv").unlink()
    (settings.build_dir / "glossary.tbx").write_bytes(b"edited by hand")
    report = statuses(pipeline.build(settings))
    assert report["csv"] == "written" and report["tbx"] == "written"
    assert report["db"] == "unchanged"
    assert (settings.build_dir / "glossary.tbx").read_bytes().startswith(b"<?xml")


def test_a_copied_project_checks_its_own_outputs(project: Path, tmp_path: Path) -> None:
    """The state names the outputs by their place in the build folder: in a copy of the
    project (modification times kept), a deleted output is written again, and every
    output reported is the copy's, never the original's."""
    pipeline.build(load_settings(cwd=project))
    copy = tmp_path / "copy"
    shutil.copytree(project, copy)  # copy2: the files keep their modification times
    (copy / "build" / "glossary.tbx").unlink()
    report = pipeline.build(load_settings(cwd=copy))
    assert statuses(report)["tbx"] == "written"
    assert (copy / "build" / "glossary.tbx").read_bytes().startswith(b"<?xml")
    assert report.outputs and all(copy in p.parents for p in report.outputs)
    assert statuses(pipeline.build(load_settings(cwd=copy)))["tbx"] == "unchanged"


def test_a_state_naming_files_outside_the_build_folder_is_not_trusted(project: Path) -> None:
    settings = load_settings(cwd=project)
    pipeline.build(settings)
    path = settings.cache_dir / STATE_NAME
    data = json.loads(path.read_text(encoding="utf-8"))
    outside = project / "terms" / "transparency.toml"
    for name in (str(outside), "../terms/transparency.toml"):
        data["targets"]["csv"]["files"] = {name: [outside.stat().st_size,
                                                  outside.stat().st_mtime_ns]}
        path.write_text(json.dumps(data), encoding="utf-8")
        report = statuses(pipeline.build(settings))
        assert report["csv"] == "written" and report["tbx"] == "unchanged"
        data = json.loads(path.read_text(encoding="utf-8"))


def test_a_damaged_state_means_a_full_build(project: Path) -> None:
    settings = load_settings(cwd=project)
    pipeline.build(settings)
    for damage in (b"", b"{not json", json.dumps({"version": 99, "targets": {}}).encode()):
        (settings.cache_dir / STATE_NAME).write_bytes(damage)
        report = statuses(pipeline.build(settings))
        assert all(report[n] == "written" for n in OUTPUT_TARGETS), report


def test_source_date_epoch_is_an_input(project: Path, monkeypatch) -> None:
    settings = load_settings(cwd=project)
    pipeline.build(settings)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert statuses(pipeline.build(settings))["po"] == "written"


def test_build_prints_what_it_did(cli, project: Path) -> None:
    cli("build")
    result = cli("build")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert any(line.split()[-1] == "unchanged" and "glossary.db" in line for line in lines)
    assert any("build/site" in line and "0 files written" in line for line in lines)


def test_an_unwritable_state_is_no_error(project: Path) -> None:
    settings = load_settings(cwd=project)
    pipeline.build(settings)
    state = settings.cache_dir / STATE_NAME
    state.unlink()
    state.mkdir()  # a folder where the state file should be
    report = statuses(pipeline.build(settings))
    assert all(report[n] == "written" for n in OUTPUT_TARGETS)
    assert os.path.isdir(state)
