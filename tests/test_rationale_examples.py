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
FORMATS = ("tbx",)
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
    _with(project, "provider", "no-khmer-term")
    _round_trip(project, tmp_path, monkeypatch, fmt)
    again = loader.load_valid(_settings(tmp_path / f"empty-{fmt}")).glossary
    provider = again.concept("provider")
    assert provider is not None and provider.examples == EXAMPLES
    assert provider.km.terms[1].rationale == PROVIDER_RATIONALE
    assert provider.km.terms[0].rationale.startswith("Common in procurement texts")
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
