"""The static bilingual site (``build/site/``): see :mod:`glossary.site.build`.

``render`` is the ``site`` renderer registered in ``glossary.pipeline.RENDERERS``.
jinja2 and babel are imported only when the site is built.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def render(ctx: Any) -> list[Path]:
    from glossary.site.build import render as _render

    return _render(ctx)


def build_site(ctx: Any, *, incremental: bool = True) -> Any:
    from glossary.site.build import build_site as _build_site

    return _build_site(ctx, incremental=incremental)


__all__ = ["build_site", "render"]
