"""The search index of the site, shipped as a JavaScript file.

A page opened from disk (``file://``) may not fetch a JSON file, but it may load a
``<script src>``; so the index is a ``.js`` file that assigns one global,
``window.GLOSSARY_INDEX``. Matching keys are computed here, in Python, with the same
functions the rest of the tool uses (:func:`glossary.khmer.search_key`); the browser only
computes the key of the query (``static/js/khmer-key.js`` follows the same rules), so
a query typed with a ZWSP or in another typing order still matches.

English keys are also plural-insensitive: every word goes through :func:`stem`, a tiny
plural folding that ``khmer-key.js`` implements identically.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from glossary import khmer
from glossary.model import Concept

INDEX_VERSION = 1


def stem(word: str) -> str:
    """Fold an English plural to its singular, conservatively (``policies`` → ``policy``).

    Kept deliberately small so that the JavaScript port is obviously the same function.
    Search matches substrings, so a folded form only has to be a prefix of the singular
    (``analyses`` → ``analys``, found in ``analysis``).
    """
    n = len(word)
    if n > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if n > 4 and word.endswith(("ses", "xes", "ches", "shes")):
        return word[:-2]
    if n > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "as")):
        return word[:-1]
    return word


def english_key(text: str) -> str:
    """The matching key of English text: the search key, each word plural-folded."""
    return " ".join(stem(word) for word in khmer.search_key(text).split(" ") if word)


def term_key(text: str, lang: str) -> str:
    return english_key(text) if lang == "en" else khmer.search_key(text)


def index_rows(concepts: Iterable[Concept]) -> list[list[object]]:
    """One row per concept: ``[id, en, km, [[lang, text, key], ...]]``.

    ``en``/``km`` are the preferred terms ("" when missing). A term's text is left out
    (``""``) when it equals its key, to keep the file small.
    """
    rows: list[list[object]] = []
    for concept in concepts:
        terms: list[list[str]] = []
        for lang in ("en", "km"):
            for term in concept.lang(lang).terms:
                key = term_key(term.text, lang)
                terms.append([lang, "" if key == term.text else term.text, key])
        en = concept.en.preferred
        km = concept.km.preferred
        rows.append([concept.id, en.text if en else "", km.text if km else "", terms])
    return rows


def index_script(rows: list[list[object]]) -> str:
    """The JavaScript file: ``window.GLOSSARY_INDEX = {...};`` (JSON, safely escaped)."""
    data = json.dumps({"version": INDEX_VERSION, "concepts": rows}, ensure_ascii=False,
                      separators=(",", ":"))
    # JSON is valid JavaScript once these are escaped; "<" and "&" keep any HTML-aware
    # tool from seeing markup in the file.
    data = (data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
    return f"window.GLOSSARY_INDEX = {data};\n"
