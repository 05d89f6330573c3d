"""File formats, one module each, and the REGISTRY everything else is generated from.

Each format module has ``write(glossary, out: BinaryIO, options: WriteOptions) -> None``
and, when :attr:`Format.readable` with ``reads="records"``, ``read(path, options:
ReadOptions) -> ReadResult`` (the incoming records of :mod:`glossary.imports.records`).
``glossary export NAME`` and ``glossary import NAME`` (``glossary.cli.exporting`` and
``glossary.cli.importing``) and the targets of ``glossary build``
(``pipeline.RENDERERS``) are generated from :data:`REGISTRY`; modules are imported
only when used (:func:`load`), so ``glossary --help`` stays fast.

Adding a format: write ``glossary/formats/NAME.py`` with ``write`` (and ``read``), add
one :class:`Format` line below, document it in docs/exchange.md and give it a round
trip in tests/test_registry.py.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType

from glossary.formats.options import ReadOptions, WriteOptions

__all__ = ["REGISTRY", "TITLE", "Format", "ReadOptions", "WriteOptions", "get", "load"]

#: What the files the formats write call the glossary (TBX title, PO header comment).
TITLE = "Khmer–English glossary of AI governance terms"


@dataclass(frozen=True)
class Format:
    """One file format: what it is called, where its code lives, what it can do."""

    name: str  # the subcommand: glossary export NAME / glossary import NAME
    module: str  # the module with write() (and read())
    description: str  # one line, for --help and docs
    extensions: tuple[str, ...]  # file name endings, the first is the usual one
    readable: bool = False  # glossary import NAME exists
    target: str | None = None  # the file glossary build writes in build/, or None
    binary: bool = True  # False: UTF-8 text
    # how an import of it is planned: "records" (whole concepts, glossary.imports.plan),
    # "proposals" (Khmer terms for English terms, glossary.imports.proposals: a PO)
    reads: str = "records"
    # a build target that writes more than the one file: "module:function" (ctx) -> paths
    renderer: str | None = None
    # a file of no entry is not valid (TBX: a body of one or more conceptEntry), so an
    # export that would hold none is refused and the build leaves the file out
    needs_an_entry: bool = False


REGISTRY: dict[str, Format] = {f.name: f for f in (
    Format("po", "glossary.formats.po", "Gettext PO catalogs of the Khmer terms, for "
           "translators", (".po", ".pot"), readable=True, target="km/glossary.po",
           binary=False, reads="proposals", renderer="glossary.locale_catalogs:render_po"),
    Format("mo", "glossary.formats.mo", "A compiled gettext catalog of the approved Khmer "
           "terms", (".mo",), target="glossary.km.mo"),
    Format("tbx", "glossary.formats.tbx", "TBX-Basic (ISO 30042:2019) for CAT tools",
           (".tbx",), readable=True, target="glossary.tbx", binary=False,
           needs_an_entry=True),
    Format("csv", "glossary.formats.csv", "One row per term, UTF-8 with a BOM",
           (".csv",), readable=True, target="glossary.csv", binary=False),
    Format("xlsx", "glossary.formats.xlsx", "The CSV table as an Excel workbook",
           (".xlsx",), readable=True, target="glossary.xlsx"),
    Format("json", "glossary.formats.jsonfmt", "The whole glossary as one JSON document",
           (".json",), target="glossary.json", binary=False),
    Format("omegat", "glossary.formats.omegat", "An OmegaT glossary: UTF-8 text, one line "
           "per term pair, source<TAB>target<TAB>comment", (".txt", ".utf8"), readable=True,
           binary=False),
    Format("docx", "glossary.formats.docx", "A Word document of the glossary, English–Khmer "
           "with a Khmer index, to edit and print", (".docx",)),
)}


def get(name: str) -> Format:
    """The format called ``name``; KeyError names the ones there are."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown format {name!r} (use {', '.join(REGISTRY)})") from None


def load(name: str) -> ModuleType:
    """The module of format ``name``, imported now."""
    return importlib.import_module(get(name).module)
