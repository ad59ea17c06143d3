"""What changed between two dates: bodies opened, closed, renamed, retyped, recoded, merged,
split or taken over, and bodies moved to a new parent, each change with its date, the
bodies on both sides and the citations of the statements that say so.

A handful of SQL statements, however long the period: the successions dated in it, the
subjects whose type, name or parent link starts or ends in it, then those subjects' other
statements of the same predicates (a first name is not a rename, an opening is not a change
of type), then the types and names of every body on both sides.

A start that is only a bound ("by" the first release that shows it) is not a change: the
body held the value by then, not from then, so it says nothing about when it changed.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from nhsgraph.errors import BadInput, BadInterval
from nhsgraph.model.dates import PartialDate
from nhsgraph.model.memory import no_cyclic_gc
from nhsgraph.model.predicates import value_key
from nhsgraph.query.facts import (Fact, _partial, among, day as _day, driver_rows, known_at,
                                  labels_on)
from nhsgraph.store.schema import citation, source, statement

PARENT_LINKS = ("member_of", "accountable_to", "hosted_by")
# The succession changes the importers and the curated files write (predicates.py).
SUCCESSION_KINDS = ("merge", "acquisition", "split", "recode", "rename", "type_change",
                    "abolition", "transfer", "reconfiguration")
# Every kind of change, in the order a day's changes are listed.
KINDS = ("open", "merge", "acquisition", "split", "recode", "rename", "type_change",
         "abolition", "transfer", "reconfiguration", "move", "join", "leave", "close")
_ORDER = {k: i for i, k in enumerate(KINDS)}
# Successions grouped with the other links of their day that share this end: a merge's
# bodies with their one successor, a split's successors with their one predecessor.
_GROUP_BY = {"merge": "object", "acquisition": "object", "split": "subject"}
_CHUNK = 500


@functools.lru_cache(maxsize=4096)
def day(text):
    """A stored partial date's first day (a year's changes hold a few hundred distinct)."""
    return _day(text)


@dataclass
class Side:
    """A body on one side of a change, as it was on that side's day."""

    id: str
    code: str | None
    name: str
    org_type: str | None


@dataclass
class Change:
    date: str
    kind: str
    before: list[Side]
    after: list[Side]
    body: Side | None = None       # the body that changed (None for a succession)
    link: str = "succeeded_by"     # the predicate that says so
    derived: bool = False          # a part of it was inferred by an import
    detail: dict = field(default_factory=dict)
    citations: list[dict] = field(default_factory=list)   # Citation fields, as dicts
    statements: list[int] = field(default_factory=list)

    @property
    def id(self) -> str:
        """A stable identifier from what the change is (for feeds): date, kind, bodies."""
        ids = lambda sides: "+".join(s.id for s in sides)  # noqa: E731
        who = f"{self.body.id}/" if self.body else ""
        return f"{self.date}/{self.kind}/{who}{ids(self.before)}>{ids(self.after)}"

    @property
    def bodies(self) -> list[Side]:
        return ([self.body] if self.body else []) + self.before + self.after

    def to_dict(self) -> dict:
        side = lambda s: s.__dict__.copy()  # noqa: E731
        return {"id": self.id, "date": self.date, "kind": self.kind,
                "body": side(self.body) if self.body else None,
                "before": [side(s) for s in self.before], "after": [side(s) for s in self.after],
                "link": self.link, "derived": self.derived, "detail": self.detail,
                "statements": self.statements,
                "citations": self.citations}


def period(start, end) -> tuple[dt.date, dt.date]:
    """The first and last day of the period from ``start`` to ``end`` (partial dates stand
    for all their days: 2020 to 2020 is the whole year)."""
    lo, hi = PartialDate.parse(start).first, PartialDate.parse(end).last
    if hi < lo:
        raise BadInterval(f"the period ends ({end}) before it starts ({start})")
    return lo, hi


def check_kinds(kinds) -> list[str]:
    unknown = [k for k in kinds or () if k not in _ORDER]
    if unknown:
        raise BadInput(f"unknown change kind {', '.join(map(repr, unknown))}; known: "
                       f"{', '.join(KINDS)}")
    return list(kinds or ())


def changes(conn: Connection, start, end, *, types: list[str] | None = None,
            kinds: list[str] | None = None, known: dt.datetime | None = None,
            cited: bool = True) -> list[Change]:
    """Every change dated from ``start`` to ``end`` (both included), in date order;
    ``types``: only changes involving a body of one of these types on the day;
    ``kinds``: only these kinds (``KINDS``); ``cited=False``: without their citations
    (``cite`` adds them, e.g. to one page of the changes only).

    Example: changes(conn, "2020-04-01", "2020-04-01", types=["ccg"])
    """
    with no_cyclic_gc():
        found = _changes(conn, start, end, types, kinds, known)
        if cited:
            cite(conn, found)
        return found


def _changes(conn, start, end, types, kinds, known) -> list[Change]:
    lo, hi = period(start, end)
    kinds = check_kinds(kinds)
    s = statement.c
    live = sa.and_(s.status == "asserted", known_at(known))
    found: list[Change] = []
    want = set(kinds) if kinds else set(KINDS)
    if want & set(SUCCESSION_KINDS):
        found += _successions(_statements(conn, sa.and_(
            live, s.predicate == "succeeded_by", s.valid_from >= lo, s.valid_from <= hi)))
    history: dict[str, list[tuple]] = defaultdict(list)    # org_type rows by subject
    if want - set(SUCCESSION_KINDS):
        # the statements that start or end in the period (one scan), then what else their
        # subjects' changes need (see _CONTEXT), by subject
        q = sa.and_(live, s.predicate.in_(_BODY_PREDICATES),
                    sa.or_(sa.and_(s.valid_from >= lo, s.valid_from <= hi),
                           sa.and_(s.valid_to >= lo, s.valid_to <= hi)))
        if types:   # bodies that were ever of the types (the day's type is checked below)
            q = sa.and_(q, s.subject_id.in_(sa.select(s.subject_id).where(
                live, s.predicate == "org_type",
                s.value_key.in_(sorted({value_key(x) for x in types})))))
        dated = _statements(conn, q)
        seen = {f.id for f in dated}
        by_subject: dict[str, list[_Stmt]] = defaultdict(list)
        for f in dated:
            by_subject[f.subject].append(f)
        for pred, whose in _CONTEXT.items():
            ids = sorted({f.subject for f in dated if whose is None or f.predicate == whose})
            for f in _statements(conn, sa.and_(live, s.predicate == pred,
                                               among(conn, s.subject_id, ids))):
                if f.id not in seen:
                    by_subject[f.subject].append(f)
        for subject in sorted(by_subject):
            facts = sorted(by_subject[subject], key=_stored_order)
            history[subject] = [(f.value, f.start, f.end) for f in facts
                                if f.predicate == "org_type"]
            found += _body_changes(subject, facts, lo, hi)
    found = [c for c in found if c.kind in want]
    sides = [(c, _sides_on(c)) for c in found]
    _type_sides(conn, sides, history)
    if types:
        wanted = set(types)
        sides = [(c, on) for c, on in sides
                 if any(b.org_type in wanted for b in _typed_sides(c))]
        found = [c for c, _ in sides]
    _name_sides(conn, sides)
    # ties (two bodies of one name, one kind, one day) in the order of their ids
    found.sort(key=lambda c: (c.date, _ORDER[c.kind], (c.body or (c.before + c.after)[0]).name,
                              c.id))
    return found


_BODY_PREDICATES = ("org_type", "name") + PARENT_LINKS
# Beyond the statements dated in the period, a body's changes need every statement of some
# predicates (of the bodies with a statement of this one in the period; None: of every
# body): all its types (its opening, closing and type on either side), all its names when
# one is dated in the period (the name before), all its accountable_to links when one is
# (the parent it had before, with its end unrecorded). A member_of or hosted_by link that
# neither starts nor ends in the period changes nothing.
_CONTEXT = {"org_type": None, "name": "name", "accountable_to": "accountable_to"}


def _stored_order(f: _Stmt) -> tuple:
    """A body's statements in the order of the store's index: predicate, start (unknown
    first), id (ties among them pick the first)."""
    return (f.predicate, f.start is not None, f.start or dt.date.min, f.id)
# Statement columns only: citations are read afterwards for the statements that make a
# change (a national year reads ~100k statements, each cited by several releases).
_COLS = (statement.c.id, statement.c.subject_id, statement.c.predicate, statement.c.object_id,
         statement.c.value_text, sa.type_coerce(statement.c.valid_from, sa.String),
         statement.c.valid_from_precision, sa.type_coerce(statement.c.valid_to, sa.String),
         statement.c.valid_to_precision, sa.type_coerce(statement.c.qualifiers, sa.Text),
         statement.c.recorded_at)


class _Stmt(NamedTuple):
    """A statement as the feed reads it: a Fact's fields it uses, its days parsed once."""

    id: int
    subject: str
    predicate: str
    object: str | None
    value: Any
    valid_from: str | None
    valid_to: str | None
    qualifiers: dict
    start: dt.date | None           # day(valid_from)
    end: dt.date | None             # day(valid_to)
    inferred: str | None            # Fact.inferred
    bound: bool                     # Fact.start_is_bound


def _traits(q: dict) -> tuple[dict, str | None, bool]:
    """The qualifiers with what Fact makes of them: what was inferred, whether the start is
    only a bound."""
    f = Fact(0, "", "", None, None, None, None, q, "asserted", None, None)
    return q, f.inferred, f.start_is_bound


@functools.lru_cache(maxsize=4096)
def _stored_traits(text: str | None) -> tuple[dict, str | None, bool]:
    """``_traits`` of qualifiers stored as JSON text (a national registry holds a few
    hundred distinct ones among ~150k statements: each is parsed once). The dict is shared:
    read it, never change it."""
    return _traits(json.loads(text) or {} if text not in (None, "null", "{}") else {})


def _statements(conn: Connection, where, join=None) -> list[_Stmt]:
    """Statements matching ``where`` (of the subjects in ``join``, a subquery with a
    ``subject_id`` column, when given), without their citations (see ``cite``)."""
    query = sa.select(*_COLS)
    if join is not None:
        query = query.select_from(join.join(statement, statement.c.subject_id
                                            == join.c.subject_id))
    out = []
    dates = _DATES    # (stored day, precision) -> (partial date, its first day)
    for id, subject, pred, obj, text, vf, vfp, vt, vtp, quals, rec in driver_rows(
            conn, query.where(where)):
        q, inferred, bound = (_stored_traits(quals) if not isinstance(quals, dict)
                              else _traits(quals))   # PostgreSQL's driver decodes JSON
        start = dates.get((vf, vfp)) or _dated(vf, vfp)
        end = dates.get((vt, vtp)) or _dated(vt, vtp)
        out.append(_Stmt(id, subject, pred, obj, text, start[0], end[0], q, start[1], end[1],
                         inferred, bound))
    return out


_DATES: dict[tuple, tuple] = {}


def _dated(stored, precision) -> tuple[str | None, dt.date | None]:
    """A stored day and precision as (partial date, first day), kept in ``_DATES`` (a
    national registry holds a few thousand distinct)."""
    partial = _partial(stored, precision)
    got = _DATES[stored, precision] = (partial, day(partial))
    if len(_DATES) > 50_000:
        _DATES.clear()
    return got


def cite(conn: Connection, found: list[Change]) -> None:
    """Each change's citations: those of its statements (each once), in one query."""
    ids = sorted({i for c in found for i in c.statements})
    by_statement: dict[int, list[tuple]] = defaultdict(list)
    # the few hundred sources once, not joined to each of a year's ~50k citations
    sources = {} if not ids else {
        id: (title, url) for id, title, url in driver_rows(
            conn, sa.select(source.c.id, source.c.title, source.c.url))}
    cols = (citation.c.statement_id, citation.c.source_id, citation.c.method,
            citation.c.span_start, citation.c.span_end, citation.c.file, citation.c.row,
            citation.c.locator, citation.c.quote, citation.c.confidence)
    rows = driver_rows(conn, sa.select(*cols).where(among(conn, citation.c.statement_id, ids))
                       # a statement's citations in the order they were written; by
                       # statement first, as the index reads them (no sort of the answer)
                       .order_by(citation.c.statement_id, citation.c.id)) if ids else ()
    for sid, src, method, s0, s1, file, row, locator, quote, conf in rows:
        title, url = sources[src]
        by_statement[sid].append({
            # the fields of query.facts.Citation
            "source_id": src, "source_title": title, "method": method,
            "span": (s0, s1) if s0 is not None else None, "file": file, "row": row,
            "locator": locator, "quote": quote, "url": url, "confidence": conf})
    for c in found:
        if len(c.statements) == 1:
            # one statement's citations are distinct already: the store keeps one per
            # source and locator_key, a function of (span, file, row, locator)
            c.citations = by_statement.get(c.statements[0], [])[:]
            continue
        seen, cites = set(), []
        for i in c.statements:
            for x in by_statement.get(i, ()):
                k = (x["source_id"], x["file"], x["row"], x["span"], x["locator"])
                if k not in seen:
                    seen.add(k)
                    cites.append(x)
        c.citations = cites


def _typed_sides(c: Change) -> list[Side]:
    """The bodies a type filter looks at: the body that changed, or a succession's bodies."""
    return [c.body] if c.body else c.before + c.after


def _side(id: str) -> Side:
    return Side(id, None, id, None)


def _successions(links: list[_Stmt]) -> list[Change]:
    groups: dict[tuple, list[_Stmt]] = defaultdict(list)
    for f in links:
        kind = f.qualifiers.get("change") or "reconfiguration"
        end = _GROUP_BY.get(kind)
        key = (f.valid_from, kind, getattr(f, end) if end else f.id)
        groups[key].append(f)
    out = []
    for (date, kind, _), facts in groups.items():
        before = list(dict.fromkeys(f.subject for f in facts))
        after = list(dict.fromkeys(f.object for f in facts))
        detail = {}
        shares = {f"{f.subject}>{f.object}": f.qualifiers["postcode_share"] for f in facts
                  if "postcode_share" in f.qualifiers}
        if shares:
            detail["postcode_share"] = shares
        bases = sorted({f.qualifiers["basis"] for f in facts if f.qualifiers.get("basis")})
        if bases:
            detail["basis"] = bases
        out.append(Change(date, kind if kind in _ORDER else "reconfiguration",
                          [_side(b) for b in before], [_side(a) for a in after],
                          derived=any(f.qualifiers.get("derived") for f in facts),
                          detail=detail, statements=[f.id for f in facts]))
    return out


def _in(d: dt.date | None, lo: dt.date, hi: dt.date) -> bool:
    return d is not None and lo <= d <= hi


def _starts(f: _Stmt) -> bool:
    """Whether the fact's start is a date it began (not unknown, not only a bound)."""
    return f.valid_from is not None and not f.bound


def _body_changes(subject: str, facts: list[_Stmt], lo: dt.date, hi: dt.date) -> list[Change]:
    by: dict[str, list[_Stmt]] = {}
    for f in facts:
        by.setdefault(f.predicate, []).append(f)
    types = by.get("org_type", [])
    out: list[Change] = []
    opened = closed = None
    if types and all(_starts(f) for f in types):
        first = min(types, key=lambda f: f.start)
        opened = first.valid_from
        if _in(first.start, lo, hi):
            out.append(Change(opened, "open", [], [_side(subject)], _side(subject), "org_type",
                              statements=[first.id],
                              detail={"org_type": first.value}))
    if types and all(f.valid_to for f in types):
        last = max(types, key=lambda f: f.end)
        closed = last.valid_to
        if _in(last.end, lo, hi):
            out.append(Change(closed, "close", [_side(subject)], [], _side(subject), "org_type",
                              derived=last.inferred is not None, statements=[last.id], detail={"org_type": last.value}))
    if types:
        out += _successive(subject, types, "type_change", lo, hi)
    if "name" in by:
        out += _successive(subject, by["name"], "rename", lo, hi)
    for pred in PARENT_LINKS:
        links = by.get(pred)
        if links:
            out += _moves(subject, pred, links, lo, hi, opened, closed)
    return out


def _successive(subject: str, facts: list[_Stmt], kind: str, lo, hi) -> list[Change]:
    """A value that follows a different one (a new name, a new type) from a day in the
    period: the latest earlier value that had not ended before that day is the old one."""
    out = []
    for cur in facts:
        if not (_starts(cur) and _in(cur.start, lo, hi)):
            continue
        start = cur.start
        earlier = [f for f in facts if f is not cur
                   and (f.start is None or f.start < start)
                   and (f.end is None or f.end >= start)]
        if not earlier:
            continue
        prev = max(earlier, key=lambda f: f.start or dt.date.min)
        if value_key(str(prev.value)) == value_key(str(cur.value)):
            continue
        if prev.valid_to and cur.valid_to and prev.end > cur.end:
            continue    # the old value outlasts the new one: two sources disagree (a conflict)
        out.append(Change(cur.valid_from, kind, [_side(subject)], [_side(subject)],
                          _side(subject), cur.predicate,
                          derived=cur.inferred is not None or prev.inferred is not None,
                          detail={"from": prev.value, "to": cur.value},
                          statements=[prev.id, cur.id]))
    return out


def _moves(subject: str, pred: str, links: list[_Stmt], lo, hi, opened, closed) -> list[Change]:
    """Parent links that start or end on a day of the period, by day: a move (one parent
    for another), a join (a new parent, the others kept) or a leave. Links a body starts
    with on its opening day, or ends with on its closing day, are part of that."""
    days: dict[str, tuple[list[_Stmt], list[_Stmt]]] = {}
    for f in links:     # _starts and _in, inline: this loop sees every link of the period
        if (f.start is not None and not f.bound and lo <= f.start <= hi
                and f.valid_from != opened):
            days.setdefault(f.valid_from, ([], []))[1].append(f)
        if f.end is not None and lo <= f.end <= hi and f.valid_to != closed:
            days.setdefault(f.valid_to, ([], []))[0].append(f)
    out = []
    for date, (ended, begun) in days.items():
        olds = {f.object for f in ended}
        news = {f.object for f in begun}
        olds, news = olds - news, news - olds
        if not olds and not news:
            continue
        begun_f = [f for f in begun if f.object in news]
        ended_f = [f for f in ended if f.object in olds]
        detail = {}
        if news and not olds and pred == "accountable_to":
            # one parent at a time: the one it had before, however its end is unknown
            start = day(date)
            prior = [f for f in links if f.object not in news and f.valid_from is not None
                     and f.start < start and f.valid_to is None]
            if prior:
                prev = max(prior, key=lambda f: f.start)
                olds, ended_f = {prev.object}, [prev]
                detail["previous_end"] = "not recorded"
        kind = "move" if olds and news else "join" if news else "leave"
        facts = ended_f + begun_f
        out.append(Change(date, kind, [_side(o) for o in sorted(olds)],
                          [_side(n) for n in sorted(news)], _side(subject), pred,
                          derived=any(f.inferred for f in facts), detail=detail,
                          statements=[f.id for f in facts]))
    return out


def _sides_on(c: Change):
    """Each side of a change with the day it is described on: the day before for the old
    side and the body that closed, the day itself for the rest."""
    d = day(c.date)
    prev = d - dt.timedelta(days=1)
    out = [(s, prev) for s in c.before] + [(s, d) for s in c.after]
    if c.body:
        out.append((c.body, prev if c.kind == "close" else d))
    return out


def _type_sides(conn: Connection, found: list[tuple[Change, list]],
                history: dict[str, list[tuple]]) -> None:
    """Each side's code and type on its day (types already read are not read again);
    ``found``: each change with its ``_sides_on``."""
    missing = {s.id for _, sides in found for s, _ in sides if s.id not in history}
    types = {**types_of(conn, missing), **history}
    held: dict[tuple, tuple] = {}     # a parent is a side of thousands of moves on a day
    for c, sides in found:
        for s, on in sides:
            got = held.get((s.id, on))
            if got is None:
                got = held[s.id, on] = (_code(s.id), _type_on(types.get(s.id, ()), on))
            s.code, s.org_type = got
        if c.kind == "type_change" and c.link == "org_type":
            c.before[0].org_type, c.after[0].org_type = c.detail["from"], c.detail["to"]


def _name_sides(conn: Connection, found: list[tuple[Change, list]]) -> None:
    """Each side's name on its day (a rename's sides: the two names); ``found``: each
    change with its ``_sides_on``."""
    wanted: dict[dt.date, set[str]] = defaultdict(set)
    for _, sides in found:
        for s, on in sides:
            wanted[on].add(s.id)
    names = labels_on(conn, wanted)
    for c, sides in found:
        for s, on in sides:
            s.name = names[on].get(s.id, s.id)
        if c.kind == "rename":
            c.before[0].name, c.after[0].name = c.detail["from"], c.detail["to"]


def _code(id: str) -> str | None:
    prefix, _, code = id.partition(":")
    return code if prefix in ("ods", "ons") and code else None


def types_of(conn: Connection, ids) -> dict[str, list[tuple]]:
    """Every org_type of each body: (type, first day, end day), in no set order."""
    s = statement.c
    ids = sorted(ids)
    out: dict[str, list[tuple]] = defaultdict(list)
    for i in range(0, len(ids), _CHUNK):
        rows = conn.execute(sa.select(s.subject_id, s.value_text, s.valid_from, s.valid_to)
                            .where(s.subject_id.in_(ids[i:i + _CHUNK]),
                                   s.predicate == "org_type", s.status == "asserted",
                                   s.retracted_at.is_(None)))
        for sid, value, vf, vt in rows:
            out[sid].append((value, day(vf), day(vt)))
    return out


def type_held(types, on: dt.date) -> str | None:
    """The type held on the day (of ``types_of``'s rows), if any."""
    held = [t for t in types if (t[1] is None or t[1] <= on) and (t[2] is None or t[2] > on)]
    return held[-1][0] if held else None


def _type_on(types, on: dt.date) -> str | None:
    """The type held on the day; else the nearest one held before it; else after it."""
    held = type_held(types, on)
    if held:
        return held
    before = [t for t in types if t[2] is not None and t[2] <= on]
    if before:
        return max(before, key=lambda t: t[2])[0]
    return min(types, key=lambda t: t[1] or dt.date.min)[0] if types else None
