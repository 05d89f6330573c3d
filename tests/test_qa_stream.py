"""Issue 18: `glossary qa` streams its input — memory is bounded by the largest
paragraph, not by the file (the whole-file reader held ~100× the file: 1.75 GB for
20 MB), and findings keep their lines."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

from glossary.qa.readers import MAX_SEGMENT, read_text_segments

FILLER = "Plain words about nothing in particular, សួស្តី ពិភពលោក, repeated here.\n"
BAD = "Delete ទិន្នន័យឯកជន now.\n"  # a deprecated Khmer term of the QA glossary


def _write_big(path: Path, size: int, every: int) -> int:
    """About ``size`` bytes of paragraphs (three lines and a blank line each); every
    ``every``-th paragraph holds the deprecated term.  Returns how many do."""
    paragraph = FILLER * 3 + "\n"
    bad = FILLER + BAD + FILLER + "\n"
    count = size // len(paragraph.encode())
    with path.open("w", encoding="utf-8") as out:
        for k in range(count):
            out.write(bad if k % every == 0 else paragraph)
    return (count + every - 1) // every


def test_a_20_mb_text_file_is_checked_under_a_600_mb_cap(qa_project: Path) -> None:
    big = qa_project / "docs" / "big.txt"
    expected = _write_big(big, 20 * 1024 * 1024, 1000)
    assert big.stat().st_size > 19 * 1024 * 1024

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (600 << 20, 600 << 20))

    result = subprocess.run(
        [sys.executable, "-c", "from glossary.cli import main; main()", "qa", "docs/big.txt"],
        cwd=qa_project, capture_output=True, text=True, timeout=600, preexec_fn=cap)
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == expected
    assert all(": deprecated-term: ទិន្នន័យឯកជន" in line for line in lines)
    # the first bad paragraph starts at line 1, its term on line 2; the next is 1000
    # paragraphs (4,000 lines) further on
    assert lines[0].startswith("docs/big.txt:2:8: ")
    assert lines[1].startswith("docs/big.txt:4002:8: ")


def test_paragraphs_keep_their_lines(tmp_path: Path) -> None:
    path = tmp_path / "p.txt"
    path.write_text("one\ntwo\n\nthree\n", encoding="utf-8")
    segments = list(read_text_segments(path))
    assert [(s.line, s.text) for s in segments] == [(1, "one\ntwo\n\n"), (4, "three")]
    assert segments[1].locate(2) == (4, 3)
    assert segments[0].locate(4) == (2, 1)


def test_a_paragraph_without_blank_lines_is_cut_at_a_line_end(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    line = "x" * 1000
    path.write_text((line + "\n") * (3 * MAX_SEGMENT // 1000), encoding="utf-8")
    segments = list(read_text_segments(path))
    assert len(segments) >= 3
    assert all(len(s.text) <= MAX_SEGMENT + 1001 for s in segments)
    assert segments[1].line == segments[0].text.count("\n") + 1
