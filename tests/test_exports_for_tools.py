"""Issue 17: terms other tools can use — TBX v2, approved-only everywhere, the PO/MO
compendium, empty-result warnings, OmegaT, column-mapped sheets."""

from __future__ import annotations

import csv
import gettext
import io
import json
import subprocess
from pathlib import Path

import polib
import pytest
from lxml import etree

from glossary import loader
from glossary.config import load_settings
from glossary.formats import mo
from tests.conftest import DATA, SAMPLES

EXPORTS = DATA / "exports"
APPROVED = {"ការប្រឌិតចម្លើយ", "តម្លាភាព"}  # hallucination, transparency
ALL_KM = {"គំរូបញ្ញាសិប្បនិម្មិត", "គំរូ", "បញ្ញាសិប្បនិម្មិត", "ការប្រឌិតចម្លើយ",
          "ការរៀនរបស់ម៉ាស៊ីន", "តម្លាភាព"}


def approve_two(cli) -> None:
    for concept in ("hallucination", "transparency"):
        result = cli("review", "approve", concept, "--by", "Sok Dara")
        assert result.exit_code == 0, result.output


def khmer_in(text: str) -> set[str]:
    return {k for k in ALL_KM if k in text}


# --------------------------------------------------------------------------- TBX v2


def test_tbx_v2_is_read_by_translate_toolkit_with_every_pair(cli, project):
    tbx = pytest.importorskip("translate.storage.tbx")
    assert cli("export", "tbx", "--tbx-version", "2", "-o", "v2.tbx").exit_code == 0
    root = etree.parse(str(project / "v2.tbx")).getroot()
    assert root.tag == "martif" and root.get("type") == "TBX-Basic"
    assert [el.tag for el in root.iter("termEntry", "langSet", "tig")][:3] == [
        "termEntry", "langSet", "tig"]
    store = tbx.tbxfile.parsefile(str(project / "v2.tbx"))
    glossary = loader.load(load_settings(cwd=project)).glossary
    units = {u.getid(): u for u in store.units}
    assert set(units) == {c.id for c in glossary.concepts}
    for concept in glossary.concepts:
        unit = units[concept.id]
        assert unit.source == concept.en.terms[0].text
        assert unit.target == concept.km.terms[0].text
        # every term of both languages is in the unit translate-toolkit read
        for lang, section in (("en", concept.en), ("km", concept.km)):
            node = [n for n in unit.getlanguageNodes()
                    if n.get("{http://www.w3.org/XML/1998/namespace}lang") == lang][0]
            assert [t.text for t in node.iter("term")] == [t.text for t in section.terms]


def test_tbx_v3_stays_the_default(cli, project):
    assert cli("export", "tbx", "-o", "v3.tbx").exit_code == 0
    root = etree.parse(str(project / "v3.tbx")).getroot()
    assert root.tag == "{urn:iso:std:iso:30042:ed-2}tbx"


@pytest.mark.parametrize("version", ["2", "3"])
def test_tbx_export_imports_back_unchanged(cli, project, version):
    assert cli("export", "tbx", "--tbx-version", version, "-o", "out.tbx").exit_code == 0
    result = cli("import", "tbx", "out.tbx", "--format", "json")
    data = json.loads(result.output)
    assert [c for c in data["changes"] if c["kind"] != "unchanged"] == []


def test_tbx_preferred_only_for_approved_khmer_and_review_in_a_plain_note(cli, project):
    cli("review", "approve", "transparency", "--by", "Sok Dara")
    assert cli("export", "tbx", "--tbx-version", "2", "-o", "v2.tbx").exit_code == 0
    root = etree.parse(str(project / "v2.tbx")).getroot()

    def tig(term: str) -> etree._Element:
        return next(t for t in root.iter("tig") if t.findtext("term") == term)

    def status(term: str) -> str:
        return tig(term).find("termNote[@type='administrativeStatus']").text

    assert status("តម្លាភាព") == "preferredTerm-admn-sts"  # approved
    assert status("ការប្រឌិតចម្លើយ") == "admittedTerm-admn-sts"  # preferred, proposed
    notes = [n.text for n in tig("ការប្រឌិតចម្លើយ").iter("note")]
    assert "Review: proposed (not approved yet)" in notes
    approved_notes = [n.text for n in tig("តម្លាភាព").iter("note")]
    assert any(n.startswith("Review: approved by Sok Dara on ") for n in approved_notes)


# --------------------------------------------------------------------------- approved-only


def _exported_khmer(cli, project: Path, fmt: str, flag: list[str]) -> tuple[set[str], str]:
    if fmt in ("tbx", "tbx2", "csv", "xlsx", "omegat", "json"):
        name = {"tbx2": "tbx"}.get(fmt, fmt)
        extra = ["--tbx-version", "2"] if fmt == "tbx2" else []
        result = cli("export", name, *extra, *flag, "-o", f"out.{fmt}")
        assert result.exit_code == 0, result.output
        data = (project / f"out.{fmt}").read_bytes()
        if fmt == "json":  # Khmer terms only (domain labels are Khmer too)
            concepts = json.loads(data)["concepts"]
            return khmer_in(" ".join(t["text"] for c in concepts for t in c["km"]["terms"])), \
                result.stderr
        if fmt == "xlsx":
            from openpyxl import load_workbook

            sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
            text = " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row
                            if c is not None)
        else:
            text = data.decode("utf-8")
        return khmer_in(text), result.stderr
    if fmt == "po":
        result = cli("export", "po", *flag, "-o", "po-out")
        assert result.exit_code == 0, result.output
        text = "".join(p.read_text(encoding="utf-8")
                       for p in (project / "po-out").rglob("*.po"))
        msgstrs = {e.msgstr for p in (project / "po-out").rglob("*.po")
                   for e in polib.pofile(str(p))}
        return khmer_in(" ".join(msgstrs)) if text else set(), result.stderr
    assert fmt == "mo"
    result = cli("export", "mo", *flag, "-o", "out.mo")
    assert result.exit_code == 0, result.output
    with (project / "out.mo").open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    return khmer_in(" ".join(v for k, v in catalog.items() if k)), result.stderr


FORMATS = ["tbx", "tbx2", "csv", "xlsx", "json", "po", "mo", "omegat"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_export_honours_approved_only(cli, project, fmt):
    approve_two(cli)
    found, _ = _exported_khmer(cli, project, fmt, ["--approved-only"])
    assert found == APPROVED
    found, _ = _exported_khmer(cli, project, fmt, ["--min-review", "approved"])
    assert found == APPROVED


@pytest.mark.parametrize("fmt", FORMATS)
def test_min_review_proposed_keeps_proposals_not_drafts(cli, project, fmt):
    found, _ = _exported_khmer(cli, project, fmt, ["--min-review", "proposed"])
    assert found == ALL_KM  # every term of the mini glossary is proposed


@pytest.mark.parametrize("fmt", [f for f in FORMATS if not f.startswith("tbx")])
def test_an_empty_approved_export_says_so_on_stderr(cli, project, fmt):
    found, stderr = _exported_khmer(cli, project, fmt, ["--approved-only"])
    assert found == set()
    assert "warning:" in stderr and "none is approved yet" in stderr
    assert "glossary review approve" in stderr


@pytest.mark.parametrize("version", ["3", "2"])
def test_an_approved_tbx_of_no_entry_is_refused(cli, project, version):
    # TBX v3 and v2 both need one entry in <body>: no file rather than an invalid one
    result = cli("export", "tbx", "--tbx-version", version, "--approved-only", "-o", "a.tbx")
    assert result.exit_code == 2
    assert "a TBX file needs at least one entry" in result.stderr
    assert "glossary review approve" in result.stderr
    assert not (project / "a.tbx").exists()


def test_plain_export_mo_warns_when_nothing_is_approved(cli):
    result = cli("export", "mo", "-o", "x.mo")
    assert result.exit_code == 0
    assert "exported 0 approved entries" in result.stdout
    assert "none is approved yet" in result.stderr


def test_the_approved_po_header_describes_itself_and_has_the_real_date(cli, project,
                                                                        monkeypatch):
    from datetime import UTC, datetime

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    approve_two(cli)
    assert cli("export", "po", "--approved-only").exit_code == 0
    path = project / "build/approved/km/LC_MESSAGES/glossary.po"
    text = path.read_text(encoding="utf-8")
    head = text.split('msgid ""')[0]
    assert "approved by a named reviewer" in head and "send the file back" not in head
    today = datetime.now(tz=UTC).date().isoformat()
    assert polib.pofile(str(path)).metadata["PO-Revision-Date"].startswith(today)
    assert "1970-01-01" not in text


# --------------------------------------------------------------------------- compendium


def _pot_from_sample(tmp: Path) -> Path:
    """A POT made from a real catalog (apt's Khmer PO, translations dropped) with three
    glossary terms among its messages."""
    sample = polib.pofile(str(SAMPLES / "po" / "apt-2.6.1_km.po"))
    pot = polib.POFile()
    pot.metadata = {"Content-Type": "text/plain; charset=UTF-8",
                    "Content-Transfer-Encoding": "8bit"}
    for entry in [e for e in sample if not e.obsolete and not e.msgid_plural][:40]:
        pot.append(polib.POEntry(msgid=entry.msgid, msgstr="", msgctxt=entry.msgctxt))
    for msgid in ("transparency", "hallucination", "machine learning"):
        pot.append(polib.POEntry(msgid=msgid, msgstr=""))
    path = tmp / "app.pot"
    pot.save(str(path))
    return path


def test_msgmerge_fills_the_matching_msgids_from_the_compendium(cli, project):
    approve_two(cli)
    result = cli("export", "po", "--compendium", "--min-review", "proposed", "-o", "comp")
    assert result.exit_code == 0, result.output
    compendium = project / "comp" / "glossary-compendium.km.po"
    entries = polib.pofile(str(compendium))
    assert all(e.msgctxt is None for e in entries)
    assert len({e.msgid for e in entries}) == len(entries)
    assert all(any(c.startswith("Concept: ") for c in e.comment.split("\n")) for e in entries)
    pot = _pot_from_sample(project)
    out = project / "merged.po"
    run = subprocess.run(["msgmerge", "--quiet", "--no-fuzzy-matching", "--compendium",
                          str(compendium), "-o", str(out), str(pot), str(pot)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    merged = {e.msgid: e for e in polib.pofile(str(out))}
    for msgid in ("transparency", "hallucination"):  # approved: filled, not fuzzy
        assert merged[msgid].msgstr in APPROVED and not merged[msgid].fuzzy
    assert merged["machine learning"].msgstr == "ការរៀនរបស់ម៉ាស៊ីន"
    assert merged["machine learning"].fuzzy  # a proposal stays fuzzy
    sample_ids = [m for m in merged if m not in ("transparency", "hallucination",
                                                  "machine learning")]
    assert sample_ids and all(not merged[m].msgstr for m in sample_ids)


def test_compendium_reports_ambiguous_english_terms(cli):
    # "AI" is the acronym of two concepts of the mini glossary, "ML" likewise: give
    # them different Khmer and the English term is ambiguous
    result = cli("export", "po", "--compendium", "-o", "comp")
    assert result.exit_code == 0
    entries = {e.msgid: e for e in polib.pofile("comp/glossary-compendium.km.po")}
    assert list(entries) == list(dict.fromkeys(entries))


def _model_template(project: Path) -> None:
    """A second concept whose short form "model" has another Khmer term than ai-model's:
    the English term "model" is ambiguous in a compendium."""
    (project / "terms" / "model-template.toml").write_text(
        '# model\nid = "model-template"\ndomains = ["data"]\n\n'
        '[[en.terms]]\ntext = "model template"\nadmin_status = "preferred"\n'
        'type = "fullForm"\nreview = "proposed"\norigin = "human"\n\n'
        '[[en.terms]]\ntext = "model"\nadmin_status = "admitted"\ntype = "shortForm"\n'
        'review = "proposed"\norigin = "human"\n\n'
        '[[km.terms]]\ntext = "ពុម្ពគំរូ"\nadmin_status = "preferred"\ntype = "fullForm"\n'
        'review = "proposed"\norigin = "human"\n\n'
        '[[km.terms]]\ntext = "ពុម្ព"\nadmin_status = "admitted"\ntype = "shortForm"\n'
        'review = "proposed"\norigin = "human"\n', encoding="utf-8")


def test_compendium_names_an_ambiguous_term_and_keeps_it_fuzzy(cli, project):
    _model_template(project)
    result = cli("export", "po", "--compendium", "-o", "comp")
    assert result.exit_code == 0, result.output
    assert "ambiguous English term 'model'" in result.stderr
    entry = {e.msgid: e for e in polib.pofile("comp/glossary-compendium.km.po")}["model"]
    assert entry.msgstr == "គំរូ" and entry.fuzzy
    assert "ពុម្ព (model-template)" in entry.comment


def test_export_mo_compendium_works_with_plain_gettext(cli, project):
    approve_two(cli)
    result = cli("export", "mo", "--compendium", "-o", "terms.mo")
    assert result.exit_code == 0, result.output
    with (project / "terms.mo").open("rb") as handle:
        translations = gettext.GNUTranslations(handle)
    assert translations.gettext("transparency") == "តម្លាភាព"
    assert translations.gettext("hallucination") == "ការប្រឌិតចម្លើយ"
    assert translations.gettext("machine learning") == "machine learning"  # not approved


def test_mo_compendium_leaves_out_an_ambiguous_term_as_msgfmt_does(cli, project):
    """The PO compendium keeps an ambiguous English term fuzzy, and msgfmt compiles no
    fuzzy entry: the MO compendium holds the messages msgfmt makes of that PO, so
    gettext("model") stays English instead of giving one concept's sense."""
    _model_template(project)
    for concept in ("ai-model", "model-template"):
        for index in ("0", "1"):
            assert cli("review", "approve", concept, "--term", index, "--by", "Sok Dara"
                       ).exit_code == 0
    args = ("--compendium", "--approved-only")
    assert cli("export", "po", *args, "-o", "comp.po").exit_code == 0
    result = cli("export", "mo", *args, "-o", "comp.mo")
    assert result.exit_code == 0, result.output
    assert ("warning: ambiguous English term 'model': left out (as msgfmt leaves out the "
            "PO compendium's fuzzy entry); ai-model and ពុម្ព (model-template) translate it "
            "differently") in result.stderr
    with (project / "comp.mo").open("rb") as handle:
        translations = gettext.GNUTranslations(handle)
    assert translations.gettext("model") == "model"
    assert translations.gettext("model template") == "ពុម្ពគំរូ"
    subprocess.run(["msgfmt", "--no-hash", "-o", "msgfmt.mo", "comp.po"], cwd=project,
                   check=True)
    ours, theirs = (mo.read((project / name).read_bytes()) for name in ("comp.mo", "msgfmt.mo"))
    ours.pop(""), theirs.pop("")  # the headers: ours is dated today, the PO's is not
    assert ours == theirs and "model" not in ours


# --------------------------------------------------------------------------- OmegaT


def test_omegat_glossary_round_trips_through_a_tab_separated_reader(cli, project):
    assert cli("export", "omegat", "-o", "glossary.txt").exit_code == 0
    raw = (project / "glossary.txt").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw
    with (project / "glossary.txt").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert all(len(row) == 3 for row in rows)
    glossary = loader.load(load_settings(cwd=project)).glossary
    from glossary.pairs import pair_terms

    expected = [(p.en.text, p.km.text) for c in glossary.concepts for p in pair_terms(c)
                if p.km is not None]
    assert [(r[0], r[1]) for r in rows] == expected
    assert rows[0][2].startswith(glossary.concepts[0].id + " (proposed, not approved yet)")


def test_omegat_fields_never_hold_a_tab_or_line_break():
    from glossary.formats.omegat import field

    assert field("a\tb\nc\u2028d\r\ne") == "a b c d e"


# --------------------------------------------------------------------------- columns


def test_a_bilingual_csv_is_recognised_by_its_header(cli, project):
    result = cli("import", "csv", str(EXPORTS / "bilingual.csv"), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    changes = {c["concept"]: c for c in data["changes"]}
    assert changes["explainability"]["kind"] == "added"
    # transparency/តម្លាភាព is already there: only the sheet's note is new
    assert changes["transparency"]["what"] == "notes"


def test_column_mapping_reads_a_sheet_with_other_headers(cli, project):
    result = cli("import", "csv", str(EXPORTS / "mapped.csv"), "--columns",
                 "en=Source term,km=Target term,definition=Meaning", "--apply", "--by", "T")
    assert result.exit_code == 0, result.output
    written = "".join(p.read_text(encoding="utf-8") for p in (project / "terms").glob("*.toml"))
    assert "federated learning" in written and "ការរៀនសហព័ន្ធ" in written
    assert "Training a model across devices" in written


def test_column_mapping_names_a_missing_header(cli):
    result = cli("import", "csv", str(EXPORTS / "mapped.csv"), "--columns",
                 "en=English,km=Target term")
    assert result.exit_code == 2
    assert "no column 'English'" in result.output and "Source term" in result.output


def test_column_mapping_rejects_an_unknown_field(cli):
    result = cli("import", "csv", str(EXPORTS / "mapped.csv"), "--columns", "fr=French,en=a")
    assert result.exit_code == 2 and "unknown field 'fr'" in result.output


def test_rows_without_english_are_skipped_and_counted(cli):
    result = cli("import", "csv", str(EXPORTS / "no-english-row.csv"), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["skipped"] == {"rows with no English term": 1}


# --------------------------------------------------------------------------- build targets


def test_build_writes_the_tool_files_and_approved_only_downloads(cli, project):
    approve_two(cli)
    result = cli("build", "--only", "tools", "--only", "approved")
    assert result.exit_code == 0, result.output
    build = project / "build"
    for name in ("glossary-v2.tbx", "glossary.omegat.txt", "glossary-compendium.km.po"):
        assert khmer_in((build / name).read_text(encoding="utf-8")) == ALL_KM
    approved = sorted(p.name for p in (build / "approved").iterdir())
    assert approved == ["glossary-compendium.km.po", "glossary-v2.tbx", "glossary.csv",
                        "glossary.json", "glossary.omegat.txt", "glossary.tbx"]
    for name in approved:
        text = (build / "approved" / name).read_text(encoding="utf-8")
        if name.endswith(".json"):
            text = " ".join(t["text"] for c in json.loads(text)["concepts"]
                            for t in c["km"]["terms"])
        assert khmer_in(text) == APPROVED, name
    first = {p.name: p.read_bytes() for p in (build / "approved").iterdir()}
    assert cli("build", "--only", "approved").exit_code == 0
    assert first == {p.name: p.read_bytes() for p in (build / "approved").iterdir()}


def test_an_import_that_rewrites_a_concept_keeps_its_qa_context(cli, project):
    path = project / "terms" / "transparency.toml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        'id = "transparency"\n', 'id = "transparency"\nqa_context = "ai"\n'), encoding="utf-8")
    result = cli("import", "csv", str(EXPORTS / "bilingual.csv"), "--apply", "--by", "T")
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    assert "from a partner glossary" in text and 'qa_context = "ai"' in text


def test_the_site_offers_the_approved_only_and_tool_downloads(cli, project):
    approve_two(cli)
    assert cli("build").exit_code == 0
    downloads = project / "build" / "site" / "downloads"
    for name in ("approved-glossary.tbx", "approved-glossary-v2.tbx", "approved-glossary.csv",
                 "approved-glossary.omegat.txt", "approved-glossary-compendium.km.po"):
        assert khmer_in((downloads / name).read_text(encoding="utf-8")) == APPROVED, name
    for name in ("glossary-v2.tbx", "glossary.omegat.txt", "glossary-compendium.km.po"):
        assert khmer_in((downloads / name).read_text(encoding="utf-8")) == ALL_KM, name
    page = (project / "build" / "site" / "downloads.html").read_text(encoding="utf-8")
    assert 'href="downloads/approved-glossary-v2.tbx"' in page


def test_a_selection_is_made_once_per_glossary_and_level(settings) -> None:
    """Every output of a build that carries approved terms takes the same selection;
    another level, or another glossary, gets its own."""
    from glossary import loader, selection

    glossary = loader.load_valid(settings).glossary
    approved = selection.select(glossary, "approved")
    assert selection.select(glossary, "approved") is approved
    proposed = selection.select(glossary, "proposed")
    assert proposed is not approved and selection.select(glossary, None) is glossary
    assert all(t.review.state.value == "approved" for c in approved.concepts
               for t in c.km.terms)
    assert {c.id for c in approved.concepts} <= {c.id for c in proposed.concepts}
    again = loader.load_valid(settings).glossary
    assert selection.select(again, "approved") is not approved
    assert selection.select(again, "approved") == approved
