"""What the glossary says about each term, for QA, and the matchers built from it.

:class:`Reference` is built once from a :class:`~glossary.model.Glossary` and a review
threshold (``min_review``: ``approved`` or ``proposed``).  Every Khmer term of every
active concept gets a :class:`Role`:

* ``GOOD`` -- preferred or admitted, reviewed to the threshold: the *reference* terms;
* ``DEPRECATED`` -- deprecated or superseded, with that status reviewed to the threshold;
* ``REJECTED`` -- rejected by review (whatever its status);
* ``NEUTRAL`` -- anything else (a draft, or a proposal when only approved terms count).
  Neutral terms find nothing, but as known vocabulary they shadow shorter terms inside
  them.

English terms (except rejected ones) tell which concepts a text mentions.

Matching follows leftmost-longest: of the matches that start at one place the longest
wins, and matches that overlap an earlier one are dropped, so a term inside a longer
term (គំរូ inside គំរូភាសាធំ, *model* inside *large language model*) is not counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from glossary.model import AdminStatus, Concept, ConceptStatus, Glossary, ReviewState, Term
from glossary.qa.keys import (
    KeyedText,
    Word,
    base_is_upper,
    inflections,
    is_word_char,
    search_keys,
    term_words,
    words,
)
from glossary.qa.keys import keyed as make_keyed
from glossary.qa.trie import Trie
from glossary.selection import ACCEPTED

__all__ = ["EnHit", "KmEntry", "KmHit", "Reference", "Role"]

class Role(StrEnum):
    GOOD = "good"
    NEUTRAL = "neutral"
    DEPRECATED = "deprecated"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class KmEntry:
    concept: str
    term: Term
    role: Role


@dataclass(frozen=True, slots=True)
class EnEntry:
    concept: str
    term: Term
    upper: tuple[bool, ...]  # which words must be written in capitals (acronyms)


@dataclass(frozen=True, slots=True)
class KmHit:
    """A Khmer-side match: the span of the original text and what the term is."""

    start: int
    end: int
    found: str
    entries: tuple[KmEntry, ...]

    def roles(self) -> set[Role]:
        return {e.role for e in self.entries}


@dataclass(frozen=True, slots=True)
class EnHit:
    start: int
    end: int
    found: str
    entries: tuple[EnEntry, ...]

    @property
    def concepts(self) -> list[str]:
        return list(dict.fromkeys(e.concept for e in self.entries))


def _leftmost_longest(spans: Iterable[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Keep, from (start, end, id) spans, the longest at each start; drop overlaps."""
    chosen: list[tuple[int, int, int]] = []
    last_end = -1
    for start, end, pid in sorted(spans, key=lambda s: (s[0], -s[1], s[2])):
        if start >= last_end:
            chosen.append((start, end, pid))
            last_end = end
    return chosen


class Reference:
    """The glossary seen by QA at one review threshold, with its two matchers."""

    def __init__(self, glossary: Glossary, min_review: str = "approved") -> None:
        if min_review not in ACCEPTED:
            raise ValueError(f"min_review must be one of {', '.join(ACCEPTED)}")
        self.glossary = glossary
        self.min_review = min_review
        self._accepted = ACCEPTED[min_review]
        self.concepts: dict[str, Concept] = {}
        self.good: dict[str, tuple[Term, ...]] = {}
        for concept in glossary.concepts:
            if concept.status is ConceptStatus.RETIRED:
                continue
            self.concepts[concept.id] = concept
            good = [t for t in concept.km.terms if _role(t, self._accepted) is Role.GOOD]
            # preferred reference terms first, then admitted ones
            good.sort(key=lambda t: t.admin_status is not AdminStatus.PREFERRED)
            self.good[concept.id] = tuple(good)

    # ------------------------------------------------------------------ building
    # The two indexes are built on first use: a Khmer document without Latin
    # words never needs the English one, an English text never the Khmer one.

    @cached_property
    def _khmer_index(self) -> tuple[Trie, list[tuple[KmEntry, ...]]]:
        trie = Trie()
        entries: list[tuple[KmEntry, ...]] = []
        ids: dict[str, int] = {}
        terms = [(c.id, t) for c in self.concepts.values() for t in c.km.terms]
        for (concept_id, term), key in zip(
                terms, search_keys([t.text for _, t in terms]), strict=True):
            if not key:
                continue
            entry = KmEntry(concept_id, term, _role(term, self._accepted))
            kid = ids.get(key)
            if kid is None:
                ids[key] = len(entries)
                trie.add(key, len(entries))
                entries.append((entry,))
            else:
                entries[kid] = (*entries[kid], entry)
        return trie, entries

    @cached_property
    def _english_index(self) -> _EnglishIndex:
        index = _EnglishIndex()
        for concept in self.concepts.values():
            for term in concept.en.terms:
                if term.review.state is not ReviewState.REJECTED:
                    index.add(concept.id, term)
        return index

    # ------------------------------------------------------------------ queries

    def suggestion(self, concept_id: str) -> Term | None:
        """The reference term to use for a concept: its first good preferred term,
        else its first good admitted term; None when nothing is reviewed that far."""
        good = self.good.get(concept_id, ())
        return good[0] if good else None

    def best_khmer(self, concept_id: str) -> Term | None:
        """The Khmer term to show for a concept even below the threshold: the reference
        term, else the first preferred (then admitted) term that review did not reject."""
        term = self.suggestion(concept_id)
        if term is not None:
            return term
        concept = self.concepts.get(concept_id)
        if concept is None:
            return None
        for status in (AdminStatus.PREFERRED, AdminStatus.ADMITTED):
            for candidate in concept.km.terms:
                if candidate.admin_status is status and (
                        candidate.review.state is not ReviewState.REJECTED):
                    return candidate
        return None

    def find_khmer(self, text: str | KeyedText) -> list[KmHit]:
        """Khmer-side terms in ``text`` (matched on search keys), leftmost-longest.

        A match starts and ends on cluster boundaries; a key that begins or ends with
        a Latin letter or digit (an acronym kept in English) must be a whole word."""
        kt = text if isinstance(text, KeyedText) else make_keyed(text)
        key = kt.key
        if not key:
            return []
        trie, entries = self._khmer_index
        starts = dict.fromkeys(kt.key_starts)  # ascending, without repeats
        spans = [
            (start, end, kid)
            for start, end, kid in trie.matches(key, starts, starts)
            if not (start and is_word_char(key[start]) and is_word_char(key[start - 1]))
            and not (end < len(key) and is_word_char(key[end - 1]) and is_word_char(key[end]))
        ]
        hits: list[KmHit] = []
        for start, end, kid in _leftmost_longest(spans):
            span = kt.span(start, end)
            if span is not None:
                hits.append(KmHit(span[0], span[1], kt.text[span[0]:span[1]], entries[kid]))
        return hits

    def find_english(self, text: str) -> list[EnHit]:
        """English terms in ``text``: whole words, any case, regular plurals and
        possessives of the last word (acronyms only in capitals), leftmost-longest."""
        toks = words(text)
        if not toks:
            return []
        return self._english_index.find(text, toks)


class _EnglishIndex:
    """A trie over words: ``children[n][word]`` is the next node, ``ends[n][word]`` the
    entries of the terms whose last word is ``word`` after the words leading to n."""

    def __init__(self) -> None:
        self.children: list[dict[str, int]] = [{}]
        self.ends: list[dict[str, list[int]]] = [{}]
        self.entries: list[EnEntry] = []

    def add(self, concept_id: str, term: Term) -> None:
        originals = term_words(term.text)
        if not originals:
            return
        keys = [w.casefold() for w in originals]
        upper = tuple(len(w) > 1 and w.isupper() for w in originals)
        node = 0
        for word in keys[:-1]:
            nxt = self.children[node].get(word)
            if nxt is None:
                nxt = len(self.children)
                self.children[node][word] = nxt
                self.children.append({})
                self.ends.append({})
            node = nxt
        self.ends[node].setdefault(keys[-1], []).append(len(self.entries))
        self.entries.append(EnEntry(concept_id, term, upper))

    def find(self, text: str, toks: list[Word]) -> list[EnHit]:
        children, ends, entries = self.children, self.ends, self.entries
        spans: dict[tuple[int, int], list[int]] = {}
        n = len(toks)
        for i in range(n):
            node = 0
            j = i
            while True:
                tok = toks[j]
                end_map = ends[node]
                if end_map:
                    for form in inflections(tok.folded):
                        for eid in end_map.get(form, ()):
                            if _case_ok(entries[eid], toks, i, j, form == tok.folded):
                                spans.setdefault((toks[i].start, tok.end), []).append(eid)
                nxt = children[node].get(tok.folded)
                if nxt is None or j + 1 >= n or not toks[j + 1].joined:
                    break
                node, j = nxt, j + 1
        hits: list[EnHit] = []
        for start, end, _ in _leftmost_longest((s, e, 0) for s, e in spans):
            found = tuple(dict.fromkeys(entries[e] for e in spans[(start, end)]))
            hits.append(EnHit(start, end, text[start:end], found))
        return hits


def _case_ok(entry: EnEntry, toks: list[Word], i: int, j: int, exact: bool) -> bool:
    for k, must_be_upper in enumerate(entry.upper):
        if not must_be_upper:
            continue
        word = toks[i + k].text
        if i + k == j and not exact:
            if not base_is_upper(word):
                return False
        elif not word.isupper():
            return False
    return True


def _role(term: Term, accepted: frozenset[ReviewState]) -> Role:
    state = term.review.state
    if state is ReviewState.REJECTED:
        return Role.REJECTED
    if state not in accepted:
        return Role.NEUTRAL
    if term.admin_status in (AdminStatus.DEPRECATED, AdminStatus.SUPERSEDED):
        return Role.DEPRECATED
    return Role.GOOD
