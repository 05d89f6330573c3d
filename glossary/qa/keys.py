"""Matching keys for running text, with a map back to the original positions.

Khmer (and any text matched on :func:`glossary.khmer.search_key`): the text is cut into
*chunks* that normalization never reorders across -- a base character with every mark,
coeng + consonant and zero-width character that follows it, or a run of whitespace --
and each chunk is turned into its own piece of key.  The key of the whole text is the
concatenation of the pieces, which is what :func:`~glossary.khmer.search_key` gives for
the whole text (whitespace runs fold to one space; a run holding a blank line becomes
``"\\n"`` so that no term matches across paragraphs).  Because pieces stay aligned with
chunks, a match in the key maps back to a span of the original text; and a match that
starts or ends inside a chunk (in the middle of a Khmer cluster) is not a match at all.

English: :func:`words` cuts text into Latin words with their positions and whether each
word is joined to the previous one by nothing but spaces or hyphens (so a multi-word term
never matches across punctuation); :func:`inflections` lists the base forms a word may
be an inflection of (plural, third person ``-s``, possessive).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

from glossary import khmer

__all__ = [
    "KeyedText", "Word", "inflections", "is_word_char", "keyed", "search_keys", "term_words",
    "words",
]

_ZW = "\u200b-\u200d\u2060\u00ad\ufeff"
_ZW_CHARS = frozenset("\u200b\u200c\u200d\u2060\u00ad\ufeff")
# Characters that never start a chunk: combining marks (Khmer signs and vowels, the
# common Latin diacritics), coeng, and the zero-width characters the key deletes.
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u17b4-\u17d3\u17dd"
# coeng + consonant, with whatever the key ignores between them (zero-width characters,
# the inherent vowels U+17B4/U+17B5 that normalization deletes, atthacan)
_SUB = f"\u17d2[{_ZW}\u17b4\u17b5\u17dd]*[\u1780-\u17b3]"
_CHUNK = re.compile(
    rf"\s[\s{_ZW}]*"  # whitespace, with any zero-width characters inside it
    rf"|(?:{_SUB}|.)(?:{_SUB}|[{_MARKS}{_ZW}])*",  # a base (or a stray subscript), its marks
    re.S,
)


_CACHE_LIMIT = 200_000


class _Pieces(dict[str, str]):
    """Chunk -> key piece, computed once per distinct chunk."""

    def __missing__(self, chunk: str) -> str:
        piece = _piece(chunk)
        self[chunk] = piece
        return piece

    def fill(self, chunks: list[str]) -> None:
        """Compute the pieces of new chunks (see :func:`search_keys`)."""
        if len(self) + len(chunks) > _CACHE_LIMIT:
            self.clear()
        batch = []
        for chunk in chunks:
            if chunk[0].isspace():
                self[chunk] = _piece(chunk)
            else:
                batch.append(chunk)
        self.update(zip(batch, search_keys(batch), strict=True))


def search_keys(texts: list[str]) -> list[str]:
    """:func:`khmer.search_key` of each text, in one call: joined by NUL (a base
    character, so no cluster spans two texts, and not whitespace), the key of the whole
    splits back into the key of each text.  Texts holding a NUL are keyed one by one."""
    if any("\x00" in text for text in texts):
        return [khmer.search_key(text) for text in texts]
    keys = khmer.search_key("\x00".join(texts)).split("\x00")
    if len(keys) != len(texts):  # pragma: no cover - search_key keeps every NUL
        return [khmer.search_key(text) for text in texts]
    return [key.strip(" ") for key in keys]


def _piece(chunk: str) -> str:
    if chunk[0].isspace():
        return "\n" if chunk.count("\n") > 1 or chunk.count("\r") > 1 else " "
    return khmer.search_key(chunk)


_PIECES = _Pieces()


@dataclass(frozen=True, slots=True)
class KeyedText:
    """A text, its key, and the offsets that tie the two together."""

    text: str
    key: str
    chunks: list[str]
    pieces: list[str]
    starts: list[int]  # start of each chunk in ``text`` (plus the end)
    key_starts: list[int]  # start of each piece in ``key`` (plus the end)

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        """The span of ``text`` that key[start:end] comes from, or None when the key
        span starts or ends inside a chunk (in the middle of a cluster)."""
        ks = self.key_starts
        first = bisect_right(ks, start) - 1
        # the last chunk that starts at `start` is the non-empty one (empty pieces, like
        # a lone ZWSP, share their start with the chunk after them)
        if first < 0 or ks[first] != start or first >= len(self.chunks):
            return None
        last = bisect_right(ks, end - 1) - 1
        if ks[last] + len(self.pieces[last]) != end:
            return None
        # zero-width characters at the edges of the span are not part of the match
        text, lo, hi = self.text, self.starts[first], self.starts[last] + len(self.chunks[last])
        while hi > lo and text[hi - 1] in _ZW_CHARS:
            hi -= 1
        while lo < hi and text[lo] in _ZW_CHARS:
            lo += 1
        return lo, hi


def keyed(text: str) -> KeyedText:
    """Cut ``text`` into chunks and build its key (see the module docstring)."""
    chunks = _CHUNK.findall(text)
    new = [chunk for chunk in dict.fromkeys(chunks) if chunk not in _PIECES]
    if new:
        _PIECES.fill(new)
    pieces = list(map(_PIECES.__getitem__, chunks))
    starts = list(accumulate(map(len, chunks), initial=0))
    key_starts = list(accumulate(map(len, pieces), initial=0))
    return KeyedText(text, "".join(pieces), chunks, pieces, starts, key_starts)


@lru_cache(maxsize=4096)
def is_word_char(ch: str) -> bool:
    """True for characters that make a Latin word (letters and digits, not Khmer)."""
    return ch.isalnum() and not ("\u1780" <= ch <= "\u17ff" or "\u19e0" <= ch <= "\u19ff")


# --------------------------------------------------------------------------- English

_WORD = re.compile(r"[0-9A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]+(?:['\u2019][A-Za-z]+)*")
# What may stand between two words of one term: spaces, hyphens, a slash, zero-width.
_JOINER = re.compile(rf"[ \t\u00a0\u202f\-\u2010\u2011/{_ZW}]*(?:\r?\n[ \t{_ZW}]*)?")


@dataclass(frozen=True, slots=True)
class Word:
    text: str  # as written
    folded: str  # casefolded
    start: int
    end: int
    joined: bool  # only spaces or hyphens (at most one line break) since the previous word


def words(text: str) -> list[Word]:
    """The Latin words of ``text`` with their positions."""
    out: list[Word] = []
    prev_end = -1
    fullmatch = _JOINER.fullmatch
    for m in _WORD.finditer(text):
        start, end = m.span()
        joined = prev_end >= 0 and fullmatch(text, prev_end, start) is not None
        word = m.group()
        out.append(Word(word, word.casefold(), start, end, joined))
        prev_end = end
    return out


def term_words(text: str) -> list[str]:
    """The words of a term as written, e.g. ``["AI", "model"]``."""
    return _WORD.findall(text)


@lru_cache(maxsize=65536)
def inflections(folded: str) -> tuple[str, ...]:
    """The forms a casefolded word may stand for: itself, without a possessive, and the
    singular of a regular plural (``models`` → ``model``, ``policies`` → ``policy``,
    ``processes`` → ``process``).  Only suffixes are removed, so ``governs`` gives
    ``govern`` but never ``governance``."""
    forms = [folded]
    bases = [folded]
    for suffix in ("'s", "\u2019s"):
        if folded.endswith(suffix) and len(folded) > len(suffix) + 1:
            bases.append(folded[: -len(suffix)])
    if folded.endswith(("s'", "s\u2019")):
        bases.append(folded[:-1])
    for base in bases:
        if base not in forms:
            forms.append(base)
        if len(base) > 4 and base.endswith("ies"):
            forms.append(base[:-3] + "y")
        if len(base) > 3 and base.endswith("es"):
            forms.append(base[:-2])
        if len(base) > 2 and base.endswith("s") and not base.endswith("ss"):
            forms.append(base[:-1])
    return tuple(dict.fromkeys(forms))


def base_is_upper(word: str) -> bool:
    """True when the word without its plural or possessive ending is in capitals (LLMs)."""
    stem = re.sub(r"(?:['\u2019]s|s)$", "", word)
    return bool(stem) and stem.isupper()
