"""The jinja2 side of the site: one Environment per interface language.

Autoescape is on for every template and undefined variables raise (StrictUndefined),
so a page can neither inject markup from the glossary nor silently print nothing.
A stock ``jinja2.Environment``: no private API of jinja2 or markupsafe is used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jinja2
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
from markupsafe import Markup, escape

from glossary.site.i18n import LANGUAGE_NAMES, Language, khmer_digits
from glossary.site.labels import LABELS, N_
from glossary.site.template_cache import DIRECTORY, TemplateCache
from glossary.site.views import PageInfo, SiteInfo
from glossary.site.writer import SiteError

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

_KHMER_RUN = re.compile(r"[\u1780-\u17ff\u19e0-\u19ff](?:[\s\u200b-\u200d]*"
                        r"[\u1780-\u17ff\u19e0-\u19ff])*")
_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9'’.,:;()/&\- ]*[A-Za-z0-9.)]|[A-Za-z]")


@dataclass(frozen=True, slots=True)
class NavItem:
    id: str
    path: str
    label: str


NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem("home", "index.html", N_("Home")),
    NavItem("browse", "browse.html", N_("Browse")),
    NavItem("domains", "domains/index.html", N_("Domains")),
    NavItem("documents", "documents/index.html", N_("Documents")),
    NavItem("approved", "approved.html", N_("Approved")),
    NavItem("print", "print.html", N_("Print")),
    NavItem("downloads", "downloads.html", N_("Downloads")),
    NavItem("search", "search.html", N_("Search")),
)
#: Shown in the navigation once a build produces ``changes.html`` (``build.EXTRA_PAGES``).
CHANGES_ITEM = NavItem("changes", "changes.html", N_("Changes"))


def _mark_runs(text: str | None, runs: re.Pattern[str], lang: str) -> Markup:
    """Escape ``text`` and wrap each match of ``runs`` in ``<span lang="LANG">``."""
    if not text:
        return Markup("")
    out: list[str] = []
    last = 0
    for m in runs.finditer(text):
        out.append(str(escape(text[last:m.start()])))
        out.append(f'<span lang="{lang}">{escape(m.group())}</span>')
        last = m.end()
    out.append(str(escape(text[last:])))
    return Markup("".join(out))


def mark_khmer(text: str | None) -> Markup:
    """Escape ``text`` and wrap each run of Khmer in ``<span lang="km">``, for free text
    of unknown language (notes, names, titles) shown on an English page."""
    return _mark_runs(text, _KHMER_RUN, "km")


def mark_latin(text: str | None) -> Markup:
    """Escape ``text`` and wrap each run of Latin text in ``<span lang="en">``, for free
    text of unknown language (names, notes, titles) shown on a Khmer page."""
    return _mark_runs(text, _LATIN_RUN, "en")


class FoldTranslations(Extension):
    """Translate ``_("literal")`` once, when a template is compiled.

    Each interface language has its own Environment, so a call with a constant string
    and no variables always gives the same text: the lexer's tokens ``_ ( "…" )`` are
    replaced by the translated string, and rendering a page no longer calls gettext
    for it. Calls with variables (``_("…%(n)s", n=…)``) stay as they are.
    """

    def filter_stream(self, stream: TokenStream) -> TokenStream | list[Token]:
        translate = getattr(self.environment, "glossary_gettext", None)
        if translate is None:
            return stream
        tokens = list(stream)
        out: list[Token] = []
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            if (tok.type == "name" and tok.value == "_" and i + 3 < len(tokens)
                    and tokens[i + 1].type == "lparen" and tokens[i + 2].type == "string"
                    and tokens[i + 3].type == "rparen"):
                # newstyle gettext always %-formats, so "%%" in a message means "%"
                text = translate(tokens[i + 2].value) % {}
                out.append(Token(tok.lineno, "string", text))
                i += 4
                continue
            out.append(tok)
            i += 1
        return out


class Chrome:
    """Header, navigation and footer, rendered once per (depth, navigation item) and
    reused by every page like it: most pages of a site share a handful of variants."""

    def __init__(self, env: jinja2.Environment) -> None:
        self.env = env
        self._cache: dict[tuple[str, str, str], tuple[Markup, ...]] = {}

    def __call__(self, page: PageInfo) -> tuple[Markup, ...]:
        key = (page.base, page.root, page.nav)
        parts = self._cache.get(key)
        if parts is None:
            html = self.env.get_template("chrome.html").render(page=page)
            parts = tuple(Markup(p.strip("\n")) for p in html.split("<!--cut-->"))
            self._cache[key] = parts
        return parts


class _Labels(dict[str, str]):
    """Translated labels of one kind; an unknown value is shown as it is."""

    def __missing__(self, key: str) -> str:
        return key


def make_environment(language: Language, *, has_changes: bool = False,
                     site: SiteInfo | None = None,
                     cache_dir: Path | None = None) -> jinja2.Environment:
    """The Environment of one interface language; with ``cache_dir``, the templates it
    compiles are kept there between builds (:mod:`glossary.site.template_cache`)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n", FoldTranslations],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        cache_size=-1,
        bytecode_cache=(TemplateCache(cache_dir / DIRECTORY, language.code,
                                      language.catalog_digest)
                        if cache_dir is not None else None),
    )
    env.glossary_gettext = language.gettext  # type: ignore[attr-defined]
    env.install_gettext_translations(language.translations, newstyle=True)  # type: ignore[attr-defined]
    items = NAV_ITEMS + ((CHANGES_ITEM,) if has_changes else ())
    env.globals.update(
        chrome=Chrome(env),
        # T.review["approved"] is the translated label of a value of the model
        T=SimpleNamespace(**{kind: _Labels({k: language.gettext(v) for k, v in table.items()})
                             for kind, table in LABELS.items()}),
        language_names=LANGUAGE_NAMES,
        nav_items=tuple(NavItem(i.id, i.path, language.gettext(i.label)) for i in items),
        site=site or SiteInfo(),
        long_date=language.long_date(),
    )
    env.filters["date"] = language.format_date
    env.filters["number"] = language.format_number
    if language.code == "en":
        env.filters["km"] = mark_khmer
        env.filters["digits"] = lambda value: "" if value is None else str(value)
    else:  # the whole page is Khmer already: mark the English in it
        env.filters["km"] = mark_latin
        env.filters["digits"] = lambda value: "" if value is None else khmer_digits(str(value))
    return env


class Renderer:
    """Render page views with the Environment of each page's language."""

    def __init__(self, languages: dict[str, Language], *, has_changes: bool = False,
                 site: SiteInfo | None = None, cache_dir: Path | None = None) -> None:
        self.envs = {code: make_environment(lang, has_changes=has_changes, site=site,
                                            cache_dir=cache_dir)
                     for code, lang in languages.items()}

    def render_rows(self, page: PageInfo, rows: list[Any]) -> str:
        """The rows of a print page (``print_rows.html``), each followed by its marker."""
        rows_page = PageInfo("print_rows.html", page.path, page.lang, page.nav)
        return self.render(rows_page, None, rows=rows)

    def render(self, page: PageInfo, view: Any, **context: Any) -> str:
        env = self.envs[page.lang]
        try:
            template = env.get_template(page.template)
            return template.render(page=page, view=view, **context)
        except (jinja2.TemplateError, AttributeError) as exc:
            path, line = _template_line(exc)
            hint = None
            if isinstance(exc, AttributeError):
                hint = "a template uses an attribute its view does not have"
            elif isinstance(exc, jinja2.UndefinedError):
                hint = "a template uses a variable its page does not have"
            raise SiteError(f"cannot render {page.out_path}: {exc}",
                            path=getattr(exc, "filename", None) or path or page.template,
                            line=getattr(exc, "lineno", None) or line, hint=hint) from exc


def _template_line(exc: BaseException) -> tuple[str | None, int | None]:
    """The template file and line where ``exc`` was raised (jinja2 rewrites the
    traceback of an error in a template to the template's own lines)."""
    tb = exc.__traceback__
    where: tuple[str | None, int | None] = (None, None)
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith(".html"):
            where = (name, tb.tb_lineno)
        tb = tb.tb_next
    return where


def template_files() -> list[Path]:
    return sorted(p for p in TEMPLATES.rglob("*") if p.is_file())


def static_files() -> list[Path]:
    return sorted(p for p in STATIC.rglob("*") if p.is_file() and p.name != ".gitkeep")
