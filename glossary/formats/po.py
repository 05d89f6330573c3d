"""Gettext PO and POT files: write a catalog, read back what an editor returns.

Writing is done here, by hand, rather than with polib: a catalog of 100,000 terms
takes polib about twenty times longer to serialize than this plain writer, and the
output must be byte-stable anyway (no wrapping that depends on a library version, no
creation date unless ``SOURCE_DATE_EPOCH`` is set). Strings are escaped as the PO format
requires (backslash, double quote, the C escapes ``\\n \\t \\r \\a \\b \\f \\v``; other
control characters as octal ``\\ooo``).

Reading uses polib (the only module of the package that imports it), after a quick
lexical check of every line so that a malformed file gives a :class:`FormatError` with
the file and line rather than polib's silent guess. Files come back from Poedit,
Weblate and Lokalize with CRLF line ends, rewrapped strings, obsolete ``#~`` entries,
previous msgids (``#|``, ``#~|``), other header values: all are accepted.

Each exported entry carries an extracted comment ``#. fingerprint: <hex>`` (see
:func:`glossary.pairs.fingerprint`); :func:`read` returns it with the message.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from glossary import formats, limits, textfile, unsafe
from glossary.errors import FormatError
from glossary.formats.gettext_header import Header, make_header, project_header
from glossary.formats.options import WriteOptions
from glossary.formats.pieces import key_of
from glossary.formats.pieces import write as write_pieces
from glossary.model import Concept, Glossary
from glossary.pairs import CatalogEntry, CompendiumIndex, EntryMaker
from glossary.selection import select

FINGERPRINT_PREFIX = "fingerprint: "

_ESCAPES = {
    "\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r",
    "\a": "\\a", "\b": "\\b", "\f": "\\f", "\v": "\\v",
}
for _code in [*range(0x20), 0x7F]:
    _ESCAPES.setdefault(chr(_code), f"\\{_code:03o}")
_ESCAPE_TABLE = str.maketrans(_ESCAPES)


_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f"\\\x7f]')


def escape(text: str) -> str:
    """Escape ``text`` for the inside of a PO string literal."""
    if _NEEDS_ESCAPE.search(text) is None:  # most text: no work (translate() is slow)
        return text
    return text.translate(_ESCAPE_TABLE)


def _field(keyword: str, text: str) -> str:
    """``keyword "text"``; a text with newlines is split after each one, as msgcat does."""
    if "\n" not in text or (text.endswith("\n") and text.count("\n") == 1):
        return f'{keyword} "{escape(text)}"\n'
    parts = text.split("\n")
    lines = [f'{keyword} ""\n']
    for k, part in enumerate(parts):
        last = k == len(parts) - 1
        if last and not part:
            break
        lines.append(f'"{escape(part)}{"" if last else chr(92) + "n"}"\n')
    return "".join(lines)


def _comment_lines(prefix: str, text: str) -> str:
    """``text`` as comment lines: every line break — LF, CR, and U+2028, U+2029, U+0085,
    VT, FF, FS, GS, RS, where ``str.splitlines()`` and so polib break lines — starts a
    new comment line, so nothing in a comment can become PO syntax. Other control
    characters are written as ``\\uXXXX``."""
    if "\n" not in text and "\r" not in text and unsafe.line_breaker(text) is None:
        return f"{prefix} {_visible(text)}\n"
    return "".join(f"{prefix} {_visible(line)}\n" for line in unsafe.split_lines(text))


_COMMENT_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")


def _visible(text: str) -> str:
    if _COMMENT_CONTROL.search(text) is None:
        return text
    return _COMMENT_CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_UNESCAPABLE = re.compile("[\x85\u2028\u2029]")  # line breaks with no PO escape


def _refuse_breakers(entry: CatalogEntry) -> None:
    """A PO string has no escape for U+2028, U+2029 or U+0085: refuse them, located."""
    for name, value in (("msgctxt", entry.context), ("msgid", entry.msgid),
                        ("msgstr", entry.msgstr)):
        found = _UNESCAPABLE.search(value)
        if found is not None:
            char = found.group()
            raise FormatError(
                f"{name} of {entry.context!r} contains {unsafe.name(char)}, which a PO "
                "string cannot carry (PO tools would break the line there)",
                path=f"terms/{entry.context.split('#')[0]}.toml",
                hint="remove it from the term; `glossary check` lists every such character")


def header_entry(header: Header, *, template: bool) -> str:
    """The header comment, then the header's fields as the msgstr of ``msgid ""``."""
    if header.purpose is not None:
        first, *more = header.purpose.split("\n")
        on = f" on {header.creation_date[:10]}" if header.creation_date else ""
        out = [f"# {formats.TITLE}: {first}\n", *(f"# {line}\n" for line in more),
               f"# Exported from glossary revision {header.revision}{on}.\n"]
    else:
        kind = "template of the Khmer terms" if template else "Khmer terms"
        out = [f"# {formats.TITLE}: {kind}.\n",
               f"# Exported from glossary revision {header.revision}. Do not edit msgctxt or\n",
               "# msgid; change msgstr (the Khmer term) and send the file back to be imported.\n"]
    out += ["# An entry marked fuzzy holds a Khmer term that is not approved yet.\n", "#\n",
            'msgid ""\n', 'msgstr ""\n']
    out += [f'"{escape(f"{key}: {value}")}\\n"\n'
            for key, value in header.fields(template=template)]
    return "".join(out)


def entry_text(entry: CatalogEntry, *, template: bool) -> str:
    _refuse_breakers(entry)
    parts: list[str] = [_comment_lines("#.", comment) for comment in entry.comments]
    parts.append(f"#. {FINGERPRINT_PREFIX}{entry.fingerprint}\n")
    if entry.reference:
        parts.append(f"#: {entry.reference}\n")
    if entry.fuzzy and not template:
        parts.append("#, fuzzy\n")
    if entry.context:  # a compendium's entries have none
        parts.append(_field("msgctxt", entry.context))
    parts.append(_field("msgid", entry.msgid))
    parts.append(_field("msgstr", "" if template else entry.msgstr))
    return "".join(parts)


def write_catalog(entries: Iterable[CatalogEntry], header: Header, *, template: bool = False
                  ) -> str:
    """The text of a PO file (``template``: a POT, every msgstr empty, no fuzzy flags)."""
    return header_entry(header, template=template) + entries_text(list(entries),
                                                                  template=template)


def entries_text(entries: list[CatalogEntry], *, template: bool = False) -> str:
    """The entries of a catalog, each after a blank line (what follows the header)."""
    if not _all_plain(entries):
        return "".join("\n" + entry_text(entry, template=template) for entry in entries)
    # Nothing to escape anywhere (the usual catalog): each entry in one f-string, the
    # same bytes as entry_text.
    chunks: list[str] = []
    append = chunks.append
    for entry in entries:
        comments = f"#. {_COMMENT_SEP.join(entry.comments)}\n" if entry.comments else ""
        if ("\r" in comments or comments.count("\n") != len(entry.comments)
                or unsafe.line_breaker(comments) or _COMMENT_CONTROL.search(comments)):
            append("\n" + entry_text(entry, template=template))  # a multi-line comment
            continue
        fuzzy = "#, fuzzy\n" if entry.fuzzy and not template else ""
        reference = f"#: {entry.reference}\n" if entry.reference else ""
        msgstr = "" if template else entry.msgstr
        context = f'msgctxt "{entry.context}"\n' if entry.context else ""
        append(f"\n{comments}#. {FINGERPRINT_PREFIX}{entry.fingerprint}\n{reference}{fuzzy}"
               f'{context}msgid "{entry.msgid}"\nmsgstr "{msgstr}"\n')
    return "".join(chunks)


class CatalogPieces:
    """A PO or POT catalog as :mod:`~glossary.formats.pieces`: the header entry, then
    each concept's entries (:class:`glossary.pairs.EntryMaker`, in the glossary's
    order, which is the catalog's order). ``translated_only``: a catalog for other
    projects, entries without a Khmer term left out. The comments read the documents and
    the domains: they are in :attr:`key`. A compendium: :class:`CompendiumPieces`."""

    def __init__(self, glossary: Glossary, header: Header, *, template: bool = False,
                 translated_only: bool = False) -> None:
        self.header = header
        self.template = template
        self.translated_only = translated_only
        self.maker = EntryMaker(glossary)
        self.key = key_of("po", template, translated_only, glossary.documents,
                          glossary.domains)

    def head(self) -> bytes:
        return header_entry(self.header, template=self.template).encode("utf-8")

    def entries(self, concept: Concept) -> list[CatalogEntry]:
        entries = self.maker.entries(concept)
        return [e for e in entries if e.msgstr] if self.translated_only else entries

    def piece(self, concept: Concept) -> bytes:
        return entries_text(self.entries(concept), template=self.template).encode("utf-8")

    def tail(self) -> bytes:
        return b""


_COMMENT_SEP = "\n#. "


class CompendiumPieces(CatalogPieces):
    """A compendium (one entry per English term, see :func:`glossary.pairs.compendium`)
    as pieces: a concept's piece holds the entries of the English terms it is the first
    to give; what such an entry reads of other concepts (who else gives the term, and
    which Khmer term) is :meth:`context`."""

    def __init__(self, glossary: Glossary, header: Header) -> None:
        super().__init__(glossary, header, translated_only=True)
        self.index = CompendiumIndex(glossary)
        self.key = key_of("po-compendium", glossary.documents, glossary.domains)

    def context(self, concept: Concept) -> str:
        return self.index.context(concept)

    def entries(self, concept: Concept) -> list[CatalogEntry]:
        return self.index.entries(super().entries(concept))


def pieces(glossary: Glossary, options: WriteOptions | None = None) -> CatalogPieces:
    """What :func:`write` writes, as pieces (not for a compendium)."""
    options = options or WriteOptions()
    if options.level is None and not options.compendium:
        return CatalogPieces(glossary, make_header(glossary, options.revision))
    header = project_header(glossary, options.revision, options.level, options.compendium)
    chosen = select(glossary, options.level)
    if options.compendium:
        return CompendiumPieces(chosen, header)
    return CatalogPieces(chosen, header, translated_only=True)


def write(glossary: Glossary, out: IO[bytes], options: WriteOptions | None = None) -> None:
    """The translators' PO of ``glossary`` as UTF-8 to a binary stream; with a review
    level (``approved_only``, ``min_review``) or ``compendium``: the catalog other
    projects take (see :func:`glossary.locale_catalogs.export_po`)."""
    options = options or WriteOptions()
    write_pieces(pieces(glossary, options), select(glossary, options.level).concepts, out)


def _all_plain(entries: list[CatalogEntry]) -> bool:
    """True when no msgctxt, msgid or msgstr needs escaping (C-level scans of them all)."""
    fields = "".join([e.context + e.msgid + e.msgstr for e in entries])
    if '"' in fields or "\\" in fields or _UNESCAPABLE.search(fields):
        return False
    # isprintable() is False for every control character (and for some harmless ones,
    # such as U+200B, which the exact regular expression then clears)
    return fields.isprintable() or _NEEDS_ESCAPE.search(fields) is None


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True, slots=True)
class Message:
    """One message of a PO file as read (plural messages keep only ``msgstr[0]``)."""

    context: str | None
    msgid: str
    msgstr: str
    fuzzy: bool
    obsolete: bool
    plural: bool
    previous_msgid: str | None
    fingerprint: str | None
    line: int
    comment: str | None = None  # the translator's comment ("# …", Poedit's "Comment")
    references: str = ""  # the "#:" references, space-separated as written


@dataclass
class Catalog:
    path: Path
    metadata: dict[str, str] = field(default_factory=dict)
    messages: list[Message] = field(default_factory=list)

    @property
    def language(self) -> str:
        return self.metadata.get("Language", "")


_STRING = r'"(?:[^"\\]|\\.)*"'
_KEYWORD_LINE = re.compile(
    r"^(?:#~\s*)?(?:#\|\s*|#~\|\s*)?(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s*("
    + _STRING + r")?\s*$"
)
_CONTINUATION = re.compile(r"^(?:#~\s*|#\|\s*|#~\|\s*)?" + _STRING + r"\s*$")
_CHARSET = re.compile(rb"charset=([A-Za-z0-9_.:-]+)")


def _check_lines(path: Path, text: str) -> None:
    """Raise FormatError at the first line that is no PO syntax polib would take."""
    for lineno, raw in enumerate(text.split("\n"), 1):
        line = raw.strip()
        if not line or (line.startswith("#") and not line.startswith(("#~", "#|"))):
            continue
        if line in ("#~", "#|", "#~|"):
            continue
        keyword = _KEYWORD_LINE.match(line)
        if keyword:
            if keyword.group(2) is None:
                raise FormatError(
                    f"{keyword.group(1)} without a quoted string", path=path, line=lineno,
                    hint='write it as msgid "text"',
                )
            continue
        if _CONTINUATION.match(line):
            continue
        stripped = re.sub(r"^(#~\|?|#\|)\s*", "", line)
        if stripped.startswith('"') or re.match(r"^(msg\w*)", stripped):
            raise FormatError(
                "string is not terminated or has an unescaped double quote",
                path=path, line=lineno, hint='end it with " and write \\" inside',
            )
        if stripped.startswith("#"):  # e.g. "#~ #, fuzzy" inside an obsolete entry
            continue
        raise FormatError(
            f"not PO syntax: {line[:40]!r}", path=path, line=lineno,
            hint="each line is a comment (#), a keyword (msgid …) or a quoted string",
        )


MO_MAGIC = (b"\xde\x12\x04\x95", b"\x95\x04\x12\xde")  # little- and big-endian


def refuse_mo(path: Path, data: bytes) -> None:
    """A compiled MO catalog where a PO file is expected: say so, and how to get the PO."""
    if data[:4] in MO_MAGIC:
        target = f"{path.stem}{'-text' if path.suffix.lower() == '.po' else ''}.po"
        raise FormatError(
            "this is a compiled MO file, not a PO file", path=path,
            hint=f"run `msgunfmt {path.name} -o {target}` first, then use that .po")


def charset_of(head: bytes) -> str:
    """The charset a PO header names in the first 4 KB of the file (UTF-8 by default)."""
    match = _CHARSET.search(head[:4096])
    charset = match.group(1).decode("ascii").lower() if match else "utf-8"
    return "utf-8" if charset in ("charset", "utf8") else charset


def decode(path: Path, data: bytes) -> str:
    """The text of a PO file in the charset its header names (UTF-8 by default)."""
    refuse_mo(path, data)
    charset = charset_of(data)
    try:
        return textfile.decode(path, data, error=FormatError, encoding=charset,
                               hint="save the file as UTF-8")
    except LookupError:
        raise FormatError(f"unknown charset {charset!r} in the header", path=path,
                          hint="save the file as UTF-8") from None


_POLIB_LINE = re.compile(r"\(line (\d+)\)(?::\s*(.*))?")


_PREFIXED = re.compile(
    r'^[ \t]*(#~\|?[ \t]*|#\|[ \t]*)?(?:(msg\w*(?:\[\d+\])?)[ \t]*)?"(.*)"[ \t]*$')


def prejoin(text: str, path: Path) -> str:
    """``text`` with the continuation strings of each keyword joined onto the keyword's
    own line, and blank lines in their place (so every line keeps its number).

    polib joins continuation lines with ``+=`` on an attribute, which is quadratic in
    the number of lines of one string: 800,000 ``"ក"`` lines (5 MB) took 30 s and a
    12 MB file more than 180 s. Joined here in one pass, polib sees one line per string
    and the whole read is linear (measured: the 800,000-line string in 4.8 s, a 12 MB
    catalog of 1.9 million lines in 9.8 s, on a 2-core machine at load 8). Also
    enforces :data:`limits.MAX_PO_LINES` and :data:`limits.MAX_PO_STRING`.
    """
    lines = text.split("\n")
    if len(lines) > limits.MAX_PO_LINES:
        raise FormatError(f"has {len(lines):,} lines; the limit is {limits.MAX_PO_LINES:,}",
                          path=path, hint="split the catalog (see \"Limits\" in the README)")
    out: list[str] | None = None
    head = -1  # index of the keyword line being extended
    prefix = keyword = ""
    parts: list[str] = []
    size = 0

    def flush() -> None:
        if head >= 0 and len(parts) > 1:
            assert out is not None
            out[head] = f'{prefix}{keyword} "{"".join(parts)}"'

    for k, line in enumerate(lines):
        match = _PREFIXED.match(line) if '"' in line else None
        if match is None:
            flush()
            head = -1
            continue
        this_prefix = (match.group(1) or "").strip()
        if match.group(2) is None:  # a continuation string
            if head < 0 or this_prefix != prefix.strip():
                continue  # _check_lines has accepted it; leave it for polib
            if out is None:
                out = list(lines)
            parts.append(match.group(3))
            size += len(match.group(3))
            if size > limits.MAX_PO_STRING:
                raise FormatError(
                    f"a {keyword} string is longer than {limits.MAX_PO_STRING // limits.MB} MB",
                    path=path, line=k + 1, hint="shorten it (see \"Limits\" in the README)")
            out[k] = ""
            continue
        flush()
        head, keyword, parts = k, match.group(2), [match.group(3)]
        prefix = f"{this_prefix} " if this_prefix else ""
        size = len(match.group(3))
    flush()
    return text if out is None else "\n".join(out)


def _line_text(text: str, line: int) -> str:
    start = 0
    for _ in range(line - 1):
        start = text.find("\n", start) + 1
        if start == 0:
            return ""
    end = text.find("\n", start)
    return text[start:] if end < 0 else text[start:end]


_MSG_LINE = re.compile(r"^[ \t]*(?:#~[ \t]*)?(?:msgctxt|msgid)\b", re.M)


def _message_lines(text: str) -> array[int]:
    """The line numbers of every msgctxt and msgid line, in order (compact)."""
    numbers = array("I")
    line, last = 1, 0
    for match in _MSG_LINE.finditer(text):
        line += text.count("\n", last, match.start())
        last = match.start()
        numbers.append(line)
    return numbers


#: polib cuts its input with ``str.splitlines()``, which also breaks at these (a U+0085
#: inside a msgstr gave "cannot parse" at a line that does not exist): they are handed
#: to polib as private-use stand-ins and given back in every string read.
_HIDDEN = {ch: chr(0xF8F0 + k) for k, ch in enumerate("\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")}
_HIDE = str.maketrans(_HIDDEN)
_SHOW = str.maketrans({v: k for k, v in _HIDDEN.items()})


def _shown(value: str | None) -> str | None:
    return value.translate(_SHOW) if value else value


def parse(text: str, path: Path) -> Catalog:
    """Parse PO text (any line ends) into a :class:`Catalog`."""
    import polib

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    _check_lines(path, text)
    text = prejoin(text, path)
    hidden = unsafe.line_breaker(text) is not None and not any(
        stand_in in text for stand_in in _HIDDEN.values())
    if hidden:
        text = text.translate(_HIDE)
    try:
        po = polib.pofile(text if text.strip() else "\n")
    except (OSError, ValueError) as exc:
        match = _POLIB_LINE.search(str(exc))
        line = int(match.group(1)) if match else None
        detail = match.group(2) if match and match.group(2) else None
        if detail is None and line is not None:
            words = _line_text(text, line).split(None, 1)
            detail = f"unexpected {words[0]} here" if words else None
        raise FormatError(f"PO syntax error: {detail or 'cannot parse'}", path=path, line=line,
                          hint="open the file in a PO editor, or run msgfmt -c on it") from None
    catalog = Catalog(path, dict(po.metadata))
    msg_lines = _message_lines(text)
    for entry in po:
        fingerprint = None
        for comment in (entry.comment or "").split("\n"):
            if comment.startswith(FINGERPRINT_PREFIX):
                fingerprint = comment[len(FINGERPRINT_PREFIX):].strip() or None
        # polib gives the line the entry starts on (maybe a comment): report the first
        # msgctxt or msgid line from there
        start = entry.linenum or 1
        k = bisect_left(msg_lines, start)
        line = msg_lines[k] if k < len(msg_lines) else start
        plural = bool(entry.msgid_plural)
        msgstr = entry.msgstr_plural.get(0, "") if plural else entry.msgstr
        if hidden:
            entry.msgctxt, entry.msgid, msgstr = (_shown(entry.msgctxt), _shown(entry.msgid),
                                                  _shown(msgstr))
            entry.previous_msgid = _shown(entry.previous_msgid)
            entry.tcomment = _shown(entry.tcomment)
        catalog.messages.append(Message(
            context=entry.msgctxt,
            msgid=entry.msgid,
            msgstr=msgstr,
            fuzzy="fuzzy" in entry.flags,
            obsolete=bool(entry.obsolete),
            plural=plural,
            previous_msgid=entry.previous_msgid or None,
            fingerprint=fingerprint,
            line=line,
            comment=entry.tcomment or None,
            references=" ".join(f"{where}:{line}" if line else where
                                for where, line in entry.occurrences),
        ))
    return catalog


def read(path: Path) -> Catalog:
    """Read a PO (or POT) file. Raises FormatError with the line for malformed input."""
    return parse(decode(path, limits.read_file(path, "po")), path)
