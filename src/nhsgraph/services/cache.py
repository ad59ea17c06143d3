"""Whole answers kept per process while the store has not changed: the landscape of a day
and the list of conflicts take ~1 s on the real registry, and their answer for given
arguments changes only when something is written.

"Not changed" is asked of the database, cheaply and never stale: on SQLite,
``PRAGMA data_version`` of a connection kept for watching (it changes whenever any other
connection, in any process, commits); on PostgreSQL, the WAL insert position (it moves
with every write to the cluster, so it misses now and then but never serves an answer
older than a commit). The marker is read before the answer is computed, so a write that
lands in between only causes a miss later. Elsewhere, and on in-memory SQLite, nothing is
kept; nor when ``$NHSGRAPH_ANSWER_CACHE`` is ``off`` (to measure the computed answers).
Callers must not change what they are given.

Answers are kept by weight: an answer of a known size (the encoded bytes of an
organisation's answer, ~16 kB) weighs its size, any other counts as HEAVY, and the least
recently used go first once a store's answers weigh more than MAX_BYTES.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import weakref
from collections import OrderedDict
from typing import Any, Callable
from urllib.parse import quote

from sqlalchemy.engine import Connection, Engine

MAX_BYTES = 64 * 2**20    # per store and process
HEAVY = 2 * 2**20         # the weight of an answer of unknown size (a landscape, conflicts)
CACHE_ENV = "NHSGRAPH_ANSWER_CACHE"


class _Kept:
    def __init__(self):
        self.lock = threading.Lock()
        self.answers: OrderedDict = OrderedDict()     # key -> (marker, value, weight)
        self.weight = 0
        self.watch: sqlite3.Connection | None = None


_stores: "weakref.WeakKeyDictionary[Engine, _Kept]" = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def _kept(engine: Engine) -> _Kept:
    with _lock:
        k = _stores.get(engine)
        if k is None:
            k = _stores[engine] = _Kept()
        return k


def marker(conn: Connection) -> Any:
    """Something that differs whenever the store has changed since; None: cannot tell."""
    engine = conn.engine
    if os.environ.get(CACHE_ENV, "").lower() in ("off", "0", "no"):
        return None
    if engine.dialect.name == "postgresql":
        return conn.exec_driver_sql(
            "SELECT CASE WHEN pg_is_in_recovery() OR NOT has_function_privilege("
            "'pg_current_wal_insert_lsn()', 'EXECUTE') THEN NULL "
            "ELSE pg_current_wal_insert_lsn()::text END").scalar()
    if engine.dialect.name != "sqlite":
        return None
    db = engine.url.database
    if not db or db == ":memory:":
        return None
    k = _kept(engine)
    with k.lock:
        if k.watch is None:
            uri = db if db.startswith("file:") else f"file:{quote(db)}?mode=ro"
            k.watch = sqlite3.connect(uri, uri=True, check_same_thread=False)
        return k.watch.execute("PRAGMA data_version").fetchone()[0]


def answer(conn: Connection, key: tuple, compute: Callable[[], Any],
           size: Callable[[Any], int] | None = None) -> Any:
    """``compute()``, or the answer kept for ``key`` if the store has not changed since;
    ``size`` gives an answer's weight in bytes (HEAVY when None)."""
    mark = marker(conn)
    if mark is None:
        return compute()
    k = _kept(conn.engine)
    with k.lock:
        hit = k.answers.get(key)
        if hit is not None and hit[0] == mark:
            k.answers.move_to_end(key)
            return hit[1]
    value = compute()
    weight = size(value) if size else HEAVY
    with k.lock:
        old = k.answers.pop(key, None)
        if old is not None:
            k.weight -= old[2]
        k.answers[key] = (mark, value, weight)
        k.weight += weight
        while k.weight > MAX_BYTES and len(k.answers) > 1:
            k.weight -= k.answers.popitem(last=False)[1][2]
    return value
