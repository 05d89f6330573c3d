"""Writing whole concepts: the canonical layout reads back the same; an update changes
only what differs and keeps the rest of the file as it was."""

from __future__ import annotations

import difflib
import shutil
from dataclasses import replace
from pathlib import Path

from glossary import source
from glossary.model import AdminStatus
from glossary.source.new import create_concept_file, render_concept, rewrite_concept_file
from tests.conftest import ROOT


def test_every_shipped_concept_renders_and_reads_back(tmp_path: Path) -> None:
    result = source.load_glossary(ROOT / "terms")
    for concept in result.glossary.concepts:
        path = create_concept_file(tmp_path, concept)
        loaded = source.load_concept_file(path)
        assert loaded.problems == [], path
        assert loaded.concept == concept, concept.id


def test_render_starts_with_the_english_term_as_a_comment() -> None:
    concept = source.load_glossary(ROOT / "terms").glossary.concept("hallucination")
    assert render_concept(concept).startswith("# hallucination\nid = \"hallucination\"\n")


def test_an_update_touches_only_what_changed(tmp_path: Path) -> None:
    path = tmp_path / "accountability.toml"
    shutil.copy(ROOT / "terms" / "accountability.toml", path)
    before = path.read_text("utf-8")
    concept = source.load_concept_file(path).concept
    term = replace(concept.km.terms[0], admin_status=AdminStatus.DEPRECATED)
    changed = replace(concept, km=replace(concept.km, terms=(term, *concept.km.terms[1:])))
    rewrite_concept_file(path, changed)
    after = path.read_text("utf-8")
    assert source.load_concept_file(path).concept == changed
    diff = [line for line in difflib.ndiff(before.splitlines(), after.splitlines())
            if line[:2] in ("- ", "+ ")]
    assert diff == ['- admin_status = "preferred"', '+ admin_status = "deprecated"']
    assert "see_also = [\n" in after  # the multi-line list kept its layout


def test_20000_notes_render_and_read_back(tmp_path: Path) -> None:
    """Issue 18: tomlkit built a long notes array quadratically (20,000 notes: 25 s);
    the array is now written directly, escaped as tomlkit would."""
    import tomlkit

    from glossary.source.new import toml_array

    concept = source.load_glossary(ROOT / "terms").glossary.concept("hallucination")
    notes = tuple(f'note {k}: ខ្មែរ "quoted" back\\slash tab\t' for k in range(20_000))
    big = replace(concept, notes=notes)
    path = create_concept_file(tmp_path, big)
    loaded = source.load_concept_file(path)
    assert loaded.problems == []
    assert loaded.concept == big
    # the same text tomlkit writes, on a small array with every kind of escape
    few = ['q"', "b\\", "\b\t\n\f\r", "\x00\x1b\x1f\x7f", "ខ្មែរ\u2028", '"""']
    document = tomlkit.document()
    document.add("notes", few)
    assert tomlkit.dumps(document) == f"notes = {toml_array(few)}\n"
