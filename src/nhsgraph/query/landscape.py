"""All organisations of given types alive on a date, grouped by their parent on that date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from nhsgraph.query.facts import day, known_at, labels, valid_on
from nhsgraph.store.schema import statement


@dataclass
class Group:
    parent: str | None
    parent_name: str | None
    members: list[dict] = field(default_factory=list)


@dataclass
class Landscape:
    at: dt.date
    types: list[str]
    by: str
    groups: list[Group]

    @property
    def count(self) -> int:
        return sum(len(g.members) for g in self.groups)

    def to_dict(self) -> dict:
        return {"at": self.at.isoformat(), "types": self.types, "by": self.by, "count": self.count,
                "groups": [g.__dict__ for g in self.groups]}


def landscape(conn: Connection, at, types: list[str] | None = None, *, by: str = "accountable_to",
              known: dt.datetime | None = None) -> Landscape:
    """One SQL statement: typed organisations on the date, left-joined to their parent link."""
    on = day(at)
    t = statement.alias("t")
    p = statement.alias("p")

    def current(a):
        return sa.and_(a.c.status == "asserted", known_at(known, a), valid_on(on, a))

    q = (sa.select(t.c.subject_id, t.c.value_text.label("org_type"), p.c.object_id.label("parent"))
         .select_from(t.outerjoin(p, sa.and_(p.c.subject_id == t.c.subject_id,
                                             p.c.predicate == by, current(p))))
         .where(t.c.predicate == "org_type", current(t)))
    if types:
        q = q.where(t.c.value_text.in_(types))
    rows = conn.execute(q).all()
    names = labels(conn, [r.subject_id for r in rows] + [r.parent for r in rows if r.parent], on)
    groups: dict[str | None, Group] = {}
    for r in rows:
        g = groups.setdefault(r.parent, Group(r.parent, names.get(r.parent) if r.parent else None))
        g.members.append({"id": r.subject_id, "name": names[r.subject_id], "org_type": r.org_type})
    for g in groups.values():
        g.members.sort(key=lambda m: m["name"])
    ordered = sorted(groups.values(), key=lambda g: (g.parent is None, g.parent_name or ""))
    return Landscape(on, list(types or []), by, ordered)
