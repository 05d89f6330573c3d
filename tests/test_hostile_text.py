"""Item 3 of issue 18: text that cannot survive a format is escaped or refused at
export, located, never written raw; ``check`` warns about it in terms/."""

from __future__ import annotations

import json
from pathlib import Path

import polib

INJECTED = ('The principle that people are told.\u2028msgctxt "transparency"\u2029'
            'msgid "transparency"\u2028msgstr "ចោរ"')


def _set_definition(project: Path, text: str) -> None:
    path = project / "terms" / "transparency.toml"
    lines = path.read_text(encoding="utf-8").split("\n")
    k = next(i for i, line in enumerate(lines) if line.startswith("text = \"The principle"))
    lines[k] = "text = " + json.dumps(text)
    path.write_text("\n".join(lines), encoding="utf-8")


def test_line_separators_in_a_definition_cannot_inject_po_entries(project: Path, cli) -> None:
    _set_definition(project, INJECTED)
    problems = json.loads(cli("check", "--format", "json").stdout)["problems"]
    assert ("unsafe-char", "en.definition.text") in {(p["code"], p["field"]) for p in problems}
    assert cli("export", "po").exit_code == 0
    po_path = project / "locale" / "km" / "LC_MESSAGES" / "glossary.po"
    text = po_path.read_text(encoding="utf-8")
    assert "\u2028" not in text and "\u2029" not in text and "\x85" not in text
    for line in text.splitlines():  # every line is a comment, a keyword or a string
        assert line == "" or line.startswith(("#", "msg", '"')), line
    entries = [e for e in polib.pofile(str(po_path)) if e.msgctxt == "transparency"]
    assert len(entries) == 1 and entries[0].msgstr == "តម្លាភាព"
    assert 'msgid "transparency"' in entries[0].comment  # kept, as comment text
    # re-importing our own export changes nothing
    result = cli("import", "po", str(po_path), "--format", "json")
    assert result.exit_code == 0
    counts = json.loads(result.stdout)["counts"]
    assert counts["new"] == counts["candidate"] == counts["conflict"] == 0


def test_escape_in_a_comment_is_written_visibly(project: Path, cli) -> None:
    _set_definition(project, "colour \x1b]0;owned\x07 text")
    assert cli("export", "po").exit_code == 1  # a control character is a check error
    from glossary.formats.po import _comment_lines

    assert _comment_lines("#.", "a\x1b[31mb\u2028c\x85d") == "#. a\\u001b[31mb\n#. c\n#. d\n"


def test_noncharacter_is_refused_by_xml_exports_with_its_place(project: Path, cli) -> None:
    _set_definition(project, "The principle \uffff of openness.")
    problems = json.loads(cli("check", "--format", "json").stdout)["problems"]
    assert [p["message"] for p in problems if p["code"] == "unsafe-char"] == [
        "en.definition.text: contains U+FFFF NONCHARACTER"] or any(
        "U+FFFF" in p["message"] for p in problems if p["code"] == "unsafe-char")
    (project / "old.xlsx").write_bytes(b"old")
    for fmt, out in (("xlsx", "old.xlsx"), ("tbx", "g.tbx"), ("docx", "g.docx")):
        result = cli("export", fmt, "-o", out)
        assert result.exit_code == 2, fmt
        assert ("Error: terms/transparency.toml: en.definition.text: contains U+FFFF "
                f"NONCHARACTER, which {fmt.upper()} (XML) cannot hold (remove it") \
            in result.stderr
        assert "Traceback" not in result.stderr
    assert (project / "old.xlsx").read_bytes() == b"old"
    assert not (project / "g.tbx").exists() and not (project / "g.docx").exists()
    assert cli("export", "csv", "-o", "g.csv").exit_code == 0  # CSV carries it as it is
