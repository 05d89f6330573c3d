"""Issue 13's targets: whole ``glossary`` processes, as a user runs them, side by side.

Every figure here is a whole process started from a shell (interpreter start-up, imports,
reading ``terms/`` through the parse cache, the work, writing the output), on the
synthetic projects of ``bench/synth.py``, timed alternately with its peer in the same
run, so that a busy machine slows both alike:

* ``python -c pass`` — the floor of any Python process;
* translate-toolkit's ``csv2po`` / ``csv2tbx`` on a CSV of the same entries (the PO
  entries of ``export po``; the concepts' English → Khmer preferred terms for TBX), and
  ``tbx2po`` on our TBX export (with v2 element names, which is all it reads).

States, each re-made before every run so that every run starts from the same one:

* **warm**: ``build/.cache`` present and current, nothing changed since (for an export:
  the same export run once before, untimed, so its pieces are in the piece store);
* **one edit**: a full build done, then one concept's English definition edited, or
  (a row of its own) its first Khmer term, which more pages show;
* **cold**: no ``build/`` at all (what a fresh clone sees once).

Figures: median wall time (min–max), median CPU time of the child (user + system, from
``wait4``; the machine is shared, and CPU time is what our code costs when wall time is
inflated by other work), and peak RSS. Targets are from issue 13; ``met`` judges the
wall-time median.

translate-toolkit comes with ``pip install -e '.[bench]'``.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from synth import project_in
from timing import run_child, summarize

from scenarios.tbx import _as_v2, _empty_project, _export_file, _peer_csv

BIN = Path(sys.executable).parent
GLOSSARY = str(BIN / "glossary")
PASS = [sys.executable, "-c", "pass"]
EDITED = "concept-000042.toml"


def _compiled() -> None:
    """Byte-compile the package, as an installed one is: the peers' modules are compiled
    in site-packages, and with PYTHONDONTWRITEBYTECODE set an editable checkout would
    otherwise compile every module it imports on every run."""
    import compileall

    import glossary

    compileall.compile_dir(Path(glossary.__file__).parent, quiet=1)


_compiled()


def _reps(size: int, repeat: int) -> int:
    return repeat if size <= 10000 else max(1, repeat // 3)


def _warm(project: Path) -> None:
    """Make ``build/.cache`` current (the project's files are older than the cache's
    "racy" window, so every file is remembered)."""
    run_child([GLOSSARY, "check"], project, ok=(0, 1))


def _po_csv(work: Path, size: int) -> Path:
    """The entries ``export po`` writes, as the CSV csv2po reads."""
    path = work / f"po-entries-{size}.csv"
    if path.is_file():
        return path
    from glossary import loader, pairs
    from glossary.config import load_settings

    glossary = loader.load(load_settings(cwd=project_in(work, size))).glossary
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["context", "location", "source", "target", "developer_comments",
                         "fuzzy"])
        for e in pairs.build_entries(glossary):
            writer.writerow([e.context, e.reference, e.msgid, e.msgstr, "\n".join(e.comments),
                             "True" if e.fuzzy else "False"])
    return path


def _paired(ours: tuple[list[str], Path | None], peer: tuple[list[str], Path | None],
            reps: int, before: Any = None) -> tuple[dict[str, float], dict[str, float]]:
    """Run ours and the peer alternately; ``before()`` (untimed) re-makes the state."""
    a, b = [], []
    for i in range(reps):
        if before is not None:
            before(i)
        os.sync()  # neither pays for writing back what ran before it
        a.append(run_child(ours[0], ours[1], ok=(0, 1)))
        os.sync()
        b.append(run_child(peer[0], peer[1]))
    return summarize(a), summarize(b)


def _result(ours: dict[str, float], peer: dict[str, float], peer_name: str,
            target: str, met: bool | None) -> dict[str, Any]:
    out: dict[str, Any] = {k: ours[k] for k in ("median_s", "min_s", "max_s")}
    out.update({
        "peer": peer_name, "peer_median_s": peer["median_s"],
        "ratio": ours["median_s"] / peer["median_s"],
        "peak_rss_mb": ours["peak_rss_mb"], "target": target, "met": met,
        "x_cpu_s": round(ours["cpu_s"], 3), "x_peer_cpu_s": round(peer["cpu_s"], 3),
        "x_cpu_ratio": round(ours["cpu_s"] / peer["cpu_s"], 2) if peer["cpu_s"] else None,
        "x_peer_rss_mb": round(peer["peak_rss_mb"]),
    })
    return out


@dataclass
class Startup:
    name: str = "cli: start-up (glossary --help)"
    sizes: tuple[int, ...] = (10000,)

    def run(self, size: int, work: Path, repeat: int) -> dict[str, Any]:
        ours, peer = _paired(([GLOSSARY, "--help"], None), (PASS, None), max(repeat, 15))
        delta = ours["median_s"] - peer["median_s"]
        out = _result(ours, peer, "python -c pass", "≤ +35 ms", delta <= 0.035)
        out["x_delta_ms"] = round(delta * 1000, 1)
        return out


@dataclass
class WarmExport:
    """``glossary export FMT`` with the cache current, against the peer converter."""

    fmt: str
    peer_tool: str
    sizes: tuple[int, ...]
    name: str = field(init=False)

    def __post_init__(self) -> None:
        self.name = f"cli: warm export {self.fmt}"

    def run(self, size: int, work: Path, repeat: int) -> dict[str, Any]:
        project = project_in(work, size)
        _warm(project)
        peer_in = _po_csv(work, size) if self.fmt == "po" else _peer_csv(work, size)
        # PO: the folder form (POT and PO, with their copies in build/), as since the
        # first run of this row; ``-o NAME.po`` would write the one PO file alone
        out_path = work / (f"cli-out-{size}-po" if self.fmt == "po" else
                           f"cli-out-{size}.{self.fmt}")
        run_child([GLOSSARY, "export", self.fmt, "-o", str(out_path)], project, ok=(0, 1))
        ours, peer = _paired(
            ([GLOSSARY, "export", self.fmt, "-o", str(out_path)], project),
            ([str(BIN / self.peer_tool), str(peer_in), str(work / f"peer-out-{size}")], None),
            _reps(size, repeat), before=lambda i: shutil.rmtree(out_path, True)
            if out_path.is_dir() else out_path.unlink(missing_ok=True))
        ratio = ours["median_s"] / peer["median_s"]
        return _result(ours, peer, self.peer_tool, f"≤ 0.5× {self.peer_tool}", ratio <= 0.5)


@dataclass
class WarmCheck:
    name: str = "cli: warm check"
    sizes: tuple[int, ...] = (10000,)

    def run(self, size: int, work: Path, repeat: int) -> dict[str, Any]:
        project = project_in(work, size)
        _warm(project)
        ours, peer = _paired(([GLOSSARY, "check"], project), (PASS, None), repeat)
        out = _result(ours, peer, "python -c pass", "≤ 0.3 s", ours["median_s"] <= 0.3)
        cold, _ = _paired(([GLOSSARY, "check"], project), (PASS, None), 1,
                          before=lambda i: shutil.rmtree(project / "build" / ".cache", True))
        _warm(project)
        out["x_cold_check_s"] = round(cold["median_s"], 3)
        return out


def _edit(path: Path, original: str, i: int) -> None:
    path.write_text(original.replace('text = "', f'text = "edit {i} ', 1), encoding="utf-8")


def _edit_khmer_term(path: Path, original: str, i: int) -> None:
    """The concept's first Khmer term, lengthened by one to three letters (what a
    translator's correction does): it is shown on the index, domain and document pages
    and in the search index, which a definition is not."""
    edited, found = _KM_TERM.subn(lambda m: m[1] + "\u1780" * (1 + i % 3) + '"', original, 1)
    if not found:
        raise ValueError(f"{path}: no Khmer term to edit")
    path.write_text(edited, encoding="utf-8")


_KM_TERM = re.compile(r'(\[\[km\.terms\]\]\ntext = "[^"]*)"')


@dataclass
class OneEditBuild:
    """``glossary build`` (every output) after one concept was edited, the previous
    build complete: its English definition (``edit``: :func:`_edit`), or its first
    Khmer term (:func:`_edit_khmer_term`)."""

    name: str = "cli: build after one edit"
    sizes: tuple[int, ...] = (10000, 100000)
    edit: Any = _edit

    def run(self, size: int, work: Path, repeat: int) -> dict[str, Any]:
        project = project_in(work, size)
        path = project / "terms" / EDITED
        original = path.read_text(encoding="utf-8")
        run_child([GLOSSARY, "build"], project)  # the previous, complete build
        edit = self.edit
        try:
            ours, peer = _paired(([GLOSSARY, "build"], project), (PASS, None),
                                 _reps(size, repeat), before=lambda i: edit(path, original, i))
        finally:
            path.write_text(original, encoding="utf-8")
        limit = 1.0 if size <= 10000 else 6.0
        return _result(ours, peer, "python -c pass", f"≤ {limit:g} s",
                       ours["median_s"] <= limit)


@dataclass
class CheckAfterEdit:
    """``glossary check`` after one concept's English definition was edited (what a
    reviewer runs after each change), the previous check complete: the edited file is
    read again, the others come from the cache, and the checks across concepts run
    over the whole glossary. No target in the issue: reported."""

    name: str = "cli: check after one edit"
    sizes: tuple[int, ...] = (10000, 100000)

    def run(self, size: int, work: Path, repeat: int) -> dict[str, Any]:
        project = project_in(work, size)
        path = project / "terms" / EDITED
        original = path.read_text(encoding="utf-8")
        run_child([GLOSSARY, "check"], project)
        try:
            ours, peer = _paired(([GLOSSARY, "check"], project), (PASS, None),
                                 _reps(size, repeat), before=lambda i: _edit(path, original, i))
        finally:
            path.write_text(original, encoding="utf-8")
        return _result(ours, peer, "python -c pass", "report", None)


@dataclass
class ColdBuild:
    """``glossary build`` with no ``build/`` (no cache, no outputs): a fresh clone."""

    name: str = "cli: cold build"
    sizes: tuple[int, ...] = (10000, 100000)

    def run(self, size: int, work: Path, repeat: int) -> dict[str, Any]:
        project = project_in(work, size)
        reps = 1
        try:
            ours, peer = _paired(([GLOSSARY, "build"], project), (PASS, None), reps,
                                 before=lambda i: shutil.rmtree(project / "build", True))
        finally:
            _warm(project)
        return _result(ours, peer, "python -c pass", "report", None)


@dataclass
class TbxImport:
    """``glossary import tbx`` of the N-concept export into a project with an empty
    terms/ (read + plan + report, one process) against ``tbx2po`` on the same data."""

    name: str = "cli: import tbx"
    sizes: tuple[int, ...] = (10000, 100000)

    def run(self, size: int, work: Path, repeat: int) -> dict[str, Any]:
        path = _export_file(work, size)
        v2 = _as_v2(path)
        ours, peer = _paired(
            ([GLOSSARY, "import", "tbx", str(path), "--format", "json"],
             _empty_project(work, size)),
            ([str(BIN / "tbx2po"), str(v2), str(work / f"peer-{size}.po")], None),
            _reps(size, repeat))
        if size < 100000:  # the target is the 100,000-concept import
            return _result(ours, peer, "tbx2po", "report", None)
        ratio = ours["median_s"] / peer["median_s"]
        met = ratio <= 0.5 and ours["peak_rss_mb"] <= 400
        return _result(ours, peer, "tbx2po", "≤ 0.5× tbx2po, ≤ 400 MB", met)


SCENARIOS = [
    Startup(),
    WarmExport("po", "csv2po", (10000,)),
    WarmExport("tbx", "csv2tbx", (10000, 100000)),
    WarmCheck(),
    OneEditBuild(),
    OneEditBuild("cli: build after one Khmer term edit", edit=_edit_khmer_term),
    CheckAfterEdit(),
    ColdBuild(),
    TbxImport(),
]
