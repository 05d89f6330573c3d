"""The build pipeline: load → validate → store → render, and the read-only queries
the CLI needs (check, search, stats, export). Commands call one function here."""

from __future__ import annotations

import dataclasses
import functools
import importlib
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from glossary import formats, khmer, loader, source, store, validate
from glossary.config import Settings
from glossary.errors import ConfigError
from glossary.lock import build_lock, remove_stale_temporaries, terms_lock, terms_read_lock
from glossary.model import Glossary, SourceRef
from glossary.output import cannot_write, from_os_error, write_text
from glossary.outputs_state import OutputState, input_key
from glossary.problems import Problem
from glossary.search import Found, Index, find, index_items
from glossary.source.fix import Fixed
from glossary.source.fix import fix_terms as fix_folder
from glossary.stats import Stats, compute


@dataclass(frozen=True)
class RenderContext:
    """What a renderer gets: the validated glossary and where to write. ``digests``:
    concept id → digest of its file (what an incremental output compares);
    ``untouched``: the target's files are as the last build left them (nobody edited
    them since), so it may update them in place."""

    glossary: Glossary
    settings: Settings
    revision: str
    digests: Mapping[str, str] = field(default_factory=dict)
    untouched: bool = False
    #: the loaded terms/ (``loader.Loaded``) the glossary comes from: its files' digests
    #: let outputs reuse the pieces of unchanged concepts (:mod:`glossary.piece_store`)
    loaded: Any = None
    #: what ``loaded`` tells an export (``exporting.Known``), worked out once per build
    known: Any = None


# Each output of `glossary build`: a name and "module:function" taking a RenderContext
# and returning the paths it wrote (or the paths and a one-line summary of what it did).
# Imported lazily so `glossary --help` stays fast. Generated: the database, every
# registered format with a build target (its own renderer, or the registry's write into
# build/<target>), then the site.
GENERIC_RENDERER = "glossary.exporting:render_target"
RENDERERS: dict[str, str] = {
    "db": "glossary.pipeline:render_database",
    **{f.name: f.renderer or GENERIC_RENDERER for f in formats.REGISTRY.values() if f.target},
    # the files other tools take (TBX v2, OmegaT, compendium) and the approved-only ones
    "tools": "glossary.exporting:render_tools",
    "approved": "glossary.exporting:render_approved",
    # last: the site's Downloads page copies the files written above
    "site": "glossary.site:render_report",
}
TARGETS: tuple[str, ...] = tuple(RENDERERS)
#: Targets that keep track of their own pages (and of inputs besides terms/: templates,
#: interface catalogs, release tags): always run, they skip what is unchanged themselves.
SELF_INCREMENTAL = frozenset({"site"})

Rendered = list[Path] | tuple[list[Path], str]


def render_database(ctx: RenderContext) -> list[Path]:
    """The database: updated in place when only some concepts changed (their file's
    digest), else built whole (:func:`store.write_database`)."""
    build_key = input_key("db-rows", "", str(ctx.settings.fold_coeng_da),
                          str(store.SCHEMA_VERSION))
    store.write_database(ctx.glossary, ctx.settings.db_path, revision=ctx.revision,
                         digests=ctx.digests, build_key=build_key, in_place=ctx.untouched)
    return [ctx.settings.db_path]


def _render(name: str, ctx: RenderContext) -> Rendered:
    """Run one renderer; a write that fails (disk full, read-only file system, no
    permission) is an :class:`OutputError` naming the file, never a traceback. Every
    renderer replaces its files atomically, so the old outputs stay as they were."""
    import sqlite3

    try:
        return _renderer(name)(ctx)
    except OSError as exc:
        raise from_os_error(exc, exc.filename or ctx.settings.build_dir) from None
    except sqlite3.Error as exc:  # "database or disk is full", "readonly database"
        raise cannot_write(ctx.settings.db_path, str(exc),
                           "free some space, or check that build/ is writable") from None


def _renderer(name: str) -> Callable[[RenderContext], Rendered]:
    module_name, _, func = RENDERERS[name].partition(":")
    function = getattr(importlib.import_module(module_name), func)
    if RENDERERS[name] == GENERIC_RENDERER:
        return functools.partial(function, name=name)
    return function


@dataclass(frozen=True)
class TargetResult:
    """One target of a build: the files it stands for and what the build did to them
    (``written``, ``unchanged``, or the target's own summary)."""

    name: str
    paths: tuple[Path, ...]
    status: str
    cpu: float = 0.0  # seconds of CPU this target took (``glossary build --timings``)
    wall: float = 0.0  # seconds of wall-clock time


@dataclass
class BuildReport:
    concepts: int
    terms: int
    problems: list[Problem]
    outputs: list[Path] = field(default_factory=list)
    revision: str = ""
    targets: list[TargetResult] = field(default_factory=list)
    load_cpu: float = 0.0  # reading and checking terms/: seconds of CPU
    load_wall: float = 0.0  # ... and of wall-clock time


def build(
    settings: Settings,
    targets: Sequence[str] | None = None,
    *,
    strict: bool = False,
    progress: loader.Progress | None = None,
) -> BuildReport:
    """Load and check terms/ (through the parse cache), then write the outputs in
    ``targets`` (default: all), one after the other."""
    targets = tuple(RENDERERS) if not targets else tuple(targets)
    unknown = sorted(set(targets) - set(RENDERERS))
    if unknown:
        raise ConfigError(f"unknown build target(s): {', '.join(unknown)}",
                          hint="choose from " + ", ".join(RENDERERS))
    results: list[TargetResult] = []
    try:
        settings.build_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise from_os_error(exc, exc.filename or settings.build_dir) from None
    with build_lock(settings.build_dir), terms_read_lock(settings.terms_dir):
        from glossary.site.writer import left_no_temporaries

        site = settings.build_dir / "site"  # walked only when a build stopped writing it
        remove_stale_temporaries(settings.build_dir, skip=[site] if left_no_temporaries(
            site, settings.cache_dir) else [])
        cpu, wall = time.process_time(), time.perf_counter()
        loaded = loader.load_valid(settings, strict=strict, progress=progress)
        load_cpu, load_wall = time.process_time() - cpu, time.perf_counter() - wall
        from glossary.exporting import Known

        known = Known.of(loaded, settings)
        digests = known.source.digests if known.source is not None else {
            f.concept.id: f.digest for f in loaded.result.files if f.concept}
        ctx = RenderContext(loaded.glossary, settings, loaded.revision, digests,
                            loaded=loaded, known=known)
        state = OutputState.load(settings.cache_dir)
        for name in RENDERERS:
            if name in targets:
                results.append(_build_target(name, ctx, state))
        state.save()
    glossary = loaded.glossary
    terms = sum(len(c.en.terms) + len(c.km.terms) for c in glossary.concepts)
    outputs = [path for result in results for path in result.paths]
    return BuildReport(len(glossary.concepts), terms, loaded.problems, outputs, loaded.revision,
                       results, load_cpu, load_wall)


def _build_target(name: str, ctx: RenderContext, state: OutputState) -> TargetResult:
    """Write one target, unless it is up to date: same input key, files untouched."""
    cpu, wall = time.process_time(), time.perf_counter()
    key = input_key(name, ctx.revision, str(ctx.settings.fold_coeng_da))
    current = None if name in SELF_INCREMENTAL else state.up_to_date(name, key)
    if current is not None:
        paths, status = current, "unchanged"
    else:
        untouched = state.untouched(name) is not None
        state.forget(name)  # until it is written whole
        rendered = _render(name, dataclasses.replace(ctx, untouched=untouched))
        paths, status = rendered if isinstance(rendered, tuple) else (rendered, "written")
        if name not in SELF_INCREMENTAL:
            state.record(name, key, paths)
    return TargetResult(name, tuple(paths), status, time.process_time() - cpu,
                        time.perf_counter() - wall)


def search(
    settings: Settings, query: str, *, lang: str | None = None, limit: int = 20
) -> Found:
    """Search terms/ with :mod:`glossary.search`, the same matching and ranking as the
    site's search page. ``lang`` orders ties (default: the query's script)."""
    if lang is None:
        lang = "km" if khmer.has_khmer(query) else "en"
    return find(Index(index_items(loader.load(settings).glossary)), query, lang=lang,
                limit=limit)


def stats(settings: Settings) -> Stats:
    return compute(loader.load(settings).glossary)


def new_concept(
    settings: Settings, concept_id: str, en: str, km: str | None, sources: Sequence[str],
    domains: Sequence[str] = (), definition: str | None = None,
    definition_km: str | None = None, by: str | None = None,
) -> Path:
    """Write ``terms/<concept_id>.toml`` for a new concept (``glossary new``): its terms
    and definitions are proposals, of ``by`` when given, dated today."""
    why = validate.id_problem(concept_id)
    if why:
        raise ConfigError(f"concept id {concept_id!r} {why}",
                          hint="use lowercase letters, digits and hyphens, e.g. training-data")
    source.concept_paths(settings.terms_dir)  # raises a clear error when terms/ is missing
    path = settings.terms_dir / f"{concept_id}.toml"
    refs = [_source_option(item) for item in sources]
    from glossary.imports import clean
    from glossary.source.new import render_new_concept

    fold = settings.fold_coeng_da
    en = clean.term(en, clean.Where(None, None, "--en"), fold)
    km = clean.khmer_term(km, clean.Where(None, None, "--km"), fold) if km else km
    if definition:
        definition = clean.text(definition, clean.Where(None, None, "--definition"), fold)
    if definition_km:
        where = clean.Where(None, None, "--definition-km")
        definition_km = clean.text(definition_km, where, fold)
        clean.lost_letters(definition_km, where)
    if by is not None:
        by = clean.person(by, "--by needs the proposer's name")
    if not en:
        raise ConfigError("--en is empty once invisible characters are removed",
                          hint="give the English term")
    text = render_new_concept(concept_id, en, km or None, refs, list(domains), definition,
                              definition_km or None, by, date.today(), fold_coeng_da=fold)
    _refuse_unknown_references(settings, path, text)
    with terms_lock(settings.terms_dir, f"new {concept_id}"):
        if path.exists() or path.is_symlink():
            raise ConfigError(f"concept {concept_id!r} already exists", path=path,
                              hint="edit that file, or choose another id")
        write_text(path, text)
    return path


def fix_terms(settings: Settings) -> list[Fixed]:
    """``glossary check --fix``: :func:`glossary.source.fix.fix_terms` under the terms/
    lock (an import or a review decision is not writing the same files)."""
    source.concept_paths(settings.terms_dir)  # a clear error when terms/ is missing
    with terms_lock(settings.terms_dir, "check --fix"):
        return fix_folder(settings.terms_dir, settings.fold_coeng_da)


def _source_option(item: str) -> SourceRef:
    """A ``--source``: DOC:SECTION, or a reference as the glossary writes it (``DOC §SECTION``,
    with ``, p. N`` when known: the form of the site and of a CSV's sources column)."""
    from glossary.imports.records import parse_ref

    ref = parse_ref(item)
    if ref is not None:
        return ref
    doc, sep, section = (part.strip() for part in item.partition(":"))
    if not sep or not doc or not section:
        raise ConfigError(f"bad --source {item!r}", hint="write DOC:SECTION or DOC §SECTION, "
                          "e.g. asean-guide-2024:B.2")
    return SourceRef(doc, section)


def terms_in_use(settings: Settings, concept_id: str,
                 texts: Sequence[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """The concepts other than ``concept_id`` that already have one of ``texts`` ((lang,
    text) pairs) as a term, compared as search compares them, as (concept id, lang,
    text): ``glossary new`` names them, so a second concept for the same idea is seen
    when it is made, not found later as a ``homonym`` error."""
    wanted = {(lang, khmer.search_key(text)) for lang, text in texts if text}
    found = []
    for concept in loader.load(settings).glossary.concepts:
        if concept.id == concept_id:
            continue
        for lang in ("en", "km"):
            for term in concept.lang(lang).terms:
                if (lang, khmer.search_key(term.text)) in wanted:
                    found.append((concept.id, lang, term.text))
    return found


#: What ``glossary new`` refuses before writing: a typo in --source or --domain, which
#: would make a file that ``glossary check`` fails.
_REFERENCE_CODES = frozenset({"unknown-document", "unknown-section", "unknown-domain"})


def _refuse_unknown_references(settings: Settings, path: Path, text: str) -> None:
    """Check the new concept's text against the registry as ``glossary check`` would,
    and raise for a document, section or domain it does not have."""
    documents, domains, _ = source.load_registry(settings.terms_dir)
    concept, problems, fields = source.concept_from_data(
        path, source.parse_toml(path, text), settings.fold_coeng_da)
    loaded = source.LoadedFile(path.parent, path.name, concept, problems, fields, text)
    for problem in validate.file_problems(loaded, Glossary(documents=documents,
                                                           domains=domains)):
        if problem.code in _REFERENCE_CODES:
            option = "--domain" if problem.code == "unknown-domain" else "--source"
            raise ConfigError(f"{option}: {problem.message}", hint=problem.hint)
