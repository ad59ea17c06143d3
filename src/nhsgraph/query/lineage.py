"""Predecessors and successors through merges, splits, renames and abolitions.

One recursive SQL statement walks ``succeeded_by`` links in both directions from an
organisation; each link carries its date, change type and citations.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from nhsgraph.query.facts import Fact, facts_query, known_at, label_facts, rows_to_facts
from nhsgraph.store.schema import statement

MAX_DEPTH = 40


@dataclass
class Lineage:
    root: str
    links: list[Fact]          # succeeded_by facts: subject = old body, object = new body
    depth: dict[str, int]      # negative for predecessors, positive for successors

    @property
    def predecessors(self) -> list[Fact]:
        return [f for f in self.links if self.depth[f.subject] < 0]

    @property
    def successors(self) -> list[Fact]:
        return [f for f in self.links if self.depth[f.object] > 0]

    def to_dict(self) -> dict:
        return {"root": self.root, "depth": self.depth,
                "links": [{"from": f.subject, "from_name": f.subject_label, "to": f.object,
                           "to_name": f.object_label, "date": f.valid_from,
                           "change": f.qualifiers.get("change"),
                           "derived": bool(f.qualifiers.get("derived")),
                           "citations": [c.__dict__ for c in f.citations]}
                          for f in self.links]}


@functools.lru_cache(maxsize=None)
def _walk_query(forward: bool, known: bool):
    """The recursive walk, built once per shape (root and record time are bound parameters)."""
    s = statement.alias("s")
    here, there = (s.c.subject_id, s.c.object_id) if forward else (s.c.object_id, s.c.subject_id)
    when = sa.bindparam("known", type_=sa.DateTime) if known else None
    current = sa.and_(s.c.predicate == "succeeded_by", s.c.status == "asserted",
                      known_at(when, s))
    seed = sa.select(sa.bindparam("root", type_=sa.String).label("node"),
                     sa.literal(0).label("depth"))
    walk = seed.cte("walk", recursive=True)
    step = (sa.select(there.label("node"), (walk.c.depth + 1).label("depth"))
            .select_from(s.join(walk, here == walk.c.node))
            .where(current, walk.c.depth < MAX_DEPTH))
    walk = walk.union(step)
    return sa.select(walk.c.node, sa.func.min(walk.c.depth)).group_by(walk.c.node)


@functools.lru_cache(maxsize=None)
def _links_query(known: bool):
    s = statement.c
    when = sa.bindparam("known", type_=sa.DateTime) if known else None
    # A link belongs to the lineage when both ends were reached in the same direction, so its
    # subject is one of the nodes: ix_statement_subject finds it (an OR with object_id here
    # made SQLite scan every succeeded_by statement).
    return facts_query(sa.and_(s.subject_id.in_(sa.bindparam("nodes", expanding=True)),
                               s.predicate == "succeeded_by", s.status == "asserted",
                               known_at(when)))


def _walk(conn: Connection, root: str, forward: bool, known: dt.datetime | None) -> dict[str, int]:
    rows = conn.execute(_walk_query(forward, known is not None), {"root": root, "known": known})
    sign = 1 if forward else -1
    return {node: sign * d for node, d in rows}


def lineage(conn: Connection, root: str, known: dt.datetime | None = None) -> Lineage:
    after = _walk(conn, root, True, known)
    before = _walk(conn, root, False, known)
    depth = {**before, **after}
    depth[root] = 0
    nodes = list(depth)
    links: dict[int, Fact] = {}
    for i in range(0, len(nodes), 400):
        rows = conn.execute(_links_query(known is not None),
                            {"nodes": nodes[i:i + 400], "known": known})
        for f in rows_to_facts(rows):
            if ((f.subject in after and f.object in after) or
                    (f.subject in before and f.object in before)):
                links[f.id] = f
    ordered = sorted(links.values(), key=lambda f: (f.valid_from or "", f.id))
    label_facts(conn, ordered, known=known)
    return Lineage(root, ordered, depth)
