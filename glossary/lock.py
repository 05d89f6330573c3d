"""A lock for writes to ``terms/``: one writer at a time (imports, review decisions).

``with terms_lock(terms_dir): ...`` takes an exclusive, non-blocking ``fcntl.flock`` on
``terms/.glossary.lock`` (the file stays; git ignores it). If another process holds it,
:class:`~glossary.errors.LockError` says which command and process hold it, at once,
rather than waiting. The operating system releases the lock when the holder exits, so
a crashed command never leaves the glossary locked.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from glossary.errors import LockError

LOCK_NAME = ".glossary.lock"


@contextmanager
def terms_lock(terms_dir: Path, purpose: str = "writing terms/") -> Iterator[Path]:
    path = terms_dir / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise LockError(f"cannot open the lock file: {exc.strerror}", path=path) from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
            raise LockError(
                "terms/ is locked by another glossary command"
                + (f" ({holder})" if holder else ""),
                path=path,
                hint="wait for it to finish and try again",
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}: {purpose}\n".encode(), 0)
        try:
            yield path
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)

