"""Import review and apply: what is new, changed, in conflict; nothing lost or overwritten."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
from datetime import date
from pathlib import Path

import polib
import pytest

from glossary import loader, pairs, review
from glossary.errors import LockError, ReviewError
from glossary.imports import proposals
from glossary.lock import terms_lock
from glossary.pairs import IncomingTerm
from tests.gettext.po_helpers import PO_DATA, msgfmt, snapshot, term_texts


def _pair_for(concept, en_index):
    """The pair of English term ``en_index`` of ``concept`` (what exports write)."""
    return next(p for p in pairs.pair_terms(concept) if p.en_index == en_index)


PO = Path("locale/km/LC_MESSAGES/glossary.po")
DAY = date(2026, 3, 1)


def incoming(concept, index, text, en="", fp=None, **kw):
    return IncomingTerm(concept, index, "km", text, en, fp, origin_file="t.po", line=1, **kw)


def fp(en, km):
    return pairs.fingerprint(en, km)


def test_compare_classifies_each_case(po_settings):
    glossary = loader.load(po_settings).glossary
    terms = [
        incoming("fairness", 0, "ភាពយុត្តិធម៌", "fairness", fp("fairness", "យុត្តិធម៌")),
        incoming("confabulation", 0, "ការប្រឌិត", fp=fp(
            'the "made-up" answer \\ confabulation', "")),
        incoming("ai-model", 0, "គំរូបញ្ញាសិប្បនិម្មិត"),
        incoming("bias", 0, "ការលម្អៀង", "bias", fp("bias", "ភាពលម្អៀង")),
        incoming("ai-model", 1, "គំរូថ្មី", "model", "000000000000"),
        incoming("black-box", 0, "ប្រអប់", "black box"),
        incoming("fairness", 0, "យុត្តិធម៌ថ្មី"),
        incoming(None, None, "គំរូធំ", "Large Language Model"),
        incoming(None, None, "x", "no such term"),
        incoming("fairness", 3, "x"),
        IncomingTerm("fairness", 0, "en", "fairness", "fairness"),
    ]
    report = proposals.compare(glossary, terms)
    got = [(i.outcome.value, i.conflict.value if i.conflict else None) for i in report.items]
    assert got == [
        ("candidate", None),
        ("new", None),
        ("unchanged", None),
        ("conflict", "approved"),
        ("conflict", "changed-since-export"),
        ("conflict", "retired"),
        ("conflict", "duplicate"),
        ("candidate", None),  # matched by msgid, case-insensitive
        ("unknown", None),
        ("unknown", None),
        ("unknown", None),
    ]
    assert report.items[7].concept_id == "large-language-model"
    assert report.counts() == {"new": 1, "candidate": 2, "unchanged": 1, "conflict": 4,
                               "unknown": 3}


def test_english_term_changed_since_export(po_settings):
    glossary = loader.load(po_settings).glossary
    report = proposals.compare(glossary, [incoming("ai-model", 1, "គំរូថ្មី", "models")])
    assert report.items[0].conflict is proposals.Conflict.CHANGED_SINCE_EXPORT
    assert "the English term is now 'model'" in report.items[0].reason


def test_zwsp_and_typing_order_do_not_make_a_change(po_settings):
    glossary = loader.load(po_settings).glossary
    report = proposals.compare(glossary, [incoming("fairness", 0, "យុត្តិ\u200bធម៌")])
    assert report.items[0].outcome is proposals.Outcome.UNCHANGED


def test_ambiguous_msgid_is_unknown(po_project, po_settings):
    (po_project / "terms/model-2.toml").write_text(
        'id = "model-2"\ndomains = ["ethics"]\nnotes = ["another sense"]\n'
        '[[sources]]\ndoc = "asean-guide-2024"\nsection = "B.2"\n'
        '[[en.terms]]\ntext = "model"\nreview = "proposed"\n', encoding="utf-8")
    glossary = loader.load(po_settings).glossary
    report = proposals.compare(glossary, [incoming(None, None, "គំរូ", "model")])
    assert report.items[0].outcome is proposals.Outcome.UNKNOWN
    assert "ambiguous" in report.items[0].reason


def test_rejected_text_is_a_conflict(po_project, po_settings):
    review.decide(po_settings.terms_dir, "fairness", state="rejected", by="Sok Dara", today=DAY)
    glossary = loader.load(po_settings).glossary
    report = proposals.compare(glossary, [incoming("fairness", 0, "យុត្តិធម៌")])
    assert report.items[0].conflict is proposals.Conflict.REJECTED_BEFORE


def apply(settings, terms, by="Sok Dara"):
    glossary = loader.load(settings).glossary
    report = proposals.compare(glossary, terms)
    return proposals.apply(report, glossary, settings.terms_dir, by=by, origin="imported:t.po",
                        today=DAY)


def test_apply_candidate_is_added_beside_the_proposal(po_project, po_settings):
    """A different text for a proposed term is a candidate: appended with its evidence;
    the proposal stays as it was (text, review record, comments), nothing superseded."""
    before = term_texts(po_project / "terms")
    term = dataclasses.replace(incoming("fairness", 0, "ភាពយុត្តិធម៌", "fairness"),
                               context="fairness",
                               origin_file="t.po", line=12)
    result = apply(po_settings, [term])
    assert result.added == 1 and result.written == [po_project / "terms/fairness.toml"]
    text = (po_project / "terms/fairness.toml").read_text(encoding="utf-8")
    assert text.startswith("# Fairness — a comment the import must keep\n")
    assert '[[km.terms]]\ntext = "យុត្តិធម៌"   # the proposal under review\n' in text
    loaded = loader.load(po_settings)
    km = loaded.glossary.concept("fairness").km.terms
    assert km[0].text == "យុត្តិធម៌" and km[0].review.state.value == "proposed"
    assert km[0].review.proposed_by == "glossary team"
    assert km[0].admin_status.value == "preferred"
    new = km[-1]
    assert new.text == "ភាពយុត្តិធម៌" and new.admin_status.value == "admitted"
    assert new.review.state.value == "proposed" and new.review.origin == "imported:t.po"
    assert new.review.proposed_by == "Sok Dara" and new.review.proposed_on == DAY
    assert new.review.note.startswith("candidate: an alternative to the proposed 'យុត្តិធម៌'")
    assert "from t.po:12" in new.review.note and "msgctxt 'fairness'" in new.review.note
    assert "English 'fairness'" in new.review.note
    assert not [t for t in km if t.admin_status.value == "superseded"]
    assert not [t for t in km if t.review.state.value == "rejected"]
    assert set(before) <= set(term_texts(po_project / "terms"))
    assert not [p for p in loaded.problems if p.level.value == "error"]
    # the next export still offers the proposal; the candidate waits for a reviewer
    pair = _pair_for(loaded.glossary.concept("fairness"), 0)
    assert pair.km.text == "យុត្តិធម៌"
    # and the same file again is unchanged (not "new" and then "not added"), adds nothing
    glossary = loader.load(po_settings).glossary
    [item] = proposals.compare(glossary, [term]).items
    assert item.outcome is proposals.Outcome.UNCHANGED
    assert "already a Khmer term of the concept" in item.reason
    again = apply(po_settings, [term])
    assert again.added == 0 and again.written == [] and again.skipped == []


def test_apply_never_replaces_an_approved_term(po_project, po_settings):
    result = apply(po_settings, [incoming("bias", 0, "ការលម្អៀង")])
    assert result.added == 1
    km = loader.load(po_settings).glossary.concept("bias").km.terms
    assert km[0].text == "ភាពលម្អៀង" and km[0].review.state.value == "approved"
    assert km[1].text == "ការលម្អៀង" and km[1].review.state.value == "proposed"
    assert km[1].admin_status.value == "admitted"
    assert km[1].review.note.startswith("conflict: the Khmer term is approved by Sok Dara")
    # applying the same file again adds nothing twice
    again = apply(po_settings, [incoming("bias", 0, "ការលម្អៀង")])
    assert again.added == 0 and again.written == []


def test_apply_new_proposal(po_project, po_settings):
    result = apply(po_settings, [incoming("confabulation", 0, "ការប្រឌិត")])
    assert result.added == 1
    km = loader.load(po_settings).glossary.concept("confabulation").km.terms
    assert km[0].text == "ការប្រឌិត" and km[0].admin_status.value == "preferred"
    assert km[0].review.state.value == "proposed" and not km[0].dnt


def test_apply_latin_text_is_marked_do_not_translate(po_project, po_settings):
    apply(po_settings, [incoming("confabulation", 0, "CFB")])
    loaded = loader.load(po_settings)
    assert loaded.glossary.concept("confabulation").km.terms[0].dnt
    assert not [p for p in loaded.problems if p.level.value == "error"]


def test_apply_needs_a_name(po_settings):
    glossary = loader.load(po_settings).glossary
    report = proposals.compare(glossary, [incoming("fairness", 0, "ភាពយុត្តិធម៌")])
    with pytest.raises(ReviewError):
        proposals.apply(report, glossary, po_settings.terms_dir, by=" ", origin="imported:t.po")


def translator_edit(path: Path, out: Path) -> None:
    """Edit an exported PO as a translator would: change msgstrs, clear a fuzzy flag,
    rewrap lines (msgcat -w), and save with CRLF line ends."""
    po = polib.pofile(str(path))
    for entry in po:
        if entry.msgctxt == "fairness":
            entry.msgstr = "ភាពយុត្តិធម៌ និងសមធម៌ក្នុងការសម្រេចចិត្តដោយស្វ័យប្រវត្តិ"
            entry.flags.remove("fuzzy")
        elif entry.msgctxt == "ai-model":
            entry.flags.remove("fuzzy")  # accepted as it is
        elif entry.msgctxt == "confabulation":
            entry.msgstr = "ការប្រឌិតចម្លើយ"
        elif entry.msgctxt == "bias":
            entry.msgstr = "ការលម្អៀង"
    edited = out.with_suffix(".lf.po")
    po.save(str(edited))
    wrapped = out.with_suffix(".wrapped.po")
    subprocess.run(["msgcat", "-w", "30", "-o", str(wrapped), str(edited)], check=True)
    out.write_bytes(wrapped.read_bytes().replace(b"\n", b"\r\n"))


def test_round_trip(run, po_project, tmp_path):
    assert run("export", "po").exit_code == 0
    first_export = (po_project / PO).read_bytes()
    before = term_texts(po_project / "terms")
    returned = tmp_path / "glossary-km.po"
    translator_edit(po_project / PO, returned)
    assert b"\r\n" in returned.read_bytes()
    assert re.search(rb'msgstr ""\r\n"', returned.read_bytes())  # rewrapped
    snap = snapshot(po_project / "terms")
    report = run("import", "po", str(returned))
    assert report.exit_code == 0, report.output
    assert "1 new, 1 candidate, 4 unchanged, 1 conflict, 0 unknown" in report.output
    assert snapshot(po_project / "terms") == snap  # nothing written without --apply
    applied = run("import", "po", str(returned), "--apply", "--by", "Sok Dara")
    assert applied.exit_code == 0, applied.output
    assert "applied: 3 added, 3 file(s) written" in applied.output
    assert run("check").exit_code == 0
    assert set(before) <= set(term_texts(po_project / "terms"))
    # export again: the translator's text is there, still fuzzy until approved
    assert run("export", "po").exit_code == 0
    second = {e.msgctxt: e for e in polib.pofile(str(po_project / PO))}
    assert second["fairness"].msgstr == "យុត្តិធម៌"  # the proposal stays; the candidate
    assert "ភាពយុត្តិធម៌ និងសមធម៌" in second["fairness"].comment  # waits beside it
    assert second["fairness"].fuzzy
    assert second["confabulation"].msgstr == "ការប្រឌិតចម្លើយ"
    assert second["bias"].msgstr == "ភាពលម្អៀង"  # the approved term stays
    assert "ការលម្អៀង (admitted, proposed)" in second["bias"].comment
    assert (po_project / PO).read_bytes() != first_export
    assert msgfmt("-c", "-o", "/dev/null", po_project / PO).returncode == 0
    # importing the new export changes nothing; a re-export is byte-identical
    again = run("import", "po", str(po_project / PO), "--apply", "--by", "Sok Dara")
    assert "applied: 0 added, 0 file(s) written" in again.output
    snapshot_bytes = (po_project / PO).read_bytes()
    run("export", "po")
    assert (po_project / PO).read_bytes() == snapshot_bytes


def test_stale_export_is_a_conflict(run, po_project, tmp_path):
    run("export", "po")
    returned = tmp_path / "old.po"
    translator_edit(po_project / PO, returned)
    # meanwhile the glossary changes the fairness proposal
    path = po_project / "terms/fairness.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('"យុត្តិធម៌"', '"សមធម៌"'),
                    encoding="utf-8")
    data = json.loads(run("import", "po", str(returned), "--format", "json").output)
    fair = next(i for i in data["items"] if i["concept"] == "fairness")
    assert fair["conflict"] == "changed-since-export"
    assert fair["current"] == "សមធម៌"
    run("import", "po", str(returned), "--apply", "--by", "Sok Dara")
    km = [t for t in term_texts(po_project / "terms") if t.startswith(("សមធម៌", "ភាពយុត្តិធម៌"))]
    assert km == ["សមធម៌", "ភាពយុត្តិធម៌ និងសមធម៌ក្នុងការសម្រេចចិត្តដោយស្វ័យប្រវត្តិ"]


def test_apply_without_by_is_refused(run, po_project):
    snap = snapshot(po_project / "terms")
    result = run("import", "po", str(PO_DATA / "editor-returned-crlf.po"), "--apply")
    assert result.exit_code == 2
    assert "--apply needs --by NAME" in result.output
    assert snapshot(po_project / "terms") == snap


def test_lock_held_gives_a_clear_error(run, po_project):
    snap = snapshot(po_project / "terms")
    with terms_lock(po_project / "terms", "a test"):
        result = run("import", "po", str(PO_DATA / "editor-returned-crlf.po"), "--apply",
                     "--by", "Sok Dara")
        assert result.exit_code == 2
        assert "terms/ is locked by another glossary command" in result.output
        assert "a test" in result.output
        result = run("review", "approve", "fairness", "--by", "Sok Dara")
        assert result.exit_code == 2 and "locked" in result.output
        with pytest.raises(LockError):
            review.decide(po_project / "terms", "fairness", state="approved", by="x")
    assert snapshot(po_project / "terms") == snap
    assert run("review", "approve", "fairness", "--by", "Sok Dara").exit_code == 0


def test_review_approve_reject_list(run, po_project):
    (po_project / "terms/fairness.toml").chmod(0o640)
    listed = run("review", "list", "--lang", "km")
    assert listed.exit_code == 0
    assert re.search(r"fairness\s+km\[0\]\s+យុត្តិធម៌\s+preferred", listed.output)
    assert "bias" not in listed.output  # approved already
    result = run("review", "approve", "fairness", "--by", "Sok Dara", "--note", "checked")
    assert result.exit_code == 0, result.output
    assert "fairness km[0] យុត្តិធម៌: proposed → approved by Sok Dara" in result.output
    text = (po_project / "terms/fairness.toml").read_text(encoding="utf-8")
    assert 'approved_by = "Sok Dara"' in text and "approved_on = " in text
    assert 'review_note = "checked"' in text
    assert text.startswith("# Fairness — a comment the import must keep")
    assert (po_project / "terms/fairness.toml").stat().st_mode & 0o777 == 0o640
    result = run("review", "reject", "ai-model", "--term", "1", "--by", "Chan Sophea",
                 "--note", "too vague")
    assert result.exit_code == 0, result.output
    data = json.loads(run("review", "list", "--state", "rejected", "--format", "json").output)
    assert [(d["concept"], d["term"], d["text"]) for d in data] == [("ai-model", 1, "គំរូ")]
    assert re.match(r"rejected by Chan Sophea on \d{4}-\d\d-\d\d: too vague", data[0]["note"])
    approved = json.loads(run("review", "list", "--state", "approved", "--format", "json")
                          .output)
    assert ("fairness", "km") in {(d["concept"], d["lang"]) for d in approved}
    assert run("check").exit_code == 0
    # rejecting an approved term keeps who approved it in the note
    run("review", "reject", "bias", "--by", "Chan Sophea")
    text = (po_project / "terms/bias.toml").read_text(encoding="utf-8")
    assert "was approved by Sok Dara on 2026-01-15; rejected by Chan Sophea" in text
    assert "approved_by" not in text


def test_review_errors(run, po_project):
    assert run("review", "approve", "no-such", "--by", "x").exit_code == 2
    result = run("review", "approve", "fairness", "--term", "5", "--by", "x")
    assert result.exit_code == 2 and "km.terms has no term 5" in result.output
    assert run("review", "approve", "fairness").exit_code == 2  # --by is required
    result = run("review", "approve", "../fairness", "--by", "x")
    assert result.exit_code == 2


def test_conflict_alternative_pairs_with_nothing_until_approved(po_project, po_settings):
    path = po_project / "terms/bias.toml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        '[[km.terms]]', '[[en.terms]]\ntext = "unfair bias"\nadmin_status = "admitted"\n'
        'review = "proposed"\n\n[[km.terms]]'), encoding="utf-8")
    apply(po_settings, [incoming("bias", 0, "ការលម្អៀង")])
    concept = loader.load(po_settings).glossary.concept("bias")
    assert [t.text for t in concept.km.terms] == ["ភាពលម្អៀង", "ការលម្អៀង"]
    assert _pair_for(concept, 1).km is None  # not "unfair bias" → the alternative
    review.decide(po_settings.terms_dir, "bias", state="approved", term=1, by="Chan Sophea",
                  today=DAY)
    concept = loader.load(po_settings).glossary.concept("bias")
    assert concept.km.terms[1].review.note.startswith("approved over an earlier conflict:")
    assert _pair_for(concept, 1).km.text == "ការលម្អៀង"
