"""Updating ``build/glossary.db`` in place after an edit: only the changed concepts.

A whole build (:mod:`glossary.store.write`) records, per concept, the digest of the file
it was made from and the term ids it got (``_concept_digest``), and in ``meta`` the
``build_key`` (the tool's code and the settings that shape the rows). When the next
build finds the same schema version and build key, :func:`update_database` replaces, in
one SQLite transaction, the rows of the concepts whose digest changed or that are gone
(``concept``, ``term``, ``definition``, ``source_ref``, the two FTS tables and the
Khmer posting lists of ``_term_grams``), inserts the new concepts, rewrites the small
registry tables and the revision. An update that is interrupted (an exception, a
kill, a full disk) is rolled back by SQLite: the previous database stays whole.

The rows are those of a whole build; only the numbers of the terms may differ, and their
order never does: a replaced concept takes ids between its neighbours' (a whole build
leaves :data:`~glossary.store.write.ID_GAP` free ids before each concept), so every
search answers the same. When there is no room left between two neighbours, or
anything about the file is odd (missing, another schema or build key, not a database,
damaged), the caller builds the whole database again.
"""

from __future__ import annotations

import sqlite3
from array import array
from bisect import insort
from collections.abc import Mapping
from itertools import compress
from operator import attrgetter, eq, not_
from pathlib import Path

from glossary.model import Concept, Glossary
from glossary.store.write import (
    _CONCEPT_TABLES,
    ID_GAP,
    SCHEMA_VERSION,
    KmKeys,
    Rows,
    _insert,
    concept_rows,
    grams,
    insert_rows,
    registry_rows,
)

_ID_LIMIT = 2**32  # posting lists hold 32-bit ids
_CHUNK = 500  # ids or concept names per IN (...) list

_ID = attrgetter("id")


class _Cannot(Exception):
    """The database cannot be updated in place: build it whole."""


def update_database(glossary: Glossary, path: Path, *, revision: str | None,
                    digests: Mapping[str, str], build_key: str) -> int | None:
    """Update the database at ``path`` to ``glossary``; the number of terms, or None
    when it must be built whole instead (nothing was changed then)."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=rw", uri=True, isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            count = _update(conn, glossary, revision, digests, build_key)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        return count
    except (_Cannot, sqlite3.Error):
        return None
    finally:
        conn.close()


def _check(conn: sqlite3.Connection, build_key: str) -> None:
    """Refuse a database made by another schema, code or settings.

    No ``PRAGMA quick_check``: it reads every page (20-40 ms at 10,000 concepts, each
    build) to vouch for a file the build already vouches for: the build updates in place
    only a database whose size and modification time are those its last build left
    (:meth:`glossary.outputs_state.OutputState.untouched`; an interrupted update is
    rolled back by SQLite from its journal, and changes the file). A page damaged
    otherwise is an ``sqlite3.DatabaseError`` when the update reads it, and the
    database is built whole."""
    meta = dict(conn.execute("SELECT key, value FROM meta"))
    if meta.get("schema_version") != str(SCHEMA_VERSION) or meta.get("build_key") != build_key:
        raise _Cannot("another schema or build key")


def _update(conn: sqlite3.Connection, glossary: Glossary, revision: str | None,
            digests: Mapping[str, str], build_key: str) -> int:
    _check(conn, build_key)
    old = dict(conn.execute("SELECT concept, digest FROM _concept_digest"))
    concepts = glossary.concepts
    # each concept kept when its file's digest is the one stored: compared at C speed
    # (100,000 concepts: ~0.1 s as a loop), a concept without a digest never kept
    ids = list(map(_ID, concepts))
    now = list(map(digests.get, ids))
    kept = list(map(eq, map(old.get, ids), now))
    if None in now:
        kept = [keep and digest is not None for keep, digest in zip(kept, now, strict=True)]
    gone = list(old.keys() - set(ids))
    redo = list(compress(concepts, map(not_, kept)))
    stale = [c.id for c in redo if c.id in old] + gone
    removed = _delete(conn, stale)

    rows: Rows = {table: [] for table in _CONCEPT_TABLES}
    added: KmKeys = []
    for concept, first in _places(conn, concepts, kept):
        count = concept_rows(concept, first, digests.get(concept.id, ""), rows, added)
        if first + count > _ID_LIMIT:
            raise _Cannot("term ids beyond 32 bits")
    insert_rows(conn, rows)
    _update_grams(conn, removed, added)

    conn.execute("DELETE FROM documents")
    conn.execute("DELETE FROM sections")
    conn.execute("DELETE FROM domains")
    for table, registry in registry_rows(glossary.documents, glossary.domains).items():
        _insert(conn, table, registry)
    conn.execute("UPDATE meta SET value = ? WHERE key = 'revision'", (revision or "",))
    (total,) = conn.execute("SELECT total(terms) FROM _concept_digest").fetchone()
    return int(total)


def _places(conn: sqlite3.Connection, concepts: tuple[Concept, ...] | list[Concept],
            kept: list[bool]) -> list[tuple[Concept, int]]:
    """The first term id of each concept to (re)insert: between the ids of the kept
    concepts before and after it, spread out like a whole build where there is room.
    Raises :class:`_Cannot` where there is too little. Only the runs of concepts to
    insert and their kept neighbours are looked at (one edit among 100,000 concepts:
    two rows read, instead of a step per concept, ~0.2 s)."""
    places: list[tuple[Concept, int]] = []
    redo = compress(range(len(kept)), map(not_, kept))
    runs: list[list[int]] = []
    for i in redo:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    for run in runs:
        low = 0  # the last id taken by the kept concept before the run
        if run[0] > 0:
            first, count = _ids_of(conn, concepts[run[0] - 1].id)
            low = first + count - 1
        high = None  # the first id of the kept concept after it
        if run[-1] + 1 < len(concepts):
            high = _ids_of(conn, concepts[run[-1] + 1].id)[0]
        needed = sum(_term_count(concepts[i]) for i in run)
        gap = ID_GAP if high is None else min(ID_GAP, (high - 1 - low - needed) // len(run))
        if gap < 1:
            raise _Cannot("no room between two concepts' term ids")
        last = low
        for i in run:
            first_id = last + gap
            places.append((concepts[i], first_id))
            last = first_id + _term_count(concepts[i]) - 1
        if high is not None and last >= high:
            raise _Cannot("no room between two concepts' term ids")
    return places


def _ids_of(conn: sqlite3.Connection, concept_id: str) -> tuple[int, int]:
    """(first term id, number of terms) of a kept concept."""
    row = conn.execute("SELECT first_id, terms FROM _concept_digest WHERE concept = ?",
                       (concept_id,)).fetchone()
    if row is None:  # kept, so recorded: a database changed behind the build's back
        raise _Cannot("a kept concept has no ids")
    return row[0], row[1]


def _term_count(concept: Concept) -> int:
    return len(concept.en.terms) + len(concept.km.terms)


def _delete(conn: sqlite3.Connection, concept_ids: list[str]) -> KmKeys:
    """Delete the rows of these concepts; returns the Khmer keys their terms had."""
    removed: KmKeys = []
    for start in range(0, len(concept_ids), _CHUNK):
        chunk = concept_ids[start:start + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        ids: list[int] = []
        for term_id, lang, key in conn.execute(
                f"SELECT id, lang, key FROM term WHERE concept IN ({marks})", chunk):
            ids.append(term_id)
            if lang == "km":
                removed.append((len(key), key, term_id))
        for first in range(0, len(ids), _CHUNK):
            some = ids[first:first + _CHUNK]
            id_marks = ", ".join("?" * len(some))
            for fts in ("_terms_en_fts", "_terms_tri_fts"):
                conn.execute(f"DELETE FROM {fts} WHERE rowid IN ({id_marks})", some)
        for table, column in (("term", "concept"), ("definition", "concept"),
                              ("source_ref", "concept"), ("concept", "id"),
                              ("_concept_digest", "concept")):
            conn.execute(f'DELETE FROM "{table}" WHERE "{column}" IN ({marks})', chunk)
    return removed


def _update_grams(conn: sqlite3.Connection, removed: KmKeys, added: KmKeys) -> None:
    """Take the removed terms out of the posting lists of their grams and put the added
    ones in, in the order of a whole build (key length, key, id)."""
    gone, new = set(removed) - set(added), set(added) - set(removed)
    if not gone and not new:  # e.g. a definition edited: the Khmer terms kept their ids
        return
    gone_by_gram: dict[str, set[int]] = {}
    for _, key, term_id in gone:
        for gram in grams(key):
            gone_by_gram.setdefault(gram, set()).add(term_id)
    new_by_gram: dict[str, list[tuple[int, str, int]]] = {}
    for item in new:
        for gram in grams(item[1]):
            new_by_gram.setdefault(gram, []).append(item)
    keys = _PostingOrder(conn)
    keys.update((item[2], item) for item in new)
    for gram in sorted(gone_by_gram.keys() | new_by_gram.keys()):
        row = conn.execute("SELECT terms FROM _term_grams WHERE gram = ?", (gram,)).fetchone()
        ids = array("I")
        if row is not None:
            ids.frombytes(row[0])
        out_ids = gone_by_gram.get(gram, set())
        postings = [i for i in ids if i not in out_ids]
        for item in new_by_gram.get(gram, ()):
            insort(postings, item[2], key=keys.__getitem__)
        if postings:
            conn.execute("INSERT OR REPLACE INTO _term_grams VALUES (?, ?)",
                         (gram, array("I", postings).tobytes()))
        elif row is not None:
            conn.execute("DELETE FROM _term_grams WHERE gram = ?", (gram,))


class _PostingOrder(dict[int, tuple[int, str, int]]):
    """Term id -> its place in a posting list (its key's length, its key, its id), read
    from the database when first asked for. Putting a term into a posting list compares
    it with about log2(n) of the list's terms: after a Khmer term edit at 10,000
    concepts, a few hundred lookups in all, where reading the key of every Khmer term
    took 12-14 ms (15,000 rows; 150,000 at 100,000 concepts)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        super().__init__()
        self.conn = conn

    def __missing__(self, term_id: int) -> tuple[int, str, int]:
        row = self.conn.execute("SELECT key FROM term WHERE id = ? AND lang = 'km'",
                                (term_id,)).fetchone()
        if row is None:  # a posting list names a term the table does not have
            raise _Cannot(f"no Khmer term {term_id}")
        place = self[term_id] = (len(row[0]), row[0], term_id)
        return place
