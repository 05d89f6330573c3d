"""Hostile input in terms/: each gives a clear, located error or safe output."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from glossary import pipeline
from tests.zip_support import with_member_flags

HEAD = '''id = "hostile"
domains = ["foundations"]
see_also = []

[[sources]]
doc = "asean-guide-2024"
section = "A.4"

[en.definition]
text = {definition}
review = "proposed"

[[en.terms]]
text = {term}
review = "proposed"

[[km.terms]]
text = "គំរូ"
review = "proposed"
'''


def write(project: Path, term: str = '"hostile term"', definition: str = '"ok"') -> Path:
    path = project / "terms" / "hostile.toml"
    path.write_text(HEAD.format(term=term, definition=definition), encoding="utf-8")
    return path


def test_nul_byte_in_a_term_is_a_located_error(project: Path, cli) -> None:
    write(project, term='"bad\\u0000term"')
    out = cli("check").stdout
    assert "terms/hostile.toml:14: control-char: en.terms[0].text: contains the control " \
           "character U+0000" in out
    assert cli("build").exit_code == 1


def test_newline_in_a_term_is_an_error_but_allowed_in_a_definition(project: Path, cli) -> None:
    write(project, term='"two\\nlines"', definition='"""first line\nsecond line"""')
    problems = json.loads(cli("check", "--format", "json").stdout)["problems"]
    assert [(p["code"], p["field"]) for p in problems] == [("control-char", "en.terms[0].text")]


def test_one_megabyte_definition_is_stored_intact(project: Path, settings) -> None:
    big = "data " * 200_000
    write(project, definition=json.dumps(big))
    pipeline.build(settings, ["db"])
    db = sqlite3.connect(settings.db_path)
    stored = db.execute(
        "SELECT text FROM definition WHERE concept='hostile' AND lang='en'").fetchone()[0]
    assert stored == big


def test_script_payloads_are_stored_as_text(project: Path, settings) -> None:
    payload = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'
    write(project, term=json.dumps(payload), definition=json.dumps("javascript:alert(1)"))
    pipeline.build(settings, ["db"])
    db = sqlite3.connect(settings.db_path)
    assert db.execute("SELECT text FROM term WHERE concept='hostile' AND lang='en'"
                      ).fetchone()[0] == payload


def test_mixed_line_endings_are_reported(project: Path, cli) -> None:
    path = write(project)
    data = path.read_bytes().replace(b"\n", b"\r\n", 3)
    path.write_bytes(data)
    assert "terms/hostile.toml:1: crlf:" in cli("check").stdout


def test_imported_text_is_cleaned_at_the_boundary(project: Path, cli) -> None:
    """Found by fuzzing: a msgstr with a tab and a ZWJ used to be written into terms/."""
    assert cli("export", "po").exit_code == 0
    po = project / "locale" / "km" / "LC_MESSAGES" / "glossary.po"
    text = po.read_text(encoding="utf-8")
    start = text.index('msgctxt "transparency"')
    msgstr = text.index("msgstr ", start)
    end = text.index("\n", msgstr)
    po.write_text(text[:msgstr] + 'msgstr "ភាព\\tថ្លា\u200dថ្មី"' + text[end:], encoding="utf-8")
    result = cli("import", "po", str(po), "--apply", "--by", "Test Reviewer")
    assert result.exit_code == 0, result.output
    assert "ភាព ថ្លាថ្មី" in (project / "terms" / "transparency.toml").read_text("utf-8")
    assert cli("check").exit_code == 0


def test_a_khmer_vowel_typed_before_its_consonant_is_not_imported(project: Path, cli) -> None:
    """Found by fuzzing: a msgstr with a sign after a space was written into terms/."""
    assert cli("export", "po").exit_code == 0
    po = project / "locale" / "km" / "LC_MESSAGES" / "glossary.po"
    text = po.read_text(encoding="utf-8")
    start = text.index('msgctxt "transparency"')
    msgstr = text.index("msgstr ", start)
    end = text.index("\n", msgstr)
    line = text.count("\n", 0, start) + 1  # where its entry starts
    po.write_text(text[:msgstr] + 'msgstr "\u17c2\u1781\u17d2\u1798\u179a"' + text[end:],
                  encoding="utf-8")  # ែខ្មរ, the vowel typed first
    before = (project / "terms" / "transparency.toml").read_text("utf-8")
    result = cli("import", "po", str(po), "--apply", "--by", "Test Reviewer")
    assert result.exit_code == 0, result.output
    assert f"glossary.po:{line}" in result.output
    assert "follows no consonant" in result.output
    assert (project / "terms" / "transparency.toml").read_text("utf-8") == before
    assert cli("check", "--strict").exit_code == 0


def test_damaged_xlsx_is_a_clean_error(project: Path, cli) -> None:
    """Found by fuzzing: a corrupted deflate stream inside the workbook crashed the import."""
    import zipfile

    out = project / "g.xlsx"
    assert cli("export", "xlsx", "-o", str(out)).exit_code == 0
    with zipfile.ZipFile(out) as archive:
        sheet = archive.getinfo("xl/worksheets/sheet1.xml")
    data = bytearray(out.read_bytes())
    # the start of the sheet's deflate stream (past its 30-byte local header and name)
    start = sheet.header_offset + 30 + len(sheet.filename)
    data[start:start + 8] = b"\x00" * 8
    out.write_bytes(bytes(data))
    result = cli("import", "xlsx", str(out))
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ")
    assert "g.xlsx" in result.stderr
    assert "Error -3 while decompressing" in result.stderr


def test_workbook_needing_a_newer_zip_version_is_a_clean_error(project: Path, cli) -> None:
    """Found by fuzzing: a central directory entry asking for zip version 6.4 made
    zipfile raise NotImplementedError before the workbook was opened."""
    out = project / "g.xlsx"
    assert cli("export", "xlsx", "-o", str(out)).exit_code == 0
    data = bytearray(out.read_bytes())
    entry = data.index(b"PK\x01\x02")  # the first central directory entry
    data[entry + 6:entry + 8] = (64).to_bytes(2, "little")  # version needed to extract
    out.write_bytes(bytes(data))
    result = cli("import", "xlsx", str(out))
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and "g.xlsx" in result.stderr
    assert "zip file version 6.4" in result.stderr


def test_workbook_with_an_encrypted_part_is_a_clean_error(project: Path, cli) -> None:
    """Found by the long fuzzing run: a worksheet whose directory entry says it is
    encrypted made zipfile raise RuntimeError ("password required") while the sheet's
    size was being checked: a traceback."""
    import zipfile

    out = project / "g.xlsx"
    assert cli("export", "xlsx", "-o", str(out)).exit_code == 0
    out.write_bytes(with_member_flags(out.read_bytes(), "xl/worksheets/sheet1.xml", 0x1))
    with zipfile.ZipFile(out) as archive:  # the flag is where zipfile reads it
        assert archive.getinfo("xl/worksheets/sheet1.xml").flag_bits & 0x1
    result = cli("import", "xlsx", str(out))
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and "g.xlsx" in result.stderr
    assert "xl/worksheets/sheet1.xml is encrypted" in result.stderr
    assert "remove the password" in result.stderr


def test_workbook_part_stored_in_an_unknown_way_is_a_clean_error(project: Path, cli) -> None:
    """Flag bit 5 (compressed patched data) makes zipfile raise NotImplementedError."""
    out = project / "g.xlsx"
    assert cli("export", "xlsx", "-o", str(out)).exit_code == 0
    out.write_bytes(with_member_flags(out.read_bytes(), "xl/worksheets/sheet1.xml", 0x20))
    result = cli("import", "xlsx", str(out))
    assert result.exit_code == 2
    assert "sheet1.xml is stored in a way the zip reader does not know" in result.stderr


def test_workbook_with_a_password_to_open_it_is_named_as_such(project: Path, cli) -> None:
    """Excel saves a workbook with a password to open it as an OLE compound file (the
    zip inside encrypted whole), as it saves the 97-2003 .xls: the error says so."""
    out = project / "protected.xlsx"
    out.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    result = cli("import", "xlsx", str(out))
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and "protected.xlsx" in result.stderr
    assert "password to open it" in result.stderr and "save it as Excel Workbook" in result.stderr
    other = project / "other.xlsx"
    other.write_bytes(b"\xd0\xcf\x11\xe0" + bytes(508))  # not the whole signature
    result = cli("import", "xlsx", str(other))
    assert result.exit_code == 2 and "not an XLSX workbook" in result.stderr


def test_bad_workbook_part_closes_the_file(project: Path, cli) -> None:
    """A workbook with a damaged part is refused cleanly. (The long fuzzing run found
    that openpyxl left the file open when it failed while loading; the reader now opens
    the file itself and always closes it.)"""
    import zipfile

    out = project / "g.xlsx"
    assert cli("export", "xlsx", "-o", str(out)).exit_code == 0
    broken = project / "broken.xlsx"
    with zipfile.ZipFile(out) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/styles.xml":
                data = data.replace(b'<sz val="11"/>', b'<sz val="11"/><color rgb="not-a-colour"/>')
                assert b"not-a-colour" in data
            dst.writestr(item, data)
    result = cli("import", "xlsx", str(broken))
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and "broken.xlsx" in result.stderr
