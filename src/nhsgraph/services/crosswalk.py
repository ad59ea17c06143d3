"""Re-key a table of codes valid on one date to the bodies of a type on another date.

Each code is followed forward, through the successions dated after the first day and up to
the second (``succeeded_by``), to bodies alive on the second day; a body that is not of the
type asked for is taken to its parent of that type on the second day (``member_of``,
``accountable_to``). With ``weight="practices"`` the route is the body's member practices
instead: the practices that were its members on the first day, and their commissioners of
the type on the second (ODS epcmem/epraccur memberships), each practice counting one.

Where a body goes several ways (a split), its values are shared out by a weight the store
holds, and every row says which:

- ``equal``: equal shares, said as such (no data behind them);
- ``postcode``: the ``postcode_share`` of each succession (held for PCT 2012 -> CCG 2013
  from the imported PCT->CCG lookup);
- ``practices``: member practices, as above;
- ``lsoa``: small-area overlap. The code's LSOAs in the ONS lookup nearest the first day
  that lists it, counted in the bodies of the type in the lookup nearest the second day
  (``query.areas``); each row names both lookups, and where one is of 2011 LSOAs and the
  other of 2021 LSOAs, that they were matched by code and how many were not found. A
  code no LSOA lookup lists follows its successions, and a split on the way has no LSOA
  weight (unmapped, unless ``fallback``);
- ``population``: refused. No registered-population figure (practice list sizes, GP
  registrations counts) is held: nothing is guessed in its place.

A split with no held weight under ``postcode``, or a body with no member practices under
``practices``, leaves the code unmapped (listed with the reason), unless ``fallback`` asks
for equal shares, which the row then says. Merges sum: every input row that reaches a body
adds its (weighted) values to that body's row.

Example: crosswalk_file(conn, "ccg19.csv", "2019-04-01", "2020-04-01", "ccg")
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from nhsgraph.errors import BadFile, BadInput, BadRow
from nhsgraph.model.dates import PartialDate
from nhsgraph.model.predicates import check_org_types
from nhsgraph.query.changes import PARENT_LINKS, type_held, types_of
from nhsgraph.query.areas import AreaLookups
from nhsgraph.query.facts import day, known_at, labels, valid_on
from nhsgraph.store.schema import statement

WEIGHTS = ("equal", "postcode", "practices", "population", "lsoa")
NOT_HELD = {
    "population": "registered populations are not held: the data has no practice list "
                  "sizes or registered-patient counts, only which practices a body had "
                  "(use --weight lsoa, practices, postcode or equal)",
}
MAX_STEPS = 12
# Types that a column of codes may mix: bodies that did the same job (a care trust
# commissioned as a PCT did; a sub-ICB location is the CCG kept; an FT is a trust).
SAME_KIND = {"care_trust": "pct", "sub_icb_location": "ccg", "foundation_trust": "nhs_trust"}
_CHUNK = 500


@dataclass
class Route:
    """One way a code reaches a body of the type: the codes it went through, the kind of
    each step, and the share of the code's values it carries."""

    target: str
    share: float
    chain: list[str]
    kinds: list[str]
    weight: str

    def describe(self) -> str:
        steps = self.chain[0] + "".join(f" -{k}-> {c}" for k, c in zip(self.kinds, self.chain[1:]))
        return f"{steps} ×{self.share:.4g} ({self.weight})"


@dataclass
class Mapping:
    code: str
    id: str | None
    routes: list[Route] = field(default_factory=list)
    reason: str | None = None        # why it is not mapped

    def to_dict(self, names: dict[str, str]) -> dict:
        return {"code": self.code, "id": self.id, "reason": self.reason,
                "mapped": [{"id": r.target, "code": _code(r.target),
                            "name": names.get(r.target, r.target), "share": r.share,
                            "chain": r.chain, "kinds": r.kinds, "weight": r.weight,
                            "how": r.describe()} for r in self.routes]}


def check_weight(weight: str) -> str:
    if weight not in WEIGHTS:
        raise BadInput(f"unknown weight {weight!r}; known: {', '.join(WEIGHTS)}")
    if weight in NOT_HELD:
        raise BadInput(f"weight {weight}: {NOT_HELD[weight]}")
    return weight


def _code(id: str) -> str:
    return id.partition(":")[2] or id


class WrongKind(BadInput):
    """A code of another type than the column's."""

    def __init__(self, code: str, message: str):
        self.code = code
        super().__init__(message)


class _Graph:
    """What the walk needs, read in bulk: successions in the period, types, parents on
    the second day, practice memberships."""

    def __init__(self, conn: Connection, d1: dt.date, d2: dt.date, org_type: str, known=None):
        self.conn, self.d1, self.d2, self.type, self.known = conn, d1, d2, org_type, known
        s = statement.c
        self.live = sa.and_(s.status == "asserted", known_at(known))
        self.next: dict[str, list[tuple]] = defaultdict(list)
        for sub, obj, vf, quals in conn.execute(sa.select(
                s.subject_id, s.object_id, s.valid_from, s.qualifiers).where(
                self.live, s.predicate == "succeeded_by", s.valid_from > d1,
                s.valid_from <= d2)):
            self.next[sub].append((day(vf), obj, quals or {}))
        self.types: dict[str, list[tuple]] = {}
        self.parents: dict[str, list[str]] = {}

    def load_types(self, ids) -> None:
        new = [i for i in ids if i not in self.types]
        if new:
            got = types_of(self.conn, new)
            for i in new:
                self.types[i] = got.get(i, [])

    def type_on(self, id: str, on: dt.date) -> str | None:
        return type_held(self.types.get(id, ()), on)

    def load_parents(self, ids) -> None:
        """Parents on the second day (member_of and accountable_to), with their types."""
        new = sorted(i for i in ids if i not in self.parents)
        s = statement.c
        for i in range(0, len(new), _CHUNK):
            chunk = new[i:i + _CHUNK]
            for c in chunk:
                self.parents[c] = []
            for sub, obj, pred in self.conn.execute(sa.select(
                    s.subject_id, s.object_id, s.predicate).where(
                    self.live, s.subject_id.in_(chunk), s.predicate.in_(PARENT_LINKS),
                    valid_on(self.d2))):
                self.parents[sub].append((obj, pred))
        self.load_types({o for c in new for o, _ in self.parents[c]})

    def members_on(self, parents: list[str], on: dt.date) -> dict[str, list[str]]:
        """Practices (subjects of member_of) of each parent on a day."""
        s = statement.c
        out: dict[str, set[str]] = defaultdict(set)
        for i in range(0, len(parents), _CHUNK):
            for sub, obj in self.conn.execute(sa.select(s.subject_id, s.object_id).where(
                    self.live, s.predicate == "member_of",
                    s.object_id.in_(parents[i:i + _CHUNK]), valid_on(on))):
                out[obj].add(sub)
        return {k: sorted(v) for k, v in out.items()}


def code_map(conn: Connection, codes: list[str], start, end, org_type: str, *,
             weight: str = "equal", fallback: bool = False, known=None,
             kind: str | None = None) -> dict[str, Mapping]:
    """Where each code (valid on ``start``) goes among the bodies of ``org_type`` on
    ``end``. ``kind``: the type the codes must be of on ``start`` (else the first mapped
    code's type); a code of another type raises BadInput naming it.

    Example: code_map(conn, ["00C", "00K"], "2019-04-01", "2020-04-01", "ccg")["00K"].routes
    """
    d1, d2 = PartialDate.parse(start).first, PartialDate.parse(end).first
    if d2 < d1:
        raise BadInput(f"the day to re-key to ({end}) is before the codes' day ({start})")
    (org_type,) = check_org_types([org_type])
    check_weight(weight)
    g = _Graph(conn, d1, d2, org_type, known)
    wanted = list(dict.fromkeys(c.strip().upper() for c in codes))
    ids = {c: f"ods:{c}" for c in wanted}
    g.load_types(ids.values())
    ids.update(_by_ons_code(conn, [c for c in wanted if not g.types[ids[c]]]))
    g.load_types(ids.values())
    out: dict[str, Mapping] = {}
    walked: dict[str, tuple[list, str | None]] = {}
    practice_route = weight == "practices"
    members = g.members_on([ids[c] for c in wanted], d1) if practice_route else {}
    if practice_route:
        g.load_parents({p for ps in members.values() for p in ps})
    areas = AreaLookups.read(conn) if weight == "lsoa" else None
    overlaps = {}
    for code in wanted:
        id = ids[code]
        m = out[code] = Mapping(code, id)
        if not g.types[id]:
            m.id, m.reason = None, "unknown code: no body with this ODS or ONS code is held"
            continue
        held = {SAME_KIND.get(t[0], t[0]) for t in g.types[id]
                if (t[1] is None or t[1] <= d1) and (t[2] is None or t[2] > d1)}
        if not held:
            m.reason = f"not open on {d1}"
            continue
        t1 = sorted(held)[0]
        if kind is None:
            kind = t1
        elif kind not in held:     # two sources may give two types: either will do
            raise WrongKind(code, f"code {code} is {_a(t1)} on {d1}, not {_a(kind)} like the "
                                  f"codes before it")
        if practice_route and members.get(id):
            m.routes = _via_practices(g, code, members[id])
            if not m.routes:
                m.reason = f"none of its {len(members[id])} practices is in {_a(org_type)} on {d2}"
            continue
        if practice_route and not fallback:
            m.reason = f"no member practices held on {d1} (--fallback shares equally)"
            continue
        if areas is not None:
            ov = areas.overlap(id, d1, d2, org_type)
            if not isinstance(ov, str):
                overlaps[code] = ov
                continue
        walked[code] = _walk(g, code, id, weight, fallback)
    g.load_types({b for ov in overlaps.values() for b in ov.counts})
    for code, ov in overlaps.items():
        out[code].routes, out[code].reason = _via_areas(g, code, ov)
    # the bodies reached, their types and parents read at once for every code
    ends = {n for done, _ in walked.values() for n, *_ in done}
    g.load_types(ends)
    g.load_parents({n for n in ends if g.type_on(n, g.d2) != g.type})
    for code, (done, reason) in walked.items():
        out[code].routes, out[code].reason = _finish(g, done) if reason is None else ([], reason)
    return out


def _by_ons_code(conn: Connection, codes: list[str]) -> dict[str, str]:
    """The bodies of ONS codes (E38…, E16…) among ``codes``, where one body holds the code."""
    s = statement.c
    found: dict[str, set[str]] = defaultdict(set)
    keys = {c.lower(): c for c in codes}
    items = sorted(keys)
    for i in range(0, len(items), _CHUNK):
        for subject, key in conn.execute(sa.select(s.subject_id, s.value_key).where(
                s.predicate == "ons_code", s.value_key.in_(items[i:i + _CHUNK]),
                s.status == "asserted", s.retracted_at.is_(None))):
            found[keys[key]].add(subject)
    return {c: next(iter(v)) for c, v in found.items() if len(v) == 1}


def _via_practices(g: _Graph, code: str, practices: list[str]) -> list[Route]:
    counts: dict[str, int] = defaultdict(int)
    for p in practices:
        for obj, _pred in g.parents.get(p, ()):
            if g.type_on(obj, g.d2) == g.type:
                counts[obj] += 1
                break
    total = sum(counts.values())
    return [Route(t, n / total, [code, _code(t)], [f"{n} of {len(practices)} practices"],
                  "practices") for t, n in sorted(counts.items())]


def _via_areas(g: _Graph, code: str, ov) -> tuple[list[Route], str | None]:
    """The routes of a code by LSOA overlap (``query.areas.Overlap``), or why none: every
    body its LSOAs reach must be of the type on the second day."""
    if not ov.counts:
        return [], f"none of its {ov.total} LSOAs is in a body of {ov.second.describe()}"
    stale = sorted(b for b in ov.counts if g.type_on(b, g.d2) != g.type)
    if stale:
        where = ", ".join(f"{_code(b)} ({ov.counts[b]})" for b in stale)
        return [], (f"the LSOA lookup nearest {g.d2} ({ov.second.describe()}) puts its LSOAs "
                    f"in {where}, not {_a(g.type)} on {g.d2}")
    matched = sum(ov.counts.values())
    weight = ov.weight()
    return [Route(b, n / matched, [code, _code(b)], [f"{n} of {ov.total} LSOAs"], weight)
            for b, n in ov.counts.items()], None


def _walk(g: _Graph, code: str, id: str, weight: str, fallback: bool):
    """Follow successions from ``id`` to the bodies they end at (see ``_finish``); or the
    reason it cannot."""
    frontier = [(id, 1.0, [code], [], g.d1, "")]
    done: list[tuple] = []
    for _ in range(MAX_STEPS):
        step = []
        for node, share, chain, kinds, since, used in frontier:
            links = [ln for ln in g.next.get(node, ()) if ln[0] > since]
            if not links:
                done.append((node, share, chain, kinds, used))
                continue
            first = min(ln[0] for ln in links)
            links = [ln for ln in links if ln[0] == first]
            shares, how = _split(links, weight, fallback)
            if shares is None:
                return [], how
            for (when, obj, q), part in zip(links, shares):
                step.append((obj, share * part, chain + [_code(obj)],
                             kinds + [q.get("change", "succession")], when,
                             used if len(links) == 1 else how))
        frontier = step
        if not frontier:
            break
    else:
        return [], f"more than {MAX_STEPS} successions"
    return done, None


def _finish(g: _Graph, done: list[tuple]):
    """The routes of the bodies a walk reached: each one itself if of the type on the
    second day, else its one parent of the type."""
    routes: dict[str, Route] = {}
    lost = []
    for node, share, chain, kinds, used in done:
        target, extra = node, None
        if g.type_on(node, g.d2) != g.type:
            ups = [(o, p) for o, p in g.parents.get(node, ()) if g.type_on(o, g.d2) == g.type]
            if len(ups) != 1:
                t = g.type_on(node, g.d2)
                lost.append(f"{_code(node)} ({t or 'not open'} on {g.d2}"
                            f"{', several parents of the type' if ups else ''})")
                continue
            target, extra = ups[0]
        r = routes.get(target)
        if r is None:
            r = routes[target] = Route(target, 0.0, chain + ([_code(target)] if extra else []),
                                       kinds + ([extra] if extra else []), used or "whole")
        r.share += share
    if lost:
        return [], f"reaches no {g.type} on {g.d2} through {', '.join(lost)}"
    return sorted(routes.values(), key=lambda r: r.target), None


def _split(links, weight: str, fallback: bool):
    """The shares of a body's successors on one day, and the weight that gave them."""
    n = len(links)
    if n == 1:
        return [1.0], "whole"
    if weight == "postcode":
        held = [q.get("postcode_share") for _, _, q in links]
        if all(isinstance(x, (int, float)) for x in held) and sum(held) > 0:
            return [x / sum(held) for x in held], "postcode"
        if not fallback:
            old = ", ".join(sorted({_code(o) for _, o, _ in links}))
            return None, f"split into {old} with no postcode shares held (--fallback shares equally)"
        return [1 / n] * n, "equal (fallback: no postcode shares held)"
    if weight == "lsoa":
        if not fallback:
            old = ", ".join(sorted({_code(o) for _, o, _ in links}))
            return None, (f"split into {old}, and no LSOA lookup lists the body that split "
                          "(--fallback shares equally)")
        return [1 / n] * n, "equal (fallback: no LSOA lookup lists it)"
    return [1 / n] * n, "equal" if weight == "equal" else "equal (fallback)"


# -- tables -------------------------------------------------------------------------------
@dataclass
class Crosswalk:
    """A re-keyed table: a row per body reached, the codes it could not map, the totals."""

    columns: list[str]
    rows: list[dict]
    unmapped: list[dict]
    totals_in: dict[str, float]
    totals_out: dict[str, float]
    totals_unmapped: dict[str, float]
    weight: str

    def to_dict(self) -> dict:
        return self.__dict__.copy()


def read_table(path: str | Path, code_column: str | None = None,
               value_columns: list[str] | None = None):
    """The code column and numeric columns of a CSV, checked: a missing column, or a value
    that is not a number, is a BadRow naming the file, line and column."""
    path = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadFile(path, f"cannot read: {exc}") from None
    reader = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(reader, [])]
    if not header:
        raise BadRow(path, 1, "empty file: expected a header naming a code column")
    if code_column is None:
        code_column = header[0]
    if code_column not in header:
        raise BadRow(path, 1, f"no column {code_column!r} (columns: {', '.join(header)})")
    ci = header.index(code_column)
    values = value_columns or [h for h in header if h != code_column]
    missing = [v for v in values if v not in header]
    if missing:
        raise BadRow(path, 1, f"no column {', '.join(map(repr, missing))} "
                              f"(columns: {', '.join(header)})")
    vi = [header.index(v) for v in values]
    rows = []
    for line, f in enumerate(reader, start=2):
        if not any(x.strip() for x in f):
            continue
        if len(f) != len(header):
            raise BadRow(path, line, f"{len(f)} fields, the header has {len(header)}")
        code = f[ci].strip().upper()
        if not code.isalnum() or len(code) > 12:
            raise BadRow(path, line, f"column {code_column!r}: {f[ci]!r} is not an "
                                     f"organisation code")
        nums = []
        for col, i in zip(values, vi):
            try:
                x = float(f[i].replace(",", "")) if f[i].strip() else math.nan
            except ValueError:
                x = math.nan
            if math.isnan(x) or math.isinf(x):
                raise BadRow(path, line, f"column {col!r}: {f[i]!r} is not a number "
                                         f"(choose the columns to sum with --value-column)")
            nums.append(x)
        rows.append((line, code, nums))
    return code_column, values, rows


def crosswalk_file(conn: Connection, path, start, end, org_type: str, *,
                   code_column: str | None = None, value_columns: list[str] | None = None,
                   weight: str = "equal", fallback: bool = False) -> Crosswalk:
    """Re-key a CSV (first column, or ``code_column``, holds the codes; the others, or
    ``value_columns``, are summed) to the bodies of ``org_type`` on ``end``."""
    check_weight(weight)
    code_column, values, rows = read_table(path, code_column, value_columns)
    try:
        mapped = code_map(conn, [c for _, c, _ in rows], start, end, org_type, weight=weight,
                          fallback=fallback)
    except WrongKind as exc:
        line = next(ln for ln, c, _ in rows if c == exc.code)
        raise BadRow(str(path), line, f"column {code_column!r}: {exc}") from None
    out: dict[str, dict] = {}
    unmapped = []
    t_in = [0.0] * len(values)
    t_out = [0.0] * len(values)
    t_un = [0.0] * len(values)
    for line, code, nums in rows:
        t_in = [a + b for a, b in zip(t_in, nums)]
        m = mapped[code]
        if not m.routes:
            unmapped.append({"line": line, "code": code, "reason": m.reason})
            t_un = [a + b for a, b in zip(t_un, nums)]
            continue
        for r in m.routes:
            row = out.setdefault(r.target, {"values": [0.0] * len(values), "how": {}})
            row["values"] = [a + b * r.share for a, b in zip(row["values"], nums)]
            row["how"][code] = r.describe()
            t_out = [a + b * r.share for a, b in zip(t_out, nums)]
    names = labels(conn, list(out), PartialDate.parse(end).first)
    table = [{"code": _code(t), "name": names.get(t, t),
              **{v: _round(x) for v, x in zip(values, row["values"])},
              "inputs": len(row["how"]), "how": "; ".join(row["how"].values())}
             for t, row in sorted(out.items())]
    return Crosswalk(["code", "name", *values, "inputs", "how"], table, unmapped,
                     dict(zip(values, map(_round, t_in))), dict(zip(values, map(_round, t_out))),
                     dict(zip(values, map(_round, t_un))), weight)


def _round(x: float) -> float:
    return round(x, 6)


def code_map_data(conn: Connection, codes: list[str], start, end, org_type: str,
                  weight: str = "equal", fallback: bool = False) -> dict:
    """``code_map`` as JSON: each code's targets (code, name on ``end``, share, chain)."""
    mapped = code_map(conn, codes, start, end, org_type, weight=weight, fallback=fallback)
    targets = {r.target for m in mapped.values() for r in m.routes}
    names = labels(conn, targets, PartialDate.parse(end).first)
    items = [m.to_dict(names) for m in mapped.values()]
    return {"from": str(start), "to": str(end), "type": org_type, "weight": weight,
            "codes": items, "unmapped": [i["code"] for i in items if not i["mapped"]]}


# Type names read letter by letter ("an ICB", "a CCG") before the first underscore.
_INITIALISMS = {"ccg", "csu", "gp", "icb", "ics", "nhs", "nhse", "pcn", "pct", "sha", "stp"}


def _a(org_type: str) -> str:
    """The type with its article, as a message reads it: "an icb", "a ccg", "an nhs_trust",
    "a foundation_trust"."""
    head = org_type.split("_")[0]
    vowel = head[0] in "aefhilmnorsx" if head in _INITIALISMS else head[0] in "aeiou"
    return f"{'an' if vowel else 'a'} {org_type}"
