"""The options every format's ``write`` and ``read`` take (the registry passes them)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WriteOptions:
    """How to write an export.

    ``revision``: the terms/ revision the export was made from (recorded where the format
    has a place for it: the JSON ``revision``, the PO header). ``approved_only`` /
    ``min_review``: which Khmer terms it carries (``approved``, ``proposed`` or None for
    everything; ``approved_only`` wins).
    """

    revision: str = ""
    approved_only: bool = False
    min_review: str | None = None

    @property
    def level(self) -> str | None:
        """The review level asked for: ``approved``, ``proposed`` or None (everything)."""
        return "approved" if self.approved_only else self.min_review


@dataclass(frozen=True)
class ReadOptions:
    """How to read an incoming file.

    ``fold_coeng_da``: fold the subscript DA typed as subscript TA (``[tool.glossary]``
    ``fold_coeng_da``). ``stream``: entries are read while the caller iterates
    ``ReadResult.concepts`` (errors surface then), not all at once (TBX).
    """

    fold_coeng_da: bool = True
    stream: bool = False
