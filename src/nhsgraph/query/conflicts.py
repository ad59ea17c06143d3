"""Facts that cannot both be true: two current values of a one-at-a-time predicate over
overlapping time, from different sources or different places in one source. Kept, never
silently resolved, and reported here."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from nhsgraph.model.dates import Interval
from nhsgraph.model.predicates import PREDICATES
from nhsgraph.query.facts import Fact, label_facts, load_facts
from nhsgraph.store.schema import statement


@dataclass
class Conflict:
    subject: str
    subject_label: str | None
    predicate: str
    a: Fact
    b: Fact

    def to_dict(self) -> dict:
        return {"subject": self.subject, "subject_name": self.subject_label,
                "predicate": self.predicate, "a": self.a.to_dict(), "b": self.b.to_dict()}


def _interval(f: Fact) -> Interval:
    return Interval.of(f.valid_from, f.valid_to)


def _slot(f: Fact) -> tuple:
    pred = PREDICATES[f.predicate]
    src = f.value if isinstance(f.value, dict) else {}
    return tuple(src.get(k, f.qualifiers.get(k)) for k in pred.slot)


def _content(f: Fact) -> str:
    if f.object:
        return f.object
    return repr(f.value)


def conflicts(conn: Connection, subject: str | None = None) -> list[Conflict]:
    """Pairs are found by one self-join in SQL; intervals and sources are compared here."""
    single = [p.name for p in PREDICATES.values() if p.single]
    a, b = statement.alias("a"), statement.alias("b")
    cur = lambda t: sa.and_(t.c.status == "asserted", t.c.retracted_at.is_(None))  # noqa: E731
    q = (sa.select(a.c.id, b.c.id)
         .select_from(a.join(b, sa.and_(a.c.subject_id == b.c.subject_id,
                                        a.c.predicate == b.c.predicate, a.c.id < b.c.id)))
         .where(a.c.predicate.in_(single), cur(a), cur(b),
                sa.or_(a.c.valid_to.is_(None), b.c.valid_from.is_(None), b.c.valid_from < a.c.valid_to),
                sa.or_(b.c.valid_to.is_(None), a.c.valid_from.is_(None), a.c.valid_from < b.c.valid_to),
                sa.or_(a.c.object_id != b.c.object_id, a.c.value_key != b.c.value_key,
                       a.c.value_key.is_(None))))
    if subject:
        q = q.where(a.c.subject_id == subject)
    pairs = conn.execute(q).all()
    if not pairs:
        return []
    ids = {i for pair in pairs for i in pair}
    facts = {f.id: f for f in load_facts(conn, statement.c.id.in_(ids))}
    label_facts(conn, list(facts.values()))
    out = []
    for ia, ib in pairs:
        fa, fb = facts[ia], facts[ib]
        if _content(fa) == _content(fb) or _slot(fa) != _slot(fb):
            continue
        if not _interval(fa).overlaps(_interval(fb)):
            continue
        # Superseded values are retracted, so two current values disagree even when one
        # source says both (a name spelt two ways in one document).
        out.append(Conflict(fa.subject, fa.subject_label, fa.predicate, fa, fb))
    return out
