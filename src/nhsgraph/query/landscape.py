"""All organisations of given types alive on a date, grouped by their parent on that date."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from nhsgraph.model.predicates import value_key
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
        """Organisations, each once (one with two parents on the date is in two groups)."""
        return len({m["id"] for g in self.groups for m in g.members})

    def to_dict(self) -> dict:
        return {"at": self.at.isoformat(), "types": self.types, "by": self.by, "count": self.count,
                "groups": [g.__dict__ for g in self.groups]}


def landscape(conn: Connection, at, types: list[str] | None = None, *, by: str = "accountable_to",
              known: dt.datetime | None = None) -> Landscape:
    """One SQL statement: typed organisations on the date, left-joined to their parent link."""
    on = day(at)
    params = {"by": by, "day": on, "known": known}
    if types:
        # value_key too, so that ix_statement_value (predicate, value_key) finds the typed
        # organisations instead of scanning every org_type statement.
        params.update(types=list(types), type_keys=sorted({value_key(x) for x in types}))
    q = _query(on is not None, known is not None, bool(types))
    # Several sources may state the same type or parent: one row per (organisation, parent).
    rows = list({(r.subject_id, r.parent): r for r in conn.execute(q, params)}.values())
    names = labels(conn, [r.subject_id for r in rows] + [r.parent for r in rows if r.parent], on,
                   known)
    groups: dict[str | None, Group] = {}
    for r in rows:
        g = groups.setdefault(r.parent, Group(r.parent, names.get(r.parent) if r.parent else None))
        g.members.append({"id": r.subject_id, "name": names[r.subject_id], "org_type": r.org_type})
    for g in groups.values():
        g.members.sort(key=lambda m: m["name"])
    ordered = sorted(groups.values(), key=lambda g: (g.parent is None, g.parent_name or ""))
    return Landscape(on, list(types or []), by, ordered)


@functools.lru_cache(maxsize=None)
def _query(dated: bool, known: bool, typed: bool):
    """The landscape SELECT, built once per shape; date, types and link predicate are bound."""
    t = statement.alias("t")
    p = statement.alias("p")
    on = sa.bindparam("day", type_=sa.Date) if dated else None
    when = sa.bindparam("known", type_=sa.DateTime) if known else None

    def current(a):
        return sa.and_(a.c.status == "asserted", known_at(when, a), valid_on(on, a))

    q = (sa.select(t.c.subject_id, t.c.value_text.label("org_type"), p.c.object_id.label("parent"))
         .select_from(t.outerjoin(p, sa.and_(p.c.subject_id == t.c.subject_id,
                                             p.c.predicate == sa.bindparam("by"), current(p))))
         .where(t.c.predicate == "org_type", current(t)))
    if typed:
        q = q.where(t.c.value_key.in_(sa.bindparam("type_keys", expanding=True)),
                    t.c.value_text.in_(sa.bindparam("types", expanding=True)))
    return q
