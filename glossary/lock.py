"""Locks on ``terms/``: one writer at a time, and readers that never see half a write.

``with terms_lock(terms_dir): ...`` (imports, review decisions, ``new``) takes an
exclusive ``fcntl.flock`` on ``terms/.glossary.lock`` (the file stays; git ignores it).
If another *writer* holds it, :class:`~glossary.errors.LockError` says which command and
process hold it, at once, rather than waiting; if only readers hold it, the writer
waits for them (they are short).

``with terms_read_lock(terms_dir): ...`` (everything that loads terms/: build, export,
check, qa…) takes the same lock *shared*: any number of readers at once, and a reader
that finds a writer at work waits for it to finish (telling :data:`notify` once), so a
build or an export never reads a half-applied import. Readers create the lock file too
when no command has yet, so there is no first import that runs unlocked against them.
Within one process the read lock is a no-op while the process itself holds the write
lock.

The operating system releases a lock when its holder exits, so a crashed command never
leaves the glossary locked. The temporary files a killed writer leaves in terms/
(``.NAME.XXXX.tmp``) are deleted by the next writer (:func:`remove_stale_temporaries`).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from pathlib import Path

from glossary.errors import LockError
from glossary.output import from_os_error

LOCK_NAME = ".glossary.lock"


#: Told (once) when a command has to wait for a lock: the CLI prints it on stderr.
notify: Callable[[str], None] | None = None

#: terms/ folders this process holds a lock on (the read lock is then a no-op).
_held: set[str] = set()


def _tell(message: str) -> None:
    if notify is not None:
        notify(message)


def _holder(fd: int) -> str:
    return os.pread(fd, 200, 0).decode("utf-8", "replace").strip()


@contextmanager
def terms_lock(terms_dir: Path, purpose: str) -> Iterator[Path]:
    """Hold ``terms/`` alone while writing it (see the module docstring); ``purpose``
    names the command to another writer that finds it locked."""
    path = terms_dir / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise LockError(f"cannot open the lock file: {exc.strerror}", path=path) from exc
    key = str(terms_dir.resolve())
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            if holder:  # another writer: say so at once
                raise LockError(
                    f"terms/ is locked by another glossary command ({holder})",
                    path=path,
                    hint="wait for it to finish and try again",
                ) from None
            _tell("waiting for other glossary commands to finish reading terms/ …")
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}: {purpose}\n".encode(), 0)
        _held.add(key)
        try:
            remove_stale_temporaries(terms_dir, recursive=False)
            yield path
        finally:
            _held.discard(key)
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@contextmanager
def terms_read_lock(terms_dir: Path) -> Iterator[None]:
    """Hold ``terms/`` shared while reading it (see the module docstring). The lock
    file is created if no command has made it yet, so the very first import cannot
    start while a reader is reading (nor a reader read it half-applied). Where it can
    neither be created nor opened (a read-only terms/ that no writer can change either,
    no terms/), read unlocked."""
    key = str(terms_dir.resolve())
    if key in _held or not terms_dir.is_dir():
        yield
        return
    fd = _open_for_reading(terms_dir / LOCK_NAME)
    if fd is None:
        yield
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            _tell(f"waiting for {holder or 'another glossary command'} to finish writing "
                  "terms/ …")
            fcntl.flock(fd, fcntl.LOCK_SH)
        _held.add(key)
        try:
            yield
        finally:
            _held.discard(key)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _open_for_reading(path: Path) -> int | None:
    """The lock file, created if missing (``O_CREAT`` without ``O_EXCL``: a reader and a
    writer creating it at once get the same file); read-only where it cannot be created."""
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError:
        pass
    try:  # a shared flock needs only read access
        return os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return None


BUILD_LOCK_NAME = ".glossary-build.lock"


@contextmanager
def build_lock(build_dir: Path) -> Iterator[Path]:
    """One build at a time in ``build_dir``: a second build waits for the first (a
    blocking ``flock``), then starts from its finished output."""
    path = build_dir / BUILD_LOCK_NAME
    try:
        build_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise from_os_error(exc, path) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield path
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def remove_stale_temporaries(folder: Path, *, recursive: bool = True,
                             skip: Collection[Path] = ()) -> int:
    """Delete the temporary files (``.NAME.XXXX.tmp``) a killed writer left in
    ``folder`` (and below, ``recursive``, but not below a folder in ``skip``: one its
    own writer vouches holds none). Call it only while holding the lock that the
    writers of ``folder`` take (build lock, terms/ lock).

    A walk of ``os.scandir`` listings (file types come with the listing, no ``stat``
    per file): build/ holds ~20,000 site pages at 10,000 concepts, and
    ``Path.rglob`` took 21 ms to match them all, this walk 7 ms. Symbolic links are
    neither followed nor removed."""
    removed = 0
    folders = [str(folder)]
    skipped = {str(path) for path in skip}
    while folders:
        try:
            with os.scandir(folders.pop()) as entries:
                found = list(entries)
        except OSError:  # gone, or not a folder: nothing of ours is left there
            continue
        for entry in found:
            if recursive and entry.is_dir(follow_symlinks=False):
                if entry.path not in skipped:
                    folders.append(entry.path)
            elif (entry.name.startswith(".") and entry.name.endswith(".tmp")
                  and entry.is_file(follow_symlinks=False)):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(entry.path)
                    removed += 1
    return removed
