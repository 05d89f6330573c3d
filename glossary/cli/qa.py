"""`glossary qa`: check translations and drafts against the glossary."""

from __future__ import annotations

import sys
from collections import Counter
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
    user_errors,
)


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path), metavar="FILE...")
@click.option("--min-review", type=click.Choice(["approved", "proposed"]), default="approved",
              show_default=True,
              help="Khmer terms reviewed at least this far are the reference "
                   "(proposed: while review is under way).")
@format_option("text", "json", "github")
@click.option("--include-fuzzy", is_flag=True,
              help="Check fuzzy PO entries too (skipped by default: their msgstr is a "
                   "stale guess).")
@click.option("--domain", "domains", multiple=True, metavar="DOMAIN",
              help="Check only the concepts of this domain (repeatable; ids as in "
                   "terms/_domains.toml).")
@click.option("--ai-context", is_flag=True,
              help="Treat every entry as being about AI: general words (prompt, label, "
                   "feature, security …, qa_context = \"ai\") and acronyms are checked "
                   "even where nothing else in the msgid is an AI term.")
@click.option("--allow-empty", is_flag=True,
              help="Exit 0 even when no Khmer term reaches --min-review (by default that "
                   "is an error, so a CI gate cannot pass without checking anything).")
@click.option("--original", type=click.Path(path_type=Path), default=None, metavar="FILE",
              help="The English original of the one FILE, its Khmer translation (text, "
                   "Markdown or .docx): paragraphs are paired in order and each Khmer one "
                   "is checked against its English one.")
@click.option("--extract", "do_extract", is_flag=True,
              help="Write the part of the glossary the files use to -o OUT.po or OUT.csv.")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="With --extract: the PO or CSV file to write.")
@click.option("--annotate", type=click.Path(path_type=Path), default=None,
              metavar="OUT.docx",
              help="Write a copy of the one .docx FILE with each paragraph's findings as "
                   "a Word comment (the FILE itself is not changed).")
@click.pass_obj
def qa(obj: Context, files: tuple[Path, ...], min_review: str, fmt: str,
       include_fuzzy: bool, domains: tuple[str, ...], ai_context: bool, allow_empty: bool,
       original: Path | None, do_extract: bool, output: Path | None,
       annotate: Path | None) -> None:
    """Check PO catalogs, text/Markdown files and Word .docx documents against the glossary.

    In PO files (English msgid, Khmer msgstr): a glossary term in the msgid whose Khmer
    term is missing from the msgstr, and deprecated or rejected Khmer terms. In text and
    .docx: deprecated or rejected Khmer terms, and the glossary terms found in English
    text with their Khmer equivalents. With --original, a Khmer translation is checked
    against its English original paragraph by paragraph, as a PO entry is; with
    --annotate, a copy of a .docx gets the findings as Word comments. Khmer matching
    ignores zero-width spaces and the order signs were typed in. Exits 1 when there
    are findings (glossary-term notes do not count), 0 otherwise, 2 on bad input.

    \b
    Examples:
      $ glossary qa po/km.po docs/report.md --min-review proposed
      docs/report.md:4:22: deprecated-term: ទិន្នន័យឯកជន → ទិន្នន័យផ្ទាល់ខ្លួន  [for personal-data]
      $ glossary qa --format github po/km.po
      $ glossary qa --original guide-en.docx guide-km.docx --min-review proposed
      $ glossary qa guide-km.docx --annotate guide-km-qa.docx
      $ glossary qa --extract docs/policy.docx -o policy-terms.po
    """
    if not files:
        raise click.UsageError("name at least one FILE to check")
    if do_extract and output is None:
        raise click.UsageError("--extract needs -o OUT.po or -o OUT.csv")
    if output is not None and not do_extract:
        raise click.UsageError("-o is only used with --extract")
    if original is not None and (len(files) != 1 or do_extract):
        raise click.UsageError("--original checks one FILE, its Khmer translation: "
                               "glossary qa --original EN.docx KM.docx")
    if annotate is not None:
        if len(files) != 1 or files[0].suffix.lower() != ".docx" or do_extract:
            raise click.UsageError("--annotate comments one .docx FILE: "
                                   "glossary qa KM.docx --annotate KM-qa.docx")
        if annotate.suffix.lower() != ".docx":
            raise click.UsageError(f"--annotate writes a Word document: name it "
                                   f"{annotate.with_suffix('.docx').name}")
        if annotate.resolve() == files[0].resolve():
            raise click.UsageError(f"--annotate would write over {files[0]}: name another "
                                   "file (the document is never changed)")
    from glossary import qa as qa_lib
    from glossary import selection

    with user_errors():
        settings = obj.settings()
        ref = qa_lib.load_reference(settings, min_review)
        selection.known_domains(ref.glossary, domains)
        if output is not None:
            count = qa_lib.extract_terms(ref, files, output)
            echo(f"wrote {output} ({count} concept(s))")
            return
        options = qa_lib.CheckOptions(include_fuzzy=include_fuzzy, domains=domains,
                                      ai_context=ai_context)
        if original is not None:
            report = qa_lib.check_translation(ref, original, files[0], options)
        else:
            report = qa_lib.check_paths(ref, files, options=options)
    findings, problems = report.findings, report.problems
    if annotate is not None:
        from glossary.qa.annotate import annotate as write_annotated

        with user_errors():
            made, held = write_annotated(files[0], findings, annotate)
        echo(f"wrote {annotate} ({made} comment(s) holding {held} finding(s))", err=True)
    if fmt == "json":
        emit_json({"files": report.files, "min_review": min_review,
                   "problems": len(problems), "counts": report.counts(),
                   "notes": list(report.notes),
                   "findings": [f.as_dict() for f in findings]})
    else:
        form = qa_lib.format_github if fmt == "github" else qa_lib.format_text
        for note in report.notes:
            echo(note, err=True)
        for finding in findings:
            echo(form(finding))
        by_rule = Counter(f.rule for f in problems)
        detail = ", ".join(f"{n} {rule}" for rule, n in sorted(by_rule.items()))
        listed = len(findings) - len(problems)
        echo(f"{len(problems)} finding(s) in {report.files} file(s)"
             + (f" ({detail})" if detail else "")
             + (f"; {listed} glossary term(s) listed" if listed else ""), err=True)
    # after the files were read (bad input is reported as such) and the findings shown
    if qa_lib.reference_terms(ref, domains) == 0:
        where = f" in domain {', '.join(domains)}" if domains else ""
        echo(f"warning: no Khmer term{where} is {min_review} yet, so QA checks against "
             "nothing (approve terms with `glossary review approve CONCEPT --by NAME`, or "
             "run with --min-review proposed; --allow-empty accepts this)", err=True)
        if not allow_empty:
            sys.exit(EXIT_USAGE)
    if problems:
        sys.exit(EXIT_PROBLEMS)
