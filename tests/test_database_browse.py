"""Issue 17: build/glossary.db is a database a person can browse (Datasette-ready):
plain tables concept/term/definition/source_ref, a term_full view, search structures
with a leading underscore."""

from __future__ import annotations

import sqlite3

from glossary import loader
from glossary.config import load_settings
from glossary.store import SCHEMA_VERSION


def test_plain_tables_and_a_term_full_view(cli, project):
    assert cli("build", "--only", "db").exit_code == 0
    db = sqlite3.connect(project / "build" / "glossary.db")
    objects = dict(db.execute(
        "SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view')"))
    for name in ("concept", "term", "definition", "source_ref"):
        assert objects[name] == "table"
    assert objects["term_full"] == "view"
    search = {n for n in objects if "fts" in n or "gram" in n}
    assert search and all(n.startswith("_") for n in search)
    rows = db.execute("SELECT concept, english, lang, text, review, definition, sources "
                      "FROM term_full WHERE concept = 'hallucination' ORDER BY lang, idx"
                      ).fetchall()
    glossary = loader.load(load_settings(cwd=project)).glossary
    concept = glossary.concept("hallucination")
    assert concept is not None
    expected = [(concept.id, "hallucination", lang, t.text, t.review.state.value,
                 concept.lang(lang).definition.text if concept.lang(lang).definition else None,
                 "asean-genai-guide-2025 §risk.2")
                for lang in ("en", "km") for t in concept.lang(lang).terms]
    assert rows == expected
    # every term of the glossary is one row of the view
    count = sum(len(c.en.terms) + len(c.km.terms) for c in glossary.concepts)
    assert db.execute("SELECT count(*) FROM term_full").fetchone()[0] == count


def test_a_database_changed_by_hand_is_rebuilt(cli, project):
    assert cli("build", "--only", "db").exit_code == 0
    path = project / "build" / "glossary.db"
    db = sqlite3.connect(path)
    db.execute("DROP VIEW term_full")
    db.commit()
    db.close()
    assert cli("build", "--only", "db").exit_code == 0
    db = sqlite3.connect(path)
    assert db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (
        str(SCHEMA_VERSION),)
    assert db.execute("SELECT count(*) FROM term_full").fetchone()[0] > 0
