"""Resource limits on input files, checked while reading (never after loading it all).

The numbers are documented in the README ("Limits"); each refusal is a
:class:`~glossary.errors.FormatError` naming the file, what is too large and the limit.
They are far above any real glossary exchange file (the shipped glossary exports to a
1 MB TBX, a 0.6 MB CSV, a 0.3 MB XLSX) and far below what exhausts a 4 GB machine.
"""

from __future__ import annotations

import os
import re
import stat
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO

from glossary.errors import FormatError

MB = 1024 * 1024

#: Largest input file per format (bytes on disk). TBX is read as a stream, each entry
#: bounded (:data:`MAX_TBX_ENTRY`), so its limit only bounds the time a file takes: it is
#: set to take back our own export of 100,000 concepts (247 MB; read in ~25 s).
MAX_FILE = {
    "tbx": 1024 * MB, "csv": 100 * MB, "xlsx": 50 * MB, "po": 100 * MB, "docx": 50 * MB,
    "text": 100 * MB, "omegat": 100 * MB,
}
#: One CSV cell (characters); Python's csv module stops at 128 KB by default.
MAX_CSV_CELL = 8 * MB
#: XLSX: the sum of the uncompressed sizes of all zip members.
MAX_XLSX_UNCOMPRESSED = 500 * MB
#: XLSX: the shared-strings part (every text of the workbook), uncompressed.
MAX_XLSX_SHARED_STRINGS = 200 * MB
#: XLSX: rows × columns of the sheet (from its declared dimension, and as read).
MAX_XLSX_CELLS = 5_000_000
#: XLSX and CSV: columns of one row (the export has 30).
MAX_COLUMNS = 256
#: TBX: the bytes of one entry (``conceptEntry`` / ``termEntry``).
MAX_TBX_ENTRY = 4 * MB
#: DOCX: the sum of the uncompressed sizes of all zip members.
MAX_DOCX_UNCOMPRESSED = 200 * MB
#: Zip members: the largest compression ratio accepted for a member over 1 MB.
MAX_ZIP_RATIO = 200
#: XLSX and DOCX: the zip's directory (46 bytes and a name per member; a workbook's
#: has a few hundred members), checked before :mod:`zipfile` reads it.
MAX_ZIP_DIRECTORY = 4 * MB
#: PO: lines in the file, and characters of one string (msgid, msgstr…) once its
#: continuation lines are joined.
MAX_PO_LINES = 5_000_000
MAX_PO_STRING = 1 * MB
#: PO read by ``glossary qa`` (a line at a time): the bytes of one line.
MAX_PO_LINE = 8 * MB

_README = "see \"Limits\" in the README"


def _size(n: int) -> str:
    return f"{n / MB:.1f} MB" if n >= MB else f"{n:,} bytes"


def check_file(path: Path, fmt: str) -> int:
    """Refuse what is not a regular file (``/dev/zero``, a FIFO, a directory) or is
    over the size limit of ``fmt``; return the size."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise FormatError(f"cannot read file: {exc.strerror or exc}", path=path) from None
    if stat.S_ISDIR(info.st_mode):
        raise FormatError("is a directory, not a file", path=path, hint="give a file")
    if not stat.S_ISREG(info.st_mode):
        raise FormatError("is not a regular file (a device, FIFO or socket)", path=path,
                          hint="save the data to a file first, then give that file")
    limit = MAX_FILE[fmt]
    if info.st_size > limit:
        raise FormatError(f"is {_size(info.st_size)}; the limit for {fmt.upper()} input is "
                          f"{_size(limit)}", path=path, hint=f"split the file ({_README})")
    return info.st_size


def open_input(path: Path) -> BinaryIO:
    """``path`` opened for reading (the caller closes it); FormatError, not OSError,
    when it cannot be."""
    try:
        return open(path, "rb")  # noqa: SIM115 -- returned to the caller's with
    except OSError as exc:
        raise FormatError(f"cannot read file: {exc.strerror or exc}", path=path) from None


def read_file(path: Path, fmt: str) -> bytes:
    """The bytes of ``path`` after :func:`check_file`; reads at most the limit (a file
    that grows meanwhile is refused too)."""
    check_file(path, fmt)
    limit = MAX_FILE[fmt]
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise FormatError(f"cannot read file: {exc.strerror or exc}", path=path) from None
    if len(data) > limit:
        raise FormatError(f"is over the limit for {fmt.upper()} input ({_size(limit)})",
                          path=path, hint=f"split the file ({_README})")
    return data


#: Zip flag bits: an encrypted member, and what zipfile cannot read (patched data,
#: strong encryption); the compression methods it can read.
_ENCRYPTED, _PATCHED, _STRONG = 0x1, 0x20, 0x40
_READABLE_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2,
                               zipfile.ZIP_LZMA})
#: The first bytes of an OLE compound file: what Excel and Word write for a file with a
#: password to open it (the zip inside is encrypted whole), and the 97–2003 formats.
_COMPOUND_FILE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


#: What an OLE compound file given as each zip format is, and what to do.
_COMPOUND_AS = {
    "xlsx": ("is a workbook with a password to open it, or an Excel 97-2003 .xls file: "
             "not an XLSX zip",
             "open it, remove any password, and save it as Excel Workbook (.xlsx)"),
    "docx": ("is a document with a password to open it, or a Word 97-2003 .doc file: "
             "not a .docx zip",
             "open it, remove any password, and save it as .docx (Word 2007 or later)"),
}


def _is_compound_file(path: Path) -> bool:
    """Whether ``path`` is an OLE compound file (see :data:`_COMPOUND_FILE`)."""
    try:
        with path.open("rb") as handle:
            return handle.read(len(_COMPOUND_FILE)) == _COMPOUND_FILE
    except OSError:
        return False


#: The end record of a zip: its signature, and the most bytes it can take with its comment.
_END, _END_WINDOW = b"PK\x05\x06", 22 + 0xFFFF


def open_zip(path: Path, fmt: str) -> zipfile.ZipFile:
    """The zip of an XLSX or DOCX file, opened once :func:`check_zip_directory` let it
    through. An OLE compound file is a :class:`FormatError` that says what it is; any
    other file :mod:`zipfile` cannot open is ``zipfile.BadZipFile`` (whatever zipfile
    raised: fuzzed headers also give ``NotImplementedError``, ``ValueError``,
    ``EOFError``), for the caller to word."""
    check_zip_directory(path, fmt)
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, NotImplementedError, ValueError, EOFError) as exc:
        if _is_compound_file(path):
            what, hint = _COMPOUND_AS[fmt]
            raise FormatError(what, path=path, hint=hint) from None
        raise zipfile.BadZipFile(str(exc) or type(exc).__name__) from exc


def check_zip_directory(path: Path, fmt: str) -> None:
    """Refuse a zip whose directory, as its end record gives the size, is over
    :data:`MAX_ZIP_DIRECTORY`, before :mod:`zipfile` reads it: it makes an object per
    member, and a 47 MB zip of nothing but one-letter members took 10 s and 420 MB.
    (A ZIP64 end record is left to zipfile; unreadable files too, it reports them.)"""
    try:
        with path.open("rb") as handle:
            size = handle.seek(0, os.SEEK_END)
            handle.seek(max(0, size - _END_WINDOW))
            tail = handle.read()
    except OSError:
        return
    at = tail.rfind(_END)
    if at < 0 or len(tail) - at < 22:
        return
    directory = int.from_bytes(tail[at + 12:at + 16], "little")
    if MAX_ZIP_DIRECTORY < directory < 0xFFFF_FFFF:
        raise FormatError(
            f"its zip directory is {_size(directory)}; the limit is "
            f"{_size(MAX_ZIP_DIRECTORY)}: not a real {fmt.upper()} file", path=path,
            hint="open it in its program and save it again")


def check_zip(path: Path, archive: zipfile.ZipFile, fmt: str, total_limit: int,
              member_limits: dict[str, int] | None = None) -> None:
    """Refuse a zip (XLSX, DOCX) whose members would unpack to more than ``total_limit``
    bytes, whose member named in ``member_limits`` is over its own limit, with a member
    compressed more than :data:`MAX_ZIP_RATIO` times (a zip bomb), or with a member that
    is encrypted or stored in a way :mod:`zipfile` cannot read (it would raise
    ``RuntimeError`` or ``NotImplementedError`` on opening it) — all from the zip's
    directory, before anything is unpacked."""
    total = 0
    for info in archive.infolist():
        if info.flag_bits & (_ENCRYPTED | _STRONG):
            raise FormatError(
                f"{info.filename} is encrypted (the {fmt.upper()} file has a password): "
                "it cannot be read", path=path,
                hint="open it in its program, remove the password, save it and try again")
        if info.flag_bits & _PATCHED or info.compress_type not in _READABLE_METHODS:
            raise FormatError(
                f"{info.filename} is stored in a way the zip reader does not know "
                f"(compression method {info.compress_type}, flags {info.flag_bits:#06x})",
                path=path, hint="open it in its program and save it again")
        total += info.file_size
        own = (member_limits or {}).get(info.filename)
        if own is not None and info.file_size > own:
            raise FormatError(
                f"{info.filename} unpacks to {_size(info.file_size)}; the limit is {_size(own)}",
                path=path, hint=f"the {fmt.upper()} file is too large to import ({_README})")
        if info.file_size > MB and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1):
            raise FormatError(
                f"{info.filename} is compressed {info.file_size // max(info.compress_size, 1)}"
                f" times (more than {MAX_ZIP_RATIO}): not a real {fmt.upper()} file",
                path=path, hint="open it in its program and save it again")
    if total > total_limit:
        raise FormatError(f"unpacks to {_size(total)}; the limit for {fmt.upper()} is "
                          f"{_size(total_limit)}", path=path,
                          hint=f"the file is too large to import ({_README})")


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?"')


def _column(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number


def check_workbook(path: Path) -> None:
    """Before openpyxl opens the workbook (it reads the shared strings eagerly and pads
    every row to the declared width): refuse it from the zip's directory and the
    sheets' declared dimensions alone. Every workbook the tool reads passes here: the
    terms table (:mod:`glossary.formats.xlsx`) and the review workbook
    (:mod:`glossary.formats.review_sheet`)."""
    try:
        archive = open_zip(path, "xlsx")
    except zipfile.BadZipFile as exc:
        raise FormatError(f"not an XLSX workbook: {exc}", path=path,
                          hint="save the file as Excel Workbook (.xlsx)") from None
    with archive:
        check_zip(path, archive, "xlsx", MAX_XLSX_UNCOMPRESSED,
                  {"xl/sharedStrings.xml": MAX_XLSX_SHARED_STRINGS})
        if "mimetype" in archive.namelist() and _head(archive, "mimetype").startswith(
                b"application/vnd.oasis.opendocument"):  # LibreOffice's own format
            raise FormatError("is an OpenDocument file (.ods, .odt), not an XLSX workbook",
                              path=path, hint="LibreOffice: File > Save As, file type "
                              "Excel 2007-365 (.xlsx)")
        for info in archive.infolist():
            if not (info.filename.startswith("xl/worksheets/")
                    and info.filename.endswith(".xml")):
                continue
            try:
                with archive.open(info) as member:
                    head = member.read(4096)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error,
                    NotImplementedError):
                continue  # openpyxl will report the damaged part
            match = _DIMENSION.search(head)
            if not match or not match.group(3):
                continue
            columns = _column(match.group(3)) - _column(match.group(1)) + 1
            rows = int(match.group(4)) - int(match.group(2)) + 1
            if columns > MAX_COLUMNS or rows * columns > MAX_XLSX_CELLS:
                raise FormatError(
                    f"{info.filename} declares {rows:,} rows × {columns:,} columns "
                    f"({match.group(1).decode()}{match.group(2).decode()}:"
                    f"{match.group(3).decode()}{match.group(4).decode()}); the limits are "
                    f"{MAX_COLUMNS} columns and {MAX_XLSX_CELLS:,} cells",
                    path=path, hint="delete the empty rows and columns and save it again")


def _head(archive: zipfile.ZipFile, name: str) -> bytes:
    """The first bytes of a member, or none when it cannot be read."""
    try:
        with archive.open(name) as member:
            return member.read(64)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error,
            NotImplementedError):
        return b""
