"""English order and index letters, shared by the site's A–Z pages and the Word export.

Pure functions: ``en_sort_key`` orders English terms case-insensitively (casefold),
ties broken by the text itself; ``en_letter`` is a term's A–Z index letter, its first
letter without accents (``Éthique`` under E), ``#`` for digits and other scripts.
"""

from __future__ import annotations

import unicodedata

OTHER = "#"
EN_LETTERS: tuple[str, ...] = tuple("abcdefghijklmnopqrstuvwxyz")


def en_letter(text: str) -> str:
    """The A–Z index letter of an English term (``#`` for digits and other scripts)."""
    for ch in unicodedata.normalize("NFD", text.casefold()):
        if ch.isspace():
            continue
        return ch if "a" <= ch <= "z" else OTHER
    return OTHER


def en_sort_key(text: str) -> tuple[str, str]:
    """English order: case-insensitive (casefold), ties broken by the text itself."""
    return text.casefold(), text
