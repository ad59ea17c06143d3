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
from dataclasses import dataclass, field
from typing import Iterable, Mapping

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


@dataclass(frozen=True)
class Entry:
    """What a surface form resolves to."""

    name: str
    org_type: str
    source: str = "registry"   # "registry", "national" or "variant"


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


@lru_cache(maxsize=100_000)
def key(text: str) -> str:
    """Match key: case-folded, '&' as 'and', apostrophes dropped, other punctuation as space."""
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
    more = set()
    for v in out:
        if " and " in v:
            more.add(v.replace(" and ", " & "))
        if v.lower().startswith("the "):
            more.add(v[4:])
    return out | more


class Gazetteer:
    """Surface forms -> canonical organisations. Build with :meth:`from_records`."""

    def __init__(self) -> None:
        self._by_key: dict[str, Entry] = {}
        self._ambiguous: set[str] = set()
        self.surfaces: dict[str, Entry] = {}   # surface form as written -> entry

    def add(self, name: str, org_type: str, aliases: Iterable[str] = (),
            source: str = "registry") -> None:
        """Add one organisation with its aliases and generated variants."""
        if org_type not in ORG_TYPES:
            raise ValueError(f"unknown org_type {org_type!r}")
        entry = Entry(name, org_type, source)
        forms = set()
        for n in (name, *aliases):
            forms |= variants(n, org_type)
        for form in forms:
            k = key(form)
            if not k:
                continue
            old = self._by_key.get(k)
            if old is not None and old.name != name:
                # A registry entry beats a built-in national one; otherwise ambiguous.
                if old.source == source:
                    self._ambiguous.add(k)
                    continue
                if source == "national":
                    continue
            self._by_key[k] = entry
            self.surfaces[form] = entry

    @classmethod
    def national(cls) -> "Gazetteer":
        """Only the built-in national bodies."""
        gaz = cls()
        for name, typ, aliases in NATIONAL_BODIES:
            gaz.add(name, typ, aliases, source="national")
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
            gaz.add(rec.name, rec.org_type, (*rec.aliases, *rec.codes))
        return gaz

    def lookup(self, text: str) -> Entry | None:
        """The organisation a surface form names, or None (also when ambiguous)."""
        k = key(text)
        if k.startswith("the "):
            k = k[4:]
        if k in self._ambiguous:
            return None
        return self._by_key.get(k)

    def forms(self) -> list[tuple[str, Entry]]:
        """Every surface form with its entry, sorted for determinism."""
        return sorted(self.surfaces.items())

    def __len__(self) -> int:
        return len({e.name for e in self._by_key.values()})

    def __contains__(self, text: str) -> bool:
        return self.lookup(text) is not None
