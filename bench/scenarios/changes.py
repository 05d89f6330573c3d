"""Issue 5's changes page: the glossary at the last release tag against the work tree.

``changes page: glossary at tag`` reads terms/ at a release tag with
``glossary.versions.load_git`` (one ``git cat-file --batch`` for every file) after 1% of
the concept files changed since the tag; the peer is ``source.load_glossary`` reading
the same number of files from disk. Extra figures: the same read reusing the files
unchanged since the tag (what the page does), the whole page view (read + compare), and
what every build pays while the page is up to date (the tag lookup and the key).
"""

from __future__ import annotations

import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from synth import make_project
from timing import measure, with_peer

from glossary import loader, pipeline, source, versions
from glossary.config import load_settings
from glossary.site import pages
from glossary.site.changes_page import changes_pages, changes_view


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), "-c", "user.name=bench", "-c",
                    "user.email=bench@example.org", "-c", "commit.gpgsign=false", *args],
                   check=True, capture_output=True)


def _released(work: Path, size: int) -> Path:
    """A synthetic project committed and tagged v1.0, then 1% of its concepts edited."""
    dest = work / f"released-{size}"
    if (dest / ".git").is_dir():
        return dest
    shutil.rmtree(dest, ignore_errors=True)
    make_project(dest, size)
    (dest / ".gitignore").write_text("build/\n", encoding="utf-8")
    _git(dest, "init", "-q")
    _git(dest, "add", "-A")
    _git(dest, "commit", "-q", "-m", "release")
    _git(dest, "tag", "v1.0")
    files = sorted((dest / "terms").glob("concept-*.toml"))
    for path in files[:: 100]:
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace('text = "', 'text = "revised ', 1), encoding="utf-8")
    return dest


@dataclass
class ChangesAtTag:
    name: str = "changes page: glossary at tag"
    sizes: tuple[int, ...] = (1000, 10000)

    def run(self, size: int, work: Path, repeat: int) -> dict[str, Any]:
        project = _released(work, size)
        settings = load_settings(cwd=project)
        loaded = loader.load_valid(settings)
        ctx = pipeline.RenderContext(loaded.glossary, settings, loaded.revision)
        model = pages.site_model(ctx.glossary)
        baseline = versions.last_release(settings.root)
        assert baseline.release is not None
        commit = baseline.release.commit

        ours = measure(lambda: versions.load_git(settings.root, settings.terms_dir, commit),
                       repeat)
        peer = measure(lambda: source.load_glossary(settings.terms_dir), repeat)
        reuse = measure(lambda: versions.load_git(settings.root, settings.terms_dir, commit,
                                                 current=ctx.glossary), repeat)
        view = measure(lambda: changes_view(baseline, model, ctx), repeat)
        per_build = measure(lambda: list(changes_pages(model, ctx)), repeat)
        start = time.perf_counter()
        shown = changes_view(baseline, model, ctx)
        once = time.perf_counter() - start
        out = with_peer(ours, peer, "load_glossary from disk")
        out["x_reusing_unchanged_s"] = round(reuse["median_s"], 4)
        out["x_page_view_s"] = round(view["median_s"], 4)
        out["x_per_build_s"] = round(per_build["median_s"], 4)
        out["x_first_view_s"] = round(once, 4)
        out["x_concepts_changed"] = len(shown.concepts)
        return out


SCENARIOS = [ChangesAtTag()]
