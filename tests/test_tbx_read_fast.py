"""The TBX reader decides what a term's note or value means once per distinct text; a
file read that way gives the records of deciding every note afresh: on the glossary's
own export (real Khmer, review notes, demoted and dnt notes) and on other tools' files."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from glossary.formats import ReadOptions
from glossary.formats.tbx import reader
from tests.conftest import DATA

ROOT = Path(__file__).resolve().parent.parent

OTHER_TOOLS = ["v2_tig_bom_km-KH.tbx", "v3_dct.tbx", "v2_status_usage_dnt.tbx",
               "v2_duplicates_acronym.tbx", "v2_ntig.tbx", "foreign_rationale.tbx"]


def _read(path: Path) -> tuple[list[Any], dict[str, int], bool]:
    result = reader.read(path, ReadOptions())
    return list(result.concepts), dict(result.skipped), result.own


def _forgetful(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every note decided afresh: the reader's memo forgets at once."""
    decide = reader._EntryReader.note_kind

    def note_kind(self: Any, content: str) -> str:
        what = decide(self, content)
        self._note_kinds.clear()
        return what

    monkeypatch.setattr(reader._EntryReader, "note_kind", note_kind)


@pytest.mark.parametrize("name", OTHER_TOOLS)
def test_other_tools_files_read_the_same_with_and_without_the_memo(
        name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    remembered = _read(DATA / "tbx" / name)
    _forgetful(monkeypatch)
    assert _read(DATA / "tbx" / name) == remembered


def test_the_glossary_export_reads_the_same_with_and_without_the_memo(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from glossary import loader
    from glossary.config import load_settings
    from glossary.formats import tbx

    project = tmp_path / "shipped"  # the real glossary: 434 concepts, Khmer throughout
    shutil.copytree(ROOT / "terms", project / "terms")
    (project / "pyproject.toml").write_text('[tool.glossary]\nterms = "terms"\n',
                                            encoding="utf-8")
    out = tmp_path / "g.tbx"
    with open(out, "wb") as handle:
        tbx.write(loader.load(load_settings(cwd=project)).glossary, handle)
    remembered = _read(out)
    concepts, _, own = remembered
    assert own and len(concepts) > 400
    notes = out.read_text(encoding="utf-8")
    assert "glossary:review=" in notes and "Review: " in notes  # the memo is exercised
    _forgetful(monkeypatch)
    assert _read(out) == remembered


def test_a_note_means_what_its_file_says_whoever_wrote_the_file(tmp_path: Path) -> None:
    # the same note is a dnt mark in a glossary file and a plain note in another tool's:
    # the memo of one file never decides for the next
    def tbx(generator: str) -> Path:
        path = tmp_path / f"{generator}.tbx"
        path.write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dca" '
            'xml:lang="en"><tbxHeader><fileDesc><sourceDesc>'
            f'<p type="generator">{generator}</p></sourceDesc></fileDesc></tbxHeader>'
            '<text><body><conceptEntry id="c-1"><langSec xml:lang="en"><termSec>'
            '<term>data</term><note>glossary:dnt=yes</note></termSec></langSec>'
            '</conceptEntry></body></text></tbx>', encoding="utf-8")
        return path

    ours = reader.read(tbx("glossary"), ReadOptions()).concepts[0].en.terms[0]
    theirs = reader.read(tbx("other"), ReadOptions()).concepts[0].en.terms[0]
    assert (ours.dnt, ours.note) == (True, None)
    assert (theirs.dnt, theirs.note) == (None, "glossary:dnt=yes")


NOTES = ["glossary:review=proposed; origin=human", "glossary:origin=machine-assisted",
         "glossary:review-note=checked", "glossary:review", "glossary:other=x",
         "glossary:dnt=yes", "glossary:admin=preferred", "Review: approved by X",
         "Rationale: short", "Do not translate.", "a plain note", "", "glossary:=x",
         " glossary:review=approved", "glossary:review=approved\n"]


@pytest.mark.parametrize("own", [True, False])
def test_a_definitions_review_note_is_known_by_its_remembered_kind(own: bool) -> None:
    # definition() takes a note as a review note when its remembered kind (the one the
    # terms' notes use) is the review kind: exactly the notes is_meta() accepts
    from glossary.formats.tbx.review import is_meta
    from glossary.imports.records import ReadResult

    result = ReadResult(path=Path("f.tbx"), format="tbx")
    result.own = own
    entries = reader._EntryReader(result, None, True)
    for note in NOTES:
        assert (entries.note_kind(note) is reader._META) == is_meta(note, own), note
