"""``glossary export FORMAT``: one subcommand per registered format (glossary.formats).

Most formats share one command: ``-o FILE`` (standard output when the format is text),
validation first, an atomic write. PO and MO keep their own (a directory of catalogs;
an approved-only MO with a default path): :data:`OWN` names them.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from glossary.cli.app import (
    Context,
    echo,
    main,
    review_options,
    shown,
    user_errors,
    warn_if_empty,
)
from glossary.formats import REGISTRY, Format

#: The help of the shared command per format, with an example (a format missing here
#: gets its registry description and a generated example).
HELP: dict[str, str] = {
    "tbx": "TBX-Basic for CAT tools (v3 DCA style by default; --tbx-version 2 for martif)."
           "\n\nKhmer terms that are not approved are written admittedTerm, never "
           "preferredTerm; every term has its review state in a plain note.\n\n\b\n"
           "Example:\n  $ glossary export tbx -o build/glossary.tbx\n"
           "  wrote build/glossary.tbx\n"
           "  $ glossary export tbx --tbx-version 2 --approved-only -o approved-v2.tbx",
    "omegat": "An OmegaT glossary: UTF-8 text, one line per term pair, "
              "source<TAB>target<TAB>comment. Put the file in your OmegaT project's "
              "glossary/ folder.\n\n\b\nExample:\n"
              "  $ glossary export omegat --min-review proposed -o omegat/glossary/ai.txt\n"
              "  wrote omegat/glossary/ai.txt",
    "csv": "One row per term, UTF-8 with a BOM (Excel shows Khmer), formula-safe cells."
           "\n\n\b\nExample:\n  $ glossary export csv -o terms.csv\n  wrote terms.csv",
    "xlsx": "The CSV table as an Excel workbook (sheet \"terms\", text cells only).\n\n\b\n"
            "Example:\n  $ glossary export xlsx -o terms.xlsx\n  wrote terms.xlsx",
    "docx": "A Word document of the glossary for the printed edition: English–Khmer A–Z "
            "with each Khmer term's review state, then a Khmer index in dictionary "
            "order.\n\n\b\nExample:\n  $ glossary export docx -o glossary.docx\n"
            "  wrote glossary.docx\n"
            "  $ glossary export docx --domain fairness -o fairness.docx",
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
    def command(obj: Context, output: Path | None, approved_only: bool,
                min_review: str | None, domains: tuple[str, ...],
                tbx_version: str = "3") -> None:
        from glossary import exporting
        from glossary.formats.options import WriteOptions

        options = WriteOptions(approved_only=approved_only, min_review=min_review,
                               domains=domains, tbx_version=int(tbx_version))
        if output is not None and str(output) == "-":  # -o -: standard output
            output = None
        with user_errors():
            if output is not None:
                _check_output(fmt, output)
            try:
                counts = exporting.export_file(obj.settings(), fmt.name,
                                               output or sys.stdout.buffer, options)
                if output is None:
                    sys.stdout.buffer.flush()
            except BrokenPipeError:  # `glossary export csv | head`: the reader had enough
                sys.stderr.close()
                raise SystemExit(0) from None
        if output is not None:
            echo(f"wrote {output}", err=True)
        warn_if_empty(counts.km_terms, approved_only, min_review, f"the {fmt.name} export")

    command.__name__ = f"export_{fmt.name}"
    kind = click.Path(path_type=Path)
    option = (click.option("-o", "--output", type=kind, required=True,
                           help="The file to write (-: standard output).") if fmt.binary else
              click.option("-o", "--output", type=kind, default=None,
                           help="Write to FILE instead of standard output (- or no -o: "
                                "standard output)."))
    decorated = review_options(option(command))
    if fmt.name == "tbx":
        decorated = click.option(
            "--tbx-version", "tbx_version", type=click.Choice(["2", "3"]), default="3",
            show_default=True,
            help="3: TBX-Basic (ISO 30042:2019); 2: TBX-Basic 2008 (martif), what "
                 "translate-toolkit, Weblate, OmegaT, memoQ and MultiTerm read.")(decorated)
    return click.command(fmt.name, help=_help(fmt))(decorated)


def _check_output(fmt: Format, output: Path) -> None:
    """Refuse a folder as -o (with a file name in it to give instead); note a file name
    that does not end as the format's files do (``export tbx -o terms.csv``: TBX all the
    same, which a tool that goes by the name would misread; a pipe or a device has no
    such name to go by)."""
    from glossary.output import cannot_write

    usual = f"glossary{fmt.extensions[0]}"
    if output.is_dir():
        raise cannot_write(output, "it is a directory",
                           f"give a file name, e.g. -o {output / usual}")
    if output.suffix.lower() not in fmt.extensions and (output.is_file() or not output.exists()):
        echo(f"note: {output} does not end in {' or '.join(fmt.extensions)}; it holds "
             f"{fmt.name} all the same", err=True)


def _one_file_for_a_part(output: Path | None, endings: tuple[str, ...], example: str
                         ) -> None:
    """An export of some domains goes to one file the user names: never to the default
    places, which hold the whole glossary (locale/, build/)."""
    from glossary.errors import ConfigError

    if output is None or output.is_dir() or output.suffix.lower() not in endings:
        raise ConfigError("--domain exports a part of the glossary, which goes to a file "
                          "of its own", hint=f"give -o {example}")


def _report_ambiguous(done: Any, compiled: bool = False) -> None:
    for item in done.ambiguous or ():
        others = "; ".join(f"{text} ({cid})" for cid, text in item.others)
        what = "left out (as msgfmt leaves out the PO compendium's fuzzy entry)" \
            if compiled else f"kept {item.chosen} (fuzzy)"
        echo(f"warning: ambiguous English term {item.msgid!r}: {what}; "
             f"{item.chosen} and {others} translate it differently", err=True)


@click.command("po")
@review_options
@click.option("--compendium", is_flag=True,
              help="One entry per English term, no msgctxt: for msgmerge --compendium "
                   "(default: build/approved/glossary-compendium.km.po with "
                   "--approved-only).")
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path),
              metavar="DIR|FILE.po|FILE.pot", default=None,
              help="Directory to write to (default: locale/, or build/approved/ with "
              "--approved-only, build/proposed/ with --min-review proposed); or one file: "
              "FILE.po, the Khmer catalog alone, or FILE.pot, the template alone.")
@click.pass_obj
def export_po(obj: Context, approved_only: bool, min_review: str | None,
              domains: tuple[str, ...], compendium: bool, out_dir: Path | None) -> None:
    """Gettext catalogs of the Khmer terms, for translators (Poedit, Weblate, Lokalize).

    Writes locale/glossary.pot and locale/km/LC_MESSAGES/glossary.po, with copies in
    build/. One entry per English term: msgctxt = concept id ("id#N" for its English
    term N > 0), msgid = English term, msgstr = Khmer term, fuzzy until approved.

    With --approved-only or --min-review: one catalog for other projects (no POT).
    With --compendium: msgid = English term, msgstr = Khmer term, no msgctxt, for
    `msgmerge --compendium`; English terms that concepts translate differently are
    reported (the first concept's entry is kept, fuzzy). With --domain: one file, -o
    FILE.po (or FILE.pot), of that domain's concepts (locale/ keeps the whole catalog).

    \b
    Examples:
      $ glossary export po
      exported 27 entries (22 fuzzy, 5 untranslated)
        locale/glossary.pot
        locale/km/LC_MESSAGES/glossary.po
      $ glossary export po -o km.po
      $ glossary export po --domain fairness -o fairness.km.po
      $ glossary export po --compendium --approved-only
      $ msgmerge --compendium build/approved/glossary-compendium.km.po km.po app.pot
    """
    from glossary import exporting, loader, locale_catalogs, selection

    with user_errors():
        settings = obj.settings()
        if domains:
            _one_file_for_a_part(out_dir, (".po", ".pot"), "FILE.po or FILE.pot")
        done = None
        if not (approved_only or min_review or compendium or domains):
            done = locale_catalogs.replay_po(settings, out_dir)
        if done is None:
            loaded = loader.load_valid(settings)
            part = selection.in_domains(loaded.glossary, domains)
            done = locale_catalogs.export_po(
                part, loaded.revision, settings, approved_only=approved_only,
                min_review=min_review, compendium=compendium, out_dir=out_dir,
                known=None if domains else exporting.Known.of(loaded, settings))
    echo(f"exported {done.entries} entries ({done.fuzzy} fuzzy, "
         f"{done.untranslated} untranslated)")
    for path in done.paths:
        echo(f"  {shown(path, settings.root)}")
    _report_ambiguous(done)
    warn_if_empty(done.entries, approved_only, min_review, "the PO catalog")


@click.command("mo")
@review_options
@click.option("--compendium", is_flag=True,
              help="Keyed by the English term alone, for plain gettext() "
                   "(default: build/glossary-compendium.km.mo).")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="The MO file to write (default: build/glossary.km.mo).")
@click.pass_obj
def export_mo(obj: Context, approved_only: bool, min_review: str | None,
              domains: tuple[str, ...], compendium: bool, output: Path | None) -> None:
    """A compiled gettext catalog of the approved Khmer terms, for other projects.

    Look terms up with pgettext(concept_id, english_term), or, with --compendium,
    with plain gettext(english_term). --min-review proposed adds proposals.

    \b
    Example:
      $ glossary export mo -o km.mo
      exported 3 approved entries
        km.mo
      $ glossary export mo --compendium -o km.mo
    """
    from glossary import loader, locale_catalogs, selection

    level = "approved" if approved_only else (min_review or "approved")
    with user_errors():
        settings = obj.settings()
        if domains:
            _one_file_for_a_part(output, (".mo",), "FILE.mo")
        loaded = loader.load_valid(settings)
        done = locale_catalogs.export_mo(selection.in_domains(loaded.glossary, domains),
                                         loaded.revision, settings, output,
                                         min_review=level, compendium=compendium)
    echo(f"exported {done.entries} {level} entries")
    for path in done.paths:
        echo(f"  {shown(path, settings.root)}")
    _report_ambiguous(done, compiled=True)
    warn_if_empty(done.entries, False, level, "the MO catalog")


#: Formats whose export is not the shared command.
OWN: dict[str, click.Command] = {"po": export_po, "mo": export_mo}

for _fmt in REGISTRY.values():
    export.add_command(OWN.get(_fmt.name) or shared_command(_fmt), _fmt.name)
