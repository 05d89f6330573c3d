"""The trust rule: only a named reviewer's decision approves or rejects a term.

An import adds proposals; review columns in a file ("approved by X") are never taken as
someone's decision, except with ``--decisions --by NAME``, which records them as NAME's.
"""

from __future__ import annotations

import json
import tomllib
from datetime import date
from pathlib import Path

from glossary import loader
from glossary.config import load_settings
from glossary.model import ReviewState
from tests.conftest import DATA

CSV = DATA / "csv"


def _terms(project: Path, concept: str) -> list[dict]:
    data = tomllib.loads((project / "terms" / f"{concept}.toml").read_text("utf-8"))
    return data["en"]["terms"] + data.get("km", {}).get("terms", [])


def test_forged_review_columns_approve_nothing(cli, project: Path) -> None:
    """A CSV in the export layout claims approvals by other people: nothing becomes
    approved, the claims are kept as notes, and --by NAME is who proposed."""
    result = cli("import", "csv", str(CSV / "forged_approval.csv"), "--apply", "--by", "Tester",
                 "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["new_concepts"] == ["deepfake"]
    assert any("read as proposals" in k for k in report["skipped"])
    glossary = loader.load(load_settings(cwd=project)).glossary
    approved = [(c.id, t.text) for c in glossary.concepts for code in ("en", "km")
                for t in c.lang(code).terms if t.review.state is ReviewState.APPROVED]
    assert approved == []
    model = glossary.concept("ai-model")
    assert model is not None
    assert model.km.terms[0].review.state is ReviewState.PROPOSED  # untouched
    assert model.km.terms[0].review.note is None
    deepfake = glossary.concept("deepfake")
    assert deepfake is not None
    for term in (*deepfake.en.terms, *deepfake.km.terms):
        assert term.review.state is ReviewState.PROPOSED
        assert term.review.approved_by is None and term.review.approved_on is None
        assert term.review.note.startswith(
            "the file forged_approval.csv says approved by Forger on 2026-01-15")
    assert cli("check").exit_code == 0
    # nothing reaches the approved-only catalogs
    mo = cli("export", "mo", "-o", str(project / "km.mo"))
    assert "exported 0 approved entries" in mo.output


def test_decisions_are_recorded_as_the_named_reviewers(cli, project: Path) -> None:
    """--decisions --by NAME: the file's approvals and rejections are NAME's, today, from
    this file; a row naming another approver is not NAME's decision."""
    report = cli("import", "csv", str(CSV / "decisions.csv"), "--decisions", "--by", "Sok Dara",
                 "--format", "json")
    assert report.exit_code == 0, report.output
    changes = json.loads(report.stdout)["changes"]
    assert [(c["kind"], c["what"]) for c in changes] == [
        ("changed", "km term 'គំរូបញ្ញាសិប្បនិម្មិត'"), ("changed", "km term 'គំរូ'")]
    applied = cli("import", "csv", str(CSV / "decisions.csv"), "--decisions", "--by",
                  "Sok Dara", "--apply")
    assert applied.exit_code == 0, applied.output
    terms = {t["text"]: t for t in _terms(project, "ai-model")}
    today = date.today()
    chosen = terms["គំរូបញ្ញាសិប្បនិម្មិត"]
    assert (chosen["review"], chosen["approved_by"], chosen["approved_on"]) == (
        "approved", "Sok Dara", today)
    assert "decisions.csv" in chosen["review_note"]
    assert chosen["history"] == [{"state": "approved", "by": "Sok Dara", "on": today,
                                  "via": "glossary import --decisions decisions.csv"}]
    assert chosen["proposed_by"] == "glossary team"  # provenance kept
    assert terms["គំរូ"]["review"] == "rejected"
    assert "rejected by Sok Dara" in terms["គំរូ"]["review_note"]
    assert terms["model"]["review"] == "proposed"  # "approved by Someone Else": not Sok Dara's
    assert cli("check").exit_code == 0
    again = cli("import", "csv", str(CSV / "decisions.csv"), "--decisions", "--by",
                "Sok Dara", "--apply", "--format", "json")
    assert json.loads(again.stdout)["written"] == []


def test_decisions_never_approve_what_the_decider_proposed(cli, project: Path,
                                                          tmp_path: Path) -> None:
    """--decisions --by NAME: an approval in the file of a term NAME proposed (in terms/,
    or as the file says of a new term) stays a proposal, whose note says why; the rest of
    the file's decisions are NAME's; check is clean after."""
    path = project / "terms" / "ai-model.toml"
    text = path.read_text("utf-8")
    km = text.index("[[km.terms]]")
    path.write_text(text[:km] + text[km:].replace('proposed_by = "glossary team"',
                                                  'proposed_by = "Sok Dara"', 1), "utf-8")
    rows = (CSV / "forged_approval.csv").read_text("utf-8").replace("Forger", "Sok  DARA")
    sheet = tmp_path / "own.csv"
    sheet.write_text(rows + (CSV / "decisions.csv").read_text("utf-8").split("\n", 1)[1],
                     "utf-8")
    result = cli("import", "csv", str(sheet), "--decisions", "--by", "sok dara", "--apply",
                 "--format", "json")
    assert result.exit_code == 0, result.output
    assert any("own proposals read as proposals" in k
               for k in json.loads(result.stdout)["skipped"])
    chosen = {t["text"]: t for t in _terms(project, "ai-model")}["គំរូបញ្ញាសិប្បនិម្មិត"]
    assert (chosen["review"], chosen["proposed_by"]) == ("proposed", "Sok Dara")
    assert "approved_by" not in chosen
    rejected = {t["text"]: t for t in _terms(project, "ai-model")}["គំរូ"]
    assert rejected["review"] == "rejected"  # withdrawing is the proposer's right
    for term in _terms(project, "deepfake"):  # new: the file says Sok Dara proposed them
        assert (term["review"], term["proposed_by"]) == ("proposed", "Sok DARA")
        assert "sok dara proposed it, so it is not their decision" in term["review_note"]
    assert cli("check").exit_code == 0, cli("check").output


def test_decisions_need_a_name(cli) -> None:
    result = cli("import", "csv", str(CSV / "decisions.csv"), "--decisions")
    assert result.exit_code == 2
    assert "--decisions needs --by NAME" in result.output


def test_a_plain_import_never_changes_a_review_record(cli, project: Path) -> None:
    """Without --decisions the same file changes no review state at all."""
    before = {p.name: p.read_bytes() for p in (project / "terms").glob("*.toml")}
    result = cli("import", "csv", str(CSV / "decisions.csv"), "--apply", "--by", "Sok Dara",
                 "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["written"] == []
    assert {p.name: p.read_bytes() for p in (project / "terms").glob("*.toml")} == before
    # and the report says so: whoever filled in the review column learns it did nothing
    assert report["skipped"] == {
        "approved states in the file left unrecorded (only --decisions --by NAME records "
        "a decision)": 2,  # model (by Someone Else) and គំរូបញ្ញាសិប្បនិម្មិត
        "rejected states in the file left unrecorded (only --decisions --by NAME records "
        "a decision)": 1}


def test_the_state_alone_agrees_with_the_whole_rule() -> None:
    """Trust.review_state (the report's shortcut) gives decided()'s state and counts the
    same skips, for every state, file kind, --decisions and approver."""
    from glossary.imports.records import InReview, ReadResult
    from glossary.imports.trust import Trust

    for own in (False, True):
        for decisions, by in ((False, None), (False, "Sok"), (True, "Sok")):
            for state in (None, *ReviewState):
                for who in (None, "Sok", "Dara"):
                    reviews = [None, *(InReview(state=state, approved_by=who,
                                                approved_on=date(2026, 1, 31), note="n",
                                                proposed_by=proposer)
                                       for proposer in (None, "sok", "Dara"))]
                    for review in reviews:
                        skips: list[list[str]] = [[], []]
                        got = []
                        for i in (0, 1):
                            result = ReadResult(path=Path("f.tbx"), format="tbx", own=own)
                            trust = Trust(result, by, decisions, date(2026, 2, 1),
                                          skips[i].append)
                            got.append(trust.review_state(review) if i == 0
                                       else trust.decided(review)[0])
                        assert got[0] is got[1], (own, decisions, state, who)
                        assert skips[0] == skips[1]


def test_a_reworded_definition_is_the_proposal_of_who_imports_it(cli, project: Path,
                                                                 tmp_path: Path) -> None:
    """Our own CSV comes back with a Khmer definition reworded: the new text is the
    proposal of the person who runs the import, from that file, today, with the earlier
    text in its review note (it was the glossary team's, machine-assisted). The report
    shows where the two texts differ, not their first words twice."""
    import csv

    out = tmp_path / "terms.csv"
    assert cli("export", "csv", "-o", str(out)).exit_code == 0
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    [row] = [r for r in rows[1:] if r[0] == "transparency" and r[1] == "km"
             and r[header.index("definition")]]
    was = row[header.index("definition")]
    row[header.index("definition")] = was.replace("សមស្រប", "គ្រប់គ្រាន់", 1)
    assert row[header.index("definition")] != was
    with out.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)

    report = json.loads(cli("import", "csv", str(out), "--format", "json").stdout)
    [change] = report["changes"]
    assert (change["kind"], change["what"]) == ("changed", "km definition")
    # from the space before the change (Khmer writes no space between words) to the next
    assert change["detail"] == ("text: '…និងទទួលបានព័ត៌មានសមស្របអំពីគោលបំណង…' → "
                                "'…និងទទួលបានព័ត៌មានគ្រប់គ្រាន់អំពីគោលបំណង…'")
    applied = cli("import", "csv", str(out), "--apply", "--by", "Chan Sophea")
    assert applied.exit_code == 0, applied.output
    data = tomllib.loads((project / "terms" / "transparency.toml").read_text("utf-8"))
    definition = data["km"]["definition"]
    assert definition["text"] == row[header.index("definition")]
    assert (definition["review"], definition["origin"], definition["proposed_by"],
            definition["proposed_on"]) == ("proposed", "imported:terms.csv", "Chan Sophea",
                                           date.today())
    assert definition["review_note"] == f"reworded in terms.csv; was: {was}"
    assert cli("check").exit_code == 0
    again = cli("import", "csv", str(out), "--apply", "--by", "Chan Sophea")
    assert "wrote 0 file(s)" in again.output
