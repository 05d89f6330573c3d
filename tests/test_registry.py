"""The format registry (glossary.formats.REGISTRY) is what the CLI, the build and the docs
follow: every registered format has an export command, an import command when it is
readable, documentation, a build target when it declares one, and a write→read round
trip on a real glossary (the mini glossary plus the QA concepts, which hold approved,
deprecated and rejected Khmer terms)."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import click
import pytest

from glossary import exporting, formats, loader, locale_catalogs, pipeline
from glossary.cli import load_commands, main
from glossary.config import Settings, load_settings
from glossary.formats import REGISTRY, ReadOptions, WriteOptions, jsonfmt, mo
from glossary.imports import proposals
from glossary.imports.plan import plan
from glossary.model import Glossary
from glossary.pairs import approved_messages

ROOT = Path(__file__).resolve().parent.parent


def _group(name: str) -> click.Group:
    load_commands(name)
    group = main.commands[name]
    assert isinstance(group, click.Group)
    return group


def test_every_format_has_an_export_command() -> None:
    assert sorted(_group("export").commands) == sorted(REGISTRY)


def test_every_readable_format_and_only_those_has_an_import_command() -> None:
    assert sorted(_group("import").commands) == sorted(f.name for f in REGISTRY.values() if f.readable)
    assert {"tbx", "csv", "xlsx", "po"} <= {f.name for f in REGISTRY.values() if f.readable}


def test_every_format_is_documented() -> None:
    docs = (ROOT / "README.md").read_text(encoding="utf-8") + "".join(
        p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").glob("*.md")))
    for fmt in REGISTRY.values():
        assert f"glossary export {fmt.name}" in docs, fmt.name
        if fmt.readable:
            assert f"glossary import {fmt.name}" in docs, fmt.name


def test_build_targets_are_generated_from_the_registry() -> None:
    targets = [f.name for f in REGISTRY.values() if f.target]
    assert [t for t in pipeline.RENDERERS if t in REGISTRY] == targets
    assert pipeline.TARGETS[0] == "db" and pipeline.TARGETS[-1] == "site"


def test_every_format_module_has_the_registry_shape() -> None:
    for fmt in REGISTRY.values():
        module = formats.load(fmt.name)
        assert callable(module.write), fmt.name
        if fmt.readable and fmt.reads == "records":
            assert callable(module.read), fmt.name
        assert fmt.extensions and all(e.startswith(".") for e in fmt.extensions)
        assert fmt.reads in ("records", "proposals")


def test_an_unknown_format_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="tbx"):
        formats.get("tmx")


@pytest.fixture
def qa_settings(qa_project: Path) -> Settings:
    return load_settings(cwd=qa_project)


def _records(name: str, glossary: Glossary, path: Path) -> None:
    """Concept records read back match the glossary they were written from."""
    result = formats.load(name).read(path, ReadOptions())
    planned = plan(glossary, result, by="Tester")
    assert [c for c in planned.changes if c.kind != "unchanged"] == []
    assert planned.new_ids == [] and planned.unchanged == len(result.concepts)
    assert planned.unchanged == sum(1 for c in glossary.concepts if c.en.terms or c.km.terms)


def _po(glossary: Glossary, path: Path) -> None:
    """A PO as exported comes back with every Khmer term unchanged."""
    incoming = locale_catalogs.read_po(path)
    report = proposals.compare(glossary, incoming.terms)
    counts = report.counts()
    assert counts["unchanged"] == len(incoming.terms) > 0
    assert counts["new"] == counts["candidate"] == counts["conflict"] == counts["unknown"] == 0


def _mo(glossary: Glossary, path: Path) -> None:
    """The MO holds exactly the approved messages (and the header)."""
    table = mo.read(path.read_bytes())
    expected = {mo.key(c, m): s for c, m, s in approved_messages(glossary) if s}
    assert expected and {k: v for k, v in table.items() if k} == expected
    assert "Language: km" in table[""]


def _json(glossary: Glossary, path: Path) -> None:
    back, revision = jsonfmt.loads(path.read_text(encoding="utf-8"), path)
    assert back == glossary and revision == "r1"


def _omegat(glossary: Glossary, path: Path) -> None:
    """Every English–Khmer pair comes back from a tab-separated reader, three fields."""
    import csv

    from glossary.pairs import pair_terms

    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    expected = [(p.en.text, p.km.text) for c in glossary.concepts for p in pair_terms(c)
                if p.km is not None and p.km.text]
    assert expected and [(r[0], r[1]) for r in rows] == expected
    assert all(len(r) == 3 for r in rows)
    # read back: every pair is the concept's (its id is in the comment), nothing changes
    result = formats.load("omegat").read(path, ReadOptions())
    planned = plan(glossary, result, by="Tester")
    assert [c for c in planned.changes if c.kind != "unchanged"] == []
    assert planned.new_ids == [] and planned.skipped == {}
    paired = {c.id for c in glossary.concepts for p in pair_terms(c) if p.km and p.km.text}
    assert [c.id for c in result.concepts] == sorted(paired, key=[
        c.id for c in glossary.concepts].index)
    assert planned.unchanged == len(paired)


def _docx(glossary: Glossary, path: Path) -> None:
    """Read back as ``glossary qa`` reads a Word document: each active concept's English
    preferred term and each Khmer term that is not rejected are paragraphs of it."""
    from glossary.model import ConceptStatus, ReviewState
    from glossary.qa.docx_text import paragraphs

    texts = set(paragraphs(path))
    active = [c for c in glossary.concepts if c.status is ConceptStatus.ACTIVE]
    assert active and all(c.en.preferred.text in texts for c in active)
    assert all(t.text in texts for c in active for t in c.km.terms
               if t.review.state is not ReviewState.REJECTED)


ROUND_TRIPS: dict[str, Callable[[Glossary, Path], None]] = {
    "tbx": lambda g, p: _records("tbx", g, p),
    "csv": lambda g, p: _records("csv", g, p),
    "xlsx": lambda g, p: _records("xlsx", g, p),
    "po": _po,
    "mo": _mo,
    "json": _json,
    "omegat": _omegat,
    "docx": _docx,
}


def test_every_format_has_a_round_trip() -> None:
    assert sorted(ROUND_TRIPS) == sorted(REGISTRY)


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_write_then_read_gives_the_glossary_back(name: str, qa_settings: Settings,
                                                 tmp_path: Path) -> None:
    glossary = loader.load_valid(qa_settings).glossary
    path = tmp_path / f"out{REGISTRY[name].extensions[0]}"
    exporting.write_file(name, glossary, path, WriteOptions(revision="r1"))
    ROUND_TRIPS[name](glossary, path)
    again = io.BytesIO()
    exporting.write(name, glossary, again, WriteOptions(revision="r1"))
    assert again.getvalue() == path.read_bytes()  # same input, same bytes


@pytest.mark.parametrize("name", sorted(f.name for f in REGISTRY.values() if f.target))
def test_build_writes_each_registered_target(name: str, settings: Settings) -> None:
    report = pipeline.build(settings, ("db", name))
    target = settings.build_dir / str(REGISTRY[name].target)
    assert target in report.outputs and target.stat().st_size > 0
