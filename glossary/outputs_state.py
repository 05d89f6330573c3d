"""Which build outputs are already up to date: ``build/.cache/outputs.json``.

``glossary build`` writes each target (database, catalogs, TBX, CSV …) only when what it
is made from changed. For each target the state records the *input key* it was last
written from — a digest of the glossary's revision, the tool's code, the settings and the
environment that reach the output (``SOURCE_DATE_EPOCH``) — and the signature (size and
modification time) of every file it wrote, by its path inside the build folder. A target
whose key is the same and whose files are all still there, untouched, is left alone;
anything else (a missing or edited output, a damaged or missing state file, another
version of the tool) writes it again. The outputs are the same bytes either way: a
skipped output is exactly what a clean build would write again. The paths are relative,
so a project copied or moved elsewhere checks its own files, never those of the folder
it came from.

The state is build data beside the parse cache, never published, written atomically,
and losing it only costs a rebuild.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import glossary
from glossary import textfile

STATE_NAME = "outputs.json"
STATE_VERSION = 2  # 2: paths relative to the build folder (1 kept absolute ones)


@functools.cache
def code_digest() -> str:
    """The tool's version and a digest of its Python code: an edited checkout counts as
    another tool (its outputs may differ). Computed once per process (~2 ms)."""
    root = Path(glossary.__file__).parent
    digest = hashlib.sha256(glossary.__version__.encode())
    for path in sorted(root.rglob("*.py")):
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"?")
    return digest.hexdigest()


def input_key(target: str, revision: str, *parts: str) -> str:
    digest = hashlib.sha256(f"{STATE_VERSION}\0{target}\0{revision}\0".encode())
    digest.update(code_digest().encode())
    digest.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    for part in parts:
        digest.update(b"\0" + part.encode())
    return digest.hexdigest()


def _signature(path: Path) -> list[int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns]


@dataclass
class OutputState:
    path: Path  # build/.cache/outputs.json: the outputs are in its folder's parent
    targets: dict[str, dict[str, object]] = field(default_factory=dict)

    @property
    def root(self) -> Path:
        return self.path.parent.parent

    @classmethod
    def load(cls, cache_dir: Path) -> OutputState:
        path = cache_dir / STATE_NAME
        try:
            data = json.loads(textfile.read_build_file(path))
            if data.get("version") != STATE_VERSION or not isinstance(data.get("targets"), dict):
                raise ValueError("another version")
            return cls(path, data["targets"])
        except (OSError, ValueError, AttributeError):
            return cls(path)

    def up_to_date(self, target: str, key: str) -> list[Path] | None:
        """The files of ``target`` when it was written from ``key`` and none of them
        changed since; None when it must be written."""
        entry = self.targets.get(target)
        if not isinstance(entry, dict) or entry.get("key") != key:
            return None
        return self.untouched(target)

    def untouched(self, target: str) -> list[Path] | None:
        """The files of ``target`` when they are all as the last build left them
        (whatever it was written from); None when one was changed, removed or is not
        known. An output that updates itself in place trusts only an untouched file."""
        entry = self.targets.get(target)
        files = entry.get("files") if isinstance(entry, dict) else None
        if not isinstance(files, dict) or not files:
            return None
        paths = []
        for name, sig in files.items():
            relative = Path(name)
            if relative.is_absolute() or ".." in relative.parts:
                return None  # not written by this tool: the state is not trusted
            path = self.root / relative
            if _signature(path) != sig:
                return None
            paths.append(path)
        return paths

    def record(self, target: str, key: str, paths: list[Path]) -> None:
        files = {}
        for path in paths:
            try:
                name = path.relative_to(self.root).as_posix()
            except ValueError:  # not in the build folder: never taken as up to date
                break
            if path.is_file():
                files[name] = _signature(path)
        if len(files) == len(paths):
            self.targets[target] = {"key": key, "files": files}
        else:  # a folder (the site) or a file that vanished: never taken as up to date
            self.targets.pop(target, None)

    def forget(self, target: str) -> None:
        self.targets.pop(target, None)

    def save(self) -> None:
        text = json.dumps({"version": STATE_VERSION, "targets": self.targets},
                          sort_keys=True, indent=1) + "\n"
        # replaced, never written through (whatever is found in its place); a build
        # that cannot keep its state only loses the shortcut
        textfile.write_build_data(self.path, text)
