"""Reviewing proposals: accepted statements become asserted, rejected ones are kept as
rejected (so the same proposal does not come back), both by superseding, never editing."""

from __future__ import annotations

from typing import Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from nhsgraph.errors import BadInput
from nhsgraph.model.names import generic_alias_reason
from nhsgraph.query.facts import Fact, label_facts, load_facts
from nhsgraph.store import Store
from nhsgraph.store.schema import citation, statement

DECISIONS = {"accept": "asserted", "reject": "rejected"}


def proposed(conn: Connection, *, source_id: str | None = None, limit: int | None = None,
             offset: int = 0) -> list[Fact]:
    """Current proposals, optionally only those citing one source, oldest first."""
    s = statement.c
    where = sa.and_(s.status == "proposed", s.retracted_at.is_(None))
    if source_id:
        where = sa.and_(where, s.id.in_(sa.select(citation.c.statement_id)
                                        .where(citation.c.source_id == source_id)))
    ids = conn.execute(sa.select(s.id).where(where).order_by(s.id).offset(offset)
                       .limit(limit)).scalars().all()
    facts = load_facts(conn, s.id.in_(ids)) if ids else []
    label_facts(conn, facts)
    return facts


def _refuse_generic_aliases(conn: Connection, ids: list[int]) -> None:
    """A proposed alias that names no body in particular ("the Trust") cannot be accepted:
    as an alias it would make every "the Trust" in every document this one."""
    s = statement.c
    rows = conn.execute(sa.select(s.id, s.subject_id, s.value_text)
                        .where(s.id.in_(ids), s.predicate == "alias")).all()
    refused = [(r.id, r.subject_id, why) for r in rows
               if (why := generic_alias_reason(r.value_text or ""))]
    if refused:
        raise BadInput("; ".join(f"statement {i} (alias of {subject}): {why}; reject it "
                                 f"instead" for i, subject, why in refused)
                       + ". Nothing was accepted")


def decide(store: Store, ids: Iterable[int], decision: str) -> list[int]:
    """Accept or reject proposals in one transaction; returns the new statements' ids."""
    if decision not in DECISIONS:
        raise BadInput(f"decision must be accept or reject, not {decision!r}")
    ids = list(dict.fromkeys(ids))
    with store.writer() as w:
        rows = dict(w.conn.execute(sa.select(statement.c.id, statement.c.status)
                                   .where(statement.c.id.in_(ids))).all())
        missing = [i for i in ids if i not in rows]
        if missing:
            raise BadInput(f"no such statement(s): {', '.join(map(str, missing))}")
        not_proposed = [i for i in ids if rows[i] != "proposed"]
        if not_proposed:
            raise BadInput(f"not proposals: {', '.join(map(str, not_proposed))}")
        if decision == "accept":
            _refuse_generic_aliases(w.conn, ids)
        return [w.restate(i, status=DECISIONS[decision]) for i in ids]
