"""The search specification's cases (tests/data/search_cases.toml) and how to check a
result list against one; shared by the CLI test and the browser test."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

CASES_FILE = Path(__file__).resolve().parent / "data" / "search_cases.toml"
ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Case:
    query: str
    lang: str
    why: str = ""
    first: str | None = None
    top: list[str] = field(default_factory=list)
    includes: list[str] = field(default_factory=list)
    none: bool = False
    suggest: str | None = None
    more_than: int | None = None

    @property
    def name(self) -> str:
        return f"{self.lang}:{self.query}"


def cases() -> list[Case]:
    data = tomllib.loads(CASES_FILE.read_text(encoding="utf-8"))
    return [Case(**case) for case in data["case"]]


def check(case: Case, ids: list[str], total: int, suggestions: list[str]) -> None:
    """Assert that a search's result ids, total and suggested ids satisfy ``case``."""
    where = f"{case.name} -> {ids[:8]} (total {total}), suggestions {suggestions}"
    if case.first is not None:
        assert ids and ids[0] == case.first, where
    if case.top:
        assert ids[:len(case.top)] == case.top, where
    for ident in case.includes:
        assert ident in ids, where
    if case.none or case.suggest is not None:
        assert ids == [] and total == 0, where
    if case.none:
        assert suggestions == [], where
    if case.suggest is not None:
        assert suggestions and suggestions[0] == case.suggest, where
    if case.more_than is not None:
        assert total > case.more_than and len(ids) <= 100, where
    if ids:
        assert total >= len(ids), where


def glossary_with(concepts: list[tuple[str, list[str]]]):
    """A small Glossary: each concept's first English term is preferred, the others
    admitted."""
    from glossary.model import AdminStatus, Concept, Glossary, LangSection, Term

    return Glossary(tuple(
        Concept(ident, en=LangSection(terms=tuple(
            Term(text, AdminStatus.PREFERRED if i == 0 else AdminStatus.ADMITTED)
            for i, text in enumerate(texts))))
        for ident, texts in concepts))


def deprecated_khmer_term() -> tuple[str, str]:
    """A shipped concept and one of its deprecated Khmer terms that no other concept
    has (read from terms/, so the test follows the content)."""
    found: dict[str, list[str]] = {}
    for path in sorted((ROOT / "terms").glob("[!_]*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for term in data.get("km", {}).get("terms", []):
            found.setdefault(term["text"], []).append(
                path.stem if term.get("admin_status") == "deprecated" else "")
    return next((ids[0], text) for text, ids in found.items() if ids[0] and len(ids) == 1)
