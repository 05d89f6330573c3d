"""The linear MO writer answers every lookup as GNU msgfmt's MO of the same catalog."""

from __future__ import annotations

import gettext
import random
from pathlib import Path

import pytest

from glossary import pairs
from glossary.errors import FormatError
from glossary.formats import mo, po
from tests.gettext.po_helpers import msgfmt


def load(path: Path) -> gettext.GNUTranslations:
    with open(path, "rb") as handle:
        return gettext.GNUTranslations(handle)


def random_catalog(n: int, seed: int = 5) -> list[pairs.CatalogEntry]:
    rng = random.Random(seed)
    khmer = [chr(c) for c in range(0x1780, 0x17A3)] + ["\u17b6", "\u17b7", "\u17c1", "\u17d2"]
    out = []
    seen = set()
    for i in range(n):
        msgid = rng.choice(["data", "model", "risk", "AI", "bias", "é", "ខ្មែរ"]) + f" {i % 97}"
        context = rng.choice([f"c{i}", f"c{i}#1", "shared"])
        if (context, msgid) in seen:
            continue
        seen.add((context, msgid))
        msgstr = "".join(rng.choice(khmer) for _ in range(rng.randint(0, 8)))
        out.append(pairs.CatalogEntry(context, msgid, msgstr, (), False, "0", "", context, 0,
                                        0))
    return out


def test_export_mo_equals_msgfmt(run, po_project, tmp_path):
    assert run("export", "po", "--approved-only").exit_code == 0
    result = run("export", "mo", "-o", "km.mo")
    assert result.exit_code == 0 and "exported 2 approved entries" in result.output
    source_po = po_project / "build/approved/km/LC_MESSAGES/glossary.po"
    assert msgfmt("-o", tmp_path / "gnu.mo", source_po).returncode == 0
    ours, gnu = load(po_project / "km.mo"), load(tmp_path / "gnu.mo")
    assert ours._catalog == gnu._catalog  # type: ignore[attr-defined]
    assert ours.pgettext("bias", "bias") == gnu.pgettext("bias", "bias") == "ភាពលម្អៀង"
    assert ours.info() == gnu.info()
    assert ours.pgettext("nope", "bias") == gnu.pgettext("nope", "bias") == "bias"
    # the same bytes as msgfmt without its (optional) hash table
    assert msgfmt("--no-hash", "-o", tmp_path / "nohash.mo", source_po).returncode == 0
    assert (po_project / "km.mo").read_bytes() == (tmp_path / "nohash.mo").read_bytes()


@pytest.mark.parametrize("n", [1, 50, 3000])
def test_random_catalogs_answer_like_msgfmt(tmp_path, n):
    entries = random_catalog(n)
    header = po.Header(revision="r1", creation_date="2026-01-01 00:00+0000")
    po_path = tmp_path / "c.po"
    po_path.write_text(po.write_catalog(entries, header), encoding="utf-8")
    assert msgfmt("-c", "-o", tmp_path / "gnu.mo", po_path).returncode == 0
    data = mo.write_catalog(((e.context, e.msgid, e.msgstr) for e in entries), header.mo_text())
    (tmp_path / "ours.mo").write_bytes(data)
    ours, gnu = load(tmp_path / "ours.mo"), load(tmp_path / "gnu.mo")
    for e in entries:
        assert ours.pgettext(e.context, e.msgid) == gnu.pgettext(e.context, e.msgid)
    assert ours._catalog == gnu._catalog  # type: ignore[attr-defined]
    assert mo.read(data) == mo.read((tmp_path / "gnu.mo").read_bytes())


def test_messages_without_context_and_empty_translations():
    data = mo.write_catalog([(None, "yes", "បាទ"), ("c", "yes", "ចាស"), (None, "no", "")], "H: 1\n")
    table = mo.read(data)
    assert table == {"": "H: 1\n", "yes": "បាទ", "c\x04yes": "ចាស"}


def test_read_rejects_garbage():
    with pytest.raises(FormatError):
        mo.read(b"\x00" * 40)
    with pytest.raises(FormatError):
        mo.read(b"short")
