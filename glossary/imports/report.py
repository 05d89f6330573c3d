"""What an interchange import reports: its changes, and the words for them.

:class:`ImportPlan` is what :func:`glossary.imports.plan.plan` returns (and ``apply``
writes); :class:`Change` is one line of its report. The planner builds them;
:func:`review_changes` and :func:`describe_diff` phrase what it found.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from glossary import collector, khmer
from glossary.imports.proposals import APPLIED_CONFLICTS, Conflict, Item, Outcome, ReviewReport
from glossary.model import Concept, Review


class Change(NamedTuple):  # a report lists one per new concept: cheap to make
    kind: str  # added | changed | candidate | conflict
    concept: str
    what: str
    detail: str = ""
    line: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return self._asdict()


@dataclass
class ImportPlan:
    path: Path
    format: str
    own: bool
    new: list[Concept] = field(default_factory=list)  # kept only when the plan will apply
    new_ids: list[str] = field(default_factory=list)
    updated: dict[str, Concept] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    written: list[Path] = field(default_factory=list)
    review: ReviewReport = field(default_factory=ReviewReport)  # the Khmer translations

    def count(self, kind: str) -> int:
        return sum(1 for c in self.changes if c.kind == kind)

    @property
    def conflicts(self) -> int:
        return self.count("conflict")

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON data. A report of 100,000 new concepts makes 100,000 dicts
        here, made without a cyclic collection and then set with the oldest generation
        (:func:`collector.paused`, ``settle``): they and the plan's changes were walked
        by 177 collections, 0.22 s in the collector, and ``glossary import tbx`` of
        100,000 concepts took 9.2 s with them, 8.7 s without (measured)."""
        kinds = Counter(c.kind for c in self.changes)
        with collector.paused(settle=True):
            return {
                "file": str(self.path), "format": self.format,
                "written_by_glossary": self.own,
                "added": kinds["added"], "changed": kinds["changed"],
                "candidates": kinds["candidate"], "conflicts": kinds["conflict"],
                "unchanged": self.unchanged,
                "new_concepts": self.new_ids,
                "changes": [  # Change.as_dict() of each, without a call per change
                    {"kind": kind, "concept": concept, "what": what, "detail": detail,
                     "line": line} for kind, concept, what, detail, line in self.changes],
                "skipped": dict(sorted(self.skipped.items())),
                "review": [i.as_dict() for i in self.review.items],
                "written": [str(p) for p in self.written],
            }


def review_changes(report: ReviewReport) -> list[Change]:
    """The shared review's items, in this report's words."""
    out = []
    for item in report.items:
        text, line = item.incoming.text, item.incoming.line
        for_en = f" for {item.en_text!r}" if item.en_text else ""
        if item.present is not None:  # nothing to write: a reviewer's choice
            out.append(Change(item.outcome.value, item.concept_id or "-", f"km term {text!r}",
                              f"already km[{item.present}] of the concept; the file prefers "
                              f"it to the {_state(item)} {item.current!r}{for_en} (nothing "
                              "written: a reviewer decides which is preferred)", line))
        elif item.outcome is Outcome.NEW:
            out.append(Change("added", item.concept_id or "-", f"km term {text!r}",
                              f"new Khmer proposal{for_en}", line))
        elif item.outcome is Outcome.CANDIDATE:
            out.append(Change("candidate", item.concept_id or "-", f"km term {text!r}",
                              f"an alternative to the proposed {item.current!r}{for_en} "
                              "(added for a reviewer; the proposal is kept)", line))
        elif item.outcome is Outcome.CONFLICT:
            kept = (" (added as an alternative for a reviewer)"
                    if item.conflict in APPLIED_CONFLICTS else "")
            out.append(Change("conflict", item.concept_id or "-", f"km term {text!r}",
                              f"{item.reason}{kept}", line))
    return out


def _state(item: Item) -> str:
    return "approved" if item.conflict is Conflict.APPROVED else "proposed"


def fmt_value(value: Any) -> str:
    if value is None or value == "" or value == ():
        return "(none)"
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    if hasattr(value, "value"):
        return str(value.value)
    return str(value)


def short(text: str, size: int = 60) -> str:
    """``text`` cut to about ``size`` characters with ``…``, between Khmer clusters."""
    if len(text) <= size:
        return text
    return text[: khmer.cluster_start(text, size - 1) or size - 1] + "…"


def _cut(text: str, at: int, back: int = 40) -> int:
    """A place to start an excerpt at or before ``at``: after the last space within
    ``back`` characters (the word ``at`` is in), else a few characters back, at the start
    of a Khmer cluster (a vowel, sign or subscript never begins an excerpt)."""
    space = text.rfind(" ", 0, at)
    if space >= 0 and at - space <= back:
        return space + 1
    return khmer.cluster_start(text, max(0, at - back // 3))


def changed_parts(a: str, b: str, size: int = 40) -> tuple[str, str]:
    """Two long texts shown where they differ: each from the word where the first
    difference is to where the last one ends (then the rest of that word), cut at about
    ``size`` characters, with ``…`` where text is left out. Cutting both at the start
    would show the same words twice for an edit at the end of a definition."""
    start = 0
    limit = min(len(a), len(b))
    while start < limit and a[start] == b[start]:
        start += 1
    tail = 0
    while tail < limit - start and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    start = _cut(a, start)

    def part(text: str) -> str:
        end = len(text) - tail
        space = text.find(" ", end)
        end = len(text) if space < 0 or space - end > 20 else space
        shown = text[start:end]
        if len(shown) > size:
            shown = shown[:_cut(shown, size, size // 2) or size].rstrip() + "…"
        elif end < len(text):
            shown += "…"
        return ("…" if start else "") + shown

    return part(a), part(b)


def describe_diff(old: Any, new: Any, names: Iterable[str]) -> str:
    parts = []
    for name in names:
        a, b = getattr(old, name), getattr(new, name)
        if a == b:
            continue
        if isinstance(a, Review) and isinstance(b, Review):
            for key in ("state", "origin", "proposed_by", "proposed_on", "approved_by",
                        "approved_on", "note"):
                x, y = getattr(a, key), getattr(b, key)
                if x != y:
                    label = "review" if key == "state" else key
                    parts.append(f"{label}: {fmt_value(x)} → {fmt_value(y)}")
        elif isinstance(a, str) and isinstance(b, str) and len(a) + len(b) > 80:
            before, after = changed_parts(a, b)
            parts.append(f"{name}: {before!r} → {after!r}")
        else:
            parts.append(f"{name}: {fmt_value(a)} → {fmt_value(b)}")
    return "; ".join(parts)
