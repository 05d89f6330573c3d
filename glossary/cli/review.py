"""Review commands: review approve|reject|list|sheet|import, and diff (what changed
between versions)."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Any

import click

from glossary.cli.app import Context, echo, emit_json, format_option, main, shown, user_errors


@main.group()
def review() -> None:
    """Approve or reject terms and definitions, and list what awaits review."""


_COMMAND = {"approved": "approve", "rejected": "reject"}  # the command a decision came from


def _decide(obj: Context, state: str, concept: str, term: int | None, definition: bool,
            lang: str, by: str, note: str | None) -> None:
    from glossary import review as review_mod

    if definition and term is not None:
        raise click.UsageError("--term and --definition exclude each other: a decision is "
                               "on one term or on the definition")
    index = None if definition else (term or 0)
    with user_errors():
        settings = obj.settings()
        decision = review_mod.decide(settings.terms_dir, concept, state=state, by=by,
                                     lang=lang, term=index, note=note,
                                     fold_coeng_da=settings.fold_coeng_da,
                                     via="glossary review " + _COMMAND[state])
    text = decision.text if index is not None else _short(decision.text)
    what = f"{concept} {_target(lang, index)} {text}"
    if not decision.recorded:
        echo(f"{what}: already {decision.state}; nothing recorded (add --note to record a "
             "further decision)")
        return
    echo(f"{what}: {decision.previous} → {decision.state} by {decision.by}")
    echo(f"  {shown(decision.path, settings.root)}")


def _target(lang: str, index: int | None) -> str:
    """``km[0]`` for a term, ``km definition`` for the definition."""
    return f"{lang} definition" if index is None else f"{lang}[{index}]"


def _short(text: str) -> str:
    """A definition's text on one line, cut at about 60 characters."""
    from glossary.imports.report import short

    return short(" ".join(text.split()), 61)


def _decision_options(func: Any) -> Any:
    func = click.option("--note", default=None, help="A review note to record.")(func)
    func = click.option("--by", "by", required=True, metavar="NAME",
                        help="The reviewer's name (required).")(func)
    func = click.option("--lang", type=click.Choice(["km", "en"]), default="km",
                        show_default=True)(func)
    func = click.option("--definition", is_flag=True,
                        help="Decide on the language's definition instead of a term.")(func)
    func = click.option("--term", "term", type=click.IntRange(0), default=None,
                        help="Index of the term in the language's list (default: 0, the "
                             "first).")(func)
    return click.argument("concept")(func)


@review.command("approve")
@_decision_options
@click.pass_obj
def review_approve(obj: Context, concept: str, term: int | None, definition: bool, lang: str,
                   by: str, note: str | None) -> None:
    """Approve a term (or, with --definition, the definition): review = approved,
    approved_by = NAME, approved_on = today.

    \b
    Example:
      $ glossary review approve ai-model --by "Sok Dara"
      ai-model km[0] គំរូបញ្ញាសិប្បនិម្មិត: proposed → approved by Sok Dara
      $ glossary review approve ai-model --definition --by "Sok Dara"
      ai-model km definition តំណាងគណិតវិទ្យា ឬការគណនា ដែលជាធម្មតា…: proposed → approved by Sok Dara
    """
    _decide(obj, "approved", concept, term, definition, lang, by, note)


@review.command("reject")
@_decision_options
@click.pass_obj
def review_reject(obj: Context, concept: str, term: int | None, definition: bool, lang: str,
                  by: str, note: str | None) -> None:
    """Reject a term (or, with --definition, the definition): review = rejected; the
    reviewer, date and note go in review_note.

    \b
    Example:
      $ glossary review reject ai-model --term 1 --by "Sok Dara" --note "too vague"
      ai-model km[1] គំរូ: proposed → rejected by Sok Dara
    """
    _decide(obj, "rejected", concept, term, definition, lang, by, note)


@review.command("list")
@click.option("--state", type=click.Choice(["draft", "proposed", "approved", "rejected"]),
              default="proposed", show_default=True)
@click.option("--lang", type=click.Choice(["km", "en"]), default=None,
              help="Only this language (default: both).")
@click.option("--why", is_flag=True,
              help="Show each term's rationale (why this term) on the line below it.")
@click.option("--definitions", is_flag=True,
              help="List the definitions in that review state instead of the terms.")
@click.option("--reviewer", metavar="NAME", default=None,
              help="Leave out what NAME proposed: a proposal is approved by someone else.")
@click.option("--domain", default=None, help="Only concepts of this domain id.")
@format_option("text", "json")
@click.pass_obj
def review_list(obj: Context, state: str, lang: str | None, why: bool, definitions: bool,
                reviewer: str | None, domain: str | None, fmt: str) -> None:
    """List the terms in a review state (default: proposed, i.e. awaiting review).

    \b
    Example:
      $ glossary review list --lang km
      ai-model  km[0]  គំរូបញ្ញាសិប្បនិម្មិត  preferred  machine-assisted, glossary team
      $ glossary review list --lang km --why
      ai-model  km[0]  គំរូបញ្ញាសិប្បនិម្មិត  preferred  machine-assisted, glossary team
                  why: គំរូ 'model' + បញ្ញាសិប្បនិម្មិត 'artificial intelligence'
    """
    from glossary import loader
    from glossary import review as review_mod

    with user_errors():
        glossary = loader.load(obj.settings()).glossary
        items = review_mod.pending(glossary, state=state, lang=lang, definitions=definitions,
                                   reviewer=reviewer, domain=domain)
    if fmt == "json":
        emit_json([i.as_dict() for i in items])
        return
    kind = "definition" if definitions else "term"
    left_out = f" (what {reviewer} proposed is left out)" if reviewer else ""
    if not items:
        echo(f"no {state} {kind}s{left_out}", err=True)
        return
    width = max(len(i.concept_id) for i in items)
    for i in items:
        who = ", ".join(x for x in (i.origin, i.proposed_by) if x)
        status = f"  {i.admin_status}" if i.admin_status else ""
        line = f"{i.concept_id:<{width}}  {_target(i.lang, i.index)}  {i.text}{status}  {who}"
        if i.note:
            line += f"  ({i.note})"
        echo(line)
        if why and i.rationale:
            echo(f"{'':<{width}}    why: {' '.join(i.rationale.split())}")
        for event in i.history:
            note = f": {event.note}" if event.note else ""
            echo(f"{'':<{width}}    {event.on.isoformat()} {event.state} by {event.by} "
                       f"({event.via}){note}")
    echo(f"{len(items)} {state} {kind}(s){left_out}", err=True)


@review.command("sheet")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="The workbook to write (.xlsx).")
@click.option("--domain", default=None, help="Only concepts of this domain id.")
@click.option("--state", type=click.Choice(["draft", "proposed", "approved", "rejected"]),
              default="proposed", show_default=True,
              help="The terms and definitions to put on the sheet.")
@click.option("--reviewer", metavar="NAME", default=None,
              help="Leave out what NAME proposed: a proposal is approved by someone else.")
@click.pass_obj
def review_sheet(obj: Context, output: Path, domain: str | None, state: str,
                 reviewer: str | None) -> None:
    """A review workbook for reviewers who work in spreadsheets: one row per Khmer term
    (default: the proposals) with the English term, definitions, rationale, alternatives,
    an example and the sources, and one per Khmer definition in that state (term
    `definition`); fill in `decision` (approve / reject / comment, a drop-down) and
    `comment` — every other cell is locked — then `glossary review import`.

    \b
    Example:
      $ glossary review sheet -o review.xlsx --domain governance
      wrote review.xlsx: 120 term(s) and 56 definition(s) to review
    """
    from glossary import loader
    from glossary import review as review_mod
    from glossary.formats import review_sheet as sheet_format
    from glossary.output import writer

    with user_errors():
        settings = obj.settings()
        glossary = loader.load(settings).glossary
        rows = review_mod.sheet_rows(glossary, domain=domain, state=state, reviewer=reviewer)
        with writer(output) as handle:
            sheet_format.write(rows, handle)
    definitions = sum(row["term"] == sheet_format.DEFINITION for row in rows)
    echo(f"wrote {output}: {len(rows) - definitions} term(s)"
         + (f" and {definitions} definition(s)" if definitions else "") + " to review"
         + (f" (what {reviewer} proposed is left out)" if reviewer else ""))


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
    since the sheet was made, or a comment decision with an empty comment, is refused
    (exit 1); importing the same sheet again changes nothing.

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
        emit_json({"file": str(file), "by": result.by,
                   "rows": [o.as_dict() for o in result.outcomes],
                   "written": [shown(p, settings.root) for p in result.written]})
    else:
        name = shown(file, settings.root)
        for o in result.outcomes:
            text = o.khmer if o.index is not None else _short(o.khmer)
            echo(f"{name}:{o.line}: {o.concept} {_target('km', o.index)} {text}: "
                 f"{o.outcome} ({o.detail})")
        counts = Counter(o.outcome for o in result.outcomes)
        echo(f"{counts['approved']} approved, {counts['rejected']} rejected, "
                   f"{counts['comment']} comment(s), {counts['unchanged']} unchanged, "
                   f"{counts['refused']} refused; {len(result.written)} file(s) written")
    if result.refused:
        sys.exit(1)


@main.command()
@click.argument("old")
@click.argument("new", required=False)
@format_option("text", "json")
@click.pass_obj
def diff(obj: Context, old: str, new: str | None, fmt: str) -> None:
    """What changed between two versions: git revisions of terms/, or JSON exports.

    Reports concepts added, removed or retired, terms added, removed or changed,
    definitions changed and review states changed. OLD and NEW are each a git revision
    (tag, branch, commit), a JSON export (glossary export json), a terms folder or a
    project folder; without NEW, terms/ as it is now (edits not yet committed too).

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
        echo(change.describe())
    counts = report.counts()
    echo(", ".join(f"{n} {k}" for k, n in counts.items()) if counts else
               f"no changes between {old} and {new or 'terms/'}")
