"""The review workbook (XLSX, openpyxl): one row per Khmer proposal — a term, or a
concept's Khmer definition (``term`` = :data:`DEFINITION`) — for reviewers who work in
spreadsheets, and the decisions read back from it.

Every cell is locked (the sheet is protected, without a password: protection guards
against slips, not people) except ``decision`` — a drop-down of :data:`DECISIONS` — and
``comment``. Each row carries ``check``: a fingerprint of the concept, term index and
Khmer text the row was made from, so a decision on a term that changed since (or a row
whose locked cells were edited) is refused, never applied to another text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from glossary import limits
from glossary.errors import FormatError
from glossary.formats import sheet_layout
from glossary.pairs import fingerprint

SHEET = "review"
DECISIONS = ("approve", "reject", "comment")
COLUMNS: tuple[str, ...] = (
    "concept", "term", "khmer", "english", "state", "admin_status", "rationale",
    "alternatives", "definition_en", "definition_km", "example_en", "example_km", "sources",
    "check", "decision", "comment",
)
WIDTHS = {"concept": 24, "khmer": 28, "english": 24, "rationale": 40, "alternatives": 30,
          "definition_en": 40, "definition_km": 40, "example_en": 30, "example_km": 30,
          "sources": 24, "decision": 12, "comment": 40}
_OPEN = frozenset({"decision", "comment"})
CELL_MAX = 32_767


#: The ``term`` cell of a row that is the concept's Khmer definition.
DEFINITION = "definition"


def row_check(concept_id: str, index: int | None, khmer: str) -> str:
    """What a row's ``check`` cell holds for this term (``index`` None: the definition)."""
    return fingerprint(f"{concept_id}#{DEFINITION if index is None else index}", khmer)


def write(rows: list[dict[str, str]], out: IO[bytes]) -> int:
    """Write the workbook of ``rows`` (dicts by :data:`COLUMNS`); returns the row count."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    open_columns = [COLUMNS.index(name) + 1 for name in _OPEN]
    for row in rows:
        values = [row.get(name, "") for name in COLUMNS]
        for name, value in zip(COLUMNS, values, strict=True):
            if len(value) > CELL_MAX:
                raise FormatError(f"{row.get('concept')}: {name} is {len(value):,} characters; "
                                  f"an XLSX cell holds at most {CELL_MAX:,}")
        sheet.append(values)
        for cell in sheet[sheet.max_row]:
            cell.data_type = "s"  # text, never a formula
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if cell.column in open_columns:
                cell.protection = Protection(locked=False)
    last = max(sheet.max_row, 2)
    choice = DataValidation(type="list", formula1='"' + ",".join(DECISIONS) + '"',
                            allow_blank=True, showErrorMessage=True,
                            errorTitle="decision", error="approve, reject or comment")
    column = get_column_letter(COLUMNS.index("decision") + 1)
    choice.add(f"{column}2:{column}{last}")
    sheet.add_data_validation(choice)
    for name, width in WIDTHS.items():
        sheet.column_dimensions[get_column_letter(COLUMNS.index(name) + 1)].width = width
    sheet.freeze_panes = "D2"
    sheet.protection.sheet = True  # every cell locked but decision and comment
    sheet.protection.formatColumns = False  # reviewers may widen columns
    book.save(out)
    return len(rows)


@dataclass(frozen=True)
class SheetRow:
    """A filled-in row: where it is, what it was made from, and the decision."""

    line: int
    concept: str
    index: int | None  # None: the concept's Khmer definition
    khmer: str
    check: str
    decision: str
    comment: str


def read(path: Path) -> list[SheetRow]:
    """The rows of a review workbook that carry a decision or a comment."""
    from openpyxl import load_workbook

    limits.check_file(path, "xlsx")
    limits.check_workbook(path)  # sizes, zip bombs: as for any workbook, first
    with limits.open_input(path) as handle:
        try:
            book = load_workbook(handle, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - openpyxl fails in many ways on a bad file
            raise FormatError(f"not an XLSX workbook: {exc or type(exc).__name__}",
                              path=path, hint="use the file `glossary review sheet` wrote"
                              ) from None
        try:
            return _rows(_review_sheet(book, path), path)
        finally:
            book.close()


#: The columns a review sheet must have (its first row).
NEEDED = ("concept", "term", "khmer", "check", "decision", "comment")


def _review_sheet(book: Any, path: Path) -> Any:
    """The sheet ``review``; else (a reviewer renamed it) the one whose first row has
    the review columns."""
    found = sheet_layout.find_sheet(book, SHEET,
                                    lambda row: set(NEEDED) <= {_text(v) for v in row})
    if found is not None:
        return found
    raise FormatError(f"no sheet named {SHEET!r}, and no sheet has its columns (the "
                      f"workbook's sheets: {', '.join(book.sheetnames)})", path=path,
                      hint="use the file `glossary review sheet` wrote")


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _rows(sheet: Any, path: Path) -> list[SheetRow]:
    rows = sheet.iter_rows(values_only=True)
    header = [_text(v) for v in next(rows, ())]
    missing = [n for n in NEEDED if n not in header]
    if missing:
        raise FormatError(f"bad header: missing column(s) {', '.join(missing)}", path=path,
                          line=1, hint="use the file `glossary review sheet` wrote")
    at = {name: header.index(name) for name in header if name}
    out = []
    for line, values in enumerate(rows, 2):
        cells = list(values) + [None] * (len(header) - len(values))
        decision = _text(cells[at["decision"]]).lower()
        comment = _text(cells[at["comment"]])
        if not decision and not comment:
            continue
        if decision and decision not in DECISIONS:
            raise FormatError(f"decision {decision!r} is not allowed", path=path, line=line,
                              hint="choose " + ", ".join(DECISIONS) + " from the drop-down")
        index = _text(cells[at["term"]])
        if not (index.isdigit() and index.isascii()) and index != DEFINITION:
            raise FormatError(f"term {index!r} is not a term index or {DEFINITION!r}",
                              path=path, line=line,
                              hint="the sheet's locked cells were edited: make a new sheet")
        out.append(SheetRow(line, _text(cells[at["concept"]]),
                            None if index == DEFINITION else int(index),
                            _text(cells[at["khmer"]]), _text(cells[at["check"]]),
                            decision or "comment", comment))
    return out
