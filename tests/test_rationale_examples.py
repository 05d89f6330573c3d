"""Rationale and examples in the interchange formats: TBX, CSV and XLSX carry them, an
import compares and applies them like other fields, and both round trips hold."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from glossary import loader
from glossary.formats import tbx
from glossary.model import Example
from tests.conftest import DATA
from tests.test_interchange_roundtrip import _round_trip
from tests.test_tbx import _relaxng

RATIONALE = DATA / "rationale"
FORMATS = ("tbx", "csv", "xlsx")
NS = {"t": "urn:iso:std:iso:30042:ed-2"}
PROVIDER_RATIONALE = ("អ្នក 'person, party' + ផ្តល់ 'provide';\n"
                      "the word the definitions use (not A&B <supplier>).")
EXAMPLES = (
    Example("The provider gives deployers clear instructions.",
            "អ្នកផ្តល់ផ្តល់សេចក្តីណែនាំច្បាស់លាស់ដល់អ្នកដាក់ឲ្យប្រើប្រាស់។"),
    Example("A provider must keep logs\nfor ten years;\tthen delete them.",
            "អ្នកផ្តល់ត្រូវរក្សាកំណត់ហេតុ\nរយៈពេលដប់ឆ្នាំ។"),
)


def _with(project: Path, *names: str) -> Path:
    for name in names:
        shutil.copy(RATIONALE / f"{name}.toml", project / "terms" / f"{name}.toml")
    return project


def _run(cwd: Path, monkeypatch: pytest.MonkeyPatch, *args: str):
    from glossary.cli import main

    monkeypatch.chdir(cwd)
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _tbx(settings) -> bytes:
    buffer = io.BytesIO()
    tbx.write(loader.load_valid(settings).glossary, buffer)
    return buffer.getvalue()


def test_the_test_concept_reads_as_written(project: Path, settings) -> None:
    _with(project, "provider")
    concept = loader.load_valid(settings).glossary.concept("provider")
    assert concept is not None
    assert concept.examples == EXAMPLES
    assert concept.km.terms[1].rationale == PROVIDER_RATIONALE


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_with_rationale_examples_and_line_breaks(project: Path, tmp_path: Path,
                                                            monkeypatch, fmt: str) -> None:
    _with(project, "provider", "no-khmer-term", "three-examples", "note-like-rationale")
    _round_trip(project, tmp_path, monkeypatch, fmt)
    again = loader.load_valid(_settings(tmp_path / f"empty-{fmt}")).glossary
    provider = again.concept("provider")
    assert provider is not None and provider.examples == EXAMPLES
    assert provider.km.terms[1].rationale == PROVIDER_RATIONALE
    assert provider.km.terms[0].rationale.startswith("Common in procurement texts")
    note_like = again.concept("note-like-rationale")
    assert note_like is not None and note_like.km.terms[0].rationale is None
    assert note_like.km.terms[0].note.startswith("Rationale: typed by hand")
    waiting = again.concept("no-khmer-term")
    assert waiting is not None and waiting.examples == (
        Example("Nobody has proposed a Khmer term yet.",
                "មិនទាន់មានអ្នកស្នើពាក្យខ្មែរនៅឡើយទេ។"),)


def _settings(root: Path):
    from glossary.config import load_settings

    return load_settings(cwd=root)


def test_tbx_places_them_where_tbx_basic_has_room(project: Path, settings) -> None:
    _with(project, "provider", "no-khmer-term")
    data = _tbx(settings)
    schema = _relaxng()
    assert schema.validate(etree.fromstring(data)), schema.error_log
    root = etree.fromstring(data)
    entry = root.find(".//t:conceptEntry[@id='provider']", NS)
    km_terms = entry.findall("t:langSec[@xml:lang='km']/t:termSec", {
        **NS, "xml": "http://www.w3.org/XML/1998/namespace"})
    deprecated, preferred = km_terms
    # a rationale is a plain note other tools show as text
    notes = [n.text for n in preferred.findall("t:note", NS)]
    assert "Rationale: " + PROVIDER_RATIONALE in notes
    # examples sit on the preferred term only, as TBX-Basic context sentences
    assert deprecated.find("t:descripGrp", NS) is None
    groups = preferred.findall("t:descripGrp", NS)
    assert [g.find("t:descrip[@type='context']", NS).text for g in groups] == \
        [e.km for e in EXAMPLES]
    assert all(g.find("t:note", NS).text == "glossary:example" for g in groups)
    # a language with no term: the sentences are concept-level notes
    waiting = root.find(".//t:conceptEntry[@id='no-khmer-term']", NS)
    assert [n.text for n in waiting.findall("t:note", NS)] == [
        "glossary:example-km=មិនទាន់មានអ្នកស្នើពាក្យខ្មែរនៅឡើយទេ។"]


def test_an_edited_rationale_and_example_are_changes(project: Path, tmp_path: Path,
                                                     monkeypatch) -> None:
    _with(project, "provider")
    exported = tmp_path / "glossary.tbx"
    assert _run(project, monkeypatch, "export", "tbx", "-o", str(exported)).exit_code == 0
    text = exported.read_text("utf-8")
    edited = (text.replace("not A&amp;B &lt;supplier&gt;", "not a supplier")
              .replace("ដល់អ្នកដាក់ឲ្យប្រើប្រាស់។", "ដល់អ្នកដាក់ឱ្យប្រើ។"))
    assert edited.count("not a supplier") == 1 and edited.count("ដល់អ្នកដាក់ឱ្យប្រើ។") == 1
    exported.write_text(edited, "utf-8")
    report = _run(project, monkeypatch, "import", "tbx", str(exported), "--format", "json")
    data = json.loads(report.stdout)
    assert (data["added"], data["changed"], data["conflicts"]) == (0, 2, 0), data["changes"]
    applied = _run(project, monkeypatch, "import", "tbx", str(exported), "--apply", "--by", "T")
    assert applied.exit_code == 0, applied.output
    concept = loader.load_valid(_settings(project)).glossary.concept("provider")
    assert concept is not None
    assert concept.km.terms[1].rationale.endswith("(not a supplier).")
    assert concept.examples[0].km == "អ្នកផ្តល់ផ្តល់សេចក្តីណែនាំច្បាស់លាស់ដល់អ្នកដាក់ឱ្យប្រើ។"
    assert concept.examples[1] == EXAMPLES[1]


def test_another_tools_rationale_fills_only_what_we_lack(project: Path, monkeypatch) -> None:
    path = DATA / "tbx" / "foreign_rationale.tbx"
    result = tbx.read(path)
    assert not result.own
    (incoming,) = result.concepts
    assert incoming.km.terms[0].rationale == "តម្លា 'clear' + ភាព '-ness'."
    # "glossary:example" is ours: in another tool's file the sentence is the term's context
    assert incoming.examples is None
    assert incoming.en.terms[0].context == "Transparency builds trust."
    applied = _run(project, monkeypatch, "import", "tbx", str(path), "--apply", "--by", "T")
    assert applied.exit_code == 0, applied.output
    concept = loader.load_valid(_settings(project)).glossary.concept("transparency")
    assert concept is not None
    assert concept.km.terms[0].rationale == "តម្លា 'clear' + ភាព '-ness'."
    assert concept.examples == ()
    # a second file with another rationale does not replace the one we now have
    other = project / "other.tbx"
    other.write_text(path.read_text("utf-8").replace("'clear'", "'transparent'"), "utf-8")
    report = _run(project, monkeypatch, "import", "tbx", str(other), "--format", "json")
    data = json.loads(report.stdout)
    assert (data["added"], data["changed"]) == (0, 0), data["changes"]


def _csv_rows(path: Path) -> list[dict[str, str]]:
    import csv

    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_csv_puts_example_n_on_row_n_and_adds_rows_when_needed(project: Path, tmp_path: Path,
                                                               monkeypatch) -> None:
    _with(project, "provider", "three-examples")
    out = tmp_path / "g.csv"
    assert _run(project, monkeypatch, "export", "csv", "-o", str(out)).exit_code == 0
    provider = [r for r in _csv_rows(out) if r["concept_id"] == "provider"]
    assert [(r["lang"], r["term"]) for r in provider] == [
        ("en", "provider"), ("km", "អ្នកផ្គត់ផ្គង់"), ("km", "អ្នកផ្តល់")]
    assert [(r["example_en"], r["example_km"]) for r in provider] == [
        (EXAMPLES[0].en, EXAMPLES[0].km), (EXAMPLES[1].en, EXAMPLES[1].km), ("", "")]
    assert provider[2]["rationale"] == PROVIDER_RATIONALE
    assert provider[0]["rationale"] == ""
    three = [r for r in _csv_rows(out) if r["concept_id"] == "three-examples"]
    assert [(r["lang"], r["term"], r["example_km"]) for r in three] == [
        ("en", "example holder", "ឧទាហរណ៍ទីមួយ។"), ("km", "អ្នកកាន់ឧទាហរណ៍", "ឧទាហរណ៍ទីពីរ។"),
        ("en", "", "ឧទាហរណ៍ទីបី។")]
    assert three[1]["example_en"] == "'=SUM(A1) is not a formula here."  # neutralized


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_with_more_examples_than_rows(project: Path, tmp_path: Path, monkeypatch,
                                                 fmt: str) -> None:
    _with(project, "three-examples")
    _round_trip(project, tmp_path, monkeypatch, fmt)
    again = loader.load_valid(_settings(tmp_path / f"empty-{fmt}")).glossary
    concept = again.concept("three-examples")
    assert concept is not None
    assert [e.en for e in concept.examples] == [
        "First example.", "=SUM(A1) is not a formula here.", "Third example."]


def test_csv_line_breaks_typed_as_crlf_read_as_lf(project: Path, tmp_path: Path,
                                                  monkeypatch) -> None:
    _with(project, "provider")
    out = tmp_path / "g.csv"
    assert _run(project, monkeypatch, "export", "csv", "-o", str(out)).exit_code == 0
    data = out.read_bytes()
    for sentence in ("logs\nfor ten years", "កំណត់ហេតុ\nរយៈពេល", "'provide';\nthe word"):
        assert data.count(sentence.encode()) == 1
        data = data.replace(sentence.encode(), sentence.replace("\n", "\r\n").encode())
    out.write_bytes(data)
    report = _run(project, monkeypatch, "import", "csv", str(out), "--format", "json")
    result = json.loads(report.stdout)
    assert (result["added"], result["changed"], result["conflicts"]) == (0, 0, 0), \
        result["changes"]


def test_a_csv_written_before_the_new_columns_is_still_ours(project: Path, tmp_path: Path,
                                                            monkeypatch) -> None:
    import csv

    _with(project, "provider")
    out = tmp_path / "g.csv"
    assert _run(project, monkeypatch, "export", "csv", "-o", str(out)).exit_code == 0
    rows = _csv_rows(out)
    old = tmp_path / "old.csv"
    with old.open("w", encoding="utf-8-sig", newline="") as handle:
        names = [n for n in rows[0] if n not in ("rationale", "example_en", "example_km")]
        writer = csv.DictWriter(handle, names, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    report = _run(project, monkeypatch, "import", "csv", str(old), "--format", "json")
    result = json.loads(report.stdout)
    assert result["written_by_glossary"] is True
    # it says nothing about rationales and examples: nothing to clear
    assert (result["added"], result["changed"], result["conflicts"]) == (0, 0, 0), \
        result["changes"]


def test_another_tools_csv_adds_rationale_and_examples_where_we_have_none(
        project: Path, monkeypatch) -> None:
    path = DATA / "csv" / "foreign_rationale.csv"
    applied = _run(project, monkeypatch, "import", "csv", str(path), "--apply", "--by", "T")
    assert applied.exit_code == 0, applied.output
    concept = loader.load_valid(_settings(project)).glossary.concept("transparency")
    assert concept is not None
    assert concept.km.terms[0].rationale == "តម្លា clear + ភាព -ness."
    assert concept.examples == (
        Example("Transparency builds trust,\nline two.", "តម្លាភាពកសាងទំនុកចិត្ត។"),)
    # our examples now exist: another file's differ and are not taken
    other = project / "other.csv"
    other.write_text(path.read_text("utf-8").replace("line two", "line 2"), "utf-8")
    report = _run(project, monkeypatch, "import", "csv", str(other), "--format", "json")
    result = json.loads(report.stdout)
    assert (result["added"], result["changed"]) == (0, 0), result["changes"]
    assert result["skipped"].get("examples that differ from ours (ours kept)") == 1


def test_a_changed_khmer_proposal_brings_its_own_rationale(project: Path, tmp_path: Path,
                                                           monkeypatch) -> None:
    import csv

    _with(project, "provider")
    out = tmp_path / "g.csv"
    assert _run(project, monkeypatch, "export", "csv", "-o", str(out)).exit_code == 0
    rows = _csv_rows(out)
    for row in rows:
        if row["concept_id"] == "provider" and row["term"] == "អ្នកផ្តល់":
            row["term"], row["rationale"] = "អ្នកផ្តល់សេវា", "អ្នកផ្តល់ + សេវា 'service'."
    with out.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    applied = _run(project, monkeypatch, "import", "csv", str(out), "--apply", "--by", "T")
    assert applied.exit_code == 0, applied.output
    concept = loader.load_valid(_settings(project)).glossary.concept("provider")
    assert concept is not None
    by_text = {t.text: t for t in concept.km.terms}
    assert by_text["អ្នកផ្តល់សេវា"].rationale == "អ្នកផ្តល់ + សេវា 'service'."
    # the earlier text keeps the rationale that explained it
    assert by_text["អ្នកផ្តល់"].admin_status.value == "superseded"
    assert by_text["អ្នកផ្តល់"].rationale == PROVIDER_RATIONALE
