"""XLSX: the same table as the CSV, one sheet, text cells only. Read with openpyxl;
written by our own lean writer.

Why our own writer: openpyxl makes an object per cell and serializes each through
lxml. Measured on 10,000 synthetic concepts (29,891 rows × 33 columns, one process,
``write`` alone): openpyxl: 11.0 s of CPU and a 5.6 MB file; ours: 0.74 s and 2.9 MB
(UTF-8 text instead of character references, no cell references).

The workbook has what openpyxl's had: a sheet called ``terms``, the header row, the header and the
first three columns (concept, language, term) frozen (pane at D2), every cell an
inline string (never a number or a formula; openpyxl wrote inline strings too, and
shared strings would need a second pass for no gain here), no column widths, no bold.
Cells carry no ``r`` attributes and rows no row numbers, so a concept's rows are the
same bytes wherever the concept stands: the sheet is written through
:mod:`glossary.formats.pieces` (head = sheet start and header row, a piece per concept,
tail), whose pieces a later run can reuse. An empty cell is ``<c/>`` (it keeps its
place in the row).

Deflate level 1, measured on that sheet (23.6 MB of XML): level 1 takes 0.09 s of CPU
for 2.94 MB, level 3 0.13 s for 2.65 MB, level 6 (zlib's default, openpyxl's) 0.32 s
for 2.19 MB, level 9 0.54 s for 2.15 MB. The file is rebuilt after every edit of
terms/, so time wins over the 0.75 MB. The sheet is deflated in blocks of
:data:`GROUP` concepts (:mod:`glossary.formats.zipped`), and :func:`package` takes the
blocks of unchanged concepts from the last run when the caller keeps them (a one-edit
build deflates one block, not 23.6 MB).

Output is deterministic: the workbook's created/modified times and the zip entries'
times are fixed (``SOURCE_DATE_EPOCH`` when set, else 2000-01-01; a date before 1980,
which a zip cannot hold, is taken as 1980-01-01), so the same glossary gives the same
bytes.
"""

from __future__ import annotations

import hashlib
import os
import re
import zlib
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Protocol

from glossary import limits
from glossary.errors import FormatError, GlossaryError
from glossary.formats import sheet_layout, zipped
from glossary.formats.options import ReadOptions, WriteOptions
from glossary.imports.records import ReadResult
from glossary.model import Concept, Glossary

SHEET = "terms"
CELL_MAX = 32_767  # characters in one cell (Excel's limit): longer text is refused, not cut
WRITER_VERSION = "1"  # part of the pieces' key: change it when a piece's bytes change
#: Concepts per deflated block of the worksheet: small enough that an edit deflates
#: ~150 KB again, large enough that the blocks deflate almost as well as one stream.
GROUP = 64


def _timestamp() -> datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        stamp = datetime.fromtimestamp(int(epoch), tz=UTC).replace(tzinfo=None)
        return max(stamp, datetime(1980, 1, 1))
    return datetime(2000, 1, 1)


# --------------------------------------------------------------------------- the parts

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_CT = "application/vnd.openxmlformats-"

CONTENT_TYPES = (
    _DECL + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    f'<Default Extension="rels" ContentType="{_CT}package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}officedocument.'
    'spreadsheetml.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_CT}officedocument.'
    'spreadsheetml.worksheet+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{_CT}officedocument.'
    'spreadsheetml.styles+xml"/>'
    f'<Override PartName="/docProps/core.xml" ContentType="{_CT}package.'
    'core-properties+xml"/>'
    f'<Override PartName="/docProps/app.xml" ContentType="{_CT}officedocument.'
    'extended-properties+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    _DECL + f'<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
    'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{_REL}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)
APP = (
    _DECL + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    'extended-properties"><Application>glossary</Application></Properties>'
)
WORKBOOK = (
    _DECL + f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews><workbookView '
    f'activeTab="0"/></bookViews><sheets><sheet name="{SHEET}" sheetId="1" r:id="rId1"/>'
    "</sheets></workbook>"
)
WORKBOOK_RELS = (
    _DECL + f'<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
STYLES = (
    _DECL + f'<styleSheet xmlns="{_MAIN}">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '</fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill>'
    '<patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/>'
    "<right/><top/><bottom/><diagonal/></border></borders>"
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    '</cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" '
    'borderId="0" xfId="0"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" '
    'xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)
SHEET_START = (
    _DECL + f'<worksheet xmlns="{_MAIN}"><sheetViews><sheetView workbookViewId="0">'
    '<pane xSplit="3" ySplit="1" topLeftCell="D2" activePane="bottomRight" '
    'state="frozen"/><selection pane="topRight"/><selection pane="bottomLeft"/>'
    '<selection pane="bottomRight" activeCell="D2" sqref="D2"/></sheetView></sheetViews>'
    '<sheetFormatPr defaultRowHeight="15"/><sheetData>'
)
SHEET_END = (
    '</sheetData><pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" '
    'footer="0.5"/></worksheet>'
)


def _core(stamp: datetime) -> str:
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        _DECL + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/'
        '2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f'<dc:creator>glossary</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">{iso}'
        f'</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{iso}'
        "</dcterms:modified></cp:coreProperties>"
    )


# --------------------------------------------------------------------------- the rows

_SEP = "\x1f"  # joins a row's cells: a C0 control, so never in a cell we write
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1e\ud800-\udfff\ufffe\uffff]")
# a cell that starts or ends with white space needs xml:space="preserve"
_EDGE_SPACE = re.compile(rf"(?:\A|{_SEP})[^\S{_SEP}]|[^\S{_SEP}](?:{_SEP}|\Z)")
_OPEN = '<c t="inlineStr"><is><t>'
_CLOSE = "</t></is></c>"
_EMPTY = _OPEN + _CLOSE


def _escape(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\r", "&#13;") if "\r" in text else text


def _cell(value: str) -> str:
    if not value:
        return "<c/>"
    attr = ' xml:space="preserve"' if value != value.strip() else ""
    return f'<c t="inlineStr"><is><t{attr}>{_escape(value)}</t></is></c>'


def _row(values: list[str], concept_id: str) -> str:
    """One ``<row>`` (no row number, cells without references), refusing a cell that is
    too long or that XML cannot hold. The usual row is joined, escaped and cut in a few
    C-speed string operations, not cell by cell."""
    joined = _SEP.join(values)
    if len(joined) > CELL_MAX and max(map(len, values)) > CELL_MAX:
        _refuse_long(values, concept_id)
    if _NOT_XML.search(joined) or joined.count(_SEP) != len(values) - 1:
        char = next(ch for v in values for ch in v if _NOT_XML.match(ch) or ch == _SEP)
        raise FormatError(f"{concept_id or 'a concept'}: contains U+{ord(char):04X}, which "
                          "XLSX (XML) cannot hold", path=f"terms/{concept_id}.toml",
                          hint="remove it; `glossary check` lists every such character")
    if _EDGE_SPACE.search(joined):
        return "<row>" + "".join(map(_cell, values)) + "</row>"
    body = _OPEN + _escape(joined).replace(_SEP, _CLOSE + _OPEN) + _CLOSE
    return "<row>" + body.replace(_EMPTY, "<c/>") + "</row>"


def _refuse_long(values: list[str], concept_id: str) -> None:
    for position, value in enumerate(values):
        if len(value) > CELL_MAX:
            raise FormatError(
                f"{concept_id or 'a concept'}: {sheet_layout.COLUMNS[position]} is "
                f"{len(value):,} characters; an XLSX cell holds at most {CELL_MAX:,}",
                hint="shorten it in terms/, or export csv or json, which have no such limit")


class SheetPieces:
    """The worksheet XML as :mod:`glossary.formats.pieces`: a concept's piece is its
    rows (:func:`sheet_layout.table_rows`), and depends on nothing else."""

    key = hashlib.sha256(f"xlsx-sheet\0{WRITER_VERSION}\0"
                         f"{','.join(sheet_layout.COLUMNS)}".encode()).hexdigest()

    def head(self) -> bytes:
        return (SHEET_START + _row(list(sheet_layout.COLUMNS), "")).encode()

    def piece(self, concept: Concept) -> bytes:
        return "".join([_row(values, concept.id)
                        for values in sheet_layout.table_rows(concept)]).encode()

    def tail(self) -> bytes:
        return SHEET_END.encode()


def pieces(glossary: Glossary, options: WriteOptions | None = None) -> SheetPieces:
    return SheetPieces()


def write(glossary: Glossary, out: IO[bytes], options: WriteOptions | None = None) -> None:
    """Write the workbook to a binary stream. The whole file is made in memory first, so
    a refused cell leaves nothing half-written."""
    sheet = pieces(glossary, options)
    made = [sheet.piece(concept) for concept in glossary.concepts]
    out.writelines(package(b"".join([sheet.head(), *made, sheet.tail()]),
                           [len(piece) for piece in made]))


class Kept(Protocol):
    """Deflated blocks kept between runs, by key (a dict will do)."""

    def get(self, key: bytes) -> bytes | None: ...

    def __setitem__(self, key: bytes, value: bytes) -> None: ...


def package(sheet_xml: bytes | bytearray, lengths: Sequence[int],
            keys: Sequence[bytes | None] = (), kept: Kept | None = None) -> list[bytes]:
    """The zip of the workbook around the worksheet's XML, as chunks: fixed part order,
    entry times and permissions, so the same sheet gives the same bytes.

    ``sheet_xml`` is :class:`SheetPieces`' head, a piece per concept (``lengths``: their
    lengths, in order) and tail; it is deflated in blocks of :data:`GROUP` pieces. With
    ``keys`` (each piece's key in the caller's store, None for one it has not) and
    ``kept``, a block whose pieces all have a key is taken from ``kept`` by those keys,
    or deflated and put there: the same bytes either way."""
    stamp = _timestamp()
    head = len(SheetPieces().head())
    if head + sum(lengths) + len(SHEET_END.encode()) != len(sheet_xml):
        raise ValueError("the worksheet is not its head, pieces and tail")
    view = memoryview(sheet_xml)
    blocks = [zipped.block(view[:head])]
    at = head
    for first in range(0, len(lengths), GROUP):
        size = sum(lengths[first:first + GROUP])
        mine = keys[first:first + GROUP] if keys else ()
        key = _block_key(mine) if mine and None not in mine else None
        data = kept.get(key) if key is not None and kept is not None else None
        if data is None:
            data = zipped.block(view[at:at + size])
            if key is not None and kept is not None:
                kept[key] = data
        blocks.append(data)
        at += size
    blocks += (zipped.block(view[at:]), zipped.END)
    parts = [zipped.Entry.of(name, text.encode()) for name, text in (
        ("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", ROOT_RELS),
        ("docProps/app.xml", APP), ("docProps/core.xml", _core(stamp)),
        ("xl/workbook.xml", WORKBOOK), ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
        ("xl/styles.xml", STYLES))]
    parts.append(zipped.Entry("xl/worksheets/sheet1.xml", blocks, zlib.crc32(sheet_xml),
                              len(sheet_xml)))
    return zipped.write(parts, stamp)


def _block_key(keys: Sequence[bytes | None]) -> bytes:
    """What a deflated block is kept by: its pieces' keys, the level and zlib's version
    (another zlib may deflate the same bytes otherwise)."""
    digest = hashlib.blake2b(f"{zipped.LEVEL}\0{zlib.ZLIB_RUNTIME_VERSION}\0".encode(),
                             digest_size=16)
    for key in keys:
        digest.update(key)  # type: ignore[arg-type]  # the caller checked: no None
    return digest.digest()


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


def _plain(value: Any) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _table_sheet(workbook: Any, columns: Mapping[str, str] | None) -> Any:
    """The sheet to read: ours (``terms``), else the first whose first row is a table's
    header, else the first, whose header the reader then reports."""
    found = sheet_layout.find_sheet(workbook, SHEET,
                                    lambda row: sheet_layout.is_table_header(row, columns))
    return found if found is not None else workbook.worksheets[0]


def read(path: Path, options: ReadOptions | None = None) -> ReadResult:
    from openpyxl import load_workbook

    options = options or ReadOptions()
    limits.check_file(path, "xlsx")
    limits.check_workbook(path)
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
            sheet = _table_sheet(workbook, options.columns)
            return sheet_layout.read_rows(_records(sheet, path), path, "xlsx",
                                          options.fold_coeng_da, options.columns)
        except GlossaryError:
            raise
        except Exception as exc:  # noqa: BLE001 - a damaged part of the zip (zlib, XML, …)
            raise FormatError(
                f"damaged XLSX workbook ({type(exc).__name__}: {exc})", path=path,
                hint="open it in a spreadsheet program and save it again as .xlsx",
            ) from None
        finally:
            workbook.close()
