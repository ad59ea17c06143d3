"""Predecessors and successors through merges, splits, renames and abolitions.

One recursive SQL statement walks ``succeeded_by`` links in both directions from an
organisation; each link carries its date, change type and citations.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from nhsgraph.query.facts import Fact, known_at, label_facts, load_facts
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


def _walk(conn: Connection, root: str, forward: bool, known: dt.datetime | None) -> dict[str, int]:
    s = statement.alias("s")
    here, there = (s.c.subject_id, s.c.object_id) if forward else (s.c.object_id, s.c.subject_id)
    current = sa.and_(s.c.predicate == "succeeded_by", s.c.status == "asserted",
                      known_at(known, s))
    seed = sa.select(sa.literal(root).label("node"), sa.literal(0).label("depth"))
    walk = seed.cte("walk", recursive=True)
    step = (sa.select(there.label("node"), (walk.c.depth + 1).label("depth"))
            .select_from(s.join(walk, here == walk.c.node))
            .where(current, walk.c.depth < MAX_DEPTH))
    walk = walk.union(step)
    rows = conn.execute(sa.select(walk.c.node, sa.func.min(walk.c.depth)).group_by(walk.c.node))
    sign = 1 if forward else -1
    return {node: sign * d for node, d in rows}


def lineage(conn: Connection, root: str, known: dt.datetime | None = None) -> Lineage:
    after = _walk(conn, root, True, known)
    before = _walk(conn, root, False, known)
    depth = {**before, **after}
    depth[root] = 0
    s = statement.c
    nodes = list(depth)
    links: dict[int, Fact] = {}
    for i in range(0, len(nodes), 400):
        chunk = nodes[i:i + 400]
        # A link belongs to the lineage when both ends were reached in the same direction.
        for f in load_facts(conn, sa.and_(
                s.predicate == "succeeded_by", s.status == "asserted", known_at(known),
                sa.or_(s.subject_id.in_(chunk), s.object_id.in_(chunk)))):
            if f.subject in depth and f.object in depth and (
                    (f.subject in after and f.object in after) or
                    (f.subject in before and f.object in before)):
                links[f.id] = f
    ordered = sorted(links.values(), key=lambda f: (f.valid_from or "", f.id))
    label_facts(conn, ordered)
    return Lineage(root, ordered, depth)
