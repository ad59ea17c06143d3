"""The store: SQLAlchemy tables, Alembic migrations, transactional writes."""

from nhsgraph.store.store import Store, Writer, WriteResult, database_url, now

__all__ = ["Store", "Writer", "WriteResult", "database_url", "now"]
