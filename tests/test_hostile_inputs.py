"""Items 4/5 of issue 18 that are not refusals: odd but valid input reads right and in
linear time. The refused hostile inputs are one file (or generator) per case in
tests/data/hostile/, run by tests/test_hostile_cases.py."""

from __future__ import annotations

import re
from pathlib import Path


def test_padded_and_blank_headers_are_not_duplicates(project: Path, cli) -> None:
    (project / "padded.csv").write_text(
        " concept_id , lang ,term ,,\nfairness-x,en,fairness,,\nfairness-x,km,យុត្តិធម៌,,\n",
        encoding="utf-8")
    result = cli("import", "csv", "padded.csv")
    assert result.exit_code == 0, result.output
    assert "appears twice" not in result.output and "1 added" in result.output


# ----------------------------------------------------------------------- CSV cells

def test_our_own_export_with_a_long_definition_comes_back(project: Path, cli) -> None:
    path = project / "terms" / "transparency.toml"
    text = path.read_text(encoding="utf-8")
    long = "openness " * 30_000  # 270 KB: over the csv module's 128 KB default
    path.write_text(re.sub(r'(?m)^text = "The principle[^\n]*', f'text = "{long.strip()}"',
                           text, count=1), encoding="utf-8")
    assert cli("export", "csv", "-o", "long.csv").exit_code == 0
    result = cli("import", "csv", "long.csv")
    assert result.exit_code == 0, result.output
    assert "0 changed" in result.output


# ----------------------------------------------------------------------- PO

def test_po_continuation_lines_reach_polib_joined(tmp_path: Path, monkeypatch) -> None:
    """polib appends each continuation line to the string read so far, which is
    quadratic (800,000 lines of one msgstr: 30 s). The reader joins them first, in one
    pass, so polib sees no continuation line of that string: checked by what polib is given, not by
    a clock (bench/ measures the time)."""
    import polib

    from glossary.formats import po

    given: list[int] = []
    real = polib.pofile

    def spy(text: str, *args: object, **kwargs: object) -> object:
        given.append(sum(line.lstrip().startswith('"') for line in text.split("\n")))
        return real(text, *args, **kwargs)

    monkeypatch.setattr(polib, "pofile", spy)
    path = tmp_path / "continued.po"
    path.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                    'msgid "x"\nmsgstr ""\n' + '"ក"\n' * 200_000, encoding="utf-8")
    catalog = po.read(path)
    assert catalog.messages[0].msgstr == "ក" * 200_000
    # every string on one line, the header's too (blank lines keep the line numbers);
    # without the join polib would get 200,001 continuation lines
    assert given == [0]


def test_po_u0085_in_a_msgstr_reads_at_the_right_line(tmp_path: Path) -> None:
    from glossary.formats import po

    path = tmp_path / "nel.po"
    path.write_text('msgctxt "a"\nmsgid "x"\nmsgstr "one\x85two"\n\nmsgctxt "b"\nmsgid "y"\n'
                    'msgstr "z"\n', encoding="utf-8")
    catalog = po.read(path)
    assert [(m.msgid, m.msgstr, m.line) for m in catalog.messages] == [
        ("x", "one\x85two", 1), ("y", "z", 5)]


# ------------------------------------------------------------------ files in terms/

def test_hidden_files_in_terms_are_not_concepts(project: Path, cli) -> None:
    """macOS writes ``._NAME`` (AppleDouble, binary) beside each file it copies to a USB
    stick or a shared folder, and an editor may leave ``.#NAME.toml``: neither is a
    concept (no concept id starts with a dot), so check, build and diff pass them by."""
    terms = project / "terms"
    before = cli("check", "--format", "json").stdout
    (terms / "._transparency.toml").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X")
    (terms / ".#fairness.toml").write_text('id = "fairness"\n', encoding="utf-8")
    result = cli("check", "--format", "json")
    assert result.exit_code == 0, result.output
    assert result.stdout == before
    assert cli("build", "--only", "db").exit_code == 0
