"""Khmer sort keys kept between builds (``glossary/site/sort_keys.py``): the byte keys
order texts exactly as :func:`khmer_collation.sort_key` does, a build after an edit computes only
the keys of texts it has not seen, and a damaged or foreign key file is not trusted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from glossary import khmer_collation, pipeline
from glossary.config import load_settings
from glossary.site import sort_keys
from tests.site_support import clean_site, tree

KHMER = ["ក", "កក", "ក ក", "ក្ក", "ក៏", "កា", "ខ", "អា", "អ", "ឥឡូវ", "ឧបករណ៍", "ឲ្យ",
         "ទិន្នន័យ", "បញ្ញាសិប្បនិម្មិត", "តម្លាភាព", "គណនេយ្យភាព", "ក១", "១", "1", "abc",
         "ABC", "ក-ខ", "ក\u200bខ", "ស្ត្រី", "ស្រី", "ពាក្យ", ""]


def test_byte_keys_order_like_the_tuples() -> None:
    by_tuple = sorted(KHMER, key=khmer_collation.sort_key)
    by_bytes = sorted(KHMER, key=lambda t: sort_keys.encode(khmer_collation.sort_key(t)))
    assert by_bytes == by_tuple
    for a in KHMER:  # pairwise: equal, less and greater agree too
        for b in KHMER:
            ka, kb = khmer_collation.sort_key(a), khmer_collation.sort_key(b)
            ea, eb = sort_keys.encode(ka), sort_keys.encode(kb)
            assert (ka < kb, ka == kb) == (ea < eb, ea == eb), (a, b)


@pytest.fixture
def computed(monkeypatch) -> list[str]:
    """The keys the site computes (the others come from the key file), as texts. The
    file is read at the first key, as in a build that needs many (the mini glossary
    has fewer than :attr:`KmSortKeys.DIRECT`)."""
    monkeypatch.setattr(sort_keys.KmSortKeys, "DIRECT", 0)
    monkeypatch.setattr(sort_keys.KmSortKeys, "BYTES_PER_KEY", 1 << 62)  # whatever its size
    calls: list[str] = []
    real = sort_keys.encode

    def spy(key: tuple[int, ...]) -> bytes:
        calls.append("".join(chr(c - 1) for c in key[len(key) - key[::-1].index(0):]))
        return real(key)

    monkeypatch.setattr(sort_keys, "encode", spy)
    return calls


def _edit_definition(project: Path) -> None:
    path = project / "terms" / "transparency.toml"
    text = path.read_text(encoding="utf-8")
    assert 'text = "transparency"' in text
    path.write_text(text.replace('text = "transparency"', 'text = "openness of AI"', 1),
                    encoding="utf-8")


def test_an_edit_computes_no_key_it_had(project: Path, tmp_path: Path, computed) -> None:
    settings = load_settings(cwd=project)
    pipeline.build(settings, ["site"])
    assert computed, "the first build computes the keys of the Khmer pages"
    state = json.loads((settings.cache_dir / sort_keys.STATE_NAME).read_text("utf-8"))
    assert set(state["keys"]) == set(computed)
    assert all(bytes.fromhex(k) == sort_keys.encode(khmer_collation.sort_key(t))
               for t, k in state["keys"].items())
    assert any("\u1780" <= ch <= "\u17ff" for t in state["keys"] for ch in t)
    computed.clear()
    _edit_definition(project)
    pipeline.build(settings, ["site"])
    assert computed == []
    assert b"openness of AI" in (settings.build_dir / "site" / "print.html").read_bytes()
    assert tree(settings.build_dir / "site") == clean_site(project, tmp_path / "clean")


@pytest.mark.parametrize("damage", ["json", "rules", "hex"])
def test_a_damaged_key_file_is_not_trusted(project: Path, tmp_path: Path, computed,
                                           damage: str) -> None:
    settings = load_settings(cwd=project)
    pipeline.build(settings, ["site"])
    state_path = settings.cache_dir / sort_keys.STATE_NAME
    data = json.loads(state_path.read_text(encoding="utf-8"))
    texts = sorted(data["keys"])
    if damage == "json":
        state_path.write_text("{not json", encoding="utf-8")
    elif damage == "rules":  # keys made by other Khmer rules
        data["rules"] = "0" * 32
        state_path.write_text(json.dumps(data), encoding="utf-8")
    elif damage == "hex":
        data["keys"] = {t: "zz" * 8 for t in texts}
        state_path.write_text(json.dumps(data), encoding="utf-8")
    computed.clear()
    _edit_definition(project)
    pipeline.build(settings, ["site"])
    assert computed and set(computed) <= set(texts)  # computed again, not taken
    assert tree(settings.build_dir / "site") == clean_site(project, tmp_path / "clean")


def test_a_few_keys_are_computed_without_reading_the_file(project: Path, tmp_path: Path,
                                                          monkeypatch) -> None:
    """After a definition edit the print pages reorder only the edited rows: the few keys
    that takes are computed directly, the key file is neither read nor rewritten."""
    settings = load_settings(cwd=project)
    monkeypatch.setattr(sort_keys.KmSortKeys, "DIRECT", 0)
    pipeline.build(settings, ["site"])
    state_path = settings.cache_dir / sort_keys.STATE_NAME
    before = state_path.read_bytes()
    monkeypatch.setattr(sort_keys.KmSortKeys, "DIRECT", 256)
    read: list[str] = []
    real = sort_keys.KmSortKeys._load
    monkeypatch.setattr(sort_keys.KmSortKeys, "_load",
                        lambda self: read.append("read") or real(self))
    path = project / "terms" / "transparency.toml"
    text = path.read_text(encoding="utf-8")
    old = "text = \"The principle that people affected by an AI system are told"
    assert old in text
    path.write_text(text.replace(old, "text = \"The principle that everyone affected by "
                                 "an AI system is told"), encoding="utf-8")
    pipeline.build(settings, ["site"])
    assert read == []
    assert state_path.read_bytes() == before
    assert tree(settings.build_dir / "site") == clean_site(project, tmp_path / "clean")


def test_a_khmer_term_edit_leaves_the_file_until_many_keys_are_new(
        project: Path, tmp_path: Path, computed, monkeypatch) -> None:
    """A term edit computes the key of the new term; rewriting the whole file for it
    costs more than computing it again next time, so the file is left as it was until a
    build computes more than ``REWRITE`` keys."""
    settings = load_settings(cwd=project)
    monkeypatch.setattr(sort_keys.KmSortKeys, "DIRECT", 0)  # the mini glossary: few keys
    monkeypatch.setattr(sort_keys.KmSortKeys, "BYTES_PER_KEY", 1 << 62)
    pipeline.build(settings, ["site"])
    state_path = settings.cache_dir / sort_keys.STATE_NAME
    before = state_path.read_bytes()
    path = project / "terms" / "transparency.toml"
    path.write_text(path.read_text("utf-8").replace('text = "តម្លាភាព"',
                                                    'text = "ភាពថ្លាថ្លៃ"', 1), "utf-8")
    computed.clear()
    pipeline.build(settings, ["site"])
    assert computed == ["ភាពថ្លាថ្លៃ"]
    assert state_path.read_bytes() == before
    assert tree(settings.build_dir / "site") == clean_site(project, tmp_path / "clean")
    computed.clear()  # the next build computes it again, and with REWRITE 0 keeps it
    monkeypatch.setattr(sort_keys.KmSortKeys, "REWRITE", 0)
    path.write_text(path.read_text("utf-8") + "\n", "utf-8")
    pipeline.build(settings, ["site"])
    assert computed == ["ភាពថ្លាថ្លៃ"]
    keys = json.loads(state_path.read_text("utf-8"))["keys"]
    assert "ភាពថ្លាថ្លៃ" in keys and "តម្លាភាព" not in keys


def _edit_khmer_term(project: Path) -> None:
    path = project / "terms" / "transparency.toml"
    path.write_text(path.read_text("utf-8").replace('text = "តម្លាភាព"',
                                                    'text = "ភាពថ្លាថ្លៃ"', 1), "utf-8")


def test_the_file_is_read_only_once_computing_would_cost_more(
        project: Path, tmp_path: Path, computed, monkeypatch) -> None:
    """How many keys are computed before the file is read grows with the file: one per
    ``BYTES_PER_KEY`` bytes (here one per byte: more than the edit needs)."""
    settings = load_settings(cwd=project)
    pipeline.build(settings, ["site"])
    monkeypatch.setattr(sort_keys.KmSortKeys, "BYTES_PER_KEY", 1)
    read: list[int] = []
    real = sort_keys.KmSortKeys._load
    monkeypatch.setattr(sort_keys.KmSortKeys, "_load",
                        lambda self: read.append(1) or real(self))
    computed.clear()
    _edit_khmer_term(project)
    pipeline.build(settings, ["site"])
    assert len(computed) > 1 and read == []  # the letter page's keys, computed directly
    assert tree(settings.build_dir / "site") == clean_site(project, tmp_path / "clean")


def test_keys_computed_before_the_file_was_read_are_new_only_if_it_lacks_them(
        project: Path, tmp_path: Path, computed, monkeypatch) -> None:
    """A build that computed keys directly and then read the file counts as new only
    the keys the file did not have: after a Khmer term edit, the new term's. The file
    is left as it was (``REWRITE`` 1), not rewritten for keys it holds."""
    settings = load_settings(cwd=project)
    pipeline.build(settings, ["site"])
    state_path = settings.cache_dir / sort_keys.STATE_NAME
    before = state_path.read_bytes()
    monkeypatch.setattr(sort_keys.KmSortKeys, "DIRECT", 2)
    monkeypatch.setattr(sort_keys.KmSortKeys, "REWRITE", 1)
    direct: list[int] = []  # keys computed when the file was read
    real = sort_keys.KmSortKeys._load
    monkeypatch.setattr(sort_keys.KmSortKeys, "_load",
                        lambda self: direct.append(len(computed)) or real(self))
    computed.clear()
    _edit_khmer_term(project)
    pipeline.build(settings, ["site"])
    assert direct and direct[0] >= 2  # the file was read after two keys computed
    assert "ភាពថ្លាថ្លៃ" in computed
    assert state_path.read_bytes() == before
    assert tree(settings.build_dir / "site") == clean_site(project, tmp_path / "clean")

