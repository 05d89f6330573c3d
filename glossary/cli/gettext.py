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
    review_options,
    shown,
    user_errors,
    warn_if_empty,
)
from glossary.cli.core import export, import_


def _report_ambiguous(done: Any) -> None:
    for item in done.ambiguous or ():
        others = "; ".join(f"{text} ({cid})" for cid, text in item.others)
        click.echo(f"warning: ambiguous English term {item.msgid!r}: kept {item.chosen} "
                   f"(fuzzy); also {others}", err=True)


@export.command("po")
@review_options
@click.option("--compendium", is_flag=True,
              help="One entry per English term, no msgctxt: for msgmerge --compendium "
                   "(default: build/approved/glossary-compendium.km.po).")
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              default=None, help="Directory to write to (default: locale/, or build/approved/ "
              "with --approved-only, build/proposed/ with --min-review proposed).")
@click.pass_obj
def export_po(obj: Context, approved_only: bool, min_review: str | None, compendium: bool,
              out_dir: Path | None) -> None:
    """Gettext catalogs of the Khmer terms, for translators (Poedit, Weblate, Lokalize).

    Writes locale/glossary.pot and locale/km/LC_MESSAGES/glossary.po, with copies in
    build/. One entry per English term: msgctxt = concept id (``id#N`` for its English
    term N > 0), msgid = English term, msgstr = Khmer term, fuzzy until approved.

    With --approved-only or --min-review: one catalog for other projects (no POT).
    With --compendium: msgid = English term, msgstr = Khmer term, no msgctxt, for
    `msgmerge --compendium`; English terms that concepts translate differently are
    reported (the first concept's entry is kept, fuzzy).

    \b
    Examples:
      $ glossary export po
      exported 27 entries (22 fuzzy, 5 untranslated)
        locale/glossary.pot
        locale/km/LC_MESSAGES/glossary.po
      $ glossary export po --compendium --approved-only -o build/
      $ msgmerge --compendium build/glossary-compendium.km.po km.po app.pot -o km.po
    """
    from glossary import loader, locale_catalogs

    with user_errors():
        settings = obj.settings()
        loaded = loader.load_valid(settings)
        done = locale_catalogs.export_po(loaded.glossary, loaded.revision, settings,
                                         approved_only=approved_only, min_review=min_review,
                                         compendium=compendium, out_dir=out_dir)
    click.echo(f"exported {done.entries} entries ({done.fuzzy} fuzzy, "
               f"{done.untranslated} untranslated)")
    for path in done.paths:
        click.echo(f"  {shown(path, settings.root)}")
    _report_ambiguous(done)
    warn_if_empty(done.entries, approved_only, min_review, "the PO catalog")


@export.command("mo")
@review_options
@click.option("--compendium", is_flag=True,
              help="Keyed by the English term alone, for plain gettext() "
                   "(default: build/glossary-compendium.km.mo).")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="The MO file to write (default: build/glossary.km.mo).")
@click.pass_obj
def export_mo(obj: Context, approved_only: bool, min_review: str | None, compendium: bool,
              output: Path | None) -> None:
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
    from glossary import loader, locale_catalogs

    level = "approved" if approved_only else (min_review or "approved")
    with user_errors():
        settings = obj.settings()
        loaded = loader.load_valid(settings)
        done = locale_catalogs.export_mo(loaded.glossary, loaded.revision, settings, output,
                                         min_review=level, compendium=compendium)
    click.echo(f"exported {done.entries} {level} entries")
    for path in done.paths:
        click.echo(f"  {shown(path, settings.root)}")
    _report_ambiguous(done)
    warn_if_empty(done.entries, False, level, "the MO catalog")


def _print_report(report: Any, incoming: Any, root: Path) -> None:
    from glossary.imports.proposals import Outcome

    name = shown(incoming.path, root)
    for warning in incoming.warnings:
        click.echo(f"{name}: warning: {warning}")
    labels = {
        Outcome.NEW: "new proposals", Outcome.CHANGED: "changed proposals",
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
            line = f"  {where}: {target} {item.en_text!r}: "
            if outcome is Outcome.NEW:
                line += f"{item.incoming.text}"
            elif outcome is Outcome.UNCHANGED:
                line += f"{item.incoming.text} ({item.reason})"
            else:
                line += f"{item.current} → {item.incoming.text}"
                if outcome is Outcome.CONFLICT:
                    line += f" [{item.conflict}: {item.reason}]"
            click.echo(line)
        if listed and len(listed) < len(items) and outcome is Outcome.UNKNOWN:
            click.echo(f"  … and {len(items) - len(listed)} more (--format json lists all)")
    counts = report.counts()
    if report.items and counts["unknown"] == len(report.items):
        click.echo("note: no entry matches this glossary (is the file a `glossary export po`?)")
    skipped = len(incoming.skipped)
    click.echo(", ".join(f"{n} {k}" for k, n in counts.items()) + f", {skipped} skipped "
               "(empty, obsolete or plural)")


@import_.command("po")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@format_option("text", "json")
@click.option("--apply", "apply_changes", is_flag=True,
              help="Write the accepted changes to terms/ (otherwise only report).")
@click.option("--by", "by", default=None, metavar="NAME",
              help="Who accepts the changes (required with --apply).")
@click.pass_obj
def import_po(obj: Context, file: Path, fmt: str, apply_changes: bool, by: str | None) -> None:
    """Review a PO file returned by a translator; with --apply --by NAME, write it.

    Entries match by msgctxt (else by msgid). The report lists new proposals, changed
    proposals, conflicts (an approved term, or the glossary changed since the export),
    unchanged and unknown entries. --apply never replaces an approved term and keeps
    every earlier text in terms/ (as a superseded term).

    \b
    Example:
      $ glossary import po glossary-km.po
      changed proposals (1):
        glossary-km.po:61: ai-model 'AI model': គំរូបញ្ញាសិប្បនិម្មិត → គំរូ AI
      0 new, 1 changed, 26 unchanged, 0 conflict, 0 unknown, 0 skipped …
      $ glossary import po glossary-km.po --apply --by "Sok Dara"
    """
    from glossary import locale_catalogs
    from glossary.imports import proposals

    if apply_changes and not (by and by.strip()):
        click.echo("Error: --apply needs --by NAME (who accepts the changes)", err=True)
        sys.exit(EXIT_USAGE)
    with user_errors():
        settings = obj.settings()
        incoming = locale_catalogs.read_po(file, fold_coeng_da=settings.fold_coeng_da)
        report, result = proposals.import_terms(
            settings, incoming.terms, origin=f"imported:{file.name}",
            apply_changes=apply_changes, by=by)
    if fmt == "json":
        data: dict[str, Any] = {
            "file": str(file), "warnings": incoming.warnings, "counts": report.counts(),
            "items": [i.as_dict() for i in report.items],
            "skipped": [{"line": line, "msgid": msgid, "reason": reason}
                        for line, msgid, reason in incoming.skipped],
        }
        if result is not None:
            data["applied"] = {"written": [shown(p, settings.root) for p in result.written],
                               "added": result.added, "replaced": result.replaced,
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
    click.echo(f"applied: {result.replaced} replaced, {result.added} added, "
               f"{len(result.written)} file(s) written")
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
                                     fold_coeng_da=settings.fold_coeng_da)
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
