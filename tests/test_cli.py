"""CLI commands stats, new, export json, and the shared error handling."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from glossary.cli import app, main
from glossary.cli.app import json_pieces, progress_bar


def test_help_lists_every_command(cli) -> None:
    out = cli("--help").stdout
    for name in ("check", "build", "search", "stats", "new", "export", "import"):
        assert name in out


def test_stats_text_and_json(cli) -> None:
    out = cli("stats").stdout
    assert "concepts: 5" in out
    assert "§risk.6" in out and "<- not cited yet" in out
    data = json.loads(cli("stats", "--format", "json").stdout)
    assert data["concepts"] == 5
    assert data["terms"]["km"]["proposed"] >= 5
    assert data["terms"]["km"]["approved"] == 0
    coverage = {(r["doc"], r["section"]): r["concepts"] for r in data["coverage"]}
    assert coverage[("asean-genai-guide-2025", "risk.2")] == 1
    assert coverage[("asean-genai-guide-2025", "risk.6")] == 0


def test_stats_shows_the_khmer_review_per_domain(cli) -> None:
    """Where review stands in each domain (to plan the work domain by domain): the mini
    glossary has two concepts in machine-learning; a decision moves one Khmer term."""
    data = json.loads(cli("stats", "--format", "json").stdout)
    rows = {row["domain"]: row for row in data["domains"]}
    ml = rows["machine-learning"]
    assert ml["concepts"] == 2
    before = ml["km_terms"]
    assert cli("review", "approve", "ai-model", "--by", "Sok Dara").exit_code == 0
    after = {row["domain"]: row for row in json.loads(
        cli("stats", "--format", "json").stdout)["domains"]}["machine-learning"]["km_terms"]
    assert after["approved"] == before["approved"] + 1
    assert after["proposed"] == before["proposed"] - 1
    line = next(x for x in cli("stats").stdout.splitlines()
                if x.strip().startswith("machine-learning"))
    assert "2 concepts" in line and f"{after['approved']} approved" in line


def test_new_creates_a_valid_concept(cli, project: Path) -> None:
    result = cli("new", "synthetic-data", "--en", "synthetic data", "--km", "ទិន្នន័យ\u200bសំយោគ",
                 "--source", "asean-guide-2024:C.3", "--domain", "data",
                 "--definition", "Data generated artificially.")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "created terms/synthetic-data.toml"
    data = tomllib.loads((project / "terms" / "synthetic-data.toml").read_text("utf-8"))
    assert data["id"] == "synthetic-data"
    assert data["km"]["terms"][0]["review"] == "proposed"
    assert cli("check", "--strict").exit_code == 0


def test_new_records_who_proposes_and_a_khmer_definition(cli, project: Path) -> None:
    """--by names the proposer of every term and definition, each dated today; a Khmer
    definition comes with --definition-km, normalized, and a shell that sent question
    marks for Khmer letters is refused before anything is written."""
    from datetime import date

    typed = "\u1780\u17c6\u17bb \u1791\u17b7\u1793\u17d2\u1793\u1793\u17d0\u1799"  # ក ំ ុ …
    result = cli("new", "synthetic-data", "--en", "synthetic data", "--km", "ទិន្នន័យសំយោគ",
                 "--definition", "Data generated artificially.", "--definition-km", typed,
                 "--by", " Sok\n Dara ", "--source", "asean-guide-2024:C.3", "--domain", "data")
    assert result.exit_code == 0, result.output
    data = tomllib.loads((project / "terms" / "synthetic-data.toml").read_text("utf-8"))
    entries = [data["en"]["definition"], data["en"]["terms"][0], data["km"]["definition"],
               data["km"]["terms"][0]]
    assert {(e["review"], e["proposed_by"], e["proposed_on"]) for e in entries} == {
        ("proposed", "Sok Dara", date.today())}
    assert data["km"]["definition"]["text"] == "កុំ ទិន្នន័យ"  # the signs in Unicode order
    assert cli("check", "--strict").exit_code == 0

    refused = cli("new", "other-data", "--en", "other data", "--definition-km", "???? ???")
    assert refused.exit_code == 2
    assert "--definition-km: is '???? ???': question marks" in refused.output
    assert not (project / "terms" / "other-data.toml").exists()


def test_new_names_the_concepts_that_already_have_its_terms(cli, project: Path) -> None:
    """A second concept for an idea the glossary has is pointed out when it is made (the
    file is still written: a homonym is allowed, with a note telling the two apart)."""
    result = cli("new", "ai-model-2", "--en", "AI  Model", "--km", "គំរូ​បញ្ញាសិប្បនិម្មិត")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "created terms/ai-model-2.toml"
    assert result.stderr.splitlines() == [
        f"note: {text!r} is already a{kind} term of ai-model (if it is the same concept, "
        "delete ai-model-2.toml and add to ai-model.toml; if not, add a note to each that "
        "tells them apart)" for text, kind in (("AI model", "n English"),
                                               ("គំរូបញ្ញាសិប្បនិម្មិត", " Khmer"))]
    assert (project / "terms" / "ai-model-2.toml").is_file()
    fresh = cli("new", "model-registry", "--en", "model registry")
    assert fresh.exit_code == 0 and fresh.stderr == ""


def test_new_refuses_existing_and_unsafe_ids(cli, project: Path) -> None:
    existing = (project / "terms" / "transparency.toml").read_bytes()
    result = cli("new", "transparency", "--en", "x")
    assert result.exit_code == 2 and "already exists" in result.stderr
    assert (project / "terms" / "transparency.toml").read_bytes() == existing
    for bad in ("../escape", "a/b", "Upper", "index"):
        result = cli("new", bad, "--en", "x")
        assert result.exit_code == 2, bad
        assert result.stderr.startswith("Error: concept id")
    assert not (project / "escape.toml").exists()


def test_new_rejects_a_bad_source(cli) -> None:
    result = cli("new", "x-y", "--en", "x", "--source", "nocolon")
    assert result.exit_code == 2 and "DOC:SECTION" in result.stderr


def test_new_takes_a_source_as_the_glossary_cites_it(cli, project: Path) -> None:
    """--source also takes the citation a drafter copies from the site or a CSV's sources
    column (DOC §SECTION, p. N), page included; and the short DOC:SECTION form."""
    result = cli("new", "synthetic-data", "--en", "synthetic data",
                 "--source", "asean-guide-2024 §C.3, p. 25", "--source", "asean-guide-2024: B.2")
    assert result.exit_code == 0, result.output
    data = tomllib.loads((project / "terms" / "synthetic-data.toml").read_text("utf-8"))
    assert data["sources"] == [{"doc": "asean-guide-2024", "section": "C.3", "page": 25},
                               {"doc": "asean-guide-2024", "section": "B.2"}]
    assert cli("check").exit_code == 0


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--source", "nosuchdoc:1", "--source: unknown document 'nosuchdoc'"),
    ("--source", "asean-guide-2024:Z.9", "--source: document 'asean-guide-2024' has no "
                                         "section 'Z.9'"),
    ("--domain", "nosuch", "--domain: unknown domain 'nosuch'"),
])
def test_new_refuses_what_the_registry_does_not_have(cli, project: Path, option: str,
                                                     value: str, message: str) -> None:
    """A typo in --source or --domain would make a file that `glossary check` fails."""
    args = ["--source", "asean-guide-2024:C.3", "--domain", "data", option, value]
    result = cli("new", "x-y", "--en", "x y", *args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"Error: {message}")
    assert not (project / "terms" / "x-y.toml").exists()
    assert cli("check").exit_code == 0


def test_export_json(cli, project: Path) -> None:
    result = cli("export", "json")
    data = json.loads(result.stdout)
    assert [c["id"] for c in data["concepts"]] == sorted(c["id"] for c in data["concepts"])
    concept = next(c for c in data["concepts"] if c["id"] == "hallucination")
    assert concept["sources"] == [{"doc": "asean-genai-guide-2025", "section": "risk.2"}]
    assert concept["km"]["terms"][0]["text"] == "ការប្រឌិតចម្លើយ"
    assert concept["km"]["terms"][0]["review"]["state"] == "proposed"
    assert {d["id"] for d in data["documents"]} == {"asean-guide-2024", "asean-genai-guide-2025"}
    out = project / "out.json"
    assert cli("export", "json", "-o", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8") == result.stdout


def test_non_utf8_file_is_a_located_error_not_a_traceback(cli, project: Path) -> None:
    (project / "terms" / "broken.toml").write_bytes(b'id = "broken"\ntext = "\xff"\n')
    result = cli("build")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: terms/broken.toml:2:9: not valid UTF-8")
    assert "save the file as UTF-8" in result.stderr
    check = cli("check")
    assert "terms/broken.toml:2: encoding: not valid UTF-8" in check.stdout
    assert "Traceback" not in check.output + result.output


def test_a_workbook_saved_as_a_concept_file_is_reported_at_line_1(cli, project: Path) -> None:
    # found by the short fuzz run in CI: a .toml that is really a zip archive (a
    # workbook saved over it) got an encoding problem with no line
    (project / "terms" / "saved-over.toml").write_bytes(b"PK\x03\x04" + bytes(range(40)))
    check = cli("check")
    assert check.exit_code == 1
    assert ("terms/saved-over.toml:1: encoding: is a zip archive (an Excel workbook or a "
            "Word document?), not text") in check.stdout, check.stdout
    result = cli("build")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: terms/saved-over.toml:1: is a zip archive")


def test_version(cli) -> None:
    assert "glossary" in cli("--version").stdout


def test_entry_point_is_the_click_group() -> None:
    assert main.name == "main"


def test_lazy_command_table_matches_the_commands() -> None:
    # `glossary --help` prints summaries from app.COMMANDS without importing the
    # commands; they must say what each command's own help says, at any width
    import click

    from glossary.cli import app, load_commands, main

    load_commands()
    assert set(main.commands) == set(app.COMMANDS)
    for name, (_, summary) in app.COMMANDS.items():
        for limit in (30, 45, 70, 200):
            expected = main.commands[name].get_short_help_str(limit)
            assert click.Command(name, help=summary).get_short_help_str(limit) == expected, name


def test_help_imports_no_command_module() -> None:
    import subprocess
    import sys

    code = (
        "import sys\nfrom glossary.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print('MODULES', sorted(m for m in sys.modules if m.startswith('glossary')))\n"
        "print('HEAVY', sorted(m for m in ('json', 'sqlite3', 'jinja2', 'lxml', 'babel') "
        "if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert "Commands:" in out and "search" in out
    modules = out.split("MODULES ")[1].splitlines()[0]
    assert "glossary.cli.core" not in modules and "glossary.cli.exporting" not in modules
    assert "glossary.cli.app" in modules
    assert out.split("HEAVY ")[1].strip() == "[]"


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20)


def readable_json(data: object, depth: int = 2) -> str:
    """What ``glossary ... --format json`` writes (without its final line break)."""
    return "".join(json_pieces(data, depth))


@given(_JSON)
def test_readable_json_is_the_same_json(value):
    assert json.loads(readable_json(value)) == value
    assert readable_json(value, depth=0) == json.dumps(value, ensure_ascii=False)


_MARKED = st.lists(st.one_of(_JSON, st.just(app._BETWEEN),
                             st.lists(st.just(app._BETWEEN) | st.text(), max_size=3)),
                   min_size=1, max_size=6)


@given(_MARKED)
def test_a_list_encoded_in_one_call_is_cut_into_its_items(items):
    """The items of a report's long list, encoded in one call and cut at the markers,
    are what encoding each gives, also when the data holds the marker itself."""
    one_line = app._one_line_encoder()
    assert app._one_per_line(items, one_line, "    ") == ",\n".join(
        "    " + one_line(i) for i in items)
    assert json.loads(readable_json({"changes": items})) == {"changes": items}


def test_json_written_in_pieces_is_the_readable_json(capsys):
    """A long report is written in batches and buffers; what arrives is the same text."""
    items = [{"kind": "added", "concept": f"c-{i}", "detail": "ខ្មែរ " * (i % 7)}
             for i in range(3 * app._BATCH + 1)] * 5
    data = {"n": len(items), "changes": items, "ids": [c["concept"] for c in items],
            "empty": [], "skipped": {"x": 1}}
    app.emit_json(data)
    assert capsys.readouterr().out == readable_json(data) + "\n"


def test_readable_json_puts_one_object_per_line():
    text = readable_json({"changes": [{"kind": "added", "detail": "ខ្មែរ"}] * 3, "n": 3,
                          "ids": ["a", "b"]})
    lines = text.splitlines()
    assert lines[0] == "{" and lines[-1] == "}"
    assert lines.count('    {"kind": "added", "detail": "ខ្មែរ"},') == 2
    assert '  "n": 3,' in lines and '  "ids": ["a", "b"]' in lines


def test_new_refuses_a_khmer_vowel_typed_before_its_consonant(cli, project) -> None:
    """ែខ្មរ (the vowel typed first, as it is seen) would render with a dotted circle."""
    result = cli("new", "khmer-x", "--en", "Khmer x", "--km", "\u17c2\u1781\u17d2\u1798\u179a")
    assert result.exit_code == 2
    assert "--km" in result.output and "follows no consonant" in result.output
    assert not (project / "terms" / "khmer-x.toml").exists()
    ok = cli("new", "khmer-x", "--en", "Khmer x", "--km", "\u1781\u17d2\u1798\u17c2\u179a")
    assert ok.exit_code == 0, ok.output


@pytest.mark.parametrize("typed", ["ÉNtPaBlM", "karGnubeRB;", "[kat;"])
def test_new_refuses_khmer_typed_in_a_legacy_font(cli, project, typed: str) -> None:
    """Limon-style text (Khmer letters drawn by a Latin font) would be a "Khmer" term with
    no Khmer letter, which check refuses: new refuses it first, and writes nothing."""
    result = cli("new", "khmer-x", "--en", "Khmer x", "--km", typed)
    assert result.exit_code == 2
    assert "no Khmer letters" in result.stderr and "Limon" in result.stderr
    assert not (project / "terms" / "khmer-x.toml").exists()


@pytest.mark.parametrize("kept", ["GenAI", "deepfake", "AI 3D"])
def test_new_keeps_an_english_khmer_term_as_do_not_translate(cli, project, kept: str) -> None:
    """A Khmer term kept in English (as the shipped AI, CBRN, deepfake) is written with
    dnt = true, said on stderr, and check is clean."""
    result = cli("new", "khmer-x", "--en", "Khmer x", "--km", kept)
    assert result.exit_code == 0, result.output
    assert "written as kept in English (dnt = true)" in result.stderr
    term = tomllib.loads((project / "terms" / "khmer-x.toml").read_text("utf-8"))["km"]["terms"][0]
    assert (term["text"], term["dnt"]) == (kept, True)
    assert cli("check").exit_code == 0


def test_new_with_a_khmer_term_empty_once_cleaned_writes_none(cli, project) -> None:
    result = cli("new", "khmer-x", "--en", "Khmer x", "--km", "\u200b ")
    assert result.exit_code == 0 and "note:" not in result.stderr
    assert "km" not in tomllib.loads((project / "terms" / "khmer-x.toml").read_text("utf-8"))


def test_new_writes_coeng_da_as_the_project_keeps_it(cli, project) -> None:
    """fold_coeng_da = false: the file keeps ្ដ as typed (it was folded to ្ត regardless)."""
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text("utf-8") + "fold_coeng_da = false\n", "utf-8")
    assert cli("new", "khmer-x", "--en", "Khmer x", "--km", "ការផ្ដល់").exit_code == 0
    assert 'text = "ការផ្ដល់"' in (project / "terms" / "khmer-x.toml").read_text("utf-8")


def test_the_progress_bar_counts_files_only_on_a_terminal(monkeypatch) -> None:
    """``build`` counts terms/ for its progress bar only when there is a bar to show."""
    counted: list[int] = []

    def count() -> int:
        counted.append(3)
        return 3

    with progress_bar("reading terms/", count) as update:
        assert update is None
    assert counted == []

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stderr", Terminal())
    with progress_bar("reading terms/", count) as update:
        assert update is not None
        update(3)
    assert counted == [3]
    assert "reading terms/" in sys.stderr.getvalue()


def _program(project: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """The ``glossary`` program as a user runs it (its own process, the real exit)."""
    return subprocess.run([sys.executable, "-m", "glossary.cli.app_main", *args],
                          cwd=project, capture_output=True, check=False)


def test_the_program_exits_with_its_status_and_all_its_output(project: Path) -> None:
    """The program ends without the interpreter's teardown: everything it wrote is still
    flushed, and the status is the command's."""
    whole = _program(project, "export", "csv", "-o", "-")
    assert whole.returncode == 0, whole.stderr
    (project / "out.csv").unlink(missing_ok=True)
    assert _program(project, "export", "csv", "-o", "out.csv").returncode == 0
    assert whole.stdout == (project / "out.csv").read_bytes()
    assert "ការប្រឌិត".encode() in whole.stdout
    broken = project / "terms" / "broken.toml"
    broken.write_text('id = "broken"\n[en\n', encoding="utf-8")
    checked = _program(project, "check")
    assert checked.returncode == 1
    assert b"broken.toml:2" in checked.stdout and b"error(s)" in checked.stderr
    assert _program(project, "no-such-command").returncode == 2


def test_exit_with_a_message_writes_it_and_exits_1(tmp_path: Path) -> None:
    code = ("import sys\nfrom glossary.cli import _exit\n"
            "sys.stdout.write('kept')\n_exit('ឈប់: stopped')\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, check=False,
                          cwd=tmp_path)
    assert (done.returncode, done.stdout) == (1, b"kept")
    assert "ឈប់: stopped" in done.stderr.decode("utf-8")
