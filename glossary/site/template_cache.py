"""Compiled templates kept between builds: ``build/.cache/site-templates/``.

Compiling the site's templates (parsing them and generating Python code, for each
interface language: the translations are folded in when a template is compiled) cost
about a third of the site part of a one-edit build. jinja2 lets an Environment keep the
code it compiled in a *bytecode cache* (its documented ``BytecodeCache`` interface); this
one keeps a file per (language, template) under the build's cache folder.

A file is used only when all of these hold, else the template is compiled again and the
file rewritten (a damaged or stale file is never an error and never gives an old page):

* its *salt* matches: the language, a digest of its interface catalog (the folded
  translations), the tool's code (our jinja2 extension and Environment options) and
  jinja2's version;
* its content digest matches (a truncated or damaged file is not read);
* jinja2's own checks pass: its format version and Python's, and a checksum of the
  template's source text (an edited template is compiled again).

Files are written atomically (a temporary file, then a rename); an unwritable cache
folder only costs compiling again.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket

from glossary import output, textfile
from glossary.outputs_state import code_digest

DIRECTORY = "site-templates"
FORMAT = b"glossary-site-template 1\n"
_DIGEST = 32  # bytes of each blake2b digest in a file's header


def _blake(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=_DIGEST).digest()


def salt(lang: str, catalog_digest: str) -> bytes:
    """What the compiled code of a template depends on besides its source text."""
    return _blake("\0".join((lang, catalog_digest, code_digest(),
                             jinja2.__version__)).encode())


class TemplateCache(jinja2.BytecodeCache):
    """A jinja2 bytecode cache in ``directory`` for the Environment of one language."""

    def __init__(self, directory: Path, lang: str, catalog_digest: str) -> None:
        self.directory = directory
        self.lang = lang
        self.salt = salt(lang, catalog_digest)

    def _path(self, bucket: Bucket) -> Path:
        # bucket.key: a digest of the template's name and file name
        return self.directory / f"{self.lang}-{bucket.key}.bin"

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            raw = textfile.read_build_file(self._path(bucket))
        except OSError:
            return
        head = len(FORMAT) + 2 * _DIGEST
        if (len(raw) <= head or not raw.startswith(FORMAT)
                or raw[len(FORMAT):len(FORMAT) + _DIGEST] != self.salt
                or raw[len(FORMAT) + _DIGEST:head] != _blake(raw[head:])):
            return
        try:
            bucket.bytecode_from_string(raw[head:])
        except Exception:  # jinja2's header is unpickled: anything unreadable is a miss
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        body = bucket.bytecode_to_string()
        path = self._path(bucket)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(FORMAT + self.salt + _blake(body) + body)
            output.replace_derived(tmp, path)
        except OSError:  # losing it only costs compiling the template again
            with contextlib.suppress(OSError):
                tmp.unlink()
