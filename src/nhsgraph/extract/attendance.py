"""Attendance and apology lists of minutes, in their usual layouts:

- one person a line, name and role apart ("Jane Roe   -   Chief Executive", "Jane Roe:
  Chair", "Jane Roe, Director of Finance", "Jane Roe (JR) Medical Director", "Cllr Jane
  Roe (Chair)"), a role broken over indented lines kept whole;
- a table flattened from a PDF into one column: a run of names, then a run of roles,
  paired in order (a role broken over several lines joined so that the counts agree).

The role column may give an organisation instead of a role ("Jane Roe - Upshire WI",
members of the public): that names an organisation (a mention) and no role.

Example::

    people, orgs, blocks = find_attendance("Present:\\nJane Roe  -  Chair\\n", [], None)
    [(p.name, p.role) for p in people]    # [("Jane Roe", "chair")]
"""

from __future__ import annotations

import re

from nhsgraph.extract.orgs import BY_START, Mention
from nhsgraph.extract.people import Person
from nhsgraph.extract.roles import normalise_role_text

# A heading that opens a list of people ("Present:", "In attendance", "Apologies:",
# "Voting members:", "Members of the public"), possibly with the first entry after it.
HEADER_RE = re.compile(
    r"(?im)^[ \t#*_]*(?P<head>present|members\s+present|(?:also\s+)?in\s+attendance|"
    r"also\s+present|attendees|attendance|officers(?:\s+present)?|apologies(?:\s+for\s+absence)?"
    r"(?:\s+(?:were\s+)?received(?:\s+from)?)?|(?:non[\s-]+)?voting\s+members|"
    r"members\s+of\s+the\s+public|(?:board\s+|committee\s+|panel\s+)?members|"
    r"observers?)[ \t#*_]*(?P<colon>[:\-–]?)[ \t]*(?P<rest>[^\n]*)$")
_PUBLIC = re.compile(r"(?i)public|observer")
_APOLOGY = re.compile(r"(?i)apolog")
_TITLES = {"dr", "prof", "professor", "mr", "mrs", "ms", "miss", "mx", "sir", "dame", "lord",
           "lady", "baroness", "rev", "revd", "cllr", "councillor", "the", "very", "reverend"}
_COUNCILLOR = {"cllr", "councillor"}
_HONOURS = {"obe", "cbe", "mbe", "kbe", "dbe", "frcp", "frcs", "frcgp", "jp", "qc", "kc", "phd"}
# Words that make a line a role (or an organisation), never a person's name.
_ROLE_WORDS = {
    "chair", "chairman", "chairwoman", "chairperson", "chief", "executive", "director",
    "officer", "manager", "member", "members", "secretary", "lead", "head", "nurse",
    "doctor", "gp", "advisor", "adviser", "representative", "clerk", "governor", "lay",
    "practice", "programme", "president", "treasurer", "consultant", "commissioner", "vice",
    "deputy", "assistant", "interim", "acting", "senior", "principal", "clinical", "medical",
    "finance", "financial", "minutes", "partner", "pharmacist", "dentist", "observer",
    "leader", "mayor", "coordinator", "co-ordinator", "administrator", "nominee", "portfolio",
    "holder", "cabinet", "strategic", "corporate", "governance", "health", "care", "public",
    "services", "service", "council", "nhs", "trust", "ccg", "pct", "icb", "board", "group",
    "committee", "forum", "team", "locality", "for", "of", "and", "&", "to", "the", "with",
    "hospital", "hospice", "wi", "lpc", "lmc", "healthwatch", "university", "commissioning",
    "community", "patient", "patients", "safeguarding", "quality", "operations", "policy",
    "democratic", "scrutiny", "support", "development", "planning", "engagement",
    "communications", "retired", "specialist", "analyst", "solicitor", "legal", "mp",
    "employee", "staff", "volunteer", "apologies", "present", "page", "item", "agenda",
}
_NAME_TOKEN = re.compile(r"^(?:Mc|Mac|O['’]|D['’])?[A-Z][A-Za-z'’]*(?:[.-][A-Z][A-Za-z'’]*)*\.?$")
_INITIAL = re.compile(r"^[A-Z]\.?$")
# name and role apart on one line: a dash or colon with spaces, a tab, or a wide gap
_SEP = re.compile(r"[ \t]+[-–—:][ \t]*|[ \t]*\t[ \t]*|[ \t]{3,}|,[ \t]+|[ \t]*:[ \t]+")
_PAREN_ROLE = re.compile(r"^(?P<name>[^()\n]+?)[ \t]*\((?P<inner>[^()\n]{1,60})\)[ \t]*"
                         r"(?P<after>[^\n]*)$")
_FURNITURE = re.compile(r"(?i)^(?:page\s+\d+(?:\s+of\s+\d+)?|-?\s*\d+\s*-?|\d+|public:?\s*\d*|"
                        r"\(?continued\)?|part\s+\d+:?.*)$")
_CONT_END = re.compile(r"(?i)(?:[–\-&,/]|\band|\bof|\bfor|\bthe|\bto|\bin)\s*$")
_ORG_HEAD = re.compile(
    r"(?P<other>\bWI\b|Women['’]s\s+Institute|\bL[MPOD]C\b|Local\s+(?:Medical|Pharmaceutical|"
    r"Optical|Dental)\s+Committee|University|College|Chronicle|Gazette|Echo|Herald|Times|"
    r"Post|Journal|Press|LLP|Ltd|Limited|plc|Association|Society|Institute|Federation|"
    r"Alliance|Union|Party)|(?P<provider_other>Hospice)|(?P<patient_voice>PPI\s+Forum|"
    r"Patients?['’]?\s+Forum|Healthwatch|\bLINk\b|Patient\s+Participation\s+Group)|"
    r"(?P<local_authority>Council\b)")
_NHS_TYPES = {"pct", "ccg", "icb", "nhs_trust", "foundation_trust", "care_trust", "csu", "sha",
              "pct_cluster", "national_body"}
# The last word of a complete role, and the first word of one.
_ROLE_END = {
    "chair", "chairman", "chairwoman", "chairperson", "officer", "director", "manager",
    "nurse", "doctor", "gp", "member", "secretary", "lead", "advisor", "adviser",
    "representative", "clerk", "minutes", "executive", "governor", "president", "treasurer",
    "consultant", "commissioner", "councillor", "leader", "mayor", "coordinator",
    "co-ordinator", "administrator", "nominee", "partner", "pharmacist", "analyst",
    "solicitor", "observer", "council", "ccg", "trust", "nhs", "healthwatch", "wi", "lpc",
    "lmc", "practitioner", "engineer", "accountant", "auditor", "registrar"}
_ROLE_START = {
    "chair", "chairman", "chairwoman", "chairperson", "chief", "director", "head", "lead",
    "gp", "lay", "practice", "secondary", "non", "non-executive", "executive", "interim",
    "acting", "deputy", "assistant", "senior", "vice", "clinical", "medical", "finance",
    "retired", "associate", "principal", "managing", "strategic", "minutes", "councillor",
    "cllr", "board", "programme", "project", "commercial", "communications", "democratic",
    "committee", "corporate", "independent", "locality", "nurse", "public", "head"}
# a meeting heading that names a council's meeting, not an NHS board's
_COUNCIL_MEETING = re.compile(r"(?i)\b(?:council|committee|panel|cabinet|scrutiny|wellbeing|"
                              r"well-being|commission|forum|assembly)\b")
_CHAIRS = re.compile(r"(?i)^(?:vice[\s-]*|deputy\s+)?chair(?:man|woman|person)?$")


def _name_of(raw: str, place_words: frozenset = frozenset()
             ) -> tuple[str, bool, bool] | None:
    """(name without titles, titled, councillor) when ``raw`` reads as a person's name
    (an untitled one with none of ``place_words``, the words of the document's
    organisation names: "Upshire Integrated" is no one)."""
    toks = raw.replace(",", " ").split()
    if not toks or len(toks) > 7:
        return None
    titled = councillor = False
    while toks and toks[0].lower().rstrip(".") in _TITLES:
        titled = True
        councillor |= toks[0].lower().rstrip(".") in _COUNCILLOR
        toks = toks[1:]
    while toks and toks[-1].lower().rstrip(".") in _HONOURS:
        toks = toks[:-1]
    if not toks or len(toks) > 4:
        return None
    if len(toks) == 1 and not titled and "." not in toks[0]:
        return None
    for t in toks:
        if t.lower().rstrip(".") in _ROLE_WORDS or not (_NAME_TOKEN.match(t) or _INITIAL.match(t)):
            return None
        if t.isupper() and len(t) > 2:
            return None   # "GP", "NHS", an acronym: not a name
    if all(_INITIAL.match(t) for t in toks):
        return None
    if not titled and place_words and any(t in place_words for t in toks):
        return None
    return " ".join(toks), titled, councillor


def _is_role_or_org(line: str) -> bool:
    return _name_of(line) is None and bool(re.search(r"[A-Za-z]", line))


def _org_in_text(mentions, s: int, e: int) -> Mention | None:
    for m in mentions:
        if m.start >= s and m.end <= e:
            return m
    return None


def _affiliation_type(text: str) -> str | None:
    m = _ORG_HEAD.search(text)
    return m.lastgroup if m else None


class _Entry:
    __slots__ = ("name", "titled", "councillor", "ns", "ne", "rs", "re")

    def __init__(self, name, titled, councillor, ns, ne, rs=None, re_=None):
        self.name, self.titled, self.councillor = name, titled, councillor
        self.ns, self.ne, self.rs, self.re = ns, ne, rs, re_


def _lines(text: str, start: int, end: int):
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        yield pos, stop
        pos = stop + 1


def _block_end(text: str, start: int) -> int:
    """Where a list that starts at ``start`` ends: at a numbered item, a line of prose,
    or after 80 lines."""
    n = 0
    for s, e in _lines(text, start, len(text)):
        line = text[s:e].strip()
        n += 1
        if n > 80 or re.match(r"^(?:\d+(?:\.\d+)*\.?|[A-Z]\.)\s+\S", line) and not \
                re.match(r"^\d+\s*$", line) or len(line) > 110 or \
                (line.endswith(".") and len(line.split()) > 8):
            return s
    return len(text)


def _pair_columns(names: list[_Entry], roles: list[tuple[int, int]], text: str) -> None:
    """Pair a run of names with a run of role lines: join role lines into as many roles as
    there are names, breaking where a new role most plausibly begins."""
    k = len(names)
    if k == 0 or len(roles) < k:
        return
    scores = []
    for i in range(1, len(roles)):
        prev = text[roles[i - 1][0]:roles[i - 1][1]].rstrip()
        cur = text[roles[i][0]:roles[i][1]].strip()
        words = cur.split()
        first = words[0].lower().split("/")[0] if words else ""
        last = prev.split()[-1].lower().split("/")[-1].strip(",") if prev.split() else ""
        sc = 1.5 if last in _ROLE_END else -1.0
        if first in _ROLE_START:
            sc += 1
        if _CONT_END.search(prev) or words and (words[0][:1].islower() or
                                                 words[0] in ("&", "-", "–")):
            sc -= 4
        scores.append((sc, -i, i))
    breaks = sorted(i for _, _, i in sorted(scores, reverse=True)[:k - 1])
    bounds = [0] + breaks + [len(roles)]
    for j, ent in enumerate(names):
        group = roles[bounds[j]:bounds[j + 1]]
        ent.rs, ent.re = group[0][0], group[-1][1]


def _parse_block(text: str, start: int, end: int, first: tuple[int, int] | None,
                 place_words: frozenset = frozenset()):
    """The people of one list: entries with the span of their role text (or none)."""
    entries: list[_Entry] = []
    names_run: list[_Entry] = []
    roles_run: list[tuple[int, int]] = []
    spans = ([first] if first else []) + list(_lines(text, start, end))
    last_sep: _Entry | None = None
    for s, e in spans:
        raw = text[s:e]
        line = raw.strip()
        if not line or _FURNITURE.match(line):
            continue
        ls = s + (len(raw) - len(raw.lstrip()))
        le = ls + len(line)
        if line.isupper() and len(re.findall(r"[A-Z]{2,}", line)) >= 2 and \
                not HEADER_RE.match(line):
            break   # a heading in capitals ("INTRODUCTIONS"): the list is over
        if HEADER_RE.match(line) and not line.lower().startswith("members of the public") \
                and len(line) < 40 and not roles_run and not names_run and last_sep is None:
            continue
        pm = _PAREN_ROLE.match(line)
        if pm:
            nm = _name_of(pm.group("name"))
            if nm:
                inner = pm.group("inner")
                after = pm.group("after").strip(" -–:,")
                if re.fullmatch(r"[A-Z]{2,4}", inner.strip()) and after:   # (initials) role
                    rs = le - len(pm.group("after").lstrip(" -–:,\t"))
                    entries.append(_Entry(*nm, ls, ls + len(pm.group("name").rstrip()), rs, le))
                else:
                    rs = ls + pm.start("inner")
                    entries.append(_Entry(*nm, ls, ls + len(pm.group("name").rstrip()), rs,
                                          rs + len(inner)))
                last_sep = None
                continue
        sm = None
        for m in _SEP.finditer(line):
            if _name_of(line[:m.start()]):
                sm = m
                break
        if sm is not None:
            nm = _name_of(line[:sm.start()])
            role = line[sm.end():].strip()
            ent = _Entry(*nm, ls, ls + sm.start(), (ls + sm.end()) if role else None,
                         le if role else None)
            entries.append(ent)
            last_sep = ent
            continue
        nm = _name_of(line, place_words)
        if nm and not roles_run:
            if names_run or last_sep is None:
                names_run.append(_Entry(*nm, ls, le))
                continue
        if last_sep is not None and not names_run and (ls - s >= 8 or (
                last_sep.re is not None and _CONT_END.search(text[last_sep.rs:last_sep.re]))):
            if last_sep.rs is None:
                last_sep.rs = ls
            last_sep.re = le   # an indented line goes on with the role above
            continue
        if nm and roles_run:
            # a new run of names: pair the one before
            _pair_columns(names_run, roles_run, text)
            entries.extend(names_run)
            names_run, roles_run = [_Entry(*nm, ls, le)], []
            continue
        if names_run:
            roles_run.append((ls, le))
            continue
        if nm:
            names_run.append(_Entry(*nm, ls, le))
    if names_run:
        if roles_run:
            _pair_columns(names_run, roles_run, text)
        entries.extend(names_run)
    return entries


def _sep_entry(line: str) -> bool:
    for m in _SEP.finditer(line):
        if _name_of(line[:m.start()]):
            sep = m.group(0)
            return bool(line[m.end():].strip()) and any(c in sep for c in "-–—:\t")
    return False


def _headless_list(text: str, stop: int) -> int | None:
    """The start of a list of "Name - Role" lines with no heading above it (the members
    of the board, right under the minutes' title): three such lines in a row."""
    run, first = 0, None
    for s, e in _lines(text, 0, stop):
        line = text[s:e].strip()
        if not line:
            continue
        if _sep_entry(line):
            run += 1
            first = s if first is None else first
            if run >= 3:
                return first
        elif run and e - s - len(text[s:e].lstrip()) >= 8:
            continue   # an indented line goes on with a role
        else:
            run, first = 0, None
    return None


def find_attendance(text: str, mentions: list[Mention], meeting_body: Mention | None,
                    principal: Mention | None = None
                    ) -> tuple[list[Person], list[Mention], list[tuple[int, int]]]:
    """People of the attendance and apology lists, the organisations their lists name in
    place of a role (new mentions, not overlapping ``mentions``) and the lists' spans. In NHS board minutes
    a person whose entry names no organisation is at the body whose meeting it is; in
    council minutes only the chair and vice-chair are (the meeting body's)."""
    heads = list(HEADER_RE.finditer(text, 0, min(len(text), 30000)))
    lead = _headless_list(text, heads[0].start() if heads else min(len(text), 4000))
    if not heads and lead is None:
        return [], [], []
    host = None
    local_nhs = _NHS_TYPES - {"national_body"}
    if meeting_body is not None and meeting_body.org_type in local_nhs:
        host = meeting_body
    elif meeting_body is None or not _COUNCIL_MEETING.search(meeting_body.text):
        # a board's minutes: the NHS body the document names most (then first)
        counts: dict[str, int] = {}
        first: dict[str, Mention] = {}
        for m in mentions:
            if m.org_type in local_nhs and m.component != "shortref":
                counts[m.name] = counts.get(m.name, 0) + 1
                first.setdefault(m.name, m)
        if counts:
            host = first[max(counts, key=lambda n: (counts[n], -first[n].start))]
        elif principal is not None and principal.org_type in local_nhs:
            host = principal
    council_body = meeting_body if meeting_body is not None and host is None else None
    people: list[Person] = []
    new_orgs: list[Mention] = []
    taken = sorted((m.start, m.end) for m in mentions)
    blocks: list[tuple[int, int]] = []
    place_words = frozenset(w for m in mentions for w in m.text.split()
                            if w[:1].isupper() and w.lower() not in _TITLES)
    starts = [(h.start(), h.end() + 1, h) for h in heads]
    if lead is not None:
        starts.insert(0, (lead, lead, None))
    for i, (hs, start, h) in enumerate(starts):
        if h is not None:
            if h.group("colon") == "" and h.group("rest").strip() and h.group("head").lower() in (
                    "members", "attendance", "observers", "observer"):
                continue   # "Members agreed ...": prose, not a heading
            if h.group("rest").strip() and not h.group("colon"):
                continue
        nxt = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        end = min(nxt, _block_end(text, start)) if start < len(text) else start
        first = None
        if h is not None and h.group("rest").strip():
            first = (h.start("rest"), h.end("rest"))
            if "," in h.group("rest") or ";" in h.group("rest"):
                continue   # "Present: A, B and C" on one line: people.py reads those
        public = h is not None and bool(_PUBLIC.search(h.group("head")))
        blocks.append((hs, max(start, end)))
        for ent in _parse_block(text, start, max(start, end), first, place_words):
            role_text = text[ent.rs:ent.re] if ent.rs is not None else ""
            role_text = " ".join(role_text.split()).strip(" -–:,")
            org = _org_in_text(mentions, ent.rs, ent.re) if ent.rs is not None else None
            role = role_text
            if org is not None:
                rel_s = org.start - ent.rs
                flat = text[ent.rs:ent.re]
                before = " ".join(flat[:rel_s].split()).strip(" -–:,(")
                after = " ".join(flat[rel_s + (org.end - org.start):].split()).strip(" -–:,)")
                before = re.sub(r"(?i)\s+(?:of|at|for)(?:\s+the)?$", "", before)
                role = before or after
                if re.search(r"(?i)\b(?:team|directorate|locality|office|region)\b", after) \
                        and before:
                    role = before
            elif role_text:
                aff = _affiliation_type(role_text)
                if aff is None and public and role_text[:1].isupper() and \
                        len(role_text.split()) <= 6:
                    aff = "other"   # a member of the public's own body ("Upton Partners")
                if aff and not _looks_like_role(role_text):
                    s0 = ent.rs + (len(text[ent.rs:ent.re]) - len(text[ent.rs:ent.re].lstrip()))
                    e0 = ent.re
                    while e0 > s0 and text[e0 - 1] in " \t-–,":
                        e0 -= 1
                    if not any(a < e0 and s0 < b for a, b in taken):
                        surface = text[s0:e0]
                        new_orgs.append(Mention(s0, e0, surface, aff, surface,
                                                "attendance:affiliation"))
                        org = new_orgs[-1]
                    role = ""
            if role and not _looks_like_role(role) and not public:
                role = role if len(role.split()) <= 12 else ""
            if not role:
                if ent.councillor:
                    role = "councillor"
                else:
                    continue   # a name with an affiliation only
            if public and not _looks_like_role(role):
                continue
            if org is None:
                if host is not None:
                    org = host
                elif council_body is not None and _CHAIRS.match(role.strip()):
                    org = council_body
            people.append(Person(ent.name, normalise_role_text(role), org.name if org else "",
                                 ent.ns, ent.ne, "people:attendance",
                                 org.org_type if org else ""))
    return people, new_orgs, blocks


_ROLE_HINT = re.compile(
    r"(?i)\b(?:chair\w*|chief|executive|director|officer|manager|member|secretary|lead|head|"
    r"nurse|doctor|gp|advis[oe]r|representative|clerk|governor|president|treasurer|"
    r"consultant|commissioner|councillor|cllr|leader|mayor|coordinator|co-ordinator|"
    r"administrator|nominee|minutes|partner|pharmacist|analyst|solicitor|mp|observer|"
    r"holder|practitioner|registrar|dentist|optometrist|auditor)\b")


def _looks_like_role(text: str) -> bool:
    return bool(_ROLE_HINT.search(text))


def merge_listed(people: list[Person], listed: list[Person],
                 blocks: list[tuple[int, int]]) -> list[Person]:
    """``people`` found by the other rules, with the attendance lists' entries in place of
    what those rules read inside the lists (a flattened table's lines misread as "name,
    role"); one entry per person, the list's where both have one."""
    def inside(p: Person) -> bool:
        return any(a <= p.start < b for a, b in blocks)

    by_name = {}
    for p in listed:
        by_name.setdefault(p.name.lower(), p)
    out = [p for p in people if not inside(p) and p.name.lower() not in by_name]
    out.extend(by_name.values())
    return sorted(out, key=BY_START)
