"""Full-text search table declared so that Datasette finds it: ``content="source"``.

Datasette (``datasette.utils.detect_fts``) finds the FTS table of a table ``T`` by reading
``sqlite_master`` for a virtual table whose SQL says ``content="T"`` or ``content=[T]``;
0001 wrote ``content='source'`` (single quotes), which FTS5 accepts but Datasette does not
recognise, so the ``source`` table had no search box. The index is the same: same columns,
same external content, same triggers; it is declared again and rebuilt from ``source``.
PostgreSQL searches with a tsvector index on ``source`` and has nothing to change.

Revision ID: 0002_datasette_fts
Revises: 0001
Create Date: 2026-12-03
"""
from alembic import op

revision = "0002_datasette_fts"
down_revision = "0001"
branch_labels = None
depends_on = None

# The triggers that keep the external-content index in step with source, as 0001 made
# them: the trigger's event, and which row images it writes ("old" deletes, "new" inserts).
_TRIGGERS = {"source_fts_insert": ("INSERT", ("new",)),
             "source_fts_delete": ("DELETE", ("old",)),
             "source_fts_update": ("UPDATE", ("old", "new"))}
_WRITE = {"old": "INSERT INTO document_fts(document_fts, rowid, title, text) "
                 "VALUES ('delete', old.rowid, old.title, old.text);",
          "new": "INSERT INTO document_fts(rowid, title, text) "
                 "VALUES (new.rowid, new.title, new.text);"}


def _declare(content: str) -> None:
    """Drop and create document_fts with ``content`` (the quoted table name), its triggers,
    and fill it again from ``source``."""
    for name in _TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS document_fts")
    op.execute("CREATE VIRTUAL TABLE document_fts USING fts5("
               f"title, text, content={content}, content_rowid=\"rowid\")")
    for name, (event, images) in _TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} AFTER {event} ON source BEGIN "
                   + " ".join(_WRITE[i] for i in images) + " END")
    op.execute("INSERT INTO document_fts(document_fts) VALUES ('rebuild')")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _declare('"source"')


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _declare("'source'")
