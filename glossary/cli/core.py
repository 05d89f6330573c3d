"""Core commands: check, build, search, stats, new, export json."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from glossary.cli.app import (
    EXIT_PROBLEMS,
    Context,
    Progress,
    emit_json,
    format_option,
    main,
    review_options,
    shown,
    user_errors,
    warn_if_empty,
)


@main.command()
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1 on any problem).")
@format_option("text", "json")
@click.pass_obj
def check(obj: Context, strict: bool, fmt: str) -> None:
    """Validate terms/ and list every problem as path:line: CODE: message (hint).

    Exits 1 when there is an error (or any warning with --strict), 0 otherwise.

    \b
    Example:
      $ glossary check
      terms/bias.toml:7: invisible-char: km.terms[0].text: contains U+200B
      ZERO WIDTH SPACE (remove it)
    """
    from glossary import loader
    from glossary.problems import Level

    with user_errors():
        settings = obj.settings()
        problems = loader.load(settings).problems
    errors = sum(p.level is Level.ERROR for p in problems)
    warnings = len(problems) - errors
    if fmt == "json":
        emit_json({"errors": errors, "warnings": warnings,
                   "problems": [p.as_dict(settings.root) for p in problems]})
    else:
        for problem in problems:
            click.echo(problem.format(settings.root))
        click.echo(f"{errors} error(s), {warnings} warning(s)", err=True)
    if errors or (strict and warnings):
        sys.exit(EXIT_PROBLEMS)


@main.command()
@click.option("--only", "only", multiple=True, metavar="TARGET",
              help="Build only this output (repeatable), e.g. db or site.")
@click.option("--strict", is_flag=True, help="Refuse to build when there are warnings.")
@click.pass_obj
def build(obj: Context, only: tuple[str, ...], strict: bool) -> None:
    """Validate terms/ and write everything in build/.

    \b
    Outputs whose inputs did not change are left alone (a second build writes
    nothing); the site writes only the pages that changed.

    \b
    Example:
      $ glossary build
      built 15 concepts, 42 terms (revision 3f2a9c1d0e4b)
        build/glossary.db    written
        build/site           4 files written, 68 unchanged
    """
    from glossary import pipeline

    with user_errors():
        settings = obj.settings()
        targets = only or None
        count = sum(1 for _ in settings.terms_dir.glob("*.toml")) if settings.terms_dir.is_dir() \
            else 0
        with Progress("reading terms/", count) as progress:
            report = pipeline.build(settings, targets, strict=strict, progress=progress)
    click.echo(f"built {report.concepts} concepts, {report.terms} terms "
               f"(revision {report.revision})")
    rows = [(", ".join(str(shown(p, settings.root)) for p in result.paths), result.status)
            for result in report.targets]
    width = max((len(name) for name, _ in rows), default=0)
    for name, status in rows:
        click.echo(f"  {name.ljust(width)}  {status}")


@main.command()
@click.argument("query")
@click.option("--lang", type=click.Choice(["en", "km"]), default=None,
              help="Language of the query (default: guessed from the script).")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@format_option("text", "json")
@click.pass_obj
def search(obj: Context, query: str, lang: str | None, limit: int, fmt: str) -> None:
    """Find concepts by English or Khmer term: exact, then prefix, then substring.

    English is case- and plural-insensitive; Khmer ignores zero-width spaces and the
    order signs were typed in. Builds the database first when terms/ changed.

    \b
    Example:
      $ glossary search "language models"
      large-language-model  large language model  គំរូភាសាធំ  [proposed]
    """
    from glossary import pipeline

    with user_errors():
        hits = pipeline.search(obj.settings(), query, lang=lang, limit=limit)
    if fmt == "json":
        emit_json([
            {"concept": h.concept, "en": h.en, "km": h.km, "review": h.review,
             "matched": h.matched, "lang": h.lang, "match": h.match} for h in hits
        ])
        return
    if not hits:
        click.echo(f"no match for {query!r}", err=True)
        return
    width = max(len(h.concept) for h in hits)
    for h in hits:
        click.echo(f"{h.concept:<{width}}  {h.en or '-'}  {h.km or '-'}  [{h.review or 'none'}]")


@main.command()
@format_option("text", "json")
@click.pass_obj
def stats(obj: Context, fmt: str) -> None:
    """Concepts, terms per language and review state, and coverage per document section.

    \b
    Example:
      $ glossary stats
      concepts: 15
      terms en: 0 draft, 20 proposed, 0 approved, 0 rejected
    """
    from glossary import pipeline

    with user_errors():
        result = pipeline.stats(obj.settings())
    if fmt == "json":
        emit_json(result.as_dict())
        return
    click.echo(f"concepts: {result.concepts}" + (f" (+{result.retired} retired)"
                                                 if result.retired else ""))
    for lang, states in result.terms.items():
        parts = ", ".join(f"{n} {state}" for state, n in states.items())
        click.echo(f"terms {lang}: {parts}")
    for lang, n in result.definitions.items():
        click.echo(f"definitions {lang}: {n}")
    click.echo(f"concepts without Khmer: {len(result.without_khmer)}")
    click.echo("references per document section:")
    doc = None
    for row in result.coverage:
        if row["doc"] != doc:
            doc = row["doc"]
            click.echo(f"  {row['short']}")
        mark = "" if row["concepts"] else "   <- not cited yet"
        click.echo(f"    §{row['section']:<14} {row['concepts']:>4}  {row['title']}{mark}")


@main.command()
@click.argument("concept_id", metavar="ID")
@click.option("--en", "en", required=True, help="The English preferred term.")
@click.option("--km", "km", default=None, help="A proposed Khmer term.")
@click.option("--definition", default=None, help="An English definition.")
@click.option("--source", "sources", multiple=True, metavar="DOC:SECTION",
              help="A reference, e.g. asean-guide-2024:B.2 (repeatable).")
@click.option("--domain", "domains", multiple=True, help="A domain id (repeatable).")
@click.pass_obj
def new(obj: Context, concept_id: str, en: str, km: str | None, definition: str | None,
        sources: tuple[str, ...], domains: tuple[str, ...]) -> None:
    """Create terms/ID.toml for a new concept from a template.

    \b
    Example:
      $ glossary new synthetic-data --en "synthetic data" --km "ទិន្នន័យសំយោគ" \\
          --source asean-genai-guide-2025:policy.2 --domain data
      created terms/synthetic-data.toml
    """
    from glossary import pipeline

    with user_errors():
        settings = obj.settings()
        path = pipeline.new_concept(settings, concept_id, en, km, sources, domains, definition)
    click.echo(f"created {shown(path, settings.root)}")


@main.group()
def export() -> None:
    """Write the glossary in an interchange format."""


@export.command("json")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Write to FILE instead of standard output.")
@review_options
@click.pass_obj
def export_json(obj: Context, output: Path | None, approved_only: bool,
                min_review: str | None) -> None:
    """The whole glossary as one JSON document (schema in the README).

    \b
    Example:
      $ glossary export json -o build/glossary.json
    """
    from glossary import pipeline, selection

    with user_errors():
        text, km_terms = pipeline.export_json(obj.settings(), output,
                                              selection.level(approved_only, min_review))
    if output is None:
        click.echo(text, nl=False)
    else:
        click.echo(f"wrote {output}")
    warn_if_empty(km_terms, approved_only, min_review, "the JSON export")


@main.group("import")
def import_() -> None:
    """Read terms back from an interchange file and report (or apply) the changes."""
