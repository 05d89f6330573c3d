"""Tests for glossary.khmer, using the vectors of shared/khmer.md (UTN #61, CLDR km)."""

import random
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glossary import khmer
from glossary.khmer import (
    FOLD_COENG_DA_DEFAULT,
    char_name,
    deprecated_chars,
    duplicate_vowels,
    has_khmer,
    has_latin_letters,
    invisible_chars,
    mixed_digits,
    normalize,
    search_key,
)
from glossary.khmer_collation import INDEX_HEADINGS, index_heading, sort_key


def nfc(s):
    return unicodedata.normalize("NFC", s)


# --- normalization vectors N1-N23 --------------------------------------------------

N_VECTORS = [
    ("N1", "\u179f\u17d2\u179a\u17d2\u178f\u17b8", "\u179f\u17d2\u178f\u17d2\u179a\u17b8"),
    ("N2", "\u1798\u17c9\u17d2\u1799\u17b6\u1784", "\u1798\u17d2\u1799\u17c9\u17b6\u1784"),
    ("N3", "\u1781\u17c2\u17d2\u1798\u179a", "\u1781\u17d2\u1798\u17c2\u179a"),
    ("N4", "\u1780\u17c6\u17bb", "\u1780\u17bb\u17c6"),
    ("N5", "\u1785\u17c6\u17b6", "\u1785\u17b6\u17c6"),
    ("N6", "\u179b\u17c1\u17b6\u1780", "\u179b\u17c4\u1780"),
    ("N7", "\u1794\u17c1\u17b8", "\u1794\u17be"),
    ("N8", "\u179f\u17bb\u17b8", "\u179f\u17ca\u17b8"),
    ("N9", "\u179f\u17b8\u17bb", "\u179f\u17ca\u17b8"),
    ("N10", "\u1798\u17bb\u17b8", "\u1798\u17c9\u17b8"),
    ("N11", "\u1780\u178e\u17d2\u178a\u17b6\u179b", "\u1780\u178e\u17d2\u178f\u17b6\u179b"),
    ("N12", "\u1780\u17be\u17b6", "\u1780\u17c4\u17b8"),
    ("N13", "\u17a2\u200c\u17ca\u17b9\u1798", "\u17a2\u17ca\u200c\u17b9\u1798"),
    ("N14", "\u17a2\u17ca\u200c\u17b9\u1798", "\u17a2\u17ca\u200c\u17b9\u1798"),
    (
        "N15",
        "\u1785\u17bb\u17c7\u1788\u17c1\u17b6\u17d2\u1798\u17c7",
        "\u1785\u17bb\u17c7\u1788\u17d2\u1798\u17c4\u17c7",
    ),
    (
        "N16",
        "\u179f\u17b6\u179f\u17d2\u178a\u17b6\u17d2\u179a\u1785\u17b6\u179a\u17d2\u1799",
        "\u179f\u17b6\u179f\u17d2\u178f\u17d2\u179a\u17b6\u1785\u17b6\u179a\u17d2\u1799",
    ),
    ("N17", "\u1780\u1794\u17bc\u17cc\u179a", "\u1780\u1794\u17cc\u17bc\u179a"),
    ("N18a", "\u1780\u17dd\u17d2\u1780", "\u1780\u17d2\u1780\u17dd"),
    ("N18b", "\u1780\u17d2\u17dd\u1780", "\u1780\u17d2\u1780\u17dd"),
    ("N19", "\u17a3", "\u17a2"),
    ("N20", "\u17a4", "\u17a2\u17b6"),
    ("N21", "\u17d8", "\u17d4\u179b\u17d4"),
    ("N22", "\u1780\u17b4", "\u1780"),
    ("N23", "\u1780\u17b6\u17b6", "\u1780\u17b6\u17b6"),
]
N_IDS = [row[0] for row in N_VECTORS]
N_BY_ID = {row[0]: row for row in N_VECTORS}


@pytest.mark.parametrize(("name", "raw", "expected"), N_VECTORS, ids=N_IDS)
def test_normalize_vectors(name, raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize(("name", "raw", "expected"), N_VECTORS, ids=N_IDS)
def test_normalize_vectors_fixed_points(name, raw, expected):
    assert normalize(expected) == expected
    assert nfc(expected) == expected


@pytest.mark.parametrize(("name", "raw", "expected"), N_VECTORS, ids=N_IDS)
def test_nfc_is_not_enough(name, raw, expected):
    if name in ("N14", "N23"):
        assert nfc(raw) == expected
    else:
        assert nfc(raw) != expected


def test_n18_plain_nfc_detaches_the_coeng():
    assert nfc("\u1780\u17dd\u17d2\u1780") == "\u1780\u17d2\u17dd\u1780"


def test_coeng_da_fold_is_a_setting():
    raw = N_BY_ID["N11"][1]
    assert FOLD_COENG_DA_DEFAULT is True
    assert normalize(raw, fold_coeng_da=False) == raw
    assert normalize(raw, fold_coeng_da=True) == N_BY_ID["N11"][2]
    # the other rules still apply without the fold
    assert normalize("\u1781\u17c2\u17d2\u178a", fold_coeng_da=False) == (
        "\u1781\u17d2\u178a\u17c2"
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\u17a2\u17ca\u17b9\u200c\u1798", "\u17a2\u17ca\u17b9\u200c\u1798"),  # not before mark
        ("\u1780\u200c\u17b6", "\u1780\u17b6"),  # inside a cluster, no shifter: dropped
        ("\u1798\u200c\u17bb\u17b8", "\u1798\u17c9\u200c\u17b8"),  # u -> shifter, kept
        ("\u1780\u17ca\u200c\u17b6", "\u1780\u17ca\u17b6"),  # not before an above vowel
        ("\u1780\u200c\u1781", "\u1780\u200c\u1781"),  # between letters: left for validation
    ],
)
def test_zwnj_placement(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\u1794\u17bb\u17b8", "\u1794\u17bb\u17b8"),  # BA takes both shifters: ambiguous
        ("\u17a2\u17bb\u17b8", "\u17a2\u17ca\u17b8"),  # QA, first series
        ("\u178e\u17bb\u17b8", "\u178e\u17ca\u17b8"),  # NNO is first series
        ("\u179f\u17bb\u17be\u1794", "\u179f\u17ca\u17be\u1794"),  # sra oe is "above"
        ("\u1780\u17bb\u17c6", "\u1780\u17bb\u17c6"),  # u + nikahit is a real vowel
        ("\u17a7\u17bb\u17b8", "\u17a7\u17bb\u17b8"),  # no series for an independent vowel
    ],
)
def test_sra_u_to_shifter(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\u1780\u17b8\u17c1", "\u1780\u17be"),
        ("\u1780\u17b6\u17c1", "\u1780\u17c4"),
        ("\u1780\u17c7\u17c6\u17bb", "\u1780\u17bb\u17c6\u17c7"),
        ("\u1780\u17cc\u17d2\u179a\u17d2\u1780", "\u1780\u17cc\u17d2\u1780\u17d2\u179a"),
    ],
)
def test_more_reordering(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Translation Memory",
        "caf\u00e9 na\u00efve \u2014 r\u00e9sum\u00e9",
        "\u0645\u0631\u062d\u0628\u0627 \u200c x",
        "\u00a0tab\there\u200b",
        "",
    ],
)
def test_non_khmer_text_is_only_nfc(text):
    assert normalize(text) == nfc(text)


def test_bom_stripped_and_zwsp_kept():
    assert normalize("\ufeffEnglish") == "English"
    assert normalize("\u1780\u200b\u1781") == "\u1780\u200b\u1781"
    assert "\u200b" not in normalize("\u1780\u1781\u1782")


def test_decomposed_latin_is_composed():
    assert normalize("e\u0301") == "\u00e9"


# --- search keys K1-K5 -------------------------------------------------------------

K_VECTORS = [
    (
        "K1",
        "\u1797\u17b6\u179f\u17b6\u200b\u1781\u17d2\u1798\u17c2\u179a",
        "\u1797\u17b6\u179f\u17b6\u1781\u17d2\u1798\u17c2\u179a",
    ),
    (
        "K2",
        "\u1786\u17d2\u1793\u17b6\u17c6\u17e2\u17e0\u17e2\u17e5",
        "\u1786\u17d2\u1793\u17b6\u17c62025",
    ),
    ("K3", "\u1780\u178e\u17d2\u178a\u17b6\u179b", "\u1780\u178e\u17d2\u178f\u17b6\u179b"),
    ("K4", "\ufeff\u1781\u17c2\u17d2\u1798\u179a", "\u1781\u17d2\u1798\u17c2\u179a"),
    ("K5", "Translation Memory", "translation memory"),
]


@pytest.mark.parametrize(("name", "raw", "expected"), K_VECTORS, ids=[k[0] for k in K_VECTORS])
def test_search_key_vectors(name, raw, expected):
    assert search_key(raw) == expected
    assert search_key(expected) == expected


def test_search_key_whitespace_and_invisibles():
    assert search_key("  AI\u00a0\u00a0 Governance\t\n") == "ai governance"
    assert search_key("soft\u00adware\u2060") == "software"
    assert search_key("\u179f\u17ca\u200c\u17b8") == "\u179f\u17ca\u17b8"


def test_search_key_folds_coeng_da_always():
    raw = N_BY_ID["N11"][1]
    assert search_key(raw) == search_key(normalize(raw, fold_coeng_da=False))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("\u179f\u17d2\u179a\u17d2\u178f\u17b8", "\u179f\u17d2\u178f\u17d2\u179a\u17b8"),
        ("\u1780\u17c6\u17bb", "\u1780\u17bb\u17c6"),
        ("\u179f\u17bb\u17b8", "\u179f\u17ca\u17b8"),
    ],
)
def test_lookalikes_share_a_key(a, b):
    assert search_key(a) == search_key(b)


# --- collation ---------------------------------------------------------------------

C_PAIRS = [
    ("C1", "\u1780\u17c5\u17a2\u17b8", "\u1780\u17bb\u17c6"),
    ("C2", "\u1785\u17b7\u178f\u17d2\u178f", "\u1785\u17b6\u17c6"),
    ("C3", "\u1792\u179a\u178e\u17b8", "\u1792\u1798\u17cc"),
    ("C4", "\u17ab\u179f\u17d2\u179f\u17b8", "\u179b\u17c4\u1780"),
    ("C5", "\u17a5\u17a1\u17bc\u179c", "\u17a2\u17ca\u17b8\u1793\u1792\u17ba\u178e\u17b7\u178f"),
    ("C6", "\u1780\u17b6", "\u1780\u17d2\u1794\u17b6\u179b"),
    ("C7", "\u1780\u1780", "\u1780\u17b6"),
]

REAL_ORDER = [
    "ក",
    "កក",
    "កា",
    "កៅអី",
    "កុំ",
    "កោះ",
    "ក្បាល",
    "ក្រុម",
    "ខ្មែរ",
    "ចិត្ត",
    "ចាំ",
    "ធរណី",
    "ធម៌",
    "បង់",
    "បុណ្យ",
    "ប៉ុន្តែ",
    "រៀន",
    "ឫស្សី",
    "លោក",
    "អាហារ",
    "ឥឡូវ",
    "អ៊ីនធឺណិត",
    "ឧស្សាហកម្ម",
]


@pytest.mark.parametrize(("name", "a", "b"), C_PAIRS, ids=[c[0] for c in C_PAIRS])
def test_collation_pairs(name, a, b):
    assert sort_key(a) < sort_key(b)
    assert sorted([b, a], key=sort_key) == [a, b]


def test_codepoint_order_gets_c1_to_c5_wrong():
    for _, a, b in C_PAIRS[:5]:
        assert a > b


@pytest.mark.parametrize("seed", range(5))
def test_real_ordering(seed):
    assert len(REAL_ORDER) == 23
    words = REAL_ORDER[:]
    random.Random(seed).shuffle(words)
    assert sorted(words, key=sort_key) == REAL_ORDER


@pytest.mark.parametrize(
    "ordered",
    [
        ["", " ", "-", "0", "1", "10", "\u17e2", "9", "\u1780", "a", "B", "c", "\u03b1"],
        ["apple", "Apple", "apples", "\u00e9clair", "zebra"],
        ["\u17a2", "\u17a2\u17b7", "\u17a5", "\u17a2\u17b8"],  # ឥ = អិ + secondary
        ["\u17b1", "\u17b2"],  # ឱ < ឲ
        ["\u1794\u1784", "\u1794\u1784\u17cb", "\u1794\u17b6"],
        ["\u179a\u17d2\u1798", "\u1798\u17cc"],  # robat = រ្ម + secondary
    ],
)
def test_sort_key_examples(ordered):
    assert sorted(reversed(ordered), key=sort_key) == ordered
    assert len({sort_key(s) for s in ordered}) == len(ordered)


def test_sort_key_is_a_tuple_of_ints():
    key = sort_key("ខ្មែរ AI 2025 \u17e2\u17e0")
    assert isinstance(key, tuple)
    assert all(type(x) is int for x in key)


def test_sort_key_ignores_invisibles_before_the_last_level():
    a, b = sort_key("\u1780\u17b6"), sort_key("\u1780\u200b\u17b6")
    assert a != b
    assert a[: a.index(0)] == b[: b.index(0)]


# --- index headings ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "heading"),
    [
        ("ខ្មែរ", "ខ"),
        ("\u1780\u17c6\u17bb", "ក"),
        ("ឥឡូវ", "ឥ"),
        ("ឧស្សាហកម្ម", "ឧ"),
        ("ឫស្សី", "ឫ"),
        ("\u17a3", "អ"),  # deprecated QAQ normalizes to QA
        ("\u200b\u00a0អាហារ", "អ"),
        ("AI", "#"),
        ("2025", "#"),
        ("\u17e2\u17e0", "#"),
        ("", "#"),
        ("\u17b6", "#"),
    ],
)
def test_index_heading(text, heading):
    assert index_heading(text) == heading


def test_index_headings_table():
    assert len(INDEX_HEADINGS) == len(set(INDEX_HEADINGS)) == 35 + 15
    assert INDEX_HEADINGS[0] == "ក"
    assert INDEX_HEADINGS[-1] == "ឳ"
    assert sorted(INDEX_HEADINGS, key=sort_key) == list(INDEX_HEADINGS)
    assert "\u17a3" not in INDEX_HEADINGS and "\u17a4" not in INDEX_HEADINGS
    for heading in INDEX_HEADINGS:
        assert index_heading(heading) == heading
    # sorted terms come in heading order, except that words starting with an
    # independent vowel (ឥ = អិ, ឧ = អុ...) interleave with the អ words, as in CLDR
    terms = sorted(REAL_ORDER, key=sort_key)
    headings = [index_heading(t) for t in terms]
    consonant_part = [INDEX_HEADINGS.index(h) for h in headings if h < "\u17a2"]
    assert consonant_part == sorted(consonant_part)
    assert headings[-4:] == ["អ", "ឥ", "អ", "ឧ"]


# --- validation helpers ------------------------------------------------------------


def test_invisible_chars():
    assert invisible_chars("\u1797\u17b6\u179f\u17b6\u200b\u1781") == [(4, "\u200b")]
    assert invisible_chars(N_BY_ID["N14"][1]) == []  # ZWNJ in its legal place
    assert invisible_chars(N_BY_ID["N13"][1]) == [(1, "\u200c")]
    assert invisible_chars("\u1780\u200c\u1781") == [(1, "\u200c")]
    assert invisible_chars("\u200c") == [(0, "\u200c")]
    text = "a\u200db\u2060c\ufeffd\u00a0e\u00adf\u202fg"
    assert [i for i, _ in invisible_chars(text)] == [1, 3, 5, 7, 9, 11]
    assert invisible_chars("plain text, ខ្មែរ") == []


def test_deprecated_chars():
    text = "\u17a3\u1780\u17a4\u17b4\u17b5\u17d3\u17d8"
    assert deprecated_chars(text) == [(i, text[i]) for i in (0, 2, 3, 4, 5, 6)]
    assert deprecated_chars("ខ្មែរ") == []
    # U+17D3 is reported but never changed
    assert normalize("\u1780\u17d3") == "\u1780\u17d3"


def test_duplicate_vowels():
    raw, expected = N_BY_ID["N23"][1:]
    assert normalize(raw) == expected
    assert duplicate_vowels(raw) == [2]
    assert duplicate_vowels("\u1780\u17b6\u1780\u17b6") == []
    assert duplicate_vowels("\u1780\u17c1\u17c1\u17c1") == [2, 3]


def test_has_khmer_and_latin():
    assert has_khmer("PasaExµr") is False  # ភាសាខ្មែរ typed in the Limon font encoding
    assert has_latin_letters("PasaExµr") is True
    assert has_khmer("ភាសាខ្មែរ") is True
    assert has_khmer("\u19e0") is True
    assert has_latin_letters("ភាសាខ្មែរ ២០២៥ - 2025") is False
    assert has_latin_letters("\u00e9") is True
    assert has_latin_letters("\u03b1\u03b2") is False


def test_mixed_digits():
    assert mixed_digits("\u17e2\u17e0 25") is True
    assert mixed_digits("2025") is False
    assert mixed_digits("\u17e2\u17e0\u17e2\u17e5") is False
    assert mixed_digits("") is False


def test_char_name():
    assert char_name("\u200b") == "U+200B ZERO WIDTH SPACE"
    assert char_name("\u17d2") == "U+17D2 KHMER SIGN COENG"
    assert char_name("\x00") == "U+0000 <control>"
    assert char_name("\U0010ffff").startswith("U+10FFFF ")
    with pytest.raises(ValueError):
        char_name("ab")


def test_public_api():
    for name in khmer.__all__:
        assert hasattr(khmer, name)
    assert "UTN" in khmer.__doc__ or "Technical Note #61" in khmer.__doc__
    from glossary import khmer_collation

    for name in khmer_collation.__all__:
        assert hasattr(khmer_collation, name)
    assert "CLDR" in khmer_collation.__doc__  # the collation rules are cited where they live


# --- properties --------------------------------------------------------------------

KHMER_CHARS = (
    [chr(c) for c in range(0x1780, 0x17DE)]
    + [chr(c) for c in range(0x17E0, 0x17EA)]
    + ["\u200b", "\u200c", "\u17d2", "\u17dd", "a", "Z", " ", "1"]
)
CONSONANTS = [chr(c) for c in range(0x1780, 0x17A3)]
VOWELS = [chr(c) for c in range(0x17B6, 0x17C6)] + ["\u17bb\u17c6", "\u17b6\u17c6"]
SIGNS = [chr(c) for c in range(0x17C6, 0x17D2)] + ["\u17d3", "\u17dd", "\u200c"]

khmer_text = st.text(alphabet=st.sampled_from(KHMER_CHARS), max_size=12)
syllable = st.builds(
    lambda c, sub, v, s: c + sub + v + s,
    st.sampled_from(CONSONANTS + ["\u17a5", "\u17a7", "\u17ab"]),
    st.one_of(st.just(""), st.sampled_from(CONSONANTS).map(lambda c: "\u17d2" + c)),
    st.one_of(st.just(""), st.sampled_from(VOWELS)),
    st.one_of(st.just(""), st.sampled_from(SIGNS)),
)
# syllables with their marks shuffled, as users type them
scrambled_syllable = syllable.flatmap(
    lambda s: st.permutations(list(s[1:])).map(lambda rest: s[0] + "".join(rest))
)
words = st.lists(st.one_of(syllable, scrambled_syllable), min_size=1, max_size=4).map("".join)
any_text = st.one_of(khmer_text, words)

PROPS = settings(max_examples=300, deadline=None, database=None)


@PROPS
@given(any_text)
def test_normalize_is_idempotent(x):
    once = normalize(x)
    assert normalize(once) == once
    kept = normalize(x, fold_coeng_da=False)
    assert normalize(kept, fold_coeng_da=False) == kept


@PROPS
@given(any_text)
def test_normalize_output_is_nfc(x):
    once = normalize(x)
    assert nfc(once) == once
    assert "\ufeff" not in once


@PROPS
@given(any_text)
def test_normalize_never_adds_zwsp(x):
    assert normalize(x).count("\u200b") == x.count("\u200b")


@PROPS
@given(any_text, any_text)
def test_sort_key_total_order(a, b):
    ka, kb = sort_key(a), sort_key(b)
    assert [ka < kb, ka == kb, ka > kb].count(True) == 1
    assert (ka == kb) == (normalize(a) == normalize(b))


@PROPS
@given(any_text, any_text, any_text)
def test_sort_key_transitive(a, b, c):
    x, y, z = sorted([a, b, c], key=sort_key)
    assert sort_key(x) <= sort_key(y) <= sort_key(z)
    assert sort_key(x) <= sort_key(z)


@PROPS
@given(any_text)
def test_sort_key_sees_only_normalized_text(x):
    assert sort_key(x) == sort_key(normalize(x))


@PROPS
@given(any_text)
def test_search_key_is_idempotent(x):
    key = search_key(x)
    assert search_key(key) == key
    assert key == key.strip()
    assert "\u200b" not in key and "\u200c" not in key


@PROPS
@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_ascii_is_unchanged(x):
    assert normalize(x) == x


@PROPS
@given(st.text(alphabet=st.characters(exclude_characters="\ufeff", max_codepoint=0x17FF)))
def test_text_without_khmer_is_only_nfc(x):
    if not has_khmer(x):
        assert normalize(x) == nfc(x)


@given(any_text)
@settings(max_examples=300, deadline=None, database=None)
def test_search_key_normalized_agrees_on_stored_text(word: str) -> None:
    stored = khmer.clean_term(word)
    assert khmer.search_key_normalized(stored) == khmer.search_key(stored)


@PROPS
@given(any_text, st.booleans())
def test_fast_path_agrees_with_full_normalization(x, fold):
    # normalize() skips the cluster walk for text already in the stored form; both
    # paths must give the same result on raw input and on stored (normalized) text.
    assert normalize(x, fold_coeng_da=fold) == khmer._normalize_full(x, fold)
    stored = khmer._normalize_full(x, fold)
    assert normalize(stored, fold_coeng_da=fold) == stored


@PROPS
@given(any_text, st.booleans())
def test_a_remembered_result_agrees_with_full_normalization(x, fold):
    # normalize() returns a text it returned lately as it is (it is idempotent); that
    # shortcut must agree with the full rule, and must not leak across fold settings.
    khmer._RETURNED[True].clear()
    khmer._RETURNED[False].clear()
    once = normalize(x, fold_coeng_da=fold)
    stored = khmer._STORED_FOLDED if fold else khmer._STORED_KEPT
    if not once.isascii() and stored.fullmatch(once):  # a text the fast path returns
        assert once in khmer._RETURNED[fold]
    assert normalize(once, fold_coeng_da=fold) == khmer._normalize_full(once, fold) == once
    assert normalize(once, fold_coeng_da=not fold) == khmer._normalize_full(once, not fold)
    assert normalize(x, fold_coeng_da=not fold) == khmer._normalize_full(x, not fold)


def test_remembered_results_on_real_khmer_and_typed_order():
    # real terms (stored form), a typed-order word, a coeng-da: the memo gives what the
    # full rule gives, first and second time, with either fold setting
    words = ["បញ្ញាសិប្បនិម្មិត", "ទិន្នន័យ", "អភិបាលកិច្ច", "ម៉ូដែល", "ខែ្មរ",
             "\u1780\u17c1\u17b8", "\u1780\u17d2\u178a", "AI ប្រព័ន្ធ\u200b"]
    for fold in (True, False):
        for word in words:
            expected = khmer._normalize_full(word, fold)
            assert normalize(word, fold_coeng_da=fold) == expected
            assert normalize(word, fold_coeng_da=fold) == expected
            assert normalize(expected, fold_coeng_da=fold) == expected
    assert normalize("ខែ្មរ") == "ខ្មែរ"  # a raw text is never taken for a result
    assert normalize("ខ្មែរ") in khmer._RETURNED[True]


def test_the_memo_of_results_is_bounded(monkeypatch):
    monkeypatch.setattr(khmer, "_RETURNED_MAX", 3)
    khmer._RETURNED[True].clear()
    for word in ("ក", "ខ", "គ", "ឃ", "ង"):
        normalize(word)
    assert len(khmer._RETURNED[True]) <= 3


def test_fast_path_accepts_common_stored_terms():
    # the shortcut must actually apply to ordinary stored terms, or it is dead code
    for term in ("បញ្ញាសិប្បនិម្មិត", "ទិន្នន័យ", "ប្រព័ន្ធ", "អភិបាលកិច្ច", "ម៉ូដែល", "ហានិភ័យ"):
        assert khmer._STORED_FOLDED.fullmatch(term), term
        assert normalize(term) == term
    # and never to text that needs work (typed order, split vowel, coeng-da)
    for raw in ("ខែ្មរ", "\u1780\u17c1\u17b8", "\u1780\u17d2\u178a"):
        assert not khmer._STORED_FOLDED.fullmatch(raw)


@PROPS
@given(any_text)
def test_validation_helpers_agree_with_their_definitions(x):
    # the helpers use regular expressions; these are the definitions they implement
    assert khmer.duplicate_vowels(x) == [
        i for i in range(1, len(x)) if "\u17b6" <= x[i] <= "\u17c5" and x[i] == x[i - 1]
    ]
    assert khmer.deprecated_chars(x) == [
        (i, ch) for i, ch in enumerate(x) if ch in "\u17a3\u17a4\u17b4\u17b5\u17d3\u17d8"
    ]
    latin = any(
        ch.isalpha() and (ch.isascii() or unicodedata.name(ch, "").startswith("LATIN"))
        for ch in x + "é" * (len(x) % 2)
    )
    assert khmer.has_latin_letters(x + "é" * (len(x) % 2)) == latin


@PROPS
@given(any_text)
def test_check_prefilter_misses_nothing(x):
    # validate skips these checks on text the prefilter finds nothing in
    if khmer.CHECK_PREFILTER.search(x) is None:
        assert not khmer.invisible_chars(x)
        assert not khmer.deprecated_chars(x)
        assert not khmer.duplicate_vowels(x)
        assert not khmer.mixed_digits(x)
    for text in ("\u1780\u200b\u1781", "\u1780\u17b6\u17b6", "\u17a3", "ក1១", "\u1780\u00a0"):
        assert khmer.CHECK_PREFILTER.search(text)


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_search_key_of_ascii_text_takes_the_short_way_to_the_same_key(text: str) -> None:
    full = khmer._fold_key(khmer.normalize(text.translate(khmer._KEY_DELETE),
                                           fold_coeng_da=True))
    assert khmer.search_key(text) == full


def test_a_removed_invisible_character_leaves_a_normalized_term() -> None:
    # found by hypothesis: ZWSP between a vowel and a coeng; once it is gone they are
    # one cluster, in the stored order (a coeng that ends it stays last)
    cleaned = khmer.clean_term("\u17b6\u200b\u17d2")
    assert cleaned == "\u17b6\u17d2" == khmer.normalize(cleaned)
    # a stray coeng inside a cluster still goes first
    assert khmer.clean_term("\u17b6\u200b\u17d2\u17c6") == "\u17d2\u17b6\u17c6"


#: Every mark the cluster rules move, with two bases, ZWNJ/ZWSP, a space and a Latin
#: letter: every string of up to three of them is checked whole (5,219 strings).
SHORT_ALPHABET = ("\u1780", "\u179a", "\u17d2", "\u17dd", "\u17b6", "\u17b7", "\u17bb",
                  "\u17c6", "\u17c9", "\u17cc", "\u200c", "\u200b", "\u17c1", "\u17b8",
                  "\u178a", " ", "a")


def short_strings(longest: int = 3) -> list[str]:
    import itertools

    return ["".join(t) for n in range(1, longest + 1)
            for t in itertools.product(SHORT_ALPHABET, repeat=n)]


def test_normalize_and_search_key_are_idempotent_on_every_short_string() -> None:
    # found by hypothesis in a newcomer's run: atthacan, vowel, then a coeng typed last;
    # NFC puts the atthacan after the coeng, which must not move the coeng again
    assert khmer.normalize("\u17dd\u17b6\u17d2") == "\u17b6\u17d2\u17dd"
    for text in short_strings():
        for fold in (khmer.normalize, khmer.search_key):
            once = fold(text)
            assert fold(once) == once, [hex(ord(c)) for c in text]


def test_text_typed_up_to_a_coeng_keeps_it_last() -> None:
    """ស្ត្ (typed on the way to ស្ត្រ) is stored as typed, so that it stays a prefix of
    the word: moving its last coeng first made the search box find nothing mid-word."""
    typed = "\u179f\u17d2\u178f\u17d2"
    word = "\u1794\u17d2\u179a\u179c\u178f\u17d2\u178f\u17b7\u179f\u17b6" + typed + "\u179a"
    assert khmer.normalize(typed) == typed
    assert khmer.search_key(typed) in khmer.search_key(word)
    for n in range(1, len(word) + 1):  # every state of typing the word, letter by letter
        part = word[:n]
        assert khmer.search_key(part) in khmer.search_key(word), part


@PROPS
@given(any_text)
def test_clean_term_gives_stored_text(x):
    cleaned = khmer.clean_term(x)
    assert khmer.normalize(cleaned) == cleaned
    assert khmer.clean_term(cleaned) == cleaned



@pytest.mark.parametrize(("text", "found"), [
    ("\u17c2\u1781\u17d2\u1798\u179a", [0]),  # ែខ្មរ: the vowel typed first
    ("\u1781\u17d2\u1798\u17c2\u179a", []),  # ខ្មែរ
    ("\u1780 \u17b6", [2]),  # a vowel after a space
    ("(\u17b6)", [1]),
    ("\u1780\u17d4\u17b6", [2]),  # after ។
    ("\u25cc\u17b6", []),  # shown on a dotted circle on purpose
    ("\u17a2\u17ca\u200c\u17b9\u1798", []),  # ZWNJ inside a cluster (N14)
    ("\u17a7\u1794\u1780\u179a\u178e\u17cd", []),  # an independent vowel is a base
    ("\u200c\u17b6", [1]),  # a joiner is no base: normalize drops it (hypothesis found it)
    ("\u1780 \u200d\u17b6", [3]),  # nor after a space
])
def test_marks_without_base(text: str, found: list[int]) -> None:
    assert khmer.marks_without_base(text) == found


@PROPS
@given(any_text)
def test_normalize_leaves_based_marks_based(x):
    # reordering inside clusters never detaches a mark from its consonant
    if not khmer.marks_without_base(x):
        assert not khmer.marks_without_base(khmer.normalize(x))


def test_printable_text_has_nothing_to_refuse_or_remove() -> None:
    """refused_chars() and clean_term() skip their walks for text that
    str.isprintable() accepts: that is sound only if every character they act on is
    non-printable. Checked over every code point."""
    for code in range(0x110000):
        ch = chr(code)
        if ch.isprintable():
            assert not khmer._REFUSED_RE.match(ch), f"U+{code:04X}"
            assert not khmer.invisible_chars(ch), f"U+{code:04X}"
            assert ch.translate(khmer._CONTROL_CHARS) == ch, f"U+{code:04X}"
            assert ch.split() in ([ch], []), f"U+{code:04X}"


@given(st.text(alphabet=st.sampled_from("ក ខ្មែរ ស្ត្រី ញ៉ាំ\u17d2\u17b6\u17c1\u17cb\u17dd a"),
               max_size=30), st.integers(min_value=0, max_value=31))
def test_cluster_start_never_leaves_a_cluster_cut(text: str, at: int) -> None:
    """Cut at cluster_start, neither side holds part of the other's cluster: the right
    side does not start on a dependent vowel or sign, nor on a subscript consonant."""
    found = khmer.cluster_start(text, at)
    assert found <= at
    if 0 < found < len(text):
        assert not ("\u17b4" <= text[found] <= "\u17d3" or text[found] == "\u17dd")
        assert text[found - 1] != khmer.COENG
    if at <= 0 or at >= len(text):
        assert found == at


def test_cluster_start_on_real_words() -> None:
    word = "ស្ត្រី"  # ស + coeng ត + coeng រ + ី: one cluster
    assert [khmer.cluster_start(word, i) for i in range(len(word))] == [0] * len(word)
    assert khmer.cluster_start("ខ្មែរ", 3) == 0 and khmer.cluster_start("ខ្មែរ", 4) == 4
