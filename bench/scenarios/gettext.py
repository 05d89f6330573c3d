"""Issue 5 scenarios: PO export vs translate-toolkit's csv2po, MO vs GNU msgfmt, PO import.

The data: a synthetic glossary built in memory, one concept per English term (with a
definition, a source, an approved Khmer term), so a size of 100,000 means 100,000 PO
entries. The peers get the same entries: csv2po a CSV of them (context, location,
source, target, developer comments, fuzzy), msgfmt the PO we export.

translate-toolkit is a bench-only peer: ``pip install -e '.[bench]'``.
"""

from __future__ import annotations

import csv
import random
import shutil
import statistics
import subprocess
import time
import tracemalloc
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from synth import english_term, khmer_word
from timing import measure, with_peer

from glossary import locale_catalogs, pairs
from glossary.formats import mo, po
from glossary.imports import proposals
from glossary.model import (
    Concept,
    Definition,
    Document,
    Domain,
    Glossary,
    LangSection,
    Review,
    ReviewState,
    Section,
    SourceRef,
    Term,
)

REVISION = "bench0000000"


def make_glossary(n: int, seed: int = 5) -> Glossary:
    rng = random.Random(seed)
    approved = Review(state=ReviewState.APPROVED, origin="human", approved_by="Bench Reviewer",
                      approved_on=date(2026, 1, 1))
    concepts = []
    for i in range(n):
        concepts.append(Concept(
            id=f"concept-{i:06d}",
            domains=("foundations",),
            sources=(SourceRef("asean-guide-2024", "B.1"),),
            en=LangSection(
                definition=Definition(english_term(rng, 16) + "."),
                terms=(Term(english_term(rng, rng.randint(1, 4)) + f" {i}"),),
            ),
            km=LangSection(terms=(Term(khmer_word(rng, rng.randint(2, 5)), review=approved),)),
        ))
    return Glossary(
        concepts=tuple(concepts),
        documents=(Document("asean-guide-2024", "ASEAN Guide 2024", "ASEAN Guide",
                            sections=(Section("B.1", "Transparency", page=11),)),),
        domains=(Domain("foundations", "AI foundations"),),
    )


_CACHE: dict[int, Glossary] = {}


def glossary_of(size: int) -> Glossary:
    if size not in _CACHE:
        _CACHE.clear()
        _CACHE[size] = make_glossary(size)
    return _CACHE[size]


def header(glossary: Glossary) -> po.Header:
    return po.Header(revision=REVISION, creation_date="2026-01-01 00:00+0000")


def export_po(glossary: Glossary, out: Path) -> None:
    entries = pairs.build_entries(glossary)
    out.write_text(po.write_catalog(entries, header(glossary)), encoding="utf-8")


def write_csv(glossary: Glossary, path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["context", "location", "source", "target", "developer_comments",
                         "fuzzy"])
        for e in pairs.build_entries(glossary):
            writer.writerow([e.context, e.reference, e.msgid, e.msgstr,
                             "\n".join(e.comments), "True" if e.fuzzy else "False"])


def csv2po(src: Path, out: Path) -> None:
    from translate.convert import csv2po as convert

    with src.open("rb") as inp, out.open("wb") as outp:
        convert.convertcsv(inp, outp, None)


def interleaved(ours: Any, peer: Any, reps: int) -> tuple[dict[str, float], dict[str, float]]:
    """Time ours and the peer alternately, so both see the same load on a shared machine."""
    a: list[float] = []
    b: list[float] = []
    for _ in range(reps):
        for fn, times in ((ours, a), (peer, b)):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    return (
        {"median_s": statistics.median(a), "min_s": min(a), "max_s": max(a)},
        {"median_s": statistics.median(b), "min_s": min(b), "max_s": max(b)},
    )


@dataclass
class PoExport:
    name: str = "gettext: PO export vs csv2po"
    sizes: tuple[int, ...] = (1000, 10000, 100000)

    def run(self, size: int, work: Path, repeat: int) -> dict[str, Any]:
        glossary = glossary_of(size)
        ours_path, csv_path, peer_path = work / "ours.po", work / "in.csv", work / "peer.po"
        write_csv(glossary, csv_path)
        try:
            import translate.convert.csv2po  # noqa: F401
        except ImportError:
            out = measure(lambda: export_po(glossary, ours_path), repeat)
            out["x_note"] = "translate-toolkit missing: pip install -e '.[bench]'"
            return out
        ours, peer = interleaved(lambda: export_po(glossary, ours_path),
                                 lambda: csv2po(csv_path, peer_path), max(repeat, 3))
        result = with_peer(ours, peer, "csv2po (translate-toolkit)")
        result["x_entries"] = size
        result["x_po_mb"] = round(ours_path.stat().st_size / 1e6, 1)
        return result


@dataclass
class MoCompile:
    name: str = "gettext: MO vs msgfmt"
    sizes: tuple[int, ...] = (1000, 10000, 100000)

    def run(self, size: int, work: Path, repeat: int) -> dict[str, Any]:
        glossary = glossary_of(size)
        po_path = work / "approved.po"
        entries = [e for e in pairs.build_entries(glossary) if e.msgstr and not e.fuzzy]
        hdr = header(glossary)
        po_path.write_text(po.write_catalog(entries, hdr), encoding="utf-8")
        ours_path = work / "ours.mo"

        def ours_run() -> None:
            messages = pairs.approved_messages(glossary)
            ours_path.write_bytes(mo.write_catalog(messages, hdr.mo_text()))

        msgfmt = shutil.which("msgfmt")
        if msgfmt is None:
            out = measure(ours_run, repeat)
            out["x_note"] = "msgfmt missing: apt-get install gettext"
            return out
        command = [msgfmt, "-o", str(work / "gnu.mo"), str(po_path)]
        ours, peer = interleaved(
            ours_run, lambda: subprocess.run(command, check=True, capture_output=True),
            max(repeat, 3))
        result = with_peer(ours, peer, "GNU msgfmt")
        # the MO without building entries (what the writer itself costs)
        triples = [(e.context, e.msgid, e.msgstr) for e in entries]
        writer = measure(lambda: mo.write_catalog(triples, hdr.mo_text()), repeat)
        result["x_writer_only_s"] = round(writer["median_s"], 4)
        same = mo.read(ours_path.read_bytes()) == mo.read((work / "gnu.mo").read_bytes())
        result["x_same_messages"] = same
        return result


@dataclass
class PoImport:
    name: str = "gettext: PO import (read + review)"
    sizes: tuple[int, ...] = (1000, 10000, 100000)

    def run(self, size: int, work: Path, repeat: int) -> dict[str, Any]:
        glossary = glossary_of(size)
        path = work / "returned.po"
        entries = pairs.build_entries(glossary)
        # a translator changed every tenth Khmer term
        edited = [
            pairs.CatalogEntry(e.context, e.msgid, e.msgstr + ("ថ្មី" if i % 10 == 0 else ""),
                                 e.comments, e.fuzzy, e.fingerprint, e.reference, e.concept_id,
                                 e.en_index, e.km_index)
            for i, e in enumerate(entries)
        ]
        path.write_text(po.write_catalog(edited, header(glossary)), encoding="utf-8")
        reps = repeat if size <= 10000 else max(1, repeat // 2)
        read_only = measure(lambda: locale_catalogs.read_po(path), reps)

        def full() -> None:
            incoming = locale_catalogs.read_po(path)
            proposals.compare(glossary, incoming.terms)

        result = measure(full, reps)
        tracemalloc.start()
        start = time.perf_counter()
        full()
        elapsed = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        result["x_read_only_s"] = round(read_only["median_s"], 3)
        result["x_peak_python_mb"] = round(peak / 1e6, 1)
        result["x_traced_run_s"] = round(elapsed, 3)
        result["x_peak_rss_mb"], result["x_rss_before_import_mb"] = _peak_rss(path, size)
        return result


def _peak_rss(path: Path, size: int) -> tuple[float, float]:
    """Peak resident memory (VmHWM, MB) of a fresh process that builds the glossary, then
    reads and reviews the file: (peak overall, peak before the import began)."""
    import sys

    code = (
        "import sys\n"
        "sys.path.insert(0, sys.argv[2])\n"
        "def hwm():\n"
        "    for line in open('/proc/self/status'):\n"
        "        if line.startswith('VmHWM:'):\n"
        "            return int(line.split()[1]) / 1024\n"
        "from pathlib import Path\n"
        "from scenarios.gettext import glossary_of\n"
        "from glossary import locale_catalogs\n"
        "from glossary.imports import proposals\n"
        "g = glossary_of(int(sys.argv[3]))\n"
        "base = hwm()\n"
        "proposals.compare(g, locale_catalogs.read_po(Path(sys.argv[1])).terms)\n"
        "print(hwm(), base)\n"
    )
    bench_dir = str(Path(__file__).resolve().parent.parent)
    if not Path("/proc/self/status").is_file():
        return float("nan"), float("nan")
    done = subprocess.run([sys.executable, "-c", code, str(path), bench_dir, str(size)],
                          capture_output=True, text=True, check=True, cwd=bench_dir)
    total, base = (float(x) for x in done.stdout.split())
    return round(total, 1), round(base, 1)


SCENARIOS = [PoExport(), MoCompile(), PoImport()]
