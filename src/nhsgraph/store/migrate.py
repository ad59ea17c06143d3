"""Alembic, driven from code: ``upgrade(engine)`` brings any database to the current schema.

``is_current(engine)`` answers without importing Alembic (whose import costs a query
command more than its answer): it compares the database's ``alembic_version`` with the
head read from the migration files' ``revision``/``down_revision`` lines.
"""

from __future__ import annotations

import ast
import re
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa

MIGRATIONS = Path(__file__).with_name("migrations")
_REV = re.compile(r"^(down_revision|revision)\s*=\s*(.+?)\s*$", re.M)


def alembic_config(engine: sa.Engine | None = None):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        cfg.attributes["engine"] = engine
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


@lru_cache(maxsize=1)
def _heads_from_files() -> frozenset[str] | None:
    """The head revision(s) read from the migration files; None if they cannot be read
    simply (then Alembic decides)."""
    revs, downs = set(), set()
    for f in (MIGRATIONS / "versions").glob("*.py"):
        found = dict((k, v) for k, v in _REV.findall(f.read_text(encoding="utf-8")))
        if "revision" not in found:
            return None
        try:
            rev = ast.literal_eval(found["revision"])
            down = ast.literal_eval(found.get("down_revision", "None"))
        except Exception:  # noqa: BLE001 - anything but plain literals: let Alembic read it
            return None
        revs.add(rev)
        downs.update(down if isinstance(down, (tuple, list)) else [down] if down else [])
    return frozenset(revs - downs) or None


def current_revision(engine: sa.Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def is_current(engine: sa.Engine) -> bool:
    """Whether the database is at the head revision (read without Alembic when possible)."""
    heads = _heads_from_files()
    if heads is None:
        return current_revision(engine) == head_revision()
    with engine.connect() as conn:
        if not sa.inspect(conn).has_table("alembic_version"):
            return False
        held = set(conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars())
    return held == set(heads)


def upgrade(engine: sa.Engine) -> None:
    """Run pending migrations; cheap when the database is already current."""
    from alembic import command

    if current_revision(engine) == head_revision():
        return
    with engine.begin() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
