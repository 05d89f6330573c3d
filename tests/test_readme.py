"""The README is the user guide: the two commands on top, every command documented."""

from __future__ import annotations

import re
from pathlib import Path

import click

from glossary.cli import load_commands, main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
#: The command reference: docs/, one page per area (the README links to each).
DOCS = {p.name: p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").glob("*.md"))}


def commands(group: click.Group, prefix: str = "glossary") -> list[str]:
    found = []
    for name, command in sorted(group.commands.items()):
        full = f"{prefix} {name}"
        if isinstance(command, click.Group):
            found.extend(commands(command, full))
        else:
            found.append(full)
    return found


def test_every_command_is_documented() -> None:
    load_commands()
    assert len(main.commands) >= 11
    everything = README + "".join(DOCS.values())
    missing = [c for c in commands(main) if c not in everything]
    assert missing == []


def test_every_help_text_reads_as_plain_text() -> None:
    """``--help`` shows a command's docstring as it is: reST markup (double backticks)
    written for the API docs shows up literally in a terminal."""
    from click.testing import CliRunner

    load_commands()
    for command in commands(main):
        result = CliRunner().invoke(main, [*command.split()[1:], "--help"])
        assert result.exit_code == 0, command
        assert "``" not in result.output, command


def test_readme_links_every_reference_page() -> None:
    for name in DOCS:
        assert f"docs/{name}" in README, name


def test_readme_says_how_to_approve_and_shows_the_terms_format() -> None:
    assert "## Reviewing and approving a term" in README
    assert 'glossary review approve' in README and "--by" in README
    assert "[[km.terms]]" in README and "docs/terms-format.md" in README


def test_quick_start_commands_near_the_top() -> None:
    top = README[: README.index("## Commands")]
    blocks = re.findall(r"```sh\n(.*?)\n```", top, re.S)
    assert any("pip install" in b and "glossary build" in b for b in blocks)
    assert any("pytest" in b for b in blocks)


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_block = next(b for b in re.findall(r"```sh\n(.*?)\n```", README, re.S) if "pytest" in b)
    command = test_block.split("&&")[-1].strip()
    assert command in ci


def test_readme_says_khmer_terms_are_proposals() -> None:
    assert "proposals" in README and "approved" in README
