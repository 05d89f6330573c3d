"""The parse cache: concept files read and checked once, remembered between commands.

Every command that loads ``terms/`` goes through :class:`ParseCache` (the way mypy, ruff
and git's index avoid re-reading what did not change). For each concept file it keeps
the file's *signature* — size, ``mtime_ns``, inode and ``ctime_ns`` — with what reading
and the single-file checks made of it: the concept, its problems (lines resolved) and a
digest of its bytes. A file whose signature is unchanged is not opened again.

The whole cache is thrown away (and every file read again) when anything it depends on
may differ: the tool's version or the code that reads and checks files
(:func:`code_fingerprint`), the settings (``fold_coeng_da``), the folder, or the
registry files (documents, sections and domains, which the single-file checks use).
A cache file that is missing, truncated, corrupt, written by another version, not ours,
or unreadable is the same as no cache: never an error, never a stale result. Writes go
to a temporary file that is renamed into place, so two commands running at once each
see a whole cache (the last one to finish wins); a cache that cannot be written (a
read-only build folder) is simply not written.

Safety: the cache is a pickle read with an unpickler that admits only the model's own
classes (the "restricting globals" recipe of the :mod:`pickle` documentation), so a
cache file planted in ``build/`` cannot run code.
"""

from __future__ import annotations

import gc
import hashlib
import io
import os
import pickle
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import glossary
from glossary import textfile

#: Bumped whenever the layout of a cache entry changes.
CACHE_FORMAT = 1
CACHE_NAME = "terms.pickle"
_MAGIC = b"glossary-parse-cache\n"

Signature = tuple[int, int, int, int]
#: A file modified less than this long before it was read is not trusted to the cache.
RACY_NS = 2_000_000_000

#: The modules whose code decides what a file reads as and which problems it has.
_CODE = ("model.py", "khmer.py", "problems.py", "validate.py", "textfile.py",
         "source/read.py", "source/values.py", "source/lines.py", "source/cache.py")

_ALLOWED: dict[str, frozenset[str]] = {
    "glossary.model": frozenset({
        "AdminStatus", "TermType", "ReviewState", "ConceptStatus", "QAContext", "Review",
        "SourceRef", "Term", "Definition", "LangSection", "Concept", "Example",
    }),
    "glossary.problems": frozenset({"Problem", "Level"}),
    "glossary.source.cache": frozenset({"Entry"}),
    "datetime": frozenset({"date"}),
    "pathlib": frozenset({"PosixPath", "WindowsPath", "Path"}),
}


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if name in _ALLOWED.get(module, ()):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the cache")


def signature(stat: os.stat_result) -> Signature:
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino, stat.st_ctime_ns)


def code_fingerprint() -> str:
    """The version and a digest of the code that reads and checks a file: a development
    checkout that changes the reader without a new version still gets a fresh cache."""
    digest = hashlib.sha256(glossary.__version__.encode())
    root = Path(glossary.__file__).parent
    for name in _CODE:
        try:
            digest.update((root / name).read_bytes())
        except OSError:
            digest.update(b"?")
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class Entry:
    """What one concept file was read and checked as."""

    signature: Signature
    concept: Any  # glossary.model.Concept | None
    problems: tuple[Any, ...]  # glossary.problems.Problem, lines resolved
    digest: str  # sha256 of the file's bytes


def cache_key(terms_dir: Path, fold_coeng_da: bool, registry: Iterable[bytes]) -> str:
    digest = hashlib.sha256(code_fingerprint().encode())
    digest.update(f"{CACHE_FORMAT}\0{terms_dir.resolve()}\0{fold_coeng_da}\0".encode())
    for data in registry:
        digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()


class ParseCache:
    """The entries of one ``terms/`` folder, read from and saved to ``cache_dir``."""

    def __init__(self, cache_dir: Path | None, key: str) -> None:
        self.path = None if cache_dir is None else cache_dir / CACHE_NAME
        self.key = key
        self.entries: dict[str, Entry] = {}
        self.changed = False
        self.notice: str | None = None  # why an existing cache was not used
        if self.path is not None:
            self.entries = self._read(self.path)

    def _read(self, path: Path) -> dict[str, Entry]:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return {}
        except OSError as exc:
            self.notice = f"cache not read ({exc.strerror or exc}): reading every file"
            return {}
        if not data.startswith(_MAGIC):
            self.notice = "cache file not recognized: reading every file"
            return {}
        # Unpickling builds tens of thousands of small objects and no reference cycles;
        # the cyclic collector would walk the growing heap again and again meanwhile
        # (10,000 concepts: 0.97 s of CPU with it, 0.38 s without, measured).
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            key, entries = _Unpickler(io.BytesIO(data[len(_MAGIC):])).load()
        except Exception:  # noqa: BLE001 - any damage means: no cache
            self.notice = "cache file damaged: reading every file"
            return {}
        finally:
            if was_enabled:
                gc.enable()
        if key != self.key or not isinstance(entries, dict):
            return {}  # another version, other settings or registry: silently cold
        return entries

    def get(self, name: str, sig: Signature) -> Entry | None:
        entry = self.entries.get(name)
        return entry if entry is not None and entry.signature == sig else None

    def put(self, name: str, entry: Entry, now_ns: int) -> None:
        """Remember ``entry``, unless its file changed so recently that a later edit
        could keep the same signature (a coarse file-system clock: git's "racy" files);
        such a file is simply read again next time."""
        if entry.signature[1] >= now_ns - RACY_NS:
            self.entries.pop(name, None)
        else:
            self.entries[name] = entry
        self.changed = True

    def keep_only(self, names: set[str]) -> None:
        """Forget files that are gone."""
        gone = [name for name in self.entries if name not in names]
        for name in gone:
            del self.entries[name]
        if gone:
            self.changed = True

    def save(self) -> None:
        """Write the cache if it changed; a cache that cannot be written is skipped."""
        if self.path is None or not self.changed:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            data = _MAGIC + pickle.dumps((self.key, self.entries), protocol=5)
            textfile.atomic_write_bytes(self.path, data)
        except OSError:
            return
        self.changed = False
