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
