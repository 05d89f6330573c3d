"""The site's manifest, ``build/.site-manifest``: what the last build wrote into
build/site/ (:class:`glossary.site.writer.SiteWriter` reads it and saves the next).

Layout: a first line ``glossary-site-manifest <version> <checksum of the rest>``; a line
of JSON with the token of the build (``generation``) and the signatures of the site's
folders when it ended (``folders``: modification and change times, inode); then a line
per file, ``path<TAB>input key<TAB>output digest``, sorted. A file whose first line is
not that (missing, truncated, changed, another version, not ours) is an empty manifest:
every page is looked at again.

Why lines, sorted: at 100,000 concepts the manifest holds 200,000 files, and the JSON
manifest cost ~0.5 s a build to read into a dictionary and write back, for a build
that changed 26 of them. Sorted lines are split and joined at C speed, a file is found
by bisection, and the concept pages are one run of lines per folder that a build after
one edit keeps whole (:meth:`Manifest.span`).
"""

from __future__ import annotations

import bisect
import hashlib
import json
import os
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from glossary import textfile

MANIFEST = ".site-manifest"  # in the site's parent folder (build/)
VERSION = 4  # 4: a CRC-32 first; 3: sorted lines (2: JSON columns, .site-manifest.json)
_HEAD = "glossary-site-manifest"


def digest(data: bytes) -> str:
    """The digest the site's build data uses: 16 bytes of BLAKE2b, as hexadecimal."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def checksum(data: bytes) -> str:
    """What tells a whole build data file from a truncated or damaged one (the first
    line of the files of :func:`write_digested` and of the manifest): the CRC-32 of
    its contents, in hexadecimal, as a zip checks each entry. Not a key (that is
    :func:`digest`): these files are data the build can make again. 4.3 GB/s here
    against BLAKE2b's 0.95 GB/s: a one-edit build at 100,000 concepts reads and writes
    about 100 MB of them, 0.1 s less."""
    return f"{zlib.crc32(data):08x}"


def read_digested(path: Path) -> bytes | None:
    """The data of a build data file that :func:`write_digested` wrote (its first line
    is the :func:`checksum` of the rest); None when there is none, or it is not whole
    (shorter, changed)."""
    try:
        head, _, body = textfile.read_build_file(path).partition(b"\n")
    except OSError:
        return None
    return body if head == checksum(body).encode() else None


def write_digested(path: Path, body: bytes) -> bool:
    """Keep ``body`` at ``path`` after a line with its :func:`checksum` (atomically;
    False when it could not be written: the data can be made again)."""
    return textfile.write_build_bytes(path, [checksum(body).encode(), b"\n", body])


@dataclass
class Manifest:
    """The files of the last build: ``lines`` (``path\\tkey\\tdigest``, sorted)."""

    lines: list[str] = field(default_factory=list)
    generation: str = ""
    folders: dict[str, list[int]] = field(default_factory=dict)

    def get(self, rel: str) -> tuple[str, str] | None:
        """(input key, output digest) of ``rel``; None when the manifest has no such file."""
        probe = rel + "\t"
        lines = self.lines
        at = bisect.bisect_left(lines, probe)
        if at < len(lines) and lines[at].startswith(probe):
            _, key, out = lines[at].split("\t")
            return key, out
        return None

    def span(self, folder: str) -> tuple[int, int]:
        """Where the lines of the files under ``folder`` are (``lines[lo:hi]``)."""
        lo = bisect.bisect_left(self.lines, folder + "/")
        return lo, bisect.bisect_left(self.lines, folder + "0", lo)  # "0" follows "/"


def path_of(line: str) -> str:
    return line.partition("\t")[0]


def load(path: Path) -> Manifest:
    """The manifest at ``path``; an empty one when there is none or it is not sound."""
    try:
        raw = textfile.read_build_file(path)
    except OSError:
        return Manifest()
    head, _, rest = raw.partition(b"\n")
    meta, _, body = rest.partition(b"\n")
    if head != f"{_HEAD} {VERSION} {checksum(rest)}".encode():
        return Manifest()
    try:
        data = json.loads(meta)
        text = body.decode("utf-8")
    except ValueError:
        return Manifest()
    lines = text.split("\n") if text else []
    generation, folders = (data.get("generation"), data.get("folders")) \
        if isinstance(data, dict) else (None, None)
    if not (isinstance(generation, str) and isinstance(folders, dict)
            and text.count("\t") == 2 * len(lines)):  # every line: three fields
        return Manifest()
    return Manifest(lines, generation, {name: sig for name, sig in folders.items()
                                        if isinstance(sig, list)})


def dump(lines: Iterable[str], generation: str, folders: dict[str, list[int]]) -> bytes:
    """The bytes of a manifest with ``lines`` (sorted here)."""
    rest = (json.dumps({"generation": generation, "folders": folders}, sort_keys=True)
            + "\n" + "\n".join(sorted(lines))).encode("utf-8")
    return f"{_HEAD} {VERSION} {checksum(rest)}\n".encode() + rest


def line(rel: str, key: str, out_digest: str) -> str:
    return f"{rel}\t{key}\t{out_digest}"


def folder_signature(path: str) -> list[int] | None:
    """What changes when a file is added to, removed from or renamed in a folder."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
