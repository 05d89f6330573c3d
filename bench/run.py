"""Benchmarks, run on demand (never in the test suite).

    python bench/run.py [--sizes 1000,10000,100000] [--only NAME] [--repeat N] [--json FILE]

Each scenario module in bench/scenarios/ defines ``SCENARIOS``: objects with a ``name``
and ``run(size, workdir, repeat) -> dict`` returning at least ``median_s`` and, where a
peer is measured in the same run, ``peer_median_s`` and ``ratio``. Results print as
medians (min–max) and are written as ``{scenario: {size: {...}}}`` to the JSON file.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import pkgutil
import platform
import sqlite3
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))


def discover() -> list:
    import scenarios

    found = []
    for info in sorted(pkgutil.iter_modules(scenarios.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"scenarios.{info.name}")
        found.extend(getattr(module, "SCENARIOS", []))
    return found


def fmt(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value * 1000:.2f} ms" if value < 1 else f"{value:.3f} s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--only", action="append", default=[],
                        help="run only scenarios whose name contains this (repeatable)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--all", action="store_true",
                        help="every scenario at 1000,10000,100000; writes bench/RESULTS.md")
    parser.add_argument("--markdown", type=Path, default=None,
                        help="write a Markdown report (default with --all: bench/RESULTS.md)")
    parser.add_argument("--work", type=Path, default=None,
                        help="keep the synthetic projects in this folder (reused next time)")
    args = parser.parse_args(argv)
    if args.all and args.markdown is None:
        args.markdown = HERE / "RESULTS.md"
    sizes = [1000, 10000, 100000] if args.all else [int(s) for s in args.sizes.split(",")]
    results: dict[str, dict[str, dict]] = {}
    print(f"machine: {platform.machine()} {platform.system()} python {platform.python_version()}")
    with tempfile.TemporaryDirectory(prefix="glossary-bench-") as tmp:
        work = Path(tmp) if args.work is None else args.work
        work.mkdir(parents=True, exist_ok=True)
        for scenario in discover():
            if args.only and not any(o in scenario.name for o in args.only):
                continue
            for size in sizes:
                if size not in getattr(scenario, "sizes", sizes):
                    continue
                result = _isolated(scenario, size, work, args.repeat)
                results.setdefault(scenario.name, {})[str(size)] = result
                line = (f"{scenario.name:<34} {size:>7}  median {fmt(result['median_s'])} "
                        f"({fmt(result.get('min_s'))}–{fmt(result.get('max_s'))})")
                if result.get("peer_median_s") is not None:
                    line += (f"  peer {result.get('peer', '')} {fmt(result['peer_median_s'])}"
                             f"  ratio {result['ratio']:.2f}")
                if result.get("target"):
                    line += f"  target {result['target']}: {result.get('met')}"
                for key, value in result.items():
                    if key.startswith("x_"):
                        line += f"  {key[2:]}={value}"
                print(line, flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.json}")
    if args.markdown:
        args.markdown.write_text(markdown(results, args.repeat), encoding="utf-8")
        print(f"wrote {args.markdown}")
    return 0


def _isolated(scenario: Any, size: int, work: Path, repeat: int) -> dict:
    """Run one scenario at one size in a forked child of this (small) process, so that
    no measurement runs in a process grown by the scenarios before it (a larger heap
    makes every fork and collection slower). Synthetic projects stay on disk in
    ``work`` for the next ones."""
    if not hasattr(os, "fork"):  # pragma: no cover - measured in this process then
        return scenario.run(size, work, repeat)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        code, data = 1, b""
        try:
            data = json.dumps(scenario.run(size, work, repeat)).encode()
            code = 0
        except BaseException:  # noqa: BLE001 - reported, then the run stops
            traceback.print_exc()
        finally:
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(data)
            os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0 or not data:
        raise RuntimeError(f"{scenario.name} at {size} failed (traceback above)")
    result: dict = json.loads(data)
    return result


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = os.cpu_count()
    try:
        mem = int(Path("/proc/meminfo").read_text().split()[1]) // (1024 * 1024)
        memory = f", {mem} GiB RAM"
    except (OSError, ValueError, IndexError):
        memory = ""
    return (f"{cpu}, {cores} cores{memory}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}; SQLite {sqlite3.sqlite_version}")


def markdown(results: dict[str, dict[str, dict]], repeat: int) -> str:
    lines = ["# Benchmark results", "",
             f"Written by `python bench/run.py` on {time.strftime('%Y-%m-%d')}.", "",
             f"Machine: {machine()}.", "",
             f"Each figure is the median of {repeat} runs (min–max in brackets) unless the "
             "scenario says otherwise; a peer is measured in the same run on the same data.", "",
             "| scenario | size | ours | peer | ratio | target | met? | other figures |",
             "|---|---:|---:|---:|---:|---|---|---|"]
    for name, sizes in results.items():
        for size, r in sizes.items():
            peer = (f"{r.get('peer', '')} {fmt(r.get('peer_median_s'))}"
                    if r.get("peer_median_s") is not None else "–")
            ratio = f"{r['ratio']:.2f}" if r.get("ratio") is not None else "–"
            extra = ", ".join(f"{k[2:]}={v}" for k, v in r.items() if k.startswith("x_"))
            if r.get("peak_rss_mb") is not None:
                extra = f"peak RSS {r['peak_rss_mb']:.0f} MB" + (f", {extra}" if extra else "")
            met = {True: "yes", False: "**no**", None: "–"}[r.get("met")]
            lines.append(f"| {name} | {size} | {fmt(r['median_s'])} "
                         f"({fmt(r.get('min_s'))}–{fmt(r.get('max_s'))}) | {peer} | {ratio} | "
                         f"{r.get('target', '–')} | {met} | {extra} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
