"""The SQLite file in Datasette: Datasette's own detect_fts finds the full-text table of
``source`` (migration 0002), its test client answers a ``_search=`` query, and the
``metadata.json`` nhsgraph writes is one Datasette takes. Search keeps working on both
backends, and 0001 databases are upgraded with their documents still found."""

from __future__ import annotations

import asyncio
import json
import sqlite3

import pytest
import sqlalchemy as sa

from conftest import PG_URL
from nhsgraph import export as formats
from nhsgraph.query import search_documents
from nhsgraph.store import Store
from nhsgraph.store.migrate import alembic_config, upgrade
from nhsgraph.store.schema import metadata as schema
from webutil import load_mini_with_text

sqlite_only = pytest.mark.skipif(bool(PG_URL), reason="Datasette reads SQLite files")


def test_document_search_still_works_after_the_migration(store):
    load_mini_with_text(store)
    with store.reader() as conn:
        hits = search_documents(conn, "Northshire Integrated Care Board")
    assert [h["id"] for h in hits] == ["src:test-registry"]


@sqlite_only
def test_datasette_detects_the_fts_table_and_answers_a_search(store, tmp_path):
    datasette_utils = pytest.importorskip("datasette.utils")
    from datasette.app import Datasette

    load_mini_with_text(store)
    path = tmp_path / "test.db"
    conn = sqlite3.connect(path)
    assert datasette_utils.detect_fts(conn, "source") == "document_fts"
    conn.close()
    meta = tmp_path / "metadata.json"
    with store.reader() as c:
        described = formats.write("datasette-metadata", c, meta, database="test")
    doc = json.loads(meta.read_text())
    tables = doc["databases"]["test"]["tables"]
    assert described == len(tables) == len(schema.sorted_tables)
    assert all(t["description"] for t in tables.values())
    assert doc["databases"]["test"]["tables"]["source"]["fts_table"] == "document_fts"
    assert doc["databases"]["test"]["tables"]["statement"]["columns"]["value_text"]

    async def ask():
        ds = Datasette([str(path)], metadata=doc)
        await ds.invoke_startup()
        found = await ds.client.get("/test/source.json?_search=Gamma&_shape=objects")
        missing = await ds.client.get("/test/source.json?_search=Wessex&_shape=objects")
        table = await ds.client.get("/test/statement.json?_size=0")
        return found, missing, table

    found, missing, table = asyncio.run(ask())
    assert found.status_code == 200, found.text
    assert [r["id"] for r in found.json()["rows"]] == ["src:test-registry"]
    assert missing.json()["rows"] == []
    assert table.status_code == 200


@sqlite_only
def test_datasette_metadata_refuses_a_non_sqlite_store_in_words():
    from nhsgraph.errors import BadInput
    from nhsgraph.export.datasette import document

    class FakePg:      # only the dialect's name is read before refusing
        class dialect:
            name = "postgresql"

    with pytest.raises(BadInput, match="Datasette reads SQLite files; this store is postgresql"):
        document(FakePg(), "x")


@sqlite_only
def test_a_0001_database_is_upgraded_and_its_documents_found_by_datasette(tmp_path):
    from alembic import command
    from datasette.utils import detect_fts

    path = tmp_path / "old.db"
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.exec_driver_sql(
            "INSERT INTO source (id, title, kind, text, recorded_at) VALUES "
            "('src:old', 'Old minutes', 'web', 'The cluster board met in Trowbridge.', "
            "'2026-01-01 00:00:00')")
    raw = sqlite3.connect(path)
    assert detect_fts(raw, "source") is None        # 0001's content='source': not found
    raw.close()
    upgrade(engine)
    engine.dispose()
    raw = sqlite3.connect(path)
    assert detect_fts(raw, "source") == "document_fts"
    raw.close()
    store = Store.open(path)
    with store.reader() as conn:
        assert [h["id"] for h in search_documents(conn, "trowbridge")] == ["src:old"]
    # the triggers declared again keep the index in step with source
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE source SET text = 'It met in Devizes.' WHERE id = 'src:old'")
    with store.reader() as conn:
        assert search_documents(conn, "trowbridge") == []
        assert [h["id"] for h in search_documents(conn, "devizes")] == ["src:old"]
    with store.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM source WHERE id = 'src:old'")
    with store.reader() as conn:
        assert search_documents(conn, "devizes") == []
    store.close()
