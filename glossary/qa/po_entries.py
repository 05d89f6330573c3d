"""Read the entries of a PO/POT catalog one at a time, for ``glossary qa``.

polib reads a whole catalog into memory (about 100 times the file: 1.75 GB for 20 MB);
this reader holds one entry. It follows polib's state machine for the parts QA uses
(``msgctxt``, ``msgid``, ``msgid_plural``, ``msgstr``, ``msgstr[n]``, flags, obsolete
``#~`` entries, previous ``#|`` strings) and unescapes strings exactly as polib does
(``\\\\ \\n \\t \\r \\v \\b \\f \\"``; other backslash sequences stay as written), so the
entries and their findings are the ones the polib reader gave. Continuation lines are
collected in a list and joined once (linear); the limits of
:mod:`glossary.limits` (file size, lines, one line, one string) are enforced while
reading. A line is cut at ``\\n``, ``\\r\\n`` or ``\\r`` only: U+2028, U+0085 and the
like inside a string stay in it. Malformed input raises
:class:`~glossary.errors.FormatError` at its line, while the entries are read.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from glossary import limits
from glossary.errors import FormatError
from glossary.formats import po
from glossary.textfile import BOM

__all__ = ["PoUnit", "read_units"]

_HINT = "check the quotes and keywords on that line; msgfmt -c tells more"
_LIMITS = "see \"Limits\" in the README"

# polib's own unescaping (polib.unescape), reproduced so the strings are the same
_UNESCAPE = re.compile(r'\\(\\|n|t|r|v|b|f|")')
_UNESCAPED = {"n": "\n", "t": "\t", "r": "\r", "v": "\v", "b": "\b", "f": "\f",
              "\\": "\\", '"': '"'}
_BAD_QUOTE = re.compile(r'([^\\]|^)"')


def unescape(text: str) -> str:
    if "\\" not in text:
        return text
    return _UNESCAPE.sub(lambda m: _UNESCAPED[m.group(1)], text)


@dataclass(frozen=True, slots=True)
class PoUnit:
    """One entry as read (QA skips the header and obsolete entries)."""

    line: int  # the line of its first msgstr (of its msgid when it has none)
    msgctxt: str | None
    msgid: str
    msgid_plural: str | None
    msgstrs: tuple[str, ...]
    fuzzy: bool
    obsolete: bool = False

    @property
    def english(self) -> tuple[str, ...]:
        return (self.msgid,) if self.msgid_plural is None else (self.msgid, self.msgid_plural)


@dataclass
class _Entry:
    start: int
    msgctxt: list[str] | None = None
    msgid: list[str] = field(default_factory=list)
    msgid_plural: list[str] | None = None
    msgstr: list[str] = field(default_factory=list)
    plural: dict[int, list[str]] = field(default_factory=dict)
    fuzzy: bool = False
    obsolete: bool = False
    msgstr_line: int = 0
    msgid_line: int = 0

    def unit(self) -> PoUnit:
        plural = "".join(self.msgid_plural) if self.msgid_plural is not None else ""
        forms = (tuple("".join(self.plural[k]) for k in sorted(self.plural)) if plural
                 else ("".join(self.msgstr),))
        return PoUnit(self.msgstr_line or self.msgid_line or self.start,
                    None if self.msgctxt is None else "".join(self.msgctxt),
                    "".join(self.msgid), plural or None, forms, self.fuzzy, self.obsolete)


# The transitions of polib's parser: symbol -> the states it may follow.
_ALL = frozenset({"st", "he", "gc", "oc", "fl", "ct", "pc", "pm", "pp", "tc", "ms", "mp",
                  "mx", "mi"})
_FROM = {
    "gc": _ALL, "oc": _ALL, "fl": _ALL, "pc": _ALL, "pm": _ALL, "pp": _ALL,
    "tc": _ALL - {"ct"},
    "ct": frozenset({"st", "he", "gc", "oc", "fl", "tc", "pc", "pm", "pp", "ms", "mx"}),
    "mi": frozenset({"st", "he", "gc", "oc", "fl", "ct", "tc", "pc", "pm", "pp", "ms",
                     "mx"}),
    "mp": frozenset({"tc", "gc", "pc", "pm", "pp", "mi"}),
    "ms": frozenset({"mi", "mp", "tc"}),
    "mx": frozenset({"mi", "mx", "mp", "tc"}),
    "mc": frozenset({"ct", "mi", "mp", "ms", "mx", "pm", "pp", "pc"}),
}
#: Symbols that start a new entry when the current one has its msgstr.
_STARTS = frozenset({"tc", "gc", "oc", "fl", "pc", "pm", "pp", "ct", "mi"})
_KEYWORDS = {"msgctxt": "ct", "msgid": "mi", "msgstr": "ms", "msgid_plural": "mp"}
_PREVIOUS = {"msgid_plural": "pp", "msgid": "pm", "msgctxt": "pc"}


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """Numbered lines of the catalog, decoded in the charset its header names; line
    ends are ``\\n``, ``\\r\\n`` and ``\\r`` (numbered as the old whole-file reader did)."""
    limits.check_file(path, "po")
    with limits.open_input(path) as handle:
        head = handle.read(4096)
        po.refuse_mo(path, head)
        charset = po.charset_of(head)
        try:
            decoder = codecs.getincrementaldecoder(charset)()
        except LookupError:
            raise FormatError(f"unknown charset {charset!r} in the header", path=path,
                              hint="save the file as UTF-8") from None
        handle.seek(0)
        name = "UTF-8" if charset == "utf-8" else charset
        budget = limits.MAX_FILE["po"]
        number = 0
        while True:
            raw = handle.readline(limits.MAX_PO_LINE + 1)
            if not raw:
                break
            budget -= len(raw)
            if budget < 0:
                raise FormatError("is over the limit for PO input "
                                  f"({limits.MAX_FILE['po'] // limits.MB} MB)", path=path,
                                  hint=f"split the catalog ({_LIMITS})")
            if len(raw) > limits.MAX_PO_LINE:
                raise FormatError(f"a line is longer than {limits.MAX_PO_LINE // limits.MB} MB",
                                  path=path, line=number + 1,
                                  hint=f"shorten it ({_LIMITS})")
            if number == 0 and raw.startswith(BOM):
                raw = raw[len(BOM):]
            try:
                text = decoder.decode(raw)
            except UnicodeDecodeError as exc:
                raise FormatError(f"not valid {name} (byte 0x{raw[exc.start]:02x})", path=path,
                                  line=number + 1, column=exc.start + 1,
                                  hint="save the file as UTF-8") from None
            if text.endswith("\n"):
                text = text[:-2] if text.endswith("\r\n") else text[:-1]
            for piece in text.split("\r") if "\r" in text else (text,):
                number += 1
                if number > limits.MAX_PO_LINES:
                    raise FormatError(f"has more than {limits.MAX_PO_LINES:,} lines", path=path,
                                      line=number, hint=f"split the catalog ({_LIMITS})")
                yield number, piece
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise FormatError(f"not valid {name} (the file ends inside a character)",
                              path=path, line=number, hint="save the file as UTF-8") from None


def read_units(path: Path) -> Iterator[PoUnit]:
    """Every entry of the catalog (header and obsolete entries included), in order,
    each produced as soon as the next one starts."""
    state = "st"
    entry = _Entry(0)
    target: list[str] | None = None  # the string a continuation line extends
    size = 0
    last_is_comment = False

    def fail(number: int, detail: str = "") -> FormatError:
        return FormatError("malformed PO file" + (f": {detail}" if detail else ""),
                           path=path, line=number, hint=_HINT)

    def too_long(number: int) -> FormatError:
        return FormatError(f"a string is longer than {limits.MAX_PO_STRING // limits.MB} MB",
                           path=path, line=number, hint=f"shorten it ({_LIMITS})")

    for number, raw in _lines(path):
        line = raw.strip()
        if not line:
            continue
        tokens = line.split(None, 2)
        last_is_comment = tokens[0].startswith("#")
        if tokens[0] == "#~|":
            continue
        obsolete = tokens[0] == "#~" and len(tokens) > 1
        if obsolete:
            line = line[3:].strip()
            tokens = tokens[1:]
            last_is_comment = tokens[0].startswith("#")
        first = tokens[0]
        value: str | None = None  # the quoted string of a keyword or continuation
        index = 0
        if first in _KEYWORDS and len(tokens) > 1:
            symbol = _KEYWORDS[first]
            value = line[len(first):].lstrip()
        elif first == "#:":
            if len(tokens) <= 1:
                continue
            symbol = "oc"
        elif line[:1] == '"':
            symbol, value = "mc", line
        elif line[:7] == "msgstr[":
            symbol = "mx"
            end = line.find("]")
            if end < 0 or not line[7:end].isdigit() or '"' not in line:
                raise fail(number)
            index = int(line[7:end])
            value = line[line.find('"'):]
        elif first == "#,":
            if len(tokens) <= 1:
                continue
            symbol = "fl"
        elif first == "#" or first.startswith("##"):
            symbol = "tc"
        elif first == "#.":
            if len(tokens) <= 1:
                continue
            symbol = "gc"
        elif first == "#|":
            if len(tokens) <= 1:
                raise fail(number)
            rest = line[2:].lstrip()
            if tokens[1].startswith('"'):
                symbol, value = "mc", rest
            elif len(tokens) == 2 or tokens[1] not in _PREVIOUS:
                raise fail(number, "invalid previous-message line")
            else:
                symbol, value = _PREVIOUS[tokens[1]], rest[len(tokens[1]):].lstrip()
        else:
            raise fail(number)
        if value is not None:
            if len(value) < 2 or not value.endswith('"') or not value.startswith('"'):
                raise fail(number, "a string must be in double quotes")
            value = value[1:-1]
            if '"' in value and _BAD_QUOTE.search(value):
                raise fail(number, "unescaped double quote found")
        if symbol == "tc" and state in ("st", "he"):
            state = "he"  # the comments above the header belong to no entry
            continue
        if state not in _FROM[symbol]:
            raise fail(number)
        if symbol in _STARTS and state in ("ms", "mx"):
            yield entry.unit()
            entry = _Entry(number)
        if symbol == "mc":
            assert target is not None and value is not None
            size += len(value)
            if size > limits.MAX_PO_STRING:
                raise too_long(number)
            target.append(unescape(value))
            continue  # polib keeps the state of the keyword being continued
        state = symbol
        if value is None:
            if symbol == "fl":
                entry.fuzzy = entry.fuzzy or "fuzzy" in (f.strip() for f in line[3:].split(","))
            continue
        if len(value) > limits.MAX_PO_STRING:
            raise too_long(number)
        size = len(value)
        target = [unescape(value)]
        if symbol == "mi":
            entry.msgid, entry.obsolete, entry.msgid_line = target, obsolete, number
        elif symbol == "ct":
            entry.msgctxt = target
        elif symbol == "mp":
            entry.msgid_plural = target
        elif symbol in ("ms", "mx"):
            if symbol == "ms":
                entry.msgstr = target
            else:
                entry.plural[index] = target
            entry.msgstr_line = entry.msgstr_line or number
        # else a previous msgctxt, msgid or msgid_plural (#|): read, not used by QA
    if state != "st" and not last_is_comment:
        yield entry.unit()
