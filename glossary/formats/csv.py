"""CSV: one row per term (the layout of :mod:`glossary.formats.sheet_layout`), UTF-8 with a BOM so
that Excel shows Khmer, cells neutralized against formula injection."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from glossary import limits, textfile
from glossary.errors import FormatError
from glossary.formats import sheet_layout
from glossary.formats.options import ReadOptions, WriteOptions
from glossary.formats.pieces import key_of
from glossary.formats.pieces import write as write_pieces
from glossary.imports.records import ReadResult
from glossary.model import Concept, Glossary

BOM = "\ufeff"


class CsvPieces:
    """The CSV as :mod:`~glossary.formats.pieces`: the BOM and the header row, then each
    concept's rows (CRLF line ends)."""

    key = key_of("csv", sheet_layout.COLUMNS)

    def __init__(self) -> None:
        self.buffer = io.StringIO(newline="")
        self.writer = csv.writer(self.buffer, lineterminator="\r\n")

    def _text(self, rows: Iterable[list[str]]) -> bytes:
        self.buffer.seek(0)
        self.buffer.truncate()
        self.writer.writerows(rows)
        return self.buffer.getvalue().encode("utf-8")

    def head(self) -> bytes:
        return BOM.encode("utf-8") + self._text([list(sheet_layout.COLUMNS)])

    def piece(self, concept: Concept) -> bytes:
        return self._text(sheet_layout.table_rows(concept))

    def tail(self) -> bytes:
        return b""


def pieces(glossary: Glossary, options: WriteOptions | None = None) -> CsvPieces:
    return CsvPieces()


def write(glossary: Glossary, out: IO[bytes], options: WriteOptions | None = None) -> None:
    """Write the table, UTF-8 with a BOM and CRLF line ends, to a binary stream."""
    write_pieces(CsvPieces(), glossary.concepts, out)


def _decode(path: Path) -> str:
    """UTF-8, or UTF-16 with its byte order mark (Excel's "Unicode Text")."""
    return textfile.decode(
        path, limits.read_file(path, "csv"), error=FormatError, utf16=True,
        hint="save the file as 'CSV UTF-8' (Excel) or UTF-8 (LibreOffice)",
    )


def delimiter(text: str) -> str:
    """The separator of a CSV: the one of comma, semicolon and tab that its header line
    holds most often (a comma when tied or none). Excel writes semicolons where the
    decimal mark is a comma, and a sheet pasted into a text editor has tabs; column
    names hold none of the three."""
    header = text.partition("\n")[0]
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=counts.__getitem__)  # the first of the largest: a comma first
    return best if counts[best] else ","


def _records(text: str, path: Path) -> Iterator[tuple[int, list[str]]]:
    csv.field_size_limit(limits.MAX_CSV_CELL)  # our own long definitions come back
    reader = csv.reader(io.StringIO(text, newline=""), strict=True,
                        delimiter=delimiter(text))
    line = 1
    try:
        for cells in reader:
            if len(cells) > limits.MAX_COLUMNS:
                raise FormatError(f"a row has {len(cells)} cells; the limit is "
                                  f"{limits.MAX_COLUMNS}", path=path, line=line,
                                  hint="the export has 30 columns; remove the extra ones")
            yield line, cells
            line = reader.line_num + 1
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise FormatError(f"a cell is longer than {limits.MAX_CSV_CELL // limits.MB} MB "
                              "of text", path=path, line=line,
                              hint="shorten it (see \"Limits\" in the README)") from None
        raise FormatError(f"CSV syntax error: {exc}", path=path, line=reader.line_num or line,
                          hint="check the quotes on that line") from None


def read(path: Path, options: ReadOptions | None = None) -> ReadResult:
    options = options or ReadOptions()
    text = _decode(path)
    return sheet_layout.read_rows(_records(text, path), path, "csv", options.fold_coeng_da,
                                  options.columns)
