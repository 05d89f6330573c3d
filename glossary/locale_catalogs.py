"""The gettext round trip: export PO/POT/MO catalogs, read a returned PO as incoming terms.

* :func:`export_po` writes ``locale/glossary.pot`` and ``locale/km/LC_MESSAGES/glossary.po``
  (the translators' catalogs) and copies them to ``build/``; with ``approved_only`` it
  writes the approved-only catalog other projects take, to ``build/approved/``.
* :func:`export_mo` writes the approved-only ``build/glossary.km.mo``.
* :func:`project_po_file`: the catalogs other projects take —
  the Khmer terms reviewed to a level (:mod:`glossary.selection`), and with
  ``compendium`` keyed by the English term alone (``msgmerge --compendium``, plain
  ``gettext()``).
* :func:`render_po` is the ``po`` target of ``glossary build`` (POT and PO; the ``mo``
  target is the registry's :func:`glossary.formats.mo.write`).
* :func:`read_po` turns a PO file into :class:`~glossary.pairs.IncomingTerm` objects
  for :mod:`glossary.imports.proposals`.

The header's date: see :mod:`glossary.formats.gettext_header`.
"""

from __future__ import annotations

import io
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from glossary import pairs, piece_store, selection
from glossary.config import Settings
from glossary.errors import ConfigError
from glossary.formats import mo, po
from glossary.formats.gettext_header import LANGUAGE, Header, make_header, project_header
from glossary.imports import clean
from glossary.model import ConceptStatus, Glossary, ReviewState
from glossary.output import write_bytes, writer

POT_NAME = "glossary.pot"
PO_NAME = "glossary.po"
MO_NAME = "glossary.km.mo"


def write_catalog(out: IO[bytes], glossary: Glossary, header: Header, *,
                  template: bool = False, level: str | None = None,
                  compendium: bool = False, known: Any = None,
                  record: bytes | None = None) -> None:
    """Write a catalog (:class:`glossary.formats.po.CatalogPieces`) as UTF-8 to ``out``,
    with the pieces of unchanged concepts from the piece store when ``known`` (an
    :class:`glossary.exporting.Known`) has one. ``glossary`` is already selected.
    ``level`` or ``compendium``: a catalog for other projects (entries without a Khmer
    term left out). ``record``: remember the catalog's manifest for :func:`replay_po`."""
    pieces = (po.CompendiumPieces(glossary, header) if compendium else
              po.CatalogPieces(glossary, header, template=template,
                               translated_only=level is not None))
    source = known.source if known is not None else None
    slot = _catalog_slot(template, level, compendium)
    manifest = None
    if source is not None and record is not None:
        manifest = (_catalog_id(source.parse_key, slot, header.revision), record)
    piece_store.write(pieces, glossary.concepts, out, source, slot, manifest)


def catalog_bytes(glossary: Glossary, header: Header, **how: Any) -> bytes:
    """:func:`write_catalog` into memory."""
    buffer = io.BytesIO()
    write_catalog(buffer, glossary, header, **how)
    return buffer.getvalue()


def catalog_file(path: Path, glossary: Glossary, header: Header, *, durable: bool = True,
                 **how: Any) -> Path:
    """:func:`write_catalog` into ``path``, atomically (stored pieces are copied into
    the file, not read); ``durable``: see :func:`glossary.output.writer`."""
    with writer(path, durable=durable) as handle:
        write_catalog(handle, glossary, header, **how)
    return path


def _catalog_slot(template: bool, level: str | None, compendium: bool) -> str:
    """A catalog's slot in the piece store: a concept's piece differs by all three."""
    return piece_store.slot_name("po-catalog", template, level, compendium)


def _catalog_id(parse_key: str, slot: str, revision: str) -> str:
    """What the translators' catalog depends on besides terms/: the revision (its
    header) and ``SOURCE_DATE_EPOCH`` (its date)."""
    return piece_store.manifest_id(parse_key, slot, revision,
                                   os.environ.get("SOURCE_DATE_EPOCH"))


def replay_po(settings: Settings, out_dir: Path | None = None) -> Exported | None:
    """``glossary export po`` (the translators' catalogs) without loading a concept,
    when no file of terms/ changed since the last full check and the piece store has
    both catalogs' manifests for that revision: the same errors stop it, the same bytes
    are written. None when it cannot (export as usual)."""
    from glossary import loader

    state = loader.unchanged(settings)
    if state is None:
        return None
    loader.raise_for_errors(state, settings, False)
    texts: dict[bool, bytes] = {}
    record = b""
    for template in (True, False):
        slot = _catalog_slot(template, None, False)
        found = piece_store.replay(settings.cache_dir, slot,
                                   _catalog_id(state.key, slot, state.revision))
        if found is None:
            return None
        with found:
            record = found.record
            texts[template] = found.data()
    try:
        entries, fuzzy, untranslated = json.loads(record)
    except (ValueError, TypeError):
        return None
    paths = _write_catalogs(settings, out_dir, texts[True], texts[False])
    return Exported(paths, entries, fuzzy, untranslated)


def _one_file(output: Path | None) -> Path | None:
    """``output`` when it names one catalog file (``km.po``, ``app.pot``), not a folder:
    what ``-o`` of ``glossary export po`` writes then is that catalog alone (a template
    for ``.pot``). An existing folder is a folder, whatever its name."""
    if output is None or output.is_dir() or output.suffix.lower() not in (".po", ".pot"):
        return None
    return output


def _is_template(path: Path) -> bool:
    return path.suffix.lower() == ".pot"


def _write_catalogs(settings: Settings, out_dir: Path | None, pot_data: bytes,
                    po_data: bytes) -> list[Path]:
    """The two catalogs into ``out_dir`` (default: locale/) and build/; or, when
    ``out_dir`` names one file (:func:`_one_file`), that catalog alone there."""
    single = _one_file(out_dir)
    if single is not None:
        write_bytes(single, pot_data if _is_template(single) else po_data)
        return [single]
    base = out_dir or settings.locale_dir
    paths = []
    for path, data in (
        (base / POT_NAME, pot_data),
        (base / LANGUAGE / "LC_MESSAGES" / PO_NAME, po_data),
        (settings.build_dir / POT_NAME, pot_data),
        (settings.build_dir / LANGUAGE / PO_NAME, po_data),
    ):
        write_bytes(path, data)
        paths.append(path)
    return paths


def _counts(glossary: Glossary, translated_only: bool) -> tuple[int, int, int]:
    """(entries, fuzzy, untranslated) of the catalog of ``glossary``, as
    :func:`glossary.pairs.build_entries` makes them, without making them."""
    entries = fuzzy = untranslated = 0
    for concept in glossary.concepts:
        if concept.status is ConceptStatus.RETIRED:
            continue
        for pair in pairs.pair_terms(concept):
            km = pair.km
            if km is None or not km.text:
                if translated_only:
                    continue
                untranslated += 1
            elif km.review.state is not ReviewState.APPROVED:
                fuzzy += 1
            entries += 1
    return entries, fuzzy, untranslated


@dataclass
class Exported:
    paths: list[Path]
    entries: int
    fuzzy: int
    untranslated: int = 0
    ambiguous: list[pairs.Ambiguity] | None = None


COMPENDIUM_PO = "glossary-compendium.km.po"
COMPENDIUM_MO = "glossary-compendium.km.mo"


def project_po_file(path: Path, glossary: Glossary, revision: str, level: str | None,
                    compendium: bool = False, *, today: bool = False, known: Any = None,
                    durable: bool = True) -> Path:
    """A catalog for other projects (see :func:`export_po`) written to ``path`` as UTF-8,
    made of pieces (from the piece store with ``known``); ``today``: the header carries
    the date of the export, else (the build) the glossary's own date."""
    header = project_header(glossary, revision, level, compendium, today=today)
    return catalog_file(path, selection.select(glossary, level), header, level=level,
                        compendium=compendium, known=known, durable=durable)


def export_po(glossary: Glossary, revision: str, settings: Settings, *,
              approved_only: bool = False, min_review: str | None = None,
              compendium: bool = False, out_dir: Path | None = None,
              known: Any = None) -> Exported:
    """Write the catalogs (see the module docstring); return the paths written.

    With ``approved_only``, ``min_review`` or ``compendium``: one catalog for other
    projects, in ``out_dir`` or build/approved/ (build/proposed/ for proposals,
    build/all/ for a compendium of every term). ``out_dir`` may also name the one file
    to write (:func:`_one_file`; a template only for the translators' catalogs).
    ``known`` (:class:`glossary.exporting.Known`): the pieces of unchanged concepts
    come from the piece store."""
    level = selection.level(approved_only, min_review)
    single = _one_file(out_dir)
    if single is not None and _is_template(single) and (level is not None or compendium):
        raise ConfigError("a catalog for other projects has no template (POT)",
                          hint="name a .po file or a folder with -o")
    if compendium:
        target = single or (out_dir or settings.build_dir / (level or "all")) / COMPENDIUM_PO
        project_po_file(target, glossary, revision, level, True, today=True, known=known)
        index = pairs.CompendiumIndex(selection.select(glossary, level))
        entries, fuzzy = index.counts()
        return Exported([target], entries, fuzzy, 0, index.ambiguities())
    if level is not None:
        target = single or (out_dir or settings.build_dir / level) / LANGUAGE / \
            "LC_MESSAGES" / PO_NAME
        project_po_file(target, glossary, revision, level, today=True, known=known)
        entries, fuzzy, _ = _counts(selection.select(glossary, level), True)
        return Exported([target], entries, fuzzy, 0, [])
    header = make_header(glossary, revision)
    counts = _counts(glossary, False)
    record = json.dumps(counts).encode()
    po_data = catalog_bytes(glossary, header, known=known, record=record)
    pot_data = catalog_bytes(glossary, header, template=True, known=known, record=record)
    paths = _write_catalogs(settings, out_dir, pot_data, po_data)
    return Exported(paths, *counts)


def export_mo(glossary: Glossary, revision: str, settings: Settings,
              output: Path | None = None, *, min_review: str = "approved",
              compendium: bool = False) -> Exported:
    """The compiled catalog for other projects: approved Khmer terms (``min_review``
    proposed: proposals too). Keyed by msgctxt = concept id (pgettext), or with
    ``compendium`` by the English term alone (plain gettext)."""
    messages, ambiguous = pairs.compiled_messages(glossary, min_review, compendium)
    header = make_header(glossary, revision, today=True)
    target = output or settings.build_dir / (COMPENDIUM_MO if compendium else MO_NAME)
    write_bytes(target, mo.write_catalog(messages, header.mo_text()))
    return Exported([target], len(messages), 0, 0, ambiguous)


def render_po(ctx: Any) -> list[Path]:
    """``glossary build`` target ``po``: build/glossary.pot and build/km/glossary.po."""
    from glossary import exporting

    glossary, settings = ctx.glossary, ctx.settings
    header = make_header(glossary, ctx.revision)
    known = exporting.known(ctx)
    written = []
    for path, template in ((settings.build_dir / POT_NAME, True),
                           (settings.build_dir / LANGUAGE / PO_NAME, False)):
        written.append(catalog_file(path, glossary, header, template=template,
                                    known=known, durable=False))
    return written


# --------------------------------------------------------------------------- reading


@dataclass
class IncomingFile:
    """What a returned PO holds: the incoming terms, and what was skipped and why."""

    path: Path
    terms: list[pairs.IncomingTerm]
    skipped: list[tuple[int, str, str]]  # (line, msgid, reason)
    warnings: list[str]


def read_po(path: Path, *, fold_coeng_da: bool = True, include_fuzzy: bool = False
            ) -> IncomingFile:
    """Read a PO as an editor returns it. Khmer text is normalized here.

    A fuzzy entry is a guess (msgmerge's, from another message), not a translation: it is
    skipped unless ``include_fuzzy`` — except in a catalog of ours, where fuzzy means
    "not approved yet": an entry with our fingerprint and no previous msgid (``#|``) is
    read."""
    parsed = po.read(path)
    warnings: list[str] = []
    language = parsed.language.replace("_", "-")
    if language and language.split("-")[0].lower() != LANGUAGE:
        warnings.append(f"the header says Language: {parsed.language} (expected km)")
    plural = parsed.metadata.get("Plural-Forms", "").replace(" ", "")
    if plural and not plural.startswith("nplurals=1;plural=0"):
        warnings.append(f"the header says Plural-Forms: {parsed.metadata['Plural-Forms']} "
                        "(Khmer has nplurals=1; plural=0; — ignored)")
    terms: list[pairs.IncomingTerm] = []
    skipped: list[tuple[int, str, str]] = []
    name = path.name
    for message in parsed.messages:
        if message.obsolete:
            skipped.append((message.line, message.msgid, "obsolete entry (#~)"))
            continue
        if message.plural:
            skipped.append((message.line, message.msgid, "plural message"))
            continue
        if max(len(message.msgstr), len(message.msgid)) > clean.TERM_MAX:
            skipped.append((message.line, message.msgid[:80],
                            f"longer than a term ({clean.TERM_MAX} characters)"))
            continue
        where = clean.Where(path, message.line, "msgstr")
        text = clean.term(message.msgstr, where, fold_coeng_da)  # the one boundary
        clean.lost_letters(text, where)
        if not text:
            skipped.append((message.line, message.msgid, "no translation (empty msgstr)"))
            continue
        if message.fuzzy and not include_fuzzy and (
                message.fingerprint is None or message.previous_msgid is not None):
            skipped.append((message.line, message.msgid,
                            "fuzzy entry (a guess, not a translation; --include-fuzzy "
                            "reads it)"))
            continue
        # the translator's comment (Poedit's "Comment" field) says why: the rationale
        # of the proposal or candidate the entry becomes
        rationale = clean.text(message.comment, clean.Where(
            path, message.line, "translator comment"), fold_coeng_da) \
            if message.comment else ""
        concept_id: str | None = None
        index: int | None = None
        if message.context is not None:
            parsed_context = pairs.parse_context(message.context)
            if parsed_context is not None:
                concept_id, index = parsed_context
        else:  # a catalog that lost its msgctxt (po2csv, then csv2po) keeps "#: terms/ID.toml"
            concept_id = pairs.reference_concept(message.references)
        terms.append(pairs.IncomingTerm(
            concept_id=concept_id,
            term_index=index,
            lang=LANGUAGE,
            text=text,
            en_text=clean.evidence(message.msgid.strip()) or "",
            fingerprint=message.fingerprint,
            fuzzy=message.fuzzy,
            origin_file=name,
            line=message.line,
            context=clean.evidence(message.context),
            rationale=rationale or None,
        ))
    return IncomingFile(path, terms, skipped, warnings)
