"""Review commands: review approve|reject|list, and diff (what changed between versions)."""

from __future__ import annotations

from typing import Any

import click

from glossary.cli.app import Context, echo, emit_json, format_option, main, shown, user_errors


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
    echo(f"{concept} {lang}[{term}] {decision.text}: {decision.previous} → "
               f"{decision.state} by {by.strip()}")
    echo(f"  {shown(decision.path, settings.root)}")


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
        echo(f"no {state} terms", err=True)
        return
    width = max(len(i.concept_id) for i in items)
    for i in items:
        who = ", ".join(x for x in (i.origin, i.proposed_by) if x)
        line = f"{i.concept_id:<{width}}  {i.lang}[{i.index}]  {i.text}  {i.admin_status}  {who}"
        if i.note:
            line += f"  ({i.note})"
        echo(line)
    echo(f"{len(items)} {state} term(s)", err=True)


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
        echo(change.describe())
    counts = report.counts()
    echo(", ".join(f"{n} {k}" for k, n in counts.items()) if counts else
               f"no changes between {old} and {new}")
