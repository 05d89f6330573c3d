"""One export: load terms/ (checked) → the terms reviewed to the level asked
(:func:`glossary.selection.select`, the same rule for every format) → the format's
``write`` (from the registry) → a file written atomically, or a binary stream. Also the
build target of every registered format that has one (``pipeline.RENDERERS`` is
generated from the registry), and the targets ``tools`` and ``approved``.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import IO, Any

from glossary import formats, piece_store, selection, unsafe
from glossary.errors import FormatError
from glossary.formats.options import WriteOptions
from glossary.kept_blocks import KeptBlocks
from glossary.model import Glossary
from glossary.output import writer

XML_FORMATS = ("tbx", "xlsx", "docx")
#: The formats whose whole file is their pieces (head, pieces, tail), written through the
#: piece store. A PO compendium is too (``po.CompendiumPieces``).
WHOLE_FILE_PIECES = frozenset({"tbx", "csv", "json", "omegat", "po"})
#: Formats whose pieces make a part that a function of the module then wraps: XLSX's
#: pieces are its worksheet, which ``xlsx.package(part, lengths, keys, kept)`` zips
#: into the workbook, with the deflated blocks of unchanged pieces kept between runs
#: (:mod:`glossary.kept_blocks`).
WRAPPED_PIECES = {"xlsx": "package"}
#: The problems of ``check`` that every character XML cannot hold has (validate's
#: ``check_text`` and ``check_xml_chars``): only concepts with one are looked at.
CHARACTER_CODES = frozenset({"control-char", "unsafe-char"})


@dataclass(frozen=True)
class Known:
    """What a loaded ``terms/`` already tells an export: where its pieces are kept
    (:mod:`glossary.piece_store`) and which concepts' files have a character problem
    (the only ones :func:`refuse_unsafe` has to look at)."""

    source: piece_store.Source | None
    flagged: frozenset[str]

    @classmethod
    def of(cls, loaded: Any, settings: Any) -> Known:
        flagged: frozenset[str] = frozenset()
        paths = {p.path for p in loaded.problems if p.code in CHARACTER_CODES}
        if paths:  # which concepts those files hold (none on a clean glossary)
            flagged = frozenset(f.concept.id for f in loaded.result.files
                                if f.concept is not None and f.path in paths)
        return cls(piece_store.Source.of(loaded, settings.cache_dir), flagged)


def refuse_unsafe(name: str, glossary: Glossary, known: Known | None = None) -> None:
    """TBX, XLSX and DOCX are XML: a character XML cannot hold (a C0 control, U+FFFE,
    U+FFFF) is refused with its concept and field, before anything is written. With ``known``
    (a glossary loaded from terms/), only the concepts whose files ``check`` flagged
    for such a character are looked at: nothing to do on a clean glossary."""
    if name not in XML_FORMATS:
        return
    concepts: Any = glossary.concepts
    if known is not None:
        if not known.flagged:
            return
        concepts = [c for c in concepts if c.id in known.flagged]
    found = unsafe.first_not_xml(concepts)
    if found is not None:
        concept, field, char = found
        raise FormatError(f"{field}: contains {unsafe.name(char)}, which {name.upper()} "
                          "(XML) cannot hold", path=f"terms/{concept}.toml",
                          hint="remove it; `glossary check` lists every such character")


def has_entries(name: str, glossary: Glossary) -> bool:
    """Whether format ``name`` can write ``glossary``: a TBX file needs one concept entry
    at least (ISO 30042's core structure and TBX v2 both refuse an empty body)."""
    return bool(glossary.concepts) or not formats.get(name).needs_an_entry


def refuse_empty(name: str, glossary: Glossary, level: str | None) -> None:
    """An export that would write a file of no entry in a format that needs one (see
    :func:`has_entries`) is refused before anything is written."""
    if has_entries(name, glossary):
        return
    why = (f"no concept has a Khmer term that is {level}" if level
           else "the glossary has no concept")
    raise FormatError(
        f"nothing written: {why}, and a {name.upper()} file needs at least one entry",
        hint="approve terms with `glossary review approve CONCEPT --by NAME`, or export "
        "proposals with --min-review proposed" if level else "add concepts to terms/")


def _slot(name: str, options: WriteOptions) -> str:
    """The piece store's slot of an output: the format and the options that change its
    pieces (not the revision, which only a head carries)."""
    return piece_store.slot_name(name, options.approved_only, options.min_review,
                                 options.compendium, options.tbx_version)


def write(name: str, glossary: Glossary, out: IO[bytes],
          options: WriteOptions | None = None, known: Known | None = None,
          record: bytes | None = None) -> None:
    """Serialize ``glossary`` as format ``name`` to a binary stream; with ``known``,
    through the piece store when the format is cut into pieces (``record``: what to
    remember with the output's manifest, for :func:`replay`)."""
    options = options or WriteOptions()
    refuse_unsafe(name, glossary, known)
    module = formats.load(name)
    make = getattr(module, "pieces", None) if (
        name in WHOLE_FILE_PIECES or name in WRAPPED_PIECES) else None
    if make is None or known is None or known.source is None:
        module.write(glossary, out, options)
        return
    if name in WRAPPED_PIECES:  # the part through the store, then the module wraps it
        slot = _slot(name, options)
        part, stored = piece_store.joined(make(glossary, options), glossary.concepts,
                                          known.source, slot)
        kept = KeptBlocks(known.source.cache_dir, slot, stored.key)
        out.writelines(getattr(module, WRAPPED_PIECES[name])(
            part, stored.lengths, stored.keys, kept))
        kept.save()
        return
    concepts = glossary.concepts
    if name == "po":  # the catalog selects by itself (see formats.po.write)
        concepts = selection.select(glossary, options.level).concepts
    slot = _slot(name, options)
    manifest = None
    if record is not None:
        manifest = (manifest_id(known.source.parse_key, slot, options), record)
    piece_store.write(make(glossary, options), concepts, out, known.source, slot, manifest)


def write_file(name: str, glossary: Glossary, path: Path,
               options: WriteOptions | None = None, known: Known | None = None,
               record: bytes | None = None, *, durable: bool = True) -> Path:
    """Write by the one output rule (:mod:`glossary.output`): a regular file atomically
    (an interrupted export leaves the previous file whole), a symbolic link's target,
    a device or FIFO written through, a directory refused. ``durable``: flushed to disk
    first (False: a build output, see :func:`glossary.output.writer`)."""
    with writer(path, durable=durable) as handle:
        write(name, glossary, handle, options, known, record)
    return path


def export_glossary(glossary: Glossary, name: str, output: Path | IO[bytes],
                    options: WriteOptions | None = None, known: Known | None = None
                    ) -> selection.Counts:
    """Select the terms ``options`` ask for, then write format ``name`` to a path
    (atomically) or a binary stream. Returns what was written (0 Khmer terms: the caller
    warns)."""
    options = options or WriteOptions()
    if options.domains:  # a part, made whole each time: it leaves the store to the build
        glossary, known = selection.in_domains(glossary, options.domains), None
    chosen = selection.select(glossary, options.level)
    refuse_empty(name, chosen, options.level)
    counts = selection.count(chosen)
    record = json.dumps(asdict(counts)).encode() if known is not None else None
    if isinstance(output, Path):
        write_file(name, chosen, output, options, known, record)
    else:
        write(name, chosen, output, options, known, record)
    return counts


def export_file(settings: Any, name: str, output: Path | IO[bytes],
                options: WriteOptions | None = None) -> selection.Counts:
    """What ``glossary export NAME`` does: validate terms/ (errors stop it), then
    :func:`export_glossary`, with the pieces of unchanged concepts from the piece store.
    The revision is terms/'s. When nothing in terms/ changed since this same export was
    last written, it is written again from its manifest (:func:`replay`)."""
    from glossary import loader

    options = options or WriteOptions()
    replayed = None if options.domains else replay(settings, name, output, options)
    if replayed is not None:
        return replayed
    loaded = loader.load_valid(settings)
    options = replace(options, revision=loaded.revision)
    return export_glossary(loaded.glossary, name, output, options,
                           Known.of(loaded, settings))


def manifest_id(parse_key: str, slot: str, options: WriteOptions) -> str:
    """What an export depends on besides terms/: its options (with the revision) and
    ``SOURCE_DATE_EPOCH`` (a PO header's date)."""
    return piece_store.manifest_id(parse_key, slot, options,
                                   os.environ.get("SOURCE_DATE_EPOCH"))


def replay(settings: Any, name: str, output: Path | IO[bytes], options: WriteOptions
           ) -> selection.Counts | None:
    """``glossary export NAME`` without loading a concept, when no file of terms/
    changed since the last full check (:func:`glossary.loader.unchanged`) and the piece
    store has this export's manifest for that revision: the same errors stop it, the
    same bytes are written. None when it cannot (the caller exports as usual)."""
    from glossary import loader

    if name not in WHOLE_FILE_PIECES:
        return None
    state = loader.unchanged(settings)
    if state is None:
        return None
    loader.raise_for_errors(state, settings, False)
    if name in XML_FORMATS and any(p.code in CHARACTER_CODES for p in state.problems):
        return None  # the usual way looks at those concepts
    options = replace(options, revision=state.revision)
    slot = _slot(name, options)
    found = piece_store.replay(settings.cache_dir, slot,
                               manifest_id(state.key, slot, options))
    if found is None:
        return None
    with found:
        try:
            counts = selection.Counts(**json.loads(found.record))
        except (ValueError, TypeError):
            return None
        if isinstance(output, Path):
            with writer(output) as handle:
                found.write(handle)
        else:
            found.write(output)
    return counts


def known(ctx: Any) -> Known | None:
    """What a build's render context knows of terms/ (None: a context without it)."""
    facts = getattr(ctx, "known", None)
    if facts is not None:
        return facts
    loaded = getattr(ctx, "loaded", None)
    return None if loaded is None else Known.of(loaded, ctx.settings)


def render_target(ctx: Any, name: str) -> list[Path]:
    """The ``glossary build`` target of format ``name``: build/<its target file>."""
    target = formats.get(name).target
    assert target is not None, name
    path = ctx.settings.build_dir / target
    return _build_output(name, ctx.glossary, path, WriteOptions(revision=ctx.revision),
                         known(ctx))


def _build_output(name: str, glossary: Glossary, path: Path, options: WriteOptions,
                  facts: Known | None) -> list[Path]:
    """A build's file of format ``name`` (a list of it); none, and no file of an earlier
    build left behind, when the format cannot hold an empty glossary (:func:`has_entries`:
    the approved TBX while nothing is approved)."""
    if not has_entries(name, glossary):
        path.unlink(missing_ok=True)
        return []
    return [write_file(name, glossary, path, options, facts, durable=False)]


def render_tools(ctx: Any) -> list[Path]:
    """Build target ``tools``: the files CAT tools and other projects take, every term:
    build/glossary-v2.tbx (TBX v2), build/glossary.omegat.txt (OmegaT) and
    build/glossary-compendium.km.po (for msgmerge --compendium)."""
    return _downloads(ctx, ctx.settings.build_dir, None, (
        ("glossary-v2.tbx", "tbx", 2), ("glossary.omegat.txt", "omegat", 3)))


def render_approved(ctx: Any) -> list[Path]:
    """Build target ``approved``: the approved Khmer terms only, in build/approved/ —
    glossary.tbx, glossary-v2.tbx, glossary.csv, glossary.json, glossary.omegat.txt and
    glossary-compendium.km.po (the downloads for people who must use approved terms).
    While no Khmer term is approved the TBX files are left out (a TBX file needs an
    entry) and the others hold no term."""
    return _downloads(ctx, ctx.settings.build_dir / "approved", "approved", (
        ("glossary.tbx", "tbx", 3), ("glossary-v2.tbx", "tbx", 2), ("glossary.csv", "csv", 3),
        ("glossary.json", "json", 3), ("glossary.omegat.txt", "omegat", 3)))


def _downloads(ctx: Any, base: Path, level: str | None,
               files: tuple[tuple[str, str, int], ...]) -> list[Path]:
    """``files`` (file name, format, TBX version) in ``base`` with the Khmer terms
    reviewed to ``level``, then the PO compendium of the same terms."""
    from glossary import locale_catalogs

    chosen = selection.select(ctx.glossary, level)
    facts = known(ctx)
    written = [path for file_name, name, version in files
               for path in _build_output(name, chosen, base / file_name, WriteOptions(
                   revision=ctx.revision, approved_only=level is not None,
                   tbx_version=version), facts)]
    target = base / locale_catalogs.COMPENDIUM_PO
    locale_catalogs.project_po_file(target, ctx.glossary, ctx.revision, level,
                                    compendium=True, known=facts, durable=False)
    return [*written, target]
