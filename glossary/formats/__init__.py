"""Interchange formats, one module each, with symmetric read()/write() where both exist."""

FORMATS: dict[str, str] = {
    "json": "glossary.formats.jsonfmt",
    "po": "glossary.formats.po",
    "mo": "glossary.formats.mo",
}
