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
