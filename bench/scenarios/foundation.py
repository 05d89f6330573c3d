"""Issue 2 scenarios: load+validate+build the database, search latency (start-up time
is measured with the other whole processes in scenarios/cli.py)."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from synth import project_in
from timing import measure, percentile

from glossary import khmer, loader, pipeline, store
from glossary.config import load_settings


@dataclass
class BuildDatabase:
    name: str = "build: load+validate+db"
    sizes: tuple[int, ...] = (1000, 10000, 100000)

    def run(self, size: int, work: Path, repeat: int) -> dict[str, Any]:
        settings = load_settings(cwd=project_in(work, size))
        reps = repeat if size <= 10000 else max(1, repeat // 3)
        result = measure(lambda: pipeline.build(settings, ("db",)), reps)
        load_only = measure(lambda: loader.load(settings), reps)
        result["x_load_validate_s"] = round(load_only["median_s"], 3)
        return result


def _queries(conn: Any, rng: random.Random) -> dict[str, list[str]]:
    en = [r[0] for r in conn.execute("SELECT key FROM term WHERE lang='en' ORDER BY random() "
                                      "LIMIT 1000")]
    km = [r[0] for r in conn.execute("SELECT key FROM term WHERE lang='km' ORDER BY random() "
                                      "LIMIT 1000")]

    def sub(keys: list[str], n: int, prefix: bool = False) -> list[str]:
        out = []
        for key in keys:
            if len(key) < n:
                continue
            start = 0 if prefix else rng.randrange(0, len(key) - n + 1)
            out.append(key[start:start + n])
        return out[:1000]

    return {
        "en prefix": sub(en, 4, prefix=True),
        "en substring": [rng.choice(k.split()[:-1] or [k]) for k in en][:1000],
        "km 1 cp": sub(km, 1),
        "km 2 cp": sub(km, 2),
        "km 4 cp": sub(km, 4),
    }


@dataclass
class Search:
    name: str = "search p99"
    sizes: tuple[int, ...] = (1000, 10000, 100000)

    def run(self, size: int, work: Path, repeat: int) -> dict[str, Any]:
        settings = load_settings(cwd=project_in(work, size))
        pipeline.build(settings, ("db",))  # incremental: nothing is done when it is current
        conn = store.open_database(settings.db_path)
        rng = random.Random(11)
        kinds = _queries(conn, rng)
        out: dict[str, Any] = {}
        worst, worst_peer = 0.0, 0.0
        for kind, queries in kinds.items():
            ours, peer = [], []
            for q in queries:
                t = time.perf_counter()
                store.search(conn, q, lang="km" if khmer.has_khmer(q) else "en", limit=20)
                ours.append(time.perf_counter() - t)
                t = time.perf_counter()
                store.naive_search(conn, q, limit=20)
                peer.append(time.perf_counter() - t)
            p99, peer99 = percentile(ours, 99), percentile(peer, 99)
            out[f"x_{kind.replace(' ', '_')}_p99_ms"] = round(p99 * 1000, 2)
            out[f"x_{kind.replace(' ', '_')}_naive_p99_ms"] = round(peer99 * 1000, 2)
            worst, worst_peer = max(worst, p99), max(worst_peer, peer99)
        conn.close()
        out.update({"median_s": worst, "min_s": worst, "max_s": worst, "peer": "LIKE scan",
                    "peer_median_s": worst_peer, "ratio": worst / worst_peer})
        return out


SCENARIOS = [BuildDatabase(), Search()]  # start-up: scenarios/cli.py
