"""Files in and out: ``glossary export tbx|csv|xlsx|omegat``, ``glossary import
tbx|csv|xlsx`` and the ``tbx`` and ``csv`` build targets. Formats are imported only when
used. Every export goes through :func:`glossary.selection.select` first, so
``--approved-only`` / ``--min-review`` mean the same in every format."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import IO, Any

from glossary import selection, textfile
from glossary.errors import ReviewError
from glossary.formats.options import WriteOptions
from glossary.imports.plan import apply, plan
from glossary.imports.records import ReadResult
from glossary.imports.report import ImportPlan
from glossary.lock import terms_lock
from glossary.model import Glossary

FORMATS = ("tbx", "csv", "xlsx", "omegat")
READABLE = ("tbx", "csv", "xlsx")


# --------------------------------------------------------------------------- reading / writing


def read(fmt: str, path: Path, fold_coeng_da: bool = True, stream: bool = False,
         columns: dict[str, str] | None = None) -> ReadResult:
    """Read an interchange file. ``stream``: TBX entries are read while the caller
    iterates ``concepts`` (errors surface then), not all at once."""
    if fmt == "tbx":
        from glossary.formats import tbx

        return tbx.read(path, fold_coeng_da=fold_coeng_da, stream=stream)
    if fmt == "csv":
        from glossary.formats import csv

        return csv.read(path, fold_coeng_da=fold_coeng_da, columns=columns)
    if fmt == "xlsx":
        from glossary.formats import xlsx

        return xlsx.read(path, fold_coeng_da=fold_coeng_da, columns=columns)
    raise ReviewError(f"unknown format {fmt!r}", hint="use " + ", ".join(READABLE))


def write(fmt: str, glossary: Glossary, out: IO[bytes],
          options: WriteOptions | None = None) -> None:
    """Serialize ``glossary`` in ``fmt`` to a binary stream (already selected: see
    :func:`export_file`)."""
    options = options or WriteOptions()
    if fmt == "tbx":
        from glossary.formats import tbx

        tbx.write(glossary, out, options)
    elif fmt == "omegat":
        from glossary.formats import omegat

        omegat.write(glossary, out, options)
    elif fmt == "csv":
        import io

        from glossary.formats import csv

        text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
        csv.write(glossary, text)
        text.flush()
        text.detach()
    elif fmt == "xlsx":
        from glossary.formats import xlsx

        xlsx.write(glossary, out)
    else:
        raise ReviewError(f"unknown format {fmt!r}", hint="use " + ", ".join(FORMATS))


def write_file(fmt: str, glossary: Glossary, path: Path,
               options: WriteOptions | None = None) -> Path:
    """Write atomically: a temporary file beside ``path``, then a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in path.parent.glob(f".{path.name}.*.tmp"):  # left by a killed process
        stale.unlink(missing_ok=True)
    with textfile.atomic_writer(path) as handle:
        write(fmt, glossary, handle, options)
    return path


# --------------------------------------------------------------------------- commands


def export_glossary(glossary: Glossary, fmt: str, output: Path | IO[bytes],
                    options: WriteOptions | None = None) -> selection.Counts:
    """Select the terms ``options`` ask for, then write ``fmt`` to a path (atomically)
    or a binary stream. Returns what was written (0 Khmer terms: the caller warns)."""
    options = options or WriteOptions()
    chosen = selection.select(glossary, options.level)
    if isinstance(output, Path):
        write_file(fmt, chosen, output, options)
    else:
        write(fmt, chosen, output, options)
    return selection.count(chosen)


def export_file(settings: Any, fmt: str, output: Path | IO[bytes],
                options: WriteOptions | None = None) -> selection.Counts:
    """What ``glossary export FMT`` does: validate terms/ (errors stop it), then
    :func:`export_glossary`."""
    from dataclasses import replace

    from glossary import loader

    loaded = loader.load_valid(settings)
    options = replace(options or WriteOptions(), revision=loaded.revision)
    return export_glossary(loaded.glossary, fmt, output, options)


def import_file(settings: Any, fmt: str, path: Path, *, by: str | None = None,
                apply_changes: bool = False, columns: dict[str, str] | None = None
                ) -> ImportPlan:
    """What ``glossary import FMT FILE`` does: read, compare, and with ``apply_changes``
    (``by`` required) write. terms/ is read without validation: the plan needs the
    concepts only, and a problem elsewhere in terms/ is not the import's business."""
    from glossary import loader, source

    if by is not None and not by.strip():
        raise ReviewError("--by needs a name", hint="e.g. --by 'Sok Dara'")
    if apply_changes and not by:
        raise ReviewError("--apply needs --by NAME",
                          hint="name the person who takes responsibility for the import")
    result = read(fmt, path, settings.fold_coeng_da, stream=True, columns=columns)
    with ExitStack() as stack:
        if apply_changes:
            stack.enter_context(terms_lock(settings.terms_dir, f"import ({path.name})"))
        taken = [p.stem for p in source.concept_paths(settings.terms_dir)]
        glossary = loader.load(settings).glossary
        planned = plan(glossary, result, by=by, taken=taken, keep=apply_changes)
        if apply_changes:
            assert by is not None
            apply(planned, settings.terms_dir, glossary, by.strip(), settings.fold_coeng_da)
    return planned


# --------------------------------------------------------------------------- build renderers


def render_tbx(ctx: Any) -> list[Path]:
    """Build target ``tbx``: build/glossary.tbx (TBX-Basic)."""
    return [write_file("tbx", ctx.glossary, ctx.settings.build_dir / "glossary.tbx")]


def render_csv(ctx: Any) -> list[Path]:
    """Build target ``csv``: build/glossary.csv."""
    return [write_file("csv", ctx.glossary, ctx.settings.build_dir / "glossary.csv")]


def render_tools(ctx: Any) -> list[Path]:
    """Build target ``tools``: the files CAT tools and other projects take, every term:
    build/glossary-v2.tbx (TBX v2), build/glossary.omegat.txt (OmegaT) and
    build/glossary-compendium.km.po (for msgmerge --compendium)."""
    from glossary import locale_catalogs

    build = ctx.settings.build_dir
    written = [write_file("tbx", ctx.glossary, build / "glossary-v2.tbx",
                          WriteOptions(revision=ctx.revision, tbx_version=2)),
               write_file("omegat", ctx.glossary, build / "glossary.omegat.txt")]
    target = build / locale_catalogs.COMPENDIUM_PO
    textfile.atomic_write_text(target, locale_catalogs.project_po_text(
        ctx.glossary, ctx.revision, None, compendium=True))
    return [*written, target]


def render_approved(ctx: Any) -> list[Path]:
    """Build target ``approved``: the approved Khmer terms only, in build/approved/ —
    glossary.tbx, glossary-v2.tbx, glossary.csv, glossary.json, glossary.omegat.txt and
    glossary-compendium.km.po (the downloads for people who must use approved terms;
    files without a Khmer term while nothing is approved)."""
    from glossary import locale_catalogs
    from glossary.formats import jsonfmt

    base = ctx.settings.build_dir / "approved"
    chosen = selection.select(ctx.glossary, "approved")
    written = []
    for name, fmt, version in (("glossary.tbx", "tbx", 3), ("glossary-v2.tbx", "tbx", 2),
                               ("glossary.csv", "csv", 3),
                               ("glossary.omegat.txt", "omegat", 3)):
        written.append(write_file(fmt, chosen, base / name, WriteOptions(
            revision=ctx.revision, approved_only=True, tbx_version=version)))
    for path, text in (
        (base / "glossary.json", jsonfmt.write(chosen, ctx.revision)),
        (base / locale_catalogs.COMPENDIUM_PO, locale_catalogs.project_po_text(
            ctx.glossary, ctx.revision, "approved", compendium=True)),
    ):
        textfile.atomic_write_text(path, text)
        written.append(path)
    return written
