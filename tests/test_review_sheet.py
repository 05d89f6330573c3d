"""The review workbook: `glossary review sheet` → a reviewer fills in decisions in a
spreadsheet → `glossary review import --by NAME` records them as NAME's, with the review
history (who, when, from what) shown by `glossary review list`."""

from __future__ import annotations

import json
import tomllib
from datetime import date
from pathlib import Path

from openpyxl import load_workbook

from glossary.formats.review_sheet import COLUMNS


def _sheet(cli, path: Path, *args: str) -> None:
    result = cli("review", "sheet", "-o", str(path), *args)
    assert result.exit_code == 0, result.output


def _fill(path: Path, decisions: dict[str, tuple[str, str]]) -> None:
    """Fill in the decision and comment of rows by their Khmer text, as a reviewer would."""
    book = load_workbook(path)
    sheet = book["review"]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        khmer = row[header.index("khmer")].value
        if khmer in decisions:
            decision, comment = decisions[khmer]
            row[header.index("decision")].value = decision
            row[header.index("comment")].value = comment
    book.save(path)


def test_the_sheet_has_what_a_reviewer_needs_and_only_two_open_columns(
        cli, project: Path, tmp_path: Path) -> None:
    path = tmp_path / "review.xlsx"
    result = cli("review", "sheet", "-o", str(path))
    assert result.exit_code == 0, result.output
    book = load_workbook(path)
    sheet = book["review"]
    assert [c.value for c in sheet[1]] == list(COLUMNS)
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    definitions = [r for r in rows if r[COLUMNS.index("term")] == "definition"]
    assert result.output.strip().endswith(
        f"{len(rows) - len(definitions)} term(s) and {len(definitions)} definition(s) "
        "to review")
    by_khmer = {r[COLUMNS.index("khmer")]: dict(zip(COLUMNS, r, strict=True)) for r in rows}
    model = by_khmer["គំរូបញ្ញាសិប្បនិម្មិត"]
    assert (model["concept"], model["term"], model["english"]) == ("ai-model", "0", "AI model")
    assert model["definition_en"].startswith("A mathematical or computational")
    assert "គំរូ (admitted, proposed)" in model["alternatives"]
    assert "asean-guide-2024 §C.3" in model["sources"]
    assert sheet.protection.sheet is True
    decision_col = COLUMNS.index("decision")
    for row in sheet.iter_rows(min_row=2):
        for i, cell in enumerate(row):
            assert cell.protection.locked is (i not in (decision_col, decision_col + 1))
    [validation] = sheet.data_validations.dataValidation
    assert validation.type == "list" and validation.formula1 == '"approve,reject,comment"'
    domain = tmp_path / "ml.xlsx"
    _sheet(cli, domain, "--domain", "machine-learning")
    concepts = {r[0] for r in load_workbook(domain)["review"].iter_rows(min_row=2,
                                                                       values_only=True)}
    assert concepts and concepts < {r[0] for r in rows}


def test_round_trip_records_decisions_as_the_reviewers(cli, project: Path,
                                                        tmp_path: Path) -> None:
    path = tmp_path / "review.xlsx"
    _sheet(cli, path)
    _fill(path, {"គំរូបញ្ញាសិប្បនិម្មិត": ("approve", "clear and in use"),
                 "គំរូ": ("reject", "means template too"),
                 "បញ្ញាសិប្បនិម្មិត": ("comment", "check the ministry's usage")})
    result = cli("review", "import", str(path), "--by", "Sok Dara")
    assert result.exit_code == 0, result.output
    assert "1 approved, 1 rejected, 1 comment(s), 0 unchanged, 0 refused" in result.output
    data = tomllib.loads((project / "terms" / "ai-model.toml").read_text("utf-8"))
    km = {t["text"]: t for t in data["km"]["terms"]}
    chosen = km["គំរូបញ្ញាសិប្បនិម្មិត"]
    today = date.today()
    assert (chosen["review"], chosen["approved_by"], chosen["approved_on"]) == (
        "approved", "Sok Dara", today)
    assert chosen["history"] == [{"state": "approved", "by": "Sok Dara", "on": today,
                                  "via": "review sheet review.xlsx",
                                  "note": "clear and in use"}]
    assert km["គំរូ"]["review"] == "rejected"
    ai = tomllib.loads((project / "terms" / "artificial-intelligence.toml").read_text("utf-8"))
    commented = ai["km"]["terms"][0]
    assert commented["review"] == "proposed"  # a comment decides nothing
    assert commented["history"][0]["state"] == "comment"
    assert cli("check").exit_code == 0
    # the same sheet again: nothing changes, nothing is written
    before = {p.name: p.read_bytes() for p in (project / "terms").glob("*.toml")}
    again = cli("review", "import", str(path), "--by", " Sok\n Dara", "--format", "json")
    assert again.exit_code == 0, again.output
    data = json.loads(again.stdout)
    assert data["written"] == [] and {r["outcome"] for r in data["rows"]} == {"unchanged"}
    assert data["by"] == "Sok Dara"  # the name as it is recorded
    assert {p.name: p.read_bytes() for p in (project / "terms").glob("*.toml")} == before
    # the review record is listed
    listed = cli("review", "list", "--state", "approved")
    assert "approved by Sok Dara (review sheet review.xlsx): clear and in use" in listed.output
    listed = json.loads(cli("review", "list", "--state", "rejected", "--format", "json").stdout)
    assert listed[0]["history"][0]["via"] == "review sheet review.xlsx"


def test_a_review_sheet_given_to_the_terms_import_is_refused(cli, project: Path,
                                                             tmp_path: Path) -> None:
    """`glossary import xlsx review.xlsx` (for `glossary review import`) read the term
    index column as English terms and would have added "0", "1" … to every concept."""
    path = tmp_path / "review.xlsx"
    _sheet(cli, path)
    _fill(path, {"គំរូបញ្ញាសិប្បនិម្មិត": ("approve", "")})
    before = {p.name: p.read_bytes() for p in (project / "terms").glob("*.toml")}
    result = cli("import", "xlsx", str(path), "--apply", "--by", "Sok Dara")
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {path}:1: this is a review workbook (`glossary review sheet`), not a table "
        "of terms (record its decisions with `glossary review import FILE --by NAME`)\n")
    assert {p.name: p.read_bytes() for p in (project / "terms").glob("*.toml")} == before


def test_a_row_whose_term_changed_is_refused(cli, project: Path, tmp_path: Path) -> None:
    path = tmp_path / "review.xlsx"
    _sheet(cli, path)
    _fill(path, {"គំរូបញ្ញាសិប្បនិម្មិត": ("approve", ""), "បញ្ញាសិប្បនិម្មិត": ("approve", "")})
    concept = project / "terms" / "ai-model.toml"
    concept.write_text(concept.read_text("utf-8").replace('"គំរូបញ្ញាសិប្បនិម្មិត"',
                                                          '"គំរូបញ្ញាសិប្បនិម្មិតថ្មី"'),
                       encoding="utf-8")
    result = cli("review", "import", str(path), "--by", "Sok Dara")
    assert result.exit_code == 1, result.output
    assert "refused (the term changed since the sheet was made (now " \
        "'គំរូបញ្ញាសិប្បនិម្មិតថ្មី'): make a new sheet)" in result.output
    assert "1 approved, 0 rejected, 0 comment(s), 0 unchanged, 1 refused" in result.output
    text = concept.read_text("utf-8")
    assert 'review = "approved"' not in text


def test_the_proposer_of_a_term_does_not_approve_it_from_the_sheet(cli, project: Path,
                                                                   tmp_path: Path) -> None:
    """A proposal is approved by someone else: the proposer's approval row is refused
    (with the reason), their rejection (a withdrawal) and the other rows are recorded."""
    path = tmp_path / "review.xlsx"
    _sheet(cli, path)
    _fill(path, {"គំរូបញ្ញាសិប្បនិម្មិត": ("approve", ""), "គំរូ": ("reject", "")})
    result = cli("review", "import", str(path), "--by", "Glossary Team")
    assert result.exit_code == 1, result.output
    assert "refused (Glossary Team proposed it, and a proposal is approved by someone else" \
        in result.output
    assert "0 approved, 1 rejected, 0 comment(s), 0 unchanged, 1 refused" in result.output
    terms = tomllib.loads((project / "terms" / "ai-model.toml").read_text("utf-8"))
    states = {t["text"]: t["review"] for t in terms["km"]["terms"]}
    assert (states["គំរូបញ្ញាសិប្បនិម្មិត"], states["គំរូ"]) == ("proposed", "rejected")
    result = cli("review", "import", str(path), "--by", "Sok Dara")  # another reviewer
    assert "1 approved, 0 rejected" in result.output
    assert cli("check").exit_code == 0


def test_a_reviewer_gets_only_what_they_may_approve(cli, project: Path,
                                                    tmp_path: Path) -> None:
    """--reviewer NAME (review list and review sheet) leaves out what NAME proposed, so a
    translator who also reviews gets no row the import would refuse."""
    path = project / "terms" / "ai-model.toml"
    text = path.read_text("utf-8")
    km = text.index("[[km.terms]]")
    path.write_text(text[:km] + text[km:].replace('proposed_by = "glossary team"',
                                                  'proposed_by = "Sok Dara"', 1), "utf-8")
    listed = cli("review", "list", "--lang", "km", "--format", "json")
    everything = {(i["concept"], i["term"]) for i in json.loads(listed.stdout)}
    listed = cli("review", "list", "--lang", "km", "--reviewer", "SOK  dara", "--format",
                 "json")
    assert {(i["concept"], i["term"]) for i in json.loads(listed.stdout)} == \
        everything - {("ai-model", 0)}
    sheet = tmp_path / "review.xlsx"
    _sheet(cli, sheet, "--reviewer", "Sok Dara")
    rows = list(load_workbook(sheet)["review"].iter_rows(min_row=2, values_only=True))
    khmer = [c.value for c in load_workbook(sheet)["review"][1]].index("khmer")
    texts = {row[khmer] for row in rows}
    assert "គំរូបញ្ញាសិប្បនិម្មិត" not in texts and "គំរូ" in texts
    _sheet(cli, sheet)
    rows = list(load_workbook(sheet)["review"].iter_rows(min_row=2, values_only=True))
    assert "គំរូបញ្ញាសិប្បនិម្មិត" in {row[khmer] for row in rows}


def test_a_comment_decision_without_a_comment_is_refused(cli, project: Path,
                                                         tmp_path: Path) -> None:
    """It would record an empty history entry, and another at every import of the sheet."""
    path = tmp_path / "review.xlsx"
    _sheet(cli, path)
    _fill(path, {"បញ្ញាសិប្បនិម្មិត": ("comment", ""), "គំរូ": ("reject", "")})
    concept = project / "terms" / "artificial-intelligence.toml"
    before = concept.read_bytes()
    for _ in range(2):
        result = cli("review", "import", str(path), "--by", "Sok Dara")
        assert result.exit_code == 1, result.output
        assert "the comment cell is empty" in result.output
    assert "1 refused" in result.output
    assert concept.read_bytes() == before
    rejected = tomllib.loads((project / "terms" / "ai-model.toml").read_text("utf-8"))
    assert {t["text"]: t["review"] for t in rejected["km"]["terms"]}["គំរូ"] == "rejected"


def test_review_approve_records_the_command_in_the_history(cli, project: Path) -> None:
    result = cli("review", "approve", "ai-model", "--by", "Chan Sophea", "--note", "ok")
    assert result.exit_code == 0, result.output
    data = tomllib.loads((project / "terms" / "ai-model.toml").read_text("utf-8"))
    assert data["km"]["terms"][0]["history"] == [
        {"state": "approved", "by": "Chan Sophea", "on": date.today(),
         "via": "glossary review approve", "note": "ok"}]
    assert cli("check").exit_code == 0


def test_a_bad_decision_is_refused_with_its_row(cli, project: Path, tmp_path: Path) -> None:
    path = tmp_path / "review.xlsx"
    _sheet(cli, path)
    _fill(path, {"គំរូ": ("maybe", "")})
    result = cli("review", "import", str(path), "--by", "Sok Dara")
    assert result.exit_code == 2
    assert "review.xlsx:" in result.output and "decision 'maybe' is not allowed" in result.output


def test_the_concept_page_shows_the_review_history(cli, project: Path, no_ambient_git) -> None:
    assert cli("review", "approve", "ai-model", "--by", "Chan Sophea", "--note", "ok"
               ).exit_code == 0
    assert cli("build", "--only", "site").exit_code == 0
    page = (project / "build" / "site" / "concepts" / "ai-model.html").read_text("utf-8")
    assert "Chan Sophea (glossary review approve): ok</span>" in page


def test_the_review_record_comes_back_from_the_parse_cache(cli, project: Path) -> None:
    from glossary import loader
    from glossary.config import load_settings

    assert cli("review", "approve", "ai-model", "--by", "Chan Sophea").exit_code == 0
    import os

    for path in (project / "terms").glob("*.toml"):  # older than the racy-file window
        os.utime(path, (1_700_000_000, 1_700_000_000))
    settings = load_settings(cwd=project)
    cold = loader.load(settings)
    warm = loader.load(settings)  # from build/.cache/
    assert warm.files_read == 0 and warm.cache_notice is None
    [event] = warm.glossary.concept("ai-model").km.terms[0].review.history
    assert (event.state, event.by, event.via) == ("approved", "Chan Sophea",
                                                  "glossary review approve")
    assert warm.glossary == cold.glossary


def test_a_renamed_review_sheet_is_found_by_its_columns(cli, project: Path,
                                                        tmp_path: Path) -> None:
    path = tmp_path / "review.xlsx"
    _sheet(cli, path)
    _fill(path, {"គំរូបញ្ញាសិប្បនិម្មិត": ("approve", "clear and in use")})
    book = load_workbook(path)
    book["review"].title = "ពិនិត្យ"  # the reviewer's own name for it
    book.create_sheet("notes", 0)["A1"] = "asked the legal team"
    book.save(path)
    result = cli("review", "import", str(path), "--by", "Sok Dara")
    assert result.exit_code == 0, result.output
    assert "1 approved" in result.output
    del book["ពិនិត្យ"]
    book.save(path)
    result = cli("review", "import", str(path), "--by", "Sok Dara")
    assert result.exit_code == 2
    assert "no sheet named 'review', and no sheet has its columns (the workbook's sheets: " \
           "notes)" in result.stderr


def test_a_reviewer_decides_on_khmer_definitions_in_the_sheet(cli, project: Path,
                                                             tmp_path: Path) -> None:
    """A concept's Khmer definition in review has a row of its own after its terms
    (term ``definition``); its decision is recorded on the definition, with the review
    history; a definition edited since the sheet was made is refused."""
    path = tmp_path / "review.xlsx"
    _sheet(cli, path)
    rows = [dict(zip(COLUMNS, r, strict=True))
            for r in load_workbook(path)["review"].iter_rows(min_row=2, values_only=True)]
    model = [r for r in rows if r["concept"] == "ai-model"]
    assert [r["term"] for r in model] == ["0", "1", "definition"]
    definition = model[-1]
    assert definition["khmer"] == definition["definition_km"] != ""
    assert (definition["english"], definition["state"]) == ("AI model", "proposed")
    transparency = next(r for r in rows if r["concept"] == "transparency"
                        and r["term"] == "definition")
    _fill(path, {definition["khmer"]: ("approve", "ច្បាស់"),
                 transparency["khmer"]: ("reject", "say who is told")})
    result = cli("review", "import", str(path), "--by", "Sok Dara", "--format", "json")
    assert result.exit_code == 0, result.output
    outcomes = {(r["concept"], r["definition"]): r["outcome"]
                for r in json.loads(result.stdout)["rows"]}
    assert outcomes == {("ai-model", True): "approved", ("transparency", True): "rejected"}
    data = tomllib.loads((project / "terms" / "ai-model.toml").read_text("utf-8"))
    approved = data["km"]["definition"]
    assert (approved["review"], approved["approved_by"]) == ("approved", "Sok Dara")
    assert approved["history"][-1] == {"state": "approved", "by": "Sok Dara",
                                       "on": date.today(),
                                       "via": "review sheet review.xlsx", "note": "ច្បាស់"}
    assert all(t["review"] == "proposed" for t in data["km"]["terms"])  # terms untouched
    again = cli("review", "import", str(path), "--by", "Sok Dara")
    assert "0 approved, 0 rejected, 0 comment(s), 2 unchanged, 0 refused" in again.output
    assert cli("check").exit_code == 0

    # the definition is edited after a new sheet was made: its decision is refused
    _sheet(cli, path, "--state", "rejected")
    concept = project / "terms" / "transparency.toml"
    concept.write_text(concept.read_text("utf-8").replace(
        transparency["khmer"], transparency["khmer"] + " ថ្មី"), encoding="utf-8")
    _fill(path, {transparency["khmer"]: ("approve", "")})
    refused = cli("review", "import", str(path), "--by", "Sok Dara")
    assert refused.exit_code == 1
    assert "the definition changed since the sheet was made" in refused.output
