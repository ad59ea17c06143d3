"""Shares by small-area overlap: which LSOAs a body held in the ONS lookup nearest one day
and where those LSOAs lie in the lookup nearest another.

The lookups are the releases whose ``area_set`` rows the import kept (one set of LSOA
codes per body and level). A lookup is one release at one level (LSOA11 -> CCG, July
2015; LSOA11 -> SICBL -> ICB, July 2022, has two: SICBLs and ICBs). 2011 and 2021 LSOAs
are different geographies: between lookups of the two vintages the LSOAs are matched by
code, which holds for the LSOAs that kept their code, and every share says so and how
many of the body's LSOAs found no match.

Example: AreaLookups.read(conn).overlap("ods:01Y", d1, d2, "icb")
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy.engine import Connection

from nhsgraph.store.areas import AreaSet, lookup_titles, read_area_sets


@dataclass
class Lookup:
    """One lookup release at one level: its bodies' LSOA sets."""

    source_id: str
    org_type: str
    valid_on: dt.date
    vintage: str                      # lsoa11 | lsoa21
    file: str
    sets: dict[str, AreaSet] = field(default_factory=dict)

    def describe(self) -> str:
        return f"{self.vintage.upper()} -> {self.org_type} {self.valid_on} ({self.file})"

    def to_dict(self) -> dict:
        return {"source": self.source_id, "org_type": self.org_type,
                "date": self.valid_on.isoformat(), "lsoa": self.vintage, "file": self.file}


@dataclass
class Overlap:
    """Where a body's LSOAs lie: counts per body of the second lookup."""

    first: Lookup
    second: Lookup
    total: int                         # the body's LSOAs in the first lookup
    counts: dict[str, int]             # body of the second lookup -> LSOAs shared
    unmatched: int                     # of the body's LSOAs, in no body of the second

    @property
    def by_code(self) -> bool:
        """The two lookups are of different LSOA vintages (matched by code)."""
        return self.first.vintage != self.second.vintage

    def weight(self) -> str:
        """The weight in words: both lookups, and how the vintages were matched."""
        text = f"lsoa: {self.first.describe()} => {self.second.describe()}"
        if self.by_code:
            text += (f"; {self.first.vintage.upper()} and {self.second.vintage.upper()} "
                     f"matched by code, {self.unmatched} of {self.total} not found")
        elif self.unmatched:
            text += f"; {self.unmatched} of {self.total} LSOAs in no body of the second"
        return text


def _nearest(lookups: list[Lookup], day: dt.date) -> Lookup | None:
    """The lookup dated nearest ``day`` (the earlier of two as near)."""
    return min(lookups, key=lambda lk: (abs((lk.valid_on - day).days), lk.valid_on),
               default=None)


@dataclass
class AreaLookups:
    lookups: list[Lookup]

    @classmethod
    def read(cls, conn: Connection) -> "AreaLookups":
        found: dict[tuple, Lookup] = {}
        sets = read_area_sets(conn)
        files = lookup_titles(conn, {s.source_id for s in sets})
        for s in sets:
            key = (s.source_id, s.level)
            lk = found.get(key)
            if lk is None:
                lk = found[key] = Lookup(s.source_id, s.level, s.valid_on, s.area,
                                         files.get(s.source_id, ("", s.source_id))[1])
            lk.sets[s.body_id] = s
        return cls(sorted(found.values(), key=lambda lk: (lk.valid_on, lk.org_type)))

    def holding(self, body: str, day: dt.date) -> Lookup | None:
        """The lookup nearest ``day`` that lists ``body``."""
        return _nearest([lk for lk in self.lookups if body in lk.sets], day)

    def of_type(self, org_type: str, day: dt.date) -> Lookup | None:
        """The lookup nearest ``day`` whose level is bodies of ``org_type``."""
        return _nearest([lk for lk in self.lookups if lk.org_type == org_type], day)

    def overlap(self, body: str, first_day: dt.date, second_day: dt.date,
                org_type: str) -> Overlap | str:
        """Where ``body``'s LSOAs (in the lookup nearest ``first_day`` listing it) lie among
        the bodies of ``org_type`` in the lookup nearest ``second_day``; or why not."""
        first = self.holding(body, first_day)
        if first is None:
            return "no LSOA lookup lists it"
        second = self.of_type(org_type, second_day)
        if second is None:
            return f"no LSOA lookup of {org_type}s is held"
        areas = first.sets[body].areas
        where: dict[str, str] = {}
        for b, s in second.sets.items():
            for a in s.areas & areas:
                where[a] = b
        counts: dict[str, int] = defaultdict(int)
        for b in where.values():
            counts[b] += 1
        return Overlap(first, second, len(areas), dict(sorted(counts.items())),
                       len(areas) - len(where))
