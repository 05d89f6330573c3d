"""The Downloads files: put into the site as hard links to the build's outputs (no bytes
read or written), or copied where links are not possible; either way the site holds the
bytes of the output the same build wrote, and a later build's new output replaces them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from glossary import pipeline
from glossary.config import load_settings


def _edit(project: Path, old: str, new: str) -> None:
    path = project / "terms" / "transparency.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("links", [True, False], ids=["hard-link", "copy"])
def test_downloads_hold_the_outputs_of_the_same_build(project: Path, monkeypatch,
                                                      links: bool) -> None:
    if not links:
        def no_link(*args, **kwargs):  # type: ignore[no-untyped-def]
            raise OSError(18, "Invalid cross-device link")
        monkeypatch.setattr(os, "link", no_link)
    settings = load_settings(cwd=project)
    site = settings.build_dir / "site"
    texts = ["people affected by an AI system are told",
             "everyone affected by an AI system is told",
             "each person affected by an AI system is told"]
    for before, text in zip([None, *texts], texts, strict=False):
        if before:
            _edit(project, before, text)
        pipeline.build(settings)
        for name, source in (("glossary.csv", "glossary.csv"),
                             ("glossary.km.po", "km/glossary.po"),
                             ("approved-glossary.csv", "approved/glossary.csv")):
            copy, output = site / "downloads" / name, settings.build_dir / source
            assert copy.read_bytes() == output.read_bytes(), name
            assert copy.stat().st_ino != output.stat().st_ino or links
            assert not copy.is_symlink()
        if before:
            assert text.encode() in (site / "downloads" / "glossary.csv").read_bytes()


def test_a_symlinked_output_is_copied_as_its_bytes(project: Path, tmp_path: Path) -> None:
    settings = load_settings(cwd=project)
    pipeline.build(settings)
    elsewhere = tmp_path / "elsewhere.csv"
    csv = settings.build_dir / "glossary.csv"
    elsewhere.write_bytes(csv.read_bytes() + "ខ្មែរ\n".encode())
    csv.unlink()
    csv.symlink_to(elsewhere)
    pipeline.build(settings, ["site"])
    copy = settings.build_dir / "site" / "downloads" / "glossary.csv"
    assert not copy.is_symlink()
    assert copy.read_bytes() == elsewhere.read_bytes()
