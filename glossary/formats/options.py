"""The options every format's ``write`` and ``read`` take (the registry passes them)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class WriteOptions:
    """How to write an export.

    ``revision``: the terms/ revision the export was made from (recorded where the format
    has a place for it: the JSON ``revision``, the PO header). ``approved_only`` /
    ``min_review``: which Khmer terms it carries (``approved``, ``proposed`` or None for
    everything; ``approved_only`` wins; applied by :func:`glossary.selection.select`
    before the format writes). ``domains``: only the concepts of these domains
    (:func:`glossary.selection.in_domains`, applied first; empty: all). ``compendium``:
    PO/MO keyed by the English term alone,
    for ``msgmerge --compendium`` and plain ``gettext()``. ``tbx_version``: 3 (TBX-Basic,
    ISO 30042:2019, the default) or 2 (TBX-Basic 2008, ``martif``).
    """

    revision: str = ""
    approved_only: bool = False
    min_review: str | None = None
    domains: tuple[str, ...] = ()
    compendium: bool = False
    tbx_version: int = 3

    @property
    def level(self) -> str | None:
        """The review level asked for: ``approved``, ``proposed`` or None (everything)."""
        return "approved" if self.approved_only else self.min_review


@dataclass(frozen=True)
class ReadOptions:
    """How to read an incoming file.

    ``fold_coeng_da``: fold the subscript DA typed as subscript TA (``[tool.glossary]``
    ``fold_coeng_da``). ``stream``: entries are read while the caller iterates
    ``ReadResult.concepts`` (errors surface then), not all at once (TBX). ``columns``:
    for a CSV/XLSX in another layout, which column holds what (field → header, see
    :data:`glossary.formats.bilingual_sheet.WIDE_FIELDS`; ``--columns``).
    """

    fold_coeng_da: bool = True
    stream: bool = False
    columns: Mapping[str, str] | None = None
