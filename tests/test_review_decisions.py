"""``glossary review approve`` and ``reject`` as a reviewer uses them: the name is
recorded as one line of text (a character that is not text is refused), a decision
run twice is recorded once, and each history entry names the command it came from."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest

CONCEPT = "transparency"


def _term(project: Path, index: int = 0) -> dict:
    data = tomllib.loads((project / "terms" / f"{CONCEPT}.toml").read_text("utf-8"))
    return data["km"]["terms"][index]


def test_a_name_with_a_line_break_is_recorded_on_one_line(cli, project: Path) -> None:
    result = cli("review", "approve", CONCEPT, "--by", "  Sok\n  Dara ")
    assert result.exit_code == 0, result.output
    assert "approved by Sok Dara" in result.output
    term = _term(project)
    assert (term["review"], term["approved_by"]) == ("approved", "Sok Dara")
    assert term["history"][-1]["by"] == "Sok Dara"
    assert cli("check").exit_code == 0


def test_a_khmer_name_is_said_and_kept_normalized(cli, project: Path) -> None:
    typed = "\u1780\u17c6\u17bb \u178a\u17b6\u179a\u17b6"  # ក ំ ុ: the signs typed out of order
    result = cli("review", "approve", CONCEPT, "--by", typed)
    assert result.exit_code == 0, result.output
    assert "approved by កុំ ដារា" in result.output
    term = _term(project)
    assert term["approved_by"] == "កុំ ដារា" == term["history"][-1]["by"]
    assert cli("check", "--strict").exit_code == 0


@pytest.mark.parametrize("name", ["Sok\x07Dara", "Sok \u202eDara", "Sok\x85Dara",
                                  "Sok\u2028Dara"])
def test_a_name_with_a_character_that_is_not_text_is_refused(cli, project: Path,
                                                              name: str) -> None:
    path = project / "terms" / f"{CONCEPT}.toml"
    before = path.read_bytes()
    result = cli("review", "approve", CONCEPT, "--by", name)
    assert result.exit_code == 2
    assert "--by: contains U+" in result.output and "at character" in result.output
    assert path.read_bytes() == before


def test_the_proposer_does_not_approve_their_own_proposal(cli, project: Path) -> None:
    """Four eyes: whoever proposed a term or definition (its proposed_by, whatever the
    case and spacing of the name) does not approve it; they may withdraw it by rejecting
    it, and another reviewer approves it."""
    path = project / "terms" / f"{CONCEPT}.toml"
    proposer = _term(project)["proposed_by"]
    before = path.read_bytes()
    for args in ((), ("--definition",)):
        result = cli("review", "approve", CONCEPT, *args, "--by", f" {proposer.upper()} ")
        assert result.exit_code == 2, result.output
        assert f"{proposer.upper()} proposed it, and a proposal is approved by someone else" \
            in result.output
        assert f"terms/{CONCEPT}.toml" in result.output
    assert path.read_bytes() == before
    assert cli("review", "reject", CONCEPT, "--by", proposer).exit_code == 0  # withdrawn
    assert cli("review", "approve", CONCEPT, "--by", "Sok Dara").exit_code == 0
    assert _term(project)["approved_by"] == "Sok Dara"
    assert cli("check").exit_code == 0


def test_the_same_decision_twice_is_recorded_once(cli, project: Path) -> None:
    path = project / "terms" / f"{CONCEPT}.toml"
    assert cli("review", "approve", CONCEPT, "--by", "Sok Dara").exit_code == 0
    once = path.read_bytes()
    again = cli("review", "approve", CONCEPT, "--by", "Chan Sophea")
    assert again.exit_code == 0
    assert "already approved; nothing recorded" in again.output
    assert path.read_bytes() == once  # the approval keeps its reviewer and date
    assert _term(project)["approved_by"] == "Sok Dara"
    # a note is a further decision: recorded, with the new reviewer
    noted = cli("review", "approve", CONCEPT, "--by", "Chan Sophea", "--note", "checked again")
    assert noted.exit_code == 0 and "approved → approved by Chan Sophea" in noted.output
    term = _term(project)
    assert term["approved_by"] == "Chan Sophea"
    assert [e["by"] for e in term["history"]] == ["Sok Dara", "Chan Sophea"]


def test_history_names_the_command_of_each_decision(cli, project: Path) -> None:
    assert cli("review", "approve", CONCEPT, "--by", "Sok Dara").exit_code == 0
    assert cli("review", "reject", CONCEPT, "--by", "Chan Sophea").exit_code == 0
    again = cli("review", "reject", CONCEPT, "--by", "Chan Sophea")
    assert "already rejected; nothing recorded" in again.output
    term = _term(project)
    assert [(e["state"], e["by"], e["via"]) for e in term["history"]] == [
        ("approved", "Sok Dara", "glossary review approve"),
        ("rejected", "Chan Sophea", "glossary review reject")]
    assert term["history"][-1]["on"] == date.today()
    assert cli("check").exit_code == 0


def test_an_import_is_accepted_under_a_name_that_is_text_only(cli, project: Path,
                                                              tmp_path: Path) -> None:
    """``import --apply --by``: the same rule for the person who accepts the changes."""
    sheet = tmp_path / "km.csv"
    assert cli("export", "csv", "-o", str(sheet)).exit_code == 0
    text = sheet.read_text("utf-8-sig")
    assert text.count("តម្លាភាព,") == 1
    sheet.write_text(text.replace("តម្លាភាព,", "ភាពថ្លា,"), "utf-8")  # a new proposal
    before = {p.name: p.read_bytes() for p in (project / "terms").glob("*.toml")}
    refused = cli("import", "csv", str(sheet), "--apply", "--by", "Sok\u202eDara")
    assert refused.exit_code == 2
    assert "--by: contains U+202E" in refused.output
    assert {p.name: p.read_bytes() for p in (project / "terms").glob("*.toml")} == before
    applied = cli("import", "csv", str(sheet), "--apply", "--by", "Sok\nDara")
    assert applied.exit_code == 0, applied.output
    added = [t for t in _all_km_terms(project) if t["text"] == "ភាពថ្លា"]
    assert [t["proposed_by"] for t in added] == ["Sok Dara"]
    assert cli("check").exit_code == 0


def _all_km_terms(project: Path) -> list[dict]:
    return [t for p in sorted((project / "terms").glob("[!_]*.toml"))
            for t in tomllib.loads(p.read_text("utf-8"))["km"]["terms"]]


def test_review_list_shows_why_a_term_was_chosen(cli, project: Path) -> None:
    import json

    path = project / "terms" / f"{CONCEPT}.toml"
    path.write_text(path.read_text("utf-8").replace(
        'text = "តម្លាភាព"\n',
        'text = "តម្លាភាព"\nrationale = "តម្លា \'clear\' + ភាព \'-ness\':\\nthe word the\\n'
        'ministry uses"\n', 1), encoding="utf-8")
    assert cli("check").exit_code == 0
    plain = cli("review", "list", "--lang", "km").stdout
    assert "why:" not in plain
    lines = cli("review", "list", "--lang", "km", "--why").stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if "តម្លាភាព" in line)
    assert lines[at + 1].split() == ["why:", "តម្លា", "'clear'", "+", "ភាព", "'-ness':", "the",
                                     "word", "the", "ministry", "uses"]
    assert sum(line.lstrip().startswith("why:") for line in lines) == 1  # no other has one
    listed = json.loads(cli("review", "list", "--lang", "km", "--format", "json").stdout)
    term = next(t for t in listed if t["concept"] == CONCEPT)
    assert term["rationale"] == "តម្លា 'clear' + ភាព '-ness':\nthe word the\nministry uses"


def _definition(project: Path, lang: str = "km") -> dict:
    data = tomllib.loads((project / "terms" / f"{CONCEPT}.toml").read_text("utf-8"))
    return data[lang]["definition"]


def test_a_reviewer_approves_or_rejects_a_definition(cli, project: Path) -> None:
    import json

    result = cli("review", "approve", CONCEPT, "--definition", "--by", "Sok Dara")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{CONCEPT} km definition គោលការណ៍ដែលមនុស្ស")
    assert "…: proposed → approved by Sok Dara" in result.output
    definition = _definition(project)
    assert (definition["review"], definition["approved_by"]) == ("approved", "Sok Dara")
    assert definition["approved_on"] == date.today()
    assert definition["history"][-1]["via"] == "glossary review approve"
    assert _term(project)["review"] == "proposed"  # the term is another decision
    path = project / "terms" / f"{CONCEPT}.toml"
    once = path.read_bytes()
    again = cli("review", "approve", CONCEPT, "--definition", "--by", "Chan Sophea")
    assert "already approved; nothing recorded" in again.output
    assert path.read_bytes() == once

    rejected = cli("review", "reject", CONCEPT, "--definition", "--lang", "en", "--by",
                   "Sok Dara", "--note", "say who is told")
    assert rejected.exit_code == 0, rejected.output
    english = _definition(project, "en")
    assert english["review"] == "rejected"
    assert english["review_note"].endswith(": say who is told")
    assert cli("check", "--strict").exit_code == 0

    listed = json.loads(cli("review", "list", "--definitions", "--state", "approved",
                            "--format", "json").stdout)
    assert [(d["concept"], d["lang"], d["term"], d["definition"]) for d in listed] == [
        (CONCEPT, "km", None, True)]
    assert listed[0]["history"][0]["by"] == "Sok Dara"
    stats = json.loads(cli("stats", "--format", "json").stdout)
    assert stats["definition_reviews"]["km"]["approved"] == 1
    assert stats["definition_reviews"]["en"]["rejected"] == 1
    assert "definitions km: 5 (0 draft, 4 proposed, 1 approved, 0 rejected)" in cli(
        "stats").stdout


def test_a_definition_decision_needs_a_definition_and_no_term(cli, project: Path) -> None:
    path = project / "terms" / f"{CONCEPT}.toml"
    before = path.read_bytes()
    both = cli("review", "approve", CONCEPT, "--definition", "--term", "0", "--by", "Sok Dara")
    assert both.exit_code == 2 and "exclude each other" in both.output
    path.write_text(before.decode("utf-8").split("[km.definition]")[0]
                    + "[[km.terms]]" + before.decode("utf-8").split("[[km.terms]]")[1],
                    encoding="utf-8")
    assert cli("check").exit_code == 0
    without = path.read_bytes()
    missing = cli("review", "approve", CONCEPT, "--definition", "--by", "Sok Dara")
    assert missing.exit_code != 0
    assert f"terms/{CONCEPT}.toml" in missing.output and "km has no definition" in missing.output
    assert "[km.definition]" in missing.output  # what to do
    assert path.read_bytes() == without


def test_the_concept_page_says_who_approved_the_definition(cli, project: Path) -> None:
    """A drafter sees on the concept page, under the definition, who approved it and
    when, and the decision's history, as under each term."""
    import re

    note = "ពាក្យច្បាស់"
    assert cli("review", "approve", CONCEPT, "--definition", "--by", "Sok Dara", "--note",
               note).exit_code == 0
    assert cli("build", "--only", "site").exit_code == 0
    for rel in (f"concepts/{CONCEPT}.html", f"km/concepts/{CONCEPT}.html"):
        html = (project / "build" / "site" / rel).read_text("utf-8")
        khmer = html[html.index('aria-labelledby="lang-km"'):]
        record = re.search(r'<p class="definition".*?</p>\s*<p class="definition-meta">.*?</p>'
                           r'\s*<p class="history">(.*?)</p>', khmer, re.S)
        assert record is not None, rel
        assert "Sok Dara" in record[1] and note in record[1]
        assert "glossary review approve" in record[1]
        english = html[html.index('aria-labelledby="lang-en"'):html.index(
            'aria-labelledby="lang-km"')]
        assert "Sok Dara" not in english  # the English definition is still a proposal


def test_review_list_takes_a_domain_as_the_sheet_does(cli, project: Path) -> None:
    """A reviewer for one domain lists only its concepts; a misspelt domain is an error,
    not an empty list that would read as "nothing awaits review"."""
    import json

    def concepts(*args: str) -> set[str]:
        result = cli("review", "list", "--lang", "km", "--format", "json", *args)
        assert result.exit_code == 0, result.output
        return {t["concept"] for t in json.loads(result.stdout)}

    every = concepts()
    in_risk = {p.stem for p in (project / "terms").glob("[!_]*.toml")
               if "risk" in tomllib.loads(p.read_text("utf-8"))["domains"]}
    assert in_risk and in_risk < every
    assert concepts("--domain", "risk") == in_risk
    wrong = cli("review", "list", "--domain", "risks")
    assert wrong.exit_code == 2
    assert "unknown domain 'risks' (use an id from terms/_domains.toml:" in wrong.stderr
