"""Fuzzing the terms/ reader: valid-but-odd and malformed concept files.

The only acceptable failure is a GlossaryError with a location; `load_concept_file`
itself never raises (it reports problems). Short run by default; `pytest -m fuzz`
runs 10,000 examples per strategy.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from glossary import pipeline, source, validate
from glossary.config import load_settings
from glossary.errors import GlossaryError
from glossary.model import Glossary
from tests.conftest import MINI
from tests.fuzz.common import long, mutate, odd_text, short

VALID = (MINI / "terms" / "hallucination.toml").read_bytes()


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def concept_text(en: str, km: str, definition: str, note: str, page: int) -> str:
    return (
        f'id = "fuzzed"\ndomains = ["foundations"]\nnotes = [{_q(note)}]\n\n'
        f'[[sources]]\ndoc = "asean-guide-2024"\nsection = "A.4"\npage = {page}\n\n'
        f'[en.definition]\ntext = {_q(definition)}\nreview = "proposed"\n\n'
        f'[[en.terms]]\ntext = {_q(en)}\nreview = "proposed"\n\n'
        f'[[km.terms]]\ntext = {_q(km)}\nreview = "proposed"\norigin = "machine-assisted"\n'
    )


odd_concepts = st.builds(concept_text, odd_text, odd_text, odd_text, odd_text,
                         st.integers(-10**12, 10**12))
mutations = st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 8), st.binary(max_size=6)),
                     min_size=1, max_size=6)


def _check_file(path: Path) -> None:
    loaded = source.load_concept_file(path)  # must not raise
    for problem in loaded.problems:
        assert problem.path == path
        assert problem.code and problem.message
    glossary = Glossary(concepts=(loaded.concept,) if loaded.concept else ())
    for problem in [*validate.file_problems(loaded, glossary),
                    *validate.cross_file_problems([loaded], glossary)]:
        assert problem.line is not None and problem.line >= 1, problem


def _run_pipeline(project: Path) -> None:
    settings = load_settings(cwd=project)
    try:
        pipeline.build(settings, ["db"])
    except GlossaryError as exc:  # the only acceptable failure
        assert exc.message
        if exc.path is not None and exc.line is not None:
            assert exc.line >= 1


def _odd(project: Path, text: str) -> None:
    path = project / "terms" / "fuzzed.toml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    _check_file(path)
    _run_pipeline(project)


def _malformed(project: Path, cuts) -> None:
    path = project / "terms" / "fuzzed.toml"
    path.write_bytes(mutate(VALID, cuts))
    _check_file(path)
    _run_pipeline(project)


@short
@given(text=odd_concepts)
def test_odd_concepts(project: Path, text: str) -> None:
    _odd(project, text)


@short
@given(cuts=mutations)
def test_malformed_concepts(project: Path, cuts) -> None:
    _malformed(project, cuts)


@pytest.mark.fuzz
@long
@given(text=odd_concepts)
def test_odd_concepts_long(project: Path, text: str) -> None:
    _odd(project, text)


@pytest.mark.fuzz
@long
@given(cuts=mutations)
def test_malformed_concepts_long(project: Path, cuts) -> None:
    _malformed(project, cuts)
