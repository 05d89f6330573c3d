"""The SQLite database (``build/glossary.db``): the only package with SQL.

:mod:`~glossary.store.write` creates the schema and loads the glossary;
:mod:`~glossary.store.read` opens it and answers searches. Re-exported here:
``store.write_database``, ``store.open_database``, ``store.search``.
"""

from glossary.store.read import SearchHit, naive_search, open_database, search
from glossary.store.write import SCHEMA_VERSION, write_database

__all__ = ["SCHEMA_VERSION", "SearchHit", "naive_search", "open_database", "search",
           "write_database"]
