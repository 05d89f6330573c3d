"""GNU MO files: a linear writer (and a small reader for checks).

The layout (GNU gettext manual, "The Format of GNU MO Files"), little-endian:

    0   magic 0x950412de        4   revision 0
    8   N, number of strings    12  offset O of the table of original strings
    16  offset T of the table of translations
    20  size S of the hash table   24  offset H of the hash table
    O   N pairs (length, offset) of the originals, sorted by their bytes
    T   N pairs (length, offset) of the translations, in the same order
    …   the strings, each followed by a NUL byte

A message with a context is stored as ``context + "\\x04" + msgid``; the header is the
translation of the empty msgid (so it sorts first). GNU msgfmt also writes a hash
table; readers may ignore it (Python's :mod:`gettext` does, and so does glibc when
``S`` is 0), so this writer leaves it out: one pass, no per-entry objects, about ten
times faster than msgfmt for 100,000 entries. The strings are laid out as
``msgfmt --no-hash`` lays them out: all originals, then all translations.
"""

from __future__ import annotations

import struct
import sys
from array import array
from collections.abc import Iterable
from itertools import accumulate, chain
from typing import IO

from glossary.errors import FormatError
from glossary.formats.gettext_header import make_header
from glossary.formats.options import WriteOptions
from glossary.model import Glossary
from glossary.pairs import approved_messages, compiled_messages

MAGIC = 0x950412DE
CONTEXT_SEPARATOR = "\x04"
HEADER_SIZE = 28


def key(context: str | None, msgid: str) -> str:
    return msgid if context is None else f"{context}{CONTEXT_SEPARATOR}{msgid}"


def write_catalog(messages: Iterable[tuple[str | None, str, str]], header: str) -> bytes:
    """An MO file of ``(context, msgid, msgstr)`` messages and a header text.

    Messages with an empty msgstr are left out (as msgfmt does); the last of two
    messages with the same context and msgid wins.
    """
    table: dict[bytes, bytes] = {b"": header.encode("utf-8")}
    for context, msgid, msgstr in messages:
        if msgstr and msgid:
            table[key(context, msgid).encode("utf-8")] = msgstr.encode("utf-8")
    keys = sorted(table)
    values = [table[k] for k in keys]
    count = len(keys)
    orig_offset = HEADER_SIZE
    trans_offset = orig_offset + 8 * count
    strings_offset = trans_offset + 8 * count
    key_lengths = [len(k) for k in keys]
    value_lengths = [len(v) for v in values]
    key_offsets = list(accumulate((n + 1 for n in key_lengths[:-1]), initial=strings_offset))
    value_start = key_offsets[-1] + key_lengths[-1] + 1
    value_offsets = list(accumulate((n + 1 for n in value_lengths[:-1]), initial=value_start))
    orig_index = array("I", chain.from_iterable(zip(key_lengths, key_offsets, strict=True)))
    trans_index = array("I", chain.from_iterable(zip(value_lengths, value_offsets, strict=True)))
    if sys.byteorder == "big":  # pragma: no cover - the format is written little-endian
        orig_index.byteswap()
        trans_index.byteswap()
    head = struct.pack("<7I", MAGIC, 0, count, orig_offset, trans_offset, 0, strings_offset)
    return b"".join((
        head, orig_index.tobytes(), trans_index.tobytes(),
        b"\0".join(keys), b"\0",
        b"\0".join(values), b"\0",
    ))


def write(glossary: Glossary, out: IO[bytes], options: WriteOptions | None = None) -> None:
    """The approved Khmer terms of ``glossary`` as an MO file (other projects' programs
    look terms up in it): ``min_review`` proposed adds proposals; ``compendium`` keys
    them by the English term alone (plain ``gettext()``) instead of msgctxt + msgid."""
    options = options or WriteOptions()
    header = make_header(glossary, options.revision)
    messages: list[tuple[str | None, str, str]]
    if options.level in (None, "approved") and not options.compendium:
        messages = list(approved_messages(glossary))
    else:
        messages, _ = compiled_messages(glossary, options.level or "approved",
                                        options.compendium)
    out.write(write_catalog(messages, header.mo_text()))


def read(data: bytes) -> dict[str, str]:
    """Every message of an MO file as ``{key: msgstr}`` (key as in :func:`key`)."""
    if len(data) < HEADER_SIZE:
        raise FormatError("not an MO file: too short")
    magic = struct.unpack_from("<I", data)[0]
    order = "<" if magic == MAGIC else ">"
    if struct.unpack_from(f"{order}I", data)[0] != MAGIC:
        raise FormatError("not an MO file: bad magic number")
    _, _, count, orig, trans = struct.unpack_from(f"{order}5I", data)
    out: dict[str, str] = {}
    try:
        for i in range(count):
            olen, ooff = struct.unpack_from(f"{order}2I", data, orig + 8 * i)
            tlen, toff = struct.unpack_from(f"{order}2I", data, trans + 8 * i)
            out[data[ooff:ooff + olen].decode("utf-8")] = data[toff:toff + tlen].decode("utf-8")
    except (struct.error, UnicodeDecodeError) as exc:
        raise FormatError(f"corrupt MO file: {exc}") from exc
    return out
