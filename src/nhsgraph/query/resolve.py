"""Finding an entity from what a person types: an id, an ODS or ONS code, a name or an alias."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from rapidfuzz import fuzz, process
from sqlalchemy.engine import Connection

from nhsgraph.errors import AmbiguousMatch, NotFound
from nhsgraph.model.predicates import value_key
from nhsgraph.store.schema import entity, statement

_NAME_PREDICATES = ("name", "alias")
_CODE_PREDICATES = ("ods_code", "ons_code")


@dataclass
class Match:
    id: str
    kind: str
    label: str
    matched: str
    how: str  # id | code | name | alias | fuzzy


def _current(s):
    return sa.and_(s.status == "asserted", s.retracted_at.is_(None))


# Built once (building them was a tenth of a served organisation answer).
_BY_ID = sa.select(entity.c.id, entity.c.kind).where(
    entity.c.id.in_(sa.bindparam("ids", expanding=True)))


def _by_key(of_kind: bool):
    s = statement.c
    q = (sa.select(s.subject_id, s.predicate, s.value_text, entity.c.kind)
         .join(entity, entity.c.id == s.subject_id)
         .where(s.predicate.in_(_NAME_PREDICATES + _CODE_PREDICATES),
                s.value_key == sa.bindparam("key"), _current(s)))
    if of_kind:
        q = q.where(entity.c.kind == sa.bindparam("kind"))
    return q.limit(200)


_BY_KEY, _BY_KEY_OF_KIND = _by_key(False), _by_key(True)


def candidates(conn: Connection, text: str, *, kind: str | None = None, limit: int = 20,
               labelled: bool = True) -> list[Match]:
    """Every entity whose id, code, name or alias matches ``text`` exactly (normalised),
    with its display name as ``label`` (left empty when not ``labelled``)."""
    text = text.strip()
    hits: dict[str, Match] = {}
    row = conn.execute(_BY_ID, {"ids": [text]}).first()
    if row is None and ":" not in text:
        row = conn.execute(_BY_ID, {"ids": [f"ods:{text.upper()}", f"ons:{text.upper()}"]}).first()
    if row is not None and (kind is None or row.kind == kind):
        hits[row.id] = Match(row.id, row.kind, "", text, "id")
    for r in conn.execute(_BY_KEY_OF_KIND if kind else _BY_KEY,
                          {"key": value_key(text), "kind": kind}):
        how = "code" if r.predicate in _CODE_PREDICATES else r.predicate
        if r.subject_id not in hits or hits[r.subject_id].how == "alias":
            hits[r.subject_id] = Match(r.subject_id, r.kind, "", r.value_text, how)
    found = list(hits.values())[:limit]
    return _labelled(conn, found) if labelled else found


def _labelled(conn: Connection, hits: list[Match]) -> list[Match]:
    """``hits``, each with its display name as ``label``."""
    from nhsgraph.query.facts import labels

    names = labels(conn, [m.id for m in hits])
    for m in hits:
        m.label = names[m.id]
    return hits


def closest(conn: Connection, text: str, *, kind: str | None = None, limit: int = 5) -> list[str]:
    """The names nearest to ``text``, for an error message: prefix/substring first, then fuzzy."""
    s = statement.c
    key = value_key(text)
    q = (sa.select(s.value_text).join(entity, entity.c.id == s.subject_id)
         .where(s.predicate.in_(_NAME_PREDICATES), _current(s)))
    if kind:
        q = q.where(entity.c.kind == kind)
    words = [w for w in key.split() if len(w) > 2]
    if words:
        longest = max(words, key=len)
        subset = list(dict.fromkeys(conn.execute(
            q.where(s.value_key.like(f"%{longest}%")).limit(2000)).scalars()))
    else:
        subset = []
    if len(subset) < limit:
        subset += list(dict.fromkeys(conn.execute(q.limit(20000)).scalars()))
    found = process.extract(text, list(dict.fromkeys(subset)), scorer=fuzz.WRatio, limit=limit)
    return [name for name, score, _ in found if score >= 50]


def resolve(conn: Connection, text: str, *, kind: str | None = None,
            labelled: bool = True) -> Match:
    """One entity for ``text``, or an error listing the candidates; the entity's display
    name is its ``label`` unless not ``labelled`` (a caller that names it otherwise skips
    reading its names)."""
    if not text or not text.strip():
        raise NotFound("nothing to look up")
    hits = candidates(conn, text, kind=kind, labelled=labelled)
    if len(hits) == 1:
        return hits[0]
    if not hits:
        hits = _containing(conn, text, kind=kind)
        if len(hits) == 1:
            return hits[0]
    if not hits:
        what = kind or "organisation or person"
        raise NotFound(f"no {what} called {text!r}", closest(conn, text, kind=kind))
    strong = [h for h in hits if h.how in ("id", "code", "name")]
    if len(strong) == 1:
        return strong[0]
    if not labelled:
        hits = _labelled(conn, hits)
    raise AmbiguousMatch(f"{text!r} could be {len(hits)} entities",
                         [f"{h.label} ({h.id})" for h in hits])


def _containing(conn: Connection, text: str, *, kind: str | None = None) -> list[Match]:
    """Entities one of whose names holds every word of ``text`` as whole words."""
    words = value_key(text).split()
    if not words:
        return []
    s = statement.c
    q = (sa.select(s.subject_id, entity.c.kind, s.value_text, s.value_key)
         .join(entity, entity.c.id == s.subject_id)
         .where(s.predicate.in_(_NAME_PREDICATES), _current(s),
                *[s.value_key.like(f"%{w}%") for w in words]))
    if kind:
        q = q.where(entity.c.kind == kind)
    hits: dict[str, Match] = {}
    for r in conn.execute(q.limit(500)):
        have = set(r.value_key.split())
        if all(w in have for w in words) and r.subject_id not in hits:
            hits[r.subject_id] = Match(r.subject_id, r.kind, "", r.value_text, "contains")
    return _labelled(conn, list(hits.values()))
