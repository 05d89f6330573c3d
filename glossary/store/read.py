"""The SQLite database: full-text search and queries. With :mod:`glossary.store.write`
(schema and bulk load), the only module with SQL.

Tables: documents, sections, domains, concept, term, definition, source_ref (and the
view term_full), for people and Datasette; search structures start with ``_``.
Search indexes (see khmer.md, "Search in SQLite"):

* ``_terms_en_fts`` — FTS5 with ``porter unicode61 remove_diacritics 2`` over English
  terms (word, stem and plural matches);
* ``_terms_tri_fts`` — FTS5 ``trigram`` over every term's search key (substrings of
  three or more code points, Khmer and English);
* ``_term_grams`` — for every 1- and 2-code-point substring of the Khmer keys, the ids of
  the terms that contain it (a packed posting list, shortest keys first), so short
  Khmer queries (កា, ខំ) are answered from an index, not by a scan, and queries of up to
  8 code points from the intersection of their rarest grams' lists;
* an index on ``term(key)`` for exact and prefix matches.
"""

from __future__ import annotations

import sqlite3
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from glossary import khmer

__all__ = ["SearchHit", "naive_search", "open_database", "search"]


@dataclass(frozen=True, slots=True)
class SearchHit:
    concept: str
    en: str | None
    km: str | None
    review: str | None
    matched: str
    lang: str
    match: str  # exact | prefix | word | substring


def open_database(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    return conn


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _singular(word: str) -> list[str]:
    forms = [word]
    if word.endswith("ies") and len(word) > 4:
        forms.append(word[:-3] + "y")
    elif word.endswith(("ses", "xes", "zes", "ches", "shes")):
        forms.append(word[:-2])
    elif word.endswith("s") and not word.endswith("ss") and len(word) > 2:
        forms.append(word[:-1])
    return forms


def _english_variants(key: str) -> list[str]:
    """The query and its singular (plural-insensitive exact and prefix matches)."""
    words = key.split(" ")
    variants = [key]
    for form in _singular(words[-1])[1:]:
        variants.append(" ".join([*words[:-1], form]))
    return variants


_HIT_SQL = """
SELECT t.concept AS concept, c.en_preferred AS en, c.km_preferred AS km,
       c.km_review AS review, t.text AS matched, t.lang AS lang, t.key AS key
FROM term t JOIN concept c ON c.id = t.concept
"""


def search(
    conn: sqlite3.Connection, query: str, *, lang: str | None = None, limit: int = 20
) -> list[SearchHit]:
    """Exact matches first, then prefix, then word (stem), then substring matches."""
    key = khmer.search_key(query)
    if not key:
        return []
    if lang is None:
        lang = "km" if khmer.has_khmer(key) else "en"
    hits: list[SearchHit] = []
    seen: set[str] = set()

    def take(sql: str, params: Iterable[Any], kind: str) -> bool:
        return _take_rows(conn.execute(sql, tuple(params)), kind)

    def _take_rows(rows: Iterable[sqlite3.Row], kind: str) -> bool:
        for row in rows:
            if row["concept"] in seen:
                continue
            seen.add(row["concept"])
            hits.append(SearchHit(row["concept"], row["en"], row["km"], row["review"],
                                  row["matched"], row["lang"], kind))
            if len(hits) >= limit:
                return True
        return False

    def take_sorted(sql: str, params: Iterable[Any], kind: str) -> bool:
        # Candidates come in index order with a LIMIT (no sort of every match in SQL);
        # the few fetched are ordered shortest first.
        rows = sorted(conn.execute(sql, tuple(params)), key=lambda r: (len(r["key"]), r["key"]))
        return _take_rows(rows, kind)

    variants = _english_variants(key) if lang == "en" else [key]
    marks = ", ".join("?" * len(variants))
    if take(f"{_HIT_SQL} WHERE t.lang = ? AND t.key IN ({marks}) "
            f"ORDER BY length(t.key), t.key, t.concept", [lang, *variants], "exact"):
        return hits
    for variant in variants:
        upper = variant + "\U0010ffff"
        if take_sorted(f"{_HIT_SQL} WHERE t.lang = ? AND t.key > ? AND t.key < ? "
                       f"ORDER BY t.lang, t.key LIMIT ?",
                       [lang, variant, upper, limit * 4], "prefix"):
            return hits
    if lang == "en":
        tokens = [tok for tok in key.replace('"', " ").split() if tok]
        if tokens:
            match = " AND ".join(f"({_phrase(tok)} OR {_phrase(tok)}*)" for tok in tokens)
            if take_sorted(f"{_HIT_SQL} WHERE t.id IN (SELECT rowid FROM _terms_en_fts "
                           f"WHERE _terms_en_fts MATCH ? LIMIT ?)", [match, limit * 4], "word"):
                return hits
    if lang == "km" and 3 <= len(key) <= _SHORT_KHMER and _from_rarest_gram(conn, key, _take_rows):
        return hits
    if len(key) >= 3:
        # the FTS query drives (a subquery), so the planner never scans terms by lang
        take_sorted(f"{_HIT_SQL} WHERE t.id IN (SELECT rowid FROM _terms_tri_fts "
                    f"WHERE _terms_tri_fts MATCH ? LIMIT ?) AND t.lang = ?",
                    [_phrase(key), limit * 8, lang], "substring")
    elif lang == "km":
        _take_ids(conn, _postings(conn, key), key, _take_rows)
    else:
        take_sorted(f"{_HIT_SQL} WHERE t.key LIKE ? ESCAPE '\\' AND t.lang = ? LIMIT ?",
                    [f"%{_like_escape(key)}%", lang, limit * 4], "substring")
    return hits


_SHORT_KHMER = 8  # code points: up to this length, candidates come from the gram lists
_RAREST_MAX = 20000  # ... when the rarest gram of the query is in at most this many terms


def _from_rarest_gram(
    conn: sqlite3.Connection, key: str, take: Callable[[Iterable[sqlite3.Row], str], bool]
) -> bool:
    """Short Khmer substrings: candidates are the terms holding the query's rarest
    2-code-point gram (a posting list, shortest keys first), checked with ``in``.
    Trigram phrase queries on common trigrams were the slow case (p99 27 ms at 100k).
    Returns False, having taken nothing, when the gram lists cannot answer cheaply."""
    grams = sorted({key[i:i + 2] for i in range(len(key) - 1)})
    marks = ", ".join("?" * len(grams))
    sizes = dict(conn.execute(
        f"SELECT gram, length(terms) FROM _term_grams WHERE gram IN ({marks})", grams))
    if len(sizes) < len(grams):
        return True  # a gram no term has: no substring match at all
    ordered = sorted(grams, key=lambda g: (sizes[g], g))
    if sizes[ordered[0]] // 4 > _RAREST_MAX:
        return False

    # candidates: the rarest gram's list (shortest keys first) intersected with the next two
    others = [set(_postings(conn, g)) for g in ordered[1:3]]
    _take_ids(conn, [i for i in _postings(conn, ordered[0]) if all(i in o for o in others)],
              key, take)
    return True


def _postings(conn: sqlite3.Connection, gram: str) -> array[int]:
    """The ids of the terms whose Khmer key holds ``gram``, shortest keys first."""
    ids = array("I")
    row = conn.execute("SELECT terms FROM _term_grams WHERE gram = ?", (gram,)).fetchone()
    if row is not None:
        ids.frombytes(row[0])
    return ids


def _take_ids(conn: sqlite3.Connection, ids: Sequence[int], key: str,
              take: Callable[[Iterable[sqlite3.Row], str], bool]) -> None:
    """Offer ``take`` the terms ``ids`` whose key holds ``key``, in that order, a few
    hundred per query, until it has enough."""
    select = _HIT_SQL.replace("SELECT ", "SELECT t.id AS id, ", 1)
    for start in range(0, len(ids), 250):
        chunk = list(ids[start:start + 250])
        found = {r["id"]: r for r in conn.execute(
            f"{select} WHERE t.id IN ({', '.join('?' * len(chunk))})", chunk)}
        if take([found[i] for i in chunk if i in found and key in found[i]["key"]],
                "substring"):
            return


def naive_search(conn: sqlite3.Connection, query: str, limit: int = 20) -> list[str]:
    """The plain ``LIKE '%q%'`` scan: the peer the benchmarks compare with."""
    key = khmer.search_key(query)
    rows = conn.execute(
        "SELECT DISTINCT concept FROM term WHERE key LIKE ? ESCAPE '\\' LIMIT ?",
        (f"%{_like_escape(key)}%", limit),
    )
    return [row[0] for row in rows]

