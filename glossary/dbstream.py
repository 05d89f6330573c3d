"""The database written by a forked child while ``terms/`` is still being read.

``glossary build`` reads the concept files on two cores (:mod:`glossary.loading`). As
soon as this process has read its share, :meth:`DatabaseStream.start` forks a child that
inherits those concepts and starts inserting them; the worker's share follows through
a pipe, as the worker's own marshal message (forwarded, not decoded here), and the
revision last. The child checks that the concepts arrive in strictly increasing id
order (true of every valid glossary: an id is its file's name) and writes a temporary
file with :class:`~glossary.store_write.DatabaseWriter`, so the bytes are those of a
database written in one process. The parent moves the file into place only when the
glossary is valid and the child succeeded; otherwise it cancels the child, or writes the
database itself (:meth:`DatabaseStream.finish` returns False).
"""

from __future__ import annotations

import contextlib
import marshal
import os
import queue
import struct
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from glossary import forked, packing
from glossary.loading import concepts_in_message
from glossary.model import Concept, Document, Domain
from glossary.store_write import DatabaseWriter, commit_database, temporary_path

_HEADER = struct.Struct("!BQ")
_WORKER, _CONCEPTS, _FINISH = 1, 2, 3


class OutOfOrder(Exception):
    """Concepts did not arrive in id order: the parent writes the database itself."""


class DatabaseStream:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.child: forked.Child | None = None
        self.tmp: Path | None = None
        self._pipe: BinaryIO | None = None

    @property
    def started(self) -> bool:
        return self.child is not None

    # -- the parent's side ------------------------------------------------------------

    def start(self, documents: Iterable[Document], domains: Iterable[Domain],
              concepts: list[Concept]) -> None:
        """Fork the writer with the first concepts (in id order). Does nothing when
        forking is not possible here."""
        if self.child is not None or not forked.can_fork():
            return
        tmp = temporary_path(self.path)
        read_end, write_end = os.pipe()
        docs, doms = tuple(documents), tuple(domains)

        def work() -> None:
            os.close(write_end)
            with os.fdopen(read_end, "rb") as pipe:
                _write(tmp, docs, doms, concepts, pipe)

        child = forked.start(work)
        os.close(read_end)
        if child is None:
            os.close(write_end)
            return
        self.child, self.tmp = child, tmp
        self._pipe = os.fdopen(write_end, "wb")

    def worker_message(self, data: bytes) -> None:
        """The message of the loading worker: its concepts go to the database too."""
        self._send(_WORKER, data)

    def more(self, concepts: list[Concept]) -> None:
        self._send(_CONCEPTS, marshal.dumps([packing.pack_concept(c) for c in concepts]))

    def finish(self, revision: str) -> bool:
        """Let the child complete the database and move it into place. False when it
        failed (nothing is left behind; the caller writes the database itself)."""
        if self.child is None or self.tmp is None:
            return False
        self._send(_FINISH, revision.encode("utf-8"))
        self._close_pipe()
        ok = self.child.wait() and self.tmp.is_file()
        if ok:
            commit_database(self.tmp, self.path)
        else:
            self.tmp.unlink(missing_ok=True)
        self.child = None
        return ok

    def cancel(self) -> None:
        """Stop the child and remove its file (the glossary was not valid, or the build
        failed)."""
        self._close_pipe()
        if self.child is not None:
            self.child.cancel()
            self.child = None
        if self.tmp is not None:
            self.tmp.unlink(missing_ok=True)

    def _send(self, kind: int, payload: bytes) -> None:
        if self._pipe is None:
            return
        try:
            self._pipe.write(_HEADER.pack(kind, len(payload)))
            self._pipe.write(payload)
        except BrokenPipeError:  # the child is gone; finish() reports it
            self._close_pipe()

    def _close_pipe(self) -> None:
        if self._pipe is not None:
            with contextlib.suppress(BrokenPipeError):
                self._pipe.close()
            self._pipe = None


# -- the child's side -------------------------------------------------------------------


def _frames(pipe: BinaryIO) -> Iterator[tuple[int, bytes]]:
    """The frames the parent sends, read by a thread as soon as they are written, so the
    parent never waits on a full pipe while this process is busy inserting."""
    frames: queue.SimpleQueue[tuple[int, bytes] | None] = queue.SimpleQueue()

    def read() -> None:
        try:
            for frame in forked.read_frames(pipe, _HEADER):
                frames.put(frame)
        finally:
            frames.put(None)

    threading.Thread(target=read, daemon=True).start()
    return iter(frames.get, None)


def _write(tmp: Path, documents: tuple[Document, ...], domains: tuple[Domain, ...],
           first: list[Concept], pipe: BinaryIO) -> None:
    writer = DatabaseWriter(tmp, documents, domains)
    last = ""

    def add(concepts: list[Concept]) -> None:
        nonlocal last
        for concept in concepts:
            if concept.id <= last:
                raise OutOfOrder(concept.id)
            last = concept.id
        writer.add(concepts)

    incoming = _frames(pipe)  # start reading now, while the first concepts go in
    try:
        add(first)
        for kind, payload in incoming:
            if kind == _WORKER:
                add(sorted(concepts_in_message(payload), key=lambda c: c.id))
            elif kind == _CONCEPTS:
                add([packing.unpack_concept(t) for t in marshal.loads(payload)])
            elif kind == _FINISH:
                writer.finish(payload.decode("utf-8"))
                return
    except BaseException:
        writer.abandon()
        raise
    writer.abandon()  # the parent went away before finishing
    raise EOFError("the build stopped before the database was finished")
