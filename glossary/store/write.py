"""Writing the SQLite database (its schema and rows); :mod:`glossary.store` reads it.

A whole database is written into a temporary file, the concepts in id order in fixed
chunks of :data:`INSERT_CHUNK` (so the file's bytes depend only on the glossary), and
then moved into place, so an interrupted build leaves the previous database intact.

Term ids keep the order of a whole build (concepts in id order; English, then Khmer;
terms in file order) with :data:`ID_GAP` unused ids before each concept's first term, so
that :mod:`glossary.store.update` can replace a concept's terms, or add a concept, in
place without renumbering the others: every search's order depends only on that order.
``_concept_digest`` keeps, per concept, the digest of the file it was made from and its
ids (the first and how many).
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import tempfile
from array import array
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from glossary import khmer, output
from glossary.model import Concept, Document, Domain, Glossary

if TYPE_CHECKING:
    from sqlite_utils import Database

SCHEMA_VERSION = 3  # 3: _concept_digest, term ids with gaps; 2: concept, term, definition…
#: Concepts per batch of inserts (a constant, so that the output is deterministic).
INSERT_CHUNK = 4096
#: Unused term ids before each concept's first one: room for a concept's new terms, or a
#: new concept, in an update in place (:mod:`glossary.store.update`).
ID_GAP = 16

Rows = dict[str, list[tuple[Any, ...]]]
_CONCEPT_TABLES = ("concept", "term", "definition", "source_ref", "_terms_en_fts",
                   "_terms_tri_fts", "_concept_digest")
KmKeys = list[tuple[int, str, int]]  # (length of the key, key, term id) of Khmer terms

_JSON_PLAIN = re.compile('[^"\\\\\x00-\x1f\x7f\u2028\u2029]*')


def _json(value: Iterable[str]) -> str:
    """A JSON list of strings, as ``json.dumps(..., ensure_ascii=False)`` writes it."""
    items = list(value)
    joined = '", "'.join(items)
    if _JSON_PLAIN.fullmatch(joined):  # nothing to escape: skip the encoder
        return f'["{joined}"]' if items else "[]"
    return json.dumps(items, ensure_ascii=False)


def _create_schema(db: Database) -> None:
    db.table("meta").create({"key": str, "value": str}, pk="key")
    db.table("documents").create(
        {"id": str, "short": str, "title": str, "title_km": str, "publisher": str,
         "year": int, "url": str, "edition": str, "kind": str},
        pk="id",
    )
    db.table("sections").create(
        {"doc": str, "id": str, "ord": int, "title": str, "title_km": str, "page": int},
        pk=("doc", "id"),
        foreign_keys=[("doc", "documents", "id")],
    )
    db.table("domains").create({"id": str, "en": str, "km": str}, pk="id")
    db.table("concept").create(
        {"id": str, "status": str, "domains": str, "see_also": str, "notes": str,
         "en_preferred": str, "km_preferred": str, "km_review": str},
        pk="id",
    )
    db.table("term").create(
        {"id": int, "concept": str, "lang": str, "idx": int, "text": str, "key": str,
         "admin_status": str, "type": str, "pos": str, "context": str, "dnt": int,
         "note": str, "review": str, "origin": str, "proposed_by": str,
         "proposed_on": str, "approved_by": str, "approved_on": str},
        pk="id",
        foreign_keys=[("concept", "concept", "id")],
    )
    db.table("definition").create(
        {"concept": str, "lang": str, "text": str, "source_doc": str, "source_section": str,
         "review": str, "origin": str, "proposed_by": str, "approved_by": str,
         "approved_on": str},
        pk=("concept", "lang"),
        foreign_keys=[("concept", "concept", "id")],
    )
    db.table("source_ref").create(
        {"concept": str, "ord": int, "doc": str, "section": str, "page": int, "note": str},
        pk=("concept", "ord"),
        foreign_keys=[("concept", "concept", "id"), ("doc", "documents", "id")],
    )
    db.table("_term_grams").create({"gram": str, "terms": bytes}, pk="gram")
    db.table("_concept_digest").create({"concept": str, "digest": str, "first_id": int,
                                        "terms": int}, pk="concept")
    db.execute(
        "CREATE VIRTUAL TABLE _terms_en_fts USING fts5("
        "text, tokenize='porter unicode61 remove_diacritics 2')"
    )
    db.execute("CREATE VIRTUAL TABLE _terms_tri_fts USING fts5(key, tokenize='trigram')")
    db.execute(TERM_FULL_VIEW)


#: One row per term with what a reader wants beside it: the concept's status, domains and
#: English headword, the definition in the term's language and the concept's sources
#: (``DOC §SECTION``, one per line). Datasette shows it like a table.
TERM_FULL_VIEW = """CREATE VIEW term_full AS
SELECT t.concept, c.en_preferred AS english, t.lang, t.idx, t.text, t.admin_status,
       t.type, t.pos, t.review, t.origin, t.proposed_by, t.approved_by, t.approved_on,
       t.dnt, t.context, t.note, d.text AS definition, c.status AS concept_status,
       c.domains, (SELECT group_concat(r.doc || ' §' || r.section, char(10))
                   FROM source_ref r WHERE r.concept = t.concept) AS sources
FROM term t
JOIN concept c ON c.id = t.concept
LEFT JOIN definition d ON d.concept = t.concept AND d.lang = t.lang"""


def _insert(conn: sqlite3.Connection, table: str, rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    marks = ", ".join("?" * len(rows[0]))
    if table.endswith("_fts"):
        conn.executemany(f"INSERT INTO {table}(rowid, {'key' if 'tri' in table else 'text'}) "
                         f"VALUES ({marks})", rows)
    else:
        conn.executemany(f'INSERT INTO "{table}" VALUES ({marks})', rows)


def registry_rows(documents: Iterable[Document], domains: Iterable[Domain]) -> Rows:
    rows: Rows = {"documents": [], "sections": [], "domains": []}
    for doc in documents:
        rows["documents"].append((doc.id, doc.short, doc.title, doc.title_km, doc.publisher,
                                  doc.year, doc.url, doc.edition, doc.kind))
        for ord_, section in enumerate(doc.sections):
            rows["sections"].append((doc.id, section.id, ord_, section.title,
                                     section.title_km, section.page))
    for domain in domains:
        rows["domains"].append((domain.id, domain.en, domain.km))
    return rows


def insert_rows(conn: sqlite3.Connection, rows: Rows) -> None:
    for table in _CONCEPT_TABLES:
        _insert(conn, table, rows[table])


def concept_rows(concept: Concept, first_id: int, digest: str, rows: Rows,
                 km_keys: KmKeys) -> int:
    """Add the rows of one concept to ``rows`` (``_concept_digest`` with ``digest``, the
    digest of its file), its terms numbered from ``first_id``, and its Khmer search keys
    to ``km_keys``. Returns the number of terms."""
    en_pref, km_pref = concept.en.preferred, concept.km.preferred
    rows["concept"].append((
        concept.id, concept.status.value, _json(concept.domains), _json(concept.see_also),
        _json(concept.notes), en_pref.text if en_pref else None,
        km_pref.text if km_pref else None,
        km_pref.review.state.value if km_pref else None,
    ))
    for ord_, ref in enumerate(concept.sources):
        rows["source_ref"].append((concept.id, ord_, ref.doc, ref.section, ref.page,
                                   ref.note))
    term_id = first_id - 1
    for lang in ("en", "km"):
        section = concept.lang(lang)
        definition = section.definition
        if definition is not None:
            review = definition.review
            rows["definition"].append((
                concept.id, lang, definition.text,
                definition.source.doc if definition.source else None,
                definition.source.section if definition.source else None,
                review.state.value, review.origin, review.proposed_by, review.approved_by,
                review.approved_on.isoformat() if review.approved_on else None,
            ))
        for idx, term in enumerate(section.terms):
            term_id += 1
            key = khmer.search_key_normalized(term.text)
            review = term.review
            rows["term"].append((
                term_id, concept.id, lang, idx, term.text, key, term.admin_status.value,
                term.type.value, term.pos, term.context, int(term.dnt), term.note,
                review.state.value, review.origin, review.proposed_by,
                review.proposed_on.isoformat() if review.proposed_on else None,
                review.approved_by,
                review.approved_on.isoformat() if review.approved_on else None,
            ))
            rows["_terms_tri_fts"].append((term_id, key))
            if lang == "en":
                rows["_terms_en_fts"].append((term_id, term.text))
            else:
                km_keys.append((len(key), key, term_id))
    count = term_id - first_id + 1
    rows["_concept_digest"].append((concept.id, digest, first_id, count))
    return count


def grams(key: str) -> set[str]:
    """The 1- and 2-code-point substrings of a Khmer search key (``_term_grams``)."""
    return {key[i:i + n] for n in (1, 2) for i in range(len(key) - n + 1)}


def gram_rows(km_keys: KmKeys) -> list[tuple[Any, ...]]:
    # Posting lists, shortest keys first (then by key, then by id): visit the keys once
    # in that order.
    postings: dict[str, array[int]] = {}
    for _, key, term in sorted(km_keys):
        for gram in grams(key):
            ids = postings.get(gram)
            if ids is None:
                ids = postings[gram] = array("I")
            ids.append(term)
    return [(gram, postings[gram].tobytes()) for gram in sorted(postings)]


def write_database(glossary: Glossary, path: Path, *, revision: str | None = None,
                   digests: Mapping[str, str] | None = None, build_key: str = "",
                   in_place: bool = False) -> int:
    """Bring the database at ``path`` up to date; returns the number of terms.

    ``in_place``, with ``digests`` (concept id → digest of its file) and a database at
    ``path`` made with the same ``build_key`` (the tool's code and settings): only the
    concepts whose digest changed are replaced, in one transaction
    (:mod:`glossary.store.update`). Otherwise, or when that cannot be done, a fresh
    database is built beside it and moved into place atomically."""
    if in_place and digests is not None and build_key and path.is_file():
        from glossary.store.update import update_database

        count = update_database(glossary, path, revision=revision, digests=digests,
                                build_key=build_key)
        if count is not None:
            return count
    tmp = temporary_path(path)
    try:
        count = _write_whole(glossary, tmp, revision, digests or {}, build_key)
        os.chmod(tmp, output.new_file_mode(path))
        output.replace_derived(tmp, path)
        return count
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def temporary_path(path: Path) -> Path:
    """A fresh, unused name next to ``path`` for building it (``.NAME.XXXX.tmp``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in path.parent.glob(f".{path.name}.*.tmp"):  # left by a killed build
        stale.unlink(missing_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()
    return tmp


def _write_whole(glossary: Glossary, tmp: Path, revision: str | None,
                 digests: Mapping[str, str], build_key: str) -> int:
    """Write the whole database into the new file ``tmp``; returns the number of terms.
    Not flushed to disk before it is moved into place: a derived output, like the others
    of the build (glossary.output.writer)."""
    conn = sqlite3.connect(tmp, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("BEGIN")
        # execute_plugins=False: a sqlite-utils plugin installed beside us must not change
        # the database we build (and scanning every installed package's entry points for
        # one costs ~0.1 s)
        import sqlite_utils  # here: an update in place (store.update) does without it

        _create_schema(sqlite_utils.Database(conn, execute_plugins=False))
        for table, registry in registry_rows(glossary.documents, glossary.domains).items():
            _insert(conn, table, registry)
        last_id = terms = 0  # the last term id given (or the place of the last concept)
        km_keys: KmKeys = []
        concepts = glossary.concepts
        for start in range(0, len(concepts), INSERT_CHUNK):
            rows: Rows = {table: [] for table in _CONCEPT_TABLES}
            for concept in concepts[start:start + INSERT_CHUNK]:
                first = last_id + ID_GAP
                count = concept_rows(concept, first, digests.get(concept.id, ""), rows, km_keys)
                last_id = first + count - 1
                terms += count
            insert_rows(conn, rows)
        _insert(conn, "_term_grams", gram_rows(km_keys))
        conn.execute("CREATE INDEX term_key ON term(lang, key)")
        conn.execute("CREATE INDEX term_concept ON term(concept)")
        conn.execute("CREATE INDEX source_ref_doc ON source_ref(doc, section)")
        conn.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [("schema_version", str(SCHEMA_VERSION)), ("revision", revision or ""),
             ("build_key", build_key)],
        )
        conn.execute("COMMIT")
        conn.execute("PRAGMA journal_mode=DELETE")
    finally:
        conn.close()
    return terms
