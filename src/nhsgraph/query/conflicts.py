"""Facts that cannot both be true: two current values of a one-at-a-time predicate over
overlapping time, from different sources or different places in one source. Kept, never
silently resolved, and reported here: ``conflict_report`` sets apart those about a
placeholder (a list's "Unallocated" PCN, which every practice without a PCN is "in", so
its parent differs row by row: 2,157 of the demo registry's 2,205 conflicts) and groups
the rest by kind (the predicate they disagree on)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from nhsgraph.model.dates import Interval
from nhsgraph.model.names import is_placeholder_name
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
    placeholder: bool = False    # about a body that stands for none (see placeholders)

    @property
    def kind(self) -> str:
        """What the two facts disagree on: their predicate."""
        return self.predicate

    def to_dict(self) -> dict:
        return {"subject": self.subject, "subject_name": self.subject_label,
                "predicate": self.predicate, "kind": self.kind, "placeholder": self.placeholder,
                "a": self.a.to_dict(), "b": self.b.to_dict()}


@dataclass
class Placeholder:
    """An entity that stands for no body, and how many conflicts are about it."""

    id: str
    name: str
    names: list[str]
    conflicts: int = 0
    kinds: dict[str, int] = field(default_factory=dict)


@dataclass
class ConflictReport:
    placeholders: list[Placeholder]
    groups: dict[str, list[Conflict]]     # kind -> conflicts, most frequent kind first

    @property
    def total(self) -> int:
        return sum(p.conflicts for p in self.placeholders) + self.count

    @property
    def count(self) -> int:
        """Conflicts about real bodies."""
        return sum(len(v) for v in self.groups.values())


def placeholders(conn: Connection, ids) -> dict[str, list[str]]:
    """Of these entities, those whose every name and alias is a placeholder ("Unallocated"),
    with those names."""
    ids = sorted(set(ids))
    s = statement.c
    names: dict[str, list[str]] = {}
    for i in range(0, len(ids), 500):
        rows = conn.execute(sa.select(s.subject_id, s.value_text).where(
            s.subject_id.in_(ids[i:i + 500]), s.predicate.in_(("name", "alias")),
            s.status == "asserted", s.retracted_at.is_(None)))
        for subject, text in rows:
            names.setdefault(subject, []).append(text or "")
    return {k: sorted(set(v)) for k, v in names.items()
            if v and all(is_placeholder_name(t) for t in v)}


def conflict_report(conn: Connection, subject: str | None = None) -> ConflictReport:
    """The conflicts, those about placeholders set apart (counted per placeholder), the rest
    grouped by kind and ordered by subject."""
    found = conflicts(conn, subject)
    marks = placeholders(conn, {c.subject for c in found})
    held: dict[str, Placeholder] = {}
    groups: dict[str, list[Conflict]] = {}
    for c in found:
        if c.subject in marks:
            c.placeholder = True
            p = held.setdefault(c.subject, Placeholder(c.subject, c.subject_label or c.subject,
                                                       marks[c.subject]))
            p.conflicts += 1
            p.kinds[c.kind] = p.kinds.get(c.kind, 0) + 1
        else:
            groups.setdefault(c.kind, []).append(c)
    sizes = Counter({k: len(v) for k, v in groups.items()})
    ordered = {k: sorted(groups[k], key=lambda c: ((c.subject_label or c.subject).lower(),
                                                   c.a.id, c.b.id))
               for k, _ in sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0]))}
    return ConflictReport(sorted(held.values(), key=lambda p: -p.conflicts), ordered)


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
