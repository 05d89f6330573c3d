"""Typed access to parsed TOML for :mod:`glossary.source`: every value read is checked
(type, allowed keys, enum values), each mistake becomes a located :class:`Problem`
instead of an exception, and every text value is normalized (Khmer) on the way in and
kept as typed in a :class:`TextField` for the checks of :mod:`glossary.validate`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from glossary import khmer
from glossary.model import by_value
from glossary.problems import KeyPath, Level, Problem


@dataclass(frozen=True, slots=True)
class TextField:
    """One text value as typed (``raw``) and as stored (``value``)."""

    keypath: KeyPath
    raw: str
    value: str
    lang: str | None
    is_term: bool = False
    dnt: bool = False


class Reader:
    """Typed access to parsed TOML that records problems instead of raising."""

    def __init__(self, path: Path, fold_coeng_da: bool = True) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.fields: list[TextField] = []
        self.fold = fold_coeng_da

    def problem(
        self, code: str, keypath: KeyPath, message: str, hint: str | None = None,
        level: Level = Level.ERROR,
    ) -> None:
        hint = hint or _DEFAULT_HINTS.get(code) or _TYPE_HINTS.get(message.split(",")[0])
        self.problems.append(Problem(code, level, self.path, message, hint, keypath))

    def table(self, value: Any, keypath: KeyPath, allowed: frozenset[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.problem("wrong-type", keypath, f"must be a table, not {_type(value)}")
            return {}
        if allowed.issuperset(value):
            return value
        for key in sorted(set(value) - allowed):
            self.problem(
                "unknown-field", (*keypath, key), "unknown field",
                hint="allowed: " + ", ".join(sorted(allowed)),
            )
        return value

    def string(
        self, table: dict[str, Any], key: str, keypath: KeyPath, *, required: bool = False,
        lang: str | None = None, is_term: bool = False, dnt: bool = False,
    ) -> str | None:
        value = table.get(key)
        path = (*keypath, key)
        if value is None:
            if required:
                self.problem("missing-field", path, "required field is missing")
            return None
        if not isinstance(value, str):
            self.problem("wrong-type", path, f"must be a string, not {_type(value)}")
            return None
        normalized = khmer.normalize(value, fold_coeng_da=self.fold)
        self.fields.append(TextField(path, value, normalized, lang, is_term, dnt))
        if required and not normalized.strip():
            self.problem("empty-field", path, "must not be empty")
        return normalized

    def plain(self, table: dict[str, Any], key: str, keypath: KeyPath) -> str | None:
        """A string that is an identifier or a name, not glossary text."""
        value = table.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            self.problem("wrong-type", (*keypath, key), f"must be a string, not {_type(value)}")
            return None
        return value

    def integer(self, table: dict[str, Any], key: str, keypath: KeyPath) -> int | None:
        value = table.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem("wrong-type", (*keypath, key), f"must be an integer, not {_type(value)}")
            return None
        return value

    def boolean(self, table: dict[str, Any], key: str, keypath: KeyPath) -> bool:
        value = table.get(key, False)
        if not isinstance(value, bool):
            self.problem(
                "wrong-type", (*keypath, key), f"must be true or false, not {_type(value)}"
            )
            return False
        return value

    def day(self, table: dict[str, Any], key: str, keypath: KeyPath) -> date | None:
        value = table.get(key)
        if value is None:
            return None
        if isinstance(value, date) and not hasattr(value, "hour"):
            return value
        self.problem(
            "wrong-type", (*keypath, key), f"must be a date, not {_type(value)}",
            hint="write it unquoted, e.g. 2026-01-31",
        )
        return None

    def strings(
        self, table: dict[str, Any], key: str, keypath: KeyPath, *, text: bool = False
    ) -> tuple[str, ...]:
        value = table.get(key, [])
        if isinstance(value, str) and text:
            value = [value]
        if not isinstance(value, list):
            self.problem("wrong-type", (*keypath, key), f"must be a list, not {_type(value)}")
            return ()
        out: list[str] = []
        for i, item in enumerate(value):
            if not isinstance(item, str):
                self.problem(
                    "wrong-type", (*keypath, key, i), f"must be a string, not {_type(item)}"
                )
                continue
            if text:
                normalized = khmer.normalize(item, fold_coeng_da=self.fold)
                self.fields.append(TextField((*keypath, key, i), item, normalized, None))
                out.append(normalized)
            else:
                out.append(item)
        return tuple(out)

    def choice(
        self, table: dict[str, Any], key: str, keypath: KeyPath, enum: type[StrEnum], default: Any
    ) -> Any:
        value = table.get(key)
        if value is None:
            return default
        member = by_value(enum).get(value) if isinstance(value, str) else None
        if member is not None:
            return member
        allowed = ", ".join(item.value for item in enum)
        self.problem(
            "bad-value", (*keypath, key), f"{value!r} is not allowed", hint=f"use {allowed}"
        )
        return default

    def tables(self, table: dict[str, Any], key: str, keypath: KeyPath) -> list[Any]:
        value = table.get(key, [])
        if not isinstance(value, list):
            self.problem(
                "wrong-type", (*keypath, key), f"must be an array of tables, not {_type(value)}",
                hint=f"write each entry under [[{format_key(keypath, key)}]]",
            )
            return []
        return value


_DEFAULT_HINTS = {
    "missing-field": "add it; see the README, 'The terms/ format'",
    "empty-field": "write the text, or remove the field",
}
_TYPE_HINTS = {
    "must be a list": 'write a list in brackets, e.g. ["first", "second"]',
    "must be a string": 'put the text in double quotes, e.g. "text"',
    "must be an integer": "write a whole number without quotes, e.g. 12",
    "must be true or false": "write true or false without quotes",
    "must be a table": "see the README, 'The terms/ format'",
}


def format_key(keypath: KeyPath, key: str) -> str:
    parts = [p for p in keypath if isinstance(p, str)]
    return ".".join([*parts, key])


def _type(value: Any) -> str:
    names = {
        str: "a string", int: "an integer", float: "a number", bool: "a boolean",
        list: "a list", dict: "a table",
    }
    for kind, name in names.items():
        if type(value) is kind:
            return name
    if isinstance(value, date):
        return "a date"
    return type(value).__name__
