"""The parse cache: concept files read and checked once, remembered between commands.

Every command that loads ``terms/`` goes through :class:`ParseCache` (the way mypy, ruff
and git's index avoid re-reading what did not change). For each concept file it keeps
the file's *signature* — size, ``mtime_ns``, inode and ``ctime_ns`` — with what reading
and the single-file checks made of it: the concept, its problems (lines resolved), a
digest of its bytes and its newest review date. A file whose signature is unchanged is
not opened again.

The whole cache is thrown away (and every file read again) when anything it depends on
may differ: the tool's version or the code that reads and checks files
(:func:`code_fingerprint`), the settings (``fold_coeng_da``), the folder, or the
registry files (documents, sections and domains, which the single-file checks use).
A cache file that is missing, truncated, corrupt, written by another version, not ours,
or unreadable is the same as no cache: never an error, never a stale result. Writes go
to a temporary file that is renamed into place, so two commands running at once each
see a whole cache (the last one to finish wins); a cache that cannot be written (a
read-only build folder) is simply not written.

Layout, chosen by measurement at 10,000 and 100,000 concepts:

* The entries are split into :data:`SHARDS` files by a stable hash of the file name, so
  that editing one concept rewrites one small shard, not the whole cache (saving every
  entry costs about 0.1 ms per concept; at 100,000 concepts one edit would pay ~10 s).
* Model objects are pickled as *(maker, field values)* (:meth:`_Pickler.reducer_override`,
  a documented hook), so loading calls a function that sets the slots (:func:`_maker`)
  instead of dataclasses' generated ``__setstate__``, which looks the fields up again
  for every object; and equal
  :class:`~glossary.model.Review` and :class:`~glossary.model.SourceRef` values are
  pickled once per shard (the pickle memo), so loading builds one object where the
  files had thousands of equal ones. 10,000 concepts: 0.36 s of CPU to load before,
  0.12 s after; the shards are 20% smaller.
* :class:`Summary` remembers, for the whole folder, the signature of every file and what
  the full check found (problems and revision). When nothing changed, ``glossary check``
  answers from it without loading a single concept, and every command skips the checks
  that span files.

Safety: the cache is a pickle read with an unpickler that admits only the model's own
classes (the "restricting globals" recipe of the :mod:`pickle` documentation), so a
cache file planted in ``build/`` cannot run code.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import pickle
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import Any

import glossary
from glossary import model, problems, textfile

#: Bumped whenever the layout of a cache entry changes.
CACHE_FORMAT = 3  # 3: an entry keeps its concept's newest review date
#: The entries' files: ``terms-00.pickle`` … (see :func:`shard_of`).
CACHE_NAME = "terms-{:02x}.pickle"
SUMMARY_NAME = "summary.pickle"
SHARDS = 64
_MAGIC = b"glossary-parse-cache\n"

Signature = tuple[int, int, int, int]
#: A file modified less than this long before it was read is not trusted to the cache.
RACY_NS = 2_000_000_000

#: The modules whose code decides what a file reads as and which problems it has.
_CODE = ("model.py", "khmer.py", "problems.py", "validate.py", "textfile.py", "unsafe.py",
         "source/read.py", "source/values.py", "source/lines.py", "source/cache.py")

_ALLOWED: dict[str, frozenset[str]] = {
    "glossary.model": frozenset({
        "AdminStatus", "TermType", "ReviewState", "ConceptStatus", "QAContext", "Review",
        "SourceRef", "Term", "Definition", "LangSection", "Concept", "Example", "ReviewEvent",
    }),
    "glossary.problems": frozenset({"Problem", "Level"}),
    "glossary.source.cache": frozenset({"Entry", "Summary"}),
    "datetime": frozenset({"date"}),
    "pathlib": frozenset({"PosixPath", "WindowsPath", "Path"}),
}


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if module == __name__ and name in _MAKERS:
            return _MAKERS[name]
        if name in _ALLOWED.get(module, ()):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the cache")


def shard_of(name: str) -> int:
    """The shard of a concept file: stable across runs and machines."""
    return zlib.crc32(name.encode("utf-8", "surrogateescape")) % SHARDS


def shard_paths(cache_dir: Path) -> list[Path]:
    return [cache_dir / CACHE_NAME.format(i) for i in range(SHARDS)]


def _read_pickle(path: Path) -> tuple[Any, str | None]:
    """What ``path`` holds (None if nothing usable) and why it could not be used."""
    try:
        data = textfile.read_build_file(path)
    except FileNotFoundError:
        return None, None
    except OSError as exc:
        return None, f"cache not read ({exc.strerror or exc}): reading every file"
    if not data.startswith(_MAGIC):
        return None, "cache file not recognized: reading every file"
    try:  # the caller pauses the cyclic collector meanwhile (glossary.collector)
        return _Unpickler(io.BytesIO(data[len(_MAGIC):])).load(), None
    except Exception:  # noqa: BLE001 - any damage means: no cache
        return None, "cache file damaged: reading every file"


def _write_pickle(path: Path, value: Any) -> bool:
    """Replace ``path`` by ``value`` pickled (a rename; no fsync: a cache lost in a crash
    is only read again); False when it cannot be written."""
    buffer = io.BytesIO()
    buffer.write(_MAGIC)
    _Pickler(buffer, protocol=5).dump(value)
    return textfile.write_build_bytes(path, [buffer.getbuffer()])


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
    newest_review: Any  # datetime.date | None: the newest review date of its concept


@dataclass(frozen=True, slots=True)
class Summary:
    """What the full check of a whole folder found, and the files it was made from."""

    key: str
    files: bytes  # digest of every concept file's name and signature (:func:`files_digest`)
    problems: tuple[Any, ...]  # every problem, cross-file ones included, sorted
    revision: str


def files_digest(signatures: Iterable[tuple[str, Signature | None]]) -> bytes:
    """A digest of every file's name and signature (one ``repr`` of them all, made at
    C speed: 100,000 files, ~0.03 s instead of 0.2 s for a line per file)."""
    text = repr(list(signatures))
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).digest()


_SHARED = (model.Review, model.SourceRef)
#: The fields of a class that may hold a Review or SourceRef worth sharing.
_SHAREABLE = frozenset({"review", "source"})


def _reducers() -> dict[type, tuple[Any, Any, tuple[int, ...]]]:
    """For each class the cache holds: how to make one (:func:`_maker`), how to read its
    field values, and which of them may be shared."""
    classes: list[type] = [getattr(model, name) for name in _ALLOWED["glossary.model"]]
    classes += [problems.Problem, Entry, Summary]
    out: dict[type, tuple[Any, Any, tuple[int, ...]]] = {}
    for cls in classes:
        names = [f.name for f in dataclasses.fields(cls)] if dataclasses.is_dataclass(cls) \
            else []
        if len(names) > 1:  # attrgetter of two or more names gives a tuple
            shared = tuple(i for i, n in enumerate(names) if n in _SHAREABLE)
            out[cls] = (_maker(cls, names), attrgetter(*names), shared)
    return out


#: The functions of :func:`_maker`, by name: what the unpickler may call besides classes.
_MAKERS: dict[str, Any] = {}


def _maker(cls: type, names: list[str]) -> Any:
    """A function that makes a ``cls`` from its field values, for the unpickler: it sets
    the slots through their descriptors (a frozen dataclass's ``__init__`` calls
    ``object.__setattr__`` for each field, one lookup more per field: 100,000 objects
    of six fields, 86 ms instead of 57 ms). It is written as source text, the way
    dataclasses writes ``__init__``, so that each field costs one plain call; a loop
    over the fields would cost what it saves. Every model class is a frozen dataclass
    with slots and no ``__post_init__``, so nothing that ``__init__`` does is skipped."""
    params = ", ".join(f"v{i}" for i in range(len(names)))
    sets = "".join(f"    set{i}(obj, v{i})\n" for i in range(len(names)))
    scope: dict[str, Any] = {"new": object.__new__, "cls": cls}
    scope.update((f"set{i}", cls.__dict__[name].__set__) for i, name in enumerate(names))
    exec(f"def make({params}):\n    obj = new(cls)\n{sets}    return obj\n", scope)  # noqa: S102
    make = scope["make"]
    make.__name__ = make.__qualname__ = f"_make_{cls.__name__}"
    make.__module__ = __name__
    globals()[make.__name__] = _MAKERS[make.__name__] = make  # pickled by this name
    return make


class _Pickler(pickle.Pickler):
    """Model objects as (maker, field values); equal reviews and source references once."""

    _by_class = _reducers()

    def __init__(self, file: Any, protocol: int) -> None:
        super().__init__(file, protocol=protocol)
        self.shared: dict[Any, Any] = {}

    def reducer_override(self, obj: Any) -> Any:
        how = self._by_class.get(type(obj))
        if how is None:
            return NotImplemented
        make, getter, shareable = how
        values = getter(obj)
        if shareable:
            values = list(values)
            for i in shareable:
                value = values[i]
                if type(value) in _SHARED:
                    values[i] = self.shared.setdefault(value, value)
            values = tuple(values)
        return (make, values)


def cache_key(terms_dir: Path, fold_coeng_da: bool, registry: Iterable[bytes]) -> str:
    digest = hashlib.sha256(code_fingerprint().encode())
    digest.update(f"{CACHE_FORMAT}\0{terms_dir.resolve()}\0{fold_coeng_da}\0".encode())
    for data in registry:
        digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()


def read_summary(cache_dir: Path, key: str) -> Summary | None:
    """The whole folder's last full check, if it was made with this key."""
    value, _ = _read_pickle(cache_dir / SUMMARY_NAME)
    return value if isinstance(value, Summary) and value.key == key else None


class ParseCache:
    """The entries of one ``terms/`` folder, read from and saved to ``cache_dir``."""

    def __init__(self, cache_dir: Path | None, key: str) -> None:
        self.dir = cache_dir
        self.key = key
        self.entries: dict[str, Entry] = {}
        self.changed: set[int] = set()  # shards to write
        self.notice: str | None = None  # why an existing cache was not used
        if cache_dir is not None:
            for path in shard_paths(cache_dir):
                self.entries.update(self._read(path))

    def _read(self, path: Path) -> dict[str, Entry]:
        value, notice = _read_pickle(path)
        self.notice = self.notice or notice
        if not isinstance(value, tuple) or len(value) != 2:
            if value is not None:
                self.notice = self.notice or "cache file damaged: reading every file"
            return {}
        key, entries = value
        if key != self.key or not isinstance(entries, dict):
            return {}  # another version, other settings or registry: silently cold
        return entries

    def summary(self) -> Summary | None:
        return None if self.dir is None else read_summary(self.dir, self.key)

    def save_summary(self, summary: Summary) -> None:
        if self.dir is not None:
            _write_pickle(self.dir / SUMMARY_NAME, summary)

    def put(self, name: str, entry: Entry, now_ns: int) -> None:
        """Remember ``entry``, unless its file changed so recently that a later edit
        could keep the same signature (a coarse file-system clock: git's "racy" files);
        such a file is simply read again next time."""
        if entry.signature[1] >= now_ns - RACY_NS:
            if self.entries.pop(name, None) is None:
                return
        else:
            self.entries[name] = entry
        self.changed.add(shard_of(name))

    def keep_only(self, names: set[str]) -> None:
        """Forget files that are gone."""
        gone = [name for name in self.entries if name not in names]
        for name in gone:
            del self.entries[name]
            self.changed.add(shard_of(name))

    def save(self) -> None:
        """Write the shards that changed; a cache that cannot be written is skipped."""
        if self.dir is None or not self.changed:
            return
        shards: dict[int, dict[str, Entry]] = {i: {} for i in self.changed}
        for name, entry in self.entries.items():
            shard = shards.get(shard_of(name))
            if shard is not None:
                shard[name] = entry
        for i, entries in sorted(shards.items()):
            if not _write_pickle(self.dir / CACHE_NAME.format(i), (self.key, entries)):
                return
        self.changed.clear()
        with contextlib.suppress(OSError):  # the one-file cache of format 1
            (self.dir / "terms.pickle").unlink(missing_ok=True)
