"""Issue 17: the Python API (glossary.load, lookups, iteration, glossary.export)."""

from __future__ import annotations

import json
import subprocess
import sys

import polib
import pytest
from lxml import etree

import glossary


@pytest.fixture
def g(project):
    return glossary.load(project / "terms")


def test_load_iterates_and_looks_up(g, project):
    assert len(g) == 5 and "transparency" in g and "nope" not in g
    assert [c.id for c in g] == sorted(c.id for c in g)
    assert g["transparency"].km.terms[0].text == "តម្លាភាព"
    with pytest.raises(KeyError):
        g["nope"]
    assert g.revision and g.problems == []
    assert g.settings.build_dir == project / "build"


def test_find_matches_english_any_case_and_khmer_whatever_its_zero_width_spaces(g):
    assert g.find("Transparency").id == "transparency"
    assert g.find("ML").id == "machine-learning"
    assert g.find("ការ\u200bប្រឌិត\u200bចម្លើយ").id == "hallucination"
    assert g.find("តម្លាភាព", lang="en") is None
    assert g.find("no such term") is None


def test_search_is_what_the_cli_search_finds(g, cli):
    found = g.search("ទិ")
    data = json.loads(cli("search", "ទិ", "--format", "json").stdout)
    assert [h.item.id for h in found.hits] == [r["id"] for r in data["results"]]
    assert g.search("hallucination").hits[0].item.id == "hallucination"


def test_export_tbx_approved_only(g, cli, project):
    from glossary.errors import FormatError

    with pytest.raises(FormatError, match="a TBX file needs at least one entry"):
        glossary.export(g, "tbx", project / "none.tbx", approved_only=True)
    assert not (project / "none.tbx").exists()
    cli("review", "approve", "transparency", "--by", "Sok Dara")
    g = glossary.load(project / "terms")
    counts = glossary.export(g, "tbx", project / "a.tbx", approved_only=True, tbx_version=2)
    assert (counts.concepts, counts.km_terms) == (1, 1)
    root = etree.parse(str(project / "a.tbx")).getroot()
    assert root.tag == "martif"
    assert [t.text for t in root.iter("term")] == ["transparency", "តម្លាភាព"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "omegat", "json", "po", "mo"])
def test_export_writes_every_format(g, project, fmt):
    path = project / f"out.{fmt}"
    counts = glossary.export(g, fmt, path, min_review="proposed")
    assert path.is_file() and path.stat().st_size > 0
    assert counts.km_terms > 0 or fmt == "mo"


def test_export_po_compendium(g, project):
    glossary.export(g, "po", project / "c.po", compendium=True, min_review="proposed")
    entries = polib.pofile(str(project / "c.po"))
    assert entries.find("transparency").msgstr == "តម្លាភាព"
    assert all(e.msgctxt is None for e in entries)


def test_export_a_domain(g, project):
    from glossary.errors import ConfigError

    counts = glossary.export(g, "json", project / "ml.json", domains=["machine-learning"])
    data = json.loads((project / "ml.json").read_text(encoding="utf-8"))
    assert {c["id"] for c in data["concepts"]} == {"ai-model", "machine-learning"}
    assert counts.concepts == 2
    with pytest.raises(ConfigError, match="unknown domain 'cooking'"):
        glossary.export(g, "csv", project / "x.csv", domains=["cooking"])
    assert not (project / "x.csv").exists()


def test_an_unknown_format_is_refused(g, project):
    with pytest.raises(ValueError, match="unknown format 'pdf'"):
        glossary.export(g, "pdf", project / "x.pdf")
    assert not (project / "x.pdf").exists()


def test_the_api_does_not_import_click(project):
    code = ("import sys, glossary; g = glossary.load(sys.argv[1]); "
            "glossary.export(g, 'tbx', sys.argv[2], min_review='proposed'); "
            "print(g.find('AI model').id, 'click' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(project / "terms"),
                          str(project / "out.tbx")], capture_output=True, text=True, check=True,
                         cwd=project)
    assert out.stdout.split() == ["ai-model", "False"]
