"""Knowing what is being read: foreign catalogs, fuzzy guesses, MO files, repeated entries."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from glossary import loader
from tests.gettext.po_helpers import PO_DATA, SAMPLES, snapshot

FOREIGN = PO_DATA / "foreign-homonyms.po"


def _states(settings) -> dict[tuple[str, str, int], tuple[str, str, str]]:
    glossary = loader.load(settings).glossary
    return {(c.id, code, i): (t.text, t.admin_status.value, t.review.state.value)
            for c in glossary.concepts for code in ("en", "km")
            for i, t in enumerate(c.lang(code).terms)}


def test_foreign_catalog_is_reported_and_not_matched_by_english(run, po_project):
    before = snapshot(po_project / "terms")
    result = run("import", "po", str(FOREIGN), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["foreign"] is True and data["match_english"] is False
    # bias, model and fairness (three identical entries) match by bare msgid: 5 of 11
    assert (data["matched"], data["entries"]) == (5, 11)
    assert data["warnings"][0].startswith("this looks like a foreign catalog")
    assert data["counts"]["unknown"] == 11
    text = run("import", "po", str(FOREIGN)).output
    assert text.splitlines()[0].endswith(
        "warning: this looks like a foreign catalog, not a `glossary export po`: 5 of 11 "
        "entries (45%) match the glossary; entries without a concept id of this glossary "
        "are not matched by English text (--match-english does)")
    applied = run("import", "po", str(FOREIGN), "--apply", "--by", "Tester")
    assert "applied: 0 added, 0 file(s) written" in applied.output
    assert snapshot(po_project / "terms") == before


def test_foreign_homonyms_with_match_english_leave_every_state_untouched(
        run, po_project, po_settings):
    """--match-english: homonyms come in as candidates and conflicts beside our terms;
    no existing term is superseded, rejected or changed in any way."""
    before = _states(po_settings)
    result = run("import", "po", str(FOREIGN), "--match-english", "--format", "json")
    data = json.loads(result.output)
    assert data["foreign"] is True and data["match_english"] is True
    items = {(i["concept"], i["outcome"], i["conflict"]): i for i in data["items"]
             if i["concept"]}
    assert set(items) == {("bias", "conflict", "approved"), ("ai-model", "candidate", None),
                          ("fairness", "candidate", None)}
    fair = items[("fairness", "candidate", None)]
    assert fair["count"] == 3  # the same text three times: reported once
    assert (fair["msgctxt"], fair["msgid"]) == ("STR_SHARE_FAIR", "fairness")
    text = run("import", "po", str(FOREIGN), "--match-english").output
    assert "(the file: msgctxt 'STR_SHARE_FAIR')" in text
    assert "(3 identical entries)" in text
    applied = run("import", "po", str(FOREIGN), "--match-english", "--apply", "--by", "Tester")
    assert applied.exit_code == 0, applied.output
    after = _states(po_settings)
    assert {k: v for k, v in after.items() if k in before} == before
    added = [after[k] for k in after if k not in before]
    assert sorted(added) == sorted([
        ("ទំនោរពណ៌", "admitted", "proposed"), ("ម៉ូដែលបីវិមាត្រ", "admitted", "proposed"),
        ("ភាពស្មើគ្នា", "admitted", "proposed")])
    fairness = loader.load(po_settings).glossary.concept("fairness")
    note = fairness.km.terms[-1].review.note
    assert note.startswith("candidate:") and "foreign-homonyms.po:" in note
    assert "msgctxt 'STR_SHARE_FAIR'" in note and "English 'fairness'" in note
    assert run("check").exit_code == 0
    again = run("import", "po", str(FOREIGN), "--match-english", "--apply", "--by", "Tester")
    assert "applied: 0 added, 0 file(s) written" in again.output


def test_a_real_foreign_catalog_changes_no_state(run, po_project, po_settings, tmp_path):
    """apt's Khmer catalog (Debian): foreign, and applying it leaves every term as it was."""
    sample = SAMPLES / "po" / "apt-2.6.1_km.po"
    copy = tmp_path / sample.name
    shutil.copy(sample, copy)
    before = _states(po_settings)
    data = json.loads(run("import", "po", str(copy), "--format", "json").output)
    assert data["foreign"] is True
    assert data["entries"] > 300 and data["matched"] * 2 < data["entries"]
    run("import", "po", str(copy), "--match-english", "--apply", "--by", "Tester")
    after = _states(po_settings)
    assert {k: v for k, v in after.items() if k in before} == before
    assert run("check").exit_code == 0


def test_fuzzy_guess_is_skipped_unless_asked(run, po_project):
    path = PO_DATA / "fuzzy-guess.po"
    data = json.loads(run("import", "po", str(path), "--format", "json").output)
    assert data["items"] == []
    assert [s["reason"] for s in data["skipped"]] == [
        "fuzzy entry (a guess, not a translation; --include-fuzzy reads it)"]
    taken = json.loads(run("import", "po", str(path), "--include-fuzzy", "--format",
                           "json").output)
    assert [i["incoming"] for i in taken["items"]] == ["ពណ៌ខ្មៅ"]


def test_our_own_fuzzy_entries_are_read(run, po_project):
    """In our export, fuzzy means "not approved yet": a returned entry is read."""
    assert run("export", "po").exit_code == 0
    path = po_project / "locale/km/LC_MESSAGES/glossary.po"
    data = json.loads(run("import", "po", str(path), "--format", "json").output)
    assert data["foreign"] is False
    assert data["counts"]["unchanged"] > 0
    assert not [s for s in data["skipped"] if "fuzzy" in s["reason"]]


def test_mo_file_is_refused_with_what_to_do(run, po_project):
    mo = PO_DATA / "compiled.mo"
    for args in (("import", "po", str(mo)), ("qa", str(mo))):
        result = run(*args)
        assert result.exit_code == 2, result.output
        assert "this is a compiled MO file" in result.output
        assert "msgunfmt compiled.mo -o compiled.po" in result.output


def test_mo_named_po_is_refused_too(run, po_project, tmp_path: Path):
    fake = tmp_path / "glossary.po"
    fake.write_bytes((PO_DATA / "compiled.mo").read_bytes())
    result = run("import", "po", str(fake))
    assert result.exit_code == 2 and "compiled MO file" in result.output


def test_a_catalog_that_lost_its_msgctxt_is_matched_by_its_references(run, po_project,
                                                                      tmp_path):
    """po2csv then csv2po (a translator's spreadsheet round trip) drops msgctxt, our
    comments and the fuzzy flags, and keeps ``#: terms/ID.toml``: the reference names
    the concept, so the file is still ours, and an English term that two concepts share
    is told apart by it."""
    import polib

    out = tmp_path / "km.po"
    assert run("export", "po", "-o", str(out)).exit_code == 0
    catalog = polib.pofile(str(out))
    for entry in catalog:
        entry.msgctxt, entry.comment, entry.tcomment, entry.flags = None, "", "", []
    [model] = [e for e in catalog if e.msgid == "model"]
    assert model.occurrences == [("terms/ai-model.toml", "")]
    model.msgstr = "គំរូថ្មី"
    both = polib.POEntry(msgid="large model", msgstr="គំរូធំ",
                         occurrences=[("terms/ai-model.toml", ""),
                                      ("terms/large-language-model.toml", "")])
    catalog.append(both)
    catalog.save(str(out))

    data = json.loads(run("import", "po", str(out), "--format", "json").output)
    assert data["foreign"] is False
    items = {i["msgid"]: i for i in data["items"]}
    assert (items["model"]["outcome"], items["model"]["concept"], items["model"]["term"]) == (
        "candidate", "ai-model", 1)
    # two references, two concepts: the entry names neither, and is not matched by English
    assert (items["large model"]["outcome"], items["large model"]["concept"]) == (
        "unknown", None)
    # the file carries no fuzzy flag to clear: an unchanged entry says nothing about one
    assert (items["AI model"]["outcome"], items["AI model"]["reason"]) == (
        "unchanged", "same as the glossary")
