"""An import plans and reports with the cyclic collector paused (its records are acyclic
and many), and a library caller gets the collector back as it was: after a plan, after
a refusal in the middle of a file, and after the report's JSON data."""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from glossary.errors import FormatError
from glossary.imports.plan import plan
from glossary.imports.records import InConcept, InLang, InTerm, ReadResult
from glossary.model import Glossary


@pytest.fixture(autouse=True)
def _clean_collector() -> Iterator[None]:
    gc.unfreeze()
    gc.enable()
    yield
    gc.unfreeze()
    gc.enable()


def _result(texts: list[str], seen: list[bool]) -> ReadResult:
    def stream() -> Iterator[InConcept]:
        for i, text in enumerate(texts):
            seen.append(gc.isenabled())
            yield InConcept(None, InLang(None, (InTerm(text),)), line=i + 1)

    result = ReadResult(path=Path("incoming.tbx"), format="tbx")
    result.concepts = stream()  # type: ignore[assignment]
    return result


def _generation_of(obj: object) -> int | None:
    for generation in range(3):
        if any(o is obj for o in gc.get_objects(generation)):
            return generation
    return None


def test_the_records_stream_with_the_collector_paused_and_it_comes_back() -> None:
    seen: list[bool] = []
    done = plan(Glossary(concepts=()), _result(["model card", "data lineage"], seen),
                keep=False)
    assert seen == [False, False]
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert [c.detail for c in done.changes] == ["model card", "data lineage"]
    assert _generation_of(done.changes) == 2  # kept: not walked by young collections
    data = done.as_dict()
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert data["added"] == 2 and data["changes"][1]["concept"] == "data-lineage"
    assert _generation_of(data["changes"]) == 2


def test_a_refusal_in_the_middle_of_a_file_gives_the_collector_back() -> None:
    seen: list[bool] = []
    with pytest.raises(FormatError, match=re.escape("incoming.tbx:2: en term 1: contains U+001B")):
        plan(Glossary(concepts=()), _result(["model card", "evil\x1b[2J"], seen))
    assert seen == [False, False]
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_disabled_collector_stays_disabled() -> None:
    gc.disable()
    plan(Glossary(concepts=()), _result(["model card"], []), keep=False).as_dict()
    assert not gc.isenabled()
