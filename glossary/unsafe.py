"""Characters that cannot survive an output format as they are.

* **Line breakers** other than LF: U+2028 LINE SEPARATOR, U+2029 PARAGRAPH SEPARATOR,
  U+0085 NEXT LINE, and VT, FF, FS, GS, RS. Python's ``str.splitlines()`` (and so
  polib, and many PO tools) breaks lines there, so a raw one in a PO comment turns the
  rest of the comment into PO syntax. The PO writer turns them into new comment lines;
  a PO string cannot hold the Unicode ones, so the export refuses them there.
* **Not XML**: C0 controls other than tab, LF and CR, U+FFFE, U+FFFF and surrogates
  are not characters in XML 1.0: TBX and XLSX exports refuse them with the concept and
  field, rather than dropping them or failing in the XML library.
* **Noncharacters** (U+FDD0–U+FDEF and the last two code points of every plane):
  permanently reserved for a program's internal use; never meant for interchange.

``glossary check`` warns about all of these in terms/ (code ``unsafe-char``).
Pure functions, no I/O.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterator

LINE_BREAKERS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_BREAKER = re.compile(f"[{LINE_BREAKERS}]")
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_NONCHARACTER = re.compile(
    "[\ufdd0-\ufdef"
    + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}"
              for plane in range(17))
    + "]")
_WARN = re.compile(f"[\u2028\u2029]|{_NONCHARACTER.pattern}")


def name(char: str) -> str:
    """``U+2028 LINE SEPARATOR``: how messages name a character."""
    fallback = "NONCHARACTER" if _NONCHARACTER.match(char) else "CONTROL CHARACTER"
    return f"U+{ord(char):04X} {unicodedata.name(char, fallback)}"


def line_breaker(text: str) -> str | None:
    match = _BREAKER.search(text)
    return match.group() if match else None


def not_xml(text: str) -> str | None:
    match = NOT_XML.search(text)
    return match.group() if match else None


def check_warning(text: str) -> str | None:
    """The first character ``check`` warns about (separators, noncharacters)."""
    match = _WARN.search(text)
    return match.group() if match else None


def split_lines(text: str) -> list[str]:
    """``text`` cut at LF, CR and every line breaker (as ``str.splitlines`` would)."""
    return text.splitlines() or [""]


def strings(value: object, path: str = "") -> Iterator[tuple[str, str]]:
    """Every string inside a model object (a concept, a term…), with its field path
    (``km.terms[0].text``)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, tuple | list):
        for k, item in enumerate(value):
            yield from strings(item, f"{path}[{k}]")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from strings(getattr(value, f.name), f"{path}.{f.name}" if path else f.name)


def first_not_xml(concepts: object) -> tuple[str, str, str] | None:
    """The first (concept id, field, character) that XML cannot hold, if any."""
    for concept in concepts:  # type: ignore[attr-defined]
        for path, text in strings(concept):
            char = not_xml(text)
            if char is not None:
                return concept.id, path, char
    return None
