"""Event triggers: the schema's event types found sentence by sentence, dated by the
sentence's own date (resolved against the document date) or by the document date.

Example::

    evs = find_events("The trust was rated Inadequate.", [(0, 31)], [], [], "2015-03-01", [])
    evs[0].type   # "rating_published"
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from nhsgraph.extract.anchors import EVENT_BIT, TRIGGER
from nhsgraph.extract.orgs import BY_START, Mention
from nhsgraph.extract.people import FIND, principal_org
from nhsgraph.extract.roles import ROLE_RE
from nhsgraph.extract.temporal import DateMention

# (``*+``: giving characters back could only leave a non-stop where a stop must follow)
SENTENCE_RE = re.compile(r"[^\n.!?]*+(?:[.!?]+(?=[\s\"'”’)]|$)[\"'”’)]*|\n|$)")

_T = {
    "ft_application_decision": r"\b(?:foundation\s+trust|FT)\b[^.\n]{0,40}\b(?:bid|application|"
                               r"status|route|pipeline|authorisation)|\bproceed\s+as\s+an?\s+(?:FT|"
                               r"foundation\s+trust)|\bauthoris(?:ed|ation)\s+as\s+(?:an?\s+)?"
                               r"(?:FT|foundation\s+trust)|\bauthoris(?:ed|es|ing)\b[^.\n]{0,80}?\bto\s+"
                               r"become\s+(?:an?\s+)?(?:NHS\s+)?foundation\s+trusts?|\b(?:new|"
                               r"two|three|four|five|six)\s+(?:NHS\s+)?foundation\s+trusts\b",
    "rating_published": r"\b(?:rated|re-rated|downgraded|upgraded|rating\s+(?:of|was|is))\b",
    "appointment": r"\b(?:appointed|appointment\s+of|took\s+up\s+(?:the|his|her)\s+post|"
                   r"named\s+as|joins?\s+as|has\s+been\s+confirmed\s+as|(?:was|were|been|"
                   r"is)\s+(?:re-?)?elected(?:\s+as)?\s+(?:the\s+)?(?i:(?:(?:vice|deputy)[\s-]*)?"
                   r"(?:chair\w*|leader|president|mayor)))\b",
    "departure": r"\b(?:resign(?:ed|ation|s)|step(?:ped|ping|s)?\s+down|stand(?:ing)?\s+down|"
                 r"retir(?:ed|es|ement)|left\s+the\s+(?:trust|organisation)|suspended|sacked|"
                 r"dismissed)\b",
    "budget_delegation": r"\bdelegated\s+budgets?\b|\bbudgets?\s+(?:were\s+|are\s+)?delegated\b|"
                         r"\bdelegat\w+\s+(?:commissioning\s+)?budgets?\b",
    "merged": r"\b(?:merg(?:ed|er|ing|e)|amalgamat\w+|acqui(?:red|sition)|took\s+over\s+from|"
              r"tak(?:es|ing)\s+over\s+from|replac(?:ed|es|ing)\s+(?:the\s+)?(?:two|three|four|"
              r"five|six|seven|eight|nine|\d+)\s+(?:existing\s+|former\s+|smaller\s+)?"
              r"(?:trusts|PCTs|CCGs|ICBs|primary\s+care\s+trusts|bodies|organisations))\b",
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
_PLANNED = re.compile(r"(?i:\b(?:will|would|plans?|planned|proposed|propos\w+|expected|"
                      r"intends?|due\s+to)\b)")


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
        sent = m.group()
        stripped = sent.strip()
        if stripped:
            s = m.start() + len(sent) - len(sent.lstrip())
            out.append((s, s + len(stripped)))
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


# Words that make a sentence about something that may or may not happen, not a report.
# (Only a lower-case "may": "May" is the month, as in "On 1 May 2012 X was appointed".)
_HYPOTHETICAL = re.compile(
    r"(?i:\b(?:could|should|(?-i:may)|might|must|if|unless|whether|impossible|possible|potential|"
    r"proposed|proposals?\s+(?:for|to|that)|consider(?:s|ed|ing)?\s+whether|in\s+the\s+"
    r"event|ought)\b)")
_WOULD = re.compile(r"(?i:\bwould\b)")
# A word of every _HYPOTHETICAL or _WOULD match
_MODAL_WORDS = ("could", "should", "may", "might", "must", "if", "unless", "whether", "possible",
                "potential", "proposed", "proposal", "consider", "event", "ought", "would")
_MODAL_ANY = re.compile("|".join(map(re.escape, _MODAL_WORDS)))
# "said/indicated that ... would": reported intention, a plan rather than a hypothesis
_REPORTED = re.compile(r"(?i:\b(?:said|says|indicated|announced|confirmed|stated|told|"
                       r"agreed|decided|warned)\b[^.]{0,80}\b(?:that\s+)?[^.]{0,60}$)")
# A body a sentence can be about even without naming it: "PCTs", "the trust", "the board".
_BODY_NOUN = re.compile(
    r"(?i:\b(?:PCTs?|SHAs?|CCGs?|ICBs?|CSUs?|trusts?|councils?|boards?|clusters?|practices|"
    r"consortia|authorit(?:y|ies)|commission|organisations?|panel|committee|[a-z]+\s+"
    r"(?:group|service)s?)\b)")
_FT_DECISION = re.compile(
    r"(?i:\b(?:veto\w*|reject\w*|refus\w*|halt\w*|cannot\s+proceed|derail\w*|turned\s+"
    r"down|blocked|deferr\w*|authoris(?:ed|ation)|approved|granted|achieved|awarded|"
    r"given\s+the\s+go-ahead|told)\b)")
_GOV_OBJECT = re.compile(r"(?i:\b(?:guidance|letter|principles?|model|arrangements?|"
                         r"governance|framework)\b)")
# What the letter/guidance said ("issued a letter indicating that ... should") is its
# content, not a doubt about the issuing.
_CLAUSE_BREAK = re.compile(r"(?i:\bthat\b|\bwhich\b|[(;:,])")
# The year of a title ("Regulations 2010", "Health Act 2009") dates the title, not an event.
_TITLE_YEAR = re.compile(r"\b(?:Act|Regulations|Order|Directions|Bill|Rules)\s+$")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_REF = re.compile(r"(?i)\b(?:from|on|since|this|last)\s+(?P<d>monday|tuesday|wednesday|"
                          r"thursday|friday|saturday|sunday)\b")
# one sentence naming several trusts authorised together
_FT_LIST = re.compile(r"(?i)\b(?:new|two|three|four|five|six)\s+(?:NHS\s+)?foundation\s+trusts\b|"
                      r"\bauthoris\w+[^.]{0,120}\band\b")


def _weekday_is(sent: str, iso: str) -> bool:
    """Whether ``sent`` dates something by a weekday ("from Sunday") that is the weekday
    of ``iso``, the document's date."""
    import datetime as _dt
    m = _WEEKDAY_REF.search(sent)
    if not m:
        return False
    try:
        day = _dt.date.fromisoformat(iso).weekday()
    except ValueError:
        return False
    return _WEEKDAYS[day] == m.group("d").lower()


_EXEMPT = {"committee_decision"}   # minutes' decisions are worded as obligations


_WORDS = re.compile(r"[^\s#*_]+")   # words, markdown marks aside


def _is_heading(sent: str) -> bool:
    """A markdown heading, or two or more words with letters, all in capitals (or opening
    with a non-letter); stops at the first ordinary word, as most sentences open with one."""
    if sent.lstrip().startswith("#"):
        return True
    n = 0
    for m in _WORDS.finditer(sent):
        w = m.group()
        if w[0].isalpha():   # (most words: no need to look for a letter further on)
            if not w.isupper():
                return False
            n += 1
        elif any(c.isalpha() for c in w):
            n += 1
    return n >= 2


def _has_a_modal_word(low: str) -> bool:
    """``any(w in low for w in _MODAL_WORDS)`` in one scan (the generator cost more than
    the tests; tests/test_extract_shortcuts.py holds the two equal)."""
    return _MODAL_ANY.search(low) is not None


def _hypothetical(sent: str, trigger_at: int) -> bool:
    """Whether the event a trigger word reports is only supposed (modal verbs, "if",
    proposals, guidance) rather than reported; "X said that ... would" is a plan."""
    if sent.isascii():   # (then a case-blind match is a lower-case substring)
        if not _has_a_modal_word(sent.lower()):
            return False   # most sentences: no need to run the two patterns
    for h in _HYPOTHETICAL.finditer(sent):
        if h.start() < trigger_at or not _CLAUSE_BREAK.search(sent, trigger_at, h.start()):
            return True   # before the trigger, or after it in the same clause
    w = _WOULD.search(sent)
    return bool(w) and not _REPORTED.search(sent, 0, w.start())


def find_events(text: str, sents: list[tuple[int, int]], mentions: list[Mention],
                dates: list[DateMention], doc_date: str | None, ratings: list,
                meeting_date: str | None = None, anchors=None, principal=FIND) -> list[Event]:
    """Events, deduplicated on (type, date); orgs accumulate over the merged sentences.

    A sentence reports an event when it has a trigger word and a participant (an
    organisation mention, or a body noun such as "PCTs" or "the trust"), is not a
    heading, and does not only suppose the event ("would", "could", "if", proposals).
    The event's date is the sentence date nearest its own trigger (a date nearer another
    trigger belongs to that one); event types that need a date are dropped without one.
    With ``anchors`` a sentence is tried only for the event types whose trigger words
    it contains; ``principal``: ``principal_org(mentions, text)``, when known already."""
    by_key: dict[tuple[str, str], Event] = {}
    mi = sorted(mentions, key=BY_START)
    m_starts = [m.start for m in mi]
    d_starts = [d.start for d in dates]
    tried = anchors.spans_with(sents, TRIGGER) if anchors is not None else [
        (s, e, TRIGGER) for s, e in sents]
    for s, e, b in tried:
        found = {}
        for k, rx in TRIGGERS.items():
            if b & EVENT_BIT[k]:
                tm = rx.search(text, s, e)
                if tm:
                    found[k] = tm
        if not found:
            continue
        # "board merger" is the clustering of boards, not a merger of organisations
        if "merged" in found and "clustered" in found and \
                found["clustered"].start() <= found["merged"].start() < found["clustered"].end():
            del found["merged"]
        sent = text[s:e]
        heading = _is_heading(sent)
        lo, hi = bisect.bisect_left(d_starts, s), bisect.bisect_left(d_starts, e)
        sdates = [d for d in dates[lo:hi] if d.iso and not _TITLE_YEAR.search(
            text, max(0, d.start - 14), d.start)]
        lo, hi = bisect.bisect_left(m_starts, s), bisect.bisect_left(m_starts, e)
        orgs = list(dict.fromkeys(m.name for m in mi[lo:hi]))
        body_noun = bool(orgs) or bool(_BODY_NOUN.search(sent))
        role_holder = body_noun or bool(ROLE_RE.search(sent))
        srat = [r for r in ratings if s <= r.start < e]
        for kind, tm in found.items():
            if kind == "rating_published" and not srat:
                continue
            if kind not in _EXEMPT:
                # appointments and departures are of post holders ("the chief executive")
                who = role_holder if kind in ("appointment", "departure") else body_noun
                if heading or not who or _hypothetical(sent, tm.start() - s):
                    continue
                if kind == "ft_application_decision" and not _FT_DECISION.search(sent):
                    continue
                if kind == "governance_change" and tm.group(0) == "issued" and \
                        not _GOV_OBJECT.search(sent):
                    continue
            if kind == "committee_decision":
                date = meeting_date or (sdates[0].iso if sdates else (doc_date or ""))
            else:
                own = [d for d in sdates if min(found.values(), key=lambda t: abs(
                    t.start() - d.start)) is tm]
                if own:
                    date = max(own, key=lambda d: (len(d.iso), -d.start)).iso
                elif kind == "appointment" and "elected" in tm.group(0) and not sdates and (
                        meeting_date or doc_date and len(doc_date) == 10):
                    date = meeting_date or doc_date   # "was elected Chairman" at the meeting
                elif not sdates and doc_date and len(doc_date) == 10 and _weekday_is(
                        sent, doc_date):
                    date = doc_date   # "from Sunday" in a text dated that Sunday
                elif kind in _NEEDS_DATE or sdates:
                    continue
                else:
                    date = doc_date or ""
            if not date:
                continue   # an event is reported with its date (at least a year)
            if kind == "committee_decision" and not meeting_date and tm.group(0).lower(
                    ).startswith("voted") and not any(m.org_type in (
                        "local_authority", "council_body") for m in mi[lo:hi]):
                continue   # members' votes reported in the news are no committee's decision
            key = (kind, date)
            if kind == "appointment" and "elected" in tm.group(0):
                key = (kind, date, s)   # one election per sentence
            if kind == "ft_application_decision":
                trusts = [m.name for m in mi[lo:hi] if m.org_type in (
                    "nhs_trust", "foundation_trust")]
                trusts = list(dict.fromkeys(trusts))
                if len(trusts) > 1 and _FT_LIST.search(sent):
                    for t in trusts:
                        k2 = (kind, date, t)
                        if k2 not in by_key:
                            by_key[k2] = Event(kind, date, _outcome(kind, sent, srat), [t], s, e,
                                               spans=[(s, e)])
                    continue
            outcome = _outcome(kind, sent, srat)
            if not outcome and doc_date and date and date[:len(doc_date)] > doc_date[:len(date)]:
                outcome = "planned"   # dated after the document: still to happen
            ev = by_key.get(key)
            if ev is None:
                by_key[key] = Event(kind, date, outcome, orgs[:], s, e, spans=[(s, e)])
            else:
                ev.spans.append((s, e))
                for o in orgs:
                    if o not in ev.orgs:
                        ev.orgs.append(o)
                if not ev.outcome:
                    ev.outcome = outcome
    listed = list_events(text, mi, dates) if ":" in text else []
    if listed:
        done = {(e.type, e.date) for e in listed}
        by_key = {k: e for k, e in by_key.items() if (e.type, e.date) not in done}
        for e in listed:
            by_key[(e.type, e.date, e.start)] = e
    if principal is FIND:
        principal = principal_org(mentions, text)
    for event in by_key.values():
        if not event.orgs and principal is not None and event.type in (
                "appointment", "departure", "rating_published", "ft_application_decision"):
            event.orgs.append(principal.name)
    return sorted(by_key.values(), key=lambda ev: ev.start)


def trusts_before_authorisation(mentions: list[Mention], events: list[Event],
                                doc_date: str) -> list[Mention]:
    """A trust named by its foundation trust name in a text announcing its authorisation
    from a date not before the text's own is, at the time the text describes, still an
    NHS trust: those mentions take the type ``nhs_trust``."""
    ahead = set()
    for e in events:
        if e.type == "ft_application_decision" and e.date and \
                e.date[:len(doc_date)] >= doc_date[:len(e.date)] and \
                not _REJECT.search(e.outcome or ""):
            ahead.update(e.orgs)
    if not ahead:
        return mentions
    return [Mention(m.start, m.end, m.text, "nhs_trust", m.name, m.component, m.linked)
            if m.org_type == "foundation_trust" and m.name in ahead else m for m in mentions]


# A line announcing an event for a list that follows ("the following foundation trusts
# will be authorised from 1 December 2008:", "These new ICB footprints will come into
# effect on 1 April 2026 and are:"): one event per item of the list.
_COLON_LINE = re.compile(r"(?m)^[^\n]{12,400}:[ \t]*$")
_COLON_AT_END = re.compile(r"(?m):[ \t]*$")   # (what every _COLON_LINE match ends with)
_LIST_KINDS = (
    ("ft_application_decision", re.compile(r"(?i)\bauthoris\w+|\bfoundation\s+trust\s+status")),
    ("merged", re.compile(r"(?i)\bmerg\w+|\bnew\b[^.]{0,80}\b(?:footprints?|ICBs|CCGs|"
                          r"organisations)\b[^\n]{0,200}?\bcome\s+into\s+(?:effect|being)")),
    ("established", re.compile(r"(?i)\b(?:be|been|were|are)\s+(?:established|created|set\s+up)\b")),
    ("abolished", re.compile(r"(?i)\b(?:be|been|were|are)\s+abolished\b")),
)
_ITEM = re.compile(r"^[ \t]*(?:[•*\-–·]|\d+[.)])?[ \t]*(?P<item>[^\n]{2,160}?)[ \t]*[;,.]?"
                   r"(?:[ \t]+and)?[ \t]*$")


def list_events(text: str, mentions: list[Mention], dates: list[DateMention]) -> list[Event]:
    """Events announced for each item of a list (see ``_COLON_LINE``): the line (with the
    sentence before it in its paragraph) names the kind of event and its date; each item
    of the list right after it (bullets or short lines, up to a blank line after the
    first item) is one body, and one event."""
    out: list[Event] = []
    if not _COLON_AT_END.search(text):
        return out   # (no line ends with a colon: _COLON_LINE would try every line)
    for m in _COLON_LINE.finditer(text):
        para = text.rfind("\n\n", 0, m.start())
        lead = text[max(0, para, m.start() - 300):m.end()]
        kind = next((k for k, rx in _LIST_KINDS if rx.search(lead)), None)
        if kind is None:
            continue
        when = [d for d in dates if m.start() <= d.start < m.end() and d.iso]
        if not when:
            continue
        date = max(when, key=lambda d: len(d.iso)).iso
        pos = m.end() + 1
        while pos < len(text) and text[pos] in " \t\n":
            pos += 1
        items = []
        while pos < len(text):
            nl = text.find("\n", pos)
            nl = len(text) if nl < 0 else nl
            line = text[pos:nl]
            im = _ITEM.match(line)
            if not line.strip() or im is None or len(line) > 170 or (
                    line.rstrip().endswith(".") and len(line.split()) > 12):
                break
            items.append((pos, nl))
            pos = nl + 1
        if len(items) < 2:
            continue
        for s, e in items:
            inside = [o for o in mentions if s <= o.start < e]
            name = inside[0].name if inside else ""
            if not name:
                im = _ITEM.match(text[s:e])
                name = im.group("item").strip() if im else ""
            if not name:
                continue
            outcome = _outcome(kind, text[m.start():m.end()], [])
            out.append(Event(kind, date, outcome or ("new body" if kind == "merged" else ""),
                             [name], s, e, spans=[(s, e)]))
    return out
