"""Which Khmer term of an incoming concept translates which of its English terms.

An interchange file gives a concept's terms in two lists. The import hands each Khmer
term that translates one of the concept's English terms to the shared review of
:mod:`glossary.imports.proposals`, and it needs the English term it answers. A bilingual
sheet or an OmegaT glossary says it row by row: a Khmer term translates the English term
on its own line. Any other file is paired as an export pairs a concept
(:func:`glossary.pairs.pair_terms`, by type). An entry with no English term offers its
first Khmer term for the concept's first English term, as a PO entry would.
"""

from __future__ import annotations

from glossary.imports.naming import planned_text
from glossary.imports.records import InConcept, InTerm
from glossary.model import AdminStatus, Concept, LangSection, Review, ReviewState, Term, TermType
from glossary.pairs import pair_terms


def offered(concept_id: str, incoming: InConcept, by_row: bool) -> list[tuple[int, str]]:
    """(position in ``incoming.km.terms``, the English text it translates) for each
    Khmer term that translates one. ``by_row``: the file pairs terms by row (another
    tool's file); used only when every English term has a row of its own and every
    Khmer term is on one of them, alone."""
    km = incoming.km.terms
    rows = {t.line: t.text for t in incoming.en.terms if t.line}
    km_rows = [t.line for t in km if t.line in rows]
    if by_row and len(rows) == len(incoming.en.terms) \
            and len(set(km_rows)) == len(km_rows) == len(km):
        # a concept over several rows, as a sheet made from our PO has it, would
        # otherwise be paired by position
        return [(i, rows[line]) for i, line in enumerate(km_rows) if line]
    if not incoming.en.terms:
        return [(0, "")]
    draft = Concept(id=concept_id, en=LangSection(terms=tuple(
        _draft_term(t, i == 0) for i, t in enumerate(incoming.en.terms))),
        km=LangSection(terms=tuple(_draft_term(t, i == 0) for i, t in enumerate(km))))
    return [(pair.km_index, pair.en.text) for pair in pair_terms(draft)
            if pair.km_index is not None]


def _draft_term(incoming: InTerm, first: bool) -> Term:
    """What pairing needs of an incoming term (no review record: nothing is counted)."""
    return Term(text=planned_text(incoming.text),
                admin_status=incoming.admin_status or (AdminStatus.PREFERRED if first
                                                       else AdminStatus.ADMITTED),
                type=incoming.type or TermType.FULL_FORM,
                review=Review(state=ReviewState.PROPOSED))
