"""The jinja2 side of the site: one Environment per interface language.

Autoescape is on for every template and undefined variables raise (StrictUndefined),
so a page can neither inject markup from the glossary nor silently print nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from glossary.site.i18n import LANGUAGE_NAMES, Language
from glossary.site.labels import N_, label
from glossary.site.views import PageInfo
from glossary.site.writer import SiteError

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

_KHMER_RUN = re.compile(r"[\u1780-\u17ff\u19e0-\u19ff](?:[\s\u200b-\u200d]*"
                        r"[\u1780-\u17ff\u19e0-\u19ff])*")


@dataclass(frozen=True, slots=True)
class NavItem:
    id: str
    path: str
    label: str


NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem("home", "index.html", N_("Home")),
    NavItem("browse", "browse.html", N_("Browse")),
    NavItem("documents", "documents/index.html", N_("Documents")),
    NavItem("print", "print.html", N_("Print")),
    NavItem("search", "search.html", N_("Search")),
)
#: Issue 5's page of changes between revisions; shown in the navigation once a build
#: produces it (see ``glossary.site.build.EXTRA_PAGES``).
CHANGES_ITEM = NavItem("changes", "changes.html", N_("Changes"))


def mark_khmer(text: str | None) -> Markup:
    """Escape ``text`` and wrap each run of Khmer in ``<span lang="km">``, for free text
    of unknown language (notes, names, titles) shown on an English page."""
    if not text:
        return Markup("")
    out: list[str] = []
    last = 0
    for m in _KHMER_RUN.finditer(text):
        out.append(str(escape(text[last:m.start()])))
        out.append(f'<span lang="km">{escape(m.group())}</span>')
        last = m.end()
    out.append(str(escape(text[last:])))
    return Markup("".join(out))


def make_environment(language: Language, *, has_changes: bool = False) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        cache_size=-1,
    )
    env.install_gettext_translations(language.translations, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        label=label,
        language_names=LANGUAGE_NAMES,
        nav_items=NAV_ITEMS + ((CHANGES_ITEM,) if has_changes else ()),
    )
    env.filters["date"] = language.format_date
    env.filters["number"] = language.format_number
    if language.code == "en":
        env.filters["km"] = mark_khmer
    else:  # the whole page is Khmer already
        env.filters["km"] = lambda text: escape(text or "")
    return env


class Renderer:
    """Render page views with the Environment of each page's language."""

    def __init__(self, languages: dict[str, Language], *, has_changes: bool = False) -> None:
        self.envs = {code: make_environment(lang, has_changes=has_changes)
                     for code, lang in languages.items()}

    def render(self, page: PageInfo, view: Any) -> str:
        env = self.envs[page.lang]
        try:
            template = env.get_template(page.template)
            return template.render(page=page, view=view)
        except jinja2.TemplateError as exc:
            where = getattr(exc, "filename", None) or page.template
            raise SiteError(f"cannot render {page.out_path}: {exc}",
                            path=where, line=getattr(exc, "lineno", None),
                            hint="a template uses a variable its page does not have"
                            if isinstance(exc, jinja2.UndefinedError) else None) from exc


def template_files() -> list[Path]:
    return sorted(p for p in TEMPLATES.rglob("*") if p.is_file())


def static_files() -> list[Path]:
    return sorted(p for p in STATIC.rglob("*") if p.is_file() and p.name != ".gitkeep")
