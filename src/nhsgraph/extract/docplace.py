"""The place a document is about, read from its own text: the place whose council, health
and wellbeing board, scrutiny committee and Healthwatch a council document means when it
names them without a place ("the Health and Wellbeing Board", "Health Scrutiny
Committee", "Healthwatch").

Evidence, in order (the first that decides wins; where it does not, no place):

1. the councils the document names: exactly one gives its place ("Upton Borough Council"
   -> "Upton"); two or more leave the place untold (a joint body of several councils is
   named in full or not at all);
2. otherwise the place of its local NHS bodies and of the places it names as geography
   ("services in Upton"): the one named most, if it is named at least twice and more often
   than any other.

Example::

    home_place("The board agreed the plan for services in Upton. Residents in Upton ...", [])
    # "Upton"
"""

from __future__ import annotations

import re

from nhsgraph.extract.gazetteer import place_of
from nhsgraph.extract.orgs import Mention

_COUNCIL_TAIL = re.compile(r"[ \t]+(?:(?:City|County|Borough|District|Metropolitan[ \t]+Borough|"
                           r"Town)[ \t]+)?Council$")
# A council named by a common noun ("Full Council", "the Council") names no place.
_GENERIC_COUNCIL = re.compile(r"(?i)^(?:the[ \t]+)?(?:full|county|city|borough|district|town|"
                              r"parish|each|every)?[ \t]*council$")
# "in Upton", "across Upton and Downton": a place used as geography.
_IN_PLACE = re.compile(r"\b(?:in|across|throughout)[ \t]+(?P<place>[A-Z][a-z]+(?:[ \t]+(?:upon|"
                       r"on|under|in|le)[ \t]+[A-Z][a-z]+|[ \t]+[A-Z][a-z]+)?)\b")
# Capitalised words after "in" that are not the places a local body serves.
_NOT_LOCAL = {
    "England", "Britain", "Great", "Scotland", "Wales", "Ireland", "Northern", "Europe", "UK",
    "Parliament", "Westminster", "Whitehall", "Government", "Appendix", "Annex", "Section",
    "Part", "Item", "Items", "Table", "Figure", "Paragraph", "Schedule", "Minute", "Minutes",
    "Private", "Public", "Committee", "Council", "Board", "Attendance", "Accordance",
    "Addition", "Particular", "Support", "Response", "Future", "General", "Practice",
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
    "Saturday", "Sunday", "The", "This", "That", "These", "Those", "Health", "Care", "NHS"}
_LOCAL_TYPES = {"pct", "ccg", "icb", "patient_voice", "care_trust", "csu"}


def _council_places(mentions: list[Mention]) -> set[str]:
    out = set()
    for m in mentions:
        if m.org_type != "local_authority" or _GENERIC_COUNCIL.match(m.name):
            continue
        stripped = _COUNCIL_TAIL.sub("", m.name)
        if stripped != m.name and stripped:
            out.add(stripped)
    return out


def home_place(text: str, mentions: list[Mention]) -> str | None:
    """The place the document's council bodies belong to, or None when its text does not
    tell (see the module's notes)."""
    councils = _council_places(mentions)
    if councils:
        return next(iter(councils)) if len(councils) == 1 else None
    counts: dict[str, int] = {}
    for m in mentions:
        if m.org_type in _LOCAL_TYPES:
            p = place_of(m.name)
            if p and p[0].isupper() and p.split()[0] not in _NOT_LOCAL:
                counts[p] = counts.get(p, 0) + 1
    for m in _IN_PLACE.finditer(text):
        p = m.group("place")
        if p.split()[0] in _NOT_LOCAL or p.split()[-1] in _NOT_LOCAL:
            continue
        counts[p] = counts.get(p, 0) + 1
    if not counts:
        return None
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    best, n = ranked[0]
    if n < 2 or (len(ranked) > 1 and ranked[1][1] == n):
        return None   # named once, or two places as often: not told
    return best
