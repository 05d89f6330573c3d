"""The project's glossary as every command sees it: ``terms/`` read and checked.

:func:`load` reads the registry, then each concept file through the parse cache
(:mod:`glossary.source.cache`): a file that did not change since the last command is
not opened again, its concept and its single-file problems come from the cache. The
checks that span files (see-also targets, duplicate ids, homonyms) then run over the
whole glossary, from whatever mix of cached and fresh files. The result is exactly that
of a cold read (tests compare them over random edit sequences).

:func:`load_valid` raises :class:`~glossary.errors.ValidationFailed` when there are
errors, which is what commands that write outputs want.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from itertools import chain
from operator import attrgetter
from pathlib import Path

from glossary import collector, source, validate
from glossary.config import Settings
from glossary.errors import SourceError, ValidationFailed
from glossary.lock import terms_read_lock
from glossary.model import Glossary, newest_review_of
from glossary.problems import Level, Problem
from glossary.source.cache import (
    RACY_NS,
    Entry,
    ParseCache,
    Signature,
    Summary,
    cache_key,
    files_digest,
    read_summary,
)
from glossary.source.read import LoadedFile, LoadResult

Progress = Callable[[int], None]


@dataclass
class Loaded:
    result: LoadResult
    problems: list[Problem]  # every problem, lines resolved, in file/line order
    revision: str  # a content hash of terms/: the same files give the same revision
    cache_notice: str | None = None  # why the parse cache could not be used, if so
    files_read: int = 0  # concept files parsed this time (the rest came from the cache)
    #: the parse cache's key (reading code, settings, registry files): with each file's
    #: digest, what identifies a concept's content for the piece store
    parse_key: str = ""

    @property
    def glossary(self) -> Glossary:
        return self.result.glossary


def _registry_bytes(terms_dir: Path) -> list[bytes]:
    out = []
    for name in (source.SOURCES_FILE, source.DOMAINS_FILE):
        try:
            out.append(name.encode() + b"\0" + (terms_dir / name).read_bytes())
        except OSError:
            out.append(name.encode() + b"\0?")
    return out


def _scan(terms_dir: Path) -> list[tuple[str, Signature | None]]:
    """The concept files of ``terms_dir`` (``source.concept_paths``' choice, in its
    order) with their signatures. The names are listed first and each chosen one is
    stat-ed by its path: 100,000 files, 0.40 s instead of 0.47 s through ``os.scandir``'s
    entries, whose objects cost more than the system calls they save."""
    if not terms_dir.is_dir():
        source.concept_paths(terms_dir)  # raises the error that says what to do
    prefix = os.path.join(os.fsdecode(terms_dir), "")
    found: list[tuple[str, Signature | None]] = []
    for name in sorted(filter(source.is_concept_name, os.listdir(terms_dir))):
        try:
            st = os.stat(prefix + name)
        except OSError:  # a file that cannot be stat-ed is reported when it is read
            if _is_regular(prefix + name):
                found.append((name, None))
            continue
        if stat.S_ISREG(st.st_mode):
            found.append((name, (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)))
    return found


def _is_regular(path: str) -> bool:
    """Whether ``path`` itself is a regular file (a link to nothing is not)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def load_checked(
    terms_dir: Path, fold_coeng_da: bool = True, *, cache_dir: Path | None = None,
    progress: Progress | None = None,
    scanned: list[tuple[str, Signature | None]] | None = None,
) -> Loaded:
    """Every concept file and the registry, and every problem in them. Never raises for
    bad content. ``cache_dir`` None reads every file (no cache is read or written).
    ``scanned``: the folder's :func:`_scan`, when the caller just made it.
    The cyclic garbage collector is paused meanwhile (:func:`glossary.collector.loading`:
    at 100,000 concepts its passes over the growing model took ~2 s of a 5.9 s load)."""
    with collector.loading():
        return collector.kept(_load_checked(terms_dir, fold_coeng_da, cache_dir, progress,
                                            _scan(terms_dir) if scanned is None else scanned))


def _load_checked(terms_dir: Path, fold_coeng_da: bool, cache_dir: Path | None,
                  progress: Progress | None,
                  scanned: list[tuple[str, Signature | None]]) -> Loaded:
    registry_bytes = _registry_bytes(terms_dir)
    documents, domains, registry_problems = source.load_registry(terms_dir)
    registry = Glossary(documents=documents, domains=domains)
    cache = ParseCache(cache_dir, cache_key(terms_dir, fold_coeng_da, registry_bytes))
    now_ns = time.time_ns()
    files: list[LoadedFile] = []
    problems: list[Problem] = list(registry_problems)
    read = 0
    racy = False
    cached = cache.entries
    newest: date | None = None  # the newest review date of every file
    for name, sig in scanned:
        entry = cached.get(name)
        if entry is None or sig is None or entry.signature != sig:  # not cached, or changed
            loaded = source.load_concept_file(terms_dir / name, fold_coeng_da)
            checked = validate.file_problems(loaded, registry)
            loaded.fields = []  # checked: the raw text fields are not needed any more
            loaded.text = None
            read += 1
            day = None if loaded.concept is None else newest_review_of((loaded.concept,))
            if sig is not None:
                cache.put(name, Entry(sig, loaded.concept, tuple(checked), loaded.digest, day),
                          now_ns)
            racy = racy or sig is None or sig[1] >= now_ns - RACY_NS
        else:
            loaded = LoadedFile(terms_dir, name, entry.concept, [], digest=entry.digest)
            checked = list(entry.problems)
            day = entry.newest_review
        if day is not None and (newest is None or day > newest):
            newest = day
        loaded.problems = checked
        problems.extend(checked)
        files.append(loaded)
        if progress is not None:
            progress(1)
    cache.keep_only({name for name, _ in scanned})
    cache.save()
    result = source.assemble(files, documents, domains, registry_problems,
                             newest_review=newest, newest_known=True)
    signed = files_digest(scanned)
    summary = cache.summary()
    if summary is not None and summary.files == signed:
        # Nothing changed since the last full check: its cross-file problems stand.
        return Loaded(result, list(summary.problems), summary.revision, cache.notice, read,
                      cache.key)
    problems += validate.cross_file_problems(result.files, result.glossary)
    problems = validate.sort_problems(problems)
    revision = _revision(registry_bytes, [name for name, _ in scanned], files)
    if not racy:
        cache.save_summary(Summary(cache.key, signed, tuple(problems), revision))
    return Loaded(result, problems, revision, cache.notice, read, cache.key)


def _revision(registry_bytes: list[bytes], names: list[str], files: list[LoadedFile]
              ) -> str:
    """A digest of the registry and of each concept file's name and bytes (``names``:
    the files' names, in the order of ``files``)."""
    digest = hashlib.sha256()
    for data in registry_bytes:
        digest.update(data + b"\0")
    # "name\0digest\0" for each file, joined at C speed
    fields = chain.from_iterable(zip(names, map(_DIGEST, files), strict=True))
    digest.update(("\0".join(fields) + "\0" if files else "").encode())
    return digest.hexdigest()[:12]


_DIGEST = attrgetter("digest")


def check(settings: Settings) -> list[Problem]:
    """Every problem in the project's ``terms/``, as :func:`load` finds them (under the
    terms/ read lock, like :func:`load`)."""
    with terms_read_lock(settings.terms_dir):
        return check_folder(settings.terms_dir, settings.fold_coeng_da, settings.cache_dir)


def check_folder(terms_dir: Path, fold_coeng_da: bool, cache_dir: Path) -> list[Problem]:
    """The problems of :func:`load_checked`; when no file changed since the last full
    check, straight from its summary, without loading a concept (10,000 concepts:
    ~0.1 s instead of ~1 s)."""
    scanned = _scan(terms_dir)  # one scan for both (100,000 files: 0.4 s a scan)
    found = _unchanged_summary(terms_dir, fold_coeng_da, cache_dir, scanned)
    if found is not None:
        return list(found.problems)
    return load_checked(terms_dir, fold_coeng_da, cache_dir=cache_dir,
                        scanned=scanned).problems


def _unchanged_summary(terms_dir: Path, fold_coeng_da: bool, cache_dir: Path,
                       scanned: list[tuple[str, Signature | None]] | None = None
                       ) -> Summary | None:
    """The last full check's summary, when no concept file and no registry file changed
    since (read without loading a concept); else None. ``scanned``: as for
    :func:`load_checked`."""
    scanned = _scan(terms_dir) if scanned is None else scanned
    key = cache_key(terms_dir, fold_coeng_da, _registry_bytes(terms_dir))
    found = read_summary(cache_dir, key)
    return found if found is not None and found.files == files_digest(scanned) else None


def unchanged(settings: Settings) -> Summary | None:
    """The last full check's summary (its problems, its revision and the parse cache's
    ``key``) when no concept file and no registry file changed since, read without
    loading a concept; else None. What an output already written for this revision
    needs."""
    with terms_read_lock(settings.terms_dir):
        return _unchanged_summary(settings.terms_dir, settings.fold_coeng_da,
                                  settings.cache_dir)


def load(settings: Settings, progress: Progress | None = None) -> Loaded:
    """Read and check the project's ``terms/`` through the parse cache in
    ``build/.cache/``. Never raises for bad content (see ``problems``). Holds the
    terms/ read lock meanwhile, so it never reads an import half-applied."""
    with terms_read_lock(settings.terms_dir):
        return load_checked(settings.terms_dir, settings.fold_coeng_da,
                            cache_dir=settings.cache_dir, progress=progress)


def load_valid(
    settings: Settings, *, strict: bool = False, progress: Progress | None = None
) -> Loaded:
    """Like :func:`load`, but raise when there are errors (or warnings, ``strict``)."""
    loaded = load(settings, progress)
    raise_for_errors(loaded, settings, strict)
    return loaded


def raise_for_errors(loaded: Loaded | Summary, settings: Settings, strict: bool) -> None:
    problems = list(loaded.problems)
    unreadable = [p for p in problems if p.code in source.UNREADABLE_CODES]
    if unreadable:
        first = unreadable[0]
        more = f" (and {len(unreadable) - 1} more unreadable file(s))" if len(unreadable) > 1 \
            else ""
        raise SourceError(f"{first.message}{more}", path=_shown(first.path, settings),
                          line=first.line, column=first.column, hint=first.hint)
    if validate.has_errors(problems, strict):
        errors = [p for p in problems if strict or p.level is Level.ERROR]
        listing = "\n".join("  " + p.format(settings.root) for p in errors[:10])
        if len(errors) > 10:
            listing += f"\n  … and {len(errors) - 10} more"
        raise ValidationFailed(
            problems,
            f"{len(errors)} problem(s) in {_shown(settings.terms_dir, settings)}; "
            f"run `glossary check` to see them all\n{listing}",
        )


def _shown(path: Path, settings: Settings) -> Path:
    try:
        return path.relative_to(settings.root)
    except ValueError:
        return path
