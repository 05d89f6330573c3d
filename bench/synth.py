"""Synthetic glossaries for benchmarks: realistic English terms, Khmer in real syllable shapes.

``make_terms(dest, n)`` writes ``n`` concept files plus the registry copied from the
shipped terms/, deterministically (seeded), so every run measures the same input.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from glossary import khmer  # noqa: E402  (after the path set-up)

EN_WORDS = (  # noqa: SIM905
    "data model system risk governance learning machine training bias fairness privacy "
    "security safety transparency accountability audit assessment impact human oversight "
    "decision automated generative language neural network deep federated synthetic "
    "content provenance watermark prompt injection attack adversarial robustness "
    "reliability drift lineage quality label annotation evaluation testing benchmark "
    "incident response disclosure consent protection personal sensitive biometric "
    "recognition vision speech translation retrieval augmented agent autonomy alignment "
    "frontier capability policy regulation sandbox standard certification literacy "
    "talent public sector procurement "
).split()

CONSONANTS = [chr(c) for c in range(0x1780, 0x17A3)]
SUBSCRIPTABLE = [chr(c) for c in (0x1780, 0x1781, 0x1782, 0x1784, 0x1785, 0x1789, 0x178A,
                                  0x178F, 0x1791, 0x1793, 0x1794, 0x1796, 0x1798, 0x1799,
                                  0x179A, 0x179B, 0x179C, 0x179F)]
VOWELS = ["\u17b6", "\u17b7", "\u17b8", "\u17b9", "\u17ba", "\u17bb", "\u17bc", "\u17bd",
          "\u17be", "\u17bf", "\u17c0", "\u17c1", "\u17c2", "\u17c3", "\u17c4", "\u17c5", ""]
SIGNS = ["", "", "", "\u17c6", "\u17c7"]
FINALS = ["", "", "\u1780", "\u1784", "\u1793", "\u1798", "\u179a", "\u179b", "\u179f"]


def khmer_syllable(rng: random.Random) -> str:
    base = rng.choice(CONSONANTS)
    coeng = "\u17d2" + rng.choice(SUBSCRIPTABLE) if rng.random() < 0.25 else ""
    return base + coeng + rng.choice(VOWELS) + rng.choice(SIGNS) + rng.choice(FINALS)


def khmer_word(rng: random.Random, syllables: int) -> str:
    """A word of real syllable shapes, stored normalized as a clean glossary would be."""
    return khmer.normalize("".join(khmer_syllable(rng) for _ in range(syllables)))


def english_term(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(EN_WORDS) for _ in range(words))


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def concept_text(i: int, rng: random.Random, ids: list[str]) -> str:
    cid = ids[i]
    en = english_term(rng, rng.randint(1, 4)) + f" {i}"
    lines = [f"# synthetic concept {i}", f"id = {_q(cid)}", 'domains = ["foundations"]',
             "see_also = [" + ", ".join(_q(rng.choice(ids)) for _ in range(2)) + "]", "",
             "[[sources]]", 'doc = "asean-guide-2024"', 'section = "B.1"', "",
             "[en.definition]", f"text = {_q(english_term(rng, 20) + '.')}",
             'review = "proposed"', 'origin = "human"', ""]
    other = english_term(rng, 2) + f" {i}"
    if other == en:  # a concept names an English term once (check: duplicate-term)
        other = "also " + other
    for k, text in enumerate([en, other][: rng.randint(1, 2)]):
        lines += ["[[en.terms]]", f"text = {_q(text)}",
                  f'admin_status = "{"preferred" if k == 0 else "admitted"}"',
                  'review = "proposed"', 'origin = "human"', ""]
    lines += ["[km.definition]", f"text = {_q(' '.join(khmer_word(rng, 3) for _ in range(8)))}",
              'review = "proposed"', 'origin = "machine-assisted"', ""]
    for k in range(rng.randint(1, 2)):
        lines += ["[[km.terms]]", f"text = {_q(khmer_word(rng, rng.randint(2, 5)))}",
                  f'admin_status = "{"preferred" if k == 0 else "admitted"}"',
                  'review = "proposed"', 'origin = "machine-assisted"', ""]
    return "\n".join(lines)


def make_terms(dest: Path, n: int, seed: int = 7) -> Path:
    """Write a synthetic terms/ with ``n`` concepts into ``dest`` (created)."""
    rng = random.Random(seed)
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("_sources.toml", "_domains.toml"):
        shutil.copy(ROOT / "terms" / name, dest / name)
    ids = [f"concept-{i:06d}" for i in range(n)]
    # An hour old, like the files of a clone: the parse cache does not trust a file
    # modified within the last seconds (a coarse clock could hide a later edit).
    past = time.time() - 3600
    for i in range(n):
        path = dest / f"{ids[i]}.toml"
        path.write_text(concept_text(i, rng, ids), encoding="utf-8")
        os.utime(path, (past, past))
    return dest


def make_project(dest: Path, n: int, seed: int = 7) -> Path:
    """A project folder (pyproject.toml + terms/) with ``n`` synthetic concepts."""
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "pyproject.toml").write_text(
        '[tool.glossary]\nterms = "terms"\nbuild = "build"\nlocale = "locale"\n',
        encoding="utf-8")
    make_terms(dest / "terms", n, seed)
    return dest


def project_in(work: Path, size: int) -> Path:
    """The shared synthetic project of ``size`` concepts in the run's work folder, made
    on first use (every scenario of one run measures the same files)."""
    dest = work / f"project-{size}"
    if not (dest / "terms").is_dir():
        make_project(dest, size)
    return dest
