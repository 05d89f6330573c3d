"""The one writer of the site: every file of build/site/ goes through :class:`SiteWriter`.

It refuses to write one path twice in a build (two pages mapped to the same URL is a
bug that would otherwise silently lose a page), replaces each existing file atomically
(a temporary file in the same folder put in its place by
:func:`glossary.output.replace_derived`; a new one is created in place), skips
writes whose bytes are unchanged, and keeps a manifest (``build/.site-manifest``,
beside the site, never published inside it: :mod:`glossary.site.manifest`) of what it
wrote so that the next build can

* skip rendering a page whose inputs have not changed (:meth:`SiteWriter.unchanged`),
* skip writing a page whose bytes have not changed, and
* delete the pages it wrote last time that no longer exist (a concept renamed away).

Site files are derived, so a write is not fsync'ed: after a crash the next build
rewrites whatever the manifest cannot vouch for. The manifest is saved only when a build
ends, so the writer first notes each path it is about to replace in a *journal*
(``build/.cache/site-writes.journal``, removed once the manifest is saved): a build
that was interrupted leaves the paths it wrote in the journal, and the next build
trusts neither the manifest's key nor its digest for them (an interrupted build's page,
made from newer inputs, is never taken for the old one).

The manifest is data, never trusted: a path in it that is not a plain relative path
inside the site (absolute, ``..``, a backslash, or resolving outside the site through
a symbolic link) is ignored, so a tampered manifest cannot make a build delete a file
anywhere else (issue 18).
"""

from __future__ import annotations

import bisect
import contextlib
import os
import shutil
import stat
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path

from glossary import output, textfile
from glossary.errors import GlossaryError
from glossary.site import manifest
from glossary.site.manifest import digest

MANIFEST = manifest.MANIFEST  # in the site's parent folder (build/)
LEGACY_MANIFEST = ".manifest.json"  # where it was, inside the site: removed
OLD_MANIFEST = ".site-manifest.json"  # in build/, until version 3: removed
JOURNAL = "site-writes.journal"  # in build/.cache (see the module docstring)


def left_no_temporaries(root: Path, cache_dir: Path) -> bool:
    """Whether the writer can have left no temporary file in the site at ``root``: the
    last build that wrote it saved its manifest and removed its journal, the last step
    of a build. A writer notes each path in the journal before it makes the path's
    temporary file, and removes the manifest when it cannot keep a journal, so a build
    stopped on the way leaves one or the other. Then no one needs to walk the site's
    files (200,000 at 100,000 concepts: 0.2 s) to look for temporaries. Without
    ``cache_dir`` (deleted, say after a build was stopped) nothing vouches for them.
    """
    try:
        return (os.path.isfile(root.parent / MANIFEST) and os.path.isdir(cache_dir)
                and not os.path.lexists(cache_dir / JOURNAL))
    except OSError:
        return False


# os.open/os.write: a page costs three system calls, not the six of open()
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC
_CREATE_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC


def _write_all(fd: int, raw: bytes, *, close: bool = True) -> None:
    """Write ``raw`` to ``fd`` and close it (unless ``close`` is False)."""
    try:
        view = memoryview(raw)
        while view:
            view = view[os.write(fd, view):]
    finally:
        if close:
            os.close(fd)


def _copy_range(src: int, fd: int, start: int, end: int) -> None:
    """Append bytes ``start:end`` of the file ``src`` to ``fd``."""
    while start < end:
        try:
            done = os.copy_file_range(src, fd, end - start, start)
        except (OSError, AttributeError):  # not this file system, or not Linux
            done = 0
        if done <= 0:
            chunk = os.pread(src, min(end - start, 1 << 24), start)
            if not chunk:
                raise OSError(f"a file shrank while it was copied ({end - start} bytes short)")
            _write_all(fd, chunk, close=False)
            done = len(chunk)
        start += done


class SiteError(GlossaryError):
    """The site cannot be built as asked (two pages for one path, a bad template…)."""


def safe_relative(rel: str) -> bool:
    """Whether ``rel`` is a plain relative path of files inside the site."""
    if not rel or rel.startswith("/") or "\\" in rel or "\0" in rel or "\n" in rel \
            or "\t" in rel:
        return False
    parts = rel.split("/")
    return all(part not in ("", ".", "..") for part in parts)


@dataclass
class WriteStats:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped_render: int = 0
    removed: list[str] = field(default_factory=list)


class SiteWriter:
    """Write files under ``root``; one path at most once per build."""

    def __init__(self, root: Path, *, incremental: bool = True,
                 journal: Path | None = None) -> None:
        self.root = root
        self.manifest = root.parent / MANIFEST
        self.journal = journal
        self._journal_fd: int | None = None
        self._prefix = str(root) + os.sep
        self.stats = WriteStats()
        self._claimed: dict[str, Sequence[str]] = {}  # path -> (input key, output digest)
        #: a token saved in the manifest: other build data (:mod:`glossary.site.state`)
        #: saved with the same token describes the build that wrote this manifest
        self.generation = os.urandom(8).hex()
        self.old_generation = ""
        self._old = manifest.Manifest()
        if incremental:
            self._old = manifest.load(self.manifest)
            self.old_generation = self._old.generation
        self._journaled: set[str] = set()  # paths an interrupted build wrote
        #: the runs of the manifest's lines kept whole (:meth:`keep_folders`), and the
        #: paths in them that are not
        self._spans: list[tuple[int, int]] = []
        self._not_kept: set[str] = set()
        self._kept_folders: list[str] = []
        self._read_journal()
        self._made_dirs: set[str] = set()
        self._listed: dict[str, set[str]] = {}  # folder -> its files, as the build began

    # -- manifest -------------------------------------------------------------------

    def _read_journal(self) -> None:
        """Forget what the manifest says of the paths an interrupted build wrote (they
        stay known, with no key and no digest, so they are rewritten or removed)."""
        if self.journal is None:
            return
        try:
            text = textfile.read_build_file(self.journal).decode("utf-8", "replace")
        except OSError:
            return
        self.old_generation = ""  # the build that wrote the manifest was not the last
        self._journaled.update(rel for rel in text.split("\n") if safe_relative(rel))

    def _note(self, rel: str) -> None:
        """Add ``rel`` to the journal before its file is replaced or created."""
        if self.journal is None:
            return
        if self._journal_fd is None:
            try:
                self.journal.parent.mkdir(parents=True, exist_ok=True)
                with contextlib.suppress(FileNotFoundError):
                    mode = os.lstat(self.journal).st_mode
                    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
                        self.journal.unlink()  # a FIFO, device or link found in its place
                self._journal_fd = os.open(self.journal, os.O_WRONLY | os.O_CREAT | os.O_APPEND
                                           | os.O_CLOEXEC | os.O_NOFOLLOW, 0o666)
            except OSError:
                # no journal: the manifest goes instead, so that nothing it says of the
                # pages written from now on can be trusted by the next build
                self.journal = None
                self.manifest.unlink(missing_ok=True)
                return
        os.write(self._journal_fd, rel.encode("utf-8") + b"\n")

    def inside(self, rel: str) -> Path | None:
        """``root/rel`` if it is a plain relative path whose folder, with every
        symbolic link resolved, lies inside ``root``; None otherwise. The manifest is
        data a user (or an attacker) can edit: nothing it names is deleted or replaced
        without this check."""
        if not safe_relative(rel):
            return None
        path = self.root / rel
        try:
            root = self.root.resolve()
            parent = path.parent.resolve()
        except (OSError, RuntimeError):
            return None
        if parent != root and root not in parent.parents:
            return None
        return parent / path.name

    # -- claiming paths -------------------------------------------------------------

    def _old_entry(self, rel: str) -> tuple[str, str] | None:
        """What the manifest says of ``rel`` (input key, output digest): nothing to trust
        when an interrupted build wrote it."""
        return ("", "") if rel in self._journaled else self._old.get(rel)

    def keep_folders(self, folders: Sequence[str], but: AbstractSet[str], count: int) -> bool:
        """Keep every file the last build wrote in ``folders`` (the concept pages),
        except the paths in ``but``, without looking at each one: when the manifest is
        the last build's (no interrupted build since), names ``count`` files in each
        folder (the pages the caller knows of) and no file was added to, removed from or
        renamed in those folders since it was saved (each one's signature is the one
        kept with it). False (nothing kept) otherwise: keep them one by one.

        At 100,000 concepts, checking 200,000 pages one by one against the manifest and
        a listing of their folders cost ~0.6 s of a one-edit build; this, ~1 ms."""
        if not self.old_generation or self._spans:
            return False
        for folder in folders:
            signature = self._old.folders.get(folder)
            if signature is None or signature != manifest.folder_signature(self._prefix
                                                                            + folder):
                return False
        spans = [self._old.span(folder) for folder in folders]
        if any(hi - lo != count for lo, hi in spans):
            return False
        self._spans, self._kept_folders = spans, list(folders)
        self._not_kept = set(but)
        kept = sum(hi - lo for lo, hi in self._spans)
        self.stats.skipped_render += kept - sum(self._in_spans(rel) for rel in but)
        return True

    def _in_spans(self, rel: str) -> bool:
        """Whether ``rel`` is a file of the manifest in a run of lines kept whole."""
        if not self._spans or self._old.get(rel) is None:
            return False
        at = bisect.bisect_left(self._old.lines, rel + "\t")
        return any(lo <= at < hi for lo, hi in self._spans)

    def _claim(self, rel: str, key: str, out_digest: str) -> None:
        if rel in self._claimed or (self._spans and rel not in self._not_kept
                                    and self._in_spans(rel)):
            raise SiteError(f"two pages would be written to {rel}",
                            path=self.root / rel,
                            hint="each page needs its own path; check for duplicate ids")
        if not safe_relative(rel):
            raise SiteError(f"refusing to write outside the site: {rel!r}", path=self.root)
        self._claimed[rel] = (key, out_digest)

    def unchanged(self, rel: str, key: str) -> bool:
        """Claim ``rel`` without rendering it when the last build wrote it from the same
        inputs (``key``) and the file is still there. Returns False if it must be rendered.
        """
        old = self._old_entry(rel)
        if not key or old is None or old[0] != key or not self._is_file(rel):
            return False
        self._claim(rel, key, old[1])
        self.stats.skipped_render += 1
        return True

    def keep(self, rel: str) -> bool:
        """Keep the file the last build wrote at ``rel``, under the key it was written
        from, without comparing keys: for a caller that knows its inputs did not change
        (:mod:`glossary.site.state`). False when the manifest does not vouch for it (not
        there, written by an interrupted build, or the file is gone)."""
        old = self._old_entry(rel)
        if old is None or not old[0] or not old[1] or rel in self._claimed \
                or not self._is_file(rel):
            return False
        self._claimed[rel] = old  # a path of the manifest: checked when it was read
        self.stats.skipped_render += 1
        return True

    def keep_many(self, rels: list[str]) -> set[str]:
        """:meth:`keep` for many paths at once (the pages of every unchanged concept);
        returns the paths not kept."""
        old_get, claimed, listed = self._old_entry, self._claimed, self._listed
        failed: set[str] = set()
        for rel in rels:
            old = old_get(rel)
            folder, _, name = rel.rpartition("/")
            files = listed.get(folder)
            if files is None:
                self._is_file(rel)
                files = listed[folder]
            if old is None or not old[0] or not old[1] or rel in claimed or name not in files:
                failed.add(rel)
            else:
                claimed[rel] = old
        self.stats.skipped_render += len(rels) - len(failed)
        return failed

    def _is_file(self, rel: str) -> bool:
        """Whether ``root/rel`` is a file: one directory listing per folder (the
        concept pages' folder holds thousands), not one ``stat`` per page."""
        folder, _, name = rel.rpartition("/")
        if folder in self._kept_folders and self._old_entry(rel):
            return True  # the folder is as the manifest saw it (:meth:`keep_folders`)
        files = self._listed.get(folder)
        if files is None:
            files = set()
            try:
                with os.scandir(self._prefix + folder if folder else self.root) as entries:
                    files = {entry.name for entry in entries if entry.is_file()}
            except OSError:
                pass
            self._listed[folder] = files
        return name in files

    def release(self, *rels: str) -> None:
        """Give back paths claimed by :meth:`unchanged`, to render them after all."""
        for rel in rels:
            if self._claimed.pop(rel, None) is not None:
                self.stats.skipped_render -= 1

    def write(self, rel: str, data: str | bytes, key: str = "", identity: str = "") -> None:
        """Write ``data`` to ``root/rel`` unless it already holds exactly these bytes.
        ``identity``: what stands for the bytes' digest in the manifest, when the caller
        knows what decides them (a print page: :meth:`PrintRows.identity`).

        A file the last build did not write, and which does not exist, is created in
        place (``O_EXCL``); any other is replaced atomically (a temporary file, then
        ``replace_derived``), so a page a reader may be viewing is never seen half-written.
        A new file left half-written by a crash is not in the manifest, so the next
        build replaces it.
        """
        self._claim(rel, key, "")
        raw = data.encode("utf-8") if isinstance(data, str) else data
        out_digest = identity or digest(raw)
        path = self._prefix + rel
        old = self._old_entry(rel)
        if old is not None and old[1] == out_digest and os.path.isfile(path):
            self.record(rel, key, out_digest, False)
            return
        self._make_parent(rel, path)
        self._note(rel)
        if old is None:
            try:
                fd = os.open(path, _CREATE_NEW, 0o666)
            except FileExistsError:
                pass
            else:
                _write_all(fd, raw)
                self.record(rel, key, out_digest, True)
                return
        tmp = f"{os.path.dirname(path)}{os.sep}.{os.path.basename(path)}.{os.getpid()}.tmp"
        _write_all(os.open(tmp, _CREATE, 0o666), raw)
        output.replace_derived(tmp, path)
        self.record(rel, key, out_digest, True)

    def splice(self, rel: str, pieces: Sequence[bytes | tuple[int, int]], key: str,
               identity: str) -> None:
        """:meth:`write` the file made of ``pieces``: bytes, or (start, end): that range of
        the file now at ``rel``, copied by the kernel (``os.copy_file_range``; read and
        written where it cannot). A print page after one edit (80 MB at 100,000
        concepts) is the old one with a row changed: read, joined and written it cost
        ~0.45 s a page, its old runs copied so 0.04 s. ``identity`` as for :meth:`write`
        ("": the pieces are bytes only, and digested)."""
        if not identity:
            self.write(rel, b"".join(p for p in pieces if isinstance(p, bytes)), key)
            return
        self._claim(rel, key, "")
        path = self._prefix + rel
        old = self._old_entry(rel)
        if old is not None and old[1] == identity and os.path.isfile(path):
            self.record(rel, key, identity, False)
            return
        self._note(rel)
        tmp = f"{os.path.dirname(path)}{os.sep}.{os.path.basename(path)}.{os.getpid()}.tmp"
        src = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
        try:
            fd = os.open(tmp, _CREATE, 0o666)
            try:
                for piece in pieces:
                    if isinstance(piece, tuple):
                        _copy_range(src, fd, *piece)
                    else:
                        _write_all(fd, piece, close=False)
            finally:
                os.close(fd)
        finally:
            os.close(src)
        output.replace_derived(tmp, path)
        self.record(rel, key, identity, True)

    def copy(self, rel: str, source: Path, key: str) -> None:
        """Put the file ``source`` (a build output) at ``root/rel``: a hard link to it
        when the file system allows one (the outputs are replaced, never changed in
        place, so the link keeps the bytes it was made with), else a copy; either way
        it replaces the old file atomically. Its digest in the manifest is ``key`` (the
        source's signature): the bytes are not read."""
        self._claim(rel, key, "")
        path = self._prefix + rel
        self._make_parent(rel, path)
        self._note(rel)
        tmp = f"{os.path.dirname(path)}{os.sep}.{os.path.basename(path)}.{os.getpid()}.tmp"
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        try:
            if os.path.islink(source):  # the file it leads to is not ours: copy its bytes
                raise OSError("a symbolic link")
            os.link(source, tmp)
        except OSError:  # another file system, or no hard links: copy it
            shutil.copyfile(source, tmp)
        output.replace_derived(tmp, path)
        self.record(rel, key, "copy:" + key, True)

    def _make_parent(self, rel: str, path: str) -> None:
        parent = os.path.dirname(path)
        if parent not in self._made_dirs:
            if not safe_relative(rel):
                raise SiteError(f"refusing to write outside the site: {rel!r}", path=self.root)
            os.makedirs(parent, exist_ok=True)
            if self.inside(rel) is None:  # a folder of the site is a link to elsewhere
                raise SiteError(f"refusing to write {rel!r}: its folder leads outside the site",
                                path=self.root / rel,
                                hint="remove that symbolic link from the site folder")
            self._made_dirs.add(parent)

    def record(self, rel: str, key: str, out_digest: str, written: bool) -> None:
        """Note what this build wrote (``written``) or found as it was at a path it claimed."""
        self._claimed[rel] = (key, out_digest)
        if written:
            self.stats.written.append(rel)
        else:
            self.stats.unchanged += 1

    @property
    def paths(self) -> list[str]:
        return sorted(self._claimed)

    def digest_of(self, rel: str) -> str:
        """The digest of the bytes this build wrote or kept at ``rel`` ("" if unknown)."""
        entry = self._claimed.get(rel)
        return entry[1] if entry else ""

    # -- finishing ------------------------------------------------------------------

    def finish(self) -> WriteStats:
        """Delete files of the last build that this build did not produce; save the
        manifest (with the signatures of the folders it wrote in or listed)."""
        lines, claimed = self._old.lines, self._claimed
        kept: list[str] = []  # the lines kept whole, but for those written again
        others: list[str] = []  # the other lines of the last manifest
        done = 0
        for lo, hi in sorted(self._spans):
            others += lines[done:lo]
            kept += lines[lo:hi]
            done = hi
        others += lines[done:]
        gone = [rel for rel in self._not_kept | claimed.keys() if self._in_spans(rel)]
        for at in sorted((bisect.bisect_left(kept, rel + "\t") for rel in gone), reverse=True):
            del kept[at]
        stale = {manifest.path_of(line) for line in others} | self._journaled
        stale.update(rel for rel in gone if rel not in claimed)
        for rel in sorted(stale - claimed.keys()):
            path = self.inside(rel)
            if path is None:  # the manifest names a path outside the site: never follow it
                continue
            try:
                path.unlink()
                self.stats.removed.append(rel)
            except FileNotFoundError:
                pass
            except IsADirectoryError:  # pragma: no cover - a folder where a page was
                continue
        folders = {os.path.relpath(path, self.root) for path in self._made_dirs}
        folders.update(self._listed, self._kept_folders)
        signatures = {folder: sig for folder in sorted(folders)
                      if (sig := manifest.folder_signature(self._prefix + folder))}
        raw = manifest.dump([*kept, *(manifest.line(rel, *entry)
                                      for rel, entry in claimed.items())],
                            self.generation, signatures)
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.manifest.with_name(f"{MANIFEST}.tmp")
        tmp.write_bytes(raw)
        try:
            output.replace_derived(tmp, self.manifest)
        except IsADirectoryError:
            tmp.unlink(missing_ok=True)
            raise SiteError("the site's manifest cannot be saved: a folder is in its place",
                            path=self.manifest, hint="remove that folder") from None
        (self.root / LEGACY_MANIFEST).unlink(missing_ok=True)
        with contextlib.suppress(IsADirectoryError):
            (self.root.parent / OLD_MANIFEST).unlink(missing_ok=True)
        if self._journal_fd is not None:
            os.close(self._journal_fd)
            self._journal_fd = None
        if self.journal is not None:  # the manifest vouches for every page again
            self.journal.unlink(missing_ok=True)
        return self.stats
