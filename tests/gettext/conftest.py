"""Fixtures for the gettext and review tests: a small glossary (tests/data/po/terms/) with
an approved term, a concept with two English terms, a do-not-translate acronym, a concept
without Khmer and a retired concept; and the CLI run inside it."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from glossary.cli import main
from glossary.config import Settings, load_settings
from tests.gettext.po_helpers import PO_DATA, SAMPLES


@pytest.fixture
def samples() -> Path:
    """The real files in ../shared/samples/ (tests/conftest.py's SAMPLES)."""
    return SAMPLES


@pytest.fixture
def po_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(PO_DATA / "terms", tmp_path / "terms")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.glossary]\nterms = "terms"\nbuild = "build"\nlocale = "locale"\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    return tmp_path


@pytest.fixture
def po_settings(po_project: Path) -> Settings:
    return load_settings(cwd=po_project)


@pytest.fixture
def run(po_project: Path) -> Callable[..., Result]:
    """Run the real CLI in the project: ``run("export", "po")``."""

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    return invoke
