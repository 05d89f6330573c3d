"""TBX meaning kept both ways: administrative status (preferred, admitted, deprecated,
superseded/obsolete), usage notes, and "translation needed: no" / doNotTranslate ↔ dnt."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from glossary.formats import tbx
from tests.conftest import DATA

FILE = DATA / "tbx" / "v2_status_usage_dnt.tbx"


def test_statuses_usage_notes_and_dnt_are_read() -> None:
    result = tbx.read(FILE)
    first, second = result.concepts
    en = {t.text: t for t in first.en.terms}
    km = {t.text: t for t in first.km.terms}
    assert en["deepfake"].admin_status.value == "preferred"
    assert en["deep fake"].admin_status.value == "superseded"  # obsolete
    assert km["ការក្លែងបន្លំជ្រៅ"].admin_status.value == "deprecated"  # any case
    assert km["ការក្លែងបន្លំជ្រៅ"].note == ("Avoid using this term: it names the act, "
                                         "not the artefact.")
    gpt = {t.text: t for t in second.km.terms}
    assert gpt["GPT"].dnt is True and gpt["GPT"].note is None
    assert gpt["ជីភីធី"].dnt is False
    assert gpt["ជីភីធី"].admin_status.value == "superseded"
    assert not [k for k in result.skipped if "usageNote" in k or "administrativeStatus" in k]


def test_import_keeps_them_and_export_import_is_lossless(cli, project: Path,
                                                         tmp_path: Path) -> None:
    applied = cli("import", "tbx", str(FILE), "--apply", "--by", "Tester")
    assert applied.exit_code == 0, applied.output
    data = tomllib.loads((project / "terms" / "deepfake.toml").read_text("utf-8"))
    km = {t["text"]: t for t in data["km"]["terms"]}
    assert km["ការក្លែងបន្លំជ្រៅ"]["admin_status"] == "deprecated"
    assert km["ការក្លែងបន្លំជ្រៅ"]["note"].startswith("Avoid using this term")
    en = {t["text"]: t for t in data["en"]["terms"]}
    assert en["deep fake"]["admin_status"] == "superseded"
    gpt = tomllib.loads((project / "terms" / "gpt.toml").read_text("utf-8"))
    assert [t.get("dnt", False) for t in gpt["km"]["terms"]] == [True, False]
    assert cli("check").exit_code == 0
    out = tmp_path / "out.tbx"
    assert cli("export", "tbx", "-o", str(out)).exit_code == 0
    text = out.read_text("utf-8")
    assert "<note>translation needed: no</note>" in text  # readable without our notes
    assert "deprecatedTerm-admn-sts" in text and "supersededTerm-admn-sts" in text
    again = json.loads(cli("import", "tbx", str(out), "--format", "json").stdout)
    assert (again["added"], again["changed"], again["candidates"], again["conflicts"]) == (
        0, 0, 0, 0), again["changes"]
    # another tool reads "translation needed: no" as dnt (no glossary: notes trusted)
    foreign = out.read_text("utf-8").replace("<p type=\"generator\">glossary</p>", "")
    stripped = tmp_path / "foreign.tbx"
    stripped.write_text(foreign, encoding="utf-8")
    records = tbx.read(stripped)
    assert not records.own
    dnt = {t.text: t.dnt for c in records.concepts for t in c.km.terms}
    assert dnt["GPT"] is True
