"""Dev-time only: make the site's Khmer web font from the `fontpkg-noto-sans-khmer` package.

    pip install fontpkg-noto-sans-khmer fonttools brotli
    python scripts/build_font.py

Writes glossary/site/static/fonts/NotoSansKhmer.woff2 (the variable font pinned to normal
width, weights 400-700 kept) and OFL.txt (its licence). Both files are committed, so
neither a build nor `pip install` needs these packages.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import fontpkg_noto_sans_khmer
from fontTools.ttLib import TTFont
from fontTools.varLib import instancer

OUT = Path(__file__).resolve().parent.parent / "glossary" / "site" / "static" / "fonts"


def main() -> None:
    pkg = Path(fontpkg_noto_sans_khmer.__file__).parent
    ttf = next((pkg / "files").glob("NotoSansKhmer*.ttf"))
    font = TTFont(ttf)
    if "fvar" in font:
        axes = {a.axisTag for a in font["fvar"].axes}
        limits: dict[str, object] = {}
        if "wdth" in axes:
            limits["wdth"] = 100
        if "wght" in axes:
            limits["wght"] = (400, 700)
        font = instancer.instantiateVariableFont(font, limits)
    font.flavor = "woff2"
    OUT.mkdir(parents=True, exist_ok=True)
    font.save(OUT / "NotoSansKhmer.woff2")
    shutil.copy(pkg / "LICENSE", OUT / "OFL.txt")
    woff2 = OUT / "NotoSansKhmer.woff2"
    print(f"wrote {woff2} ({woff2.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
