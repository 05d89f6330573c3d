"""Checks over a loaded glossary. Each check is a small function yielding Problems.

:func:`file_problems` runs those of one file, :func:`cross_file_problems` those that
span files; the loader reports them all at once, sorted by file and line
(:func:`sort_problems`), rather than one error per run.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

from glossary import khmer, unsafe
from glossary.model import (
    PARTS_OF_SPEECH,
    AdminStatus,
    Concept,
    ConceptStatus,
    Glossary,
    Review,
    ReviewState,
    SourceRef,
    origin_is_valid,
)
from glossary.problems import KeyPath, Level, Problem
from glossary.source import LoadedFile
from glossary.source.lines import resolve_lines

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_ID_LENGTH = 80
_PREFERRED = AdminStatus.PREFERRED
_REJECTED = ReviewState.REJECTED
RESERVED_IDS = frozenset(
    {
        "index", "search", "print", "changes", "documents", "document", "about", "concepts",
        "static", "assets", "en", "km", "glossary", "con", "prn", "aux", "nul",
        *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10)),
    }
)


def id_problem(concept_id: str) -> str | None:
    """Why ``concept_id`` is not a safe slug, or None when it is."""
    if not concept_id:
        return "is empty"
    if "/" in concept_id or "\\" in concept_id or ".." in concept_id:
        return "contains a path separator or '..'"
    if len(concept_id) > MAX_ID_LENGTH:
        return f"is longer than {MAX_ID_LENGTH} characters"
    if not SLUG.match(concept_id):
        return "must be lowercase ASCII letters and digits joined by single hyphens"
    if concept_id in RESERVED_IDS:
        return "is a reserved name"
    return None


Check = Callable[[LoadedFile, Glossary], Iterator[Problem]]


def _p(
    loaded: LoadedFile, code: str, keypath: KeyPath, message: str, hint: str | None = None,
    level: Level = Level.ERROR,
) -> Problem:
    return Problem(code, level, loaded.path, message, hint, keypath)


def check_id(loaded: LoadedFile, glossary: Glossary) -> Iterator[Problem]:
    concept = loaded.concept
    assert concept is not None
    why = id_problem(concept.id)
    if why:
        yield _p(loaded, "unsafe-id", ("id",), f"{concept.id!r} {why}",
                 "use a slug such as 'training-data'")
    elif concept.id != loaded.path.stem:
        yield _p(loaded, "id-mismatch", ("id",),
                 f"id {concept.id!r} differs from the file name {loaded.path.name!r}",
                 f"rename the file to {concept.id}.toml or set id = \"{loaded.path.stem}\"")


def check_domains(loaded: LoadedFile, glossary: Glossary) -> Iterator[Problem]:
    concept = loaded.concept
    assert concept is not None
    known = {d.id for d in glossary.domains}
    if not concept.domains:
        yield _p(loaded, "no-domain", ("domains",), "no domain given",
                 "add one from terms/_domains.toml", Level.WARNING)
    for i, domain in enumerate(concept.domains):
        if known and domain not in known:
            yield _p(loaded, "unknown-domain", ("domains", i), f"unknown domain {domain!r}",
                     "see terms/_domains.toml for the list")


def _check_ref(
    loaded: LoadedFile, glossary: Glossary, ref: SourceRef, keypath: KeyPath
) -> Iterator[Problem]:
    doc = glossary.document(ref.doc)
    if doc is None:
        ids = ", ".join(d.id for d in glossary.documents)
        yield _p(loaded, "unknown-document", (*keypath, "doc"), f"unknown document {ref.doc!r}",
                 f"registered: {ids}" if ids else "register it in terms/_sources.toml")
    elif doc.section(ref.section) is None:
        yield _p(loaded, "unknown-section", (*keypath, "section"),
                 f"document {ref.doc!r} has no section {ref.section!r}",
                 "sections: " + ", ".join(s.id for s in doc.sections))


def check_sources(loaded: LoadedFile, glossary: Glossary) -> Iterator[Problem]:
    concept = loaded.concept
    assert concept is not None
    if not concept.sources and concept.status is ConceptStatus.ACTIVE:
        yield _p(loaded, "no-source", ("sources",), "no source reference",
                 "add [[sources]] with doc and section", Level.WARNING)
    for i, ref in enumerate(concept.sources):
        yield from _check_ref(loaded, glossary, ref, ("sources", i))
    for lang in ("en", "km"):
        definition = concept.lang(lang).definition
        if definition is not None and definition.source is not None:
            yield from _check_ref(loaded, glossary, definition.source,
                                  (lang, "definition", "source"))


def check_see_also(loaded: LoadedFile, glossary: Glossary,
                   unreadable: frozenset[str] = frozenset()) -> Iterator[Problem]:
    """Self references and unknown see-also targets. ``unreadable``: the ids (file
    names) of concept files that could not be read, whose own error is reported: a
    see-also naming one of them is not a second error."""
    concept = loaded.concept
    assert concept is not None
    for i, other in enumerate(concept.see_also):
        if other == concept.id:
            yield _p(loaded, "self-reference", ("see_also", i), "a concept cannot see itself",
                     "remove it", Level.WARNING)
        elif glossary.concept(other) is None and other not in unreadable:
            yield _p(loaded, "unknown-see-also", ("see_also", i),
                     f"no concept with id {other!r}", "check the id, or create the concept")


def _approve_command(loaded: LoadedFile, keypath: KeyPath) -> str:
    """The ``glossary review approve`` command for the term or definition at ``keypath``
    (``("km", "terms", 1)``, ``("en", "definition")``)."""
    concept = loaded.concept
    parts = ["glossary review approve", concept.id if concept is not None else "ID"]
    lang = keypath[0] if keypath else "km"
    if len(keypath) > 1 and keypath[1] == "definition":
        parts.append("--definition")
    elif len(keypath) > 2 and keypath[2]:
        parts.append(f"--term {keypath[2]}")
    if lang != "km":
        parts.append(f"--lang {lang}")
    return " ".join([*parts, "--by NAME"])


def _check_review(loaded: LoadedFile, review: Review, keypath: KeyPath) -> Iterator[Problem]:
    if review.state is ReviewState.APPROVED and not (review.approved_by and review.approved_on):
        missing = " and ".join(
            name for name, value in (("approved_by", review.approved_by),
                                     ("approved_on", review.approved_on)) if not value
        )
        yield _p(loaded, "approved-without-reviewer", (*keypath, "review"),
                 f"approved but {missing} {'are' if ' and ' in missing else 'is'} missing",
                 "only a named reviewer approves: set review back to proposed and run "
                 f"`{_approve_command(loaded, keypath)}`")
    elif review.self_approved:
        yield _p(loaded, "approved-by-proposer", (*keypath, "approved_by"),
                 f"approved by its own proposer ({review.approved_by}): nobody else has "
                 "reviewed it",
                 "a second person decides on a proposal: set review back to proposed and "
                 f"let another reviewer run `{_approve_command(loaded, keypath)}`")
    if not origin_is_valid(review.origin):
        yield _p(loaded, "bad-value", (*keypath, "origin"), f"{review.origin!r} is not allowed",
                 "use human, machine-assisted or imported:<file>")


def check_reviews(loaded: LoadedFile, glossary: Glossary) -> Iterator[Problem]:
    concept = loaded.concept
    assert concept is not None
    for lang in ("en", "km"):
        section = concept.lang(lang)
        if section.definition is not None:
            yield from _check_review(loaded, section.definition.review, (lang, "definition"))
        for i, term in enumerate(section.terms):
            yield from _check_review(loaded, term.review, (lang, "terms", i))
            if term.pos not in PARTS_OF_SPEECH:
                yield _p(loaded, "bad-value", (lang, "terms", i, "pos"),
                         f"{term.pos!r} is not allowed", "use " + ", ".join(PARTS_OF_SPEECH))


def check_completeness(loaded: LoadedFile, glossary: Glossary) -> Iterator[Problem]:
    concept = loaded.concept
    assert concept is not None
    if concept.status is ConceptStatus.RETIRED:
        return
    if not concept.en.terms:
        yield _p(loaded, "no-term", ("en", "terms"), "no English term",
                 "add [[en.terms]] with text and review")
    if concept.en.definition is None:
        yield _p(loaded, "no-definition", ("en",), "no English definition",
                 "add [en.definition] with text", Level.WARNING)
    if not concept.km.terms:
        yield _p(loaded, "no-khmer", ("km",), "no Khmer term yet",
                 "add [[km.terms]] with a proposal", Level.WARNING)
    for lang in ("en", "km"):
        section = concept.lang(lang)
        if len(section.terms) < 2:
            continue  # nothing to repeat
        seen: dict[str, int] = {}
        for i, term in enumerate(section.terms):
            key = khmer.search_key_normalized(term.text)
            if key in seen:
                # English terms identify a concept's entries in exports (TBX, CSV,
                # XLSX, PO msgid): a repeated one can never round-trip (an import
                # would report it "changed" forever), so it is an error there.
                yield _p(loaded, "duplicate-term", (lang, "terms", i, "text"),
                         f"same text as {lang}.terms[{seen[key]}]"
                         + (" (an English term must appear once in a concept)"
                            if lang == "en" else ""),
                         f"merge the two [[{lang}.terms]] entries into one (keep one "
                         "review, note and source list) and delete the other",
                         Level.ERROR if lang == "en" else Level.WARNING)
            seen.setdefault(key, i)


def check_text(loaded: LoadedFile, glossary: Glossary) -> Iterator[Problem]:
    """Khmer-specific checks on every text field, as typed."""
    for f in loaded.fields:
        raw, kp = f.raw, f.keypath
        control = _CONTROL.search(f.value) if not f.is_term else _TERM_CONTROL.search(f.value)
        if control:
            yield _p(loaded, "control-char", kp,
                     f"contains the control character U+{ord(control.group()):04X}",
                     "remove it" + ("; a term is one line" if f.is_term else ""))
        odd = None if raw.isascii() else unsafe.check_warning(f.value)
        if odd is not None:
            yield _p(loaded, "unsafe-char", kp, f"contains {unsafe.name(odd)}",
                     "remove it: PO, TBX and XLSX exports cannot carry it as it is",
                     Level.WARNING)
        if f.is_term and ("<" in raw or ";" in raw or "|" in raw):
            yield from _not_one_term(loaded, f.value, kp, f.lang)
        if raw.isascii() and f.lang != "km":
            continue  # nothing below can apply to plain ASCII outside a Khmer field
        if f.value != raw and raw.replace("\ufeff", "") != f.value.replace("\ufeff", ""):
            yield _p(loaded, "not-normalized", kp,
                     "Khmer text is not in normalized order",
                     f"write it as {f.value!r}; glossary check --fix does", Level.WARNING)
        if "\ufeff" in raw:
            yield _p(loaded, "invisible-char", kp, "contains U+FEFF BYTE ORDER MARK",
                     "remove it; glossary check --fix does")
        if f.lang == "km" and not f.dnt and raw.strip():
            if not khmer.has_khmer(raw):
                level = Level.ERROR if khmer.has_latin_letters(raw) else Level.WARNING
                yield _p(loaded, "no-khmer-letters", kp,
                         f"Khmer field has no Khmer letters: {raw!r}",
                         "legacy (Limon) font text? retype it in Unicode Khmer, or set dnt = true",
                         level)
            elif f.is_term and khmer.has_latin_letters(raw):
                yield _p(loaded, "latin-in-khmer", kp, "Khmer term contains Latin letters",
                         "set dnt = true if the term stays in English", Level.WARNING)
        for at in khmer.marks_without_base(f.value)[:1]:
            yield _p(loaded, "mark-without-base", kp,
                     f"{khmer.char_name(f.value[at])} follows no consonant "
                     f"(at character {at + 1})",
                     "type the consonant first, then its vowel or sign (ខ្មែរ, not ែខ្មរ)",
                     Level.WARNING)
        suspect = khmer.CHECK_PREFILTER.search(raw) is not None or (
            f.value != raw and khmer.CHECK_PREFILTER.search(f.value) is not None
        )
        if f.is_term and suspect:
            for _, ch in khmer.invisible_chars(f.value):
                if ch == "\ufeff":
                    continue
                yield _p(loaded, "invisible-char", kp,
                         f"contains {khmer.char_name(ch)}",
                         "remove it; glossary check --fix does")
        if suspect and khmer.has_khmer(raw):
            for _, ch in khmer.deprecated_chars(raw):
                yield _p(loaded, "deprecated-char", kp,
                         f"contains deprecated {khmer.char_name(ch)}",
                         f"write it as {f.value!r}" if f.value != raw else "retype it",
                         Level.WARNING)
            if khmer.duplicate_vowels(f.value):
                yield _p(loaded, "duplicate-vowel", kp, "a vowel sign is typed twice",
                         "delete the repeated vowel", Level.WARNING)
            if khmer.mixed_digits(f.value):
                yield _p(loaded, "mixed-digits", kp, "mixes Khmer and ASCII digits",
                         "use one kind of digit", Level.WARNING)


def _not_one_term(loaded: LoadedFile, text: str, kp: KeyPath,
                  lang: str | None) -> Iterator[Problem]:
    """A term that holds markup, or several terms in one text ("ភាពរឹងមាំ; ភាពធន់", as a
    translator may type alternatives into one PO entry): every export would carry it as
    one designation (one TBX term, one msgstr)."""
    markup = _MARKUP.search(text)
    if markup:
        yield _p(loaded, "markup-in-term", kp, f"contains markup {markup.group()!r}",
                 "remove it: a term is plain text", Level.WARNING)
    parts = [part.strip() for part in _SEPARATOR.split(text) if part.strip()]
    if len(parts) > 1:
        yield _p(loaded, "several-terms", kp,
                 f"holds {len(parts)} terms in one: " + ", ".join(repr(p) for p in parts),
                 f"give each its own [[{lang or 'km'}.terms]] entry (an alternative is "
                 "admitted or deprecated, with its own review)", Level.WARNING)


_MARKUP = re.compile(r"<[A-Za-z/!][^<>]*>")
_SEPARATOR = re.compile(r"[;|]")

#: A file that may hold a character XML cannot (or a TOML escape that makes one).
_MAY_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|\\\\[uUbfe]")
_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def check_xml_chars(loaded: LoadedFile, glossary: Glossary) -> Iterator[Problem]:
    """A character XML cannot hold in a value :func:`check_text` does not read (a
    name, a part of speech, a source's document): TBX and XLSX exports refuse it
    (:func:`glossary.exporting.refuse_unsafe` looks only at concepts with a
    ``control-char`` or ``unsafe-char`` problem, so every such character must have one)."""
    if loaded.text is not None and _MAY_NOT_XML.search(loaded.text) is None:
        return  # the usual file: nothing to walk
    concept = loaded.concept
    assert concept is not None
    checked = {f.value for f in loaded.fields} | {f.raw for f in loaded.fields}
    for path, text in unsafe.strings(concept):
        char = unsafe.not_xml(text)
        if char is not None and text not in checked:
            keypath = tuple(int(index) if index else name
                            for name, index in _PATH_PART.findall(path))
            yield _p(loaded, "unsafe-char", keypath, f"{path} contains {unsafe.name(char)}",
                     "remove it: TBX and XLSX (XML) exports cannot carry it", Level.WARNING)
            return


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_TERM_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


#: Checks that need one file and the registry (documents, domains) only.
LOCAL_CHECKS: tuple[Check, ...] = (
    check_id, check_domains, check_sources, check_reviews, check_completeness, check_text,
    check_xml_chars,
)


def check_duplicates(files: list[LoadedFile]) -> Iterator[Problem]:
    ids = [loaded.concept.id for loaded in files if loaded.concept is not None]
    if len(set(ids)) == len(ids):  # the usual case, answered at C speed
        return
    by_id: dict[str, list[LoadedFile]] = defaultdict(list)
    for loaded in files:
        if loaded.concept is not None:
            by_id[loaded.concept.id].append(loaded)
    for concept_id, group in sorted(i for i in by_id.items() if len(i[1]) > 1):
        for loaded in group[1:]:
            yield _p(loaded, "duplicate-id", ("id",),
                     f"id {concept_id!r} is also used by {group[0].path.name}",
                     "ids are unique and never reused: pick another")


def _preferred_key(concept: Concept) -> str | None:
    """The casefolded English preferred term (:attr:`LangSection.preferred`), the first
    term's without the property call when it is the preferred one (most concepts)."""
    terms = concept.en.terms
    if not terms:
        return None
    first = terms[0]
    if first.admin_status is _PREFERRED and first.review.state is not _REJECTED:
        return first.text.casefold()
    preferred = concept.en.preferred
    return None if preferred is None else preferred.text.casefold()


def check_same_preferred(files: list[LoadedFile]) -> Iterator[Problem]:
    retired = ConceptStatus.RETIRED
    keyed = [(key, loaded) for loaded in files
             if (concept := loaded.concept) is not None and concept.status is not retired
             and (key := _preferred_key(concept)) is not None]
    if len({key for key, _ in keyed}) == len(keyed):  # no two alike: nothing to group
        return
    by_term: dict[str, list[tuple[LoadedFile, Concept]]] = defaultdict(list)
    for key, loaded in keyed:
        assert loaded.concept is not None
        by_term[key].append((loaded, loaded.concept))
    for text, group in sorted((i for i in by_term.items() if len(i[1]) > 1),
                              key=lambda item: item[0]):
        ids = [c.id for _, c in group]
        for loaded, concept in group:
            if not concept.notes:
                others = [i for i in ids if i != concept.id]
                shown = ", ".join(others[:5]) + (f" and {len(others) - 5} more"
                                                 if len(others) > 5 else "")
                yield _p(loaded, "homonym", ("en", "terms", 0, "text"),
                         f"English preferred term {text!r} is also used by {shown}",
                         "add a note that tells the concepts apart")


def file_problems(loaded: LoadedFile, glossary: Glossary) -> list[Problem]:
    """What reading one file found, and the :data:`LOCAL_CHECKS` (of ``glossary``
    they use only the registry), with lines resolved."""
    problems = list(loaded.problems)
    if loaded.concept is not None:
        for check in LOCAL_CHECKS:
            problems.extend(check(loaded, glossary))
    if not problems:
        return problems
    texts = {loaded.path: loaded.text} if loaded.text is not None else {}
    return list(resolve_lines(problems, texts))


def cross_file_problems(files: list[LoadedFile], glossary: Glossary) -> list[Problem]:
    """The checks that need every file: see-also targets, duplicate ids, homonyms."""
    problems: list[Problem] = []
    known = set(glossary.ids)
    unreadable = frozenset(f.name.removesuffix(".toml") for f in files if f.concept is None)
    for loaded in files:  # a see-also list naming the concept itself or an unknown id
        concept = loaded.concept
        if concept is not None and concept.see_also and (
                concept.id in concept.see_also or not known.issuperset(concept.see_also)):
            problems.extend(check_see_also(loaded, glossary, unreadable))
    problems.extend(check_duplicates(files))
    problems.extend(check_same_preferred(files))
    if not problems:
        return problems
    texts: dict[Path, str] = {f.path: f.text for f in files if f.text is not None}
    return list(resolve_lines(problems, texts))


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """File and line order; a total order, so the result never depends on the order
    in which the problems were found."""
    return sorted(problems, key=lambda p: (
        str(p.path), p.line or 0, p.code, p.message, p.column or 0, repr(p.keypath),
        p.hint or "", p.level.value,
    ))


def has_errors(problems: list[Problem], strict: bool = False) -> bool:
    return any(p.level is Level.ERROR or strict for p in problems)
