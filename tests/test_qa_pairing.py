"""``glossary qa --original EN KM``: a Khmer translation checked against its English
original, paragraph by paragraph when they pair, as a whole when they do not.

The test glossary (tests/data/qa/terms) has approved Khmer terms for personal data,
data science and policy, ទិន្នន័យឯកជន deprecated and ព័ត៌មានបុគ្គល rejected for personal
data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ZWSP = "\u200b"

ENGLISH = """# Personal data policy

Delete personal data on request.

The data science team reviews every model.

Each policy names its owner.

Nothing here uses the glossary.
"""

# paragraph by paragraph: the title right, the deprecated term for personal data, data
# science left out, policy written with zero-width spaces (right), a plain sentence
KHMER = f"""# គោលនយោបាយទិន្នន័យផ្ទាល់ខ្លួន

លុបទិន្នន័យឯកជនតាមការស្នើសុំ។

ក្រុមការងារពិនិត្យគំរូនីមួយៗ។

គោល{ZWSP}នយោបាយ​នីមួយៗ ដាក់ឈ្មោះម្ចាស់របស់វា។

គ្មានអ្វីនៅទីនេះទេ។
"""


@pytest.fixture
def pair(qa_project: Path) -> Path:
    (qa_project / "en.md").write_text(ENGLISH, encoding="utf-8")
    (qa_project / "km.md").write_text(KHMER, encoding="utf-8")
    return qa_project


def test_paired_paragraphs_are_checked_like_po_entries(cli, pair: Path) -> None:
    result = cli("qa", "--original", "en.md", "km.md")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "km.md:3: missing-term: personal data → ទិន្នន័យផ្ទាល់ខ្លួន"
        "  [en.md:3 'Delete personal data on request.']",
        "km.md:3:4: deprecated-term: ទិន្នន័យឯកជន → ទិន្នន័យផ្ទាល់ខ្លួន"
        "  [en.md:3 'Delete personal data on request.']",
        "km.md:5: missing-term: data science → វិទ្យាសាស្ត្រទិន្នន័យ"
        "  [en.md:5 'The data science team reviews every model.']",
    ]
    assert "paired 5 paragraph(s) of en.md with km.md, in order" in result.stderr
    assert "3 finding(s) in 2 file(s) (1 deprecated-term, 2 missing-term)" in result.stderr


def test_a_deprecated_term_counts_only_where_the_english_means_it(cli, pair: Path) -> None:
    """Paired, ទិន្នន័យឯកជន in a paragraph whose English is not about personal data is no
    finding (the word may be meant otherwise); unpaired, nothing tells, so it is."""
    text = KHMER.replace("ក្រុមការងារពិនិត្យគំរូនីមួយៗ។",
                         "ក្រុមការងារវិទ្យាសាស្ត្រទិន្នន័យពិនិត្យទិន្នន័យឯកជន។")
    (pair / "km.md").write_text(text, encoding="utf-8")
    result = cli("qa", "--original", "en.md", "km.md")
    # paragraph 3 as before (its English is about personal data), nothing in paragraph 5
    assert [line.split(":")[1] for line in result.stdout.splitlines()] == ["3", "3"]


def test_unpaired_files_report_what_the_whole_translation_lacks(cli, pair: Path) -> None:
    # the translator merged two paragraphs: 5 English, 4 Khmer
    text = KHMER.replace("ការស្នើសុំ។\n\nក្រុមការងារ", "ការស្នើសុំ។ ក្រុមការងារ")
    (pair / "km.md").write_text(text, encoding="utf-8")
    result = cli("qa", "--original", "en.md", "km.md")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "km.md: missing-term: data science → វិទ្យាសាស្ត្រទិន្នន័យ  [en.md:5 "
        "'The data science team reviews every model.']",
        "km.md:3:4: deprecated-term: ទិន្នន័យឯកជន → ទិន្នន័យផ្ទាល់ខ្លួន  [for personal-data]",
    ]
    assert "en.md has 5 paragraph(s) and km.md 4: they do not pair" in result.stderr
    data = json.loads(cli("qa", "--original", "en.md", "km.md", "--format", "json").stdout)
    whole = data["findings"][0]
    assert whole["line"] == 0 and whole["original"] == "en.md:5"
    assert whole["message"] == ("the original uses 'data science' (data-science) at en.md:5; "
                                "the translation has none of its approved Khmer terms: "
                                "វិទ្យាសាស្ត្រទិន្នន័យ")
    assert data["notes"][0].startswith("en.md has 5 paragraph(s)")
    github = cli("qa", "--original", "en.md", "km.md", "--format", "github").stdout
    assert github.splitlines()[0].startswith(
        "::warning file=km.md,title=glossary missing-term::")  # no line: the whole file


def test_a_term_used_anywhere_in_an_unpaired_translation_is_not_missing(cli, pair: Path
                                                                          ) -> None:
    text = KHMER.replace("ការស្នើសុំ។\n\nក្រុមការងារពិនិត្យគំរូនីមួយៗ។",
                         "ការស្នើសុំ។") + "\nវិទ្យាសាស្ត្រទិន្នន័យ\n\nមួយទៀត\n"
    (pair / "km.md").write_text(text, encoding="utf-8")
    result = cli("qa", "--original", "en.md", "km.md")
    assert "data science" not in result.stdout
    assert "they do not pair" in result.stderr


def test_word_documents_pair_with_their_tables(cli, qa_project: Path) -> None:
    import docx

    def save(name: str, paragraphs: list[str], cells: list[str]) -> None:
        document = docx.Document()
        for text in paragraphs:
            document.add_paragraph(text)
            document.add_paragraph("")  # empty paragraphs do not count
        table = document.add_table(rows=1, cols=len(cells))
        for i, text in enumerate(cells):
            table.cell(0, i).text = text
        document.save(qa_project / name)

    save("guide-en.docx", ["Personal data", "Policy review"], ["data science", "policy"])
    save("guide-km.docx", ["ទិន្នន័យផ្ទាល់ខ្លួន", "ការពិនិត្យគោលនយោបាយ"],
         ["វិទ្យាសាស្ត្រទិន្នន័យ", "ព័ត៌មានបុគ្គល"])
    result = cli("qa", "--original", "guide-en.docx", "guide-km.docx")
    assert result.stdout.splitlines() == [
        "guide-km.docx:6: missing-term: policy → គោលនយោបាយ  [guide-en.docx:6 'policy']",
    ]
    assert "paired 4 paragraph(s)" in result.stderr
    # the rejected term is not reported in a cell whose English is policy (not personal
    # data); as a text of its own, it is
    alone = cli("qa", "guide-km.docx")
    assert "rejected-term: ព័ត៌មានបុគ្គល" in alone.stdout


def test_files_given_the_wrong_way_round_are_named(cli, pair: Path) -> None:
    result = cli("qa", "--original", "km.md", "en.md")
    assert ("warning: en.md has no Khmer text; give the Khmer translation as FILE and its "
            "English original as --original") in result.stderr
    assert "no Khmer text" not in cli("qa", "--original", "en.md", "km.md").stderr


def test_bad_uses_of_original_are_refused(cli, pair: Path) -> None:
    result = cli("qa", "--original", "en.md", "km.md", "docs/english.md")
    assert result.exit_code == 2 and "--original checks one FILE" in result.stderr
    result = cli("qa", "--original", "docs/checks.po", "km.md")
    assert result.exit_code == 2
    assert "docs/checks.po: a PO catalog holds its English and Khmer side by side" \
        in result.stderr
    result = cli("qa", "--original", "missing.md", "km.md")
    assert result.exit_code == 2 and "missing.md" in result.stderr
    assert "Traceback" not in result.stderr


def test_real_catalogs_as_paired_documents_give_the_po_findings(tmp_path: Path) -> None:
    """The four Khmer catalogs of ../shared/samples/po written out as an English and a
    Khmer text, one paragraph per translated entry (3,191 pairs): checked with
    --original against the shipped glossary, they give the findings the catalogs give
    as PO files (fuzzy entries included, since the texts keep them)."""
    import polib

    from glossary.config import load_settings
    from glossary.qa import CheckOptions, check_paths, check_translation, load_reference
    from tests.conftest import ROOT, SAMPLES

    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text(f'[tool.glossary]\nterms = "{ROOT / "terms"}"\n',
                                            encoding="utf-8")
    ref = load_reference(load_settings(cwd=project), "proposed")

    def key(finding) -> tuple[str, str, str, str | None, str | None]:
        return (finding.rule, finding.concept, finding.found, finding.suggestion,
                " ".join((finding.msgid or "").split()))

    pairs = found = 0
    for path in sorted((SAMPLES / "po").glob("*.po")):
        entries = [(" ".join(e.msgid.split()), " ".join(e.msgstr.split()))
                   for e in polib.pofile(str(path))
                   if not e.obsolete and e.msgid and not e.msgid_plural and e.msgstr.strip()]
        pairs += len(entries)
        en, km = tmp_path / f"{path.stem}.en.txt", tmp_path / f"{path.stem}.km.txt"
        en.write_text("\n\n".join(a for a, _ in entries) + "\n", encoding="utf-8")
        km.write_text("\n\n".join(b for _, b in entries) + "\n", encoding="utf-8")
        expected = [key(f) for f in check_paths(ref, [path], CheckOptions(include_fuzzy=True))
                    .findings]
        found += len(expected)
        report = check_translation(ref, en, km, CheckOptions())
        assert report.notes[0].startswith(f"paired {len(entries)} paragraph(s)")
        assert [key(f) for f in report.findings] == expected, path.name
    assert pairs == 3191 and found == 2  # as docs/qa-precision.md records
