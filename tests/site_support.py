"""Helpers for the site tests: projects made from tests/data, built with the real code."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

from glossary import pipeline
from glossary.config import load_settings

DATA = Path(__file__).resolve().parent / "data"
MINI = DATA / "mini"
SITE_DATA = DATA / "site"
GOLDEN = DATA / "site-golden"
PYPROJECT = '[tool.glossary]\nterms = "terms"\nbuild = "build"\nlocale = "locale"\n'


def make_project(dest: Path, *extra: str, base: Path | None = MINI / "terms") -> Path:
    """A project in ``dest``: the mini glossary (or none) plus tests/data/site/<extra>."""
    terms = dest / "terms"
    if base is not None:
        shutil.copytree(base, terms)
    terms.mkdir(parents=True, exist_ok=True)
    for name in extra:
        for path in sorted((SITE_DATA / name).glob("*.toml")):
            shutil.copy(path, terms / path.name)
    (dest / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    return dest


def build_site(project: Path) -> Path:
    settings = load_settings(cwd=project)
    pipeline.build(settings, ("site",))
    return settings.build_dir / "site"


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def clean_site(project: Path, where: Path) -> dict[str, bytes]:
    """The site a clean build of ``project`` (its files but build/) writes, built in
    ``where`` (emptied first)."""
    shutil.rmtree(where, ignore_errors=True)
    shutil.copytree(project, where, ignore=shutil.ignore_patterns("build"))
    return tree(build_site(where))


def edit_terms(project: Path, edit: dict[str, tuple[str, str]]) -> None:
    """In the file of each concept named, the term text ``old`` made ``new``
    (``edit``: concept id → (old, new))."""
    for cid, (old, new) in edit.items():
        path = project / "terms" / f"{cid}.toml"
        text = path.read_text("utf-8")
        assert f'text = "{old}"' in text
        path.write_text(text.replace(f'text = "{old}"', f'text = "{new}"', 1), "utf-8")


def html_pages(root: Path) -> list[Path]:
    return sorted(root.rglob("*.html"))


class Element:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Element | None) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Element | str] = []

    def lang(self) -> str | None:
        node: Element | None = self
        while node is not None:
            if "lang" in node.attrs:
                return node.attrs["lang"]
            node = node.parent
        return None

    def iter(self):  # every element below, depth first
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.iter()

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)


VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                  "source", "track", "wbr"})


class Tree(HTMLParser):
    """A small DOM from html.parser: enough to check attributes and text placement."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {}, None)
        self.current = self.root
        self.texts: list[tuple[str, Element]] = []

    def handle_starttag(self, tag, attrs):
        el = Element(tag, dict(attrs), self.current)
        self.current.children.append(el)
        if tag not in VOID:
            self.current = el

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Element(tag, dict(attrs), self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)
        self.texts.append((data, self.current))


def parse(path: Path) -> Tree:
    parser = Tree()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


KHMER = re.compile("[\u1780-\u17ff\u19e0-\u19ff]")
