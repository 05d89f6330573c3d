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
review), in ``build/.cache/site-search-rows.txt``, with the sort key of its Khmer
headword, so ordering the items reads no other file (:mod:`glossary.site.sort_keys`
keeps the key of every Khmer term in one, 7 MB at 10,000 concepts, 20–25 ms to read).
After a Khmer term edit at 10,000 concepts, making every item again was a quarter of the
site's build (0.35 s). Keeping each item's JSON in that file instead of its place cost
reading and writing 7.7 MB of it (now 4.8 MB) and joining every item: the build took
1.07 s on average where it now takes 1.04 s (side by side, eleven pairs of builds).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from glossary import khmer_collation, search, textfile
from glossary.model import Concept, Glossary
from glossary.search import INDEX_VERSION, Row
from glossary.site.manifest import read_digested, write_digested
from glossary.site.sort_keys import KmSortKeys

ROWS_NAME = "site-search-rows.txt"
ROWS_VERSION = 3  # 3: each item's place in the index file instead of its JSON

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
    """Where each concept's item is in the index file the last build wrote (id → index
    fingerprint, start, length and its Khmer headword's sort key), and this build's.

    The file is data: a line with the checksum of the rest, a line with the version and
    the site's shared digest (:func:`glossary.site.state.shared_key`: the code, the
    settings), a line with the index file's signature (size, modification time, inode,
    change time), then one line per concept, ``id TAB fingerprint TAB start TAB length
    TAB key`` (``key``: the Khmer headword's sort key in hexadecimal,
    :func:`glossary.site.sort_keys.encode`, or empty). Nothing of it is used when it is
    not whole, its version or shared digest is not this build's, or the index file is
    not the one it was written with (changed since, by hand or by another build): every
    item is made."""

    def __init__(self, cache_dir: Path, shared: str, index_file: Path) -> None:
        self.path = cache_dir / ROWS_NAME
        self.index_file = index_file
        self.head = f"{ROWS_VERSION}\t{shared}"
        self.old: dict[str, tuple[str, int, int, str]] = {}
        self.new: list[str] = []  # this build's lines
        body = read_digested(self.path)
        try:
            head, stat, *lines = body.decode("ascii").split("\n") if body is not None \
                else ("", "")
            signature = list(map(int, stat.split(" ")))
            size = signature[0]
            for line in lines:
                cid, fingerprint, start, length, key = line.split("\t")
                place = self.old[cid] = (fingerprint, int(start), int(length), key)
                if place[1] < 0 or place[2] <= 0 or place[1] + place[2] > size:
                    raise ValueError(line)
        except ValueError:  # not ASCII, not five fields, not numbers, past the file's end
            self.old.clear()
            return
        if head != self.head or textfile.file_signature(index_file) != signature:
            self.old.clear()

    def keep(self, cid: str, fingerprint: str, start: int, length: int, key: str) -> None:
        """Note where the concept's item is in this build's file."""
        self.new.append(f"{cid}\t{fingerprint}\t{start}\t{length}\t{key}")

    def save(self) -> None:
        """Keep this build's places, with the signature of the index file just written;
        losing the file only costs making every item again."""
        signature = textfile.file_signature(self.index_file)
        body = None if signature is None else "\n".join(
            [self.head, " ".join(map(str, signature)), *self.new]).encode("ascii")
        if body is None or not write_digested(self.path, body):
            with contextlib.suppress(OSError):
                self.path.unlink(missing_ok=True)  # never leave an older file behind


def _is_key(text: str) -> bool:
    """Whether ``text`` is a kept sort key: whole weights of four bytes in hexadecimal
    (as :func:`glossary.site.sort_keys.encode` gives them, ``.hex()``), which compare
    as the keys do. ``bytes.fromhex`` looks at a 400-digit key in 0.3 µs, where a
    regular expression or ``str.strip`` took 2 µs."""
    try:
        bytes.fromhex(text)
    except ValueError:
        return False
    return len(text) % 8 == 0 and " " not in text


def index_pieces(glossary: Glossary, section_anchor: Callable[[str], str] | None = None,
                 km_sort_key: Callable[[str], Any] | None = None,
                 kept: KeptItems | None = None,
                 fingerprints: Mapping[str, str] | None = None) -> Pieces:
    """The JavaScript file, ``window.GLOSSARY_INDEX = {...};``, holding
    :func:`glossary.search.index_items`' items in their order, as pieces: bytes, and
    ranges of the last build's file. With ``kept`` (and ``km_sort_key`` the site's
    :class:`KmSortKeys`), a concept whose index fingerprint (``fingerprints``: id →
    fingerprint) is the last build's is that file's bytes, and keeps its Khmer
    headword's sort key; ``kept`` notes where each item is in this file."""
    key_of = km_sort_key or khmer_collation.sort_key
    site_keys = km_sort_key if isinstance(km_sort_key, KmSortKeys) else None
    reuse = kept if site_keys is not None else None
    old = reuse.old if reuse is not None else {}
    prints = fingerprints or {}
    heads: list[tuple[str, str, str]] = []  # (id, English headword, Khmer headword)
    known: dict[str, str] = {}  # Khmer headword → its kept sort key, in hexadecimal
    pieces: Pieces = [f'window.GLOSSARY_INDEX = {{"version":{INDEX_VERSION},"items":['
                      .encode()]
    at = len(pieces[0])  # where the next item starts in this file
    for concept in glossary.concepts:
        if not search.findable(concept):
            continue
        cid = concept.id
        en, km = concept.en.preferred, concept.km.preferred
        comma = 1 if heads else 0
        heads.append((cid, en.text if en else "", km.text if km else ""))
        fingerprint = prints.get(cid, "")
        entry = old.get(cid)
        if entry is not None and entry[0] == fingerprint and fingerprint \
                and _is_key(entry[3]):
            _, start, length, key = entry  # the old file's bytes
            if km is not None and key:
                known[km.text] = key
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
            key = site_keys(km.text).hex() if km is not None and site_keys is not None \
                else ""
        at += comma
        if reuse is not None and fingerprint:
            reuse.keep(cid, fingerprint, at, length, key)
        at += length
    for row in search.reference_rows(glossary, section_anchor):
        pieces.append(("," if heads else "").encode() + item_json(row).encode("utf-8"))
        heads.append((row.id, row.en, row.km))
    order_key: Callable[[str], Any] = key_of if site_keys is None else (
        lambda text: known.get(text) or site_keys(text).hex())
    en_order, km_order = search.orders(heads, order_key)
    pieces.append(f'],"en_order":[{",".join(map(str, en_order))}],'
                  f'"km_order":[{",".join(map(str, km_order))}]}};\n'.encode())
    return pieces

