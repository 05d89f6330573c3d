"""Shared settings for fuzz tests: a short run by default, a long one with -m fuzz."""

from __future__ import annotations

import os
from datetime import timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

LONG = os.environ.get("GLOSSARY_FUZZ_LONG") == "1"

# The short run (default, CI) and the long run (`pytest -m fuzz`, ≥ 10,000 examples).
SHORT_EXAMPLES = 150
LONG_EXAMPLES = 10_000

short = settings(max_examples=SHORT_EXAMPLES, deadline=timedelta(seconds=5), database=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
long = settings(max_examples=LONG_EXAMPLES, deadline=timedelta(seconds=5), database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

KHMER = [chr(c) for c in range(0x1780, 0x17DE)] + [chr(c) for c in range(0x17E0, 0x17EA)]
ODD = ["\u200b", "\u200c", "\u200d", "\ufeff", "\u00a0", "\r", "\n", "\t", "\x00", "\\", '"',
       "'", "#", "[", "]", "=", "<script>", "../", "\U0001f600", "\ud7ff"]

odd_text = st.lists(
    st.one_of(st.sampled_from(KHMER), st.sampled_from(ODD), st.characters()), max_size=40
).map("".join)


def mutate(data: bytes, cuts: list[tuple[int, int, bytes]]) -> bytes:
    """Apply (position, length, replacement) edits to ``data``."""
    out = bytearray(data)
    for pos, length, repl in cuts:
        if not out:
            break
        pos %= len(out)
        out[pos:pos + length] = repl
    return bytes(out)

# Examples that copy a fresh project, import and run `glossary check` (the importers'
# invariant) take longer than a parse: a deadline that a loaded CI machine can keep.
short_fresh = settings(short, deadline=timedelta(seconds=60))
long_fresh = settings(long, deadline=timedelta(seconds=60))
