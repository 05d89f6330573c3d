"""Long lists in the site's build data (its manifest, state and print-rows state) kept
as *columns*: one string per list, a line per item.

The manifest of 20,000 pages, read and written by every build, was 60,000 JSON values;
as three strings it is parsed and written at C speed (items never hold a line break:
paths, ids, keys, digests and numbers). Data read back is checked: every column there,
a string, and all of one length.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def pack(columns: Mapping[str, Iterable[object]]) -> dict[str, str]:
    """Each column (name -> its items, in order) as one string."""
    return {name: "\n".join(map(str, items)) for name, items in columns.items()}


def unpack(data: object, names: tuple[str, ...]) -> list[list[str]] | None:
    """The columns ``names`` of ``data`` (what :func:`pack` made), in that order; None
    when one is missing, not a string, or of another length than the others."""
    if not isinstance(data, dict):
        return None
    texts = [data.get(name) for name in names]
    if not all(isinstance(text, str) for text in texts):
        return None
    columns = [text.split("\n") if text else [] for text in texts]
    if len({len(column) for column in columns}) > 1:
        return None
    return columns
