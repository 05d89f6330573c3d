"""Issue 4 scenarios: the static site — full build, and rebuild after one concept changes.

``site: full build`` renders every page of a fresh build/site from a loaded glossary
(the renderer's own cost; loading terms/ is measured by ``build: load+validate+db``).
``site: incremental`` edits one concept's definition and rebuilds into the existing
site: only the pages that show that concept are rendered and written. The peer of the
full build is the bare floor of writing the same files (same bytes, no rendering, each
file created in place). Before each run the previous output is deleted and the disk
synced (untimed), so a run does not pay for writing back the one before it: a user's
build starts on an idle disk too.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from synth import project_in
from timing import measure, with_peer

from glossary import loader, pipeline
from glossary.config import load_settings
from glossary.site.build import build_site


def _context(project: Path) -> pipeline.RenderContext:
    settings = load_settings(cwd=project)
    loaded = loader.load_valid(settings)
    return pipeline.RenderContext(loaded.glossary, settings, loaded.revision)


def _write_floor(files: dict[Path, bytes], dest: Path) -> None:
    made: set[Path] = set()
    for rel, data in files.items():
        path = dest / rel
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)


def _clean(path: Path) -> None:
    """Delete ``path`` and let the disk write back everything pending."""
    shutil.rmtree(path, ignore_errors=True)
    os.sync()


@dataclass
class SiteFullBuild:
    name: str = "site: full build"
    sizes: tuple[int, ...] = (1000, 10000)

    def run(self, size: int, work: Path, repeat: int) -> dict[str, Any]:
        ctx = _context(project_in(work, size))
        site = ctx.settings.build_dir / "site"
        reports, cpu = [], []

        def full() -> None:
            start = time.process_time()
            reports.append(build_site(ctx))
            cpu.append(time.process_time() - start)  # one process: all the CPU time

        ours = measure(full, repeat, setup=lambda: _clean(site))
        files = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
        floor = measure(lambda: _write_floor(files, work / "floor"), repeat,
                        setup=lambda: _clean(work / "floor"))
        out = with_peer(ours, floor, "write same files")
        out["x_pages"] = reports[-1].pages
        out["x_cpu_s"] = round(statistics.median(cpu), 3)
        out["x_files"] = len(files)
        out["x_mb"] = round(sum(len(v) for v in files.values()) / 1e6, 1)
        out.update(_in_memory(ctx, files, repeat))
        return out


def _in_memory(ctx: pipeline.RenderContext, files: dict[Path, bytes],
               repeat: int) -> dict[str, Any]:
    """The same build and floor with build/ on a RAM file system (tmpfs), when there is
    one: the cost of this code without the disk's (which varies a lot on shared VMs)."""
    shm = Path("/dev/shm")
    if not shm.is_dir() or not os.access(shm, os.W_OK):
        return {}
    with tempfile.TemporaryDirectory(dir=shm, prefix="glossary-bench-") as tmp:
        settings = dataclasses.replace(ctx.settings, build_dir=Path(tmp) / "build")
        in_ram = dataclasses.replace(ctx, settings=settings)
        site = settings.build_dir / "site"

        ours = measure(lambda: build_site(in_ram), repeat, setup=lambda: _clean(site))
        floor = measure(lambda: _write_floor(files, Path(tmp) / "floor"), repeat,
                        setup=lambda: _clean(Path(tmp) / "floor"))
    return {"x_tmpfs_build_s": round(ours["median_s"], 3),
            "x_tmpfs_write_same_files_s": round(floor["median_s"], 3)}


@dataclass
class SiteIncremental:
    name: str = "site: incremental (1 concept)"
    sizes: tuple[int, ...] = (1000, 10000)

    def run(self, size: int, work: Path, repeat: int) -> dict[str, Any]:
        project = project_in(work, size)
        ctx = _context(project)
        shutil.rmtree(ctx.settings.build_dir / "site", ignore_errors=True)
        build_site(ctx)
        path = project / "terms" / "concept-000042.toml"
        original = path.read_text(encoding="utf-8")
        times, cpu, written = [], [], 0
        for i in range(repeat):
            path.write_text(original.replace('text = "', f'text = "edit {i} ', 1),
                            encoding="utf-8")
            changed = _context(project)  # loading is not part of the measured rebuild
            start, start_cpu = time.perf_counter(), time.process_time()
            report = build_site(changed)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
            written = len(report.stats.written)
        # A renamed term touches more pages: its indexes, print, document, search.
        path.write_text(original.replace("[[en.terms]]\ntext = \"", "[[en.terms]]\ntext = \"x ", 1),
                        encoding="utf-8")
        changed = _context(project)
        start = time.perf_counter()
        renamed = build_site(changed)
        term_s = time.perf_counter() - start
        path.write_text(original, encoding="utf-8")
        return {"median_s": statistics.median(times), "min_s": min(times), "max_s": max(times),
                "x_cpu_s": round(statistics.median(cpu), 3), "x_files_written": written,
                "x_term_rename_s": round(term_s, 3),
                "x_term_rename_files": len(renamed.stats.written)}


SCENARIOS = [SiteFullBuild(), SiteIncremental()]
