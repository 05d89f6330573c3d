"""Read and check ``terms/`` on two cores: :func:`load_checked`.

Reading a concept file (parse, convert, normalize its Khmer) and the checks that need
only that file and the registry are most of the cost of every command that loads the
glossary. With enough files, a forked worker takes the second half of them: it reads
and checks its files, and sends back its concepts, problems and file texts as
:mod:`marshal` data (see :mod:`glossary.packing`), while this process does the first
half. The checks across files (see-also targets, duplicate ids, homonyms) then run
here on the whole. The result is the same as ``validate(load_glossary(...))`` (a test
compares them); when forking is not possible, or the worker fails, the work is done
here in one process.
"""

from __future__ import annotations

import marshal
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Protocol

from glossary import forked, packing, source, validate
from glossary.model import Concept, Document, Domain, Glossary
from glossary.problems import Problem
from glossary.source import LoadedFile, LoadResult

#: Below this many concept files one process is quicker than two.
PARALLEL_MIN_FILES = 1000
#: The worker's share of the files (measured best on two cores: packing and unpacking
#: its results costs about a tenth of reading them).
WORKER_SHARE_PERCENT = 47

Progress = Callable[[int], None]


class Sink(Protocol):
    """Receives the concepts while they are read, in id order (see glossary.dbstream)."""

    def start(self, documents: Iterable[Document], domains: Iterable[Domain],
              concepts: list[Concept]) -> None: ...

    def worker_message(self, data: bytes) -> None: ...

    def more(self, concepts: list[Concept]) -> None: ...


def load_checked(
    terms_dir: Path, fold_coeng_da: bool = True, progress: Progress | None = None,
    *, parallel: bool | None = None, sink: Sink | None = None,
) -> tuple[LoadResult, list[Problem]]:
    """Every concept file and the registry, and every problem in them (sorted, lines
    resolved): ``load_glossary`` and ``validate`` in one step. Never raises for bad
    content. ``parallel`` forces (True) or forbids (False) the worker process.

    ``sink`` gets the concepts as they become available: this process's share (the
    files whose names come first, in id order) as soon as it is read, then the worker's.
    """
    paths = source.concept_paths(terms_dir)
    documents, domains, registry_problems = source.load_registry(terms_dir)
    registry = Glossary(documents=documents, domains=domains)
    if parallel is None:
        parallel = len(paths) >= PARALLEL_MIN_FILES and (os.cpu_count() or 1) > 1
    # Shares in id order (a valid file is named after its id), so that this process's
    # concepts all come before the worker's. The worker also packs what it read and
    # this process unpacks it: give it a bit less.
    by_id = sorted(paths, key=lambda p: p.stem)
    split = len(paths) - len(paths) * WORKER_SHARE_PERCENT // 100 if parallel else len(paths)
    worker = _start_worker(by_id[split:], fold_coeng_da, registry) if split < len(paths) \
        else None
    if worker is None:
        split = len(paths)
    try:
        files, problems = _read(by_id[:split], fold_coeng_da, registry, progress)
        if sink is not None:
            sink.start(documents, domains, _in_id_order(files))
    except BaseException:  # interrupted: do not leave the worker blocked on its pipe
        if worker is not None:
            worker.stop()
        raise
    if worker is not None:
        data, theirs = _receive(worker, by_id[split:])
        if theirs is None:  # the worker failed: do its share here
            theirs = _read(by_id[split:], fold_coeng_da, registry, progress)
            if sink is not None:
                sink.more(_in_id_order(theirs[0]))
        else:
            if sink is not None:
                sink.worker_message(data)
            if progress is not None:
                progress(len(theirs[0]))
        files += theirs[0]
        problems += theirs[1]
    files.sort(key=lambda f: f.path.name)  # the order of concept_paths
    result = source.assemble(files, documents, domains, registry_problems)
    problems += registry_problems
    problems += validate.cross_file_problems(result.files, result.glossary)
    return result, validate.sort_problems(problems)


def _in_id_order(files: list[LoadedFile]) -> list[Concept]:
    return sorted((f.concept for f in files if f.concept is not None), key=lambda c: c.id)


def _read(
    paths: list[Path], fold_coeng_da: bool, registry: Glossary, progress: Progress | None
) -> tuple[list[LoadedFile], list[Problem]]:
    files: list[LoadedFile] = []
    problems: list[Problem] = []
    for path in paths:
        loaded = source.load_concept_file(path, fold_coeng_da)
        problems += validate.file_problems(loaded, registry)
        loaded.fields = []  # checked: the raw text fields are not needed any more
        files.append(loaded)
        if progress is not None:
            progress(1)
    return files, problems


class _Worker:
    def __init__(self, child: forked.Child, fd: int) -> None:
        self.child = child
        self.fd = fd

    def stop(self) -> None:
        os.close(self.fd)
        self.child.cancel()


def _start_worker(paths: list[Path], fold_coeng_da: bool, registry: Glossary) -> _Worker | None:
    def work(fd: int) -> None:
        files, problems = _read(paths, fold_coeng_da, registry, None)
        data = _message(files, problems)
        with os.fdopen(fd, "wb") as pipe:
            pipe.write(data)

    started = forked.start_writer(work)
    return None if started is None else _Worker(*started)


def _receive(
    worker: _Worker, paths: list[Path]
) -> tuple[bytes, tuple[list[LoadedFile], list[Problem]] | None]:
    """The worker's raw message and what it holds (None when the worker failed)."""
    with os.fdopen(worker.fd, "rb") as pipe:
        data = pipe.read()
    if not worker.child.wait():
        return data, None
    try:
        packed_files, packed_problems = marshal.loads(data)
    except (EOFError, ValueError, TypeError):  # pragma: no cover - a truncated message
        return data, None
    if len(packed_files) != len(paths):  # pragma: no cover - defensive
        return data, None
    files = [
        LoadedFile(path, packing.unpack_concept(concept) if concept else None,
                   [packing.unpack_problem(p) for p in file_problems], [], text)
        for path, (concept, file_problems, text) in zip(paths, packed_files, strict=True)
    ]
    return data, (files, [packing.unpack_problem(p) for p in packed_problems])


# The worker's message: marshal data of ([(packed concept or False, [packed problem],
# text)], [packed problem]). glossary.dbstream forwards it unread to the database writer,
# which takes the concepts out with concepts_in_message().


def _message(files: list[LoadedFile], problems: list[Problem]) -> bytes:
    return marshal.dumps((
        [(f.concept is not None and packing.pack_concept(f.concept),
          [packing.pack_problem(p) for p in f.problems], f.text) for f in files],
        [packing.pack_problem(p) for p in problems],
    ))


def concepts_in_message(data: bytes) -> list[Concept]:
    """The concepts of a worker's message (see :func:`_message`)."""
    packed_files: list[Any] = marshal.loads(data)[0]
    return [packing.unpack_concept(concept) for concept, _, _ in packed_files if concept]
