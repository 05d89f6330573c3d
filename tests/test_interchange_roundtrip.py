"""Round trips for TBX, CSV and XLSX: export → import reports zero changes, and
export → import into an empty terms/ → export gives the same file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from glossary.cli import main
from tests.conftest import ROOT, write_concept
from tests.test_tbx import EDGE_CONCEPT

FORMATS = ("tbx", "csv", "xlsx")


def _run(cwd: Path, monkeypatch: pytest.MonkeyPatch, *args: str):
    monkeypatch.chdir(cwd)
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _empty_project(base: Path, registry_from: Path) -> Path:
    (base / "terms").mkdir(parents=True)
    for name in ("_sources.toml", "_domains.toml"):
        shutil.copy(registry_from / name, base / "terms" / name)
    (base / "pyproject.toml").write_text('[tool.glossary]\nterms = "terms"\n', encoding="utf-8")
    return base


def _round_trip(project: Path, tmp_path: Path, monkeypatch, fmt: str) -> None:
    exported = tmp_path / f"glossary.{fmt}"
    result = _run(project, monkeypatch, "export", fmt, "-o", str(exported))
    assert result.exit_code == 0, result.output
    report = _run(project, monkeypatch, "import", fmt, str(exported), "--format", "json")
    assert report.exit_code == 0, report.output
    data = json.loads(report.stdout)
    assert (data["added"], data["changed"], data["conflicts"]) == (0, 0, 0), data["changes"]
    assert data["written_by_glossary"] is True
    assert data["skipped"] == {}

    empty = _empty_project(tmp_path / f"empty-{fmt}", project / "terms")
    applied = _run(empty, monkeypatch, "import", fmt, str(exported), "--apply", "--by", "T")
    assert applied.exit_code == 0, applied.output
    assert _run(empty, monkeypatch, "check").exit_code == 0
    again = tmp_path / f"again.{fmt}"
    assert _run(empty, monkeypatch, "export", fmt, "-o", str(again)).exit_code == 0
    assert again.read_bytes() == exported.read_bytes()


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_of_the_mini_glossary_with_edge_cases(project: Path, tmp_path: Path,
                                                         monkeypatch, fmt: str) -> None:
    write_concept(project, "3d-model", EDGE_CONCEPT)
    _round_trip(project, tmp_path, monkeypatch, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_of_the_shipped_glossary(tmp_path: Path, monkeypatch, fmt: str) -> None:
    project = tmp_path / "shipped"
    shutil.copytree(ROOT / "terms", project / "terms")
    (project / "pyproject.toml").write_text('[tool.glossary]\nterms = "terms"\n',
                                            encoding="utf-8")
    _round_trip(project, tmp_path, monkeypatch, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_edit_in_the_file_is_reported_and_applied(project: Path, tmp_path: Path,
                                                     monkeypatch, fmt: str) -> None:
    exported = tmp_path / f"glossary.{fmt}"
    _run(project, monkeypatch, "export", fmt, "-o", str(exported))
    if fmt == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(exported)
        sheet = book["terms"]
        header = [c.value for c in sheet[1]]
        for row in sheet.iter_rows(min_row=2):
            if row[header.index("term")].value == "គំរូ":
                row[header.index("admin_status")].value = "deprecated"
        book.save(exported)
    else:
        old = exported.read_bytes()
        if fmt == "csv":
            new = old.replace("ai-model,km,គំរូ,admitted".encode(),
                              "ai-model,km,គំរូ,deprecated".encode())
        else:
            new = old.replace(
                "<term>គំរូ</term>\n            <termNote type=\"administrativeStatus\">"
                "admittedTerm-admn-sts".encode(),
                "<term>គំរូ</term>\n            <termNote type=\"administrativeStatus\">"
                "deprecatedTerm-admn-sts".encode())
        assert new != old
        exported.write_bytes(new)
    report = _run(project, monkeypatch, "import", fmt, str(exported))
    assert report.exit_code == 0, report.output
    assert "0 added, 1 changed, 0 conflict(s), 4 unchanged" in report.stdout
    assert "changed  ai-model  km term 'គំរូ': admin_status: admitted → deprecated" \
        in report.stdout
    applied = _run(project, monkeypatch, "import", fmt, str(exported), "--apply", "--by", "T")
    assert applied.exit_code == 0
    text = (project / "terms" / "ai-model.toml").read_text("utf-8")
    assert 'admin_status = "deprecated"' in text
    assert text.startswith("# AI model\n")  # the file's own comment is kept
    assert _run(project, monkeypatch, "check").exit_code == 0


@pytest.mark.parametrize("fmt,start", [("tbx", b"<?xml"), ("csv", b"\xef\xbb\xbfconcept_id,")])
def test_export_to_standard_output(cli, fmt: str, start: bytes) -> None:
    result = cli("export", fmt)
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.startswith(start)
    assert "wrote" not in result.stdout


def test_export_refuses_an_invalid_glossary(cli, project: Path) -> None:
    write_concept(project, "broken", 'id = "broken"\ndomains = ["nope"]\n')
    result = cli("export", "tbx", "-o", "out.tbx")
    assert result.exit_code == 1
    assert "run `glossary check`" in result.stderr
    assert not (project / "out.tbx").exists()
