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
              "valid_from_precision", "valid_to", "valid_to_precision", "qualifiers", "status")
_CITE_COLS = ("source_id", "method", "file", "row", "locator", "quote", "confidence",
              "span_start", "span_end")
_IDS_SQL = ("SELECT id, key FROM statement WHERE subject_id IN ({}) AND predicate IN ({}) "
            "AND retracted_at IS NULL")
_HELD_SQL = ("SELECT s.id, s.key, s.subject_id, s.predicate, s.object_id, s.value, "
             "s.valid_from, s.valid_from_precision, s.valid_to, s.valid_to_precision, "
             "s.qualifiers, s.status, s.value_text, "
             "json_group_array(DISTINCT c.source_id), {} "
             "FROM statement AS s JOIN citation AS c ON c.statement_id = s.id "
             "WHERE s.id IN ({{}}) GROUP BY s.id")
_METHODS_AGG = "json_group_array(DISTINCT c.method)"
# (without the methods, the citations' sources come from the covering unique index alone)
_CITE_SQL = ("SELECT statement_id, source_id, method, file, row, locator, quote, confidence, "
             "span_start, span_end FROM citation WHERE statement_id IN ({})")


class HeldCitations:
    """The citations of some held statements: their sources and methods at once (one row
    per statement, aggregated in the database), their whole rows on demand. A statement
    seen in ten releases has ten citations; most reads only ask which sources they come
    from, and only the statements an import ends or copies need them all."""

    def __init__(self, conn: Connection, sources: dict[int, frozenset],
                 methods: dict[int, frozenset] | None):
        self._conn = conn
        self._sources = sources
        self._methods = methods
        self._rows: dict[int, list[dict]] = {}

    def sources(self, sid: int) -> frozenset:
        return self._sources.get(sid, frozenset())

    def methods(self, sid: int) -> frozenset:
        if self._methods is None:
            raise RuntimeError("held_statements was asked for no methods")
        return self._methods.get(sid, frozenset())

    def load(self, sids: Iterable[int]) -> None:
        """Read the whole citation rows of these statements (those not read yet)."""
        todo = sorted({i for i in sids if i not in self._rows})
        if not todo:
            return
        for i in todo:
            self._rows[i] = []
        rows = self._rows
        if self._conn.dialect.name != "sqlite":
            c = citation
            for i in range(0, len(todo), 500):
                q = sa.select(c.c.statement_id, *(c.c[k] for k in _CITE_COLS)) \
                    .where(c.c.statement_id.in_(todo[i:i + 500]))
                for row in self._conn.execute(q):
                    rows[row[0]].append(dict(zip(_CITE_COLS, row[1:])))
            return
        cur = self._conn.connection.driver_connection.cursor()
        try:
            for i in range(0, len(todo), 2000):
                chunk = todo[i:i + 2000]
                for row in cur.execute(_CITE_SQL.format(",".join("?" * len(chunk))), chunk):
                    rows[row[0]].append(dict(zip(_CITE_COLS, row[1:])))
        finally:
            cur.close()

    def __getitem__(self, sid: int) -> list[dict]:
        """The whole citation rows of one statement (read now, unless ``load`` read them)."""
        if sid not in self._rows:
            self.load([sid])
        return self._rows[sid]


def held_statements(conn: Connection, subjects: list[str], preds: list[str], *,
                    asserted_only: bool = False, skip_keys: set[str] | frozenset = frozenset(),
                    with_methods: bool = True) -> tuple[dict[int, dict], HeldCitations]:
    """The current statements about ``subjects`` with these predicates, one dict per
    statement (``_HELD_COLS``), and their citations (``HeldCitations``; their methods
    only ``with_methods``, which costs a read of every citation row). Those whose
    content key is in ``skip_keys`` (facts an import states again) are left out before
    anything else of them is read.
    On SQLite the queries run on the DBAPI cursor and the row values are decoded here as
    the column types would (dates, JSON); elsewhere through SQLAlchemy."""
    ids = _held_ids(conn, subjects, preds, asserted_only, skip_keys)
    existing: dict[int, dict] = {}
    sources: dict[int, frozenset] = {}
    methods: dict[int, frozenset] | None = {} if with_methods else None
    if not ids:
        return existing, HeldCitations(conn, sources, methods)
    if conn.dialect.name != "sqlite":
        s, c = statement, citation
        meths = sa.func.array_agg(sa.distinct(c.c.method)) if with_methods else sa.null()
        for i in range(0, len(ids), 500):
            q = (sa.select(*(s.c[k] for k in _HELD_COLS),
                           sa.func.array_agg(sa.distinct(c.c.source_id)), meths)
                 .join(c, c.c.statement_id == s.c.id)
                 .where(s.c.id.in_(ids[i:i + 500]))
                 .group_by(s.c.id))
            for row in conn.execute(q):
                d = dict(zip(_HELD_COLS, row))
                existing[d["id"]] = d
                sources[d["id"]] = frozenset(row[-2])
                if methods is not None:
                    methods[d["id"]] = frozenset(row[-1])
        return existing, HeldCitations(conn, sources, methods)
    days: dict = {None: None}
    quals: dict = {None: None}
    sets: dict = {}
    loads = json.loads
    sql = _HELD_SQL.format(_METHODS_AGG if with_methods else "NULL")
    aggs = ((1, sources), (0, methods)) if with_methods else ((1, sources),)
    cur = conn.connection.driver_connection.cursor()
    try:
        for i in range(0, len(ids), 2000):
            chunk = ids[i:i + 2000]
            for row in cur.execute(sql.format(",".join("?" * len(chunk))), chunk).fetchall():
                row = list(row)
                got = (row.pop(), row.pop())     # methods, sources
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
                sid = row[0]
                existing[sid] = dict(zip(_HELD_COLS, row))
                for j, into in aggs:
                    agg = got[j]
                    fs = sets.get(agg)
                    if fs is None:
                        fs = sets[agg] = frozenset(loads(agg))
                    into[sid] = fs
    finally:
        cur.close()
    return existing, HeldCitations(conn, sources, methods)


def _held_ids(conn: Connection, subjects: list[str], preds: list[str], asserted_only: bool,
              skip_keys) -> list[int]:
    """The ids of the current statements about ``subjects`` with these predicates, but
    those whose key is in ``skip_keys``."""
    found: list[int] = []
    if not subjects:
        return found
    if conn.dialect.name != "sqlite":
        s = statement
        for i in range(0, len(subjects), 500):
            q = sa.select(s.c.id, s.c.key).where(
                s.c.subject_id.in_(subjects[i:i + 500]), s.c.predicate.in_(preds),
                s.c.retracted_at.is_(None))
            if asserted_only:
                q = q.where(s.c.status == "asserted")
            found.extend(sid for sid, k in conn.execute(q) if k not in skip_keys)
        return found
    sql = _IDS_SQL + (" AND status = 'asserted'" if asserted_only else "")
    cur = conn.connection.driver_connection.cursor()
    try:
        for i in range(0, len(subjects), 2000):
            chunk = subjects[i:i + 2000]
            rows = cur.execute(sql.format(",".join("?" * len(chunk)), ",".join("?" * len(preds))),
                               chunk + list(preds))
            found.extend(sid for sid, k in rows if k not in skip_keys)
    finally:
        cur.close()
    return found


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


def repeated_facts(conn: Connection, subjects: Iterable[str] | None = None
                   ) -> dict[str, set[str]]:
    """Subjects (and their predicates) holding two or more live asserted statements of the
    same object or text value: among ``subjects`` only, when given (read by subject, not
    by a scan of every statement)."""
    s = statement
    q = (sa.select(s.c.subject_id, s.c.predicate)
         .where(s.c.retracted_at.is_(None), s.c.status == "asserted",
                sa.or_(s.c.object_id.is_not(None), s.c.value_text.is_not(None)))
         .group_by(s.c.subject_id, s.c.predicate, s.c.object_id, s.c.value_text)
         .having(sa.func.count() > 1))
    out: dict[str, set[str]] = defaultdict(set)
    if subjects is None:
        chunks = [q]
    else:
        some = sorted(subjects)
        chunks = [q.where(s.c.subject_id.in_(some[i:i + 500])) for i in range(0, len(some), 500)]
    for chunk in chunks:
        for subject, predicate in conn.execute(chunk):
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




def links_to_succeeded_bodies(conn: Connection, link: str, subject_type: str) -> list:
    """(subject, successor, day, succession statement id) for each current asserted
    ``link`` of a body of ``subject_type`` that ends on ``day`` where the body it points to
    was succeeded that day by exactly one body (a merger, not a split), the subject still
    of that type then and given no later ``link`` already."""
    s, u, t, k = (statement.alias(n) for n in ("s", "u", "t", "k"))
    live = lambda a: sa.and_(a.c.retracted_at.is_(None), a.c.status == "asserted")  # noqa: E731
    typed = sa.exists().where(
        t.c.subject_id == s.c.subject_id, t.c.predicate == "org_type",
        t.c.value_text == subject_type, live(t),
        sa.or_(t.c.valid_from.is_(None), t.c.valid_from <= s.c.valid_to),
        sa.or_(t.c.valid_to.is_(None), t.c.valid_to > s.c.valid_to))
    later = sa.exists().where(
        k.c.subject_id == s.c.subject_id, k.c.predicate == link, live(k),
        k.c.valid_from >= s.c.valid_to)
    q = (sa.select(s.c.subject_id, sa.func.min(u.c.object_id), s.c.valid_to, sa.func.min(u.c.id))
         .join(u, sa.and_(u.c.subject_id == s.c.object_id, u.c.predicate == "succeeded_by",
                          live(u), u.c.valid_from == s.c.valid_to))
         .where(s.c.predicate == link, live(s), s.c.valid_to.is_not(None), typed, ~later)
         .group_by(s.c.subject_id, s.c.valid_to)
         .having(sa.func.count(sa.distinct(u.c.object_id)) == 1))
    return [tuple(r) for r in conn.execute(q)]


def open_curated_types_then_other(conn: Connection) -> list:
    """(statement id, subject, day) for each current asserted, dated, open-ended org_type
    statement that a person stated (a citation not from an import), where an org_type of
    another value of the same subject starts later: ``day``, the first such start (an NHS
    trust "as reported" in 2012, an FT in the ODS releases from 2015, or from the day a
    curated authorisation gives, which the releases' type has joined)."""
    s, t, c = statement.alias("s"), statement.alias("t"), citation.alias("c")
    live = lambda a: sa.and_(a.c.retracted_at.is_(None), a.c.status == "asserted")  # noqa: E731
    person = sa.exists().where(c.c.statement_id == s.c.id, ~c.c.method.like("import:%"))
    q = (sa.select(s.c.id, s.c.subject_id, sa.func.min(t.c.valid_from))
         .join(t, sa.and_(t.c.subject_id == s.c.subject_id, t.c.predicate == "org_type",
                          live(t), t.c.value_text != s.c.value_text,
                          t.c.valid_from > s.c.valid_from))
         .where(s.c.predicate == "org_type", live(s), s.c.valid_from.is_not(None),
                s.c.valid_to.is_(None), person)
         .group_by(s.c.id, s.c.subject_id))
    return [tuple(r) for r in conn.execute(q)]
