"""The search index of the site, shipped as a JavaScript file.

A page opened from disk (``file://``) may not fetch a JSON file, but it may load a
``<script src>``; so the index is a ``.js`` file that assigns one global,
``window.GLOSSARY_INDEX``. The items and their matching keys come from
:mod:`glossary.search`, the specification the CLI's ``glossary search`` follows too;
the browser computes only the key of the query (``static/js/khmer-key.js``) and ranks
with the port of :func:`glossary.search.find` (``static/js/search.js``).

Each item is a JSON array ``[kind, id, path, en, km, en_review, km_review, en_order,
km_order, [[lang, text, key, head, status], ...]]`` (a term's text is ``""`` when it
equals its key; ``status``, :attr:`glossary.search.Term.status`, is left out for a
headword). Only the two places in order depend on the other items, so a concept's item
is kept between builds as the JSON before and after them (:class:`KeptRows`, in
``build/.cache/site-search-rows.txt``), by the concept's index fingerprint
(:func:`glossary.site.state.index_fingerprint`, which covers its terms and their
review): after a Khmer term edit, making the matching keys and the JSON of every
concept again was a quarter of the site's build (0.35 s at 10,000 concepts). The sort
key of its Khmer headword is kept with it, so ordering the items reads no other file
(:mod:`glossary.site.sort_keys` keeps the key of every Khmer term in one, 7 MB at 10,000
concepts, 20–25 ms to read).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from glossary import khmer_collation, search
from glossary.model import Concept, Glossary
from glossary.search import INDEX_VERSION, Row
from glossary.site.manifest import read_digested, write_digested
from glossary.site.sort_keys import KmSortKeys

ROWS_NAME = "site-search-rows.txt"
ROWS_VERSION = 2

#: An item's JSON before its two places (ending in a comma) and after them (from a comma)
Fragments = tuple[str, str]


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def fragments(row: Row) -> Fragments:
    """The row's item as JSON, without its places in the two orders."""
    head = _json([row.kind, row.id, row.path, row.en, row.km, row.en_review, row.km_review])
    terms = _json([[t.lang, "" if t.text == t.key else t.text, t.key, int(t.head),
                    *((t.status,) if t.status else ())] for t in row.terms])
    return head[:-1] + ",", "," + terms + "]"


def concept_fragments(concept: Concept) -> Fragments:
    """A concept's item as fragments (the concept is one search finds)."""
    row = search.concept_row(concept)
    if row is None:
        raise ValueError(f"{concept.id}: search does not find a retired concept")
    return fragments(row)


class KeptRows:
    """The concepts' fragments of the last index (id → index fingerprint and fragments),
    and this build's.

    The file is data: a line with the checksum of the rest, a line with the version and
    the site's shared digest (:func:`glossary.site.state.shared_key`: the code, the
    settings), then one line per concept, ``id TAB fingerprint TAB before TAB after TAB
    key`` (JSON escapes every tab and line break, and ids hold none; ``key``: the Khmer
    headword's sort key in hexadecimal, :func:`glossary.site.sort_keys.encode`, or
    empty). A file whose checksum, version or shared digest is not this build's is not
    used: every item is made."""

    def __init__(self, cache_dir: Path, shared: str) -> None:
        self.path = cache_dir / ROWS_NAME
        self.head = f"{ROWS_VERSION}\t{shared}"
        self.old: dict[str, tuple[str, str, str, str]] = {}
        self.new: dict[str, tuple[str, str, str, str]] = {}
        self.made = 0  # items made this build (the others were kept)
        body = read_digested(self.path)
        try:
            head, *lines = body.decode("utf-8").split("\n") if body is not None else [""]
        except UnicodeDecodeError:
            return
        if head != self.head:
            return
        for line in lines:
            parts = line.split("\t")
            if len(parts) != 5:
                self.old.clear()  # not what save wrote
                return
            self.old[parts[0]] = (parts[1], parts[2], parts[3], parts[4])

    def get(self, concept: Concept, fingerprint: str,
            sort_key: KmSortKeys) -> tuple[Fragments, bytes | None]:
        """The concept's fragments and its Khmer headword's sort key (None: it has no
        Khmer term): the last build's when its fingerprint is the same, else made
        (:func:`concept_fragments`, ``sort_key``)."""
        entry = self.old.get(concept.id)
        if entry is not None and entry[0] == fingerprint:
            key = _from_hex(entry[3])
            if key is not None or not entry[3]:
                self.new[concept.id] = entry
                return (entry[1], entry[2]), key
        made = concept_fragments(concept)
        km = concept.km.preferred
        key = sort_key(km.text) if km is not None else None
        self.made += 1
        self.new[concept.id] = (fingerprint, *made, key.hex() if key is not None else "")
        return made, key

    def save(self) -> None:
        """Keep this build's fragments, when they are not the last build's; losing the
        file only costs making every item again."""
        if not self.made and self.new.keys() == self.old.keys():
            return
        body = "\n".join([self.head, *("\t".join((cid, *entry))
                                       for cid, entry in self.new.items())]).encode("utf-8")
        if not write_digested(self.path, body):
            with contextlib.suppress(OSError):
                self.path.unlink(missing_ok=True)  # never leave an older file behind


def _from_hex(text: str) -> bytes | None:
    try:
        key = bytes.fromhex(text)
    except ValueError:
        return None
    return key if key and len(key) % 4 == 0 else None


def index_script(glossary: Glossary, section_anchor: Callable[[str], str] | None = None,
                 km_sort_key: Callable[[str], Any] | None = None,
                 kept: KeptRows | None = None,
                 fingerprints: Mapping[str, str] | None = None) -> str:
    """The JavaScript file: ``window.GLOSSARY_INDEX = {...};`` (JSON, safely escaped),
    holding :func:`glossary.search.index_items`' items in their order. With ``kept``
    (and ``km_sort_key`` the site's :class:`KmSortKeys`), a concept whose index
    fingerprint (``fingerprints``: id → fingerprint) is the last build's keeps its
    fragments and its Khmer headword's sort key."""
    key_of = km_sort_key or khmer_collation.sort_key
    site_keys = km_sort_key if isinstance(km_sort_key, KmSortKeys) else None
    heads: list[tuple[str, str, str]] = []  # (id, English headword, Khmer headword)
    parts: list[Fragments] = []
    known: dict[str, bytes] = {}  # Khmer headword → its kept sort key
    for concept in glossary.concepts:
        if not search.findable(concept):
            continue
        en, km = concept.en.preferred, concept.km.preferred
        fingerprint = fingerprints.get(concept.id) if fingerprints else None
        if kept is not None and site_keys is not None and fingerprint:
            part, key = kept.get(concept, fingerprint, site_keys)
            if km is not None and key is not None:
                known[km.text] = key
        else:
            part = concept_fragments(concept)
        parts.append(part)
        heads.append((concept.id, en.text if en else "", km.text if km else ""))
    for row in search.reference_rows(glossary, section_anchor):
        parts.append(fragments(row))
        heads.append((row.id, row.en, row.km))
    en_order, km_order = search.orders(
        heads, (lambda text: known.get(text) or key_of(text)) if known else key_of)
    items = ",".join([f"{before}{en_order[i]},{km_order[i]}{after}"
                      for i, (before, after) in enumerate(parts)])
    data = f'{{"version":{INDEX_VERSION},"items":[{items}]}}'
    # JSON is valid JavaScript once these are escaped; "<" and "&" keep any HTML-aware
    # tool from seeing markup in the file.
    data = (data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
    return f"window.GLOSSARY_INDEX = {data};\n"
