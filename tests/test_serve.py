"""The server: security headers on every answer, long lists in pages (API and pages),
and ``nhsgraph serve --workers N`` serving from several processes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from conftest import FIXTURES, PG_URL, ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

HEADERS = {"x-frame-options": "DENY", "x-content-type-options": "nosniff"}


@pytest.mark.parametrize("path, status", [
    ("/", 200), ("/landscape?at=2012-06-01&type=pct", 200), ("/entities/ods:5AA", 200),
    ("/api/landscape?at=2012-06-01", 200), ("/api/entities/nowhere", 404),
    ("/entities/nowhere", 404), ("/static/nhsgraph.css", 200), ("/api/docs", 200)])
def test_security_headers_on_every_answer(client, path, status):
    r = client.get(path)
    assert r.status_code == status
    for name, value in HEADERS.items():
        assert r.headers[name] == value, (path, name)
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert "script-src" not in csp            # no script may run, from anywhere


def test_landscape_api_is_paged_with_totals(client):
    params = {"at": "2012-06-01", "type": "pct"}
    whole = client.get("/api/landscape", params=params).json()
    assert whole["total"] == 3 and whole["count"] == 3 and "next" not in whole["links"]
    rows, offset = [], 0
    while True:
        r = client.get("/api/landscape", params={**params, "limit": 2, "offset": offset})
        d = r.json()
        assert d["total"] == 3 and d["limit"] == 2 and len(
            [m for g in d["groups"] for m in g["members"]]) <= 2
        rows += [(g["parent"], m["id"], g["size"]) for g in d["groups"] for m in g["members"]]
        if "next" not in d["links"]:
            break
        assert 'rel="next"' in r.headers["link"]
        offset += 2
    assert rows == [(g["parent"], m["id"], len(g["members"]))
                    for g in whole["groups"] for m in g["members"]]


def test_landscape_and_conflicts_pages_are_paged(client, monkeypatch):
    from nhsgraph.web import pages

    monkeypatch.setattr(pages, "LANDSCAPE_ROWS", 2)
    html = client.get("/landscape?at=2012-06-01&type=pct").text
    assert "1–2 of 3" in html and 'rel="prev"' not in html
    assert 'rel="next" href="/landscape?at=2012-06-01&amp;type=pct&amp;offset=2"' in html
    html = client.get("/landscape?at=2012-06-01&type=pct&offset=2").text
    assert "3–3 of 3" in html and 'rel="prev"' in html and 'rel="next"' not in html
    monkeypatch.setattr(pages, "CONFLICT_ROWS", 1)
    total = client.get("/api/conflicts").json()["total"]
    html = client.get("/conflicts").text
    assert html.count('<section class="app-card">') == 1
    assert (f"1–1 of {total}" in html) == (total > 1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[int]:
    kids = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        kids += [int(k) for k in (task / "children").read_text().split()]
    return kids


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs /proc")
def test_serve_with_workers_answers_from_several_processes(tmp_path):
    from nhsgraph.importers.curated import load_curated
    from nhsgraph.store import Store

    db = PG_URL or str(tmp_path / "serve.db")
    if not PG_URL:
        s = Store.open(db)
        load_curated(s, FIXTURES / "mini")
        s.close()
    else:
        from conftest import _fresh_pg

        s = _fresh_pg(PG_URL)
        load_curated(s, FIXTURES / "mini")
        s.close()
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"),
                                                        os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen([sys.executable, "-m", "nhsgraph", "--db", db, "serve", "--port",
                             str(port), "--workers", "2"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 90
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/entities/ods:5AA", timeout=5)
                if r.status_code == 200 and len(_children(proc.pid)) >= 2:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None, proc.communicate()
            assert time.time() < deadline, "the server did not come up"
            time.sleep(0.3)
        assert r.json()["name"] == "NHS Alpha"
        assert len([k for k in _children(proc.pid)
                    if "python" in Path(f"/proc/{k}/cmdline").read_text()]) >= 2
        # the load benchmark's client, on the live server: whole answers, kept-alive
        from serve_load import drive, tree_cpu

        cpu = tree_cpu(proc.pid)
        paths = [f"GET {p} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()
                 for p in ("/api/entities/ods:5AA?at=2012-01-15", "/api/search?q=alpha",
                           "/api/entities/nowhere")]
        lat, errors, took = drive(port, paths, 4, 30.0, 60)
        assert len(lat) == 60 and 0 < max(lat) <= took
        # the unknown entity's answers, and only those, are errors: problem+json 404s
        assert {e[0] for e in errors} == {404} and 0 < len(errors) < 60
        assert all(b'"status":404' in e[1] for e in errors)
        assert tree_cpu(proc.pid) > cpu       # the workers' CPU is counted
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_a_database_failing_under_a_request_is_problem_json(tmp_path):
    """A database that cannot take the write (another process holds the write lock past
    the driver's 5 s wait) answers 503 problem+json, not a bare 500."""
    from fastapi.testclient import TestClient

    from nhsgraph.app import create_app
    from nhsgraph.store import Store
    from webutil import TOKEN

    path = tmp_path / "api.db"
    Store.open(path).close()
    store = Store.open(path)
    app = create_app(store=store, token=TOKEN)
    with TestClient(app) as c:
        with store.engine.connect() as conn:          # another writer holds the lock
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            r = c.post("/api/documents", content="NHS Alpha met on 3 March 2012.",
                       headers={"Authorization": f"Bearer {TOKEN}",
                                "content-type": "text/plain"})
            conn.exec_driver_sql("ROLLBACK")
    assert r.status_code == 503 and r.headers["content-type"].startswith(
        "application/problem+json"), r.text
    assert "busy" in r.json()["detail"]


def test_heavy_answers_are_kept_until_the_store_changes(mini_store, tmp_path, monkeypatch):
    """The landscape and the conflicts are computed once while nothing is written, and
    again as soon as anything is, by this store or by another one (another process)."""
    from conftest import PG_URL
    from nhsgraph.services import views as data
    from nhsgraph.model.statements import CitationIn, StatementIn
    from nhsgraph.store import Store

    calls = []
    real = data.landscape
    monkeypatch.setattr(data, "landscape", lambda *a, **k: calls.append(1) or real(*a, **k))

    def ask():
        with mini_store.reader() as conn:
            return (data.landscape_data(conn, "2012-06-01", ["pct"], "accountable_to"),
                    data.conflicts_data(conn))

    first, conflicts = ask()
    again, conflicts2 = ask()
    assert again == first and conflicts2 == conflicts
    if not PG_URL:
        # (PostgreSQL's marker is the cluster's WAL position, which other databases of the
        # cluster move too, e.g. the other test workers': there a hit is not certain)
        assert len(calls) == 1 and conflicts2 is conflicts
    before = len(calls)
    other = Store.open(PG_URL or tmp_path / "test.db")      # as another process would
    with other.writer() as w:
        w.add(StatementIn("ods:5AA", "alias", (CitationIn("src:test-registry", "curated"),),
                          value="Alpha Primary Care Trust"))
    other.close()
    ask()
    assert len(calls) == before + 1
    if not PG_URL:
        ask()
        assert len(calls) == 2


def test_the_organisation_answer_is_kept_until_the_store_changes(client, store, monkeypatch):
    """GET /api/entities/X is computed once while nothing is written (the same bytes and
    ETag again), and again as soon as another connection writes: the answer on the loop's
    own connection then holds the new fact."""
    from nhsgraph.api import read
    from nhsgraph.model.statements import CitationIn, StatementIn

    calls = []
    real = read.data.entity_data
    monkeypatch.setattr(read.data, "entity_data",
                        lambda *a, **k: calls.append(a[1:]) or real(*a, **k))
    first = client.get("/api/entities/ods:5AA", params={"at": "2012-01-15"})
    again = client.get("/api/entities/ods:5AA", params={"at": "2012-01-15"})
    assert first.status_code == again.status_code == 200
    assert again.content == first.content and again.headers["etag"] == first.headers["etag"]
    if not PG_URL:   # (PostgreSQL's marker moves with the whole cluster: a hit is not certain)
        assert calls == [("ods:5AA", "2012-01-15", None, 5)]
    assert client.get("/api/entities/ods:5AA", params={"at": "2012-01-15"},
                      headers={"If-None-Match": first.headers["etag"]}).status_code == 304
    before = len(calls)
    with store.writer() as w:
        w.add(StatementIn("ods:5AA", "alias", (CitationIn("src:test-registry", "curated"),),
                          value="Alpha Primary Care Trust", valid_from="2010"))
    now = client.get("/api/entities/ods:5AA", params={"at": "2012-01-15"}).json()
    assert len(calls) == before + 1
    assert "Alpha Primary Care Trust" in [f["value"] for f in now["sections"]["names"]]
    assert now != first.json()


def test_no_answer_is_kept_when_the_cache_is_off(client, monkeypatch):
    from nhsgraph.api import read
    from nhsgraph.services.cache import CACHE_ENV

    monkeypatch.setenv(CACHE_ENV, "off")
    calls = []
    real = read.data.entity_data
    monkeypatch.setattr(read.data, "entity_data",
                        lambda *a, **k: calls.append(1) or real(*a, **k))
    bodies = {client.get("/api/entities/ods:5AA").content for _ in range(3)}
    assert len(calls) == 3 and len(bodies) == 1


def test_kept_answers_are_bounded_by_weight(mini_store, monkeypatch):
    """The least recently used answers go once a store's answers weigh over MAX_BYTES."""
    from nhsgraph.services import cache

    monkeypatch.setattr(cache, "MAX_BYTES", 100)
    with mini_store.reader() as conn:
        if cache.marker(conn) is None:
            pytest.skip("this store cannot tell whether it changed")
        for i in range(5):
            cache.answer(conn, ("w", i), lambda i=i: b"x" * 40, size=len)
        kept = cache._kept(conn.engine)
        assert [k for k in kept.answers if k[0] == "w"] == [("w", 3), ("w", 4)]
        assert kept.weight <= 100


def test_an_entity_answer_gives_the_first_citations_and_a_link_to_all(client, store, db):
    """A fact cited seven times is sent with its first five citations and its count; the
    answer links to itself with every citation; ``show --json`` is the same answer."""
    import json

    from typer.testing import CliRunner

    from nhsgraph.cli import app as cli
    from nhsgraph.model.statements import CitationIn, StatementIn

    pages = [f"p. {i}" for i in range(1, 8)]
    with store.writer() as w:
        w.add(StatementIn("ods:5AA", "alias", tuple(
            CitationIn("src:test-registry", "curated", locator=p) for p in pages),
            value="NHS Alpha Test Alias", valid_from="2010"))

    def alias(d):
        [f] = [f for f in d["sections"]["names"] if f["value"] == "NHS Alpha Test Alias"]
        return f

    d = client.get("/api/entities/ods:5AA", params={"at": "2012-01-15"}).json()
    assert alias(d)["citation_count"] == 7
    assert [c["locator"] for c in alias(d)["citations"]] == pages[:5]
    assert d["links"]["citations"] == "/api/entities/ods:5AA?at=2012-01-15&citations=all"
    whole = client.get(d["links"]["citations"]).json()
    assert [c["locator"] for c in alias(whole)["citations"]] == pages
    assert "citations" not in whole["links"]
    one = client.get("/api/entities/ods:5AA", params={"at": "2012-01-15", "citations": 1}).json()
    assert all(len(f["citations"]) <= 1 for v in one["sections"].values() for f in v)
    assert client.get("/api/entities/ods:5AA", params={"citations": "some"}).status_code == 422
    r = CliRunner().invoke(cli, ["--db", db, "show", "ods:5AA", "--at", "2012-01-15", "--json"])
    assert r.exit_code == 0 and json.loads(r.output) == d
