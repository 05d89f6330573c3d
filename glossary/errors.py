"""The one error hierarchy of the package.

Every error a user can cause is a :class:`GlossaryError`. It carries the file and,
where known, the line and column, so the CLI can print it like a compiler would.
"""

from __future__ import annotations

from pathlib import Path


class GlossaryError(Exception):
    """A problem the user can fix. ``hint`` says how."""

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.column = column
        self.hint = hint

    @property
    def location(self) -> str:
        if self.path is None:
            return ""
        loc = str(self.path)
        if self.line is not None:
            loc += f":{self.line}"
            if self.column is not None:
                loc += f":{self.column}"
        return loc

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}" if self.location else self.message
        if self.hint:
            text += f" ({self.hint})"
        return text


class ConfigError(GlossaryError):
    """Settings or project layout are wrong (e.g. no terms/ directory)."""


class SourceError(GlossaryError):
    """A file in terms/ cannot be read or parsed."""


class ValidationFailed(GlossaryError):
    """Validation found errors; ``problems`` holds all of them."""

    def __init__(self, problems: list, message: str = "validation failed") -> None:
        super().__init__(message)
        self.problems = problems


class FormatError(GlossaryError):
    """An interchange file (PO, MO, TBX, CSV, XLSX) is malformed."""


class ReviewError(GlossaryError):
    """A review or import operation cannot be carried out as asked."""


class LockError(GlossaryError):
    """Another process holds the terms/ lock."""
