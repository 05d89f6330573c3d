"""Golden test: the site of the mini glossary, byte for byte.

The expected tree is tests/data/site-golden/ (HTML pages and search-index.js; static/
is checked against the package's files instead). After an intended change to the
templates or the catalogs, regenerate it and review the diff:

    GLOSSARY_REGENERATE_GOLDEN=1 python -m pytest tests/test_site_golden.py
    git diff --stat tests/data/site-golden

The mini project is not in a git repository, so its changes page says so (git is
installed wherever the tests run: .ci/run installs it).
"""

from __future__ import annotations

import os
import shutil

import pytest

from glossary.site.templating import STATIC
from tests.site_support import GOLDEN, build_site, make_project, tree

pytestmark = pytest.mark.usefixtures("no_ambient_git")


def _compared(files: dict[str, bytes]) -> dict[str, bytes]:
    return {k: v for k, v in files.items()
            if not k.startswith("static/") and k != ".manifest.json"}


def test_mini_site_matches_the_golden_tree(tmp_path):
    site = build_site(make_project(tmp_path / "mini"))
    actual = _compared(tree(site))
    if os.environ.get("GLOSSARY_REGENERATE_GOLDEN") == "1":
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for rel, data in actual.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_bytes(data)
    expected = tree(GOLDEN)
    assert sorted(actual) == sorted(expected)
    for rel in expected:
        assert actual[rel] == expected[rel], f"{rel} differs from the golden tree (see module doc)"


def test_static_files_are_copied_verbatim(tmp_path):
    site = build_site(make_project(tmp_path / "mini"))
    shipped = {p.relative_to(STATIC).as_posix(): p.read_bytes()
               for p in STATIC.rglob("*") if p.is_file()}
    copied = {k[len("static/"):]: v for k, v in tree(site).items() if k.startswith("static/")}
    assert copied == shipped
