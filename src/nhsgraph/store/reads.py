"""Typed reads the importers make of the store: the statements currently held about some
subjects (with their citations), the sources of a release series, the facts stated more
than once, the links to bodies that have closed. SQL stays here; on SQLite the heaviest
read runs on the DBAPI cursor.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from contextlib import contextmanager
from typing import Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from nhsgraph.store.schema import citation, source, statement


_HELD_COLS = ("id", "key", "subject_id", "predicate", "object_id", "value", "valid_from",
              "valid_from_precision", "valid_to", "valid_to_precision", "qualifiers", "status",
              "source_id", "method", "file", "row", "locator", "quote", "confidence",
              "span_start", "span_end")
_CITE_COLS = _HELD_COLS[12:21]          # a citation's own columns
_HELD_SQL = ("SELECT s.id, s.key, s.subject_id, s.predicate, s.object_id, s.value, "
             "s.valid_from, s.valid_from_precision, s.valid_to, s.valid_to_precision, "
             "s.qualifiers, s.status, c.source_id, c.method, c.file, c.row, c.locator, c.quote, "
             "c.confidence, c.span_start, c.span_end, s.value_text "
             "FROM statement AS s JOIN citation AS c ON c.statement_id = s.id "
             "WHERE s.subject_id IN ({}) AND s.predicate IN ({}) AND s.retracted_at IS NULL")


def held_statements(conn: Connection, subjects: list[str], preds: list[str], *,
                    asserted_only: bool = False) -> tuple[dict[int, dict], dict[int, list]]:
    """The current statements about ``subjects`` with these predicates, one dict per
    statement (``_HELD_COLS``) and its citations (one dict each, with at least the
    citation's columns).
    On SQLite the query runs on the DBAPI cursor and the row values are decoded here as
    the column types would (dates, JSON); elsewhere through SQLAlchemy."""
    existing: dict[int, dict] = {}
    cites: dict[int, list] = defaultdict(list)
    if not subjects:
        return existing, cites
    if conn.dialect.name != "sqlite":
        s, c = statement, citation
        for i in range(0, len(subjects), 500):
            q = (sa.select(s.c.id, s.c.key, s.c.subject_id, s.c.predicate, s.c.object_id,
                           s.c.value, s.c.valid_from, s.c.valid_from_precision, s.c.valid_to,
                           s.c.valid_to_precision, s.c.qualifiers, s.c.status,
                           c.c.source_id, c.c.method, c.c.file, c.c.row, c.c.locator,
                           c.c.quote, c.c.confidence, c.c.span_start, c.c.span_end)
                 .join(c, c.c.statement_id == s.c.id)
                 .where(s.c.subject_id.in_(subjects[i:i + 500]), s.c.predicate.in_(preds),
                        s.c.retracted_at.is_(None)))
            if asserted_only:
                q = q.where(s.c.status == "asserted")
            for row in conn.execute(q):
                d = dict(zip(_HELD_COLS, row))
                existing.setdefault(d["id"], d)
                cites[d["id"]].append(d)
        return existing, cites
    sql = _HELD_SQL + (" AND s.status = 'asserted'" if asserted_only else "")
    days: dict = {None: None}
    quals: dict = {None: None}
    loads = json.loads
    cur = conn.connection.driver_connection.cursor()
    try:
        step = 2000
        for i in range(0, len(subjects), step):
            chunk = subjects[i:i + step]
            rows = cur.execute(sql.format(",".join("?" * len(chunk)), ",".join("?" * len(preds))),
                               chunk + list(preds)).fetchall()
            for row in rows:
                sid = row[0]
                if sid in existing:     # another citation of a statement already decoded
                    cites[sid].append(dict(zip(_CITE_COLS, row[12:21])))
                    continue
                row = list(row)
                text = row.pop()
                # value_text holds a text value as written; other values are JSON
                row[5] = text if text is not None else (
                    None if row[5] is None else loads(row[5]))
                for j in (6, 8):
                    v = row[j]
                    d = days.get(v, days)
                    if d is days:
                        d = days[v] = stored_day(v)
                    row[j] = d
                q = row[10]
                qd = quals.get(q, quals)
                if qd is quals:
                    qd = quals[q] = loads(q)
                row[10] = qd
                d = dict(zip(_HELD_COLS, row))
                existing[sid] = d
                cites[sid].append(d)
    finally:
        cur.close()
    return existing, cites


def stored_day(v) -> dt.date | None:
    """A DATE column's value as SQLAlchemy reads it on SQLite ('YYYY-MM-DD')."""
    if v is None or isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(v[:10])



def source_sha256(conn: Connection, source_id: str) -> str | None:
    """The content hash of a held source, if it is held and has one."""
    row = conn.execute(sa.select(source.c.sha256).where(source.c.id == source_id)).first()
    return row.sha256 if row is not None else None


def series_sources(conn: Connection, prefix: str) -> list[tuple[str, str | None]]:
    """(id, date) of the held sources of a release series (ids starting with ``prefix``)."""
    return [tuple(r) for r in conn.execute(sa.select(source.c.id, source.c.date)
                                           .where(source.c.id.like(prefix + "%")))]


def repeated_facts(conn: Connection) -> dict[str, set[str]]:
    """Subjects (and their predicates) holding two or more live asserted statements of the
    same object or text value."""
    s = statement
    rows = conn.execute(
        sa.select(s.c.subject_id, s.c.predicate)
        .where(s.c.retracted_at.is_(None), s.c.status == "asserted",
               sa.or_(s.c.object_id.is_not(None), s.c.value_text.is_not(None)))
        .group_by(s.c.subject_id, s.c.predicate, s.c.object_id, s.c.value_text)
        .having(sa.func.count() > 1))
    out: dict[str, set[str]] = defaultdict(set)
    for subject, predicate in rows:
        out[subject].add(predicate)
    return out


def links_to_closed_bodies(conn: Connection, links: Iterable[str]) -> list:
    """(statement id, subject, closed) for each current asserted link (of the predicates
    ``links``) to a body every one of whose types has ended, the last on ``closed``, where
    the link is still in force on that day."""
    links = list(links)
    s, t = statement.alias("s"), statement.alias("t")
    ends = (sa.select(t.c.subject_id.label("org"), sa.func.max(t.c.valid_to).label("closed"))
            .where(t.c.predicate == "org_type", t.c.retracted_at.is_(None),
                   t.c.status == "asserted")
            .group_by(t.c.subject_id)
            .having(sa.func.count() == sa.func.count(t.c.valid_to))   # none still open
            .subquery())
    return conn.execute(
        sa.select(s.c.id, s.c.subject_id, ends.c.closed)
        .join(ends, ends.c.org == s.c.object_id)
        .where(s.c.predicate.in_(links), s.c.retracted_at.is_(None), s.c.status == "asserted",
               sa.or_(s.c.valid_to.is_(None), s.c.valid_to > ends.c.closed),
               sa.or_(s.c.valid_from.is_(None), s.c.valid_from < ends.c.closed))).all()


def ons_codes_of_ods_entities(conn: Connection) -> list[tuple[str, str]]:
    """(subject, ONS code) of the ons_code statements held about ods: entities."""
    q = (sa.select(statement.c.subject_id, statement.c.value_text)
         .where(statement.c.predicate == "ons_code", statement.c.retracted_at.is_(None),
                statement.c.subject_id.like("ods:%")))
    return [tuple(r) for r in conn.execute(q)]


@contextmanager
def bulk_cache(conn: Connection, kib: int):
    """On SQLite, a larger page cache for the import (index pages of a growing store stay in
    memory); set back afterwards. It changes no data and no durability."""
    if conn.dialect.name != "sqlite":
        yield
        return
    old = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size = {-kib}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size = {int(old)}")


