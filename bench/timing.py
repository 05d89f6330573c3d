"""Timing helpers shared by the scenarios."""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any


def measure(fn: Callable[[], Any], repeat: int,
            setup: Callable[[], Any] | None = None) -> dict[str, float]:
    """Time ``fn`` ``repeat`` times; ``setup`` runs (untimed) before each run."""
    times = []
    for _ in range(repeat):
        if setup is not None:
            setup()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return {"median_s": statistics.median(times), "min_s": min(times), "max_s": max(times)}


def with_peer(ours: dict[str, float], peer: dict[str, float], name: str) -> dict[str, Any]:
    out: dict[str, Any] = dict(ours)
    out["peer"] = name
    out["peer_median_s"] = peer["median_s"]
    out["ratio"] = ours["median_s"] / peer["median_s"] if peer["median_s"] else float("nan")
    return out


def run_process(cmd: list[str], repeat: int, **kwargs: Any) -> dict[str, float]:
    """Median wall time of a subprocess, plus its peak RSS in MB (max over runs)."""
    times, peak = [], 0.0
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       **kwargs)
        times.append(time.perf_counter() - start)
        peak = max(peak, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
    return {"median_s": statistics.median(times), "min_s": min(times), "max_s": max(times),
            "peak_rss_mb": peak}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


PYTHON = sys.executable


# A small parent for every measured command: a child's peak RSS starts at its parent's
# size when it forks, so measuring from a large benchmark process would inflate it. It
# reports the child's wall time, CPU time (user + system, from wait4) and peak RSS.
_WRAP = """
import os, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
err = proc.stderr.read()
_, status, usage = os.wait4(proc.pid, 0)
wall = time.perf_counter() - start
sys.stderr.buffer.write(err)
sys.stdout.write(f"{wall} {usage.ru_utime + usage.ru_stime} {usage.ru_maxrss} "
                 f"{os.waitstatus_to_exitcode(status)}\\n")
"""


def run_child(cmd: list[str], cwd: Any = None, ok: tuple[int, ...] = (0,)) -> dict[str, float]:
    """One run of ``cmd``: ``wall_s``, ``cpu_s`` (the child's user + system time, which a
    busy shared machine inflates far less than wall time) and ``rss_mb`` (its peak)."""
    done = subprocess.run([sys.executable, "-c", _WRAP, *cmd], cwd=cwd, capture_output=True,
                          check=True)
    wall, cpu, rss, code = done.stdout.decode().split()
    if int(code) not in ok:
        raise RuntimeError(f"{cmd} exited {code}: {done.stderr.decode()[-2000:]}")
    return {"wall_s": float(wall), "cpu_s": float(cpu), "rss_mb": int(rss) / 1024}


def summarize(runs: list[dict[str, float]]) -> dict[str, float]:
    """Medians of wall and CPU time over runs, min–max of wall time, and the peak RSS."""
    walls = [r["wall_s"] for r in runs]
    return {"median_s": statistics.median(walls), "min_s": min(walls), "max_s": max(walls),
            "cpu_s": statistics.median(r["cpu_s"] for r in runs),
            "peak_rss_mb": max(r["rss_mb"] for r in runs)}
