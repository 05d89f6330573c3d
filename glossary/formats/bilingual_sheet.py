"""Bilingual sheets from outside: one row per concept (``English,Khmer`` …), read into
the one-row-per-term layout of :mod:`glossary.formats.sheet_layout`.

The columns come from ``--columns FIELD=HEADER,…`` (:func:`parse_columns`,
:func:`mapped_columns`) or from a common bilingual header (:func:`detect_columns`);
:func:`widened` turns each row into an ``en`` and a ``km`` row of that layout.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from glossary.errors import FormatError
from glossary.imports.records import ReadResult
from glossary.pairs import reference_concept

#: What ``--columns FIELD=HEADER,…`` may name, and the headers recognised without it
#: (compared case-insensitively, ignoring spaces, ``_``, ``-``, brackets and a BOM).
WIDE_FIELDS: dict[str, tuple[str, ...]] = {
    "en": ("english", "en", "englishterm", "termen", "enterm", "source", "sourceterm",
           "enus", "engb", "term"),
    "km": ("khmer", "km", "khmerterm", "termkm", "kmterm", "target", "targetterm", "kmkh",
           "ខ្មែរ", "ភាសាខ្មែរ", "ពាក្យខ្មែរ"),
    "definition": ("definition", "englishdefinition", "definitionen", "endefinition",
                   "description"),
    "definition_km": ("khmerdefinition", "definitionkm", "kmdefinition", "និយមន័យ"),
    "note": ("note", "notes", "comment", "comments", "remark", "remarks"),
    "concept_id": ("conceptid", "id", "concept"),
    "domains": ("domain", "domains", "subject", "subjectfield"),
    # a PO entry's references, as po2csv's first column holds them: terms/ID.toml
    "location": ("location", "locations", "reference", "references"),
    # a PO translator's comment (Weblate's and po2csv's column): why this translation
    "rationale": ("rationale", "translatorcomments", "translatorcomment"),
}


def _header_key(name: str) -> str:
    return re.sub(r"[\s_\-()\[\]:./]+", "", name.replace("\ufeff", "")).casefold()


def parse_columns(spec: str) -> dict[str, str]:
    """``"en=English,km=Khmer"`` → ``{"en": "English", "km": "Khmer"}`` (the CLI's
    ``--columns``). Raises ValueError naming what is wrong."""
    mapping: dict[str, str] = {}
    for item in spec.split(","):
        if not item.strip():
            continue
        name, sep, header = item.partition("=")
        name, header = name.strip(), header.strip()
        if not sep or not header:
            raise ValueError(f"{item.strip()!r} is not FIELD=HEADER")
        if name not in WIDE_FIELDS:
            raise ValueError(f"unknown field {name!r}; the fields are "
                             + ", ".join(WIDE_FIELDS))
        mapping[name] = header
    if "en" not in mapping or "km" not in mapping:
        raise ValueError("name at least the English and Khmer columns, e.g. "
                         "en=English,km=Khmer")
    return mapping


def detect_columns(names: Sequence[str]) -> dict[str, int] | None:
    """Field → column index for a common bilingual header (``English,Khmer``,
    ``source,target``, ``term (en),term (km)`` …), or None when it is not one. Where
    several columns could hold a field, the most specific name wins (``English`` over a
    bare ``Term``), then the leftmost."""
    found: dict[str, tuple[int, int]] = {}  # field -> (rank of its name, column)
    for i, name in enumerate(names):
        key = _header_key(name)
        for fld, known in WIDE_FIELDS.items():
            if key in known:
                rank = known.index(key)
                if fld not in found or rank < found[fld][0]:
                    found[fld] = (rank, i)
                break
    if "en" not in found or "km" not in found:
        return None
    return {fld: column for fld, (_, column) in found.items()}


def mapped_columns(names: Sequence[str], mapping: Mapping[str, str], path: Path
                    ) -> dict[str, int]:
    stripped = [n.strip().lstrip("\ufeff") for n in names]
    out: dict[str, int] = {}
    for fld, header in mapping.items():
        matches = [i for i, n in enumerate(stripped) if n == header]
        if not matches:
            matches = [i for i, n in enumerate(stripped) if n.casefold() == header.casefold()]
        if not matches:
            raise FormatError(f"--columns {fld}={header}: no column {header!r} in the header",
                              path=path, line=1,
                              hint="the header has: " + ", ".join(repr(n) for n in stripped))
        out[fld] = matches[0]
    return out


_TERM_NUMBER = re.compile(r"#\d+$")


def widened(index: dict[str, int], rows_in: Iterator[tuple[int, Sequence[Any]]],
             result: ReadResult) -> Iterator[tuple[int, list[str]]]:
    """Turn one-row-per-concept rows into this layout's rows (an ``en`` and a ``km`` row
    each), keeping each row's line number."""
    yield 1, ["concept_id", "lang", "term", "definition", "domains", "concept_notes",
              "rationale"]

    def cell(cells: Sequence[Any], fld: str) -> str:
        i = index.get(fld)
        if i is None or i >= len(cells) or cells[i] is None:
            return ""
        return str(cells[i])

    for line, cells in rows_in:
        en, km = cell(cells, "en").strip(), cell(cells, "km").strip()
        if not en:
            if km or cell(cells, "definition").strip():
                result.skip("rows with no English term")
            continue
        # an id as our PO's msgctxt gives it (ai-model#1: the concept's second English
        # term), as a sheet made from a PO (Weblate's CSV download) holds it
        cid = _TERM_NUMBER.sub("", cell(cells, "concept_id").strip()) \
            or reference_concept(cell(cells, "location")) or ""
        yield line, [cid, "en", en, cell(cells, "definition"), cell(cells, "domains"),
                     cell(cells, "note"), ""]
        if km or cell(cells, "definition_km").strip():
            yield line, [cid, "km", km, cell(cells, "definition_km"), "", "",
                         cell(cells, "rationale")]
