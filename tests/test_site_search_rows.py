"""The site's search index keeps each concept's item between builds
(:class:`glossary.site.searchindex.KeptItems`): after a Khmer term edit only the edited
concept's item is made again, the file is the one a clean build writes, and a kept
file that is damaged, from another version or from other settings, or an index file
changed since, is not used."""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from glossary import pipeline, search
from glossary.config import load_settings
from glossary.model import ConceptStatus, Glossary, ReviewState
from glossary.site import searchindex
from glossary.site.sort_keys import KmSortKeys
from glossary.site.state import index_fingerprint
from tests.conftest import MINI
from tests.site_support import edit_terms


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The concepts whose search item a build makes (the others are kept)."""
    calls: list[str] = []
    real = search.concept_row

    def spy(concept):
        calls.append(concept.id)
        return real(concept)

    monkeypatch.setattr(search, "concept_row", spy)
    return calls


def _edit_khmer_term(project: Path) -> None:
    path = project / "terms" / "transparency.toml"
    text = path.read_text(encoding="utf-8")
    assert 'text = "តម្លាភាព"' in text
    path.write_text(text.replace('text = "តម្លាភាព"', 'text = "ភាពថ្លាថ្លៃ"', 1),
                    encoding="utf-8")


def _clean_index(project: Path, tmp_path: Path) -> bytes:
    """The search index a clean build of ``project``'s terms writes."""
    clean = tmp_path / "clean"
    shutil.copytree(project / "terms", clean / "terms")
    shutil.copy(project / "pyproject.toml", clean / "pyproject.toml")
    settings = load_settings(cwd=clean)
    pipeline.build(settings, ["site"])
    return (settings.build_dir / "site" / "search-index.js").read_bytes()


def _findable(project: Path) -> set[str]:
    from glossary import loader

    glossary = loader.load(load_settings(cwd=project)).glossary
    return {c.id for c in glossary.concepts if search.findable(c)}


def test_a_khmer_term_edit_makes_one_item_and_the_clean_file(project: Path, tmp_path: Path,
                                                             made: list[str]) -> None:
    settings = load_settings(cwd=project)
    pipeline.build(settings, ["site"])
    assert set(made) == _findable(project)  # the first build makes every item
    assert (settings.cache_dir / searchindex.ROWS_NAME).is_file()
    made.clear()
    _edit_khmer_term(project)
    pipeline.build(settings, ["site"])
    assert made == ["transparency"]
    index = (settings.build_dir / "site" / "search-index.js").read_bytes()
    assert "ភាពថ្លាថ្លៃ".encode() in index
    assert index == _clean_index(project, tmp_path)


#: The lines of the file after its checksum: the head, the index file's signature, the
#: number of concepts, then the columns
IDS, KM_RANK = 3, 8


def _rewritten(raw: bytes, change) -> bytes:
    """The file with its lines (after the checksum) given by ``change(lines)``, its
    checksum right."""
    from glossary.site.manifest import checksum

    _, _, body = raw.partition(b"\n")
    lines = body.decode().split("\n")
    change(lines)
    body = "\n".join(lines).encode()
    return checksum(body).encode() + b"\n" + body


def _break_head(raw: bytes) -> bytes:
    """Another version's file, its checksum right."""

    def change(lines: list[str]) -> None:
        lines[0] = "99" + lines[0][lines[0].index("\t"):]

    return _rewritten(raw, change)


def _short_line(raw: bytes) -> bytes:
    """The ids' column with an id missing, its checksum right (not what save writes)."""

    def change(lines: list[str]) -> None:
        lines[IDS] = lines[IDS].rpartition("\t")[0]

    return _rewritten(raw, change)


@pytest.mark.parametrize("damage", [
    lambda raw: raw[: len(raw) // 2],  # truncated
    lambda raw: raw[:-1] + bytes([raw[-1] ^ 1]),  # changed
    lambda raw: b"",
    lambda raw: b"\xff\xfe not ours",
    _break_head,
    _short_line,
], ids=["truncated", "changed", "empty", "not-ours", "other-version", "short-line"])
def test_a_damaged_file_is_not_used(project: Path, tmp_path: Path, made: list[str],
                                    damage) -> None:
    settings = load_settings(cwd=project)
    pipeline.build(settings, ["site"])
    path = settings.cache_dir / searchindex.ROWS_NAME
    path.write_bytes(damage(path.read_bytes()))
    made.clear()
    _edit_khmer_term(project)
    pipeline.build(settings, ["site"])
    assert set(made) == _findable(project)  # every item made, none taken from the file
    index = (settings.build_dir / "site" / "search-index.js").read_bytes()
    assert index == _clean_index(project, tmp_path)
    made.clear()  # and the file written again serves the next build
    path = project / "terms" / "transparency.toml"
    path.write_text(path.read_text("utf-8").replace("ភាពថ្លាថ្លៃ", "តម្លាភាព"), "utf-8")
    pipeline.build(settings, ["site"])
    assert made == ["transparency"]


def test_an_index_file_changed_since_is_not_copied(project: Path, tmp_path: Path,
                                                   made: list[str]) -> None:
    """The kept places are of the file the last build wrote: an index file changed
    since (here by hand, to the same size) gives every item made again."""
    settings = load_settings(cwd=project)
    pipeline.build(settings, ["site"])
    index = settings.build_dir / "site" / "search-index.js"
    index.write_bytes(index.read_bytes().replace(b'"concept"', b'"CONCEPT"', 1))
    made.clear()
    _edit_khmer_term(project)
    pipeline.build(settings, ["site"])
    assert set(made) == _findable(project)
    assert index.read_bytes() == _clean_index(project, tmp_path)


def test_a_settings_change_makes_every_item(project: Path, made: list[str]) -> None:
    settings = load_settings(cwd=project)
    pipeline.build(settings, ["site"])
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text("utf-8") + "fold_coeng_da = false\n", "utf-8")
    made.clear()
    _edit_khmer_term(project)
    pipeline.build(load_settings(cwd=project), ["site"])
    assert set(made) == _findable(project)


@pytest.mark.parametrize("edits", [
    # Khmer terms that grow and shrink: the items after them move in the file, and the
    # places kept for the next build must follow
    [{"ai-model": ("គំរូបញ្ញាសិប្បនិម្មិត", "គំរូបញ្ញាសិប្បនិម្មិតធំ"),
      "machine-learning": ("ការរៀនរបស់ម៉ាស៊ីន", "ការរៀនម៉ាស៊ីន")},
     {"transparency": ("តម្លាភាព", "ភាពថ្លាថ្លៃ")},
     {"ai-model": ("គំរូបញ្ញាសិប្បនិម្មិតធំ", "គំរូបញ្ញា"),
      "hallucination": ("ការប្រឌិតចម្លើយ", "ការប្រឌិតចម្លើយខុស")}],
    # English headwords: to the front and the back of English order, then a change of
    # case only (the same casefold: the text itself decides)
    [{"transparency": ("transparency", "Aardvark transparency")},
     {"ai-model": ("AI model", "zz model"), "transparency": ("Aardvark transparency",
                                                              "transparency")},
     {"ai-model": ("zz model", "ai model")},
     {"ai-model": ("ai model", "AI model")}],
    # Khmer headwords: one made another concept's (the English headword decides), then
    # one to the front of Khmer order
    [{"transparency": ("តម្លាភាព", "គំរូបញ្ញាសិប្បនិម្មិត")},
     {"transparency": ("គំរូបញ្ញាសិប្បនិម្មិត", "កកកក")}],
], ids=["places", "english", "khmer"])
def test_edits_in_a_row_keep_the_index_a_clean_build_writes(
        project: Path, tmp_path: Path, made: list[str], edits) -> None:
    """Each build copies the items it keeps from the file the last one wrote, and puts
    each edited item back in both orders by bisection: after every edit, the file a
    clean build writes."""
    settings = load_settings(cwd=project)
    pipeline.build(settings, ["site"])
    for n, edit in enumerate(edits):
        edit_terms(project, edit)
        made.clear()
        pipeline.build(settings, ["site"])
        assert sorted(made) == sorted(edit)
        index = (settings.build_dir / "site" / "search-index.js").read_bytes()
        assert index == _clean_index(project, tmp_path / str(n))


@pytest.mark.parametrize("damage", ["not-a-permutation", "one-short"])
def test_kept_orders_that_cannot_be_are_not_patched(project: Path, tmp_path: Path,
                                                    made: list[str], damage: str) -> None:
    """Kept orders that do not give each item a place of its own, or one item short (the
    checksum right), are not patched: the orders are made whole, as a clean build makes
    them (with the kept items, or, when the file does not hold together, every item
    made)."""
    settings = load_settings(cwd=project)
    pipeline.build(settings, ["site"])
    path = settings.cache_dir / searchindex.ROWS_NAME

    def change(lines: list[str]) -> None:
        places = lines[KM_RANK].split(" ")
        lines[KM_RANK] = " ".join(["0"] * len(places) if damage == "not-a-permutation"
                                  else places[:-1])

    path.write_bytes(_rewritten(path.read_bytes(), change))
    _edit_khmer_term(project)
    made.clear()
    pipeline.build(settings, ["site"])
    assert made == ["transparency"] if damage == "not-a-permutation" \
        else set(made) == _findable(project)
    index = (settings.build_dir / "site" / "search-index.js").read_bytes()
    assert index == _clean_index(project, tmp_path)


# ------------------------------------------- random edits, one build after each

EDIT = st.tuples(st.sampled_from(["en", "km", "review", "retire", "add", "remove"]),
                 st.integers(0, 60), st.sampled_from(
                     ["Aardvark", "zebra", "Model", "model", "ការ", "ក", "អ្នក", "ឥត"]))


def _edited(glossary: Glossary, edit: tuple[str, int, str], step: int) -> Glossary:
    """``glossary`` with one edit: a concept's English or Khmer headword, its Khmer
    headword's review, its status, or a concept added (a copy) or removed."""
    kind, pick, text = edit
    concepts = list(glossary.concepts)
    at = pick % len(concepts)
    concept = concepts[at]
    if kind in ("en", "km") and concept.lang(kind).terms:
        section = concept.lang(kind)
        head = dataclasses.replace(section.terms[0], text=f"{text} {step}")
        concepts[at] = dataclasses.replace(concept, **{kind: dataclasses.replace(
            section, terms=(head, *section.terms[1:]))})
    elif kind == "review" and concept.km.terms:
        head = concept.km.terms[0]
        state = ReviewState.APPROVED if head.review.state is not ReviewState.APPROVED \
            else ReviewState.PROPOSED
        head = dataclasses.replace(head, review=dataclasses.replace(head.review, state=state))
        concepts[at] = dataclasses.replace(concept, km=dataclasses.replace(
            concept.km, terms=(head, *concept.km.terms[1:])))
    elif kind == "retire":
        concepts[at] = dataclasses.replace(concept, status=ConceptStatus.RETIRED)
    elif kind == "add":
        concepts.insert(at, dataclasses.replace(concept, id=f"added-{step}"))
    elif kind == "remove" and len(concepts) > 2:
        del concepts[at]
    return dataclasses.replace(glossary, concepts=tuple(concepts))


def _built(pieces: searchindex.Pieces, old: bytes) -> bytes:
    return b"".join(p if isinstance(p, bytes) else old[p[0]:p[1]] for p in pieces)


@hypothesis_settings(max_examples=40, deadline=None)
@given(edits=st.lists(EDIT, min_size=1, max_size=8))
def test_after_random_edits_the_kept_index_is_the_whole_one(edits) -> None:
    """Edits of headwords (to any place of either order, ties included), reviews and
    statuses, added and removed concepts, with the index made after each from the one
    before (patched where it can be): each time, the bytes of the index made whole."""
    from glossary import loader

    glossary = loader.load_checked(MINI / "terms", cache_dir=None).glossary
    with tempfile.TemporaryDirectory() as scratch:
        cache, index = Path(scratch), Path(scratch) / "search-index.js"
        index.write_bytes(b"")
        for step, edit in enumerate([None, *edits]):
            if edit is not None:
                glossary = _edited(glossary, edit, step)
            prints = {c.id: index_fingerprint(c) for c in glossary.concepts}
            kept = searchindex.KeptItems(cache, "shared", index)
            made = _built(searchindex.index_pieces(glossary, None, KmSortKeys(), kept, prints),
                          index.read_bytes())
            whole = b"".join(p for p in searchindex.index_pieces(glossary)
                             if isinstance(p, bytes))
            assert made == whole
            index.write_bytes(made)
            kept.save()
