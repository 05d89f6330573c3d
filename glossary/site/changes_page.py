"""The changes page (``changes.html``): what changed since the last release tag.

A release is a git tag matching :data:`glossary.versions.RELEASE_TAGS` (``v1.0``,
``v1.1`` …); the page compares the glossary at the newest such tag reachable from HEAD
with the glossary being built. Without git, a repository or a release tag the page
still exists and says so. Finding the tag costs one ``git for-each-ref`` per build; the
glossary at the tag is read (``git cat-file --batch``, only the files that differ from
the work tree) and compared only when the page has to be rendered: its fingerprint is
the tag, its commit and the compared content of the glossary being built.
"""

from __future__ import annotations

import functools
import marshal
from collections.abc import Callable, Iterator
from itertools import groupby

from glossary import versions
from glossary.errors import GlossaryError
from glossary.model import Concept, Definition, Glossary, Review, Term
from glossary.site.pages import SiteModel
from glossary.site.spec import BuildContext, PageSpec
from glossary.site.views import (
    ChangeEntry,
    ChangesView,
    ConceptChanges,
    ConceptLink,
    ReviewStep,
)

PATH = "changes.html"
COMMIT_SHOWN = 12  # hex digits of the commit id shown on the page


def changes_pages(model: SiteModel, ctx: BuildContext) -> Iterator[PageSpec]:
    """The ``EXTRA_PAGES`` hook of :mod:`glossary.site.build`: one page, both languages."""
    settings = ctx.settings
    baseline = versions.last_release(settings.root)
    release = baseline.release
    # The page shows the comparison of two glossaries: the one at the tag (named by its
    # commit id) and the one being built (named by the revision, a content hash of terms/)
    fingerprint = marshal.dumps((
        baseline.state, versions.RELEASE_TAGS,
        (release.tag, release.commit, release.tagged_on.toordinal() if release.tagged_on
         else None) if release else None,
        ctx.revision, settings.fold_coeng_da), 2)

    @functools.cache  # once, for both languages
    def view() -> ChangesView:
        return changes_view(baseline, model, ctx)

    yield PageSpec("changes.html", PATH, view, nav="changes", fingerprint=fingerprint)


def changes_view(baseline: versions.Baseline, model: SiteModel,
                 ctx: BuildContext) -> ChangesView:
    release = baseline.release
    if release is None:
        return _empty(baseline.state)
    settings = ctx.settings
    try:
        old = versions.load_git(settings.root, settings.terms_dir, release.commit,
                               settings.fold_coeng_da, current=ctx.glossary, offline=True)
    except GlossaryError as exc:
        return _empty("unreadable", release, exc.message)
    report = versions.compare(old, ctx.glossary, release.tag, "work tree")
    groups = []
    # what a reader of the terms sees change: not the details (sources, see also, a
    # rationale …) that `glossary diff` lists for the reviewers
    shown = [c for c in report.changes if c.kind != "details-changed"]
    for cid, items in groupby(shown, key=lambda c: c.concept):
        link = model.links.get(cid)
        linked = link is not None
        if link is None:  # removed: named as it was at the release, without a link
            gone = old.concept(cid)
            link = _unlinked(gone) if gone is not None else ConceptLink(cid, "", "", "")
        entries = tuple(_entry(c, old, ctx.glossary) for c in items)
        groups.append(ConceptChanges(link, linked, entries))
    kinds = [{e.kind for e in g.entries} for g in groups]
    added = sum("concept-added" in k for k in kinds)
    retired = sum("concept-retired" in k for k in kinds)
    removed = sum("concept-removed" in k for k in kinds)
    return ChangesView("release", versions.RELEASE_TAGS, release.tag,
                       release.commit[:COMMIT_SHOWN], release.tagged_on, None, added, retired,
                       removed, len(groups) - added - retired - removed, tuple(groups))


def _empty(state: str, release: versions.Release | None = None,
           detail: str | None = None) -> ChangesView:
    return ChangesView(state, versions.RELEASE_TAGS, release.tag if release else None,
                       release.commit[:COMMIT_SHOWN] if release else None,
                       release.tagged_on if release else None, detail, 0, 0, 0, 0, ())


def _unlinked(concept: Concept) -> ConceptLink:
    en, km = concept.en.preferred, concept.km.preferred
    return ConceptLink(concept.id, "", en.text if en else "", km.text if km else "")


def _term(glossary: Glossary, cid: str, lang: str | None, index: int | None) -> Term | None:
    concept = glossary.concept(cid)
    if concept is None or lang is None or index is None:
        return None
    terms = concept.lang(lang).terms
    return terms[index] if 0 <= index < len(terms) else None


def _step(review: Review) -> ReviewStep:
    return ReviewStep(review.state.value, review.approved_by, review.approved_on)


_Maker = Callable[[versions.Change, Term | None, Term | None], ChangeEntry]

_ENTRIES: dict[str, _Maker] = {
    "term-added": lambda c, a, b: ChangeEntry(
        c.kind, c.lang, None, c.new, review_new=_step(b.review) if b else None),
    "review-changed": lambda c, a, b: ChangeEntry(
        c.kind, c.lang, term=c.detail, review_old=_step(a.review) if a else None,
        review_new=_step(b.review) if b else None),
    "status-changed": lambda c, a, b: ChangeEntry(c.kind, c.lang, c.old, c.new, term=c.detail),
}


def _definition(glossary: Glossary, cid: str, lang: str | None) -> Definition | None:
    concept = glossary.concept(cid)
    return concept.lang(lang).definition if concept is not None and lang else None


def _entry(change: versions.Change, old: Glossary, new: Glossary) -> ChangeEntry:
    if change.kind == "definition-review-changed":
        before = _definition(old, change.concept, change.lang)
        after = _definition(new, change.concept, change.lang)
        return ChangeEntry(change.kind, change.lang,
                           review_old=_step(before.review) if before else None,
                           review_new=_step(after.review) if after else None)
    make = _ENTRIES.get(change.kind)
    if make is None:  # concept-*, term-removed, term-changed, definition-changed
        return ChangeEntry(change.kind, change.lang, change.old, change.new)
    return make(change, _term(old, change.concept, change.lang, change.index),
                _term(new, change.concept, change.lang, change.index))

