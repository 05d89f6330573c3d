"""`glossary check --fix`: what needs no judgement is repaired in place, byte for byte
what the file would have been; everything else is left to a person and still reported."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from glossary import khmer

ZWSP = "\u200b"


def _spoil(path: Path) -> bytes:
    """The file as a Windows editor and a pasted text leave it: a BOM, CRLF, a zero-width
    space inside the Khmer term, and ើ typed as េ + ី in the Khmer definition."""
    clean = path.read_bytes()
    text = clean.decode("utf-8")
    term = "ការប្រឌិតចម្លើយ"
    assert f'text = "{term}"' in text and "\u17be" in text
    text = text.replace(term, term[:4] + ZWSP + term[4:], 1).replace("\u17be", "\u17c1\u17b8", 1)
    path.write_bytes(("\ufeff" + text).encode("utf-8").replace(b"\n", b"\r\n"))
    return clean


def test_fix_repairs_a_file_back_to_its_bytes(cli, project: Path) -> None:
    path = project / "terms" / "hallucination.toml"
    clean = _spoil(path)
    codes = {p["code"] for p in json.loads(cli("check", "--format", "json").stdout)["problems"]}
    assert {"bom", "crlf", "not-normalized", "invisible-char"} <= codes

    result = cli("check", "--fix")
    assert result.exit_code == 0, result.output
    assert ("fixed terms/hallucination.toml: byte order mark removed, CRLF line endings made "
            "LF, 2 text(s) put in the stored form") in result.stderr
    assert path.read_bytes() == clean  # comments, order and quoting kept
    again = cli("check", "--fix")
    assert again.exit_code == 0 and "fixed" not in again.stderr
    assert path.read_bytes() == clean


def test_fix_leaves_what_needs_a_person(cli, project: Path) -> None:
    """A syntax error keeps its place (only the layout is repaired); a file that is not
    UTF-8 is not touched; a registry file gets the layout repairs."""
    broken = project / "terms" / "ai-model.toml"
    text = broken.read_text("utf-8").replace('id = "ai-model"', 'id = "ai-model')
    broken.write_bytes(text.encode("utf-8").replace(b"\n", b"\r\n"))
    legacy = project / "terms" / "transparency.toml"
    latin = legacy.read_text("utf-8").replace("ការ", "").encode("utf-8").replace(
        "តម្លាភាព".encode(), "transparence\xe9".encode("latin-1"))
    legacy.write_bytes(latin)
    registry = project / "terms" / "_domains.toml"
    registry.write_bytes(registry.read_bytes().replace(b"\n", b"\r\n"))

    result = cli("check", "--fix")
    assert result.exit_code == 1
    assert "fixed terms/ai-model.toml: CRLF line endings made LF" in result.stderr
    assert "fixed terms/_domains.toml: CRLF line endings made LF" in result.stderr
    assert "transparency" not in result.stderr
    assert broken.read_bytes() == text.encode("utf-8")
    assert legacy.read_bytes() == latin
    assert b"\r\n" not in registry.read_bytes()
    assert "terms/ai-model.toml:2: toml-syntax" in result.stdout
    assert "terms/transparency.toml" in result.stdout and "encoding" in result.stdout


def test_fix_keeps_a_multiline_text_multiline(cli, project: Path) -> None:
    path = project / "terms" / "hallucination.toml"
    text = path.read_text("utf-8")
    start = text.index("[km.definition]\ntext = ") + len("[km.definition]\ntext = ")
    end = text.index("\n", start)
    value = text[start + 1:end - 1]
    typed = value.replace("\u17be", "\u17c1\u17b8")
    path.write_text(text[:start] + f'"""\n{typed}"""' + text[end:], "utf-8")
    assert cli("check", "--fix").exit_code == 0
    fixed = path.read_text("utf-8")
    assert f'"""{value}"""' in fixed  # still multi-line quoting (tomlkit drops the break
    assert tomllib.loads(fixed)["km"]["definition"]["text"] == value  # TOML trims anyway)


def test_clean_term_keeps_coeng_da_when_the_project_does() -> None:
    typed = "ការ\u200bផ្ដល់"  # coeng-da, with a zero-width space
    assert khmer.clean_term(typed, fold_coeng_da=False) == "ការផ្ដល់"
    assert khmer.clean_term(typed) == "ការផ្តល់"  # the default folds it to coeng-ta
