"""Files in and out: ``glossary export tbx|csv|xlsx``, ``glossary import tbx|csv|xlsx``
and the ``tbx`` and ``csv`` build targets. Formats are imported only when used."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import IO, Any

from glossary import textfile
from glossary.errors import ReviewError
from glossary.imports.plan import apply, plan
from glossary.imports.records import ReadResult
from glossary.imports.report import ImportPlan
from glossary.lock import terms_lock
from glossary.model import Glossary

FORMATS = ("tbx", "csv", "xlsx")


# --------------------------------------------------------------------------- reading / writing


def read(fmt: str, path: Path, fold_coeng_da: bool = True, stream: bool = False
         ) -> ReadResult:
    """Read an interchange file. ``stream``: TBX entries are read while the caller
    iterates ``concepts`` (errors surface then), not all at once."""
    if fmt == "tbx":
        from glossary.formats import tbx

        return tbx.read(path, fold_coeng_da=fold_coeng_da, stream=stream)
    if fmt == "csv":
        from glossary.formats import csv

        return csv.read(path, fold_coeng_da=fold_coeng_da)
    if fmt == "xlsx":
        from glossary.formats import xlsx

        return xlsx.read(path, fold_coeng_da=fold_coeng_da)
    raise ReviewError(f"unknown format {fmt!r}", hint="use " + ", ".join(FORMATS))


def write(fmt: str, glossary: Glossary, out: IO[bytes]) -> None:
    """Serialize ``glossary`` in ``fmt`` to a binary stream."""
    if fmt == "tbx":
        from glossary.formats import tbx

        tbx.write(glossary, out)
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


def write_file(fmt: str, glossary: Glossary, path: Path) -> Path:
    """Write atomically: a temporary file beside ``path``, then a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in path.parent.glob(f".{path.name}.*.tmp"):  # left by a killed process
        stale.unlink(missing_ok=True)
    with textfile.atomic_writer(path) as handle:
        write(fmt, glossary, handle)
    return path


# --------------------------------------------------------------------------- commands


def export_file(settings: Any, fmt: str, output: Path | IO[bytes]) -> None:
    """What ``glossary export FMT`` does: validate terms/ (errors stop it), then write
    to a path (atomically) or a binary stream."""
    from glossary import loader

    glossary = loader.load_valid(settings).glossary
    if isinstance(output, Path):
        write_file(fmt, glossary, output)
    else:
        write(fmt, glossary, output)


def import_file(settings: Any, fmt: str, path: Path, *, by: str | None = None,
                apply_changes: bool = False) -> ImportPlan:
    """What ``glossary import FMT FILE`` does: read, compare, and with ``apply_changes``
    (``by`` required) write. terms/ is read without validation: the plan needs the
    concepts only, and a problem elsewhere in terms/ is not the import's business."""
    from glossary import loader, source

    if by is not None and not by.strip():
        raise ReviewError("--by needs a name", hint="e.g. --by 'Sok Dara'")
    if apply_changes and not by:
        raise ReviewError("--apply needs --by NAME",
                          hint="name the person who takes responsibility for the import")
    result = read(fmt, path, settings.fold_coeng_da, stream=True)
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


def render_xlsx(ctx: Any) -> list[Path]:
    """Build target ``xlsx``: build/glossary.xlsx (the site's Downloads page offers it)."""
    return [write_file("xlsx", ctx.glossary, ctx.settings.build_dir / "glossary.xlsx")]


def render_json(ctx: Any) -> list[Path]:
    """Build target ``json``: build/glossary.json, as ``glossary export json`` writes it."""
    from glossary.formats import jsonfmt

    path = ctx.settings.build_dir / "glossary.json"
    textfile.atomic_write_text(path, jsonfmt.write(ctx.glossary, ctx.revision))
    return [path]
