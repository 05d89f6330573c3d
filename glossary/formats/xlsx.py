"""XLSX (openpyxl): the same table as the CSV, one sheet, text cells only.

Output is deterministic: the workbook's created/modified times and the zip entries'
times are fixed (``SOURCE_DATE_EPOCH`` when set, else 2000-01-01), so the same
glossary gives the same bytes.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from glossary import limits
from glossary.errors import FormatError, GlossaryError
from glossary.formats import sheet_layout
from glossary.formats.options import ReadOptions, WriteOptions
from glossary.imports.records import ReadResult
from glossary.model import Glossary

SHEET = "terms"
CELL_MAX = 32_767  # characters in one cell (Excel's limit): longer text is refused, not cut


def _timestamp() -> datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).replace(tzinfo=None)
    return datetime(2000, 1, 1)


def write(glossary: Glossary, out: IO[bytes], options: WriteOptions | None = None) -> None:
    """Write the workbook to a binary stream."""
    _check_cells(glossary)  # before openpyxl starts: a refusal leaves no half-made sheet
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    stamp = _timestamp()
    workbook = Workbook(write_only=True)
    workbook.properties.creator = "glossary"
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    sheet = workbook.create_sheet(SHEET)
    sheet.freeze_panes = "D2"
    for row in sheet_layout.rows(glossary):
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"  # text, never a formula, whatever the content
            cells.append(cell)
        sheet.append(cells)
    raw = io.BytesIO()
    workbook.save(raw)
    out.write(_fix_zip(raw.getvalue(), stamp))


def _check_cells(glossary: Glossary) -> None:
    """Refuse a text longer than a cell holds (never cut it), naming concept and column."""
    header: list[str] = []
    for row in sheet_layout.rows(glossary):
        header = header or row
        for position, value in enumerate(row):
            if len(value) > CELL_MAX:
                raise FormatError(
                    f"{row[0] or 'a concept'}: {header[position]} is {len(value):,} "
                    f"characters; an XLSX cell holds at most {CELL_MAX:,}", hint="shorten "
                    "it in terms/, or export csv or json, which have no such limit")


def _fix_zip(data: bytes, stamp: datetime) -> bytes:
    """Rewrite the zip with fixed entry times and core properties (openpyxl stamps 'now')."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                import re

                content = re.sub(
                    rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                    lambda m: m.group(1) + iso.encode() + m.group(3), content,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, content)
    return out.getvalue()


def _records(sheet: Any, path: Path) -> Iterator[tuple[int, list[Any]]]:
    cells = 0
    for line, row in enumerate(sheet.iter_rows(values_only=True), 1):
        # a row's trailing empty cells carry nothing (padding up to the declared width)
        width = len(row)
        while width and row[width - 1] in (None, ""):
            width -= 1
        if width > limits.MAX_COLUMNS:
            raise FormatError(f"row {line} has {width} cells; the limit is "
                              f"{limits.MAX_COLUMNS}", path=path,
                              hint="the export has 30 columns; remove the extra ones")
        cells += len(row)
        if cells > limits.MAX_XLSX_CELLS:
            raise FormatError(f"the sheet has more than {limits.MAX_XLSX_CELLS:,} cells",
                              path=path, hint="split the workbook (see \"Limits\" in the README)")
        yield line, ["" if v is None else (v if isinstance(v, str) else _plain(v))
                     for v in row[:width]]


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?"')


def _column(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number


def _inspect(path: Path) -> None:
    """Before openpyxl opens the workbook (it reads the shared strings eagerly and pads
    every row to the declared width): refuse it from the zip's directory and the
    sheets' declared dimensions alone."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise FormatError(f"not an XLSX workbook: {exc or type(exc).__name__}", path=path,
                          hint="save the file as Excel Workbook (.xlsx)") from None
    with archive:
        limits.check_zip(path, archive, "xlsx", limits.MAX_XLSX_UNCOMPRESSED,
                         {"xl/sharedStrings.xml": limits.MAX_XLSX_SHARED_STRINGS})
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
            if columns > limits.MAX_COLUMNS or rows * columns > limits.MAX_XLSX_CELLS:
                raise FormatError(
                    f"{info.filename} declares {rows:,} rows × {columns:,} columns "
                    f"({match.group(1).decode()}{match.group(2).decode()}:"
                    f"{match.group(3).decode()}{match.group(4).decode()}); the limits are "
                    f"{limits.MAX_COLUMNS} columns and {limits.MAX_XLSX_CELLS:,} cells",
                    path=path, hint="delete the empty rows and columns and save it again")


def _plain(value: Any) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read(path: Path, options: ReadOptions | None = None) -> ReadResult:
    from openpyxl import load_workbook

    options = options or ReadOptions()
    fold_coeng_da = options.fold_coeng_da
    limits.check_file(path, "xlsx")
    _inspect(path)
    try:
        handle = path.open("rb")  # ours, so it is closed however openpyxl fails
    except FileNotFoundError:
        raise FormatError("file not found", path=path) from None
    except OSError as exc:
        raise FormatError(f"cannot read file: {exc.strerror}", path=path) from None
    with handle:
        try:
            workbook = load_workbook(handle, read_only=True, data_only=True)
        except MemoryError:
            raise FormatError("the workbook is too large to open in memory", path=path,
                              hint="split it (see \"Limits\" in the README)") from None
        except Exception as exc:  # noqa: BLE001 - openpyxl fails in many ways on a bad file
            raise FormatError(f"not an XLSX workbook: {exc or type(exc).__name__}", path=path,
                              hint="save the file as Excel Workbook (.xlsx)") from None
        try:
            sheet = workbook[SHEET] if SHEET in workbook.sheetnames else workbook.worksheets[0]
            return sheet_layout.read_rows(_records(sheet, path), path, "xlsx", fold_coeng_da,
                                          options.columns)
        except GlossaryError:
            raise
        except Exception as exc:  # noqa: BLE001 - a damaged part of the zip (zlib, XML, …)
            raise FormatError(
                f"damaged XLSX workbook ({type(exc).__name__}: {exc})", path=path,
                hint="open it in a spreadsheet program and save it again as .xlsx",
            ) from None
        finally:
            workbook.close()
