"""Interface labels for values of the model (status, review state, term type…).

Marked with ``N_`` so that ``pybabel extract`` (mapping in ``locale/babel.cfg``) puts
them in ``ui.pot``; the templates translate them with ``_()`` when a page is rendered.
"""

from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark only"
    return message


ADMIN_STATUS = {
    "preferred": N_("preferred"),
    "admitted": N_("admitted"),
    "deprecated": N_("deprecated"),
    "superseded": N_("superseded"),
}

REVIEW_STATE = {
    "draft": N_("draft"),
    "proposed": N_("proposed"),
    "approved": N_("approved"),
    "rejected": N_("rejected"),
}

TERM_TYPE = {
    "fullForm": N_("full form"),
    "acronym": N_("acronym"),
    "abbreviation": N_("abbreviation"),
    "shortForm": N_("short form"),
    "variant": N_("variant"),
    "phrase": N_("phrase"),
}

PART_OF_SPEECH = {
    "noun": N_("noun"),
    "verb": N_("verb"),
    "adjective": N_("adjective"),
    "adverb": N_("adverb"),
    "other": N_("other"),
}

ORIGIN = {
    "human": N_("human"),
    "machine-assisted": N_("machine-assisted"),
}

LANGUAGE = {
    "en": N_("English"),
    "km": N_("Khmer"),
}

LABELS = {
    "admin": ADMIN_STATUS,
    "review": REVIEW_STATE,
    "type": TERM_TYPE,
    "pos": PART_OF_SPEECH,
    "origin": ORIGIN,
    "language": LANGUAGE,
}


def label(kind: str, value: str) -> str:
    """The untranslated label of ``value``; unknown values (e.g. ``imported:file.po``)
    are shown as they are."""
    return LABELS[kind].get(value, value)
