"""The options every format's ``write`` takes (the registry of issue 13 passes them)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WriteOptions:
    """How to write an export.

    ``approved_only`` / ``min_review``: which Khmer terms it carries (applied by
    :func:`glossary.selection.select` before the format writes; kept here so a format
    can say what it holds, e.g. in a header). ``compendium``: PO/MO keyed by the English
    term alone, for ``msgmerge --compendium`` and plain ``gettext()``. ``tbx_version``:
    3 (TBX-Basic, ISO 30042:2019, the default) or 2 (TBX-Basic 2008, ``martif``).
    """

    revision: str = ""
    approved_only: bool = False
    min_review: str | None = None
    compendium: bool = False
    tbx_version: int = 3

    @property
    def level(self) -> str | None:
        """The review level asked for: ``approved``, ``proposed`` or None (everything)."""
        return "approved" if self.approved_only else self.min_review
