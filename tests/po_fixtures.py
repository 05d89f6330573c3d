"""Fixtures for the gettext and review tests: a small glossary with an approved term,
a concept with two English terms, a do-not-translate acronym, a concept without Khmer
and a retired concept (tests/data/po/terms/)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from glossary.cli import main
from glossary.config import Settings, load_settings

PO_DATA = Path(__file__).resolve().parent / "data" / "po"


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


def msgfmt(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["msgfmt", *map(str, args)], capture_output=True, text=True,
                          check=False)


def term_texts(terms_dir: Path) -> list[str]:
    """Every text value in terms/ (to check that nothing is lost)."""
    import tomllib

    out: list[str] = []
    for path in sorted(terms_dir.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for lang in ("en", "km"):
            out += [t["text"] for t in data.get(lang, {}).get("terms", [])]
    return out


def snapshot(terms_dir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(terms_dir.glob("*.toml"))}
