"""Outputs cut into per-concept pieces, and the piece store that keeps them between
commands (glossary.formats.pieces, glossary.piece_store): whatever happened to terms/,
an export or a build that reuses stored pieces writes the bytes of a cold one."""

from __future__ import annotations

import dataclasses
import io
import json
import shutil
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glossary import exporting, loader, locale_catalogs, piece_store, pipeline, selection
from glossary.config import Settings, load_settings
from glossary.errors import FormatError
from glossary.formats import jsonfmt, po
from glossary.formats.options import WriteOptions
from glossary.formats.pieces import write as write_pieces
from glossary.model import Glossary, ReviewState
from glossary.source.new import render_concept
from tests.conftest import MINI

#: (format, options) of every output made of pieces that ``glossary export`` writes.
EXPORTS = [
    ("tbx", WriteOptions()), ("tbx", WriteOptions(tbx_version=2)),
    ("tbx", WriteOptions(approved_only=True)), ("csv", WriteOptions()),
    ("csv", WriteOptions(min_review="proposed")), ("json", WriteOptions()),
    ("json", WriteOptions(approved_only=True)), ("omegat", WriteOptions()),
    ("po", WriteOptions()), ("po", WriteOptions(min_review="proposed")),
    ("po", WriteOptions(compendium=True)),
    ("po", WriteOptions(compendium=True, approved_only=True)),
    ("xlsx", WriteOptions()), ("xlsx", WriteOptions(approved_only=True)),
]
#: The catalogs of ``glossary export po`` (locale_catalogs.export_po): keyword arguments.
CATALOGS = [{}, {"approved_only": True}, {"min_review": "proposed"}, {"compendium": True},
            {"compendium": True, "approved_only": True}]
#: The build targets whose files are made of pieces.
TARGETS = ("po", "tbx", "csv", "json", "xlsx", "tools", "approved")


def make_project(dest: Path) -> Path:
    shutil.copytree(MINI / "terms", dest / "terms")
    (dest / "pyproject.toml").write_text(
        '[tool.glossary]\nterms = "terms"\nbuild = "build"\nlocale = "locale"\n',
        encoding="utf-8")
    return dest


def exported(config: Settings, name: str, options: WriteOptions) -> bytes:
    """``glossary export NAME`` through the piece store."""
    out = io.BytesIO()
    exporting.export_file(config, name, out, options)
    return out.getvalue()


def cold_export(config: Settings, name: str, options: WriteOptions) -> bytes:
    """The same export from a read without any cache, with no piece store."""
    loaded = loader.load_checked(config.terms_dir, config.fold_coeng_da, cache_dir=None)
    out = io.BytesIO()
    exporting.export_glossary(loaded.glossary, name, out,
                              dataclasses.replace(options, revision=loaded.revision))
    return out.getvalue()


def assert_exports_are_cold(config: Settings) -> None:
    for name, options in EXPORTS:
        assert exported(config, name, options) == cold_export(config, name, options), (
            name, options)
    with pytest.MonkeyPatch.context() as patch:  # the catalogs for other projects
        patch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # carry the date of the export
        loaded = loader.load_valid(config)
        known = exporting.Known.of(loaded, config)
        cold = loader.load_checked(config.terms_dir, config.fold_coeng_da, cache_dir=None)
        for kwargs in CATALOGS:
            warm = locale_catalogs.export_po(loaded.glossary, loaded.revision, config,
                                             out_dir=config.root / "warm", known=known,
                                             **kwargs)
            plain = locale_catalogs.export_po(cold.glossary, cold.revision, config,
                                              out_dir=config.root / "cold", **kwargs)
            assert (warm.entries, warm.fuzzy, warm.untranslated, warm.ambiguous) == (
                plain.entries, plain.fuzzy, plain.untranslated, plain.ambiguous), kwargs
            for one, other in zip(warm.paths, plain.paths, strict=True):
                assert one.read_bytes() == other.read_bytes(), (kwargs, one)


def outputs(build: Path) -> dict[str, bytes]:
    return {str(p.relative_to(build)): p.read_bytes() for p in sorted(build.rglob("*"))
            if p.is_file() and ".cache" not in p.relative_to(build).parts}


def assert_build_is_cold(project: Path, scratch: Path) -> None:
    pipeline.build(load_settings(cwd=project), TARGETS)
    clean = scratch / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    shutil.copytree(project, clean, ignore=shutil.ignore_patterns("build"))
    pipeline.build(load_settings(cwd=clean), TARGETS)
    assert outputs(project / "build") == outputs(clean / "build")


def store_dir(config: Settings) -> Path:
    return config.cache_dir / piece_store.DIR_NAME


def shards(config: Settings) -> list[Path]:
    return sorted(store_dir(config).glob("*/*.pieces"))


# ------------------------------------------------------------------ the pieces themselves


def test_pieces_give_the_bytes_of_the_writers_before_them(settings: Settings) -> None:
    """The JSON encoder is the indented json.dumps, byte for byte; a catalog cut into
    pieces is the catalog of all entries at once."""
    glossary = loader.load_valid(settings).glossary
    assert jsonfmt.dumps(glossary, "abc") == json.dumps(
        jsonfmt.glossary_dict(glossary, "abc"), ensure_ascii=False, indent=2) + "\n"
    empty = Glossary((), glossary.documents, glossary.domains)
    assert jsonfmt.dumps(empty) == json.dumps(
        jsonfmt.glossary_dict(empty), ensure_ascii=False, indent=2) + "\n"
    assert json.loads(jsonfmt.dumps(empty))["concepts"] == []
    header = po.make_header(glossary, "r1")
    from glossary import pairs

    for level in (None, "approved", "proposed"):
        for compendium in (False, True):
            if level is None and not compendium:
                continue
            assert locale_catalogs.project_po_bytes(glossary, "r1", level, compendium) == (
                locale_catalogs.project_po_text(glossary, "r1", level, compendium)
                .encode("utf-8")), (level, compendium)
    for template in (False, True):
        whole = po.write_catalog(pairs.build_entries(glossary), header, template=template)
        out = io.BytesIO()
        write_pieces(po.CatalogPieces(glossary, header, template=template),
                     glossary.concepts, out)
        assert out.getvalue().decode("utf-8") == whole


# ------------------------------------------------------------------ warm equals cold


def test_a_warm_export_is_the_cold_export_for_each_format(settings: Settings) -> None:
    assert not shards(settings)
    assert_exports_are_cold(settings)  # makes the pieces
    stored = {p: p.read_bytes() for p in shards(settings)}
    assert stored, "the exports should have stored their pieces"
    assert_exports_are_cold(settings)  # takes them from the store
    assert {p: p.read_bytes() for p in shards(settings)} == stored  # nothing to rewrite


def test_a_warm_export_takes_every_piece_from_the_store(settings: Settings,
                                                        monkeypatch) -> None:
    exported(settings, "tbx", WriteOptions())
    made: list[str] = []
    real = piece_store.Slot.maker

    def counting(self, pieces):  # type: ignore[no-untyped-def]
        inner = real(self, pieces)

        def piece(concept):  # type: ignore[no-untyped-def]
            before = self.made
            data = inner(concept)
            if self.made != before:
                made.append(concept.id)
            return data
        return piece

    monkeypatch.setattr(piece_store.Slot, "maker", counting)
    exported(settings, "tbx", WriteOptions())
    assert made == []
    path = settings.terms_dir / "hallucination.toml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        'text = "', 'text = "edited ', 1), encoding="utf-8")
    exported(settings, "tbx", WriteOptions())
    assert made == ["hallucination"]


def test_the_po_export_and_the_build_through_the_store(project: Path, tmp_path: Path
                                                       ) -> None:
    config = load_settings(cwd=project)
    loaded = loader.load_valid(config)
    known = exporting.Known.of(loaded, config)
    first = locale_catalogs.export_po(loaded.glossary, loaded.revision, config, known=known)
    files = {p: p.read_bytes() for p in first.paths}
    again = locale_catalogs.export_po(loaded.glossary, loaded.revision, config, known=known)
    assert {p: p.read_bytes() for p in again.paths} == files
    plain = locale_catalogs.export_po(loaded.glossary, loaded.revision, config,
                                      out_dir=tmp_path / "plain")
    pot, po_text = locale_catalogs.po_texts(loaded.glossary, loaded.revision)
    assert (tmp_path / "plain" / "glossary.pot").read_text(encoding="utf-8") == pot
    assert [plain.entries, plain.fuzzy, plain.untranslated] == [
        first.entries, first.fuzzy, first.untranslated]
    assert first.paths[1].read_text(encoding="utf-8") == po_text
    assert_build_is_cold(project, tmp_path)
    assert_build_is_cold(project, tmp_path)


# ------------------------------------------------------------------ edits


def _edit(config: Settings, concept_id: str, change) -> None:  # type: ignore[no-untyped-def]
    glossary = loader.load_checked(config.terms_dir, cache_dir=None).glossary
    concept = glossary.concept(concept_id)
    assert concept is not None
    path = config.terms_dir / f"{concept_id}.toml"
    path.write_text(render_concept(change(concept)), encoding="utf-8")


def _set_term(concept, lang: str, text: str):  # type: ignore[no-untyped-def]
    section = concept.lang(lang)
    terms = (dataclasses.replace(section.terms[0], text=text), *section.terms[1:])
    return dataclasses.replace(concept, **{lang: dataclasses.replace(section, terms=terms)})


def _set_definition(concept, text: str):  # type: ignore[no-untyped-def]
    definition = concept.en.definition
    assert definition is not None
    return dataclasses.replace(concept, en=dataclasses.replace(
        concept.en, definition=dataclasses.replace(definition, text=text)))


def _approve(concept, approved: bool):  # type: ignore[no-untyped-def]
    section = concept.km
    if not section.terms:
        return concept
    review = section.terms[0].review
    review = (dataclasses.replace(review, state=ReviewState.APPROVED, approved_by="Sokha",
                                  approved_on=date(2026, 5, 1)) if approved else
              dataclasses.replace(review, state=ReviewState.PROPOSED, approved_by=None,
                                  approved_on=None))
    terms = (dataclasses.replace(section.terms[0], review=review), *section.terms[1:])
    return dataclasses.replace(concept, km=dataclasses.replace(section, terms=terms))


def test_a_changed_concept_never_gets_its_old_piece(settings: Settings) -> None:
    """Keyed by concept id alone, the store would give back the old definition."""
    assert_exports_are_cold(settings)
    _edit(settings, "hallucination", lambda c: _set_definition(c, "A changed definition."))
    for name in ("tbx", "json", "csv"):
        assert b"A changed definition." in exported(settings, name, WriteOptions())
    assert_exports_are_cold(settings)


def test_a_see_also_targets_new_label_reaches_the_pieces_that_point_to_it(
        settings: Settings) -> None:
    """ai-model's TBX entry names machine-learning's English term (a cross-reference
    label): renaming machine-learning changes ai-model's piece, although ai-model's
    file did not change."""
    assert_exports_are_cold(settings)
    _edit(settings, "machine-learning", lambda c: _set_term(c, "en", "statistical learning"))
    tbx = exported(settings, "tbx", WriteOptions()).decode("utf-8")
    assert 'target="machine-learning">statistical learning</ref>' in tbx
    assert_exports_are_cold(settings)


def test_a_selection_that_drops_a_see_also_target_reaches_the_pieces(settings: Settings
                                                                     ) -> None:
    """An approved-only export keeps a see-also target only when the target is exported
    too: unapproving machine-learning changes ai-model's approved piece."""
    for concept_id in ("ai-model", "machine-learning"):
        _edit(settings, concept_id, lambda c: _approve(c, True))
    assert_exports_are_cold(settings)
    approved = loader.load_valid(settings).glossary
    assert selection.select(approved, "approved").concept("ai-model").see_also == (
        "machine-learning",)
    _edit(settings, "machine-learning", lambda c: _approve(c, False))
    document = json.loads(exported(settings, "json", WriteOptions(approved_only=True)))
    assert [c["see_also"] for c in document["concepts"] if c["id"] == "ai-model"] == [[]]
    assert_exports_are_cold(settings)


OPS = st.lists(st.tuples(
    st.sampled_from(["term", "km-term", "definition", "delete", "add", "unlink", "approve",
                     "unapprove"]),
    st.integers(0, 10),
    st.sampled_from(["bias audit", "risk & <safety>", 'a "quoted" term', "data lineage"])),
    min_size=1, max_size=4)
KHMER = ("ឯកជនភាព", "ការលំអៀង", "ទិន្នន័យ")


def _apply(config: Settings, op: str, pick: int, text: str, step: int) -> None:
    glossary = loader.load_checked(config.terms_dir, cache_dir=None).glossary
    ids = [c.id for c in glossary.concepts]
    target = ids[pick % len(ids)]
    if op == "term":
        _edit(config, target, lambda c: _set_term(c, "en", f"{text} {step}"))
    elif op == "km-term":
        khmer = f"{KHMER[pick % len(KHMER)]} {KHMER[step % len(KHMER)]}"
        _edit(config, target, lambda c: _set_term(c, "km", khmer) if c.km.terms else c)
    elif op == "definition":
        _edit(config, target, lambda c: _set_definition(c, f"{text} ({step})")
              if c.en.definition else c)
    elif op == "delete" and len(ids) > 2:
        (config.terms_dir / f"{target}.toml").unlink()
        for other in glossary.concepts:
            if target in other.see_also:
                _edit(config, other.id, lambda c: dataclasses.replace(
                    c, see_also=tuple(s for s in c.see_also if s != target)))
    elif op == "add":
        new_id = f"added-{step}-{pick}"
        if new_id not in ids:
            source = glossary.concept(target)
            assert source is not None
            concept = _set_term(dataclasses.replace(source, id=new_id, see_also=(target,)),
                                "en", f"added concept {step} {pick}")
            (config.terms_dir / f"{new_id}.toml").write_text(render_concept(concept),
                                                              encoding="utf-8")
    elif op == "unlink":
        _edit(config, target, lambda c: dataclasses.replace(c, see_also=c.see_also[1:]))
    elif op in ("approve", "unapprove"):
        _edit(config, target, lambda c: _approve(c, op == "approve"))


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=OPS)
def test_after_random_edits_export_and_build_equal_a_cold_run(ops) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        project = make_project(Path(scratch) / "project")
        config = load_settings(cwd=project)
        assert_exports_are_cold(config)
        pipeline.build(config, TARGETS)
        for step, (op, pick, text) in enumerate(ops):
            _apply(config, op, pick, text, step)
        assert_exports_are_cold(config)
        assert_build_is_cold(project, Path(scratch))


# ------------------------------------------------------------------ a damaged store


DAMAGES = {
    "empty": lambda data, key: b"",
    "truncated": lambda data, key: data[: len(data) - 7],
    "garbage": lambda data, key: b"\x80\x04not a store at all" * 50,
    "foreign": lambda data, key: b"PK\x03\x04" + data,
    "other version": lambda data, key: data.replace(piece_store.MAGIC,
                                                    b"glossary-piece-store 0\n", 1),
    "other slot key": lambda data, key: piece_store.format_shard(
        piece_store.parse_shard(data, key), "0" * 64),
    "length too long": lambda data, key: data[:len(piece_store.MAGIC) + 65 + 16]
    + (2**31).to_bytes(4, "big") + data[len(piece_store.MAGIC) + 65 + 20:],
}


@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_a_damaged_store_is_ignored_and_made_again(settings: Settings, damage: str) -> None:
    assert_exports_are_cold(settings)
    for path in shards(settings):
        data = path.read_bytes()
        key = data[len(piece_store.MAGIC):len(piece_store.MAGIC) + 64].decode()
        path.write_bytes(DAMAGES[damage](data, key))
    assert_exports_are_cold(settings)
    assert_exports_are_cold(settings)
    total = 0
    for path in shards(settings):  # made again, whole
        data = path.read_bytes()
        assert data.startswith(piece_store.MAGIC)
        total += len(piece_store.parse_shard(
            data, data[len(piece_store.MAGIC):len(piece_store.MAGIC) + 64].decode()))
    assert total >= 5


def test_a_planted_piece_under_another_key_is_never_used(settings: Settings) -> None:
    """A store whose pieces were all swapped (each shard re-keyed to what another slot
    or another version would hold) gives the cold bytes: nothing in a shard is trusted
    without the slot key."""
    exported(settings, "tbx", WriteOptions())
    for path in shards(settings):
        data = path.read_bytes()
        key = data[len(piece_store.MAGIC):len(piece_store.MAGIC) + 64].decode()
        pieces = {k: b"<planted/>" for k in piece_store.parse_shard(data, key)}
        path.write_bytes(piece_store.format_shard(pieces, "f" * 64))
    assert b"planted" not in exported(settings, "tbx", WriteOptions())


def test_an_unreadable_or_unwritable_store_is_no_error(settings: Settings) -> None:
    settings.cache_dir.mkdir(parents=True)
    store_dir(settings).write_bytes(b"a file where the folder should be")
    assert_exports_are_cold(settings)
    store_dir(settings).unlink()
    assert_exports_are_cold(settings)
    for path in shards(settings):  # a folder where a shard should be
        path.unlink()
        path.mkdir()
    assert_exports_are_cold(settings)


def test_pieces_of_deleted_concepts_are_dropped(settings: Settings) -> None:
    exported(settings, "csv", WriteOptions())

    def count() -> int:
        total = 0
        for path in shards(settings):
            if "csv" in path.parent.name:
                data = path.read_bytes()
                key = data[len(piece_store.MAGIC):len(piece_store.MAGIC) + 64].decode()
                total += len(piece_store.parse_shard(data, key))
        return total

    assert count() == 5
    (settings.terms_dir / "hallucination.toml").unlink()
    exported(settings, "csv", WriteOptions())
    assert count() == 4


# ------------------------------------------------------------------ XML characters


def test_an_xml_character_in_a_name_is_flagged_by_check_and_refused(
        settings: Settings) -> None:
    """A noncharacter in a field check_text does not read (who proposed a term) is a
    check warning, so the export (which looks only at flagged concepts) still refuses
    it, located; a library caller without a loaded terms/ is refused too."""
    def plant(concept):  # type: ignore[no-untyped-def]
        term = concept.en.terms[0]
        review = dataclasses.replace(term.review, proposed_by="Sokha\uffff")
        terms = (dataclasses.replace(term, review=review), *concept.en.terms[1:])
        return dataclasses.replace(concept, en=dataclasses.replace(concept.en, terms=terms))

    _edit(settings, "transparency", plant)
    loaded = loader.load_valid(settings)
    assert [p.code for p in loaded.problems if p.path.name == "transparency.toml"] == [
        "unsafe-char"]
    known = exporting.Known.of(loaded, settings)
    assert known.flagged == {"transparency"}
    for call in (lambda: exported(settings, "tbx", WriteOptions()),
                 lambda: exporting.write("tbx", loaded.glossary, io.BytesIO())):
        with pytest.raises(FormatError) as raised:
            call()
        assert "en.terms[0].review.proposed_by: contains U+FFFF" in str(raised.value)
        assert "transparency.toml" in str(raised.value)
    assert exported(settings, "csv", WriteOptions())  # CSV carries it


def test_a_clean_glossary_is_not_walked_for_xml_characters(settings: Settings,
                                                           monkeypatch) -> None:
    from glossary import unsafe

    def walk(*args):  # type: ignore[no-untyped-def]
        raise AssertionError("walked every string")

    monkeypatch.setattr(unsafe, "first_not_xml", walk)
    assert exported(settings, "tbx", WriteOptions())
    with pytest.raises(AssertionError, match="walked"):
        exporting.write("tbx", loader.load_valid(settings).glossary, io.BytesIO())


# ------------------------------------------------------------------ replay (nothing changed)


def backdate_terms(config: Settings) -> None:
    """Files older than the parse cache's "racy" window, so that the full check's
    summary is kept (tests write files within milliseconds of each other)."""
    import os

    for path in config.terms_dir.glob("*.toml"):
        st_ = path.stat()
        os.utime(path, ns=(st_.st_atime_ns, st_.st_mtime_ns - 60_000_000_000))


def no_loading(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("loaded the concepts")

    monkeypatch.setattr(loader, "load_checked", refuse)


def test_an_unchanged_export_is_written_again_without_loading_a_concept(
        settings: Settings, monkeypatch) -> None:
    backdate_terms(settings)
    expected = {(name, options): cold_export(settings, name, options)
                for name, options in EXPORTS if name in exporting.WHOLE_FILE_PIECES}
    assert_exports_are_cold(settings)  # records the manifests
    with monkeypatch.context() as patch:
        no_loading(patch)
        for (name, options), data in expected.items():
            assert exported(settings, name, options) == data, (name, options)
    # an edit: the manifest's revision is no longer terms/'s, the export loads again
    path = settings.terms_dir / "hallucination.toml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        'text = "', 'text = "edited ', 1), encoding="utf-8")
    backdate_terms(settings)
    assert_exports_are_cold(settings)
    assert b"edited " in exported(settings, "csv", WriteOptions())


def test_the_counts_and_errors_of_a_replayed_export_are_those_of_a_full_one(
        settings: Settings, monkeypatch) -> None:
    backdate_terms(settings)
    full = exporting.export_file(settings, "json", io.BytesIO(), WriteOptions())
    with monkeypatch.context() as patch:
        no_loading(patch)
        assert exporting.export_file(settings, "json", io.BytesIO(), WriteOptions()) == full
    (settings.terms_dir / "broken.toml").write_text('id = "broken"\n[en\n', encoding="utf-8")
    backdate_terms(settings)
    from glossary.errors import GlossaryError

    with pytest.raises(GlossaryError):
        exporting.export_file(settings, "json", io.BytesIO(), WriteOptions())
    loader.load(settings)  # the summary now holds the error
    with monkeypatch.context() as patch, pytest.raises(GlossaryError):
        no_loading(patch)
        exporting.export_file(settings, "json", io.BytesIO(), WriteOptions())


def test_the_po_catalogs_are_replayed_and_follow_source_date_epoch(
        cli, project: Path, monkeypatch) -> None:
    config = load_settings(cwd=project)
    backdate_terms(config)
    assert cli("export", "po").exit_code == 0
    files = sorted(project.joinpath("locale").rglob("*.po*"))
    first = {p: p.read_bytes() for p in files}
    with monkeypatch.context() as patch:
        no_loading(patch)
        result = cli("export", "po")
        assert result.exit_code == 0, result.output
        assert {p: p.read_bytes() for p in files} == first
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert cli("export", "po").exit_code == 0
    assert b"2023-11-14" in files[0].read_bytes()
    loaded = loader.load_valid(config)
    pot, _ = locale_catalogs.po_texts(loaded.glossary, loaded.revision)
    assert project.joinpath("locale", "glossary.pot").read_text(encoding="utf-8") == pot


@pytest.mark.parametrize("damage", ["truncated", "other ident", "missing piece"])
def test_a_damaged_manifest_means_a_full_export(settings: Settings, damage: str,
                                                monkeypatch) -> None:
    backdate_terms(settings)
    expected = cold_export(settings, "tbx", WriteOptions())
    exported(settings, "tbx", WriteOptions())
    (manifest,) = [p for p in store_dir(settings).glob("tbx-*/manifest")]
    data = manifest.read_bytes()
    if damage == "truncated":
        manifest.write_bytes(data[:-5])
    elif damage == "other ident":
        lines = data.split(b"\n", 3)
        manifest.write_bytes(b"\n".join([lines[0], lines[1], b"0" * 64, lines[3]]))
    else:
        for path in manifest.parent.glob("*.pieces"):
            path.unlink()
    loads: list[int] = []
    real = loader.load_checked

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        loads.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(loader, "load_checked", counting)
    assert exported(settings, "tbx", WriteOptions()) == expected
    assert loads == [1]


def test_two_runs_saving_at_once_leave_a_store_that_is_never_stale(settings: Settings
                                                                   ) -> None:
    """Two commands that read the store, then both save it (the second one from an
    older terms/): whatever shards win, a later export is the cold one."""
    def slot_run(config: Settings) -> piece_store.Slot:
        loaded = loader.load_valid(config)
        known = exporting.Known.of(loaded, config)
        assert known.source is not None
        chosen = loaded.glossary
        pieces = exporting.formats.load("tbx").pieces(chosen, WriteOptions())
        slot = piece_store.Slot(known.source, exporting._slot("tbx", WriteOptions()),
                                pieces.key)
        make = slot.maker(pieces)
        for concept in chosen.concepts:
            make(concept)
        return slot

    exported(settings, "tbx", WriteOptions())
    old = slot_run(settings)  # a run that read terms/ before the edit …
    _edit(settings, "hallucination", lambda c: _set_definition(c, "Edited meanwhile."))
    new = slot_run(settings)
    new.save()
    old.save()  # … and saves last
    data = exported(settings, "tbx", WriteOptions())
    assert b"Edited meanwhile." in data
    assert data == cold_export(settings, "tbx", WriteOptions())
