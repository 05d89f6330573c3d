"""Issue 18: one hostile input per case in tests/data/hostile/ (its README lists each
case, the error it gets and the limit behind it). Every case runs the real CLI in a
child process capped at 600 MB of address space and must be refused cleanly: exit 2,
the error of the README, no traceback, terms/ and build/ unchanged. Cases too big to
keep in git (or that cannot be files) are made here at run time, real size."""

from __future__ import annotations

import hashlib
import os
import random
import resource
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import DATA, MINI
from tests.zip_support import with_member_flags

HOSTILE = DATA / "hostile"
CAP_MB = 600
MB = 1024 * 1024


def _cases() -> list[tuple[str, str, str, str, str]]:
    """(case, file, command, error says, limit) for each row of the README's table."""
    rows = []
    for line in (HOSTILE / "README.md").read_text(encoding="utf-8").splitlines():
        if not line.startswith("| ") or line.startswith(("| case ", "|---")):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        assert len(cells) == 5, line
        case, how, command, says, limit = cells
        rows.append((case, how, command.strip("`"), says, limit))
    return rows


CASES = _cases()


# ----------------------------------------------------------------------- generators

def _sparse(size: int) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        with path.open("wb") as handle:
            handle.truncate(size)
    return make


def _dev_zero(path: Path) -> None:
    path.symlink_to("/dev/zero")


def _fifo(path: Path) -> None:
    os.mkfifo(path)


_TBX_HEAD = ('<?xml version="1.0"?>\n<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" '
             'style="dca" xml:lang="en"><tbxHeader><fileDesc><sourceDesc><p>x</p></sourceDesc>'
             '</fileDesc></tbxHeader><text><body>\n')
_TBX_TAIL = '</body></text></tbx>\n'


def _tbx_huge_entry(path: Path) -> None:
    path.write_text(_TBX_HEAD + '<conceptEntry id="a"><langSec xml:lang="en"><termSec><term>'
                    + "x" * (12 * MB) + '</term></termSec></langSec></conceptEntry>'
                    + _TBX_TAIL, encoding="utf-8")


def _tbx_huge_attribute(path: Path) -> None:
    path.write_text(_TBX_HEAD.replace('<tbxHeader>', '<tbxHeader note="' + "y" * (11 * MB)
                                      + '">') + _TBX_TAIL, encoding="utf-8")


def _csv_huge_cell(path: Path) -> None:
    path.write_text('concept_id,lang,term\nx,en,"' + "y" * (9 * MB) + '"\n', encoding="utf-8")


_PO_HEAD = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


def _po_long_string(path: Path) -> None:
    path.write_text(_PO_HEAD + 'msgctxt "ai-model"\nmsgid "AI model"\nmsgstr ""\n'
                    + '"abcdefghij"\n' * 110_000, encoding="utf-8")


def _po_many_lines(path: Path) -> None:
    path.write_bytes(b"\n" * 5_000_001)


def _po_long_line(path: Path) -> None:
    path.write_bytes(b"# " + b"x" * (9 * MB) + b"\n")


def _members(count: int, size: int, name: str = "part{k}.xml") -> Callable[[Path], None]:
    def make(path: Path) -> None:
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            block = bytes(size)
            for k in range(count):
                archive.writestr(name.format(k=k), block)
    return make


def _xlsx_shared_strings(path: Path) -> None:
    """201 MB of shared strings that compress about 100 times (not a bomb)."""
    rng = random.Random(18)
    chunk = bytearray(b"A" * MB)
    for k in range(0, MB, 400):
        chunk[k] = rng.randrange(256)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive, \
            archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
        for _ in range(201):
            out.write(chunk)


def _encrypted(name: str) -> Callable[[Path], None]:
    """A zip of one member, ``name``, flagged as encrypted in the zip's directory."""
    def make(path: Path) -> None:
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(name, b"<x/>")
        path.write_bytes(with_member_flags(path.read_bytes(), name, 0x1))
    return make


def _directory_only(count: int) -> Callable[[Path], None]:
    """A zip of nothing but its directory: ``count`` entries of one-letter members."""
    def make(path: Path) -> None:
        entry = (b"PK\x01\x02" + (20).to_bytes(2, "little") * 2 + bytes(20)
                 + (1).to_bytes(2, "little") + bytes(16) + b"a")  # 46 bytes, then "a"
        directory = entry * count
        end = (b"PK\x05\x06" + bytes(4) + (0xFFFF).to_bytes(2, "little") * 2
               + len(directory).to_bytes(4, "little") + bytes(6))
        path.write_bytes(directory + end)
    return make


def _compound_file(path: Path) -> None:
    """The signature of an OLE compound file, then a zeroed first sector."""
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))


GENERATORS: dict[str, Callable[[Path], None]] = {
    "dev_zero.tbx": _dev_zero, "dev_zero.xlsx": _dev_zero, "dev_zero.csv": _dev_zero,
    "dev_zero.po": _dev_zero, "dev_zero.txt": _dev_zero,
    "fifo.tbx": _fifo, "fifo.xlsx": _fifo, "fifo.csv": _fifo, "fifo.po": _fifo,
    "fifo_qa.po": _fifo,
    "tbx_over_size.tbx": _sparse(1025 * MB), "csv_over_size.csv": _sparse(101 * MB),
    "xlsx_over_size.xlsx": _sparse(51 * MB), "po_over_size.po": _sparse(101 * MB),
    "po_over_size_qa.po": _sparse(101 * MB), "docx_over_size.docx": _sparse(51 * MB),
    "text_over_size.txt": _sparse(101 * MB),
    "tbx_huge_entry.tbx": _tbx_huge_entry, "tbx_huge_attribute.tbx": _tbx_huge_attribute,
    "csv_huge_cell.csv": _csv_huge_cell,
    "po_long_string.po": _po_long_string, "po_long_string_qa.po": _po_long_string,
    "po_too_many_lines.po": _po_many_lines, "po_too_many_lines_qa.po": _po_many_lines,
    "po_long_line_qa.po": _po_long_line,
    "xlsx_shared_strings.xlsx": _xlsx_shared_strings,
    "xlsx_unpacked.xlsx": _members(501, MB),
    "review_unpacked.xlsx": _members(501, MB),
    "review_zip_bomb.xlsx": _members(1, 300 * MB, "xl/worksheets/sheet1.xml"),
    "docx_unpacked.docx": _members(201, MB),
    "xlsx_encrypted_part.xlsx": _encrypted("xl/worksheets/sheet1.xml"),
    "review_encrypted_part.xlsx": _encrypted("xl/worksheets/sheet1.xml"),
    "docx_encrypted_part.docx": _encrypted("word/document.xml"),
    "xlsx_password.xlsx": _compound_file, "docx_password.docx": _compound_file,
    "xlsx_many_members.xlsx": _directory_only(100_000),
    "docx_many_members.docx": _directory_only(100_000),
}


# ----------------------------------------------------------------------- the run

def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file() and not p.name.endswith(".lock"):
            h.update(str(p.relative_to(folder)).encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def _run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The CLI in a child process whose address space is capped at CAP_MB."""
    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (CAP_MB * MB, CAP_MB * MB))

    return subprocess.run([sys.executable, "-m", "glossary.cli.app_main", *args], cwd=project,
                          capture_output=True, text=True, timeout=300, preexec_fn=cap)


@pytest.fixture(scope="module")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("hostile")
    shutil.copytree(MINI / "terms", project / "terms")
    (project / "pyproject.toml").write_text(
        '[tool.glossary]\nterms = "terms"\nbuild = "build"\nlocale = "locale"\n',
        encoding="utf-8")
    done = _run(project, "build", "--only", "db")
    assert done.returncode == 0, done.stderr
    (project / "inbox").mkdir()
    return project


def test_every_file_has_a_case_and_every_case_a_file() -> None:
    files = {p.name for p in HOSTILE.iterdir() if p.name != "README.md"}
    listed = {case for case, how, *_ in CASES if how == "file"}
    generated = {case for case, how, *_ in CASES if how.startswith("generated")}
    assert files == listed
    assert generated == set(GENERATORS)
    assert len({case for case, *_ in CASES}) == len(CASES)


@pytest.mark.parametrize(("case", "how", "command", "says", "limit"), CASES,
                         ids=[case for case, *_ in CASES])
def test_a_hostile_case_is_refused_cleanly(built_project: Path, case: str, how: str,
                                           command: str, says: str, limit: str) -> None:
    target = built_project / "inbox" / case
    if how == "file":
        shutil.copy(HOSTILE / case, target)
    else:
        GENERATORS[case](target)
    before = (_digest(built_project / "terms"), _digest(built_project / "build"))
    try:
        args = [part.replace("{file}", f"inbox/{case}") for part in command.split()]
        done = _run(built_project, *args)
    finally:
        target.unlink()
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr
    assert done.stderr.startswith(f"Error: inbox/{case}"), done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert says in done.stderr, done.stderr
    assert (_digest(built_project / "terms"), _digest(built_project / "build")) == before
