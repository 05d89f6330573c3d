"""``glossary export FORMAT --domain D``: a part of the glossary for a translator or
another project, in every format, written to a file of its own; the build's outputs and
the translators' catalogs in locale/ are left whole."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import polib
import pytest

from tests.conftest import add_openness

#: the mini glossary's concepts of machine-learning (ai-model, machine-learning); the
#: others are in foundations, generative-ai/risk and transparency/ethics
ML = {"ai-model", "machine-learning"}


def _json_ids(path: Path) -> dict[str, list[str]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {c["id"]: c["see_also"] for c in data["concepts"]}


def test_json_keeps_the_domain_and_drops_links_out_of_it(cli, project):
    out = project / "ml.json"
    result = cli("export", "json", "--domain", "machine-learning", "-o", str(out))
    assert result.exit_code == 0, result.output
    found = _json_ids(out)
    assert set(found) == ML
    # machine-learning links to artificial-intelligence (foundations): not in the part
    assert found["machine-learning"] == ["ai-model"]
    assert found["ai-model"] == ["machine-learning"]


def test_the_domains_are_added_up(cli, project):
    out = project / "two.csv"
    result = cli("export", "csv", "--domain", "machine-learning", "--domain", "foundations",
                 "-o", str(out))
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8-sig", newline="") as handle:
        ids = {row["concept_id"] for row in csv.DictReader(handle)}
    assert ids == ML | {"artificial-intelligence"}


@pytest.mark.parametrize(("fmt", "name"), [("tbx", "ml.tbx"), ("xlsx", "ml.xlsx"),
                                           ("omegat", "ml.txt")])
def test_every_shared_format_takes_it(cli, project, fmt, name):
    whole, part = project / f"whole-{name}", project / name
    assert cli("export", fmt, "-o", str(whole)).exit_code == 0
    result = cli("export", fmt, "--domain", "machine-learning", "-o", str(part))
    assert result.exit_code == 0, result.output
    assert 0 < part.stat().st_size < whole.stat().st_size
    if fmt == "tbx":
        text = part.read_text(encoding="utf-8")
        assert text.count("<conceptEntry") == len(ML)
        assert 'id="transparency"' not in text


def test_po_of_a_domain_goes_to_its_own_file_and_reads_back(cli, project):
    out = project / "ml.km.po"
    result = cli("export", "po", "--domain", "machine-learning", "-o", str(out))
    assert result.exit_code == 0, result.output
    catalog = polib.pofile(str(out))
    assert {entry.msgctxt.split("#")[0] for entry in catalog} == ML
    assert not (project / "locale").exists()  # the translators' catalogs untouched
    result = cli("import", "po", str(out))
    assert result.exit_code == 0, result.output
    assert "0 unknown" in result.output and "0 conflict" in result.output


@pytest.mark.parametrize("args", [["po", "--domain", "machine-learning"],
                                  ["po", "--domain", "machine-learning", "-o", "."],
                                  ["mo", "--domain", "machine-learning"]])
def test_a_part_never_goes_to_the_default_places(cli, project, args):
    result = cli("export", *args)
    assert result.exit_code == 2
    assert "--domain exports a part of the glossary" in result.output
    assert "give -o FILE." in result.output
    assert not (project / "locale").exists() and not (project / "build" / "glossary.km.mo").exists()


def test_mo_of_a_domain(cli, project):
    out = project / "ml.mo"
    result = cli("export", "mo", "--min-review", "proposed", "--domain", "machine-learning",
                 "-o", str(out))
    assert result.exit_code == 0, result.output
    contexts = {entry.msgctxt.split("#")[0] for entry in polib.mofile(str(out))}
    assert contexts and contexts <= ML


def test_an_unknown_domain_is_refused_and_nothing_is_written(cli, project):
    out = project / "x.csv"
    result = cli("export", "csv", "--domain", "machine-learnin", "-o", str(out))
    assert result.exit_code == 2
    assert "unknown domain 'machine-learnin'" in result.output
    assert "machine-learning" in result.output  # the ids to choose from
    assert not out.exists()


def test_a_part_leaves_the_build_and_the_whole_export_as_they_were(cli, project):
    add_openness(project)
    assert cli("build").exit_code == 0
    whole = (project / "build" / "glossary.csv").read_bytes()
    assert cli("export", "csv", "--domain", "ethics", "-o", str(project / "e.csv")).exit_code == 0
    assert (project / "build" / "glossary.csv").read_bytes() == whole
    again = cli("build")
    assert again.exit_code == 0
    assert "written" not in again.output.replace("0 files written", "")  # all unchanged
    assert cli("export", "csv", "-o", str(project / "all.csv")).exit_code == 0
    assert (project / "all.csv").read_bytes() == whole
    part = (project / "e.csv").read_text(encoding="utf-8-sig")
    assert "openness" in part and "ai-model" not in part
