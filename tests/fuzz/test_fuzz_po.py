"""Fuzzing `glossary import po`: PO files as editors return them, and broken ones.

The only acceptable failure is a clean `Error:` (exit 2, a GlossaryError with a
location); with --apply, every file in terms/ still parses afterwards.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from glossary.cli import main
from tests.fuzz.common import long_fresh, mutate, odd_text, short_fresh
from tests.fuzz.test_fuzz_interchange import assert_valid_after_import, fresh_project


def _run(project: Path, *args: str):
    import os

    old = os.getcwd()
    os.chdir(project)
    try:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


_PO: list[bytes] = []


def _export(project: Path) -> bytes:
    if not _PO:
        with fresh_project() as root:
            result = _run(root, "export", "po")
            assert result.exit_code == 0, result.output
            _PO.append((root / "locale" / "km" / "LC_MESSAGES" / "glossary.po").read_bytes())
    return _PO[0]


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


entries = st.lists(st.tuples(st.sampled_from(["transparency", "hallucination", "nope", ""]),
                             odd_text, odd_text, st.booleans()), max_size=6)
line_ends = st.sampled_from(["\n", "\r\n"])


def _odd_po(items, eol: str) -> bytes:
    lines = ['msgid ""', 'msgstr ""', '"Language: km-KH\\n"',
             '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"',
             '"Content-Type: text/plain; charset=UTF-8\\n"', ""]
    for ctx, msgid, msgstr, fuzzy in items:
        if fuzzy:
            lines.append("#, fuzzy")
        if ctx:
            lines.append(f"msgctxt {_q(ctx)}")
        lines += [f"msgid {_q(msgid or 'x')}", f"msgstr {_q(msgstr)}", ""]
    return eol.join(lines).encode("utf-8", "surrogatepass")


def _check(project: Path, data: bytes, apply: bool) -> None:
    """A fresh project per example; the same invariant as every importer's."""
    with fresh_project() as root:
        assert_valid_after_import(root, "po", data, apply)


@short_fresh
@given(items=entries, eol=line_ends, apply=st.booleans())
def test_odd_po(project: Path, items, eol: str, apply: bool) -> None:
    _check(project, _odd_po(items, eol), apply)


@short_fresh
@given(cuts=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 12), st.binary(max_size=8)),
                     min_size=1, max_size=6), apply=st.booleans())
def test_malformed_po(project: Path, cuts, apply: bool) -> None:
    _check(project, mutate(_export(project), cuts), apply)


@pytest.mark.fuzz
@long_fresh
@given(items=entries, eol=line_ends, apply=st.booleans())
def test_odd_po_long(project: Path, items, eol: str, apply: bool) -> None:
    _check(project, _odd_po(items, eol), apply)


@pytest.mark.fuzz
@long_fresh
@given(cuts=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 12), st.binary(max_size=8)),
                     min_size=1, max_size=6), apply=st.booleans())
def test_malformed_po_long(project: Path, cuts, apply: bool) -> None:
    _check(project, mutate(_export(project), cuts), apply)
