"""The header of the gettext catalogs (PO, POT and MO): what it says and its date.

Shared by :mod:`glossary.formats.po` and :mod:`glossary.formats.mo` (as
``sheet_layout`` is by CSV and XLSX). The date is deterministic: ``SOURCE_DATE_EPOCH``
when it is set, else the newest review date in the glossary (else 1970-01-01); only the
catalogs exported for other projects (``export po --approved-only``, ``--compendium``,
``export mo``) carry the date of the export.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, date, datetime

from glossary.errors import ConfigError
from glossary.model import Glossary

LANGUAGE = "km"


@dataclass(frozen=True)
class Header:
    """What goes in the header entry (``msgid ""``) of an exported catalog."""

    revision: str
    creation_date: str | None = None  # "2026-01-31 12:00+0000", from SOURCE_DATE_EPOCH
    # For a catalog other projects take (approved-only, compendium): what it holds, in
    # the header comment, instead of the translators' "send it back" instructions.
    purpose: str | None = None

    def fields(self, *, template: bool) -> list[tuple[str, str]]:
        date = self.creation_date
        items = [
            ("Project-Id-Version", f"glossary {self.revision}"),
            ("Report-Msgid-Bugs-To", ""),
        ]
        if date:
            items.append(("POT-Creation-Date", date))
            items.append(("PO-Revision-Date", date))
        else:
            items.append(("PO-Revision-Date", "YEAR-MO-DA HO:MI+ZONE" if template else
                          "2000-01-01 00:00+0000"))
        items += [
            ("Last-Translator", "" if template else "glossary export"),
            ("Language-Team", "Khmer"),
            ("Language", "" if template else LANGUAGE),
            ("MIME-Version", "1.0"),
            ("Content-Type", "text/plain; charset=UTF-8"),
            ("Content-Transfer-Encoding", "8bit"),
            ("Plural-Forms", "nplurals=1; plural=0;"),
            ("X-Glossary-Revision", self.revision),
            ("X-Generator", "glossary"),
        ]
        return items

    def mo_text(self) -> str:
        """The header an MO file stores: GNU msgfmt drops POT-Creation-Date, and so do we."""
        return "".join(f"{key}: {value}\n" for key, value in self.fields(template=False)
                       if key != "POT-Creation-Date")


def header_date(glossary: Glossary, *, today: bool = False) -> str:
    """``SOURCE_DATE_EPOCH`` when set; else, with ``today``, the current date and time
    (UTC: the catalogs other projects take carry the real date of the export); else the
    newest review date in the glossary (the build's deterministic outputs)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            moment = datetime.fromtimestamp(int(epoch), tz=UTC)
        except (ValueError, OverflowError, OSError):
            raise ConfigError(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds",
                              hint="unset it, or set it to e.g. $(git log -1 --format=%ct)"
                              ) from None
        return moment.strftime("%Y-%m-%d %H:%M+0000")
    if today:
        return datetime.now(tz=UTC).strftime("%Y-%m-%d %H:%M+0000")
    newest = glossary.newest_review
    return f"{(newest or date(1970, 1, 1)).isoformat()} 00:00+0000"


def make_header(glossary: Glossary, revision: str, *, today: bool = False) -> Header:
    """The header of the translators' catalogs (and, with ``today``, of an MO file)."""
    return Header(revision, header_date(glossary, today=today))


def project_header(glossary: Glossary, revision: str, level: str | None, compendium: bool,
                   *, today: bool = False) -> Header:
    """The header of a PO catalog for other projects (see :func:`purpose`)."""
    return Header(revision, header_date(glossary, today=today), purpose(level, compendium))


def purpose(level: str | None, compendium: bool) -> str:
    """The header comment of a catalog for other projects: what it holds and how to use
    it (never "send it back": it is not the translators' catalog)."""
    held = {"approved": "the Khmer terms approved by a named reviewer",
            "proposed": "the Khmer terms proposed or approved (proposals are fuzzy)",
            None: "every Khmer term (terms not approved yet are fuzzy)"}[level]
    if compendium:
        return (f"a compendium of {held},\nkeyed by the English term alone (no msgctxt), "
                "for other projects: msgmerge --compendium\nTHIS_FILE your.po your.pot, "
                "or plain gettext() once compiled with msgfmt.")
    return (f"{held},\nfor other projects (msgctxt = concept id; look terms up with "
            "pgettext).\nRead-only: propose changes through the glossary, not this file.")
