"""The search index of the site, shipped as a JavaScript file.

A page opened from disk (``file://``) may not fetch a JSON file, but it may load a
``<script src>``; so the index is a ``.js`` file that assigns one global,
``window.GLOSSARY_INDEX``. The items and their matching keys come from
:mod:`glossary.search`, the specification the CLI's ``glossary search`` follows too;
the browser computes only the key of the query (``static/js/khmer-key.js``) and ranks
with the port of :func:`glossary.search.find` (``static/js/search.js``).

The index is ``{"version": V, "items": [...], "en_order": [...], "km_order": [...]}``.
Each item is a JSON array ``[kind, id, path, en, km, en_review, km_review, [[lang, text,
key, head, status], ...]]`` (a term's text is ``""`` when it equals its key;
``status``, :attr:`glossary.search.Term.status`, is left out for a headword); the two
orders give each item's place in English and in Khmer order, item by item.

An item depends on its concept alone, so after an edit the index is the file the last
build wrote with the items of the edited concepts made again (:class:`KeptItems`): each
concept's place in that file is kept, by the concept's index fingerprint
(:func:`glossary.site.state.index_fingerprint`, which covers its terms and their
review), in ``build/.cache/site-search-rows.txt``, with each item's place in the two
orders. After a Khmer term edit at 10,000 concepts, making every item again was a
quarter of the site's build (0.35 s). Keeping each item's JSON in that file instead of
its place cost reading and writing 7.7 MB of it and joining every item.

When the findable concepts are those of the last build, in its order, the index is
*patched* (:func:`_patched`): the runs of items between the edited ones are ranges of
the old file, found by position, and each edited item leaves the two orders and is put
back by bisection, so only the keys the bisection compares are worked out. Going
through every concept, and sorting them all by both keys, took 60–80 ms of a Khmer term
edit's build at 10,000 concepts, 23–25 ms patched. Otherwise (a concept added, removed
or retired) every item is ordered again, by the Khmer sort keys the site keeps
(:mod:`glossary.site.sort_keys`, 7 MB at 10,000 concepts, 20–25 ms to read when needed).
"""

from __future__ import annotations

import bisect
import contextlib
import json
from collections.abc import Callable, Mapping
from itertools import compress, count
from pathlib import Path
from typing import Any

from glossary import khmer_collation, search, textfile
from glossary.model import Concept, Glossary
from glossary.search import INDEX_VERSION, Row
from glossary.site.manifest import read_digested, write_digested
from glossary.site.sort_keys import KmSortKeys

ROWS_NAME = "site-search-rows.txt"
ROWS_VERSION = 5  # 5: no sort keys; 4: columns, with the orders (3: a line each)

#: The index as :meth:`SiteWriter.splice` takes it: bytes, and ranges of the old file
Pieces = list[bytes | tuple[int, int]]


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _escaped(text: str) -> str:
    """JSON made valid JavaScript, and without "<" or "&", so that no HTML-aware tool
    sees markup in the file (each replacement is within a string: every item can be
    escaped on its own)."""
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def item_json(row: Row) -> str:
    """The row's item, as the index holds it (escaped: see :func:`_escaped`)."""
    terms = [[t.lang, "" if t.text == t.key else t.text, t.key, int(t.head),
              *((t.status,) if t.status else ())] for t in row.terms]
    return _escaped(_json([row.kind, row.id, row.path, row.en, row.km, row.en_review,
                           row.km_review, terms]))


def concept_item(concept: Concept) -> str:
    """A concept's item (the concept is one search finds)."""
    row = search.concept_row(concept)
    if row is None:
        raise ValueError(f"{concept.id}: search does not find a retired concept")
    return item_json(row)


class KeptItems:
    """Where each concept's item is in the index file the last build wrote (its id, index
    fingerprint, start and length), the file's two orders, and this build's.

    The file is data: a line with the checksum of the rest, a line with the version and
    the site's shared digest (:func:`glossary.site.state.shared_key`: the code, the
    settings), a line with the index file's signature (size, modification time, inode,
    change time), the number of concepts, then one line per column: the ids and the
    fingerprints separated by tabs, the starts and the lengths, then each item's place
    in English and in Khmer order, as numbers.
    Nothing of it is used when it is not whole, its version or shared digest is not
    this build's, or the index file is not the one it was written with (changed since,
    by hand or by another build): every item is made."""

    def __init__(self, cache_dir: Path, shared: str, index_file: Path) -> None:
        self.path = cache_dir / ROWS_NAME
        self.index_file = index_file
        self.head = f"{ROWS_VERSION}\t{shared}"
        self.ids: list[str] = []  # the last build's concepts, in the file's order …
        self.prints: list[str] = []
        self.starts: list[int] = []
        self.lengths: list[int] = []
        self.en_rank: list[int] = []  # … and every item's place in each order
        self.km_rank: list[int] = []
        self.new: list[list[str]] = [[], [], [], []]  # this build's columns
        self.new_ranks: tuple[list[int], list[int]] = ([], [])
        body = read_digested(self.path)
        try:
            head, stat, number, *columns = body.decode("ascii").split("\n") \
                if body is not None else ("", "", "")
            signature = list(map(int, stat.split(" ")))
            rows = int(number)
            ids, prints, starts, lengths, en_rank, km_rank = columns
            texts = [column.split("\t") if rows else [] for column in (ids, prints)]
            numbers = [list(map(int, column.split(" "))) if column else []
                       for column in (starts, lengths, en_rank, km_rank)]
        except ValueError:  # not ASCII, not its lines, not numbers
            return
        sizes = {len(column) for column in texts} | {len(numbers[0]), len(numbers[1])}
        if head != self.head or textfile.file_signature(index_file) != signature \
                or sizes != {rows} \
                or len(numbers[2]) != len(numbers[3]) or len(numbers[2]) < rows \
                or (rows and (min(numbers[0]) < 0 or min(numbers[1]) <= 0
                              or max(map(int.__add__, *numbers[:2])) > signature[0])):
            return  # past the file's end, or a column short
        self.ids, self.prints = texts
        self.starts, self.lengths, self.en_rank, self.km_rank = numbers

    def old(self) -> dict[str, tuple[str, int, int]]:
        """id → (fingerprint, start, length): the kept items by concept."""
        return dict(zip(self.ids, zip(self.prints, self.starts, self.lengths, strict=True),
                        strict=True))

    def keep(self, cid: str, fingerprint: str, start: int, length: int) -> None:
        """Note where the concept's item is in this build's file."""
        for column, value in zip(self.new, (cid, fingerprint, str(start), str(length)),
                                 strict=True):
            column.append(value)

    def save(self) -> None:
        """Keep this build's places and orders, with the signature of the index file
        just written; losing the file only costs making every item again."""
        signature = textfile.file_signature(self.index_file)
        ids, prints, starts, lengths = self.new
        body = None if signature is None else "\n".join(
            [self.head, " ".join(map(str, signature)), str(len(ids)), "\t".join(ids),
             "\t".join(prints), " ".join(starts), " ".join(lengths),
             *(" ".join(map(str, ranks)) for ranks in self.new_ranks)]).encode("ascii")
        if body is None or not write_digested(self.path, body):
            with contextlib.suppress(OSError):
                self.path.unlink(missing_ok=True)  # never leave an older file behind


def index_pieces(glossary: Glossary, section_anchor: Callable[[str], str] | None = None,
                 km_sort_key: Callable[[str], Any] | None = None,
                 kept: KeptItems | None = None,
                 fingerprints: Mapping[str, str] | None = None) -> Pieces:
    """The JavaScript file, ``window.GLOSSARY_INDEX = {...};``, holding
    :func:`glossary.search.index_items`' items in their order, as pieces: bytes, and
    ranges of the last build's file. With ``kept`` (and ``km_sort_key`` the site's
    :class:`KmSortKeys`), a concept whose index fingerprint (``fingerprints``: id →
    fingerprint) is the last build's is that file's bytes; ``kept`` notes where each
    item is in this file."""
    key_of = km_sort_key or khmer_collation.sort_key
    reuse = kept if isinstance(km_sort_key, KmSortKeys) else None
    prints = fingerprints or {}
    if reuse is not None:
        patched = _patched(glossary, section_anchor, key_of, reuse, prints)
        if patched is not None:
            return patched
    old = reuse.old() if reuse is not None else {}
    heads: list[tuple[str, str, str]] = []  # (id, English headword, Khmer headword)
    pieces: Pieces = [_PREFIX]
    at = len(_PREFIX)  # where the next item starts in this file
    for concept in glossary.concepts:
        if not search.findable(concept):
            continue
        cid = concept.id
        en, km = concept.en.preferred, concept.km.preferred
        comma = 1 if heads else 0
        heads.append((cid, en.text if en else "", km.text if km else ""))
        fingerprint = prints.get(cid, "")
        entry = old.get(cid)
        if entry is not None and entry[0] == fingerprint and fingerprint:
            _, start, length = entry  # the old file's bytes
            last = pieces[-1]
            if comma and isinstance(last, tuple) and last[1] + 1 == start:
                pieces[-1] = (last[0], start + length)  # with the comma between them
            else:
                if comma:
                    pieces.append(b",")
                pieces.append((start, start + length))
        else:
            raw = concept_item(concept).encode("utf-8")
            length = len(raw)
            pieces.append(b"," + raw if comma else raw)
        at += comma
        if reuse is not None and fingerprint:
            reuse.keep(cid, fingerprint, at, length)
        at += length
    for row in search.reference_rows(glossary, section_anchor):
        pieces.append(("," if heads else "").encode() + item_json(row).encode("utf-8"))
        heads.append((row.id, row.en, row.km))
    en_order, km_order = search.orders(heads, key_of)
    if reuse is not None:
        reuse.new_ranks = (en_order, km_order)
    pieces.append(_orders(en_order, km_order))
    return pieces


_PREFIX = f'window.GLOSSARY_INDEX = {{"version":{INDEX_VERSION},"items":['.encode()


def _orders(en_order: list[int], km_order: list[int]) -> bytes:
    """The end of the file: each item's place in English and in Khmer order."""
    return (f'],"en_order":[{",".join(map(str, en_order))}],'
            f'"km_order":[{",".join(map(str, km_order))}]}};\n'.encode())


def _patched(glossary: Glossary, section_anchor: Callable[[str], str] | None,
             key_of: Callable[[str], Any], kept: KeptItems,
             prints: Mapping[str, str]) -> Pieces | None:
    """The index made from the last build's file by position, when the findable
    concepts are the kept ones in the same order, each with a fingerprint: the items
    between those whose fingerprint changed are one range of the old file each, and the
    changed ones leave both orders and are put back by bisection. None when it cannot be
    (other concepts, kept data that does not hold together): the caller makes it whole."""
    concepts = [c for c in glossary.concepts if search.findable(c)]
    ids = [c.id for c in concepts]
    if not ids or ids != kept.ids:
        return None
    now = [prints.get(cid, "") for cid in ids]
    if "" in now:
        return None
    old_prints, starts, lengths = kept.prints, kept.starts, kept.lengths
    changed = [] if now == old_prints else list(
        compress(count(), map(str.__ne__, now, old_prints)))
    refs = search.reference_rows(glossary, section_anchor)
    if len(kept.en_rank) != len(ids) + len(refs) or not _is_places(kept.en_rank) \
            or not _is_places(kept.km_rank) or starts[0] != len(_PREFIX) \
            or any(map(int.__ne__, starts[1:], map(_after, starts, lengths))):
        return None  # not orders of these items, not items one after the other
    pieces: Pieces = [_PREFIX]
    new_starts: list[int] = []
    new_lengths = list(lengths)
    done = shift = 0  # the items placed; how much the ones after an edit move
    for i in [*changed, len(ids)]:
        if done < i:  # the unchanged run done:i, with the comma in front of it
            pieces.append((starts[done] - (1 if done else 0), starts[i - 1] + lengths[i - 1]))
            new_starts += [n + shift for n in starts[done:i]] if shift else starts[done:i]
        if i == len(ids):
            break
        raw = concept_item(concepts[i]).encode("utf-8")
        pieces.append(b"," + raw if i else raw)
        new_starts.append(starts[i] + shift)
        shift += len(raw) - lengths[i]
        new_lengths[i] = len(raw)
        done = i + 1
    for row in refs:
        pieces.append(b"," + item_json(row).encode("utf-8"))
    en_order, km_order = _reordered(concepts, refs, changed, kept, key_of)
    pieces.append(_orders(en_order, km_order))
    kept.new = [ids, now, list(map(str, new_starts)), list(map(str, new_lengths))]
    kept.new_ranks = (en_order, km_order)
    return pieces


def _after(start: int, length: int) -> int:
    return start + length + 1  # the next item starts after a comma


def _is_places(ranks: list[int]) -> bool:
    """Whether ``ranks`` gives each item a place of its own (a permutation)."""
    return len(set(ranks)) == len(ranks) and min(ranks) == 0 and max(ranks) == len(ranks) - 1


def _reordered(concepts: list[Concept], refs: list[Row], changed: list[int],
               kept: KeptItems, key_of: Callable[[str], Any]) -> tuple[list[int], list[int]]:
    """Each item's place in English and in Khmer order: the kept orders with the
    ``changed`` concepts taken out and put back by bisection, comparing the keys of
    :func:`glossary.search.orders` (with the item's position last, as its stable sort
    breaks ties) of the items it passes: some thirty Khmer sort keys worked out
    (``key_of``), where sorting every item needs them all."""
    found = len(concepts)  # the concept items; the documents' and sections' follow

    def head(j: int) -> tuple[str, str, str]:
        if j < found:
            concept = concepts[j]
            en, km = concept.en.preferred, concept.km.preferred
            return concept.id, en.text if en else "", km.text if km else ""
        row = refs[j - found]
        return row.id, row.en, row.km

    def en_key(j: int) -> tuple[Any, ...]:
        ident, en, _ = head(j)
        return en.casefold(), en, ident, j

    def km_key(j: int) -> tuple[Any, ...]:
        ident, en, km = head(j)
        return not km, key_of(km) if km else (), en.casefold(), ident, j

    out = []
    leaving = set(changed)
    for ranks, key in ((kept.en_rank, en_key), (kept.km_rank, km_key)):
        order = [0] * len(ranks)
        for j, place in enumerate(ranks):
            order[place] = j
        if leaving:
            order = [j for j in order if j not in leaving]
            for j in changed:
                bisect.insort(order, j, key=key)
        places = [0] * len(order)
        for place, j in enumerate(order):
            places[j] = place
        out.append(places)
    return out[0], out[1]
