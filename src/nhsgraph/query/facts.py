"""Reading statements back as facts, with their citations, as at a date and as known at a time.

Every other query is built from these pieces: the valid-time and record-time conditions,
``load_facts`` (statements + citations in two SQL statements), and ``labels`` (the names
of many entities on a date, in one statement).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import dataclasses
from dataclasses import dataclass, field
from typing import Any, Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from nhsgraph.model.dates import Interval, as_day
from nhsgraph.model.names import conventional_case
from nhsgraph.model.predicates import (END_DERIVED, ERA_END_DERIVED, MACHINE_CASED, RELEASE_DATED,
                                       has)
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

    def where(self) -> str:
        """Where in the source it is said: a character span, a file's row, or a free locator."""
        return (f"chars {self.span[0]}–{self.span[1]}" if self.span else
                f"{self.file or ''} row {self.row}".strip() if self.row is not None
                else self.locator or "")

    def describe(self) -> str:
        quote = f' “{self.quote}”' if self.quote else ""
        return f"{self.source_title} [{self.source_id}] {self.where()}{quote}".strip()

    def to_dict(self) -> dict:
        return {"source_id": self.source_id, "source_title": self.source_title,
                "method": self.method, "span": self.span, "file": self.file, "row": self.row,
                "locator": self.locator, "quote": self.quote, "url": self.url,
                "confidence": self.confidence}


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
    # Other statements that are readings of this same fact (see ``one_per_fact``): their
    # citations are among this one's.
    also: list[int] = field(default_factory=list)

    @property
    def role(self) -> str | None:
        return self.qualifiers.get("role")

    @property
    def inferred(self) -> str | None:
        """What of this fact an import inferred rather than read ("end derived"), for
        display beside its dates; None when every part was stated."""
        q = self.qualifiers
        if q.get("derived"):
            return "derived"
        if has(q, END_DERIVED) or has(q, ERA_END_DERIVED):
            return "end derived"
        if q.get("basis") in RELEASE_DATED:
            return "start: first release showing it"
        return None

    @property
    def start_is_bound(self) -> bool:
        """Whether the start is only a bound: the fact held by then (the first release that
        shows it), not from then; shown as "by <date>"."""
        return self.qualifiers.get("basis") in RELEASE_DATED
    def display_value(self) -> str:
        v = self.value
        if self.object and isinstance(v, dict) and "measure" in v:
            # a figure measured against a body: the figure, then the body
            return (f"{v['measure']}: {v['value']:g} {v.get('unit', '')}".strip()
                    + f" — {self.object_label or self.object}")
        if self.object:
            return self.object_label or self.object
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

    def to_dict(self, citations: int | None = None) -> dict:
        """As ``dataclasses.asdict`` gives it (fields in order, values copied), times in ISO
        form, with the first ``citations`` citations (all when None); written out because
        asdict's generic recursion was a third of the served organisation answer's CPU."""
        return {"id": self.id, "subject": self.subject, "predicate": self.predicate,
                "object": self.object, "value": _copied(self.value),
                "valid_from": self.valid_from, "valid_to": self.valid_to,
                "qualifiers": _copied(self.qualifiers), "status": self.status,
                "recorded_at": self.recorded_at.isoformat() if self.recorded_at else None,
                "retracted_at": self.retracted_at.isoformat() if self.retracted_at else None,
                "citations": [c.to_dict() for c in self.citations[:citations]],
                "object_label": self.object_label, "subject_label": self.subject_label,
                "also": list(self.also)}


def _copied(v):
    """A copy of plain JSON-like data (dicts, lists, tuples of scalars), as asdict makes."""
    if isinstance(v, dict):
        return {k: _copied(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return type(v)(_copied(x) for x in v)
    return v


ROLE_PREDICATES = ("post", "member_of")   # their role makes two otherwise equal facts two


def fact_key(f: Fact) -> tuple:
    """What makes two statements the same fact: subject, predicate, object or value, and the
    role of a post or membership (not dates, qualifiers or citations)."""
    v = f.value
    v = v if isinstance(v, str) or v is None else json.dumps(v, sort_keys=True, default=str)
    role = f.qualifiers.get("role") if f.predicate in ROLE_PREDICATES else None
    return (f.subject, f.predicate, f.object, v, role)


def one_per_fact(facts: list[Fact]) -> list[Fact]:
    """Facts with readings of one fact over overlapping times shown once.

    Curated statements are kept as people wrote them, so one fact read twice (NHS Wiltshire
    in its cluster "from 2011-06", derived from guidance, and "as reported" on 2011-11-29,
    citing the same passage) is two statements, and was shown (and counted by the rules)
    twice. Each group keeps the reading that starts earliest (a known start before an
    unknown one), with the others' citations added (each once) and their ids in ``also``.
    """
    kept: dict[tuple, list[Fact]] = {}
    out: list[Fact] = []
    for f in facts:
        group = kept.setdefault(fact_key(f), [])
        same = next((g for g in group if Interval.of(g.valid_from, g.valid_to).overlaps(
            Interval.of(f.valid_from, f.valid_to))), None)
        if same is None:
            group.append(f)
            out.append(f)
            continue
        first, other = sorted((same, f), key=lambda x: (x.valid_from is None,
                                                         x.valid_from or "", x.id))
        merged = dataclasses.replace(first, citations=list(first.citations),
                                     also=[*first.also, other.id, *other.also])
        have = {_cite_key(c) for c in merged.citations}
        merged.citations += [c for c in other.citations if _cite_key(c) not in have]
        group[group.index(same)] = merged
        out[out.index(same)] = merged
    return out


def _cite_key(c: Citation) -> tuple:
    return (c.source_id, c.span, c.file, c.row, c.locator)


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


def driver_rows(conn: Connection, query) -> list[tuple]:
    """The rows of a query; on SQLite straight from the driver's cursor, as stored (dates
    and JSON as text): SQLAlchemy's per-row processing was half the time of a year's change
    feed. The statement still goes through ``conn.execute``, so its compiled form comes
    from the engine's cache (compiling it on every call was a third of an organisation's
    answer). On PostgreSQL, through SQLAlchemy."""
    result = conn.execute(query)
    if conn.dialect.name != "sqlite":
        return result.all()
    try:
        return result.cursor.fetchall()
    finally:
        result.close()


def among(conn: Connection, column, values):
    """``column`` is one of ``values``, however many, as one bound parameter: a JSON array
    on SQLite (json_each), an array on PostgreSQL. An IN list of thousands was compiled
    again for every chunk of 500 (a tenth of a year's change feed).

    Example: conn.execute(sa.select(statement).where(among(conn, statement.c.id, [1, 2])))"""
    values = list(values)
    if conn.dialect.name == "sqlite":
        each = sa.func.json_each(sa.bindparam(None, json.dumps(values), type_=sa.Text))
        return column.in_(sa.select(each.table_valued("value").c.value))
    from sqlalchemy.dialects.postgresql import ARRAY

    return column == sa.any_(sa.bindparam(None, values, type_=ARRAY(column.type)))


def _partial(first, precision) -> str | None:
    """The stored first day and precision as a partial date string ("2013", "2013-04", ...)."""
    if first is None:
        return None
    text = first[:10] if isinstance(first, str) else first.isoformat()
    return text[:4] if precision == 1 else text[:7] if precision == 2 else text


_CITE_COLS = (citation.c.source_id, source.c.title, source.c.url, citation.c.method,
              citation.c.span_start, citation.c.span_end, citation.c.file, citation.c.row,
              citation.c.locator, citation.c.quote, citation.c.confidence)
# valid_from/valid_to are read as stored text on SQLite (dates on PostgreSQL): _partial only
# needs their ISO form, so SQLAlchemy's per-row string->date conversion is skipped.
_FACT_COLS = tuple(sa.type_coerce(c, sa.String).label(c.key) if c.key in ("valid_from", "valid_to")
                   else c for c in statement.c) + _CITE_COLS
# The same, with JSON and record times as stored text too: on SQLite, rows_to_facts(stored=True)
# then parses a statement's JSON once, not once per citation row (a national snapshot has
# ~9 citations a statement: 1.6M JSON parses in result processing, 10 s of 29 profiled).
_STORED_COLS = tuple(sa.type_coerce(c, sa.String).label(c.key)
                     if c.key in ("valid_from", "valid_to", "value", "qualifiers", "recorded_at",
                                  "retracted_at") else c for c in statement.c) + _CITE_COLS
_FACT_FROM = (statement.outerjoin(citation, citation.c.statement_id == statement.c.id)
              .outerjoin(source, source.c.id == citation.c.source_id))


def facts_query(where, *, order=None, limit: int | None = None, stored: bool = False):
    """The SELECT behind ``load_facts``: statements matching ``where`` joined to citations.
    ``stored`` (SQLite, no limit): JSON and times as stored text, for rows_to_facts(stored=True)."""
    s, c = statement.c, citation.c
    if not limit:   # one flat join: no subquery to build or for SQLite to flatten
        return (sa.select(*(_STORED_COLS if stored else _FACT_COLS)).select_from(_FACT_FROM)
                .where(where)
                .order_by(*(order if order is not None else (s.valid_from,)), s.id, c.id))
    picked = sa.select(statement).where(where)
    picked = picked.order_by(*(order if order is not None else (s.valid_from, s.id)))
    picked = picked.limit(limit).subquery("picked")
    p = picked.c
    q = (sa.select(picked, *_CITE_COLS)
         .select_from(picked.outerjoin(citation, c.statement_id == p.id)
                      .outerjoin(source, source.c.id == c.source_id)))
    sort = [p.valid_from, p.id] if order is None else [getattr(p, col.key) for col in order
                                                      if hasattr(col, "key")] + [p.id]
    return q.order_by(*sort, c.id)


def rows_to_facts(rows, *, stored: bool = False) -> list[Fact]:
    """Rows of ``facts_query`` (statement columns, then citation columns) as Facts.

    ``stored``: the rows come straight from the SQLite driver, as stored (JSON as text,
    record times as ISO text), not through SQLAlchemy's result processing."""
    facts: dict[int, Fact] = {}
    for (id, _key, subject, pred, obj, value, text, _vk, vf, vfp, vto, vtp, quals, status, rec,
         retr, src, title, url, method, s0, s1, file, row, locator, quote, conf) in rows:
        f = facts.get(id)
        if f is None:
            if stored:
                # value_text holds a text value as written (see Writer._row): no JSON to parse
                value = text if text is not None else None if value is None else json.loads(value)
                quals = None if quals is None or quals == "null" else json.loads(quals)
                rec = None if rec is None else dt.datetime.fromisoformat(rec)
                retr = None if retr is None else dt.datetime.fromisoformat(retr)
            f = facts[id] = Fact(
                id=id, subject=subject, predicate=pred, object=obj, value=value,
                valid_from=_partial(vf, vfp), valid_to=_partial(vto, vtp),
                qualifiers=quals or {}, status=status, recorded_at=rec, retracted_at=retr)
        if src is not None:
            f.citations.append(Citation(
                source_id=src, source_title=title, method=method,
                span=(s0, s1) if s0 is not None else None, file=file, row=row,
                locator=locator, quote=quote, url=url, confidence=conf))
    return list(facts.values())


def load_facts(conn: Connection, where, *, order=None, limit: int | None = None) -> list[Fact]:
    """Statements matching ``where``, each with its citations, in one SQL statement."""
    stored = conn.dialect.name == "sqlite" and not limit
    return rows_to_facts(conn.execute(facts_query(where, order=order, limit=limit, stored=stored)),
                         stored=stored)


OFFICIAL_ALIASES = ("ons_name", "practice_map_name", "ods_name")   # an official list's name
NAME_ON_DATE = 4      # the rank of a name held on the date (one the importer cased)


def name_rank(predicate: str, qualifiers, on_date: bool) -> int | None:
    """How good a name or alias is as the display name on a date (higher is better; None:
    never): a name on the date (a curated one above one the importer cased), then an
    official list's name on the date (ONS's, then the capitals of other lists), then a
    name of another date. Aliases from documents never name a body."""
    if isinstance(qualifiers, str):
        qualifiers = json.loads(qualifiers)
    q = qualifiers or {}
    if predicate == "name":
        if on_date:
            return NAME_ON_DATE + (0 if has(q, MACHINE_CASED) else 1)
        return 1
    if not any(q.get(k) for k in OFFICIAL_ALIASES):
        return None
    if on_date:
        return 3 if q.get("ons_name") else 2
    return 0


def labels(conn: Connection, ids: Iterable[str], at: dt.date | None = None,
           known: dt.datetime | None = None) -> dict[str, str]:
    """A display name for each entity on ``at`` (see ``name_rank``), as known at ``known``
    (now when None), in the conventional case; else the entity's label, else its id."""
    return labels_on(conn, {at: ids}, known)[at]


def labels_on(conn: Connection, wanted: dict, known: dt.datetime | None = None
              ) -> dict[dt.date | None, dict[str, str]]:
    """``labels`` for several days at once (``wanted``: day -> ids): each entity's names are
    read once, however many days it is named on (a year's change feed names bodies on a
    few hundred days: one query per day was a fifth of its time).

    Example: labels_on(conn, {dt.date(2013, 4, 1): ["ods:00C"]})"""
    days = {at: [i for i in dict.fromkeys(ids) if i] for at, ids in wanted.items()}
    ids = list(dict.fromkeys(i for v in days.values() for i in v))
    s = statement.c
    rows: dict[str, list[tuple]] = {}

    def read(some, pred):
        """Rows (subject, predicate, text, first day, end day, qualifiers), by subject."""
        where = [among(conn, s.subject_id, some), s.predicate == pred,
                 s.status == "asserted", known_at(known)]
        for subject, p, text, vf, vt, q in driver_rows(conn, _NAMES.where(*where)):
            rows.setdefault(subject, []).append(
                (subject, p, text, _stored_day(vf), _stored_day(vt), _stored_json(q)))

    def rank_all(at, subjects, best):
        for subject in subjects:
            for _, pred, text, vf, vt, q in rows.get(subject, ()):
                on_date = at is not None and (vf is None or vf <= at) and (vt is None or vt > at)
                r = name_rank(pred, q, on_date)
                if r is None:
                    continue
                rank = (r, vf or dt.date.min)
                if subject not in best or rank > best[subject][:2]:
                    best[subject] = (*rank, text)

    read(ids, "name")
    best: dict = {at: {} for at in days}
    for at, v in days.items():
        rank_all(at, v, best[at])
    # aliases can win only where no name holds on the date: read them only for those
    unnamed = list(dict.fromkeys(x for at, v in days.items() for x in v
                                 if x not in best[at] or best[at][x][0] < NAME_ON_DATE))
    if unnamed:
        names = {x: rows.pop(x, []) for x in unnamed}    # the aliases' rows come after
        read(unnamed, "alias")
        for x in unnamed:
            rows[x] = names[x] + rows.get(x, [])
        for at, v in days.items():
            rank_all(at, [x for x in v if x not in best[at] or best[at][x][0] < NAME_ON_DATE],
                      best[at])
    missing = list(dict.fromkeys(x for at, v in days.items() for x in v if x not in best[at]))
    fallback = {}
    for i in range(0, len(missing), _CHUNK):
        for r in conn.execute(sa.select(entity.c.id, entity.c.label)
                              .where(entity.c.id.in_(missing[i:i + _CHUNK]))):
            fallback[r.id] = conventional_case(r.label) if r.label else r.id
    return {at: {i: conventional_case(best[at][i][2]) if i in best[at] else fallback.get(i, i)
                 for i in v} for at, v in days.items()}


# Names and aliases, a subject's by their start (see labels_on).
_NAMES = (sa.select(statement.c.subject_id, statement.c.predicate, statement.c.value_text,
                    sa.type_coerce(statement.c.valid_from, sa.String),
                    sa.type_coerce(statement.c.valid_to, sa.String),
                    sa.type_coerce(statement.c.qualifiers, sa.Text))
          .order_by(statement.c.subject_id, statement.c.valid_from))


@functools.lru_cache(maxsize=8192)
def _stored_day(value) -> dt.date | None:
    """A stored first day (ISO text on SQLite, a date or its text on PostgreSQL) as a date."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value[:10])


def _stored_json(text):
    """Stored JSON text parsed once per distinct text (shared: read it, never change it);
    PostgreSQL's driver has already decoded it."""
    return _parsed_json(text) if isinstance(text, str) else text


@functools.lru_cache(maxsize=4096)
def _parsed_json(text: str):
    return json.loads(text)


def label_facts(conn: Connection, facts: list[Fact], at: dt.date | None = None,
                known: dt.datetime | None = None) -> None:
    names = labels(conn, [f.object for f in facts] + [f.subject for f in facts], at, known)
    for f in facts:
        f.subject_label = names.get(f.subject)
        if f.object:
            f.object_label = names.get(f.object)


def day(value) -> dt.date | None:
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:   # the common case, a full ISO day, without the partial-date parser
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    return as_day(value)
