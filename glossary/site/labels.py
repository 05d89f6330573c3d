"""Interface labels for values of the model (status, review state, term type…).

Marked with ``N_`` so that ``pybabel extract`` (mapping in ``locale/babel.cfg``) puts
them in ``ui.pot``; the templates translate them with ``_()`` when a page is rendered.
"""

from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark only"
    return message


#: kind -> value -> its untranslated label (a template shows ``T.review["approved"]``)
LABELS = {
    "admin": {
        "preferred": N_("preferred"),
        "admitted": N_("admitted"),
        "deprecated": N_("deprecated"),
        "superseded": N_("superseded"),
    },
    "review": {
        "draft": N_("draft"),
        "proposed": N_("proposed"),
        "approved": N_("approved"),
        "rejected": N_("rejected"),
    },
    "type": {
        "fullForm": N_("full form"),
        "acronym": N_("acronym"),
        "abbreviation": N_("abbreviation"),
        "shortForm": N_("short form"),
        "variant": N_("variant"),
        "phrase": N_("phrase"),
    },
    "pos": {
        "noun": N_("noun"),
        "verb": N_("verb"),
        "adjective": N_("adjective"),
        "adverb": N_("adverb"),
        "other": N_("other"),
    },
    "origin": {
        "human": N_("human"),
        "machine-assisted": N_("machine-assisted"),
    },
    "language": {
        "en": N_("English"),
        "km": N_("Khmer"),
    },
}
