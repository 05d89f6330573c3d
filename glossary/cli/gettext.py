"""Gettext and review commands: export po|mo, import po, review approve|reject|list, diff."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from glossary.cli.app import (
    EXIT_USAGE,
    Context,
    emit_json,
    format_option,
    main,
    shown,
    user_errors,
)
from glossary.cli.core import export, import_


@export.command("po")
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
    click.echo(f"exported {done.entries} entries ({done.fuzzy} fuzzy, "
               f"{done.untranslated} untranslated)")
    for path in done.paths:
        click.echo(f"  {shown(path, settings.root)}")


@export.command("mo")
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
    click.echo(f"exported {done.entries} approved entries")
    for path in done.paths:
        click.echo(f"  {shown(path, settings.root)}")


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

    name = shown(incoming.path, root)
    if report.foreign:
        click.echo(f"{name}: warning: {foreign_warning(report)}")
    for warning in incoming.warnings:
        click.echo(f"{name}: warning: {warning}")
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
        click.echo(f"{label} ({len(items)})" + (":" if listed else ""))
        if outcome in (Outcome.UNKNOWN, Outcome.UNCHANGED):
            listed = listed[:10]
        for item in listed:
            where = f"{name}:{item.incoming.line}"
            if outcome is Outcome.UNKNOWN:
                click.echo(f"  {where}: {item.incoming.en_text!r}: {item.reason}")
                continue
            target = f"{item.concept_id}#{item.en_index}" if item.en_index else item.concept_id
            line = f"  {where}: {target} {item.en_text!r}{_file_said(item)}: "
            if outcome is Outcome.NEW:
                line += f"{item.incoming.text}"
            elif outcome is Outcome.UNCHANGED:
                line += f"{item.incoming.text} ({item.reason})"
            elif outcome is Outcome.CANDIDATE:
                line += f"{item.incoming.text} (beside the proposed {item.current})"
            else:
                line += f"{item.current} → {item.incoming.text}"
                if outcome is Outcome.CONFLICT:
                    line += f" [{item.conflict}: {item.reason}]"
            if item.count > 1 and outcome is not Outcome.CONFLICT:
                line += f" ({item.count} identical entries)"
            click.echo(line)
        if listed and len(listed) < len(items) and outcome is Outcome.UNKNOWN:
            click.echo(f"  … and {len(items) - len(listed)} more (--format json lists all)")
    counts = report.counts()
    if report.items and counts["unknown"] == len(report.items):
        click.echo("note: no entry matches this glossary (is the file a `glossary export po`?)")
    skipped = len(incoming.skipped)
    click.echo(", ".join(f"{n} {k}" for k, n in counts.items()) + f", {skipped} skipped "
               "(empty, obsolete, plural or fuzzy)")


@import_.command("po")
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
    new proposals, candidates (a text that differs from a proposal), conflicts (an approved term, or
    the glossary changed since the export), unchanged and unknown entries. --apply only
    adds proposals: a candidate or conflict is added beside the term it differs from,
    with its evidence (file, line, msgctxt, msgid); nothing is replaced, rejected or
    approved (glossary review approve|reject --by NAME decides).

    \b
    Example:
      $ glossary import po glossary-km.po
      candidates (alternatives to a proposal) (1):
        glossary-km.po:61: ai-model 'AI model': គំរូ AI (beside the proposed គំរូបញ្ញាសិប្បនិម្មិត)
      0 new, 1 candidate, 26 unchanged, 0 conflict, 0 unknown, 0 skipped …
      $ glossary import po glossary-km.po --apply --by "Sok Dara"
    """
    from glossary import locale_catalogs
    from glossary.imports import proposals

    if apply_changes and not (by and by.strip()):
        click.echo("Error: --apply needs --by NAME (who accepts the changes)", err=True)
        sys.exit(EXIT_USAGE)
    with user_errors():
        settings = obj.settings()
        incoming = locale_catalogs.read_po(file, fold_coeng_da=settings.fold_coeng_da,
                                           include_fuzzy=include_fuzzy)
        report, result = proposals.import_terms(
            settings, incoming.terms, origin=f"imported:{file.name}",
            apply_changes=apply_changes, by=by, match_english=match_english)
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
            click.echo("nothing written: run again with --apply --by NAME to accept")
        return
    for note in result.skipped:
        click.echo(f"not added: {note}")
    click.echo(f"applied: {result.added} added, {len(result.written)} file(s) written")
    for path in result.written:
        click.echo(f"  {shown(path, settings.root)}")


@main.group()
def review() -> None:
    """Approve or reject terms, and list what awaits review."""


def _decide(obj: Context, state: str, concept: str, term: int, lang: str, by: str,
            note: str | None) -> None:
    from glossary import review as review_mod

    with user_errors():
        settings = obj.settings()
        decision = review_mod.decide(settings.terms_dir, concept, state=state, by=by,
                                     lang=lang, term=term, note=note,
                                     fold_coeng_da=settings.fold_coeng_da,
                                     via="glossary review " + state.removesuffix("d"))
    click.echo(f"{concept} {lang}[{term}] {decision.text}: {decision.previous} → "
               f"{decision.state} by {by.strip()}")
    click.echo(f"  {shown(decision.path, settings.root)}")


def _decision_options(func: Any) -> Any:
    func = click.option("--note", default=None, help="A review note to record.")(func)
    func = click.option("--by", "by", required=True, metavar="NAME",
                        help="The reviewer's name (required).")(func)
    func = click.option("--lang", type=click.Choice(["km", "en"]), default="km",
                        show_default=True)(func)
    func = click.option("--term", "term", type=click.IntRange(0), default=0, show_default=True,
                        help="Index of the term in the language's list (0 = first).")(func)
    return click.argument("concept")(func)


@review.command("approve")
@_decision_options
@click.pass_obj
def review_approve(obj: Context, concept: str, term: int, lang: str, by: str,
                   note: str | None) -> None:
    """Approve a term: review = approved, approved_by = NAME, approved_on = today.

    \b
    Example:
      $ glossary review approve ai-model --by "Sok Dara"
      ai-model km[0] គំរូបញ្ញាសិប្បនិម្មិត: proposed → approved by Sok Dara
    """
    _decide(obj, "approved", concept, term, lang, by, note)


@review.command("reject")
@_decision_options
@click.pass_obj
def review_reject(obj: Context, concept: str, term: int, lang: str, by: str,
                  note: str | None) -> None:
    """Reject a term: review = rejected; the reviewer, date and note go in review_note.

    \b
    Example:
      $ glossary review reject ai-model --term 1 --by "Sok Dara" --note "too vague"
      ai-model km[1] គំរូ: proposed → rejected by Sok Dara
    """
    _decide(obj, "rejected", concept, term, lang, by, note)


@review.command("list")
@click.option("--state", type=click.Choice(["draft", "proposed", "approved", "rejected"]),
              default="proposed", show_default=True)
@click.option("--lang", type=click.Choice(["km", "en"]), default=None,
              help="Only this language (default: both).")
@format_option("text", "json")
@click.pass_obj
def review_list(obj: Context, state: str, lang: str | None, fmt: str) -> None:
    """List the terms in a review state (default: proposed, i.e. awaiting review).

    \b
    Example:
      $ glossary review list --lang km
      ai-model  km[0]  គំរូបញ្ញាសិប្បនិម្មិត  preferred  machine-assisted, glossary team
    """
    from glossary import loader
    from glossary import review as review_mod

    with user_errors():
        loaded = loader.load(obj.settings())
        items = review_mod.pending(loaded.glossary, state=state, lang=lang)
    if fmt == "json":
        emit_json([i.as_dict() for i in items])
        return
    if not items:
        click.echo(f"no {state} terms", err=True)
        return
    width = max(len(i.concept_id) for i in items)
    for i in items:
        who = ", ".join(x for x in (i.origin, i.proposed_by) if x)
        line = f"{i.concept_id:<{width}}  {i.lang}[{i.index}]  {i.text}  {i.admin_status}  {who}"
        if i.note:
            line += f"  ({i.note})"
        click.echo(line)
        for event in i.history:
            note = f": {event.note}" if event.note else ""
            click.echo(f"{'':<{width}}    {event.on.isoformat()} {event.state} by {event.by} "
                       f"({event.via}){note}")
    click.echo(f"{len(items)} {state} term(s)", err=True)


@main.command()
@click.argument("old")
@click.argument("new")
@format_option("text", "json")
@click.pass_obj
def diff(obj: Context, old: str, new: str, fmt: str) -> None:
    """What changed between two versions: git revisions of terms/, or JSON exports.

    Reports concepts added, removed or retired, terms added, removed or changed,
    definitions changed and review states changed. OLD and NEW are each a git revision
    (tag, branch, commit), a JSON export (glossary export json) or a terms directory.

    \b
    Example:
      $ glossary diff v1.0 HEAD
      ai-model km[0]: review changed: 'proposed' → 'approved by Sok Dara' (គំរូបញ្ញាសិប្បនិម្មិត)
      1 review-changed
    """
    from glossary import versions

    with user_errors():
        settings = obj.settings()
        report = versions.diff(settings.root, settings.terms_dir, old, new)
    if fmt == "json":
        emit_json(report.as_dict())
        return
    for change in report.changes:
        click.echo(change.describe())
    counts = report.counts()
    click.echo(", ".join(f"{n} {k}" for k, n in counts.items()) if counts else
               f"no changes between {old} and {new}")


@review.command("sheet")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="The workbook to write (.xlsx).")
@click.option("--domain", default=None, help="Only concepts of this domain id.")
@click.option("--state", type=click.Choice(["draft", "proposed", "approved", "rejected"]),
              default="proposed", show_default=True, help="The terms to put on the sheet.")
@click.pass_obj
def review_sheet(obj: Context, output: Path, domain: str | None, state: str) -> None:
    """A review workbook for reviewers who work in spreadsheets: one row per Khmer term
    (default: the proposals) with the English term, definitions, rationale, alternatives,
    an example and the sources; fill in `decision` (approve / reject / comment, a
    drop-down) and `comment` — every other cell is locked — then `glossary review import`.

    \b
    Example:
      $ glossary review sheet -o review.xlsx --domain governance
      wrote review.xlsx: 42 term(s) to review
    """
    from glossary import loader, textfile
    from glossary import review as review_mod
    from glossary.formats import review_sheet as sheet_format

    with user_errors():
        settings = obj.settings()
        glossary = loader.load(settings).glossary
        if domain is not None and domain not in {d.id for d in glossary.domains}:
            from glossary.errors import ConfigError

            raise ConfigError(f"unknown domain {domain!r}", hint="use an id from "
                              "terms/_domains.toml: " + ", ".join(d.id for d in glossary.domains))
        rows = review_mod.sheet_rows(glossary, domain=domain, state=state)
        with textfile.atomic_writer(output) as handle:
            sheet_format.write(rows, handle)
    click.echo(f"wrote {output}: {len(rows)} term(s) to review")


@review.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--by", "by", required=True, metavar="NAME",
              help="The reviewer who filled in the sheet (required).")
@format_option("text", "json")
@click.pass_obj
def review_import(obj: Context, file: Path, by: str, fmt: str) -> None:
    """Record the decisions of a filled-in review workbook as NAME's: approve and reject
    set the term's review state (approved_by = NAME, today); each decision and comment
    goes into the term's review history with the file's name. A row whose term changed
    since the sheet was made is refused (exit 1); importing the same sheet again changes
    nothing.

    \b
    Example:
      $ glossary review import review.xlsx --by "Sok Dara"
      review.xlsx:2: ai-model km[0] គំរូបញ្ញាសិប្បនិម្មិត: approved (proposed → approved by Sok Dara)
      1 approved, 0 rejected, 0 comment(s), 0 unchanged, 0 refused; 1 file(s) written
    """
    from glossary import review as review_mod

    with user_errors():
        settings = obj.settings()
        result = review_mod.import_sheet(settings, file, by=by)
    if fmt == "json":
        emit_json({"file": str(file), "by": by.strip(),
                   "rows": [o.as_dict() for o in result.outcomes],
                   "written": [shown(p, settings.root) for p in result.written]})
    else:
        name = shown(file, settings.root)
        for o in result.outcomes:
            click.echo(f"{name}:{o.line}: {o.concept} km[{o.index}] {o.khmer}: {o.outcome} "
                       f"({o.detail})")
        counts = {k: sum(1 for o in result.outcomes if o.outcome == k)
                  for k in ("approved", "rejected", "comment", "unchanged", "refused")}
        click.echo(f"{counts['approved']} approved, {counts['rejected']} rejected, "
                   f"{counts['comment']} comment(s), {counts['unchanged']} unchanged, "
                   f"{counts['refused']} refused; {len(result.written)} file(s) written")
    if result.refused:
        sys.exit(1)
