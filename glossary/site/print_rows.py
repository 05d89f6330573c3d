"""The rows of the printable glossary (``print.html``, ``approved.html``), reused.

Those pages list every concept, so any edit changes them; rendering their 2 × 10,000
rows was most of a one-edit site build. Each row's HTML depends only on the row (the
concept's terms, definitions and review), the page it is on (language, depth) and what
every page depends on (templates, catalogs: the site's global key), so a row gets a key
(a digest of what it shows), and its HTML is taken from the page the last build wrote
at the same path, from the same global key, when that page had a row with the same key.
The keys of each page's rows, in order, the global key and the digest of the page they
were written in are kept in ``build/.cache/site-print-rows.json``; the old page is only
trusted when its bytes have that digest (anything else: every row is rendered). The
rows are cut out of the old page at their ``</tr>`` (a row's text is escaped, so it
holds no ``<``). The page comes out the same bytes either way.
"""

from __future__ import annotations

import json
import marshal
from dataclasses import replace
from pathlib import Path
from typing import Any

from markupsafe import Markup

from glossary import textfile
from glossary.site.views import PageInfo, PrintRow, PrintView
from glossary.site.writer import SiteWriter, digest

STATE_NAME = "site-print-rows.json"
STATE_VERSION = 1
ROWS_TEMPLATE = "print_rows.html"
MARK = "<!--glossary-print-row-->\n"
_BODY_START, _BODY_END, _ROW_END = b"<tbody>\n", b"</tbody>", b"</tr>\n"
_SLOT = "<!--glossary-print-rows-->"  # where the rows go (page text is escaped: no "<")


def print_view_rendered(page: PageInfo, view: PrintView, render_rows: Any) -> PrintView:
    """``view`` with the HTML of every row rendered (no reuse)."""
    fresh = render_rows(page, list(view.rows)).split(MARK) if view.rows else [""]
    return replace(view, rows_html=tuple(Markup(text) for text in fresh[:-1]))


class PrintRows:
    """Row keys of the last build's print pages, and this build's."""

    def __init__(self, cache_dir: Path, writer: SiteWriter) -> None:
        self.path = cache_dir / STATE_NAME
        self.writer = writer
        self.old: dict[str, dict[str, Any]] = {}
        self.new: dict[str, tuple[str, list[str]]] = {}  # page -> (global key, row keys)
        self._keys: dict[int, tuple[PrintRow, str]] = {}  # id(row) -> (row, key)
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(data, dict) and data.get("version") == STATE_VERSION:
            pages = data.get("pages")
            if isinstance(pages, dict):
                self.old = {rel: entry for rel, entry in pages.items()
                            if isinstance(entry, dict) and isinstance(entry.get("digest"), str)
                            and isinstance(entry.get("keys"), list)
                            and all(isinstance(k, str) for k in entry["keys"])}

    def page(self, page: PageInfo, view: PrintView, global_key: str, render_rows: Any,
             render: Any) -> bytes:
        """The page's bytes: its rows reused where the old page had the row, rendered
        (``render_rows(page, rows) -> str``, the rows template) where not; the rest of
        the page rendered (``render(page, view) -> str``) around a slot where the rows go.
        The rows stay bytes: the old page is never decoded, the new one never encoded
        whole."""
        keys = [self._key(row) for row in view.rows]
        old = self._old_rows(page.out_path, global_key)
        missing = [i for i, key in enumerate(keys) if key not in old]
        html: list[bytes] = [old.get(key, b"") for key in keys]
        if missing:
            fresh = render_rows(page, [view.rows[i] for i in missing]).split(MARK)
            if len(fresh) != len(missing) + 1:
                raise ValueError(f"{ROWS_TEMPLATE} gave {len(fresh) - 1} rows for "
                                 f"{len(missing)}")
            for i, text in zip(missing, fresh, strict=False):
                html[i] = text.encode("utf-8")
        self.new[page.out_path] = (global_key, keys)
        around = render(page, replace(view, rows_html=(Markup(_SLOT),)))
        head, found, tail = around.partition(_SLOT)
        if not found or _SLOT in tail:
            raise ValueError(f"print.html shows its rows {around.count(_SLOT)} times, not once")
        return b"".join([head.encode("utf-8"), *html, tail.encode("utf-8")])

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

    def _old_rows(self, rel: str, global_key: str) -> dict[str, bytes]:
        """Key → HTML of the rows of the page the last build wrote at ``rel`` (none
        when the templates or catalogs changed since: ``global_key``)."""
        entry = self.old.get(rel)
        if entry is None or not entry["keys"] or entry.get("global") != global_key:
            return {}
        keys: list[str] = entry["keys"]
        try:
            with open(self.writer.root / rel, "rb") as handle:
                raw = handle.read()
        except OSError:
            return {}
        if digest(raw) != entry["digest"]:  # not the page these keys were made for
            return {}
        start = raw.find(_BODY_START)
        end = raw.find(_BODY_END, start)
        if start < 0 or end < 0:
            return {}
        rows = raw[start + len(_BODY_START):end].split(_ROW_END)
        if len(rows) != len(keys) + 1 or rows[-1]:
            return {}
        return {key: row + _ROW_END for key, row in zip(keys, rows, strict=False)}

    def save(self) -> None:
        """Keep the row keys of the print pages this build wrote (with the digest of
        the bytes written) and of those it left as they were."""
        pages: dict[str, dict[str, Any]] = {}
        for rel in self.writer.paths:
            if rel in self.new:
                written = self.writer.digest_of(rel)
                if written:
                    global_key, keys = self.new[rel]
                    pages[rel] = {"digest": written, "global": global_key, "keys": keys}
            elif rel in self.old:
                pages[rel] = self.old[rel]
        text = json.dumps({"version": STATE_VERSION, "pages": pages}, sort_keys=True,
                          separators=(",", ":"))
        textfile.write_build_data(self.path, text)  # losing it costs a recomputation
