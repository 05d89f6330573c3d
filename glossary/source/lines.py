"""Where a key of a TOML source file is: the line of ``km.terms[0].text`` in a concept
file, so every problem can be reported as ``path:line``. Read only when there are
problems to report."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from glossary.errors import SourceError
from glossary.problems import KeyPath, Problem
from glossary.source.read import read_text

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\[\]#]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+|\"[^\"]*\")\s*=\s*(.*)$")


def key_lines(text: str) -> dict[KeyPath, int]:
    """Map every table and key path in a TOML text to the line it starts on."""
    lines: dict[KeyPath, int] = {}
    counts: dict[tuple[str, ...], int] = {}
    current: KeyPath = ()
    in_multiline: str | None = None
    # lines as TOML (and an editor) counts them, at LF: str.splitlines() would also cut
    # at a U+2028 or U+0085 inside a string, and every later line would be off by one
    for lineno, line in enumerate(text.split("\n"), 1):
        if in_multiline is not None:
            if in_multiline in line:
                in_multiline = None
            continue
        header = _HEADER.match(line)
        if header:
            names = tuple(p.strip().strip('"') for p in header.group(2).split("."))
            if header.group(1) == "[[":
                counts[names] = counts.get(names, -1) + 1
                for other in list(counts):
                    if len(other) > len(names) and other[: len(names)] == names:
                        del counts[other]
            indexed: list[str | int] = []
            for k in range(1, len(names) + 1):
                indexed.append(names[k - 1])
                if names[:k] in counts:
                    indexed.append(counts[names[:k]])
            current = tuple(indexed)
            for end in range(1, len(current) + 1):  # [[km.terms]] also places km.terms, km
                lines.setdefault(current[:end], lineno)
            continue
        key = _KEY.match(line)
        if key:
            name = key.group(1).strip('"')
            lines.setdefault((*current, name), lineno)
            rest = key.group(2)
            for quote in ('"""', "'''"):
                if rest.startswith(quote) and rest.count(quote) == 1:
                    in_multiline = quote
    return lines


def resolve_lines(problems: Iterable[Problem], texts: dict[Path, str]) -> Iterator[Problem]:
    """Fill in the line of each problem that has a key path but no line yet."""
    cache: dict[Path, dict[KeyPath, int]] = {}
    for problem in problems:
        if problem.line is not None:
            yield problem
            continue
        text = texts.get(problem.path)
        if text is None and problem.path.is_file():
            try:
                text = read_text(problem.path)
            except SourceError:
                text = None
        if text is None:
            yield problem
            continue
        lines = cache.get(problem.path)
        if lines is None:
            lines = cache[problem.path] = key_lines(text)
        line = None
        for end in range(len(problem.keypath), 0, -1):  # the longest known prefix
            line = lines.get(problem.keypath[:end])
            if line is not None:
                break
        yield Problem(problem.code, problem.level, problem.path, problem.message, problem.hint,
                      problem.keypath, line or 1, problem.column)  # 2.5x quicker than replace()
