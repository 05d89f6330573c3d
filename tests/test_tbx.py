"""TBX: TBX-Basic export validated with RELAX NG, safe and streaming import, real samples."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from lxml import etree

from glossary import loader
from glossary.config import load_settings
from glossary.errors import FormatError
from glossary.formats import tbx
from glossary.formats.tbx import reader as tbx_reader
from tests.conftest import DATA, ROOT, SAMPLES, write_concept

TBX_DATA = DATA / "tbx"
SCHEMA = SAMPLES / "tbx" / "schemas" / "TBXcoreStructV03_TBX-Basic_integrated.rng"
SAMPLE_FILES = sorted((SAMPLES / "tbx").glob("*.tbx"))


def _relaxng() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(SCHEMA)))


def _export(settings) -> bytes:
    buffer = io.BytesIO()
    tbx.write(loader.load_valid(settings).glossary, buffer)
    return buffer.getvalue()


EDGE_CONCEPT = """# 3D model: an id that starts with a digit, a retired concept, a Khmer
# definition with no Khmer term, a dated approval, context, dnt, notes
id = "3d-model"
status = "retired"
domains = ["machine-learning"]
see_also = ["ai-model"]
notes = ["Kept for old links.", "Second note & <markup>"]

[[sources]]
doc = "asean-guide-2024"
section = "C.3"
page = 27
note = "table 2"

[en.definition]
text = "A model of a three-dimensional object."
source = { doc = "asean-guide-2024", section = "A.4" }
review = "approved"
origin = "human"
approved_by = "Sok Dara"
approved_on = 2026-01-31
review_note = "checked against the guide"

[[en.terms]]
text = "3D model"
admin_status = "preferred"
type = "fullForm"
pos = "noun"
context = "The 3D model was printed."
review = "approved"
origin = "human"
proposed_by = "glossary team"
proposed_on = 2025-12-01
approved_by = "Sok Dara"
approved_on = 2026-01-31

[[en.terms]]
text = "3-D"
admin_status = "deprecated"
type = "abbreviation"
dnt = true
note = "Avoid."
review = "rejected"
origin = "machine-assisted"

[km.definition]
text = "គំរូនៃវត្ថុបីវិមាត្រ។"
review = "draft"
origin = "machine-assisted"
"""


def test_export_validates_against_the_tbx_basic_schema(settings) -> None:
    data = _export(settings)
    schema = _relaxng()
    assert schema.validate(etree.fromstring(data)), schema.error_log
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n<tbx ")
    assert b'style="dca"' in data and b'xmlns="urn:iso:std:iso:30042:ed-2"' in data


def test_export_of_edge_cases_validates_and_reads_back(project: Path, settings) -> None:
    write_concept(project, "3d-model", EDGE_CONCEPT)
    data = _export(settings)
    schema = _relaxng()
    assert schema.validate(etree.fromstring(data)), schema.error_log
    text = data.decode("utf-8")
    assert '<conceptEntry id="_3d-model">' in text  # an NCName
    assert '<descrip type="definition" xml:lang="km">' in text  # no km term to sit on
    assert "<note>glossary:status=retired</note>" in text
    assert "<note>Second note &amp; &lt;markup&gt;</note>" in text
    assert "asean-guide-2024 §C.3, p. 27 — table 2" in text
    path = project / "out.tbx"
    path.write_bytes(data)
    result = tbx.read(path)
    assert result.own
    edge = next(c for c in result.concepts if c.id == "3d-model")
    assert edge.status.value == "retired"
    assert edge.km.definition.text == "គំរូនៃវត្ថុបីវិមាត្រ។"
    assert edge.en.definition.review.approved_by == "Sok Dara"
    assert edge.en.terms[1].dnt is True and edge.en.terms[1].note == "Avoid."
    assert edge.see_also == ("ai-model",)


def test_the_shipped_glossary_exports_valid_tbx_basic() -> None:
    settings = load_settings(cwd=ROOT)
    schema = _relaxng()
    assert schema.validate(etree.fromstring(_export(settings))), schema.error_log


def test_export_is_deterministic(settings) -> None:
    assert _export(settings) == _export(settings)


@pytest.mark.parametrize("name", ["billion_laughs.tbx", "external_entity.tbx",
                                  "parameter_entity.tbx"])
def test_entity_declarations_are_refused(name: str) -> None:
    with pytest.raises(FormatError) as info:
        tbx.read(TBX_DATA / name)
    assert "declares entities" in info.value.message
    assert info.value.line == 3
    assert info.value.path == TBX_DATA / name


def test_entity_declarations_in_utf16_are_refused(tmp_path: Path) -> None:
    # UTF-16 with its byte order mark: the declarations are found all the same, before
    # the parser reaches them (lxml 6.2 would stop on its own amplification limit)
    text = (TBX_DATA / "billion_laughs.tbx").read_text(encoding="utf-8")
    path = tmp_path / "laughs16.tbx"
    path.write_bytes(text.encode("utf-16"))
    with pytest.raises(FormatError) as info:
        tbx.read(path)
    assert "declares entities (lol, lol1, lol2, lol3, lol4)" in info.value.message
    assert info.value.line == 3


def test_entity_text_after_the_root_is_not_a_declaration(tmp_path: Path) -> None:
    # the body cannot declare entities: a note quoting a DOCTYPE in a CDATA section, and
    # a DOCTYPE that names only an external DTD, are read as usual
    text = (TBX_DATA / "v3_dct.tbx").read_text(encoding="utf-8")
    quoted = text.replace(
        "<term>hallucination</term>",
        '<term>hallucination</term><note><![CDATA[<!DOCTYPE x [<!ENTITY y "z">]>]]></note>')
    quoted = quoted.replace('<?xml version="1.0" encoding="utf-8"?>',
                            '<?xml version="1.0" encoding="utf-8"?>\n'
                            '<!DOCTYPE tbx SYSTEM "tbx.dtd">')
    path = tmp_path / "quoted.tbx"
    path.write_text(quoted, encoding="utf-8")
    concepts = list(tbx.read(path).concepts)
    assert [c.id for c in concepts] == ["hallucination"]
    assert concepts[0].km.terms[0].text == "ការប្រឌិតចម្លើយ"


def test_external_entity_is_refused_by_the_cli_without_reading_the_file(cli) -> None:
    result = cli("import", "tbx", str(TBX_DATA / "external_entity.tbx"))
    assert result.exit_code == 2
    assert "external_entity.tbx:3: refused" in result.stderr
    assert "root:" not in result.output  # /etc/passwd was never read
    assert "Traceback" not in result.output


def test_billion_laughs_is_refused_by_the_cli(cli) -> None:
    result = cli("import", "tbx", str(TBX_DATA / "billion_laughs.tbx"))
    assert result.exit_code == 2
    assert "billion_laughs.tbx:3: refused: the document type declaration declares entities" \
        in result.stderr


def test_a_system_doctype_without_entities_is_allowed() -> None:
    result = tbx.read(TBX_DATA / "v2_tig_bom_km-KH.tbx")  # <!DOCTYPE martif SYSTEM "...dtd">
    assert len(result.concepts) == 1


@pytest.mark.parametrize("name,message", [
    ("not_tbx.tbx", "root element is <html>"),
    ("empty.tbx", "not well-formed XML"),
])
def test_files_that_are_not_tbx(name: str, message: str) -> None:
    with pytest.raises(FormatError) as info:
        tbx.read(TBX_DATA / name)
    assert message in info.value.message


def test_v2_tig_with_bom_and_regional_language_tags() -> None:
    result = tbx.read(TBX_DATA / "v2_tig_bom_km-KH.tbx")
    concept = result.concepts[0]
    assert not result.own and concept.id == "c1"
    assert concept.en.definition.text == "Data used to train a model."  # whitespace folded
    assert concept.en.terms[0].text == "training data"
    assert concept.en.terms[0].review.proposed_by == "Sokha"
    assert concept.km.terms[0].text.replace("\u200b", "") == "ទិន្នន័យបណ្តុះបណ្តាល"
    assert result.skipped["terms in language fr"] == 1


def test_v2_ntig_term_groups() -> None:
    result = tbx.read(TBX_DATA / "v2_ntig.tbx")
    concept = result.concepts[0]
    en = concept.en.terms[0]
    assert (en.text, en.pos, en.type.value) == ("AI model", "noun", "fullForm")
    assert en.context == "The AI model was retrained."
    assert str(en.review.proposed_on) == "2001-05-07"
    km = concept.km.terms[0]
    assert (km.text, km.type.value, km.admin_status.value) == ("គំរូ AI", "variant", "admitted")
    assert result.skipped["terms in language de"] == 1


def test_v3_dct_style() -> None:
    result = tbx.read(TBX_DATA / "v3_dct.tbx")
    concept = result.concepts[0]
    assert concept.domains == ("Generative AI",)
    assert concept.en.definition.text == "Output that is fluent but false."
    assert concept.en.terms[0].context == "The model produced a hallucination."
    assert concept.km.terms[0].text == "ការប្រឌិតចម្លើយ"
    assert result.skipped["definition source not in 'doc §section' form"] == 1


def test_poorly_formed_sample_has_line_and_column() -> None:
    with pytest.raises(FormatError) as info:
        tbx.read(SAMPLES / "tbx" / "v3_ltac-testfiles_poorly_formed_xml.tbx")
    assert (info.value.line, info.value.column) == (42, 16)
    assert "tag mismatch" in info.value.message


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=[p.name for p in SAMPLE_FILES])
def test_every_sample_imports_with_a_report_or_a_located_error(cli, path: Path) -> None:
    result = cli("import", "tbx", str(path), "--format", "json")
    assert "Traceback" not in result.output
    if result.exit_code == 2:
        error = result.stderr.strip()
        assert error.startswith(f"Error: {path}:"), error
        assert path.name == "v3_ltac-testfiles_poorly_formed_xml.tbx"
        assert f"{path}:42:16: not well-formed XML" in error
        return
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["format"] == "tbx" and report["written_by_glossary"] is False
    assert report["conflicts"] == 0
    assert report["skipped"]  # every sample has languages or categories we do not keep


def test_dnb_termbase_without_english_or_khmer_is_all_skipped(cli) -> None:
    path = SAMPLES / "tbx" / "v3_dnb-termate_solvency2_termbase_TBX-Core.tbx"
    report = json.loads(cli("import", "tbx", str(path), "--format", "json").stdout)
    assert report["added"] == 0
    assert report["skipped"]["entries with no English or Khmer term"] == 4289


def test_import_matches_by_english_term_and_adds_khmer(cli, project: Path) -> None:
    result = cli("import", "tbx", str(TBX_DATA / "v2_ntig.tbx"))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "0 added" not in out.splitlines()[0]
    assert "added    ai-model  km term 'គំរូ AI'" in out
    assert "changed  ai-model  en term 'AI model': context: (none) → The AI model was retrained." \
        in out
    assert "nothing written" in out
    before = (project / "terms" / "ai-model.toml").read_text("utf-8")
    assert "គំរូ AI" not in before


def test_import_apply_creates_a_concept_with_a_fresh_id(cli, project: Path) -> None:
    result = cli("import", "tbx", str(TBX_DATA / "v2_tig_bom_km-KH.tbx"), "--apply",
                 "--by", "Sok Dara")
    assert result.exit_code == 0, result.output
    assert "added    training-data" in result.stdout
    assert "applied by Sok Dara: wrote 1 file(s)" in result.stdout
    text = (project / "terms" / "training-data.toml").read_text("utf-8")
    assert 'origin = "imported:v2_tig_bom_km-KH.tbx"' in text
    assert 'proposed_by = "Sokha"' in text  # the file names the person
    assert "ទិន្នន័យបណ្តុះបណ្តាល" in text and "\u200b" not in text
    assert 'domains = ["machine-learning"]' in text  # mapped from the label
    assert cli("check").exit_code == 0
    again = cli("import", "tbx", str(TBX_DATA / "v2_tig_bom_km-KH.tbx"))
    assert "0 added, 0 changed" in again.stdout


def test_apply_needs_a_name(cli) -> None:
    result = cli("import", "tbx", str(TBX_DATA / "v2_ntig.tbx"), "--apply")
    assert result.exit_code == 2
    assert "--apply needs --by NAME" in result.stderr


def test_an_approved_term_is_never_overwritten(cli, project: Path, settings) -> None:
    path = project / "terms" / "hallucination.toml"
    text = path.read_text("utf-8").replace(
        'text = "hallucination"\nadmin_status = "preferred"\ntype = "fullForm"\n'
        'review = "proposed"',
        'text = "hallucination"\nadmin_status = "preferred"\ntype = "fullForm"\n'
        'review = "approved"\napproved_by = "Sok Dara"\napproved_on = 2026-02-01', 1)
    path.write_text(text, encoding="utf-8")
    assert 'review = "approved"' in path.read_text("utf-8")
    export = project / "out.tbx"
    export.write_bytes(_export(settings))
    edited = re.sub(r'(<term>hallucination</term>\s*<termNote type="administrativeStatus">)'
                    r"preferredTerm", r"\1deprecatedTerm", export.read_text("utf-8"), count=1)
    assert edited != export.read_text("utf-8")
    export.write_text(edited, encoding="utf-8")
    result = cli("import", "tbx", str(export), "--apply", "--by", "Tester")
    assert result.exit_code == 0  # like the PO import: conflicts are reported, not errors
    assert "conflict hallucination" in result.stdout
    assert "approved by Sok Dara; the file has admin_status: preferred → deprecated" \
        in result.stdout
    assert path.read_text("utf-8") == text


def test_build_writes_tbx_and_csv(cli, project: Path) -> None:
    result = cli("build", "--only", "tbx", "--only", "csv")
    assert result.exit_code == 0, result.output
    assert (project / "build" / "glossary.tbx").read_bytes().startswith(b"<?xml")
    assert (project / "build" / "glossary.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_streaming_read_clears_finished_entries(tmp_path: Path, settings) -> None:
    """A 2,000-concept file is read one entry at a time (the tree never holds them all)."""
    glossary = loader.load_valid(settings).glossary
    base = glossary.concepts[0]
    from dataclasses import replace

    from glossary.model import Glossary
    many = Glossary(concepts=tuple(replace(base, id=f"c-{i:05d}", see_also=())
                                   for i in range(2000)),
                    documents=glossary.documents, domains=glossary.domains)
    path = tmp_path / "many.tbx"
    with path.open("wb") as handle:
        tbx.write(many, handle)
    seen: list[int] = []
    original = tbx_reader._EntryReader.entry

    def spy(self, el):
        seen.append(len(el.getparent()))
        return original(self, el)

    tbx_reader._EntryReader.entry = spy
    try:
        result = tbx.read(path)
    finally:
        tbx_reader._EntryReader.entry = original
    assert len(result.concepts) == 2000
    assert max(seen) < 100  # earlier entries are removed from <body>: it never holds 2,000



def test_text_that_xml_escapes_or_cannot_hold(settings, tmp_path: Path) -> None:
    from dataclasses import replace

    from glossary.model import Glossary

    glossary = loader.load_valid(settings).glossary
    concept = glossary.concept("ai-model")
    term = replace(concept.en.terms[0], note='line one\r\nline "two" & <three>\x07',
                   context="]]> --> <!-- 'quoted'")
    changed = replace(concept, en=replace(concept.en, terms=(term, *concept.en.terms[1:])))
    path = tmp_path / "odd.tbx"
    with path.open("wb") as handle:
        tbx.write(Glossary(concepts=(changed,), documents=glossary.documents,
                           domains=glossary.domains), handle)
    schema = _relaxng()
    assert schema.validate(etree.parse(str(path))), schema.error_log
    back = tbx.read(path).concepts[0].en.terms[0]
    assert back.note == 'line one\r\nline "two" & <three>'  # the bell cannot be XML
    assert back.context == "]]> --> <!-- 'quoted'"


def test_foreign_duplicates_and_latin_khmer_terms(cli, project: Path) -> None:
    path = TBX_DATA / "v2_duplicates_acronym.tbx"
    result = cli("import", "tbx", str(path), "--apply", "--by", "Sok Dara")
    assert result.exit_code == 0, result.output
    assert "1 added" in result.stdout
    assert "entries repeating the English term of an earlier new entry" in result.stdout
    text = (project / "terms" / "red-teaming.toml").read_text("utf-8")
    assert 'text = "RT"' in text and "dnt = true" in text  # no Khmer letters: kept in English
    assert cli("check").exit_code == 0


def test_a_new_khmer_text_for_an_approved_term_is_added_as_an_alternative(
        cli, project: Path, settings) -> None:
    path = project / "terms" / "hallucination.toml"
    text = path.read_text("utf-8").replace(
        'text = "ការប្រឌិតចម្លើយ"\nadmin_status = "preferred"\ntype = "fullForm"\n'
        'review = "proposed"',
        'text = "ការប្រឌិតចម្លើយ"\nadmin_status = "preferred"\ntype = "fullForm"\n'
        'review = "approved"\napproved_by = "Sok Dara"\napproved_on = 2026-02-01', 1)
    assert text != path.read_text("utf-8")
    path.write_text(text, encoding="utf-8")
    export = project / "out.tbx"
    export.write_bytes(_export(settings))
    export.write_text(export.read_text("utf-8").replace(
        "<term>ការប្រឌិតចម្លើយ</term>", "<term>ការបំភាន់</term>", 1), encoding="utf-8")
    report = json.loads(cli("import", "tbx", str(export), "--format", "json").stdout)
    [item] = report["review"]
    assert (item["outcome"], item["conflict"]) == ("conflict", "approved")
    applied = cli("import", "tbx", str(export), "--apply", "--by", "Tester")
    assert applied.exit_code == 0, applied.output
    after = path.read_text("utf-8")
    assert 'text = "ការប្រឌិតចម្លើយ"\nadmin_status = "preferred"' in after  # untouched
    assert 'text = "ការបំភាន់"' in after and 'review_note = "conflict:' in after


REJECTED_FIRST = """id = "rejected-first"
domains = ["machine-learning"]

[[en.terms]]
text = "rejected name"
admin_status = "preferred"
review = "rejected"
origin = "human"

[[en.terms]]
text = "kept name"
admin_status = "preferred"
review = "proposed"
origin = "human"
"""


def _tampered_variants(data: bytes) -> dict[str, bytes]:
    """The export, as it is and with what an import must count or demote: approvals
    that lost their reviewer, a rejected preferred term, an unknown domain, a reference
    to an unregistered section; each also as another tool's file."""
    text = data.decode("utf-8")
    tampered = re.sub(r'<transacNote type="responsibility">Sok Dara</transacNote>', "", text)
    tampered = tampered.replace("glossary:review=proposed;", "glossary:review=rejected;", 3)
    tampered = re.sub(r'(<descrip type="subjectField">)[^<]*', r"\1no such domain", tampered,
                      count=2)
    tampered = re.sub(r'(<admin type="source">asean-guide-2024 §)[^<,]*', r"\1Z.99", tampered,
                      count=3)
    tampered = tampered.replace('target="', 'target="no-such-', 2)
    out = {"export": text, "tampered": tampered}
    for name, body in list(out.items()):
        out[f"{name} (foreign)"] = body.replace('<p type="generator">glossary</p>',
                                                '<p type="generator">other</p>')
    return {name: body.encode("utf-8") for name, body in out.items()}


def test_a_report_without_keeping_new_concepts_equals_one_that_keeps_them(
        project: Path, settings, tmp_path: Path) -> None:
    """``plan(keep=False)`` (a report) finds names and skips without building the new
    concepts; it must say exactly what ``plan(keep=True)`` (before --apply) says."""
    from glossary.imports.plan import plan
    from glossary.model import Glossary

    write_concept(project, "3d-model", EDGE_CONCEPT)
    write_concept(project, "rejected-first", REJECTED_FIRST)
    full = loader.load_valid(settings).glossary
    empty = Glossary(documents=full.documents, domains=full.domains)
    for name, data in _tampered_variants(_export(settings)).items():
        path = tmp_path / "in.tbx"
        path.write_bytes(data)
        reports = [plan(empty, tbx.read(path), by="T", keep=keep).as_dict()
                   for keep in (False, True)]
        assert reports[0] == reports[1], name
        assert reports[0]["added"] == len(full.concepts), name
        if name.startswith("tampered"):
            assert any("unknown domain" in k for k in reports[0]["skipped"]), name
            assert any("unregistered" in k for k in reports[0]["skipped"]), name
            assert reports[0]["skipped"]["see-also links to unknown concepts"] == 2, name
        added = {c["concept"]: c["detail"] for c in reports[0]["changes"]}
        # a file's "rejected" is not a decision here: the term is a proposal like the rest
        assert added["rejected-first" if "foreign" not in name else "rejected-name"] == (
            "rejected name")
        if "foreign" not in name:
            assert reports[0]["skipped"]["approved states in the file read as proposals "
                                         "(only --decisions --by NAME records a decision)"] >= 2


def test_no_approved_term_means_no_approved_tbx_rather_than_an_invalid_one(
        cli, project: Path, tmp_path: Path) -> None:
    """A TBX body holds one conceptEntry at least: with nothing approved, an approved-only
    TBX export is refused and the build leaves the approved TBX files out (and says so on
    the Downloads page); once a term is approved, they are there and valid."""
    out = tmp_path / "approved.tbx"
    result = cli("export", "tbx", "--approved-only", "-o", str(out))
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "Error: nothing written: no concept has a Khmer term that is approved, and a TBX "
        "file needs at least one entry"), result.stderr
    assert not out.exists()
    proposals = cli("export", "tbx", "--min-review", "proposed", "-o", str(out))
    assert proposals.exit_code == 0 and _relaxng().validate(etree.parse(str(out)))

    assert cli("build").exit_code == 0
    approved = project / "build" / "approved"
    assert sorted(p.name for p in approved.iterdir()) == [
        "glossary-compendium.km.po", "glossary.csv", "glossary.json", "glossary.omegat.txt"]
    page = (project / "build" / "site" / "downloads.html").read_text("utf-8")
    assert "No approved-only TBX, TBX v2 file yet" in page
    assert "Not built yet" not in page

    assert cli("review", "approve", "ai-model", "--by", "Sok Dara").exit_code == 0
    assert cli("build").exit_code == 0
    for name in ("glossary.tbx", "glossary-v2.tbx"):
        assert b"<conceptEntry" in (approved / name).read_bytes() or \
            b"<termEntry" in (approved / name).read_bytes()
    assert _relaxng().validate(etree.parse(str(approved / "glossary.tbx")))
    page = (project / "build" / "site" / "downloads.html").read_text("utf-8")
    assert "No approved-only" not in page and "approved-glossary.tbx" in page

    # the approval withdrawn (a reject): the approved TBX files of the last build go
    assert cli("review", "reject", "ai-model", "--by", "Sok Dara", "--note",
               "too long").exit_code == 0
    assert cli("build").exit_code == 0
    assert not (approved / "glossary.tbx").exists()
    assert not (approved / "glossary-v2.tbx").exists()
