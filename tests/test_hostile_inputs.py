"""Item 4/5 of issue 18: hostile input files are refused while reading, with a clear
message, exit 2, bounded time and memory, and terms/ and build/ unchanged.

Big files are generated at test time; where a real-size case would take minutes the
limit is lowered with monkeypatch and the same code path is exercised.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from glossary import limits


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    if folder.exists():
        for p in sorted(folder.rglob("*")):
            if p.is_file() and not p.name.endswith(".lock"):
                h.update(str(p.relative_to(folder)).encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


@pytest.fixture
def guarded(project: Path, cli):
    """Run the CLI and check afterwards that terms/ and build/ did not change."""
    cli("build", "--only", "db")
    before = (_digest(project / "terms"), _digest(project / "build"))
    yield cli
    assert (_digest(project / "terms"), _digest(project / "build")) == before


def _refused(result, *words: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.stderr, result.stderr


def _child(project: Path, *args: str, max_mb: int = 1024) -> subprocess.CompletedProcess[str]:
    """The CLI in a child process whose address space is capped at ``max_mb``."""
    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (max_mb << 20, max_mb << 20))

    return subprocess.run([sys.executable, "-c", "from glossary.cli import main; main()", *args],
                          cwd=project, capture_output=True, text=True, timeout=120,
                          preexec_fn=cap)


# ----------------------------------------------------------------------- non-regular inputs

@pytest.mark.parametrize("fmt", ["tbx", "csv", "xlsx", "po"])
def test_dev_zero_is_refused(guarded, fmt: str) -> None:
    _refused(guarded("import", fmt, "/dev/zero"), "/dev/zero: is not a regular file")


@pytest.mark.parametrize("fmt", ["tbx", "csv", "xlsx", "po"])
def test_a_fifo_is_refused_without_blocking(guarded, project: Path, fmt: str) -> None:
    os.mkfifo(project / "in.fifo")
    _refused(guarded("import", fmt, "in.fifo"), "in.fifo: is not a regular file")


def test_qa_refuses_dev_zero(project: Path, cli) -> None:
    (project / "zero.txt").symlink_to("/dev/zero")
    _refused(cli("qa", "zero.txt"), "is not a regular file")


def test_file_over_the_size_limit(guarded, project: Path, monkeypatch) -> None:
    monkeypatch.setitem(limits.MAX_FILE, "csv", 1000)
    (project / "big.csv").write_bytes(b"x" * 1001)
    _refused(guarded("import", "csv", "big.csv"),
             "big.csv: is 1,001 bytes; the limit for CSV input is 1,000 bytes")


# ----------------------------------------------------------------------- XLSX

def _plain_xlsx(project: Path, cli) -> Path:
    """Our export re-saved by openpyxl in normal mode, as Excel writes it: with a
    declared dimension and a shared-strings part."""
    from openpyxl import Workbook, load_workbook

    assert cli("export", "xlsx", "-o", "export.xlsx").exit_code == 0
    source = load_workbook(project / "export.xlsx", read_only=True)
    book = Workbook()
    sheet = book.active
    sheet.title = "terms"
    for row in source["terms"].iter_rows(values_only=True):
        sheet.append(list(row))
    source.close()
    book.save(project / "ok.xlsx")
    return project / "ok.xlsx"


def _rewrite_xlsx(source: Path, target: Path, change, extra: dict[str, bytes] | None = None
                  ) -> None:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w",
                                                         zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, change(info.filename, zin.read(info.filename)))
        for name, data in (extra or {}).items():
            zout.writestr(name, data)


_SST = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">%s</sst>'


def test_xlsx_declaring_the_whole_sheet_is_refused_at_once(guarded, project: Path) -> None:
    _plain_xlsx(project, guarded)

    def huge(name: str, data: bytes) -> bytes:
        if name.startswith("xl/worksheets/"):
            return re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>',
                          data)
        return data

    _rewrite_xlsx(project / "ok.xlsx", project / "wide.xlsx", huge)
    started = time.monotonic()
    _refused(guarded("import", "xlsx", "wide.xlsx"),
             "declares 1,048,576 rows × 16,384 columns (A1:XFD1048576)")
    assert time.monotonic() - started < 20
    done = _child(project, "import", "xlsx", "wide.xlsx", max_mb=1024)
    assert done.returncode == 2 and "declares 1,048,576 rows" in done.stderr


def test_xlsx_shared_strings_over_the_limit(guarded, project: Path, monkeypatch) -> None:
    monkeypatch.setattr(limits, "MAX_XLSX_SHARED_STRINGS", 100_000)
    _plain_xlsx(project, guarded)
    noise = os.urandom(60_000).hex().encode()  # incompressible: not caught as a bomb
    _rewrite_xlsx(project / "ok.xlsx", project / "strings.xlsx", lambda n, d: d,
                  {"xl/sharedStrings.xml": _SST % (b"<si><t>" + noise + b"</t></si>")})
    _refused(guarded("import", "xlsx", "strings.xlsx"),
             "xl/sharedStrings.xml unpacks to", "the limit is 100,000 bytes")


def test_xlsx_zip_bomb_is_refused_from_the_directory(guarded, project: Path) -> None:
    _plain_xlsx(project, guarded)
    bomb = _SST % (b"<si><t>" + b"A" * (20 << 20) + b"</t></si>")
    _rewrite_xlsx(project / "ok.xlsx", project / "bomb.xlsx", lambda n, d: d,
                  {"xl/sharedStrings.xml": bomb})
    assert (project / "bomb.xlsx").stat().st_size < 200_000
    _refused(guarded("import", "xlsx", "bomb.xlsx"), "xl/sharedStrings.xml is compressed")


def test_padded_and_blank_headers_are_not_duplicates(project: Path, cli) -> None:
    (project / "padded.csv").write_text(
        " concept_id , lang ,term ,,\nfairness-x,en,fairness,,\nfairness-x,km,យុត្តិធម៌,,\n",
        encoding="utf-8")
    result = cli("import", "csv", "padded.csv")
    assert result.exit_code == 0, result.output
    assert "appears twice" not in result.output and "1 added" in result.output


# ----------------------------------------------------------------------- CSV cells

def test_our_own_export_with_a_long_definition_comes_back(project: Path, cli) -> None:
    path = project / "terms" / "transparency.toml"
    text = path.read_text(encoding="utf-8")
    long = "openness " * 30_000  # 270 KB: over the csv module's 128 KB default
    path.write_text(re.sub(r'(?m)^text = "The principle[^\n]*', f'text = "{long.strip()}"',
                           text, count=1), encoding="utf-8")
    assert cli("export", "csv", "-o", "long.csv").exit_code == 0
    result = cli("import", "csv", "long.csv")
    assert result.exit_code == 0, result.output
    assert "0 changed" in result.output


def test_csv_cell_over_the_limit_says_so(guarded, project: Path, monkeypatch) -> None:
    monkeypatch.setattr(limits, "MAX_CSV_CELL", 1000)
    (project / "cell.csv").write_text("concept_id,lang,term\nx,en,\"" + "y" * 2000 + "\"\n",
                                      encoding="utf-8")
    _refused(guarded("import", "csv", "cell.csv"), "cell.csv:2: a cell is longer than")


# ----------------------------------------------------------------------- TBX

def _tbx(entry_text: str) -> str:
    return ('<?xml version="1.0"?>\n<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" '
            'style="dca" xml:lang="en"><tbxHeader><fileDesc><sourceDesc><p>x</p></sourceDesc>'
            '</fileDesc></tbxHeader><text><body>\n<conceptEntry id="a"><langSec xml:lang="en">'
            f'<termSec><term>{entry_text}</term></termSec></langSec></conceptEntry>'
            '</body></text></tbx>\n')


def test_a_huge_tbx_entry_stops_the_parse(guarded, project: Path) -> None:
    path = project / "big.tbx"
    with path.open("w", encoding="utf-8") as handle:  # 12 MB of one term
        handle.write(_tbx("x" * (12 << 20)))
    _refused(guarded("import", "tbx", "big.tbx"), "big.tbx:3: an entry is larger than 4 MB")
    done = _child(project, "import", "tbx", "big.tbx", max_mb=400)
    assert done.returncode == 2 and "an entry is larger than" in done.stderr


# ----------------------------------------------------------------------- PO

def test_po_continuation_lines_are_read_in_linear_time(tmp_path: Path) -> None:
    from glossary.formats import po

    def build(lines: int) -> Path:
        path = tmp_path / f"c{lines}.po"
        path.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                        'msgid "x"\nmsgstr ""\n' + '"ក"\n' * lines, encoding="utf-8")
        return path

    small, large = build(25_000), build(200_000)
    t0 = time.perf_counter()
    po.read(small)
    t1 = time.perf_counter()
    catalog = po.read(large)
    t2 = time.perf_counter()
    assert catalog.messages[0].msgstr == "ក" * 200_000
    assert (t2 - t1) < 20 * max(t1 - t0, 0.01)  # 8× the lines: linear is ~8×, polib's 64×


def test_po_string_over_the_limit(guarded, project: Path, monkeypatch) -> None:
    monkeypatch.setattr(limits, "MAX_PO_STRING", 1000)
    (project / "long.po").write_text('msgid "x"\nmsgstr ""\n' + '"abcdefghij"\n' * 200,
                                     encoding="utf-8")
    _refused(guarded("import", "po", "long.po"), "long.po:", "msgstr string is longer than")


def test_po_u0085_in_a_msgstr_reads_at_the_right_line(tmp_path: Path) -> None:
    from glossary.formats import po

    path = tmp_path / "nel.po"
    path.write_text('msgctxt "a"\nmsgid "x"\nmsgstr "one\x85two"\n\nmsgctxt "b"\nmsgid "y"\n'
                    'msgstr "z"\n', encoding="utf-8")
    catalog = po.read(path)
    assert [(m.msgid, m.msgstr, m.line) for m in catalog.messages] == [
        ("x", "one\x85two", 1), ("y", "z", 5)]


# ----------------------------------------------------------------------- DOCX

def test_docx_over_the_unpacked_limit(project: Path, cli, monkeypatch) -> None:
    monkeypatch.setattr(limits, "MAX_DOCX_UNCOMPRESSED", 10_000)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", os.urandom(8000).hex())
    (project / "big.docx").write_bytes(buffer.getvalue())
    _refused(cli("qa", "big.docx"), "big.docx: unpacks to", "the limit for DOCX")
