"""Compare glossary.khmer_collation.sort_key with ICU's ``km`` collator (CLDR tailoring).

Optional: runs only where ``pyicu-wheels`` (imported as ``icu``) is installed.
"""

import functools
import random

import pytest

icu = pytest.importorskip("icu")

from glossary.khmer import normalize  # noqa: E402
from glossary.khmer_collation import sort_key  # noqa: E402

CONSONANTS = [chr(c) for c in range(0x1780, 0x17A3)]
INDEPENDENT = [chr(c) for c in range(0x17A5, 0x17B4)]
VOWELS = [chr(c) for c in range(0x17B6, 0x17C6)] + [
    "\u17bb\u17c6",
    "\u17b6\u17c6",
    "\u17c6",
    "\u17c7",
    "\u17b7\u17c7",
    "\u17bb\u17c7",
    "\u17c1\u17c7",
    "\u17c4\u17c7",
]
SIGNS = ["\u17cb", "\u17c9", "\u17ca", "\u17cd", "\u17ce", "\u17cf", "\u17d0", "\u17d1"]
SIGNS += ["\u17c8", "\u17dd", "\u17cc"]
OTHER = ["AI", "ai", "Model", "model", "\u00e9t\u00e9", "ete", "10", "9", "\u17e1\u17e0", " ", "-"]


@pytest.fixture(scope="module")
def collator():
    return icu.Collator.createInstance(icu.Locale("km"))


def _syllable(rng):
    s = rng.choice(CONSONANTS) if rng.random() < 0.9 else rng.choice(INDEPENDENT)
    if rng.random() < 0.3:
        s += "\u17d2" + rng.choice(CONSONANTS)
    if rng.random() < 0.7:
        s += rng.choice(VOWELS)
    if rng.random() < 0.2:
        s += rng.choice(SIGNS)
    return s


def _word(rng):
    return "".join(_syllable(rng) for _ in range(rng.randint(1, 3)))


def _mixed(rng):
    return "".join(
        _word(rng) if rng.random() < 0.5 else rng.choice(OTHER) for _ in range(rng.randint(1, 3))
    )


def _icu_sorted(collator, words):
    return sorted(words, key=functools.cmp_to_key(collator.compare))


def _disagreements(collator, words):
    bad = []
    for i, a in enumerate(words):
        for b in words[i + 1 :]:
            icu_cmp = collator.compare(a, b)
            if icu_cmp == 0:
                continue  # ICU says equal (e.g. ignorable differences): any order is fine
            ka, kb = sort_key(a), sort_key(b)
            if (icu_cmp < 0) != (ka < kb):
                bad.append((a, b))
    return bad


def test_vectors_agree_with_icu(collator):
    words = [
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
    ]
    words += ["ប៉ុន្តែ", "រៀន", "ឫស្សី", "លោក", "អាហារ", "ឥឡូវ", "អ៊ីនធឺណិត", "ឧស្សាហកម្ម"]
    assert _icu_sorted(collator, words) == words
    assert sorted(reversed(words), key=sort_key) == words


@pytest.mark.parametrize("seed", [1, 2])
def test_random_khmer_words_agree_with_icu(collator, seed):
    rng = random.Random(seed)
    words = sorted({normalize(_word(rng)) for _ in range(300)})
    assert _disagreements(collator, words) == []
    assert sorted(words, key=sort_key) == _icu_sorted(collator, words)


def test_random_mixed_strings_agree_with_icu(collator):
    rng = random.Random(7)
    words = sorted({normalize(_mixed(rng)) for _ in range(250)})
    assert _disagreements(collator, words) == []
