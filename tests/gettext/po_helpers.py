"""Helpers shared by the gettext tests (fixtures are in this folder's conftest.py)."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

from glossary import pairs
from glossary.formats import jsonfmt, po
from glossary.formats.gettext_header import make_header, project_header
from glossary.formats.options import WriteOptions
from glossary.model import Glossary

TESTS = Path(__file__).resolve().parent.parent
PO_DATA = TESTS / "data" / "po"
SAMPLES = TESTS.parent.parent / "shared" / "samples"  # as tests/conftest.py's SAMPLES


def msgfmt(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["msgfmt", *map(str, args)], capture_output=True, text=True,
                          check=False)


def po_texts(glossary: Glossary, revision: str) -> tuple[str, str]:
    """The POT and PO texts of a glossary, made whole (not of pieces, as exports are)."""
    entries = pairs.build_entries(glossary)
    header = make_header(glossary, revision)
    return po.write_catalog(entries, header, template=True), po.write_catalog(entries, header)


def json_text(glossary: Glossary, revision: str | None = None) -> str:
    """What ``glossary export json`` writes, as text."""
    buffer = io.BytesIO()
    jsonfmt.write(glossary, buffer, WriteOptions(revision=revision or ""))
    return buffer.getvalue().decode("utf-8")


def project_po_text(glossary: Glossary, revision: str, level: str | None,
                    compendium: bool = False) -> str:
    """A catalog for other projects, made whole (``project_po_file`` makes it of pieces)."""
    entries, _ = pairs.project_entries(glossary, level, compendium)
    return po.write_catalog(entries, project_header(glossary, revision, level, compendium))


def term_texts(terms_dir: Path) -> list[str]:
    """Every term text in terms/ (to check that nothing is lost)."""
    import tomllib

    out: list[str] = []
    for path in sorted(terms_dir.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for lang in ("en", "km"):
            out += [t["text"] for t in data.get(lang, {}).get("terms", [])]
    return out


def snapshot(terms_dir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(terms_dir.glob("*.toml"))}
