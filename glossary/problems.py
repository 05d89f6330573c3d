"""Problems found in the glossary's source files: what, where, how to fix."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

KeyPath = tuple[str | int, ...]


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"


def format_keypath(keypath: KeyPath) -> str:
    """``("km", "terms", 0, "text")`` → ``km.terms[0].text``."""
    out = ""
    for part in keypath:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


@dataclass(frozen=True, slots=True)
class Problem:
    code: str
    level: Level
    path: Path
    message: str
    hint: str | None = None
    keypath: KeyPath = ()
    line: int | None = None
    column: int | None = None

    def shown_path(self, root: Path | None) -> Path:
        """The file, relative to ``root`` when it is inside it."""
        if root is not None:
            with contextlib.suppress(ValueError):
                return self.path.relative_to(root)
        return self.path

    def format(self, root: Path | None = None) -> str:
        path = self.shown_path(root)
        loc = f"{path}:{self.line}" if self.line is not None else f"{path}"
        where = format_keypath(self.keypath)
        text = f"{loc}: {self.code}: "
        text += f"{where}: {self.message}" if where else self.message
        if self.hint:
            text += f" ({self.hint})"
        return text

    def as_dict(self, root: Path | None = None) -> dict[str, object]:
        return {
            "path": str(self.shown_path(root)),
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "level": str(self.level),
            "field": format_keypath(self.keypath) or None,
            "message": self.message,
            "hint": self.hint,
        }
