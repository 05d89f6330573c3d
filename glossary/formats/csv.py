"""CSV: one row per term (the layout of :mod:`glossary.formats.sheet_layout`), UTF-8 with a BOM so
that Excel shows Khmer, cells neutralized against formula injection."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from glossary import textfile
from glossary.errors import FormatError
from glossary.formats import sheet_layout
from glossary.imports.records import ReadResult
from glossary.model import Glossary

BOM = "\ufeff"


def write(glossary: Glossary, out: IO[str]) -> int:
    """Write the table to a text stream opened with ``newline=""``; returns the rows."""
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    count = -1
    for row in sheet_layout.rows(glossary):
        writer.writerow(row)
        count += 1
    return count


def _decode(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FormatError(f"cannot read file: {exc.strerror or exc}", path=path) from None
    return textfile.decode(
        path, data, error=FormatError,
        hint="save the file as 'CSV UTF-8' (Excel) or UTF-8 (LibreOffice)",
    )


def _records(text: str, path: Path) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    line = 1
    try:
        for cells in reader:
            yield line, cells
            line = reader.line_num + 1
    except csv.Error as exc:
        raise FormatError(f"CSV syntax error: {exc}", path=path, line=reader.line_num or line,
                          hint="check the quotes on that line") from None


def read(path: Path, *, fold_coeng_da: bool = True,
         columns: dict[str, str] | None = None) -> ReadResult:
    text = _decode(path)
    return sheet_layout.read_rows(_records(text, path), path, "csv", fold_coeng_da,
                                  columns)
