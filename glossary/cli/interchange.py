"""Interchange commands: export tbx|csv|xlsx, import tbx|csv|xlsx."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from glossary.cli.app import (
    Context,
    emit_json,
    format_option,
    review_options,
    shown,
    user_errors,
    warn_if_empty,
)
from glossary.cli.core import export, import_


def _export(obj: Context, fmt: str, output: Path | None, approved_only: bool = False,
            min_review: str | None = None, **extra: Any) -> None:
    from glossary import exchange
    from glossary.formats.options import WriteOptions

    options = WriteOptions(approved_only=approved_only, min_review=min_review, **extra)
    with user_errors():
        counts = exchange.export_file(obj.settings(), fmt, output or sys.stdout.buffer,
                                      options)
    if output is None:
        sys.stdout.buffer.flush()
    else:
        click.echo(f"wrote {output}", err=True)
    warn_if_empty(counts.km_terms, approved_only, min_review, f"the {fmt} export")


@export.command("tbx")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Write to FILE instead of standard output.")
@click.option("--tbx-version", "tbx_version", type=click.Choice(["2", "3"]), default="3",
              show_default=True,
              help="3: TBX-Basic (ISO 30042:2019); 2: TBX-Basic 2008 (martif), what "
                   "translate-toolkit, Weblate, OmegaT, memoQ and MultiTerm read.")
@review_options
@click.pass_obj
def export_tbx(obj: Context, output: Path | None, tbx_version: str, approved_only: bool,
               min_review: str | None) -> None:
    """TBX-Basic for CAT tools (v3 DCA style by default; --tbx-version 2 for martif).

    Khmer terms that are not approved are written admittedTerm, never preferredTerm;
    every term has its review state in a plain note.

    \b
    Example:
      $ glossary export tbx -o build/glossary.tbx
      wrote build/glossary.tbx
      $ glossary export tbx --tbx-version 2 --approved-only -o approved-v2.tbx
    """
    _export(obj, "tbx", output, approved_only, min_review, tbx_version=int(tbx_version))


@export.command("csv")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Write to FILE instead of standard output.")
@review_options
@click.pass_obj
def export_csv(obj: Context, output: Path | None, approved_only: bool,
               min_review: str | None) -> None:
    """One row per term, UTF-8 with a BOM (Excel shows Khmer), formula-safe cells.

    \b
    Example:
      $ glossary export csv -o terms.csv
      wrote terms.csv
    """
    _export(obj, "csv", output, approved_only, min_review)


@export.command("xlsx")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="The workbook to write.")
@review_options
@click.pass_obj
def export_xlsx(obj: Context, output: Path, approved_only: bool,
                min_review: str | None) -> None:
    """The CSV table as an Excel workbook (sheet "terms", text cells only).

    \b
    Example:
      $ glossary export xlsx -o terms.xlsx
      wrote terms.xlsx
    """
    _export(obj, "xlsx", output, approved_only, min_review)


@export.command("omegat")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Write to FILE instead of standard output.")
@review_options
@click.pass_obj
def export_omegat(obj: Context, output: Path | None, approved_only: bool,
                  min_review: str | None) -> None:
    """An OmegaT glossary: UTF-8 text, one line per term pair, source<TAB>target<TAB>comment.

    Put the file in your OmegaT project's glossary/ folder.

    \b
    Example:
      $ glossary export omegat --min-review proposed -o omegat/glossary/ai-terms.txt
      wrote omegat/glossary/ai-terms.txt
    """
    _export(obj, "omegat", output, approved_only, min_review)


def _import(obj: Context, fmt: str, file: Path, output_format: str, apply: bool,
            by: str | None, columns: str | None = None) -> None:
    from glossary import exchange
    from glossary.formats.sheet_layout import parse_columns

    mapping = None
    if columns is not None:
        try:
            mapping = parse_columns(columns)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--columns") from None
    with user_errors():
        settings = obj.settings()
        plan = exchange.import_file(settings, fmt, file, by=by, apply_changes=apply,
                                    columns=mapping)
    if output_format == "json":
        data: dict[str, Any] = plan.as_dict()
        data["applied"] = apply
        emit_json(data)
    else:
        _print_plan(plan, settings.root, apply, by)


def _print_plan(plan: Any, root: Path, applied: bool, by: str | None) -> None:
    click.echo(f"{plan.format} import of {shown(plan.path, root)}: "
               f"{plan.count('added')} added, {plan.count('changed')} changed, "
               f"{plan.conflicts} conflict(s), {plan.unchanged} unchanged"
               + ("" if plan.own else " (written by another tool)"))
    width = max((len(c.concept) for c in plan.changes), default=0)
    for change in plan.changes:
        where = f"  (line {change.line})" if change.line else ""
        detail = f": {change.detail}" if change.detail else ""
        click.echo(f"  {change.kind:<8} {change.concept:<{width}}  {change.what}{detail}{where}")
    if plan.skipped:
        click.echo("skipped:")
        for reason, count in sorted(plan.skipped.items()):
            click.echo(f"  {count:>6}  {reason}")
    if applied:
        click.echo(f"applied by {by}: wrote {len(plan.written)} file(s) in terms/")
    elif plan.new or plan.updated:
        click.echo("nothing written; run again with --apply --by NAME to write these changes")


_COLUMNS = click.option(
    "--columns", "columns", default=None, metavar="FIELD=HEADER,…",
    help="Read a one-row-per-concept sheet: which column holds what, e.g. "
         "en=English,km=Khmer,definition=Definition (fields: en, km, definition, "
         "definition_km, note, concept_id, domains). Common bilingual headers "
         "(English/Khmer, source/target …) are recognised without it.")


def _import_command(kind: str, summary: str, example: str) -> None:
    @click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
    @format_option("text", "json")
    @click.option("--apply", "apply", is_flag=True,
                  help="Write the added and changed concepts to terms/ (never conflicts).")
    @click.option("--by", "by", default=None, metavar="NAME",
                  help="Who takes responsibility for the import (required with --apply).")
    @click.pass_obj
    def command(obj: Context, file: Path, fmt: str, apply: bool, by: str | None,
                columns: str | None = None) -> None:
        _import(obj, kind, file, fmt, apply, by, columns)

    if kind in ("csv", "xlsx"):
        command = _COLUMNS(command)
    command = import_.command(kind, help=f"{summary}\n\n\b\nExample:\n{example}")(command)

    command.callback.__name__ = f"import_{kind}"


_import_command(
    "tbx",
    "Compare a TBX file (v3 DCA/DCT or v2) with the glossary and report what would be "
    "added, changed or is in conflict; keeps English and Khmer, reports what it skipped.",
    "  $ glossary import tbx partner.tbx\n"
    "  tbx import of partner.tbx: 1 added, 0 changed, 0 conflict(s), 4 unchanged",
)
_import_command(
    "csv",
    "Compare a CSV (the layout of `glossary export csv`, or a bilingual sheet: see "
    "--columns) with the glossary and report the changes; --apply --by NAME writes them.",
    "  $ glossary import csv reviewed.csv --apply --by 'Sok Dara'\n"
    "  $ glossary import csv partner.csv --columns en=English,km=Khmer,definition=Notes",
)
_import_command(
    "xlsx",
    "Compare an XLSX workbook (the layout of `glossary export xlsx`) with the glossary "
    "and report the changes; --apply --by NAME writes them.",
    "  $ glossary import xlsx reviewed.xlsx",
)
