"""Opening a database and writing to it in transactions.

``Store.open`` takes a file path (SQLite, WAL mode) or a SQLAlchemy URL (PostgreSQL) and
brings the schema up to date with Alembic. All writes go through a ``Writer`` inside one
transaction: if anything fails half-way, nothing is kept.

Opening fails with one of nhsgraph's own errors, never a driver's traceback: ``NoDatabase``
(``create=False`` and no such file), ``NotADatabase``, ``StoreUnreachable`` (a server),
``ReadOnlyStore`` (the schema needs writing, or a write is tried, where nothing can be
written: a read-only SQLite file is opened read-only, without forcing WAL mode on it) and
``MissingDependency`` (a URL whose driver is not installed, with the extra to install).
"""

from __future__ import annotations

import datetime as dt
import os
from contextlib import contextmanager
from functools import lru_cache
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator
from urllib.parse import quote

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from nhsgraph.errors import (BadInput, MissingDependency, NhsgraphError, NoDatabase, NotADatabase,
                             ReadOnlyStore, StoreError, StoreUnreachable, UnresolvedReference)
from nhsgraph.model.predicates import CONTROL_CHARS, PREDICATES, value_key
from nhsgraph.model.statements import CitationIn, SourceIn, StatementIn, check_kind
from nhsgraph.store.schema import citation, entity, source, statement

DEFAULT_DB = "nhsgraph.db"
_CHUNK = 500
_SQLITE_CHUNK = 2000       # bound parameters per IN (...) on the DBAPI cursor
_STATEMENT_COLS = ("key", "subject_id", "predicate", "object_id", "value", "value_text",
                   "value_key", "valid_from", "valid_from_precision", "valid_to",
                   "valid_to_precision", "qualifiers", "status", "recorded_at", "retracted_at")
# Secondary indexes that a bulk load drops and builds again before it commits: not the
# unique ones (idempotency rests on them) and not ix_statement_subject (imports read by it).
_BULK_DEFERRED = ("ix_statement_object", "ix_statement_value", "ix_statement_from",
                  "ix_statement_to", "ix_citation_statement", "ix_citation_source")
_CITATION_COLS = ("statement_id", "source_id", "locator_key", "span_start", "span_end", "file",
                  "row", "locator", "quote", "method", "confidence", "recorded_at")


def _apply_memo(proc, values) -> list:
    """``[proc(v) for v in values]``, computed once per distinct scalar value (keyed by type
    too, so that 1, 1.0 and True stay apart); flat dicts (qualifiers) by their items, in
    order and with their types, which is all their serialisation depends on."""
    cache: dict = {}
    out = []
    append = out.append
    for v in values:
        t = type(v)
        k = (t, tuple((n, type(x), x) for n, x in v.items())) if t is dict else (t, v)
        try:
            r = cache[k]
        except KeyError:
            r = cache[k] = proc(v)
        except TypeError:           # unhashable (nested values): no memo
            r = proc(v)
        append(r)
    return out


def database_url(db: str | os.PathLike | None = None) -> str:
    """A file path or a URL; ``None`` means $NHSGRAPH_DB, then ./nhsgraph.db."""
    db = str(db or os.environ.get("NHSGRAPH_DB") or DEFAULT_DB)
    if "://" in db:
        if db.startswith("postgresql://"):
            db = "postgresql+psycopg://" + db[len("postgresql://"):]
        if db.startswith("postgres://"):
            db = "postgresql+psycopg://" + db[len("postgres://"):]
        return db
    if db == ":memory:":
        return "sqlite://"
    return "sqlite:///" + str(Path(db).expanduser().resolve())


@lru_cache(maxsize=65536)
def _value_key(text: str) -> str:
    return value_key(text)


def _sqlite_pragmas(dbapi_conn, _record):
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _sqlite_read_pragmas(dbapi_conn, _record):
    """A read-only SQLite file: WAL mode is a change to the file, so it is not asked for."""
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


# Drivers by URL scheme, and the extra that installs each.
_DRIVERS = {"postgresql": ("psycopg", "postgres")}


def _shown(url: str) -> str:
    """A URL fit for an error message: no password."""
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a URL too malformed to parse is shown as given
        return url.split("@")[-1]


def translate_db_error(exc: BaseException, where: str) -> StoreError:
    """One of nhsgraph's errors for a driver's error on the database ``where``."""
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    low = text.lower()
    if "not a database" in low or "malformed" in low or "file is encrypted" in low:
        return NotADatabase(f"{where}: not an SQLite database ({text})")
    if "readonly" in low or "read-only" in low or "permission denied" in low:
        return ReadOnlyStore(f"{where}: cannot write to this database ({text})")
    if "locked" in low or "busy" in low:
        return StoreError(f"{where}: the database is busy (another process holds it); try again")
    if isinstance(exc, sa.exc.OperationalError) and "sqlite" not in type(orig).__module__:
        return StoreUnreachable(f"{where}: cannot connect ({text})")
    return StoreError(f"{where}: {text}")


def now() -> dt.datetime:
    """Record time: naive UTC with microseconds, the same on SQLite and PostgreSQL."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def _missing_driver(url: str, exc: ImportError) -> NhsgraphError:
    scheme = url.split("://", 1)[0].split("+", 1)[0]
    module, extra = _DRIVERS.get(scheme, (getattr(exc, "name", None) or "its driver", None))
    hint = (f': pip install "nhsgraph[{extra}]"' if extra
            else "; nhsgraph supports SQLite paths and postgresql:// URLs")
    return MissingDependency(f"{_shown(url)}: the {scheme} driver ({module}) is not "
                             f"installed{hint}")


class Store:
    """A database holding nhsgraph's tables."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.where = engine.url.render_as_string(hide_password=True)

    readonly = False

    @classmethod
    def open(cls, db: str | os.PathLike | None = None, *, migrate: bool = True,
             create: bool = True) -> "Store":
        """Open (and, with ``migrate``, create or upgrade) a database. ``create=False``:
        a SQLite file that does not exist is refused (``NoDatabase``) instead of created."""
        url = database_url(db)
        where = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else _shown(url)
        kwargs: dict = {}
        readonly = False
        if url.startswith("sqlite:///"):
            path = Path(url.removeprefix("sqlite:///"))
            if path.is_dir():
                raise NotADatabase(f"{path}: is a directory, not a database")
            if not path.exists():
                if not create:
                    raise NoDatabase(f"{path}: no such database (create one with "
                                     f"`nhsgraph --db {path} init` or an import)")
                if not path.parent.is_dir():
                    raise StoreError(f"{path}: cannot create the database: no folder "
                                     f"{path.parent}")
                if not os.access(path.parent, os.W_OK):
                    raise ReadOnlyStore(f"{path}: cannot create the database: {path.parent} "
                                        "is read-only")
            else:
                place_ok = os.access(path.parent, os.W_OK)
                readonly = not (os.access(path, os.W_OK) and place_ok)
                if readonly:
                    # Read it where it lies: with the folder read-only too, SQLite cannot
                    # make the WAL index beside it, and the file must be read as immutable.
                    mode = "mode=ro" if place_ok else "immutable=1"
                    url = f"sqlite:///file:{quote(str(path))}?{mode}&uri=true"
        if url.startswith("sqlite"):
            kwargs["connect_args"] = {"check_same_thread": False}
            if url == "sqlite://":
                kwargs["poolclass"] = sa.pool.StaticPool
        try:
            engine = sa.create_engine(url, **kwargs)
        except sa.exc.NoSuchModuleError:
            scheme = url.split("://", 1)[0]
            raise BadInput(f"{where}: unsupported database URL ({scheme}://); use a SQLite file "
                           "path or a postgresql:// URL") from None
        except ImportError as exc:
            raise _missing_driver(url, exc) from None
        if engine.dialect.name == "sqlite":
            sa.event.listen(engine, "connect",
                            _sqlite_read_pragmas if readonly else _sqlite_pragmas)
        store = cls(engine)
        store.readonly = readonly
        store.where = where
        try:
            with engine.connect() as conn:   # reach it now: errors at open, not mid-command
                if engine.dialect.name == "sqlite":
                    conn.exec_driver_sql("PRAGMA schema_version").scalar()
            if migrate:
                from nhsgraph.store.migrate import is_current, upgrade

                if not is_current(engine):
                    if readonly:
                        raise ReadOnlyStore(f"{where}: read-only, and its schema needs "
                                            "creating or upgrading (nhsgraph init)")
                    upgrade(engine)
        except ImportError as exc:
            engine.dispose()
            raise _missing_driver(url, exc) from None
        except sa.exc.DBAPIError as exc:
            engine.dispose()
            raise translate_db_error(exc, where) from None
        return store

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def writer(self, *, recorded_at: dt.datetime | None = None) -> Iterator["Writer"]:
        """One transaction: everything written inside it is kept, or nothing is."""
        if self.readonly:
            raise ReadOnlyStore(f"{self.where}: read-only; nothing was written")
        with self.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                # psycopg prepares a query run five times; PostgreSQL may then reuse one
                # generic plan, made while an import's tables were still empty (a sequential
                # scan), for every later key lookup: the real folder took 9 minutes instead
                # of one. Inside a write, custom plans see the rows written so far; reads
                # keep the cached plans (a fresh plan per read doubled a lookup's cost).
                conn.exec_driver_sql("SET LOCAL plan_cache_mode = force_custom_plan")
            if conn.dialect.name == "sqlite":
                # pysqlite would begin only at the first INSERT/UPDATE/DELETE, leaving the
                # reads and DDL before it outside the transaction: begin here, and take the
                # write lock at once (the writer numbers new rows from what it reads).
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            yield Writer(conn, recorded_at or now())

    @contextmanager
    def reader(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    def counts(self) -> dict[str, int]:
        with self.reader() as conn:
            return {t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                    for t in (entity, source, statement, citation)}


@dataclass
class WriteResult:
    added: int = 0
    unchanged: int = 0
    citations_added: int = 0
    retracted: int = 0
    ids: list[int] = field(default_factory=list)


class Writer:
    """Writes entities, sources and statements inside one open transaction."""

    def __init__(self, conn: Connection, recorded_at: dt.datetime):
        self.conn = conn
        self.recorded_at = recorded_at
        self._kinds: dict[str, str] = {}
        self._sources: set[str] = set()
        # For each source this writer created: the statements it has given citations of
        # that source (a superset, after discard_unrecorded). Only those can hold one
        # already, so a write citing a new release looks for nothing in the database.
        self._fresh: dict[str, set[int]] = {}
        # The current statements' ids by content key, as this writer has seen them (found
        # or written); retract and discard_unrecorded drop theirs. A release restating
        # what the previous one said finds its keys here, not in the database.
        self._live: dict[str, int] = {}
        self._key_of: dict[int, str] = {}
        self._watches: list[set[str]] = []

    @contextmanager
    def watching_subjects(self) -> Iterator[set[str]]:
        """A set that gains, inside the block, the subject of every statement given to
        ``add_many`` (added, or gaining citations); it stops growing when the block ends
        (a folder import writes several groups with one writer)."""
        subjects: set[str] = set()
        self._watches.append(subjects)
        try:
            yield subjects
        finally:
            self._watches.remove(subjects)

    def _insert_many(self, table: sa.Table, rows: list[dict]) -> None:
        """Bulk insert of dict rows (all with the same columns)."""
        if not rows:
            return
        cols = tuple(rows[0])
        self._insert_rows(table, cols, [tuple(r[c] for c in cols) for r in rows])

    def _insert_rows(self, table: sa.Table, cols: tuple[str, ...], rows: list[tuple]) -> None:
        """Bulk insert of tuple rows in ``cols`` order. On SQLite: the columns' own bind
        processors, applied column by column (memoised for repeated scalar values: dates,
        the record time, codes), then the DBAPI cursor's executemany (SQLAlchemy's per-row
        parameter handling cost more than the insert itself). On PostgreSQL: COPY, with
        the same bind processors (JSON values wrapped for psycopg), several times faster
        than executemany. Elsewhere: SQLAlchemy Core executemany."""
        if not rows:
            return
        dialect = self.conn.dialect
        if dialect.name == "postgresql" and dialect.driver == "psycopg":
            procs = [table.c[c].type.dialect_impl(dialect).bind_processor(dialect)
                     for c in cols]
            cur = self.conn.connection.driver_connection.cursor()
            try:
                with cur.copy(f"COPY {table.name} ({', '.join(cols)}) FROM STDIN") as copy:
                    for r in rows:
                        copy.write_row([v if p is None else p(v) for p, v in zip(procs, r)])
            finally:
                cur.close()
            return
        if dialect.name != "sqlite":
            for i in range(0, len(rows), 5000):
                self.conn.execute(table.insert(), [dict(zip(cols, r)) for r in rows[i:i + 5000]])
            return
        columns = None
        for j, c in enumerate(cols):
            # dialect_impl first: on SQLite, Date and DateTime only get their ISO-text
            # processors from the dialect's own types (sa.Date().bind_processor is None).
            proc = table.c[c].type.dialect_impl(dialect).bind_processor(dialect)
            if proc is None:
                continue
            if columns is None:
                columns = list(zip(*rows))
            columns[j] = _apply_memo(proc, columns[j])
        params = rows if columns is None else list(zip(*columns))
        sql = (f"INSERT INTO {table.name} ({', '.join(cols)}) "
               f"VALUES ({', '.join('?' * len(cols))})")
        cur = self.conn.connection.driver_connection.cursor()
        try:
            cur.executemany(sql, params)
        finally:
            cur.close()

    def _select_in(self, sql: str, values: list, select: sa.Select | None = None,
                   column: sa.ColumnElement | None = None, after: list = ()) -> Iterator[tuple]:
        """Rows of ``sql`` (whose one ``IN ({})`` takes ``values``), in chunks; ``after``: the
        parameters of any ``?`` after it. On SQLite the plain SQL runs on the DBAPI cursor
        of the same connection (and transaction); elsewhere
        ``select.where(column.in_(chunk))`` runs through SQLAlchemy."""
        if not values:
            return
        if self.conn.dialect.name != "sqlite":
            for i in range(0, len(values), _CHUNK):
                yield from self.conn.execute(select.where(column.in_(values[i:i + _CHUNK])))
            return
        cur = self.conn.connection.driver_connection.cursor()
        try:
            for i in range(0, len(values), _SQLITE_CHUNK):
                chunk = values[i:i + _SQLITE_CHUNK]
                yield from cur.execute(sql.format(",".join("?" * len(chunk))),
                                       chunk + list(after)).fetchall()
        finally:
            cur.close()

    @contextmanager
    def bulk_load(self, expected: int, *, minimum: int = 10_000) -> Iterator[bool]:
        """For a batch of about ``expected`` statements (at least ``minimum``) into a store
        holding fewer: some secondary indexes are dropped for the batch and built once at
        the end, which costs less than keeping them up to date row by row. DDL is
        transactional on SQLite and PostgreSQL, so if the batch fails the rollback brings
        them back as they were. (On PostgreSQL the table is locked against readers until
        commit, which a near-empty store can afford.) Yields whether it did."""
        held = 0
        if expected >= minimum:
            some = sa.select(statement.c.id).limit(expected).subquery()
            held = self.conn.execute(sa.select(sa.func.count()).select_from(some)).scalar_one()
        if expected < minimum or held >= expected:
            yield False
            return
        deferred = [ix for t in (statement, citation) for ix in t.indexes
                    if ix.name in _BULK_DEFERRED]
        for ix in deferred:
            ix.drop(self.conn)
        yield True
        for ix in deferred:
            ix.create(self.conn)

    # -- entities and sources -------------------------------------------------------
    def ensure_entity(self, id: str, kind: str, label: str | None = None) -> bool:
        """Create the entity if it is new; returns True when it was created."""
        return self.ensure_entities([(id, kind, label)]) == 1

    def ensure_entities(self, rows: Iterable[tuple[str, str, str | None]]) -> int:
        """Create the entities that are new: (id, kind, label) rows; returns how many were."""
        rows = {r[0]: r for r in rows}
        for id, (_, kind, _) in rows.items():
            check_kind(kind)
            if not id or len(id) > 200 or CONTROL_CHARS.search(id):  # id is String(200)
                raise BadInput(f"bad entity id {id!r}")
        known = self._kind_of(list(rows))
        new = []
        for id, (_, kind, label) in rows.items():
            if label and CONTROL_CHARS.search(label):
                raise BadInput(f"entity {id}: control character in its label {label!r}")
            if id in known:
                if known[id] != kind:
                    raise BadInput(f"entity {id} is a {known[id]}, not a {kind}")
                continue
            new.append({"id": id, "kind": kind, "label": label, "created_at": self.recorded_at})
        self._insert_many(entity, new)
        self._kinds.update({r["id"]: r["kind"] for r in new})
        return len(new)

    def fill_labels(self, rows: Iterable[tuple[str, str, str | None]]) -> int:
        """Give a display label to entities that have none yet: (id, kind, label) rows."""
        want = {r[0]: r[2] for r in rows if r[2]}
        if not want:
            return 0
        bare = []
        ids = list(want)
        for i in range(0, len(ids), _CHUNK):
            bare += self.conn.execute(sa.select(entity.c.id).where(
                entity.c.id.in_(ids[i:i + _CHUNK]), entity.c.label.is_(None))).scalars().all()
        if bare:
            self.conn.execute(entity.update().where(entity.c.id == sa.bindparam("b_id"))
                              .values(label=sa.bindparam("b_label")),
                              [{"b_id": id, "b_label": want[id]} for id in bare])
        return len(bare)

    def ensure_source(self, src: SourceIn) -> bool:
        """Create the source if new. A source's text, once held, is never changed."""
        if src.id in self._sources:
            return False
        row = self.conn.execute(sa.select(source.c.sha256, source.c.text)
                                .where(source.c.id == src.id)).first()
        if row is not None:
            if src.text is not None and row.text is not None and row.text != src.text:
                raise BadInput(f"source {src.id} already holds a different text")
            if src.text is not None and row.text is None:
                self.conn.execute(source.update().where(source.c.id == src.id)
                                  .values(text=src.text, sha256=src.sha256))
            self._sources.add(src.id)
            return False
        values = {k: getattr(src, k) for k in ("id", "title", "kind", "publisher", "date", "url",
                                                "document", "sha256", "text", "meta")}
        self.conn.execute(source.insert().values(**values, recorded_at=self.recorded_at))
        # A source is an entity too, so that statements can point at it (described_in).
        self.ensure_entity(src.id, "source", src.title)
        self._sources.add(src.id)
        self._fresh[src.id] = set()
        return True

    def _kind_of(self, ids: list[str]) -> dict[str, str]:
        kinds = self._kinds
        missing = [i for i in ids if i not in kinds]
        kinds.update(self._select_in("SELECT id, kind FROM entity WHERE id IN ({})", missing,
                                     sa.select(entity.c.id, entity.c.kind), entity.c.id))
        return {i: kinds[i] for i in ids if i in kinds}

    def _check_sources(self, ids: set[str]) -> None:
        missing = sorted(ids - self._sources)
        for i in range(0, len(missing), _CHUNK):
            chunk = missing[i:i + _CHUNK]
            found = set(self.conn.execute(sa.select(source.c.id).where(source.c.id.in_(chunk)))
                        .scalars())
            self._sources |= found
            lost = set(chunk) - found
            if lost:
                raise UnresolvedReference(f"citation to unknown source(s): {', '.join(sorted(lost))}")

    # -- statements -----------------------------------------------------------------
    def add(self, st: StatementIn) -> int:
        """Add one statement (or find it, if the same fact is already held); returns its id."""
        return self.add_many([st]).ids[0]

    def add_many(self, statements: Iterable[StatementIn]) -> WriteResult:
        """Add statements in bulk. The same fact stated again only gains new citations."""
        sts = list(statements)
        result = WriteResult()
        if not sts:
            return result
        self._check_references(sts)
        for watch in self._watches:
            watch.update(st.subject for st in sts)
        keys = [st.key for st in sts]
        existing = self.current_ids(keys)
        held_before = set(existing.values())
        new_rows, new_keys, seen = [], [], set()
        for st, key in zip(sts, keys):
            if key in existing or key in seen:
                continue
            seen.add(key)
            new_keys.append(key)
            new_rows.append(self._row(st, key))
        if new_rows:
            written = dict(zip(new_keys, self._insert_statements(new_rows, new_keys)))
            existing.update(written)
            self._remember(written)
        result.added = len(new_rows)
        result.unchanged = len(sts) - len(new_rows)
        result.ids = [existing[k] for k in keys]
        result.citations_added = self._add_citations(
            [(existing[k], c) for st, k in zip(sts, keys) for c in st.citations], held_before)
        return result

    def _insert_statements(self, rows: list[tuple], keys: list[str]) -> list[int]:
        """Insert statement rows (``_STATEMENT_COLS``); their ids, in order. INSERT ..
        RETURNING with sort_by_parameter_order runs one statement per row on SQLite (~10x
        slower), so: on SQLite, ids numbered on from the largest held, safe because the
        transaction's snapshot either stays the latest or SQLite refuses the write (BUSY);
        elsewhere a plain executemany, then the ids by key (unique among current ones)."""
        if self.conn.dialect.name != "sqlite":
            self._insert_rows(statement, _STATEMENT_COLS, rows)
            found = dict(self._current_ids(keys))
            return [found[k] for k in keys]
        start = (self.conn.exec_driver_sql("SELECT max(id) FROM statement").scalar() or 0) + 1
        ids = list(range(start, start + len(rows)))
        self._insert_rows(statement, ("id",) + _STATEMENT_COLS,
                          [(i,) + r for i, r in zip(ids, rows)])
        return ids

    def current_ids(self, keys: Iterable[str]) -> dict[str, int]:
        """The ids of the current (not retracted) statements with these content keys (those
        held: a key with none is left out)."""
        keys = list(keys)
        live = self._live
        out = {k: live[k] for k in keys if k in live}
        missing = [k for k in dict.fromkeys(keys) if k not in out]
        if missing:
            found = dict(self._current_ids(missing))
            self._remember(found)
            out.update(found)
        return out

    def _remember(self, ids: dict[str, int]) -> None:
        self._live.update(ids)
        key_of = self._key_of
        for k, i in ids.items():
            key_of[i] = k

    def _forget(self, statement_ids: Iterable[int]) -> None:
        for i in statement_ids:
            k = self._key_of.pop(i, None)
            if k is not None and self._live.get(k) == i:
                del self._live[k]

    def _current_ids(self, keys: list[str]) -> Iterator[tuple[str, int]]:
        """(key, id) of the current (not retracted) statements with these content keys."""
        return self._select_in(
            "SELECT key, id FROM statement WHERE retracted_at IS NULL AND key IN ({})", keys,
            sa.select(statement.c.key, statement.c.id).where(statement.c.retracted_at.is_(None)),
            statement.c.key)

    def _check_references(self, sts: list[StatementIn]) -> None:
        ids = {st.subject for st in sts} | {st.object for st in sts if st.object}
        kinds = self._kind_of(list(ids))
        for st in sts:
            pred = PREDICATES[st.predicate]
            kind = kinds.get(st.subject)
            if kind is None:
                raise UnresolvedReference(f"{st.predicate}: unknown subject {st.subject!r}")
            if kind not in pred.domain:
                raise BadInput(f"{st.predicate} cannot describe a {kind} ({st.subject})")
            if st.object:
                okind = kinds.get(st.object)
                if okind is None:
                    raise UnresolvedReference(
                        f"{st.subject} {st.predicate}: unknown object {st.object!r}")
                if pred.range and okind not in pred.range:
                    raise BadInput(f"{st.predicate} cannot point at a {okind} ({st.object})")
        self._check_sources({c.source_id for st in sts for c in st.citations})

    def _row(self, st: StatementIn, key: str) -> tuple:
        """A statement's row, in _STATEMENT_COLS order."""
        value = st.value
        text = value if isinstance(value, str) else None
        vf, vt = st.valid_from, st.valid_to
        return (key, st.subject, st.predicate, st.object, value, text,
                _value_key(text) if text is not None else None,
                vf.first if vf else None, int(vf.precision) if vf else None,
                vt.first if vt else None, int(vt.precision) if vt else None,
                st.qualifiers or None, st.status, self.recorded_at, None)

    def _add_citations(self, pairs: list[tuple[int, CitationIn]],
                       held_before: set[int] | None = None) -> int:
        """Add the citations not yet held. ``held_before``: the statement ids that existed
        before this write (when known); only those can hold citations already."""
        if not pairs:
            return 0
        wanted = {}
        for sid, c in pairs:
            wanted.setdefault((sid, c.source_id, c.locator_key), c)
        # Only the citations from these sources can be the same (a statement seen in ten
        # releases holds ten; an import adds one release's), and of a source this writer
        # created, only on the statements it has cited.
        fresh = self._fresh
        look = {(sid, src) for sid, src, _ in wanted
                if (held_before is None or sid in held_before)
                and (src not in fresh or sid in fresh[src])}
        srcs = sorted({src for _, src in look})
        sids = sorted({sid for sid, _ in look})
        have = set() if not look else {tuple(row) for row in self._select_in(
            "SELECT statement_id, source_id, locator_key FROM citation "
            f"WHERE statement_id IN ({{}}) AND source_id IN ({','.join('?' * len(srcs))})", sids,
            sa.select(citation.c.statement_id, citation.c.source_id, citation.c.locator_key)
            .where(citation.c.source_id.in_(srcs)),
            citation.c.statement_id, after=srcs)}
        rec = self.recorded_at
        rows = [(sid, src, lk, c.span[0] if c.span else None, c.span[1] if c.span else None,
                 c.file, c.row, c.locator, c.quote, c.method, c.confidence, rec)
                for (sid, src, lk), c in wanted.items() if (sid, src, lk) not in have]
        self._insert_rows(citation, _CITATION_COLS, rows)
        for sid, src, _ in wanted:
            if src in fresh:
                fresh[src].add(sid)
        return len(rows)

    def retract(self, statement_ids: Iterable[int]) -> int:
        """Stop believing statements from now on; they stay, for "as known at" questions."""
        ids = list(statement_ids)
        self._forget(ids)
        n = 0
        for i in range(0, len(ids), _CHUNK):
            n += self.conn.execute(
                statement.update()
                .where(statement.c.id.in_(ids[i:i + _CHUNK]), statement.c.retracted_at.is_(None))
                .values(retracted_at=self.recorded_at)).rowcount
        return n

    def discard_unrecorded(self, statement_ids: Iterable[int]) -> set[int]:
        """Delete those of these statements that this transaction wrote, with their
        citations, and return their ids. No one has seen them yet, so an import that ends
        them before it commits replaces them instead of leaving a retracted copy in the
        "as known at" history."""
        ids = list(statement_ids)
        mine: set[int] = set()
        for i in range(0, len(ids), _SQLITE_CHUNK):
            mine.update(self.conn.execute(
                sa.select(statement.c.id).where(statement.c.id.in_(ids[i:i + _SQLITE_CHUNK]),
                                                statement.c.recorded_at == self.recorded_at,
                                                statement.c.retracted_at.is_(None))).scalars())
        chosen = sorted(mine)
        self._forget(chosen)
        for i in range(0, len(chosen), _SQLITE_CHUNK):
            chunk = chosen[i:i + _SQLITE_CHUNK]
            self.conn.execute(citation.delete().where(citation.c.statement_id.in_(chunk)))
            self.conn.execute(statement.delete().where(statement.c.id.in_(chunk)))
        return mine

    def restate(self, statement_id: int, *, status: str) -> int:
        """Supersede a statement by a copy with another status (e.g. a proposal accepted)."""
        row = self.conn.execute(sa.select(statement).where(statement.c.id == statement_id)).first()
        if row is None:
            raise UnresolvedReference(f"no statement {statement_id}")
        if row.retracted_at is not None:
            raise BadInput(f"statement {statement_id} was already superseded")
        cites = self.conn.execute(sa.select(citation).where(citation.c.statement_id == statement_id))
        cites = tuple(CitationIn(source_id=c.source_id, method=c.method,
                                 span=(c.span_start, c.span_end) if c.span_start is not None else None,
                                 file=c.file, row=c.row, locator=c.locator, quote=c.quote,
                                 confidence=c.confidence) for c in cites)
        from nhsgraph.model.dates import PartialDate

        st = StatementIn(subject=row.subject_id, predicate=row.predicate, citations=cites,
                         object=row.object_id, value=row.value,
                         valid_from=PartialDate.from_stored(row.valid_from, row.valid_from_precision),
                         valid_to=PartialDate.from_stored(row.valid_to, row.valid_to_precision),
                         qualifiers=row.qualifiers or {}, status=status)
        self.retract([statement_id])
        return self.add(st)
