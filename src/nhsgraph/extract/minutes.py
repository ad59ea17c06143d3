"""Council and board minutes: the body, meeting date, who was present, apologies,
declarations of interest, numbered items, and resolutions/recommendations.

Example::

    mins = parse_minutes(text)
    if mins: [i.number for i in mins.items]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nhsgraph.extract.temporal import find_dates

_MARK = r"[#*_ \t]*"
ITEM_RE = re.compile(r"(?m)^" + _MARK + r"(?:Item\s+|Minute\s+)?(?P<num>\d{1,3}(?:\.\d{1,2})?)"
                     r"\.?[ \t]+(?P<title>[A-Z][^\n]{2,200}?)" + _MARK + r"$")
PRESENT_RE = re.compile(r"(?im)^" + _MARK + r"(?:Present|Members\s+present|Attendance)" + _MARK
                        + r"[:\-–]*" + _MARK + r"(?P<who>[^\n]+)")
APOLOGIES_RE = re.compile(r"(?im)^" + _MARK + r"Apologies(?:\s+for\s+absence)?" + _MARK
                          + r"[:\-–]+" + _MARK + r"(?P<who>[^\n]+)")
RESOLUTION_RE = re.compile(r"\b(?P<kind>RESOLVED|AGREED|RECOMMENDATIONS?|RECOMMENDED|"
                           r"(?i:resolved\s+that|it\s+was\s+resolved|recommend(?:ed|s)?\s+that))\b")
_BODY_RE = re.compile(r"(?i:\b(?:panel|committee|board|council|cabinet|commission|forum|"
                      r"partnership|governing\s+body)\b)")
_COMMITTEE_RE = re.compile(r"(?i:\b(?:panel|committee|board|cabinet|commission|forum|"
                           r"governing\s+body)\b)")
_SIGNALS = re.compile(r"(?im)^" + _MARK + r"(?:present|apologies|declarations?\s+of\s+interest|"
                      r"minutes\s+of|in\s+attendance|chair(?:man|person)?\s*:|resolved)")
# A blank line that is not followed by a numbered or bulleted list item.
_PARA_END = re.compile(r"\n[ \t]*\n(?![ \t]*(?:\d+\.|[-•*(]))")


@dataclass
class Item:
    number: str
    title: str
    start: int
    end: int          # the item runs to the next item's heading (or the end of the minutes)


@dataclass
class Resolution:
    kind: str         # "resolution", "recommendation" or "agreed"
    start: int
    end: int
    item: str | None  # number of the item it belongs to


@dataclass
class Minutes:
    body: str
    body_span: tuple[int, int] | None
    meeting_date: str | None
    present: list[str]
    apologies: list[str]
    declarations: str
    items: list[Item] = field(default_factory=list)
    resolutions: list[Resolution] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "body": self.body, "meeting_date": self.meeting_date, "present": self.present,
            "apologies": self.apologies, "declarations": self.declarations,
            "items": [{"number": i.number, "title": i.title, "start": i.start, "end": i.end}
                      for i in self.items],
            "resolutions": [{"kind": r.kind, "start": r.start, "end": r.end, "item": r.item}
                            for r in self.resolutions],
        }


def _clean(line: str) -> str:
    return " ".join(re.sub(r"[#*_]+", " ", line).split())


def _split_names(who: str) -> list[str]:
    who = re.sub(r"\([^)]*\)", "", who)
    who = re.sub(r"^(?:Councillors?|Cllrs?\.?)\s+", "", who.strip())
    parts = re.split(r",|\band\b|;", who)
    return [" ".join(p.split()) for p in parts if p.strip() and len(p.split()) <= 5]


def _items(text: str) -> list[Item]:
    raw = []
    last = -1.0
    for m in _at_line_starts(ITEM_RE, text):
        title = _clean(m.group("title"))
        heading = m.group(0).lstrip().startswith(("#", "*")) or title.isupper()
        if not heading or title.endswith((".", ":", ";", ",")) or len(title) > 160:
            continue
        num = float(m.group("num"))
        if num <= last and raw:
            # numbering restarts (appendix, second document): stop at the first run
            break
        last = num
        raw.append((m.group("num"), title, m.start()))
    items = []
    for i, (num, title, s) in enumerate(raw):
        e = raw[i + 1][2] if i + 1 < len(raw) else len(text)
        items.append(Item(num, title, s, e))
    if items:
        # the last item ends where the minutes end: at the first appendix/annex heading
        tail = re.search(r"(?im)^" + _MARK + r"(?:appendix|annex|minute\s+annex|the\s+meeting\s+"
                         r"ended|meeting\s+closed)", text[items[-1].start:])
        if tail and tail.start() > 0:
            items[-1].end = items[-1].start + tail.start()
    return items


def _at_line_starts(rx: re.Pattern, text: str):
    """``rx.finditer(text)`` for a pattern that matches only at the start of a line (``^``
    in multi-line mode), tried only there: the engine would try every position."""
    pos, last = 0, 0
    while True:
        if pos >= last:
            m = rx.match(text, pos)
            if m is not None:
                yield m
                last = m.end()
        nl = text.find("\n", pos)
        if nl < 0:
            return
        pos = nl + 1


def looks_like_minutes(text: str) -> bool:
    """Minutes have attendance/apologies/declarations lines or several numbered headings."""
    head = text[:20000]
    signals = len({m.group(0).strip(" #*_").lower()[:6] for m in _at_line_starts(_SIGNALS, head)})
    return signals >= 2 or (signals >= 1 and len(_items(head)) >= 3)


def parse_minutes(text: str, doc_date: str | None = None) -> Minutes | None:
    """The structure of minutes, or None if the text does not look like minutes."""
    if not looks_like_minutes(text):
        return None
    items = _items(text)
    first_item = items[0].start if items else min(len(text), 3000)
    head = text[:first_item]
    body, body_span = "", None
    for m in re.finditer(r"(?m)^[^\n]+$", head):
        line = _clean(m.group(0))
        if line and _BODY_RE.search(line) and not re.match(r"(?i)present", line) \
                and len(line) < 120:
            if not body:
                body, body_span = line, m.span()
            if _COMMITTEE_RE.search(line):
                # the meeting body is the committee, not the council heading above it
                body, body_span = line, m.span()
                break
    date = None
    for d in find_dates(head or text[:3000], doc_date):
        if len(d.iso) == 10:
            date = d.iso
            break
    pm = PRESENT_RE.search(head) or PRESENT_RE.search(text[:first_item + 2000])
    present = _split_names(pm.group("who")) if pm else []
    apologies: list[str] = []
    am = APOLOGIES_RE.search(text[:first_item + 5000])
    if am:
        apologies = _split_names(am.group("who"))
    declarations = ""
    for it in items:
        body_text = text[it.start:it.end].split("\n", 1)[-1].strip()
        if re.search(r"(?i)apolog", it.title) and not apologies:
            names = re.findall(r"(?:Councillor|Cllr\.?)\s+((?:[A-Z][a-z'’-]+\s*){1,3})", body_text)
            apologies = [" ".join(n.split()) for n in names]
        if re.search(r"(?i)declarations?\s+of\s+interest", it.title):
            declarations = " ".join(body_text.split())[:500]
    resolutions = []
    for m in RESOLUTION_RE.finditer(text, first_item if items else 0,
                                    items[-1].end if items else len(text)):
        word = m.group("kind").lower()
        kind = "recommendation" if word.startswith("recommend") else (
            "agreed" if word == "agreed" else "resolution")
        # the decision runs to the end of its paragraph and any numbered list after it
        end = m.end()
        pe = _PARA_END.search(text, end)
        end = pe.start() if pe else len(text)
        if items:
            end = min(end, items[-1].end)
        item = next((i.number for i in items if i.start <= m.start() < i.end), None)
        resolutions.append(Resolution(kind, m.start(), end, item))
    return Minutes(body, body_span, date, present, apologies, declarations, items, resolutions)
