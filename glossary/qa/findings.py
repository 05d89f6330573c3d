"""QA findings and their text, JSON and GitHub-annotation forms."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

__all__ = ["Finding", "Severity", "format_github", "format_text"]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Finding:
    """One QA result. ``line``/``column`` are 1-based; ``column`` counts code points.

    For PO entries ``line`` is the line of the entry and ``msgctxt``/``msgid`` say which
    one; for .docx files ``line`` is the paragraph number (table cells included). For a
    translation checked against its English original (:mod:`glossary.qa.pairing`),
    ``original`` is where the English is (``en.docx:12``) and ``msgid`` its text; a
    finding about the whole translation has ``line`` 0."""

    path: str
    line: int
    column: int | None
    rule: str
    found: str
    suggestion: str | None
    severity: Severity
    concept: str
    message: str
    msgctxt: str | None = None
    msgid: str | None = None
    original: str | None = None

    @property
    def is_problem(self) -> bool:
        return self.severity is not Severity.INFO

    @property
    def location(self) -> str:
        if self.line == 0:  # the whole file
            return self.path
        loc = f"{self.path}:{self.line}"
        return f"{loc}:{self.column}" if self.column is not None else loc

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.path,
            "line": self.line,
            "column": self.column,
            "msgctxt": self.msgctxt,
            "msgid": self.msgid,
            "rule": self.rule,
            "severity": str(self.severity),
            "concept": self.concept,
            "found": self.found,
            "suggestion": self.suggestion,
            "message": self.message,
            "original": self.original,
        }


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def format_text(finding: Finding) -> str:
    """``path:line:col: rule: found → suggestion``, then for a PO entry its msgid, and for
    a problem in a text or document the concept it is about: there is no English beside
    it to tell whether the word is meant in that concept's sense (ការត្រួតពិនិត្យ is
    deprecated for *verification*, not for inspection)."""
    out = f"{finding.location}: {finding.rule}: {finding.found} → {finding.suggestion or '?'}"
    if finding.original is not None:
        text = f" {_short(finding.msgid)!r}" if finding.msgid is not None else ""
        out += f"  [{finding.original}{text}]"
    elif finding.msgid is not None:
        ctx = f"msgctxt {finding.msgctxt!r} " if finding.msgctxt else ""
        out += f"  [{ctx}msgid {_short(finding.msgid)!r}]"
    elif finding.is_problem and finding.concept:
        out += f"  [for {finding.concept}]"
    return out


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def format_github(finding: Finding) -> str:
    """A GitHub Actions workflow command: ``::warning file=…,line=…,col=…::message``."""
    props = [f"file={_escape_property(finding.path)}"]
    if finding.line:
        props.append(f"line={finding.line}")
    if finding.column is not None:
        props.append(f"col={finding.column}")
    props.append(f"title={_escape_property('glossary ' + finding.rule)}")
    message = f"{finding.found} → {finding.suggestion or '?'}: {finding.message}"
    return f"::{_COMMANDS[finding.severity]} {','.join(props)}::{_escape_data(message)}"
