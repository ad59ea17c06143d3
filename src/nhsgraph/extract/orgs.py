"""Organisation mentions found by pattern, and short references resolved in context.

The gazetteer (see ``pipeline``) finds names it knows; the patterns here find names it
does not ("X NHS Foundation Trust", "X CCG", "X Council", "NHS X"), and short references
("the SHA", "the CCG") are resolved to the body of that type the document is about.

Example::

    [(m.text, m.org_type) for m in pattern_mentions("Wiltshire Council met.")]
    # [("Wiltshire Council", "local_authority")]
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from operator import attrgetter

from nhsgraph.extract.anchors import ORG_WORD
from nhsgraph.extract.gazetteer import (acronyms, ended_by, key, name_case, place_of,
                                        type_family)

# Sort keys for mentions, people and anything else with ``start`` (and ``end``): shared
# by the extraction modules (faster than a lambda).
BY_START = attrgetter("start")
BY_SPAN = attrgetter("start", "end")

# A word's letters are taken possessively (``*+``): giving some back could only leave a
# letter where a space, a quote or the end must follow, so the engine need not try.
_CAP = r"(?:[A-Z]+&[A-Z]+|[A-Z][A-Za-z\-]*+(?:['’](?![sS]\b)[A-Za-z]+)?)"
_CONN = r"(?i:and|&|of|upon|on|with|under)"
_NAME = _CAP + r"(?:[ \t]+(?:" + _CONN + r"[ \t]+)?(?!(?:NHS|Trust|Council|CCG|PCT|Foundation)\b)" + _CAP + r")*"

# (suffix regex, org type); tried in order, the longest match wins overall.
_SUFFIXES: list[tuple[str, str]] = [
    (r"(?:University\s+)?(?:Hospitals?\s+)?NHS\s+Foundation\s+Trust", "foundation_trust"),
    (r"Foundation\s+Trust", "foundation_trust"),
    (r"(?:Partnership\s+)?NHS\s+Trust", "nhs_trust"),
    (r"(?:NHS\s+)?Care\s+Trust(?:\s+Plus)?", "care_trust"),
    (r"(?:Teaching\s+)?(?:Primary\s+Care\s+Trust|PCT)(?!s)", "pct"),
    (r"(?i:(?:shadow\s+)?(?:clinical\s+)?commissioning\s+group)(?!s)|CCG(?!s)", "ccg"),
    (r"(?:GP\s+)?Commissioning\s+Consortium", "ccg"),
    (r"Integrated\s+Care\s+(?:Board|System|Partnership)|ICB(?!s)|ICS(?!s)", "icb"),
    (r"Commissioning\s+Support\s+(?:Unit|Service|Organisation)|CSU(?!s)", "csu"),
    (r"Strategic\s+Health\s+Authority|SHA(?!s)", "sha"),
    (r"(?:(?:County|City|Borough|District|Metropolitan\s+Borough|Town|Parish)\s+)?Council"
     r"(?!s|lor)|MBC|BC", "local_authority"),
    (r"(?i:health\s+(?:and|&)\s+well[\s-]?being\s+(?:partnership\s+)?board)(?!s)",
     "council_body"),
    (r"(?i:(?:(?:policy\s+development|overview)\s+(?:and|&)\s+)?scrutiny\s+"
     r"(?:panel|committee|commission|board))(?!s)", "council_body"),
    (r"(?i:local\s+involvement\s+network)|LINk|LiNK|LINK|Healthwatch", "patient_voice"),
    (r"Medical\s+Centre|Health\s+Centre|Surgery|Medical\s+Practice|Primary\s+Care\s+Network|PCN",
     "gp_practice"),
    (r"Social\s+Enterprise|Community\s+Interest\s+Company|CIC", "provider_other"),
    (r"University|LLP|Solicitors", "other"),
    (r"(?:Hospitals?|Healthcare|Health(?:\s+(?:and|&)\s+Care)?|Services|Ambulance(?:\s+Service)?|"
     r"Mental\s+Health|Partnership|Community\s+Health)\s+(?:NHS\s+)?Trust", "nhs_trust"),
]
# The name opens with a bare capital and checks the character before it afterwards, so
# that the regex engine can skip to capitals instead of trying every position.
_FIRST_CAP = (r"[A-Z](?<![\w&].)(?:[A-Z]*&[A-Z]+|[A-Za-z\-]*+(?:['’](?![sS]\b)[A-Za-z]+)?)")
_NAME_FAST = _FIRST_CAP + _NAME[len(_CAP):]
SUFFIX_RE = re.compile(
    r"(?P<name>" + _NAME_FAST + r")[ \t]+(?:" + "|".join(
        f"(?P<s{i}>{s})" for i, (s, _) in enumerate(_SUFFIXES)) + r")(?![\w&])")
_SUFFIX_TYPE = {f"s{i}": typ for i, (_, typ) in enumerate(_SUFFIXES)}   # by m.lastgroup
# A capitalised "Health and Wellbeing Board" names the local board even without its place.
# (Here and below the character before a word is checked after the word's literal text, so
# that the regex engine can skip ahead to that text instead of trying every position.)
HWB_RE = re.compile(r"Health(?<![\w&]Health)\s+(?:and|&)\s+Well[\s-]?[Bb]eing\s+"
                    r"(?:Partnership\s+)?Board(?!s)")
# A capitalised "Health Scrutiny Committee" (or "Adult Social Care Overview and Scrutiny
# Panel") names one council's committee even without its place; a capitalised word before
# it ("Joint", a place) makes it part of a longer name, read elsewhere.
BARE_SCRUTINY_RE = re.compile(
    r"(?<![\w&])(?:Adults?|Adult[ \t]+Social[ \t]+Care|Children'?s|Public[ \t]+"
    r"Health|Health(?:[ \t]+(?:and|&)[ \t]+(?:(?:Adult[ \t]+)?Social[ \t]+)?Care)?)[ \t]+"
    r"(?:Overview[ \t]+(?:and|&)[ \t]+)?Scrutiny[ \t]+(?:Committee|Panel|Commission)(?![\w&])")
# "NHS X": a PCT (before April 2013), a CCG (to mid-2022), then an ICB.
NHS_RE = re.compile(r"NHS(?<![\w&]NHS)[ \t]+(?P<name>" + _NAME + r")")
# "legal firm Hempsons", "law firm X"
FIRM_RE = re.compile(r"(?i:\b(?:legal|law|accountancy|consultancy)\s+firm\s+)(?P<name>" + _CAP
                     + r"(?:[ \t]+" + _CAP + r")*)")
# Parenthetical alias right after a name: "Shadow Commissioning Group (CCG)".
ALIAS_RE = re.compile(r"\s*\((?P<alias>[A-Z][A-Za-z&]{1,30})\)")

_LEAD_STOP = {
    "the", "a", "an", "in", "at", "by", "for", "from", "on", "of", "to", "with", "and", "but",
    "both", "under", "between", "dear", "if", "as", "this", "that", "these", "those", "our",
    "their", "its", "his", "her", "when", "while", "whilst", "after", "before", "since", "new",
    "each", "every", "all", "mr", "mrs", "ms", "dr", "sir", "cllr", "councillor", "councillors",
    "chair", "chairman", "vice-chair", "chief", "executive", "leader", "deputy", "director",
    "statement", "presentation", "briefing", "letter", "letters", "minutes", "agenda", "item",
    "local", "former", "shadow", "interim", "acting", "joint", "said", "says", "whether",
    "however", "meanwhile", "also", "including", "including:", "cc", "cc.", "re", "re:", "via",
    "report", "guidance", "says:", "told", "nearby", "neighbouring", "where", "which", "who",
    "how", "why", "what", "any", "some", "many", "most", "other", "another", "one", "two",
    "yesterday", "today", "last", "next", "following", "according", "within", "across",
} | {m.lower() for m in ("January February March April May June July August September "
                         "October November December Monday Tuesday Wednesday Thursday Friday "
                         "Saturday Sunday").split()}
_NHS_STOP = {
    "constitution", "chief", "executive", "chair", "chairman", "vice", "board", "boards", "plan",
    "policy", "reform", "reforms", "trust", "trusts", "foundation", "pension", "pensions",
    "staff", "bill", "act", "operating", "framework", "standard", "outcomes", "long", "choices",
    "jobs", "services", "service", "system", "director", "directors", "chiefs", "budget",
    "funding", "cluster", "clusters", "number", "reorganisation", "organisations", "bodies",
    "body", "england's", "pay", "app", "website", "number", "day", "week", "month", "year",
    "spending", "managers", "manager", "management", "employers", "commissioning", "provider",
    "providers", "improvement", "digital", "confederation", "alliance", "direct", "property",
    "blood", "business", "resolution", "litigation", "institute", "mandate", "commissioners",
    "national", "future", "chairs", "executives", "headquarters", "regional", "area",
    "programme", "health", "care", "trusts'", "local", "south", "north", "east", "west",
    "midlands", "london", "and", "partners", "partnership", "rules", "transition", "ccgs",
}
_REGION_WORDS = {"north", "south", "east", "west", "midlands", "central", "coast", "england",
                 "london", "of", "the", "and", "yorkshire", "humber"}
# Inside a longer "NHS <place>" name, compass words and "and" are place words
# ("NHS Bath and North East Somerset"); only the other stop words disqualify it.
_NHS_STOP_ANY = _NHS_STOP - _REGION_WORDS
# Words that begin a spelled-out type name: "Clinical Commissioning Group" alone is no name.
_GENERIC = {"clinical", "primary care", "primary", "strategic health", "local involvement",
            "integrated care", "commissioning support", "individual", "emerging", "constituent",
            "health", "care", "nhs", "community", "social", "joint", "provider", "county",
            "city", "borough", "district", "gp"}
_TRAIL_STOP = {"chair", "chairman", "chief", "executive", "vice", "vice-chair", "leader",
               "deputy", "director", "board", "cluster", "chief executive", "and", "of", "&",
               "with", "on", "upon", "under", "pct", "ccg", "ceo", "statement", "panel",
               "members", "member", "officer", "officers", "staff", "boards"}


def _wordish(c: str) -> bool:
    return c == "&" or c.isalnum() or c == "_"


def find_terms(text: str, terms) -> list[tuple[int, int, str]]:
    """Non-overlapping whole-word occurrences of ``terms`` (not preceded or followed by a
    word character or "&"), leftmost first and the longest at a position: what one
    alternation regex ``(?<![\\w&])(t1|t2|...)(?![\\w&])`` (longest first) finds, without
    compiling a regular expression per document."""
    hits: list[tuple[int, int, str]] = []
    n = len(text)
    find = text.find
    for t in terms:
        lt = len(t)
        if not lt:
            continue
        i = find(t)
        while i >= 0:
            e = i + lt
            if (i == 0 or not _wordish(text[i - 1])) and (e == n or not _wordish(text[e])):
                hits.append((i, -lt, t))
            i = find(t, i + 1)
    if not hits:
        return hits
    hits.sort()
    out = []
    last = -1
    for i, neg, t in hits:
        if i < last:
            continue
        out.append((i, i - neg, t))
        last = i - neg
    return out


class Occupied:
    """Character offsets covered by chosen mentions: overlap tests in O(span length)."""

    __slots__ = ("buf",)

    def __init__(self, n: int, spans=()):
        self.buf = bytearray(n + 1)
        for a, b in spans:
            self.add(a, b)

    def add(self, a: int, b: int) -> None:
        if b > a:
            if b > len(self.buf):
                self.buf.extend(bytes(b - len(self.buf)))
            self.buf[a:b] = b"\x01" * (b - a)

    def overlaps(self, a: int, b: int) -> bool:
        return b > a and self.buf.find(1, a, b) >= 0


@dataclass(frozen=True)
class Mention:
    """One organisation mention: ``text[start:end]``; ``name`` canonical; ``component``
    the rule that found it (``gazetteer``, ``pattern:<type>``, ``shortref``, ``alias``)."""

    start: int
    end: int
    text: str
    org_type: str
    name: str
    component: str
    linked: bool = False        # name comes from the gazetteer/registry


# Posts never occur inside an organisation's name; in a schedule line ("Jane Roe Chief
# Executive Upton NHS Trust") the organisation begins after the post.
_ROLE_IN_NAME = re.compile(r"\b(?:Chief[ \t]+Executive|Chief[ \t]+Officer|Chair(?:man|woman|person)?|"
                           r"Vice[ \t-]Chair|Director|Councillor|Cllr|Leader|Secretary)\b[ \t]*")


def _may_hold_a_role(name: str) -> bool:
    """Whether ``name`` holds a word every ``_ROLE_IN_NAME`` match holds (a few substring
    tests: most names hold none, and the regex tries every position)."""
    return ("Chief" in name or "Chair" in name or "Director" in name or "Councillor" in name
            or "Cllr" in name or "Leader" in name or "Secretary" in name)


_FIRST_WORD = re.compile(r"(\S+)\s+")   # (compiled once: called per pattern mention)
_LAST_WORD = re.compile(r"\s+(\S+)$")


def _trim_lead(text: str, start: int, name: str) -> tuple[int, str]:
    """Drop sentence-initial function words and titles from a name's front."""
    while True:
        m = _FIRST_WORD.match(name)
        if not m:
            return start, name
        word = m.group(1).lower().rstrip(",")
        if word in _LEAD_STOP or word.endswith(("'s", "’s")):
            start += m.end()
            name = name[m.end():]
            continue
        return start, name


def _trim_trail(name: str) -> str:
    while True:
        m = _LAST_WORD.search(name)
        if not m or m.group(1).lower() not in _TRAIL_STOP:
            return name
        name = name[:m.start()]


def nhs_short_type(doc_year: int | None, doc_month: int = 1) -> str:
    """What "NHS <place>" names in a document of that date."""
    if doc_year is None or (doc_year, doc_month) < (2013, 4):
        return "pct"
    if (doc_year, doc_month) < (2022, 7):
        return "ccg"
    return "icb"


# Characters no SUFFIX_RE match contains: a match lies between two of them.
_BARRIER = re.compile(r"[.,;:!?()\[\]\"“”0-9]")


def _suffix_matches(text: str, anchors=None):
    """SUFFIX_RE's matches; with ``anchors`` only the stretches between punctuation that
    hold a type word (``anchors.ORG_WORD``) are read, as no match can lie elsewhere, and
    a stretch only up to its last match when no type word follows that match (the
    capitals after it cannot start one: a third of the scan)."""
    if anchors is None:
        yield from SUFFIX_RE.finditer(text)
        return
    words = anchors.starts(ORG_WORD)
    if not words:
        return
    # The stops either side of a word are found by searching forwards in the text and in
    # its reverse, rather than listing every stop of the document.
    n = len(text)
    rev = text[::-1]
    search = SUFFIX_RE.search
    done = -1
    pos = 0   # where the next match can start: SUFFIX_RE.finditer(text, lo, done), step by step
    for w in words:
        if w < pos:
            continue   # inside the last match, or in a stretch without more matches
        if w >= done:   # a new stretch
            before = _BARRIER.search(rev, n - w)
            pos = n - before.start() if before else 0
            after = _BARRIER.search(text, w)
            done = after.start() + 1 if after else n   # the stop too: lookahead
        m = search(text, pos, done)
        if m is None:
            pos = done
            continue
        yield m
        pos = m.end()


def pattern_mentions(text: str, doc_year: int | None = None, doc_month: int = 1,
                     anchors=None) -> list[Mention]:
    """Mentions of organisations found by suffix and "NHS <place>" patterns (``anchors``:
    the document's token anchors, to skip the stretches without a type word)."""
    out: list[Mention] = []
    for m in _suffix_matches(text, anchors):
        name = m.group("name")
        start, name = _trim_lead(text, m.start("name"), name)
        inner_role = None
        if _may_hold_a_role(name):
            for inner_role in _ROLE_IN_NAME.finditer(name):
                pass
        if inner_role is not None:   # "Jane Roe Chief Executive Upton NHS Trust"
            start += inner_role.end()
            name = name[inner_role.end():]
            start, name = _trim_lead(text, start, name)
        if not name or name.lower().rstrip(",") in _LEAD_STOP or name.lower() in _GENERIC:
            # bare suffix ("Council", "CCG") is not a name on its own
            continue
        typ = _SUFFIX_TYPE[m.lastgroup]
        if typ == "care_trust" and re.search(r"Community|Health\s+(?:and|&)\s*$", name):
            typ = "nhs_trust"
        if typ == "care_trust" and name.endswith(" Primary"):
            typ = "pct"   # "Upton Primary Care Trust"
        end = m.end()
        out.append(Mention(start, end, text[start:end], typ, text[start:end], f"pattern:{typ}"))
    taken: list[Occupied] = []   # what ``out`` covers (built at the first board found)

    def free_at(i: int) -> bool:
        """No mention in ``out`` covers offset ``i``."""
        if not taken:
            taken.append(Occupied(len(text), ((o.start, o.end) for o in out)))
        return not taken[0].overlaps(i, i + 1)

    def add_board(m) -> None:
        out.append(Mention(m.start(), m.end(), m.group(0), "council_body", m.group(0),
                           "pattern:council_body"))
        taken[0].add(m.start(), m.end())

    for m in HWB_RE.finditer(text) if "ellbeing" in text or "ell-being" in text else ():
        if free_at(m.start()):
            add_board(m)
    for m in BARE_SCRUTINY_RE.finditer(text) if "Scrutiny" in text else ():
        before = text[max(0, m.start() - 30):m.start()].rsplit("\n", 1)[-1].split()
        if before and before[-1][:1].isupper() and before[-1] != "The":
            continue   # "Joint Health Scrutiny Committee", "Upton Health Scrutiny Committee"
        if free_at(m.start()):
            add_board(m)
    for m in NHS_RE.finditer(text):
        name = _trim_trail(m.group("name"))
        words = name.split()
        if not words or words[0].lower() in _NHS_STOP or words[-1].lower() in _NHS_STOP:
            if not (words and all(w.lower() in _REGION_WORDS for w in words)):
                continue
        end = m.start("name") + len(name)
        span = text[m.start():end]
        if all(w.lower() in _REGION_WORDS for w in words):
            typ = "sha"
        else:
            if any(w.lower() in _NHS_STOP_ANY for w in words):
                continue
            typ = nhs_short_type(doc_year, doc_month)
        out.append(Mention(m.start(), end, span, typ, span, f"pattern:nhs_{typ}"))
    for m in (FIRM_RE.finditer(text) if ("firm" in text or "Firm" in text) else ()):
        out.append(Mention(m.start("name"), m.end("name"), m.group("name"), "other",
                           m.group("name"), "pattern:firm"))
    return out


# ---------------------------------------------------------------- short references
# Abbreviations that stand for one body of a type when used in the singular.
SHORT_REFS = {
    "SHA": "sha", "PCT": "pct", "CCG": "ccg", "ICB": "icb", "CSU": "csu", "LINk": "patient_voice",
    "LiNK": "patient_voice", "LINK": "patient_voice", "ICS": "icb",
    "Strategic Health Authority": "sha", "Primary Care Trust": "pct",
    "Clinical Commissioning Group": "ccg", "Local Involvement Network": "patient_voice",
    "Integrated Care Board": "icb",
}
_SHORT_RE = re.compile(r"(?P<ref>" + "|".join(
    re.escape(k) + r"(?<![\w&/]" + re.escape(k) + ")"
    for k in sorted(SHORT_REFS, key=len, reverse=True)) + r")(?P<poss>['’]s)?(?![\w&/-])")
# A following word that makes the abbreviation a modifier ("PCT clusters", "SHA cluster").
_MODIFIED = re.compile(
    r"[ \t]*(?:[-/]|(?i:clusters?|boards?|level|chairs?|chief|jobs|staff|costs?|arrangements|"
    r"functions|regulations|directors?|implementation|executives?|led|areas?|members?|"
    r"footprint|configuration|legacy|governance|guidance|allocations?|budgets?|management|"
    r"team|teams|integration|boundar\w+|population|authorisation|plans?|structure|"
    r"relationships?|workforce|commissioners?|colleagues|briefing|session|"
    r"position|view|views|support|status|leaders?|lead|officers?|representatives?|"
    r"merger|mergers|partners?|reform|transition|system|cover|accounts?|legal|"
    r"clustering|approval|funding|responsibilities|duties)\b)")
_DETERMINER = re.compile(r"(?i:\b(?:the|their|its|our|your|this|that|local)\s+)$")
_GENERIC_DET = re.compile(r"(?i:\b(?:a|an|each|every|any|no|one|per|which|what|whose|"
                          r"another|other|new|single|shadow|emerging|individual|larger|smaller|"
                          r"relevant|respective|constituent|neighbouring|what\s+local|"
                          r"standalone|stand-alone|separate|county-wide|statutory|successor|"
                          r"current)\s+)$")
# "the SHA, cluster, PCT and local authority": a list of kinds of body, not one body
_KIND_LIST = re.compile(r",[ \t]*(?!the\b|and\b|or\b)[a-z]+[ \t]*,[ \t]*$")
_KIND_LIST_AFTER = re.compile(r"[ \t]*,[ \t]*(?!which\b|who\b|the\b|and\b|or\b|but\b)"
                              r"[a-z]+[ \t]*(?:,|and\b|or\b)")


def salient_by_type(mentions: list[Mention]) -> dict[str, Mention]:
    """Per type, the organisation the document is most about: most mentions, then earliest."""
    counts = Counter((m.org_type, m.name) for m in mentions)
    rep: dict[tuple[str, str], Mention] = {}   # the first mention of each (type, name)
    for m in mentions:
        rep.setdefault((m.org_type, m.name), m)
    best: dict[str, tuple] = {}
    for (typ, name), n in counts.items():
        cand = (n, -rep[(typ, name)].start)
        if typ not in best or cand > best[typ][0]:
            best[typ] = (cand, rep[(typ, name)])
    return {typ: v[1] for typ, v in best.items()}


def short_references(text: str, named: list[Mention],
                     salient: dict[str, Mention] | None = None) -> list[Mention]:
    """Singular "the SHA" / "the CCG" / "the Strategic Health Authority" mentions resolved to
    the body of that type the document names most. Abbreviations count even unresolved;
    spelled-out forms ("Strategic Health Authority") only after a determiner.
    (``salient``: ``salient_by_type(named)``, when the caller has it.)"""
    if salient is None:
        salient = salient_by_type(named)
    taken = [(m.start, m.end) for m in named]
    out = []
    for m in _SHORT_RE.finditer(text):
        s, e = m.start("ref"), m.end("ref")
        if any(a < e and s < b for a, b in taken):
            continue
        ref = m.group("ref")
        typ = SHORT_REFS[ref]
        before = text[max(0, s - 30):s]
        if _GENERIC_DET.search(before):
            continue
        if _KIND_LIST.search(before) or _KIND_LIST_AFTER.match(text, m.end()):
            continue
        if not m.group("poss") and _MODIFIED.match(text, m.end()):
            continue
        abbreviation = ref.isupper() or ref in ("LINk", "LiNK")
        if not abbreviation and not _DETERMINER.search(before):
            continue
        if ref == "LINK" and not (_DETERMINER.search(before) or typ in salient):
            continue
        target = salient.get(typ)
        if target is None:
            continue  # a generic "the PCT": no known body it stands for
        name, linked = target.name, target.linked
        out.append(Mention(s, e, ref, typ, name, "shortref", linked))
    return out


_STEM_TYPES = {"nhs_trust", "foundation_trust", "care_trust"}
_TRUST_SUFFIX = re.compile(r"\s+(?:NHS\s+)?(?:Foundation\s+)?(?:Care\s+)?Trust$")


def stem_mentions(text: str, named: list[Mention]) -> list[Mention]:
    """A trust named in full ("Upton Community Services NHS Trust") is later called by its
    name without "NHS Trust" ("Upton Community Services") or by that name's initials
    ("UCS"); both count as mentions of it. Stems of one word (a bare place) do not."""
    stems: dict[str, Mention] = {}
    for m in named:
        if m.org_type not in _STEM_TYPES or m.component == "shortref":
            continue
        stem = _TRUST_SUFFIX.sub("", " ".join(m.text.split()))
        words = stem.split()
        if stem == m.text or len(words) < 2 or not all(w[0].isupper() for w in words):
            continue
        stems.setdefault(stem, m)
        initials = "".join(w[0] for w in words)
        if len(initials) >= 3:
            stems.setdefault(initials, m)
    return _uses_outside(text, named, stems, "stem")


def alias_mentions(text: str, named: list[Mention]) -> list[Mention]:
    """"Full Name (ABBR)": later uses of ABBR name the same organisation."""
    aliases: dict[str, Mention] = {}
    for m in named:
        am = ALIAS_RE.match(text, m.end)
        if am and am.group("alias") not in SHORT_REFS and len(am.group("alias")) >= 2:
            aliases.setdefault(am.group("alias"), m)
    return _uses_outside(text, named, aliases, "alias")


def _uses_outside(text: str, named: list[Mention], terms: dict[str, Mention],
                  component: str) -> list[Mention]:
    """Each use of a term outside the named mentions, as a mention of the organisation the
    term was taken from: a short form only adds mentions, the full names keep their place."""
    if not terms:
        return []
    taken = Occupied(len(text), ((m.start, m.end) for m in named))
    out = []
    for s, e, t in find_terms(text, terms):
        if taken.overlaps(s, e):
            continue
        src = terms[t]
        out.append(Mention(s, e, t, src.org_type, src.name, component, src.linked))
    return out


def select(cands: list[Mention]) -> list[Mention]:
    """Non-overlapping mentions: longest first, gazetteer before pattern on ties."""
    rank = {"gazetteer": 0}
    order = sorted(cands, key=lambda m: (-(m.end - m.start), rank.get(m.component, 1), m.start))
    chosen: list[Mention] = []
    occupied = Occupied(max((m.end for m in cands), default=0))
    for m in order:
        if occupied.overlaps(m.start, m.end):
            continue
        chosen.append(m)
        occupied.add(m.start, m.end)
    return sorted(chosen, key=BY_SPAN)


_CCG_STEM = re.compile(r"(?i)^(?:NHS\s+)?(?:shadow\s+)?(?P<stem>.+?)\s+(?:shadow\s+)?"
                       r"(?:(?:clinical\s+)?commissioning\s+group|CCG)$")


_COMPASS_SHORT = re.compile(r" (?<=\w )(NE|NW|SE|SW) (?=[A-Z][a-z])")
_COMPASS_FULL = {"NE": "North East", "NW": "North West", "SE": "South East", "SW": "South West"}


def spell_out(name: str) -> str:
    """A name as official names are written: "&" between words as "and", compass
    abbreviations between place words in full ("Bath & NE Somerset" -> "Bath and North
    East Somerset"); acronyms such as "B&NES" stay."""
    name = name.replace(" & ", " and ")
    return _COMPASS_SHORT.sub(lambda m: f" {_COMPASS_FULL[m.group(1)]} ", name)


# an initialism that is not a type abbreviation ("B&NES", not "CCG" or "NHS")
_ACRONYM_TOKEN = re.compile(r"\b(?!(?:NHS|CCG|PCT|ICB|ICS|SHA|CSU|CIC|LLP|MBC|PCN|GP)\b)"
                            r"[A-Z]{1,4}&?[A-Z]{2,6}\b")


def expand_acronyms(mentions: list[Mention], gaz=None, when: str | None = None) -> list[Mention]:
    """Within one document, an unlinked name whose place is an initialism of a place the
    document spells out ("NHS B&NES" beside "Bath and North East Somerset Council") takes
    the spelled-out place (and the registry's entry for it, when there is one)."""
    if not any(not m.linked and _ACRONYM_TOKEN.search(m.text) for m in mentions):
        return mentions   # no initialism to expand (the usual case)
    places: dict[str, str] = {}
    for m in mentions:
        for text in (m.name, m.text):
            place = place_of(spell_out(" ".join(text.split())))
            for acr in acronyms(place):
                places.setdefault(acr, place)
    if not places:
        return mentions
    rx = re.compile(r"(?<![\w&])(" + "|".join(re.escape(a) for a in sorted(places, key=len,
                                                                            reverse=True))
                    + r")(?![\w&])")
    out = []
    for m in mentions:
        if m.linked or not rx.search(m.name):
            out.append(m)
            continue
        text = rx.sub(lambda a: places[a.group(1)], " ".join(m.text.split()))
        new = replace(m, text=text)
        new = relink(new, gaz, when) if gaz is not None else replace(new, name=canonical_guess(new))
        out.append(replace(new, text=m.text))
    return out


_JOIN = re.compile(r"\s+(?:and|&)\s+")


def split_joined(mentions: list[Mention], gaz=None, when: str | None = None) -> list[Mention]:
    """"A and B NHS Care Trust" names two bodies when both halves are bodies of that kind
    the document (or the registry) knows on their own: "B NHS Care Trust" elsewhere, and A
    as the start of another name of the same family ("A Care Trust"). Otherwise (most
    "X and Y" names are one body) the name stays whole."""
    known = {}
    for m in mentions:
        for t in (m.text, m.name):
            known.setdefault(key(t), m)
    out = []
    for m in mentions:
        if m.linked or m.component.startswith("pattern:nhs") or not m.component.startswith(
                "pattern:"):
            out.append(m)
            continue
        fam = type_family(m.org_type)
        done = False
        for j in _JOIN.finditer(m.text):
            a, b = m.text[:j.start()], m.text[j.end():]
            kb = key(b)
            other_b = known.get(kb)
            if other_b is None and gaz is not None:
                entry = gaz.lookup(b)
                other_b = entry and Mention(0, 0, b, entry.org_type, entry.name, "gazetteer", True)
            if other_b is None or other_b is m or type_family(other_b.org_type) != fam:
                continue
            ka = key(a) + " "
            other_a = known.get(key(a))
            other_a = other_a if other_a is not None and other_a is not m else next(
                (o for o in mentions if (o.end <= m.start or o.start >= m.end)
                 and type_family(o.org_type) == fam
                 and (key(o.text).startswith(ka) or key(o.name).startswith(ka))), None)
            if other_a is None:
                continue
            bs = m.start + j.end()
            out.append(Mention(m.start, m.start + len(a), a, other_a.org_type, other_a.name,
                               "pattern:joined", other_a.linked))
            out.append(Mention(bs, m.end, b, other_b.org_type, other_b.name, "pattern:joined",
                               other_b.linked))
            done = True
            break
        if not done:
            out.append(m)
    return out


_PCT_STEM = re.compile(r"^(?:NHS\s+)?(?P<stem>.+?)\s+(?:Teaching\s+)?(?:Primary\s+Care\s+Trust|PCT)$")
_ICB_STEM = re.compile(r"^(?:NHS\s+)?(?P<stem>.+?)\s+(?:Integrated\s+Care\s+Board|ICB)$")
_ICS_STEM = re.compile(r"^(?P<stem>.+?)\s+(?:Integrated\s+Care\s+System|ICS)$")
# PCTs took "NHS <area>" operating names from late 2006 (the October 2006 mergers)
_PCT_NHS_NAMES_FROM = "2006-10"


def pct_name(text: str, when: str | None) -> str:
    """A PCT's canonical name: its "NHS <area>" operating name (2006-2013), or its
    statutory "<area> Primary Care Trust" for a text from before October 2006."""
    pm = _PCT_STEM.match(text)
    if not pm or pm.group("stem").lower() in ("the", "a", "each", "every"):
        return text
    if when and when[:7] < _PCT_NHS_NAMES_FROM:
        return f"{pm.group('stem')} Primary Care Trust"
    return f"NHS {pm.group('stem')}"


def canonical_guess(m: Mention) -> str:
    """The official form of a name not in the registry: NHS trusts are "X NHS Trust",
    CCGs "NHS X CCG", ICBs "NHS X Integrated Care Board", ICSs "X Integrated Care System"
    (their statutory names); names in capitals as names are written. Other names stay as
    written. (PCTs: see :func:`pct_name`, which needs the document's date.)"""
    text = name_case(spell_out(" ".join(m.text.split())))
    if m.org_type == "patient_voice":
        lm = re.match(r"(?i)^(?P<place>.+?)\s+local\s+involvement\s+network$", text)
        if lm:   # LINks were named "<area> LINk"
            return lm.group("place") + " LINk"
    if m.org_type == "nhs_trust" and "NHS" not in text and text.endswith(" Trust"):
        return text[:-len(" Trust")] + " NHS Trust"
    if m.org_type == "local_authority":
        if text.endswith(" MBC"):
            return text[:-4] + " Metropolitan Borough Council"
        if text.endswith(" BC"):
            return text[:-3] + " Borough Council"
    if m.org_type == "ccg":
        cm = _CCG_STEM.match(text)
        if cm:
            return f"NHS {cm.group('stem')} CCG"
    if m.org_type == "icb":
        im = _ICB_STEM.match(text)
        if im:
            return f"NHS {im.group('stem')} Integrated Care Board"
        sm = _ICS_STEM.match(text)
        if sm:
            return f"{sm.group('stem')} Integrated Care System"
    return text


_HAS_TYPE_WORD = re.compile(r"\b(?:Council|NHS|CCG|PCT|ICB|Trust)\b")


_LISTED_AREA_TYPES = {"icb", "ccg"}


def relink(m: Mention, gaz, when: str | None = None) -> Mention:
    """Give a pattern mention its registry name and type (as at ``when``) when the
    gazetteer knows it: by its spelling, its statutory form, or else by a close spelling of
    its place among bodies of the same type family; otherwise the statutory form. The entry
    a spelling names is looked up once per (text, type) and cached (names recur across a
    corpus); only its name as at ``when`` is worked out per mention."""
    cache = gaz.__dict__.setdefault("_relink_entries", {})
    k = (m.text, m.org_type)
    hit = cache.get(k)
    if hit is None:
        if len(cache) > 200_000:
            cache.clear()
        hit = cache[k] = _relink_entry(m, gaz)
    entry, guess = hit
    if entry is not None and not entry.known_at(when):
        entry = None   # the registry's body of that name came later
    if entry is not None and m.org_type in _LISTED_AREA_TYPES and ended_by(entry, when) and \
            entry.at(when)[1] != m.org_type:
        # the text's type word ("... ICBs") names a body in being; the registry's of that
        # place had ended as another type: the one body that now begins with that place,
        # else the statutory form
        entry = gaz.leading_lookup(m.text, m.org_type, when)
    if entry is None:
        if m.org_type == "pct":
            guess = pct_name(guess, when)
        return Mention(m.start, m.end, m.text, m.org_type, guess, m.component, m.linked)
    name, typ = entry.at(when)
    if not entry.named_at(when) or (typ == "local_authority" and not _HAS_TYPE_WORD.search(name)
                                    and _HAS_TYPE_WORD.search(guess)):
        # named only later, or a council the registry knows by its bare area: as written
        name = pct_name(guess, when) if typ == "pct" else guess
    return Mention(m.start, m.end, m.text, typ, name, m.component, True)


def _relink_entry(m: Mention, gaz):
    """(registry entry or None, statutory form) for a pattern mention's spelling."""
    entry = gaz.lookup(m.text)
    guess = canonical_guess(m)
    if entry is None and guess != m.text:
        entry = gaz.lookup(guess)
    if entry is None:
        entry = gaz.fuzzy_lookup(m.text, m.org_type)
    return entry, guess
