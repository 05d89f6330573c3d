"""The TBX file as a safe stream of elements: what :mod:`glossary.formats.tbx.reader`
builds records from.

A streaming ``iterparse`` that clears each finished element. No DTD is loaded, nothing is
fetched from the network, no entity is expanded, and a document type declaration that
declares entities (billion laughs, external entities) is refused before anything else.
An entry that grows past :data:`glossary.limits.MAX_TBX_ENTRY` stops the parse while it
is read, not after lxml has built it in memory. Parse errors become located
:class:`~glossary.errors.FormatError`\\ s.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from lxml import etree  # this module is imported only by the commands that use it

from glossary import limits
from glossary.errors import FormatError
from glossary.formats.tbx.common import XML_LANG


class _LocalNames(dict[Any, str]):
    """Local name by tag (``NAMES[el.tag]``), made on first sight and kept: a file has
    few distinct tags. A tag that is not a string (none reaches the readers: comments
    and processing instructions are dropped by the parser) has the name ``""``."""

    def __missing__(self, tag: Any) -> str:
        name = tag.rpartition("}")[2] if isinstance(tag, str) else ""
        if isinstance(tag, str) and len(self) < 4096:
            self[tag] = name
        return name


NAMES = _LocalNames()


def local(el: Any) -> str:
    """The local name of an element's tag."""
    return NAMES[el.tag]


def xml_error(path: Path, exc: Any) -> FormatError:
    """A parse error of lxml, located, with what to do."""
    line, column = exc.position if exc.position else (None, None)
    message = re.sub(r"(, line \d+, column \d+)+$", "", str(exc.msg or exc).strip())
    if "Excessive depth" in message:
        return FormatError("elements nested more than 256 deep: refused (no TBX needs it)",
                           path=path, line=line or None,
                           hint="check the tool that wrote the file; TBX entries are "
                                "a few levels deep")
    if "XML_PARSE_HUGE" in message or "too long" in message or "too large" in message:
        return FormatError(
            "a text or attribute value is too large for the XML reader (over 10 MB)",
            path=path, line=line or None,
            hint="TBX values are short; shorten it (see \"Limits\" in the README)")
    return FormatError(f"not well-formed XML: {message}", path=path, line=line or None,
                       column=column or None, hint="fix the XML (an editor that checks "
                       "well-formedness helps), then import again")


@contextmanager
def errors_located(path: Path) -> Iterator[None]:
    """Turn lxml's syntax errors and OS errors while reading ``path`` into
    :class:`FormatError`."""
    try:
        yield
    except etree.XMLSyntaxError as exc:
        raise xml_error(path, exc) from None
    except OSError as exc:
        raise FormatError(f"cannot read file: {exc.strerror or exc}", path=path) from None


# An entity declaration in the document type declaration's internal subset, and its name.
_ENTITY = re.compile(rb"<!ENTITY\s+(?:%\s+)?([^\s\"'>]+)")
# Where the root element starts: a "<" followed by a name (not "<?" or "<!").
_ROOT_START = re.compile(rb"<[^?!/\s]")


def _entities_in_prolog(head: bytes) -> tuple[list[str], int] | None:
    """The entities that the document type declaration in ``head`` (the file's first
    bytes) declares, with the line of the first declaration; None when it declares none.
    Only what comes before the root element is looked at: the body cannot declare any.
    UTF-16 is read through its byte order mark; for any other encoding that is not
    ASCII-compatible, the parser's own look at the DTD (:func:`_refuse_entities`) is the
    second guard."""
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16, with its byte order mark
        head = head.decode("utf-16", "replace").encode("utf-8")
    doctype = head.find(b"<!DOCTYPE")
    if doctype < 0:
        return None
    root = _ROOT_START.search(head, doctype + 2)
    prolog = head[doctype:root.start() if root else len(head)]
    names = [m.group(1).decode("utf-8", "replace") for m in _ENTITY.finditer(prolog)]
    if not names:
        return None
    at = doctype + prolog.find(b"<!ENTITY")
    return names, head.count(b"\n", 0, at) + 1


def _refusal(path: Path, names: list[str], line: int | None) -> FormatError:
    return FormatError(
        f"refused: the document type declaration declares entities ({', '.join(names[:5])})",
        path=path, line=line,
        hint="entity declarations can expand without bound or read local files; "
             "TBX does not need them: remove the <!DOCTYPE …[…]> block",
    )


def _refuse_entities(path: Path, root: Any) -> None:
    """What the parser read of the DTD, for a declaration :func:`_entities_in_prolog`
    did not see."""
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is None:
        return
    names = [e.name for e in dtd.iterentities()]
    if names:
        raise _refusal(path, names, None)


def parser_options() -> dict[str, Any]:
    return {"resolve_entities": False, "load_dtd": False, "no_network": True,
            "huge_tree": False, "remove_comments": True, "remove_pis": True,
            "collect_ids": False}  # ids are read as attributes, never looked up


def check_root(path: Path) -> str | None:
    """Look at the root element only: refuse entity declarations and non-TBX files.
    Returns the document's default language (``xml:lang`` of the root)."""
    with errors_located(path), open(path, "rb") as handle:
        # Entity declarations are refused before the parser sees them: libxml2 2.14 with
        # lxml 6.2 stops at a billion-laughs DTD itself, with a message about its
        # amplification limit instead of what to do.
        declared = _entities_in_prolog(handle.read(limits.MB))
        if declared is not None:
            raise _refusal(path, *declared)
        handle.seek(0)
        for _event, root in etree.iterparse(handle, events=("start",), **parser_options()):
            _refuse_entities(path, root)
            if local(root) not in ("tbx", "martif"):
                raise FormatError(f"not a TBX file: the root element is <{local(root)}>",
                                  path=path, line=root.sourceline,
                                  hint="expected <tbx> (TBX v3) or <martif> (TBX v2)")
            return root.get(XML_LANG)
    raise FormatError("not a TBX file: it has no root element", path=path)


class _Bounded:
    """The file as lxml reads it, counting bytes: an entry that grows past
    :data:`limits.MAX_TBX_ENTRY` stops the parse at once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.handle = open(path, "rb")  # noqa: SIM115 - closed by elements()
        self.offset = 0
        self.entry_start: int | None = None
        self.entry_line: int | None = None

    def read(self, size: int = 65536) -> bytes:
        data = self.handle.read(min(size, 65536))
        self.offset += len(data)
        if self.entry_start is not None and \
                self.offset - self.entry_start > limits.MAX_TBX_ENTRY + 65536:
            raise FormatError(
                f"an entry is larger than {limits.MAX_TBX_ENTRY // limits.MB} MB",
                path=self.path, line=self.entry_line,
                hint="split or shorten that entry (see \"Limits\" in the README)")
        return data


def elements(path: Path, headers: tuple[str, ...], entries: tuple[str, ...]
             ) -> Iterator[tuple[str, Any]]:
    """(local name, element) of each finished header and entry element of ``path``
    (tags as ``{*}name``), in document order; an element is cleared, and dropped from
    the tree, once the caller has taken the next one. Entries are size-bounded."""
    limits.check_file(path, "tbx")
    entry_names = {tag.rpartition("}")[2] for tag in entries}
    bounded = _Bounded(path)
    try:
        events = etree.iterparse(bounded, events=("start", "end"), tag=(*headers, *entries),
                                 **parser_options())
        for event, el in events:
            name = NAMES[el.tag]  # local(), inline
            if event == "start":
                if name in entry_names:
                    bounded.entry_start, bounded.entry_line = bounded.offset, el.sourceline
                continue
            bounded.entry_start = None
            yield name, el
            el.clear(keep_tail=False)
            parent = el.getparent()
            if parent is not None:
                while el.getprevious() is not None:
                    del parent[0]
    finally:
        bounded.handle.close()
