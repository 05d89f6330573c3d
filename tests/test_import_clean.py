"""The one cleaning boundary: every importer (PO, TBX, CSV, XLSX) and `glossary new`
refuse control, C1, separator, bidi and noncharacter text with its place, and limit
lengths; terms/ is unchanged after a refusal and `glossary check` stays clean."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from glossary import source
from tests.conftest import DATA

HOSTILE = DATA / "hostile-text"


def _snapshot(project: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((project / "terms").glob("*.toml"))}


@pytest.mark.parametrize("name, line, words", [
    ("control_char.csv", 2, "en term 1: contains U+001B <control> at character 8"),
    ("c1_next_line.csv", 2, "en definition: contains U+0085 <control>"),
    ("line_separator.csv", 2, "en definition: contains U+2028 LINE SEPARATOR"),
    ("noncharacter.csv", 2, "en term 1: contains U+FFFF <unnamed>"),
    ("bidi_override.csv", 3, "km term 1: contains U+202E RIGHT-TO-LEFT OVERRIDE"),  # its row
    ("long_term.csv", 2, "en term 1: is 250 characters long; a term has at most 200"),
    ("long_definition.csv", 2, "en definition: is 5,999 characters long; a text has at "
     "most 5,000"),
    ("bidi_term.tbx", 6, "km term 1: contains U+202E RIGHT-TO-LEFT OVERRIDE"),
    ("bidi_rationale.tbx", 4, "en term 1 rationale: contains U+202E RIGHT-TO-LEFT "
     "OVERRIDE"),
    ("nonchar_msgstr.po", 6, "msgstr: contains U+FFFF"),
    ("escape_msgstr.po", 6, "msgstr: contains U+001B <control>"),
])
def test_hostile_text_is_refused_with_its_place(cli, project: Path, name: str, line: int,
                                                words: str) -> None:
    before = _snapshot(project)
    fmt = name.rsplit(".", 1)[1]
    result = cli("import", fmt, str(HOSTILE / name), "--apply", "--by", "Tester")
    assert result.exit_code == 2, result.output
    assert f"{name}:{line}: " in result.output, result.output
    assert words in result.output
    assert "remove it" in result.output or "shorten it" in result.output
    assert "Traceback" not in result.output
    assert _snapshot(project) == before
    assert cli("check").exit_code == 0


def test_separators_read_as_whitespace_are_cleaned_or_refused(cli, project: Path) -> None:
    """The TBX reader folds XML whitespace (U+2028 among it) in a definition: cleaned;
    polib splits a PO line at U+2028: refused (exit 2). Either way terms/ stays valid."""
    tbx = cli("import", "tbx", str(HOSTILE / "u2028_definition.tbx"), "--apply", "--by", "T")
    assert tbx.exit_code == 0, tbx.output
    text = (project / "terms" / "confabulation-x.toml").read_text("utf-8")
    assert "\u2028" not in text and "fluent but false" in text
    before = _snapshot(project)
    po = cli("import", "po", str(HOSTILE / "u2028_msgstr.po"), "--apply", "--by", "T")
    assert po.exit_code == 2 and "u2028_msgstr.po:" in po.output
    assert _snapshot(project) == before
    assert cli("check").exit_code == 0


def test_xlsx_is_cleaned_at_the_same_boundary(cli, project: Path, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["concept_id", "lang", "term", "definition"])
    sheet.append(["", "en", "model card", "A card\u2028that describes a model."])
    path = tmp_path / "hostile.xlsx"
    book.save(path)
    before = _snapshot(project)
    result = cli("import", "xlsx", str(path), "--apply", "--by", "Tester")
    assert result.exit_code == 2, result.output
    assert "hostile.xlsx:2: en definition: contains U+2028 LINE SEPARATOR" in result.output
    assert _snapshot(project) == before


def test_zero_width_and_spaces_in_a_term_are_cleaned(cli, project: Path,
                                                     tmp_path: Path) -> None:
    """What a typist leaves behind is cleaned, not refused."""
    path = tmp_path / "typed.csv"
    path.write_text("concept_id,lang,term\n,en,model\u200b  card\n,km,កាត\u200bគំរូ\u00a0ថ្មី\n",
                    encoding="utf-8")
    result = cli("import", "csv", str(path), "--apply", "--by", "Tester")
    assert result.exit_code == 0, result.output
    data = tomllib.loads((project / "terms" / "model-card.toml").read_text("utf-8"))
    assert data["en"]["terms"][0]["text"] == "model card"
    assert data["km"]["terms"][0]["text"] == "កាតគំរូ ថ្មី"
    assert cli("check").exit_code == 0


def test_new_refuses_control_characters(cli, project: Path) -> None:
    result = cli("new", "evil", "--en", "evil\x1b[2Jterm")
    assert result.exit_code == 2
    assert "--en: contains U+001B <control>" in result.output
    assert not (project / "terms" / "evil.toml").exists()
    result = cli("new", "evil", "--en", "evil", "--definition", "a\u2029b")
    assert result.exit_code == 2 and "U+2029 PARAGRAPH SEPARATOR" in result.output
    # an option's value, not a file: the advice says so
    assert "(remove it: control, bidi and separator characters are not text)" in result.output
    assert "import again" not in result.output


def test_title_comment_of_a_rewritten_file_is_one_clean_line(tmp_path: Path) -> None:
    """Whatever a concept's English term holds, its `# Title` comment is one line of text
    (a control character there would make the file unreadable TOML)."""
    from glossary.model import Concept, LangSection, Term
    from glossary.source.new import render_concept

    concept = Concept(id="x", en=LangSection(terms=(Term(text="a\x1b\x00\x7fb\u2028c\nd"),)))
    text = render_concept(concept)
    assert text.splitlines()[:3] == ["# a b", "# c", "# d"]
    path = tmp_path / "x.toml"
    path.write_text(text, encoding="utf-8")
    assert not [p for p in source.load_concept_file(path).problems
                if p.code in source.UNREADABLE_CODES]


def test_see_also_to_a_missing_concept_is_reported_not_written(cli, project: Path,
                                                               tmp_path: Path) -> None:
    path = tmp_path / "links.csv"
    path.write_text("concept_id,lang,term,see_also\nai-model,en,AI model,"
                    "machine-learning; machine-lea2active\n", encoding="utf-8")
    result = cli("import", "csv", str(path), "--format", "json", "--apply", "--by", "T")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["skipped"]["see-also links to unknown concepts"] == 1
    text = (project / "terms" / "ai-model.toml").read_text("utf-8")
    assert "machine-lea2active" not in text
    assert cli("check").exit_code == 0



def test_a_definition_that_normalization_empties_is_dropped() -> None:
    """U+17B4 and U+17B5 are printable, but normalization deletes them: at the boundary,
    a definition of nothing else is as empty as one of zero-width spaces or of spaces
    (the readers normalize first; a record may come from elsewhere)."""
    from glossary.imports import clean
    from glossary.imports.records import InConcept, InDefinition, InLang, InTerm

    skipped: list[str] = []
    record = InConcept(None, InLang(InDefinition("\u17b4 \u17b5"), (InTerm("vowel"),)),
                       InLang(InDefinition("\u200b\u2060"), (InTerm("ស្រៈ"),)), line=3)
    cleaned = clean.concept(record, Path("f.tbx"), skip=skipped.append)
    assert cleaned.en.definition is None and cleaned.km.definition is None
    assert skipped == ["definitions empty once invisible characters are removed"] * 2
    kept = InConcept(None, InLang(InDefinition("\u17b4a\u17b5 "), (InTerm("vowel"),)))
    assert clean.concept(kept, None, skip=skipped.append).en.definition.text == "a "
    assert len(skipped) == 2


_LOST_PO = ('msgid ""\nmsgstr ""\n"Language: km\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"'
            '\n\nmsgctxt "ai-model"\nmsgid "AI model"\nmsgstr "{}"\n')


@pytest.mark.parametrize("name, body, line, words", [
    # Excel's "CSV (Comma delimited)": a Windows code page, a ? for each Khmer letter
    ("ansi.csv", "English,Khmer\nmodel card,កាតគំរូ\nai model,?????? ??\n", 3, "km term 1"),
    ("ansi_definition.csv", "concept_id,lang,term,definition\n,en,model card,A card.\n"
     ",km,កាតគំរូ,????? ???? ?????\n", 3, "km definition"),
    ("one_letter.csv", "English,Khmer\nmodel card,?\n", 2, "km term 1"),
    ("replaced.csv", "English,Khmer\nmodel card,កាត\ufffdគំរូ\n", 2, "km term 1"),
    ("lost.po", _LOST_PO.format("???????????"), 6, "msgstr"),
])
def test_khmer_letters_an_encoding_lost_are_refused(cli, project: Path, tmp_path: Path,
                                                    name: str, body: str, line: int,
                                                    words: str) -> None:
    """Question marks (or U+FFFD) where Khmer letters were would become a "candidate"
    made of ?s: the file is refused with its place and the way to save it again."""
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    before = _snapshot(project)
    result = cli("import", name.rsplit(".", 1)[1], str(path), "--apply", "--by", "Tester")
    assert result.exit_code == 2, result.output
    assert f"{name}:{line}: {words}: is " in result.output, result.output
    assert "question marks where Khmer letters were" in result.output
    assert "save it as UTF-8" in result.output
    assert _snapshot(project) == before
    assert cli("check").exit_code == 0


def test_a_question_mark_in_real_khmer_or_english_text_is_kept(cli, project: Path,
                                                               tmp_path: Path) -> None:
    path = tmp_path / "fine.csv"
    path.write_text("concept_id,lang,term,definition\n,en,model card,What is it? A card.\n"
                    ",km,កាតគំរូ,តើវាជាអ្វី? កាតមួយ។\n", encoding="utf-8")
    result = cli("import", "csv", str(path), "--apply", "--by", "Tester")
    assert result.exit_code == 0, result.output
    data = tomllib.loads((project / "terms" / "model-card.toml").read_text("utf-8"))
    assert data["km"]["definition"]["text"] == "តើវាជាអ្វី? កាតមួយ។"
    typed = cli("new", "lost", "--en", "lost", "--km", "???")
    assert typed.exit_code == 2 and "--km: is '???'" in typed.output
    assert "type the Khmer letters" in typed.output
    assert not (project / "terms" / "lost.toml").exists()
