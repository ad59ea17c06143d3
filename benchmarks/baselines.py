"""Hand-written SQL answering the benchmarked questions, run with the plain sqlite3 module,
and the normal forms used to check that nhsgraph's answers are the same rows.

These are the simplest indexed queries a person would write against the tables directly:
no ORM, no objects, rows as tuples.
"""

from __future__ import annotations

import json
import sqlite3

from nhsgraph.model.dates import PartialDate

CURRENT = "{a}.status = 'asserted' AND {a}.retracted_at IS NULL"
VALID_ON = "({a}.valid_from IS NULL OR {a}.valid_from <= :d) AND ({a}.valid_to IS NULL OR {a}.valid_to > :d)"

# (a) An organisation's own statements valid on a date, with their citations.
LOOKUP_SQL = f"""
SELECT s.id, s.subject_id, s.predicate, s.object_id, s.value, s.valid_from,
       s.valid_from_precision, s.valid_to, s.valid_to_precision, s.qualifiers, s.status,
       s.recorded_at, s.retracted_at, c.source_id, src.title, src.url, c.method, c.span_start,
       c.span_end, c.file, c.row, c.locator, c.quote, c.confidence
FROM statement s
LEFT JOIN citation c ON c.statement_id = s.id
LEFT JOIN source src ON src.id = c.source_id
WHERE s.subject_id = :id AND {CURRENT.format(a='s')} AND {VALID_ON.format(a='s')}
ORDER BY s.valid_from, s.id, c.id
"""

# (b) Organisations of one type on a date, with their parent by one predicate and the names
# of both on that date (else their latest name); grouped by parent in Python.
_NAME = f"""(SELECT n.value_text FROM statement n
  WHERE n.subject_id = {{who}} AND n.predicate = 'name' AND {CURRENT.format(a='n')}
  ORDER BY ({VALID_ON.format(a='n')}) DESC, n.valid_from DESC LIMIT 1)"""
LANDSCAPE_SQL = f"""
SELECT t.subject_id, t.value_text, p.object_id, {_NAME.format(who='t.subject_id')} AS name,
       {_NAME.format(who='p.object_id')} AS parent_name
FROM statement t
LEFT JOIN statement p ON p.subject_id = t.subject_id AND p.predicate = :by
     AND {CURRENT.format(a='p')} AND {VALID_ON.format(a='p')}
WHERE t.predicate = 'org_type' AND t.value_key = :type_key AND t.value_text = :type
  AND {CURRENT.format(a='t')} AND {VALID_ON.format(a='t')}
"""

# (c) Every succeeded_by link reachable forwards or backwards from an organisation, with
# its citations and the latest names of both ends: one recursive statement.
_LATEST = f"""(SELECT n.value_text FROM statement n
  WHERE n.subject_id = {{who}} AND n.predicate = 'name' AND {CURRENT.format(a='n')}
  ORDER BY n.valid_from DESC LIMIT 1)"""
LINEAGE_SQL = f"""
WITH RECURSIVE
fwd(node, depth) AS (
  SELECT :root, 0
  UNION
  SELECT s.object_id, f.depth + 1 FROM fwd f JOIN statement s ON s.subject_id = f.node
  WHERE s.predicate = 'succeeded_by' AND {CURRENT.format(a='s')} AND f.depth < 40),
bwd(node, depth) AS (
  SELECT :root, 0
  UNION
  SELECT s.subject_id, b.depth + 1 FROM bwd b JOIN statement s ON s.object_id = b.node
  WHERE s.predicate = 'succeeded_by' AND {CURRENT.format(a='s')} AND b.depth < 40)
SELECT s.id, s.subject_id, s.object_id, s.valid_from, s.valid_from_precision, s.qualifiers,
       {_LATEST.format(who='s.subject_id')} AS subject_name,
       {_LATEST.format(who='s.object_id')} AS object_name,
       c.source_id, c.file, c.row
FROM statement s LEFT JOIN citation c ON c.statement_id = s.id
WHERE s.subject_id IN (SELECT node FROM fwd UNION SELECT node FROM bwd)
  AND s.predicate = 'succeeded_by' AND {CURRENT.format(a='s')}
  AND ((s.subject_id IN (SELECT node FROM fwd) AND s.object_id IN (SELECT node FROM fwd))
    OR (s.subject_id IN (SELECT node FROM bwd) AND s.object_id IN (SELECT node FROM bwd)))
ORDER BY s.valid_from, s.id, c.id
"""


def lookup(con: sqlite3.Connection, id: str, d: str) -> list[tuple]:
    return con.execute(LOOKUP_SQL, {"id": id, "d": d}).fetchall()


def landscape(con: sqlite3.Connection, d: str, type: str, by: str = "accountable_to") -> dict:
    from nhsgraph.model.predicates import value_key

    groups: dict = {}
    for row in con.execute(LANDSCAPE_SQL, {"d": d, "type": type, "type_key": value_key(type),
                                           "by": by}):
        groups.setdefault((row[2], row[4]), []).append(row)
    return groups


def lineage(con: sqlite3.Connection, root: str) -> list[tuple]:
    return con.execute(LINEAGE_SQL, {"root": root}).fetchall()


# -- normal forms, for checking that both sides return the same rows -----------------------
def _stored(partial: str | None):
    if partial is None:
        return None, None
    p = PartialDate.parse(partial)
    return p.first.isoformat(), int(p.precision)


def norm_lookup_ours(facts) -> list[tuple]:
    out = []
    for f in facts:
        cites = f.citations or [None]
        for c in cites:
            out.append((f.id, f.subject, f.predicate, f.object, f.value, *_stored(f.valid_from),
                        *_stored(f.valid_to), f.qualifiers or None,
                        c and c.source_id, c and c.source_title, c and c.file, c and c.row))
    return sorted(out, key=repr)


def norm_lookup_base(rows) -> list[tuple]:
    return sorted(((r[0], r[1], r[2], r[3], json.loads(r[4]), r[5], r[6], r[7], r[8],
                    json.loads(r[9]) or None, r[13], r[14], r[19], r[20]) for r in rows), key=repr)


def norm_landscape_ours(land) -> list[tuple]:
    return sorted(((m["id"], m["name"], m["org_type"], g.parent, g.parent_name)
                   for g in land.groups for m in g.members), key=repr)


def norm_landscape_base(groups) -> list[tuple]:
    return sorted(((r[0], r[3], r[1], r[2], r[4]) for rows in groups.values() for r in rows),
                  key=repr)


def norm_lineage_ours(lin) -> list[tuple]:
    return sorted(((f.id, f.subject, f.object, f.subject_label, f.object_label,
                    f.qualifiers.get("change"), c.source_id, c.file, c.row)
                   for f in lin.links for c in f.citations), key=repr)


def norm_lineage_base(rows) -> list[tuple]:
    return sorted(((r[0], r[1], r[2], r[6], r[7], json.loads(r[5]).get("change"), r[8], r[9],
                    r[10]) for r in rows), key=repr)


def lookup_facts(con: sqlite3.Connection, id: str, d: str) -> list:
    """Diagnostic, not a baseline: LOOKUP_SQL through plain sqlite3, then the same Fact and
    Citation objects nhsgraph returns, decoded by nhsgraph's own ``rows_to_facts``. The gap
    between this and Snapshot.lookup is the rest of nhsgraph's lookup path; the gap between
    this and ``lookup`` is the price of typed objects."""
    from nhsgraph.query.facts import rows_to_facts

    # rows_to_facts reads facts_query's columns: LOOKUP_SQL lacks key, value_text and
    # value_key, which it does not need (a text value is then parsed from its JSON).
    return rows_to_facts([(r[0], None, *r[1:5], None, None, *r[5:])
                          for r in lookup(con, id, d)], stored=True)
