"""The rows of the printable glossary (``print.html``, ``approved.html``), reused.

Those pages list every concept, so any edit changes them; rendering their 2 × 10,000
rows was most of a one-edit site build. Each row's HTML depends only on the row (the
concept's terms, definitions and review), the page it is on (language, depth) and what
every page depends on (templates, catalogs: the site's global key), so a row gets a key
(a digest of what it shows), and its HTML is taken from the page the last build wrote
at the same path, from the same global key, when that page had a row with the same key.
The keys of each page's rows, in order, the global key and the digest of the page they
were written in are kept in ``build/.cache/site-print-rows.json`` (after a line with the
checksum of the rest: a damaged file is not used); the old page is only trusted when its
bytes have that digest (read only when the file's size, modification and change times
or inode are not those kept with it; anything else: every row is rendered). The rows
are cut out of the old page at their ``</tr>`` (a row's text is escaped, so it holds
no ``<``). The page comes out the same bytes either way.

When the build knows which concepts changed since the last one (:mod:`glossary.site.state`),
:meth:`PrintRows.patch` does not even make the page's rows: each kept row's concept id and
length are kept too, so the rows of the changed concepts are cut out of the old page,
theirs made again and put where they sort among the others (whose order cannot have
changed), and every other run of rows is one slice of the old page's bytes (10,000
rows: the page is not split into rows, 12 ms a page before).
"""

from __future__ import annotations

import bisect
import json
import marshal
import os
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from itertools import accumulate, pairwise
from pathlib import Path
from typing import Any, TypeVar

from markupsafe import Markup

from glossary import textfile
from glossary.site import columns
from glossary.site.manifest import digest, read_digested, write_digested
from glossary.site.views import PageInfo, PrintRow, PrintView
from glossary.site.writer import SiteWriter

STATE_NAME = "site-print-rows.json"
STATE_VERSION = 5  # 2: row ids; 3: a digest first; 4: lengths; 5: each list one string
ROWS_TEMPLATE = "print_rows.html"
MARK = "<!--glossary-print-row-->\n"
_BODY_START, _BODY_END, _ROW_END = b"<tbody>\n", b"</tbody>", b"</tr>\n"
_SLOT = "<!--glossary-print-rows-->"  # where the rows go (page text is escaped: no "<")
_Piece = TypeVar("_Piece", bytes, bytes | tuple[int, int])  # a row, or a run of the old page


def print_view_rendered(page: PageInfo, view: PrintView, render_rows: Any) -> PrintView:
    """``view`` with the HTML of every row rendered (no reuse)."""
    fresh = render_rows(page, list(view.rows)).split(MARK) if view.rows else [""]
    return view._replace(rows_html=tuple(Markup(text) for text in fresh[:-1]))


class PrintRows:
    """Row keys of the last build's print pages, and this build's."""

    def __init__(self, cache_dir: Path, writer: SiteWriter) -> None:
        self.path = cache_dir / STATE_NAME
        self.writer = writer
        self.old: dict[str, dict[str, Any]] = {}
        #: page -> (global key, row keys, row concept ids, row lengths in bytes)
        self.new: dict[str, tuple[str, list[str], list[str], list[int]]] = {}
        self._keys: dict[int, tuple[PrintRow, str]] = {}  # id(row) -> (row, key)
        self.identities: dict[str, str] = {}  # page -> :meth:`identity`
        body = read_digested(self.path)
        try:
            data = json.loads(body) if body is not None else None
        except ValueError:
            return
        if isinstance(data, dict) and data.get("version") == STATE_VERSION:
            pages = data.get("pages")
            if isinstance(pages, dict):
                for rel, entry in pages.items():
                    found = _unpacked(entry)
                    if found is not None:
                        self.old[rel] = found

    def page(self, page: PageInfo, view: PrintView, global_key: str, render_rows: Any,
             render: Any) -> bytes:
        """The page's bytes: its rows reused where the old page had the row, rendered
        (``render_rows(page, rows) -> str``, the rows template) where not; the rest of
        the page rendered (``render(page, view) -> str``) around a slot where the rows go.
        The rows stay bytes: the old page is never decoded, the new one never encoded
        whole."""
        keys = [self._key(row) for row in view.rows]
        found = self._old_rows(page.out_path, global_key)
        old = dict(zip(self.old[page.out_path]["keys"], found, strict=True)) if found else {}
        missing = [i for i, key in enumerate(keys) if key not in old]
        html: list[bytes] = [old.get(key, b"") for key in keys]
        for i, text in zip(missing, self._render(page, [view.rows[i] for i in missing],
                                                 render_rows), strict=True):
            html[i] = text
        self.new[page.out_path] = (global_key, keys, [row.concept.id for row in view.rows],
                                   [len(text) for text in html])
        return b"".join(self._around(page, view, html, render, global_key, keys))

    def patch(self, page: PageInfo, view: PrintView, changed: set[str],
              rows: dict[str, PrintRow], order: Callable[[str], Any], known: AbstractSet[str],
              global_key: str, render_rows: Any,
              render: Any) -> list[bytes | tuple[int, int]] | None:
        """The page's bytes made from the page the last build wrote, when only the
        concepts in ``changed`` (edited, added or removed) changed since: their rows are
        taken out, and ``rows`` (the rows of those of them the page lists, by concept id)
        rendered and put in their place in the order ``order`` (a concept id's sort key;
        the other rows keep theirs). ``known``: the glossary's concept ids. ``view``:
        the page without its rows (``count`` says how many). Returns the page as pieces
        for :meth:`SiteWriter.splice` (the old page's runs of kept rows as ranges); None
        when the last page cannot be used: the caller makes the page whole."""
        found = self._old_page(page.out_path, global_key, whole=False)
        if found is None:
            return None
        _, start = found
        entry = self.old[page.out_path]
        ids: list[str] = entry["ids"]
        keys: list[str] = entry["keys"]
        lengths: list[int] = entry["lengths"]
        ends = list(accumulate(lengths, initial=start))  # row i is raw[ends[i]:ends[i + 1]]
        listed = set(ids)  # the rows to take out: a few, found at C speed
        dropped = {ids.index(cid) for cid in (listed & changed) | listed.difference(known)}
        kept = list(range(len(ids)))
        for i in sorted(dropped, reverse=True):
            del kept[i]
        fresh = sorted(rows.values(), key=lambda row: order(row.concept.id))
        # each fresh row goes before the first kept row that sorts after it (old index)
        before: dict[int, list[tuple[PrintRow, bytes]]] = {}
        at = 0
        for row, html in zip(fresh, self._render(page, fresh, render_rows), strict=True):
            at = bisect.bisect_left(kept, order(row.concept.id), lo=at,
                                    key=lambda i: order(ids[i]))
            before.setdefault(kept[at] if at < len(kept) else len(ids), []).append((row, html))
        parts: list[bytes | tuple[int, int]] = []
        new_ids: list[str] = []
        new_keys: list[str] = []
        new_lengths: list[int] = []
        done = 0  # the old rows before this one are placed
        for point in sorted(dropped | before.keys() | {len(ids)}):  # then the last run
            if point > done:  # a run of kept rows: one slice of the old page
                parts.append((ends[done], ends[point]))
                new_ids += ids[done:point]
                new_keys += keys[done:point]
                new_lengths += lengths[done:point]
            for row, html in before.get(point, ()):
                parts.append(html)
                new_ids.append(row.concept.id)
                new_keys.append(self._key(row))
                new_lengths.append(len(html))
            done = point + 1 if point in dropped else point
        self.new[page.out_path] = (global_key, new_keys, new_ids, new_lengths)
        return self._around(page, view._replace(listed=len(new_ids)), parts, render,
                            global_key, new_keys)

    def _render(self, page: PageInfo, rows: list[PrintRow], render_rows: Any) -> list[bytes]:
        if not rows:
            return []
        fresh = render_rows(page, rows).split(MARK)
        if len(fresh) != len(rows) + 1:
            raise ValueError(f"{ROWS_TEMPLATE} gave {len(fresh) - 1} rows for {len(rows)}")
        return [text.encode("utf-8") for text in fresh[:-1]]

    def _around(self, page: PageInfo, view: PrintView,
                html: list[_Piece], render: Any, global_key: str,
                keys: list[str]) -> list[bytes | _Piece]:
        """The page's pieces: its rows ``html`` in the rest of it. Also notes its
        identity (:meth:`identity`)."""
        if not html:  # no rows: the page says so, and has no table
            self.identities.pop(page.out_path, None)
            return [str(render(page, view._replace(rows=(), listed=0))).encode("utf-8")]
        around = render(page, view._replace(rows=(), rows_html=(Markup(_SLOT),)))
        head, found, tail = around.partition(_SLOT)
        if not found or _SLOT in tail:
            raise ValueError(f"print.html shows its rows {around.count(_SLOT)} times, not once")
        self.identities[page.out_path] = "rows:" + digest(
            "\0".join((global_key, around, *keys)).encode("utf-8", "surrogatepass"))
        return [head.encode("utf-8"), *html, tail.encode("utf-8")]

    def identity(self, rel: str) -> str:
        """What the page this build made at ``rel`` is, for the site's manifest, instead
        of a digest of its bytes (~8 MB at 10,000 concepts, 8 ms each to digest): a
        digest of the rest of the page, the global key and its rows' keys, which decide
        its bytes. "" when it was not made here (the writer digests the bytes). A page
        whose file changed since is then never vouched for by its bytes'
        digest (:meth:`_old_page` reads it whole again)."""
        return self.identities.get(rel, "")

    def _key(self, row: PrintRow) -> str:
        """A digest of everything a row shows (the same row object on the English and
        the Khmer page: computed once; found by identity, not by hashing the row)."""
        found = self._keys.get(id(row))
        if found is not None and found[0] is row:
            return found[1]
        link = row.concept
        key = digest(marshal.dumps((
            link.id, link.path, link.en, link.km, link.en_review, link.km_review,
            row.en, row.en_review, row.km, row.km_review, row.en_definition,
            row.km_definition, row.approved_by,
            row.approved_on.toordinal() if row.approved_on else None), 2))
        self._keys[id(row)] = (row, key)
        return key

    def _old_rows(self, rel: str, global_key: str) -> list[bytes] | None:
        """The HTML of each row of the page the last build wrote at ``rel``, in order
        (None when there is none, or it cannot be used: :meth:`_old_page`)."""
        found = self._old_page(rel, global_key)
        if found is None:
            return None
        raw, start = found
        ends = list(accumulate(self.old[rel]["lengths"], initial=start))
        return [raw[a:b] for a, b in pairwise(ends)]

    def _old_page(self, rel: str, global_key: str, *,
                  whole: bool = True) -> tuple[bytes, int] | None:
        """The page the last build wrote at ``rel`` (only its first 64 KiB unless
        ``whole``, or its digest must be read) and where its first row starts; None
        when there is none, or the templates or catalogs changed since (``global_key``),
        or the page is not the one the kept keys and lengths were made for."""
        entry = self.old.get(rel)
        if entry is None or entry.get("global") != global_key:
            return None
        try:
            with open(self.writer.root / rel, "rb") as handle:
                # not the page these keys were made for: its digest is read only when its
                # signature (size, modification and change times, inode) is not the one kept
                same = textfile.file_signature(handle.fileno()) == entry.get("stat")
                raw = handle.read(1 << 16) if same and not whole else handle.read()
                if not same and digest(raw) != entry["digest"]:
                    return None
                if not entry["keys"]:  # a page without rows (no table at all)
                    return raw, 0
                start = raw.find(_BODY_START)
                if start < 0 and len(raw) == 1 << 16:  # a long head: read it all
                    raw += handle.read()
                    start = raw.find(_BODY_START)
                if start < 0:
                    return None
                start += len(_BODY_START)
                # where the rows end, if they are those kept: "</tr>\n</tbody>" there
                end = start + sum(entry["lengths"]) - len(_ROW_END)
                if os.pread(handle.fileno(), len(_ROW_END) + len(_BODY_END),
                            end) != _ROW_END + _BODY_END:
                    return None
        except OSError:
            return None
        return raw, start

    def save(self) -> None:
        """Keep the row keys of the print pages this build wrote (with the digest of
        the bytes written) and of those it left as they were."""
        pages: dict[str, dict[str, Any]] = {}
        for rel in self.writer.paths:
            if rel in self.new:
                written = self.writer.digest_of(rel)
                if written:
                    global_key, keys, ids, lengths = self.new[rel]
                    pages[rel] = _packed({"digest": written, "global": global_key,
                                          "keys": keys, "ids": ids, "lengths": lengths,
                                          "stat": textfile.file_signature(self.writer.root / rel)})
            elif rel in self.old:
                pages[rel] = _packed(self.old[rel])
        text = json.dumps({"version": STATE_VERSION, "pages": pages}, sort_keys=True,
                          separators=(",", ":"))
        write_digested(self.path, text.encode("utf-8"))  # losing it costs a recomputation


#: The lists of a page's entry, kept as columns (:mod:`glossary.site.columns`).
_LISTS = ("keys", "ids", "lengths")


def _packed(entry: dict[str, Any]) -> dict[str, Any]:
    return {**entry, **columns.pack({name: entry[name] for name in _LISTS})}


def _unpacked(entry: object) -> dict[str, Any] | None:
    """A page's entry as :class:`PrintRows` uses it, or None when it is not sound."""
    found = columns.unpack(entry, _LISTS)
    if found is None or not isinstance(entry, dict) or not isinstance(entry.get("digest"),
                                                                        str):
        return None
    keys, ids, lengths = found
    try:
        sizes = list(map(int, lengths))
    except ValueError:
        return None
    if sizes and min(sizes) <= 0:
        return None
    return {**entry, "keys": keys, "ids": ids, "lengths": sizes}
