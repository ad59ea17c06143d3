"""Names in the conventional case. ODS writes names in capitals ("CAMBRIDGESHIRE COMMUNITY
SERVICES NHS TRUST", "NHS GLOUCESTERSHIRE ICB - 11M"); people read them as
"Cambridgeshire Community Services NHS Trust" and "NHS Gloucestershire ICB - 11M".

    conventional_case("ST HELENS AND KNOWSLEY TEACHING HOSPITALS NHS TRUST")
    -> "St Helens and Knowsley Teaching Hospitals NHS Trust"

Initialisms stay in capitals (NHS, CCG, ICB, GP, PCN, ...), as do codes (words with a
digit: 11M, Q74); short joining words are lower case inside a name; each part of a
hyphenated or apostrophised word is cased on its own ("Stockton-on-Tees", "St John's").
"""

from __future__ import annotations

import re
from functools import lru_cache

INITIALISMS = {
    "NHS", "CCG", "CCGS", "ICB", "ICBS", "ICS", "GP", "GPS", "PCN", "PCT", "PCTS", "SHA", "STP",
    "CSU", "UK", "CIC", "LLP", "PLC", "HIV", "GUM", "IAPT", "CAMHS", "A&E", "ENT", "MRI",
    "BMI", "HCA", "BUPA", "UCL", "UCLH", "KCH", "BCP", "IOW", "NW", "NE", "SE", "SW", "OOH",
    "GPWSI", "IUC", "MIU", "UTC", "WIC", "ICU", "LTD", "NHSFT", "SICBL", "HQ", "PMS", "GMS",
    "APMS", "SPA", "II", "III", "IV", "MBC", "HM", "WI", "LPC", "LMC", "PPI", "BC", "CQC",
    "NHSE", "FT",
}
# Written so, not in capitals
SPECIAL = {"LTD": "Ltd", "CCGS": "CCGs", "ICBS": "ICBs", "PCTS": "PCTs", "GPS": "GPs"}
SMALL = {"and", "of", "the", "for", "in", "on", "at", "upon", "by", "with", "to", "an",
         "de", "le", "la", "under", "over", "next", "cum", "en"}
_WORD = re.compile(r"[^\W_]+|[\W_]+")       # words (any script) and what lies between


def is_capitals(name: str) -> bool:
    """Whether a name is written in capitals (and has letters)."""
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _word(word: str, first: bool, after: str) -> str:
    up = word.upper()
    if up in SPECIAL:
        return SPECIAL[up]
    if up in INITIALISMS or any(c.isdigit() for c in word):
        return up
    low = word.lower()
    if after == "'" and len(low) <= 2:          # the s of St John's, the ll of we'll
        return low
    if not first and low in SMALL and after not in ("'",):
        return low
    return low[:1].upper() + low[1:]


@lru_cache(maxsize=1 << 16)
def conventional_case(name: str) -> str:
    """The name with the conventional capitals (see the module's docstring); a name that is
    not all capitals is returned as it is. Memoised: a folder import cases the same
    practice names once per release (155,770 calls in the real folder)."""
    if not is_capitals(name):
        return name
    out = []
    first = True
    prev_sep = ""
    for tok in _WORD.findall(name):
        if tok[0].isalnum():
            # after a hyphen, keep joining words small (Stockton-on-Tees); after "(" or
            # " - " a new phrase starts
            start = first or prev_sep.strip() in ("(", "-", "–") and " " in prev_sep \
                or prev_sep.strip() == "("
            out.append(_word(tok, start, prev_sep[-1:] if prev_sep else ""))
            first = False
        else:
            out.append(tok)
            prev_sep = tok
            continue
        prev_sep = ""
    return "".join(out)


# Names the national lists give a row that stands for no body: a practice with no PCN is in
# PCN "U", "Unallocated" (NHS Digital's practice-to-PCN map, gp-reg-pat-prac-map).
PLACEHOLDER_NAMES = frozenset({"unallocated", "unassigned", "not allocated", "not assigned",
                               "unknown", "not known", "not applicable", "none", "no pcn"})


def is_placeholder_name(name: str) -> bool:
    """Whether a name stands for no body (a list's "Unallocated"), not for one."""
    return " ".join(re.sub(r"[^\w\s]", " ", name.lower()).split()) in PLACEHOLDER_NAMES


# Common nouns for a kind of body: "the Trust" names whichever trust a document is about.
GENERIC_BODY_WORDS = frozenset({
    "trust", "trusts", "foundation", "board", "boards", "council", "councils", "committee",
    "panel", "authority", "cluster", "partnership", "group", "body", "governing", "department",
    "organisation", "service", "services", "hospital", "hospitals", "practice", "surgery",
    "pct", "ccg", "icb", "ics", "sha", "csu", "pcn", "nhs", "primary", "care", "clinical",
    "commissioning", "integrated", "health", "executive", "directors", "local", "team"})
_DETERMINERS = {"the", "this", "that", "our", "its", "their", "a", "an", "said"}


def generic_alias_reason(alias: str) -> str | None:
    """Why an alias names no body in particular ("the Trust", "the Board", "the Council",
    "the CCG": a common noun for a kind of body, with or without "the"), else None.

    Example: generic_alias_reason("the Trust") -> "“the Trust” is a common noun ..."
    """
    words = re.findall(r"[^\W_]+", alias.lower())
    rest = [w for w in words if w not in _DETERMINERS]
    if not rest or any(w not in GENERIC_BODY_WORDS for w in rest):
        return None
    return (f"“{alias.strip()}” is a common noun for a kind of body: it names whichever "
            f"one a document is about, not this one")
