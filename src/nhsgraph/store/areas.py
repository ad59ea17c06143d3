"""The small areas each body holds in an ONS lookup release (``area_set``): written once
per release (the same release again adds nothing), read back by area vintage.

A lookup of 33,000 LSOAs to a few hundred bodies is kept as one row per body with its
LSOA codes in one text column, not one row per LSOA: about 150-250 rows a release.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from nhsgraph.store.schema import area_set, source


@dataclass(frozen=True)
class AreaSet:
    """The areas of one body in one lookup release."""

    source_id: str
    area: str            # lsoa11 | lsoa21
    level: str
    body_id: str
    valid_on: dt.date
    areas: frozenset[str]
    row: int

    @property
    def lookup(self) -> tuple[str, str, dt.date]:
        """Which lookup (release, level, date) the set belongs to."""
        return (self.source_id, self.level, self.valid_on)


def write_area_sets(conn: Connection, sets: Iterable[AreaSet], recorded_at: dt.datetime) -> int:
    """Add the sets of releases not held yet; returns how many rows were added."""
    sets = list(sets)
    held = {r[0] for r in conn.execute(sa.select(area_set.c.source_id).distinct().where(
        area_set.c.source_id.in_(sorted({s.source_id for s in sets}))))} if sets else set()
    rows = [{"source_id": s.source_id, "area": s.area, "level": s.level, "body_id": s.body_id,
             "valid_on": s.valid_on, "areas_count": len(s.areas),
             "areas": " ".join(sorted(s.areas)), "row": s.row, "recorded_at": recorded_at}
            for s in sets if s.source_id not in held]
    if rows:
        conn.execute(area_set.insert(), rows)
    return len(rows)


def read_area_sets(conn: Connection, level_types: Iterable[str] | None = None) -> list[AreaSet]:
    """Every held set (of the levels named, when given), with its release's date order."""
    c = area_set.c
    q = sa.select(c.source_id, c.area, c.level, c.body_id, c.valid_on, c.areas, c.row)
    if level_types is not None:
        q = q.where(c.level.in_(sorted(set(level_types))))
    return [AreaSet(r.source_id, r.area, r.level, r.body_id, r.valid_on,
                    frozenset(r.areas.split()), r.row)
            for r in conn.execute(q.order_by(c.valid_on, c.source_id, c.level, c.body_id))]


def lookup_titles(conn: Connection, source_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
    """(title, file) of each lookup release, for saying which lookup a share came from."""
    ids = sorted(set(source_ids))
    if not ids:
        return {}
    return {r.id: (r.title, r.document) for r in conn.execute(
        sa.select(source.c.id, source.c.title, source.c.document).where(source.c.id.in_(ids)))}
