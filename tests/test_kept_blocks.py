"""The XLSX workbook deflated in blocks (formats.zipped), and the blocks kept between
runs (kept_blocks): the same bytes with or without them, one block deflated after one
edit, and a damaged store that is only ignored."""

from __future__ import annotations

import dataclasses
import io
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest

from glossary import exporting, kept_blocks, loader
from glossary.config import Settings
from glossary.errors import FormatError
from glossary.formats import xlsx, zipped
from glossary.formats.options import WriteOptions
from glossary.formats.sheet_layout import COLUMNS
from glossary.kept_blocks import KeptBlocks
from glossary.model import Glossary

KHMER = "ការរៀនម៉ាស៊ីន"


def test_blocks_one_after_the_other_are_one_deflate_stream() -> None:
    parts = [f"<row>{KHMER} {i}</row>".encode() * (i + 1) for i in range(40)] + [b""]
    stream = b"".join([*map(zipped.block, parts), zipped.END])
    assert zlib.decompress(stream, -15) == b"".join(parts)
    assert zipped.block(b"") == b""


def test_a_zip_of_blocks_is_read_by_zipfile_and_openpyxl(settings: Settings) -> None:
    glossary = loader.load_valid(settings).glossary
    out = io.BytesIO()
    xlsx.write(glossary, out)
    archive = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    assert archive.testzip() is None
    assert [i.filename for i in archive.infolist()][-1] == "xl/worksheets/sheet1.xml"
    assert all(i.external_attr >> 16 == 0o600 for i in archive.infolist())
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue()), read_only=True)["terms"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == COLUMNS[:3]
    concept = glossary.concept("hallucination")
    assert concept is not None
    assert ("hallucination", "km", concept.km.terms[0].text) in [row[:3] for row in rows]


def test_an_entry_over_4_gib_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(zipped, "_LIMIT", 100)
    with pytest.raises(FormatError, match="4 GiB"):
        zipped.write([zipped.Entry.of("big.xml", b"x" * 101)], xlsx._timestamp())


def _sheet(glossary: Glossary) -> tuple[bytes, list[int], list[bytes]]:
    sheet = xlsx.pieces(glossary)
    made = [sheet.piece(c) for c in glossary.concepts]
    keys = [zlib.crc32(piece).to_bytes(16, "big") for piece in made]  # a key per piece
    return b"".join([sheet.head(), *made, sheet.tail()]), [len(m) for m in made], keys


def test_kept_blocks_give_the_same_workbook_and_an_edit_deflates_one(
        settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx, "GROUP", 2)
    glossary = loader.load_valid(settings).glossary
    data, lengths, keys = _sheet(glossary)
    plain = b"".join(xlsx.package(data, lengths))
    kept: dict[bytes, bytes] = {}
    assert b"".join(xlsx.package(data, lengths, keys, kept)) == plain
    groups = (len(lengths) + 1) // 2
    assert len(kept) == groups > 2
    deflated: list[int] = []
    real = zipped.block
    monkeypatch.setattr(zipped, "block", lambda d: deflated.append(len(d)) or real(d))
    assert b"".join(xlsx.package(data, lengths, keys, kept)) == plain
    assert len(deflated) == 2  # the worksheet's head and tail only
    # one concept edited: its block is deflated again, the others are kept
    concept = glossary.concepts[3]
    term = dataclasses.replace(concept.en.terms[0], text="edited term")
    edited = dataclasses.replace(concept, en=dataclasses.replace(
        concept.en, terms=(term, *concept.en.terms[1:])))
    changed = dataclasses.replace(glossary, concepts=tuple(
        edited if c is concept else c for c in glossary.concepts))
    data2, lengths2, keys2 = _sheet(changed)
    deflated.clear()
    ours = b"".join(xlsx.package(data2, lengths2, keys2, kept))
    assert len(deflated) == 3
    monkeypatch.setattr(zipped, "block", real)
    assert ours == b"".join(xlsx.package(data2, lengths2))
    assert zipfile.ZipFile(io.BytesIO(ours)).read("xl/worksheets/sheet1.xml") == data2


def test_a_sheet_that_is_not_its_pieces_is_an_error(settings: Settings) -> None:
    data, lengths, _ = _sheet(loader.load_valid(settings).glossary)
    with pytest.raises(ValueError, match="not its head, pieces and tail"):
        xlsx.package(data + b" ", lengths)


def _store(tmp_path: Path, key: str = "k" * 64) -> KeptBlocks:
    return KeptBlocks(tmp_path, "xlsx-slot", key)


def test_the_store_keeps_what_a_run_used_or_made(tmp_path: Path) -> None:
    store = _store(tmp_path)
    assert store.get(b"a" * 16) is None
    store[b"a" * 16] = b"first"
    store[b"b" * 16] = KHMER.encode()
    store.save()
    again = _store(tmp_path)
    assert again.get(b"b" * 16) == KHMER.encode()
    again.save()  # one block of two used: the other one goes
    assert _store(tmp_path).old == {b"b" * 16: KHMER.encode()}
    written = again.path.stat()
    third = _store(tmp_path)
    assert third.get(b"b" * 16) == KHMER.encode()
    third.save()  # nothing new, nothing left unused: not written
    now = third.path.stat()
    assert (now.st_ino, now.st_mtime_ns) == (written.st_ino, written.st_mtime_ns)
    assert _store(tmp_path, "o" * 64).old == {}  # another slot key


@pytest.mark.parametrize("damage", ["truncated", "flipped", "garbage", "folder", "empty"])
def test_a_damaged_store_is_an_empty_one(tmp_path: Path, damage: str) -> None:
    store = _store(tmp_path)
    store[b"a" * 16] = b"x" * 100
    store.save()
    path = store.path
    raw = path.read_bytes()
    if damage == "truncated":
        path.write_bytes(raw[:-10])
    elif damage == "flipped":
        path.write_bytes(raw[:-5] + bytes([raw[-5] ^ 1]) + raw[-4:])
    elif damage == "garbage":
        path.write_bytes(b"not ours at all")
    elif damage == "empty":
        path.write_bytes(b"")
    else:
        path.unlink()
        path.mkdir()
    assert _store(tmp_path).old == {}


def test_an_xlsx_build_after_an_edit_takes_the_kept_blocks(settings: Settings,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    """Through the export: the store is written, and a second export deflates no block
    of the sheet's pieces; both are the bytes of a plain write."""
    monkeypatch.setattr(xlsx, "GROUP", 2)
    loaded = loader.load_valid(settings)
    known = exporting.Known.of(loaded, settings)
    options = WriteOptions(revision=loaded.revision)
    plain = io.BytesIO()
    xlsx.write(loaded.glossary, plain)
    first = io.BytesIO()
    exporting.write("xlsx", loaded.glossary, first, options, known)
    assert first.getvalue() == plain.getvalue()
    assert list((settings.cache_dir / kept_blocks.DIR_NAME).glob("xlsx-*.bin"))
    deflated: list[int] = []
    real = zipped.block
    monkeypatch.setattr(zipped, "block", lambda d: deflated.append(len(d)) or real(d))
    second = io.BytesIO()
    exporting.write("xlsx", loaded.glossary, second, options, known)
    assert second.getvalue() == plain.getvalue()
    assert len(deflated) == 2
