"""Fixtures shared by the whole suite.

The suite runs on SQLite by default; with NHSGRAPH_TEST_PG set to a PostgreSQL URL every
``store`` is a freshly emptied PostgreSQL database instead, so the same tests cover both.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import sqlalchemy as sa

from nhsgraph.store import Store

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
REAL = SHARED / "data" / "real"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _worker_url(url: str) -> str:
    """Each pytest-xdist worker gets its own database (created on first use)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    base, _, name = url.rpartition("/")
    mine = f"{name}_{worker}"
    admin = sa.create_engine(f"{base}/postgres".replace("postgresql://", "postgresql+psycopg://", 1),
                             isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": mine}).first():
            conn.execute(sa.text(f'CREATE DATABASE "{mine}"'))
    admin.dispose()
    return f"{base}/{mine}"


PG_URL = _worker_url(os.environ["NHSGRAPH_TEST_PG"]) if os.environ.get("NHSGRAPH_TEST_PG") else None


def _fresh_pg(url: str) -> Store:
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        # a connection an earlier test left open in a transaction would hold its locks and
        # make the DROP wait for ever: fail loudly instead
        conn.execute(sa.text("SET LOCAL lock_timeout = '60s'"))
        conn.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    return Store.open(url)


def make_store(tmp_path: Path, name: str = "test.db") -> Store:
    if PG_URL:
        return _fresh_pg(PG_URL)
    return Store.open(tmp_path / name)


@pytest.fixture
def store(tmp_path) -> Store:
    s = make_store(tmp_path)
    yield s
    s.close()


@pytest.fixture
def mini_store(store) -> Store:
    """A small registry written for these tests (fixtures/mini), loaded."""
    from nhsgraph.importers.curated import load_curated

    load_curated(store, FIXTURES / "mini")
    return store


@pytest.fixture
def db(store, tmp_path) -> str:
    """Where the API and page tests point the app: the mini registry with its text."""
    from webutil import load_mini_with_text  # webutil imports this module

    load_mini_with_text(store)
    return PG_URL or str(tmp_path / "test.db")


@pytest.fixture
def client(db):
    """The app over ``db`` in a test client, with writes allowed for webutil.TOKEN."""
    from fastapi.testclient import TestClient

    from nhsgraph.app import create_app
    from webutil import TOKEN

    with TestClient(create_app(db, token=TOKEN)) as c:
        yield c


def need_seeds():
    if not SEEDS.is_dir():
        pytest.skip(f"seed documents not found at {SEEDS} (they live in ../shared/seeds)")
    return SEEDS


def need_real():
    if not REAL.is_dir():
        pytest.skip(f"real national data not found at {REAL} (../shared/data/real)")
    return REAL


def real_file(rel: str) -> Path:
    """One file of the real national data, skipping the test when the data is absent."""
    path = need_real() / rel
    assert path.exists(), path
    return path


def sql_rows(store: Store, sql: str, **params) -> list[tuple]:
    """Raw SQL rows, with JSON columns as JSON text on both backends (PostgreSQL hands
    back dicts where SQLite hands back the stored text)."""
    with store.reader() as conn:
        rows = conn.execute(sa.text(sql), params).all()
    return [tuple(json.dumps(v) if isinstance(v, (dict, list)) else v for v in r) for r in rows]


def pytest_report_header(config):
    return f"nhsgraph store backend: {'postgresql' if PG_URL else 'sqlite'}"


@pytest.fixture(scope="session")
def national(tmp_path_factory):
    """The whole real folder imported beside the bundled knowledge base, as the demo does:
    built once per session (a few minutes) for every test of national data."""
    from nhsgraph.importers.curated import load_curated
    from nhsgraph.importers.folder import import_folder

    if not REAL.is_dir():
        pytest.skip(f"real national data not found at {REAL}")
    if PG_URL:
        # The whole folder takes about ten minutes on PostgreSQL in CI (a minute or two
        # on SQLite); the importers' PostgreSQL paths are tested on its files in
        # test_import_*.py and test_import_conflicts.py.
        pytest.skip("the whole real folder is imported on SQLite only (CI time)")
    store = make_store(tmp_path_factory.mktemp("national"), "national.db")
    load_curated(store)
    report = import_folder(store, REAL)
    yield store, report
    store.close()


@pytest.fixture(scope="module")
def bundled_kb(tmp_path_factory):
    """The bundled knowledge base alone, in a fresh store per module: (store, the database
    path or URL for the command line and the app)."""
    from nhsgraph.importers.curated import load_curated

    path = tmp_path_factory.mktemp("bundled")
    store = make_store(path)
    load_curated(store)
    yield store, PG_URL or str(path / "test.db")
    store.close()
