"""What the TBX reader and writer share: names, the administrative-status values, ids."""

from __future__ import annotations

from glossary.model import AdminStatus, TermType

NS = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
GENERATOR = "glossary"

ADMIN_STATUS = {
    AdminStatus.PREFERRED: "preferredTerm-admn-sts",
    AdminStatus.ADMITTED: "admittedTerm-admn-sts",
    AdminStatus.DEPRECATED: "deprecatedTerm-admn-sts",
    AdminStatus.SUPERSEDED: "supersededTerm-admn-sts",
}
# administrativeStatus as TBX (v2 and v3), TBX-Min (usageStatus: our own values and
# these two) and other tools write it; looked up case-insensitively (see :func:`admin_status`)
ADMIN_IN = ({v: k for k, v in ADMIN_STATUS.items()} | {s.value: s for s in AdminStatus}
            | {
                "notRecommended": AdminStatus.DEPRECATED, "obsolete": AdminStatus.SUPERSEDED,
                "obsoleteTerm-admn-sts": AdminStatus.SUPERSEDED,
                "notRecommendedTerm-admn-sts": AdminStatus.DEPRECATED,
                "standardizedTerm-admn-sts": AdminStatus.PREFERRED,
                "forbidden": AdminStatus.DEPRECATED,
            })
_ADMIN_FOLDED = {k.casefold(): v for k, v in ADMIN_IN.items()}


def admin_status(value: str) -> AdminStatus | None:
    """The administrative status a TBX value means, whatever its case; None if unknown."""
    value = value.strip()
    return ADMIN_IN.get(value) or _ADMIN_FOLDED.get(value.casefold())


# "Translation needed: no" and its kin: the ways files say a term stays as it is (dnt)
DNT_NOTE = "translation needed: no"  # what the writer adds to a dnt term (any tool reads it)
_DNT_NOTES = frozenset({DNT_NOTE, "translation needed: false", "do not translate",
                        "donottranslate", "not translatable", "translatable: no"})
_YES = frozenset({"yes", "true", "1", "y"})
_NO = frozenset({"no", "false", "0", "n"})


def dnt_of(category: str, value: str) -> bool | None:
    """Whether a data category and its value say "do not translate"; None when the
    category is not about translation or the value is unclear."""
    cat = category.replace(" ", "").replace("-", "").replace("_", "").casefold()
    answer = value.strip().casefold()
    if cat in ("donottranslate", "dnt"):
        return True if answer in _YES else False if answer in _NO else None
    if cat in ("translationneeded", "translatable", "translate"):
        return False if answer in _YES else True if answer in _NO else None
    return None


def is_dnt_note(text: str) -> bool:
    """A free note that only says "do not translate" (read as dnt, not kept as a note)."""
    return " ".join(text.split()).rstrip(".").casefold() in _DNT_NOTES
TYPE_IN = {t.value: t for t in TermType} | {
    "entryTerm": TermType.FULL_FORM, "mainEntryTerm": TermType.FULL_FORM,
    "synonym": TermType.VARIANT, "initialism": TermType.ACRONYM,
    "abbreviatedForm": TermType.ABBREVIATION, "clippedTerm": TermType.SHORT_FORM,
    "phraseologicalUnit": TermType.PHRASE, "setPhrase": TermType.PHRASE,
}
POS_IN = {"propernoun": "noun", "noun phrase": "noun"}

RATIONALE_PREFIX = "Rationale: "  # a termSec note: why this term (Term.rationale)
EXAMPLE_MARK = "glossary:example"  # the note in a descripGrp of a concept's example
EXAMPLE_NOTE = {"en": "glossary:example-en=", "km": "glossary:example-km="}

# A Khmer term that is not approved is written ``admittedTerm`` (a CAT tool takes
# ``preferredTerm`` as "use this"), with this note so that our own reader restores it.
DEMOTED_NOTE = "glossary:admin=preferred"
# The review state in words, in a plain <note> any TBX reader shows (TBX-Basic has no
# data category for it); our reader takes it as known and skips it.
REVIEW_NOTE_PREFIX = "Review: "


def review_words(state: str, approved_by: str | None, approved_on: str | None) -> str:
    """``Review: approved by Sok Dara on 2026-01-31`` / ``Review: proposed (not approved
    yet)``: the note every exported term carries."""
    if state == "approved":
        by = f" by {approved_by}" if approved_by else ""
        on = f" on {approved_on}" if approved_on else ""
        return f"{REVIEW_NOTE_PREFIX}approved{by}{on}"
    return f"{REVIEW_NOTE_PREFIX}{state} (not approved yet)"


def xml_id(concept_id: str) -> str:
    """An id that is an XML NCName: ids starting with a digit get a leading ``_``."""
    return f"_{concept_id}" if concept_id[:1].isdigit() else concept_id


def concept_id(value: str) -> str:
    """The concept id of an exported ``conceptEntry/@id`` (undoes :func:`xml_id`)."""
    return value[1:] if value.startswith("_") and value[1:2].isdigit() else value


# elements whose data category is their ``type`` attribute (DCA style); any other
# element's category is its local name (DCT style)
TYPED = frozenset({"descrip", "admin", "termNote", "ref", "xref", "transac", "transacNote",
                   "adminNote", "descripNote"})
