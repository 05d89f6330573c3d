"""One import, from a file name to a report (and, with ``apply_changes``, to terms/):
read it with its registered format → plan it against the glossary → apply.

Two routes, by :attr:`glossary.formats.Format.reads`: ``records`` (TBX, CSV, XLSX:
whole concepts, :mod:`glossary.imports.plan`) and ``proposals`` (a returned PO: Khmer
terms for English terms, :mod:`glossary.imports.proposals`).
"""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import Any

from glossary import formats
from glossary.errors import ReviewError
from glossary.formats.options import ReadOptions
from glossary.imports import clean, proposals
from glossary.imports.apply import apply
from glossary.imports.plan import plan
from glossary.imports.report import ImportPlan
from glossary.lock import terms_lock


def _check_by(by: str | None, apply_changes: bool, decisions: bool = False) -> str | None:
    """The name ``--by`` gives, as recorded (:func:`clean.person`), or None; a
    ReviewError when the import needs one and has none."""
    if by is not None:
        by = clean.person(by, "--by needs a name")
    if apply_changes and not by:
        raise ReviewError("--apply needs --by NAME",
                          hint="name the person who takes responsibility for the import")
    if decisions and not by:
        raise ReviewError("--decisions needs --by NAME",
                          hint="name the reviewer who filled in the file's review columns")
    return by


def import_records(settings: Any, name: str, path: Path, *, by: str | None = None,
                   apply_changes: bool = False, columns: dict[str, str] | None = None,
                   decisions: bool = False) -> ImportPlan:
    """``glossary import NAME FILE`` for a format that reads whole concepts: read,
    compare, and with ``apply_changes`` (``by`` required) write. terms/ is read without
    validation: the plan needs the concepts only, and a problem elsewhere in terms/ is
    not the import's business. ``columns``: a CSV/XLSX in another layout (field →
    header, ``--columns``). ``decisions`` (``by`` required): the file's approvals and
    rejections are recorded as ``by``'s decisions; without it the file only proposes
    (the trust rule, :mod:`glossary.imports.trust`)."""
    from glossary import loader, source

    fmt = formats.get(name)
    if not fmt.readable or fmt.reads != "records":
        raise ReviewError(f"{name} is not imported as concept records")
    by = _check_by(by, apply_changes, decisions)
    options = ReadOptions(fold_coeng_da=settings.fold_coeng_da, stream=True, columns=columns)
    result = formats.load(name).read(path, options)
    with ExitStack() as stack:
        if apply_changes:
            stack.enter_context(terms_lock(settings.terms_dir, f"import ({path.name})"))
        taken = [p.stem for p in source.concept_paths(settings.terms_dir)]
        glossary = loader.load(settings).glossary
        planned = plan(glossary, result, by=by, taken=taken,
                       keep=apply_changes, decisions=decisions,
                       fold_coeng_da=settings.fold_coeng_da)
        if apply_changes:
            assert by is not None
            apply(planned, settings.terms_dir, glossary, by, settings.fold_coeng_da)
    return planned


def import_proposals(settings: Any, path: Path, *, by: str | None = None,
                     apply_changes: bool = False, include_fuzzy: bool = False,
                     match_english: bool = False
                     ) -> tuple[Any, proposals.ReviewReport, proposals.ApplyResult | None]:
    """``glossary import po FILE``: the returned catalog's Khmer terms compared with
    terms/ and, with ``apply_changes``, written. Fuzzy entries are skipped unless
    ``include_fuzzy``; a foreign catalog is matched by English text only with
    ``match_english``. Returns (the file read, the report, what was applied)."""
    from glossary import locale_catalogs

    by = _check_by(by, apply_changes)
    incoming = locale_catalogs.read_po(path, fold_coeng_da=settings.fold_coeng_da,
                                       include_fuzzy=include_fuzzy)
    report, result = proposals.import_terms(
        settings, incoming.terms, origin=f"imported:{path.name}",
        apply_changes=apply_changes, by=by, match_english=match_english)
    return incoming, report, result
