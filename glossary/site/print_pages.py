"""The printable glossary (``print.html``) and the approved list (``approved.html``):
which concepts they list, in what order, and their views. Their rows are reused between
builds by :mod:`glossary.site.print_rows`."""

from __future__ import annotations

import marshal
from collections.abc import Callable, Mapping
from typing import Any

from glossary.english_order import en_sort_key
from glossary.model import Concept, ConceptStatus, ReviewState
from glossary.site.pages import SiteModel, _review_fields, glossary_date
from glossary.site.spec import BuildContext, PageSpec
from glossary.site.views import ConceptLink, DomainView, PrintRow, PrintView


def _print_rows(model: SiteModel, approved_only: bool) -> list[tuple[Concept, Any, Any]]:
    """The concepts of a print page with their preferred terms (computed once per page
    kind in a build: the fingerprint and both languages' views use them)."""
    found = model._print_rows.get(approved_only)
    if found is not None:
        return found
    rows = []
    for concept in model.active:
        en = concept.en.preferred
        km = concept.km.preferred
        if approved_only and (km is None or km.review.state is not ReviewState.APPROVED):
            continue
        rows.append((concept, en, km))
    model._print_rows[approved_only] = rows
    return rows


def print_row(concept: Concept, model: SiteModel, approved_only: bool) -> PrintRow | None:
    """The row of ``concept`` on a print page (None when the page does not list it)."""
    km = concept.km.preferred
    if concept.status is ConceptStatus.RETIRED or approved_only and (
            km is None or km.review.state is not ReviewState.APPROVED):
        return None
    return _print_row(concept, concept.en.preferred, km, model.links, approved_only)


def _print_row(concept: Concept, en: Any, km: Any, links: Mapping[str, ConceptLink],
               approved_only: bool) -> PrintRow:
    en_def = concept.en.definition
    return PrintRow(links[concept.id], en.text if en else "", en.review.state.value if en else "",
                    km.text if km else "", km.review.state.value if km else "",
                    en_def.text if en_def else "", _km_definition(concept, approved_only),
                    km.review.approved_by if km else None, km.review.approved_on if km else None,
                    tuple(concept.domains))


def print_order(model: SiteModel, lang: str) -> Callable[[str], tuple[Any, ...]]:
    """The sort key of a concept's row on the ``lang`` print page, by concept id: its
    English (or Khmer, then English) preferred term, then its id."""
    links = model.links

    def english(cid: str) -> tuple[Any, ...]:
        en = links[cid].en
        return (not en, en_sort_key(en), cid)

    def khmer(cid: str) -> tuple[Any, ...]:
        link = links[cid]
        return (not link.km, model.km_keys(link.km) if link.km else b"",
                en_sort_key(link.en), cid)

    return khmer if lang == "km" else english


def whole_fingerprint(revision: str, fold_coeng_da: bool,
                      compute: Callable[[], bytes]) -> bytes:
    """The fingerprint of a page made from the whole glossary that shows the revision
    (the print pages, which change with every edit anyway): the revision, a content
    hash of every file in terms/, with the setting that changes how they read, when the
    builder has one; else ``compute()`` (a library caller), which reads every concept.
    Not for the search index: most edits (a definition) leave it as it was."""
    if revision:
        return f"revision|{revision}|{fold_coeng_da}|".encode()
    return compute()


def _km_definition(concept: Concept, approved_only: bool) -> str:
    """The Khmer definition a print page shows: on the approved list only an approved one
    (as the approved downloads hold), else any."""
    found = concept.km.definition
    if found is None or approved_only and found.review.state is not ReviewState.APPROVED:
        return ""
    return found.text


def print_fingerprint(model: SiteModel, approved_only: bool = False) -> bytes:
    rows: list[Any] = []
    for concept, en, km in _print_rows(model, approved_only):
        rows.append((concept.id, en.text if en else "", en.review.state.value if en else "",
                     km.text if km else "", km.review.state.value if km else "",
                     concept.en.definition.text if concept.en.definition else "",
                     _km_definition(concept, approved_only),
                     _review_fields(km.review) if km else None,
                     str(model.last_changed(concept)), tuple(concept.domains)))
    return marshal.dumps((tuple(rows), len(model.active)), 2)


def _print_view_rows(model: SiteModel, approved_only: bool) -> list[PrintRow]:
    """The rows of a print page, unsorted: made once per build (the English and the
    Khmer page, and the approved list, share the row objects)."""
    found = model._print_view_rows.get(approved_only)
    if found is not None:
        return found
    if approved_only and False in model._print_view_rows:
        every = {row.concept.id: row for row in model._print_view_rows[False]}
        rows = []
        for concept, _, _ in _print_rows(model, True):
            row, shown = every[concept.id], _km_definition(concept, True)
            rows.append(row if row.km_definition == shown else row._replace(km_definition=shown))
    else:
        links = model.links
        rows = [_print_row(concept, en, km, links, approved_only)
                for concept, en, km in _print_rows(model, approved_only)]
    model._print_view_rows[approved_only] = rows
    return rows


def print_view(model: SiteModel, lang: str, revision: str = "",
               approved_only: bool = False) -> PrintView:
    rows = list(_print_view_rows(model, approved_only))
    order = print_order(model, lang)
    rows.sort(key=lambda r: order(r.concept.id))
    return PrintView(tuple(rows), revision, glossary_date(model), approved_only,
                     len(model.active), listed=len(rows), domains=domain_choices(model))


def domain_choices(model: SiteModel) -> tuple[DomainView, ...]:
    """The domains a print page's filter offers: every domain of the registry, in its
    order (the same whether the page is made whole or patched from the last one)."""
    return tuple(model.domains.values())


def print_spec(model: SiteModel, ctx: BuildContext, approved_only: bool = False) -> PageSpec:
    """The page ``print.html``, or ``approved.html`` (``approved_only``), in both
    languages; its fingerprint stands for the whole glossary (:func:`whole_fingerprint`)."""
    fingerprint = whole_fingerprint(ctx.revision, ctx.settings.fold_coeng_da,
                                    lambda: print_fingerprint(model, approved_only))
    return PageSpec(
        "print.html", "approved.html" if approved_only else "print.html",
        lambda: print_view(model, "en", ctx.revision, approved_only),
        nav="approved" if approved_only else "print",
        listing="approved" if approved_only else "all",
        view_km=lambda: print_view(model, "km", ctx.revision, approved_only),
        fingerprint=fingerprint + ctx.revision.encode())
