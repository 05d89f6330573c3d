"""Issue 18: `glossary qa` reads a PO catalog an entry at a time (its own reader,
glossary/qa/po_entries.py) instead of whole through polib (~100× the file in memory).
The entries must be the ones polib gives — the oracle below is the old whole-file
reader — and so must the findings on the real Khmer catalogs."""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from glossary import limits, source
from glossary.errors import FormatError
from glossary.formats import po
from glossary.qa.checks import check_document
from glossary.qa.readers import Document, PoUnit, read_po
from glossary.qa.reference import Reference
from tests.conftest import ROOT, SAMPLES


def polib_units(path: Path) -> list[PoUnit]:
    """The old reader: the whole file through polib (after the linear pre-join). One
    fix: it took the first line *starting* with msgstr as an entry's line, so an
    indented msgstr was reported at the next entry's."""
    text = po.decode(path, path.read_bytes()).replace("\r\n", "\n").replace("\r", "\n")
    catalog = polib.pofile(po.prejoin(text, path) + "\n", encoding="utf-8")
    msgstr_lines = [i for i, line in enumerate(text.split("\n"), 1)
                    if line.lstrip().startswith("msgstr")]
    units = []
    for entry in catalog:
        if entry.obsolete or not entry.msgid:
            continue
        forms = (tuple(entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural))
                 if entry.msgid_plural else (entry.msgstr,))
        line = next((n for n in msgstr_lines if n >= entry.linenum), entry.linenum)
        units.append(PoUnit(line, entry.msgctxt, entry.msgid, entry.msgid_plural or None, forms,
                            "fuzzy" in entry.flags))
    return units


SAMPLE_CATALOGS = sorted((SAMPLES / "po").glob("*.po"))


@pytest.mark.parametrize("path", SAMPLE_CATALOGS, ids=lambda p: p.name)
def test_the_khmer_catalogs_read_as_polib_reads_them(path: Path) -> None:
    expected = polib_units(path)
    assert len(expected) > 500
    assert list(read_po(path)) == expected


#: Software terms these catalogs use: (concept, English, approved Khmer, deprecated Khmer)
SOFTWARE_TERMS = [
    ("file", "file", "ឯកសារ", "ហ្វាល"),
    ("folder", "folder", "ថត", "ហ្វុលឌ័រ"),
    ("error", "error", "កំហុស", "បញ្ហា"),
    ("password", "password", "ពាក្យសម្ងាត់", "លេខសម្ងាត់"),
    ("disc", "disc", "ថាស", "ឌីស"),
    ("package", "package", "កញ្ចប់", "ប៉ាកេត"),
]


def _concept(cid: str, english: str, good: str, deprecated: str) -> str:
    approved = 'review = "approved"\napproved_by = "T"\napproved_on = 2026-01-15\n'
    return (f'id = "{cid}"\ndomains = []\nsee_also = []\n\n[en.definition]\n'
            f'text = "A {english}."\n{approved}\n'
            f'[[en.terms]]\ntext = "{english}"\nadmin_status = "preferred"\n{approved}\n'
            f'[[km.terms]]\ntext = "{good}"\nadmin_status = "preferred"\n{approved}\n'
            f'[[km.terms]]\ntext = "{deprecated}"\nadmin_status = "deprecated"\n{approved}')


@pytest.fixture(scope="module")
def software_reference(tmp_path_factory: pytest.TempPathFactory) -> Reference:
    terms = tmp_path_factory.mktemp("software") / "terms"
    shutil.copytree(ROOT / "tests" / "data" / "mini" / "terms", terms)
    for cid, english, good, deprecated in SOFTWARE_TERMS:
        (terms / f"{cid}.toml").write_text(_concept(cid, english, good, deprecated),
                                           encoding="utf-8")
    loaded = source.load_glossary(terms)
    assert not [p for p in loaded.problems if p.severity.name == "ERROR"]
    return Reference(loaded.glossary, "approved")


@pytest.mark.parametrize("path", SAMPLE_CATALOGS, ids=lambda p: p.name)
def test_the_khmer_catalogs_give_the_same_findings(software_reference: Reference,
                                                   path: Path) -> None:
    before = check_document(software_reference, Document(path, "po", entries=polib_units(path)),
                            path.name)
    after = check_document(software_reference, Document(path, "po", entries=read_po(path)),
                           path.name)
    assert after == before
    assert before  # the software terms are found (or missed) in each of them


TRICKY = (
    '# header comment\n'
    'msgid ""\n'
    'msgstr ""\n'
    '"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Plural-Forms: nplurals=1; plural=0;\\n"\n'
    '\n'
    '#. fingerprint: abc\n'
    '#: a.c:1 b.c:2\n'
    '#, c-format, fuzzy\n'
    '#| msgid "old personal data"\n'
    '#| "continued"\n'
    'msgctxt "menu"\n'
    'msgid ""\n'
    '"Delete \\"personal\\" data\\n"\n'
    '"tab\\there \\\\ back\\a \\101 \\v\\b\\f\\r"\n'
    'msgstr ""\n'
    '"លុប​ទិន្នន័យ\\n"\n'
    '"ឯកជន"\n'
    '\r\n'
    '#, fuzzy-not, c-format\n'
    'msgid "%d policy"\n'
    'msgid_plural "%d policies"\n'
    'msgstr[1] "គោលនយោបាយ %d ច្រើន"\n'
    'msgstr[0] "គោលនយោបាយ %d"\n'
    '   \n'
    '#~ msgid "Old"\n'
    '#~ msgstr "ចាស់"\n'
    '#~| msgid "older"\n'
    '\n'
    '  msgid   "indented"  \n'
    '\tmsgstr "ចូលបន្ទាត់"\r'
    'msgid "last" \n'
    'msgstr "ចុងក្រោយ"\n'
)


def test_a_tricky_catalog_reads_as_polib_reads_it(tmp_path: Path) -> None:
    path = tmp_path / "tricky.po"
    path.write_bytes(TRICKY.encode("utf-8"))
    units = list(read_po(path))
    assert units == polib_units(path)
    assert [u.msgid for u in units] == ['Delete "personal" data\ntab\there \\ back\\a \\101 '
                                        '\v\b\f\r', "%d policy", "indented", "last"]
    assert units[0].msgctxt == "menu" and units[0].fuzzy and units[0].line == 16
    assert units[0].msgstrs == ("លុប\u200bទិន្នន័យ\nឯកជន",)
    assert units[1].msgstrs == ("គោលនយោបាយ %d", "គោលនយោបាយ %d ច្រើន") and not units[1].fuzzy


def test_a_line_separator_in_a_msgstr_stays_in_it(tmp_path: Path) -> None:
    """polib cut its input at U+2028 (a "malformed PO file" at a line that does not
    exist); read a line at a time, the character stays in the Khmer string."""
    path = tmp_path / "u2028.po"
    path.write_text('msgid "Personal data"\nmsgstr "ទិន្នន័យ\u2028ផ្ទាល់ខ្លួន"\n', encoding="utf-8")
    assert [u.msgstrs for u in read_po(path)] == [("ទិន្នន័យ\u2028ផ្ទាល់ខ្លួន",)]


@pytest.mark.parametrize(("text", "line", "words"), [
    ('msgid "a"\nmsgstr "b"\nmsgid "c"\nmsgid "d"\n', 4, "malformed PO file"),
    ('msgid "a"\nmsgstr "b"x\n', 2, "in double quotes"),
    ('msgid "a"\nmsgstr "say "hi""\n', 2, "unescaped double quote"),
    ('msgid "a"\n"b"\nnonsense\n', 3, "malformed PO file"),
    ('# c\n"orphan"\n', 2, "malformed PO file"),
])
def test_malformed_entries_are_refused_at_their_line(tmp_path: Path, text: str, line: int,
                                                     words: str) -> None:
    path = tmp_path / "bad.po"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FormatError) as caught:
        list(read_po(path))
    assert caught.value.line == line and words in str(caught.value)


def test_the_string_and_line_limits_hold_while_reading(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(limits, "MAX_PO_STRING", 1000)
    path = tmp_path / "long.po"
    path.write_text('msgid "a"\nmsgstr ""\n' + '"ក"\n' * 1001, encoding="utf-8")
    with pytest.raises(FormatError, match="a string is longer than") as caught:
        list(read_po(path))
    assert caught.value.line == 1003
    monkeypatch.setattr(limits, "MAX_PO_LINE", 100)
    path.write_text('msgid "a"\nmsgstr "' + "ក" * 50 + '"\n', encoding="utf-8")
    with pytest.raises(FormatError, match="a line is longer than") as caught:
        list(read_po(path))
    assert caught.value.line == 2


def _write_big_po(path: Path, size: int, every: int) -> int:
    """About ``size`` bytes of entries; every ``every``-th has a deprecated Khmer term
    in its msgstr, over two continuation lines. Returns how many do."""
    good = 'msgid "Protect personal data number {k}"\nmsgstr "ការពារ​ទិន្នន័យ​ផ្ទាល់​ខ្លួន {k}"\n\n'
    bad = 'msgid "Delete personal data number {k}"\nmsgstr ""\n"លុប"\n"ទិន្នន័យឯកជន {k}"\n\n'
    written = count = k = 0
    with path.open("w", encoding="utf-8") as out:
        out.write('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n')
        while written < size:
            text = (bad if k % every == 0 else good).format(k=k)
            count += k % every == 0
            written += len(text.encode("utf-8"))
            out.write(text)
            k += 1
    return count


def test_a_20_mb_catalog_is_checked_under_a_200_mb_cap(qa_project: Path) -> None:
    """Measured on this file: the polib reader peaked at 260 MB resident and ran out
    of memory under a 200 MB address-space cap; this one runs under 100 MB."""
    big = qa_project / "docs" / "big.po"
    expected = _write_big_po(big, 20 * 1024 * 1024, 500)
    assert big.stat().st_size > 19 * 1024 * 1024

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (200 << 20, 200 << 20))

    result = subprocess.run(
        [sys.executable, "-c", "from glossary.cli import main; main()", "qa", "docs/big.po"],
        cwd=qa_project, capture_output=True, text=True, timeout=600, preexec_fn=cap)
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    # each bad entry: its deprecated Khmer term, and personal data's approved one missing
    deprecated = [line for line in lines if ": deprecated-term: ទិន្នន័យឯកជន → " in line]
    missing = [line for line in lines if ": missing-term: personal data → " in line]
    assert len(deprecated) == len(missing) == expected > 100
    assert len(lines) == 2 * expected
    assert lines[0].startswith("docs/big.po:5: ")  # the line of the entry's msgstr
