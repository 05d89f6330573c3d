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
from typing import IO, Any

from glossary import textfile
from glossary.errors import FormatError
from glossary.formats.gettext_header import Header, header_date, make_header, purpose
from glossary.formats.options import WriteOptions
from glossary.model import Glossary
from glossary.pairs import CatalogEntry, build_entries, compendium
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
    if "\n" not in text:
        return f'{keyword} "{escape(text)}"\n'
    if text.endswith("\n") and text.count("\n") == 1:
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
    if "\n" not in text and "\r" not in text:
        return f"{prefix} {text}\n"
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "".join(f"{prefix} {line}\n" for line in lines)


def header_entry(header: Header, *, template: bool) -> str:
    kind = "template of the Khmer terms" if template else "Khmer terms"
    if header.purpose is not None:
        first, *more = header.purpose.split("\n")
        out = [f"# {header.title}: {first}\n", *(f"# {line}\n" for line in more),
               f"# Exported from glossary revision {header.revision}"
               + (f" on {header.creation_date[:10]}" if header.creation_date else "") + ".\n",
               "# An entry marked fuzzy holds a Khmer term that is not approved yet.\n",
               "#\n", 'msgid ""\n', 'msgstr ""\n']
    else:
        out = [
            f"# {header.title}: {kind}.\n",
            f"# Exported from glossary revision {header.revision}. Do not edit msgctxt or\n",
            "# msgid; change msgstr (the Khmer term) and send the file back to be imported.\n",
            "# An entry marked fuzzy holds a Khmer term that is not approved yet.\n",
            "#\n",
            'msgid ""\n',
            'msgstr ""\n',
        ]
    for key, value in header.fields(template=template):
        out.append(f'"{escape(f"{key}: {value}")}\\n"\n')
    return "".join(out)


def entry_text(entry: CatalogEntry, *, template: bool) -> str:
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
    entries = list(entries)
    chunks = [header_entry(header, template=template)]
    if not _all_plain(entries):
        chunks.extend("\n" + entry_text(entry, template=template) for entry in entries)
        return "".join(chunks)
    # Nothing to escape anywhere (the usual catalog): each entry in one f-string, the
    # same bytes as entry_text.
    append = chunks.append
    for entry in entries:
        comments = f"#. {_COMMENT_SEP.join(entry.comments)}\n" if entry.comments else ""
        if "\r" in comments or comments.count("\n") != len(entry.comments):
            append("\n" + entry_text(entry, template=template))  # a multi-line comment
            continue
        fuzzy = "#, fuzzy\n" if entry.fuzzy and not template else ""
        reference = f"#: {entry.reference}\n" if entry.reference else ""
        msgstr = "" if template else entry.msgstr
        context = f'msgctxt "{entry.context}"\n' if entry.context else ""
        append(f"\n{comments}#. {FINGERPRINT_PREFIX}{entry.fingerprint}\n{reference}{fuzzy}"
               f'{context}msgid "{entry.msgid}"\nmsgstr "{msgstr}"\n')
    return "".join(chunks)


_COMMENT_SEP = "\n#. "


def write(glossary: Glossary, out: IO[bytes], options: WriteOptions | None = None) -> None:
    """The translators' PO of ``glossary`` as UTF-8 to a binary stream; with a review
    level (``approved_only``, ``min_review``) or ``compendium``: the catalog other
    projects take (see :func:`glossary.locale_catalogs.export_po`)."""
    options = options or WriteOptions()
    if options.level is None and not options.compendium:
        entries = build_entries(glossary)
        header = make_header(glossary, options.revision)
    else:  # a catalog for other projects: only entries with a Khmer term
        entries = [e for e in build_entries(select(glossary, options.level)) if e.msgstr]
        if options.compendium:
            entries, _ = compendium(entries)
        header = Header(revision=options.revision, creation_date=header_date(glossary),
                        purpose=purpose(options.level, options.compendium))
    out.write(write_catalog(entries, header).encode("utf-8"))


def _all_plain(entries: list[CatalogEntry]) -> bool:
    """True when no msgctxt, msgid or msgstr needs escaping (C-level scans of them all)."""
    fields = "".join([e.context + e.msgid + e.msgstr for e in entries])
    if '"' in fields or "\\" in fields:
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


def decode(path: Path, data: bytes) -> str:
    """The text of a PO file in the charset its header names (UTF-8 by default)."""
    match = _CHARSET.search(data[:4096])
    charset = match.group(1).decode("ascii").lower() if match else "utf-8"
    if charset in ("charset", "utf8"):
        charset = "utf-8"
    try:
        return textfile.decode(path, data, error=FormatError, encoding=charset,
                               hint="save the file as UTF-8")
    except LookupError:
        raise FormatError(f"unknown charset {charset!r} in the header", path=path,
                          hint="save the file as UTF-8") from None


_POLIB_LINE = re.compile(r"\(line (\d+)\)(?::\s*(.*))?")


def parse(text: str, path: Path) -> Catalog:
    """Parse PO text (any line ends) into a :class:`Catalog`."""
    import polib

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    _check_lines(path, text)
    # polib allocates several objects per line and none of them form cycles: pausing the
    # cyclic garbage collector saves about a third of the time on a large catalog.
    return _parse(polib, text, path)


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


def _parse(polib: Any, text: str, path: Path) -> Catalog:
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
        ))
    return catalog


def read(path: Path) -> Catalog:
    """Read a PO (or POT) file. Raises FormatError with the line for malformed input."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FormatError(f"cannot read file: {exc.strerror}", path=path) from exc
    return parse(decode(path, data), path)
