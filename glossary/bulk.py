"""Bulk work without the cyclic garbage collector's pauses.

Reading or comparing 100,000 entries allocates millions of small objects that form no
reference cycles; each allocation burst still triggers collections that walk the whole
(large) heap, which makes such work grow faster than linearly. ``with paused_gc():``
switches the collector off for the block and restores its previous state afterwards.
Reference counting still frees everything as usual.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
