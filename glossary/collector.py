"""The cyclic garbage collector around the glossary's large, acyclic data.

Reference counting frees everything the tool allocates; the cyclic collector is only
for reference cycles, and the model has none. But CPython starts a collection after
every few hundred allocations, and a full one walks every object alive: loading
100,000 concepts (a few million objects) set off full collections that together took
about 2 s of the 5.9 s the load took, and writing the outputs afterwards another ~0.8 s,
without freeing anything (2.8 s of a one-edit build in all; 0.6 s now). Two documented
tools of :mod:`gc`, in this one module:

* :func:`paused` while a large structure is built (QA's index, the site's pages): no
  collection at all, then the collector's state as it was.
* :func:`loading` for the load of ``terms/``: paused, then what the load made joins
  the oldest generation without being walked (:func:`gc.freeze`). In the ``glossary``
  program (:func:`whole_process`) it stays set aside until the process exits, so the
  outputs written from it never walk it; a library caller gets it back at once
  (:func:`gc.unfreeze`), so cyclic garbage is never kept for good.

And one more for the same program: :func:`kept`, what it loaded is never freed object
by object, since the program ends without tearing the interpreter down.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TypeVar

#: Set by the ``glossary`` program (:func:`whole_process`).
_WHOLE_PROCESS = False
#: What the ``glossary`` program keeps to its end (:func:`kept`).
_KEPT: list[object] = []

T = TypeVar("T")


def whole_process() -> None:
    """Called by the ``glossary`` program, which runs one command and exits: what
    :func:`loading` sets aside stays set aside until the process
    ends. Measured at 100,000 concepts: a load then 200,000 small allocations took
    3.0 s + 1.2 s with the objects given back to the collector (one full collection
    walks them all), 3.0 s + 0.05 s without. A library caller (the tests, a
    long-running program) does not call it, and gets everything back at each block's
    end, so cyclic garbage is never kept for good."""
    global _WHOLE_PROCESS
    _WHOLE_PROCESS = True


@contextmanager
def paused(settle: bool = False) -> Iterator[None]:
    """No cyclic collection inside the block; the collector's state restored after.
    ``settle``: see :func:`loading`."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if settle:
                gc.freeze()
                if not _WHOLE_PROCESS:
                    gc.unfreeze()
            gc.enable()


def loading() -> AbstractContextManager[None]:
    """:func:`paused` for a load whose result lives on (``terms/``): at its end, what
    it made goes straight to the oldest generation (:func:`gc.freeze` then
    :func:`gc.unfreeze`, two list moves) instead of being walked by the first young
    collection after the pause (0.73 s at 100,000 concepts, measured), which would then
    move all of it up one generation at a time. Inside another pause it is that pause."""
    return paused(settle=True)


def kept(value: T) -> T:
    """``value``, which the ``glossary`` program then keeps until it exits, and exits
    without freeing (``glossary.cli`` ends the process at once): freeing a loaded
    glossary object by object took ~20 ms at 10,000 concepts, for memory the operating
    system takes back whole. A library caller keeps nothing."""
    if _WHOLE_PROCESS:
        _KEPT.append(value)
    return value
