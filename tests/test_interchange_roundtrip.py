"""Round trips for TBX, CSV and XLSX: export → import reports zero changes, and
export → import into an empty terms/ gives the same glossary (approvals come back as
proposals: a file never decides), and the same import again writes nothing."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from glossary import loader
from glossary.cli import main
from glossary.config import load_settings
from glossary.model import ReviewState
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


def _round_trip(project: Path, tmp_path: Path, monkeypatch, fmt: str) -> int:
    """The round trips; returns how many approved or rejected terms came back as
    proposals."""
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
    # everything comes back, except that a file's approvals are not decisions here: an
    # approved term arrives as a proposal whose note says what the file claimed
    original = loader.load(load_settings(cwd=project)).glossary
    imported = loader.load(load_settings(cwd=empty)).glossary
    assert [c.id for c in imported.concepts] == [c.id for c in original.concepts]
    approved = 0
    for old, new in zip(original.concepts, imported.concepts, strict=True):
        for code in ("en", "km"):
            for a, b in zip(old.lang(code).terms, new.lang(code).terms, strict=True):
                if a.review.state in (ReviewState.APPROVED, ReviewState.REJECTED):
                    approved += 1
                    assert b.review.state is ReviewState.PROPOSED
                    assert b.review.approved_by is None
                    said = f"the file glossary.{fmt} says {a.review.state.value}"
                    if a.review.approved_by:
                        said += f" by {a.review.approved_by}"
                    assert b.review.note.startswith(said)
                    b = replace(b, review=a.review)
                assert replace(b, rationale=a.rationale) == a  # rationale: issue 15's part
    assert _run(empty, monkeypatch, "check").exit_code == 0
    again = tmp_path / f"again.{fmt}"
    assert _run(empty, monkeypatch, "export", fmt, "-o", str(again)).exit_code == 0
    # and a second apply of the same file writes nothing
    before = {p.name: p.read_bytes() for p in (empty / "terms").glob("*.toml")}
    second = _run(empty, monkeypatch, "import", fmt, str(exported), "--apply", "--by", "T",
                  "--format", "json")
    data = json.loads(second.stdout)
    assert (data["added"], data["changed"], data["written"]) == (0, 0, []), data["changes"]
    assert {p.name: p.read_bytes() for p in (empty / "terms").glob("*.toml")} == before
    return approved


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_of_the_mini_glossary_with_edge_cases(project: Path, tmp_path: Path,
                                                         monkeypatch, fmt: str) -> None:
    write_concept(project, "3d-model", EDGE_CONCEPT)
    assert _round_trip(project, tmp_path, monkeypatch, fmt) > 0


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
    assert "0 added, 1 changed, 0 candidate(s), 0 conflict(s), 4 unchanged" in report.stdout
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


@pytest.mark.parametrize("cleared", [0, 3, 14])
def test_the_po_report_lists_what_the_translator_confirmed(tmp_path: Path, monkeypatch,
                                                           cleared: int) -> None:
    """Of the unchanged entries, the text report lists those whose fuzzy flag the editor
    cleared (a reviewer can approve them): ten, then how many more; none, no heading."""
    import polib

    project = tmp_path / "shipped"
    shutil.copytree(ROOT / "terms", project / "terms")
    (project / "pyproject.toml").write_text('[tool.glossary]\nterms = "terms"\n',
                                            encoding="utf-8")
    exported = tmp_path / "km.po"
    _run(project, monkeypatch, "export", "po", "-o", str(exported))
    catalog = polib.pofile(str(exported))
    for entry in [e for e in catalog if e.fuzzy and e.msgstr][:cleared]:
        entry.flags.remove("fuzzy")
    catalog.save(str(exported))
    out = _run(project, monkeypatch, "import", "po", str(exported)).stdout
    confirmed = [line for line in out.splitlines() if "the editor cleared fuzzy" in line]
    assert len(confirmed) == min(cleared, 10)
    assert ("unchanged (" in out) == bool(cleared)
    assert ("… and 4 more (--format json lists all)" in out) == (cleared == 14)
