"""Run one piece of work in a forked child process while the parent goes on.

``glossary build`` writes the database (SQLite's own work is a third of a build) while
the parent validates and renders the other outputs: the child inherits the loaded
glossary through ``fork`` (nothing is pickled) and writes one temporary file, which the
parent moves into place only when the child succeeded *and* the glossary is valid.

:func:`start` returns None where that is not possible or not safe: no ``os.fork``
(Windows), or other threads running (forking them can deadlock the child). Callers
then do the work in their own process, so results never depend on this.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import struct
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO


@dataclass
class Child:
    pid: int
    _status: int | None = None

    def wait(self) -> bool:
        """Wait for the child; True when its work finished without an exception."""
        if self._status is None:
            while True:
                try:
                    _, status = os.waitpid(self.pid, 0)
                    break
                except InterruptedError:  # pragma: no cover - retried by Python anyway
                    continue
                except ChildProcessError:  # already reaped elsewhere
                    status = 1 << 8
                    break
            self._status = os.waitstatus_to_exitcode(status)
        return self._status == 0

    def cancel(self) -> None:
        """Stop the child (its work is not wanted) and reap it."""
        if self._status is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGTERM)
            self.wait()


def can_fork() -> bool:
    return hasattr(os, "fork") and threading.active_count() == 1


def start(work: Callable[[], object]) -> Child | None:
    """Run ``work()`` in a forked child; None when forking is unavailable or unsafe."""
    if not can_fork():
        return None
    pid = os.fork()
    if pid:
        return Child(pid)
    code = 1  # the child: never return into the parent's code, never run its exit hooks
    try:
        # A collection would write to every object the child shares with its parent,
        # making the kernel copy their pages: the child's work is short and frees its
        # objects by reference counting.
        gc.disable()
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        work()
        code = 0
    except BaseException:  # noqa: BLE001 - the parent redoes the work to report errors
        code = 1
    finally:
        os._exit(code)


def start_writer(work: Callable[[int], object]) -> tuple[Child, int] | None:
    """Run ``work(fd)`` in a forked child that sends its result through a pipe (``fd``
    is the pipe's write end, the child's to close); returns the child and the pipe's
    read end, or None as :func:`start` does."""
    read_end, write_end = os.pipe()

    def run() -> None:
        os.close(read_end)
        work(write_end)

    child = start(run)
    os.close(write_end)
    if child is None:
        os.close(read_end)
        return None
    return child, read_end


def read_frames(pipe: BinaryIO, header: struct.Struct) -> Iterator[tuple[int, bytes]]:
    """The frames sent through ``pipe``, each a ``header`` of two numbers (the second
    is the size of the payload that follows): ``(first number, payload)``. Stops at the
    end, or at a frame cut short (its sender stopped)."""
    while True:
        head = pipe.read(header.size)
        if len(head) < header.size:
            return
        first, size = header.unpack(head)
        payload = pipe.read(size)
        if len(payload) < size:
            return
        yield first, payload
