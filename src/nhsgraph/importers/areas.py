"""Which small areas (LSOAs) each body holds in an ONS lookup of small areas: the data
behind the crosswalk's LSOA weight.

A lookup such as "LSOA (2011) to Sub ICB Locations to ICBs (July 2022)" names, on each of
its ~33,000 rows, one LSOA and the bodies it lies in. The lookup importer keeps only the
distinct links between bodies; this module keeps, for each NHS level of the file (CCG,
SICBL, STP, ICB), the set of LSOA codes of each body, written once per release to
``area_set`` (one row per body). The LSOA vintage (``lsoa11``, ``lsoa21``) is the LSOA
column's year and is kept with each set: 2011 and 2021 LSOAs are different geographies.

Example: collect(layout, records) -> AreaCollection; .sets(dates, ons_map, source_id)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from nhsgraph.store.areas import AreaSet

AREA_TYPE = "lsoa"
NOT_BODIES = {"lad", "ltla", "utla", "nhs_trust"}


@dataclass
class AreaCollection:
    vintage: str                    # lsoa11 | lsoa21
    area_column: int
    levels: list                    # the lookup's NHS levels (lookups.Level)
    # (level index, ONS code, ODS code) -> [first line, first row's fields, LSOA codes]
    groups: dict = field(default_factory=dict)

    def add(self, line: int, f: list[str]) -> str | None:
        """Count one row; the reason it cannot be, if the LSOA column is empty."""
        code = f[self.area_column].strip().upper()
        if not code:
            return f"empty LSOA code in column {self.area_column + 1}"
        for i, lv in enumerate(self.levels):
            key = (i, f[lv.ons].strip().upper() if lv.ons is not None else "",
                   f[lv.ods].strip().upper() if lv.ods is not None else "")
            if key == (i, "", ""):
                continue
            g = self.groups.get(key)
            if g is None:
                g = self.groups[key] = [line, f, set()]
            g[2].add(code)
        return None

    def sets(self, dates: dict, ons_map: dict[str, str], source_id: str,
             entity_id) -> list[AreaSet]:
        """One set per body and level, its entity resolved as the lookup's own links are
        (``entity_id(level, row, ons_map)``); ``dates``: each level's PartialDate."""
        out: dict[tuple[str, str], AreaSet] = {}
        for (i, _, _), (line, f, codes) in self.groups.items():
            lv = self.levels[i]
            body = entity_id(lv, f, ons_map)
            if body is None:
                continue
            key = (lv.org_type, body)
            have = out.get(key)
            if have is not None:        # two spellings of one body's codes: one set
                codes = codes | have.areas
                line = min(line, have.row)
            out[key] = AreaSet(source_id, self.vintage, lv.org_type, body, dates[id(lv)].first,
                               frozenset(codes), line)
        return sorted(out.values(), key=lambda s: (s.level, s.body_id))


def collect(layout) -> AreaCollection | None:
    """An empty collection for a lookup whose rows are LSOAs, else None."""
    area = next((lv for lv in layout.levels if lv.type == AREA_TYPE and lv.ons is not None),
                None)
    if area is None:
        return None
    levels = [lv for lv in layout.nhs if lv.type not in NOT_BODIES and lv.org_type]
    if not levels:
        return None
    return AreaCollection(f"{AREA_TYPE}{area.yy:02d}", area.ons, levels)
