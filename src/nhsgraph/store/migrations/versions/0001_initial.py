"""Initial schema: entity, source, statement, citation, and full-text search over sources.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""
from alembic import op
import sqlalchemy as sa

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "entity",
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("label", sa.Text),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_entity_kind", "entity", ["kind"])
    op.create_table(
        "source",
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("publisher", sa.Text),
        sa.Column("date", sa.String(10)),
        sa.Column("url", sa.Text),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("document", sa.Text),
        sa.Column("sha256", sa.String(64)),
        sa.Column("text", sa.Text),
        sa.Column("meta", sa.JSON),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_source_sha256", "source", ["sha256"])
    op.create_table(
        "statement",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(40), nullable=False),
        sa.Column("subject_id", sa.String(200), sa.ForeignKey("entity.id"), nullable=False),
        sa.Column("predicate", sa.String(40), nullable=False),
        sa.Column("object_id", sa.String(200), sa.ForeignKey("entity.id")),
        sa.Column("value", sa.JSON),
        sa.Column("value_text", sa.Text),
        sa.Column("value_key", sa.Text),
        sa.Column("valid_from", sa.Date),
        sa.Column("valid_from_precision", sa.SmallInteger),
        sa.Column("valid_to", sa.Date),
        sa.Column("valid_to_precision", sa.SmallInteger),
        sa.Column("qualifiers", sa.JSON),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
        sa.Column("retracted_at", sa.DateTime),
        sa.CheckConstraint("status in ('asserted', 'proposed', 'rejected')",
                           name="ck_statement_status"),
        sa.CheckConstraint("valid_to is null or valid_from is null or valid_to >= valid_from",
                           name="ck_statement_interval"),
        sa.CheckConstraint("object_id is not null or value is not null",
                           name="ck_statement_object"),
    )
    op.create_index("ix_statement_subject", "statement", ["subject_id", "predicate", "valid_from"])
    op.create_index("ix_statement_object", "statement", ["object_id", "predicate"])
    op.create_index("ix_statement_value", "statement", ["predicate", "value_key"])
    op.create_index("ix_statement_key_current", "statement", ["key"], unique=True,
                    sqlite_where=sa.text("retracted_at IS NULL"),
                    postgresql_where=sa.text("retracted_at IS NULL"))
    op.create_table(
        "citation",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("statement_id", sa.Integer, sa.ForeignKey("statement.id"), nullable=False),
        sa.Column("source_id", sa.String(200), sa.ForeignKey("source.id"), nullable=False),
        sa.Column("span_start", sa.Integer),
        sa.Column("span_end", sa.Integer),
        sa.Column("file", sa.Text),
        sa.Column("row", sa.Integer),
        sa.Column("locator", sa.Text),
        sa.Column("locator_key", sa.Text, nullable=False),
        sa.Column("quote", sa.Text),
        sa.Column("method", sa.String(60), nullable=False),
        sa.Column("confidence", sa.Float),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("statement_id", "source_id", "locator_key", name="uq_citation_place"),
    )
    op.create_index("ix_citation_statement", "citation", ["statement_id"])
    op.create_index("ix_citation_source", "citation", ["source_id"])

    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE document_fts USING fts5("
                   "title, text, content='source', content_rowid='rowid')")
        op.execute("CREATE TRIGGER source_fts_insert AFTER INSERT ON source BEGIN "
                   "INSERT INTO document_fts(rowid, title, text) "
                   "VALUES (new.rowid, new.title, new.text); END")
        op.execute("CREATE TRIGGER source_fts_delete AFTER DELETE ON source BEGIN "
                   "INSERT INTO document_fts(document_fts, rowid, title, text) "
                   "VALUES ('delete', old.rowid, old.title, old.text); END")
        op.execute("CREATE TRIGGER source_fts_update AFTER UPDATE ON source BEGIN "
                   "INSERT INTO document_fts(document_fts, rowid, title, text) "
                   "VALUES ('delete', old.rowid, old.title, old.text); "
                   "INSERT INTO document_fts(rowid, title, text) "
                   "VALUES (new.rowid, new.title, new.text); END")
    else:
        op.execute("CREATE INDEX ix_source_fts ON source USING gin "
                   "(to_tsvector('english', coalesce(title, '') || ' ' || coalesce(text, '')))")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS source_fts_insert")
        op.execute("DROP TRIGGER IF EXISTS source_fts_delete")
        op.execute("DROP TRIGGER IF EXISTS source_fts_update")
        op.execute("DROP TABLE IF EXISTS document_fts")
    for table in ("citation", "statement", "source", "entity"):
        op.drop_table(table)
