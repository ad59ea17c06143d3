"""Search names, aliases and codes of entities, and the full text of documents."""

from __future__ import annotations

import json
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from nhsgraph.model.predicates import value_key
from nhsgraph.query.facts import OFFICIAL_ALIASES, labels
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
    """Entities whose name, alias or code contains the words, best first: an exact match
    before one that starts with them before one that contains them; within each, shorter
    first, then a name or code before an official list's alias before other aliases. Aliases read
    from documents (informal: "Cambridge", "the Trust" for a trust in one news story) come
    after every other match: they name the body only in the text they came from."""
    key = value_key(text)
    if not key:
        return []
    s = statement.c
    fit = sa.case((s.value_key == key, 0), (s.value_key.like(f"{key}%"), 1), else_=2)
    q = (sa.select(s.subject_id, entity.c.kind, s.predicate, s.value_text, s.value_key,
                   s.qualifiers, fit.label("fit"))
         .join(entity, entity.c.id == s.subject_id)
         .where(s.predicate.in_(("name", "alias", "ods_code", "ons_code")),
                s.status == "asserted", s.retracted_at.is_(None),
                s.value_key.like(f"%{key}%"))
         .order_by(fit, sa.func.length(s.value_key), s.subject_id))
    if kind:
        q = q.where(entity.c.kind == kind)
    best: dict[str, tuple] = {}
    for r in conn.execute(q.limit((limit + offset) * 4 + 50)):
        doc, tier = _rank(r.predicate, r.qualifiers)
        rank = (doc, r.fit, len(r.value_key or ""), tier, r.subject_id)
        if r.subject_id not in best or rank < best[r.subject_id][0]:
            best[r.subject_id] = (rank, Hit(r.subject_id, r.kind, "", r.value_text, r.predicate))
    hits = [h for _, h in sorted(best.values(), key=lambda x: x[0])][offset:offset + limit]
    names = labels(conn, [h.id for h in hits])
    for h in hits:
        h.label = names[h.id]
    return hits


def _rank(predicate: str, qualifiers) -> tuple[int, int]:
    """(whether read from a document, what kind of name: a name or code, an official list's
    alias, another alias): lower is better."""
    if isinstance(qualifiers, str):
        qualifiers = json.loads(qualifiers)
    q = qualifiers or {}
    if predicate != "alias":
        return (0, 0)
    if any(q.get(k) for k in OFFICIAL_ALIASES):
        return (0, 1)
    return (1, 2) if q.get("informal") else (0, 2)


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
