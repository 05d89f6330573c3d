"""The rows of the pages that list concepts (a domain's page, a document's page, a
letter of the index), kept from the page the last build wrote.

Such a page may list every concept of the glossary (a domain they all belong to, a
section they all cite), and after a term edit rendering its rows again was the largest
part of the site's build (0.4 s for a domain and a document page in two languages at
10,000 concepts, 0.2 s for the letter pages). A row shows one concept's link (its id,
headwords and their review), or one of its terms: its *index data*, so it is the same
bytes as long as the concept's index fingerprint
(:func:`glossary.site.state.index_fingerprint`) and everything every page shares (the
templates, the catalogs: the site's global key) are the same.

A page is made in one of two ways:

* *patched*, when the page the last build wrote has the same frame (the view without its
  rows, and as many rows: :func:`frame_key`): each row that is not the same concept with
  the same fingerprint at the same place is rendered (in one call of the page's rows
  template, :data:`ROWS_TEMPLATES`, each followed by :data:`MARK`), and everything else
  is a range of the old file, copied by :meth:`SiteWriter.splice`. After a term edit
  this is every page listing the concept but a letter page it joins or leaves: at
  10,000 concepts it spares rendering ten frames of up to 10,000 row slots and looking
  up their rows (a Khmer term edit's build: 1.04 s instead of 1.12 s, side by side);
* *framed*, otherwise: (1) its template is rendered with ``row`` (:data:`SLOT`) in place
  of each row: the *frame*, cut at the slots; (2) each row whose concept has the
  fingerprint it had on the page the last build wrote at the same path, from the same
  global key, is that page's bytes (a range of the old file); the other rows are
  rendered in one call of the rows template; (3) the frame's pieces and the rows are
  joined.

The row ids, fingerprints, places and lengths of each page are kept in a file of its
own under ``build/.cache/site-listing-rows/`` (:func:`state_bytes`), read only when the
page is made again: after an edit, a few pages are. The old page is
used only when its file's signature (size, modification and change times,
inode) is the one kept with it: a page changed since, by hand or by another build, is
not, and every row is rendered. Either way the page comes out the same bytes.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from array import array
from collections.abc import Mapping, Sequence
from itertools import compress, count
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from markupsafe import Markup

from glossary import textfile
from glossary.site.manifest import digest, read_digested, write_digested
from glossary.site.pages import LinkRows
from glossary.site.views import DocumentView, LetterView, PageInfo
from glossary.site.writer import SiteWriter

STATE_DIR = "site-listing-rows"  # in build/.cache: a file per page (state_file)
SUFFIX = ".rows"
STATE_VERSION = 3  # 3: binary places (2: JSON columns, with the frame key)
SLOT = Markup("<!--glossary-row-->")  # where the page's template puts each row
MARK = "<!--glossary-row-end-->\n"  # after each row the rows template renders
#: The page templates that list concepts, and the template of their rows.
ROWS_TEMPLATES = {"domain.html": "domain_rows.html", "document.html": "document_rows.html",
                  "letter.html": "letter_rows.html"}

#: A page as :meth:`SiteWriter.splice` takes it: bytes, and ranges of the old file
Pieces = list[bytes | tuple[int, int]]


class ListingRows:
    """The rows of the last build's listing pages, and of this build's.

    ``fingerprints``: each concept's index fingerprint in this build (id → fingerprint)."""

    def __init__(self, cache_dir: Path | None, writer: SiteWriter,
                 fingerprints: Mapping[str, str]) -> None:
        self.folder = cache_dir / STATE_DIR if cache_dir is not None else None
        self.writer = writer
        self.fingerprints = fingerprints
        self.old: dict[str, dict[str, Any] | None] = {}  # read when a page needs it
        self.new: dict[str, dict[str, Any]] = {}

    def _old_entry(self, rel: str) -> dict[str, Any] | None:
        """What the last build kept of the page at ``rel`` (None: nothing usable)."""
        if rel not in self.old:
            self.old[rel] = None
            if self.folder is None:
                return None
            body = read_digested(state_file(self.folder, rel))
            self.old[rel] = state_entry(body, rel) if body is not None else None
        return self.old[rel]

    def write(self, page: PageInfo, view: Any, key: str, global_key: str,
              renderer: Any) -> None:
        """Make the page (its template rendered with ``view``) and write it: its rows
        kept from the old page where they can be (:meth:`SiteWriter.splice`)."""
        rows, cids = rows_of(view)
        made, identity = self.page(page, view, rows, cids, global_key, renderer)
        fresh = [piece for piece in made if isinstance(piece, bytes)]
        if len(fresh) < len(made):
            self.writer.splice(page.out_path, made, key, identity)
        else:  # every row rendered: no old file to copy from
            self.writer.write(page.out_path, b"".join(fresh), key, identity)

    def page(self, page: PageInfo, view: Any, rows: Sequence[Any], cids: Sequence[str],
             global_key: str, renderer: Any) -> tuple[Pieces, str]:
        """The page (its template rendered with ``view``, its rows ``rows``, in order,
        each showing the concept ``cids[i]``) as pieces, and its identity for the site's
        manifest."""
        fingerprints = list(map(self.fingerprints.__getitem__, cids))
        frame = frame_key(view, len(rows))
        made = self._patched(page, view, rows, cids, fingerprints, global_key, frame,
                             renderer)
        pieces, starts, lengths = made if made is not None else self._framed(
            page, view, rows, cids, fingerprints, global_key, renderer)
        self.new[page.out_path] = {"global": global_key, "frame": frame, "ids": list(cids),
                                   "fingerprints": fingerprints, "starts": starts,
                                   "lengths": lengths}
        identity = "rows:" + digest("\0".join(
            (global_key, frame, *cids, *fingerprints)).encode("utf-8", "surrogatepass"))
        return pieces, identity

    def _patched(self, page: PageInfo, view: Any, rows: Sequence[Any], cids: Sequence[str],
                 fingerprints: list[str], global_key: str, frame: str,
                 renderer: Any) -> tuple[Pieces, list[int], list[int]] | None:
        """The old page with the rows that are not the same concept with the same
        fingerprint at the same place made again, when it has this page's frame (the
        view without its rows, and as many rows): after a term edit, the commonest case,
        the frame is not rendered and no row is looked up. None when it cannot be."""
        entry = self._usable(page.out_path, global_key)
        if entry is None or entry["frame"] != frame or len(entry["ids"]) != len(cids):
            return None
        old_ids, old_prints = entry["ids"], entry["fingerprints"]
        old_starts, old_lengths = entry["starts"], entry["lengths"]
        changed = [] if old_ids == cids and old_prints == fingerprints else sorted(
            {*compress(count(), map(str.__ne__, cids, old_ids)),
             *compress(count(), map(str.__ne__, fingerprints, old_prints))})
        fresh = self._render(page, view, [rows[i] for i in changed], renderer)
        pieces: Pieces = []
        starts: list[int] = []
        lengths = list(old_lengths)
        at = shift = done = 0  # in the old file; the growth so far; rows placed
        for i, row in zip(changed, fresh, strict=True):
            start = old_starts[i]
            if start < at:  # not rows in order: not a file this class wrote
                return None
            if start > at:
                pieces.append((at, start))
            pieces.append(row)
            at = start + old_lengths[i]
            starts += [n + shift for n in old_starts[done:i + 1]]
            shift += len(row) - old_lengths[i]
            lengths[i] = len(row)
            done = i + 1
        starts += [n + shift for n in old_starts[done:]]
        size = entry["stat"][0]
        if size > at:
            pieces.append((at, size))
        return pieces, starts, lengths

    def _framed(self, page: PageInfo, view: Any, rows: Sequence[Any], cids: Sequence[str],
                fingerprints: list[str], global_key: str,
                renderer: Any) -> tuple[Pieces, list[int], list[int]]:
        """The page from its frame (its template rendered with a slot for each row),
        each row kept from the old page by its key where it is there, else rendered."""
        parts = renderer.render(page, view, row=SLOT).split(SLOT)
        if len(parts) != len(rows) + 1:
            raise ValueError(f"{page.template} shows {len(parts) - 1} rows for {len(rows)}")
        kept = self._old_rows(page.out_path, global_key)
        places = [kept.get(row_key) for row_key in _row_keys(cids, fingerprints)] \
            if kept else [None] * len(rows)
        missing = [i for i, place in enumerate(places) if place is None]
        fresh = iter(self._render(page, view, [rows[i] for i in missing], renderer))
        pieces: Pieces = []
        starts: list[int] = []
        lengths: list[int] = []
        at = 0
        for i, part in enumerate(parts):
            if part:
                raw = part.encode("utf-8")
                pieces.append(raw)
                at += len(raw)
            if i == len(rows):
                break
            place = places[i]
            row: bytes | tuple[int, int] = place if place is not None else next(fresh)
            size = row[1] - row[0] if isinstance(row, tuple) else len(row)
            if isinstance(row, tuple) and pieces and isinstance(pieces[-1], tuple) \
                    and pieces[-1][1] == row[0]:
                pieces[-1] = (pieces[-1][0], row[1])  # one copy for a run of kept rows
            else:
                pieces.append(row)
            starts.append(at)
            lengths.append(size)
            at += size
        return pieces, starts, lengths

    def _render(self, page: PageInfo, view: Any, rows: list[Any],
                renderer: Any) -> list[bytes]:
        if not rows:
            return []
        rows_page = PageInfo(ROWS_TEMPLATES[page.template], page.path, page.lang, page.nav)
        fresh = renderer.render(rows_page, view, rows=rows).split(MARK)
        if len(fresh) != len(rows) + 1:
            raise ValueError(f"{rows_page.template} gave {len(fresh) - 1} rows for {len(rows)}")
        return [text.encode("utf-8") for text in fresh[:-1]]

    def _usable(self, rel: str, global_key: str) -> dict[str, Any] | None:
        """What the last build kept of the page it wrote at ``rel``, when that page can
        be used: made from the same global key, and the file is the one written then."""
        entry = self._old_entry(rel)
        if entry is None or entry["global"] != global_key \
                or textfile.file_signature(self.writer.root / rel) != entry["stat"] \
                or max(map(int.__add__, entry["starts"], entry["lengths"]), default=0) \
                > entry["stat"][0]:  # a row past the file's end
            return None
        return entry

    def _old_rows(self, rel: str,
                  global_key: str) -> dict[tuple[str, int, str], tuple[int, int]]:
        """Where each row of the page the last build wrote at ``rel`` is in its file, by
        its key (:func:`_row_keys`); empty when that page cannot be used
        (:meth:`_usable`)."""
        entry = self._usable(rel, global_key)
        if entry is None:
            return {}
        return {row_key: (start, start + length)
                for row_key, start, length in zip(
                    _row_keys(entry["ids"], entry["fingerprints"]), entry["starts"],
                    entry["lengths"], strict=True) if row_key[2]}

    def save(self) -> None:
        """Keep the rows of the listing pages this build made (with their file's
        signature), a file each; the files of the pages it left as they were stay, and
        those of pages the site no longer has go. Losing a file costs rendering every
        row of its page next time."""
        if self.folder is None:
            return
        paths = set(self.writer.paths)
        for rel, entry in self.new.items():
            stat = textfile.file_signature(self.writer.root / rel) if rel in paths else None
            path = state_file(self.folder, rel)
            if stat is None:
                with contextlib.suppress(OSError):
                    path.unlink(missing_ok=True)
                continue
            if not write_digested(path, state_bytes(rel, {**entry, "stat": stat})):
                with contextlib.suppress(OSError):
                    path.unlink(missing_ok=True)  # never leave an older file behind
        with contextlib.suppress(OSError):
            for name in os.listdir(self.folder):
                if unquote(name.removesuffix(SUFFIX)) not in paths:
                    (self.folder / name).unlink(missing_ok=True)


def state_file(folder: Path, rel: str) -> Path:
    """The file that keeps the rows of the page at ``rel``, in ``folder``."""
    return folder / (quote(rel, safe="") + SUFFIX)


def state_bytes(rel: str, entry: dict[str, Any]) -> bytes:
    """What is kept of the page at ``rel``: a line of JSON (the version, the page, its
    global and frame keys, its file's signature, the number of rows and the size of each
    part), then the parts: the row ids and their concepts' fingerprints (UTF-8, one per
    line), then each row's place and length, as 8-byte little-endian integers.

    Binary places because a Khmer term edit at 10,000 concepts keeps the state of ten
    pages of 51,000 rows in all: as JSON columns of decimal numbers, writing and reading
    them back took about 45 ms of the build, as arrays about 10 ms."""
    ids = "\n".join(entry["ids"]).encode("utf-8", "surrogatepass")
    prints = "\n".join(entry["fingerprints"]).encode("ascii")
    places = [_little(array("q", entry[name])).tobytes() for name in ("starts", "lengths")]
    head = {"version": STATE_VERSION, "page": rel, "global": entry["global"],
            "frame": entry["frame"], "stat": entry["stat"], "rows": len(entry["ids"]),
            "sizes": [len(ids), len(prints), *map(len, places)]}
    return b"".join([json.dumps(head, sort_keys=True).encode(), b"\n", ids, prints, *places])


def state_entry(body: bytes, rel: str) -> dict[str, Any] | None:
    """The entry :func:`state_bytes` kept for the page at ``rel``, as
    :class:`ListingRows` uses it; None when it is not that: another version or page,
    parts of other sizes, or places that cannot be (negative, an empty row)."""
    line, _, rest = body.partition(b"\n")
    try:
        head = json.loads(line)
    except ValueError:
        return None
    if not isinstance(head, dict) or head.get("version") != STATE_VERSION \
            or head.get("page") != rel or not isinstance(head.get("global"), str) \
            or not isinstance(head.get("frame"), str):
        return None
    rows, sizes, stat = head.get("rows"), head.get("sizes"), head.get("stat")
    if not (isinstance(stat, list) and len(stat) == 4 and all(type(n) is int for n in stat)
            and type(rows) is int and rows >= 0 and isinstance(sizes, list)
            and len(sizes) == 4 and all(type(n) is int and n >= 0 for n in sizes)
            and sizes[2] == sizes[3] == 8 * rows and sum(sizes) == len(rest)):
        return None
    parts = memoryview(rest)
    ends = [sum(sizes[:i + 1]) for i in range(4)]
    try:
        ids = str(parts[:ends[0]], "utf-8", "surrogatepass").split("\n") if rows else []
        prints = str(parts[ends[0]:ends[1]], "ascii").split("\n") if rows else []
    except UnicodeDecodeError:
        return None
    starts, lengths = (_numbers(parts[ends[i]:ends[i + 1]]) for i in (1, 2))
    if len(ids) != rows or len(prints) != rows \
            or (rows and (min(starts) < 0 or min(lengths) <= 0)):
        return None
    return {"global": head["global"], "frame": head["frame"], "stat": stat, "ids": ids,
            "fingerprints": prints, "starts": starts, "lengths": lengths}


def _numbers(raw: memoryview) -> list[int]:
    numbers = array("q")
    numbers.frombytes(raw)
    return _little(numbers).tolist()


def _little(numbers: array[int]) -> array[int]:
    """``numbers`` in little-endian order, whatever the machine's (done in place)."""
    if sys.byteorder != "little":
        numbers.byteswap()
    return numbers


def _row_keys(cids: Sequence[str], fingerprints: Sequence[str]) -> list[tuple[str, int, str]]:
    """Each row's key: its concept, which of that concept's rows on the page it is (a
    letter page lists each of a concept's terms that starts with its letter), and the
    concept's fingerprint (which decides the terms, so the n-th row stays the n-th)."""
    seen: dict[str, int] = {}
    keys = []
    for cid, fingerprint in zip(cids, fingerprints, strict=True):
        n = seen[cid] = seen.get(cid, -1) + 1
        keys.append((cid, n, fingerprint))
    return keys


def rows_of(view: Any) -> tuple[Sequence[Any], list[str]]:
    """The rows a listing page's view shows, in the order of its template, and the
    concept each row shows (the links of :class:`~glossary.site.pages.LinkRows` are not
    made for that)."""
    if isinstance(view, LetterView):  # a term per row
        return view.entries, [entry.concept.id for entry in view.entries]
    if isinstance(view, DocumentView):  # each section's concepts
        found = [section.concepts for section in view.sections]
        parts = [rows for rows in found if isinstance(rows, LinkRows)]
        if len(parts) == len(found):
            links = LinkRows.joined(parts)
            return links, list(links.ids)
        return [link for rows in found for link in rows], [
            link.id for rows in found for link in rows]
    if isinstance(view.concepts, LinkRows):
        return view.concepts, list(view.concepts.ids)
    return view.concepts, [link.id for link in view.concepts]


def _bare(view: Any) -> Any:
    """A listing page's view without its rows (a document page's: with the number of
    rows of each section)."""
    if isinstance(view, DocumentView):
        return (view._replace(sections=tuple(s._replace(concepts=()) for s in view.sections)),
                [len(s.concepts) for s in view.sections])
    if isinstance(view, LetterView):
        return view._replace(entries=())
    return view._replace(concepts=())


def frame_key(view: Any, rows: int) -> str:
    """What decides a listing page's frame besides what every page shares: its view
    without its rows, and how many rows it has."""
    return digest(repr(_bare(view)).encode() + b"\0" + str(rows).encode())


def view_key(view: Any, fingerprints: Mapping[str, str]) -> bytes:
    """What decides a listing page besides what every page shares: its view without its
    rows, and each row's concept and that concept's fingerprint (the ``repr`` of a view
    listing 10,000 concepts took 30 ms)."""
    _, cids = rows_of(view)
    rows = "\n".join(cids) + "\0" + "\n".join(map(fingerprints.__getitem__, cids))
    return repr(_bare(view)).encode() + b"\0" + rows.encode()
