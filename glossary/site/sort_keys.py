"""Khmer sort keys of the site's index and print pages, kept between builds.

:func:`khmer_collation.sort_key` is the most expensive step of ordering a page by its Khmer
terms, and a build orders every Khmer term of the glossary (the printable glossary
lists them all), so after one edit almost every key is the one the last build computed.
The keys are kept in ``build/.cache/site-km-keys.json`` by text (a key depends on the
text only), as bytes: each weight four bytes, big-endian, so comparing two keys as
bytes orders them exactly as comparing the tuples does (same width per weight: a
shorter key that is a prefix of a longer one comes first either way).

The file is data, never code: JSON with hexadecimal strings, trusted only when it was
made by the same Khmer rules (a digest of ``glossary/khmer.py``, ``khmer_collation.py``
and of the Unicode version); an entry that is not valid hexadecimal or not a whole
number of weights is recomputed. The file is rewritten only when a build computed many
keys (:attr:`KmSortKeys.REWRITE`), with the keys of the Khmer terms the glossary has (a
removed term's key goes).
"""

from __future__ import annotations

import hashlib
import json
import struct
import unicodedata
from pathlib import Path

from glossary import khmer, khmer_collation, textfile

STATE_NAME = "site-km-keys.json"
STATE_VERSION = 1
_WIDTH = 4  # bytes per weight


def rules_digest() -> str:
    """What the keys depend on besides the text: the Khmer rules and Unicode's data."""
    source = Path(khmer.__file__).read_bytes() + Path(khmer_collation.__file__).read_bytes()
    return hashlib.blake2b(source + unicodedata.unidata_version.encode(),
                           digest_size=16).hexdigest()


def encode(key: tuple[int, ...]) -> bytes:
    """``key`` as bytes ordered like the tuple (every weight is below 2**32)."""
    return struct.pack(f">{len(key)}I", *key)


class KmSortKeys:
    """Text → byte key, filled from the last build's file and completed as needed.

    The file holds a key for every Khmer term (70 MB at 100,000 concepts), so it is read
    only once computing keys directly has cost about what reading it would: a build after
    one edit needs the keys of the Khmer letter page it makes again (about 400 terms at
    10,000 concepts, 4,000 at 100,000), computed directly."""

    #: Keys computed before the file is read: at least this many, and one more for each
    #: :attr:`BYTES_PER_KEY` bytes of the file. A key takes about 6 µs; reading the file
    #: takes 20 ms at 10,000 concepts (7 MB) and 0.28 s at 100,000 (70 MB), the time of
    #: one key per 1,600 bytes.
    DIRECT = 2048
    BYTES_PER_KEY = 1600
    #: The file is rewritten only when a build computed more keys than this (or it had
    #: none): after a term edit the build computes a key or two, cheaper to compute again
    #: next time than rewriting the file (7 MB at 10,000 concepts, 0.1 s).
    REWRITE = 256

    def __init__(self, cache_dir: Path | None = None) -> None:
        self.path = cache_dir / STATE_NAME if cache_dir is not None else None
        self._old: dict[str, str] = {}
        self._keys: dict[str, bytes] = {}
        self._computed = 0
        self._rules = ""
        self.loaded = False  # whether the file was read (only then is it saved)
        self._limit: int | None = None  # keys computed before reading it (from its size)

    def _load(self) -> None:
        self.loaded = True
        if self.path is None:
            return
        self._rules = rules_digest()
        try:
            data = json.loads(textfile.read_build_file(self.path))
        except (OSError, ValueError):
            return
        if (isinstance(data, dict) and data.get("version") == STATE_VERSION
                and data.get("rules") == self._rules and isinstance(data.get("keys"), dict)):
            self._old = data["keys"]
            # the keys computed so far count as new only when the file lacks them (a
            # letter page's 4,000 keys, all in it, are no reason to rewrite 70 MB)
            self._computed = sum(1 for text in self._keys if text not in self._old)

    def _read_after(self) -> int:
        """How many keys to compute before reading the file (see :attr:`DIRECT`)."""
        if self._limit is None:
            try:
                size = self.path.stat().st_size if self.path is not None else 0
            except OSError:
                size = 0
            self._limit = max(self.DIRECT, size // self.BYTES_PER_KEY)
        return self._limit

    def __call__(self, text: str) -> bytes:
        key = self._keys.get(text)
        if key is not None:
            return key
        if not self.loaded and self._computed >= self.DIRECT \
                and self._computed >= self._read_after():
            self._load()
        old = self._old.get(text)
        if isinstance(old, str) and old and len(old) % (2 * _WIDTH) == 0:
            try:
                key = bytes.fromhex(old)
            except ValueError:
                key = None
        if key is None:
            key = encode(khmer_collation.sort_key(text))
            self._computed += 1
        self._keys[text] = key
        return key

    @property
    def computed(self) -> int:
        """How many keys this build computed (the others came from the file), once the
        file was read (a build that computed only a few keys directly keeps it as is)."""
        return self._computed if self.loaded else 0

    def save(self, texts: set[str]) -> None:
        """Keep the keys of ``texts`` (the Khmer terms of the glossary) that are known,
        when this build computed more than :attr:`REWRITE` or the file had none; losing
        the file only costs computing them again."""
        if self.path is None or not self._computed or not self.loaded:
            return
        if self._old and self._computed <= self.REWRITE:
            return
        keys = {t: k.hex() for t, k in self._keys.items() if t in texts}
        for t, k in self._old.items():
            if t in texts and t not in keys and isinstance(k, str):
                keys[t] = k
        text = json.dumps({"version": STATE_VERSION, "rules": self._rules, "keys": keys},
                          ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        textfile.write_build_data(self.path, text)  # losing it costs a recomputation
