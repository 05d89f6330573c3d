"""Helpers shared by the gettext tests (fixtures are in this folder's conftest.py)."""

from __future__ import annotations

import subprocess
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
PO_DATA = TESTS / "data" / "po"
SAMPLES = TESTS.parent.parent / "shared" / "samples"  # as tests/conftest.py's SAMPLES


def msgfmt(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["msgfmt", *map(str, args)], capture_output=True, text=True,
                          check=False)


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
