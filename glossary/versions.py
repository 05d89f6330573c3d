"""What changed between two versions of the glossary (``glossary diff``, release notes).

A version is a git revision of ``terms/`` (files read with ``git cat-file`` — the work
tree is not touched), a directory holding concept files, or a JSON export
(``glossary export json``). :func:`compare` reports concepts added, removed or retired,
terms added, removed or changed (by position in each language), definitions changed and
review states changed — the material of the site's changes page, which compares the
glossary with the one at the last release tag (:func:`last_release`, tags ``v*``) — and,
in one ``details-changed`` line per concept, which of its other parts changed (domains,
sources, see-also links, notes, examples, a term's rationale …), so that a concept whose
file changed never looks unchanged.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from glossary import source
from glossary.errors import FormatError, GlossaryError, SourceError
from glossary.formats import jsonfmt
from glossary.model import Concept, ConceptStatus, Definition, Glossary, Review, Term


@dataclass(frozen=True)
class Change:
    concept: str
    kind: str  # concept-added, concept-removed, concept-retired, concept-restored,
    #            term-added, term-removed, term-changed, definition-changed, review-changed,
    #            definition-review-changed, status-changed, details-changed
    lang: str | None = None
    index: int | None = None
    old: str | None = None
    new: str | None = None
    detail: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"concept": self.concept, "kind": self.kind, "lang": self.lang,
                "term": self.index, "old": self.old, "new": self.new, "detail": self.detail}

    def describe(self) -> str:
        where = f" {self.lang}" + (f"[{self.index}]" if self.index is not None else "") \
            if self.lang else ""
        text = f"{self.concept}{where}: {self.kind.replace('-', ' ')}"
        shown = [repr(value) for value in (self.old, self.new) if value is not None]
        if shown:
            text += ": " + " → ".join(shown)
        if self.detail:
            text += f" ({self.detail})"
        return text


@dataclass
class ChangeReport:
    old: str
    new: str
    changes: list[Change] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return dict(sorted(Counter(change.kind for change in self.changes).items()))

    def as_dict(self) -> dict[str, Any]:
        return {"old": self.old, "new": self.new, "counts": self.counts(),
                "changes": [c.as_dict() for c in self.changes]}


def _review_text(item: Term | Definition) -> str:
    review = item.review
    if review.approved_by:
        return f"{review.state.value} by {review.approved_by}"
    return review.state.value


def _compare_concept(old: Concept, new: Concept, out: list[Change]) -> None:
    cid = new.id
    if old.status is not new.status:
        kind = "concept-retired" if new.status is ConceptStatus.RETIRED else "concept-restored"
        out.append(Change(cid, kind))
    for lang in ("en", "km"):
        before, after = old.lang(lang), new.lang(lang)
        old_def = before.definition.text if before.definition else None
        new_def = after.definition.text if after.definition else None
        if old_def != new_def:
            out.append(Change(cid, "definition-changed", lang, None, old_def, new_def))
        if before.definition is not None and after.definition is not None and (
                before.definition.review.state is not after.definition.review.state
                or before.definition.review.approved_by != after.definition.review.approved_by):
            out.append(Change(cid, "definition-review-changed", lang, None,
                              _review_text(before.definition), _review_text(after.definition)))
        for i in range(max(len(before.terms), len(after.terms))):
            a = before.terms[i] if i < len(before.terms) else None
            b = after.terms[i] if i < len(after.terms) else None
            if a is None and b is not None:
                out.append(Change(cid, "term-added", lang, i, None, b.text,
                                  _review_text(b)))
            elif b is None and a is not None:
                out.append(Change(cid, "term-removed", lang, i, a.text, None))
            elif a is not None and b is not None:
                if a.text != b.text:
                    out.append(Change(cid, "term-changed", lang, i, a.text, b.text))
                if a.review.state is not b.review.state or \
                        a.review.approved_by != b.review.approved_by:
                    out.append(Change(cid, "review-changed", lang, i, _review_text(a),
                                      _review_text(b), b.text))
                if a.admin_status is not b.admin_status and a.text == b.text:
                    out.append(Change(cid, "status-changed", lang, i, a.admin_status.value,
                                      b.admin_status.value, b.text))
    details = _details(old, new)
    if details:
        out.append(Change(cid, "details-changed", detail="; ".join(details)))


#: The parts of a concept, and of a term, that the other kinds of change leave out
_CONCEPT_PARTS = (("domains", "domains"), ("sources", "sources"), ("see_also", "see also"),
                  ("notes", "notes"), ("examples", "examples"), ("qa_context", "QA context"))
_TERM_PARTS = (("type", "type"), ("pos", "part of speech"), ("context", "context"),
               ("dnt", "kept in English"), ("note", "note"), ("rationale", "rationale"))


def _record_changed(old: Review, new: Review) -> bool:
    """A review record changed with the same state and approver (a comment, a note):
    a decision is a review change of its own, with its date and history."""
    return (old.state, old.approved_by) == (new.state, new.approved_by) and (
        old.origin, old.proposed_by, old.proposed_on, old.approved_on, old.note,
        old.history) != (new.origin, new.proposed_by, new.proposed_on, new.approved_on,
                         new.note, new.history)


def _details(old: Concept, new: Concept) -> list[str]:
    """The parts of ``new`` that differ from ``old`` and that no other change names."""
    found = [name for attr, name in _CONCEPT_PARTS if getattr(old, attr) != getattr(new, attr)]
    for lang in ("en", "km"):
        before, after = old.lang(lang), new.lang(lang)
        if before.definition is not None and after.definition is not None:
            if before.definition.source != after.definition.source:
                found.append(f"{lang} definition source")
            if _record_changed(before.definition.review, after.definition.review):
                found.append(f"{lang} definition review record")
        for i, (a, b) in enumerate(zip(before.terms, after.terms, strict=False)):
            found.extend(f"{lang}[{i}] {name}" for attr, name in _TERM_PARTS
                         if getattr(a, attr) != getattr(b, attr))
            if _record_changed(a.review, b.review):
                found.append(f"{lang}[{i}] review record")
    return found


def compare(old: Glossary, new: Glossary, old_name: str = "old", new_name: str = "new"
            ) -> ChangeReport:
    report = ChangeReport(old_name, new_name)
    ids = sorted({c.id for c in old.concepts} | {c.id for c in new.concepts})
    for cid in ids:
        a, b = old.concept(cid), new.concept(cid)
        if a is None and b is not None:
            preferred = b.en.preferred
            report.changes.append(Change(cid, "concept-added", None, None, None,
                                         preferred.text if preferred else None))
        elif b is None and a is not None:
            report.changes.append(Change(cid, "concept-removed"))
        elif a is not None and b is not None:
            _compare_concept(a, b, report.changes)
    return report


# --------------------------------------------------------------------------- loading

#: Environment for git reads that must stay on this machine: in a partial ("blobless")
#: clone git would fetch a missing blob from the remote, which GIT_NO_LAZY_FETCH forbids
#: (git 2.44 and later; older versions ignore it), and git must never wait for a
#: password typed on a terminal.
_OFFLINE = {"GIT_NO_LAZY_FETCH": "1", "GIT_TERMINAL_PROMPT": "0"}


class GitMissing(GlossaryError):
    """The ``git`` program is not installed (not on PATH)."""


class GitSilent(GlossaryError):
    """git failed without saying why (``rev-parse --quiet`` of an unknown revision)."""


def _git(root: Path, *args: str, stdin: bytes | None = None, offline: bool = False) -> bytes:
    env = {**os.environ, **_OFFLINE} if offline else None
    try:
        proc = subprocess.run(["git", "-C", str(root), *args], input=stdin,
                              stdin=None if stdin is not None else subprocess.DEVNULL,
                              capture_output=True, check=False, env=env)
    except FileNotFoundError:
        raise GitMissing("git is not installed", hint="install git, or compare two "
                         "JSON exports") from None
    except OSError as exc:  # e.g. not executable
        raise GitMissing(f"git cannot be run: {exc}", hint="check the git installation"
                         ) from None
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise (GlossaryError if message else GitSilent)(
            f"git {args[0]}: {message[-1] if message else 'failed'}",
            hint="give a commit, tag or branch, e.g. v1.0 or HEAD~3")
    return proc.stdout


def blob_id(data: bytes, hex_length: int = 40) -> str:
    """The id git gives a file holding ``data``: SHA-1, or SHA-256 (64 hex digits, in a
    repository created with ``--object-format=sha256``)."""
    digest = hashlib.sha256 if hex_length == 64 else hashlib.sha1
    return digest(b"blob %d\0" % len(data) + data).hexdigest()


def load_git(root: Path, terms_dir: Path, revision: str, fold_coeng_da: bool = True, *,
             current: Glossary | None = None, offline: bool = False) -> Glossary:
    """The concepts of ``terms/`` at a git revision (none if ``terms/`` did not exist).

    Three git processes whatever the size: the listing gives each file's blob id, and
    one ``git cat-file --batch`` streams the blobs by id (asking by ``revision:path``
    makes git walk the tree again for each file, three times slower).

    ``current`` is the glossary loaded from ``terms_dir`` as it is now: a file whose
    bytes on disk still have the blob id of the revision parses to the same concept, so
    that concept is taken from ``current`` instead of being read from git and parsed.
    (A valid glossary keeps concept ``x`` in ``x.toml``.) ``offline`` forbids git to
    fetch anything (see ``_OFFLINE``).
    """
    # one process: the repository's top folder, and whether the revision is a commit
    try:
        found = _git(root, "rev-parse", "--show-toplevel", "--verify", "--quiet",
                     f"{revision}^{{commit}}", offline=offline)
    except GitSilent:  # --quiet: git says nothing of a revision it does not know
        raise GlossaryError(f"{revision!r} is not a commit, tag or branch of the git "
                            f"repository here, nor a JSON export or a terms folder",
                            hint="`git tag` and `git log --oneline` list the revisions"
                            ) from None
    top_line, _, _ = found.decode().partition("\n")
    top = Path(top_line.strip())
    try:
        rel = PurePosixPath(terms_dir.resolve().relative_to(top.resolve()).as_posix())
    except ValueError:
        raise GlossaryError(f"{terms_dir} is not inside the git repository {top}") from None
    # "<rev> -- terms/" lists what terms/ holds at <rev>: nothing when it did not exist
    where = ("--", f"{rel}/") if rel.parts else ()
    listing = _git(top, "ls-tree", "-z", "--full-tree", revision, *where, offline=offline)
    blobs: list[tuple[str, str]] = []  # (file name, blob id)
    for entry in listing.split(b"\0"):
        meta, _, path_raw = entry.partition(b"\t")
        fields = meta.split()
        name = PurePosixPath(path_raw.decode("utf-8", "replace")).name
        if len(fields) == 3 and fields[1] == b"blob" and source.is_concept_name(name):
            blobs.append((name, fields[2].decode("ascii")))
    blobs.sort()
    if not blobs:
        return Glossary()
    concepts: list[Concept] = []
    wanted: list[tuple[str, str]] = []
    for name, oid in blobs:
        same = _unchanged(current, terms_dir, name, oid)
        if same is not None:
            concepts.append(same)
        else:
            wanted.append((name, oid))
    if wanted:
        request = "".join(f"{oid}\n" for _, oid in wanted).encode("ascii")
        blob = _git(top, "cat-file", "--batch", stdin=request, offline=offline)
        concepts.extend(_parse_blobs(blob, wanted, f"{revision}:{rel}", fold_coeng_da))
    concepts.sort(key=lambda c: c.id)
    return Glossary(concepts=tuple(concepts))


def _unchanged(current: Glossary | None, terms_dir: Path, name: str, oid: str
               ) -> Concept | None:
    """The concept of ``current`` stored in ``terms_dir/name``, if that file still holds
    the blob ``oid``."""
    concept = current.concept(name[:-len(".toml")]) if current is not None else None
    if concept is None:
        return None
    try:
        data = (terms_dir / name).read_bytes()
    except OSError:
        return None
    return concept if blob_id(data, len(oid)) == oid else None


def _parse_blobs(blob: bytes, wanted: list[tuple[str, str]], where: str,
                 fold_coeng_da: bool) -> Iterator[Concept]:
    """The concepts of ``git cat-file --batch`` output, one blob per wanted file."""
    pos = 0
    for name, _ in wanted:
        end = blob.index(b"\n", pos)
        header = blob[pos:end].split()
        if len(header) < 3 or header[1] != b"blob":  # "<oid> missing"
            raise GlossaryError(f"git cat-file: {name} ({header[0].decode()}) is not in the "
                                "repository", hint="in a partial clone, fetch it first "
                                "(git fetch --refetch)")
        size = int(header[2])
        data = blob[end + 1:end + 1 + size]
        pos = end + 1 + size + 1
        path = Path(f"{where}/{name}")
        try:
            text = data.decode("utf-8-sig")
            parsed = source.parse_toml(path, text)
        except (UnicodeDecodeError, SourceError):
            continue  # a file that did not parse at that revision has no concept to compare
        concept, _, _ = source.concept_from_data(path, parsed, fold_coeng_da)
        if concept is not None:
            yield concept


def load_version(spec: str, root: Path, terms_dir: Path) -> Glossary:
    """A JSON export (a file), a terms folder (or a project folder holding ``terms/``),
    or a git revision."""
    path = Path(spec)
    if not path.is_absolute():
        path = Path.cwd() / path
    if path.is_file():
        return jsonfmt.loads(source.read_text(path), path)[0]
    if (path / "terms").is_dir():  # a project (``.``): its terms folder
        path = path / "terms"
    if path.is_dir():
        return load_folder(path)
    if spec.endswith(".json"):
        raise FormatError("file not found", path=path)
    return load_git(root, terms_dir, spec)


def load_folder(path: Path) -> Glossary:
    """The glossary of a terms folder, refused when a concept file cannot be read: the
    diff would report its concept as removed."""
    if not (path / "_sources.toml").is_file():
        raise FormatError("not a terms folder (it has no _sources.toml)", path=path,
                          hint="give a terms/ folder, a git revision or a JSON export")
    result = source.load_glossary(path)
    for loaded in result.files:
        if loaded.concept is None and loaded.problems:
            first = loaded.problems[0]
            raise FormatError(f"{first.code}: {first.message}", path=first.path,
                              line=first.line, hint="fix the file (glossary check) and "
                              "compare again")
    return result.glossary


def diff(root: Path, terms_dir: Path, old: str, new: str | None = None) -> ChangeReport:
    """What changed from ``old`` to ``new`` (each as :func:`load_version` takes it);
    ``new`` defaults to the project's terms folder as it is on disk."""
    after = load_folder(terms_dir) if new is None else load_version(new, root, terms_dir)
    return compare(load_version(old, root, terms_dir), after, old, new or "terms/")


# --------------------------------------------------------------------------- releases

#: Release tags: git tags whose name starts with ``v``, e.g. ``v1.0``, ``v1.1`` (made with
#: ``git tag v1.1``). The site's changes page compares against the newest one reachable
#: from HEAD (by tag date: an annotated tag's own, a lightweight tag's commit's).
RELEASE_TAGS = "v*"


@dataclass(frozen=True)
class Release:
    tag: str
    commit: str  # the full id of the tagged commit
    tagged_on: date | None  # the tag's date (an annotated tag's own, else its commit's)


@dataclass(frozen=True)
class Baseline:
    """What a changes page compares against: the last release, or why there is none.

    ``state`` is ``release`` (``release`` is set), ``no-release`` (a repository with no
    release tag reachable from HEAD, or no commit yet), ``no-repository`` or ``no-git``.
    """

    state: str
    release: Release | None = None


def last_release(root: Path) -> Baseline:
    """The newest release tag (:data:`RELEASE_TAGS`) reachable from HEAD in the
    repository holding ``root``. One ``git for-each-ref`` (a second git process only
    when it fails); never raises, never touches the network."""
    fmt = "%00".join(("%(refname:lstrip=2)", "%(objecttype)", "%(objectname)",
                      "%(*objecttype)", "%(*objectname)", "%(creatordate:short)"))
    try:
        # newest tag date first; on the same date the highest version
        out = _git(root, "for-each-ref", "--merged", "HEAD", "--sort=-v:refname",
                   "--sort=-creatordate", "--count=1", f"--format={fmt}",
                   f"refs/tags/{RELEASE_TAGS}", offline=True)
    except GitMissing:
        return Baseline("no-git")
    except GlossaryError:  # not a repository, or HEAD has no commit yet
        try:
            _git(root, "rev-parse", "--git-dir", offline=True)
        except GlossaryError:
            return Baseline("no-repository")
        return Baseline("no-release")
    fields = out.rstrip(b"\n").decode("utf-8", "replace").split("\0")
    if len(fields) != 6 or not fields[0]:
        return Baseline("no-release")
    tag, kind, oid, peeled_kind, peeled, day = fields
    if kind == "commit":
        commit = oid
    elif peeled_kind == "commit":
        commit = peeled
    else:  # a tag of a tag: let git peel it all the way
        try:
            commit = _git(root, "rev-parse", "--verify", f"refs/tags/{tag}^{{commit}}",
                          offline=True).decode().strip()
        except GlossaryError:
            return Baseline("no-release")
    try:
        tagged_on: date | None = date.fromisoformat(day)
    except ValueError:
        tagged_on = None
    return Baseline("release", Release(tag, commit, tagged_on))
