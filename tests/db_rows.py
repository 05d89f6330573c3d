"""A database's content, for comparing an updated database with a whole build: every
table's rows (term ids replaced by what they stand for: concept, language, position),
the order of the term ids, and the answers of full-text and store searches."""

from __future__ import annotations

import sqlite3
from array import array
from pathlib import Path
from typing import Any

from glossary import store

QUERIES = ("transparency", "model", "models", "trans", "data", "bias", "ការ", "ក", "កា",
           "ទិន្នន័យ", "ភាព", "ប្រ", "យុត្តិធម៌", "zz", "speech", "drift")


def content(path: Path) -> dict[str, Any]:
    conn = sqlite3.connect(path)  # read-write: a killed update's journal is rolled back
    conn.row_factory = sqlite3.Row
    try:
        return _content(conn, path)
    finally:
        conn.close()


def _content(conn: sqlite3.Connection, path: Path) -> dict[str, Any]:
    term = {row[0]: tuple(row)[1:4] for row in conn.execute(
        "SELECT id, concept, lang, idx FROM term")}
    out: dict[str, Any] = {
        "term_order": [tuple(row)[1:] for row in conn.execute(
            "SELECT id, concept, lang, idx FROM term ORDER BY id")],
    }
    tables = [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    fts_parts = ("_data", "_idx", "_content", "_docsize", "_config")
    for name in tables:
        if name.startswith("sqlite_") or (name.startswith("_terms_") and
                                          name.endswith(fts_parts)):
            continue
        if name == "term":
            rows = [(term[row[0]], *tuple(row)[1:]) for row in conn.execute("SELECT * FROM term")]
        elif name in ("_terms_en_fts", "_terms_tri_fts"):
            rows = [(term[row[0]], row[1]) for row in
                    conn.execute(f"SELECT rowid, * FROM {name}")]
        elif name == "_term_grams":
            rows = []
            for gram, blob in conn.execute("SELECT gram, terms FROM _term_grams"):
                ids = array("I")
                ids.frombytes(blob)
                rows.append((gram, [term[i] for i in ids]))  # in the list's order
        elif name == "_concept_digest":
            rows = [tuple(row) for row in
                    conn.execute("SELECT concept, digest FROM _concept_digest")]
        else:
            rows = [tuple(row) for row in conn.execute(f'SELECT * FROM "{name}"')]
        out[name] = sorted(rows, key=repr)
    out["schema"] = sorted(tuple(row) for row in conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"))
    for query in QUERIES:
        out[f"search {query}"] = store.search(conn, query, limit=50)
        for fts in ("_terms_en_fts", "_terms_tri_fts"):
            if fts == "_terms_tri_fts" and len(query) < 3:
                continue
            found = conn.execute(f"SELECT rowid FROM {fts} WHERE {fts} MATCH ? LIMIT 40",
                                 ('"' + query + '"',))
            out[f"{fts} {query}"] = [term[row[0]] for row in found]
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok", path
    return out
