"""Dates in text ("29th November, 2011", "31 January", "April 2013", "2012"), resolved
against the document's own date where the text leaves the year out.

Example::

    [d.iso for d in find_dates("on 3 November", doc_date="2011-11-29")]   # ["2011-11-03"]
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {m.lower(): i for i, m in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"], 1)}
MONTHS.update({k[:3]: v for k, v in list(MONTHS.items())})
_MON = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|" \
       r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
_ORD = r"(?:st|nd|rd|th)?"
_SUP = r"(?:<sup>(?:st|nd|rd|th)</sup>)?"
_DAYNAME = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"

DATE_RE = re.compile(
    r"(?P<iso>\b(?P<iy>(?:19|20)\d\d)-(?P<im>[01]\d)-(?P<id>[0-3]\d)\b)"
    r"|(?P<dmy>\b" + _DAYNAME + r"(?P<d>[0-3]?\d)" + _ORD + _SUP + r"\s+(?:of\s+)?(?P<m>" + _MON
    + r")\b\.?(?:,?\s+(?P<y>(?:19|20)\d\d)\b)?)"
    r"|(?P<mdy>\b(?P<m2>" + _MON + r")\s+(?P<d2>[0-3]?\d)" + _ORD + r",?\s+(?P<y2>(?:19|20)\d\d)\b)"
    r"|(?P<my>\b(?P<m3>" + _MON + r")\b\.?,?\s+(?P<y3>(?:19|20)\d\d)\b)"
    r"|(?P<num>\b(?P<nd>[0-3]?\d)/(?P<nm>[01]?\d)/(?P<ny>(?:19|20)\d\d)\b)"
    r"|(?P<rel>\b(?:(?P<rm>" + _MON + r")\s+)?(?P<rw>this|last|next)\s+year\b)"
    r"|(?P<bare>\b(?:in|by|from|until|since|of|during|to|end\s+of)\s+(?P<m4>" + _MON
    + r")\b(?!\s+(?:[0-3]?\d|(?:19|20)\d\d)))"
    r"|(?P<y5>\b(?:19|20)\d\d\b)(?![/-]\d)"
)


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    iso: str            # "2011", "2011-11" or "2011-11-29"; "" when unresolvable


def _iso(y: int | None, m: int | None = None, d: int | None = None) -> str:
    if y is None:
        return ""
    if m is None:
        return f"{y:04d}"
    if d is None:
        return f"{y:04d}-{m:02d}"
    try:
        dt.date(y, m, d)
    except ValueError:
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}-{m:02d}-{d:02d}"


def _year_for(month: int, ref: dt.date | None, *, past: bool = True) -> int | None:
    """News reports the recent past: a month without a year is the latest such month
    not after the document date (or the next one, for forward-looking phrases)."""
    if ref is None:
        return None
    if past:
        return ref.year if month <= ref.month else ref.year - 1
    return ref.year if month >= ref.month else ref.year + 1


def parse_ref(doc_date) -> dt.date | None:
    if doc_date is None or doc_date == "":
        return None
    if isinstance(doc_date, dt.datetime):
        return doc_date.date()
    if isinstance(doc_date, dt.date):
        return doc_date
    m = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", str(doc_date))
    if not m:
        return None
    return dt.date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))


# "the 1st April date for ...": a date named as a target lies ahead
_FORWARD_AFTER = re.compile(r"\s+(?:date|deadline|target|start)\b", re.I)
_FORWARD = re.compile(r"(?:by|until|from|next|deadline|before|will|to)\s*$", re.I)


def date_candidates(anchors) -> list[int]:
    """Offsets where a date expression can start: digits, month and day names, this/last/
    next, and the one or two words before a month ("in March", "end of May")."""
    from nhsgraph.extract.anchors import DAY, DIGIT, MONTH, REL
    flags = anchors.flags
    want = (flags & (DIGIT | MONTH | DAY | REL)) != 0
    month = (flags & MONTH) != 0
    want[:-1] |= month[1:]
    want[:-2] |= month[2:]
    return anchors.idx[want].tolist()


def scan_dates(text: str, start: int = 0, end: int | None = None,
               candidates: list[int] | None = None) -> list[re.Match]:
    """Date expressions (unresolved regex matches) in ``text[start:end]``; with
    ``candidates`` only those starting at one of these offsets are tried (much faster)."""
    if candidates is None:
        return list(DATE_RE.finditer(text, start, len(text) if end is None else end))
    out, last = [], -1
    match = DATE_RE.match
    for pos in candidates:
        if pos < last:
            continue
        m = match(text, pos)
        if m is not None:
            out.append(m)
            last = m.end()
    return out


def resolve_dates(text: str, matches: list[re.Match], doc_date=None) -> list[DateMention]:
    """Date matches as :class:`DateMention`, the year-less ones resolved against
    ``doc_date``."""
    ref = parse_ref(doc_date)
    out = []
    for m in matches:
        g = m.groupdict()
        if g["iso"]:
            iso = _iso(int(g["iy"]), int(g["im"]), int(g["id"]))
        elif g["dmy"]:
            mon = MONTHS[g["m"].lower()[:3]]
            day = int(g["d"])
            if g["y"]:
                year = int(g["y"])
            else:
                before = text[max(0, m.start() - 12):m.start()]
                forward = bool(_FORWARD.search(before) or _FORWARD_AFTER.match(text, m.end()))
                year = _year_for(mon, ref, past=not forward)
            iso = _iso(year, mon, day)
        elif g["mdy"]:
            iso = _iso(int(g["y2"]), MONTHS[g["m2"].lower()[:3]], int(g["d2"]))
        elif g["my"]:
            iso = _iso(int(g["y3"]), MONTHS[g["m3"].lower()[:3]])
        elif g["num"]:
            iso = _iso(int(g["ny"]), int(g["nm"]), int(g["nd"])) if 1 <= int(g["nm"]) <= 12 else ""
        elif g["rel"]:
            if ref is None:
                iso = ""
            else:
                y = ref.year + {"this": 0, "last": -1, "next": 1}[g["rw"].lower()]
                iso = _iso(y, MONTHS[g["rm"].lower()[:3]] if g["rm"] else None)
        elif g["bare"]:
            mon = MONTHS[g["m4"].lower()[:3]]
            if g["m4"] == "May" or g["m4"].lower() == "march" and not g["m4"][0].isupper():
                continue
            forward = g["bare"].lower().startswith(("by", "until", "to"))
            iso = _iso(_year_for(mon, ref, past=not forward), mon)
            if not iso:
                continue
            s = m.start("m4")
            out.append(DateMention(s, m.end(), text[s:m.end()], iso))
            continue
        else:
            iso = g["y5"]
        out.append(DateMention(m.start(), m.end(), m.group(0), iso))
    return out


def find_dates(text: str, doc_date=None, start: int = 0, end: int | None = None) -> list[DateMention]:
    """Every date expression in ``text[start:end]``, resolved against ``doc_date``."""
    return resolve_dates(text, scan_dates(text, start, end), doc_date)


# (the word boundary is checked after the "d", so that the engine can skip ahead to it)
_HEAD_DATE = re.compile(r"d(?<!\wd)ate[d:]?\s+((?:19|20)\d\d-\d\d-\d\d)\b", re.I)


def document_date(text: str, metadata: dict | None = None,
                  matches: list[re.Match] | None = None) -> str | None:
    """The document's own date: metadata first, then an explicit 'date YYYY-MM-DD' near the
    top, then the first full date in the first 1,500 characters (``matches``: the
    document's date matches when already scanned)."""
    if metadata and metadata.get("date"):
        ref = parse_ref(metadata["date"])
        if ref:
            return ref.isoformat()
    head = text[:1500]
    m = _HEAD_DATE.search(head)
    if m:
        return m.group(1)
    if matches is None:
        head_dates = find_dates(head)
    else:
        head_dates = resolve_dates(text, [m for m in matches if m.end() <= len(head)])
    for d in head_dates:
        if len(d.iso) == 10:
            return d.iso
    return None


# Words that only documents of one NHS era use (the body types that existed then).
# (The word boundary before each is checked after its first letter, so that the regex
# engine can skip ahead to that letter.)
_ERA_WORDS = (
    (re.compile(r"(?:P(?<!\wP)(?:CTs?|rimary Care Trusts?)|"
                r"S(?<!\wS)(?:HAs?|trategic Health Authorit(?:y|ies)))\b"), "2012"),
    (re.compile(r"I(?<!\wI)(?:CBs?|ntegrated Care Boards?)\b"), "2023"),
    (re.compile(r"C(?<!\wC)(?:CGs?|linical Commissioning Groups?)\b"), "2016"),
)


def era_date(text: str, dates: list[DateMention] = ()) -> str | None:
    """A rough "as at" year for a document without a date, for choosing which of an
    organisation's names applies: the era its body-type words belong to (PCTs and SHAs
    before April 2013, ICBs after July 2022, CCGs in between), else the latest year it
    mentions."""
    for rx, year in _ERA_WORDS:
        if rx.search(text):
            return year
    years = [d.iso[:4] for d in dates if d.iso]
    return max(years) if years else None
