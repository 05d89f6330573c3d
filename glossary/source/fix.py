"""``glossary check --fix``: repair in place what ``check`` reports and no person needs to
judge.

* the layout a Windows editor gives a file: a byte order mark, CRLF line endings (every
  ``*.toml`` of ``terms/``, the registry included);
* Khmer text not in the stored form (signs typed in another order, a split vowel, a
  deprecated character): each text becomes what the reader stores
  (:func:`glossary.khmer.normalize`);
* invisible characters inside a term (a zero-width space pasted from a document): the
  term becomes what an import would store (:func:`glossary.khmer.clean_term`).

Everything else (a misspelt key, a bad value, a term a reviewer has to decide on) is left
to a person, and ``check`` still reports it. A file is rewritten atomically and only when
something changed; its comments and layout are kept (the texts are set through tomlkit).
A file that is not UTF-8 or not TOML gets the layout repairs only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from glossary import khmer, output, textfile
from glossary.errors import SourceError
from glossary.problems import KeyPath
from glossary.source.read import (
    concept_from_data,
    decode,
    is_concept_name,
    parse_toml,
    read_bytes,
)
from glossary.source.values import TextField


@dataclass(frozen=True)
class Fixed:
    """A file ``fix_terms`` rewrote, and what it repaired."""

    path: Path
    what: tuple[str, ...]


def fix_terms(terms_dir: Path, fold_coeng_da: bool = True) -> list[Fixed]:
    """Repair every ``*.toml`` of ``terms_dir`` (see the module docstring); the files
    rewritten, in name order."""
    fixed = []
    for path in sorted(terms_dir.glob("*.toml")):
        if path.name.startswith(".") or not path.is_file():
            continue
        what = fix_file(path, fold_coeng_da)
        if what:
            fixed.append(Fixed(path, what))
    return fixed


def fix_file(path: Path, fold_coeng_da: bool = True) -> tuple[str, ...]:
    """Repair one file; what was repaired (nothing: the file is left as it was)."""
    data = read_bytes(path)
    what: list[str] = []
    if data.startswith(textfile.BOM):
        data = data[len(textfile.BOM):]
        what.append("byte order mark removed")
    if b"\r\n" in data:
        data = data.replace(b"\r\n", b"\n")
        what.append("CRLF line endings made LF")
    if is_concept_name(path.name):
        texts = _fixed_texts(path, data, fold_coeng_da)
        if texts is not None:
            data, count = texts
            what.append(f"{count} text(s) put in the stored form")
    if what:
        output.write_bytes(path, data)
    return tuple(what)


def _fixed_texts(path: Path, data: bytes, fold: bool) -> tuple[bytes, int] | None:
    """The file with its texts in the stored form, and how many changed; None when none
    does (or the file cannot be decoded or parsed: ``check`` says why)."""
    try:
        text = decode(path, data)
        _, _, fields = concept_from_data(path, parse_toml(path, text), fold)
    except SourceError:
        return None
    changes = [(f.keypath, new) for f in fields if (new := _stored(f, fold)) != f.raw]
    if not changes:
        return None
    import tomlkit

    doc = tomlkit.parse(text)
    for keypath, new in changes:
        _set(doc, keypath, new)
    return tomlkit.dumps(doc).encode("utf-8"), len(changes)


def _stored(field: TextField, fold: bool) -> str:
    if field.is_term and khmer.invisible_chars(field.value):
        return khmer.clean_term(field.value, fold_coeng_da=fold)
    return field.value


def _set(doc: Any, keypath: KeyPath, new: str) -> None:
    """Set the string at ``keypath``, in the quoting it was written with."""
    import tomlkit

    container = doc
    for key in keypath[:-1]:
        container = container[key]
    old = container[keypath[-1]]
    kind = getattr(old, "type", None)
    literal = bool(kind is not None and kind.is_literal() and "'" not in new)
    multiline = bool(kind is not None and kind.is_multiline())
    container[keypath[-1]] = tomlkit.string(new, literal=literal, multiline=multiline)
