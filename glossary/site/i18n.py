"""The site's interface languages: gettext catalogs, dates and numbers (babel).

The interface catalog is ``ui``: ``locale/ui.pot`` is extracted from the templates (see
the README, "Translating the site interface"), ``locale/km/LC_MESSAGES/ui.po`` holds the
Khmer translations. A project's own ``locale/`` wins; otherwise the copy shipped inside
the package (``glossary/locale/``) is used, so a plain ``pip install`` builds a complete
site. The PO file is compiled with babel when the site is built, and the result kept in
``build/.cache/site-ui-LANG.mo`` under a digest of the PO's bytes, so an unchanged
catalog is not parsed again (babel's PO reader took 32 ms of every build).
"""

from __future__ import annotations

import gettext
import hashlib
import importlib.util
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from glossary import textfile
from glossary.errors import FormatError

DOMAIN = "ui"
SITE_LANGUAGES: tuple[str, ...] = ("en", "km")
PACKAGE_LOCALE = Path(__file__).resolve().parent.parent / "locale"

#: Names of the two languages, each written in its own language (for the switch).
LANGUAGE_NAMES = {"en": "English", "km": "ខ្មែរ"}

_KHMER_DIGITS = str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩")


def catalog_path(locale_dir: Path | None, lang: str) -> Path | None:
    """The ``ui.po`` used for ``lang``: the project's, else the package's, else None."""
    for base in (locale_dir, PACKAGE_LOCALE):
        if base is None:
            continue
        candidate = base / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
        if candidate.is_file():
            return candidate
    return None


#: The first line of a kept compiled catalog; the PO's digest follows on the second.
_KEPT_MAGIC = b"glossary-site-ui-mo 1\n"


@lru_cache(maxsize=8)
def _compile(path: Path, mtime_ns: int, size: int, cache_dir: Path | None = None
             ) -> tuple[bytes, str]:
    """Compile a PO file to MO bytes with babel (or take them from ``cache_dir``, kept
    there for the same PO bytes); also return a digest of the PO text."""
    raw = path.read_bytes()
    full = hashlib.sha256(raw).hexdigest()
    kept_path = None if cache_dir is None else cache_dir / f"site-ui-{path.parent.parent.name}.mo"
    head = _KEPT_MAGIC + full.encode("ascii") + b"\n"
    if kept_path is not None:
        try:
            kept = textfile.read_build_file(kept_path)
        except OSError:
            kept = b""
        if kept.startswith(head) and _readable(kept[len(head):]):
            return kept[len(head):], full[:16]
    mo = _babel_compile(path, raw)
    if kept_path is not None:
        textfile.write_build_bytes(kept_path, [head, mo])
    return mo, full[:16]


def _readable(mo: bytes) -> bool:
    """Whether ``mo`` is a whole MO file (a kept one may be damaged: then compile)."""
    try:
        gettext.GNUTranslations(io.BytesIO(mo))
    except Exception:  # noqa: BLE001 - any damage means: compile again
        return False
    return True


def _babel_compile(path: Path, raw: bytes) -> bytes:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    try:
        catalog = read_po(io.BytesIO(raw), abort_invalid=True)
    except Exception as exc:  # babel raises PoFileError and friends
        raise FormatError(f"cannot read the interface catalog: {exc}", path=path,
                          hint="fix the PO syntax, e.g. with msgfmt --check") from exc
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()


@dataclass(frozen=True)
class Language:
    """One interface language: its translations and babel formatting."""

    code: str
    translations: gettext.NullTranslations
    catalog_digest: str  # changes when the catalog changes (part of every page's key)
    formats: KeptFormats  # babel's results, kept between builds (with a cache folder)

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def format_date(self, value: date | None) -> str:
        if value is None:
            return ""
        return self.formats.get(f"{self.code} {value.isoformat()}", _format_date, value,
                                self.code)

    def format_number(self, value: int) -> str:
        return self.formats.get(f"{self.code} {value}", _format_number, value, self.code)

    def long_date(self) -> str:
        """How :meth:`format_date` writes a date, for the browser to write the day a
        page is printed the same way: babel's long date pattern and the twelve month
        names, joined by ``|`` (a browser may not know Khmer dates at all: Chromium
        built with a reduced ICU writes "December 3, 2026" for ``km-KH``)."""
        return self.formats.get(f"{self.code} long-date", _long_date, None, self.code)


def _format_date(value: date, lang: str) -> str:
    from babel.dates import format_date

    text = format_date(value, "long", locale=lang)
    return khmer_digits(text) if lang == "km" else text


def _format_number(value: int, lang: str) -> str:
    from babel.numbers import format_decimal

    text = format_decimal(value, locale=lang)
    return khmer_digits(text) if lang == "km" else text


#: Where :class:`KeptFormats` keeps its values, under build/.cache/.
FORMATS_NAME = "site-formats.json"
#: More values than this and only those of the last build are kept.
_KEPT_LIMIT = 20_000


class KeptFormats:
    """The dates and numbers babel formatted for earlier builds, by language and value.

    babel reads its locale data (about 30 ms) for the first value it formats in a
    process, and a build after a small edit rarely shows a date or a number that no
    build showed before, so the text babel gave is kept in ``site-formats.json`` and
    babel is asked only for a new value. The values belong to the babel that made them:
    they are dropped when babel's ``__init__.py`` (which names its version) changes.
    """

    def __init__(self, cache_dir: Path | None) -> None:
        self.path = None if cache_dir is None else cache_dir / FORMATS_NAME
        self.babel = _babel_digest()
        self.values: dict[str, str] = {}
        self.used: set[str] = set()
        self.added = False
        if self.path is None:
            return
        try:
            data = json.loads(textfile.read_build_file(self.path))
        except (OSError, ValueError):
            return
        if not isinstance(data, dict) or data.get("babel") != self.babel:
            return
        values = data.get("values")
        if (isinstance(values, dict)
                and all(isinstance(text, str) for text in values.values())):
            self.values = values

    def get(self, key: str, make: Callable[[Any, str], str], value: Any, lang: str) -> str:
        """The kept text of ``key``, else ``make(value, lang)`` (then kept)."""
        self.used.add(key)
        text = self.values.get(key)
        if text is None:
            text = self.values[key] = make(value, lang)
            self.added = True
        return text

    def save(self) -> None:
        """Keep the values, when this build formatted a new one."""
        if self.path is None or not self.added:
            return
        values = self.values
        if len(values) > _KEPT_LIMIT:
            values = {key: values[key] for key in self.used}
        textfile.write_build_data(self.path, json.dumps(
            {"babel": self.babel, "values": values}, ensure_ascii=False, sort_keys=True))
        self.added = False


def _babel_digest() -> str:
    """A digest of the installed babel's ``__init__.py`` (read without importing it)."""
    spec = importlib.util.find_spec("babel")
    try:
        return hashlib.sha256(Path(spec.origin).read_bytes()).hexdigest()[:16] \
            if spec is not None and spec.origin else ""
    except OSError:
        return ""


def _long_date(_: object, lang: str) -> str:
    from babel import Locale

    locale = Locale.parse(lang)
    months = locale.months["format"]["wide"]
    return "|".join([locale.date_formats["long"].pattern, *(months[m] for m in range(1, 13))])


def khmer_digits(text: str) -> str:
    """Write ASCII digits as Khmer digits (babel's ``km`` numbers keep ASCII digits)."""
    return text.translate(_KHMER_DIGITS)


def load_language(lang: str, locale_dir: Path | None, cache_dir: Path | None = None,
                  formats: KeptFormats | None = None) -> Language:
    """Load the interface catalog of ``lang`` (English needs none); ``cache_dir``: where
    its compiled form is kept between builds; ``formats``: dates and numbers kept."""
    formats = formats or KeptFormats(None)
    if lang == "en":
        return Language("en", gettext.NullTranslations(), "en", formats)
    path = catalog_path(locale_dir, lang)
    if path is None:
        raise FormatError(f"no interface catalog for {lang!r}",
                          path=(locale_dir or PACKAGE_LOCALE) / lang / "LC_MESSAGES" / "ui.po",
                          hint="reinstall the package, or restore locale/km/LC_MESSAGES/ui.po")
    stat = path.stat()
    mo, po_digest = _compile(path, stat.st_mtime_ns, stat.st_size, cache_dir)
    return Language(lang, gettext.GNUTranslations(io.BytesIO(mo)), po_digest, formats)
