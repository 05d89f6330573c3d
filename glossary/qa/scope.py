"""What QA checks in a PO entry: the parts of a msgid that are words, and which glossary
hits count there.

* :func:`mask` blanks what is not prose before English terms are looked up: printf,
  Python and shell placeholders (``%s``, ``%1$d``, ``%(name)s``, ``{name}``, ``$HOME``,
  ``${VAR}``), command-line option names (``--update-profile``, ``--assert-<feature>``,
  ``-c``), markup (``<b>``, ``</big>``) and entities (``&amp;``). Offsets are kept (each
  masked character becomes ``|``), so a finding still points at the original text, and
  no multi-word term matches across a masked span.
* :class:`Scope` decides which English hits count: concepts outside ``--domain`` never;
  the terms of a concept marked ``qa_context = "ai"`` (a general word: prompt, label,
  feature, security …) and acronyms (IP, DL, ML …) only in *AI context* — when the same
  msgid mentions a term that is not so limited (or the run says the whole file is about
  AI, ``--ai-context``). A term that says AI (``AI model``, ``AI security``, ``GenAI``)
  is never limited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from glossary.model import Concept, QAContext, TermType

__all__ = ["CheckOptions", "Scope", "mask"]

_MASKS = re.compile(
    r"%\([^)\s]{1,40}\)[-#0 +]*\d*(?:\.\d+)?[A-Za-z]"  # Python %(name)s
    r"|%(?:\d+\$)?[-+ #0']*(?:\d+|\*)?(?:\.(?:\d+|\*))?"
    r"(?:hh|h|ll|l|L|q|j|z|t|I64|I32|I)?[A-Za-z%@]"  # printf %s %1$d %lld %-5.2f %@
    r"|\{[A-Za-z0-9_.\[\]:!<>^+\- ]{0,40}\}"  # Python/ICU {name} {0} {count:>3}
    r"|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?"  # shell $VAR ${VAR}
    r"|(?<![\w-])--?[A-Za-z0-9](?:[\w-]|<[^<>\s]{1,40}>)*"  # --option-name, --assert-<x>
    r"|</?[A-Za-z][^<>]{0,200}>"  # markup
    r"|&(?:#\d+|#x[0-9A-Fa-f]+|[A-Za-z]+);"  # entities
    r"|<[^<>\s]{1,40}>"  # <placeholder>
)


def mask(text: str) -> str:
    """``text`` with placeholders, options and markup replaced by ``|`` characters."""
    if "%" not in text and "{" not in text and "$" not in text and "-" not in text \
            and "<" not in text and "&" not in text:
        return text
    return _MASKS.sub(lambda m: "|" * len(m.group()), text)


@dataclass(frozen=True)
class CheckOptions:
    """``glossary qa``'s choices: fuzzy PO entries (skipped unless ``include_fuzzy``),
    the domains to check (empty: all) and whether every entry is in AI context."""

    include_fuzzy: bool = False
    domains: tuple[str, ...] = ()
    ai_context: bool = False


_SAYS_AI = re.compile(r"AI|\bartificial intelligence\b", re.I)


@dataclass(frozen=True)
class Scope:
    options: CheckOptions
    concepts: dict[str, Concept]

    def in_domain(self, concept_id: str) -> bool:
        if not self.options.domains:
            return True
        concept = self.concepts.get(concept_id)
        return concept is not None and any(d in self.options.domains for d in concept.domains)

    def limited(self, concept_id: str, term_text: str, term_type: TermType) -> bool:
        """Whether a hit of this English term counts only in AI context."""
        concept = self.concepts.get(concept_id)
        flagged = concept is not None and concept.qa_context is QAContext.AI
        acronym = term_type in (TermType.ACRONYM, TermType.ABBREVIATION)
        # "AI model", "AI security", "GenAI": a term that says AI is never limited
        return (flagged or acronym) and _SAYS_AI.search(term_text) is None
