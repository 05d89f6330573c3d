"""The Python API: the glossary as an object, and exports, without the command line.

``glossary.load("terms")`` reads ``terms/`` through the parse cache (as every command
does) and returns a :class:`Terms`: iterate it for the concepts, look a concept up by id
(``g["transparency"]``), by one of its terms (:meth:`Terms.find`) or search it like
``glossary search`` (:meth:`Terms.search`). ``glossary.export(g, "tbx", path, …)``
writes any export the CLI writes, with the same options and the same functions.
Nothing here imports click or prints.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from glossary import khmer, loader, selection
from glossary.config import Settings, load_settings
from glossary.formats.options import WriteOptions
from glossary.model import Concept, Glossary
from glossary.problems import Problem

if TYPE_CHECKING:
    from glossary.search import Found


@dataclass
class Terms:
    """A loaded glossary: ``glossary`` (the model), ``revision``, ``problems`` (what
    ``glossary check`` would report) and the settings it was read with."""

    glossary: Glossary
    revision: str
    problems: list[Problem]
    settings: Settings

    def __iter__(self) -> Iterator[Concept]:
        return iter(self.glossary.concepts)

    def __len__(self) -> int:
        return len(self.glossary.concepts)

    def __contains__(self, concept_id: object) -> bool:
        return isinstance(concept_id, str) and self.glossary.concept(concept_id) is not None

    def __getitem__(self, concept_id: str) -> Concept:
        concept = self.glossary.concept(concept_id)
        if concept is None:
            raise KeyError(concept_id)
        return concept

    def find(self, text: str, lang: str | None = None) -> Concept | None:
        """The concept that has ``text`` as a term (English in any case; Khmer whatever
        its zero-width spaces or sign order), in ``lang`` when given; None if none."""
        key = khmer.search_key(text)
        if not key:
            return None
        for concept in self.glossary.concepts:
            for code in (lang,) if lang else ("en", "km"):
                for term in concept.lang(code).terms:
                    if khmer.search_key(term.text) == key:
                        return concept
        return None

    def search(self, query: str, lang: str | None = None, limit: int = 20) -> Found:
        """What ``glossary search QUERY`` finds (the same matching and ranking as the
        site's search): ``.hits`` (each with ``.item.id``, ``.term.text``, ``.match``),
        ``.total``, and ``.suggestions`` when nothing matched."""
        from glossary import pipeline

        return pipeline.search(self.settings, query, lang=lang, limit=limit)


def load(terms: str | Path = "terms", *, build: str | Path | None = None,
         valid: bool = False) -> Terms:
    """Read a ``terms/`` directory. ``build``: where the parse cache and database go
    (default: the project's build/, else ``terms/../build``). ``valid``: raise
    :class:`~glossary.errors.ValidationFailed` when ``glossary check`` has errors."""
    terms_dir = Path(terms).resolve()
    build_dir = Path(build).resolve() if build is not None else terms_dir.parent / "build"
    settings = load_settings(cwd=terms_dir.parent, terms_dir=terms_dir, build_dir=build_dir)
    loaded = loader.load_valid(settings) if valid else loader.load(settings)
    return Terms(loaded.glossary, loaded.revision, list(loaded.problems), settings)


def export(g: Terms | Glossary, fmt: str, path: str | Path, *, approved_only: bool = False,
           min_review: str | None = None, domains: Iterable[str] = (),
           compendium: bool = False, tbx_version: int = 3) -> selection.Counts:
    """Write ``g`` as ``fmt`` (a registered format: tbx, csv, xlsx, json, po, mo,
    omegat, docx; :data:`glossary.formats.REGISTRY`) to the file ``path``,
    atomically, with the options of ``glossary export FMT``. Returns how many concepts
    and Khmer terms it holds (0 Khmer terms: nothing reached the review level). ``po``
    and ``mo`` write one catalog: all entries (``mo``: approved ones), those reviewed to
    the level asked, or with ``compendium`` keyed by the English term. ``domains``: only
    the concepts of these domains (an unknown id raises
    :class:`~glossary.errors.ConfigError`). A TBX that would hold no concept raises
    :class:`~glossary.errors.FormatError` (see :func:`glossary.exporting.refuse_empty`)."""
    glossary = g.glossary if isinstance(g, Terms) else g
    revision = g.revision if isinstance(g, Terms) else ""
    options = WriteOptions(revision=revision, approved_only=approved_only,
                           min_review=min_review, domains=tuple(domains),
                           compendium=compendium, tbx_version=tbx_version)
    from glossary import exporting, formats

    if fmt not in formats.REGISTRY:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(formats.REGISTRY)}")
    if fmt == "mo" and options.level is None:  # an MO holds approved terms unless asked
        options = replace(options, approved_only=True)
    return exporting.export_glossary(glossary, fmt, Path(path), options)
