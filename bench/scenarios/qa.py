"""Issue 7 scenarios: term QA over 1 MB of Khmer text against a synthetic glossary.

* ``qa: match 1MB km`` -- matching only (the index built beforehand; the cache of
  cluster keys emptied before each run, as in a fresh process): the text's search key,
  the trie walk over it, the map back to positions, leftmost-longest selection
  (``Reference.find_khmer`` and ``find_english``).  Peer, in the same run: ``str.find``
  of every Khmer term key over the same key text (what a naive checker does), timed
  once.
* ``qa: end to end 1MB km`` -- build the reference (the trie included) from the loaded
  glossary, read the file from disk, check it, format every finding.  Loading terms/
  itself is the foundation's cost and is reported apart as ``x_load_terms_s``; the
  ``glossary qa`` process time (load included) is ``x_cli_s``.

The text (``make_text``): UTF-8, 1,000,000 bytes or a little more, lines of ~40 Khmer
syllables in which about one word in three is a glossary term; terms are written as
the glossary stores them, with a ZWSP between syllables, or with coeng-ro typed first,
and one concept in ten has a deprecated Khmer term that the text uses.
"""

from __future__ import annotations

import dataclasses
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from synth import khmer_word, project_in
from timing import measure, with_peer

from glossary import khmer, source
from glossary.collector import paused as qa_collector_paused
from glossary.model import AdminStatus, Glossary, Review, ReviewState
from glossary.qa import Reference, check_paths, format_text
from glossary.qa import keys as qa_keys
from glossary.qa.keys import keyed

TEXT_BYTES = 1_000_000


def with_deprecated(glossary: Glossary, every: int = 10) -> Glossary:
    """One concept in ``every`` gets its admitted Khmer term deprecated (approved), and
    its preferred Khmer term approved, so QA has something to report."""
    approved = Review(state=ReviewState.APPROVED, approved_by="bench")
    concepts = []
    for i, concept in enumerate(glossary.concepts):
        terms = concept.km.terms
        if i % every == 0 and len(terms) >= 2:
            terms = (dataclasses.replace(terms[0], review=approved),
                     dataclasses.replace(terms[1], admin_status=AdminStatus.DEPRECATED,
                                         review=approved), *terms[2:])
            concept = dataclasses.replace(concept, km=dataclasses.replace(concept.km,
                                                                          terms=terms))
        concepts.append(concept)
    return Glossary(tuple(concepts), glossary.documents, glossary.domains)


def _variant(term: str, rng: random.Random) -> str:
    """The term as a writer might type it: stored form, ZWSPs inside, coeng-ro first."""
    roll = rng.random()
    if roll < 0.3:
        return _zwsp_between_clusters(term)
    if roll < 0.4 and "\u17d2\u179a" in term:
        return _coeng_ro_first(term)
    return term


def _zwsp_between_clusters(term: str) -> str:
    out = []
    for i, ch in enumerate(term):
        if i and "\u1780" <= ch <= "\u17a2" and term[i - 1] != "\u17d2":
            out.append("\u200b")
        out.append(ch)
    return "".join(out)


def _coeng_ro_first(term: str) -> str:
    # "...C ្X ្រ..." typed as "...C ្រ ្X..."
    i = term.find("\u17d2\u179a")
    if i >= 2 and term[i - 2] == "\u17d2":
        return term[: i - 2] + "\u17d2\u179a" + term[i - 2: i] + term[i + 2:]
    return term


def make_text(glossary: Glossary, path: Path, size: int = TEXT_BYTES, seed: int = 3) -> Path:
    rng = random.Random(seed)
    terms = [t.text for c in glossary.concepts for t in c.km.terms if khmer.has_khmer(t.text)]
    lines: list[str] = []
    total = 0
    while total < size:
        parts = []
        for _ in range(14):
            if rng.random() < 0.33:
                parts.append(_variant(rng.choice(terms), rng))
            else:
                parts.append(khmer_word(rng, rng.randint(1, 3)))
        line = "".join(p + rng.choice(("\u200b", "\u200b", " ", "")) for p in parts).strip()
        lines.append(line)
        total += len(line.encode("utf-8")) + 1
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def cpu_median(fn: Callable[[], object], repeat: int) -> float:
    """Median CPU time of this process for ``fn`` (steadier than wall time on a busy
    machine, where other processes take turns on the cores)."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return round(statistics.median(times), 3)


def naive_find(keys: list[str], text_key: str) -> int:
    """The peer: every term key searched with str.find over the whole text key."""
    found = 0
    for key in keys:
        pos = text_key.find(key)
        while pos >= 0:
            found += 1
            pos = text_key.find(key, pos + 1)
    return found


@dataclass
class _Prepared:
    project: Path
    glossary: Glossary
    text: Path
    load_s: float


_CACHE: dict[int, _Prepared] = {}


def _prepare(work: Path, size: int) -> _Prepared:
    if size not in _CACHE:
        project = project_in(work, size)
        start = time.perf_counter()
        loaded = source.load_glossary(project / "terms").glossary
        load_s = time.perf_counter() - start
        glossary = with_deprecated(loaded)
        text = make_text(glossary, work / f"qa-text-{size}.txt")
        _CACHE[size] = _Prepared(project, glossary, text, load_s)
    return _CACHE[size]


@dataclass
class Match:
    name: str = "qa: match 1MB km"
    sizes: tuple[int, ...] = (1000, 10000, 100000)

    def run(self, size: int, work: Path, repeat: int) -> dict[str, Any]:
        prep = _prepare(work, size)
        ref = Reference(prep.glossary, "approved")
        ref.khmer_keys  # noqa: B018  (the index is built before the timing)
        text = prep.text.read_text(encoding="utf-8")
        hits: list[int] = []

        def ours() -> None:
            qa_keys._PIECES.clear()  # a cold cache, as in a fresh process
            with qa_collector_paused():  # as check_paths does
                hits.append(len(ref.find_khmer(text)) + len(ref.find_english(text)))

        result = measure(ours, repeat)
        cpu = cpu_median(ours, repeat)
        keys = sorted({khmer.search_key(t.text) for c in prep.glossary.concepts
                       for t in c.km.terms} - {""})
        text_key = keyed(text).key
        peer = measure(lambda: naive_find(keys, text_key), 1)
        out = with_peer(result, peer, "str.find per term")
        out["x_cpu_s"] = cpu
        out["x_hits"] = hits[-1]
        out["x_text_bytes"] = prep.text.stat().st_size
        out["x_text_chars"] = len(text)
        out["x_km_terms"] = len(keys)
        return out


@dataclass
class EndToEnd:
    name: str = "qa: end to end 1MB km"
    sizes: tuple[int, ...] = (1000, 10000, 100000)

    def run(self, size: int, work: Path, repeat: int) -> dict[str, Any]:
        prep = _prepare(work, size)
        counts: list[int] = []

        def ours() -> None:  # what `glossary qa FILE` does once terms/ is loaded
            qa_keys._PIECES.clear()  # a cold cache, as in a fresh process
            ref = Reference(prep.glossary, "approved")
            report = check_paths(ref, [prep.text])  # builds the Khmer index on first use
            lines = [format_text(f) for f in report.findings]
            counts.append(len(lines))

        def index() -> None:
            with qa_collector_paused():
                Reference(prep.glossary, "approved").khmer_keys  # noqa: B018

        result = measure(ours, repeat)
        out: dict[str, Any] = dict(result)
        out["x_cpu_s"] = cpu_median(ours, repeat)
        out["x_index_s"] = round(measure(index, repeat)["median_s"], 3)
        out["x_findings"] = counts[-1]
        out["x_load_terms_s"] = round(prep.load_s, 3)
        exe = Path(sys.executable).parent / "glossary"
        start = time.perf_counter()
        subprocess.run([str(exe), "--terms", str(prep.project / "terms"), "qa",
                        str(prep.text)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       check=False)
        out["x_cli_s"] = round(time.perf_counter() - start, 3)
        return out


SCENARIOS = [Match(), EndToEnd()]
