"""Organisations named in lists and by heads outside NHS naming.

- shared plural heads: "Upton, Downton and Midtown CCGs", "Upshire & Downshire ICBs" name
  one body per conjunct (the span without the head); "the four Upshire CCGs – A, B and
  C" names A, B and C as bodies of that type;
- a singular head shared by two names that repeat their first word ("Upton North and
  Upton South PCT");
- bodies named by heads outside NHS naming: women's institutes ("X WI"), local medical,
  pharmaceutical, optical and dental committees ("X LMC"), hospices, patients' forums,
  royal colleges, universities, parties, newspapers, firms introduced as such ("law firm
  X", "consultancy X"), media in attribution ("told X", "the X understands");
- council bodies named by a title-cased type name ("the Joint Committee", "the Shadow
  Board") when the document names such a body in full.

Example::

    [m.text for m in list_mentions("Upton and Downton CCGs merged.", [])]
    # ["Upton", "Downton"]
"""

from __future__ import annotations

import re

from nhsgraph.extract.anchors import INTRO_WORD, MEDIA_VERB, PLURAL_HEAD
from nhsgraph.extract.docplace import home_place
from nhsgraph.extract.events import sentences
from nhsgraph.extract.gazetteer import place_of
from nhsgraph.extract.orgs import BY_START, Mention, Occupied

_W = r"(?:[A-Z][A-Za-z'’\-]*|of|the|upon|on)"
_SEQ = r"[A-Z][A-Za-z'’\-]*(?:[ \t]+(?:(?:of|upon|on|the|and[ \t]+the)[ \t]+)?[A-Z][A-Za-z'’\-]*)*"
_PLURAL_HEADS = {
    "CCGs": "ccg", "PCTs": "pct", "ICBs": "icb", "ICSs": "icb", "SHAs": "sha", "CSUs": "csu",
    "Clinical Commissioning Groups": "ccg", "clinical commissioning groups": "ccg",
    "Primary Care Trusts": "pct", "primary care trusts": "pct",
    "Integrated Care Boards": "icb", "integrated care boards": "icb",
    "NHS Trusts": "nhs_trust", "NHS Foundation Trusts": "foundation_trust",
    "Councils": "local_authority", "councils": "local_authority",
}
_SINGULAR = {"ccg": "CCG", "pct": "PCT", "icb": "ICB", "sha": "SHA", "csu": "CSU",
             "nhs_trust": "NHS Trust", "foundation_trust": "NHS Foundation Trust",
             "local_authority": "Council"}
_HEADS_ALT = "|".join(re.escape(h) for h in sorted(_PLURAL_HEADS, key=len, reverse=True))
PLURAL_HEAD_RE = re.compile(r"(?:" + _HEADS_ALT + r")\b")
# "A, B and C CCGs"
SHARED_RE = re.compile(r"(?P<list>" + _SEQ + r"(?:(?:,[ \t]+|[ \t]+(?:and|&)[ \t]+)" + _SEQ
                       + r")+)[ \t]+(?P<head>" + _HEADS_ALT + r")\b")
# "the four Upshire CCGs – A, B, C and D" / "CCGs: A, B and C"
AFTER_RE = re.compile(r"(?P<head>" + _HEADS_ALT + r")\b[^.\n–—:]{0,40}?[ \t]*(?:[–—:]|[ \t]-)"
                      r"[ \t]*(?P<list>" + _SEQ + r"(?:,[ \t]+" + _SEQ + r")*,?[ \t]+(?:and|&)"
                      r"[ \t]+" + _SEQ + r")")
_SPLIT_AND = re.compile(r"[ \t]+(?:and|&)[ \t]+(?!the\b)")
_NOT_PLACE = {"The", "A", "An", "All", "Some", "Many", "Most", "Other", "Several", "Four",
              "Three", "Two", "Five", "Six", "Both", "These", "Those", "Their", "In", "NHS",
              "Local", "Neighbouring", "Existing", "New", "English", "Remaining", "It", "This",
              "That", "There", "He", "She", "They", "We", "You", "I", "Which", "What", "Each",
              "Every", "Any", "No", "None", "One", "Its", "Our", "Your", "His", "Her", "If",
              "When", "While", "Whether", "Who", "Now", "Today", "Yesterday", "Here"}

# Bodies outside NHS naming, by their head word. (type, regex over "Name Head")
_CAP1 = r"[A-Z][A-Za-z'’\-]+"
_NAMEHEAD = r"(?P<name>" + _CAP1 + r"(?:[ \t]+(?:(?:of|and|&|the)[ \t]+)?" + _CAP1 + r"){0,4})"
_HEAD_TYPES = [
    (r"W[Ii]|Women['’]s[ \t]+Institute", "other"),
    (r"L[MPOD]C|Local[ \t]+(?:Medical|Pharmaceutical|Optical|Dental)[ \t]+Committee", "other"),
    (r"Hospice", "provider_other"),
    (r"PPI[ \t]+Forum|Patients?['’]?[ \t]+Forum|Patient[ \t]+and[ \t]+Public[ \t]+"
     r"Involvement[ \t]+Forum|Patient[ \t]+Participation[ \t]+Group", "patient_voice"),
    (r"Chronicle|Gazette|Herald|Echo|Argus|Advertiser|Evening[ \t]+(?:Standard|Post|News)|"
     r"Daily[ \t]+(?:Post|Mail|Express)", "other"),
    (r"Party", "other"),
]
HEAD_RE = re.compile(_NAMEHEAD + r"[ \t]+(?P<head>" + "|".join(h for h, _ in _HEAD_TYPES)
                     + r")(?![\w&])")
HEAD_ONLY_RE = re.compile(r"(?:" + "|".join(h for h, _ in _HEAD_TYPES) + r")(?![\w&])")
# "Members of Upshire WI": people of a body, not part of its name
_GROUP_NOUNS = {"Members", "Member", "Staff", "Representatives", "Representative", "Officers",
                "Volunteers", "Residents", "Chair", "Chairman", "Secretary", "President",
                "Trustees", "Patients", "Supporters"}
_HEAD_TYPE_RES = [(re.compile(r"^(?:" + h + r")$"), t) for h, t in _HEAD_TYPES]
_EXPAND = [
    (re.compile(r"\bW[Ii]$"), "Women's Institute"),
    (re.compile(r"\bLMC$"), "Local Medical Committee"),
    (re.compile(r"\bLPC$"), "Local Pharmaceutical Committee"),
    (re.compile(r"\bLOC$"), "Local Optical Committee"),
    (re.compile(r"\bLDC$"), "Local Dental Committee"),
    (re.compile(r"\bPPI Forum$"), "Patient and Public Involvement Forum"),
]
# "Royal College of X", "University of X", "X University"
COLLEGE_RE = re.compile(r"(?P<name>(?:Royal[ \t]+College|University|Academy|Institute|"
                        r"Faculty)[ \t]+of[ \t]+(?:the[ \t]+)?" + _CAP1 + r"(?:[ \t]+(?:(?:and|&)"
                        r"[ \t]+)?" + _CAP1 + r"){0,3})(?![\w&])")
UNI_RE = re.compile(r"(?P<name>" + _CAP1 + r"(?:[ \t]+" + _CAP1 + r")?[ \t]+University)(?![\w&])")
UNI_ONLY_RE = re.compile(r"University(?![\w&])")
# firms and groups introduced as such: "management consultancy X", "solicitors X"
INTRO_RE = re.compile(r"(?i:\b(?:law|legal|accountancy|consultancy|consulting|audit|"
                      r"engineering|property)\s+firm|\bconsultanc(?:y|ies)|\bconsultants|"
                      r"\bsolicitors|\baccountants|\bauditors|\bthink[\s-]tank|\bcharity|"
                      r"\bcampaign\s+group|\bpressure\s+group|\bunion|\bnewspaper|\bmagazine|"
                      r"\bbroadcaster|\bwebsite|\bjournal|\bpublisher|\bregulator|"
                      r"\binspectorate)[ \t]+(?P<name>" + _CAP1 + r"(?:[ \t]+(?:&[ \t]+)?"
                      + _CAP1 + r"){0,3})")
# (the words INTRO_RE opens with, less their first letter, which may be a capital)
_INTRO_WORDS = ("firm", "onsultan", "olicitors", "ccountants", "uditors", "tank", "harity",
                "group", "nion", "ewspaper", "agazine", "roadcaster", "ebsite", "ournal",
                "ublisher", "egulator", "nspectorate")


def _capital_after(text: str, i: int) -> bool:
    """Whether the word at ``i`` is followed, after one space, by a capital (the name an
    intro word introduces: "solicitors Upton Carver")."""
    j = text.find(" ", i, i + 24)
    return j >= 0 and j + 1 < len(text) and text[j + 1].isupper()


def _finds(text: str, word: str):
    """Offsets of ``word`` in ``text`` (``str.find``: far faster than a regex of many
    alternatives over a whole document)."""
    i = text.find(word)
    while i >= 0:
        yield i
        i = text.find(word, i + 1)
# media in attribution: "told X", "X understands", "according to X"
_MEDIA_NAME = r"(?P<name>[A-Z]{2,5}|[A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+){0,2})"
TOLD_RE = re.compile(r"\b(?:told|speaking[ \t]+to|according[ \t]+to|(?:conducted|carried"
                     r"[ \t]+out|run)[ \t]+by)[ \t]+(?:the[ \t]+)?" + _MEDIA_NAME
                     + r"(?=[ \t]+that\b|[ \t]*[,.:;]|[ \t]+and\b)")
_MEDIA_VERB = (r"(?P<verb>understands|has[ \t]+learn[te]d|can[ \t]+reveal|has[ \t]+seen|"
               r"revealed|reported|analysis|investigation|survey)\b")
UNDERSTANDS_RE = re.compile(r"(?:^|(?<=[.!?]\s)|(?<=\bthe\s)|(?<=,\s))" + _MEDIA_NAME
                            + r"[ \t]+" + _MEDIA_VERB, re.M)
VERB_ONLY_RE = re.compile(_MEDIA_VERB)
_NOT_MEDIA = {"Parliament", "MPs", "Ministers", "Government", "The", "He", "She", "They", "It",
              "We", "I", "You", "Commons", "Lords", "Cabinet", "Council", "Councillors",
              "Members", "Officers", "Monitor", "This", "That", "Health", "Patients", "Staff",
              "NHS", "GP", "GPs", "A", "An", "One", "Sources", "Source", "Reports", "Report",
              "Trust", "Board", "Committee", "CCG", "PCT", "ICB", "Department", "Doctors",
              "Nurses", "Residents", "People", "Labour", "Conservatives", "Unison", "Unite",
              "Mr", "Mrs", "Ms", "Dr", "Sir", "Professor", "Chief", "Its", "Their", "His",
              "Her", "Our", "Some", "Many", "Most", "Last", "Earlier", "Later"}
_TITLE_BEFORE = re.compile(r"(?:Dr|Mr|Mrs|Ms|Miss|Sir|Dame|Professor|Prof|Cllr|Councillor|"
                           r"Lord|Lady)\.?[ \t]+$")
# "Healthwatch Upshire" (a local Healthwatch), and a bare "Healthwatch"
HEALTHWATCH_RE = re.compile(r"Healthwatch(?<![\w&]Healthwatch)(?:[ \t]+(?P<place>" + _CAP1
                            + r"(?:[ \t]+(?:(?:and|&)[ \t]+)?" + _CAP1 + r"){0,3}))?(?![\w&])")
# council bodies by a title-cased type name: "the Joint Committee", "the Shadow Board"
COUNCIL_SHORT_RE = re.compile(r"\b(?:the|The)[ \t]+(?P<ref>Joint[ \t]+(?:Health[ \t]+)?"
                              r"(?:Overview[ \t]+and[ \t]+)?(?:Scrutiny[ \t]+)?Committee|"
                              r"Shadow[ \t]+Board|Scrutiny[ \t]+(?:Committee|Panel))(?![\w&])")
JOINT_RE = re.compile(r"(?P<name>Joint(?<![A-Za-z][ \t]Joint)[ \t]+Health[ \t]+(?:Overview[ \t]+"
                      r"(?:and|&)[ \t]+)?Scrutiny[ \t]+Committee)(?![\w&])")


# the literal text each head pattern opens with: its matches are looked for only there
_HEAD_LITERALS: dict[int, tuple[str, ...]] = {}


def _heads(head_rx: re.Pattern, text: str):
    """``head_rx.finditer(text)``, tried only where one of its opening literals occurs."""
    lits = _HEAD_LITERALS.get(id(head_rx))
    if lits is None:
        yield from head_rx.finditer(text)
        return
    hits = []
    for w in lits:
        i = text.find(w)
        while i >= 0:
            hits.append(i)
            i = text.find(w, i + 1)
    hits.sort()
    prev = -1
    for i in hits:
        if i == prev:
            continue
        prev = i
        m = head_rx.match(text, i)
        if m is not None:
            yield m


def _CAP_WORD_BEFORE(text: str, h: int) -> bool:
    """The word before ``h`` (after one space) is capitalised: "the BBC understands"."""
    if h < 2 or text[h - 1] != " ":
        return False
    j = text.rfind(" ", max(0, h - 24), h - 1)
    return text[j + 1:j + 2].isupper() if j >= 0 else text[:1].isupper()


def _A_BEFORE(text: str, h: int) -> bool:
    """"a", "an" or "one" is among the two words before ``h`` ("is a standalone PCT")."""
    lo = max(0, h - 30)
    return text.rfind(" a ", lo, h) >= 0 or text.rfind(" an ", lo, h) >= 0 or \
        text.rfind(" one ", lo, h) >= 0


def _ending_at_heads(rx: re.Pattern, head_rx: re.Pattern, text: str, group: str,
                     back: int = 90, pre=None):
    """``rx.finditer(text)`` for a pattern whose group ``group`` is a head word preceded
    by a name: the heads are found first (``head_rx``, led by literal text, so the engine
    skips ahead), and the pattern is tried only in the stretch before each. Matches do not
    overlap; the leftmost match ending at the head wins."""
    last = 0
    for h in _heads(head_rx, text):
        if h.start() and (text[h.start() - 1].isalnum() or text[h.start() - 1] in "&_-"):
            continue   # inside a word
        if pre is not None and not pre(text, h.start()):
            continue
        lo = max(last, h.start() - back)
        best = None
        for m in rx.finditer(text, lo, h.end() + 40):
            if m.start(group) == h.start():
                best = m
                break
            if m.start(group) > h.start():
                break
        if best is not None:
            last = best.end()
            yield best


def _pieces(list_text: str, base: int):
    """(start, end) of each conjunct: split at commas, then the last piece at its final
    "and" (an "and" inside a piece before the last stays: "Derby and Derbyshire")."""
    parts = []
    pos = 0
    for m in re.finditer(r",[ \t]+", list_text):
        parts.append((pos, m.start()))
        pos = m.end()
    parts.append((pos, len(list_text)))
    s, e = parts[-1]
    last = list(_SPLIT_AND.finditer(list_text, s, e))
    if last:
        j = last[-1]
        parts[-1:] = [(s, j.start()), (j.end(), e)]
    out = []
    for s, e in parts:
        piece = list_text[s:e]
        lead = re.match(r"(?:and|&)[ \t]+", piece)
        if lead:
            s += lead.end()
        out.append((base + s, base + e))
    return out


_COMPASS_WORDS = {"North", "South", "East", "West", "Northern", "Southern", "Eastern",
                  "Western", "Central", "Mid", "Inner", "Outer"}


def _join_compass(text: str, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Pieces that are compass words only ("Northern", "Eastern and Western Upshire") name
    no body alone: they share the place of the piece that follows, so they join it
    ("Northern, Eastern and Western Upshire" is one name)."""
    out: list[tuple[int, int]] = []
    start = None
    for s, e in pieces:
        if all(w in _COMPASS_WORDS for w in text[s:e].split()):
            start = s if start is None else start
            continue
        out.append((s if start is None else start, e))
        start = None
    if start is not None:   # compass words at the end: nothing to share, as they were
        out.extend(p for p in pieces if p[0] >= start)
    return out


def _place_ok(text: str) -> bool:
    words = text.split()
    return bool(words) and words[0] not in _NOT_PLACE and words[0][:1].isupper() and \
        len(words) <= 8


def list_mentions(text: str, named: list[Mention], relink=None, anchors=None) -> list[Mention]:
    """Mentions from shared plural heads and from lists after a plural head (see the module
    doc); ``relink(mention)`` gives one its canonical name. Where a found conjunct overlaps
    a mention in ``named`` (a wrong join: "Upton and Downton CCG"), the conjunct wins and
    the caller drops the overlapped one. (``anchors``: the document's token anchors, to
    skip texts without a plural head word.)"""
    out: list[Mention] = []
    if anchors is not None and not anchors.has(PLURAL_HEAD):
        return out
    heads = list(_heads(PLURAL_HEAD_RE, text))
    if not heads:
        return out
    for rx in (SHARED_RE, AFTER_RE):
        if rx is SHARED_RE:
            hits = _ending_at_heads(SHARED_RE, PLURAL_HEAD_RE, text, "head", back=220)
        else:
            hits = (m for m in (AFTER_RE.match(text, h.start()) for h in heads) if m)
        for m in hits:
            typ = _PLURAL_HEADS[m.group("head")]
            pieces = _pieces(m.group("list"), m.start("list"))
            joined = _join_compass(text, pieces)
            if len(joined) < 2 and len(joined) == len(pieces):
                continue   # (a name of compass words sharing one place is one body)
            pieces = joined
            found = []
            for s, e in pieces:
                piece = text[s:e]
                lead = re.match(r"(?:The|the|All|all|Both|both)[ \t]+", piece)
                if lead:
                    s += lead.end()
                    piece = text[s:e]
                if not _place_ok(piece):
                    found = []
                    break
                found.append((s, e, piece))
            for s, e, piece in found:
                mm = Mention(s, e, piece, typ, piece, "list:" + typ)
                if relink is not None:
                    mm = relink(Mention(s, e, f"{piece} {_SINGULAR.get(typ, '')}".strip(), typ,
                                        piece, "list:" + typ), piece)
                out.append(mm)
    return out


def _expand(name: str) -> str:
    for rx, full in _EXPAND:
        if rx.search(name):
            return rx.sub(full, name)
    return name


def outside_mentions(text: str, named: list[Mention], anchors=None) -> list[Mention]:
    """Bodies outside NHS naming (see the module doc), not overlapping ``named``
    (``anchors``: the document's token anchors, to skip the searches for intro words and
    media verbs in texts without them)."""
    occ: list[Occupied] = []   # (built at the first candidate: most texts have none)
    out: list[Mention] = []

    def add(s, e, typ, name, comp):
        if not occ:
            occ.append(Occupied(len(text), ((m.start, m.end) for m in named)))
        taken = occ[0]
        if e > s and not taken.overlaps(s, e):
            taken.add(s, e)
            out.append(Mention(s, e, text[s:e], typ, name, comp))

    for m in _ending_at_heads(HEAD_RE, HEAD_ONLY_RE, text, "head"):
        head = m.group("head")
        typ = next(t for rx, t in _HEAD_TYPE_RES if rx.match(head))
        s = m.start("name")
        words = m.group("name").split()
        while words and (words[0] in _NOT_PLACE | {"Our", "My", "Dear"} or (
                words[0] in _GROUP_NOUNS and len(words) > 2 and words[1] == "of")):
            drop = 2 if words[0] in _GROUP_NOUNS and len(words) > 2 and words[1] == "of" else 1
            s = text.index(words[drop], s + len(words[0])) if len(words) > drop else m.end()
            words = words[drop:]
        if not words:
            continue
        add(s, m.end(), typ, _expand(text[s:m.end()]), "outside:head")
    if "College" in text or "Academy" in text or "Faculty" in text or "Institute" in text \
            or "University" in text:
        for m in COLLEGE_RE.finditer(text):
            add(m.start("name"), m.end("name"), "other", m.group("name"), "outside:college")
        for m in _ending_at_heads(UNI_RE, UNI_ONLY_RE, text, "name") if "University" in text \
                else ():
            add(m.start("name"), m.end("name"), "other", m.group("name"), "outside:college")
    last = 0
    intros = () if anchors is not None and not anchors.has(INTRO_WORD) else sorted(
        i for w in _INTRO_WORDS for i in _finds(text, w) if _capital_after(text, i))
    for a in intros:
        if a < last:
            continue
        m = INTRO_RE.search(text, max(last, a - 25), a + 90)
        if m is not None and m.start() <= a < m.start("name"):
            last = m.end()
            add(m.start("name"), m.end("name"), "other", m.group("name"), "outside:intro")
    for m in HEALTHWATCH_RE.finditer(text) if "Healthwatch" in text else ():
        if m.group("place") in ("England",):
            continue
        add(m.start(), m.end(), "patient_voice", m.group(0), "outside:healthwatch")
    media: dict[str, str] = {}
    for rx in (TOLD_RE, UNDERSTANDS_RE):
        if rx is UNDERSTANDS_RE:
            hits = () if anchors is not None and not anchors.has(MEDIA_VERB) else \
                _ending_at_heads(rx, VERB_ONLY_RE, text, "verb", pre=_CAP_WORD_BEFORE)
        else:
            hits = _heads(rx, text)
        for m in hits:
            name = m.group("name")
            first = name.split()[0]
            if first in _NOT_MEDIA or _TITLE_BEFORE.search(text, max(0, m.start() - 12),
                                                           m.start("name")):
                continue
            if len(name.split()) == 2 and not name.isupper() and rx is TOLD_RE and not \
                    m.group(0).lower().endswith(("by " + name.lower(), "by the " + name.lower())):
                continue   # "told Jane Roe": a person (but "a survey run by Upton Weekly")
            media.setdefault(name, name)
    if media:
        from nhsgraph.extract.orgs import find_terms
        for s, e, t in find_terms(text, media):
            add(s, e, "other", t, "outside:media")
    return sorted(out, key=BY_START)


def council_short_mentions(text: str, named: list[Mention]) -> list[Mention]:
    """"the Joint Committee", "the Shadow Board" and a bare "Joint Health Overview and
    Scrutiny Committee" as the document's council body (its most named one), when it
    names one."""
    if "Joint" not in text and "Shadow" not in text and "Scrutiny" not in text:
        return []
    bodies = [m for m in named if m.org_type == "council_body"]
    taken = Occupied(len(text), ((m.start, m.end) for m in named))
    out = []
    for rx, group in ((JOINT_RE, "name"), (COUNCIL_SHORT_RE, "ref")):
        for m in rx.finditer(text):
            s, e = m.start(group), m.end(group)
            if taken.overlaps(s, e):
                continue
            ref = m.group(group)
            fit = [b for b in bodies if ("Shadow" in ref) == ("Shadow" in b.text or "Shadow" in
                                                              b.name)] or bodies
            if ref.startswith("Shadow") and not fit:
                continue
            name = max(fit, key=lambda b: (len(b.name), -b.start)).name if fit else ref
            taken.add(s, e)
            out.append(Mention(s, e, text[s:e], "council_body", name, "council:short"))
    return out


# A council body's name with no place in it: a health and wellbeing board, a (health)
# scrutiny committee or panel (never a joint one: its name needs every council's place).
_BARE_BODY = re.compile(r"^(?:Shadow[ \t]+)?(?:Health[ \t]+(?:and|&)[ \t]+Well[\s-]?[Bb]eing[ \t]+"
                        r"(?:Partnership[ \t]+)?Board|(?:(?:Adults?|Adult[ \t]+Social[ \t]+Care|"
                        r"Health|Health[ \t]+(?:and|&)[ \t]+(?:Adult[ \t]+)?Social[ \t]+Care|"
                        r"Health[ \t]+(?:and|&)[ \t]+Care|Public[ \t]+Health)[ \t]+)?"
                        r"(?:Overview[ \t]+(?:and|&)[ \t]+)?Scrutiny[ \t]+(?:Committee|Panel|"
                        r"Commission|Board))$")


_HEAD_WORDS = ("Consortium", "CCG", "PCT", "ICB", "Trust", "Council", "Group", "Board",
               "Committee", "Partnership", "Alliance")
_AND = re.compile(r"[ \t]+(?:and|&)[ \t]+")
_SPLIT_TYPES = {"pct", "ccg", "icb", "nhs_trust", "foundation_trust", "care_trust",
                "local_authority", "csu"}


def split_shared(text: str, mentions: list[Mention], relink=None) -> list[Mention]:
    """Names joined by "and" that are two bodies: the first ends with a type word of its
    own ("Upton GP Consortium and Downton Health Consortium"), or the second repeats the
    first's opening word and the head is shared ("Upton North and Upton South PCT")."""
    out = []
    for m in mentions:
        if m.linked or not m.component.startswith("pattern:") or m.org_type not in _SPLIT_TYPES \
                or " and " not in m.text and " & " not in m.text:
            out.append(m)
            continue
        first = m.text.split()[0]
        done = False
        for j in _AND.finditer(m.text):
            a, b = m.text[:j.start()], m.text[j.end():]
            own = a.split()[-1] in _HEAD_WORDS and len(a.split()) >= 2
            shared = b.split()[0] == first and len(b.split()) >= 2 and first[:1].isupper() \
                and first not in _NOT_PLACE
            if not (own or shared):
                continue
            head = "" if own else b.split()[-1]
            bs = m.start + j.end()
            pa = Mention(m.start, m.start + len(a), a, m.org_type, a, m.component)
            pb = Mention(bs, m.end, b, m.org_type, b, m.component)
            if relink is not None:
                pa = relink(Mention(pa.start, pa.end, (a + " " + head).strip(), m.org_type, a,
                                    m.component), a)
                pb = relink(pb, b)
            out.extend([pa, pb])
            done = True
            break
        if not done:
            out.append(m)
    return out


_LEFT_ITEM = re.compile(r"(?P<w>[A-Z][A-Za-z'’\-]+),[ \t]+$")
_LEFT_THE = re.compile(r"(?P<w>[A-Z][A-Za-z'’\-]+)[ \t]+(?:and|&)[ \t]+the[ \t]+$")
_NOT_ITEM = _NOT_PLACE | {"In", "At", "For", "From", "By", "With", "Meanwhile", "However",
                          "Yesterday", "Today", "Also", "Now", "Then", "But", "And", "Or",
                          "Elsewhere", "Instead", "Similarly", "Separately", "Previously"}


def widen_names(text: str, mentions: list[Mention], relink=None) -> list[Mention]:
    """A name of the form "A, B and C <head>" read from "B and C" on ("Upton, Downton
    and Midtown CCG"), or "A and the B <head>" read from "B" ("Upshire and the Isle of
    Upton ICB"): the name starts at A."""
    out = []
    for m in mentions:
        if m.linked and m.component != "gazetteer" or m.org_type not in _SPLIT_TYPES:
            out.append(m)
            continue
        before = text[max(0, m.start - 40):m.start]
        lm = _LEFT_THE.search(before) if not m.text.startswith(("NHS ", "the ")) else None
        if lm is None and (" and " in m.text or " & " in m.text) and not m.text.startswith(
                "NHS "):
            lm = _LEFT_ITEM.search(before)
            if lm:
                prior = text[max(0, m.start - len(before) + lm.start() - 40):
                             m.start - len(before) + lm.start()].rstrip()
                if prior.endswith(",") and prior[:-1].split()[-1:] != [] and \
                        prior[:-1].split()[-1] not in _HEAD_WORDS:
                    lm = None   # "A, B, C and D CCG": a longer list, not one name
                    # (but "Upton CCG, Downton, Marsh and Fen CCG": after a full name)
        if lm is None or lm.group("w") in _NOT_ITEM or lm.group("w") in _HEAD_WORDS or \
                lm.group("w").isupper():
            out.append(m)
            continue
        s = m.start - len(before) + lm.start()
        wide = Mention(s, m.end, text[s:m.end], m.org_type, text[s:m.end], m.component)
        if relink is not None:
            wide = relink(wide, wide.text)
        out.append(wide)
    return out


_WORD_BEFORE = re.compile(r"(?P<w>[A-Z][a-z]+(?:[ \t]+(?:upon|on|under)[ \t]+[A-Z][a-z]+)?)[ \t]+$")


def place_before_nhs(text: str, mentions: list[Mention]) -> list[Mention]:
    """A place written before the name of a national membership body ("Upton NHS
    Alliance") names a local body of its own, not the national one: the mention takes
    the place in, and the name as written. In a text about commissioning groups such a
    local group is one (a consortium of practices, the schema's ``ccg``)."""
    out = []
    for m in mentions:
        if m.component == "gazetteer" and m.org_type == "other" and m.name.startswith("NHS ") \
                and m.text.startswith("NHS "):
            wm = _WORD_BEFORE.search(text, max(0, m.start - 40), m.start)
            if wm and wm.group("w").split()[0] not in _NOT_ITEM and _place_ok(wm.group("w")):
                s = wm.start("w")
                typ = "ccg" if re.search(r"(?i)\bcommissioning\b", text) else "other"
                name = text[s:m.end]
                m = Mention(s, m.end, name, typ, " ".join(name.split()), "place:nhs")
        out.append(m)
    return out


# A PCT that another took over: "X PCT has taken over from A and B PCT", "X replaced A",
# "A and B PCTs have merged to form X", "A and B were abolished".
_TAKEN_FROM = re.compile(r"(?i)\b(?:(?:has|have|had|will)[ \t]+)?(?:taken|took|take)[ \t]+over[ \t]+"
                         r"from\b|\breplac(?:ed|es|ing)\b|\bsucceed(?:ed|s|ing)\b")
_MERGED_INTO = re.compile(r"(?i)\b(?:have|has|had|were|was)[ \t]+(?:merged|abolished|dissolved)\b|"
                          r"\bmerged[ \t]+(?:to[ \t]+(?:form|become|create)|into)\b")
# PCTs took "NHS <area>" operating names from 2007 on; a text before then about a PCT
# that was ending knows it by its statutory name only.
_PCT_OPERATING_NAMES = "2008"
_A_TRUST = re.compile(r"(?i)\b(?:PCT|primary[ \t]+care[ \t]+trust|trust)\b")


def ended_pcts(text: str, mentions: list[Mention], when: str | None) -> list[Mention]:
    """PCTs that a text written before the operating names came in (``when``, the
    document's date) says another took over ("X has taken over from A and B PCT") or that
    merged away: each mention of them is named "<area> Primary Care Trust", the statutory
    name they ended with (an "NHS <area>" name never existed for them)."""
    if not when or when[:4] >= _PCT_OPERATING_NAMES or not any(
            m.org_type == "pct" for m in mentions) or not any(
            w in text for w in ("over from", "eplac", "ucceed", "merged", "abolished",
                                "dissolved")):
        return mentions   # (the cue words' literal text first: most texts have none)
    ended: set[str] = set()
    for s, e in sentences(text):
        sent = text[s:e]
        pcts = [m for m in mentions if m.org_type == "pct" and s <= m.start < e]
        if not pcts:
            continue
        for rx, after in ((_TAKEN_FROM, True), (_MERGED_INTO, False)):
            cue = rx.search(sent)
            if cue and (not after or _A_TRUST.search(sent, 0, cue.start())):
                at = s + cue.start()   # (the one taking over is a trust: not a person)
                ended.update(m.name for m in pcts if (m.start > at) == after)
    if not ended:
        return mentions
    out = []
    for m in mentions:
        if m.org_type == "pct" and m.name in ended and place_of(m.name):
            m = Mention(m.start, m.end, m.text, m.org_type,
                        f"{place_of(m.name)} Primary Care Trust", m.component, m.linked)
        out.append(m)
    return out


def place_council_bodies(text: str, mentions: list[Mention]) -> list[Mention]:
    """A council body named without its place ("the Health and Wellbeing Board", "the
    Shadow Health and Wellbeing Board", "Health Scrutiny Committee") is the body of the
    place the document is about (``docplace.home_place``): "<place> Health and Wellbeing
    Board"; so is a bare "Healthwatch" ("Healthwatch <place>"). Where the text does not
    tell the place the name stays as written. "Shadow" written before the name belongs
    to it."""
    if not any(m.org_type == "council_body" for m in mentions):
        return mentions
    place = home_place(text, mentions)
    out = []
    for m in mentions:
        if m.org_type == "council_body" and m.component != "council:short":
            s = m.start
            if text[max(0, s - 7):s] == "Shadow " and not m.text.startswith("Shadow"):
                s -= 7
                m = Mention(s, m.end, text[s:m.end], m.org_type, "Shadow " + m.name,
                            m.component, m.linked)
            if place and _BARE_BODY.match(m.name):
                m = Mention(m.start, m.end, m.text, m.org_type, f"{place} {m.name}",
                            m.component, m.linked)
        elif place and m.org_type == "patient_voice" and m.name == "Healthwatch":
            m = Mention(m.start, m.end, m.text, m.org_type, f"Healthwatch {place}",
                        m.component, m.linked)
        out.append(m)
    return out


_HEAD_LITERALS.update({
    id(VERB_ONLY_RE): ("understands", "has learn", "has seen", "can reveal", "revealed",
                       "reported", "analysis", "investigation", "survey"),
    id(UNI_ONLY_RE): ("University",),
    id(PLURAL_HEAD_RE): tuple(sorted(_PLURAL_HEADS)),

    id(TOLD_RE): ("told", "speaking to", "according to", "conducted by", "carried out by",
                  "run by"),
})


# "These new ICB footprints will come into effect on 1 April 2026 and are:" + a list
FUTURE_LIST_RE = re.compile(
    r"(?i)\bnew\b[^.\n]{0,80}?\b(?:footprints?|ICBs|CCGs|organisations|bodies|trusts|"
    r"committees|boards)\b[^\n]{0,200}?\b(?:will|would|are\s+to|is\s+to)\s+(?:come\s+into\s+"
    r"(?:effect|being|existence)|be\s+(?:established|created|formed|set\s+up))\b[^\n]*:[ \t]*\n")
# "the establishment of a X Joint Scrutiny Committee": a body still to be set up
_TO_BE_SET_UP = re.compile(r"(?i)\b(?:establishment|creation|formation|setting\s+up)\s+of\s+"
                           r"(?:a|an|the\s+proposed|a\s+new|a\s+proposed)\s+$|\b(?:establish|"
                           r"create|set\s+up|form)\s+(?:a|an|a\s+new)\s+$")


def not_yet(text: str, mentions: list[Mention]) -> list[Mention]:
    """Bodies that do not exist yet are no mentions: those listed after "the new X will
    come into effect on ...:", and a council body whose first mention is the object of
    its own establishment ("the establishment of a Joint Scrutiny Committee"), all its
    mentions. Bodies the registry knows stay. Returns the mentions kept and the spans of
    those left out (no short reference is read inside them)."""
    drop: set[int] = set()
    if ("new" in text or "New" in text) and ("come into" in text or any(
            w in text for w in ("be established", "be created", "be formed", "be set up"))):
        for m in FUTURE_LIST_RE.finditer(text):
            end = text.find("\n\n", m.end())
            end = len(text) if end < 0 else end
            drop.update(i for i, o in enumerate(mentions)
                        if m.end() <= o.start < end and not o.linked)
    first: dict[str, Mention] = {}
    for o in mentions:
        if o.org_type == "council_body":
            first.setdefault(o.name, o)
    unborn = {n for n, o in first.items() if not o.linked and _TO_BE_SET_UP.search(
        text, max(0, o.start - 40), o.start)}
    if unborn:
        drop.update(i for i, o in enumerate(mentions) if o.name in unborn)
    if not drop:
        return mentions, []
    return ([o for i, o in enumerate(mentions) if i not in drop],
            [(o.start, o.end) for i, o in enumerate(mentions) if i in drop])


_FORMERLY = re.compile(r"[ \t]*(?:\([ \t]*(?:formerly|previously|then)(?:[ \t]+known[ \t]+as)?[ \t]+|,[ \t]*"
                       r"(?:formerly|previously)(?:[ \t]+known[ \t]+as)?[ \t]+)(?:the[ \t]+)?$")


def formerly(text: str, mentions: list[Mention]) -> list[Mention]:
    """"Upton NHS Foundation Trust (formerly Upton Hospitals NHS Trust)": the earlier name
    names the same body, so it takes the later one's canonical name."""
    if "ormerly" not in text and "reviously" not in text:
        return mentions
    out = list(mentions)
    for i in range(1, len(out)):
        prev, cur = out[i - 1], out[i]
        if not 0 <= cur.start - prev.end < 40:
            continue
        gap = text[prev.end:cur.start]
        if "ormerly" in gap or "reviously" in gap or "then" in gap:
            pass
        else:
            continue
        if _FORMERLY.match(gap) and type_family_same(prev, cur):
            out[i] = Mention(cur.start, cur.end, cur.text, cur.org_type, prev.name,
                             cur.component, prev.linked)
    return out


def type_family_same(a: Mention, b: Mention) -> bool:
    from nhsgraph.extract.gazetteer import type_family
    return type_family(a.org_type) == type_family(b.org_type)


# A place used as the body: "Upton remains a standalone PCT", "Upton and Downton became
# one PCT", "authorises Upton to become an NHS foundation trust", "Upton will merge with
# Downton CCG".
_PLACE = r"(?P<place>" + _SEQ + r"(?:[ \t]+(?:and|&)[ \t]+" + _SEQ + r")?)"
_AS_TYPE = {"pct": "pct", "primary care trust": "pct", "ccg": "ccg",
            "clinical commissioning group": "ccg", "icb": "icb", "nhs trust": "nhs_trust",
            "trust": "nhs_trust", "nhs foundation trust": "nhs_trust",
            "foundation trust": "nhs_trust"}
IS_A_RE = re.compile(_PLACE + r"[ \t]+(?:remains|is|was|became|becomes|will[ \t]+(?:become|remain)|"
                     r"would[ \t]+(?:become|remain))[ \t]+(?:a|an|one)[ \t]+(?:(?:single|standalone|"
                     r"stand-alone|separate|new|county-wide|larger)[ \t]+)?(?P<head>(?i:PCT|CCG|ICB|"
                     r"NHS[ \t]+trust|NHS[ \t]+foundation[ \t]+trust|primary[ \t]+care[ \t]+trust|"
                     r"clinical[ \t]+commissioning[ \t]+group))(?![\w&])")
IS_A_HEAD_RE = re.compile(r"(?i:PCT|CCG|ICB|NHS[ \t]+trust|NHS[ \t]+foundation[ \t]+trust|"
                          r"primary[ \t]+care[ \t]+trust|clinical[ \t]+commissioning[ \t]+group)"
                          r"(?![\w&])")
_HEAD_LITERALS[id(IS_A_HEAD_RE)] = ("PCT", "CCG", "ICB", "NHS trust", "NHS Trust",
                                   "NHS foundation", "NHS Foundation", "primary care trust",
                                   "clinical commissioning group")
# the verb phrases IS_A_RE turns on (the pattern is tried only around them)
_IS_A_VERBS = (" remains a", " remain a", " is a", " was a", " became a", " becomes a",
               " become a", " became one", " become one", " becomes one", " is one", " was one")
AUTHORISES_RE = re.compile(r"\b(?:authoris\w+|approv\w+)[ \t]+" + _PLACE + r"[ \t]+to[ \t]+become[ \t]+"
                           r"an?[ \t]+(?:NHS[ \t]+)?(?i:foundation[ \t]+trust)")
MERGE_WITH_RE = re.compile(_PLACE + r"[ \t]+(?:will|is[ \t]+to|plans[ \t]+to|agreed[ \t]+to|voted[ \t]+to|"
                           r"is[ \t]+set[ \t]+to|has[ \t]+agreed[ \t]+to)[ \t]+merge[ \t]+with[ \t]+$")
_GEO_BEFORE = re.compile(r"(?i)\b(?:in|at|across|from|around|near|of|to|for)[ \t]+(?:the[ \t]+)?$")


def _family(t: str) -> str:
    from nhsgraph.extract.gazetteer import type_family
    return type_family(t)


def place_bodies(text: str, named: list[Mention], relink=None) -> list[Mention]:
    """Places that the sentence makes act as an organisation (see the patterns above),
    as mentions of that type; a place used as geography ("practices in Upton") is not."""
    if not any(w in text for w in ("remain", " is a", " was a", "became", "become", "merge")):
        return []
    occ: list[Occupied] = []   # (built at the first candidate)
    out: list[Mention] = []

    def add(s, e, typ, head):
        if not occ:
            occ.append(Occupied(len(text), ((m.start, m.end) for m in named)))
        taken = occ[0]
        piece = text[s:e]
        words = piece.split()
        if not words or words[0] in _NOT_PLACE or taken.overlaps(s, e) or \
                _GEO_BEFORE.search(text, max(0, s - 12), s):
            return
        conj = [(s, e)]
        j = _SPLIT_AND.search(piece)
        if head == "one" and j:   # "Upton and Downton became one PCT": both
            conj = [(s, s + j.start()), (s + j.end(), e)]
        for a, b in conj:
            mm = Mention(a, b, text[a:b], typ, text[a:b], "place:" + typ)
            full = next((o for o in named if o.text.startswith(text[a:b] + " ") and
                         _family(o.org_type) == _family(typ)), None)
            if full is not None:   # "Upton" beside "Upton NHS Foundation Trust": that body
                out.append(Mention(a, b, text[a:b], typ, full.name, "place:" + typ, full.linked))
                taken.add(a, b)
                continue
            if relink is not None:
                mm = relink(Mention(a, b, f"{text[a:b]} {_SINGULAR.get(typ, '')}".strip(), typ,
                                    text[a:b], "place:" + typ), text[a:b])
            taken.add(a, b)
            out.append(mm)

    last = -1
    for v in sorted(i for w in _IS_A_VERBS for i in _finds(text, w)):
        if v < last or IS_A_HEAD_RE.search(text, v, v + 48) is None:
            continue   # (no type word right after "is a": "X is a good idea")
        for m in IS_A_RE.finditer(text, max(0, v - 90), min(len(text), v + 70)):
            if not m.start("place") < v + 1 <= m.start("head"):
                continue
            last = m.end()
            typ = _AS_TYPE.get(" ".join(m.group("head").lower().split()))
            if typ:
                one = re.search(r"\bone[ \t]", m.group(0))
                add(m.start("place"), m.end("place"), typ, "one" if one else "")
            break
    for m in AUTHORISES_RE.finditer(text) if "to become" in text and (
            "uthoris" in text or "pprov" in text) else ():
        add(m.start("place"), m.end("place"), "nhs_trust", "")
    if "merge with" in text:
        for o in named:
            if o.org_type not in _SPLIT_TYPES:
                continue
            mm = MERGE_WITH_RE.search(text, max(0, o.start - 80), o.start)
            if mm:
                add(mm.start("place"), mm.end("place"), o.org_type, "")
    return out
