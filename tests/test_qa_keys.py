"""glossary.qa.trie and glossary.qa.keys: the trie against a naive search, the chunked
search key against khmer.search_key, the map back to positions, English words."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glossary import khmer
from glossary.qa.keys import inflections, keyed, search_keys, words
from glossary.qa.trie import Trie

PROPS = settings(max_examples=300, deadline=None, database=None)
ZWSP = "\u200b"

# --------------------------------------------------------------------------- trie

small = st.text(alphabet="កខគ\u17d2\u17b6ab", min_size=1, max_size=5)


@PROPS
@given(st.lists(small, min_size=1, max_size=12), st.text(alphabet="កខគ\u17d2\u17b6abc",
                                                          max_size=40))
def test_trie_finds_what_a_naive_search_finds(keys, text):
    trie = Trie()
    ids = {}
    for key in keys:
        if key not in ids:
            ids[key] = len(ids)
            trie.add(key, ids[key])
    got = sorted(trie.matches(text, range(len(text))))
    expected = sorted((s, s + len(k), i) for k, i in ids.items()
                      for s in range(len(text)) if text.startswith(k, s))
    assert got == expected


def test_trie_reports_only_ends_on_a_boundary():
    trie = Trie()
    trie.add("ab", 0)
    trie.add("abc", 1)
    assert trie.matches("abcd", [0], {3}) == [(0, 3, 1)]
    assert trie.matches("abcd", [0], {2, 3}) == [(0, 2, 0), (0, 3, 1)]
    assert trie.matches("abcd", [1, 2]) == []


def test_trie_rejects_empty_keys_and_keeps_the_first_id():
    trie = Trie()
    with pytest.raises(ValueError):
        trie.add("", 0)
    trie.add("ក", 7)
    trie.add("ក", 8)
    assert len(trie) == 1
    assert trie.matches("ក", [0]) == [(0, 1, 7)]


# --------------------------------------------------------------------------- keys

CONSONANTS = [chr(c) for c in range(0x1780, 0x17A3)]
MARKS = ["\u17b6", "\u17b7", "\u17b8", "\u17bb", "\u17c1", "\u17c2", "\u17c4", "\u17c6",
         "\u17c7", "\u17c9", "\u17ca", "\u17cb", "\u17cc", "\u17dd", "\u17d2"]
PIECES = CONSONANTS[:12] + MARKS + [ZWSP, "\u200c", "\ufeff", " ", "\n", "\u00a0", "A",
                                    "b", "\u0301", "e", "\u17e2", "1", "\u17a3", "\u17b4"]
mixed_text = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


@PROPS
@given(mixed_text)
def test_chunked_key_is_the_search_key_of_the_whole_text(text):
    assert " ".join(keyed(text).key.split()) == khmer.search_key(text)


@PROPS
@given(mixed_text, mixed_text)
def test_a_term_maps_back_to_where_it_was_written(before, after):
    term = "ទិន្នន័យ" + ZWSP + "ផ្ទាល់ខ្លួន"
    text = before + " " + term + " " + after
    kt = keyed(text)
    term_key = khmer.search_key(term)
    start = kt.key.find(term_key, len(" ".join(keyed(before).key.split())))
    assert start >= 0
    span = kt.span(start, start + len(term_key))
    assert span == (len(before) + 1, len(before) + 1 + len(term))


def test_span_refuses_a_match_inside_a_cluster():
    kt = keyed("ក្រុម")  # key: ក ្ រ ុ ម; "ក" alone ends inside the cluster ក្រុ
    assert kt.span(0, 1) is None
    assert kt.span(0, 4) == (0, 4)
    assert kt.span(2, 4) is None  # starts at the subscript


def test_zero_width_characters_are_not_part_of_a_span():
    text = "ការពារ" + ZWSP + "ទិន្នន័យ" + ZWSP + "នេះ"
    kt = keyed(text)
    start = kt.key.find("ទិន្នន័យ")
    assert kt.span(start, start + len("ទិន្នន័យ")) == (7, 7 + len("ទិន្នន័យ"))


def test_a_blank_line_breaks_the_key():
    assert keyed("personal\n\ndata").key == "personal\ndata"
    assert keyed("personal\n  data").key == "personal data"


# --------------------------------------------------------------------------- English

@pytest.mark.parametrize(("word", "base"), [
    ("models", "model"), ("policies", "policy"), ("processes", "process"),
    ("biases", "bias"), ("governs", "govern"), ("model's", "model"), ("models'", "models"),
    ("LLMs".casefold(), "llm"),
])
def test_inflections_include_the_base_form(word, base):
    assert base in inflections(word)


@pytest.mark.parametrize(("word", "other"), [
    ("governs", "governance"), ("governance", "govern"), ("remodel", "model"),
    ("class", "clas"), ("data", "datum"),
])
def test_inflections_never_reach_another_word(word, other):
    assert other not in inflections(word)


def test_words_know_when_they_are_joined():
    toks = words("AI-model, data\nscience. Policy ទិន្នន័យ AI")
    assert [(w.text, w.joined) for w in toks] == [
        ("AI", False), ("model", True), ("data", False), ("science", True),
        ("Policy", False), ("AI", False),
    ]


def test_chunked_key_matches_search_key_on_every_real_msgstr():
    import polib

    from tests.conftest import SAMPLES

    checked = 0
    for path in sorted((SAMPLES / "po").glob("*.po")):
        for entry in polib.pofile(str(path)):
            for text in (entry.msgstr, *entry.msgstr_plural.values()):
                if text:
                    assert " ".join(keyed(text).key.split()) == khmer.search_key(text), text
                    checked += 1
    assert checked > 1500


def test_search_keys_in_one_call_equal_one_by_one():
    texts = ["ស្រ្តី", " គំរូ  AI ", "\u17b6ក", "ខែ្មរ\u200b", "Translation Memory", "", "a\x00b",
             "\u17d2\u178a", "ក\u17e2\u17e0"]
    assert search_keys(texts) == [khmer.search_key(t) for t in texts]
    assert search_keys(texts[:-3]) == [khmer.search_key(t) for t in texts[:-3]]
