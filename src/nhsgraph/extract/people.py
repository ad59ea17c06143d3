"""People named with a role: "Chief executive X", "X, chair of Y", "Councillor X",
"Dr X (Chair of the Y)", "Y's chair X", letter signatures (name / role / body lines).

Example::

    [(p.name, p.role) for p in find_people("Chief executive Jane Roe said.", [])]
    # [("Jane Roe", "chief executive")]
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from nhsgraph.extract.anchors import PAREN
from nhsgraph.extract.orgs import BY_START, Mention, salient_by_type
from nhsgraph.extract.roles import ROLE_RE_SOURCE, normalise_role_text, registry_role

_TITLE = (r"(?:(?:Dr|Sir|Dame|Professor|Prof|Mr|Mrs|Ms|Miss|Lord|Baroness|Lady|Rev|Revd|Reverend|"
          r"Very[ \t]+Reverend|Canon|Cllr|Councillor)\.?[ \t]+)")
_NOT_NAME = (r"(?!(?:Chief|Chair|Chairman|Executive|Director|NHS|Council|Councillor|Trust|"
             r"Board|Panel|Group|Health|Care|The|And|Of|For|Vice|Deputy|Leader|Officer|"
             r"Secretary|Minister|Commissioning|Clinical|National|Strategic|Local|Said|Says|"
             r"Statement|Appendix|Dear|Yours|Chairperson|Present|Apologies|January|February|"
             r"March|April|June|July|August|September|October|November|December|Monday|"
             r"Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Services|Community|"
             r"Foundation|Hospital|University|Partnership|Authority|Councillors|Cllrs?|Birmingham|"
             r"London|Manchester|Leeds)\b)")
_WORD = _NOT_NAME + r"(?:Mc|Mac|O['’]|D['’])?[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?"
NAME = r"(?P<title>" + _TITLE + r"{1,3})?(?P<pname>" + _WORD + r"(?:[ \t]+" + _WORD + r"){1,3})"
_ROLE = r"(?P<role>(?i:" + ROLE_RE_SOURCE + r"))(?![\w-])"

# ROLE NAME ("Chief executive Matthew Winn", "NHS Blackpool chair Roy Fisher")
ROLE_NAME_RE = re.compile(_ROLE + r"[ \t]+" + NAME)
# NAME, ROLE of/at ORG   and signatures NAME \n ROLE \n ORG
# Words between a name and its role that are not part of the role ("the", "its new",
# "former"); "interim", "acting", ... belong to the role (roles._QUALIFIERS).
_LEAD_WORDS = (r"(?:(?:a|an|the|its|their|recently\s+retired|(?P<former>former|formerly)|new|"
               r"permanent|substantive|incoming|outgoing|then|current|"
               r"(?P<poss>[A-Za-z]+['’]s))[ \t]+)*")
_ROLE_LEAD = r"(?P<sep>,[ \t]*|[ \t]*\n[ \t]*)" + _LEAD_WORDS
NAME_ROLE_RE = re.compile(NAME + r"(?:[ \t]+(?:OBE|CBE|MBE|KBE|DBE|FRCP|FRCGP))?" + _ROLE_LEAD
                          + _ROLE + r"(?P<tail>[ \t]*(?:,|\n|of\b|at\b|for\b|in\b|[ \t]))?")
# NAME, ORG ROLE ("Stuart Dunn, CQC deputy director of ...")
NAME_PAREN_RE = re.compile(NAME + r"[ \t]*\((?P<inner>[^()\n]{2,120})\)")
# The word boundary is checked after the first letter, so that the regex engine can skip
# ahead to that letter instead of trying every position.
COUNCILLOR_RE = re.compile(r"(?P<t>C(?<!\wC)(?:ouncillors?|llrs?\.?))[ \t]+")
_LIST_NAME = re.compile(r"[ \t]*(?:and[ \t]+)?(?P<title>" + _TITLE + r"{1,3})?(?P<pname>" + _WORD
                        + r"(?:[ \t]+" + _WORD + r"){0,3})(?:[ \t]*\((?P<inner>[^()\n]{2,40})\))?"
                        r"[ \t]*(?P<sep>,|and\b)?")


@dataclass
class Person:
    name: str
    role: str                  # as written, lower case
    org: str                   # canonical org name or ""
    start: int
    end: int
    component: str
    org_type: str = ""
    spans: list[tuple[int, int]] = field(default_factory=list)
    role_capitalised: bool = False

    @property
    def registry_role(self) -> str:
        return registry_role(self.role)


def _org_in(mentions: list[Mention], start: int, end: int) -> Mention | None:
    for m in mentions:
        if m.start >= start and m.end <= end:
            return m
    return None


def _org_after(text: str, mentions: list[Mention], pos: int, limit: int = 60) -> Mention | None:
    """The first org mention starting soon after ``pos``, before a sentence break, tied to
    what comes before by a comma, a line break or a preposition ("chair of", "partner at
    legal firm"), not by a verb ("chief executive, wrote to Upton CCG")."""
    for m in mentions:
        if m.start >= pos and m.start - pos <= limit:
            gap = text[pos:m.start]
            if _GAP_BREAK.search(gap):
                return None
            if gap.count(",") > 1 or not _TIE.match(gap):
                return None
            return m
        if m.start > pos + limit:
            break
    return None


_GAP_BREAK = re.compile(r"[.;:!?]\s|\bsaid\b|\n\s*\n")
# What may lead from a role to its organisation: nothing but commas and spaces, or a
# preposition, after at most two capitalised words that run on the role ("Director for
# Primary Care at the DH").
_TIE = re.compile(r"[\s,]*(?:(?:[A-Z][\w&'’-]*\s+){0,2}(?:of|at|for|with|within|in|on|to|from)\b"
                  r"|\Z)")
_SENT_BREAK = re.compile(r"[.;!?]\s|\n\s*\n")
_LEAD_BEFORE_ROLE = re.compile(_ROLE_LEAD + r"\Z")   # (searched up to the role only)
_WS_ROLE = re.compile(r"(?:['’]s)?[ \t]+" + _ROLE)
_WS_NAME = re.compile(r"[ \t]+" + NAME)
_POSS_GAP = re.compile(r"(?:['’]s)?\s*")
_POSS_NEW_GAP = re.compile(r"['’]s\s+(?:new|current|outgoing|incoming|former)\s+")
_POSS_BEFORE = re.compile(r"(?:the\s+)?(?P<w>[Tt]rust|[A-Z][a-z]+)['’]s\s+$")


def _org_before(text: str, mentions: list[Mention], ends: list[int], pos: int, salient: dict,
                subject: Mention | None, limit: int = 3) -> Mention | None:
    """An org mention ending right before ``pos`` (the "NHS Blackpool chair X" shape),
    or a possessive short reference ("the trust's", "Cambridgeshire's"); a place's
    possessive prefers ``subject``, the organisation the text is about. ``ends``: the
    mentions' end offsets (sorted, as the mentions are sorted and do not overlap)."""
    i = bisect.bisect_right(ends, pos) - 1
    if i >= 0:
        m = mentions[i]
        gap = text[m.end:pos]
        if len(gap) <= limit and _POSS_GAP.fullmatch(gap):
            return m
        if len(gap) <= 16 and _POSS_NEW_GAP.fullmatch(gap):
            return m   # "Upton CCG's new accountable officer"
    before = text[max(0, pos - 40):pos]
    if "s" not in before[-4:]:
        return None
    pm = _POSS_BEFORE.search(before)
    if pm:
        w = pm.group("w")
        if w.lower() == "trust":
            return salient.get("foundation_trust") or salient.get("nhs_trust")
        cands = [m for m in mentions if m.component != "shortref"
                 and (m.name.startswith(w + " ") or m.text.startswith(w + " "))]
        if cands:
            if subject is not None and any(m.name == subject.name for m in cands):
                return next(m for m in cands if m.name == subject.name)   # "X's chair"
            names = {}
            for m in cands:
                names[m.name] = names.get(m.name, 0) + 1
            best = max(names, key=lambda n: names[n])  # dict order: earliest wins ties
            return next(m for m in cands if m.name == best)
    return None


# Where a name (or its title) can begin: a capital at the start of a word.
_WORD_START = re.compile(r"\b\w")
_CAP_START = re.compile(r"[A-Z](?<![\w'’-].)")   # (checked after the capital: see orgs.HWB_RE)
WHO_CHAIRS_RE = re.compile(NAME + r"(?P<who>,[ \t]+who[ \t]+(?P<verb>chairs|leads|heads|runs)\b)")
_WHO = re.compile(r",[ \t]+who[ \t]+(?:chairs|leads|heads|runs)\b")
_WHO_ROLE = {"chairs": "chair", "leads": "leader", "heads": "head", "runs": "head"}
APPOINTED_RE = re.compile(r"[Aa](?<!\w[Aa])ppointed[ \t]+" + NAME + r"[ \t]+as[ \t]+"
                          + _LEAD_WORDS + _ROLE)


def _matches_around(rx: re.Pattern, text: str, literal: str, back: int):
    """``rx.finditer(text)`` for a pattern each of whose matches has ``literal`` ``back``
    characters after its start: the pattern is tried only there, as ``str.find`` skips
    to them far faster than the regex engine scans for the first character ("a" of
    "appointed": 0.06 s of CPU over the varied corpus)."""
    i = text.find(literal, back)
    while i >= 0:
        m = rx.match(text, i - back)
        if m is None:
            i = text.find(literal, i + 1)
        else:
            yield m
            i = text.find(literal, m.end() + back)


LIST_NAME_ROLE_RE = re.compile(r"(?m:^)[ \t]*(?:[-*•][ \t]*)*[*_]*" + NAME + r"[ \t]+" + _ROLE)
_LINE_ORG = re.compile(r"[ \t]+(?P<org>[A-Z][\w&'’-]*(?:[ \t]+(?:of|and|&|for|[A-Z][\w&'’-]*))"
                       r"{0,6})[ \t]*$", re.M)
NAME_COMMA_RE = re.compile(NAME + r",[ \t]*")
# "The leader of Upton Council, Cllr Jane Roe, said", "Upton CCG's chief officer, Jane Roe,":
# a role opening a sentence or after "the"/"its"/a possessive, then (of/at ORG), comma, name
_ROLE_AT = re.compile(_ROLE)
_ROLE_HEAD_BEFORE = re.compile(r"(?:\A|[.!?:;][\"'’”]?\s+|\n[ \t]*|"
                               r"\b(?:[Tt]he|[Ii]ts|[Tt]heir|[Oo]ur|[\w&]+['’]s)[ \t]+"
                               r"(?:(?:same|shared|current|then|new|former|outgoing|incoming)"
                               r"[ \t]+)?)\Z")
# The last characters a _ROLE_HEAD_BEFORE match can have before its closing space: the end
# of "the", "its", "their", "our", "X's", or a stop or quote before it.
_HEAD_LAST = frozenset(".!?:;\"'’”esr")
# words that may stand between "the"/"its"/"X's" and the role ("the same accountable officer")
_HEAD_MODIFIERS = ("same", "shared", "current", "then", "new", "former", "outgoing", "incoming")


def _role_head_before(text: str, p: int) -> bool:
    """``_ROLE_HEAD_BEFORE`` ends at ``p``. Every match ends with whitespace, and one space
    after any character but those of ``_HEAD_LAST`` or a whitespace rules all its forms out:
    most role words follow an ordinary word ("new chief executive") and are told apart here
    without the regex (its search tries thirty starts: 0.08 s over the varied corpus)."""
    if p >= 2 and text[p - 1] == " ":
        c = text[p - 2]
        if c not in _HEAD_LAST and not c.isspace() and not text.endswith(
                _HEAD_MODIFIERS, max(0, p - 10), p - 1):
            return False
    elif p >= 1 and not text[p - 1].isspace():
        return False
    return _ROLE_HEAD_BEFORE.search(text, max(0, p - 30), p) is not None


_OF_AT = re.compile(r"[ \t]+(?:of|at)[ \t]+(?:the[ \t]+)?")
_BECOMES_VERB = (r"(?:will[ \t]+(?:be|become)|is[ \t]+to[ \t]+(?:be|become)|becomes|became|"
                 r"has[ \t]+become|(?:has|have)[ \t]+been[ \t]+(?:appointed|named|confirmed)"
                 r"(?:[ \t]+as)?|(?:was|is)[ \t]+(?:appointed|named|confirmed)(?:[ \t]+as)?|"
                 r"takes[ \t]+over[ \t]+as|took[ \t]+over[ \t]+as|joins[ \t]+as|joined[ \t]+as|"
                 r"is[ \t]+now|is|was|remains)")
_LEAVES_VERB = (r"(?:(?:is[ \t]+to|will|has|had|is)[ \t]+)?(?:step(?:s|ped|ping)?[ \t]+down|"
                r"stand(?:s|ing)?[ \t]+down|stood[ \t]+down|resign(?:s|ed|ing)?|retir(?:es|ed|e|ing)|"
                r"leav(?:es|e|ing)|left)[ \t]+as")
BECOMES_RE = re.compile(NAME + r"(?:[ \t]*,[ \t]*who)?[ \t]+(?:" + _BECOMES_VERB + r"[ \t]+"
                        + _LEAD_WORDS + _ROLE + r"(?=[ \t]+(?:of|at|for)\b)|(?P<leaves>"
                        + _LEAVES_VERB + r")[ \t]+" + _LEAD_WORDS.replace("(?P<former>", "(?P<former_>")
                        .replace("(?P<poss>", "(?P<poss_>") + _ROLE.replace("(?P<role>", "(?P<role2>")
                        + r")")
_BECOMES_LAST = {"be", "become", "becomes", "became", "appointed", "named", "confirmed", "as",
                 "now", "is", "was", "remains"}
_BECOMES_SKIP = {"a", "an", "the", "its", "their", "new", "current", "former", "formerly",
                 "permanent", "substantive", "interim", "acting", "joint", "deputy"}


_LEAVES_LAST = {"down", "resign", "resigns", "resigned", "resigning", "retire", "retires",
                "retired", "retiring", "leave", "leaves", "leaving", "left"}


def _becomes_before(text: str, p: int) -> str | None:
    """The group of BECOMES_RE a role at ``p`` can be ("role", or "role2" after "steps
    down as"), when the words before it end with a verb of taking up or leaving a post
    ("will be", "has been appointed", "becomes", "resigned as"), the role's lead words
    aside ("the new"); otherwise None."""
    end = p - 1
    for _ in range(5):
        if end < 1 or text[end] not in " \t":
            return None
        start = text.rfind(" ", max(0, end - 16), end)
        if start < 0:
            return None
        w = text[start + 1:end]
        if w not in _BECOMES_SKIP:
            if w not in _BECOMES_LAST:
                return None
            if w == "as":   # "steps down as", "resigned as": the leaving form
                prev = text[max(0, start - 12):start].split()[-1:]
                if prev and prev[0].rstrip(",") in _LEAVES_LAST:
                    return "role2"
            return "role"
        end = start
    return None
_ELECTED_WORD = re.compile(r"\b(?:was|were|been)[ \t]+(?:re-?)?elected\b")
ELECTED_RE = re.compile(NAME + r"[ \t]+(?P<verb>(?:was|were|been)[ \t]+(?:re-?)?elected)[ \t]+"
                        r"(?:as[ \t]+)?(?:the[ \t]+)?" + _ROLE)
CHAIRED_BY_RE = re.compile(r"\bchaired[ \t]+by[ \t]+(?:(?:the|its|leading|former|local|senior)[ \t]+)*"
                           r"(?:[A-Z]{2,6}[ \t]+)?(?:(?:member|GP|doctor)[ \t]+)?" + NAME)
_TITLE_WORDS = ("Dr ", "Dr. ", "Sir ", "Dame ", "Prof")
# Where any of them occurs, in order: one scan instead of one per word (no two occurrences
# can overlap, as none of the words ends with what another starts with).
_TITLE_AT = re.compile("|".join(re.escape(w) for w in _TITLE_WORDS))


def _all_finds(text: str, word: str):
    i = text.find(word)
    while i >= 0:
        yield i
        i = text.find(word, i + 1)
TITLED_NAME_ROLE_RE = re.compile(r"(?P<title>" + _TITLE + r"{1,3})(?P<pname>" + _WORD + r"(?:[ \t]+"
                                 + _WORD + r"){1,2})[ \t]+" + _ROLE + r"[ \t]+(?:of|at)[ \t]+")
COMMA_NAME_RE = re.compile(r",[ \t]*" + NAME + r"(?=[ \t]*(?:[,(.;]|(?:said|says|told|has|had|was|"
                           r"is|who|added|explained|welcomed|wrote)\b))")
_INNER_ROLE_RE = re.compile(r"(?i:" + ROLE_RE_SOURCE + r")(?![\w-])")


def _match_ending(rx: re.Pattern, text: str, pos: int, group: str, floor: int,
                  window: int = 120) -> re.Match | None:
    """The leftmost match of ``rx`` starting in the ``window`` characters before ``pos``
    (not before ``floor``) whose ``group`` starts exactly at ``pos``: the detailed pattern
    is tried only at the capitals just before an anchor, never over the whole text."""
    lo = max(floor, pos - window)
    for c in _CAP_START.finditer(text, lo, pos):
        m = rx.match(text, c.start())
        if m is not None and m.start(group) == pos:
            return m
    return None


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if name.endswith(("'s", "’s")):
        name = name[:-2]   # "Jane Roe’s practice"
    return name


# "not given: work it out" (``principal`` may be given as None)
FIND = object()


def find_people(text: str, mentions: list[Mention], anchors=None,
                meeting_body: Mention | None = None, salient: dict | None = None,
                principal=FIND) -> list[Person]:
    """People with a stated role, one per person (deduplicated), in order of first mention.
    ``salient`` and ``principal``: ``salient_by_type`` of the mentions other than short
    references and ``principal_org(mentions, text)``, when the caller has them already
    (the pipeline works them out once per document)."""
    mentions = sorted(mentions, key=BY_START)
    ends = [m.end for m in mentions]
    if salient is None:
        salient = salient_by_type([m for m in mentions if m.component != "shortref"])
    if principal is FIND:
        principal = principal_org(mentions, text)
    found: list[Person] = []

    starts = [m.start for m in mentions]

    def add(name, role, org: Mention | None, s, e, comp):
        i = bisect.bisect_left(starts, e) - 1
        if i >= 0 and ends[i] > s:
            return   # "Speaking at Upton Medical Centre, medical director ...": not a name
        found.append(Person(_clean_name(name), normalise_role_text(role),
                            org.name if org else "", s, e, comp,
                            org.org_type if org else ""))

    if anchors is not None:
        role_starts = anchors.role_starts()
        paren_starts = anchors.starts(PAREN)
    else:
        role_starts = [m.start() for m in _WORD_START.finditer(text)]
        paren_starts = [m.start() for m in re.finditer(r"\(", text)]
    last = 0
    for q in paren_starts:
        close = text.find(")", q + 1, q + 122)
        if close < 0 or q < last:
            continue
        rm = _INNER_ROLE_RE.search(text, q + 1, close)
        if not rm:
            continue
        m = _match_ending(NAME_PAREN_RE, text, q + 1, "inner", last)
        if m is None:
            continue
        last = m.end()
        inner_s, inner_e = m.start("inner"), m.end("inner")
        rm = _INNER_ROLE_RE.search(text, inner_s, inner_e)
        if not rm:
            continue
        add(m.group("pname"), rm.group(0), _org_in(mentions, inner_s, inner_e),
            m.start("pname"), m.end("pname"), "people:paren")
    last = 0
    for p in role_starts:
        before = text[max(0, p - 45):p]
        if "," not in before and "\n" not in before:
            continue   # "NAME, ROLE" / "NAME\nROLE" need a comma or line break before
        if not _LEAD_BEFORE_ROLE.search(text, max(last, p - 120), p):
            continue   # ... and only "the", "former", ... between it and the role
        m = _match_ending(NAME_ROLE_RE, text, p, "role", last)
        if m is None:
            continue
        last = m.end()
        if "\n" in m.group("sep") and m.group("sep").count("\n") > 1:
            continue
        if m.group("role").lower().startswith(("cllr", "councillor")):
            continue   # "Cllr Ann Roe, Cllr Tom Hale": the title of the next name
        org = _org_after(text, mentions, m.end("role"))
        if org is None and m.group("poss"):   # "Jane Roe, the trust's chair"
            org = _org_before(text, mentions, ends, m.start("role"), salient, principal)
        if org is None:
            # "Dr Jane Roe, CEO Anycharity" closing a line: the rest of the line is the body
            om = _LINE_ORG.match(text, m.end("role"))
            if om:
                org = Mention(om.start("org"), om.end("org"), om.group("org"), "other",
                              om.group("org"), "people:line_org")
        role = m.group("role")
        if m.group("former") and not role.lower().startswith("former"):
            role = "former " + role   # "Jane Roe, formerly the chief executive of X"
        add(m.group("pname"), role, org, m.start("pname"), m.end("pname"), "people:name_role")
    # schedules and attendance lists: "- Jane Roe Chief Executive Anyshire ..." (a name,
    # then a capitalised role, at the start of a line)
    for p in role_starts:
        if not text[p].isupper():
            continue
        line = text.rfind("\n", 0, p) + 1
        m = LIST_NAME_ROLE_RE.match(text, line) if p - line < 90 else None
        if m is None or m.start("role") != p or not m.group("role")[0].isupper():
            continue
        org = _org_after(text, mentions, m.end("role"), limit=2)
        add(m.group("pname"), m.group("role"), org, m.start("pname"), m.end("pname"),
            "people:list")
    last = 0
    for p in role_starts:
        if p < last:
            continue
        m = ROLE_NAME_RE.match(text, p)
        if m is None:
            continue
        last = m.end()
        role = m.group("role")
        if role[0].isupper() and role.lower() in ("partner", "fellow", "leader", "president",
                                                   "governor"):
            continue
        if role.lower().startswith(("cllr", "councillor")):
            continue
        org = _org_before(text, mentions, ends, m.start("role"), salient, principal)
        # "CQC deputy director X" / "X, CQC deputy director ...": the org may follow too
        add(m.group("pname"), role, org, m.start("pname"), m.end("pname"), "people:role_name")
        found[-1].role_capitalised = role[0].isupper() and org is None
    for p in role_starts:
        if not _role_head_before(text, p):
            continue
        rm = _ROLE_AT.match(text, p)
        if rm is None:
            continue
        pos, org = rm.end(), None
        of = _OF_AT.match(text, pos)
        if of:
            i = bisect.bisect_left(starts, of.end())
            if i < len(mentions) and starts[i] == of.end():
                org, pos = mentions[i], mentions[i].end
        if org is None:
            org = _org_before(text, mentions, ends, p, salient, principal)
        m = COMMA_NAME_RE.match(text, pos)
        if m is not None:
            add(m.group("pname"), rm.group("role"), org, m.start("pname"), m.end("pname"),
                "people:role_comma_name")
    # NAME, ORG ROLE
    last = 0
    for org in mentions:
        j = org.start
        while j > 0 and text[j - 1] in " \t":
            j -= 1
        if j == 0 or text[j - 1] != "," or org.start < last:
            continue
        m = None
        for c in _CAP_START.finditer(text, max(last, j - 81), j):
            mm = NAME_COMMA_RE.match(text, c.start())
            if mm is not None and mm.end() == org.start:
                m = mm
                break
        if m is None:
            continue
        last = m.end()
        rm = _WS_ROLE.match(text[org.end:org.end + 80])
        if rm and not _WS_NAME.match(text[org.end + rm.end():org.end + rm.end() + 60]):
            add(m.group("pname"), rm.group("role"), org, m.start("pname"), m.end("pname"),
                "people:name_org_role")
    for m in COUNCILLOR_RE.finditer(text):
        plural = m.group("t").lower().startswith(("councillors", "cllrs"))
        pos = m.end()
        while True:
            lm = _LIST_NAME.match(text, pos)
            if not lm or not lm.group("pname"):
                break
            inner = lm.group("inner") or ""
            rm = _INNER_ROLE_RE.search(inner)
            role = rm.group(0) if rm else "councillor"
            # "Councillors A (Chair), B (Vice-Chair)" in minutes: chairs of the meeting body
            body = meeting_body if rm and registry_role(role) in ("chair", "vice_chair") \
                else None
            add(lm.group("pname"), role, body, lm.start("pname"), lm.end("pname"),
                "people:councillor")
            if not plural or not lm.group("sep"):
                break
            pos = lm.end()
    # "Dr Jane Roe was elected Vice-Chairman of the Upton Board"
    for w in _ELECTED_WORD.finditer(text) if "elected" in text else ():
        m = _match_ending(ELECTED_RE, text, w.start(), "verb", 0)
        if m is None:
            continue
        org = _org_after(text, mentions, m.end("role"), limit=12)
        add(m.group("pname"), m.group("role"), org, m.start("pname"), m.end("pname"),
            "people:elected")
    # "Jane Roe will be joint chair of Upton CCG", "Jane Roe, who becomes interim chief
    # executive of Upton ICB", "Jane Roe has been appointed chief executive of Upton Trust"
    last = 0
    for p in role_starts:
        if p < last:
            continue
        grp = _becomes_before(text, p)
        if grp is None:
            continue
        m = _match_ending(BECOMES_RE, text, p, grp, last)
        if m is None:
            continue
        last = m.end()
        grp = "role2" if m.group("leaves") else "role"
        org = _org_after(text, mentions, m.end(grp), limit=12)
        if org is None and m.group("leaves"):   # "Upton Trust said Jane Roe is to step down"
            i = bisect.bisect_right(ends, m.start()) - 1
            if i >= 0 and not _SENT_BREAK.search(text[mentions[i].end:m.start()]):
                org = mentions[i]
        role = m.group(grp)
        if m.group("former") and not role.lower().startswith("former"):
            role = "former " + role
        add(m.group("pname"), role, org, m.start("pname"), m.end("pname"), "people:becomes")
    # "Upton Consortium, the group chaired by leading NAPC member Jane Roe"
    for m in CHAIRED_BY_RE.finditer(text) if "haired by" in text else ():
        i = bisect.bisect_right(ends, m.start()) - 1
        org = None
        if i >= 0 and m.start() - mentions[i].end < 120 and not _SENT_BREAK.search(
                text[mentions[i].end:m.start()]):
            org = mentions[i]
        add(m.group("pname"), "chair", org, m.start("pname"), m.end("pname"), "people:chaired_by")
    # "Dr Jane Roe chair of the Upton Alliance" (a titled name, the role without a comma)
    for t0 in (t.start() for t in _TITLE_AT.finditer(text)):
        if t0 and (text[t0 - 1].isalnum()):
            continue
        tm = TITLED_NAME_ROLE_RE.match(text, t0)
        if tm is None or not tm.group("role")[0].islower():
            continue
        org = _org_after(text, mentions, tm.end("role"), limit=8)
        add(tm.group("pname"), tm.group("role"), org, tm.start("pname"), tm.end("pname"),
            "people:titled_role")
    # "Jane Roe, who chairs Upton CCG, ..."
    last = 0
    for w in _WHO.finditer(text) if " who " in text else ():
        m = _match_ending(WHO_CHAIRS_RE, text, w.start(), "who", last)
        if m is None:
            continue
        last = m.end()
        org = _org_after(text, mentions, m.end(), limit=8)
        add(m.group("pname"), _WHO_ROLE[m.group("verb").lower()], org, m.start("pname"),
            m.end("pname"), "people:who")
    # "Upton NHS Trust has appointed Jane Roe as its new chief executive"
    for m in _matches_around(APPOINTED_RE, text, "ppointed", 1):
        i = bisect.bisect_right(ends, m.start()) - 1
        org = None
        if i >= 0 and not _SENT_BREAK.search(text[mentions[i].end:m.start()]):
            org = mentions[i]
        tail = _org_after(text, mentions, m.end("role"), limit=8)
        add(m.group("pname"), m.group("role"), tail or org, m.start("pname"), m.end("pname"),
            "people:appointed")
    people = dedupe(found)
    if principal is not None:
        for p in people:
            if not p.org and p.component == "people:role_name" and p.role_capitalised and \
                    registry_role(p.role) in _ORG_ROLES:
                p.org, p.org_type = principal.name, principal.org_type
    return people


_ORG_ROLES = {"chief_executive", "chair", "vice_chair", "medical_director", "nurse_director",
              "director_of_finance", "chief_operating_officer", "chief_finance_officer",
              "accountable_officer", "non_executive_director", "chief_clinical_officer"}
_NOT_PRINCIPAL = {"government_department", "national_body", "other", "sha"}


# A mention right after one of these words names a place something happens at ("help
# patients at Upton Medical Centre"), not the body the text is about.
_VENUE_BEFORE = re.compile(r"\b(?:at|near|outside|inside|around)\s+(?:the\s+)?\Z", re.I)


def _after_a_venue_word(text: str, start: int) -> bool:
    """``_VENUE_BEFORE`` in the 12 characters before ``start``; in ASCII text, first
    whether they hold one of its words in any case (most mentions: no need to try the
    pattern at each of them)."""
    before = text[max(0, start - 12):start]
    if before.isascii():
        low = before.lower()
        if "at" not in low and "near" not in low and "side" not in low and \
                "around" not in low:
            return False
    return _VENUE_BEFORE.search(text, max(0, start - 12), start) is not None


def principal_org(mentions: list[Mention], text: str | None = None) -> Mention | None:
    """The organisation a text is about: the local body named most (then first). With
    ``text``, mentions that only name a venue ("at Upton Surgery") do not count: a role
    holder said to speak there is not thereby at that body."""
    local = [m for m in mentions if m.org_type not in _NOT_PRINCIPAL]
    if text is not None:
        local = [m for m in local if not _after_a_venue_word(text, m.start)]
    if not local:
        return None
    counts: dict[str, int] = {}
    first: dict[str, Mention] = {}   # each name's first mention, shortrefs included
    for m in local:
        first.setdefault(m.name, m)
        if m.component != "shortref":
            counts[m.name] = counts.get(m.name, 0) + 1
    if not counts:
        return None
    counts[local[0].name] = counts.get(local[0].name, 0) + 2   # the first named is the subject
    best = max(counts, key=lambda n: counts[n])
    return first[best]


def dedupe(found: list[Person]) -> list[Person]:
    """One entry per person: surnames alone merge into full names; the most specific role
    (one with an organisation, then not plain councillor) wins."""
    full = {}
    for p in found:
        if " " in p.name:
            full.setdefault(p.name.split()[-1], set()).add(p.name)
    merged: dict[str, list[Person]] = {}
    order: list[str] = []
    for p in found:
        name = p.name
        if " " not in name and len(full.get(name, ())) == 1:
            name = next(iter(full[name]))
        if " " not in name and (p.component != "people:councillor" or name in full):
            continue  # a surname alone is not enough to name someone (but "Councillor Roe"
            # when no one else named in full has that surname)
        p.name = name
        if name not in merged:
            merged[name] = []
        merged[name].append(p)
    out = []
    for name, ps in merged.items():
        best = max(ps, key=lambda p: (bool(p.org), p.role != "councillor",
                                      p.component != "people:role_name", -p.start))
        best.spans = sorted({(p.start, p.end) for p in ps})
        best.start = min(p.start for p in ps)
        out.append(best)
    return sorted(out, key=BY_START)
