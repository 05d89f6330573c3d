"""Term QA: check translations and drafts against the glossary.

The package has one module per job:

* :mod:`~glossary.qa.trie` -- a character trie over search keys, walked from each
  cluster boundary (linear in the text, pure Python);
* :mod:`~glossary.qa.keys` -- matching keys for running text with a map back to the
  original positions (Khmer), and English words with their inflections;
* :mod:`~glossary.qa.reference` -- what the glossary says about each term at a review
  threshold, and the Khmer and English matchers built from it;
* :mod:`~glossary.qa.readers` -- PO/POT, text/Markdown and .docx readers;
* :mod:`~glossary.qa.checks` -- the rules, producing :class:`Finding` objects;
* :mod:`~glossary.qa.pairing` -- a Khmer translation against its English original,
  paragraph by paragraph;
* :mod:`~glossary.qa.findings` -- findings and their text/JSON/GitHub forms;
* :mod:`~glossary.qa.extract` -- the subset of the glossary a document uses, as PO/CSV.

This module holds the entry points the CLI calls.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from glossary import collector
from glossary.config import Settings
from glossary.qa.checks import check_document
from glossary.qa.findings import Finding, Severity, format_github, format_text
from glossary.qa.readers import Document, read_document
from glossary.qa.reference import Reference
from glossary.qa.scope import CheckOptions

__all__ = [
    "CheckOptions",
    "Finding",
    "QAReport",
    "Reference",
    "Severity",
    "check_paths",
    "check_translation",
    "extract_terms",
    "format_github",
    "format_text",
    "load_reference",
    "reference_terms",
]


@dataclass(frozen=True)
class QAReport:
    files: int
    findings: list[Finding]
    notes: tuple[str, ...] = ()  # how the files were read (a translation's pairing)

    @property
    def problems(self) -> list[Finding]:
        return [f for f in self.findings if f.is_problem]

    def counts(self) -> dict[str, int]:
        return dict(sorted(Counter(f.rule for f in self.findings).items()))


def load_reference(settings: Settings, min_review: str = "approved") -> Reference:
    """The reference from terms/ read through the parse cache (problems are not
    reported: QA uses whatever the files say)."""
    from glossary import loader

    return Reference(loader.load(settings).glossary, min_review)


def read_all(paths: Sequence[Path]) -> Iterator[tuple[Document, str]]:
    """Each file as a streamed document with its path as shown, opened in turn (one
    file in memory at a time). Bad input raises FormatError during the run; nothing is
    output before it ends."""
    for path in paths:
        yield read_document(path), path.as_posix()


def reference_terms(ref: Reference, domains: Sequence[str] = ()) -> int:
    """How many Khmer terms QA checks against at the reference's review level (within
    ``domains`` when given): 0 means a run can find no missing term at all."""
    return sum(len(terms) for cid, terms in ref.good.items()
               if not domains or any(d in domains for d in ref.concepts[cid].domains))


def check_paths(ref: Reference, paths: Sequence[Path],
                options: CheckOptions | None = None) -> QAReport:
    """Check each file against the glossary; raise FormatError on unreadable input."""
    with collector.paused():
        findings: list[Finding] = []
        files = 0
        for doc, display in read_all(paths):
            findings.extend(check_document(ref, doc, display, options))
            files += 1
    return QAReport(files, findings)


def check_translation(ref: Reference, original: Path, translation: Path,
                      options: CheckOptions | None = None) -> QAReport:
    """Check a Khmer translation against its English original (text, Markdown or
    .docx), paragraph by paragraph (:mod:`glossary.qa.pairing`); FormatError on a PO
    catalog (its entries pair English and Khmer already) or unreadable input."""
    from glossary.errors import FormatError
    from glossary.qa.pairing import check_translation as check_pair

    documents = [read_document(path) for path in (original, translation)]
    for doc in documents:
        if doc.kind == "po":
            raise FormatError("a PO catalog holds its English and Khmer side by side "
                              "already", path=doc.path,
                              hint="check it without --original: glossary qa FILE.po")
    with collector.paused():
        pairing = check_pair(ref, documents[0], documents[1], original.as_posix(),
                             translation.as_posix(), options)
    return QAReport(2, pairing.findings,
                    pairing.notes(original.as_posix(), translation.as_posix()))


def extract_terms(ref: Reference, paths: Sequence[Path], output: Path) -> int:
    """Write the part of the glossary the files use to ``output`` (.po or .csv)."""
    from glossary.qa.extract import write_extract

    with collector.paused():
        return write_extract(ref, read_all(paths), output)
