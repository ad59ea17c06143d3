"""Reading statements back as facts, with their citations, as at a date and as known at a time.

Every other query is built from these pieces: the valid-time and record-time conditions,
``load_facts`` (statements + citations in two SQL statements), and ``labels`` (the names
of many entities on a date, in one statement).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any, Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from nhsgraph.model.dates import PartialDate, as_day
from nhsgraph.store.schema import citation, entity, source, statement

_CHUNK = 500


@dataclass
class Citation:
    source_id: str
    source_title: str
    method: str
    span: tuple[int, int] | None = None
    file: str | None = None
    row: int | None = None
    locator: str | None = None
    quote: str | None = None
    url: str | None = None
    confidence: float | None = None

    def describe(self) -> str:
        where = (f"chars {self.span[0]}–{self.span[1]}" if self.span else
                 f"{self.file or ''} row {self.row}" if self.row is not None else self.locator or "")
        quote = f' “{self.quote}”' if self.quote else ""
        return f"{self.source_title} [{self.source_id}] {where}{quote}".strip()


@dataclass
class Fact:
    id: int
    subject: str
    predicate: str
    object: str | None
    value: Any
    valid_from: str | None
    valid_to: str | None
    qualifiers: dict
    status: str
    recorded_at: dt.datetime
    retracted_at: dt.datetime | None
    citations: list[Citation] = field(default_factory=list)
    object_label: str | None = None
    subject_label: str | None = None

    @property
    def role(self) -> str | None:
        return self.qualifiers.get("role")

    def display_value(self) -> str:
        if self.object:
            return self.object_label or self.object
        v = self.value
        if isinstance(v, dict):
            if "rating" in v:
                return f"{v['key_question']}: {v['rating']}" + (
                    f" (was {v['previous']})" if v.get("previous") else "")
            if "measure" in v:
                return f"{v['measure']}: {v['value']:g} {v.get('unit', '')}".strip()
            if "stage" in v:
                return f"{v['process']}: {v['stage']}"
            if "kind" in v:
                return v["kind"] + (f": {v['summary']}" if v.get("summary") else "")
            if "model" in v:
                return f"Model {v['model']} ({v.get('basis', 'declared')})"
        return str(v)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["recorded_at"] = self.recorded_at.isoformat() if self.recorded_at else None
        d["retracted_at"] = self.retracted_at.isoformat() if self.retracted_at else None
        return d


def valid_on(day: dt.date | None, table=statement):
    """Statements valid on a day: each partial bound stands for its first day."""
    if day is None:
        return sa.true()
    s = table.c
    return sa.and_(sa.or_(s.valid_from.is_(None), s.valid_from <= day),
                   sa.or_(s.valid_to.is_(None), s.valid_to > day))


def known_at(when: dt.datetime | None, table=statement):
    """Statements nhsgraph believed at a record time (now, when None)."""
    s = table.c
    if when is None:
        return s.retracted_at.is_(None)
    return sa.and_(s.recorded_at <= when, sa.or_(s.retracted_at.is_(None), s.retracted_at > when))


def _partial(first, precision) -> str | None:
    d = PartialDate.from_stored(first, precision)
    return str(d) if d else None


def load_facts(conn: Connection, where, *, order=None, limit: int | None = None) -> list[Fact]:
    """Statements matching ``where``, each with its citations, in one SQL statement."""
    s, c = statement.c, citation.c
    picked = sa.select(statement).where(where)
    picked = picked.order_by(*(order if order is not None else (s.valid_from, s.id)))
    if limit:
        picked = picked.limit(limit)
    picked = picked.subquery("picked")
    p = picked.c
    q = (sa.select(picked, c.source_id, source.c.title, source.c.url, c.method, c.span_start,
                   c.span_end, c.file, c.row, c.locator, c.quote, c.confidence)
         .select_from(picked.outerjoin(citation, c.statement_id == p.id)
                      .outerjoin(source, source.c.id == c.source_id)))
    sort = [p.valid_from, p.id] if order is None else [getattr(p, col.key) for col in order
                                                      if hasattr(col, "key")] + [p.id]
    q = q.order_by(*sort, c.id)
    facts: dict[int, Fact] = {}
    for r in conn.execute(q):
        f = facts.get(r.id)
        if f is None:
            f = facts[r.id] = Fact(
                id=r.id, subject=r.subject_id, predicate=r.predicate, object=r.object_id,
                value=r.value, valid_from=_partial(r.valid_from, r.valid_from_precision),
                valid_to=_partial(r.valid_to, r.valid_to_precision),
                qualifiers=r.qualifiers or {}, status=r.status, recorded_at=r.recorded_at,
                retracted_at=r.retracted_at)
        if r.source_id is not None:
            f.citations.append(Citation(
                source_id=r.source_id, source_title=r.title, method=r.method,
                span=(r.span_start, r.span_end) if r.span_start is not None else None,
                file=r.file, row=r.row, locator=r.locator, quote=r.quote, url=r.url,
                confidence=r.confidence))
    return list(facts.values())


def labels(conn: Connection, ids: Iterable[str], at: dt.date | None = None) -> dict[str, str]:
    """A display name for each entity: its name on ``at`` if any, else its latest name."""
    ids = [i for i in dict.fromkeys(ids) if i]
    out: dict[str, str] = {}
    s = statement.c
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i:i + _CHUNK]
        q = (sa.select(s.subject_id, s.value_text, s.valid_from, s.valid_to)
             .where(s.subject_id.in_(chunk), s.predicate == "name", s.status == "asserted",
                    s.retracted_at.is_(None))
             .order_by(s.subject_id, s.valid_from))
        best: dict[str, tuple[int, dt.date, str]] = {}
        for r in conn.execute(q):
            on_date = at is not None and (r.valid_from is None or r.valid_from <= at) and (
                r.valid_to is None or r.valid_to > at)
            rank = (1 if on_date else 0, r.valid_from or dt.date.min)
            if r.subject_id not in best or rank > best[r.subject_id][:2]:
                best[r.subject_id] = (*rank, r.value_text)
        out.update({k: v[2] for k, v in best.items()})
        missing = [x for x in chunk if x not in out]
        if missing:
            for r in conn.execute(sa.select(entity.c.id, entity.c.label)
                                  .where(entity.c.id.in_(missing))):
                out[r.id] = r.label or r.id
    return {i: out.get(i, i) for i in ids}


def label_facts(conn: Connection, facts: list[Fact], at: dt.date | None = None) -> None:
    names = labels(conn, [f.object for f in facts] + [f.subject for f in facts], at)
    for f in facts:
        f.subject_label = names.get(f.subject)
        if f.object:
            f.object_label = names.get(f.object)


def day(value) -> dt.date | None:
    return as_day(value)
