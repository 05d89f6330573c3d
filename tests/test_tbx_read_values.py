"""A term's data categories however a file writes them: the exact values of TBX, the same
values with stray spaces or in another case, values split by inline markup, values no
rule knows (counted, never guessed), and notes with spaces or Khmer in them; and the
places a definition can stand in an entry."""

from __future__ import annotations

from pathlib import Path

from glossary.formats import tbx
from glossary.model import AdminStatus, TermType

HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
        '<martif type="TBX" xml:lang="en"><martifHeader><fileDesc><sourceDesc>'
        '<p>{generator}</p></sourceDesc></fileDesc></martifHeader><text><body>\n')
TAIL = "</body></text></martif>\n"


def _tig(text: str, *notes: str) -> str:
    return f"<tig><term>{text}</term>{''.join(notes)}</tig>"


def _note(kind: str, value: str) -> str:
    return f'<termNote type="{kind}">{value}</termNote>'


def _read(tmp_path: Path, tigs: list[str], generator: str = "a partner's termbase"
          ) -> tuple[dict[str, object], dict[str, int]]:
    body = "".join(f'<termEntry id="e{i}"><langSet xml:lang="en">{tig}</langSet></termEntry>\n'
                   for i, tig in enumerate(tigs))
    path = tmp_path / "values.tbx"
    path.write_text(HEAD.format(generator=generator) + body + TAIL, encoding="utf-8")
    result = tbx.read(path)
    terms = {t.text: t for c in result.concepts for t in c.en.terms}
    return terms, dict(result.skipped)


def test_statuses_types_and_parts_of_speech_written_exactly_or_loosely(tmp_path: Path
                                                                        ) -> None:
    terms, skipped = _read(tmp_path, [
        _tig("exact", _note("administrativeStatus", "admittedTerm-admn-sts"),
             _note("termType", "acronym"), _note("partOfSpeech", "verb")),
        _tig("spaced", _note("administrativeStatus", "  deprecatedTerm-admn-sts\n"),
             _note("termType", " abbreviation "), _note("partOfSpeech", "\tadjective ")),
        _tig("cased", _note("administrativeStatus", "PREFERREDTERM-ADMN-STS"),
             _note("partOfSpeech", "Noun")),
        _tig("kin", _note("administrativeStatus", "obsoleteTerm-admn-sts"),
             _note("termType", "initialism"), _note("partOfSpeech", "properNoun")),
    ])
    exact, spaced, cased, kin = (terms[k] for k in ("exact", "spaced", "cased", "kin"))
    assert (exact.admin_status, exact.type, exact.pos) == (
        AdminStatus.ADMITTED, TermType.ACRONYM, "verb")
    assert (spaced.admin_status, spaced.type, spaced.pos) == (
        AdminStatus.DEPRECATED, TermType.ABBREVIATION, "adjective")
    assert (cased.admin_status, cased.type, cased.pos) == (AdminStatus.PREFERRED, None, "noun")
    assert (kin.admin_status, kin.type, kin.pos) == (
        AdminStatus.SUPERSEDED, TermType.ACRONYM, "noun")
    assert skipped == {}


def test_values_no_rule_knows_are_counted_not_guessed(tmp_path: Path) -> None:
    terms, skipped = _read(tmp_path, [
        _tig("odd", _note("administrativeStatus", "preferred-ish"),
             _note("termType", "FullForm"), _note("partOfSpeech", "gerund")),
        _tig("empty", _note("administrativeStatus", ""), _note("termType", "")),
    ])
    odd, empty = terms["odd"], terms["empty"]
    assert (odd.admin_status, odd.type, odd.pos) == (None, None, "other")
    assert (empty.admin_status, empty.type) == (None, None)
    assert skipped == {"administrativeStatus 'preferred-ish'": 1, "termType 'FullForm'": 1,
                       "partOfSpeech 'gerund' read as 'other'": 1,
                       "administrativeStatus ''": 1, "termType ''": 1}


def test_a_value_split_by_inline_markup_is_read_whole(tmp_path: Path) -> None:
    # the text before the first inline element is a known value on its own: the
    # whole value is what counts
    terms, skipped = _read(tmp_path, [
        _tig("whole", _note("administrativeStatus", "admitted<hi>Term</hi>-admn-sts"),
             _note("termType", "full<hi>Form</hi>")),
        _tig("prefix", _note("administrativeStatus", "preferred<hi>Term</hi>"),
             _note("termType", "acronym<hi>s</hi>"), _note("partOfSpeech", "noun<hi>s</hi>")),
    ])
    whole, prefix = terms["whole"], terms["prefix"]
    assert (whole.admin_status, whole.type) == (AdminStatus.ADMITTED, TermType.FULL_FORM)
    assert (prefix.admin_status, prefix.type, prefix.pos) == (None, None, "other")
    assert skipped == {"administrativeStatus 'preferredTerm'": 1, "termType 'acronyms'": 1,
                       "partOfSpeech 'nouns' read as 'other'": 1}


def test_notes_with_spaces_markup_or_khmer(tmp_path: Path) -> None:
    # another tool's file: spaces fold, "Translation needed: no" is dnt however spaced
    terms, _ = _read(tmp_path, [
        _tig("dnt", "<note>  Translation   needed: no\n</note>"),
        _tig("noted", "<note> see  <hi>also</hi> the roadmap </note>",
             "<note>ឃ្លា  ខ្មែរ</note>"),
    ])
    assert terms["dnt"].dnt is True and terms["dnt"].note is None
    assert terms["noted"].note == "see also the roadmap\nឃ្លា ខ្មែរ"
    # a file written by glossary: notes are kept as written, a review note is one
    # only when it is exactly one
    own, _ = _read(tmp_path, [
        _tig("spaced", "<note> glossary:review=approved</note>",
             "<note>ឃ្លា  ខ្មែរ</note>"),
        _tig("marked", "<note>glossary:<hi>review</hi>=approved</note>"),
        _tig("reviewed", "<note>glossary:review=approved; origin=human</note>"),
    ], generator='</p><p type="generator">glossary')
    assert own["spaced"].note == " glossary:review=approved\nឃ្លា  ខ្មែរ"
    assert own["spaced"].review.state is None
    assert own["marked"].review.state.value == "approved"
    assert own["reviewed"].review.state.value == "approved"
    assert own["reviewed"].review.origin == "human"


def test_definitions_wherever_an_entry_puts_them(tmp_path: Path) -> None:
    path = tmp_path / "definitions.tbx"
    path.write_text(HEAD.format(generator="a partner's termbase") + """
<termEntry id="bare-at-concept-level">
  <descrip type="definition" xml:lang="km">និយមន័យ</descrip>
  <descrip type="definition" xml:lang="fr">une définition</descrip>
  <langSet xml:lang="en"><descrip type="definition">Said in the language.</descrip>
    <descrip type="definition">Said twice.</descrip><tig><term>one</term></tig></langSet>
</termEntry>
<termEntry id="grouped-at-concept-level">
  <descripGrp><descrip type="definition" xml:lang="en">Grouped, with a source.</descrip>
    <admin type="source">asean-guide-2024 §B.2</admin></descripGrp>
  <langSet xml:lang="km"><descripGrp><descrip type="definition">ក្រុម</descrip>
    </descripGrp><tig><term>ពីរ</term></tig></langSet>
  <langSet xml:lang="en"><tig><term>two</term></tig></langSet>
</termEntry>
""" + TAIL, encoding="utf-8")
    result = tbx.read(path)
    first, second = result.concepts
    assert first.en.definition.text == "Said in the language."
    assert first.km.definition.text == "និយមន័យ"
    assert second.en.definition.text == "Grouped, with a source."
    assert (second.en.definition.source.doc, second.en.definition.source.section) == (
        "asean-guide-2024", "B.2")
    assert second.km.definition.text == "ក្រុម"
    assert dict(result.skipped) == {"definitions in another language": 1,
                                    "second definition in one language": 1}
