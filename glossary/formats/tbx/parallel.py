"""Read a large TBX file on two cores: this process the first half, a forked worker the
second (:mod:`glossary.formats.tbx.halves` cuts the file into two documents).

This process yields its own entries as it reads them (the import plans them meanwhile),
then the worker's, which come back as :mod:`marshal` data (see
:func:`glossary.packing.pack_incoming`), or as what ``result.prepare`` made of them in
the worker (the import plans new concepts there). The records, their order, their line numbers
and the skipped counts are those of a one-process read (tests compare them). If
anything goes wrong with the halves (a parse error in either, the worker failing or
not starting), the rest of the file is read here from the whole file, passing over the
entries already given: an error in the file is then reported exactly as a
one-process read reports it.
"""

from __future__ import annotations

import marshal
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from glossary import forked, packing
from glossary.formats.tbx.halves import Halves, RangeReader
from glossary.incoming import InConcept, Prepared, ReadResult

#: One item per entry element: its record, or None when it gives none.
Entries = Callable[..., Iterator[InConcept | None]]
#: (result, line offset) -> the entry reader for one document
MakeReader = Callable[[ReadResult, int], Any]


def read_in_two(path: Path, halves: Halves, result: ReadResult, reader: Any,
                make_reader: MakeReader, entries: Entries) -> Iterator[InConcept | Prepared]:
    """The records of ``path``, as ``entries(path, result, reader)`` gives them; those of
    the worker's half that ``result.prepare`` turned into data come as Prepared."""
    worker = _Worker.start(path, halves, result, make_reader, entries)
    if worker is None:
        yield from _rest(path, result, reader, entries, 0)
        return
    done = 0  # entries of the file already given (or passed over)
    try:
        try:
            with RangeReader(path, halves.first) as source:
                for record in entries(source, result, reader):
                    done += 1
                    if record is not None:
                        yield record
        except (etree.XMLSyntaxError, OSError):
            worker.stop()
            yield from _rest(path, result, reader, entries, done)
            return
        theirs = worker.receive(result.own)
        if theirs is None:
            yield from _rest(path, result, reader, entries, done)
            return
        skipped, records = theirs
        result.skipped.update(skipped)
        yield from records
    finally:
        worker.stop()


def _rest(path: Path, result: ReadResult, reader: Any, entries: Entries,
          skip: int) -> Iterator[InConcept]:
    """The records of the whole file after its first ``skip`` entries."""
    for record in entries(path, result, reader, skip):
        if record is not None:
            yield record


class _Worker:
    def __init__(self, child: forked.Child, fd: int) -> None:
        self.child: forked.Child | None = child
        self.fd = fd

    @classmethod
    def start(cls, path: Path, halves: Halves, result: ReadResult, make_reader: MakeReader,
              entries: Entries) -> _Worker | None:
        def work(fd: int) -> None:
            offset = halves.second_line_offset(path)
            if offset is None:
                raise ValueError("the cut is not before an entry")  # the parent reads on
            mine = ReadResult(path=path, format=result.format)
            reader = make_reader(mine, offset)
            prepare = result.prepare
            packed: list[tuple[bool, Any]] = []
            with RangeReader(path, halves.second) as source:
                for record in entries(source, mine, reader):
                    if record is None:
                        continue
                    if prepare is not None:
                        result.own = mine.own  # the consumer's view of the file, here
                        prepared = prepare(record)
                        if prepared is not None:
                            packed.append((True, prepared))
                            continue
                    packed.append((False, packing.pack_incoming(record)))
            data = marshal.dumps((mine.own, dict(mine.skipped), packed))
            with os.fdopen(fd, "wb") as pipe:
                pipe.write(data)

        started = forked.start_writer(work)
        return None if started is None else cls(*started)

    def receive(self, own: bool) -> tuple[dict[str, int], list[InConcept | Prepared]] | None:
        """The worker's skipped counts and records; None when it failed."""
        with os.fdopen(self.fd, "rb") as pipe:
            self.fd = -1
            data = pipe.read()
        child, self.child = self.child, None
        if child is None or not child.wait():
            return None
        try:
            their_own, skipped, packed = marshal.loads(data)
        except (EOFError, ValueError, TypeError):  # pragma: no cover - a truncated message
            return None
        if their_own != own:  # pragma: no cover - both read the same header
            return None
        unpack = packing.IncomingUnpacker()
        return skipped, [Prepared(item) if prepared else unpack(item)
                         for prepared, item in packed]

    def stop(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
        if self.child is not None:
            self.child.cancel()
            self.child = None
