"""What a rule is, and what checking one yields.

A ``Rule`` is metadata (id, title, era pack, dates in force, organisation types it applies
to, the curated source it comes from, a status tag) plus a small pure function that looks
at a ``Snapshot`` and one organisation and returns a ``Verdict``. ``Rule.run`` wraps the
verdict into a ``Finding``: the outcome, a plain-English explanation, the facts relied on
(each with its citations) and a severity.

The world is open: a fact nhsgraph does not hold is not a fact that is false. A rule
whose evidence is missing says ``insufficient_evidence``, never ``breach``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable, Literal

from nhsgraph.model.dates import PartialDate
from nhsgraph.query.facts import Fact
from nhsgraph.query.snapshot import Snapshot

COMPLIES, BREACH, INSUFFICIENT, NOT_APPLICABLE = (
    "complies", "breach", "insufficient_evidence", "not_applicable")
OUTCOMES = (COMPLIES, BREACH, INSUFFICIENT, NOT_APPLICABLE)
Outcome = Literal["complies", "breach", "insufficient_evidence", "not_applicable"]
Status = Literal["C", "S", "P"]
STATUS_MEANING = {"C": "confirmed in a source text", "S": "stated in a seed document",
                  "P": "partly confirmed (some wording or a date from memory)"}


@dataclass
class Verdict:
    """What a check function returns: the outcome, why, and the facts it rests on."""

    outcome: Outcome
    reason: str
    facts: list[Fact] = field(default_factory=list)
    details: dict = field(default_factory=dict)
    severity: str | None = None          # overrides the rule's own severity when set


@dataclass
class Finding:
    rule_id: str
    org: str
    org_name: str
    date: dt.date
    outcome: Outcome
    explanation: str
    facts: list[Fact]
    severity: str
    source: str
    details: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"rule_id": self.rule_id, "org": self.org, "org_name": self.org_name,
                "date": self.date.isoformat(), "outcome": self.outcome,
                "severity": self.severity, "explanation": self.explanation,
                "source": self.source, "details": self.details,
                "facts": [_fact_ref(f) for f in self.facts]}


def _fact_ref(f: Fact) -> dict:
    return {"id": f.id, "subject": f.subject, "subject_label": f.subject_label,
            "predicate": f.predicate, "object": f.object, "object_label": f.object_label,
            "value": f.value, "qualifiers": f.qualifiers, "valid_from": f.valid_from,
            "valid_to": f.valid_to,
            "citations": [{"source_id": c.source_id, "source_title": c.source_title,
                           "locator": c.locator, "span": c.span, "quote": c.quote, "url": c.url}
                          for c in f.citations]}


CheckFn = Callable[[Snapshot, str], Verdict]


@dataclass(frozen=True)
class Rule:
    """One governance rule as code.

    ``explanation`` is a template in plain English; ``{org}``, ``{date}`` and ``{reason}``
    are filled in from the finding. ``source`` is a curated source id (``src:…``) that the
    bundled knowledge base holds; ``locator`` says where in it.
    """

    id: str
    title: str
    pack: str
    in_force_from: dt.date | None
    in_force_to: dt.date | None          # exclusive
    applies_to: tuple[str, ...]
    source: str
    status: Status
    explanation: str
    check: CheckFn
    locator: str | None = None
    severity_override: str | None = None
    note: str | None = None

    @property
    def severity(self) -> str:
        if self.severity_override:
            return self.severity_override
        return "warning" if self.status == "P" else "error"

    def in_force(self, on: dt.date) -> bool:
        return ((self.in_force_from is None or self.in_force_from <= on)
                and (self.in_force_to is None or on < self.in_force_to))

    def applies(self, org_types: set[str]) -> bool:
        return bool(set(self.applies_to) & org_types)

    @property
    def text(self) -> str:
        """The rule in words, without a finding's ``{reason}`` (what rule lists show)."""
        return self.explanation.replace(": {reason}", ".").replace("{reason}", "").strip()

    def in_force_text(self) -> str:
        a = self.in_force_from.isoformat() if self.in_force_from else "…"
        b = self.in_force_to.isoformat() if self.in_force_to else "…"
        return f"{a} → {b}"

    def finding(self, snap: Snapshot, org: str, verdict: Verdict) -> Finding:
        name = snap.entity(org).name
        text = self.explanation.format(org=name, date=snap.at.isoformat(), reason=verdict.reason)
        if "{reason}" not in self.explanation and verdict.reason:
            text = f"{text} {verdict.reason}"
        severity = verdict.severity or self.severity
        if verdict.outcome in (COMPLIES, NOT_APPLICABLE) and verdict.severity is None:
            severity = "info"
        return Finding(self.id, org, name, snap.at, verdict.outcome, text.strip(),
                       _dedupe(verdict.facts), severity, self.source, verdict.details)

    def run(self, snap: Snapshot, org: str) -> Finding:
        return self.finding(snap, org, self.check(snap, org))

    def to_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "pack": self.pack,
                "in_force_from": self.in_force_from.isoformat() if self.in_force_from else None,
                "in_force_to": self.in_force_to.isoformat() if self.in_force_to else None,
                "applies_to": list(self.applies_to), "source": self.source,
                "locator": self.locator, "status": self.status, "severity": self.severity,
                "explanation": self.explanation, "note": self.note}


def _dedupe(facts: list[Fact]) -> list[Fact]:
    seen, out = set(), []
    for f in facts:
        if f.id not in seen:
            seen.add(f.id)
            out.append(f)
    return out


RULES: dict[str, Rule] = {}


def _day(v) -> dt.date | None:
    if v is None:
        return None
    return PartialDate.parse(v).first


def rule(id: str, title: str, *, pack: str, source: str, status: Status, explanation: str,
         applies_to: tuple[str, ...] | list[str], in_force: tuple = (None, None),
         locator: str | None = None, severity: str | None = None, note: str | None = None):
    """Declare a rule: decorates its check function and registers it in ``RULES``."""
    if status not in STATUS_MEANING:
        raise ValueError(f"{id}: status must be C, S or P ([U] rules are not encoded)")

    def deco(fn: CheckFn) -> CheckFn:
        if id in RULES:
            raise ValueError(f"rule {id} declared twice")
        RULES[id] = Rule(id, title, pack, _day(in_force[0]), _day(in_force[1]), tuple(applies_to),
                         source, status, explanation, fn, locator, severity, note)
        return fn
    return deco
