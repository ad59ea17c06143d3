"""The tables, as plain as possible so that sqlite3, Datasette or psql can read them.

- ``entity``: organisations, people and events; thin (an id and a kind). What an entity
  *is* at a date lives in statements.
- ``source``: a document or dataset release that statements cite.
- ``statement``: subject, predicate, object or value, valid time [valid_from, valid_to)
  with each bound's precision (1 year, 2 month, 3 day), record time
  [recorded_at, retracted_at), status. Never updated in place except to set
  ``retracted_at`` when it is superseded.
- ``citation``: where a statement is said: source + character span, or file + row, and a
  short quote.
- ``document_fts``: full-text index over source texts (FTS5 on SQLite, tsvector on
  PostgreSQL; created by the migration, not here).
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

entity = sa.Table(
    "entity", metadata,
    sa.Column("id", sa.String(200), primary_key=True),
    sa.Column("kind", sa.String(20), nullable=False, index=True),
    sa.Column("label", sa.Text, nullable=True, doc="a display label; names are statements"),
    sa.Column("created_at", sa.DateTime, nullable=False),
    info={"description": "organisations, people and events: an id and a kind; what an "
                         "entity is at a date is in statement"},
)

source = sa.Table(
    "source", metadata,
    sa.Column("id", sa.String(200), primary_key=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("publisher", sa.Text),
    sa.Column("date", sa.String(10), doc="partial ISO date"),
    sa.Column("url", sa.Text),
    sa.Column("kind", sa.String(30), nullable=False),
    sa.Column("document", sa.Text, doc="file name of the text, when it came from a file"),
    sa.Column("sha256", sa.String(64), index=True),
    sa.Column("text", sa.Text, doc="the document text as read, for documents we hold"),
    sa.Column("meta", sa.JSON),
    sa.Column("recorded_at", sa.DateTime, nullable=False),
    info={"description": "the documents and dataset releases that statements cite"},
)

statement = sa.Table(
    "statement", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("key", sa.String(40), nullable=False, doc="hash of the statement's content"),
    sa.Column("subject_id", sa.String(200), sa.ForeignKey("entity.id"), nullable=False),
    sa.Column("predicate", sa.String(40), nullable=False),
    sa.Column("object_id", sa.String(200), sa.ForeignKey("entity.id"), nullable=True),
    sa.Column("value", sa.JSON, nullable=True),
    sa.Column("value_text", sa.Text, nullable=True, doc="text/code values as written"),
    sa.Column("value_key", sa.Text, nullable=True, doc="value_text normalised for matching"),
    sa.Column("valid_from", sa.Date, nullable=True),
    sa.Column("valid_from_precision", sa.SmallInteger, nullable=True),
    sa.Column("valid_to", sa.Date, nullable=True),
    sa.Column("valid_to_precision", sa.SmallInteger, nullable=True),
    sa.Column("qualifiers", sa.JSON, nullable=True),
    sa.Column("status", sa.String(10), nullable=False),
    sa.Column("recorded_at", sa.DateTime, nullable=False),
    sa.Column("retracted_at", sa.DateTime, nullable=True),
    sa.CheckConstraint("status in ('asserted', 'proposed', 'rejected')", name="ck_statement_status"),
    sa.CheckConstraint("valid_to is null or valid_from is null or valid_to >= valid_from",
                       name="ck_statement_interval"),
    sa.CheckConstraint("object_id is not null or value is not null", name="ck_statement_object"),
    sa.Index("ix_statement_subject", "subject_id", "predicate", "valid_from"),
    sa.Index("ix_statement_object", "object_id", "predicate"),
    sa.Index("ix_statement_value", "predicate", "value_key"),
    # a period's dated statements (the change feed), from two index ranges
    sa.Index("ix_statement_from", "predicate", "valid_from"),
    sa.Index("ix_statement_to", "predicate", "valid_to"),
    sa.Index("ix_statement_key_current", "key", unique=True,
             sqlite_where=sa.text("retracted_at IS NULL"),
             postgresql_where=sa.text("retracted_at IS NULL")),
    info={"description": "dated facts: subject, predicate, object or value, valid from "
                         "(inclusive) to (exclusive), recorded and retracted times, status"},
)

citation = sa.Table(
    "citation", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("statement_id", sa.Integer, sa.ForeignKey("statement.id"), nullable=False),
    sa.Column("source_id", sa.String(200), sa.ForeignKey("source.id"), nullable=False),
    sa.Column("span_start", sa.Integer),
    sa.Column("span_end", sa.Integer),
    sa.Column("file", sa.Text),
    sa.Column("row", sa.Integer),
    sa.Column("locator", sa.Text, doc="free locator: a page, a paragraph, a section"),
    sa.Column("locator_key", sa.Text, nullable=False, doc="canonical locator, for uniqueness"),
    sa.Column("quote", sa.Text),
    sa.Column("method", sa.String(60), nullable=False),
    sa.Column("confidence", sa.Float),
    sa.Column("recorded_at", sa.DateTime, nullable=False),
    sa.Index("ix_citation_statement", "statement_id"),
    sa.Index("ix_citation_source", "source_id"),
    sa.UniqueConstraint("statement_id", "source_id", "locator_key", name="uq_citation_place"),
    info={"description": "where a statement is said: a source and a character span, or a "
                         "file and row, with a short quote and the method"},
)

area_set = sa.Table(
    "area_set", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("source_id", sa.String(200), sa.ForeignKey("source.id"), nullable=False,
              doc="the lookup release the set is read from"),
    sa.Column("area", sa.String(10), nullable=False,
              doc="the small areas' vintage: lsoa11 (2011 LSOAs) or lsoa21 (2021 LSOAs)"),
    sa.Column("level", sa.String(20), nullable=False, doc="the org type of the lookup's level: ccg, sub_icb_location, icb…"),
    sa.Column("body_id", sa.String(200), nullable=False, doc="the entity the areas lie in"),
    sa.Column("valid_on", sa.Date, nullable=False, doc="the date of the lookup's level"),
    sa.Column("areas_count", sa.Integer, nullable=False),
    sa.Column("areas", sa.Text, nullable=False, doc="the area codes, sorted, space-separated"),
    sa.Column("row", sa.Integer, nullable=False, doc="the first file row naming the body"),
    sa.Column("recorded_at", sa.DateTime, nullable=False),
    sa.UniqueConstraint("source_id", "level", "body_id", name="uq_area_set"),
    sa.Index("ix_area_set_body", "body_id", "area"),
    info={"description": "which small areas (LSOAs) each body holds in an ONS lookup "
                         "release: one row per body and release, the data behind the "
                         "crosswalk's lsoa weight"},
)
