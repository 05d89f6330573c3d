"""Shared fixtures: a small real glossary copied into a temporary project."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from glossary.cli import main
from glossary.config import Settings, load_settings

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
MINI = DATA / "mini"
SHARED = ROOT.parent / "shared"
SAMPLES = SHARED / "samples"


def add_openness(project: Path) -> None:
    """Add a concept to the mini glossary: ``openness``, a copy of ``transparency``
    with its own English and Khmer terms."""
    text = (project / "terms" / "transparency.toml").read_text(encoding="utf-8")
    (project / "terms" / "openness.toml").write_text(
        text.replace('id = "transparency"', 'id = "openness"')
        .replace('text = "transparency"', 'text = "openness"')
        .replace('text = "តម្លាភាព"', 'text = "ភាពបើកចំហ"'), encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder with the mini glossary in terms/ and a pyproject.toml."""
    shutil.copytree(MINI / "terms", tmp_path / "terms")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.glossary]\nterms = "terms"\nbuild = "build"\nlocale = "locale"\n',
        encoding="utf-8",
    )
    return tmp_path


@pytest.fixture
def settings(project: Path) -> Settings:
    return load_settings(cwd=project)


@pytest.fixture
def cli(project: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run the real CLI in the project folder: ``cli("check", "--strict")``."""
    monkeypatch.chdir(project)

    def run(*args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)

    return run


def write_concept(project: Path, name: str, text: str) -> Path:
    path = project / "terms" / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


QA_DATA = DATA / "qa"


@pytest.fixture
def qa_project(project: Path) -> Path:
    """The mini glossary plus the QA concepts of tests/data/qa/terms (approved,
    deprecated and rejected Khmer terms), with the QA documents in docs/."""
    for path in sorted((QA_DATA / "terms").glob("*.toml")):
        shutil.copy(path, project / "terms" / path.name)
    shutil.copytree(QA_DATA / "docs", project / "docs")
    return project


@pytest.fixture
def no_ambient_git(tmp_path_factory: pytest.TempPathFactory,
                   monkeypatch: pytest.MonkeyPatch) -> None:
    """git finds no repository above the test's temporary folders (the site's changes
    page looks for one), whatever the machine running the tests has around them."""
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path_factory.getbasetemp()))
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY"):
        monkeypatch.delenv(name, raising=False)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Long fuzz runs only when asked for by name (``-m fuzz``): a ``-m`` expression
    that does not mention them (``-m 'not browser'``) replaces the default
    ``-m 'not fuzz'`` of pyproject.toml, and must not start them."""
    if "fuzz" in (config.option.markexpr or ""):
        return
    kept = [item for item in items if item.get_closest_marker("fuzz") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept
