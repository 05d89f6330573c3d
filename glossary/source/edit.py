"""Edit concept files in place, keeping their comments and layout (the tomlkit half of
:mod:`glossary.source`, which reads with the faster tomli).

A :class:`ConceptEditor` loads one ``terms/<id>.toml`` as a tomlkit document; its methods
set a term's review fields, replace a term's text, or append a new term table; ``save``
writes the file atomically (:func:`glossary.output.write_text`). Every text written is
normalized with :func:`glossary.khmer.normalize` first. Nothing here decides *whether*
a change is allowed: that is :mod:`glossary.review`'s job.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from glossary import khmer, output, source
from glossary.errors import ReviewError, SourceError
from glossary.model import ReviewEvent

REVIEW_FIELDS = ("review", "origin", "proposed_by", "proposed_on", "approved_by",
                 "approved_on", "review_note")
# The order of the keys of a new term table, as the README's example writes them.
TERM_FIELD_ORDER = ("text", "admin_status", "type", "pos", "context", "dnt", "note",
                    *REVIEW_FIELDS)


class ConceptEditor:
    """One concept file, open for editing."""

    def __init__(self, path: Path, *, fold_coeng_da: bool = True) -> None:
        import tomlkit
        from tomlkit.exceptions import ParseError

        self.path = path
        self.fold = fold_coeng_da
        self.original = source.read_text(path)
        try:
            self.doc = tomlkit.parse(self.original)
        except ParseError as exc:
            raise SourceError(f"TOML syntax error: {exc}", path=path,
                              line=getattr(exc, "line", None),
                              hint="run glossary check") from None

    # ------------------------------------------------------------------ access

    def terms(self, lang: str) -> Any:
        """The array of term tables of ``lang`` (an empty list when there is none)."""
        section = self.doc.get(lang)
        if section is None or "terms" not in section:
            return []
        return section["terms"]

    def term(self, lang: str, index: int) -> Any:
        terms = self.terms(lang)
        if not 0 <= index < len(terms):
            raise ReviewError(
                f"{lang}.terms has no term {index} (it has {len(terms)})", path=self.path,
                hint=f"choose --term 0…{max(len(terms) - 1, 0)}" if terms else
                f"add a [[{lang}.terms]] table first",
            )
        return terms[index]

    def definition(self, lang: str) -> Any:
        """The ``[lang.definition]`` table."""
        section = self.doc.get(lang)
        if section is None or "definition" not in section:
            raise ReviewError(f"{lang} has no definition", path=self.path,
                              hint=f"add a [{lang}.definition] table with its text first")
        return section["definition"]

    def entry(self, lang: str, index: int | None) -> Any:
        """The table a review decision is about: term ``index`` of ``lang``, or its
        definition (``index`` None)."""
        return self.definition(lang) if index is None else self.term(lang, index)

    def term_text(self, lang: str, index: int | None) -> str:
        return str(self.entry(lang, index).get("text", ""))

    # ------------------------------------------------------------------ changes

    def _normalize(self, value: Any) -> Any:
        if isinstance(value, str):
            return khmer.normalize(value, fold_coeng_da=self.fold)
        return value

    def set_fields(self, lang: str, index: int | None, **fields: Any) -> None:
        """Set (value) or remove (``None``) fields of one term (``index`` None: of the
        definition), keeping the others."""
        table = self.entry(lang, index)
        for name, value in fields.items():
            if value is None:
                if name in table:
                    del table[name]
            else:
                table[name] = self._normalize(value)

    def set_review(self, lang: str, index: int | None, *, state: str, by: str, on: date,
                   note: str | None) -> None:
        """Record a review decision on one term (``index`` None: the definition)."""
        fields: dict[str, Any] = {"review": state}
        if state == "approved":
            fields.update(approved_by=by, approved_on=on)
        if note is not None:
            fields["review_note"] = note
        self.set_fields(lang, index, **fields)

    def add_history(self, lang: str, index: int | None, event: ReviewEvent) -> None:
        """Append one decision to a term's (or the definition's) ``history`` (who, when,
        from what)."""
        from glossary.source.new import history_entry

        table = self.entry(lang, index)
        if "history" not in table:
            import tomlkit

            table["history"] = tomlkit.array()
        table["history"].append(history_entry(event))
        table["history"].multiline(True)

    def append_term(self, lang: str, fields: dict[str, Any]) -> int:
        """Append a ``[[lang.terms]]`` table; return its index."""
        import tomlkit

        table = tomlkit.table()
        for name in TERM_FIELD_ORDER:
            value = fields.get(name)
            if value is not None:
                table.add(name, self._normalize(value))
        for name, value in fields.items():
            if name not in TERM_FIELD_ORDER and value is not None:
                table.add(name, self._normalize(value))
        section = self.doc.get(lang)
        if section is None:
            section = tomlkit.table(is_super_table=True)
            self.doc.add(lang, section)
        if "terms" not in section:
            section.add("terms", tomlkit.aot())
        terms = section["terms"]
        if len(terms) == 0 or not terms[-1].as_string().endswith("\n\n"):
            table.trivia.indent = "\n"
        terms.append(table)
        return len(terms) - 1

    # ------------------------------------------------------------------ saving

    def save(self) -> bool:
        """Write the file atomically if it changed; return whether it did."""
        import tomlkit

        text = tomlkit.dumps(self.doc)
        if text == self.original:
            return False
        output.write_text(self.path, text)  # the file keeps its permissions
        self.original = text
        return True


def concept_path(terms_dir: Path, concept_id: str) -> Path:
    path = terms_dir / f"{concept_id}.toml"
    if "/" in concept_id or "\\" in concept_id or concept_id.startswith(".") \
            or not path.is_file():
        raise ReviewError(f"no concept {concept_id!r}", path=terms_dir,
                          hint="run `glossary search` to find its id")
    return path
