"""PO export: the Khmer term's rationale and the concept's examples reach the translators
as extracted comments; a deprecated Khmer term never answers an English term."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import polib

from glossary import loader, pairs
from glossary.model import AdminStatus, LangSection
from tests.gettext.po_helpers import msgfmt, po_texts

PO = Path("locale/km/LC_MESSAGES/glossary.po")
ROOT = Path(__file__).resolve().parent.parent.parent
PROVIDER = ROOT / "tests" / "data" / "rationale" / "provider.toml"


def _provider(po_project: Path) -> None:
    shutil.copy(PROVIDER, po_project / "terms" / "provider.toml")


def test_rationale_and_examples_are_extracted_comments(run, po_project):
    _provider(po_project)
    result = run("export", "po")
    assert result.exit_code == 0, result.output
    entry = {e.msgctxt: e for e in polib.pofile(str(po_project / PO))}["provider"]
    lines = entry.comment.split("\n")
    # the rationale of the entry's own Khmer term, kept whole over its two lines
    at = lines.index("Rationale: អ្នក 'person, party' + ផ្តល់ 'provide';")
    assert lines[at + 1] == "the word the definitions use (not A&B <supplier>)."
    assert lines[at - 1].startswith("Khmer term: proposed")
    # not the rationale of the deprecated alternative
    assert "supplier\": kept" not in entry.comment
    # each example as "EN — KM", a line break inside a sentence kept
    assert ("Example: The provider gives deployers clear instructions. — "
            "អ្នកផ្តល់ផ្តល់សេចក្តីណែនាំច្បាស់លាស់ដល់អ្នកដាក់ឲ្យប្រើប្រាស់។") in lines
    assert ("Example: A provider must keep logs\nfor ten years;\tthen delete them. — "
            "អ្នកផ្តល់ត្រូវរក្សាកំណត់ហេតុ\nរយៈពេលដប់ឆ្នាំ។") in entry.comment
    for path in (po_project / PO, po_project / "locale/glossary.pot"):
        checked = msgfmt("-c", "-o", "/dev/null", path)
        assert checked.returncode == 0, checked.stderr


def test_a_deprecated_khmer_term_never_pairs(run, po_project, po_settings):
    _provider(po_project)
    concept = loader.load_valid(po_settings).glossary.concept("provider")
    assert concept is not None
    assert concept.km.terms[0].admin_status.value == "deprecated"
    (pair,) = pairs.pair_terms(concept)
    assert pair.km is not None and pair.km.text == "អ្នកផ្តល់" and pair.km_index == 1
    run("export", "po")
    entry = {e.msgctxt: e for e in polib.pofile(str(po_project / PO))}["provider"]
    assert entry.msgstr == "អ្នកផ្តល់"
    # the reviewer still sees it, with its status, among the other Khmer terms
    assert "Other Khmer terms: អ្នកផ្គត់ផ្គង់ (deprecated, proposed)" in entry.comment


def test_a_deprecated_khmer_term_alone_leaves_the_entry_untranslated(po_settings):
    concept = loader.load_valid(po_settings).glossary.concept("fairness")
    assert concept is not None
    km = replace(concept.km.terms[0], admin_status=AdminStatus.DEPRECATED)
    alone = replace(concept, km=LangSection(terms=(km,)))
    assert pairs.pair_terms(alone) == [pairs.Pair(0, concept.en.terms[0], None, None)]


def test_the_shipped_catalog_gives_every_rationale_and_example(tmp_path):
    from glossary.config import load_settings
    from glossary.model import ConceptStatus

    loaded = loader.load_valid(load_settings(cwd=ROOT))
    glossary = loaded.glossary
    entries = pairs.build_entries(glossary)
    with_rationale = 0
    for entry in entries:
        concept = glossary.concept(entry.concept_id)
        assert concept is not None and concept.status is ConceptStatus.ACTIVE
        if entry.km_index is not None:
            km = concept.km.terms[entry.km_index]
            assert km.admin_status is not AdminStatus.DEPRECATED, entry.context
            if km.rationale:
                assert f"Rationale: {km.rationale}" in entry.comments, entry.context
                with_rationale += 1
        for example in concept.examples:
            assert f"Example: {example.en} — {example.km}" in entry.comments
    assert with_rationale > 400  # the shipped glossary gives one for every Khmer term
    pot, po_text = po_texts(glossary, loaded.revision)
    for name, text in (("glossary.pot", pot), ("glossary.po", po_text)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        checked = msgfmt("-c", "-o", "/dev/null", path)
        assert checked.returncode == 0, checked.stderr
