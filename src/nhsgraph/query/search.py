"""Search names, aliases and codes of entities, and the full text of documents."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from nhsgraph.model.predicates import value_key
from nhsgraph.query.facts import labels
from nhsgraph.store.schema import entity, statement


@dataclass
class Hit:
    id: str
    kind: str
    label: str
    matched: str
    field: str


def search_entities(conn: Connection, text: str, *, kind: str | None = None, limit: int = 50,
                    offset: int = 0) -> list[Hit]:
    key = value_key(text)
    if not key:
        return []
    s = statement.c
    q = (sa.select(s.subject_id, entity.c.kind, s.predicate, s.value_text)
         .join(entity, entity.c.id == s.subject_id)
         .where(s.predicate.in_(("name", "alias", "ods_code", "ons_code")),
                s.status == "asserted", s.retracted_at.is_(None),
                s.value_key.like(f"%{key}%"))
         .order_by(sa.func.length(s.value_key), s.subject_id))
    if kind:
        q = q.where(entity.c.kind == kind)
    seen: dict[str, Hit] = {}
    for r in conn.execute(q.limit((limit + offset) * 4)):
        if r.subject_id not in seen:
            seen[r.subject_id] = Hit(r.subject_id, r.kind, "", r.value_text, r.predicate)
    hits = list(seen.values())[offset:offset + limit]
    names = labels(conn, [h.id for h in hits])
    for h in hits:
        h.label = names[h.id]
    return hits


def search_documents(conn: Connection, text: str, *, limit: int = 20) -> list[dict]:
    """Full-text search over held documents: FTS5 on SQLite, tsvector on PostgreSQL."""
    words = [w for w in value_key(text).split() if w]
    if not words:
        return []
    if conn.dialect.name == "sqlite":
        match = " ".join(f'"{w}"' for w in words)
        rows = conn.execute(sa.text(
            "SELECT s.id, s.title, snippet(document_fts, 1, '[', ']', '…', 12) AS snippet "
            "FROM document_fts JOIN source s ON s.rowid = document_fts.rowid "
            "WHERE document_fts MATCH :m ORDER BY rank LIMIT :n"), {"m": match, "n": limit})
    else:
        rows = conn.execute(sa.text(
            "SELECT id, title, ts_headline('english', coalesce(text, ''), q, "
            "'StartSel=[,StopSel=],MaxWords=20,MinWords=5') AS snippet "
            "FROM source, plainto_tsquery('english', :m) q "
            "WHERE to_tsvector('english', coalesce(title, '') || ' ' || coalesce(text, '')) @@ q "
            "LIMIT :n"), {"m": " ".join(words), "n": limit})
    return [dict(r._mapping) for r in rows]
