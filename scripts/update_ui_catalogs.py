"""Update the site's interface catalogs after changing a template (dev-time helper).

    python scripts/update_ui_catalogs.py

1. extracts every interface string from glossary/site (templates and labels.py, mapping
   in locale/babel.cfg) into locale/ui.pot;
2. merges it into locale/km/LC_MESSAGES/ui.po (new strings arrive untranslated, removed
   ones become obsolete);
3. copies both into glossary/locale/, the copy a plain `pip install` ships.

The same as these commands:

    pybabel extract -F locale/babel.cfg -o locale/ui.pot --project=glossary \
        --version=0.1 --no-wrap --no-location --sort-output .
    pybabel update -i locale/ui.pot -d locale -D ui -l km --no-wrap --ignore-obsolete
    cp locale/ui.pot glossary/locale/ui.pot
    cp locale/km/LC_MESSAGES/ui.po glossary/locale/km/LC_MESSAGES/ui.po

Then translate the new msgids in locale/km/LC_MESSAGES/ui.po, run the script again
(it copies), and `python -m pytest tests/test_site_catalog.py` checks every msgid is
translated.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from babel.messages.frontend import CommandLineInterface

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    os.chdir(ROOT)  # the patterns in babel.cfg are relative to the project root
    pot = ROOT / "locale" / "ui.pot"
    po = ROOT / "locale" / "km" / "LC_MESSAGES" / "ui.po"
    cli = CommandLineInterface()
    cli.run(["pybabel", "-q", "extract", "-F", str(ROOT / "locale" / "babel.cfg"),
             "-o", str(pot), "--project=glossary", "--version=0.1", "--no-wrap",
             "--no-location", "--sort-output", "--copyright-holder=the glossary project", "."])
    cli.run(["pybabel", "-q", "update", "-i", str(pot), "-d", str(ROOT / "locale"), "-D", "ui",
             "-l", "km", "--no-wrap", "--ignore-obsolete"])
    for source in (pot, po):
        target = ROOT / "glossary" / source.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        print(f"wrote {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
