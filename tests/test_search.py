"""Search: exact, prefix, substring; English plural/case; Khmer ZWSP and typing order."""

from __future__ import annotations

import json
import sqlite3

import pytest

from glossary import pipeline, store


@pytest.fixture
def conn(settings):
    pipeline.build(settings, ["db"])
    connection = store.open_database(settings.db_path)
    yield connection
    connection.close()


def ids(hits):
    return [h.concept for h in hits]


def test_english_exact_is_first_and_case_insensitive(conn) -> None:
    hits = store.search(conn, "Machine Learning")
    assert hits[0].concept == "machine-learning"
    assert hits[0].match == "exact"


def test_english_plural(conn) -> None:
    assert ids(store.search(conn, "hallucinations"))[:1] == ["hallucination"]
    assert "ai-model" in ids(store.search(conn, "AI models"))


def test_english_prefix_then_substring(conn) -> None:
    hits = store.search(conn, "mach")
    assert hits[0].concept == "machine-learning" and hits[0].match == "prefix"
    hits = store.search(conn, "earning")
    assert hits and hits[0].concept == "machine-learning"


def test_khmer_exact_prefix_substring(conn) -> None:
    assert store.search(conn, "តម្លាភាព")[0].match == "exact"
    assert store.search(conn, "តម្លា")[0].match == "prefix"
    hits = store.search(conn, "ប្រឌិត")
    assert ids(hits) == ["hallucination"] and hits[0].match == "substring"


def test_khmer_zwsp_insensitive(conn) -> None:
    assert ids(store.search(conn, "ការ\u200bប្រឌិត\u200bចម្លើយ")) == ["hallucination"]


def test_khmer_typing_order(settings, project) -> None:
    path = project / "terms" / "transparency.toml"
    text = path.read_text(encoding="utf-8").replace('text = "តម្លាភាព"', 'text = "ភាសាខ្មែរ"')
    path.write_text(text, encoding="utf-8")
    found = pipeline.search(settings, "ខែ្មរ")  # vowel typed before the subscript
    assert [h.item.id for h in found.hits] == ["transparency"]


@pytest.mark.parametrize("query", ["ក", "ភា", "ម្"])
def test_short_khmer_queries_use_the_gram_index(conn, query) -> None:
    hits = store.search(conn, query, lang="km")
    assert hits
    for hit in hits:
        row = conn.execute("SELECT count(*) FROM term WHERE concept=? AND key LIKE ?",
                           (hit.concept, f"%{query}%")).fetchone()
        assert row[0] >= 1


def test_results_do_not_repeat_concepts(conn) -> None:
    found = ids(store.search(conn, "a", limit=50))
    assert len(found) == len(set(found))


def test_limit(conn) -> None:
    assert len(store.search(conn, "ក", lang="km", limit=2)) == 2


def test_fts_special_characters_are_safe(conn) -> None:
    for query in ['"', "AND OR", "*", "a'b", "(", "%", "_"]:
        store.search(conn, query)  # no sqlite3.OperationalError


# Vectors S1–S3 of khmer.md, against the real SQLite build.
def test_s1_trigram_needs_three_code_points() -> None:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(k, tokenize='trigram')")
    db.execute("INSERT INTO t VALUES (?)", ("\u1780\u17b6\u179a\u1794\u1780\u1794\u17d2\u179a\u17c2",))
    assert db.execute("SELECT count(*) FROM t WHERE t MATCH ?", ('"\u1780\u17b6\u179a"',)).fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM t WHERE t MATCH ?", ('"\u1780\u17b6"',)).fetchone()[0] == 0


def test_s2_unicode61_splits_khmer(conn) -> None:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(k)")
    db.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'row')")
    db.execute("INSERT INTO t VALUES (?)", ("\u1797\u17b6\u179f\u17b6\u1781\u17d2\u1798\u17c2\u179a",))
    tokens = sorted(r[0] for r in db.execute("SELECT term FROM v"))
    assert tokens == sorted(["ភ", "ស", "ខ", "ម", "រ"])
    # ... which is why our Khmer index is a trigram table over the search key
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name='_terms_tri_fts'").fetchone()[0]
    assert "trigram" in sql


def test_s3_porter_matches_plural(conn) -> None:
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name='_terms_en_fts'").fetchone()[0]
    assert "porter" in sql
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(k, tokenize='porter unicode61 remove_diacritics 2')")
    db.execute("INSERT INTO t VALUES ('Translation memory')")
    assert db.execute("SELECT count(*) FROM t WHERE t MATCH 'translations'").fetchone()[0] == 1


def test_search_cli_text_and_json(cli) -> None:
    result = cli("search", "hallucination")
    assert result.exit_code == 0
    assert result.stdout.split() == ["hallucination", "hallucination", "ការប្រឌិតចម្លើយ",
                                     "[proposed]"]
    data = json.loads(cli("search", "ចម្លើយ", "--format", "json").stdout)
    assert data["results"][0]["concept"] == "hallucination"
    assert data["results"][0]["en"] == "hallucination"
    assert data["results"][0]["review"] == "proposed"
    assert data["total"] == len(data["results"]) and data["suggestions"] == []


def test_search_reads_terms_as_they_are_on_disk(cli, project) -> None:
    cli("build")
    assert "no match" in cli("search", "openness").stderr
    path = project / "terms" / "transparency.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('text = "transparency"', 'text = "openness"'), encoding="utf-8")
    # the English term changed on disk; search sees it without an explicit build
    assert cli("search", "openness").stdout.split()[0] == "transparency"


def test_khmer_substrings_find_exactly_what_a_scan_finds(tmp_path) -> None:
    """Every 3–8 code-point Khmer substring of the shipped glossary's keys: the indexed
    search (gram lists, then trigram) returns the same concepts as a plain LIKE scan."""
    import shutil

    from glossary.config import load_settings
    from tests.conftest import ROOT

    shutil.copytree(ROOT / "terms", tmp_path / "terms")
    (tmp_path / "pyproject.toml").write_text('[tool.glossary]\nterms = "terms"\n', "utf-8")
    settings = load_settings(cwd=tmp_path)
    pipeline.build(settings, ["db"])
    conn = store.open_database(settings.db_path)
    keys = [r[0] for r in conn.execute("SELECT key FROM term WHERE lang='km' ORDER BY id")]
    # (a query is taken as typed less the spaces around it, as every search box does)
    queries = sorted({q for k in keys[::7] for n in (3, 4, 6, 8)
                      for i in range(0, max(1, len(k) - n), 5) if len(k) >= n
                      for q in [k[i:i + n]] if q == q.strip()})
    assert len(queries) > 100
    for query in queries:
        ours = set(ids(store.search(conn, query, lang="km", limit=1000)))
        scan = {r[0] for r in conn.execute(
            "SELECT DISTINCT concept FROM term WHERE lang='km' AND key LIKE ?",
            (f"%{query}%",))}
        assert ours == scan, query
    conn.close()


def test_no_match_for_a_pasted_page_shows_its_start(cli) -> None:
    result = cli("search", "ក" * 5000)
    assert result.exit_code == 0
    assert result.stderr == f"no match for '{'ក' * 79}…'\n"
