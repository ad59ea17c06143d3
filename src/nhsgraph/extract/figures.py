"""Money ("£158m", "£25 per head"), percentages ("less than 1%") and CQC ratings.

Example::

    [f.value for f in find_money("a £158m-turnover trust")]   # [158000000.0]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nhsgraph.extract.anchors import RATED, RATING

MONEY_RE = re.compile(
    r"(?P<cur>£|\$|€)\s?(?P<num>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s?"
    r"(?P<mult>bn|billion|m|million|mn|k|thousand)?\b(?P<per>\s+per\s+head)?", re.I)
# A number is tried from its first digit only (a later digit gives the same ending) and
# its digits are never given back (a shorter number is followed by a digit, not by "%").
PERCENT_RE = re.compile(r"(?P<num>\d(?<!\d\d)\d*+(?:\.\d++)?+)\s?(?:%|per\s?cent\b)", re.I)
_PER_CENT = re.compile(r"per\s?cent", re.I)   # (PERCENT_RE's other ending)
_MULT = {"bn": 1e9, "billion": 1e9, "m": 1e6, "million": 1e6, "mn": 1e6, "k": 1e3,
         "thousand": 1e3}
RATING_RE = re.compile(r"(?i:\b(outstanding|good|requires\s+improvement|inadequate)\b)")
_RATING_CONTEXT = re.compile(r"(?i:\b(?:rat(?:ed|ing|ings)|graded|judged|CQC|inspect\w*|"
                             r"downgrad\w*|upgrad\w*)\b)")


@dataclass(frozen=True)
class Figure:
    start: int
    end: int
    text: str
    kind: str          # "money", "percent" or "rating"
    value: float | str
    unit: str          # "GBP", "GBP per head", "percent", or the key question for ratings


def find_money(text: str) -> list[Figure]:
    out = []
    if "£" not in text and "$" not in text and "€" not in text:
        return out   # (most texts: no currency sign for MONEY_RE to start at)
    for m in MONEY_RE.finditer(text):
        num = float(m.group("num").replace(",", ""))
        mult = (m.group("mult") or "").lower()
        num *= _MULT.get(mult, 1)
        cur = {"£": "GBP", "$": "USD", "€": "EUR"}[m.group("cur")]
        unit = cur + (" per head" if m.group("per") else "")
        out.append(Figure(m.start(), m.end(), m.group(0), "money", num, unit))
    return out


def find_percentages(text: str) -> list[Figure]:
    if "%" not in text and not _PER_CENT.search(text):
        return []   # (most texts: PERCENT_RE would be tried at every digit)
    return [Figure(m.start(), m.end(), m.group(0), "percent", float(m.group("num")), "percent")
            for m in PERCENT_RE.finditer(text)]


_KQ = re.compile(r"(?i:\b(well[\s-]led|safe|effective|caring|responsive|leadership)\b)")
# A lower-case rating word is a rating only where a rating word comes right before it
# ("rated good", "rated the ward as good", "a rating of good", "downgraded from good to")
# or "rating" right after ("its good rating"): "a good result" and "inadequate funding"
# are not ratings, even in a sentence about an inspection.
_CUE_BEFORE = re.compile(
    r"(?i:\b(?:re-?rated|rated|ratings?(?:\s+(?:of|as|was|is|remains|remained|stays))?|"
    r"graded|judged|deemed|found(?:\s+[\w'’-]+){0,4}?\s+to\s+be|(?:downgrad|upgrad)\w*|"
    r"(?:moved|dropped|fell|rose|improved|slipped|went)\s+(?:from|to))"
    r"(?:\s+(?:as|it|them|overall|to\s+be|from|to|(?:the|its|their|this)\s+[\w'’-]+))*"
    r"\s+[\"'‘“]?)\Z")
_CUE_AFTER = re.compile(r"[\"'’”]?\s+ratings?\b", re.I)
# ... or it follows another rating in a list: "rated good for caring and inadequate for
# safety", "from requires improvement to good".
_CHAIN = re.compile(
    r"[\"'’”]?(?:\s+(?:overall|(?:for|in|on)\s+(?:being\s+)?[\w-]+(?:\s+[\w-]+)?))?"
    r"\s*(?:,|and|or|but|while|to|from)(?:\s+(?:and|but|was|is|as|rated))*\s+[\"'‘“]?\Z", re.I)
# The key question a rating word is given for, when named right after it.
_KQ_AFTER = re.compile(r"[\"'’”]?\s+(?:(?P<overall>overall)\b|(?:for|in|on)\s+(?:being\s+)?"
                       r"(?P<kq>well[\s-]led|safe(?:ty)?|effective(?:ness)?|caring|"
                       r"responsive(?:ness)?|leadership)\b)", re.I)


def _key_question(word: str) -> str:
    kq = re.sub(r"\s+", "-", word.lower())
    kq = {"safety": "safe", "effectiveness": "effective",
          "responsiveness": "responsive"}.get(kq, kq)
    return "well-led" if kq in ("leadership", "well-led", "well led") else kq


def _is_rating(text: str, m: re.Match, s: int, prev_end: int) -> bool:
    """Whether the rating word at ``m`` is used as a rating (see _CUE_BEFORE)."""
    word = m.group(1)
    before = text[max(s, m.start() - 60):m.start()]
    sentence_start = not text[s:m.start()].strip(" \t\n\"'‘“-*")
    if word[0].isupper() and not sentence_start:
        return True
    if before[-1:] in ("'", "‘", '"', "“") or word.lower().startswith("requires"):
        return True
    if _CUE_BEFORE.search(before) or _CUE_AFTER.match(text, m.end()):
        return True
    return prev_end >= 0 and bool(_CHAIN.match(text, prev_end, m.start()))


def find_ratings(text: str, sentences: list[tuple[int, int]], anchors=None) -> list[Figure]:
    """CQC rating words in sentences that talk about ratings or inspections; with
    ``anchors`` only the sentences that have a rating word and a word about ratings among
    their tokens are read."""
    rated = anchors.spans_with(sentences, RATING) if anchors is not None else [
        (s, e, RATED) for s, e in sentences]
    out = []
    for s, e, b in rated:
        if not b & RATED or not _RATING_CONTEXT.search(text, s, e):
            continue
        kq = _KQ.search(text, s, e)
        sentence_kq = _key_question(kq.group(1)) if kq else "overall"
        prev_end = -1
        for m in RATING_RE.finditer(text, s, e):
            if not _is_rating(text, m, s, prev_end):
                continue
            prev_end = m.end()
            word = text[m.start(1):m.end(1)]
            after = _KQ_AFTER.match(text, m.end())
            key_question = sentence_kq
            if after:
                key_question = "overall" if after.group("overall") else _key_question(
                    after.group("kq"))
            out.append(Figure(m.start(), m.end(), word, "rating",
                              " ".join(word.lower().split()), key_question))
    return out
