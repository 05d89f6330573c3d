"""The domain, document and letter pages keep the rows of the concepts whose index data
did not change from the pages the last build wrote (:mod:`glossary.site.listing_rows`):
after a Khmer term edit only the edited concept's rows are rendered, the pages are the
bytes a clean build writes, and a page or a kept file that changed since is not used."""

from __future__ import annotations

from pathlib import Path

import pytest

from glossary import pipeline
from glossary.config import load_settings
from glossary.site import listing_rows
from glossary.site.manifest import read_digested, write_digested
from tests.site_support import clean_site, edit_terms, tree

#: the pages that list the concept ``transparency`` (its domains, the document it cites)
LISTINGS = ("domains/transparency.html", "km/domains/transparency.html",
            "domains/ethics.html", "km/domains/ethics.html",
            "documents/asean-guide-2024.html", "km/documents/asean-guide-2024.html")


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """The rows each listing page renders (page → concept ids), the others being kept."""
    calls: dict[str, list[str]] = {}
    real = listing_rows.ListingRows._render

    def spy(self, page, view, rows, renderer):
        # a domain's or document's row is a concept's link, a letter page's a term entry
        calls.setdefault(page.out_path, []).extend(
            row.concept.id if hasattr(row, "concept") else row.id for row in rows)
        return real(self, page, view, rows, renderer)

    monkeypatch.setattr(listing_rows.ListingRows, "_render", spy)
    return calls


def _edit_khmer_term(project: Path, new: str = "ភាពថ្លាថ្លៃ") -> None:
    path = project / "terms" / "transparency.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('text = "តម្លាភាព"', f'text = "{new}"', 1),
                    encoding="utf-8")


def test_a_khmer_term_edit_renders_that_concepts_rows_only(
        project: Path, tmp_path: Path, rendered: dict[str, list[str]]) -> None:
    settings = load_settings(cwd=project)
    pipeline.build(settings, ["site"])
    for rel in LISTINGS:  # the first build renders every row
        assert "transparency" in rendered[rel]
    assert len(rendered["documents/asean-guide-2024.html"]) > 1
    rendered.clear()
    _edit_khmer_term(project)
    pipeline.build(settings, ["site"])
    # the pages listing the concept render its row alone; the others are left as they were
    assert {rel: ids for rel, ids in rendered.items() if rel in LISTINGS} \
        == {rel: ["transparency"] for rel in LISTINGS}
    # and so do the letter pages of its English term ("t") and of its new Khmer term
    # ("ភ", U+1797)
    letters = {rel: ids for rel, ids in rendered.items() if rel not in LISTINGS}
    assert {"letters/en-t.html", "km/letters/en-t.html", "letters/km-1797.html",
            "km/letters/km-1797.html"} <= letters.keys()
    # (the other Khmer letter pages are made again, for their letter bar's counts, with
    # every row kept)
    assert all(ids in ([], ["transparency"]) for ids in letters.values())
    assert letters["letters/km-1780.html"] == []
    site = tree(settings.build_dir / "site")
    assert "ភាពថ្លាថ្លៃ".encode() in site["documents/asean-guide-2024.html"]
    assert site == clean_site(project, tmp_path / "clean")


@pytest.mark.parametrize("change", ["page-by-hand", "page-touched", "state-damaged",
                                    "state-other-page", "state-truncated", "state-removed",
                                    "state-places-cut", "state-row-past-the-end"])
def test_a_page_or_state_changed_since_renders_every_row(
        project: Path, tmp_path: Path, rendered: dict[str, list[str]], change: str) -> None:
    settings = load_settings(cwd=project)
    pipeline.build(settings, ["site"])
    site_dir = settings.build_dir / "site"
    page = site_dir / "documents" / "asean-guide-2024.html"
    state = listing_rows.state_file(settings.cache_dir / listing_rows.STATE_DIR,
                                    "documents/asean-guide-2024.html")
    assert state.is_file()
    every = len(rendered[page.relative_to(site_dir).as_posix()])
    if change == "page-by-hand":  # same size, other bytes: the old rows are not copied
        raw = page.read_bytes()
        page.write_bytes(raw.replace(b"<li>", b"<LI>", 1))
    elif change == "page-touched":
        page.touch()
    elif change == "state-damaged":  # one byte of the places changed
        raw = bytearray(state.read_bytes())
        raw[-5] ^= 0x40
        state.write_bytes(bytes(raw))
    elif change == "state-places-cut":  # a whole file (its checksum right), places short
        body = read_digested(state)
        assert body is not None
        write_digested(state, body[:-8])
    elif change == "state-row-past-the-end":  # whole and sound, but the last row's
        rel = "documents/asean-guide-2024.html"  # length reaches past the page's end
        body = read_digested(state)
        entry = listing_rows.state_entry(body, rel) if body is not None else None
        assert entry is not None
        entry["lengths"][-1] += entry["stat"][0]
        write_digested(state, listing_rows.state_bytes(rel, entry))
    elif change == "state-other-page":  # another page's file in its place, digest right
        other = listing_rows.state_file(state.parent, "domains/transparency.html")
        state.write_bytes(other.read_bytes())
    elif change == "state-truncated":
        state.write_bytes(state.read_bytes()[:100])
    else:
        state.unlink()
    rendered.clear()
    _edit_khmer_term(project)
    pipeline.build(settings, ["site"])
    assert len(rendered["documents/asean-guide-2024.html"]) == every
    assert tree(site_dir) == clean_site(project, tmp_path / "clean")


def test_edits_in_a_row_keep_the_pages_a_clean_build_writes(project: Path,
                                                            tmp_path: Path) -> None:
    settings = load_settings(cwd=project)
    pipeline.build(settings, ["site"])
    path = project / "terms" / "transparency.toml"
    current = "តម្លាភាព"
    for new in ("ភាពថ្លាថ្លៃ", "ភាពច្បាស់លាស់", "តម្លាភាព"):
        text = path.read_text("utf-8")
        path.write_text(text.replace(f'text = "{current}"', f'text = "{new}"', 1), "utf-8")
        current = new
        pipeline.build(settings, ["site"])
        assert tree(settings.build_dir / "site") == clean_site(project, tmp_path / new)


def test_each_page_keeps_a_file_and_a_removed_page_loses_it(project: Path) -> None:
    settings = load_settings(cwd=project)
    pipeline.build(settings, ["site"])
    folder = settings.cache_dir / listing_rows.STATE_DIR
    site = settings.build_dir / "site"
    kept = {p.name for p in folder.iterdir()}
    listed = [rel for rel in tree(site) if rel.split("/")[-2:-1] in (["letters"], ["domains"],
                                                                     ["documents"])
              and not rel.endswith("/index.html")]
    assert kept == {listing_rows.state_file(folder, rel).name for rel in listed}
    # the only concept with English terms under "h" and "c" removed: those letters'
    # pages and their files go, the others stay
    (project / "terms" / "hallucination.toml").unlink()
    pipeline.build(settings, ["site"])
    gone = {listing_rows.state_file(folder, f"{lang}letters/en-{letter}.html").name
            for lang in ("", "km/") for letter in "hc"}
    assert gone <= kept
    assert not (site / "letters" / "en-h.html").exists()
    assert {p.name for p in folder.iterdir()} == kept - gone


def test_rows_edited_together_keep_the_pages_a_clean_build_writes(
        project: Path, tmp_path: Path, rendered: dict[str, list[str]]) -> None:
    """Several rows of one page edited for one build: the rows after one that grew or
    shrank move in the file, and the places kept for the next build follow them."""
    settings = load_settings(cwd=project)
    pipeline.build(settings, ["site"])
    edits = [{"ai-model": ("គំរូបញ្ញាសិប្បនិម្មិត", "គំរូបញ្ញាសិប្បនិម្មិតធំ"),
              "machine-learning": ("ការរៀនរបស់ម៉ាស៊ីន", "ការរៀនម៉ាស៊ីន")},
             {"ai-model": ("គំរូបញ្ញាសិប្បនិម្មិតធំ", "គំរូបញ្ញាសិប្បនិម្មិត"),
              "transparency": ("តម្លាភាព", "ភាពថ្លាថ្លៃ")}]
    for n, edit in enumerate(edits):
        edit_terms(project, edit)
        rendered.clear()
        pipeline.build(settings, ["site"])
        # the page of the document they all cite: the edited rows rendered, no other
        assert sorted(rendered["documents/asean-guide-2024.html"]) == sorted(edit)
        assert tree(settings.build_dir / "site") == clean_site(project, tmp_path / f"c{n}")


ENTRY = {"global": "g" * 32, "frame": "f" * 32, "stat": [4096, 1, 2, 3],
         "ids": ["transparency", "ai-model", "transparency"],
         "fingerprints": ["a1" * 16, "b2" * 16, "a1" * 16],
         "starts": [10, 300, 2_000_000_000_000], "lengths": [250, 7, 1]}


def test_a_page_s_rows_are_read_back_as_kept() -> None:
    raw = listing_rows.state_bytes("km/letters/km-1780.html", ENTRY)
    assert listing_rows.state_entry(raw, "km/letters/km-1780.html") == ENTRY
    empty = {**ENTRY, "ids": [], "fingerprints": [], "starts": [], "lengths": []}
    assert listing_rows.state_entry(listing_rows.state_bytes("p.html", empty), "p.html") \
        == empty


@pytest.mark.parametrize("damage", ["other-page", "other-version", "rows-miscounted",
                                    "part-short", "negative-place", "empty-row",
                                    "not-json", "fingerprint-not-ascii"])
def test_kept_rows_that_cannot_be_are_not_used(damage: str) -> None:
    entry = dict(ENTRY)
    rel = "documents/asean-guide-2024.html"
    if damage == "negative-place":
        entry["starts"] = [10, -1, 400]
    elif damage == "empty-row":
        entry["lengths"] = [250, 0, 1]
    elif damage == "fingerprint-not-ascii":
        entry["fingerprints"] = ["a1" * 16, "ក", "a1" * 16]
        with pytest.raises(UnicodeEncodeError):  # never written: fingerprints are hex
            listing_rows.state_bytes(rel, entry)
        return
    raw = listing_rows.state_bytes(rel, entry)
    head, _, rest = raw.partition(b"\n")
    if damage == "other-page":
        rel = "documents/eu-ai-act.html"
    elif damage == "other-version":
        raw = head.replace(b'"version": 3', b'"version": 2') + b"\n" + rest
    elif damage == "rows-miscounted":
        raw = head.replace(b'"rows": 3', b'"rows": 2') + b"\n" + rest
    elif damage == "part-short":
        raw = raw[:-1]
    elif damage == "not-json":
        raw = b"{" + raw
    assert raw != listing_rows.state_bytes(rel, ENTRY) or damage in (
        "other-page", "negative-place", "empty-row")
    assert listing_rows.state_entry(raw, rel) is None
