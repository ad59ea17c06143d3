"""A Datasette ``metadata.json`` for an nhsgraph SQLite file (``datasette registry.db -m
metadata.json``): title, licence, sources, a description of each table and column (from
``store.schema``), and the full-text search table of ``source``.

The FTS table is ``document_fts``, declared ``content="source"`` (migration 0002) so that
Datasette finds it by itself; ``fts_table``/``fts_pk`` say so explicitly too, and
``_search=`` on the source table (or ``_search_title=``/``_search_text=``) searches it.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy.engine import Connection

from nhsgraph.errors import BadInput
from nhsgraph.services.exports import publishers
from nhsgraph.store.schema import metadata as schema

FTS = {"source": {"fts_table": "document_fts", "fts_pk": "rowid"}}
OGL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


def document(conn: Connection, database: str) -> dict:
    """The metadata for the database Datasette names ``database`` (the file's stem)."""
    if conn.dialect.name != "sqlite":
        raise BadInput("--format datasette-metadata: Datasette reads SQLite files; this "
                       f"store is {conn.dialect.name}")
    tables = {}
    for table in schema.sorted_tables:
        t = {"description": table.info.get("description", "")}
        cols = {c.name: c.doc for c in table.columns if c.doc}
        if cols:
            t["columns"] = cols
        t.update(FTS.get(table.name, {}))
        tables[table.name] = t
    held = publishers(conn)
    return {
        "title": "nhsgraph: English NHS bodies over time, every fact dated and cited",
        "description": "A temporal registry of English NHS organisations. Each row of "
                       "statement is a fact valid from valid_from (inclusive) to valid_to "
                       "(exclusive); citation says where each is stated.",
        "license": "Open Government Licence v3.0 (the ODS and ONS data it imports); each "
                   "statement cites its source",
        "license_url": OGL,
        "source": "; ".join(f"{p} ({n} sources)" for p, n in held) or "the source table",
        "databases": {database: {"tables": tables}},
    }


def write(conn: Connection, path: Path, progress=None, *, database: str) -> int:
    """Write metadata.json; returns how many tables it describes."""
    doc = document(conn, database)
    Path(path).write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return len(doc["databases"][database]["tables"])
