"""What an open export holds, built once for every format (``nhsgraph.export`` only renders).

``build_export(conn, at, types)`` takes the registry as at a date (``Snapshot``; over all
valid time when ``at`` is None), keeps the organisations of the types asked for (all when
none are), every fact valid on the date about them, the posts held at them, and every
succession into or out of them (over all time: a succession is an event on its date, not
a state of the day). Each fact keeps its citations. Bodies a kept fact points at but
that are not of the types asked for (a CCG's area team, a person holding a post) are in
``bodies`` too, marked ``selected=False``, so that every reference resolves.

The same answer yields the tidy table (``rows``: one row per fact, shared by the CSV and
Parquet writers), the relations between bodies, the posts, and the change events
(successions on one date of one kind, grouped: a merge is one event with several
original organisations).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Callable, Iterator

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from nhsgraph.model.predicates import check_org_types
from nhsgraph.query.facts import Citation, Fact, day, label_facts
from nhsgraph.query.landscape import landscape
from nhsgraph.query.snapshot import Snapshot
from nhsgraph.store.schema import entity, source, statement

# Relations between organisations that the graph formats draw as links (succession and
# posts are drawn apart: they are events and person-to-body links).
RELATIONS = ("member_of", "accountable_to", "hosted_by", "commissions_from", "coterminous_with",
             "partnership_with")
CODES = ("ods_code", "ons_code")
TIDY_COLUMNS = ("fact_id", "subject_id", "subject_code", "subject_name", "subject_type",
                "predicate", "object_id", "object_name", "value", "qualifiers", "valid_from",
                "valid_to", "citations")
_CHUNK = 500

Progress = Callable[[int], None]


@dataclass
class Body:
    """An organisation or person in the export, as on the export's date."""

    id: str
    kind: str
    name: str
    org_type: str | None = None
    codes: dict[str, str] = field(default_factory=dict)
    aliases: list[str] = field(default_factory=list)
    founded: str | None = None      # when it first had a type (partial ISO date)
    dissolved: str | None = None    # when it last stopped having one (None: still has one)
    selected: bool = True           # of the types asked for, or only pointed at

    @property
    def code(self) -> str | None:
        return next((self.codes[c] for c in CODES if c in self.codes), None)


@dataclass
class ChangeEvent:
    """Successions on one date, of one kind, that share an organisation: a merge (several
    originals, one result), a split (one original, several results), a rename or recode."""

    date: str | None
    change: str
    originals: list[str]
    results: list[str]
    facts: list[Fact]

    @property
    def id(self) -> str:
        """Stable across runs: a hash of what the event is, not of where it came in a list."""
        key = json.dumps([self.date, self.change, self.originals, self.results])
        return "change:" + hashlib.sha1(key.encode()).hexdigest()[:16]

    @property
    def citations(self) -> list[Citation]:
        return [c for f in self.facts for c in f.citations]


@dataclass
class Export:
    at: dt.date | None
    types: list[str]
    bodies: dict[str, Body]
    facts: list[Fact]              # valid on the date, successions included, each once

    @property
    def selected(self) -> list[Body]:
        return [b for b in self.bodies.values() if b.selected]

    def relations(self) -> list[Fact]:
        """Facts linking two organisations (membership, parent, hosting, partnership)."""
        return [f for f in self.facts if f.predicate in RELATIONS and f.object in self.bodies]

    def posts(self) -> list[Fact]:
        """Persons' posts at the exported organisations."""
        return [f for f in self.facts if f.predicate == "post"]

    def successions(self) -> list[Fact]:
        return [f for f in self.facts if f.predicate == "succeeded_by"]

    def change_events(self) -> list[ChangeEvent]:
        """Successions grouped into events: those of one date and kind that share an
        original or a resulting organisation are one event."""
        groups: dict[tuple, list[Fact]] = {}
        for f in self.successions():
            groups.setdefault((f.valid_from, f.qualifiers.get("change", "")), []).append(f)
        events = []
        for (date, change), facts in groups.items():
            for part in _connected(facts):
                events.append(ChangeEvent(
                    date, change, sorted({f.subject for f in part}),
                    sorted({f.object for f in part}), part))
        return sorted(events, key=lambda e: (e.date or "", e.change, e.originals))

    def citations(self) -> dict[str, Citation]:
        """One citation per source cited (the first seen), for the formats that describe
        each source once."""
        out: dict[str, Citation] = {}
        for f in self.facts:
            for c in f.citations:
                out.setdefault(c.source_id, c)
        return out

    def rows(self, progress: Progress | None = None) -> Iterator[dict]:
        """The tidy table: one row per fact (see TIDY_COLUMNS); ``value`` and ``qualifiers``
        as JSON text when they are not plain text, ``citations`` as a list of dicts
        (source_id, source_title, locator, method, url)."""
        for i, f in enumerate(self.facts, 1):
            subject = self.bodies.get(f.subject)
            yield {
                "fact_id": f.id, "subject_id": f.subject,
                "subject_code": subject.code if subject else None,
                "subject_name": subject.name if subject else f.subject_label,
                "subject_type": subject.org_type if subject else None,
                "predicate": f.predicate, "object_id": f.object,
                "object_name": f.object_label if f.object else None,
                "value": None if f.value is None else f.value if isinstance(f.value, str)
                else json.dumps(f.value, sort_keys=True, ensure_ascii=False),
                "qualifiers": json.dumps(f.qualifiers, sort_keys=True) if f.qualifiers else None,
                "valid_from": f.valid_from, "valid_to": f.valid_to,
                "citations": [{"source_id": c.source_id, "source_title": c.source_title,
                               "locator": c.where(), "method": c.method, "url": c.url}
                              for c in f.citations],
            }
            if progress and i % 1000 == 0:
                progress(1000)
        if progress:
            progress(len(self.facts) % 1000)


def build_export(conn: Connection, at=None, types: list[str] | None = None, *,
                 known: dt.datetime | None = None) -> Export:
    """The export of the registry as at ``at`` (all valid time when None), for the
    organisation types ``types`` (all when empty).

    Example: build_export(conn, "2013-04-01", ["ccg"]).selected -> the CCGs alive that day
    """
    on = day(at)
    types = check_org_types(types)
    snap = Snapshot.of(conn, on, known)
    # Every typed body on the date (one SQL statement): those of other types that kept
    # facts point at are described too, with their type.
    alive: dict[str, Body] = {}
    picked: set[str] = set()
    for g in landscape(conn, on, None, known=known).groups:
        for m in g.members:
            b = alive.setdefault(m["id"], Body(m["id"], "organisation", m["name"], m["org_type"]))
            if not types or m["org_type"] in types:
                b.org_type = m["org_type"]
                picked.add(m["id"])
    bodies = {id: alive[id] for id in sorted(picked)}
    facts = [f for f in snap.facts(labelled=False, order=(statement.c.id,))
             if f.subject in picked or (f.predicate == "post" and f.object in picked)]
    seen = {f.id for f in facts}
    facts += [f for f in snap.history(predicate="succeeded_by")
              if f.id not in seen and (f.subject in picked or f.object in picked)]
    label_facts(conn, facts, on)
    _describe(bodies, facts)
    _add_referenced(conn, bodies, alive, facts)
    return Export(on, types, bodies, facts)


def _describe(bodies: dict[str, Body], facts: list[Fact]) -> None:
    """Codes, aliases and the dates of having a type, from the kept facts."""
    spans: dict[str, list[Fact]] = {}
    for f in facts:
        b = bodies.get(f.subject)
        if b is None:
            continue
        if f.predicate in CODES and isinstance(f.value, str):
            b.codes[f.predicate] = f.value
        elif f.predicate == "alias" and isinstance(f.value, str) and f.value not in b.aliases:
            b.aliases.append(f.value)
        elif f.predicate == "org_type":
            spans.setdefault(f.subject, []).append(f)
    for id, typed in spans.items():
        starts = [f.valid_from for f in typed]
        ends = [f.valid_to for f in typed]
        bodies[id].founded = None if None in starts else min(starts)
        bodies[id].dissolved = None if None in ends else max(ends)


def _add_referenced(conn: Connection, bodies: dict[str, Body], alive: dict[str, Body],
                    facts: list[Fact]) -> None:
    """The entities that kept facts name but that are not exported bodies: a typed body on
    the date as such, others by their kind and name (sources, which citations describe,
    are left out)."""
    wanted: dict[str, str | None] = {}
    for f in facts:
        for id, label in ((f.subject, f.subject_label), (f.object, f.object_label)):
            if id and id not in bodies:
                if id in alive:
                    bodies[id] = alive[id]
                    bodies[id].selected = False
                else:
                    wanted.setdefault(id, label)
    ids = list(wanted)
    for i in range(0, len(ids), _CHUNK):
        rows = conn.execute(sa.select(entity.c.id, entity.c.kind)
                            .where(entity.c.id.in_(ids[i:i + _CHUNK])))
        for id, kind in rows:
            if kind != "source":
                bodies[id] = Body(id, kind, wanted[id] or id, selected=False)


def _connected(facts: list[Fact]) -> list[list[Fact]]:
    """The facts split into groups that share a subject or an object (union-find)."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for f in facts:
        parent[root("s:" + f.subject)] = root("o:" + f.object)
    parts: dict[str, list[Fact]] = {}
    for f in facts:
        parts.setdefault(root("s:" + f.subject), []).append(f)
    return list(parts.values())


def publishers(conn: Connection, limit: int = 8) -> list[tuple[str, int]]:
    """The publishers of the sources held, with how many sources each, most first."""
    n = sa.func.count().label("n")
    rows = conn.execute(sa.select(source.c.publisher, n).where(source.c.publisher.is_not(None))
                        .group_by(source.c.publisher).order_by(n.desc(), source.c.publisher)
                        .limit(limit))
    return [(p, c) for p, c in rows]
