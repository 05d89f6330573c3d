"""Search: the one specification of matching and ranking, for ``glossary search`` and
the site's search page.

The site's ``static/js/search.js`` is a line-for-line port of :func:`find`, and
``static/js/khmer-key.js`` of :func:`match_key`; ``tests/data/search_cases.toml`` runs
the same cases through the CLI and through the site in Chromium, and a parity test
compares both result lists on many more queries. Change both, or neither.

**Keys.** A text's matching key is :func:`glossary.khmer.search_key` (case, zero-width
characters, Khmer typing order, Khmer digits), then punctuation (hyphens, slashes,
dots, quotes, brackets…) read as a space, a space between two Khmer letters dropped
(Khmer is written without spaces between words; ``ទិន្នន័យ ផ្ទាល់ខ្លួន`` is
``ទិន្នន័យផ្ទាល់ខ្លួន``), and each word's English plural folded (:func:`stem`). Its
*compact* form has no space at all, so ``human in the loop``, ``human-in-the-loop``
and ``humanintheloop`` are one key, as are ``deep fake`` and ``deepfake``, ``gen AI``
and ``GenAI``. Matching compares the keys with each long quality noun folded to its
adjective (:func:`derive`: ``transparent`` finds *transparency*); "did you mean"
compares the keys as they are.

**Matching**, from the best tier to the worst (a result's tier is its best term's):

====  ==================================================================
tier  the term's key and the query's key
====  ==================================================================
0     exact: the compact forms are equal
1     whole words: every query word is a word of the term, in any order
2     prefix: the term's compact form starts with the query's
3     word prefixes: every query word starts a word of the term, any order
4     substring: the query's compact form is inside the term's
====  ==================================================================

A document is also found by its id (``asean-guide-2024``), and a section by its number
as the glossary cites it (``B.2``, ``§B.2``).

**Ranking**: tier, then headword before alternative (a concept's preferred term in
either language is its headword; a document's or section's titles rank as
alternatives), then a concept before a document or section, then the matched term's
compact length (shorter first), then the page language's order (English A–Z, or
Khmer dictionary order on Khmer pages).

**Did you mean**: when nothing matches a query of 4 or more characters, the terms
within a small edit distance (optimal string alignment: insertions, deletions,
substitutions and swaps of two neighbours; 1 up to 6 characters, 2 above) of the
query's compact form are suggested, closest first, ranked as above.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from glossary import khmer, khmer_collation
from glossary.model import Concept, ConceptStatus, Glossary, ReviewState
from glossary.model import Term as ConceptTerm

INDEX_VERSION = 4  # 4: the two orders as lists beside the items

#: Characters read as a space in a key (``khmer-key.js`` has the same list).
PUNCTUATION = "-\u2010\u2011\u2012\u2013\u2014\u2015_/\\.,;:!?()[]{}\"'\u2018\u2019\u201c" \
    "\u201d\u00ab\u00bb\u00b7\u2022&+*|\u17d4\u17d5\u17d6"
_PUNCT = str.maketrans({ch: " " for ch in PUNCTUATION})
_KHMER = re.compile(r"[\u1780-\u17ff\u19e0-\u19ff]")

TIERS: tuple[str, ...] = ("exact", "words", "prefix", "word-prefix", "substring")
SUGGESTIONS = 5
SUGGEST_MIN = 4  # shortest query (compact code points) that gets suggestions


def stem(word: str) -> str:
    """Fold an English plural to its singular, conservatively (``policies`` → ``policy``).

    Kept deliberately small so that the JavaScript port is obviously the same function.
    A folded form only has to equal the folded singular (``analyses`` → ``analys``, and
    ``analysis`` stays ``analysis``: prefix and substring tiers still find it).
    """
    n = len(word)
    if n > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if n > 4 and word.endswith(("ses", "xes", "ches", "shes")):
        return word[:-2]
    if n > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "as")):
        return word[:-1]
    return word


def derive(word: str) -> str:
    """The adjective of a long quality noun, so that a drafter who types the word of a
    principle as a sentence uses it finds the concept (``transparent`` finds
    *transparency*, ``accountable`` *accountability*, ``robust`` *robustness*):
    ``-ability``/``-ibility`` → ``-able``/``-ible`` (9 letters or more), ``-ness`` → ∅ (8
    or more), ``-ency`` → ``-ent`` and ``-ance`` → ``-ant`` (10 or more). The lengths
    leave short words alone, where the pairs part ways (*agency*, *agent*; *latency*,
    *latent*; *emergency*, *emergent*); a fold that makes no English word (*governance*
    → ``governant``) only has to equal itself. Matching compares these forms; "did you
    mean" compares the keys themselves, so that a misspelt noun is still near its term."""
    n = len(word)
    if n >= 9 and word.endswith(("ability", "ibility")):
        return word[:-5] + "le"
    if n >= 8 and word.endswith("ness"):
        return word[:-4]
    if n >= 10 and word.endswith(("ency", "ance")):
        return word[:-2] + "t"
    return word


def derived(key: str) -> str:
    """A matching key with each word's quality noun folded (:func:`derive`)."""
    return " ".join(derive(word) for word in key.split(" "))


def match_key(text: str) -> str:
    """The matching key of ``text`` (see the module docstring): words separated by
    one space; Khmer runs joined."""
    words = khmer.search_key(text).translate(_PUNCT).split()
    out: list[str] = []
    for word in words:
        if out and _KHMER.match(word[0]) and _KHMER.match(out[-1][-1]):
            out[-1] += stem(word)
        else:
            out.append(stem(word))
    return " ".join(out)


# --- the index -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Term:
    lang: str
    text: str
    key: str
    head: bool  # a headword: the preferred term of its concept in its language
    #: a concept's other term: its administrative status (admitted, deprecated,
    #: superseded), or "rejected" when a reviewer rejected it, which a drafter who
    #: searched for it must see; "" for a headword, a document or a section
    status: str = ""


@dataclass(frozen=True, slots=True)
class Item:
    """Something search can find: a concept, a source document, or a section of one."""

    kind: str  # "concept" | "document" | "section"
    id: str
    path: str  # language-neutral, e.g. "concepts/ai-model.html"
    en: str
    km: str
    en_review: str  # review state of the English headword ("" for documents)
    km_review: str
    en_order: int  # position in English order
    km_order: int  # position in Khmer dictionary order
    terms: tuple[Term, ...]


class Row(NamedTuple):
    """An item of the index without its places in English and Khmer order (which
    depend on every other item): what :func:`concept_row` and :func:`reference_rows`
    make, one concept, document or section each."""

    kind: str
    id: str
    path: str
    en: str
    km: str
    en_review: str
    km_review: str
    terms: tuple[Term, ...]


def findable(concept: Concept) -> bool:
    """Whether search finds the concept: every concept but a retired one."""
    return concept.status is not ConceptStatus.RETIRED


def _status(term: ConceptTerm) -> str:
    """What a search result says of a concept's other term that matched."""
    if term.review.state is ReviewState.REJECTED:
        return ReviewState.REJECTED.value
    return term.admin_status.value


def concept_row(concept: Concept) -> Row | None:
    """The concept's row (None when search does not find it: :func:`findable`)."""
    if not findable(concept):
        return None
    en, km = concept.en.preferred, concept.km.preferred
    terms = tuple(Term(lang, term.text, match_key(term.text), term is head,
                       "" if term is head else _status(term))
                  for lang, head in (("en", en), ("km", km))
                  for term in concept.lang(lang).terms)
    return Row("concept", concept.id, f"concepts/{concept.id}.html",
               en.text if en else "", km.text if km else "",
               en.review.state.value if en else "", km.review.state.value if km else "",
               terms)


def reference_rows(glossary: Glossary,
                   section_anchor: Callable[[str], str] | None = None) -> list[Row]:
    """Every document and section of the registry, as rows. ``section_anchor`` maps
    a section id to its anchor on the document page (the site's
    :func:`glossary.site.pages.section_anchor`); the default is ``s-<id>``."""
    anchor = section_anchor or (lambda sid: "s-" + sid)
    rows: list[Row] = []
    for doc in glossary.documents:
        page = f"documents/{doc.id}.html"
        titles = _english_terms((doc.short, doc.title, doc.id))  # the id: as cited
        if doc.title_km:
            titles.append(Term("km", doc.title_km, match_key(doc.title_km), False))
        rows.append(Row("document", doc.id, page, doc.short, doc.title_km or "", "", "",
                        tuple(titles)))
        for sec in doc.sections:
            # the title, and the number as the glossary cites it (B.2, §B.2); not with the
            # document's name, which every section of the document would then match
            terms = _english_terms((sec.title, sec.id, f"§{sec.id}"))
            if sec.title_km:
                terms.append(Term("km", sec.title_km, match_key(sec.title_km), False))
            rows.append(Row("section", f"{doc.id}#{sec.id}", f"{page}#{anchor(sec.id)}",
                            f"{doc.short} §{sec.id} {sec.title}", sec.title_km or "", "", "",
                            tuple(terms)))
    return rows


def _english_terms(texts: Sequence[str]) -> list[Term]:
    """A document's or section's English terms: each text whose key no earlier one has."""
    keyed: dict[str, str] = {}
    for text in texts:
        keyed.setdefault(match_key(text), text)
    return [Term("en", text, key, False) for key, text in keyed.items()]


def orders(heads: Sequence[tuple[str, str, str]],
           km_sort_key: Callable[[str], Any] = khmer_collation.sort_key,
           ) -> tuple[list[int], list[int]]:
    """Each item's place in English and in Khmer order, from its (id, English headword,
    Khmer headword); an item without a Khmer headword comes after those with one."""
    en_rank = _ranks([(en.casefold(), en, ident) for ident, en, _ in heads])
    km_rank = _ranks([(not km, km_sort_key(km) if km else (), en.casefold(), ident)
                      for ident, en, km in heads])
    return en_rank, km_rank


def index_items(glossary: Glossary,
                section_anchor: Callable[[str], str] | None = None,
                km_sort_key: Callable[[str], Any] = khmer_collation.sort_key) -> list[Item]:
    """Every active concept, then every document and section, as search items.

    ``section_anchor``: as for :func:`reference_rows`. ``km_sort_key``:
    :func:`khmer_collation.sort_key`, or keys that order the same way (the site's kept
    keys, :class:`glossary.site.sort_keys.KmSortKeys`)."""
    rows = [row for concept in glossary.concepts if (row := concept_row(concept))]
    rows += reference_rows(glossary, section_anchor)
    en_rank, km_rank = orders([(r.id, r.en, r.km) for r in rows], km_sort_key)
    return [Item(r.kind, r.id, r.path, r.en, r.km, r.en_review, r.km_review, en_rank[i],
                 km_rank[i], r.terms) for i, r in enumerate(rows)]


def _ranks(keys: Sequence[Any]) -> list[int]:
    order = sorted(range(len(keys)), key=keys.__getitem__)
    ranks = [0] * len(keys)
    for position, i in enumerate(order):
        ranks[i] = position
    return ranks


# --- finding -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Hit:
    item: Item
    term: Term  # the best-matching term
    tier: int

    @property
    def match(self) -> str:
        return TIERS[self.tier]


@dataclass(frozen=True, slots=True)
class Suggestion:
    item: Item
    term: Term
    distance: int


@dataclass(frozen=True, slots=True)
class Found:
    query: str
    key: str
    hits: tuple[Hit, ...]  # at most ``limit``
    total: int  # every match
    suggestions: tuple[Suggestion, ...]  # only when nothing matched


class Index:
    """Items with each term's compact key and words (:func:`derived`, for matching) and
    its compact key as it is (for "did you mean"), prepared once for many queries."""

    def __init__(self, items: Sequence[Item]) -> None:
        self.items = list(items)
        self.prepared = [[_prepared(t) for t in item.terms] for item in self.items]


def _prepared(term: Term) -> tuple[Term, str, list[str], str]:
    key = derived(term.key)
    return term, key.replace(" ", ""), key.split(" "), term.key.replace(" ", "")


def tier_of(compact: str, words: list[str], qc: str, qw: list[str]) -> int:
    """The tier of a term (its compact key and words) for a query, or -1."""
    if compact == qc:
        return 0
    if all(w in words for w in qw):
        return 1
    if compact.startswith(qc):
        return 2
    if all(any(t.startswith(w) for t in words) for w in qw):
        return 3
    if qc in compact:
        return 4
    return -1


def find(index: Index, query: str, *, lang: str = "en", limit: int = 100) -> Found:
    """Every item matching ``query``, best first (``lang``: the page's language, for
    the last tie-break); at most ``limit`` hits, ``total`` counts them all."""
    key = match_key(query)
    if not key:
        return Found(query, key, (), 0, ())
    qw = derived(key).split(" ")
    qc = "".join(qw)
    longest = max(qw, key=len)  # the first longest, as in search.js
    ranked: list[tuple[int, bool, int, int, int, Hit]] = []
    for n, (item, terms) in enumerate(zip(index.items, index.prepared, strict=True)):
        best = -1
        best_term: tuple[Term, str, list[str], str] | None = None
        for prepared in terms:
            term, compact, words, _plain = prepared
            if longest not in compact:  # every tier needs each query word in the key
                continue
            tier = tier_of(compact, words, qc, qw)
            if tier < 0:
                continue
            score = tier * 2 + (0 if term.head else 1)
            if best < 0 or score < best or (score == best and best_term is not None
                                            and len(compact) < len(best_term[1])):
                best, best_term = score, prepared
        if best_term is not None:
            order = item.km_order if lang == "km" else item.en_order
            # a concept before a document or section that matches as well
            ranked.append((best, item.kind != "concept", min(len(best_term[1]), 4095), order,
                           n, Hit(item, best_term[0], best // 2)))
    ranked.sort(key=lambda r: r[:5])
    hits = tuple(r[5] for r in ranked[:limit])
    suggestions = () if ranked else suggest(index, key.replace(" ", ""), lang=lang)
    return Found(query, key, hits, len(ranked), suggestions)


def suggest(index: Index, qc: str, *, lang: str = "en") -> tuple[Suggestion, ...]:
    """Terms close to ``qc`` (a compact query key), for "did you mean"."""
    if len(qc) < SUGGEST_MIN:
        return ()
    limit = 1 if len(qc) <= 6 else 2
    ranked: list[tuple[int, int, int, int, int, Suggestion]] = []
    for n, (item, terms) in enumerate(zip(index.items, index.prepared, strict=True)):
        best: tuple[int, int, int, Suggestion] | None = None
        for term, _derived, _words, compact in terms:
            if abs(len(compact) - len(qc)) > limit:
                continue
            distance = edit_distance(qc, compact, limit)
            if distance > limit:
                continue
            candidate = (distance, 0 if term.head else 1, len(compact),
                         Suggestion(item, term, distance))
            if best is None or candidate[:3] < best[:3]:
                best = candidate
        if best is not None:
            order = item.km_order if lang == "km" else item.en_order
            ranked.append((best[0], best[1], best[2], order, n, best[3]))
    ranked.sort(key=lambda r: r[:5])
    return tuple(r[5] for r in ranked[:SUGGESTIONS])


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance of ``a`` and ``b``; any value above ``limit``
    is returned as ``limit + 1`` (rows stop early once every cell exceeds it)."""
    if a == b:
        return 0
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        low = cur[0]
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            value = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if (i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]
                    and prev2[j - 2] + 1 < value):
                value = prev2[j - 2] + 1
            cur[j] = value
            low = min(low, value)
        if low > limit:
            return limit + 1
        prev2, prev = prev, cur
    return min(prev[len(b)], limit + 1)
