"""What the last site build was made from: ``build/.cache/site-state.json``.

After one edit, almost every page of the site is as the last build left it. Finding that
out page by page (a key for each of 20,000 pages, from each concept's content) cost more
than rendering the pages that did change, so the site keeps, between builds:

* ``shared``: a digest of what every page depends on (the tool's code, the templates,
  the interface catalogs, the documents and domains, the settings);
* for each concept, the digest of its file (from the loader), its *index
  fingerprint*: a digest of what the pages other than its own show of it (its terms with
  their status and review state, its domains, the sections it cites, whether it is
  retired), see :func:`index_fingerprint`, and its newest review date (the print and
  downloads pages show the glossary's newest);
* ``index``: a digest of every concept's index fingerprint, in order. The *index pages*
  (the A–Z and ក–អ letters, browse, documents, domains, search and its index, 404) are
  made from that and the shared part only;
* the counts the home page shows from the same data (its letter bars, review progress
  and documents), and the paths of the index pages.

A build whose shared digest is the last one's compares file digests (strings) to find
the concepts that changed, and computes fingerprints for those only. A concept page is
kept when its file and the files of the concepts it links to are unchanged; the index
pages are kept when no index fingerprint changed. Either way a page is kept only when
the site's manifest vouches for it (:meth:`SiteWriter.keep`); anything else is looked at
the long way, so the state only ever saves work.

The file is data: JSON after a line holding its checksum. A file whose checksum, version or
shape is wrong is ignored (the long way, and a new file at the end of the build). It
holds the token of the manifest the same build saved (``generation``): a state that is
not the one of the build that wrote the manifest (a build interrupted between the two,
a state that could not be saved, one copied from elsewhere) is not used.
"""

from __future__ import annotations

import contextlib
import json
import marshal
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from glossary.model import Concept, SourceRef
from glossary.outputs_state import code_digest
from glossary.site import columns
from glossary.site.manifest import digest, read_digested, write_digested
from glossary.site.views import DocumentLink, LanguageProgress, LetterNav, ProgressPart

STATE_NAME = "site-state.json"
STATE_VERSION = 3  # 3: each concept's placement; 2: the entries as columns (_packed)


def shared_key(global_key: str, registry: bytes, fold_coeng_da: bool) -> str:
    """What every page depends on besides the glossary's concepts (``global_key``: the
    templates, catalogs and site settings; ``registry``: the documents and domains)."""
    return digest(b"\0".join((
        global_key.encode(), registry, str(fold_coeng_da).encode(), code_digest().encode(),
        os.environ.get("SOURCE_DATE_EPOCH", "").encode())))


def _ref(ref: SourceRef | None) -> tuple[object, ...] | None:
    return None if ref is None else (ref.doc, ref.section, ref.page, ref.note)


def index_fingerprint(concept: Concept) -> str:
    """A digest of what the index pages show of ``concept`` (and, to be safe, a little
    more): its id and status, every term with its status, type and review state, which
    term is preferred, its domains, see-also ids and the sections it cites. Its
    definitions, notes and examples are shown only on its own page and the print pages."""
    parts: list[Any] = [concept.id, concept.status.value, tuple(concept.domains),
                        tuple(concept.see_also), tuple(_ref(r) for r in concept.sources)]
    for section in (concept.en, concept.km):
        preferred = section.preferred
        parts.append(tuple((t.text, t.admin_status.value, t.type.value, t.pos, t.dnt,
                            t.review.state.value, t is preferred) for t in section.terms))
        d = section.definition
        parts.append(_ref(d.source) if d is not None else None)
    # marshal version 2: the bytes do not depend on reference counts (see pages.py)
    return digest(marshal.dumps(tuple(parts), 2))


def index_key(shared: str, ids: list[str], fingerprints: Mapping[str, str]) -> str:
    """A digest of every concept's index fingerprint, in order (``ids``), joined as two
    texts at C speed (100,000 concepts: 0.1 s as a line per concept)."""
    return digest("\0".join([shared, "\n".join(ids),
                             "\n".join(map(fingerprints.__getitem__, ids))]).encode())


@dataclass
class HomeCounts:
    """What the home page shows that is made from the index data."""

    en_letters: tuple[LetterNav, ...]
    km_letters: tuple[LetterNav, ...]
    progress: tuple[LanguageProgress, ...]
    documents: tuple[DocumentLink, ...]

    def dump(self) -> list[Any]:
        return [[list(n) for n in self.en_letters], [list(n) for n in self.km_letters],
                [[p.lang, p.terms, [list(x) for x in p.parts]] for p in self.progress],
                [list(d) for d in self.documents]]

    @classmethod
    def load(cls, data: Any) -> HomeCounts | None:
        """From :meth:`dump`'s data; None when it is not that."""
        try:
            en, km, progress, documents = data
            return cls(tuple(_nav(n) for n in en), tuple(_nav(n) for n in km),
                       tuple(LanguageProgress(_str(lang), _int(terms),
                                              tuple(ProgressPart(_str(s), _int(c), float(pc))
                                                    for s, c, pc in parts))
                             for lang, terms, parts in progress),
                       tuple(DocumentLink(_str(i), _str(p), _str(short), _str(title),
                                          _opt_str(title_km),
                                          None if year is None else _int(year), _int(n))
                             for i, p, short, title, title_km, year, n in documents))
        except (TypeError, ValueError):
            return None


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(value)
    return value


def _opt_str(value: Any) -> str | None:
    return None if value is None else _str(value)


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(value)
    return value


def _nav(data: Any) -> LetterNav:
    heading, path, count = data
    return LetterNav(_str(heading), _opt_str(path), _int(count))


@dataclass
class SiteState:
    """The state of the last build (``old_*``) and of this one (the rest)."""

    path: Path
    old_generation: str = ""  # the manifest's token when the state was saved
    old_shared: str = ""
    old_concepts: dict[str, list[Any]] = field(default_factory=dict)
    old_index: str = ""
    old_home: Any = None
    old_index_pages: list[str] = field(default_factory=list)
    #: id -> [file digest, index fingerprint, newest review date (ordinal; 0: none, or
    #: retired), placement (:func:`glossary.site.pages.placement`)]
    concepts: dict[str, list[Any]] = field(default_factory=dict)
    index: str = ""
    home: HomeCounts | None = None
    index_pages: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, cache_dir: Path, *, read: bool = True) -> SiteState:
        """The last build's state (unless ``read`` is False: a build that renders every
        page); an empty one when there is none or it is damaged."""
        path = cache_dir / STATE_NAME
        state = cls(path)
        if not read:
            return state
        body = read_digested(path)
        if body is None:
            return state
        try:
            data = json.loads(body)
            if data["version"] != STATE_VERSION:
                return state
            shared, concepts, index = data["shared"], _unpacked(data["concepts"]), data["index"]
            pages = data["index_pages"]
            if not (isinstance(shared, str) and isinstance(index, str)
                    and concepts is not None and isinstance(pages, list)
                    and all(isinstance(p, str) for p in pages)):
                return state
        except (ValueError, KeyError, TypeError):
            return state
        generation = data.get("generation")
        state.old_generation = generation if isinstance(generation, str) else ""
        state.old_shared, state.old_concepts, state.old_index = shared, concepts, index
        state.old_home, state.old_index_pages = data.get("home"), pages
        return state

    def usable(self, shared: str, digests: object, generation: str) -> bool:
        """Whether this build may compare file digests with the last build's: the state
        was saved by the build that wrote the site's manifest (``generation``, the token
        in it), from the same shared inputs."""
        return bool(digests and self.old_shared
                    and self.old_shared == shared and self.old_generation
                    and self.old_generation == generation)

    def newest(self) -> date | None:
        """The newest review date of the active concepts (:func:`pages.glossary_date`),
        from this build's entries (None when there is none)."""
        newest = max((entry[2] for entry in self.concepts.values()), default=0)
        return date.fromordinal(newest) if newest > 0 else None

    def save(self, shared: str, generation: str) -> None:
        """Keep this build's state, with the token of the manifest the build is about to
        save (``generation``); losing it only costs the long way next time."""
        if not (self.concepts and self.index and self.home is not None):
            with contextlib.suppress(OSError):
                self.path.unlink(missing_ok=True)  # nothing trustworthy to keep
            return
        body = json.dumps({"version": STATE_VERSION, "generation": generation,
                           "shared": shared, "index": self.index,
                           "concepts": _packed(self.concepts), "home": self.home.dump(),
                           "index_pages": self.index_pages},
                          ensure_ascii=False, separators=(",", ":"))
        if not write_digested(self.path, body.encode("utf-8")):
            with contextlib.suppress(OSError):
                self.path.unlink(missing_ok=True)  # never leave the old state behind


#: A concept's entry: (file digest, index fingerprint, newest review as an ordinal,
#: placement), kept as five columns (:mod:`glossary.site.columns`) with the ids.
_COLUMNS = ("ids", "files", "fingerprints", "newest", "placements")


def _packed(concepts: dict[str, list[Any]]) -> dict[str, str]:
    entries = concepts.values()
    return columns.pack({"ids": concepts, "files": (e[0] for e in entries),
                         "fingerprints": (e[1] for e in entries),
                         "newest": (e[2] for e in entries),
                         "placements": (e[3] for e in entries)})


def _unpacked(data: object) -> dict[str, list[Any]] | None:
    """The concepts' entries, or None when ``data`` is not what :func:`_packed` makes."""
    found = columns.unpack(data, _COLUMNS)
    if found is None:
        return None
    ids, files, fingerprints, newest, placements = found
    try:
        days = list(map(int, newest))
    except ValueError:
        return None
    return dict(zip(ids, map(list, zip(files, fingerprints, days, placements, strict=True)),
                    strict=True))
