"""Outputs cut into per-concept pieces, and the piece store that keeps them between
commands (glossary.formats.pieces, glossary.piece_store): whatever happened to terms/,
an export or a build that reuses stored pieces writes the bytes of a cold one."""

from __future__ import annotations

import dataclasses
import io
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glossary import (
    exporting,
    loader,
    locale_catalogs,
    piece_pack,
    piece_store,
    pipeline,
    selection,
)
from glossary.config import Settings, load_settings
from glossary.errors import FormatError
from glossary.formats import jsonfmt, po
from glossary.formats.options import WriteOptions
from glossary.formats.pieces import write as write_pieces
from glossary.model import Glossary, ReviewState
from glossary.source.new import render_concept
from tests.conftest import MINI
from tests.gettext.po_helpers import json_text, po_texts, project_po_text

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


def approve_one(config: Settings) -> None:
    """One approved Khmer term, so that every approved-only export has an entry."""
    from glossary import review

    review.decide(config.terms_dir, "ai-model", state="approved", by="Sok Dara",
                  today=date(2026, 1, 31))


def _outcome(export: Callable[[Settings, str, WriteOptions], bytes], config: Settings,
             name: str, options: WriteOptions) -> bytes | str:
    """An export's bytes, or its refusal (a TBX of no entry: nothing approved yet)."""
    try:
        return export(config, name, options)
    except FormatError as exc:
        return str(exc)


def assert_exports_are_cold(config: Settings) -> None:
    for name, options in EXPORTS:
        assert _outcome(exported, config, name, options) == _outcome(
            cold_export, config, name, options), (name, options)
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


def store_files(config: Settings) -> list[Path]:
    """Every slot's index and pack."""
    return sorted([*store_dir(config).glob(f"*/{piece_store.INDEX_NAME}"),
                   *store_dir(config).glob(f"*/{piece_store.PACK_NAME}")])


def indexes(config: Settings, fmt: str = "") -> list[piece_store.Index]:
    """The slots' indexes (of format ``fmt``), each checked against its pack."""
    found = []
    for path in sorted(store_dir(config).glob(f"{fmt}*/{piece_store.INDEX_NAME}")):
        data = path.read_bytes()
        key = data[len(piece_store.INDEX_MAGIC):len(piece_store.INDEX_MAGIC) + 64].decode()
        index = piece_store.parse_index(data, key)
        assert index is not None, path
        pack = piece_pack.open_pack(path.with_name(piece_store.PACK_NAME), index)
        assert pack is not None
        pack.close()
        found.append(index)
    return found


# ------------------------------------------------------------------ the pieces themselves


def test_pieces_give_the_bytes_of_the_writers_before_them(settings: Settings,
                                                          tmp_path: Path) -> None:
    """The JSON encoder is the indented json.dumps, byte for byte; a catalog cut into
    pieces is the catalog of all entries at once."""
    glossary = loader.load_valid(settings).glossary
    assert json_text(glossary, "abc") == json.dumps(
        jsonfmt.glossary_dict(glossary, "abc"), ensure_ascii=False, indent=2) + "\n"
    empty = Glossary((), glossary.documents, glossary.domains)
    assert json_text(empty) == json.dumps(
        jsonfmt.glossary_dict(empty), ensure_ascii=False, indent=2) + "\n"
    assert json.loads(json_text(empty))["concepts"] == []
    header = po.make_header(glossary, "r1")
    from glossary import pairs

    for level in (None, "approved", "proposed"):
        for compendium in (False, True):
            if level is None and not compendium:
                continue
            path = locale_catalogs.project_po_file(
                tmp_path / "out.po", glossary, "r1", level, compendium)
            assert path.read_bytes() == (
                project_po_text(glossary, "r1", level, compendium)
                .encode("utf-8")), (level, compendium)
    for template in (False, True):
        whole = po.write_catalog(pairs.build_entries(glossary), header, template=template)
        out = io.BytesIO()
        write_pieces(po.CatalogPieces(glossary, header, template=template),
                     glossary.concepts, out)
        assert out.getvalue().decode("utf-8") == whole


# ------------------------------------------------------------------ warm equals cold


def test_a_warm_export_is_the_cold_export_for_each_format(settings: Settings) -> None:
    assert not store_files(settings)
    assert_exports_are_cold(settings)  # makes the pieces
    stored = {p: p.read_bytes() for p in store_files(settings)}
    assert stored, "the exports should have stored their pieces"
    assert_exports_are_cold(settings)  # takes them from the store
    assert {p: p.read_bytes() for p in store_files(settings)} == stored  # nothing to rewrite


def test_a_warm_export_takes_every_piece_from_the_store(settings: Settings,
                                                        monkeypatch) -> None:
    exported(settings, "tbx", WriteOptions())
    made: list[str] = []
    real = piece_store.Slot.save

    def counting(self, *args):  # type: ignore[no-untyped-def]
        made.extend(self.made)
        return real(self, *args)

    monkeypatch.setattr(piece_store.Slot, "save", counting)
    exported(settings, "tbx", WriteOptions())
    assert made == []
    path = settings.terms_dir / "hallucination.toml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        'text = "', 'text = "edited ', 1), encoding="utf-8")
    exported(settings, "tbx", WriteOptions())
    assert made == ["hallucination"]


def test_an_edit_appends_its_piece_and_an_old_pack_is_rewritten(settings: Settings,
                                                                monkeypatch) -> None:
    """One edit adds one piece at the end of the pack (same pack id); once the pack
    holds more than twice the bytes its index uses, it is written anew, with only the
    pieces in use."""
    exported(settings, "csv", WriteOptions())
    (first,) = indexes(settings, "csv")
    pack = next(store_dir(settings).glob(f"csv*/{piece_store.PACK_NAME}"))
    size = pack.stat().st_size
    _edit(settings, "hallucination", lambda c: _set_definition(c, "Edited once."))
    assert exported(settings, "csv", WriteOptions()) == cold_export(
        settings, "csv", WriteOptions())
    (second,) = indexes(settings, "csv")
    assert second.pack_id == first.pack_id
    grown = pack.stat().st_size - size
    assert 0 < grown < size / 2  # one piece, not the store
    assert sorted(second.offsets)[-1] == size  # the new piece, appended
    monkeypatch.setattr(piece_store, "_SLACK", 0)
    for step in range(6):
        text = f"Edit {step}."
        _edit(settings, "hallucination", lambda c, text=text: _set_definition(c, text))
        assert exported(settings, "csv", WriteOptions()) == cold_export(
            settings, "csv", WriteOptions())
    (last,) = indexes(settings, "csv")
    assert last.pack_id != first.pack_id
    assert pack.stat().st_size <= 2 * sum(last.lengths) + len(piece_store.PACK_MAGIC) + 17


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
    pot, po_text = po_texts(loaded.glossary, loaded.revision)
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


def test_json_pieces_keep_their_commas_when_the_first_concepts_change(settings: Settings
                                                                      ) -> None:
    """JSON's pieces are kept with the comma in front, and the array's first piece is
    written without it, whether it comes from the pack or was just made: edits of the
    first concepts, and approvals that make the first non-empty piece of the approved
    export another one."""
    both = (WriteOptions(), WriteOptions(approved_only=True))
    for options in both:
        exported(settings, "json", options)
    first, second = (c.id for c in loader.load_valid(settings).glossary.concepts[:2])
    for target, change in [(first, lambda c: _set_definition(c, "First, edited.")),
                           (second, lambda c: _approve(c, True)),
                           (first, lambda c: _approve(c, True)),
                           (second, lambda c: _set_definition(c, "Second, edited.")),
                           (first, lambda c: _approve(c, False))]:
        _edit(settings, target, change)
        for options in both:
            data = exported(settings, "json", options)
            assert data == cold_export(settings, "json", options), (target, options)
            json.loads(data)
            assert exported(settings, "json", options) == data  # replayed from the store


@given(st.lists(st.binary(min_size=4, max_size=4), max_size=40), st.data())
def test_differing_finds_exactly_the_items_that_differ(items, data) -> None:
    """The halving search of the items that differ gives what a comparison of every
    item gives, in order."""
    other = list(items)
    for i in data.draw(st.lists(st.integers(0, max(len(items) - 1, 0)), max_size=6)
                       if items else st.just([])):
        other[i] = bytes(b ^ 0xFF for b in other[i])
    expected = [i for i, (a, b) in enumerate(zip(items, other, strict=True)) if a != b]
    assert piece_store._differing(b"".join(items), b"".join(other), 4) == expected


def test_one_edit_after_another_patches_the_kept_order_and_equals_cold(
        settings: Settings, monkeypatch) -> None:
    """Edits that keep the concepts' order (first, last, middle, the same one again, two
    at once) take the pieces around the edited ones as spans of the pack, from where
    the pack's runs break, and every export equals a cold one."""
    patched: dict[str, list[int]] = {}
    original = piece_store.Slot._patched

    def spy(self, pieces, concepts, changed, separator):  # type: ignore[no-untyped-def]
        patched[self.dir.name.split("-")[0]] = list(changed)
        return original(self, pieces, concepts, changed, separator)

    monkeypatch.setattr(piece_store.Slot, "_patched", spy)
    names = ("csv", "tbx", "json")
    for name in names:
        exported(settings, name, WriteOptions())
    ids = [c.id for c in loader.load_valid(settings).glossary.concepts]
    steps = [[ids[0]], [ids[-1]], [ids[len(ids) // 2]], [ids[len(ids) // 2]],
             [ids[1], ids[-2]], [ids[0]]]
    for step, targets in enumerate(steps):
        for target in targets:
            _edit(settings, target, lambda c, step=step: _set_definition(
                c, f"Edited in step {step}.") if c.en.definition else c)
        patched.clear()
        for name in names:
            assert exported(settings, name, WriteOptions()) == cold_export(
                settings, name, WriteOptions()), (step, name)
        where = sorted({ids.index(target) for target in targets})
        # csv and json: the edited concepts; tbx also those whose see-also names them
        # (then more than a quarter of this small glossary: looked up by key instead)
        assert patched["csv"] == where and patched["json"] == where, patched
        assert set(where) <= set(patched.get("tbx", where))


def test_a_compendium_entry_follows_the_concepts_that_share_its_english_term(
        settings: Settings) -> None:
    """A concept alone with its English term is keyed by itself; once another concept
    gives the same term (then no longer does), its compendium entry changes, and the
    store never gives back the entry of the other situation."""
    options = (WriteOptions(compendium=True), WriteOptions(compendium=True,
                                                           approved_only=True))
    for each in options:
        exported(settings, "po", each)
    glossary = loader.load_valid(settings).glossary
    alone, other = [c for c in glossary.concepts if c.km.terms and c.en.terms][:2]
    shared = alone.en.terms[0].text
    original = other.en.terms[0].text
    def told_apart(concept, text: str):  # type: ignore[no-untyped-def]
        return dataclasses.replace(_set_term(concept, "en", text),
                                   notes=(f"the sense of {concept.id}",))

    _edit(settings, alone.id, lambda c: _approve(told_apart(c, shared), True))
    for each in options:
        exported(settings, "po", each)
    for text in (shared, original, shared):  # the concept alone is not edited again
        _edit(settings, other.id, lambda c, text=text: told_apart(c, text))
        for each in options:
            assert exported(settings, "po", each) == cold_export(settings, "po", each), (
                text, each)


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


#: The edits :func:`_apply` makes
EDITS = ["term", "km-term", "definition", "delete", "add", "unlink", "approve", "unapprove"]
OPS = st.lists(st.tuples(
    st.sampled_from(EDITS),
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


def _rekey(data: bytes) -> bytes:
    """An index as another slot key would have it."""
    at = len(piece_store.INDEX_MAGIC)
    return data[:at] + b"0" * 64 + data[at + 64:]


#: Damages done to every index or every pack of the store.
DAMAGES = {
    "empty": lambda data: b"",
    "truncated": lambda data: data[: len(data) - 7],
    "garbage": lambda data: b"\x80\x04not a store at all" * 50,
    "foreign": lambda data: b"PK\x03\x04" + data,
    "other version": lambda data: data.replace(b" 2", b" 1", 1),
    "other byte order": lambda data: data.replace(
        b"little" if b"little" in data[:40] else b"big", b"middle", 1),
    "other slot key": lambda data: _rekey(data) if data.startswith(
        piece_store.INDEX_MAGIC) else data,
}


@pytest.mark.parametrize("damage", sorted(DAMAGES))
@pytest.mark.parametrize("kind", [piece_store.INDEX_NAME, piece_store.PACK_NAME])
def test_a_damaged_store_is_ignored_and_made_again(settings: Settings, damage: str,
                                                   kind: str) -> None:
    assert_exports_are_cold(settings)
    for path in store_dir(settings).glob(f"*/{kind}"):
        path.write_bytes(DAMAGES[damage](path.read_bytes()))
    assert_exports_are_cold(settings)
    assert_exports_are_cold(settings)
    found = indexes(settings)  # made again, whole
    assert len(found) >= 5
    assert sum(len(index.keys) for index in found) >= 5


def test_a_planted_piece_under_another_key_is_never_used(settings: Settings) -> None:
    """A store whose index was re-keyed to what another slot or version would hold
    (its slot key and identity), over a pack of planted pieces, gives the cold bytes:
    nothing in it is trusted without the slot key."""
    exported(settings, "tbx", WriteOptions())
    for path in store_dir(settings).glob(f"*/{piece_store.INDEX_NAME}"):
        (index,) = [piece_store.parse_index(path.read_bytes(), path.read_bytes()[
            len(piece_store.INDEX_MAGIC):len(piece_store.INDEX_MAGIC) + 64].decode())]
        assert index is not None
        planted = b"<planted/>"
        magic = piece_store.PACK_MAGIC + index.pack_id + b"\n"
        path.with_name(piece_store.PACK_NAME).write_bytes(magic + planted * len(index.keys))
        offsets = piece_store.array("Q", (len(magic) + i * len(planted)
                                          for i in range(len(index.keys))))
        lengths = piece_store.array("Q", [len(planted)] * len(index.keys))
        other = dataclasses.replace(index, ident=b"0" * 64, offsets=offsets, lengths=lengths)
        path.write_bytes(other.encode("f" * 64))
    assert b"planted" not in exported(settings, "tbx", WriteOptions())


def test_an_unreadable_or_unwritable_store_is_no_error(settings: Settings) -> None:
    settings.cache_dir.mkdir(parents=True)
    store_dir(settings).write_bytes(b"a file where the folder should be")
    assert_exports_are_cold(settings)
    store_dir(settings).unlink()
    assert_exports_are_cold(settings)
    for path in store_files(settings):  # a folder where an index or a pack should be
        path.unlink()
        path.mkdir()
    assert_exports_are_cold(settings)


def test_a_new_pack_removes_an_earlier_layouts_files(settings: Settings) -> None:
    """The 32 shards and the manifest the store kept per output before its pack and
    index: as large as the pack, and read by nothing now."""
    folder = store_dir(settings) / exporting._slot("csv", WriteOptions())
    folder.mkdir(parents=True)
    old = [folder / f"{i:02d}.pieces" for i in range(32)] + [folder / "manifest"]
    for path in old:
        path.write_bytes(b"glossary-piece-store 1\n" + b"0" * 64 + b"\n")
    running = folder / ".pack.12345.tmp"  # another run's file in progress: left alone
    running.write_bytes(b"partial")
    assert exported(settings, "csv", WriteOptions()) == cold_export(
        settings, "csv", WriteOptions())
    assert sorted(p.name for p in folder.iterdir()) == [
        ".pack.12345.tmp", piece_store.INDEX_NAME, piece_store.PACK_NAME]


def test_pieces_of_deleted_concepts_are_dropped(settings: Settings) -> None:
    exported(settings, "csv", WriteOptions())

    def count() -> int:
        return sum(len(index.keys) for index in indexes(settings, "csv"))

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


# ------------------------------------------------------------------ pieces into a file


def counting_copies(monkeypatch, fail_after: int | None = None) -> list[int]:  # type: ignore[no-untyped-def]
    """Count the kernel copies (os.copy_file_range); with ``fail_after``, copy that
    many bytes of a span, then refuse like a file system that cannot (EXDEV)."""
    import errno
    import os

    real = os.copy_file_range
    calls: list[int] = []

    def copy(src: int, dst: int, count: int, offset_src: int | None = None) -> int:
        calls.append(count)
        if fail_after is not None:
            if len(calls) > 1:
                raise OSError(errno.EXDEV, "cannot copy here")
            count = min(count, fail_after)
        return real(src, dst, count, offset_src)

    monkeypatch.setattr(os, "copy_file_range", copy)
    return calls


@pytest.mark.parametrize(("fail_after", "many"), [(None, 256), (7, 256), (None, 0)])
def test_an_export_to_a_file_copies_the_stored_pieces(settings: Settings, monkeypatch,
                                                      tmp_path: Path,
                                                      fail_after: int | None,
                                                      many: int) -> None:
    """Exported to a file, warm and replayed, each output is a cold export's bytes; the
    stored pieces are copied by the kernel, read instead where it refuses, and the
    pack read whole when an output has many spans (``many``: how many are many)."""
    monkeypatch.setattr(piece_pack, "_MANY_SPANS", many)
    approve_one(settings)
    for name, options in EXPORTS:
        exporting.export_file(settings, name, tmp_path / "first", options)  # stores
    backdate_terms(settings)
    for name, options in EXPORTS:
        exporting.export_file(settings, name, tmp_path / "manifest", options)
    calls = counting_copies(monkeypatch, fail_after)
    for name, options in EXPORTS:
        for _ in range(2):  # pieces, then replay
            path = tmp_path / f"{name}.out"
            exporting.export_file(settings, name, path, options)
            assert path.read_bytes() == cold_export(settings, name, options), (name, options)
    assert bool(calls) == (many > 0), "copied by the kernel unless the pack is read whole"


def test_a_build_after_an_edit_copies_pieces_and_equals_a_cold_build(
        project: Path, tmp_path: Path, monkeypatch) -> None:
    pipeline.build(load_settings(cwd=project), TARGETS)
    path = project / "terms" / "hallucination.toml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        'text = "', 'text = "edited ', 1), encoding="utf-8")
    calls = counting_copies(monkeypatch)
    assert_build_is_cold(project, tmp_path)
    assert calls


def test_pieces_reach_a_stream_an_appending_file_and_a_file_alike(settings: Settings,
                                                                 tmp_path: Path) -> None:
    exported(settings, "tbx", WriteOptions())
    backdate_terms(settings)
    exported(settings, "tbx", WriteOptions())  # the manifest
    options = dataclasses.replace(WriteOptions(), revision=loader.load(settings).revision)
    slot = exporting._slot("tbx", options)
    ident = exporting.manifest_id(loader.unchanged(settings).key, slot, options)
    found = piece_store.replay(settings.cache_dir, slot, ident)
    assert found is not None
    with found:
        in_memory = found.data()
        with open(tmp_path / "file", "wb") as handle:
            found.write(handle)
        with open(tmp_path / "appended", "wb") as handle:
            handle.write(b"before\n")
        with open(tmp_path / "appended", "ab") as handle:  # the kernel may not copy here
            found.write(handle)
            handle.write(b"after\n")
    assert in_memory == cold_export(settings, "tbx", WriteOptions())
    assert (tmp_path / "file").read_bytes() == in_memory
    assert (tmp_path / "appended").read_bytes() == b"before\n" + in_memory + b"after\n"


def _csv_pack(settings: Settings) -> tuple[Path, piece_pack.Pack]:
    """The pack of a CSV export's pieces, and its path, open (the caller closes it)."""
    exported(settings, "csv", WriteOptions())
    (index,) = indexes(settings, "csv")
    path = next(store_dir(settings).glob(f"csv*/{piece_store.PACK_NAME}"))
    pack = piece_pack.open_pack(path, index)
    assert pack is not None
    return path, pack


@pytest.mark.parametrize("preadv", [True, False], ids=["preadv", "pread"])
def test_pieces_read_into_one_buffer_are_the_pack_s_bytes(settings: Settings, monkeypatch,
                                                          preadv: bool) -> None:
    """:meth:`Pack.joined` (the XLSX worksheet) gives the bytes and spans it is given, in
    order, with the system's ``preadv`` or, where it has none, ``pread``."""
    if not preadv:
        monkeypatch.delattr(os, "preadv")
    path, pack = _csv_pack(settings)
    try:
        start = len(piece_store.PACK_MAGIC)
        first = piece_pack.Span(start, start + (pack.size - start) // 3)
        second = piece_pack.Span(first.stop, pack.size)
        data = path.read_bytes()
        assert pack.joined([b"head ", second, "ខ្មែរ".encode(), first, b""]) == (
            b"head " + data[second.start:] + "ខ្មែរ".encode() + data[first.start:first.stop])
    finally:
        pack.close()


def test_a_pack_cut_short_after_it_was_opened_is_an_error_not_a_short_file(
        settings: Settings, tmp_path: Path) -> None:
    path, pack = _csv_pack(settings)
    try:
        with open(path, "r+b") as handle:  # damage from outside, after the checks
            handle.truncate(pack.size // 2)
        span = piece_pack.Span(len(piece_store.PACK_MAGIC), pack.size)
        for out in (io.BytesIO(), open(tmp_path / "out", "wb")):  # noqa: SIM115
            with out, pytest.raises(OSError, match="shrank"):
                pack.write([span], out)
        with pytest.raises(OSError, match="shrank"):  # read into one buffer (XLSX)
            pack.joined([b"head", span])
    finally:
        pack.close()


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
    approve_one(settings)
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
    pot, _ = po_texts(loaded.glossary, loaded.revision)
    assert project.joinpath("locale", "glossary.pot").read_text(encoding="utf-8") == pot


@pytest.mark.parametrize("damage", ["truncated", "other ident", "missing piece"])
def test_a_damaged_manifest_means_a_full_export(settings: Settings, damage: str,
                                                monkeypatch) -> None:
    backdate_terms(settings)
    expected = cold_export(settings, "tbx", WriteOptions())
    exported(settings, "tbx", WriteOptions())
    (manifest,) = [p for p in store_dir(settings).glob(f"tbx-*/{piece_store.INDEX_NAME}")]
    data = manifest.read_bytes()
    if damage == "truncated":
        manifest.write_bytes(data[:-5])
    elif damage == "other ident":
        lines = data.split(b"\n", 4)
        manifest.write_bytes(b"\n".join([*lines[:3], b"0" * 64, lines[4]]))
    else:
        manifest.with_name(piece_store.PACK_NAME).unlink()
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
    older terms/): whatever index wins, a later export is the cold one."""
    def slot_run(config: Settings) -> piece_store.Slot:
        loaded = loader.load_valid(config)
        known = exporting.Known.of(loaded, config)
        assert known.source is not None
        chosen = loaded.glossary
        pieces = exporting.formats.load("tbx").pieces(chosen, WriteOptions())
        slot = piece_store.Slot(known.source, exporting._slot("tbx", WriteOptions()),
                                pieces.key)
        slot.pieces(pieces, chosen.concepts)
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
