"""The index of the site by letter: the A–Z pages of the English terms and the ក–អ pages
of the Khmer terms (``letters/en-a.html``, ``letters/km-1780.html``: the code point of
the Khmer letter), their navigation bars, and what decides each page (its fingerprint),
so that a build makes the view of a page only when it has to render it."""

from __future__ import annotations

import functools
import marshal
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Mapping, Set
from typing import TYPE_CHECKING

from glossary import khmer_collation
from glossary.english_order import EN_LETTERS, OTHER, en_letter, en_sort_key
from glossary.model import Concept, Term
from glossary.site.views import LetterEntry, LetterNav, LetterView

if TYPE_CHECKING:
    from glossary.site.pages import SiteModel


def letter_path(script: str, heading: str) -> str:
    if heading == OTHER:
        return f"letters/{script}-other.html"
    if script == "en":
        return f"letters/en-{heading}.html"
    return f"letters/km-{ord(heading):04x}.html"



_HEADINGS = frozenset(khmer_collation.INDEX_HEADINGS)


def km_heading(text: str) -> str:
    """:func:`khmer_collation.index_heading` for text already normalized (as loaded text is)."""
    for ch in text:
        if ch.isspace() or unicodedata.category(ch) == "Cf":
            continue
        return ch if ch in _HEADINGS else OTHER
    return OTHER


def _groups(model: SiteModel, script: str) -> dict[str, list[tuple[Concept, Term]]]:
    """The terms of ``script`` under each index heading, with their concepts, in the
    glossary's order."""
    groups: dict[str, list[tuple[Concept, Term]]] = defaultdict(list)
    heading_of = en_letter if script == "en" else km_heading
    for concept in model.active:
        for term in concept.lang(script).terms:
            groups[heading_of(term.text)].append((concept, term))
    return groups


def _entries(model: SiteModel, script: str,
             terms: list[tuple[Concept, Term]]) -> list[LetterEntry]:
    out = []
    for concept, term in terms:
        out.append(LetterEntry(term.text, script, model.links[concept.id],
                               term is concept.lang(script).preferred,
                               term.admin_status.value, term.review.state.value,
                               concept.domains))
    return out


def _sorted(entries: list[LetterEntry], script: str,
            model: SiteModel) -> tuple[LetterEntry, ...]:
    # Khmer: grouped first (the caller did), then sorted inside the group with the
    # CLDR-style key: ឥ/ឧ words interleave with អ words, so a global sort must not be split.
    key: Callable[[str], object] = en_sort_key if script == "en" else model.km_keys
    return tuple(sorted(entries, key=lambda e: (key(e.text), e.concept.id)))


def _entries_fingerprint(terms: list[tuple[Concept, Term]], nav: tuple[LetterNav, ...],
                         fingerprints: Mapping[str, str]) -> bytes:
    """What decides a letter page (with the registry, in the caller's key): each entry's
    concept id and that concept's index fingerprint
    (:func:`glossary.site.state.index_fingerprint`, which covers all its entries show),
    and the navigation bar; the entries themselves are not made."""
    ids = [concept.id for concept, _ in terms]
    rows = "\n".join(ids) + "\0" + "\n".join(map(fingerprints.__getitem__, ids))
    bar = marshal.dumps(tuple((n.heading, n.path, n.entries) for n in nav), 2)
    return rows.encode() + b"\0" + bar


LetterPage = tuple[str, bytes, Callable[[], LetterView]]


def letter_pages(model: SiteModel, fingerprints: Mapping[str, str],
                 only: Set[str] | None = None) -> tuple[
        tuple[LetterNav, ...], tuple[LetterNav, ...], list[LetterPage]]:
    """The A–Z and ក–អ navigation bars and every index page as (path, fingerprint,
    a function making its view): making the entries and sorting them wait until a page
    has to be rendered, and are done once for both languages' pages. ``fingerprints``:
    every active concept's index fingerprint (see :func:`_entries_fingerprint`).
    ``only``: the paths of the pages wanted (None: every page)."""
    pages: list[LetterPage] = []
    navs: dict[str, tuple[LetterNav, ...]] = {}
    for script, headings in (("en", EN_LETTERS), ("km", khmer_collation.INDEX_HEADINGS)):
        groups = _groups(model, script)
        order = list(headings) if script == "en" else [
            h for h in headings if h in groups or h in _KM_ALWAYS]
        if OTHER in groups:
            order.append(OTHER)
        nav = tuple(
            LetterNav(h, letter_path(script, h) if h in groups else None, len(groups.get(h, ())))
            for h in order
        )
        navs[script] = nav
        for heading in order:
            if heading in groups and (only is None or letter_path(script, heading) in only):
                terms = groups[heading]

                def make(script: str = script, heading: str = heading,
                         terms: list[tuple[Concept, Term]] = terms,
                         nav: tuple[LetterNav, ...] = nav) -> LetterView:
                    entries = _entries(model, script, terms)
                    used = {d for e in entries for d in e.domains}
                    return LetterView(script, heading, _sorted(entries, script, model), nav,
                                      tuple(v for k, v in model.domains.items() if k in used))

                pages.append((letter_path(script, heading),
                              _entries_fingerprint(terms, nav, fingerprints),
                              functools.cache(make)))
    return navs["en"], navs["km"], pages


# The 33 consonants are always shown in the Khmer bar (greyed when empty); the
# independent vowels only when a term starts with one.
_KM_ALWAYS = frozenset(chr(c) for c in range(0x1780, 0x17A3))
