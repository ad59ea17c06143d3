"""Event triggers: the schema's event types found sentence by sentence, dated by the
sentence's own date (resolved against the document date) or by the document date.

Example::

    evs = find_events("The trust was rated Inadequate.", [(0, 31)], [], [], "2015-03-01", [])
    evs[0].type   # "rating_published"
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nhsgraph.extract.anchors import EVENT_BIT, TRIGGER
from nhsgraph.extract.orgs import Mention
from nhsgraph.extract.temporal import DateMention

SENTENCE_RE = re.compile(r"[^\n.!?]*(?:[.!?]+(?=[\s\"'”’)]|$)[\"'”’)]*|\n|$)")

_T = {
    "ft_application_decision": r"\b(?:foundation\s+trust|FT)\b[^.\n]{0,40}\b(?:bid|application|"
                               r"status|route|pipeline|authorisation)|\bproceed\s+as\s+an?\s+(?:FT|"
                               r"foundation\s+trust)|\bauthoris(?:ed|ation)\s+as\s+(?:an?\s+)?"
                               r"(?:FT|foundation\s+trust)",
    "rating_published": r"\b(?:rated|re-rated|downgraded|upgraded|rating\s+(?:of|was|is))\b",
    "appointment": r"\b(?:appointed|appointment\s+of|took\s+up\s+(?:the|his|her)\s+post|"
                   r"named\s+as|joins?\s+as|has\s+been\s+confirmed\s+as)\b",
    "departure": r"\b(?:resign(?:ed|ation|s)|step(?:ped|ping|s)?\s+down|stand(?:ing)?\s+down|"
                 r"retir(?:ed|es|ement)|left\s+the\s+(?:trust|organisation)|suspended|sacked|"
                 r"dismissed)\b",
    "budget_delegation": r"\bdelegated\s+budgets?\b|\bbudgets?\s+(?:were\s+|are\s+)?delegated\b|"
                         r"\bdelegat\w+\s+(?:commissioning\s+)?budgets?\b",
    "merged": r"\b(?:merg(?:ed|er|ing|e)|amalgamat\w+|acqui(?:red|sition))\b",
    "clustered": r"\b(?:clustering|clustered|form(?:ed|ing)?\s+(?:a\s+)?cluster|"
                 r"board\s+merger)\b",
    "established": r"\b(?:(?:was|were|been|be|being)\s+(?:formally\s+)?(?:established|created|"
                   r"set\s+up|launched|formed)|came\s+into\s+(?:being|existence)|went\s+live)\b",
    "abolished": r"\b(?:abolition|abolish(?:ed|ing)?|demise|ceased?\s+to\s+exist|wound\s+up|"
                 r"dissolved)\b",
    "renamed": r"\b(?:renamed|changed?\s+(?:its|their)\s+name|formerly\s+known\s+as)\b",
    "governance_change": r"\b(?:governance\s+(?:model|arrangements?|principles)|model\s+[1-4]\b|"
                         r"single\s+(?:chair|executive\s+team|board)|issued)\b",
    "committee_decision": r"\b(?:RESOLVED|AGREED|RECOMMENDATIONS?|(?:unanimously|formally)\s+"
                          r"(?:agreed|resolved|voted|approved|rejected)|voted\s+(?:to|against))\b",
}
TRIGGERS = {k: re.compile(v) for k, v in _T.items()}
_NEEDS_DATE = {"merged", "clustered", "established", "abolished", "renamed", "governance_change",
               "departure", "appointment"}
_REJECT = re.compile(r"(?i:\b(?:veto\w*|reject\w*|refus\w*|cannot\s+proceed|derail\w*|"
                     r"not\s+(?:be\s+)?(?:allowed|supported?)|no\s+longer|turned\s+down|"
                     r"blocked|deferr\w*|delay\w*)\b)")
_APPROVE = re.compile(r"(?i:\b(?:authorised|approved|granted|achieved|awarded|given\s+the\s+"
                      r"go-ahead)\b)")
_PLANNED = re.compile(r"(?i:\b(?:will|would|plans?|planned|proposed|propos\w+|expected|by|"
                      r"deadline|due\s+to)\b)")


@dataclass
class Event:
    type: str
    date: str
    outcome: str
    orgs: list[str]
    start: int
    end: int
    component: str = "events"
    spans: list[tuple[int, int]] = field(default_factory=list)

    def as_schema(self) -> dict:
        return {"type": self.type, "date": self.date, "outcome": self.outcome,
                "orgs": list(self.orgs)}


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence-ish spans: split at . ! ? before a space and at every line break."""
    out = []
    for m in SENTENCE_RE.finditer(text):
        s, e = m.span()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def _outcome(kind: str, sent: str, ratings: list) -> str:
    if kind == "ft_application_decision":
        if _REJECT.search(sent):
            return "rejected"
        if _APPROVE.search(sent):
            return "approved"
        return ""
    if kind == "rating_published" and ratings:
        return ratings[-1].value
    if kind == "budget_delegation" and _REJECT.search(sent):
        return "refused"
    if kind in ("committee_decision",):
        return "agreed"
    if _PLANNED.search(sent) and kind in ("abolished", "clustered", "merged", "established",
                                          "departure"):
        return "planned"
    return ""


def find_events(text: str, sents: list[tuple[int, int]], mentions: list[Mention],
                dates: list[DateMention], doc_date: str | None, ratings: list,
                meeting_date: str | None = None, anchors=None) -> list[Event]:
    """Events, deduplicated on (type, date); orgs accumulate over the merged sentences.
    With ``anchors`` a sentence is tried only for the event types whose trigger words
    it contains."""
    by_key: dict[tuple[str, str], Event] = {}
    mi = sorted(mentions, key=lambda m: m.start)
    bits = anchors.span_bits(sents) if anchors is not None else [TRIGGER] * len(sents)
    for (s, e), b in zip(sents, bits):
        if not b & TRIGGER:
            continue
        kinds = [k for k, rx in TRIGGERS.items() if b & EVENT_BIT[k] and rx.search(text, s, e)]
        if not kinds:
            continue
        sent = text[s:e]
        sdates = [d for d in dates if s <= d.start < e and d.iso]
        orgs = []
        for m in mi:
            if m.start >= e:
                break
            if m.start >= s and m.name not in orgs:
                orgs.append(m.name)
        srat = [r for r in ratings if s <= r.start < e]
        for kind in kinds:
            if kind == "rating_published" and not srat:
                continue
            if kind == "committee_decision":
                date = meeting_date or (sdates[0].iso if sdates else (doc_date or ""))
            elif sdates:
                date = max(sdates, key=lambda d: (len(d.iso), -d.start)).iso
            elif kind in _NEEDS_DATE:
                continue
            else:
                date = doc_date or ""
            key = (kind, date)
            ev = by_key.get(key)
            if ev is None:
                by_key[key] = Event(kind, date, _outcome(kind, sent, srat), orgs[:], s, e,
                                    spans=[(s, e)])
            else:
                ev.spans.append((s, e))
                for o in orgs:
                    if o not in ev.orgs:
                        ev.orgs.append(o)
                if not ev.outcome:
                    ev.outcome = _outcome(kind, sent, srat)
    from nhsgraph.extract.people import principal_org
    principal = principal_org(mentions)
    for event in by_key.values():
        if not event.orgs and principal is not None and event.type in (
                "appointment", "departure", "rating_published", "ft_application_decision"):
            event.orgs.append(principal.name)
    return sorted(by_key.values(), key=lambda ev: ev.start)
