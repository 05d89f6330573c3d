"""One export: load terms/ (checked) → the format's ``write`` (from the registry) →
a file written atomically, or a binary stream. Also the build target of every
registered format that has one (``pipeline.RENDERERS`` is generated from the registry).
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

from glossary import formats, textfile, unsafe
from glossary.errors import FormatError
from glossary.formats.options import WriteOptions
from glossary.model import Glossary

XML_FORMATS = ("tbx", "xlsx")


def refuse_unsafe(name: str, glossary: Glossary) -> None:
    """TBX and XLSX are XML: a character XML cannot hold (a C0 control, U+FFFE, U+FFFF)
    is refused with its concept and field, before anything is written."""
    if name not in XML_FORMATS:
        return
    found = unsafe.first_not_xml(glossary.concepts)
    if found is not None:
        concept, field, char = found
        raise FormatError(f"{field}: contains {unsafe.name(char)}, which {name.upper()} "
                          "(XML) cannot hold", path=f"terms/{concept}.toml",
                          hint="remove it; `glossary check` lists every such character")


def write(name: str, glossary: Glossary, out: IO[bytes],
          options: WriteOptions | None = None) -> None:
    """Serialize ``glossary`` as format ``name`` to a binary stream."""
    refuse_unsafe(name, glossary)
    formats.load(name).write(glossary, out, options or WriteOptions())


def write_file(name: str, glossary: Glossary, path: Path,
               options: WriteOptions | None = None) -> Path:
    """Write by the one output rule (:mod:`glossary.output`): a regular file atomically
    (an interrupted export leaves the previous file whole), a symbolic link's target,
    a device or FIFO written through, a directory refused."""
    with textfile.atomic_writer(path) as handle:
        write(name, glossary, handle, options)
    return path


def export_file(settings: Any, name: str, output: Path | IO[bytes],
                options: WriteOptions | None = None) -> None:
    """What ``glossary export NAME`` does: validate terms/ (errors stop it), then write
    to a path (atomically) or a binary stream. The revision is terms/'s."""
    from dataclasses import replace

    from glossary import loader

    loaded = loader.load_valid(settings)
    options = replace(options or WriteOptions(), revision=loaded.revision)
    if isinstance(output, Path):
        write_file(name, loaded.glossary, output, options)
    else:
        write(name, loaded.glossary, output, options)


def render_target(ctx: Any, name: str) -> list[Path]:
    """The ``glossary build`` target of format ``name``: build/<its target file>."""
    target = formats.get(name).target
    assert target is not None, name
    path = ctx.settings.build_dir / target
    return [write_file(name, ctx.glossary, path, WriteOptions(revision=ctx.revision))]
