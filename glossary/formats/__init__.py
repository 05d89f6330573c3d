"""Interchange formats, one module each, with symmetric read()/write() where both exist."""

FORMATS: dict[str, str] = {
    "json": "glossary.formats.jsonfmt",
}
