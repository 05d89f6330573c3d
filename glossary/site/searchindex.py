"""The search index of the site, shipped as a JavaScript file.

A page opened from disk (``file://``) may not fetch a JSON file, but it may load a
``<script src>``; so the index is a ``.js`` file that assigns one global,
``window.GLOSSARY_INDEX``. The items and their matching keys come from
:mod:`glossary.search`, the specification the CLI's ``glossary search`` follows too;
the browser computes only the key of the query (``static/js/khmer-key.js``) and ranks
with the port of :func:`glossary.search.find` (``static/js/search.js``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from glossary import search
from glossary.search import INDEX_VERSION, Item


def index_script(items: Iterable[Item]) -> str:
    """The JavaScript file: ``window.GLOSSARY_INDEX = {...};`` (JSON, safely escaped)."""
    data = json.dumps({"version": INDEX_VERSION, "items": search.index_rows(items)},
                      ensure_ascii=False, separators=(",", ":"))
    # JSON is valid JavaScript once these are escaped; "<" and "&" keep any HTML-aware
    # tool from seeing markup in the file.
    data = (data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
    return f"window.GLOSSARY_INDEX = {data};\n"
