"""`glossary qa` end to end through the real CLI: formats, exit codes, .docx, extract."""

import csv
import json
import shutil
import subprocess

import pytest

from tests.conftest import SAMPLES

ZWSP = "\u200b"


@pytest.fixture
def qa_cli(qa_project, cli):
    return cli


def test_text_output_and_exit_code(qa_cli):
    result = qa_cli("qa", "docs/deprecated.md", "docs/zwsp-inside.txt")
    assert result.exit_code == 1
    assert result.stdout == ("docs/deprecated.md:4:22: deprecated-term: ទិន្នន័យឯកជន → "
                             "ទិន្នន័យផ្ទាល់ខ្លួន  [for personal-data]\n")
    assert "1 finding(s) in 2 file(s) (1 deprecated-term)" in result.stderr


def test_clean_files_exit_0(qa_cli):
    result = qa_cli("qa", "docs/zwsp-inside.txt", "docs/coeng-ro-first.txt",
                    "docs/longer-word.txt")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


def test_glossary_terms_listed_in_english_text_do_not_fail(qa_cli):
    result = qa_cli("qa", "docs/english.md")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "docs/english.md:1:17: glossary-term: policies → គោលនយោបាយ",
        "docs/english.md:1:41: glossary-term: AI model → គំរូបញ្ញាសិប្បនិម្មិត",
    ]
    assert "2 glossary term(s) listed" in result.stderr


def test_json_output(qa_cli):
    result = qa_cli("qa", "--format", "json", "docs/checks.po")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["files"] == 1 and data["problems"] == 3  # the fuzzy entry is skipped
    assert data["counts"] == {"deprecated-term": 1, "missing-term": 2}
    first = data["findings"][0]
    assert first == {
        "file": "docs/checks.po", "line": 14, "column": None, "msgctxt": None,
        "msgid": "Delete personal data", "rule": "deprecated-term", "severity": "warning",
        "concept": "personal-data", "found": "ទិន្នន័យឯកជន", "suggestion": "ទិន្នន័យផ្ទាល់ខ្លួន",
        "message": "ទិន្នន័យឯកជន is deprecated for personal-data; use ទិន្នន័យផ្ទាល់ខ្លួន",
        "original": None,
    }


def test_github_annotations(qa_cli):
    result = qa_cli("qa", "--format", "github", "docs/deprecated.md", "docs/rejected.txt",
                    "docs/checks.po")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "::warning file=docs/deprecated.md,line=4,col=22,title=glossary deprecated-term::"
        "ទិន្នន័យឯកជន → ទិន្នន័យផ្ទាល់ខ្លួន: ទិន្នន័យឯកជន is deprecated for personal-data; "
        "use ទិន្នន័យផ្ទាល់ខ្លួន")
    assert lines[1].startswith("::error file=docs/rejected.txt,line=1,col=16,"
                               "title=glossary rejected-term::")
    po = [line for line in lines if "checks.po" in line]
    assert len(po) == 3 and all(",col=" not in line for line in po)
    assert po[0].startswith("::warning file=docs/checks.po,line=14,title=")


def test_github_escapes_properties_and_data():
    from glossary.qa.findings import Finding, Severity, format_github

    finding = Finding("dir,1/a:b.md", 3, None, "missing-term", "x", "y", Severity.WARNING,
                      "c", "100% sure\nreally")
    assert format_github(finding) == (
        "::warning file=dir%2C1/a%3Ab.md,line=3,title=glossary missing-term::"
        "x → y: 100%25 sure%0Areally")


def test_min_review_proposed_vs_approved(qa_cli):
    approved = qa_cli("qa", "docs/checks.po", "docs/superseded.txt")
    proposed = qa_cli("qa", "docs/checks.po", "docs/superseded.txt", "--min-review", "proposed")
    assert "model" not in approved.stdout
    assert "superseded.txt" not in approved.stdout
    new = sorted(set(proposed.stdout.splitlines()) - set(approved.stdout.splitlines()))
    assert new == [
        "docs/checks.po:22: missing-term: model → គំរូ  [msgid 'Export the model']",
        "docs/superseded.txt:1:1: deprecated-term: ការគ្រប់គ្រងកិច្ចការ → អភិបាលកិច្ច"
        "  [for governance]",
    ]


def test_docx_end_to_end(qa_cli, qa_project):
    import docx

    document = docx.Document()
    document.add_paragraph("Personal data policy")
    document.add_paragraph("ស្ថាប័ន" + ZWSP + "ត្រូវ" + ZWSP + "ការពារ" + ZWSP + "ទិន្នន័យឯកជន។")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "term"
    table.cell(0, 1).text = "ព័ត៌មានបុគ្គល"
    merged = table.cell(1, 0).merge(table.cell(1, 1))
    merged.text = "វិទ្យាសាស\u17d2\u179a\u17d2\u178fទិន្នន័យ និង ទិន្នន័យឯកជន"
    document.add_paragraph("AI models and data science.")
    document.save(qa_project / "docs" / "report.docx")

    result = qa_cli("qa", "docs/report.docx")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "docs/report.docx:1:1: glossary-term: Personal data → ទិន្នន័យផ្ទាល់ខ្លួន",
        "docs/report.docx:1:15: glossary-term: policy → គោលនយោបាយ",
        "docs/report.docx:2:22: deprecated-term: ទិន្នន័យឯកជន → ទិន្នន័យផ្ទាល់ខ្លួន"
        "  [for personal-data]",
        "docs/report.docx:4:1: rejected-term: ព័ត៌មានបុគ្គល → ទិន្នន័យផ្ទាល់ខ្លួន"
        "  [for personal-data]",
        "docs/report.docx:5:27: deprecated-term: ទិន្នន័យឯកជន → ទិន្នន័យផ្ទាល់ខ្លួន"
        "  [for personal-data]",
        "docs/report.docx:6:1: glossary-term: AI models → គំរូបញ្ញាសិប្បនិម្មិត",
        "docs/report.docx:6:15: glossary-term: data science → វិទ្យាសាស្ត្រទិន្នន័យ",
    ]


def test_sample_catalogs_against_the_shipped_glossary(qa_cli):
    from tests.conftest import ROOT

    paths = sorted(str(p) for p in (SAMPLES / "po").glob("*.po"))
    assert [p.rsplit("/", 1)[1][:3] for p in paths] == ["apt", "bra", "ged", "rem"]
    for level in ("approved", "proposed"):
        # nothing is approved yet: --allow-empty, or the run exits 2 (tested elsewhere)
        result = qa_cli("--terms", str(ROOT / "terms"), "qa", *paths, "--min-review", level,
                        "--format", "json", "--allow-empty")
        assert result.exit_code in (0, 1), result.output
        data = json.loads(result.stdout)
        assert data["files"] == 4
        assert data["problems"] == sum(1 for f in data["findings"] if f["severity"] != "info")


# --------------------------------------------------------------------------- bad input

@pytest.mark.parametrize(("args", "message"), [
    (["docs/missing.po"], "Error: docs/missing.po: file not found"),
    (["docs"], "Error: docs: is a directory, not a file"),
    (["docs/not-utf8.txt"], "Error: docs/not-utf8.txt:2:5: not valid UTF-8 (byte 0xe0)"),
    (["docs/malformed.po"], "Error: docs/malformed.po:6: malformed PO file: unescaped double "
                            "quote found"),
])
def test_bad_input_exits_2_with_a_location(qa_cli, args, message):
    result = qa_cli("qa", *args)
    assert result.exit_code == 2
    assert result.stderr.startswith(message)
    assert "Traceback" not in result.output


def test_an_old_word_document_exits_2_with_advice(qa_cli, qa_project):
    (qa_project / "docs" / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    result = qa_cli("qa", "docs/old.doc")
    assert result.exit_code == 2
    assert result.stderr == "Error: docs/old.doc: cannot read .doc files (save the document " \
                            "as .docx, or export its text)\n"


def test_no_glossary_exits_2(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from glossary.cli import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("personal data\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["qa", "a.txt"])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: terms directory not found")


def test_a_damaged_docx_exits_2(qa_cli, qa_project):
    (qa_project / "docs" / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    result = qa_cli("qa", "docs/broken.docx")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: docs/broken.docx: not a Word .docx document")


@pytest.mark.parametrize("args", [
    [], ["--extract", "docs/english.md"], ["-o", "x.po", "docs/english.md"],
    ["--min-review", "draft", "docs/english.md"],
])
def test_usage_errors_exit_2(qa_cli, args):
    assert qa_cli("qa", *args).exit_code == 2


def test_bad_input_stops_before_any_output(qa_cli):
    result = qa_cli("qa", "docs/deprecated.md", "docs/not-utf8.txt")
    assert result.exit_code == 2
    assert result.stdout == ""


# --------------------------------------------------------------------------- extract

def test_extract_po(qa_cli, qa_project):
    result = qa_cli("qa", "--extract", "docs/english.md", "docs/checks.po", "-o", "out/terms.po")
    assert result.exit_code == 0, result.output
    assert result.stdout == "wrote out/terms.po (4 concept(s))\n"
    import polib

    catalog = polib.pofile(str(qa_project / "out" / "terms.po"))
    assert catalog.metadata["Language"] == "km"
    assert catalog.metadata["Plural-Forms"] == "nplurals=1; plural=0;"
    rows = [(e.msgctxt, e.msgid, e.msgstr, e.fuzzy) for e in catalog]
    assert rows == [
        ("ai-model", "AI model", "គំរូបញ្ញាសិប្បនិម្មិត", True),
        ("data-science", "data science", "វិទ្យាសាស្ត្រទិន្នន័យ", False),
        ("personal-data", "personal data", "ទិន្នន័យផ្ទាល់ខ្លួន", False),
        ("policy", "policy", "គោលនយោបាយ", False),
    ]
    personal = catalog[2]
    assert "Avoid: ទិន្នន័យឯកជន, ព័ត៌មានបុគ្គល" in personal.tcomment
    assert ("docs/checks.po", "14") in personal.occurrences
    if shutil.which("msgfmt"):
        subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(qa_project / "out" / "terms.po")],
                       check=True, capture_output=True)


def test_extract_is_deterministic(qa_cli, qa_project):
    qa_cli("qa", "--extract", "docs/english.md", "-o", "a.po")
    qa_cli("qa", "--extract", "docs/english.md", "-o", "b.po")
    assert (qa_project / "a.po").read_bytes() == (qa_project / "b.po").read_bytes()


def test_extract_csv_has_a_bom_and_khmer(qa_cli, qa_project):
    result = qa_cli("qa", "--extract", "docs/deprecated.md", "docs/coeng-ro-first.txt",
                    "-o", "terms.csv")
    assert result.exit_code == 0, result.output
    data = (qa_project / "terms.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(data.decode("utf-8-sig").splitlines()))
    assert [(r["concept"], r["en"], r["km"], r["km_review"], r["occurrences"]) for r in rows] == [
        ("data-science", "data science", "វិទ្យាសាស្ត្រទិន្នន័យ", "approved", "1"),
        ("personal-data", "personal data", "ទិន្នន័យផ្ទាល់ខ្លួន", "approved", "2"),
    ]
    assert rows[1]["km_avoid"] == "ទិន្នន័យឯកជន; ព័ត៌មានបុគ្គល"


def test_extract_refuses_other_suffixes(qa_cli):
    result = qa_cli("qa", "--extract", "docs/english.md", "-o", "terms.xlsx")
    assert result.exit_code == 2
    assert "cannot write .xlsx" in result.stderr


def test_qa_is_in_the_readme():
    from tests.conftest import ROOT

    readme = (ROOT / "docs" / "qa.md").read_text(encoding="utf-8")
    assert "## `glossary qa" in readme
    assert "glossary qa --extract" in readme
    assert "::warning file=" in readme
