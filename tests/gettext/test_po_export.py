"""glossary export po / export mo / build: the catalogs translators and other projects get."""

from __future__ import annotations

import gettext
from pathlib import Path

import polib
import pytest

from glossary import loader, locale_catalogs, pairs, pipeline
from glossary.formats import po
from tests.gettext.po_helpers import msgfmt

PO = Path("locale/km/LC_MESSAGES/glossary.po")
POT = Path("locale/glossary.pot")


def entries(path: Path) -> dict[str | None, polib.POEntry]:
    return {e.msgctxt: e for e in polib.pofile(str(path))}


def test_export_po_writes_catalogs_and_build_copies(run, po_project):
    result = run("export", "po")
    assert result.exit_code == 0, result.output
    assert "exported 7 entries (4 fuzzy, 1 untranslated)" in result.output
    for rel in (PO, POT, Path("build/glossary.pot"), Path("build/km/glossary.po")):
        assert (po_project / rel).is_file(), rel
    assert (po_project / "build/km/glossary.po").read_bytes() == (po_project / PO).read_bytes()
    assert (po_project / PO).stat().st_mode & 0o044 == 0o044  # readable like any file


def test_export_po_to_one_file(run, po_project):
    """-o NAME.po is the Khmer catalog alone, -o NAME.pot the template alone: the bytes
    the folder form writes, and nothing else (no locale/ or build/ copies)."""
    result = run("export", "po", "-o", "km.po")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1:] == ["  km.po"]
    assert run("export", "po", "-o", "out/app.pot").exit_code == 0
    assert not (po_project / PO).exists()
    assert not list((po_project / "build").glob("**/glossary.po*"))
    assert run("export", "po", "-o", "folder").exit_code == 0
    assert (po_project / "km.po").read_bytes() == (
        po_project / "folder/km/LC_MESSAGES/glossary.po").read_bytes()
    assert (po_project / "out/app.pot").read_bytes() == (
        po_project / "folder/glossary.pot").read_bytes()
    assert entries(po_project / "km.po")["bias"].msgstr == "ភាពលម្អៀង"
    msgfmt(po_project / "km.po")


def test_export_po_for_other_projects_to_one_file(run, po_project):
    assert run("export", "po", "--approved-only", "-o", "approved.po").exit_code == 0
    assert run("export", "po", "--approved-only", "-o", "folder").exit_code == 0
    assert (po_project / "approved.po").read_bytes() == (
        po_project / "folder/km/LC_MESSAGES/glossary.po").read_bytes()
    assert "bias" in {e.msgctxt for e in polib.pofile(str(po_project / "approved.po"))}
    assert run("export", "po", "--compendium", "-o", "comp.po").exit_code == 0
    assert all(e.msgctxt is None for e in polib.pofile(str(po_project / "comp.po")))
    refused = run("export", "po", "--approved-only", "-o", "approved.pot")
    assert refused.exit_code == 2
    assert "no template" in refused.output and not (po_project / "approved.pot").exists()


def test_an_existing_folder_named_like_a_catalog_stays_a_folder(run, po_project):
    (po_project / "old.po").mkdir()
    assert run("export", "po", "-o", "old.po").exit_code == 0
    assert (po_project / "old.po/km/LC_MESSAGES/glossary.po").is_file()


def test_entries_follow_the_issue(run, po_project):
    run("export", "po")
    got = entries(po_project / PO)
    # msgctxt = concept id, plus the index of the English term when there are several
    assert got["ai-model"].msgid == "AI model"
    assert got["ai-model"].msgstr == "គំរូបញ្ញាសិប្បនិម្មិត"
    assert got["ai-model#1"].msgid == "model"
    assert got["ai-model#1"].msgstr == "គំរូ"
    # fuzzy unless approved
    assert got["ai-model"].fuzzy
    assert not got["bias"].fuzzy and got["bias"].msgstr == "ភាពលម្អៀង"
    # translator comments: definition, domains, status, readable references, notes, dnt
    fair = got["fairness"].comment
    assert "Definition: Treating people equitably" in fair
    assert "Domains: Ethics" in fair
    assert "Khmer term: proposed (machine-assisted; proposed by glossary team)" in fair
    assert "Sources: ASEAN Guide 2024 §B.2, p. 12" in fair
    assert "Note: Not the statistical sense of fairness metrics." in fair
    assert "Do not translate" in got["large-language-model#1"].comment
    assert "Do not translate" not in fair
    assert "Other Khmer terms: គំរូ (admitted, proposed)" in got["ai-model"].comment
    # a fingerprint of the exported English and Khmer text
    assert f"fingerprint: {pairs.fingerprint('fairness', 'យុត្តិធម៌')}" in fair
    # no Khmer yet: untranslated, not fuzzy; retired concepts are left out
    assert got["confabulation"].msgstr == "" and not got["confabulation"].fuzzy
    assert got["confabulation"].msgid == 'the "made-up" answer \\ confabulation'
    assert "black-box" not in got
    assert list(got) == sorted(got, key=lambda c: (c.split("#")[0], c))


def test_header(run, po_project):
    run("export", "po")
    meta = polib.pofile(str(po_project / PO)).metadata
    assert meta["Language"] == "km"
    assert meta["Plural-Forms"] == "nplurals=1; plural=0;"
    assert meta["Content-Type"] == "text/plain; charset=UTF-8"
    revision = loader.load(pipeline_settings(po_project)).revision
    assert meta["X-Glossary-Revision"] == revision
    # no clock: the newest review date in the glossary
    assert meta["POT-Creation-Date"] == "2026-01-15 00:00+0000"
    pot = polib.pofile(str(po_project / POT))
    assert all(e.msgstr == "" and not e.fuzzy for e in pot)


def pipeline_settings(root: Path):
    from glossary.config import load_settings

    return load_settings(cwd=root)


def test_export_twice_is_byte_identical(run, po_project):
    run("export", "po")
    first = {p: (po_project / p).read_bytes() for p in (PO, POT)}
    run("export", "po")
    assert {p: (po_project / p).read_bytes() for p in (PO, POT)} == first


def test_source_date_epoch_sets_the_date(run, po_project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    run("export", "po")
    assert polib.pofile(str(po_project / PO)).metadata["POT-Creation-Date"] == \
        "2026-01-01 00:00+0000"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    result = run("export", "po")
    assert result.exit_code == 2 and "SOURCE_DATE_EPOCH" in result.output


def test_every_exported_po_passes_msgfmt_check(run, po_project):
    run("export", "po")
    run("export", "po", "--approved-only")
    approved = po_project / "build/approved/km/LC_MESSAGES/glossary.po"
    for path in (po_project / PO, approved):
        done = msgfmt("-c", "-o", "/dev/null", path)
        assert done.returncode == 0 and done.stderr == "", (path, done.stderr)
    done = msgfmt("-c", "-o", "/dev/null", po_project / POT)
    assert done.returncode == 0, done.stderr


def test_approved_only(run, po_project):
    result = run("export", "po", "--approved-only", "-o", "out")
    assert result.exit_code == 0, result.output
    got = entries(po_project / "out/km/LC_MESSAGES/glossary.po")
    assert set(got) == {"bias", "large-language-model#1"}
    assert not any(e.fuzzy for e in got.values())
    assert not (po_project / "out/glossary.pot").exists()


def test_build_writes_po_pot_and_mo(run, po_project):
    result = run("build")
    assert result.exit_code == 0, result.output
    for rel in ("build/glossary.pot", "build/km/glossary.po", "build/glossary.km.mo"):
        assert rel in result.output
    with open(po_project / "build/glossary.km.mo", "rb") as handle:
        t = gettext.GNUTranslations(handle)
    assert t.pgettext("bias", "bias") == "ភាពលម្អៀង"
    assert t.pgettext("fairness", "fairness") == "fairness"  # not approved: not in the MO


@pytest.mark.parametrize("text", [
    'a "quoted" word', "back\\slash", "tab\there", "two\nlines", "ends with newline\n",
    "bell\a and \x01 control", "ខ្មែរ ​ZWSP", "\\n is not a newline",
])
def test_escaping_round_trips_through_polib_and_msgfmt(tmp_path, text):
    entry = pairs.CatalogEntry(
        context="c", msgid=text, msgstr=text, comments=("comment\nover two lines",),
        fuzzy=False, fingerprint="0", reference="terms/c.toml", concept_id="c", en_index=0,
        km_index=0)
    path = tmp_path / "x.po"
    path.write_text(po.write_catalog([entry], po.Header(revision="r")), encoding="utf-8")
    if "\x01" not in text:  # polib does not decode octal escapes; msgfmt does
        parsed = po.read(path)
        assert parsed.messages[0].msgid == text
        assert parsed.messages[0].msgstr == text
    done = msgfmt("-c", "-o", tmp_path / "x.mo", path)
    assert done.returncode == 0, done.stderr
    with open(tmp_path / "x.mo", "rb") as handle:
        assert gettext.GNUTranslations(handle).pgettext("c", text) == text


def test_export_refuses_an_invalid_glossary(run, po_project):
    (po_project / "terms/fairness.toml").write_text("id = [", encoding="utf-8")
    result = run("export", "po")
    assert result.exit_code == 2
    assert "terms/fairness.toml:1" in result.output
    text = (po_project / "terms/bias.toml").read_text(encoding="utf-8")
    (po_project / "terms/bias.toml").write_text(
        text.replace('domains = ["ethics"]', 'domains = ["ethics"]\nsee_also = ["no-such"]', 1),
        encoding="utf-8")
    (po_project / "terms/fairness.toml").unlink()
    result = run("export", "po")
    assert result.exit_code == 1
    assert "problem(s)" in result.output


def test_pairing_by_type():
    from glossary.model import Concept, LangSection, Term, TermType

    concept = Concept(
        id="generative-ai",
        en=LangSection(terms=(Term("generative AI"), Term("GenAI", type=TermType.ACRONYM),
                              Term("generative artificial intelligence"))),
        km=LangSection(terms=(Term("បញ្ញាសិប្បនិម្មិតបង្កើតថ្មី"),
                              Term("GenAI", type=TermType.ACRONYM, dnt=True))),
    )
    found = [(p.en.text, p.km.text if p.km else None) for p in pairs.pair_terms(concept)]
    assert found == [("generative AI", "បញ្ញាសិប្បនិម្មិតបង្កើតថ្មី"), ("GenAI", "GenAI"),
                     ("generative artificial intelligence", None)]
    assert pairs.parse_context("ai-model#1") == ("ai-model", 1)
    assert pairs.parse_context("ai-model") == ("ai-model", 0)
    assert pairs.parse_context("x#y") is None


def test_render_functions_are_registered():
    assert pipeline.RENDERERS["po"] == "glossary.locale_catalogs:render_po"
    assert pipeline.RENDERERS["mo"] == "glossary.exporting:render_target"  # the registry's
    assert locale_catalogs.MO_NAME == "glossary.km.mo"


def test_fast_writer_path_gives_the_same_bytes(po_settings):
    loaded = loader.load(po_settings)
    entries = pairs.build_entries(loaded.glossary)
    plain = [e for e in entries if e.concept_id != "confabulation"]  # needs no escaping
    multiline = plain[0]._replace(comments=("Note: one\nand two", "Domains: x"), context="m")
    header = po.Header(revision="r")
    for group in (entries, plain, [*plain, multiline]):
        assert po._all_plain(group) is (group is not entries)
        for template in (False, True):
            slow = po.header_entry(header, template=template) + "".join(
                "\n" + po.entry_text(e, template=template) for e in group)
            assert po.write_catalog(group, header, template=template) == slow
