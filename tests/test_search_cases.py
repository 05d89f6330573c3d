"""The search specification (glossary/search.py) on the shipped glossary, through the
CLI: every case of tests/data/search_cases.toml (the browser test runs the same file
through the site's search page), and the building blocks of the specification."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from glossary import search
from glossary.cli import main
from tests.conftest import ROOT
from tests.search_support import Case, cases, check, deprecated_khmer_term, glossary_with


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("shipped")
    shutil.copytree(ROOT / "terms", project / "terms")
    (project / "pyproject.toml").write_text('[tool.glossary]\nterms = "terms"\n', "utf-8")
    return project


@pytest.mark.parametrize("case", cases(), ids=lambda c: c.name)
def test_cli_search_follows_the_specification(shipped, monkeypatch, case: Case) -> None:
    monkeypatch.chdir(shipped)
    result = CliRunner().invoke(main, ["search", case.query, "--lang", case.lang,
                                       "--limit", "100", "--format", "json"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    check(case, [r["id"] for r in data["results"]], data["total"],
          [s["id"] for s in data["suggestions"]])


def test_cli_text_says_how_many_are_shown_and_suggests(shipped, monkeypatch) -> None:
    monkeypatch.chdir(shipped)
    run = CliRunner().invoke
    result = run(main, ["search", "a", "--limit", "5"], catch_exceptions=False)
    assert len(result.stdout.splitlines()) == 5
    assert "showing 5 of " in result.stderr
    result = run(main, ["search", "halucination"], catch_exceptions=False)
    assert result.stdout == ""
    assert "did you mean: hallucination (hallucination)" in result.stderr
    result = run(main, ["search", "human oversight"], catch_exceptions=False)
    assert result.stdout.splitlines()[0].split()[-1] == "[proposed]"  # the Khmer term's review


def test_a_term_found_by_another_of_its_terms_says_which_and_its_status(shipped,
                                                                         monkeypatch) -> None:
    """A drafter who searches for a deprecated word sees that it is deprecated, beside
    the headword to use instead; a headword search names nothing more."""
    monkeypatch.chdir(shipped)
    run = CliRunner().invoke
    concept, text = deprecated_khmer_term()
    result = run(main, ["search", text], catch_exceptions=False)
    first = result.stdout.splitlines()[0]
    assert first.startswith(concept + " ")
    assert first.endswith(f"  matched: {text} (deprecated)")
    result = run(main, ["search", text, "--format", "json"], catch_exceptions=False)
    hit = json.loads(result.stdout)["results"][0]
    assert (hit["id"], hit["matched"], hit["matched_status"]) == (concept, text, "deprecated")
    result = run(main, ["search", "human oversight", "--format", "json"],
                 catch_exceptions=False)
    hit = json.loads(result.stdout)["results"][0]
    assert hit["matched_status"] is None
    result = run(main, ["search", "human oversight"], catch_exceptions=False)
    assert "matched:" not in result.stdout.splitlines()[0]


def test_a_rejected_term_found_says_rejected_not_its_status(cli, project) -> None:
    """A reviewer rejected the admitted គំរូ of ai-model: a drafter who searches for it is
    told it was rejected, not that it is admitted."""
    first = cli("search", "គំរូ").stdout.splitlines()[0]
    assert first.startswith("ai-model ") and first.endswith("matched: គំរូ (admitted)")
    assert cli("review", "reject", "ai-model", "--term", "1", "--by", "Sok Dara").exit_code == 0
    first = cli("search", "គំរូ").stdout.splitlines()[0]
    assert first.startswith("ai-model ") and first.endswith("matched: គំរូ (rejected)")


@pytest.mark.parametrize("query", ["", "   ", "\u200b", "-- / --", "\"\"", "។"])
def test_a_query_with_nothing_to_look_for_is_a_usage_error(shipped, monkeypatch,
                                                           query: str) -> None:
    monkeypatch.chdir(shipped)
    result = CliRunner().invoke(main, ["search", "--", query], catch_exceptions=False)
    assert result.exit_code == 2
    assert "has no letter or digit to search for" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(("text", "key"), [
    ("Human-in-the-Loop", "human in the loop"),
    ("risk‑based approaches", "risk based approach"),  # U+2011 non-breaking hyphen
    ("AI/ML", "ai ml"),
    ("H.I.T.L.", "h i t l"),
    ("ទិន្នន័យ ផ្ទាល់ខ្លួន", "ទិន្នន័យផ្ទាល់ខ្លួន"),
    ("ទិន្នន័យ\u200bផ្ទាល់ខ្លួន", "ទិន្នន័យផ្ទាល់ខ្លួន"),
    ("បញ្ញាសិប្បនិម្មិត (AI)", "បញ្ញាសិប្បនិម្មិត ai"),
    ("ការពារ។", "ការពារ"),
    ("", ""),
])
def test_match_key(text: str, key: str) -> None:
    assert search.match_key(text) == key


@pytest.mark.parametrize(("text", "key"), [
    # a quality noun folds to its adjective: the word a drafter writes in a sentence
    ("Transparency", "transparent"), ("accountabilities", "accountable"),
    ("social responsibility", "social responsible"), ("robustness", "robust"),
    ("compliance", "compliant"), ("ការពារ robustness", "ការពារ robust"),
    # short words keep apart, where the pairs mean different things
    ("agency", "agency"), ("latency", "latency"), ("emergency", "emergency"),
    ("ability", "ability"), ("business", "busi"),
])
def test_matching_folds_quality_nouns(text: str, key: str) -> None:
    assert search.derived(search.match_key(text)) == key


@pytest.mark.parametrize(("a", "b", "distance"), [
    ("halucination", "hallucination", 1), ("transparancy", "transparency", 1),
    ("explainabilty", "explainability", 1), ("modle", "model", 1), ("abc", "abc", 0),
    ("kitten", "sitting", 3), ("ab", "ba", 1), ("", "abc", 3),
])
def test_edit_distance(a: str, b: str, distance: int) -> None:
    assert search.edit_distance(a, b, 5) == distance
    assert search.edit_distance(a, b, 1) == min(distance, 2)


def test_tiers() -> None:
    def tier(term: str, query: str) -> int:
        t, q = search.match_key(term), search.match_key(query)
        return search.tier_of(t.replace(" ", ""), t.split(" "), q.replace(" ", ""), q.split(" "))

    assert tier("human-in-the-loop", "human in the loop") == 0
    assert tier("human oversight", "oversight human") == 1
    assert tier("model card", "mod") == 2
    assert tier("human oversight", "over hum") == 3
    assert tier("algorithmic bias", "rithm") == 4
    assert tier("algorithmic bias", "fairness") == -1


def test_ranking_headword_before_alternative_and_shorter_first() -> None:
    g = glossary_with([
        ("evasion-attack", ["evasion attack", "model evasion"]),
        ("model-card", ["model card"]),
        ("ai-model", ["AI model", "model"]),
        ("model", ["model weights"]),
    ])
    found = search.find(search.Index(search.index_items(g)), "model")
    assert [h.item.id for h in found.hits] == ["ai-model", "model-card", "model",
                                               "evasion-attack"]
    assert [h.match for h in found.hits] == ["exact", "words", "words", "words"]
    assert found.total == 4 and found.suggestions == ()
    limited = search.find(search.Index(search.index_items(g)), "model", limit=2)
    assert len(limited.hits) == 2 and limited.total == 4
