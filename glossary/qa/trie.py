"""A character trie over search keys, walked from each cluster boundary of a text.

:meth:`Trie.matches` starts a walk at every given start position (the QA matcher gives
the start of every cluster, see :mod:`glossary.qa.keys`) and follows the text down the
trie for as long as it can, reporting every key that ends there on a given boundary.
A walk never goes further than the longest key, so the work is linear in the length of
the text (at most ``len(text) × longest key`` steps; measured on the benchmark's 1 MB of
Khmer against 15,021 keys: 3.1 dict lookups per start, 485,528 in all, and 38,922
tail comparisons).  Building costs one dict per trie node.  Pure Python, no dependency.
"""

from __future__ import annotations

from collections.abc import Container, Iterable

__all__ = ["Trie"]


class Trie:
    """Keys (non-empty strings) with integer ids.

    The part of a key that no other key shares is kept as a string (a *tail*) on the
    last node it does share, instead of one node per character, and spelled out only
    when a later key needs a branch inside it: 15,021 Khmer keys need 20,395 nodes
    instead of 149,861, and a walk compares a tail with one ``str.startswith``.
    """

    __slots__ = ("_goto", "_ends", "_tails")

    def __init__(self) -> None:
        # Node 0 is the root; _goto[n] maps a character to the next node; _ends maps
        # the node where a key ends to the key's id; _tails maps a childless node to
        # (the rest of a key below it, that key's id).
        self._goto: list[dict[str, int]] = [{}]
        self._ends: dict[int, int] = {}
        self._tails: dict[int, tuple[str, int]] = {}

    def __len__(self) -> int:
        return len(self._ends) + len(self._tails)

    def _child(self, node: int, ch: str) -> int:
        child = len(self._goto)
        self._goto.append({})
        self._goto[node][ch] = child
        return child

    def add(self, key: str, key_id: int) -> None:
        """Add ``key`` with id ``key_id``; adding a key twice keeps the first id."""
        if not key or "\x00" in key:
            raise ValueError("a key must be non-empty and without NUL")
        goto, tails, ends = self._goto, self._tails, self._ends
        node = 0
        for i, ch in enumerate(key):
            tail = tails.pop(node, None)
            if tail is not None:  # spell out the first character of the tail here
                rest, tail_id = tail
                child = self._child(node, rest[0])
                if len(rest) == 1:
                    ends.setdefault(child, tail_id)
                else:
                    tails[child] = (rest[1:], tail_id)
            nxt = goto[node].get(ch)
            if nxt is None:
                if node and not goto[node] and node not in ends:
                    tails[node] = (key[i:], key_id)
                    return
                nxt = self._child(node, ch)
            node = nxt
        ends.setdefault(node, key_id)

    def matches(
        self, text: str, starts: Iterable[int], boundaries: Container[int] | None = None
    ) -> list[tuple[int, int, int]]:
        """``(start, end, key_id)`` for every key found at one of ``starts`` (ascending
        or not) whose end is in ``boundaries`` (any end when None)."""
        goto, ends, tails = self._goto, self._ends, self._tails
        root = goto[0]
        n = len(text)
        text += "\x00"  # a sentinel no key contains: every walk stops at the end
        found: list[tuple[int, int, int]] = []
        for start in starts:
            if start >= n:
                continue
            node = root.get(text[start])
            end = start + 1
            while node is not None:
                if node in ends and (boundaries is None or end in boundaries):
                    found.append((start, end, ends[node]))
                nxt = goto[node].get(text[end])
                if nxt is None:
                    tail = tails.get(node)
                    if tail is not None and text.startswith(tail[0], end):
                        stop = end + len(tail[0])
                        if boundaries is None or stop in boundaries:
                            found.append((start, stop, tail[1]))
                    break
                node = nxt
                end += 1
        return found
