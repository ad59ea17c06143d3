"""A source (a document or a dataset release) and the statements that cite it.

The document page and ``/api/sources/{id}`` read this: the source's metadata and text,
and the current statements citing it (asserted or proposed) with the cited spans. A dataset
release is cited by tens of thousands of rows, so the statements come a page at a time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from nhsgraph.errors import NotFound
from nhsgraph.query.facts import Fact, known_at, label_facts, load_facts
from nhsgraph.store.schema import citation, source, statement


@dataclass
class SourceView:
    id: str
    title: str
    kind: str
    publisher: str | None
    date: str | None
    url: str | None
    document: str | None
    sha256: str | None
    text: str | None
    facts: list[Fact] = field(default_factory=list)
    total: int = 0      # citing statements in all, when ``facts`` is one page of them

    def spans(self) -> list[tuple[int, int, int]]:
        """(start, end, statement id) for every cited span of this source, in text order."""
        out = []
        for f in self.facts:
            for c in f.citations:
                if c.source_id == self.id and c.span is not None:
                    out.append((c.span[0], c.span[1], f.id))
        return sorted(out)

    def to_dict(self, *, text: bool = True) -> dict:
        d = {k: getattr(self, k) for k in ("id", "title", "kind", "publisher", "date", "url",
                                              "document", "sha256")}
        d["has_text"] = self.text is not None
        if text:
            d["text"] = self.text
        d["statements"] = [f.to_dict() for f in self.facts]
        return d


def source_view(conn: Connection, id: str, *, statuses=("asserted", "proposed"),
                limit: int | None = None, offset: int = 0) -> SourceView:
    """One source with its current citing statements, in the order they were recorded (a
    dataset's rows in file order): all of them, or ``limit`` from ``offset``."""
    row = conn.execute(sa.select(source).where(source.c.id == id)).first()
    if row is None:
        raise NotFound(f"no source {id!r}")
    s = statement.c
    citing = sa.and_(s.id.in_(sa.select(citation.c.statement_id)
                              .where(citation.c.source_id == id)),
                     s.status.in_(statuses), known_at(None))
    if limit is None and not offset:
        facts = load_facts(conn, citing, order=(s.id,))
        total = len(facts)
    else:
        total = conn.execute(sa.select(sa.func.count()).select_from(statement)
                             .where(citing)).scalar_one()
        page = sa.select(s.id).where(citing).order_by(s.id).limit(limit).offset(offset)
        facts = load_facts(conn, s.id.in_(page), order=(s.id,))
    label_facts(conn, facts)
    return SourceView(row.id, row.title, row.kind, row.publisher, row.date, row.url, row.document,
                      row.sha256, row.text, facts, total)


def has_text(conn: Connection, id: str) -> bool:
    """Whether nhsgraph holds the source's text (a document, not a dataset release)."""
    found = conn.execute(sa.select(source.c.text.is_not(None)).where(source.c.id == id)).first()
    if found is None:
        raise NotFound(f"no source {id!r}")
    return bool(found[0])


def statement_fact(conn: Connection, id: int) -> Fact:
    """One statement by id (current or superseded), with its citations."""
    found = load_facts(conn, statement.c.id == id)
    if not found:
        raise NotFound(f"no statement {id}")
    label_facts(conn, found)
    return found[0]
