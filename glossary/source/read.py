"""Read ``terms/`` into a :class:`~glossary.model.Glossary`.

The TOML layout of the source files (see the README, "The terms/ format") is known
here and in its siblings: ``values`` (typed, checked access to the parsed TOML),
``lines`` (which line a key is on), ``edit`` (edits that keep a file's comments and
layout) and ``new`` (new files); those two write with ``tomlkit``. Reading uses
``tomli`` (the parser the standard library vendors as ``tomllib``, in its compiled
build: three times faster; ``tomllib`` is the fallback). Khmer text is normalized
here, once, on the way in.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter
from pathlib import Path
from typing import Any

from glossary import textfile
from glossary.errors import ConfigError, SourceError
from glossary.model import (
    AdminStatus,
    Concept,
    ConceptStatus,
    Definition,
    Document,
    Domain,
    Example,
    Glossary,
    LangSection,
    QAContext,
    Review,
    ReviewEvent,
    ReviewState,
    Section,
    SourceRef,
    Term,
    TermType,
)
from glossary.problems import KeyPath, Level, Problem
from glossary.source.values import Reader, TextField

try:  # the compiled build of the parser that the standard library vendors as tomllib
    import tomli as tomllib
except ImportError:  # pragma: no cover - tomli is a dependency; stdlib as a fallback
    import tomllib  # type: ignore[no-redef]

SOURCES_FILE = "_sources.toml"
DOMAINS_FILE = "_domains.toml"

CONCEPT_KEYS = frozenset(
    {"id", "status", "domains", "sources", "see_also", "notes", "examples", "en", "km",
     "qa_context"}
)
EXAMPLE_KEYS = frozenset({"en", "km"})
LANG_KEYS = frozenset({"definition", "terms"})
REVIEW_KEYS = frozenset(
    {"review", "origin", "proposed_by", "proposed_on", "approved_by", "approved_on", "review_note",
     "history"}
)
DEFINITION_KEYS = frozenset({"text", "source"}) | REVIEW_KEYS
TERM_KEYS = (
    frozenset({"text", "admin_status", "type", "pos", "context", "dnt", "note", "rationale"})
    | REVIEW_KEYS
)
REF_KEYS = frozenset({"doc", "section", "page", "note"})
DOCUMENT_KEYS = frozenset(
    {"id", "short", "title", "title_km", "publisher", "year", "url", "edition", "kind", "sections"}
)
SECTION_KEYS = frozenset({"id", "title", "title_km", "page"})
DOMAIN_KEYS = frozenset({"id", "en", "km"})


@dataclass
class LoadedFile:
    """A concept file as read: ``folder`` and ``name`` rather than a path, which is made
    only when asked for (an error, a duplicate id): 10,000 cached files, ~16 ms less."""

    folder: Path
    name: str
    concept: Concept | None
    problems: list[Problem] = field(default_factory=list)
    fields: list[TextField] = field(default_factory=list)
    text: str | None = None
    digest: str = ""  # sha256 of the file's bytes ("" when it could not be read)

    @property
    def path(self) -> Path:
        return self.folder / self.name


@dataclass
class LoadResult:
    glossary: Glossary
    files: list[LoadedFile]
    problems: list[Problem]  # found while reading: the registry's and every file's
    registry_problems: list[Problem] = field(default_factory=list)


# --------------------------------------------------------------------------- reading


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SourceError(
            f"cannot read file: {exc.strerror}", path=path,
            hint="check that the file exists and is readable",
        ) from exc


def decode(path: Path, data: bytes) -> str:
    """Decode UTF-8 (a leading BOM is dropped); SourceError with line and column."""
    return textfile.decode(
        path, data, error=SourceError,
        hint="save the file as UTF-8; text typed in a legacy Khmer font needs converting",
    )


def read_text(path: Path) -> str:
    """Read a UTF-8 file; a leading BOM is dropped. Raises SourceError with the line."""
    return decode(path, read_bytes(path))


def _layout_problems(path: Path, data: bytes) -> list[Problem]:
    problems = []
    if data.startswith(textfile.BOM):
        problems.append(Problem(
            "bom", Level.ERROR, path, "file starts with a byte order mark (U+FEFF)",
            "save it as UTF-8 without BOM, or run glossary check --fix", (), 1,
        ))
    crlf = data.find(b"\r\n")
    if crlf >= 0:
        problems.append(Problem(
            "crlf", Level.ERROR, path, "Windows (CRLF) line endings",
            "save it with LF line endings, or run glossary check --fix",
            (), data.count(b"\n", 0, crlf) + 1,
        ))
    return problems


_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")
_KEY = re.compile(r"\s*([\w.\-\"']+)\s*=")

#: What to do about tomllib's commonest messages, in the words of someone editing a file.
_TOML_HINTS = (
    ("Illegal character '\\n'", "a line ends inside a quoted text: close the quote on the "
     "same line, or use \"\"\" for a text over several lines"),
    ("Invalid value", "text goes in double quotes (\"…\"); numbers, true/false, dates and "
     "[lists] do not"),
    ("Expected '=' after a key", "write key = value"),
    ("Cannot declare", "the same [table] is declared twice: merge the two"),
)
_TOML_HINT = "check quotes, brackets and '=' on that line"


#: Characters a word processor, a web page or a chat puts where TOML needs plain ones,
#: and what to type instead (the first one found on the line is named in the hint).
_LOOKALIKES = (
    ("\u201c\u201d\u201e\u201f\u2033", "a curly double quote",
     'TOML takes straight double quotes, "…" (autocorrect makes curly ones)'),
    ("\u2018\u2019\u201a\u201b\u2032", "a curly single quote",
     'TOML takes straight quotes, "…" (autocorrect makes curly ones)'),
    ("\u00a0\u2007\u202f\u3000", "a no-break space",
     "retype the spaces outside the quotes as plain spaces"),
    ("\uff1d", "a full-width equals sign", "type a plain ="),
)


def _toml_error(message: str, line_text: str) -> tuple[str, str]:
    """tomllib's message (its position taken out) and a hint, in plain words."""
    if message.startswith("Cannot overwrite a value"):
        key = _KEY.match(line_text)
        name = repr(key.group(1).strip("\"'")) if key else "a key"
        return (f"TOML syntax error: {name} is given twice in the same table",
                "keep one of them: each [[...]] block holds a key once")
    hint = next((h for start, h in _TOML_HINTS if message.startswith(start)), _TOML_HINT)
    for chars, name, fix in _LOOKALIKES:
        found = next((ch for ch in line_text if ch in chars), None)
        if found is not None:
            hint = f"the line has {name} (U+{ord(found):04X}): {fix}; {hint}"
            break
    return f"TOML syntax error: {message}", hint


def parse_toml(path: Path, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _TOML_POS.search(message)
        line = column = None
        if match:
            line, column = int(match.group(1)), int(match.group(2))
            message = _TOML_POS.sub("", message).strip()
        elif "end of document" in message:
            line = text.count("\n") + 1
        lines = text.split("\n")
        message, hint = _toml_error(message, lines[line - 1] if line and line <= len(lines)
                                    else "")
        raise SourceError(message, path=path, line=line, column=column, hint=hint) from exc


def _review(reader: Reader, table: dict[str, Any], keypath: KeyPath) -> Review:
    return Review(
        state=reader.choice(table, "review", keypath, ReviewState, ReviewState.DRAFT),
        origin=reader.plain(table, "origin", keypath) or "human",
        proposed_by=reader.plain(table, "proposed_by", keypath),
        proposed_on=reader.day(table, "proposed_on", keypath),
        approved_by=reader.plain(table, "approved_by", keypath),
        approved_on=reader.day(table, "approved_on", keypath),
        note=reader.string(table, "review_note", keypath),
        history=_history(reader, table, keypath),
    )


HISTORY_KEYS = frozenset({"state", "by", "on", "via", "note"})


def _history(reader: Reader, table: dict[str, Any], keypath: KeyPath) -> tuple[ReviewEvent, ...]:
    """``history = [{state = "approved", by = "…", on = 2026-12-02, via = "…"}, …]``."""
    raw = table.get("history")
    if raw is None:
        return ()
    if not isinstance(raw, list):
        reader.problem("wrong-type", (*keypath, "history"), "must be a list of tables")
        return ()
    events = []
    for i, item in enumerate(raw):
        path: KeyPath = (*keypath, "history", i)
        entry = reader.table(item, path, HISTORY_KEYS)
        state, by, via = (reader.plain(entry, k, path) for k in ("state", "by", "via"))
        on = reader.day(entry, "on", path)
        if state is None or by is None or on is None or via is None:
            reader.problem("missing-field", path, "a history entry needs state, by, on and via")
            continue
        events.append(ReviewEvent(state, by, on, via, reader.string(entry, "note", path)))
    return tuple(events)


def _ref(reader: Reader, value: Any, keypath: KeyPath) -> SourceRef | None:
    table = reader.table(value, keypath, REF_KEYS)
    doc = reader.plain(table, "doc", keypath)
    section = table.get("section")
    if isinstance(section, int) and not isinstance(section, bool):
        section = str(section)
    if section is not None and not isinstance(section, str):
        reader.problem("wrong-type", (*keypath, "section"), "must be a string")
        section = None
    if doc is None or section is None:
        missing = "doc" if doc is None else "section"
        if table:
            reader.problem("missing-field", (*keypath, missing), "required field is missing")
        return None
    return SourceRef(
        doc=doc,
        section=section,
        page=reader.integer(table, "page", keypath),
        note=reader.string(table, "note", keypath),
    )


def _lang(reader: Reader, data: dict[str, Any], code: str) -> LangSection:
    if code not in data:
        return LangSection()
    table = reader.table(data[code], (code,), LANG_KEYS)
    definition = None
    if "definition" in table:
        dpath: KeyPath = (code, "definition")
        dtable = table["definition"]
        if isinstance(dtable, str):
            reader.problem(
                "wrong-type", dpath, "must be a table with text and review",
                hint=f"write [{code}.definition] then text = \"...\"",
            )
            dtable = {}
        dtable = reader.table(dtable, dpath, DEFINITION_KEYS)
        text = reader.string(dtable, "text", dpath, required=True, lang=code)
        source = _ref(reader, dtable["source"], (*dpath, "source")) if "source" in dtable else None
        if text is not None:
            definition = Definition(text=text, source=source, review=_review(reader, dtable, dpath))
    terms: list[Term] = []
    for i, raw in enumerate(reader.tables(table, "terms", (code,))):
        tpath: KeyPath = (code, "terms", i)
        ttable = reader.table(raw, tpath, TERM_KEYS)
        if not ttable:
            continue
        dnt = reader.boolean(ttable, "dnt", tpath)
        text = reader.string(ttable, "text", tpath, required=True, lang=code, is_term=True, dnt=dnt)
        if "review" not in ttable:
            reader.problem(
                "missing-field", (*tpath, "review"), "required field is missing",
                hint='add review = "proposed" (or "draft")',
            )
        pos = reader.plain(ttable, "pos", tpath) or "noun"
        if text is None:
            continue
        terms.append(
            Term(
                text=text,
                admin_status=reader.choice(
                    ttable, "admin_status", tpath, AdminStatus, AdminStatus.PREFERRED
                ),
                type=reader.choice(ttable, "type", tpath, TermType, TermType.FULL_FORM),
                pos=pos,
                context=reader.string(ttable, "context", tpath, lang=code),
                dnt=dnt,
                note=reader.string(ttable, "note", tpath),
                review=_review(reader, ttable, tpath),
                rationale=reader.string(ttable, "rationale", tpath),
            )
        )
    return LangSection(definition=definition, terms=tuple(terms))


def concept_from_data(
    path: Path, data: dict[str, Any], fold_coeng_da: bool = True
) -> tuple[Concept | None, list[Problem], list[TextField]]:
    """Convert one parsed concept file into a Concept, collecting problems."""
    reader = Reader(path, fold_coeng_da)
    reader.table(data, (), CONCEPT_KEYS)
    concept_id = reader.plain(data, "id", ())
    if concept_id is None and "id" not in data:
        reader.problem("missing-field", ("id",), "required field is missing",
                       hint=f'add id = "{path.stem}"')
    if "domains" not in data:
        reader.problem("missing-field", ("domains",), "required field is missing",
                       hint="list at least one domain from terms/_domains.toml")
    sources: list[SourceRef] = []
    for i, raw in enumerate(reader.tables(data, "sources", ())):
        ref = _ref(reader, raw, ("sources", i))
        if ref is not None:
            sources.append(ref)
    examples: list[Example] = []
    for i, raw in enumerate(reader.tables(data, "examples", ())):
        epath: KeyPath = ("examples", i)
        etable = reader.table(raw, epath, EXAMPLE_KEYS)
        en = reader.string(etable, "en", epath, required=True, lang="en")
        km = reader.string(etable, "km", epath, required=True, lang="km")
        if en is not None and km is not None:
            examples.append(Example(en=en, km=km))
    if "en" not in data:
        reader.problem("missing-field", ("en",), "an English section is required",
                       hint="add [[en.terms]] with text and review")
    concept = Concept(
        id=concept_id or path.stem,
        domains=reader.strings(data, "domains", ()),
        sources=tuple(sources),
        see_also=reader.strings(data, "see_also", ()),
        notes=reader.strings(data, "notes", (), text=True),
        status=reader.choice(data, "status", (), ConceptStatus, ConceptStatus.ACTIVE),
        en=_lang(reader, data, "en"),
        km=_lang(reader, data, "km"),
        examples=tuple(examples),
        qa_context=reader.choice(data, "qa_context", (), QAContext, None),
    )
    return concept, reader.problems, reader.fields


UNREADABLE_CODES = frozenset({"unreadable", "encoding", "toml-syntax"})


def _unreadable(path: Path, exc: SourceError) -> Problem:
    """The problem of a file that cannot be read, decoded or parsed."""
    if exc.message.startswith("cannot read"):
        code = "unreadable"
    else:
        code = "toml-syntax" if exc.message.startswith("TOML") else "encoding"
    return Problem(code, Level.ERROR, path, exc.message, exc.hint, (), exc.line, exc.column)


def load_concept_file(path: Path, fold_coeng_da: bool = True) -> LoadedFile:
    layout: list[Problem] = []
    digest = ""
    try:
        raw = read_bytes(path)
        digest = hashlib.sha256(raw).hexdigest()
        layout = _layout_problems(path, raw)
        text = decode(path, raw)
        data = parse_toml(path, text)
    except SourceError as exc:
        return LoadedFile(path.parent, path.name, None, [*layout, _unreadable(path, exc)],
                          digest=digest)
    concept, problems, fields = concept_from_data(path, data, fold_coeng_da)
    return LoadedFile(path.parent, path.name, concept, layout + problems, fields, text, digest)


def is_concept_name(name: str) -> bool:
    """Whether a file of terms/ named ``name`` is a concept: ``*.toml``, but not the
    registry (``_sources.toml``, ``_domains.toml``) and not a hidden file, which no
    concept id can name: the ``._NAME.toml`` that macOS writes beside each file it copies
    to a USB stick or a shared folder, an editor's ``.#NAME.toml`` lock."""
    return name.endswith(".toml") and not name.startswith(("_", "."))


def concept_paths(terms_dir: Path) -> list[Path]:
    if not terms_dir.is_dir():
        raise ConfigError(
            f"terms directory not found: {terms_dir}",
            hint="run glossary from the project folder, or pass --terms DIR",
        )
    names = sorted(
        entry.name for entry in os.scandir(terms_dir)
        if is_concept_name(entry.name) and entry.is_file()
    )
    return [terms_dir / name for name in names]


def load_registry(
    terms_dir: Path,
) -> tuple[tuple[Document, ...], tuple[Domain, ...], list[Problem]]:
    problems: list[Problem] = []
    documents: list[Document] = []
    domains: list[Domain] = []
    for name in (SOURCES_FILE, DOMAINS_FILE):
        path = terms_dir / name
        if not path.is_file():
            problems.append(Problem(
                "missing-file", Level.ERROR, path, "registry file is missing",
                hint="see the README, section 'The terms/ format'",
            ))
            continue
        try:
            data = parse_toml(path, read_text(path))
        except SourceError as exc:
            problems.append(_unreadable(path, exc))
            continue
        reader = Reader(path)
        if name == SOURCES_FILE:
            reader.table(data, (), frozenset({"documents"}))
            for i, raw in enumerate(reader.tables(data, "documents", ())):
                kp: KeyPath = ("documents", i)
                table = reader.table(raw, kp, DOCUMENT_KEYS)
                doc_id = reader.plain(table, "id", kp)
                title = reader.string(table, "title", kp, required=True, lang="en")
                if doc_id is None:
                    reader.problem("missing-field", (*kp, "id"), "required field is missing")
                    continue
                sections: list[Section] = []
                for j, sraw in enumerate(reader.tables(table, "sections", kp)):
                    sp: KeyPath = (*kp, "sections", j)
                    stable = reader.table(sraw, sp, SECTION_KEYS)
                    sid = reader.plain(stable, "id", sp)
                    if sid is None:
                        reader.problem("missing-field", (*sp, "id"), "required field is missing")
                        continue
                    sections.append(Section(
                        id=sid,
                        title=reader.string(stable, "title", sp, required=True, lang="en") or sid,
                        title_km=reader.string(stable, "title_km", sp, lang="km"),
                        page=reader.integer(stable, "page", sp),
                    ))
                documents.append(Document(
                    id=doc_id,
                    short=reader.plain(table, "short", kp) or doc_id,
                    title=title or doc_id,
                    title_km=reader.string(table, "title_km", kp, lang="km"),
                    publisher=reader.plain(table, "publisher", kp),
                    year=reader.integer(table, "year", kp),
                    url=reader.plain(table, "url", kp),
                    edition=reader.plain(table, "edition", kp),
                    kind=reader.plain(table, "kind", kp) or "reference",
                    sections=tuple(sections),
                ))
        else:
            reader.table(data, (), frozenset({"domains"}))
            for i, raw in enumerate(reader.tables(data, "domains", ())):
                kp = ("domains", i)
                table = reader.table(raw, kp, DOMAIN_KEYS)
                dom_id = reader.plain(table, "id", kp)
                if dom_id is None:
                    reader.problem("missing-field", (*kp, "id"), "required field is missing")
                    continue
                domains.append(Domain(
                    id=dom_id,
                    en=reader.string(table, "en", kp, required=True, lang="en") or dom_id,
                    km=reader.string(table, "km", kp, lang="km"),
                ))
        problems.extend(reader.problems)
    return tuple(documents), tuple(domains), problems


def load_glossary(terms_dir: Path, fold_coeng_da: bool = True) -> LoadResult:
    """Read every concept file and the registry, without the parse cache (a folder that
    is not the project's, such as an old revision). Never raises for bad content: every
    problem is collected in the result."""
    documents, domains, registry_problems = load_registry(terms_dir)
    files = [load_concept_file(path, fold_coeng_da) for path in concept_paths(terms_dir)]
    return assemble(files, documents, domains, registry_problems)


def assemble(
    files: list[LoadedFile], documents: tuple[Document, ...], domains: tuple[Domain, ...],
    registry_problems: list[Problem], *, newest_review: date | None = None,
    newest_known: bool = False,
) -> LoadResult:
    """The LoadResult of files read (in ``concept_paths`` order) and the registry
    (``newest_known``: the caller worked out the files' ``newest_review``)."""
    concepts = tuple(sorted((f.concept for f in files if f.concept is not None),
                            key=attrgetter("id")))
    problems = list(registry_problems)
    for loaded in files:
        problems.extend(loaded.problems)
    glossary = (Glossary.read(concepts, documents, domains, newest_review) if newest_known
                else Glossary(concepts=concepts, documents=documents, domains=domains))
    return LoadResult(glossary, files, problems, list(registry_problems))

