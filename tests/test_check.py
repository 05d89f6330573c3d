"""`glossary check`: every bad-input file gives a located message and a non-zero exit."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import DATA

BAD = DATA / "bad"

# file in tests/data/bad → (problem code, line, level)
CASES = {
    "bad-toml": ("toml-syntax", 10, "error"),
    "wrong-types": ("wrong-type", 2, "error"),
    "unknown-keys": ("unknown-field", 4, "error"),
    "misspelt-table": ("unknown-field", 17, "error"),  # [[km.term]]: its header's line
    "bom": ("bom", 1, "error"),
    "crlf": ("crlf", 1, "error"),
    "non-utf8": ("encoding", 10, "error"),
    "limon": ("no-khmer-letters", 18, "error"),
    "zwsp": ("invisible-char", 18, "error"),
    "traversal": ("unsafe-id", 1, "error"),
    "slash": ("unsafe-id", 1, "error"),
    "uppercase": ("unsafe-id", 1, "error"),
    "reserved": ("unsafe-id", 1, "error"),
    "mismatch": ("id-mismatch", 1, "error"),
    "approved-no-reviewer": ("approved-without-reviewer", 19, "error"),
    "approved-by-proposer": ("approved-by-proposer", 22, "error"),  # case, spaces folded
    "several-terms": ("several-terms", 18, "warning"),  # a translator's "A; B"
    "markup-in-term": ("markup-in-term", 14, "warning"),
    "unknown-doc": ("unknown-document", 6, "error"),
    "unknown-section": ("unknown-section", 7, "error"),
    "unknown-see-also": ("unknown-see-also", 3, "error"),
    "self-see-also": ("self-reference", 3, "warning"),
    "missing-review": ("missing-field", 13, "error"),
    "bad-enum": ("bad-value", 16, "error"),
    "duplicate-en-term": ("duplicate-term", 18, "error"),
    "not-normalized": ("not-normalized", 18, "warning"),
    "deprecated-char": ("deprecated-char", 18, "warning"),
    "duplicate-vowel": ("duplicate-vowel", 18, "warning"),
    "mark-without-base": ("mark-without-base", 18, "warning"),  # ែខ្មរ typed for ខ្មែរ
}


def test_every_bad_file_has_a_case() -> None:
    assert {p.stem for p in BAD.glob("*.toml")} == set(CASES)


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name != ".glossary.lock":  # made by the first command
            h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_file_is_located(name: str, project: Path, cli) -> None:
    code, line, level = CASES[name]
    shutil.copy(BAD / f"{name}.toml", project / "terms" / f"{name}.toml")
    before = _digest(project / "terms")
    result = cli("check", "--format", "json")
    data = json.loads(result.stdout)
    found = [p for p in data["problems"] if p["code"] == code]
    assert found, data["problems"]
    assert found[0]["path"] == f"terms/{name}.toml"
    assert found[0]["line"] == line
    assert found[0]["level"] == level
    assert found[0]["hint"]
    # errors fail plain check; warnings fail --strict
    strict = cli("check", "--strict")
    assert strict.exit_code == 1
    assert f"terms/{name}.toml:{line}: {code}: " in strict.stdout
    assert cli("check").exit_code == (1 if level == "error" else 0)
    # check never modifies terms/
    assert _digest(project / "terms") == before


def test_clean_glossary_passes_strict(cli) -> None:
    result = cli("check", "--strict")
    assert result.exit_code == 0, result.stdout
    assert "0 error(s), 0 warning(s)" in result.stderr


def test_all_problems_are_collected(project: Path, cli) -> None:
    for name in ("zwsp", "limon", "unknown-doc"):
        shutil.copy(BAD / f"{name}.toml", project / "terms" / f"{name}.toml")
    data = json.loads(cli("check", "--format", "json").stdout)
    codes = {p["code"] for p in data["problems"]}
    assert {"invisible-char", "no-khmer-letters", "unknown-document"} <= codes
    assert data["errors"] >= 3


def test_a_line_separator_in_a_string_does_not_shift_later_lines(project: Path,
                                                                 cli) -> None:
    """U+2028 inside a TOML string is not a line end (for TOML or an editor): the problem
    after it is on the line a person finds it on."""
    path = project / "terms" / "hallucination.toml"
    text = path.read_text("utf-8").replace("Output of", "Output\u2028of", 1)
    path.write_text(text.replace('admin_status = "admitted"', 'admin_status = "admited"', 1),
                    encoding="utf-8")
    line = path.read_bytes().split(b"\n").index(b'admin_status = "admited"') + 1
    out = cli("check").stdout
    assert "hallucination.toml:11: unsafe-char: en.definition.text: contains U+2028" in out
    assert f"hallucination.toml:{line}: bad-value: en.terms[1].admin_status: 'admited'" in out


def test_not_normalized_hint_is_the_normalized_form(project: Path, cli) -> None:
    shutil.copy(BAD / "not-normalized.toml", project / "terms" / "not-normalized.toml")
    out = cli("check").stdout
    assert "write it as 'ស្ត្រី'" in out


def test_duplicate_ids(project: Path, cli) -> None:
    text = (project / "terms" / "transparency.toml").read_text(encoding="utf-8")
    (project / "terms" / "transparency-copy.toml").write_text(text, encoding="utf-8")
    out = cli("check").stdout
    assert "duplicate-id" in out
    assert "terms/transparency-copy.toml:" in out


def test_homonyms_need_a_note(project: Path, cli) -> None:
    text = (project / "terms" / "transparency.toml").read_text(encoding="utf-8")
    clone = text.replace('id = "transparency"', 'id = "transparency-2"')
    (project / "terms" / "transparency-2.toml").write_text(clone, encoding="utf-8")
    assert "homonym" in cli("check").stdout
    with_note = clone.replace('domains = ', 'notes = ["Transparency of a dataset."]\ndomains = ')
    (project / "terms" / "transparency-2.toml").write_text(with_note, encoding="utf-8")
    text_note = text.replace('domains = ', 'notes = ["Transparency of a system."]\ndomains = ')
    (project / "terms" / "transparency.toml").write_text(text_note, encoding="utf-8")
    assert "homonym" not in cli("check").stdout


def test_missing_terms_dir_is_a_usage_error(project: Path, cli) -> None:
    shutil.rmtree(project / "terms")
    result = cli("check")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: terms directory not found")
    assert "Traceback" not in result.output


def test_zwnj_in_its_legal_place_is_accepted(project: Path, cli) -> None:
    path = project / "terms" / "transparency.toml"
    text = path.read_text(encoding="utf-8").replace(
        'text = "តម្លាភាព"', 'text = "\u17a2\u17ca\u200c\u17b9\u1798"'
    )
    path.write_text(text, encoding="utf-8")
    assert "invisible-char" not in cli("check").stdout


def test_a_repeated_english_term_stops_export(project: Path, cli) -> None:
    """Issue 18: the same English term twice made export→import report it "changed"
    forever; now check and export refuse it, naming the file and line."""
    shutil.copy(BAD / "duplicate-en-term.toml", project / "terms" / "duplicate-en-term.toml")
    result = cli("check")
    assert result.exit_code == 1
    assert ("terms/duplicate-en-term.toml:18: duplicate-term: en.terms[1].text: same text as "
            "en.terms[0]"
            in result.stdout)
    exported = cli("export", "csv", "-o", "out.csv")
    assert exported.exit_code != 0
    assert not (project / "out.csv").exists()


IDS = ("a", "b", "c", "d", "gone")


@given(st.lists(st.tuples(st.sampled_from(IDS[:4]),
                          st.lists(st.sampled_from(IDS), max_size=4)),
                min_size=1, max_size=8))
@settings(max_examples=200, deadline=None)
def test_see_also_problems_are_those_of_checking_each_file(specs):
    """The cross-file check finds the files to look at in bulk; what it reports is
    exactly what checking every file's see-also list one by one reports (self
    references, unknown ids, in any mix, duplicate ids included)."""
    from glossary import validate
    from glossary.model import Concept, Glossary
    from glossary.source import LoadedFile

    files = [LoadedFile(Path("terms"), f"{i:02d}-{cid}.toml", Concept(cid, see_also=tuple(see)))
             for i, (cid, see) in enumerate(specs)]
    glossary = Glossary(concepts=tuple(f.concept for f in files if f.concept is not None))
    found = [p for p in validate.cross_file_problems(files, glossary)
             if p.code in ("self-reference", "unknown-see-also")]
    one_by_one = [p for f in files for p in validate.check_see_also(f, glossary)]
    assert found == one_by_one


def test_a_file_that_does_not_parse_is_one_error_not_one_per_reference(project: Path,
                                                                        cli) -> None:
    # ai-model is named in other concepts' see-also lists; a typo that breaks its file
    # is reported once, where it is, and not again as "no concept with id" elsewhere
    referrers = [p.name for p in (project / "terms").glob("*.toml")
                 if '"ai-model"' in p.read_text("utf-8").partition("see_also")[2][:300]]
    assert referrers, "the mini glossary has see-also links to ai-model"
    path = project / "terms" / "ai-model.toml"
    path.write_text(path.read_text("utf-8").replace('id = "ai-model"', 'id = "ai-model'),
                    encoding="utf-8")
    data = json.loads(cli("check", "--format", "json").stdout)
    assert [(p["path"], p["code"]) for p in data["problems"]] == [
        ("terms/ai-model.toml", "toml-syntax")]
    # an id that no file has is still an unknown see-also
    other = project / "terms" / referrers[0]
    other.write_text(other.read_text("utf-8").replace('"ai-model"', '"ai-modle"', 1),
                     encoding="utf-8")
    data = json.loads(cli("check", "--format", "json").stdout)
    assert sorted(p["code"] for p in data["problems"]) == ["toml-syntax", "unknown-see-also"]


@pytest.mark.parametrize("text, line, message, hint", [
    ('id = "x"\nid = "y"\n', 2, "TOML syntax error: 'id' is given twice in the same table",
     "each [[...]] block holds a key once"),
    ('id = "x\n', 1, "TOML syntax error: Illegal character", "a line ends inside a quoted text"),
    ("id = x\n", 1, "TOML syntax error: Invalid value", "text goes in double quotes"),
    ('id "x"\n', 1, "TOML syntax error: Expected '='", "write key = value"),
    ('id = "x"\n[en]\n[en]\n', 3, "TOML syntax error: Cannot declare", "merge the two"),
    # pasted from a word processor or a web page
    ('id = "x"\n\n[[en.terms]]\ntext = \u201cbias\u201d\n', 4, "TOML syntax error: Invalid value",
     "the line has a curly double quote (U+201C): TOML takes straight double quotes"),
    ("id = \u2018x\u2019\n", 1, "TOML syntax error: Invalid value",
     "the line has a curly single quote (U+2018)"),
    ('id\u00a0= "x"\n', 1, "TOML syntax error: Expected '='",
     "the line has a no-break space (U+00A0): retype the spaces outside the quotes"),
    ('id \uff1d "x"\n', 1, "TOML syntax error: Expected '='",
     "the line has a full-width equals sign (U+FF1D): type a plain ="),
])
def test_toml_errors_say_what_to_do(tmp_path: Path, text: str, line: int, message: str,
                                    hint: str) -> None:
    from glossary import source

    path = tmp_path / "x.toml"
    path.write_text(text, encoding="utf-8")
    [problem] = source.load_concept_file(path).problems
    assert (problem.code, problem.line) == ("toml-syntax", line)
    assert problem.message.startswith(message) and hint in (problem.hint or ""), problem


@pytest.mark.parametrize("old, new, line, command", [
    ('text = "គំរូ"\nreview = "approved"', 'text = "គំរូ"\nreview = "approved"', 19,
     "glossary review approve approved-no-reviewer --by NAME"),
    ('text = "A test concept."\nreview = "proposed"', 'text = "A test concept."\nreview = '
     '"approved"', 11, "glossary review approve approved-no-reviewer --definition --lang en "
     "--by NAME"),
])
def test_an_approval_without_a_reviewer_names_the_command_that_records_one(
        project: Path, cli, old: str, new: str, line: int, command: str) -> None:
    text = (BAD / "approved-no-reviewer.toml").read_text("utf-8").replace(old, new, 1)
    (project / "terms" / "approved-no-reviewer.toml").write_text(text, encoding="utf-8")
    data = json.loads(cli("check", "--format", "json").stdout)
    found = [p for p in data["problems"] if p["code"] == "approved-without-reviewer"]
    assert line in [p["line"] for p in found]
    assert [p for p in found if p["line"] == line][0]["hint"].endswith(f"run `{command}`")
