"""Interchange commands: export tbx|csv|xlsx, import tbx|csv|xlsx."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from glossary.cli.app import (
    Context,
    echo,
    emit_json,
    format_option,
    output_path,
    shown,
    user_errors,
)
from glossary.cli.core import export, import_


def _export(obj: Context, fmt: str, output: Path | None) -> None:
    from glossary import exchange

    output = output_path(output)
    with user_errors():
        try:
            exchange.export_file(obj.settings(), fmt, output or sys.stdout.buffer)
            if output is None:
                sys.stdout.buffer.flush()
        except BrokenPipeError:  # `glossary export csv | head`: the reader had enough
            sys.stderr.close()
            raise SystemExit(0) from None
    if output is not None:
        echo(f"wrote {output}", err=True)


@export.command("tbx")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Write to FILE instead of standard output (- or no -o: standard output).")
@click.pass_obj
def export_tbx(obj: Context, output: Path | None) -> None:
    """TBX-Basic (ISO 30042:2019, DCA style) for CAT tools.

    \b
    Example:
      $ glossary export tbx -o build/glossary.tbx
      wrote build/glossary.tbx
    """
    _export(obj, "tbx", output)


@export.command("csv")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Write to FILE instead of standard output (- or no -o: standard output).")
@click.pass_obj
def export_csv(obj: Context, output: Path | None) -> None:
    """One row per term, UTF-8 with a BOM (Excel shows Khmer), formula-safe cells.

    \b
    Example:
      $ glossary export csv -o terms.csv
      wrote terms.csv
    """
    _export(obj, "csv", output)


@export.command("xlsx")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="The workbook to write (-: standard output).")
@click.pass_obj
def export_xlsx(obj: Context, output: Path) -> None:
    """The CSV table as an Excel workbook (sheet "terms", text cells only).

    \b
    Example:
      $ glossary export xlsx -o terms.xlsx
      wrote terms.xlsx
    """
    _export(obj, "xlsx", output)


def _import(obj: Context, fmt: str, file: Path, output_format: str, apply: bool,
            by: str | None) -> None:
    from glossary import exchange

    with user_errors():
        settings = obj.settings()
        plan = exchange.import_file(settings, fmt, file, by=by, apply_changes=apply)
    if output_format == "json":
        data: dict[str, Any] = plan.as_dict()
        data["applied"] = apply
        emit_json(data)
    else:
        _print_plan(plan, settings.root, apply, by)


def _print_plan(plan: Any, root: Path, applied: bool, by: str | None) -> None:
    echo(f"{plan.format} import of {shown(plan.path, root)}: "
               f"{plan.count('added')} added, {plan.count('changed')} changed, "
               f"{plan.conflicts} conflict(s), {plan.unchanged} unchanged"
               + ("" if plan.own else " (written by another tool)"))
    width = max((len(c.concept) for c in plan.changes), default=0)
    for change in plan.changes:
        where = f"  (line {change.line})" if change.line else ""
        detail = f": {change.detail}" if change.detail else ""
        echo(f"  {change.kind:<8} {change.concept:<{width}}  {change.what}{detail}{where}")
    if plan.skipped:
        echo("skipped:")
        for reason, count in sorted(plan.skipped.items()):
            echo(f"  {count:>6}  {reason}")
    if applied:
        echo(f"applied by {by}: wrote {len(plan.written)} file(s) in terms/")
    elif plan.new or plan.updated:
        echo("nothing written; run again with --apply --by NAME to write these changes")


def _import_command(kind: str, summary: str, example: str) -> None:
    @import_.command(kind, help=f"{summary}\n\n\b\nExample:\n{example}")
    @click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
    @format_option("text", "json")
    @click.option("--apply", "apply", is_flag=True,
                  help="Write the added and changed concepts to terms/ (never conflicts).")
    @click.option("--by", "by", default=None, metavar="NAME",
                  help="Who takes responsibility for the import (required with --apply).")
    @click.pass_obj
    def command(obj: Context, file: Path, fmt: str, apply: bool, by: str | None) -> None:
        _import(obj, kind, file, fmt, apply, by)

    command.callback.__name__ = f"import_{kind}"  # type: ignore[union-attr]


_import_command(
    "tbx",
    "Compare a TBX file (v3 DCA/DCT or v2) with the glossary and report what would be "
    "added, changed or is in conflict; keeps English and Khmer, reports what it skipped.",
    "  $ glossary import tbx partner.tbx\n"
    "  tbx import of partner.tbx: 1 added, 0 changed, 0 conflict(s), 4 unchanged",
)
_import_command(
    "csv",
    "Compare a CSV (the layout of `glossary export csv`) with the glossary and report "
    "the changes; --apply --by NAME writes them.",
    "  $ glossary import csv reviewed.csv --apply --by 'Sok Dara'",
)
_import_command(
    "xlsx",
    "Compare an XLSX workbook (the layout of `glossary export xlsx`) with the glossary "
    "and report the changes; --apply --by NAME writes them.",
    "  $ glossary import xlsx reviewed.xlsx",
)
