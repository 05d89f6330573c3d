"""The static bilingual site (``build/site/``): see :mod:`glossary.site.build`.

``render_report`` is the ``site`` renderer registered in ``glossary.pipeline.RENDERERS``.
jinja2 and babel are imported only when the site is built.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def render_report(ctx: Any) -> tuple[list[Path], str]:
    """The site folder and what the build did: ``4 files written, 20146 unchanged``."""
    from glossary.site.build import build_site

    report = build_site(ctx)
    stats = report.stats
    summary = f"{len(stats.written)} files written, {stats.unchanged + stats.skipped_render} " \
              "unchanged"
    if stats.removed:
        summary += f", {len(stats.removed)} removed"
    return [report.root], summary


__all__ = ["render_report"]
