"""`glossary import omegat`: the glossary an OmegaT project keeps, sent back by a
translator. Each line's source and target are an English and a Khmer term, reviewed as a
bilingual sheet's row: proposals only, each change on its own line."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from glossary.formats import omegat

SENT_BACK = ("# Glossary in tab-separated format -*- coding: utf-8 -*-\n"
             "AI model\tម៉ូដែល AI\tused by the ministry's web team\n"
             "hallucination\tការប្រឌិតចម្លើយ\n"
             "\n"
             "model card\tកាតគំរូ\t\n"
             "transparency\t\n")


def test_a_translators_omegat_glossary_is_reviewed_pair_by_pair(cli, project: Path,
                                                                tmp_path: Path) -> None:
    path = tmp_path / "glossary.txt"
    path.write_text(SENT_BACK, encoding="utf-8")
    report = json.loads(cli("import", "omegat", str(path), "--format", "json").stdout)
    assert report["written_by_glossary"] is False
    assert sorted((c["kind"], c["concept"], c["what"], c["line"]) for c in report["changes"]
                  ) == [("added", "model-card", "new concept", 5),
                        ("candidate", "ai-model", "km term 'ម៉ូដែល AI'", 2)]
    assert report["unchanged"] == 1  # hallucination: the glossary's own pair
    assert report["skipped"] == {"comments (third column), not imported": 1,
                                 "lines without both an English and a Khmer term": 1}
    text = cli("import", "omegat", str(path)).stdout
    assert text.endswith("nothing written; run again with --apply --by NAME to write "
                         "these changes\n")

    applied = cli("import", "omegat", str(path), "--apply", "--by", "Sok Dara")
    assert applied.exit_code == 0, applied.output
    card = tomllib.loads((project / "terms" / "model-card.toml").read_text("utf-8"))
    assert [(t["text"], t["review"], t["origin"]) for t in card["km"]["terms"]] == [
        ("កាតគំរូ", "proposed", "imported:glossary.txt")]
    model = tomllib.loads((project / "terms" / "ai-model.toml").read_text("utf-8"))
    assert model["km"]["terms"][0]["text"] == "គំរូបញ្ញាសិប្បនិម្មិត"  # the proposal stays
    assert model["km"]["terms"][-1]["text"] == "ម៉ូដែល AI"
    assert model["km"]["terms"][-1]["review"] == "proposed"
    assert cli("check").exit_code == 0


def test_our_own_comment_names_the_concept_and_any_other_does_not() -> None:
    ours = omegat._OUR_COMMENT.match("ai-model (proposed, not approved yet): A model.")
    assert ours is not None and ours[1] == "ai-model"
    approved = omegat._OUR_COMMENT.match("ai-model (approved)")
    assert approved is not None and approved[1] == "ai-model"
    for other in ("noun (informal)", "ai-model", "AI-Model (approved)", "use (approved) here"):
        assert omegat._OUR_COMMENT.match(other) is None, other


def test_a_glossary_that_lost_its_khmer_letters_or_is_not_utf8_is_refused(
        cli, project: Path, tmp_path: Path) -> None:
    before = {p.name: p.read_bytes() for p in (project / "terms").glob("*.toml")}
    lost = tmp_path / "lost.txt"
    lost.write_text("AI model\tម៉ូដែល\nmodel card\t??? ???\n", encoding="utf-8")
    result = cli("import", "omegat", str(lost), "--apply", "--by", "Sok Dara")
    assert result.exit_code == 2
    assert "lost.txt:2: km term 1: is '??? ???': question marks where Khmer letters were" \
        in result.stderr
    separator = tmp_path / "separator.txt"  # U+2028 is refused, not read as a line end
    separator.write_text("AI model\tម៉ូដែល\r\nmodel card\tកាត\u2028គំរូ\r\n", encoding="utf-8")
    result = cli("import", "omegat", str(separator))
    assert result.exit_code == 2
    assert "separator.txt:2: km term 1: contains U+2028 LINE SEPARATOR" in result.stderr
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("caf\u00e9\t".encode("latin-1") + "កាហ្វេ\n".encode())
    result = cli("import", "omegat", str(latin1))
    assert result.exit_code == 2 and "latin1.txt:1:4: not valid UTF-8 (byte 0xe9)" \
        in result.stderr
    assert {p.name: p.read_bytes() for p in (project / "terms").glob("*.toml")} == before


def test_a_glossary_saved_as_unicode_by_notepad_reads_as_utf8(cli, tmp_path: Path) -> None:
    # Windows Notepad's "Unicode" is UTF-16 LE with a byte order mark
    utf8, utf16 = tmp_path / "glossary.utf8", tmp_path / "glossary.txt"
    utf8.write_text(SENT_BACK, encoding="utf-8")
    utf16.write_bytes(SENT_BACK.replace("\n", "\r\n").encode("utf-16"))
    assert utf16.read_bytes().startswith(b"\xff\xfe")
    reports = [cli("import", "omegat", str(p), "--format", "json").stdout.replace(p.name, "F")
               for p in (utf8, utf16)]
    assert reports[0] == reports[1]
    assert json.loads(reports[0])["changes"]


def test_a_file_that_is_no_omegat_glossary_is_refused(cli, project: Path,
                                                      tmp_path: Path) -> None:
    """A PO file (no tab anywhere) is not read as 0 pairs and 40 skipped lines, and a
    workbook is named as the zip it is rather than as bad UTF-8 at some column."""
    po = tmp_path / "km.po"
    po.write_text('msgid ""\nmsgstr ""\n\nmsgctxt "ai-model"\nmsgid "AI model"\nmsgstr "គំរូ"\n',
                  encoding="utf-8")
    result = cli("import", "omegat", str(po))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {po}: no line is a term pair (English<TAB>Khmer)")
    book = tmp_path / "terms.xlsx"
    assert cli("export", "xlsx", "-o", str(book)).exit_code == 0
    for fmt in ("omegat", "csv"):
        result = cli("import", fmt, str(book))
        assert result.exit_code == 2
        assert result.stderr.startswith(
            f"Error: {book}:1: is a zip archive (an Excel workbook or a Word document?), "
            "not text"), result.stderr


def test_a_translator_who_chose_another_khmer_term_of_the_concept_is_heard(
        cli, project: Path, tmp_path: Path) -> None:
    # ai-model has គំរូបញ្ញាសិប្បនិម្មិត (preferred) and គំរូ (admitted, the short form):
    # a glossary sent back with "AI model → គំរូ" prefers the short form. It is no new
    # text, so nothing is written, but the report must say it instead of "unchanged".
    path = tmp_path / "glossary.txt"
    path.write_text("AI model\tគំរូ\nhallucination\tការប្រឌិតចម្លើយ\n", encoding="utf-8")
    before = (project / "terms" / "ai-model.toml").read_bytes()
    report = json.loads(cli("import", "omegat", str(path), "--format", "json").stdout)
    assert [(c["kind"], c["concept"], c["what"], c["line"]) for c in report["changes"]] == [
        ("candidate", "ai-model", "km term 'គំរូ'", 1)]
    assert "already km[1] of the concept; the file prefers it to the proposed " \
           "'គំរូបញ្ញាសិប្បនិម្មិត'" in report["changes"][0]["detail"]
    assert report["unchanged"] == 1  # hallucination
    text = cli("import", "omegat", str(path)).stdout
    assert "nothing written: a reviewer decides which is preferred" in text
    assert "run again with --apply" not in text  # there is nothing to apply
    applied = cli("import", "omegat", str(path), "--apply", "--by", "Sok Dara")
    assert applied.exit_code == 0 and "wrote 0 file(s)" in applied.stdout
    assert (project / "terms" / "ai-model.toml").read_bytes() == before

    # an approved preferred term: a conflict, still nothing written
    assert cli("review", "approve", "ai-model", "--by", "Sok Dara").exit_code == 0
    report = json.loads(cli("import", "omegat", str(path), "--format", "json").stdout)
    assert [(c["kind"], c["concept"]) for c in report["changes"]] == [("conflict", "ai-model")]
    assert "prefers it to the approved" in report["changes"][0]["detail"]


def test_our_own_sheet_lists_every_khmer_term_and_is_not_read_as_a_preference(
        cli, project: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "terms.csv"
    assert cli("export", "csv", "-o", str(sheet)).exit_code == 0
    report = json.loads(cli("import", "csv", str(sheet), "--format", "json").stdout)
    assert report["changes"] == []
