"""Fuzzing `glossary import tbx|csv|xlsx`: exports with odd text, and broken bytes.

The only acceptable failure is a clean `Error:` (exit 2); with --apply, every file in
terms/ still parses and `glossary check` reports no error afterwards. Each example runs
in a fresh copy of the mini glossary. Short run by default; `pytest -m fuzz` for 10,000.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from glossary import source
from glossary.cli import main
from tests.conftest import MINI
from tests.fuzz.common import long_fresh, mutate, odd_text, short_fresh

FORMATS = ("tbx", "csv", "xlsx")


def _run(project: Path, *args: str):
    old = os.getcwd()
    os.chdir(project)
    try:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


@contextmanager
def fresh_project() -> Iterator[Path]:
    """A new copy of the mini glossary for one hypothesis example: an example's --apply
    never leaks into the next (a shared project made failures depend on the order)."""
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        root = Path(tmp)
        shutil.copytree(MINI / "terms", root / "terms")
        (root / "pyproject.toml").write_text(
            '[tool.glossary]\nterms = "terms"\nbuild = "build"\nlocale = "locale"\n',
            encoding="utf-8")
        yield root


_EXPORTS: dict[str, bytes] = {}


def _export(project: Path, fmt: str) -> bytes:
    """The mini glossary's export (the same for every fresh project: made once)."""
    if fmt not in _EXPORTS:
        with fresh_project() as root:
            out = root / f"export.{fmt}"
            result = _run(root, "export", fmt, "-o", str(out))
            assert result.exit_code == 0, result.output
            _EXPORTS[fmt] = out.read_bytes()
    return _EXPORTS[fmt]


def assert_valid_after_import(project: Path, fmt: str, data: bytes, apply: bool) -> None:
    """The invariant of every importer: a clean refusal (exit 2) or a report, and after
    any --apply every terms/ file parses and `glossary check` reports no error."""
    path = project / f"incoming.{fmt}"
    path.write_bytes(data)
    args = ["import", fmt, str(path), "--format", "json"]
    if apply:
        args += ["--apply", "--by", "Fuzz Reviewer"]
    result = _run(project, *args)
    assert result.exit_code in (0, 2), result.output
    if result.exit_code == 2:
        assert result.stderr.startswith("Error: "), result.stderr
    for concept_file in source.concept_paths(project / "terms"):
        loaded = source.load_concept_file(concept_file)
        assert not [p for p in loaded.problems if p.code in source.UNREADABLE_CODES]
    if apply:
        check = _run(project, "check", "--format", "json")
        assert check.exit_code == 0, check.output


def _check(project: Path, fmt: str, data: bytes, apply: bool) -> None:
    with fresh_project() as root:
        assert_valid_after_import(root, fmt, data, apply)


def _odd_csv(project: Path, texts: list[str]) -> bytes:
    """The CSV export with some Khmer term cells replaced by odd text."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(_export(project, "csv").decode("utf-8-sig"))))
    header = rows[0]
    col = header.index("term") if "term" in header else 2
    for i, text in enumerate(texts, start=1):
        if i < len(rows):
            rows[i][col] = text
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8", "surrogatepass")


def _odd_tbx(project: Path, texts: list[str]) -> bytes:
    data = _export(project, "tbx").decode("utf-8")
    for text in texts:
        escaped = json.dumps(text)[1:-1].replace("&", "&amp;").replace("<", "&lt;")
        data = data.replace("<term>", f"<term>{escaped}", 1)
    return data.encode("utf-8")


cuts = st.lists(st.tuples(st.integers(0, 10**7), st.integers(0, 12), st.binary(max_size=8)),
                min_size=1, max_size=6)


@short_fresh
@given(fmt=st.sampled_from(FORMATS), edits=cuts, apply=st.booleans())
def test_malformed_interchange(project: Path, fmt: str, edits, apply: bool) -> None:
    _check(project, fmt, mutate(_export(project, fmt), edits), apply)


@short_fresh
@given(texts=st.lists(odd_text, max_size=4), apply=st.booleans())
def test_odd_csv(project: Path, texts, apply: bool) -> None:
    _check(project, "csv", _odd_csv(project, texts), apply)


@short_fresh
@given(texts=st.lists(odd_text, max_size=4), apply=st.booleans())
def test_odd_tbx(project: Path, texts, apply: bool) -> None:
    _check(project, "tbx", _odd_tbx(project, texts), apply)


@pytest.mark.fuzz
@pytest.mark.parametrize("fmt", FORMATS)
@long_fresh
@given(edits=cuts, apply=st.booleans())
def test_malformed_interchange_long(project: Path, fmt: str, edits, apply: bool) -> None:
    _check(project, fmt, mutate(_export(project, fmt), edits), apply)


@pytest.mark.fuzz
@long_fresh
@given(texts=st.lists(odd_text, max_size=4), apply=st.booleans())
def test_odd_csv_long(project: Path, texts, apply: bool) -> None:
    _check(project, "csv", _odd_csv(project, texts), apply)


@pytest.mark.fuzz
@long_fresh
@given(texts=st.lists(odd_text, max_size=4), apply=st.booleans())
def test_odd_tbx_long(project: Path, texts, apply: bool) -> None:
    _check(project, "tbx", _odd_tbx(project, texts), apply)
