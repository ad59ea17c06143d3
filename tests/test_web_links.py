"""Every link resolves: a crawl of the pages reachable from the home page, on the mini
registry and on the bundled knowledge base, fails on any 404 or 500, and on a link to
an anchor (#...) that the page it points at does not have."""

from __future__ import annotations

import re
from collections import Counter, deque
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import pytest
from fastapi.testclient import TestClient

from conftest import PG_URL, SEEDS
from nhsgraph.app import create_app
from webutil import TOKEN, add_proposal, add_stages

HREF = re.compile(r'<(?:a|link)\b[^>]*?\bhref="([^"]*)"', re.I)
IDS = re.compile(r'\bid="([^"]*)"')
PER_SHAPE = 25     # pages of one shape (entity, entity?at, source ...) visited at most
MAX_PAGES = 600


def shape(path: str) -> str:
    """The route a path belongs to, with its ids and query values left out."""
    parts = urlsplit(path)
    segs = parts.path.strip("/").split("/")
    keep = [segs[0]] + ["*" if i == 1 else s for i, s in enumerate(segs[1:], 1)]
    query = ",".join(sorted(k.split("=")[0] for k in parts.query.split("&") if k))
    return "/" + "/".join(keep) + ("?" + query if query else "")


def unescape(href: str) -> str:
    return href.replace("&amp;", "&")


def crawl(client, *starts: str) -> tuple[dict, list[str]]:
    """Visit pages breadth first from ``starts`` (the home page, and a search as its form
    would send it); returns {path: status} and the problems."""
    seen: dict[str, int] = {}
    ids: dict[str, set[str]] = {}
    anchors: list[tuple[str, str, str]] = []      # (page, target path, fragment)
    shapes: Counter = Counter()
    todo = deque(starts or ['/', '/search?q=NHS'])
    problems = []
    while todo and len(seen) < MAX_PAGES:
        path = todo.popleft()
        if path in seen:
            continue
        r = client.get(path, follow_redirects=True)
        seen[path] = r.status_code
        if r.status_code >= 400:
            problems.append(f"{path}: {r.status_code}")
            continue
        if not r.headers["content-type"].startswith("text/html"):
            continue
        html = r.text
        ids[path] = set(IDS.findall(html))
        final = urlsplit(str(r.url))
        here = final.path + ("?" + final.query if final.query else "")
        ids[here] = ids[path]
        for raw in HREF.findall(html):
            href = unescape(raw)
            if href.startswith(("mailto:", "http://", "https://")):
                continue
            target, frag = urldefrag(urljoin(here, href))
            target = target.replace("http://testserver", "") or here
            if frag:
                anchors.append((path, target, unquote(frag)))
            if target in seen or not target.startswith("/"):
                continue
            s = shape(target)
            if shapes[s] < PER_SHAPE:
                shapes[s] += 1
                todo.append(target)
    for page, target, frag in anchors:
        if target in ids and frag not in ids[target] and frag != "maincontent":
            problems.append(f"{page}: link to #{frag} on {target}, which has no such id")
    return seen, sorted(set(problems))


def test_every_link_on_the_mini_registry_resolves(db, store):
    add_stages(store)          # a process stage whose rule is the process's own order
    add_proposal(store)
    with TestClient(create_app(db, token=TOKEN)) as client:
        seen, problems = crawl(client)
    assert problems == []
    routes = {shape(p) for p in seen}
    # the crawl reached every kind of page, not just the home page
    for expected in ("/entities/*", "/entities/*/lineage", "/entities/*/timeline", "/landscape",
                     "/conflicts", "/rules", "/rules/*", "/sources/*", "/search"):
        assert any(r.split("?")[0] == expected for r in routes), (expected, sorted(routes))
    assert "/api/docs" in seen and "/api/openapi.json" in seen
    assert len(seen) > 40


def test_every_link_on_the_knowledge_base_resolves(store, tmp_path):
    from nhsgraph.importers.curated import bundled_dir, load_curated

    if not any(bundled_dir().rglob("*.yaml")):
        pytest.skip("no bundled knowledge base in src/nhsgraph/data")
    load_curated(store, None, documents=SEEDS if SEEDS.is_dir() else None)
    with TestClient(create_app(PG_URL or str(tmp_path / "test.db"))) as client:
        seen, problems = crawl(client)
    assert problems == []
    assert len(seen) > 100


def test_the_crawl_finds_a_broken_link():
    """The crawler itself: a page linking to a missing page and a missing anchor fails."""
    from fastapi import FastAPI
    from fastapi.responses import HTMLResponse

    app = FastAPI()

    @app.get("/", response_class=HTMLResponse)
    def home():
        return '<a href="/ok#here">ok</a> <a href="/missing">x</a> <a href="/ok#nowhere">y</a>'

    @app.get("/ok", response_class=HTMLResponse)
    def ok():
        return '<p id="here">fine</p>'

    with TestClient(app) as client:
        _, problems = crawl(client, '/')
    assert problems == ["/: link to #nowhere on /ok, which has no such id", "/missing: 404"]
