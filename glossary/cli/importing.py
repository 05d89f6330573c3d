"""``glossary import FORMAT FILE``: one subcommand per readable registered format.

Formats read as concept records (TBX, CSV, XLSX) share one command and report
(added / changed / conflict / unchanged); a returned PO has its own (new, changed,
conflict, unchanged, unknown proposals): :data:`OWN`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from glossary.cli.app import (
    EXIT_USAGE,
    Context,
    echo,
    emit_json,
    format_option,
    main,
    shown,
    user_errors,
)
from glossary.formats import REGISTRY, Format

#: The help of the shared command per format, with an example (a format missing here
#: gets its registry description and a generated example).
HELP: dict[str, tuple[str, str]] = {
    "tbx": ("Compare a TBX file (v3 DCA/DCT or v2) with the glossary and report what would "
            "be added, changed or is in conflict; keeps English and Khmer, reports what it "
            "skipped.",
            "  $ glossary import tbx partner.tbx\n"
            "  tbx import of partner.tbx: 1 added, 0 changed, 0 candidate(s), 0 conflict(s), "
            "4 unchanged"),
    "csv": ("Compare a CSV (the layout of `glossary export csv`, or a bilingual sheet: "
            "see --columns) with the glossary and report the changes; --apply --by NAME "
            "writes them.",
            "  $ glossary import csv reviewed.csv --apply --by 'Sok Dara'\n"
            "  $ glossary import csv partner.csv --columns en=English,km=Khmer"),
    "xlsx": ("Compare an XLSX workbook (the layout of `glossary export xlsx`) with the "
             "glossary and report the changes; --apply --by NAME writes them.",
             "  $ glossary import xlsx reviewed.xlsx"),
    "omegat": ("Compare an OmegaT glossary (source<TAB>target<TAB>comment, as a translator's "
               "OmegaT project keeps it) with the glossary: each line's English and Khmer "
               "terms are matched as a bilingual sheet's row; --apply --by NAME adds them "
               "as proposals.",
               "  $ glossary import omegat omegat/glossary/glossary.txt"),
}


@main.group("import")
def import_() -> None:
    """Read terms back from an interchange file and report (or apply) the changes."""


def _records(obj: Context, name: str, file: Path, output_format: str, apply: bool,
             by: str | None, columns: str | None = None, decisions: bool = False) -> None:
    from glossary.formats.bilingual_sheet import parse_columns
    from glossary.imports import run

    mapping = None
    if columns is not None:
        try:
            mapping = parse_columns(columns)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--columns") from None
    with user_errors():
        settings = obj.settings()
        plan = run.import_records(settings, name, file, by=by, apply_changes=apply,
                                  columns=mapping, decisions=decisions)
    if output_format == "json":
        data: dict[str, Any] = plan.as_dict()
        data["applied"] = apply
        emit_json(data)
    else:
        _print_plan(plan, settings.root, apply, by)


def _print_plan(plan: Any, root: Path, applied: bool, by: str | None) -> None:
    echo(f"{plan.format} import of {shown(plan.path, root)}: "
               f"{plan.count('added')} added, {plan.count('changed')} changed, "
               f"{plan.count('candidate')} candidate(s), "
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
    elif (plan.new_ids or plan.updated or plan.count("added") or plan.count("changed")
          or plan.review.applicable):
        echo("nothing written; run again with --apply --by NAME to write these changes")


def shared_command(fmt: Format) -> click.Command:
    """``glossary import NAME FILE [--apply --by NAME]`` for a format read as records."""
    name = fmt.name
    summary, example = HELP.get(fmt.name, (
        f"Compare a {fmt.name.upper()} file ({fmt.description}) with the glossary and "
        "report the changes; --apply --by NAME writes them.",
        f"  $ glossary import {fmt.name} incoming{fmt.extensions[0]}"))

    @click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
    @format_option("text", "json")
    @click.option("--apply", "apply", is_flag=True,
                  help="Write the added and changed concepts to terms/ (never conflicts).")
    @click.option("--by", "by", default=None, metavar="NAME",
                  help="Who takes responsibility for the import (required with --apply).")
    @click.option("--decisions", is_flag=True,
                  help="The file's approve/reject review columns are NAME's decisions "
                  "(recorded as --by NAME, today, from this file). Without it, an import "
                  "only adds proposals.")
    @click.pass_obj
    def command(obj: Context, file: Path, fmt: str, apply: bool, by: str | None,
                columns: str | None = None, decisions: bool = False) -> None:
        _records(obj, name, file, fmt, apply, by, columns, decisions)

    decorated = _COLUMNS(command) if name in SHEETS else command
    return click.command(fmt.name, help=f"{summary}\n\n\b\nExample:\n{example}")(decorated)


#: The formats read as sheets, which take --columns (another layout).
SHEETS = ("csv", "xlsx")
_COLUMNS = click.option(
    "--columns", "columns", default=None, metavar="FIELD=HEADER,…",
    help="Read a one-row-per-concept sheet: which column holds what, e.g. "
         "en=English,km=Khmer,definition=Definition (fields: en, km, definition, "
         "definition_km, note, concept_id, domains, location, rationale). Common "
         "bilingual headers "
         "(English/Khmer, source/target …) are recognised without it.")


def foreign_warning(report: Any) -> str:
    rate = f"{report.matched} of {report.entries} entries ({report.match_rate:.0%})"
    how = ("matched by English text as asked (--match-english): check each against the "
           "glossary's sense" if report.match_english else
           "entries without a concept id of this glossary are not matched by English text "
           "(--match-english does)")
    return (f"this looks like a foreign catalog, not a `glossary export po`: {rate} match "
            f"the glossary; {how}")


def _file_said(item: Any) -> str:
    """The file's own msgctxt and msgid, where they differ from the glossary's."""
    parts = []
    context, msgid = item.incoming.context, item.incoming.en_text
    if context and context != item.concept_id and context != \
            f"{item.concept_id}#{item.en_index}":
        parts.append(f"msgctxt {context!r}")
    if msgid and msgid != item.en_text:
        parts.append(f"msgid {msgid!r}")
    return f" (the file: {', '.join(parts)})" if parts else ""


def _print_report(report: Any, incoming: Any, root: Path) -> None:
    from glossary.imports.proposals import Outcome
    from glossary.pairs import entry_context

    name = shown(incoming.path, root)
    if report.foreign:
        echo(f"{name}: warning: {foreign_warning(report)}")
    for warning in incoming.warnings:
        echo(f"{name}: warning: {warning}")
    labels = {
        Outcome.NEW: "new proposals", Outcome.CANDIDATE: "candidates (alternatives to a proposal)",
        Outcome.CONFLICT: "conflicts", Outcome.UNCHANGED: "unchanged",
        Outcome.UNKNOWN: "unknown entries",
    }
    for outcome, label in labels.items():
        items = report.of(outcome)
        if not items:
            continue
        listed = items
        if outcome is Outcome.UNCHANGED:  # list only those the editor confirmed
            listed = [i for i in items if not i.incoming.fuzzy and "fuzzy" in i.reason]
            if not listed:  # the summary line counts them
                continue
        echo(f"{label} ({len(items)})" + (":" if listed else ""))
        shown_all = listed
        if outcome in (Outcome.UNKNOWN, Outcome.UNCHANGED):
            listed = listed[:10]
        for item in listed:
            where = f"{name}:{item.incoming.line}"
            if outcome is Outcome.UNKNOWN:
                echo(f"  {where}: {item.incoming.en_text!r}: {item.reason}")
                continue
            target = entry_context(item.concept_id, item.en_index)
            line = f"  {where}: {target} {item.en_text!r}{_file_said(item)}: "
            if outcome is Outcome.NEW:
                line += f"{item.incoming.text}"
            elif outcome is Outcome.UNCHANGED:
                line += f"{item.incoming.text} ({item.reason})"
            elif outcome is Outcome.CANDIDATE and item.present is not None:
                line += (f"{item.incoming.text} (already km[{item.present}] of the concept; "
                         f"the file prefers it to the proposed {item.current}: a reviewer "
                         "decides which is preferred)")
            elif outcome is Outcome.CANDIDATE:
                spacing = "; only the spacing differs" if item.spacing_only else ""
                line += f"{item.incoming.text} (beside the proposed {item.current}{spacing})"
            else:  # a conflict
                line += f"{item.current} → {item.incoming.text} [{item.conflict}: {item.reason}]"
            if item.count > 1 and outcome is not Outcome.CONFLICT:
                line += f" ({item.count} identical entries)"
            echo(line)
        if len(listed) < len(shown_all):
            echo(f"  … and {len(shown_all) - len(listed)} more (--format json lists all)")
    counts = report.counts()
    if report.items and counts["unknown"] == len(report.items):
        echo("note: no entry matches this glossary (is the file a `glossary export po`?)")
    skipped = len(incoming.skipped)
    echo(", ".join(f"{n} {k}" for k, n in counts.items()) + f", {skipped} skipped "
               "(empty, obsolete, plural or fuzzy)")


@click.command("po")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@format_option("text", "json")
@click.option("--apply", "apply_changes", is_flag=True,
              help="Write the accepted changes to terms/ (otherwise only report).")
@click.option("--by", "by", default=None, metavar="NAME",
              help="Who accepts the changes (required with --apply).")
@click.option("--include-fuzzy", is_flag=True,
              help="Read fuzzy entries too (skipped by default: a fuzzy msgstr is a guess).")
@click.option("--match-english", is_flag=True,
              help="In a foreign catalog, match entries by their English text (msgid).")
@click.pass_obj
def import_po(obj: Context, file: Path, fmt: str, apply_changes: bool, by: str | None,
              include_fuzzy: bool, match_english: bool) -> None:
    """Review a PO file returned by a translator; with --apply --by NAME, write it.

    Entries match by msgctxt (else by msgid). A catalog whose entries carry no concept
    id of this glossary, or of which fewer than half match, is a foreign catalog: a
    warning gives the match rate, and its entries are matched by English text only with
    --match-english. Fuzzy entries are skipped unless --include-fuzzy. The report lists
    new proposals, candidates (a text that differs from a proposal), conflicts (an
    approved term, or the glossary changed since the export), unchanged and unknown
    entries. --apply only adds proposals: a candidate or conflict is added beside the
    term it differs from, with its evidence (file, line, msgctxt, msgid); nothing is
    replaced, rejected or approved (glossary review approve|reject --by NAME decides).

    \b
    Example:
      $ glossary import po glossary-km.po
      candidates (alternatives to a proposal) (1):
        glossary-km.po:61: ai-model 'AI model': គំរូ AI (beside the proposed គំរូបញ្ញាសិប្បនិម្មិត)
      0 new, 1 candidate, 26 unchanged, 0 conflict, 0 unknown, 0 skipped …
      $ glossary import po glossary-km.po --apply --by "Sok Dara"
    """
    from glossary.imports import run

    if apply_changes and not (by and by.strip()):
        echo("Error: --apply needs --by NAME (who accepts the changes)", err=True)
        sys.exit(EXIT_USAGE)
    with user_errors():
        settings = obj.settings()
        incoming, report, result = run.import_proposals(
            settings, file, by=by, apply_changes=apply_changes, include_fuzzy=include_fuzzy,
            match_english=match_english)
    if fmt == "json":
        warnings = ([foreign_warning(report)] if report.foreign else []) + incoming.warnings
        data: dict[str, Any] = {
            "file": str(file), "warnings": warnings, "counts": report.counts(),
            "foreign": report.foreign, "entries": report.entries, "matched": report.matched,
            "match_english": report.match_english,
            "items": [i.as_dict() for i in report.items],
            "skipped": [{"line": line, "msgid": msgid, "reason": reason}
                        for line, msgid, reason in incoming.skipped],
        }
        if result is not None:
            data["applied"] = {"written": [shown(p, settings.root) for p in result.written],
                               "added": result.added,
                               "skipped": result.skipped}
        emit_json(data)
        return
    _print_report(report, incoming, settings.root)
    if result is None:
        if report.applicable:
            echo("nothing written: run again with --apply --by NAME to accept")
        return
    for note in result.skipped:
        echo(f"not added: {note}")
    echo(f"applied: {result.added} added, {len(result.written)} file(s) written")
    for path in result.written:
        echo(f"  {shown(path, settings.root)}")


#: Formats whose import is not the shared command.
OWN: dict[str, click.Command] = {"po": import_po}

for _fmt in REGISTRY.values():
    if _fmt.readable:
        import_.add_command(OWN.get(_fmt.name) or shared_command(_fmt), _fmt.name)
