"""Reading a TBX file on two cores: the halves, and the same result as one process."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from lxml import etree

from glossary import packing, pipeline
from glossary.config import load_settings
from glossary.errors import FormatError
from glossary.formats import tbx
from glossary.formats.tbx.halves import RangeReader, find_halves
from tests.conftest import ROOT, SAMPLES

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="two processes need fork")


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped glossary as TBX, its 345 concepts three times (fewer than 65,536
    lines: past that libxml2 numbers lines only roughly, and the halves number their
    own lines)."""
    buffer = io.BytesIO()
    tbx.write(pipeline.load_valid(load_settings(cwd=ROOT)).glossary, buffer)
    data = buffer.getvalue()
    start, end = data.index(b"<conceptEntry"), data.rindex(b"</conceptEntry>") + 15
    body = data[start:end]
    copies = [body.replace(b'id="', f'id="c{i}-'.encode()) for i in range(3)]
    path = tmp_path_factory.mktemp("tbx") / "shipped.tbx"
    path.write_bytes(data[:start] + b"\n      ".join(copies) + data[end:])
    return path


def _foreign(path: Path, tmp_path: Path) -> Path:
    out = tmp_path / "foreign.tbx"
    out.write_bytes(path.read_bytes().replace(b'<p type="generator">glossary</p>',
                                              b'<p type="generator">other</p>'))
    return out


def _read(path: Path, parallel: bool) -> tbx.ReadResult:
    return tbx.read(path, parallel=parallel)


def data_lines(path: Path) -> int:
    return path.read_bytes().count(b"\n") + 1


def _entries(source: Path | RangeReader) -> list[str]:
    return [el.get("id") for _, el in etree.iterparse(source, tag="{*}conceptEntry")]


@pytest.mark.parametrize("share", [0.1, 0.5, 0.9])
def test_the_halves_are_documents_that_share_out_the_entries(shipped: Path, share: float):
    halves = find_halves(shipped, share, min_bytes=1)
    assert halves is not None
    with RangeReader(shipped, halves.first) as first, RangeReader(shipped, halves.second) as second:
        ids = _entries(first), _entries(second)
    assert ids[0] + ids[1] == _entries(shipped)
    assert abs(len(ids[1]) / (len(ids[0]) + len(ids[1])) - share) < 0.05


def test_small_or_unsafe_files_are_not_cut(shipped: Path, tmp_path: Path) -> None:
    assert find_halves(shipped, 0.5, min_bytes=shipped.stat().st_size + 1) is None
    data = shipped.read_bytes()
    at = data.index(b"<conceptEntry", len(data) // 2)
    cases = {
        # not cut at all
        "doctype": data.replace(b"<tbx ", b"<!DOCTYPE tbx>\n<tbx ", 1),
        "latin-1": data.replace(b"encoding='UTF-8'", b"encoding='ISO-8859-1'", 1),
        "utf-16": "\ufeff".encode("utf-16-le") + data.decode("utf-8").encode("utf-16-le"),
        # cut, but the worker finds markup before the cut and the file is read here
        "comment": data[:at] + b"<!-- <conceptEntry id='x'> -->" + data[at:],
        "cdata": data[:at].replace(b"<term>", b"<term><![CDATA[a]]>", 1) + data[at:],
    }
    for name, changed in cases.items():
        path = tmp_path / f"{name}.tbx"
        path.write_bytes(changed)
        halves = find_halves(path, 0.5, min_bytes=1)
        assert halves is None or halves.second_line_offset(path) is None, name
        if name in ("comment", "cdata"):
            one, two = _read(path, False), _read(path, True)
            assert two.concepts == one.concepts and two.skipped == one.skipped, name


@pytest.fixture
def forks(monkeypatch) -> list[int]:
    """The workers started (so that a test knows the two-process path ran)."""
    from glossary import forked

    started: list[int] = []
    original = forked.start_writer

    def spy(work):
        got = original(work)
        if got is not None:
            started.append(got[0].pid)
        return got

    monkeypatch.setattr(forked, "start_writer", spy)
    return started


def test_two_processes_read_what_one_reads(shipped: Path, tmp_path: Path, forks) -> None:
    for path in (shipped, _foreign(shipped, tmp_path)):
        one, two = _read(path, False), _read(path, True)
        assert two.concepts == one.concepts  # records, order and line numbers
        assert (two.own, two.skipped) == (one.own, one.skipped)
        assert len(one.concepts) == 1035
    assert data_lines(shipped) < 65536
    assert len(forks) == 2


def test_a_failing_worker_is_replaced_by_this_process(shipped: Path, monkeypatch,
                                                      forks) -> None:
    expected = _read(shipped, False)

    def broken(record):  # runs in the forked worker, which then exits with an error
        raise RuntimeError("worker failure")

    monkeypatch.setattr(packing, "pack_incoming", broken)
    got = _read(shipped, True)
    assert got.concepts == expected.concepts and got.skipped == expected.skipped
    assert len(forks) == 1


@pytest.mark.parametrize("where", [0.25, 0.75])
def test_an_error_in_either_half_is_reported_where_one_process_reports_it(
        shipped: Path, tmp_path: Path, where: float) -> None:
    data = shipped.read_bytes()
    at = data.index(b"</termNote>", int(len(data) * where))
    path = tmp_path / "broken.tbx"
    path.write_bytes(data[:at] + b"</termNot>" + data[at + 11:])
    errors = []
    for parallel in (False, True):
        with pytest.raises(FormatError) as info:
            _read(path, parallel)
        errors.append((info.value.line, info.value.column, info.value.message))
    assert errors[0] == errors[1]
    assert errors[0][0] == data[:at].count(b"\n") + 1


def test_a_stream_closed_early_leaves_no_worker(shipped: Path) -> None:
    result = tbx.read(shipped, stream=True, parallel=True)
    records = iter(result.concepts)
    next(records)
    records.close()  # type: ignore[attr-defined]
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def test_samples_read_the_same_either_way() -> None:
    for path in sorted((SAMPLES / "tbx").glob("*.tbx")):
        try:
            one = _read(path, False)
        except FormatError as exc:
            with pytest.raises(FormatError) as info:
                _read(path, True)
            assert str(info.value) == str(exc)
            continue
        two = _read(path, True)
        assert (two.concepts, two.skipped, two.own) == (one.concepts, one.skipped, one.own)


def test_an_import_plans_the_same_with_two_processes(shipped: Path, tmp_path: Path,
                                                     forks) -> None:
    """New concepts of the worker's half are prepared there (the report needs no more);
    records that match the glossary come back whole. Same report either way, for new
    concepts, matched ones, and another tool's file (its repeated English terms are
    skipped across the halves)."""
    from glossary.interchange import plan
    from glossary.model import Glossary

    glossary = pipeline.load_valid(load_settings(cwd=ROOT)).glossary
    empty = Glossary(documents=glossary.documents, domains=glossary.domains)
    data = shipped.read_bytes()
    # the first copy keeps the shipped ids: those entries match the glossary
    matching = tmp_path / "matching.tbx"
    matching.write_bytes(data.replace(b'id="c0-', b'id="'))
    tampered = tmp_path / "tampered.tbx"  # unknown domains, unregistered sections
    tampered.write_bytes(re.sub(rb'(<admin type="source">asean-guide-2024 \xc2\xa7)[^<,]*',
                                rb"\1Z.99", re.sub(rb'(<descrip type="subjectField">)[^<]*',
                                                   rb"\1no such domain", data)))
    for path in (shipped, _foreign(shipped, tmp_path), matching, tampered):
        for into in (empty, glossary):
            reports = [plan(into, tbx.read(path, stream=True, parallel=parallel), by="T",
                            keep=False).as_dict() for parallel in (False, True)]
            assert reports[0] == reports[1], (path.name, len(into.concepts))
            assert reports[0]["added"] + reports[0]["unchanged"] + reports[0]["changed"] > 0
            if path == tampered:
                assert any("unknown domain" in k for k in reports[0]["skipped"])
    assert len(forks) == 8
    # before --apply (keep=True) the worker sends every record whole
    kept = [plan(empty, tbx.read(matching, stream=True, parallel=parallel), by="T", keep=True)
            for parallel in (False, True)]
    assert kept[0].new == kept[1].new and kept[0].as_dict() == kept[1].as_dict()
    assert len(kept[0].new) == 1035 and len(forks) == 9


def test_comments_and_cdata_after_the_cut_are_read_by_the_worker(shipped: Path,
                                                                 tmp_path: Path) -> None:
    data = shipped.read_bytes()
    at = data.index(b"<term>", int(len(data) * 0.8))
    path = tmp_path / "late.tbx"
    path.write_bytes(data[:at] + b"<!-- a note -->" + data[at:].replace(
        b"<term>", b"<term><![CDATA[x & y]]> ", 1))
    halves = find_halves(path, 0.5, min_bytes=1)
    assert halves is not None and halves.second_line_offset(path) is not None
    one, two = _read(path, False), _read(path, True)
    assert two.concepts == one.concepts and two.skipped == one.skipped
    assert any(t.text.startswith("x & y ") for c in one.concepts for t in c.en.terms)


def _glossary_times(n: int):
    from dataclasses import replace

    from glossary.model import Glossary

    glossary = pipeline.load_valid(load_settings(cwd=ROOT)).glossary
    concepts = tuple(replace(c, id=f"{c.id}-{i}", see_also=tuple(f"{s}-{i}" for s in c.see_also))
                     for i in range(n) for c in glossary.concepts)
    return Glossary(concepts=concepts, documents=glossary.documents, domains=glossary.domains)


def _export(glossary, parallel: bool) -> tuple[bytes, tbx.WriteReport]:
    buffer = io.BytesIO()
    report = tbx.write(glossary, buffer, batch=64, parallel=parallel)
    return buffer.getvalue(), report


def test_two_processes_write_what_one_writes(forks) -> None:
    glossary = _glossary_times(3)
    one, two = _export(glossary, False), _export(glossary, True)
    assert two == one and len(forks) == 1
    assert one[1].concepts == 1035 and one[0].count(b"<conceptEntry ") == 1035


def test_a_failing_export_worker_leaves_its_half_to_this_process(monkeypatch, forks) -> None:
    from glossary.formats.tbx import writer

    glossary = _glossary_times(2)
    expected = _export(glossary, False)

    class Broken:  # the worker packs frames with this and fails before sending any
        size, unpack = writer._FRAME.size, writer._FRAME.unpack

        def pack(self, *values: int) -> bytes:
            raise RuntimeError("worker failure")

    monkeypatch.setattr(writer, "_FRAME", Broken())
    assert _export(glossary, True) == expected and len(forks) == 1
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def test_only_whole_frames_of_the_export_worker_are_copied() -> None:
    from glossary import forked
    from glossary.formats.tbx import writer

    child = forked.start(lambda: None)
    assert child is not None
    read_end, write_end = os.pipe()
    frames = [writer._FRAME.pack(2, 5) + b"<a/>\n", writer._FRAME.pack(3, 4) + b"<b/>",
              writer._FRAME.pack(1, 9) + b"<c/"]  # the last one cut short: not copied
    os.write(write_end, b"".join(frames))
    os.close(write_end)
    out = io.BytesIO()
    assert writer._copy_frames((child, read_end), out) == 5
    assert out.getvalue() == b"<a/>\n<b/>"
