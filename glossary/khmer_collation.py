"""Khmer collation: the order of a Khmer–English index, and the letter a term is filed under.

:func:`sort_key` is a collation key modelled on the CLDR ``km`` tailoring (the order ICU
uses for Khmer: consonants in alphabet order, ឫ ឬ after រ and ឭ ឮ after ល, subscripts
after their base, vowels and signs as secondary differences); ``tests/test_khmer_icu.py``
compares it with ICU (``pyicu-wheels``, a test dependency). Text is normalized first
(:func:`glossary.khmer.normalize`), so two spellings that render alike sort alike.
:func:`index_heading` / :data:`INDEX_HEADINGS` give the letter a term is listed under on
the site's index pages. Pure functions, no I/O.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from glossary.khmer import COENG, CONSONANTS, INDEPENDENT_VOWELS, ROBAT, normalize

__all__ = ["INDEX_HEADINGS", "index_heading", "sort_key"]

_GROUP = 1 << 21  # primary = group * _GROUP + weight within the group
_G_SPACE, _G_PUNCT, _G_DIGIT, _G_KHMER, _G_LATIN, _G_OTHER = 1, 2, 3, 4, 5, 6
_S_COMMON, _S_VARIANT = 5, 6  # secondary weights; marks get larger ones below
_T_COMMON, _T_VARIANT = 1, 2  # tertiary weights (upper case / variant letters)

_CE = tuple[int, int, int]  # (primary or 0 for secondary-only, secondary, tertiary)


def _khmer_primaries() -> dict[str, int]:
    order: list[str] = []
    for ch in CONSONANTS:
        order.append(ch)
        if ch == "រ":
            order += ["ឫ", "ឬ"]
        elif ch == "ល":
            order += ["ឭ", "ឮ"]
    order.append("\u17dc")  # avakrahasanya, a letter after the consonants
    order += [chr(c) for c in range(0x17B6, 0x17C6)]  # dependent vowels in code order
    # then nikahit / reahmuk groups (CLDR: &ៅ<ុំ<ំ<ាំ<ះ<ិះ<ុះ<េះ<ោះ), then COENG.
    order += ["ុំ", "ំ", "ាំ", "ះ", "ិះ", "ុះ", "េះ", "ោះ", COENG]
    return {s: _G_KHMER * _GROUP + i + 1 for i, s in enumerate(order)}


_KP = _khmer_primaries()
# Secondary-only marks, in CLDR km order (ICU ignores U+17D3; khmer.md ranks it first).
_MARK_SECONDARY = {
    ch: 10 + i
    for i, ch in enumerate("\u17d3\u17ce\u17cf\u17d1\u17d0\u17c8\u17dd\u17cb\u17c9\u17ca\u17cd")
}
# Independent vowels = អ + dependent vowel (+ letter), last CE secondary/tertiary bumped.
_INDEPENDENT_EXPANSIONS = {
    "ឥ": ("ិ", "", 0),
    "ឦ": ("ី", "", 0),
    "ឧ": ("ុ", "", 0),
    "ឨ": ("ុ", "ក", 1),
    "ឩ": ("ូ", "", 0),
    "ឪ": ("ូ", "វ", 1),
    "ឯ": ("ែ", "", 0),
    "ឰ": ("ៃ", "", 0),
    "ឱ": ("ោ", "", 0),
    "ឲ": ("ោ", "", 1),
    "ឳ": ("ៅ", "", 0),
}


def _khmer_table() -> dict[str, tuple[_CE, ...]]:
    table: dict[str, tuple[_CE, ...]] = {}
    for s, p in _KP.items():
        table[s] = ((p, _S_COMMON, _T_COMMON),)
    for ch in CONSONANTS + "ឫឬឭឮ":  # C + robat sorts as រ្C, secondary difference
        table[ch + ROBAT] = (
            (_KP["រ"], _S_COMMON, _T_COMMON),
            (_KP[COENG], _S_COMMON, _T_COMMON),
            (_KP[ch], _S_VARIANT, _T_COMMON),
        )
    qa = (_KP["អ"], _S_COMMON, _T_COMMON)
    for ch, (vowel, letter, tert) in _INDEPENDENT_EXPANSIONS.items():
        t = _T_VARIANT if tert else _T_COMMON
        if letter:
            table[ch] = (qa, (_KP[vowel], _S_VARIANT, _T_COMMON), (_KP[letter], _S_COMMON, t))
        else:
            table[ch] = (qa, (_KP[vowel], _S_VARIANT, t))
    table[ROBAT] = ((0, 8, _T_COMMON),)  # robat without a letter before it
    for ch, w in _MARK_SECONDARY.items():
        table[ch] = ((0, w, _T_COMMON),)
    table["\u17b4"] = table["\u17b5"] = ()
    return table


_KHMER_CE = _khmer_table()
_CONTRACTION_STARTS = frozenset(s[0] for s in _KHMER_CE if len(s) == 2)


# Common punctuation and symbols in the root collation's order; the rest by code point.
_PUNCT_ORDER = {
    ch: i + 1
    for i, ch in enumerate(
        "_-\u2013\u2014,;:\u17d6!?.\u2026\u17d4\u17d5'\u2018\u2019\"\u201c\u201d"
        "\u00ab\u00bb()[]{}@*/\\&#%\u17d9\u17da`^+<=>|~\u17d7$\u17db"
    )
}


@lru_cache(maxsize=8192)
def _char_ces(ch: str) -> tuple[_CE, ...]:
    """Collation elements of one character (Khmer table first, then generic rules)."""
    if ch in _KHMER_CE:
        return _KHMER_CE[ch]
    if ch.isspace():
        return ((_G_SPACE * _GROUP + 1, _S_COMMON, _T_COMMON if ch == " " else _T_VARIANT),)
    digit = unicodedata.digit(ch, None)
    if digit is not None:
        t = _T_COMMON if "0" <= ch <= "9" else _T_VARIANT
        return ((_G_DIGIT * _GROUP + digit + 1, _S_COMMON, t),)
    cat = unicodedata.category(ch)
    if cat[0] == "M":  # combining marks (accents) are secondary differences
        return ((0, 0x100 + ord(ch), _T_COMMON),)
    if cat in ("Cc", "Cf"):
        return ()  # controls and format characters (ZWSP, ZWNJ, SHY...) are ignorable
    if cat[0] in "PSZC" and cat != "Co" and cat != "Cn":
        weight = _PUNCT_ORDER.get(ch, 0x100 + ord(ch))
        return ((_G_PUNCT * _GROUP + weight, _S_COMMON, _T_COMMON),)
    decomposed = unicodedata.normalize("NFD", ch)
    if len(decomposed) > 1:
        return tuple(ce for d in decomposed for ce in _char_ces(d))
    folded = ch.casefold()
    t = _T_COMMON if folded == ch else _T_VARIANT
    group = _G_LATIN if unicodedata.name(ch, "").startswith("LATIN") else _G_OTHER
    return tuple((group * _GROUP + ord(f), _S_COMMON, t) for f in folded)


def sort_key(text: str) -> tuple[int, ...]:
    """Return a CLDR ``km``-like collation key for *text* (normalized first).

    The key is a flat tuple of ints ``(*primaries, 0, *secondaries, 0, *tertiaries,
    0, *code_points)``.  Every weight is positive, so comparing two keys compares the
    primary weights first, then the secondary, tertiary and finally the code points of
    the normalized text (so equal keys mean equal normalized text).  Order of groups:
    spaces, punctuation and symbols, digits (ASCII and Khmer together), Khmer, Latin
    (case-insensitive at the primary level), other scripts.
    """
    norm = normalize(text)
    prim: list[int] = []
    sec: list[int] = []
    ter: list[int] = []
    i, n = 0, len(norm)
    while i < n:
        ch = norm[i]
        ces = None
        if ch in _CONTRACTION_STARTS and i + 1 < n:
            ces = _KHMER_CE.get(norm[i : i + 2])
            if ces is not None:
                i += 1
        if ces is None:
            ces = _char_ces(ch)
        for p, s, t in ces:
            if p:
                prim.append(p)
            sec.append(s)
            ter.append(t)
        i += 1
    return (*prim, 0, *sec, 0, *ter, 0, *(ord(c) + 1 for c in norm))


# --- index headings ----------------------------------------------------------------


def _heading_order() -> tuple[str, ...]:
    letters = [ch for ch in _KP if len(ch) == 1 and ch in CONSONANTS + "ឫឬឭឮ"]
    return tuple(letters) + tuple(v for v in INDEPENDENT_VOWELS if v not in "ឫឬឭឮ")


#: Every heading :func:`index_heading` can return, in collation order: the consonants
#: ក…អ (with ឫ ឬ after រ and ឭ ឮ after ល, where CLDR sorts them), then the other
#: independent vowels ឥ…ឳ, which sort after អ.
INDEX_HEADINGS: tuple[str, ...] = _heading_order()
_HEADING_SET = frozenset(INDEX_HEADINGS)


def index_heading(text: str) -> str:
    """Return the Khmer index heading of *text*: its first letter or '#'."""
    norm = normalize(text)
    for ch in norm:
        if ch.isspace() or unicodedata.category(ch) == "Cf":
            continue
        return ch if ch in _HEADING_SET else "#"
    return "#"
