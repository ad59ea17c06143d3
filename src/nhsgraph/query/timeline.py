"""Every dated statement about an entity, and every event it took part in, in order; and
the date of an event."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from nhsgraph.query.facts import Fact, known_at, label_facts, load_facts
from nhsgraph.store.schema import statement


def timeline(conn: Connection, id: str, known: dt.datetime | None = None,
             include_proposed: bool = False) -> list[Fact]:
    s = statement.c
    status = s.status.in_(("asserted", "proposed")) if include_proposed else s.status == "asserted"
    about = sa.or_(s.subject_id == id, s.object_id == id)
    found = load_facts(conn, sa.and_(about, status, known_at(known)))
    # Events the entity took part in bring their own dated facts (type, figures, decisions).
    events = [f.subject for f in found if f.predicate == "involves"]
    if events:
        found += load_facts(conn, sa.and_(s.subject_id.in_(events), s.predicate != "involves",
                                          status, known_at(known)))
    label_facts(conn, found, known=known)
    found.sort(key=lambda f: (f.valid_from is None, f.valid_from or "", f.valid_to or "", f.id))
    return found


def event_dates(conn: Connection, ids, known: dt.datetime | None = None) -> dict[str, str]:
    """The date of each of these events that has one: the start of its ``event_type``
    statement, at its precision ("2011-11-29", "2011-10", "2011"). Events without a dated
    type are left out."""
    ids = sorted(set(ids))
    if not ids:
        return {}
    s = statement.c
    found = load_facts(conn, sa.and_(s.subject_id.in_(ids), s.predicate == "event_type",
                                     s.status == "asserted", known_at(known)))
    return {f.subject: f.valid_from for f in sorted(found, key=lambda f: f.id)
            if f.valid_from}
