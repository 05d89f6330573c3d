"""glossary import po: PO files as editors return them, real catalogs, malformed files."""

from __future__ import annotations

import json
import shutil

import pytest

from glossary import locale_catalogs
from glossary.errors import FormatError
from glossary.formats import po
from tests.gettext.po_helpers import PO_DATA, snapshot

RETURNED = PO_DATA / "editor-returned-crlf.po"


def test_editor_returned_file_is_read():
    assert b"\r\n" in RETURNED.read_bytes()
    incoming = locale_catalogs.read_po(RETURNED)
    by_context = {t.concept_id if t.term_index == 0 else f"{t.concept_id}#{t.term_index}": t
                  for t in incoming.terms}
    assert by_context["fairness"].text == "ភាពយុត្តិធម៌"
    assert by_context["fairness"].fingerprint == "04c8762174df"
    assert not by_context["fairness"].fuzzy
    assert by_context["ai-model#1"].text == "គំរូគណិតវិទ្យា"  # rewrapped over two lines
    assert by_context["ai-model#1"].fuzzy
    assert by_context["fairness"].line == 20  # the msgctxt line
    reasons = sorted(reason for _, _, reason in incoming.skipped)
    assert reasons == ["obsolete entry (#~)", "plural message"]
    assert any("km-KH" in w for w in incoming.warnings) is False  # km-KH is Khmer
    assert any("Plural-Forms" in w for w in incoming.warnings)


def test_report_of_an_editor_returned_file(run, po_project):
    before = snapshot(po_project / "terms")
    result = run("import", "po", str(RETURNED), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["counts"] == {"new": 0, "candidate": 2, "unchanged": 1, "conflict": 1,
                              "unknown": 1}
    outcome = {(i["concept"], i["term"]): i for i in data["items"]}
    assert outcome[("fairness", 0)]["outcome"] == "candidate"
    assert outcome[("fairness", 0)]["msgctxt"] == "fairness"
    assert outcome[("ai-model", 1)]["outcome"] == "candidate"
    assert outcome[("bias", 0)]["conflict"] == "approved"
    assert outcome[("large-language-model", 0)]["outcome"] == "unchanged"  # by msgid
    assert outcome[(None, None)]["outcome"] == "unknown"
    assert snapshot(po_project / "terms") == before  # nothing written without --apply
    text = run("import", "po", str(RETURNED)).output
    assert "candidates (alternatives to a proposal) (2):" in text
    assert "fairness 'fairness': ភាពយុត្តិធម៌ (beside the proposed យុត្តិធម៌)" in text
    assert "nothing written: run again with --apply --by NAME" in text


@pytest.mark.parametrize("name, line, words", [
    ("unterminated.po", 7, "not terminated"),
    ("garbage-line.po", 6, "not PO syntax"),
    ("not-utf8.po", 7, "not valid UTF-8"),
    ("msgstr-before-msgid.po", 6, "unexpected msgstr"),
])
def test_malformed_files_give_a_located_error(run, po_project, name, line, words):
    with pytest.raises(FormatError) as info:
        po.read(PO_DATA / name)
    assert info.value.line == line
    assert words in info.value.message
    result = run("import", "po", str(PO_DATA / name))
    assert result.exit_code == 2
    assert f"Error: {PO_DATA / name}:{line}:" in result.output
    assert "Traceback" not in result.output


def test_missing_and_empty_files(run, po_project, tmp_path):
    result = run("import", "po", str(tmp_path / "missing.po"))
    assert result.exit_code == 2 and "cannot read file" in result.output
    empty = tmp_path / "empty.po"
    empty.write_bytes(b"")
    result = run("import", "po", str(empty))
    assert result.exit_code == 0 and "0 new" in result.output


@pytest.mark.parametrize("name", ["apt-2.6.1_km.po", "brasero-3.12.3_km.po", "gedit_km.po",
                                  "remmina_km.po"])
def test_real_catalogs_import_and_are_mostly_unknown(run, po_project, tmp_path, samples, name):
    sample = tmp_path / name
    shutil.copyfile(samples / "po" / name, sample)  # read-only share: work on a copy
    before = snapshot(po_project / "terms")
    result = run("import", "po", str(sample), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    counts = data["counts"]
    known = counts["new"] + counts["candidate"] + counts["unchanged"] + counts["conflict"]
    assert counts["unknown"] > 50 * max(known, 1)
    assert data["skipped"]  # untranslated, obsolete or plural entries are listed
    assert all(i["line"] for i in data["items"])
    text = run("import", "po", str(sample)).output
    assert "unknown entries" in text and "… and" in text
    if known == 0:
        assert "note: no entry matches this glossary" in text
    assert snapshot(po_project / "terms") == before


def test_brasero_warning_free_header_and_apt_obsolete(samples):
    brasero = locale_catalogs.read_po(samples / "po" / "brasero-3.12.3_km.po")
    assert not any("Language" in w for w in brasero.warnings)  # km-KH is Khmer
    apt = locale_catalogs.read_po(samples / "po" / "apt-2.6.1_km.po")
    assert sum(1 for _, _, r in apt.skipped if r.startswith("obsolete")) == 141


def test_bom_latin1_and_a_foreign_language(tmp_path):
    bom = tmp_path / "bom.po"
    bom.write_bytes(b"\xef\xbb\xbf" + RETURNED.read_bytes())
    assert len(locale_catalogs.read_po(bom).terms) == len(locale_catalogs.read_po(RETURNED).terms)
    latin = tmp_path / "latin1.po"
    latin.write_bytes(
        b'msgid ""\nmsgstr ""\n"Language: fr\\n"\n'
        b'"Content-Type: text/plain; charset=ISO-8859-1\\n"\n\n'
        b'msgctxt "fairness"\nmsgid "fairness"\nmsgstr "\xe9quit\xe9"\n')
    read = locale_catalogs.read_po(latin)
    assert read.terms[0].text == "équité"
    assert read.warnings == ["the header says Language: fr (expected km)"]


def _returned(run, out, msgstr: str, comment: str = ""):  # type: ignore[no-untyped-def]
    """Our catalog as a translator returns it from Poedit: the ai-model entry's msgstr
    changed, its fuzzy flag cleared, and their comment (a "# " line) added."""
    import polib

    assert run("export", "po", "-o", str(out)).exit_code == 0
    catalog = polib.pofile(str(out))
    entry = catalog.find("AI model", msgctxt="ai-model")
    assert entry is not None and "គំរូ" in entry.comment  # lists the other Khmer terms
    entry.msgstr, entry.flags, entry.tcomment = msgstr, [], comment
    catalog.save(str(out))
    return catalog, entry


def test_a_msgstr_that_is_another_khmer_term_of_the_concept_is_reported(run, po_project,
                                                                          tmp_path):
    # The entry's comment lists the concept's other Khmer terms; a translator who puts
    # one of them in msgstr prefers it. Not new text (nothing to add), not "unchanged".
    out = tmp_path / "km.po"
    catalog, entry = _returned(run, out, "គំរូ")  # the short form, km[1]
    before = snapshot(po_project / "terms")
    data = json.loads(run("import", "po", str(out), "--format", "json").output)
    item = next(i for i in data["items"] if i["msgctxt"] == "ai-model")
    assert (item["outcome"], item["present"], item["current"]) == (
        "candidate", 1, "គំរូបញ្ញាសិប្បនិម្មិត")
    text = run("import", "po", str(out)).output
    assert ("ai-model 'AI model': គំរូ (already km[1] of the concept; the file prefers it "
            "to the proposed គំរូបញ្ញាសិប្បនិម្មិត: a reviewer decides which is preferred)"
            ) in text
    assert "nothing written: run again" not in text
    applied = run("import", "po", str(out), "--apply", "--by", "Sok Dara")
    assert "applied: 0 added, 0 file(s) written" in applied.output
    assert snapshot(po_project / "terms") == before

    # a new text applied once is a pending alternative: the same file again is unchanged
    entry.msgstr = "គំរូ AI"
    catalog.save(str(out))
    assert "applied: 1 added" in run("import", "po", str(out), "--apply", "--by",
                                      "Sok Dara").output
    again = json.loads(run("import", "po", str(out), "--format", "json").output)
    item = next(i for i in again["items"] if i["msgctxt"] == "ai-model")
    assert (item["outcome"], item["present"]) == ("unchanged", None)


def test_the_translators_comment_becomes_the_rationale_of_the_proposal(run, po_project,
                                                                       tmp_path):
    # Poedit's "Comment" field is a "# " line: why the translator chose the text
    import tomllib

    out = tmp_path / "km.po"
    _returned(run, out, "គំរូអេអាយ",
              "ខ្លីជាង ហើយប្រើក្នុងគេហទំព័រក្រសួង\nShorter; the ministry's pages use it.")
    assert "# ខ្លីជាង" in out.read_text("utf-8")
    applied = run("import", "po", str(out), "--apply", "--by", "Sok Dara")
    assert "applied: 1 added" in applied.output, applied.output
    data = tomllib.loads((po_project / "terms" / "ai-model.toml").read_text("utf-8"))
    added = data["km"]["terms"][-1]
    assert added["text"] == "គំរូអេអាយ"
    assert added["rationale"] == ("ខ្លីជាង ហើយប្រើក្នុងគេហទំព័រក្រសួង\n"
                                  "Shorter; the ministry's pages use it.")
    assert added["review_note"].startswith("candidate:")
    assert run("check").exit_code == 0


def test_a_msgstr_that_differs_only_in_spacing_says_so(run, po_project, tmp_path):
    # A space typed inside a Khmer word (បញ្ញា សិប្បនិម្មិត): the reviewer sees at once that
    # the wording is the same and only the spacing is in question. A real rewording is
    # not reported so.
    out = tmp_path / "km.po"
    _returned(run, out, "គំរូបញ្ញា សិប្បនិម្មិត")
    data = json.loads(run("import", "po", str(out), "--format", "json").output)
    item = next(i for i in data["items"] if i["msgctxt"] == "ai-model")
    assert (item["outcome"], item["spacing_only"]) == ("candidate", True)
    assert item["reason"] == "differs from the proposed Khmer term only in spacing"
    text = run("import", "po", str(out)).output
    assert ("ai-model 'AI model': គំរូបញ្ញា សិប្បនិម្មិត (beside the proposed "
            "គំរូបញ្ញាសិប្បនិម្មិត; only the spacing differs)") in text

    _returned(run, out, "គំរូបញ្ញាសិប្បនិម្មិតថ្មី")
    data = json.loads(run("import", "po", str(out), "--format", "json").output)
    item = next(i for i in data["items"] if i["msgctxt"] == "ai-model")
    assert (item["outcome"], item["spacing_only"]) == ("candidate", False)
    assert "only the spacing" not in run("import", "po", str(out)).output
