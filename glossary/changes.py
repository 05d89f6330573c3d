"""What changed between two versions of the glossary (``glossary diff``, release notes).

A version is a git revision of ``terms/`` (files read with ``git cat-file`` — the work
tree is not touched), a directory holding concept files, or a JSON export
(``glossary export json``). :func:`compare` reports concepts added, removed or retired,
terms added, removed or changed (by position in each language), definitions changed and
review states changed — the material of a changes page.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from glossary import source
from glossary.errors import FormatError, GlossaryError, SourceError
from glossary.formats import jsonfmt
from glossary.model import Concept, ConceptStatus, Glossary, Term


@dataclass(frozen=True)
class Change:
    concept: str
    kind: str  # concept-added, concept-removed, concept-retired, concept-restored,
    #            term-added, term-removed, term-changed, definition-changed, review-changed
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
        if self.old is not None and self.new is not None:
            text += f": {self.old!r} → {self.new!r}"
        elif self.new is not None:
            text += f": {self.new!r}"
        elif self.old is not None:
            text += f": {self.old!r}"
        if self.detail:
            text += f" ({self.detail})"
        return text


@dataclass
class ChangeReport:
    old: str
    new: str
    changes: list[Change] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for change in self.changes:
            out[change.kind] = out.get(change.kind, 0) + 1
        return dict(sorted(out.items()))

    def as_dict(self) -> dict[str, Any]:
        return {"old": self.old, "new": self.new, "counts": self.counts(),
                "changes": [c.as_dict() for c in self.changes]}


def _review_text(term: Term) -> str:
    review = term.review
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


def _git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    try:
        proc = subprocess.run(["git", "-C", str(root), *args], input=stdin,
                              capture_output=True, check=False)
    except FileNotFoundError:
        raise GlossaryError("git is not installed", hint="install git, or compare two "
                            "JSON exports") from None
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GlossaryError(f"git {args[0]}: {message[-1] if message else 'failed'}",
                            hint="give a commit, tag or branch, e.g. v1.0 or HEAD~3")
    return proc.stdout


def load_git(root: Path, terms_dir: Path, revision: str) -> Glossary:
    """The concepts of ``terms/`` at a git revision."""
    top = Path(_git(root, "rev-parse", "--show-toplevel").decode().strip())
    try:
        rel = PurePosixPath(terms_dir.resolve().relative_to(top.resolve()).as_posix())
    except ValueError:
        raise GlossaryError(f"{terms_dir} is not inside the git repository {top}") from None
    _git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    listing = _git(root, "ls-tree", "--name-only", f"{revision}:{rel}")
    names = sorted(n for n in listing.decode("utf-8").splitlines()
                   if n.endswith(".toml") and not n.startswith("_"))
    if not names:
        return Glossary()
    request = "".join(f"{revision}:{rel / n}\n" for n in names).encode("utf-8")
    blob = _git(top, "cat-file", "--batch", stdin=request)
    concepts: list[Concept] = []
    pos = 0
    for name in names:
        end = blob.index(b"\n", pos)
        header = blob[pos:end].split()
        size = int(header[2])
        data = blob[end + 1:end + 1 + size]
        pos = end + 1 + size + 1
        path = Path(f"{revision}:{rel / name}")
        try:
            text = data.decode("utf-8-sig")
            parsed = source.parse_toml(path, text)
        except (UnicodeDecodeError, SourceError):
            continue  # a file that did not parse at that revision has no concept to compare
        concept, _, _ = source.concept_from_data(path, parsed)
        if concept is not None:
            concepts.append(concept)
    concepts.sort(key=lambda c: c.id)
    return Glossary(concepts=tuple(concepts))


def load_version(spec: str, root: Path, terms_dir: Path) -> Glossary:
    """A JSON export (a file), a directory of concept files, or a git revision."""
    path = Path(spec)
    if not path.is_absolute():
        path = Path.cwd() / path
    if path.is_file():
        return jsonfmt.read(source.read_text(path), path)[0]
    if path.is_dir() and any(path.glob("*.toml")):
        return source.load_glossary(path).glossary
    if spec.endswith(".json"):
        raise FormatError("file not found", path=path)
    return load_git(root, terms_dir, spec)


def diff(root: Path, terms_dir: Path, old: str, new: str) -> ChangeReport:
    return compare(load_version(old, root, terms_dir), load_version(new, root, terms_dir),
                   old, new)
