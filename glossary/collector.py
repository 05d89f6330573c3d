"""The cyclic garbage collector around the glossary's large, acyclic data.

Reference counting frees everything the tool allocates; the cyclic collector is only
for reference cycles, and the model has none. But CPython starts a collection after
every few hundred allocations, and a full one walks every object alive: loading
100,000 concepts (a few million objects) set off full collections that together took
about 2 s of the 5.9 s the load took, and writing the outputs afterwards another ~0.8 s,
without freeing anything. Two documented tools of :mod:`gc`, each in one place:

* :func:`paused` while a large structure is built (the load of ``terms/``, QA's index,
  the site's pages): no collection at all, then the collector's state as it was.
* :func:`long_lived` while a build writes its outputs from a loaded glossary: the
  objects alive at its start are set aside (:func:`gc.freeze`) so that collections
  skip them, young objects are collected as usual, and everything is given back at the
  end (:func:`gc.unfreeze`), so a long-running caller (a test session, a server) keeps
  a normal collector.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """No cyclic collection inside the block; the collector's state restored after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def long_lived() -> Iterator[None]:
    """Collections inside the block skip the objects alive at its start."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
