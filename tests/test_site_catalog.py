"""The interface catalogs: ui.pot is current, ui.po translates every msgid, copies agree."""

from __future__ import annotations

import glob
import re
import tomllib
from datetime import date
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from glossary import khmer
from glossary.site.i18n import PACKAGE_LOCALE, load_language

ROOT = Path(__file__).resolve().parent.parent
POT = ROOT / "locale/ui.pot"
PO = ROOT / "locale/km/LC_MESSAGES/ui.po"
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def read(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


def test_every_msgid_is_translated_in_khmer():
    po = read(PO)
    assert po.locale.language == "km"
    assert po.plural_forms == "nplurals=1; plural=0;"
    msgids = [m.id for m in read(POT) if m.id]
    assert len(msgids) > 50
    for msgid in msgids:
        message = po.get(msgid)
        assert message is not None and message.string, f"untranslated: {msgid!r}"
        assert not message.fuzzy, f"fuzzy: {msgid!r}"
        text = message.string
        assert khmer.has_khmer(text), msgid
        assert khmer.normalize(text) == text, f"not normalized Khmer: {text!r}"
        assert "\u200b" not in text
        assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(msgid)), msgid


def test_ui_pot_is_up_to_date_with_the_templates():
    method_map = [("glossary/site/**.py", "python"),
                  ("glossary/site/templates/**.html", "jinja2")]
    found = {message for _file, _line, message, _comments, _ctx in
             extract_from_dir(str(ROOT), method_map)}
    found = {m if isinstance(m, str) else m[0] for m in found}
    in_pot = {m.id for m in read(POT) if m.id}
    assert found == in_pot, "run python scripts/update_ui_catalogs.py"


def test_packaged_copies_match_locale():
    assert (PACKAGE_LOCALE / "ui.pot").read_bytes() == POT.read_bytes()
    assert (PACKAGE_LOCALE / "km/LC_MESSAGES/ui.po").read_bytes() == PO.read_bytes()


def test_compiled_catalog_translates():
    km = load_language("km", None)
    assert km.gettext("Search") == "ស្វែងរក"
    assert km.format_date(date(2025, 4, 14)) == "១៤ មេសា ២០២៥"  # Khmer digits on Khmer pages
    assert load_language("en", None).format_date(date(2025, 4, 14)) == "April 14, 2025"


def test_the_compiled_catalog_is_kept_and_follows_the_po(tmp_path, monkeypatch):
    """The compiled catalog is kept in the cache folder under the PO's digest: used
    again while the PO is the same (babel is not called), compiled again when the PO
    changes or the kept file is damaged, never an error."""
    from glossary.site import i18n

    locale = tmp_path / "locale"
    po = locale / "km" / "LC_MESSAGES" / "ui.po"
    po.parent.mkdir(parents=True)
    po.write_bytes(PO.read_bytes())
    cache = tmp_path / "cache"
    compiled: list[Path] = []
    real = i18n._babel_compile

    def counting(path, raw):  # type: ignore[no-untyped-def]
        compiled.append(path)
        return real(path, raw)

    monkeypatch.setattr(i18n, "_babel_compile", counting)

    def load():  # type: ignore[no-untyped-def]
        i18n._compile.cache_clear()  # a new process
        return load_language("km", locale, cache)

    assert load().gettext("Search") == "ស្វែងរក"
    assert load().gettext("Search") == "ស្វែងរក"
    assert len(compiled) == 1
    kept = cache / "site-ui-km.mo"
    assert kept.is_file()
    po.write_text(po.read_text(encoding="utf-8").replace(
        'msgstr "ស្វែងរក"', 'msgstr "រកមើល"', 1), encoding="utf-8")
    assert load().gettext("Search") == "រកមើល"
    assert len(compiled) == 2
    kept.write_bytes(kept.read_bytes()[:60])  # cut short, its head intact
    assert load().gettext("Search") == "រកមើល"
    assert len(compiled) == 3
    blocked = tmp_path / "a-file"  # a cache folder that cannot be made: no error
    blocked.write_text("", encoding="utf-8")
    i18n._compile.cache_clear()
    assert load_language("km", locale, blocked).gettext("Search") == "រកមើល"


def test_dates_and_numbers_are_kept_for_the_babel_that_formatted_them(tmp_path, monkeypatch):
    """A date or number babel formatted once is kept in the cache folder: a later build
    (a new process) shows the same text without asking babel; values kept for another
    babel, or a damaged file, are dropped, never an error."""
    import json

    from glossary.site import i18n

    asked: list[object] = []
    real_date, real_number = i18n._format_date, i18n._format_number

    def counting_date(value, lang):  # type: ignore[no-untyped-def]
        asked.append(value)
        return real_date(value, lang)

    def counting_number(value, lang):  # type: ignore[no-untyped-def]
        asked.append(value)
        return real_number(value, lang)

    monkeypatch.setattr(i18n, "_format_date", counting_date)
    monkeypatch.setattr(i18n, "_format_number", counting_number)

    def build(cache: Path | None = tmp_path) -> tuple[str, str, str]:  # one process
        formats = i18n.KeptFormats(cache)
        km, en = load_language("km", None, None, formats), load_language("en", None, None, formats)
        shown = (km.format_date(date(2025, 4, 14)), km.format_number(14870),
                 en.format_number(14870))
        formats.save()
        return shown

    expected = ("១៤ មេសា ២០២៥", "១៤,៨៧០", "14,870")
    assert build() == expected
    assert len(asked) == 3
    kept = tmp_path / i18n.FORMATS_NAME
    data = json.loads(kept.read_text(encoding="utf-8"))
    assert data["values"]["km 14870"] == "១៤,៨៧០"
    assert build() == expected
    assert len(asked) == 3  # every value kept: babel not asked
    data["values"]["en 14870"] = "kept"
    kept.write_text(json.dumps(data), encoding="utf-8")
    assert build()[2] == "kept"  # what is kept is what is shown
    data["babel"] = "another babel"
    kept.write_text(json.dumps(data), encoding="utf-8")
    assert build() == expected
    assert len(asked) == 6
    for damaged in ("{", "[]", '{"babel": null, "values": {"en 1": 1}}'):
        kept.write_text(damaged, encoding="utf-8")
        assert build() == expected
    assert build(None) == expected  # nowhere to keep them: formatted, nothing written


def test_package_data_covers_templates_static_and_catalogs():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = data["tool"]["setuptools"]["package-data"]["glossary"]
    package = ROOT / "glossary"
    needed = [p for sub in ("site/templates", "site/static", "locale")
              for p in (package / sub).rglob("*") if p.is_file()]
    assert any(p.suffix == ".woff2" for p in needed)
    matched = {m for pattern in patterns
               for m in glob.glob(pattern, root_dir=package, recursive=True)}  # as setuptools
    for path in needed:
        assert path.relative_to(package).as_posix() in matched, path
