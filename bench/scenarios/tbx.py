"""Issue 6 scenario: TBX export, time and peak RSS, against translate-toolkit.

Each measurement runs in its own process (peak RSS of that process only, via wait4):

* ``tbx export``: writing the TBX of N concepts from the loaded glossary (the glossary is
  loaded first, outside the timing) vs ``csv2tbx`` converting a CSV of the same N
  concepts (English → Khmer preferred terms). Extra: the whole ``glossary export tbx``
  command, terms/ loading included.
* the helpers of ``cli: import tbx`` (scenarios/cli.py): the N-concept export, and the
  same file with v2 element names for ``tbx2po`` (translate-toolkit reads only TBX v2,
  ``<martif>``; it rejects a v3 root after parsing the whole file): same data, same
  size.

translate-toolkit comes with ``pip install -e '.[bench]'``.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from synth import project_in

BIN = Path(sys.executable).parent


def _empty_project(work: Path, size: int) -> Path:
    dest = work / f"empty-{size}"
    if not dest.is_dir():
        (dest / "terms").mkdir(parents=True)
        for name in ("_sources.toml", "_domains.toml"):
            shutil.copy(project_in(work, size) / "terms" / name, dest / "terms" / name)
        (dest / "pyproject.toml").write_text('[tool.glossary]\nterms = "terms"\n',
                                             encoding="utf-8")
    return dest


# A small parent for every measured command: a child's peak RSS starts at its parent's
# size when it forks, so measuring from this (large) benchmark process would inflate it.
_WRAP = """
import os, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
out = proc.stdout.read()
_, status, usage = os.wait4(proc.pid, 0)
sys.stderr.write(f"{time.perf_counter() - start} {usage.ru_maxrss} "
                 f"{os.waitstatus_to_exitcode(status)}\\n")
sys.stdout.buffer.write(out)
"""


def run_once(cmd: list[str], cwd: Path | None = None) -> tuple[float, float, str]:
    """Wall time, peak RSS (MB) of the command alone, and its standard output."""
    done = subprocess.run([sys.executable, "-c", _WRAP, *cmd], cwd=cwd, capture_output=True,
                          check=True)
    elapsed, peak, code = done.stderr.decode().split()[-3:]
    if int(code) not in (0, 1):
        raise RuntimeError(f"{cmd} failed with {code}")
    return float(elapsed), int(peak) / 1024, done.stdout.decode("utf-8", "replace")


def _summary(times: list[float], peaks: list[float]) -> dict[str, float]:
    return {"median_s": statistics.median(times), "min_s": min(times), "max_s": max(times),
            "peak_rss_mb": max(peaks)}


def paired(ours: tuple[list[str], Path | None], peer: tuple[list[str], Path | None],
           repeat: int) -> tuple[dict[str, float], dict[str, float]]:
    """Run ours and the peer alternately, so that a busy machine slows both alike."""
    runs: dict[int, tuple[list[float], list[float]]] = {0: ([], []), 1: ([], [])}
    for _ in range(repeat):
        for which, (cmd, cwd) in enumerate((ours, peer)):
            elapsed, peak, _ = run_once(cmd, cwd)
            runs[which][0].append(elapsed)
            runs[which][1].append(peak)
    return _summary(*runs[0]), _summary(*runs[1])


def timed(cmd: list[str], repeat: int, cwd: Path | None = None) -> dict[str, float]:
    times, peaks = [], []
    for _ in range(repeat):
        elapsed, peak, _ = run_once(cmd, cwd)
        times.append(elapsed)
        peaks.append(peak)
    return {"median_s": statistics.median(times), "min_s": min(times), "max_s": max(times),
            "peak_rss_mb": max(peaks)}


WRITE_SCRIPT = """
import json, sys, time, resource
from pathlib import Path
from glossary import loader
from glossary.config import load_settings
from glossary.formats import tbx
glossary = loader.load(load_settings(cwd=Path(sys.argv[1]))).glossary
start = time.perf_counter()
with open(sys.argv[2], "wb") as handle:
    tbx.write(glossary, handle)
print(json.dumps({"write_s": time.perf_counter() - start}))
"""

READ_SCRIPT = """
import json, sys, time
from pathlib import Path
from glossary.formats import ReadOptions, tbx
start = time.perf_counter()
count = sum(1 for _ in tbx.read(Path(sys.argv[1]), ReadOptions(stream=True)).concepts)
print(json.dumps({"read_s": time.perf_counter() - start, "concepts": count}))
"""


def _export_file(work: Path, size: int) -> Path:
    path = work / f"export-{size}.tbx"
    if not path.is_file():
        subprocess.run([str(BIN / "glossary"), "export", "tbx", "-o", str(path)],
                       cwd=project_in(work, size), check=True, stderr=subprocess.DEVNULL)
    return path


_V2_NAMES = {b"conceptEntry": b"termEntry", b"langSec": b"langSet", b"termSec": b"tig",
             b"tbxHeader": b"martifHeader"}


def _as_v2(path: Path) -> Path:
    """The same TBX with v2 element names and root, for translate-toolkit."""
    target = path.with_name(path.stem + "-v2.tbx")
    if target.is_file():
        return target
    data = path.read_bytes()
    data = re.sub(rb"<tbx [^>]*>", b'<martif type="TBX-Basic" xml:lang="en">', data, count=1)
    data = re.sub(rb"(</?)(conceptEntry|langSec|termSec|tbxHeader)\b",
                  lambda m: m.group(1) + _V2_NAMES[m.group(2)], data)
    target.write_bytes(data.replace(b"</tbx>", b"</martif>"))
    return target


def _peer_csv(work: Path, size: int) -> Path:
    path = work / f"peer-{size}.csv"
    if path.is_file():
        return path
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from glossary import loader
    from glossary.config import load_settings

    glossary = loader.load(load_settings(cwd=project_in(work, size))).glossary
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["location", "source", "target"])
        for concept in glossary.concepts:
            en, km = concept.en.preferred, concept.km.preferred
            writer.writerow([concept.id, en.text if en else "", km.text if km else ""])
    return path


@dataclass
class TbxExport:
    name: str = "tbx export"
    sizes: tuple[int, ...] = (1000, 10000, 100000)

    def run(self, size: int, work: Path, repeat: int) -> dict[str, Any]:
        project = project_in(work, size)
        reps = repeat if size <= 10000 else max(2, repeat // 3)
        out = work / f"bench-{size}.tbx"
        writes, peaks, peer_times, peer_peaks = [], [], [], []
        peer_csv = _peer_csv(work, size)
        for _ in range(reps):  # alternately, so that a busy machine slows both alike
            os.sync()  # neither run pays for writing back what ran before it
            _, peak, text = run_once([sys.executable, "-c", WRITE_SCRIPT, str(project),
                                      str(out)])
            writes.append(json.loads(text)["write_s"])
            peaks.append(peak)
            os.sync()
            elapsed, peak, _ = run_once([str(BIN / "csv2tbx"), str(peer_csv),
                                         str(work / f"peer-{size}.tbx")])
            peer_times.append(elapsed)
            peer_peaks.append(peak)
        peer = _summary(peer_times, peer_peaks)
        full = timed([str(BIN / "glossary"), "export", "tbx", "-o", str(out)], 1, project)
        median = statistics.median(writes)
        return {
            "median_s": median, "min_s": min(writes), "max_s": max(writes),
            "peer": "csv2tbx", "peer_median_s": peer["median_s"],
            "ratio": median / peer["median_s"],
            "x_peer_rss_mb": round(peer["peak_rss_mb"]),
            "x_cli_export_s": round(full["median_s"], 2),
            "x_cli_export_rss_mb": round(full["peak_rss_mb"]),
            "x_write_process_rss_mb": round(max(peaks)),
            "x_file_mb": round(out.stat().st_size / 1e6, 1),
        }


# The whole import process against tbx2po: scenarios/cli.py (``cli: import tbx``).
SCENARIOS = [TbxExport()]
