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
_MULT = {"bn": 1e9, "billion": 1e9, "m": 1e6, "million": 1e6, "mn": 1e6, "k": 1e3,
         "thousand": 1e3}
RATING_RE = re.compile(r"(?i:\b(outstanding|good|requires\s+improvement|inadequate)\b)")
_RATING_CONTEXT = re.compile(r"(?i:\b(?:rat(?:ed|ing|ings)|CQC|inspect\w*|downgrad\w*|upgrad\w*)\b)")


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
    for m in MONEY_RE.finditer(text):
        num = float(m.group("num").replace(",", ""))
        mult = (m.group("mult") or "").lower()
        num *= _MULT.get(mult, 1)
        cur = {"£": "GBP", "$": "USD", "€": "EUR"}[m.group("cur")]
        unit = cur + (" per head" if m.group("per") else "")
        out.append(Figure(m.start(), m.end(), m.group(0), "money", num, unit))
    return out


def find_percentages(text: str) -> list[Figure]:
    return [Figure(m.start(), m.end(), m.group(0), "percent", float(m.group("num")), "percent")
            for m in PERCENT_RE.finditer(text)]


_KQ = re.compile(r"(?i:\b(well[\s-]led|safe|effective|caring|responsive|leadership)\b)")


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
        key_question = "overall"
        if kq:
            key_question = kq.group(1).lower().replace(" ", "-")
            key_question = "well-led" if key_question in ("leadership", "well-led", "well led") \
                else key_question
        for m in RATING_RE.finditer(text, s, e):
            word = text[m.start(1):m.end(1)]
            # "good" is an everyday word: only a capitalised or quoted Good is a rating.
            if word.lower() == "good" and not (word[0].isupper() or text[m.start() - 1:m.start()]
                                               in "'‘\""):
                continue
            out.append(Figure(m.start(), m.end(), word, "rating",
                              " ".join(word.lower().split()), key_question))
    return out
