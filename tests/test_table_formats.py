"""CSV and XLSX: layout, BOM, formula-injection neutralization, bad input with locations."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import tomllib
import zipfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from glossary import loader
from glossary.errors import FormatError
from glossary.formats import bilingual_sheet, sheet_layout, xlsx
from glossary.formats import csv as csv_format
from glossary.formats.sheet_layout import COLUMNS, neutralize, restore
from tests.conftest import DATA

CSV_DATA = DATA / "csv"


@given(st.text())
def test_neutralize_is_reversible_and_never_live(text: str) -> None:
    cell = neutralize(text)
    assert restore(cell) == text
    assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r")


@pytest.mark.parametrize("text,cell", [
    ("=1+1", "'=1+1"), ("+855", "'+855"), ("-x", "'-x"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("'=x", "''=x"), ("'quoted'", "'quoted'"), ("ក=ខ", "ក=ខ"), ("", ""),
])
def test_neutralize_examples(text: str, cell: str) -> None:
    assert neutralize(text) == cell
    assert restore(cell) == text


def _glossary_with_formulas(settings):
    from dataclasses import replace

    from glossary.model import Glossary

    glossary = loader.load_valid(settings).glossary
    concept = glossary.concept("hallucination")
    term = replace(concept.km.terms[0], note="=HYPERLINK(\"http://x.example\",\"click\")",
                   context="-ការប្រឌិត @ទីនេះ")
    changed = replace(concept, km=replace(concept.km, terms=(term, *concept.km.terms[1:])))
    return Glossary(concepts=tuple(changed if c.id == "hallucination" else c
                                   for c in glossary.concepts),
                    documents=glossary.documents, domains=glossary.domains)


def test_csv_has_bom_header_and_neutralized_cells(settings, tmp_path: Path) -> None:
    glossary = _glossary_with_formulas(settings)
    path = tmp_path / "out.csv"
    with path.open("wb") as handle:
        csv_format.write(glossary, handle)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfconcept_id,lang,term,admin_status,review,definition,")
    assert b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == list(COLUMNS)
    cells = [cell for row in rows[1:] for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
    assert "'=HYPERLINK(\"http://x.example\",\"click\")" in cells
    result = csv_format.read(path)
    term = next(c for c in result.concepts if c.id == "hallucination").km.terms[0]
    assert term.note == "=HYPERLINK(\"http://x.example\",\"click\")"
    assert term.context == "-ការប្រឌិត @ទីនេះ"


def test_xlsx_cells_are_text_and_neutralized(settings, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    glossary = _glossary_with_formulas(settings)
    path = tmp_path / "out.xlsx"
    with path.open("wb") as handle:
        xlsx.write(glossary, handle)
    sheet = load_workbook(path)["terms"]
    values = [cell for row in sheet.iter_rows() for cell in row if cell.value]
    assert all(cell.data_type == "s" for cell in values)
    assert not [c.value for c in values if str(c.value)[:1] in ("=", "+", "-", "@")]
    result = xlsx.read(path)
    term = next(c for c in result.concepts if c.id == "hallucination").km.terms[0]
    assert term.note == "=HYPERLINK(\"http://x.example\",\"click\")"


def test_xlsx_is_deterministic(settings, tmp_path: Path, monkeypatch) -> None:
    glossary = loader.load_valid(settings).glossary
    first, second = io.BytesIO(), io.BytesIO()
    xlsx.write(glossary, first)
    xlsx.write(glossary, second)
    assert first.getvalue() == second.getvalue()
    names = zipfile.ZipFile(io.BytesIO(first.getvalue())).namelist()
    assert "xl/worksheets/sheet1.xml" in names
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    third = io.BytesIO()
    xlsx.write(glossary, third)
    core = zipfile.ZipFile(io.BytesIO(third.getvalue())).read("docProps/core.xml")
    assert b"2026-01-01T00:00:00Z" in core


def _edge_glossary(settings):
    """The shipped glossary with one Khmer term carrying what XML and a spreadsheet make
    hard: markup characters, a carriage return, edge spaces, a line break, a formula."""
    from dataclasses import replace

    from glossary.model import Glossary

    glossary = _glossary_with_formulas(settings)
    concept = glossary.concept("transparency")
    term = replace(concept.km.terms[0], note=" <b>&amp;</b> \"ក\" 'x' \r\n line two  ",
                   context="\tផ្ទាំង\nbreak")
    changed = replace(concept, km=replace(concept.km, terms=(term, *concept.km.terms[1:])))
    return Glossary(concepts=tuple(changed if c.id == "transparency" else c
                                   for c in glossary.concepts),
                    documents=glossary.documents, domains=glossary.domains)


def test_openpyxl_reads_the_cells_of_the_csv(settings, tmp_path: Path) -> None:
    """Our own XLSX writer: openpyxl (a reader we did not write) finds every cell of the
    CSV export in the same place, Khmer and hostile text included."""
    from openpyxl import load_workbook

    glossary = _edge_glossary(settings)
    with (tmp_path / "out.csv").open("wb") as handle:
        csv_format.write(glossary, handle)
    with (tmp_path / "out.xlsx").open("wb") as handle:
        xlsx.write(glossary, handle)
    expected = list(csv.reader(io.StringIO(
        (tmp_path / "out.csv").read_bytes().decode("utf-8-sig"), newline="")))
    workbook = load_workbook(tmp_path / "out.xlsx")
    assert workbook.sheetnames == ["terms"]
    sheet = workbook["terms"]
    assert sheet.freeze_panes == "D2"
    got = [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]
    got = [row + [""] * (len(COLUMNS) - len(row)) for row in got]
    assert got == expected
    assert any("ផ្ទាំង" in cell for row in got for cell in row)
    hostile = [cell for row in got for cell in row if "line two" in cell]
    assert hostile == [" <b>&amp;</b> \"ក\" 'x' \r\n line two  "]
    again = xlsx.read(tmp_path / "out.xlsx")
    term = next(c for c in again.concepts if c.id == "transparency").km.terms[0]
    assert term.context == "\tផ្ទាំង\nbreak"


def test_xlsx_pieces_do_not_depend_on_position(settings) -> None:
    """A concept's rows are the same bytes wherever it stands (no row numbers), so a
    piece made for it can be reused after other concepts are added or removed."""
    from glossary.formats import pieces as pieces_mod
    from glossary.model import Glossary

    glossary = loader.load_valid(settings).glossary
    concept = glossary.concept("transparency")
    piece = xlsx.pieces(glossary).piece(concept)
    assert piece.startswith(b"<row>") and b' r="' not in piece
    fewer = Glossary(concepts=tuple(c for c in glossary.concepts if c.id < "transparency"
                                    and c.id > "h"), documents=glossary.documents,
                     domains=glossary.domains)
    assert xlsx.pieces(fewer).piece(concept) == piece
    whole, sheet = io.BytesIO(), io.BytesIO()
    xlsx.write(glossary, whole)
    pieces_mod.write(xlsx.pieces(glossary), glossary.concepts, sheet)
    assert zipfile.ZipFile(whole).read("xl/worksheets/sheet1.xml") == sheet.getvalue()
    assert piece in sheet.getvalue()


@pytest.mark.parametrize("char", ["\x00", "\x1f", "\ufffe"])
def test_xlsx_writer_refuses_a_character_xml_cannot_hold(settings, char: str) -> None:
    """Even when called directly (not through exporting's check), the writer refuses a
    character XML cannot hold, naming the concept, and writes nothing."""
    from dataclasses import replace

    from glossary.model import Glossary

    glossary = loader.load_valid(settings).glossary
    concept = glossary.concept("transparency")
    term = replace(concept.km.terms[0], note=f"bad{char}note")
    changed = replace(concept, km=replace(concept.km, terms=(term, *concept.km.terms[1:])))
    bad = Glossary(concepts=tuple(changed if c.id == "transparency" else c
                                  for c in glossary.concepts),
                   documents=glossary.documents, domains=glossary.domains)
    out = io.BytesIO()
    with pytest.raises(FormatError, match=f"transparency.*U\\+{ord(char):04X}"):
        xlsx.write(bad, out)
    assert out.getvalue() == b""


@pytest.mark.parametrize("name,line,column,message", [
    ("bad_header.csv", 1, None, "bad header: missing column(s) lang, term"),
    ("duplicate_column.csv", 1, 4, "column 'lang' appears twice"),
    ("bad_value.csv", 2, None, "column admin_status: 'prefered' is not allowed"),
    ("not_utf8.csv", 2, 16, "not valid UTF-8"),
    ("bad_quote.csv", 2, None, "CSV syntax error"),
])
def test_bad_csv_is_refused_with_its_location(name, line, column, message) -> None:
    with pytest.raises(FormatError) as info:
        csv_format.read(CSV_DATA / name)
    assert message in info.value.message
    assert (info.value.line, info.value.column) == (line, column)


def test_bad_csv_through_the_cli(cli) -> None:
    result = cli("import", "csv", str(CSV_DATA / "bad_header.csv"))
    assert result.exit_code == 2
    assert f"Error: {CSV_DATA / 'bad_header.csv'}:1: bad header" in result.stderr
    assert "Traceback" not in result.output


def test_formulas_in_a_foreign_csv_are_kept_as_text(cli) -> None:
    result = csv_format.read(CSV_DATA / "formula_injection.csv")
    notes = [t.note for t in result.concepts[0].km.terms]
    assert notes == ["=HYPERLINK(\"http://x.example\",\"click\")", "=1+1"]


def test_partial_csv_from_a_translator(cli, project: Path) -> None:
    """A row with a concept id and a Khmer term is a translation, as in a PO file: it goes
    through the shared review: a candidate, added beside the proposal it differs from."""
    result = cli("import", "csv", str(CSV_DATA / "partial.csv"), "--format", "json")
    report = json.loads(result.stdout)
    assert report["written_by_glossary"] is False
    assert (report["added"], report["candidates"], report["conflicts"]) == (1, 1, 0)
    assert report["new_concepts"] == ["federated-learning"]
    assert report["skipped"] == {"rows in language fr": 1,
                                 "unknown column 'translator_comment'": 1}
    [item] = report["review"]
    assert (item["outcome"], item["concept"], item["incoming"], item["current"]) == (
        "candidate", "ai-model", "ម៉ូដែល AI", "គំរូបញ្ញាសិប្បនិម្មិត")
    applied = cli("import", "csv", str(CSV_DATA / "partial.csv"), "--apply", "--by", "Sok Dara")
    assert applied.exit_code == 0, applied.output
    assert "applied by Sok Dara: wrote 2 file(s)" in applied.stdout
    data = tomllib.loads((project / "terms" / "ai-model.toml").read_text("utf-8"))
    first = data["km"]["terms"][0]
    assert (first["text"], first["review"], first["admin_status"]) == (
        "គំរូបញ្ញាសិប្បនិម្មិត", "proposed", "preferred")  # untouched
    new = data["km"]["terms"][-1]
    assert (new["text"], new["review"], new["admin_status"], new["origin"],
            new["proposed_by"]) == ("ម៉ូដែល AI", "proposed", "admitted",
                                    "imported:partial.csv", "Sok Dara")
    assert new["review_note"].startswith("candidate: an alternative to the proposed")
    assert not [t for t in data["km"]["terms"] if t["admin_status"] == "superseded"]
    new = (project / "terms" / "federated-learning.toml").read_text("utf-8")
    assert "ការរៀនសហព័ន្ធ" in new
    assert cli("check").exit_code == 0


@pytest.mark.parametrize("separator", [";", "\t"])
def test_a_csv_with_semicolons_or_tabs_reads_as_with_commas(
        cli, tmp_path: Path, separator: str) -> None:
    """Excel saves "CSV" with semicolons where the decimal mark is a comma; a sheet
    pasted into a text editor has tabs. The header line tells which (a cell may hold
    commas: a definition, a list of sources)."""
    exported = tmp_path / "all.csv"
    assert cli("export", "csv", "-o", str(exported)).exit_code == 0
    rows = list(csv.reader(io.StringIO(exported.read_text("utf-8-sig"), newline="")))
    assert any("," in cell for row in rows for cell in row)
    other = tmp_path / "other.csv"
    with other.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, delimiter=separator).writerows(rows)
    assert csv_format.delimiter(other.read_text("utf-8-sig")) == separator
    assert dataclasses.replace(csv_format.read(other), path=exported) == csv_format.read(
        exported)
    partial = tmp_path / "partial.csv"
    partial.write_text((CSV_DATA / "partial.csv").read_text("utf-8").replace(",", separator),
                       encoding="utf-8")
    report = json.loads(cli("import", "csv", str(partial), "--format", "json").stdout)
    assert (report["added"], report["candidates"]) == (1, 1)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_excels_unicode_text_reads_as_the_utf8_csv(cli, tmp_path: Path, encoding: str) -> None:
    """Excel's "Unicode Text (*.txt)", the way older Excel saves Khmer: UTF-16 with a
    byte order mark, tab-separated, CRLF. Its records are those of the UTF-8 CSV."""
    exported = tmp_path / "all.csv"
    assert cli("export", "csv", "-o", str(exported)).exit_code == 0
    rows = list(csv.reader(io.StringIO(exported.read_text("utf-8-sig"), newline="")))
    text = io.StringIO(newline="")
    csv.writer(text, delimiter="\t", lineterminator="\r\n").writerows(rows)
    unicode_text = tmp_path / "all.txt"
    unicode_text.write_bytes("\ufeff".encode(encoding) + text.getvalue().encode(encoding))
    assert unicode_text.read_bytes()[:2] in (b"\xff\xfe", b"\xfe\xff")
    assert dataclasses.replace(csv_format.read(unicode_text), path=exported) == \
        csv_format.read(exported)
    report = json.loads(cli("import", "csv", str(unicode_text), "--format", "json").stdout)
    assert report["changes"] == [] and report["unchanged"] == len({r[0] for r in rows[1:]})

    broken = tmp_path / "broken.txt"  # a lone surrogate: the file is cut or damaged
    surrogate = b"\x00\xd8" if encoding.endswith("le") else b"\xd8\x00"
    broken.write_bytes("\ufeffEnglish\tKhmer\r\n".encode(encoding) + surrogate)
    result = cli("import", "csv", str(broken))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {broken}:2:1: not valid UTF-16"), result.stderr


def test_the_table_is_found_on_whichever_sheet_holds_it(cli, tmp_path: Path) -> None:
    """A reviewer renames our sheet and puts a sheet of notes in front of it: the import
    reads the sheet whose first row is a table's header, not the notes."""
    from openpyxl import Workbook, load_workbook

    book = tmp_path / "terms.xlsx"
    assert cli("export", "xlsx", "-o", str(book)).exit_code == 0
    workbook = load_workbook(book)
    sheet = workbook.worksheets[0]
    sheet.title = "Glossary (reviewed)"
    workbook.create_sheet("Notes", 0)["A1"] = "Questions for the translators"
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2)
               if r[header.index("concept_id")].value == "transparency"
               and r[header.index("lang")].value == "km")
    row[header.index("term")].value = "ភាពថ្លាថ្មី"
    reviewed = tmp_path / "reviewed.xlsx"
    workbook.save(reviewed)
    report = json.loads(cli("import", "xlsx", str(reviewed), "--format", "json").stdout)
    assert [(c["kind"], c["concept"]) for c in report["changes"]] == [
        ("candidate", "transparency")]

    bilingual = Workbook()  # a partner's: a cover sheet, then English and Khmer columns
    bilingual.active["A1"] = "Glossary of the partner ministry"
    pairs = bilingual.create_sheet("Terms")
    pairs.append(["English", "Khmer"])
    pairs.append(["transparency", "ភាពថ្លាថ្មី"])
    partner = tmp_path / "partner.xlsx"
    bilingual.save(partner)
    report = json.loads(cli("import", "xlsx", str(partner), "--format", "json").stdout)
    assert [(c["kind"], c["concept"]) for c in report["changes"]] == [
        ("candidate", "transparency")]

    del bilingual["Terms"]  # no sheet is a table: the first sheet's header is named
    bilingual.save(partner)
    result = cli("import", "xlsx", str(partner))
    assert result.exit_code == 2 and "bad header: missing column(s)" in result.stderr


def test_export_xlsx_needs_an_output_file(cli) -> None:
    result = cli("export", "xlsx")
    assert result.exit_code == 2
    assert "-o" in result.output


def test_a_file_that_is_not_a_workbook(cli) -> None:
    path = DATA / "xlsx" / "not_a_workbook.xlsx"
    with pytest.raises(FormatError) as info:
        xlsx.read(path)
    assert "not an XLSX workbook" in info.value.message
    result = cli("import", "xlsx", str(path))
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_an_empty_csv(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"\xef\xbb\xbf")
    with pytest.raises(FormatError) as info:
        csv_format.read(path)
    assert info.value.message == "the file is empty"


def test_xlsx_refuses_a_cell_longer_than_excel_holds(cli, project: Path, tmp_path: Path) -> None:
    """Never cut silently (a re-import would write the cut text back): refuse, naming the
    concept and the field."""
    path = project / "terms" / "ai-model.toml"
    text = path.read_text("utf-8")
    long_note = "long " * 7000  # 35,000 characters
    path.write_text(text.replace('id = "ai-model"', f'id = "ai-model"\nnotes = ["{long_note}"]',
                                 1), encoding="utf-8")
    out = tmp_path / "out.xlsx"
    result = cli("export", "xlsx", "-o", str(out))
    assert result.exit_code == 2, result.output
    assert "ai-model: concept_notes is 35,000 characters; an XLSX cell holds at most 32,767" \
        in result.output
    assert not out.exists()
    assert cli("export", "csv", "-o", str(tmp_path / "out.csv")).exit_code == 0


def test_a_khmer_term_context_in_latin_letters_is_left_out_and_check_stays_clean(
        cli, project: Path) -> None:
    """A damaged CSV (a column shifted: 'machine-assisted' in a Khmer term's context)
    must not put a field `check` refuses into terms/: the context is left out, counted."""
    assert cli("export", "csv", "-o", "g.csv").exit_code == 0
    rows = list(csv.reader(io.StringIO((project / "g.csv").read_text(encoding="utf-8-sig"))))
    head = rows[0]
    row = next(r for r in rows[1:] if r[head.index("lang")] == "km")
    row[head.index("context")] = "shifted column text"
    with (project / "bad.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    result = cli("import", "csv", "bad.csv", "--apply", "--by", "Test Reviewer",
                 "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["skipped"] == {
        "Khmer term contexts without Khmer letters": 1}
    check = cli("check")
    assert check.exit_code == 0, check.output
    assert "shifted column text" not in "".join(
        p.read_text(encoding="utf-8") for p in (project / "terms").glob("*.toml"))


@pytest.mark.parametrize(("cell", "day"), [
    ("31/1/2026", (2026, 1, 31)), ("1/31/2026", (2026, 1, 31)), ("31.01.2026", (2026, 1, 31)),
    ("2026/1/31", (2026, 1, 31)), ("3/3/2026", (2026, 3, 3)), ("13-12-2026", (2026, 12, 13)),
    ("3/4/2026", None), ("12/2/2026", None),  # day/month or month/day: cannot tell
])
def test_a_date_a_spreadsheet_rewrote(cell: str, day: tuple[int, int, int] | None) -> None:
    match = sheet_layout._SHEET_DATE.fullmatch(cell)
    assert match is not None
    assert sheet_layout.sheet_date(match) == (None if day is None else date(*day))


@pytest.mark.parametrize("cell", ["31/31/2026", "2/30/2026", "0/0/2026", "0/5/2026", "2026/13/1"])
def test_a_spreadsheet_date_that_names_no_day_is_refused(tmp_path: Path, cell: str) -> None:
    path = tmp_path / "dates.csv"
    path.write_text(f"concept_id,lang,term,proposed_on\n,en,model card,{cell}\n",
                    encoding="utf-8")
    with pytest.raises(FormatError) as info:
        csv_format.read(path)
    assert info.value.message == f"column proposed_on: {cell!r} is not a date"
    assert info.value.line == 2


def test_a_csv_saved_by_a_spreadsheet_imports_like_the_export(cli, tmp_path: Path) -> None:
    """Excel saves an exported CSV with CR LF, its own short dates (2026-12-02 becomes
    12/2/2026) and TRUE/FALSE. Only the edited term is reported, on its own row's line;
    an ambiguous date is left out and counted, an unambiguous one is read."""
    exported = tmp_path / "all.csv"
    assert cli("export", "csv", "-o", str(exported)).exit_code == 0
    rows = list(csv.reader(io.StringIO(exported.read_text("utf-8-sig"), newline="")))
    header = rows[0]
    on, term, lang = (header.index(n) for n in ("proposed_on", "term", "lang"))
    for row in rows[1:]:
        if row[term]:
            row[on] = "12/2/2026"
    [line] = [i for i, row in enumerate(rows, 1)
              if row[term] == "គំរូ" and row[lang] == "km"]
    rows[line - 1][term] = "គំរូ AI"
    new = [""] * len(header)
    new[:3] = ["ai-model", "km", "ម៉ូដែល"]
    new[on] = "1/31/2026"
    rows.append(new)
    excel = tmp_path / "excel.csv"
    with excel.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows(rows)

    read = csv_format.read(excel)
    [ai] = [c for c in read.concepts if c.id == "ai-model"]
    [added] = [t for t in ai.km.terms if t.text == "ម៉ូដែល"]
    assert added.review is not None and added.review.proposed_on == date(2026, 1, 31)
    assert added.line == len(rows)
    ambiguous = [r for r in read.skipped if r.startswith("dates a spreadsheet re-wrote")]
    assert [read.skipped[r] for r in ambiguous] == [len(rows) - 2]

    report = json.loads(cli("import", "csv", str(excel), "--format", "json").stdout)
    assert report["conflicts"] == 0
    assert sorted((c["kind"], c["what"], c["line"]) for c in report["changes"]) == [
        ("added", "km term 'ម៉ូដែល'", len(rows)), ("candidate", "km term 'គំរូ AI'", line)]
    assert report["unchanged"] == 4


def test_a_sheet_made_from_our_po_names_concepts_by_msgctxt(cli, tmp_path: Path) -> None:
    """Weblate's CSV download of the PO component: its id column holds the msgctxt, and
    ``ai-model#1`` is the concept ai-model (its second English term), not a new concept."""
    path = tmp_path / "weblate.csv"
    path.write_text(
        '"location","source","target","id","fuzzy","context","translator_comments",'
        '"developer_comments"\n'
        '"terms/ai-model.toml","model","គំរូថ្មី","ai-model#1","False","ai-model#1","",""\n',
        encoding="utf-8")
    report = json.loads(cli("import", "csv", str(path), "--format", "json").stdout)
    assert report["new_concepts"] == []
    [item] = report["review"]
    assert (item["outcome"], item["concept"], item["en"], item["incoming"], item["current"]
            ) == ("candidate", "ai-model", "model", "គំរូថ្មី", "គំរូ")


def test_a_sheet_over_several_rows_of_one_concept_pairs_each_row(cli, tmp_path: Path) -> None:
    """A sheet made from our PO (Weblate's CSV download; po2csv, whose only id is the
    ``location`` column ``terms/ID.toml``) lists a concept over several rows, one per
    English term, a target left empty where there is no translation. Each Khmer term
    translates the English term of its own row: an unchanged file is unchanged (it was
    reported as preferring km[1] over km[0], paired by position)."""
    weblate = tmp_path / "weblate.csv"
    weblate.write_text(
        '"location","source","target","id","fuzzy","context","translator_comments",'
        '"developer_comments"\n'
        '"terms/ai-model.toml","AI model","","ai-model","False","ai-model","",""\n'
        '"terms/ai-model.toml","model","គំរូ","ai-model#1","True","ai-model#1","",""\n',
        encoding="utf-8")
    report = json.loads(cli("import", "csv", str(weblate), "--format", "json").stdout)
    assert (report["changes"], report["unchanged"]) == ([], 1)
    assert [(i["outcome"], i["en"], i["present"]) for i in report["review"]] == [
        ("unchanged", "model", None)]

    po2csv = tmp_path / "po2csv.csv"
    po2csv.write_text(
        '"location","source","target"\n'
        '"terms/ai-model.toml","AI model",""\n'
        '"terms/ai-model.toml","model","គំរូថ្មី"\n'
        '"terms/hallucination.toml","confabulation","ការប្រឌិតរឿង"\n', encoding="utf-8")
    report = json.loads(cli("import", "csv", str(po2csv), "--format", "json").stdout)
    assert report["new_concepts"] == []
    assert sorted((i["outcome"], i["concept"], i["en"], i["incoming"])
                  for i in report["review"]) == [
        ("candidate", "ai-model", "model", "គំរូថ្មី"),
        ("new", "hallucination", "confabulation", "ការប្រឌិតរឿង")]


def test_a_location_column_tells_concepts_with_the_same_english_term_apart(
        cli, project: Path, tmp_path: Path) -> None:
    """"model" is also an English term of a second concept: by English alone the row
    is a conflict (see below); po2csv's location names the concept. A translator's
    comment column becomes the rationale of what the row adds."""
    (project / "terms" / "model-template.toml").write_text(
        '# model template\nid = "model-template"\ndomains = ["foundations"]\n\n[[en.terms]]\n'
        'text = "model template"\nadmin_status = "preferred"\nreview = "proposed"\n'
        'origin = "human"\n\n[[en.terms]]\ntext = "Model"\nadmin_status = "admitted"\n'
        'review = "proposed"\norigin = "human"\n', encoding="utf-8")
    assert cli("check").exit_code == 0
    path = tmp_path / "po2csv.csv"
    path.write_text('"location","source","target","translator_comments"\n'
                    '"terms/model-template.toml","model","គំរូគំរូ","ពាក្យខ្លី"\n',
                    encoding="utf-8")
    report = json.loads(cli("import", "csv", str(path), "--format", "json").stdout)
    assert report["conflicts"] == 0
    [item] = report["review"]
    assert (item["outcome"], item["concept"], item["incoming"]) == (
        "new", "model-template", "គំរូគំរូ")
    applied = cli("import", "csv", str(path), "--apply", "--by", "Sok Dara")
    assert applied.exit_code == 0, applied.output
    data = tomllib.loads((project / "terms" / "model-template.toml").read_text("utf-8"))
    assert [(t["text"], t.get("rationale")) for t in data["km"]["terms"]] == [
        ("គំរូគំរូ", "ពាក្យខ្លី")]
    assert cli("check").exit_code == 0


def test_another_definition_in_a_partner_sheet_is_shown_to_the_reviewer(
        cli, project: Path, tmp_path: Path) -> None:
    """A translator's sheet rewords a Khmer definition the concept has: ours is kept
    (never replaced by another tool's file), and the report shows the file's text in full
    as a conflict, for a reviewer to decide; the same text spaced differently is no
    difference."""
    ours = tomllib.loads((project / "terms" / "transparency.toml").read_text("utf-8"))[
        "km"]["definition"]["text"]
    reworded = "គោលការណ៍ដែលប្រជាជនត្រូវបានជូនដំណឹងអំពីការប្រើប្រាស់ប្រព័ន្ធបញ្ញាសិប្បនិម្មិត។"
    path = tmp_path / "partner.csv"
    path.write_text("English,Khmer,Khmer definition\n"
                    f"transparency,តម្លាភាព,{reworded}\n"
                    f"AI model,គំរូបញ្ញាសិប្បនិម្មិត,\n", encoding="utf-8")
    before = (project / "terms" / "transparency.toml").read_bytes()
    report = json.loads(cli("import", "csv", str(path), "--format", "json").stdout)
    [conflict] = report["changes"]
    assert (conflict["kind"], conflict["concept"], conflict["what"], conflict["line"]) == (
        "conflict", "transparency", "km definition", 2)
    assert conflict["detail"].endswith(f"(ours kept: a reviewer decides): {reworded}")
    assert report["skipped"] == {}
    applied = cli("import", "csv", str(path), "--apply", "--by", "Sok Dara")
    assert applied.exit_code == 0, applied.output
    assert (project / "terms" / "transparency.toml").read_bytes() == before

    path.write_text("English,Khmer,Khmer definition\n"
                    f"transparency,តម្លាភាព,\"  {ours.replace(' ', chr(10))} \"\n",
                    encoding="utf-8")
    report = json.loads(cli("import", "csv", str(path), "--format", "json").stdout)
    assert (report["changes"], report["unchanged"]) == ([], 1)


def test_a_row_is_the_concept_that_has_its_english_term(cli, project: Path,
                                                       tmp_path: Path) -> None:
    """"model" is no concept's preferred term but ai-model's short form: the row is that
    concept (as a PO entry's msgid would be), not a new concept "model". Once a second
    concept has "model" too, the row cannot tell which: a conflict."""
    path = tmp_path / "partner.csv"
    path.write_text("English,Khmer\nmodel,គំរូថ្មី\n", encoding="utf-8")
    report = json.loads(cli("import", "csv", str(path), "--format", "json").stdout)
    assert report["new_concepts"] == []
    [item] = report["review"]
    assert (item["outcome"], item["concept"], item["en"], item["incoming"]) == (
        "candidate", "ai-model", "model", "គំរូថ្មី")
    (project / "terms" / "model-template.toml").write_text(
        '# model template\nid = "model-template"\n\n[[en.terms]]\ntext = "model template"\n'
        'admin_status = "preferred"\nreview = "proposed"\norigin = "human"\n\n'
        '[[en.terms]]\ntext = "Model"\nadmin_status = "admitted"\nreview = "proposed"\n'
        'origin = "human"\n', encoding="utf-8")
    report = json.loads(cli("import", "csv", str(path), "--format", "json").stdout)
    assert report["new_concepts"] == [] and report["review"] == []
    [conflict] = report["changes"]
    assert (conflict["kind"], conflict["line"], conflict["detail"]) == (
        "conflict", 2, "its English term matches ai-model, model-template: cannot tell which")


@pytest.mark.parametrize(("header", "en", "km"), [
    (["English", "Khmer"], 0, 1),
    (["Term", "Khmer", "English"], 2, 1),  # "English" says more than a bare "Term"
    (["id", "term", "target", "source"], 3, 2),
    (["Term (EN)", "Term (KM)", "Notes"], 0, 1),
])
def test_the_most_specific_bilingual_header_wins(header: list[str], en: int, km: int) -> None:
    found = bilingual_sheet.detect_columns(header)
    assert found is not None and (found["en"], found["km"]) == (en, km)


@pytest.mark.parametrize("command", [("import", "xlsx"), ("review", "import")])
def test_an_opendocument_file_is_named_with_how_to_save_it(cli, tmp_path: Path,
                                                           command: tuple[str, str]) -> None:
    path = tmp_path / "terms.ods"  # what LibreOffice saves when asked for its own format
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    result = cli(*command, str(path), "--by", "Sok Dara")
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {path}: is an OpenDocument file (.ods, .odt), not an XLSX workbook "
        "(LibreOffice: File > Save As, file type Excel 2007-365 (.xlsx))\n")


@pytest.mark.parametrize("route", ["csv", "po"])
def test_an_import_keeps_coeng_da_when_the_project_does(cli, project: Path, tmp_path: Path,
                                                        route: str) -> None:
    """fold_coeng_da = false: a Khmer term typed with ្ដ (and a zero-width space, so the
    cleaning has work to do) is written with ្ដ, by the CSV import (whole concepts) and the
    PO review alike; before, the cleaning folded it to ្ត whatever the setting."""
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text("utf-8") + "fold_coeng_da = false\n", "utf-8")
    typed = "ការ\u200bផ្ដល់គំរូ"
    if route == "csv":
        path = tmp_path / "in.csv"
        path.write_text("concept_id,lang,term\nai-model,en,AI model\n"
                        f"ai-model,km,{typed}\n", "utf-8")
    else:
        path = tmp_path / "in.po"
        path.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
                        f'"Language: km\\n"\n\nmsgctxt "ai-model"\nmsgid "AI model"\n'
                        f'msgstr "{typed}"\n', "utf-8")
    result = cli("import", route, str(path), "--apply", "--by", "Sok Dara")
    assert result.exit_code == 0, result.output
    texts = [t["text"] for t in tomllib.loads(
        (project / "terms" / "ai-model.toml").read_text("utf-8"))["km"]["terms"]]
    assert "ការផ្ដល់គំរូ" in texts and "ការផ្តល់គំរូ" not in texts
    assert cli("check").exit_code == 0
