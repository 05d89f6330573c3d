"""The Downloads page: the files ``glossary build`` wrote into build/, copied into the
site (``downloads/``) with their size and what each is for.

``build`` renders the site after every other target, so the copies are those of the
same build; ``build --only site`` copies what the last build left in build/. The
page's date is the glossary's (its newest review date), never the clock, so a
rebuild of the same glossary gives the same bytes.
"""

from __future__ import annotations

from pathlib import Path

from glossary.site.labels import N_
from glossary.site.views import Download

#: (file in build/, name under downloads/, format, what it is for)
FILES: tuple[tuple[str, str, str, str], ...] = (
    ("glossary.csv", "glossary.csv", "CSV",
     N_("Every term, one row each, for spreadsheets and scripts (UTF-8).")),
    ("glossary.xlsx", "glossary.xlsx", "XLSX",
     N_("The same table as the CSV, as an Excel workbook.")),
    ("glossary.tbx", "glossary.tbx", "TBX",
     N_("TBX-Basic (ISO 30042) for translation tools: Trados, memoQ, OmegaT, Phrase.")),
    ("glossary.json", "glossary.json", "JSON",
     N_("The whole glossary as data: concepts, terms, definitions, sources, reviews.")),
    ("glossary.pot", "glossary.pot", "POT",
     N_("Gettext template: the English terms, for a new translation.")),
    ("km/glossary.po", "glossary.km.po", "PO",
     N_("Gettext catalog of the Khmer terms, for review in Poedit, Weblate or Lokalize.")),
    ("glossary.km.mo", "glossary.km.mo", "MO",
     N_("The approved Khmer terms compiled for programs that use gettext.")),
    ("glossary-v2.tbx", "glossary-v2.tbx", "TBX v2",
     N_("TBX-Basic 2008 (TBX v2) for tools that read only the older TBX: "
        "translate-toolkit, Weblate, OmegaT.")),
    ("glossary.omegat.txt", "glossary.omegat.txt", "OmegaT",
     N_("An OmegaT glossary: one line per term pair, separated by tabs.")),
    ("glossary-compendium.km.po", "glossary-compendium.km.po", "PO compendium",
     N_("Keyed by the English term, for msgmerge --compendium in other projects.")),
    ("approved/glossary.tbx", "approved-glossary.tbx", "TBX",
     N_("Approved Khmer terms only: TBX-Basic for translation tools.")),
    ("approved/glossary-v2.tbx", "approved-glossary-v2.tbx", "TBX v2",
     N_("Approved Khmer terms only: TBX v2 for translation tools.")),
    ("approved/glossary.csv", "approved-glossary.csv", "CSV",
     N_("Approved Khmer terms only: one row per term.")),
    ("approved/glossary.json", "approved-glossary.json", "JSON",
     N_("Approved Khmer terms only, as data.")),
    ("approved/glossary.omegat.txt", "approved-glossary.omegat.txt", "OmegaT",
     N_("Approved Khmer terms only: an OmegaT glossary.")),
    ("approved/glossary-compendium.km.po", "approved-glossary-compendium.km.po",
     "PO compendium", N_("Approved Khmer terms only: a gettext compendium.")),
)


#: A file the build's approved target always writes: when it is there and an approved
#: TBX is not, the TBX was left out for want of an approved term.
APPROVED_WITNESS = "approved/glossary.csv"


def collect(build_dir: Path) -> tuple[list[tuple[Download, Path, str]], list[str], list[str]]:
    """The files to publish (with their path in build/ and a signature of it: size,
    modification time, inode), the formats not built yet, and the approved-only formats
    the build left out because no Khmer term is approved (a TBX file needs an entry:
    the other approved-only files are there). Nothing is read: the site copies a file
    only when its signature changed since the last build."""
    found: list[tuple[Download, Path, str]] = []
    missing: list[str] = []
    left_out: list[str] = []
    approved_built = (build_dir / APPROVED_WITNESS).is_file()
    for source, name, fmt, purpose in FILES:
        path = build_dir / source
        try:
            stat = path.stat() if path.is_file() else None
        except OSError:
            stat = None
        if stat is None:
            if approved_built and source.startswith("approved/"):
                left_out.append(fmt)
            elif fmt not in missing:  # the approved-only files share their formats
                missing.append(fmt)
            continue
        signature = f"{source}|{stat.st_size}|{stat.st_mtime_ns}|{stat.st_ino}"
        found.append((Download(name, f"downloads/{name}", fmt, purpose, stat.st_size), path,
                      signature))
    return found, missing, left_out
