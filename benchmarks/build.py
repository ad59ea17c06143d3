"""Building the benchmark database: schema by the store's own Alembic migration, rows by
bulk executemany through the DBAPI (sqlite3) in the column forms the Writer uses.

Secondary indexes on ``statement`` and ``citation`` are dropped for the load and recreated
afterwards from their original DDL, so the finished file has exactly the migrated schema.
"""

from __future__ import annotations

import os
import queue
import sqlite3
import threading
import time
from pathlib import Path

from nhsgraph.store import Store

from generate import (CITATION_COLS, ENTITY_COLS, SOURCE_COLS, STATEMENT_COLS, Generator)

_TABLE_COLS = {"entity": ENTITY_COLS, "source": SOURCE_COLS, "statement": STATEMENT_COLS,
               "citation": CITATION_COLS}


def build(path: str | os.PathLike, *, scale: float = 1.0, seed: int = 1,
          log=print) -> dict:
    """Generate a registry into a new SQLite file at ``path``; returns timings and counts."""
    path = Path(path)
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    t0 = time.perf_counter()
    Store.open(path).close()                   # schema via the Alembic migration
    con = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA cache_size=-1000000")
    con.execute("PRAGMA temp_store=MEMORY")
    indexes = con.execute(
        "SELECT name, sql FROM sqlite_master WHERE type='index' AND sql IS NOT NULL "
        "AND tbl_name IN ('statement', 'citation')").fetchall()
    for name, _ in indexes:
        con.execute(f"DROP INDEX {name}")
    con.execute("BEGIN")
    sql = {t: "INSERT INTO {} ({}) VALUES ({})".format(
        t, ", ".join('"%s"' % c for c in cols), ", ".join("?" * len(cols)))
        for t, cols in _TABLE_COLS.items()}
    insert_s = 0.0
    # The generator runs in this thread and the inserts in another (sqlite3 releases the GIL
    # while SQLite works), so generation and insertion overlap on two cores.
    todo: queue.Queue = queue.Queue(maxsize=6)
    failed: list[BaseException] = []

    def insert() -> None:
        nonlocal insert_s
        while (item := todo.get()) is not None:
            if failed:
                continue
            t = time.perf_counter()
            try:
                con.executemany(sql[item[0]], item[1])
            except BaseException as exc:  # reported after the generator finishes
                failed.append(exc)
            insert_s += time.perf_counter() - t

    worker = threading.Thread(target=insert, daemon=True)
    worker.start()
    gen = Generator(lambda table, rows: todo.put((table, rows)), scale=scale, seed=seed)
    try:
        gen.run()
    finally:
        todo.put(None)
        worker.join()
    if failed:
        raise failed[0]
    con.execute("COMMIT")
    t1 = time.perf_counter()
    for name, ddl in indexes:
        con.execute(ddl)
    t2 = time.perf_counter()
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in _TABLE_COLS}
    orgs = con.execute("SELECT count(*) FROM entity WHERE kind='organisation'").fetchone()[0]
    con.close()
    # back to the store's normal journal mode (WAL) and settings
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.close()
    out = {"scale": scale, "seed": seed, "generate_insert_s": t1 - t0, "insert_s": insert_s,
           "index_s": t2 - t1, "total_s": time.perf_counter() - t0, "organisations": orgs,
           "people": gen.n_people, **{f"{t}_rows": n for t, n in counts.items()}}
    log(f"built {path} in {out['total_s']:.1f}s: {counts}")
    return out
