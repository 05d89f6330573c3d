"""Core commands: check, build, search, stats, new."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from glossary.cli.app import (
    EXIT_PROBLEMS,
    EXIT_USAGE,
    Context,
    echo,
    emit_json,
    format_option,
    main,
    progress_bar,
    shown,
    user_errors,
)


@main.command()
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1 on any problem).")
@click.option("--fix", is_flag=True,
              help="First repair what needs no judgement: a byte order mark, CRLF line "
              "endings, Khmer text not in the stored form, invisible characters in a term.")
@format_option("text", "json")
@click.pass_obj
def check(obj: Context, strict: bool, fix: bool, fmt: str) -> None:
    """Validate terms/ and list every problem as path:line: CODE: message (hint).

    Exits 1 when there is an error (or any warning with --strict), 0 otherwise.
    --fix rewrites the files it repairs (comments and layout kept) and names them on
    stderr; what it cannot repair is listed as usual.

    \b
    Example:
      $ glossary check
      terms/bias.toml:7: invisible-char: km.terms[0].text: contains U+200B
      ZERO WIDTH SPACE (remove it; glossary check --fix does)
      $ glossary check --fix
      fixed terms/bias.toml: 1 text(s) put in the stored form
    """
    from glossary import loader, pipeline
    from glossary.problems import Level

    with user_errors():
        settings = obj.settings()
        if fix:
            for fixed in pipeline.fix_terms(settings):
                echo(f"fixed {shown(fixed.path, settings.root)}: {', '.join(fixed.what)}",
                     err=True)
        problems = loader.check(settings)
    errors = sum(p.level is Level.ERROR for p in problems)
    warnings = len(problems) - errors
    if fmt == "json":
        emit_json({"errors": errors, "warnings": warnings,
                   "problems": [p.as_dict(settings.root) for p in problems]})
    else:
        for problem in problems:
            echo(problem.format(settings.root))
        echo(f"{errors} error(s), {warnings} warning(s)", err=True)
    if errors or (strict and warnings):
        sys.exit(EXIT_PROBLEMS)


@main.command()
@click.option("--only", "only", multiple=True, metavar="TARGET",
              help="Build only this output (repeatable), e.g. db or site.")
@click.option("--strict", is_flag=True, help="Refuse to build when there are warnings.")
@click.option("--timings", is_flag=True,
              help="Show the CPU and wall-clock seconds of reading terms/ and of each output.")
@click.pass_obj
def build(obj: Context, only: tuple[str, ...], strict: bool, timings: bool) -> None:
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
        with progress_bar("reading terms/", lambda: _concept_files(settings.terms_dir)) as progress:
            report = pipeline.build(settings, targets, strict=strict, progress=progress)
    echo(f"built {report.concepts} concepts, {report.terms} terms "
               f"(revision {report.revision})")
    rows = [(_paths_shown([Path(shown(p, settings.root)) for p in result.paths]), result.status)
            for result in report.targets]
    width = max((len(name) for name, _ in rows), default=0)
    for (name, status), result in zip(rows, report.targets, strict=True):
        timing = f"  ({_seconds(result.cpu, result.wall)})" if timings else ""
        echo(f"  {name.ljust(width)}  {status}{timing}")
    if timings:
        cpu = report.load_cpu + sum(r.cpu for r in report.targets)
        wall = report.load_wall + sum(r.wall for r in report.targets)
        echo(f"  reading terms/: {_seconds(report.load_cpu, report.load_wall)}; "
             f"in all: {_seconds(cpu, wall)}")


def _concept_files(terms_dir: Path) -> int:
    """How many concept files terms/ has: the length of the progress bar."""
    from glossary.source import is_concept_name

    try:
        with os.scandir(terms_dir) as entries:
            return sum(1 for entry in entries if is_concept_name(entry.name))
    except OSError:
        return 0


def _seconds(cpu: float, wall: float) -> str:
    return f"cpu {cpu:.2f} s, wall {wall:.2f} s"


def _paths_shown(paths: list[Path]) -> str:
    """A target's files on one short line: up to two named, else their folder and count
    (``build/approved/ (6 files)``)."""
    if len(paths) <= 2:
        return ", ".join(str(p) for p in paths)
    return f"{Path(os.path.commonpath(paths))}/ ({len(paths)} files)"


@main.command()
@click.argument("query")
@click.option("--lang", type=click.Choice(["en", "km"]), default=None,
              help="Language of the query (default: guessed from the script).")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@format_option("text", "json")
@click.pass_obj
def search(obj: Context, query: str, lang: str | None, limit: int, fmt: str) -> None:
    """Find concepts, documents and sections by English or Khmer term.

    The same matching and ranking as the site's search page: case, plurals, hyphens,
    spaces and joined forms (human in the loop = human-in-the-loop), word order,
    acronyms, Khmer with or without spaces or zero-width spaces and in any typing
    order, document titles, section names and numbers (B.2, §B.2).
    Exact headwords first, then whole words, prefixes, word prefixes and substrings;
    concepts before sections; shorter first. With no match,
    suggests close terms ("did you mean"). --lang orders ties in English A-Z or
    Khmer dictionary order (default: the query's script).

    \b
    Example:
      $ glossary search "human in the loop"
      human-in-the-loop  human-in-the-loop  មនុស្សក្នុងរង្វិលជុំ  [proposed]
    """
    from glossary import pipeline
    from glossary.search import match_key

    if not match_key(query).strip():  # nothing to look for: spaces, dashes, quotes…
        echo(f"Error: the query {query!r} has no letter or digit to search for "
             "(give a term, e.g. glossary search \"data\")", err=True)
        sys.exit(EXIT_USAGE)
    with user_errors():
        found = pipeline.search(obj.settings(), query, lang=lang, limit=limit)
    if fmt == "json":
        emit_json({
            "query": query, "total": found.total,
            "results": [{"kind": h.item.kind, "id": h.item.id, "concept": h.item.id,
                         "en": h.item.en, "km": h.item.km, "review": h.item.km_review or None,
                         "en_review": h.item.en_review or None, "matched": h.term.text,
                         "matched_status": h.term.status or None, "lang": h.term.lang,
                         "match": h.match} for h in found.hits],
            "suggestions": [{"kind": s.item.kind, "id": s.item.id, "term": s.term.text,
                             "lang": s.term.lang, "distance": s.distance}
                            for s in found.suggestions],
        })
        return
    if not found.hits:
        shown_query = query if len(query) <= 80 else query[:79] + "…"  # a pasted page
        echo(f"no match for {shown_query!r}", err=True)
        if found.suggestions:
            names = ", ".join(f"{s.term.text} ({s.item.id})" for s in found.suggestions)
            echo(f"did you mean: {names}", err=True)
        return
    width = max(len(h.item.id) for h in found.hits)
    for h in found.hits:
        item = h.item
        state = item.km_review or "none" if item.kind == "concept" else item.kind
        line = f"{item.id:<{width}}  {item.en or '-'}  {item.km or '-'}  [{state}]"
        if h.term.text not in (item.en, item.km):  # found by another of its terms
            line += f"  matched: {h.term.text}" + (f" ({h.term.status})" if h.term.status
                                                     else "")
        echo(line)
    if found.total > len(found.hits):
        echo(f"showing {len(found.hits)} of {found.total} (--limit N shows more)",
                   err=True)


@main.command()
@format_option("text", "json")
@click.pass_obj
def stats(obj: Context, fmt: str) -> None:
    """Concepts, terms per language and review state, the Khmer terms' review per domain,
    and coverage per document section.

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
    echo(f"concepts: {result.concepts}" + (f" (+{result.retired} retired)"
                                                 if result.retired else ""))
    for lang, states in result.terms.items():
        parts = ", ".join(f"{n} {state}" for state, n in states.items())
        echo(f"terms {lang}: {parts}")
    for lang, n in result.definitions.items():
        states = result.definition_reviews[lang]
        parts = ", ".join(f"{count} {state}" for state, count in states.items())
        echo(f"definitions {lang}: {n}" + (f" ({parts})" if n else ""))
    echo(f"concepts without Khmer: {len(result.without_khmer)}")
    echo("Khmer terms per domain:")
    for domain in result.domains:
        parts = ", ".join(f"{n} {state}" for state, n in domain.km_terms.items())
        echo(f"  {domain.domain:<22} {domain.concepts:>4} concepts  {parts}")
    echo("references per document section:")
    doc = None
    for row in result.coverage:
        if row["doc"] != doc:
            doc = row["doc"]
            echo(f"  {row['short']}")
        mark = "" if row["concepts"] else "   <- not cited yet"
        echo(f"    §{row['section']:<14} {row['concepts']:>4}  {row['title']}{mark}")


@main.command()
@click.argument("concept_id", metavar="ID")
@click.option("--en", "en", required=True, help="The English preferred term.")
@click.option("--km", "km", default=None, help="A proposed Khmer term.")
@click.option("--definition", default=None, help="An English definition.")
@click.option("--definition-km", "definition_km", default=None,
              help="A proposed Khmer definition.")
@click.option("--by", "by", default=None, metavar="NAME",
              help="Who proposes the terms and definitions (recorded as proposed_by).")
@click.option("--source", "sources", multiple=True, metavar="DOC:SECTION",
              help="A reference, e.g. asean-guide-2024:B.2, or as the glossary cites "
              "it: 'asean-guide-2024 §B.2, p. 12' (repeatable).")
@click.option("--domain", "domains", multiple=True, help="A domain id (repeatable).")
@click.pass_obj
def new(obj: Context, concept_id: str, en: str, km: str | None, definition: str | None,
        definition_km: str | None, by: str | None, sources: tuple[str, ...],
        domains: tuple[str, ...]) -> None:
    """Create terms/ID.toml for a new concept from a template. Its terms and definitions
    are proposals, dated today, of --by NAME when given.

    \b
    Example:
      $ glossary new synthetic-data --en "synthetic data" --km "ទិន្នន័យសំយោគ" \\
          --source asean-genai-guide-2025:policy.2 --domain data --by "Sok Dara"
      created terms/synthetic-data.toml

    A term that another concept already has is named (a "note: …" line) on stderr.
    """
    from glossary import pipeline
    from glossary.source.new import kept_in_english

    with user_errors():
        settings = obj.settings()
        path = pipeline.new_concept(settings, concept_id, en, km, sources, domains, definition,
                                    definition_km, by)
    echo(f"created {shown(path, settings.root)}")
    if km and kept_in_english(km):
        echo(f"note: --km {km!r} has no Khmer letters: written as kept in English (dnt = "
             "true)", err=True)
    with user_errors():
        same = pipeline.terms_in_use(settings, concept_id, [("en", en), ("km", km or "")])
    for other, lang, text in same:
        echo(f"note: {text!r} is already a{'n English' if lang == 'en' else ' Khmer'} term "
             f"of {other} (if it is the same concept, delete {path.name} and add to "
             f"{other}.toml; if not, add a note to each that tells them apart)", err=True)
