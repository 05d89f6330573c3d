"""Khmer text handling: normalization, search keys and input checks.

The rules follow Unicode Technical Note #61, "Khmer Encoding Structure" (M. Hosken,
SIL / NPIC LSDU), which describes an orthographic syllable as::

    Base Robat? Coeng* Shifter? Vowel? Modifiers? Final?

Everything here
is pure Python on top of :mod:`unicodedata`; no function prints or touches the network.

Main entry points:

* :func:`normalize` -- the stored form of a term (NFC, then canonical order inside each
  Khmer cluster, composed split vowels, shifters for "u + above vowel", deprecated
  characters replaced).  Text without Khmer is only NFC-normalized.
* :func:`search_key` -- a matching key: two strings that render alike get the same key.
* collation (:func:`~glossary.khmer_collation.sort_key`, the index headings) lives in
  :mod:`glossary.khmer_collation`.
* validation helpers: :func:`invisible_chars`, :func:`deprecated_chars`,
  :func:`duplicate_vowels`, :func:`mixed_digits`, :func:`has_khmer`,
  :func:`has_latin_letters`, :func:`char_name`.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "CONSONANTS",
    "INDEPENDENT_VOWELS",
    "CHECK_PREFILTER",
    "FOLD_COENG_DA_DEFAULT",
    "char_name",
    "cluster_start",
    "deprecated_chars",
    "duplicate_vowels",
    "has_khmer",
    "has_latin_letters",
    "invisible_chars",
    "marks_without_base",
    "mixed_digits",
    "normalize",
    "search_key",
]

#: Store coeng-da (U+17D2 U+178A) as coeng-ta (U+17D2 U+178F).  UTN #61 ("Coeng ta and
#: coeng da") notes that the two render alike in most fonts and that modern usage does
#: not distinguish them, so one stored spelling keeps matching and sorting stable.  The
#: Chuon Nath national dictionary writes coeng-da, so callers that must preserve the
#: dictionary spelling can pass ``fold_coeng_da=False``; search keys always fold.
FOLD_COENG_DA_DEFAULT = True

COENG = "\u17d2"
ROBAT = "\u17cc"
ATTHACAN = "\u17dd"
SRA_U = "\u17bb"
MUUSIKATOAN = "\u17c9"  # shifter used on second-series (o-series) consonants
TRIISAP = "\u17ca"  # shifter used on first-series (a-series) consonants
ZWNJ = "\u200c"
_DA, _TA, _RO = "\u178a", "\u178f", "\u179a"

CONSONANTS = "".join(chr(c) for c in range(0x1780, 0x17A3))
INDEPENDENT_VOWELS = "".join(chr(c) for c in range(0x17A5, 0x17B4))
_SHIFTERS = frozenset(MUUSIKATOAN + TRIISAP)
#: Vowels written above the base.  Before one of these a shifter is drawn as a "u"
#: below the base, so "u + above vowel" looks exactly like "shifter + above vowel".
#: U+17BE (sra oe) is included because its upper part collides with the shifter too.
_ABOVE_VOWELS = frozenset("\u17b7\u17b8\u17b9\u17ba\u17be")

# Consonant series (the inherent vowel: first series "a", second series "o"), from the
# traditional Khmer alphabet table.  The Unicode names encode it in their final vowel
# (KA vs KO) with one exception: U+178E NNO is a first-series letter in Khmer
# orthography.  BA is first series but takes either shifter (ប៉ "pa", ប៊ "bo"), so a
# "u + above vowel" on BA is ambiguous and is left alone.
_SERIES_2 = frozenset("គឃងជឈញឌឍទធនពភមយរលវឞ")
_SERIES_1 = frozenset(CONSONANTS) - _SERIES_2 - {"ប"}

# Deprecated or discouraged characters (NamesList / PropList) and BOM.  U+17D3 is only
# reported by deprecated_chars(), never changed.
_PRE_MAP = str.maketrans(
    {
        0x17A3: "\u17a2",
        0x17A4: "\u17a2\u17b6",
        0x17B4: None,
        0x17B5: None,
        0x17D8: "\u17d4\u179b\u17d4",
        0xFEFF: None,
    }
)

_NEEDS_WORK = re.compile("[\u1780-\u17ff\u19e0-\u19ff\ufeff]")
_KHMER = re.compile("[\u1780-\u17ff\u19e0-\u19ff]")
# A run of combining material after a base: marks, coeng(+atthacan)*(+letter), and
# ZWNJs that are followed by a mark.
_RUN = re.compile(
    "(?:[\u17b6-\u17d1\u17d3\u17dd]|\u17d2\u17dd*[\u1780-\u17b3]?"
    "|\u200c+(?=[\u17b6-\u17d3\u17dd]))+"
)

# Split vowels typed as two parts (either order renders the same) -> composed form.
_SPLIT_VOWELS = {
    "\u17c1\u17b8": "\u17be",
    "\u17b8\u17c1": "\u17be",
    "\u17c1\u17b6": "\u17c4",
    "\u17b6\u17c1": "\u17c4",
    "\u17be\u17b6": "\u17c4\u17b8",
    "\u17b6\u17be": "\u17c4\u17b8",
}
# Canonical order of the modifiers: nikahit, then the other above signs, then the
# spacing signs reahmuk and yuukaleapintu (typed last).
_MODIFIER_ORDER = {
    ch: i for i, ch in enumerate("\u17c6\u17cb\u17cd\u17ce\u17cf\u17d0\u17d1\u17d3\u17c7\u17c8")
}


def _compose_vowels(vowels: list[str]) -> list[str]:
    out: list[str] = []

    def push(v: str) -> None:
        if out:
            repl = _SPLIT_VOWELS.get(out[-1] + v)
            if repl is not None:
                out.pop()
                for r in repl:
                    push(r)
                return
        out.append(v)

    for v in vowels:
        push(v)
    return out


def _reorder_run(run: str, series: int, fold_da: bool) -> tuple[str, bool]:
    """Put one cluster's marks into canonical order.

    Returns the new run and whether a ZWNJ was dropped next to a stray coeng (the one
    case where the result can still change on a second pass).

    A coeng with no consonant after it (a *stray*) goes first, except the one that ends
    the run (but for atthacans): text typed up to a coeng (``ស្ត្``, a search box typed
    letter by letter on the way to ``ស្ត្រ``) keeps it after the vowels and signs, so
    that it stays a prefix of the word it is becoming. Nothing can attach to it (a
    consonant next would have made it a subscript); it goes before the atthacans, the
    order NFC gives them, so it stays there on every pass.
    """
    strays: list[str] = []
    robats: list[str] = []
    coengs: list[str] = []
    coeng_ros: list[str] = []
    shifters: list[str] = []
    vowels: list[str] = []
    mods: list[str] = []
    finals: list[str] = []
    zwnj = False
    typed_last = False  # a stray coeng followed by nothing but atthacans (see above)
    i, n = 0, len(run)
    while i < n:
        ch = run[i]
        if ch == COENG:
            j = i + 1
            while j < n and run[j] == ATTHACAN:
                j += 1
            if j < n and "\u1780" <= run[j] <= "\u17b3":
                letter = _TA if fold_da and run[j] == _DA else run[j]
                (coeng_ros if letter == _RO else coengs).append(COENG + letter)
                finals.extend(run[i + 1 : j])
                i = j + 1
                continue
            if j == n:
                typed_last = True
            else:
                strays.append(ch)
        elif ch == ZWNJ:
            zwnj = True
        elif ch == ROBAT:
            robats.append(ch)
        elif ch in _SHIFTERS:
            shifters.append(ch)
        elif "\u17b6" <= ch <= "\u17c5":
            vowels.append(ch)
        elif ch == ATTHACAN:
            finals.append(ch)
        else:
            mods.append(ch)
        i += 1
    if series and not shifters and SRA_U in vowels and any(v in _ABOVE_VOWELS for v in vowels):
        vowels.remove(SRA_U)
        shifters.append(TRIISAP if series == 1 else MUUSIKATOAN)
    if len(vowels) > 1:
        vowels = _compose_vowels(vowels)
    if len(mods) > 1:
        mods.sort(key=_MODIFIER_ORDER.__getitem__)
    keep_zwnj = zwnj and bool(shifters) and bool(vowels) and vowels[0] in _ABOVE_VOWELS
    out = "".join(strays + robats + coengs + coeng_ros + shifters + ([ZWNJ] if keep_zwnj else []))
    out += "".join(vowels) + "".join(mods) + (COENG if typed_last else "") + "".join(finals)
    return out, zwnj and not keep_zwnj and (bool(strays) or typed_last)


_run_cache: dict[tuple[str, int, bool], tuple[str, bool]] = {}


def _normalize_pass(text: str, fold_da: bool) -> tuple[str, bool]:
    again = False
    pieces: list[str] = []
    last = 0
    for m in _RUN.finditer(text):
        start = m.start()
        run = m.group()
        if len(run) == 1:
            continue
        base = text[start - 1] if start else ""
        series = 1 if base in _SERIES_1 else 2 if base in _SERIES_2 else 0
        key = (run, series, fold_da)
        res = _run_cache.get(key)
        if res is None:
            if len(_run_cache) > 50_000:
                _run_cache.clear()
            res = _run_cache[key] = _reorder_run(run, series, fold_da)
        if res[0] != run:
            pieces.append(text[last:start])
            pieces.append(res[0])
            last = m.end()
        again = again or res[1]
    if not pieces:
        return text, again
    pieces.append(text[last:])
    return "".join(pieces), again


# A text already in the stored form, in its commonest shape: every cluster is
# ``Base Robat? Coeng* CoengRo? Shifter? Vowel? Modifier?`` with at most one vowel
# and one modifier, and nothing that the pre-map, ZWNJ or atthacan rules touch.
# normalize() returns such text unchanged after one C-level regex match instead of
# walking its clusters; anything else (including all text that needs work) takes
# the full path, so the regex only has to be conservative, not complete.  A property
# test checks both paths agree.
_OTHER = "[^\u17a3\u17a4\u17b4-\u17d3\u17d8\u17dd\u200c\ufeff]"
# Each part can match in one way only (a coeng-ro only in _MARKS, no dependent sign in
# _OTHER), so every quantifier is possessive: no backtracking, twice as fast. A cluster
# whose marks are all absent is one more _OTHER character, so the run of bases before
# the marks is matched as one run (``_OTHER++``: the same texts, in a tight loop of the
# regex engine): reading the 10,000-concept TBX export, 25,000 new Khmer texts, took
# 69 ms in this match with one base per cluster, 54 ms with runs.
_MARKS = ("(?:\u17d2\u179a)?+[\u17c9\u17ca]?+[\u17b6-\u17c5]?+"
          "[\u17c6-\u17c8\u17cb\u17cd-\u17d1\u17d3]?+")
_COENGS_FOLDED = "(?:\u17d2[\u1780-\u1789\u178b-\u1799\u179b-\u17a2])*+"
_COENGS_KEPT = "(?:\u17d2[\u1780-\u1799\u179b-\u17a2])*+"
_STORED_FOLDED = re.compile("(?:" + _OTHER + "++\u17cc?+" + _COENGS_FOLDED + _MARKS + ")*+")
_STORED_KEPT = re.compile("(?:" + _OTHER + "++\u17cc?+" + _COENGS_KEPT + _MARKS + ")*+")


# Texts normalize() returned lately, by fold_coeng_da: normalize() is idempotent, so such
# a text comes back as it is for the cost of a dict lookup. An import normalizes each
# text in its reader, again at the cleaning boundary and in clean_term(); the memo makes
# that work once per text. Bounded: emptied when full.
_RETURNED: dict[bool, dict[str, None]] = {True: {}, False: {}}
_RETURNED_MAX = 8192


def normalize(text: str, *, fold_coeng_da: bool = FOLD_COENG_DA_DEFAULT) -> str:
    """Return the stored form of *text* (see UTN #61 and the module docstring).

    Non-Khmer text is only NFC-normalized (and loses any U+FEFF).  Khmer clusters are
    reordered into ``Base Robat? Coeng* Shifter? ZWNJ? Vowel* Modifiers* Atthacan*``
    with coeng-ro last among the coengs; "u + above vowel" becomes a shifter chosen
    by the base's series; split vowels are composed; deprecated characters are
    replaced; ZWNJ survives inside a cluster only between a shifter and an above
    vowel.  ZWSP is never added or removed; duplicate vowels are kept (see
    :func:`duplicate_vowels`).  Idempotent, and the result is NFC.
    """
    if text.isascii():
        return text
    returned = _RETURNED[fold_coeng_da]
    if text in returned:
        return text
    stored = _STORED_FOLDED if fold_coeng_da else _STORED_KEPT
    if stored.fullmatch(text) and unicodedata.is_normalized("NFC", text):
        result = text  # Khmer or not: in the stored form already (most text)
    elif not _NEEDS_WORK.search(text):
        result = unicodedata.normalize("NFC", text)  # no Khmer: NFC is its own fixed point
    else:
        result = _normalize_full(text, fold_coeng_da)
        if not (stored.fullmatch(result) and unicodedata.is_normalized("NFC", result)):
            return result  # remembered only when the line above would return it as is
    if len(returned) >= _RETURNED_MAX:
        returned.clear()
    returned[result] = None
    return result


def _normalize_full(text: str, fold_coeng_da: bool) -> str:
    """normalize() without the fast path for text already in the stored form."""
    text = unicodedata.normalize("NFC", text.translate(_PRE_MAP))
    for _ in range(8):  # a second pass is needed only in pathological cases
        text, again = _normalize_pass(text, fold_coeng_da)
        if not again:
            break
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


# --- matching ----------------------------------------------------------------------

_KEY_DELETE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\u00ad"))
_KHMER_DIGITS = str.maketrans({0x17E0 + d: str(d) for d in range(10)})


def search_key(text: str) -> str:
    """Return the matching key of *text*.

    :func:`normalize` (always folding coeng-da), with U+200B-U+200D, U+2060 and U+00AD
    deleted, Khmer digits turned into ASCII, ``casefold()``, and runs of whitespace
    (NBSP included) folded to one space and stripped.  Idempotent.
    """
    if text.isascii():  # nothing to delete, normalize or fold but case and spaces
        return " ".join(text.casefold().split())
    return _fold_key(normalize(text.translate(_KEY_DELETE), fold_coeng_da=True))


def search_key_normalized(text: str) -> str:
    """:func:`search_key` of text already in the stored form (``normalize()`` output
    with coeng-da folded and no invisible characters but a legal ZWNJ): the same key,
    without normalizing again. Used when building indexes from a validated glossary."""
    if text.isascii():  # nothing to delete or fold but case and spaces; NFC already
        return " ".join(text.casefold().split())
    return _fold_key(text.translate(_KEY_DELETE).replace(COENG + _DA, COENG + _TA))


def _fold_key(text: str) -> str:
    text = " ".join(text.translate(_KHMER_DIGITS).casefold().split())
    return unicodedata.normalize("NFC", text)


# --- validation helpers ------------------------------------------------------------

#: Invisible characters that should never be inside a term.  ZWNJ is handled apart.
_INVISIBLE = frozenset(
    "\u200b\u200d\u2060\ufeff\u00a0\u00ad\u202f"
    "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u180e"
)
_DEPRECATED = frozenset("\u17a3\u17a4\u17b4\u17b5\u17d3\u17d8")


_INVISIBLE_RE = re.compile("[" + "".join(sorted(_INVISIBLE)) + ZWNJ + "]")

#: Text in which this finds nothing has no invisible or deprecated character, no
#: repeated vowel and no digit: :func:`invisible_chars`, :func:`deprecated_chars`,
#: :func:`duplicate_vowels` and :func:`mixed_digits` have nothing to report on it.
CHECK_PREFILTER = re.compile(
    "[" + re.escape("".join(sorted(_INVISIBLE | _DEPRECATED | {ZWNJ}))) + "0-9\u17e0-\u17e9]"
    "|([\u17b6-\u17c5])\\1"
)


def has_khmer(text: str) -> bool:
    """True if *text* has a code point in U+1780-U+17FF or U+19E0-U+19FF."""
    return _KHMER.search(text) is not None


_ASCII_LETTER = re.compile("[A-Za-z]")
_NOT_ASCII_OR_KHMER = re.compile("[^\x00-\x7f\u1780-\u17ff\u19e0-\u19ff]")


def has_latin_letters(text: str) -> bool:
    """True if *text* contains a letter of the Latin script."""
    if _ASCII_LETTER.search(text):
        return True
    return any(
        ch.isalpha() and unicodedata.name(ch, "").startswith("LATIN")
        for ch in _NOT_ASCII_OR_KHMER.findall(text)
    )


def invisible_chars(text: str) -> list[tuple[int, str]]:
    """Return ``(index, char)`` for each invisible character that has no place in a term.

    Flags ZWSP, ZWJ, word joiner, BOM, NBSP, narrow NBSP, soft hyphen, bidi controls
    and ZWNJ -- except a ZWNJ directly between a shifter (U+17C9/U+17CA) and an above
    vowel (U+17B7-U+17BA, U+17BE), its one meaningful place in Khmer (UTN #61): it
    keeps the shifter drawn above instead of as a "u" below.
    """
    last = len(text) - 1
    found = []
    for m in _INVISIBLE_RE.finditer(text):
        i, ch = m.start(), m.group()
        if ch == ZWNJ and 0 < i < last and text[i - 1] in _SHIFTERS \
                and text[i + 1] in _ABOVE_VOWELS:
            continue
        found.append((i, ch))
    return found


def deprecated_chars(text: str) -> list[tuple[int, str]]:
    """Return ``(index, char)`` for deprecated or discouraged Khmer characters."""
    return [(m.start(), m.group()) for m in _DEPRECATED_RE.finditer(text)]


_DEPRECATED_RE = re.compile("[" + "".join(sorted(_DEPRECATED)) + "]")
# a dependent vowel followed by the same vowel (lookahead, so runs of three report two)
_DUPLICATE_VOWEL = re.compile("([\u17b6-\u17c5])(?=\\1)")


def duplicate_vowels(text: str) -> list[int]:
    """Return the indexes of dependent vowels that repeat the vowel just before them."""
    return [m.start() + 1 for m in _DUPLICATE_VOWEL.finditer(text)]


# A dependent vowel or sign (U+17B4-U+17D3, U+17DD) belongs to the consonant before it.
# At the start of the text, or after a space, punctuation or non-Khmer character, it has
# none: typically a vowel typed in the order it is seen (ែខ្មរ for ខ្មែរ), which renders
# with a dotted circle. ZWNJ/ZWJ sit inside clusters and are looked through (a mark
# after a joiner belongs to what stands before the joiner; normalization drops the
# joiner); U+25CC (the dotted circle itself) is how texts show a mark on its own.
_MARK_WITHOUT_BASE = re.compile("(?:^|(?<=[^\u1780-\u17d3\u17dd\u200c\u200d\u25cc]))"
                                "[\u200c\u200d]*([\u17b4-\u17d3\u17dd])")


def marks_without_base(text: str) -> list[int]:
    """Return the indexes of Khmer vowels and signs that follow no consonant."""
    return [m.start(1) for m in _MARK_WITHOUT_BASE.finditer(text)]


#: The dependent vowels and signs (U+17B4-U+17D3, U+17DD): never the start of a cluster.
_DEPENDENT = frozenset(chr(c) for c in (*range(0x17B4, 0x17D4), 0x17DD))


def cluster_start(text: str, at: int) -> int:
    """``at``, or the index before it where its Khmer cluster starts: a dependent vowel
    or sign, or a consonant after a coeng (a subscript), belongs to the base before it
    (UTN #61's syllable), so text cut there keeps every cluster whole."""
    while 0 < at < len(text) and (text[at] in _DEPENDENT or text[at - 1] == COENG):
        at -= 1
    return at


def mixed_digits(text: str) -> bool:
    """True if *text* mixes ASCII digits 0-9 and Khmer digits ០-៩."""
    return _ASCII_DIGIT.search(text) is not None and _KHMER_DIGIT.search(text) is not None


_ASCII_DIGIT = re.compile("[0-9]")
_KHMER_DIGIT = re.compile("[\u17e0-\u17e9]")


def char_name(ch: str) -> str:
    """Describe one character for messages, e.g. ``'U+200B ZERO WIDTH SPACE'``."""
    if len(ch) != 1:
        raise ValueError(f"expected one character, got {len(ch)}")
    name = unicodedata.name(ch, "")
    if not name:
        name = "<control>" if unicodedata.category(ch) == "Cc" else "<unnamed>"
    return f"U+{ord(ch):04X} {name}"


_CONTROL_CHARS = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20),
                                *range(0x7F, 0xA0)])


def clean_term(text: str, *, fold_coeng_da: bool = FOLD_COENG_DA_DEFAULT) -> str:
    """A term as typed → as stored: normalized, invisible and control characters
    removed (a no-break space becomes a space; tabs and line breaks too), runs of
    whitespace folded, ends stripped."""
    if text.isprintable():  # nothing to remove (see refused_chars)
        return " ".join(normalize(text, fold_coeng_da=fold_coeng_da).split())
    value = normalize(text.translate(_CONTROL_CHARS), fold_coeng_da=fold_coeng_da)
    drop = {i for i, ch in invisible_chars(value)}
    if drop:
        value = "".join(" " if ch in "\u00a0\u202f" else ch
                        for i, ch in enumerate(value) if i not in drop or ch in "\u00a0\u202f")
        # what stood on both sides of a removed character may now be one cluster, in
        # typed order (a vowel, ZWSP, coeng: the coeng goes first)
        value = normalize(value, fold_coeng_da=fold_coeng_da)
    return " ".join(value.split())


# Fast path: every character refused_chars() refuses, every invisible character
# invisible_chars() flags (ZWNJ included) and every control character is "Other" or
# "Separator" in the Unicode database, so str.isprintable() is False for it, and a
# printable text needs neither walk (tests/test_khmer.py checks every code point).

# Characters no incoming text may carry (glossary.imports.clean refuses them, with their
# place): C0 controls but tab and line feed, DEL and the C1 controls (U+0085 NEXT LINE
# among them), the line and paragraph separators, bidirectional formatting (embeddings,
# overrides, isolates, marks), noncharacters, lone surrogates and invisible operators.
_REFUSED_RE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069"
    "\u2061-\u2064\u180e\ufff9-\ufffb\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff"
    "\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe\U0003ffff\U0004fffe\U0004ffff"
    "\U0005fffe\U0005ffff\U0006fffe\U0006ffff\U0007fffe\U0007ffff\U0008fffe\U0008ffff"
    "\U0009fffe\U0009ffff\U000afffe\U000affff\U000bfffe\U000bffff\U000cfffe\U000cffff"
    "\U000dfffe\U000dffff\U000efffe\U000effff\U000ffffe\U000fffff\U0010fffe\U0010ffff]"
)


def refused_chars(text: str) -> list[tuple[int, str]]:
    """``(index, char)`` of the characters no stored text may contain (see above);
    ``\\r`` counts unless it is part of ``\\r\\n``."""
    if text.isprintable():  # the common case, at C speed (see above)
        return []
    return [(m.start(), m.group()) for m in _REFUSED_RE.finditer(text.replace("\r\n", "\n"))]


def one_line(text: str) -> str:
    """Text safe for one comment line: refused characters and line breaks become
    spaces, runs of whitespace one space."""
    return " ".join(_REFUSED_RE.sub(" ", text).split())
