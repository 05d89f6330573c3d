"""Writing an import plan to ``terms/``: new concepts as new files, changed concepts
rewritten, the Khmer translations through the shared review of the PO import.
The plan itself is made by :mod:`glossary.imports.plan`; :mod:`glossary.imports.run`
calls this under the terms lock."""

from __future__ import annotations

from pathlib import Path

from glossary.errors import ReviewError
from glossary.imports import proposals
from glossary.imports.report import ImportPlan
from glossary.model import Glossary
from glossary.source import new as source_new


def apply(plan: ImportPlan, terms_dir: Path, glossary: Glossary, by: str,
          fold_coeng_da: bool = True) -> list[Path]:
    """Write new and changed concepts to ``terms/``, then the Khmer translations through
    :func:`glossary.imports.proposals.apply` (an approved term is never replaced: the alternative is
    added for a reviewer, as in the PO import). Other conflicts are never written. Hold
    the terms lock, with ``glossary`` loaded under it."""
    written: list[Path] = []
    for concept in plan.new:
        try:
            written.append(source_new.create_concept_file(terms_dir, concept))
        except FileExistsError:
            raise ReviewError(f"{concept.id}.toml already exists", path=terms_dir,
                              hint="run the import again: it will match that concept") from None
    for concept_id, concept in sorted(plan.updated.items()):
        written.append(source_new.rewrite_concept_file(terms_dir / f"{concept_id}.toml",
                                                       concept, fold_coeng_da))
    if plan.review.applicable:
        result = proposals.apply(plan.review, glossary, terms_dir, by=by,
                              origin=f"imported:{plan.path.name}", fold_coeng_da=fold_coeng_da)
        written.extend(p for p in result.written if p not in written)
        plan.skipped.update(f"not added: {note}" for note in result.skipped)
    plan.written = written
    return written
