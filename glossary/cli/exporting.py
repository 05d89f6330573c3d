"""``glossary export FORMAT``: one subcommand per registered format (glossary.formats).

Most formats share one command: ``-o FILE`` (standard output when the format is text),
validation first, an atomic write. PO and MO keep their own (a directory of catalogs;
an approved-only MO with a default path): :data:`OWN` names them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click

from glossary.cli.app import Context, echo, main, output_path, shown, user_errors
from glossary.formats import REGISTRY, Format

#: The help of the shared command per format, with an example (a format missing here
#: gets its registry description and a generated example).
HELP: dict[str, str] = {
    "tbx": "TBX-Basic (ISO 30042:2019, DCA style) for CAT tools.\n\n\b\nExample:\n"
           "  $ glossary export tbx -o build/glossary.tbx\n  wrote build/glossary.tbx",
    "csv": "One row per term, UTF-8 with a BOM (Excel shows Khmer), formula-safe cells."
           "\n\n\b\nExample:\n  $ glossary export csv -o terms.csv\n  wrote terms.csv",
    "xlsx": "The CSV table as an Excel workbook (sheet \"terms\", text cells only).\n\n\b\n"
            "Example:\n  $ glossary export xlsx -o terms.xlsx\n  wrote terms.xlsx",
    "json": "The whole glossary as one JSON document (schema in docs/exchange.md).\n\n\b\n"
            "Example:\n  $ glossary export json -o build/glossary.json\n"
            "  wrote build/glossary.json",
}


@main.group()
def export() -> None:
    """Write the glossary in an interchange format."""


def _help(fmt: Format) -> str:
    if fmt.name in HELP:
        return HELP[fmt.name]
    example = f"glossary{fmt.extensions[0]}"
    return (f"{fmt.description}.\n\n\b\nExample:\n  $ glossary export {fmt.name} -o "
            f"{example}\n  wrote {example}")


def shared_command(fmt: Format) -> click.Command:
    """``glossary export NAME [-o FILE]``: validate, then write (atomically to FILE)."""

    @click.pass_obj
    def command(obj: Context, output: Path | None) -> None:
        from glossary import exporting

        output = output_path(output)
        with user_errors():
            try:
                exporting.export_file(obj.settings(), fmt.name, output or sys.stdout.buffer)
                if output is None:
                    sys.stdout.buffer.flush()
            except BrokenPipeError:  # `glossary export csv | head`: the reader had enough
                sys.stderr.close()
                raise SystemExit(0) from None
        if output is not None:
            echo(f"wrote {output}", err=True)

    command.__name__ = f"export_{fmt.name}"
    # a directory is refused by glossary.output with the one "cannot write" message
    kind = click.Path(path_type=Path)
    option = (click.option("-o", "--output", type=kind, required=True,
                           help="The file to write (-: standard output).") if fmt.binary else
              click.option("-o", "--output", type=kind, default=None,
                           help="Write to FILE instead of standard output (- or no -o: "
                                "standard output)."))
    return click.command(fmt.name, help=_help(fmt))(option(command))


@click.command("po")
@click.option("--approved-only", is_flag=True,
              help="Only approved Khmer terms, for other projects (no POT, no fuzzy entries).")
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              default=None, help="Directory to write to (default: locale/, or build/approved/ "
              "with --approved-only).")
@click.pass_obj
def export_po(obj: Context, approved_only: bool, out_dir: Path | None) -> None:
    """Gettext catalogs of the Khmer terms, for translators (Poedit, Weblate, Lokalize).

    Writes locale/glossary.pot and locale/km/LC_MESSAGES/glossary.po, with copies in
    build/. One entry per English term: msgctxt = concept id (``id#N`` for its English
    term N > 0), msgid = English term, msgstr = Khmer term, fuzzy until approved.

    \b
    Example:
      $ glossary export po
      exported 27 entries (22 fuzzy, 5 untranslated)
        locale/glossary.pot
        locale/km/LC_MESSAGES/glossary.po
    """
    from glossary import loader, locale_catalogs

    with user_errors():
        settings = obj.settings()
        loaded = loader.load_valid(settings)
        done = locale_catalogs.export_po(loaded.glossary, loaded.revision, settings,
                                         approved_only=approved_only, out_dir=out_dir)
    echo(f"exported {done.entries} entries ({done.fuzzy} fuzzy, "
               f"{done.untranslated} untranslated)")
    for path in done.paths:
        echo(f"  {shown(path, settings.root)}")


@click.command("mo")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="The MO file to write (default: build/glossary.km.mo).")
@click.pass_obj
def export_mo(obj: Context, output: Path | None) -> None:
    """A compiled gettext catalog of the approved Khmer terms, for other projects.

    Look terms up with pgettext(concept_id, english_term).

    \b
    Example:
      $ glossary export mo -o km.mo
      exported 3 approved entries
        km.mo
    """
    from glossary import loader, locale_catalogs

    with user_errors():
        settings = obj.settings()
        loaded = loader.load_valid(settings)
        done = locale_catalogs.export_mo(loaded.glossary, loaded.revision, settings, output)
    echo(f"exported {done.entries} approved entries")
    for path in done.paths:
        echo(f"  {shown(path, settings.root)}")


#: Formats whose export is not the shared command.
OWN: dict[str, click.Command] = {"po": export_po, "mo": export_mo}


def _register(build: Callable[[Format], click.Command]) -> None:
    for fmt in REGISTRY.values():
        export.add_command(OWN.get(fmt.name) or build(fmt), fmt.name)


_register(shared_command)
