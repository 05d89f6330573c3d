"""The JSON data of an interchange import's report: each change as an object with its
fields in order (the report makes them all at once, without a call per change)."""

from __future__ import annotations

import json
from pathlib import Path

from glossary.imports.report import Change, ImportPlan


def test_a_change_is_an_object_of_its_fields_in_order() -> None:
    change = Change("added", "bias", "new concept", "bias / ភាពលំអៀង", 12)
    assert change.as_dict() == {"kind": "added", "concept": "bias", "what": "new concept",
                                "detail": "bias / ភាពលំអៀង", "line": 12}
    assert list(change.as_dict()) == list(Change._fields)
    assert Change("conflict", "-", "entry x").as_dict() == {
        "kind": "conflict", "concept": "-", "what": "entry x", "detail": "", "line": None}


def test_the_report_lists_each_change_as_its_own_object() -> None:
    plan = ImportPlan(Path("in.tbx"), "tbx", True)
    plan.changes = [Change("added", f"c-{i}", "new concept", f"t {i}", i) for i in range(5)]
    plan.changes.append(Change("changed", "c-1", "en definition", "a → b"))
    data = plan.as_dict()
    assert data["changes"] == [c.as_dict() for c in plan.changes]
    assert json.dumps(data["changes"][-1]) == (
        '{"kind": "changed", "concept": "c-1", "what": "en definition", '
        '"detail": "a \\u2192 b", "line": null}')


def test_long_texts_are_shown_where_they_differ() -> None:
    """A change deep in a definition is shown from the word it is in; both sides are
    cut at the same places, and a Khmer excerpt never starts on a vowel or subscript."""
    from glossary.imports.report import changed_parts

    text = ("គម្លាតជាប្រព័ន្ធ ដែលធ្វើឲ្យទិន្នន័យ ការរចនា ឬលទ្ធផលរបស់ប្រព័ន្ធបញ្ញាសិប្បនិម្មិតអនុគ្រោះ "
            "ឬធ្វើឲ្យខាតប្រយោជន៍ដល់មនុស្ស ក្រុម ឬបង្កគ្រោះថ្នាក់នោះទេ។")
    assert changed_parts(text, text + " ថ្មី") == (
        "…ឬបង្កគ្រោះថ្នាក់នោះទេ។", "…ឬបង្កគ្រោះថ្នាក់នោះទេ។ ថ្មី")
    assert changed_parts(text, text.replace("ការរចនា", "ការរៀបចំ")) == (
        "…ការរចនា…", "…ការរៀបចំ…")
    english = ("A systematic deviation that makes an AI system's data, design or outputs "
               "favour or disadvantage some people")
    assert changed_parts(english, english.replace("design", "architecture")) == (
        "…design…", "…architecture…")
    assert changed_parts("Intro " + english, english) == ("Intro A…", "A…")  # an insertion
    long_word = "ក" * 100
    before, after = changed_parts(long_word + "\u17d2\u179a\u17b6", long_word + "\u17b7")
    assert before.startswith("…ក") and after.startswith("…ក")  # not on a sign
    assert before.endswith("ក\u17d2\u179a\u17b6") and after.endswith("ក\u17b7")


def test_short_cuts_between_khmer_clusters() -> None:
    from glossary.imports.report import short

    text = "ក" * 8 + "ស្ត្រី" + "ក" * 10  # the cut falls inside ស្ត្រី
    assert short(text, 12) == "ក" * 8 + "…"
    assert short("transparency", 12) == "transparency"
    assert short("transparency and more", 12) == "transparenc…"
