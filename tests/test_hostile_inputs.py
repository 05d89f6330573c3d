"""Items 4/5 of issue 18 that are not refusals: odd but valid input reads right and in
linear time. The refused hostile inputs are one file (or generator) per case in
tests/data/hostile/, run by tests/test_hostile_cases.py."""

from __future__ import annotations

import re
import time
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

def test_po_continuation_lines_are_read_in_linear_time(tmp_path: Path) -> None:
    from glossary.formats import po

    def build(lines: int) -> Path:
        path = tmp_path / f"c{lines}.po"
        path.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                        'msgid "x"\nmsgstr ""\n' + '"ក"\n' * lines, encoding="utf-8")
        return path

    small, large = build(25_000), build(200_000)
    t0 = time.perf_counter()
    po.read(small)
    t1 = time.perf_counter()
    catalog = po.read(large)
    t2 = time.perf_counter()
    assert catalog.messages[0].msgstr == "ក" * 200_000
    assert (t2 - t1) < 20 * max(t1 - t0, 0.01)  # 8× the lines: linear is ~8×, polib's 64×


def test_po_u0085_in_a_msgstr_reads_at_the_right_line(tmp_path: Path) -> None:
    from glossary.formats import po

    path = tmp_path / "nel.po"
    path.write_text('msgctxt "a"\nmsgid "x"\nmsgstr "one\x85two"\n\nmsgctxt "b"\nmsgid "y"\n'
                    'msgstr "z"\n', encoding="utf-8")
    catalog = po.read(path)
    assert [(m.msgid, m.msgstr, m.line) for m in catalog.messages] == [
        ("x", "one\x85two", 1), ("y", "z", 5)]
