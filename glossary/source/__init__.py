"""``terms/``, the source of truth: the only package that knows its TOML layout.

* :mod:`~glossary.source.read` reads the files into a :class:`~glossary.model.Glossary`
  (tomli, Khmer normalized on the way in);
* :mod:`~glossary.source.values` gives typed, checked access to the parsed TOML;
* :mod:`~glossary.source.lines` finds the line of a key, for ``path:line`` messages;
* :mod:`~glossary.source.cache` remembers parsed and checked files between commands;
* :mod:`~glossary.source.edit` edits a file in place, keeping comments and layout;
* :mod:`~glossary.source.new` writes a whole concept file in the canonical layout.

The reading API is re-exported here: ``source.load_glossary(terms_dir)``.
"""

from glossary.source.read import (
    DOMAINS_FILE,
    SOURCES_FILE,
    UNREADABLE_CODES,
    LoadedFile,
    LoadResult,
    assemble,
    concept_from_data,
    concept_paths,
    is_concept_name,
    load_concept_file,
    load_glossary,
    load_registry,
    parse_toml,
    read_text,
)

__all__ = [
    "DOMAINS_FILE", "SOURCES_FILE", "UNREADABLE_CODES", "LoadResult", "LoadedFile",
    "assemble", "concept_from_data", "concept_paths", "is_concept_name", "load_concept_file",
    "load_glossary", "load_registry", "parse_toml", "read_text",
]
