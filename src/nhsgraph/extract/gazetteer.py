"""A gazetteer of organisation names: canonical name, type, aliases and variants.

The store builds one from the registry; until then callers pass plain records. Every
record's names are expanded into the spellings documents use ("NHS X" / "X PCT" /
"X Primary Care Trust", "X CCG" / "NHS X CCG" / "X Clinical Commissioning Group",
"&" for "and", a leading "the" dropped), and looked up in :func:`key` form
(case-folded, punctuation dropped, "&" as "and").

Example::

    gaz = Gazetteer.from_records([OrgRecord("NHS Wiltshire", "pct")])
    gaz.lookup("Wiltshire PCT").name   # "NHS Wiltshire"
"""

from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass
from typing import Iterable, Mapping

from nhsgraph.model.names import conventional_case
from nhsgraph.model.predicates import ORG_TYPES


@dataclass(frozen=True)
class OrgRecord:
    """One organisation as the gazetteer sees it.

    Notes: ``aliases`` are extra names (old names, abbreviations); ``codes`` (ODS, ONS)
    are matched as whole tokens too. ``org_type`` must be one of the registry ORG_TYPES.
    """

    name: str
    org_type: str
    aliases: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    names: tuple[tuple[str, str | None, str | None], ...] = ()   # (name, valid_from, valid_to)
    types: tuple[tuple[str, str | None, str | None], ...] = ()   # (org_type, from, to)


# Registry types that the extraction schema folds into one of its own types.
SCHEMA_TYPE = {"sha_cluster": "sha", "sub_icb_location": "icb", "ics": "icb", "stp": "icb",
               "icb_cluster": "icb", "pcn": "gp_practice", "commissioning_hub": "national_body",
               "area_team": "national_body", "nhse_region": "national_body",
               "local_office": "national_body", "commissioning_region": "national_body"}


def schema_type(org_type: str) -> str:
    """The extraction schema's type for a registry type."""
    return SCHEMA_TYPE.get(org_type, org_type)


def _era(rows: tuple, when: str | None):
    """The row valid at ``when`` (ISO text, any precision); before the first era the
    first row, after the last the last one."""
    if not rows:
        return None
    if not when:
        return rows[-1]
    valid = [row for row in rows if (row[1] or "") <= when and (row[2] is None or when < row[2])]
    if valid:   # open-ended rows that overlap: the one that began last
        return max(valid, key=lambda r: r[1] or "")
    starts = [r for r in rows if r[1] and when < r[1]]
    return min(starts, key=lambda r: r[1]) if starts else rows[-1]


_KEEP_UPPER = {"NHS", "CCG", "PCT", "ICB", "ICS", "SHA", "CSU", "CIC", "LLP", "MBC", "PCN",
               "GP", "UK", "HM", "LINK", "WI", "LPC", "LMC", "PPI", "BC", "CQC", "NHSE", "FT"}


def name_case(text: str) -> str:
    """A name written in capitals ("NHS UPSHIRE CLINICAL COMMISSIONING GROUP") as names
    are written ("NHS Upshire Clinical Commissioning Group", ``model.names``); other
    names, and capitals that are initialisms ("NHS BANES"), unchanged."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 6 or not all(c.isupper() for c in letters):
        return text
    words = [w for w in text.split() if w.isalpha() and len(w) >= 3 and w not in _KEEP_UPPER]
    if len(words) < 2:
        return text   # "NHS BANES", "B&NES": an initialism, not a name in capitals
    cased = conventional_case(text)
    if "LINK" in text.split():        # a Local Involvement Network
        cased = re.sub(r"\bLink\b", "LINk", cased)
    return cased


# Words that make a name the name of a body rather than of a place ("Upshire Council",
# not "Upshire"); a registry form without one is matched only if it is a code or a
# mixed-case name of several words of a body that is not named after its area.
_BODY_WORDS = re.compile(
    r"(?i)\b(?:nhs|trust|council|ccg|pct|icb|ics|sha|csu|commissioning|care\s+board|"
    r"practice|surgery|medical|centre|center|clinic|hospital|hospice|partnership|group|"
    r"board|committee|service|services|foundation|university|college|agency|authority|"
    r"commission|unit|institute|network|healthwatch|link|alliance|federation|company|"
    r"ltd|limited|llp|plc|cic|association|society|forum|consortium|collaborative|"
    r"department|ministry|office|health\s+centre)\b")


def _names_a_body(form: str, org_type: str) -> bool:
    if _BODY_WORDS.search(form):
        return True
    if " " not in form and (any(c.isdigit() for c in form) or (form.isupper() and
                                                               len(form) <= 5)):
        return True   # a code or an initialism
    if org_type in _AREA_TYPES or org_type in ("gp_practice", "other", "provider_other"):
        return False  # a bare place ("Upshire"), a cost centre's label ("URGENT CARE")
    return len(form.split()) >= 2 and not form.isupper()


_ODS_CODE_TAIL = re.compile(r"\s+-\s+[0-9A-Z]{3,5}$")


def display_name(name: str, org_type: str) -> str:
    """A registry name as the schema writes canonical names: capitals as names are written
    ("NHS UPSHIRE ICB" -> "NHS Upshire ICB"), no ODS code tail (" - 02T"), an ICB's
    "ICB" written out ("NHS Upshire Integrated Care Board")."""
    name = _ODS_CODE_TAIL.sub("", name)
    cased = name_case(name)
    if cased == name and name.isupper() and len(name.split()) >= 3 and any(
            len(w) >= 4 and w.isalpha() and w not in _KEEP_UPPER for w in name.split()):
        cased = name_case(name + " NAME")[:-5]   # "NHS UPTON CCG": one place word
    name = cased
    if org_type in ("icb", "sub_icb_location") and name.startswith("NHS ") and \
            name.endswith(" ICB"):
        name = name[:-4] + " Integrated Care Board"
    return name


@dataclass(frozen=True)
class Entry:
    """What a surface form resolves to. ``names``/``types`` are the dated history when
    the registry has one; :meth:`at` gives the name and schema type at a date."""

    name: str
    org_type: str
    source: str = "registry"   # "registry", "national" or "variant"
    names: tuple = ()
    types: tuple = ()

    def known_at(self, when: str | None) -> bool:
        """Whether the registry knows the body as existing by ``when``: False when its
        every dated type begins later (a 2012 text's "NHS Upton" is not the CCG of that
        name set up in 2013; the text's own reading of the name stands)."""
        if not when or not self.types or not any(t in _AREA_TYPES for t, _, _ in self.types):
            return True   # (only area-named bodies reuse a name across eras)
        return any((r[1] or "") <= when for r in self.types)

    def named_at(self, when: str | None) -> bool:
        """Whether the registry knows the body's name at ``when``: False when every name
        it has came later (a CCG known only by the sub-ICB location name it took in
        2022: a 2015 text's "NHS Upton CCG" is then named as written)."""
        if not when or not self.names:
            return True
        return any((r[1] or "") <= when for r in self.names)

    def at(self, when: str | None) -> tuple[str, str]:
        """(canonical name, schema type) as at ``when`` (the document's date)."""
        n = _era(self.names, when)
        t = _era(self.types, when)
        return (n[0] if n else self.name), schema_type(t[0] if t else self.org_type)


# National bodies whose name changed while the body stayed: (name, from, to) eras.
NATIONAL_NAMES = {
    "Department of Health and Social Care": (
        ("Department of Health", None, "2018-01-09"),
        ("Department of Health and Social Care", "2018-01-09", None)),
}
# National bodies: (canonical name, type, aliases). Abbreviations that are also common
# words (Monitor) are matched case-sensitively by the pipeline; see CASE_SENSITIVE.
NATIONAL_BODIES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Department of Health and Social Care", "government_department",
     ("Department of Health", "DH", "DoH", "DHSC", "Department of Health & Social Care")),
    ("Department for Communities and Local Government", "government_department",
     ("DCLG", "Ministry of Housing, Communities and Local Government", "MHCLG")),
    ("HM Treasury", "government_department", ("the Treasury", "Treasury")),
    ("Department for Education", "government_department", ("DfE",)),
    ("Cabinet Office", "government_department", ()),
    ("NHS England", "national_body", ("NHS Commissioning Board", "NHSCB", "NHS CB", "NHSE",
                                      "NHSE/I", "NHSEI", "NHSE&I", "NHS England and Improvement",
                                      "NHS England & Improvement", "NHS E/I",
                                      "National Commissioning Board",
                                      "NHS Commissioning Board Authority")),
    ("Monitor", "national_body", ()),
    ("NHS Improvement", "national_body", ("NHSI",)),
    ("NHS Trust Development Authority", "national_body", ("NHS TDA", "TDA",
                                                          "Trust Development Authority")),
    ("Care Quality Commission", "national_body", ("CQC",)),
    ("Healthcare Commission", "national_body", ()),
    ("Commission for Health Improvement", "national_body", ("CHI",)),
    ("Appointments Commission", "national_body", ("NHS Appointments Commission",)),
    ("NHS Management Board", "national_body", ("Management Board",)),
    ("National Institute for Health and Care Excellence", "national_body",
     ("NICE", "National Institute for Health and Clinical Excellence",
      "National Institute for Clinical Excellence")),
    ("UK Health Security Agency", "national_body", ("UKHSA",)),
    ("Public Health England", "national_body", ("PHE",)),
    ("Health Protection Agency", "national_body", ("HPA",)),
    ("NHS Digital", "national_body", ("Health and Social Care Information Centre", "HSCIC",
                                      "NHS Information Centre")),
    ("Health Education England", "national_body", ("HEE",)),
    ("NHS Business Services Authority", "national_body", ("NHSBSA", "NHS BSA")),
    ("NHS Litigation Authority", "national_body", ("NHS Resolution", "NHSLA")),
    ("NHS Institute for Innovation and Improvement", "national_body", ("NHS Institute",)),
    ("National Patient Safety Agency", "national_body", ("NPSA",)),
    ("Audit Commission", "national_body", ()),
    ("National Audit Office", "national_body", ("NAO",)),
    ("Healthwatch England", "patient_voice", ()),
    ("NHS Confederation", "other", ("NHS Confed",)),
    ("NHS Providers", "other", ("Foundation Trust Network", "FTN")),
    ("NHS Clinical Commissioners", "other", ()),
    ("NHS Alliance", "other", ()),
    ("National Association of Primary Care", "other", ("NAPC",)),
    ("British Medical Association", "other", ("BMA",)),
    ("Royal College of General Practitioners", "other", ("RCGP",)),
    ("Royal College of Nursing", "other", ("RCN",)),
    ("General Medical Council", "other", ("GMC",)),
    ("Nursing and Midwifery Council", "other", ("NMC",)),
    ("Local Government Association", "other", ("LGA",)),
    ("King's Fund", "other", ("The King's Fund", "Kings Fund")),
    ("Nuffield Trust", "other", ()),
    ("Health Foundation", "other", ("The Health Foundation",)),
    ("NHS Future Forum", "other", ()),
    ("Health Service Journal", "other", ("HSJ",)),
    ("Unison", "other", ("UNISON",)),
)
# Strategic health authorities and SHA clusters (2006-2013): regional, but a fixed set.
REGIONAL_BODIES: tuple[str, ...] = (
    "NHS North East", "NHS North West", "NHS Yorkshire and the Humber", "NHS East Midlands",
    "NHS West Midlands", "NHS East of England", "NHS London", "NHS South East Coast",
    "NHS South Central", "NHS South West", "NHS North of England", "NHS Midlands and East",
    "NHS South of England")
#: Aliases that are ordinary words in lower case: matched only as written.
CASE_SENSITIVE = frozenset({"Monitor", "DH", "CHI", "NICE", "PHE", "HEE", "TDA", "FTN",
                            "Unison", "UNISON", "Treasury", "HPA", "NAO", "NMC", "RCN",
                            "Management Board", "NHS Institute"})


_NOT_ALNUM = re.compile(r"[\W_]+")


_FAMILIES = ({"pct", "care_trust", "pct_cluster"},
             {"ccg", "icb", "icb_cluster", "sub_icb_location", "csu"},
             {"nhs_trust", "foundation_trust"}, {"sha", "sha_cluster"})


_FAMILY_OF = {t: min(fam) for fam in _FAMILIES for t in fam}   # (looked up per mention)


def type_family(org_type: str) -> str:
    """Types that name the same kind of body across reorganisations share a family."""
    return _FAMILY_OF.get(org_type, org_type)


@lru_cache(maxsize=100_000)
def key(text: str) -> str:
    """Match key: case-folded, '&' as 'and', apostrophes dropped, other punctuation as space."""
    if text.isascii() and text.replace(" ", "").isalnum():
        # ASCII letters and digits between spaces (most names): only the case and the
        # spacing change, at a third of the cost
        return " ".join(text.lower().split())
    return _full_key(text)


def _full_key(text: str) -> str:
    text = text.casefold().replace("&", " and ").replace("’", "").replace("'", "")
    return " ".join(_NOT_ALNUM.sub(" ", text).split())


_SUFFIXES = {
    "pct": ("PCT", "Primary Care Trust", "Teaching PCT", "Teaching Primary Care Trust"),
    "ccg": ("CCG", "Clinical Commissioning Group"),
    "icb": ("ICB", "Integrated Care Board"),
    "care_trust": ("Care Trust", "NHS Care Trust"),
}
_STRIP_SUFFIX = re.compile(
    r"\s+(?:Teaching\s+)?(?:PCT|Primary Care Trust|CCG|Clinical Commissioning Group|ICB|"
    r"Integrated Care Board|(?:NHS\s+)?Care Trust)$", re.I)


_COMPASS = (("North East", "NE"), ("North West", "NW"), ("South East", "SE"),
            ("South West", "SW"))
_TYPE_WORDS = re.compile(
    r"\b(?:NHS|Teaching|Primary Care Trust|PCT|Clinical Commissioning Group|CCG|"
    r"Integrated Care Board|ICB|Care Trust|Trust|Council|County|City|Borough|District|"
    r"Metropolitan|Local Involvement Network|LINk|Healthwatch)\b")
_AREA_TYPES = {"sha", "sha_cluster", "pct", "pct_cluster", "ccg", "icb", "icb_cluster",
               "sub_icb_location", "local_authority", "nhse_region", "area_team"}
_GENERIC_ALIASES = {"gp", "gps", "pct", "pcts", "ccg", "ccgs", "sha", "shas", "nhs", "trust",
                    "trusts", "council", "councils", "icb", "icbs", "csu", "link", "board"}


def usable_alias(alias: str) -> bool:
    """Whether a registry alias can be matched anywhere: not a lower-case common noun
    ("the trust"), a type word ("PCTs") or a bare single place word ("Cambridge"), which
    name a body only in the document they were read from; acronyms (3+ capitals) stay."""
    a = alias.strip()
    if not a or not (a[0].isupper() or a[0].isdigit()):
        return False
    if key(a) in _GENERIC_ALIASES:
        return False
    if " " not in a:
        caps = sum(ch.isupper() for ch in a)
        return caps >= 3 or any(ch.isdigit() for ch in a)
    return True


@lru_cache(maxsize=20_000)
def acronyms(place: str) -> frozenset[str]:
    """Initialisms of a place of three or more words: "Bath and North East Somerset" ->
    BNES, BANES, B&NES (how local bodies are often written)."""
    words = place.replace("&", " and ").split()
    if len(words) < 3 or not all(w[0].isupper() or w.lower() in ("and", "of", "upon", "on")
                                 for w in words):
        return frozenset()
    sig = [w for w in words if w[0].isupper()]
    if len(sig) < 3:
        return frozenset()
    out = {"".join(w[0] for w in sig)}
    if "and" in words:
        i = words.index("and")
        left = "".join(w[0] for w in words[:i] if w[0].isupper())
        right = "".join(w[0] for w in words[i + 1:] if w[0].isupper())
        if left and right:
            out |= {f"{left}A{right}", f"{left}&{right}"}
    return frozenset(out)


@lru_cache(maxsize=50_000)
def place_of(name: str) -> str:
    """A name without its type words: "NHS Bath and North East Somerset CCG" -> "Bath and
    North East Somerset"."""
    return " ".join(_TYPE_WORDS.sub(" ", name).split())


def variants(name: str, org_type: str) -> set[str]:
    """Spellings of ``name`` that documents use for an organisation of ``org_type``."""
    out = {name}
    base = name
    if org_type in _SUFFIXES:
        stem = _STRIP_SUFFIX.sub("", name)
        stem = re.sub(r"^NHS\s+", "", stem)
        if stem and stem != name:
            base = stem
        for suf in _SUFFIXES[org_type]:
            out.add(f"{base} {suf}")
            if org_type != "care_trust":
                out.add(f"NHS {base} {suf}")
        if org_type in ("pct", "icb"):
            out.add(f"NHS {base}")
        if org_type == "pct":
            out.add(f"{base} NHS")
    if org_type == "nhs_trust" and " NHS Trust" in name:
        out.add(name.replace(" NHS Trust", " Trust"))
    if org_type == "foundation_trust" and " NHS Foundation Trust" in name:
        out.add(name.replace(" NHS Foundation Trust", " Foundation Trust"))
    if org_type == "local_authority":
        stem = re.sub(r"\s+(?:County|City|Borough|District|Metropolitan Borough)?\s*Council$",
                      "", name)
        if stem != name:
            out.add(f"{stem} Council")
        if name.endswith(" Metropolitan Borough Council"):
            out.add(name[:-len(" Metropolitan Borough Council")] + " MBC")
        elif name.endswith(" Borough Council"):
            out.add(name[:-len(" Borough Council")] + " BC")
    place = place_of(name)
    more = set()
    for v in out:
        if " and " in v:
            more.add(v.replace(" and ", " & "))
        if v.lower().startswith("the "):
            more.add(v[4:])
        for full, short in _COMPASS:
            if full in v:
                more.add(v.replace(full, short))
        if place and " " in place and place in v and v != place:
            for acr in acronyms(place):
                more.add(v.replace(place, acr))
    return out | more


def _bare(place: str) -> str:
    return " ".join(w for w in key(place).split() if w != "the")


def _full_alias(area: str, aliases: Iterable[str], org_type: str) -> str | None:
    """The registry's own full name of an area-named body known by its area only: the one
    alias of the body's statutory form with that area (its "the" aside): "NHS Upshire and
    Isle of Upton Integrated Care Board" for "Upshire and the Isle of Upton", rather than a
    name built from the area."""
    want = None if org_type == "pct" else org_type   # a PCT's "NHS Upton" has no suffix
    fits = {a for a in aliases if a.startswith("NHS ") and _suffix_type(a) == want
            and _bare(place_of(a)) == _bare(area)}
    return next(iter(fits)) if len(fits) == 1 else None


def _suffix_type(name: str) -> str | None:
    low = name.lower()
    if low.endswith((" integrated care board", " icb")):
        return "icb"
    if low.endswith((" clinical commissioning group", " ccg")):
        return "ccg"
    if low.endswith((" primary care trust", " pct")):
        return "pct"
    return None


def _types_while_named(era, types: tuple, org_type: str) -> tuple[str, ...]:
    """The types a body had while it bore a name (``era``: (name, from, to), or None for
    an alias): an old name takes the type it had then; a name with no start date (the
    registry knows only that it is the body's name) every type the body had in its time
    (an ICB that was an STP is named "X ICB" too)."""
    if era is None or not types:
        return (org_type,)
    if era[1] is None:
        overlapping = [t for t, f, to in types if era[2] is None or (f or "") < era[2]]
        return tuple(dict.fromkeys(overlapping or [org_type]))
    return (_era(types, era[1])[0],)


def _type_at(entry: Entry, when: str | None) -> str | None:
    """The registry type (not the schema's: a sub-ICB location or a cluster is no ICB) a
    body had at ``when``; None before it began."""
    if not entry.types:
        return entry.org_type
    if when and not any((r[1] or "") <= when for r in entry.types):
        return None
    return _era(entry.types, when)[0]


def ended_by(entry: Entry, when: str | None) -> bool:
    """Whether the registry says the body had ended by ``when`` (its last dated type
    closes on or before it)."""
    if not when or not entry.types:
        return False
    last = max(entry.types, key=lambda r: r[1] or "")
    return last[2] is not None and last[2] <= when


class Gazetteer:
    """Surface forms -> canonical organisations. Build with :meth:`from_records`."""

    def __init__(self) -> None:
        self._by_key: dict[str, Entry] = {}
        self._ambiguous: set[str] = set()
        self.surfaces: dict[str, Entry] = {}   # surface form as written -> entry
        self._entries: list[Entry] = []
        self._fuzzy: dict[str, tuple[list[str], list[Entry]]] | None = None
        self._national_forms: dict[str, set[str]] = {}

    def add(self, name: str, org_type: str, aliases: Iterable[str] = (),
            source: str = "registry", names: tuple = (), types: tuple = ()) -> None:
        """Add one organisation with its aliases and generated variants."""
        if org_type not in ORG_TYPES:
            raise ValueError(f"unknown org_type {org_type!r}")
        if source == "registry" and not _TYPE_WORDS.search(name):
            # only the area is known: the statutory pattern of the body's type
            statutory = {"pct": "NHS {}", "ccg": "NHS {} CCG",
                         "icb": "NHS {} Integrated Care Board"}
            if org_type in statutory:
                built = statutory[org_type].format(name)
                name = _full_alias(name, aliases, org_type) or built
                if name != built:   # the built name's spellings still name it
                    aliases = (*aliases, built)
                names = tuple((name, f, t) for _, f, t in names) if len(names) == 1 else names
        if source == "registry":
            name = display_name(name, org_type)
            names = tuple((display_name(n, org_type), f, t) for n, f, t in names)
        entry = Entry(name, org_type, source, tuple(names), tuple(types))
        self._entries.append(entry)
        forms = set()
        if source == "registry" and key(name) in _GENERIC_ALIASES:
            return   # a collective ("PCTs", "GP") is no one organisation's name
        area_named = org_type in _AREA_TYPES or any(t in _AREA_TYPES for t, _, _ in types)
        for n in dict.fromkeys((name, *(r[0] for r in names), *aliases)):
            if n != name and source == "registry" and (
                    not usable_alias(n)
                    or (area_named and key(n) == key(place_of(name)))):
                continue   # the bare area of an area-named body is a place, not the body
            era = next((r for r in names if r[0] == n), None)
            for typ in _types_while_named(era, types, org_type):
                forms |= variants(n, typ)
        if source == "national":
            self._national_forms.setdefault(name, set()).update(key(f) for f in forms)
        if source == "registry":
            forms = {f for f in forms if _names_a_body(f, org_type)}
        for form in forms:
            k = key(form)
            if not k:
                continue
            old = self._by_key.get(k)
            if old is not None and old.source == "national" and source == "registry" \
                    and not types:
                continue   # the registry records no type for it: the built-in entry knows more
            if old is not None and old.name != name:
                # A registry entry beats a built-in national one; otherwise ambiguous.
                if old.source == source:
                    self._ambiguous.add(k)
                    continue
                if source == "national":
                    continue
                if old.source == "national" and key(name) in self._national_forms.get(
                        old.name, ()):
                    continue   # the registry knows the body by an abbreviation ("HSJ")
            self._by_key[k] = entry
            self.surfaces[form] = entry

    @classmethod
    def national(cls) -> "Gazetteer":
        """Only the built-in national bodies."""
        gaz = cls()
        for name, typ, aliases in NATIONAL_BODIES:
            gaz.add(name, typ, aliases, source="national", names=NATIONAL_NAMES.get(name, ()))
        for name in REGIONAL_BODIES:
            gaz.add(name, "sha", source="national")
        return gaz

    @classmethod
    def from_records(cls, records: Iterable[OrgRecord | Mapping], *,
                     include_national: bool = True) -> "Gazetteer":
        """Build from records (``OrgRecord`` or dicts with name, org_type/type, aliases, codes)."""
        gaz = cls.national() if include_national else cls()
        for rec in records:
            if isinstance(rec, Mapping):
                rec = OrgRecord(rec["name"], rec.get("org_type") or rec["type"],
                                tuple(rec.get("aliases", ())), tuple(rec.get("codes", ())))
            gaz.add(rec.name, rec.org_type, (*rec.aliases, *rec.codes), names=rec.names,
                    types=rec.types)
        return gaz

    def lookup(self, text: str) -> Entry | None:
        """The organisation a surface form names, or None (also when ambiguous)."""
        k = key(text)
        if k.startswith("the "):
            k = k[4:]
        if k in self._ambiguous:
            return None
        return self._by_key.get(k)

    def fuzzy_lookup(self, text: str, org_type: str, cutoff: float = 92.0) -> Entry | None:
        """The organisation of the same type family whose place words are most similar to
        ``text``'s (token-sort similarity >= ``cutoff``), when exactly one such is best."""
        fam = type_family(org_type)
        if self._fuzzy is None:
            self._fuzzy = {}
            for form, entry in self.surfaces.items():
                for t in {entry.org_type, *(t for t, _, _ in entry.types)}:
                    keys, entries = self._fuzzy.setdefault(type_family(t), ([], []))
                    k = key(place_of(form))
                    if k and (not entries or entries[-1] is not entry or keys[-1] != k):
                        keys.append(k)
                        entries.append(entry)
        keys, entries = self._fuzzy.get(fam, ([], []))
        if not keys:
            return None
        k = key(place_of(text))
        if not k:
            return None
        from rapidfuzz import fuzz, process
        hits = process.extract(k, keys, scorer=fuzz.token_sort_ratio, score_cutoff=cutoff,
                               limit=5)
        if not hits:
            return None
        n_words = len(k.split())
        hits = [h for h in hits if len(h[0].split()) == n_words]
        if not hits:
            return None   # a longer or shorter place is another body, not a misspelling
        best = hits[0][1]
        names = {entries[i].name for _, sc, i in hits if sc == best}
        if len(names) != 1:
            return None
        return entries[hits[0][2]]

    def leading_lookup(self, text: str, org_type: str, when: str | None) -> Entry | None:
        """The one body of schema type ``org_type`` in being at ``when`` whose place begins
        with ``text``'s place as the first item of a list ("Upton" for "NHS Upton, Downton
        and Marsh Integrated Care Board"): a body named by the first part of its name, as
        lists of bodies shorten them. None when no such body or more than one."""
        k = key(place_of(text))
        if not k:
            return None
        by_first = self.__dict__.get("_leading")
        if by_first is None:   # built at the first call: most texts never need it
            by_first = self.__dict__["_leading"] = {}
            for e in dict.fromkeys(self._entries):
                if e.source != "registry":
                    continue
                for n in dict.fromkeys((e.name, *(r[0] for r in e.names))):
                    first = place_of(n).split(",")
                    if len(first) > 1:
                        by_first.setdefault(key(first[0]), []).append(e)
        fits = {e.name: e for e in by_first.get(k, ())
                if _type_at(e, when) == org_type and not ended_by(e, when)}
        return next(iter(fits.values())) if len(fits) == 1 else None

    def forms(self) -> list[tuple[str, Entry]]:
        """Every surface form with its entry, sorted for determinism."""
        return sorted(self.surfaces.items())

    def __len__(self) -> int:
        return len({e.name for e in self._by_key.values()})

    def __contains__(self, text: str) -> bool:
        return self.lookup(text) is not None
