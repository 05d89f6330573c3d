"""Settings: where terms/, build/ and locale/ are.

Read from ``[tool.glossary]`` in the project's ``pyproject.toml`` (found by walking up
from the working directory); command-line options override them.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from glossary.errors import ConfigError


@dataclass(frozen=True)
class SiteSettings:
    """Who publishes the site and how to respond (``[tool.glossary]``, all optional):
    ``publisher``, ``contact`` (an address or URL shown on every page), ``feedback``
    (a ``mailto:`` or form URL for "Suggest a change"; ``{id}``, ``{revision}`` and
    ``{term}`` are filled in, URL-encoded) and ``site_url`` (the published address,
    for "cite this entry")."""

    publisher: str | None = None
    contact: str | None = None
    feedback: str | None = None
    site_url: str | None = None


@dataclass(frozen=True)
class Settings:
    root: Path
    terms_dir: Path
    build_dir: Path
    locale_dir: Path
    fold_coeng_da: bool = True
    site: SiteSettings = field(default_factory=lambda: SiteSettings())

    @property
    def db_path(self) -> Path:
        return self.build_dir / "glossary.db"

    @property
    def cache_dir(self) -> Path:
        """Where the parse cache lives (see glossary.source.cache): build data, never
        published, safe to delete."""
        return self.build_dir / ".cache"


def find_project_root(start: Path) -> Path | None:
    for directory in (start, *start.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            try:
                data = tomllib.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                continue
            if "glossary" in data.get("tool", {}):
                return directory
    return None


def load_settings(
    *,
    cwd: Path | None = None,
    terms_dir: Path | None = None,
    build_dir: Path | None = None,
    locale_dir: Path | None = None,
) -> Settings:
    """Resolve settings; explicit arguments win over ``[tool.glossary]``."""
    cwd = (cwd or Path.cwd()).resolve()
    root = find_project_root(cwd) or cwd
    table: dict[str, object] = {}
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
            table = data.get("tool", {}).get("glossary", {})
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read settings: {exc}", path=pyproject) from exc

    def pick(explicit: Path | None, key: str, default: str) -> Path:
        if explicit is not None:
            return explicit if explicit.is_absolute() else (cwd / explicit)
        value = table.get(key, default)
        if not isinstance(value, str):
            raise ConfigError(
                f"[tool.glossary] {key} must be a string", path=pyproject, hint='e.g. "terms"'
            )
        return root / value

    def text(key: str) -> str | None:
        value = table.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise ConfigError(f"[tool.glossary] {key} must be a string", path=pyproject)
        return value.strip() or None

    fold = table.get("fold_coeng_da", True)
    site = SiteSettings(text("publisher"), text("contact"), text("feedback"), text("site_url"))
    return Settings(
        root=root,
        terms_dir=pick(terms_dir, "terms", "terms"),
        build_dir=pick(build_dir, "build", "build"),
        locale_dir=pick(locale_dir, "locale", "locale"),
        fold_coeng_da=bool(fold),
        site=site,
    )
