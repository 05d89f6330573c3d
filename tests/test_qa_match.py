"""The QA matchers and checks on real Khmer: glossary.qa.reference and glossary.qa.checks."""

import dataclasses

import pytest

from glossary import khmer, source
from glossary.model import AdminStatus, Review, ReviewState
from glossary.qa import Reference, check_paths
from glossary.qa.reference import Role

ZWSP = "\u200b"


@pytest.fixture
def glossary(qa_project):
    return source.load_glossary(qa_project / "terms").glossary


@pytest.fixture
def ref(glossary):
    return Reference(glossary, "approved")


def concepts(hits):
    return [c for hit in hits for c in dict.fromkeys(e.concept for e in hit.entries)]


# --------------------------------------------------------------------------- Khmer

def test_a_correct_term_with_zwsp_inside_matches(ref):
    text = "ក្រសួងការពារទិន្នន័យ" + ZWSP + "ផ្ទាល់" + ZWSP + "ខ្លួន"
    (hit,) = ref.find_khmer(text)
    assert hit.found == "ទិន្នន័យ" + ZWSP + "ផ្ទាល់" + ZWSP + "ខ្លួន"
    assert hit.roles() == {Role.GOOD}
    assert (hit.start, hit.end) == (12, len(text))


def test_a_term_typed_coeng_ro_first_matches():
    typed = "វិទ្យាសាស\u17d2\u179a\u17d2\u178fទិន្នន័យ"  # ស្រ្ត instead of ស្ត្រ
    stored = "វិទ្យាសាស\u17d2\u178f\u17d2\u179aទិន្នន័យ"
    assert typed != stored


def test_coeng_ro_first_is_the_same_term(ref):
    text = "និស្សិតរៀនវិទ្យាសាស\u17d2\u179a\u17d2\u178fទិន្នន័យ។"
    (hit,) = ref.find_khmer(text)
    assert concepts([hit]) == ["data-science"]
    assert hit.roles() == {Role.GOOD}
    assert hit.found == "វិទ្យាសាស\u17d2\u179a\u17d2\u178fទិន្នន័យ"


def test_a_deprecated_term_is_found_with_its_role(ref):
    (hit,) = ref.find_khmer("លុបទិន្នន័យឯកជន")
    assert hit.found == "ទិន្នន័យឯកជន"
    assert hit.roles() == {Role.DEPRECATED}
    assert ref.suggestion("personal-data").text == "ទិន្នន័យផ្ទាល់ខ្លួន"


def test_a_match_never_ends_inside_a_cluster(ref):
    # គោលនយោបាយ followed by a subscript would be another cluster: no match
    assert ref.find_khmer("គោលនយោបាយ\u17d2រ") == []
    assert concepts(ref.find_khmer("គោលនយោបាយជាតិ")) == ["policy"]


def test_the_longest_term_wins(ref):
    # គំរូ (ai-model, admitted) inside គំរូបញ្ញាសិប្បនិម្មិត (ai-model, preferred) and
    # បញ្ញាសិប្បនិម្មិត (artificial-intelligence): one hit, the long one
    (hit,) = ref.find_khmer("គំរូបញ្ញាសិប្បនិម្មិតថ្មី")
    assert hit.found == "គំរូបញ្ញាសិប្បនិម្មិត"


def test_review_threshold_decides_what_is_good(glossary):
    approved = Reference(glossary, "approved")
    proposed = Reference(glossary, "proposed")
    assert approved.good["ai-model"] == ()
    assert [t.text for t in proposed.good["ai-model"]] == ["គំរូបញ្ញាសិប្បនិម្មិត", "គំរូ"]
    # a superseded term whose status is only proposed counts from "proposed" on
    assert approved.find_khmer("ការគ្រប់គ្រងកិច្ចការ")[0].roles() == {Role.NEUTRAL}
    assert proposed.find_khmer("ការគ្រប់គ្រងកិច្ចការ")[0].roles() == {Role.DEPRECATED}
    # rejected is rejected at every threshold
    for ref in (approved, proposed):
        assert ref.find_khmer("ព័ត៌មានបុគ្គល")[0].roles() == {Role.REJECTED}
    with pytest.raises(ValueError):
        Reference(glossary, "draft")


def test_a_latin_term_kept_in_khmer_text_is_a_whole_word(glossary):
    ref = Reference(glossary, "proposed")
    assert concepts(ref.find_khmer("ប្រព័ន្ធ AI ថ្មី")) == ["artificial-intelligence"]
    assert ref.find_khmer("email") == []
    assert ref.find_khmer("MAIL") == []


# --------------------------------------------------------------------------- English

def found(hits):
    return [(h.found, h.concepts) for h in hits]


def test_english_plurals_and_possessives_match(ref):
    assert found(ref.find_english("Data protection policies and the AI models")) == [
        ("policies", ["policy"]), ("AI models", ["ai-model"])]
    assert found(ref.find_english("the model's output")) == [("model's", ["ai-model"])]
    assert found(ref.find_english("LLMs and Personal Data")) == [
        ("Personal Data", ["personal-data"])]


def test_english_term_inside_a_longer_word_does_not_match(ref):
    text = "Modelling and remodel and supermodels are not the term, nor is transparencyless."
    assert ref.find_english(text) == []


def test_governs_is_not_governance(ref):
    assert ref.find_english("The board governs the programme.") == []
    assert found(ref.find_english("good governance")) == [("governance", ["governance"])]


def test_acronyms_match_only_in_capitals(ref):
    assert ref.find_english("add 5 ml of water, said ai") == []
    assert found(ref.find_english("ML and AI")) == [
        ("ML", ["machine-learning"]), ("AI", ["artificial-intelligence"])]


def test_multi_word_terms_do_not_cross_punctuation(ref):
    assert found(ref.find_english("personal. Data")) == []
    assert found(ref.find_english("personal\ndata")) == [("personal\ndata", ["personal-data"])]
    assert found(ref.find_english("personal\n\ndata")) == []


# --------------------------------------------------------------------------- checks

def run(ref, path):
    return check_paths(ref, [path]).findings


def test_deprecated_term_is_reported_at_its_line_and_column(ref, qa_project):
    (finding,) = run(ref, qa_project / "docs" / "deprecated.md")
    assert (finding.line, finding.column) == (4, 22)
    assert finding.rule == "deprecated-term"
    assert finding.found == "ទិន្នន័យឯកជន"
    assert finding.suggestion == "ទិន្នន័យផ្ទាល់ខ្លួន"
    assert finding.concept == "personal-data"
    line = (qa_project / "docs" / "deprecated.md").read_text(encoding="utf-8").split("\n")[3]
    assert line[finding.column - 1:].startswith(finding.found)
    assert ZWSP in line[:finding.column - 1]  # columns count the ZWSPs before it


@pytest.mark.parametrize("name", ["zwsp-inside.txt", "coeng-ro-first.txt", "longer-word.txt"])
def test_correct_text_has_no_findings(ref, qa_project, name):
    path = qa_project / "docs" / name
    if name == "zwsp-inside.txt":
        assert ZWSP in path.read_text(encoding="utf-8")
    assert run(ref, path) == []


def test_rejected_term_is_an_error(ref, qa_project):
    (finding,) = run(ref, qa_project / "docs" / "rejected.txt")
    assert (finding.rule, finding.severity, finding.line, finding.column) == (
        "rejected-term", "error", 1, 16)
    assert finding.suggestion == "ទិន្នន័យផ្ទាល់ខ្លួន"


def test_english_text_lists_terms_once_per_concept(ref, qa_project):
    findings = run(ref, qa_project / "docs" / "english.md")
    assert [(f.rule, f.line, f.column, f.found, f.concept) for f in findings] == [
        ("glossary-term", 1, 17, "policies", "policy"),
        ("glossary-term", 1, 41, "AI model", "ai-model"),
    ]
    assert all(not f.is_problem for f in findings)
    assert findings[0].suggestion == "គោលនយោបាយ"
    assert "2 occurrences" in findings[0].message  # policies, Policy's


def test_po_checks(ref, qa_project):
    findings = run(ref, qa_project / "docs" / "checks.po")
    assert [(f.line, f.rule, f.found, f.suggestion, f.msgctxt, f.msgid) for f in findings] == [
        (14, "deprecated-term", "ទិន្នន័យឯកជន", "ទិន្នន័យផ្ទាល់ខ្លួន", None, "Delete personal data"),
        (14, "missing-term", "personal data", "ទិន្នន័យផ្ទាល់ខ្លួន", None, "Delete personal data"),
        (27, "missing-term", "Policy", "គោលនយោបាយ", "menu", "Policy"),
    ]
    assert all(f.column is None for f in findings)


def test_po_checks_fuzzy_entries_only_when_asked(ref, qa_project):
    from glossary.qa.checks import check_document
    from glossary.qa.readers import read_document
    from glossary.qa.scope import CheckOptions

    doc = read_document(qa_project / "docs" / "checks.po")
    findings = check_document(ref, doc, "checks.po", CheckOptions(include_fuzzy=True))
    fuzzy = [f for f in findings if f.line == 41]
    assert [(f.rule, f.found, f.msgid) for f in fuzzy] == [
        ("missing-term", "Personal data", "Personal data report")]
    assert "fuzzy" in fuzzy[0].message


def test_po_min_review_proposed_checks_proposed_terms(glossary, qa_project):
    findings = run(Reference(glossary, "proposed"), qa_project / "docs" / "checks.po")
    extra = [f for f in findings if f.concept == "ai-model"]
    assert [(f.line, f.rule, f.found, f.suggestion) for f in extra] == [
        # "model" is the short form: its own Khmer short form is the suggestion
        (22, "missing-term", "model", "គំរូ")]


def test_same_text_good_for_one_concept_and_deprecated_for_another(glossary, tmp_path):
    # គំរូ is admitted for ai-model; make it a deprecated term of policy as well
    approved = Review(state=ReviewState.APPROVED, approved_by="T")
    changed = []
    for concept in glossary.concepts:
        if concept.id == "policy":
            bad = dataclasses.replace(concept.km.terms[0], text="គំរូ",
                                      admin_status=AdminStatus.DEPRECATED, review=approved)
            concept = dataclasses.replace(
                concept, km=dataclasses.replace(concept.km, terms=(*concept.km.terms, bad)))
        changed.append(concept)
    ref = Reference(dataclasses.replace(glossary, concepts=tuple(changed)), "proposed")
    text = tmp_path / "t.txt"
    text.write_text("គំរូថ្មី\n", encoding="utf-8")
    assert run(ref, text) == []  # in plain text nothing tells which concept is meant
    po = tmp_path / "t.po"
    # the msgid mentions both concepts: គំរូ is ai-model's term here
    po.write_text('msgid "A policy model"\nmsgstr "គំរូគោលនយោបាយ"\n', encoding="utf-8")
    assert [f.rule for f in run(ref, po)] == []
    po.write_text('msgid "A policy"\nmsgstr "គំរូ"\n', encoding="utf-8")
    assert sorted(f.rule for f in run(ref, po)) == ["deprecated-term", "missing-term"]


def test_sample_catalogs_run_without_a_crash(ref):
    from tests.conftest import SAMPLES

    paths = sorted((SAMPLES / "po").glob("*.po"))
    assert len(paths) == 4
    report = check_paths(ref, paths)
    assert report.files == 4


def test_real_catalog_zwsp_msgstrs_match_a_glossary_term(glossary, tmp_path):
    """gedit's Khmer translators put ZWSP between words: ``កែ​សម្រួល​ឯកសារ​អត្ថបទ``.
    With a concept for "file" (ឯកសារ), entries that use ឯកសារ are not flagged and
    those that translate "file" otherwise are."""
    from tests.conftest import SAMPLES

    file_concept = dataclasses.replace(
        glossary.concept("policy"), id="file",
        en=dataclasses.replace(glossary.concept("policy").en, terms=(
            dataclasses.replace(glossary.concept("policy").en.terms[0], text="file"),)),
        km=dataclasses.replace(glossary.concept("policy").km, terms=(
            dataclasses.replace(glossary.concept("policy").km.terms[0], text="ឯកសារ"),)),
    )
    ref = Reference(dataclasses.replace(glossary, concepts=(file_concept,)), "approved")
    path = SAMPLES / "po" / "gedit_km.po"
    findings = check_paths(ref, [path]).findings
    flagged = {f.msgid for f in findings}
    assert "Edit text files" not in flagged  # msgstr កែ​សម្រួល​ឯកសារ​អត្ថបទ
    text = path.read_text(encoding="utf-8")
    assert "កែ\u200bសម្រួល\u200bឯកសារ\u200bអត្ថបទ" in text
    assert all(f.rule == "missing-term" and f.concept == "file" for f in findings)
    import polib

    entries = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(path)) if not e.obsolete}
    for finding in findings:  # every flagged msgstr really lacks ឯកសារ
        entry = entries[(finding.msgctxt, finding.msgid)]
        assert "ឯកសារ" not in khmer.search_key(entry.msgstr)
    # entries about files whose translation uses ឯកសារ (often between ZWSPs) pass
    passing = [e for e in entries.values() if e.msgstr and "\u200bឯកសារ" in e.msgstr
               and " file" in e.msgid.lower() and e.msgid not in flagged]
    assert len(passing) > 10
    assert 0 < len(findings) < len(passing)


def test_rejected_term_without_an_approved_replacement_names_the_proposal(glossary, tmp_path):
    concept = glossary.concept("hallucination")
    rejected = dataclasses.replace(concept.km.terms[0], text="ការយល់ច្រឡំ",
                                   admin_status=AdminStatus.ADMITTED,
                                   review=Review(state=ReviewState.REJECTED))
    concept = dataclasses.replace(
        concept, km=dataclasses.replace(concept.km, terms=(*concept.km.terms, rejected)))
    others = tuple(c for c in glossary.concepts if c.id != "hallucination")
    ref = Reference(dataclasses.replace(glossary, concepts=(*others, concept)), "approved")
    path = tmp_path / "t.txt"
    path.write_text("ម៉ាស៊ីនមានការយល់ច្រឡំ\n", encoding="utf-8")
    (finding,) = run(ref, path)
    assert (finding.rule, finding.found, finding.suggestion) == (
        "rejected-term", "ការយល់ច្រឡំ", "ការប្រឌិតចម្លើយ")
    assert finding.message.endswith(
        "no approved term yet; the current proposal is ការប្រឌិតចម្លើយ (proposed)")


def test_checking_restores_the_garbage_collector(ref, qa_project):
    import gc

    assert gc.isenabled()
    run(ref, qa_project / "docs" / "deprecated.md")
    assert gc.isenabled()
    gc.disable()
    try:
        run(ref, qa_project / "docs" / "deprecated.md")
        assert not gc.isenabled()
    finally:
        gc.enable()
    with pytest.raises(Exception, match="not found"):
        run(ref, qa_project / "docs" / "missing.txt")
    assert gc.isenabled()
