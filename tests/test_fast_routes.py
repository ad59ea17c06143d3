"""The short way in for the organisation as at a date (``asgi.fast.FastGet``): it answers
exactly as the app does through FastAPI, and takes only the requests it may."""

from __future__ import annotations

import asyncio

import pytest
from fastapi.testclient import TestClient
from starlette.responses import Response

from nhsgraph.app import create_app
from nhsgraph.asgi import fast as fast_module
from nhsgraph.asgi.fast import FastGet, FastRoute

# Answered, refused and odd requests alike: every one must get the same status, headers
# and bytes whichever way it goes.
REQUESTS = [
    ("/api/entities/ods:5AA", {}),
    ("/api/entities/ods:5AA?at=2012-01-15", {}),
    ("/api/entities/5AA?at=2012", {}),
    ("/api/entities/NHS%20Alpha?at=2012-01", {}),
    ("/api/entities/ods:5AA?at=2012-01-15&citations=all", {}),
    ("/api/entities/ods:5AA?citations=0", {}),
    ("/api/entities/ods:5AA?at=2012-01-15&known_at=2030-01-01", {}),
    ("/api/entities/ods:5AA?known_at=2030-01-01T10:00:00%2B01:00", {}),
    ("/api/entities/ods:5AA?known_at=not-a-date", {}),
    ("/api/entities/ods:5AA?at=2012-13-01", {}),
    ("/api/entities/ods:5AA?at=", {}),
    ("/api/entities/ods:5AA?citations=many", {}),
    ("/api/entities/ods:5AA?at=2012&at=2013", {}),
    ("/api/entities/ods:5AA?at=2012&unknown=1", {}),
    ("/api/entities/nowhere?at=2012", {}),
    ("/api/entities/" + "x" * 201, {}),
    ("/api/entities/ods:5AA/", {}),                  # (redirected without the slash)
    ("/api/entities/ods:5AA", {"If-None-Match": "*"}),
    ("/api/entities/ods:5AA", {"If-None-Match": 'W/"not-it"'}),
]


def _answers(db: str, fast: bool) -> list:
    with TestClient(create_app(db, fast=fast)) as c:
        tag = c.get("/api/entities/ods:5AA?at=2012-01-15").headers["etag"]
        out = []
        for path, headers in REQUESTS + [("/api/entities/ods:5AA?at=2012-01-15",
                                          {"If-None-Match": tag})]:
            r = c.get(path, headers=headers)
            out.append((path, r.status_code, sorted(r.headers.items()), r.content))
        return out


def test_the_short_way_answers_as_fastapi_does(db, monkeypatch):
    taken = []
    real = fast_module.Request
    monkeypatch.setattr(fast_module, "Request", lambda scope, receive: taken.append(
        (scope["path"], scope["query_string"])) or real(scope, receive))
    fast = _answers(db, True)
    # the short way was taken by those of the plain shapes (and left when one failed)
    assert ("/api/entities/ods:5AA", b"at=2012-01-15&citations=all") in taken
    assert ("/api/entities/nowhere", b"at=2012") in taken
    assert not [q for _, q in taken if b"unknown" in q or b"at=2013" in q or b"13-01" in q]
    assert len(taken) == 14     # (the slash-ended path too, once redirected)
    taken.clear()
    slow = _answers(db, False)
    assert not taken
    assert [a[1] for a in fast] == [200, 200, 200, 200, 200, 200, 200, 200, 422, 422, 422,
                                    422, 200, 200, 404, 422, 200, 304, 200, 304]
    for got, want in zip(fast, slow):
        assert got == want, got[0]


def _recorder():
    calls = []

    async def endpoint(request, ref, at=None):
        calls.append(("endpoint", ref, at))
        if ref == "boom":
            raise ValueError("the endpoint failed")
        return Response(b"short", media_type="text/plain")

    async def app(scope, receive, send):
        calls.append(("app", scope["path"]))
        await Response(b"long", media_type="text/plain")(scope, receive, send)

    route = FastRoute("/x/", ("ref", "[a-z]{1,5}"), endpoint, {"at": "[0-9]{4}"})
    return FastGet(app, [route]), calls


def _get(mw, path, query=b"", method="GET", root_path=""):
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": method, "path": path, "query_string": query,
             "headers": [], "root_path": root_path}
    asyncio.run(mw(scope, receive, send))
    return b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


@pytest.mark.parametrize("path, query, method, root_path, taken", [
    ("/x/abc", b"", "GET", "", True),
    ("/x/abc", b"at=2012", "GET", "", True),
    ("/x/abc", b"at=12", "GET", "", False),            # not of the shape
    ("/x/abc", b"at=2012&at=2013", "GET", "", False),  # twice
    ("/x/abc", b"other=1", "GET", "", False),          # not a parameter of the route
    ("/x/abcdef", b"", "GET", "", False),              # the segment too long
    ("/x/abc/more", b"", "GET", "", False),            # another route
    ("/x/abc", b"", "POST", "", False),
    ("/x/abc", b"", "GET", "/behind", False),          # mounted under a prefix
])
def test_only_the_requests_of_its_routes_take_the_short_way(path, query, method, root_path,
                                                              taken):
    mw, calls = _recorder()
    body = _get(mw, path, query, method, root_path)
    assert body == (b"short" if taken else b"long")
    assert [c[0] for c in calls] == (["endpoint"] if taken else ["app"])


def test_a_failing_endpoint_is_answered_by_the_app():
    mw, calls = _recorder()
    assert _get(mw, "/x/boom") == b"long"
    assert calls == [("endpoint", "boom", None), ("app", "/x/boom")]


def test_the_stack_benchmark_measures_both_ways(db, monkeypatch):
    import sys

    from conftest import ROOT
    from nhsgraph.services.cache import CACHE_ENV

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import asgi_overhead

    monkeypatch.setenv(CACHE_ENV, "on")
    got = asyncio.run(asgi_overhead.measure(db, rounds=1, requests=30, sample=3))
    assert set(got) == {"short way", "FastAPI"}
    assert all(len(xs) == 1 and xs[0] > 0 for xs in got.values())
